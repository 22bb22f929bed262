/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "cqv-secret-store.h"
#include "cqv-tenant-store.h"
#include "cqv-tenant.h"

G_BEGIN_DECLS

#define CQV_TYPE_REMOVE_TENANT_DIALOG (cqv_remove_tenant_dialog_get_type ())

G_DECLARE_FINAL_TYPE (CqvRemoveTenantDialog, cqv_remove_tenant_dialog, CQV, REMOVE_TENANT_DIALOG, GtkWindow)

/* "Remove “Contoso”?": Cancel (the default) or Remove. Remove takes @tenant out of @tenants,
 * then clears its keyring items (the connector secret too unless another entry uses the same
 * tenant ID), emits "removed" (CqvTenant *) and closes. When the keyring cannot be cleared the
 * tenant is still removed and the dialog stays open to say so. */
CqvRemoveTenantDialog *cqv_remove_tenant_dialog_new        (GtkWindow             *parent,
                                                            CqvTenantStore        *tenants,
                                                            CqvSecretStore        *secrets,
                                                            CqvTenant             *tenant);
CqvTenant             *cqv_remove_tenant_dialog_get_tenant (CqvRemoveTenantDialog *self);

G_END_DECLS
