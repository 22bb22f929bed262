/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "cqv-consent.h"
#include "cqv-tenant-check.h"

#define TENANT "7a1c0e2b-5d3f-4a6e-9b8c-0d1e2f3a4b5c"
#define CLIENT "92ae02b7-9ca9-4b62-9130-a35011636a45"

static void
test_url_clouds (void)
{
  static const struct
  {
    CqvCloud cloud;
    const char *url;
  } cases[] = {
    { CQV_CLOUD_GLOBAL,
      "https://login.microsoftonline.com/" TENANT "/adminconsent?client_id=" CLIENT },
    { CQV_CLOUD_USGOV,
      "https://login.microsoftonline.us/" TENANT "/adminconsent?client_id=" CLIENT },
    { CQV_CLOUD_USGOV_DOD,
      "https://login.microsoftonline.us/" TENANT "/adminconsent?client_id=" CLIENT },
    { CQV_CLOUD_CHINA, "https://login.chinacloudapi.cn/" TENANT "/adminconsent?client_id=" CLIENT },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *url = cqv_consent_build_url (cases[i].cloud, NULL, TENANT, CLIENT);

      g_assert_cmpstr (url, ==, cases[i].url);
    }
}

static void
test_url_override_and_domain (void)
{
  g_autofree char *url = NULL;

  url = cqv_consent_build_url (CQV_CLOUD_GLOBAL, "http://127.0.0.1:8080/",
                               "contoso.onmicrosoft.com", CLIENT);
  g_assert_cmpstr (url, ==,
                   "http://127.0.0.1:8080/contoso.onmicrosoft.com/adminconsent?client_id=" CLIENT);
  g_clear_pointer (&url, g_free);

  /* An empty override is no override. */
  url = cqv_consent_build_url (CQV_CLOUD_CHINA, "", TENANT, CLIENT);
  g_assert_true (g_str_has_prefix (url, "https://login.chinacloudapi.cn/" TENANT "/"));
}

static void
test_url_escaping (void)
{
  g_autofree char *url =
    cqv_consent_build_url (CQV_CLOUD_GLOBAL, NULL, "a/b?c#d e", "x&client_id=evil%");
  g_autoptr (GUri) uri = NULL;
  g_autoptr (GHashTable) params = NULL;
  g_autoptr (GError) error = NULL;

  g_assert_cmpstr (url, ==,
                   "https://login.microsoftonline.com/a%2Fb%3Fc%23d%20e/adminconsent"
                   "?client_id=x%26client_id%3Devil%25");

  /* What a browser reads back: one client_id, exactly as given. */
  uri = g_uri_parse (url, G_URI_FLAGS_ENCODED, &error);
  g_assert_no_error (error);
  g_assert_null (g_uri_get_fragment (uri));
  params = g_uri_parse_params (g_uri_get_query (uri), -1, "&", G_URI_PARAMS_NONE, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_hash_table_size (params), ==, 1);
  g_assert_cmpstr (g_hash_table_lookup (params, "client_id"), ==, "x&client_id=evil%");
}

static void
test_url_for_tenant (void)
{
  g_autoptr (CqvTenant) tenant = cqv_tenant_new ("Contoso", TENANT, CLIENT, CQV_CLOUD_USGOV);
  g_autofree char *url = cqv_consent_build_url_for_tenant (tenant);
  g_autofree char *overridden = NULL;

  g_assert_cmpstr (url, ==,
                   "https://login.microsoftonline.us/" TENANT "/adminconsent?client_id=" CLIENT);

  cqv_tenant_set_login_url (tenant, "https://login.example.test");
  overridden = cqv_consent_build_url_for_tenant (tenant);
  g_assert_cmpstr (overridden, ==,
                   "https://login.example.test/" TENANT "/adminconsent?client_id=" CLIENT);
}

