/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>
#include <glib/gstdio.h>

#include "cqv-http-client.h"

#define GUARD_SECONDS 20
#define BEARER_TOKEN "eyJ-bearer-token-that-must-never-be-logged"
#define FORM_SECRET "form-secret-that-must-never-be-logged"

/* Everything every log call in the process wrote; checked for secrets. */
static GString *captured_logs;

typedef struct
{
  SoupServer *server;
  char *base_url;
  GHashTable *counts; /* path → number of requests seen */
  GPtrArray *paused;  /* SoupServerMessage, weakly referenced */
  char *last_user_agent;
  char *last_authorization;
  char *last_custom;
  char *last_body;
  char *last_content_type;
} Fixture;

typedef struct
{
  gboolean done;
  CqvHttpResponse *response;
  GError *error;
  gint64 finished_us;
} SendResult;

static GLogWriterOutput
capture_writer (GLogLevelFlags log_level,
                const GLogField *fields,
                gsize n_fields,
                gpointer user_data)
{
  for (gsize i = 0; i < n_fields; i++)
    {
      if (g_strcmp0 (fields[i].key, "MESSAGE") != 0)
        continue;
      if (fields[i].length < 0)
        g_string_append (captured_logs, fields[i].value);
      else
        g_string_append_len (captured_logs, fields[i].value, fields[i].length);
      g_string_append_c (captured_logs, '\n');
    }

  /* Debug output would go to stdout and break TAP; warnings still reach stderr. */
  if (log_level & (G_LOG_LEVEL_ERROR | G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_WARNING))
    return g_log_writer_standard_streams (log_level, fields, n_fields, user_data);
  return G_LOG_WRITER_HANDLED;
}

/* GTest installs its own default handler for g_log(); capture through ours instead, so that
 * debug output is checked (and kept off stdout) whichever route it takes. */
static void
capture_handler (const char *log_domain,
                 GLogLevelFlags log_level,
                 const char *message,
                 gpointer user_data)
{
  g_string_append (captured_logs, message);
  g_string_append_c (captured_logs, '\n');

  if (log_level & (G_LOG_LEVEL_ERROR | G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_WARNING))
    g_log_default_handler (log_domain, log_level, message, user_data);
}

static gboolean
guard_expired_cb (gpointer user_data)
{
  g_error ("Test did not finish within %d seconds", GUARD_SECONDS);
  return G_SOURCE_REMOVE;
}

static void
spin_until (gboolean *condition)
{
  guint guard = g_timeout_add_seconds (GUARD_SECONDS, guard_expired_cb, NULL);

  while (!*condition)
    g_main_context_iteration (NULL, TRUE);
  g_source_remove (guard);
}

static guint
count_for (Fixture *fixture, const char *path)
{
  return GPOINTER_TO_UINT (g_hash_table_lookup (fixture->counts, path));
}

static void
paused_message_gone (gpointer data, GObject *where_the_object_was)
{
  Fixture *fixture = data;

  g_ptr_array_remove (fixture->paused, where_the_object_was);
}

static void
respond (SoupServerMessage *msg, guint status, const char *body)
{
  soup_server_message_set_status (msg, status, NULL);
  soup_server_message_set_response (msg, "text/plain", SOUP_MEMORY_COPY, body, strlen (body));
}

static void
drop_connection (SoupServerMessage *msg)
{
  GIOStream *stream = soup_server_message_steal_connection (msg);

  g_io_stream_close (stream, NULL, NULL);
  g_object_unref (stream);
}

