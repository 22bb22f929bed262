/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "cqv-http-client.h"

G_BEGIN_DECLS

#define CQV_AUTH_ERROR (cqv_auth_error_quark ())

/**
 * CqvAuthError: what the login service said, as something a technician can act on.
 * @CQV_AUTH_ERROR_INVALID_SECRET: AADSTS7000215, the client secret is wrong (or not yet active)
 * @CQV_AUTH_ERROR_EXPIRED_SECRET: AADSTS7000222, the client secret has expired
 * @CQV_AUTH_ERROR_MFA_CLIENT_DISABLED: AADSTS7000112, "Azure Multi-Factor Auth Client" is disabled
 * @CQV_AUTH_ERROR_MFA_CONNECTOR_DISABLED: AADSTS500014, "Azure Multi-Factor Auth Connector" is disabled
 * @CQV_AUTH_ERROR_APP_NOT_IN_TENANT: AADSTS700016, the app is not in the tenant (not consented)
 * @CQV_AUTH_ERROR_TENANT_NOT_FOUND: AADSTS90002, no such tenant
 * @CQV_AUTH_ERROR_CONSENT_MISSING: AADSTS65001, admin consent not granted
 * @CQV_AUTH_ERROR_FAILED: any other refusal (the AADSTS code and description are in the message)
 * @CQV_AUTH_ERROR_MALFORMED: the answer could not be read
 */
typedef enum
{
  CQV_AUTH_ERROR_INVALID_SECRET,
  CQV_AUTH_ERROR_EXPIRED_SECRET,
  CQV_AUTH_ERROR_MFA_CLIENT_DISABLED,
  CQV_AUTH_ERROR_MFA_CONNECTOR_DISABLED,
  CQV_AUTH_ERROR_APP_NOT_IN_TENANT,
  CQV_AUTH_ERROR_TENANT_NOT_FOUND,
  CQV_AUTH_ERROR_CONSENT_MISSING,
  CQV_AUTH_ERROR_FAILED,
  CQV_AUTH_ERROR_MALFORMED,
} CqvAuthError;

GQuark cqv_auth_error_quark (void);

/* Parses a token endpoint error body into @error (domain CQV_AUTH_ERROR), the description
 * without its "Trace ID"/"Correlation ID"/"Timestamp" tail. Returns the AADSTS number or 0. */
guint cqv_aadsts_parse_error (GBytes  *body,
                              guint    http_status,
                              GError **error);

/* Reads a token endpoint success body, v2 (numbers) or v1 (strings): the access token (free
 * with cqv_token_free()) and its lifetime in seconds from expires_in or expires_on (0 if none). */
gboolean cqv_token_parse_response (GBytes  *body,
                                   char   **access_token,
                                   gint64  *lifetime_s,
                                   GError **error);

/* The `roles` claim of a JWT access token (no signature check: only for display). */
char **cqv_token_get_roles (const char *access_token);

typedef enum
{
  CQV_TOKEN_ENDPOINT_V2, /* /{tenant}/oauth2/v2.0/token with scope={resource}/.default */
  CQV_TOKEN_ENDPOINT_V1, /* /{tenant}/oauth2/token with resource={resource} */
} CqvTokenEndpoint;

#define CQV_TYPE_TOKEN_PROVIDER (cqv_token_provider_get_type ())

G_DECLARE_FINAL_TYPE (CqvTokenProvider, cqv_token_provider, CQV, TOKEN_PROVIDER, GObject)

CqvTokenProvider *cqv_token_provider_new          (CqvHttpClient       *http);
/* Client credentials. Cached per (login url, tenant, client, resource) until 5 minutes before
 * expiry; @force_refresh drops the cached one first (the caller got a 401). */
void              cqv_token_provider_get_async    (CqvTokenProvider    *self,
                                                   const char          *login_url,
                                                   const char          *tenant,
                                                   const char          *client_id,
                                                   const char          *client_secret,
                                                   const char          *resource,
                                                   CqvTokenEndpoint     endpoint,
                                                   gboolean             force_refresh,
                                                   GCancellable        *cancellable,
                                                   GAsyncReadyCallback  callback,
                                                   gpointer             user_data);
/* Free the result with cqv_token_free(). */
char             *cqv_token_provider_get_finish   (CqvTokenProvider    *self,
                                                   GAsyncResult        *result,
                                                   GError             **error);
void              cqv_token_provider_invalidate   (CqvTokenProvider    *self,
                                                   const char          *tenant,
                                                   const char          *client_id);
/* How many token requests went to the network (for tests and the benchmark). */
guint             cqv_token_provider_get_fetch_count (CqvTokenProvider *self);
void              cqv_token_free                  (char                *token);

G_END_DECLS
