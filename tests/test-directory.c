/* SPDX-License-Identifier: GPL-3.0-or-later */

#define G_LOG_DOMAIN "test-directory"

#include "config.h"

#include <libsoup/soup.h>
#include <glib/gstdio.h>
#include <signal.h>
#include <stdarg.h>
#include <string.h>

#include "cqv-directory.h"

#define SIM_TENANT "c0a70500-de70-4000-8000-00000000de70"
#define SIM_CLIENT "de70de70-0000-4000-8000-0000000c1e27"
#define SIM_SECRET "demo-client-secret"
#define ENCODED_FILTER \
  "$filter=methodsRegistered%2Fany%28m%3Am%20eq%20%27microsoftAuthenticatorPush%27%29"

typedef enum
{
  REPORT_OK,
  REPORT_NO_PREMIUM,
  REPORT_NO_AUDIT_PERMISSION,
  REPORT_SERVER_ERROR,
  REPORT_VECTOR,
} ReportMode;

typedef struct
{
  SoupServer *server;
  char *base_url;
  CqvHttpClient *http;
  CqvTokenProvider *tokens;
  CqvGraphClient *graph;
  CqvDirectory *directory;

  guint n_users;
  char *users_body;        /* served as the only page instead of generated users */
  gint throttle_at_offset; /* -1: never; else one 429 for the page at this offset */
  ReportMode report_mode;
  char *report_body;
  gboolean methods_forbidden;
  gint forbidden_index; /* -1: none; else this user's methods are 403 */

  guint users_requests;
  char *first_users_query;
  char *report_query;
  guint report_requests;
  guint methods_requests;
  guint batch_posts;
  GArray *batch_sizes;
} Fixture;

/* ---- the fake Graph ------------------------------------------------------ */

static char *
user_id (guint i)
{
  return g_strdup_printf ("00000000-0000-4000-8000-%012u", i);
}

static gint
user_index (const char *id)
{
  guint64 value = 0;

  if (id == NULL || !g_str_has_prefix (id, "00000000-0000-4000-8000-"))
    return -1;
  if (!g_ascii_string_to_unsigned (id + strlen ("00000000-0000-4000-8000-"), 10, 0, G_MAXINT,
                                   &value, NULL))
    return -1;
  return (gint) value;
}

