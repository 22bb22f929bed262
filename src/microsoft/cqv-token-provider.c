/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cqv-token-provider"

#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>

#include "cqv-token-provider.h"

/* Refresh this long before the token expires (protocol §6). */
#define EXPIRY_MARGIN_US ((gint64) 5 * 60 * G_USEC_PER_SEC)

struct _CqvTokenProvider
{
  GObject parent_instance;

  CqvHttpClient *http;
  GHashTable *cache;   /* key → CachedToken */
  GHashTable *fetches; /* key → Fetch (in flight) */
  guint fetch_count;
};

typedef struct
{
  char *token;
  char *tenant;
  char *client_id;
  gint64 expires_at_us; /* monotonic */
} CachedToken;

/* One network request, shared by every caller that asked for the same key meanwhile. */
typedef struct
{
  CqvTokenProvider *self;
  char *key;
  char *tenant;
  char *client_id;
  char *client_secret;
  GPtrArray *waiters; /* Waiter */
  GCancellable *cancellable;
  gboolean invalidated;
} Fetch;

typedef struct
{
  GTask *task;
  GSource *cancel_source;
  Fetch *fetch;
} Waiter;

G_DEFINE_FINAL_TYPE (CqvTokenProvider, cqv_token_provider, G_TYPE_OBJECT)

/* clang-format off */
G_DEFINE_QUARK (cqv-auth-error-quark, cqv_auth_error)
/* clang-format on */

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
cached_token_free (CachedToken *cached)
{
  wipe_string (cached->token);
  g_free (cached->tenant);
  g_free (cached->client_id);
  g_free (cached);
}

static void
waiter_free (Waiter *waiter)
{
  if (waiter->cancel_source != NULL)
    g_source_destroy (waiter->cancel_source);
  g_clear_pointer (&waiter->cancel_source, g_source_unref);
  g_clear_object (&waiter->task);
  g_free (waiter);
}

static Fetch *
fetch_ref (Fetch *fetch)
{
  return g_rc_box_acquire (fetch);
}

static void
fetch_clear (Fetch *fetch)
{
  g_clear_object (&fetch->self);
  g_free (fetch->key);
  g_free (fetch->tenant);
  g_free (fetch->client_id);
  wipe_string (fetch->client_secret);
  g_clear_pointer (&fetch->waiters, g_ptr_array_unref);
  g_clear_object (&fetch->cancellable);
}

static void
fetch_unref (Fetch *fetch)
{
  g_rc_box_release_full (fetch, (GDestroyNotify) fetch_clear);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Fetch, fetch_unref)

static char *
make_key (const char *login_url, const char *tenant, const char *client_id, const char *resource)
{
  return g_strjoin ("\x1f", login_url, tenant, client_id, resource, NULL);
}

/* Description without the "Trace ID: … Correlation ID: … Timestamp: …" tail and without the
 * leading "AADSTSnnnn: ", which the message carries in its own words. */
static char *
clean_description (const char *description)
{
  static const char *const tails[] = { "Trace ID:", "Correlation ID:", "Timestamp:" };
  g_autofree char *copy = g_strdup (description != NULL ? description : "");
  const char *start = copy;

  for (guint i = 0; i < G_N_ELEMENTS (tails); i++)
    {
      char *tail = strstr (copy, tails[i]);

      if (tail != NULL)
        *tail = '\0';
    }

  if (g_str_has_prefix (start, "AADSTS"))
    {
      const char *p = start + strlen ("AADSTS");

      while (g_ascii_isdigit (*p))
        p++;
      if (*p == ':')
        start = p + 1;
    }

  return g_strstrip (g_strdup (start));
}

static guint
code_from_description (const char *description)
{
  const char *p = description != NULL ? strstr (description, "AADSTS") : NULL;
  guint64 code;

  if (p == NULL)
    return 0;

  p += strlen ("AADSTS");
  if (!g_ascii_isdigit (*p))
    return 0;

  code = g_ascii_strtoull (p, NULL, 10);
  return code <= G_MAXUINT ? (guint) code : 0;
}

