/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-simulator"

#include "config.h"

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>
#include <string.h>

#define TENANT "c0a70500-de70-4000-8000-00000000de70"
#define DOMAIN "contoso-demo.onmicrosoft.com"
#define CLIENT_ID "de70de70-0000-4000-8000-0000000c1e27"
#define CLIENT_SECRET "demo-client-secret"
#define MFA_CLIENT "981f26a1-7f43-403b-a875-f8b09b8cd720"
#define CONNECTOR \
  "https://adnotifications.windowsazure.com/StrongAuthenticationService.svc/Connector"
#define GENERATED 2500

typedef struct
{
  GSubprocess *process;
  char *base;
  SoupSession *session;
  char *graph_token;
  char *connector_token;
} Simulator;

typedef struct
{
  SoupMessage *msg;
  GBytes *body;
  GError *error;
  gboolean done;
} Call;

static Simulator sim;

/* ---- plumbing --------------------------------------------------------- */

static char *
simulator_path (void)
{
  const char *env = g_getenv ("CQV_SIMULATOR");
  g_autofree char *dir = NULL;

  if (env != NULL)
    return g_strdup (env);
  dir = g_path_get_dirname (g_test_get_filename (G_TEST_BUILT, "test-simulator", NULL));
  return g_build_filename (dir, "..", "src", "simulator", "cyberqp-verify-simulator", NULL);
}

static void
start_simulator (void)
{
  g_autofree char *path = simulator_path ();
  g_autoptr (GError) error = NULL;
  g_autoptr (GDataInputStream) out = NULL;
  g_autofree char *count = g_strdup_printf ("%d", GENERATED);

  /* stdin is a pipe we never write: if this test dies, the simulator sees EOF and exits. */
  sim.process =
    g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDIN_PIPE, &error, path,
                      "--time-scale", "0.02", "--generate", count, "--exit-on-stdin-eof", NULL);
  g_assert_no_error (error);
  out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (sim.process));
  sim.base = g_data_input_stream_read_line_utf8 (out, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (sim.base);
  g_assert_true (g_str_has_prefix (sim.base, "http://127.0.0.1:"));
  sim.session = soup_session_new_with_options ("timeout", 30, NULL);
}

static void
stop_simulator (void)
{
  g_subprocess_send_signal (sim.process, SIGTERM);
  g_subprocess_wait (sim.process, NULL, NULL);
  g_clear_object (&sim.process);
  g_clear_object (&sim.session);
  g_clear_pointer (&sim.base, g_free);
  g_clear_pointer (&sim.graph_token, g_free);
  g_clear_pointer (&sim.connector_token, g_free);
}

static void
call_done_cb (GObject *source, GAsyncResult *result, gpointer data)
{
  Call *call = data;

  call->body = soup_session_send_and_read_finish (SOUP_SESSION (source), result, &call->error);
  call->done = TRUE;
}

static Call *
call_start (const char *method,
            const char *url_or_path,
            const char *bearer,
            const char *content_type,
            const char *body)
{
  Call *call = g_new0 (Call, 1);
  g_autofree char *url = g_str_has_prefix (url_or_path, "http")
                           ? g_strdup (url_or_path)
                           : g_strconcat (sim.base, url_or_path, NULL);

  call->msg = soup_message_new (method, url);
  g_assert_nonnull (call->msg);
  if (bearer != NULL)
    {
      g_autofree char *auth = g_strconcat ("Bearer ", bearer, NULL);

      soup_message_headers_replace (soup_message_get_request_headers (call->msg), "Authorization",
                                    auth);
    }
  if (body != NULL)
    {
      g_autoptr (GBytes) bytes = g_bytes_new (body, strlen (body));

      soup_message_set_request_body_from_bytes (call->msg, content_type, bytes);
    }
  soup_session_send_and_read_async (sim.session, call->msg, G_PRIORITY_DEFAULT, NULL, call_done_cb,
                                    call);
  return call;
}

static void
call_wait (Call *call)
{
  while (!call->done)
    g_main_context_iteration (NULL, TRUE);
  g_assert_no_error (call->error);
}

static void
call_free (Call *call)
{
  g_clear_object (&call->msg);
  g_clear_pointer (&call->body, g_bytes_unref);
  g_clear_error (&call->error);
  g_free (call);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Call, call_free)

