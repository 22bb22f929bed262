/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cqv-window"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "cqv-checklist-window.h"
#include "cqv-import-secret-dialog.h"
#include "cqv-remove-tenant-dialog.h"
#include "cqv-tenant-dialog.h"
#include "cqv-tenant-row.h"
#include "cqv-tenant-transfer.h"
#include "cqv-window-private.h"

/* The tenants of the window: Add, Edit, Remove, Setup Checklist, Import and Export. */

static void import_next (CqvWindow *self);

static CqvTenant *
get_selected (CqvWindow *self)
{
  return gtk_single_selection_get_selected_item (self->tenant_selection);
}

static gboolean
get_read_only (CqvWindow *self)
{
  return self->tenant_store != NULL && cqv_tenant_store_get_read_only (self->tenant_store);
}

static CqvHttpClient *
get_http (CqvWindow *self)
{
  CqvApplication *app = CQV_APPLICATION (gtk_window_get_application (GTK_WINDOW (self)));

  if (app != NULL)
    return cqv_application_get_http (app);
  /* Only windows made without an application (some tests) get a client of their own. */
  if (self->http == NULL)
    self->http = cqv_http_client_new ();
  return self->http;
}

static GListModel *
get_exportable (CqvWindow *self)
{
  return self->tenant_store != NULL ? cqv_tenant_store_get_tenants (self->tenant_store) : NULL;
}

static void
tenant_saved_cb (CqvWindow *self, CqvTenant *tenant, CqvTenantDialog *dialog)
{
  if (cqv_tenant_dialog_get_tenant (dialog) != NULL)
    /* Edited: its endpoints, IDs or secret may have changed. */
    cqv_window_reload_tenant (self, tenant);
  else
    cqv_window_select_tenant (self, tenant);
  cqv_window_update_actions (self);
}

static void
present_tenant_dialog (CqvWindow *self, CqvTenantDialog *dialog)
{
  g_signal_connect_object (dialog, "saved", G_CALLBACK (tenant_saved_cb), self, G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
add_tenant_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  CqvWindow *self = CQV_WINDOW (widget);
  CqvApplication *app = cqv_window_get_app (self);

  if (app == NULL || get_read_only (self))
    return;
  present_tenant_dialog (
    self, cqv_tenant_dialog_new_add (GTK_WINDOW (self), cqv_application_get_tenant_store (app),
                                     cqv_application_get_secret_store (app), get_http (self)));
}

static void
select_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  CqvWindow *self = CQV_WINDOW (widget);
  CqvTenant *tenant = cqv_window_find_tenant (self, g_variant_get_string (parameter, NULL));

  if (tenant != NULL)
    cqv_window_select_tenant (self, tenant);
}

static void
edit_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  CqvWindow *self = CQV_WINDOW (widget);
  CqvApplication *app = cqv_window_get_app (self);
  CqvTenant *tenant = get_selected (self);

  if (app == NULL || tenant == NULL)
    return;
  present_tenant_dialog (self, cqv_tenant_dialog_new_edit (
                                 GTK_WINDOW (self), cqv_application_get_tenant_store (app),
                                 cqv_application_get_secret_store (app), get_http (self), tenant));
}

static void
checklist_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  CqvWindow *self = CQV_WINDOW (widget);
  CqvTenant *tenant = get_selected (self);
  CqvTenantContext *context = tenant != NULL ? cqv_window_get_context (self, tenant) : NULL;

  if (context != NULL)
    gtk_window_present (GTK_WINDOW (cqv_checklist_window_new (GTK_WINDOW (self), context)));
}

static void
tenant_removed_cb (CqvWindow *self, CqvTenant *tenant, CqvRemoveTenantDialog *dialog)
{
  /* The application drops its context when the tenant leaves the list. */
  g_hash_table_remove (self->loads, tenant);
  cqv_window_update_actions (self);
}

