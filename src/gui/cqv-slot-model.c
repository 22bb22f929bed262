/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cqv-slot-model"

#include "config.h"

#include "cqv-slot-model.h"

/* GTK 4.8 keeps rows for about 200 items around the view and builds or destroys them all in one
 * go when items come or go there (~1 ms a row). Within that many items from the top, this model
 * grows or shrinks by ROW_STEP items a main-loop iteration, after each frame, so no iteration
 * builds or destroys more than ROW_STEP rows. */
#define ROW_WINDOW 210
#define ROW_STEP 5

struct _CqvSlotModel
{
  GObject parent_instance;

  GListModel *model;
  /* What this model has: @model's count, or on the way to it (see ROW_WINDOW). */
  guint n_items;
  guint step_source;
  /* position → CqvSlot, unowned: only the slots someone holds (the rows on screen, the
   * selection) exist; each removes itself when finalized (slot_finalized_cb). */
  GHashTable *slots;
};

static void cqv_slot_model_list_model_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (CqvSlotModel,
                               cqv_slot_model,
                               G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL,
                                                      cqv_slot_model_list_model_init))

enum
{
  PROP_0,
  PROP_MODEL,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* A weak notification comes while the slot is disposed: its position can still be read. */
static void
slot_finalized_cb (gpointer data, GObject *where_the_slot_was)
{
  CqvSlotModel *self = data;
  gpointer position = GUINT_TO_POINTER (cqv_slot_get_position (CQV_SLOT (where_the_slot_was)));

  if (g_hash_table_lookup (self->slots, position) == (gpointer) where_the_slot_was)
    g_hash_table_remove (self->slots, position);
}

static void
forget_slot (CqvSlotModel *self, CqvSlot *slot)
{
  g_object_weak_unref (G_OBJECT (slot), slot_finalized_cb, self);
}

static void
forget_all_slots (CqvSlotModel *self)
{
  GHashTableIter iter;
  gpointer slot;

  g_hash_table_iter_init (&iter, self->slots);
  while (g_hash_table_iter_next (&iter, NULL, &slot))
    forget_slot (self, slot);
  g_hash_table_remove_all (self->slots);
}

static GObject *
get_model_item (CqvSlotModel *self, guint position)
{
  /* Past the end of @model while shrinking towards it: an empty row for a moment. */
  if (self->model == NULL || position >= g_list_model_get_n_items (self->model))
    return NULL;
  return g_list_model_get_item (self->model, position);
}

static GType
cqv_slot_model_get_item_type (GListModel *list)
{
  return CQV_TYPE_SLOT;
}

static guint
cqv_slot_model_get_n_items (GListModel *list)
{
  return CQV_SLOT_MODEL (list)->n_items;
}

static gpointer
cqv_slot_model_get_item (GListModel *list, guint position)
{
  CqvSlotModel *self = CQV_SLOT_MODEL (list);
  g_autoptr (GObject) item = NULL;
  CqvSlot *slot;

  if (position >= self->n_items)
    return NULL;

  slot = g_hash_table_lookup (self->slots, GUINT_TO_POINTER (position));
  if (slot != NULL)
    return g_object_ref (slot);

  item = get_model_item (self, position);
  slot = cqv_slot_new (position, item);
  g_object_weak_ref (G_OBJECT (slot), slot_finalized_cb, self);
  g_hash_table_insert (self->slots, GUINT_TO_POINTER (position), slot);
  return slot;
}

static void
cqv_slot_model_list_model_init (GListModelInterface *iface)
{
  iface->get_item_type = cqv_slot_model_get_item_type;
  iface->get_n_items = cqv_slot_model_get_n_items;
  iface->get_item = cqv_slot_model_get_item;
}

static gboolean step_cb (gpointer data);

/* How many items to have next on the way from @n_items to @target. */
static guint
next_count (guint n_items, guint target)
{
  if (target > n_items)
    return n_items >= ROW_WINDOW ? target : MIN (target, n_items + ROW_STEP);
  if (target < ROW_WINDOW && MIN (n_items, ROW_WINDOW) > target + ROW_STEP)
    return MIN (n_items, ROW_WINDOW) - ROW_STEP;
  return target;
}

/* Grows or shrinks towards @model's count; slots past the new end leave with their positions,
 * the others from @position on show what @model (now) has there. */
static void
update (CqvSlotModel *self, guint position)
{
  g_autoptr (GPtrArray) changed = g_ptr_array_new_with_free_func (g_object_unref);
  guint old_n = self->n_items;
  guint target = self->model != NULL ? g_list_model_get_n_items (self->model) : 0;
  guint new_n = next_count (old_n, target);
  GHashTableIter iter;
  gpointer key, slot;

  /* Collected first: a notified row may ask this model for items. */
  g_hash_table_iter_init (&iter, self->slots);
  while (g_hash_table_iter_next (&iter, &key, &slot))
    {
      guint at = GPOINTER_TO_UINT (key);

      if (at >= new_n)
        {
          forget_slot (self, slot);
          g_hash_table_iter_remove (&iter);
        }
      else if (at >= position)
        g_ptr_array_add (changed, g_object_ref (slot));
    }

  self->n_items = new_n;
  for (guint i = 0; i < changed->len; i++)
    {
      CqvSlot *changed_slot = g_ptr_array_index (changed, i);
      g_autoptr (GObject) item = get_model_item (self, cqv_slot_get_position (changed_slot));

      cqv_slot_set_item (changed_slot, item);
    }

  g_clear_handle_id (&self->step_source, g_source_remove);
  if (new_n != target)
    self->step_source = g_idle_add (step_cb, self);

  if (new_n > old_n)
    g_list_model_items_changed (G_LIST_MODEL (self), old_n, 0, new_n - old_n);
  else if (new_n < old_n)
    g_list_model_items_changed (G_LIST_MODEL (self), new_n, old_n - new_n, 0);
}

/* An idle of default priority: after the frame GTK draws at a higher one. */
static gboolean
step_cb (gpointer data)
{
  CqvSlotModel *self = data;

  self->step_source = 0;
  update (self, G_MAXUINT);
  return G_SOURCE_REMOVE;
}

static void
model_items_changed_cb (GListModel *model,
                        guint position,
                        guint removed,
                        guint added,
                        CqvSlotModel *self)
{
  update (self, position);
}

static void
cqv_slot_model_dispose (GObject *object)
{
  CqvSlotModel *self = CQV_SLOT_MODEL (object);

  if (self->model != NULL)
    g_signal_handlers_disconnect_by_func (self->model, model_items_changed_cb, self);
  g_clear_object (&self->model);
  g_clear_handle_id (&self->step_source, g_source_remove);
  forget_all_slots (self);
  self->n_items = 0;

  G_OBJECT_CLASS (cqv_slot_model_parent_class)->dispose (object);
}

static void
cqv_slot_model_finalize (GObject *object)
{
  CqvSlotModel *self = CQV_SLOT_MODEL (object);

  g_hash_table_unref (self->slots);

  G_OBJECT_CLASS (cqv_slot_model_parent_class)->finalize (object);
}

static void
cqv_slot_model_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  CqvSlotModel *self = CQV_SLOT_MODEL (object);

