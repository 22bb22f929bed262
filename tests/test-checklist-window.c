/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-checklist-window"

#include "config.h"

#include <gtk/gtk.h>

#include "cqv-test-screenshot.h"
#include "cqv-check-row-private.h"
#include "cqv-checklist-window-private.h"
#include "cqv-sim-fixture.h"
#include "cqv-verify-dialog.h"

#define ALL_ROLES                                                                             \
  "\"User.Read.All\", \"UserAuthenticationMethod.Read.All\", \"Application.ReadWrite.All\", " \
  "\"AuditLog.Read.All\""

typedef struct
{
  SimFixture *sim;
  CqvSecretStore *store;
  CqvTenantContext *context;
  CqvChecklistWindow *window;
} Fixture;

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

static gboolean
check_done (gpointer data)
{
  CqvChecklistWindow *window = data;
  CqvTenantCheck *check = cqv_checklist_window_get_check (window);

  return !cqv_tenant_check_get_running (check) &&
         gtk_widget_is_sensitive (GTK_WIDGET (gtk_widget_get_template_child (
           GTK_WIDGET (window), CQV_TYPE_CHECKLIST_WINDOW, "recheck_button")));
}

static void
fixture_start (Fixture *f, const char *tenant_extra, const char *roles)
{
  g_autofree char *ann = sim_user_json ("ann", "approve", NULL);
  g_autofree char *scenario = sim_scenario_json (0, tenant_extra, roles, ann);

  f->sim = sim_fixture_start (scenario);
  f->store = cqv_secret_store_new_in_memory ();
  f->context = sim_fixture_new_context (f->sim, f->store);
}

static void
fixture_open (Fixture *f)
{
  f->window = cqv_checklist_window_new (NULL, f->context);
  gtk_window_present (GTK_WINDOW (f->window));
  g_assert_true (spin_until (check_done, f->window));
  gtk_test_widget_wait_for_draw (GTK_WIDGET (f->window));
}

static void
fixture_stop (Fixture *f)
{
  if (f->window != NULL)
    gtk_window_destroy (GTK_WINDOW (f->window));
  sim_wait_finalized (g_steal_pointer (&f->context), 5000);
  g_clear_object (&f->store);
  sim_fixture_stop (f->sim);
}

static void
recheck (Fixture *f)
{
  CqvCheckRow *row = cqv_checklist_window_get_row (f->window, CQV_CHECK_CREDENTIALS);

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "checklist.recheck", NULL));
  /* Running: the lines spin and Re-check waits. */
  g_assert_true (cqv_check_row_get_spinning (row));
  g_assert_cmpstr (cqv_check_row_get_status_text (row), ==, "Checking");
  g_assert_cmpstr (cqv_checklist_window_get_summary (f->window), ==, "Checking…");
  g_assert_true (spin_until (check_done, f->window));
}

static void
assert_line (Fixture *f, const char *id, const char *status, gboolean with_fix)
{
  CqvCheckRow *row = cqv_checklist_window_get_row (f->window, id);
  CqvCheckItem *item;

  g_assert_nonnull (row);
  item = cqv_check_row_get_item (row);
  g_test_message ("%s: %s (%s)", id, cqv_check_row_get_status_text (row),
                  cqv_check_item_get_detail (item));
  g_assert_cmpstr (cqv_check_row_get_status_text (row), ==, status);
  g_assert_false (cqv_check_row_get_spinning (row));
  if (with_fix)
    {
      g_assert_cmpstr (cqv_check_row_get_fix_text (row), !=, "");
      g_assert_cmpstr (cqv_check_row_get_fix_text (row), ==, cqv_check_item_get_fix (item));
    }
  else
    g_assert_cmpstr (cqv_check_row_get_fix_text (row), ==, "");
  /* The Entra admin center button only where something needs fixing and a page fixes it. */
  g_assert_cmpint (gtk_widget_get_visible (cqv_check_row_get_url_button (row)), ==,
                   with_fix && cqv_check_item_get_fix_url (item) != NULL);
}

static void
assert_all_green (Fixture *f)
{
  GListModel *items = cqv_tenant_check_get_items (cqv_checklist_window_get_check (f->window));

  for (guint i = 0; i < g_list_model_get_n_items (items); i++)
    {
      g_autoptr (CqvCheckItem) item = g_list_model_get_item (items, i);

      assert_line (f, cqv_check_item_get_id (item), "Passed", FALSE);
    }
  g_assert_cmpstr (cqv_checklist_window_get_summary (f->window), ==, "Everything is set up.");
}

