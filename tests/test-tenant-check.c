/* SPDX-License-Identifier: GPL-3.0-or-later */

#define G_LOG_DOMAIN "test-tenant-check"

#include "config.h"

#include "cqv-consent.h"
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

/* The line that keeps pushes from working is @id (NULL: none), as a copy of the line. */
static void
assert_blocking (Fixture *f, const char *id)
{
  CqvCheckItem *blocking = cqv_tenant_check_get_blocking_item (f->check);
  CqvCheckItem *line;

  g_assert_true (cqv_tenant_check_get_has_run (f->check));
  if (id == NULL)
    {
      g_assert_null (blocking);
      return;
    }
  g_assert_nonnull (blocking);
  g_assert_cmpstr (cqv_check_item_get_id (blocking), ==, id);
  g_assert_true (cqv_tenant_check_blocks_push (id));
  line = cqv_tenant_check_find_item (f->check, id);
  g_assert_true (blocking != line);
  g_assert_cmpint (cqv_check_item_get_status (blocking), ==, CQV_CHECK_STATUS_FAILED);
  g_assert_cmpstr (cqv_check_item_get_title (blocking), ==, cqv_check_item_get_title (line));
  g_assert_cmpstr (cqv_check_item_get_detail (blocking), ==, cqv_check_item_get_detail (line));
  g_assert_cmpstr (cqv_check_item_get_fix (blocking), ==, cqv_check_item_get_fix (line));
  g_assert_cmpstr (cqv_check_item_get_fix_url (blocking), ==, cqv_check_item_get_fix_url (line));
  g_assert_false (cqv_tenant_check_get_passed (f->check));

  /* The first red line that blocks, in the checklist's order. */
  for (guint i = 0; i < g_list_model_get_n_items (cqv_tenant_check_get_items (f->check)); i++)
    {
      g_autoptr (CqvCheckItem) item =
        g_list_model_get_item (cqv_tenant_check_get_items (f->check), i);

      if (item == line)
        break;
      g_assert_false (cqv_check_item_get_status (item) == CQV_CHECK_STATUS_FAILED &&
                      cqv_tenant_check_blocks_push (cqv_check_item_get_id (item)));
    }
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
  g_assert_false (cqv_tenant_check_get_has_run (check));
  g_assert_null (cqv_tenant_check_get_blocking_item (check));
  g_assert_true (cqv_tenant_check_get_context (check) == context);
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
  assert_blocking (&f, NULL);

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
  assert_blocking (&f, CQV_CHECK_PERMISSION_AUTHENTICATOR);

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
  assert_blocking (&f, CQV_CHECK_MFA_CLIENT);

  /* The fault lifted: green again on re-check. */
  sim_fixture_set_tenant (f.sim, "{\"mfa_client_sp\": \"enabled\", \"mfa_connector_sp\": "
                                 "\"enabled\"}");
  run_check (&f);
  g_assert_true (cqv_tenant_check_get_passed (f.check));
  g_assert_cmpint (status_of (&f, CQV_CHECK_MFA_CLIENT), ==, CQV_CHECK_STATUS_OK);
  assert_blocking (&f, NULL);

  sim_fixture_set_tenant (f.sim, "{\"mfa_client_sp\": \"missing\"}");
  run_check (&f);
  assert_red (&f, CQV_CHECK_MFA_CLIENT);
  item = cqv_tenant_check_find_item (f.check, CQV_CHECK_MFA_CLIENT);
  g_assert_nonnull (strstr (cqv_check_item_get_fix (item), CQV_MFA_CLIENT_APP_ID));
  assert_blocking (&f, CQV_CHECK_MFA_CLIENT);

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
  assert_blocking (&f, NULL);

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
  assert_blocking (&f, CQV_CHECK_CREDENTIALS);

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
  assert_blocking (&f, NULL);

  fixture_stop (&f);
}

/* Each simulator fault that turns a line red that keeps pushes from working, and the line that
 * then blocks. The Application.ReadWrite.All line only matters through the connector secret's;
 * the optional lines never block. */
