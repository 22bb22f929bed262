/* SPDX-License-Identifier: GPL-3.0-or-later */

#define G_LOG_DOMAIN "test-connector-secrets"

#include "config.h"

#include "cqv-verification-fixture.h"

static void
test_fault_client_disabled_later (void)
{
  Fixture f = { 0 };
  g_autoptr (CqvOutcome) outcome = NULL;
  g_autoptr (CqvTenantContext) second = NULL;

  /* A working stored secret, then someone disables the app: the token says so (AADSTS7000112),
   * we enable it and carry on without a new secret. */
  fixture_start (&f, 0, NULL, NULL);
  outcome = verify (f.context, "approve", NULL);
  g_clear_object (&outcome);
  sim_fixture_set_tenant (f.sim, "{\"mfa_client_sp\": \"disabled\"}");
  sim_fixture_clear_requests (f.sim);

  second = sim_fixture_new_context (f.sim, f.store);
  outcome = verify (second, "approve", NULL);
  g_assert_cmpint (cqv_outcome_get_kind (outcome), ==, CQV_OUTCOME_APPROVED);
  g_assert_cmpuint (sim_fixture_count_requests (f.sim, "PATCH", "/servicePrincipals", 0), ==, 1);
  g_assert_cmpuint (sim_fixture_count_requests (f.sim, "POST", "/addPassword", 0), ==, 0);
  g_clear_object (&outcome);
  g_assert_finalize_object (g_steal_pointer (&second));
  fixture_stop (&f);
}

static void
test_fault_client_deleted_later (void)
{
  Fixture f = { 0 };
  g_autoptr (CqvOutcome) outcome = NULL;
  g_autoptr (CqvTenantContext) second = NULL;

  /* The MFA Client's service principal is deleted with our secret on it (AADSTS700016): it is
   * created again with one new secret. */
  fixture_start (&f, 0, NULL, NULL);
  outcome = verify (f.context, "approve", NULL);
  g_clear_object (&outcome);
  sim_fixture_set_tenant (f.sim, "{\"mfa_client_sp\": \"missing\"}");
  sim_fixture_clear_requests (f.sim);

  second = sim_fixture_new_context (f.sim, f.store);
  outcome = verify (second, "approve", NULL);
  g_assert_cmpint (cqv_outcome_get_kind (outcome), ==, CQV_OUTCOME_APPROVED);
  g_assert_cmpuint (sim_fixture_count_requests (f.sim, "POST", "/v1.0/servicePrincipals", 201), ==,
                    1);
  g_assert_cmpuint (sim_fixture_count_requests (f.sim, "POST", "/addPassword", 0), ==, 1);
  g_assert_cmpuint (sim_fixture_count_passwords (f.sim), ==, 1);
  g_clear_object (&outcome);
  sim_wait_finalized (g_steal_pointer (&second), 2000);
  fixture_stop (&f);
}

/* Two separate contexts on the real keyring: the second run finds the secret and never calls
 * addPassword. */
static void
test_secret_reused_across_runs (void)
{
  Fixture f = { 0 };
  g_autoptr (CqvSecretStore) keyring = cqv_secret_store_new ();
  g_autoptr (CqvTenantContext) first = NULL;
  g_autoptr (CqvTenantContext) second = NULL;
  g_autoptr (CqvOutcome) outcome = NULL;
  g_autoptr (GAsyncResult) result = NULL;
  g_autoptr (CqvSecret) stored = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *key_id = NULL;

  fixture_start (&f, 0, NULL, NULL);

  first = sim_fixture_new_context (f.sim, keyring);
  outcome = verify (first, "approve", NULL);
  g_assert_cmpint (cqv_outcome_get_kind (outcome), ==, CQV_OUTCOME_APPROVED);
  g_clear_object (&outcome);
  g_assert_cmpuint (sim_fixture_count_requests (f.sim, "POST", "/addPassword", 0), ==, 1);
  g_assert_cmpuint (sim_fixture_count_passwords (f.sim), ==, 1);
  key_id =
    g_strdup (cqv_connector_secrets_get_key_id (cqv_tenant_context_get_connector_secrets (first)));
  g_assert_finalize_object (g_steal_pointer (&first));

  /* It is in the keyring, with its keyId and expiry. */
  cqv_secret_store_lookup_async (keyring, SIM_TENANT_ID, CQV_MFA_CLIENT_APP_ID,
                                 CQV_SECRET_KIND_CONNECTOR, NULL, sim_store_result_cb, &result);
  sim_wait_for_result (&result, 10000);
  stored = cqv_secret_store_lookup_finish (keyring, result, &error);
  g_assert_no_error (error);
  g_assert_nonnull (stored);
  g_assert_cmpstr (stored->key_id, ==, key_id);
  g_assert_nonnull (stored->expires);

  /* A new run: new objects, same keyring. */
  g_clear_object (&keyring);
  keyring = cqv_secret_store_new ();
  sim_fixture_clear_requests (f.sim);
  second = sim_fixture_new_context (f.sim, keyring);
  outcome = verify (second, "approve", NULL);
  g_assert_cmpint (cqv_outcome_get_kind (outcome), ==, CQV_OUTCOME_APPROVED);
  g_assert_cmpuint (sim_fixture_count_requests (f.sim, NULL, "/addPassword", 0), ==, 0);
  g_assert_cmpuint (sim_fixture_count_requests (f.sim, NULL, "/servicePrincipals", 0), ==, 0);
  g_assert_cmpuint (sim_fixture_count_passwords (f.sim), ==, 1);
  g_assert_cmpuint (
    cqv_connector_secrets_get_provisioned_count (cqv_tenant_context_get_connector_secrets (second)),
    ==, 0);
  g_clear_object (&outcome);
  g_assert_finalize_object (g_steal_pointer (&second));
  fixture_stop (&f);
}

