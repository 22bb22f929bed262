/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cqv-simulator"

#include "config.h"

#include <string.h>

#include "sim-server-private.h"

#define MICROSOFT_TENANT "f8cdef31-a31e-4b4a-93e4-5f571e91255a"
#define SECRET_LENGTH 40

static const char *const read_roles[] = { "Application.Read.All", "Application.ReadWrite.All",
                                          "Directory.Read.All", "Directory.ReadWrite.All", NULL };
static const char *const write_roles[] = { "Application.ReadWrite.All", NULL };

static void
add_string (JsonBuilder *b, const char *name, const char *value)
{
  json_builder_set_member_name (b, name);
  if (value)
    json_builder_add_string_value (b, value);
  else
    json_builder_add_null_value (b);
}

static void
add_empty_array (JsonBuilder *b, const char *name)
{
  json_builder_set_member_name (b, name);
  json_builder_begin_array (b);
  json_builder_end_array (b);
}

static void
add_password (JsonBuilder *b, SimPassword *pw, gboolean with_secret)
{
  g_autofree char *start = sim_format_date_time (pw->start);
  g_autofree char *end = sim_format_date_time (pw->end);

  add_string (b, "customKeyIdentifier", NULL);
  add_string (b, "displayName", pw->display_name);
  add_string (b, "endDateTime", end);
  add_string (b, "hint", pw->hint);
  add_string (b, "keyId", pw->key_id);
  add_string (b, "secretText", with_secret ? pw->secret : NULL);
  add_string (b, "startDateTime", start);
}

