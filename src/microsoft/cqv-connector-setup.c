/* SPDX-License-Identifier: GPL-3.0-or-later */

#define G_LOG_DOMAIN "cqv-connector"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "cqv-connector-private.h"

#define PERMISSION_NAME "Application.ReadWrite.All"

/* Lifetimes tried in turn when an app management policy caps the credential lifetime. */
static const guint lifetimes_days[] = { 180, 90, 30, 7 };

typedef struct
{
  guint app_index; /* 0: the Client, 1: the Connector */
  GPtrArray *credentials;
} EnsureData;

typedef struct
{
  guint lifetime_index;
  GError *last_error;
} AddData;

static void lookup_sp (GTask *task);

G_DEFINE_BOXED_TYPE (CqvConnectorCredential,
                     cqv_connector_credential,
                     cqv_connector_credential_copy,
                     cqv_connector_credential_free)

static void
ensure_data_free (EnsureData *data)
{
  g_clear_pointer (&data->credentials, g_ptr_array_unref);
  g_free (data);
}

static void
add_data_free (AddData *data)
{
  g_clear_error (&data->last_error);
  g_free (data);
}

static JsonObject *
parse_object (GBytes *body, JsonParser *parser, GError **error)
{
  gsize len = 0;
  const char *data = body != NULL ? g_bytes_get_data (body, &len) : NULL;
  JsonNode *root;

  if (data == NULL || !json_parser_load_from_data (parser, data, len, NULL) ||
      (root = json_parser_get_root (parser)) == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      g_set_error (error, CQV_CONNECTOR_ERROR, CQV_CONNECTOR_ERROR_MALFORMED,
                   _("Microsoft Graph sent an answer that could not be read."));
      return NULL;
    }

  return json_node_get_object (root);
}

static GDateTime *
member_date (JsonObject *object, const char *name)
{
  const char *text = json_object_get_string_member_with_default (object, name, NULL);

  return text != NULL ? g_date_time_new_from_iso8601 (text, NULL) : NULL;
}

static char *
format_date (GDateTime *dt)
{
  g_autoptr (GDateTime) utc = g_date_time_to_utc (dt);

  return g_date_time_format (utc, "%Y-%m-%dT%H:%M:%SZ");
}

static CqvConnectorCredential *
credential_from_json (JsonObject *object)
{
  const char *key_id = json_object_get_string_member_with_default (object, "keyId", NULL);
  CqvConnectorCredential *credential;

  if (key_id == NULL)
    return NULL;

  credential = g_new0 (CqvConnectorCredential, 1);
  credential->key_id = g_strdup (key_id);
  credential->display_name =
    g_strdup (json_object_get_string_member_with_default (object, "displayName", NULL));
  credential->start = member_date (object, "startDateTime");
  credential->end = member_date (object, "endDateTime");
  return credential;
}

static void
add_credentials (GPtrArray *credentials, JsonObject *sp)
{
  JsonArray *array;

  if (!json_object_has_member (sp, "passwordCredentials") ||
      !JSON_NODE_HOLDS_ARRAY (json_object_get_member (sp, "passwordCredentials")))
    return;

  array = json_object_get_array_member (sp, "passwordCredentials");
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *node = json_array_get_element (array, i);
      CqvConnectorCredential *credential;

      if (JSON_NODE_HOLDS_OBJECT (node) &&
          (credential = credential_from_json (json_node_get_object (node))) != NULL)
        g_ptr_array_add (credentials, credential);
    }
}

/* Graph permission trouble while setting up the connector: name what to grant. */
static GError *
explain_graph_error (GError *error)
{
  if (g_error_matches (error, CQV_GRAPH_ERROR, CQV_GRAPH_ERROR_PERMISSION_MISSING))
    g_prefix_error (&error,
                    _("The app needs the Microsoft Graph application permission %s, with admin "
                      "consent, to set up the MFA connector. Grant it in the Entra admin center "
                      "and try again. "),
                       PERMISSION_NAME);
  return error;
}

