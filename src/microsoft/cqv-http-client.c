/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cqv-http-client"

#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#include "cqv-endpoint.h"
#include "cqv-http-client-private.h"

#define DEFAULT_MAX_BODY_SIZE ((gsize) 64 * 1024 * 1024)
#define READ_CHUNK_SIZE 65536

struct _CqvHttpClient
{
  GObject parent_instance;

  SoupSession *session;
  CqvRetryPolicy policy;
  GRand *rand;
  gsize max_body_size;
};

/* One send: lives as the GTask's data from send_async until the task returns. */
typedef struct
{
  CqvHttpRequest *request;
  GUri *uri;
  /* Cancelled by the caller's cancellable (through an idle) or by the deadline. */
  GCancellable *op_cancellable;
  GCancellable *caller_cancellable;
  gulong caller_cancelled_id;
  GSource *deadline_source;
  GSource *wait_source;
  GSource *wait_cancel_source;
  gint64 started_us;
  gint64 deadline_us;
  guint attempt;
  gboolean timed_out;
  gboolean request_sent; /* the last attempt's request went out whole */
  SoupMessage *msg;
  GInputStream *stream;
  GByteArray *buffer;
  GError *last_error;
} SendData;

G_DEFINE_FINAL_TYPE (CqvHttpClient, cqv_http_client, G_TYPE_OBJECT)

/* clang-format off */
G_DEFINE_QUARK (cqv-http-error-quark, cqv_http_error)
/* clang-format on */

static void start_attempt (GTask *task);

static void
send_data_cleanup_sources (SendData *data)
{
  if (data->deadline_source != NULL)
    g_source_destroy (data->deadline_source);
  g_clear_pointer (&data->deadline_source, g_source_unref);
  if (data->wait_source != NULL)
    g_source_destroy (data->wait_source);
  g_clear_pointer (&data->wait_source, g_source_unref);
  if (data->wait_cancel_source != NULL)
    g_source_destroy (data->wait_cancel_source);
  g_clear_pointer (&data->wait_cancel_source, g_source_unref);
  if (data->caller_cancelled_id != 0)
    g_cancellable_disconnect (data->caller_cancellable, data->caller_cancelled_id);
  data->caller_cancelled_id = 0;
}

static void
send_data_free (SendData *data)
{
  send_data_cleanup_sources (data);
  g_clear_pointer (&data->request, cqv_http_request_unref);
  g_clear_pointer (&data->uri, g_uri_unref);
  g_clear_object (&data->op_cancellable);
  g_clear_object (&data->caller_cancellable);
  if (data->msg != NULL)
    g_signal_handlers_disconnect_by_data (data->msg, data);
  g_clear_object (&data->msg);
  g_clear_object (&data->stream);
  g_clear_pointer (&data->buffer, g_byte_array_unref);
  g_clear_error (&data->last_error);
  g_free (data);
}

static const char *
host_for_messages (SendData *data)
{
  const char *host = data->uri != NULL ? g_uri_get_host (data->uri) : NULL;

  return host != NULL ? host : "";
}

static void
return_error (GTask *task, GError *error)
{
  SendData *data = g_task_get_task_data (task);

  send_data_cleanup_sources (data);
  g_task_return_error (task, error);
}

static void
return_cancelled_or_timeout (GTask *task)
{
  SendData *data = g_task_get_task_data (task);

  if (!g_cancellable_is_cancelled (data->caller_cancellable) && data->timed_out)
    {
      return_error (
        task,
        g_error_new (
          CQV_HTTP_ERROR, CQV_HTTP_ERROR_TIMEOUT,
          _("%s did not answer within %u seconds. Check the network connection and try again."),
             host_for_messages (data), data->request->timeout_s));
      return;
    }

  return_error (
    task, g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED, _("Operation was cancelled")));
}

