/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* Saves what @widget shows as a PNG test artefact (in $CQV_ARTEFACTS, else the build's
 * artefacts/ folder), for people to look at after the run. */
void cqv_test_save_screenshot (GtkWidget  *widget,
                               const char *name);

G_END_DECLS
