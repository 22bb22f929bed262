/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cqv-launch"

#include "config.h"

#include "cqv-launch.h"

#if GTK_CHECK_VERSION(4, 10, 0)
static void
uri_launched_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GError) error = NULL;

  if (!gtk_uri_launcher_launch_finish (GTK_URI_LAUNCHER (object), result, &error) &&
      !g_error_matches (error, GTK_DIALOG_ERROR, GTK_DIALOG_ERROR_DISMISSED))
    g_warning ("Could not open a web page: %s", error->message);
}
#endif

void
cqv_launch_uri (GtkWindow *parent, const char *uri)
{
  g_return_if_fail (parent == NULL || GTK_IS_WINDOW (parent));
  g_return_if_fail (uri != NULL);

#if GTK_CHECK_VERSION(4, 10, 0)
  {
    g_autoptr (GtkUriLauncher) launcher = gtk_uri_launcher_new (uri);

    gtk_uri_launcher_launch (launcher, parent, NULL, uri_launched_cb, NULL);
  }
#else
  gtk_show_uri (parent, uri, GDK_CURRENT_TIME);
#endif
}
