/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cqv-verify-dialog"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "cqv-launch.h"
#include "cqv-accessible.h"
#include "cqv-avatar.h"
#include "cqv-checklist-window.h"
#include "cqv-readiness.h"
#include "cqv-result-view.h"
#include "cqv-tenant-check.h"
#include "cqv-verification.h"
#include "cqv-verify-dialog-private.h"
#include "cqv-verify-dialog.h"

struct _CqvVerifyDialog
{
  GtkWindow parent_instance;

  CqvTenantContext *context;
  CqvUser *user;
  guint push_window;
  GError *tenant_error;
  CqvTenantCheck *check; /* the context's setup checklist */

  /* Before Send */
  CqvReadiness *readiness;
  GCancellable *setup_cancellable; /* while waiting for the setup checklist */
  GCancellable *check_cancellable; /* while Authenticator is checked on demand */
  GError *load_error;
  GError *check_error;
  gboolean check_done;
  guint retry_source;
  guint fit_tick;
  guint fit_frames;
  int fit_height;
  gboolean updating_option;

  /* The current or last attempt */
  CqvVerification *verification;
  CqvOutcome *outcome;
  gboolean attempted;
  gboolean running;

  GtkStack *stack;
  GtkBox *prepare_box;
  CqvAvatar *avatar;
  GtkLabel *name_label;
  GtkLabel *upn_label;
  GtkToggleButton *option_button;
  GtkStack *option_status;
  GtkSpinner *option_spinner;
  GtkBox *reason_box;
  GtkImage *reason_icon;
  GtkLabel *reason_label;
  GtkButton *checklist_button;
  GtkBox *setup_box;
  GtkButton *setup_button;
  GtkButton *fix_button;
  GtkEntry *ticket_entry;
  GtkButton *send_button;
  GtkSpinner *waiting_spinner;
  GtkLabel *instruction_label;
  GtkLabel *countdown_label;
  GtkProgressBar *countdown_bar;
  GtkLabel *waiting_context_label;
  GtkButton *waiting_cancel_button;
  GtkScrolledWindow *result_scroller;
  CqvResultView *result_view;
  GtkButton *result_checklist_button;
  GtkButton *send_again_button;
  GtkButton *close_button;
};

G_DEFINE_FINAL_TYPE (CqvVerifyDialog, cqv_verify_dialog, GTK_TYPE_WINDOW)

enum
{
  PROP_0,
  PROP_CONTEXT,
  PROP_USER,
  PROP_PUSH_WINDOW,
  PROP_OUTCOME,
  N_PROPS
};

enum
{
  FINISHED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static void update_readiness (CqvVerifyDialog *self);

static const char *
tenant_id (CqvVerifyDialog *self)
{
  return cqv_tenant_get_tenant_id (cqv_tenant_context_get_tenant (self->context));
}

static gboolean
is_page (CqvVerifyDialog *self, const char *name)
{
  return g_strcmp0 (gtk_stack_get_visible_child_name (self->stack), name) == 0;
}

static void
update_actions (CqvVerifyDialog *self)
{
  gboolean ready = !self->attempted && self->readiness != NULL &&
                   cqv_readiness_get_allowed (self->readiness) && self->check_cancellable == NULL &&
                   self->setup_cancellable == NULL &&
                   gtk_toggle_button_get_active (self->option_button);
  gboolean timed_out =
    self->outcome != NULL && cqv_outcome_get_kind (self->outcome) == CQV_OUTCOME_TIMED_OUT;
  CqvReadinessReason reason = self->readiness != NULL ? cqv_readiness_get_reason (self->readiness)
                                                      : CQV_READINESS_REASON_READY;

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "verify.send", ready);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "verify.open-setup-checklist",
                                 reason == CQV_READINESS_REASON_TENANT_SETUP);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "verify.open-fix-url",
                                 self->readiness != NULL &&
                                   cqv_readiness_get_fix_url (self->readiness) != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "verify.send-again",
                                 !self->running && timed_out && is_page (self, "result"));
}

static void
show_page (CqvVerifyDialog *self, const char *name)
{
  gtk_stack_set_visible_child_name (self->stack, name);
  gtk_spinner_set_spinning (self->waiting_spinner, g_str_equal (name, "waiting"));
}

/* Which known tenant problem refuses the push: the caller's, then what the on-demand check ran
 * into. A check that failed for another reason is retried by the attempt itself. */
