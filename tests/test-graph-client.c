/* SPDX-License-Identifier: GPL-3.0-or-later */

#define G_LOG_DOMAIN "test-graph-client"

#include "config.h"

#include <libsoup/soup.h>
#include <string.h>

#include "cqv-graph-client.h"

#define SECRET "not-a-real-secret-9f8e7d"

typedef struct _Fixture Fixture;
typedef void (*GraphRoute) (Fixture *f, SoupServerMessage *msg, const char *path);

struct _Fixture
{
  SoupServer *server;
  char *base_url;
  CqvHttpClient *http;
  CqvTokenProvider *tokens;
  CqvGraphClient *graph;
  GraphRoute route;
  guint token_requests;
  guint graph_requests;
  guint batch_posts;
  GPtrArray *batch_sizes;
  char *last_token;
  char *last_authorization;
  char *last_content_type;
  char *last_query;
  GBytes *last_body;
};

/* ---- helpers ------------------------------------------------------------ */

static char *
base64url (const char *text)
{
  g_autofree char *b64 = g_base64_encode ((const guchar *) text, strlen (text));
  GString *out = g_string_new (NULL);

  for (const char *p = b64; *p != '\0'; p++)
    {
      if (*p == '+')
        g_string_append_c (out, '-');
      else if (*p == '/')
        g_string_append_c (out, '_');
      else if (*p != '=')
        g_string_append_c (out, *p);
    }
  return g_string_free (out, FALSE);
}

static char *
make_jwt (guint n)
{
  g_autofree char *header = base64url ("{\"alg\":\"none\",\"typ\":\"JWT\"}");
  g_autofree char *payload_json =
    g_strdup_printf ("{\"roles\":[\"User.Read.All\",\"AuditLog.Read.All\"],\"n\":%u}", n);
  g_autofree char *payload = base64url (payload_json);

  return g_strdup_printf ("%s.%s.sig%u", header, payload, n);
}

static void
respond_json (SoupServerMessage *msg, guint status, const char *json)
{
  soup_server_message_set_status (msg, status, NULL);
  soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_COPY, json, strlen (json));
}

static char *
read_vector (const char *name)
{
  const char *dir = g_getenv ("CQV_VECTORS");
  g_autofree char *path = NULL;
  g_autoptr (GError) error = NULL;
  char *contents = NULL;

  g_assert_nonnull (dir);
  path = g_build_filename (dir, name, NULL);
  g_file_get_contents (path, &contents, NULL, &error);
  g_assert_no_error (error);
  return contents;
}

static void
server_cb (SoupServer *server,
           SoupServerMessage *msg,
           const char *path,
           GHashTable *query,
           gpointer user_data)
{
  Fixture *f = user_data;
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  SoupMessageBody *body = soup_server_message_get_request_body (msg);

  if (g_str_has_suffix (path, "/oauth2/v2.0/token"))
    {
      g_autofree char *json = NULL;

      f->token_requests++;
      g_free (f->last_token);
      f->last_token = make_jwt (f->token_requests);
      json = g_strdup_printf ("{\"token_type\":\"Bearer\",\"expires_in\":3599,"
                              "\"access_token\":\"%s\"}",
                              f->last_token);
      respond_json (msg, 200, json);
      return;
    }

  f->graph_requests++;
  g_free (f->last_authorization);
  f->last_authorization = g_strdup (soup_message_headers_get_one (headers, "Authorization"));
  g_free (f->last_content_type);
  f->last_content_type = g_strdup (soup_message_headers_get_one (headers, "Content-Type"));
  g_free (f->last_query);
  f->last_query = g_strdup (g_uri_get_query (soup_server_message_get_uri (msg)));
  g_clear_pointer (&f->last_body, g_bytes_unref);
  f->last_body = g_bytes_new (body->data, body->length);

  if (f->route != NULL)
    f->route (f, msg, path);
  else
    respond_json (msg, 404,
                  "{\"error\":{\"code\":\"Request_ResourceNotFound\",\"message\":\"x\"}}");
}

static Fixture *
fixture_new (GraphRoute route)
{
  Fixture *f = g_new0 (Fixture, 1);
  g_autoptr (GError) error = NULL;
  GSList *uris;
  CqvRetryPolicy policy;
  char *uri;

  f->route = route;
  f->batch_sizes = g_ptr_array_new ();
  f->server = soup_server_new (NULL, NULL);
  soup_server_add_handler (f->server, NULL, server_cb, f, NULL);
  soup_server_listen_local (f->server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error);
  g_assert_no_error (error);

  uris = soup_server_get_uris (f->server);
  uri = g_uri_to_string (uris->data);
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);
  if (g_str_has_suffix (uri, "/"))
    uri[strlen (uri) - 1] = '\0';
  f->base_url = uri;

  f->http = cqv_http_client_new ();
  cqv_retry_policy_init_default (&policy);
  policy.base_delay_ms = 5;
  policy.max_delay_ms = 50;
  cqv_http_client_set_retry_policy (f->http, &policy);
  f->tokens = cqv_token_provider_new (f->http);
  f->graph = cqv_graph_client_new (f->http, f->tokens, f->base_url, f->base_url,
                                   "https://graph.microsoft.com", "tenant-1", "client-1");
  cqv_graph_client_set_client_secret (f->graph, SECRET);
  return f;
}

