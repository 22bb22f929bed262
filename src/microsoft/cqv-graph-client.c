/* SPDX-License-Identifier: GPL-3.0-or-later */

#define G_LOG_DOMAIN "cqv-graph-client"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "cqv-endpoint.h"
#include "cqv-graph-client-private.h"

#define DEFAULT_BATCH_MAX_ATTEMPTS 4

struct _CqvGraphClient
{
  GObject parent_instance;

  CqvHttpClient *http;
  CqvTokenProvider *tokens;
  char *login_url;
  char *graph_url;
  char *graph_resource;
  char *tenant;
  char *client_id;
  char *client_secret;
  guint batch_max_attempts;
};

typedef struct
{
  char *method;
  char *path;
  char *url;
  GBytes *body;
  GStrv headers;
  guint status;
  gboolean refreshed;
} RequestData;

static void fetch_token (GTask *task, gboolean force_refresh);

G_DEFINE_FINAL_TYPE (CqvGraphClient, cqv_graph_client, G_TYPE_OBJECT)

enum
{
  PROP_0,
  PROP_HTTP,
  PROP_TOKEN_PROVIDER,
  PROP_LOGIN_URL,
  PROP_GRAPH_URL,
  PROP_GRAPH_RESOURCE,
  PROP_TENANT,
  PROP_CLIENT_ID,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
wipe_string (char *str)
{
  volatile char *p = (volatile char *) str;

  if (str == NULL)
    return;
  while (*p != '\0')
    *p++ = '\0';
  g_free (str);
}

static void
request_data_free (RequestData *data)
{
  g_free (data->method);
  g_free (data->path);
  g_free (data->url);
  g_clear_pointer (&data->body, g_bytes_unref);
  g_strfreev (data->headers);
  g_free (data);
}

static gboolean
path_allows_policy_error (const char *path)
{
  return path != NULL && strstr (path, "/addPassword") != NULL;
}

static int
effective_port (GUri *uri)
{
  int port = g_uri_get_port (uri);

  if (port > 0)
    return port;
  return g_ascii_strcasecmp (g_uri_get_scheme (uri), "https") == 0 ? 443 : 80;
}

/* An absolute URL must stay on the Graph URL's origin: the bearer token goes with it. */
static char *
resolve_url (CqvGraphClient *self, const char *path, GError **error)
{
  g_autoptr (GUri) base = NULL;
  g_autoptr (GUri) target = NULL;
  const GUriFlags flags = G_URI_FLAGS_ENCODED | G_URI_FLAGS_PARSE_RELAXED;

  if (!g_str_has_prefix (path, "https://") && !g_str_has_prefix (path, "http://"))
    return cqv_endpoint_join (self->graph_url, path);

  base = g_uri_parse (self->graph_url, flags, NULL);
  target = g_uri_parse (path, flags, NULL);
  if (base == NULL || target == NULL || g_uri_get_host (target) == NULL)
    {
      g_set_error_literal (error, CQV_GRAPH_ERROR, CQV_GRAPH_ERROR_MALFORMED,
                           _("Microsoft Graph sent a link to the next page that is not a valid "
                             "address."));
      return NULL;
    }

  if (g_ascii_strcasecmp (g_uri_get_host (base), g_uri_get_host (target)) != 0 ||
      effective_port (base) != effective_port (target) ||
      (g_ascii_strcasecmp (g_uri_get_scheme (target), "https") != 0 &&
       g_ascii_strcasecmp (g_uri_get_scheme (base), g_uri_get_scheme (target)) != 0))
    {
      g_set_error (error, CQV_GRAPH_ERROR, CQV_GRAPH_ERROR_FOREIGN_LINK,
                   _("Microsoft Graph sent a link to another host (%s); it was not followed, so "
                     "that the access token does not leave Microsoft Graph."),
                      g_uri_get_host (target));
      return NULL;
    }

  return g_strdup (path);
}

static GBytes *
serialize_json (JsonNode *node)
{
  g_autoptr (JsonGenerator) generator = json_generator_new ();
  gsize length = 0;
  char *data;

  json_generator_set_root (generator, node);
  data = json_generator_to_data (generator, &length);
  return g_bytes_new_take (data, length);
}

static void
response_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GTask) task = user_data;
  RequestData *data = g_task_get_task_data (task);
  const char *path = data->path;
  g_autoptr (CqvHttpResponse) response = NULL;
  g_autoptr (JsonNode) root = NULL;
  g_autoptr (GError) error = NULL;
  GBytes *body;

  response = cqv_http_client_send_finish (CQV_HTTP_CLIENT (object), result, &error);
  if (response == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  data->status = cqv_http_response_get_status (response);
  body = cqv_http_response_get_body (response);

  if (data->status == 401 && !data->refreshed)
    {
      g_debug ("Graph answered 401; getting a new token once");
      data->refreshed = TRUE;
      fetch_token (task, TRUE);
      return;
    }

  if (data->status >= 200 && data->status < 300)
    {
      if (data->status == 204 || body == NULL)
        g_task_return_pointer (task, NULL, NULL);
      else
        g_task_return_pointer (task, g_bytes_ref (body), (GDestroyNotify) g_bytes_unref);
      return;
    }

  if (body != NULL && g_bytes_get_size (body) > 0)
    root = cqv_graph_parse_body (body, NULL);
  cqv_graph_map_error (data->status, root, path, path_allows_policy_error (path), &error);
  g_debug ("Graph %s failed with HTTP %u", data->method, data->status);
  g_task_return_error (task, g_steal_pointer (&error));
}