static void
test_new_destroy (void)
{
  g_autoptr (CqvSecretStore) store = cqv_secret_store_new_in_memory ();
  g_autoptr (CqvTenant) tenant =
    cqv_tenant_new ("Contoso", SIM_TENANT_ID, SIM_APP_ID, CQV_CLOUD_GLOBAL);
  g_autoptr (CqvHttpClient) http = cqv_http_client_new ();
  g_autoptr (CqvTokenProvider) tokens = cqv_token_provider_new (http);
  g_autoptr (CqvTenantContext) context = NULL;
  CqvChecklistWindow *window;
  GtkWidget *row = cqv_check_row_new ();

  /* Unreachable: nothing to answer while the window is created and destroyed. */
  cqv_tenant_set_login_url (tenant, "http://127.0.0.1:9/");
  cqv_tenant_set_graph_url (tenant, "http://127.0.0.1:9/");
  cqv_tenant_set_mfa_url (tenant, "http://127.0.0.1:9/");
  context = cqv_tenant_context_new (tenant, store, http, tokens);
  cqv_tenant_context_set_app_secret (context, SIM_APP_SECRET);

  window = cqv_checklist_window_new (NULL, context);
  g_object_ref_sink (window);
  g_assert_cmpstr (gtk_window_get_title (GTK_WINDOW (window)), ==, "Setup Checklist — Contoso");
  g_assert_false (gtk_window_get_modal (GTK_WINDOW (window)));
  g_assert_true (cqv_checklist_window_get_context (window) == context);
  gtk_window_destroy (GTK_WINDOW (window));
  /* The checks it started unwind after their cancellation. */
  sim_wait_finalized (window, 20000);

  g_object_ref_sink (row);
  g_assert_finalize_object (row);
}

static void
test_healthy (void)
{
  Fixture f = { 0 };

  fixture_start (&f, NULL, ALL_ROLES);
  fixture_open (&f);
  assert_all_green (&f);
  /* The connector secret line says until when it is valid, or that it comes with the first push. */
  g_assert_cmpstr (cqv_checklist_window_get_expiry_text (f.window), ==, "");
  gtk_window_set_default_size (GTK_WINDOW (f.window), 600, 760);
  gtk_test_widget_wait_for_draw (GTK_WIDGET (f.window));
  cqv_test_save_screenshot (GTK_WIDGET (f.window), "checklist-all-green.png");

  recheck (&f);
  assert_all_green (&f);
  fixture_stop (&f);
}

static void
test_missing_roles (void)
{
  Fixture f = { 0 };
  CqvCheckRow *row;

  fixture_start (&f, NULL, "\"User.Read.All\"");
  fixture_open (&f);
  assert_line (&f, CQV_CHECK_CREDENTIALS, "Passed", FALSE);
  assert_line (&f, CQV_CHECK_PERMISSION_USERS, "Passed", FALSE);
  assert_line (&f, CQV_CHECK_PERMISSION_AUTHENTICATOR, "Failed", TRUE);
  assert_line (&f, CQV_CHECK_PERMISSION_APPLICATIONS, "Failed", TRUE);
  assert_line (&f, CQV_CHECK_PERMISSION_AUDIT_LOG, "Warning", TRUE);
  g_assert_nonnull (strstr (cqv_checklist_window_get_summary (f.window), "must be fixed"));

  row = cqv_checklist_window_get_row (f.window, CQV_CHECK_PERMISSION_APPLICATIONS);
  g_assert_cmpstr (
    gtk_actionable_get_action_name (GTK_ACTIONABLE (cqv_check_row_get_url_button (row))), ==,
    "checklist.open-url");
  g_assert_true (
    g_str_has_prefix (g_variant_get_string (gtk_actionable_get_action_target_value (
                                              GTK_ACTIONABLE (cqv_check_row_get_url_button (row))),
                                            NULL),
                      "https://entra.microsoft.com/"));
  gtk_window_set_default_size (GTK_WINDOW (f.window), 600, 900);
  gtk_test_widget_wait_for_draw (GTK_WIDGET (f.window));
  cqv_test_save_screenshot (GTK_WIDGET (f.window), "checklist-red.png");

  /* Consent granted: green after Re-check. */
  sim_fixture_set_tenant (f.sim, "{\"apps\": [{\"client_id\": \"" SIM_APP_ID "\", \"roles\": "
                                 "[" ALL_ROLES "]}]}");
  recheck (&f);
  assert_all_green (&f);
  fixture_stop (&f);
}

static void
test_service_principals (void)
{
  Fixture f = { 0 };

  fixture_start (&f, ", \"mfa_client_sp\": \"disabled\", \"mfa_connector_sp\": \"disabled\"",
                 ALL_ROLES);
  fixture_open (&f);
  assert_line (&f, CQV_CHECK_MFA_CLIENT, "Failed", TRUE);
  assert_line (&f, CQV_CHECK_MFA_CONNECTOR, "Failed", TRUE);

  sim_fixture_set_tenant (f.sim,
                          "{\"mfa_client_sp\": \"enabled\", \"mfa_connector_sp\": \"enabled\"}");
  recheck (&f);
  assert_all_green (&f);
  fixture_stop (&f);
}

