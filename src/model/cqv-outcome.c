/* SPDX-License-Identifier: GPL-3.0-or-later */

#define G_LOG_DOMAIN "cqv-outcome"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "cqv-model-enums.h"
#include "cqv-outcome.h"

struct _CqvOutcome
{
  GObject parent_instance;

  CqvOutcomeKind kind;
  char *message;
  char *result_value;
  char *upn;
  char *tenant;
  char *context_id;
  gint64 elapsed_ms;
  GDateTime *finished_at;
};

G_DEFINE_FINAL_TYPE (CqvOutcome, cqv_outcome, G_TYPE_OBJECT)

enum
{
  PROP_0,
  PROP_KIND,
  PROP_MESSAGE,
  PROP_RESULT_VALUE,
  PROP_UPN,
  PROP_TENANT,
  PROP_CONTEXT_ID,
  PROP_ELAPSED_MS,
  PROP_FINISHED_AT,
  PROP_APPROVED,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
set_string (CqvOutcome *self, char **field, const char *value, guint prop_id)
{
  if (g_strcmp0 (*field, value) == 0)
    return;

  g_free (*field);
  *field = g_strdup (value);
  g_object_notify_by_pspec (G_OBJECT (self), properties[prop_id]);
}

static void
cqv_outcome_finalize (GObject *object)
{
  CqvOutcome *self = (CqvOutcome *) object;

  g_clear_pointer (&self->message, g_free);
  g_clear_pointer (&self->result_value, g_free);
  g_clear_pointer (&self->upn, g_free);
  g_clear_pointer (&self->tenant, g_free);
  g_clear_pointer (&self->context_id, g_free);
  g_clear_pointer (&self->finished_at, g_date_time_unref);

  G_OBJECT_CLASS (cqv_outcome_parent_class)->finalize (object);
}

static void
cqv_outcome_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  CqvOutcome *self = CQV_OUTCOME (object);

