/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cqv-slot"

#include "config.h"

#include "cqv-slot.h"

struct _CqvSlot
{
  GObject parent_instance;

  guint position;
  GObject *item;
};

G_DEFINE_FINAL_TYPE (CqvSlot, cqv_slot, G_TYPE_OBJECT)

enum
{
  PROP_0,
  PROP_POSITION,
  PROP_ITEM,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
cqv_slot_dispose (GObject *object)
{
  CqvSlot *self = CQV_SLOT (object);

  g_clear_object (&self->item);

  G_OBJECT_CLASS (cqv_slot_parent_class)->dispose (object);
}

static void
cqv_slot_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  CqvSlot *self = CQV_SLOT (object);

  switch (prop_id)
    {
    case PROP_POSITION:
      g_value_set_uint (value, self->position);
      break;
    case PROP_ITEM:
      g_value_set_object (value, self->item);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cqv_slot_class_init (CqvSlotClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = cqv_slot_dispose;
  object_class->get_property = cqv_slot_get_property;

  properties[PROP_POSITION] = g_param_spec_uint ("position", NULL, NULL, 0, G_MAXUINT, 0,
                                                 G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_ITEM] =
    g_param_spec_object ("item", NULL, NULL, G_TYPE_OBJECT,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
cqv_slot_init (CqvSlot *self)
{
}

CqvSlot *
cqv_slot_new (guint position, GObject *item)
{
  CqvSlot *self;

  g_return_val_if_fail (item == NULL || G_IS_OBJECT (item), NULL);

  self = g_object_new (CQV_TYPE_SLOT, NULL);
  self->position = position;
  self->item = item != NULL ? g_object_ref (item) : NULL;
  return self;
}

guint
cqv_slot_get_position (CqvSlot *self)
{
  g_return_val_if_fail (CQV_IS_SLOT (self), 0);

  return self->position;
}

GObject *
cqv_slot_get_item (CqvSlot *self)
{
  g_return_val_if_fail (CQV_IS_SLOT (self), NULL);

  return self->item;
}

void
cqv_slot_set_item (CqvSlot *self, GObject *item)
{
  g_return_if_fail (CQV_IS_SLOT (self));
  g_return_if_fail (item == NULL || G_IS_OBJECT (item));

  if (g_set_object (&self->item, item))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ITEM]);
}
