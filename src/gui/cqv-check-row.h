/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "cqv-check-item.h"

G_BEGIN_DECLS

#define CQV_TYPE_CHECK_ROW (cqv_check_row_get_type ())

G_DECLARE_FINAL_TYPE (CqvCheckRow, cqv_check_row, CQV, CHECK_ROW, GtkWidget)

/* One line of the setup checklist: a status icon (a spinner while it is being checked), the
 * title, what was found, the fix for a red or amber line and, when the line has one, a button
 * that opens the fixing page of the Entra admin center (checklist.open-url). */
GtkWidget    *cqv_check_row_new         (void);
void          cqv_check_row_set_item    (CqvCheckRow  *self,
                                         CqvCheckItem *item);
CqvCheckItem *cqv_check_row_get_item    (CqvCheckRow  *self);
/* While the checklist runs, lines without a verdict show a spinner. */
void          cqv_check_row_set_running (CqvCheckRow  *self,
                                         gboolean      running);

G_END_DECLS
