/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

/* Never green unless APPROVED. TIMED_OUT means "unknown", never "denied". */
typedef enum
{
  CQV_OUTCOME_NONE,
  CQV_OUTCOME_APPROVED,
  CQV_OUTCOME_DENIED,
  CQV_OUTCOME_FRAUD_REPORTED,
  CQV_OUTCOME_TIMED_OUT,
  CQV_OUTCOME_NOT_DELIVERED,
  CQV_OUTCOME_NOT_ENROLLED,
  CQV_OUTCOME_BLOCKED,
  CQV_OUTCOME_BUSY,
  CQV_OUTCOME_THROTTLED,
  CQV_OUTCOME_CANCELLED,
  CQV_OUTCOME_ERROR,
} CqvOutcomeKind;

#define CQV_TYPE_OUTCOME (cqv_outcome_get_type ())

G_DECLARE_FINAL_TYPE (CqvOutcome, cqv_outcome, CQV, OUTCOME, GObject)

CqvOutcome     *cqv_outcome_new                (CqvOutcomeKind  kind,
                                                const char     *message);
CqvOutcomeKind  cqv_outcome_get_kind           (CqvOutcome     *self);
const char     *cqv_outcome_get_message        (CqvOutcome     *self);
void            cqv_outcome_set_message        (CqvOutcome     *self,
                                                const char     *message);
const char     *cqv_outcome_get_result_value   (CqvOutcome     *self);
void            cqv_outcome_set_result_value   (CqvOutcome     *self,
                                                const char     *result_value);
const char     *cqv_outcome_get_upn            (CqvOutcome     *self);
void            cqv_outcome_set_upn            (CqvOutcome     *self,
                                                const char     *upn);
const char     *cqv_outcome_get_tenant         (CqvOutcome     *self);
void            cqv_outcome_set_tenant         (CqvOutcome     *self,
                                                const char     *tenant);
const char     *cqv_outcome_get_context_id     (CqvOutcome     *self);
void            cqv_outcome_set_context_id     (CqvOutcome     *self,
                                                const char     *context_id);
gint64          cqv_outcome_get_elapsed_ms     (CqvOutcome     *self);
void            cqv_outcome_set_elapsed_ms     (CqvOutcome     *self,
                                                gint64          elapsed_ms);
GDateTime      *cqv_outcome_get_finished_at    (CqvOutcome     *self);
void            cqv_outcome_set_finished_at    (CqvOutcome     *self,
                                                GDateTime      *finished_at);
gboolean        cqv_outcome_is_approved        (CqvOutcome     *self);
const char     *cqv_outcome_kind_to_string     (CqvOutcomeKind  kind);
const char     *cqv_outcome_kind_get_title     (CqvOutcomeKind  kind);
int             cqv_outcome_kind_get_exit_code (CqvOutcomeKind  kind);

G_END_DECLS
