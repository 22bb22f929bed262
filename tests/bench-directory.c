/* SPDX-License-Identifier: GPL-3.0-or-later */

/* Loads the directory from the simulator with 10 000 and 100 000 generated users and prints
 * the figures design.md budgets: first page, all users, registration states, the longest
 * main-loop stall, peak memory and a search over the whole list. */

#define G_LOG_DOMAIN "bench-directory"

#include "config.h"

#include <signal.h>
#include <string.h>

#include "cqv-directory.h"

#define SIM_TENANT "c0a70500-de70-4000-8000-00000000de70"
#define SIM_CLIENT "de70de70-0000-4000-8000-0000000c1e27"
#define SIM_SECRET "demo-client-secret"
#define TICK_MS 10

typedef struct
{
  gint64 started;
  gint64 first_page;
  gint64 users_ready;
  gint64 last_tick;
  gint64 max_stall;
  guint pages;
  gboolean measuring;
  GAsyncResult *result;
} Run;

static void
store_result_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  GAsyncResult **slot = user_data;

  *slot = g_object_ref (result);
}

static void
spin_until_set (gpointer *slot)
{
  while (*slot == NULL)
    g_main_context_iteration (NULL, TRUE);
}

static void
read_line_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  char **line = user_data;
  char *text;

  text =
    g_data_input_stream_read_line_finish_utf8 (G_DATA_INPUT_STREAM (object), result, NULL, NULL);
  *line = text != NULL ? text : g_strdup ("");
}

static GSubprocess *
start_simulator (const char *generate, char **base_url)
{
  const char *binary = g_getenv ("CQV_SIMULATOR");
  g_autoptr (GDataInputStream) out = NULL;
  g_autoptr (GError) error = NULL;
  GSubprocess *process;
  char *line = NULL;

  if (binary == NULL)
    g_error ("CQV_SIMULATOR is not set");

  process = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDIN_PIPE,
                              &error, binary, "--generate", generate, "--exit-on-stdin-eof", NULL);
  if (process == NULL)
    g_error ("Cannot start the simulator: %s", error->message);

  out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (process));
  g_data_input_stream_read_line_async (out, G_PRIORITY_DEFAULT, NULL, read_line_cb, &line);
  spin_until_set ((gpointer *) &line);
  g_strstrip (line);
  if (!g_str_has_prefix (line, "http"))
    g_error ("The simulator did not print its URL");
  *base_url = line;
  return process;
}

static void
read_memory (guint64 *rss_kb, guint64 *hwm_kb)
{
  g_autofree char *status = NULL;
  g_auto (GStrv) lines = NULL;

  *rss_kb = *hwm_kb = 0;
  if (!g_file_get_contents ("/proc/self/status", &status, NULL, NULL))
    return;
  lines = g_strsplit (status, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      if (g_str_has_prefix (lines[i], "VmRSS:"))
        *rss_kb = g_ascii_strtoull (lines[i] + 6, NULL, 10);
      else if (g_str_has_prefix (lines[i], "VmHWM:"))
        *hwm_kb = g_ascii_strtoull (lines[i] + 6, NULL, 10);
    }
}

/* A 10 ms timer that measures how late it runs: the longest lateness is the worst stall. */
static gboolean
tick_cb (gpointer user_data)
{
  Run *run = user_data;
  gint64 now = g_get_monotonic_time ();

  if (run->measuring && run->last_tick != 0)
    run->max_stall = MAX (run->max_stall, now - run->last_tick - TICK_MS * 1000);
  run->last_tick = now;
  return G_SOURCE_CONTINUE;
}

static void
page_loaded_cb (CqvDirectory *directory, guint count, Run *run)
{
  if (run->pages++ == 0)
    run->first_page = g_get_monotonic_time ();
}

static void
state_cb (CqvDirectory *directory, GParamSpec *pspec, Run *run)
{
  if (cqv_directory_get_state (directory) == CQV_DIRECTORY_STATE_READY)
    run->users_ready = g_get_monotonic_time ();
}

static double
ms_since (gint64 start, gint64 end)
{
  return (end - start) / 1000.0;
}

