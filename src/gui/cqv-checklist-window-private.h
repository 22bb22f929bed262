/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "cqv-check-row.h"
#include "cqv-checklist-window.h"
#include "cqv-tenant-check.h"

G_BEGIN_DECLS

/* For tests. */
CqvTenantCheck *cqv_checklist_window_get_check         (CqvChecklistWindow *self);
/* The line of the check @id (CQV_CHECK_*), or NULL. */
CqvCheckRow    *cqv_checklist_window_get_row           (CqvChecklistWindow *self,
                                                        const char         *id);
/* The sentence above the lines ("Checking…", "Everything is set up.", ...). */
const char     *cqv_checklist_window_get_summary       (CqvChecklistWindow *self);
/* The connector secret's expiry warning; "" when hidden. */
const char     *cqv_checklist_window_get_expiry_text   (CqvChecklistWindow *self);
/* What the test push said instead of opening the verify dialog ("" when nothing). */
const char     *cqv_checklist_window_get_test_push_message (CqvChecklistWindow *self);

G_END_DECLS
