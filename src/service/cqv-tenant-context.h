/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "cqv-connector-secrets.h"
#include "cqv-connector.h"
#include "cqv-directory.h"
#include "cqv-graph-client.h"
#include "cqv-http-client.h"
#include "cqv-push-guard.h"
#include "cqv-secret-store.h"
#include "cqv-tenant.h"
#include "cqv-token-provider.h"

G_BEGIN_DECLS

#define CQV_TENANT_CONTEXT_ERROR (cqv_tenant_context_error_quark ())

/**
 * CqvTenantContextError:
 * @CQV_TENANT_CONTEXT_ERROR_NO_APP_SECRET: no app secret is stored in the keyring for this
 *   tenant (add it in the tenant's settings)
 */
typedef enum
{
  CQV_TENANT_CONTEXT_ERROR_NO_APP_SECRET,
} CqvTenantContextError;

GQuark cqv_tenant_context_error_quark (void);

#define CQV_TYPE_TENANT_CONTEXT (cqv_tenant_context_get_type ())

G_DECLARE_FINAL_TYPE (CqvTenantContext, cqv_tenant_context, CQV, TENANT_CONTEXT, GObject)

/* cqv-tenant-check.h, which includes this header. */
typedef struct _CqvTenantCheck CqvTenantCheck;

/* Everything needed to work with one tenant, kept for the session: its Graph client (the
 * technician's app secret, looked up in @store lazily), its Directory, its MFA connector and
 * the connector secret's lifecycle, and the push guard (cqv_push_guard_get_default() unless
 * set). @http and @tokens may be shared between tenants. The tenant's endpoints are read once,
 * here: make a new context after changing them. */
CqvTenantContext    *cqv_tenant_context_new          (CqvTenant        *tenant,
                                                      CqvSecretStore   *store,
                                                      CqvHttpClient    *http,
                                                      CqvTokenProvider *tokens);

CqvTenant           *cqv_tenant_context_get_tenant   (CqvTenantContext *self);
CqvSecretStore      *cqv_tenant_context_get_secret_store (CqvTenantContext *self);
CqvHttpClient       *cqv_tenant_context_get_http     (CqvTenantContext *self);
CqvTokenProvider    *cqv_tenant_context_get_tokens   (CqvTenantContext *self);
CqvGraphClient      *cqv_tenant_context_get_graph    (CqvTenantContext *self);
CqvDirectory        *cqv_tenant_context_get_directory (CqvTenantContext *self);
CqvConnector        *cqv_tenant_context_get_connector (CqvTenantContext *self);
CqvConnectorSecrets *cqv_tenant_context_get_connector_secrets (CqvTenantContext *self);
CqvPushGuard        *cqv_tenant_context_get_push_guard (CqvTenantContext *self);
/* The tenant's setup checklist, shared by everything that works with this context (the
 * checklist window, the verify dialog, CqvVerification), made on first use. The context owns it;
 * it does not keep the context alive. */
CqvTenantCheck      *cqv_tenant_context_get_check      (CqvTenantContext *self);
void                 cqv_tenant_context_set_push_guard (CqvTenantContext *self,
                                                        CqvPushGuard     *guard);

/* Uses @secret as the app secret (CLI --secret-env, demo mode) instead of the keyring's. */
void                 cqv_tenant_context_set_app_secret (CqvTenantContext *self,
                                                        const char       *secret);
/* Looks up the app secret in the keyring once (later calls finish at once) and hands it to the
 * Graph client. CQV_TENANT_CONTEXT_ERROR_NO_APP_SECRET when there is none; CQV_SECRET_ERROR
 * when the keyring cannot be used. */
void                 cqv_tenant_context_load_async   (CqvTenantContext    *self,
                                                      GCancellable        *cancellable,
                                                      GAsyncReadyCallback  callback,
                                                      gpointer             user_data);
gboolean             cqv_tenant_context_load_finish  (CqvTenantContext    *self,
                                                      GAsyncResult        *result,
                                                      GError             **error);

G_END_DECLS
