/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define CQV_TYPE_AVATAR (cqv_avatar_get_type ())

G_DECLARE_FINAL_TYPE (CqvAvatar, cqv_avatar, CQV, AVATAR, GtkWidget)

/* A round badge with a person's initials on a colour picked from their name (GTK has no avatar
 * widget). CSS node "avatar", classes "cqv-avatar" and "color1" … "color8". */
GtkWidget  *cqv_avatar_new          (const char *text,
                                     int         size);
const char *cqv_avatar_get_text     (CqvAvatar  *self);
void        cqv_avatar_set_text     (CqvAvatar  *self,
                                     const char *text);
int         cqv_avatar_get_size     (CqvAvatar  *self);
void        cqv_avatar_set_size     (CqvAvatar  *self,
                                     int         size);
/* The initials shown: the first letter of the first and of the last word, upper-cased.
 * "" when @text has no letters or digits. */
const char *cqv_avatar_get_initials (CqvAvatar  *self);
char       *cqv_avatar_initials_for (const char *text);

G_END_DECLS
