/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "cqv-http-client.h"

G_BEGIN_DECLS

#define CQV_TENANT_RESOLVER_ERROR (cqv_tenant_resolver_error_quark ())

/**
 * CqvTenantResolverError:
 * @CQV_TENANT_RESOLVER_ERROR_INVALID: the text is neither a GUID nor a domain name; no request made
 * @CQV_TENANT_RESOLVER_ERROR_NOT_FOUND: the login service knows no tenant by that domain
 *   (AADSTS90002, or HTTP 400/404)
 * @CQV_TENANT_RESOLVER_ERROR_MALFORMED: the answer is not an OpenID configuration that names a
 *   tenant GUID (issuer and token_endpoint missing, templated or disagreeing)
 * @CQV_TENANT_RESOLVER_ERROR_FAILED: any other HTTP status (the status is in the message)
 *
 * Transport trouble arrives unchanged as CQV_HTTP_ERROR; cancellation as G_IO_ERROR_CANCELLED.
 */
typedef enum
{
  CQV_TENANT_RESOLVER_ERROR_INVALID,
  CQV_TENANT_RESOLVER_ERROR_NOT_FOUND,
  CQV_TENANT_RESOLVER_ERROR_MALFORMED,
  CQV_TENANT_RESOLVER_ERROR_FAILED,
} CqvTenantResolverError;

GQuark cqv_tenant_resolver_error_quark (void);

/* 8-4-4-4-12 hexadecimal digits, either case. */
gboolean cqv_tenant_id_is_guid           (const char  *text);
/* contoso.onmicrosoft.com: dotted labels of ASCII letters, digits and inner hyphens. */
gboolean cqv_tenant_id_is_domain         (const char  *text);
/* The tenant GUID (lower case) named by an OpenID configuration document: the GUID path
 * segment of `issuer` (v2 `…/{tid}/v2.0`, v1 `https://sts.windows.net/{tid}/`), else of
 * `token_endpoint`; both must agree when both name one. CQV_TENANT_RESOLVER_ERROR_MALFORMED. */
char    *cqv_tenant_resolver_parse_configuration (GBytes  *body,
                                                  GError **error);

#define CQV_TYPE_TENANT_RESOLVER (cqv_tenant_resolver_get_type ())

G_DECLARE_FINAL_TYPE (CqvTenantResolver, cqv_tenant_resolver, CQV, TENANT_RESOLVER, GObject)

CqvTenantResolver *cqv_tenant_resolver_new            (CqvHttpClient        *http);
/* GET {login_url}/{domain}/v2.0/.well-known/openid-configuration. A GUID is returned as given,
 * without a request (still through the main loop). */
void               cqv_tenant_resolver_resolve_async  (CqvTenantResolver    *self,
                                                       const char           *login_url,
                                                       const char           *domain_or_id,
                                                       GCancellable         *cancellable,
                                                       GAsyncReadyCallback   callback,
                                                       gpointer              user_data);
/* Returns: (transfer full): the tenant GUID. */
char              *cqv_tenant_resolver_resolve_finish (CqvTenantResolver    *self,
                                                       GAsyncResult         *result,
                                                       GError              **error);

G_END_DECLS
