/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <gtk/gtk.h>
#include <string.h>

#include "cqv-test-screenshot.h"
#include "cqv-test-text.h"
#include "cqv-sim-fixture.h"
#include "cqv-tenant-row-private.h"
#include "cqv-users-view-private.h"
#include "cqv-verify-dialog.h"

static gboolean
spin_until (gboolean (*condition) (gpointer), gpointer data)
{
  gint64 deadline = g_get_monotonic_time () + 20 * G_USEC_PER_SEC;

  while (!condition (data))
    {
      if (g_get_monotonic_time () > deadline)
        return FALSE;
      g_main_context_iteration (NULL, FALSE);
    }
  return TRUE;
}

static CqvUser *
make_user (const char *id, const char *name, const char *upn, const char *mail)
{
  CqvUser *user = cqv_user_new (id, name, upn);

  cqv_user_set_mail (user, mail);
  return user;
}

/* Five users with everything the columns show. */
static GListStore *
make_users (void)
{
  GListStore *store = g_list_store_new (CQV_TYPE_USER);
  g_autoptr (CqvUser) jose =
    make_user ("id-jose", "José Álvarez", "jalvarez@contoso.example", "pepe@contoso.example");
  g_autoptr (CqvUser) bob = make_user ("id-bob", "bob Baker", "bob@contoso.example", NULL);
  g_autoptr (CqvUser) carla = make_user ("id-carla", "Carla Cruz", "carla@contoso.example", NULL);
  g_autoptr (CqvUser) dan = make_user ("id-dan", "Dan Disabled", "dan@contoso.example", NULL);
  g_autoptr (CqvUser) guest =
    make_user ("id-guest", "Ann Guest", "ann_fabrikam.example#EXT#@contoso.example", NULL);
  g_autoptr (GDateTime) when = g_date_time_new_utc (2026, 3, 2, 10, 15, 0);
  g_autoptr (GDateTime) later = g_date_time_new_utc (2026, 3, 3, 9, 0, 0);

  cqv_user_set_job_title (jose, "Engineer");
  cqv_user_set_department (jose, "R&D");
  cqv_user_set_authenticator (jose, CQV_AUTHENTICATOR_REGISTERED);
  cqv_user_set_source (jose, CQV_USER_SOURCE_SYNCED);
  cqv_user_set_last_verification (jose, CQV_OUTCOME_APPROVED, when);
  cqv_user_set_authenticator (bob, CQV_AUTHENTICATOR_NOT_REGISTERED);
  cqv_user_set_last_verification (bob, CQV_OUTCOME_DENIED, later);
  cqv_user_set_authenticator (carla, CQV_AUTHENTICATOR_CHECKING);
  cqv_user_set_enabled (dan, FALSE);
  cqv_user_set_user_type (guest, CQV_USER_TYPE_GUEST);

  g_list_store_append (store, carla);
  g_list_store_append (store, jose);
  g_list_store_append (store, bob);
  g_list_store_append (store, guest);
  g_list_store_append (store, dan);
  return store;
}

typedef struct
{
  GtkWindow *window;
  CqvUsersView *view;
} Fixture;

static void
fixture_setup (Fixture *fx, gconstpointer data)
{
  fx->window = GTK_WINDOW (gtk_window_new ());
  fx->view = CQV_USERS_VIEW (cqv_users_view_new ());
  gtk_window_set_default_size (fx->window, 1100, 600);
  gtk_window_set_child (fx->window, GTK_WIDGET (fx->view));
  gtk_window_present (fx->window);
  gtk_test_widget_wait_for_draw (GTK_WIDGET (fx->window));
}

static void
fixture_teardown (Fixture *fx, gconstpointer data)
{
  gtk_window_destroy (fx->window);
}

static GListModel *
visible (Fixture *fx)
{
  return cqv_users_view_get_visible_model (fx->view);
}

static GtkSortListModel *
sort_model (Fixture *fx)
{
  return GTK_SORT_LIST_MODEL (
    cqv_user_filter_model_get_model (CQV_USER_FILTER_MODEL (visible (fx))));
}

static gboolean
models_settled (gpointer data)
{
  Fixture *fx = data;

  return gtk_sort_list_model_get_pending (sort_model (fx)) == 0;
}

static void
settle (Fixture *fx)
{
  g_assert_true (spin_until (models_settled, fx));
}

static char *
visible_names (Fixture *fx)
{
  GString *names = g_string_new (NULL);
  guint n = g_list_model_get_n_items (visible (fx));

  for (guint i = 0; i < n; i++)
    {
      g_autoptr (CqvUser) user = g_list_model_get_item (visible (fx), i);

      g_string_append_printf (names, "%s%s", i > 0 ? "|" : "", cqv_user_get_display_name (user));
    }
  return g_string_free (names, FALSE);
}

static void
assert_names (Fixture *fx, const char *expected)
{
  g_autofree char *names = NULL;

  settle (fx);
  names = visible_names (fx);
  g_assert_cmpstr (names, ==, expected);
}

static GtkColumnViewColumn *
get_column (Fixture *fx, guint index)
{
  GListModel *columns = gtk_column_view_get_columns (cqv_users_view_get_column_view (fx->view));
  g_autoptr (GtkColumnViewColumn) column = g_list_model_get_item (columns, index);

  return column;
}

static GtkWidget *
find_label (GtkWidget *widget, const char *text)
{
  return cqv_test_find_text (widget, text, FALSE);
}

typedef struct
{
  GtkWidget *widget;
  const char *text;
  gboolean prefix;
} TextWait;

static gboolean
text_shown (gpointer data)
{
  TextWait *wait = data;

  return cqv_test_find_text (wait->widget, wait->text, wait->prefix) != NULL;
}

static GtkWidget *
wait_for_text (GtkWidget *widget, const char *text, gboolean prefix)
{
  TextWait wait = { widget, text, prefix };

  g_assert_true (spin_until (text_shown, &wait));
  return cqv_test_find_text (widget, text, prefix);
}

