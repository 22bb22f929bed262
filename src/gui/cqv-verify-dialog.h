/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "cqv-outcome.h"
#include "cqv-tenant-context.h"
#include "cqv-user.h"

G_BEGIN_DECLS

#define CQV_TYPE_VERIFY_DIALOG (cqv_verify_dialog_get_type ())

G_DECLARE_FINAL_TYPE (CqvVerifyDialog, cqv_verify_dialog, CQV, VERIFY_DIALOG, GtkWindow)

/* A modal dialog for one user: readiness → Send → waiting with a countdown → the result.
 * Emits "finished" (CqvOutcome *) once per attempt that ran (not when closed before Send).
 *
 * Readiness includes the tenant's setup checklist (cqv_tenant_context_get_check()): when it has
 * no verdict yet, or is running, the dialog runs or joins it (cancelled on close) and shows the
 * option as being checked; a red line that blocks pushes greys the option out with the line's
 * fix, a link to the Entra admin center page and "Open Setup Checklist…". A Re-check finishing
 * while the dialog is open updates it. */
CqvVerifyDialog *cqv_verify_dialog_new         (GtkWindow        *parent,
                                                CqvTenantContext *context,
                                                CqvUser          *user,
                                                guint             push_window_seconds);
CqvUser         *cqv_verify_dialog_get_user    (CqvVerifyDialog  *self);
/* The outcome of the last attempt, or NULL. */
CqvOutcome      *cqv_verify_dialog_get_outcome (CqvVerifyDialog  *self);

/* A known problem of the tenant (e.g. CQV_GRAPH_ERROR_PERMISSION_MISSING from loading its
 * directory) that refuses the push with its message; NULL for none. Before Send only.
 *
 * The "Authenticator Setup Checklist…" buttons activate users.setup-checklist with the user's
 * id: insert the window's "users" action group into the dialog (gtk_widget_insert_action_group)
 * to reach it; without one they stay insensitive. */
void             cqv_verify_dialog_set_tenant_error (CqvVerifyDialog *self,
                                                     const GError    *error);

G_END_DECLS