static Call *
call (const char *method,
      const char *path,
      const char *bearer,
      const char *content_type,
      const char *body)
{
  Call *c = call_start (method, path, bearer, content_type, body);

  call_wait (c);
  return c;
}

static guint
call_status (Call *c)
{
  return soup_message_get_status (c->msg);
}

static JsonObject *
call_json (Call *c, JsonParser *parser)
{
  gsize length;
  const char *data = g_bytes_get_data (c->body, &length);
  g_autoptr (GError) error = NULL;

  json_parser_load_from_data (parser, data, length, &error);
  g_assert_no_error (error);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)));
  return json_node_get_object (json_parser_get_root (parser));
}

static char *
xml_value (Call *c, const char *element)
{
  gsize length;
  const char *data = g_bytes_get_data (c->body, &length);
  g_autofree char *text = g_strndup (data, length);
  g_autofree char *open = g_strdup_printf ("<%s>", element);
  const char *start = strstr (text, open);
  const char *end;

  if (start == NULL)
    return NULL;
  start += strlen (open);
  end = strstr (start, "</");
  return end ? g_strndup (start, end - start) : NULL;
}

/* ---- tokens ----------------------------------------------------------- */

static char *
request_token (const char *client_id,
               const char *secret,
               const char *scope,
               guint *status,
               guint *error_code)
{
  g_autofree char *form =
    soup_form_encode ("grant_type", "client_credentials", "client_id", client_id, "client_secret",
                      secret, "scope", scope, NULL);
  g_autoptr (Call) c =
    call ("POST", "/" DOMAIN "/oauth2/v2.0/token", NULL, "application/x-www-form-urlencoded", form);
  g_autoptr (JsonParser) parser = json_parser_new ();
  JsonObject *obj = call_json (c, parser);

  *status = call_status (c);
  *error_code = 0;
  if (*status != 200)
    {
      JsonArray *codes = json_object_get_array_member (obj, "error_codes");

      *error_code = json_array_get_int_element (codes, 0);
      return NULL;
    }
  g_assert_cmpstr (json_object_get_string_member (obj, "token_type"), ==, "Bearer");
  g_assert_cmpint (json_object_get_int_member (obj, "expires_in"), >, 0);
  return g_strdup (json_object_get_string_member (obj, "access_token"));
}

static const char *
graph_token (void)
{
  guint status, code;

  if (sim.graph_token == NULL)
    sim.graph_token = request_token (CLIENT_ID, CLIENT_SECRET,
                                     "https://graph.microsoft.com/.default", &status, &code);
  g_assert_nonnull (sim.graph_token);
  return sim.graph_token;
}

static const char *
connector_token (void)
{
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_autoptr (Call) c = NULL;
  g_autofree char *secret = NULL;
  guint status = 0, code = 0;

  if (sim.connector_token != NULL)
    return sim.connector_token;
  c = call ("POST", "/v1.0/servicePrincipals(appId='" MFA_CLIENT "')/addPassword", graph_token (),
            "application/json", "{\"passwordCredential\":{\"displayName\":\"test\"}}");
  g_assert_cmpuint (call_status (c), ==, 200);
  secret = g_strdup (json_object_get_string_member (call_json (c, parser), "secretText"));
  g_assert_cmpuint (strlen (secret), ==, 40);

  /* The new secret takes a (scaled) moment to propagate: AADSTS7000215 until then. */
  for (guint attempt = 0; attempt < 100 && sim.connector_token == NULL; attempt++)
    {
      sim.connector_token =
        request_token (MFA_CLIENT, secret, CONNECTOR "/.default", &status, &code);
      if (sim.connector_token == NULL)
        {
          g_assert_cmpuint (status, ==, 401);
          g_assert_cmpuint (code, ==, 7000215);
          g_usleep (20 * 1000);
        }
    }
  g_assert_nonnull (sim.connector_token);
  return sim.connector_token;
}

static void
test_token (void)
{
  guint status, code;
  g_autofree char *token = request_token (CLIENT_ID, CLIENT_SECRET,
                                          "https://graph.microsoft.com/.default", &status, &code);
  g_autofree char *wrong = NULL;
  g_auto (GStrv) parts = NULL;

  g_assert_cmpuint (status, ==, 200);
  parts = g_strsplit (token, ".", -1);
  g_assert_cmpuint (g_strv_length (parts), ==, 3);

  wrong = request_token (CLIENT_ID, "not-the-secret", "https://graph.microsoft.com/.default",
                         &status, &code);
  g_assert_null (wrong);
  g_assert_cmpuint (status, ==, 401);
  g_assert_cmpuint (code, ==, 7000215);
}

