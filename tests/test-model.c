/* SPDX-License-Identifier: GPL-3.0-or-later */

#define G_LOG_DOMAIN "test-model"

#include "config.h"

#include <locale.h>
#include <string.h>

#include "cqv-cloud.h"
#include "cqv-model-enums.h"
#include "cqv-outcome.h"
#include "cqv-tenant.h"
#include "cqv-user.h"

static void
count_notify_cb (GObject *object, GParamSpec *pspec, guint *count)
{
  (*count)++;
}

static guint *
watch (gpointer object, const char *property)
{
  guint *count = g_new0 (guint, 1);
  g_autofree char *signal = g_strdup_printf ("notify::%s", property);

  g_signal_connect_data (object, signal, G_CALLBACK (count_notify_cb), count,
                         (GClosureNotify) g_free, 0);
  return count;
}

static void
test_tenant_new_destroy (void)
{
  CqvTenant *tenant = cqv_tenant_new ("Contoso", "tid", "cid", CQV_CLOUD_USGOV);

  g_assert_cmpstr (cqv_tenant_get_name (tenant), ==, "Contoso");
  g_assert_cmpstr (cqv_tenant_get_tenant_id (tenant), ==, "tid");
  g_assert_cmpstr (cqv_tenant_get_client_id (tenant), ==, "cid");
  g_assert_cmpint (cqv_tenant_get_cloud (tenant), ==, CQV_CLOUD_USGOV);
  g_assert_null (cqv_tenant_get_login_url (tenant));
  g_assert_null (cqv_tenant_get_graph_url (tenant));
  g_assert_null (cqv_tenant_get_mfa_url (tenant));
  g_assert_false (cqv_tenant_get_demo (tenant));

  cqv_tenant_set_login_url (tenant, "http://127.0.0.1:1");
  cqv_tenant_set_graph_url (tenant, "http://127.0.0.1:2");
  cqv_tenant_set_mfa_url (tenant, "http://127.0.0.1:3");

  g_assert_finalize_object (tenant);
}

static void
test_tenant_notify (void)
{
  g_autoptr (CqvTenant) tenant = cqv_tenant_new ("A", "t", "c", CQV_CLOUD_GLOBAL);
  guint *name = watch (tenant, "name");
  guint *cloud = watch (tenant, "cloud");
  guint *mfa = watch (tenant, "mfa-url");
  guint *demo = watch (tenant, "demo");

  cqv_tenant_set_name (tenant, "A");
  g_assert_cmpuint (*name, ==, 0);
  cqv_tenant_set_name (tenant, "B");
  g_assert_cmpuint (*name, ==, 1);
  g_object_set (tenant, "name", "B", NULL);
  g_assert_cmpuint (*name, ==, 1);

  cqv_tenant_set_cloud (tenant, CQV_CLOUD_GLOBAL);
  g_assert_cmpuint (*cloud, ==, 0);
  g_object_set (tenant, "cloud", CQV_CLOUD_CHINA, NULL);
  g_assert_cmpuint (*cloud, ==, 1);
  g_assert_cmpint (cqv_tenant_get_cloud (tenant), ==, CQV_CLOUD_CHINA);

  /* An empty override is no override, and does not count as a change from NULL. */
  cqv_tenant_set_mfa_url (tenant, "");
  g_assert_cmpuint (*mfa, ==, 0);
  g_assert_null (cqv_tenant_get_mfa_url (tenant));
  cqv_tenant_set_mfa_url (tenant, "https://mfa.example");
  cqv_tenant_set_mfa_url (tenant, "https://mfa.example");
  g_assert_cmpuint (*mfa, ==, 1);
  cqv_tenant_set_mfa_url (tenant, "");
  g_assert_cmpuint (*mfa, ==, 2);
  g_assert_null (cqv_tenant_get_mfa_url (tenant));

  cqv_tenant_set_demo (tenant, FALSE);
  g_assert_cmpuint (*demo, ==, 0);
  cqv_tenant_set_demo (tenant, 42);
  cqv_tenant_set_demo (tenant, TRUE);
  g_assert_cmpuint (*demo, ==, 1);
  g_assert_true (cqv_tenant_get_demo (tenant));
}

