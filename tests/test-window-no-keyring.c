/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <gtk/gtk.h>

#include "cqv-application.h"
#include "cqv-sim-fixture.h"
#include "cqv-tenant-row-private.h"
#include "cqv-users-view-private.h"
#include "cqv-window-private.h"

/* Without a Secret Service the window says once what to do; tenants already loaded work on. */

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

static gboolean
has_two (gpointer data)
{
  return g_list_model_get_n_items (data) == 2;
}

static gboolean
directory_ready (gpointer data)
{
  return cqv_directory_get_state (data) == CQV_DIRECTORY_STATE_READY;
}

static gboolean
shows_banner (gpointer data)
{
  return g_strcmp0 (cqv_window_get_banner (data), "") != 0;
}

static void
test_keyring_banner (void)
{
  g_autofree char *ann = sim_user_json ("ann", "approve", NULL);
  g_autofree char *scenario = sim_scenario_json (0, NULL, NULL, ann);
  SimFixture *sim = sim_fixture_start (scenario);
  g_autofree char *dir = g_build_filename (g_get_user_config_dir (), APP_ID, NULL);
  g_autofree char *path = g_build_filename (dir, "tenants.ini", NULL);
  g_autofree char *text = g_strdup_printf (
    "[a]\nname=Contoso\ntenant-id=" SIM_TENANT_ID "\nclient-id=" SIM_APP_ID "\n"
    "login-url=%s\ngraph-url=%s\nmfa-url=%s\n"
    "\n[b]\nname=Keyless\ntenant-id=" SIM_TENANT_ID "\nclient-id=" SIM_APP_ID "\n"
    "login-url=%s\ngraph-url=%s\nmfa-url=%s\n",
    sim->base_url, sim->base_url, sim->base_url, sim->base_url, sim->base_url, sim->base_url);
  g_autoptr (GSettings) settings = g_settings_new (APP_ID);
  g_autoptr (CqvApplication) app = cqv_application_new ();
  g_autoptr (GError) error = NULL;
  g_autoptr (CqvTenant) contoso = NULL;
  g_autoptr (CqvTenant) keyless = NULL;
  GtkSingleSelection *selection;
  CqvDirectory *directory;
  CqvUsersView *view;
  CqvWindow *window;

  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
  g_file_set_contents (path, text, -1, &error);
  g_assert_no_error (error);
  g_settings_set_string (settings, "last-tenant", "Contoso");

  g_application_set_application_id (G_APPLICATION (app), APP_ID ".TestNoKeyring");
  g_application_set_flags (G_APPLICATION (app), G_APPLICATION_NON_UNIQUE);
  g_application_register (G_APPLICATION (app), NULL, &error);
  g_assert_no_error (error);
  g_assert_true (spin_until (has_two, cqv_application_get_tenants (app)));
  contoso = g_list_model_get_item (cqv_application_get_tenants (app), 0);
  keyless = g_list_model_get_item (cqv_application_get_tenants (app), 1);
  g_assert_cmpstr (cqv_tenant_get_name (keyless), ==, "Keyless");
  /* Loaded before the keyring was needed (as with --secret-env). */
  cqv_tenant_context_set_app_secret (cqv_application_get_context (app, contoso), SIM_APP_SECRET);

  window = cqv_window_new (app);
  gtk_window_set_default_size (GTK_WINDOW (window), 800, 600);
  gtk_window_present (GTK_WINDOW (window));
  gtk_test_widget_wait_for_draw (GTK_WIDGET (window));
  selection = GTK_SINGLE_SELECTION (
    gtk_widget_get_template_child (GTK_WIDGET (window), CQV_TYPE_WINDOW, "tenant_selection"));
  view = CQV_USERS_VIEW (
    gtk_widget_get_template_child (GTK_WIDGET (window), CQV_TYPE_WINDOW, "users_view"));
  directory = cqv_tenant_context_get_directory (cqv_application_get_context (app, contoso));
  g_assert_true (spin_until (directory_ready, directory));
  g_assert_cmpstr (cqv_window_get_banner (window), ==, "");

  /* The other tenant needs the keyring: one banner says what to do. */
  gtk_single_selection_set_selected (selection, 1);
  g_assert_true (spin_until (shows_banner, window));
  g_test_message ("banner: %s", cqv_window_get_banner (window));
  g_assert_nonnull (strstr (cqv_window_get_banner (window), "keyring is not available"));
  g_assert_cmpstr (cqv_users_view_get_page (view), ==, "error");

  /* Nothing else broke: the first tenant still lists its users. */
  gtk_single_selection_set_selected (selection, 0);
  g_assert_cmpstr (cqv_users_view_get_page (view), ==, "list");
  g_assert_cmpint (cqv_directory_get_state (directory), ==, CQV_DIRECTORY_STATE_READY);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "tenant.checklist", NULL));

  gtk_window_destroy (GTK_WINDOW (window));
  sim_fixture_stop (sim);
}

int
main (int argc, char *argv[])
{
  /* The bus has no a11y services either: don't ask for them. */
  g_setenv ("GTK_A11Y", "test", TRUE);
  gtk_test_init (&argc, &argv, NULL);

  g_test_add_func ("/cqv/window/keyring-banner", test_keyring_banner);

  return g_test_run ();
}