static char *
filter_path (const char *app_id)
{
  g_autofree char *filter = g_strdup_printf ("appId eq '%s'", app_id);
  g_autofree char *escaped = g_uri_escape_string (filter, NULL, FALSE);

  return g_strdup_printf (
    "/v1.0/servicePrincipals?$filter=%s&$select=id,appId,accountEnabled,passwordCredentials",
    escaped);
}

static const char *
ensure_app_id (EnsureData *data)
{
  return data->app_index == 0 ? CQV_MFA_CLIENT_APP_ID : CQV_MFA_CONNECTOR_APP_ID;
}

static void
next_sp (GTask *task)
{
  EnsureData *data = g_task_get_task_data (task);

  data->app_index++;
  if (data->app_index < 2)
    lookup_sp (task);
  else
    g_task_return_pointer (task, g_ptr_array_ref (data->credentials),
                           (GDestroyNotify) g_ptr_array_unref);
}

static void
enable_sp_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GTask) task = user_data;
  g_autoptr (GBytes) body = NULL;
  g_autoptr (GError) error = NULL;

  body = cqv_graph_client_request_finish (CQV_GRAPH_CLIENT (object), result, NULL, &error);
  if (error != NULL)
    {
      g_task_return_error (task, explain_graph_error (g_steal_pointer (&error)));
      return;
    }

  next_sp (task);
}

static void
enable_sp (GTask *task, const char *sp_id)
{
  CqvConnector *self = g_task_get_source_object (task);
  EnsureData *data = g_task_get_task_data (task);
  g_autoptr (JsonBuilder) builder = json_builder_new ();
  g_autoptr (JsonNode) body = NULL;
  g_autofree char *path = g_strdup_printf ("/v1.0/servicePrincipals/%s", sp_id);

  g_debug ("Enabling the service principal of %s", ensure_app_id (data));

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "accountEnabled");
  json_builder_add_boolean_value (builder, TRUE);
  json_builder_end_object (builder);
  body = json_builder_get_root (builder);

  cqv_graph_client_request_async (self->graph, "PATCH", path, body, g_task_get_cancellable (task),
                                  enable_sp_cb, g_object_ref (task));
}

/* Handles one service principal object: remembers the Client's id and credentials, enables
 * it when disabled. */
static void
found_sp (GTask *task, JsonObject *sp)
{
  CqvConnector *self = g_task_get_source_object (task);
  EnsureData *data = g_task_get_task_data (task);
  const char *id = json_object_get_string_member_with_default (sp, "id", NULL);

  if (id == NULL)
    {
      g_task_return_new_error (task, CQV_CONNECTOR_ERROR, CQV_CONNECTOR_ERROR_MALFORMED,
                               _("Microsoft Graph sent a service principal without an id."));
      return;
    }

  if (data->app_index == 0)
    {
      g_free (self->sp_id);
      self->sp_id = g_strdup (id);
      add_credentials (data->credentials, sp);
    }

  if (!json_object_get_boolean_member_with_default (sp, "accountEnabled", TRUE))
    enable_sp (task, id);
  else
    next_sp (task);
}

static void
create_sp_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GTask) task = user_data;
  g_autoptr (GBytes) body = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonParser) parser = json_parser_new ();
  JsonObject *sp;

  body = cqv_graph_client_request_finish (CQV_GRAPH_CLIENT (object), result, NULL, &error);
  if (error != NULL)
    {
      g_task_return_error (task, explain_graph_error (g_steal_pointer (&error)));
      return;
    }

  if ((sp = parse_object (body, parser, &error)) == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  found_sp (task, sp);
}

