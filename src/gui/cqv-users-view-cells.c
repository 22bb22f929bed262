/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cqv-users-view"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "cqv-users-view-private.h"

/* The cells of CqvUsersView's column view: the closures its expressions call (the first
 * argument is the item or the list item, the last one the closure's data) and the handlers of
 * the gestures and buttons in each cell, which find the view from the cell. */

static const char *
outcome_short_text (CqvOutcomeKind kind)
{
  switch (kind)
    {
    case CQV_OUTCOME_APPROVED:
      return _("Approved");
    case CQV_OUTCOME_DENIED:
      return _("Denied");
    case CQV_OUTCOME_FRAUD_REPORTED:
      return _("Fraud");
    case CQV_OUTCOME_TIMED_OUT:
      return _("No response");
    case CQV_OUTCOME_NOT_DELIVERED:
      return _("Not delivered");
    case CQV_OUTCOME_NOT_ENROLLED:
      return _("Not registered");
    case CQV_OUTCOME_BLOCKED:
      return _("Blocked");
    case CQV_OUTCOME_BUSY:
      return _("Busy");
    case CQV_OUTCOME_THROTTLED:
      return _("Throttled");
    case CQV_OUTCOME_CANCELLED:
      return _("Cancelled");
    case CQV_OUTCOME_ERROR:
      return _("Failed");
    case CQV_OUTCOME_NONE:
    default:
      return "";
    }
}

char *
cqv_users_view_format_when (GDateTime *when)
{
  g_autoptr (GDateTime) local = g_date_time_to_local (when);
  g_autoptr (GDateTime) now = g_date_time_new_now_local ();

  if (g_date_time_get_year (local) != g_date_time_get_year (now))
    /* Translators: the date of a verification in an earlier year (see strftime). */
    return g_date_time_format (local, C_("date, earlier year", "%Y-%m-%d"));
  if (g_date_time_get_day_of_year (local) != g_date_time_get_day_of_year (now))
    /* Translators: the date and time of a verification earlier this year (see strftime). */
    return g_date_time_format (local, C_("date this year", "%b %e, %H:%M"));
  /* Translators: the time of a verification made today (see strftime). */
  return g_date_time_format (local, C_("time today", "%H:%M"));
}

static char **
enabled_css_classes (gpointer this, gboolean enabled, gpointer data)
{
  GStrvBuilder *builder = g_strv_builder_new ();
  char **classes;

  if (!enabled)
    g_strv_builder_add (builder, "cqv-user-disabled");
  classes = g_strv_builder_end (builder);
  g_strv_builder_unref (builder);
  return classes;
}

static gboolean
invert_boolean (gpointer this, gboolean value, gpointer data)
{
  return !value;
}

static char *
disabled_tag_text (gpointer this, gboolean enabled, gpointer data)
{
  return g_strdup (_("Disabled"));
}

static char *
guest_tag_text (gpointer this, CqvUserType user_type, gpointer data)
{
  return g_strdup (cqv_user_type_to_string (CQV_USER_TYPE_GUEST));
}

static gboolean
is_guest (gpointer this, CqvUserType user_type, gpointer data)
{
  return user_type == CQV_USER_TYPE_GUEST;
}

static char *
job_department_text (gpointer this, const char *job_title, const char *department, gpointer data)
{
  gboolean has_job = job_title != NULL && job_title[0] != '\0';
  gboolean has_department = department != NULL && department[0] != '\0';

  if (has_job && has_department)
    return g_strdup_printf ("%s · %s", job_title, department);
  if (has_job)
    return g_strdup (job_title);
  if (has_department)
    return g_strdup (department);
  return g_strdup ("");
}

static char *
source_text (gpointer this, CqvUserType user_type, CqvUserSource source, gpointer data)
{
  if (user_type == CQV_USER_TYPE_GUEST)
    return g_strdup (cqv_user_type_to_string (user_type));
  return g_strdup (cqv_user_source_to_string (source));
}

static char **
source_css_classes (gpointer this, CqvUserType user_type, gboolean enabled, gpointer data)
{
  GStrvBuilder *builder = g_strv_builder_new ();
  char **classes;

  if (user_type == CQV_USER_TYPE_GUEST)
    {
      g_strv_builder_add (builder, "cqv-tag");
      g_strv_builder_add (builder, "cqv-guest");
    }
  if (!enabled)
    g_strv_builder_add (builder, "cqv-user-disabled");
  classes = g_strv_builder_end (builder);
  g_strv_builder_unref (builder);
  return classes;
}

