/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cqv-users-view"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "cqv-launch.h"
#include "cqv-users-view-private.h"
#include "cqv-verify-dialog.h"
#include "cqv-worker.h"

/* How long to gather rows scrolled into view before asking about their Authenticator. */
#define CHECK_DELAY_MS 150
/* Below this width the Job title · Department and Source columns give way (800×600 windows);
 * the name cell still tags guests. */
#define WIDE_WIDTH 1000
/* While a directory loads, how long its newest pages may wait before joining the sorted list. */
#define FEED_INTERVAL_MS 250
/* Fewer users than this join the rows unsorted once the directory is done: sorting them on a
 * worker thread would not be worth the wait. */
#define FEED_SORT_MIN 2000

struct _CqvUsersView
{
  GtkWidget parent_instance;

  CqvTenantContext *context;
  GListModel *users;
  /* What the sort model sorts: @users, or while a directory loads, the part of it shown so far
   * (see users_changed_cb). */
  CqvUserList *rows;
  guint feed_source;
  /* Rows from here on are @users' in another order (see start_sorted_feed()); G_MAXUINT when
   * every row is at its position in @users. */
  guint permuted_from;
  /* Bumped whenever the rows change at once: a batch sorted meanwhile is stale. */
  guint feed_generation;
  gboolean feed_sorting;
  /* Of a row of the column view, as of the last allocation (all rows are as high); 0 unknown. */
  double row_height;
  GError *error;
  char *search_text;
  GSettings *settings;
  GCancellable *cancellable;
  GHashTable *check_queue;
  guint check_source;
  /* The selected user, followed across filter and sort changes (the selection itself is of
   * positions, see cqv-slot-model.h); kept while the visible users change. */
  CqvUser *selected_user;
  gboolean visible_changing;

  GtkStack *stack;
  GtkColumnView *column_view;
  GtkSingleSelection *selection;
  CqvSlotModel *slots;
  CqvUserFilterModel *filter_model;
  GtkSortListModel *sort_model;
  GtkColumnViewColumn *name_column;
  GtkColumnViewColumn *upn_column;
  GtkColumnViewColumn *job_column;
  GtkColumnViewColumn *source_column;
  GtkColumnViewColumn *authenticator_column;
  GtkColumnViewColumn *last_verified_column;
  GtkColumnViewColumn *actions_column;
  guint layout_source;
  GtkPopoverMenu *row_menu;
  GMenuModel *row_menu_model;
  GtkWidget *no_match_box;
  GtkLabel *no_match_label;
  GtkLabel *error_label;
  GtkButton *retry_button;
  GtkSpinner *loading_spinner;
};

static void update_page (CqvUsersView *self);
static void update_actions (CqvUsersView *self);

G_DEFINE_FINAL_TYPE (CqvUsersView, cqv_users_view, GTK_TYPE_WIDGET)