static void
test_no_premium (void)
{
  Fixture f = { 0 };

  fixture_start (&f, ", \"p1\": false", ALL_ROLES);
  fixture_open (&f);
  /* The per-user fallback: amber, with what would make it green. */
  assert_line (&f, CQV_CHECK_REGISTRATION_REPORT, "Warning", TRUE);
  g_assert_cmpstr (cqv_checklist_window_get_summary (f.window), ==,
                   "Pushes will work; the warnings say what could be better.");

  sim_fixture_set_tenant (f.sim, "{\"p1\": true}");
  recheck (&f);
  assert_all_green (&f);
  fixture_stop (&f);
}

static gboolean
shows_expiry (gpointer data)
{
  return g_strcmp0 (cqv_checklist_window_get_expiry_text (data), "") != 0;
}

static void
test_expiry (void)
{
  Fixture f = { 0 };
  g_autoptr (GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr (GDateTime) soon = g_date_time_add_days (now, 10);
  g_autoptr (GDateTime) later = g_date_time_add_days (now, 200);
  g_autoptr (CqvSecret) secret = cqv_secret_new ("not-on-the-sp", NULL, soon);
  g_autoptr (CqvSecret) fresh = cqv_secret_new ("fresh", NULL, later);
  g_autoptr (CqvSecret) no_date = cqv_secret_new ("no-date", NULL, NULL);
  g_autoptr (GAsyncResult) result = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *warning = NULL;

  g_assert_null (cqv_connector_expiry_warning (fresh, now));
  g_assert_null (cqv_connector_expiry_warning (no_date, now));
  warning = cqv_connector_expiry_warning (secret, now);
  g_assert_true (g_str_has_prefix (warning, "Connector secret expires on "));
  g_assert_nonnull (strstr (warning, "renewed automatically"));

  fixture_start (&f, NULL, ALL_ROLES);
  cqv_secret_store_store_async (f.store, SIM_TENANT_ID, CQV_MFA_CLIENT_APP_ID,
                                CQV_SECRET_KIND_CONNECTOR, NULL, secret, NULL, sim_store_result_cb,
                                &result);
  sim_wait_for_result (&result, 5000);
  g_assert_true (cqv_secret_store_store_finish (f.store, result, &error));
  g_assert_no_error (error);

  fixture_open (&f);
  g_assert_true (spin_until (shows_expiry, f.window));
  g_assert_cmpstr (cqv_checklist_window_get_expiry_text (f.window), ==, warning);
  gtk_window_set_default_size (GTK_WINDOW (f.window), 600, 860);
  gtk_test_widget_wait_for_draw (GTK_WIDGET (f.window));
  cqv_test_save_screenshot (GTK_WIDGET (f.window), "checklist-expiry.png");
  fixture_stop (&f);
}

static gboolean
verify_dialog_shown (gpointer data)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr (GtkWindow) window = g_list_model_get_item (toplevels, i);

      if (CQV_IS_VERIFY_DIALOG (window) && gtk_widget_get_mapped (GTK_WIDGET (window)))
        {
          *(GtkWindow **) data = window;
          return TRUE;
        }
    }
  return FALSE;
}

static gboolean
has_push_message (gpointer data)
{
  return g_strcmp0 (cqv_checklist_window_get_test_push_message (data), "") != 0 &&
         g_strcmp0 (cqv_checklist_window_get_test_push_message (data), "Looking for the user…") !=
           0;
}

static void
test_push (void)
{
  Fixture f = { 0 };
  GtkWidget *entry;
  GtkWindow *dialog = NULL;

  fixture_start (&f, NULL, ALL_ROLES);
  fixture_open (&f);
  entry = GTK_WIDGET (
    gtk_widget_get_template_child (GTK_WIDGET (f.window), CQV_TYPE_CHECKLIST_WINDOW, "upn_entry"));

  /* Nothing typed: say what to type. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f.window), "checklist.test-push", NULL));
  g_assert_nonnull (strstr (cqv_checklist_window_get_test_push_message (f.window), "Type"));

  /* Not in the tenant: the users are loaded first, then it says so. */
  gtk_editable_set_text (GTK_EDITABLE (entry), "nobody@" SIM_DOMAIN);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f.window), "checklist.test-push", NULL));
  g_assert_true (spin_until (has_push_message, f.window));
  g_assert_nonnull (strstr (cqv_checklist_window_get_test_push_message (f.window),
                            "no user “nobody@" SIM_DOMAIN "”"));

  /* Found (case-insensitive): the verify dialog opens for that user. */
  gtk_editable_set_text (GTK_EDITABLE (entry), "  ANN@" SIM_DOMAIN " ");
  g_signal_emit_by_name (entry, "activate");
  g_assert_true (spin_until (verify_dialog_shown, &dialog));
  g_assert_cmpstr (cqv_user_get_upn (cqv_verify_dialog_get_user (CQV_VERIFY_DIALOG (dialog))), ==,
                   "ann@" SIM_DOMAIN);
  g_assert_true (gtk_window_get_transient_for (dialog) == GTK_WINDOW (f.window));
  g_assert_cmpstr (cqv_checklist_window_get_test_push_message (f.window), ==, "");
  gtk_window_destroy (dialog);

  fixture_stop (&f);
}

