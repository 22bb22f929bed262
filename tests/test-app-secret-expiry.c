/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-app-secret-expiry"

#include "config.h"

#include "cqv-app-secret-expiry.h"
#include "cqv-sim-fixture.h"

#define WARNING_TAIL ". Create a new client secret in the Entra admin center and update the tenant."

static char *
local_date (GDateTime *dt)
{
  g_autoptr (GDateTime) local = g_date_time_to_local (dt);

  return g_date_time_format (local, "%Y-%m-%d");
}

static char *
warning_in (GDateTime *now, GTimeSpan span)
{
  g_autoptr (GDateTime) expires = g_date_time_add (now, span);

  return cqv_app_secret_expiry_warning (expires, now);
}

static void
test_warning_boundaries (void)
{
  g_autoptr (GDateTime) now = g_date_time_new_utc (2025, 3, 10, 12, 0, 0);
  g_autoptr (GDateTime) in_29 = g_date_time_add_days (now, 29);
  g_autoptr (GDateTime) in_30 = g_date_time_add_days (now, 30);
  g_autoptr (GDateTime) ago_1 = g_date_time_add_days (now, -1);
  g_autofree char *date_29 = local_date (in_29);
  g_autofree char *date_30 = local_date (in_30);
  g_autofree char *date_ago = local_date (ago_1);
  g_autofree char *expected = NULL;
  g_autofree char *warning = NULL;

  /* 31 days, and a second more than 30: no warning yet. */
  g_assert_null (warning_in (now, 31 * G_TIME_SPAN_DAY));
  g_assert_null (warning_in (now, 30 * G_TIME_SPAN_DAY + G_TIME_SPAN_SECOND));
  g_assert_null (cqv_app_secret_expiry_warning (NULL, now));

  /* 30 days exactly, and 29: warned, with the date. */
  warning = cqv_app_secret_expiry_warning (in_30, now);
  expected = g_strconcat ("The app secret expires on ", date_30, WARNING_TAIL, NULL);
  g_assert_cmpstr (warning, ==, expected);
  g_clear_pointer (&warning, g_free);
  g_clear_pointer (&expected, g_free);

  warning = cqv_app_secret_expiry_warning (in_29, now);
  expected = g_strconcat ("The app secret expires on ", date_29, WARNING_TAIL, NULL);
  g_assert_cmpstr (warning, ==, expected);
  g_clear_pointer (&warning, g_free);
  g_clear_pointer (&expected, g_free);

  /* A second left is still "expires"; at the moment itself and after, "expired". */
  warning = warning_in (now, G_TIME_SPAN_SECOND);
  g_assert_true (g_str_has_prefix (warning, "The app secret expires on "));
  g_clear_pointer (&warning, g_free);
  warning = warning_in (now, 0);
  g_assert_true (g_str_has_prefix (warning, "The app secret expired on "));
  g_clear_pointer (&warning, g_free);

  warning = cqv_app_secret_expiry_warning (ago_1, now);
  expected = g_strconcat ("The app secret expired on ", date_ago, WARNING_TAIL, NULL);
  g_assert_cmpstr (warning, ==, expected);
}

static GDateTime *
lookup (CqvTenantContext *context, GError **error)
{
  g_autoptr (GAsyncResult) result = NULL;

  cqv_app_secret_expiry_lookup_async (context, NULL, sim_store_result_cb, &result);
  sim_wait_for_result (&result, 10000);
  return cqv_app_secret_expiry_lookup_finish (context, result, error);
}

