/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

#include "cqv-cloud.h"
#include "cqv-tenant.h"

G_BEGIN_DECLS

/* One Microsoft Graph application permission the app registration needs (protocol §4). */
typedef struct
{
  const char *name;        /* "User.Read.All" */
  const char *alternative; /* nullable: a broader permission that also does, e.g.
                            * "UserAuthenticationMethod.Read.All" */
  const char *reason;      /* untranslated; use cqv_consent_permission_get_reason() */
  gboolean    optional;    /* the app works without it, with less */
} CqvConsentPermission;

/* The permissions in the order they are shown. */
const CqvConsentPermission *cqv_consent_get_permissions          (guint                      *n_permissions);
/* Why the app needs @permission, translated. */
const char                 *cqv_consent_permission_get_reason    (const CqvConsentPermission *permission);
/* TRUE when @roles (a token's `roles` claim) hold the permission or its alternative. */
gboolean                    cqv_consent_permission_is_granted    (const CqvConsentPermission *permission,
                                                                  const char * const         *roles);

/* {login}/{tenant}/adminconsent?client_id={client}, each part URI-escaped. @login_url NULL is
 * @cloud's login service. @tenant is the tenant GUID or a domain. */
char *cqv_consent_build_url            (CqvCloud    cloud,
                                        const char *login_url,
                                        const char *tenant,
                                        const char *client_id);
/* The same for a tenant, with its login URL override if it has one. */
char *cqv_consent_build_url_for_tenant (CqvTenant  *tenant);

G_END_DECLS
