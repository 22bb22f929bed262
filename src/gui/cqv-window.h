/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "cqv-application.h"

G_BEGIN_DECLS

#define CQV_TYPE_WINDOW (cqv_window_get_type ())

G_DECLARE_FINAL_TYPE (CqvWindow, cqv_window, CQV, WINDOW, GtkApplicationWindow)

CqvWindow *cqv_window_new         (CqvApplication *application);
void       cqv_window_show_banner (CqvWindow      *self,
                                   const char     *message);

G_END_DECLS
