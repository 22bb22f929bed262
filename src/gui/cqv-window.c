/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cqv-window"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "cqv-app-secret-expiry.h"
#include "cqv-checklist-window.h"
#include "cqv-tenant-row.h"
#include "cqv-tenant.h"
#include "cqv-users-view.h"
#include "cqv-window-private.h"

G_DEFINE_FINAL_TYPE (CqvWindow, cqv_window, GTK_TYPE_APPLICATION_WINDOW)

static void
tenant_load_free (TenantLoad *load)
{
  g_clear_object (&load->context);
  g_clear_error (&load->error);
  g_free (load->warning);
  g_free (load->app_warning);
  g_free (load);
}

CqvApplication *
cqv_window_get_app (CqvWindow *self)
{
  GtkApplication *app = gtk_window_get_application (GTK_WINDOW (self));

  return CQV_IS_APPLICATION (app) ? CQV_APPLICATION (app) : NULL;
}

static CqvDirectory *
load_get_directory (TenantLoad *load)
{
  return load != NULL && load->context != NULL ? cqv_tenant_context_get_directory (load->context)
                                               : NULL;
}

/* What the tenant's row warns about: the app secret, the connector secret, or both. */
static char *
load_dup_warning (TenantLoad *load)
{
  if (load == NULL || (load->app_warning == NULL && load->warning == NULL))
    return NULL;
  if (load->app_warning == NULL || load->warning == NULL)
    return g_strdup (load->app_warning != NULL ? load->app_warning : load->warning);
  return g_strjoin ("\n", load->app_warning, load->warning, NULL);
}

static void
update_content (CqvWindow *self)
{
  guint n_tenants = self->tenants != NULL ? g_list_model_get_n_items (self->tenants) : 0;
  CqvTenant *tenant = gtk_single_selection_get_selected_item (self->tenant_selection);
  TenantLoad *load = tenant != NULL ? g_hash_table_lookup (self->loads, tenant) : NULL;

  gtk_stack_set_visible_child_name (self->sidebar_stack, n_tenants > 0 ? "list" : "empty");

  cqv_users_view_set_context (self->users_view, load != NULL ? load->context : NULL);
  cqv_users_view_set_error (self->users_view, load != NULL ? load->error : NULL);

  cqv_window_update_actions (self);

  if (n_tenants == 0 || tenant == NULL)
    {
      gtk_stack_set_visible_child_name (self->content_stack, "empty");
      return;
    }
  gtk_stack_set_visible_child_name (self->content_stack, "tenant");
}

/* Shows what is known about @tenant in its sidebar row and, when selected, in the list. */
static void
update_tenant (CqvWindow *self, CqvTenant *tenant)
{
  CqvTenantRow *row = g_hash_table_lookup (self->rows, tenant);
  TenantLoad *load = g_hash_table_lookup (self->loads, tenant);

  if (row != NULL)
    {
      g_autofree char *warning = load_dup_warning (load);

      cqv_tenant_row_set_directory (row, load_get_directory (load));
      cqv_tenant_row_set_error (row, load != NULL ? load->error : NULL);
      cqv_tenant_row_set_warning (row, warning);
    }
  if (tenant == gtk_single_selection_get_selected_item (self->tenant_selection))
    update_content (self);
}

static void
directory_loaded_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (CqvWindow) self = user_data;
  g_autoptr (GError) error = NULL;

  /* A failure shows through the directory's state and error, in the row and the list. */
  if (!cqv_directory_load_finish (CQV_DIRECTORY (object), result, &error) &&
      !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    g_debug ("Loading the directory failed: %s", error->message);
}

/* One banner for the keyring, whatever the number of tenants that need it; the tenants
 * already loaded keep working. */