enum
{
  PROP_0,
  PROP_CONTEXT,
  PROP_MODEL,
  PROP_SEARCH_TEXT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static CqvDirectory *
get_directory (CqvUsersView *self)
{
  return self->context != NULL ? cqv_tenant_context_get_directory (self->context) : NULL;
}

static const GError *
get_effective_error (CqvUsersView *self)
{
  CqvDirectory *directory = get_directory (self);

  if (self->error != NULL)
    return self->error;
  if (directory != NULL && cqv_directory_get_state (directory) == CQV_DIRECTORY_STATE_ERROR)
    return cqv_directory_get_error (directory);
  return NULL;
}

static gboolean
is_loading (CqvUsersView *self)
{
  CqvDirectory *directory = get_directory (self);
  CqvDirectoryState state;

  if (directory == NULL)
    return FALSE;
  state = cqv_directory_get_state (directory);
  return state == CQV_DIRECTORY_STATE_LOADING || state == CQV_DIRECTORY_STATE_IDLE;
}

static void
update_page (CqvUsersView *self)
{
  guint n_users = self->users != NULL ? g_list_model_get_n_items (self->users) : 0;
  guint n_visible = g_list_model_get_n_items (G_LIST_MODEL (self->filter_model));
  const GError *error = get_effective_error (self);
  gboolean no_match = FALSE;
  const char *page;

  if (error != NULL)
    page = "error";
  else if (n_visible > 0)
    page = "list";
  else if (n_users == 0)
    page = is_loading (self) ? "loading" : "empty";
  else
    {
      /* Translators: %s is what the technician typed into the search entry. */
      g_autofree char *text = g_strdup_printf (_("No users match “%s”"), self->search_text);

      gtk_label_set_label (self->no_match_label, text);
      /* Shown over the empty list (see the template). */
      no_match = TRUE;
      page = "list";
    }

  if (error != NULL)
    gtk_label_set_label (self->error_label, error->message);
  gtk_spinner_set_spinning (self->loading_spinner, g_str_equal (page, "loading"));
  gtk_widget_set_opacity (self->no_match_box, no_match ? 1.0 : 0.0);
  gtk_accessible_update_state (GTK_ACCESSIBLE (self->no_match_box), GTK_ACCESSIBLE_STATE_HIDDEN,
                               !no_match, -1);
  gtk_stack_set_visible_child_name (self->stack, page);
}

static void
update_actions (CqvUsersView *self)
{
  CqvUser *user = cqv_users_view_get_selected_user (self);
  GtkWidget *widget = GTK_WIDGET (self);

  gtk_widget_action_set_enabled (widget, "users.verify", user != NULL && self->context != NULL);
  /* The checklist is a feature still to come: shown, but never enabled yet. */
  gtk_widget_action_set_enabled (widget, "users.setup-checklist", FALSE);
  gtk_widget_action_set_enabled (widget, "users.copy-upn", user != NULL);
  gtk_widget_action_set_enabled (widget, "users.open-entra",
                                 user != NULL && cqv_user_get_id (user) != NULL);
  gtk_widget_action_set_enabled (widget, "users.popup-menu", user != NULL);
}

/* Replaces @n_replaced rows from @position on with the users from @from to @to. */
static void
copy_users (CqvUsersView *self, guint position, guint n_replaced, guint from, guint to)
{
  g_autoptr (GPtrArray) items = g_ptr_array_new_full (to > from ? to - from : 0, g_object_unref);

  for (guint i = from; i < to; i++)
    g_ptr_array_add (items, g_list_model_get_item (self->users, i));
  self->feed_generation++;
  cqv_user_list_splice (self->rows, position, n_replaced, (CqvUser **) items->pdata, items->len);
}

/* Shows the users that are not rows yet. */
static void
feed_rows (CqvUsersView *self)
{
  guint n_rows = g_list_model_get_n_items (G_LIST_MODEL (self->rows));
  guint n_users = self->users != NULL ? g_list_model_get_n_items (self->users) : 0;

  g_clear_handle_id (&self->feed_source, g_source_remove);
  if (n_users > n_rows)
    copy_users (self, n_rows, 0, n_rows, n_users);
}

static gboolean
is_directory_loading (CqvUsersView *self)
{
  CqvDirectory *directory = get_directory (self);

  return directory != NULL && self->users == cqv_directory_get_users (directory) &&
         cqv_directory_get_state (directory) == CQV_DIRECTORY_STATE_LOADING;
}

typedef struct
{
  GPtrArray *users;
  guint position;
  guint generation;
} SortedFeed;

static void
sorted_feed_free (SortedFeed *feed)
{
  g_ptr_array_unref (feed->users);
  g_free (feed);
}

static int
compare_names_indirect (gconstpointer a, gconstpointer b)
{
  return cqv_user_compare_names (*(CqvUser **) a, *(CqvUser **) b);
}

/* The name sort keys never change once a user exists: safe to compare on a worker thread. */
static void
sort_feed_thread (GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
  SortedFeed *feed = task_data;

  g_ptr_array_sort (feed->users, compare_names_indirect);
  g_task_return_boolean (task, TRUE);
}

static void schedule_feed (CqvUsersView *self);

static void
sorted_feed_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  CqvUsersView *self = CQV_USERS_VIEW (object);
  SortedFeed *feed = g_task_get_task_data (G_TASK (result));

  /* Cancelled: the view is being disposed. */
  if (!g_task_propagate_boolean (G_TASK (result), NULL))
    return;

  self->feed_sorting = FALSE;
  if (feed->generation == self->feed_generation &&
      feed->position == g_list_model_get_n_items (G_LIST_MODEL (self->rows)))
    {
      self->permuted_from = MIN (self->permuted_from, feed->position);
      self->feed_generation++;
      cqv_user_list_splice (self->rows, feed->position, 0, (CqvUser **) feed->users->pdata,
                            feed->users->len);
    }
  schedule_feed (self);
}

/* GtkSortListModel sorts what joins it, then merges that into what it has, all on the main loop.
 * Sorted by name beforehand (the default order), a batch is one run that only needs merging:
 * a batch of 10 000 users took 40-60 ms to join, now 15-40 ms. Any order is correct; sorted by
 * another column a batch just gains nothing. */
static void
start_sorted_feed (CqvUsersView *self)
{
  guint n_rows = g_list_model_get_n_items (G_LIST_MODEL (self->rows));
  guint n_users = g_list_model_get_n_items (self->users);
  g_autoptr (GTask) task = NULL;
  SortedFeed *feed;

  g_clear_handle_id (&self->feed_source, g_source_remove);
  feed = g_new0 (SortedFeed, 1);
  feed->users = g_ptr_array_new_full (n_users - n_rows, g_object_unref);
  for (guint i = n_rows; i < n_users; i++)
    g_ptr_array_add (feed->users, g_list_model_get_item (self->users, i));
  feed->position = n_rows;
  feed->generation = self->feed_generation;

  self->feed_sorting = TRUE;
  task = g_task_new (self, self->cancellable, sorted_feed_cb, NULL);
  g_task_set_source_tag (task, start_sorted_feed);
  g_task_set_task_data (task, feed, (GDestroyNotify) sorted_feed_free);
  cqv_worker_run (task, sort_feed_thread);
}

static gboolean
feed_timeout_cb (gpointer user_data)
{
  CqvUsersView *self = user_data;

  self->feed_source = 0;
  start_sorted_feed (self);
  return G_SOURCE_REMOVE;
}

