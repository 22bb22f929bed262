/* SPDX-License-Identifier: GPL-3.0-or-later */

#define G_LOG_DOMAIN "test-cli"

#include "config.h"

#include <glib/gstdio.h>
#include <signal.h>

#include "cqv-cli-fixture.h"
#include "cqv-cli.h"

#define ALL_ROLES                                                                             \
  "\"User.Read.All\", \"UserAuthenticationMethod.Read.All\", \"Application.ReadWrite.All\", " \
  "\"AuditLog.Read.All\""

static guint case_number;

/* A fresh tenants file for every test; the keyring (one per test program) is emptied of the
 * simulator's tenant, so connector secrets from an earlier simulator do not linger. */
static void
fresh_state (void)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *config = NULL;
  g_autoptr (CqvSecretStore) store = NULL;
  g_autoptr (GAsyncResult) result = NULL;

  /* Under the session's fresh config dir, which run-in-session.sh removes afterwards. */
  config = g_strdup_printf ("%s/case-%u", g_get_user_config_dir (), ++case_number);
  g_assert_cmpint (g_mkdir_with_parents (config, 0700), ==, 0);
  cli_set_env ("XDG_CONFIG_HOME", config);

  if (g_strcmp0 (g_getenv ("CQV_TEST_KEYRING"), "none") == 0)
    return;
  store = cqv_secret_store_new ();
  cqv_secret_store_clear_async (store, SIM_TENANT_ID, NULL, NULL, sim_store_result_cb, &result);
  sim_wait_for_result (&result, 10000);
  cqv_secret_store_clear_finish (store, result, &error);
  g_assert_no_error (error);
}

/* secret-tool's answer for a keyring item of ours, or NULL when there is none. */
static char *
keyring_lookup (const char *client_id, const char *kind)
{
  g_autofree char *out = NULL;
  g_autoptr (GError) error = NULL;
  const char *argv[] = { "secret-tool", "lookup", "tenant-id", SIM_TENANT_ID, "client-id",
                         client_id,     "kind",   kind,        NULL };
  int status = 0;

  g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH | G_SPAWN_STDERR_TO_DEV_NULL, NULL,
                NULL, &out, NULL, &status, &error);
  g_assert_no_error (error);
  return status == 0 && out != NULL && *out != '\0' ? g_steal_pointer (&out) : NULL;
}

static gboolean
have_secret_tool (void)
{
  g_autofree char *path = g_find_program_in_path ("secret-tool");

  return path != NULL;
}

static void
assert_empty_array (const char *text)
{
  g_autoptr (JsonNode) root = cli_parse_json (text);

  g_assert_true (JSON_NODE_HOLDS_ARRAY (root));
  g_assert_cmpuint (json_array_get_length (json_node_get_array (root)), ==, 0);
}

static SimFixture *
start_sim (const char *tenant_extra, const char *roles, const char *users)
{
  g_autofree char *scenario = sim_scenario_json (0, tenant_extra, roles, users);

  fresh_state ();
  return sim_fixture_start (scenario);
}

static void
test_usage (void)
{
  const char *const *cases[] = {
    CLI_ARGS ("verify"),
    CLI_ARGS ("verify", "Contoso"),
    CLI_ARGS ("verify", "Contoso", "a@b.c", "extra"),
    CLI_ARGS ("verify", "--bogus", "Contoso", "a@b.c"),
    CLI_ARGS ("users"),
    CLI_ARGS ("users", "a", "b"),
    CLI_ARGS ("tenant"),
    CLI_ARGS ("tenant", "bogus"),
    CLI_ARGS ("tenant", "list", "extra"),
    CLI_ARGS ("tenant", "remove"),
    CLI_ARGS ("tenant", "check"),
    CLI_ARGS ("tenant", "add", "Contoso"),
    CLI_ARGS ("tenant", "add", "Contoso", "--tenant-id", SIM_TENANT_ID),
    CLI_ARGS ("tenant", "add", "Contoso", "--tenant-id", SIM_TENANT_ID, "--client-id", SIM_APP_ID,
              "--cloud", "mars"),
    CLI_ARGS ("tenant", "add", "Contoso", "--tenant-id", "not a tenant", "--client-id", SIM_APP_ID),
    CLI_ARGS ("tenant", "add", "Contoso", "--tenant-id", SIM_TENANT_ID, "--client-id", "nope"),
  };

  fresh_state ();
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *out = NULL;
      g_autofree char *err = NULL;

      g_assert_cmpint (cli_run (NULL, &out, &err, cases[i]), ==, CQV_EXIT_USAGE);
      g_assert_cmpstr (out, ==, "");
      /* One line saying what is wrong, and a hint. */
      g_assert_cmpstr (err, !=, "");
    }
}