static void
fixture_free (Fixture *f)
{
  g_assert_finalize_object (f->graph);
  g_clear_object (&f->tokens);
  g_clear_object (&f->http);
  soup_server_disconnect (f->server);
  g_clear_object (&f->server);
  g_ptr_array_unref (f->batch_sizes);
  g_free (f->base_url);
  g_free (f->last_token);
  g_free (f->last_authorization);
  g_free (f->last_content_type);
  g_free (f->last_query);
  g_clear_pointer (&f->last_body, g_bytes_unref);
  g_free (f);
}

static void
store_result_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  GAsyncResult **slot = user_data;

  *slot = g_object_ref (result);
}

static gboolean
wake_cb (gpointer user_data)
{
  return G_SOURCE_CONTINUE;
}

/* Spins the default context until @slot is set; fails the test after 20 s. */
static GAsyncResult *
await_result (GAsyncResult **slot)
{
  gint64 deadline = g_get_monotonic_time () + 20 * G_USEC_PER_SEC;
  guint wake = g_timeout_add (50, wake_cb, NULL);

  while (*slot == NULL)
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_main_context_iteration (NULL, TRUE);
    }
  g_source_remove (wake);
  return *slot;
}

static GBytes *
do_request (Fixture *f,
            const char *method,
            const char *path,
            JsonNode *body,
            guint *status,
            GError **error)
{
  g_autoptr (GAsyncResult) result = NULL;

  cqv_graph_client_request_async (f->graph, method, path, body, NULL, store_result_cb, &result);
  await_result (&result);
  return cqv_graph_client_request_finish (f->graph, result, status, error);
}

/* ---- routes ------------------------------------------------------------- */

static void
route_ok (Fixture *f, SoupServerMessage *msg, const char *path)
{
  respond_json (msg, 200, "{\"value\":[]}");
}

static void
route_401_for_first_token (Fixture *f, SoupServerMessage *msg, const char *path)
{
  if (f->token_requests == 1)
    respond_json (msg, 401,
                  "{\"error\":{\"code\":\"InvalidAuthenticationToken\","
                  "\"message\":\"Access token has expired or is not yet valid.\"}}");
  else
    respond_json (msg, 200, "{\"value\":[]}");
}

static void
route_always_401 (Fixture *f, SoupServerMessage *msg, const char *path)
{
  respond_json (msg, 401,
                "{\"error\":{\"code\":\"InvalidAuthenticationToken\","
                "\"message\":\"Access token validation failure.\"}}");
}

static void
route_errors (Fixture *f, SoupServerMessage *msg, const char *path)
{
  if (g_str_has_prefix (path, "/v1.0/reports/"))
    respond_json (msg, 403,
                  "{\"error\":{\"code\":\"Authentication_MSGraphPermissionMissing\","
                  "\"message\":\"Application missing MSGraph API 'Read all audit log "
                  "data' permission\"}}");
  else
    respond_json (msg, 400,
                  "{\"error\":{\"code\":\"Request_BadRequest\",\"message\":"
                  "\"Credential lifetime exceeds the max value allowed as per assigned "
                  "policy.\"}}");
}

static void
route_echo_batch (Fixture *f, SoupServerMessage *msg, const char *path)
{
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_autoptr (JsonBuilder) builder = json_builder_new ();
  g_autoptr (JsonGenerator) generator = json_generator_new ();
  g_autoptr (JsonNode) root = NULL;
  g_autofree char *json = NULL;
  JsonArray *requests;
  g_autoptr (GError) error = NULL;

  g_assert_cmpstr (path, ==, "/v1.0/$batch");
  g_assert_cmpstr (soup_server_message_get_method (msg), ==, "POST");
  f->batch_posts++;

  json_parser_load_from_data (parser, g_bytes_get_data (f->last_body, NULL),
                              g_bytes_get_size (f->last_body), &error);
  g_assert_no_error (error);
  requests =
    json_object_get_array_member (json_node_get_object (json_parser_get_root (parser)), "requests");
  g_ptr_array_add (f->batch_sizes, GUINT_TO_POINTER (json_array_get_length (requests)));

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "responses");
  json_builder_begin_array (builder);
  /* Answer in reverse order: the client must sort by id. */
  for (guint i = json_array_get_length (requests); i > 0; i--)
    {
      JsonObject *request = json_array_get_object_element (requests, i - 1);
      const char *id = json_object_get_string_member (request, "id");
      const char *url = json_object_get_string_member (request, "url");

      g_assert_cmpstr (json_object_get_string_member (request, "method"), ==, "GET");
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "id");
      json_builder_add_string_value (builder, id);
      if (strstr (url, "throttled") != NULL && (f->batch_posts == 1 || strstr (url, "always")))
        {
          json_builder_set_member_name (builder, "status");
          json_builder_add_int_value (builder, 429);
          json_builder_set_member_name (builder, "headers");
          json_builder_begin_object (builder);
          json_builder_set_member_name (builder, "Retry-After");
          json_builder_add_string_value (builder, strstr (url, "always") ? "0" : "1");
          json_builder_end_object (builder);
          json_builder_set_member_name (builder, "body");
          json_builder_begin_object (builder);
          json_builder_set_member_name (builder, "error");
          json_builder_begin_object (builder);
          json_builder_set_member_name (builder, "code");
          json_builder_add_string_value (builder, "TooManyRequests");
          json_builder_end_object (builder);
          json_builder_end_object (builder);
        }
      else if (strstr (url, "forbidden") != NULL)
        {
          json_builder_set_member_name (builder, "status");
          json_builder_add_int_value (builder, 403);
          json_builder_set_member_name (builder, "body");
          json_builder_begin_object (builder);
          json_builder_set_member_name (builder, "error");
          json_builder_begin_object (builder);
          json_builder_set_member_name (builder, "code");
          json_builder_add_string_value (builder, "Authorization_RequestDenied");
          json_builder_set_member_name (builder, "message");
          json_builder_add_string_value (builder, "Insufficient privileges.");
          json_builder_end_object (builder);
          json_builder_end_object (builder);
        }
      else
        {
          json_builder_set_member_name (builder, "status");
          json_builder_add_int_value (builder, 200);
          json_builder_set_member_name (builder, "body");
          json_builder_begin_object (builder);
          json_builder_set_member_name (builder, "url");
          json_builder_add_string_value (builder, url);
          json_builder_end_object (builder);
        }
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  json = json_generator_to_data (generator, NULL);
  respond_json (msg, 200, json);
}

