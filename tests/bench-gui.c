/* SPDX-License-Identifier: GPL-3.0-or-later */

/* Demo mode with 100 000 generated users, in process and on screen: the application starts the
 * simulator, a users view shows the demo tenant, and this prints the figures design.md budgets —
 * first rows on screen, all users loaded, the longest main-loop stall, search keystroke latency
 * and peak memory. A benchmark: it reports, it does not judge (except when something never
 * finishes). */

#define G_LOG_DOMAIN "bench-gui"

#include "config.h"

#include <gtk/gtk.h>
#include <time.h>

#include "cqv-application.h"
#include "cqv-users-view-private.h"

#define N_GENERATED "100000"
#define TICK_MS 10
#define DEADLINE_S 60

typedef struct
{
  CqvUsersView *view;
  CqvDirectory *directory;
  GListModel *visible;

  /* loading */
  gint64 started;
  gint64 first_rows;
  gint64 directory_ready;
  gint64 all_loaded;

  /* stall meter */
  gint64 last_tick;
  gint64 max_stall;
  gboolean measuring;

  /* one keystroke */
  gboolean search_waiting_paint;
  gint64 search_painted;
} Bench;

static double
ms (gint64 from, gint64 to)
{
  return (to - from) / 1000.0;
}

static void
spin_until (gboolean (*done) (Bench *), Bench *bench, const char *what)
{
  gint64 deadline = g_get_monotonic_time () + DEADLINE_S * G_USEC_PER_SEC;

  while (!done (bench))
    {
      if (g_get_monotonic_time () > deadline)
        {
          g_printerr ("bench-gui: %s did not happen within %d s\n", what, DEADLINE_S);
          exit (1);
        }
      g_main_context_iteration (NULL, TRUE);
    }
}

/* CPU time of the main thread, in ms: a figure that other processes on a busy machine disturb
 * less than the wall-clock ones. */
static double
main_thread_cpu_ms (void)
{
  struct timespec ts;

  if (clock_gettime (CLOCK_THREAD_CPUTIME_ID, &ts) != 0)
    return 0;
  return ts.tv_sec * 1000.0 + ts.tv_nsec / 1000000.0;
}

static guint64
peak_rss_kb (void)
{
  g_autofree char *status = NULL;
  g_auto (GStrv) lines = NULL;

  if (!g_file_get_contents ("/proc/self/status", &status, NULL, NULL))
    return 0;
  lines = g_strsplit (status, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    if (g_str_has_prefix (lines[i], "VmHWM:"))
      return g_ascii_strtoull (lines[i] + 6, NULL, 10);
  return 0;
}

/* Pending work in the view's filter and sort models (incremental filtering/sorting). */
static guint
pending (GListModel *model)
{
  guint total = 0;

  while (model != NULL)
    {
      if (GTK_IS_SINGLE_SELECTION (model))
        model = gtk_single_selection_get_model (GTK_SINGLE_SELECTION (model));
      else if (GTK_IS_MULTI_SELECTION (model))
        model = gtk_multi_selection_get_model (GTK_MULTI_SELECTION (model));
      else if (GTK_IS_NO_SELECTION (model))
        model = gtk_no_selection_get_model (GTK_NO_SELECTION (model));
      else if (GTK_IS_SORT_LIST_MODEL (model))
        {
          total += gtk_sort_list_model_get_pending (GTK_SORT_LIST_MODEL (model));
          model = gtk_sort_list_model_get_model (GTK_SORT_LIST_MODEL (model));
        }
      else if (GTK_IS_FILTER_LIST_MODEL (model))
        {
          total += gtk_filter_list_model_get_pending (GTK_FILTER_LIST_MODEL (model));
          model = gtk_filter_list_model_get_model (GTK_FILTER_LIST_MODEL (model));
        }
      else
        break;
    }
  return total;
}

static gboolean
all_users_visible (Bench *bench)
{
  return cqv_directory_get_state (bench->directory) == CQV_DIRECTORY_STATE_READY &&
         pending (bench->visible) == 0 &&
         g_list_model_get_n_items (bench->visible) ==
           g_list_model_get_n_items (cqv_directory_get_users (bench->directory));
}

static gboolean
tick_cb (gpointer user_data)
{
  Bench *bench = user_data;
  gint64 now = g_get_monotonic_time ();

  if (bench->measuring && bench->last_tick != 0)
    bench->max_stall = MAX (bench->max_stall, now - bench->last_tick - TICK_MS * 1000);
  bench->last_tick = now;
  return G_SOURCE_CONTINUE;
}

static void
after_paint_cb (GdkFrameClock *clock, Bench *bench)
{
  gint64 now = g_get_monotonic_time ();

  if (bench->started == 0)
    return;
  if (bench->first_rows == 0 && g_list_model_get_n_items (bench->visible) > 0 &&
      g_strcmp0 (cqv_users_view_get_page (bench->view), "list") == 0)
    bench->first_rows = now;
  if (bench->directory_ready == 0 &&
      cqv_directory_get_state (bench->directory) == CQV_DIRECTORY_STATE_READY)
    bench->directory_ready = now;
  if (bench->all_loaded == 0 && all_users_visible (bench))
    bench->all_loaded = now;
  if (bench->search_waiting_paint)
    {
      bench->search_painted = now;
      bench->search_waiting_paint = FALSE;
    }
}

static gboolean
first_rows_drawn (Bench *bench)
{
  return bench->first_rows != 0;
}

static gboolean
loaded_and_drawn (Bench *bench)
{
  return bench->all_loaded != 0;
}

static gboolean
filter_done (Bench *bench)
{
  return pending (bench->visible) == 0;
}

static gboolean
search_keys_ready (Bench *bench)
{
  return cqv_user_filter_model_get_keys_ready (CQV_USER_FILTER_MODEL (bench->visible));
}

static gboolean
search_drawn (Bench *bench)
{
  return !bench->search_waiting_paint;
}

static void
directory_loaded_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GError) error = NULL;

  if (!cqv_directory_load_finish (CQV_DIRECTORY (object), result, &error))
    {
      g_printerr ("bench-gui: loading the users failed: %s\n", error->message);
      exit (1);
    }
}

