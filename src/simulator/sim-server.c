/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cqv-simulator"

#include "config.h"

#include <string.h>

#include "sim-server-private.h"

G_DEFINE_FINAL_TYPE (SimServer, sim_server, G_TYPE_OBJECT)

enum
{
  PUSHES_CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* ---- small helpers ---------------------------------------------------- */

guint
sim_server_scale_ms (SimServer *self, double seconds)
{
  double ms = seconds * 1000.0 * self->time_scale;

  return ms <= 0 ? 0 : ms >= G_MAXUINT / 2 ? G_MAXUINT / 2 : (guint) ms;
}

gint64
sim_server_scale_us (SimServer *self, double seconds)
{
  return (gint64) (seconds * G_USEC_PER_SEC * self->time_scale);
}

char *
sim_format_date_time (GDateTime *dt)
{
  g_autoptr (GDateTime) utc = g_date_time_to_utc (dt);
  g_autofree char *base = g_date_time_format (utc, "%Y-%m-%dT%H:%M:%S.%f");

  /* Graph writes seven fractional digits. */
  return g_strconcat (base, "0Z", NULL);
}

char *
sim_format_now (void)
{
  g_autoptr (GDateTime) now = g_date_time_new_now_utc ();

  return sim_format_date_time (now);
}

char *
sim_random_secret (guint length)
{
  static const char chars[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
                              "0123456789~._-";
  char *secret = g_malloc (length + 1);

  for (guint i = 0; i < length; i++)
    secret[i] = chars[g_random_int_range (0, sizeof chars - 1)];
  secret[length] = '\0';
  return secret;
}

void
sim_json_append_string (GString *out, const char *str)
{
  const char *p;

  if (str == NULL)
    {
      g_string_append (out, "null");
      return;
    }
  g_string_append_c (out, '"');
  for (p = str; *p;)
    {
      const char *run = p;
      guchar c;

      /* Plain characters go in as one run: the simulator writes 100 000 users a load. */
      while (*p && *p != '"' && *p != '\\' && (guchar) *p >= 0x20)
        p++;
      g_string_append_len (out, run, p - run);
      if (*p == '\0')
        break;
      c = *p++;
      if (c == '"' || c == '\\')
        {
          g_string_append_c (out, '\\');
          g_string_append_c (out, c);
        }
      else
        g_string_append_printf (out, "\\u%04x", c);
    }
  g_string_append_c (out, '"');
}

static void
log_entry_free (SimLogEntry *entry)
{
  g_free (entry->method);
  g_free (entry->path);
  g_free (entry);
}

static int
log_request (SimServer *self, SimRequest *req, gboolean in_batch)
{
  SimLogEntry *entry = g_new0 (SimLogEntry, 1);

  entry->method = g_strdup (req->method);
  entry->path = req->query ? g_strconcat (req->path, "?", req->query, NULL) : g_strdup (req->path);
  entry->in_batch = in_batch;
  req->log_generation = self->log_generation;
  g_ptr_array_add (self->log, entry);
  return self->log->len - 1;
}

/* ---- requests --------------------------------------------------------- */

static void
msg_gone_cb (SoupServerMessage *msg, SimRequest *req)
{
  req->gone = TRUE;
}

static gboolean
request_parse_target (SimRequest *req, const char *path, const char *query)
{
  g_auto (GStrv) parts = g_strsplit (path, "/", -1);
  g_autoptr (GStrvBuilder) builder = g_strv_builder_new ();

  req->path = g_strdup (path);
  req->query = query && *query ? g_strdup (query) : NULL;
  for (guint i = 0; parts[i]; i++)
    {
      g_autofree char *segment = NULL;

      if (parts[i][0] == '\0')
        continue;
      segment = g_uri_unescape_string (parts[i], NULL);
      if (segment == NULL)
        return FALSE;
      g_strv_builder_add (builder, segment);
    }
  req->segments = g_strv_builder_end (builder);
  if (req->query != NULL)
    req->params = g_uri_parse_params (req->query, -1, "&", G_URI_PARAMS_WWW_FORM, NULL);
  else
    req->params = g_hash_table_new (g_str_hash, g_str_equal);
  return req->params != NULL;
}

static SimRequest *
request_new (SimServer *server)
{
  SimRequest *req = g_new0 (SimRequest, 1);

  g_atomic_ref_count_init (&req->ref_count);
  req->server = server;
  req->response_headers = soup_message_headers_new (SOUP_MESSAGE_HEADERS_RESPONSE);
  req->log_index = -1;
  return req;
}

static SimRequest *
request_new_from_message (SimServer *self, SoupServerMessage *msg, gboolean *valid)
{
  SimRequest *req = request_new (self);
  GUri *uri = soup_server_message_get_uri (msg);

  req->msg = g_object_ref (msg);
  g_signal_connect (msg, "disconnected", G_CALLBACK (msg_gone_cb), req);
  req->method = g_strdup (soup_server_message_get_method (msg));
  req->headers = soup_message_headers_ref (soup_server_message_get_request_headers (msg));
  req->body = soup_message_body_flatten (soup_server_message_get_request_body (msg));
  *valid = request_parse_target (req, g_uri_get_path (uri), g_uri_get_query (uri));
  req->log_index = log_request (self, req, FALSE);
  return req;
}

SimRequest *
sim_request_new_sub (SimServer *server,
                     const char *method,
                     const char *url,
                     SoupMessageHeaders *headers,
                     GBytes *body)
{
  SimRequest *req = request_new (server);
  g_autofree char *path = NULL;
  const char *question = strchr (url, '?');
  const char *query = question ? question + 1 : NULL;
  g_autofree char *rel = question ? g_strndup (url, question - url) : g_strdup (url);

  /* $batch urls are relative to the version root: "/users/x" or "users". */
  path = g_strconcat ("/v1.0", rel[0] == '/' ? "" : "/", rel, NULL);
  req->method = g_ascii_strup (method, -1);
  req->headers = soup_message_headers_ref (headers);
  req->body = body ? g_bytes_ref (body) : g_bytes_new (NULL, 0);
  if (!request_parse_target (req, path, query))
    sim_request_respond_graph_error (req, 400, "BadRequest", "Invalid request URL.");
  req->log_index = log_request (server, req, TRUE);
  return req;
}

SimRequest *
sim_request_ref (SimRequest *req)
{
  g_atomic_ref_count_inc (&req->ref_count);
  return req;
}

void
sim_request_unref (SimRequest *req)
{
  if (!g_atomic_ref_count_dec (&req->ref_count))
    return;
  if (req->msg != NULL)
    {
      g_signal_handlers_disconnect_by_data (req->msg, req);
      g_object_unref (req->msg);
    }
  g_free (req->method);
  g_free (req->path);
  g_free (req->query);
  g_strfreev (req->segments);
  g_clear_pointer (&req->params, g_hash_table_unref);
  g_clear_pointer (&req->headers, soup_message_headers_unref);
  g_clear_pointer (&req->body, g_bytes_unref);
  g_free (req->content_type);
  g_clear_pointer (&req->response, g_bytes_unref);
  g_clear_pointer (&req->response_headers, soup_message_headers_unref);
  g_free (req);
}

const char *
sim_request_param (SimRequest *req, const char *name)
{
  return req->params ? g_hash_table_lookup (req->params, name) : NULL;
}

const char *
sim_request_header (SimRequest *req, const char *name)
{
  return req->headers ? soup_message_headers_get_one (req->headers, name) : NULL;
}

guint
sim_request_n_segments (SimRequest *req)
{
  return req->segments ? g_strv_length (req->segments) : 0;
}

const char *
sim_request_segment (SimRequest *req, guint i)
{
  return i < sim_request_n_segments (req) ? req->segments[i] : NULL;
}

void
sim_request_set_header (SimRequest *req, const char *name, const char *value)
{
  soup_message_headers_replace (req->response_headers, name, value);
}

void
sim_request_respond (SimRequest *req,
                     guint status,
                     const char *content_type,
                     const char *body,
                     gssize length)
{
  if (length < 0)
    length = body ? strlen (body) : 0;
  req->status = status;
  g_free (req->content_type);
  req->content_type = g_strdup (content_type);
  g_clear_pointer (&req->response, g_bytes_unref);
  req->response = g_bytes_new (body, length);
  req->responded = TRUE;
}

void
sim_request_respond_json (SimRequest *req, guint status, JsonNode *node)
{
  g_autoptr (JsonGenerator) gen = json_generator_new ();
  gsize length;
  g_autofree char *data = NULL;

  json_generator_set_root (gen, node);
  data = json_generator_to_data (gen, &length);
  sim_request_respond (req, status, "application/json", data, length);
}

void
sim_request_respond_builder (SimRequest *req, guint status, JsonBuilder *builder)
{
  g_autoptr (JsonNode) node = json_builder_get_root (builder);

  sim_request_respond_json (req, status, node);
}

static void
add_inner_error (JsonBuilder *b, SimRequest *req)
{
  g_autoptr (GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *date = g_date_time_format (now, "%Y-%m-%dT%H:%M:%S");
  g_autofree char *request_id = sim_guid_random ();
  const char *client_id = sim_request_header (req, "client-request-id");
  g_autofree char *fallback = client_id ? NULL : sim_guid_random ();

  json_builder_set_member_name (b, "innerError");
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "date");
  json_builder_add_string_value (b, date);
  json_builder_set_member_name (b, "request-id");
  json_builder_add_string_value (b, request_id);
  json_builder_set_member_name (b, "client-request-id");
  json_builder_add_string_value (b, client_id ? client_id : fallback);
  json_builder_end_object (b);
}

void
sim_request_respond_graph_error (SimRequest *req,
                                 guint status,
                                 const char *code,
                                 const char *message)
{
  g_autoptr (JsonBuilder) b = json_builder_new ();

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "error");
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "code");
  json_builder_add_string_value (b, code);
  json_builder_set_member_name (b, "message");
  json_builder_add_string_value (b, message);
  add_inner_error (b, req);
  json_builder_end_object (b);
  json_builder_end_object (b);
  sim_request_respond_builder (req, status, b);
}