static void
test_warm_push_one_request (void)
{
  Fixture f = { 0 };
  g_autoptr (CqvOutcome) outcome = NULL;

  fixture_start (&f, 0, NULL, NULL);
  outcome = verify (f.context, "approve", NULL);
  g_assert_cmpint (cqv_outcome_get_kind (outcome), ==, CQV_OUTCOME_APPROVED);
  g_clear_object (&outcome);

  /* Warm caches: between Send and the outcome, the push is the only request. */
  sim_fixture_clear_requests (f.sim);
  outcome = verify (f.context, "deny", NULL);
  g_assert_cmpint (cqv_outcome_get_kind (outcome), ==, CQV_OUTCOME_DENIED);
  g_assert_cmpuint (sim_fixture_count_all_requests (f.sim), ==, 1);
  g_assert_cmpuint (sim_fixture_count_requests (f.sim, "POST",
                                                "/StrongAuthenticationService.svc/Connector/"
                                                "BeginTwoWayAuthentication",
                                                200),
                    ==, 1);
  fixture_stop (&f);
}

static void
test_concurrent_provision_once (void)
{
  Fixture f = { 0 };
  g_autoptr (CqvUser) a = sim_new_user ("approve", CQV_AUTHENTICATOR_REGISTERED);
  g_autoptr (CqvUser) b = sim_new_user ("deny", CQV_AUTHENTICATOR_REGISTERED);
  g_autoptr (CqvVerification) va = NULL;
  g_autoptr (CqvVerification) vb = NULL;
  g_autoptr (GAsyncResult) ra = NULL;
  g_autoptr (GAsyncResult) rb = NULL;
  g_autoptr (CqvOutcome) oa = NULL;
  g_autoptr (CqvOutcome) ob = NULL;

  fixture_start (&f, 0, NULL, NULL);
  va = cqv_verification_new (f.context, a, NULL);
  vb = cqv_verification_new (f.context, b, NULL);
  cqv_verification_run_async (va, NULL, sim_store_result_cb, &ra);
  cqv_verification_run_async (vb, NULL, sim_store_result_cb, &rb);
  sim_wait_for_result (&ra, 20000);
  sim_wait_for_result (&rb, 20000);
  oa = cqv_verification_run_finish (va, ra, NULL);
  ob = cqv_verification_run_finish (vb, rb, NULL);
  g_assert_cmpint (cqv_outcome_get_kind (oa), ==, CQV_OUTCOME_APPROVED);
  g_assert_cmpint (cqv_outcome_get_kind (ob), ==, CQV_OUTCOME_DENIED);
  g_assert_cmpuint (sim_fixture_count_requests (f.sim, "POST", "/addPassword", 0), ==, 1);
  g_assert_cmpuint (sim_fixture_count_passwords (f.sim), ==, 1);

  g_clear_object (&ra);
  g_clear_object (&rb);
  g_clear_object (&va);
  g_clear_object (&vb);
  fixture_stop (&f);
}

