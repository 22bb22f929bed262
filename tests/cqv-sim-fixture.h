/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The simulator as a test fixture: started per test from a scenario JSON, read through its
 * control API (/_sim/...), stopped at teardown. Header-only (static inline) so each test
 * program can include it without extra meson sources. */
#pragma once

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>
#include <string.h>
#include <unistd.h>

#include "cqv-connector.h"
#include "cqv-http-client.h"
#include "cqv-push-guard.h"
#include "cqv-secret-store.h"
#include "cqv-tenant-check.h"
#include "cqv-tenant-context.h"
#include "cqv-tenant.h"
#include "cqv-token-provider.h"
#include "cqv-user.h"

#define SIM_TENANT_ID  "7a1c0e2b-5d3f-4a6e-9b8c-0d1e2f3a4b5c"
#define SIM_APP_ID     "92ae02b7-9ca9-4b62-9130-a35011636a45"
#define SIM_APP_SECRET "app-secret-for-tests"
#define SIM_DOMAIN     "contoso.example"
#define SIM_TIME_SCALE "0.02"

typedef struct
{
  GSubprocess *process;
  char *scenario_path;
  char *base_url;
  SoupSession *session;
} SimFixture;

/* A scenario with one tenant and a push window (0: 60 s, scaled by the time scale): @users is a JSON array body (without brackets), @tenant_extra
 * extra members of the tenant object (each starting with ","), @roles the app's roles. */
static inline char *
sim_scenario_json (guint       push_window_seconds,
                   const char *tenant_extra,
                   const char *roles,
                   const char *users)
{
  return g_strdup_printf (
    "{\"push_window_seconds\": %u,"
    " \"tenants\": [{\"tenant_id\": \"" SIM_TENANT_ID "\", \"display_name\": \"Contoso\","
    " \"domains\": [\"" SIM_DOMAIN "\"],"
    " \"apps\": [{\"client_id\": \"" SIM_APP_ID "\", \"secret\": \"" SIM_APP_SECRET "\","
    " \"display_name\": \"CyberQP Verify\", \"consented\": true, \"roles\": [%s]}]"
    " %s, \"users\": [%s]}]}",
    push_window_seconds > 0 ? push_window_seconds : 60,
    roles ? roles
          : "\"User.Read.All\", \"Application.ReadWrite.All\", "
            "\"UserAuthenticationMethod.Read.All\"",
    tenant_extra ? tenant_extra : "", users ? users : "");
}

/* One user object: local part @name (UPN name@domain, id "id-name"), push behaviour @push. */
static inline char *
sim_user_json (const char *name, const char *push, const char *extra)
{
  return g_strdup_printf ("{\"id\": \"id-%s\", \"upn\": \"%s@" SIM_DOMAIN "\", "
                          "\"display_name\": \"%s\", \"authenticator\": true, \"push\": \"%s\" %s}",
                          name, name, name, push, extra ? extra : "");
}

/* Starts the simulator on @port (0: any free port). */
static inline SimFixture *
sim_fixture_start_on_port (const char *scenario, guint port)
{
  g_autofree char *port_text = g_strdup_printf ("%u", port);
  const char *binary = g_getenv ("CQV_SIMULATOR");
  SimFixture *fx = g_new0 (SimFixture, 1);
  g_autoptr (GError) error = NULL;
  g_autoptr (GDataInputStream) lines = NULL;
  GSubprocessFlags flags = G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_PIPE;
  int fd;

  g_assert_nonnull (binary);

  fd = g_file_open_tmp ("cqv-scenario-XXXXXX.json", &fx->scenario_path, &error);
  g_assert_no_error (error);
  close (fd);
  g_file_set_contents (fx->scenario_path, scenario, -1, &error);
  g_assert_no_error (error);

  if (g_getenv ("CQV_SIM_VERBOSE") == NULL)
    flags |= G_SUBPROCESS_FLAGS_STDERR_SILENCE;
  fx->process = g_subprocess_new (flags, &error, binary, "--scenario", fx->scenario_path,
                                  "--time-scale", SIM_TIME_SCALE, "--port", port_text,
                                  "--exit-on-stdin-eof", NULL);
  g_assert_no_error (error);

  /* The first line is the base URL; blocking here waits for the simulator, not for time. */
  lines = g_data_input_stream_new (g_subprocess_get_stdout_pipe (fx->process));
  fx->base_url = g_data_input_stream_read_line_utf8 (lines, NULL, NULL, &error);
  /* Loaded (or failed): nothing left behind even when an assertion aborts the test. */
  g_unlink (fx->scenario_path);
  g_assert_no_error (error);
  g_assert_nonnull (fx->base_url);
  g_assert_true (g_str_has_prefix (fx->base_url, "http://127.0.0.1:"));

  fx->session = soup_session_new ();
  return fx;
}