static void
show_keyring_banner (CqvWindow *self, const GError *error)
{
  g_autofree char *message = NULL;

  switch (error->code)
    {
    case CQV_SECRET_ERROR_NO_SERVICE:
      message = g_strdup (_("The system keyring is not available, so client secrets cannot be "
                            "read or stored. Install and start GNOME Keyring (or another Secret "
                            "Service), log out and in again, then press Retry on the tenant."));
      break;
    case CQV_SECRET_ERROR_LOCKED:
      message = g_strdup (_("The keyring is locked. Unlock it in Passwords and Keys, then press "
                            "Retry on the tenant."));
      break;
    case CQV_SECRET_ERROR_UNLOCK_REFUSED:
      message = g_strdup (_("The keyring was not unlocked, so client secrets cannot be read. "
                            "Press Retry on the tenant to be asked again."));
      break;
    case CQV_SECRET_ERROR_FAILED:
    default:
      /* Translators: %s says what the keyring reported. */
      message = g_strdup_printf (_("The keyring could not be used: %s"), error->message);
      break;
    }
  cqv_window_show_banner (self, message);
}

static void
connector_secret_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (CqvWindow) self = user_data;
  g_autoptr (GError) error = NULL;
  g_autoptr (CqvSecret) secret = NULL;
  g_autoptr (GDateTime) now = g_date_time_new_now_utc ();
  GHashTableIter iter;
  gpointer key, value;

  /* Not knowing the expiry is no reason to warn; the checklist reports keyring problems. */
  secret = cqv_secret_store_lookup_finish (CQV_SECRET_STORE (object), result, &error);
  if (secret == NULL || self->loads == NULL)
    return;

  /* Every tenant whose context keeps its secrets in this store under this tenant ID. */
  g_hash_table_iter_init (&iter, self->loads);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      TenantLoad *load = value;

      if (load->context == NULL ||
          cqv_tenant_context_get_secret_store (load->context) != CQV_SECRET_STORE (object) ||
          g_strcmp0 (cqv_connector_get_tenant_id (cqv_tenant_context_get_connector (load->context)),
                     cqv_tenant_get_tenant_id (key)) != 0)
        continue;
      g_free (load->warning);
      load->warning = cqv_connector_expiry_warning (secret, now);
      update_tenant (self, key);
    }
}

/* An unknown expiry (no permission, another home tenant, no matching secret, no network) shows
 * nothing. A known one close by shows in the tenant's row, and in the banner unless that is
 * already telling something else. */
static void
app_secret_expiry_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (CqvWindow) self = user_data;
  CqvTenantContext *context = CQV_TENANT_CONTEXT (object);
  CqvTenant *tenant = cqv_tenant_context_get_tenant (context);
  g_autoptr (GDateTime) expires = NULL;
  g_autoptr (GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr (GError) error = NULL;
  TenantLoad *load;

  expires = cqv_app_secret_expiry_lookup_finish (context, result, &error);
  if (expires == NULL || self->loads == NULL)
    return;
  load = g_hash_table_lookup (self->loads, tenant);
  if (load == NULL || load->context != context)
    return;

  g_free (load->app_warning);
  load->app_warning = cqv_app_secret_expiry_warning (expires, now);
  update_tenant (self, tenant);
  if (load->app_warning != NULL && g_strcmp0 (cqv_window_get_banner (self), "") == 0)
    {
      /* Translators: the first %s is a tenant's name, the second a sentence about it. */
      g_autofree char *message =
        g_strdup_printf (_("“%s”: %s"), cqv_tenant_get_name (tenant), load->app_warning);

      cqv_window_show_banner (self, message);
    }
}

static void
context_loaded_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (CqvWindow) self = user_data;
  CqvTenantContext *context = CQV_TENANT_CONTEXT (object);
  CqvTenant *tenant = cqv_tenant_context_get_tenant (context);
  g_autoptr (GError) error = NULL;
  TenantLoad *load;

  gboolean loaded = cqv_tenant_context_load_finish (context, result, &error);

  /* Cancelled, or the window is gone. */
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) || self->loads == NULL)
    return;
  if (!loaded)
    {
      load = g_hash_table_lookup (self->loads, tenant);
      if (load == NULL || load->context != context)
        return;
      g_clear_error (&load->error);
      load->error = g_steal_pointer (&error);
      if (load->error->domain == CQV_SECRET_ERROR)
        show_keyring_banner (self, load->error);
      update_tenant (self, tenant);
      return;
    }

  cqv_secret_store_lookup_async (
    cqv_tenant_context_get_secret_store (context),
    cqv_connector_get_tenant_id (cqv_tenant_context_get_connector (context)), CQV_MFA_CLIENT_APP_ID,
    CQV_SECRET_KIND_CONNECTOR, self->cancellable, connector_secret_cb, g_object_ref (self));
  cqv_directory_load_async (cqv_tenant_context_get_directory (context), self->cancellable,
                            directory_loaded_cb, g_object_ref (self));
  /* Started after the directory: the list comes first. */
  cqv_app_secret_expiry_lookup_async (context, self->cancellable, app_secret_expiry_cb,
                                      g_object_ref (self));
}