static void
test_tenant_effective_urls (void)
{
  g_autoptr (CqvTenant) tenant = cqv_tenant_new ("A", "t", "c", CQV_CLOUD_GLOBAL);

  g_assert_cmpstr (cqv_tenant_get_effective_login_url (tenant), ==,
                   "https://login.microsoftonline.com");
  g_assert_cmpstr (cqv_tenant_get_effective_graph_url (tenant), ==, "https://graph.microsoft.com");
  g_assert_cmpstr (cqv_tenant_get_effective_mfa_url (tenant), ==,
                   "https://adnotifications.windowsazure.com");

  cqv_tenant_set_cloud (tenant, CQV_CLOUD_USGOV_DOD);
  g_assert_cmpstr (cqv_tenant_get_effective_login_url (tenant), ==,
                   "https://login.microsoftonline.us");
  g_assert_cmpstr (cqv_tenant_get_effective_graph_url (tenant), ==,
                   "https://dod-graph.microsoft.us");
  g_assert_cmpstr (cqv_tenant_get_effective_mfa_url (tenant), ==,
                   "https://adnotifications.windowsazure.us");

  cqv_tenant_set_login_url (tenant, "http://127.0.0.1:4000/login");
  cqv_tenant_set_graph_url (tenant, "http://127.0.0.1:4000/graph");
  cqv_tenant_set_mfa_url (tenant, "http://127.0.0.1:4000/mfa");
  g_assert_cmpstr (cqv_tenant_get_effective_login_url (tenant), ==, "http://127.0.0.1:4000/login");
  g_assert_cmpstr (cqv_tenant_get_effective_graph_url (tenant), ==, "http://127.0.0.1:4000/graph");
  g_assert_cmpstr (cqv_tenant_get_effective_mfa_url (tenant), ==, "http://127.0.0.1:4000/mfa");

  cqv_tenant_set_graph_url (tenant, NULL);
  g_assert_cmpstr (cqv_tenant_get_effective_graph_url (tenant), ==,
                   "https://dod-graph.microsoft.us");
}

static void
test_cloud_strings (void)
{
  static const struct
  {
    CqvCloud cloud;
    const char *name;
    const char *login;
    const char *graph;
    const char *mfa;
    const char *portal;
  } cases[] = {
    { CQV_CLOUD_GLOBAL, "global", "https://login.microsoftonline.com",
      "https://graph.microsoft.com", "https://adnotifications.windowsazure.com",
      "https://entra.microsoft.com" },
    { CQV_CLOUD_USGOV, "usgov", "https://login.microsoftonline.us", "https://graph.microsoft.us",
      "https://adnotifications.windowsazure.us", "https://entra.microsoft.us" },
    { CQV_CLOUD_USGOV_DOD, "usgov-dod", "https://login.microsoftonline.us",
      "https://dod-graph.microsoft.us", "https://adnotifications.windowsazure.us",
      "https://entra.microsoft.us" },
    { CQV_CLOUD_CHINA, "china", "https://login.chinacloudapi.cn",
      "https://microsoftgraph.chinacloudapi.cn", "https://adnotifications.windowsazure.cn",
      "https://entra.microsoftonline.cn" },
  };
  GEnumClass *klass = g_type_class_ref (CQV_TYPE_CLOUD);
  CqvCloud cloud = CQV_CLOUD_CHINA;

  g_assert_cmpuint (klass->n_values, ==, G_N_ELEMENTS (cases));
  g_type_class_unref (klass);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *resource = NULL;

      g_assert_cmpstr (cqv_cloud_to_string (cases[i].cloud), ==, cases[i].name);
      g_assert_true (cqv_cloud_from_string (cases[i].name, &cloud));
      g_assert_cmpint (cloud, ==, cases[i].cloud);
      g_assert_cmpstr (cqv_cloud_get_login_url (cases[i].cloud), ==, cases[i].login);
      g_assert_cmpstr (cqv_cloud_get_graph_url (cases[i].cloud), ==, cases[i].graph);
      g_assert_cmpstr (cqv_cloud_get_mfa_url (cases[i].cloud), ==, cases[i].mfa);
      g_assert_cmpstr (cqv_cloud_get_entra_portal_url (cases[i].cloud), ==, cases[i].portal);
      resource = g_strconcat (cases[i].mfa, "/StrongAuthenticationService.svc/Connector", NULL);
      g_assert_cmpstr (cqv_cloud_get_mfa_resource (cases[i].cloud), ==, resource);
      g_assert_nonnull (cqv_cloud_get_display_name (cases[i].cloud));
      g_assert_cmpstr (cqv_cloud_get_display_name (cases[i].cloud), !=, "");
    }

  cloud = CQV_CLOUD_USGOV;
  g_assert_false (cqv_cloud_from_string ("Global", &cloud));
  g_assert_false (cqv_cloud_from_string ("", &cloud));
  g_assert_false (cqv_cloud_from_string (NULL, &cloud));
  g_assert_false (cqv_cloud_from_string ("usgov ", &cloud));
  g_assert_cmpint (cloud, ==, CQV_CLOUD_USGOV);
}

