/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "cqv-graph-client.h"
#include "cqv-http-client.h"
#include "cqv-outcome.h"
#include "cqv-token-provider.h"

G_BEGIN_DECLS

/* "Azure Multi-Factor Auth Client": we add our secret to its service principal and get the
 * connector token as this app. */
#define CQV_MFA_CLIENT_APP_ID    "981f26a1-7f43-403b-a875-f8b09b8cd720"
/* "Azure Multi-Factor Auth Connector": the resource; token issuance fails while it is disabled. */
#define CQV_MFA_CONNECTOR_APP_ID "1f5530b3-261a-47a9-b357-ded261e17918"
/* displayName of the password credentials we create (and may remove again). */
#define CQV_CONNECTOR_CREDENTIAL_NAME "CyberQP Verify connector"

#define CQV_CONNECTOR_ERROR (cqv_connector_error_quark ())

/**
 * CqvConnectorError:
 * @CQV_CONNECTOR_ERROR_POLICY: addPassword was refused by an app management policy for every
 *   lifetime tried (180, 90, 30 and 7 days)
 * @CQV_CONNECTOR_ERROR_MALFORMED: a Graph answer lacked what the connector needs (an id, a
 *   secretText)
 * @CQV_CONNECTOR_ERROR_NO_SECRET: a token or push was asked for before a secret was set
 */
typedef enum
{
  CQV_CONNECTOR_ERROR_POLICY,
  CQV_CONNECTOR_ERROR_MALFORMED,
  CQV_CONNECTOR_ERROR_NO_SECRET,
} CqvConnectorError;

GQuark cqv_connector_error_quark (void);

/* A password credential on the MFA Client service principal, as Graph lists it (never the
 * secret itself). */
typedef struct
{
  char      *key_id;
  char      *display_name; /* nullable */
  GDateTime *start;        /* nullable */
  GDateTime *end;          /* nullable */
} CqvConnectorCredential;

#define CQV_TYPE_CONNECTOR_CREDENTIAL (cqv_connector_credential_get_type ())
GType                   cqv_connector_credential_get_type (void) G_GNUC_CONST;
CqvConnectorCredential *cqv_connector_credential_copy     (const CqvConnectorCredential *credential);
void                    cqv_connector_credential_free     (CqvConnectorCredential       *credential);
/* TRUE when the display name is ours and @now is past the end. */
gboolean                cqv_connector_credential_is_expired_ours (const CqvConnectorCredential *credential,
                                                                  GDateTime                    *now);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CqvConnectorCredential, cqv_connector_credential_free)

#define CQV_TYPE_CONNECTOR (cqv_connector_get_type ())

G_DECLARE_FINAL_TYPE (CqvConnector, cqv_connector, CQV, CONNECTOR, GObject)

/* The MFA connector of one tenant. @graph (app-only, with the technician's app secret) is used
 * only to set up the service principals and secrets; @mfa_url is the connector host (an
 * override or the cloud's), @mfa_resource the token resource (cqv_cloud_get_mfa_resource()). */
CqvConnector *cqv_connector_new (CqvHttpClient    *http,
                                 CqvTokenProvider *tokens,
                                 CqvGraphClient   *graph,
                                 const char       *login_url,
                                 const char       *mfa_url,
                                 const char       *mfa_resource,
                                 const char       *tenant_id);

const char *cqv_connector_get_tenant_id (CqvConnector *self);

/* The connector secret used for tokens; copied and wiped on change/finalize. A change drops
 * the cached connector token. */
void        cqv_connector_set_secret    (CqvConnector *self,
                                         const char   *secret);
gboolean    cqv_connector_has_secret    (CqvConnector *self);

/* Deadline of the push request in seconds (default 120: well past the service's ~60 s). */
guint       cqv_connector_get_push_timeout (CqvConnector *self);
void        cqv_connector_set_push_timeout (CqvConnector *self,
                                            guint         seconds);
