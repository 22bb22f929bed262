/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cqv-users-view"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "cqv-users-view-private.h"

/* The cells of CqvUsersView's column view (built in code, see setup_cb), the handlers of the
 * gestures and buttons in them, which find the view from the cell, and the columns' sorters:
 * the closures the sorters' expressions call (the first argument is the item, the last one the
 * closure's data) and the sorters of the name and user principal name columns. */

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
    /* Translators: the date and time of a verification earlier this year (see strftime; "%-e" is
     * the day without padding). */
    /* xgettext:no-c-format */
    return g_date_time_format (local, C_("date this year", "%b %-e, %H:%M"));
  /* Translators: the time of a verification made today (see strftime). */
  return g_date_time_format (local, C_("time today", "%H:%M"));
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

static gint64
last_verified_sort_key (gpointer this, GDateTime *when, gpointer data)
{
  return when != NULL ? g_date_time_to_unix (when) : 0;
}

/* The widgets of one cell, kept on the cell's child widget (see setup_cb). */
typedef struct
{
  CqvUsersViewCell kind;
  GtkListItem *item; /* unowned; NULL while the child waits in the pool for a new row */
  CqvSlot *slot;     /* the bound row (see cqv-slot-model.h), watched through slot_handler */
  gulong slot_handler;
  CqvUser *user; /* the slot's user, watched through notify_handler */
  gulong notify_handler;
  gboolean stale;    /* the slot shows another user now: see slot_item_changed_cb() */
  GtkWidget *widget; /* unowned: the cell is kept on it */
  GtkWidget *label;
  GtkWidget *disabled_tag;
  GtkWidget *guest_tag;
  GtkWidget *image;
} Cell;

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
cell_secondary_pressed_cb (GtkGestureClick *gesture, int n_press, double x, double y, Cell *cell)
{
  GtkWidget *widget = gtk_event_controller_get_widget (GTK_EVENT_CONTROLLER (gesture));
  GtkListItem *item = cell->item;

  g_return_if_fail (GTK_IS_LIST_ITEM (item));

  gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_CLAIMED);
  popup_at_list_item (item, widget, x, y);
}

static void
cell_long_pressed_cb (GtkGestureLongPress *gesture, double x, double y, Cell *cell)
{
  GtkWidget *widget = gtk_event_controller_get_widget (GTK_EVENT_CONTROLLER (gesture));
  GtkListItem *item = cell->item;

  g_return_if_fail (GTK_IS_LIST_ITEM (item));

  popup_at_list_item (item, widget, x, y);
}

static void
row_menu_button_clicked_cb (GtkButton *button, Cell *cell)
{
  GtkWidget *widget = GTK_WIDGET (button);
  GtkListItem *item = cell->item;

  g_return_if_fail (GTK_IS_LIST_ITEM (item));

  popup_at_list_item (item, widget, gtk_widget_get_width (widget) / 2.0,
                      gtk_widget_get_height (widget));
}

static void
check_user (GtkListItem *item, CqvUser *user)
{
  GtkWidget *child = gtk_list_item_get_child (item);
  GtkWidget *view = child != NULL ? gtk_widget_get_ancestor (child, CQV_TYPE_USERS_VIEW) : NULL;

  if (view != NULL)
    cqv_users_view_queue_check (CQV_USERS_VIEW (view), user);
}

/* The cells are built in code, not from GtkBuilder templates: with 100 000 rows, GTK 4.8
 * creates new row widgets whenever the rows on screen change (a page of users sorted in above
 * them, a search keystroke), and a templated row of expressions costs tens of milliseconds.
 * Here setup builds plain widgets once, bind sets their text and watches the one user bound
 * (for Authenticator states, verifications and edits), unbind stops watching. */

static GQuark
cell_quark (void)
{
  static GQuark quark;

  if (quark == 0)
    quark = g_quark_from_static_string ("cqv-users-view-cell");
  return quark;
}

static void
set_css_class (GtkWidget *widget, const char *name, gboolean on)
{
  if (on == gtk_widget_has_css_class (widget, name))
    return;
  if (on)
    gtk_widget_add_css_class (widget, name);
  else
    gtk_widget_remove_css_class (widget, name);
}

