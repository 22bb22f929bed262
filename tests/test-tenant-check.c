/* SPDX-License-Identifier: GPL-3.0-or-later */

#define G_LOG_DOMAIN "test-tenant-check"

#include "config.h"

#include "cqv-sim-fixture.h"
#include "cqv-tenant-check.h"

#define ALL_ROLES                                                                             \
  "\"User.Read.All\", \"UserAuthenticationMethod.Read.All\", \"Application.ReadWrite.All\", " \
  "\"AuditLog.Read.All\""

typedef struct
{
  SimFixture *sim;
  CqvSecretStore *store;
  CqvTenantContext *context;
  CqvTenantCheck *check;
  guint items_done;
} Fixture;

static void
item_done_cb (CqvTenantCheck *check, CqvCheckItem *item, gpointer user_data)
{
  Fixture *f = user_data;

  g_assert_cmpint (cqv_check_item_get_status (item), !=, CQV_CHECK_STATUS_PENDING);
  f->items_done++;
}

static void
fixture_start (Fixture *f, const char *tenant_extra, const char *roles)
{
  g_autofree char *scenario = sim_scenario_json (0, tenant_extra, roles, NULL);

  f->sim = sim_fixture_start (scenario);
  f->store = cqv_secret_store_new_in_memory ();
  f->context = sim_fixture_new_context (f->sim, f->store);
  f->check = cqv_tenant_check_new (f->context);
  g_signal_connect (f->check, "item-done", G_CALLBACK (item_done_cb), f);
}

static void
fixture_stop (Fixture *f)
{
  sim_wait_finalized (g_steal_pointer (&f->check), 2000);
  sim_wait_finalized (g_steal_pointer (&f->context), 2000);
  g_clear_object (&f->store);
  sim_fixture_stop (f->sim);
}

static void
run_check (Fixture *f)
{
  g_autoptr (GAsyncResult) result = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (GListModel) items = NULL;

  f->items_done = 0;
  cqv_tenant_check_run_async (f->check, NULL, sim_store_result_cb, &result);
  g_assert_true (cqv_tenant_check_get_running (f->check));
  sim_wait_for_result (&result, 20000);
  items = cqv_tenant_check_run_finish (f->check, result, &error);
  g_assert_no_error (error);
  g_assert_true (items == cqv_tenant_check_get_items (f->check));
  g_assert_false (cqv_tenant_check_get_running (f->check));
  g_assert_cmpuint (f->items_done, ==, g_list_model_get_n_items (items));
}

static CqvCheckStatus
status_of (Fixture *f, const char *id)
{
  CqvCheckItem *item = cqv_tenant_check_find_item (f->check, id);

  g_assert_nonnull (item);
  return cqv_check_item_get_status (item);
}

static void
assert_red (Fixture *f, const char *id)
{
  CqvCheckItem *item = cqv_tenant_check_find_item (f->check, id);

  g_assert_cmpint (cqv_check_item_get_status (item), ==, CQV_CHECK_STATUS_FAILED);
  g_assert_nonnull (cqv_check_item_get_detail (item));
  g_assert_nonnull (cqv_check_item_get_fix (item));
  g_assert_false (cqv_tenant_check_get_passed (f->check));
}

static void
test_items_before_run (void)
{
  g_autoptr (CqvSecretStore) store = cqv_secret_store_new_in_memory ();
  g_autoptr (CqvTenant) tenant =
    cqv_tenant_new ("Contoso", SIM_TENANT_ID, SIM_APP_ID, CQV_CLOUD_GLOBAL);
  g_autoptr (CqvHttpClient) http = cqv_http_client_new ();
  g_autoptr (CqvTokenProvider) tokens = cqv_token_provider_new (http);
  g_autoptr (CqvTenantContext) context = cqv_tenant_context_new (tenant, store, http, tokens);
  CqvTenantCheck *check = cqv_tenant_check_new (context);
  GListModel *items = cqv_tenant_check_get_items (check);
  const char *ids[] = { CQV_CHECK_CREDENTIALS,
                        CQV_CHECK_PERMISSION_USERS,
                        CQV_CHECK_PERMISSION_AUTHENTICATOR,
                        CQV_CHECK_PERMISSION_APPLICATIONS,
                        CQV_CHECK_PERMISSION_AUDIT_LOG,
                        CQV_CHECK_MFA_CLIENT,
                        CQV_CHECK_MFA_CONNECTOR,
                        CQV_CHECK_CONNECTOR_SECRET,
                        CQV_CHECK_REGISTRATION_REPORT };

  g_assert_cmpuint (g_list_model_get_item_type (items), ==, CQV_TYPE_CHECK_ITEM);
  g_assert_cmpuint (g_list_model_get_n_items (items), ==, G_N_ELEMENTS (ids));
  for (guint i = 0; i < G_N_ELEMENTS (ids); i++)
    {
      g_autoptr (CqvCheckItem) item = g_list_model_get_item (items, i);

      g_assert_cmpstr (cqv_check_item_get_id (item), ==, ids[i]);
      g_assert_cmpstr (cqv_check_item_get_title (item), !=, "");
      g_assert_cmpint (cqv_check_item_get_status (item), ==, CQV_CHECK_STATUS_PENDING);
    }
  g_assert_false (cqv_tenant_check_get_passed (check));
  g_assert_null (cqv_tenant_check_find_item (check, "nope"));
  g_assert_cmpstr (cqv_check_status_to_string (CQV_CHECK_STATUS_WARNING), ==, "warning");
  g_assert_finalize_object (check);
}

