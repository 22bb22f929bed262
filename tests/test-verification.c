/* SPDX-License-Identifier: GPL-3.0-or-later */

#define G_LOG_DOMAIN "test-verification"

#include "config.h"

#include "cqv-tenant-check.h"
#include "cqv-verification-fixture.h"

static void
check_outcome (const char *name, CqvOutcomeKind expected)
{
  Fixture f = { 0 };
  g_autoptr (CqvVerification) verification = NULL;
  g_autoptr (CqvOutcome) outcome = NULL;
  g_autofree char *upn = g_strdup_printf ("%s@" SIM_DOMAIN, name);
  CqvPushGuard *guard;

  fixture_start (&f, 0, NULL, NULL);
  guard = cqv_tenant_context_get_push_guard (f.context);

  outcome = verify (f.context, name, &verification);
  g_assert_cmpstr (cqv_outcome_kind_to_string (cqv_outcome_get_kind (outcome)), ==,
                   cqv_outcome_kind_to_string (expected));
  g_assert_cmpint (cqv_outcome_is_approved (outcome), ==, expected == CQV_OUTCOME_APPROVED);
  g_assert_true (cqv_verification_get_push_sent (verification));

  /* The record: who, where, which attempt, how long, when. */
  g_assert_cmpstr (cqv_outcome_get_upn (outcome), ==, upn);
  g_assert_cmpstr (cqv_outcome_get_tenant (outcome), ==, SIM_TENANT_ID);
  g_assert_true (g_uuid_string_is_valid (cqv_outcome_get_context_id (outcome)));
  g_assert_cmpstr (cqv_outcome_get_context_id (outcome), ==,
                   cqv_verification_get_context_id (verification));
  g_assert_cmpint (cqv_outcome_get_elapsed_ms (outcome), >=, 0);
  g_assert_nonnull (cqv_outcome_get_finished_at (outcome));
  g_assert_cmpstr (cqv_verification_get_ticket (verification), ==, "T-1");
  g_assert_nonnull (cqv_outcome_get_message (outcome));
  if (expected != CQV_OUTCOME_APPROVED)
    g_assert_cmpstr (cqv_outcome_get_message (outcome), !=, "");

  /* One push on the wire, and the in-flight mark is gone. */
  g_assert_cmpuint (sim_fixture_count_begins (f.sim, upn), ==, 1);
  g_assert_false (cqv_push_guard_is_in_flight (
    guard, SIM_TENANT_ID, cqv_readiness_user_key (cqv_verification_get_user (verification))));
  g_assert_cmpint (cqv_user_get_last_outcome (cqv_verification_get_user (verification)), ==,
                   expected);

  g_clear_object (&verification);
  fixture_stop (&f);
}

static void
test_outcome_approve (void)
{
  check_outcome ("approve", CQV_OUTCOME_APPROVED);
}

static void
test_outcome_deny (void)
{
  check_outcome ("deny", CQV_OUTCOME_DENIED);
}

static void
test_outcome_fraud (void)
{
  check_outcome ("fraud", CQV_OUTCOME_FRAUD_REPORTED);
}

static void
test_outcome_no_answer (void)
{
  check_outcome ("no-answer", CQV_OUTCOME_TIMED_OUT);
}

static void
test_outcome_otp_default (void)
{
  /* The push is forced (PhoneAppNotification), so an OTP default still gets a push. */
  check_outcome ("otp-default", CQV_OUTCOME_APPROVED);
}

static void
test_outcome_not_enrolled (void)
{
  check_outcome ("not-enrolled", CQV_OUTCOME_NOT_ENROLLED);
}

static void
test_outcome_blocked (void)
{
  check_outcome ("blocked", CQV_OUTCOME_BLOCKED);
}

static void
test_outcome_duplicate (void)
{
  check_outcome ("duplicate", CQV_OUTCOME_BUSY);
}

static void
test_outcome_throttled (void)
{
  check_outcome ("throttled", CQV_OUTCOME_THROTTLED);
}