static void
route_application (Fixture *f, SoupServerMessage *msg, const char *path)
{
  g_assert_cmpstr (soup_server_message_get_method (msg), ==, "GET");
  g_assert_cmpstr (path, ==, "/v1.0/applications(appId='client-1')");
  g_assert_cmpstr (f->last_query, ==, "$select=id,appId,passwordCredentials");
  /* The hint of SECRET ("not"), an older credential with the same hint, and another one. */
  respond_json (msg, 200,
                "{\"id\":\"obj-1\",\"appId\":\"client-1\",\"passwordCredentials\":["
                "{\"hint\":\"abc\",\"endDateTime\":\"2031-01-01T00:00:00Z\"},"
                "{\"hint\":\"not\",\"endDateTime\":\"2030-06-01T12:00:00.1234567Z\"},"
                "{\"hint\":\"not\",\"endDateTime\":\"2020-01-01T00:00:00Z\"}]}");
}

static void
route_application_forbidden (Fixture *f, SoupServerMessage *msg, const char *path)
{
  respond_json (msg, 403,
                "{\"error\":{\"code\":\"Authorization_RequestDenied\","
                "\"message\":\"Insufficient privileges to complete the operation.\"}}");
}

/* ---- tests -------------------------------------------------------------- */

static void
test_bearer (void)
{
  Fixture *f = fixture_new (route_ok);
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) body = NULL;
  g_autofree char *expected = NULL;
  guint status = 0;

  body = do_request (f, "GET", "/v1.0/users?$top=999", NULL, &status, &error);
  g_assert_no_error (error);
  g_assert_nonnull (body);
  g_assert_cmpuint (status, ==, 200);
  g_assert_cmpuint (f->token_requests, ==, 1);
  g_assert_cmpuint (f->graph_requests, ==, 1);
  expected = g_strconcat ("Bearer ", f->last_token, NULL);
  g_assert_cmpstr (f->last_authorization, ==, expected);
  g_assert_cmpstr (f->last_query, ==, "$top=999");

  /* The cached token serves the next call. */
  g_clear_pointer (&body, g_bytes_unref);
  body = do_request (f, "GET", "/v1.0/users", NULL, &status, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (f->token_requests, ==, 1);
  g_assert_cmpstr (f->last_authorization, ==, expected);

  fixture_free (f);
}

static void
test_refresh_on_401 (void)
{
  Fixture *f = fixture_new (route_401_for_first_token);
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) body = NULL;
  g_autofree char *expected = NULL;
  guint status = 0;

  body = do_request (f, "GET", "/v1.0/users", NULL, &status, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (status, ==, 200);
  g_assert_cmpuint (f->token_requests, ==, 2);
  g_assert_cmpuint (f->graph_requests, ==, 2);
  expected = g_strconcat ("Bearer ", f->last_token, NULL);
  g_assert_cmpstr (f->last_authorization, ==, expected);

  fixture_free (f);
}

static void
test_unauthorized (void)
{
  Fixture *f = fixture_new (route_always_401);
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) body = NULL;
  guint status = 0;

  body = do_request (f, "GET", "/v1.0/users", NULL, &status, &error);
  g_assert_error (error, CQV_GRAPH_ERROR, CQV_GRAPH_ERROR_UNAUTHORIZED);
  g_assert_null (body);
  g_assert_cmpuint (status, ==, 401);
  /* Exactly one refresh, then give up. */
  g_assert_cmpuint (f->token_requests, ==, 2);
  g_assert_cmpuint (f->graph_requests, ==, 2);
  g_assert_null (strstr (error->message, f->last_token));
  g_assert_null (strstr (error->message, SECRET));

  fixture_free (f);
}

