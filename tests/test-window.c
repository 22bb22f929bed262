/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <gtk/gtk.h>

#include "cqv-test-screenshot.h"
#include "cqv-test-text.h"
#include "cqv-application.h"
#include "cqv-checklist-window.h"
#include "cqv-import-secret-dialog.h"
#include "cqv-remove-tenant-dialog.h"
#include "cqv-sim-fixture.h"
#include "cqv-tenant-dialog.h"
#include "cqv-tenant-row-private.h"
#include "cqv-users-view-private.h"
#include "cqv-verify-dialog.h"
#include "cqv-window-private.h"

static CqvApplication *
create_app (void)
{
  static guint counter;
  CqvApplication *app = cqv_application_new ();
  g_autoptr (GError) error = NULL;
  g_autofree char *id = g_strdup_printf ("%s.Test%u", APP_ID, ++counter);

  /* A unique id per test: an application that is still finishing its start-up work must not
   * collide with the next one on the bus. */
  g_application_set_application_id (G_APPLICATION (app), id);
  g_application_set_flags (G_APPLICATION (app), G_APPLICATION_NON_UNIQUE);
  g_application_register (G_APPLICATION (app), NULL, &error);
  g_assert_no_error (error);
  return app;
}

static gboolean
spin_until (gboolean (*condition) (gpointer), gpointer data)
{
  gint64 deadline = g_get_monotonic_time () + 15 * G_USEC_PER_SEC;

  while (!condition (data))
    {
      if (g_get_monotonic_time () > deadline)
        return FALSE;
      g_main_context_iteration (NULL, FALSE);
    }
  return TRUE;
}

static GtkWindow *
find_toplevel (GType type)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr (GtkWindow) window = g_list_model_get_item (toplevels, i);

      if (G_TYPE_CHECK_INSTANCE_TYPE (window, type) && gtk_widget_get_mapped (GTK_WIDGET (window)))
        return window;
    }
  return NULL;
}

static gboolean
about_shown (gpointer data)
{
  return find_toplevel (GTK_TYPE_ABOUT_DIALOG) != NULL;
}

static gboolean
tenant_dialog_shown (gpointer data)
{
  return find_toplevel (CQV_TYPE_TENANT_DIALOG) != NULL;
}

static gboolean
shortcuts_shown (gpointer data)
{
  return find_toplevel (GTK_TYPE_SHORTCUTS_WINDOW) != NULL;
}

static gboolean
revealed (gpointer data)
{
  return gtk_revealer_get_child_revealed (GTK_REVEALER (data));
}

static void
test_application_new_destroy (void)
{
  CqvApplication *app = cqv_application_new ();

  g_assert_finalize_object (app);
}

static void
test_window_new_destroy (void)
{
  g_autoptr (CqvApplication) app = create_app ();
  CqvWindow *window = cqv_window_new (app);

  g_object_ref_sink (window);
  gtk_window_destroy (GTK_WINDOW (window));
  g_assert_finalize_object (window);
}

