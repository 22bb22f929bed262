/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "cqv-outcome.h"

G_BEGIN_DECLS

#define CQV_TYPE_RESULT_VIEW (cqv_result_view_get_type ())

G_DECLARE_FINAL_TYPE (CqvResultView, cqv_result_view, CQV, RESULT_VIEW, GtkWidget)

/* One verification outcome, distinct at a glance: a coloured badge with an icon, the outcome's
 * title (exactly cqv_outcome_kind_get_title()), one sentence, the next step, and a "Details"
 * expander with the result value, the ContextId (selectable) and the elapsed time.
 * The view carries the CSS class cqv_result_view_get_style_class() of the kind; only APPROVED
 * is ever "cqv-result-success". */
GtkWidget   *cqv_result_view_new             (void);
CqvOutcome  *cqv_result_view_get_outcome     (CqvResultView  *self);
/* @display_name names the user in the sentence ("Approved by Adele Vance at 14:03 …"). */
void         cqv_result_view_set_outcome     (CqvResultView  *self,
                                              CqvOutcome     *outcome,
                                              const char     *display_name);
const char  *cqv_result_view_get_title       (CqvResultView  *self);
const char  *cqv_result_view_get_summary     (CqvResultView  *self);
const char  *cqv_result_view_get_next_step   (CqvResultView  *self);
/* Property "details-expanded": whether the Details expander is open. */
gboolean     cqv_result_view_get_details_expanded (CqvResultView *self);
void         cqv_result_view_set_details_expanded (CqvResultView *self,
                                                   gboolean       expanded);

/* "cqv-result-success" (APPROVED only), "cqv-result-fraud", "cqv-result-error",
 * "cqv-result-warning" or "cqv-result-neutral". */
const char  *cqv_result_view_get_style_class (CqvOutcomeKind  kind);
const char  *cqv_result_view_get_icon_name   (CqvOutcomeKind  kind);

G_END_DECLS