static void
remove_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  CqvWindow *self = CQV_WINDOW (widget);
  CqvApplication *app = cqv_window_get_app (self);
  CqvTenant *tenant = get_selected (self);
  CqvRemoveTenantDialog *dialog;

  if (app == NULL || tenant == NULL)
    return;
  dialog = cqv_remove_tenant_dialog_new (GTK_WINDOW (self), cqv_application_get_tenant_store (app),
                                         cqv_application_get_secret_store (app), tenant);
  g_signal_connect_object (dialog, "removed", G_CALLBACK (tenant_removed_cb), self,
                           G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
popup_menu_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  CqvWindow *self = CQV_WINDOW (widget);
  CqvTenant *tenant = get_selected (self);
  CqvTenantRow *row = tenant != NULL ? g_hash_table_lookup (self->rows, tenant) : NULL;

  if (row != NULL)
    cqv_tenant_row_popup_menu (row);
}

/* Import */

static void
add_import_problem (CqvWindow *self, const char *message)
{
  if (self->import_problems->len > 0)
    g_string_append_c (self->import_problems, ' ');
  g_string_append (self->import_problems, message);
}

static void
import_finish (CqvWindow *self)
{
  g_autoptr (GString) message = g_string_new (NULL);

  g_string_append_printf (message,
                          ngettext ("%u tenant imported.", "%u tenants imported.", self->imported),
                          self->imported);
  if (self->import_problems->len > 0)
    g_string_append_printf (message, " %s", self->import_problems->str);
  cqv_window_clear_import (self);
  cqv_window_show_banner (self, message->str);
  cqv_window_update_actions (self);
}

static void
import_secret_finished_cb (CqvWindow *self, int result, CqvImportSecretDialog *dialog)
{
  CqvTenant *tenant = cqv_import_secret_dialog_get_tenant (dialog);
  g_autofree char *message = NULL;

  switch ((CqvImportSecretResult) result)
    {
    case CQV_IMPORT_SECRET_IMPORTED:
      self->imported++;
      if (self->imported == 1)
        cqv_window_select_tenant (self, tenant);
      break;
    case CQV_IMPORT_SECRET_SKIPPED:
      /* Translators: %s is a tenant's name. */
      message = g_strdup_printf (_("“%s” was skipped."), cqv_tenant_get_name (tenant));
      add_import_problem (self, message);
      break;
    case CQV_IMPORT_SECRET_STOPPED:
    default:
      if (self->import_queue != NULL && self->import_queue->len > 0)
        {
          message =
            g_strdup_printf (ngettext ("The import was stopped; %u more tenant was not imported.",
                                       "The import was stopped; %u more tenants were not imported.",
                                       self->import_queue->len + 1),
                             self->import_queue->len + 1);
          add_import_problem (self, message);
        }
      g_clear_pointer (&self->import_queue, g_ptr_array_unref);
      break;
    }
  import_next (self);
}