static char *
authenticator_text (gpointer this, CqvAuthenticatorState state, gpointer data)
{
  return g_strdup (cqv_authenticator_state_to_string (state));
}

static char **
authenticator_css_classes (gpointer this, CqvAuthenticatorState state, gpointer data)
{
  GStrvBuilder *builder = g_strv_builder_new ();
  char **classes;

  if (state == CQV_AUTHENTICATOR_NOT_REGISTERED)
    g_strv_builder_add (builder, "cqv-not-registered");
  else if (state != CQV_AUTHENTICATOR_REGISTERED)
    g_strv_builder_add (builder, "dim-label");
  classes = g_strv_builder_end (builder);
  g_strv_builder_unref (builder);
  return classes;
}

static guint
authenticator_rank (gpointer this, CqvAuthenticatorState state, gpointer data)
{
  switch (state)
    {
    case CQV_AUTHENTICATOR_REGISTERED:
      return 0;
    case CQV_AUTHENTICATOR_NOT_REGISTERED:
      return 1;
    case CQV_AUTHENTICATOR_CHECKING:
      return 2;
    case CQV_AUTHENTICATOR_UNKNOWN:
    default:
      return 3;
    }
}

static char *
outcome_icon_name (gpointer this, CqvOutcomeKind kind, gpointer data)
{
  switch (kind)
    {
    case CQV_OUTCOME_NONE:
      return NULL;
    case CQV_OUTCOME_APPROVED:
      return g_strdup ("emblem-ok-symbolic");
    case CQV_OUTCOME_DENIED:
      return g_strdup ("action-unavailable-symbolic");
    case CQV_OUTCOME_FRAUD_REPORTED:
      return g_strdup ("dialog-warning-symbolic");
    case CQV_OUTCOME_TIMED_OUT:
      return g_strdup ("alarm-symbolic");
    case CQV_OUTCOME_CANCELLED:
      return g_strdup ("process-stop-symbolic");
    default:
      return g_strdup ("dialog-error-symbolic");
    }
}

static char **
outcome_css_classes (gpointer this, CqvOutcomeKind kind, gpointer data)
{
  GStrvBuilder *builder = g_strv_builder_new ();
  char **classes;

  /* Never green unless approved. */
  if (kind == CQV_OUTCOME_APPROVED)
    g_strv_builder_add (builder, "cqv-outcome-approved");
  else if (kind == CQV_OUTCOME_DENIED || kind == CQV_OUTCOME_FRAUD_REPORTED)
    g_strv_builder_add (builder, "cqv-outcome-refused");
  else if (kind != CQV_OUTCOME_NONE)
    g_strv_builder_add (builder, "cqv-outcome-other");
  classes = g_strv_builder_end (builder);
  g_strv_builder_unref (builder);
  return classes;
}

static char *
last_verification_text (gpointer this, CqvOutcomeKind kind, GDateTime *when, gpointer data)
{
  g_autofree char *time = NULL;

  if (kind == CQV_OUTCOME_NONE || when == NULL)
    return g_strdup ("");
  time = cqv_users_view_format_when (when);
  return g_strdup_printf ("%s · %s", outcome_short_text (kind), time);
}

static char *
last_verification_tooltip (gpointer this, CqvOutcomeKind kind, GDateTime *when, gpointer data)
{
  g_autoptr (GDateTime) local = NULL;
  g_autofree char *time = NULL;

  if (kind == CQV_OUTCOME_NONE || when == NULL)
    return NULL;
  local = g_date_time_to_local (when);
  /* Translators: the full date and time of the last verification (see strftime). */
  time = g_date_time_format (local, C_("full date and time", "%c"));
  return g_strdup_printf ("%s — %s", cqv_outcome_kind_get_title (kind), time);
}

static gint64
last_verified_sort_key (gpointer this, GDateTime *when, gpointer data)
{
  return when != NULL ? g_date_time_to_unix (when) : 0;
}

static void
popup_at_list_item (GtkListItem *item, GtkWidget *widget, double x, double y)
{
  GtkWidget *view = gtk_widget_get_ancestor (widget, CQV_TYPE_USERS_VIEW);
  guint position = gtk_list_item_get_position (item);

  if (view == NULL || position == GTK_INVALID_LIST_POSITION)
    return;
  cqv_users_view_popup_row_menu (CQV_USERS_VIEW (view), position, widget, x, y);
}

static void
cell_secondary_pressed_cb (GtkGestureClick *gesture,
                           int n_press,
                           double x,
                           double y,
                           GtkListItem *item)
{
  GtkWidget *widget = gtk_event_controller_get_widget (GTK_EVENT_CONTROLLER (gesture));

  g_return_if_fail (GTK_IS_LIST_ITEM (item));

  gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_CLAIMED);
  popup_at_list_item (item, widget, x, y);
}