static void
server_cb (SoupServer *server,
           SoupServerMessage *msg,
           const char *path,
           GHashTable *query,
           gpointer user_data)
{
  Fixture *fixture = user_data;
  SoupMessageHeaders *request_headers = soup_server_message_get_request_headers (msg);
  SoupMessageHeaders *response_headers = soup_server_message_get_response_headers (msg);
  SoupMessageBody *request_body = soup_server_message_get_request_body (msg);
  guint count = count_for (fixture, path) + 1;

  g_hash_table_replace (fixture->counts, g_strdup (path), GUINT_TO_POINTER (count));

  g_free (fixture->last_user_agent);
  fixture->last_user_agent =
    g_strdup (soup_message_headers_get_one (request_headers, "User-Agent"));
  g_free (fixture->last_authorization);
  fixture->last_authorization =
    g_strdup (soup_message_headers_get_one (request_headers, "Authorization"));
  g_free (fixture->last_custom);
  fixture->last_custom = g_strdup (soup_message_headers_get_one (request_headers, "X-Custom"));
  g_free (fixture->last_content_type);
  fixture->last_content_type =
    g_strdup (soup_message_headers_get_one (request_headers, "Content-Type"));
  g_free (fixture->last_body);
  fixture->last_body = g_strndup (request_body->data, request_body->length);

  if (g_str_equal (path, "/ok"))
    {
      soup_message_headers_append (response_headers, "X-Answer", "forty-two");
      respond (msg, 200, "{\"hello\":\"world\"}");
    }
  else if (g_str_equal (path, "/missing"))
    respond (msg, 404, "not here");
  else if (g_str_equal (path, "/throttle-once"))
    {
      if (count == 1)
        {
          soup_message_headers_append (response_headers, "Retry-After", "0.2");
          respond (msg, 429, "{}");
        }
      else
        respond (msg, 200, "after throttle");
    }
  else if (g_str_equal (path, "/throttle"))
    respond (msg, 429, "{}");
  else if (g_str_equal (path, "/throttle-long"))
    {
      soup_message_headers_append (response_headers, "Retry-After", "30");
      respond (msg, 429, "{}");
    }
  else if (g_str_equal (path, "/unavailable-twice"))
    respond (msg, count <= 2 ? 503 : 200, count <= 2 ? "busy" : "fine now");
  else if (g_str_equal (path, "/unavailable"))
    respond (msg, 503, "busy");
  else if (g_str_equal (path, "/gateway"))
    respond (msg, 504, "gateway timeout");
  else if (g_str_equal (path, "/drop-once"))
    {
      if (count == 1)
        drop_connection (msg);
      else
        respond (msg, 200, "after drop");
    }
  else if (g_str_equal (path, "/drop"))
    drop_connection (msg);
  else if (g_str_equal (path, "/pause"))
    {
      soup_server_message_pause (msg);
      g_ptr_array_add (fixture->paused, msg);
      g_object_weak_ref (G_OBJECT (msg), paused_message_gone, fixture);
    }
  else if (g_str_equal (path, "/big"))
    {
      g_autofree char *big = g_strnfill (4096, 'x');

      respond (msg, 200, big);
    }
  else if (g_str_equal (path, "/big-chunked"))
    {
      SoupMessageBody *body = soup_server_message_get_response_body (msg);

      soup_server_message_set_status (msg, 200, NULL);
      soup_message_headers_set_encoding (response_headers, SOUP_ENCODING_CHUNKED);
      for (guint i = 0; i < 8; i++)
        {
          g_autofree char *chunk = g_strnfill (512, 'y');

          soup_message_body_append (body, SOUP_MEMORY_COPY, chunk, strlen (chunk));
        }
      soup_message_body_complete (body);
    }
  else
    respond (msg, 500, "unknown test path");
}

static SoupServer *
start_server (SoupServer *server, SoupServerListenOptions options, Fixture *fixture, char **url)
{
  g_autoptr (GError) error = NULL;
  GSList *uris;
  g_autofree char *uri_string = NULL;

  soup_server_add_handler (server, NULL, server_cb, fixture, NULL);
  soup_server_listen_local (server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY | options, &error);
  g_assert_no_error (error);

  uris = soup_server_get_uris (server);
  g_assert_nonnull (uris);
  uri_string = g_uri_to_string (uris->data);
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);

  /* "http://127.0.0.1:NNNN/" → without the trailing slash */
  if (g_str_has_suffix (uri_string, "/"))
    uri_string[strlen (uri_string) - 1] = '\0';
  *url = g_steal_pointer (&uri_string);
  return server;
}

static void
fixture_setup (Fixture *fixture, gconstpointer data)
{
  fixture->counts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  fixture->paused = g_ptr_array_new ();
  fixture->server = start_server (soup_server_new (NULL, NULL), 0, fixture, &fixture->base_url);
}

static void
fixture_teardown (Fixture *fixture, gconstpointer data)
{
  while (fixture->paused->len > 0)
    {
      SoupServerMessage *msg = g_ptr_array_steal_index (fixture->paused, 0);

      g_object_weak_unref (G_OBJECT (msg), paused_message_gone, fixture);
      respond (msg, 500, "too late");
      soup_server_message_unpause (msg);
    }
  soup_server_disconnect (fixture->server);
  g_clear_object (&fixture->server);

  /* Let the client side notice the closed connections before the next test. */
  while (g_main_context_iteration (NULL, FALSE))
    ;

  g_clear_pointer (&fixture->counts, g_hash_table_unref);
  g_clear_pointer (&fixture->paused, g_ptr_array_unref);
  g_clear_pointer (&fixture->base_url, g_free);
  g_clear_pointer (&fixture->last_user_agent, g_free);
  g_clear_pointer (&fixture->last_authorization, g_free);
  g_clear_pointer (&fixture->last_custom, g_free);
  g_clear_pointer (&fixture->last_body, g_free);
  g_clear_pointer (&fixture->last_content_type, g_free);
}

static CqvHttpClient *
new_test_client (void)
{
  CqvHttpClient *client = cqv_http_client_new ();
  CqvRetryPolicy policy = {
    .max_attempts = 3, .base_delay_ms = 10, .max_delay_ms = 50, .max_total_ms = 60000
  };

  cqv_http_client_set_retry_policy (client, &policy);
  return client;
}

static void
send_done_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  SendResult *res = user_data;

  res->response = cqv_http_client_send_finish (CQV_HTTP_CLIENT (object), result, &res->error);
  res->finished_us = g_get_monotonic_time ();
  res->done = TRUE;
}

static void
send_and_wait (CqvHttpClient *client,
               CqvHttpRequest *request,
               GCancellable *cancellable,
               SendResult *res)
{
  cqv_http_client_send_async (client, request, cancellable, send_done_cb, res);
  spin_until (&res->done);
  g_assert_true ((res->response == NULL) != (res->error == NULL));
}

static void
send_result_clear (SendResult *res)
{
  g_clear_pointer (&res->response, cqv_http_response_unref);
  g_clear_error (&res->error);
}

static CqvHttpRequest *
request_for (Fixture *fixture, const char *method, const char *path)
{
  g_autofree char *url = g_strconcat (fixture->base_url, path, NULL);

  return cqv_http_request_new (method, url);
}