static void
assert_maps_to (guint status, const char *json, GQuark domain, int code)
{
  g_autoptr (GBytes) body = json != NULL ? g_bytes_new (json, strlen (json)) : NULL;
  g_autoptr (GError) error = NULL;

  cqv_graph_error_from_response (status, body, &error);
  g_assert_error (error, domain, code);
  g_assert_true (g_utf8_validate (error->message, -1, NULL));
}

static void
test_error_mapping (void)
{
  g_autofree char *forbidden = read_vector ("graph-error-403.json");
  g_autofree char *throttled_raw = read_vector ("graph-error-throttled.txt");
  g_autoptr (GBytes) body = g_bytes_new (forbidden, strlen (forbidden));
  g_autoptr (GError) error = NULL;
  const char *throttled_body;

  cqv_graph_error_from_response (403, body, &error);
  g_assert_error (error, CQV_GRAPH_ERROR, CQV_GRAPH_ERROR_PERMISSION_MISSING);
  g_assert_nonnull (strstr (error->message, "admin consent"));
  g_assert_nonnull (strstr (error->message, "Authorization_RequestDenied"));

  assert_maps_to (403,
                  "{\"error\":{\"code\":\"Authentication_RequestFromNonPremiumTenantOrB2CTenant\","
                  "\"message\":\"Tenant is not a B2C tenant and doesn't have premium license\"}}",
                  CQV_GRAPH_ERROR, CQV_GRAPH_ERROR_NO_PREMIUM_LICENSE);
  assert_maps_to (403,
                  "{\"error\":{\"code\":\"Authentication_MSGraphPermissionMissing\","
                  "\"message\":\"Application missing MSGraph API 'Read all audit log data' "
                  "permission\"}}",
                  CQV_GRAPH_ERROR, CQV_GRAPH_ERROR_PERMISSION_MISSING);
  assert_maps_to (404, "{\"error\":{\"code\":\"Request_ResourceNotFound\",\"message\":\"x\"}}",
                  CQV_GRAPH_ERROR, CQV_GRAPH_ERROR_NOT_FOUND);
  assert_maps_to (400,
                  "{\"error\":{\"code\":\"Request_BadRequest\",\"message\":\"Credential lifetime "
                  "exceeds the max value allowed as per assigned policy.\"}}",
                  CQV_GRAPH_ERROR, CQV_GRAPH_ERROR_POLICY);
  assert_maps_to (400,
                  "{\"error\":{\"code\":\"BadRequest\",\"message\":\"Invalid filter clause\"}}",
                  CQV_GRAPH_ERROR, CQV_GRAPH_ERROR_BAD_REQUEST);
  assert_maps_to (405, NULL, CQV_GRAPH_ERROR, CQV_GRAPH_ERROR_BAD_REQUEST);
  assert_maps_to (500, "not json at all", CQV_GRAPH_ERROR, CQV_GRAPH_ERROR_SERVER);
  assert_maps_to (503, NULL, CQV_GRAPH_ERROR, CQV_GRAPH_ERROR_SERVER);
  assert_maps_to (401, NULL, CQV_GRAPH_ERROR, CQV_GRAPH_ERROR_UNAUTHORIZED);
  /* A 403 with an unreadable body still says "permission". */
  assert_maps_to (403, "<html>", CQV_GRAPH_ERROR, CQV_GRAPH_ERROR_PERMISSION_MISSING);

  /* The throttling sample: an HTTP message, the JSON after the blank line. */
  throttled_body = strstr (throttled_raw, "\n\n");
  if (throttled_body == NULL)
    throttled_body = strstr (throttled_raw, "\r\n\r\n");
  g_assert_nonnull (throttled_body);
  assert_maps_to (429, throttled_body, CQV_GRAPH_ERROR, CQV_GRAPH_ERROR_THROTTLED);

  g_assert_cmpstr (
    cqv_graph_permission_for_path ("/v1.0/users/x/authentication/microsoftAuthenticatorMethods"),
    ==, "UserAuthMethod-MicrosoftAuthApp.Read.All");
  g_assert_cmpstr (cqv_graph_permission_for_path (
                     "/v1.0/reports/authenticationMethods/userRegistrationDetails?$filter=x"),
                   ==, "AuditLog.Read.All");
  g_assert_cmpstr (cqv_graph_permission_for_path ("/v1.0/users?$select=id"), ==, "User.Read.All");
  g_assert_cmpstr (cqv_graph_permission_for_path ("/v1.0/servicePrincipals/abc/addPassword"), ==,
                   "Application.ReadWrite.All");
  g_assert_cmpstr (cqv_graph_permission_for_path (
                     "/v1.0/applications(appId='de70de70-0000-4000-8000-0000000c1e27')"
                     "?$select=passwordCredentials"),
                   ==, "Application.ReadWrite.All");
  g_assert_null (cqv_graph_permission_for_path ("/v1.0/$batch"));
}

