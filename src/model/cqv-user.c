/* SPDX-License-Identifier: GPL-3.0-or-later */

#define G_LOG_DOMAIN "cqv-user"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "cqv-model-enums.h"
#include "cqv-user.h"

struct _CqvUser
{
  GObject parent_instance;

  char *id;
  char *display_name;
  char *upn;
  char *mail;
  char *job_title;
  char *department;
  char *search_key;
  /* Collation keys of the case-folded display name (made with the user, which the directory
   * does off the main thread) and UPN (made when first compared). */
  char *name_sort_key;
  char *upn_sort_key;
  /* The first 8 bytes of @name_sort_key, big-endian: most comparisons end here, without
   * reading the key from elsewhere in memory. */
  guint64 name_sort_prefix;
  GDateTime *last_verified;
  CqvUserType user_type;
  CqvUserSource source;
  CqvAuthenticatorState authenticator;
  CqvOutcomeKind last_outcome;
  guint enabled : 1;
};

G_DEFINE_FINAL_TYPE (CqvUser, cqv_user, G_TYPE_OBJECT)

enum
{
  PROP_0,
  PROP_ID,
  PROP_DISPLAY_NAME,
  PROP_UPN,
  PROP_MAIL,
  PROP_JOB_TITLE,
  PROP_DEPARTMENT,
  PROP_USER_TYPE,
  PROP_SOURCE,
  PROP_ENABLED,
  PROP_AUTHENTICATOR,
  PROP_LAST_OUTCOME,
  PROP_LAST_VERIFIED,
  PROP_SEARCH_KEY,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
append_without_marks (GString *out, const char *text)
{
  for (const char *p = text; *p; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (!g_unichar_ismark (c) && g_unichar_combining_class (c) == 0)
        g_string_append_unichar (out, c);
    }
}

/* Appends the folded form of @text: NFKD, marks dropped, case-folded. It runs for every directory
 * entry, so it decomposes character by character instead of normalising whole strings (canonical
 * reordering only moves marks, which are dropped anyway), and ASCII is simply lower-cased. NFKD
 * comes first so compatibility forms ("ℌ", "ﬁ", full-width letters) reach the case folding as plain
 * letters; case folding comes last and can itself emit marks (U+0130 → i + U+0307), hence the final
 * pass. */
static void
append_folded (GString *out, const char *text)
{
  g_autoptr (GString) pending = NULL;
  g_autofree char *folded = NULL;

  if (text == NULL || !g_utf8_validate (text, -1, NULL))
    return; /* nothing sensible to match on */

  for (const char *p = text; *p; p = g_utf8_next_char (p))
    {
      gunichar decomposed[G_UNICHAR_MAX_DECOMPOSITION_LENGTH];
      gunichar c = g_utf8_get_char (p);
      gsize n;

      if (c < 0x80)
        {
          g_string_append_c (pending != NULL ? pending : out, g_ascii_tolower ((char) c));
          continue;
        }

      n = g_unichar_fully_decompose (c, TRUE, decomposed, G_N_ELEMENTS (decomposed));
      for (gsize i = 0; i < n; i++)
        {
          if (g_unichar_ismark (decomposed[i]) || g_unichar_combining_class (decomposed[i]) != 0)
            continue;
          if (pending == NULL)
            pending = g_string_new (NULL);
          g_string_append_unichar (pending, decomposed[i]);
        }
    }

  if (pending == NULL)
    return;

  folded = g_utf8_casefold (pending->str, pending->len);
  append_without_marks (out, folded);
}

static char *
build_search_key (CqvUser *self)
{
  GString *key = g_string_sized_new (64);

  append_folded (key, self->display_name);
  g_string_append_c (key, '\n');
  append_folded (key, self->upn);
  g_string_append_c (key, '\n');
  append_folded (key, self->mail);

  return g_string_free (key, FALSE);
}

static void
update_search_key (CqvUser *self)
{
  g_autofree char *key = build_search_key (self);

  if (g_strcmp0 (self->search_key, key) == 0)
    return;

  g_free (self->search_key);
  self->search_key = g_steal_pointer (&key);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SEARCH_KEY]);
}

static gboolean
set_string (CqvUser *self, char **field, const char *value, guint prop_id)
{
  if (g_strcmp0 (*field, value) == 0)
    return FALSE;

  g_free (*field);
  *field = g_strdup (value);
  g_object_notify_by_pspec (G_OBJECT (self), properties[prop_id]);
  return TRUE;
}

static char *
build_sort_key (const char *text)
{
  g_autofree char *folded = g_utf8_casefold (text != NULL ? text : "", -1);

  return g_utf8_collate_key (folded, -1);
}

