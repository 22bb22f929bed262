/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "cqv-token-provider.h"

#define GUARD_SECONDS 20
#define TENANT "11111111-2222-3333-4444-555555555555"
#define CLIENT "981f26a1-7f43-403b-a875-f8b09b8cd720"
#define SECRET "Sup3r~Secret.Value_that-must-not-leak"
#define GRAPH "https://graph.microsoft.com"
#define CONNECTOR \
  "https://adnotifications.windowsazure.com/StrongAuthenticationService.svc/Connector"

typedef struct
{
  SoupServer *server;
  char *login_url;
  guint requests;
  char *last_path;
  GHashTable *last_form;
  /* What the next token response says */
  guint status;
  char *body; /* overrides the generated success body when set */
  gint64 expires_in;
  gboolean v1_strings;
  guint delay_ms; /* answer this much later */
  GPtrArray *delayed;
  CqvHttpClient *http;
  CqvTokenProvider *provider;
} Fixture;

typedef struct
{
  gboolean done;
  char *token;
  GError *error;
} GetResult;

static gboolean
guard_expired_cb (gpointer user_data)
{
  g_error ("Test did not finish within %d seconds", GUARD_SECONDS);
  return G_SOURCE_REMOVE;
}

static void
spin_until (gboolean *condition)
{
  guint guard = g_timeout_add_seconds (GUARD_SECONDS, guard_expired_cb, NULL);

  while (!*condition)
    g_main_context_iteration (NULL, TRUE);
  g_source_remove (guard);
}

static char *
vector_path (const char *name)
{
  const char *dir = g_getenv ("CQV_VECTORS");

  return g_build_filename (dir != NULL ? dir : TEST_SRCDIR "/vectors", name, NULL);
}

static GBytes *
load_vector (const char *name)
{
  g_autofree char *path = vector_path (name);
  g_autoptr (GError) error = NULL;
  char *contents = NULL;
  gsize length = 0;

  g_file_get_contents (path, &contents, &length, &error);
  g_assert_no_error (error);
  return g_bytes_new_take (contents, length);
}

static GBytes *
aadsts_body (guint code, gboolean with_codes_array, const char *text)
{
  g_autofree char *json = NULL;

  json = g_strdup_printf (
    "{\"error\":\"invalid_client\","
    "\"error_description\":\"AADSTS%u: %s\\r\\nTrace ID: 255d1aef-8c98-452f-ac51-23d051240864\\r\\nCorrelation ID: fb3d2015-bc17-4bb9-bb85-30c5cf1aaaa7\\r\\nTimestamp: 2016-01-09 02:02:12Z\","
    "%s%u%s"
    "\"timestamp\":\"2016-01-09 02:02:12Z\","
    "\"trace_id\":\"255d1aef-8c98-452f-ac51-23d051240864\","
    "\"correlation_id\":\"fb3d2015-bc17-4bb9-bb85-30c5cf1aaaa7\"}",
    code, text, with_codes_array ? "\"error_codes\":[" : "\"x\":", with_codes_array ? code : 0,
    with_codes_array ? "]," : ",");
  return g_bytes_new_take (g_steal_pointer (&json), strlen (json));
}

/* Pure parsing */