static void
remove_password (CqvConnector *connector, const char *key_id)
{
  g_autoptr (GAsyncResult) result = NULL;
  g_autoptr (GError) error = NULL;

  cqv_connector_remove_password_async (connector, key_id, NULL, sim_store_result_cb, &result);
  sim_wait_for_result (&result, 10000);
  g_assert_true (cqv_connector_remove_password_finish (connector, result, &error));
  g_assert_no_error (error);
}

static void
test_secret_revoked_reprovisioned (void)
{
  Fixture f = { 0 };
  g_autoptr (CqvTenantContext) second = NULL;
  g_autoptr (CqvOutcome) outcome = NULL;
  g_autofree char *old_key = NULL;
  CqvConnectorSecrets *secrets;

  fixture_start (&f, 0, NULL, NULL);
  outcome = verify (f.context, "approve", NULL);
  g_assert_cmpint (cqv_outcome_get_kind (outcome), ==, CQV_OUTCOME_APPROVED);
  g_clear_object (&outcome);
  old_key = g_strdup (
    cqv_connector_secrets_get_key_id (cqv_tenant_context_get_connector_secrets (f.context)));

  /* Someone removes our credential from the service principal. */
  remove_password (cqv_tenant_context_get_connector (f.context), old_key);
  g_assert_cmpuint (sim_fixture_count_passwords (f.sim), ==, 0);
  sim_fixture_clear_requests (f.sim);

  /* The next run finds the stored secret refused (AADSTS7000215), sees it is gone, and
   * provisions exactly one new secret. */
  second = sim_fixture_new_context (f.sim, f.store);
  outcome = verify (second, "approve", NULL);
  g_assert_cmpint (cqv_outcome_get_kind (outcome), ==, CQV_OUTCOME_APPROVED);
  g_assert_cmpuint (sim_fixture_count_requests (f.sim, "POST", "/addPassword", 0), ==, 1);
  g_assert_cmpuint (sim_fixture_count_passwords (f.sim), ==, 1);
  secrets = cqv_tenant_context_get_connector_secrets (second);
  g_assert_cmpuint (cqv_connector_secrets_get_provisioned_count (secrets), ==, 1);
  g_assert_cmpstr (cqv_connector_secrets_get_key_id (secrets), !=, old_key);

  g_clear_object (&outcome);
  g_assert_finalize_object (g_steal_pointer (&second));
  fixture_stop (&f);
}

