/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "cqv-tenant.h"

G_BEGIN_DECLS

#define CQV_TENANT_TRANSFER_ERROR (cqv_tenant_transfer_error_quark ())

/**
 * CqvTenantTransferError: why a whole file cannot be imported (single entries are problems).
 * @CQV_TENANT_TRANSFER_ERROR_PARSE: not JSON, not UTF-8, nested too deeply, or too large
 * @CQV_TENANT_TRANSFER_ERROR_FORMAT: JSON, but not a CyberQP Verify tenant list
 * @CQV_TENANT_TRANSFER_ERROR_VERSION: a tenant list of a newer version than this app reads
 */
typedef enum
{
  CQV_TENANT_TRANSFER_ERROR_PARSE,
  CQV_TENANT_TRANSFER_ERROR_FORMAT,
  CQV_TENANT_TRANSFER_ERROR_VERSION,
} CqvTenantTransferError;

GQuark cqv_tenant_transfer_error_quark (void);

#define CQV_TENANT_TRANSFER_FORMAT      "cyberqp-verify-tenants"
#define CQV_TENANT_TRANSFER_VERSION     1
/* Larger files are refused unread. */
#define CQV_TENANT_TRANSFER_MAX_SIZE    (1024 * 1024)

typedef enum
{
  CQV_TENANT_IMPORT_INVALID,   /* fails the tenant store's rules, or a field has the wrong type */
  CQV_TENANT_IMPORT_DUPLICATE, /* its name, or its tenant and client ID, is already taken */
} CqvTenantImportProblemKind;

/* An entry of the file that is not imported. */
typedef struct
{
  guint                      index;   /* position in the file's "tenants" array, from 0 */
  CqvTenantImportProblemKind kind;
  char                      *name;    /* nullable: the entry's name when it has one */
  char                      *message; /* translated, names the problem */
} CqvTenantImportProblem;

void cqv_tenant_import_problem_free (CqvTenantImportProblem *problem);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CqvTenantImportProblem, cqv_tenant_import_problem_free)

/* JSON without secrets: {"format", "version", "tenants": [{name, tenant_id, client_id, cloud,
 * login_url?, graph_url?, mfa_url?}]}. @tenants is a list of CqvTenant; demo tenants are left
 * out. Returns: (transfer full): UTF-8 text, @length without the trailing NUL. */
char     *cqv_tenant_transfer_export (GListModel  *tenants,
                                      gsize       *length);
/* Reads a tenant list. @existing (nullable, a list of CqvTenant) are the tenants already
 * configured: entries clashing with them or with an earlier entry are DUPLICATE problems.
 * Entries are validated by the tenant store's own rules. Secrets in the file are ignored.
 * @tenants: (out) (transfer full): CqvTenant to add, in file order
 * @problems: (out) (transfer full): CqvTenantImportProblem, by index */
gboolean  cqv_tenant_transfer_import (const char  *data,
                                      gsize        length,
                                      GListModel  *existing,
                                      GPtrArray  **tenants,
                                      GPtrArray  **problems,
                                      GError     **error);

G_END_DECLS
