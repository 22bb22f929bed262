/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "cqv-user.h"

G_BEGIN_DECLS

#define CQV_TYPE_USER_LIST (cqv_user_list_get_type ())

G_DECLARE_FINAL_TYPE (CqvUserList, cqv_user_list, CQV, USER_LIST, GObject)

/* A GListModel of CqvUser kept in an array: any item in constant time. GListStore finds an
 * item in a balanced tree, which is what a sort model over 100 000 users pays for on every
 * filter pass (it reads its source in sorted, i.e. random, order). */
CqvUserList *cqv_user_list_new    (void);
/* Replaces @n_removed users from @position on with @n_added users from @additions (each
 * referenced), then emits one items-changed. */
void         cqv_user_list_splice (CqvUserList  *self,
                                   guint         position,
                                   guint         n_removed,
                                   CqvUser     **additions,
                                   guint         n_added);

G_END_DECLS
