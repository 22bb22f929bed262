/* SPDX-License-Identifier: GPL-3.0-or-later */

#define G_LOG_DOMAIN "cqv-graph-client"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "cqv-graph-client-private.h"

/* When the technician's client secret expires. Graph never shows a secret again after
 * addPassword, only its first three characters ("hint") on each password credential of the
 * app registration, so the credential in use is found by that hint.
 *
 * Three characters can collide, e.g. when a rotation leaves the old and the new secret side by
 * side. Then the latest endDateTime among the matches is taken. The secret in use has just got
 * the token for this request, so it has not expired: a match that has is never ours, and this
 * choice skips it. If even the latest match expires within the warning period, every match
 * does, ours included, so a warning is never false. The price: when two valid secrets share
 * the hint and ours is the earlier one, the warning comes late (at worst when the token
 * endpoint refuses the expired secret, which says so). */

static void
wipe_hint (char *hint)
{
  volatile char *p = (volatile char *) hint;

  if (hint == NULL)
    return;
  while (*p != '\0')
    *p++ = '\0';
  g_free (hint);
}

/* @client_id comes from the tenants file: quoted as an OData string literal (quotes doubled),
 * then percent-encoded, so that it stays one key whatever it holds. */
static char *
application_path (const char *client_id)
{
  g_autoptr (GString) literal = g_string_new (NULL);
  g_autofree char *escaped = NULL;

  for (const char *p = client_id; *p != '\0'; p++)
    {
      if (*p == '\'')
        g_string_append_c (literal, '\'');
      g_string_append_c (literal, *p);
    }
  escaped = g_uri_escape_string (literal->str, NULL, FALSE);
  return g_strdup_printf ("/v1.0/applications(appId='%s')?$select=id,appId,passwordCredentials",
                          escaped);
}

static void
application_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GTask) task = user_data;
  const char *hint = g_task_get_task_data (task);
  g_autoptr (GBytes) body = NULL;
  g_autoptr (JsonNode) root = NULL;
  g_autoptr (GError) error = NULL;
  GDateTime *expires;

  body = cqv_graph_client_request_finish (CQV_GRAPH_CLIENT (object), result, NULL, &error);
  if (body == NULL && error == NULL)
    g_set_error_literal (&error, CQV_GRAPH_ERROR, CQV_GRAPH_ERROR_MALFORMED,
                         _("Microsoft Graph sent an answer that could not be read."));
  if (body != NULL)
    root = cqv_graph_parse_body (body, &error);
  expires = root != NULL ? cqv_graph_parse_app_secret_expiry (root, hint, &error) : NULL;
  if (expires == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  g_task_return_pointer (task, expires, (GDestroyNotify) g_date_time_unref);
}

GDateTime *
cqv_graph_parse_app_secret_expiry (JsonNode *root, const char *secret_hint, GError **error)
{
  g_autoptr (GDateTime) latest = NULL;
  JsonNode *credentials = NULL;
  JsonArray *array;

  g_return_val_if_fail (secret_hint != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (root != NULL && JSON_NODE_HOLDS_OBJECT (root))
    credentials = json_object_get_member (json_node_get_object (root), "passwordCredentials");
  if (credentials == NULL || !JSON_NODE_HOLDS_ARRAY (credentials))
    {
      g_set_error_literal (error, CQV_GRAPH_ERROR, CQV_GRAPH_ERROR_MALFORMED,
                           _("Microsoft Graph sent an application without its client secrets."));
      return NULL;
    }

  array = json_node_get_array (credentials);
  for (guint i = 0; *secret_hint != '\0' && i < json_array_get_length (array); i++)
    {
      JsonNode *element = json_array_get_element (array, i);
      JsonObject *credential;
      const char *end_text;
      g_autoptr (GDateTime) end = NULL;

      if (!JSON_NODE_HOLDS_OBJECT (element))
        continue;
      credential = json_node_get_object (element);
      if (g_strcmp0 (cqv_graph_get_string_member (credential, "hint"), secret_hint) != 0)
        continue;
      end_text = cqv_graph_get_string_member (credential, "endDateTime");
      if (end_text == NULL || (end = g_date_time_new_from_iso8601 (end_text, NULL)) == NULL)
        continue;
      if (latest == NULL || g_date_time_compare (end, latest) > 0)
        {
          g_clear_pointer (&latest, g_date_time_unref);
          latest = g_steal_pointer (&end);
        }
    }

  if (latest == NULL)
    {
      g_set_error_literal (error, CQV_GRAPH_ERROR, CQV_GRAPH_ERROR_NO_MATCHING_SECRET,
                           _("None of the app registration's client secrets is the one in use, "
                             "so its expiry date is unknown."));
      return NULL;
    }

  return g_steal_pointer (&latest);
}

void
cqv_graph_client_get_app_secret_expiry_async (CqvGraphClient *self,
                                              const char *secret_hint,
                                              GCancellable *cancellable,
                                              GAsyncReadyCallback callback,
                                              gpointer user_data)
{
  g_autoptr (GTask) task = NULL;
  g_autofree char *path = NULL;

  g_return_if_fail (CQV_IS_GRAPH_CLIENT (self));
  g_return_if_fail (secret_hint != NULL);
  /* Only the hint crosses into this layer, never the whole secret. */
  g_return_if_fail (g_utf8_validate (secret_hint, -1, NULL) &&
                    g_utf8_strlen (secret_hint, -1) <= CQV_GRAPH_SECRET_HINT_CHARS);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, cqv_graph_client_get_app_secret_expiry_async);
  g_task_set_task_data (task, g_strdup (secret_hint), (GDestroyNotify) wipe_hint);

  path = application_path (cqv_graph_client_get_client_id (self));
  cqv_graph_client_request_async (self, "GET", path, NULL, cancellable, application_cb,
                                  g_steal_pointer (&task));
}

GDateTime *
cqv_graph_client_get_app_secret_expiry_finish (CqvGraphClient *self,
                                               GAsyncResult *result,
                                               GError **error)
{
  g_return_val_if_fail (CQV_IS_GRAPH_CLIENT (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (
    g_task_get_source_tag (G_TASK (result)) == cqv_graph_client_get_app_secret_expiry_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