/* Opens @tenant: the app secret from the keyring, then the directory, page by page. Again on
 * Retry; the directory cancels a load that is still running. */
static void
load_tenant (CqvWindow *self, CqvTenant *tenant)
{
  CqvApplication *app = cqv_window_get_app (self);
  TenantLoad *load = g_hash_table_lookup (self->loads, tenant);

  if (app == NULL)
    return;

  if (load == NULL)
    {
      load = g_new0 (TenantLoad, 1);
      load->context = g_object_ref (cqv_application_get_context (app, tenant));
      g_hash_table_insert (self->loads, g_object_ref (tenant), load);
    }
  g_clear_error (&load->error);
  update_tenant (self, tenant);

  if (load->context != NULL)
    cqv_tenant_context_load_async (load->context, self->cancellable, context_loaded_cb,
                                   g_object_ref (self));
}

CqvTenant *
cqv_window_find_tenant (CqvWindow *self, const char *name)
{
  guint n = g_list_model_get_n_items (self->tenants);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr (CqvTenant) tenant = g_list_model_get_item (self->tenants, i);

      if (g_strcmp0 (cqv_tenant_get_name (tenant), name) == 0)
        return tenant;
    }
  return NULL;
}

/* Reopens the tenant selected last, else the first one. The selection does not autoselect:
 * that would save the first tenant as the last one before it could be restored. */
static void
restore_selection (CqvWindow *self)
{
  g_autofree char *last = g_settings_get_string (self->settings, "last-tenant");
  guint n = g_list_model_get_n_items (self->tenants);
  guint position = n > 0 ? 0 : GTK_INVALID_LIST_POSITION;

  for (guint i = 0; i < n; i++)
    {
      g_autoptr (CqvTenant) tenant = g_list_model_get_item (self->tenants, i);

      if (g_strcmp0 (cqv_tenant_get_name (tenant), last) == 0)
        {
          position = i;
          break;
        }
    }
  if (position != GTK_INVALID_LIST_POSITION)
    gtk_single_selection_set_selected (self->tenant_selection, position);
}

static void
tenants_changed_cb (CqvWindow *self, guint position, guint removed, guint added, GListModel *model)
{
  if (gtk_single_selection_get_selected_item (self->tenant_selection) == NULL)
    restore_selection (self);
  update_content (self);
}

static void
selected_tenant_changed_cb (CqvWindow *self, GParamSpec *pspec, GtkSingleSelection *selection)
{
  CqvTenant *tenant = gtk_single_selection_get_selected_item (selection);

  if (tenant != NULL)
    {
      g_settings_set_string (self->settings, "last-tenant", cqv_tenant_get_name (tenant));
      /* Once per tenant; Retry loads again. */
      if (!g_hash_table_contains (self->loads, tenant))
        load_tenant (self, tenant);
    }
  update_content (self);
}

static void
search_changed_cb (CqvWindow *self, GtkSearchEntry *entry)
{
  cqv_users_view_set_search_text (self->users_view, gtk_editable_get_text (GTK_EDITABLE (entry)));
}

static void
tenant_setup_cb (GtkSignalListItemFactory *factory, GtkListItem *item, CqvWindow *self)
{
  gtk_list_item_set_child (item, cqv_tenant_row_new ());
}

static void
tenant_bind_cb (GtkSignalListItemFactory *factory, GtkListItem *item, CqvWindow *self)
{
  CqvTenantRow *row = CQV_TENANT_ROW (gtk_list_item_get_child (item));
  CqvTenant *tenant = gtk_list_item_get_item (item);
  TenantLoad *load = g_hash_table_lookup (self->loads, tenant);
  g_autofree char *warning = load_dup_warning (load);

  cqv_tenant_row_set_tenant (row, tenant);
  cqv_tenant_row_set_directory (row, load_get_directory (load));
  cqv_tenant_row_set_error (row, load != NULL ? load->error : NULL);
  cqv_tenant_row_set_warning (row, warning);
  g_hash_table_insert (self->rows, tenant, row);
}