static void
create_sp (GTask *task)
{
  CqvConnector *self = g_task_get_source_object (task);
  EnsureData *data = g_task_get_task_data (task);
  g_autoptr (JsonBuilder) builder = json_builder_new ();
  g_autoptr (JsonNode) body = NULL;

  g_debug ("Creating the service principal of %s", ensure_app_id (data));

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "appId");
  json_builder_add_string_value (builder, ensure_app_id (data));
  json_builder_end_object (builder);
  body = json_builder_get_root (builder);

  cqv_graph_client_request_async (self->graph, "POST", "/v1.0/servicePrincipals", body,
                                  g_task_get_cancellable (task), create_sp_cb, g_object_ref (task));
}

static void
lookup_sp_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GTask) task = user_data;
  g_autoptr (GBytes) body = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonParser) parser = json_parser_new ();
  JsonObject *root;
  JsonArray *value;

  body = cqv_graph_client_request_finish (CQV_GRAPH_CLIENT (object), result, NULL, &error);
  if (error != NULL)
    {
      g_task_return_error (task, explain_graph_error (g_steal_pointer (&error)));
      return;
    }

  if ((root = parse_object (body, parser, &error)) == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  if (!json_object_has_member (root, "value") ||
      !JSON_NODE_HOLDS_ARRAY (json_object_get_member (root, "value")))
    {
      g_task_return_new_error (task, CQV_CONNECTOR_ERROR, CQV_CONNECTOR_ERROR_MALFORMED,
                               _("Microsoft Graph sent a service principal list without values."));
      return;
    }

  value = json_object_get_array_member (root, "value");
  if (json_array_get_length (value) == 0)
    create_sp (task);
  else if (JSON_NODE_HOLDS_OBJECT (json_array_get_element (value, 0)))
    found_sp (task, json_array_get_object_element (value, 0));
  else
    g_task_return_new_error (task, CQV_CONNECTOR_ERROR, CQV_CONNECTOR_ERROR_MALFORMED,
                             _("Microsoft Graph sent a service principal that is not an object."));
}

static void
lookup_sp (GTask *task)
{
  CqvConnector *self = g_task_get_source_object (task);
  EnsureData *data = g_task_get_task_data (task);
  g_autofree char *path = filter_path (ensure_app_id (data));

  cqv_graph_client_request_async (self->graph, "GET", path, NULL, g_task_get_cancellable (task),
                                  lookup_sp_cb, g_object_ref (task));
}

static JsonNode *
build_add_password_body (guint days)
{
  g_autoptr (JsonBuilder) builder = json_builder_new ();
  g_autoptr (GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr (GDateTime) start = g_date_time_add_minutes (now, -5);
  /* Policies measure the lifetime from the start. */
  g_autoptr (GDateTime) end = g_date_time_add_days (start, days);
  g_autofree char *start_text = format_date (start);
  g_autofree char *end_text = format_date (end);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "passwordCredential");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "displayName");
  json_builder_add_string_value (builder, CQV_CONNECTOR_CREDENTIAL_NAME);
  json_builder_set_member_name (builder, "startDateTime");
  json_builder_add_string_value (builder, start_text);
  json_builder_set_member_name (builder, "endDateTime");
  json_builder_add_string_value (builder, end_text);
  json_builder_end_object (builder);
  json_builder_end_object (builder);

  return json_builder_get_root (builder);
}

static void try_add_password (GTask *task);