static void
test_window_empty_state (void)
{
  g_autoptr (CqvApplication) app = create_app ();
  CqvWindow *window = cqv_window_new (app);
  GtkStack *content_stack;
  GtkWidget *add_button;
  GtkRevealer *banner;
  GtkLabel *banner_label;
  GtkWindow *dialog;

  gtk_window_present (GTK_WINDOW (window));
  gtk_test_widget_wait_for_draw (GTK_WIDGET (window));

  content_stack = GTK_STACK (
    gtk_widget_get_template_child (GTK_WIDGET (window), CQV_TYPE_WINDOW, "content_stack"));
  g_assert_cmpstr (gtk_stack_get_visible_child_name (content_stack), ==, "empty");

  /* The empty state invites to add a tenant; the action says honestly that it is not ready. */
  add_button = GTK_WIDGET (
    gtk_widget_get_template_child (GTK_WIDGET (window), CQV_TYPE_WINDOW, "empty_add_button"));
  g_assert_true (gtk_widget_is_drawable (add_button));
  g_assert_cmpstr (gtk_button_get_label (GTK_BUTTON (add_button)), ==, "_Add Tenant…");

  banner = GTK_REVEALER (
    gtk_widget_get_template_child (GTK_WIDGET (window), CQV_TYPE_WINDOW, "banner_revealer"));
  g_assert_false (gtk_revealer_get_reveal_child (banner));
  g_signal_emit_by_name (add_button, "clicked");
  g_assert_true (spin_until (tenant_dialog_shown, NULL));
  dialog = find_toplevel (CQV_TYPE_TENANT_DIALOG);
  g_assert_null (cqv_tenant_dialog_get_tenant (CQV_TENANT_DIALOG (dialog)));
  g_assert_true (gtk_window_get_transient_for (dialog) == GTK_WINDOW (window));
  gtk_window_destroy (dialog);

  /* Ctrl+N is the same action. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.add-tenant", NULL));
  g_assert_true (spin_until (tenant_dialog_shown, NULL));
  gtk_window_destroy (find_toplevel (CQV_TYPE_TENANT_DIALOG));

  cqv_window_show_banner (window, "Something to say");
  g_assert_true (spin_until (revealed, banner));
  banner_label = GTK_LABEL (
    gtk_widget_get_template_child (GTK_WIDGET (window), CQV_TYPE_WINDOW, "banner_label"));
  g_assert_cmpstr (gtk_label_get_label (banner_label), ==, "Something to say");
  gtk_widget_activate_action (GTK_WIDGET (window), "win.dismiss-banner", NULL);
  g_assert_false (gtk_revealer_get_reveal_child (banner));

  gtk_window_destroy (GTK_WINDOW (window));
}

static void
test_window_about_and_shortcuts (void)
{
  g_autoptr (CqvApplication) app = create_app ();
  CqvWindow *window = cqv_window_new (app);
  GtkWindow *about;
  GtkWindow *shortcuts;

  gtk_window_present (GTK_WINDOW (window));
  gtk_test_widget_wait_for_draw (GTK_WIDGET (window));

  g_action_group_activate_action (G_ACTION_GROUP (app), "about", NULL);
  g_assert_true (spin_until (about_shown, NULL));
  about = find_toplevel (GTK_TYPE_ABOUT_DIALOG);
  g_assert_cmpstr (gtk_about_dialog_get_version (GTK_ABOUT_DIALOG (about)), ==, PACKAGE_VERSION);
  g_assert_cmpint (gtk_about_dialog_get_license_type (GTK_ABOUT_DIALOG (about)), ==,
                   GTK_LICENSE_GPL_3_0);
  g_assert_cmpstr (gtk_about_dialog_get_website (GTK_ABOUT_DIALOG (about)), ==, PACKAGE_WEBSITE);
  g_assert_true (gtk_window_get_transient_for (about) == GTK_WINDOW (window));
  gtk_window_destroy (about);

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.show-help-overlay", NULL));
  g_assert_true (spin_until (shortcuts_shown, NULL));
  shortcuts = find_toplevel (GTK_TYPE_SHORTCUTS_WINDOW);
  gtk_window_destroy (shortcuts);

  gtk_window_destroy (GTK_WINDOW (window));
}

static void
test_window_remembers_size (void)
{
  g_autoptr (CqvApplication) app = create_app ();
  g_autoptr (GSettings) settings = g_settings_new (APP_ID);
  CqvWindow *window;
  int width, height;

  g_settings_set_int (settings, "window-width", 900);
  g_settings_set_int (settings, "window-height", 640);
  window = cqv_window_new (app);
  gtk_window_get_default_size (GTK_WINDOW (window), &width, &height);
  g_assert_cmpint (width, ==, 900);
  g_assert_cmpint (height, ==, 640);

  gtk_window_present (GTK_WINDOW (window));
  gtk_test_widget_wait_for_draw (GTK_WIDGET (window));
  gtk_window_set_default_size (GTK_WINDOW (window), 812, 603);
  gtk_window_close (GTK_WINDOW (window));
  g_assert_cmpint (g_settings_get_int (settings, "window-width"), ==, 812);
  g_assert_cmpint (g_settings_get_int (settings, "window-height"), ==, 603);
}

static CqvTenantRow *
find_tenant_row (GtkWidget *widget, const char *name)
{
  if (CQV_IS_TENANT_ROW (widget) && cqv_tenant_row_get_tenant (CQV_TENANT_ROW (widget)) != NULL &&
      g_strcmp0 (cqv_tenant_get_name (cqv_tenant_row_get_tenant (CQV_TENANT_ROW (widget))), name) ==
        0)
    return CQV_TENANT_ROW (widget);

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      CqvTenantRow *row = find_tenant_row (child, name);

      if (row != NULL)
        return row;
    }
  return NULL;
}

/* A label, or an inscription (the users view's cells), showing @text. */
static gboolean
shows_label (GtkWidget *widget, const char *text)
{
  return cqv_test_find_text (widget, text, FALSE) != NULL;
}

static gboolean
shows_registered (gpointer data)
{
  return shows_label (GTK_WIDGET (data), "Registered");
}

static gboolean
has_n_items (gpointer data)
{
  gpointer *args = data;

  return g_list_model_get_n_items (args[0]) == GPOINTER_TO_UINT (args[1]);
}

static gboolean
directory_ready (gpointer data)
{
  return cqv_directory_get_state (data) == CQV_DIRECTORY_STATE_READY;
}

static gboolean
directory_failed (gpointer data)
{
  return cqv_directory_get_state (data) == CQV_DIRECTORY_STATE_ERROR;
}

static void
note_loading (CqvDirectory *directory, GParamSpec *pspec, gboolean *saw_loading)
{
  if (cqv_directory_get_state (directory) == CQV_DIRECTORY_STATE_LOADING)
    *saw_loading = TRUE;
}

static gboolean
flag_set (gpointer data)
{
  return *(gboolean *) data;
}

static gboolean
verify_dialog_shown (gpointer data)
{
  return find_toplevel (CQV_TYPE_VERIFY_DIALOG) != NULL;
}

static void
write_tenants_file (const char *base_url)
{
  g_autofree char *dir = g_build_filename (g_get_user_config_dir (), APP_ID, NULL);
  g_autofree char *path = g_build_filename (dir, "tenants.ini", NULL);
  g_autofree char *text = g_strdup_printf (
    "[tenant-1]\nname=Broken\ntenant-id=" SIM_TENANT_ID "\nclient-id=" SIM_APP_ID "\n"
    "login-url=http://127.0.0.1:9/\ngraph-url=http://127.0.0.1:9/\nmfa-url=http://127.0.0.1:9/\n"
    "\n[tenant-2]\nname=Contoso\ntenant-id=" SIM_TENANT_ID "\nclient-id=" SIM_APP_ID "\n"
    "login-url=%s\ngraph-url=%s\nmfa-url=%s\n",
    base_url, base_url, base_url);
  g_autoptr (GError) error = NULL;

  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
  g_file_set_contents (path, text, -1, &error);
  g_assert_no_error (error);
}

/* Two tenants from the tenants file: the last one reopens and lists its users from the
 * simulator; the other one cannot be reached and offers Retry. */
static void
test_window_tenants (void)
{
  g_autofree char *ann = sim_user_json ("ann", "approve", NULL);
  g_autofree char *ben = sim_user_json ("ben", "approve", NULL);
  g_autofree char *cid = sim_user_json ("cid", "approve", NULL);
  g_autofree char *users = g_strdup_printf ("%s, %s, %s", ann, ben, cid);
  g_autofree char *scenario = sim_scenario_json (0, NULL, NULL, users);
  SimFixture *sim = sim_fixture_start (scenario);
  g_autoptr (GSettings) settings = g_settings_new (APP_ID);
  g_autoptr (CqvApplication) app = NULL;
  GListModel *tenants;
  CqvWindow *window;
  GtkSingleSelection *tenant_selection;
  GtkStack *content_stack;
  CqvUsersView *view;
  CqvTenantRow *row;
  GtkWidget *entry;
  GtkWindow *dialog;
  g_autoptr (CqvTenant) broken = NULL;
  g_autoptr (CqvTenant) contoso = NULL;
  CqvDirectory *directory;
  gboolean saw_loading = FALSE;
  gpointer args[2];

  write_tenants_file (sim->base_url);
  g_settings_set_string (settings, "last-tenant", "Contoso");
  app = create_app ();
  tenants = cqv_application_get_tenants (app);
  args[0] = tenants;
  args[1] = GUINT_TO_POINTER (2);
  g_assert_true (spin_until (has_n_items, args));
  broken = g_list_model_get_item (tenants, 0);
  contoso = g_list_model_get_item (tenants, 1);
  g_assert_cmpstr (cqv_tenant_get_name (contoso), ==, "Contoso");
  /* The keyring is not part of this test. */
  cqv_tenant_context_set_app_secret (cqv_application_get_context (app, contoso), SIM_APP_SECRET);
  cqv_tenant_context_set_app_secret (cqv_application_get_context (app, broken), SIM_APP_SECRET);

  window = cqv_window_new (app);
  gtk_window_set_default_size (GTK_WINDOW (window), 800, 600);
  gtk_window_present (GTK_WINDOW (window));
  gtk_test_widget_wait_for_draw (GTK_WIDGET (window));

  tenant_selection = GTK_SINGLE_SELECTION (
    gtk_widget_get_template_child (GTK_WIDGET (window), CQV_TYPE_WINDOW, "tenant_selection"));
  content_stack = GTK_STACK (
    gtk_widget_get_template_child (GTK_WIDGET (window), CQV_TYPE_WINDOW, "content_stack"));
  view = CQV_USERS_VIEW (
    gtk_widget_get_template_child (GTK_WIDGET (window), CQV_TYPE_WINDOW, "users_view"));
  entry = GTK_WIDGET (
    gtk_widget_get_template_child (GTK_WIDGET (window), CQV_TYPE_WINDOW, "search_entry"));

  /* The last tenant is reopened and its directory loads once. */
  g_assert_true (gtk_single_selection_get_selected_item (tenant_selection) == contoso);
  g_assert_cmpstr (gtk_stack_get_visible_child_name (content_stack), ==, "tenant");
  directory = cqv_tenant_context_get_directory (cqv_application_get_context (app, contoso));
  g_assert_true (spin_until (directory_ready, directory));
  args[0] = cqv_users_view_get_visible_model (view);
  args[1] = GUINT_TO_POINTER (3);
  g_assert_true (spin_until (has_n_items, args));
  g_assert_cmpstr (cqv_users_view_get_page (view), ==, "list");
  row = find_tenant_row (GTK_WIDGET (window), "Contoso");
  g_assert_nonnull (row);
  g_assert_true (cqv_tenant_row_get_directory (row) == directory);
  /* Without the registration report, the rows on screen are asked about one by one. */
  g_assert_true (spin_until (shows_registered, view));
  gtk_test_widget_wait_for_draw (GTK_WIDGET (window));
  cqv_test_save_screenshot (GTK_WIDGET (window), "main-window-800x600.png");

  /* The header's search entry filters the list. */
  gtk_editable_set_text (GTK_EDITABLE (entry), "ANN");
  args[1] = GUINT_TO_POINTER (1);
  g_assert_true (spin_until (has_n_items, args));
  g_assert_cmpstr (cqv_users_view_get_search_text (view), ==, "ANN");

  /* Ctrl+Shift+V verifies the selection. */
  {
    g_autoptr (CqvUser) user = g_list_model_get_item (cqv_users_view_get_visible_model (view), 0);

    cqv_users_view_select_user (view, user);
    g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.verify-selected", NULL));
    g_assert_true (spin_until (verify_dialog_shown, NULL));
    dialog = find_toplevel (CQV_TYPE_VERIFY_DIALOG);
    g_assert_true (cqv_verify_dialog_get_user (CQV_VERIFY_DIALOG (dialog)) == user);
    gtk_window_destroy (dialog);
  }
  gtk_editable_set_text (GTK_EDITABLE (entry), "");

  /* The other tenant cannot be reached: an error in its row and in place of the list. */
  gtk_single_selection_set_selected (tenant_selection, 0);
  g_assert_cmpstr (g_settings_get_string (settings, "last-tenant"), ==, "Broken");
  directory = cqv_tenant_context_get_directory (cqv_application_get_context (app, broken));
  g_assert_true (spin_until (directory_failed, directory));
  g_assert_cmpstr (cqv_users_view_get_page (view), ==, "error");
  row = find_tenant_row (GTK_WIDGET (window), "Broken");
  g_assert_nonnull (row);
  g_assert_true (cqv_tenant_row_get_directory (row) == directory);
  gtk_test_widget_wait_for_draw (GTK_WIDGET (window));
  cqv_test_save_screenshot (GTK_WIDGET (window), "main-window-tenant-error.png");
  {
    GtkWidget *retry = cqv_tenant_row_get_retry_button (row);

    g_assert_nonnull (retry);
    g_assert_true (gtk_widget_get_visible (retry));
    /* Retry loads again and fails the same way. */
    g_signal_connect (directory, "notify::state", G_CALLBACK (note_loading), &saw_loading);
    g_assert_true (
      gtk_widget_activate_action (GTK_WIDGET (window), "win.retry-tenant", "s", "Broken"));
    g_assert_true (spin_until (flag_set, &saw_loading));
    g_assert_true (spin_until (directory_failed, directory));
    g_signal_handlers_disconnect_by_func (directory, note_loading, &saw_loading);
  }

  gtk_window_destroy (GTK_WINDOW (window));
  sim_fixture_stop (sim);
}

/* A probe button for @action inside @row: its sensitivity is the action's. */
static gboolean
action_enabled (CqvTenantRow *row, const char *action)
{
  GtkWidget *probe = gtk_button_new ();
  gboolean enabled;

  gtk_actionable_set_action_name (GTK_ACTIONABLE (probe), action);
  gtk_widget_set_parent (probe, GTK_WIDGET (row));
  enabled = gtk_widget_get_sensitive (probe);
  gtk_widget_unparent (probe);
  return enabled;
}

static gboolean
remove_dialog_shown (gpointer data)
{
  return find_toplevel (CQV_TYPE_REMOVE_TENANT_DIALOG) != NULL;
}

static gboolean
checklist_shown (gpointer data)
{
  return find_toplevel (CQV_TYPE_CHECKLIST_WINDOW) != NULL;
}

static gboolean
popover_shown (gpointer data)
{
  GtkPopover *popover = gtk_menu_button_get_popover (data);

  return popover != NULL && gtk_widget_get_mapped (GTK_WIDGET (popover));
}

static CqvWindow *
open_window (CqvApplication *app, guint n_tenants)
{
  CqvWindow *window;
  gpointer args[2] = { cqv_application_get_tenants (app), GUINT_TO_POINTER (n_tenants) };

  g_assert_true (spin_until (has_n_items, args));
  for (guint i = 0; i < n_tenants; i++)
    {
      g_autoptr (CqvTenant) tenant = g_list_model_get_item (args[0], i);

      cqv_tenant_context_set_app_secret (cqv_application_get_context (app, tenant), SIM_APP_SECRET);
    }
  window = cqv_window_new (app);
  gtk_window_set_default_size (GTK_WINDOW (window), 800, 600);
  gtk_window_present (GTK_WINDOW (window));
  gtk_test_widget_wait_for_draw (GTK_WIDGET (window));
  return window;
}

/* The tenant menu: Edit, Setup Checklist, Remove on the selected tenant; right-click, the ⋮
 * button and the Menu key open it. */
static void
test_window_tenant_menu (void)
{
  g_autoptr (GSettings) settings = g_settings_new (APP_ID);
  g_autoptr (CqvApplication) app = NULL;
  GtkSingleSelection *selection;
  CqvWindow *window;
  CqvTenantRow *row;
  GMenuModel *menu;
  GtkWindow *dialog;
  g_autoptr (GMenuModel) section = NULL;
  g_autofree char *action = NULL;
  const char *expected[] = { "tenant.edit", "tenant.checklist", "tenant.remove" };
  guint found = 0;
  g_autofree char *warning = NULL;

  write_tenants_file ("http://127.0.0.1:9/");
  g_settings_set_string (settings, "last-tenant", "Contoso");
  app = create_app ();
  {
    /* A connector secret that expires in ten days: the rows warn. */
    g_autoptr (GDateTime) now = g_date_time_new_now_utc ();
    g_autoptr (GDateTime) soon = g_date_time_add_days (now, 10);
    g_autoptr (CqvSecret) secret = cqv_secret_new ("connector-secret", NULL, soon);
    g_autoptr (GAsyncResult) result = NULL;
    g_autoptr (GError) error = NULL;

    cqv_secret_store_store_async (cqv_application_get_secret_store (app), SIM_TENANT_ID,
                                  CQV_MFA_CLIENT_APP_ID, CQV_SECRET_KIND_CONNECTOR, NULL, secret,
                                  NULL, sim_store_result_cb, &result);
    sim_wait_for_result (&result, 5000);
    g_assert_true (
      cqv_secret_store_store_finish (cqv_application_get_secret_store (app), result, &error));
    g_assert_no_error (error);
    warning = cqv_connector_expiry_warning (secret, now);
  }
  window = open_window (app, 2);
  selection = GTK_SINGLE_SELECTION (
    gtk_widget_get_template_child (GTK_WIDGET (window), CQV_TYPE_WINDOW, "tenant_selection"));
  g_assert_cmpuint (gtk_single_selection_get_selected (selection), ==, 1);

  row = find_tenant_row (GTK_WIDGET (window), "Contoso");
  g_assert_nonnull (row);
  g_assert_true (spin_until ((gboolean (*) (gpointer)) cqv_tenant_row_get_warning, row));
  g_assert_cmpstr (cqv_tenant_row_get_warning (row), ==, warning);
  g_assert_true (g_str_has_prefix (warning, "Connector secret expires on "));

  row = find_tenant_row (GTK_WIDGET (window), "Broken");
  g_assert_nonnull (row);
  menu = cqv_tenant_row_get_menu_model (row);
  for (int i = 0; i < g_menu_model_get_n_items (menu); i++)
    {
      section = g_menu_model_get_item_link (menu, i, G_MENU_LINK_SECTION);
      for (int j = 0; j < g_menu_model_get_n_items (section); j++)
        {
          g_clear_pointer (&action, g_free);
          g_assert_true (
            g_menu_model_get_item_attribute (section, j, G_MENU_ATTRIBUTE_ACTION, "s", &action));
          g_assert_cmpstr (action, ==, expected[found++]);
        }
      g_clear_object (&section);
    }
  g_assert_cmpuint (found, ==, 3);
  g_assert_true (action_enabled (row, "tenant.edit"));
  g_assert_true (action_enabled (row, "tenant.remove"));
  g_assert_true (action_enabled (row, "tenant.checklist"));
  g_assert_true (action_enabled (row, "win.add-tenant"));

  /* The ⋮ button selects its tenant before the menu opens. */
  gtk_menu_button_popup (cqv_tenant_row_get_menu_button (row));
  g_assert_true (spin_until (popover_shown, cqv_tenant_row_get_menu_button (row)));
  g_assert_cmpuint (gtk_single_selection_get_selected (selection), ==, 0);
  gtk_test_widget_wait_for_draw (
    GTK_WIDGET (gtk_menu_button_get_popover (cqv_tenant_row_get_menu_button (row))));
  cqv_test_save_screenshot (
    GTK_WIDGET (gtk_menu_button_get_popover (cqv_tenant_row_get_menu_button (row))),
    "tenant-menu.png");
  cqv_test_save_screenshot (GTK_WIDGET (window), "main-window-tenant-menu.png");
  gtk_menu_button_popdown (cqv_tenant_row_get_menu_button (row));

  /* The Menu key on the list opens the selected tenant's menu. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "tenant.popup-menu", NULL));
  g_assert_true (spin_until (popover_shown, cqv_tenant_row_get_menu_button (row)));
  gtk_menu_button_popdown (cqv_tenant_row_get_menu_button (row));

  /* Each item opens its window for the selected tenant. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "tenant.edit", NULL));
  g_assert_true (spin_until (tenant_dialog_shown, NULL));
  dialog = find_toplevel (CQV_TYPE_TENANT_DIALOG);
  g_assert_cmpstr (cqv_tenant_get_name (cqv_tenant_dialog_get_tenant (CQV_TENANT_DIALOG (dialog))),
                   ==, "Broken");
  {
    /* Saved: the window opens the tenant again with a context that reads the new endpoints. */
    CqvTenant *broken = cqv_tenant_dialog_get_tenant (CQV_TENANT_DIALOG (dialog));
    CqvTenantContext *before = cqv_window_get_context (window, broken);

    g_assert_true (before == cqv_application_get_context (app, broken));
    g_signal_emit_by_name (dialog, "saved", broken);
    g_assert_true (cqv_window_get_context (window, broken) != before);
    g_assert_true (cqv_tenant_context_get_tenant (cqv_window_get_context (window, broken)) ==
                   broken);
  }
  gtk_window_destroy (dialog);

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "tenant.remove", NULL));
  g_assert_true (spin_until (remove_dialog_shown, NULL));
  dialog = find_toplevel (CQV_TYPE_REMOVE_TENANT_DIALOG);
  g_assert_cmpstr (
    cqv_tenant_get_name (cqv_remove_tenant_dialog_get_tenant (CQV_REMOVE_TENANT_DIALOG (dialog))),
    ==, "Broken");
  g_assert_true (gtk_window_get_modal (dialog));
  gtk_window_destroy (dialog);

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "tenant.checklist", NULL));
  g_assert_true (spin_until (checklist_shown, NULL));
  dialog = find_toplevel (CQV_TYPE_CHECKLIST_WINDOW);
  g_assert_cmpstr (gtk_window_get_title (dialog), ==, "Setup Checklist — Broken");
  g_assert_true (gtk_window_get_transient_for (dialog) == GTK_WINDOW (window));
  g_assert_false (gtk_window_get_modal (dialog));
  gtk_window_destroy (dialog);

  gtk_window_destroy (GTK_WINDOW (window));
}