static void
tenant_unbind_cb (GtkSignalListItemFactory *factory, GtkListItem *item, CqvWindow *self)
{
  CqvTenantRow *row = CQV_TENANT_ROW (gtk_list_item_get_child (item));
  CqvTenant *tenant = cqv_tenant_row_get_tenant (row);

  if (self->rows != NULL && tenant != NULL && g_hash_table_lookup (self->rows, tenant) == row)
    g_hash_table_remove (self->rows, tenant);
  cqv_tenant_row_set_directory (row, NULL);
  cqv_tenant_row_set_error (row, NULL);
  cqv_tenant_row_set_warning (row, NULL);
  cqv_tenant_row_set_tenant (row, NULL);
}

static void
retry_tenant_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  CqvWindow *self = CQV_WINDOW (widget);
  CqvTenant *tenant = cqv_window_find_tenant (self, g_variant_get_string (parameter, NULL));

  if (tenant != NULL)
    load_tenant (self, tenant);
}

static void
verify_selected_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  CqvWindow *self = CQV_WINDOW (widget);

  gtk_widget_activate_action (GTK_WIDGET (self->users_view), "users.verify", NULL);
}

static void
search_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  CqvWindow *self = CQV_WINDOW (widget);

  gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
}

static void
show_primary_menu_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  CqvWindow *self = CQV_WINDOW (widget);

  gtk_menu_button_popup (self->primary_menu_button);
}

static void
dismiss_banner_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  CqvWindow *self = CQV_WINDOW (widget);

  gtk_revealer_set_reveal_child (self->banner_revealer, FALSE);
}

static void
save_window_state (CqvWindow *self)
{
  int width, height;

  gtk_window_get_default_size (GTK_WINDOW (self), &width, &height);
  g_settings_delay (self->settings);
  g_settings_set_boolean (self->settings, "window-maximized",
                          gtk_window_is_maximized (GTK_WINDOW (self)));
  if (!gtk_window_is_maximized (GTK_WINDOW (self)) && width > 0 && height > 0)
    {
      g_settings_set_int (self->settings, "window-width", width);
      g_settings_set_int (self->settings, "window-height", height);
    }
  g_settings_apply (self->settings);
}

static gboolean
cqv_window_close_request (GtkWindow *window)
{
  save_window_state (CQV_WINDOW (window));

  return GTK_WINDOW_CLASS (cqv_window_parent_class)->close_request (window);
}

/* The application is set after construction (it is not a construct property), and it owns the
 * tenants: show its list from then on. */
static void
set_tenants (CqvWindow *self, GListModel *tenants)
{
  if (self->tenants == tenants)
    return;

  if (self->tenants != NULL)
    g_signal_handlers_disconnect_by_func (self->tenants, tenants_changed_cb, self);
  g_set_object (&self->tenants, tenants);
  gtk_single_selection_set_model (self->tenant_selection, self->tenants);
  g_signal_connect_object (self->tenants, "items-changed", G_CALLBACK (tenants_changed_cb), self,
                           G_CONNECT_SWAPPED);
  restore_selection (self);
  update_content (self);
}

static void
store_read_only_cb (CqvWindow *self)
{
  const GError *error = cqv_tenant_store_get_load_error (self->tenant_store);

  if (cqv_tenant_store_get_read_only (self->tenant_store))
    {
      /* Translators: %s says why, naming the file and the line. */
      g_autofree char *message = g_strdup_printf (
        _("The tenants file could not be read: %s Tenants cannot be added, edited or removed "
          "until it is repaired; the file is left as it is."),
           error != NULL ? error->message : cqv_tenant_store_get_path (self->tenant_store));

      cqv_window_show_banner (self, message);
    }
  cqv_window_update_actions (self);
}

