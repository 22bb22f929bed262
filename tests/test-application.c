/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <gtk/gtk.h>
#include <string.h>

#include "cqv-application.h"

static CqvApplication *
create_app (gboolean demo)
{
  static guint counter;
  CqvApplication *app = cqv_application_new ();
  g_autofree char *id = g_strdup_printf ("%s.TestApp%u", APP_ID, ++counter);

  g_application_set_application_id (G_APPLICATION (app), id);
  g_application_set_flags (G_APPLICATION (app), G_APPLICATION_NON_UNIQUE);
  cqv_application_set_demo (app, demo);
  return app;
}

static void
register_app (CqvApplication *app)
{
  g_autoptr (GError) error = NULL;

  g_application_register (G_APPLICATION (app), NULL, &error);
  g_assert_no_error (error);
}

static gboolean
has_tenant_or_error (CqvApplication *app)
{
  return g_list_model_get_n_items (cqv_application_get_tenants (app)) > 0 ||
         cqv_application_get_demo_error (app) != NULL;
}

static gboolean
spin_until (gboolean (*condition) (CqvApplication *), CqvApplication *app)
{
  gint64 deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;

  while (!condition (app))
    {
      if (g_get_monotonic_time () > deadline)
        return FALSE;
      g_main_context_iteration (NULL, FALSE);
    }
  return TRUE;
}

static void
test_application_stores (void)
{
  g_autoptr (CqvApplication) app = create_app (FALSE);
  g_autoptr (CqvApplication) demo = create_app (TRUE);

  g_assert_false (cqv_application_get_demo (app));
  g_assert_false (cqv_secret_store_get_in_memory (cqv_application_get_secret_store (app)));
  g_assert_nonnull (cqv_tenant_store_get_path (cqv_application_get_tenant_store (app)));
  g_assert_true (cqv_application_get_tenants (app) ==
                 cqv_tenant_store_get_tenants (cqv_application_get_tenant_store (app)));

  /* Demo data stays in memory. */
  g_assert_true (cqv_application_get_demo (demo));
  g_assert_true (cqv_secret_store_get_in_memory (cqv_application_get_secret_store (demo)));
  g_assert_true (cqv_application_get_tenants (demo) ==
                 cqv_tenant_store_get_tenants (cqv_application_get_tenant_store (demo)));
  g_assert_null (cqv_application_get_demo_error (demo));
}

static void
test_application_contexts (void)
{
  g_autoptr (CqvApplication) app = create_app (TRUE);
  CqvTenantStore *store = cqv_application_get_tenant_store (app);
  g_autoptr (CqvTenant) contoso =
    cqv_tenant_new ("Contoso", "c0a70500-de70-4000-8000-00000000de70",
                    "de70de70-0000-4000-8000-0000000c1e27", CQV_CLOUD_GLOBAL);
  g_autoptr (CqvTenant) fabrikam =
    cqv_tenant_new ("Fabrikam", "11111111-1111-4111-8111-111111111111",
                    "22222222-2222-4222-8222-222222222222", CQV_CLOUD_GLOBAL);
  g_autoptr (GError) error = NULL;
  CqvTenantContext *first, *other;

  cqv_tenant_store_add (store, contoso, &error);
  g_assert_no_error (error);
  cqv_tenant_store_add (store, fabrikam, &error);
  g_assert_no_error (error);

  /* One context per tenant, sharing the HTTP client, the tokens and the secret store. */
  first = cqv_application_get_context (app, contoso);
  g_assert_true (CQV_IS_TENANT_CONTEXT (first));
  g_assert_true (cqv_application_get_context (app, contoso) == first);
  g_assert_true (cqv_tenant_context_get_tenant (first) == contoso);
  other = cqv_application_get_context (app, fabrikam);
  g_assert_true (other != first);
  g_assert_true (cqv_tenant_context_get_http (other) == cqv_tenant_context_get_http (first));
  g_assert_true (cqv_tenant_context_get_tokens (other) == cqv_tenant_context_get_tokens (first));
  g_assert_true (cqv_tenant_context_get_secret_store (first) ==
                 cqv_application_get_secret_store (app));

  /* A removed tenant's context goes with it; the other one stays. */
  g_object_add_weak_pointer (G_OBJECT (first), (gpointer *) &first);
  cqv_tenant_store_remove (store, "Contoso", &error);
  g_assert_no_error (error);
  g_assert_null (first);
  g_assert_true (cqv_application_get_context (app, fabrikam) == other);

  /* Added again, it gets a fresh one. */
  cqv_tenant_store_add (store, contoso, &error);
  g_assert_no_error (error);
  first = cqv_application_get_context (app, contoso);
  g_assert_true (CQV_IS_TENANT_CONTEXT (first));
}