static void
token_ready_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GTask) task = user_data;
  CqvGraphClient *self = g_task_get_source_object (task);
  RequestData *data = g_task_get_task_data (task);
  g_autoptr (CqvHttpRequest) request = NULL;
  g_autoptr (GError) error = NULL;
  char *token;

  token = cqv_token_provider_get_finish (CQV_TOKEN_PROVIDER (object), result, &error);
  if (token == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  request = cqv_http_request_new (data->method, data->url);
  cqv_http_request_set_bearer (request, token);
  cqv_token_free (token);
  cqv_http_request_add_header (request, "Accept", "application/json");
  for (guint i = 0;
       data->headers != NULL && data->headers[i] != NULL && data->headers[i + 1] != NULL; i += 2)
    cqv_http_request_add_header (request, data->headers[i], data->headers[i + 1]);
  if (data->body != NULL)
    cqv_http_request_set_body (request, "application/json", data->body);

  cqv_http_client_send_async (self->http, request, g_task_get_cancellable (task), response_cb,
                              g_object_ref (task));
}

static void
fetch_token (GTask *task, gboolean force_refresh)
{
  CqvGraphClient *self = g_task_get_source_object (task);

  cqv_token_provider_get_async (self->tokens, self->login_url, self->tenant, self->client_id,
                                self->client_secret, self->graph_resource, CQV_TOKEN_ENDPOINT_V2,
                                force_refresh, g_task_get_cancellable (task), token_ready_cb,
                                g_object_ref (task));
}

static void
start_request (CqvGraphClient *self,
               const char *method,
               const char *path,
               JsonNode *body,
               const char *const *headers,
               GCancellable *cancellable,
               GAsyncReadyCallback callback,
               gpointer user_data)
{
  g_autoptr (GTask) task = NULL;
  g_autoptr (GError) error = NULL;
  RequestData *data;

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, cqv_graph_client_request_async);

  data = g_new0 (RequestData, 1);
  data->method = g_strdup (method);
  data->path = g_strdup (path);
  data->headers = g_strdupv ((char **) headers);
  if (body != NULL)
    data->body = serialize_json (body);
  g_task_set_task_data (task, data, (GDestroyNotify) request_data_free);

  data->url = resolve_url (self, path, &error);
  if (data->url == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  fetch_token (task, FALSE);
}

static void
roles_token_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GTask) task = user_data;
  g_autoptr (GError) error = NULL;
  char **roles;
  char *token;

  token = cqv_token_provider_get_finish (CQV_TOKEN_PROVIDER (object), result, &error);
  if (token == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  roles = cqv_token_get_roles (token);
  cqv_token_free (token);
  if (roles == NULL)
    roles = g_new0 (char *, 1);
  g_task_return_pointer (task, roles, (GDestroyNotify) g_strfreev);
}

static void
cqv_graph_client_finalize (GObject *object)
{
  CqvGraphClient *self = (CqvGraphClient *) object;

  g_clear_object (&self->http);
  g_clear_object (&self->tokens);
  g_free (self->login_url);
  g_free (self->graph_url);
  g_free (self->graph_resource);
  g_free (self->tenant);
  g_free (self->client_id);
  g_clear_pointer (&self->client_secret, wipe_string);

  G_OBJECT_CLASS (cqv_graph_client_parent_class)->finalize (object);
}

