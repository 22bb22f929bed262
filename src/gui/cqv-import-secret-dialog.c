/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cqv-import-secret-dialog"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "cqv-import-secret-dialog.h"

struct _CqvImportSecretDialog
{
  GtkWindow parent_instance;

  CqvTenantStore *tenants;
  CqvSecretStore *secrets;
  CqvTenant *tenant;
  guint position;
  guint count;
  GCancellable *cancellable;
  gboolean busy;
  gboolean finished;

  GtkButton *stop_button;
  GtkButton *skip_button;
  GtkButton *import_button;
  GtkLabel *heading_label;
  GtkLabel *description_label;
  GtkPasswordEntry *secret_entry;
  GtkLabel *error_label;
};

G_DEFINE_FINAL_TYPE (CqvImportSecretDialog, cqv_import_secret_dialog, GTK_TYPE_WINDOW)

enum
{
  FINISHED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* GTK 4.8 names a widget after its accessible label and its labelled-by labels together, and
 * gtk_button_set_label() sets the accessible label to the raw text: a screen reader heard
 * "_Import Import". The button's own mnemonic label names it alone. */
static void
name_button_by_label (GtkButton *button)
{
  gtk_accessible_reset_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL);
}

static void
update_actions (CqvImportSecretDialog *self)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->secret_entry));

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "import.import", !self->busy && *text != '\0');
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "import.skip", !self->busy);
}

static void
show_error (CqvImportSecretDialog *self, const char *message)
{
  gtk_label_set_label (self->error_label, message != NULL ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), message != NULL);
}

static void
finish (CqvImportSecretDialog *self, CqvImportSecretResult result)
{
  if (self->finished)
    return;
  self->finished = TRUE;
  g_signal_emit (self, signals[FINISHED], 0, (int) result);
}

static void
stored_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (CqvImportSecretDialog) self = user_data;
  g_autoptr (GError) error = NULL;

  self->busy = FALSE;
  if (!cqv_secret_store_store_finish (CQV_SECRET_STORE (object), result, &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) || self->finished)
        return;
      show_error (self, error->message);
      update_actions (self);
      return;
    }

  /* The secret is in the keyring: now the tenant. */
  if (!cqv_tenant_store_add (self->tenants, self->tenant, &error))
    {
      show_error (self, error->message);
      update_actions (self);
      return;
    }
  finish (self, CQV_IMPORT_SECRET_IMPORTED);
  gtk_window_destroy (GTK_WINDOW (self));
}

static void
import_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  CqvImportSecretDialog *self = CQV_IMPORT_SECRET_DIALOG (widget);
  const char *value = gtk_editable_get_text (GTK_EDITABLE (self->secret_entry));
  g_autoptr (CqvSecret) secret = NULL;
  g_autofree char *label = NULL;

  if (self->busy || *value == '\0')
    return;

  secret = cqv_secret_new (value, NULL, NULL);
  label = g_strdup_printf (_("CyberQP Verify client secret for “%s”"),
                              cqv_tenant_get_name (self->tenant));
  self->busy = TRUE;
  show_error (self, NULL);
  update_actions (self);
  cqv_secret_store_store_async (self->secrets, cqv_tenant_get_tenant_id (self->tenant),
                                cqv_tenant_get_client_id (self->tenant), CQV_SECRET_KIND_APP, label,
                                secret, self->cancellable, stored_cb, g_object_ref (self));
}

static void
skip_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  CqvImportSecretDialog *self = CQV_IMPORT_SECRET_DIALOG (widget);

  finish (self, CQV_IMPORT_SECRET_SKIPPED);
  gtk_window_destroy (GTK_WINDOW (self));
}

static void
secret_changed_cb (CqvImportSecretDialog *self)
{
  update_actions (self);
}

static gboolean
cqv_import_secret_dialog_close_request (GtkWindow *window)
{
  CqvImportSecretDialog *self = CQV_IMPORT_SECRET_DIALOG (window);

  g_cancellable_cancel (self->cancellable);
  finish (self, CQV_IMPORT_SECRET_STOPPED);

  return GTK_WINDOW_CLASS (cqv_import_secret_dialog_parent_class)->close_request (window);
}

static void
cqv_import_secret_dialog_dispose (GObject *object)
{
  CqvImportSecretDialog *self = CQV_IMPORT_SECRET_DIALOG (object);

  g_cancellable_cancel (self->cancellable);
  /* The typed secret does not outlive the dialog in the entry's buffer. */
  if (self->secret_entry != NULL)
    gtk_editable_set_text (GTK_EDITABLE (self->secret_entry), "");
  gtk_widget_dispose_template (GTK_WIDGET (self), CQV_TYPE_IMPORT_SECRET_DIALOG);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->tenants);
  g_clear_object (&self->secrets);
  g_clear_object (&self->tenant);

  G_OBJECT_CLASS (cqv_import_secret_dialog_parent_class)->dispose (object);
}

