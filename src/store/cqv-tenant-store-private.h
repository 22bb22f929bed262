/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "cqv-tenant-store.h"

G_BEGIN_DECLS

/* tenants.ini text and the rules for a tenant (cqv-tenant-store-file.c). */

/* Sort order: by name without regard to case, g_utf8_collate. */
int        cqv_tenant_store_compare      (gconstpointer   a,
                                          gconstpointer   b,
                                          gpointer        user_data);
/* Names are unique without regard to case. */
gboolean   cqv_tenant_store_names_equal  (const char     *a,
                                          const char     *b);
/* Name, tenant and client ids, endpoint overrides; CQV_TENANT_STORE_ERROR_INVALID. */
gboolean   cqv_tenant_store_check_tenant (CqvTenant      *tenant,
                                          GError        **error);
/* CqvTenants sorted by name; empty when the file is missing. Thread-safe. */
GPtrArray *cqv_tenant_store_read_file    (const char     *path,
                                          GError        **error);
char      *cqv_tenant_store_serialize    (GPtrArray      *tenants,
                                          gsize          *length);

G_END_DECLS