static void
test_blocking (void)
{
  static const struct
  {
    const char *name;
    const char *tenant_extra;
    const char *roles;
    const char *blocking;
  } cases[] = {
    { "healthy", NULL, ALL_ROLES, NULL },
    { "bad-secret", NULL, NULL, CQV_CHECK_CREDENTIALS },
    { "no-users-role", NULL, "\"UserAuthenticationMethod.Read.All\", \"Application.ReadWrite.All\"",
      CQV_CHECK_PERMISSION_USERS },
    { "no-authenticator-role", NULL, "\"User.Read.All\", \"Application.ReadWrite.All\"",
      CQV_CHECK_PERMISSION_AUTHENTICATOR },
    { "client-disabled", ", \"mfa_client_sp\": \"disabled\"", ALL_ROLES, CQV_CHECK_MFA_CLIENT },
    { "client-missing", ", \"mfa_client_sp\": \"missing\"", ALL_ROLES, CQV_CHECK_MFA_CLIENT },
    { "connector-disabled", ", \"mfa_connector_sp\": \"disabled\"", ALL_ROLES,
      CQV_CHECK_MFA_CONNECTOR },
    /* Reads the service principals, may not add the secret. */
    { "no-applications-write", NULL,
      "\"User.Read.All\", \"UserAuthenticationMethod.Read.All\", \"Application.Read.All\"",
      CQV_CHECK_CONNECTOR_SECRET },
    { "no-audit-log", ", \"p1\": false",
      "\"User.Read.All\", \"UserAuthenticationMethod.Read.All\", "
      "\"Application.ReadWrite.All\"",
      NULL },
  };

  g_assert_true (cqv_tenant_check_blocks_push (CQV_CHECK_CREDENTIALS));
  g_assert_true (cqv_tenant_check_blocks_push (CQV_CHECK_PERMISSION_USERS));
  g_assert_true (cqv_tenant_check_blocks_push (CQV_CHECK_PERMISSION_AUTHENTICATOR));
  g_assert_true (cqv_tenant_check_blocks_push (CQV_CHECK_MFA_CLIENT));
  g_assert_true (cqv_tenant_check_blocks_push (CQV_CHECK_MFA_CONNECTOR));
  g_assert_true (cqv_tenant_check_blocks_push (CQV_CHECK_CONNECTOR_SECRET));
  g_assert_false (cqv_tenant_check_blocks_push (CQV_CHECK_PERMISSION_APPLICATIONS));
  g_assert_false (cqv_tenant_check_blocks_push (CQV_CHECK_PERMISSION_AUDIT_LOG));
  g_assert_false (cqv_tenant_check_blocks_push (CQV_CHECK_REGISTRATION_REPORT));

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      Fixture f = { 0 };

      g_test_message ("fault: %s", cases[i].name);
      fixture_start (&f, cases[i].tenant_extra, cases[i].roles ? cases[i].roles : ALL_ROLES);
      if (g_str_equal (cases[i].name, "bad-secret"))
        sim_fixture_set_tenant (f.sim, "{\"apps\": [{\"client_id\": \"" SIM_APP_ID
                                       "\", \"secret\": \"another-secret\"}]}");
      run_check (&f);
      assert_blocking (&f, cases[i].blocking);
      if (g_str_equal (cases[i].name, "no-applications-write"))
        {
          assert_red (&f, CQV_CHECK_PERMISSION_APPLICATIONS);
          g_assert_cmpint (status_of (&f, CQV_CHECK_MFA_CLIENT), ==, CQV_CHECK_STATUS_OK);
        }
      fixture_stop (&f);
    }
}

/* The verdict stays the last finished run's while the next one runs, and changes when it
 * finishes. */
static void
test_verdict_kept (void)
{
  Fixture f = { 0 };
  g_autoptr (GAsyncResult) result = NULL;
  g_autoptr (GListModel) items = NULL;
  g_autoptr (CqvCheckItem) before = NULL;

  fixture_start (&f, ", \"mfa_connector_sp\": \"disabled\"", ALL_ROLES);
  run_check (&f);
  assert_blocking (&f, CQV_CHECK_MFA_CONNECTOR);
  before = g_object_ref (cqv_tenant_check_get_blocking_item (f.check));

  sim_fixture_set_tenant (f.sim, "{\"mfa_connector_sp\": \"enabled\"}");
  cqv_tenant_check_run_async (f.check, NULL, sim_store_result_cb, &result);
  g_assert_true (cqv_tenant_check_get_running (f.check));
  g_assert_cmpint (status_of (&f, CQV_CHECK_MFA_CONNECTOR), ==, CQV_CHECK_STATUS_PENDING);
  g_assert_true (cqv_tenant_check_get_has_run (f.check));
  g_assert_true (cqv_tenant_check_get_blocking_item (f.check) == before);
  g_assert_cmpint (cqv_check_item_get_status (before), ==, CQV_CHECK_STATUS_FAILED);

  sim_wait_for_result (&result, 20000);
  items = cqv_tenant_check_run_finish (f.check, result, NULL);
  g_assert_nonnull (items);
  assert_blocking (&f, NULL);
  g_assert_true (cqv_tenant_check_get_passed (f.check));
  /* The copy kept what it said. */
  g_assert_cmpint (cqv_check_item_get_status (before), ==, CQV_CHECK_STATUS_FAILED);
  /* The result holds the check. */
  g_clear_object (&result);
  fixture_stop (&f);
}

