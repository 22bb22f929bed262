/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cqv-cli"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "cqv-cli.h"

gboolean
cqv_cli_is_command (const char *arg)
{
  return g_strcmp0 (arg, "tenant") == 0 || g_strcmp0 (arg, "users") == 0 ||
         g_strcmp0 (arg, "verify") == 0;
}

int
cqv_cli_run (int argc, char **argv)
{
  g_printerr (_("The command line is not available in this build yet.\n"));
  return CQV_EXIT_ERROR;
}
