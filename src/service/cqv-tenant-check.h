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
 * credentials, each Graph permission in the token's roles, both MFA service principals, the
 * connector secret and the registration report. Read-only: it never changes the tenant.
 * Signal "item-done" (CqvCheckItem) as each line gets its verdict. */
CqvTenantCheck   *cqv_tenant_check_new         (CqvTenantContext    *context);
CqvTenantContext *cqv_tenant_check_get_context (CqvTenantCheck      *self);
/* The lines (CqvCheckItem) in a fixed order; they exist, PENDING, before the first run. */
GListModel       *cqv_tenant_check_get_items   (CqvTenantCheck      *self);
CqvCheckItem     *cqv_tenant_check_find_item   (CqvTenantCheck      *self,
                                                const char          *id);
gboolean          cqv_tenant_check_get_running (CqvTenantCheck      *self);
/* After a run: no line FAILED (warnings and skipped lines of an optional kind are fine). */
gboolean          cqv_tenant_check_get_passed  (CqvTenantCheck      *self);

/* Runs every check again (a fresh Graph token, so new consent shows at once). Problems are
 * verdicts of the lines, not errors; the only error is cancellation. Returns the items. */
void              cqv_tenant_check_run_async   (CqvTenantCheck      *self,
                                                GCancellable        *cancellable,
                                                GAsyncReadyCallback  callback,
                                                gpointer             user_data);
GListModel       *cqv_tenant_check_run_finish  (CqvTenantCheck      *self,
                                                GAsyncResult        *result,
                                                GError             **error);

G_END_DECLS
