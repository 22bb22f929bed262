/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "cqv-tenant-dialog.h"
#include "cqv-tenant-resolver.h"

G_BEGIN_DECLS

/* CqvTenantDialog spans two files: the form (cqv-tenant-dialog.c) and the save pipeline
 * (cqv-tenant-dialog-save.c). */

/* What the form said when Add was pressed. */
typedef struct
{
  char *name;
  char *tenant_text; /* as typed: a GUID or a domain */
  char *tenant_id;   /* the GUID, once resolved */
  char *client_id;
  CqvCloud cloud;
  char *login_url; /* overrides, NULL when empty */
  char *graph_url;
  char *mfa_url;
  char *secret; /* NULL when nothing was typed (edit); wiped */
} CqvTenantForm;

struct _CqvTenantDialog
{
  GtkWindow parent_instance;

  CqvTenantStore *tenants;
  CqvSecretStore *secrets;
  CqvHttpClient *http;
  CqvTenantResolver *resolver;
  CqvTenant *tenant; /* being edited; NULL when adding */
  GCancellable *cancellable;
  CqvTenantForm *form; /* while saving */
  gboolean resolving;
  char *resolved_key; /* login URL + "\n" + domain of the last lookup */
  char *resolved_guid;
  char *resolve_error; /* for resolved_key */
  char *consent_url;
  guint copied_source;
  GtkWidget *refocus; /* weak: had the focus when saving started */

  GtkLabel *title_label;
  GtkButton *cancel_button;
  GtkButton *save_button;
  GtkSpinner *save_spinner;
  GtkRevealer *banner_revealer;
  GtkLabel *banner_label;
  GtkWidget *form_box;
  GtkEntry *name_entry;
  GtkEntry *tenant_entry;
  GtkSpinner *tenant_spinner;
  GtkLabel *tenant_status_label;
  GtkEntry *client_entry;
  GtkLabel *client_error_label;
  GtkPasswordEntry *secret_entry;
  GtkDropDown *cloud_dropdown;
  GtkExpander *advanced_expander;
  GtkEntry *login_entry;
  GtkEntry *graph_entry;
  GtkEntry *mfa_entry;
  GtkLabel *endpoint_error_label;
  GtkLabel *consent_url_label;
  GtkLabel *copied_label;
  GtkLabel *permissions_label;
};

void           cqv_tenant_form_free                (CqvTenantForm   *form);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CqvTenantForm, cqv_tenant_form_free)

/* cqv-tenant-dialog.c */
CqvTenantForm *cqv_tenant_dialog_read_form         (CqvTenantDialog *self);
gboolean       cqv_tenant_dialog_form_is_complete  (CqvTenantDialog *self);
/* The login URL override, else the selected cloud's. */
char          *cqv_tenant_dialog_get_login_url     (CqvTenantDialog *self);
/* Identifies a lookup: login URL and domain. */
char          *cqv_tenant_dialog_resolve_key       (CqvTenantDialog *self,
                                                    const char      *tenant_text);
/* The GUID the last lookup found for @tenant_text under the current login URL, or NULL. */
const char    *cqv_tenant_dialog_cached_guid       (CqvTenantDialog *self,
                                                    const char      *tenant_text);
/* Everything that depends on the fields and the busy state. */
void           cqv_tenant_dialog_update            (CqvTenantDialog *self);
/* @message NULL hides the banner. */
void           cqv_tenant_dialog_show_banner       (CqvTenantDialog *self,
                                                    const char      *message);
void           cqv_tenant_dialog_emit_saved        (CqvTenantDialog *self,
                                                    CqvTenant       *tenant);

/* cqv-tenant-dialog-save.c: resolve → clashes → keyring → tenant store → "saved". */
void           cqv_tenant_dialog_save              (CqvTenantDialog *self);

G_END_DECLS