static guint
code_from_array (JsonObject *object)
{
  JsonNode *node = json_object_get_member (object, "error_codes");
  JsonArray *array;
  JsonNode *first;
  gint64 code;

  if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node))
    return 0;

  array = json_node_get_array (node);
  if (json_array_get_length (array) == 0)
    return 0;

  first = json_array_get_element (array, 0);
  if (!JSON_NODE_HOLDS_VALUE (first) || json_node_get_value_type (first) != G_TYPE_INT64)
    return 0;

  code = json_node_get_int (first);
  return code > 0 && code <= G_MAXUINT ? (guint) code : 0;
}

static JsonObject *
parse_object (GBytes *body)
{
  g_autoptr (JsonParser) parser = json_parser_new ();
  gsize size = 0;
  const char *data = body != NULL ? g_bytes_get_data (body, &size) : NULL;
  JsonNode *root;

  if (data == NULL || size == 0 || size > G_MAXSSIZE)
    return NULL;
  if (!json_parser_load_from_data (parser, data, (gssize) size, NULL))
    return NULL;

  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    return NULL;

  return json_object_ref (json_node_get_object (root));
}

/* A number (v2) or a string of digits (v1); -1 when absent or unreadable. */
static gint64
get_seconds_member (JsonObject *object, const char *name)
{
  JsonNode *node = json_object_get_member (object, name);
  const char *text;
  guint64 value;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return -1;

  switch (json_node_get_value_type (node))
    {
    case G_TYPE_INT64:
      return MAX (json_node_get_int (node), -1);
    case G_TYPE_DOUBLE:
      return MAX ((gint64) json_node_get_double (node), -1);
    case G_TYPE_STRING:
      text = json_node_get_string (node);
      if (!g_ascii_string_to_unsigned (text, 10, 0, G_MAXINT64, &value, NULL))
        return -1;
      return (gint64) value;
    default:
      return -1;
    }
}

static void
scrub_secret (GError *error, const char *secret)
{
  if (error == NULL || secret == NULL || *secret == '\0' || strstr (error->message, secret) == NULL)
    return;

  g_free (error->message);
  error->message = g_strdup (
    _("The sign-in service refused the request. Check the app registration's client secret."));
}

static GError *
error_for_response (CqvHttpResponse *response)
{
  g_autoptr (JsonObject) object = NULL;
  guint status = cqv_http_response_get_status (response);
  GBytes *body = cqv_http_response_get_body (response);
  GError *error = NULL;

  /* A 5xx with a body that is not a token error (a proxy page, an outage) is the service's
   * trouble, not the secret's: say so, and let the caller try again later. */
  object = parse_object (body);
  if (status >= 500 && (object == NULL || !json_object_has_member (object, "error")))
    return g_error_new (
      CQV_HTTP_ERROR, CQV_HTTP_ERROR_UNAVAILABLE,
      _("The sign-in service is having trouble (HTTP %u). Try again in a few minutes."), status);

  cqv_aadsts_parse_error (body, status, &error);
  return error;
}

static void
fetch_complete (Fetch *fetch, const char *token, gint64 lifetime_s, const GError *error)
{
  CqvTokenProvider *self = fetch->self;
  g_autoptr (GPtrArray) waiters = g_steal_pointer (&fetch->waiters);

  fetch->waiters = g_ptr_array_new_with_free_func ((GDestroyNotify) waiter_free);

  if (g_hash_table_lookup (self->fetches, fetch->key) == fetch)
    g_hash_table_remove (self->fetches, fetch->key);

  if (token != NULL && !fetch->invalidated && lifetime_s * G_USEC_PER_SEC > EXPIRY_MARGIN_US)
    {
      CachedToken *cached = g_new0 (CachedToken, 1);

      cached->token = g_strdup (token);
      cached->tenant = g_strdup (fetch->tenant);
      cached->client_id = g_strdup (fetch->client_id);
      cached->expires_at_us = g_get_monotonic_time () + lifetime_s * G_USEC_PER_SEC;
      g_hash_table_replace (self->cache, g_strdup (fetch->key), cached);
    }

  for (guint i = 0; i < waiters->len; i++)
    {
      Waiter *waiter = g_ptr_array_index (waiters, i);

      if (waiter->cancel_source != NULL)
        g_source_destroy (waiter->cancel_source);
      g_clear_pointer (&waiter->cancel_source, g_source_unref);

      if (token != NULL)
        g_task_return_pointer (waiter->task, g_strdup (token), (GDestroyNotify) cqv_token_free);
      else
        g_task_return_error (waiter->task, g_error_copy (error));
    }
}

