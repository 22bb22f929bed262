/* SPDX-License-Identifier: GPL-3.0-or-later */

#define G_LOG_DOMAIN "cqv-cloud"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "cqv-cloud.h"

typedef struct
{
  const char *id;
  const char *display_name; /* translatable, marked with N_() */
  const char *login_url;
  const char *graph_url;
  const char *mfa_url;
  const char *mfa_resource;
  const char *portal_url;
} CloudInfo;

/* Hosts from docs/microsoft-push-protocol.md §7. The China connector resource URI and portal are
 * the best known values there, marked [I]. */
static const CloudInfo clouds[] = {
  [CQV_CLOUD_GLOBAL] = {
    "global",
    N_("Global"),
    "https://login.microsoftonline.com",
    "https://graph.microsoft.com",
    "https://adnotifications.windowsazure.com",
    "https://adnotifications.windowsazure.com/StrongAuthenticationService.svc/Connector",
    "https://entra.microsoft.com",
  },
  [CQV_CLOUD_USGOV] = {
    "usgov",
    N_("US Government (GCC High)"),
    "https://login.microsoftonline.us",
    "https://graph.microsoft.us",
    "https://adnotifications.windowsazure.us",
    "https://adnotifications.windowsazure.us/StrongAuthenticationService.svc/Connector",
    "https://entra.microsoft.us",
  },
  [CQV_CLOUD_USGOV_DOD] = {
    "usgov-dod",
    N_("US Government (DoD)"),
    "https://login.microsoftonline.us",
    "https://dod-graph.microsoft.us",
    "https://adnotifications.windowsazure.us",
    "https://adnotifications.windowsazure.us/StrongAuthenticationService.svc/Connector",
    "https://entra.microsoft.us",
  },
  [CQV_CLOUD_CHINA] = {
    "china",
    N_("China (21Vianet)"),
    "https://login.chinacloudapi.cn",
    "https://microsoftgraph.chinacloudapi.cn",
    "https://adnotifications.windowsazure.cn",
    "https://adnotifications.windowsazure.cn/StrongAuthenticationService.svc/Connector",
    "https://entra.microsoftonline.cn",
  },
};

static const CloudInfo *
lookup (CqvCloud cloud)
{
  if ((guint) cloud >= G_N_ELEMENTS (clouds))
    return NULL;
  return &clouds[cloud];
}

gboolean
cqv_cloud_from_string (const char *name, CqvCloud *cloud)
{
  g_return_val_if_fail (cloud != NULL, FALSE);

  if (name == NULL)
    return FALSE;

  for (guint i = 0; i < G_N_ELEMENTS (clouds); i++)
    {
      if (g_strcmp0 (clouds[i].id, name) == 0)
        {
          *cloud = (CqvCloud) i;
          return TRUE;
        }
    }

  return FALSE;
}

const char *
cqv_cloud_to_string (CqvCloud cloud)
{
  const CloudInfo *info = lookup (cloud);

  g_return_val_if_fail (info != NULL, NULL);

  return info->id;
}

const char *
cqv_cloud_get_display_name (CqvCloud cloud)
{
  const CloudInfo *info = lookup (cloud);

  g_return_val_if_fail (info != NULL, NULL);

  return _(info->display_name);
}

const char *
cqv_cloud_get_login_url (CqvCloud cloud)
{
  const CloudInfo *info = lookup (cloud);

  g_return_val_if_fail (info != NULL, NULL);

  return info->login_url;
}

const char *
cqv_cloud_get_graph_url (CqvCloud cloud)
{
  const CloudInfo *info = lookup (cloud);

  g_return_val_if_fail (info != NULL, NULL);

  return info->graph_url;
}

const char *
cqv_cloud_get_mfa_url (CqvCloud cloud)
{
  const CloudInfo *info = lookup (cloud);

  g_return_val_if_fail (info != NULL, NULL);

  return info->mfa_url;
}

const char *
cqv_cloud_get_mfa_resource (CqvCloud cloud)
{
  const CloudInfo *info = lookup (cloud);

  g_return_val_if_fail (info != NULL, NULL);

  return info->mfa_resource;
}

const char *
cqv_cloud_get_entra_portal_url (CqvCloud cloud)
{
  const CloudInfo *info = lookup (cloud);

  g_return_val_if_fail (info != NULL, NULL);

  return info->portal_url;
}
