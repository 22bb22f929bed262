/* SPDX-License-Identifier: GPL-3.0-or-later */
/* A full flow through the real binary with every debug message on: no secret and no token may
 * appear in any output, log, or file outside the keyring. */

#define G_LOG_DOMAIN "test-no-secret-leak"

#include "config.h"

#include <glib/gstdio.h>
#include <signal.h>

#include "cqv-cli-fixture.h"

#define CANARY "S3cr3t-Leak-Canary-5b0e9c71d2a44f3e"
/* Every simulator token is a JWT: base64url of '{"' starts the header and the payload. */
#define TOKEN_MARK "eyJ"

typedef struct
{
  GSubprocess *process;
  char *base_url;
  char *log_path;
} Simulator;

/* Everything that was printed or logged, to search afterwards. */
static GString *captured;

static void
simulator_start (Simulator *sim, const char *dir)
{
  g_autofree char *scenario = NULL;
  g_autofree char *scenario_path = g_build_filename (dir, "scenario.json", NULL);
  g_autoptr (GSubprocessLauncher) launcher = NULL;
  g_autoptr (GDataInputStream) lines = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *users = NULL;

  users = sim_user_json ("approve", "approve", ", \"delay_seconds\": 0");
  scenario = g_strdup_printf (
    "{\"tenants\": [{\"tenant_id\": \"" SIM_TENANT_ID "\", \"domains\": [\"" SIM_DOMAIN "\"],"
    " \"apps\": [{\"client_id\": \"" SIM_APP_ID "\", \"secret\": \"" CANARY "\","
    " \"consented\": true, \"roles\": [\"User.Read.All\", \"UserAuthenticationMethod.Read.All\","
    " \"Application.ReadWrite.All\", \"AuditLog.Read.All\"]}],"
    " \"secret_propagation_seconds\": 20, \"users\": [%s]}]}",
    users);
  g_file_set_contents (scenario_path, scenario, -1, &error);
  g_assert_no_error (error);

  sim->log_path = g_build_filename (dir, "simulator.log", NULL);
  launcher =
    g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_PIPE);
  g_subprocess_launcher_setenv (launcher, "G_MESSAGES_DEBUG", "all", TRUE);
  g_subprocess_launcher_set_stderr_file_path (launcher, sim->log_path);
  sim->process = g_subprocess_launcher_spawn (launcher, &error, g_getenv ("CQV_SIMULATOR"),
                                              "--scenario", scenario_path, "--time-scale",
                                              SIM_TIME_SCALE, "--exit-on-stdin-eof", NULL);
  g_assert_no_error (error);

  lines = g_data_input_stream_new (g_subprocess_get_stdout_pipe (sim->process));
  /* The rest of stdout is read when the simulator stops. */
  g_filter_input_stream_set_close_base_stream (G_FILTER_INPUT_STREAM (lines), FALSE);
  sim->base_url = g_data_input_stream_read_line_utf8 (lines, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (sim->base_url);
}

static void
simulator_stop (Simulator *sim)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *rest = NULL;
  g_autofree char *log = NULL;

  g_subprocess_send_signal (sim->process, SIGTERM);
  g_subprocess_communicate_utf8 (sim->process, NULL, NULL, &rest, NULL, &error);
  g_assert_no_error (error);
  g_string_append (captured, rest != NULL ? rest : "");
  g_assert_true (g_file_get_contents (sim->log_path, &log, NULL, NULL));
  /* The simulator did log requests: the search below looks at something real. */
  g_assert_nonnull (strstr (log, "BeginTwoWayAuthentication"));
  g_string_append (captured, log);

  g_clear_object (&sim->process);
  g_free (sim->base_url);
  g_free (sim->log_path);
}

/* Runs the CLI and keeps everything it printed. */
static int
run (const char *input, const char *const *args)
{
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  int status = cli_run (input, &out, &err, args);

  g_string_append_printf (captured, "%s\n%s\n", out, err);
  return status;
}

static gboolean
contains_secret (const char *text, gsize length, const char *const *needles)
{
  for (guint i = 0; needles[i] != NULL; i++)
    {
      if (g_strstr_len (text, length, needles[i]) != NULL)
        {
          g_test_message ("found “%.8s…”", needles[i]);
          return TRUE;
        }
    }
  return FALSE;
}

/* Files under @dir (recursively) that contain one of @needles; the keyring's own directory is
 * left out. Returns how many files were searched. */
static guint
scan_dir (const char *dir, const char *const *needles, GPtrArray *offenders)
{
  g_autoptr (GDir) handle = g_dir_open (dir, 0, NULL);
  const char *name;
  guint searched = 0;

  if (handle == NULL)
    return 0;

  while ((name = g_dir_read_name (handle)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);
      g_autofree char *contents = NULL;
      gsize length = 0;

      if (g_file_test (path, G_FILE_TEST_IS_SYMLINK))
        continue;
      if (g_file_test (path, G_FILE_TEST_IS_DIR))
        {
          if (!g_str_equal (name, "keyrings"))
            searched += scan_dir (path, needles, offenders);
          continue;
        }
      if (!g_file_test (path, G_FILE_TEST_IS_REGULAR))
        continue;
      if (!g_file_get_contents (path, &contents, &length, NULL))
        continue;
      searched++;
      if (contains_secret (contents, length, needles))
        g_ptr_array_add (offenders, g_steal_pointer (&path));
    }
  return searched;
}

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