static void
respond_throttled (SimRequest *req, const char *retry_after)
{
  g_autoptr (JsonBuilder) b = json_builder_new ();
  g_autoptr (GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *date = g_date_time_format (now, "%Y-%m-%dT%H:%M:%S");
  g_autofree char *request_id = sim_guid_random ();

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "error");
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "code");
  json_builder_add_string_value (b, "TooManyRequests");
  json_builder_set_member_name (b, "innerError");
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "code");
  json_builder_add_string_value (b, "429");
  json_builder_set_member_name (b, "date");
  json_builder_add_string_value (b, date);
  json_builder_set_member_name (b, "message");
  json_builder_add_string_value (b, "Please retry after");
  json_builder_set_member_name (b, "request-id");
  json_builder_add_string_value (b, request_id);
  json_builder_set_member_name (b, "status");
  json_builder_add_string_value (b, "429");
  json_builder_end_object (b);
  json_builder_set_member_name (b, "message");
  json_builder_add_string_value (b, "Please retry again later.");
  json_builder_end_object (b);
  json_builder_end_object (b);
  sim_request_respond_builder (req, 429, b);
  sim_request_set_header (req, "Retry-After", retry_after);
}

void
sim_request_pause (SimRequest *req)
{
  if (req->msg != NULL && !req->paused)
    {
      soup_server_message_pause (req->msg);
      req->paused = TRUE;
    }
}

