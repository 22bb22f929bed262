/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cqv-remove-tenant-dialog"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "cqv-remove-tenant-dialog.h"

/* Confirmation before a tenant goes: the list entry first (so a missing keyring never keeps a
 * tenant the user wants gone), then its keyring items. Cancel is the default. */

struct _CqvRemoveTenantDialog
{
  GtkWindow parent_instance;

  CqvTenantStore *tenants;
  CqvSecretStore *secrets;
  CqvTenant *tenant;
  gboolean removing;
  gboolean removed;
  gboolean disposed;

  GtkLabel *heading_label;
  GtkLabel *error_label;
  GtkSpinner *spinner;
  GtkButton *cancel_button;
  GtkButton *remove_button;
};

G_DEFINE_FINAL_TYPE (CqvRemoveTenantDialog, cqv_remove_tenant_dialog, GTK_TYPE_WINDOW)

enum
{
  PROP_0,
  PROP_TENANT_STORE,
  PROP_SECRET_STORE,
  PROP_TENANT,
  N_PROPS
};

enum
{
  REMOVED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

/* GTK 4.8 names a widget after its accessible label and its labelled-by labels together, and
 * gtk_button_set_label() sets the accessible label to the raw text: a screen reader heard
 * "_Remove Remove". The button's own mnemonic label names it alone. */
static void
name_button_by_label (GtkButton *button)
{
  gtk_accessible_reset_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL);
}

static void
update_actions (CqvRemoveTenantDialog *self)
{
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "remove-dialog.remove",
                                 !self->removing && !self->removed);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "remove-dialog.cancel", !self->removing);
  gtk_widget_set_visible (GTK_WIDGET (self->spinner), self->removing);
  gtk_spinner_set_spinning (self->spinner, self->removing);
}

static void
show_error (CqvRemoveTenantDialog *self, const char *message)
{
  gtk_label_set_text (self->error_label, message);
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), TRUE);
}

static void
show_clear_failure (CqvRemoveTenantDialog *self, const GError *error)
{
  g_autofree char *message = g_strdup_printf (
    _("The tenant is removed, but its secrets are still in the keyring. %s"), error->message);

  show_error (self, message);
}

/* Is the tenant ID still used by another entry (which then keeps the connector secret)? */
static gboolean
tenant_id_in_use (CqvRemoveTenantDialog *self)
{
  GListModel *list = cqv_tenant_store_get_tenants (self->tenants);
  const char *tenant_id = cqv_tenant_get_tenant_id (self->tenant);

  for (guint i = 0; i < g_list_model_get_n_items (list); i++)
    {
      g_autoptr (CqvTenant) other = g_list_model_get_item (list, i);

      if (g_ascii_strcasecmp (cqv_tenant_get_tenant_id (other), tenant_id) == 0)
        return TRUE;
    }

  return FALSE;
}

static void
clear_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (CqvRemoveTenantDialog) self = user_data;
  g_autoptr (GError) error = NULL;
  gboolean cleared;

  cleared = cqv_secret_store_clear_finish (CQV_SECRET_STORE (object), result, &error);
  if (!cleared)
    g_warning ("Could not clear the keyring items of a removed tenant: %s", error->message);

  self->removing = FALSE;
  g_signal_emit (self, signals[REMOVED], 0, self->tenant);
  if (self->disposed)
    return;

  if (cleared)
    {
      gtk_window_destroy (GTK_WINDOW (self));
      return;
    }

  show_clear_failure (self, error);
  gtk_widget_set_visible (GTK_WIDGET (self->remove_button), FALSE);
  gtk_button_set_label (self->cancel_button, _("_Close"));
  name_button_by_label (self->cancel_button);
  update_actions (self);
}

static void
remove_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  CqvRemoveTenantDialog *self = CQV_REMOVE_TENANT_DIALOG (widget);
  g_autoptr (GError) error = NULL;

  if (self->removing || self->removed)
    return;

  if (!cqv_tenant_store_remove (self->tenants, cqv_tenant_get_name (self->tenant), &error))
    {
      show_error (self, error->message);
      return;
    }

  self->removed = TRUE;
  self->removing = TRUE;
  update_actions (self);

  /* Not cancelled with the dialog: the items must go even if it is closed meanwhile. */
  cqv_secret_store_clear_async (self->secrets, cqv_tenant_get_tenant_id (self->tenant),
                                tenant_id_in_use (self) ? cqv_tenant_get_client_id (self->tenant)
                                                        : NULL,
                                NULL, clear_cb, g_object_ref (self));
}

static void
cancel_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  gtk_window_destroy (GTK_WINDOW (widget));
}

static void
cqv_remove_tenant_dialog_constructed (GObject *object)
{
  CqvRemoveTenantDialog *self = CQV_REMOVE_TENANT_DIALOG (object);
  g_autofree char *heading = NULL;

  G_OBJECT_CLASS (cqv_remove_tenant_dialog_parent_class)->constructed (object);

  g_assert (self->tenants != NULL && self->secrets != NULL && self->tenant != NULL);
  heading = g_strdup_printf (_("Remove “%s”?"), cqv_tenant_get_name (self->tenant));
  gtk_label_set_text (self->heading_label, heading);
  update_actions (self);
  gtk_window_set_focus (GTK_WINDOW (self), GTK_WIDGET (self->cancel_button));
}

