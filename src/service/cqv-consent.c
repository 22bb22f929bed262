/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cqv-consent"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "cqv-consent.h"

/* What a Global Administrator of the customer's tenant grants once through the admin-consent
 * link: the application permissions of protocol §4, each with the reason we give for it. */

static const CqvConsentPermission permissions[] = {
  {
    "User.Read.All",
    NULL,
    N_ ("Lists the tenant’s users so that you can find the caller, and shows whether an account is enabled and a member."),
      FALSE,
    },
    {
      "UserAuthMethod-MicrosoftAuthApp.Read.All",
      "UserAuthenticationMethod.Read.All",
      N_ ("Checks that the user has registered Microsoft Authenticator before a push is sent."),
          FALSE,
      },
      {
        "Application.ReadWrite.All",
        NULL,
        N_ ("Finds and enables Microsoft’s “Azure Multi-Factor Auth Client” in the tenant and adds the secret that sends the push. That app is not owned by yours, so Application.ReadWrite.OwnedBy is not enough."),
          FALSE,
        },
        {
          "AuditLog.Read.All",
          NULL,
          N_ ("Optional: reads the tenant-wide registration report, so Authenticator shows for every user at once (needs Entra ID P1 or P2). Without it, users are checked one at a time."),
            TRUE,
          },
      };

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

gboolean
cqv_consent_permission_is_granted (const CqvConsentPermission *permission, const char *const *roles)
{
  g_return_val_if_fail (permission != NULL, FALSE);

  if (roles == NULL)
    return FALSE;

  /* Role values are case-sensitive in tokens, but nothing is gained by being strict here. */
  for (guint i = 0; roles[i] != NULL; i++)
    {
      if (g_ascii_strcasecmp (roles[i], permission->name) == 0 ||
          (permission->alternative != NULL &&
           g_ascii_strcasecmp (roles[i], permission->alternative) == 0))
        return TRUE;
    }

  return FALSE;
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
