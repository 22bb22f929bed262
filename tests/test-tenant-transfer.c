/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <json-glib/json-glib.h>
#include <string.h>

#include "cqv-secret-store.h"
#include "cqv-tenant-store.h"
#include "cqv-tenant-transfer.h"

#define TENANT_A "7a1c0e2b-5d3f-4a6e-9b8c-0d1e2f3a4b5c"
#define CLIENT_A "92ae02b7-9ca9-4b62-9130-a35011636a45"
#define TENANT_B "0b7e3c2a-51d4-4e8f-9a6b-2c3d4e5f6a7b"
#define CLIENT_B "5f0c2d9e-8a7b-4c6d-9e1f-2a3b4c5d6e7f"
#define SECRET "Zq8~topSecretValue.NeverOnDisk_42"

#define HEADER "{\"format\": \"cyberqp-verify-tenants\", \"version\": 1, \"tenants\": "

static CqvTenantStore *
store_with_tenants (void)
{
  CqvTenantStore *store = cqv_tenant_store_new_in_memory ();
  g_autoptr (CqvTenant) a =
    cqv_tenant_new ("Contoso “Ltd” [EU] = ü", TENANT_A, CLIENT_A, CQV_CLOUD_GLOBAL);
  g_autoptr (CqvTenant) b =
    cqv_tenant_new ("Fabrikam Gov", TENANT_B, CLIENT_B, CQV_CLOUD_USGOV_DOD);
  g_autoptr (CqvTenant) demo = cqv_tenant_new ("Demo", TENANT_B, CLIENT_A, CQV_CLOUD_GLOBAL);
  g_autoptr (GError) error = NULL;

  cqv_tenant_set_login_url (b, "https://login.example.test/base");
  cqv_tenant_set_graph_url (b, "https://graph.example.test");
  cqv_tenant_set_mfa_url (b, "http://127.0.0.1:8443");
  cqv_tenant_set_demo (demo, TRUE);

  cqv_tenant_store_add (store, a, &error);
  g_assert_no_error (error);
  cqv_tenant_store_add (store, b, &error);
  g_assert_no_error (error);
  cqv_tenant_store_add (store, demo, &error);
  g_assert_no_error (error);
  return store;
}

static void
assert_same_tenant (CqvTenant *a, CqvTenant *b)
{
  g_assert_cmpstr (cqv_tenant_get_name (a), ==, cqv_tenant_get_name (b));
  g_assert_cmpstr (cqv_tenant_get_tenant_id (a), ==, cqv_tenant_get_tenant_id (b));
  g_assert_cmpstr (cqv_tenant_get_client_id (a), ==, cqv_tenant_get_client_id (b));
  g_assert_cmpint (cqv_tenant_get_cloud (a), ==, cqv_tenant_get_cloud (b));
  g_assert_cmpstr (cqv_tenant_get_login_url (a), ==, cqv_tenant_get_login_url (b));
  g_assert_cmpstr (cqv_tenant_get_graph_url (a), ==, cqv_tenant_get_graph_url (b));
  g_assert_cmpstr (cqv_tenant_get_mfa_url (a), ==, cqv_tenant_get_mfa_url (b));
}

static void
import_text (const char *text,
             GListModel *existing,
             GPtrArray **tenants,
             GPtrArray **problems,
             GError **error)
{
  cqv_tenant_transfer_import (text, strlen (text), existing, tenants, problems, error);
}

static void
test_export_shape (void)
{
  g_autoptr (CqvTenantStore) store = store_with_tenants ();
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_autoptr (GError) error = NULL;
  g_autofree char *json = NULL;
  JsonObject *root;
  JsonArray *tenants;
  JsonObject *first;
  JsonObject *second;
  gsize length = 0;

  json = cqv_tenant_transfer_export (cqv_tenant_store_get_tenants (store), &length);
  g_assert_cmpuint (length, ==, strlen (json));

  json_parser_load_from_data (parser, json, (gssize) length, &error);
  g_assert_no_error (error);
  root = json_node_get_object (json_parser_get_root (parser));
  g_assert_cmpstr (json_object_get_string_member (root, "format"), ==, "cyberqp-verify-tenants");
  g_assert_cmpint (json_object_get_int_member (root, "version"), ==, 1);

  /* The demo tenant stays behind; the rest in the store's order (by name). */
  tenants = json_object_get_array_member (root, "tenants");
  g_assert_cmpuint (json_array_get_length (tenants), ==, 2);
  first = json_array_get_object_element (tenants, 0);
  g_assert_cmpstr (json_object_get_string_member (first, "name"), ==, "Contoso “Ltd” [EU] = ü");
  g_assert_cmpstr (json_object_get_string_member (first, "tenant_id"), ==, TENANT_A);
  g_assert_cmpstr (json_object_get_string_member (first, "client_id"), ==, CLIENT_A);
  g_assert_cmpstr (json_object_get_string_member (first, "cloud"), ==, "global");
  g_assert_false (json_object_has_member (first, "login_url"));
  g_assert_cmpuint (json_object_get_size (first), ==, 4);

  second = json_array_get_object_element (tenants, 1);
  g_assert_cmpstr (json_object_get_string_member (second, "cloud"), ==, "usgov-dod");
  g_assert_cmpstr (json_object_get_string_member (second, "login_url"), ==,
                   "https://login.example.test/base");
  g_assert_cmpstr (json_object_get_string_member (second, "mfa_url"), ==, "http://127.0.0.1:8443");
  g_assert_cmpuint (json_object_get_size (second), ==, 7);
}