static void
import_next (CqvWindow *self)
{
  CqvApplication *app = cqv_window_get_app (self);
  g_autoptr (CqvTenant) tenant = NULL;
  CqvImportSecretDialog *dialog;

  if (app == NULL || self->import_queue == NULL || self->import_queue->len == 0)
    {
      import_finish (self);
      return;
    }

  tenant = g_ptr_array_steal_index (self->import_queue, 0);
  dialog =
    cqv_import_secret_dialog_new (GTK_WINDOW (self), cqv_application_get_tenant_store (app),
                                  cqv_application_get_secret_store (app), tenant,
                                  self->import_count - self->import_queue->len, self->import_count);
  g_signal_connect_object (dialog, "finished", G_CALLBACK (import_secret_finished_cb), self,
                           G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
import_loaded_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (CqvWindow) self = user_data;
  g_autoptr (GError) error = NULL;
  g_autofree char *data = NULL;
  g_autoptr (GPtrArray) tenants = NULL;
  g_autoptr (GPtrArray) problems = NULL;
  gsize length = 0;

  if (!g_file_load_contents_finish (G_FILE (object), result, &data, &length, NULL, &error) ||
      !cqv_tenant_transfer_import (data, length, get_exportable (self), &tenants, &problems,
                                   &error))
    {
      g_autofree char *message = NULL;

      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      /* Translators: %s says why. */
      message = g_strdup_printf (_("The tenants could not be imported: %s"), error->message);
      cqv_window_show_banner (self, message);
      return;
    }

  cqv_window_clear_import (self);
  self->import_problems = g_string_new (NULL);
  for (guint i = 0; i < problems->len; i++)
    {
      CqvTenantImportProblem *problem = g_ptr_array_index (problems, i);

      add_import_problem (self, problem->message);
    }
  self->import_queue = g_steal_pointer (&tenants);
  self->import_count = self->import_queue->len;
  self->imported = 0;
  import_next (self);
}

static void
export_written_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (CqvWindow) self = user_data;
  g_autoptr (GError) error = NULL;
  g_autofree char *message = NULL;
  g_autofree char *name = g_file_get_parse_name (G_FILE (object));

  if (!g_file_replace_contents_finish (G_FILE (object), result, NULL, &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      /* Translators: %s is a file, then why. */
      message =
        g_strdup_printf (_("The tenants could not be exported to %s: %s"), name, error->message);
    }
  else
    /* Translators: %s is a file. */
    message = g_strdup_printf (_("Tenants exported to %s, without secrets."), name);
  cqv_window_show_banner (self, message);
}

#if GTK_CHECK_VERSION(4, 10, 0)
static void
file_chosen_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (CqvWindow) self = user_data;
  GtkFileDialog *dialog = GTK_FILE_DIALOG (object);
  gboolean save = GPOINTER_TO_INT (g_object_get_data (object, "cqv-save"));
  g_autoptr (GFile) file = save ? gtk_file_dialog_save_finish (dialog, result, NULL)
                                : gtk_file_dialog_open_finish (dialog, result, NULL);

  if (file == NULL)
    return;
  if (save)
    cqv_window_export_file (self, file);
  else
    cqv_window_import_file (self, file);
}
#else
static void
file_chosen_cb (GtkNativeDialog *dialog, int response, CqvWindow *self)
{
  gboolean save =
    gtk_file_chooser_get_action (GTK_FILE_CHOOSER (dialog)) == GTK_FILE_CHOOSER_ACTION_SAVE;
  g_autoptr (GFile) file = NULL;

  if (response == GTK_RESPONSE_ACCEPT)
    file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
  gtk_native_dialog_destroy (dialog);
  g_object_unref (dialog);
  if (file == NULL)
    return;
  if (save)
    cqv_window_export_file (self, file);
  else
    cqv_window_import_file (self, file);
}
#endif

static void
choose_file (CqvWindow *self, gboolean save)
{
  g_autoptr (GtkFileFilter) filter = gtk_file_filter_new ();
  const char *title = save ? _("Export Tenants") : _("Import Tenants");

  gtk_file_filter_set_name (filter, _("Tenant lists (JSON)"));
  gtk_file_filter_add_pattern (filter, "*.json");
  gtk_file_filter_add_mime_type (filter, "application/json");
#if GTK_CHECK_VERSION(4, 10, 0)
  {
    g_autoptr (GtkFileDialog) dialog = gtk_file_dialog_new ();
    g_autoptr (GListStore) filters = g_list_store_new (GTK_TYPE_FILE_FILTER);

    g_list_store_append (filters, filter);
    gtk_file_dialog_set_title (dialog, title);
    gtk_file_dialog_set_filters (dialog, G_LIST_MODEL (filters));
    g_object_set_data (G_OBJECT (dialog), "cqv-save", GINT_TO_POINTER (save));
    if (save)
      {
        gtk_file_dialog_set_initial_name (dialog, "tenants.json");
        gtk_file_dialog_save (dialog, GTK_WINDOW (self), NULL, file_chosen_cb, g_object_ref (self));
      }
    else
      gtk_file_dialog_open (dialog, GTK_WINDOW (self), NULL, file_chosen_cb, g_object_ref (self));
  }
#else
  {
    GtkFileChooserNative *dialog = gtk_file_chooser_native_new (
      title, GTK_WINDOW (self), save ? GTK_FILE_CHOOSER_ACTION_SAVE : GTK_FILE_CHOOSER_ACTION_OPEN,
      save ? _("_Export") : _("_Import"), _("_Cancel"));

    gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (dialog), TRUE);
    gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (dialog), filter);
    if (save)
      gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (dialog), "tenants.json");
    g_signal_connect_object (dialog, "response", G_CALLBACK (file_chosen_cb), self, 0);
    gtk_native_dialog_show (GTK_NATIVE_DIALOG (dialog));
  }
