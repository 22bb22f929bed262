/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "cqv-slot.h"

G_BEGIN_DECLS

#define CQV_TYPE_SLOT_MODEL (cqv_slot_model_get_type ())

G_DECLARE_FINAL_TYPE (CqvSlotModel, cqv_slot_model, CQV, SLOT_MODEL, GObject)

/* A list of CqvSlot, one per item of @model, whose items never move: when @model changes, the
 * slots at the changed positions show the new items ("item" is notified) and the list itself
 * only grows or shrinks at its end.
 *
 * Why: GTK 4.8's list widgets keep row widgets per item and build new ones whenever other items
 * come into the ~200 rows they keep around the view; with 100 000 users each search keystroke or
 * sort cost hundreds of milliseconds of new widgets. Over slots the same rows stay and rebind.
 * The price: a selection or focus over this model is positional; whoever keeps a selection
 * follows its item (see CqvUsersView).
 *
 * Near the top (the rows GTK keeps) it grows or shrinks by a few dozen items a main-loop
 * iteration, so no frame waits for hundreds of rows being built or destroyed: for a moment it
 * may have fewer items than @model, or more, which show no item (NULL).
 *
 * The slots are updated in an after-handler of @model's items-changed: handlers connected
 * normally to @model run before the slots change, handlers connected after this model's run
 * once they have. */
CqvSlotModel *cqv_slot_model_new       (GListModel   *model);
GListModel   *cqv_slot_model_get_model (CqvSlotModel *self);
void          cqv_slot_model_set_model (CqvSlotModel *self,
                                        GListModel   *model);

G_END_DECLS