static void
test_error_mapping_by_path (void)
{
  Fixture *f = fixture_new (route_errors);
  g_autoptr (JsonNode) request = json_from_string ("{\"passwordCredential\":{}}", NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) body = NULL;
  guint status = 0;

  body = do_request (f, "GET", "/v1.0/reports/authenticationMethods/userRegistrationDetails", NULL,
                     &status, &error);
  g_assert_error (error, CQV_GRAPH_ERROR, CQV_GRAPH_ERROR_PERMISSION_MISSING);
  g_assert_cmpuint (status, ==, 403);
  g_assert_nonnull (strstr (error->message, "AuditLog.Read.All"));
  g_assert_nonnull (strstr (error->message, "admin consent"));
  g_clear_error (&error);

  /* Policy text only means POLICY on addPassword. */
  body =
    do_request (f, "POST", "/v1.0/servicePrincipals/sp-1/addPassword", request, &status, &error);
  g_assert_error (error, CQV_GRAPH_ERROR, CQV_GRAPH_ERROR_POLICY);
  g_assert_cmpuint (status, ==, 400);
  g_clear_error (&error);

  body = do_request (f, "GET", "/v1.0/users", NULL, &status, &error);
  g_assert_error (error, CQV_GRAPH_ERROR, CQV_GRAPH_ERROR_BAD_REQUEST);

  fixture_free (f);
}

static void
test_post_json (void)
{
  Fixture *f = fixture_new (route_ok);
  g_autoptr (JsonNode) node = NULL;
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) body = NULL;
  JsonObject *sent;
  guint status = 0;

  node = json_from_string ("{\"appId\":\"981f26a1-7f43-403b-a875-f8b09b8cd720\","
                           "\"displayName\":\"quote \\\" and \\u00e9\"}",
                           &error);
  g_assert_no_error (error);
  body = do_request (f, "POST", "/v1.0/servicePrincipals", node, &status, &error);
  g_assert_no_error (error);

  g_assert_nonnull (f->last_content_type);
  g_assert_true (g_str_has_prefix (f->last_content_type, "application/json"));
  json_parser_load_from_data (parser, g_bytes_get_data (f->last_body, NULL),
                              g_bytes_get_size (f->last_body), &error);
  g_assert_no_error (error);
  sent = json_node_get_object (json_parser_get_root (parser));
  g_assert_cmpstr (json_object_get_string_member (sent, "appId"), ==,
                   "981f26a1-7f43-403b-a875-f8b09b8cd720");
  g_assert_cmpstr (json_object_get_string_member (sent, "displayName"), ==, "quote \" and é");

  fixture_free (f);
}

static void
test_next_link (void)
{
  Fixture *f = fixture_new (route_ok);
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) body = NULL;
  g_autofree char *same = NULL;
  g_autofree char *other_port = NULL;
  g_autoptr (GUri) base = g_uri_parse (f->base_url, G_URI_FLAGS_NONE, NULL);
  guint status = 0;

  /* On the Graph URL's own origin: used exactly as given. */
  same = g_strconcat (f->base_url, "/v1.0/users?$top=999&$skiptoken=RFNwdAIAAQ%2Bx%3D%3D", NULL);
  body = do_request (f, "GET", same, NULL, &status, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (f->last_query, ==, "$top=999&$skiptoken=RFNwdAIAAQ%2Bx%3D%3D");
  g_assert_cmpuint (f->graph_requests, ==, 1);
  g_clear_pointer (&body, g_bytes_unref);

  body = do_request (f, "GET", "https://evil.example.com/v1.0/users?$skiptoken=abc", NULL, &status,
                     &error);
  g_assert_error (error, CQV_GRAPH_ERROR, CQV_GRAPH_ERROR_FOREIGN_LINK);
  g_clear_error (&error);

  body = do_request (f, "GET", "http://127.0.0.2/v1.0/users", NULL, &status, &error);
  g_assert_error (error, CQV_GRAPH_ERROR, CQV_GRAPH_ERROR_FOREIGN_LINK);
  g_clear_error (&error);

  other_port =
    g_strdup_printf ("http://127.0.0.1:%u/v1.0/users", (guint) g_uri_get_port (base) + 1);
  body = do_request (f, "GET", other_port, NULL, &status, &error);
  g_assert_error (error, CQV_GRAPH_ERROR, CQV_GRAPH_ERROR_FOREIGN_LINK);
  g_clear_error (&error);

  /* Nothing was sent for the refused links. */
  g_assert_cmpuint (f->graph_requests, ==, 1);

  fixture_free (f);
}

