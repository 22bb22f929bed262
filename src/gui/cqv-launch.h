/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* Opens @uri (an Entra admin center page, the consent URL) in the browser, over @parent
 * (nullable): GtkUriLauncher from GTK 4.10, gtk_show_uri() before. A failure is logged; a
 * dismissed portal chooser is not a failure. */
void cqv_launch_uri (GtkWindow  *parent,
                     const char *uri);

G_END_DECLS
