/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cqv-tenant-row"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "cqv-tenant-row-private.h"

struct _CqvTenantRow
{
  GtkWidget parent_instance;

  CqvTenant *tenant;
  CqvDirectory *directory;
  GError *error;

  char *warning;

  GtkLabel *name_label;
  GtkImage *warning_image;
  GtkMenuButton *menu_button;
  GMenuModel *tenant_menu;
  GtkBox *status_box;
  GtkSpinner *spinner;
  GtkLabel *status_label;
  GtkButton *retry_button;
};

G_DEFINE_FINAL_TYPE (CqvTenantRow, cqv_tenant_row, GTK_TYPE_WIDGET)

enum
{
  PROP_0,
  PROP_TENANT,
  PROP_DIRECTORY,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static char *
format_count (guint n)
{
  /* The locale's digit grouping: "1 998" or "1,998". */
  return g_strdup_printf ("%'u", n);
}

static int
count_with_authenticator (CqvDirectory *directory)
{
  GListModel *users = cqv_directory_get_users (directory);
  guint n = g_list_model_get_n_items (users);
  int count = 0;

  /* Only the registration report knows everyone's state; per-user checks know a few. */
  if (cqv_directory_get_registration_source (directory) != CQV_REGISTRATION_SOURCE_REPORT)
    return -1;

  for (guint i = 0; i < n; i++)
    {
      g_autoptr (CqvUser) user = g_list_model_get_item (users, i);

      if (cqv_user_get_authenticator (user) == CQV_AUTHENTICATOR_REGISTERED)
        count++;
    }
  return count;
}

static char *
first_line (const char *message)
{
  const char *end = strchr (message, '\n');

  return end != NULL ? g_strndup (message, end - message) : g_strdup (message);
}

static void
update (CqvTenantRow *self)
{
  CqvDirectoryState state;
  const GError *error;

  if (self->error != NULL)
    {
      cqv_tenant_row_show_state (self, CQV_DIRECTORY_STATE_ERROR, 0, -1, self->error->message);
      return;
    }
  if (self->directory == NULL)
    {
      cqv_tenant_row_show_state (self, CQV_DIRECTORY_STATE_IDLE, 0, -1, NULL);
      return;
    }

  state = cqv_directory_get_state (self->directory);
  error = cqv_directory_get_error (self->directory);
  /* IDLE with a directory: the tenant was opened and waits for its app secret. */
  if (state == CQV_DIRECTORY_STATE_IDLE)
    state = CQV_DIRECTORY_STATE_LOADING;
  cqv_tenant_row_show_state (
    self, state,
    state == CQV_DIRECTORY_STATE_READY
      ? g_list_model_get_n_items (cqv_directory_get_users (self->directory))
      : cqv_directory_get_loaded_count (self->directory),
    state == CQV_DIRECTORY_STATE_READY ? count_with_authenticator (self->directory) : -1,
    error != NULL ? error->message : _("The users could not be loaded."));
}

static void
update_names (CqvTenantRow *self)
{
  const char *name = self->tenant != NULL ? cqv_tenant_get_name (self->tenant) : "";
  /* Translators: the accessible name of a tenant's Retry button; %s is the tenant. */
  g_autofree char *retry_label = g_strdup_printf (_("Retry Loading %s"), name);
  /* Translators: the accessible name of a tenant's menu button; %s is the tenant. */
  g_autofree char *menu_label = g_strdup_printf (_("Menu of %s"), name);

  gtk_label_set_label (self->name_label, name);
  gtk_actionable_set_action_target_value (GTK_ACTIONABLE (self->retry_button),
                                          g_variant_new_string (name));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->retry_button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, retry_label, -1);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->menu_button), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  menu_label, -1);
}

/* The menu acts on the selected tenant: this row's, before it opens. */
static void
select_tenant (CqvTenantRow *self)
{
  if (self->tenant != NULL)
    gtk_widget_activate_action (GTK_WIDGET (self), "tenant.select", "s",
                                cqv_tenant_get_name (self->tenant));
}

static void
create_popup_cb (GtkMenuButton *button, gpointer user_data)
{
  select_tenant (CQV_TENANT_ROW (user_data));
}

static void
secondary_click_cb (GtkGestureClick *gesture, int n_press, double x, double y, CqvTenantRow *self)
{
  gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_CLAIMED);
  cqv_tenant_row_popup_menu (self);
}

static void
directory_changed_cb (CqvTenantRow *self)
{
  update (self);
}

static void
tenant_name_changed_cb (CqvTenantRow *self)
{
  update_names (self);
}

static void
cqv_tenant_row_dispose (GObject *object)
{
  CqvTenantRow *self = CQV_TENANT_ROW (object);
  GtkWidget *child;

  if (self->directory != NULL)
    g_signal_handlers_disconnect_by_data (self->directory, self);
  if (self->tenant != NULL)
    g_signal_handlers_disconnect_by_data (self->tenant, self);
  g_clear_object (&self->directory);
  g_clear_object (&self->tenant);
  gtk_widget_dispose_template (GTK_WIDGET (self), CQV_TYPE_TENANT_ROW);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);

  G_OBJECT_CLASS (cqv_tenant_row_parent_class)->dispose (object);
}

