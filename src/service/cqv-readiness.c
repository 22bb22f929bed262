/* SPDX-License-Identifier: GPL-3.0-or-later */

#define G_LOG_DOMAIN "cqv-readiness"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "cqv-graph-client.h"
#include "cqv-readiness.h"
#include "cqv-service-enums.h"

struct _CqvReadiness
{
  GObject parent_instance;

  CqvReadinessReason reason;
  char *message;
  GDateTime *retry_at;
  char *fix_url;
};

G_DEFINE_FINAL_TYPE (CqvReadiness, cqv_readiness, G_TYPE_OBJECT)

enum
{
  PROP_0,
  PROP_ALLOWED,
  PROP_REASON,
  PROP_MESSAGE,
  PROP_RETRY_AT,
  PROP_FIX_URL,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static CqvReadiness *
readiness_new (CqvReadinessReason reason, char *message, GDateTime *retry_at)
{
  CqvReadiness *self = g_object_new (CQV_TYPE_READINESS, NULL);

  self->reason = reason;
  self->message = message != NULL ? message : g_strdup ("");
  self->retry_at = retry_at;
  return self;
}

/* What the red line says: which line, what was found, how to fix it. */
static CqvReadiness *
tenant_setup_new (CqvCheckItem *item)
{
  CqvReadiness *self;
  const char *detail = cqv_check_item_get_detail (item);
  const char *fix = cqv_check_item_get_fix (item);
  g_autofree char *message = NULL;

  /* Translators: the first %s is a line of the tenant's setup checklist ("MFA connector
   * secret"), the second what was found, the third how to fix it; each but the first a
   * sentence. */
  message = g_strdup_printf (_("This tenant is not ready for pushes. %s: %s %s"),
                                cqv_check_item_get_title (item), detail != NULL ? detail : "",
                                fix != NULL ? fix : "");
  self = readiness_new (CQV_READINESS_REASON_TENANT_SETUP, g_strchomp (g_steal_pointer (&message)),
                        NULL);
  self->fix_url = g_strdup (cqv_check_item_get_fix_url (item));
  return self;
}

static char *
format_time (GDateTime *when)
{
  g_autoptr (GDateTime) local = g_date_time_to_local (when);

  return g_date_time_format (local, "%X");
}

static void
cqv_readiness_finalize (GObject *object)
{
  CqvReadiness *self = (CqvReadiness *) object;

  g_clear_pointer (&self->message, g_free);
  g_clear_pointer (&self->retry_at, g_date_time_unref);
  g_clear_pointer (&self->fix_url, g_free);

  G_OBJECT_CLASS (cqv_readiness_parent_class)->finalize (object);
}

static void
cqv_readiness_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  CqvReadiness *self = CQV_READINESS (object);