static gboolean
is_registered (guint i)
{
  return i % 3 == 0;
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

static guint
query_offset (SoupServerMessage *msg)
{
  const char *query = g_uri_get_query (soup_server_message_get_uri (msg));
  const char *token = query != NULL ? strstr (query, "$skiptoken=") : NULL;

  return token != NULL ? (guint) g_ascii_strtoull (token + strlen ("$skiptoken="), NULL, 10) : 0;
}

static void
serve_users (Fixture *f, SoupServerMessage *msg)
{
  GString *json;
  guint offset = query_offset (msg);
  guint end;

  f->users_requests++;
  if (f->first_users_query == NULL)
    f->first_users_query = g_strdup (g_uri_get_query (soup_server_message_get_uri (msg)));

  if (f->users_body != NULL)
    {
      respond_json (msg, 200, f->users_body);
      return;
    }

  if (f->throttle_at_offset >= 0 && offset == (guint) f->throttle_at_offset)
    {
      f->throttle_at_offset = -1;
      soup_message_headers_append (soup_server_message_get_response_headers (msg), "Retry-After",
                                   "0");
      respond_json (msg, 429,
                    "{\"error\":{\"code\":\"TooManyRequests\",\"message\":\"Please "
                    "retry again later.\"}}");
      return;
    }

  end = MIN (offset + 999, f->n_users);
  json = g_string_new ("{\"@odata.context\":\"x\",\"value\":[");
  for (guint i = offset; i < end; i++)
    {
      g_autofree char *id = user_id (i);

      g_string_append_printf (json,
                              "%s{\"id\":\"%s\",\"displayName\":\"User %u\","
                              "\"userPrincipalName\":\"user%u@Contoso.test\","
                              "\"mail\":null,\"jobTitle\":null,\"department\":\"Sales\","
                              "\"accountEnabled\":true,\"userType\":\"Member\","
                              "\"onPremisesSyncEnabled\":null}",
                              i == offset ? "" : ",", id, i, i);
    }
  g_string_append (json, "]");
  if (end < f->n_users)
    g_string_append_printf (json, ",\"@odata.nextLink\":\"%s/v1.0/users?$top=999&$skiptoken=%u\"",
                            f->base_url, end);
  g_string_append (json, "}");
  respond_json (msg, 200, json->str);
  g_string_free (json, TRUE);
}

static void
serve_report (Fixture *f, SoupServerMessage *msg)
{
  GString *json;
  guint offset = query_offset (msg);
  guint half = f->n_users / 2;
  guint end = offset == 0 ? half : f->n_users;
  gboolean first = TRUE;

  f->report_requests++;
  if (offset == 0)
    {
      g_free (f->report_query);
      f->report_query = g_strdup (g_uri_get_query (soup_server_message_get_uri (msg)));
    }

  switch (f->report_mode)
    {
    case REPORT_NO_PREMIUM:
      respond_json (msg, 403,
                    "{\"error\":{\"code\":\"Authentication_RequestFromNonPremiumTenantOr"
                    "B2CTenant\",\"message\":\"Tenant is not a B2C tenant and doesn't "
                    "have premium license\"}}");
      return;
    case REPORT_NO_AUDIT_PERMISSION:
      respond_json (msg, 403,
                    "{\"error\":{\"code\":\"Authentication_MSGraphPermissionMissing\","
                    "\"message\":\"Application missing MSGraph API 'Read all audit log "
                    "data' permission\"}}");
      return;
    case REPORT_SERVER_ERROR:
      respond_json (msg, 500, "{\"error\":{\"code\":\"generalException\",\"message\":\"x\"}}");
      return;
    case REPORT_VECTOR:
      respond_json (msg, 200, f->report_body);
      return;
    case REPORT_OK:
    default:
      break;
    }

  /* Two pages: the first half, then the rest. */
  json = g_string_new ("{\"value\":[");
  for (guint i = offset; i < end; i++)
    {
      g_autofree char *id = user_id (i);

      if (!is_registered (i))
        continue;
      g_string_append_printf (json,
                              "%s{\"id\":\"%s\",\"userPrincipalName\":\"user%u@contoso.test\","
                              "\"methodsRegistered\":[\"microsoftAuthenticatorPush\"]}",
                              first ? "" : ",", id, i);
      first = FALSE;
    }
  g_string_append (json, "]");
  if (offset == 0 && f->n_users > 0)
    g_string_append_printf (json,
                            ",\"@odata.nextLink\":\"%s/v1.0/reports/authenticationMethods/"
                            "userRegistrationDetails?$skiptoken=%u\"",
                            f->base_url, half);
  g_string_append (json, "}");
  respond_json (msg, 200, json->str);
  g_string_free (json, TRUE);
}

/* The body and status of GET /users/{id}/authentication/microsoftAuthenticatorMethods. */
static guint
methods_answer (Fixture *f, const char *id, char **body)
{
  gint index = user_index (id);

  if (f->methods_forbidden || (f->forbidden_index >= 0 && index == f->forbidden_index))
    {
      *body = g_strdup ("{\"error\":{\"code\":\"Authorization_RequestDenied\","
                        "\"message\":\"Insufficient privileges to complete the operation.\"}}");
      return 403;
    }
  if (index < 0)
    {
      *body = g_strdup ("{\"error\":{\"code\":\"Request_ResourceNotFound\",\"message\":\"x\"}}");
      return 404;
    }
  *body = is_registered (index) ? read_vector ("graph-microsoftAuthenticatorMethods-list.json")
                                : g_strdup ("{\"value\":[]}");
  return 200;
}

static void
serve_batch (Fixture *f, SoupServerMessage *msg)
{
  SoupMessageBody *request_body = soup_server_message_get_request_body (msg);
  g_autoptr (JsonNode) root = NULL;
  g_autoptr (GError) error = NULL;
  GString *json = g_string_new ("{\"responses\":[");
  JsonArray *requests;
  guint n;

  f->batch_posts++;
  root = json_from_string (request_body->data, &error);
  g_assert_no_error (error);
  requests = json_object_get_array_member (json_node_get_object (root), "requests");
  n = json_array_get_length (requests);
  g_array_append_val (f->batch_sizes, n);

  for (guint i = 0; i < n; i++)
    {
      JsonObject *request = json_array_get_object_element (requests, i);
      const char *url = json_object_get_string_member (request, "url");
      g_auto (GStrv) parts = g_strsplit (url, "/", -1);
      g_autofree char *body = NULL;
      guint status;

      /* "/users/{id}/authentication/microsoftAuthenticatorMethods" */
      g_assert_cmpuint (g_strv_length (parts), ==, 5);
      g_assert_cmpstr (parts[4], ==, "microsoftAuthenticatorMethods");
      status = methods_answer (f, parts[2], &body);
      g_string_append_printf (json, "%s{\"id\":\"%s\",\"status\":%u,\"headers\":{},\"body\":%s}",
                              i == 0 ? "" : ",", json_object_get_string_member (request, "id"),
                              status, body);
    }
  g_string_append (json, "]}");
  respond_json (msg, 200, json->str);
  g_string_free (json, TRUE);
}

static void
server_cb (SoupServer *server,
           SoupServerMessage *msg,
           const char *path,
           GHashTable *query,
           gpointer user_data)
{
  Fixture *f = user_data;
  g_auto (GStrv) parts = g_strsplit (path, "/", -1);

  if (g_str_has_suffix (path, "/oauth2/v2.0/token"))
    {
      respond_json (msg, 200,
                    "{\"token_type\":\"Bearer\",\"expires_in\":3599,"
                    "\"access_token\":\"eyJhbGciOiJub25lIn0.eyJyb2xlcyI6W119.x\"}");
      return;
    }

  if (g_str_equal (path, "/v1.0/users"))
    serve_users (f, msg);
  else if (g_str_equal (path, "/v1.0/reports/authenticationMethods/userRegistrationDetails"))
    serve_report (f, msg);
  else if (g_str_equal (path, "/v1.0/$batch"))
    serve_batch (f, msg);
  else if (g_strv_length (parts) == 6 && g_str_equal (parts[2], "users") &&
           g_str_equal (parts[5], "microsoftAuthenticatorMethods"))
    {
      g_autofree char *body = NULL;
      guint status = methods_answer (f, parts[3], &body);

      f->methods_requests++;
      respond_json (msg, status, body);
    }
  else
    respond_json (msg, 404,
                  "{\"error\":{\"code\":\"Request_ResourceNotFound\",\"message\":\"x\"}}");
}

static Fixture *
fixture_new (guint n_users)
{
  Fixture *f = g_new0 (Fixture, 1);
  g_autoptr (GError) error = NULL;
  CqvRetryPolicy policy;
  GSList *uris;
  char *uri;

  f->n_users = n_users;
  f->throttle_at_offset = -1;
  f->forbidden_index = -1;
  f->batch_sizes = g_array_new (FALSE, FALSE, sizeof (guint));
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
  cqv_graph_client_set_client_secret (f->graph, "secret");
  f->directory = cqv_directory_new (f->graph);
  return f;
}

static void spin_until (gboolean *flag, gpointer *pointer_set, gpointer *pointer_cleared);

/* Drops the last reference; requests still in flight (cancelled ones coming back) may hold
 * it for a few more main-loop iterations, so wait for the finalization rather than assert it
 * right away. A leak fails on the timeout. */
static void
assert_finalized_soon (gpointer object)
{
  gpointer weak = object;

  g_object_add_weak_pointer (G_OBJECT (object), &weak);
  g_object_unref (object);
  spin_until (NULL, NULL, &weak);
}

static void
fixture_free (Fixture *f)
{
  if (f->directory != NULL)
    assert_finalized_soon (g_steal_pointer (&f->directory));
  assert_finalized_soon (g_steal_pointer (&f->graph));
  g_clear_object (&f->tokens);
  g_clear_object (&f->http);
  soup_server_disconnect (f->server);
  g_clear_object (&f->server);
  g_array_unref (f->batch_sizes);
  g_free (f->base_url);
  g_free (f->users_body);
  g_free (f->report_body);
  g_free (f->first_users_query);
  g_free (f->report_query);
  g_free (f);
}

/* ---- async helpers ------------------------------------------------------- */

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

static void
spin_until (gboolean *flag, gpointer *pointer_set, gpointer *pointer_cleared)
{
  gint64 deadline = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;
  guint wake = g_timeout_add (50, wake_cb, NULL);

  while (!((flag != NULL && *flag) || (pointer_set != NULL && *pointer_set != NULL) ||
           (pointer_cleared != NULL && *pointer_cleared == NULL)))
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_main_context_iteration (NULL, TRUE);
    }
  g_source_remove (wake);
}

