/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "cqv-outcome.h"
#include "cqv-readiness.h"
#include "cqv-tenant-context.h"
#include "cqv-user.h"

G_BEGIN_DECLS

typedef enum
{
  CQV_VERIFICATION_STATE_IDLE,      /* not started */
  CQV_VERIFICATION_STATE_PREPARING, /* guards, secrets, token: nothing sent yet */
  CQV_VERIFICATION_STATE_WAITING,   /* the push is out; seconds-left counts down */
  CQV_VERIFICATION_STATE_DONE,      /* the outcome is known */
} CqvVerificationState;

#define CQV_TYPE_VERIFICATION (cqv_verification_get_type ())

G_DECLARE_FINAL_TYPE (CqvVerification, cqv_verification, CQV, VERIFICATION, GObject)

/* One attempt to verify @user of @context's tenant with a Microsoft Authenticator push.
 * @ticket (nullable) is the technician's ticket reference, kept for the record. */
CqvVerification      *cqv_verification_new         (CqvTenantContext    *context,
                                                    CqvUser             *user,
                                                    const char          *ticket);

CqvTenantContext     *cqv_verification_get_context (CqvVerification     *self);
CqvUser              *cqv_verification_get_user    (CqvVerification     *self);
const char           *cqv_verification_get_ticket  (CqvVerification     *self);
/* A fresh GUID per attempt, sent as ContextId (set when the attempt starts). */
const char           *cqv_verification_get_context_id (CqvVerification *self);
CqvVerificationState  cqv_verification_get_state   (CqvVerification     *self);

/* The push window the countdown starts from, in seconds (default 60). */
guint                 cqv_verification_get_push_window (CqvVerification *self);
void                  cqv_verification_set_push_window (CqvVerification *self,
                                                        guint            seconds);
/* Seconds left in the push window; ticks down once a second while WAITING, stops at 0. */
guint                 cqv_verification_get_seconds_left (CqvVerification *self);

/* Runs the attempt once: readiness guards (refusals send nothing), an on-demand Authenticator
 * check when the state is unknown, the connector secret and token, then ONE push. Always
 * finishes with an outcome (upn, tenant id, context id, elapsed time and finish time set):
 * refusals, errors and cancellation are outcomes too (CANCELLED, never an error). */
void                  cqv_verification_run_async   (CqvVerification     *self,
                                                    GCancellable        *cancellable,
                                                    GAsyncReadyCallback  callback,
                                                    gpointer             user_data);
CqvOutcome           *cqv_verification_run_finish  (CqvVerification     *self,
                                                    GAsyncResult        *result,
                                                    GError             **error);
/* Stops the attempt: the push request is cancelled and the outcome is CANCELLED. */
void                  cqv_verification_cancel      (CqvVerification     *self);

/* The outcome once DONE, else NULL. */
CqvOutcome           *cqv_verification_get_outcome (CqvVerification     *self);
/* The readiness verdict that refused the attempt, or NULL. */
CqvReadiness         *cqv_verification_get_readiness (CqvVerification   *self);
/* The error behind an ERROR outcome (exact domain and code), or NULL. */
const GError         *cqv_verification_get_error   (CqvVerification     *self);
/* Whether a push request was sent (or may have been) during this attempt. */
gboolean              cqv_verification_get_push_sent (CqvVerification   *self);

G_END_DECLS