/* Users the rows do not have yet join them: while the directory loads, in a sorted batch every
 * FEED_INTERVAL_MS; once it is done, the rest at once, sorted first when it is a large part. */
static void
schedule_feed (CqvUsersView *self)
{
  guint n_rows = g_list_model_get_n_items (G_LIST_MODEL (self->rows));
  guint n_users = self->users != NULL ? g_list_model_get_n_items (self->users) : 0;

  if (self->feed_sorting || n_users <= n_rows)
    return;
  if (is_directory_loading (self))
    {
      if (self->feed_source == 0)
        self->feed_source = g_timeout_add (FEED_INTERVAL_MS, feed_timeout_cb, self);
    }
  else if (n_users - n_rows >= FEED_SORT_MIN)
    start_sorted_feed (self);
  else
    feed_rows (self);
}

/* Every splice into the sorted list costs a merge over the whole list and, since new users land
 * all over the sorted order, rebinding the rows on screen: 100 pages of 999 users one by one
 * would keep the main loop from the parse threads' results. While the directory loads, pages
 * therefore join the rows together: the first page at once (first rows on screen), then what
 * came in every FEED_INTERVAL_MS (see schedule_feed()). Any other change is shown at once. */
static void
users_changed_cb (GListModel *users, guint position, guint removed, guint added, gpointer data)
{
  CqvUsersView *self = data;
  guint n_rows = g_list_model_get_n_items (G_LIST_MODEL (self->rows));
  guint n_users = g_list_model_get_n_items (users);

  if (position < n_rows)
    {
      /* Rows already shown changed (a reload): everything from there on, now. */
      guint from = MIN (position, self->permuted_from);

      g_clear_handle_id (&self->feed_source, g_source_remove);
      self->permuted_from = G_MAXUINT;
      copy_users (self, from, n_rows - from, from, n_users);
      return;
    }
  if (n_rows == 0 || !is_directory_loading (self))
    {
      if (!self->feed_sorting)
        feed_rows (self);
      return;
    }
  schedule_feed (self);
}

static GtkWindow *
get_window (CqvUsersView *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

  return GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL;
}

static gboolean
run_checks (gpointer user_data)
{
  CqvUsersView *self = user_data;
  g_autoptr (GPtrArray) users = g_ptr_array_new_with_free_func (g_object_unref);
  CqvDirectory *directory = get_directory (self);
  GHashTableIter iter;
  gpointer user;

  self->check_source = 0;
  g_hash_table_iter_init (&iter, self->check_queue);
  while (g_hash_table_iter_next (&iter, &user, NULL))
    if (cqv_user_get_authenticator (user) == CQV_AUTHENTICATOR_UNKNOWN)
      g_ptr_array_add (users, g_object_ref (user));
  g_hash_table_remove_all (self->check_queue);

  if (directory != NULL && users->len > 0)
    cqv_directory_check_visible_async (directory, users, self->cancellable, NULL, NULL);
  return G_SOURCE_REMOVE;
}

/* Without the registration report, Authenticator states come per user: ask about the rows
 * that are on screen (their cells are bound, see cqv-users-view-cells.c), a moment after they
 * appear. */
void
cqv_users_view_queue_check (CqvUsersView *self, CqvUser *user)
{
  CqvDirectory *directory = get_directory (self);

  if (directory == NULL || user == NULL ||
      cqv_directory_get_registration_source (directory) != CQV_REGISTRATION_SOURCE_PER_USER ||
      cqv_user_get_authenticator (user) != CQV_AUTHENTICATOR_UNKNOWN)
    return;

  g_hash_table_add (self->check_queue, g_object_ref (user));
  if (self->check_source == 0)
    self->check_source = g_timeout_add (CHECK_DELAY_MS, run_checks, self);
}

static void
column_view_activate_cb (CqvUsersView *self, guint position, GtkColumnView *column_view)
{
  gtk_single_selection_set_selected (self->selection, position);
  gtk_widget_activate_action (GTK_WIDGET (self), "users.verify", NULL);
}

static CqvUser *
get_selected_slot_user (CqvUsersView *self)
{
  CqvSlot *slot = gtk_single_selection_get_selected_item (self->selection);
  GObject *user = slot != NULL ? cqv_slot_get_item (slot) : NULL;

  return CQV_IS_USER (user) ? CQV_USER (user) : NULL;
}

static void
selection_changed_cb (CqvUsersView *self)
{
  if (!self->visible_changing)
    g_set_object (&self->selected_user, get_selected_slot_user (self));
  update_actions (self);
}

/* Before the slots change. */
static void
visible_changing_cb (CqvUsersView *self)
{
  self->visible_changing = TRUE;
}

/* Where @user is among the visible users, or GTK_INVALID_LIST_POSITION. */
static guint
find_visible (CqvUsersView *self, CqvUser *user, guint hint)
{
  GListModel *visible = G_LIST_MODEL (self->filter_model);
  guint n = g_list_model_get_n_items (visible);

  if (hint < n)
    {
      g_autoptr (CqvUser) at_hint = g_list_model_get_item (visible, hint);

      if (at_hint == user)
        return hint;
    }
  for (guint i = 0; user != NULL && i < n; i++)
    {
      g_autoptr (CqvUser) item = g_list_model_get_item (visible, i);

      if (item == user)
        return i;
    }
  return GTK_INVALID_LIST_POSITION;
}