static GtkWidget *
wait_for_label (GtkWidget *widget, const char *text)
{
  return wait_for_text (widget, text, FALSE);
}

static GtkWidget *
wait_for_label_prefix (GtkWidget *widget, const char *prefix)
{
  return wait_for_text (widget, prefix, TRUE);
}

static void
test_new_destroy (void)
{
  CqvUsersView *view = CQV_USERS_VIEW (cqv_users_view_new ());
  g_autoptr (GListStore) users = make_users ();
  GtkWidget *row = cqv_tenant_row_new ();
  g_autoptr (CqvTenant) tenant = cqv_tenant_new ("Contoso", "t", "c", CQV_CLOUD_GLOBAL);

  g_object_ref_sink (view);
  cqv_users_view_set_model (view, G_LIST_MODEL (users));
  cqv_users_view_set_search_text (view, "bob");
  g_assert_finalize_object (view);

  g_object_ref_sink (row);
  cqv_tenant_row_set_tenant (CQV_TENANT_ROW (row), tenant);
  g_assert_finalize_object (row);
}

static void
test_columns_and_sorting (Fixture *fx, gconstpointer data)
{
  g_autoptr (GListStore) users = make_users ();
  GtkColumnView *column_view = cqv_users_view_get_column_view (fx->view);
  const char *titles[] = { "Name",   "User principal name", "Job title · Department",
                           "Source", "Authenticator",       "Last verification" };

  g_assert_cmpuint (g_list_model_get_n_items (gtk_column_view_get_columns (column_view)), ==, 7);
  for (guint i = 0; i < G_N_ELEMENTS (titles); i++)
    {
      g_assert_cmpstr (gtk_column_view_column_get_title (get_column (fx, i)), ==, titles[i]);
      g_assert_nonnull (gtk_column_view_column_get_sorter (get_column (fx, i)));
    }
  /* The ⋮ column has no title and does not sort. */
  g_assert_null (gtk_column_view_column_get_sorter (get_column (fx, 6)));

  cqv_users_view_set_model (fx->view, G_LIST_MODEL (users));
  g_assert_cmpstr (cqv_users_view_get_page (fx->view), ==, "list");

  /* By name at first, ignoring case. */
  assert_names (fx, "Ann Guest|bob Baker|Carla Cruz|Dan Disabled|José Álvarez");
  gtk_column_view_sort_by_column (column_view, get_column (fx, 0), GTK_SORT_DESCENDING);
  assert_names (fx, "José Álvarez|Dan Disabled|Carla Cruz|bob Baker|Ann Guest");
  gtk_column_view_sort_by_column (column_view, get_column (fx, 1), GTK_SORT_ASCENDING);
  assert_names (fx, "Ann Guest|bob Baker|Carla Cruz|Dan Disabled|José Álvarez");
  /* Job title · Department: the only one with a job comes last. */
  gtk_column_view_sort_by_column (column_view, get_column (fx, 2), GTK_SORT_DESCENDING);
  settle (fx);
  {
    g_autoptr (CqvUser) first = g_list_model_get_item (visible (fx), 0);
    g_assert_cmpstr (cqv_user_get_display_name (first), ==, "José Álvarez");
  }
  /* Source: Cloud < Guest < Synced. */
  gtk_column_view_sort_by_column (column_view, get_column (fx, 3), GTK_SORT_DESCENDING);
  settle (fx);
  {
    g_autoptr (CqvUser) first = g_list_model_get_item (visible (fx), 0);
    g_autoptr (CqvUser) second = g_list_model_get_item (visible (fx), 1);
    g_assert_cmpstr (cqv_user_get_display_name (first), ==, "José Álvarez");
    g_assert_cmpstr (cqv_user_get_display_name (second), ==, "Ann Guest");
  }
  /* Authenticator: registered, not registered, checking, unknown. */
  gtk_column_view_sort_by_column (column_view, get_column (fx, 4), GTK_SORT_ASCENDING);
  settle (fx);
  {
    g_autoptr (CqvUser) first = g_list_model_get_item (visible (fx), 0);
    g_autoptr (CqvUser) second = g_list_model_get_item (visible (fx), 1);
    g_autoptr (CqvUser) third = g_list_model_get_item (visible (fx), 2);
    g_assert_cmpstr (cqv_user_get_display_name (first), ==, "José Álvarez");
    g_assert_cmpstr (cqv_user_get_display_name (second), ==, "bob Baker");
    g_assert_cmpstr (cqv_user_get_display_name (third), ==, "Carla Cruz");
  }
  /* Last verification, newest first. */
  gtk_column_view_sort_by_column (column_view, get_column (fx, 5), GTK_SORT_DESCENDING);
  settle (fx);
  {
    g_autoptr (CqvUser) first = g_list_model_get_item (visible (fx), 0);
    g_autoptr (CqvUser) second = g_list_model_get_item (visible (fx), 1);
    g_assert_cmpstr (cqv_user_get_display_name (first), ==, "bob Baker");
    g_assert_cmpstr (cqv_user_get_display_name (second), ==, "José Álvarez");
  }
}

/* Asks @widget for its tooltip as GTK does when the pointer rests on it. */
static gboolean
shows_tooltip (GtkWidget *widget)
{
  g_autoptr (GObject) tooltip = g_object_new (GTK_TYPE_TOOLTIP, NULL);
  gboolean shown = FALSE;

  g_assert_true (gtk_widget_get_has_tooltip (widget));
  g_signal_emit_by_name (widget, "query-tooltip", 1, 1, FALSE, tooltip, &shown);
  return shown;
}

