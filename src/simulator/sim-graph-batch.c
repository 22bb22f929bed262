/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cqv-simulator"

#include "config.h"

#include <string.h>

#include "sim-server-private.h"

#define BATCH_MAX 20

/* ---- $batch ----------------------------------------------------------- */

static void
add_item_body (JsonBuilder *b, SimRequest *sub)
{
  gsize length = 0;
  const char *data = sub->response ? g_bytes_get_data (sub->response, &length) : NULL;
  g_autoptr (JsonParser) parser = json_parser_new ();

  if (length == 0)
    return;
  json_builder_set_member_name (b, "body");
  if (sub->content_type && g_str_has_prefix (sub->content_type, "application/json") &&
      json_parser_load_from_data (parser, data, length, NULL))
    json_builder_add_value (b, json_node_copy (json_parser_get_root (parser)));
  else
    {
      g_autofree char *text = g_utf8_make_valid (data, length);

      json_builder_add_string_value (b, text);
    }
}

static void
add_item_headers (JsonBuilder *b, SimRequest *sub)
{
  SoupMessageHeadersIter iter;
  const char *name, *value;

  json_builder_set_member_name (b, "headers");
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "Cache-Control");
  json_builder_add_string_value (b, "no-cache");
  if (sub->content_type)
    {
      json_builder_set_member_name (b, "Content-Type");
      json_builder_add_string_value (b, sub->content_type);
    }
  soup_message_headers_iter_init (&iter, sub->response_headers);
  while (soup_message_headers_iter_next (&iter, &name, &value))
    {
      json_builder_set_member_name (b, name);
      json_builder_add_string_value (b, value);
    }
  json_builder_end_object (b);
}

static SimRequest *
batch_sub_request (SimServer *self,
                   SimRequest *outer,
                   JsonObject *item,
                   const char *method,
                   const char *url)
{
  g_autoptr (SoupMessageHeaders) headers = soup_message_headers_new (SOUP_MESSAGE_HEADERS_REQUEST);
  g_autoptr (GBytes) body = NULL;
  JsonNode *body_node = json_object_get_member (item, "body");
  JsonNode *headers_node = json_object_get_member (item, "headers");
  const char *auth = sim_request_header (outer, "Authorization");
  SimRequest *sub;

  if (auth)
    soup_message_headers_append (headers, "Authorization", auth);
  if (headers_node && JSON_NODE_HOLDS_OBJECT (headers_node))
    {
      JsonObjectIter iter;
      const char *name;
      JsonNode *value;

      json_object_iter_init (&iter, json_node_get_object (headers_node));
      while (json_object_iter_next (&iter, &name, &value))
        if (JSON_NODE_HOLDS_VALUE (value) && json_node_get_value_type (value) == G_TYPE_STRING &&
            g_ascii_strcasecmp (name, "Authorization") != 0)
          soup_message_headers_replace (headers, name, json_node_get_string (value));
    }
  if (body_node && !JSON_NODE_HOLDS_NULL (body_node))
    {
      g_autoptr (JsonGenerator) gen = json_generator_new ();
      gsize length;
      char *data;

      json_generator_set_root (gen, body_node);
      data = json_generator_to_data (gen, &length);
      body = g_bytes_new_take (data, length);
      if (soup_message_headers_get_one (headers, "Content-Type") == NULL)
        soup_message_headers_append (headers, "Content-Type", "application/json");
    }
  sub = sim_request_new_sub (self, method, url, headers, body);
  if (g_str_has_prefix (url, "http:") || g_str_has_prefix (url, "https:") ||
      strstr (url, "$batch") != NULL || strstr (url, "_sim") != NULL)
    sim_request_respond_graph_error (sub, 400, "BadRequest",
                                     "Batch request urls must be relative to the version root.");
  return sub;
}

void
sim_graph_batch (SimServer *self, SimRequest *req)
{
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_autoptr (JsonBuilder) b = json_builder_new ();
  g_autoptr (GHashTable) ids = g_hash_table_new (g_str_hash, g_str_equal);
  JsonObject *obj = sim_graph_json_body (req, parser, FALSE);
  JsonNode *requests_node;
  JsonArray *requests;
  guint n, delay = 0;

  if (obj == NULL)
    return;
  requests_node = json_object_get_member (obj, "requests");
  if (requests_node == NULL || !JSON_NODE_HOLDS_ARRAY (requests_node))
    return sim_request_respond_graph_error (req, 400, "BadRequest",
                                            "Invalid batch payload format.");
  requests = json_node_get_array (requests_node);
  n = json_array_get_length (requests);
  if (n == 0 || n > BATCH_MAX)
    return sim_request_respond_graph_error (req, 400, "BadRequest",
                                            n ? "Too many requests in batch. The maximum "
                                                "number of requests is 20."
                                              : "Invalid batch payload format.");
  for (guint i = 0; i < n; i++)
    {
      JsonNode *node = json_array_get_element (requests, i);
      JsonObject *item = JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
      const char *id = item ? json_object_get_string_member_with_default (item, "id", NULL) : NULL;
      const char *method =
        item ? json_object_get_string_member_with_default (item, "method", NULL) : NULL;
      const char *url =
        item ? json_object_get_string_member_with_default (item, "url", NULL) : NULL;

      if (id == NULL || method == NULL || url == NULL || *id == '\0' ||
          !g_hash_table_add (ids, (gpointer) id))
        return sim_request_respond_graph_error (req, 400, "BadRequest",
                                                "Invalid batch payload format: every request "
                                                "needs a unique id, a method and a url.");
    }

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "responses");
  json_builder_begin_array (b);
  for (guint i = 0; i < n; i++)
    {
      JsonObject *item = json_array_get_object_element (requests, i);
      g_autoptr (SimRequest) sub =
        batch_sub_request (self, req, item, json_object_get_string_member (item, "method"),
                           json_object_get_string_member (item, "url"));

      sim_request_dispatch_sub (sub);
      delay = MAX (delay, sub->delay_ms);
      sim_request_finish (sub);

      json_builder_begin_object (b);
      json_builder_set_member_name (b, "id");
      json_builder_add_string_value (b, json_object_get_string_member (item, "id"));
      json_builder_set_member_name (b, "status");
      json_builder_add_int_value (b, sub->status);
      add_item_headers (b, sub);
      add_item_body (b, sub);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  json_builder_end_object (b);
  sim_request_respond_builder (req, 200, b);
  req->delay_ms = MAX (req->delay_ms, delay);
}
