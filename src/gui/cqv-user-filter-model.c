/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cqv-user-filter-model"

#include "config.h"

#include <string.h>

#include "cqv-user-filter-model.h"

/* Users are found by their search keys, copied into one buffer in the order shown: a pass over
 * 100 000 keys scattered over the heap waits on memory for ~40 ms, over one buffer ~5 ms. The
 * buffer is made again some time after the list changes (a loading directory changes it every
 * second), in slices, when the main loop is idle. */
#define KEYS_DELAY_MS 300
#define KEYS_CHUNK 2500

struct _CqvUserFilterModel
{
  GObject parent_instance;

  GListModel *model;
  /* Positions in @model of the matching users, in order; NULL while everyone matches. */
  GArray *matches;
  char *search_text;
  /* The folded search text and its words; @words NULL when it has none. */
  char *folded;
  char **words;
  /* The search keys of @model's first @key_offsets->len users, one after the other, each
   * NUL-terminated. Keys do not change: a user's name, UPN and mail are set when it is made. */
  GString *keys;
  GArray *key_offsets;
  guint keys_source;
};

static void cqv_user_filter_model_list_model_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (CqvUserFilterModel,
                               cqv_user_filter_model,
                               G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL,
                                                      cqv_user_filter_model_list_model_init))

enum
{
  PROP_0,
  PROP_MODEL,
  PROP_SEARCH_TEXT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static guint
n_source (CqvUserFilterModel *self)
{
  return self->model != NULL ? g_list_model_get_n_items (self->model) : 0;
}

static guint
n_shown (CqvUserFilterModel *self, GArray *matches)
{
  return matches != NULL ? matches->len : n_source (self);
}

/* The address of the user shown at @position when @matches are the matches: only compared, so
 * no reference is kept (@model holds one). */
static gpointer
peek_shown (CqvUserFilterModel *self, GArray *matches, guint position)
{
  g_autoptr (GObject) user = NULL;

  if (matches != NULL)
    position = g_array_index (matches, guint, position);
  user = g_list_model_get_item (self->model, position);
  return user;
}

static GType
cqv_user_filter_model_get_item_type (GListModel *list)
{
  return CQV_TYPE_USER;
}

static guint
cqv_user_filter_model_get_n_items (GListModel *list)
{
  CqvUserFilterModel *self = CQV_USER_FILTER_MODEL (list);

  return n_shown (self, self->matches);
}

static gpointer
cqv_user_filter_model_get_item (GListModel *list, guint position)
{
  CqvUserFilterModel *self = CQV_USER_FILTER_MODEL (list);

  if (position >= n_shown (self, self->matches))
    return NULL;
  if (self->matches != NULL)
    position = g_array_index (self->matches, guint, position);
  return g_list_model_get_item (self->model, position);
}

static void
cqv_user_filter_model_list_model_init (GListModelInterface *iface)
{
  iface->get_item_type = cqv_user_filter_model_get_item_type;
  iface->get_n_items = cqv_user_filter_model_get_n_items;
  iface->get_item = cqv_user_filter_model_get_item;
}

static gboolean
key_matches (const char *key, char **words)
{
  if (key == NULL)
    return FALSE;
  for (guint i = 0; words[i] != NULL; i++)
    if (strstr (key, words[i]) == NULL)
      return FALSE;
  return TRUE;
}

static gboolean
user_matches (CqvUserFilterModel *self, guint position)
{
  g_autoptr (CqvUser) user = g_list_model_get_item (self->model, position);

  return key_matches (cqv_user_get_search_key (user), self->words);
}

static void
add_keys (CqvUserFilterModel *self, guint up_to)
{
  for (guint i = self->key_offsets->len; i < up_to; i++)
    {
      g_autoptr (CqvUser) user = g_list_model_get_item (self->model, i);
      const char *key = cqv_user_get_search_key (user);
      guint offset = self->keys->len;

      g_string_append_len (self->keys, key != NULL ? key : "", key != NULL ? strlen (key) + 1 : 1);
      g_array_append_val (self->key_offsets, offset);
    }
}

static gboolean
build_keys_cb (gpointer data)
{
  CqvUserFilterModel *self = data;
  guint n = n_source (self);

  add_keys (self, MIN (n, self->key_offsets->len + KEYS_CHUNK));
  if (self->key_offsets->len < n)
    return G_SOURCE_CONTINUE;
  self->keys_source = 0;
  return G_SOURCE_REMOVE;
}

static gboolean
keys_delay_cb (gpointer data)
{
  CqvUserFilterModel *self = data;

  self->keys_source = g_idle_add_full (G_PRIORITY_LOW, build_keys_cb, self, NULL);
  return G_SOURCE_REMOVE;
}

static void
invalidate_keys (CqvUserFilterModel *self)
{
  g_string_truncate (self->keys, 0);
  g_array_set_size (self->key_offsets, 0);
  g_clear_handle_id (&self->keys_source, g_source_remove);
  if (n_source (self) > 0)
    self->keys_source = g_timeout_add (KEYS_DELAY_MS, keys_delay_cb, self);
}

/* The positions in @model of the users at @candidates (positions in @model, in order; NULL for
 * everyone) that match the words, or NULL when there are no words. */
static GArray *
filter (CqvUserFilterModel *self, GArray *candidates)
{
  guint n = candidates != NULL ? candidates->len : n_source (self);
  GArray *matches;

  if (self->words == NULL)
    return NULL;
  add_keys (self, n_source (self));
  g_clear_handle_id (&self->keys_source, g_source_remove);

  matches = g_array_sized_new (FALSE, FALSE, sizeof (guint), n / 4 + 1);
  for (guint i = 0; i < n; i++)
    {
      guint at = candidates != NULL ? g_array_index (candidates, guint, i) : i;

      if (key_matches (self->keys->str + g_array_index (self->key_offsets, guint, at), self->words))
        g_array_append_val (matches, at);
    }
  return matches;
}

/* Announces the change from what @before matched to what is shown now, as one items-changed
 * from the first position that differs to the last; @model has not changed in between. */
static void
announce (CqvUserFilterModel *self, GArray *before)
{
  guint n_before = n_shown (self, before);
  guint n_after = n_shown (self, self->matches);
  guint common = MIN (n_before, n_after);
  guint prefix = 0;
  guint suffix = 0;

  while (prefix < common &&
         peek_shown (self, before, prefix) == peek_shown (self, self->matches, prefix))
    prefix++;
  while (suffix < common - prefix && peek_shown (self, before, n_before - 1 - suffix) ==
                                       peek_shown (self, self->matches, n_after - 1 - suffix))
    suffix++;
  if (n_before - prefix - suffix > 0 || n_after - prefix - suffix > 0)
    g_list_model_items_changed (G_LIST_MODEL (self), prefix, n_before - prefix - suffix,
                                n_after - prefix - suffix);
}

static void
source_changed_cb (GListModel *model,
                   guint position,
                   guint removed,
                   guint added,
                   CqvUserFilterModel *self)
{
  g_autoptr (GArray) before = NULL;
  guint kept_before = 0;
  guint kept_after = 0;
  guint n_before;

  invalidate_keys (self);
  if (self->matches == NULL)
    {
      g_list_model_items_changed (G_LIST_MODEL (self), position, removed, added);
      return;
    }

  /* Matches before @position stay as they are, those after the change move; the users in
   * between are looked at (the sort model reports a batch sorted in as one wide change). */
  before = g_steal_pointer (&self->matches);
  n_before = before->len;
  self->matches = g_array_sized_new (FALSE, FALSE, sizeof (guint), before->len + added / 4);
  while (kept_before < before->len && g_array_index (before, guint, kept_before) < position)
    {
      g_array_append_val (self->matches, g_array_index (before, guint, kept_before));
      kept_before++;
    }
  for (guint i = position; i < position + added; i++)
    if (user_matches (self, i))
      g_array_append_val (self->matches, i);
  for (guint i = kept_before; i < before->len; i++)
    {
      guint at = g_array_index (before, guint, i);

      if (at < position + removed)
        continue;
      at = at - removed + added;
      g_array_append_val (self->matches, at);
      kept_after++;
    }

  if (n_before != self->matches->len || n_before > kept_before + kept_after)
    g_list_model_items_changed (G_LIST_MODEL (self), kept_before,
                                n_before - kept_before - kept_after,
                                self->matches->len - kept_before - kept_after);
}

static void
cqv_user_filter_model_dispose (GObject *object)
{
  CqvUserFilterModel *self = CQV_USER_FILTER_MODEL (object);

  if (self->model != NULL)
    g_signal_handlers_disconnect_by_func (self->model, source_changed_cb, self);
  g_clear_object (&self->model);
  g_clear_pointer (&self->matches, g_array_unref);
  g_clear_handle_id (&self->keys_source, g_source_remove);

  G_OBJECT_CLASS (cqv_user_filter_model_parent_class)->dispose (object);
}

static void
cqv_user_filter_model_finalize (GObject *object)
{
  CqvUserFilterModel *self = CQV_USER_FILTER_MODEL (object);

  g_string_free (self->keys, TRUE);
  g_array_unref (self->key_offsets);
  g_free (self->search_text);
  g_free (self->folded);
  g_strfreev (self->words);

  G_OBJECT_CLASS (cqv_user_filter_model_parent_class)->finalize (object);
}

static void
cqv_user_filter_model_get_property (GObject *object,
                                    guint prop_id,
                                    GValue *value,
                                    GParamSpec *pspec)
{
  CqvUserFilterModel *self = CQV_USER_FILTER_MODEL (object);

  switch (prop_id)
    {
    case PROP_MODEL:
      g_value_set_object (value, self->model);
      break;
    case PROP_SEARCH_TEXT:
      g_value_set_string (value, self->search_text);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cqv_user_filter_model_set_property (GObject *object,
                                    guint prop_id,
                                    const GValue *value,
                                    GParamSpec *pspec)
{
  CqvUserFilterModel *self = CQV_USER_FILTER_MODEL (object);

  switch (prop_id)
    {
    case PROP_MODEL:
      cqv_user_filter_model_set_model (self, g_value_get_object (value));
      break;
    case PROP_SEARCH_TEXT:
      cqv_user_filter_model_set_search_text (self, g_value_get_string (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cqv_user_filter_model_class_init (CqvUserFilterModelClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = cqv_user_filter_model_dispose;
  object_class->finalize = cqv_user_filter_model_finalize;
  object_class->get_property = cqv_user_filter_model_get_property;
  object_class->set_property = cqv_user_filter_model_set_property;

  properties[PROP_MODEL] =
    g_param_spec_object ("model", NULL, NULL, G_TYPE_LIST_MODEL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SEARCH_TEXT] =
    g_param_spec_string ("search-text", NULL, NULL, "",
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
cqv_user_filter_model_init (CqvUserFilterModel *self)
{
  self->keys = g_string_new (NULL);
  self->key_offsets = g_array_new (FALSE, FALSE, sizeof (guint));
  self->search_text = g_strdup ("");
  self->folded = g_strdup ("");
}

CqvUserFilterModel *
cqv_user_filter_model_new (GListModel *model)
{
  g_return_val_if_fail (model == NULL || G_IS_LIST_MODEL (model), NULL);

  return g_object_new (CQV_TYPE_USER_FILTER_MODEL, "model", model, NULL);
}

GListModel *
cqv_user_filter_model_get_model (CqvUserFilterModel *self)
{
  g_return_val_if_fail (CQV_IS_USER_FILTER_MODEL (self), NULL);

  return self->model;
}

void
cqv_user_filter_model_set_model (CqvUserFilterModel *self, GListModel *model)
{
  guint n_before;

  g_return_if_fail (CQV_IS_USER_FILTER_MODEL (self));
  g_return_if_fail (model == NULL || G_IS_LIST_MODEL (model));

  if (self->model == model)
    return;

  n_before = n_shown (self, self->matches);
  if (self->model != NULL)
    g_signal_handlers_disconnect_by_func (self->model, source_changed_cb, self);
  g_clear_pointer (&self->matches, g_array_unref);
  g_set_object (&self->model, model);
  if (model != NULL)
    g_signal_connect (model, "items-changed", G_CALLBACK (source_changed_cb), self);
  invalidate_keys (self);
  self->matches = filter (self, NULL);

  if (n_before > 0 || n_shown (self, self->matches) > 0)
    g_list_model_items_changed (G_LIST_MODEL (self), 0, n_before, n_shown (self, self->matches));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MODEL]);
}

gboolean
cqv_user_filter_model_get_keys_ready (CqvUserFilterModel *self)
{
  g_return_val_if_fail (CQV_IS_USER_FILTER_MODEL (self), FALSE);

  return self->key_offsets->len == n_source (self);
}

const char *
cqv_user_filter_model_get_search_text (CqvUserFilterModel *self)
{
  g_return_val_if_fail (CQV_IS_USER_FILTER_MODEL (self), NULL);

  return self->search_text;
}

static char **
split_words (const char *folded)
{
  g_auto (GStrv) parts = g_strsplit_set (folded, " \t\n", -1);
  g_autoptr (GStrvBuilder) words = g_strv_builder_new ();
  gboolean any = FALSE;

  for (guint i = 0; parts[i] != NULL; i++)
    if (parts[i][0] != '\0')
      {
        g_strv_builder_add (words, parts[i]);
        any = TRUE;
      }
  return any ? g_strv_builder_end (words) : NULL;
}

void
cqv_user_filter_model_set_search_text (CqvUserFilterModel *self, const char *text)
{
  g_autoptr (GArray) before = NULL;
  g_autofree char *old_folded = NULL;
  gboolean stricter;

  g_return_if_fail (CQV_IS_USER_FILTER_MODEL (self));

  if (text == NULL)
    text = "";
  if (g_strcmp0 (self->search_text, text) == 0)
    return;

  g_free (self->search_text);
  self->search_text = g_strdup (text);
  old_folded = g_steal_pointer (&self->folded);
  self->folded = cqv_fold_for_search (text);
  /* The old text plus more: only those that matched can match. */
  stricter = self->words != NULL && g_str_has_prefix (self->folded, old_folded);
  g_strfreev (self->words);
  self->words = split_words (self->folded);

  before = g_steal_pointer (&self->matches);
  if (self->model != NULL)
    {
      self->matches = filter (self, stricter ? before : NULL);
      announce (self, before);
    }

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SEARCH_TEXT]);
}