static gboolean
has_demo_tenant (gpointer data)
{
  return g_list_model_get_n_items (cqv_application_get_tenants (data)) == 1 ||
         cqv_application_get_demo_error (data) != NULL;
}

/* The demo tenant can be checked, not edited or removed. */
static void
test_window_demo_tenant_actions (void)
{
  static guint counter;
  g_autoptr (CqvApplication) app = cqv_application_new ();
  g_autofree char *id = g_strdup_printf ("%s.TestDemo%u", APP_ID, ++counter);
  g_autoptr (GError) error = NULL;
  CqvWindow *window;
  CqvTenantRow *row;

  g_application_set_application_id (G_APPLICATION (app), id);
  g_application_set_flags (G_APPLICATION (app), G_APPLICATION_NON_UNIQUE);
  cqv_application_set_demo (app, TRUE);
  g_application_register (G_APPLICATION (app), NULL, &error);
  g_assert_no_error (error);
  g_assert_true (spin_until (has_demo_tenant, app));
  g_assert_null (cqv_application_get_demo_error (app));

  window = cqv_window_new (app);
  gtk_window_present (GTK_WINDOW (window));
  gtk_test_widget_wait_for_draw (GTK_WIDGET (window));
  row = find_tenant_row (GTK_WIDGET (window), "Contoso (demo)");
  g_assert_nonnull (row);
  g_assert_true (spin_until ((gboolean (*) (gpointer)) cqv_tenant_row_get_directory, row));
  g_assert_false (action_enabled (row, "tenant.edit"));
  g_assert_false (action_enabled (row, "tenant.remove"));
  g_assert_true (action_enabled (row, "tenant.checklist"));
  gtk_window_destroy (GTK_WINDOW (window));
}