static void
store_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  gboolean *done = user_data;
  g_autoptr (GError) error = NULL;

  g_assert_true (cqv_secret_store_store_finish (CQV_SECRET_STORE (object), result, &error));
  g_assert_no_error (error);
  *done = TRUE;
}

static void
test_export_no_secret (void)
{
  g_autoptr (CqvTenantStore) store = store_with_tenants ();
  g_autoptr (CqvSecretStore) secrets = cqv_secret_store_new_in_memory ();
  g_autoptr (CqvSecret) app = cqv_secret_new (SECRET, NULL, NULL);
  g_autoptr (CqvSecret) connector = cqv_secret_new (SECRET "-connector", "key-id-1", NULL);
  g_autofree char *json = NULL;
  gboolean done = FALSE;

  cqv_secret_store_store_async (secrets, TENANT_A, CLIENT_A, CQV_SECRET_KIND_APP, "app", app, NULL,
                                store_cb, &done);
  while (!done)
    g_main_context_iteration (NULL, TRUE);
  done = FALSE;
  cqv_secret_store_store_async (secrets, TENANT_A, "981f26a1-7f43-403b-a875-f8b09b8cd720",
                                CQV_SECRET_KIND_CONNECTOR, "connector", connector, NULL, store_cb,
                                &done);
  while (!done)
    g_main_context_iteration (NULL, TRUE);

  json = cqv_tenant_transfer_export (cqv_tenant_store_get_tenants (store), NULL);
  g_assert_null (strstr (json, SECRET));
  g_assert_null (strstr (json, "Zq8"));
  g_assert_null (strstr (json, "key-id-1"));
  g_assert_null (strstr (json, "secret"));
}

