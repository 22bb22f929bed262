/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cqv-tenant-resolver"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>
#include <string.h>

#include "cqv-tenant-resolver.h"

/* A primary domain becomes the tenant GUID through the login service's OpenID configuration
 * document (protocol §7: each cloud has its own login host). The document names the tenant in
 * its issuer and endpoints; a domain the service does not know is AADSTS90002 with HTTP 400. */

#define RESOLVE_TIMEOUT_S 20
#define AADSTS_TENANT_NOT_FOUND 90002

struct _CqvTenantResolver
{
  GObject parent_instance;

  CqvHttpClient *http;
};

typedef struct
{
  char *domain;
} ResolveData;

G_DEFINE_FINAL_TYPE (CqvTenantResolver, cqv_tenant_resolver, G_TYPE_OBJECT)

/* clang-format off */
G_DEFINE_QUARK (cqv-tenant-resolver-error-quark, cqv_tenant_resolver_error)
/* clang-format on */

static void
resolve_data_free (ResolveData *data)
{
  g_free (data->domain);
  g_free (data);
}

static void
set_malformed (GError **error)
{
  g_set_error_literal (
    error, CQV_TENANT_RESOLVER_ERROR, CQV_TENANT_RESOLVER_ERROR_MALFORMED,
    _("The sign-in service’s answer did not name a tenant ID. Enter the tenant ID (a GUID) instead of the domain."));
}

/* The first path segment of @url that is a GUID, lower case; NULL when there is none. */
static char *
guid_in_url (const char *url)
{
  g_autoptr (GUri) uri = NULL;
  g_auto (GStrv) segments = NULL;

  if (url == NULL)
    return NULL;

  uri = g_uri_parse (url, G_URI_FLAGS_NONE, NULL);
  if (uri == NULL)
    return NULL;

  segments = g_strsplit (g_uri_get_path (uri), "/", -1);
  for (guint i = 0; segments[i] != NULL; i++)
    {
      if (cqv_tenant_id_is_guid (segments[i]))
        return g_ascii_strdown (segments[i], -1);
    }

  return NULL;
}

/* A string member, or NULL when missing or of another type. */
static const char *
string_member (JsonObject *object, const char *name)
{
  JsonNode *node = json_object_get_member (object, name);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;

  return json_node_get_string (node);
}

static gboolean
is_tenant_not_found (GBytes *body)
{
  g_autoptr (JsonParser) parser = json_parser_new ();
  JsonNode *root;
  JsonNode *codes;
  gsize length = 0;
  const char *data;

  if (body == NULL)
    return FALSE;

  data = g_bytes_get_data (body, &length);
  if (length == 0 || !json_parser_load_from_data (parser, data, (gssize) length, NULL))
    return FALSE;

  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    return FALSE;

  if (g_strcmp0 (string_member (json_node_get_object (root), "error"), "invalid_tenant") == 0)
    return TRUE;

  codes = json_object_get_member (json_node_get_object (root), "error_codes");
  if (codes == NULL || !JSON_NODE_HOLDS_ARRAY (codes))
    return FALSE;

  for (guint i = 0; i < json_array_get_length (json_node_get_array (codes)); i++)
    {
      JsonNode *code = json_array_get_element (json_node_get_array (codes), i);

      if (JSON_NODE_HOLDS_VALUE (code) && json_node_get_value_type (code) == G_TYPE_INT64 &&
          json_node_get_int (code) == AADSTS_TENANT_NOT_FOUND)
        return TRUE;
    }

  return FALSE;
}

