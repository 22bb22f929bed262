/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "cqv-directory.h"
#include "cqv-tenant.h"

G_BEGIN_DECLS

#define CQV_TYPE_TENANT_ROW (cqv_tenant_row_get_type ())

G_DECLARE_FINAL_TYPE (CqvTenantRow, cqv_tenant_row, CQV, TENANT_ROW, GtkWidget)

/* A tenant in the sidebar with the state of its directory: loading (users so far), ready (how
 * many users, how many with Authenticator) or an error with a Retry button (win.retry-tenant). */
GtkWidget    *cqv_tenant_row_new           (void);
void          cqv_tenant_row_set_tenant    (CqvTenantRow *self,
                                            CqvTenant    *tenant);
CqvTenant    *cqv_tenant_row_get_tenant    (CqvTenantRow *self);
/* The directory being shown; NULL while the tenant has not been opened. */
void          cqv_tenant_row_set_directory (CqvTenantRow *self,
                                            CqvDirectory *directory);
CqvDirectory *cqv_tenant_row_get_directory (CqvTenantRow *self);
/* A problem met before the directory could load (e.g. no app secret); NULL clears it. */
void          cqv_tenant_row_set_error     (CqvTenantRow *self,
                                            const GError *error);

G_END_DECLS