static void
test_vectors (void)
{
  g_autofree char *dir_path = vector_path ("");
  g_autoptr (GDir) dir = g_dir_open (dir_path, 0, NULL);
  const char *name;
  guint seen = 0;

  g_assert_nonnull (dir);
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autoptr (GBytes) body = NULL;
      g_autoptr (GError) error = NULL;

      if (!g_str_has_prefix (name, "token-") || !g_str_has_suffix (name, ".json"))
        continue;

      seen++;
      body = load_vector (name);

      if (strstr (name, "error") != NULL)
        {
          guint code = cqv_aadsts_parse_error (body, 400, &error);

          g_assert_cmpuint (code, ==, 70011);
          g_assert_error (error, CQV_AUTH_ERROR, CQV_AUTH_ERROR_FAILED);
          g_assert_nonnull (strstr (error->message, "AADSTS70011"));
          g_assert_nonnull (strstr (
            error->message, "The provided value for the input parameter 'scope' is not valid."));
          g_assert_null (strstr (error->message, "Trace ID"));
          g_assert_null (strstr (error->message, "Correlation ID"));
          g_assert_null (strstr (error->message, "Timestamp"));
          g_assert_null (strstr (error->message, "255d1aef"));
          g_assert_null (strchr (error->message, '\r'));
        }
      else
        {
          char *token = NULL;
          gint64 lifetime = -1;

          g_assert_true (cqv_token_parse_response (body, &token, &lifetime, &error));
          g_assert_no_error (error);
          if (g_str_equal (name, "token-client-credentials-success.json"))
            {
              g_assert_true (g_str_has_prefix (token, "eyJ0eXAiOiJKV1Qi"));
              g_assert_cmpint (lifetime, ==, 3599);
            }
          else if (g_str_equal (name, "token-client-credentials-success-recorded.json"))
            {
              g_assert_cmpstr (token, ==, "access_token");
              g_assert_cmpint (lifetime, ==, 86399);
            }
          else if (g_str_equal (name, "token-v1-client-credentials-success.json"))
            {
              /* v1 sends expires_in as a string */
              g_assert_cmpstr (token, ==, "eyJ0eXAiO ... 0X2tnSQLEANnSPHY0gKcgw");
              g_assert_cmpint (lifetime, ==, 3599);
            }
          else
            g_assert_cmpint (lifetime, >, 0);
          cqv_token_free (token);
        }
    }

  g_assert_cmpuint (seen, >=, 4);
}

static void
test_parse_response_edge_cases (void)
{
  const char *malformed[] = {
    "",
    "not json",
    "[]",
    "{}",
    "{\"access_token\":\"\"}",
    "{\"access_token\":42}",
    "{\"access_token\":\"x\",\"token_type\":\"pop\"}",
  };
  g_autofree char *expires_on = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (malformed); i++)
    {
      g_autoptr (GBytes) body = g_bytes_new_static (malformed[i], strlen (malformed[i]));
      g_autoptr (GError) error = NULL;
      char *token = NULL;

      g_assert_false (cqv_token_parse_response (body, &token, NULL, &error));
      g_assert_error (error, CQV_AUTH_ERROR, CQV_AUTH_ERROR_MALFORMED);
      g_assert_null (token);
    }

  /* Only expires_on (epoch seconds): lifetime counted from now. */
  expires_on = g_strdup_printf (
    "{\"access_token\":\"t\",\"token_type\":\"Bearer\",\"expires_on\":\"%" G_GINT64_FORMAT "\"}",
    g_get_real_time () / G_USEC_PER_SEC + 1000);
  {
    g_autoptr (GBytes) body = g_bytes_new_static (expires_on, strlen (expires_on));
    g_autoptr (GError) error = NULL;
    char *token = NULL;
    gint64 lifetime = 0;

    g_assert_true (cqv_token_parse_response (body, &token, &lifetime, &error));
    g_assert_no_error (error);
    g_assert_cmpint (lifetime, >=, 995);
    g_assert_cmpint (lifetime, <=, 1000);
    cqv_token_free (token);
  }
}

