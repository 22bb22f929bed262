/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cqv-simulator"

#include "config.h"

#include "sim-phone.h"

struct _SimPhone
{
  GtkWindow parent_instance;

  SimServer *server;
  GtkStack *stack;
  GtkListBox *list;
};

G_DEFINE_FINAL_TYPE (SimPhone, sim_phone, GTK_TYPE_WINDOW)

static void
set_button (GtkBuilder *builder,
            const char *name,
            const char *answer,
            const char *label,
            SimPushInfo *info)
{
  GtkWidget *button = GTK_WIDGET (gtk_builder_get_object (builder, name));
  g_autofree char *accessible = g_strconcat (label, " ", info->display_name, NULL);

  gtk_actionable_set_action_target (GTK_ACTIONABLE (button), "(ss)", info->id, answer);
  gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  accessible, -1);
}

static GtkWidget *
create_request (SimPushInfo *info)
{
  g_autoptr (GtkBuilder) builder =
    gtk_builder_new_from_resource ("/com/cyberqp/Verify/Simulator/sim-phone-request.ui");
  g_autofree char *account = g_strdup_printf ("%s\n%s", info->display_name, info->upn);
  g_autoptr (GDateTime) local = g_date_time_to_local (info->started_at);
  g_autofree char *time = g_date_time_format (local, "%X");
  g_autofree char *details = g_strdup_printf ("%s · requested at %s", info->tenant_name, time);
  GtkWidget *request = g_object_ref (GTK_WIDGET (gtk_builder_get_object (builder, "request")));

  gtk_label_set_text (GTK_LABEL (gtk_builder_get_object (builder, "account")), account);
  gtk_label_set_text (GTK_LABEL (gtk_builder_get_object (builder, "details")), details);
  set_button (builder, "approve", "approve", "Approve sign-in for", info);
  set_button (builder, "deny", "deny", "Deny sign-in for", info);
  set_button (builder, "fraud", "fraud", "Report fraud for", info);
  return request;
}

static void
refresh (SimPhone *self)
{
  g_autoptr (GPtrArray) pushes = sim_server_list_pending_pushes (self->server);
  GtkWidget *child;
  guint shown = 0;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->list))) != NULL)
    gtk_list_box_remove (self->list, child);
  for (guint i = 0; i < pushes->len; i++)
    {
      SimPushInfo *info = g_ptr_array_index (pushes, i);

      if (!g_str_equal (info->kind, "interactive"))
        continue;
      g_autoptr (GtkWidget) request = create_request (info);

      gtk_list_box_append (self->list, request);
      shown++;
    }
  g_debug ("phone: %u pending, %u shown", pushes->len, shown);
  gtk_stack_set_visible_child_name (self->stack, shown ? "requests" : "empty");
}

static void
answer_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  SimPhone *self = SIM_PHONE (widget);
  g_autoptr (GError) error = NULL;
  const char *id, *answer;

  g_variant_get (parameter, "(&s&s)", &id, &answer);
  if (!sim_server_answer_push (self->server, id, answer, &error))
    g_warning ("cannot answer push %s: %s", id, error->message);
}

static void
sim_phone_dispose (GObject *object)
{
  SimPhone *self = SIM_PHONE (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), SIM_TYPE_PHONE);
  g_clear_object (&self->server);
  G_OBJECT_CLASS (sim_phone_parent_class)->dispose (object);
}

static void
sim_phone_class_init (SimPhoneClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = sim_phone_dispose;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/com/cyberqp/Verify/Simulator/sim-phone.ui");
  gtk_widget_class_bind_template_child (widget_class, SimPhone, stack);
  gtk_widget_class_bind_template_child (widget_class, SimPhone, list);
  gtk_widget_class_install_action (widget_class, "phone.answer", "(ss)", answer_action);
}

static void
sim_phone_init (SimPhone *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

SimPhone *
sim_phone_new (SimServer *server)
{
  SimPhone *self = g_object_new (SIM_TYPE_PHONE, NULL);

  self->server = g_object_ref (server);
  g_signal_connect_object (server, "pushes-changed", G_CALLBACK (refresh), self, G_CONNECT_SWAPPED);
  refresh (self);
  return self;
}