static void
return_budget_exhausted (GTask *task, guint status, gint64 retry_after_ms)
{
  SendData *data = g_task_get_task_data (task);
  const char *host = host_for_messages (data);

  if (status == CQV_HTTP_STATUS_TOO_MANY_REQUESTS)
    {
      if (retry_after_ms >= 0)
        {
          guint seconds = (guint) MAX (1, (retry_after_ms + 999) / 1000);

          return_error (
            task, g_error_new (
                    CQV_HTTP_ERROR, CQV_HTTP_ERROR_THROTTLED,
                    g_dngettext (
                      GETTEXT_PACKAGE, "Microsoft is throttling requests; try again in %u second.",
                      "Microsoft is throttling requests; try again in %u seconds.", seconds),
                    seconds));
        }
      else
        {
          return_error (task,
                        g_error_new_literal (
                          CQV_HTTP_ERROR, CQV_HTTP_ERROR_THROTTLED,
                          _("Microsoft is throttling requests; try again in a few minutes.")));
        }
    }
  else if (status != 0)
    {
      return_error (
        task,
        g_error_new (CQV_HTTP_ERROR, CQV_HTTP_ERROR_UNAVAILABLE,
                     _("%s is temporarily unavailable (HTTP %u). Try again in a few minutes."),
                        host, status));
    }
  else if (data->request_sent)
    {
      /* The server may have acted on it (the push may have gone out): say so. */
      return_error (
        task,
        g_error_new (
          CQV_HTTP_ERROR, CQV_HTTP_ERROR_NETWORK,
          _("The connection to %s broke after the request was sent, before an answer came (%s). Check the network connection."),
            host, data->last_error != NULL ? data->last_error->message : ""));
    }
  else
    {
      return_error (task,
                    g_error_new (CQV_HTTP_ERROR, CQV_HTTP_ERROR_NETWORK,
                                 _("Could not reach %s: %s. Check the network connection."), host,
                                    data->last_error != NULL ? data->last_error->message : ""));
    }
}

/* Failures where the request may not have been processed and trying again can help. */
static gboolean
error_is_retryable (const GError *error)
{
  if (error->domain == G_IO_ERROR)
    {
      switch (error->code)
        {
        case G_IO_ERROR_CONNECTION_CLOSED: /* also G_IO_ERROR_BROKEN_PIPE */
        case G_IO_ERROR_CONNECTION_REFUSED:
        case G_IO_ERROR_PARTIAL_INPUT:
        case G_IO_ERROR_TIMED_OUT:
        case G_IO_ERROR_NETWORK_UNREACHABLE:
        case G_IO_ERROR_HOST_UNREACHABLE:
        case G_IO_ERROR_NOT_CONNECTED:
          return TRUE;
        default:
          return FALSE;
        }
    }

  if (error->domain == G_RESOLVER_ERROR)
    return error->code == G_RESOLVER_ERROR_TEMPORARY_FAILURE;

  /* A premature end of the response headers comes back as a parsing error. */
  if (error->domain == SOUP_SESSION_ERROR)
    return error->code == SOUP_SESSION_ERROR_PARSING;

  return FALSE;
}

static void
wait_finished (GTask *task, gboolean cancelled)
{
  SendData *data = g_task_get_task_data (task);

  if (data->wait_source != NULL)
    g_source_destroy (data->wait_source);
  g_clear_pointer (&data->wait_source, g_source_unref);
  if (data->wait_cancel_source != NULL)
    g_source_destroy (data->wait_cancel_source);
  g_clear_pointer (&data->wait_cancel_source, g_source_unref);

  if (cancelled)
    {
      return_cancelled_or_timeout (task);
      g_object_unref (task);
      return;
    }

  start_attempt (task);
}

static gboolean
wait_done_cb (gpointer user_data)
{
  wait_finished (G_TASK (user_data), FALSE);
  return G_SOURCE_REMOVE;
}

static gboolean
wait_cancelled_cb (GCancellable *cancellable, gpointer user_data)
{
  wait_finished (G_TASK (user_data), TRUE);
  return G_SOURCE_REMOVE;
}

/* Takes over the reference to @task. @status is the retryable HTTP status, or 0 for a
 * transport failure (in data->last_error). */
static void
retry_or_give_up (GTask *task, guint status, gint64 retry_after_ms)
{
  CqvHttpClient *self = g_task_get_source_object (task);
  SendData *data = g_task_get_task_data (task);
  GMainContext *context = g_task_get_context (task);
  gint64 now = g_get_monotonic_time ();
  gint64 wait_ms;

  if (!data->request->retry || data->attempt >= self->policy.max_attempts)
    goto give_up;

  if (retry_after_ms >= 0)
    wait_ms = retry_after_ms;
  else
    wait_ms = cqv_retry_policy_backoff_ms (&self->policy, data->attempt + 1, self->rand);

  if ((now - data->started_us) / 1000 + wait_ms > self->policy.max_total_ms)
    goto give_up;
  if (now + wait_ms * 1000 >= data->deadline_us)
    goto give_up;

  g_debug ("Retrying %s %s in %" G_GINT64_FORMAT " ms (attempt %u)", data->request->method,
           g_uri_get_path (data->uri), wait_ms, data->attempt + 1);

  data->wait_source = g_timeout_source_new ((guint) wait_ms);
  g_source_set_name (data->wait_source, "[cqv] http retry wait");
  g_source_set_callback (data->wait_source, wait_done_cb, task, NULL);
  g_source_attach (data->wait_source, context);

  data->wait_cancel_source = g_cancellable_source_new (data->op_cancellable);
  g_source_set_callback (data->wait_cancel_source, (GSourceFunc) wait_cancelled_cb, task, NULL);
  g_source_attach (data->wait_cancel_source, context);
  return;

give_up:
  return_budget_exhausted (task, status, retry_after_ms);
  g_object_unref (task);
}

