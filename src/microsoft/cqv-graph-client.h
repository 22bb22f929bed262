/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "cqv-http-client.h"
#include "cqv-token-provider.h"

G_BEGIN_DECLS

#define CQV_GRAPH_ERROR (cqv_graph_error_quark ())

/**
 * CqvGraphError: a Graph refusal, as something a technician can act on.
 * @CQV_GRAPH_ERROR_PERMISSION_MISSING: 403 Authorization_RequestDenied or
 *   Authentication_MSGraphPermissionMissing: an application permission is missing or not consented
 * @CQV_GRAPH_ERROR_NO_PREMIUM_LICENSE: 403 Authentication_RequestFromNonPremiumTenantOrB2CTenant
 * @CQV_GRAPH_ERROR_NOT_FOUND: 404
 * @CQV_GRAPH_ERROR_BAD_REQUEST: other 4xx (the Graph error code and message are in the text)
 * @CQV_GRAPH_ERROR_UNAUTHORIZED: 401 even after one token refresh
 * @CQV_GRAPH_ERROR_SERVER: 5xx that the retries did not get past
 * @CQV_GRAPH_ERROR_MALFORMED: the body is not the JSON Graph promises
 * @CQV_GRAPH_ERROR_POLICY: addPassword refused by an app management policy (lifetime or type)
 * @CQV_GRAPH_ERROR_THROTTLED: a 429 that the retries did not get past (batch items, or a 429
 *   mapped by cqv_graph_error_from_response())
 * @CQV_GRAPH_ERROR_FOREIGN_LINK: an @odata.nextLink (or other absolute URL) points to another
 *   origin than the Graph URL; following it would hand the token to that host
 * @CQV_GRAPH_ERROR_NO_MATCHING_SECRET: none of the app registration's password credentials has
 *   the hint (first three characters) of the client secret in use, so its expiry is unknown
 */
typedef enum
{
  CQV_GRAPH_ERROR_PERMISSION_MISSING,
  CQV_GRAPH_ERROR_NO_PREMIUM_LICENSE,
  CQV_GRAPH_ERROR_NOT_FOUND,
  CQV_GRAPH_ERROR_BAD_REQUEST,
  CQV_GRAPH_ERROR_UNAUTHORIZED,
  CQV_GRAPH_ERROR_SERVER,
  CQV_GRAPH_ERROR_MALFORMED,
  CQV_GRAPH_ERROR_POLICY,
  CQV_GRAPH_ERROR_THROTTLED,
  CQV_GRAPH_ERROR_FOREIGN_LINK,
  CQV_GRAPH_ERROR_NO_MATCHING_SECRET,
} CqvGraphError;

GQuark cqv_graph_error_quark (void);

/* Maps a Graph error body ({"error":{"code","message"}}) and status into @error. */
void   cqv_graph_error_from_response (guint    status,
                                      GBytes  *body,
                                      GError **error);
/* The least-privileged application permission a Graph path needs ("User.Read.All" for
 * "/v1.0/users"), or NULL when unknown. Used to name the fix in PERMISSION_MISSING messages. */
const char *cqv_graph_permission_for_path (const char *path);
/* Parses a Graph JSON body; the root must be an object, else CQV_GRAPH_ERROR_MALFORMED. */
JsonNode   *cqv_graph_parse_body          (GBytes     *body,
                                           GError    **error);

/* Graph shows this many leading characters of a client secret as its credential's "hint". */
#define CQV_GRAPH_SECRET_HINT_CHARS 3

/* The endDateTime of the password credential in an application object (@root, as Graph answers
 * GET /applications(appId='…')) whose hint is @secret_hint. Several credentials can share a
 * hint: the latest endDateTime among them is taken (see cqv-graph-app-secret.c for why).
 * CQV_GRAPH_ERROR_NO_MATCHING_SECRET when none matches (or none of those has a readable
 * endDateTime), CQV_GRAPH_ERROR_MALFORMED when @root has no passwordCredentials array. */
GDateTime  *cqv_graph_parse_app_secret_expiry (JsonNode    *root,
                                               const char  *secret_hint,
                                               GError     **error);

/* The most sub-requests Graph takes in one $batch. */
#define CQV_GRAPH_BATCH_MAX 20

/**
 * CqvGraphBatchResult: one $batch sub-response.
 * @status: the item's HTTP status; 0 when no answer came for it
 * @body: the item's JSON body, or NULL
 * @retry_after_ms: the item's Retry-After in milliseconds, or -1
 * @error: NULL for a 2xx status, else what it means (CQV_GRAPH_ERROR)
 */
typedef struct
{
  guint     status;
  JsonNode *body;
  gint64    retry_after_ms;
  GError   *error;
} CqvGraphBatchResult;

void        cqv_graph_batch_result_free   (CqvGraphBatchResult *result);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CqvGraphBatchResult, cqv_graph_batch_result_free)
/* Parses a $batch response for requests with ids "1".."n_requests": an array of @n_requests
 * results in request order. An id without a sub-response gets status 0 and an error. */
GPtrArray  *cqv_graph_batch_parse_response (JsonNode  *root,
                                            guint      n_requests,
                                            GError   **error);