static void
cqv_remove_tenant_dialog_dispose (GObject *object)
{
  CqvRemoveTenantDialog *self = CQV_REMOVE_TENANT_DIALOG (object);

  self->disposed = TRUE;
  gtk_widget_dispose_template (GTK_WIDGET (self), CQV_TYPE_REMOVE_TENANT_DIALOG);

  G_OBJECT_CLASS (cqv_remove_tenant_dialog_parent_class)->dispose (object);
}

static void
cqv_remove_tenant_dialog_finalize (GObject *object)
{
  CqvRemoveTenantDialog *self = CQV_REMOVE_TENANT_DIALOG (object);

  g_clear_object (&self->tenants);
  g_clear_object (&self->secrets);
  g_clear_object (&self->tenant);

  G_OBJECT_CLASS (cqv_remove_tenant_dialog_parent_class)->finalize (object);
}

static void
cqv_remove_tenant_dialog_get_property (GObject *object,
                                       guint prop_id,
                                       GValue *value,
                                       GParamSpec *pspec)
{
  CqvRemoveTenantDialog *self = CQV_REMOVE_TENANT_DIALOG (object);

  switch (prop_id)
    {
    case PROP_TENANT_STORE:
      g_value_set_object (value, self->tenants);
      break;
    case PROP_SECRET_STORE:
      g_value_set_object (value, self->secrets);
      break;
    case PROP_TENANT:
      g_value_set_object (value, self->tenant);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cqv_remove_tenant_dialog_set_property (GObject *object,
                                       guint prop_id,
                                       const GValue *value,
                                       GParamSpec *pspec)
{
  CqvRemoveTenantDialog *self = CQV_REMOVE_TENANT_DIALOG (object);

  /* All construct-only. */
  switch (prop_id)
    {
    case PROP_TENANT_STORE:
      self->tenants = g_value_dup_object (value);
      break;
    case PROP_SECRET_STORE:
      self->secrets = g_value_dup_object (value);
      break;
    case PROP_TENANT:
      self->tenant = g_value_dup_object (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cqv_remove_tenant_dialog_class_init (CqvRemoveTenantDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GParamFlags flags =
    G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->constructed = cqv_remove_tenant_dialog_constructed;
  object_class->dispose = cqv_remove_tenant_dialog_dispose;
  object_class->finalize = cqv_remove_tenant_dialog_finalize;
  object_class->get_property = cqv_remove_tenant_dialog_get_property;
  object_class->set_property = cqv_remove_tenant_dialog_set_property;

  properties[PROP_TENANT_STORE] =
    g_param_spec_object ("tenant-store", NULL, NULL, CQV_TYPE_TENANT_STORE, flags);
  properties[PROP_SECRET_STORE] =
    g_param_spec_object ("secret-store", NULL, NULL, CQV_TYPE_SECRET_STORE, flags);
  properties[PROP_TENANT] = g_param_spec_object ("tenant", NULL, NULL, CQV_TYPE_TENANT, flags);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * CqvRemoveTenantDialog::removed:
   * @tenant: the removed tenant
   *
   * The tenant is out of the tenant store and clearing its keyring items has finished
   * (successfully or not).
   */
  signals[REMOVED] = g_signal_new ("removed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL,
                                   NULL, NULL, G_TYPE_NONE, 1, CQV_TYPE_TENANT);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_PATH "/cqv-remove-tenant-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, CqvRemoveTenantDialog, heading_label);
  gtk_widget_class_bind_template_child (widget_class, CqvRemoveTenantDialog, error_label);
  gtk_widget_class_bind_template_child (widget_class, CqvRemoveTenantDialog, spinner);
  gtk_widget_class_bind_template_child (widget_class, CqvRemoveTenantDialog, cancel_button);
  gtk_widget_class_bind_template_child (widget_class, CqvRemoveTenantDialog, remove_button);

  gtk_widget_class_install_action (widget_class, "remove-dialog.remove", NULL, remove_action);
  gtk_widget_class_install_action (widget_class, "remove-dialog.cancel", NULL, cancel_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "remove-dialog.cancel",
                                       NULL);
}

static void
cqv_remove_tenant_dialog_init (CqvRemoveTenantDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  name_button_by_label (self->cancel_button);
  name_button_by_label (self->remove_button);
}

/**
 * cqv_remove_tenant_dialog_new:
 * @parent: (nullable): the window it is modal for
 * @tenants: the store @tenant is in
 * @secrets: where its secrets are
 * @tenant: the tenant to remove
 *
 * Returns: (transfer none): the dialog, not yet shown
 */
CqvRemoveTenantDialog *
cqv_remove_tenant_dialog_new (GtkWindow *parent,
                              CqvTenantStore *tenants,
                              CqvSecretStore *secrets,
                              CqvTenant *tenant)
{
  g_return_val_if_fail (parent == NULL || GTK_IS_WINDOW (parent), NULL);
  g_return_val_if_fail (CQV_IS_TENANT_STORE (tenants), NULL);
  g_return_val_if_fail (CQV_IS_SECRET_STORE (secrets), NULL);
  g_return_val_if_fail (CQV_IS_TENANT (tenant), NULL);

  return g_object_new (CQV_TYPE_REMOVE_TENANT_DIALOG, "transient-for", parent, "tenant-store",
                       tenants, "secret-store", secrets, "tenant", tenant, NULL);
}

CqvTenant *
cqv_remove_tenant_dialog_get_tenant (CqvRemoveTenantDialog *self)
{
  g_return_val_if_fail (CQV_IS_REMOVE_TENANT_DIALOG (self), NULL);

  return self->tenant;
}