static void
test_aadsts_codes (void)
{
  const struct
  {
    guint code;
    CqvAuthError expected;
    const char *needle;
  } cases[] = {
    { 7000215, CQV_AUTH_ERROR_INVALID_SECRET, "Value, not its ID" },
    { 7000222, CQV_AUTH_ERROR_EXPIRED_SECRET, "expired" },
    { 7000112, CQV_AUTH_ERROR_MFA_CLIENT_DISABLED, "Azure Multi-Factor Auth Client" },
    { 500014, CQV_AUTH_ERROR_MFA_CONNECTOR_DISABLED, "Azure Multi-Factor Auth Connector" },
    { 700016, CQV_AUTH_ERROR_APP_NOT_IN_TENANT, "consent" },
    { 90002, CQV_AUTH_ERROR_TENANT_NOT_FOUND, "tenant ID" },
    { 65001, CQV_AUTH_ERROR_CONSENT_MISSING, "admin-consent" },
    { 50034, CQV_AUTH_ERROR_FAILED, "Some other refusal" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      for (guint with_array = 0; with_array < 2; with_array++)
        {
          g_autoptr (GBytes) body = aadsts_body (cases[i].code, with_array, "Some other refusal.");
          g_autoptr (GError) error = NULL;
          g_autofree char *code_text = g_strdup_printf ("AADSTS%u", cases[i].code);

          g_assert_cmpuint (cqv_aadsts_parse_error (body, 401, &error), ==, cases[i].code);
          g_assert_error (error, CQV_AUTH_ERROR, cases[i].expected);
          g_assert_nonnull (strstr (error->message, cases[i].needle));
          g_assert_nonnull (strstr (error->message, code_text));
          g_assert_null (strstr (error->message, "Trace ID"));
          g_assert_null (strstr (error->message, "Correlation"));
        }
    }

  /* The array wins over the description. */
  {
    const char *json = "{\"error\":\"invalid_client\",\"error_description\":\"AADSTS90002: x\","
                       "\"error_codes\":[7000222]}";
    g_autoptr (GBytes) body = g_bytes_new_static (json, strlen (json));
    g_autoptr (GError) error = NULL;

    g_assert_cmpuint (cqv_aadsts_parse_error (body, 401, &error), ==, 7000222);
    g_assert_error (error, CQV_AUTH_ERROR, CQV_AUTH_ERROR_EXPIRED_SECRET);
  }

  /* An OAuth error without any AADSTS code */
  {
    const char *json =
      "{\"error\":\"unsupported_grant_type\",\"error_description\":\"Nope.\\r\\nTrace ID: abc\"}";
    g_autoptr (GBytes) body = g_bytes_new_static (json, strlen (json));
    g_autoptr (GError) error = NULL;

    g_assert_cmpuint (cqv_aadsts_parse_error (body, 400, &error), ==, 0);
    g_assert_error (error, CQV_AUTH_ERROR, CQV_AUTH_ERROR_FAILED);
    g_assert_nonnull (strstr (error->message, "unsupported_grant_type"));
    g_assert_nonnull (strstr (error->message, "Nope."));
    g_assert_null (strstr (error->message, "Trace ID"));
  }

  /* Unreadable */
  {
    const char *bodies[] = { "<html>Bad gateway</html>", "{}", "[1]", "" };

    for (guint i = 0; i < G_N_ELEMENTS (bodies); i++)
      {
        g_autoptr (GBytes) body = g_bytes_new_static (bodies[i], strlen (bodies[i]));
        g_autoptr (GError) error = NULL;

        g_assert_cmpuint (cqv_aadsts_parse_error (body, 400, &error), ==, 0);
        g_assert_error (error, CQV_AUTH_ERROR, CQV_AUTH_ERROR_MALFORMED);
      }
  }
}

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
make_jwt (const char *payload_json)
{
  g_autofree char *header = base64url ("{\"typ\":\"JWT\",\"alg\":\"RS256\"}");
  g_autofree char *payload = base64url (payload_json);

  return g_strdup_printf ("%s.%s.c2lnbmF0dXJl", header, payload);
}

static void
test_roles (void)
{
  /* "ü" and "?>" make base64 produce "-"/"_" and need padding, whatever the length. */
  const char *payloads[] = {
    "{\"aud\":\"https://graph.microsoft.com\",\"roles\":[\"User.Read.All\",\"Application.ReadWrite.All\"],\"n\":\"ü?>\"}",
    "{\"roles\":[\"User.Read.All\",\"Application.ReadWrite.All\"],\"x\":\"a\"}",
    "{\"roles\":[\"User.Read.All\",\"Application.ReadWrite.All\"],\"x\":\"ab\"}",
  };
  const char *garbage[] = {
    "", "abc", "a.b", "a.b.c.d", "a..c", "a.!!!!.c", "a.bm90IGpzb24.c", "a.W10.c"
  };

  for (guint i = 0; i < G_N_ELEMENTS (payloads); i++)
    {
      g_autofree char *jwt = make_jwt (payloads[i]);
      g_auto (GStrv) roles = cqv_token_get_roles (jwt);

      g_assert_nonnull (roles);
      g_assert_cmpuint (g_strv_length (roles), ==, 2);
      g_assert_cmpstr (roles[0], ==, "User.Read.All");
      g_assert_cmpstr (roles[1], ==, "Application.ReadWrite.All");
    }

  {
    g_autofree char *jwt = make_jwt ("{\"aud\":\"x\"}");
    g_auto (GStrv) roles = cqv_token_get_roles (jwt);

    g_assert_nonnull (roles);
    g_assert_cmpuint (g_strv_length (roles), ==, 0);
  }

  for (guint i = 0; i < G_N_ELEMENTS (garbage); i++)
    g_assert_null (cqv_token_get_roles (garbage[i]));
  g_assert_null (cqv_token_get_roles (NULL));
}

/* Against the loopback server */

static void
send_token_response (Fixture *fixture, SoupServerMessage *msg)
{
  g_autofree char *body = NULL;

  if (fixture->body != NULL)
    body = g_strdup (fixture->body);
  else if (fixture->v1_strings)
    body = g_strdup_printf ("{\"access_token\":\"token-%u\",\"token_type\":\"Bearer\","
                            "\"expires_in\":\"%" G_GINT64_FORMAT "\",\"resource\":\"x\"}",
                            fixture->requests, fixture->expires_in);
  else
    body = g_strdup_printf ("{\"token_type\":\"Bearer\",\"expires_in\":%" G_GINT64_FORMAT ","
                            "\"ext_expires_in\":3599,\"access_token\":\"token-%u\"}",
                            fixture->expires_in, fixture->requests);

  soup_server_message_set_status (msg, fixture->status, NULL);
  soup_server_message_set_response (
    msg, fixture->body != NULL && fixture->body[0] != '{' ? "text/html" : "application/json",
    SOUP_MEMORY_COPY, body, strlen (body));
}

static gboolean
answer_later_cb (gpointer user_data)
{
  Fixture *fixture = user_data;

  while (fixture->delayed->len > 0)
    {
      SoupServerMessage *msg = g_ptr_array_steal_index (fixture->delayed, 0);

      send_token_response (fixture, msg);
      soup_server_message_unpause (msg);
      g_object_unref (msg);
    }
  return G_SOURCE_REMOVE;
}

static void
server_cb (SoupServer *server,
           SoupServerMessage *msg,
           const char *path,
           GHashTable *query,
           gpointer user_data)
{
  Fixture *fixture = user_data;
  SoupMessageBody *body = soup_server_message_get_request_body (msg);
  g_autofree char *form = g_strndup (body->data, body->length);

  fixture->requests++;
  g_free (fixture->last_path);
  fixture->last_path = g_strdup (path);
  g_clear_pointer (&fixture->last_form, g_hash_table_unref);
  fixture->last_form = soup_form_decode (form);

  if (fixture->delay_ms > 0)
    {
      soup_server_message_pause (msg);
      g_ptr_array_add (fixture->delayed, g_object_ref (msg));
      g_timeout_add (fixture->delay_ms, answer_later_cb, fixture);
      return;
    }

  send_token_response (fixture, msg);
}

static void
fixture_setup (Fixture *fixture, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  CqvRetryPolicy policy = {
    .max_attempts = 2, .base_delay_ms = 10, .max_delay_ms = 20, .max_total_ms = 5000
  };
  GSList *uris;

  fixture->status = 200;
  fixture->expires_in = 3599;
  fixture->delayed = g_ptr_array_new ();
  fixture->server = soup_server_new (NULL, NULL);
  soup_server_add_handler (fixture->server, NULL, server_cb, fixture, NULL);
  soup_server_listen_local (fixture->server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error);
  g_assert_no_error (error);
  uris = soup_server_get_uris (fixture->server);
  fixture->login_url = g_uri_to_string (uris->data);
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);

  fixture->http = cqv_http_client_new ();
  cqv_http_client_set_retry_policy (fixture->http, &policy);
  fixture->provider = cqv_token_provider_new (fixture->http);
}