/* A broken tenants file: the banner says so, and nothing may change the tenants. */
static void
test_window_read_only (void)
{
  g_autofree char *dir = g_build_filename (g_get_user_config_dir (), APP_ID, NULL);
  g_autofree char *path = g_build_filename (dir, "tenants.ini", NULL);
  g_autoptr (CqvApplication) app = NULL;
  g_autoptr (GError) error = NULL;
  CqvWindow *window;
  GtkWidget *add_button;

  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
  g_file_set_contents (path, "[tenant-1\nname=Broken\n", -1, &error);
  g_assert_no_error (error);
  app = create_app ();
  window = cqv_window_new (app);
  gtk_window_present (GTK_WINDOW (window));
  g_assert_true (spin_until ((gboolean (*) (gpointer)) cqv_tenant_store_get_read_only,
                             cqv_application_get_tenant_store (app)));
  gtk_test_widget_wait_for_draw (GTK_WIDGET (window));

  g_test_message ("banner: %s", cqv_window_get_banner (window));
  g_assert_nonnull (strstr (cqv_window_get_banner (window), path));
  g_assert_nonnull (strstr (cqv_window_get_banner (window), "cannot be added, edited or removed"));
  add_button = GTK_WIDGET (
    gtk_widget_get_template_child (GTK_WIDGET (window), CQV_TYPE_WINDOW, "empty_add_button"));
  g_assert_false (gtk_widget_get_sensitive (add_button));
  g_assert_nonnull (gtk_widget_get_tooltip_text (add_button));
  /* Ctrl+N does nothing either. */
  gtk_widget_activate_action (GTK_WIDGET (window), "win.add-tenant", NULL);
  g_assert_null (find_toplevel (CQV_TYPE_TENANT_DIALOG));
  g_assert_true (spin_until (revealed, gtk_widget_get_template_child (
                                         GTK_WIDGET (window), CQV_TYPE_WINDOW, "banner_revealer")));
  gtk_test_widget_wait_for_draw (GTK_WIDGET (window));
  cqv_test_save_screenshot (GTK_WIDGET (window), "main-window-read-only.png");
  gtk_window_destroy (GTK_WINDOW (window));
  g_assert_cmpint (g_unlink (path), ==, 0);
}