static gboolean
delayed_finish_cb (gpointer data)
{
  SimRequest *req = data;

  sim_request_finish (req);
  sim_request_unref (req);
  return G_SOURCE_REMOVE;
}

static void
copy_header (const char *name, const char *value, gpointer data)
{
  soup_message_headers_append (data, name, value);
}

void
sim_request_finish (SimRequest *req)
{
  SoupMessageHeaders *headers;
  gsize length = 0;
  const char *data = NULL;

  if (req->finished)
    return;
  if (req->delay_ms > 0 && req->msg != NULL && !req->gone)
    {
      guint delay = req->delay_ms;

      req->delay_ms = 0;
      sim_request_pause (req);
      g_timeout_add (delay, delayed_finish_cb, sim_request_ref (req));
      return;
    }
  req->finished = TRUE;
  if (req->log_index >= 0 && req->log_generation == req->server->log_generation &&
      (guint) req->log_index < req->server->log->len)
    ((SimLogEntry *) g_ptr_array_index (req->server->log, req->log_index))->status = req->status;
  g_debug ("%s %s → %u", req->method, req->path, req->status);
  if (req->msg == NULL || req->gone)
    return;

  headers = soup_server_message_get_response_headers (req->msg);
  soup_message_headers_foreach (req->response_headers, copy_header, headers);
  soup_server_message_set_status (req->msg, req->status,
                                  req->status == 429 ? "Too Many Requests" : NULL);
  if (req->response != NULL)
    data = g_bytes_get_data (req->response, &length);
  if (length > 0)
    soup_server_message_set_response (req->msg, req->content_type, SOUP_MEMORY_COPY, data, length);
  if (req->paused)
    {
      req->paused = FALSE;
      soup_server_message_unpause (req->msg);
    }
}

/* ---- faults ----------------------------------------------------------- */

static char *
decoded_path (SimRequest *req)
{
  g_autofree char *joined = g_strjoinv ("/", req->segments);

  return g_strconcat ("/", joined, NULL);
}

