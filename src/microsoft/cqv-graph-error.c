/* SPDX-License-Identifier: GPL-3.0-or-later */

#define G_LOG_DOMAIN "cqv-graph-client"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "cqv-graph-client-private.h"

/* What Graph's refusals mean, as errors a technician can act on. */

#define SERVICE_TEXT_MAX_CHARS 300

/* clang-format off */
G_DEFINE_QUARK (cqv-graph-error-quark, cqv_graph_error)
/* clang-format on */

/* Text from the service goes into messages shown to people: no control characters, bounded. */
static char *
clean_service_text (const char *text)
{
  g_autofree char *valid = NULL;
  GString *out;
  guint n_chars = 0;

  if (text == NULL || *text == '\0')
    return NULL;

  valid = g_utf8_make_valid (text, -1);
  out = g_string_new (NULL);
  for (const char *p = valid; *p != '\0' && n_chars++ < SERVICE_TEXT_MAX_CHARS;
       p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (g_unichar_iscntrl (c))
        g_string_append_c (out, ' ');
      else
        g_string_append_unichar (out, c);
    }

  g_strstrip (out->str);
  return g_string_free (out, FALSE);
}

const char *
cqv_graph_get_string_member (JsonObject *object, const char *name)
{
  JsonNode *node;

  if (object == NULL)
    return NULL;
  node = json_object_get_member (object, name);
  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

static gboolean
text_contains_ci (const char *text, const char *needle)
{
  g_autofree char *folded = NULL;

  if (text == NULL)
    return FALSE;
  folded = g_ascii_strdown (text, -1);
  return strstr (folded, needle) != NULL;
}

void
cqv_graph_map_error (guint status,
                     JsonNode *root,
                     const char *path,
                     gboolean allow_policy,
                     GError **error)
{
  JsonObject *error_object = NULL;
  g_autofree char *code = NULL;
  g_autofree char *message = NULL;
  const char *permission;

  if (root != NULL && JSON_NODE_HOLDS_OBJECT (root))
    {
      JsonNode *node = json_object_get_member (json_node_get_object (root), "error");

      if (node != NULL && JSON_NODE_HOLDS_OBJECT (node))
        error_object = json_node_get_object (node);
    }

  code = clean_service_text (cqv_graph_get_string_member (error_object, "code"));
  message = clean_service_text (cqv_graph_get_string_member (error_object, "message"));
  if (code == NULL)
    code = g_strdup_printf ("HTTP %u", status);
  if (message == NULL)
    message = g_strdup (_("no details given"));

  if (status == 401)
    {
      g_set_error (error, CQV_GRAPH_ERROR, CQV_GRAPH_ERROR_UNAUTHORIZED,
                   _("Microsoft Graph did not accept the access token (%s). Check that the "
                     "application is consented in this tenant and that its secret is current."),
                      code);
    }
  else if (status == 403 &&
           (g_strcmp0 (code, "Authentication_RequestFromNonPremiumTenantOrB2CTenant") == 0 ||
            text_contains_ci (message, "premium license")))
    {
      g_set_error (error, CQV_GRAPH_ERROR, CQV_GRAPH_ERROR_NO_PREMIUM_LICENSE,
                   _("This needs a Microsoft Entra ID P1 or P2 licence, which the tenant does "
                     "not have (%s: %s)."),
                      code, message);
    }
  else if (status == 403)
    {
      permission = cqv_graph_permission_for_path (path);
      if (permission != NULL)
        g_set_error (
          error, CQV_GRAPH_ERROR, CQV_GRAPH_ERROR_PERMISSION_MISSING,
          _("The application is not allowed to do this. In Microsoft Entra ID, grant "
                       "the application permission %s and admin consent, then try again (%s: %s)."),
             permission, code, message);
      else
        g_set_error (error, CQV_GRAPH_ERROR, CQV_GRAPH_ERROR_PERMISSION_MISSING,
                     _("The application is not allowed to do this. In Microsoft Entra ID, grant "
                       "the application permission this needs and admin consent, then try again "
                       "(%s: %s)."),
                        code, message);
    }
  else if (status == 404)
    {
      g_set_error (error, CQV_GRAPH_ERROR, CQV_GRAPH_ERROR_NOT_FOUND,
                   _("Microsoft Graph could not find the object (%s: %s)."), code, message);
    }
  else if (status == 429)
    {
      g_set_error (error, CQV_GRAPH_ERROR, CQV_GRAPH_ERROR_THROTTLED,
                   _("Microsoft Graph is limiting requests for this tenant. Try again in a "
                     "minute (%s)."),
                      code);
    }
  else if (status == 400 && allow_policy &&
           (text_contains_ci (message, "lifetime") || text_contains_ci (message, "credential") ||
            text_contains_ci (message, "policy")))
    {
      g_set_error (
        error, CQV_GRAPH_ERROR, CQV_GRAPH_ERROR_POLICY,
        _("An app management policy in the tenant refused the new credential: %s. "
                     "Shorten the credential lifetime, or exempt the application from the policy."),
           message);
    }
  else if (status >= 500 && status < 600)
    {
      g_set_error (error, CQV_GRAPH_ERROR, CQV_GRAPH_ERROR_SERVER,
                   _("Microsoft Graph had a server error (HTTP %u, %s). Try again later."), status,
                      code);
    }
  else
    {
      g_set_error (error, CQV_GRAPH_ERROR, CQV_GRAPH_ERROR_BAD_REQUEST,
                   _("Microsoft Graph refused the request (HTTP %u, %s: %s)."), status, code,
                      message);
    }
}

void
cqv_graph_error_from_response (guint status, GBytes *body, GError **error)
{
  g_autoptr (JsonNode) root = NULL;

  if (body != NULL && g_bytes_get_size (body) > 0)
    root = cqv_graph_parse_body (body, NULL);
  cqv_graph_map_error (status, root, NULL, TRUE, error);
}

const char *
cqv_graph_permission_for_path (const char *path)
{
  g_autofree char *plain = NULL;
  const char *query;

  if (path == NULL)
    return NULL;

  query = strchr (path, '?');
  plain = query != NULL ? g_strndup (path, query - path) : g_strdup (path);

  if (strstr (plain, "/authentication/microsoftAuthenticatorMethods") != NULL)
    return "UserAuthMethod-MicrosoftAuthApp.Read.All";
  if (strstr (plain, "/authentication/") != NULL)
    return "UserAuthenticationMethod.Read.All";
  if (strstr (plain, "/reports/authenticationMethods") != NULL)
    return "AuditLog.Read.All";
  /* The app registration itself (its secret's expiry): the same permission the app asks for. */
  if (strstr (plain, "/servicePrincipals") != NULL ||
      g_str_has_prefix (plain, "/v1.0/applications"))
    return "Application.ReadWrite.All";
  if (strstr (plain, "/policies/") != NULL)
    return "Policy.ReadWrite.ApplicationConfiguration";
  if (strstr (plain, "/organization") != NULL)
    return "Organization.Read.All";
  if (strstr (plain, "/users") != NULL)
    return "User.Read.All";
  return NULL;
}

JsonNode *
cqv_graph_parse_body (GBytes *body, GError **error)
{
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_autoptr (GError) local_error = NULL;
  gconstpointer data;
  gsize size = 0;
  JsonNode *root;

  g_return_val_if_fail (body != NULL, NULL);

  data = g_bytes_get_data (body, &size);
  if (!json_parser_load_from_data (parser, data, size, &local_error) ||
      (root = json_parser_get_root (parser)) == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      g_debug ("Graph body is not a JSON object: %s",
               local_error != NULL ? local_error->message : "wrong root");
      g_set_error_literal (error, CQV_GRAPH_ERROR, CQV_GRAPH_ERROR_MALFORMED,
                           _("Microsoft Graph sent an answer that could not be read."));
      return NULL;
    }

  return json_node_ref (root);
}
