/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cqv-user-list"

#include "config.h"

#include <string.h>

#include "cqv-user-list.h"

struct _CqvUserList
{
  GObject parent_instance;

  GPtrArray *users;
};

static void cqv_user_list_list_model_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (CqvUserList,
                               cqv_user_list,
                               G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL,
                                                      cqv_user_list_list_model_init))

static GType
cqv_user_list_get_item_type (GListModel *list)
{
  return CQV_TYPE_USER;
}

static guint
cqv_user_list_get_n_items (GListModel *list)
{
  return CQV_USER_LIST (list)->users->len;
}

static gpointer
cqv_user_list_get_item (GListModel *list, guint position)
{
  CqvUserList *self = CQV_USER_LIST (list);

  if (position >= self->users->len)
    return NULL;
  return g_object_ref (g_ptr_array_index (self->users, position));
}

static void
cqv_user_list_list_model_init (GListModelInterface *iface)
{
  iface->get_item_type = cqv_user_list_get_item_type;
  iface->get_n_items = cqv_user_list_get_n_items;
  iface->get_item = cqv_user_list_get_item;
}

static void
cqv_user_list_finalize (GObject *object)
{
  CqvUserList *self = CQV_USER_LIST (object);

  g_ptr_array_unref (self->users);

  G_OBJECT_CLASS (cqv_user_list_parent_class)->finalize (object);
}

static void
cqv_user_list_class_init (CqvUserListClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = cqv_user_list_finalize;
}

static void
cqv_user_list_init (CqvUserList *self)
{
  self->users = g_ptr_array_new_with_free_func (g_object_unref);
}

CqvUserList *
cqv_user_list_new (void)
{
  return g_object_new (CQV_TYPE_USER_LIST, NULL);
}

void
cqv_user_list_splice (CqvUserList *self,
                      guint position,
                      guint n_removed,
                      CqvUser **additions,
                      guint n_added)
{
  g_return_if_fail (CQV_IS_USER_LIST (self));
  g_return_if_fail (position <= self->users->len);
  g_return_if_fail (n_removed <= self->users->len - position);
  g_return_if_fail (n_added == 0 || additions != NULL);
  for (guint i = 0; i < n_added; i++)
    g_return_if_fail (CQV_IS_USER (additions[i]));

  if (n_removed > 0)
    g_ptr_array_remove_range (self->users, position, n_removed);
  if (n_added > 0)
    {
      /* Open a gap of @n_added at @position, then fill it. */
      guint old_len = self->users->len;

      g_ptr_array_set_size (self->users, old_len + n_added);
      memmove (self->users->pdata + position + n_added, self->users->pdata + position,
               (old_len - position) * sizeof (gpointer));
      for (guint i = 0; i < n_added; i++)
        self->users->pdata[position + i] = g_object_ref (additions[i]);
    }
  if (n_removed > 0 || n_added > 0)
    g_list_model_items_changed (G_LIST_MODEL (self), position, n_removed, n_added);
}
