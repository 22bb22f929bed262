/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cqv-simulator"

#include "config.h"

#include "sim-server-private.h"

/* GET /applications(appId='…') and /applications/{id}: the app registrations of the scenario's
 * apps, each with one password credential for its secret (the hint and the end date, never the
 * secret). Every tenant that lists an app serves its registration, as if it were the app's home
 * tenant. */

static const char *const read_roles[] = { "Application.Read.All", "Application.ReadWrite.All",
                                          "Directory.Read.All", "Directory.ReadWrite.All", NULL };

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

static char *
app_object_id (SimTenant *tenant, SimApp *app)
{
  g_autofree char *seed = g_strdup_printf ("application/%s/%s", tenant->tenant_id, app->client_id);

  return sim_guid_from_string (seed);
}

/* Microsoft shows the first three characters of a secret. */
static char *
secret_hint (const char *secret)
{
  if (g_utf8_validate (secret, -1, NULL))
    return g_utf8_substring (secret, 0, MIN (3, g_utf8_strlen (secret, -1)));
  return g_strndup (secret, 3);
}

static void
add_password_credential (JsonBuilder *b, SimApp *app)
{
  g_autofree char *hint = secret_hint (app->secret);
  g_autofree char *start = sim_format_date_time (app->secret_start);
  g_autofree char *end = sim_format_date_time (app->secret_end);

  json_builder_begin_object (b);
  add_string (b, "customKeyIdentifier", NULL);
  add_string (b, "displayName", "Client secret");
  add_string (b, "endDateTime", end);
  add_string (b, "hint", hint);
  add_string (b, "keyId", app->secret_key_id);
  add_string (b, "secretText", NULL);
  add_string (b, "startDateTime", start);
  json_builder_end_object (b);
}

static JsonNode *
app_node (SimTenant *tenant, SimApp *app)
{
  g_autoptr (JsonBuilder) b = json_builder_new ();
  g_autofree char *id = app_object_id (tenant, app);

  json_builder_begin_object (b);
  add_string (b, "id", id);
  add_string (b, "deletedDateTime", NULL);
  add_string (b, "appId", app->client_id);
  add_string (b, "createdDateTime", "2024-01-01T00:00:00Z");
  add_string (b, "displayName", app->display_name ? app->display_name : "CyberQP Verify");
  add_empty_array (b, "identifierUris");
  add_string (b, "publisherDomain",
              tenant->domains && tenant->domains[0] ? tenant->domains[0] : NULL);
  add_string (b, "signInAudience", "AzureADMultipleOrgs");
  add_empty_array (b, "tags");
  add_empty_array (b, "keyCredentials");
  json_builder_set_member_name (b, "passwordCredentials");
  json_builder_begin_array (b);
  if (app->secret != NULL && app->secret_end != NULL)
    add_password_credential (b, app);
  json_builder_end_array (b);
  add_empty_array (b, "requiredResourceAccess");
  json_builder_end_object (b);
  return json_builder_get_root (b);
}

static void
respond_app (SimServer *self, SimRequest *req, SimApp *app)
{
  const char *select = sim_request_param (req, "$select");
  g_autoptr (JsonNode) full = app_node (req->token->tenant, app);
  g_autoptr (JsonNode) node = sim_graph_apply_select (full, select);
  g_autofree char *context = NULL;

  if (select != NULL && *select != '\0')
    context =
      g_strdup_printf ("%s/v1.0/$metadata#applications(%s)/$entity", self->base_url, select);
  else
    context = g_strdup_printf ("%s/v1.0/$metadata#applications/$entity", self->base_url);
  json_object_set_string_member (json_node_get_object (node), "@odata.context", context);
  sim_request_respond_json (req, 200, node);
}

static SimApp *
find_by_object_id (SimTenant *tenant, const char *id)
{
  for (guint i = 0; i < tenant->apps->len; i++)
    {
      SimApp *app = g_ptr_array_index (tenant->apps, i);
      g_autofree char *app_id = app_object_id (tenant, app);

      if (g_ascii_strcasecmp (app_id, id) == 0)
        return app;
    }
  return NULL;
}

/* The key of applications(appId='…'), quotes undoubled, or NULL. */
static char *
parse_app_id_key (const char *segment)
{
  g_autoptr (GRegex) regex = g_regex_new ("^applications\\(appId='((?:[^']|'')*)'\\)$", 0, 0, NULL);
  g_autoptr (GMatchInfo) match = NULL;
  g_autofree char *quoted = NULL;
  g_auto (GStrv) parts = NULL;

  if (!g_regex_match (regex, segment, 0, &match))
    return NULL;
  quoted = g_match_info_fetch (match, 1);
  parts = g_strsplit (quoted, "''", -1);
  return g_strjoinv ("'", parts);
}

gboolean
sim_graph_app_route (SimServer *self, SimRequest *req)
{
  guint n = sim_request_n_segments (req);
  const char **s = (const char **) req->segments;
  g_autofree char *app_id = NULL;
  const char *key;
  SimApp *app;

  if (n == 2)
    app_id = parse_app_id_key (s[1]);
  if (!(n == 2 && app_id != NULL) && !(n == 3 && g_str_equal (s[1], "applications")))
    return FALSE;
  key = app_id != NULL ? app_id : s[2];

  if (!g_str_equal (req->method, "GET"))
    {
      sim_request_respond_graph_error (req, 405, "Request_BadRequest",
                                       "Specified HTTP method is not allowed for the request "
                                       "target.");
      return TRUE;
    }
  if (!sim_graph_authorize (req, read_roles, NULL, NULL))
    return TRUE;

  app = app_id != NULL ? sim_tenant_find_app (req->token->tenant, app_id)
                       : find_by_object_id (req->token->tenant, key);
  if (app == NULL)
    {
      g_autofree char *message = g_strdup_printf ("Resource '%s' does not exist or one of its "
                                                  "queried reference-property objects are not "
                                                  "present.",
                                                  key);

      sim_request_respond_graph_error (req, 404, "Request_ResourceNotFound", message);
      return TRUE;
    }
  respond_app (self, req, app);
  return TRUE;
}