static void
test_healthy (void)
{
  Fixture f = { 0 };
  GListModel *items;

  fixture_start (&f, NULL, ALL_ROLES);
  sim_fixture_clear_requests (f.sim);
  run_check (&f);

  items = cqv_tenant_check_get_items (f.check);
  for (guint i = 0; i < g_list_model_get_n_items (items); i++)
    {
      g_autoptr (CqvCheckItem) item = g_list_model_get_item (items, i);

      g_test_message ("%s: %s", cqv_check_item_get_id (item), cqv_check_item_get_detail (item));
      g_assert_cmpint (cqv_check_item_get_status (item), ==, CQV_CHECK_STATUS_OK);
      g_assert_null (cqv_check_item_get_fix (item));
    }
  g_assert_true (cqv_tenant_check_get_passed (f.check));

  /* Read-only: nothing created, enabled or provisioned. */
  g_assert_cmpuint (sim_fixture_count_requests (f.sim, "POST", "/v1.0/", 0), ==, 0);
  g_assert_cmpuint (sim_fixture_count_requests (f.sim, "PATCH", "/", 0), ==, 0);

  /* Run again: the same verdicts. */
  run_check (&f);
  g_assert_true (cqv_tenant_check_get_passed (f.check));

  fixture_stop (&f);
}

static void
test_missing_roles (void)
{
  Fixture f = { 0 };
  CqvCheckItem *item;

  /* Only User.Read.All. */
  fixture_start (&f, NULL, "\"User.Read.All\"");
  run_check (&f);

  g_assert_cmpint (status_of (&f, CQV_CHECK_CREDENTIALS), ==, CQV_CHECK_STATUS_OK);
  g_assert_cmpint (status_of (&f, CQV_CHECK_PERMISSION_USERS), ==, CQV_CHECK_STATUS_OK);
  assert_red (&f, CQV_CHECK_PERMISSION_AUTHENTICATOR);
  assert_red (&f, CQV_CHECK_PERMISSION_APPLICATIONS);
  /* Optional: a warning, never red. */
  g_assert_cmpint (status_of (&f, CQV_CHECK_PERMISSION_AUDIT_LOG), ==, CQV_CHECK_STATUS_WARNING);
  item = cqv_tenant_check_find_item (f.check, CQV_CHECK_PERMISSION_APPLICATIONS);
  g_assert_nonnull (strstr (cqv_check_item_get_fix (item), "Application.ReadWrite.All"));
  g_assert_true (
    g_str_has_prefix (cqv_check_item_get_fix_url (item), "https://entra.microsoft.com/"));
  /* Service principals cannot be read without an Application permission. */
  assert_red (&f, CQV_CHECK_MFA_CLIENT);
  /* Not provisioned, and the app may not provision it. */
  assert_red (&f, CQV_CHECK_CONNECTOR_SECRET);

  fixture_stop (&f);
}

static void
test_service_principals (void)
{
  Fixture f = { 0 };
  CqvCheckItem *item;

  fixture_start (&f, ", \"mfa_client_sp\": \"disabled\", \"mfa_connector_sp\": \"disabled\"",
                 ALL_ROLES);
  run_check (&f);
  assert_red (&f, CQV_CHECK_MFA_CLIENT);
  assert_red (&f, CQV_CHECK_MFA_CONNECTOR);
  item = cqv_tenant_check_find_item (f.check, CQV_CHECK_MFA_CLIENT);
  g_assert_nonnull (strstr (cqv_check_item_get_fix_url (item), CQV_MFA_CLIENT_APP_ID));

  /* The fault lifted: green again on re-check. */
  sim_fixture_set_tenant (f.sim, "{\"mfa_client_sp\": \"enabled\", \"mfa_connector_sp\": "
                                 "\"enabled\"}");
  run_check (&f);
  g_assert_true (cqv_tenant_check_get_passed (f.check));
  g_assert_cmpint (status_of (&f, CQV_CHECK_MFA_CLIENT), ==, CQV_CHECK_STATUS_OK);

  sim_fixture_set_tenant (f.sim, "{\"mfa_client_sp\": \"missing\"}");
  run_check (&f);
  assert_red (&f, CQV_CHECK_MFA_CLIENT);
  item = cqv_tenant_check_find_item (f.check, CQV_CHECK_MFA_CLIENT);
  g_assert_nonnull (strstr (cqv_check_item_get_fix (item), CQV_MFA_CLIENT_APP_ID));

  fixture_stop (&f);
}

