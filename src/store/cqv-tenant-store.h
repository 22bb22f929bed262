/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "cqv-tenant.h"

G_BEGIN_DECLS

#define CQV_TENANT_STORE_ERROR (cqv_tenant_store_error_quark ())

/**
 * CqvTenantStoreError:
 * @CQV_TENANT_STORE_ERROR_PARSE: the file is not readable as a tenants file; the message names the line
 * @CQV_TENANT_STORE_ERROR_INVALID: a tenant entry is missing a field or has a bad value; names the line
 * @CQV_TENANT_STORE_ERROR_READ_ONLY: the file was broken when loaded, so it is not overwritten
 * @CQV_TENANT_STORE_ERROR_EXISTS: a tenant with this name exists
 * @CQV_TENANT_STORE_ERROR_NOT_FOUND: no tenant with this name
 * @CQV_TENANT_STORE_ERROR_IO: the file could not be read or written
 */
typedef enum
{
  CQV_TENANT_STORE_ERROR_PARSE,
  CQV_TENANT_STORE_ERROR_INVALID,
  CQV_TENANT_STORE_ERROR_READ_ONLY,
  CQV_TENANT_STORE_ERROR_EXISTS,
  CQV_TENANT_STORE_ERROR_NOT_FOUND,
  CQV_TENANT_STORE_ERROR_IO,
} CqvTenantStoreError;

GQuark cqv_tenant_store_error_quark (void);

#define CQV_TYPE_TENANT_STORE (cqv_tenant_store_get_type ())

G_DECLARE_FINAL_TYPE (CqvTenantStore, cqv_tenant_store, CQV, TENANT_STORE, GObject)

/* @path NULL: $XDG_CONFIG_HOME/com.cyberqp.Verify/tenants.ini */
CqvTenantStore *cqv_tenant_store_new           (const char          *path);
/* In memory only (demo mode): load and save do nothing. */
CqvTenantStore *cqv_tenant_store_new_in_memory (void);
const char     *cqv_tenant_store_get_path      (CqvTenantStore      *self);
/* A GListModel of CqvTenant, sorted by name. */
GListModel     *cqv_tenant_store_get_tenants   (CqvTenantStore      *self);
gboolean        cqv_tenant_store_get_read_only (CqvTenantStore      *self);
/* The reason the store is read-only, or NULL. */
const GError   *cqv_tenant_store_get_load_error (CqvTenantStore     *self);
CqvTenant      *cqv_tenant_store_find          (CqvTenantStore      *self,
                                                const char          *name);

/* A missing file is an empty list. A broken file sets the error, loads nothing from it and
 * makes the store read-only; the file is never overwritten then. */
void            cqv_tenant_store_load_async    (CqvTenantStore      *self,
                                                GCancellable        *cancellable,
                                                GAsyncReadyCallback  callback,
                                                gpointer             user_data);
gboolean        cqv_tenant_store_load_finish   (CqvTenantStore      *self,
                                                GAsyncResult        *result,
                                                GError             **error);
gboolean        cqv_tenant_store_load_sync     (CqvTenantStore      *self,
                                                GError             **error);
/* Validate (endpoints, ids, unique name), add, and save atomically. */
gboolean        cqv_tenant_store_add           (CqvTenantStore      *self,
                                                CqvTenant           *tenant,
                                                GError             **error);
gboolean        cqv_tenant_store_remove        (CqvTenantStore      *self,
                                                const char          *name,
                                                GError             **error);
/* Saves the current list atomically (after a tenant was edited in place). */
gboolean        cqv_tenant_store_save          (CqvTenantStore      *self,
                                                GError             **error);

G_END_DECLS