static void
test_cells (Fixture *fx, gconstpointer data)
{
  g_autoptr (GListStore) users = make_users ();
  GtkWidget *root = GTK_WIDGET (fx->view);
  GtkWidget *label;
  g_autoptr (GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr (CqvUser) carla = g_list_model_get_item (G_LIST_MODEL (users), 0);

  cqv_users_view_set_model (fx->view, G_LIST_MODEL (users));
  settle (fx);

  wait_for_label (root, "Engineer · R&D");
  wait_for_label (root, "Synced");
  wait_for_label (root, "Registered");
  wait_for_label (root, "Not registered");
  wait_for_label (root, "Checking…");

  /* Disabled accounts are dimmed and say so; guests are marked. */
  label = wait_for_label (root, "Dan Disabled");
  g_assert_true (gtk_widget_has_css_class (label, "cqv-user-disabled"));
  g_assert_nonnull (wait_for_label (root, "Disabled"));
  label = wait_for_label (root, "Carla Cruz");
  g_assert_false (gtk_widget_has_css_class (label, "cqv-user-disabled"));
  label = wait_for_label (root, "Guest");
  g_assert_true (gtk_widget_has_css_class (label, "cqv-guest"));

  /* Last verification: outcome and when, updated when the user's record changes; the full
   * date is in a tooltip made when GTK asks for it. */
  label = wait_for_label_prefix (root, "Approved · ");
  g_assert_nonnull (label);
  g_assert_true (shows_tooltip (label));
  g_assert_nonnull (wait_for_label_prefix (root, "Denied · "));
  cqv_user_set_last_verification (carla, CQV_OUTCOME_FRAUD_REPORTED, now);
  gtk_test_widget_wait_for_draw (GTK_WIDGET (fx->window));
  cqv_test_save_screenshot (GTK_WIDGET (fx->window), "users-view-cells.png");
  {
    g_autoptr (GDateTime) local = g_date_time_to_local (now);
    g_autofree char *text = g_date_time_format (local, "Fraud · %H:%M");

    wait_for_label (root, text);
  }
  /* Earlier this year: the day of the month without padding ("Jan 2", not "Jan  2"). */
  {
    g_autoptr (GDateTime) local_now = g_date_time_to_local (now);
    int day = g_date_time_get_day_of_year (local_now) == 2 ? 3 : 2;
    g_autoptr (GDateTime) early =
      g_date_time_new_local (g_date_time_get_year (local_now), 1, day, 9, 30, 0);
    g_autofree char *text = g_strdup_printf ("Fraud · Jan %d, 09:30", day);

    cqv_user_set_last_verification (carla, CQV_OUTCOME_FRAUD_REPORTED, early);
    wait_for_label (root, text);
  }
}

static void
test_search (Fixture *fx, gconstpointer data)
{
  g_autoptr (GListStore) users = make_users ();
  GtkWidget *label;

  cqv_users_view_set_model (fx->view, G_LIST_MODEL (users));

  /* Name, without accents or case. */
  cqv_users_view_set_search_text (fx->view, "jose");
  assert_names (fx, "José Álvarez");
  cqv_users_view_set_search_text (fx->view, "JOSÉ ÁLV");
  assert_names (fx, "José Álvarez");
  cqv_users_view_set_search_text (fx->view, "alvarez jose");
  assert_names (fx, "José Álvarez");
  /* UPN and mail. */
  cqv_users_view_set_search_text (fx->view, "JALVAREZ@");
  assert_names (fx, "José Álvarez");
  cqv_users_view_set_search_text (fx->view, "pepe@contoso");
  assert_names (fx, "José Álvarez");
  /* Fewer letters: less strict. */
  cqv_users_view_set_search_text (fx->view, "a");
  assert_names (fx, "Ann Guest|bob Baker|Carla Cruz|Dan Disabled|José Álvarez");
  cqv_users_view_set_search_text (fx->view, "an");
  assert_names (fx, "Ann Guest|Dan Disabled");
  g_assert_cmpstr (cqv_users_view_get_page (fx->view), ==, "list");

  /* No match: a placeholder that says what was searched. */
  cqv_users_view_set_search_text (fx->view, "zzz");
  assert_names (fx, "");
  g_assert_cmpstr (cqv_users_view_get_page (fx->view), ==, "no-match");
  label = wait_for_label (GTK_WIDGET (fx->view), "No users match “zzz”");
  g_assert_nonnull (label);
  /* It lies over the empty list, which stays on screen (faster to fill again). */
  g_assert_cmpfloat (gtk_widget_get_opacity (gtk_widget_get_parent (label)), ==, 1.0);
  g_assert_true (gtk_widget_get_mapped (GTK_WIDGET (cqv_users_view_get_column_view (fx->view))));
  gtk_test_widget_wait_for_draw (GTK_WIDGET (fx->window));
  cqv_test_save_screenshot (GTK_WIDGET (fx->window), "users-view-no-match.png");

  cqv_users_view_set_search_text (fx->view, "");
  assert_names (fx, "Ann Guest|bob Baker|Carla Cruz|Dan Disabled|José Álvarez");
  g_assert_cmpstr (cqv_users_view_get_page (fx->view), ==, "list");
  g_assert_cmpfloat (gtk_widget_get_opacity (gtk_widget_get_parent (label)), ==, 0.0);
}

static void
test_search_100k (Fixture *fx, gconstpointer data)
{
  g_autoptr (GListStore) store = g_list_store_new (CQV_TYPE_USER);
  g_autoptr (GPtrArray) items = g_ptr_array_new_with_free_func (g_object_unref);
  guint expected = 0;

  for (guint i = 0; i < 100000; i++)
    {
      g_autofree char *id = g_strdup_printf ("id-%u", i);
      g_autofree char *name = g_strdup_printf ("Person %u", i);
      g_autofree char *upn = g_strdup_printf ("p%u@contoso.example", i);
      g_autofree char *number = g_strdup_printf ("%u", i);

      g_ptr_array_add (items, cqv_user_new (id, name, upn));
      if (strstr (number, "4242") != NULL)
        expected++;
    }
  g_list_store_splice (store, 0, 0, items->pdata, items->len);
  cqv_users_view_set_model (fx->view, G_LIST_MODEL (store));
  settle (fx);
  g_assert_cmpuint (g_list_model_get_n_items (visible (fx)), ==, 100000);

  /* The search applies at once, without waiting for the main loop. */
  cqv_users_view_set_search_text (fx->view, "4242");
  g_assert_cmpuint (g_list_model_get_n_items (visible (fx)), ==, expected);

  /* One more letter is stricter (only the matches are looked at again): still right. */
  cqv_users_view_set_search_text (fx->view, "42421");
  g_assert_cmpuint (g_list_model_get_n_items (visible (fx)), ==, 1);

  cqv_users_view_set_search_text (fx->view, "person 4242");
  g_assert_cmpuint (g_list_model_get_n_items (visible (fx)), ==, expected);

  /* Fewer letters again: everyone is looked at. */
  cqv_users_view_set_search_text (fx->view, "");
  g_assert_cmpuint (g_list_model_get_n_items (visible (fx)), ==, 100000);
}

static void
test_row_menu_model (Fixture *fx, gconstpointer data)
{
  GMenuModel *menu = cqv_users_view_get_row_menu_model (fx->view);
  struct
  {
    const char *label;
    const char *action;
  } expected[] = {
    { "_Verify User Identity…", "users.verify" },
    { "Authenticator _Setup Checklist…", "users.setup-checklist" },
    { "_Copy User Principal Name", "users.copy-upn" },
    { "_Open in Entra Admin Center", "users.open-entra" },
  };
  guint k = 0;

  g_assert_nonnull (menu);
  g_assert_cmpint (g_menu_model_get_n_items (menu), ==, 2);
  for (int s = 0; s < g_menu_model_get_n_items (menu); s++)
    {
      g_autoptr (GMenuModel) section = g_menu_model_get_item_link (menu, s, G_MENU_LINK_SECTION);

      for (int i = 0; i < g_menu_model_get_n_items (section); i++, k++)
        {
          g_autofree char *label = NULL;
          g_autofree char *action = NULL;
          g_autoptr (GVariant) target =
            g_menu_model_get_item_attribute_value (section, i, G_MENU_ATTRIBUTE_TARGET, NULL);

          g_assert_cmpuint (k, <, G_N_ELEMENTS (expected));
          g_assert_true (
            g_menu_model_get_item_attribute (section, i, G_MENU_ATTRIBUTE_LABEL, "s", &label));
          g_assert_true (
            g_menu_model_get_item_attribute (section, i, G_MENU_ATTRIBUTE_ACTION, "s", &action));
          g_assert_cmpstr (label, ==, expected[k].label);
          g_assert_cmpstr (action, ==, expected[k].action);
          /* The actions act on the selection: no per-row target. */
          g_assert_null (target);
        }
    }
  g_assert_cmpuint (k, ==, G_N_ELEMENTS (expected));
}

static GtkWidget *
find_menu_item (GtkWidget *popover, const char *label)
{
  GtkWidget *found = find_label (popover, label);

  return found != NULL ? gtk_widget_get_parent (found) : NULL;
}

static gboolean
popover_shown (gpointer data)
{
  return gtk_widget_get_mapped (GTK_WIDGET (data));
}

static gboolean
find_secondary_gesture (GtkWidget *widget, GtkGesture **gesture)
{
  g_autoptr (GListModel) controllers = gtk_widget_observe_controllers (widget);

  for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
    {
      g_autoptr (GObject) controller = g_list_model_get_item (controllers, i);

      if (GTK_IS_GESTURE_CLICK (controller) &&
          gtk_gesture_single_get_button (GTK_GESTURE_SINGLE (controller)) == GDK_BUTTON_SECONDARY)
        {
          *gesture = GTK_GESTURE (controller);
          return TRUE;
        }
    }
  return FALSE;
}

static void
test_right_click_selects (Fixture *fx, gconstpointer data)
{
  g_autoptr (GListStore) users = make_users ();
  GtkPopover *popover = cqv_users_view_get_row_menu (fx->view);
  GtkWidget *label;
  GtkWidget *item;
  GtkGesture *gesture = NULL;
  CqvUser *selected;

  cqv_users_view_set_model (fx->view, G_LIST_MODEL (users));
  settle (fx);
  g_assert_null (cqv_users_view_get_selected_user (fx->view));

  /* The gesture on a cell (Carla's UPN): it selects the row, then opens the menu. */
  label = wait_for_label (GTK_WIDGET (fx->view), "carla@contoso.example");
  g_assert_true (find_secondary_gesture (label, &gesture));
  g_signal_emit_by_name (gesture, "pressed", 1, 4.0, 4.0);
  selected = cqv_users_view_get_selected_user (fx->view);
  g_assert_nonnull (selected);
  g_assert_cmpstr (cqv_user_get_upn (selected), ==, "carla@contoso.example");
  g_assert_true (spin_until (popover_shown, popover));

  /* What the menu shows: Verify needs a tenant; the checklist is not built yet. */
  item = find_menu_item (GTK_WIDGET (popover), "Authenticator _Setup Checklist…");
  if (item == NULL)
    item = find_menu_item (GTK_WIDGET (popover), "Authenticator Setup Checklist…");
  g_assert_nonnull (item);
  g_assert_false (gtk_widget_is_sensitive (item));
  item = find_menu_item (GTK_WIDGET (popover), "Copy User Principal Name");
  if (item == NULL)
    item = find_menu_item (GTK_WIDGET (popover), "_Copy User Principal Name");
  g_assert_nonnull (item);
  g_assert_true (gtk_widget_is_sensitive (item));
  gtk_popover_popdown (popover);

  /* The same function for the ⋮ button and the Menu key, by position in the visible list. */
  cqv_users_view_popup_row_menu (fx->view, 4, NULL, 0, 0);
  selected = cqv_users_view_get_selected_user (fx->view);
  g_assert_cmpstr (cqv_user_get_display_name (selected), ==, "José Álvarez");
  g_assert_true (spin_until (popover_shown, popover));
  gtk_popover_popdown (popover);

  /* Shift+F10 / Menu: the action opens it for the selection. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fx->view), "users.popup-menu", NULL));
  g_assert_true (spin_until (popover_shown, popover));
  gtk_popover_popdown (popover);
}

typedef struct
{
  char *text;
  gboolean done;
} ReadText;

static void
clipboard_read_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  ReadText *read = user_data;
  g_autoptr (GError) error = NULL;

  read->text = gdk_clipboard_read_text_finish (GDK_CLIPBOARD (object), result, &error);
  g_assert_no_error (error);
  read->done = TRUE;
}

static gboolean
read_done (gpointer data)
{
  return ((ReadText *) data)->done;
}

static void
test_copy_upn (Fixture *fx, gconstpointer data)
{
  g_autoptr (GListStore) users = make_users ();
  g_autoptr (CqvUser) jose = g_list_model_get_item (G_LIST_MODEL (users), 1);
  ReadText read = { NULL, FALSE };

  cqv_users_view_set_model (fx->view, G_LIST_MODEL (users));
  settle (fx);
  cqv_users_view_select_user (fx->view, jose);
  g_assert_true (cqv_users_view_get_selected_user (fx->view) == jose);

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fx->view), "users.copy-upn", NULL));
  gdk_clipboard_read_text_async (gtk_widget_get_clipboard (GTK_WIDGET (fx->view)), NULL,
                                 clipboard_read_cb, &read);
  g_assert_true (spin_until (read_done, &read));
  g_assert_cmpstr (read.text, ==, "jalvarez@contoso.example");
  g_free (read.text);
}

static void
test_entra_url (void)
{
  g_autofree char *global = cqv_users_view_build_entra_url (CQV_CLOUD_GLOBAL, "0f1e2d3c-id");
  g_autofree char *usgov = cqv_users_view_build_entra_url (CQV_CLOUD_USGOV, "abc");

  g_assert_cmpstr (global, ==,
                   "https://entra.microsoft.com/#view/Microsoft_AAD_UsersAndTenants/"
                   "UserProfileMenuBlade/~/overview/userId/0f1e2d3c-id");
  g_assert_true (g_str_has_prefix (usgov, "https://entra.microsoft.us/#view/"));
  g_assert_true (g_str_has_suffix (usgov, "/userId/abc"));
}

static CqvTenantContext *
make_context (CqvTenant *tenant)
{
  g_autoptr (CqvSecretStore) store = cqv_secret_store_new_in_memory ();
  g_autoptr (CqvHttpClient) http = cqv_http_client_new ();
  g_autoptr (CqvTokenProvider) tokens = cqv_token_provider_new (http);

  return cqv_tenant_context_new (tenant, store, http, tokens);
}

static GtkWindow *
find_verify_dialog (void)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr (GtkWindow) window = g_list_model_get_item (toplevels, i);

      if (CQV_IS_VERIFY_DIALOG (window) && gtk_widget_get_mapped (GTK_WIDGET (window)))
        return window;
    }
  return NULL;
}

static gboolean
verify_dialog_shown (gpointer data)
{
  return find_verify_dialog () != NULL;
}

static gboolean
verify_dialog_gone (gpointer data)
{
  return find_verify_dialog () == NULL;
}

static void
test_verify_opens_dialog (Fixture *fx, gconstpointer data)
{
  g_autoptr (GListStore) users = make_users ();
  g_autoptr (CqvUser) jose = g_list_model_get_item (G_LIST_MODEL (users), 1);
  g_autoptr (CqvTenant) tenant =
    cqv_tenant_new ("Contoso", SIM_TENANT_ID, SIM_APP_ID, CQV_CLOUD_GLOBAL);
  g_autoptr (CqvTenantContext) context = make_context (tenant);
  GtkWindow *dialog;
  guint position;

  cqv_users_view_set_model (fx->view, G_LIST_MODEL (users));
  settle (fx);
  cqv_users_view_select_user (fx->view, jose);

  /* Without a tenant there is nobody to ask. */
  g_assert_null (cqv_users_view_get_context (fx->view));
  gtk_widget_activate_action (GTK_WIDGET (fx->view), "users.verify", NULL);
  g_assert_null (find_verify_dialog ());

  cqv_users_view_set_context (fx->view, context);
  cqv_users_view_set_model (fx->view, G_LIST_MODEL (users));
  settle (fx);
  cqv_users_view_select_user (fx->view, jose);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fx->view), "users.verify", NULL));
  g_assert_true (spin_until (verify_dialog_shown, NULL));
  dialog = find_verify_dialog ();
  g_assert_true (cqv_verify_dialog_get_user (CQV_VERIFY_DIALOG (dialog)) == jose);
  g_assert_true (gtk_window_get_transient_for (dialog) == fx->window);
  g_assert_true (gtk_window_get_modal (dialog));
  gtk_window_destroy (dialog);
  g_assert_true (spin_until (verify_dialog_gone, NULL));

  /* Enter on a row (the column view's activate) verifies that row. */
  cqv_users_view_select_user (fx->view, NULL);
  position = 4; /* José Álvarez, sorted by name */
  g_signal_emit_by_name (cqv_users_view_get_column_view (fx->view), "activate", position);
  g_assert_true (spin_until (verify_dialog_shown, NULL));
  dialog = find_verify_dialog ();
  g_assert_cmpstr (
    cqv_user_get_display_name (cqv_verify_dialog_get_user (CQV_VERIFY_DIALOG (dialog))), ==,
    "José Álvarez");
  gtk_window_destroy (dialog);
  g_assert_true (spin_until (verify_dialog_gone, NULL));
}

