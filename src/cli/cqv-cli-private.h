/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "cqv-cli.h"
#include "cqv-tenant-context.h"
#include "cqv-tenant-store.h"

G_BEGIN_DECLS

/* Shared by the subcommands (cqv-cli.c). */

/* Waits for one async call at a time on a GMainLoop of its own:
 *   foo_async (..., cqv_cli_wait_cb, &wait); result = cqv_cli_wait_run (&wait);
 * The result stays valid until the next run or the clear. */
typedef struct
{
  GMainLoop    *loop;
  GAsyncResult *result;
} CqvCliWait;

void          cqv_cli_wait_init  (CqvCliWait   *wait);
void          cqv_cli_wait_clear (CqvCliWait   *wait);
void          cqv_cli_wait_cb    (GObject      *object,
                                  GAsyncResult *result,
                                  gpointer      user_data);
GAsyncResult *cqv_cli_wait_run   (CqvCliWait   *wait);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (CqvCliWait, cqv_cli_wait_clear)

/* Cancelled by Ctrl+C (SIGINT) while a command runs. */
GCancellable *cqv_cli_get_cancellable (void);

/* Parses @argv (the subcommand first) with @context; on a usage error prints it with a hint
 * and returns FALSE. */
gboolean      cqv_cli_parse          (GOptionContext  *context,
                                      const char      *command,
                                      int             *argc,
                                      char          ***argv);
/* Prints a usage error and a hint; returns CQV_EXIT_USAGE. */
int           cqv_cli_usage_error    (const char      *command,
                                      const char      *format,
                                      ...) G_GNUC_PRINTF (2, 3);
/* The exit code for an error (CQV_EXIT_TENANT for tenant, credential and keyring trouble). */
int           cqv_cli_exit_code_for_error (const GError *error);
/* Prints @error to stderr (with what to do) and returns its exit code. */
int           cqv_cli_fail           (const GError    *error);

gboolean      cqv_cli_stdout_is_tty  (void);
gboolean      cqv_cli_stderr_is_tty  (void);
/* Prints @node as JSON on stdout, followed by a newline. */
void          cqv_cli_print_json     (JsonNode        *node);
/* Pads @text with spaces to @width characters (not bytes). */
char         *cqv_cli_pad            (const char      *text,
                                      guint            width);

/* The tenants file, loaded. A broken file is an error (CQV_TENANT_STORE_ERROR). */
CqvTenantStore   *cqv_cli_open_tenants (GError     **error);
/* The tenant called @name (a new reference), or CQV_TENANT_STORE_ERROR_NOT_FOUND. */
CqvTenant        *cqv_cli_find_tenant  (CqvTenantStore *store,
                                        const char     *name,
                                        GError        **error);
/* A context for the tenant called @name, its app secret not looked up yet. */
CqvTenantContext *cqv_cli_new_context  (const char     *name,
                                        GError        **error);
/* A context for the tenant called @name, its app secret looked up in the keyring. */
CqvTenantContext *cqv_cli_open_context (const char     *name,
                                        GError        **error);

/* The whole usage, on stderr. */
void cqv_cli_print_usage (void);

int cqv_cli_tenant (int argc, char **argv);
int cqv_cli_users  (int argc, char **argv);
int cqv_cli_verify (int argc, char **argv);

G_END_DECLS
