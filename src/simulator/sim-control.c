/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cqv-simulator"

#include "config.h"

#include "sim-server-private.h"

/* ---- control API ------------------------------------------------------ */

static void
control_requests (SimServer *self, SimRequest *req)
{
  g_autoptr (JsonBuilder) b = json_builder_new ();

  if (g_str_equal (req->method, "DELETE"))
    {
      /* requests still in flight keep a stale index: the generation tells */
      g_ptr_array_set_size (self->log, 0);
      self->log_generation++;
      req->log_index = -1;
      sim_request_respond (req, 204, NULL, NULL, 0);
      return;
    }
  json_builder_begin_array (b);
  for (guint i = 0; i < self->log->len; i++)
    {
      SimLogEntry *entry = g_ptr_array_index (self->log, i);

      if ((int) i == req->log_index)
        continue;
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "method");
      json_builder_add_string_value (b, entry->method);
      json_builder_set_member_name (b, "path");
      json_builder_add_string_value (b, entry->path);
      json_builder_set_member_name (b, "status");
      json_builder_add_int_value (b, entry->status);
      if (entry->in_batch)
        {
          json_builder_set_member_name (b, "in_batch");
          json_builder_add_boolean_value (b, TRUE);
        }
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  sim_request_respond_builder (req, 200, b);
}

static void
add_password_json (JsonBuilder *b, SimPassword *pw)
{
  g_autofree char *start = sim_format_date_time (pw->start);
  g_autofree char *end = sim_format_date_time (pw->end);

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "keyId");
  json_builder_add_string_value (b, pw->key_id);
  json_builder_set_member_name (b, "displayName");
  json_builder_add_string_value (b, pw->display_name);
  json_builder_set_member_name (b, "hint");
  json_builder_add_string_value (b, pw->hint);
  json_builder_set_member_name (b, "startDateTime");
  json_builder_add_string_value (b, start);
  json_builder_set_member_name (b, "endDateTime");
  json_builder_add_string_value (b, end);
  json_builder_end_object (b);
}

static void
control_state (SimServer *self, SimRequest *req)
{
  const char *id = sim_request_param (req, "tenant");
  SimTenant *tenant = id ? sim_scenario_find_tenant (self->scenario, id)
                         : g_ptr_array_index (self->scenario->tenants, 0);
  g_autoptr (JsonBuilder) b = json_builder_new ();

  if (tenant == NULL)
    {
      sim_request_respond (req, 404, "text/plain", "unknown tenant", -1);
      return;
    }
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "tenant_id");
  json_builder_add_string_value (b, tenant->tenant_id);
  json_builder_set_member_name (b, "p1");
  json_builder_add_boolean_value (b, tenant->p1);
  json_builder_set_member_name (b, "user_count");
  json_builder_add_int_value (b, tenant->users->len);
  json_builder_set_member_name (b, "service_principals");
  json_builder_begin_array (b);
  for (guint i = 0; i < tenant->sps->len; i++)
    {
      SimServicePrincipal *sp = g_ptr_array_index (tenant->sps, i);

      json_builder_begin_object (b);
      json_builder_set_member_name (b, "appId");
      json_builder_add_string_value (b, sp->app_id);
      json_builder_set_member_name (b, "id");
      json_builder_add_string_value (b, sp->id);
      json_builder_set_member_name (b, "displayName");
      json_builder_add_string_value (b, sp->display_name);
      json_builder_set_member_name (b, "accountEnabled");
      json_builder_add_boolean_value (b, sp->enabled);
      json_builder_set_member_name (b, "passwordCredentials");
      json_builder_begin_array (b);
      for (guint j = 0; j < sp->passwords->len; j++)
        add_password_json (b, g_ptr_array_index (sp->passwords, j));
      json_builder_end_array (b);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);

  json_builder_set_member_name (b, "pushes");
  json_builder_begin_object (b);
  for (guint i = 0; i < tenant->users->len; i++)
    {
      SimUser *user = g_ptr_array_index (tenant->users, i);

      if (user->begins == 0)
        continue;
      json_builder_set_member_name (b, user->upn);
      json_builder_add_int_value (b, user->pushes);
    }
  json_builder_end_object (b);
  json_builder_set_member_name (b, "begin_requests");
  json_builder_begin_object (b);
  for (guint i = 0; i < tenant->users->len; i++)
    {
      SimUser *user = g_ptr_array_index (tenant->users, i);

      if (user->begins == 0)
        continue;
      json_builder_set_member_name (b, user->upn);
      json_builder_add_int_value (b, user->begins);
    }
  json_builder_end_object (b);
  json_builder_end_object (b);
  sim_request_respond_builder (req, 200, b);
}