static void
test_round_trip (void)
{
  g_autoptr (CqvTenantStore) source = store_with_tenants ();
  g_autoptr (CqvTenantStore) target = cqv_tenant_store_new_in_memory ();
  g_autoptr (GPtrArray) tenants = NULL;
  g_autoptr (GPtrArray) problems = NULL;
  g_autoptr (GPtrArray) again = NULL;
  g_autoptr (GPtrArray) again_problems = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *json = NULL;
  g_autofree char *json2 = NULL;
  GListModel *list;

  json = cqv_tenant_transfer_export (cqv_tenant_store_get_tenants (source), NULL);
  import_text (json, cqv_tenant_store_get_tenants (target), &tenants, &problems, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (problems->len, ==, 0);
  g_assert_cmpuint (tenants->len, ==, 2);

  for (guint i = 0; i < tenants->len; i++)
    {
      cqv_tenant_store_add (target, g_ptr_array_index (tenants, i), &error);
      g_assert_no_error (error);
    }

  /* Everything but the demo tenant (the second by name) arrives unchanged. */
  list = cqv_tenant_store_get_tenants (target);
  g_assert_cmpuint (g_list_model_get_n_items (list), ==, 2);
  for (guint i = 0; i < 2; i++)
    {
      g_autoptr (CqvTenant) original =
        g_list_model_get_item (cqv_tenant_store_get_tenants (source), i == 0 ? 0 : 2);
      g_autoptr (CqvTenant) copy = g_list_model_get_item (list, i);

      g_assert_false (cqv_tenant_get_demo (original));
      assert_same_tenant (original, copy);
      g_assert_false (cqv_tenant_get_demo (copy));
    }

  /* Exporting the copy gives the same text. */
  json2 = cqv_tenant_transfer_export (list, NULL);
  g_assert_cmpstr (json, ==, json2);

  /* Importing the same file again: everything is a duplicate, by index. */
  import_text (json, list, &again, &again_problems, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (again->len, ==, 0);
  g_assert_cmpuint (again_problems->len, ==, 2);
  for (guint i = 0; i < 2; i++)
    {
      CqvTenantImportProblem *problem = g_ptr_array_index (again_problems, i);

      g_assert_cmpuint (problem->index, ==, i);
      g_assert_cmpint (problem->kind, ==, CQV_TENANT_IMPORT_DUPLICATE);
      g_assert_nonnull (problem->name);
      g_assert_nonnull (strstr (problem->message, problem->name));
    }
}

static void
test_entries (void)
{
  /* clang-format off */
  static const char json[] = HEADER "["
    /* 0 */ "{\"name\": \"Good\", \"tenant_id\": \"" TENANT_A "\", \"client_id\": \"" CLIENT_A "\"},"
    /* 1 */ "{\"name\": \"No client\", \"tenant_id\": \"" TENANT_B "\"},"
    /* 2 */ "{\"name\": \"Bad cloud\", \"tenant_id\": \"" TENANT_B "\", \"client_id\": \"" CLIENT_B "\", \"cloud\": \"mars\"},"
    /* 3 */ "{\"name\": \"GOOD\", \"tenant_id\": \"" TENANT_B "\", \"client_id\": \"" CLIENT_B "\"},"
    /* 4 */ "{\"name\": \"Same app\", \"tenant_id\": \"" TENANT_A "\", \"client_id\": \"92AE02B7-9CA9-4B62-9130-A35011636A45\"},"
    /* 5 */ "{\"name\": \"Insecure\", \"tenant_id\": \"" TENANT_B "\", \"client_id\": \"" CLIENT_B "\", \"login_url\": \"http://login.example.com\"},"
    /* 6 */ "{\"name\": 7, \"tenant_id\": \"" TENANT_B "\", \"client_id\": \"" CLIENT_B "\"},"
    /* 7 */ "[\"not\", \"an\", \"object\"],"
    /* 8 */ "{\"name\": \"Line\\nbreak\", \"tenant_id\": \"" TENANT_B "\", \"client_id\": \"" CLIENT_B "\"},"
    /* 9 */ "{\"name\": \"Domain + secret\", \"tenant_id\": \"fabrikam.onmicrosoft.com\", \"client_id\": \"" CLIENT_B "\","
    "  \"cloud\": \"china\", \"client_secret\": \"" SECRET "\", \"graph_url\": \"\", \"extra\": {\"x\": 1}},"
    /* 10 */ "{\"name\": \"Existing\", \"tenant_id\": \"" TENANT_B "\", \"client_id\": \"" CLIENT_A "\"},"
    /* 11 */ "{\"name\": \"Wrong id\", \"tenant_id\": \"../../etc\", \"client_id\": \"" CLIENT_A "\"},"
    /* 12 */ "{\"name\": \"Null url\", \"tenant_id\": \"" TENANT_B "\", \"client_id\": \"" CLIENT_A "\", \"mfa_url\": null}"
    "]}";
  /* clang-format on */
  static const struct
  {
    guint index;
    CqvTenantImportProblemKind kind;
    const char *name;
    const char *message_part;
  } expected[] = {
    { 1, CQV_TENANT_IMPORT_INVALID, "No client", "client ID" },
    { 2, CQV_TENANT_IMPORT_INVALID, "Bad cloud", "mars" },
    { 3, CQV_TENANT_IMPORT_DUPLICATE, "GOOD", "Good" },
    { 4, CQV_TENANT_IMPORT_DUPLICATE, "Same app", "Good" },
    { 5, CQV_TENANT_IMPORT_INVALID, "Insecure", "login-url" },
    { 6, CQV_TENANT_IMPORT_INVALID, NULL, "name" },
    { 7, CQV_TENANT_IMPORT_INVALID, NULL, "object" },
    { 8, CQV_TENANT_IMPORT_INVALID, "Line\nbreak", "line breaks" },
    { 10, CQV_TENANT_IMPORT_DUPLICATE, "Existing", "existing" },
    { 11, CQV_TENANT_IMPORT_INVALID, "Wrong id", "tenant ID" },
  };
  g_autoptr (CqvTenantStore) existing = cqv_tenant_store_new_in_memory ();
  g_autoptr (CqvTenant) present = cqv_tenant_new ("existing", TENANT_A, CLIENT_B, CQV_CLOUD_GLOBAL);
  g_autoptr (CqvTenantStore) scratch = cqv_tenant_store_new_in_memory ();
  g_autoptr (GPtrArray) tenants = NULL;
  g_autoptr (GPtrArray) problems = NULL;
  g_autoptr (GError) error = NULL;
  CqvTenant *domain;

  cqv_tenant_store_add (existing, present, &error);
  g_assert_no_error (error);

  import_text (json, cqv_tenant_store_get_tenants (existing), &tenants, &problems, &error);
  g_assert_no_error (error);

  g_assert_cmpuint (problems->len, ==, G_N_ELEMENTS (expected));
  for (guint i = 0; i < problems->len; i++)
    {
      CqvTenantImportProblem *problem = g_ptr_array_index (problems, i);

      g_test_message ("problem %u: %s", problem->index, problem->message);
      g_assert_cmpuint (problem->index, ==, expected[i].index);
      g_assert_cmpint (problem->kind, ==, expected[i].kind);
      g_assert_cmpstr (problem->name, ==, expected[i].name);
      g_assert_nonnull (strstr (problem->message, expected[i].message_part));
    }

  g_assert_cmpuint (tenants->len, ==, 3);
  g_assert_cmpstr (cqv_tenant_get_name (g_ptr_array_index (tenants, 0)), ==, "Good");
  domain = g_ptr_array_index (tenants, 1);
  g_assert_cmpstr (cqv_tenant_get_name (domain), ==, "Domain + secret");
  g_assert_cmpstr (cqv_tenant_get_tenant_id (domain), ==, "fabrikam.onmicrosoft.com");
  g_assert_cmpint (cqv_tenant_get_cloud (domain), ==, CQV_CLOUD_CHINA);
  g_assert_null (cqv_tenant_get_graph_url (domain));
  g_assert_null (cqv_tenant_get_mfa_url (g_ptr_array_index (tenants, 2)));

  /* Whatever import accepts, the store accepts. */
  for (guint i = 0; i < tenants->len; i++)
    {
      cqv_tenant_store_add (scratch, g_ptr_array_index (tenants, i), &error);
      g_assert_no_error (error);
    }
}

static void
test_hostile_files (void)
{
  static const struct
  {
    const char *text;
    int code;
  } cases[] = {
    { "", CQV_TENANT_TRANSFER_ERROR_PARSE },
    { "not json", CQV_TENANT_TRANSFER_ERROR_PARSE },
    { "{\"format\": ", CQV_TENANT_TRANSFER_ERROR_PARSE },
    { "[]", CQV_TENANT_TRANSFER_ERROR_FORMAT },
    { "null", CQV_TENANT_TRANSFER_ERROR_FORMAT },
    { "\"cyberqp-verify-tenants\"", CQV_TENANT_TRANSFER_ERROR_FORMAT },
    { "{\"tenants\": []}", CQV_TENANT_TRANSFER_ERROR_FORMAT },
    { "{\"format\": \"something-else\", \"version\": 1, \"tenants\": []}",
      CQV_TENANT_TRANSFER_ERROR_FORMAT },
    { "{\"format\": 5, \"version\": 1, \"tenants\": []}", CQV_TENANT_TRANSFER_ERROR_FORMAT },
    { "{\"format\": {\"a\": 1}, \"version\": 1, \"tenants\": []}",
      CQV_TENANT_TRANSFER_ERROR_FORMAT },
    { "{\"format\": \"cyberqp-verify-tenants\", \"tenants\": []}",
      CQV_TENANT_TRANSFER_ERROR_FORMAT },
    { "{\"format\": \"cyberqp-verify-tenants\", \"version\": \"1\", \"tenants\": []}",
      CQV_TENANT_TRANSFER_ERROR_FORMAT },
    { "{\"format\": \"cyberqp-verify-tenants\", \"version\": 0, \"tenants\": []}",
      CQV_TENANT_TRANSFER_ERROR_FORMAT },
    { "{\"format\": \"cyberqp-verify-tenants\", \"version\": 1.5, \"tenants\": []}",
      CQV_TENANT_TRANSFER_ERROR_FORMAT },
    { "{\"format\": \"cyberqp-verify-tenants\", \"version\": 1, \"tenants\": {}}",
      CQV_TENANT_TRANSFER_ERROR_FORMAT },
    { "{\"format\": \"cyberqp-verify-tenants\", \"version\": 1}",
      CQV_TENANT_TRANSFER_ERROR_FORMAT },
    { "{\"format\": \"cyberqp-verify-tenants\", \"version\": 2, \"tenants\": []}",
      CQV_TENANT_TRANSFER_ERROR_VERSION },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr (GPtrArray) tenants = NULL;
      g_autoptr (GPtrArray) problems = NULL;
      g_autoptr (GError) error = NULL;

      g_test_message ("case %u: %s", i, cases[i].text);
      g_assert_false (cqv_tenant_transfer_import (cases[i].text, strlen (cases[i].text), NULL,
                                                  &tenants, &problems, &error));
      g_assert_error (error, CQV_TENANT_TRANSFER_ERROR, cases[i].code);
      g_assert_null (tenants);
      g_assert_null (problems);
    }
}

static void
expect_parse_error (const char *data, gsize length)
{
  g_autoptr (GPtrArray) tenants = NULL;
  g_autoptr (GPtrArray) problems = NULL;
  g_autoptr (GError) error = NULL;

  g_assert_false (cqv_tenant_transfer_import (data, length, NULL, &tenants, &problems, &error));
  g_assert_error (error, CQV_TENANT_TRANSFER_ERROR, CQV_TENANT_TRANSFER_ERROR_PARSE);
}

static void
test_hostile_bytes (void)
{
  static const char nul[] = HEADER "[{\"name\": \"A\0B\"}]}";
  static const char latin1[] = HEADER "[{\"name\": \"M\xfcller\"}]}";
  g_autoptr (GString) deep = g_string_new (HEADER);
  g_autoptr (GString) huge = g_string_new (HEADER "[");
  g_autoptr (GString) many = g_string_new (HEADER "[");
  g_autoptr (GPtrArray) tenants = NULL;
  g_autoptr (GPtrArray) problems = NULL;
  g_autoptr (GError) error = NULL;

  expect_parse_error (nul, sizeof nul - 1);
  expect_parse_error (latin1, sizeof latin1 - 1);

  /* A million brackets never reach the recursive parser. */
  for (guint i = 0; i < 1000000; i++)
    g_string_append_c (deep, '[');
  expect_parse_error (deep->str, deep->len);

  /* Brackets inside strings do not count towards the depth. */
  g_string_truncate (deep, strlen (HEADER));
  g_string_append (deep,
                   "[{\"name\": \"[[[[[[[[[[[[[[[[[[[[[[[[\\\"[[[[\", \"tenant_id\": \"" TENANT_A
                   "\", \"client_id\": \"" CLIENT_A "\"}]}");
  cqv_tenant_transfer_import (deep->str, deep->len, NULL, &tenants, &problems, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (tenants->len, ==, 1);
  g_clear_pointer (&tenants, g_ptr_array_unref);
  g_clear_pointer (&problems, g_ptr_array_unref);

  /* Over the size limit: refused unread. */
  while (huge->len <= CQV_TENANT_TRANSFER_MAX_SIZE)
    g_string_append (huge, "{},");
  g_string_append (huge, "{}]}");
  expect_parse_error (huge->str, huge->len);

  /* Many entries under the limit: each is a problem, nothing is lost or crashes. */
  for (guint i = 0; i < 2000; i++)
    g_string_append_printf (many, "%s{\"name\": \"T%u\"}", i > 0 ? "," : "", i);
  g_string_append (many, "]}");
  cqv_tenant_transfer_import (many->str, many->len, NULL, &tenants, &problems, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (tenants->len, ==, 0);
  g_assert_cmpuint (problems->len, ==, 2000);
  g_assert_cmpuint (((CqvTenantImportProblem *) g_ptr_array_index (problems, 1999))->index, ==,
                    1999);
}

static void
test_empty_list (void)
{
  g_autoptr (CqvTenantStore) store = cqv_tenant_store_new_in_memory ();
  g_autoptr (GPtrArray) tenants = NULL;
  g_autoptr (GPtrArray) problems = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *json = cqv_tenant_transfer_export (cqv_tenant_store_get_tenants (store), NULL);

  g_assert_true (
    cqv_tenant_transfer_import (json, strlen (json), NULL, &tenants, &problems, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (tenants->len, ==, 0);
  g_assert_cmpuint (problems->len, ==, 0);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/cqv/tenant-transfer/export/shape", test_export_shape);
  g_test_add_func ("/cqv/tenant-transfer/export/no-secret", test_export_no_secret);
  g_test_add_func ("/cqv/tenant-transfer/round-trip", test_round_trip);
  g_test_add_func ("/cqv/tenant-transfer/import/entries", test_entries);
  g_test_add_func ("/cqv/tenant-transfer/import/hostile-files", test_hostile_files);
  g_test_add_func ("/cqv/tenant-transfer/import/hostile-bytes", test_hostile_bytes);
  g_test_add_func ("/cqv/tenant-transfer/empty-list", test_empty_list);

  return g_test_run ();
}