static JsonNode *
sp_node (SimTenant *tenant, SimServicePrincipal *sp)
{
  g_autoptr (JsonBuilder) b = json_builder_new ();
  gboolean microsoft = g_str_equal (sp->app_id, SIM_MFA_CLIENT_APP_ID) ||
                       g_str_equal (sp->app_id, SIM_MFA_CONNECTOR_APP_ID);

  json_builder_begin_object (b);
  add_string (b, "id", sp->id);
  add_string (b, "deletedDateTime", NULL);
  json_builder_set_member_name (b, "accountEnabled");
  json_builder_add_boolean_value (b, sp->enabled);
  add_string (b, "appDisplayName", sp->display_name);
  add_string (b, "appId", sp->app_id);
  add_string (b, "appOwnerOrganizationId", microsoft ? MICROSOFT_TENANT : tenant->tenant_id);
  json_builder_set_member_name (b, "appRoleAssignmentRequired");
  json_builder_add_boolean_value (b, FALSE);
  add_string (b, "displayName", sp->display_name);
  add_string (b, "homepage", NULL);
  add_string (b, "logoutUrl", NULL);
  add_string (b, "publisherName", microsoft ? "Microsoft Services" : tenant->display_name);
  add_empty_array (b, "replyUrls");
  json_builder_set_member_name (b, "servicePrincipalNames");
  json_builder_begin_array (b);
  json_builder_add_string_value (b, sp->app_id);
  json_builder_end_array (b);
  add_string (b, "servicePrincipalType", "Application");
  add_string (b, "signInAudience", "AzureADMultipleOrgs");
  add_empty_array (b, "tags");
  add_empty_array (b, "addIns");
  add_empty_array (b, "appRoles");
  json_builder_set_member_name (b, "info");
  json_builder_begin_object (b);
  add_string (b, "termsOfServiceUrl", NULL);
  add_string (b, "supportUrl", NULL);
  add_string (b, "privacyStatementUrl", NULL);
  add_string (b, "marketingUrl", NULL);
  add_string (b, "logoUrl", NULL);
  json_builder_end_object (b);
  add_empty_array (b, "keyCredentials");
  add_empty_array (b, "oauth2PermissionScopes");
  json_builder_set_member_name (b, "passwordCredentials");
  json_builder_begin_array (b);
  for (guint i = 0; i < sp->passwords->len; i++)
    {
      json_builder_begin_object (b);
      add_password (b, g_ptr_array_index (sp->passwords, i), FALSE);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  json_builder_end_object (b);
  return json_builder_get_root (b);
}

/* Keeps only the $select'ed members (and the id). */
JsonNode *
sim_graph_apply_select (JsonNode *full, const char *select)
{
  g_auto (GStrv) names = NULL;
  JsonObject *src = json_node_get_object (full);
  JsonObject *dst;
  JsonNode *node;

  if (select == NULL || *select == '\0')
    return json_node_ref (full);
  names = g_strsplit (select, ",", -1);
  dst = json_object_new ();
  json_object_set_member (dst, "id", json_object_dup_member (src, "id"));
  for (guint i = 0; names[i]; i++)
    {
      const char *name = g_strstrip (names[i]);
      JsonObjectIter iter;
      const char *member;
      JsonNode *value;

      json_object_iter_init (&iter, src);
      while (json_object_iter_next (&iter, &member, &value))
        if (g_ascii_strcasecmp (member, name) == 0)
          json_object_set_member (dst, member, json_node_copy (value));
    }
  node = json_node_init_object (json_node_alloc (), dst);
  json_object_unref (dst);
  return node;
}

static void
respond_sp (SimServer *self, SimRequest *req, SimServicePrincipal *sp, guint status)
{
  g_autoptr (JsonNode) full = sp_node (req->token->tenant, sp);
  g_autoptr (JsonNode) node = sim_graph_apply_select (full, sim_request_param (req, "$select"));
  g_autofree char *context =
    g_strdup_printf ("%s/v1.0/$metadata#servicePrincipals/$entity", self->base_url);

  json_object_set_string_member (json_node_get_object (node), "@odata.context", context);
  sim_request_respond_json (req, status, node);
}

static void
not_found (SimRequest *req, const char *key)
{
  g_autofree char *message = g_strdup_printf ("Resource '%s' does not exist or one of its "
                                              "queried reference-property objects are not "
                                              "present.",
                                              key);

  sim_request_respond_graph_error (req, 404, "Request_ResourceNotFound", message);
}

static gboolean
known_app (SimTenant *tenant, const char *app_id)
{
  return g_ascii_strcasecmp (app_id, SIM_MFA_CLIENT_APP_ID) == 0 ||
         g_ascii_strcasecmp (app_id, SIM_MFA_CONNECTOR_APP_ID) == 0 ||
         sim_tenant_find_app (tenant, app_id) != NULL;
}

/* ---- list / create ---------------------------------------------------- */

static void
list_sps (SimServer *self, SimRequest *req)
{
  SimTenant *tenant = req->token->tenant;
  const char *filter = sim_request_param (req, "$filter");
  const char *select = sim_request_param (req, "$select");
  g_autofree char *app_id = NULL;
  g_autofree char *context = NULL;
  JsonObject *root = json_object_new ();
  JsonArray *value = json_array_new ();
  g_autoptr (JsonNode) node = json_node_init_object (json_node_alloc (), root);

  if (filter != NULL)
    {
      g_autoptr (GRegex) regex = g_regex_new ("^\\s*appId\\s+eq\\s+'([^']*)'\\s*$", 0, 0, NULL);
      g_autoptr (GMatchInfo) match = NULL;

      if (!g_regex_match (regex, filter, 0, &match))
        {
          json_array_unref (value);
          json_object_unref (root);
          return sim_request_respond_graph_error (req, 400, "BadRequest",
                                                  "Invalid filter clause: the simulator "
                                                  "understands only appId eq '<guid>'.");
        }
      app_id = g_match_info_fetch (match, 1);
    }
  for (guint i = 0; i < tenant->sps->len; i++)
    {
      SimServicePrincipal *sp = g_ptr_array_index (tenant->sps, i);
      g_autoptr (JsonNode) full = NULL;

      if (app_id && g_ascii_strcasecmp (app_id, sp->app_id) != 0)
        continue;
      full = sp_node (tenant, sp);
      json_array_add_element (value, sim_graph_apply_select (full, select));
    }
  context = g_strdup_printf ("%s/v1.0/$metadata#servicePrincipals", self->base_url);
  json_object_set_string_member (root, "@odata.context", context);
  json_object_set_array_member (root, "value", value);
  json_object_unref (root);
  sim_request_respond_json (req, 200, node);
}

static void
create_sp (SimServer *self, SimRequest *req)
{
  g_autoptr (JsonParser) parser = json_parser_new ();
  JsonObject *obj = sim_graph_json_body (req, parser, FALSE);
  SimTenant *tenant = req->token->tenant;
  const char *app_id;

  if (obj == NULL)
    return;
  app_id = json_object_get_string_member_with_default (obj, "appId", NULL);
  if (app_id == NULL || *app_id == '\0')
    return sim_request_respond_graph_error (req, 400, "Request_BadRequest",
                                            "Property 'appId' is required.");
  if (sim_tenant_find_sp (tenant, app_id) != NULL)
    {
      g_autofree char *message = g_strdup_printf ("The service principal cannot be created, "
                                                  "updated, or restored because the service "
                                                  "principal name %s is already in use.",
                                                  app_id);

      return sim_request_respond_graph_error (req, 409, "Request_MultipleObjectsWithSameKeyValue",
                                              message);
    }
  if (!known_app (tenant, app_id))
    {
      g_autofree char *message = g_strdup_printf ("The appId '%s' of the service principal "
                                                  "does not reference a valid application "
                                                  "object.",
                                                  app_id);

      return sim_request_respond_graph_error (req, 400, "Request_BadRequest", message);
    }
  g_message ("service principal created for %s in %s", app_id, tenant->tenant_id);
  respond_sp (self, req, sim_tenant_ensure_sp (tenant, app_id, TRUE), 201);
}

/* ---- update ----------------------------------------------------------- */

static void
patch_sp (SimServer *self,
          SimRequest *req,
          SimServicePrincipal *sp,
          const char *app_id,
          const char *key)
{
  g_autoptr (JsonParser) parser = json_parser_new ();
  JsonObject *obj = sim_graph_json_body (req, parser, FALSE);
  SimTenant *tenant = req->token->tenant;
  const char *prefer = sim_request_header (req, "Prefer");
  JsonNode *enabled;

  if (obj == NULL)
    return;
  enabled = json_object_get_member (obj, "accountEnabled");
  if (enabled != NULL &&
      (!JSON_NODE_HOLDS_VALUE (enabled) || json_node_get_value_type (enabled) != G_TYPE_BOOLEAN))
    return sim_request_respond_graph_error (req, 400, "Request_BadRequest",
                                            "Invalid value specified for property "
                                            "'accountEnabled' of resource 'ServicePrincipal'.");
  if (sp == NULL)
    {
      if (app_id == NULL || prefer == NULL || strstr (prefer, "create-if-missing") == NULL)
        return not_found (req, key);
      if (!known_app (tenant, app_id))
        return sim_request_respond_graph_error (req, 400, "Request_BadRequest",
                                                "The appId of the service principal does not "
                                                "reference a valid application object.");
      sp = sim_tenant_ensure_sp (tenant, app_id, TRUE);
      g_message ("service principal created for %s in %s", app_id, tenant->tenant_id);
    }
  if (enabled != NULL)
    sp->enabled = json_node_get_boolean (enabled);
  sim_request_respond (req, 204, NULL, NULL, 0);
}

/* ---- credentials ------------------------------------------------------ */

static gboolean
parse_date (SimRequest *req, JsonObject *obj, const char *name, GDateTime **out)
{
  JsonNode *node = json_object_get_member (obj, name);
  GDateTime *dt;

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return TRUE;
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING ||
      (dt = g_date_time_new_from_iso8601 (json_node_get_string (node), NULL)) == NULL)
    {
      g_autofree char *message = g_strdup_printf ("Invalid value specified for property '%s' "
                                                  "of resource 'PasswordCredential'.",
                                                  name);

      sim_request_respond_graph_error (req, 400, "Request_BadRequest", message);
      return FALSE;
    }
  g_clear_pointer (out, g_date_time_unref);
  *out = dt;
  return TRUE;
}