static JsonObject *
body_object (SimRequest *req, JsonParser *parser)
{
  gsize length;
  const char *data = g_bytes_get_data (req->body, &length);

  if (length == 0 || !json_parser_load_from_data (parser, data, length, NULL) ||
      !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    return NULL;
  return json_node_get_object (json_parser_get_root (parser));
}

static void
respond_control_error (SimRequest *req, guint status, const char *message)
{
  g_autoptr (JsonBuilder) b = json_builder_new ();

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "error");
  json_builder_add_string_value (b, message);
  json_builder_end_object (b);
  sim_request_respond_builder (req, status, b);
}

static void
control_tenant (SimServer *self, SimRequest *req)
{
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_autoptr (GError) error = NULL;
  SimTenant *tenant = sim_scenario_find_tenant (self->scenario, req->segments[2]);
  JsonObject *obj;

  if (tenant == NULL)
    return respond_control_error (req, 404, "unknown tenant");
  obj = body_object (req, parser);
  if (obj == NULL)
    return respond_control_error (req, 400, "the body must be a JSON object");
  if (!sim_tenant_merge_json (tenant, self->scenario, obj, &error))
    return respond_control_error (req, 400, error->message);
  g_message ("tenant %s reconfigured", tenant->tenant_id);
  sim_server_pushes_changed (self);
  sim_request_respond (req, 204, NULL, NULL, 0);
}

static void
control_answer (SimServer *self, SimRequest *req)
{
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_autoptr (GError) error = NULL;
  JsonObject *obj = body_object (req, parser);
  const char *answer =
    obj ? json_object_get_string_member_with_default (obj, "answer", NULL) : NULL;

  if (answer == NULL)
    return respond_control_error (req, 400,
                                  "expected {\"answer\": \"approve\"|\"deny\"|\"fraud\"}");
  if (!sim_connector_answer (self, req->segments[2], answer, &error))
    return respond_control_error (
      req, g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND) ? 404 : 400, error->message);
  sim_request_respond (req, 204, NULL, NULL, 0);
}

void
sim_control_route (SimServer *self, SimRequest *req)
{
  guint n = sim_request_n_segments (req);
  const char *what = sim_request_segment (req, 1);
  gboolean get = g_str_equal (req->method, "GET");
  gboolean post = g_str_equal (req->method, "POST");

  if (n == 2 && get && g_str_equal (what, "health"))
    sim_request_respond (req, 200, "text/plain", "ok", -1);
  else if (n == 2 && (get || g_str_equal (req->method, "DELETE")) && g_str_equal (what, "requests"))
    control_requests (self, req);
  else if (n == 2 && get && g_str_equal (what, "state"))
    control_state (self, req);
  else if (n == 3 && post && g_str_equal (what, "tenant"))
    control_tenant (self, req);
  else if (n == 2 && get && g_str_equal (what, "pushes"))
    {
      g_autoptr (JsonNode) node = sim_connector_pending_json (self);

      sim_request_respond_json (req, 200, node);
    }
  else if (n == 4 && post && g_str_equal (what, "pushes") &&
           g_str_equal (req->segments[3], "answer"))
    control_answer (self, req);
  else
    sim_request_respond (req, 404, "text/plain", "unknown control request", -1);
}