static void
fixture_teardown (Fixture *fixture, gconstpointer data)
{
  g_assert_finalize_object (fixture->provider);
  g_assert_finalize_object (fixture->http);
  soup_server_disconnect (fixture->server);
  g_clear_object (&fixture->server);
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_assert_cmpuint (fixture->delayed->len, ==, 0);
  g_ptr_array_unref (fixture->delayed);
  g_clear_pointer (&fixture->last_form, g_hash_table_unref);
  g_free (fixture->last_path);
  g_free (fixture->login_url);
  g_free (fixture->body);
}

static void
get_done_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  GetResult *res = user_data;

  res->token = cqv_token_provider_get_finish (CQV_TOKEN_PROVIDER (object), result, &res->error);
  res->done = TRUE;
}

static void
start_get (Fixture *fixture,
           const char *resource,
           CqvTokenEndpoint endpoint,
           gboolean force_refresh,
           GCancellable *cancellable,
           GetResult *res)
{
  *res = (GetResult){ 0 };
  cqv_token_provider_get_async (fixture->provider, fixture->login_url, TENANT, CLIENT, SECRET,
                                resource, endpoint, force_refresh, cancellable, get_done_cb, res);
}

static void
get_and_wait (Fixture *fixture,
              const char *resource,
              CqvTokenEndpoint endpoint,
              gboolean force_refresh,
              GetResult *res)
{
  start_get (fixture, resource, endpoint, force_refresh, NULL, res);
  spin_until (&res->done);
}