/* Compares like strcmp() over the first 8 bytes: a string that ends is padded with zeros. */
static guint64
sort_prefix (const char *key)
{
  guint64 prefix = 0;
  guint i = 0;

  for (; i < 8 && key[i] != '\0'; i++)
    prefix = (prefix << 8) | (guchar) key[i];
  return i == 0 ? 0 : prefix << (8 * (8 - i));
}

static void
cqv_user_constructed (GObject *object)
{
  CqvUser *self = CQV_USER (object);

  G_OBJECT_CLASS (cqv_user_parent_class)->constructed (object);

  /* Built once here, not from the construct-only setters, so a user costs one key and no
   * notification. */
  self->search_key = build_search_key (self);
  self->name_sort_key = build_sort_key (self->display_name);
  self->name_sort_prefix = sort_prefix (self->name_sort_key);
}

static void
cqv_user_finalize (GObject *object)
{
  CqvUser *self = (CqvUser *) object;

  g_clear_pointer (&self->id, g_free);
  g_clear_pointer (&self->display_name, g_free);
  g_clear_pointer (&self->upn, g_free);
  g_clear_pointer (&self->mail, g_free);
  g_clear_pointer (&self->job_title, g_free);
  g_clear_pointer (&self->department, g_free);
  g_clear_pointer (&self->search_key, g_free);
  g_clear_pointer (&self->name_sort_key, g_free);
  g_clear_pointer (&self->upn_sort_key, g_free);
  g_clear_pointer (&self->last_verified, g_date_time_unref);

  G_OBJECT_CLASS (cqv_user_parent_class)->finalize (object);
}

