/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cqv-worker"

#include "config.h"

#include "cqv-worker.h"

#ifdef __linux__
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>
#endif

/* How much nicer than the thread that made the pool (the main thread): 10 steps give a worker
 * about a tenth of the processor time of the main thread when both want the same processor. */
#define WORKER_NICENESS 10

typedef struct
{
  GTask *task;
  GTaskThreadFunc func;
} Job;

static GThreadPool *pool;
static GPrivate lowered;

/* The pool is exclusive: its threads serve nothing else, so their priority stays with them. */
static void
lower_priority_once (void)
{
  if (g_private_get (&lowered) != NULL)
    return;
  g_private_set (&lowered, GINT_TO_POINTER (TRUE));
#ifdef __linux__
  {
    /* On Linux, PRIO_PROCESS with a thread id applies to that thread alone; a new thread starts
     * with the niceness of the one that made it. */
    id_t tid = (id_t) syscall (SYS_gettid);
    int nice = getpriority (PRIO_PROCESS, tid);

    if (setpriority (PRIO_PROCESS, tid, MIN (nice + WORKER_NICENESS, 19)) != 0)
      g_debug ("Could not lower the priority of a worker thread");
  }
#endif
}

static void
run_job (gpointer data, gpointer user_data)
{
  Job *job = data;

  lower_priority_once ();
  job->func (job->task, g_task_get_source_object (job->task), g_task_get_task_data (job->task),
             g_task_get_cancellable (job->task));
  g_object_unref (job->task);
  g_free (job);
}

void
cqv_worker_run (GTask *task, GTaskThreadFunc func)
{
  static gsize initialized = 0;
  Job *job;

  g_return_if_fail (G_IS_TASK (task));
  g_return_if_fail (func != NULL);

  if (g_once_init_enter (&initialized))
    {
      pool = g_thread_pool_new (run_job, NULL, (int) g_get_num_processors (), TRUE, NULL);
      g_once_init_leave (&initialized, 1);
    }

  job = g_new0 (Job, 1);
  job->task = g_object_ref (task);
  job->func = func;
  g_thread_pool_push (pool, job, NULL);
}
