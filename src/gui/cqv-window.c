/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cqv-window"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "cqv-tenant.h"
#include "cqv-window.h"

struct _CqvWindow
{
  GtkApplicationWindow parent_instance;

  GSettings *settings;
  GListModel *tenants;

  GtkSearchEntry *search_entry;
  GtkMenuButton *primary_menu_button;
  GtkRevealer *banner_revealer;
  GtkLabel *banner_label;
  GtkStack *sidebar_stack;
  GtkSingleSelection *tenant_selection;
  GtkStack *content_stack;
  GtkButton *empty_add_button;
  GtkLabel *tenant_title;
  GtkLabel *tenant_description;
};

G_DEFINE_FINAL_TYPE (CqvWindow, cqv_window, GTK_TYPE_APPLICATION_WINDOW)

static void
update_content (CqvWindow *self)
{
  guint n_tenants = self->tenants != NULL ? g_list_model_get_n_items (self->tenants) : 0;
  CqvTenant *tenant = gtk_single_selection_get_selected_item (self->tenant_selection);

  gtk_stack_set_visible_child_name (self->sidebar_stack, n_tenants > 0 ? "list" : "empty");

  if (n_tenants == 0 || tenant == NULL)
    {
      gtk_stack_set_visible_child_name (self->content_stack, "empty");
      return;
    }

  gtk_label_set_label (self->tenant_title, cqv_tenant_get_name (tenant));
  gtk_label_set_label (self->tenant_description,
                       _("The users of this tenant will be listed here in a coming version. "
                         "Meanwhile, use “cyberqp-verify users” on the command line."));
  gtk_stack_set_visible_child_name (self->content_stack, "tenant");
}

static void
restore_selection (CqvWindow *self)
{
  g_autofree char *last = g_settings_get_string (self->settings, "last-tenant");
  guint n = g_list_model_get_n_items (self->tenants);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr (CqvTenant) tenant = g_list_model_get_item (self->tenants, i);

      if (g_strcmp0 (cqv_tenant_get_name (tenant), last) == 0)
        {
          gtk_single_selection_set_selected (self->tenant_selection, i);
          break;
        }
    }
}

static void
tenants_changed_cb (CqvWindow *self, guint position, guint removed, guint added, GListModel *model)
{
  if (removed == 0 && added > 0 && position == 0 && added == g_list_model_get_n_items (model))
    restore_selection (self);
  update_content (self);
}

static void
selected_tenant_changed_cb (CqvWindow *self, GParamSpec *pspec, GtkSingleSelection *selection)
{
  CqvTenant *tenant = gtk_single_selection_get_selected_item (selection);

  if (tenant != NULL)
    g_settings_set_string (self->settings, "last-tenant", cqv_tenant_get_name (tenant));
  update_content (self);
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
add_tenant_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  CqvWindow *self = CQV_WINDOW (widget);

  /* Honest until the Add Tenant dialog exists: say how to do it today. */
  cqv_window_show_banner (self,
                          _("Adding tenants in the window is not available yet. Use the command "
                            "line: cyberqp-verify tenant add NAME --tenant-id ID --client-id ID"));
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

static void
cqv_window_constructed (GObject *object)
{
  CqvWindow *self = CQV_WINDOW (object);
  GtkApplication *app = gtk_window_get_application (GTK_WINDOW (self));

  G_OBJECT_CLASS (cqv_window_parent_class)->constructed (object);

  if (CQV_IS_APPLICATION (app))
    self->tenants = g_object_ref (cqv_application_get_tenants (CQV_APPLICATION (app)));
  else
    self->tenants = G_LIST_MODEL (g_list_store_new (CQV_TYPE_TENANT));

  gtk_single_selection_set_model (self->tenant_selection, self->tenants);
  g_signal_connect_object (self->tenants, "items-changed", G_CALLBACK (tenants_changed_cb), self,
                           G_CONNECT_SWAPPED);
  restore_selection (self);
  update_content (self);
}

static void
cqv_window_dispose (GObject *object)
{
  CqvWindow *self = CQV_WINDOW (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), CQV_TYPE_WINDOW);
  g_clear_object (&self->tenants);
  g_clear_object (&self->settings);

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

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PATH "/cqv-window.ui");
  gtk_widget_class_bind_template_child (widget_class, CqvWindow, search_entry);
  gtk_widget_class_bind_template_child (widget_class, CqvWindow, primary_menu_button);
  gtk_widget_class_bind_template_child (widget_class, CqvWindow, banner_revealer);
  gtk_widget_class_bind_template_child (widget_class, CqvWindow, banner_label);
  gtk_widget_class_bind_template_child (widget_class, CqvWindow, sidebar_stack);
  gtk_widget_class_bind_template_child (widget_class, CqvWindow, tenant_selection);
  gtk_widget_class_bind_template_child (widget_class, CqvWindow, content_stack);
  gtk_widget_class_bind_template_child (widget_class, CqvWindow, empty_add_button);
  gtk_widget_class_bind_template_child (widget_class, CqvWindow, tenant_title);
  gtk_widget_class_bind_template_child (widget_class, CqvWindow, tenant_description);

  gtk_widget_class_install_action (widget_class, "win.search", NULL, search_action);
  gtk_widget_class_install_action (widget_class, "win.add-tenant", NULL, add_tenant_action);
  gtk_widget_class_install_action (widget_class, "win.dismiss-banner", NULL, dismiss_banner_action);
  gtk_widget_class_install_action (widget_class, "win.show-primary-menu", NULL,
                                   show_primary_menu_action);
}

static void
cqv_window_init (CqvWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

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