/* How long a new secret may take to start working, and the pause between token attempts
 * (defaults 20000 and 1000 ms). */
guint       cqv_connector_get_propagation_timeout_ms  (CqvConnector *self);
void        cqv_connector_set_propagation_timeout_ms  (CqvConnector *self,
                                                       guint         timeout_ms);
guint       cqv_connector_get_propagation_interval_ms (CqvConnector *self);
void        cqv_connector_set_propagation_interval_ms (CqvConnector *self,
                                                       guint         interval_ms);

/* Makes sure the MFA Client service principal exists and that both MFA apps are enabled:
 * creates or enables them as needed. Returns the Client SP's password credentials
 * (CqvConnectorCredential) and remembers its object id. Graph permission trouble comes back
 * as CQV_GRAPH_ERROR_PERMISSION_MISSING with a message naming Application.ReadWrite.All. */
void        cqv_connector_ensure_service_principals_async  (CqvConnector        *self,
                                                            GCancellable        *cancellable,
                                                            GAsyncReadyCallback  callback,
                                                            gpointer             user_data);
GPtrArray  *cqv_connector_ensure_service_principals_finish (CqvConnector        *self,
                                                            GAsyncResult        *result,
                                                            GError             **error);
/* The Client SP's object id once known (after ensure), else NULL. */
const char *cqv_connector_get_service_principal_id (CqvConnector *self);

/* addPassword on the Client SP (ensure first): 180 days, shorter when a policy refuses it.
 * Returns the new credential; *@secret_text receives the secret (free with
 * cqv_connector_secret_free()). */
void        cqv_connector_add_password_async  (CqvConnector        *self,
                                               GCancellable        *cancellable,
                                               GAsyncReadyCallback  callback,
                                               gpointer             user_data);
CqvConnectorCredential *
            cqv_connector_add_password_finish (CqvConnector        *self,
                                               GAsyncResult        *result,
                                               char               **secret_text,
                                               GError             **error);
/* removePassword on the Client SP (ensure first). */
void        cqv_connector_remove_password_async  (CqvConnector        *self,
                                                  const char          *key_id,
                                                  GCancellable        *cancellable,
                                                  GAsyncReadyCallback  callback,
                                                  gpointer             user_data);
gboolean    cqv_connector_remove_password_finish (CqvConnector        *self,
                                                  GAsyncResult        *result,
                                                  GError             **error);

/* The connector token for the current secret (cached by the token provider). With
 * @wait_for_propagation, AADSTS7000215 is retried every propagation-interval-ms until
 * propagation-timeout-ms has passed. Free with cqv_token_free(). */
void        cqv_connector_get_token_async  (CqvConnector        *self,
                                            gboolean             wait_for_propagation,
                                            GCancellable        *cancellable,
                                            GAsyncReadyCallback  callback,
                                            gpointer             user_data);
char       *cqv_connector_get_token_finish (CqvConnector        *self,
                                            GAsyncResult        *result,
                                            GError             **error);

/* Sends ONE push (BeginTwoWayAuthentication, never resent, except once after a 401, which
 * means no push went out) and returns what came back as an outcome: the parser's verdict,
 * TIMED_OUT when the deadline passed, THROTTLED on 429, ERROR on anything else. Errors
 * (GError) only for cancellation and when no token could be had (CQV_AUTH_ERROR, ...): then
 * nothing was sent. */
void        cqv_connector_push_async  (CqvConnector        *self,
                                       const char          *upn,
                                       const char          *context_id,
                                       GCancellable        *cancellable,
                                       GAsyncReadyCallback  callback,
                                       gpointer             user_data);
CqvOutcome *cqv_connector_push_finish (CqvConnector        *self,
                                       GAsyncResult        *result,
                                       GError             **error);

/* Wipes and frees a secret string. */
void        cqv_connector_secret_free (char *secret);

G_END_DECLS
