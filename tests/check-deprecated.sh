#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# GTK 4.8 still accepts widgets that later releases deprecate; the pinned version macros cannot
# catch those, so this test refuses them by name in sources and templates.
set -eu
cd "${1:?source directory}"

pattern='GtkDialog\b|gtk_dialog_|GtkMessageDialog|gtk_message_dialog|GtkTreeView|gtk_tree_view|GtkTreeModel|GtkTreeStore|GtkListStore|gtk_list_store|GtkCellRenderer|GtkComboBox|gtk_combo_box|GtkAssistant|gtk_assistant|GtkInfoBar|gtk_info_bar|GtkEntryCompletion|GtkFileChooserDialog|GtkAppChooserDialog|GtkColorChooserDialog|GtkFontChooserDialog|GtkStatusbar|GtkLockButton|GtkVolumeButton|gtk_widget_show\b|gtk_widget_hide\b|gtk_style_context_add_class|gtk_style_context_get|gtk_widget_get_style_context|libxml'
if grep -rnE "$pattern" src --include='*.c' --include='*.h' --include='*.ui'; then
  echo "deprecated or forbidden API above (see the ground rules in README.md)"
  exit 1
fi
echo "no deprecated or forbidden API"