/* After the slots changed: the selection follows its user, or goes when the user does. */
static void
visible_changed_cb (CqvUsersView *self)
{
  self->visible_changing = FALSE;
  if (self->selected_user != NULL)
    {
      guint selected = gtk_single_selection_get_selected (self->selection);
      guint position = find_visible (self, self->selected_user, selected);

      /* Not among the rows yet (see cqv-slot-model.h): unselected. */
      if (position >= g_list_model_get_n_items (G_LIST_MODEL (self->slots)))
        position = GTK_INVALID_LIST_POSITION;
      if (position != selected)
        gtk_single_selection_set_selected (self->selection, position);
      else
        update_actions (self);
    }
  update_page (self);
}

static void
directory_state_changed_cb (CqvUsersView *self)
{
  schedule_feed (self);
  update_page (self);
}

static void
send_notification (CqvUsersView *self, CqvUser *user, CqvOutcome *outcome)
{
  GtkWindow *window = get_window (self);
  GtkApplication *app = window != NULL ? gtk_window_get_application (window) : NULL;
  CqvOutcomeKind kind = cqv_outcome_get_kind (outcome);
  g_autoptr (GNotification) notification = NULL;
  g_autoptr (GDateTime) now = g_date_time_new_now_utc ();
  GDateTime *when = cqv_outcome_get_finished_at (outcome);
  g_autofree char *time = cqv_users_view_format_when (when != NULL ? when : now);
  g_autofree char *body = NULL;
  g_autofree char *id = NULL;

  if (app == NULL || gtk_window_is_active (window))
    return;

  /* Translators: a notification's body: the user's name, their UPN, and when it ended. */
  body = g_strdup_printf (_("%s (%s), %s"), cqv_user_get_display_name (user),
                             cqv_user_get_upn (user), time);
  notification = g_notification_new (cqv_outcome_kind_get_title (kind));
  g_notification_set_body (notification, body);
  if (kind == CQV_OUTCOME_FRAUD_REPORTED)
    g_notification_set_priority (notification, G_NOTIFICATION_PRIORITY_URGENT);
  id = g_strdup_printf ("verification-%s", cqv_user_get_upn (user));
  g_application_send_notification (G_APPLICATION (app), id, notification);
}

static void
verify_finished_cb (CqvVerifyDialog *dialog, CqvOutcome *outcome, CqvUsersView *self)
{
  CqvUser *user = cqv_verify_dialog_get_user (dialog);

  /* CqvVerification records the Last verification on the user when a push went out; the cell
   * is bound to it. What is left here is telling a technician who looked away. */
  if (user != NULL && outcome != NULL)
    send_notification (self, user, outcome);
}

static void
verify_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  CqvUsersView *self = CQV_USERS_VIEW (widget);
  CqvUser *user = cqv_users_view_get_selected_user (self);
  CqvVerifyDialog *dialog;

  if (user == NULL || self->context == NULL)
    return;

  if (self->settings == NULL)
    self->settings = g_settings_new (APP_ID);
  dialog = cqv_verify_dialog_new (get_window (self), self->context, user,
                                  g_settings_get_uint (self->settings, "push-window-seconds"));
  g_signal_connect_object (dialog, "finished", G_CALLBACK (verify_finished_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
setup_checklist_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  /* Not built yet; the action stays disabled (update_actions). */
}

static void
copy_upn_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  CqvUser *user = cqv_users_view_get_selected_user (CQV_USERS_VIEW (widget));

  if (user != NULL)
    gdk_clipboard_set_text (gtk_widget_get_clipboard (widget), cqv_user_get_upn (user));
}

static void
open_entra_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  CqvUsersView *self = CQV_USERS_VIEW (widget);
  CqvUser *user = cqv_users_view_get_selected_user (self);
  CqvCloud cloud = CQV_CLOUD_GLOBAL;
  g_autofree char *url = NULL;

  if (user == NULL || cqv_user_get_id (user) == NULL)
    return;
  if (self->context != NULL)
    cloud = cqv_tenant_get_cloud (cqv_tenant_context_get_tenant (self->context));
  url = cqv_users_view_build_entra_url (cloud, cqv_user_get_id (user));

  cqv_launch_uri (get_window (self), url);
}

static void
popup_menu_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  CqvUsersView *self = CQV_USERS_VIEW (widget);
  guint position = gtk_single_selection_get_selected (self->selection);
  GtkRoot *root = gtk_widget_get_root (widget);
  GtkWidget *focus = root != NULL ? gtk_root_get_focus (root) : NULL;
  graphene_rect_t bounds;

  if (position == GTK_INVALID_LIST_POSITION)
    return;

  /* Point at the focused row when the keyboard is in the list, else at the view's centre. */
  if (focus != NULL && gtk_widget_is_ancestor (focus, GTK_WIDGET (self->column_view)) &&
      gtk_widget_compute_bounds (focus, widget, &bounds))
    cqv_users_view_popup_row_menu (self, position, widget, bounds.origin.x + 24,
                                   bounds.origin.y + bounds.size.height);
  else
    cqv_users_view_popup_row_menu (self, position, NULL, 0, 0);
}