static void
test_unknown_tenant (void)
{
  const char *const *cases[] = {
    CLI_ARGS ("verify", "Nowhere", "a@contoso.example"),
    CLI_ARGS ("verify", "Nowhere", "a@contoso.example", "--json"),
    CLI_ARGS ("users", "Nowhere"),
    CLI_ARGS ("tenant", "remove", "Nowhere"),
    CLI_ARGS ("tenant", "check", "Nowhere"),
  };

  fresh_state ();
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *err = NULL;

      g_assert_cmpint (cli_run (NULL, NULL, &err, cases[i]), ==, CQV_EXIT_TENANT);
      g_assert_nonnull (strstr (err, "Nowhere"));
      g_assert_nonnull (strstr (err, "tenant list"));
    }
}

static void
test_tenant_lifecycle (void)
{
  SimFixture *fx = start_sim (NULL, NULL, NULL);
  g_autoptr (JsonNode) list = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autofree char *ini = NULL;
  g_autofree char *ini_path = NULL;
  g_autofree char *stored = NULL;
  JsonObject *entry;

  /* An empty secret is refused before anything is stored. */
  g_assert_cmpint (cli_run ("\n", NULL, &err,
                            CLI_ARGS ("tenant", "add", "Contoso", "--tenant-id", SIM_TENANT_ID,
                                      "--client-id", SIM_APP_ID)),
                   ==, CQV_EXIT_USAGE);
  g_assert_nonnull (strstr (err, "empty"));
  g_clear_pointer (&err, g_free);

  cli_add_sim_tenant (fx, "Contoso", SIM_APP_SECRET);

  /* A second tenant of the same name is refused. */
  g_assert_cmpint (cli_run (NULL, NULL, &err,
                            CLI_ARGS ("tenant", "add", "contoso", "--tenant-id", SIM_TENANT_ID,
                                      "--client-id", SIM_APP_ID)),
                   ==, CQV_EXIT_TENANT);
  g_assert_nonnull (strstr (err, "exists"));
  g_clear_pointer (&err, g_free);

  g_assert_cmpint (cli_run (NULL, &out, NULL, CLI_ARGS ("tenant", "list")), ==, 0);
  g_assert_nonnull (strstr (out, "Contoso"));
  g_assert_nonnull (strstr (out, SIM_TENANT_ID));
  g_assert_null (strstr (out, SIM_APP_SECRET));
  g_clear_pointer (&out, g_free);

  g_assert_cmpint (cli_run (NULL, &out, NULL, CLI_ARGS ("tenant", "list", "--json")), ==, 0);
  g_assert_null (strstr (out, SIM_APP_SECRET));
  list = cli_parse_json (out);
  g_assert_true (JSON_NODE_HOLDS_ARRAY (list));
  g_assert_cmpuint (json_array_get_length (json_node_get_array (list)), ==, 1);
  entry = json_array_get_object_element (json_node_get_array (list), 0);
  g_assert_cmpstr (json_object_get_string_member (entry, "name"), ==, "Contoso");
  g_assert_cmpstr (json_object_get_string_member (entry, "tenant_id"), ==, SIM_TENANT_ID);
  g_assert_cmpstr (json_object_get_string_member (entry, "client_id"), ==, SIM_APP_ID);
  g_assert_cmpstr (json_object_get_string_member (entry, "cloud"), ==, "global");
  g_assert_cmpstr (json_object_get_string_member (entry, "graph_url"), ==, fx->base_url);
  g_clear_pointer (&out, g_free);

  /* The secret is in the keyring, one trailing newline stripped, and not in tenants.ini. */
  ini_path = g_build_filename (g_environ_getenv (cli_extra_env, "XDG_CONFIG_HOME"),
                               "com.cyberqp.Verify", "tenants.ini", NULL);
  g_assert_true (g_file_get_contents (ini_path, &ini, NULL, NULL));
  g_assert_nonnull (strstr (ini, SIM_TENANT_ID));
  g_assert_null (strstr (ini, SIM_APP_SECRET));
  if (have_secret_tool ())
    {
      stored = keyring_lookup (SIM_APP_ID, "app-secret");
      g_assert_cmpstr (stored, ==, SIM_APP_SECRET);
      g_clear_pointer (&stored, g_free);
    }

  g_assert_cmpint (cli_run (NULL, &out, NULL, CLI_ARGS ("tenant", "remove", "Contoso")), ==, 0);
  g_clear_pointer (&out, g_free);
  g_assert_cmpint (cli_run (NULL, &out, &err, CLI_ARGS ("tenant", "list", "--json")), ==, 0);
  assert_empty_array (out);
  if (have_secret_tool ())
    {
      stored = keyring_lookup (SIM_APP_ID, "app-secret");
      g_assert_null (stored);
    }

  sim_fixture_stop (fx);
}