static void
test_outcome_new_destroy (void)
{
  CqvOutcome *outcome = cqv_outcome_new (CQV_OUTCOME_DENIED, "No");
  g_autoptr (GDateTime) now = g_date_time_new_now_utc ();

  g_assert_cmpint (cqv_outcome_get_kind (outcome), ==, CQV_OUTCOME_DENIED);
  g_assert_cmpstr (cqv_outcome_get_message (outcome), ==, "No");
  g_assert_null (cqv_outcome_get_result_value (outcome));
  g_assert_null (cqv_outcome_get_finished_at (outcome));

  cqv_outcome_set_result_value (outcome, "PhoneAppDenied");
  cqv_outcome_set_upn (outcome, "a@b.c");
  cqv_outcome_set_tenant (outcome, "Contoso");
  cqv_outcome_set_context_id (outcome, "00000000-0000-0000-0000-000000000000");
  cqv_outcome_set_elapsed_ms (outcome, 1234);
  cqv_outcome_set_finished_at (outcome, now);
  g_assert_cmpstr (cqv_outcome_get_result_value (outcome), ==, "PhoneAppDenied");
  g_assert_cmpstr (cqv_outcome_get_upn (outcome), ==, "a@b.c");
  g_assert_cmpstr (cqv_outcome_get_tenant (outcome), ==, "Contoso");
  g_assert_cmpstr (cqv_outcome_get_context_id (outcome), ==,
                   "00000000-0000-0000-0000-000000000000");
  g_assert_cmpint (cqv_outcome_get_elapsed_ms (outcome), ==, 1234);
  g_assert_true (cqv_outcome_get_finished_at (outcome) == now);

  g_assert_finalize_object (outcome);
}

static void
test_outcome_notify (void)
{
  g_autoptr (CqvOutcome) outcome = cqv_outcome_new (CQV_OUTCOME_ERROR, NULL);
  g_autoptr (GDateTime) t1 = g_date_time_new_from_unix_utc (1000);
  g_autoptr (GDateTime) t1_again = g_date_time_new_from_unix_utc (1000);
  guint *message = watch (outcome, "message");
  guint *elapsed = watch (outcome, "elapsed-ms");
  guint *finished = watch (outcome, "finished-at");

  cqv_outcome_set_message (outcome, NULL);
  g_assert_cmpuint (*message, ==, 0);
  cqv_outcome_set_message (outcome, "x");
  cqv_outcome_set_message (outcome, "x");
  g_assert_cmpuint (*message, ==, 1);

  cqv_outcome_set_elapsed_ms (outcome, 0);
  g_assert_cmpuint (*elapsed, ==, 0);
  cqv_outcome_set_elapsed_ms (outcome, 5);
  g_object_set (outcome, "elapsed-ms", (gint64) 5, NULL);
  g_assert_cmpuint (*elapsed, ==, 1);

  cqv_outcome_set_finished_at (outcome, t1);
  cqv_outcome_set_finished_at (outcome, t1_again);
  g_assert_cmpuint (*finished, ==, 1);
  cqv_outcome_set_finished_at (outcome, NULL);
  g_assert_cmpuint (*finished, ==, 2);
}