static void
test_application_demo_tenant (void)
{
  g_autoptr (CqvApplication) app = create_app (TRUE);
  g_autoptr (CqvTenant) tenant = NULL;
  GListModel *tenants = cqv_application_get_tenants (app);
  g_autofree char *config = NULL;

  g_setenv ("CQV_DEMO_TIME_SCALE", "0.05", TRUE);
  register_app (app);
  g_assert_true (spin_until (has_tenant_or_error, app));
  g_assert_null (cqv_application_get_demo_error (app));
  g_assert_cmpuint (g_list_model_get_n_items (tenants), ==, 1);

  tenant = g_list_model_get_item (tenants, 0);
  g_assert_cmpstr (cqv_tenant_get_name (tenant), ==, "Contoso (demo)");
  g_assert_cmpstr (cqv_tenant_get_tenant_id (tenant), ==, "c0a70500-de70-4000-8000-00000000de70");
  g_assert_cmpstr (cqv_tenant_get_client_id (tenant), ==, "de70de70-0000-4000-8000-0000000c1e27");
  g_assert_true (cqv_tenant_get_demo (tenant));
  g_assert_true (g_str_has_prefix (cqv_tenant_get_login_url (tenant), "http://127.0.0.1:"));
  g_assert_cmpstr (cqv_tenant_get_graph_url (tenant), ==, cqv_tenant_get_login_url (tenant));
  g_assert_cmpstr (cqv_tenant_get_mfa_url (tenant), ==, cqv_tenant_get_login_url (tenant));

  /* Nothing was written where the real tenants live. */
  config = g_build_filename (g_get_user_config_dir (), "com.cyberqp.Verify", "tenants.ini", NULL);
  g_assert_false (g_file_test (config, G_FILE_TEST_EXISTS));
}

static gboolean
has_demo_error (CqvApplication *app)
{
  return cqv_application_get_demo_error (app) != NULL;
}

static void
test_application_demo_broken_simulator (void)
{
  g_autoptr (CqvApplication) app = create_app (TRUE);
  g_autofree char *saved = g_strdup (g_getenv ("CQV_SIMULATOR"));

  /* A "simulator" that ends without printing its address. */
  g_setenv ("CQV_SIMULATOR", "/bin/false", TRUE);
  g_test_expect_message ("cqv-application", G_LOG_LEVEL_WARNING, "*could not start*");
  register_app (app);
  g_setenv ("CQV_SIMULATOR", saved, TRUE);

  g_assert_true (spin_until (has_demo_error, app));
  g_test_assert_expected_messages ();
  g_assert_nonnull (strstr (cqv_application_get_demo_error (app), "simulator"));
  g_assert_cmpuint (g_list_model_get_n_items (cqv_application_get_tenants (app)), ==, 0);
}

static void
test_application_new_destroy (void)
{
  CqvApplication *app = create_app (TRUE);

  g_assert_finalize_object (app);
}

int
main (int argc, char *argv[])
{
  gtk_test_init (&argc, &argv, NULL);

  g_test_add_func ("/cqv/application/new-destroy", test_application_new_destroy);
  g_test_add_func ("/cqv/application/stores", test_application_stores);
  g_test_add_func ("/cqv/application/contexts", test_application_contexts);
  g_test_add_func ("/cqv/application/demo-tenant", test_application_demo_tenant);
  g_test_add_func ("/cqv/application/demo-broken-simulator",
                   test_application_demo_broken_simulator);

  return g_test_run ();
}