/* Pure policy functions */

static void
test_backoff (void)
{
  CqvRetryPolicy policy;
  g_autoptr (GRand) rand = g_rand_new_with_seed (42);

  cqv_retry_policy_init_default (&policy);
  g_assert_cmpuint (policy.max_attempts, ==, 5);
  g_assert_cmpuint (policy.base_delay_ms, ==, 500);
  g_assert_cmpuint (policy.max_delay_ms, ==, 30000);
  g_assert_cmpuint (policy.max_total_ms, ==, 60000);

  g_assert_cmpuint (cqv_retry_policy_backoff_ms (&policy, 0, rand), ==, 0);
  g_assert_cmpuint (cqv_retry_policy_backoff_ms (&policy, 1, rand), ==, 0);

  for (guint attempt = 2; attempt <= 40; attempt++)
    {
      guint64 cap = MIN ((guint64) 500 << MIN (attempt - 2, 32), (guint64) 30000);
      guint max_seen = 0;

      for (guint i = 0; i < 200; i++)
        {
          guint ms = cqv_retry_policy_backoff_ms (&policy, attempt, rand);

          g_assert_cmpuint (ms, <=, cap);
          max_seen = MAX (max_seen, ms);
        }
      /* Full jitter spreads over the whole range, so 200 draws come near the cap. */
      g_assert_cmpuint (max_seen, >=, cap / 2);
    }

  /* Without a GRand it still stays within bounds. */
  for (guint i = 0; i < 100; i++)
    g_assert_cmpuint (cqv_retry_policy_backoff_ms (&policy, 3, NULL), <=, 1000);

  policy.base_delay_ms = 0;
  g_assert_cmpuint (cqv_retry_policy_backoff_ms (&policy, 5, rand), ==, 0);
}

static char *
retry_after_from_vector (void)
{
  g_autofree char *path = g_build_filename (
    g_getenv ("CQV_VECTORS") != NULL ? g_getenv ("CQV_VECTORS") : TEST_SRCDIR "/vectors",
    "graph-error-throttled.txt", NULL);
  g_autofree char *contents = NULL;
  g_auto (GStrv) lines = NULL;
  g_autoptr (GError) error = NULL;

  g_file_get_contents (path, &contents, NULL, &error);
  g_assert_no_error (error);

  lines = g_strsplit (contents, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      if (g_ascii_strncasecmp (lines[i], "Retry-After:", strlen ("Retry-After:")) == 0)
        return g_strstrip (g_strdup (lines[i] + strlen ("Retry-After:")));
    }

  g_assert_not_reached ();
  return NULL;
}

static void
test_retry_after (void)
{
  g_autoptr (GDateTime) now = g_date_time_new_utc (2020, 8, 18, 12, 51, 51);
  g_autofree char *from_vector = retry_after_from_vector ();

  g_assert_cmpstr (from_vector, ==, "2.128");
  g_assert_cmpint (cqv_retry_after_parse_ms (from_vector, now), ==, 2128);

  g_assert_cmpint (cqv_retry_after_parse_ms ("2", now), ==, 2000);
  g_assert_cmpint (cqv_retry_after_parse_ms (" 7 ", now), ==, 7000);
  g_assert_cmpint (cqv_retry_after_parse_ms ("0", now), ==, 0);
  g_assert_cmpint (cqv_retry_after_parse_ms ("0.2", now), ==, 200);
  g_assert_cmpint (cqv_retry_after_parse_ms ("0.0001", now), ==, 1);
  g_assert_cmpint (cqv_retry_after_parse_ms ("99999999999", now), ==, 24 * 60 * 60 * 1000);

  g_assert_cmpint (cqv_retry_after_parse_ms (NULL, now), ==, -1);
  g_assert_cmpint (cqv_retry_after_parse_ms ("", now), ==, -1);
  g_assert_cmpint (cqv_retry_after_parse_ms ("soon", now), ==, -1);
  g_assert_cmpint (cqv_retry_after_parse_ms ("-1", now), ==, -1);
  g_assert_cmpint (cqv_retry_after_parse_ms ("1.2.3", now), ==, -1);
  g_assert_cmpint (cqv_retry_after_parse_ms ("2s", now), ==, -1);
  g_assert_cmpint (cqv_retry_after_parse_ms ("1e3", now), ==, -1);

  /* HTTP dates, relative to @now. */
  g_assert_cmpint (cqv_retry_after_parse_ms ("Tue, 18 Aug 2020 12:53:51 GMT", now), ==, 120000);
  g_assert_cmpint (cqv_retry_after_parse_ms ("Tue, 18 Aug 2020 12:00:00 GMT", now), ==, 0);
  g_assert_cmpint (cqv_retry_after_parse_ms ("Tuesday, 32 Aug 2020", now), ==, -1);
}

static void
test_retryable_status (void)
{
  g_assert_true (cqv_http_status_is_retryable (429));
  g_assert_true (cqv_http_status_is_retryable (503));
  g_assert_true (cqv_http_status_is_retryable (504));
  g_assert_false (cqv_http_status_is_retryable (200));
  g_assert_false (cqv_http_status_is_retryable (400));
  g_assert_false (cqv_http_status_is_retryable (401));
  g_assert_false (cqv_http_status_is_retryable (404));
  g_assert_false (cqv_http_status_is_retryable (500));
  g_assert_false (cqv_http_status_is_retryable (502));
}