static void
add_password_cred (SimServer *self, SimRequest *req, SimServicePrincipal *sp)
{
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_autoptr (JsonBuilder) b = json_builder_new ();
  g_autoptr (GDateTime) start = NULL;
  g_autoptr (GDateTime) end = NULL;
  g_autofree char *context = NULL;
  SimTenant *tenant = req->token->tenant;
  JsonObject *obj = sim_graph_json_body (req, parser, TRUE);
  JsonObject *cred = NULL;
  JsonNode *cred_node;
  SimPassword *pw;
  const char *display_name = NULL;

  if (obj == NULL)
    return;
  cred_node = json_object_get_member (obj, "passwordCredential");
  if (cred_node != NULL && JSON_NODE_HOLDS_OBJECT (cred_node))
    cred = json_node_get_object (cred_node);
  else if (cred_node != NULL && !JSON_NODE_HOLDS_NULL (cred_node))
    return sim_request_respond_graph_error (req, 400, "Request_BadRequest",
                                            "Invalid value specified for property "
                                            "'passwordCredential'.");
  if (cred != NULL)
    {
      JsonNode *dn = json_object_get_member (cred, "displayName");

      if (dn && JSON_NODE_HOLDS_VALUE (dn) && json_node_get_value_type (dn) == G_TYPE_STRING)
        display_name = json_node_get_string (dn);
      if (!parse_date (req, cred, "startDateTime", &start) ||
          !parse_date (req, cred, "endDateTime", &end))
        return;
    }
  if (start == NULL)
    start = g_date_time_new_now_utc ();
  if (end == NULL)
    end = g_date_time_add_years (start, 2);
  if (g_date_time_compare (end, start) <= 0)
    return sim_request_respond_graph_error (req, 400, "Request_BadRequest",
                                            "Key credential end date is invalid.");
  if (tenant->max_password_lifetime_days > 0 &&
      g_date_time_difference (end, start) >
        (GTimeSpan) tenant->max_password_lifetime_days * G_TIME_SPAN_DAY)
    return sim_request_respond_graph_error (req, 400, "CredentialTypeNotAllowedAsPerAppPolicy",
                                            "Credential lifetime exceeds the max value allowed "
                                            "as per assigned policy 'Default app management "
                                            "tenant policy'. Please use a shorter lifetime.");

  pw = g_new0 (SimPassword, 1);
  pw->key_id = sim_guid_random ();
  pw->display_name = g_strdup (display_name);
  pw->secret = sim_random_secret (SECRET_LENGTH);
  pw->hint = g_strndup (pw->secret, 3);
  pw->start = g_date_time_ref (start);
  pw->end = g_date_time_ref (end);
  pw->usable_after =
    g_get_monotonic_time () + sim_server_scale_us (self, tenant->secret_propagation_seconds);
  g_ptr_array_add (sp->passwords, pw);
  g_message ("password credential %s added to %s (%s)", pw->key_id, sp->app_id, tenant->tenant_id);

  context =
    g_strdup_printf ("%s/v1.0/$metadata#microsoft.graph.passwordCredential", self->base_url);
  json_builder_begin_object (b);
  add_string (b, "@odata.context", context);
  add_password (b, pw, TRUE);
  json_builder_end_object (b);
  sim_request_respond_builder (req, 200, b);
}

