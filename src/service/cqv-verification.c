/* SPDX-License-Identifier: GPL-3.0-or-later */

#define G_LOG_DOMAIN "cqv-verification"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "cqv-service-enums.h"
#include "cqv-tenant-check.h"
#include "cqv-verification.h"

struct _CqvVerification
{
  GObject parent_instance;

  CqvTenantContext *context;
  CqvUser *user;
  char *ticket;
  char *context_id;
  CqvVerificationState state;
  guint push_window;
  guint seconds_left;

  GTask *task; /* while running */
  GCancellable *cancellable;
  GCancellable *caller_cancellable;
  gulong caller_handler;
  GSource *countdown;
  gint64 started_us;
  gboolean guard_marked;
  gboolean push_sent;

  CqvOutcome *outcome;
  CqvReadiness *readiness;
  GError *error;
};

G_DEFINE_FINAL_TYPE (CqvVerification, cqv_verification, G_TYPE_OBJECT)

enum
{
  PROP_0,
  PROP_CONTEXT,
  PROP_USER,
  PROP_TICKET,
  PROP_CONTEXT_ID,
  PROP_STATE,
  PROP_PUSH_WINDOW,
  PROP_SECONDS_LEFT,
  PROP_OUTCOME,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
set_state (CqvVerification *self, CqvVerificationState state)
{
  if (self->state == state)
    return;

  self->state = state;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
}

static void
set_seconds_left (CqvVerification *self, guint seconds)
{
  if (self->seconds_left == seconds)
    return;

  self->seconds_left = seconds;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SECONDS_LEFT]);
}

static const char *
tenant_id (CqvVerification *self)
{
  return cqv_tenant_get_tenant_id (cqv_tenant_context_get_tenant (self->context));
}

/* What the tenant's setup checklist last found that keeps every push from working: only what a
 * finished run said; the attempt never runs the checklist itself. */
static CqvReadiness *
check_readiness (CqvVerification *self)
{
  CqvTenantCheck *check = cqv_tenant_context_get_check (self->context);
  CqvCheckItem *blocking =
    cqv_tenant_check_get_has_run (check) ? cqv_tenant_check_get_blocking_item (check) : NULL;

  return cqv_readiness_check_full (cqv_tenant_context_get_push_guard (self->context),
                                   tenant_id (self), self->user, blocking, NULL);
}

static void
stop_countdown (CqvVerification *self)
{
  if (self->countdown != NULL)
    {
      g_source_destroy (self->countdown);
      g_clear_pointer (&self->countdown, g_source_unref);
    }
}

static gboolean
countdown_tick_cb (gpointer user_data)
{
  CqvVerification *self = user_data;

  if (self->seconds_left > 0)
    set_seconds_left (self, self->seconds_left - 1);

  if (self->seconds_left == 0)
    {
      g_clear_pointer (&self->countdown, g_source_unref);
      return G_SOURCE_REMOVE;
    }
  return G_SOURCE_CONTINUE;
}

static void
start_countdown (CqvVerification *self)
{
  stop_countdown (self);
  set_seconds_left (self, self->push_window);

  self->countdown = g_timeout_source_new (1000);
  g_source_set_callback (self->countdown, countdown_tick_cb, self, NULL);
  g_source_attach (self->countdown, g_task_get_context (self->task));
}

/* Ends the attempt once (later calls are ignored): fills in the outcome and returns it. */
static void
finish (CqvVerification *self, CqvOutcome *outcome)
{
  g_autoptr (GTask) task = g_steal_pointer (&self->task);
  g_autoptr (GDateTime) now = NULL;
  gint64 elapsed;

  if (task == NULL)
    return;

  stop_countdown (self);
  if (self->caller_handler != 0)
    g_cancellable_disconnect (self->caller_cancellable, self->caller_handler);
  self->caller_handler = 0;
  g_clear_object (&self->caller_cancellable);

  if (self->guard_marked)
    cqv_push_guard_end (cqv_tenant_context_get_push_guard (self->context), tenant_id (self),
                        cqv_readiness_user_key (self->user));
  self->guard_marked = FALSE;

  now = g_date_time_new_now_utc ();
  elapsed = (g_get_monotonic_time () - self->started_us) / 1000;
  cqv_outcome_set_upn (outcome, cqv_user_get_upn (self->user));
  cqv_outcome_set_tenant (outcome, tenant_id (self));
  cqv_outcome_set_context_id (outcome, self->context_id);
  cqv_outcome_set_elapsed_ms (outcome, elapsed);
  cqv_outcome_set_finished_at (outcome, now);

  if (self->push_sent)
    cqv_user_set_last_verification (self->user, cqv_outcome_get_kind (outcome), now);

  g_debug ("Verification %s of %s: %s after %" G_GINT64_FORMAT " ms", self->context_id,
           cqv_user_get_upn (self->user),
           cqv_outcome_kind_to_string (cqv_outcome_get_kind (outcome)), elapsed);

  g_set_object (&self->outcome, outcome);
  set_state (self, CQV_VERIFICATION_STATE_DONE);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_OUTCOME]);

  g_task_return_pointer (task, g_object_ref (outcome), g_object_unref);
}

