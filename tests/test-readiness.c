/* SPDX-License-Identifier: GPL-3.0-or-later */

#define G_LOG_DOMAIN "test-readiness"

#include "config.h"

#include "cqv-readiness.h"
#include "cqv-sim-fixture.h"
#include "cqv-verification.h"

#define TENANT "tenant-1"
#define T0 ((gint64) 1700000000 * G_USEC_PER_SEC)

typedef struct
{
  gint64 now;
} Clock;

static gint64
clock_cb (gpointer user_data)
{
  Clock *clock = user_data;

  return clock->now;
}

static CqvUser *
new_user (void)
{
  return sim_new_user ("alice", CQV_AUTHENTICATOR_REGISTERED);
}

static CqvReadiness *
check (CqvPushGuard *guard, CqvUser *user, const GError *error)
{
  return cqv_readiness_check (guard, TENANT, user, error);
}

static guint
count_in (const char *haystack, const char *needle)
{
  guint count = 0;

  for (const char *at = strstr (haystack, needle); at != NULL; at = strstr (at + 1, needle))
    count++;
  return count;
}

static void
assert_refused (CqvReadiness *readiness, CqvReadinessReason reason, const char *needle)
{
  g_assert_cmpstr (cqv_readiness_reason_to_string (cqv_readiness_get_reason (readiness)), ==,
                   cqv_readiness_reason_to_string (reason));
  g_assert_false (cqv_readiness_get_allowed (readiness));
  g_assert_nonnull (strstr (cqv_readiness_get_message (readiness), needle));
}

static void
test_ready (void)
{
  g_autoptr (CqvPushGuard) guard = cqv_push_guard_new ();
  g_autoptr (CqvUser) user = new_user ();
  g_autoptr (CqvReadiness) readiness = check (guard, user, NULL);
  gboolean allowed = FALSE;

  g_assert_cmpint (cqv_readiness_get_reason (readiness), ==, CQV_READINESS_REASON_READY);
  g_assert_true (cqv_readiness_get_allowed (readiness));
  g_assert_cmpstr (cqv_readiness_get_message (readiness), ==, "");
  g_assert_null (cqv_readiness_get_retry_at (readiness));
  g_object_get (readiness, "allowed", &allowed, NULL);
  g_assert_true (allowed);
}

static void
test_guest (void)
{
  g_autoptr (CqvPushGuard) guard = cqv_push_guard_new ();
  g_autoptr (CqvUser) user = new_user ();
  g_autoptr (CqvReadiness) readiness = NULL;

  cqv_user_set_user_type (user, CQV_USER_TYPE_GUEST);
  readiness = check (guard, user, NULL);
  assert_refused (readiness, CQV_READINESS_REASON_GUEST, "home tenant");
}

static void
test_disabled (void)
{
  g_autoptr (CqvPushGuard) guard = cqv_push_guard_new ();
  g_autoptr (CqvUser) user = new_user ();
  g_autoptr (CqvReadiness) readiness = NULL;

  cqv_user_set_enabled (user, FALSE);
  readiness = check (guard, user, NULL);
  assert_refused (readiness, CQV_READINESS_REASON_DISABLED, "disabled");
}

static void
test_not_registered (void)
{
  g_autoptr (CqvPushGuard) guard = cqv_push_guard_new ();
  g_autoptr (CqvUser) user = new_user ();
  g_autoptr (CqvReadiness) readiness = NULL;

  cqv_user_set_authenticator (user, CQV_AUTHENTICATOR_NOT_REGISTERED);
  readiness = check (guard, user, NULL);
  assert_refused (readiness, CQV_READINESS_REASON_NOT_REGISTERED,
                  "https://mysignins.microsoft.com/security-info");
}