static void
remove_password_cred (SimServer *self, SimRequest *req, SimServicePrincipal *sp)
{
  g_autoptr (JsonParser) parser = json_parser_new ();
  JsonObject *obj = sim_graph_json_body (req, parser, FALSE);
  const char *key_id;

  if (obj == NULL)
    return;
  key_id = json_object_get_string_member_with_default (obj, "keyId", NULL);
  if (key_id == NULL)
    return sim_request_respond_graph_error (req, 400, "Request_BadRequest",
                                            "Property 'keyId' is required.");
  for (guint i = 0; i < sp->passwords->len; i++)
    {
      SimPassword *pw = g_ptr_array_index (sp->passwords, i);

      if (g_ascii_strcasecmp (pw->key_id, key_id) == 0)
        {
          g_message ("password credential %s removed from %s", pw->key_id, sp->app_id);
          g_ptr_array_remove_index (sp->passwords, i);
          sim_request_respond (req, 204, NULL, NULL, 0);
          return;
        }
    }
  not_found (req, key_id);
}

/* ---- routing ---------------------------------------------------------- */

static char *
parse_app_id_key (const char *segment)
{
  g_autoptr (GRegex) regex =
    g_regex_new ("^servicePrincipals\\(appId='([0-9A-Fa-f-]{1,64})'\\)$", 0, 0, NULL);
  g_autoptr (GMatchInfo) match = NULL;

  if (!g_regex_match (regex, segment, 0, &match))
    return NULL;
  return g_match_info_fetch (match, 1);
}

