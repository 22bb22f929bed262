/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

/* The Microsoft national clouds: each has its own login, Graph and MFA connector hosts. */
typedef enum
{
  CQV_CLOUD_GLOBAL,
  CQV_CLOUD_USGOV,
  CQV_CLOUD_USGOV_DOD,
  CQV_CLOUD_CHINA,
} CqvCloud;

gboolean    cqv_cloud_from_string          (const char *name,
                                            CqvCloud   *cloud);
const char *cqv_cloud_to_string            (CqvCloud    cloud);
const char *cqv_cloud_get_display_name     (CqvCloud    cloud);
const char *cqv_cloud_get_login_url        (CqvCloud    cloud);
const char *cqv_cloud_get_graph_url        (CqvCloud    cloud);
const char *cqv_cloud_get_mfa_url          (CqvCloud    cloud);
const char *cqv_cloud_get_mfa_resource     (CqvCloud    cloud);
const char *cqv_cloud_get_entra_portal_url (CqvCloud    cloud);

G_END_DECLS