static void
cqv_users_view_measure (GtkWidget *widget,
                        GtkOrientation orientation,
                        int for_size,
                        int *minimum,
                        int *natural,
                        int *minimum_baseline,
                        int *natural_baseline)
{
  CqvUsersView *self = CQV_USERS_VIEW (widget);

  gtk_widget_measure (GTK_WIDGET (self->stack), orientation, for_size, minimum, natural,
                      minimum_baseline, natural_baseline);
}

static gboolean
update_columns (gpointer user_data)
{
  CqvUsersView *self = user_data;

  self->layout_source = 0;
  gboolean wide = gtk_widget_get_width (GTK_WIDGET (self)) >= WIDE_WIDTH;

  gtk_column_view_column_set_visible (self->job_column, wide);
  gtk_column_view_column_set_visible (self->source_column, wide);
  return G_SOURCE_REMOVE;
}

/* Right after the column view is allocated its scroll range matches its rows. */
static void
update_row_height (CqvUsersView *self)
{
  GtkAdjustment *adjustment = gtk_scrollable_get_vadjustment (GTK_SCROLLABLE (self->column_view));
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->selection));

  if (adjustment != NULL && n > 0 && gtk_adjustment_get_upper (adjustment) > 0 &&
      gtk_widget_get_mapped (GTK_WIDGET (self->column_view)))
    self->row_height = gtk_adjustment_get_upper (adjustment) / n;
}

void
cqv_users_view_get_visible_rows (CqvUsersView *self, guint *first, guint *end)
{
  GtkAdjustment *adjustment;
  guint n, per_page;

  g_return_if_fail (CQV_IS_USERS_VIEW (self));

  *first = 0;
  *end = G_MAXUINT;
  adjustment = gtk_scrollable_get_vadjustment (GTK_SCROLLABLE (self->column_view));
  if (adjustment == NULL || self->row_height <= 0)
    return;
  n = g_list_model_get_n_items (G_LIST_MODEL (self->selection));
  per_page = (guint) (gtk_adjustment_get_page_size (adjustment) / self->row_height) + 2;
  *first = (guint) (gtk_adjustment_get_value (adjustment) / self->row_height);
  /* Fewer rows than the scroll position was for: GTK will show the last ones. */
  if (*first + per_page > n)
    *first = n > per_page ? n - per_page : 0;
  *end = *first + per_page;
}

static void
cqv_users_view_size_allocate (GtkWidget *widget, int width, int height, int baseline)
{
  CqvUsersView *self = CQV_USERS_VIEW (widget);
  gboolean wide = width >= WIDE_WIDTH;

  gtk_widget_allocate (GTK_WIDGET (self->stack), width, height, baseline, NULL);
  update_row_height (self);
  /* Presenting looks up the monitor's work area (X round trips): only when it is shown. */
  if (gtk_widget_get_visible (GTK_WIDGET (self->row_menu)))
    gtk_popover_present (GTK_POPOVER (self->row_menu));

  /* Not during the allocation: hiding a column resizes the column view. */
  if (wide != gtk_column_view_column_get_visible (self->job_column) && self->layout_source == 0)
    self->layout_source = g_idle_add (update_columns, self);
}

static gboolean
cqv_users_view_grab_focus (GtkWidget *widget)
{
  CqvUsersView *self = CQV_USERS_VIEW (widget);

  return gtk_widget_grab_focus (GTK_WIDGET (self->column_view));
}

static void
cqv_users_view_dispose (GObject *object)
{
  CqvUsersView *self = CQV_USERS_VIEW (object);
  GtkWidget *child;

  g_cancellable_cancel (self->cancellable);
  g_clear_handle_id (&self->check_source, g_source_remove);
  g_clear_handle_id (&self->layout_source, g_source_remove);
  g_clear_handle_id (&self->feed_source, g_source_remove);
  if (self->users != NULL)
    g_signal_handlers_disconnect_by_func (self->users, users_changed_cb, self);
  if (self->context != NULL)
    g_signal_handlers_disconnect_by_data (get_directory (self), self);
  if (self->filter_model != NULL)
    g_signal_handlers_disconnect_by_data (self->filter_model, self);
  if (self->selection != NULL)
    g_signal_handlers_disconnect_by_data (self->selection, self);

  gtk_widget_dispose_template (GTK_WIDGET (self), CQV_TYPE_USERS_VIEW);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);

  g_clear_object (&self->context);
  g_clear_object (&self->users);
  g_clear_object (&self->rows);
  g_clear_object (&self->selected_user);
  g_clear_object (&self->settings);
  g_clear_pointer (&self->check_queue, g_hash_table_unref);

  G_OBJECT_CLASS (cqv_users_view_parent_class)->dispose (object);
}

static void
cqv_users_view_finalize (GObject *object)
{
  CqvUsersView *self = CQV_USERS_VIEW (object);

  g_clear_object (&self->cancellable);
  g_clear_error (&self->error);
  g_free (self->search_text);

  G_OBJECT_CLASS (cqv_users_view_parent_class)->finalize (object);
}