/* The cells' text is in inscriptions (see new_text). */
static void
set_text (GtkWidget *widget, const char *text)
{
  GtkInscription *inscription = GTK_INSCRIPTION (widget);

  if (text == NULL)
    text = "";
  if (g_strcmp0 (gtk_inscription_get_text (inscription), text) != 0)
    gtk_inscription_set_text (inscription, text);
}

static const char *
outcome_icon_name (CqvOutcomeKind kind)
{
  switch (kind)
    {
    case CQV_OUTCOME_NONE:
      return NULL;
    case CQV_OUTCOME_APPROVED:
      return "emblem-ok-symbolic";
    case CQV_OUTCOME_DENIED:
      return "action-unavailable-symbolic";
    case CQV_OUTCOME_FRAUD_REPORTED:
      return "dialog-warning-symbolic";
    case CQV_OUTCOME_TIMED_OUT:
      return "alarm-symbolic";
    case CQV_OUTCOME_CANCELLED:
      return "process-stop-symbolic";
    default:
      return "dialog-error-symbolic";
    }
}

/* "Approved — <full date and time>", or NULL before the first verification. */
static char *
last_verification_details (CqvUser *user)
{
  CqvOutcomeKind kind = cqv_user_get_last_outcome (user);
  GDateTime *when = cqv_user_get_last_verified (user);
  g_autoptr (GDateTime) local = NULL;
  g_autofree char *full = NULL;

  if (kind == CQV_OUTCOME_NONE || when == NULL)
    return NULL;
  local = g_date_time_to_local (when);
  /* Translators: the full date and time of the last verification (see strftime). */
  /* xgettext:no-c-format */
  full = g_date_time_format (local, C_("full date and time", "%c"));
  return g_strdup_printf ("%s — %s", cqv_outcome_kind_get_title (kind), full);
}

/* Tooltips are made when asked for: in GTK 4.8 setting one asks the X server where the pointer
 * is, a round trip for every row built or bound. */
static gboolean
last_verification_query_tooltip_cb (GtkWidget *widget,
                                    int x,
                                    int y,
                                    gboolean keyboard,
                                    GtkTooltip *tooltip,
                                    Cell *cell)
{
  g_autofree char *details = cell->user != NULL ? last_verification_details (cell->user) : NULL;

  if (details == NULL)
    return FALSE;
  gtk_tooltip_set_text (tooltip, details);
  return TRUE;
}

static gboolean
row_actions_query_tooltip_cb (GtkWidget *widget,
                              int x,
                              int y,
                              gboolean keyboard,
                              GtkTooltip *tooltip,
                              gpointer data)
{
  gtk_tooltip_set_text (tooltip, _("Row Actions"));
  return TRUE;
}

static void
update_last_verification (Cell *cell, CqvUser *user)
{
  CqvOutcomeKind kind = cqv_user_get_last_outcome (user);
  GDateTime *when = cqv_user_get_last_verified (user);
  g_autofree char *text = NULL;
  g_autofree char *details = last_verification_details (user);

  if (details != NULL)
    {
      g_autofree char *time = cqv_users_view_format_when (when);

      text = g_strdup_printf ("%s · %s", outcome_short_text (kind), time);
    }
  set_text (cell->label, text);
  /* What the tooltip shows, for screen readers too. */
  if (details != NULL)
    gtk_accessible_update_property (GTK_ACCESSIBLE (cell->label),
                                    GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, details, -1);
  else
    gtk_accessible_reset_property (GTK_ACCESSIBLE (cell->label),
                                   GTK_ACCESSIBLE_PROPERTY_DESCRIPTION);

  gtk_image_set_from_icon_name (GTK_IMAGE (cell->image), outcome_icon_name (kind));
  /* Never green unless approved. */
  set_css_class (cell->image, "cqv-outcome-approved", kind == CQV_OUTCOME_APPROVED);
  set_css_class (cell->image, "cqv-outcome-refused",
                 kind == CQV_OUTCOME_DENIED || kind == CQV_OUTCOME_FRAUD_REPORTED);
  set_css_class (cell->image, "cqv-outcome-other",
                 kind != CQV_OUTCOME_NONE && kind != CQV_OUTCOME_APPROVED &&
                   kind != CQV_OUTCOME_DENIED && kind != CQV_OUTCOME_FRAUD_REPORTED);
}