static void
test_placeholders (Fixture *fx, gconstpointer data)
{
  g_autoptr (GListStore) empty = g_list_store_new (CQV_TYPE_USER);
  g_autoptr (GListStore) users = make_users ();
  g_autoptr (CqvTenant) tenant =
    cqv_tenant_new ("Contoso", SIM_TENANT_ID, SIM_APP_ID, CQV_CLOUD_GLOBAL);
  g_autoptr (CqvTenantContext) context = make_context (tenant);
  g_autoptr (GError) error =
    g_error_new_literal (G_IO_ERROR, G_IO_ERROR_FAILED, "No app secret is stored for Contoso.");
  GtkWidget *retry;

  g_assert_cmpstr (cqv_users_view_get_page (fx->view), ==, "empty");
  cqv_users_view_set_model (fx->view, G_LIST_MODEL (empty));
  g_assert_cmpstr (cqv_users_view_get_page (fx->view), ==, "empty");

  /* A tenant whose directory has not loaded yet. */
  cqv_users_view_set_context (fx->view, context);
  g_assert_cmpstr (cqv_users_view_get_page (fx->view), ==, "loading");
  g_assert_true (cqv_users_view_get_model (fx->view) ==
                 cqv_directory_get_users (cqv_tenant_context_get_directory (context)));

  /* A problem of the tenant, with Retry for that tenant. */
  cqv_users_view_set_error (fx->view, error);
  g_assert_cmpstr (cqv_users_view_get_page (fx->view), ==, "error");
  wait_for_label (GTK_WIDGET (fx->view), "No app secret is stored for Contoso.");
  retry = gtk_widget_get_parent (wait_for_label (GTK_WIDGET (fx->view), "_Retry"));
  g_assert_true (GTK_IS_BUTTON (retry));
  g_assert_cmpstr (gtk_actionable_get_action_name (GTK_ACTIONABLE (retry)), ==, "win.retry-tenant");
  g_assert_cmpstr (
    g_variant_get_string (gtk_actionable_get_action_target_value (GTK_ACTIONABLE (retry)), NULL),
    ==, "Contoso");
  cqv_users_view_set_error (fx->view, NULL);
  g_assert_cmpstr (cqv_users_view_get_page (fx->view), ==, "loading");

  cqv_users_view_set_model (fx->view, G_LIST_MODEL (users));
  settle (fx);
  g_assert_cmpstr (cqv_users_view_get_page (fx->view), ==, "list");
  cqv_users_view_set_context (fx->view, NULL);
  g_assert_null (cqv_users_view_get_model (fx->view));
  g_assert_cmpstr (cqv_users_view_get_page (fx->view), ==, "empty");
}