static void
test_request_boxed (void)
{
  g_autoptr (CqvHttpRequest) request = cqv_http_request_new ("GET", "https://example.com/x");
  CqvHttpRequest *copy = g_boxed_copy (CQV_TYPE_HTTP_REQUEST, request);

  g_assert_true (copy == request);
  g_assert_cmpstr (cqv_http_request_get_method (copy), ==, "GET");
  g_assert_cmpstr (cqv_http_request_get_url (copy), ==, "https://example.com/x");
  g_boxed_free (CQV_TYPE_HTTP_REQUEST, copy);
}

/* Against the loopback server */

static void
test_ok (Fixture *fixture, gconstpointer data)
{
  g_autoptr (CqvHttpClient) client = new_test_client ();
  g_autoptr (CqvHttpRequest) request = request_for (fixture, "GET", "/ok");
  SendResult res = { 0 };
  gsize size;
  const char *body;

  cqv_http_request_add_header (request, "X-Custom", "custom value");
  cqv_http_request_set_bearer (request, BEARER_TOKEN);
  send_and_wait (client, request, NULL, &res);

  g_assert_no_error (res.error);
  g_assert_cmpuint (cqv_http_response_get_status (res.response), ==, 200);
  g_assert_cmpuint (cqv_http_response_get_attempts (res.response), ==, 1);
  g_assert_cmpstr (cqv_http_response_get_header (res.response, "x-answer"), ==, "forty-two");
  g_assert_null (cqv_http_response_get_header (res.response, "X-Not-There"));
  body = g_bytes_get_data (cqv_http_response_get_body (res.response), &size);
  g_assert_cmpmem (body, size, "{\"hello\":\"world\"}", strlen ("{\"hello\":\"world\"}"));

  g_assert_cmpstr (fixture->last_user_agent, ==, "CyberQP-Verify/" PACKAGE_VERSION);
  g_assert_cmpstr (fixture->last_authorization, ==, "Bearer " BEARER_TOKEN);
  g_assert_cmpstr (fixture->last_custom, ==, "custom value");
  g_assert_cmpuint (count_for (fixture, "/ok"), ==, 1);
  send_result_clear (&res);
}

static void
test_bodies (Fixture *fixture, gconstpointer data)
{
  g_autoptr (CqvHttpClient) client = new_test_client ();
  g_autoptr (CqvHttpRequest) json = request_for (fixture, "POST", "/ok");
  g_autoptr (CqvHttpRequest) form = request_for (fixture, "POST", "/ok");
  g_autoptr (GBytes) json_body = g_bytes_new_static ("{\"appId\":\"x\"}", 13);
  g_autoptr (GHashTable) decoded = NULL;
  SendResult res = { 0 };

  cqv_http_request_set_body (json, "application/json", json_body);
  send_and_wait (client, json, NULL, &res);
  g_assert_no_error (res.error);
  g_assert_cmpstr (fixture->last_content_type, ==, "application/json");
  g_assert_cmpstr (fixture->last_body, ==, "{\"appId\":\"x\"}");
  send_result_clear (&res);

  cqv_http_request_set_form (form, "grant_type", "client_credentials", "client_secret",
                             "a&b=c d+é%", "scope", "https://graph.microsoft.com/.default", NULL);
  res = (SendResult){ 0 };
  send_and_wait (client, form, NULL, &res);
  g_assert_no_error (res.error);
  g_assert_cmpstr (fixture->last_content_type, ==, "application/x-www-form-urlencoded");
  decoded = soup_form_decode (fixture->last_body);
  g_assert_cmpuint (g_hash_table_size (decoded), ==, 3);
  g_assert_cmpstr (g_hash_table_lookup (decoded, "grant_type"), ==, "client_credentials");
  g_assert_cmpstr (g_hash_table_lookup (decoded, "client_secret"), ==, "a&b=c d+é%");
  g_assert_cmpstr (g_hash_table_lookup (decoded, "scope"), ==,
                   "https://graph.microsoft.com/.default");
  send_result_clear (&res);
}

static void
test_not_found_is_response (Fixture *fixture, gconstpointer data)
{
  g_autoptr (CqvHttpClient) client = new_test_client ();
  g_autoptr (CqvHttpRequest) request = request_for (fixture, "GET", "/missing");
  SendResult res = { 0 };

  send_and_wait (client, request, NULL, &res);
  g_assert_no_error (res.error);
  g_assert_cmpuint (cqv_http_response_get_status (res.response), ==, 404);
  g_assert_cmpuint (cqv_http_response_get_attempts (res.response), ==, 1);
  g_assert_cmpuint (count_for (fixture, "/missing"), ==, 1);
  send_result_clear (&res);
}

static void
test_throttle_retry_after (Fixture *fixture, gconstpointer data)
{
  g_autoptr (CqvHttpClient) client = new_test_client ();
  g_autoptr (CqvHttpRequest) request = request_for (fixture, "GET", "/throttle-once");
  SendResult res = { 0 };
  gint64 start = g_get_monotonic_time ();

  send_and_wait (client, request, NULL, &res);
  g_assert_no_error (res.error);
  g_assert_cmpuint (cqv_http_response_get_status (res.response), ==, 200);
  g_assert_cmpuint (cqv_http_response_get_attempts (res.response), ==, 2);
  g_assert_cmpuint (count_for (fixture, "/throttle-once"), ==, 2);
  /* Retry-After: 0.2 is honoured even though the policy's delays are 10–50 ms. */
  g_assert_cmpint (res.finished_us - start, >=, 200 * 1000);
  send_result_clear (&res);
}