static void
load_once (CqvDirectory *directory, const char *label)
{
  Run run = { 0 };
  g_autoptr (GError) error = NULL;
  gint64 done;
  guint tick;
  gulong page_handler;
  gulong state_handler;
  guint registered = 0;
  GListModel *users = cqv_directory_get_users (directory);

  page_handler = g_signal_connect (directory, "page-loaded", G_CALLBACK (page_loaded_cb), &run);
  state_handler = g_signal_connect (directory, "notify::state", G_CALLBACK (state_cb), &run);
  tick = g_timeout_add (TICK_MS, tick_cb, &run);

  run.measuring = TRUE;
  run.started = g_get_monotonic_time ();
  cqv_directory_load_async (directory, NULL, store_result_cb, &run.result);
  spin_until_set ((gpointer *) &run.result);
  done = g_get_monotonic_time ();
  run.measuring = FALSE;

  if (!cqv_directory_load_finish (directory, run.result, &error))
    g_error ("Loading failed: %s", error->message);

  for (guint i = 0; i < g_list_model_get_n_items (users); i++)
    {
      g_autoptr (CqvUser) user = g_list_model_get_item (users, i);

      registered += cqv_user_get_authenticator (user) == CQV_AUTHENTICATOR_REGISTERED;
    }

  g_print ("  %-6s %u users in %u pages (%u with Authenticator, states from %s)\n", label,
           g_list_model_get_n_items (users), run.pages, registered,
           cqv_directory_get_registration_source (directory) == CQV_REGISTRATION_SOURCE_REPORT
             ? "the report"
             : "elsewhere");
  g_print ("         first page %.1f ms, all users %.1f ms, registration states %.1f ms\n",
           ms_since (run.started, run.first_page), ms_since (run.started, run.users_ready),
           ms_since (run.started, done));
  g_print ("         longest main-loop stall %.1f ms; pages parsed off the main thread %u/%u\n",
           run.max_stall / 1000.0, cqv_directory_get_pages_parsed_off_thread (directory),
           cqv_directory_get_pages_parsed (directory));

  g_source_remove (tick);
  g_signal_handler_disconnect (directory, page_handler);
  g_signal_handler_disconnect (directory, state_handler);
  g_clear_object (&run.result);
}

static void
search_once (CqvDirectory *directory, const char *text)
{
  g_autoptr (GPtrArray) matches = NULL;
  gint64 start = g_get_monotonic_time ();

  matches = cqv_directory_filter (directory, text);
  g_print ("         search \"%s\": %u matches in %.1f ms\n", text, matches->len,
           ms_since (start, g_get_monotonic_time ()));
}

static void
bench (const char *generate)
{
  g_autoptr (GSubprocess) process = NULL;
  g_autoptr (CqvHttpClient) http = NULL;
  g_autoptr (CqvTokenProvider) tokens = NULL;
  g_autoptr (CqvGraphClient) graph = NULL;
  g_autoptr (CqvDirectory) directory = NULL;
  g_autofree char *base_url = NULL;
  guint64 rss_kb, hwm_kb;

  process = start_simulator (generate, &base_url);
  http = cqv_http_client_new ();
  tokens = cqv_token_provider_new (http);
  graph = cqv_graph_client_new (http, tokens, base_url, base_url, "https://graph.microsoft.com",
                                SIM_TENANT, SIM_CLIENT);
  cqv_graph_client_set_client_secret (graph, SIM_SECRET);
  directory = cqv_directory_new (graph);

  g_print ("Simulator with --generate %s\n", generate);
  load_once (directory, "cold");
  load_once (directory, "reload");
  search_once (directory, "a");
  search_once (directory, "mar");
  search_once (directory, "müller");
  read_memory (&rss_kb, &hwm_kb);
  g_print ("         resident %.1f MB, peak resident (VmHWM) %.1f MB\n", rss_kb / 1024.0,
           hwm_kb / 1024.0);

  g_clear_object (&directory);
  g_subprocess_send_signal (process, SIGTERM);
  g_subprocess_wait (process, NULL, NULL);
}

int
main (int argc, char *argv[])
{
  bench ("10000");
  bench ("100000");
  return 0;
}