static void
test_tenant_row_states (void)
{
  GtkWindow *window = GTK_WINDOW (gtk_window_new ());
  CqvTenantRow *row = CQV_TENANT_ROW (cqv_tenant_row_new ());
  g_autoptr (CqvTenant) tenant = cqv_tenant_new ("Fabrikam", "t", "c", CQV_CLOUD_GLOBAL);
  g_autoptr (GError) error =
    g_error_new_literal (G_IO_ERROR, G_IO_ERROR_FAILED, "No app secret\nAdd it in settings.");
  GtkWidget *retry = cqv_tenant_row_get_retry_button (row);

  gtk_window_set_child (window, GTK_WIDGET (row));
  cqv_tenant_row_set_tenant (row, tenant);
  gtk_window_present (window);
  gtk_test_widget_wait_for_draw (GTK_WIDGET (window));

  /* Not opened yet: just the name. */
  g_assert_cmpstr (cqv_tenant_row_get_status_text (row), ==, "");
  g_assert_false (gtk_widget_get_visible (retry));

  cqv_tenant_row_show_state (row, CQV_DIRECTORY_STATE_LOADING, 0, -1, NULL);
  g_assert_cmpstr (cqv_tenant_row_get_status_text (row), ==, "Loading users…");
  g_assert_true (cqv_tenant_row_get_spinning (row));
  cqv_tenant_row_show_state (row, CQV_DIRECTORY_STATE_LOADING, 1998, -1, NULL);
  g_assert_cmpstr (cqv_tenant_row_get_status_text (row), ==, "1998 users so far");
  g_assert_true (cqv_tenant_row_get_spinning (row));
  g_assert_false (gtk_widget_get_visible (retry));

  cqv_tenant_row_show_state (row, CQV_DIRECTORY_STATE_READY, 2000, 1500, NULL);
  g_assert_cmpstr (cqv_tenant_row_get_status_text (row), ==,
                   "2000 users · 1500 with Authenticator");
  g_assert_false (cqv_tenant_row_get_spinning (row));
  cqv_tenant_row_show_state (row, CQV_DIRECTORY_STATE_READY, 1, -1, NULL);
  g_assert_cmpstr (cqv_tenant_row_get_status_text (row), ==, "1 user");

  cqv_tenant_row_show_state (row, CQV_DIRECTORY_STATE_ERROR, 0, -1, "Graph said no\nDetails");
  g_assert_cmpstr (cqv_tenant_row_get_status_text (row), ==, "Graph said no");
  g_assert_true (gtk_widget_get_visible (retry));
  g_assert_false (cqv_tenant_row_get_spinning (row));

  /* A problem before the directory could load wins over the directory. */
  cqv_tenant_row_set_error (row, error);
  g_assert_cmpstr (cqv_tenant_row_get_status_text (row), ==, "No app secret");
  g_assert_true (gtk_widget_get_visible (retry));
  g_assert_cmpstr (gtk_actionable_get_action_name (GTK_ACTIONABLE (retry)), ==, "win.retry-tenant");
  g_assert_cmpstr (
    g_variant_get_string (gtk_actionable_get_action_target_value (GTK_ACTIONABLE (retry)), NULL),
    ==, "Fabrikam");
  cqv_tenant_row_set_error (row, NULL);
  g_assert_cmpstr (cqv_tenant_row_get_status_text (row), ==, "");

  gtk_window_destroy (window);
}