static void
set_tenant_store (CqvWindow *self, CqvTenantStore *store)
{
  if (self->tenant_store == store)
    return;

  if (self->tenant_store != NULL)
    g_signal_handlers_disconnect_by_func (self->tenant_store, store_read_only_cb, self);
  g_set_object (&self->tenant_store, store);
  if (store == NULL)
    return;
  g_signal_connect_object (store, "notify::read-only", G_CALLBACK (store_read_only_cb), self,
                           G_CONNECT_SWAPPED);
  store_read_only_cb (self);
}

static void
application_changed_cb (CqvWindow *self)
{
  CqvApplication *app = cqv_window_get_app (self);

  /* Leaving the application (on destroy) keeps what is shown. */
  if (app != NULL)
    {
      set_tenant_store (self, cqv_application_get_tenant_store (app));
      set_tenants (self, cqv_application_get_tenants (app));
    }
}

static void
cqv_window_constructed (GObject *object)
{
  CqvWindow *self = CQV_WINDOW (object);
  CqvApplication *app = cqv_window_get_app (self);
  g_autoptr (GListModel) empty = G_LIST_MODEL (g_list_store_new (CQV_TYPE_TENANT));

  G_OBJECT_CLASS (cqv_window_parent_class)->constructed (object);

  if (app != NULL)
    set_tenant_store (self, cqv_application_get_tenant_store (app));
  set_tenants (self, app != NULL ? cqv_application_get_tenants (app) : empty);
  g_signal_connect_swapped (self, "notify::application", G_CALLBACK (application_changed_cb), self);
}

static void
cqv_window_dispose (GObject *object)
{
  CqvWindow *self = CQV_WINDOW (object);

  g_cancellable_cancel (self->cancellable);
  cqv_window_clear_import (self);
  /* Callbacks still unwinding keep the window alive, not its widgets. */
  if (self->tenants != NULL)
    g_signal_handlers_disconnect_by_func (self->tenants, tenants_changed_cb, self);
  set_tenant_store (self, NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), CQV_TYPE_WINDOW);
  g_clear_pointer (&self->rows, g_hash_table_unref);
  g_clear_pointer (&self->loads, g_hash_table_unref);
  g_clear_object (&self->tenants);
  g_clear_object (&self->tenant_store);
  g_clear_object (&self->http);
  g_clear_object (&self->settings);
  g_clear_object (&self->cancellable);

  G_OBJECT_CLASS (cqv_window_parent_class)->dispose (object);
}

static void
cqv_window_class_init (CqvWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->constructed = cqv_window_constructed;
  object_class->dispose = cqv_window_dispose;
  window_class->close_request = cqv_window_close_request;

  g_type_ensure (CQV_TYPE_TENANT);
  g_type_ensure (CQV_TYPE_USERS_VIEW);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PATH "/cqv-window.ui");
  gtk_widget_class_bind_template_child (widget_class, CqvWindow, search_entry);
  gtk_widget_class_bind_template_child (widget_class, CqvWindow, primary_menu_button);
  gtk_widget_class_bind_template_child (widget_class, CqvWindow, banner_revealer);
  gtk_widget_class_bind_template_child (widget_class, CqvWindow, banner_label);
  gtk_widget_class_bind_template_child (widget_class, CqvWindow, sidebar_stack);
  gtk_widget_class_bind_template_child (widget_class, CqvWindow, tenant_selection);
  gtk_widget_class_bind_template_child (widget_class, CqvWindow, content_stack);
  gtk_widget_class_bind_template_child (widget_class, CqvWindow, empty_add_button);
  gtk_widget_class_bind_template_child (widget_class, CqvWindow, users_view);
  gtk_widget_class_bind_template_callback (widget_class, search_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, tenant_setup_cb);
  gtk_widget_class_bind_template_callback (widget_class, tenant_bind_cb);
  gtk_widget_class_bind_template_callback (widget_class, tenant_unbind_cb);

  gtk_widget_class_install_action (widget_class, "win.search", NULL, search_action);
  gtk_widget_class_install_action (widget_class, "win.dismiss-banner", NULL, dismiss_banner_action);
  gtk_widget_class_install_action (widget_class, "win.show-primary-menu", NULL,
                                   show_primary_menu_action);
  gtk_widget_class_install_action (widget_class, "win.retry-tenant", "s", retry_tenant_action);
  gtk_widget_class_install_action (widget_class, "win.verify-selected", NULL,
                                   verify_selected_action);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_v, GDK_CONTROL_MASK | GDK_SHIFT_MASK,
                                       "win.verify-selected", NULL);

  cqv_window_class_init_tenants (widget_class);
}

