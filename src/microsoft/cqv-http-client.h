/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>
#include <libsoup/soup.h>

G_BEGIN_DECLS

#define CQV_HTTP_ERROR (cqv_http_error_quark ())

/**
 * CqvHttpError:
 * @CQV_HTTP_ERROR_NETWORK: no connection could be made, or it broke, after all retries
 * @CQV_HTTP_ERROR_TIMEOUT: the request's deadline passed before an answer came
 * @CQV_HTTP_ERROR_THROTTLED: still 429 after the retry budget; see the retry-after
 * @CQV_HTTP_ERROR_UNAVAILABLE: still 503/504 after the retry budget
 * @CQV_HTTP_ERROR_TLS: the server's certificate was refused
 * @CQV_HTTP_ERROR_INSECURE: plain http:// to a host that is not loopback
 * @CQV_HTTP_ERROR_INVALID_URL: the URL cannot be parsed
 * @CQV_HTTP_ERROR_TOO_LARGE: the body exceeded the response size limit
 */
typedef enum
{
  CQV_HTTP_ERROR_NETWORK,
  CQV_HTTP_ERROR_TIMEOUT,
  CQV_HTTP_ERROR_THROTTLED,
  CQV_HTTP_ERROR_UNAVAILABLE,
  CQV_HTTP_ERROR_TLS,
  CQV_HTTP_ERROR_INSECURE,
  CQV_HTTP_ERROR_INVALID_URL,
  CQV_HTTP_ERROR_TOO_LARGE,
} CqvHttpError;

GQuark cqv_http_error_quark (void);

/* A request description; the client builds a fresh SoupMessage for every attempt. */
typedef struct _CqvHttpRequest CqvHttpRequest;

#define CQV_TYPE_HTTP_REQUEST (cqv_http_request_get_type ())
GType           cqv_http_request_get_type    (void) G_GNUC_CONST;
CqvHttpRequest *cqv_http_request_new         (const char     *method,
                                              const char     *url);
CqvHttpRequest *cqv_http_request_ref         (CqvHttpRequest *request);
void            cqv_http_request_unref       (CqvHttpRequest *request);
const char     *cqv_http_request_get_method  (CqvHttpRequest *request);
const char     *cqv_http_request_get_url     (CqvHttpRequest *request);
void            cqv_http_request_add_header  (CqvHttpRequest *request,
                                              const char     *name,
                                              const char     *value);
/* The token is kept out of logs and wiped when the request is freed. */
void            cqv_http_request_set_bearer  (CqvHttpRequest *request,
                                              const char     *token);
void            cqv_http_request_set_body    (CqvHttpRequest *request,
                                              const char     *content_type,
                                              GBytes         *body);
/* application/x-www-form-urlencoded from NULL-terminated name/value pairs; values are wiped on free. */
void            cqv_http_request_set_form    (CqvHttpRequest *request,
                                              const char     *first_name,
                                              ...) G_GNUC_NULL_TERMINATED;
/* Whole-request deadline including retries, in seconds (default 30). */
void            cqv_http_request_set_timeout (CqvHttpRequest *request,
                                              guint           seconds);
/* FALSE for requests that must never be sent twice (the push): no retry at all. */
void            cqv_http_request_set_retry   (CqvHttpRequest *request,
                                              gboolean        retry);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CqvHttpRequest, cqv_http_request_unref)

typedef struct _CqvHttpResponse CqvHttpResponse;

#define CQV_TYPE_HTTP_RESPONSE (cqv_http_response_get_type ())
GType               cqv_http_response_get_type     (void) G_GNUC_CONST;
CqvHttpResponse    *cqv_http_response_ref          (CqvHttpResponse *response);
void                cqv_http_response_unref        (CqvHttpResponse *response);
guint               cqv_http_response_get_status   (CqvHttpResponse *response);
const char         *cqv_http_response_get_header   (CqvHttpResponse *response,
                                                    const char      *name);
GBytes             *cqv_http_response_get_body     (CqvHttpResponse *response);
/* How many attempts were made (1 = no retry). */
guint               cqv_http_response_get_attempts (CqvHttpResponse *response);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CqvHttpResponse, cqv_http_response_unref)

/* Retry policy as pure functions, so the tests can check them. */
typedef struct
{
  guint  max_attempts;     /* including the first; default 5 */
  guint  base_delay_ms;    /* default 500 */
  guint  max_delay_ms;     /* cap for one wait; default 30000 */
  guint  max_total_ms;     /* give up when the next wait would pass this; default 60000 */
} CqvRetryPolicy;

void     cqv_retry_policy_init_default   (CqvRetryPolicy       *policy);
/* Milliseconds to wait before attempt @attempt (2, 3, ...): exponential with full jitter from @rand. */
guint    cqv_retry_policy_backoff_ms     (const CqvRetryPolicy *policy,
                                          guint                 attempt,
                                          GRand                *rand);
/* Retry-After in delta seconds ("2", "2.128") or an HTTP date; -1 when absent or unreadable. */
gint64   cqv_retry_after_parse_ms        (const char           *value,
                                          GDateTime            *now);
gboolean cqv_http_status_is_retryable    (guint                 status);

#define CQV_TYPE_HTTP_CLIENT (cqv_http_client_get_type ())

G_DECLARE_FINAL_TYPE (CqvHttpClient, cqv_http_client, CQV, HTTP_CLIENT, GObject)

CqvHttpClient   *cqv_http_client_new            (void);
/* For tests: trust only this database (a test certificate). */
void             cqv_http_client_set_tls_database (CqvHttpClient        *self,
                                                   GTlsDatabase         *database);
void             cqv_http_client_set_retry_policy (CqvHttpClient        *self,
                                                   const CqvRetryPolicy *policy);
/* Largest response body accepted (default 64 MiB); tests lower it. */
void             cqv_http_client_set_max_body_size (CqvHttpClient       *self,
                                                    gsize                max_bytes);
/* Every HTTP status is a response (callers map 4xx); transport trouble, timeouts and an
 * exhausted retry budget for 429/503/504 are CQV_HTTP_ERROR errors. */
void             cqv_http_client_send_async     (CqvHttpClient        *self,
                                                 CqvHttpRequest       *request,
                                                 GCancellable         *cancellable,
                                                 GAsyncReadyCallback   callback,
                                                 gpointer              user_data);
CqvHttpResponse *cqv_http_client_send_finish    (CqvHttpClient        *self,
                                                 GAsyncResult         *result,
                                                 GError              **error);

G_END_DECLS
