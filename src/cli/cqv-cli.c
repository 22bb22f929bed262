/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cqv-cli"

#include "config.h"

#include <glib-unix.h>
#include <glib/gi18n-lib.h>
#include <signal.h>
#include <unistd.h>

#include "cqv-cli-private.h"
#include "cqv-endpoint.h"

static GCancellable *cli_cancellable;

static void
print_usage (void)
{
  g_printerr ("%s\n",
              _("Usage:\n"
             "  cyberqp-verify tenant add NAME --tenant-id ID --client-id ID [--cloud CLOUD]\n"
             "                 [--login-url URL] [--graph-url URL] [--mfa-url URL]\n"
             "                 (the client secret is read from standard input)\n"
             "  cyberqp-verify tenant list [--json]\n"
             "  cyberqp-verify tenant remove NAME\n"
             "  cyberqp-verify tenant check NAME [--json]\n"
             "  cyberqp-verify users NAME [--json] [--search TEXT]\n"
             "  cyberqp-verify verify NAME UPN [--json] [--ticket TEXT]\n"
             "\n"
             "Exit codes: 0 approved, 1 other error, 2 usage, 3 tenant, credential or keyring\n"
             "problem, 10 denied, 11 fraud reported, 12 timed out, 13 not delivered, not\n"
             "enrolled or not eligible, 14 busy or throttled."));
}

static gboolean
sigint_cb (gpointer user_data)
{
  if (g_cancellable_is_cancelled (cli_cancellable))
    {
      /* A second Ctrl+C: the user does not want to wait for the cancellation. */
      g_printerr ("\n");
      _exit (CQV_EXIT_ERROR);
    }
  g_cancellable_cancel (cli_cancellable);
  return G_SOURCE_CONTINUE;
}

void
cqv_cli_wait_init (CqvCliWait *wait)
{
  g_assert (wait != NULL);

  wait->loop = g_main_loop_new (NULL, FALSE);
  wait->result = NULL;
}

void
cqv_cli_wait_clear (CqvCliWait *wait)
{
  g_clear_object (&wait->result);
  g_clear_pointer (&wait->loop, g_main_loop_unref);
}

void
cqv_cli_wait_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  CqvCliWait *wait = user_data;

  g_set_object (&wait->result, result);
  g_main_loop_quit (wait->loop);
}

GAsyncResult *
cqv_cli_wait_run (CqvCliWait *wait)
{
  g_assert (wait != NULL && wait->loop != NULL);

  /* The previous result was handed out already: drop it before waiting for the next. */
  g_clear_object (&wait->result);
  while (wait->result == NULL)
    g_main_loop_run (wait->loop);
  return wait->result;
}

GCancellable *
cqv_cli_get_cancellable (void)
{
  if (cli_cancellable == NULL)
    cli_cancellable = g_cancellable_new ();
  return cli_cancellable;
}

gboolean
cqv_cli_parse (GOptionContext *context, const char *command, int *argc, char ***argv)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *prgname = g_strconcat ("cyberqp-verify ", command, NULL);

  /* So that --help shows the whole command. */
  g_set_prgname (prgname);
  if (!g_option_context_parse (context, argc, argv, &error))
    {
      cqv_cli_usage_error (command, "%s", error->message);
      return FALSE;
    }
  return TRUE;
}

int
cqv_cli_usage_error (const char *command, const char *format, ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);

  g_printerr ("cyberqp-verify %s: %s\n", command, message);
  g_printerr (_("Run “cyberqp-verify %s --help” for usage.\n"), command);
  return CQV_EXIT_USAGE;
}

int
cqv_cli_exit_code_for_error (const GError *error)
{
  g_return_val_if_fail (error != NULL, CQV_EXIT_ERROR);

  if (error->domain == CQV_TENANT_STORE_ERROR || error->domain == CQV_TENANT_CONTEXT_ERROR ||
      error->domain == CQV_SECRET_ERROR || error->domain == CQV_ENDPOINT_ERROR)
    return CQV_EXIT_TENANT;
  if (error->domain == CQV_AUTH_ERROR)
    return error->code == CQV_AUTH_ERROR_MALFORMED ? CQV_EXIT_ERROR : CQV_EXIT_TENANT;
  if (g_error_matches (error, CQV_GRAPH_ERROR, CQV_GRAPH_ERROR_PERMISSION_MISSING) ||
      g_error_matches (error, CQV_GRAPH_ERROR, CQV_GRAPH_ERROR_NO_PREMIUM_LICENSE) ||
      g_error_matches (error, CQV_GRAPH_ERROR, CQV_GRAPH_ERROR_UNAUTHORIZED) ||
      g_error_matches (error, CQV_CONNECTOR_ERROR, CQV_CONNECTOR_ERROR_POLICY) ||
      g_error_matches (error, CQV_CONNECTOR_ERROR, CQV_CONNECTOR_ERROR_NO_SECRET))
    return CQV_EXIT_TENANT;
  if (g_error_matches (error, CQV_GRAPH_ERROR, CQV_GRAPH_ERROR_THROTTLED) ||
      g_error_matches (error, CQV_HTTP_ERROR, CQV_HTTP_ERROR_THROTTLED))
    return CQV_EXIT_BUSY;
  return CQV_EXIT_ERROR;
}

static const char *
hint_for_error (const GError *error)
{
  if (g_error_matches (error, CQV_TENANT_STORE_ERROR, CQV_TENANT_STORE_ERROR_NOT_FOUND))
    return _("Run “cyberqp-verify tenant list” to see the tenants you added.");
  if (g_error_matches (error, CQV_TENANT_CONTEXT_ERROR, CQV_TENANT_CONTEXT_ERROR_NO_APP_SECRET))
    return _("Remove the tenant and add it again with “cyberqp-verify tenant add”, giving the "
             "client secret on standard input.");
  if (error->domain == CQV_AUTH_ERROR || error->domain == CQV_GRAPH_ERROR)
    return _("Run “cyberqp-verify tenant check NAME” to see what the tenant is missing.");
  if (error->domain == CQV_HTTP_ERROR)
    return _("Check the network connection and try again.");
  return NULL;
}