static void
test_outcome_kinds (void)
{
  static const struct
  {
    CqvOutcomeKind kind;
    const char *name;
    int exit_code;
  } cases[] = {
    { CQV_OUTCOME_NONE, "none", 1 },
    { CQV_OUTCOME_APPROVED, "approved", 0 },
    { CQV_OUTCOME_DENIED, "denied", 10 },
    { CQV_OUTCOME_FRAUD_REPORTED, "fraud-reported", 11 },
    { CQV_OUTCOME_TIMED_OUT, "timed-out", 12 },
    { CQV_OUTCOME_NOT_DELIVERED, "not-delivered", 13 },
    { CQV_OUTCOME_NOT_ENROLLED, "not-enrolled", 13 },
    { CQV_OUTCOME_BLOCKED, "blocked", 13 },
    { CQV_OUTCOME_BUSY, "busy", 14 },
    { CQV_OUTCOME_THROTTLED, "throttled", 14 },
    { CQV_OUTCOME_CANCELLED, "cancelled", 1 },
    { CQV_OUTCOME_ERROR, "error", 1 },
  };
  GEnumClass *klass = g_type_class_ref (CQV_TYPE_OUTCOME_KIND);

  /* A new kind must be added to this table (and to the CLI contract). */
  g_assert_cmpuint (klass->n_values, ==, G_N_ELEMENTS (cases));
  g_type_class_unref (klass);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr (CqvOutcome) outcome = cqv_outcome_new (cases[i].kind, NULL);
      gboolean approved = TRUE;

      g_assert_cmpstr (cqv_outcome_kind_to_string (cases[i].kind), ==, cases[i].name);
      g_assert_cmpint (cqv_outcome_kind_get_exit_code (cases[i].kind), ==, cases[i].exit_code);
      g_assert_nonnull (cqv_outcome_kind_get_title (cases[i].kind));
      g_assert_cmpint (cqv_outcome_is_approved (outcome), ==,
                       cases[i].kind == CQV_OUTCOME_APPROVED);
      g_object_get (outcome, "approved", &approved, NULL);
      g_assert_cmpint (approved, ==, cases[i].kind == CQV_OUTCOME_APPROVED);
    }

  g_assert_cmpstr (cqv_outcome_kind_get_title (CQV_OUTCOME_APPROVED), ==, "Identity Verified");
  g_assert_cmpstr (cqv_outcome_kind_get_title (CQV_OUTCOME_DENIED), ==,
                   "Identity Verification Denied");
  g_assert_cmpstr (cqv_outcome_kind_get_title (CQV_OUTCOME_TIMED_OUT), ==, "No Response");
  g_assert_cmpstr (cqv_outcome_kind_get_title (CQV_OUTCOME_ERROR), ==, "Verification Failed");
}