/* A domain is resolved to the tenant's GUID through the OpenID configuration. */
static void
test_tenant_domain (void)
{
  SimFixture *fx = start_sim (NULL, NULL, NULL);
  g_autoptr (JsonNode) list = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  JsonObject *entry;

  g_assert_cmpint (cli_run (SIM_APP_SECRET, &out, &err,
                            CLI_ARGS ("tenant", "add", "Contoso", "--tenant-id", SIM_DOMAIN,
                                      "--client-id", SIM_APP_ID, "--login-url", fx->base_url,
                                      "--graph-url", fx->base_url, "--mfa-url", fx->base_url)),
                   ==, 0);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (cli_run (NULL, &out, NULL, CLI_ARGS ("tenant", "list", "--json")), ==, 0);
  list = cli_parse_json (out);
  entry = json_array_get_object_element (json_node_get_array (list), 0);
  g_assert_cmpstr (json_object_get_string_member (entry, "tenant_id"), ==, SIM_TENANT_ID);
  g_clear_pointer (&out, g_free);

  /* An unknown domain: exit 3, nothing added. */
  g_assert_cmpint (cli_run (NULL, &out, &err,
                            CLI_ARGS ("tenant", "add", "Other", "--tenant-id", "nowhere.example",
                                      "--client-id", SIM_APP_ID, "--login-url", fx->base_url)),
                   ==, CQV_EXIT_TENANT);
  g_assert_nonnull (strstr (err, "nowhere.example"));

  sim_fixture_stop (fx);
}