static void
test_no_premium (void)
{
  Fixture f = { 0 };

  fixture_start (&f, ", \"p1\": false", ALL_ROLES);
  run_check (&f);
  /* The per-user fallback is in use: a warning, not red. */
  g_assert_cmpint (status_of (&f, CQV_CHECK_REGISTRATION_REPORT), ==, CQV_CHECK_STATUS_WARNING);
  g_assert_true (cqv_tenant_check_get_passed (f.check));

  fixture_stop (&f);
}

static void
test_bad_secret (void)
{
  Fixture f = { 0 };
  CqvCheckItem *item;

  fixture_start (&f, NULL, ALL_ROLES);
  sim_fixture_set_tenant (f.sim, "{\"apps\": [{\"client_id\": \"" SIM_APP_ID "\", \"secret\": "
                                 "\"another-secret\"}]}");
  run_check (&f);
  assert_red (&f, CQV_CHECK_CREDENTIALS);
  item = cqv_tenant_check_find_item (f.check, CQV_CHECK_CREDENTIALS);
  g_assert_nonnull (strstr (cqv_check_item_get_fix_url (item), SIM_APP_ID));
  /* The secret is never part of what is shown. */
  g_assert_null (strstr (cqv_check_item_get_detail (item), SIM_APP_SECRET));
  g_assert_cmpint (status_of (&f, CQV_CHECK_PERMISSION_USERS), ==, CQV_CHECK_STATUS_SKIPPED);
  g_assert_cmpint (status_of (&f, CQV_CHECK_REGISTRATION_REPORT), ==, CQV_CHECK_STATUS_SKIPPED);

  fixture_stop (&f);
}

/* After a push, the connector secret line shows the provisioned secret and its expiry. */
static void
test_connector_secret (void)
{
  Fixture f = { 0 };
  g_autoptr (CqvSecret) secret = NULL;
  g_autoptr (GAsyncResult) result = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (GDateTime) expires = NULL;
  CqvCheckItem *item;

  fixture_start (&f, NULL, ALL_ROLES);
  run_check (&f);
  item = cqv_tenant_check_find_item (f.check, CQV_CHECK_CONNECTOR_SECRET);
  g_assert_cmpint (cqv_check_item_get_status (item), ==, CQV_CHECK_STATUS_OK);
  g_assert_nonnull (strstr (cqv_check_item_get_detail (item), "first push"));

  /* A stored secret that is not on the service principal (removed in the portal). */
  expires = g_date_time_new_utc (2999, 1, 2, 0, 0, 0);
  secret = cqv_secret_new ("not-on-the-sp", "00000000-0000-4000-8000-000000000001", expires);
  cqv_secret_store_store_async (f.store, SIM_TENANT_ID, CQV_MFA_CLIENT_APP_ID,
                                CQV_SECRET_KIND_CONNECTOR, NULL, secret, NULL, sim_store_result_cb,
                                &result);
  sim_wait_for_result (&result, 5000);
  g_assert_true (cqv_secret_store_store_finish (f.store, result, &error));
  g_assert_no_error (error);

  run_check (&f);
  g_assert_cmpint (cqv_check_item_get_status (item), ==, CQV_CHECK_STATUS_WARNING);
  g_assert_true (cqv_tenant_check_get_passed (f.check));

  fixture_stop (&f);
}

static void
test_cancel (void)
{
  Fixture f = { 0 };
  g_autoptr (GCancellable) cancellable = g_cancellable_new ();
  g_autoptr (GAsyncResult) result = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (GListModel) items = NULL;

  fixture_start (&f, NULL, ALL_ROLES);
  cqv_tenant_check_run_async (f.check, cancellable, sim_store_result_cb, &result);
  g_cancellable_cancel (cancellable);
  sim_wait_for_result (&result, 5000);
  items = cqv_tenant_check_run_finish (f.check, result, &error);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_null (items);
  g_assert_false (cqv_tenant_check_get_running (f.check));
  /* The result holds the check. */
  g_clear_object (&result);

  fixture_stop (&f);
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/cqv/tenant-check/items-before-run", test_items_before_run);
  g_test_add_func ("/cqv/tenant-check/healthy", test_healthy);
  g_test_add_func ("/cqv/tenant-check/missing-roles", test_missing_roles);
  g_test_add_func ("/cqv/tenant-check/service-principals", test_service_principals);
  g_test_add_func ("/cqv/tenant-check/no-premium", test_no_premium);
  g_test_add_func ("/cqv/tenant-check/bad-secret", test_bad_secret);
  g_test_add_func ("/cqv/tenant-check/connector-secret", test_connector_secret);
  g_test_add_func ("/cqv/tenant-check/cancel", test_cancel);

  return g_test_run ();
}
