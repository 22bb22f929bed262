/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Exit codes; scripts depend on them. */
typedef enum
{
  CQV_EXIT_APPROVED = 0,
  CQV_EXIT_ERROR = 1,
  CQV_EXIT_USAGE = 2,
  CQV_EXIT_TENANT = 3,
  CQV_EXIT_DENIED = 10,
  CQV_EXIT_FRAUD = 11,
  CQV_EXIT_TIMED_OUT = 12,
  CQV_EXIT_NOT_ELIGIBLE = 13,
  CQV_EXIT_BUSY = 14,
} CqvExitCode;

gboolean cqv_cli_is_command (const char *arg);
int      cqv_cli_run        (int         argc,
                             char      **argv);

G_END_DECLS