static void
cqv_users_view_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  CqvUsersView *self = CQV_USERS_VIEW (object);

  switch (prop_id)
    {
    case PROP_CONTEXT:
      g_value_set_object (value, self->context);
      break;
    case PROP_MODEL:
      g_value_set_object (value, self->users);
      break;
    case PROP_SEARCH_TEXT:
      g_value_set_string (value, self->search_text);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cqv_users_view_set_property (GObject *object, guint prop_id, const GValue *value, GParamSpec *pspec)
{
  CqvUsersView *self = CQV_USERS_VIEW (object);

  switch (prop_id)
    {
    case PROP_CONTEXT:
      cqv_users_view_set_context (self, g_value_get_object (value));
      break;
    case PROP_MODEL:
      cqv_users_view_set_model (self, g_value_get_object (value));
      break;
    case PROP_SEARCH_TEXT:
      cqv_users_view_set_search_text (self, g_value_get_string (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cqv_users_view_class_init (CqvUsersViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = cqv_users_view_dispose;
  object_class->finalize = cqv_users_view_finalize;
  object_class->get_property = cqv_users_view_get_property;
  object_class->set_property = cqv_users_view_set_property;
  widget_class->measure = cqv_users_view_measure;
  widget_class->size_allocate = cqv_users_view_size_allocate;
  widget_class->grab_focus = cqv_users_view_grab_focus;

  properties[PROP_CONTEXT] =
    g_param_spec_object ("context", NULL, NULL, CQV_TYPE_TENANT_CONTEXT,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_MODEL] =
    g_param_spec_object ("model", NULL, NULL, G_TYPE_LIST_MODEL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SEARCH_TEXT] =
    g_param_spec_string ("search-text", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (CQV_TYPE_USER);
  g_type_ensure (CQV_TYPE_USER_FILTER_MODEL);
  g_type_ensure (CQV_TYPE_SLOT_MODEL);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PATH "/cqv-users-view.ui");
  gtk_widget_class_bind_template_child (widget_class, CqvUsersView, stack);
  gtk_widget_class_bind_template_child (widget_class, CqvUsersView, column_view);
  gtk_widget_class_bind_template_child (widget_class, CqvUsersView, selection);
  gtk_widget_class_bind_template_child (widget_class, CqvUsersView, slots);
  gtk_widget_class_bind_template_child (widget_class, CqvUsersView, filter_model);
  gtk_widget_class_bind_template_child (widget_class, CqvUsersView, sort_model);
  gtk_widget_class_bind_template_child (widget_class, CqvUsersView, name_column);
  gtk_widget_class_bind_template_child (widget_class, CqvUsersView, upn_column);
  gtk_widget_class_bind_template_child (widget_class, CqvUsersView, job_column);
  gtk_widget_class_bind_template_child (widget_class, CqvUsersView, source_column);
  gtk_widget_class_bind_template_child (widget_class, CqvUsersView, authenticator_column);
  gtk_widget_class_bind_template_child (widget_class, CqvUsersView, last_verified_column);
  gtk_widget_class_bind_template_child (widget_class, CqvUsersView, actions_column);
  gtk_widget_class_bind_template_child (widget_class, CqvUsersView, row_menu);
  gtk_widget_class_bind_template_child (widget_class, CqvUsersView, row_menu_model);
  gtk_widget_class_bind_template_child (widget_class, CqvUsersView, no_match_box);
  gtk_widget_class_bind_template_child (widget_class, CqvUsersView, no_match_label);
  gtk_widget_class_bind_template_child (widget_class, CqvUsersView, error_label);
  gtk_widget_class_bind_template_child (widget_class, CqvUsersView, retry_button);
  gtk_widget_class_bind_template_child (widget_class, CqvUsersView, loading_spinner);

  gtk_widget_class_bind_template_callback (widget_class, column_view_activate_cb);
  cqv_users_view_class_bind_cells (widget_class);

  gtk_widget_class_install_action (widget_class, "users.verify", NULL, verify_action);
  gtk_widget_class_install_action (widget_class, "users.setup-checklist", NULL,
                                   setup_checklist_action);
  gtk_widget_class_install_action (widget_class, "users.copy-upn", NULL, copy_upn_action);
  gtk_widget_class_install_action (widget_class, "users.open-entra", NULL, open_entra_action);
  gtk_widget_class_install_action (widget_class, "users.popup-menu", NULL, popup_menu_action);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_v, GDK_CONTROL_MASK | GDK_SHIFT_MASK,
                                       "users.verify", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Menu, 0, "users.popup-menu", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F10, GDK_SHIFT_MASK,
                                       "users.popup-menu", NULL);

  gtk_widget_class_set_css_name (widget_class, "cqv-users-view");
}

static void
set_cell_factories (CqvUsersView *self)
{
  struct
  {
    GtkColumnViewColumn *column;
    CqvUsersViewCell kind;
  } cells[] = {
    { self->name_column, CQV_USERS_VIEW_CELL_NAME },
    { self->upn_column, CQV_USERS_VIEW_CELL_UPN },
    { self->job_column, CQV_USERS_VIEW_CELL_JOB },
    { self->source_column, CQV_USERS_VIEW_CELL_SOURCE },
    { self->authenticator_column, CQV_USERS_VIEW_CELL_AUTHENTICATOR },
    { self->last_verified_column, CQV_USERS_VIEW_CELL_LAST_VERIFICATION },
    { self->actions_column, CQV_USERS_VIEW_CELL_ACTIONS },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cells); i++)
    {
      g_autoptr (GtkListItemFactory) factory = cqv_users_view_cell_factory_new (cells[i].kind);

      gtk_column_view_column_set_factory (cells[i].column, factory);
    }
  for (CqvUsersViewCell kind = CQV_USERS_VIEW_CELL_NAME; kind <= CQV_USERS_VIEW_CELL_UPN; kind++)
    {
      g_autoptr (GtkSorter) sorter = cqv_users_view_text_sorter_new (kind);

      gtk_column_view_column_set_sorter (cells[kind].column, sorter);
    }
}

static void
cqv_users_view_init (CqvUsersView *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  /* Its accessible name (set per tenant) says more than its mnemonic label; GTK 4.8 would say
   * both, "Retry Loading Contoso Retry". */
  gtk_accessible_reset_relation (GTK_ACCESSIBLE (self->retry_button),
                                 GTK_ACCESSIBLE_RELATION_LABELLED_BY);
  set_cell_factories (self);
  cqv_users_view_add_row_gestures (self->column_view);

  self->cancellable = g_cancellable_new ();
  self->permuted_from = G_MAXUINT;
  self->check_queue = g_hash_table_new_full (NULL, NULL, g_object_unref, NULL);
  self->search_text = g_strdup ("");
  self->rows = cqv_user_list_new ();
  gtk_sort_list_model_set_model (self->sort_model, G_LIST_MODEL (self->rows));

  gtk_column_view_sort_by_column (self->column_view, self->name_column, GTK_SORT_ASCENDING);

  g_signal_connect_object (self->selection, "notify::selected-item",
                           G_CALLBACK (selection_changed_cb), self, G_CONNECT_SWAPPED);
  /* Around the slot model's own handler (an after-handler, see cqv-slot-model.h). */
  g_signal_connect_object (self->filter_model, "items-changed", G_CALLBACK (visible_changing_cb),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->filter_model, "items-changed", G_CALLBACK (visible_changed_cb),
                           self, G_CONNECT_SWAPPED | G_CONNECT_AFTER);

  update_actions (self);
  update_page (self);
}

GtkWidget *
cqv_users_view_new (void)
{
  return g_object_new (CQV_TYPE_USERS_VIEW, NULL);
}

void
cqv_users_view_set_context (CqvUsersView *self, CqvTenantContext *context)
{
  CqvDirectory *directory;

  g_return_if_fail (CQV_IS_USERS_VIEW (self));
  g_return_if_fail (context == NULL || CQV_IS_TENANT_CONTEXT (context));

  if (self->context == context)
    return;

  if (self->context != NULL)
    g_signal_handlers_disconnect_by_data (get_directory (self), self);
  g_hash_table_remove_all (self->check_queue);
  g_set_object (&self->context, context);

  directory = get_directory (self);
  if (directory != NULL)
    {
      const char *name = cqv_tenant_get_name (cqv_tenant_context_get_tenant (context));
      /* Translators: the accessible name of the Retry button; %s is the tenant's name. */
      g_autofree char *label = g_strdup_printf (_("Retry Loading %s"), name);

      g_signal_connect_object (directory, "notify::state", G_CALLBACK (directory_state_changed_cb),
                               self, G_CONNECT_SWAPPED);
      g_signal_connect_object (directory, "notify::error", G_CALLBACK (directory_state_changed_cb),
                               self, G_CONNECT_SWAPPED);
      gtk_actionable_set_action_target_value (GTK_ACTIONABLE (self->retry_button),
                                              g_variant_new_string (name));
      gtk_accessible_update_property (GTK_ACCESSIBLE (self->retry_button),
                                      GTK_ACCESSIBLE_PROPERTY_LABEL, label, -1);
    }

  cqv_users_view_set_model (self, directory != NULL ? cqv_directory_get_users (directory) : NULL);
  update_actions (self);
  update_page (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CONTEXT]);
}

CqvTenantContext *
cqv_users_view_get_context (CqvUsersView *self)
{
  g_return_val_if_fail (CQV_IS_USERS_VIEW (self), NULL);

  return self->context;
}

void
cqv_users_view_set_model (CqvUsersView *self, GListModel *users)
{
  g_return_if_fail (CQV_IS_USERS_VIEW (self));
  g_return_if_fail (users == NULL || G_IS_LIST_MODEL (users));

  if (self->users == users)
    return;

  if (self->users != NULL)
    g_signal_handlers_disconnect_by_func (self->users, users_changed_cb, self);
  g_set_object (&self->users, users);
  if (users != NULL)
    g_signal_connect (users, "items-changed", G_CALLBACK (users_changed_cb), self);
  g_clear_handle_id (&self->feed_source, g_source_remove);
  self->permuted_from = G_MAXUINT;
  copy_users (self, 0, g_list_model_get_n_items (G_LIST_MODEL (self->rows)), 0,
              users != NULL ? g_list_model_get_n_items (users) : 0);
  update_actions (self);
  update_page (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MODEL]);
}

GListModel *
cqv_users_view_get_model (CqvUsersView *self)
{
  g_return_val_if_fail (CQV_IS_USERS_VIEW (self), NULL);

  return self->users;
}

GListModel *
cqv_users_view_get_visible_model (CqvUsersView *self)
{
  g_return_val_if_fail (CQV_IS_USERS_VIEW (self), NULL);

  return G_LIST_MODEL (self->filter_model);
}

void
cqv_users_view_set_search_text (CqvUsersView *self, const char *text)
{
  g_return_if_fail (CQV_IS_USERS_VIEW (self));

  if (text == NULL)
    text = "";
  if (g_strcmp0 (self->search_text, text) == 0)
    return;

  g_free (self->search_text);
  self->search_text = g_strdup (text);
  cqv_user_filter_model_set_search_text (self->filter_model, text);
  update_page (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SEARCH_TEXT]);
}

