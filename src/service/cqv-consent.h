/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

#include "cqv-cloud.h"
#include "cqv-tenant.h"

G_BEGIN_DECLS

/* One Microsoft Graph application permission the app registration needs (protocol §4). The
 * one list behind the admin consent helper and the setup checklist's permission lines. */
typedef struct
{
  const char         *name;          /* "User.Read.All" */
  const char         *alternative;   /* nullable: a broader permission that also does, e.g.
                                      * "UserAuthenticationMethod.Read.All" */
  const char         *reason;        /* untranslated; use cqv_consent_permission_get_reason() */
  gboolean            optional;      /* the app works without it, with less */
  const char         *check_id;      /* the setup checklist line that reports it
                                      * (CQV_CHECK_PERMISSION_*, cqv-tenant-check.h) */
  const char         *title;         /* untranslated; use cqv_consent_permission_get_title() */
  const char * const *also_granted;  /* nullable, NULL-terminated: still broader permissions that
                                      * do too but are not offered (e.g. Directory.Read.All) */
} CqvConsentPermission;

/* The permissions in the order they are shown. */
const CqvConsentPermission *cqv_consent_get_permissions          (guint                      *n_permissions);
/* Why the app needs @permission, translated. */
const char                 *cqv_consent_permission_get_reason    (const CqvConsentPermission *permission);
/* The checklist line's title ("Permission to read users"), translated. */
const char                 *cqv_consent_permission_get_title     (const CqvConsentPermission *permission);
/* TRUE when @roles (a token's `roles` claim) hold the permission, its alternative or one of
 * also_granted. */
gboolean                    cqv_consent_permission_is_granted    (const CqvConsentPermission *permission,
                                                                  const char * const         *roles);
/* The role in @roles that grants @permission (as spelled in @roles), or NULL. */
const char                 *cqv_consent_permission_find_granted  (const CqvConsentPermission *permission,
                                                                  const char * const         *roles);
/* The permission reported by the checklist line @check_id, or NULL. */
const CqvConsentPermission *cqv_consent_find_permission          (const char                 *check_id);

/* {login}/{tenant}/adminconsent?client_id={client}, each part URI-escaped. @login_url NULL is
 * @cloud's login service. @tenant is the tenant GUID or a domain. */
char *cqv_consent_build_url            (CqvCloud    cloud,
                                        const char *login_url,
                                        const char *tenant,
                                        const char *client_id);
/* The same for a tenant, with its login URL override if it has one. */
char *cqv_consent_build_url_for_tenant (CqvTenant  *tenant);

G_END_DECLS