  switch (prop_id)
    {
    case PROP_MODEL:
      g_value_set_object (value, self->model);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cqv_slot_model_set_property (GObject *object, guint prop_id, const GValue *value, GParamSpec *pspec)
{
  CqvSlotModel *self = CQV_SLOT_MODEL (object);

  switch (prop_id)
    {
    case PROP_MODEL:
      cqv_slot_model_set_model (self, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cqv_slot_model_class_init (CqvSlotModelClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = cqv_slot_model_dispose;
  object_class->finalize = cqv_slot_model_finalize;
  object_class->get_property = cqv_slot_model_get_property;
  object_class->set_property = cqv_slot_model_set_property;

  properties[PROP_MODEL] =
    g_param_spec_object ("model", NULL, NULL, G_TYPE_LIST_MODEL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
cqv_slot_model_init (CqvSlotModel *self)
{
  self->slots = g_hash_table_new (NULL, NULL);
}

CqvSlotModel *
cqv_slot_model_new (GListModel *model)
{
  g_return_val_if_fail (model == NULL || G_IS_LIST_MODEL (model), NULL);

  return g_object_new (CQV_TYPE_SLOT_MODEL, "model", model, NULL);
}

GListModel *
cqv_slot_model_get_model (CqvSlotModel *self)
{
  g_return_val_if_fail (CQV_IS_SLOT_MODEL (self), NULL);

  return self->model;
}

void
cqv_slot_model_set_model (CqvSlotModel *self, GListModel *model)
{
  g_return_if_fail (CQV_IS_SLOT_MODEL (self));
  g_return_if_fail (model == NULL || G_IS_LIST_MODEL (model));

  if (self->model == model)
    return;

  /* A different model: all positions change, so do the slots. */
  if (self->model != NULL)
    g_signal_handlers_disconnect_by_func (self->model, model_items_changed_cb, self);
  g_set_object (&self->model, model);
  if (model != NULL)
    g_signal_connect_after (model, "items-changed", G_CALLBACK (model_items_changed_cb), self);
  update (self, 0);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MODEL]);
}