static inline SimFixture *
sim_fixture_start (const char *scenario)
{
  return sim_fixture_start_on_port (scenario, 0);
}

static inline void
sim_fixture_stop (SimFixture *fx)
{
  g_autoptr (GError) error = NULL;

  g_subprocess_force_exit (fx->process);
  g_subprocess_wait (fx->process, NULL, &error);
  g_assert_no_error (error);
  g_clear_object (&fx->process);
  g_clear_object (&fx->session);
  g_free (fx->scenario_path);
  g_free (fx->base_url);
  g_free (fx);
}

/* Control requests are synchronous: the simulator is another process. */
static inline JsonNode *
sim_fixture_request (SimFixture *fx, const char *method, const char *path, const char *json)
{
  g_autofree char *url = g_strconcat (fx->base_url, path, NULL);
  g_autoptr (SoupMessage) msg = soup_message_new (method, url);
  g_autoptr (GBytes) body = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonParser) parser = json_parser_new ();
  gsize len = 0;
  const char *data;

  if (json != NULL)
    {
      g_autoptr (GBytes) request = g_bytes_new (json, strlen (json));

      soup_message_set_request_body_from_bytes (msg, "application/json", request);
    }
  body = soup_session_send_and_read (fx->session, msg, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (soup_message_get_status (msg), <, 300);

  data = g_bytes_get_data (body, &len);
  if (len == 0)
    return NULL;
  json_parser_load_from_data (parser, data, len, &error);
  g_assert_no_error (error);
  return json_node_copy (json_parser_get_root (parser));
}

static inline void
sim_fixture_clear_requests (SimFixture *fx)
{
  g_autoptr (JsonNode) node = sim_fixture_request (fx, "DELETE", "/_sim/requests", NULL);
}

static inline void
sim_fixture_set_tenant (SimFixture *fx, const char *json)
{
  g_autoptr (JsonNode) node
    = sim_fixture_request (fx, "POST", "/_sim/tenant/" SIM_TENANT_ID, json);
}

/* Requests logged since the last clear whose path contains @path_part (and method, unless
 * NULL, and status, unless 0). */
static inline guint
sim_fixture_count_requests (SimFixture *fx, const char *method, const char *path_part, guint status)
{
  g_autoptr (JsonNode) node = sim_fixture_request (fx, "GET", "/_sim/requests", NULL);
  JsonArray *array = json_node_get_array (node);
  guint count = 0;

  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonObject *entry = json_array_get_object_element (array, i);

      if (g_str_has_prefix (json_object_get_string_member (entry, "path"), "/_sim"))
        continue;
      if (method != NULL && g_strcmp0 (json_object_get_string_member (entry, "method"), method) != 0)
        continue;
      if (strstr (json_object_get_string_member (entry, "path"), path_part) == NULL)
        continue;
      if (status != 0 && (guint) json_object_get_int_member (entry, "status") != status)
        continue;
      count++;
    }
  return count;
}

/* Requests to Microsoft's stand-ins (not the control API) since the last clear. */
static inline guint
sim_fixture_count_all_requests (SimFixture *fx)
{
  return sim_fixture_count_requests (fx, NULL, "/", 0);
}

/* The state of the service principal of @app_id, or NULL when it does not exist. */
static inline JsonObject *
sim_fixture_get_sp (SimFixture *fx, const char *app_id)
{
  g_autoptr (JsonNode) node = sim_fixture_request (fx, "GET", "/_sim/state", NULL);
  JsonArray *sps = json_object_get_array_member (json_node_get_object (node), "service_principals");

  for (guint i = 0; i < json_array_get_length (sps); i++)
    {
      JsonObject *sp = json_array_get_object_element (sps, i);

      if (g_ascii_strcasecmp (json_object_get_string_member (sp, "appId"), app_id) == 0)
        return json_object_ref (sp);
    }
  return NULL;
}

static inline guint
sim_fixture_count_passwords (SimFixture *fx)
{
  g_autoptr (JsonObject) sp = sim_fixture_get_sp (fx, CQV_MFA_CLIENT_APP_ID);

  g_assert_nonnull (sp);
  return json_array_get_length (json_object_get_array_member (sp, "passwordCredentials"));
}

/* BeginTwoWayAuthentication requests the simulator saw for @upn. */
static inline guint
sim_fixture_count_begins (SimFixture *fx, const char *upn)
{
  g_autoptr (JsonNode) node = sim_fixture_request (fx, "GET", "/_sim/state", NULL);
  JsonObject *begins = json_object_get_object_member (json_node_get_object (node), "begin_requests");

  return json_object_has_member (begins, upn) ? json_object_get_int_member (begins, upn) : 0;
}

/* A tenant context pointed at the simulator, with a fresh HTTP client, token provider and push
 * guard, the app secret set directly and short propagation pauses. */