/* Shows or hides the tag at *@tag ("Disabled", "Guest"). Tags are rare: one is made when first
 * shown, next to @after in @after's box. */
static void
show_tag (GtkWidget **tag,
          const char *text,
          const char *css_class,
          GtkWidget *after,
          gboolean shown)
{
  if (shown && *tag == NULL)
    {
      *tag = gtk_label_new (text);
      gtk_widget_set_valign (*tag, GTK_ALIGN_CENTER);
      gtk_widget_add_css_class (*tag, "cqv-tag");
      if (css_class != NULL)
        gtk_widget_add_css_class (*tag, css_class);
      gtk_box_insert_child_after (GTK_BOX (gtk_widget_get_parent (after)), *tag, after);
    }
  if (*tag != NULL)
    gtk_widget_set_visible (*tag, shown);
}

static void
update_cell (Cell *cell)
{
  CqvUser *user = cell->user;
  gboolean enabled;
  gboolean guest;

  if (user == NULL)
    return;
  enabled = cqv_user_get_enabled (user);
  guest = cqv_user_get_user_type (user) == CQV_USER_TYPE_GUEST;

  switch (cell->kind)
    {
    case CQV_USERS_VIEW_CELL_NAME:
      set_text (cell->label, cqv_user_get_display_name (user));
      set_css_class (cell->label, "cqv-user-disabled", !enabled);
      show_tag (&cell->disabled_tag, _("Disabled"), NULL, cell->label, !enabled);
      show_tag (&cell->guest_tag, cqv_user_type_to_string (CQV_USER_TYPE_GUEST), "cqv-guest",
                cell->disabled_tag != NULL ? cell->disabled_tag : cell->label, guest);
      break;
    case CQV_USERS_VIEW_CELL_UPN:
      set_text (cell->label, cqv_user_get_upn (user));
      set_css_class (cell->label, "cqv-user-disabled", !enabled);
      break;
    case CQV_USERS_VIEW_CELL_JOB:
      {
        g_autofree char *text = job_department_text (NULL, cqv_user_get_job_title (user),
                                                     cqv_user_get_department (user), NULL);

        set_text (cell->label, text);
        set_css_class (cell->label, "cqv-user-disabled", !enabled);
      }
      break;
    case CQV_USERS_VIEW_CELL_SOURCE:
      /* Guests get a tag, the others their source as text. */
      show_tag (&cell->guest_tag, cqv_user_type_to_string (CQV_USER_TYPE_GUEST), "cqv-guest",
                cell->label, guest);
      gtk_widget_set_visible (cell->label, !guest);
      set_text (cell->label, guest ? "" : cqv_user_source_to_string (cqv_user_get_source (user)));
      set_css_class (cell->label, "cqv-user-disabled", !enabled);
      break;
    case CQV_USERS_VIEW_CELL_AUTHENTICATOR:
      {
        CqvAuthenticatorState state = cqv_user_get_authenticator (user);

        set_text (cell->label, cqv_authenticator_state_to_string (state));
        set_css_class (cell->label, "cqv-not-registered",
                       state == CQV_AUTHENTICATOR_NOT_REGISTERED);
        set_css_class (cell->label, "dim-label",
                       state != CQV_AUTHENTICATOR_NOT_REGISTERED &&
                         state != CQV_AUTHENTICATOR_REGISTERED);
      }
      break;
    case CQV_USERS_VIEW_CELL_LAST_VERIFICATION:
      update_last_verification (cell, user);
      break;
    case CQV_USERS_VIEW_CELL_ACTIONS:
      {
        /* Translators: the accessible name of the ⋮ button of a user's row. */
        g_autofree char *label =
          g_strdup_printf (_("Actions for %s"), cqv_user_get_display_name (user));

        gtk_accessible_update_property (GTK_ACCESSIBLE (gtk_list_item_get_child (cell->item)),
                                        GTK_ACCESSIBLE_PROPERTY_LABEL, label, -1);
      }
      break;
    default:
      g_assert_not_reached ();
    }
}