static gboolean
parse_token_response (GBytes *body, char **token, gint64 *lifetime_s, GError **error)
{
  g_autoptr (JsonObject) object = parse_object (body);
  const char *access_token;
  const char *token_type;
  gint64 expires_in, expires_on;

  if (object == NULL)
    goto malformed;

  access_token = json_object_get_string_member_with_default (object, "access_token", NULL);
  if (access_token == NULL || *access_token == '\0')
    goto malformed;

  token_type = json_object_get_string_member_with_default (object, "token_type", "Bearer");
  if (g_ascii_strcasecmp (token_type, "Bearer") != 0)
    goto malformed;

  expires_in = get_seconds_member (object, "expires_in");
  expires_on = get_seconds_member (object, "expires_on");
  if (expires_in < 0 && expires_on >= 0)
    expires_in = MAX (expires_on - g_get_real_time () / G_USEC_PER_SEC, 0);

  *token = g_strdup (access_token);
  *lifetime_s = MAX (expires_in, 0);
  return TRUE;

malformed:
  g_set_error_literal (
    error, CQV_AUTH_ERROR, CQV_AUTH_ERROR_MALFORMED,
    _("The sign-in service sent a token that could not be read. Try again; if it keeps happening, check the tenant's login address."));
  return FALSE;
}

static void
token_sent_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (Fetch) fetch = user_data;
  g_autoptr (CqvHttpResponse) response = NULL;
  g_autoptr (GError) error = NULL;
  char *token = NULL;
  gint64 lifetime_s = 0;

  response = cqv_http_client_send_finish (CQV_HTTP_CLIENT (object), result, &error);
  if (response != NULL)
    {
      guint status = cqv_http_response_get_status (response);

      if (SOUP_STATUS_IS_SUCCESSFUL (status))
        parse_token_response (cqv_http_response_get_body (response), &token, &lifetime_s, &error);
      else
        error = error_for_response (response);
    }

  if (error != NULL)
    {
      scrub_secret (error, fetch->client_secret);
      g_debug ("Token request for tenant %s, client %s failed: %s", fetch->tenant, fetch->client_id,
               error->message);
    }
  else
    {
      g_debug ("Token for tenant %s, client %s: valid for %" G_GINT64_FORMAT " s", fetch->tenant,
               fetch->client_id, lifetime_s);
    }

  fetch_complete (fetch, token, lifetime_s, error);
  wipe_string (token);
}

static CqvHttpRequest *
build_token_request (const char *login_url,
                     const char *tenant,
                     const char *client_id,
                     const char *client_secret,
                     const char *resource,
                     CqvTokenEndpoint endpoint)
{
  g_autofree char *base = g_strdup (login_url);
  g_autofree char *escaped_tenant = g_uri_escape_string (tenant, NULL, FALSE);
  g_autofree char *url = NULL;
  CqvHttpRequest *request;
  gsize len = strlen (base);

  while (len > 0 && base[len - 1] == '/')
    base[--len] = '\0';

  if (endpoint == CQV_TOKEN_ENDPOINT_V1)
    {
      url = g_strdup_printf ("%s/%s/oauth2/token", base, escaped_tenant);
      request = cqv_http_request_new ("POST", url);
      /* clang-format off */
      cqv_http_request_set_form (request,
                                 "grant_type", "client_credentials",
                                 "client_id", client_id,
                                 "client_secret", client_secret,
                                 "resource", resource,
                                 NULL);
      /* clang-format on */
    }
  else
    {
      g_autofree char *scope = g_str_has_suffix (resource, "/")
                                 ? g_strconcat (resource, ".default", NULL)
                                 : g_strconcat (resource, "/.default", NULL);

      url = g_strdup_printf ("%s/%s/oauth2/v2.0/token", base, escaped_tenant);
      request = cqv_http_request_new ("POST", url);
      /* clang-format off */
      cqv_http_request_set_form (request,
                                 "grant_type", "client_credentials",
                                 "client_id", client_id,
                                 "client_secret", client_secret,
                                 "scope", scope,
                                 NULL);
      /* clang-format on */
    }

  cqv_http_request_add_header (request, "Accept", "application/json");
  return request;
}