/* ---- Graph ------------------------------------------------------------ */

static gint64
user_count (void)
{
  g_autoptr (Call) c = call ("GET", "/_sim/state?tenant=" TENANT, NULL, NULL, NULL);
  g_autoptr (JsonParser) parser = json_parser_new ();

  return json_object_get_int_member (call_json (c, parser), "user_count");
}

static void
test_users_paging (void)
{
  g_autofree char *next =
    g_strdup ("/v1.0/users?$select=id,displayName,userPrincipalName&$top=999");
  guint pages = 0;
  gint64 total = 0;
  gint64 expected = user_count ();

  g_assert_cmpint (expected, >, GENERATED);
  while (next != NULL)
    {
      g_autoptr (Call) c = call ("GET", next, graph_token (), NULL, NULL);
      g_autoptr (JsonParser) parser = json_parser_new ();
      JsonObject *obj;

      g_assert_cmpuint (call_status (c), ==, 200);
      obj = call_json (c, parser);
      total += json_array_get_length (json_object_get_array_member (obj, "value"));
      g_free (next);
      next = g_strdup (json_object_get_string_member_with_default (obj, "@odata.nextLink", NULL));
      pages++;
    }
  g_assert_cmpuint (pages, ==, 3);
  g_assert_cmpint (total, ==, expected);
}

static void
test_users_unauthenticated (void)
{
  g_autoptr (Call) c = call ("GET", "/v1.0/users", NULL, NULL, NULL);
  g_autoptr (JsonParser) parser = json_parser_new ();
  JsonObject *error;

  g_assert_cmpuint (call_status (c), ==, 401);
  error = json_object_get_object_member (call_json (c, parser), "error");
  g_assert_cmpstr (json_object_get_string_member (error, "code"), ==, "InvalidAuthenticationToken");
}

static void
test_registration_filter (void)
{
  g_autofree char *next =
    g_strdup ("/v1.0/reports/authenticationMethods/userRegistrationDetails"
              "?$filter=methodsRegistered/any(m:m%20eq%20'microsoftAuthenticatorPush')");
  gint64 with_push = 0;

  while (next != NULL)
    {
      g_autoptr (Call) c = call ("GET", next, graph_token (), NULL, NULL);
      g_autoptr (JsonParser) parser = json_parser_new ();
      JsonObject *obj;
      JsonArray *value;

      g_assert_cmpuint (call_status (c), ==, 200);
      obj = call_json (c, parser);
      value = json_object_get_array_member (obj, "value");
      for (guint i = 0; i < json_array_get_length (value); i++)
        {
          JsonObject *item = json_array_get_object_element (value, i);
          JsonArray *methods = json_object_get_array_member (item, "methodsRegistered");
          gboolean found = FALSE;

          for (guint j = 0; j < json_array_get_length (methods); j++)
            found |= g_str_equal (json_array_get_string_element (methods, j),
                                  "microsoftAuthenticatorPush");
          g_assert_true (found);
          with_push++;
        }
      g_free (next);
      next = g_strdup (json_object_get_string_member_with_default (obj, "@odata.nextLink", NULL));
    }
  g_assert_cmpint (with_push, >, GENERATED / 2);
  g_assert_cmpint (with_push, <, user_count ());
}

/* ---- app registration ------------------------------------------------- */

#define APPLICATION_PATH "/v1.0/applications(appId='" CLIENT_ID "')"
#define DEMO_ROLES                                                                             \
  "[\"User.Read.All\", \"UserAuthenticationMethod.Read.All\", \"Application.ReadWrite.All\", " \
  "\"AuditLog.Read.All\"]"

static void
set_demo_app (const char *members)
{
  g_autofree char *json =
    g_strdup_printf ("{\"apps\": [{\"client_id\": \"" CLIENT_ID "\", %s}]}", members);
  g_autoptr (Call) c = call ("POST", "/_sim/tenant/" TENANT, NULL, "application/json", json);

  g_assert_cmpuint (call_status (c), ==, 204);
}