static gboolean
do_load (CqvDirectory *directory, GCancellable *cancellable, GError **error)
{
  g_autoptr (GAsyncResult) result = NULL;

  cqv_directory_load_async (directory, cancellable, store_result_cb, &result);
  spin_until (NULL, (gpointer *) &result, NULL);
  return cqv_directory_load_finish (directory, result, error);
}

static CqvAuthenticatorState
do_check_user (CqvDirectory *directory, CqvUser *user, GError **error)
{
  g_autoptr (GAsyncResult) result = NULL;

  cqv_directory_check_user_async (directory, user, NULL, store_result_cb, &result);
  g_assert_cmpint (cqv_user_get_authenticator (user), ==, CQV_AUTHENTICATOR_CHECKING);
  spin_until (NULL, (gpointer *) &result, NULL);
  return cqv_directory_check_user_finish (directory, result, error);
}

static gboolean
do_check_visible (CqvDirectory *directory, GPtrArray *users, GError **error)
{
  g_autoptr (GAsyncResult) result = NULL;

  cqv_directory_check_visible_async (directory, users, NULL, store_result_cb, &result);
  spin_until (NULL, (gpointer *) &result, NULL);
  return cqv_directory_check_visible_finish (directory, result, error);
}

static CqvUser *
user_at (CqvDirectory *directory, guint position)
{
  g_autoptr (CqvUser) user = g_list_model_get_item (cqv_directory_get_users (directory), position);

  /* The store keeps it alive. */
  return user;
}

static void
page_loaded_cb (CqvDirectory *directory, guint count, GArray *counts)
{
  g_array_append_val (counts, count);
}

static void
state_notify_cb (CqvDirectory *directory, GParamSpec *pspec, GArray *states)
{
  CqvDirectoryState state = cqv_directory_get_state (directory);

  g_array_append_val (states, state);
}

/* ---- tests --------------------------------------------------------------- */

/* At "registration-applied" no user may still be waiting for its state. */
static void
registration_applied_cb (CqvDirectory *directory, guint *n_emissions)
{
  GListModel *users = cqv_directory_get_users (directory);

  for (guint i = 0; i < g_list_model_get_n_items (users); i++)
    {
      g_autoptr (CqvUser) user = g_list_model_get_item (users, i);

      g_assert_cmpint (cqv_user_get_authenticator (user), !=, CQV_AUTHENTICATOR_CHECKING);
    }
  (*n_emissions)++;
}

