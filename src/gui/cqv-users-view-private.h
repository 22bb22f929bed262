/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "cqv-users-view.h"

G_BEGIN_DECLS

/* CqvUsersView spans cqv-users-view.c and cqv-users-view-cells.c (the cells' closures and
 * handlers). */
void        cqv_users_view_class_bind_cells   (GtkWidgetClass *widget_class);
void        cqv_users_view_queue_check        (CqvUsersView *self,
                                               CqvUser      *user);
/* "14:02" today, "Mar 2, 14:02" this year, else "2025-03-02". */
char       *cqv_users_view_format_when        (GDateTime    *when);

/* For tests: what the row gestures, the ⋮ button and the Menu key call. */
GMenuModel *cqv_users_view_get_row_menu_model (CqvUsersView *self);
GtkPopover *cqv_users_view_get_row_menu       (CqvUsersView *self);
/* Selects the row at @position (in the visible model) and opens the row menu pointing at
 * (@x, @y) in @widget's coordinates; @widget NULL points at the view's centre. */
void        cqv_users_view_popup_row_menu     (CqvUsersView *self,
                                               guint         position,
                                               GtkWidget    *widget,
                                               double        x,
                                               double        y);
/* The name of the visible stack page: list, loading, empty, no-match or error. */
const char *cqv_users_view_get_page           (CqvUsersView *self);
GtkColumnView *cqv_users_view_get_column_view (CqvUsersView *self);
/* https://entra…/#view/…/userId/{id} for @cloud. */
char       *cqv_users_view_build_entra_url    (CqvCloud      cloud,
                                               const char   *user_id);

G_END_DECLS