static gboolean
waiter_cancelled_cb (GCancellable *cancellable, gpointer user_data)
{
  Waiter *waiter = user_data;
  Fetch *fetch = waiter->fetch;

  g_clear_pointer (&waiter->cancel_source, g_source_unref);
  g_task_return_error_if_cancelled (waiter->task);
  g_ptr_array_remove (fetch->waiters, waiter);

  /* Nobody wants this token any more: stop asking, and let the next caller start afresh. */
  if (fetch->waiters->len == 0)
    {
      g_cancellable_cancel (fetch->cancellable);
      if (g_hash_table_lookup (fetch->self->fetches, fetch->key) == fetch)
        g_hash_table_remove (fetch->self->fetches, fetch->key);
    }

  return G_SOURCE_REMOVE;
}

static void
cqv_token_provider_finalize (GObject *object)
{
  CqvTokenProvider *self = (CqvTokenProvider *) object;

  g_clear_pointer (&self->cache, g_hash_table_unref);
  g_clear_pointer (&self->fetches, g_hash_table_unref);
  g_clear_object (&self->http);

  G_OBJECT_CLASS (cqv_token_provider_parent_class)->finalize (object);
}

static void
cqv_token_provider_class_init (CqvTokenProviderClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = cqv_token_provider_finalize;
}

static void
cqv_token_provider_init (CqvTokenProvider *self)
{
  self->cache =
    g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) cached_token_free);
  self->fetches =
    g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) fetch_unref);
}

guint
cqv_aadsts_parse_error (GBytes *body, guint http_status, GError **error)
{
  g_autoptr (JsonObject) object = parse_object (body);
  g_autofree char *description = NULL;
  const char *error_name;
  guint code;

  if (object == NULL)
    {
      g_set_error (
        error, CQV_AUTH_ERROR, CQV_AUTH_ERROR_MALFORMED,
        _("The sign-in service answered with HTTP %u and a message that could not be read. Check the tenant's login address."),
          http_status);
      return 0;
    }

  error_name = json_object_get_string_member_with_default (object, "error", NULL);
  description = clean_description (
    json_object_get_string_member_with_default (object, "error_description", NULL));
  code = code_from_array (object);
  if (code == 0)
    code = code_from_description (
      json_object_get_string_member_with_default (object, "error_description", NULL));

  switch (code)
    {
    case 7000215:
      g_set_error (
        error, CQV_AUTH_ERROR, CQV_AUTH_ERROR_INVALID_SECRET,
        _("The client secret was refused (AADSTS%u). Check that you copied the secret's Value, not its ID, and that it belongs to this app registration."),
          code);
      break;
    case 7000222:
      g_set_error (
        error, CQV_AUTH_ERROR, CQV_AUTH_ERROR_EXPIRED_SECRET,
        _("The client secret has expired (AADSTS%u). Create a new secret in the app registration and update the tenant."),
          code);
      break;
    case 7000112:
      g_set_error (
        error, CQV_AUTH_ERROR, CQV_AUTH_ERROR_MFA_CLIENT_DISABLED,
        _("“Azure Multi-Factor Auth Client” is disabled in this tenant (AADSTS%u). Enable it in Entra admin center → Enterprise applications."),
          code);
      break;
    case 500014:
      g_set_error (
        error, CQV_AUTH_ERROR, CQV_AUTH_ERROR_MFA_CONNECTOR_DISABLED,
        _("“Azure Multi-Factor Auth Connector” is disabled in this tenant (AADSTS%u). Enable it in Entra admin center → Enterprise applications."),
          code);
      break;
    case 700016:
      g_set_error (
        error, CQV_AUTH_ERROR, CQV_AUTH_ERROR_APP_NOT_IN_TENANT,
        _("The app was not found in this tenant (AADSTS%u). An administrator has not granted consent in this tenant yet, or the tenant ID is wrong."),
          code);
      break;
    case 90002:
      g_set_error (error, CQV_AUTH_ERROR, CQV_AUTH_ERROR_TENANT_NOT_FOUND,
                   _("The tenant was not found (AADSTS%u). Check the tenant ID or domain."), code);
      break;
    case 65001:
      g_set_error (
        error, CQV_AUTH_ERROR, CQV_AUTH_ERROR_CONSENT_MISSING,
        _("Admin consent is missing for this app (AADSTS%u). Open the admin-consent link and grant consent as an administrator of the tenant."),
          code);
      break;
    default:
      if (code != 0)
        g_set_error (error, CQV_AUTH_ERROR, CQV_AUTH_ERROR_FAILED,
                     _("The sign-in service refused the request (AADSTS%u): %s"), code,
                        description);
      else if (error_name != NULL)
        g_set_error (error, CQV_AUTH_ERROR, CQV_AUTH_ERROR_FAILED,
                     _("The sign-in service refused the request (%s): %s"), error_name,
                        description);
      else
        g_set_error (
          error, CQV_AUTH_ERROR, CQV_AUTH_ERROR_MALFORMED,
          _("The sign-in service answered with HTTP %u and a message that could not be read. Check the tenant's login address."),
            http_status);
      break;
    }

  return code;
}