static gboolean
check_idle (gpointer data)
{
  return !cqv_tenant_check_get_running (data);
}

/* The window shows the context's check, the one the verify dialogs and CqvVerification know: a
 * run started elsewhere shows in it, and its Re-check changes what they know. */
static void
test_shared_check (void)
{
  Fixture f = { 0 };
  CqvTenantCheck *check;
  CqvCheckRow *row;
  g_autoptr (GAsyncResult) result = NULL;
  g_autoptr (GListModel) items = NULL;
  g_autoptr (GError) error = NULL;

  fixture_start (&f, ", \"mfa_connector_sp\": \"disabled\"", ALL_ROLES);
  check = cqv_tenant_context_get_check (f.context);
  fixture_open (&f);
  g_assert_true (cqv_checklist_window_get_check (f.window) == check);
  assert_line (&f, CQV_CHECK_MFA_CONNECTOR, "Failed", TRUE);
  g_assert_cmpstr (cqv_check_item_get_id (cqv_tenant_check_get_blocking_item (check)), ==,
                   CQV_CHECK_MFA_CONNECTOR);

  /* Someone else (a verify dialog) runs it: the window follows. */
  row = cqv_checklist_window_get_row (f.window, CQV_CHECK_CREDENTIALS);
  cqv_tenant_check_run_async (check, NULL, sim_store_result_cb, &result);
  g_assert_true (cqv_check_row_get_spinning (row));
  g_assert_cmpstr (cqv_checklist_window_get_summary (f.window), ==, "Checking…");
  g_assert_false (gtk_widget_is_sensitive (GTK_WIDGET (gtk_widget_get_template_child (
    GTK_WIDGET (f.window), CQV_TYPE_CHECKLIST_WINDOW, "recheck_button"))));
  sim_wait_for_result (&result, 20000);
  items = cqv_tenant_check_run_finish (check, result, &error);
  g_assert_no_error (error);
  g_clear_object (&result);
  g_assert_true (spin_until (check_done, f.window));
  assert_line (&f, CQV_CHECK_MFA_CONNECTOR, "Failed", TRUE);

  /* Fixed, and checked again in the window: nothing blocks any more. */
  sim_fixture_set_tenant (f.sim, "{\"mfa_connector_sp\": \"enabled\"}");
  recheck (&f);
  assert_all_green (&f);
  g_assert_true (cqv_tenant_check_get_has_run (check));
  g_assert_null (cqv_tenant_check_get_blocking_item (check));

  /* Closing the window in the middle of a run stops it (no one else waits for it) and keeps
   * the verdict. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f.window), "checklist.recheck", NULL));
  g_assert_true (cqv_tenant_check_get_running (check));
  gtk_window_destroy (GTK_WINDOW (f.window));
  f.window = NULL;
  g_assert_true (spin_until (check_idle, check));
  g_assert_true (cqv_tenant_check_get_has_run (check));
  g_assert_true (cqv_tenant_check_get_passed (check));
  fixture_stop (&f);
}

/* The application's style, as the screenshots should show it. */
static void
load_css (void)
{
  g_autoptr (GtkCssProvider) provider = gtk_css_provider_new ();

  gtk_css_provider_load_from_resource (provider, "/com/cyberqp/Verify/style.css");
  gtk_style_context_add_provider_for_display (gdk_display_get_default (),
                                              GTK_STYLE_PROVIDER (provider),
                                              GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);
}

int
main (int argc, char *argv[])
{
  gtk_test_init (&argc, &argv, NULL);
  load_css ();

  g_test_add_func ("/cqv/checklist-window/new-destroy", test_new_destroy);
  g_test_add_func ("/cqv/checklist-window/healthy", test_healthy);
  g_test_add_func ("/cqv/checklist-window/missing-roles", test_missing_roles);
  g_test_add_func ("/cqv/checklist-window/service-principals", test_service_principals);
  g_test_add_func ("/cqv/checklist-window/no-premium", test_no_premium);
  g_test_add_func ("/cqv/checklist-window/expiry", test_expiry);
  g_test_add_func ("/cqv/checklist-window/test-push", test_push);
  g_test_add_func ("/cqv/checklist-window/shared-check", test_shared_check);

  return g_test_run ();
}
