/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* GTK 4.8 names a control after its accessible label and its labelled-by labels together, and
 * gtk_button_set_label() sets the accessible label to the raw "_Send": screen readers heard
 * "_Send Send" or "Ticket number Ticket number". Under @root, drops the accessible label of
 * every button with a mnemonic label and of every control a mnemonic label points at, so the
 * label a person sees names it alone. Call after gtk_widget_init_template(). */
void cqv_accessible_name_by_labels (GtkWidget *root);

G_END_DECLS