static void
test_batch_parse (void)
{
  g_autofree char *json = read_vector ("graph-batch-response.json");
  g_autoptr (JsonNode) root = NULL;
  g_autoptr (GPtrArray) results = NULL;
  g_autoptr (GError) error = NULL;
  static const guint statuses[] = { 200, 403, 403, 405, 200, 0 };
  CqvGraphBatchResult *item;

  root = json_from_string (json, &error);
  g_assert_no_error (error);
  results = cqv_graph_batch_parse_response (root, 6, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (results->len, ==, 6);

  for (guint i = 0; i < 6; i++)
    {
      item = g_ptr_array_index (results, i);
      g_assert_cmpuint (item->status, ==, statuses[i]);
      g_assert_cmpint (item->retry_after_ms, ==, -1);
    }

  item = g_ptr_array_index (results, 0);
  g_assert_no_error (item->error);
  g_assert_true (json_object_has_member (json_node_get_object (item->body), "value"));
  item = g_ptr_array_index (results, 1);
  g_assert_error (item->error, CQV_GRAPH_ERROR, CQV_GRAPH_ERROR_PERMISSION_MISSING);
  item = g_ptr_array_index (results, 2);
  g_assert_error (item->error, CQV_GRAPH_ERROR, CQV_GRAPH_ERROR_PERMISSION_MISSING);
  item = g_ptr_array_index (results, 3);
  g_assert_error (item->error, CQV_GRAPH_ERROR, CQV_GRAPH_ERROR_BAD_REQUEST);
  item = g_ptr_array_index (results, 4);
  g_assert_no_error (item->error);
  /* Asked for but not answered: reported, not dropped. */
  item = g_ptr_array_index (results, 5);
  g_assert_error (item->error, CQV_GRAPH_ERROR, CQV_GRAPH_ERROR_MALFORMED);

  g_clear_pointer (&root, json_node_unref);
  root = json_from_string ("{\"value\":[]}", &error);
  g_assert_null (cqv_graph_batch_parse_response (root, 1, &error));
  g_assert_error (error, CQV_GRAPH_ERROR, CQV_GRAPH_ERROR_MALFORMED);
}

static GPtrArray *
do_batch (Fixture *f, GPtrArray *urls, GError **error)
{
  g_autoptr (GAsyncResult) result = NULL;

  cqv_graph_client_batch_async (f->graph, urls, NULL, store_result_cb, &result);
  await_result (&result);
  return cqv_graph_client_batch_finish (f->graph, result, error);
}

static void
test_batch_retry (void)
{
  Fixture *f = fixture_new (route_echo_batch);
  g_autoptr (GPtrArray) urls = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GPtrArray) results = NULL;
  g_autoptr (GError) error = NULL;
  gint64 started;

  for (guint i = 0; i < CQV_GRAPH_BATCH_MAX; i++)
    g_ptr_array_add (urls, g_strdup_printf ("/users/u%u/authentication/"
                                            "microsoftAuthenticatorMethods%s",
                                            i, i == 3 ? "?throttled" : ""));
  started = g_get_monotonic_time ();
  results = do_batch (f, urls, &error);
  g_assert_no_error (error);

  /* The 429 item was sent again, alone, after its Retry-After of 1 s. */
  g_assert_cmpuint (f->batch_posts, ==, 2);
  g_assert_cmpuint (GPOINTER_TO_UINT (g_ptr_array_index (f->batch_sizes, 0)), ==, 20);
  g_assert_cmpuint (GPOINTER_TO_UINT (g_ptr_array_index (f->batch_sizes, 1)), ==, 1);
  g_assert_cmpint (g_get_monotonic_time () - started, >=, 900 * 1000);

  g_assert_cmpuint (results->len, ==, CQV_GRAPH_BATCH_MAX);
  for (guint i = 0; i < results->len; i++)
    {
      CqvGraphBatchResult *item = g_ptr_array_index (results, i);

      g_assert_cmpuint (item->status, ==, 200);
      g_assert_no_error (item->error);
      g_assert_cmpstr (json_object_get_string_member (json_node_get_object (item->body), "url"), ==,
                       g_ptr_array_index (urls, i));
    }

  fixture_free (f);
}

static void
test_batch_item_errors (void)
{
  Fixture *f = fixture_new (route_echo_batch);
  g_autoptr (GPtrArray) urls = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GPtrArray) results = NULL;
  g_autoptr (GError) error = NULL;
  CqvGraphBatchResult *item;

  cqv_graph_client_set_batch_max_attempts (f->graph, 3);
  g_ptr_array_add (urls, g_strdup ("/users/a/authentication/microsoftAuthenticatorMethods"));
  g_ptr_array_add (urls, g_strdup ("/users/b/authentication/microsoftAuthenticatorMethods"
                                   "?throttled-always"));
  g_ptr_array_add (urls, g_strdup ("/users/c/authentication/microsoftAuthenticatorMethods"
                                   "?forbidden"));
  results = do_batch (f, urls, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (f->batch_posts, ==, 3);
  g_assert_cmpuint (results->len, ==, 3);

  item = g_ptr_array_index (results, 0);
  g_assert_cmpuint (item->status, ==, 200);
  g_assert_no_error (item->error);
  item = g_ptr_array_index (results, 1);
  g_assert_cmpuint (item->status, ==, 429);
  g_assert_error (item->error, CQV_GRAPH_ERROR, CQV_GRAPH_ERROR_THROTTLED);
  g_assert_cmpint (item->retry_after_ms, ==, 0);
  item = g_ptr_array_index (results, 2);
  g_assert_cmpuint (item->status, ==, 403);
  g_assert_error (item->error, CQV_GRAPH_ERROR, CQV_GRAPH_ERROR_PERMISSION_MISSING);
  g_assert_nonnull (strstr (item->error->message, "UserAuthMethod-MicrosoftAuthApp.Read.All"));

  fixture_free (f);
}