static void
finish_cancelled (CqvVerification *self)
{
  g_autoptr (CqvOutcome) outcome = NULL;

  if (self->push_sent)
    outcome = cqv_outcome_new (CQV_OUTCOME_CANCELLED,
                               _("Cancelled while waiting for the answer. The push may still "
                                 "show on the phone; its answer will not count."));
  else
    outcome = cqv_outcome_new (CQV_OUTCOME_CANCELLED, _("Cancelled before a push was sent."));
  finish (self, outcome);
}

static void
finish_error (CqvVerification *self, GError *error)
{
  g_autoptr (CqvOutcome) outcome = NULL;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_error_free (error);
      finish_cancelled (self);
      return;
    }

  g_clear_error (&self->error);
  self->error = error;
  outcome = cqv_outcome_new (CQV_OUTCOME_ERROR, error->message);
  finish (self, outcome);
}

static void
finish_refused (CqvVerification *self, CqvReadiness *readiness)
{
  g_autoptr (CqvOutcome) outcome = NULL;
  CqvOutcomeKind kind;

  switch (cqv_readiness_get_reason (readiness))
    {
    case CQV_READINESS_REASON_NOT_REGISTERED:
      kind = CQV_OUTCOME_NOT_ENROLLED;
      break;

    case CQV_READINESS_REASON_IN_FLIGHT:
      kind = CQV_OUTCOME_BUSY;
      break;

    case CQV_READINESS_REASON_COOL_DOWN:
      kind = CQV_OUTCOME_THROTTLED;
      break;

    case CQV_READINESS_REASON_READY:
    case CQV_READINESS_REASON_CHECK_AUTHENTICATOR:
    case CQV_READINESS_REASON_GUEST:
    case CQV_READINESS_REASON_DISABLED:
    case CQV_READINESS_REASON_PERMISSION_MISSING:
    case CQV_READINESS_REASON_TENANT_ERROR:
    case CQV_READINESS_REASON_TENANT_SETUP:
    default:
      kind = CQV_OUTCOME_ERROR;
      break;
    }

  g_set_object (&self->readiness, readiness);
  outcome = cqv_outcome_new (kind, cqv_readiness_get_message (readiness));
  finish (self, outcome);
}

static void
push_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (CqvVerification) self = user_data;
  g_autoptr (CqvOutcome) outcome = NULL;
  GError *error = NULL;

  outcome = cqv_connector_push_finish (CQV_CONNECTOR (object), result, &error);
  if (self->task == NULL)
    {
      g_clear_error (&error);
      return;
    }

  if (outcome == NULL)
    {
      /* No token: nothing went out. */
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        self->push_sent = FALSE;
      finish_error (self, error);
      return;
    }

  finish (self, outcome);
}

static void
send_push (CqvVerification *self)
{
  CqvConnector *connector = cqv_tenant_context_get_connector (self->context);

  self->push_sent = TRUE;
  cqv_push_guard_record_push (cqv_tenant_context_get_push_guard (self->context), tenant_id (self),
                              cqv_readiness_user_key (self->user));
  set_state (self, CQV_VERIFICATION_STATE_WAITING);
  start_countdown (self);

  cqv_connector_push_async (connector, cqv_user_get_upn (self->user), self->context_id,
                            self->cancellable, push_cb, g_object_ref (self));
}

static void
secrets_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (CqvVerification) self = user_data;
  GError *error = NULL;

  if (!cqv_connector_secrets_ensure_finish (CQV_CONNECTOR_SECRETS (object), result, &error))
    {
      if (self->task != NULL)
        finish_error (self, error);
      else
        g_error_free (error);
      return;
    }

  if (self->task == NULL)
    return;

  if (g_cancellable_is_cancelled (self->cancellable))
    finish_cancelled (self);
  else
    send_push (self);
}