static void
test_unknown_needs_check (void)
{
  g_autoptr (CqvPushGuard) guard = cqv_push_guard_new ();
  g_autoptr (CqvUser) user = new_user ();
  CqvAuthenticatorState states[] = { CQV_AUTHENTICATOR_UNKNOWN, CQV_AUTHENTICATOR_CHECKING };

  for (guint i = 0; i < G_N_ELEMENTS (states); i++)
    {
      g_autoptr (CqvReadiness) readiness = NULL;

      cqv_user_set_authenticator (user, states[i]);
      readiness = check (guard, user, NULL);
      g_assert_cmpint (cqv_readiness_get_reason (readiness), ==,
                       CQV_READINESS_REASON_CHECK_AUTHENTICATOR);
      g_assert_true (cqv_readiness_get_allowed (readiness));
    }
}

static void
test_permission_missing (void)
{
  g_autoptr (CqvPushGuard) guard = cqv_push_guard_new ();
  g_autoptr (CqvUser) user = new_user ();
  g_autoptr (CqvReadiness) readiness = NULL;
  g_autoptr (CqvReadiness) other = NULL;
  g_autoptr (GError) missing = g_error_new (CQV_GRAPH_ERROR, CQV_GRAPH_ERROR_PERMISSION_MISSING,
                                            "Application missing MSGraph API "
                                            "'Application.ReadWrite.All' permission.");
  g_autoptr (GError) broken = g_error_new (CQV_AUTH_ERROR, CQV_AUTH_ERROR_CONSENT_MISSING,
                                           "Admin consent has not been granted.");

  readiness = check (guard, user, missing);
  assert_refused (readiness, CQV_READINESS_REASON_PERMISSION_MISSING, "Application.ReadWrite.All");

  other = check (guard, user, broken);
  assert_refused (other, CQV_READINESS_REASON_TENANT_ERROR, "consent");
}

/* A permission refusal as Graph gives it: its message already says how to fix it, once. */
static void
test_permission_missing_fix_once (void)
{
  g_autoptr (CqvPushGuard) guard = cqv_push_guard_new ();
  g_autoptr (CqvUser) user = new_user ();
  g_autoptr (CqvReadiness) readiness = NULL;
  g_autoptr (GError) error = NULL;
  const char *body = "{\"error\": {\"code\": \"Authorization_RequestDenied\", \"message\": "
                     "\"Insufficient privileges to complete the operation.\"}}";
  g_autoptr (GBytes) bytes = g_bytes_new_static (body, strlen (body));

  cqv_graph_error_from_response (403, bytes, &error);
  g_assert_error (error, CQV_GRAPH_ERROR, CQV_GRAPH_ERROR_PERMISSION_MISSING);

  readiness = check (guard, user, error);
  assert_refused (readiness, CQV_READINESS_REASON_PERMISSION_MISSING, "admin consent");
  g_assert_cmpstr (cqv_readiness_get_message (readiness), ==, error->message);
  g_assert_cmpuint (count_in (cqv_readiness_get_message (readiness), "admin consent"), ==, 1);
  g_assert_null (cqv_readiness_get_fix_url (readiness));
}

static CqvCheckItem *
red_line (void)
{
  CqvCheckItem *item = cqv_check_item_new ("mfa-connector", "MFA Connector service principal");

  cqv_check_item_set_result (item, CQV_CHECK_STATUS_FAILED,
                             "“Azure Multi-Factor Auth Connector” is disabled in this tenant.",
                             "Enable it: Enterprise applications → Azure Multi-Factor Auth "
                             "Connector → Properties → Enabled for users to sign in → Yes.",
                             "https://entra.microsoft.com/#view/fix-it");
  return item;
}

