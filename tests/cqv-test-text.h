/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

/* What GUI tests read off the screen: the text a label or an inscription (the users view's
 * cells) shows, and where. Header-only, like the other fixtures. */

/* The text @widget shows when it is a mapped label or inscription, else NULL. */
static inline const char *
cqv_test_shown_text (GtkWidget *widget)
{
  if (!gtk_widget_get_mapped (widget))
    return NULL;
  if (GTK_IS_LABEL (widget))
    return gtk_label_get_label (GTK_LABEL (widget));
  if (GTK_IS_INSCRIPTION (widget))
    return gtk_inscription_get_text (GTK_INSCRIPTION (widget));
  return NULL;
}

/* @widget or a descendant that shows @text, or only begins with it when @prefix; NULL if none. */
static inline GtkWidget *
cqv_test_find_text (GtkWidget *widget, const char *text, gboolean prefix)
{
  const char *shown = cqv_test_shown_text (widget);

  if (shown != NULL && (prefix ? g_str_has_prefix (shown, text) : g_str_equal (shown, text)))
    return widget;

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = cqv_test_find_text (child, text, prefix);

      if (found != NULL)
        return found;
    }
  return NULL;
}