/* One list: the checklist's permission lines are the consent helper's permissions, with the
 * same names, alternatives and reasons. */
static void
test_permissions_from_consent (void)
{
  Fixture f = { 0 };
  guint n = 0;
  const CqvConsentPermission *permissions = cqv_consent_get_permissions (&n);
  GListModel *items;

  /* A token without any role. */
  fixture_start (&f, NULL, "");
  items = cqv_tenant_check_get_items (f.check);
  /* The credentials, then one line per permission in the consent helper's order. */
  g_assert_cmpuint (g_list_model_get_n_items (items), >=, n + 1);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr (CqvCheckItem) item = g_list_model_get_item (items, i + 1);

      g_assert_cmpstr (cqv_check_item_get_id (item), ==, permissions[i].check_id);
      g_assert_cmpstr (cqv_check_item_get_title (item), ==,
                       cqv_consent_permission_get_title (&permissions[i]));
      g_assert_true (cqv_consent_find_permission (permissions[i].check_id) == &permissions[i]);
    }

  run_check (&f);
  g_assert_cmpint (status_of (&f, CQV_CHECK_CREDENTIALS), ==, CQV_CHECK_STATUS_OK);
  for (guint i = 0; i < n; i++)
    {
      CqvCheckItem *item = cqv_tenant_check_find_item (f.check, permissions[i].check_id);
      const char *fix = cqv_check_item_get_fix (item);

      g_test_message ("%s: %s / %s", permissions[i].check_id, cqv_check_item_get_detail (item),
                      fix);
      g_assert_cmpint (cqv_check_item_get_status (item), ==,
                       permissions[i].optional ? CQV_CHECK_STATUS_WARNING
                                               : CQV_CHECK_STATUS_FAILED);
      g_assert_nonnull (strstr (cqv_check_item_get_detail (item),
                                cqv_consent_permission_get_reason (&permissions[i])));
      g_assert_nonnull (strstr (fix, permissions[i].name));
      if (permissions[i].alternative != NULL)
        g_assert_nonnull (strstr (fix, permissions[i].alternative));
      g_assert_true (
        g_str_has_prefix (cqv_check_item_get_fix_url (item), "https://entra.microsoft.com/"));
    }
  fixture_stop (&f);

  /* A broader permission also does, and the line says which. */
  fixture_start (&f, NULL,
                 "\"Directory.Read.All\", \"UserAuthenticationMethod.Read.All\", "
                 "\"Application.ReadWrite.All\"");
  run_check (&f);
  g_assert_cmpint (status_of (&f, CQV_CHECK_PERMISSION_USERS), ==, CQV_CHECK_STATUS_OK);
  g_assert_nonnull (strstr (
    cqv_check_item_get_detail (cqv_tenant_check_find_item (f.check, CQV_CHECK_PERMISSION_USERS)),
    "Directory.Read.All"));
  g_assert_cmpint (status_of (&f, CQV_CHECK_PERMISSION_AUTHENTICATOR), ==, CQV_CHECK_STATUS_OK);
  fixture_stop (&f);
}

/* One run for every caller: a second caller joins the run going on; one giving up does not stop
 * it for the other; the last giving up stops it. */