static void
context_loaded_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  CqvTenantContext *context = CQV_TENANT_CONTEXT (object);
  g_autoptr (GError) error = NULL;

  if (!cqv_tenant_context_load_finish (context, result, &error))
    {
      g_printerr ("bench-gui: the demo tenant cannot be used: %s\n", error->message);
      exit (1);
    }
  cqv_directory_load_async (cqv_tenant_context_get_directory (context), NULL, directory_loaded_cb,
                            NULL);
}

static void
keystroke (Bench *bench, GtkWidget *window, const char *text)
{
  gint64 start, returned, filtered;
  double cpu_start = main_thread_cpu_ms ();

  start = g_get_monotonic_time ();
  cqv_users_view_set_search_text (bench->view, text);
  returned = g_get_monotonic_time ();
  spin_until (filter_done, bench, "filtering");
  filtered = g_get_monotonic_time ();

  bench->search_waiting_paint = TRUE;
  gtk_widget_queue_draw (window);
  spin_until (search_drawn, bench, "the frame after a keystroke");

  g_print ("  search %-9s %6u rows: call %6.1f ms, filtered %6.1f ms, next frame %6.1f ms "
           "(main-thread CPU %5.1f ms)\n",
           *text != '\0' ? text : "(empty)", g_list_model_get_n_items (bench->visible),
           ms (start, returned), ms (start, filtered), ms (start, bench->search_painted),
           main_thread_cpu_ms () - cpu_start);
}

static void
watch_tenants (CqvApplication *app, Bench *bench)
{
  GListModel *tenants = cqv_application_get_tenants (app);
  gint64 deadline = g_get_monotonic_time () + DEADLINE_S * G_USEC_PER_SEC;

  while (g_list_model_get_n_items (tenants) == 0)
    {
      if (cqv_application_get_demo_error (app) != NULL)
        {
          g_printerr ("bench-gui: %s\n", cqv_application_get_demo_error (app));
          exit (1);
        }
      if (g_get_monotonic_time () > deadline)
        {
          g_printerr ("bench-gui: the demo tenant did not appear\n");
          exit (1);
        }
      g_main_context_iteration (NULL, TRUE);
    }
}