static void
test_user_new_destroy (void)
{
  CqvUser *user = cqv_user_new ("id-1", "Ada Lovelace", "ada@contoso.com");
  g_autoptr (GDateTime) now = g_date_time_new_now_utc ();

  g_assert_cmpstr (cqv_user_get_id (user), ==, "id-1");
  g_assert_cmpstr (cqv_user_get_display_name (user), ==, "Ada Lovelace");
  g_assert_cmpstr (cqv_user_get_upn (user), ==, "ada@contoso.com");
  g_assert_null (cqv_user_get_mail (user));
  g_assert_true (cqv_user_get_enabled (user));
  g_assert_cmpint (cqv_user_get_user_type (user), ==, CQV_USER_TYPE_MEMBER);
  g_assert_cmpint (cqv_user_get_source (user), ==, CQV_USER_SOURCE_CLOUD);
  g_assert_cmpint (cqv_user_get_authenticator (user), ==, CQV_AUTHENTICATOR_UNKNOWN);
  g_assert_cmpint (cqv_user_get_last_outcome (user), ==, CQV_OUTCOME_NONE);
  g_assert_null (cqv_user_get_last_verified (user));
  g_assert_cmpstr (cqv_user_get_search_key (user), ==, "ada lovelace\nada@contoso.com\n");

  cqv_user_set_mail (user, "Ada@Contoso.com");
  cqv_user_set_job_title (user, "Engineer");
  cqv_user_set_department (user, "R&D");
  cqv_user_set_last_verification (user, CQV_OUTCOME_APPROVED, now);
  g_assert_cmpstr (cqv_user_get_job_title (user), ==, "Engineer");
  g_assert_cmpstr (cqv_user_get_department (user), ==, "R&D");

  g_assert_finalize_object (user);

  /* Everything may be missing in a directory entry. */
  user = cqv_user_new (NULL, NULL, NULL);
  g_assert_cmpstr (cqv_user_get_search_key (user), ==, "\n\n");
  g_assert_finalize_object (user);
}

static void
test_user_notify (void)
{
  g_autoptr (CqvUser) user = cqv_user_new ("id", "Name", "upn@x");
  g_autoptr (GDateTime) t1 = g_date_time_new_from_unix_utc (1);
  g_autoptr (GDateTime) t1_again = g_date_time_new_from_unix_utc (1);
  guint *mail = watch (user, "mail");
  guint *key = watch (user, "search-key");
  guint *title = watch (user, "job-title");
  guint *type = watch (user, "user-type");
  guint *source = watch (user, "source");
  guint *enabled = watch (user, "enabled");
  guint *auth = watch (user, "authenticator");
  guint *outcome = watch (user, "last-outcome");
  guint *verified = watch (user, "last-verified");

  cqv_user_set_mail (user, NULL);
  g_assert_cmpuint (*mail, ==, 0);
  g_assert_cmpuint (*key, ==, 0);
  cqv_user_set_mail (user, "Mail@X");
  g_assert_cmpuint (*mail, ==, 1);
  g_assert_cmpuint (*key, ==, 1);
  g_assert_cmpstr (cqv_user_get_search_key (user), ==, "name\nupn@x\nmail@x");
  cqv_user_set_mail (user, "Mail@X");
  g_assert_cmpuint (*mail, ==, 1);
  /* A different mail that folds the same is a mail change but not a key change. */
  cqv_user_set_mail (user, "MAIL@x");
  g_assert_cmpuint (*mail, ==, 2);
  g_assert_cmpuint (*key, ==, 1);

  cqv_user_set_job_title (user, NULL);
  cqv_user_set_job_title (user, "T");
  cqv_user_set_job_title (user, "T");
  g_assert_cmpuint (*title, ==, 1);

  cqv_user_set_user_type (user, CQV_USER_TYPE_MEMBER);
  cqv_user_set_user_type (user, CQV_USER_TYPE_GUEST);
  cqv_user_set_user_type (user, CQV_USER_TYPE_GUEST);
  g_assert_cmpuint (*type, ==, 1);

  cqv_user_set_source (user, CQV_USER_SOURCE_CLOUD);
  cqv_user_set_source (user, CQV_USER_SOURCE_SYNCED);
  g_object_set (user, "source", CQV_USER_SOURCE_SYNCED, NULL);
  g_assert_cmpuint (*source, ==, 1);

  cqv_user_set_enabled (user, TRUE);
  cqv_user_set_enabled (user, FALSE);
  cqv_user_set_enabled (user, FALSE);
  g_assert_cmpuint (*enabled, ==, 1);

  cqv_user_set_authenticator (user, CQV_AUTHENTICATOR_UNKNOWN);
  cqv_user_set_authenticator (user, CQV_AUTHENTICATOR_CHECKING);
  cqv_user_set_authenticator (user, CQV_AUTHENTICATOR_REGISTERED);
  cqv_user_set_authenticator (user, CQV_AUTHENTICATOR_REGISTERED);
  g_assert_cmpuint (*auth, ==, 2);

  cqv_user_set_last_verification (user, CQV_OUTCOME_NONE, NULL);
  g_assert_cmpuint (*outcome, ==, 0);
  g_assert_cmpuint (*verified, ==, 0);
  cqv_user_set_last_verification (user, CQV_OUTCOME_DENIED, t1);
  g_assert_cmpuint (*outcome, ==, 1);
  g_assert_cmpuint (*verified, ==, 1);
  cqv_user_set_last_verification (user, CQV_OUTCOME_DENIED, t1_again);
  g_assert_cmpuint (*outcome, ==, 1);
  g_assert_cmpuint (*verified, ==, 1);
  cqv_user_set_last_verification (user, CQV_OUTCOME_APPROVED, t1);
  g_assert_cmpuint (*outcome, ==, 2);
  g_assert_cmpuint (*verified, ==, 1);
  g_assert_cmpint (cqv_user_get_last_outcome (user), ==, CQV_OUTCOME_APPROVED);
  g_assert_true (g_date_time_equal (cqv_user_get_last_verified (user), t1));
}