/* The days from now to the only password credential's endDateTime in @app. */
static double
days_left (JsonObject *app)
{
  JsonArray *credentials = json_object_get_array_member (app, "passwordCredentials");
  JsonObject *credential;
  g_autoptr (GDateTime) end = NULL;
  g_autoptr (GDateTime) now = g_date_time_new_now_utc ();

  g_assert_cmpuint (json_array_get_length (credentials), ==, 1);
  credential = json_array_get_object_element (credentials, 0);
  end =
    g_date_time_new_from_iso8601 (json_object_get_string_member (credential, "endDateTime"), NULL);
  g_assert_nonnull (end);
  return (double) g_date_time_difference (end, now) / G_TIME_SPAN_DAY;
}

static void
test_application (void)
{
  g_autoptr (Call) c = call ("GET", APPLICATION_PATH "?$select=id,appId,passwordCredentials",
                             graph_token (), NULL, NULL);
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_autoptr (JsonParser) parser2 = json_parser_new ();
  g_autofree char *by_id = NULL;
  JsonObject *app;
  JsonObject *credential;

  /* The scenario's secret, shown as Graph shows it: hint and dates, never the text. */
  g_assert_cmpuint (call_status (c), ==, 200);
  app = call_json (c, parser);
  g_assert_cmpstr (json_object_get_string_member (app, "appId"), ==, CLIENT_ID);
  g_assert_false (json_object_has_member (app, "displayName"));
  g_assert_nonnull (strstr (json_object_get_string_member (app, "@odata.context"),
                            "#applications(id,appId,passwordCredentials)/$entity"));
  credential =
    json_array_get_object_element (json_object_get_array_member (app, "passwordCredentials"), 0);
  g_assert_cmpstr (json_object_get_string_member (credential, "hint"), ==, "dem");
  g_assert_true (json_object_get_null_member (credential, "secretText"));
  g_assert_nonnull (json_object_get_string_member (credential, "keyId"));
  /* Default: a year. */
  g_assert_cmpfloat (days_left (app), >, 364.9);
  g_assert_cmpfloat (days_left (app), <=, 365.0);

  /* The same registration by its object id. */
  by_id = g_strconcat ("/v1.0/applications/", json_object_get_string_member (app, "id"), NULL);
  g_clear_pointer (&c, call_free);
  c = call ("GET", by_id, graph_token (), NULL, NULL);
  g_assert_cmpuint (call_status (c), ==, 200);
  g_assert_cmpstr (json_object_get_string_member (call_json (c, parser2), "appId"), ==, CLIENT_ID);

  /* The control API moves the end date. */
  set_demo_app ("\"secret_expires_in_days\": 10");
  g_clear_pointer (&c, call_free);
  g_clear_object (&parser);
  parser = json_parser_new ();
  c = call ("GET", APPLICATION_PATH, graph_token (), NULL, NULL);
  g_assert_cmpuint (call_status (c), ==, 200);
  app = call_json (c, parser);
  g_assert_cmpstr (json_object_get_string_member (app, "displayName"), ==, "CyberQP Verify (demo)");
  g_assert_cmpfloat (days_left (app), >, 9.9);
  g_assert_cmpfloat (days_left (app), <=, 10.0);
  set_demo_app ("\"secret_expires_in_days\": 365");
}