static void
get_result_clear (GetResult *res)
{
  g_clear_pointer (&res->token, cqv_token_free);
  g_clear_error (&res->error);
}

static void
test_v2_form (Fixture *fixture, gconstpointer data)
{
  GetResult res;

  get_and_wait (fixture, GRAPH, CQV_TOKEN_ENDPOINT_V2, FALSE, &res);
  g_assert_no_error (res.error);
  g_assert_cmpstr (res.token, ==, "token-1");
  g_assert_cmpstr (fixture->last_path, ==, "/" TENANT "/oauth2/v2.0/token");
  g_assert_cmpuint (g_hash_table_size (fixture->last_form), ==, 4);
  g_assert_cmpstr (g_hash_table_lookup (fixture->last_form, "grant_type"), ==,
                   "client_credentials");
  g_assert_cmpstr (g_hash_table_lookup (fixture->last_form, "client_id"), ==, CLIENT);
  g_assert_cmpstr (g_hash_table_lookup (fixture->last_form, "client_secret"), ==, SECRET);
  g_assert_cmpstr (g_hash_table_lookup (fixture->last_form, "scope"), ==, GRAPH "/.default");
  g_assert_null (g_hash_table_lookup (fixture->last_form, "resource"));
  g_assert_cmpuint (cqv_token_provider_get_fetch_count (fixture->provider), ==, 1);
  get_result_clear (&res);
}

static void
test_v1_form (Fixture *fixture, gconstpointer data)
{
  GetResult res;

  fixture->v1_strings = TRUE;
  get_and_wait (fixture, CONNECTOR, CQV_TOKEN_ENDPOINT_V1, FALSE, &res);
  g_assert_no_error (res.error);
  g_assert_cmpstr (res.token, ==, "token-1");
  g_assert_cmpstr (fixture->last_path, ==, "/" TENANT "/oauth2/token");
  g_assert_cmpuint (g_hash_table_size (fixture->last_form), ==, 4);
  g_assert_cmpstr (g_hash_table_lookup (fixture->last_form, "grant_type"), ==,
                   "client_credentials");
  g_assert_cmpstr (g_hash_table_lookup (fixture->last_form, "client_id"), ==, CLIENT);
  g_assert_cmpstr (g_hash_table_lookup (fixture->last_form, "client_secret"), ==, SECRET);
  g_assert_cmpstr (g_hash_table_lookup (fixture->last_form, "resource"), ==, CONNECTOR);
  g_assert_null (g_hash_table_lookup (fixture->last_form, "scope"));
  get_result_clear (&res);

  /* The string expires_in was understood: the token is cached. */
  get_and_wait (fixture, CONNECTOR, CQV_TOKEN_ENDPOINT_V1, FALSE, &res);
  g_assert_cmpstr (res.token, ==, "token-1");
  g_assert_cmpuint (fixture->requests, ==, 1);
  get_result_clear (&res);
}