static void
test_insecure_endpoint (void)
{
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;

  fresh_state ();
  g_assert_cmpint (
    cli_run (NULL, &out, &err,
             CLI_ARGS ("tenant", "add", "Evil", "--tenant-id", SIM_TENANT_ID, "--client-id",
                       SIM_APP_ID, "--graph-url", "http://example.com")),
    ==, CQV_EXIT_USAGE);
  g_assert_nonnull (strstr (err, "--graph-url"));
  g_assert_nonnull (strstr (err, "http"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  /* Nothing was added. */
  g_assert_cmpint (cli_run (NULL, &out, &err, CLI_ARGS ("tenant", "list", "--json")), ==, 0);
  assert_empty_array (out);
  if (have_secret_tool ())
    {
      g_autofree char *stored = keyring_lookup (SIM_APP_ID, "app-secret");

      g_assert_null (stored);
    }
}

static JsonObject *
find_user_object (JsonArray *array, const char *upn)
{
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonObject *object = json_array_get_object_element (array, i);

      if (g_ascii_strcasecmp (json_object_get_string_member (object, "upn"), upn) == 0)
        return object;
    }
  g_assert_not_reached ();
}

static void
assert_user (JsonArray *array,
             const char *upn,
             const char *source,
             gboolean enabled,
             const char *user_type,
             const char *authenticator)
{
  JsonObject *user = find_user_object (array, upn);

  g_assert_cmpstr (json_object_get_string_member (user, "source"), ==, source);
  g_assert_cmpint (json_object_get_boolean_member (user, "enabled"), ==, enabled);
  g_assert_cmpstr (json_object_get_string_member (user, "user_type"), ==, user_type);
  g_assert_cmpstr (json_object_get_string_member (user, "authenticator"), ==, authenticator);
  g_assert_nonnull (json_object_get_string_member (user, "id"));
  g_assert_nonnull (json_object_get_string_member (user, "display_name"));
}

#define CLASSIFIED_USERS                                                                           \
  "{\"id\": \"id-ann\", \"upn\": \"ann@" SIM_DOMAIN "\", \"display_name\": \"Zoë Müller\", "     \
  "\"authenticator\": true},"                                                                      \
  "{\"id\": \"id-bob\", \"upn\": \"bob@" SIM_DOMAIN "\", \"display_name\": \"Bob Synced\", "       \
  "\"authenticator\": false, \"on_premises_sync_enabled\": true},"                                 \
  "{\"id\": \"id-cat\", \"upn\": \"cat@" SIM_DOMAIN "\", \"display_name\": \"Cat Former\", "       \
  "\"authenticator\": true, \"on_premises_sync_enabled\": false, \"account_enabled\": false},"     \
  "{\"id\": \"id-dan\", \"upn\": \"dan_home.com#EXT#@" SIM_DOMAIN "\", "                           \
  "\"display_name\": \"Dan Guest\", \"user_type\": \"Guest\", \"authenticator\": true},"           \
  "{\"id\": \"id-eve\", \"upn\": \"eve@" SIM_DOMAIN "\", \"display_name\": \"Zoe Muller-Smith\", " \
  "\"authenticator\": true}"

static void
check_users (const char *roles)
{
  SimFixture *fx = start_sim (NULL, roles, CLASSIFIED_USERS);
  g_autoptr (JsonNode) root = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  JsonArray *array;

  cli_add_sim_tenant (fx, "Contoso", SIM_APP_SECRET);

  g_assert_cmpint (cli_run (NULL, &out, &err, CLI_ARGS ("users", "Contoso", "--json")), ==, 0);
  root = cli_parse_json (out);
  array = json_node_get_array (root);
  g_assert_cmpuint (json_array_get_length (array), ==, 5);
  assert_user (array, "ann@" SIM_DOMAIN, "cloud", TRUE, "member", "registered");
  assert_user (array, "bob@" SIM_DOMAIN, "synced", TRUE, "member", "not-registered");
  assert_user (array, "cat@" SIM_DOMAIN, "formerly-synced", FALSE, "member", "registered");
  assert_user (array, "dan_home.com#EXT#@" SIM_DOMAIN, "cloud", TRUE, "guest", "registered");
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_clear_pointer (&root, json_node_unref);

  /* Case and accents do not matter. */
  g_assert_cmpint (
    cli_run (NULL, &out, &err, CLI_ARGS ("users", "Contoso", "--json", "--search", "ZOË MULLER")),
    ==, 0);
  root = cli_parse_json (out);
  array = json_node_get_array (root);
  g_assert_cmpuint (json_array_get_length (array), ==, 2);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_clear_pointer (&root, json_node_unref);

  g_assert_cmpint (
    cli_run (NULL, &out, &err, CLI_ARGS ("users", "Contoso", "--json", "--search", "zoe müller-s")),
    ==, 0);
  root = cli_parse_json (out);
  array = json_node_get_array (root);
  g_assert_cmpuint (json_array_get_length (array), ==, 1);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (array, 0), "upn"),
                   ==, "eve@" SIM_DOMAIN);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  /* The table: a header and one line per user. */
  g_assert_cmpint (cli_run (NULL, &out, &err, CLI_ARGS ("users", "Contoso", "--search", "zoe")), ==,
                   0);
  g_assert_nonnull (strstr (out, "UPN"));
  g_assert_nonnull (strstr (out, "Zoë Müller"));
  g_assert_nonnull (strstr (out, "eve@" SIM_DOMAIN));
  g_assert_null (strstr (out, "bob@"));

  sim_fixture_stop (fx);
}

/* With the registration report (P1 and AuditLog.Read.All). */
static void
test_users_report (void)
{
  check_users (ALL_ROLES);
}

/* Without AuditLog.Read.All: the per-user fallback. */
static void
test_users_per_user (void)
{
  check_users (NULL);
}

typedef struct
{
  const char *name;
  const char *push;
  const char *extra;
  int exit_code;
  const char *outcome;
  gboolean sent;
} OutcomeCase;

