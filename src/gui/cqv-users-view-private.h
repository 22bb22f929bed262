/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "cqv-slot-model.h"
#include "cqv-user-filter-model.h"
#include "cqv-user-list.h"
#include "cqv-users-view.h"

G_BEGIN_DECLS

/* CqvUsersView spans cqv-users-view.c and cqv-users-view-cells.c (the cells and the sorters'
 * closures). */
void        cqv_users_view_class_bind_cells   (GtkWidgetClass *widget_class);
typedef enum
{
  CQV_USERS_VIEW_CELL_NAME,
  CQV_USERS_VIEW_CELL_UPN,
  CQV_USERS_VIEW_CELL_JOB,
  CQV_USERS_VIEW_CELL_SOURCE,
  CQV_USERS_VIEW_CELL_AUTHENTICATOR,
  CQV_USERS_VIEW_CELL_LAST_VERIFICATION,
  CQV_USERS_VIEW_CELL_ACTIONS,
} CqvUsersViewCell;
/* The factory of one column's cells. */
GtkListItemFactory *cqv_users_view_cell_factory_new (CqvUsersViewCell kind);
/* The sorter of the name or user principal name column (@kind NAME or UPN). */
GtkSorter  *cqv_users_view_text_sorter_new    (CqvUsersViewCell kind);
/* Right-click and long-press on any cell of a row open the row menu. */
void        cqv_users_view_add_row_gestures   (GtkColumnView *column_view);
void        cqv_users_view_queue_check        (CqvUsersView *self,
                                               CqvUser      *user);
/* "14:02" today, "Mar 2, 14:02" this year, else "2025-03-02". */
char       *cqv_users_view_format_when        (GDateTime    *when);
/* The positions of the rows on screen, from the scroll position and the rows' height at the
 * last allocation: [@first, @end), or everything while not known. */
void        cqv_users_view_get_visible_rows   (CqvUsersView *self,
                                               guint        *first,
                                               guint        *end);
/* Cells of all users views not showing their row's user yet: updated in idles (for tests). */
guint       cqv_users_view_get_n_stale_cells  (void);

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
/* What the view shows: list, loading, empty, no-match (over the empty list) or error. */
const char *cqv_users_view_get_page           (CqvUsersView *self);
GtkColumnView *cqv_users_view_get_column_view (CqvUsersView *self);
/* https://entra…/#view/…/userId/{id} for @cloud. */
char       *cqv_users_view_build_entra_url    (CqvCloud      cloud,
                                               const char   *user_id);

G_END_DECLS
