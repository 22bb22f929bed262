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
/* An amber icon with @warning as its tooltip (e.g. a secret expiring soon); NULL hides it. */
void          cqv_tenant_row_set_warning   (CqvTenantRow *self,
                                            const char   *warning);
/* Selects the tenant (tenant.select) and opens its menu: Edit, Setup Checklist, Remove. */
void          cqv_tenant_row_popup_menu    (CqvTenantRow *self);

G_END_DECLS