gboolean
cqv_token_parse_response (GBytes *body, char **access_token, gint64 *lifetime_s, GError **error)
{
  char *token = NULL;
  gint64 lifetime = 0;

  g_return_val_if_fail (body != NULL, FALSE);
  g_return_val_if_fail (access_token != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!parse_token_response (body, &token, &lifetime, error))
    return FALSE;

  *access_token = token;
  if (lifetime_s != NULL)
    *lifetime_s = lifetime;
  return TRUE;
}

char **
cqv_token_get_roles (const char *access_token)
{
  g_auto (GStrv) parts = NULL;
  g_autofree char *payload = NULL;
  g_autofree guchar *decoded = NULL;
  g_autoptr (GBytes) bytes = NULL;
  g_autoptr (JsonObject) object = NULL;
  g_autoptr (GStrvBuilder) builder = NULL;
  JsonNode *node;
  gsize len, decoded_len = 0;

  if (access_token == NULL)
    return NULL;

  parts = g_strsplit (access_token, ".", -1);
  if (g_strv_length (parts) != 3 || *parts[1] == '\0')
    return NULL;

  len = strlen (parts[1]);
  if (len % 4 == 1)
    return NULL;

  /* base64url → base64, padded. */
  payload = g_malloc0 (len + 4);
  for (gsize i = 0; i < len; i++)
    {
      char c = parts[1][i];

      if (c == '-')
        c = '+';
      else if (c == '_')
        c = '/';
      else if (!g_ascii_isalnum (c))
        return NULL;
      payload[i] = c;
    }
  while (len % 4 != 0)
    payload[len++] = '=';

  decoded = g_base64_decode (payload, &decoded_len);
  if (decoded == NULL || decoded_len == 0)
    return NULL;

  bytes = g_bytes_new (decoded, decoded_len);
  object = parse_object (bytes);
  if (object == NULL)
    return NULL;

  builder = g_strv_builder_new ();
  node = json_object_get_member (object, "roles");
  if (node != NULL && JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *array = json_node_get_array (node);

      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          JsonNode *element = json_array_get_element (array, i);

          if (JSON_NODE_HOLDS_VALUE (element) &&
              json_node_get_value_type (element) == G_TYPE_STRING)
            g_strv_builder_add (builder, json_node_get_string (element));
        }
    }

  return g_strv_builder_end (builder);
}

CqvTokenProvider *
cqv_token_provider_new (CqvHttpClient *http)
{
  CqvTokenProvider *self;

  g_return_val_if_fail (CQV_IS_HTTP_CLIENT (http), NULL);

  self = g_object_new (CQV_TYPE_TOKEN_PROVIDER, NULL);
  self->http = g_object_ref (http);
  return self;
}