const char *
cqv_users_view_get_search_text (CqvUsersView *self)
{
  g_return_val_if_fail (CQV_IS_USERS_VIEW (self), NULL);

  return self->search_text;
}

void
cqv_users_view_set_error (CqvUsersView *self, const GError *error)
{
  g_return_if_fail (CQV_IS_USERS_VIEW (self));

  g_clear_error (&self->error);
  if (error != NULL)
    self->error = g_error_copy (error);
  update_page (self);
}

CqvUser *
cqv_users_view_get_selected_user (CqvUsersView *self)
{
  g_return_val_if_fail (CQV_IS_USERS_VIEW (self), NULL);

  return get_selected_slot_user (self);
}

void
cqv_users_view_select_user (CqvUsersView *self, CqvUser *user)
{
  g_return_if_fail (CQV_IS_USERS_VIEW (self));
  g_return_if_fail (user == NULL || CQV_IS_USER (user));

  gtk_single_selection_set_selected (self->selection,
                                     find_visible (self, user, GTK_INVALID_LIST_POSITION));
}

GMenuModel *
cqv_users_view_get_row_menu_model (CqvUsersView *self)
{
  g_return_val_if_fail (CQV_IS_USERS_VIEW (self), NULL);

  return self->row_menu_model;
}

GtkPopover *
cqv_users_view_get_row_menu (CqvUsersView *self)
{
  g_return_val_if_fail (CQV_IS_USERS_VIEW (self), NULL);

  return GTK_POPOVER (self->row_menu);
}

