/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <gio/gio.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "cqv-worker.h"

typedef struct
{
  guint index;
  GThread *thread;
  int nice;
} Job;

typedef struct
{
  guint done;
  GPtrArray *jobs;
} Results;

static int
thread_nice (void)
{
  return getpriority (PRIO_PROCESS, (id_t) syscall (SYS_gettid));
}

static void
job_thread (GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
  Job *job = task_data;

  job->thread = g_thread_self ();
  job->nice = thread_nice ();
  g_task_return_boolean (task, TRUE);
}

static void
job_done_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  Results *results = user_data;
  g_autoptr (GError) error = NULL;

  g_assert_true (g_task_propagate_boolean (G_TASK (result), &error));
  g_assert_no_error (error);
  /* Results come back on the main context, where the task was made. */
  g_assert_true (g_main_context_is_owner (g_main_context_default ()));
  results->done++;
}

/* More jobs than workers all run, off the main thread, at a lower priority than it. */
static void
test_runs_jobs_nicer (void)
{
  guint n_jobs = 4 * g_get_num_processors () + 1;
  Results results = { 0, g_ptr_array_new_with_free_func (g_free) };
  int main_nice = thread_nice ();

  for (guint i = 0; i < n_jobs; i++)
    {
      g_autoptr (GTask) task = g_task_new (NULL, NULL, job_done_cb, &results);
      Job *job = g_new0 (Job, 1);

      job->index = i;
      g_ptr_array_add (results.jobs, job);
      g_task_set_task_data (task, job, NULL);
      cqv_worker_run (task, job_thread);
    }

  while (results.done < n_jobs)
    g_main_context_iteration (NULL, TRUE);

  for (guint i = 0; i < n_jobs; i++)
    {
      Job *job = g_ptr_array_index (results.jobs, i);

      g_assert_nonnull (job->thread);
      g_assert_true (job->thread != g_thread_self ());
      g_assert_cmpint (job->nice, ==, MIN (main_nice + 10, 19));
    }
  g_ptr_array_unref (results.jobs);
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/cqv/worker/runs-jobs-nicer", test_runs_jobs_nicer);

  return g_test_run ();
}
