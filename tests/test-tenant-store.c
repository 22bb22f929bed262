/* SPDX-License-Identifier: GPL-3.0-or-later */

#define G_LOG_DOMAIN "test-tenant-store"

#include "config.h"

#include <locale.h>
#include <string.h>
#include <glib/gstdio.h>

#include "cqv-tenant-store.h"

#define GUID_A "8c7b6a5d-1234-4cde-9f00-aabbccddeeff"
#define GUID_B "00000000-0000-0000-0000-000000000001"
#define GUID_C "11111111-2222-3333-4444-555555555555"

/* A fresh directory per case, inside the per-run XDG cache dir that run-in-session.sh removes. */
static char *
make_case_dir (void)
{
  static guint counter;
  char *dir = g_strdup_printf ("%s/tenant-store-%u", g_get_user_cache_dir (), ++counter);

  g_assert_no_errno (g_mkdir_with_parents (dir, 0700));
  return dir;
}

static char *
make_case_path (void)
{
  g_autofree char *dir = make_case_dir ();

  return g_build_filename (dir, "sub", "tenants.ini", NULL);
}

static guint
count_entries (const char *dir)
{
  g_autoptr (GDir) d = g_dir_open (dir, 0, NULL);
  guint n = 0;

  if (d == NULL)
    return 0;
  while (g_dir_read_name (d) != NULL)
    n++;
  return n;
}

static CqvTenant *
tenant_at (CqvTenantStore *store, guint position)
{
  g_autoptr (CqvTenant) tenant =
    g_list_model_get_item (cqv_tenant_store_get_tenants (store), position);

  /* The store keeps its reference. */
  return tenant;
}

static guint
n_tenants (CqvTenantStore *store)
{
  return g_list_model_get_n_items (cqv_tenant_store_get_tenants (store));
}

static void
assert_mode (const char *path, guint mode)
{
  GStatBuf st;

  g_assert_no_errno (g_stat (path, &st));
  g_assert_cmpuint (st.st_mode & 0777, ==, mode);
}