static void
test_cache (Fixture *fixture, gconstpointer data)
{
  GetResult res;

  get_and_wait (fixture, GRAPH, CQV_TOKEN_ENDPOINT_V2, FALSE, &res);
  g_assert_cmpstr (res.token, ==, "token-1");
  get_result_clear (&res);

  get_and_wait (fixture, GRAPH, CQV_TOKEN_ENDPOINT_V2, FALSE, &res);
  g_assert_no_error (res.error);
  g_assert_cmpstr (res.token, ==, "token-1");
  g_assert_cmpuint (cqv_token_provider_get_fetch_count (fixture->provider), ==, 1);
  g_assert_cmpuint (fixture->requests, ==, 1);
  get_result_clear (&res);

  /* Another resource is another token. */
  get_and_wait (fixture, CONNECTOR, CQV_TOKEN_ENDPOINT_V2, FALSE, &res);
  g_assert_cmpstr (res.token, ==, "token-2");
  g_assert_cmpuint (cqv_token_provider_get_fetch_count (fixture->provider), ==, 2);
  get_result_clear (&res);

  /* force_refresh (after a 401) asks again, and the new one is cached. */
  get_and_wait (fixture, GRAPH, CQV_TOKEN_ENDPOINT_V2, TRUE, &res);
  g_assert_cmpstr (res.token, ==, "token-3");
  get_result_clear (&res);
  get_and_wait (fixture, GRAPH, CQV_TOKEN_ENDPOINT_V2, FALSE, &res);
  g_assert_cmpstr (res.token, ==, "token-3");
  g_assert_cmpuint (cqv_token_provider_get_fetch_count (fixture->provider), ==, 3);
  get_result_clear (&res);

  /* invalidate drops every token of this tenant and client. */
  cqv_token_provider_invalidate (fixture->provider, TENANT, "some-other-client");
  get_and_wait (fixture, GRAPH, CQV_TOKEN_ENDPOINT_V2, FALSE, &res);
  g_assert_cmpstr (res.token, ==, "token-3");
  get_result_clear (&res);

  cqv_token_provider_invalidate (fixture->provider, TENANT, CLIENT);
  get_and_wait (fixture, GRAPH, CQV_TOKEN_ENDPOINT_V2, FALSE, &res);
  g_assert_cmpstr (res.token, ==, "token-4");
  get_result_clear (&res);
  get_and_wait (fixture, CONNECTOR, CQV_TOKEN_ENDPOINT_V2, FALSE, &res);
  g_assert_cmpstr (res.token, ==, "token-5");
  g_assert_cmpuint (cqv_token_provider_get_fetch_count (fixture->provider), ==, 5);
  get_result_clear (&res);
}

static void
test_near_expiry (Fixture *fixture, gconstpointer data)
{
  GetResult res;

  /* Valid for 4 minutes: inside the 5-minute margin, so never served from the cache. */
  fixture->expires_in = 240;
  get_and_wait (fixture, GRAPH, CQV_TOKEN_ENDPOINT_V2, FALSE, &res);
  g_assert_cmpstr (res.token, ==, "token-1");
  get_result_clear (&res);

  get_and_wait (fixture, GRAPH, CQV_TOKEN_ENDPOINT_V2, FALSE, &res);
  g_assert_cmpstr (res.token, ==, "token-2");
  g_assert_cmpuint (cqv_token_provider_get_fetch_count (fixture->provider), ==, 2);
  get_result_clear (&res);

  /* Six minutes: cached. */
  fixture->expires_in = 360;
  get_and_wait (fixture, GRAPH, CQV_TOKEN_ENDPOINT_V2, FALSE, &res);
  g_assert_cmpstr (res.token, ==, "token-3");
  get_result_clear (&res);
  get_and_wait (fixture, GRAPH, CQV_TOKEN_ENDPOINT_V2, FALSE, &res);
  g_assert_cmpstr (res.token, ==, "token-3");
  g_assert_cmpuint (cqv_token_provider_get_fetch_count (fixture->provider), ==, 3);
  get_result_clear (&res);
}