static void
test_full_flow (void)
{
  g_autofree char *work = NULL;
  g_autofree char *connector_secret = NULL;
  g_autofree char *app_secret = NULL;
  g_autofree char *secret_tool = g_find_program_in_path ("secret-tool");
  g_autoptr (GPtrArray) offenders = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GError) error = NULL;
  const char *dirs[] = {
    g_get_user_config_dir (), g_get_user_data_dir (), g_get_user_cache_dir (),
    g_get_user_state_dir (),  g_get_home_dir (),      g_get_user_runtime_dir ()
  };
  const char *needles[4] = { NULL };
  Simulator sim = { 0 };
  guint searched = 0;

  if (secret_tool == NULL)
    {
      g_test_skip ("secret-tool is not installed");
      return;
    }

  /* The simulator's log lives outside the scanned directories; it is searched as output. */
  work = g_dir_make_tmp ("cqv-leak-XXXXXX", &error);
  g_assert_no_error (error);
  captured = g_string_new (NULL);
  cli_set_env ("G_MESSAGES_DEBUG", "all");

  simulator_start (&sim, work);

  g_assert_cmpint (
    run (CANARY "\n", CLI_ARGS ("tenant", "add", "Contoso", "--tenant-id", SIM_TENANT_ID,
                                "--client-id", SIM_APP_ID, "--login-url", sim.base_url,
                                "--graph-url", sim.base_url, "--mfa-url", sim.base_url)),
    ==, 0);
  g_assert_cmpint (run (NULL, CLI_ARGS ("tenant", "list")), ==, 0);
  g_assert_cmpint (run (NULL, CLI_ARGS ("tenant", "list", "--json")), ==, 0);
  g_assert_cmpint (run (NULL, CLI_ARGS ("users", "Contoso")), ==, 0);
  g_assert_cmpint (run (NULL, CLI_ARGS ("users", "Contoso", "--json")), ==, 0);
  /* The first push provisions the connector secret (and waits for it to propagate). */
  g_assert_cmpint (run (NULL, CLI_ARGS ("verify", "Contoso", "approve@" SIM_DOMAIN)), ==, 0);
  g_assert_cmpint (run (NULL, CLI_ARGS ("verify", "Contoso", "approve@" SIM_DOMAIN, "--json")), ==,
                   0);
  g_assert_cmpint (run (NULL, CLI_ARGS ("tenant", "check", "Contoso")), ==, 0);
  g_assert_cmpint (run (NULL, CLI_ARGS ("tenant", "check", "Contoso", "--json")), ==, 0);
  /* A refused secret is reported without being shown. */
  g_assert_cmpint (
    run (CANARY "-wrong\n",
         CLI_ARGS ("tenant", "add", "Wrong", "--tenant-id", SIM_TENANT_ID, "--client-id",
                   "00000000-0000-4000-8000-000000000042", "--login-url", sim.base_url,
                   "--graph-url", sim.base_url, "--mfa-url", sim.base_url)),
    ==, 0);
  g_assert_cmpint (run (NULL, CLI_ARGS ("tenant", "check", "Wrong")), ==, 3);

  simulator_stop (&sim);

  /* The debug output really was on: there is something to search. */
  g_assert_nonnull (strstr (captured->str, "cqv-http-client-DEBUG"));

  app_secret = keyring_lookup (SIM_APP_ID, "app-secret");
  g_assert_cmpstr (app_secret, ==, CANARY);
  connector_secret = keyring_lookup (CQV_MFA_CLIENT_APP_ID, "connector-secret");
  g_assert_nonnull (connector_secret);
  g_assert_cmpuint (strlen (connector_secret), >=, 16);

  needles[0] = CANARY;
  needles[1] = connector_secret;
  needles[2] = TOKEN_MARK;

  /* Self-check: the search finds a planted secret. */
  {
    g_autofree char *check_dir = g_build_filename (work, "self-check", NULL);
    g_autofree char *planted = g_build_filename (check_dir, "planted", NULL);
    g_autoptr (GPtrArray) found = g_ptr_array_new_with_free_func (g_free);

    g_assert_cmpint (g_mkdir (check_dir, 0700), ==, 0);
    g_file_set_contents (planted, connector_secret, -1, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (scan_dir (check_dir, needles, found), ==, 1);
    g_assert_cmpuint (found->len, ==, 1);
    g_unlink (planted);
    g_rmdir (check_dir);
  }

  g_assert_false (contains_secret (captured->str, captured->len, needles));

  for (guint i = 0; i < G_N_ELEMENTS (dirs); i++)
    searched += scan_dir (dirs[i], needles, offenders);
  for (guint i = 0; i < offenders->len; i++)
    g_test_message ("a secret or token is in %s", (char *) g_ptr_array_index (offenders, i));
  g_assert_cmpuint (offenders->len, ==, 0);
  /* At least tenants.ini was searched. */
  g_assert_cmpuint (searched, >=, 1);

  {
    g_autofree char *log = g_build_filename (work, "simulator.log", NULL);
    g_autofree char *scenario = g_build_filename (work, "scenario.json", NULL);

    g_unlink (log);
    g_unlink (scenario);
    g_rmdir (work);
  }
  g_string_free (captured, TRUE);
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/cqv/no-secret-leak/full-flow", test_full_flow);

  return g_test_run ();
}