static void
test_missing_file (void)
{
  g_autofree char *path = make_case_path ();
  g_autoptr (CqvTenantStore) store = cqv_tenant_store_new (path);
  g_autoptr (GError) error = NULL;

  g_assert_cmpstr (cqv_tenant_store_get_path (store), ==, path);
  g_assert_true (cqv_tenant_store_load_sync (store, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (n_tenants (store), ==, 0);
  g_assert_false (cqv_tenant_store_get_read_only (store));
  g_assert_null (cqv_tenant_store_get_load_error (store));
  /* Loading never writes. */
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
}

static CqvTenant *
make_tenant (const char *name, const char *tenant_id, CqvCloud cloud)
{
  return cqv_tenant_new (name, tenant_id, GUID_B, cloud);
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

#define N_SAMPLES 6

/* Sorted without regard to case ("b[a]…" before "Contoso"), by g_utf8_collate. */
static void
assert_sorted (CqvTenantStore *store)
{
  const char *ascii_order[] = { "  leading and trailing  ", "b[a]=c # d ; e", "Contoso", "zeta" };
  guint last = 0;

  g_assert_cmpuint (n_tenants (store), ==, N_SAMPLES);
  for (guint i = 1; i < n_tenants (store); i++)
    {
      g_autofree char *a = g_utf8_casefold (cqv_tenant_get_name (tenant_at (store, i - 1)), -1);
      g_autofree char *b = g_utf8_casefold (cqv_tenant_get_name (tenant_at (store, i)), -1);

      g_assert_cmpint (g_utf8_collate (a, b), <=, 0);
    }

  for (guint i = 0; i < G_N_ELEMENTS (ascii_order); i++)
    {
      guint position = 0;

      while (!g_str_equal (cqv_tenant_get_name (tenant_at (store, position)), ascii_order[i]))
        position++;
      g_assert_cmpuint (position, >=, last);
      last = position;
    }
}

static void
add_sample_tenants (CqvTenantStore *store)
{
  /* Added out of order; names that would break a naive INI writer. */
  const struct
  {
    const char *name;
    const char *tenant_id;
    CqvCloud cloud;
  } samples[] = {
    { "zeta", GUID_A, CQV_CLOUD_GLOBAL },
    { "Ωmega 日本語", "fabrikam.onmicrosoft.com", CQV_CLOUD_CHINA },
    { "b[a]=c # d ; e", GUID_C, CQV_CLOUD_USGOV },
    { "Contoso", "contoso.onmicrosoft.com", CQV_CLOUD_USGOV_DOD },
    { "émile & Co", GUID_A, CQV_CLOUD_GLOBAL },
    { "  leading and trailing  ", GUID_C, CQV_CLOUD_GLOBAL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (samples); i++)
    {
      g_autoptr (CqvTenant) tenant =
        make_tenant (samples[i].name, samples[i].tenant_id, samples[i].cloud);
      g_autoptr (GError) error = NULL;

      G_STATIC_ASSERT (G_N_ELEMENTS (samples) == N_SAMPLES);
      if (g_str_equal (samples[i].name, "Contoso"))
        {
          cqv_tenant_set_login_url (tenant, "http://127.0.0.1:8080/");
          cqv_tenant_set_graph_url (tenant, "https://graph.example.com");
          cqv_tenant_set_mfa_url (tenant, "http://[::1]:9000/connector");
        }

      g_assert_true (cqv_tenant_store_add (store, tenant, &error));
      g_assert_no_error (error);
    }
}

static void
test_round_trip (void)
{
  g_autofree char *path = make_case_path ();
  g_autofree char *dir = g_path_get_dirname (path);
  g_autoptr (CqvTenantStore) store = cqv_tenant_store_new (path);
  g_autoptr (CqvTenantStore) reloaded = cqv_tenant_store_new (path);
  g_autoptr (GError) error = NULL;
  g_autofree char *contents = NULL;

  g_assert_true (cqv_tenant_store_load_sync (store, &error));
  add_sample_tenants (store);

  assert_sorted (store);

  /* Atomic write: only tenants.ini in the directory, private modes. */
  g_assert_cmpuint (count_entries (dir), ==, 1);
  assert_mode (path, 0600);
  assert_mode (dir, 0700);
  g_assert_true (g_file_get_contents (path, &contents, NULL, NULL));
  g_assert_true (
    g_str_has_prefix (contents, "# CyberQP Verify tenants. This file holds no secrets"));

  g_assert_true (cqv_tenant_store_load_sync (reloaded, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (n_tenants (reloaded), ==, n_tenants (store));
  for (guint i = 0; i < n_tenants (store); i++)
    assert_same_tenant (tenant_at (store, i), tenant_at (reloaded, i));

  /* Overrides really went through the file. */
  {
    CqvTenant *contoso = cqv_tenant_store_find (reloaded, "CONTOSO");

    g_assert_nonnull (contoso);
    g_assert_cmpstr (cqv_tenant_get_login_url (contoso), ==, "http://127.0.0.1:8080/");
    g_assert_cmpstr (cqv_tenant_get_graph_url (contoso), ==, "https://graph.example.com");
    g_assert_cmpstr (cqv_tenant_get_mfa_url (contoso), ==, "http://[::1]:9000/connector");
    g_assert_cmpint (cqv_tenant_get_cloud (contoso), ==, CQV_CLOUD_USGOV_DOD);
    g_assert_null (cqv_tenant_get_login_url (cqv_tenant_store_find (reloaded, "zeta")));
  }
}

static void
test_add_remove_errors (void)
{
  g_autofree char *path = make_case_path ();
  g_autoptr (CqvTenantStore) store = cqv_tenant_store_new (path);
  g_autoptr (CqvTenantStore) reloaded = cqv_tenant_store_new (path);
  g_autoptr (CqvTenant) same = make_tenant ("CONTOSO", GUID_A, CQV_CLOUD_GLOBAL);
  g_autoptr (GError) error = NULL;

  g_assert_true (cqv_tenant_store_load_sync (store, &error));
  add_sample_tenants (store);

  /* Names are unique without regard to case. */
  g_assert_false (cqv_tenant_store_add (store, same, &error));
  g_assert_error (error, CQV_TENANT_STORE_ERROR, CQV_TENANT_STORE_ERROR_EXISTS);
  g_clear_error (&error);

  g_assert_false (cqv_tenant_store_remove (store, "nobody", &error));
  g_assert_error (error, CQV_TENANT_STORE_ERROR, CQV_TENANT_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);

  g_assert_true (cqv_tenant_store_remove (store, "B[a]=C # d ; e", &error));
  g_assert_no_error (error);
  g_assert_null (cqv_tenant_store_find (store, "b[a]=c # d ; e"));

  g_assert_true (cqv_tenant_store_load_sync (reloaded, &error));
  g_assert_cmpuint (n_tenants (reloaded), ==, N_SAMPLES - 1);
  g_assert_null (cqv_tenant_store_find (reloaded, "b[a]=c # d ; e"));
  g_assert_nonnull (cqv_tenant_store_find (reloaded, "Ωmega 日本語"));
}

static void
test_invalid_tenants (void)
{
  const struct
  {
    const char *name;
    const char *tenant_id;
    const char *client_id;
    const char *graph_url;
  } cases[] = {
    { "", GUID_A, GUID_B, NULL },
    { "   ", GUID_A, GUID_B, NULL },
    { "Line\nbreak", GUID_A, GUID_B, NULL },
    { "No tenant", "", GUID_B, NULL },
    { "Bad tenant", "not a tenant", GUID_B, NULL },
    { "Bad tenant 2", "-bad-.example.com", GUID_B, NULL },
    { "Bad client", GUID_A, "contoso.onmicrosoft.com", NULL },
    { "Short client", GUID_A, "1234", NULL },
    { "Plain http", GUID_A, GUID_B, "http://example.com" },
    { "Not a URL", GUID_A, GUID_B, "graph" },
  };
  g_autofree char *path = make_case_path ();
  g_autoptr (CqvTenantStore) store = cqv_tenant_store_new (path);

  g_assert_true (cqv_tenant_store_load_sync (store, NULL));

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr (CqvTenant) tenant =
        cqv_tenant_new (cases[i].name, cases[i].tenant_id, cases[i].client_id, CQV_CLOUD_GLOBAL);
      g_autoptr (GError) error = NULL;

      cqv_tenant_set_graph_url (tenant, cases[i].graph_url);
      g_assert_false (cqv_tenant_store_add (store, tenant, &error));
      g_assert_error (error, CQV_TENANT_STORE_ERROR, CQV_TENANT_STORE_ERROR_INVALID);
    }

  g_assert_cmpuint (n_tenants (store), ==, 0);
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
}

static void
test_save_after_edit (void)
{
  g_autofree char *path = make_case_path ();
  g_autoptr (CqvTenantStore) store = cqv_tenant_store_new (path);
  g_autoptr (CqvTenantStore) reloaded = cqv_tenant_store_new (path);
  g_autoptr (GError) error = NULL;
  CqvTenant *zeta;

  g_assert_true (cqv_tenant_store_load_sync (store, &error));
  add_sample_tenants (store);

  zeta = cqv_tenant_store_find (store, "zeta");
  cqv_tenant_set_name (zeta, "Alpha");
  cqv_tenant_set_cloud (zeta, CQV_CLOUD_USGOV);
  g_assert_true (cqv_tenant_store_save (store, &error));
  g_assert_no_error (error);
  g_assert_true (tenant_at (store, 1) == zeta);

  g_assert_true (cqv_tenant_store_load_sync (reloaded, &error));
  g_assert_cmpstr (cqv_tenant_get_name (tenant_at (reloaded, 1)), ==, "Alpha");
  g_assert_cmpint (cqv_tenant_get_cloud (tenant_at (reloaded, 1)), ==, CQV_CLOUD_USGOV);

  /* An edit that breaks a rule is refused and nothing is written. */
  cqv_tenant_set_name (zeta, "contoso");
  g_assert_false (cqv_tenant_store_save (store, &error));
  g_assert_error (error, CQV_TENANT_STORE_ERROR, CQV_TENANT_STORE_ERROR_EXISTS);
  g_clear_error (&error);
  cqv_tenant_set_name (zeta, "Alpha");
  cqv_tenant_set_mfa_url (zeta, "http://mfa.example.com");
  g_assert_false (cqv_tenant_store_save (store, &error));
  g_assert_error (error, CQV_TENANT_STORE_ERROR, CQV_TENANT_STORE_ERROR_INVALID);
}

static void
load_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  GAsyncResult **out = user_data;

  *out = g_object_ref (result);
}

static gboolean
timeout_cb (gpointer user_data)
{
  gboolean *timed_out = user_data;

  *timed_out = TRUE;
  return G_SOURCE_REMOVE;
}

static gboolean
load_async_and_wait (CqvTenantStore *store, GError **error)
{
  g_autoptr (GAsyncResult) result = NULL;
  gboolean timed_out = FALSE;
  guint timeout_id;

  cqv_tenant_store_load_async (store, NULL, load_cb, &result);
  g_assert_null (result);
  timeout_id = g_timeout_add_seconds (10, timeout_cb, &timed_out);
  while (result == NULL && !timed_out)
    g_main_context_iteration (NULL, TRUE);
  g_assert_false (timed_out);
  g_source_remove (timeout_id);

  return cqv_tenant_store_load_finish (store, result, error);
}

static void
test_load_async (void)
{
  g_autofree char *path = make_case_path ();
  g_autoptr (CqvTenantStore) store = cqv_tenant_store_new (path);
  g_autoptr (CqvTenantStore) reloaded = cqv_tenant_store_new (path);
  g_autoptr (GError) error = NULL;

  g_assert_true (load_async_and_wait (store, &error));
  g_assert_no_error (error);
  add_sample_tenants (store);

  g_assert_true (load_async_and_wait (reloaded, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (n_tenants (reloaded), ==, N_SAMPLES);
  for (guint i = 0; i < n_tenants (store); i++)
    assert_same_tenant (tenant_at (store, i), tenant_at (reloaded, i));
}

#define GOOD_GROUP         \
  "[tenant-1]\n"           \
  "name=Contoso\n"         \
  "tenant-id=" GUID_A "\n" \
  "client-id=" GUID_B "\n"

typedef struct
{
  const char *what;
  const char *contents;
  int code;
  guint line;
} CorruptCase;

static const CorruptCase corrupt_cases[] = {
  { "garbage line", "# tenants\n" GOOD_GROUP "this is not ini\n", CQV_TENANT_STORE_ERROR_PARSE, 6 },
  { "key before group", "# tenants\n\nname=Contoso\n" GOOD_GROUP, CQV_TENANT_STORE_ERROR_PARSE, 3 },
  { "unclosed group", GOOD_GROUP "[tenant-2\n", CQV_TENANT_STORE_ERROR_PARSE, 5 },
  { "duplicate group", GOOD_GROUP "\n" GOOD_GROUP, CQV_TENANT_STORE_ERROR_PARSE, 6 },
  { "duplicate key", GOOD_GROUP "name=Other\n", CQV_TENANT_STORE_ERROR_PARSE, 5 },
  { "invalid UTF-8", GOOD_GROUP "cloud=glob\xff\xfe\n", CQV_TENANT_STORE_ERROR_PARSE, 5 },
  { "unknown cloud", GOOD_GROUP "cloud=mars\n", CQV_TENANT_STORE_ERROR_INVALID, 5 },
  { "plain http override", GOOD_GROUP "cloud=global\nlogin-url=http://example.com\n",
    CQV_TENANT_STORE_ERROR_INVALID, 6 },
  { "missing tenant-id", GOOD_GROUP "\n\n[tenant-2]\nname=Fabrikam\nclient-id=" GUID_B "\n",
    CQV_TENANT_STORE_ERROR_INVALID, 7 },
  { "missing name", "\n[tenant-1]\ntenant-id=" GUID_A "\nclient-id=" GUID_B "\n",
    CQV_TENANT_STORE_ERROR_INVALID, 2 },
  { "bad client id", "[tenant-1]\nname=X\ntenant-id=" GUID_A "\nclient-id=nope\n",
    CQV_TENANT_STORE_ERROR_INVALID, 4 },
  /* Would load as "Con\\qtoso" if the escape error went unnoticed. */
  { "bad escape", "[tenant-1]\nname=Con\\qtoso\ntenant-id=" GUID_A "\nclient-id=" GUID_B "\n",
    CQV_TENANT_STORE_ERROR_INVALID, 2 },
  { "duplicate names",
    GOOD_GROUP "[tenant-2]\ntenant-id=" GUID_C "\nclient-id=" GUID_B "\nname=CONTOSO\n",
    CQV_TENANT_STORE_ERROR_INVALID, 8 },
};

static void
assert_read_only (CqvTenantStore *store, const char *path, const char *contents)
{
  g_autoptr (CqvTenant) tenant = make_tenant ("New", GUID_A, CQV_CLOUD_GLOBAL);
  g_autoptr (GError) error = NULL;
  g_autofree char *after = NULL;
  gsize after_len = 0;

  g_assert_true (cqv_tenant_store_get_read_only (store));
  g_assert_cmpuint (n_tenants (store), ==, 0);

  g_assert_false (cqv_tenant_store_add (store, tenant, &error));
  g_assert_error (error, CQV_TENANT_STORE_ERROR, CQV_TENANT_STORE_ERROR_READ_ONLY);
  g_assert_nonnull (strstr (error->message, path));
  g_clear_error (&error);
  g_assert_false (cqv_tenant_store_remove (store, "Contoso", &error));
  g_assert_error (error, CQV_TENANT_STORE_ERROR, CQV_TENANT_STORE_ERROR_READ_ONLY);
  g_clear_error (&error);
  g_assert_false (cqv_tenant_store_save (store, &error));
  g_assert_error (error, CQV_TENANT_STORE_ERROR, CQV_TENANT_STORE_ERROR_READ_ONLY);

  g_assert_true (g_file_get_contents (path, &after, &after_len, NULL));
  g_assert_cmpmem (after, after_len, contents, strlen (contents));
}

static void
test_corrupt (gconstpointer data)
{
  const CorruptCase *c = data;
  g_autofree char *path = make_case_path ();
  g_autofree char *dir = g_path_get_dirname (path);
  g_autofree char *where = g_strdup_printf ("%s line %u: ", path, c->line);
  g_autoptr (CqvTenantStore) store = cqv_tenant_store_new (path);
  g_autoptr (CqvTenantStore) async_store = cqv_tenant_store_new (path);
  g_autoptr (GError) error = NULL;
  const GError *load_error;

  g_assert_no_errno (g_mkdir_with_parents (dir, 0700));
  g_assert_true (g_file_set_contents (path, c->contents, -1, NULL));

  g_assert_false (cqv_tenant_store_load_sync (store, &error));
  g_assert_error (error, CQV_TENANT_STORE_ERROR, c->code);
  g_test_message ("%s: %s", c->what, error->message);
  g_assert_true (g_str_has_prefix (error->message, where));
  load_error = cqv_tenant_store_get_load_error (store);
  g_assert_error (load_error, CQV_TENANT_STORE_ERROR, c->code);
  g_assert_cmpstr (load_error->message, ==, error->message);
  assert_read_only (store, path, c->contents);
  g_clear_error (&error);

  g_assert_false (load_async_and_wait (async_store, &error));
  g_assert_error (error, CQV_TENANT_STORE_ERROR, c->code);
  g_assert_true (g_str_has_prefix (error->message, where));
  assert_read_only (async_store, path, c->contents);
  g_clear_error (&error);

  /* Once the file is repaired, a reload makes the store writable again. */
  g_assert_true (g_file_set_contents (path, GOOD_GROUP, -1, NULL));
  g_assert_true (cqv_tenant_store_load_sync (store, &error));
  g_assert_no_error (error);
  g_assert_false (cqv_tenant_store_get_read_only (store));
  g_assert_null (cqv_tenant_store_get_load_error (store));
  g_assert_cmpuint (n_tenants (store), ==, 1);
}

static void
test_unreadable (void)
{
  g_autofree char *dir = make_case_dir ();
  g_autoptr (CqvTenantStore) store = cqv_tenant_store_new (dir);
  g_autoptr (CqvTenant) tenant = make_tenant ("New", GUID_A, CQV_CLOUD_GLOBAL);
  g_autoptr (GError) error = NULL;

  /* A directory where the file should be: not readable, so never overwritten. */
  g_assert_false (cqv_tenant_store_load_sync (store, &error));
  g_assert_error (error, CQV_TENANT_STORE_ERROR, CQV_TENANT_STORE_ERROR_IO);
  g_clear_error (&error);
  g_assert_true (cqv_tenant_store_get_read_only (store));
  g_assert_false (cqv_tenant_store_add (store, tenant, &error));
  g_assert_error (error, CQV_TENANT_STORE_ERROR, CQV_TENANT_STORE_ERROR_READ_ONLY);
}

static void
test_in_memory (void)
{
  const char *config_dir = g_get_user_config_dir ();
  g_autoptr (CqvTenantStore) store = cqv_tenant_store_new_in_memory ();
  g_autoptr (GError) error = NULL;

  g_assert_null (cqv_tenant_store_get_path (store));
  g_assert_true (cqv_tenant_store_load_sync (store, &error));
  g_assert_true (load_async_and_wait (store, &error));
  g_assert_no_error (error);
  add_sample_tenants (store);
  g_assert_cmpuint (n_tenants (store), ==, N_SAMPLES);
  g_assert_true (cqv_tenant_store_remove (store, "zeta", &error));
  g_assert_true (cqv_tenant_store_save (store, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (n_tenants (store), ==, N_SAMPLES - 1);

  /* Nothing was written anywhere in the (fresh) config dir. */
  g_assert_cmpuint (count_entries (config_dir), ==, 0);
}

static void
test_default_path (void)
{
  g_autofree char *app_dir = g_build_filename (g_get_user_config_dir (), APP_ID, NULL);
  g_autofree char *expected = g_build_filename (app_dir, "tenants.ini", NULL);
  g_autoptr (CqvTenantStore) store = cqv_tenant_store_new (NULL);
  g_autoptr (CqvTenant) tenant = make_tenant ("Contoso", GUID_A, CQV_CLOUD_GLOBAL);
  g_autoptr (GError) error = NULL;

  g_assert_cmpstr (cqv_tenant_store_get_path (store), ==, expected);
  g_assert_true (cqv_tenant_store_load_sync (store, &error));
  g_assert_true (cqv_tenant_store_add (store, tenant, &error));
  g_assert_no_error (error);
  assert_mode (app_dir, 0700);
  assert_mode (expected, 0600);

  /* Leave the config dir empty for the in-memory case. */
  g_assert_no_errno (g_unlink (expected));
  g_assert_no_errno (g_rmdir (app_dir));
}

int
main (int argc, char *argv[])
{
  setlocale (LC_ALL, "");
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/cqv/tenant-store/missing-file", test_missing_file);
  g_test_add_func ("/cqv/tenant-store/round-trip", test_round_trip);
  g_test_add_func ("/cqv/tenant-store/add-remove-errors", test_add_remove_errors);
  g_test_add_func ("/cqv/tenant-store/invalid-tenants", test_invalid_tenants);
  g_test_add_func ("/cqv/tenant-store/save-after-edit", test_save_after_edit);
  g_test_add_func ("/cqv/tenant-store/load-async", test_load_async);
  for (guint i = 0; i < G_N_ELEMENTS (corrupt_cases); i++)
    {
      g_autofree char *name = g_strdup_printf ("/cqv/tenant-store/corrupt/%u", i);

      g_test_add_data_func (name, &corrupt_cases[i], test_corrupt);
    }
  g_test_add_func ("/cqv/tenant-store/unreadable", test_unreadable);
  g_test_add_func ("/cqv/tenant-store/default-path", test_default_path);
  g_test_add_func ("/cqv/tenant-store/in-memory", test_in_memory);

  return g_test_run ();
}