int
cqv_cli_fail (const GError *error)
{
  const char *hint;

  g_return_val_if_fail (error != NULL, CQV_EXIT_ERROR);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_printerr (_("Cancelled.\n"));
      return CQV_EXIT_ERROR;
    }

  g_printerr (_("Error: %s\n"), error->message);
  hint = hint_for_error (error);
  if (hint != NULL)
    g_printerr ("%s\n", hint);
  return cqv_cli_exit_code_for_error (error);
}

gboolean
cqv_cli_stdout_is_tty (void)
{
  return isatty (STDOUT_FILENO);
}

gboolean
cqv_cli_stderr_is_tty (void)
{
  return isatty (STDERR_FILENO);
}

void
cqv_cli_print_json (JsonNode *node)
{
  g_autoptr (JsonGenerator) generator = json_generator_new ();
  g_autofree char *text = NULL;

  json_generator_set_pretty (generator, TRUE);
  json_generator_set_indent (generator, 2);
  json_generator_set_root (generator, node);
  text = json_generator_to_data (generator, NULL);
  g_print ("%s\n", text);
}

char *
cqv_cli_pad (const char *text, guint width)
{
  GString *padded = g_string_new (text);
  glong length = g_utf8_strlen (text, -1);

  for (glong i = length; i < (glong) width; i++)
    g_string_append_c (padded, ' ');
  return g_string_free (padded, FALSE);
}

CqvTenantStore *
cqv_cli_open_tenants (GError **error)
{
  g_autoptr (CqvTenantStore) store = cqv_tenant_store_new (NULL);
  g_auto (CqvCliWait) wait = { 0 };
  const GError *load_error;

  cqv_cli_wait_init (&wait);
  cqv_tenant_store_load_async (store, cqv_cli_get_cancellable (), cqv_cli_wait_cb, &wait);
  if (!cqv_tenant_store_load_finish (store, cqv_cli_wait_run (&wait), error))
    return NULL;

  load_error = cqv_tenant_store_get_load_error (store);
  if (load_error != NULL)
    {
      g_propagate_error (error, g_error_copy (load_error));
      return NULL;
    }
  return g_steal_pointer (&store);
}

CqvTenant *
cqv_cli_find_tenant (CqvTenantStore *store, const char *name, GError **error)
{
  CqvTenant *tenant = cqv_tenant_store_find (store, name);

  if (tenant == NULL)
    {
      g_set_error (error, CQV_TENANT_STORE_ERROR, CQV_TENANT_STORE_ERROR_NOT_FOUND,
                   _("There is no tenant called “%s”."), name);
      return NULL;
    }
  return g_object_ref (tenant);
}

CqvTenantContext *
cqv_cli_new_context (const char *name, GError **error)
{
  g_autoptr (CqvTenantStore) tenants = NULL;
  g_autoptr (CqvTenant) tenant = NULL;
  g_autoptr (CqvSecretStore) secrets = NULL;
  g_autoptr (CqvHttpClient) http = NULL;
  g_autoptr (CqvTokenProvider) tokens = NULL;

  tenants = cqv_cli_open_tenants (error);
  if (tenants == NULL)
    return NULL;
  tenant = cqv_cli_find_tenant (tenants, name, error);
  if (tenant == NULL)
    return NULL;

  secrets = cqv_secret_store_new ();
  http = cqv_http_client_new ();
  tokens = cqv_token_provider_new (http);
  return cqv_tenant_context_new (tenant, secrets, http, tokens);
}

CqvTenantContext *
cqv_cli_open_context (const char *name, GError **error)
{
  g_autoptr (CqvTenantContext) context = NULL;
  g_auto (CqvCliWait) wait = { 0 };

  context = cqv_cli_new_context (name, error);
  if (context == NULL)
    return NULL;

  cqv_cli_wait_init (&wait);
  cqv_tenant_context_load_async (context, cqv_cli_get_cancellable (), cqv_cli_wait_cb, &wait);
  if (!cqv_tenant_context_load_finish (context, cqv_cli_wait_run (&wait), error))
    return NULL;

  return g_steal_pointer (&context);
}

gboolean
cqv_cli_is_command (const char *arg)
{
  return g_strcmp0 (arg, "tenant") == 0 || g_strcmp0 (arg, "users") == 0 ||
         g_strcmp0 (arg, "verify") == 0;
}

int
cqv_cli_run (int argc, char **argv)
{
  const char *command;
  guint sigint_id;
  int status;

  g_return_val_if_fail (argc > 1 && cqv_cli_is_command (argv[1]), CQV_EXIT_USAGE);

  g_set_prgname ("cyberqp-verify");
  command = argv[1];

  sigint_id = g_unix_signal_add (SIGINT, sigint_cb, NULL);
  (void) cqv_cli_get_cancellable ();

  if (g_str_equal (command, "tenant"))
    status = cqv_cli_tenant (argc - 1, argv + 1);
  else if (g_str_equal (command, "users"))
    status = cqv_cli_users (argc - 1, argv + 1);
  else if (g_str_equal (command, "verify"))
    status = cqv_cli_verify (argc - 1, argv + 1);
  else
    {
      print_usage ();
      status = CQV_EXIT_USAGE;
    }

  g_source_remove (sigint_id);
  g_clear_object (&cli_cancellable);
  return status;
}

void
cqv_cli_print_usage (void)
{
  print_usage ();
}