static SimFault *
match_fault (SimServer *self, SimRequest *req)
{
  g_autofree char *path = decoded_path (req);
  SimTenant *only = NULL;
  SimFault *hit = NULL;

  if (req->token != NULL)
    only = req->token->tenant;
  else if (sim_request_n_segments (req) > 0)
    only = sim_scenario_find_tenant (self->scenario, req->segments[0]);

  for (guint t = 0; t < self->scenario->tenants->len; t++)
    {
      SimTenant *tenant = g_ptr_array_index (self->scenario->tenants, t);

      if (only != NULL && tenant != only)
        continue;
      for (guint i = 0; i < tenant->faults->len; i++)
        {
          SimFault *fault = g_ptr_array_index (tenant->faults, i);

          if (!g_str_has_prefix (path, fault->path))
            continue;
          fault->seen++;
          if (hit == NULL && fault->seen > fault->after &&
              (fault->count < 0 || fault->fired < fault->count))
            {
              fault->fired++;
              hit = fault;
            }
        }
    }
  return hit;
}

/* Returns TRUE when the fault answered the request. */
static gboolean
apply_fault (SimServer *self, SimRequest *req)
{
  SimFault *fault = match_fault (self, req);
  gboolean xml = strstr (req->path, "StrongAuthenticationService") != NULL;

  if (fault == NULL)
    return FALSE;
  g_debug ("fault %s on %s", fault->path, req->path);
  switch (fault->kind)
    {
    case SIM_FAULT_429:
      respond_throttled (req, fault->retry_after);
      return TRUE;
    case SIM_FAULT_503:
      sim_request_respond_graph_error (req, 503, "ServiceNotAvailable",
                                       "The service is temporarily unavailable. Try again later.");
      return TRUE;
    case SIM_FAULT_504:
      sim_request_respond_graph_error (req, 504, "GatewayTimeout",
                                       "The gateway did not receive a timely response.");
      return TRUE;
    case SIM_FAULT_MALFORMED:
      if (xml)
        sim_request_respond (req, 200, "application/xml; charset=utf-8",
                             "<BeginTwoWayAuthenticationResponse xmlns:i=\"http://www.w3", -1);
      else
        sim_request_respond (req, 200, "application/json",
                             "{\"@odata.context\":\"x\",\"value\":[{\"id\":\"", -1);
      return TRUE;
    case SIM_FAULT_SLOW:
      req->delay_ms = sim_server_scale_ms (self, fault->delay_ms / 1000.0);
      return FALSE;
    case SIM_FAULT_DROP:
      if (req->msg == NULL)
        {
          /* A sub-request of $batch cannot drop its own connection. */
          sim_request_respond_graph_error (req, 504, "GatewayTimeout",
                                           "The gateway did not receive a timely response.");
          return TRUE;
        }
      else
        {
          g_autoptr (GIOStream) stream = soup_server_message_steal_connection (req->msg);

          if (stream != NULL)
            g_io_stream_close (stream, NULL, NULL);
          req->gone = TRUE;
          req->status = 0;
          req->responded = TRUE;
          return TRUE;
        }
    default:
      g_assert_not_reached ();
    }
}

/* ---- dispatch --------------------------------------------------------- */

void
sim_request_dispatch (SimRequest *req)
{
  SimServer *self = req->server;

  if (!req->responded)
    {
      if (req->msg != NULL && g_strcmp0 (sim_request_segment (req, 0), "_sim") == 0)
        sim_control_route (self, req);
      else
        {
          req->token = sim_login_check_bearer (self, req);
          if (!apply_fault (self, req) && !sim_login_route (self, req) &&
              !sim_connector_route (self, req) && !sim_graph_route (self, req))
            sim_request_respond_graph_error (req, 404, "Request_ResourceNotFound",
                                             "No route matches this request.");
        }
    }
  if (req->responded)
    sim_request_finish (req);
}

/* A $batch sub-request: Graph routes only, never paused. */
void
sim_request_dispatch_sub (SimRequest *req)
{
  if (req->responded)
    return;
  req->token = sim_login_check_bearer (req->server, req);
  if (!apply_fault (req->server, req) && !sim_graph_route (req->server, req))
    sim_request_respond_graph_error (req, 400, "BadRequest", "Resource not found for the segment.");
}

