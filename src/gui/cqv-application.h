/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define CQV_TYPE_APPLICATION (cqv_application_get_type ())

G_DECLARE_FINAL_TYPE (CqvApplication, cqv_application, CQV, APPLICATION, GtkApplication)

CqvApplication *cqv_application_new         (void);
GListModel     *cqv_application_get_tenants (CqvApplication *self);

G_END_DECLS
