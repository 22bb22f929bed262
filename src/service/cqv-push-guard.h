/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

/* Wall-clock time in microseconds since the epoch (g_get_real_time() by default). */
typedef gint64 (*CqvClockFunc) (gpointer user_data);

#define CQV_TYPE_PUSH_GUARD (cqv_push_guard_get_type ())

G_DECLARE_FINAL_TYPE (CqvPushGuard, cqv_push_guard, CQV, PUSH_GUARD, GObject)

/* The MFA-fatigue guard: which users have a push in flight, and how many pushes each got
 * recently. One per application (GUI and CLI share cqv_push_guard_get_default()); users are
 * keyed by tenant id and user id. Signal "changed" (tenant_id, user_id) when either changes. */
CqvPushGuard *cqv_push_guard_new              (void);
CqvPushGuard *cqv_push_guard_get_default      (void);

/* For tests: a different clock. */
void          cqv_push_guard_set_clock        (CqvPushGuard   *self,
                                               CqvClockFunc    func,
                                               gpointer        user_data);
GDateTime    *cqv_push_guard_now              (CqvPushGuard   *self);

/* Cool-down: at most max-pushes (3) pushes to one user within window-seconds (600). */
guint         cqv_push_guard_get_max_pushes   (CqvPushGuard   *self);
void          cqv_push_guard_set_max_pushes   (CqvPushGuard   *self,
                                               guint           max_pushes);
guint         cqv_push_guard_get_window_seconds (CqvPushGuard *self);
void          cqv_push_guard_set_window_seconds (CqvPushGuard *self,
                                                 guint         seconds);

gboolean      cqv_push_guard_is_in_flight     (CqvPushGuard   *self,
                                               const char     *tenant_id,
                                               const char     *user_id);
/* Marks an attempt in flight; FALSE (and nothing changes) when one already is. */
gboolean      cqv_push_guard_begin            (CqvPushGuard   *self,
                                               const char     *tenant_id,
                                               const char     *user_id);
void          cqv_push_guard_end              (CqvPushGuard   *self,
                                               const char     *tenant_id,
                                               const char     *user_id);
/* A push went on the wire for this user now. */
void          cqv_push_guard_record_push      (CqvPushGuard   *self,
                                               const char     *tenant_id,
                                               const char     *user_id);
/* When the next push to this user is allowed, or NULL when it is allowed now. */
GDateTime    *cqv_push_guard_get_next_allowed (CqvPushGuard   *self,
                                               const char     *tenant_id,
                                               const char     *user_id);

G_END_DECLS