static void
test_secret_expiring_rotated (void)
{
  Fixture f = { 0 };
  g_autoptr (CqvTenantContext) second = NULL;
  g_autoptr (CqvOutcome) outcome = NULL;
  g_autoptr (GAsyncResult) result = NULL;
  g_autoptr (CqvSecret) stored = NULL;
  g_autoptr (CqvSecret) expiring = NULL;
  g_autoptr (GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr (GDateTime) soon = g_date_time_add_hours (now, 2);
  g_autoptr (GError) error = NULL;
  g_autofree char *old_key = NULL;

  fixture_start (&f, 0, NULL, NULL);
  outcome = verify (f.context, "approve", NULL);
  g_clear_object (&outcome);

  /* Pretend the stored secret expires in two hours. */
  cqv_secret_store_lookup_async (f.store, SIM_TENANT_ID, CQV_MFA_CLIENT_APP_ID,
                                 CQV_SECRET_KIND_CONNECTOR, NULL, sim_store_result_cb, &result);
  sim_wait_for_result (&result, 10000);
  stored = cqv_secret_store_lookup_finish (f.store, result, &error);
  g_assert_no_error (error);
  g_assert_nonnull (stored);
  old_key = g_strdup (stored->key_id);
  expiring = cqv_secret_new (stored->value, stored->key_id, soon);
  g_clear_object (&result);
  cqv_secret_store_store_async (f.store, SIM_TENANT_ID, CQV_MFA_CLIENT_APP_ID,
                                CQV_SECRET_KIND_CONNECTOR, "test", expiring, NULL,
                                sim_store_result_cb, &result);
  sim_wait_for_result (&result, 10000);
  g_assert_true (cqv_secret_store_store_finish (f.store, result, &error));
  sim_fixture_clear_requests (f.sim);

  /* Rotated: one new credential, the old one removed. */
  second = sim_fixture_new_context (f.sim, f.store);
  outcome = verify (second, "approve", NULL);
  g_assert_cmpint (cqv_outcome_get_kind (outcome), ==, CQV_OUTCOME_APPROVED);
  g_assert_cmpuint (sim_fixture_count_requests (f.sim, "POST", "/addPassword", 200), ==, 1);
  g_assert_cmpuint (sim_fixture_count_requests (f.sim, "POST", "/removePassword", 0), ==, 1);
  g_assert_cmpuint (sim_fixture_count_passwords (f.sim), ==, 1);
  g_assert_cmpstr (
    cqv_connector_secrets_get_key_id (cqv_tenant_context_get_connector_secrets (second)), !=,
    old_key);

  g_clear_object (&outcome);
  g_assert_finalize_object (g_steal_pointer (&second));
  fixture_stop (&f);
}

/* Adds a credential through Graph, as something else would; returns it with its secret. */
static CqvSecret *
graph_add_password (CqvTenantContext *context,
                    const char *sp_id,
                    const char *name,
                    int start_days,
                    int end_days)
{
  g_autoptr (GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr (GDateTime) start = g_date_time_add_days (now, start_days);
  g_autoptr (GDateTime) end = g_date_time_add_days (now, end_days);
  g_autofree char *start_text = g_date_time_format (start, "%Y-%m-%dT%H:%M:%SZ");
  g_autofree char *end_text = g_date_time_format (end, "%Y-%m-%dT%H:%M:%SZ");
  g_autofree char *json = g_strdup_printf ("{\"passwordCredential\": {\"displayName\": \"%s\", "
                                           "\"startDateTime\": \"%s\", \"endDateTime\": \"%s\"}}",
                                           name, start_text, end_text);
  g_autofree char *path = g_strdup_printf ("/v1.0/servicePrincipals/%s/addPassword", sp_id);
  g_autoptr (JsonNode) body = json_from_string (json, NULL);
  g_autoptr (GAsyncResult) result = NULL;
  g_autoptr (GBytes) answer = NULL;
  g_autoptr (GError) error = NULL;
  CqvGraphClient *graph = cqv_tenant_context_get_graph (context);

  cqv_graph_client_request_async (graph, "POST", path, body, NULL, sim_store_result_cb, &result);
  sim_wait_for_result (&result, 10000);
  g_autoptr (JsonNode) created = NULL;
  g_autofree char *text = NULL;
  JsonObject *object;

  answer = cqv_graph_client_request_finish (graph, result, NULL, &error);
  g_assert_no_error (error);
  text = g_strndup (g_bytes_get_data (answer, NULL), g_bytes_get_size (answer));
  created = json_from_string (text, &error);
  g_assert_no_error (error);
  object = json_node_get_object (created);
  return cqv_secret_new (json_object_get_string_member (object, "secretText"),
                         json_object_get_string_member (object, "keyId"), end);
}

static void
test_expired_credentials_removed (void)
{
  Fixture f = { 0 };
  g_autoptr (CqvOutcome) outcome = NULL;
  g_autoptr (JsonObject) sp = NULL;
  g_autofree char *sp_id = NULL;
  JsonArray *credentials;
  gboolean expired_theirs = FALSE, valid_ours = FALSE, expired_ours = FALSE;

  fixture_start (&f, 0, NULL, NULL);
  sp = sim_fixture_get_sp (f.sim, CQV_MFA_CLIENT_APP_ID);
  sp_id = g_strdup (json_object_get_string_member (sp, "id"));
  g_clear_pointer (&sp, json_object_unref);

  /* Left over: an expired secret of ours, an expired one of someone else, a valid one of ours
   * (another computer's). Only the first is ours to clean up. */
  cqv_secret_free (graph_add_password (f.context, sp_id, CQV_CONNECTOR_CREDENTIAL_NAME, -200, -20));
  cqv_secret_free (graph_add_password (f.context, sp_id, "MFA Temporary Password", -200, -20));
  cqv_secret_free (graph_add_password (f.context, sp_id, CQV_CONNECTOR_CREDENTIAL_NAME, -1, 100));
  sim_fixture_clear_requests (f.sim);

  outcome = verify (f.context, "approve", NULL);
  g_assert_cmpint (cqv_outcome_get_kind (outcome), ==, CQV_OUTCOME_APPROVED);
  g_assert_cmpuint (sim_fixture_count_requests (f.sim, "POST", "/removePassword", 0), ==, 1);
  g_assert_cmpuint (sim_fixture_count_requests (f.sim, "POST", "/addPassword", 0), ==, 1);

  sp = sim_fixture_get_sp (f.sim, CQV_MFA_CLIENT_APP_ID);
  credentials = json_object_get_array_member (sp, "passwordCredentials");
  g_assert_cmpuint (json_array_get_length (credentials), ==, 3);
  for (guint i = 0; i < json_array_get_length (credentials); i++)
    {
      JsonObject *credential = json_array_get_object_element (credentials, i);
      const char *name = json_object_get_string_member (credential, "displayName");
      g_autoptr (GDateTime) end = g_date_time_new_from_iso8601 (
        json_object_get_string_member (credential, "endDateTime"), NULL);
      g_autoptr (GDateTime) now = g_date_time_new_now_utc ();
      gboolean expired = g_date_time_compare (end, now) < 0;

      if (g_str_equal (name, CQV_CONNECTOR_CREDENTIAL_NAME))
        {
          expired_ours |= expired;
          valid_ours |= !expired;
        }
      else
        expired_theirs |= expired;
    }
  g_assert_false (expired_ours);
  g_assert_true (valid_ours);
  g_assert_true (expired_theirs);

  fixture_stop (&f);
}

static void
test_secret_expired_on_server (void)
{
  Fixture f = { 0 };
  g_autoptr (CqvOutcome) outcome = NULL;
  g_autoptr (JsonObject) sp = NULL;
  g_autoptr (CqvSecret) expired = NULL;
  g_autoptr (CqvSecret) believed = NULL;
  g_autoptr (GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr (GDateTime) later = g_date_time_add_days (now, 100);
  g_autoptr (GAsyncResult) result = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *sp_id = NULL;
  CqvConnectorSecrets *secrets;

  fixture_start (&f, 0, NULL, NULL);
  sp = sim_fixture_get_sp (f.sim, CQV_MFA_CLIENT_APP_ID);
  sp_id = g_strdup (json_object_get_string_member (sp, "id"));

  /* The keyring believes in a secret that the service says has expired (AADSTS7000222). */
  expired = graph_add_password (f.context, sp_id, CQV_CONNECTOR_CREDENTIAL_NAME, -200, -20);
  believed = cqv_secret_new (expired->value, expired->key_id, later);
  cqv_secret_store_store_async (f.store, SIM_TENANT_ID, CQV_MFA_CLIENT_APP_ID,
                                CQV_SECRET_KIND_CONNECTOR, "test", believed, NULL,
                                sim_store_result_cb, &result);
  sim_wait_for_result (&result, 10000);
  g_assert_true (cqv_secret_store_store_finish (f.store, result, &error));
  sim_fixture_clear_requests (f.sim);

  outcome = verify (f.context, "approve", NULL);
  g_assert_cmpint (cqv_outcome_get_kind (outcome), ==, CQV_OUTCOME_APPROVED);
  g_assert_cmpuint (sim_fixture_count_requests (f.sim, "POST", "/oauth2/token", 401), ==, 1);
  g_assert_cmpuint (sim_fixture_count_requests (f.sim, "POST", "/addPassword", 0), ==, 1);
  g_assert_cmpuint (sim_fixture_count_requests (f.sim, "POST", "/removePassword", 0), ==, 1);
  g_assert_cmpuint (sim_fixture_count_passwords (f.sim), ==, 1);
  secrets = cqv_tenant_context_get_connector_secrets (f.context);
  g_assert_cmpuint (cqv_connector_secrets_get_provisioned_count (secrets), ==, 1);
  g_assert_cmpstr (cqv_connector_secrets_get_key_id (secrets), !=, expired->key_id);

  fixture_stop (&f);
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/cqv/connector-secrets/client-disabled-later",
                   test_fault_client_disabled_later);
  g_test_add_func ("/cqv/connector-secrets/client-deleted-later", test_fault_client_deleted_later);
  g_test_add_func ("/cqv/connector-secrets/reused-across-runs", test_secret_reused_across_runs);
  g_test_add_func ("/cqv/connector-secrets/warm-push-one-request", test_warm_push_one_request);
  g_test_add_func ("/cqv/connector-secrets/concurrent-provision-once",
                   test_concurrent_provision_once);
  g_test_add_func ("/cqv/connector-secrets/revoked-reprovisioned",
                   test_secret_revoked_reprovisioned);
  g_test_add_func ("/cqv/connector-secrets/expiring-rotated", test_secret_expiring_rotated);
  g_test_add_func ("/cqv/connector-secrets/expired-on-server", test_secret_expired_on_server);
  g_test_add_func ("/cqv/connector-secrets/expired-credentials-removed",
                   test_expired_credentials_removed);

  return g_test_run ();
}