static const GError *
pick_tenant_error (CqvVerifyDialog *self)
{
  if (self->tenant_error != NULL)
    return self->tenant_error;
  if (self->load_error != NULL)
    return self->load_error;
  if (g_error_matches (self->check_error, CQV_GRAPH_ERROR, CQV_GRAPH_ERROR_PERMISSION_MISSING))
    return self->check_error;
  return NULL;
}

static void
finish_check (CqvVerifyDialog *self, GError *error, gboolean loading)
{
  g_clear_object (&self->check_cancellable);
  self->check_done = TRUE;

  if (error != NULL && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      GError **slot = loading ? &self->load_error : &self->check_error;

      g_debug ("Authenticator check for %s failed: %s", cqv_user_get_upn (self->user),
               error->message);
      g_clear_error (slot);
      *slot = g_steal_pointer (&error);
    }
  g_clear_error (&error);
  update_readiness (self);
}

static void
check_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (CqvVerifyDialog) self = user_data;
  GError *error = NULL;

  cqv_directory_check_user_finish (CQV_DIRECTORY (object), result, &error);
  finish_check (self, error, FALSE);
}

static void
check_load_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (CqvVerifyDialog) self = user_data;
  GError *error = NULL;

  if (!cqv_tenant_context_load_finish (CQV_TENANT_CONTEXT (object), result, &error) ||
      g_cancellable_is_cancelled (self->check_cancellable))
    {
      finish_check (self, error, TRUE);
      return;
    }

  cqv_directory_check_user_async (cqv_tenant_context_get_directory (self->context), self->user,
                                  self->check_cancellable, check_cb, g_object_ref (self));
}

static void
start_check (CqvVerifyDialog *self)
{
  g_assert (self->check_cancellable == NULL);

  self->check_cancellable = g_cancellable_new ();
  cqv_tenant_context_load_async (self->context, self->check_cancellable, check_load_cb,
                                 g_object_ref (self));
}

static void
setup_check_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GListModel) items = NULL;

  /* The dialog follows the check's "running" (check_running_cb); this only ends the wait. */
  items = cqv_tenant_check_run_finish (CQV_TENANT_CHECK (object), result, NULL);
}

/* Runs the tenant's setup checklist, or joins the run going on, and waits for its verdict.
 * Problems are verdicts (a network failure turns the credentials line red); the only way the
 * wait ends without one is our own cancellation, on close. */
static void
start_setup_check (CqvVerifyDialog *self)
{
  g_assert (self->setup_cancellable == NULL);

  self->setup_cancellable = g_cancellable_new ();
  cqv_tenant_check_run_async (self->check, self->setup_cancellable, setup_check_cb, NULL);
}

static gboolean
retry_cb (gpointer user_data)
{
  CqvVerifyDialog *self = user_data;

  self->retry_source = 0;
  update_readiness (self);
  return G_SOURCE_REMOVE;
}

/* Re-asks readiness when a cool-down ends, so Send comes back by itself. */
static void
schedule_retry (CqvVerifyDialog *self, GDateTime *retry_at)
{
  g_autoptr (GDateTime) now = g_date_time_new_now_utc ();
  GTimeSpan wait;

  g_clear_handle_id (&self->retry_source, g_source_remove);
  if (retry_at == NULL)
    return;

  wait = g_date_time_difference (retry_at, now);
  self->retry_source =
    g_timeout_add_seconds ((guint) CLAMP (wait / G_USEC_PER_SEC + 1, 1, G_MAXINT), retry_cb, self);
}

static void
show_reason (CqvVerifyDialog *self, const char *text, gboolean warning)
{
  gtk_widget_set_visible (GTK_WIDGET (self->reason_box), text != NULL);
  gtk_label_set_text (self->reason_label, text != NULL ? text : "");
  gtk_image_set_from_icon_name (self->reason_icon, warning ? "dialog-warning-symbolic"
                                                           : "dialog-information-symbolic");
  if (warning)
    {
      gtk_widget_add_css_class (GTK_WIDGET (self->reason_box), "cqv-reason-warning");
      gtk_widget_remove_css_class (GTK_WIDGET (self->reason_box), "cqv-reason-info");
    }
  else
    {
      gtk_widget_add_css_class (GTK_WIDGET (self->reason_box), "cqv-reason-info");
      gtk_widget_remove_css_class (GTK_WIDGET (self->reason_box), "cqv-reason-warning");
    }
}

static gboolean
prepare_fits (CqvVerifyDialog *self)
{
  GtkWidget *page = GTK_WIDGET (self->prepare_box);
  int height = 0;

  gtk_widget_measure (page, GTK_ORIENTATION_VERTICAL, gtk_widget_get_width (page), &height, NULL,
                      NULL, NULL);
  return gtk_widget_get_height (page) >= height;
}

