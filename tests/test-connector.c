/* SPDX-License-Identifier: GPL-3.0-or-later */

#define G_LOG_DOMAIN "test-connector"

#include "config.h"

#include "cqv-connector.h"
#include "cqv-sim-fixture.h"

typedef struct
{
  SimFixture *sim;
  CqvSecretStore *store;
  CqvTenantContext *context;
  CqvConnector *connector;
} Fixture;

static void
fixture_start (Fixture *f, const char *tenant_extra, const char *roles, const char *users)
{
  g_autofree char *scenario = sim_scenario_json (500, tenant_extra, roles, users);

  f->sim = sim_fixture_start (scenario);
  f->store = cqv_secret_store_new_in_memory ();
  f->context = sim_fixture_new_context (f->sim, f->store);
  f->connector = cqv_tenant_context_get_connector (f->context);
}

static void
fixture_stop (Fixture *f)
{
  f->connector = NULL;
  g_assert_finalize_object (f->context);
  g_clear_object (&f->store);
  sim_fixture_stop (f->sim);
}

static GPtrArray *
ensure (Fixture *f, GError **error)
{
  g_autoptr (GAsyncResult) result = NULL;

  cqv_connector_ensure_service_principals_async (f->connector, NULL, sim_store_result_cb, &result);
  sim_wait_for_result (&result, 10000);
  return cqv_connector_ensure_service_principals_finish (f->connector, result, error);
}

static CqvConnectorCredential *
add_password (Fixture *f, char **secret, GError **error)
{
  g_autoptr (GAsyncResult) result = NULL;

  cqv_connector_add_password_async (f->connector, NULL, sim_store_result_cb, &result);
  sim_wait_for_result (&result, 10000);
  return cqv_connector_add_password_finish (f->connector, result, secret, error);
}

static char *
get_token (Fixture *f, gboolean wait, GError **error)
{
  g_autoptr (GAsyncResult) result = NULL;

  cqv_connector_get_token_async (f->connector, wait, NULL, sim_store_result_cb, &result);
  sim_wait_for_result (&result, 20000);
  return cqv_connector_get_token_finish (f->connector, result, error);
}

static CqvOutcome *
push (Fixture *f, const char *upn, GError **error)
{
  g_autoptr (GAsyncResult) result = NULL;
  g_autofree char *context_id = g_uuid_string_random ();

  cqv_connector_push_async (f->connector, upn, context_id, NULL, sim_store_result_cb, &result);
  sim_wait_for_result (&result, 20000);
  return cqv_connector_push_finish (f->connector, result, error);
}

/* SPs ensured, a secret added and working. */
static void
provision (Fixture *f)
{
  g_autoptr (GPtrArray) credentials = NULL;
  g_autoptr (CqvConnectorCredential) credential = NULL;
  g_autoptr (GError) error = NULL;
  char *secret = NULL;
  char *token;

  credentials = ensure (f, &error);
  g_assert_no_error (error);
  credential = add_password (f, &secret, &error);
  g_assert_no_error (error);
  cqv_connector_set_secret (f->connector, secret);
  cqv_connector_secret_free (secret);
  token = get_token (f, TRUE, &error);
  g_assert_no_error (error);
  cqv_token_free (token);
}

static void
test_ensure_creates_missing (void)
{
  Fixture f = { 0 };
  g_autoptr (GPtrArray) credentials = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonObject) sp = NULL;

  fixture_start (&f, ", \"mfa_client_sp\": \"missing\"", NULL, NULL);
  g_assert_null (sim_fixture_get_sp (f.sim, CQV_MFA_CLIENT_APP_ID));

  credentials = ensure (&f, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (credentials->len, ==, 0);

  sp = sim_fixture_get_sp (f.sim, CQV_MFA_CLIENT_APP_ID);
  g_assert_nonnull (sp);
  g_assert_true (json_object_get_boolean_member (sp, "accountEnabled"));
  g_assert_cmpstr (cqv_connector_get_service_principal_id (f.connector), ==,
                   json_object_get_string_member (sp, "id"));
  g_assert_cmpuint (sim_fixture_count_requests (f.sim, "POST", "/v1.0/servicePrincipals", 201), ==,
                    1);

  fixture_stop (&f);
}