static void
ensure_secrets (CqvVerification *self)
{
  cqv_connector_secrets_ensure_async (cqv_tenant_context_get_connector_secrets (self->context),
                                      self->cancellable, secrets_cb, g_object_ref (self));
}

static void
check_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (CqvVerification) self = user_data;
  g_autoptr (CqvReadiness) readiness = NULL;
  GError *error = NULL;
  CqvAuthenticatorState state;

  state = cqv_directory_check_user_finish (CQV_DIRECTORY (object), result, &error);
  if (self->task == NULL)
    {
      g_clear_error (&error);
      return;
    }
  if (error != NULL)
    {
      g_prefix_error (&error,
                      _("Could not check whether this user has Microsoft Authenticator: "));
      finish_error (self, error);
      return;
    }

  if (state != CQV_AUTHENTICATOR_REGISTERED)
    cqv_user_set_authenticator (self->user, state);

  readiness = check_readiness (self);
  switch (cqv_readiness_get_reason (readiness))
    {
    case CQV_READINESS_REASON_NOT_REGISTERED:
    case CQV_READINESS_REASON_TENANT_SETUP: /* a check that finished meanwhile */
      finish_refused (self, readiness);
      break;

    case CQV_READINESS_REASON_READY:
    case CQV_READINESS_REASON_IN_FLIGHT: /* that is us */
      ensure_secrets (self);
      break;

    case CQV_READINESS_REASON_CHECK_AUTHENTICATOR:
    case CQV_READINESS_REASON_GUEST:
    case CQV_READINESS_REASON_DISABLED:
    case CQV_READINESS_REASON_PERMISSION_MISSING:
    case CQV_READINESS_REASON_TENANT_ERROR:
    case CQV_READINESS_REASON_COOL_DOWN:
    default:
      /* Still unknown: never push on a guess. */
      finish_error (self, g_error_new (G_IO_ERROR, G_IO_ERROR_FAILED,
                                       _("Could not find out whether this user has Microsoft "
                                         "Authenticator. Try again.")));
      break;
    }
}

static void
load_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (CqvVerification) self = user_data;
  GError *error = NULL;

  if (!cqv_tenant_context_load_finish (CQV_TENANT_CONTEXT (object), result, &error))
    {
      if (self->task != NULL)
        finish_error (self, error);
      else
        g_error_free (error);
      return;
    }

  if (self->task == NULL)
    return;

  if (cqv_readiness_get_reason (self->readiness) == CQV_READINESS_REASON_CHECK_AUTHENTICATOR)
    cqv_directory_check_user_async (cqv_tenant_context_get_directory (self->context), self->user,
                                    self->cancellable, check_cb, g_object_ref (self));
  else
    ensure_secrets (self);
}

static gboolean
cancel_idle_cb (gpointer user_data)
{
  CqvVerification *self = user_data;

  if (self->task != NULL)
    finish_cancelled (self);
  return G_SOURCE_REMOVE;
}

static gboolean
caller_cancel_idle_cb (gpointer user_data)
{
  cqv_verification_cancel (CQV_VERIFICATION (user_data));
  return G_SOURCE_REMOVE;
}

static void
caller_cancelled_cb (GCancellable *cancellable, gpointer user_data)
{
  CqvVerification *self = user_data;
  g_autoptr (GSource) source = NULL;

  if (self->task == NULL)
    return;

  /* Not from inside the handler: finishing disconnects it, which would deadlock here. */
  source = g_idle_source_new ();
  g_source_set_priority (source, G_PRIORITY_DEFAULT);
  g_source_set_callback (source, caller_cancel_idle_cb, g_object_ref (self), g_object_unref);
  g_source_attach (source, g_task_get_context (self->task));
}

static void
cqv_verification_dispose (GObject *object)
{
  CqvVerification *self = (CqvVerification *) object;

  stop_countdown (self);

  G_OBJECT_CLASS (cqv_verification_parent_class)->dispose (object);
}

static void
cqv_verification_finalize (GObject *object)
{
  CqvVerification *self = (CqvVerification *) object;

  /* A running attempt holds a reference on us. */
  g_assert (self->task == NULL);

  g_clear_object (&self->context);
  g_clear_object (&self->user);
  g_clear_pointer (&self->ticket, g_free);
  g_clear_pointer (&self->context_id, g_free);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->outcome);
  g_clear_object (&self->readiness);
  g_clear_error (&self->error);

  G_OBJECT_CLASS (cqv_verification_parent_class)->finalize (object);
}