/* GTK 4.8 on X11 may leave a window at its old size, below its new minimum, with the reason
 * squeezed into one line: gdk_x11's compute_toplevel_size() does not ask again for the size it
 * computed last, even when an earlier configure left the window at another one. Ask until it
 * fits, each time for a size a pixel different from the last. */
static gboolean
fit_tick_cb (GtkWidget *widget, GdkFrameClock *clock, gpointer user_data)
{
  CqvVerifyDialog *self = CQV_VERIFY_DIALOG (widget);

  if (!is_page (self, "prepare") || prepare_fits (self) || ++self->fit_frames > 1200)
    {
      self->fit_tick = 0;
      return G_SOURCE_REMOVE;
    }
  if (self->fit_frames % 10 == 0)
    gtk_widget_set_size_request (GTK_WIDGET (self->prepare_box), -1,
                                 self->fit_height + (self->fit_frames / 10) % 2);
  return G_SOURCE_CONTINUE;
}

/* A mapped window keeps its size: when the reason grows after the dialog is shown (a check
 * finished), make the page ask for its whole height, so the window grows to show it (as
 * fit_result() does) instead of squeezing the reason into one line. */
static void
fit_prepare (CqvVerifyDialog *self)
{
  GtkWidget *page = GTK_WIDGET (self->prepare_box);
  int width = gtk_widget_get_width (GTK_WIDGET (self->stack));
  int natural = 0;

  if (!gtk_widget_get_mapped (GTK_WIDGET (self)) || width <= 0)
    return;
  gtk_widget_set_size_request (page, -1, -1);
  gtk_widget_measure (page, GTK_ORIENTATION_VERTICAL, width, NULL, &natural, NULL, NULL);
  self->fit_height =
    natural - gtk_widget_get_margin_top (page) - gtk_widget_get_margin_bottom (page);
  gtk_widget_set_size_request (page, -1, self->fit_height);

  self->fit_frames = 0;
  if (self->fit_tick == 0)
    self->fit_tick = gtk_widget_add_tick_callback (GTK_WIDGET (self), fit_tick_cb, NULL, NULL);
}

static void
update_readiness (CqvVerifyDialog *self)
{
  g_autoptr (CqvReadiness) readiness = NULL;
  g_autofree char *note = NULL;
  const char *fix_url;
  CqvReadinessReason reason;
  gboolean allowed;
  gboolean checking;

  /* After Send the attempt itself guards; the option is no longer on screen. */
  if (self->attempted)
    return;

  readiness = cqv_readiness_check_full (
    cqv_tenant_context_get_push_guard (self->context), tenant_id (self), self->user,
    cqv_tenant_check_get_has_run (self->check) ? cqv_tenant_check_get_blocking_item (self->check)
                                               : NULL,
    pick_tenant_error (self));
  g_set_object (&self->readiness, readiness);
  reason = cqv_readiness_get_reason (readiness);
  allowed = cqv_readiness_get_allowed (readiness);

  if (reason == CQV_READINESS_REASON_CHECK_AUTHENTICATOR && self->check_cancellable == NULL &&
      !self->check_done)
    start_check (self);
  checking = self->check_cancellable != NULL || self->setup_cancellable != NULL;

  if (!allowed)
    show_reason (self, cqv_readiness_get_message (readiness), TRUE);
  else if (self->setup_cancellable != NULL)
    show_reason (self, _("Checking this tenant’s setup…"), FALSE);
  else if (checking)
    show_reason (self, _("Checking whether this user has Microsoft Authenticator…"), FALSE);
  else if (reason == CQV_READINESS_REASON_CHECK_AUTHENTICATOR)
    {
      if (self->check_error != NULL)
        note = g_strdup_printf (_("Could not check whether this user has Microsoft "
                                  "Authenticator (%s). It is checked again when you send."),
                                   self->check_error->message);
      else
        note = g_strdup (_("Whether this user has Microsoft Authenticator is not known yet. It "
                           "is checked when you send."));
      show_reason (self, note, FALSE);
    }
  else
    show_reason (self, NULL, FALSE);

  self->updating_option = TRUE;
  gtk_widget_set_sensitive (GTK_WIDGET (self->option_button), allowed && !checking);
  gtk_toggle_button_set_active (self->option_button, allowed && !checking);
  self->updating_option = FALSE;

  gtk_spinner_set_spinning (self->option_spinner, checking);
  if (checking)
    gtk_stack_set_visible_child_name (self->option_status, "checking");
  else if (allowed)
    gtk_stack_set_visible_child_name (self->option_status, "selected");
  else
    gtk_stack_set_visible_child_name (self->option_status, "none");

  gtk_widget_set_visible (GTK_WIDGET (self->checklist_button),
                          reason == CQV_READINESS_REASON_NOT_REGISTERED);
  gtk_widget_set_visible (GTK_WIDGET (self->setup_box),
                          reason == CQV_READINESS_REASON_TENANT_SETUP);
  gtk_widget_set_visible (GTK_WIDGET (self->setup_button),
                          reason == CQV_READINESS_REASON_TENANT_SETUP);
  fix_url = cqv_readiness_get_fix_url (readiness);
  gtk_widget_set_visible (GTK_WIDGET (self->fix_button), fix_url != NULL);
  schedule_retry (self, cqv_readiness_get_retry_at (readiness));
  update_actions (self);
  fit_prepare (self);
}