static void
handle_transport_error (GTask *task, GError *error)
{
  SendData *data = g_task_get_task_data (task);

  g_clear_object (&data->stream);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) ||
      g_cancellable_is_cancelled (data->op_cancellable))
    {
      g_error_free (error);
      return_cancelled_or_timeout (task);
      g_object_unref (task);
      return;
    }

  g_debug ("%s %s failed (attempt %u): %s", data->request->method, g_uri_get_path (data->uri),
           data->attempt, error->message);

  if (error->domain == G_TLS_ERROR)
    {
      return_error (
        task,
        g_error_new (
          CQV_HTTP_ERROR, CQV_HTTP_ERROR_TLS,
          _("The certificate of %s was refused (%s). Check the system date and any proxy or filter between this computer and the server."),
            host_for_messages (data), error->message));
      g_error_free (error);
      g_object_unref (task);
      return;
    }

  g_clear_error (&data->last_error);
  data->last_error = error;

  if (!error_is_retryable (error))
    {
      return_budget_exhausted (task, 0, -1);
      g_object_unref (task);
      return;
    }

  retry_or_give_up (task, 0, -1);
}

static void
handle_response (GTask *task)
{
  SendData *data = g_task_get_task_data (task);
  SoupMessageHeaders *headers = soup_message_get_response_headers (data->msg);
  guint status = soup_message_get_status (data->msg);
  CqvHttpResponse *response;

  g_debug ("%s %s → %u (attempt %u)", data->request->method, g_uri_get_path (data->uri), status,
           data->attempt);

  if (cqv_http_status_is_retryable (status))
    {
      g_autoptr (GDateTime) now = g_date_time_new_now_utc ();
      const char *retry_after = soup_message_headers_get_one (headers, "Retry-After");
      gint64 retry_after_ms = -1;

      if (status == CQV_HTTP_STATUS_TOO_MANY_REQUESTS)
        retry_after_ms = cqv_retry_after_parse_ms (retry_after, now);
      g_clear_pointer (&data->buffer, g_byte_array_unref);
      retry_or_give_up (task, status, retry_after_ms);
      return;
    }

  response = cqv_http_response_new (
    status, headers, g_byte_array_free_to_bytes (g_steal_pointer (&data->buffer)), data->attempt);

  send_data_cleanup_sources (data);
  g_task_return_pointer (task, response, (GDestroyNotify) cqv_http_response_unref);
  g_object_unref (task);
}

/* The size goes into the message as a string: a G_GSIZE_FORMAT inside _() would cut the msgid
 * short for xgettext, and the message would never be translated. */
static void
return_too_large (GTask *task, SendData *data, gsize limit)
{
  g_autofree char *size = g_format_size (limit);

  return_error (task, g_error_new (CQV_HTTP_ERROR, CQV_HTTP_ERROR_TOO_LARGE,
                                   _("The answer from %s was larger than %s and was not read."),
                                      host_for_messages (data), size));
}

static void
read_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  GTask *task = user_data;
  CqvHttpClient *self = g_task_get_source_object (task);
  SendData *data = g_task_get_task_data (task);
  g_autoptr (GBytes) bytes = NULL;
  GError *error = NULL;

  bytes = g_input_stream_read_bytes_finish (G_INPUT_STREAM (object), result, &error);
  if (bytes == NULL)
    {
      handle_transport_error (task, error);
      return;
    }

  if (g_bytes_get_size (bytes) == 0)
    {
      g_clear_object (&data->stream);
      handle_response (task);
      return;
    }

  if (data->buffer->len + g_bytes_get_size (bytes) > self->max_body_size)
    {
      g_clear_object (&data->stream);
      return_too_large (task, data, self->max_body_size);
      g_object_unref (task);
      return;
    }

  g_byte_array_append (data->buffer, g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
  g_input_stream_read_bytes_async (data->stream, READ_CHUNK_SIZE, G_PRIORITY_DEFAULT,
                                   data->op_cancellable, read_cb, task);
}

