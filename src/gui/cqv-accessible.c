/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cqv-accessible"

#include "config.h"

#include "cqv-accessible.h"

static gboolean
has_mnemonic_label (GtkWidget *widget)
{
  GList *labels = gtk_widget_list_mnemonic_labels (widget);
  gboolean any = labels != NULL;

  g_list_free (labels);
  return any;
}

void
cqv_accessible_name_by_labels (GtkWidget *root)
{
  g_return_if_fail (GTK_IS_WIDGET (root));

  if ((GTK_IS_BUTTON (root) && gtk_button_get_use_underline (GTK_BUTTON (root))) ||
      has_mnemonic_label (root))
    gtk_accessible_reset_property (GTK_ACCESSIBLE (root), GTK_ACCESSIBLE_PROPERTY_LABEL);

  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    cqv_accessible_name_by_labels (child);
}
