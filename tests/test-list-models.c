/* SPDX-License-Identifier: GPL-3.0-or-later */

/* The list models under the users view: CqvUserList (an array), CqvUserFilterModel (search)
 * and CqvSlotModel with its CqvSlot (rows that stay put). No display: they are GIO models. */

#define G_LOG_DOMAIN "test-list-models"

#include "config.h"

#include <locale.h>

#include "cqv-slot-model.h"
#include "cqv-user-filter-model.h"
#include "cqv-user-list.h"

#define DEADLINE_S 10

typedef struct
{
  guint position;
  guint removed;
  guint added;
} Change;

static void
record_change_cb (GListModel *model, guint position, guint removed, guint added, GArray *changes)
{
  Change change = { position, removed, added };

  g_array_append_val (changes, change);
}

static GArray *
record_changes (gpointer model)
{
  GArray *changes = g_array_new (FALSE, FALSE, sizeof (Change));

  g_signal_connect (model, "items-changed", G_CALLBACK (record_change_cb), changes);
  return changes;
}

static void
assert_change (GArray *changes, guint index, guint position, guint removed, guint added)
{
  Change *change;

  g_assert_cmpuint (index, <, changes->len);
  change = &g_array_index (changes, Change, index);
  g_assert_cmpuint (change->position, ==, position);
  g_assert_cmpuint (change->removed, ==, removed);
  g_assert_cmpuint (change->added, ==, added);
}

static gboolean
spin_until (gboolean (*done) (gpointer), gpointer data)
{
  gint64 deadline = g_get_monotonic_time () + DEADLINE_S * G_USEC_PER_SEC;

  while (!done (data))
    {
      if (g_get_monotonic_time () > deadline)
        return FALSE;
      g_main_context_iteration (NULL, TRUE);
    }
  return TRUE;
}

static CqvUser *
new_user (const char *name)
{
  g_autofree char *upn = g_strdup_printf ("%s@contoso.example", name);
  g_autofree char *id = g_strdup_printf ("id-%s", name);

  return cqv_user_new_full (id, name, upn, NULL);
}

/* A user list of @names (NULL-terminated). */
static CqvUserList *
new_list (const char *const *names)
{
  CqvUserList *list = cqv_user_list_new ();
  g_autoptr (GPtrArray) users = g_ptr_array_new_with_free_func (g_object_unref);

  for (guint i = 0; names[i] != NULL; i++)
    g_ptr_array_add (users, new_user (names[i]));
  cqv_user_list_splice (list, 0, 0, (CqvUser **) users->pdata, users->len);
  return list;
}

static char *
names_of (GListModel *model)
{
  GString *names = g_string_new (NULL);
  guint n = g_list_model_get_n_items (model);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr (CqvUser) user = g_list_model_get_item (model, i);

      g_string_append_printf (names, "%s%s", i > 0 ? "|" : "", cqv_user_get_display_name (user));
    }
  return g_string_free (names, FALSE);
}

static void
assert_names (GListModel *model, const char *expected)
{
  g_autofree char *names = names_of (model);

  g_assert_cmpstr (names, ==, expected);
}

static void
test_user_list_splice (void)
{
  static const char *const names[] = { "Ann", "Bob", "Carla", NULL };
  CqvUserList *list = new_list (names);
  g_autoptr (GArray) changes = record_changes (list);
  g_autoptr (CqvUser) dan = new_user ("Dan");
  g_autoptr (CqvUser) eve = new_user ("Eve");
  CqvUser *added[] = { dan, eve };

  g_assert_true (g_list_model_get_item_type (G_LIST_MODEL (list)) == CQV_TYPE_USER);
  assert_names (G_LIST_MODEL (list), "Ann|Bob|Carla");

  cqv_user_list_splice (list, 1, 1, added, G_N_ELEMENTS (added));
  assert_names (G_LIST_MODEL (list), "Ann|Dan|Eve|Carla");
  assert_change (changes, 0, 1, 1, 2);

  cqv_user_list_splice (list, 4, 0, NULL, 0);
  g_assert_cmpuint (changes->len, ==, 1);
  g_assert_null (g_list_model_get_item (G_LIST_MODEL (list), 4));

  cqv_user_list_splice (list, 0, 4, NULL, 0);
  assert_change (changes, 1, 0, 4, 0);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, 0);

  /* The list let go of its users: only ours are left. */
  g_assert_cmpuint (G_OBJECT (dan)->ref_count, ==, 1);
  g_signal_handlers_disconnect_by_data (list, changes);
  g_assert_finalize_object (list);
}