static void
cqv_verification_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  CqvVerification *self = CQV_VERIFICATION (object);

  switch (prop_id)
    {
    case PROP_CONTEXT:
      g_value_set_object (value, self->context);
      break;

    case PROP_USER:
      g_value_set_object (value, self->user);
      break;

    case PROP_TICKET:
      g_value_set_string (value, self->ticket);
      break;

    case PROP_CONTEXT_ID:
      g_value_set_string (value, self->context_id);
      break;

    case PROP_STATE:
      g_value_set_enum (value, self->state);
      break;

    case PROP_PUSH_WINDOW:
      g_value_set_uint (value, self->push_window);
      break;

    case PROP_SECONDS_LEFT:
      g_value_set_uint (value, self->seconds_left);
      break;

    case PROP_OUTCOME:
      g_value_set_object (value, self->outcome);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cqv_verification_set_property (GObject *object,
                               guint prop_id,
                               const GValue *value,
                               GParamSpec *pspec)
{
  CqvVerification *self = CQV_VERIFICATION (object);

  switch (prop_id)
    {
    case PROP_CONTEXT:
      self->context = g_value_dup_object (value);
      break;

    case PROP_USER:
      self->user = g_value_dup_object (value);
      break;

    case PROP_TICKET:
      self->ticket = g_value_dup_string (value);
      break;

    case PROP_PUSH_WINDOW:
      cqv_verification_set_push_window (self, g_value_get_uint (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cqv_verification_class_init (CqvVerificationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = cqv_verification_dispose;
  object_class->finalize = cqv_verification_finalize;
  object_class->get_property = cqv_verification_get_property;
  object_class->set_property = cqv_verification_set_property;

  properties[PROP_CONTEXT] =
    g_param_spec_object ("context", NULL, NULL, CQV_TYPE_TENANT_CONTEXT,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_USER] =
    g_param_spec_object ("user", NULL, NULL, CQV_TYPE_USER,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_TICKET] =
    g_param_spec_string ("ticket", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_CONTEXT_ID] =
    g_param_spec_string ("context-id", NULL, NULL, NULL, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_STATE] =
    g_param_spec_enum ("state", NULL, NULL, CQV_TYPE_VERIFICATION_STATE,
                       CQV_VERIFICATION_STATE_IDLE, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_PUSH_WINDOW] =
    g_param_spec_uint ("push-window", NULL, NULL, 1, 3600, 60,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SECONDS_LEFT] = g_param_spec_uint ("seconds-left", NULL, NULL, 0, 3600, 60,
                                                     G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_OUTCOME] = g_param_spec_object ("outcome", NULL, NULL, CQV_TYPE_OUTCOME,
                                                  G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
cqv_verification_init (CqvVerification *self)
{
  self->push_window = 60;
  self->seconds_left = 60;
  self->cancellable = g_cancellable_new ();
}

CqvVerification *
cqv_verification_new (CqvTenantContext *context, CqvUser *user, const char *ticket)
{
  g_return_val_if_fail (CQV_IS_TENANT_CONTEXT (context), NULL);
  g_return_val_if_fail (CQV_IS_USER (user), NULL);

  return g_object_new (CQV_TYPE_VERIFICATION, "context", context, "user", user, "ticket", ticket,
                       NULL);
}

CqvTenantContext *
cqv_verification_get_context (CqvVerification *self)
{
  g_return_val_if_fail (CQV_IS_VERIFICATION (self), NULL);

  return self->context;
}

CqvUser *
cqv_verification_get_user (CqvVerification *self)
{
  g_return_val_if_fail (CQV_IS_VERIFICATION (self), NULL);

  return self->user;
}

const char *
cqv_verification_get_ticket (CqvVerification *self)
{
  g_return_val_if_fail (CQV_IS_VERIFICATION (self), NULL);

  return self->ticket;
}

const char *
cqv_verification_get_context_id (CqvVerification *self)
{
  g_return_val_if_fail (CQV_IS_VERIFICATION (self), NULL);

  return self->context_id;
}

CqvVerificationState
cqv_verification_get_state (CqvVerification *self)
{
  g_return_val_if_fail (CQV_IS_VERIFICATION (self), CQV_VERIFICATION_STATE_IDLE);

  return self->state;
}

guint
cqv_verification_get_push_window (CqvVerification *self)
{
  g_return_val_if_fail (CQV_IS_VERIFICATION (self), 0);

  return self->push_window;
}

void
cqv_verification_set_push_window (CqvVerification *self, guint seconds)
{
  g_return_if_fail (CQV_IS_VERIFICATION (self));
  g_return_if_fail (seconds > 0);

  if (self->push_window == seconds)
    return;

  self->push_window = seconds;
  if (self->state == CQV_VERIFICATION_STATE_IDLE)
    set_seconds_left (self, seconds);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PUSH_WINDOW]);
}

guint
cqv_verification_get_seconds_left (CqvVerification *self)
{
  g_return_val_if_fail (CQV_IS_VERIFICATION (self), 0);

  return self->seconds_left;
}

void
cqv_verification_run_async (CqvVerification *self,
                            GCancellable *cancellable,
                            GAsyncReadyCallback callback,
                            gpointer user_data)
{
  g_autoptr (CqvReadiness) readiness = NULL;
  CqvPushGuard *guard;

  g_return_if_fail (CQV_IS_VERIFICATION (self));
  g_return_if_fail (self->state == CQV_VERIFICATION_STATE_IDLE && self->task == NULL);
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  self->task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (self->task, cqv_verification_run_async);
  /* Cancellation is an outcome, not an error. */
  g_task_set_check_cancellable (self->task, FALSE);

  self->started_us = g_get_monotonic_time ();
  self->context_id = g_uuid_string_random ();
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CONTEXT_ID]);
  set_state (self, CQV_VERIFICATION_STATE_PREPARING);

  if (cancellable != NULL)
    {
      self->caller_cancellable = g_object_ref (cancellable);
      self->caller_handler =
        g_cancellable_connect (cancellable, G_CALLBACK (caller_cancelled_cb), self, NULL);
    }

  if (g_cancellable_is_cancelled (cancellable))
    {
      finish_cancelled (self);
      return;
    }

  guard = cqv_tenant_context_get_push_guard (self->context);
  readiness = check_readiness (self);
  if (!cqv_readiness_get_allowed (readiness))
    {
      finish_refused (self, readiness);
      return;
    }

  if (!cqv_push_guard_begin (guard, tenant_id (self), cqv_readiness_user_key (self->user)))
    {
      g_autoptr (CqvReadiness) busy = check_readiness (self);

      finish_refused (self, busy);
      return;
    }
  self->guard_marked = TRUE;
  g_set_object (&self->readiness, readiness);

  cqv_tenant_context_load_async (self->context, self->cancellable, load_cb, g_object_ref (self));
}

CqvOutcome *
cqv_verification_run_finish (CqvVerification *self, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (CQV_IS_VERIFICATION (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

void
cqv_verification_cancel (CqvVerification *self)
{
  g_autoptr (GSource) source = NULL;

  g_return_if_fail (CQV_IS_VERIFICATION (self));

  if (self->task == NULL)
    return;

  g_cancellable_cancel (self->cancellable);

  /* Finish promptly even when an operation is slow to notice the cancellation. */
  if (self->task != NULL)
    {
      source = g_idle_source_new ();
      g_source_set_priority (source, G_PRIORITY_DEFAULT);
      g_source_set_callback (source, cancel_idle_cb, g_object_ref (self), g_object_unref);
      g_source_attach (source, g_task_get_context (self->task));
    }
}

CqvOutcome *
cqv_verification_get_outcome (CqvVerification *self)
{
  g_return_val_if_fail (CQV_IS_VERIFICATION (self), NULL);

  return self->outcome;
}

CqvReadiness *
cqv_verification_get_readiness (CqvVerification *self)
{
  g_return_val_if_fail (CQV_IS_VERIFICATION (self), NULL);

  if (self->readiness == NULL || cqv_readiness_get_allowed (self->readiness))
    return NULL;
  return self->readiness;
}

const GError *
cqv_verification_get_error (CqvVerification *self)
{
  g_return_val_if_fail (CQV_IS_VERIFICATION (self), NULL);

  return self->error;
}

gboolean
cqv_verification_get_push_sent (CqvVerification *self)
{
  g_return_val_if_fail (CQV_IS_VERIFICATION (self), FALSE);

  return self->push_sent;
}
