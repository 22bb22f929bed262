/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "cqv-sim-fixture.h"
#include "cqv-tenant-resolver.h"

#define TIMEOUT_MS 20000
#define RECORDED_GUID "88888888-8888-8888-8888-888888888888"
#define V1_GUID "0b7e3c2a-51d4-4e8f-9a6b-2c3d4e5f6a7b"

typedef struct
{
  char *guid;
  GError *error;
  gboolean done;
} Resolved;

static void
resolved_clear (Resolved *r)
{
  g_clear_pointer (&r->guid, g_free);
  g_clear_error (&r->error);
  r->done = FALSE;
}

static GBytes *
load_vector (const char *name)
{
  const char *dir = g_getenv ("CQV_VECTORS");
  g_autofree char *path = g_build_filename (dir != NULL ? dir : TEST_SRCDIR "/vectors", name, NULL);
  g_autoptr (GError) error = NULL;
  char *contents = NULL;
  gsize length = 0;

  g_file_get_contents (path, &contents, &length, &error);
  g_assert_no_error (error);
  return g_bytes_new_take (contents, length);
}

static GBytes *
text_bytes (const char *text)
{
  return g_bytes_new (text, strlen (text));
}

/* @text with every @from replaced by @to. */
static GBytes *
replace (GBytes *bytes, const char *from, const char *to)
{
  g_autofree char *text = g_strndup (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
  g_auto (GStrv) parts = g_strsplit (text, from, -1);
  char *joined = g_strjoinv (to, parts);

  return g_bytes_new_take (joined, strlen (joined));
}

static void
resolve_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  Resolved *r = user_data;

  r->guid = cqv_tenant_resolver_resolve_finish (CQV_TENANT_RESOLVER (object), result, &r->error);
  r->done = TRUE;
}

static void
resolve (CqvTenantResolver *resolver,
         const char *login_url,
         const char *text,
         GCancellable *cancellable,
         Resolved *r)
{
  resolved_clear (r);
  cqv_tenant_resolver_resolve_async (resolver, login_url, text, cancellable, resolve_cb, r);
  /* Never synchronous, not even for a GUID. */
  g_assert_false (r->done);
  sim_wait_for (&r->done, TIMEOUT_MS);
}

static CqvTenantResolver *
new_resolver (void)
{
  g_autoptr (CqvHttpClient) http = cqv_http_client_new ();
  CqvRetryPolicy policy;

  cqv_retry_policy_init_default (&policy);
  policy.max_attempts = 2;
  policy.base_delay_ms = 10;
  policy.max_delay_ms = 20;
  cqv_http_client_set_retry_policy (http, &policy);
  return cqv_tenant_resolver_new (http);
}

/* ---- pure functions ---- */

static void
test_guid_and_domain (void)
{
  g_assert_true (cqv_tenant_id_is_guid ("7a1c0e2b-5d3f-4a6e-9b8c-0d1e2f3a4b5c"));
  g_assert_true (cqv_tenant_id_is_guid ("7A1C0E2B-5D3F-4A6E-9B8C-0D1E2F3A4B5C"));
  g_assert_false (cqv_tenant_id_is_guid ("7a1c0e2b-5d3f-4a6e-9b8c-0d1e2f3a4b5"));
  g_assert_false (cqv_tenant_id_is_guid ("7a1c0e2b55d3f-4a6e-9b8c-0d1e2f3a4b5c"));
  g_assert_false (cqv_tenant_id_is_guid ("{7a1c0e2b-5d3f-4a6e-9b8c-0d1e2f3a4b5c}"));
  g_assert_false (cqv_tenant_id_is_guid (""));

  g_assert_true (cqv_tenant_id_is_domain ("contoso.onmicrosoft.com"));
  g_assert_true (cqv_tenant_id_is_domain ("my-tenant.example"));
  g_assert_false (cqv_tenant_id_is_domain ("contoso"));
  g_assert_false (cqv_tenant_id_is_domain ("common"));
  g_assert_false (cqv_tenant_id_is_domain ("contoso..com"));
  g_assert_false (cqv_tenant_id_is_domain ("-contoso.com"));
  g_assert_false (cqv_tenant_id_is_domain ("contoso.com/../x"));
  g_assert_false (cqv_tenant_id_is_domain ("contoso.com?x=1"));
  g_assert_false (cqv_tenant_id_is_domain ("con toso.com"));
  g_assert_false (cqv_tenant_id_is_domain ("cöntoso.com"));
  g_assert_false (cqv_tenant_id_is_domain (""));
}