static void
send_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GTask) task = user_data;
  ResolveData *data = g_task_get_task_data (task);
  g_autoptr (CqvHttpResponse) response = NULL;
  g_autoptr (GError) error = NULL;
  char *guid;
  guint status;

  response = cqv_http_client_send_finish (CQV_HTTP_CLIENT (object), result, &error);
  if (response == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  status = cqv_http_response_get_status (response);
  if (status == SOUP_STATUS_BAD_REQUEST || status == SOUP_STATUS_NOT_FOUND ||
      (status != SOUP_STATUS_OK && is_tenant_not_found (cqv_http_response_get_body (response))))
    {
      g_task_return_new_error (
        task, CQV_TENANT_RESOLVER_ERROR, CQV_TENANT_RESOLVER_ERROR_NOT_FOUND,
        _("No tenant uses the domain “%s” in this cloud. Check the spelling and the cloud, or enter the tenant ID."),
          data->domain);
      return;
    }

  if (status != SOUP_STATUS_OK)
    {
      g_task_return_new_error (task, CQV_TENANT_RESOLVER_ERROR, CQV_TENANT_RESOLVER_ERROR_FAILED,
                               _("The sign-in service answered HTTP %u while looking up “%s”."),
                                  status, data->domain);
      return;
    }

  guid = cqv_tenant_resolver_parse_configuration (cqv_http_response_get_body (response), &error);
  if (guid == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  g_debug ("Resolved %s to %s", data->domain, guid);
  g_task_return_pointer (task, guid, g_free);
}

static void
cqv_tenant_resolver_dispose (GObject *object)
{
  CqvTenantResolver *self = CQV_TENANT_RESOLVER (object);

  g_clear_object (&self->http);

  G_OBJECT_CLASS (cqv_tenant_resolver_parent_class)->dispose (object);
}

static void
cqv_tenant_resolver_class_init (CqvTenantResolverClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = cqv_tenant_resolver_dispose;
}

static void
cqv_tenant_resolver_init (CqvTenantResolver *self)
{
}

gboolean
cqv_tenant_id_is_guid (const char *text)
{
  g_return_val_if_fail (text != NULL, FALSE);

  if (strlen (text) != 36)
    return FALSE;

  for (guint i = 0; i < 36; i++)
    {
      if (i == 8 || i == 13 || i == 18 || i == 23)
        {
          if (text[i] != '-')
            return FALSE;
        }
      else if (!g_ascii_isxdigit (text[i]))
        return FALSE;
    }

  return TRUE;
}

gboolean
cqv_tenant_id_is_domain (const char *text)
{
  g_auto (GStrv) labels = NULL;

  g_return_val_if_fail (text != NULL, FALSE);

  if (strlen (text) > 253 || strchr (text, '.') == NULL)
    return FALSE;

  labels = g_strsplit (text, ".", -1);
  for (guint i = 0; labels[i] != NULL; i++)
    {
      gsize len = strlen (labels[i]);

      if (len == 0 || len > 63 || labels[i][0] == '-' || labels[i][len - 1] == '-')
        return FALSE;
      for (gsize j = 0; j < len; j++)
        {
          if (!g_ascii_isalnum (labels[i][j]) && labels[i][j] != '-')
            return FALSE;
        }
    }

  return TRUE;
}

/**
 * cqv_tenant_resolver_parse_configuration:
 * @body: an OpenID configuration document
 * @error: CQV_TENANT_RESOLVER_ERROR_MALFORMED
 *
 * Returns: (transfer full) (nullable): the tenant GUID in lower case
 */
char *
cqv_tenant_resolver_parse_configuration (GBytes *body, GError **error)
{
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_autofree char *from_issuer = NULL;
  g_autofree char *from_token = NULL;
  JsonObject *object;
  JsonNode *root;
  const char *data;
  gsize length = 0;

  g_return_val_if_fail (body != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  data = g_bytes_get_data (body, &length);
  if (length == 0 || !g_utf8_validate (data, (gssize) length, NULL) ||
      !json_parser_load_from_data (parser, data, (gssize) length, NULL))
    {
      set_malformed (error);
      return NULL;
    }

  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      set_malformed (error);
      return NULL;
    }

  object = json_node_get_object (root);
  from_issuer = guid_in_url (string_member (object, "issuer"));
  from_token = guid_in_url (string_member (object, "token_endpoint"));

  if (from_issuer != NULL && from_token != NULL && strcmp (from_issuer, from_token) != 0)
    {
      set_malformed (error);
      return NULL;
    }
  if (from_issuer != NULL)
    return g_steal_pointer (&from_issuer);
  if (from_token != NULL)
    return g_steal_pointer (&from_token);

  set_malformed (error);
  return NULL;
}

/**
 * cqv_tenant_resolver_new:
 * @http: the client that sends the lookup
 *
 * Returns: (transfer full): a new resolver
 */
CqvTenantResolver *
cqv_tenant_resolver_new (CqvHttpClient *http)
{
  CqvTenantResolver *self;

  g_return_val_if_fail (CQV_IS_HTTP_CLIENT (http), NULL);

  self = g_object_new (CQV_TYPE_TENANT_RESOLVER, NULL);
  self->http = g_object_ref (http);

  return self;
}

void
cqv_tenant_resolver_resolve_async (CqvTenantResolver *self,
                                   const char *login_url,
                                   const char *domain_or_id,
                                   GCancellable *cancellable,
                                   GAsyncReadyCallback callback,
                                   gpointer user_data)
{
  g_autoptr (GTask) task = NULL;
  g_autoptr (CqvHttpRequest) request = NULL;
  g_autofree char *base = NULL;
  g_autofree char *url = NULL;
  ResolveData *data;
  gsize base_len;

  g_return_if_fail (CQV_IS_TENANT_RESOLVER (self));
  g_return_if_fail (login_url != NULL);
  g_return_if_fail (domain_or_id != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, cqv_tenant_resolver_resolve_async);

  if (cqv_tenant_id_is_guid (domain_or_id))
    {
      g_task_return_pointer (task, g_strdup (domain_or_id), g_free);
      return;
    }

  if (!cqv_tenant_id_is_domain (domain_or_id))
    {
      g_task_return_new_error (
        task, CQV_TENANT_RESOLVER_ERROR, CQV_TENANT_RESOLVER_ERROR_INVALID,
        _("Enter the tenant ID (a GUID such as 00000000-0000-0000-0000-000000000000) or the primary domain (such as contoso.onmicrosoft.com)."));
      return;
    }

  data = g_new0 (ResolveData, 1);
  data->domain = g_ascii_strdown (domain_or_id, -1);
  g_task_set_task_data (task, data, (GDestroyNotify) resolve_data_free);

  base = g_strdup (login_url);
  base_len = strlen (base);
  while (base_len > 0 && base[base_len - 1] == '/')
    base[--base_len] = '\0';
  /* A checked domain needs no escaping: letters, digits, hyphens and dots only. */
  url = g_strdup_printf ("%s/%s/v2.0/.well-known/openid-configuration", base, data->domain);

  request = cqv_http_request_new ("GET", url);
  cqv_http_request_add_header (request, "Accept", "application/json");
  cqv_http_request_set_timeout (request, RESOLVE_TIMEOUT_S);
  cqv_http_client_send_async (self->http, request, cancellable, send_cb, g_steal_pointer (&task));
}

/**
 * cqv_tenant_resolver_resolve_finish:
 *
 * Returns: (transfer full) (nullable): the tenant GUID
 */
char *
cqv_tenant_resolver_resolve_finish (CqvTenantResolver *self, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (CQV_IS_TENANT_RESOLVER (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (
    g_task_get_source_tag (G_TASK (result)) == cqv_tenant_resolver_resolve_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