#endif
}

static void
import_tenants_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  choose_file (CQV_WINDOW (widget), FALSE);
}

static void
export_tenants_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  choose_file (CQV_WINDOW (widget), TRUE);
}

void
cqv_window_update_actions (CqvWindow *self)
{
  CqvTenant *tenant = get_selected (self);
  gboolean read_only = get_read_only (self);
  gboolean editable = tenant != NULL && !cqv_tenant_get_demo (tenant) && !read_only;
  gboolean importing = self->import_queue != NULL;
  GListModel *exportable = get_exportable (self);

  if (self->empty_add_button == NULL)
    return;
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.add-tenant", !read_only);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.import-tenants", !read_only && !importing);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.export-tenants",
                                 exportable != NULL && g_list_model_get_n_items (exportable) > 0);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "tenant.edit", editable);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "tenant.remove", editable);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "tenant.checklist", tenant != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "tenant.popup-menu", tenant != NULL);

  gtk_widget_set_tooltip_text (GTK_WIDGET (self->empty_add_button),
                               read_only ? _("The tenants file could not be read, so tenants "
                                             "cannot be added until it is repaired.")
                                         : NULL);
}

void
cqv_window_clear_import (CqvWindow *self)
{
  g_clear_pointer (&self->import_queue, g_ptr_array_unref);
  if (self->import_problems != NULL)
    g_string_free (g_steal_pointer (&self->import_problems), TRUE);
  self->import_count = 0;
  self->imported = 0;
}

void
cqv_window_class_init_tenants (GtkWidgetClass *widget_class)
{
  gtk_widget_class_install_action (widget_class, "win.add-tenant", NULL, add_tenant_action);
  gtk_widget_class_install_action (widget_class, "win.import-tenants", NULL, import_tenants_action);
  gtk_widget_class_install_action (widget_class, "win.export-tenants", NULL, export_tenants_action);
  gtk_widget_class_install_action (widget_class, "tenant.select", "s", select_action);
  gtk_widget_class_install_action (widget_class, "tenant.edit", NULL, edit_action);
  gtk_widget_class_install_action (widget_class, "tenant.checklist", NULL, checklist_action);
  gtk_widget_class_install_action (widget_class, "tenant.remove", NULL, remove_action);
  gtk_widget_class_install_action (widget_class, "tenant.popup-menu", NULL, popup_menu_action);
}

void
cqv_window_import_file (CqvWindow *self, GFile *file)
{
  g_return_if_fail (CQV_IS_WINDOW (self));
  g_return_if_fail (G_IS_FILE (file));

  if (get_read_only (self) || self->import_queue != NULL)
    return;
  g_file_load_contents_async (file, self->cancellable, import_loaded_cb, g_object_ref (self));
}

void
cqv_window_export_file (CqvWindow *self, GFile *file)
{
  g_autofree char *text = NULL;
  g_autoptr (GBytes) bytes = NULL;
  gsize length = 0;

  g_return_if_fail (CQV_IS_WINDOW (self));
  g_return_if_fail (G_IS_FILE (file));

  if (get_exportable (self) == NULL)
    return;
  text = cqv_tenant_transfer_export (get_exportable (self), &length);
  bytes = g_bytes_new_take (g_steal_pointer (&text), length);
  g_file_replace_contents_bytes_async (file, bytes, NULL, FALSE, G_FILE_CREATE_NONE,
                                       self->cancellable, export_written_cb, g_object_ref (self));
}