typedef struct
{
  CqvDirectory *directory;
  CqvDirectoryState state;
} WaitState;

static gboolean
directory_in_state (gpointer data)
{
  WaitState *wait = data;

  return cqv_directory_get_state (wait->directory) == wait->state;
}

/* A real directory, loaded from the simulator, drives the row. */
static void
test_tenant_row_directory (void)
{
  g_autofree char *ann = sim_user_json ("ann", "approve", NULL);
  g_autofree char *ben = sim_user_json ("ben", "approve", NULL);
  g_autofree char *cid = sim_user_json ("cid", "approve", NULL);
  g_autofree char *users = g_strdup_printf ("%s, %s, %s", ann, ben, cid);
  g_autofree char *scenario = sim_scenario_json (0, NULL, NULL, users);
  SimFixture *sim = sim_fixture_start (scenario);
  g_autoptr (CqvTenant) tenant =
    cqv_tenant_new ("Contoso", SIM_TENANT_ID, SIM_APP_ID, CQV_CLOUD_GLOBAL);
  g_autoptr (CqvTenant) broken =
    cqv_tenant_new ("Broken", SIM_TENANT_ID, SIM_APP_ID, CQV_CLOUD_GLOBAL);
  g_autoptr (CqvTenantContext) context = NULL;
  g_autoptr (CqvTenantContext) broken_context = NULL;
  CqvTenantRow *row = CQV_TENANT_ROW (cqv_tenant_row_new ());
  WaitState wait;

  g_object_ref_sink (row);
  cqv_tenant_set_login_url (tenant, sim->base_url);
  cqv_tenant_set_graph_url (tenant, sim->base_url);
  cqv_tenant_set_mfa_url (tenant, sim->base_url);
  context = make_context (tenant);
  cqv_tenant_context_set_app_secret (context, SIM_APP_SECRET);
  cqv_tenant_row_set_tenant (row, tenant);
  cqv_tenant_row_set_directory (row, cqv_tenant_context_get_directory (context));
  g_assert_cmpstr (cqv_tenant_row_get_status_text (row), ==, "Loading users…");

  cqv_directory_load_async (cqv_tenant_context_get_directory (context), NULL, NULL, NULL);
  wait.directory = cqv_tenant_context_get_directory (context);
  wait.state = CQV_DIRECTORY_STATE_READY;
  g_assert_true (spin_until (directory_in_state, &wait));
  g_assert_true (g_str_has_prefix (cqv_tenant_row_get_status_text (row), "3 users"));
  g_assert_false (cqv_tenant_row_get_spinning (row));

  /* Nothing listens where the broken tenant points. */
  cqv_tenant_set_login_url (broken, "http://127.0.0.1:9/");
  cqv_tenant_set_graph_url (broken, "http://127.0.0.1:9/");
  cqv_tenant_set_mfa_url (broken, "http://127.0.0.1:9/");
  broken_context = make_context (broken);
  cqv_tenant_context_set_app_secret (broken_context, SIM_APP_SECRET);
  cqv_tenant_row_set_tenant (row, broken);
  cqv_tenant_row_set_directory (row, cqv_tenant_context_get_directory (broken_context));
  cqv_directory_load_async (cqv_tenant_context_get_directory (broken_context), NULL, NULL, NULL);
  wait.directory = cqv_tenant_context_get_directory (broken_context);
  wait.state = CQV_DIRECTORY_STATE_ERROR;
  g_assert_true (spin_until (directory_in_state, &wait));
  g_assert_cmpstr (cqv_tenant_row_get_status_text (row), !=, "");
  g_assert_true (gtk_widget_get_visible (cqv_tenant_row_get_retry_button (row)));

  g_assert_finalize_object (row);
  sim_fixture_stop (sim);
}