static void
test_tenant_setup (void)
{
  g_autoptr (CqvPushGuard) guard = cqv_push_guard_new ();
  g_autoptr (CqvUser) user = new_user ();
  g_autoptr (CqvCheckItem) item = red_line ();
  g_autoptr (CqvCheckItem) no_url = cqv_check_item_new ("credentials", "App credentials accepted");
  g_autoptr (CqvCheckItem) green = cqv_check_item_new ("mfa-client", "MFA Client");
  g_autoptr (CqvReadiness) readiness = NULL;
  g_autoptr (CqvReadiness) without_url = NULL;
  g_autoptr (CqvReadiness) ready = NULL;
  g_autofree char *fix_url = NULL;
  const char *message;

  readiness = cqv_readiness_check_full (guard, TENANT, user, item, NULL);
  assert_refused (readiness, CQV_READINESS_REASON_TENANT_SETUP, "not ready for pushes");
  g_assert_cmpstr (cqv_readiness_reason_to_string (CQV_READINESS_REASON_TENANT_SETUP), ==,
                   "tenant-setup");
  /* The line, what was found and its fix, each once. */
  message = cqv_readiness_get_message (readiness);
  g_assert_cmpuint (count_in (message, cqv_check_item_get_title (item)), ==, 1);
  g_assert_cmpuint (count_in (message, cqv_check_item_get_detail (item)), ==, 1);
  g_assert_cmpuint (count_in (message, cqv_check_item_get_fix (item)), ==, 1);
  g_assert_cmpuint (count_in (message, "Enable it"), ==, 1);
  g_assert_true (g_str_has_suffix (message, "→ Yes."));
  g_assert_cmpstr (cqv_readiness_get_fix_url (readiness), ==, cqv_check_item_get_fix_url (item));
  g_object_get (readiness, "fix-url", &fix_url, NULL);
  g_assert_cmpstr (fix_url, ==, "https://entra.microsoft.com/#view/fix-it");
  g_assert_null (cqv_readiness_get_retry_at (readiness));

  /* No page to link to: no URL, and no stray space for a missing fix. */
  cqv_check_item_set_result (no_url, CQV_CHECK_STATUS_FAILED, "The network is unreachable.", NULL,
                             NULL);
  without_url = cqv_readiness_check_full (guard, TENANT, user, no_url, NULL);
  assert_refused (without_url, CQV_READINESS_REASON_TENANT_SETUP, "The network is unreachable.");
  g_assert_true (g_str_has_suffix (cqv_readiness_get_message (without_url), "unreachable."));
  g_assert_null (cqv_readiness_get_fix_url (without_url));

  /* Only a red line refuses. */
  cqv_check_item_set_result (green, CQV_CHECK_STATUS_OK, "Fine.", NULL, NULL);
  ready = cqv_readiness_check_full (guard, TENANT, user, green, NULL);
  g_assert_cmpint (cqv_readiness_get_reason (ready), ==, CQV_READINESS_REASON_READY);
  g_assert_null (cqv_readiness_get_fix_url (ready));
}

/* Certain facts of the user first, then the tenant's setup, then the rest. */
static void
test_tenant_setup_precedence (void)
{
  g_autoptr (CqvPushGuard) guard = cqv_push_guard_new ();
  g_autoptr (CqvCheckItem) item = red_line ();
  g_autoptr (GError) missing = g_error_new (CQV_GRAPH_ERROR, CQV_GRAPH_ERROR_PERMISSION_MISSING,
                                            "Grant UserAuthMethod-MicrosoftAuthApp.Read.All.");
  static const struct
  {
    const char *name;
    CqvReadinessReason expected;
  } cases[] = {
    { "guest", CQV_READINESS_REASON_GUEST },
    { "disabled", CQV_READINESS_REASON_DISABLED },
    { "not-registered", CQV_READINESS_REASON_TENANT_SETUP },
    { "unknown", CQV_READINESS_REASON_TENANT_SETUP },
    { "in-flight", CQV_READINESS_REASON_TENANT_SETUP },
    { "tenant-error", CQV_READINESS_REASON_TENANT_SETUP },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr (CqvUser) user = new_user ();
      g_autoptr (CqvReadiness) readiness = NULL;
      const GError *error = NULL;

      g_test_message ("with %s", cases[i].name);
      if (g_str_equal (cases[i].name, "guest"))
        cqv_user_set_user_type (user, CQV_USER_TYPE_GUEST);
      else if (g_str_equal (cases[i].name, "disabled"))
        cqv_user_set_enabled (user, FALSE);
      else if (g_str_equal (cases[i].name, "not-registered"))
        cqv_user_set_authenticator (user, CQV_AUTHENTICATOR_NOT_REGISTERED);
      else if (g_str_equal (cases[i].name, "unknown"))
        cqv_user_set_authenticator (user, CQV_AUTHENTICATOR_UNKNOWN);
      else if (g_str_equal (cases[i].name, "in-flight"))
        g_assert_true (cqv_push_guard_begin (guard, TENANT, "id-alice"));
      else
        error = missing;

      readiness = cqv_readiness_check_full (guard, TENANT, user, item, error);
      g_assert_cmpstr (cqv_readiness_reason_to_string (cqv_readiness_get_reason (readiness)), ==,
                       cqv_readiness_reason_to_string (cases[i].expected));
      if (g_str_equal (cases[i].name, "in-flight"))
        cqv_push_guard_end (guard, TENANT, "id-alice");
    }
}

