/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cqv-check-row"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "cqv-check-row-private.h"

struct _CqvCheckRow
{
  GtkWidget parent_instance;

  CqvCheckItem *item;
  gboolean running;
  const char *status_text;

  GtkStack *status_stack;
  GtkImage *status_icon;
  GtkSpinner *spinner;
  GtkLabel *title_label;
  GtkLabel *detail_label;
  GtkLabel *fix_label;
  GtkButton *url_button;
};

G_DEFINE_FINAL_TYPE (CqvCheckRow, cqv_check_row, GTK_TYPE_WIDGET)

enum
{
  PROP_0,
  PROP_ITEM,
  PROP_RUNNING,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static const char *const status_classes[] = {
  "cqv-check-ok",
  "cqv-check-warning",
  "cqv-check-failed",
  "cqv-check-neutral",
};

static void
set_status_class (CqvCheckRow *self, const char *css_class)
{
  for (guint i = 0; i < G_N_ELEMENTS (status_classes); i++)
    if (g_strcmp0 (status_classes[i], css_class) != 0)
      gtk_widget_remove_css_class (GTK_WIDGET (self), status_classes[i]);
  gtk_widget_add_css_class (GTK_WIDGET (self), css_class);
}

static void
set_label (GtkLabel *label, const char *text)
{
  gtk_label_set_label (label, text != NULL ? text : "");
  gtk_widget_set_visible (GTK_WIDGET (label), text != NULL && *text != '\0');
}

static void
update (CqvCheckRow *self)
{
  CqvCheckStatus status =
    self->item != NULL ? cqv_check_item_get_status (self->item) : CQV_CHECK_STATUS_PENDING;
  gboolean spinning = status == CQV_CHECK_STATUS_PENDING && self->running;
  gboolean problem = status == CQV_CHECK_STATUS_FAILED || status == CQV_CHECK_STATUS_WARNING;
  const char *icon_name;
  const char *css_class;
  const char *fix_url = NULL;
  g_autofree char *row_label = NULL;

  switch (status)
    {
    case CQV_CHECK_STATUS_OK:
      icon_name = "emblem-ok-symbolic";
      css_class = "cqv-check-ok";
      self->status_text = _("Passed");
      break;
    case CQV_CHECK_STATUS_WARNING:
      icon_name = "dialog-warning-symbolic";
      css_class = "cqv-check-warning";
      self->status_text = _("Warning");
      break;
    case CQV_CHECK_STATUS_FAILED:
      icon_name = "process-stop-symbolic";
      css_class = "cqv-check-failed";
      self->status_text = _("Failed");
      break;
    case CQV_CHECK_STATUS_SKIPPED:
      icon_name = "action-unavailable-symbolic";
      css_class = "cqv-check-neutral";
      self->status_text = _("Not checked: an earlier line failed");
      break;
    case CQV_CHECK_STATUS_PENDING:
    default:
      icon_name = "radio-symbolic";
      css_class = "cqv-check-neutral";
      self->status_text = spinning ? _("Checking") : _("Not checked yet");
      break;
    }

  gtk_image_set_from_icon_name (self->status_icon, icon_name);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->status_icon), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  self->status_text, -1);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->status_stack), self->status_text);
  set_status_class (self, css_class);
  gtk_stack_set_visible_child_name (self->status_stack, spinning ? "spinner" : "icon");
  gtk_spinner_set_spinning (self->spinner, spinning);

  gtk_label_set_label (self->title_label,
                       self->item != NULL ? cqv_check_item_get_title (self->item) : "");
  set_label (self->detail_label,
             self->item != NULL && !spinning ? cqv_check_item_get_detail (self->item) : NULL);
  set_label (self->fix_label,
             self->item != NULL && problem ? cqv_check_item_get_fix (self->item) : NULL);

  if (self->item != NULL && problem)
    fix_url = cqv_check_item_get_fix_url (self->item);
  gtk_widget_set_visible (GTK_WIDGET (self->url_button), fix_url != NULL);
  gtk_actionable_set_action_target_value (GTK_ACTIONABLE (self->url_button),
                                          g_variant_new_string (fix_url != NULL ? fix_url : ""));
  if (self->item != NULL)
    {
      /* Translators: the accessible name of the Open in Entra Admin Center button of a line;
       * %s is the line's title. */
      g_autofree char *button_label = g_strdup_printf (_("Open in Entra Admin Center: %s"),
                                                          cqv_check_item_get_title (self->item));

      gtk_accessible_update_property (GTK_ACCESSIBLE (self->url_button),
                                      GTK_ACCESSIBLE_PROPERTY_LABEL, button_label, -1);
      /* Translators: a checklist line read by a screen reader: "title: Passed". */
      row_label =
        g_strdup_printf (_("%s: %s"), cqv_check_item_get_title (self->item), self->status_text);
    }
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  row_label != NULL ? row_label : "", -1);
}

static void
item_changed_cb (CqvCheckRow *self)
{
  update (self);
}