static void
send_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  GTask *task = user_data;
  CqvHttpClient *self = g_task_get_source_object (task);
  SendData *data = g_task_get_task_data (task);
  GError *error = NULL;
  goffset length;

  data->stream = soup_session_send_finish (SOUP_SESSION (object), result, &error);
  if (data->stream == NULL)
    {
      handle_transport_error (task, error);
      return;
    }

  length = soup_message_headers_get_content_length (soup_message_get_response_headers (data->msg));
  if (length > 0 && (guint64) length > self->max_body_size)
    {
      g_clear_object (&data->stream);
      return_too_large (task, data, self->max_body_size);
      g_object_unref (task);
      return;
    }

  g_clear_pointer (&data->buffer, g_byte_array_unref);
  data->buffer = g_byte_array_new ();
  g_input_stream_read_bytes_async (data->stream, READ_CHUNK_SIZE, G_PRIORITY_DEFAULT,
                                   data->op_cancellable, read_cb, task);
}

static SoupMessage *
build_message (CqvHttpRequest *request, GUri *uri)
{
  g_autoptr (SoupMessage) msg = soup_message_new_from_uri (request->method, uri);
  SoupMessageHeaders *headers = soup_message_get_request_headers (msg);
  SoupMessageHeadersIter iter;
  const char *name, *value;

  soup_message_headers_iter_init (&iter, request->headers);
  while (soup_message_headers_iter_next (&iter, &name, &value))
    soup_message_headers_append (headers, name, value);

  if (request->bearer != NULL)
    {
      g_autofree char *authorization = g_strconcat ("Bearer ", request->bearer, NULL);

      soup_message_headers_replace (headers, "Authorization", authorization);
      memset (authorization, 0, strlen (authorization));
    }

  if (request->body != NULL)
    soup_message_set_request_body_from_bytes (msg, request->content_type, request->body);

  /* Redirects could lead to plain http or another host behind our back; callers see 3xx. */
  soup_message_add_flags (msg, SOUP_MESSAGE_NO_REDIRECT);
  /* libsoup silently resends idempotent requests on a reused connection that was closed. */
  if (!request->retry)
    soup_message_add_flags (msg, SOUP_MESSAGE_NEW_CONNECTION);

  return g_steal_pointer (&msg);
}

static void
wrote_body_cb (SoupMessage *msg, gpointer user_data)
{
  SendData *data = user_data;

  data->request_sent = TRUE;
}

static void
start_attempt (GTask *task)
{
  CqvHttpClient *self = g_task_get_source_object (task);
  SendData *data = g_task_get_task_data (task);

  g_assert (data->request->retry || data->attempt == 0);

  data->attempt++;
  data->request_sent = FALSE;
  if (data->msg != NULL)
    g_signal_handlers_disconnect_by_data (data->msg, data);
  g_clear_object (&data->msg);
  data->msg = build_message (data->request, data->uri);
  g_signal_connect (data->msg, "wrote-body", G_CALLBACK (wrote_body_cb), data);

  soup_session_send_async (self->session, data->msg, G_PRIORITY_DEFAULT, data->op_cancellable,
                           send_cb, task);
}

static gboolean
deadline_cb (gpointer user_data)
{
  SendData *data = user_data;
  GCancellable *op_cancellable = data->op_cancellable;

  /* Cancelling may complete the task (and free @data) before it returns. */
  data->timed_out = TRUE;
  g_clear_pointer (&data->deadline_source, g_source_unref);
  g_cancellable_cancel (op_cancellable);
  return G_SOURCE_REMOVE;
}

static gboolean
cancel_op_cb (gpointer user_data)
{
  g_cancellable_cancel (G_CANCELLABLE (user_data));
  return G_SOURCE_REMOVE;
}

/* May run in any thread, and inside the caller's g_cancellable_cancel(): hop to the task's
 * context so nothing disconnects this handler from inside its own emission. */
static void
caller_cancelled_cb (GCancellable *cancellable, gpointer user_data)
{
  GTask *task = user_data;
  g_autoptr (GSource) source = g_idle_source_new ();

  g_source_set_priority (source, G_PRIORITY_HIGH);
  g_source_set_callback (source, cancel_op_cb,
                         g_object_ref (((SendData *) g_task_get_task_data (task))->op_cancellable),
                         g_object_unref);
  g_source_attach (source, g_task_get_context (task));
}

static void
cqv_http_client_finalize (GObject *object)
{
  CqvHttpClient *self = (CqvHttpClient *) object;

  g_clear_object (&self->session);
  g_clear_pointer (&self->rand, g_rand_free);

  G_OBJECT_CLASS (cqv_http_client_parent_class)->finalize (object);
}

static void
cqv_http_client_class_init (CqvHttpClientClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = cqv_http_client_finalize;
}

