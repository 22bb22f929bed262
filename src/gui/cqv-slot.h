/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define CQV_TYPE_SLOT (cqv_slot_get_type ())

G_DECLARE_FINAL_TYPE (CqvSlot, cqv_slot, CQV, SLOT, GObject)

/* One position of a CqvSlotModel: it stays at its position and shows whatever item the wrapped
 * model holds there; "item" is notified when that changes. */
CqvSlot  *cqv_slot_new          (guint     position,
                                 GObject  *item);
guint     cqv_slot_get_position (CqvSlot  *self);
GObject  *cqv_slot_get_item     (CqvSlot  *self);
/* For CqvSlotModel. */
void      cqv_slot_set_item     (CqvSlot  *self,
                                 GObject  *item);

G_END_DECLS