static void
test_filter_search (void)
{
  static const char *const names[] = { "Ann Lee",   "bob Baker",     "José Álvarez",
                                       "Lena Lind", "Zoe Lindqvist", NULL };
  g_autoptr (CqvUserList) list = new_list (names);
  CqvUserFilterModel *filter = cqv_user_filter_model_new (G_LIST_MODEL (list));
  g_autoptr (GArray) changes = record_changes (filter);

  assert_names (G_LIST_MODEL (filter), "Ann Lee|bob Baker|José Álvarez|Lena Lind|Zoe Lindqvist");

  /* Case and accents do not matter; one change, from the first row that differs. */
  cqv_user_filter_model_set_search_text (filter, "JOSE");
  assert_names (G_LIST_MODEL (filter), "José Álvarez");
  g_assert_cmpuint (changes->len, ==, 1);
  assert_change (changes, 0, 0, 5, 1);

  cqv_user_filter_model_set_search_text (filter, "lind");
  assert_names (G_LIST_MODEL (filter), "Lena Lind|Zoe Lindqvist");

  assert_change (changes, 1, 0, 1, 2);

  /* Stricter: only the matches are looked at; the row that stays is not announced. */
  cqv_user_filter_model_set_search_text (filter, "lindq");
  assert_names (G_LIST_MODEL (filter), "Zoe Lindqvist");
  assert_change (changes, 2, 0, 1, 0);

  /* Every word must match, anywhere: name, UPN. */
  cqv_user_filter_model_set_search_text (filter, "lee contoso");
  assert_names (G_LIST_MODEL (filter), "Ann Lee");
  cqv_user_filter_model_set_search_text (filter, "lee nowhere");
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (filter)), ==, 0);

  cqv_user_filter_model_set_search_text (filter, "  ");
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (filter)), ==, 5);
  g_assert_cmpstr (cqv_user_filter_model_get_search_text (filter), ==, "  ");

  g_signal_handlers_disconnect_by_data (filter, changes);
  g_assert_finalize_object (filter);
}

static void
test_filter_source_changes (void)
{
  static const char *const names[] = { "Ann", "Bob", "Carla", "Dan", NULL };
  g_autoptr (CqvUserList) list = new_list (names);
  g_autoptr (CqvUserFilterModel) filter = cqv_user_filter_model_new (G_LIST_MODEL (list));
  g_autoptr (GArray) changes = record_changes (filter);
  g_autoptr (CqvUser) anna = new_user ("Anna");
  g_autoptr (CqvUser) bert = new_user ("Bert");
  CqvUser *added[] = { anna, bert };

  /* No search: changes pass through as they are. */
  cqv_user_list_splice (list, 1, 0, added, G_N_ELEMENTS (added));
  assert_change (changes, 0, 1, 0, 2);
  assert_names (G_LIST_MODEL (filter), "Ann|Anna|Bert|Bob|Carla|Dan");

  /* With a search, the matches before the change stay, those after move. */
  cqv_user_filter_model_set_search_text (filter, "an");
  assert_names (G_LIST_MODEL (filter), "Ann|Anna|Dan");
  g_array_set_size (changes, 0);
  cqv_user_list_splice (list, 2, 2, NULL, 0); /* Bert and Bob: no match changes */
  g_assert_cmpuint (changes->len, ==, 0);
  assert_names (G_LIST_MODEL (filter), "Ann|Anna|Dan");

  cqv_user_list_splice (list, 1, 1, NULL, 0); /* Anna */
  assert_change (changes, 0, 1, 1, 0);
  assert_names (G_LIST_MODEL (filter), "Ann|Dan");

  cqv_user_list_splice (list, 1, 0, added, G_N_ELEMENTS (added)); /* Anna and Bert again */
  assert_change (changes, 1, 1, 0, 1);
  assert_names (G_LIST_MODEL (filter), "Ann|Anna|Dan");
}

static gboolean
keys_ready (gpointer data)
{
  return cqv_user_filter_model_get_keys_ready (data);
}

static void
test_filter_keys (void)
{
  static const char *const names[] = { "Ann", "Bob", NULL };
  g_autoptr (CqvUserList) list = new_list (names);
  g_autoptr (CqvUserFilterModel) filter = cqv_user_filter_model_new (G_LIST_MODEL (list));
  g_autoptr (CqvUser) carla = new_user ("Carla");

  /* Copied out in the background once the list has been quiet... */
  g_assert_false (cqv_user_filter_model_get_keys_ready (filter));
  g_assert_true (spin_until (keys_ready, filter));

  /* ... again after it changes, and the search is right either way. */
  cqv_user_list_splice (list, 2, 0, &carla, 1);
  g_assert_false (cqv_user_filter_model_get_keys_ready (filter));
  cqv_user_filter_model_set_search_text (filter, "carla");
  assert_names (G_LIST_MODEL (filter), "Carla");
  g_assert_true (cqv_user_filter_model_get_keys_ready (filter));
}

static void
count_notify_cb (GObject *object, GParamSpec *pspec, guint *count)
{
  (*count)++;
}

static GObject *
slot_item (CqvSlotModel *slots, guint position)
{
  g_autoptr (CqvSlot) slot = g_list_model_get_item (G_LIST_MODEL (slots), position);

  return slot != NULL ? cqv_slot_get_item (slot) : NULL;
}

