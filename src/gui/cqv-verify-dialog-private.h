/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "cqv-readiness.h"
#include "cqv-verification.h"
#include "cqv-verify-dialog.h"

G_BEGIN_DECLS

/* For tests: what the dialog shows and drives. */
CqvReadiness    *cqv_verify_dialog_get_readiness    (CqvVerifyDialog *self);
CqvVerification *cqv_verify_dialog_get_verification (CqvVerifyDialog *self);
/* "prepare", "waiting" or "result". */
const char      *cqv_verify_dialog_get_page         (CqvVerifyDialog *self);
/* Shows @outcome as if an attempt had ended with it (no "finished", no push). */
void             cqv_verify_dialog_show_outcome     (CqvVerifyDialog *self,
                                                     CqvOutcome      *outcome);

G_END_DECLS