static void
add_password_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GTask) task = user_data;
  AddData *data = g_task_get_task_data (task);
  g_autoptr (GBytes) body = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_autoptr (CqvConnectorCredential) credential = NULL;
  JsonObject *object_json;
  const char *secret_text;

  body = cqv_graph_client_request_finish (CQV_GRAPH_CLIENT (object), result, NULL, &error);
  if (g_error_matches (error, CQV_GRAPH_ERROR, CQV_GRAPH_ERROR_POLICY))
    {
      g_debug ("addPassword refused for %u days: %s", lifetimes_days[data->lifetime_index],
               error->message);
      g_clear_error (&data->last_error);
      data->last_error = g_steal_pointer (&error);
      data->lifetime_index++;
      try_add_password (task);
      return;
    }
  if (error != NULL)
    {
      g_task_return_error (task, explain_graph_error (g_steal_pointer (&error)));
      return;
    }

  if ((object_json = parse_object (body, parser, &error)) == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  secret_text = json_object_get_string_member_with_default (object_json, "secretText", NULL);
  credential = credential_from_json (object_json);
  if (secret_text == NULL || *secret_text == '\0' || credential == NULL)
    {
      g_task_return_new_error (task, CQV_CONNECTOR_ERROR, CQV_CONNECTOR_ERROR_MALFORMED,
                               _("Microsoft Graph created a secret but did not return it."));
      return;
    }

  /* The secret travels in the task data: the credential is the result, the secret goes out
   * through finish's out parameter. */
  g_object_set_data_full (G_OBJECT (task), "secret-text", g_strdup (secret_text),
                          (GDestroyNotify) cqv_connector_secret_free);
  g_task_return_pointer (task, g_steal_pointer (&credential),
                         (GDestroyNotify) cqv_connector_credential_free);
}

static void
try_add_password (GTask *task)
{
  CqvConnector *self = g_task_get_source_object (task);
  AddData *data = g_task_get_task_data (task);
  g_autoptr (JsonNode) body = NULL;
  g_autofree char *path = NULL;

  if (data->lifetime_index >= G_N_ELEMENTS (lifetimes_days))
    {
      g_task_return_new_error (
        task, CQV_CONNECTOR_ERROR, CQV_CONNECTOR_ERROR_POLICY,
        _("The tenant's app management policy refuses a secret for “Azure Multi-Factor Auth "
          "Client” (%s), even one valid for only %u days. Exempt this service principal from "
          "the policy or allow password credentials in the Entra admin center. Microsoft said: "
          "%s"),
           CQV_MFA_CLIENT_APP_ID, lifetimes_days[G_N_ELEMENTS (lifetimes_days) - 1],
           data->last_error != NULL ? data->last_error->message : "");
      return;
    }

  path = g_strdup_printf ("/v1.0/servicePrincipals/%s/addPassword", self->sp_id);
  body = build_add_password_body (lifetimes_days[data->lifetime_index]);
  cqv_graph_client_request_async (self->graph, "POST", path, body, g_task_get_cancellable (task),
                                  add_password_cb, g_object_ref (task));
}

static void
remove_password_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GTask) task = user_data;
  g_autoptr (GBytes) body = NULL;
  g_autoptr (GError) error = NULL;

  body = cqv_graph_client_request_finish (CQV_GRAPH_CLIENT (object), result, NULL, &error);
  /* Already gone is what we wanted. */
  if (error != NULL && !g_error_matches (error, CQV_GRAPH_ERROR, CQV_GRAPH_ERROR_NOT_FOUND))
    g_task_return_error (task, explain_graph_error (g_steal_pointer (&error)));
  else
    g_task_return_boolean (task, TRUE);
}

CqvConnectorCredential *
cqv_connector_credential_copy (const CqvConnectorCredential *credential)
{
  CqvConnectorCredential *copy;

  g_return_val_if_fail (credential != NULL, NULL);

  copy = g_new0 (CqvConnectorCredential, 1);
  copy->key_id = g_strdup (credential->key_id);
  copy->display_name = g_strdup (credential->display_name);
  copy->start = credential->start != NULL ? g_date_time_ref (credential->start) : NULL;
  copy->end = credential->end != NULL ? g_date_time_ref (credential->end) : NULL;
  return copy;
}

void
cqv_connector_credential_free (CqvConnectorCredential *credential)
{
  if (credential == NULL)
    return;

  g_free (credential->key_id);
  g_free (credential->display_name);
  g_clear_pointer (&credential->start, g_date_time_unref);
  g_clear_pointer (&credential->end, g_date_time_unref);
  g_free (credential);
}