/* A tenant problem comes before the user's Authenticator registration, as the setup does. */
static void
test_tenant_error_before_registration (void)
{
  g_autoptr (CqvPushGuard) guard = cqv_push_guard_new ();
  g_autoptr (CqvUser) user = new_user ();
  g_autoptr (CqvReadiness) readiness = NULL;
  g_autoptr (GError) broken = g_error_new (CQV_AUTH_ERROR, CQV_AUTH_ERROR_CONSENT_MISSING,
                                           "Admin consent has not been granted.");

  cqv_user_set_authenticator (user, CQV_AUTHENTICATOR_NOT_REGISTERED);
  readiness = check (guard, user, broken);
  assert_refused (readiness, CQV_READINESS_REASON_TENANT_ERROR, "consent");
}

static void
changed_cb (CqvPushGuard *guard, const char *tenant_id, const char *user_id, gpointer user_data)
{
  guint *count = user_data;

  g_assert_cmpstr (tenant_id, ==, TENANT);
  g_assert_cmpstr (user_id, ==, "id-alice");
  (*count)++;
}

static void
test_in_flight (void)
{
  g_autoptr (CqvPushGuard) guard = cqv_push_guard_new ();
  g_autoptr (CqvUser) user = new_user ();
  g_autoptr (CqvReadiness) busy = NULL;
  g_autoptr (CqvReadiness) free_again = NULL;
  guint changed = 0;

  g_signal_connect (guard, "changed", G_CALLBACK (changed_cb), &changed);

  g_assert_true (cqv_push_guard_begin (guard, TENANT, "id-alice"));
  g_assert_false (cqv_push_guard_begin (guard, TENANT, "id-alice"));
  g_assert_true (cqv_push_guard_is_in_flight (guard, TENANT, "id-alice"));
  g_assert_false (cqv_push_guard_is_in_flight (guard, "tenant-2", "id-alice"));
  g_assert_cmpuint (changed, ==, 1);

  busy = check (guard, user, NULL);
  assert_refused (busy, CQV_READINESS_REASON_IN_FLIGHT, "already waiting");

  cqv_push_guard_end (guard, TENANT, "id-alice");
  g_assert_cmpuint (changed, ==, 2);
  free_again = check (guard, user, NULL);
  g_assert_true (cqv_readiness_get_allowed (free_again));
}