static void
server_cb (SoupServer *soup,
           SoupServerMessage *msg,
           const char *path,
           GHashTable *query,
           gpointer user_data)
{
  SimServer *self = user_data;
  gboolean valid;
  g_autoptr (SimRequest) req = request_new_from_message (self, msg, &valid);

  if (!valid)
    sim_request_respond (req, 400, "text/plain", "Bad request target", -1);
  sim_request_dispatch (req);
  if (!req->responded && !req->paused)
    {
      g_warning ("request %s %s left without an answer", req->method, req->path);
      sim_request_respond (req, 500, "text/plain", "internal error", -1);
      sim_request_finish (req);
    }
}

/* ---- public ----------------------------------------------------------- */

void
sim_server_pushes_changed (SimServer *self)
{
  g_signal_emit (self, signals[PUSHES_CHANGED], 0);
}

void
sim_push_info_free (SimPushInfo *info)
{
  g_free (info->id);
  g_free (info->upn);
  g_free (info->display_name);
  g_free (info->tenant_id);
  g_free (info->tenant_name);
  g_free (info->context_id);
  g_free (info->kind);
  g_clear_pointer (&info->started_at, g_date_time_unref);
  g_free (info);
}

GPtrArray *
sim_server_list_pending_pushes (SimServer *self)
{
  g_return_val_if_fail (SIM_IS_SERVER (self), NULL);
  return sim_connector_list_pending (self);
}

gboolean
sim_server_answer_push (SimServer *self, const char *id, const char *answer, GError **error)
{
  g_return_val_if_fail (SIM_IS_SERVER (self), FALSE);
  return sim_connector_answer (self, id, answer, error);
}

const char *
sim_server_get_base_url (SimServer *self)
{
  g_return_val_if_fail (SIM_IS_SERVER (self), NULL);
  return self->base_url;
}

gboolean
sim_server_listen (SimServer *self, guint port, GTlsCertificate *certificate, GError **error)
{
  SoupServerListenOptions options = SOUP_SERVER_LISTEN_IPV4_ONLY;
  g_autoslist (GUri) uris = NULL;

  g_return_val_if_fail (SIM_IS_SERVER (self), FALSE);
  if (certificate != NULL)
    {
      soup_server_set_tls_certificate (self->soup, certificate);
      options |= SOUP_SERVER_LISTEN_HTTPS;
    }
  if (!soup_server_listen_local (self->soup, port, options, error))
    return FALSE;
  uris = soup_server_get_uris (self->soup);
  if (uris == NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_FAILED, "not listening");
      return FALSE;
    }
  g_free (self->base_url);
  self->base_url = g_strdup_printf ("%s://127.0.0.1:%d", certificate ? "https" : "http",
                                    g_uri_get_port (uris->data));
  return TRUE;
}

static void
sim_server_finalize (GObject *object)
{
  SimServer *self = (SimServer *) object;

  soup_server_disconnect (self->soup);
  g_clear_object (&self->soup);
  g_clear_pointer (&self->pending_by_user, g_hash_table_unref);
  g_clear_pointer (&self->sessions, g_hash_table_unref);
  g_clear_pointer (&self->pushes, g_hash_table_unref);
  g_clear_pointer (&self->tokens, g_hash_table_unref);
  g_clear_pointer (&self->log, g_ptr_array_unref);
  g_clear_pointer (&self->scenario, sim_scenario_free);
  g_free (self->base_url);
  g_free (self->skiptoken_key);
  G_OBJECT_CLASS (sim_server_parent_class)->finalize (object);
}

static void
sim_server_class_init (SimServerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = sim_server_finalize;

  signals[PUSHES_CHANGED] = g_signal_new ("pushes-changed", G_TYPE_FROM_CLASS (klass),
                                          G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
sim_server_init (SimServer *self)
{
  self->time_scale = 1.0;
  self->soup = soup_server_new ("server-header", "Microsoft-IIS/10.0 (simulator)", NULL);
  soup_server_add_handler (self->soup, NULL, server_cb, self, NULL);
  self->tokens =
    g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) sim_token_free);
  self->log = g_ptr_array_new_with_free_func ((GDestroyNotify) log_entry_free);
  self->pushes =
    g_hash_table_new_full (g_str_hash, g_str_equal, NULL, (GDestroyNotify) sim_push_free);
  self->sessions = g_hash_table_new (g_str_hash, g_str_equal);
  self->pending_by_user = g_hash_table_new (NULL, NULL);
  self->skiptoken_key = sim_random_secret (8);
}

SimServer *
sim_server_new (SimScenario *scenario, double time_scale)
{
  SimServer *self = g_object_new (SIM_TYPE_SERVER, NULL);

  self->scenario = scenario;
  self->time_scale = time_scale;
  return self;
}