static gboolean
shows_banner (gpointer data)
{
  return g_strcmp0 (cqv_window_get_banner (data), "") != 0;
}

static gboolean
import_dialog_shown (gpointer data)
{
  return find_toplevel (CQV_TYPE_IMPORT_SECRET_DIALOG) != NULL;
}

/* Until the dialog at *@data is finalized, or shows an error (which fails the test). */
static gboolean
import_dialog_gone (gpointer data)
{
  CqvImportSecretDialog *dialog = *(CqvImportSecretDialog **) data;

  if (dialog == NULL)
    return TRUE;
  g_assert_cmpstr (cqv_import_secret_dialog_get_error (dialog), ==, "");
  return FALSE;
}

static gboolean
secret_stored (gpointer data)
{
  gpointer *args = data;
  g_autoptr (CqvSecret) secret = NULL;
  g_autoptr (GAsyncResult) result = NULL;

  cqv_secret_store_lookup_async (args[0], SIM_TENANT_ID, SIM_APP_ID, CQV_SECRET_KIND_APP, NULL,
                                 sim_store_result_cb, &result);
  sim_wait_for_result (&result, 5000);
  secret = cqv_secret_store_lookup_finish (args[0], result, NULL);
  return secret != NULL && g_strcmp0 (secret->value, args[1]) == 0;
}