static void
cqv_user_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  CqvUser *self = CQV_USER (object);

  switch (prop_id)
    {
    case PROP_ID:
      g_value_set_string (value, self->id);
      break;
    case PROP_DISPLAY_NAME:
      g_value_set_string (value, self->display_name);
      break;
    case PROP_UPN:
      g_value_set_string (value, self->upn);
      break;
    case PROP_MAIL:
      g_value_set_string (value, self->mail);
      break;
    case PROP_JOB_TITLE:
      g_value_set_string (value, self->job_title);
      break;
    case PROP_DEPARTMENT:
      g_value_set_string (value, self->department);
      break;
    case PROP_USER_TYPE:
      g_value_set_enum (value, self->user_type);
      break;
    case PROP_SOURCE:
      g_value_set_enum (value, self->source);
      break;
    case PROP_ENABLED:
      g_value_set_boolean (value, self->enabled);
      break;
    case PROP_AUTHENTICATOR:
      g_value_set_enum (value, self->authenticator);
      break;
    case PROP_LAST_OUTCOME:
      g_value_set_enum (value, self->last_outcome);
      break;
    case PROP_LAST_VERIFIED:
      g_value_set_boxed (value, self->last_verified);
      break;
    case PROP_SEARCH_KEY:
      g_value_set_string (value, self->search_key);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cqv_user_set_property (GObject *object, guint prop_id, const GValue *value, GParamSpec *pspec)
{
  CqvUser *self = CQV_USER (object);

  switch (prop_id)
    {
    case PROP_ID:
      self->id = g_value_dup_string (value);
      break;
    case PROP_DISPLAY_NAME:
      self->display_name = g_value_dup_string (value);
      break;
    case PROP_UPN:
      self->upn = g_value_dup_string (value);
      break;
    case PROP_MAIL:
      cqv_user_set_mail (self, g_value_get_string (value));
      break;
    case PROP_JOB_TITLE:
      cqv_user_set_job_title (self, g_value_get_string (value));
      break;
    case PROP_DEPARTMENT:
      cqv_user_set_department (self, g_value_get_string (value));
      break;
    case PROP_USER_TYPE:
      cqv_user_set_user_type (self, g_value_get_enum (value));
      break;
    case PROP_SOURCE:
      cqv_user_set_source (self, g_value_get_enum (value));
      break;
    case PROP_ENABLED:
      cqv_user_set_enabled (self, g_value_get_boolean (value));
      break;
    case PROP_AUTHENTICATOR:
      cqv_user_set_authenticator (self, g_value_get_enum (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cqv_user_class_init (CqvUserClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->constructed = cqv_user_constructed;
  object_class->finalize = cqv_user_finalize;
  object_class->get_property = cqv_user_get_property;
  object_class->set_property = cqv_user_set_property;

  properties[PROP_ID] = g_param_spec_string (
    "id", NULL, NULL, NULL, G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_DISPLAY_NAME] =
    g_param_spec_string ("display-name", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_UPN] = g_param_spec_string (
    "upn", NULL, NULL, NULL, G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_MAIL] = g_param_spec_string ("mail", NULL, NULL, NULL,
                                               G_PARAM_READWRITE | G_PARAM_CONSTRUCT |
                                                 G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_JOB_TITLE] =
    g_param_spec_string ("job-title", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_DEPARTMENT] =
    g_param_spec_string ("department", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_USER_TYPE] =
    g_param_spec_enum ("user-type", NULL, NULL, CQV_TYPE_USER_TYPE, CQV_USER_TYPE_MEMBER,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SOURCE] =
    g_param_spec_enum ("source", NULL, NULL, CQV_TYPE_USER_SOURCE, CQV_USER_SOURCE_CLOUD,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_ENABLED] =
    g_param_spec_boolean ("enabled", NULL, NULL, TRUE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_AUTHENTICATOR] = g_param_spec_enum (
    "authenticator", NULL, NULL, CQV_TYPE_AUTHENTICATOR_STATE, CQV_AUTHENTICATOR_UNKNOWN,
    G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_LAST_OUTCOME] =
    g_param_spec_enum ("last-outcome", NULL, NULL, CQV_TYPE_OUTCOME_KIND, CQV_OUTCOME_NONE,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_LAST_VERIFIED] =
    g_param_spec_boxed ("last-verified", NULL, NULL, G_TYPE_DATE_TIME,
                        G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SEARCH_KEY] =
    g_param_spec_string ("search-key", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
cqv_user_init (CqvUser *self)
{
  self->enabled = TRUE;
  self->user_type = CQV_USER_TYPE_MEMBER;
  self->source = CQV_USER_SOURCE_CLOUD;
  self->authenticator = CQV_AUTHENTICATOR_UNKNOWN;
  self->last_outcome = CQV_OUTCOME_NONE;
}

CqvUser *
cqv_user_new (const char *id, const char *display_name, const char *upn)
{
  return g_object_new (CQV_TYPE_USER, "id", id, "display-name", display_name, "upn", upn, NULL);
}

/* With the mail known up front the search key is built once, not twice: it matters when a
 * directory of 100 000 users is created. */
CqvUser *
cqv_user_new_full (const char *id, const char *display_name, const char *upn, const char *mail)
{
  return g_object_new (CQV_TYPE_USER, "id", id, "display-name", display_name, "upn", upn, "mail",
                       mail, NULL);
}

const char *
cqv_user_get_id (CqvUser *self)
{
  g_return_val_if_fail (CQV_IS_USER (self), NULL);

  return self->id;
}

const char *
cqv_user_get_display_name (CqvUser *self)
{
  g_return_val_if_fail (CQV_IS_USER (self), NULL);

  return self->display_name;
}

const char *
cqv_user_get_upn (CqvUser *self)
{
  g_return_val_if_fail (CQV_IS_USER (self), NULL);

  return self->upn;
}

const char *
cqv_user_get_mail (CqvUser *self)
{
  g_return_val_if_fail (CQV_IS_USER (self), NULL);

  return self->mail;
}

void
cqv_user_set_mail (CqvUser *self, const char *mail)
{
  g_return_if_fail (CQV_IS_USER (self));

  if (set_string (self, &self->mail, mail, PROP_MAIL) && self->search_key != NULL)
    update_search_key (self);
}

const char *
cqv_user_get_job_title (CqvUser *self)
{
  g_return_val_if_fail (CQV_IS_USER (self), NULL);

  return self->job_title;
}

void
cqv_user_set_job_title (CqvUser *self, const char *job_title)
{
  g_return_if_fail (CQV_IS_USER (self));

  set_string (self, &self->job_title, job_title, PROP_JOB_TITLE);
}

const char *
cqv_user_get_department (CqvUser *self)
{
  g_return_val_if_fail (CQV_IS_USER (self), NULL);

  return self->department;
}

void
cqv_user_set_department (CqvUser *self, const char *department)
{
  g_return_if_fail (CQV_IS_USER (self));

  set_string (self, &self->department, department, PROP_DEPARTMENT);
}

CqvUserType
cqv_user_get_user_type (CqvUser *self)
{
  g_return_val_if_fail (CQV_IS_USER (self), CQV_USER_TYPE_MEMBER);

  return self->user_type;
}

void
cqv_user_set_user_type (CqvUser *self, CqvUserType user_type)
{
  g_return_if_fail (CQV_IS_USER (self));

  if (self->user_type == user_type)
    return;

  self->user_type = user_type;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_USER_TYPE]);
}

CqvUserSource
cqv_user_get_source (CqvUser *self)
{
  g_return_val_if_fail (CQV_IS_USER (self), CQV_USER_SOURCE_CLOUD);

  return self->source;
}

void
cqv_user_set_source (CqvUser *self, CqvUserSource source)
{
  g_return_if_fail (CQV_IS_USER (self));

  if (self->source == source)
    return;

  self->source = source;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SOURCE]);
}

gboolean
cqv_user_get_enabled (CqvUser *self)
{
  g_return_val_if_fail (CQV_IS_USER (self), FALSE);

  return self->enabled;
}

void
cqv_user_set_enabled (CqvUser *self, gboolean enabled)
{
  g_return_if_fail (CQV_IS_USER (self));

  enabled = !!enabled;
  if (self->enabled == enabled)
    return;

  self->enabled = enabled;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ENABLED]);
}

CqvAuthenticatorState
cqv_user_get_authenticator (CqvUser *self)
{
  g_return_val_if_fail (CQV_IS_USER (self), CQV_AUTHENTICATOR_UNKNOWN);

  return self->authenticator;
}

void
cqv_user_set_authenticator (CqvUser *self, CqvAuthenticatorState state)
{
  g_return_if_fail (CQV_IS_USER (self));

  if (self->authenticator == state)
    return;

  self->authenticator = state;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_AUTHENTICATOR]);
}