#define CQV_TYPE_GRAPH_CLIENT (cqv_graph_client_get_type ())

G_DECLARE_FINAL_TYPE (CqvGraphClient, cqv_graph_client, CQV, GRAPH_CLIENT, GObject)

/* App-only Graph access for one tenant: tokens from @tokens for @graph_resource
 * (e.g. "https://graph.microsoft.com"), requests to @graph_url (an override or the cloud's). */
CqvGraphClient *cqv_graph_client_new            (CqvHttpClient       *http,
                                                 CqvTokenProvider    *tokens,
                                                 const char          *login_url,
                                                 const char          *graph_url,
                                                 const char          *graph_resource,
                                                 const char          *tenant,
                                                 const char          *client_id);
/* Copied and wiped on change/finalize. */
void            cqv_graph_client_set_client_secret (CqvGraphClient   *self,
                                                    const char       *secret);
CqvHttpClient  *cqv_graph_client_get_http       (CqvGraphClient      *self);
const char     *cqv_graph_client_get_graph_url  (CqvGraphClient      *self);
const char     *cqv_graph_client_get_client_id  (CqvGraphClient      *self);
/* The first CQV_GRAPH_SECRET_HINT_CHARS characters of the client secret (what Graph shows of
 * it), or NULL when no secret is set or it is shorter. Part of the secret: never log it, and
 * wipe it when done. */
char           *cqv_graph_client_dup_secret_hint (CqvGraphClient     *self);

/* One Graph call. @path is relative to the Graph URL ("/v1.0/users?$top=999") or an absolute
 * @odata.nextLink used exactly as given. @body may be NULL. A 401 gets one token refresh.
 * Non-2xx answers become CQV_GRAPH_ERROR errors. Returns the raw body (NULL for 204). */
void            cqv_graph_client_request_async  (CqvGraphClient      *self,
                                                 const char          *method,
                                                 const char          *path,
                                                 JsonNode            *body,
                                                 GCancellable        *cancellable,
                                                 GAsyncReadyCallback  callback,
                                                 gpointer             user_data);
GBytes         *cqv_graph_client_request_finish (CqvGraphClient      *self,
                                                 GAsyncResult        *result,
                                                 guint               *status,
                                                 GError             **error);
/* The same with extra headers as a NULL-terminated name, value, ... array (e.g. "Prefer",
 * "create-if-missing"); finish with cqv_graph_client_request_finish(). */
void            cqv_graph_client_request_with_headers_async (CqvGraphClient      *self,
                                                             const char          *method,
                                                             const char          *path,
                                                             JsonNode            *body,
                                                             const char * const  *headers,
                                                             GCancellable        *cancellable,
                                                             GAsyncReadyCallback  callback,
                                                             gpointer             user_data);
/* The roles in the current Graph token (fetches one when needed). */
void            cqv_graph_client_get_roles_async  (CqvGraphClient      *self,
                                                   GCancellable        *cancellable,
                                                   GAsyncReadyCallback  callback,
                                                   gpointer             user_data);
char          **cqv_graph_client_get_roles_finish (CqvGraphClient      *self,
                                                   GAsyncResult        *result,
                                                   GError             **error);

/* GETs up to CQV_GRAPH_BATCH_MAX @relative_urls (relative to the Graph version, e.g.
 * "/users/{id}/authentication/microsoftAuthenticatorMethods") in one POST /v1.0/$batch.
 * Items answered 429 are sent again after their Retry-After (a few attempts at most). The
 * finish returns a GPtrArray of CqvGraphBatchResult in request order, one per URL; a failure
 * of the whole batch (network, token, 4xx on the POST) is the error instead. */
void            cqv_graph_client_batch_async      (CqvGraphClient      *self,
                                                   GPtrArray           *relative_urls,
                                                   GCancellable        *cancellable,
                                                   GAsyncReadyCallback  callback,
                                                   gpointer             user_data);
GPtrArray      *cqv_graph_client_batch_finish     (CqvGraphClient      *self,
                                                   GAsyncResult        *result,
                                                   GError             **error);
/* When the client secret whose first characters are @secret_hint (from
 * cqv_graph_client_dup_secret_hint(); never the whole secret) expires: GET
 * /v1.0/applications(appId='<client id>')?$select=id,appId,passwordCredentials, then
 * cqv_graph_parse_app_secret_expiry(). Needs Application.Read.All (or higher) and an app
 * registered in this very tenant; a multi-tenant app's registration lives in its home tenant,
 * elsewhere Graph answers 404 (CQV_GRAPH_ERROR_NOT_FOUND). Every error means "unknown". */
void            cqv_graph_client_get_app_secret_expiry_async  (CqvGraphClient      *self,
                                                               const char          *secret_hint,
                                                               GCancellable        *cancellable,
                                                               GAsyncReadyCallback  callback,
                                                               gpointer             user_data);
GDateTime      *cqv_graph_client_get_app_secret_expiry_finish (CqvGraphClient      *self,
                                                               GAsyncResult        *result,
                                                               GError             **error);
/* Attempts per batch item that keeps getting 429 (default 4). For tests. */
void            cqv_graph_client_set_batch_max_attempts (CqvGraphClient *self,
                                                         guint           attempts);

G_END_DECLS
