/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* Like g_task_run_in_thread(), on one of a few threads kept for heavy background work (parsing
 * Graph's pages, sorting users). They run at a lower priority than the main thread, so that on
 * a busy machine the window keeps drawing while they take the rest of the processors. @func
 * returns its result through @task, as with g_task_run_in_thread(). */
void cqv_worker_run (GTask *task, GTaskThreadFunc func);

G_END_DECLS