#define OTHER_APP_ID "11111111-2222-4333-8444-555555555555"

/* Export writes the list without secrets; importing it into an empty app asks for each
 * secret, stores it in the keyring, then adds the tenant. */
static void
test_window_import_export (void)
{
  g_autofree char *dir = g_build_filename (g_get_user_config_dir (), APP_ID, NULL);
  g_autofree char *ini = g_build_filename (dir, "tenants.ini", NULL);
  g_autofree char *tmp = g_dir_make_tmp ("cqv-export-XXXXXX", NULL);
  g_autofree char *json_path = g_build_filename (tmp, "tenants.json", NULL);
  g_autoptr (GFile) file = g_file_new_for_path (json_path);
  g_autoptr (CqvApplication) app = NULL;
  g_autoptr (CqvApplication) second = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *exported = NULL;
  GtkWindow *dialog;
  CqvWindow *window;
  gpointer args[2];

  write_tenants_file ("http://127.0.0.1:9/");
  {
    /* Two apps, so that neither entry is a duplicate of the other. */
    g_autofree char *text = NULL;
    g_autofree char *changed = NULL;

    g_file_get_contents (ini, &text, NULL, &error);
    g_assert_no_error (error);
    changed = g_strconcat (text, "", NULL);
    g_assert_nonnull (strstr (changed, "name=Contoso\ntenant-id=" SIM_TENANT_ID "\nclient-id="));
    memcpy (strstr (changed, "name=Contoso\ntenant-id=" SIM_TENANT_ID "\nclient-id=") +
              strlen ("name=Contoso\ntenant-id=" SIM_TENANT_ID "\nclient-id="),
            OTHER_APP_ID, strlen (OTHER_APP_ID));
    g_file_set_contents (ini, changed, -1, &error);
    g_assert_no_error (error);
  }
  app = create_app ();
  window = open_window (app, 2);
  cqv_window_export_file (window, file);
  g_assert_true (spin_until (shows_banner, window));
  g_test_message ("banner: %s", cqv_window_get_banner (window));
  g_assert_nonnull (strstr (cqv_window_get_banner (window), "exported"));
  g_file_get_contents (json_path, &exported, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (strstr (exported, "\"Contoso\""));
  g_assert_nonnull (strstr (exported, "\"Broken\""));
  g_assert_null (strstr (exported, SIM_APP_SECRET));
  g_assert_null (strstr (exported, "secret"));
  gtk_window_destroy (GTK_WINDOW (window));

  /* A second technician: no tenants yet. */
  g_assert_cmpint (g_unlink (ini), ==, 0);
  second = create_app ();
  window = cqv_window_new (second);
  gtk_window_present (GTK_WINDOW (window));
  gtk_test_widget_wait_for_draw (GTK_WIDGET (window));
  cqv_window_import_file (window, file);

  /* One dialog per tenant, in file order: import the first with its secret... */
  g_assert_true (spin_until (import_dialog_shown, NULL));
  dialog = find_toplevel (CQV_TYPE_IMPORT_SECRET_DIALOG);
  g_assert_cmpstr (
    cqv_tenant_get_name (cqv_import_secret_dialog_get_tenant (CQV_IMPORT_SECRET_DIALOG (dialog))),
    ==, "Broken");
  g_assert_true (gtk_window_get_modal (dialog));
  g_assert_false (gtk_widget_activate_action (GTK_WIDGET (dialog), "import.import", NULL) &&
                  find_toplevel (CQV_TYPE_IMPORT_SECRET_DIALOG) != dialog);
  gtk_editable_set_text (cqv_import_secret_dialog_get_entry (CQV_IMPORT_SECRET_DIALOG (dialog)),
                         "imported-secret");
  gtk_test_widget_wait_for_draw (GTK_WIDGET (dialog));
  cqv_test_save_screenshot (GTK_WIDGET (dialog), "import-secret-dialog.png");
  g_object_add_weak_pointer (G_OBJECT (dialog), (gpointer *) &dialog);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (dialog), "import.import", NULL));
  g_assert_true (spin_until (import_dialog_gone, &dialog));

  /* ...and skip the second. */
  g_assert_true (spin_until (import_dialog_shown, NULL));
  dialog = find_toplevel (CQV_TYPE_IMPORT_SECRET_DIALOG);
  g_assert_cmpstr (
    cqv_tenant_get_name (cqv_import_secret_dialog_get_tenant (CQV_IMPORT_SECRET_DIALOG (dialog))),
    ==, "Contoso");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (dialog), "import.skip", NULL));

  g_assert_true (spin_until (shows_banner, window));
  g_test_message ("banner: %s", cqv_window_get_banner (window));
  g_assert_nonnull (strstr (cqv_window_get_banner (window), "1 tenant imported."));
  g_assert_nonnull (strstr (cqv_window_get_banner (window), "“Contoso” was skipped."));
  g_assert_cmpuint (g_list_model_get_n_items (cqv_application_get_tenants (second)), ==, 1);
  g_assert_nonnull (cqv_tenant_store_find (cqv_application_get_tenant_store (second), "Broken"));
  args[0] = cqv_application_get_secret_store (second);
  args[1] = (gpointer) "imported-secret";
  g_assert_true (secret_stored (args));
  /* The secret is in the keyring, never in the tenants file. */
  {
    g_autofree char *text = NULL;

    g_file_get_contents (ini, &text, NULL, &error);
    g_assert_no_error (error);
    g_assert_null (strstr (text, "imported-secret"));
  }

  gtk_window_destroy (GTK_WINDOW (window));
  g_unlink (json_path);
  g_rmdir (tmp);
}