static void
test_ensure_enables_disabled (void)
{
  Fixture f = { 0 };
  g_autoptr (GPtrArray) credentials = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonObject) client = NULL;
  g_autoptr (JsonObject) connector = NULL;

  fixture_start (&f, ", \"mfa_client_sp\": \"disabled\", \"mfa_connector_sp\": \"disabled\"", NULL,
                 NULL);

  credentials = ensure (&f, &error);
  g_assert_no_error (error);

  client = sim_fixture_get_sp (f.sim, CQV_MFA_CLIENT_APP_ID);
  connector = sim_fixture_get_sp (f.sim, CQV_MFA_CONNECTOR_APP_ID);
  g_assert_true (json_object_get_boolean_member (client, "accountEnabled"));
  g_assert_true (json_object_get_boolean_member (connector, "accountEnabled"));
  g_assert_cmpuint (sim_fixture_count_requests (f.sim, "PATCH", "/servicePrincipals", 0), ==, 2);
  g_assert_cmpuint (sim_fixture_count_requests (f.sim, "POST", "/servicePrincipals", 0), ==, 0);

  /* Already enabled: nothing to change the second time. */
  sim_fixture_clear_requests (f.sim);
  g_clear_pointer (&credentials, g_ptr_array_unref);
  credentials = ensure (&f, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (sim_fixture_count_requests (f.sim, "PATCH", "/servicePrincipals", 0), ==, 0);
  g_assert_cmpuint (sim_fixture_count_all_requests (f.sim), ==, 2);

  fixture_stop (&f);
}

static void
test_ensure_permission_missing (void)
{
  Fixture f = { 0 };
  g_autoptr (GPtrArray) credentials = NULL;
  g_autoptr (GError) error = NULL;

  fixture_start (&f, NULL, "\"User.Read.All\"", NULL);

  credentials = ensure (&f, &error);
  g_assert_error (error, CQV_GRAPH_ERROR, CQV_GRAPH_ERROR_PERMISSION_MISSING);
  g_assert_null (credentials);
  g_assert_nonnull (strstr (error->message, "Application.ReadWrite.All"));

  fixture_stop (&f);
}

static void
test_add_password (void)
{
  Fixture f = { 0 };
  g_autoptr (GPtrArray) credentials = NULL;
  g_autoptr (CqvConnectorCredential) credential = NULL;
  g_autoptr (GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonObject) sp = NULL;
  JsonObject *listed;
  char *secret = NULL;
  GTimeSpan life;

  fixture_start (&f, NULL, NULL, NULL);

  /* Not possible before the service principal is known. */
  credential = add_password (&f, &secret, &error);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_INITIALIZED);
  g_assert_null (credential);
  g_assert_null (secret);
  g_clear_error (&error);

  credentials = ensure (&f, &error);
  g_assert_no_error (error);
  credential = add_password (&f, &secret, &error);
  g_assert_no_error (error);
  g_assert_nonnull (credential);
  g_assert_nonnull (secret);
  g_assert_cmpuint (strlen (secret), >=, 16);
  g_assert_cmpstr (credential->display_name, ==, CQV_CONNECTOR_CREDENTIAL_NAME);

  life = g_date_time_difference (credential->end, now);
  g_assert_cmpint (life, >, 179 * G_TIME_SPAN_DAY);
  g_assert_cmpint (life, <=, 180 * G_TIME_SPAN_DAY + G_TIME_SPAN_MINUTE);
  g_assert_cmpint (g_date_time_difference (now, credential->start), >=, 4 * G_TIME_SPAN_MINUTE);

  sp = sim_fixture_get_sp (f.sim, CQV_MFA_CLIENT_APP_ID);
  g_assert_cmpuint (
    json_array_get_length (json_object_get_array_member (sp, "passwordCredentials")), ==, 1);
  listed =
    json_array_get_object_element (json_object_get_array_member (sp, "passwordCredentials"), 0);
  g_assert_cmpstr (json_object_get_string_member (listed, "keyId"), ==, credential->key_id);
  g_assert_cmpstr (json_object_get_string_member (listed, "displayName"), ==,
                   CQV_CONNECTOR_CREDENTIAL_NAME);

  cqv_connector_secret_free (secret);
  fixture_stop (&f);
}

