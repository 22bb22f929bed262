/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cqv-simulator"

#include "config.h"

#include <glib-unix.h>
#include <locale.h>
#include <stdio.h>
#include <unistd.h>

#include "sim-phone.h"
#include "sim-server.h"

#define MAX_GENERATE 1000000

typedef struct
{
  GMainLoop *loop;
  int exit_code;
} App;

static gboolean
quit_signal_cb (gpointer data)
{
  App *app = data;

  g_message ("signal received, exiting");
  g_main_loop_quit (app->loop);
  return G_SOURCE_CONTINUE;
}

static gboolean
stdin_cb (int fd, GIOCondition condition, gpointer data)
{
  App *app = data;
  char buffer[256];
  gssize n = read (fd, buffer, sizeof buffer);

  if (n > 0)
    return G_SOURCE_CONTINUE;
  g_message ("stdin closed, exiting");
  g_main_loop_quit (app->loop);
  return G_SOURCE_REMOVE;
}

static void
phone_destroyed_cb (GtkWidget *phone, App *app)
{
  g_main_loop_quit (app->loop);
}

static SimScenario *
load_scenario (const char *path, GError **error)
{
  if (path != NULL)
    return sim_scenario_new_from_file (path, error);
  return sim_scenario_new_demo (error);
}

int
main (int argc, char **argv)
{
  g_autofree char *scenario_path = NULL;
  g_autofree char *cert_path = NULL;
  g_autofree char *key_path = NULL;
  gboolean demo = FALSE, phone = FALSE, exit_on_eof = FALSE;
  int port = 0, generate = 0;
  double time_scale = 1.0;
  GOptionEntry entries[] = {
    { "scenario", 0, 0, G_OPTION_ARG_FILENAME, &scenario_path, "Scenario JSON file", "FILE" },
    { "demo", 0, 0, G_OPTION_ARG_NONE, &demo, "Use the built-in demo scenario", NULL },
    { "generate", 0, 0, G_OPTION_ARG_INT, &generate, "Add N generated users to the first tenant",
      "N" },
    { "port", 0, 0, G_OPTION_ARG_INT, &port, "TCP port on 127.0.0.1 (0 = any free port)", "N" },
    { "time-scale", 0, 0, G_OPTION_ARG_DOUBLE, &time_scale, "Multiply every simulated wait", "X" },
    { "phone", 0, 0, G_OPTION_ARG_NONE, &phone, "Open the simulated phone window", NULL },
    { "tls-cert", 0, 0, G_OPTION_ARG_FILENAME, &cert_path, "Serve HTTPS with this certificate",
      "PEM" },
    { "tls-key", 0, 0, G_OPTION_ARG_FILENAME, &key_path, "Private key for --tls-cert", "PEM" },
    { "exit-on-stdin-eof", 0, 0, G_OPTION_ARG_NONE, &exit_on_eof, "Exit when stdin is closed",
      NULL },
    { NULL }
  };
  g_autoptr (GOptionContext) context = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (SimScenario) scenario = NULL;
  g_autoptr (GTlsCertificate) certificate = NULL;
  g_autoptr (SimServer) server = NULL;
  g_autoptr (GMainLoop) loop = NULL;
  App app = { 0 };

  /* stdout carries only the base URL: debug output goes to stderr too */
  g_log_writer_default_set_use_stderr (TRUE);
  /* As the app does (src/main.c): GLib 2.74's slice allocator is slow with many threads. */
  g_setenv ("G_SLICE", "always-malloc", FALSE);
  setlocale (LC_ALL, "");
  context = g_option_context_new ("— stand-in for Microsoft login, Graph and the MFA connector");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("%s\n", error->message);
      return 2;
    }
  if (port < 0 || port > 65535 || generate < 0 || generate > MAX_GENERATE ||
      !(time_scale > 0 && time_scale <= 1000) || (!cert_path != !key_path))
    {
      g_printerr ("Invalid option value (see --help).\n");
      return 2;
    }
  if (demo && scenario_path != NULL)
    g_printerr ("--demo ignored: --scenario given\n");

  scenario = load_scenario (scenario_path, &error);
  if (scenario == NULL)
    {
      g_printerr ("Cannot load the scenario: %s\n", error->message);
      return 1;
    }
  if (generate > 0)
    sim_tenant_generate_users (g_ptr_array_index (scenario->tenants, 0), generate, 1, 0.7);

  if (cert_path != NULL)
    {
      certificate = g_tls_certificate_new_from_files (cert_path, key_path, &error);
      if (certificate == NULL)
        {
          g_printerr ("Cannot load the TLS certificate: %s\n", error->message);
          return 1;
        }
    }

  server = sim_server_new (g_steal_pointer (&scenario), time_scale);
  if (!sim_server_listen (server, port, certificate, &error))
    {
      g_printerr ("Cannot listen on 127.0.0.1:%d: %s\n", port, error->message);
      return 1;
    }
  printf ("%s\n", sim_server_get_base_url (server));
  fflush (stdout);

  loop = g_main_loop_new (NULL, FALSE);
  app.loop = loop;
  g_unix_signal_add (SIGTERM, quit_signal_cb, &app);
  g_unix_signal_add (SIGINT, quit_signal_cb, &app);
  if (exit_on_eof)
    g_unix_fd_add (STDIN_FILENO, G_IO_IN | G_IO_HUP | G_IO_ERR, stdin_cb, &app);

  if (phone)
    {
      SimPhone *window;

      gtk_init ();
      window = sim_phone_new (server);
      g_signal_connect (window, "destroy", G_CALLBACK (phone_destroyed_cb), &app);
      gtk_window_present (GTK_WINDOW (window));
    }

  g_message ("listening on %s", sim_server_get_base_url (server));
  g_main_loop_run (loop);
  return app.exit_code;
}