static void
test_verify_outcomes (void)
{
  const OutcomeCase cases[] = {
    { "approve", "approve", NULL, 0, "approved", TRUE },
    { "otp", "otp-default", NULL, 0, "approved", TRUE },
    { "deny", "deny", NULL, 10, "denied", TRUE },
    { "fraud", "fraud", NULL, 11, "fraud-reported", TRUE },
    { "silent", "no-answer", NULL, 12, "timed-out", TRUE },
    { "unenrolled", "not-enrolled", NULL, 13, "not-enrolled", TRUE },
    { "bare", "not-enrolled", ", \"authenticator\": false", 13, "not-enrolled", FALSE },
    { "guest", "approve", ", \"user_type\": \"Guest\"", 13, "error", FALSE },
    { "disabled", "approve", ", \"account_enabled\": false", 13, "error", FALSE },
    { "blocked", "blocked", NULL, 13, "blocked", TRUE },
    { "duplicate", "duplicate", NULL, 14, "busy", TRUE },
    { "throttled", "throttled", NULL, 14, "throttled", TRUE },
    { "wrongupn", "wrong-upn", NULL, 1, "error", TRUE },
    { "malformed", "malformed", NULL, 1, "error", TRUE },
  };
  GString *users = g_string_new (NULL);
  g_autofree char *users_json = NULL;
  SimFixture *fx;

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *extra = g_strconcat (", \"delay_seconds\": 1", cases[i].extra, NULL);
      g_autofree char *user = sim_user_json (cases[i].name, cases[i].push, extra);

      g_string_append_printf (users, "%s%s", i > 0 ? ", " : "", user);
    }
  users_json = g_string_free (users, FALSE);
  fx = start_sim (NULL, NULL, users_json);
  cli_add_sim_tenant (fx, "Contoso", SIM_APP_SECRET);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *upn = g_strdup_printf ("%s@%s", cases[i].name, SIM_DOMAIN);
      g_autofree char *out = NULL;
      g_autofree char *err = NULL;
      g_autoptr (JsonNode) root = NULL;
      JsonObject *object;
      int status;

      g_test_message ("verify %s (%s)", cases[i].name, cases[i].push);
      status = cli_run (NULL, &out, &err,
                        CLI_ARGS ("verify", "Contoso", upn, "--json", "--ticket", "T-1"));
      g_assert_cmpint (status, ==, cases[i].exit_code);

      root = cli_parse_json (out);
      object = json_node_get_object (root);
      g_assert_cmpstr (json_object_get_string_member (object, "outcome"), ==, cases[i].outcome);
      g_assert_cmpstr (json_object_get_string_member (object, "upn"), ==, upn);
      g_assert_cmpstr (json_object_get_string_member (object, "tenant"), ==, "Contoso");
      g_assert_cmpstr (json_object_get_string_member (object, "ticket"), ==, "T-1");
      g_assert_true (json_object_has_member (object, "context_id"));
      g_assert_true (json_object_has_member (object, "result_value"));
      g_assert_cmpint (json_object_get_int_member (object, "elapsed_ms"), >=, 0);
      g_assert_cmpstr (json_object_get_string_member (object, "message"), !=, "");
      g_assert_cmpint (json_object_get_int_member (object, "exit_code"), ==, cases[i].exit_code);
      g_assert_cmpint (json_object_get_boolean_member (object, "approved"), ==,
                       cases[i].exit_code == 0);
      /* Refusals send nothing. */
      g_assert_cmpuint (sim_fixture_count_begins (fx, upn), ==, cases[i].sent ? 1 : 0);
    }

  sim_fixture_stop (fx);
}

static void
test_verify_text (void)
{
  g_autofree char *user = sim_user_json ("approve", "approve", ", \"delay_seconds\": 0");
  SimFixture *fx = start_sim (NULL, NULL, user);
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;

  cli_add_sim_tenant (fx, "Contoso", SIM_APP_SECRET);
  g_assert_cmpint (
    cli_run (NULL, &out, &err, CLI_ARGS ("verify", "Contoso", "APPROVE@" SIM_DOMAIN)), ==, 0);
  g_assert_true (g_str_has_prefix (out, "✓"));
  /* Not a terminal: no countdown. */
  g_assert_cmpstr (err, ==, "");
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  /* An unknown user is an error, never approval. */
  g_assert_cmpint (cli_run (NULL, &out, &err, CLI_ARGS ("verify", "Contoso", "ghost@" SIM_DOMAIN)),
                   ==, 1);
  g_assert_cmpstr (out, ==, "");
  g_assert_nonnull (strstr (err, "ghost@"));

  sim_fixture_stop (fx);
}

static void
test_verify_cancel (void)
{
  g_autofree char *user = sim_user_json ("slow", "approve", ", \"delay_seconds\": 500");
  g_autofree char *scenario = sim_scenario_json (1000, NULL, NULL, user);
  g_autoptr (GSubprocess) process = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonNode) root = NULL;
  g_autofree char *out = NULL;
  SimFixture *fx;

  fresh_state ();
  fx = sim_fixture_start (scenario);
  cli_add_sim_tenant (fx, "Contoso", SIM_APP_SECRET);

  {
    g_autoptr (GSubprocessLauncher) launcher = g_subprocess_launcher_new (
      G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_SILENCE);

    g_subprocess_launcher_setenv (launcher, "XDG_CONFIG_HOME",
                                  g_environ_getenv (cli_extra_env, "XDG_CONFIG_HOME"), TRUE);
    process = g_subprocess_launcher_spawn (launcher, &error, g_getenv ("CQV_BINARY"), "verify",
                                           "Contoso", "slow@" SIM_DOMAIN, "--json", NULL);
    g_assert_no_error (error);
  }

  /* Ctrl+C once the push is out. */
  sim_wait_for_begin (fx, "slow@" SIM_DOMAIN, 20000);
  g_subprocess_send_signal (process, SIGINT);
  g_subprocess_communicate_utf8 (process, NULL, NULL, &out, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_exited (process));
  g_assert_cmpint (g_subprocess_get_exit_status (process), ==, CQV_EXIT_ERROR);
  root = cli_parse_json (out);
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (root), "outcome"), ==,
                   "cancelled");

  sim_fixture_stop (fx);
}

