/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "cqv-secret-store.h"
#include "cqv-tenant-context.h"

G_BEGIN_DECLS

/* Warn this long before the connector secret expires. */
#define CQV_EXPIRY_WARNING_DAYS 30

#define CQV_TYPE_CHECKLIST_WINDOW (cqv_checklist_window_get_type ())

G_DECLARE_FINAL_TYPE (CqvChecklistWindow, cqv_checklist_window, CQV, CHECKLIST_WINDOW, GtkWindow)

/* "Setup Checklist — <tenant>": runs the tenant's checklist at once and on Re-check, one line
 * per check with its fix and a link to the Entra admin center, the connector secret's expiry,
 * and an optional test push to a user the technician names. Not modal. The checklist is the
 * context's (cqv_tenant_context_get_check()): a run a verify dialog started shows here, and what
 * a Re-check finds is what the verify dialogs and CqvVerification go by. */
CqvChecklistWindow *cqv_checklist_window_new         (GtkWindow          *parent,
                                                      CqvTenantContext   *context);
CqvTenantContext   *cqv_checklist_window_get_context (CqvChecklistWindow *self);

/* The warning for a connector secret that expires within CQV_EXPIRY_WARNING_DAYS of @now
 * ("Connector secret expires on <date>; …"), or NULL. Shared by the sidebar and the
 * checklist. */
char               *cqv_connector_expiry_warning     (const CqvSecret    *secret,
                                                      GDateTime          *now);

G_END_DECLS