static void
assert_fold (const char *text, const char *expected)
{
  g_autofree char *folded = cqv_fold_for_search (text);

  g_assert_cmpstr (folded, ==, expected);
}

static gboolean
matches (CqvUser *user, const char *query)
{
  g_autofree char *folded = cqv_fold_for_search (query);

  return strstr (cqv_user_get_search_key (user), folded) != NULL;
}

static void
test_fold (void)
{
  g_autoptr (CqvUser) jose = cqv_user_new ("1", "José Álvarez", "jose@contoso.com");
  g_autoptr (CqvUser) ang = cqv_user_new ("2", "ÅNGSTRÖM, Anders", "anders@contoso.com");

  assert_fold (NULL, "");
  assert_fold ("", "");
  assert_fold ("Plain ASCII 123 @._-", "plain ascii 123 @._-");
  assert_fold ("José Álvarez", "jose alvarez");
  assert_fold ("ÅNGSTRÖM", "angstrom");
  assert_fold ("Straße", "strasse");
  assert_fold ("İstanbul", "istanbul");
  assert_fold ("ﬁle", "file");                    /* ligature, NFKD */
  assert_fold ("ＡＢＣ", "abc");                  /* full-width */
  assert_fold ("ℌ", "h");                         /* compatibility letter, NFKD before folding */
  assert_fold ("Ωmega ΣΊΣΥΦΟΣ", "ωmega σισυφοσ"); /* final sigma folds to σ */
  assert_fold ("Nguyễn", "nguyen");
  assert_fold ("田中 太郎", "田中 太郎");
  assert_fold ("Zoë\xcc\x88", "zoe"); /* already decomposed marks */
  assert_fold ("bad \xff utf8", "");  /* invalid UTF-8 folds to nothing, never crashes */

  g_assert_true (matches (jose, "jose alv"));
  g_assert_true (matches (jose, "JOSÉ"));
  g_assert_true (matches (jose, "Álvarez"));
  g_assert_true (matches (jose, "jose@"));
  g_assert_false (matches (jose, "josh"));
  g_assert_true (matches (ang, "angstrom"));
  g_assert_true (matches (ang, "Ångström"));

  /* The separator keeps a query from matching across fields. */
  g_assert_false (matches (jose, "alvarezjose"));
}

static void
test_fold_many (void)
{
  g_autoptr (GPtrArray) users = g_ptr_array_new_with_free_func (g_object_unref);
  gint64 start = g_get_monotonic_time ();

  for (guint i = 0; i < 100000; i++)
    {
      g_autofree char *name = g_strdup_printf (i % 10 ? "User %u" : "Usér Ñ %u", i);
      g_autofree char *upn = g_strdup_printf ("user%u@contoso.com", i);

      g_ptr_array_add (users, cqv_user_new (upn, name, upn));
    }

  g_test_message ("100000 users with search keys: %.1f ms",
                  (g_get_monotonic_time () - start) / 1000.0);
  g_assert_true (matches (g_ptr_array_index (users, 99990), "user n 99990"));
}