static void
test_concurrent (Fixture *fixture, gconstpointer data)
{
  GetResult first, second;

  fixture->delay_ms = 100;
  start_get (fixture, GRAPH, CQV_TOKEN_ENDPOINT_V2, FALSE, NULL, &first);
  start_get (fixture, GRAPH, CQV_TOKEN_ENDPOINT_V2, FALSE, NULL, &second);
  spin_until (&first.done);
  spin_until (&second.done);

  g_assert_no_error (first.error);
  g_assert_no_error (second.error);
  g_assert_cmpstr (first.token, ==, "token-1");
  g_assert_cmpstr (second.token, ==, "token-1");
  g_assert_cmpuint (cqv_token_provider_get_fetch_count (fixture->provider), ==, 1);
  g_assert_cmpuint (fixture->requests, ==, 1);
  get_result_clear (&first);
  get_result_clear (&second);
}

static void
test_cancel_one_waiter (Fixture *fixture, gconstpointer data)
{
  g_autoptr (GCancellable) cancellable = g_cancellable_new ();
  GetResult first, second;

  fixture->delay_ms = 200;
  start_get (fixture, GRAPH, CQV_TOKEN_ENDPOINT_V2, FALSE, cancellable, &first);
  start_get (fixture, GRAPH, CQV_TOKEN_ENDPOINT_V2, FALSE, NULL, &second);
  g_cancellable_cancel (cancellable);
  spin_until (&first.done);
  g_assert_error (first.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_false (second.done);

  /* The other caller still gets the shared token. */
  spin_until (&second.done);
  g_assert_no_error (second.error);
  g_assert_cmpstr (second.token, ==, "token-1");
  g_assert_cmpuint (fixture->requests, ==, 1);
  get_result_clear (&first);
  get_result_clear (&second);
}

static void
test_cancel_all_waiters (Fixture *fixture, gconstpointer data)
{
  g_autoptr (GCancellable) cancellable = g_cancellable_new ();
  GetResult first, second;

  fixture->delay_ms = 100;
  start_get (fixture, GRAPH, CQV_TOKEN_ENDPOINT_V2, FALSE, cancellable, &first);
  g_cancellable_cancel (cancellable);
  spin_until (&first.done);
  g_assert_error (first.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);

  /* The abandoned request is not joined: a new caller gets a request of its own. */
  get_and_wait (fixture, GRAPH, CQV_TOKEN_ENDPOINT_V2, FALSE, &second);
  g_assert_no_error (second.error);
  g_assert_nonnull (second.token);
  g_assert_cmpuint (cqv_token_provider_get_fetch_count (fixture->provider), ==, 2);
  while (fixture->delayed->len > 0)
    g_main_context_iteration (NULL, TRUE);
  get_result_clear (&first);
  get_result_clear (&second);
}

static void
test_errors (Fixture *fixture, gconstpointer data)
{
  GetResult res;
  g_autoptr (GBytes) body = NULL;

  /* The service echoes the secret back: it must not reach the message. */
  fixture->status = 401;
  fixture->body = g_strdup (
    "{\"error\":\"invalid_client\",\"error_description\":\"AADSTS7000215: Invalid client secret provided: '" SECRET
    "'.\\r\\nTrace ID: 1\",\"error_codes\":[7000215]}");
  get_and_wait (fixture, GRAPH, CQV_TOKEN_ENDPOINT_V2, FALSE, &res);
  g_assert_error (res.error, CQV_AUTH_ERROR, CQV_AUTH_ERROR_INVALID_SECRET);
  g_assert_null (strstr (res.error->message, SECRET));
  get_result_clear (&res);

  g_free (fixture->body);
  fixture->body = g_strdup (
    "{\"error\":\"invalid_request\",\"error_description\":\"AADSTS99999: bad value " SECRET
    "\\r\\nTrace ID: 1\",\"error_codes\":[99999]}");
  get_and_wait (fixture, GRAPH, CQV_TOKEN_ENDPOINT_V2, FALSE, &res);
  g_assert_error (res.error, CQV_AUTH_ERROR, CQV_AUTH_ERROR_FAILED);
  g_assert_null (strstr (res.error->message, SECRET));
  get_result_clear (&res);

  /* Each AADSTS code comes through the provider with its own error code. */
  fixture->status = 400;
  g_free (fixture->body);
  body = aadsts_body (7000112, TRUE, "Application is disabled.");
  fixture->body = g_strndup (g_bytes_get_data (body, NULL), g_bytes_get_size (body));
  get_and_wait (fixture, CONNECTOR, CQV_TOKEN_ENDPOINT_V1, FALSE, &res);
  g_assert_error (res.error, CQV_AUTH_ERROR, CQV_AUTH_ERROR_MFA_CLIENT_DISABLED);
  get_result_clear (&res);

  /* A proxy's HTML error page on a 500 is the service's trouble, not the secret's. */
  fixture->status = 500;
  g_free (fixture->body);
  fixture->body = g_strdup ("<html><body>Internal Server Error</body></html>");
  get_and_wait (fixture, GRAPH, CQV_TOKEN_ENDPOINT_V2, FALSE, &res);
  g_assert_error (res.error, CQV_HTTP_ERROR, CQV_HTTP_ERROR_UNAVAILABLE);
  get_result_clear (&res);

  /* …while the same page on a 400 is unreadable. */
  fixture->status = 400;
  get_and_wait (fixture, GRAPH, CQV_TOKEN_ENDPOINT_V2, FALSE, &res);
  g_assert_error (res.error, CQV_AUTH_ERROR, CQV_AUTH_ERROR_MALFORMED);
  get_result_clear (&res);

  /* A 200 without a token */
  fixture->status = 200;
  g_free (fixture->body);
  fixture->body = g_strdup ("{\"token_type\":\"Bearer\"}");
  get_and_wait (fixture, GRAPH, CQV_TOKEN_ENDPOINT_V2, FALSE, &res);
  g_assert_error (res.error, CQV_AUTH_ERROR, CQV_AUTH_ERROR_MALFORMED);
  get_result_clear (&res);

  /* Errors are not cached: the next call asks again. */
  g_assert_cmpuint (cqv_token_provider_get_fetch_count (fixture->provider), ==, 6);
  g_clear_pointer (&fixture->body, g_free);
  get_and_wait (fixture, GRAPH, CQV_TOKEN_ENDPOINT_V2, FALSE, &res);
  g_assert_no_error (res.error);
  g_assert_cmpuint (cqv_token_provider_get_fetch_count (fixture->provider), ==, 7);
  get_result_clear (&res);
}

static void
test_insecure_login_url (Fixture *fixture, gconstpointer data)
{
  GetResult res = { 0 };

  cqv_token_provider_get_async (fixture->provider, "http://login.example.com", TENANT, CLIENT,
                                SECRET, GRAPH, CQV_TOKEN_ENDPOINT_V2, FALSE, NULL, get_done_cb,
                                &res);
  spin_until (&res.done);
  g_assert_error (res.error, CQV_HTTP_ERROR, CQV_HTTP_ERROR_INSECURE);
  g_assert_null (strstr (res.error->message, SECRET));
  g_assert_cmpuint (fixture->requests, ==, 0);
  get_result_clear (&res);
}

#define ADD(name, func) \
  g_test_add ("/cqv/token-provider/" name, Fixture, NULL, fixture_setup, func, fixture_teardown)

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/cqv/token-provider/vectors", test_vectors);
  g_test_add_func ("/cqv/token-provider/parse-response-edge-cases", test_parse_response_edge_cases);
  g_test_add_func ("/cqv/token-provider/aadsts-codes", test_aadsts_codes);
  g_test_add_func ("/cqv/token-provider/roles", test_roles);
  ADD ("v2-form", test_v2_form);
  ADD ("v1-form", test_v1_form);
  ADD ("cache", test_cache);
  ADD ("near-expiry", test_near_expiry);
  ADD ("concurrent", test_concurrent);
  ADD ("cancel-one-waiter", test_cancel_one_waiter);
  ADD ("cancel-all-waiters", test_cancel_all_waiters);
  ADD ("errors", test_errors);
  ADD ("insecure-login-url", test_insecure_login_url);

  return g_test_run ();
}