static void
user_notify_cb (CqvUser *user, GParamSpec *pspec, Cell *cell)
{
  update_cell (cell);
  /* A row on screen asks about its user when its state is or becomes unknown (the directory
   * resets the states to unknown at the end of a load that found no registration report). */
  if (cell->kind == CQV_USERS_VIEW_CELL_AUTHENTICATOR &&
      g_strcmp0 (pspec->name, "authenticator") == 0)
    check_user (cell->item, cell->user);
}

static void
add_gestures (GtkWidget *widget, Cell *cell)
{
  GtkGesture *click = gtk_gesture_click_new ();
  GtkGesture *long_press = gtk_gesture_long_press_new ();

  gtk_gesture_single_set_button (GTK_GESTURE_SINGLE (click), GDK_BUTTON_SECONDARY);
  g_signal_connect (click, "pressed", G_CALLBACK (cell_secondary_pressed_cb), cell);
  gtk_widget_add_controller (widget, GTK_EVENT_CONTROLLER (click));

  gtk_gesture_single_set_touch_only (GTK_GESTURE_SINGLE (long_press), TRUE);
  g_signal_connect (long_press, "pressed", G_CALLBACK (cell_long_pressed_cb), cell);
  gtk_widget_add_controller (widget, GTK_EVENT_CONTROLLER (long_press));
}

/* The cells show text in a GtkInscription: its size does not depend on its text, so a row
 * that shows another user (see cqv-slot-model.h) only redraws, where a label would make the
 * column view measure its ~200 rows again on every keystroke. */
static GtkWidget *
new_text (guint min_chars, guint nat_chars)
{
  GtkWidget *text = gtk_inscription_new (NULL);

  gtk_inscription_set_min_chars (GTK_INSCRIPTION (text), min_chars);
  gtk_inscription_set_nat_chars (GTK_INSCRIPTION (text), nat_chars);
  gtk_inscription_set_xalign (GTK_INSCRIPTION (text), 0);
  gtk_inscription_set_text_overflow (GTK_INSCRIPTION (text),
                                     GTK_INSCRIPTION_OVERFLOW_ELLIPSIZE_END);
  /* GTK 4.8 draws ellipsized text at the top of an inscription: one line high, centred. */
  gtk_widget_set_valign (text, GTK_ALIGN_CENTER);
  return text;
}

/* A row past the end of a list that shrinks a few rows at a time (see cqv-slot-model.c) has no
 * user: its cells show nothing, take no clicks and are hidden from assistive technology. By
 * opacity, which only redraws. */
static void
show_cell (Cell *cell, gboolean shown)
{
  if ((gtk_widget_get_opacity (cell->widget) > 0) == shown)
    return;
  gtk_widget_set_opacity (cell->widget, shown ? 1 : 0);
  gtk_widget_set_can_target (cell->widget, shown);
  gtk_accessible_update_state (GTK_ACCESSIBLE (cell->widget), GTK_ACCESSIBLE_STATE_HIDDEN, !shown,
                               -1);
}

static void
set_user (Cell *cell, CqvUser *user)
{
  if (cell->user == user)
    return;
  if (cell->user != NULL)
    g_clear_signal_handler (&cell->notify_handler, cell->user);
  g_set_object (&cell->user, user);
  show_cell (cell, user != NULL);
  if (user == NULL)
    return;
  cell->notify_handler = g_signal_connect (user, "notify", G_CALLBACK (user_notify_cb), cell);
  update_cell (cell);
  if (cell->kind == CQV_USERS_VIEW_CELL_AUTHENTICATOR && cell->item != NULL)
    check_user (cell->item, user);
}

/* Cells whose slot shows another user than they do (see slot_item_changed_cb()). */
static guint n_stale_cells;

