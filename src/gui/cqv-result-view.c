/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cqv-result-view"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "cqv-result-view.h"

struct _CqvResultView
{
  GtkWidget parent_instance;

  CqvOutcome *outcome;
  const char *style_class;

  GtkBox *box;
  GtkBox *alert_box;
  GtkBox *badge;
  GtkImage *icon;
  GtkLabel *title_label;
  GtkLabel *summary_label;
  GtkBox *next_step_box;
  GtkLabel *next_step_label;
  GtkExpander *details_expander;
  GtkLabel *message_label;
  GtkLabel *result_value_label;
  GtkLabel *context_id_label;
  GtkLabel *elapsed_label;
  GtkLabel *finished_label;
};

G_DEFINE_FINAL_TYPE (CqvResultView, cqv_result_view, GTK_TYPE_WIDGET)

enum
{
  PROP_0,
  PROP_OUTCOME,
  PROP_DETAILS_EXPANDED,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static const char *
or_dash (const char *text)
{
  return text != NULL && *text != '\0' ? text : "—";
}

static char *
format_local (GDateTime *when, const char *format)
{
  g_autoptr (GDateTime) local = NULL;

  if (when == NULL)
    return NULL;
  local = g_date_time_to_local (when);
  return g_date_time_format (local, format);
}

static char *
approved_summary (CqvOutcome *outcome, const char *who)
{
  g_autofree char *at = format_local (cqv_outcome_get_finished_at (outcome), "%H:%M");
  guint seconds = (guint) ((MAX (cqv_outcome_get_elapsed_ms (outcome), 0) + 500) / 1000);

  if (at == NULL)
    return g_strdup_printf (_("Approved by %s in Microsoft Authenticator."), who);

  /* TRANSLATORS: "Approved by Adele Vance at 14:03 after 12 seconds" */
  return g_strdup_printf (ngettext ("Approved by %s at %s after %u second",
                                    "Approved by %s at %s after %u seconds", seconds),
                          who, at, seconds);
}

/* One sentence: what happened. The service's own explanation goes to Details, except where it
 * is the point (what failed, when to retry). */
static char *
build_summary (CqvOutcome *outcome, const char *who)
{
  const char *message = cqv_outcome_get_message (outcome);
  gboolean has_message = message != NULL && *message != '\0';

  switch (cqv_outcome_get_kind (outcome))
    {
    case CQV_OUTCOME_APPROVED:
      return approved_summary (outcome, who);
    case CQV_OUTCOME_DENIED:
      return g_strdup_printf (_("%s tapped Deny in Microsoft Authenticator."), who);
    case CQV_OUTCOME_FRAUD_REPORTED:
      return g_strdup_printf (_("%s reported this request as fraud in Microsoft Authenticator."),
                                 who);
    case CQV_OUTCOME_TIMED_OUT:
      return g_strdup (_("No answer came back in time. The result is unknown, not denied."));
    case CQV_OUTCOME_NOT_DELIVERED:
      return g_strdup (_("Microsoft did not send an Approve/Deny notification to the phone."));
    case CQV_OUTCOME_NOT_ENROLLED:
      return g_strdup_printf (_("%s has no Microsoft Authenticator registered for notifications."),
                                 who);
    case CQV_OUTCOME_BLOCKED:
      return g_strdup (_("The account is blocked in Microsoft’s MFA service, by an administrator "
                         "or after a fraud report."));
    case CQV_OUTCOME_BUSY:
      return g_strdup (_("A verification request for this user is already waiting for an "
                         "answer."));
    case CQV_OUTCOME_THROTTLED:
      return g_strdup (has_message ? message
                                   : _("Too many verification requests were sent for this user."));
    case CQV_OUTCOME_CANCELLED:
      return g_strdup (has_message ? message : _("The verification was cancelled."));
    case CQV_OUTCOME_NONE:
    case CQV_OUTCOME_ERROR:
    default:
      return g_strdup (has_message ? message : _("The verification could not be completed."));
    }
}

static const char *
next_step (CqvOutcomeKind kind)
{
  switch (kind)
    {
    case CQV_OUTCOME_APPROVED:
      return _("The caller holds this user’s Microsoft Authenticator. Continue with their request "
               "and note the verification in the ticket.");
    case CQV_OUTCOME_DENIED:
      return _("Do not proceed. Ask the caller how they want to continue: they may have tapped "
               "Deny by mistake, or they may not be who they say they are.");
    case CQV_OUTCOME_FRAUD_REPORTED:
      return _("Do not proceed and do not send another push. The account may be targeted: tell "
               "the customer’s security contact now.");
    case CQV_OUTCOME_TIMED_OUT:
      return _("Check that the caller has their phone with Microsoft Authenticator at hand, then "
               "send again.");
    case CQV_OUTCOME_NOT_DELIVERED:
    case CQV_OUTCOME_NOT_ENROLLED:
      return _("Ask the user to register Microsoft Authenticator for notifications at "
               "mysignins.microsoft.com/security-info; the setup checklist walks through it.");
    case CQV_OUTCOME_BLOCKED:
      return _("Do not proceed. An administrator must unblock the user in the Entra admin center "
               "before a push can work.");
    case CQV_OUTCOME_BUSY:
      return _("Wait until the pending request ends (about a minute), then send again.");
    case CQV_OUTCOME_THROTTLED:
      return _("Wait before trying again. Repeated pushes can tire a user into approving a "
               "request that is not theirs.");
    case CQV_OUTCOME_CANCELLED:
      return _("The identity is not verified. Send a new request if you still need to.");
    case CQV_OUTCOME_NONE:
    case CQV_OUTCOME_ERROR:
    default:
      return _("The identity is not verified. Fix the problem and try again; if it persists, "
               "give support the Context ID from Details.");
    }
}

static void
set_style_class (CqvResultView *self, const char *style_class)
{
  if (self->style_class != NULL)
    gtk_widget_remove_css_class (GTK_WIDGET (self), self->style_class);
  self->style_class = style_class;
  gtk_widget_add_css_class (GTK_WIDGET (self), style_class);
}

static void
update (CqvResultView *self, const char *display_name)
{
  CqvOutcomeKind kind = cqv_outcome_get_kind (self->outcome);
  const char *upn = cqv_outcome_get_upn (self->outcome);
  const char *who;
  g_autofree char *summary = NULL;
  g_autofree char *elapsed = NULL;
  g_autofree char *finished = NULL;

  if (display_name != NULL && *display_name != '\0')
    who = display_name;
  else if (upn != NULL && *upn != '\0')
    who = upn;
  else
    who = _("The user");

  set_style_class (self, cqv_result_view_get_style_class (kind));
  gtk_image_set_from_icon_name (self->icon, cqv_result_view_get_icon_name (kind));
  gtk_widget_set_visible (GTK_WIDGET (self->alert_box), kind == CQV_OUTCOME_FRAUD_REPORTED);

  gtk_label_set_text (self->title_label, cqv_outcome_kind_get_title (kind));
  summary = build_summary (self->outcome, who);
  gtk_label_set_text (self->summary_label, summary);
  gtk_label_set_text (self->next_step_label, next_step (kind));

  /* Where the sentence already is the service's message, Details does not repeat it. */
  gtk_label_set_text (self->message_label, or_dash (cqv_outcome_get_message (self->outcome)));
  gtk_widget_set_visible (GTK_WIDGET (self->message_label),
                          g_strcmp0 (summary, cqv_outcome_get_message (self->outcome)) != 0);
  gtk_label_set_text (self->result_value_label,
                      or_dash (cqv_outcome_get_result_value (self->outcome)));
  gtk_label_set_text (self->context_id_label, or_dash (cqv_outcome_get_context_id (self->outcome)));
  elapsed =
    g_strdup_printf (_("%.1f seconds"), cqv_outcome_get_elapsed_ms (self->outcome) / 1000.0);
  gtk_label_set_text (self->elapsed_label, elapsed);
  finished = format_local (cqv_outcome_get_finished_at (self->outcome), "%x %X");
  gtk_label_set_text (self->finished_label, or_dash (finished));
}

static void
details_expanded_cb (CqvResultView *self)
{
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DETAILS_EXPANDED]);
}