static void
test_paging (void)
{
  Fixture *f = fixture_new (2500);
  g_autoptr (GArray) counts = g_array_new (FALSE, FALSE, sizeof (guint));
  g_autoptr (GArray) states = g_array_new (FALSE, FALSE, sizeof (CqvDirectoryState));
  g_autoptr (GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr (GError) error = NULL;
  GListModel *users = cqv_directory_get_users (f->directory);
  guint n_applied = 0;

  f->throttle_at_offset = 999;
  g_signal_connect (f->directory, "registration-applied", G_CALLBACK (registration_applied_cb),
                    &n_applied);
  g_signal_connect (f->directory, "page-loaded", G_CALLBACK (page_loaded_cb), counts);
  g_signal_connect (f->directory, "notify::state", G_CALLBACK (state_notify_cb), states);

  g_assert_true (do_load (f->directory, NULL, &error));
  g_assert_no_error (error);

  g_assert_nonnull (strstr (f->first_users_query,
                            "$select=id,displayName,userPrincipalName,mail,jobTitle,department,"
                            "accountEnabled,userType,onPremisesSyncEnabled"));
  g_assert_nonnull (strstr (f->first_users_query, "$top=999"));
  /* Three pages plus the one retry of the 429 in the middle. */
  g_assert_cmpuint (f->users_requests, ==, 4);

  g_assert_cmpuint (g_list_model_get_n_items (users), ==, 2500);
  g_assert_cmpuint (cqv_directory_get_loaded_count (f->directory), ==, 2500);
  g_assert_cmpuint (cqv_directory_get_skipped_count (f->directory), ==, 0);
  for (guint i = 0; i < 2500; i++)
    {
      CqvUser *user = user_at (f->directory, i);
      g_autofree char *expected = user_id (i);

      g_assert_cmpstr (cqv_user_get_id (user), ==, expected);
      g_assert_true (g_hash_table_add (seen, (gpointer) cqv_user_get_id (user)));
    }

  g_assert_cmpuint (counts->len, ==, 3);
  g_assert_cmpuint (g_array_index (counts, guint, 0), ==, 999);
  g_assert_cmpuint (g_array_index (counts, guint, 1), ==, 1998);
  g_assert_cmpuint (g_array_index (counts, guint, 2), ==, 2500);
  g_assert_cmpuint (states->len, ==, 2);
  g_assert_cmpint (g_array_index (states, CqvDirectoryState, 0), ==, CQV_DIRECTORY_STATE_LOADING);
  g_assert_cmpint (g_array_index (states, CqvDirectoryState, 1), ==, CQV_DIRECTORY_STATE_READY);

  /* Every page was parsed, and not on this (the main) thread. */
  g_assert_cmpuint (cqv_directory_get_pages_parsed (f->directory), ==, 3);
  g_assert_cmpuint (cqv_directory_get_pages_parsed_off_thread (f->directory), ==, 3);

  /* The registration report, two pages of it, with the filter encoded. */
  g_assert_cmpstr (f->report_query, ==, ENCODED_FILTER);
  g_assert_cmpuint (f->report_requests, ==, 2);
  g_assert_cmpint (cqv_directory_get_registration_source (f->directory), ==,
                   CQV_REGISTRATION_SOURCE_REPORT);
  g_assert_null (cqv_directory_get_registration_error (f->directory));
  for (guint i = 0; i < 2500; i++)
    g_assert_cmpint (cqv_user_get_authenticator (user_at (f->directory, i)), ==,
                     is_registered (i) ? CQV_AUTHENTICATOR_REGISTERED
                                       : CQV_AUTHENTICATOR_NOT_REGISTERED);
  /* Once, when all states were in: the sidebar counts users with Authenticator then. */
  g_assert_cmpuint (n_applied, ==, 1);

  fixture_free (f);
}

/* Looked up after the first page: what is in is found, what is still to come is not. */
static void
lookup_while_loading_cb (CqvDirectory *directory, guint count, guint *checked)
{
  if (count != 999)
    return;
  g_assert_nonnull (cqv_directory_find_by_upn (directory, "user7@contoso.test"));
  g_assert_null (cqv_directory_find_by_upn (directory, "user1105@contoso.test"));
  (*checked)++;
}

static void
test_find_and_filter (void)
{
  Fixture *f = fixture_new (1200);
  g_autoptr (GPtrArray) matches = NULL;
  g_autoptr (GError) error = NULL;
  CqvUser *first_page_user;
  CqvUser *user;
  guint checked = 0;

  g_signal_connect (f->directory, "page-loaded", G_CALLBACK (lookup_while_loading_cb), &checked);
  g_assert_true (do_load (f->directory, NULL, &error));
  g_assert_cmpuint (checked, ==, 1);

  user = cqv_directory_find_by_upn (f->directory, "USER1105@contoso.TEST");
  g_assert_nonnull (user);
  g_assert_cmpstr (cqv_user_get_upn (user), ==, "user1105@Contoso.test");
  g_assert_true (cqv_directory_find_by_id (f->directory, cqv_user_get_id (user)) == user);
  g_assert_null (cqv_directory_find_by_upn (f->directory, "nobody@contoso.test"));

  /* Users of the first page, which replaces an earlier list, are found too. */
  first_page_user = cqv_directory_find_by_upn (f->directory, "user7@contoso.test");
  g_assert_nonnull (first_page_user);
  g_assert_true (cqv_directory_find_by_id (f->directory, cqv_user_get_id (first_page_user)) ==
                 first_page_user);

  matches = cqv_directory_filter (f->directory, "user 110");
  /* "User 110", "User 1100" .. "User 1109", "User 1110" */
  g_assert_cmpuint (matches->len, ==, 12);
  g_clear_pointer (&matches, g_ptr_array_unref);
  matches = cqv_directory_filter (f->directory, "USER1105@");
  g_assert_cmpuint (matches->len, ==, 1);
  g_assert_true (g_ptr_array_index (matches, 0) == user);
  g_clear_pointer (&matches, g_ptr_array_unref);
  matches = cqv_directory_filter (f->directory, "");
  g_assert_cmpuint (matches->len, ==, 1200);

  /* Reloaded: the users found are the new ones. */
  g_assert_true (do_load (f->directory, NULL, &error));
  g_assert_cmpuint (checked, ==, 2);
  user = cqv_directory_find_by_upn (f->directory, "user1105@contoso.test");
  g_assert_nonnull (user);
  g_assert_true (user == user_at (f->directory, 1105));

  fixture_free (f);
}

static void
test_classification (void)
{
  Fixture *f = fixture_new (0);
  g_autoptr (GError) error = NULL;
  CqvUser *user;

  f->users_body = g_strdup (
    "{\"value\":["
    "{\"id\":\"a\",\"displayName\":\"Cloud Member\",\"userPrincipalName\":\"a@x.test\","
    "\"mail\":\"a@x.test\",\"jobTitle\":\"Boss\",\"department\":\"IT\","
    "\"accountEnabled\":true,\"userType\":\"Member\",\"onPremisesSyncEnabled\":null},"
    "{\"id\":\"b\",\"displayName\":\"A Guest\",\"userPrincipalName\":\"b_ext#EXT#@x.test\","
    "\"accountEnabled\":true,\"userType\":\"Guest\"},"
    "{\"id\":\"c\",\"displayName\":\"Synced\",\"userPrincipalName\":\"c@x.test\","
    "\"accountEnabled\":true,\"userType\":\"Member\",\"onPremisesSyncEnabled\":true},"
    "{\"id\":\"d\",\"displayName\":\"Was Synced\",\"userPrincipalName\":\"d@x.test\","
    "\"accountEnabled\":true,\"userType\":\"Member\",\"onPremisesSyncEnabled\":false},"
    "{\"id\":\"e\",\"displayName\":\"Disabled\",\"userPrincipalName\":\"e@x.test\","
    "\"accountEnabled\":false,\"userType\":\"Member\",\"onPremisesSyncEnabled\":null},"
    "{\"id\":\"f\",\"displayName\":\"No UPN\",\"accountEnabled\":true},"
    "{\"displayName\":\"No id\",\"userPrincipalName\":\"g@x.test\"},"
    "{\"id\":\"h\",\"displayName\":null,\"userPrincipalName\":\"h@x.test\","
    "\"accountEnabled\":true,\"userType\":null},"
    "42"
    "]}");

  g_assert_true (do_load (f->directory, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (cqv_directory_get_users (f->directory)), ==, 6);
  g_assert_cmpuint (cqv_directory_get_skipped_count (f->directory), ==, 3);

  user = user_at (f->directory, 0);
  g_assert_cmpstr (cqv_user_get_display_name (user), ==, "Cloud Member");
  g_assert_cmpstr (cqv_user_get_mail (user), ==, "a@x.test");
  g_assert_cmpstr (cqv_user_get_job_title (user), ==, "Boss");
  g_assert_cmpstr (cqv_user_get_department (user), ==, "IT");
  g_assert_cmpint (cqv_user_get_user_type (user), ==, CQV_USER_TYPE_MEMBER);
  g_assert_cmpint (cqv_user_get_source (user), ==, CQV_USER_SOURCE_CLOUD);
  g_assert_true (cqv_user_get_enabled (user));

  user = user_at (f->directory, 1);
  g_assert_cmpint (cqv_user_get_user_type (user), ==, CQV_USER_TYPE_GUEST);
  g_assert_cmpint (cqv_user_get_source (user), ==, CQV_USER_SOURCE_CLOUD);

  user = user_at (f->directory, 2);
  g_assert_cmpint (cqv_user_get_source (user), ==, CQV_USER_SOURCE_SYNCED);
  user = user_at (f->directory, 3);
  g_assert_cmpint (cqv_user_get_source (user), ==, CQV_USER_SOURCE_FORMERLY_SYNCED);
  user = user_at (f->directory, 4);
  g_assert_false (cqv_user_get_enabled (user));
  g_assert_cmpint (cqv_user_get_user_type (user), ==, CQV_USER_TYPE_MEMBER);
  user = user_at (f->directory, 5);
  g_assert_cmpstr (cqv_user_get_id (user), ==, "h");
  g_assert_cmpint (cqv_user_get_user_type (user), ==, CQV_USER_TYPE_MEMBER);

  fixture_free (f);
}

static void
test_vectors (void)
{
  Fixture *f = fixture_new (0);
  g_autoptr (GError) error = NULL;
  CqvUser *user;

  /* The registration report sample lists Alex (push), Allan (no methods) and Bianca (push). */
  f->users_body = g_strdup (
    "{\"value\":["
    "{\"id\":\"86462606-fde0-4fc4-9e0c-a20eb73e54c6\",\"userPrincipalName\":\"AlexW@Contoso.com\","
    "\"displayName\":\"Alex Wilber\",\"accountEnabled\":true,\"userType\":\"Member\"},"
    "{\"id\":\"c6ad1942-4afa-47f8-8d48-afb5d8d69d2f\",\"userPrincipalName\":\"AllanD@Contoso.com\","
    "\"displayName\":\"Allan Deyoung\",\"accountEnabled\":true,\"userType\":\"Guest\"},"
    "{\"id\":\"c8096958-797c-44fa-8fde-a6fb62567cf0\",\"userPrincipalName\":\"BiancaP@Contoso.com\","
    "\"displayName\":\"Bianca Pisani\",\"accountEnabled\":true,\"userType\":\"Member\"},"
    "{\"id\":\"00000000-1111-2222-3333-444444444444\",\"userPrincipalName\":\"Other@Contoso.com\","
    "\"displayName\":\"Other\",\"accountEnabled\":true,\"userType\":\"Member\"}"
    "]}");
  f->report_mode = REPORT_VECTOR;
  f->report_body = read_vector ("graph-userRegistrationDetails-list.json");

  g_assert_true (do_load (f->directory, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (cqv_directory_get_registration_source (f->directory), ==,
                   CQV_REGISTRATION_SOURCE_REPORT);
  g_assert_cmpint (cqv_user_get_authenticator (user_at (f->directory, 0)), ==,
                   CQV_AUTHENTICATOR_REGISTERED);
  g_assert_cmpint (cqv_user_get_authenticator (user_at (f->directory, 1)), ==,
                   CQV_AUTHENTICATOR_NOT_REGISTERED);
  g_assert_cmpint (cqv_user_get_authenticator (user_at (f->directory, 2)), ==,
                   CQV_AUTHENTICATOR_REGISTERED);
  g_assert_cmpint (cqv_user_get_authenticator (user_at (f->directory, 3)), ==,
                   CQV_AUTHENTICATOR_NOT_REGISTERED);

  /* The users list sample (no nextLink, other $select) parses too. */
  g_free (f->users_body);
  f->users_body = read_vector ("graph-users-list.json");
  g_assert_true (do_load (f->directory, NULL, &error));
  g_assert_cmpuint (g_list_model_get_n_items (cqv_directory_get_users (f->directory)), ==, 2);
  user = user_at (f->directory, 0);
  g_assert_cmpstr (cqv_user_get_display_name (user), ==, "Adele Vance");
  g_assert_cmpstr (cqv_user_get_upn (user), ==, "AdeleV@contoso.com");
  g_assert_cmpint (cqv_user_get_source (user), ==, CQV_USER_SOURCE_CLOUD);
  g_assert_cmpstr (cqv_user_get_id (user_at (f->directory, 1)), ==,
                   "f0662ee5-84b1-43d6-8338-769cce1bc141");

  fixture_free (f);
}

static void
test_no_premium_fallback (void)
{
  Fixture *f = fixture_new (30);
  g_autoptr (GError) error = NULL;
  const GError *report_error;

  f->report_mode = REPORT_NO_PREMIUM;
  g_assert_true (do_load (f->directory, NULL, &error));
  g_assert_no_error (error);

  g_assert_cmpint (cqv_directory_get_registration_source (f->directory), ==,
                   CQV_REGISTRATION_SOURCE_PER_USER);
  report_error = cqv_directory_get_report_error (f->directory);
  g_assert_error ((GError *) report_error, CQV_GRAPH_ERROR, CQV_GRAPH_ERROR_NO_PREMIUM_LICENSE);
  g_assert_null (cqv_directory_get_registration_error (f->directory));
  /* Nobody is checked one by one at load. */
  g_assert_cmpuint (f->methods_requests, ==, 0);
  g_assert_cmpuint (f->batch_posts, ==, 0);
  for (guint i = 0; i < 30; i++)
    g_assert_cmpint (cqv_user_get_authenticator (user_at (f->directory, i)), ==,
                     CQV_AUTHENTICATOR_UNKNOWN);

  /* On demand, for the user being verified. */
  g_assert_cmpint (do_check_user (f->directory, user_at (f->directory, 3), &error), ==,
                   CQV_AUTHENTICATOR_REGISTERED);
  g_assert_no_error (error);
  g_assert_cmpint (cqv_user_get_authenticator (user_at (f->directory, 3)), ==,
                   CQV_AUTHENTICATOR_REGISTERED);
  g_assert_cmpint (do_check_user (f->directory, user_at (f->directory, 4), &error), ==,
                   CQV_AUTHENTICATOR_NOT_REGISTERED);
  g_assert_no_error (error);
  g_assert_cmpint (cqv_user_get_authenticator (user_at (f->directory, 4)), ==,
                   CQV_AUTHENTICATOR_NOT_REGISTERED);
  g_assert_cmpuint (f->methods_requests, ==, 2);

  fixture_free (f);
}

static void
test_no_audit_permission_fallback (void)
{
  Fixture *f = fixture_new (5);
  g_autoptr (GError) error = NULL;

  f->report_mode = REPORT_NO_AUDIT_PERMISSION;
  g_assert_true (do_load (f->directory, NULL, &error));
  g_assert_cmpint (cqv_directory_get_registration_source (f->directory), ==,
                   CQV_REGISTRATION_SOURCE_PER_USER);
  g_assert_error ((GError *) cqv_directory_get_report_error (f->directory), CQV_GRAPH_ERROR,
                  CQV_GRAPH_ERROR_PERMISSION_MISSING);
  g_assert_cmpint (cqv_user_get_authenticator (user_at (f->directory, 0)), ==,
                   CQV_AUTHENTICATOR_UNKNOWN);

  fixture_free (f);
}

static void
test_report_server_error (void)
{
  Fixture *f = fixture_new (5);
  g_autoptr (GError) error = NULL;

  f->report_mode = REPORT_SERVER_ERROR;
  g_assert_true (do_load (f->directory, NULL, &error));
  g_assert_cmpint (cqv_directory_get_state (f->directory), ==, CQV_DIRECTORY_STATE_READY);
  g_assert_cmpint (cqv_directory_get_registration_source (f->directory), ==,
                   CQV_REGISTRATION_SOURCE_UNKNOWN);
  g_assert_error ((GError *) cqv_directory_get_registration_error (f->directory), CQV_GRAPH_ERROR,
                  CQV_GRAPH_ERROR_SERVER);
  for (guint i = 0; i < 5; i++)
    g_assert_cmpint (cqv_user_get_authenticator (user_at (f->directory, i)), ==,
                     CQV_AUTHENTICATOR_UNKNOWN);

  fixture_free (f);
}

static void
test_per_user_forbidden (void)
{
  Fixture *f = fixture_new (5);
  g_autoptr (GError) error = NULL;
  const GError *registration_error;

  f->report_mode = REPORT_NO_PREMIUM;
  f->methods_forbidden = TRUE;
  g_assert_true (do_load (f->directory, NULL, &error));

  g_assert_cmpint (do_check_user (f->directory, user_at (f->directory, 0), &error), ==,
                   CQV_AUTHENTICATOR_UNKNOWN);
  g_assert_error (error, CQV_GRAPH_ERROR, CQV_GRAPH_ERROR_PERMISSION_MISSING);
  g_assert_cmpint (cqv_user_get_authenticator (user_at (f->directory, 0)), ==,
                   CQV_AUTHENTICATOR_UNKNOWN);
  registration_error = cqv_directory_get_registration_error (f->directory);
  g_assert_error ((GError *) registration_error, CQV_GRAPH_ERROR,
                  CQV_GRAPH_ERROR_PERMISSION_MISSING);
  g_assert_nonnull (
    strstr (registration_error->message, "UserAuthMethod-MicrosoftAuthApp.Read.All"));

  fixture_free (f);
}

static int
compare_uint (gconstpointer a, gconstpointer b)
{
  guint x = *(const guint *) a;
  guint y = *(const guint *) b;

  return x < y ? -1 : x > y;
}

static void
test_check_visible (void)
{
  Fixture *f = fixture_new (45);
  g_autoptr (GPtrArray) visible = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr (GError) error = NULL;

  f->report_mode = REPORT_NO_PREMIUM;
  f->forbidden_index = 7;
  g_assert_true (do_load (f->directory, NULL, &error));

  for (guint i = 0; i < 45; i++)
    g_ptr_array_add (visible, g_object_ref (user_at (f->directory, i)));
  g_assert_true (do_check_visible (f->directory, visible, &error));
  g_assert_no_error (error);

  /* Two batches are in flight at a time, so they may arrive in any order. */
  g_assert_cmpuint (f->batch_posts, ==, 3);
  g_array_sort (f->batch_sizes, compare_uint);
  g_assert_cmpuint (g_array_index (f->batch_sizes, guint, 0), ==, 5);
  g_assert_cmpuint (g_array_index (f->batch_sizes, guint, 1), ==, 20);
  g_assert_cmpuint (g_array_index (f->batch_sizes, guint, 2), ==, 20);
  for (guint i = 0; i < 45; i++)
    {
      CqvAuthenticatorState expected =
        is_registered (i) ? CQV_AUTHENTICATOR_REGISTERED : CQV_AUTHENTICATOR_NOT_REGISTERED;

      if (i == 7)
        expected = CQV_AUTHENTICATOR_UNKNOWN;
      g_assert_cmpint (cqv_user_get_authenticator (user_at (f->directory, i)), ==, expected);
    }
  g_assert_error ((GError *) cqv_directory_get_registration_error (f->directory), CQV_GRAPH_ERROR,
                  CQV_GRAPH_ERROR_PERMISSION_MISSING);

  /* Only the user still UNKNOWN is asked about again. */
  g_assert_true (do_check_visible (f->directory, visible, &error));
  g_assert_cmpuint (f->batch_posts, ==, 4);
  g_assert_cmpuint (g_array_index (f->batch_sizes, guint, 3), ==, 1);

  fixture_free (f);
}

typedef struct
{
  GCancellable *cancellable;
  guint items_changed;
} CancelState;

static void
cancel_on_first_page_cb (CqvDirectory *directory, guint count, CancelState *state)
{
  g_cancellable_cancel (state->cancellable);
}

static void
items_changed_cb (GListModel *model, guint position, guint removed, guint added, CancelState *state)
{
  state->items_changed++;
}

static void
test_cancel (void)
{
  Fixture *f = fixture_new (5000);
  g_autoptr (GCancellable) cancellable = g_cancellable_new ();
  g_autoptr (GListModel) users = NULL;
  g_autoptr (GError) error = NULL;
  CancelState state = { cancellable, 0 };
  gpointer weak;

  users = g_object_ref (cqv_directory_get_users (f->directory));
  g_signal_connect (f->directory, "page-loaded", G_CALLBACK (cancel_on_first_page_cb), &state);
  g_signal_connect (users, "items-changed", G_CALLBACK (items_changed_cb), &state);

  g_assert_false (do_load (f->directory, cancellable, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpint (cqv_directory_get_state (f->directory), ==, CQV_DIRECTORY_STATE_IDLE);
  g_assert_null (cqv_directory_get_error (f->directory));
  g_assert_cmpuint (state.items_changed, ==, 1);
  g_assert_cmpuint (g_list_model_get_n_items (users), ==, 999);

  /* Let everything still in flight come back: the directory goes away only after that. */
  weak = f->directory;
  g_object_add_weak_pointer (G_OBJECT (f->directory), &weak);
  g_clear_object (&f->directory);
  spin_until (NULL, NULL, &weak);
  g_assert_cmpuint (state.items_changed, ==, 1);
  g_assert_cmpuint (g_list_model_get_n_items (users), ==, 999);
  g_signal_handlers_disconnect_by_data (users, &state);

  fixture_free (f);
}

static void
test_reload (void)
{
  Fixture *f = fixture_new (1500);
  g_autoptr (GAsyncResult) first = NULL;
  g_autoptr (GAsyncResult) second = NULL;
  g_autoptr (CqvUser) before = NULL;
  g_autoptr (GError) error = NULL;
  GListModel *users = cqv_directory_get_users (f->directory);

  g_assert_true (do_load (f->directory, NULL, &error));
  before = g_object_ref (user_at (f->directory, 0));
  g_assert_true (do_load (f->directory, NULL, &error));
  g_assert_cmpuint (g_list_model_get_n_items (users), ==, 1500);
  g_assert_true (user_at (f->directory, 0) != before);
  g_assert_cmpstr (cqv_user_get_id (user_at (f->directory, 0)), ==, cqv_user_get_id (before));

  /* A second load while one runs replaces it. */
  cqv_directory_load_async (f->directory, NULL, store_result_cb, &first);
  cqv_directory_load_async (f->directory, NULL, store_result_cb, &second);
  spin_until (NULL, (gpointer *) &first, NULL);
  spin_until (NULL, (gpointer *) &second, NULL);
  g_assert_false (cqv_directory_load_finish (f->directory, first, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&error);
  g_assert_true (cqv_directory_load_finish (f->directory, second, &error));
  g_assert_no_error (error);
  g_assert_cmpint (cqv_directory_get_state (f->directory), ==, CQV_DIRECTORY_STATE_READY);
  g_assert_cmpuint (g_list_model_get_n_items (users), ==, 1500);
  g_assert_cmpuint (cqv_directory_get_loaded_count (f->directory), ==, 1500);

  g_clear_object (&first);
  g_clear_object (&second);
  fixture_free (f);
}

static void
test_load_error (void)
{
  Fixture *f = fixture_new (0);
  g_autoptr (GError) error = NULL;

  f->users_body = g_strdup ("{\"value\": 12}");
  g_assert_false (do_load (f->directory, NULL, &error));
  g_assert_error (error, CQV_GRAPH_ERROR, CQV_GRAPH_ERROR_MALFORMED);
  g_assert_cmpint (cqv_directory_get_state (f->directory), ==, CQV_DIRECTORY_STATE_ERROR);
  g_assert_error ((GError *) cqv_directory_get_error (f->directory), CQV_GRAPH_ERROR,
                  CQV_GRAPH_ERROR_MALFORMED);

  fixture_free (f);
}

/* ---- against the project's simulator -------------------------------------- */

typedef struct
{
  GSubprocess *process;
  char *base_url;
} Simulator;

static void
read_line_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  char **line = user_data;
  g_autoptr (GError) error = NULL;
  char *text;

  text =
    g_data_input_stream_read_line_finish_utf8 (G_DATA_INPUT_STREAM (object), result, NULL, &error);
  *line = text != NULL ? text : g_strdup ("");
}

static gboolean
simulator_start (Simulator *sim, const char *first_arg, ...)
{
  const char *binary = g_getenv ("CQV_SIMULATOR");
  g_autoptr (GPtrArray) argv = g_ptr_array_new ();
  g_autoptr (GDataInputStream) out = NULL;
  g_autoptr (GError) error = NULL;
  char *line = NULL;
  va_list args;

  if (binary == NULL || !g_file_test (binary, G_FILE_TEST_IS_EXECUTABLE))
    return FALSE;

  g_ptr_array_add (argv, (gpointer) binary);
  va_start (args, first_arg);
  for (const char *arg = first_arg; arg != NULL; arg = va_arg (args, const char *))
    g_ptr_array_add (argv, (gpointer) arg);
  va_end (args);
  g_ptr_array_add (argv, (gpointer) "--time-scale");
  g_ptr_array_add (argv, (gpointer) "0.01");
  g_ptr_array_add (argv, (gpointer) "--exit-on-stdin-eof");
  g_ptr_array_add (argv, NULL);

  sim->process =
    g_subprocess_newv ((const char *const *) argv->pdata,
                       G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDIN_PIPE, &error);
  g_assert_no_error (error);

  out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (sim->process));
  g_data_input_stream_read_line_async (out, G_PRIORITY_DEFAULT, NULL, read_line_cb, &line);
  spin_until (NULL, (gpointer *) &line, NULL);
  g_strstrip (line);
  sim->base_url = line;
  if (!g_str_has_prefix (line, "http"))
    {
      g_subprocess_force_exit (sim->process);
      return FALSE;
    }
  if (g_str_has_suffix (line, "/"))
    line[strlen (line) - 1] = '\0';
  return TRUE;
}

static void
simulator_stop (Simulator *sim)
{
  if (sim->process != NULL)
    {
      g_subprocess_send_signal (sim->process, SIGTERM);
      g_subprocess_wait (sim->process, NULL, NULL);
    }
  g_clear_object (&sim->process);
  g_clear_pointer (&sim->base_url, g_free);
}

static void
test_simulator (void)
{
  Simulator sim = { 0 };
  g_autoptr (CqvHttpClient) http = NULL;
  g_autoptr (CqvTokenProvider) tokens = NULL;
  g_autoptr (CqvGraphClient) graph = NULL;
  g_autoptr (CqvDirectory) directory = NULL;
  g_autoptr (GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr (GError) error = NULL;
  GListModel *users;
  gboolean loaded;
  guint n_items;

  if (!simulator_start (&sim, "--generate", "10000", NULL))
    {
      simulator_stop (&sim);
      g_test_skip ("The simulator is not available");
      return;
    }

  http = cqv_http_client_new ();
  tokens = cqv_token_provider_new (http);
  graph = cqv_graph_client_new (http, tokens, sim.base_url, sim.base_url,
                                "https://graph.microsoft.com", SIM_TENANT, SIM_CLIENT);
  cqv_graph_client_set_client_secret (graph, SIM_SECRET);
  directory = cqv_directory_new (graph);

  loaded = do_load (directory, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (loaded);

  users = cqv_directory_get_users (directory);
  n_items = g_list_model_get_n_items (users);
  g_assert_cmpuint (n_items, >=, 10000);
  g_assert_cmpuint (cqv_directory_get_loaded_count (directory), ==, n_items);
  for (guint i = 0; i < n_items; i++)
    {
      CqvUser *user = user_at (directory, i);

      g_assert_true (g_hash_table_add (seen, (gpointer) cqv_user_get_id (user)));
      g_assert_cmpint (cqv_user_get_authenticator (user), !=, CQV_AUTHENTICATOR_CHECKING);
    }
  g_assert_cmpint (cqv_directory_get_registration_source (directory), ==,
                   CQV_REGISTRATION_SOURCE_REPORT);
  g_assert_cmpuint (cqv_directory_get_pages_parsed_off_thread (directory), ==,
                    cqv_directory_get_pages_parsed (directory));

  g_clear_object (&directory);
  simulator_stop (&sim);
}

#define FAULT_TENANT "11111111-1111-4111-8111-111111111111"
#define FAULT_CLIENT "22222222-2222-4222-8222-222222222222"
#define FAULT_SECRET "app-secret-value"

/* No P1, a 429 on the second page of users, and 429s for two items of the first $batch. */
static const char fault_scenario[] =
  "{\"tenants\":[{\"tenant_id\":\"" FAULT_TENANT "\","
  "\"domains\":[\"contoso.onmicrosoft.com\"],"
  "\"apps\":[{\"client_id\":\"" FAULT_CLIENT "\",\"secret\":\"" FAULT_SECRET "\","
  "\"roles\":[\"User.Read.All\",\"UserAuthenticationMethod.Read.All\"],\"consented\":true}],"
  "\"p1\":false,"
  "\"faults\":[{\"path\":\"/v1.0/users\",\"kind\":\"429\",\"retry_after\":\"0\","
  "\"after\":1,\"count\":1},"
  "{\"path\":\"/v1.0/users/\",\"kind\":\"429\",\"retry_after\":\"0\",\"after\":3,"
  "\"count\":2}],"
  "\"generate\":{\"count\":3000,\"seed\":1,\"authenticator_ratio\":0.7}}]}";

static guint
count_simulator_429s (Simulator *sim)
{
  g_autoptr (SoupSession) session = soup_session_new ();
  g_autofree char *url = g_strconcat (sim->base_url, "/_sim/requests", NULL);
  g_autoptr (SoupMessage) msg = soup_message_new ("GET", url);
  g_autoptr (GAsyncResult) result = NULL;
  g_autoptr (GBytes) body = NULL;
  g_autoptr (JsonNode) root = NULL;
  g_autoptr (GError) error = NULL;
  JsonArray *entries;
  guint count = 0;

  soup_session_send_and_read_async (session, msg, G_PRIORITY_DEFAULT, NULL, store_result_cb,
                                    &result);
  spin_until (NULL, (gpointer *) &result, NULL);
  body = soup_session_send_and_read_finish (session, result, &error);
  g_assert_no_error (error);
  root = json_from_string (g_bytes_get_data (body, NULL), &error);
  g_assert_no_error (error);
  entries = json_node_get_array (root);
  for (guint i = 0; i < json_array_get_length (entries); i++)
    if (json_object_get_int_member (json_array_get_object_element (entries, i), "status") == 429)
      count++;
  return count;
}

static void
test_simulator_faults (void)
{
  Simulator sim = { 0 };
  g_autoptr (GError) error = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *scenario = NULL;
  g_autoptr (CqvHttpClient) http = NULL;
  g_autoptr (CqvTokenProvider) tokens = NULL;
  g_autoptr (CqvGraphClient) graph = NULL;
  g_autoptr (CqvDirectory) directory = NULL;
  g_autoptr (GPtrArray) visible = g_ptr_array_new_with_free_func (g_object_unref);
  CqvRetryPolicy policy;
  gboolean ok;

  dir = g_dir_make_tmp ("cqv-directory-XXXXXX", &error);
  g_assert_no_error (error);
  scenario = g_build_filename (dir, "scenario.json", NULL);
  g_file_set_contents (scenario, fault_scenario, -1, &error);
  g_assert_no_error (error);

  if (!simulator_start (&sim, "--scenario", scenario, NULL))
    {
      simulator_stop (&sim);
      g_test_skip ("The simulator is not available");
      return;
    }

  http = cqv_http_client_new ();
  cqv_retry_policy_init_default (&policy);
  policy.base_delay_ms = 5;
  cqv_http_client_set_retry_policy (http, &policy);
  tokens = cqv_token_provider_new (http);
  graph = cqv_graph_client_new (http, tokens, sim.base_url, sim.base_url,
                                "https://graph.microsoft.com", FAULT_TENANT, FAULT_CLIENT);
  cqv_graph_client_set_client_secret (graph, FAULT_SECRET);
  directory = cqv_directory_new (graph);

  ok = do_load (directory, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (ok);
  g_assert_cmpuint (g_list_model_get_n_items (cqv_directory_get_users (directory)), ==, 3000);
  g_assert_cmpint (cqv_directory_get_registration_source (directory), ==,
                   CQV_REGISTRATION_SOURCE_PER_USER);
  g_assert_nonnull (cqv_directory_get_report_error (directory));

  for (guint i = 0; i < 25; i++)
    g_ptr_array_add (visible, g_object_ref (user_at (directory, i)));
  ok = do_check_visible (directory, visible, &error);
  g_assert_no_error (error);
  g_assert_true (ok);
  g_assert_null (cqv_directory_get_registration_error (directory));
  for (guint i = 0; i < 25; i++)
    {
      CqvAuthenticatorState state = cqv_user_get_authenticator (user_at (directory, i));

      g_assert_true (state == CQV_AUTHENTICATOR_REGISTERED ||
                     state == CQV_AUTHENTICATOR_NOT_REGISTERED);
    }

  /* The page and the two batch items were throttled once each, and retried. */
  g_assert_cmpuint (count_simulator_429s (&sim), ==, 3);

  g_clear_object (&directory);
  simulator_stop (&sim);
  g_unlink (scenario);
  g_rmdir (dir);
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/cqv/directory/paging", test_paging);
  g_test_add_func ("/cqv/directory/find-and-filter", test_find_and_filter);
  g_test_add_func ("/cqv/directory/classification", test_classification);
  g_test_add_func ("/cqv/directory/vectors", test_vectors);
  g_test_add_func ("/cqv/directory/no-premium-fallback", test_no_premium_fallback);
  g_test_add_func ("/cqv/directory/no-audit-permission-fallback",
                   test_no_audit_permission_fallback);
  g_test_add_func ("/cqv/directory/report-server-error", test_report_server_error);
  g_test_add_func ("/cqv/directory/per-user-forbidden", test_per_user_forbidden);
  g_test_add_func ("/cqv/directory/check-visible", test_check_visible);
  g_test_add_func ("/cqv/directory/cancel", test_cancel);
  g_test_add_func ("/cqv/directory/reload", test_reload);
  g_test_add_func ("/cqv/directory/load-error", test_load_error);
  g_test_add_func ("/cqv/directory/simulator", test_simulator);
  g_test_add_func ("/cqv/directory/simulator-faults", test_simulator_faults);

  return g_test_run ();
}