static void
update_waiting (CqvVerifyDialog *self)
{
  CqvVerificationState state = cqv_verification_get_state (self->verification);
  const char *context_id = cqv_verification_get_context_id (self->verification);
  guint window = MAX (cqv_verification_get_push_window (self->verification), 1);
  guint left = cqv_verification_get_seconds_left (self->verification);
  g_autofree char *countdown = NULL;
  g_autofree char *context = NULL;

  if (state != CQV_VERIFICATION_STATE_WAITING)
    countdown = g_strdup (_("Sending the notification…"));
  else if (left > 0)
    countdown = g_strdup_printf (ngettext ("%u second left", "%u seconds left", left), left);
  else
    countdown = g_strdup (_("Waiting for Microsoft’s answer…"));
  gtk_label_set_text (self->countdown_label, countdown);

  gtk_widget_set_visible (GTK_WIDGET (self->countdown_bar),
                          state == CQV_VERIFICATION_STATE_WAITING);
  gtk_progress_bar_set_fraction (self->countdown_bar, MIN (1.0, (double) left / window));

  if (context_id != NULL)
    context = g_strdup_printf (_("Context ID %s"), context_id);
  gtk_label_set_text (self->waiting_context_label, context != NULL ? context : "");
}

/* A mapped window keeps its size: make the result page ask for its whole height, so the window
 * grows to show it, but no more than fits on an 800×600 screen (longer details scroll). */
static void
fit_result (CqvVerifyDialog *self)
{
  int width = gtk_widget_get_width (GTK_WIDGET (self->stack));
  int natural = 0;

  if (width <= 0)
    width = gtk_widget_get_width (GTK_WIDGET (self));
  if (width <= 0)
    width = 480;
  gtk_widget_measure (GTK_WIDGET (self->result_view), GTK_ORIENTATION_VERTICAL, width, NULL,
                      &natural, NULL, NULL);
  gtk_scrolled_window_set_min_content_height (
    self->result_scroller,
    MIN (natural, gtk_scrolled_window_get_max_content_height (self->result_scroller)));
}

static void
show_outcome (CqvVerifyDialog *self, CqvOutcome *outcome)
{
  CqvOutcomeKind kind = cqv_outcome_get_kind (outcome);

  g_set_object (&self->outcome, outcome);
  cqv_result_view_set_outcome (self->result_view, outcome, cqv_user_get_display_name (self->user));

  gtk_widget_set_visible (GTK_WIDGET (self->send_again_button), kind == CQV_OUTCOME_TIMED_OUT);
  gtk_widget_set_visible (GTK_WIDGET (self->result_checklist_button),
                          kind == CQV_OUTCOME_NOT_ENROLLED || kind == CQV_OUTCOME_NOT_DELIVERED);

  fit_result (self);
  show_page (self, "result");
  gtk_window_set_default_widget (GTK_WINDOW (self), GTK_WIDGET (self->close_button));
  gtk_widget_grab_focus (GTK_WIDGET (self->close_button));
  update_actions (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_OUTCOME]);
}

static void
run_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (CqvVerifyDialog) self = user_data;
  g_autoptr (CqvOutcome) outcome = NULL;
  g_autoptr (GError) error = NULL;

  outcome = cqv_verification_run_finish (CQV_VERIFICATION (object), result, &error);
  /* The contract says an attempt always ends in an outcome; never show a guess. */
  if (outcome == NULL)
    outcome = cqv_outcome_new (CQV_OUTCOME_ERROR,
                               error != NULL ? error->message
                                             : _("The verification ended without a result."));

  self->running = FALSE;
  show_outcome (self, outcome);
  g_signal_emit (self, signals[FINISHED], 0, outcome);
}