static void
test_throttle_exhausted (Fixture *fixture, gconstpointer data)
{
  g_autoptr (CqvHttpClient) client = new_test_client ();
  g_autoptr (CqvHttpRequest) request = request_for (fixture, "GET", "/throttle");
  SendResult res = { 0 };

  send_and_wait (client, request, NULL, &res);
  g_assert_error (res.error, CQV_HTTP_ERROR, CQV_HTTP_ERROR_THROTTLED);
  g_assert_cmpuint (count_for (fixture, "/throttle"), ==, 3);
  send_result_clear (&res);
}

static void
test_throttle_beyond_deadline (Fixture *fixture, gconstpointer data)
{
  g_autoptr (CqvHttpClient) client = new_test_client ();
  g_autoptr (CqvHttpRequest) request = request_for (fixture, "GET", "/throttle-long");
  SendResult res = { 0 };
  gint64 start = g_get_monotonic_time ();

  /* Retry-After: 30 does not fit in a 5 s deadline: give up at once and say when. */
  cqv_http_request_set_timeout (request, 5);
  send_and_wait (client, request, NULL, &res);
  g_assert_error (res.error, CQV_HTTP_ERROR, CQV_HTTP_ERROR_THROTTLED);
  g_assert_nonnull (strstr (res.error->message, "30 seconds"));
  g_assert_cmpuint (count_for (fixture, "/throttle-long"), ==, 1);
  g_assert_cmpint (res.finished_us - start, <, 4 * G_USEC_PER_SEC);
  send_result_clear (&res);
}

static void
test_unavailable_then_ok (Fixture *fixture, gconstpointer data)
{
  g_autoptr (CqvHttpClient) client = new_test_client ();
  g_autoptr (CqvHttpRequest) request = request_for (fixture, "POST", "/unavailable-twice");
  g_autoptr (GBytes) body = g_bytes_new_static ("{}", 2);
  SendResult res = { 0 };

  cqv_http_request_set_body (request, "application/json", body);
  send_and_wait (client, request, NULL, &res);
  g_assert_no_error (res.error);
  g_assert_cmpuint (cqv_http_response_get_status (res.response), ==, 200);
  g_assert_cmpuint (cqv_http_response_get_attempts (res.response), ==, 3);
  g_assert_cmpuint (count_for (fixture, "/unavailable-twice"), ==, 3);
  /* Every attempt carried the body again. */
  g_assert_cmpstr (fixture->last_body, ==, "{}");
  send_result_clear (&res);
}

static void
test_gateway_exhausted (Fixture *fixture, gconstpointer data)
{
  g_autoptr (CqvHttpClient) client = new_test_client ();
  g_autoptr (CqvHttpRequest) request = request_for (fixture, "GET", "/gateway");
  SendResult res = { 0 };

  send_and_wait (client, request, NULL, &res);
  g_assert_error (res.error, CQV_HTTP_ERROR, CQV_HTTP_ERROR_UNAVAILABLE);
  g_assert_cmpuint (count_for (fixture, "/gateway"), ==, 3);
  send_result_clear (&res);
}

static void
test_dropped_then_ok (Fixture *fixture, gconstpointer data)
{
  g_autoptr (CqvHttpClient) client = new_test_client ();
  g_autoptr (CqvHttpRequest) request = request_for (fixture, "POST", "/drop-once");
  g_autoptr (GBytes) body = g_bytes_new_static ("{}", 2);
  SendResult res = { 0 };

  cqv_http_request_set_body (request, "application/json", body);
  send_and_wait (client, request, NULL, &res);
  g_assert_no_error (res.error);
  g_assert_cmpuint (cqv_http_response_get_status (res.response), ==, 200);
  g_assert_cmpuint (cqv_http_response_get_attempts (res.response), ==, 2);
  g_assert_cmpuint (count_for (fixture, "/drop-once"), ==, 2);
  send_result_clear (&res);
}

static void
test_dropped_exhausted (Fixture *fixture, gconstpointer data)
{
  g_autoptr (CqvHttpClient) client = new_test_client ();
  g_autoptr (CqvHttpRequest) request = request_for (fixture, "GET", "/drop");
  SendResult res = { 0 };

  send_and_wait (client, request, NULL, &res);
  g_assert_error (res.error, CQV_HTTP_ERROR, CQV_HTTP_ERROR_NETWORK);
  g_assert_cmpuint (count_for (fixture, "/drop"), ==, 3);
  send_result_clear (&res);
}