static void
set_stale (Cell *cell, gboolean stale)
{
  if (cell->stale == stale)
    return;
  cell->stale = stale;
  if (stale)
    n_stale_cells++;
  else
    n_stale_cells--;
}

guint
cqv_users_view_get_n_stale_cells (void)
{
  return n_stale_cells;
}

static void
unbind_cell (Cell *cell)
{
  set_stale (cell, FALSE);
  if (cell->slot != NULL)
    g_clear_signal_handler (&cell->slot_handler, cell->slot);
  g_clear_object (&cell->slot);
  set_user (cell, NULL);
}

static void
cell_free (Cell *cell)
{
  unbind_cell (cell);
  g_free (cell);
}

/* GTK 4.8 keeps about 200 rows and makes new ones whenever other users come into that range
 * (pages sorted in while loading, search keystrokes), destroying the ones that left. The cells
 * of rows torn down wait in a pool on the factory and serve the next new rows: moving a widget
 * to another row costs far less than making it. */
#define POOL_SIZE 256

static GQuark
pool_quark (void)
{
  static GQuark quark;

  if (quark == 0)
    quark = g_quark_from_static_string ("cqv-users-view-cell-pool");
  return quark;
}

static GPtrArray *
get_pool (GtkSignalListItemFactory *factory)
{
  GPtrArray *pool = g_object_get_qdata (G_OBJECT (factory), pool_quark ());

  if (pool == NULL)
    {
      pool = g_ptr_array_new_with_free_func (g_object_unref);
      g_object_set_qdata_full (G_OBJECT (factory), pool_quark (), pool,
                               (GDestroyNotify) g_ptr_array_unref);
    }
  return pool;
}

static void
setup_cb (GtkSignalListItemFactory *factory, GtkListItem *item, gpointer data)
{
  GPtrArray *pool = get_pool (factory);
  Cell *cell;
  GtkWidget *child;

  if (pool->len > 0)
    {
      child = g_ptr_array_steal_index_fast (pool, pool->len - 1);
      cell = g_object_get_qdata (G_OBJECT (child), cell_quark ());
      cell->item = item;
      gtk_list_item_set_child (item, child);
      g_object_unref (child);
      return;
    }

  cell = g_new0 (Cell, 1);

  cell->kind = GPOINTER_TO_INT (data);
  cell->item = item;

  switch (cell->kind)
    {
    case CQV_USERS_VIEW_CELL_NAME:
      child = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
      cell->label = new_text (8, 24);
      gtk_widget_set_hexpand (cell->label, TRUE);
      gtk_box_append (GTK_BOX (child), cell->label);
      break;
    case CQV_USERS_VIEW_CELL_UPN:
      child = cell->label = new_text (8, 30);
      break;
    case CQV_USERS_VIEW_CELL_JOB:
      child = cell->label = new_text (6, 24);
      break;
    case CQV_USERS_VIEW_CELL_SOURCE:
      child = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 0);
      cell->label = new_text (4, 10);
      gtk_widget_set_hexpand (cell->label, TRUE);
      gtk_box_append (GTK_BOX (child), cell->label);
      break;
    case CQV_USERS_VIEW_CELL_AUTHENTICATOR:
      child = cell->label = new_text (4, 12);
      break;
    case CQV_USERS_VIEW_CELL_LAST_VERIFICATION:
      child = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
      cell->image =
        g_object_new (GTK_TYPE_IMAGE, "accessible-role", GTK_ACCESSIBLE_ROLE_PRESENTATION, NULL);
      cell->label = new_text (4, 14);
      gtk_widget_set_hexpand (cell->label, TRUE);
      gtk_widget_set_has_tooltip (cell->label, TRUE);
      g_signal_connect (cell->label, "query-tooltip",
                        G_CALLBACK (last_verification_query_tooltip_cb), cell);
      gtk_box_append (GTK_BOX (child), cell->image);
      gtk_box_append (GTK_BOX (child), cell->label);
      break;
    case CQV_USERS_VIEW_CELL_ACTIONS:
      child = gtk_button_new_from_icon_name ("view-more-symbolic");
      gtk_widget_set_halign (child, GTK_ALIGN_CENTER);
      gtk_widget_set_valign (child, GTK_ALIGN_CENTER);
      gtk_widget_add_css_class (child, "flat");
      gtk_widget_add_css_class (child, "circular");
      gtk_widget_add_css_class (child, "cqv-row-menu-button");
      gtk_widget_set_has_tooltip (child, TRUE);
      g_signal_connect (child, "query-tooltip", G_CALLBACK (row_actions_query_tooltip_cb), NULL);
      gtk_accessible_update_property (GTK_ACCESSIBLE (child), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                      _("Row Actions"), -1);
      g_signal_connect (child, "clicked", G_CALLBACK (row_menu_button_clicked_cb), cell);
      break;
    default:
      g_assert_not_reached ();
    }

  /* The other cells share the gestures on the column view (cqv_users_view_add_row_gestures):
   * two controllers on each of six cells made up most of the cost of a new row. */
  if (cell->kind == CQV_USERS_VIEW_CELL_UPN)
    add_gestures (child, cell);
  cell->widget = child;
  g_object_set_qdata_full (G_OBJECT (child), cell_quark (), cell, (GDestroyNotify) cell_free);
  gtk_list_item_set_child (item, child);
}