static void
test_slots_stay (void)
{
  static const char *const names[] = { "Ann", "Bob", "Carla", NULL };
  g_autoptr (CqvUserList) list = new_list (names);
  CqvSlotModel *slots = cqv_slot_model_new (G_LIST_MODEL (list));
  g_autoptr (GArray) changes = record_changes (slots);
  g_autoptr (CqvSlot) first = g_list_model_get_item (G_LIST_MODEL (slots), 0);
  g_autoptr (CqvSlot) again = g_list_model_get_item (G_LIST_MODEL (slots), 0);
  g_autoptr (CqvUser) dan = new_user ("Dan");
  guint notified = 0;
  CqvSlot *weak;

  g_assert_true (g_list_model_get_item_type (G_LIST_MODEL (slots)) == CQV_TYPE_SLOT);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (slots)), ==, 3);
  g_assert_true (first == again);
  g_assert_cmpuint (cqv_slot_get_position (first), ==, 0);
  g_assert_cmpstr (cqv_user_get_display_name (CQV_USER (cqv_slot_get_item (first))), ==, "Ann");
  g_signal_connect (first, "notify::item", G_CALLBACK (count_notify_cb), &notified);

  /* A user inserted at the top: the same slot shows it, the list grows at its end. */
  cqv_user_list_splice (list, 0, 0, &dan, 1);
  g_assert_cmpuint (notified, ==, 1);
  g_assert_true (cqv_slot_get_item (first) == G_OBJECT (dan));
  g_assert_cmpuint (changes->len, ==, 1);
  assert_change (changes, 0, 3, 0, 1);
  g_assert_cmpstr (cqv_user_get_display_name (CQV_USER (slot_item (slots, 3))), ==, "Carla");

  /* A slot nobody holds is made again when asked for. */
  weak = g_list_model_get_item (G_LIST_MODEL (slots), 2);
  g_object_add_weak_pointer (G_OBJECT (weak), (gpointer *) &weak);
  g_object_unref (weak);
  g_assert_null (weak);
  g_assert_cmpstr (cqv_user_get_display_name (CQV_USER (slot_item (slots, 2))), ==, "Bob");

  /* Shrinking: the list loses its end. */
  cqv_user_list_splice (list, 0, 3, NULL, 0);
  assert_change (changes, 1, 1, 3, 0);
  g_assert_cmpstr (cqv_user_get_display_name (CQV_USER (cqv_slot_get_item (first))), ==, "Carla");

  /* The model can go before the slots rows still hold. */
  g_signal_handlers_disconnect_by_data (slots, changes);
  g_assert_finalize_object (slots);
  g_assert_nonnull (cqv_slot_get_item (first));
  g_signal_handlers_disconnect_by_data (first, &notified);
}

static gboolean
slots_caught_up (gpointer data)
{
  CqvSlotModel *slots = data;

  return g_list_model_get_n_items (G_LIST_MODEL (slots)) ==
         g_list_model_get_n_items (cqv_slot_model_get_model (slots));
}

static void
test_slots_step (void)
{
  g_autoptr (CqvUserList) list = cqv_user_list_new ();
  g_autoptr (CqvSlotModel) slots = cqv_slot_model_new (G_LIST_MODEL (list));
  g_autoptr (GArray) changes = record_changes (slots);
  g_autoptr (GPtrArray) users = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr (CqvSlot) last = NULL;
  guint n = 0;

  for (guint i = 0; i < 1000; i++)
    {
      g_autofree char *name = g_strdup_printf ("User %04u", i);

      g_ptr_array_add (users, new_user (name));
    }

  /* Filling up: near the top a few rows at a time, then the rest at once. */
  cqv_user_list_splice (list, 0, 0, (CqvUser **) users->pdata, users->len);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (slots)), <, 50);
  g_assert_true (spin_until (slots_caught_up, slots));
  for (guint i = 0; i < changes->len; i++)
    {
      Change *change = &g_array_index (changes, Change, i);

      g_assert_cmpuint (change->position, ==, n);
      g_assert_cmpuint (change->removed, ==, 0);
      if (change->position + change->added < 200)
        g_assert_cmpuint (change->added, <=, 50);
      n += change->added;
    }
  g_assert_cmpuint (n, ==, 1000);
  g_assert_cmpuint (changes->len, >, 2);

  /* Emptying: first past the rows at once, then a few rows at a time; rows past the end of
   * the users show nobody meanwhile. */
  last = g_list_model_get_item (G_LIST_MODEL (slots), 100);
  g_array_set_size (changes, 0);
  cqv_user_list_splice (list, 0, 1000, NULL, 0);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (slots)), >, 100);
  g_assert_null (cqv_slot_get_item (last));
  g_assert_true (spin_until (slots_caught_up, slots));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (slots)), ==, 0);
  for (guint i = 1; i < changes->len; i++)
    g_assert_cmpuint (g_array_index (changes, Change, i).removed, <=, 50);
}

int
main (int argc, char *argv[])
{
  setlocale (LC_ALL, "");
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/cqv/list-models/user-list-splice", test_user_list_splice);
  g_test_add_func ("/cqv/list-models/filter-search", test_filter_search);
  g_test_add_func ("/cqv/list-models/filter-source-changes", test_filter_source_changes);
  g_test_add_func ("/cqv/list-models/filter-keys", test_filter_keys);
  g_test_add_func ("/cqv/list-models/slots-stay", test_slots_stay);
  g_test_add_func ("/cqv/list-models/slots-step", test_slots_step);

  return g_test_run ();
}