typedef struct
{
  Fixture *fx;
  CqvDirectory *directory;
} LoadWait;

static gboolean
all_users_shown (gpointer data)
{
  LoadWait *wait = data;

  return cqv_directory_get_state (wait->directory) == CQV_DIRECTORY_STATE_READY &&
         g_list_model_get_n_items (visible (wait->fx)) ==
           g_list_model_get_n_items (cqv_directory_get_users (wait->directory)) &&
         models_settled (wait->fx);
}

static gboolean
some_pages_shown (gpointer data)
{
  LoadWait *wait = data;

  return g_list_model_get_n_items (visible (wait->fx)) > 999 ||
         cqv_directory_get_state (wait->directory) != CQV_DIRECTORY_STATE_LOADING;
}

/* Every user of the directory is a row once, and the rows are in name order. */
static void
assert_rows_are_the_directory (Fixture *fx, CqvDirectory *directory)
{
  GListModel *users = cqv_directory_get_users (directory);
  GListModel *rows = visible (fx);
  g_autoptr (GHashTable) in_directory = g_hash_table_new (NULL, NULL);
  g_autoptr (GHashTable) shown = g_hash_table_new (NULL, NULL);
  g_autoptr (CqvUser) previous = NULL;

  for (guint i = 0; i < g_list_model_get_n_items (users); i++)
    {
      g_autoptr (CqvUser) user = g_list_model_get_item (users, i);

      g_hash_table_add (in_directory, user);
    }
  g_assert_cmpuint (g_list_model_get_n_items (rows), ==, g_list_model_get_n_items (users));
  for (guint i = 0; i < g_list_model_get_n_items (rows); i++)
    {
      g_autoptr (CqvUser) user = g_list_model_get_item (rows, i);

      g_assert_true (g_hash_table_contains (in_directory, user));
      g_assert_true (g_hash_table_add (shown, user));
      if (previous != NULL)
        g_assert_cmpint (cqv_user_compare_names (previous, user), <=, 0);
      g_set_object (&previous, user);
    }
}

/* While a directory loads, its pages join the rows in batches sorted on a worker thread; a
 * reload in the middle of that replaces them all. */