static void
test_no_retry_unavailable (Fixture *fixture, gconstpointer data)
{
  g_autoptr (CqvHttpClient) client = new_test_client ();
  g_autoptr (CqvHttpRequest) request = request_for (fixture, "POST", "/unavailable");
  g_autoptr (GBytes) body = g_bytes_new_static ("<push/>", 7);
  SendResult res = { 0 };

  cqv_http_request_set_body (request, "application/xml", body);
  cqv_http_request_set_retry (request, FALSE);
  send_and_wait (client, request, NULL, &res);
  g_assert_error (res.error, CQV_HTTP_ERROR, CQV_HTTP_ERROR_UNAVAILABLE);
  g_assert_cmpuint (count_for (fixture, "/unavailable"), ==, 1);
  send_result_clear (&res);

  /* Also a GET, which libsoup itself might resend on a reused connection. */
  g_clear_pointer (&request, cqv_http_request_unref);
  request = request_for (fixture, "GET", "/throttle");
  cqv_http_request_set_retry (request, FALSE);
  res = (SendResult){ 0 };
  send_and_wait (client, request, NULL, &res);
  g_assert_error (res.error, CQV_HTTP_ERROR, CQV_HTTP_ERROR_THROTTLED);
  g_assert_cmpuint (count_for (fixture, "/throttle"), ==, 1);
  send_result_clear (&res);
}

static void
test_no_retry_dropped (Fixture *fixture, gconstpointer data)
{
  g_autoptr (CqvHttpClient) client = new_test_client ();
  g_autoptr (CqvHttpRequest) warm = request_for (fixture, "GET", "/ok");
  g_autoptr (CqvHttpRequest) request = NULL;
  SendResult res = { 0 };

  /* Warm up a keep-alive connection first, so a reused one is on offer. */
  send_and_wait (client, warm, NULL, &res);
  g_assert_no_error (res.error);
  send_result_clear (&res);

  for (guint i = 0; i < 2; i++)
    {
      const char *method = i == 0 ? "POST" : "GET";

      g_clear_pointer (&request, cqv_http_request_unref);
      g_hash_table_remove (fixture->counts, "/drop");
      request = request_for (fixture, method, "/drop");
      cqv_http_request_set_retry (request, FALSE);
      res = (SendResult){ 0 };
      send_and_wait (client, request, NULL, &res);
      g_assert_error (res.error, CQV_HTTP_ERROR, CQV_HTTP_ERROR_NETWORK);
      /* It went out: the caller must not assume the server did nothing. */
      g_assert_nonnull (strstr (res.error->message, "after the request was sent"));
      g_assert_cmpuint (count_for (fixture, "/drop"), ==, 1);
      send_result_clear (&res);
    }
}

static void
test_connection_refused (Fixture *fixture, gconstpointer data)
{
  g_autoptr (CqvHttpClient) client = new_test_client ();
  g_autoptr (CqvHttpRequest) request = NULL;
  g_autofree char *url = g_strconcat (fixture->base_url, "/ok", NULL);
  SendResult res = { 0 };

  /* Nothing listens on the port any more. */
  soup_server_disconnect (fixture->server);
  request = cqv_http_request_new ("GET", url);
  send_and_wait (client, request, NULL, &res);
  g_assert_error (res.error, CQV_HTTP_ERROR, CQV_HTTP_ERROR_NETWORK);
  g_assert_nonnull (strstr (res.error->message, "Could not reach 127.0.0.1"));
  g_assert_cmpuint (count_for (fixture, "/ok"), ==, 0);
  send_result_clear (&res);
}

static void
test_timeout (Fixture *fixture, gconstpointer data)
{
  g_autoptr (CqvHttpClient) client = new_test_client ();
  g_autoptr (CqvHttpRequest) request = request_for (fixture, "GET", "/pause");
  SendResult res = { 0 };
  gint64 start = g_get_monotonic_time ();

  cqv_http_request_set_timeout (request, 1);
  send_and_wait (client, request, NULL, &res);
  g_assert_error (res.error, CQV_HTTP_ERROR, CQV_HTTP_ERROR_TIMEOUT);
  g_assert_cmpint (res.finished_us - start, >=, 1 * G_USEC_PER_SEC);
  g_assert_cmpint (res.finished_us - start, <, 5 * G_USEC_PER_SEC);
  g_assert_cmpuint (count_for (fixture, "/pause"), ==, 1);
  send_result_clear (&res);
}

static gboolean
cancel_cb (gpointer user_data)
{
  g_cancellable_cancel (G_CANCELLABLE (user_data));
  return G_SOURCE_REMOVE;
}

