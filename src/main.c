/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cqv-main"

#include "config.h"

#include <glib/gi18n.h>
#include <locale.h>

#include "cqv-application.h"
#include "cqv-cli.h"

int
main (int argc, char *argv[])
{
  g_autoptr (CqvApplication) app = NULL;
  const char *localedir = g_getenv ("CQV_LOCALEDIR");

  /* GLib 2.74's slice allocator (Debian 12) costs json-glib's parse threads about a quarter of
   * their time on a directory of 100 000 users; GLib 2.76 and later allocate with malloc
   * anyway. Read when GLib first allocates a slice, which has not happened yet. */
  g_setenv ("G_SLICE", "always-malloc", FALSE);
  setlocale (LC_ALL, "");
  /* CQV_LOCALEDIR lets the uninstalled build find its translations (_build/po). */
  bindtextdomain (GETTEXT_PACKAGE, localedir != NULL ? localedir : LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  /* A subcommand runs headless: it never touches GTK or the display. */
  if (argc > 1 && cqv_cli_is_command (argv[1]))
    return cqv_cli_run (argc, argv);

  app = cqv_application_new ();
  return g_application_run (G_APPLICATION (app), argc, argv);
}
