/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "cqv-check-item.h"
#include "cqv-tenant-context.h"

G_BEGIN_DECLS

/* Ids of the checklist lines, in order. */
#define CQV_CHECK_CREDENTIALS            "credentials"
#define CQV_CHECK_PERMISSION_USERS       "permission-users"
#define CQV_CHECK_PERMISSION_AUTHENTICATOR "permission-authenticator"
#define CQV_CHECK_PERMISSION_APPLICATIONS "permission-applications"
#define CQV_CHECK_PERMISSION_AUDIT_LOG   "permission-audit-log"
#define CQV_CHECK_MFA_CLIENT             "mfa-client"
#define CQV_CHECK_MFA_CONNECTOR          "mfa-connector"
#define CQV_CHECK_CONNECTOR_SECRET       "connector-secret"
#define CQV_CHECK_REGISTRATION_REPORT    "registration-report"

#define CQV_TYPE_TENANT_CHECK (cqv_tenant_check_get_type ())

G_DECLARE_FINAL_TYPE (CqvTenantCheck, cqv_tenant_check, CQV, TENANT_CHECK, GObject)

/* The setup checklist of one tenant (the CLI's `tenant check`, the GUI's checklist): the app's
 * credentials, each Graph permission of cqv_consent_get_permissions() in the token's roles,
 * both MFA service principals, the connector secret and the registration report. Read-only: it
 * never changes the tenant. Signal "item-done" (CqvCheckItem) as each line gets its verdict.
 *
 * One check per tenant is shared through cqv_tenant_context_get_check(), so that a Re-check in
 * the checklist window is what the verify dialog and CqvVerification know. The check does not
 * keep @context alive (the context owns its shared check); a run holds it until it ends. */
CqvTenantCheck   *cqv_tenant_check_new         (CqvTenantContext    *context);
/* NULL once the context is gone. */
CqvTenantContext *cqv_tenant_check_get_context (CqvTenantCheck      *self);
/* The lines (CqvCheckItem) in a fixed order; they exist, PENDING, before the first run. */
GListModel       *cqv_tenant_check_get_items   (CqvTenantCheck      *self);
CqvCheckItem     *cqv_tenant_check_find_item   (CqvTenantCheck      *self,
                                                const char          *id);
gboolean          cqv_tenant_check_get_running (CqvTenantCheck      *self);

/* The verdict of the last run that finished (a cancelled run does not count), kept while the
 * next one runs, until that one finishes; each is notified ("has-run", "passed",
 * "blocking-item") before "running" turns FALSE. */
/* Whether a run has finished: the verdict below is known. */
gboolean          cqv_tenant_check_get_has_run (CqvTenantCheck      *self);
/* No line FAILED (warnings and skipped lines of an optional kind are fine). */
gboolean          cqv_tenant_check_get_passed  (CqvTenantCheck      *self);
/* The first FAILED line that keeps every push from working (see
 * cqv_tenant_check_blocks_push()), or NULL: a copy, unchanged by later runs. */
CqvCheckItem     *cqv_tenant_check_get_blocking_item (CqvTenantCheck *self);
/* Whether the line @id, when FAILED, keeps every push from working: the credentials, the users
 * and Authenticator permissions, both MFA service principals and the connector secret.
 * Application.ReadWrite.All matters through the connector secret's line; the audit log
 * permission and the registration report are optional and never block. */
gboolean          cqv_tenant_check_blocks_push (const char          *id);

/* Runs every check again (a fresh Graph token, so new consent shows at once). Problems are
 * verdicts of the lines, not errors; the only error is cancellation. Returns the items.
 * While a run is going on, a second call joins it and finishes with it. Cancelling
 * @cancellable ends only this caller's wait; the run stops when no caller waits for it any
 * more (its lines then keep what they got, the verdict stays the last finished run's). */
void              cqv_tenant_check_run_async   (CqvTenantCheck      *self,
                                                GCancellable        *cancellable,
                                                GAsyncReadyCallback  callback,
                                                gpointer             user_data);
GListModel       *cqv_tenant_check_run_finish  (CqvTenantCheck      *self,
                                                GAsyncResult        *result,
                                                GError             **error);

G_END_DECLS