CqvOutcomeKind
cqv_user_get_last_outcome (CqvUser *self)
{
  g_return_val_if_fail (CQV_IS_USER (self), CQV_OUTCOME_NONE);

  return self->last_outcome;
}

GDateTime *
cqv_user_get_last_verified (CqvUser *self)
{
  g_return_val_if_fail (CQV_IS_USER (self), NULL);

  return self->last_verified;
}

void
cqv_user_set_last_verification (CqvUser *self, CqvOutcomeKind outcome, GDateTime *when)
{
  gboolean same_time;

  g_return_if_fail (CQV_IS_USER (self));

  g_object_freeze_notify (G_OBJECT (self));

  if (self->last_outcome != outcome)
    {
      self->last_outcome = outcome;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LAST_OUTCOME]);
    }

  same_time = self->last_verified == when || (self->last_verified != NULL && when != NULL &&
                                              g_date_time_equal (self->last_verified, when));
  if (!same_time)
    {
      g_clear_pointer (&self->last_verified, g_date_time_unref);
      if (when != NULL)
        self->last_verified = g_date_time_ref (when);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LAST_VERIFIED]);
    }

  g_object_thaw_notify (G_OBJECT (self));
}

const char *
cqv_user_get_search_key (CqvUser *self)
{
  g_return_val_if_fail (CQV_IS_USER (self), NULL);

  return self->search_key;
}

/* No type checks: a sort of 100 000 users compares ~2 million times. */
int
cqv_user_compare_names (CqvUser *a, CqvUser *b)
{
  if (a->name_sort_prefix != b->name_sort_prefix)
    return a->name_sort_prefix < b->name_sort_prefix ? -1 : 1;
  return strcmp (a->name_sort_key, b->name_sort_key);
}

int
cqv_user_compare_upns (CqvUser *a, CqvUser *b)
{
  if (G_UNLIKELY (a->upn_sort_key == NULL))
    a->upn_sort_key = build_sort_key (a->upn);
  if (G_UNLIKELY (b->upn_sort_key == NULL))
    b->upn_sort_key = build_sort_key (b->upn);
  return strcmp (a->upn_sort_key, b->upn_sort_key);
}

char *
cqv_fold_for_search (const char *text)
{
  GString *out;

  if (text == NULL)
    return g_strdup ("");

  out = g_string_sized_new (strlen (text));
  append_folded (out, text);
  return g_string_free (out, FALSE);
}

const char *
cqv_user_source_to_string (CqvUserSource source)
{
  switch (source)
    {
    case CQV_USER_SOURCE_CLOUD:
      return _("Cloud");
    case CQV_USER_SOURCE_SYNCED:
      return _("Synced");
    case CQV_USER_SOURCE_FORMERLY_SYNCED:
      return _("Formerly synced");
    default:
      g_return_val_if_reached (_("Unknown"));
    }
}

const char *
cqv_user_type_to_string (CqvUserType user_type)
{
  switch (user_type)
    {
    case CQV_USER_TYPE_MEMBER:
      return _("Member");
    case CQV_USER_TYPE_GUEST:
      return _("Guest");
    default:
      g_return_val_if_reached (_("Unknown"));
    }
}

const char *
cqv_authenticator_state_to_string (CqvAuthenticatorState state)
{
  switch (state)
    {
    case CQV_AUTHENTICATOR_CHECKING:
      return _("Checking…");
    case CQV_AUTHENTICATOR_REGISTERED:
      return _("Registered");
    case CQV_AUTHENTICATOR_NOT_REGISTERED:
      return _("Not registered");
    case CQV_AUTHENTICATOR_UNKNOWN:
    default:
      return _("Unknown");
    }
}