static inline CqvTenantContext *
sim_fixture_new_context (SimFixture *fx, CqvSecretStore *store)
{
  g_autoptr (CqvTenant) tenant = cqv_tenant_new ("Contoso", SIM_TENANT_ID, SIM_APP_ID,
                                                 CQV_CLOUD_GLOBAL);
  g_autoptr (CqvHttpClient) http = cqv_http_client_new ();
  g_autoptr (CqvTokenProvider) tokens = cqv_token_provider_new (http);
  g_autoptr (CqvPushGuard) guard = cqv_push_guard_new ();
  CqvTenantContext *context;
  CqvConnector *connector;

  cqv_tenant_set_login_url (tenant, fx->base_url);
  cqv_tenant_set_graph_url (tenant, fx->base_url);
  cqv_tenant_set_mfa_url (tenant, fx->base_url);

  context = cqv_tenant_context_new (tenant, store, http, tokens);
  cqv_tenant_context_set_app_secret (context, SIM_APP_SECRET);
  cqv_tenant_context_set_push_guard (context, guard);

  connector = cqv_tenant_context_get_connector (context);
  cqv_connector_set_propagation_interval_ms (connector, 20);
  cqv_connector_set_propagation_timeout_ms (connector, 5000);
  return context;
}

static inline CqvUser *
sim_new_user (const char *name, CqvAuthenticatorState state)
{
  g_autofree char *id = g_strdup_printf ("id-%s", name);
  g_autofree char *upn = g_strdup_printf ("%s@" SIM_DOMAIN, name);
  CqvUser *user = cqv_user_new (id, name, upn);

  cqv_user_set_enabled (user, TRUE);
  cqv_user_set_authenticator (user, state);
  return user;
}

G_GNUC_UNUSED static gboolean
sim_timeout_cb (gpointer user_data)
{
  gboolean *timed_out = user_data;

  *timed_out = TRUE;
  return G_SOURCE_REMOVE;
}

/* Spins the default main context until *@done, failing after @timeout_ms. */
static inline void
sim_wait_for (const gboolean *done, guint timeout_ms)
{
  gboolean timed_out = FALSE;
  guint id = g_timeout_add (timeout_ms, sim_timeout_cb, &timed_out);

  while (!*done && !timed_out)
    g_main_context_iteration (NULL, TRUE);
  if (!timed_out)
    g_source_remove (id);
  g_assert_false (timed_out);
}

static inline void
sim_store_result_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  GAsyncResult **out = user_data;

  *out = g_object_ref (result);
}

/* Spins until *@result is set (by sim_store_result_cb). */
static inline void
sim_wait_for_result (GAsyncResult **result, guint timeout_ms)
{
  gboolean timed_out = FALSE;
  guint id = g_timeout_add (timeout_ms, sim_timeout_cb, &timed_out);

  while (*result == NULL && !timed_out)
    g_main_context_iteration (NULL, TRUE);
  if (!timed_out)
    g_source_remove (id);
  g_assert_false (timed_out);
}

/* Drops the last reference to @object, spinning the main context until operations still
 * unwinding (e.g. a cancelled request) let go of it; fails after @timeout_ms. */
static inline void
sim_wait_finalized (gpointer object, guint timeout_ms)
{
  gboolean timed_out = FALSE;
  gpointer weak = object;
  guint id;

  g_object_add_weak_pointer (G_OBJECT (object), &weak);
  g_object_unref (object);
  id = g_timeout_add (timeout_ms, sim_timeout_cb, &timed_out);
  while (weak != NULL && !timed_out)
    g_main_context_iteration (NULL, TRUE);
  if (!timed_out)
    g_source_remove (id);
  g_assert_null (weak);
}

/* Spins the main context until the simulator has seen a BeginTwoWayAuthentication for @upn
 * (asking it between iterations); fails after @timeout_ms. */
static inline void
sim_wait_for_begin (SimFixture *fx, const char *upn, guint timeout_ms)
{
  gint64 deadline = g_get_monotonic_time () + (gint64) timeout_ms * 1000;

  while (sim_fixture_count_begins (fx, upn) == 0)
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_main_context_iteration (NULL, FALSE);
    }
}

/* Runs the tenant's shared setup checklist to its end, so readiness knows its verdict. */
static inline void
sim_run_setup_check (CqvTenantContext *context)
{
  CqvTenantCheck *check = cqv_tenant_context_get_check (context);
  g_autoptr (GAsyncResult) result = NULL;
  g_autoptr (GListModel) items = NULL;
  g_autoptr (GError) error = NULL;

  cqv_tenant_check_run_async (check, NULL, sim_store_result_cb, &result);
  sim_wait_for_result (&result, 20000);
  items = cqv_tenant_check_run_finish (check, result, &error);
  g_assert_no_error (error);
  g_assert_true (cqv_tenant_check_get_has_run (check));
}
