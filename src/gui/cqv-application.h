/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "cqv-secret-store.h"
#include "cqv-tenant-context.h"
#include "cqv-tenant-store.h"

G_BEGIN_DECLS

#define CQV_TYPE_APPLICATION (cqv_application_get_type ())

G_DECLARE_FINAL_TYPE (CqvApplication, cqv_application, CQV, APPLICATION, GtkApplication)

CqvApplication   *cqv_application_new              (void);
/* The tenants to show (a GListModel of CqvTenant): the tenants file, or the demo tenant. */
GListModel       *cqv_application_get_tenants      (CqvApplication *self);
CqvTenantStore   *cqv_application_get_tenant_store (CqvApplication *self);
CqvSecretStore   *cqv_application_get_secret_store (CqvApplication *self);
/* One context per tenant for the life of the application (created on first use), sharing one
 * HTTP client and token cache. */
CqvTenantContext *cqv_application_get_context      (CqvApplication *self,
                                                    CqvTenant      *tenant);
/* Drops the cached context so the next cqv_application_get_context() makes a new one: a context
 * reads the tenant's endpoints once, so an edited tenant needs a fresh one. */
void              cqv_application_forget_context   (CqvApplication *self,
                                                    CqvTenant      *tenant);
/* The HTTP client every tenant shares (for dialogs that talk to the login service). */
CqvHttpClient    *cqv_application_get_http         (CqvApplication *self);
/* TRUE with --demo: the simulator runs, the demo tenant is shown, nothing touches the real
 * tenants file or keyring. */
gboolean          cqv_application_get_demo         (CqvApplication *self);
/* What --demo does; only before the application is registered. */
void              cqv_application_set_demo         (CqvApplication *self,
                                                    gboolean        demo);
/* Why demo mode does not work (the simulator could not start, or stopped), or NULL. */
const char       *cqv_application_get_demo_error   (CqvApplication *self);

G_END_DECLS