static void
cell_long_pressed_cb (GtkGestureLongPress *gesture, double x, double y, GtkListItem *item)
{
  GtkWidget *widget = gtk_event_controller_get_widget (GTK_EVENT_CONTROLLER (gesture));

  g_return_if_fail (GTK_IS_LIST_ITEM (item));

  popup_at_list_item (item, widget, x, y);
}

static void
row_menu_button_clicked_cb (GtkButton *button, GtkListItem *item)
{
  GtkWidget *widget = GTK_WIDGET (button);

  g_return_if_fail (GTK_IS_LIST_ITEM (item));

  popup_at_list_item (item, widget, gtk_widget_get_width (widget) / 2.0,
                      gtk_widget_get_height (widget));
}

static void
actions_item_changed_cb (GtkListItem *item, GParamSpec *pspec, gpointer data)
{
  GtkWidget *button = gtk_list_item_get_child (item);
  CqvUser *user = gtk_list_item_get_item (item);
  g_autofree char *label = NULL;

  if (button == NULL)
    return;
  if (user != NULL)
    /* Translators: the accessible name of the ⋮ button of a user's row. */
    label = g_strdup_printf (_("Actions for %s"), cqv_user_get_display_name (user));
  gtk_widget_set_tooltip_text (button, _("Row Actions"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  label != NULL ? label : _("Row Actions"), -1);
}

static void
check_list_item (GtkListItem *item)
{
  GtkWidget *child = gtk_list_item_get_child (item);
  GtkWidget *view = child != NULL ? gtk_widget_get_ancestor (child, CQV_TYPE_USERS_VIEW) : NULL;

  if (view != NULL)
    cqv_users_view_queue_check (CQV_USERS_VIEW (view), gtk_list_item_get_item (item));
}

static void
bound_user_authenticator_cb (CqvUser *user, GParamSpec *pspec, GtkListItem *item)
{
  check_list_item (item);
}

/* A row on screen: ask about its user when its state is or becomes unknown (the directory
 * resets the states to unknown at the end of a load that found no registration report). */
static void
authenticator_item_changed_cb (GtkListItem *item, GParamSpec *pspec, gpointer data)
{
  CqvUser *watched = g_object_get_data (G_OBJECT (item), "cqv-watched-user");
  CqvUser *user = gtk_list_item_get_item (item);

  if (watched == user)
    return;
  if (watched != NULL)
    g_signal_handlers_disconnect_by_func (watched, bound_user_authenticator_cb, item);
  g_object_set_data_full (G_OBJECT (item), "cqv-watched-user",
                          user != NULL ? g_object_ref (user) : NULL, g_object_unref);
  if (user != NULL)
    g_signal_connect_object (user, "notify::authenticator",
                             G_CALLBACK (bound_user_authenticator_cb), item, 0);
  check_list_item (item);
}

void
cqv_users_view_class_bind_cells (GtkWidgetClass *widget_class)
{
  gtk_widget_class_bind_template_callback (widget_class, cell_secondary_pressed_cb);
  gtk_widget_class_bind_template_callback (widget_class, cell_long_pressed_cb);
  gtk_widget_class_bind_template_callback (widget_class, row_menu_button_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, actions_item_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, authenticator_item_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, enabled_css_classes);
  gtk_widget_class_bind_template_callback (widget_class, invert_boolean);
  gtk_widget_class_bind_template_callback (widget_class, disabled_tag_text);
  gtk_widget_class_bind_template_callback (widget_class, guest_tag_text);
  gtk_widget_class_bind_template_callback (widget_class, is_guest);
  gtk_widget_class_bind_template_callback (widget_class, job_department_text);
  gtk_widget_class_bind_template_callback (widget_class, source_text);
  gtk_widget_class_bind_template_callback (widget_class, source_css_classes);
  gtk_widget_class_bind_template_callback (widget_class, authenticator_text);
  gtk_widget_class_bind_template_callback (widget_class, authenticator_css_classes);
  gtk_widget_class_bind_template_callback (widget_class, authenticator_rank);
  gtk_widget_class_bind_template_callback (widget_class, outcome_icon_name);
  gtk_widget_class_bind_template_callback (widget_class, outcome_css_classes);
  gtk_widget_class_bind_template_callback (widget_class, last_verification_text);
  gtk_widget_class_bind_template_callback (widget_class, last_verification_tooltip);
  gtk_widget_class_bind_template_callback (widget_class, last_verified_sort_key);
}