/* The list item of the cell @widget is in, or NULL. */
static GtkListItem *
find_list_item (GtkWidget *widget)
{
  for (; widget != NULL; widget = gtk_widget_get_parent (widget))
    {
      Cell *cell = g_object_get_qdata (G_OBJECT (widget), cell_quark ());

      if (cell != NULL)
        return cell->item;
      if (GTK_IS_COLUMN_VIEW (widget))
        break;
    }
  return NULL;
}

static void
popup_at_point (GtkWidget *column_view, double x, double y)
{
  GtkWidget *picked = gtk_widget_pick (column_view, x, y, GTK_PICK_DEFAULT);
  GtkListItem *item = find_list_item (picked);

  if (item != NULL)
    popup_at_list_item (item, column_view, x, y);
}

static void
view_secondary_pressed_cb (GtkGestureClick *gesture, int n_press, double x, double y, gpointer data)
{
  GtkWidget *widget = gtk_event_controller_get_widget (GTK_EVENT_CONTROLLER (gesture));
  GtkWidget *picked = gtk_widget_pick (widget, x, y, GTK_PICK_DEFAULT);

  if (find_list_item (picked) == NULL)
    return;
  gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_CLAIMED);
  popup_at_point (widget, x, y);
}

static void
view_long_pressed_cb (GtkGestureLongPress *gesture, double x, double y, gpointer data)
{
  popup_at_point (gtk_event_controller_get_widget (GTK_EVENT_CONTROLLER (gesture)), x, y);
}

void
cqv_users_view_add_row_gestures (GtkColumnView *column_view)
{
  GtkGesture *click = gtk_gesture_click_new ();
  GtkGesture *long_press = gtk_gesture_long_press_new ();

  g_return_if_fail (GTK_IS_COLUMN_VIEW (column_view));

  gtk_gesture_single_set_button (GTK_GESTURE_SINGLE (click), GDK_BUTTON_SECONDARY);
  g_signal_connect (click, "pressed", G_CALLBACK (view_secondary_pressed_cb), NULL);
  gtk_widget_add_controller (GTK_WIDGET (column_view), GTK_EVENT_CONTROLLER (click));

  gtk_gesture_single_set_touch_only (GTK_GESTURE_SINGLE (long_press), TRUE);
  g_signal_connect (long_press, "pressed", G_CALLBACK (view_long_pressed_cb), NULL);
  gtk_widget_add_controller (GTK_WIDGET (column_view), GTK_EVENT_CONTROLLER (long_press));
}

static Cell *
get_cell (GtkListItem *item)
{
  GtkWidget *child = gtk_list_item_get_child (item);

  return child != NULL ? g_object_get_qdata (G_OBJECT (child), cell_quark ()) : NULL;
}