static void
test_roles (void)
{
  Fixture *f = fixture_new (route_ok);
  g_autoptr (GAsyncResult) result = NULL;
  g_autoptr (GError) error = NULL;
  g_auto (GStrv) roles = NULL;

  cqv_graph_client_get_roles_async (f->graph, NULL, store_result_cb, &result);
  await_result (&result);
  roles = cqv_graph_client_get_roles_finish (f->graph, result, &error);
  g_assert_no_error (error);
  g_assert_nonnull (roles);
  g_assert_true (g_strv_contains ((const char *const *) roles, "User.Read.All"));
  g_assert_true (g_strv_contains ((const char *const *) roles, "AuditLog.Read.All"));

  g_clear_object (&result);
  fixture_free (f);
}

static void
test_cancel (void)
{
  Fixture *f = fixture_new (route_ok);
  g_autoptr (GCancellable) cancellable = g_cancellable_new ();
  g_autoptr (GAsyncResult) result = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) body = NULL;

  cqv_graph_client_request_async (f->graph, "GET", "/v1.0/users", NULL, cancellable,
                                  store_result_cb, &result);
  g_cancellable_cancel (cancellable);
  await_result (&result);
  body = cqv_graph_client_request_finish (f->graph, result, NULL, &error);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_null (body);

  g_clear_object (&result);
  fixture_free (f);
}

static JsonNode *
parse_json (const char *json)
{
  g_autoptr (GError) error = NULL;
  JsonNode *node = json_from_string (json, &error);

  g_assert_no_error (error);
  return node;
}

/* An application as Graph answers it, its passwordCredentials made of @credentials (JSON
 * objects separated by commas). */
static JsonNode *
application_with (const char *credentials)
{
  g_autofree char *json =
    g_strdup_printf ("{\"id\":\"obj-1\",\"passwordCredentials\":[%s]}", credentials);

  return parse_json (json);
}

static void
assert_expiry (GDateTime *expires, const char *iso8601)
{
  g_autoptr (GDateTime) expected = g_date_time_new_from_iso8601 (iso8601, NULL);

  g_assert_nonnull (expires);
  g_assert_nonnull (expected);
  g_assert_true (g_date_time_equal (expires, expected));
}

static void
test_app_secret_parse (void)
{
  g_autofree char *application = read_vector ("graph-application-get.json");
  g_autofree char *credential = read_vector ("graph-addPassword-response.json");
  g_autofree char *several = NULL;
  g_autoptr (JsonNode) root = NULL;
  g_autoptr (GDateTime) expires = NULL;
  g_autoptr (GError) error = NULL;

  /* Microsoft's application sample has no password credentials: nothing to match. */
  root = parse_json (application);
  g_assert_null (cqv_graph_parse_app_secret_expiry (root, "[6g", &error));
  g_assert_error (error, CQV_GRAPH_ERROR, CQV_GRAPH_ERROR_NO_MATCHING_SECRET);
  g_clear_error (&error);
  g_clear_pointer (&root, json_node_unref);

  /* Microsoft's passwordCredential sample (secretText "[6gyXA5…", hint "[6g"), matched by its
   * hint; seven fractional digits are read. */
  root = application_with (credential);
  expires = cqv_graph_parse_app_secret_expiry (root, "[6g", &error);
  g_assert_no_error (error);
  assert_expiry (expires, "2021-09-09T19:50:29.3086381Z");
  g_clear_pointer (&expires, g_date_time_unref);

  /* Hints are compared exactly: another secret, or the case changed, is no match. */
  g_assert_null (cqv_graph_parse_app_secret_expiry (root, "[6G", &error));
  g_assert_error (error, CQV_GRAPH_ERROR, CQV_GRAPH_ERROR_NO_MATCHING_SECRET);
  g_clear_error (&error);
  g_assert_null (cqv_graph_parse_app_secret_expiry (root, "", &error));
  g_assert_error (error, CQV_GRAPH_ERROR, CQV_GRAPH_ERROR_NO_MATCHING_SECRET);
  g_clear_error (&error);
  g_clear_pointer (&root, json_node_unref);

  /* Several credentials share the hint: the latest end wins, whatever the order; others and
   * matches without a readable end date are ignored. */
  several = g_strdup_printf ("{\"hint\":\"[6g\",\"endDateTime\":\"2019-01-01T00:00:00Z\"},"
                             "%s,"
                             "{\"hint\":\"xyz\",\"endDateTime\":\"2040-01-01T00:00:00Z\"},"
                             "{\"hint\":\"[6g\",\"endDateTime\":null},"
                             "{\"hint\":\"[6g\",\"endDateTime\":\"not a date\"},"
                             "{\"hint\":null,\"endDateTime\":\"2041-01-01T00:00:00Z\"},"
                             "\"not an object\"",
                             credential);
  root = application_with (several);
  expires = cqv_graph_parse_app_secret_expiry (root, "[6g", &error);
  g_assert_no_error (error);
  assert_expiry (expires, "2021-09-09T19:50:29.3086381Z");
  g_clear_pointer (&expires, g_date_time_unref);
  g_clear_pointer (&root, json_node_unref);

  /* The only match has no end date: unknown. */
  root = application_with ("{\"hint\":\"[6g\",\"endDateTime\":null}");
  g_assert_null (cqv_graph_parse_app_secret_expiry (root, "[6g", &error));
  g_assert_error (error, CQV_GRAPH_ERROR, CQV_GRAPH_ERROR_NO_MATCHING_SECRET);
  g_clear_error (&error);
  g_clear_pointer (&root, json_node_unref);

  /* No passwordCredentials array at all: not what Graph promises. */
  root = parse_json ("{\"id\":\"obj-1\",\"appId\":\"client-1\"}");
  g_assert_null (cqv_graph_parse_app_secret_expiry (root, "[6g", &error));
  g_assert_error (error, CQV_GRAPH_ERROR, CQV_GRAPH_ERROR_MALFORMED);
  g_clear_error (&error);
  g_clear_pointer (&root, json_node_unref);
  root = parse_json ("{\"passwordCredentials\":{}}");
  g_assert_null (cqv_graph_parse_app_secret_expiry (root, "[6g", &error));
  g_assert_error (error, CQV_GRAPH_ERROR, CQV_GRAPH_ERROR_MALFORMED);
}