static void
cqv_result_view_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), CQV_TYPE_RESULT_VIEW);

  G_OBJECT_CLASS (cqv_result_view_parent_class)->dispose (object);
}

static void
cqv_result_view_finalize (GObject *object)
{
  CqvResultView *self = (CqvResultView *) object;

  g_clear_object (&self->outcome);

  G_OBJECT_CLASS (cqv_result_view_parent_class)->finalize (object);
}

static void
cqv_result_view_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  CqvResultView *self = CQV_RESULT_VIEW (object);

  switch (prop_id)
    {
    case PROP_OUTCOME:
      g_value_set_object (value, self->outcome);
      break;

    case PROP_DETAILS_EXPANDED:
      g_value_set_boolean (value, gtk_expander_get_expanded (self->details_expander));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cqv_result_view_set_property (GObject *object,
                              guint prop_id,
                              const GValue *value,
                              GParamSpec *pspec)
{
  CqvResultView *self = CQV_RESULT_VIEW (object);

  switch (prop_id)
    {
    case PROP_DETAILS_EXPANDED:
      gtk_expander_set_expanded (self->details_expander, g_value_get_boolean (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cqv_result_view_class_init (CqvResultViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = cqv_result_view_dispose;
  object_class->finalize = cqv_result_view_finalize;
  object_class->get_property = cqv_result_view_get_property;
  object_class->set_property = cqv_result_view_set_property;

  properties[PROP_OUTCOME] = g_param_spec_object ("outcome", NULL, NULL, CQV_TYPE_OUTCOME,
                                                  G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_DETAILS_EXPANDED] =
    g_param_spec_boolean ("details-expanded", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/com/cyberqp/Verify/cqv-result-view.ui");
  gtk_widget_class_bind_template_child (widget_class, CqvResultView, box);
  gtk_widget_class_bind_template_child (widget_class, CqvResultView, alert_box);
  gtk_widget_class_bind_template_child (widget_class, CqvResultView, badge);
  gtk_widget_class_bind_template_child (widget_class, CqvResultView, icon);
  gtk_widget_class_bind_template_child (widget_class, CqvResultView, title_label);
  gtk_widget_class_bind_template_child (widget_class, CqvResultView, summary_label);
  gtk_widget_class_bind_template_child (widget_class, CqvResultView, next_step_box);
  gtk_widget_class_bind_template_child (widget_class, CqvResultView, next_step_label);
  gtk_widget_class_bind_template_child (widget_class, CqvResultView, details_expander);
  gtk_widget_class_bind_template_child (widget_class, CqvResultView, message_label);
  gtk_widget_class_bind_template_child (widget_class, CqvResultView, result_value_label);
  gtk_widget_class_bind_template_child (widget_class, CqvResultView, context_id_label);
  gtk_widget_class_bind_template_child (widget_class, CqvResultView, elapsed_label);
  gtk_widget_class_bind_template_child (widget_class, CqvResultView, finished_label);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
}

static void
cqv_result_view_init (CqvResultView *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  /* The expander notifies; the property mirrors it for whoever sizes the view. */
  g_signal_connect_object (self->details_expander, "notify::expanded",
                           G_CALLBACK (details_expanded_cb), self, G_CONNECT_SWAPPED);

  /* Read as one: "Identity Verified: Approved by … Next step …" */
  gtk_accessible_update_relation (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_RELATION_LABELLED_BY,
                                  self->title_label, NULL, -1);
  gtk_accessible_update_relation (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_RELATION_DESCRIBED_BY,
                                  self->summary_label, self->next_step_label, NULL, -1);
}

GtkWidget *
cqv_result_view_new (void)
{
  return g_object_new (CQV_TYPE_RESULT_VIEW, NULL);
}

CqvOutcome *
cqv_result_view_get_outcome (CqvResultView *self)
{
  g_return_val_if_fail (CQV_IS_RESULT_VIEW (self), NULL);

  return self->outcome;
}

void
cqv_result_view_set_outcome (CqvResultView *self, CqvOutcome *outcome, const char *display_name)
{
  g_return_if_fail (CQV_IS_RESULT_VIEW (self));
  g_return_if_fail (CQV_IS_OUTCOME (outcome));

  /* The same outcome may come again with another name: always refresh the texts. */
  g_set_object (&self->outcome, outcome);
  update (self, display_name);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_OUTCOME]);
}

const char *
cqv_result_view_get_title (CqvResultView *self)
{
  g_return_val_if_fail (CQV_IS_RESULT_VIEW (self), NULL);

  return gtk_label_get_text (self->title_label);
}

const char *
cqv_result_view_get_summary (CqvResultView *self)
{
  g_return_val_if_fail (CQV_IS_RESULT_VIEW (self), NULL);

  return gtk_label_get_text (self->summary_label);
}

const char *
cqv_result_view_get_next_step (CqvResultView *self)
{
  g_return_val_if_fail (CQV_IS_RESULT_VIEW (self), NULL);

  return gtk_label_get_text (self->next_step_label);
}

gboolean
cqv_result_view_get_details_expanded (CqvResultView *self)
{
  g_return_val_if_fail (CQV_IS_RESULT_VIEW (self), FALSE);

  return gtk_expander_get_expanded (self->details_expander);
}

void
cqv_result_view_set_details_expanded (CqvResultView *self, gboolean expanded)
{
  g_return_if_fail (CQV_IS_RESULT_VIEW (self));

  gtk_expander_set_expanded (self->details_expander, expanded);
}

const char *
cqv_result_view_get_style_class (CqvOutcomeKind kind)
{
  switch (kind)
    {
    case CQV_OUTCOME_APPROVED:
      return "cqv-result-success";
    case CQV_OUTCOME_FRAUD_REPORTED:
      return "cqv-result-fraud";
    case CQV_OUTCOME_DENIED:
    case CQV_OUTCOME_BLOCKED:
    case CQV_OUTCOME_ERROR:
      return "cqv-result-error";
    case CQV_OUTCOME_TIMED_OUT:
    case CQV_OUTCOME_NOT_DELIVERED:
    case CQV_OUTCOME_NOT_ENROLLED:
    case CQV_OUTCOME_BUSY:
    case CQV_OUTCOME_THROTTLED:
      return "cqv-result-warning";
    case CQV_OUTCOME_CANCELLED:
    case CQV_OUTCOME_NONE:
    default:
      return "cqv-result-neutral";
    }
}

const char *
cqv_result_view_get_icon_name (CqvOutcomeKind kind)
{
  switch (kind)
    {
    case CQV_OUTCOME_APPROVED:
      return "emblem-ok-symbolic";
    case CQV_OUTCOME_DENIED:
      return "action-unavailable-symbolic";
    case CQV_OUTCOME_FRAUD_REPORTED:
      return "dialog-warning-symbolic";
    case CQV_OUTCOME_TIMED_OUT:
      return "alarm-symbolic";
    case CQV_OUTCOME_NOT_DELIVERED:
    case CQV_OUTCOME_NOT_ENROLLED:
      return "phone-symbolic";
    case CQV_OUTCOME_BLOCKED:
      return "system-lock-screen-symbolic";
    case CQV_OUTCOME_BUSY:
    case CQV_OUTCOME_THROTTLED:
      return "appointment-soon-symbolic";
    case CQV_OUTCOME_CANCELLED:
      return "process-stop-symbolic";
    case CQV_OUTCOME_NONE:
    case CQV_OUTCOME_ERROR:
    default:
      return "dialog-error-symbolic";
    }
}