static void
unbind_cb (GtkSignalListItemFactory *factory, GtkListItem *item, gpointer data)
{
  Cell *cell = get_cell (item);

  if (cell == NULL || cell->slot == NULL)
    return;
  unbind_cell (cell);
  if (cell->kind == CQV_USERS_VIEW_CELL_ACTIONS)
    gtk_accessible_update_property (GTK_ACCESSIBLE (gtk_list_item_get_child (item)),
                                    GTK_ACCESSIBLE_PROPERTY_LABEL, _("Row Actions"), -1);
}

static void
show_slot_user (Cell *cell)
{
  GObject *user = cell->slot != NULL ? cqv_slot_get_item (cell->slot) : NULL;

  set_stale (cell, FALSE);
  set_user (cell, CQV_IS_USER (user) ? CQV_USER (user) : NULL);
}

/* The widgets of the cells whose slots show other users: on screen (updated before the next
 * frame) and off it (updated after it, HIDDEN_CELLS_CHUNK at a time). */
#define HIDDEN_CELLS_CHUNK 700
static GPtrArray *stale_cells;
static GPtrArray *stale_hidden_cells;
static guint refresh_source;
static guint refresh_hidden_source;

/* Updates the stale cells among @widgets; with @hidden, only those on screen, adding the others
 * to @hidden. */
static void
refresh_cells (GPtrArray *widgets, GPtrArray *hidden)
{
  GtkWidget *view = NULL;
  guint first = 0, end = G_MAXUINT;

  for (guint i = 0; i < widgets->len; i++)
    {
      GtkWidget *widget = g_ptr_array_index (widgets, i);
      Cell *cell = g_object_get_qdata (G_OBJECT (widget), cell_quark ());
      guint position;

      if (cell == NULL || !cell->stale)
        continue;
      if (hidden != NULL && view == NULL &&
          (view = gtk_widget_get_ancestor (widget, CQV_TYPE_USERS_VIEW)) != NULL)
        cqv_users_view_get_visible_rows (CQV_USERS_VIEW (view), &first, &end);
      position = cell->item != NULL ? gtk_list_item_get_position (cell->item) : 0;
      if (hidden != NULL && (position < first || position >= end))
        g_ptr_array_add (hidden, g_object_ref (widget));
      else
        show_slot_user (cell);
    }
}

/* Off screen, 100 rows (~5 ms) at a time: a keystroke typed meanwhile is not kept waiting long. */
static gboolean
refresh_hidden_cells_cb (gpointer data)
{
  guint n = MIN (stale_hidden_cells->len, HIDDEN_CELLS_CHUNK);
  g_autoptr (GPtrArray) widgets = g_ptr_array_new_with_free_func (g_object_unref);

  for (guint i = 0; i < n; i++)
    g_ptr_array_add (widgets, g_ptr_array_steal_index_fast (stale_hidden_cells, 0));
  refresh_cells (widgets, NULL);
  if (stale_hidden_cells->len > 0)
    return G_SOURCE_CONTINUE;
  refresh_hidden_source = 0;
  return G_SOURCE_REMOVE;
}

static gboolean
refresh_stale_cells_cb (gpointer data)
{
  g_autoptr (GPtrArray) widgets = g_steal_pointer (&stale_cells);

  refresh_source = 0;
  if (stale_hidden_cells == NULL)
    stale_hidden_cells = g_ptr_array_new_with_free_func (g_object_unref);
  refresh_cells (widgets, stale_hidden_cells);
  if (stale_hidden_cells->len > 0 && refresh_hidden_source == 0)
    refresh_hidden_source =
      g_idle_add_full (G_PRIORITY_DEFAULT_IDLE, refresh_hidden_cells_cb, NULL, NULL);
  return G_SOURCE_REMOVE;
}

/* When the list changes under the rows (a search keystroke, a batch of users sorted in), every
 * slot GTK keeps (~200) gets another user at once, along with the sorting and filtering that
 * caused it. The cells catch up in idles of their own: those on screen still before the frame
 * is drawn, the others after it, so that input and timers get a turn in between. Only the
 * drawing waits: the slot (which the selection and the actions read) already holds its new
 * user. */
