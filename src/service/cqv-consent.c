/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cqv-consent"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "cqv-consent.h"
#include "cqv-tenant-check.h"

/* What a Global Administrator of the customer's tenant grants once through the admin-consent
 * link: the application permissions of protocol §4, each with the reason we give for it. The
 * setup checklist (CqvTenantCheck) has one line per entry, in this order. */

static const char *const users_also[] = { "User.ReadWrite.All", "Directory.Read.All",
                                          "Directory.ReadWrite.All", NULL };
static const char *const authenticator_also[] = { "UserAuthMethod-MicrosoftAuthApp.ReadWrite.All",
                                                  "UserAuthenticationMethod.ReadWrite.All", NULL };

/* clang-format off */
static const CqvConsentPermission permissions[] = {
  {
    .name = "User.Read.All",
    .reason = N_ ("Lists the tenant’s users so that you can find the caller, and shows whether an "
                  "account is enabled and a member."),
    .check_id = CQV_CHECK_PERMISSION_USERS,
    .title = N_ ("Permission to read users"),
    .also_granted = users_also,
  },
  {
    .name = "UserAuthMethod-MicrosoftAuthApp.Read.All",
    .alternative = "UserAuthenticationMethod.Read.All",
    .reason = N_ ("Checks that the user has registered Microsoft Authenticator before a push is "
                  "sent."),
    .check_id = CQV_CHECK_PERMISSION_AUTHENTICATOR,
    .title = N_ ("Permission to read Microsoft Authenticator registration"),
    .also_granted = authenticator_also,
  },
  {
    .name = "Application.ReadWrite.All",
    .reason = N_ ("Finds and enables Microsoft’s “Azure Multi-Factor Auth Client” in the tenant "
                  "and adds the secret that sends the push. That app is not owned by yours, so "
                  "Application.ReadWrite.OwnedBy is not enough."),
    .check_id = CQV_CHECK_PERMISSION_APPLICATIONS,
    .title = N_ ("Permission to set up the MFA connector"),
  },
  {
    .name = "AuditLog.Read.All",
    .reason = N_ ("Optional: reads the tenant-wide registration report, so Authenticator shows "
                  "for every user at once (needs Entra ID P1 or P2). Without it, users are "
                  "checked one at a time."),
    .optional = TRUE,
    .check_id = CQV_CHECK_PERMISSION_AUDIT_LOG,
    .title = N_ ("Permission to read the registration report (optional)"),
  },
};
/* clang-format on */

static char *
escape (const char *text)
{
  return g_uri_escape_string (text, NULL, FALSE);
}

/**
 * cqv_consent_get_permissions:
 * @n_permissions: (out): the number of permissions
 *
 * Returns: (array length=n_permissions) (transfer none): the permissions
 */
const CqvConsentPermission *
cqv_consent_get_permissions (guint *n_permissions)
{
  g_return_val_if_fail (n_permissions != NULL, NULL);

  *n_permissions = G_N_ELEMENTS (permissions);
  return permissions;
}

const char *
cqv_consent_permission_get_reason (const CqvConsentPermission *permission)
{
  g_return_val_if_fail (permission != NULL, NULL);

  return _(permission->reason);
}

const char *
cqv_consent_permission_get_title (const CqvConsentPermission *permission)
{
  g_return_val_if_fail (permission != NULL, NULL);

  return _(permission->title);
}

static gboolean
grants (const CqvConsentPermission *permission, const char *role)
{
  /* Role values are case-sensitive in tokens, but nothing is gained by being strict here. */
  if (g_ascii_strcasecmp (role, permission->name) == 0 ||
      (permission->alternative != NULL && g_ascii_strcasecmp (role, permission->alternative) == 0))
    return TRUE;

  for (guint i = 0; permission->also_granted != NULL && permission->also_granted[i] != NULL; i++)
    {
      if (g_ascii_strcasecmp (role, permission->also_granted[i]) == 0)
        return TRUE;
    }
  return FALSE;
}

const char *
cqv_consent_permission_find_granted (const CqvConsentPermission *permission,
                                     const char *const *roles)
{
  g_return_val_if_fail (permission != NULL, NULL);

  for (guint i = 0; roles != NULL && roles[i] != NULL; i++)
    {
      if (grants (permission, roles[i]))
        return roles[i];
    }
  return NULL;
}

gboolean
cqv_consent_permission_is_granted (const CqvConsentPermission *permission, const char *const *roles)
{
  g_return_val_if_fail (permission != NULL, FALSE);

  return cqv_consent_permission_find_granted (permission, roles) != NULL;
}

const CqvConsentPermission *
cqv_consent_find_permission (const char *check_id)
{
  g_return_val_if_fail (check_id != NULL, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (permissions); i++)
    {
      if (g_str_equal (permissions[i].check_id, check_id))
        return &permissions[i];
    }
  return NULL;
}

/**
 * cqv_consent_build_url:
 * @cloud: the tenant's cloud
 * @login_url: (nullable): a login URL override
 * @tenant: the tenant GUID or one of its domains
 * @client_id: the app registration's client ID
 *
 * Returns: (transfer full): the admin-consent URL
 */
char *
cqv_consent_build_url (CqvCloud cloud,
                       const char *login_url,
                       const char *tenant,
                       const char *client_id)
{
  g_autofree char *base = NULL;
  g_autofree char *tenant_escaped = NULL;
  g_autofree char *client_escaped = NULL;
  gsize len;

  g_return_val_if_fail (tenant != NULL, NULL);
  g_return_val_if_fail (client_id != NULL, NULL);

  base = g_strdup (login_url != NULL && *login_url != '\0' ? login_url
                                                           : cqv_cloud_get_login_url (cloud));
  len = strlen (base);
  while (len > 0 && base[len - 1] == '/')
    base[--len] = '\0';

  tenant_escaped = escape (tenant);
  client_escaped = escape (client_id);

  return g_strdup_printf ("%s/%s/adminconsent?client_id=%s", base, tenant_escaped, client_escaped);
}

/**
 * cqv_consent_build_url_for_tenant:
 * @tenant: a tenant
 *
 * Returns: (transfer full): the admin-consent URL for @tenant's app registration
 */
char *
cqv_consent_build_url_for_tenant (CqvTenant *tenant)
{
  g_return_val_if_fail (CQV_IS_TENANT (tenant), NULL);

  return cqv_consent_build_url (cqv_tenant_get_cloud (tenant), cqv_tenant_get_login_url (tenant),
                                cqv_tenant_get_tenant_id (tenant),
                                cqv_tenant_get_client_id (tenant));
}