static void
test_permissions (void)
{
  guint n = 0;
  const CqvConsentPermission *permissions = cqv_consent_get_permissions (&n);

  g_assert_cmpuint (n, ==, 4);
  g_assert_cmpstr (permissions[0].name, ==, "User.Read.All");
  g_assert_null (permissions[0].alternative);
  g_assert_cmpstr (permissions[1].name, ==, "UserAuthMethod-MicrosoftAuthApp.Read.All");
  g_assert_cmpstr (permissions[1].alternative, ==, "UserAuthenticationMethod.Read.All");
  g_assert_cmpstr (permissions[2].name, ==, "Application.ReadWrite.All");
  g_assert_cmpstr (permissions[3].name, ==, "AuditLog.Read.All");

  for (guint i = 0; i < n; i++)
    {
      const char *reason = cqv_consent_permission_get_reason (&permissions[i]);

      g_assert_nonnull (reason);
      g_assert_cmpuint (strlen (reason), >, 20);
      /* Only the registration report is optional. */
      g_assert_cmpint (permissions[i].optional, ==, i == 3);
    }
  /* Each is a line of the setup checklist, with a title of its own. */
  g_assert_cmpstr (permissions[0].check_id, ==, CQV_CHECK_PERMISSION_USERS);
  g_assert_cmpstr (permissions[1].check_id, ==, CQV_CHECK_PERMISSION_AUTHENTICATOR);
  g_assert_cmpstr (permissions[2].check_id, ==, CQV_CHECK_PERMISSION_APPLICATIONS);
  g_assert_cmpstr (permissions[3].check_id, ==, CQV_CHECK_PERMISSION_AUDIT_LOG);
  for (guint i = 0; i < n; i++)
    {
      g_assert_true (cqv_consent_find_permission (permissions[i].check_id) == &permissions[i]);
      g_assert_cmpstr (cqv_consent_permission_get_title (&permissions[i]), !=, "");
    }
  g_assert_null (cqv_consent_find_permission (CQV_CHECK_CREDENTIALS));
  g_assert_null (permissions[2].also_granted);

  /* The reason says why OwnedBy does not do. */
  g_assert_nonnull (strstr (cqv_consent_permission_get_reason (&permissions[2]), "OwnedBy"));
  g_assert_nonnull (strstr (cqv_consent_permission_get_reason (&permissions[3]), "P1"));
}

static void
test_granted (void)
{
  static const char *const full[] = { "User.Read.All", "UserAuthenticationMethod.Read.All",
                                      "Application.ReadWrite.All", NULL };
  static const char *const narrow[] = { "UserAuthMethod-MicrosoftAuthApp.Read.All",
                                        "Application.ReadWrite.OwnedBy", NULL };
  static const char *const broad[] = { "directory.read.all",
                                       "UserAuthenticationMethod.ReadWrite.All",
                                       "Directory.ReadWrite.All", NULL };
  guint n = 0;
  const CqvConsentPermission *permissions = cqv_consent_get_permissions (&n);

  g_assert_true (cqv_consent_permission_is_granted (&permissions[0], full));
  g_assert_true (cqv_consent_permission_is_granted (&permissions[1], full));
  g_assert_true (cqv_consent_permission_is_granted (&permissions[2], full));
  g_assert_false (cqv_consent_permission_is_granted (&permissions[3], full));

  g_assert_false (cqv_consent_permission_is_granted (&permissions[0], narrow));
  g_assert_true (cqv_consent_permission_is_granted (&permissions[1], narrow));
  g_assert_false (cqv_consent_permission_is_granted (&permissions[2], narrow));
  g_assert_false (cqv_consent_permission_is_granted (&permissions[2], NULL));

  /* Broader permissions do too, and the role is named as the token spells it. */
  g_assert_cmpstr (cqv_consent_permission_find_granted (&permissions[0], broad), ==,
                   "directory.read.all");
  g_assert_cmpstr (cqv_consent_permission_find_granted (&permissions[1], broad), ==,
                   "UserAuthenticationMethod.ReadWrite.All");
  g_assert_null (cqv_consent_permission_find_granted (&permissions[2], broad));
  g_assert_cmpstr (cqv_consent_permission_find_granted (&permissions[1], narrow), ==,
                   "UserAuthMethod-MicrosoftAuthApp.Read.All");
  g_assert_null (cqv_consent_permission_find_granted (&permissions[0], NULL));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/cqv/consent/url/clouds", test_url_clouds);
  g_test_add_func ("/cqv/consent/url/override-and-domain", test_url_override_and_domain);
  g_test_add_func ("/cqv/consent/url/escaping", test_url_escaping);
  g_test_add_func ("/cqv/consent/url/for-tenant", test_url_for_tenant);
  g_test_add_func ("/cqv/consent/permissions", test_permissions);
  g_test_add_func ("/cqv/consent/granted", test_granted);

  return g_test_run ();
}