/* The simulator's app registration says the app secret ends in ten days: the banner and the
 * tenant's row warn, and the users are listed all the same. */
static void
test_window_app_secret_expiry (void)
{
  g_autofree char *ann = sim_user_json ("ann", "approve", NULL);
  g_autofree char *scenario = sim_scenario_json (0, NULL, NULL, ann);
  SimFixture *sim = sim_fixture_start (scenario);
  g_autoptr (GSettings) settings = g_settings_new (APP_ID);
  g_autoptr (CqvApplication) app = NULL;
  g_autoptr (CqvTenant) contoso = NULL;
  CqvWindow *window;
  CqvTenantRow *row;
  const char *banner;

  sim_fixture_set_tenant (sim, "{\"apps\": [{\"client_id\": \"" SIM_APP_ID "\","
                               " \"secret_expires_in_days\": 10}]}");
  write_tenants_file (sim->base_url);
  g_settings_set_string (settings, "last-tenant", "Contoso");
  app = create_app ();
  window = open_window (app, 2);
  contoso = g_list_model_get_item (cqv_application_get_tenants (app), 1);
  g_assert_cmpstr (cqv_tenant_get_name (contoso), ==, "Contoso");

  g_assert_true (spin_until (shows_banner, window));
  banner = cqv_window_get_banner (window);
  g_test_message ("banner: %s", banner);
  g_assert_true (g_str_has_prefix (banner, "“Contoso”: The app secret expires on "));
  g_assert_true (g_str_has_suffix (banner, ". Create a new client secret in the Entra admin "
                                           "center and update the tenant."));
  row = find_tenant_row (GTK_WIDGET (window), "Contoso");
  g_assert_nonnull (row);
  g_assert_nonnull (cqv_tenant_row_get_warning (row));
  g_assert_nonnull (strstr (cqv_tenant_row_get_warning (row), banner + strlen ("“Contoso”: ")));
  g_assert_true (spin_until (directory_ready, cqv_tenant_context_get_directory (
                                                cqv_application_get_context (app, contoso))));
  g_assert_cmpuint (sim_fixture_count_requests (sim, "GET", "/v1.0/applications", 200), ==, 1);
  g_assert_true (spin_until (revealed, gtk_widget_get_template_child (
                                         GTK_WIDGET (window), CQV_TYPE_WINDOW, "banner_revealer")));
  gtk_test_widget_wait_for_draw (GTK_WIDGET (window));
  cqv_test_save_screenshot (GTK_WIDGET (window), "main-window-app-secret-expiry.png");

  /* Dismissed, it stays dismissed; the row keeps the warning. */
  gtk_widget_activate_action (GTK_WIDGET (window), "win.dismiss-banner", NULL);
  g_assert_cmpstr (cqv_window_get_banner (window), ==, "");
  g_assert_nonnull (cqv_tenant_row_get_warning (row));

  gtk_window_destroy (GTK_WINDOW (window));
  sim_fixture_stop (sim);
}

int
main (int argc, char *argv[])
{
  gtk_test_init (&argc, &argv, NULL);

  g_test_add_func ("/cqv/application/new-destroy", test_application_new_destroy);
  g_test_add_func ("/cqv/window/new-destroy", test_window_new_destroy);
  g_test_add_func ("/cqv/window/empty-state", test_window_empty_state);
  g_test_add_func ("/cqv/window/about-and-shortcuts", test_window_about_and_shortcuts);
  g_test_add_func ("/cqv/window/remembers-size", test_window_remembers_size);
  g_test_add_func ("/cqv/window/tenants", test_window_tenants);
  g_test_add_func ("/cqv/window/tenant-menu", test_window_tenant_menu);
  g_test_add_func ("/cqv/window/demo-tenant-actions", test_window_demo_tenant_actions);
  g_test_add_func ("/cqv/window/read-only", test_window_read_only);
  g_test_add_func ("/cqv/window/import-export", test_window_import_export);
  g_test_add_func ("/cqv/window/app-secret-expiry", test_window_app_secret_expiry);

  return g_test_run ();
}