static void
verification_notify_cb (CqvVerifyDialog *self)
{
  update_waiting (self);
}

static void
details_expanded_cb (CqvVerifyDialog *self)
{
  fit_result (self);
}

static void
start_attempt (CqvVerifyDialog *self)
{
  g_autofree char *ticket =
    g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->ticket_entry))));

  g_return_if_fail (!self->running);

  self->attempted = TRUE;
  self->running = TRUE;
  g_clear_handle_id (&self->retry_source, g_source_remove);

  if (self->verification != NULL)
    g_signal_handlers_disconnect_by_data (self->verification, self);
  g_clear_object (&self->verification);
  self->verification =
    cqv_verification_new (self->context, self->user, *ticket != '\0' ? ticket : NULL);
  cqv_verification_set_push_window (self->verification, self->push_window);
  g_signal_connect_object (self->verification, "notify::state", G_CALLBACK (verification_notify_cb),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->verification, "notify::seconds-left",
                           G_CALLBACK (verification_notify_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->verification, "notify::context-id",
                           G_CALLBACK (verification_notify_cb), self, G_CONNECT_SWAPPED);

  update_waiting (self);
  show_page (self, "waiting");
  gtk_window_set_default_widget (GTK_WINDOW (self), NULL);
  gtk_widget_grab_focus (GTK_WIDGET (self->waiting_cancel_button));
  update_actions (self);

  cqv_verification_run_async (self->verification, NULL, run_cb, g_object_ref (self));
}

static void
send_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  start_attempt (CQV_VERIFY_DIALOG (widget));
}

/* Cancel, Escape: stop a running attempt (its outcome is CANCELLED), else close. */
static void
cancel_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  CqvVerifyDialog *self = CQV_VERIFY_DIALOG (widget);

  if (self->running)
    cqv_verification_cancel (self->verification);
  else
    gtk_window_close (GTK_WINDOW (self));
}

static void
close_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  gtk_window_close (GTK_WINDOW (widget));
}

/* The tenant's setup checklist, beside this dialog: Re-check there, and this dialog follows. */
static void
open_setup_checklist_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  CqvVerifyDialog *self = CQV_VERIFY_DIALOG (widget);
  CqvChecklistWindow *window =
    cqv_checklist_window_new (gtk_window_get_transient_for (GTK_WINDOW (self)), self->context);

  gtk_window_present (GTK_WINDOW (window));
}

/* The Entra admin center page that fixes the red line. */
static void
open_fix_url_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  CqvVerifyDialog *self = CQV_VERIFY_DIALOG (widget);
  const char *url = self->readiness != NULL ? cqv_readiness_get_fix_url (self->readiness) : NULL;

  if (url == NULL)
    return;
  cqv_launch_uri (GTK_WINDOW (self), url);
}

static void
option_toggled_cb (CqvVerifyDialog *self)
{
  /* The only method: choosing it again keeps it chosen. */
  if (!self->updating_option && !gtk_toggle_button_get_active (self->option_button))
    {
      self->updating_option = TRUE;
      gtk_toggle_button_set_active (self->option_button, TRUE);
      self->updating_option = FALSE;
    }
  update_actions (self);
}

static void
user_notify_cb (CqvVerifyDialog *self, GParamSpec *pspec)
{
  if (g_str_equal (pspec->name, "authenticator") || g_str_equal (pspec->name, "enabled") ||
      g_str_equal (pspec->name, "user-type"))
    update_readiness (self);
}

static void
guard_changed_cb (CqvVerifyDialog *self, const char *changed_tenant, const char *user_key)
{
  if (g_strcmp0 (changed_tenant, tenant_id (self)) == 0 &&
      g_strcmp0 (user_key, cqv_readiness_user_key (self->user)) == 0)
    update_readiness (self);
}

/* The setup checklist finished, whoever ran it (a Re-check in its window too): its verdict is
 * notified before "running" turns FALSE. */
static void
check_running_cb (CqvVerifyDialog *self, GParamSpec *pspec, CqvTenantCheck *check)
{
  if (cqv_tenant_check_get_running (check))
    return;
  g_clear_object (&self->setup_cancellable);
  update_readiness (self);
}

static void
stop_background_work (CqvVerifyDialog *self)
{
  g_clear_handle_id (&self->retry_source, g_source_remove);
  g_cancellable_cancel (self->check_cancellable);
  g_cancellable_cancel (self->setup_cancellable);
  if (self->running)
    cqv_verification_cancel (self->verification);
}