gboolean
cqv_connector_credential_is_expired_ours (const CqvConnectorCredential *credential, GDateTime *now)
{
  g_return_val_if_fail (credential != NULL, FALSE);
  g_return_val_if_fail (now != NULL, FALSE);

  return g_strcmp0 (credential->display_name, CQV_CONNECTOR_CREDENTIAL_NAME) == 0 &&
         credential->end != NULL && g_date_time_compare (credential->end, now) <= 0;
}

void
cqv_connector_ensure_service_principals_async (CqvConnector *self,
                                               GCancellable *cancellable,
                                               GAsyncReadyCallback callback,
                                               gpointer user_data)
{
  g_autoptr (GTask) task = NULL;
  EnsureData *data;

  g_return_if_fail (CQV_IS_CONNECTOR (self));
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, cqv_connector_ensure_service_principals_async);
  data = g_new0 (EnsureData, 1);
  data->credentials =
    g_ptr_array_new_with_free_func ((GDestroyNotify) cqv_connector_credential_free);
  g_task_set_task_data (task, data, (GDestroyNotify) ensure_data_free);

  lookup_sp (task);
}

GPtrArray *
cqv_connector_ensure_service_principals_finish (CqvConnector *self,
                                                GAsyncResult *result,
                                                GError **error)
{
  g_return_val_if_fail (CQV_IS_CONNECTOR (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

const char *
cqv_connector_get_service_principal_id (CqvConnector *self)
{
  g_return_val_if_fail (CQV_IS_CONNECTOR (self), NULL);

  return self->sp_id;
}

void
cqv_connector_add_password_async (CqvConnector *self,
                                  GCancellable *cancellable,
                                  GAsyncReadyCallback callback,
                                  gpointer user_data)
{
  g_autoptr (GTask) task = NULL;

  g_return_if_fail (CQV_IS_CONNECTOR (self));
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, cqv_connector_add_password_async);
  g_task_set_task_data (task, g_new0 (AddData, 1), (GDestroyNotify) add_data_free);

  if (self->sp_id == NULL)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_NOT_INITIALIZED,
                               "The MFA Client service principal is not known yet");
      return;
    }

  try_add_password (task);
}

CqvConnectorCredential *
cqv_connector_add_password_finish (CqvConnector *self,
                                   GAsyncResult *result,
                                   char **secret_text,
                                   GError **error)
{
  CqvConnectorCredential *credential;

  g_return_val_if_fail (CQV_IS_CONNECTOR (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (secret_text != NULL, NULL);

  *secret_text = NULL;
  credential = g_task_propagate_pointer (G_TASK (result), error);
  if (credential != NULL)
    *secret_text = g_object_steal_data (G_OBJECT (result), "secret-text");
  return credential;
}

void
cqv_connector_remove_password_async (CqvConnector *self,
                                     const char *key_id,
                                     GCancellable *cancellable,
                                     GAsyncReadyCallback callback,
                                     gpointer user_data)
{
  g_autoptr (GTask) task = NULL;
  g_autoptr (JsonBuilder) builder = NULL;
  g_autoptr (JsonNode) body = NULL;
  g_autofree char *path = NULL;

  g_return_if_fail (CQV_IS_CONNECTOR (self));
  g_return_if_fail (key_id != NULL);
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, cqv_connector_remove_password_async);

  if (self->sp_id == NULL)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_NOT_INITIALIZED,
                               "The MFA Client service principal is not known yet");
      return;
    }

  builder = json_builder_new ();
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "keyId");
  json_builder_add_string_value (builder, key_id);
  json_builder_end_object (builder);
  body = json_builder_get_root (builder);

  path = g_strdup_printf ("/v1.0/servicePrincipals/%s/removePassword", self->sp_id);
  cqv_graph_client_request_async (self->graph, "POST", path, body, cancellable, remove_password_cb,
                                  g_steal_pointer (&task));
}

gboolean
cqv_connector_remove_password_finish (CqvConnector *self, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (CQV_IS_CONNECTOR (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}