static void
test_cool_down (void)
{
  g_autoptr (CqvPushGuard) guard = cqv_push_guard_new ();
  g_autoptr (CqvUser) user = new_user ();
  g_autoptr (CqvReadiness) after_two = NULL;
  g_autoptr (CqvReadiness) cooling = NULL;
  g_autoptr (CqvReadiness) still = NULL;
  g_autoptr (CqvReadiness) allowed = NULL;
  g_autoptr (GDateTime) expected = g_date_time_new_from_unix_utc (T0 / G_USEC_PER_SEC + 600);
  Clock clock = { T0 };
  GDateTime *retry_at;

  cqv_push_guard_set_clock (guard, clock_cb, &clock);
  g_assert_cmpuint (cqv_push_guard_get_max_pushes (guard), ==, 3);
  g_assert_cmpuint (cqv_push_guard_get_window_seconds (guard), ==, 600);

  cqv_push_guard_record_push (guard, TENANT, "id-alice");
  clock.now += 60 * G_USEC_PER_SEC;
  cqv_push_guard_record_push (guard, TENANT, "id-alice");
  after_two = check (guard, user, NULL);
  g_assert_true (cqv_readiness_get_allowed (after_two));

  clock.now += 60 * G_USEC_PER_SEC;
  cqv_push_guard_record_push (guard, TENANT, "id-alice");

  /* Three in ten minutes: wait until the first leaves the window, at T0 + 10 min. */
  clock.now += 60 * G_USEC_PER_SEC;
  cooling = check (guard, user, NULL);
  assert_refused (cooling, CQV_READINESS_REASON_COOL_DOWN, "MFA fatigue");
  retry_at = cqv_readiness_get_retry_at (cooling);
  g_assert_nonnull (retry_at);
  g_assert_true (g_date_time_equal (retry_at, expected));

  /* Other users are not affected. */
  g_assert_null (cqv_push_guard_get_next_allowed (guard, TENANT, "id-bob"));

  clock.now = T0 + 600 * G_USEC_PER_SEC - 1;
  still = check (guard, user, NULL);
  g_assert_cmpint (cqv_readiness_get_reason (still), ==, CQV_READINESS_REASON_COOL_DOWN);

  clock.now = T0 + 600 * G_USEC_PER_SEC;
  allowed = check (guard, user, NULL);
  g_assert_cmpint (cqv_readiness_get_reason (allowed), ==, CQV_READINESS_REASON_READY);
}

static void
test_precedence (void)
{
  g_autoptr (CqvPushGuard) guard = cqv_push_guard_new ();
  g_autoptr (CqvUser) user = new_user ();
  g_autoptr (CqvReadiness) readiness = NULL;

  /* What the user is comes before what is going on. */
  cqv_push_guard_begin (guard, TENANT, "id-alice");
  cqv_user_set_user_type (user, CQV_USER_TYPE_GUEST);
  readiness = check (guard, user, NULL);
  g_assert_cmpint (cqv_readiness_get_reason (readiness), ==, CQV_READINESS_REASON_GUEST);
}

static void
test_user_key (void)
{
  g_autoptr (CqvUser) with_id = new_user ();
  g_autoptr (CqvUser) without_id = cqv_user_new (NULL, "Bob", "bob@" SIM_DOMAIN);

  g_assert_cmpstr (cqv_readiness_user_key (with_id), ==, "id-alice");
  g_assert_cmpstr (cqv_readiness_user_key (without_id), ==, "bob@" SIM_DOMAIN);
  g_assert_true (cqv_push_guard_get_default () == cqv_push_guard_get_default ());
}

/* Refusals through CqvVerification: nothing at all reaches the simulator. */

typedef struct
{
  SimFixture *sim;
  CqvSecretStore *store;
  CqvTenantContext *context;
  CqvPushGuard *guard;
  Clock clock;
} Fixture;

static void
fixture_start (Fixture *f)
{
  g_autofree char *alice = sim_user_json ("alice", "approve", NULL);
  g_autofree char *slow = sim_user_json ("slow", "no-answer", NULL);
  g_autofree char *users = g_strconcat (alice, ", ", slow, NULL);
  g_autofree char *scenario = sim_scenario_json (500, NULL, NULL, users);

  f->sim = sim_fixture_start (scenario);
  f->store = cqv_secret_store_new_in_memory ();
  f->context = sim_fixture_new_context (f->sim, f->store);
  f->guard = cqv_tenant_context_get_push_guard (f->context);
  f->clock.now = g_get_real_time ();
  cqv_push_guard_set_clock (f->guard, clock_cb, &f->clock);
}

static void
fixture_stop (Fixture *f)
{
  f->guard = NULL;
  sim_wait_finalized (g_steal_pointer (&f->context), 2000);
  g_clear_object (&f->store);
  sim_fixture_stop (f->sim);
}

