/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "cqv-secret-store.h"
#include "cqv-tenant-store.h"
#include "cqv-tenant.h"

G_BEGIN_DECLS

typedef enum
{
  CQV_IMPORT_SECRET_IMPORTED, /* the secret is in the keyring and the tenant in the list */
  CQV_IMPORT_SECRET_SKIPPED,  /* this tenant is not imported */
  CQV_IMPORT_SECRET_STOPPED,  /* closed: import no more tenants */
} CqvImportSecretResult;

#define CQV_TYPE_IMPORT_SECRET_DIALOG (cqv_import_secret_dialog_get_type ())

G_DECLARE_FINAL_TYPE (CqvImportSecretDialog, cqv_import_secret_dialog, CQV, IMPORT_SECRET_DIALOG, GtkWindow)

/* Asks for the client secret of @tenant, imported from a file without secrets (@position of
 * @count, from 1). Import stores the secret in @secrets first, then adds @tenant to @tenants;
 * on a keyring error it says so and keeps the secret typed. Emits "finished"
 * (CqvImportSecretResult as int) once, then closes. */
CqvImportSecretDialog *cqv_import_secret_dialog_new        (GtkWindow             *parent,
                                                            CqvTenantStore        *tenants,
                                                            CqvSecretStore        *secrets,
                                                            CqvTenant             *tenant,
                                                            guint                  position,
                                                            guint                  count);
CqvTenant             *cqv_import_secret_dialog_get_tenant (CqvImportSecretDialog *self);
/* For tests: the masked entry, and the error shown ("" for none). */
GtkEditable           *cqv_import_secret_dialog_get_entry  (CqvImportSecretDialog *self);
const char            *cqv_import_secret_dialog_get_error  (CqvImportSecretDialog *self);

G_END_DECLS