static void
cqv_window_init (CqvWindow *self)
{
  self->cancellable = g_cancellable_new ();
  self->loads =
    g_hash_table_new_full (NULL, NULL, g_object_unref, (GDestroyNotify) tenant_load_free);
  self->rows = g_hash_table_new (NULL, NULL);

  gtk_widget_init_template (GTK_WIDGET (self));
  /* GTK 4.8 names a button after its accessible label, which gtk_button_set_label() sets to the
   * raw "_Add Tenant…", and its mnemonic label both: the label alone names it. */
  gtk_accessible_reset_property (GTK_ACCESSIBLE (self->empty_add_button),
                                 GTK_ACCESSIBLE_PROPERTY_LABEL);

  self->settings = g_settings_new (APP_ID);
  gtk_window_set_default_size (GTK_WINDOW (self),
                               g_settings_get_int (self->settings, "window-width"),
                               g_settings_get_int (self->settings, "window-height"));
  if (g_settings_get_boolean (self->settings, "window-maximized"))
    gtk_window_maximize (GTK_WINDOW (self));

  gtk_search_entry_set_key_capture_widget (self->search_entry, GTK_WIDGET (self));
  g_signal_connect_object (self->tenant_selection, "notify::selected-item",
                           G_CALLBACK (selected_tenant_changed_cb), self, G_CONNECT_SWAPPED);
}

CqvWindow *
cqv_window_new (CqvApplication *application)
{
  g_return_val_if_fail (CQV_IS_APPLICATION (application), NULL);

  return g_object_new (CQV_TYPE_WINDOW, "application", application, NULL);
}

void
cqv_window_show_banner (CqvWindow *self, const char *message)
{
  g_return_if_fail (CQV_IS_WINDOW (self));

  gtk_label_set_label (self->banner_label, message);
  gtk_revealer_set_reveal_child (self->banner_revealer, TRUE);
}

/**
 * cqv_window_get_context:
 *
 * Returns: (transfer none): the context the window uses for @tenant
 */
CqvTenantContext *
cqv_window_get_context (CqvWindow *self, CqvTenant *tenant)
{
  TenantLoad *load = g_hash_table_lookup (self->loads, tenant);
  CqvApplication *app;

  if (load != NULL && load->context != NULL)
    return load->context;
  app = cqv_window_get_app (self);
  return app != NULL ? cqv_application_get_context (app, tenant) : NULL;
}

void
cqv_window_reload_tenant (CqvWindow *self, CqvTenant *tenant)
{
  TenantLoad *load = g_hash_table_lookup (self->loads, tenant);
  CqvApplication *app = cqv_window_get_app (self);
  CqvTenantContext *old;

  if (load == NULL || app == NULL)
    return;

  /* A context reads the tenant's endpoints once: an edited tenant needs a new one. */
  cqv_application_forget_context (app, tenant);
  old = load->context;
  load->context = g_object_ref (cqv_application_get_context (app, tenant));
  g_clear_object (&old);
  g_clear_pointer (&load->warning, g_free);
  g_clear_pointer (&load->app_warning, g_free);
  load_tenant (self, tenant);
}

void
cqv_window_select_tenant (CqvWindow *self, CqvTenant *tenant)
{
  guint n = g_list_model_get_n_items (self->tenants);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr (CqvTenant) item = g_list_model_get_item (self->tenants, i);

      if (item == tenant)
        {
          gtk_single_selection_set_selected (self->tenant_selection, i);
          return;
        }
    }
}

const char *
cqv_window_get_banner (CqvWindow *self)
{
  g_return_val_if_fail (CQV_IS_WINDOW (self), NULL);

  return gtk_revealer_get_reveal_child (self->banner_revealer)
           ? gtk_label_get_label (self->banner_label)
           : "";
}