/* Through the simulator: the expiry of the secret in use, as its scenario sets it. */
static void
test_lookup (void)
{
  g_autofree char *scenario = sim_scenario_json (0, NULL, NULL, NULL);
  SimFixture *sim = sim_fixture_start (scenario);
  g_autoptr (CqvSecretStore) store = cqv_secret_store_new_in_memory ();
  g_autoptr (CqvTenantContext) context = NULL;
  g_autoptr (GDateTime) before = g_date_time_new_now_utc ();
  g_autoptr (GDateTime) expires = NULL;
  g_autoptr (GDateTime) after = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *warning = NULL;

  sim_fixture_set_tenant (sim, "{\"apps\": [{\"client_id\": \"" SIM_APP_ID "\","
                               " \"secret_expires_in_days\": 10}]}");
  context = sim_fixture_new_context (sim, store);
  expires = lookup (context, &error);
  g_assert_no_error (error);
  g_assert_nonnull (expires);
  after = g_date_time_new_now_utc ();
  g_assert_cmpint (g_date_time_difference (expires, before), >=, 10 * G_TIME_SPAN_DAY);
  g_assert_cmpint (g_date_time_difference (expires, after), <=, 10 * G_TIME_SPAN_DAY);
  warning = cqv_app_secret_expiry_warning (expires, after);
  g_assert_true (g_str_has_prefix (warning, "The app secret expires on "));
  g_assert_cmpuint (sim_fixture_count_requests (sim, "GET", "/v1.0/applications", 200), ==, 1);
  g_clear_pointer (&expires, g_date_time_unref);

  /* The scenario's default: a year away, no warning. */
  sim_fixture_set_tenant (sim, "{\"apps\": [{\"client_id\": \"" SIM_APP_ID "\","
                               " \"secret_expires_in_days\": 365}]}");
  expires = lookup (context, &error);
  g_assert_no_error (error);
  g_assert_null (cqv_app_secret_expiry_warning (expires, after));
  g_clear_pointer (&expires, g_date_time_unref);

  /* Another secret in the registration than ours: unknown. */
  sim_fixture_set_tenant (sim, "{\"apps\": [{\"client_id\": \"" SIM_APP_ID "\","
                               " \"secret\": \"other-secret\"}]}");
  g_assert_null (lookup (context, &error));
  g_assert_error (error, CQV_GRAPH_ERROR, CQV_GRAPH_ERROR_NO_MATCHING_SECRET);
  g_clear_error (&error);

  g_clear_object (&context);
  sim_fixture_stop (sim);
}

/* Without a role that reads applications the expiry is unknown, not an error to show. */
static void
test_lookup_forbidden (void)
{
  g_autofree char *scenario =
    sim_scenario_json (0, NULL, "\"User.Read.All\", \"UserAuthenticationMethod.Read.All\"", NULL);
  SimFixture *sim = sim_fixture_start (scenario);
  g_autoptr (CqvSecretStore) store = cqv_secret_store_new_in_memory ();
  g_autoptr (CqvTenantContext) context = sim_fixture_new_context (sim, store);
  g_autoptr (GError) error = NULL;

  g_assert_null (lookup (context, &error));
  g_assert_error (error, CQV_GRAPH_ERROR, CQV_GRAPH_ERROR_PERMISSION_MISSING);
  g_assert_cmpuint (sim_fixture_count_requests (sim, "GET", "/v1.0/applications", 403), ==, 1);

  g_clear_object (&context);
  sim_fixture_stop (sim);
}

/* No app secret in the keyring: the context's own error, and nothing is asked of Graph. */
static void
test_lookup_no_secret (void)
{
  g_autoptr (CqvSecretStore) store = cqv_secret_store_new_in_memory ();
  g_autoptr (CqvTenant) tenant =
    cqv_tenant_new ("Contoso", SIM_TENANT_ID, SIM_APP_ID, CQV_CLOUD_GLOBAL);
  g_autoptr (CqvHttpClient) http = cqv_http_client_new ();
  g_autoptr (CqvTokenProvider) tokens = cqv_token_provider_new (http);
  g_autoptr (CqvTenantContext) context = NULL;
  g_autoptr (GError) error = NULL;

  cqv_tenant_set_login_url (tenant, "http://127.0.0.1:9");
  cqv_tenant_set_graph_url (tenant, "http://127.0.0.1:9");
  cqv_tenant_set_mfa_url (tenant, "http://127.0.0.1:9");
  context = cqv_tenant_context_new (tenant, store, http, tokens);
  g_assert_null (lookup (context, &error));
  g_assert_error (error, CQV_TENANT_CONTEXT_ERROR, CQV_TENANT_CONTEXT_ERROR_NO_APP_SECRET);
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/cqv/app-secret-expiry/warning-boundaries", test_warning_boundaries);
  g_test_add_func ("/cqv/app-secret-expiry/lookup", test_lookup);
  g_test_add_func ("/cqv/app-secret-expiry/lookup-forbidden", test_lookup_forbidden);
  g_test_add_func ("/cqv/app-secret-expiry/lookup-no-secret", test_lookup_no_secret);

  return g_test_run ();
}