static void
test_shared_run (void)
{
  Fixture f = { 0 };
  g_autoptr (GCancellable) first_cancellable = g_cancellable_new ();
  g_autoptr (GCancellable) second_cancellable = g_cancellable_new ();
  g_autoptr (GCancellable) last_cancellable = g_cancellable_new ();
  g_autoptr (GAsyncResult) first = NULL;
  g_autoptr (GAsyncResult) second = NULL;
  g_autoptr (GAsyncResult) third = NULL;
  g_autoptr (GListModel) items = NULL;
  g_autoptr (GError) error = NULL;

  fixture_start (&f, NULL, ALL_ROLES);
  sim_fixture_clear_requests (f.sim);
  f.items_done = 0;
  cqv_tenant_check_run_async (f.check, first_cancellable, sim_store_result_cb, &first);
  cqv_tenant_check_run_async (f.check, second_cancellable, sim_store_result_cb, &second);
  cqv_tenant_check_run_async (f.check, NULL, sim_store_result_cb, &third);
  g_cancellable_cancel (first_cancellable);

  sim_wait_for_result (&first, 5000);
  g_assert_null (cqv_tenant_check_run_finish (f.check, first, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&error);
  g_assert_true (cqv_tenant_check_get_running (f.check));

  sim_wait_for_result (&second, 20000);
  g_assert_nonnull (third);
  items = cqv_tenant_check_run_finish (f.check, second, &error);
  g_assert_no_error (error);
  g_assert_true (items == cqv_tenant_check_get_items (f.check));
  g_clear_object (&items);
  items = cqv_tenant_check_run_finish (f.check, third, &error);
  g_assert_no_error (error);
  g_assert_true (cqv_tenant_check_get_passed (f.check));
  /* One run: each line once, one registration report request. */
  g_assert_cmpuint (f.items_done, ==, g_list_model_get_n_items (items));
  g_assert_cmpuint (sim_fixture_count_requests (f.sim, "GET", "userRegistrationDetails", 0), ==, 1);
  g_clear_object (&first);
  g_clear_object (&second);
  g_clear_object (&third);

  /* Every caller gives up: the run stops, the verdict stays the last one's. */
  cqv_tenant_check_run_async (f.check, last_cancellable, sim_store_result_cb, &first);
  g_assert_true (cqv_tenant_check_get_running (f.check));
  g_cancellable_cancel (last_cancellable);
  sim_wait_for_result (&first, 5000);
  g_assert_null (cqv_tenant_check_run_finish (f.check, first, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_false (cqv_tenant_check_get_running (f.check));
  g_assert_true (cqv_tenant_check_get_has_run (f.check));
  g_assert_true (cqv_tenant_check_get_passed (f.check));
  g_clear_object (&first);

  /* And the next run is a new one, not the stopped one. */
  run_check (&f);
  g_assert_true (cqv_tenant_check_get_passed (f.check));
  fixture_stop (&f);
}

/* The context makes one check, keeps it, and takes it along when it goes; the check does not
 * keep the context alive. */
static void
test_context_owns_check (void)
{
  g_autoptr (CqvSecretStore) store = cqv_secret_store_new_in_memory ();
  g_autoptr (CqvTenant) tenant =
    cqv_tenant_new ("Contoso", SIM_TENANT_ID, SIM_APP_ID, CQV_CLOUD_GLOBAL);
  g_autoptr (CqvHttpClient) http = cqv_http_client_new ();
  g_autoptr (CqvTokenProvider) tokens = cqv_token_provider_new (http);
  CqvTenantContext *context = cqv_tenant_context_new (tenant, store, http, tokens);
  CqvTenantCheck *check = cqv_tenant_context_get_check (context);
  CqvTenantCheck *standalone;
  gpointer weak = check;
  Fixture f = { 0 };

  g_assert_true (CQV_IS_TENANT_CHECK (check));
  g_assert_true (cqv_tenant_context_get_check (context) == check);
  g_assert_true (cqv_tenant_check_get_context (check) == context);
  g_object_add_weak_pointer (G_OBJECT (check), &weak);
  g_assert_finalize_object (context);
  g_assert_null (weak);

  /* A check of one's own outlives its context without holding it. */
  context = cqv_tenant_context_new (tenant, store, http, tokens);
  standalone = cqv_tenant_check_new (context);
  g_assert_finalize_object (context);
  g_assert_null (cqv_tenant_check_get_context (standalone));
  g_assert_finalize_object (standalone);

  /* After a run too. */
  fixture_start (&f, NULL, ALL_ROLES);
  g_clear_object (&f.check);
  f.check = g_object_ref (cqv_tenant_context_get_check (f.context));
  g_signal_connect (f.check, "item-done", G_CALLBACK (item_done_cb), &f);
  run_check (&f);
  weak = f.check;
  g_object_add_weak_pointer (G_OBJECT (f.check), &weak);
  g_clear_object (&f.check);
  g_assert_nonnull (weak);
  sim_wait_finalized (g_steal_pointer (&f.context), 2000);
  g_assert_null (weak);
  g_clear_object (&f.store);
  sim_fixture_stop (f.sim);
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
  g_test_add_func ("/cqv/tenant-check/blocking", test_blocking);
  g_test_add_func ("/cqv/tenant-check/verdict-kept", test_verdict_kept);
  g_test_add_func ("/cqv/tenant-check/permissions-from-consent", test_permissions_from_consent);
  g_test_add_func ("/cqv/tenant-check/shared-run", test_shared_run);
  g_test_add_func ("/cqv/tenant-check/context-owns-check", test_context_owns_check);

  return g_test_run ();
}