static void
test_parse_v2_recorded (void)
{
  g_autoptr (GBytes) body = load_vector ("openid-configuration-v2.0-recorded.json");
  g_autoptr (GError) error = NULL;
  g_autofree char *guid = cqv_tenant_resolver_parse_configuration (body, &error);

  g_assert_no_error (error);
  g_assert_cmpstr (guid, ==, RECORDED_GUID);
}

static void
test_parse_v1_doc (void)
{
  g_autoptr (GBytes) doc = load_vector ("openid-configuration.json");
  g_autoptr (GBytes) real = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *guid = NULL;

  /* As documented, with the <TENANT-ID> placeholder, it names no tenant. */
  guid = cqv_tenant_resolver_parse_configuration (doc, &error);
  g_assert_error (error, CQV_TENANT_RESOLVER_ERROR, CQV_TENANT_RESOLVER_ERROR_MALFORMED);
  g_assert_null (guid);
  g_clear_error (&error);

  /* With a real id the v1 shape (issuer https://sts.windows.net/{tid}/) resolves, in lower
   * case. */
  real = replace (doc, "<TENANT-ID>", "0B7E3C2A-51D4-4E8F-9A6B-2C3D4E5F6A7B");
  guid = cqv_tenant_resolver_parse_configuration (real, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (guid, ==, V1_GUID);
}

static void
test_parse_doc_excerpt (void)
{
  g_autoptr (GBytes) excerpt = load_vector ("openid-configuration-v2.0-doc-excerpt.txt");
  g_autoptr (GBytes) repaired = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *guid = NULL;

  /* The doc shortens it with "...": not JSON. */
  guid = cqv_tenant_resolver_parse_configuration (excerpt, &error);
  g_assert_error (error, CQV_TENANT_RESOLVER_ERROR, CQV_TENANT_RESOLVER_ERROR_MALFORMED);
  g_clear_error (&error);

  /* Without the "...", it is the /common document: no issuer, a templated {tenant}. */
  repaired = replace (excerpt, "],\n  ...\n", "]\n");
  guid = cqv_tenant_resolver_parse_configuration (repaired, &error);
  g_assert_error (error, CQV_TENANT_RESOLVER_ERROR, CQV_TENANT_RESOLVER_ERROR_MALFORMED);
  g_assert_null (guid);
}

static void
test_parse_shapes (void)
{
  static const struct
  {
    const char *body;
    const char *guid; /* NULL: MALFORMED */
  } cases[] = {
    { "{\"token_endpoint\": \"https://login.microsoftonline.us/" V1_GUID "/oauth2/v2.0/token\"}",
      V1_GUID },
    { "{\"issuer\": \"https://login.chinacloudapi.cn/" V1_GUID "/v2.0\"}", V1_GUID },
    /* issuer and token endpoint disagree */
    { "{\"issuer\": \"https://login.microsoftonline.com/" V1_GUID "/v2.0\", \"token_endpoint\": "
      "\"https://login.microsoftonline.com/" RECORDED_GUID "/oauth2/v2.0/token\"}",
      NULL },
    /* a templated issuer, a usable token endpoint */
    { "{\"issuer\": \"https://login.microsoftonline.com/{tenantid}/v2.0\", \"token_endpoint\": "
      "\"https://login.microsoftonline.com/" V1_GUID "/oauth2/v2.0/token\"}",
      V1_GUID },
    /* a GUID in the query or host does not count */
    { "{\"issuer\": \"https://login.microsoftonline.com/x?tid=" V1_GUID "\"}", NULL },
    { "{\"issuer\": 42}", NULL },
    { "{\"issuer\": [\"https://login.microsoftonline.com/" V1_GUID "/v2.0\"]}", NULL },
    { "[]", NULL },
    { "null", NULL },
    { "\"https://login.microsoftonline.com/" V1_GUID "/v2.0\"", NULL },
    { "{}", NULL },
    { "", NULL },
    { "{\"issuer\": \"not a url\"}", NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr (GBytes) body = text_bytes (cases[i].body);
      g_autoptr (GError) error = NULL;
      g_autofree char *guid = cqv_tenant_resolver_parse_configuration (body, &error);

      g_test_message ("case %u: %s", i, cases[i].body);
      if (cases[i].guid != NULL)
        {
          g_assert_no_error (error);
          g_assert_cmpstr (guid, ==, cases[i].guid);
        }
      else
        {
          g_assert_error (error, CQV_TENANT_RESOLVER_ERROR, CQV_TENANT_RESOLVER_ERROR_MALFORMED);
          g_assert_null (guid);
        }
    }
}

static void
test_parse_not_utf8 (void)
{
  static const char bytes[] = "{\"issuer\": \"https://login.microsoftonline.com/\xff/v2.0\"}";
  g_autoptr (GBytes) body = g_bytes_new (bytes, sizeof bytes - 1);
  g_autoptr (GError) error = NULL;
  g_autofree char *guid = cqv_tenant_resolver_parse_configuration (body, &error);

  g_assert_error (error, CQV_TENANT_RESOLVER_ERROR, CQV_TENANT_RESOLVER_ERROR_MALFORMED);
  g_assert_null (guid);
}

/* ---- without the network ---- */

static void
test_resolve_guid_no_request (void)
{
  g_autoptr (CqvTenantResolver) resolver = new_resolver ();
  Resolved r = { 0 };

  /* Port 9 on loopback: any request would fail with a network error. */
  resolve (resolver, "http://127.0.0.1:9", "7A1C0E2B-5D3F-4A6E-9B8C-0D1E2F3A4B5C", NULL, &r);
  g_assert_no_error (r.error);
  g_assert_cmpstr (r.guid, ==, "7A1C0E2B-5D3F-4A6E-9B8C-0D1E2F3A4B5C");
  resolved_clear (&r);
}

static void
test_resolve_invalid (void)
{
  static const char *const inputs[] = { "", "contoso", "contoso.com/x", "a b.com", "../etc.x/" };
  g_autoptr (CqvTenantResolver) resolver = new_resolver ();
  Resolved r = { 0 };

  for (guint i = 0; i < G_N_ELEMENTS (inputs); i++)
    {
      resolve (resolver, "http://127.0.0.1:9", inputs[i], NULL, &r);
      g_assert_error (r.error, CQV_TENANT_RESOLVER_ERROR, CQV_TENANT_RESOLVER_ERROR_INVALID);
      g_assert_null (r.guid);
    }
  resolved_clear (&r);
}

/* ---- against the simulator ---- */

static void
test_resolve_simulator (void)
{
  g_autofree char *scenario = sim_scenario_json (0, NULL, NULL, NULL);
  SimFixture *fx = sim_fixture_start (scenario);
  g_autoptr (CqvTenantResolver) resolver = new_resolver ();
  g_autofree char *login_slash = g_strconcat (fx->base_url, "/", NULL);
  Resolved r = { 0 };

  sim_fixture_clear_requests (fx);
  resolve (resolver, fx->base_url, SIM_DOMAIN, NULL, &r);
  g_assert_no_error (r.error);
  g_assert_cmpstr (r.guid, ==, SIM_TENANT_ID);
  g_assert_cmpuint (sim_fixture_count_requests (
                      fx, "GET", "/" SIM_DOMAIN "/v2.0/.well-known/openid-configuration", 200),
                    ==, 1);
  g_assert_cmpuint (sim_fixture_count_all_requests (fx), ==, 1);

  /* Upper case and a trailing slash on the login URL. */
  resolve (resolver, login_slash, "CONTOSO.Example", NULL, &r);
  g_assert_no_error (r.error);
  g_assert_cmpstr (r.guid, ==, SIM_TENANT_ID);

  /* AADSTS90002 */
  resolve (resolver, fx->base_url, "fabrikam.example", NULL, &r);
  g_assert_error (r.error, CQV_TENANT_RESOLVER_ERROR, CQV_TENANT_RESOLVER_ERROR_NOT_FOUND);
  g_assert_nonnull (strstr (r.error->message, "fabrikam.example"));
  g_assert_null (r.guid);

  /* A truncated body. */
  sim_fixture_set_tenant (fx, "{\"faults\": [{\"path\": \"/" SIM_DOMAIN "/v2.0/.well-known\", "
                              "\"kind\": \"malformed\"}]}");
  resolve (resolver, fx->base_url, SIM_DOMAIN, NULL, &r);
  g_assert_error (r.error, CQV_TENANT_RESOLVER_ERROR, CQV_TENANT_RESOLVER_ERROR_MALFORMED);

  /* Transport trouble passes through as CqvHttpError. */
  sim_fixture_set_tenant (fx, "{\"faults\": [{\"path\": \"/" SIM_DOMAIN "/v2.0/.well-known\", "
                              "\"kind\": \"503\", \"count\": -1}]}");
  resolve (resolver, fx->base_url, SIM_DOMAIN, NULL, &r);
  g_assert_error (r.error, CQV_HTTP_ERROR, CQV_HTTP_ERROR_UNAVAILABLE);

  sim_fixture_set_tenant (fx, "{\"faults\": []}");
  resolve (resolver, fx->base_url, SIM_DOMAIN, NULL, &r);
  g_assert_no_error (r.error);
  g_assert_cmpstr (r.guid, ==, SIM_TENANT_ID);

  resolved_clear (&r);
  sim_fixture_stop (fx);
}

static void
test_resolve_cancel (void)
{
  g_autofree char *scenario = sim_scenario_json (0, NULL, NULL, NULL);
  SimFixture *fx = sim_fixture_start (scenario);
  g_autoptr (CqvTenantResolver) resolver = new_resolver ();
  g_autoptr (GCancellable) cancellable = g_cancellable_new ();
  Resolved r = { 0 };

  sim_fixture_set_tenant (fx, "{\"faults\": [{\"path\": \"/" SIM_DOMAIN "/v2.0/.well-known\", "
                              "\"kind\": \"slow\", \"delay_ms\": 100000}]}");
  cqv_tenant_resolver_resolve_async (resolver, fx->base_url, SIM_DOMAIN, cancellable, resolve_cb,
                                     &r);
  g_cancellable_cancel (cancellable);
  sim_wait_for (&r.done, TIMEOUT_MS);
  g_assert_error (r.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_null (r.guid);

  resolved_clear (&r);
  sim_fixture_stop (fx);
}

/* ---- statuses the simulator does not give: a SoupServer of our own ---- */

typedef struct
{
  guint status;
  const char *body;
} Canned;

static void
canned_cb (SoupServer *server,
           SoupServerMessage *msg,
           const char *path,
           GHashTable *query,
           gpointer user_data)
{
  const Canned *canned = user_data;

  soup_server_message_set_status (msg, canned->status, NULL);
  soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_STATIC, canned->body,
                                    strlen (canned->body));
}

static void
test_resolve_statuses (void)
{
  static const struct
  {
    Canned canned;
    int code;
  } cases[] = {
    { { 404, "" }, CQV_TENANT_RESOLVER_ERROR_NOT_FOUND },
    { { 400, "{\"error\": \"invalid_request\"}" }, CQV_TENANT_RESOLVER_ERROR_NOT_FOUND },
    { { 500, "{}" }, CQV_TENANT_RESOLVER_ERROR_FAILED },
    { { 403, "{\"error_codes\": [90002]}" }, CQV_TENANT_RESOLVER_ERROR_NOT_FOUND },
    { { 403, "{\"error_codes\": [50000]}" }, CQV_TENANT_RESOLVER_ERROR_FAILED },
    { { 200, "<html>captive portal</html>" }, CQV_TENANT_RESOLVER_ERROR_MALFORMED },
  };
  g_autoptr (CqvTenantResolver) resolver = new_resolver ();

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr (SoupServer) server = soup_server_new (NULL, NULL);
      g_autoptr (GError) error = NULL;
      g_autoptr (GSList) uris = NULL;
      g_autofree char *login = NULL;
      Resolved r = { 0 };

      soup_server_add_handler (server, NULL, canned_cb, (gpointer) &cases[i].canned, NULL);
      soup_server_listen_local (server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error);
      g_assert_no_error (error);
      uris = soup_server_get_uris (server);
      login = g_uri_to_string (uris->data);
      g_slist_free_full (g_steal_pointer (&uris), (GDestroyNotify) g_uri_unref);

      resolve (resolver, login, "contoso.onmicrosoft.com", NULL, &r);
      g_assert_error (r.error, CQV_TENANT_RESOLVER_ERROR, cases[i].code);
      /* Messages name the domain, never the body. */
      g_assert_null (strstr (r.error->message, "captive"));
      resolved_clear (&r);
    }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/cqv/tenant-resolver/guid-and-domain", test_guid_and_domain);
  g_test_add_func ("/cqv/tenant-resolver/parse/v2-recorded", test_parse_v2_recorded);
  g_test_add_func ("/cqv/tenant-resolver/parse/v1-doc", test_parse_v1_doc);
  g_test_add_func ("/cqv/tenant-resolver/parse/doc-excerpt", test_parse_doc_excerpt);
  g_test_add_func ("/cqv/tenant-resolver/parse/shapes", test_parse_shapes);
  g_test_add_func ("/cqv/tenant-resolver/parse/not-utf8", test_parse_not_utf8);
  g_test_add_func ("/cqv/tenant-resolver/resolve/guid-no-request", test_resolve_guid_no_request);
  g_test_add_func ("/cqv/tenant-resolver/resolve/invalid", test_resolve_invalid);
  g_test_add_func ("/cqv/tenant-resolver/resolve/simulator", test_resolve_simulator);
  g_test_add_func ("/cqv/tenant-resolver/resolve/cancel", test_resolve_cancel);
  g_test_add_func ("/cqv/tenant-resolver/resolve/statuses", test_resolve_statuses);

  return g_test_run ();
}