static void
test_application_errors (void)
{
  g_autoptr (Call) c = NULL;
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_autofree char *token = NULL;
  guint status, code;

  /* Apps registered elsewhere (the MFA client is Microsoft's) are not found. */
  c = call ("GET", "/v1.0/applications(appId='" MFA_CLIENT "')", graph_token (), NULL, NULL);
  g_assert_cmpuint (call_status (c), ==, 404);
  g_assert_cmpstr (json_object_get_string_member (
                     json_object_get_object_member (call_json (c, parser), "error"), "code"),
                   ==, "Request_ResourceNotFound");
  g_clear_pointer (&c, call_free);
  c = call ("GET", "/v1.0/applications/00000000-0000-4000-8000-000000000000", graph_token (), NULL,
            NULL);
  g_assert_cmpuint (call_status (c), ==, 404);
  g_clear_pointer (&c, call_free);

  /* Read only, and only with a token. */
  c = call ("PATCH", APPLICATION_PATH, graph_token (), "application/json", "{}");
  g_assert_cmpuint (call_status (c), ==, 405);
  g_clear_pointer (&c, call_free);
  c = call ("GET", APPLICATION_PATH, NULL, NULL, NULL);
  g_assert_cmpuint (call_status (c), ==, 401);
  g_clear_pointer (&c, call_free);

  /* Without a role that reads applications: 403. Roles are fixed when a token is issued. */
  set_demo_app ("\"roles\": [\"User.Read.All\", \"UserAuthenticationMethod.Read.All\"]");
  token = request_token (CLIENT_ID, CLIENT_SECRET, "https://graph.microsoft.com/.default", &status,
                         &code);
  g_assert_nonnull (token);
  c = call ("GET", APPLICATION_PATH, token, NULL, NULL);
  g_assert_cmpuint (call_status (c), ==, 403);
  g_clear_object (&parser);
  parser = json_parser_new ();
  g_assert_cmpstr (json_object_get_string_member (
                     json_object_get_object_member (call_json (c, parser), "error"), "code"),
                   ==, "Authorization_RequestDenied");
  g_clear_pointer (&c, call_free);
  g_clear_pointer (&token, g_free);

  /* Application.Read.All is enough. */
  set_demo_app ("\"roles\": [\"Application.Read.All\"]");
  token = request_token (CLIENT_ID, CLIENT_SECRET, "https://graph.microsoft.com/.default", &status,
                         &code);
  c = call ("GET", APPLICATION_PATH, token, NULL, NULL);
  g_assert_cmpuint (call_status (c), ==, 200);

  set_demo_app ("\"roles\": " DEMO_ROLES);
}

/* ---- connector -------------------------------------------------------- */

static char *
begin_body (const char *upn, const char *method, gboolean require_match)
{
  g_autofree char *escaped = g_markup_escape_text (upn, -1);
  g_autofree char *method_xml = method ? g_strdup_printf ("<AuthenticationMethodId>%s"
                                                          "</AuthenticationMethodId>",
                                                          method)
                                       : g_strdup ("");

  return g_strdup_printf ("<BeginTwoWayAuthenticationRequest><Version>1.0</Version>"
                          "<UserPrincipalName>%s</UserPrincipalName><Lcid>en-us</Lcid>%s"
                          "<AuthenticationMethodProperties xmlns:a=\"http://schemas.microsoft.com/"
                          "2003/10/Serialization/Arrays\"><a:KeyValueOfstringstring><a:Key>"
                          "OverrideVoiceOtp</a:Key><a:Value>false</a:Value>"
                          "</a:KeyValueOfstringstring></AuthenticationMethodProperties>"
                          "<ContextId>%s</ContextId><SyncCall>true</SyncCall>"
                          "<RequireUserMatch>%s</RequireUserMatch><CallerName>radius</CallerName>"
                          "<CallerIP>UNKNOWN:</CallerIP></BeginTwoWayAuthenticationRequest>",
                          escaped, method_xml, "7d5a1c4e-0000-4000-8000-000000000001",
                          require_match ? "true" : "false");
}

static Call *
begin_start (const char *local, const char *method, gboolean require_match)
{
  g_autofree char *upn = g_strconcat (local, "@" DOMAIN, NULL);
  g_autofree char *body = begin_body (upn, method, require_match);

  return call_start ("POST", "/StrongAuthenticationService.svc/Connector/BeginTwoWayAuthentication",
                     connector_token (), "application/xml", body);
}

static void
assert_push (Call *c, const char *value, const char *result)
{
  g_autofree char *v = NULL;
  g_autofree char *r = NULL;

  call_wait (c);
  g_assert_cmpuint (call_status (c), ==, 200);
  v = xml_value (c, "Value");
  r = xml_value (c, "AuthenticationResult");
  g_assert_cmpstr (v, ==, value);
  g_assert_cmpstr (r, ==, result);
}

static void
test_push_outcomes (void)
{
  /* All in flight at once: the simulator must not serialize them. */
  g_autoptr (Call) approve = begin_start ("AdeleV", "PhoneAppNotification", TRUE);
  g_autoptr (Call) deny = begin_start ("AlexW", "PhoneAppNotification", TRUE);
  g_autoptr (Call) fraud = begin_start ("MeganB", "PhoneAppNotification", TRUE);
  g_autoptr (Call) unknown = begin_start ("nobody", "PhoneAppNotification", TRUE);
  g_autoptr (Call) not_enrolled = begin_start ("IsaiahL", "PhoneAppNotification", TRUE);

  assert_push (unknown, "UserNotFound", "false");
  assert_push (not_enrolled, "AuthenticationMethodNotConfigured", "false");
  assert_push (approve, "Success", "true");
  assert_push (deny, "PhoneAppDenied", "false");
  assert_push (fraud, "PhoneAppFraudReported", "false");
}