static void
test_add_password_policy_lifetime (void)
{
  Fixture f = { 0 };
  g_autoptr (GPtrArray) credentials = NULL;
  g_autoptr (CqvConnectorCredential) credential = NULL;
  g_autoptr (GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr (GError) error = NULL;
  char *secret = NULL;

  fixture_start (&f, ", \"max_password_lifetime_days\": 30", NULL, NULL);

  credentials = ensure (&f, &error);
  g_assert_no_error (error);
  credential = add_password (&f, &secret, &error);
  g_assert_no_error (error);

  /* 180 and 90 days refused, 30 accepted. */
  g_assert_cmpint (g_date_time_difference (credential->end, now), <=,
                   30 * G_TIME_SPAN_DAY + G_TIME_SPAN_MINUTE);
  g_assert_cmpint (g_date_time_difference (credential->end, now), >, 29 * G_TIME_SPAN_DAY);
  g_assert_cmpuint (sim_fixture_count_requests (f.sim, "POST", "/addPassword", 400), ==, 2);
  g_assert_cmpuint (sim_fixture_count_requests (f.sim, "POST", "/addPassword", 200), ==, 1);
  g_assert_cmpuint (sim_fixture_count_passwords (f.sim), ==, 1);

  cqv_connector_secret_free (secret);
  fixture_stop (&f);
}

static void
test_add_password_policy_refuses (void)
{
  Fixture f = { 0 };
  g_autoptr (GPtrArray) credentials = NULL;
  g_autoptr (CqvConnectorCredential) credential = NULL;
  g_autoptr (GError) error = NULL;
  char *secret = NULL;

  fixture_start (&f, ", \"max_password_lifetime_days\": 3", NULL, NULL);

  credentials = ensure (&f, &error);
  g_assert_no_error (error);
  credential = add_password (&f, &secret, &error);
  g_assert_error (error, CQV_CONNECTOR_ERROR, CQV_CONNECTOR_ERROR_POLICY);
  g_assert_null (credential);
  g_assert_null (secret);
  /* Actionable: names the app and what to change. */
  g_assert_nonnull (strstr (error->message, CQV_MFA_CLIENT_APP_ID));
  g_assert_nonnull (strstr (error->message, "policy"));
  g_assert_cmpuint (sim_fixture_count_requests (f.sim, "POST", "/addPassword", 400), ==, 4);
  g_assert_cmpuint (sim_fixture_count_passwords (f.sim), ==, 0);

  fixture_stop (&f);
}

static void
test_remove_password (void)
{
  Fixture f = { 0 };
  g_autoptr (GPtrArray) credentials = NULL;
  g_autoptr (CqvConnectorCredential) credential = NULL;
  g_autoptr (GAsyncResult) result = NULL;
  g_autoptr (GError) error = NULL;
  char *secret = NULL;

  fixture_start (&f, NULL, NULL, NULL);
  credentials = ensure (&f, &error);
  g_assert_no_error (error);
  credential = add_password (&f, &secret, &error);
  g_assert_no_error (error);
  cqv_connector_secret_free (secret);
  g_assert_cmpuint (sim_fixture_count_passwords (f.sim), ==, 1);

  cqv_connector_remove_password_async (f.connector, credential->key_id, NULL, sim_store_result_cb,
                                       &result);
  sim_wait_for_result (&result, 10000);
  g_assert_true (cqv_connector_remove_password_finish (f.connector, result, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (sim_fixture_count_passwords (f.sim), ==, 0);

  fixture_stop (&f);
}

static void
test_credential_expired_ours (void)
{
  g_autoptr (GDateTime) now = g_date_time_new_now_utc ();
  CqvConnectorCredential credential = { 0 };

  credential.key_id = (char *) "k";
  credential.display_name = (char *) CQV_CONNECTOR_CREDENTIAL_NAME;
  credential.end = g_date_time_add_days (now, -1);
  g_assert_true (cqv_connector_credential_is_expired_ours (&credential, now));

  credential.display_name = (char *) "Someone else's";
  g_assert_false (cqv_connector_credential_is_expired_ours (&credential, now));

  credential.display_name = (char *) CQV_CONNECTOR_CREDENTIAL_NAME;
  g_date_time_unref (credential.end);
  credential.end = g_date_time_add_days (now, 1);
  g_assert_false (cqv_connector_credential_is_expired_ours (&credential, now));
  g_date_time_unref (credential.end);
}

static void
test_token_propagation (void)
{
  Fixture f = { 0 };
  g_autoptr (GPtrArray) credentials = NULL;
  g_autoptr (CqvConnectorCredential) credential = NULL;
  g_autoptr (GError) error = NULL;
  char *secret = NULL;
  char *token;

  /* 10 s, scaled to 200 ms. */
  fixture_start (&f, ", \"secret_propagation_seconds\": 10", NULL, NULL);
  credentials = ensure (&f, &error);
  g_assert_no_error (error);
  credential = add_password (&f, &secret, &error);
  g_assert_no_error (error);
  cqv_connector_set_secret (f.connector, secret);
  cqv_connector_secret_free (secret);
  g_assert_true (cqv_connector_has_secret (f.connector));

  /* Without waiting, a brand-new secret is refused. */
  token = get_token (&f, FALSE, &error);
  g_assert_error (error, CQV_AUTH_ERROR, CQV_AUTH_ERROR_INVALID_SECRET);
  g_assert_null (token);
  g_clear_error (&error);

  token = get_token (&f, TRUE, &error);
  g_assert_no_error (error);
  g_assert_nonnull (token);
  cqv_token_free (token);
  g_assert_cmpuint (sim_fixture_count_requests (f.sim, "POST", "/oauth2/token", 401), >=, 2);
  g_assert_cmpuint (sim_fixture_count_requests (f.sim, "POST", "/oauth2/token", 200), >=, 1);

  fixture_stop (&f);
}

static void
test_token_propagation_gives_up (void)
{
  Fixture f = { 0 };
  g_autoptr (GPtrArray) credentials = NULL;
  g_autoptr (CqvConnectorCredential) credential = NULL;
  g_autoptr (GError) error = NULL;
  char *secret = NULL;
  char *token;
  gint64 start;

  /* 500 s, scaled to 10 s: longer than our (shortened) window. */
  fixture_start (&f, ", \"secret_propagation_seconds\": 500", NULL, NULL);
  cqv_connector_set_propagation_timeout_ms (f.connector, 300);
  credentials = ensure (&f, &error);
  g_assert_no_error (error);
  credential = add_password (&f, &secret, &error);
  g_assert_no_error (error);
  cqv_connector_set_secret (f.connector, secret);
  cqv_connector_secret_free (secret);

  start = g_get_monotonic_time ();
  token = get_token (&f, TRUE, &error);
  g_assert_error (error, CQV_AUTH_ERROR, CQV_AUTH_ERROR_INVALID_SECRET);
  g_assert_null (token);
  g_assert_cmpint (g_get_monotonic_time () - start, <, 3 * G_USEC_PER_SEC);
  g_assert_cmpuint (sim_fixture_count_requests (f.sim, "POST", "/oauth2/token", 401), >=, 2);

  fixture_stop (&f);
}

static void
test_no_secret (void)
{
  Fixture f = { 0 };
  g_autoptr (GError) error = NULL;
  g_autoptr (CqvOutcome) outcome = NULL;
  char *token;

  fixture_start (&f, NULL, NULL, NULL);
  g_assert_false (cqv_connector_has_secret (f.connector));

  token = get_token (&f, FALSE, &error);
  g_assert_error (error, CQV_CONNECTOR_ERROR, CQV_CONNECTOR_ERROR_NO_SECRET);
  g_assert_null (token);
  g_clear_error (&error);

  outcome = push (&f, "alice@" SIM_DOMAIN, &error);
  g_assert_error (error, CQV_CONNECTOR_ERROR, CQV_CONNECTOR_ERROR_NO_SECRET);
  g_assert_null (outcome);
  g_assert_cmpuint (sim_fixture_count_all_requests (f.sim), ==, 0);

  fixture_stop (&f);
}

static void
test_push_approve (void)
{
  Fixture f = { 0 };
  g_autofree char *users = sim_user_json ("alice", "approve", NULL);
  g_autoptr (CqvOutcome) outcome = NULL;
  g_autoptr (GError) error = NULL;

  fixture_start (&f, NULL, NULL, users);
  provision (&f);

  sim_fixture_clear_requests (f.sim);
  outcome = push (&f, "alice@" SIM_DOMAIN, &error);
  g_assert_no_error (error);
  g_assert_cmpint (cqv_outcome_get_kind (outcome), ==, CQV_OUTCOME_APPROVED);
  /* Warm token: the push is the only request. */
  g_assert_cmpuint (sim_fixture_count_all_requests (f.sim), ==, 1);
  g_assert_cmpuint (sim_fixture_count_requests (f.sim, "POST", "/BeginTwoWayAuthentication", 200),
                    ==, 1);

  fixture_stop (&f);
}

static void
test_push_throttled_429 (void)
{
  Fixture f = { 0 };
  g_autofree char *users = sim_user_json ("alice", "approve", NULL);
  g_autoptr (CqvOutcome) outcome = NULL;
  g_autoptr (GError) error = NULL;

  fixture_start (&f,
                 ", \"faults\": [{\"path\": \"/StrongAuthenticationService.svc/\", \"kind\": 429,"
                 " \"retry_after\": \"1\"}]",
                 NULL, users);
  provision (&f);

  outcome = push (&f, "alice@" SIM_DOMAIN, &error);
  g_assert_no_error (error);
  g_assert_cmpint (cqv_outcome_get_kind (outcome), ==, CQV_OUTCOME_THROTTLED);
  /* Never retried, even though 429 is retryable elsewhere. */
  g_assert_cmpuint (sim_fixture_count_requests (f.sim, "POST", "/BeginTwoWayAuthentication", 0), ==,
                    1);

  fixture_stop (&f);
}

static void
test_push_dropped (void)
{
  Fixture f = { 0 };
  g_autofree char *users = sim_user_json ("alice", "approve", NULL);
  g_autoptr (CqvOutcome) outcome = NULL;
  g_autoptr (GError) error = NULL;

  fixture_start (
    &f, ", \"faults\": [{\"path\": \"/StrongAuthenticationService.svc/\", \"kind\": \"drop\"}]",
    NULL, users);
  provision (&f);

  outcome = push (&f, "alice@" SIM_DOMAIN, &error);
  g_assert_no_error (error);
  g_assert_cmpint (cqv_outcome_get_kind (outcome), ==, CQV_OUTCOME_ERROR);
  g_assert_nonnull (strstr (cqv_outcome_get_message (outcome), "network"));
  g_assert_cmpuint (sim_fixture_count_requests (f.sim, "POST", "/BeginTwoWayAuthentication", 0), ==,
                    1);

  fixture_stop (&f);
}

static void
test_push_unavailable (void)
{
  Fixture f = { 0 };
  g_autofree char *users = sim_user_json ("alice", "approve", NULL);
  g_autoptr (CqvOutcome) outcome = NULL;
  g_autoptr (GError) error = NULL;

  fixture_start (&f,
                 ", \"faults\": [{\"path\": \"/StrongAuthenticationService.svc/\", \"kind\": 503}]",
                 NULL, users);
  provision (&f);

  outcome = push (&f, "alice@" SIM_DOMAIN, &error);
  g_assert_no_error (error);
  g_assert_cmpint (cqv_outcome_get_kind (outcome), ==, CQV_OUTCOME_ERROR);
  g_assert_false (cqv_outcome_is_approved (outcome));
  g_assert_cmpuint (sim_fixture_count_requests (f.sim, "POST", "/BeginTwoWayAuthentication", 0), ==,
                    1);

  fixture_stop (&f);
}

static void
test_push_deadline (void)
{
  Fixture f = { 0 };
  /* Approves after 200 s (4 s scaled): later than our 1 s deadline. */
  g_autofree char *users = sim_user_json ("slow", "approve", ", \"delay_seconds\": 200");
  g_autoptr (CqvOutcome) outcome = NULL;
  g_autoptr (GError) error = NULL;
  gint64 start;

  fixture_start (&f, NULL, NULL, users);
  provision (&f);
  cqv_connector_set_push_timeout (f.connector, 1);
  g_assert_cmpuint (cqv_connector_get_push_timeout (f.connector), ==, 1);

  start = g_get_monotonic_time ();
  outcome = push (&f, "slow@" SIM_DOMAIN, &error);
  g_assert_no_error (error);
  g_assert_cmpint (cqv_outcome_get_kind (outcome), ==, CQV_OUTCOME_TIMED_OUT);
  g_assert_nonnull (strstr (cqv_outcome_get_message (outcome), "unknown"));
  g_assert_cmpint (g_get_monotonic_time () - start, <, 3 * G_USEC_PER_SEC);
  g_assert_cmpuint (sim_fixture_count_begins (f.sim, "slow@" SIM_DOMAIN), ==, 1);
  g_assert_cmpuint (sim_fixture_count_requests (f.sim, "POST", "/BeginTwoWayAuthentication", 0), ==,
                    1);

  fixture_stop (&f);
}

static void
test_push_unauthorized_refreshes_once (void)
{
  Fixture f = { 0 };
  g_autofree char *users = sim_user_json ("alice", "approve", NULL);
  g_autofree char *scenario = sim_scenario_json (500, NULL, NULL, users);
  g_autoptr (CqvOutcome) outcome = NULL;
  g_autoptr (GError) error = NULL;
  guint port;

  fixture_start (&f, NULL, NULL, users);
  provision (&f);

  /* A fresh simulator on the same port knows neither our cached token nor our secret: the push
   * gets a 401 (refused before any push), the token is fetched again once and refused, and the
   * push is not sent a second time. */
  port = (guint) g_ascii_strtoull (strrchr (f.sim->base_url, ':') + 1, NULL, 10);
  sim_fixture_stop (f.sim);
  f.sim = sim_fixture_start_on_port (scenario, port);

  outcome = push (&f, "alice@" SIM_DOMAIN, &error);
  g_assert_error (error, CQV_AUTH_ERROR, CQV_AUTH_ERROR_INVALID_SECRET);
  g_assert_null (outcome);
  g_assert_cmpuint (sim_fixture_count_requests (f.sim, "POST", "/BeginTwoWayAuthentication", 401),
                    ==, 1);
  g_assert_cmpuint (sim_fixture_count_requests (f.sim, "POST", "/BeginTwoWayAuthentication", 0), ==,
                    1);
  g_assert_cmpuint (sim_fixture_count_requests (f.sim, "POST", "/oauth2/token", 0), ==, 1);
  g_assert_cmpuint (sim_fixture_count_begins (f.sim, "alice@" SIM_DOMAIN), ==, 0);

  fixture_stop (&f);
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/cqv/connector/ensure/creates-missing", test_ensure_creates_missing);
  g_test_add_func ("/cqv/connector/ensure/enables-disabled", test_ensure_enables_disabled);
  g_test_add_func ("/cqv/connector/ensure/permission-missing", test_ensure_permission_missing);
  g_test_add_func ("/cqv/connector/add-password/default", test_add_password);
  g_test_add_func ("/cqv/connector/add-password/policy-lifetime",
                   test_add_password_policy_lifetime);
  g_test_add_func ("/cqv/connector/add-password/policy-refuses", test_add_password_policy_refuses);
  g_test_add_func ("/cqv/connector/remove-password", test_remove_password);
  g_test_add_func ("/cqv/connector/credential/expired-ours", test_credential_expired_ours);
  g_test_add_func ("/cqv/connector/token/propagation", test_token_propagation);
  g_test_add_func ("/cqv/connector/token/propagation-gives-up", test_token_propagation_gives_up);
  g_test_add_func ("/cqv/connector/no-secret", test_no_secret);
  g_test_add_func ("/cqv/connector/push/approve", test_push_approve);
  g_test_add_func ("/cqv/connector/push/throttled-429", test_push_throttled_429);
  g_test_add_func ("/cqv/connector/push/dropped", test_push_dropped);
  g_test_add_func ("/cqv/connector/push/unavailable", test_push_unavailable);
  g_test_add_func ("/cqv/connector/push/deadline", test_push_deadline);
  g_test_add_func ("/cqv/connector/push/unauthorized-refreshes-once",
                   test_push_unauthorized_refreshes_once);

  return g_test_run ();
}