static void
test_outcome_wrong_upn (void)
{
  check_outcome ("wrong-upn", CQV_OUTCOME_ERROR);
}

static void
test_outcome_malformed (void)
{
  check_outcome ("malformed", CQV_OUTCOME_ERROR);
}

static void
test_outcome_unknown_user (void)
{
  Fixture f = { 0 };
  g_autoptr (CqvOutcome) outcome = NULL;

  fixture_start (&f, 0, NULL, NULL);
  outcome = verify (f.context, "nobody", NULL);
  g_assert_cmpint (cqv_outcome_get_kind (outcome), ==, CQV_OUTCOME_ERROR);
  g_assert_false (cqv_outcome_is_approved (outcome));
  fixture_stop (&f);
}

static void
test_context_id_fresh (void)
{
  Fixture f = { 0 };
  g_autoptr (CqvOutcome) first = NULL;
  g_autoptr (CqvOutcome) second = NULL;

  fixture_start (&f, 0, NULL, NULL);
  first = verify (f.context, "approve", NULL);
  second = verify (f.context, "approve", NULL);
  g_assert_cmpint (cqv_outcome_get_kind (second), ==, CQV_OUTCOME_APPROVED);
  g_assert_cmpstr (cqv_outcome_get_context_id (first), !=, cqv_outcome_get_context_id (second));
  fixture_stop (&f);
}

static void
test_client_deadline (void)
{
  Fixture f = { 0 };
  g_autoptr (CqvOutcome) outcome = NULL;

  /* The service would answer after 4 s (scaled); our deadline is 1 s. */
  fixture_start (&f, 500, NULL, NULL);
  cqv_connector_set_push_timeout (cqv_tenant_context_get_connector (f.context), 1);

  outcome = verify (f.context, "slow", NULL);
  g_assert_cmpint (cqv_outcome_get_kind (outcome), ==, CQV_OUTCOME_TIMED_OUT);
  g_assert_false (cqv_outcome_is_approved (outcome));
  g_assert_cmpint (cqv_outcome_get_elapsed_ms (outcome), <, 3000);
  /* Never resent. */
  g_assert_cmpuint (sim_fixture_count_begins (f.sim, "slow@" SIM_DOMAIN), ==, 1);
  g_assert_cmpuint (sim_fixture_count_requests (f.sim, "POST", "BeginTwoWayAuthentication", 0), ==,
                    1);
  fixture_stop (&f);
}

static void
check_fault (const char *tenant_extra, const char *app_id, const char *method, guint requests)
{
  Fixture f = { 0 };
  g_autoptr (CqvOutcome) outcome = NULL;
  g_autoptr (JsonObject) sp = NULL;

  fixture_start (&f, 0, tenant_extra, NULL);
  outcome = verify (f.context, "approve", NULL);
  g_assert_cmpint (cqv_outcome_get_kind (outcome), ==, CQV_OUTCOME_APPROVED);

  /* The attempt never runs the setup checklist itself: it had no verdict, so it did not stand
   * in the way, and the push set the app up. */
  g_assert_false (cqv_tenant_check_get_has_run (cqv_tenant_context_get_check (f.context)));
  g_assert_cmpuint (sim_fixture_count_requests (f.sim, "GET", "userRegistrationDetails", 0), ==, 0);

  sp = sim_fixture_get_sp (f.sim, app_id);
  g_assert_nonnull (sp);
  g_assert_true (json_object_get_boolean_member (sp, "accountEnabled"));
  g_assert_cmpuint (sim_fixture_count_requests (f.sim, method, "/servicePrincipals", 0), ==,
                    requests);
  g_assert_cmpuint (sim_fixture_count_passwords (f.sim), ==, 1);
  fixture_stop (&f);
}

static void
test_fault_client_missing (void)
{
  /* POST /servicePrincipals (create) plus addPassword. */
  check_fault (", \"mfa_client_sp\": \"missing\"", CQV_MFA_CLIENT_APP_ID, "POST", 2);
}