static JsonObject *
find_check_item (JsonNode *root, const char *id)
{
  JsonArray *items = json_object_get_array_member (json_node_get_object (root), "items");

  for (guint i = 0; i < json_array_get_length (items); i++)
    {
      JsonObject *item = json_array_get_object_element (items, i);

      if (g_str_equal (json_object_get_string_member (item, "id"), id))
        return item;
    }
  g_assert_not_reached ();
}

/* Runs `tenant check --json`; asserts the exit code and the status of line @id. */
static void
assert_check (int exit_code, const char *id, const char *status)
{
  g_autofree char *out = NULL;
  g_autoptr (JsonNode) root = NULL;
  JsonObject *item;

  g_assert_cmpint (cli_run (NULL, &out, NULL, CLI_ARGS ("tenant", "check", "Contoso", "--json")),
                   ==, exit_code);
  root = cli_parse_json (out);
  g_assert_cmpint (json_object_get_boolean_member (json_node_get_object (root), "passed"), ==,
                   exit_code == 0);
  item = find_check_item (root, id);
  g_assert_cmpstr (json_object_get_string_member (item, "status"), ==, status);
  if (g_str_equal (status, "failed") || g_str_equal (status, "warning"))
    g_assert_nonnull (json_object_get_string_member (item, "fix"));
}

static void
test_tenant_check (void)
{
  SimFixture *fx = start_sim (NULL, ALL_ROLES, NULL);
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autoptr (JsonNode) root = NULL;
  JsonArray *items;

  cli_add_sim_tenant (fx, "Contoso", SIM_APP_SECRET);

  /* Healthy: every line green, in the human form too. */
  g_assert_cmpint (cli_run (NULL, &out, &err, CLI_ARGS ("tenant", "check", "Contoso")), ==, 0);
  g_assert_null (strstr (out, "✗"));
  g_assert_nonnull (strstr (out, "✓"));
  g_clear_pointer (&out, g_free);
  g_assert_cmpint (cli_run (NULL, &out, NULL, CLI_ARGS ("tenant", "check", "Contoso", "--json")),
                   ==, 0);
  root = cli_parse_json (out);
  items = json_object_get_array_member (json_node_get_object (root), "items");
  g_assert_cmpuint (json_array_get_length (items), ==, 9);
  for (guint i = 0; i < json_array_get_length (items); i++)
    g_assert_cmpstr (
      json_object_get_string_member (json_array_get_object_element (items, i), "status"), ==, "ok");

  /* Read-only: the check created nothing. */
  sim_fixture_clear_requests (fx);
  assert_check (0, "connector-secret", "ok");
  g_assert_cmpuint (sim_fixture_count_requests (fx, "POST", "/v1.0/", 0), ==, 0);
  g_assert_cmpuint (sim_fixture_count_requests (fx, "PATCH", "/", 0), ==, 0);

  /* Each fault turns its line red (or, for optional things, a warning). */
  sim_fixture_set_tenant (fx, "{\"apps\": [{\"client_id\": \"" SIM_APP_ID "\", \"roles\": "
                              "[\"User.Read.All\", \"UserAuthenticationMethod.Read.All\", "
                              "\"AuditLog.Read.All\"]}]}");
  assert_check (3, "permission-applications", "failed");
  sim_fixture_set_tenant (fx, "{\"apps\": [{\"client_id\": \"" SIM_APP_ID "\", \"roles\": "
                              "[\"User.Read.All\", \"Application.ReadWrite.All\", "
                              "\"AuditLog.Read.All\"]}]}");
  assert_check (3, "permission-authenticator", "failed");
  sim_fixture_set_tenant (fx, "{\"apps\": [{\"client_id\": \"" SIM_APP_ID "\", \"roles\": "
                              "[\"User.Read.All\", \"Application.ReadWrite.All\", "
                              "\"UserAuthMethod-MicrosoftAuthApp.Read.All\"]}]}");
  assert_check (0, "permission-audit-log", "warning");
  sim_fixture_set_tenant (fx, "{\"apps\": [{\"client_id\": \"" SIM_APP_ID "\", \"roles\": "
                              "[" ALL_ROLES "]}]}");
  assert_check (0, "permission-audit-log", "ok");

  sim_fixture_set_tenant (fx, "{\"mfa_client_sp\": \"disabled\"}");
  assert_check (3, "mfa-client", "failed");
  sim_fixture_set_tenant (fx,
                          "{\"mfa_client_sp\": \"enabled\", \"mfa_connector_sp\": \"disabled\"}");
  assert_check (3, "mfa-connector", "failed");
  sim_fixture_set_tenant (fx, "{\"mfa_connector_sp\": \"enabled\", \"p1\": false}");
  assert_check (0, "registration-report", "warning");
  sim_fixture_set_tenant (fx, "{\"p1\": true}");
  assert_check (0, "registration-report", "ok");

  /* A wrong secret: the credentials line is red and the rest cannot be checked. */
  sim_fixture_set_tenant (fx, "{\"apps\": [{\"client_id\": \"" SIM_APP_ID "\", \"secret\": "
                              "\"another-secret\"}]}");
  assert_check (3, "credentials", "failed");
  assert_check (3, "mfa-client", "skipped");

  sim_fixture_stop (fx);
}