static CqvOutcome *
run (CqvTenantContext *context, CqvUser *user, CqvReadinessReason reason)
{
  g_autoptr (CqvVerification) verification = cqv_verification_new (context, user, NULL);
  g_autoptr (GAsyncResult) result = NULL;
  CqvOutcome *outcome;
  CqvReadiness *readiness;

  cqv_verification_run_async (verification, NULL, sim_store_result_cb, &result);
  sim_wait_for_result (&result, 10000);
  outcome = cqv_verification_run_finish (verification, result, NULL);
  g_assert_false (cqv_verification_get_push_sent (verification));
  readiness = cqv_verification_get_readiness (verification);
  g_assert_nonnull (readiness);
  g_assert_cmpint (cqv_readiness_get_reason (readiness), ==, reason);
  g_assert_cmpstr (cqv_outcome_get_message (outcome), ==, cqv_readiness_get_message (readiness));
  g_assert_false (cqv_outcome_is_approved (outcome));
  return outcome;
}

static void
test_refused_send_nothing (void)
{
  Fixture f = { 0 };
  g_autoptr (CqvUser) guest = new_user ();
  g_autoptr (CqvUser) disabled = new_user ();
  g_autoptr (CqvUser) bare = new_user ();
  g_autoptr (CqvUser) alice = new_user ();
  g_autoptr (CqvOutcome) outcome = NULL;

  fixture_start (&f);
  cqv_user_set_user_type (guest, CQV_USER_TYPE_GUEST);
  cqv_user_set_enabled (disabled, FALSE);
  cqv_user_set_authenticator (bare, CQV_AUTHENTICATOR_NOT_REGISTERED);

  outcome = run (f.context, guest, CQV_READINESS_REASON_GUEST);
  g_assert_cmpint (cqv_outcome_get_kind (outcome), ==, CQV_OUTCOME_ERROR);
  g_clear_object (&outcome);

  outcome = run (f.context, disabled, CQV_READINESS_REASON_DISABLED);
  g_assert_cmpint (cqv_outcome_get_kind (outcome), ==, CQV_OUTCOME_ERROR);
  g_clear_object (&outcome);

  outcome = run (f.context, bare, CQV_READINESS_REASON_NOT_REGISTERED);
  g_assert_cmpint (cqv_outcome_get_kind (outcome), ==, CQV_OUTCOME_NOT_ENROLLED);
  g_clear_object (&outcome);

  cqv_push_guard_begin (f.guard, SIM_TENANT_ID, "id-alice");
  outcome = run (f.context, alice, CQV_READINESS_REASON_IN_FLIGHT);
  g_assert_cmpint (cqv_outcome_get_kind (outcome), ==, CQV_OUTCOME_BUSY);
  g_clear_object (&outcome);
  /* A refused attempt leaves someone else's in-flight mark alone. */
  g_assert_true (cqv_push_guard_is_in_flight (f.guard, SIM_TENANT_ID, "id-alice"));
  cqv_push_guard_end (f.guard, SIM_TENANT_ID, "id-alice");

  for (guint i = 0; i < 3; i++)
    cqv_push_guard_record_push (f.guard, SIM_TENANT_ID, "id-alice");
  outcome = run (f.context, alice, CQV_READINESS_REASON_COOL_DOWN);
  g_assert_cmpint (cqv_outcome_get_kind (outcome), ==, CQV_OUTCOME_THROTTLED);
  g_clear_object (&outcome);

  /* Not a token, not a Graph call, not a push. */
  g_assert_cmpuint (sim_fixture_count_all_requests (f.sim), ==, 0);

  fixture_stop (&f);
}

static void
test_real_cool_down (void)
{
  Fixture f = { 0 };
  g_autoptr (CqvUser) alice = new_user ();
  g_autoptr (CqvOutcome) outcome = NULL;

  fixture_start (&f);

  for (guint i = 0; i < 3; i++)
    {
      g_autoptr (CqvVerification) verification = cqv_verification_new (f.context, alice, NULL);
      g_autoptr (GAsyncResult) result = NULL;
      g_autoptr (CqvOutcome) approved = NULL;

      cqv_verification_run_async (verification, NULL, sim_store_result_cb, &result);
      sim_wait_for_result (&result, 10000);
      approved = cqv_verification_run_finish (verification, result, NULL);
      g_assert_cmpint (cqv_outcome_get_kind (approved), ==, CQV_OUTCOME_APPROVED);
      f.clock.now += 60 * G_USEC_PER_SEC;
    }

  outcome = run (f.context, alice, CQV_READINESS_REASON_COOL_DOWN);
  g_assert_cmpint (cqv_outcome_get_kind (outcome), ==, CQV_OUTCOME_THROTTLED);
  g_assert_cmpuint (sim_fixture_count_begins (f.sim, "alice@" SIM_DOMAIN), ==, 3);
  g_clear_object (&outcome);

  /* Ten minutes after the first push, one more is allowed. */
  f.clock.now += 7 * 60 * G_USEC_PER_SEC;
  g_assert_null (cqv_push_guard_get_next_allowed (f.guard, SIM_TENANT_ID, "id-alice"));

  fixture_stop (&f);
}