static void
test_fault_client_disabled (void)
{
  check_fault (", \"mfa_client_sp\": \"disabled\"", CQV_MFA_CLIENT_APP_ID, "PATCH", 1);
}

static void
test_fault_connector_disabled (void)
{
  check_fault (", \"mfa_connector_sp\": \"disabled\"", CQV_MFA_CONNECTOR_APP_ID, "PATCH", 1);
}

static void
test_fault_propagation (void)
{
  Fixture f = { 0 };
  g_autoptr (CqvOutcome) outcome = NULL;

  /* 10 s, 200 ms scaled. */
  fixture_start (&f, 0, ", \"secret_propagation_seconds\": 10", NULL);
  outcome = verify (f.context, "approve", NULL);
  g_assert_cmpint (cqv_outcome_get_kind (outcome), ==, CQV_OUTCOME_APPROVED);
  g_assert_cmpuint (sim_fixture_count_requests (f.sim, "POST", "/oauth2/token", 401), >=, 1);
  g_assert_cmpuint (sim_fixture_count_requests (f.sim, "POST", "/addPassword", 0), ==, 1);
  fixture_stop (&f);
}

static void
test_fault_policy_lifetime (void)
{
  Fixture f = { 0 };
  g_autoptr (CqvOutcome) outcome = NULL;
  g_autoptr (JsonObject) sp = NULL;
  g_autoptr (GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr (GDateTime) end = NULL;
  JsonObject *credential;

  fixture_start (&f, 0, ", \"max_password_lifetime_days\": 30", NULL);
  outcome = verify (f.context, "approve", NULL);
  g_assert_cmpint (cqv_outcome_get_kind (outcome), ==, CQV_OUTCOME_APPROVED);

  sp = sim_fixture_get_sp (f.sim, CQV_MFA_CLIENT_APP_ID);
  credential =
    json_array_get_object_element (json_object_get_array_member (sp, "passwordCredentials"), 0);
  end =
    g_date_time_new_from_iso8601 (json_object_get_string_member (credential, "endDateTime"), NULL);
  g_assert_cmpint (g_date_time_difference (end, now), <=, 30 * G_TIME_SPAN_DAY);
  g_assert_cmpuint (sim_fixture_count_passwords (f.sim), ==, 1);
  fixture_stop (&f);
}

static void
test_fault_permission_missing (void)
{
  Fixture f = { 0 };
  g_autoptr (CqvOutcome) outcome = NULL;
  g_autoptr (CqvVerification) verification = NULL;
  const GError *error;

  fixture_start (&f, 0, NULL, "\"User.Read.All\"");
  outcome = verify (f.context, "approve", &verification);
  g_assert_cmpint (cqv_outcome_get_kind (outcome), ==, CQV_OUTCOME_ERROR);
  error = cqv_verification_get_error (verification);
  g_assert_error ((GError *) error, CQV_GRAPH_ERROR, CQV_GRAPH_ERROR_PERMISSION_MISSING);
  g_assert_nonnull (strstr (cqv_outcome_get_message (outcome), "Application.ReadWrite.All"));
  g_assert_false (cqv_verification_get_push_sent (verification));
  g_assert_cmpuint (sim_fixture_count_requests (f.sim, NULL, "BeginTwoWayAuthentication", 0), ==,
                    0);
  g_clear_object (&verification);
  fixture_stop (&f);
}

/* A red line of the setup checklist refuses the push before anything goes out; checked again
 * after the fix, the push works. */
static void
test_setup_blocks (void)
{
  Fixture f = { 0 };
  g_autoptr (CqvUser) unknown = sim_new_user ("approve", CQV_AUTHENTICATOR_UNKNOWN);
  g_autoptr (CqvVerification) verification = NULL;
  g_autoptr (CqvOutcome) outcome = NULL;
  CqvTenantCheck *check;
  CqvCheckItem *line;
  CqvReadiness *readiness;

  fixture_start (&f, 0, ", \"mfa_connector_sp\": \"disabled\"", NULL);
  check = cqv_tenant_context_get_check (f.context);
  sim_run_setup_check (f.context);
  line = cqv_tenant_check_get_blocking_item (check);
  g_assert_nonnull (line);
  g_assert_cmpstr (cqv_check_item_get_id (line), ==, CQV_CHECK_MFA_CONNECTOR);
  sim_fixture_clear_requests (f.sim);

  outcome = verify (f.context, "approve", &verification);
  g_assert_cmpint (cqv_outcome_get_kind (outcome), ==, CQV_OUTCOME_ERROR);
  g_assert_false (cqv_outcome_is_approved (outcome));
  readiness = cqv_verification_get_readiness (verification);
  g_assert_nonnull (readiness);
  g_assert_cmpint (cqv_readiness_get_reason (readiness), ==, CQV_READINESS_REASON_TENANT_SETUP);
  g_assert_cmpstr (cqv_outcome_get_message (outcome), ==, cqv_readiness_get_message (readiness));
  g_assert_nonnull (strstr (cqv_outcome_get_message (outcome), cqv_check_item_get_fix (line)));
  g_assert_cmpstr (cqv_readiness_get_fix_url (readiness), ==, cqv_check_item_get_fix_url (line));
  g_assert_false (cqv_verification_get_push_sent (verification));
  g_assert_false (cqv_push_guard_is_in_flight (cqv_tenant_context_get_push_guard (f.context),
                                               SIM_TENANT_ID, "id-approve"));
  /* Not a token, not a Graph call, not a push; and the checklist was not run again. */
  g_assert_cmpuint (sim_fixture_count_all_requests (f.sim), ==, 0);
  g_assert_false (cqv_tenant_check_get_running (check));
  g_clear_object (&outcome);
  g_clear_object (&verification);

  /* An unknown Authenticator state is not looked up either. */
  verification = cqv_verification_new (f.context, unknown, NULL);
  outcome = run (verification);
  g_assert_cmpint (cqv_readiness_get_reason (cqv_verification_get_readiness (verification)), ==,
                   CQV_READINESS_REASON_TENANT_SETUP);
  g_assert_cmpuint (sim_fixture_count_all_requests (f.sim), ==, 0);
  g_clear_object (&outcome);
  g_clear_object (&verification);

  /* Fixed and checked again: sent, and approved. */
  sim_fixture_set_tenant (f.sim, "{\"mfa_connector_sp\": \"enabled\"}");
  sim_run_setup_check (f.context);
  g_assert_null (cqv_tenant_check_get_blocking_item (check));
  outcome = verify (f.context, "approve", &verification);
  g_assert_cmpint (cqv_outcome_get_kind (outcome), ==, CQV_OUTCOME_APPROVED);
  g_assert_cmpuint (sim_fixture_count_begins (f.sim, "approve@" SIM_DOMAIN), ==, 1);

  g_clear_object (&verification);
  fixture_stop (&f);
}

static void
test_check_authenticator_on_demand (void)
{
  Fixture f = { 0 };
  g_autoptr (CqvUser) registered = sim_new_user ("approve", CQV_AUTHENTICATOR_UNKNOWN);
  g_autoptr (CqvUser) bare = sim_new_user ("bare", CQV_AUTHENTICATOR_UNKNOWN);
  g_autoptr (CqvVerification) verification = NULL;
  g_autoptr (CqvOutcome) outcome = NULL;

  fixture_start (&f, 0, NULL, NULL);

  /* Unknown, checked, registered: pushed. */
  verification = cqv_verification_new (f.context, registered, NULL);
  outcome = run (verification);
  g_assert_cmpint (cqv_outcome_get_kind (outcome), ==, CQV_OUTCOME_APPROVED);
  g_assert_cmpint (cqv_user_get_authenticator (registered), ==, CQV_AUTHENTICATOR_REGISTERED);
  g_assert_cmpuint (sim_fixture_count_requests (f.sim, "GET", "microsoftAuthenticatorMethods", 200),
                    ==, 1);
  g_clear_object (&outcome);
  g_clear_object (&verification);

  /* Unknown, checked, not registered: refused before anything is sent. */
  verification = cqv_verification_new (f.context, bare, NULL);
  outcome = run (verification);
  g_assert_cmpint (cqv_outcome_get_kind (outcome), ==, CQV_OUTCOME_NOT_ENROLLED);
  g_assert_cmpint (cqv_user_get_authenticator (bare), ==, CQV_AUTHENTICATOR_NOT_REGISTERED);
  g_assert_nonnull (strstr (cqv_outcome_get_message (outcome), "mysignins.microsoft.com"));
  g_assert_false (cqv_verification_get_push_sent (verification));
  g_assert_cmpuint (sim_fixture_count_begins (f.sim, "bare@" SIM_DOMAIN), ==, 0);

  g_clear_object (&verification);
  fixture_stop (&f);
}

static void
seconds_left_cb (GObject *object, GParamSpec *pspec, gpointer user_data)
{
  guint *ticks = user_data;

  (*ticks)++;
}

static void
check_cancel (gboolean with_cancellable)
{
  Fixture f = { 0 };
  g_autoptr (CqvUser) user = sim_new_user ("no-answer", CQV_AUTHENTICATOR_REGISTERED);
  g_autoptr (CqvVerification) verification = NULL;
  g_autoptr (GCancellable) cancellable = g_cancellable_new ();
  g_autoptr (GAsyncResult) result = NULL;
  g_autoptr (CqvOutcome) outcome = NULL;
  g_autoptr (GError) error = NULL;
  guint ticks = 0;
  gint64 cancelled_at;

  /* The service waits 10 s (scaled) for an answer that never comes. */
  fixture_start (&f, 500, NULL, NULL);
  verification = cqv_verification_new (f.context, user, NULL);
  cqv_verification_set_push_window (verification, 30);
  g_assert_cmpuint (cqv_verification_get_seconds_left (verification), ==, 30);
  g_signal_connect (verification, "notify::seconds-left", G_CALLBACK (seconds_left_cb), &ticks);

  cqv_verification_run_async (verification, cancellable, sim_store_result_cb, &result);
  g_assert_cmpint (cqv_verification_get_state (verification), ==, CQV_VERIFICATION_STATE_PREPARING);

  /* The countdown ticks once a second while waiting. */
  while (ticks == 0 && result == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_null (result);
  g_assert_cmpint (cqv_verification_get_state (verification), ==, CQV_VERIFICATION_STATE_WAITING);
  g_assert_cmpuint (cqv_verification_get_seconds_left (verification), ==, 29);
  g_assert_true (cqv_push_guard_is_in_flight (cqv_tenant_context_get_push_guard (f.context),
                                              SIM_TENANT_ID, "id-no-answer"));

  cancelled_at = g_get_monotonic_time ();
  if (with_cancellable)
    g_cancellable_cancel (cancellable);
  else
    cqv_verification_cancel (verification);
  sim_wait_for_result (&result, 2000);
  g_assert_cmpint (g_get_monotonic_time () - cancelled_at, <, G_USEC_PER_SEC / 2);

  outcome = cqv_verification_run_finish (verification, result, &error);
  g_assert_no_error (error);
  g_assert_cmpint (cqv_outcome_get_kind (outcome), ==, CQV_OUTCOME_CANCELLED);
  g_assert_cmpint (cqv_verification_get_state (verification), ==, CQV_VERIFICATION_STATE_DONE);
  g_assert_false (cqv_push_guard_is_in_flight (cqv_tenant_context_get_push_guard (f.context),
                                               SIM_TENANT_ID, "id-no-answer"));
  g_assert_cmpuint (sim_fixture_count_begins (f.sim, "no-answer@" SIM_DOMAIN), ==, 1);

  /* Stopped: no more ticks after the end. */
  ticks = 0;
  cqv_verification_cancel (verification);
  g_assert_cmpuint (ticks, ==, 0);

  g_clear_object (&result);
  g_clear_object (&verification);
  fixture_stop (&f);
}

static void
test_cancel_mid_wait (void)
{
  check_cancel (FALSE);
}

static void
test_cancel_cancellable (void)
{
  check_cancel (TRUE);
}

static void
test_cancel_before_start (void)
{
  Fixture f = { 0 };
  g_autoptr (CqvUser) user = sim_new_user ("approve", CQV_AUTHENTICATOR_REGISTERED);
  g_autoptr (CqvVerification) verification = NULL;
  g_autoptr (GCancellable) cancellable = g_cancellable_new ();
  g_autoptr (GAsyncResult) result = NULL;
  g_autoptr (CqvOutcome) outcome = NULL;

  fixture_start (&f, 0, NULL, NULL);
  verification = cqv_verification_new (f.context, user, NULL);
  g_cancellable_cancel (cancellable);
  cqv_verification_run_async (verification, cancellable, sim_store_result_cb, &result);
  sim_wait_for_result (&result, 2000);
  outcome = cqv_verification_run_finish (verification, result, NULL);
  g_assert_cmpint (cqv_outcome_get_kind (outcome), ==, CQV_OUTCOME_CANCELLED);
  g_assert_false (cqv_verification_get_push_sent (verification));
  g_assert_cmpuint (sim_fixture_count_requests (f.sim, NULL, "BeginTwoWayAuthentication", 0), ==,
                    0);

  g_clear_object (&result);
  g_clear_object (&verification);
  fixture_stop (&f);
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/cqv/verification/outcome/approve", test_outcome_approve);
  g_test_add_func ("/cqv/verification/outcome/deny", test_outcome_deny);
  g_test_add_func ("/cqv/verification/outcome/fraud", test_outcome_fraud);
  g_test_add_func ("/cqv/verification/outcome/no-answer", test_outcome_no_answer);
  g_test_add_func ("/cqv/verification/outcome/otp-default", test_outcome_otp_default);
  g_test_add_func ("/cqv/verification/outcome/not-enrolled", test_outcome_not_enrolled);
  g_test_add_func ("/cqv/verification/outcome/blocked", test_outcome_blocked);
  g_test_add_func ("/cqv/verification/outcome/duplicate", test_outcome_duplicate);
  g_test_add_func ("/cqv/verification/outcome/throttled", test_outcome_throttled);
  g_test_add_func ("/cqv/verification/outcome/wrong-upn", test_outcome_wrong_upn);
  g_test_add_func ("/cqv/verification/outcome/malformed", test_outcome_malformed);
  g_test_add_func ("/cqv/verification/outcome/unknown-user", test_outcome_unknown_user);
  g_test_add_func ("/cqv/verification/context-id-fresh", test_context_id_fresh);
  g_test_add_func ("/cqv/verification/client-deadline", test_client_deadline);
  g_test_add_func ("/cqv/verification/fault/client-missing", test_fault_client_missing);
  g_test_add_func ("/cqv/verification/fault/client-disabled", test_fault_client_disabled);
  g_test_add_func ("/cqv/verification/fault/connector-disabled", test_fault_connector_disabled);
  g_test_add_func ("/cqv/verification/fault/propagation", test_fault_propagation);
  g_test_add_func ("/cqv/verification/fault/policy-lifetime", test_fault_policy_lifetime);
  g_test_add_func ("/cqv/verification/fault/permission-missing", test_fault_permission_missing);
  g_test_add_func ("/cqv/verification/fault/setup-blocks", test_setup_blocks);
  g_test_add_func ("/cqv/verification/check-authenticator", test_check_authenticator_on_demand);
  g_test_add_func ("/cqv/verification/cancel/mid-wait", test_cancel_mid_wait);
  g_test_add_func ("/cqv/verification/cancel/cancellable", test_cancel_cancellable);
  g_test_add_func ("/cqv/verification/cancel/before-start", test_cancel_before_start);

  return g_test_run ();
}