static void
slot_item_changed_cb (CqvSlot *slot, GParamSpec *pspec, Cell *cell)
{
  if (cell->stale)
    return;
  set_stale (cell, TRUE);
  if (stale_cells == NULL)
    stale_cells = g_ptr_array_new_with_free_func (g_object_unref);
  g_ptr_array_add (stale_cells, g_object_ref (cell->widget));
  if (refresh_source == 0)
    refresh_source = g_idle_add_full (G_PRIORITY_HIGH_IDLE, refresh_stale_cells_cb, NULL, NULL);
}

/* The rows show slots (see cqv-slot-model.h): a cell follows its slot's user. */
static void
bind_cb (GtkSignalListItemFactory *factory, GtkListItem *item, gpointer data)
{
  Cell *cell = get_cell (item);
  CqvSlot *slot = gtk_list_item_get_item (item);

  if (cell == NULL || !CQV_IS_SLOT (slot))
    return;
  if (cell->slot != NULL)
    unbind_cell (cell);

  cell->slot = g_object_ref (slot);
  cell->slot_handler =
    g_signal_connect (slot, "notify::item", G_CALLBACK (slot_item_changed_cb), cell);
  show_slot_user (cell);
}

static void
teardown_cb (GtkSignalListItemFactory *factory, GtkListItem *item, gpointer data)
{
  GPtrArray *pool = get_pool (factory);
  GtkWidget *child = gtk_list_item_get_child (item);
  Cell *cell = child != NULL ? g_object_get_qdata (G_OBJECT (child), cell_quark ()) : NULL;

  if (cell == NULL || pool->len >= POOL_SIZE)
    return;
  g_ptr_array_add (pool, g_object_ref (child));
  cell->item = NULL;
  gtk_list_item_set_child (item, NULL);
}

GtkListItemFactory *
cqv_users_view_cell_factory_new (CqvUsersViewCell kind)
{
  GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();

  g_signal_connect (factory, "setup", G_CALLBACK (setup_cb), GINT_TO_POINTER (kind));
  g_signal_connect (factory, "bind", G_CALLBACK (bind_cb), GINT_TO_POINTER (kind));
  g_signal_connect (factory, "unbind", G_CALLBACK (unbind_cb), GINT_TO_POINTER (kind));
  g_signal_connect (factory, "teardown", G_CALLBACK (teardown_cb), GINT_TO_POINTER (kind));
  return factory;
}

/* Sorting 100 000 rows: GTK 4.8's column view sorter compares the items pair by pair, and a
 * GtkStringSorter casefolds and collates both strings again for every comparison. These sorters
 * give the same order from keys made once per user (see cqv_user_compare_names()). */
static int
compare_text (gconstpointer a, gconstpointer b, gpointer data)
{
  CqvUsersViewCell kind = GPOINTER_TO_INT (data);
  int result = kind == CQV_USERS_VIEW_CELL_NAME
                 ? cqv_user_compare_names ((CqvUser *) a, (CqvUser *) b)
                 : cqv_user_compare_upns ((CqvUser *) a, (CqvUser *) b);

  if (result < 0)
    return GTK_ORDERING_SMALLER;
  if (result > 0)
    return GTK_ORDERING_LARGER;
  return GTK_ORDERING_EQUAL;
}

GtkSorter *
cqv_users_view_text_sorter_new (CqvUsersViewCell kind)
{
  g_return_val_if_fail (kind == CQV_USERS_VIEW_CELL_NAME || kind == CQV_USERS_VIEW_CELL_UPN, NULL);

  return GTK_SORTER (gtk_custom_sorter_new (compare_text, GINT_TO_POINTER (kind), NULL));
}

void
cqv_users_view_class_bind_cells (GtkWidgetClass *widget_class)
{
  /* The sorters' expressions (cqv-users-view.ui). */
  gtk_widget_class_bind_template_callback (widget_class, job_department_text);
  gtk_widget_class_bind_template_callback (widget_class, source_text);
  gtk_widget_class_bind_template_callback (widget_class, authenticator_rank);
  gtk_widget_class_bind_template_callback (widget_class, last_verified_sort_key);
}