int
main (int argc, char *argv[])
{
  g_autoptr (CqvApplication) app = NULL;
  g_autoptr (CqvTenant) tenant = NULL;
  g_autoptr (GError) error = NULL;
  /* Typed one key at a time; "l" is not in the demo domain, so it does not match every UPN. */
  static const char *keys[] = { "l", "li", "lin", "lind", "", "zzqx", "" };
  Bench bench = { 0 };
  CqvTenantContext *context;
  GtkWidget *window;
  GdkFrameClock *clock;
  gint64 app_started;
  double cpu_started;
  guint tick;

  gtk_init ();
  g_setenv ("CQV_DEMO_GENERATE", N_GENERATED, TRUE);

  app_started = g_get_monotonic_time ();
  app = cqv_application_new ();
  g_application_set_application_id (G_APPLICATION (app), APP_ID ".BenchGui");
  g_application_set_flags (G_APPLICATION (app), G_APPLICATION_NON_UNIQUE);
  cqv_application_set_demo (app, TRUE);
  if (!g_application_register (G_APPLICATION (app), NULL, &error))
    g_error ("Cannot register the application: %s", error->message);

  watch_tenants (app, &bench);
  tenant = g_list_model_get_item (cqv_application_get_tenants (app), 0);
  context = cqv_application_get_context (app, tenant);
  bench.directory = cqv_tenant_context_get_directory (context);
  g_print ("bench-gui: %s users of the demo tenant; simulator ready after %.0f ms\n", N_GENERATED,
           ms (app_started, g_get_monotonic_time ()));

  window = gtk_window_new ();
  gtk_window_set_default_size (GTK_WINDOW (window), 1100, 700);
  bench.view = CQV_USERS_VIEW (cqv_users_view_new ());
  gtk_window_set_child (GTK_WINDOW (window), GTK_WIDGET (bench.view));
  gtk_window_present (GTK_WINDOW (window));
  gtk_test_widget_wait_for_draw (window);
  bench.visible = cqv_users_view_get_visible_model (bench.view);

  clock = gtk_widget_get_frame_clock (window);
  g_signal_connect (clock, "after-paint", G_CALLBACK (after_paint_cb), &bench);
  tick = g_timeout_add (TICK_MS, tick_cb, &bench);

  /* Selecting the tenant, as the window does. */
  bench.measuring = TRUE;
  bench.started = g_get_monotonic_time ();
  cpu_started = main_thread_cpu_ms ();
  cqv_users_view_set_context (bench.view, context);
  /* The window starts the load when it selects a tenant; the view only shows it. */
  if (cqv_directory_get_state (bench.directory) == CQV_DIRECTORY_STATE_IDLE)
    cqv_tenant_context_load_async (context, NULL, context_loaded_cb, NULL);
  spin_until (first_rows_drawn, &bench, "the first rows");
  spin_until (loaded_and_drawn, &bench, "all users");
  bench.measuring = FALSE;

  g_print ("  first rows on screen %8.1f ms   (budget 500)\n",
           ms (bench.started, bench.first_rows));
  g_print ("  directory read (every page spliced) %8.1f ms\n",
           ms (bench.started, bench.directory_ready));
  g_print ("  all %u users loaded %8.1f ms   (budget 3000)\n",
           g_list_model_get_n_items (bench.visible), ms (bench.started, bench.all_loaded));
  g_print ("  longest main-loop stall while loading %.1f ms   (budget 50)\n",
           bench.max_stall / 1000.0);
  g_print ("  main-thread CPU while loading %.0f ms\n", main_thread_cpu_ms () - cpu_started);
  cpu_started = main_thread_cpu_ms ();

  /* A technician starts typing after the list has settled; the search keys are copied out in
   * the meantime, in the background (cqv-user-filter-model.c). */
  spin_until (search_keys_ready, &bench, "the search keys");

  bench.max_stall = 0;
  bench.last_tick = 0;
  bench.measuring = TRUE;
  for (guint i = 0; i < G_N_ELEMENTS (keys); i++)
    keystroke (&bench, window, keys[i]);
  bench.measuring = FALSE;
  g_print ("  longest main-loop stall while searching %.1f ms   (budget 50)\n",
           bench.max_stall / 1000.0);
  g_print ("  main-thread CPU for the %u keystrokes %.0f ms\n", (guint) G_N_ELEMENTS (keys),
           main_thread_cpu_ms () - cpu_started);
  g_print ("  peak resident memory %.1f MB   (budget 250)\n", peak_rss_kb () / 1024.0);

  g_source_remove (tick);
  g_signal_handlers_disconnect_by_data (clock, &bench);
  cqv_users_view_set_context (bench.view, NULL);
  gtk_window_destroy (GTK_WINDOW (window));
  return 0;
}