static void
cqv_http_client_init (CqvHttpClient *self)
{
  /* No per-I/O timeout: each request carries its own deadline (the push waits ~60 s). */
  self->session = soup_session_new_with_options ("user-agent", "CyberQP-Verify/" PACKAGE_VERSION,
                                                 "timeout", 0, NULL);
  cqv_retry_policy_init_default (&self->policy);
  self->rand = g_rand_new ();
  self->max_body_size = DEFAULT_MAX_BODY_SIZE;
}

/* Client */

CqvHttpClient *
cqv_http_client_new (void)
{
  return g_object_new (CQV_TYPE_HTTP_CLIENT, NULL);
}

void
cqv_http_client_set_tls_database (CqvHttpClient *self, GTlsDatabase *database)
{
  g_return_if_fail (CQV_IS_HTTP_CLIENT (self));
  g_return_if_fail (database == NULL || G_IS_TLS_DATABASE (database));

  soup_session_set_tls_database (self->session, database);
}

void
cqv_http_client_set_retry_policy (CqvHttpClient *self, const CqvRetryPolicy *policy)
{
  g_return_if_fail (CQV_IS_HTTP_CLIENT (self));
  g_return_if_fail (policy != NULL);
  g_return_if_fail (policy->max_attempts >= 1);

  self->policy = *policy;
}

void
cqv_http_client_set_max_body_size (CqvHttpClient *self, gsize max_bytes)
{
  g_return_if_fail (CQV_IS_HTTP_CLIENT (self));
  g_return_if_fail (max_bytes > 0);

  self->max_body_size = max_bytes;
}

/* cqv_endpoint_validate() judges base addresses, which carry no query; a request URL may
 * (Graph's $select, nextLink's $skiptoken), so only the part before "?" goes through it. */
static GUri *
validate_url (const char *url, GError **error)
{
  g_autofree char *base = g_strndup (url, strcspn (url, "?"));
  g_autoptr (GError) local_error = NULL;
  g_autoptr (GUri) uri = NULL;

  if (!cqv_endpoint_validate (base, &local_error))
    {
      if (g_error_matches (local_error, CQV_ENDPOINT_ERROR, CQV_ENDPOINT_ERROR_INSECURE))
        g_set_error_literal (error, CQV_HTTP_ERROR, CQV_HTTP_ERROR_INSECURE, local_error->message);
      else
        g_set_error_literal (error, CQV_HTTP_ERROR, CQV_HTTP_ERROR_INVALID_URL,
                             local_error->message);
      return NULL;
    }

  uri = g_uri_parse (url, SOUP_HTTP_URI_FLAGS, NULL);
  if (uri == NULL || g_uri_get_fragment (uri) != NULL)
    {
      g_set_error_literal (
        error, CQV_HTTP_ERROR, CQV_HTTP_ERROR_INVALID_URL,
        _("The address is not a valid web address (such as https://example.com)."));
      return NULL;
    }

  return g_steal_pointer (&uri);
}

void
cqv_http_client_send_async (CqvHttpClient *self,
                            CqvHttpRequest *request,
                            GCancellable *cancellable,
                            GAsyncReadyCallback callback,
                            gpointer user_data)
{
  g_autoptr (GTask) task = NULL;
  GError *error = NULL;
  SendData *data;

  g_return_if_fail (CQV_IS_HTTP_CLIENT (self));
  g_return_if_fail (request != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, cqv_http_client_send_async);

  data = g_new0 (SendData, 1);
  data->request = cqv_http_request_ref (request);
  g_task_set_task_data (task, data, (GDestroyNotify) send_data_free);

  data->uri = validate_url (request->url, &error);
  if (data->uri == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  if (g_task_return_error_if_cancelled (task))
    return;

  data->started_us = g_get_monotonic_time ();
  data->deadline_us = data->started_us + (gint64) request->timeout_s * G_USEC_PER_SEC;
  data->op_cancellable = g_cancellable_new ();

  data->deadline_source = g_timeout_source_new (request->timeout_s * 1000);
  g_source_set_name (data->deadline_source, "[cqv] http deadline");
  g_source_set_callback (data->deadline_source, deadline_cb, data, NULL);
  g_source_attach (data->deadline_source, g_task_get_context (task));

  if (cancellable != NULL)
    {
      data->caller_cancellable = g_object_ref (cancellable);
      data->caller_cancelled_id =
        g_cancellable_connect (cancellable, G_CALLBACK (caller_cancelled_cb), task, NULL);
    }

  start_attempt (g_steal_pointer (&task));
}

CqvHttpResponse *
cqv_http_client_send_finish (CqvHttpClient *self, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (CQV_IS_HTTP_CLIENT (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == cqv_http_client_send_async,
                        NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