static void
test_to_string (void)
{
  g_assert_cmpstr (cqv_user_source_to_string (CQV_USER_SOURCE_CLOUD), ==, "Cloud");
  g_assert_cmpstr (cqv_user_source_to_string (CQV_USER_SOURCE_SYNCED), ==, "Synced");
  g_assert_cmpstr (cqv_user_source_to_string (CQV_USER_SOURCE_FORMERLY_SYNCED), ==,
                   "Formerly synced");
  g_assert_cmpstr (cqv_user_type_to_string (CQV_USER_TYPE_MEMBER), ==, "Member");
  g_assert_cmpstr (cqv_user_type_to_string (CQV_USER_TYPE_GUEST), ==, "Guest");
  g_assert_cmpstr (cqv_authenticator_state_to_string (CQV_AUTHENTICATOR_UNKNOWN), ==, "Unknown");
  g_assert_cmpstr (cqv_authenticator_state_to_string (CQV_AUTHENTICATOR_CHECKING), ==, "Checking…");
  g_assert_cmpstr (cqv_authenticator_state_to_string (CQV_AUTHENTICATOR_REGISTERED), ==,
                   "Registered");
  g_assert_cmpstr (cqv_authenticator_state_to_string (CQV_AUTHENTICATOR_NOT_REGISTERED), ==,
                   "Not registered");
}

static int
sign (int value)
{
  return (value > 0) - (value < 0);
}

/* Names sort like their collation keys, also where they only differ after 8 bytes of key. */
static void
test_user_compare_names (void)
{
  static const char *const names[] = {
    "",
    "a",
    "ab",
    "abcdefgh",
    "abcdefgh ",
    "abcdefghi",
    "abcdefgha",
    "Abcdefgh",
    "ABCDEFGHZ",
    "Émile",
    "émile zola",
    "Emile",
    "zoë",
    "Zoe",
    "Ünal",
    "a b",
    "Ångström Ångström",
    "Ångström Ångströn",
    "日本語の名前",
    "日本語の名字",
  };
  g_autoptr (GPtrArray) users = g_ptr_array_new_with_free_func (g_object_unref);

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    g_ptr_array_add (users, cqv_user_new ("id", names[i], "upn@contoso.example"));

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    for (guint j = 0; j < G_N_ELEMENTS (names); j++)
      {
        g_autofree char *folded_i = g_utf8_casefold (names[i], -1);
        g_autofree char *folded_j = g_utf8_casefold (names[j], -1);
        g_autofree char *key_i = g_utf8_collate_key (folded_i, -1);
        g_autofree char *key_j = g_utf8_collate_key (folded_j, -1);

        g_assert_cmpint (sign (cqv_user_compare_names (g_ptr_array_index (users, i),
                                                       g_ptr_array_index (users, j))),
                         ==, sign (strcmp (key_i, key_j)));
      }
}

int
main (int argc, char *argv[])
{
  setlocale (LC_ALL, "");
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/cqv/model/tenant/new-destroy", test_tenant_new_destroy);
  g_test_add_func ("/cqv/model/tenant/notify", test_tenant_notify);
  g_test_add_func ("/cqv/model/tenant/effective-urls", test_tenant_effective_urls);
  g_test_add_func ("/cqv/model/cloud/strings", test_cloud_strings);
  g_test_add_func ("/cqv/model/outcome/new-destroy", test_outcome_new_destroy);
  g_test_add_func ("/cqv/model/outcome/notify", test_outcome_notify);
  g_test_add_func ("/cqv/model/outcome/kinds", test_outcome_kinds);
  g_test_add_func ("/cqv/model/user/new-destroy", test_user_new_destroy);
  g_test_add_func ("/cqv/model/user/notify", test_user_notify);
  g_test_add_func ("/cqv/model/user/fold", test_fold);
  g_test_add_func ("/cqv/model/user/fold-many", test_fold_many);
  g_test_add_func ("/cqv/model/user/to-string", test_to_string);
  g_test_add_func ("/cqv/model/user/compare-names", test_user_compare_names);

  return g_test_run ();
}
