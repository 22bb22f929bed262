/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "cqv-http-client.h"
#include "cqv-secret-store.h"
#include "cqv-tenant-store.h"
#include "cqv-tenant.h"

G_BEGIN_DECLS

#define CQV_TYPE_TENANT_DIALOG (cqv_tenant_dialog_get_type ())

G_DECLARE_FINAL_TYPE (CqvTenantDialog, cqv_tenant_dialog, CQV, TENANT_DIALOG, GtkWindow)

/* Add Tenant: a domain is resolved to the tenant GUID when Add is pressed; the client secret
 * goes to @secrets (kind APP) first, then the tenant to @tenants. Emits "saved" (CqvTenant *)
 * with the new tenant and closes. On a keyring error it shows a banner and keeps every field. */
CqvTenantDialog *cqv_tenant_dialog_new_add  (GtkWindow      *parent,
                                             CqvTenantStore *tenants,
                                             CqvSecretStore *secrets,
                                             CqvHttpClient  *http);
/* Edit Tenant: @tenant (one of @tenants) is changed in place and saved; the secret field starts
 * empty and replaces the keyring item only when something is typed. Emits "saved" (@tenant). */
CqvTenantDialog *cqv_tenant_dialog_new_edit (GtkWindow      *parent,
                                             CqvTenantStore *tenants,
                                             CqvSecretStore *secrets,
                                             CqvHttpClient  *http,
                                             CqvTenant      *tenant);
/* The tenant being edited, or NULL when adding. */
CqvTenant       *cqv_tenant_dialog_get_tenant (CqvTenantDialog *self);

G_END_DECLS