static void
item_route (SimServer *self,
            SimRequest *req,
            const char *app_id,
            const char *key,
            const char *action)
{
  gboolean write = !g_str_equal (req->method, "GET");
  SimTenant *tenant;
  SimServicePrincipal *sp;

  if (!sim_graph_authorize (req, write ? write_roles : read_roles, NULL, NULL))
    return;
  tenant = req->token->tenant;
  sp = app_id ? sim_tenant_find_sp (tenant, app_id) : sim_tenant_find_sp_by_id (tenant, key);

  if (action == NULL && g_str_equal (req->method, "GET"))
    sp ? respond_sp (self, req, sp, 200) : not_found (req, key);
  else if (action == NULL && g_str_equal (req->method, "PATCH"))
    patch_sp (self, req, sp, app_id, key);
  else if (action != NULL && g_str_equal (req->method, "POST"))
    {
      if (sp == NULL)
        not_found (req, key);
      else if (g_str_equal (action, "addPassword"))
        add_password_cred (self, req, sp);
      else
        remove_password_cred (self, req, sp);
    }
  else
    sim_request_respond_graph_error (req, 405, "Request_BadRequest",
                                     "Specified HTTP method is not allowed for the request "
                                     "target.");
}

gboolean
sim_graph_sp_route (SimServer *self, SimRequest *req)
{
  guint n = sim_request_n_segments (req);
  const char **s = (const char **) req->segments;
  g_autofree char *app_id = NULL;
  const char *action = NULL;

  if (g_str_equal (s[1], "servicePrincipals"))
    {
      if (n == 2)
        {
          gboolean get = g_str_equal (req->method, "GET");

          if (!get && !g_str_equal (req->method, "POST"))
            sim_request_respond_graph_error (req, 405, "Request_BadRequest",
                                             "Specified HTTP method is not allowed for the "
                                             "request target.");
          else if (sim_graph_authorize (req, get ? read_roles : write_roles, NULL, NULL))
            get ? list_sps (self, req) : create_sp (self, req);
          return TRUE;
        }
      if (n == 4)
        action = s[3];
      if (n > 4 || (action && !g_str_equal (action, "addPassword") &&
                    !g_str_equal (action, "removePassword")))
        return FALSE;
      item_route (self, req, NULL, s[2], action);
      return TRUE;
    }

  app_id = parse_app_id_key (s[1]);
  if (app_id == NULL)
    return FALSE;
  if (n == 3)
    action = s[2];
  if (n > 3 ||
      (action && !g_str_equal (action, "addPassword") && !g_str_equal (action, "removePassword")))
    return FALSE;
  item_route (self, req, app_id, app_id, action);
  return TRUE;
}