static void
test_cancel_during_wait (Fixture *fixture, gconstpointer data)
{
  g_autoptr (CqvHttpClient) client = new_test_client ();
  g_autoptr (CqvHttpRequest) request = request_for (fixture, "GET", "/throttle-long");
  g_autoptr (GCancellable) cancellable = g_cancellable_new ();
  SendResult res = { 0 };
  gint64 cancelled_at;

  /* The server says Retry-After: 30; we cancel while the client waits for it. */
  cqv_http_request_set_timeout (request, 60);
  cqv_http_client_send_async (client, request, cancellable, send_done_cb, &res);
  while (count_for (fixture, "/throttle-long") == 0)
    g_main_context_iteration (NULL, TRUE);
  g_timeout_add (100, cancel_cb, cancellable);
  while (!g_cancellable_is_cancelled (cancellable))
    g_main_context_iteration (NULL, TRUE);
  cancelled_at = g_get_monotonic_time ();
  spin_until (&res.done);

  g_assert_error (res.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpint (res.finished_us - cancelled_at, <, G_USEC_PER_SEC);
  g_assert_cmpuint (count_for (fixture, "/throttle-long"), ==, 1);
  send_result_clear (&res);
}

static void
test_cancel_in_flight (Fixture *fixture, gconstpointer data)
{
  g_autoptr (CqvHttpClient) client = new_test_client ();
  g_autoptr (CqvHttpRequest) request = request_for (fixture, "GET", "/pause");
  g_autoptr (GCancellable) cancellable = g_cancellable_new ();
  g_autoptr (GCancellable) already = g_cancellable_new ();
  SendResult res = { 0 };

  cqv_http_client_send_async (client, request, cancellable, send_done_cb, &res);
  while (count_for (fixture, "/pause") == 0)
    g_main_context_iteration (NULL, TRUE);
  g_cancellable_cancel (cancellable);
  spin_until (&res.done);
  g_assert_error (res.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  send_result_clear (&res);

  /* Cancelled before it starts: nothing is sent. */
  g_cancellable_cancel (already);
  res = (SendResult){ 0 };
  send_and_wait (client, request, already, &res);
  g_assert_error (res.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpuint (count_for (fixture, "/pause"), ==, 1);
  send_result_clear (&res);
}

static void
test_insecure_and_invalid (void)
{
  g_autoptr (CqvHttpClient) client = new_test_client ();
  const char *invalid[] = { "not a url", "ftp://example.com/", "https://", "" };
  SendResult res = { 0 };
  g_autoptr (CqvHttpRequest) insecure = cqv_http_request_new ("GET", "http://example.com/users");

  /* Refused before any lookup or connection: there is no network in the tests anyway. */
  send_and_wait (client, insecure, NULL, &res);
  g_assert_error (res.error, CQV_HTTP_ERROR, CQV_HTTP_ERROR_INSECURE);
  send_result_clear (&res);

  for (guint i = 0; i < G_N_ELEMENTS (invalid); i++)
    {
      g_autoptr (CqvHttpRequest) request = cqv_http_request_new ("GET", invalid[i]);

      res = (SendResult){ 0 };
      send_and_wait (client, request, NULL, &res);
      g_assert_error (res.error, CQV_HTTP_ERROR, CQV_HTTP_ERROR_INVALID_URL);
      send_result_clear (&res);
    }
}

static void
test_too_large (Fixture *fixture, gconstpointer data)
{
  g_autoptr (CqvHttpClient) client = new_test_client ();
  const char *paths[] = { "/big", "/big-chunked" };

  cqv_http_client_set_max_body_size (client, 1024);

  for (guint i = 0; i < G_N_ELEMENTS (paths); i++)
    {
      g_autoptr (CqvHttpRequest) request = request_for (fixture, "GET", paths[i]);
      SendResult res = { 0 };

      send_and_wait (client, request, NULL, &res);
      g_assert_error (res.error, CQV_HTTP_ERROR, CQV_HTTP_ERROR_TOO_LARGE);
      g_assert_cmpuint (count_for (fixture, paths[i]), ==, 1);
      send_result_clear (&res);
    }

  /* Under the limit it is fine. */
  {
    g_autoptr (CqvHttpRequest) request = request_for (fixture, "GET", "/big");
    SendResult res = { 0 };

    cqv_http_client_set_max_body_size (client, 4096);
    send_and_wait (client, request, NULL, &res);
    g_assert_no_error (res.error);
    g_assert_cmpuint (g_bytes_get_size (cqv_http_response_get_body (res.response)), ==, 4096);
    send_result_clear (&res);
  }
}

static void
test_secrets_not_logged (Fixture *fixture, gconstpointer data)
{
  g_autoptr (CqvHttpClient) client = new_test_client ();
  const char *paths[] = { "/ok", "/throttle-once", "/unavailable-twice", "/drop-once", "/missing" };

  g_string_truncate (captured_logs, 0);

  for (guint i = 0; i < G_N_ELEMENTS (paths); i++)
    {
      g_autoptr (CqvHttpRequest) request = request_for (fixture, "POST", paths[i]);
      SendResult res = { 0 };

      cqv_http_request_set_bearer (request, BEARER_TOKEN);
      cqv_http_request_set_form (request, "client_secret", FORM_SECRET, NULL);
      send_and_wait (client, request, NULL, &res);
      g_assert_no_error (res.error);
      send_result_clear (&res);
    }

  /* The capture works (the client does log each request)… */
  g_assert_nonnull (strstr (captured_logs->str, "/throttle-once"));
  /* …and neither the token nor the form secret is in it. */
  g_assert_null (strstr (captured_logs->str, BEARER_TOKEN));
  g_assert_null (strstr (captured_logs->str, FORM_SECRET));
}

static gboolean
make_certificate (const char *dir, char **cert_path, char **key_path)
{
  g_autofree char *openssl = g_find_program_in_path ("openssl");
  g_autofree char *cert = g_build_filename (dir, "cert.pem", NULL);
  g_autofree char *key = g_build_filename (dir, "key.pem", NULL);
  const char *argv[] = { NULL,       "req",
                         "-x509",    "-newkey",
                         "rsa:2048", "-nodes",
                         "-days",    "1",
                         "-subj",    "/CN=127.0.0.1",
                         "-addext",  "subjectAltName=IP:127.0.0.1,DNS:localhost",
                         "-keyout",  NULL,
                         "-out",     NULL,
                         NULL };
  g_autoptr (GError) error = NULL;
  int status = 0;

  if (openssl == NULL)
    return FALSE;

  argv[0] = openssl;
  argv[13] = key;
  argv[15] = cert;
  g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_STDOUT_TO_DEV_NULL | G_SPAWN_STDERR_TO_DEV_NULL,
                NULL, NULL, NULL, NULL, &status, &error);
  g_assert_no_error (error);
  g_assert_true (g_spawn_check_wait_status (status, NULL));

  *cert_path = g_steal_pointer (&cert);
  *key_path = g_steal_pointer (&key);
  return TRUE;
}

static void
test_tls (Fixture *fixture, gconstpointer data)
{
  g_autofree char *dir = NULL;
  g_autofree char *cert_path = NULL;
  g_autofree char *key_path = NULL;
  g_autofree char *https_url = NULL;
  g_autofree char *url = NULL;
  g_autoptr (GTlsCertificate) certificate = NULL;
  g_autoptr (GTlsDatabase) database = NULL;
  g_autoptr (SoupServer) server = NULL;
  g_autoptr (CqvHttpClient) strict = new_test_client ();
  g_autoptr (CqvHttpClient) trusting = new_test_client ();
  g_autoptr (CqvHttpRequest) request = NULL;
  g_autoptr (GError) error = NULL;
  SendResult res = { 0 };

  if (!g_tls_backend_supports_tls (g_tls_backend_get_default ()))
    {
      g_test_skip ("No TLS backend (glib-networking) installed");
      return;
    }

  dir = g_dir_make_tmp ("cqv-tls-XXXXXX", &error);
  g_assert_no_error (error);
  if (!make_certificate (dir, &cert_path, &key_path))
    {
      g_test_skip ("openssl is not installed");
      g_rmdir (dir);
      return;
    }

  certificate = g_tls_certificate_new_from_files (cert_path, key_path, &error);
  g_assert_no_error (error);
  server = start_server (soup_server_new ("tls-certificate", certificate, NULL),
                         SOUP_SERVER_LISTEN_HTTPS, fixture, &https_url);
  url = g_strconcat (https_url, "/ok", NULL);
  g_assert_true (g_str_has_prefix (url, "https://127.0.0.1:"));
  request = cqv_http_request_new ("GET", url);

  send_and_wait (strict, request, NULL, &res);
  g_assert_error (res.error, CQV_HTTP_ERROR, CQV_HTTP_ERROR_TLS);
  g_assert_nonnull (strstr (res.error->message, "127.0.0.1"));
  g_assert_cmpuint (count_for (fixture, "/ok"), ==, 0);
  send_result_clear (&res);

  database = g_tls_file_database_new (cert_path, &error);
  g_assert_no_error (error);
  cqv_http_client_set_tls_database (trusting, database);
  res = (SendResult){ 0 };
  send_and_wait (trusting, request, NULL, &res);
  g_assert_no_error (res.error);
  g_assert_cmpuint (cqv_http_response_get_status (res.response), ==, 200);
  g_assert_cmpuint (count_for (fixture, "/ok"), ==, 1);
  send_result_clear (&res);

  soup_server_disconnect (server);
  g_unlink (cert_path);
  g_unlink (key_path);
  g_rmdir (dir);
}

static void
test_client_finalizes (void)
{
  CqvHttpClient *client = cqv_http_client_new ();

  g_assert_finalize_object (client);
}

#define ADD(name, func) \
  g_test_add ("/cqv/http-client/" name, Fixture, NULL, fixture_setup, func, fixture_teardown)

int
main (int argc, char *argv[])
{
  g_setenv ("G_MESSAGES_DEBUG", "all", TRUE);
  captured_logs = g_string_new (NULL);
  g_log_set_writer_func (capture_writer, NULL, NULL);

  g_test_init (&argc, &argv, NULL);
  g_log_set_default_handler (capture_handler, NULL);

  g_test_add_func ("/cqv/http-client/policy/backoff", test_backoff);
  g_test_add_func ("/cqv/http-client/policy/retry-after", test_retry_after);
  g_test_add_func ("/cqv/http-client/policy/retryable-status", test_retryable_status);
  g_test_add_func ("/cqv/http-client/request-boxed", test_request_boxed);
  g_test_add_func ("/cqv/http-client/finalize", test_client_finalizes);
  g_test_add_func ("/cqv/http-client/insecure-and-invalid", test_insecure_and_invalid);
  ADD ("ok", test_ok);
  ADD ("bodies", test_bodies);
  ADD ("not-found-is-response", test_not_found_is_response);
  ADD ("throttle-retry-after", test_throttle_retry_after);
  ADD ("throttle-exhausted", test_throttle_exhausted);
  ADD ("throttle-beyond-deadline", test_throttle_beyond_deadline);
  ADD ("unavailable-then-ok", test_unavailable_then_ok);
  ADD ("gateway-exhausted", test_gateway_exhausted);
  ADD ("dropped-then-ok", test_dropped_then_ok);
  ADD ("dropped-exhausted", test_dropped_exhausted);
  ADD ("no-retry-unavailable", test_no_retry_unavailable);
  ADD ("no-retry-dropped", test_no_retry_dropped);
  ADD ("connection-refused", test_connection_refused);
  ADD ("timeout", test_timeout);
  ADD ("cancel-during-wait", test_cancel_during_wait);
  ADD ("cancel-in-flight", test_cancel_in_flight);
  ADD ("too-large", test_too_large);
  ADD ("secrets-not-logged", test_secrets_not_logged);
  ADD ("tls", test_tls);

  return g_test_run ();
}