static void
test_real_in_flight (void)
{
  Fixture f = { 0 };
  g_autoptr (CqvUser) slow = sim_new_user ("slow", CQV_AUTHENTICATOR_REGISTERED);
  g_autoptr (CqvVerification) first = NULL;
  g_autoptr (GAsyncResult) result = NULL;
  g_autoptr (CqvOutcome) outcome = NULL;
  g_autoptr (CqvOutcome) cancelled = NULL;

  fixture_start (&f);

  /* The first push waits for an answer (10 s scaled) ... */
  first = cqv_verification_new (f.context, slow, NULL);
  cqv_verification_run_async (first, NULL, sim_store_result_cb, &result);
  sim_wait_for_begin (f.sim, "slow@" SIM_DOMAIN, 5000);
  g_assert_cmpint (cqv_verification_get_state (first), ==, CQV_VERIFICATION_STATE_WAITING);
  g_assert_true (cqv_push_guard_is_in_flight (f.guard, SIM_TENANT_ID, "id-slow"));

  /* ... so a second one is refused before it is sent. */
  outcome = run (f.context, slow, CQV_READINESS_REASON_IN_FLIGHT);
  g_assert_cmpint (cqv_outcome_get_kind (outcome), ==, CQV_OUTCOME_BUSY);

  cqv_verification_cancel (first);
  sim_wait_for_result (&result, 2000);
  cancelled = cqv_verification_run_finish (first, result, NULL);
  g_assert_cmpint (cqv_outcome_get_kind (cancelled), ==, CQV_OUTCOME_CANCELLED);
  g_assert_cmpuint (sim_fixture_count_begins (f.sim, "slow@" SIM_DOMAIN), ==, 1);
  g_assert_false (cqv_push_guard_is_in_flight (f.guard, SIM_TENANT_ID, "id-slow"));

  g_clear_object (&result);
  g_clear_object (&first);
  fixture_stop (&f);
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/cqv/readiness/ready", test_ready);
  g_test_add_func ("/cqv/readiness/guest", test_guest);
  g_test_add_func ("/cqv/readiness/disabled", test_disabled);
  g_test_add_func ("/cqv/readiness/not-registered", test_not_registered);
  g_test_add_func ("/cqv/readiness/unknown-needs-check", test_unknown_needs_check);
  g_test_add_func ("/cqv/readiness/permission-missing", test_permission_missing);
  g_test_add_func ("/cqv/readiness/permission-missing-fix-once", test_permission_missing_fix_once);
  g_test_add_func ("/cqv/readiness/tenant-setup", test_tenant_setup);
  g_test_add_func ("/cqv/readiness/tenant-setup-precedence", test_tenant_setup_precedence);
  g_test_add_func ("/cqv/readiness/tenant-error-before-registration",
                   test_tenant_error_before_registration);
  g_test_add_func ("/cqv/readiness/in-flight", test_in_flight);
  g_test_add_func ("/cqv/readiness/cool-down", test_cool_down);
  g_test_add_func ("/cqv/readiness/precedence", test_precedence);
  g_test_add_func ("/cqv/readiness/user-key", test_user_key);
  g_test_add_func ("/cqv/readiness/refused-send-nothing", test_refused_send_nothing);
  g_test_add_func ("/cqv/readiness/real-cool-down", test_real_cool_down);
  g_test_add_func ("/cqv/readiness/real-in-flight", test_real_in_flight);

  return g_test_run ();
}
