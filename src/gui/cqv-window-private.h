/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "cqv-users-view.h"
#include "cqv-window.h"

G_BEGIN_DECLS

/* What the window knows about a tenant it has opened. */
typedef struct
{
  CqvTenantContext *context;
  /* A problem before the directory could load (the app secret), else NULL. */
  GError *error;
  /* The connector secret's expiry warning, else NULL. */
  char *warning;
  /* The app secret's expiry warning, else NULL (also when the expiry is unknown). */
  char *app_warning;
} TenantLoad;

struct _CqvWindow
{
  GtkApplicationWindow parent_instance;

  GSettings *settings;
  GListModel *tenants;
  CqvTenantStore *tenant_store;
  GCancellable *cancellable;
  /* CqvTenant → TenantLoad, for the tenants opened so far. */
  GHashTable *loads;
  /* CqvTenant → the CqvTenantRow it is bound to (neither owned). */
  GHashTable *rows;
  /* For the tenant dialog's domain lookups. */
  CqvHttpClient *http;
  /* Tenants read from a file, waiting for their secret; what was imported or refused. */
  GPtrArray *import_queue;
  guint import_count;
  guint imported;
  GString *import_problems;

  GtkSearchEntry *search_entry;
  GtkMenuButton *primary_menu_button;
  GtkRevealer *banner_revealer;
  GtkLabel *banner_label;
  GtkStack *sidebar_stack;
  GtkSingleSelection *tenant_selection;
  GtkStack *content_stack;
  GtkButton *empty_add_button;
  CqvUsersView *users_view;
};

/* cqv-window.c */
CqvApplication   *cqv_window_get_app            (CqvWindow *self);
CqvTenant        *cqv_window_find_tenant        (CqvWindow *self,
                                                 const char *name);
/* The context the window uses for @tenant (a fresh one after its endpoints were edited). */
CqvTenantContext *cqv_window_get_context        (CqvWindow *self,
                                                 CqvTenant *tenant);
/* Drops what the window knows about @tenant and, when it is selected, opens it again with a
 * new context (after an edit). */
void              cqv_window_reload_tenant      (CqvWindow *self,
                                                 CqvTenant *tenant);
void              cqv_window_select_tenant      (CqvWindow *self,
                                                 CqvTenant *tenant);

/* cqv-window-tenants.c */
void              cqv_window_class_init_tenants (GtkWidgetClass *widget_class);
/* Add/Edit/Remove/Import insensitive in a read-only store or for the demo tenant. */
void              cqv_window_update_actions     (CqvWindow *self);
void              cqv_window_clear_import       (CqvWindow *self);

/* For tests: what Import Tenants… and Export Tenants… do with the chosen file. */
void              cqv_window_import_file        (CqvWindow *self,
                                                 GFile     *file);
void              cqv_window_export_file        (CqvWindow *self,
                                                 GFile     *file);
/* The banner's message, "" when hidden. */
const char       *cqv_window_get_banner         (CqvWindow *self);

G_END_DECLS
