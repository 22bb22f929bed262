/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "cqv-tenant-context.h"
#include "cqv-user.h"

G_BEGIN_DECLS

#define CQV_TYPE_USERS_VIEW (cqv_users_view_get_type ())

G_DECLARE_FINAL_TYPE (CqvUsersView, cqv_users_view, CQV, USERS_VIEW, GtkWidget)

/* The users of one tenant in a sortable, searchable column view, with the row menu and the
 * users.* actions (verify, setup-checklist, copy-upn, open-entra) acting on the selection. */
GtkWidget        *cqv_users_view_new               (void);
/* Shows @context's directory (its users, its loading state and errors); NULL shows nothing. */
void              cqv_users_view_set_context       (CqvUsersView     *self,
                                                    CqvTenantContext *context);
CqvTenantContext *cqv_users_view_get_context       (CqvUsersView     *self);
/* Shows @users (a GListModel of CqvUser) without a directory; set_context() replaces it. */
void              cqv_users_view_set_model         (CqvUsersView     *self,
                                                    GListModel       *users);
GListModel       *cqv_users_view_get_model         (CqvUsersView     *self);
/* The users on screen: sorted and filtered, in display order. */
GListModel       *cqv_users_view_get_visible_model (CqvUsersView     *self);
/* Matches name, UPN and mail, ignoring case and accents; every word must match. */
void              cqv_users_view_set_search_text   (CqvUsersView     *self,
                                                    const char       *text);
const char       *cqv_users_view_get_search_text   (CqvUsersView     *self);
/* A problem that keeps the tenant from loading (e.g. no app secret); NULL clears it. Shown with
 * a Retry button in place of the list. */
void              cqv_users_view_set_error         (CqvUsersView     *self,
                                                    const GError     *error);
CqvUser          *cqv_users_view_get_selected_user (CqvUsersView     *self);
void              cqv_users_view_select_user       (CqvUsersView     *self,
                                                    CqvUser          *user);

G_END_DECLS