static void
cqv_tenant_row_finalize (GObject *object)
{
  CqvTenantRow *self = CQV_TENANT_ROW (object);

  g_clear_error (&self->error);
  g_free (self->warning);

  G_OBJECT_CLASS (cqv_tenant_row_parent_class)->finalize (object);
}

static void
cqv_tenant_row_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  CqvTenantRow *self = CQV_TENANT_ROW (object);

  switch (prop_id)
    {
    case PROP_TENANT:
      g_value_set_object (value, self->tenant);
      break;
    case PROP_DIRECTORY:
      g_value_set_object (value, self->directory);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cqv_tenant_row_set_property (GObject *object, guint prop_id, const GValue *value, GParamSpec *pspec)
{
  CqvTenantRow *self = CQV_TENANT_ROW (object);

  switch (prop_id)
    {
    case PROP_TENANT:
      cqv_tenant_row_set_tenant (self, g_value_get_object (value));
      break;
    case PROP_DIRECTORY:
      cqv_tenant_row_set_directory (self, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cqv_tenant_row_class_init (CqvTenantRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = cqv_tenant_row_dispose;
  object_class->finalize = cqv_tenant_row_finalize;
  object_class->get_property = cqv_tenant_row_get_property;
  object_class->set_property = cqv_tenant_row_set_property;

  properties[PROP_TENANT] =
    g_param_spec_object ("tenant", NULL, NULL, CQV_TYPE_TENANT,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_DIRECTORY] =
    g_param_spec_object ("directory", NULL, NULL, CQV_TYPE_DIRECTORY,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PATH "/cqv-tenant-row.ui");
  gtk_widget_class_bind_template_child (widget_class, CqvTenantRow, name_label);
  gtk_widget_class_bind_template_child (widget_class, CqvTenantRow, warning_image);
  gtk_widget_class_bind_template_child (widget_class, CqvTenantRow, menu_button);
  gtk_widget_class_bind_template_child (widget_class, CqvTenantRow, tenant_menu);
  gtk_widget_class_bind_template_child (widget_class, CqvTenantRow, status_box);
  gtk_widget_class_bind_template_child (widget_class, CqvTenantRow, spinner);
  gtk_widget_class_bind_template_child (widget_class, CqvTenantRow, status_label);
  gtk_widget_class_bind_template_child (widget_class, CqvTenantRow, retry_button);

  gtk_widget_class_set_css_name (widget_class, "cqv-tenant-row");
}

static void
cqv_tenant_row_init (CqvTenantRow *self)
{
  GtkGesture *gesture = gtk_gesture_click_new ();

  gtk_widget_init_template (GTK_WIDGET (self));

  gtk_menu_button_set_create_popup_func (self->menu_button, create_popup_cb, self, NULL);
  gtk_gesture_single_set_button (GTK_GESTURE_SINGLE (gesture), GDK_BUTTON_SECONDARY);
  g_signal_connect_object (gesture, "pressed", G_CALLBACK (secondary_click_cb), self, 0);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (gesture));
}

GtkWidget *
cqv_tenant_row_new (void)
{
  return g_object_new (CQV_TYPE_TENANT_ROW, NULL);
}

void
cqv_tenant_row_set_tenant (CqvTenantRow *self, CqvTenant *tenant)
{
  g_return_if_fail (CQV_IS_TENANT_ROW (self));
  g_return_if_fail (tenant == NULL || CQV_IS_TENANT (tenant));

  if (self->tenant == tenant)
    return;

  if (self->tenant != NULL)
    g_signal_handlers_disconnect_by_data (self->tenant, self);
  g_set_object (&self->tenant, tenant);
  if (tenant != NULL)
    g_signal_connect_object (tenant, "notify::name", G_CALLBACK (tenant_name_changed_cb), self,
                             G_CONNECT_SWAPPED);
  update_names (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TENANT]);
}

CqvTenant *
cqv_tenant_row_get_tenant (CqvTenantRow *self)
{
  g_return_val_if_fail (CQV_IS_TENANT_ROW (self), NULL);

  return self->tenant;
}

void
cqv_tenant_row_set_directory (CqvTenantRow *self, CqvDirectory *directory)
{
  static const char *const watched[] = {
    "notify::state",        "notify::loaded-count", "notify::error", "notify::registration-source",
    "registration-applied",
  };

  g_return_if_fail (CQV_IS_TENANT_ROW (self));
  g_return_if_fail (directory == NULL || CQV_IS_DIRECTORY (directory));

  if (self->directory == directory)
    return;

  if (self->directory != NULL)
    g_signal_handlers_disconnect_by_data (self->directory, self);
  g_set_object (&self->directory, directory);
  for (guint i = 0; directory != NULL && i < G_N_ELEMENTS (watched); i++)
    g_signal_connect_object (directory, watched[i], G_CALLBACK (directory_changed_cb), self,
                             G_CONNECT_SWAPPED);
  update (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DIRECTORY]);
}

CqvDirectory *
cqv_tenant_row_get_directory (CqvTenantRow *self)
{
  g_return_val_if_fail (CQV_IS_TENANT_ROW (self), NULL);

  return self->directory;
}

void
cqv_tenant_row_set_error (CqvTenantRow *self, const GError *error)
{
  g_return_if_fail (CQV_IS_TENANT_ROW (self));

  g_clear_error (&self->error);
  if (error != NULL)
    self->error = g_error_copy (error);
  update (self);
}

void
cqv_tenant_row_show_state (CqvTenantRow *self,
                           CqvDirectoryState state,
                           guint users,
                           int with_authenticator,
                           const char *error_message)
{
  g_autofree char *text = NULL;
  g_autofree char *count = format_count (users);
  gboolean is_error = state == CQV_DIRECTORY_STATE_ERROR;

  g_return_if_fail (CQV_IS_TENANT_ROW (self));

  switch (state)
    {
    case CQV_DIRECTORY_STATE_LOADING:
      if (users == 0)
        text = g_strdup (_("Loading users…"));
      else
        /* Translators: %s is a number of users, e.g. "1 998". */
        text = g_strdup_printf (ngettext ("%s user so far", "%s users so far", users), count);
      break;
    case CQV_DIRECTORY_STATE_READY:
      if (with_authenticator >= 0)
        {
          g_autofree char *with = format_count ((guint) with_authenticator);

          /* Translators: "1 998 users · 1 500 with Authenticator". */
          text = g_strdup_printf (
            ngettext ("%s user · %s with Authenticator", "%s users · %s with Authenticator", users),
            count, with);
        }
      else
        text = g_strdup_printf (ngettext ("%s user", "%s users", users), count);
      break;
    case CQV_DIRECTORY_STATE_ERROR:
      text = first_line (error_message != NULL ? error_message : "");
      break;
    case CQV_DIRECTORY_STATE_IDLE:
    default:
      text = g_strdup ("");
      break;
    }

  gtk_label_set_label (self->status_label, text);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->status_label), is_error ? error_message : NULL);
  gtk_widget_set_visible (GTK_WIDGET (self->status_box), text[0] != '\0');
  gtk_widget_set_visible (GTK_WIDGET (self->spinner), state == CQV_DIRECTORY_STATE_LOADING);
  gtk_spinner_set_spinning (self->spinner, state == CQV_DIRECTORY_STATE_LOADING);
  gtk_widget_set_visible (GTK_WIDGET (self->retry_button), is_error);
  if (is_error)
    gtk_widget_add_css_class (GTK_WIDGET (self->status_label), "error");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->status_label), "error");
}