static void
test_paging_429 (void)
{
  SimFixture *fx =
    start_sim (", \"generate\": {\"count\": 2500, \"seed\": 7}, \"faults\": [{\"path\": "
               "\"/v1.0/users\", \"kind\": \"429\", \"retry_after\": \"1\", \"after\": 1, "
               "\"count\": 1}]",
               ALL_ROLES, NULL);
  g_autoptr (GHashTable) ids = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr (JsonNode) root = NULL;
  g_autofree char *out = NULL;
  JsonArray *array;

  cli_add_sim_tenant (fx, "Contoso", SIM_APP_SECRET);
  sim_fixture_clear_requests (fx);

  g_assert_cmpint (cli_run (NULL, &out, NULL, CLI_ARGS ("users", "Contoso", "--json")), ==, 0);
  root = cli_parse_json (out);
  array = json_node_get_array (root);
  g_assert_cmpuint (json_array_get_length (array), ==, 2500);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      const char *id =
        json_object_get_string_member (json_array_get_object_element (array, i), "id");

      g_assert_true (g_hash_table_add (ids, (gpointer) id));
    }
  /* The 429 really came, in the middle. */
  g_assert_cmpuint (sim_fixture_count_requests (fx, "GET", "/v1.0/users", 429), ==, 1);

  sim_fixture_stop (fx);
}

static void
test_secret_reuse (void)
{
  g_autofree char *user = sim_user_json ("approve", "approve", ", \"delay_seconds\": 0");
  /* New secrets are refused for 40 s × 0.02 = 0.8 s: the first push waits for propagation. */
  SimFixture *fx = start_sim (", \"secret_propagation_seconds\": 40", NULL, user);
  g_autofree char *connector_secret = NULL;

  cli_add_sim_tenant (fx, "Contoso", SIM_APP_SECRET);

  sim_fixture_clear_requests (fx);
  g_assert_cmpint (
    cli_run (NULL, NULL, NULL, CLI_ARGS ("verify", "Contoso", "approve@" SIM_DOMAIN)), ==, 0);
  g_assert_cmpuint (sim_fixture_count_requests (fx, "POST", "addPassword", 0), ==, 1);
  /* Propagation: the new secret was refused at least once before it worked. */
  g_assert_cmpuint (sim_fixture_count_requests (fx, "POST", "/oauth2/", 400) +
                      sim_fixture_count_requests (fx, "POST", "/oauth2/", 401),
                    >=, 1);
  g_assert_cmpuint (sim_fixture_count_passwords (fx), ==, 1);
  if (have_secret_tool ())
    {
      connector_secret = keyring_lookup (CQV_MFA_CLIENT_APP_ID, "connector-secret");
      g_assert_nonnull (connector_secret);
    }

  /* A second run (a new process) reuses the secret from the keyring. */
  sim_fixture_clear_requests (fx);
  g_assert_cmpint (
    cli_run (NULL, NULL, NULL, CLI_ARGS ("verify", "Contoso", "approve@" SIM_DOMAIN)), ==, 0);
  g_assert_cmpuint (sim_fixture_count_requests (fx, "POST", "addPassword", 0), ==, 0);
  g_assert_cmpuint (sim_fixture_count_requests (fx, "POST", "BeginTwoWayAuthentication", 200), ==,
                    1);
  g_assert_cmpuint (sim_fixture_count_passwords (fx), ==, 1);

  /* `tenant check` shows it with its expiry. */
  assert_check (0, "connector-secret", "ok");

  /* Removing the tenant takes the connector secret out of the keyring too. */
  g_assert_cmpint (cli_run (NULL, NULL, NULL, CLI_ARGS ("tenant", "remove", "Contoso")), ==, 0);
  if (have_secret_tool ())
    {
      g_autofree char *left = keyring_lookup (CQV_MFA_CLIENT_APP_ID, "connector-secret");

      g_assert_null (left);
    }

  sim_fixture_stop (fx);
}