static void
test_secret_hint (void)
{
  Fixture *f = fixture_new (route_ok);
  g_autofree char *hint = cqv_graph_client_dup_secret_hint (f->graph);

  g_assert_cmpstr (hint, ==, "not");
  g_clear_pointer (&hint, g_free);
  g_assert_cmpstr (cqv_graph_client_get_client_id (f->graph), ==, "client-1");

  cqv_graph_client_set_client_secret (f->graph, "éü€x");
  hint = cqv_graph_client_dup_secret_hint (f->graph);
  g_assert_cmpstr (hint, ==, "éü€");
  g_clear_pointer (&hint, g_free);

  /* Too short, or none: no hint. */
  cqv_graph_client_set_client_secret (f->graph, "ab");
  g_assert_null (cqv_graph_client_dup_secret_hint (f->graph));
  cqv_graph_client_set_client_secret (f->graph, NULL);
  g_assert_null (cqv_graph_client_dup_secret_hint (f->graph));

  fixture_free (f);
}

static GDateTime *
do_app_secret_expiry (Fixture *f, const char *hint, GError **error)
{
  g_autoptr (GAsyncResult) result = NULL;

  cqv_graph_client_get_app_secret_expiry_async (f->graph, hint, NULL, store_result_cb, &result);
  await_result (&result);
  return cqv_graph_client_get_app_secret_expiry_finish (f->graph, result, error);
}

static void
test_app_secret_expiry (void)
{
  Fixture *f = fixture_new (route_application);
  g_autofree char *hint = cqv_graph_client_dup_secret_hint (f->graph);
  g_autoptr (GDateTime) expires = NULL;
  g_autoptr (GError) error = NULL;

  expires = do_app_secret_expiry (f, hint, &error);
  g_assert_no_error (error);
  assert_expiry (expires, "2030-06-01T12:00:00.1234567Z");
  g_assert_cmpuint (f->graph_requests, ==, 1);

  /* Another secret's hint: unknown. */
  g_assert_null (do_app_secret_expiry (f, "zzz", &error));
  g_assert_error (error, CQV_GRAPH_ERROR, CQV_GRAPH_ERROR_NO_MATCHING_SECRET);
  g_clear_error (&error);
  fixture_free (f);

  /* Without Application.Read.All: unknown, as a permission error. */
  f = fixture_new (route_application_forbidden);
  g_assert_null (do_app_secret_expiry (f, hint, &error));
  g_assert_error (error, CQV_GRAPH_ERROR, CQV_GRAPH_ERROR_PERMISSION_MISSING);
  g_clear_error (&error);
  fixture_free (f);

  /* The app is registered in another tenant: Graph does not find it here. */
  f = fixture_new (NULL);
  g_assert_null (do_app_secret_expiry (f, hint, &error));
  g_assert_error (error, CQV_GRAPH_ERROR, CQV_GRAPH_ERROR_NOT_FOUND);
  fixture_free (f);
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/cqv/graph-client/bearer", test_bearer);
  g_test_add_func ("/cqv/graph-client/refresh-on-401", test_refresh_on_401);
  g_test_add_func ("/cqv/graph-client/unauthorized", test_unauthorized);
  g_test_add_func ("/cqv/graph-client/error-mapping", test_error_mapping);
  g_test_add_func ("/cqv/graph-client/error-mapping-by-path", test_error_mapping_by_path);
  g_test_add_func ("/cqv/graph-client/post-json", test_post_json);
  g_test_add_func ("/cqv/graph-client/next-link", test_next_link);
  g_test_add_func ("/cqv/graph-client/batch-parse", test_batch_parse);
  g_test_add_func ("/cqv/graph-client/batch-retry", test_batch_retry);
  g_test_add_func ("/cqv/graph-client/batch-item-errors", test_batch_item_errors);
  g_test_add_func ("/cqv/graph-client/roles", test_roles);
  g_test_add_func ("/cqv/graph-client/cancel", test_cancel);
  g_test_add_func ("/cqv/graph-client/app-secret-parse", test_app_secret_parse);
  g_test_add_func ("/cqv/graph-client/secret-hint", test_secret_hint);
  g_test_add_func ("/cqv/graph-client/app-secret-expiry", test_app_secret_expiry);

  return g_test_run ();
}