static void
cqv_graph_client_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  CqvGraphClient *self = CQV_GRAPH_CLIENT (object);

  switch (prop_id)
    {
    case PROP_HTTP:
      g_value_set_object (value, self->http);
      break;
    case PROP_TOKEN_PROVIDER:
      g_value_set_object (value, self->tokens);
      break;
    case PROP_LOGIN_URL:
      g_value_set_string (value, self->login_url);
      break;
    case PROP_GRAPH_URL:
      g_value_set_string (value, self->graph_url);
      break;
    case PROP_GRAPH_RESOURCE:
      g_value_set_string (value, self->graph_resource);
      break;
    case PROP_TENANT:
      g_value_set_string (value, self->tenant);
      break;
    case PROP_CLIENT_ID:
      g_value_set_string (value, self->client_id);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cqv_graph_client_set_property (GObject *object,
                               guint prop_id,
                               const GValue *value,
                               GParamSpec *pspec)
{
  CqvGraphClient *self = CQV_GRAPH_CLIENT (object);

  switch (prop_id)
    {
    case PROP_HTTP:
      self->http = g_value_dup_object (value);
      break;
    case PROP_TOKEN_PROVIDER:
      self->tokens = g_value_dup_object (value);
      break;
    case PROP_LOGIN_URL:
      self->login_url = g_value_dup_string (value);
      break;
    case PROP_GRAPH_URL:
      self->graph_url = g_value_dup_string (value);
      break;
    case PROP_GRAPH_RESOURCE:
      self->graph_resource = g_value_dup_string (value);
      break;
    case PROP_TENANT:
      self->tenant = g_value_dup_string (value);
      break;
    case PROP_CLIENT_ID:
      self->client_id = g_value_dup_string (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cqv_graph_client_class_init (CqvGraphClientClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  const GParamFlags string_flags =
    G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->finalize = cqv_graph_client_finalize;
  object_class->get_property = cqv_graph_client_get_property;
  object_class->set_property = cqv_graph_client_set_property;

  properties[PROP_HTTP] =
    g_param_spec_object ("http", NULL, NULL, CQV_TYPE_HTTP_CLIENT, string_flags);
  properties[PROP_TOKEN_PROVIDER] =
    g_param_spec_object ("token-provider", NULL, NULL, CQV_TYPE_TOKEN_PROVIDER, string_flags);
  properties[PROP_LOGIN_URL] = g_param_spec_string ("login-url", NULL, NULL, NULL, string_flags);
  properties[PROP_GRAPH_URL] = g_param_spec_string ("graph-url", NULL, NULL, NULL, string_flags);
  properties[PROP_GRAPH_RESOURCE] =
    g_param_spec_string ("graph-resource", NULL, NULL, NULL, string_flags);
  properties[PROP_TENANT] = g_param_spec_string ("tenant", NULL, NULL, NULL, string_flags);
  properties[PROP_CLIENT_ID] = g_param_spec_string ("client-id", NULL, NULL, NULL, string_flags);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
cqv_graph_client_init (CqvGraphClient *self)
{
  self->batch_max_attempts = DEFAULT_BATCH_MAX_ATTEMPTS;
}

CqvGraphClient *
cqv_graph_client_new (CqvHttpClient *http,
                      CqvTokenProvider *tokens,
                      const char *login_url,
                      const char *graph_url,
                      const char *graph_resource,
                      const char *tenant,
                      const char *client_id)
{
  g_return_val_if_fail (CQV_IS_HTTP_CLIENT (http), NULL);
  g_return_val_if_fail (CQV_IS_TOKEN_PROVIDER (tokens), NULL);
  g_return_val_if_fail (login_url != NULL, NULL);
  g_return_val_if_fail (graph_url != NULL, NULL);
  g_return_val_if_fail (graph_resource != NULL, NULL);
  g_return_val_if_fail (tenant != NULL, NULL);
  g_return_val_if_fail (client_id != NULL, NULL);

  return g_object_new (CQV_TYPE_GRAPH_CLIENT, "http", http, "token-provider", tokens, "login-url",
                       login_url, "graph-url", graph_url, "graph-resource", graph_resource,
                       "tenant", tenant, "client-id", client_id, NULL);
}

void
cqv_graph_client_set_client_secret (CqvGraphClient *self, const char *secret)
{
  g_return_if_fail (CQV_IS_GRAPH_CLIENT (self));

  if (g_strcmp0 (self->client_secret, secret) == 0)
    return;

  g_clear_pointer (&self->client_secret, wipe_string);
  self->client_secret = g_strdup (secret);
}

CqvHttpClient *
cqv_graph_client_get_http (CqvGraphClient *self)
{
  g_return_val_if_fail (CQV_IS_GRAPH_CLIENT (self), NULL);

  return self->http;
}

const char *
cqv_graph_client_get_graph_url (CqvGraphClient *self)
{
  g_return_val_if_fail (CQV_IS_GRAPH_CLIENT (self), NULL);

  return self->graph_url;
}

const char *
cqv_graph_client_get_client_id (CqvGraphClient *self)
{
  g_return_val_if_fail (CQV_IS_GRAPH_CLIENT (self), NULL);

  return self->client_id;
}

char *
cqv_graph_client_dup_secret_hint (CqvGraphClient *self)
{
  g_return_val_if_fail (CQV_IS_GRAPH_CLIENT (self), NULL);

  if (self->client_secret == NULL || !g_utf8_validate (self->client_secret, -1, NULL) ||
      g_utf8_strlen (self->client_secret, -1) < CQV_GRAPH_SECRET_HINT_CHARS)
    return NULL;

  return g_utf8_substring (self->client_secret, 0, CQV_GRAPH_SECRET_HINT_CHARS);
}

void
cqv_graph_client_request_async (CqvGraphClient *self,
                                const char *method,
                                const char *path,
                                JsonNode *body,
                                GCancellable *cancellable,
                                GAsyncReadyCallback callback,
                                gpointer user_data)
{
  g_return_if_fail (CQV_IS_GRAPH_CLIENT (self));
  g_return_if_fail (method != NULL);
  g_return_if_fail (path != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  start_request (self, method, path, body, NULL, cancellable, callback, user_data);
}

void
cqv_graph_client_request_with_headers_async (CqvGraphClient *self,
                                             const char *method,
                                             const char *path,
                                             JsonNode *body,
                                             const char *const *headers,
                                             GCancellable *cancellable,
                                             GAsyncReadyCallback callback,
                                             gpointer user_data)
{
  g_return_if_fail (CQV_IS_GRAPH_CLIENT (self));
  g_return_if_fail (method != NULL);
  g_return_if_fail (path != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  start_request (self, method, path, body, headers, cancellable, callback, user_data);
}

GBytes *
cqv_graph_client_request_finish (CqvGraphClient *self,
                                 GAsyncResult *result,
                                 guint *status,
                                 GError **error)
{
  RequestData *data;

  g_return_val_if_fail (CQV_IS_GRAPH_CLIENT (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == cqv_graph_client_request_async,
                        NULL);

  data = g_task_get_task_data (G_TASK (result));
  if (status != NULL)
    *status = data->status;

  return g_task_propagate_pointer (G_TASK (result), error);
}

void
cqv_graph_client_get_roles_async (CqvGraphClient *self,
                                  GCancellable *cancellable,
                                  GAsyncReadyCallback callback,
                                  gpointer user_data)
{
  g_autoptr (GTask) task = NULL;

  g_return_if_fail (CQV_IS_GRAPH_CLIENT (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, cqv_graph_client_get_roles_async);

  cqv_token_provider_get_async (self->tokens, self->login_url, self->tenant, self->client_id,
                                self->client_secret, self->graph_resource, CQV_TOKEN_ENDPOINT_V2,
                                FALSE, cancellable, roles_token_cb, g_steal_pointer (&task));
}

char **
cqv_graph_client_get_roles_finish (CqvGraphClient *self, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (CQV_IS_GRAPH_CLIENT (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == cqv_graph_client_get_roles_async,
                        NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

void
cqv_graph_client_set_batch_max_attempts (CqvGraphClient *self, guint attempts)
{
  g_return_if_fail (CQV_IS_GRAPH_CLIENT (self));
  g_return_if_fail (attempts > 0);

  self->batch_max_attempts = attempts;
}

guint
cqv_graph_client_get_batch_max_attempts (CqvGraphClient *self)
{
  g_return_val_if_fail (CQV_IS_GRAPH_CLIENT (self), 0);

  return self->batch_max_attempts;
}