static void
test_push_no_answer_and_duplicate (void)
{
  g_autoptr (Call) first = begin_start ("LeeG", "PhoneAppNotification", TRUE);
  g_autoptr (Call) second = NULL;
  gint64 started = g_get_monotonic_time ();

  /* make sure the first one reached the simulator before the second */
  while (TRUE)
    {
      g_autoptr (Call) pending = call ("GET", "/_sim/pushes", NULL, NULL, NULL);

      if (strstr (g_bytes_get_data (pending->body, NULL), "LeeG@") != NULL)
        break;
      g_usleep (5000);
    }
  second = begin_start ("LeeG", "PhoneAppNotification", TRUE);
  assert_push (second, "UserAuthFailedDuplicateRequest", "false");
  assert_push (first, "PhoneAppNoResponse", "false");
  /* 60 s push window × 0.02 */
  g_assert_cmpint (g_get_monotonic_time () - started, >=, 1100 * 1000);
}

static void
test_push_otp_default (void)
{
  g_autoptr (Call) unforced = begin_start ("DiegoS", NULL, TRUE);
  g_autoptr (Call) forced = NULL;

  assert_push (unforced, "Success", "challenge");
  forced = begin_start ("DiegoS", "PhoneAppNotification", TRUE);
  assert_push (forced, "Success", "true");
}

static void
test_push_require_user_match (void)
{
  g_autoptr (Call) hazard = begin_start ("IsaiahL", NULL, FALSE);

  /* the NPS hazard the client must avoid by always sending true */
  assert_push (hazard, "Success", "true");
}

/* ---- faults ----------------------------------------------------------- */

static void
test_fault_429 (void)
{
  g_autoptr (Call) set = call ("POST", "/_sim/tenant/" TENANT, NULL, "application/json",
                               "{\"faults\":[{\"path\":\"/v1.0/users\",\"kind\":\"429\","
                               "\"retry_after\":\"3\",\"count\":1}]}");
  g_autoptr (Call) throttled = NULL;
  g_autoptr (Call) again = NULL;
  g_autoptr (JsonParser) parser = json_parser_new ();
  JsonObject *error;

  g_assert_cmpuint (call_status (set), ==, 204);
  throttled = call ("GET", "/v1.0/users?$top=1", graph_token (), NULL, NULL);
  g_assert_cmpuint (call_status (throttled), ==, 429);
  g_assert_cmpstr (soup_message_headers_get_one (soup_message_get_response_headers (throttled->msg),
                                                 "Retry-After"),
                   ==, "3");
  error = json_object_get_object_member (call_json (throttled, parser), "error");
  g_assert_cmpstr (json_object_get_string_member (error, "code"), ==, "TooManyRequests");

  again = call ("GET", "/v1.0/users?$top=1", graph_token (), NULL, NULL);
  g_assert_cmpuint (call_status (again), ==, 200);
}

int
main (int argc, char **argv)
{
  int result;

  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/cqv/simulator/token", test_token);
  g_test_add_func ("/cqv/simulator/users-unauthenticated", test_users_unauthenticated);
  g_test_add_func ("/cqv/simulator/users-paging", test_users_paging);
  g_test_add_func ("/cqv/simulator/registration-filter", test_registration_filter);
  g_test_add_func ("/cqv/simulator/application", test_application);
  g_test_add_func ("/cqv/simulator/application-errors", test_application_errors);
  g_test_add_func ("/cqv/simulator/push-outcomes", test_push_outcomes);
  g_test_add_func ("/cqv/simulator/push-no-answer-duplicate", test_push_no_answer_and_duplicate);
  g_test_add_func ("/cqv/simulator/push-otp-default", test_push_otp_default);
  g_test_add_func ("/cqv/simulator/push-require-user-match", test_push_require_user_match);
  g_test_add_func ("/cqv/simulator/fault-429", test_fault_429);

  start_simulator ();
  result = g_test_run ();
  stop_simulator ();
  return result;
}
