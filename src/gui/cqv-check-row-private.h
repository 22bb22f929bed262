/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "cqv-check-row.h"

G_BEGIN_DECLS

/* For tests: the status as the icon's accessible label says it ("Passed", "Failed", ...),
 * the fix sentence ("" when hidden), and the Open in Entra Admin Center button. */
const char *cqv_check_row_get_status_text (CqvCheckRow *self);
gboolean    cqv_check_row_get_spinning    (CqvCheckRow *self);
const char *cqv_check_row_get_fix_text    (CqvCheckRow *self);
GtkWidget  *cqv_check_row_get_url_button  (CqvCheckRow *self);

G_END_DECLS