static void
test_directory_load (Fixture *fx, gconstpointer data)
{
  g_autofree char *scenario = sim_scenario_json (
    0, ", \"generate\": {\"count\": 12000, \"seed\": 3, \"authenticator_ratio\": 0.7}", NULL, NULL);
  SimFixture *sim = sim_fixture_start (scenario);
  g_autoptr (CqvTenant) tenant =
    cqv_tenant_new ("Contoso", SIM_TENANT_ID, SIM_APP_ID, CQV_CLOUD_GLOBAL);
  g_autoptr (CqvTenantContext) context = NULL;
  LoadWait wait = { fx, NULL };

  cqv_tenant_set_login_url (tenant, sim->base_url);
  cqv_tenant_set_graph_url (tenant, sim->base_url);
  cqv_tenant_set_mfa_url (tenant, sim->base_url);
  context = make_context (tenant);
  cqv_tenant_context_set_app_secret (context, SIM_APP_SECRET);
  wait.directory = cqv_tenant_context_get_directory (context);
  cqv_users_view_set_context (fx->view, context);

  cqv_directory_load_async (wait.directory, NULL, NULL, NULL);
  g_assert_true (spin_until (all_users_shown, &wait));
  g_assert_cmpuint (g_list_model_get_n_items (visible (fx)), ==, 12000);
  assert_rows_are_the_directory (fx, wait.directory);

  /* Reloaded after some pages are rows: the new load's users replace the old ones. */
  cqv_directory_load_async (wait.directory, NULL, NULL, NULL);
  g_assert_true (spin_until (some_pages_shown, &wait));
  cqv_directory_load_async (wait.directory, NULL, NULL, NULL);
  g_assert_true (spin_until (all_users_shown, &wait));
  assert_rows_are_the_directory (fx, wait.directory);

  cqv_users_view_set_context (fx->view, NULL);
  sim_fixture_stop (sim);
}

/* Whether @widget (NULL: no) is drawn, as far as @root: visible and not transparent. */
static gboolean
is_drawn (GtkWidget *widget, GtkWidget *root)
{
  if (widget == NULL)
    return FALSE;
  for (; widget != NULL && widget != root; widget = gtk_widget_get_parent (widget))
    if (!gtk_widget_get_visible (widget) || gtk_widget_get_opacity (widget) == 0)
      return FALSE;
  return widget == root;
}

static gboolean
no_stale_cells (gpointer data)
{
  return cqv_users_view_get_n_stale_cells () == 0;
}

/* After a keystroke the rows on screen show the new matches in the very next frame; the rows
 * GTK keeps off screen catch up right after. */
static void
test_rows_follow_search (Fixture *fx, gconstpointer data)
{
  g_autoptr (GListStore) users = g_list_store_new (CQV_TYPE_USER);
  GtkWidget *root = GTK_WIDGET (fx->view);

  for (guint i = 0; i < 300; i++)
    {
      g_autofree char *id = g_strdup_printf ("id-%03u", i);
      g_autofree char *name = g_strdup_printf ("%s %03u", i < 150 ? "Alpha" : "Beta", i % 150);
      g_autofree char *upn = g_strdup_printf ("u%03u@contoso.example", i);
      g_autoptr (CqvUser) user = cqv_user_new (id, name, upn);

      g_list_store_append (users, user);
    }
  cqv_users_view_set_model (fx->view, G_LIST_MODEL (users));
  settle (fx);
  /* Far more rows than the window shows. */
  g_assert_nonnull (wait_for_label (root, "Alpha 099"));

  cqv_users_view_set_search_text (fx->view, "beta");
  gtk_test_widget_wait_for_draw (GTK_WIDGET (fx->window));
  g_assert_nonnull (find_label (root, "Beta 000"));
  g_assert_nonnull (find_label (root, "Beta 010"));

  g_assert_true (spin_until (no_stale_cells, NULL));
  g_assert_null (cqv_test_find_text (root, "Alpha ", TRUE));
  g_assert_cmpuint (g_list_model_get_n_items (visible (fx)), ==, 150);

  /* Down to one match: the rows on their way out show nothing meanwhile. */
  cqv_users_view_set_search_text (fx->view, "beta 148");
  gtk_test_widget_wait_for_draw (GTK_WIDGET (fx->window));
  g_assert_cmpuint (g_list_model_get_n_items (visible (fx)), ==, 1);
  g_assert_true (is_drawn (find_label (root, "Beta 148"), root));
  g_assert_false (is_drawn (find_label (root, "Beta 001"), root));
  g_assert_false (is_drawn (find_label (root, "Beta 010"), root));
}

int
main (int argc, char *argv[])
{
  gtk_test_init (&argc, &argv, NULL);

  g_test_add_func ("/cqv/users-view/new-destroy", test_new_destroy);
  g_test_add ("/cqv/users-view/columns-and-sorting", Fixture, NULL, fixture_setup,
              test_columns_and_sorting, fixture_teardown);
  g_test_add ("/cqv/users-view/cells", Fixture, NULL, fixture_setup, test_cells, fixture_teardown);
  g_test_add ("/cqv/users-view/search", Fixture, NULL, fixture_setup, test_search,
              fixture_teardown);
  g_test_add ("/cqv/users-view/search-100k", Fixture, NULL, fixture_setup, test_search_100k,
              fixture_teardown);
  g_test_add ("/cqv/users-view/row-menu-model", Fixture, NULL, fixture_setup, test_row_menu_model,
              fixture_teardown);
  g_test_add ("/cqv/users-view/right-click-selects", Fixture, NULL, fixture_setup,
              test_right_click_selects, fixture_teardown);
  g_test_add ("/cqv/users-view/copy-upn", Fixture, NULL, fixture_setup, test_copy_upn,
              fixture_teardown);
  g_test_add_func ("/cqv/users-view/entra-url", test_entra_url);
  g_test_add ("/cqv/users-view/verify-opens-dialog", Fixture, NULL, fixture_setup,
              test_verify_opens_dialog, fixture_teardown);
  g_test_add ("/cqv/users-view/placeholders", Fixture, NULL, fixture_setup, test_placeholders,
              fixture_teardown);
  g_test_add ("/cqv/users-view/directory-load", Fixture, NULL, fixture_setup, test_directory_load,
              fixture_teardown);
  g_test_add ("/cqv/users-view/rows-follow-search", Fixture, NULL, fixture_setup,
              test_rows_follow_search, fixture_teardown);
  g_test_add_func ("/cqv/tenant-row/states", test_tenant_row_states);
  g_test_add_func ("/cqv/tenant-row/directory", test_tenant_row_directory);

  return g_test_run ();
}
