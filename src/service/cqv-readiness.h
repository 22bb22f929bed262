/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>

#include "cqv-check-item.h"
#include "cqv-push-guard.h"
#include "cqv-user.h"

G_BEGIN_DECLS

/**
 * CqvReadinessReason: why a push may (not) be sent to a user now.
 * @CQV_READINESS_REASON_READY: allowed
 * @CQV_READINESS_REASON_CHECK_AUTHENTICATOR: allowed, but the Authenticator registration is not
 *   known yet (UNKNOWN or CHECKING): check it on demand first, then ask again
 * @CQV_READINESS_REASON_GUEST: a guest account (its MFA lives in its home tenant)
 * @CQV_READINESS_REASON_DISABLED: the account is disabled
 * @CQV_READINESS_REASON_NOT_REGISTERED: no Microsoft Authenticator registered
 * @CQV_READINESS_REASON_PERMISSION_MISSING: the tenant's app lacks a Graph permission (a
 *   CQV_GRAPH_ERROR_PERMISSION_MISSING given by the caller)
 * @CQV_READINESS_REASON_TENANT_ERROR: another tenant problem (given by the caller)
 * @CQV_READINESS_REASON_IN_FLIGHT: a push to this user is already waiting for an answer
 * @CQV_READINESS_REASON_COOL_DOWN: too many pushes to this user recently; see retry-at
 * @CQV_READINESS_REASON_TENANT_SETUP: a red line of the tenant's setup checklist keeps every push
 *   from working (cqv_tenant_check_get_blocking_item()); see fix-url
 *
 * When several apply, the first of: GUEST, DISABLED (certain facts of the user), TENANT_SETUP,
 * PERMISSION_MISSING or TENANT_ERROR (no push to anyone would work), NOT_REGISTERED, IN_FLIGHT,
 * COOL_DOWN, then CHECK_AUTHENTICATOR or READY.
 */
typedef enum
{
  CQV_READINESS_REASON_READY,
  CQV_READINESS_REASON_CHECK_AUTHENTICATOR,
  CQV_READINESS_REASON_GUEST,
  CQV_READINESS_REASON_DISABLED,
  CQV_READINESS_REASON_NOT_REGISTERED,
  CQV_READINESS_REASON_PERMISSION_MISSING,
  CQV_READINESS_REASON_TENANT_ERROR,
  CQV_READINESS_REASON_IN_FLIGHT,
  CQV_READINESS_REASON_COOL_DOWN,
  CQV_READINESS_REASON_TENANT_SETUP,
} CqvReadinessReason;

#define CQV_TYPE_READINESS (cqv_readiness_get_type ())

G_DECLARE_FINAL_TYPE (CqvReadiness, cqv_readiness, CQV, READINESS, GObject)

/* Whether a push may be sent to @user of tenant @tenant_id now. @tenant_error, when not NULL,
 * is a known problem of the tenant (e.g. CQV_GRAPH_ERROR_PERMISSION_MISSING from a Graph call)
 * and refuses the push with its message (which says how to fix it). Pure: no I/O. */
CqvReadiness       *cqv_readiness_check         (CqvPushGuard *guard,
                                                 const char   *tenant_id,
                                                 CqvUser      *user,
                                                 const GError *tenant_error);
/* The same, also refusing with TENANT_SETUP when @blocking_item (nullable) is a FAILED line of
 * the tenant's setup checklist that blocks pushes: the message names the line, what was found
 * and its fix. */
CqvReadiness       *cqv_readiness_check_full    (CqvPushGuard *guard,
                                                 const char   *tenant_id,
                                                 CqvUser      *user,
                                                 CqvCheckItem *blocking_item,
                                                 const GError *tenant_error);

gboolean            cqv_readiness_get_allowed   (CqvReadiness *self);
CqvReadinessReason  cqv_readiness_get_reason    (CqvReadiness *self);
/* One translated sentence or two: what is wrong and how to fix it ("" when ready). */
const char         *cqv_readiness_get_message   (CqvReadiness *self);
/* For COOL_DOWN: when the next push is allowed; else NULL. */
GDateTime          *cqv_readiness_get_retry_at  (CqvReadiness *self);
/* For TENANT_SETUP: the Entra admin center page that fixes the line, when there is one; else
 * NULL. */
const char         *cqv_readiness_get_fix_url   (CqvReadiness *self);

const char         *cqv_readiness_reason_to_string (CqvReadinessReason reason);

/* The key under which the push guard tracks @user (its object id, else its UPN). */
const char         *cqv_readiness_user_key      (CqvUser      *user);

G_END_DECLS