static void
cqv_verify_dialog_map (GtkWidget *widget)
{
  CqvVerifyDialog *self = CQV_VERIFY_DIALOG (widget);

  GTK_WIDGET_CLASS (cqv_verify_dialog_parent_class)->map (widget);

  /* Start in the ticket entry: type a number, Enter sends. */
  if (gtk_window_get_focus (GTK_WINDOW (self)) == NULL && is_page (self, "prepare"))
    gtk_widget_grab_focus (GTK_WIDGET (self->ticket_entry));
}

static gboolean
cqv_verify_dialog_close_request (GtkWindow *window)
{
  /* Closing while waiting cancels quietly; "finished" still reports the CANCELLED outcome. */
  stop_background_work (CQV_VERIFY_DIALOG (window));

  return GTK_WINDOW_CLASS (cqv_verify_dialog_parent_class)->close_request (window);
}

static void
cqv_verify_dialog_constructed (GObject *object)
{
  CqvVerifyDialog *self = (CqvVerifyDialog *) object;
  const char *name = cqv_user_get_display_name (self->user);
  const char *upn = cqv_user_get_upn (self->user);
  GVariant *target;

  G_OBJECT_CLASS (cqv_verify_dialog_parent_class)->constructed (object);

  if (name == NULL || *name == '\0')
    name = upn;
  gtk_label_set_text (self->name_label, name);
  gtk_label_set_text (self->upn_label, upn);
  cqv_avatar_set_text (self->avatar, name);

  target = g_variant_new_string (cqv_user_get_id (self->user));
  gtk_actionable_set_action_target_value (GTK_ACTIONABLE (self->checklist_button), target);
  gtk_actionable_set_action_target_value (GTK_ACTIONABLE (self->result_checklist_button), target);

  g_signal_connect_object (self->user, "notify", G_CALLBACK (user_notify_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->result_view, "notify::details-expanded",
                           G_CALLBACK (details_expanded_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (cqv_tenant_context_get_push_guard (self->context), "changed",
                           G_CALLBACK (guard_changed_cb), self, G_CONNECT_SWAPPED);

  /* The tenant's setup decides too: check it once per context, or wait for the run going on. */
  self->check = g_object_ref (cqv_tenant_context_get_check (self->context));
  g_signal_connect_object (self->check, "notify::running", G_CALLBACK (check_running_cb), self,
                           G_CONNECT_SWAPPED);
  if (!cqv_tenant_check_get_has_run (self->check) || cqv_tenant_check_get_running (self->check))
    start_setup_check (self);

  update_readiness (self);
}

static void
cqv_verify_dialog_dispose (GObject *object)
{
  CqvVerifyDialog *self = (CqvVerifyDialog *) object;

  stop_background_work (self);
  if (self->fit_tick != 0)
    gtk_widget_remove_tick_callback (GTK_WIDGET (self), self->fit_tick);
  self->fit_tick = 0;
  /* Nothing may reach the widgets once GtkWindow has disposed of its children. */
  if (self->verification != NULL)
    g_signal_handlers_disconnect_by_data (self->verification, self);
  if (self->user != NULL)
    g_signal_handlers_disconnect_by_data (self->user, self);
  if (self->context != NULL)
    g_signal_handlers_disconnect_by_data (cqv_tenant_context_get_push_guard (self->context), self);
  if (self->check != NULL)
    g_signal_handlers_disconnect_by_data (self->check, self);

  G_OBJECT_CLASS (cqv_verify_dialog_parent_class)->dispose (object);
}

static void
cqv_verify_dialog_finalize (GObject *object)
{
  CqvVerifyDialog *self = (CqvVerifyDialog *) object;

  g_clear_object (&self->context);
  g_clear_object (&self->user);
  g_clear_error (&self->tenant_error);
  g_clear_object (&self->check);
  g_clear_object (&self->readiness);
  g_clear_object (&self->setup_cancellable);
  g_clear_object (&self->check_cancellable);
  g_clear_error (&self->load_error);
  g_clear_error (&self->check_error);
  g_clear_object (&self->verification);
  g_clear_object (&self->outcome);

  G_OBJECT_CLASS (cqv_verify_dialog_parent_class)->finalize (object);
}

static void
cqv_verify_dialog_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  CqvVerifyDialog *self = CQV_VERIFY_DIALOG (object);

  switch (prop_id)
    {
    case PROP_CONTEXT:
      g_value_set_object (value, self->context);
      break;

    case PROP_USER:
      g_value_set_object (value, self->user);
      break;

    case PROP_PUSH_WINDOW:
      g_value_set_uint (value, self->push_window);
      break;

    case PROP_OUTCOME:
      g_value_set_object (value, self->outcome);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cqv_verify_dialog_set_property (GObject *object,
                                guint prop_id,
                                const GValue *value,
                                GParamSpec *pspec)
{
  CqvVerifyDialog *self = CQV_VERIFY_DIALOG (object);

  switch (prop_id)
    {
    case PROP_CONTEXT:
      self->context = g_value_dup_object (value);
      break;

    case PROP_USER:
      self->user = g_value_dup_object (value);
      break;

    case PROP_PUSH_WINDOW:
      self->push_window = g_value_get_uint (value);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cqv_verify_dialog_class_init (CqvVerifyDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->constructed = cqv_verify_dialog_constructed;
  object_class->dispose = cqv_verify_dialog_dispose;
  object_class->finalize = cqv_verify_dialog_finalize;
  object_class->get_property = cqv_verify_dialog_get_property;
  object_class->set_property = cqv_verify_dialog_set_property;
  widget_class->map = cqv_verify_dialog_map;
  window_class->close_request = cqv_verify_dialog_close_request;

  properties[PROP_CONTEXT] =
    g_param_spec_object ("context", NULL, NULL, CQV_TYPE_TENANT_CONTEXT,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_USER] =
    g_param_spec_object ("user", NULL, NULL, CQV_TYPE_USER,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_PUSH_WINDOW] =
    g_param_spec_uint ("push-window", NULL, NULL, 1, 3600, 60,
                       G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_OUTCOME] = g_param_spec_object ("outcome", NULL, NULL, CQV_TYPE_OUTCOME,
                                                  G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * CqvVerifyDialog::finished:
   * @outcome: the attempt's CqvOutcome
   *
   * Once per attempt that ran, including cancelled ones; not when closed before Send.
   */
  signals[FINISHED] = g_signal_new ("finished", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                    NULL, NULL, NULL, G_TYPE_NONE, 1, CQV_TYPE_OUTCOME);

  g_type_ensure (CQV_TYPE_AVATAR);
  g_type_ensure (CQV_TYPE_RESULT_VIEW);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/com/cyberqp/Verify/cqv-verify-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, CqvVerifyDialog, stack);
  gtk_widget_class_bind_template_child (widget_class, CqvVerifyDialog, prepare_box);
  gtk_widget_class_bind_template_child (widget_class, CqvVerifyDialog, avatar);
  gtk_widget_class_bind_template_child (widget_class, CqvVerifyDialog, name_label);
  gtk_widget_class_bind_template_child (widget_class, CqvVerifyDialog, upn_label);
  gtk_widget_class_bind_template_child (widget_class, CqvVerifyDialog, option_button);
  gtk_widget_class_bind_template_child (widget_class, CqvVerifyDialog, option_status);
  gtk_widget_class_bind_template_child (widget_class, CqvVerifyDialog, option_spinner);
  gtk_widget_class_bind_template_child (widget_class, CqvVerifyDialog, reason_box);
  gtk_widget_class_bind_template_child (widget_class, CqvVerifyDialog, reason_icon);
  gtk_widget_class_bind_template_child (widget_class, CqvVerifyDialog, reason_label);
  gtk_widget_class_bind_template_child (widget_class, CqvVerifyDialog, checklist_button);
  gtk_widget_class_bind_template_child (widget_class, CqvVerifyDialog, setup_box);
  gtk_widget_class_bind_template_child (widget_class, CqvVerifyDialog, setup_button);
  gtk_widget_class_bind_template_child (widget_class, CqvVerifyDialog, fix_button);
  gtk_widget_class_bind_template_child (widget_class, CqvVerifyDialog, ticket_entry);
  gtk_widget_class_bind_template_child (widget_class, CqvVerifyDialog, send_button);
  gtk_widget_class_bind_template_child (widget_class, CqvVerifyDialog, waiting_spinner);
  gtk_widget_class_bind_template_child (widget_class, CqvVerifyDialog, instruction_label);
  gtk_widget_class_bind_template_child (widget_class, CqvVerifyDialog, countdown_label);
  gtk_widget_class_bind_template_child (widget_class, CqvVerifyDialog, countdown_bar);
  gtk_widget_class_bind_template_child (widget_class, CqvVerifyDialog, waiting_context_label);
  gtk_widget_class_bind_template_child (widget_class, CqvVerifyDialog, waiting_cancel_button);
  gtk_widget_class_bind_template_child (widget_class, CqvVerifyDialog, result_scroller);
  gtk_widget_class_bind_template_child (widget_class, CqvVerifyDialog, result_view);
  gtk_widget_class_bind_template_child (widget_class, CqvVerifyDialog, result_checklist_button);
  gtk_widget_class_bind_template_child (widget_class, CqvVerifyDialog, send_again_button);
  gtk_widget_class_bind_template_child (widget_class, CqvVerifyDialog, close_button);
  gtk_widget_class_bind_template_callback (widget_class, option_toggled_cb);

  gtk_widget_class_install_action (widget_class, "verify.send", NULL, send_action);
  gtk_widget_class_install_action (widget_class, "verify.send-again", NULL, send_action);
  gtk_widget_class_install_action (widget_class, "verify.cancel", NULL, cancel_action);
  gtk_widget_class_install_action (widget_class, "verify.close", NULL, close_action);
  gtk_widget_class_install_action (widget_class, "verify.open-setup-checklist", NULL,
                                   open_setup_checklist_action);
  gtk_widget_class_install_action (widget_class, "verify.open-fix-url", NULL, open_fix_url_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "verify.cancel", NULL);
}

static void
cqv_verify_dialog_init (CqvVerifyDialog *self)
{
  self->push_window = 60;

  gtk_widget_init_template (GTK_WIDGET (self));
  cqv_accessible_name_by_labels (GTK_WIDGET (self));

  gtk_accessible_update_relation (GTK_ACCESSIBLE (self->option_button),
                                  GTK_ACCESSIBLE_RELATION_DESCRIBED_BY, self->reason_label, NULL,
                                  -1);
  gtk_window_set_default_widget (GTK_WINDOW (self), GTK_WIDGET (self->send_button));
  show_page (self, "prepare");
}

CqvVerifyDialog *
cqv_verify_dialog_new (GtkWindow *parent,
                       CqvTenantContext *context,
                       CqvUser *user,
                       guint push_window_seconds)
{
  g_return_val_if_fail (!parent || GTK_IS_WINDOW (parent), NULL);
  g_return_val_if_fail (CQV_IS_TENANT_CONTEXT (context), NULL);
  g_return_val_if_fail (CQV_IS_USER (user), NULL);

  return g_object_new (CQV_TYPE_VERIFY_DIALOG, "transient-for", parent, "context", context, "user",
                       user, "push-window",
                       push_window_seconds > 0 ? MIN (push_window_seconds, 3600) : 60, NULL);
}

CqvUser *
cqv_verify_dialog_get_user (CqvVerifyDialog *self)
{
  g_return_val_if_fail (CQV_IS_VERIFY_DIALOG (self), NULL);

  return self->user;
}

CqvOutcome *
cqv_verify_dialog_get_outcome (CqvVerifyDialog *self)
{
  g_return_val_if_fail (CQV_IS_VERIFY_DIALOG (self), NULL);

  return self->outcome;
}

void
cqv_verify_dialog_set_tenant_error (CqvVerifyDialog *self, const GError *error)
{
  g_return_if_fail (CQV_IS_VERIFY_DIALOG (self));

  g_clear_error (&self->tenant_error);
  if (error != NULL)
    self->tenant_error = g_error_copy (error);
  update_readiness (self);
}

CqvReadiness *
cqv_verify_dialog_get_readiness (CqvVerifyDialog *self)
{
  g_return_val_if_fail (CQV_IS_VERIFY_DIALOG (self), NULL);

  return self->readiness;
}

CqvVerification *
cqv_verify_dialog_get_verification (CqvVerifyDialog *self)
{
  g_return_val_if_fail (CQV_IS_VERIFY_DIALOG (self), NULL);

  return self->verification;
}

const char *
cqv_verify_dialog_get_page (CqvVerifyDialog *self)
{
  g_return_val_if_fail (CQV_IS_VERIFY_DIALOG (self), NULL);

  return gtk_stack_get_visible_child_name (self->stack);
}

void
cqv_verify_dialog_show_outcome (CqvVerifyDialog *self, CqvOutcome *outcome)
{
  g_return_if_fail (CQV_IS_VERIFY_DIALOG (self));
  g_return_if_fail (CQV_IS_OUTCOME (outcome));
  g_return_if_fail (!self->running);

  self->attempted = TRUE;
  g_clear_handle_id (&self->retry_source, g_source_remove);
  show_outcome (self, outcome);
}