static void
cqv_import_secret_dialog_class_init (CqvImportSecretDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->dispose = cqv_import_secret_dialog_dispose;
  window_class->close_request = cqv_import_secret_dialog_close_request;

  /**
   * CqvImportSecretDialog::finished:
   * @result: a CqvImportSecretResult
   *
   * Once: the tenant was imported, skipped, or the import was stopped.
   */
  signals[FINISHED] = g_signal_new ("finished", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                    NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_INT);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_PATH "/cqv-import-secret-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, CqvImportSecretDialog, heading_label);
  gtk_widget_class_bind_template_child (widget_class, CqvImportSecretDialog, description_label);
  gtk_widget_class_bind_template_child (widget_class, CqvImportSecretDialog, stop_button);
  gtk_widget_class_bind_template_child (widget_class, CqvImportSecretDialog, skip_button);
  gtk_widget_class_bind_template_child (widget_class, CqvImportSecretDialog, import_button);
  gtk_widget_class_bind_template_child (widget_class, CqvImportSecretDialog, secret_entry);
  gtk_widget_class_bind_template_child (widget_class, CqvImportSecretDialog, error_label);

  gtk_widget_class_install_action (widget_class, "import.import", NULL, import_action);
  gtk_widget_class_install_action (widget_class, "import.skip", NULL, skip_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
cqv_import_secret_dialog_init (CqvImportSecretDialog *self)
{
  self->cancellable = g_cancellable_new ();
  gtk_widget_init_template (GTK_WIDGET (self));
  name_button_by_label (self->stop_button);
  name_button_by_label (self->skip_button);
  name_button_by_label (self->import_button);
  g_signal_connect_object (self->secret_entry, "changed", G_CALLBACK (secret_changed_cb), self,
                           G_CONNECT_SWAPPED);
  update_actions (self);
}

CqvImportSecretDialog *
cqv_import_secret_dialog_new (GtkWindow *parent,
                              CqvTenantStore *tenants,
                              CqvSecretStore *secrets,
                              CqvTenant *tenant,
                              guint position,
                              guint count)
{
  CqvImportSecretDialog *self;
  g_autofree char *heading = NULL;
  g_autofree char *description = NULL;
  g_autofree char *title = NULL;

  g_return_val_if_fail (parent == NULL || GTK_IS_WINDOW (parent), NULL);
  g_return_val_if_fail (CQV_IS_TENANT_STORE (tenants), NULL);
  g_return_val_if_fail (CQV_IS_SECRET_STORE (secrets), NULL);
  g_return_val_if_fail (CQV_IS_TENANT (tenant), NULL);

  self = g_object_new (CQV_TYPE_IMPORT_SECRET_DIALOG, "transient-for", parent, NULL);
  self->tenants = g_object_ref (tenants);
  self->secrets = g_object_ref (secrets);
  self->tenant = g_object_ref (tenant);
  self->position = position;
  self->count = count;

  /* Translators: the title of the import dialog: "Import Tenants (1 of 3)". */
  title = g_strdup_printf (_("Import Tenants (%u of %u)"), position, count);
  gtk_window_set_title (GTK_WINDOW (self), title);
  /* Translators: %s is the imported tenant's name. */
  heading = g_strdup_printf (_("Client Secret for “%s”"), cqv_tenant_get_name (tenant));
  gtk_label_set_label (self->heading_label, heading);
  /* Translators: %s are the tenant ID and the app's client ID. */
  description =
    g_strdup_printf (_("Tenant %s, app %s. Exported tenant lists never contain "
                                   "secrets: paste this app's client secret. It is kept in the "
                                   "keyring."),
                        cqv_tenant_get_tenant_id (tenant), cqv_tenant_get_client_id (tenant));
  gtk_label_set_label (self->description_label, description);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->secret_entry),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, heading, -1);
  return self;
}

CqvTenant *
cqv_import_secret_dialog_get_tenant (CqvImportSecretDialog *self)
{
  g_return_val_if_fail (CQV_IS_IMPORT_SECRET_DIALOG (self), NULL);

  return self->tenant;
}

GtkEditable *
cqv_import_secret_dialog_get_entry (CqvImportSecretDialog *self)
{
  g_return_val_if_fail (CQV_IS_IMPORT_SECRET_DIALOG (self), NULL);

  return GTK_EDITABLE (self->secret_entry);
}

const char *
cqv_import_secret_dialog_get_error (CqvImportSecretDialog *self)
{
  g_return_val_if_fail (CQV_IS_IMPORT_SECRET_DIALOG (self), NULL);

  return gtk_widget_get_visible (GTK_WIDGET (self->error_label))
           ? gtk_label_get_label (self->error_label)
           : "";
}