/* No Secret Service on the bus (run with --no-secret-service). */
static void
test_no_keyring (void)
{
  g_autofree char *user = sim_user_json ("approve", "approve", NULL);
  SimFixture *fx = start_sim (NULL, NULL, user);
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *ini = NULL;
  g_autoptr (GError) error = NULL;

  g_assert_cmpint (cli_run (SIM_APP_SECRET "\n", &out, &err,
                            CLI_ARGS ("tenant", "add", "Contoso", "--tenant-id", SIM_TENANT_ID,
                                      "--client-id", SIM_APP_ID, "--login-url", fx->base_url,
                                      "--graph-url", fx->base_url, "--mfa-url", fx->base_url)),
                   ==, CQV_EXIT_TENANT);
  g_assert_nonnull (strstr (err, "GNOME Keyring"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  /* Nothing half added. */
  g_assert_cmpint (cli_run (NULL, &out, NULL, CLI_ARGS ("tenant", "list", "--json")), ==, 0);
  assert_empty_array (out);
  g_clear_pointer (&out, g_free);

  /* A tenant in the file whose secret cannot be read. */
  dir = g_build_filename (g_environ_getenv (cli_extra_env, "XDG_CONFIG_HOME"), "com.cyberqp.Verify",
                          NULL);
  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
  ini = g_strdup_printf ("[tenant-1]\nname=Contoso\ntenant-id=%s\nclient-id=%s\ncloud=global\n"
                         "login-url=%s\ngraph-url=%s\nmfa-url=%s\n",
                         SIM_TENANT_ID, SIM_APP_ID, fx->base_url, fx->base_url, fx->base_url);
  {
    g_autofree char *path = g_build_filename (dir, "tenants.ini", NULL);

    g_file_set_contents (path, ini, -1, &error);
    g_assert_no_error (error);
  }
  g_assert_cmpint (
    cli_run (NULL, &out, &err, CLI_ARGS ("verify", "Contoso", "approve@" SIM_DOMAIN)), ==,
    CQV_EXIT_TENANT);
  g_assert_nonnull (strstr (err, "GNOME Keyring"));
  g_assert_cmpuint (sim_fixture_count_begins (fx, "approve@" SIM_DOMAIN), ==, 0);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  g_assert_cmpint (cli_run (NULL, &out, &err, CLI_ARGS ("tenant", "check", "Contoso")), ==,
                   CQV_EXIT_TENANT);
  g_assert_nonnull (strstr (out, "✗"));

  sim_fixture_stop (fx);
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  if (g_strcmp0 (g_getenv ("CQV_TEST_KEYRING"), "none") == 0)
    g_test_add_func ("/cqv/cli/no-keyring", test_no_keyring);
  else
    {
      g_test_add_func ("/cqv/cli/usage", test_usage);
      g_test_add_func ("/cqv/cli/unknown-tenant", test_unknown_tenant);
      g_test_add_func ("/cqv/cli/tenant-lifecycle", test_tenant_lifecycle);
      g_test_add_func ("/cqv/cli/tenant-domain", test_tenant_domain);
      g_test_add_func ("/cqv/cli/insecure-endpoint", test_insecure_endpoint);
      g_test_add_func ("/cqv/cli/users/report", test_users_report);
      g_test_add_func ("/cqv/cli/users/per-user", test_users_per_user);
      g_test_add_func ("/cqv/cli/verify/outcomes", test_verify_outcomes);
      g_test_add_func ("/cqv/cli/verify/text", test_verify_text);
      g_test_add_func ("/cqv/cli/verify/cancel", test_verify_cancel);
      g_test_add_func ("/cqv/cli/tenant-check", test_tenant_check);
      g_test_add_func ("/cqv/cli/paging-429", test_paging_429);
      g_test_add_func ("/cqv/cli/secret-reuse", test_secret_reuse);
    }

  return g_test_run ();
}