const char *
cqv_tenant_row_get_status_text (CqvTenantRow *self)
{
  g_return_val_if_fail (CQV_IS_TENANT_ROW (self), NULL);

  return gtk_widget_get_visible (GTK_WIDGET (self->status_box))
           ? gtk_label_get_label (self->status_label)
           : "";
}

gboolean
cqv_tenant_row_get_spinning (CqvTenantRow *self)
{
  g_return_val_if_fail (CQV_IS_TENANT_ROW (self), FALSE);

  return gtk_widget_get_visible (GTK_WIDGET (self->spinner)) &&
         gtk_spinner_get_spinning (self->spinner);
}

GtkWidget *
cqv_tenant_row_get_retry_button (CqvTenantRow *self)
{
  g_return_val_if_fail (CQV_IS_TENANT_ROW (self), NULL);

  return GTK_WIDGET (self->retry_button);
}

void
cqv_tenant_row_set_warning (CqvTenantRow *self, const char *warning)
{
  g_return_if_fail (CQV_IS_TENANT_ROW (self));

  if (g_strcmp0 (self->warning, warning) == 0)
    return;

  g_free (self->warning);
  self->warning = g_strdup (warning);
  gtk_widget_set_visible (GTK_WIDGET (self->warning_image), warning != NULL);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->warning_image), warning);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->warning_image),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, warning != NULL ? warning : "",
                                  -1);
}

void
cqv_tenant_row_popup_menu (CqvTenantRow *self)
{
  g_return_if_fail (CQV_IS_TENANT_ROW (self));

  select_tenant (self);
  gtk_menu_button_popup (self->menu_button);
}

const char *
cqv_tenant_row_get_warning (CqvTenantRow *self)
{
  g_return_val_if_fail (CQV_IS_TENANT_ROW (self), NULL);

  return self->warning;
}

GtkMenuButton *
cqv_tenant_row_get_menu_button (CqvTenantRow *self)
{
  g_return_val_if_fail (CQV_IS_TENANT_ROW (self), NULL);

  return self->menu_button;
}

GMenuModel *
cqv_tenant_row_get_menu_model (CqvTenantRow *self)
{
  g_return_val_if_fail (CQV_IS_TENANT_ROW (self), NULL);

  return self->tenant_menu;
}