static void
cqv_check_row_dispose (GObject *object)
{
  CqvCheckRow *self = CQV_CHECK_ROW (object);
  GtkWidget *child;

  if (self->item != NULL)
    g_signal_handlers_disconnect_by_data (self->item, self);
  g_clear_object (&self->item);
  gtk_widget_dispose_template (GTK_WIDGET (self), CQV_TYPE_CHECK_ROW);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);

  G_OBJECT_CLASS (cqv_check_row_parent_class)->dispose (object);
}

static void
cqv_check_row_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  CqvCheckRow *self = CQV_CHECK_ROW (object);

  switch (prop_id)
    {
    case PROP_ITEM:
      g_value_set_object (value, self->item);
      break;
    case PROP_RUNNING:
      g_value_set_boolean (value, self->running);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cqv_check_row_set_property (GObject *object, guint prop_id, const GValue *value, GParamSpec *pspec)
{
  CqvCheckRow *self = CQV_CHECK_ROW (object);

  switch (prop_id)
    {
    case PROP_ITEM:
      cqv_check_row_set_item (self, g_value_get_object (value));
      break;
    case PROP_RUNNING:
      cqv_check_row_set_running (self, g_value_get_boolean (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cqv_check_row_class_init (CqvCheckRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = cqv_check_row_dispose;
  object_class->get_property = cqv_check_row_get_property;
  object_class->set_property = cqv_check_row_set_property;

  properties[PROP_ITEM] =
    g_param_spec_object ("item", NULL, NULL, CQV_TYPE_CHECK_ITEM,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_RUNNING] =
    g_param_spec_boolean ("running", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PATH "/cqv-check-row.ui");
  gtk_widget_class_bind_template_child (widget_class, CqvCheckRow, status_stack);
  gtk_widget_class_bind_template_child (widget_class, CqvCheckRow, status_icon);
  gtk_widget_class_bind_template_child (widget_class, CqvCheckRow, spinner);
  gtk_widget_class_bind_template_child (widget_class, CqvCheckRow, title_label);
  gtk_widget_class_bind_template_child (widget_class, CqvCheckRow, detail_label);
  gtk_widget_class_bind_template_child (widget_class, CqvCheckRow, fix_label);
  gtk_widget_class_bind_template_child (widget_class, CqvCheckRow, url_button);

  gtk_widget_class_set_css_name (widget_class, "cqv-check-row");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
}

static void
cqv_check_row_init (CqvCheckRow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  /* Its accessible name (set per line) says more than its mnemonic label; GTK 4.8 would say
   * both. */
  gtk_accessible_reset_relation (GTK_ACCESSIBLE (self->url_button),
                                 GTK_ACCESSIBLE_RELATION_LABELLED_BY);
  update (self);
}

GtkWidget *
cqv_check_row_new (void)
{
  return g_object_new (CQV_TYPE_CHECK_ROW, NULL);
}

void
cqv_check_row_set_item (CqvCheckRow *self, CqvCheckItem *item)
{
  g_return_if_fail (CQV_IS_CHECK_ROW (self));
  g_return_if_fail (item == NULL || CQV_IS_CHECK_ITEM (item));

  if (self->item == item)
    return;

  if (self->item != NULL)
    g_signal_handlers_disconnect_by_data (self->item, self);
  g_set_object (&self->item, item);
  if (item != NULL)
    g_signal_connect_object (item, "notify", G_CALLBACK (item_changed_cb), self, G_CONNECT_SWAPPED);
  update (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ITEM]);
}

CqvCheckItem *
cqv_check_row_get_item (CqvCheckRow *self)
{
  g_return_val_if_fail (CQV_IS_CHECK_ROW (self), NULL);

  return self->item;
}

void
cqv_check_row_set_running (CqvCheckRow *self, gboolean running)
{
  g_return_if_fail (CQV_IS_CHECK_ROW (self));

  running = !!running;
  if (self->running == running)
    return;

  self->running = running;
  update (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RUNNING]);
}

const char *
cqv_check_row_get_status_text (CqvCheckRow *self)
{
  g_return_val_if_fail (CQV_IS_CHECK_ROW (self), NULL);

  return self->status_text;
}

gboolean
cqv_check_row_get_spinning (CqvCheckRow *self)
{
  g_return_val_if_fail (CQV_IS_CHECK_ROW (self), FALSE);

  return gtk_spinner_get_spinning (self->spinner);
}

const char *
cqv_check_row_get_fix_text (CqvCheckRow *self)
{
  g_return_val_if_fail (CQV_IS_CHECK_ROW (self), NULL);

  return gtk_widget_get_visible (GTK_WIDGET (self->fix_label))
           ? gtk_label_get_label (self->fix_label)
           : "";
}

GtkWidget *
cqv_check_row_get_url_button (CqvCheckRow *self)
{
  g_return_val_if_fail (CQV_IS_CHECK_ROW (self), NULL);

  return GTK_WIDGET (self->url_button);
}