  switch (prop_id)
    {
    case PROP_KIND:
      g_value_set_enum (value, self->kind);
      break;
    case PROP_MESSAGE:
      g_value_set_string (value, self->message);
      break;
    case PROP_RESULT_VALUE:
      g_value_set_string (value, self->result_value);
      break;
    case PROP_UPN:
      g_value_set_string (value, self->upn);
      break;
    case PROP_TENANT:
      g_value_set_string (value, self->tenant);
      break;
    case PROP_CONTEXT_ID:
      g_value_set_string (value, self->context_id);
      break;
    case PROP_ELAPSED_MS:
      g_value_set_int64 (value, self->elapsed_ms);
      break;
    case PROP_FINISHED_AT:
      g_value_set_boxed (value, self->finished_at);
      break;
    case PROP_APPROVED:
      g_value_set_boolean (value, cqv_outcome_is_approved (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cqv_outcome_set_property (GObject *object, guint prop_id, const GValue *value, GParamSpec *pspec)
{
  CqvOutcome *self = CQV_OUTCOME (object);

  switch (prop_id)
    {
    case PROP_KIND:
      self->kind = g_value_get_enum (value);
      break;
    case PROP_MESSAGE:
      cqv_outcome_set_message (self, g_value_get_string (value));
      break;
    case PROP_RESULT_VALUE:
      cqv_outcome_set_result_value (self, g_value_get_string (value));
      break;
    case PROP_UPN:
      cqv_outcome_set_upn (self, g_value_get_string (value));
      break;
    case PROP_TENANT:
      cqv_outcome_set_tenant (self, g_value_get_string (value));
      break;
    case PROP_CONTEXT_ID:
      cqv_outcome_set_context_id (self, g_value_get_string (value));
      break;
    case PROP_ELAPSED_MS:
      cqv_outcome_set_elapsed_ms (self, g_value_get_int64 (value));
      break;
    case PROP_FINISHED_AT:
      cqv_outcome_set_finished_at (self, g_value_get_boxed (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cqv_outcome_class_init (CqvOutcomeClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = cqv_outcome_finalize;
  object_class->get_property = cqv_outcome_get_property;
  object_class->set_property = cqv_outcome_set_property;

  /* The kind is fixed at construction: an outcome never turns from red to green. */
  properties[PROP_KIND] =
    g_param_spec_enum ("kind", NULL, NULL, CQV_TYPE_OUTCOME_KIND, CQV_OUTCOME_NONE,
                       G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_MESSAGE] =
    g_param_spec_string ("message", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_RESULT_VALUE] =
    g_param_spec_string ("result-value", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_UPN] = g_param_spec_string (
    "upn", NULL, NULL, NULL, G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_TENANT] =
    g_param_spec_string ("tenant", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_CONTEXT_ID] =
    g_param_spec_string ("context-id", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_ELAPSED_MS] =
    g_param_spec_int64 ("elapsed-ms", NULL, NULL, 0, G_MAXINT64, 0,
                        G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_FINISHED_AT] =
    g_param_spec_boxed ("finished-at", NULL, NULL, G_TYPE_DATE_TIME,
                        G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_APPROVED] =
    g_param_spec_boolean ("approved", NULL, NULL, FALSE, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
cqv_outcome_init (CqvOutcome *self)
{
}

CqvOutcome *
cqv_outcome_new (CqvOutcomeKind kind, const char *message)
{
  return g_object_new (CQV_TYPE_OUTCOME, "kind", kind, "message", message, NULL);
}

CqvOutcomeKind
cqv_outcome_get_kind (CqvOutcome *self)
{
  g_return_val_if_fail (CQV_IS_OUTCOME (self), CQV_OUTCOME_ERROR);

  return self->kind;
}

const char *
cqv_outcome_get_message (CqvOutcome *self)
{
  g_return_val_if_fail (CQV_IS_OUTCOME (self), NULL);

  return self->message;
}

void
cqv_outcome_set_message (CqvOutcome *self, const char *message)
{
  g_return_if_fail (CQV_IS_OUTCOME (self));

  set_string (self, &self->message, message, PROP_MESSAGE);
}

const char *
cqv_outcome_get_result_value (CqvOutcome *self)
{
  g_return_val_if_fail (CQV_IS_OUTCOME (self), NULL);

  return self->result_value;
}

void
cqv_outcome_set_result_value (CqvOutcome *self, const char *result_value)
{
  g_return_if_fail (CQV_IS_OUTCOME (self));

  set_string (self, &self->result_value, result_value, PROP_RESULT_VALUE);
}

const char *
cqv_outcome_get_upn (CqvOutcome *self)
{
  g_return_val_if_fail (CQV_IS_OUTCOME (self), NULL);

  return self->upn;
}

void
cqv_outcome_set_upn (CqvOutcome *self, const char *upn)
{
  g_return_if_fail (CQV_IS_OUTCOME (self));

  set_string (self, &self->upn, upn, PROP_UPN);
}

const char *
cqv_outcome_get_tenant (CqvOutcome *self)
{
  g_return_val_if_fail (CQV_IS_OUTCOME (self), NULL);

  return self->tenant;
}

void
cqv_outcome_set_tenant (CqvOutcome *self, const char *tenant)
{
  g_return_if_fail (CQV_IS_OUTCOME (self));

  set_string (self, &self->tenant, tenant, PROP_TENANT);
}

const char *
cqv_outcome_get_context_id (CqvOutcome *self)
{
  g_return_val_if_fail (CQV_IS_OUTCOME (self), NULL);

  return self->context_id;
}

void
cqv_outcome_set_context_id (CqvOutcome *self, const char *context_id)
{
  g_return_if_fail (CQV_IS_OUTCOME (self));

  set_string (self, &self->context_id, context_id, PROP_CONTEXT_ID);
}

gint64
cqv_outcome_get_elapsed_ms (CqvOutcome *self)
{
  g_return_val_if_fail (CQV_IS_OUTCOME (self), 0);

  return self->elapsed_ms;
}

void
cqv_outcome_set_elapsed_ms (CqvOutcome *self, gint64 elapsed_ms)
{
  g_return_if_fail (CQV_IS_OUTCOME (self));
  g_return_if_fail (elapsed_ms >= 0);

  if (self->elapsed_ms == elapsed_ms)
    return;

  self->elapsed_ms = elapsed_ms;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ELAPSED_MS]);
}

GDateTime *
cqv_outcome_get_finished_at (CqvOutcome *self)
{
  g_return_val_if_fail (CQV_IS_OUTCOME (self), NULL);

  return self->finished_at;
}

void
cqv_outcome_set_finished_at (CqvOutcome *self, GDateTime *finished_at)
{
  g_return_if_fail (CQV_IS_OUTCOME (self));

  if (self->finished_at == finished_at || (self->finished_at != NULL && finished_at != NULL &&
                                           g_date_time_equal (self->finished_at, finished_at)))
    return;

  g_clear_pointer (&self->finished_at, g_date_time_unref);
  if (finished_at != NULL)
    self->finished_at = g_date_time_ref (finished_at);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FINISHED_AT]);
}

gboolean
cqv_outcome_is_approved (CqvOutcome *self)
{
  g_return_val_if_fail (CQV_IS_OUTCOME (self), FALSE);

  return self->kind == CQV_OUTCOME_APPROVED;
}

const char *
cqv_outcome_kind_to_string (CqvOutcomeKind kind)
{
  switch (kind)
    {
    case CQV_OUTCOME_NONE:
      return "none";
    case CQV_OUTCOME_APPROVED:
      return "approved";
    case CQV_OUTCOME_DENIED:
      return "denied";
    case CQV_OUTCOME_FRAUD_REPORTED:
      return "fraud-reported";
    case CQV_OUTCOME_TIMED_OUT:
      return "timed-out";
    case CQV_OUTCOME_NOT_DELIVERED:
      return "not-delivered";
    case CQV_OUTCOME_NOT_ENROLLED:
      return "not-enrolled";
    case CQV_OUTCOME_BLOCKED:
      return "blocked";
    case CQV_OUTCOME_BUSY:
      return "busy";
    case CQV_OUTCOME_THROTTLED:
      return "throttled";
    case CQV_OUTCOME_CANCELLED:
      return "cancelled";
    case CQV_OUTCOME_ERROR:
      return "error";
    default:
      g_return_val_if_reached ("error");
    }
}

const char *
cqv_outcome_kind_get_title (CqvOutcomeKind kind)
{
  switch (kind)
    {
    case CQV_OUTCOME_APPROVED:
      return _("Identity Verified");
    case CQV_OUTCOME_DENIED:
      return _("Identity Verification Denied");
    case CQV_OUTCOME_FRAUD_REPORTED:
      return _("Fraud Reported");
    case CQV_OUTCOME_TIMED_OUT:
      return _("No Response");
    case CQV_OUTCOME_NOT_DELIVERED:
      return _("Not Delivered");
    case CQV_OUTCOME_NOT_ENROLLED:
      return _("Authenticator Not Registered");
    case CQV_OUTCOME_BLOCKED:
      return _("Account Blocked");
    case CQV_OUTCOME_BUSY:
      return _("Verification Already Pending");
    case CQV_OUTCOME_THROTTLED:
      return _("Too Many Attempts");
    case CQV_OUTCOME_CANCELLED:
      return _("Cancelled");
    case CQV_OUTCOME_NONE:
    case CQV_OUTCOME_ERROR:
    default:
      return _("Verification Failed");
    }
}

/* The CLI contract: 0 approved, 1 other, 10 denied, 11 fraud, 12 timed out, 13 not eligible,
 * 14 try again later. */
int
cqv_outcome_kind_get_exit_code (CqvOutcomeKind kind)
{
  switch (kind)
    {
    case CQV_OUTCOME_APPROVED:
      return 0;
    case CQV_OUTCOME_DENIED:
      return 10;
    case CQV_OUTCOME_FRAUD_REPORTED:
      return 11;
    case CQV_OUTCOME_TIMED_OUT:
      return 12;
    case CQV_OUTCOME_NOT_DELIVERED:
    case CQV_OUTCOME_NOT_ENROLLED:
    case CQV_OUTCOME_BLOCKED:
      return 13;
    case CQV_OUTCOME_BUSY:
    case CQV_OUTCOME_THROTTLED:
      return 14;
    case CQV_OUTCOME_NONE:
    case CQV_OUTCOME_CANCELLED:
    case CQV_OUTCOME_ERROR:
    default:
      return 1;
    }
}
