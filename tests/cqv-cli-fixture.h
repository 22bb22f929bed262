/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Runs the real cyberqp-verify binary (CQV_BINARY) as a subprocess and reads what it printed.
 * Header-only (static inline), like cqv-sim-fixture.h. */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "cqv-sim-fixture.h"

#define CLI_ARGS(...) ((const char *const[]){ __VA_ARGS__, NULL })

/* Extra environment for every run (NAME=VALUE strings), or NULL. */
static char **cli_extra_env;

static inline void
cli_set_env (const char *name, const char *value)
{
  cli_extra_env = g_environ_setenv (cli_extra_env, name, value, TRUE);
}

/* Runs the CLI with @args (without the program), @input on standard input (NULL: none, which
 * is not a terminal either). Returns the exit status; the output goes to @out and @err. */
static inline int
cli_run (const char *input, char **out, char **err, const char *const *args)
{
  const char *binary = g_getenv ("CQV_BINARY");
  g_autoptr (GSubprocessLauncher) launcher = NULL;
  g_autoptr (GSubprocess) process = NULL;
  g_autoptr (GPtrArray) argv = g_ptr_array_new ();
  g_autoptr (GError) error = NULL;
  g_autofree char *stdout_text = NULL;
  g_autofree char *stderr_text = NULL;

  g_assert_nonnull (binary);
  g_ptr_array_add (argv, (gpointer) binary);
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer) args[i]);
  g_ptr_array_add (argv, NULL);

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDIN_PIPE |
                                        G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                        G_SUBPROCESS_FLAGS_STDERR_PIPE);
  for (guint i = 0; cli_extra_env != NULL && cli_extra_env[i] != NULL; i++)
    {
      g_auto (GStrv) pair = g_strsplit (cli_extra_env[i], "=", 2);

      g_subprocess_launcher_setenv (launcher, pair[0], pair[1], TRUE);
    }
  process = g_subprocess_launcher_spawnv (launcher, (const char *const *) argv->pdata, &error);
  g_assert_no_error (error);

  g_subprocess_communicate_utf8 (process, input != NULL ? input : "", NULL, &stdout_text,
                                 &stderr_text, &error);
  g_assert_no_error (error);
  g_test_message ("cyberqp-verify %s → %s%s", args[0],
                  stdout_text != NULL ? stdout_text : "", stderr_text != NULL ? stderr_text : "");

  /* A crash (a critical under G_DEBUG=fatal-criticals) is never an exit code. */
  g_assert_true (g_subprocess_get_if_exited (process));

  if (out != NULL)
    *out = g_steal_pointer (&stdout_text);
  if (err != NULL)
    *err = g_steal_pointer (&stderr_text);
  return g_subprocess_get_exit_status (process);
}

/* Adds the simulator's tenant as @name with @secret on standard input; asserts success. */
static inline void
cli_add_sim_tenant (SimFixture *fx, const char *name, const char *secret)
{
  g_autofree char *input = g_strconcat (secret, "\n", NULL);
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  int status;

  status = cli_run (input, &out, &err,
                    CLI_ARGS ("tenant", "add", name, "--tenant-id", SIM_TENANT_ID, "--client-id",
                              SIM_APP_ID, "--login-url", fx->base_url, "--graph-url", fx->base_url,
                              "--mfa-url", fx->base_url));
  g_assert_cmpstr (err, ==, "");
  g_assert_cmpint (status, ==, 0);
}

static inline JsonNode *
cli_parse_json (const char *text)
{
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_autoptr (GError) error = NULL;

  json_parser_load_from_data (parser, text, -1, &error);
  g_assert_no_error (error);
  return json_node_copy (json_parser_get_root (parser));
}