void
cqv_users_view_popup_row_menu (CqvUsersView *self,
                               guint position,
                               GtkWidget *widget,
                               double x,
                               double y)
{
  GdkRectangle rect = { 0, 0, 1, 1 };
  double view_x = gtk_widget_get_width (GTK_WIDGET (self)) / 2.0;
  double view_y = gtk_widget_get_height (GTK_WIDGET (self)) / 2.0;

  g_return_if_fail (CQV_IS_USERS_VIEW (self));
  g_return_if_fail (widget == NULL || GTK_IS_WIDGET (widget));

  if (position >= g_list_model_get_n_items (G_LIST_MODEL (self->selection)))
    return;

  /* Right-click selects the row first: the actions act on the selection. */
  gtk_single_selection_set_selected (self->selection, position);

  if (widget != NULL &&
      !gtk_widget_translate_coordinates (widget, GTK_WIDGET (self), x, y, &view_x, &view_y))
    {
      view_x = gtk_widget_get_width (GTK_WIDGET (self)) / 2.0;
      view_y = gtk_widget_get_height (GTK_WIDGET (self)) / 2.0;
    }
  rect.x = (int) view_x;
  rect.y = (int) view_y;
  gtk_popover_set_pointing_to (GTK_POPOVER (self->row_menu), &rect);
  gtk_popover_popup (GTK_POPOVER (self->row_menu));
}

const char *
cqv_users_view_get_page (CqvUsersView *self)
{
  g_return_val_if_fail (CQV_IS_USERS_VIEW (self), NULL);

  if (gtk_widget_get_opacity (self->no_match_box) > 0)
    return "no-match";
  return gtk_stack_get_visible_child_name (self->stack);
}

GtkColumnView *
cqv_users_view_get_column_view (CqvUsersView *self)
{
  g_return_val_if_fail (CQV_IS_USERS_VIEW (self), NULL);

  return self->column_view;
}

char *
cqv_users_view_build_entra_url (CqvCloud cloud, const char *user_id)
{
  g_autofree char *escaped = NULL;

  g_return_val_if_fail (user_id != NULL, NULL);

  escaped = g_uri_escape_string (user_id, NULL, FALSE);
  return g_strdup_printf ("%s/#view/Microsoft_AAD_UsersAndTenants/UserProfileMenuBlade/~/overview/"
                          "userId/%s",
                          cqv_cloud_get_entra_portal_url (cloud), escaped);
}