  switch (prop_id)
    {
    case PROP_ALLOWED:
      g_value_set_boolean (value, cqv_readiness_get_allowed (self));
      break;

    case PROP_REASON:
      g_value_set_enum (value, self->reason);
      break;

    case PROP_MESSAGE:
      g_value_set_string (value, self->message);
      break;

    case PROP_RETRY_AT:
      g_value_set_boxed (value, self->retry_at);
      break;

    case PROP_FIX_URL:
      g_value_set_string (value, self->fix_url);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cqv_readiness_class_init (CqvReadinessClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = cqv_readiness_finalize;
  object_class->get_property = cqv_readiness_get_property;

  properties[PROP_ALLOWED] =
    g_param_spec_boolean ("allowed", NULL, NULL, FALSE, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_REASON] =
    g_param_spec_enum ("reason", NULL, NULL, CQV_TYPE_READINESS_REASON, CQV_READINESS_REASON_READY,
                       G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_MESSAGE] =
    g_param_spec_string ("message", NULL, NULL, "", G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_RETRY_AT] = g_param_spec_boxed ("retry-at", NULL, NULL, G_TYPE_DATE_TIME,
                                                  G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_FIX_URL] =
    g_param_spec_string ("fix-url", NULL, NULL, NULL, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
cqv_readiness_init (CqvReadiness *self)
{
}

CqvReadiness *
cqv_readiness_check (CqvPushGuard *guard,
                     const char *tenant_id,
                     CqvUser *user,
                     const GError *tenant_error)
{
  return cqv_readiness_check_full (guard, tenant_id, user, NULL, tenant_error);
}

CqvReadiness *
cqv_readiness_check_full (CqvPushGuard *guard,
                          const char *tenant_id,
                          CqvUser *user,
                          CqvCheckItem *blocking_item,
                          const GError *tenant_error)
{
  const char *key;
  GDateTime *next;

  g_return_val_if_fail (CQV_IS_PUSH_GUARD (guard), NULL);
  g_return_val_if_fail (tenant_id != NULL, NULL);
  g_return_val_if_fail (CQV_IS_USER (user), NULL);
  g_return_val_if_fail (blocking_item == NULL || CQV_IS_CHECK_ITEM (blocking_item), NULL);

  /* Certain facts of the user first: fixing the tenant would not help them. */
  if (cqv_user_get_user_type (user) == CQV_USER_TYPE_GUEST)
    return readiness_new (CQV_READINESS_REASON_GUEST,
                          g_strdup (_("Guests sign in with their home tenant's MFA, so a push "
                                      "cannot be sent from this tenant. Verify the person through "
                                      "their home organisation instead.")),
                                    NULL);

  if (!cqv_user_get_enabled (user))
    return readiness_new (CQV_READINESS_REASON_DISABLED,
                          g_strdup (_("This account is disabled, so it cannot approve a push. "
                                      "Enable it in the Entra admin center first if the request "
                                      "is genuine.")),
                                    NULL);

  /* Then what keeps every push in this tenant from working. */
  if (blocking_item != NULL && cqv_check_item_get_status (blocking_item) == CQV_CHECK_STATUS_FAILED)
    return tenant_setup_new (blocking_item);

  if (tenant_error != NULL)
    {
      /* Its message names the permission and how to grant it (cqv-graph-error.c). */
      if (g_error_matches (tenant_error, CQV_GRAPH_ERROR, CQV_GRAPH_ERROR_PERMISSION_MISSING))
        return readiness_new (CQV_READINESS_REASON_PERMISSION_MISSING,
                              g_strdup (tenant_error->message), NULL);
      return readiness_new (CQV_READINESS_REASON_TENANT_ERROR, g_strdup (tenant_error->message),
                            NULL);
    }

  if (cqv_user_get_authenticator (user) == CQV_AUTHENTICATOR_NOT_REGISTERED)
    return readiness_new (CQV_READINESS_REASON_NOT_REGISTERED,
                          g_strdup (_("This user has no Microsoft Authenticator registered. Ask "
                                      "them to register it at "
                                      "https://mysignins.microsoft.com/security-info.")),
                                    NULL);

  key = cqv_readiness_user_key (user);
  if (cqv_push_guard_is_in_flight (guard, tenant_id, key))
    return readiness_new (CQV_READINESS_REASON_IN_FLIGHT,
                          g_strdup (_("A push to this user is already waiting for an answer. Wait "
                                      "for it to finish before sending another.")),
                                    NULL);

  if ((next = cqv_push_guard_get_next_allowed (guard, tenant_id, key)) != NULL)
    {
      g_autofree char *when = format_time (next);
      guint pushes = cqv_push_guard_get_max_pushes (guard);

      return readiness_new (
        CQV_READINESS_REASON_COOL_DOWN,
        /* Translators: the first %u counts pushes, the second minutes (10 by default); %s is a
         * time of day. */
        g_strdup_printf (ngettext ("This user got %u push in the last %u minutes. To protect them "
                                   "from MFA fatigue, the next push is allowed at %s.",
                                   "This user got %u pushes in the last %u minutes. To protect "
                                   "them from MFA fatigue, the next push is allowed at %s.",
                                   pushes),
                         pushes, cqv_push_guard_get_window_seconds (guard) / 60, when),
        next);
    }

  switch (cqv_user_get_authenticator (user))
    {
    case CQV_AUTHENTICATOR_UNKNOWN:
    case CQV_AUTHENTICATOR_CHECKING:
      return readiness_new (CQV_READINESS_REASON_CHECK_AUTHENTICATOR,
                            g_strdup (_("Whether this user has Microsoft Authenticator is not "
                                        "known yet; it is checked before the push is sent.")),
                                      NULL);

    case CQV_AUTHENTICATOR_REGISTERED:
    case CQV_AUTHENTICATOR_NOT_REGISTERED:
    default:
      return readiness_new (CQV_READINESS_REASON_READY, NULL, NULL);
    }
}

gboolean
cqv_readiness_get_allowed (CqvReadiness *self)
{
  g_return_val_if_fail (CQV_IS_READINESS (self), FALSE);

  return self->reason == CQV_READINESS_REASON_READY ||
         self->reason == CQV_READINESS_REASON_CHECK_AUTHENTICATOR;
}

CqvReadinessReason
cqv_readiness_get_reason (CqvReadiness *self)
{
  g_return_val_if_fail (CQV_IS_READINESS (self), CQV_READINESS_REASON_READY);

  return self->reason;
}

const char *
cqv_readiness_get_message (CqvReadiness *self)
{
  g_return_val_if_fail (CQV_IS_READINESS (self), NULL);

  return self->message;
}

GDateTime *
cqv_readiness_get_retry_at (CqvReadiness *self)
{
  g_return_val_if_fail (CQV_IS_READINESS (self), NULL);

  return self->retry_at;
}

const char *
cqv_readiness_get_fix_url (CqvReadiness *self)
{
  g_return_val_if_fail (CQV_IS_READINESS (self), NULL);

  return self->fix_url;
}

const char *
cqv_readiness_reason_to_string (CqvReadinessReason reason)
{
  switch (reason)
    {
    case CQV_READINESS_REASON_READY:
      return "ready";
    case CQV_READINESS_REASON_CHECK_AUTHENTICATOR:
      return "check-authenticator";
    case CQV_READINESS_REASON_GUEST:
      return "guest";
    case CQV_READINESS_REASON_DISABLED:
      return "disabled";
    case CQV_READINESS_REASON_NOT_REGISTERED:
      return "not-registered";
    case CQV_READINESS_REASON_PERMISSION_MISSING:
      return "permission-missing";
    case CQV_READINESS_REASON_TENANT_ERROR:
      return "tenant-error";
    case CQV_READINESS_REASON_IN_FLIGHT:
      return "in-flight";
    case CQV_READINESS_REASON_COOL_DOWN:
      return "cool-down";
    case CQV_READINESS_REASON_TENANT_SETUP:
      return "tenant-setup";
    default:
      return "unknown";
    }
}

const char *
cqv_readiness_user_key (CqvUser *user)
{
  const char *id;

  g_return_val_if_fail (CQV_IS_USER (user), NULL);

  id = cqv_user_get_id (user);
  return id != NULL && *id != '\0' ? id : cqv_user_get_upn (user);
}