void
cqv_token_provider_get_async (CqvTokenProvider *self,
                              const char *login_url,
                              const char *tenant,
                              const char *client_id,
                              const char *client_secret,
                              const char *resource,
                              CqvTokenEndpoint endpoint,
                              gboolean force_refresh,
                              GCancellable *cancellable,
                              GAsyncReadyCallback callback,
                              gpointer user_data)
{
  g_autoptr (GTask) task = NULL;
  g_autofree char *key = NULL;
  CachedToken *cached;
  Fetch *fetch;
  Waiter *waiter;

  g_return_if_fail (CQV_IS_TOKEN_PROVIDER (self));
  g_return_if_fail (login_url != NULL);
  g_return_if_fail (tenant != NULL && *tenant != '\0');
  g_return_if_fail (client_id != NULL && *client_id != '\0');
  g_return_if_fail (client_secret != NULL);
  g_return_if_fail (resource != NULL && *resource != '\0');
  g_return_if_fail (endpoint == CQV_TOKEN_ENDPOINT_V1 || endpoint == CQV_TOKEN_ENDPOINT_V2);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, cqv_token_provider_get_async);

  if (g_task_return_error_if_cancelled (task))
    return;

  key = make_key (login_url, tenant, client_id, resource);

  if (force_refresh)
    g_hash_table_remove (self->cache, key);

  cached = g_hash_table_lookup (self->cache, key);
  if (cached != NULL && g_get_monotonic_time () < cached->expires_at_us - EXPIRY_MARGIN_US)
    {
      g_task_return_pointer (task, g_strdup (cached->token), (GDestroyNotify) cqv_token_free);
      return;
    }
  if (cached != NULL)
    g_hash_table_remove (self->cache, key);

  fetch = g_hash_table_lookup (self->fetches, key);
  if (fetch == NULL)
    {
      g_autoptr (CqvHttpRequest) request = NULL;

      fetch = g_rc_box_new0 (Fetch);
      fetch->self = g_object_ref (self);
      fetch->key = g_strdup (key);
      fetch->tenant = g_strdup (tenant);
      fetch->client_id = g_strdup (client_id);
      fetch->client_secret = g_strdup (client_secret);
      fetch->waiters = g_ptr_array_new_with_free_func ((GDestroyNotify) waiter_free);
      fetch->cancellable = g_cancellable_new ();
      g_hash_table_insert (self->fetches, g_strdup (key), fetch);

      request =
        build_token_request (login_url, tenant, client_id, client_secret, resource, endpoint);
      self->fetch_count++;
      cqv_http_client_send_async (self->http, request, fetch->cancellable, token_sent_cb,
                                  fetch_ref (fetch));
    }

  waiter = g_new0 (Waiter, 1);
  waiter->fetch = fetch;
  waiter->task = g_steal_pointer (&task);
  if (cancellable != NULL)
    {
      waiter->cancel_source = g_cancellable_source_new (cancellable);
      g_source_set_callback (waiter->cancel_source, (GSourceFunc) waiter_cancelled_cb, waiter,
                             NULL);
      g_source_attach (waiter->cancel_source, g_task_get_context (waiter->task));
    }
  g_ptr_array_add (fetch->waiters, waiter);
}

char *
cqv_token_provider_get_finish (CqvTokenProvider *self, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (CQV_IS_TOKEN_PROVIDER (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == cqv_token_provider_get_async,
                        NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

void
cqv_token_provider_invalidate (CqvTokenProvider *self, const char *tenant, const char *client_id)
{
  GHashTableIter iter;
  gpointer value;

  g_return_if_fail (CQV_IS_TOKEN_PROVIDER (self));
  g_return_if_fail (tenant != NULL);
  g_return_if_fail (client_id != NULL);

  g_hash_table_iter_init (&iter, self->cache);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      CachedToken *cached = value;

      if (g_str_equal (cached->tenant, tenant) && g_str_equal (cached->client_id, client_id))
        g_hash_table_iter_remove (&iter);
    }

  /* A request already on its way used the old credentials: deliver it, but don't keep it. */
  g_hash_table_iter_init (&iter, self->fetches);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      Fetch *fetch = value;

      if (g_str_equal (fetch->tenant, tenant) && g_str_equal (fetch->client_id, client_id))
        {
          fetch->invalidated = TRUE;
          g_hash_table_iter_remove (&iter);
        }
    }
}

guint
cqv_token_provider_get_fetch_count (CqvTokenProvider *self)
{
  g_return_val_if_fail (CQV_IS_TOKEN_PROVIDER (self), 0);

  return self->fetch_count;
}

void
cqv_token_free (char *token)
{
  wipe_string (token);
}
