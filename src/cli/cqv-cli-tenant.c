/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cqv-cli"

#include "config.h"

#include <errno.h>
#include <glib/gi18n-lib.h>
#include <signal.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "cqv-cli-private.h"
#include "cqv-endpoint.h"
#include "cqv-tenant-check.h"
#include "cqv-tenant-resolver.h"
#include "cqv-tenant-store-private.h"

/* Client secrets are about 40 characters; anything this long is not one. */
#define MAX_SECRET_BYTES 4096

static struct termios saved_termios;

static void
restore_terminal_and_exit (int signum)
{
  tcsetattr (STDIN_FILENO, TCSAFLUSH, &saved_termios);
  _exit (CQV_EXIT_ERROR);
}

/* Reads up to the end of the line (TTY) or of the input into @buffer; FALSE on a read error. */
static gboolean
read_input (char *buffer, gsize *length, gboolean one_line)
{
  *length = 0;
  while (*length < MAX_SECRET_BYTES)
    {
      ssize_t n = read (STDIN_FILENO, buffer + *length, one_line ? 1 : MAX_SECRET_BYTES - *length);

      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0)
        return FALSE;
      if (n == 0)
        break;
      *length += n;
      if (one_line && buffer[*length - 1] == '\n')
        break;
    }
  return TRUE;
}

/* The client secret from standard input: a line typed without echo on a terminal, else the
 * whole input without one trailing newline. */
static char *
read_secret (GError **error)
{
  char *buffer = g_malloc0 (MAX_SECRET_BYTES + 1);
  gboolean tty = isatty (STDIN_FILENO);
  gsize length = 0;
  gboolean ok;

  if (tty)
    {
      struct termios quiet;
      struct sigaction action = { 0 };
      struct sigaction old_int, old_term;

      if (tcgetattr (STDIN_FILENO, &saved_termios) != 0)
        {
          g_free (buffer);
          g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                               _("Cannot read the secret from this terminal. Pipe it in: "
                                 "printf %s \"$SECRET\" | cyberqp-verify tenant add …"));
          return NULL;
        }
      quiet = saved_termios;
      quiet.c_lflag &= ~ECHO;
      action.sa_handler = restore_terminal_and_exit;
      sigaction (SIGINT, &action, &old_int);
      sigaction (SIGTERM, &action, &old_term);

      g_printerr (_("Client secret (not shown): "));
      tcsetattr (STDIN_FILENO, TCSAFLUSH, &quiet);
      ok = read_input (buffer, &length, TRUE);
      tcsetattr (STDIN_FILENO, TCSAFLUSH, &saved_termios);
      g_printerr ("\n");

      sigaction (SIGINT, &old_int, NULL);
      sigaction (SIGTERM, &old_term, NULL);
    }
  else
    {
      ok = read_input (buffer, &length, FALSE);
      if (ok && length == MAX_SECRET_BYTES)
        {
          char extra;

          if (read (STDIN_FILENO, &extra, 1) > 0)
            length = MAX_SECRET_BYTES + 1;
        }
    }

  if (!ok)
    {
      int saved_errno = errno;

      cqv_secret_wipe_string (buffer);
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                   _("Could not read the client secret from standard input: %s"),
                      g_strerror (saved_errno));
      return NULL;
    }
  if (length > MAX_SECRET_BYTES)
    {
      cqv_secret_wipe_string (buffer);
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                           _("Standard input is too long to be a client secret."));
      return NULL;
    }

  /* One trailing newline (as echo or a file adds) is not part of the secret. */
  if (length > 0 && buffer[length - 1] == '\n')
    buffer[--length] = '\0';
  if (length > 0 && buffer[length - 1] == '\r')
    buffer[--length] = '\0';

  if (length == 0)
    {
      cqv_secret_wipe_string (buffer);
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                           _("The client secret is empty. Give it on standard input, for example: "
                             "printf %s \"$SECRET\" | cyberqp-verify tenant add …"));
      return NULL;
    }
  if (memchr (buffer, '\n', length) != NULL || memchr (buffer, '\r', length) != NULL ||
      memchr (buffer, '\0', length) != NULL || !g_utf8_validate (buffer, length, NULL))
    {
      cqv_secret_wipe_string (buffer);
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                           _("The client secret must be one line of text."));
      return NULL;
    }
  return buffer;
}

static gboolean
check_endpoint (const char *option, const char *url, GError **error)
{
  if (url == NULL || cqv_endpoint_validate (url, error))
    return TRUE;
  g_prefix_error (error, "%s: ", option);
  return FALSE;
}

/* Another tenant of the list that uses @tenant_id (and @client_id unless NULL). */
static gboolean
ids_shared (CqvTenantStore *store, CqvTenant *except, const char *tenant_id, const char *client_id)
{
  GListModel *tenants = cqv_tenant_store_get_tenants (store);

  for (guint i = 0; i < g_list_model_get_n_items (tenants); i++)
    {
      g_autoptr (CqvTenant) other = g_list_model_get_item (tenants, i);

      if (other == except)
        continue;
      if (g_ascii_strcasecmp (cqv_tenant_get_tenant_id (other), tenant_id) == 0 &&
          (client_id == NULL ||
           g_ascii_strcasecmp (cqv_tenant_get_client_id (other), client_id) == 0))
        return TRUE;
    }
  return FALSE;
}

static gboolean
clear_secrets (CqvSecretStore *secrets,
               const char *tenant_id,
               const char *client_id,
               GError **error)
{
  g_auto (CqvCliWait) wait = { 0 };

  cqv_cli_wait_init (&wait);
  cqv_secret_store_clear_async (secrets, tenant_id, client_id, NULL, cqv_cli_wait_cb, &wait);
  return cqv_secret_store_clear_finish (secrets, cqv_cli_wait_run (&wait), error);
}

/* A domain becomes the tenant's GUID (from the login service's OpenID configuration), so the
 * keyring items and the tenants file always name the tenant the same way. */
static gboolean
resolve_tenant_id (CqvTenant *tenant, GError **error)
{
  g_autoptr (CqvHttpClient) http = NULL;
  g_autoptr (CqvTenantResolver) resolver = NULL;
  g_autofree char *guid = NULL;
  g_auto (CqvCliWait) wait = { 0 };
  const char *domain = cqv_tenant_get_tenant_id (tenant);

  if (cqv_tenant_id_is_guid (domain))
    return TRUE;

  http = cqv_http_client_new ();
  resolver = cqv_tenant_resolver_new (http);
  cqv_cli_wait_init (&wait);
  cqv_tenant_resolver_resolve_async (resolver, cqv_tenant_get_effective_login_url (tenant), domain,
                                     cqv_cli_get_cancellable (), cqv_cli_wait_cb, &wait);
  guid = cqv_tenant_resolver_resolve_finish (resolver, cqv_cli_wait_run (&wait), error);
  if (guid == NULL)
    {
      g_prefix_error (error, _("Could not find the tenant of “%s”: "), domain);
      return FALSE;
    }

  g_printerr (_("%s is tenant %s.\n"), domain, guid);
  cqv_tenant_set_tenant_id (tenant, guid);
  return TRUE;
}

static int
tenant_add (int argc, char **argv)
{
  g_autoptr (GOptionContext) options = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (CqvTenantStore) store = NULL;
  g_autoptr (CqvTenant) tenant = NULL;
  g_autoptr (CqvSecretStore) secrets = NULL;
  g_autoptr (CqvSecret) secret = NULL;
  g_auto (CqvCliWait) wait = { 0 };
  g_autofree char *tenant_id = NULL, *client_id = NULL, *cloud_name = NULL;
  g_autofree char *login_url = NULL, *graph_url = NULL, *mfa_url = NULL;
  char *value;
  CqvCloud cloud = CQV_CLOUD_GLOBAL;
  const GOptionEntry entries[] = {
    { "tenant-id", 0, 0, G_OPTION_ARG_STRING, &tenant_id,
      N_("The directory (tenant) ID or a domain of the tenant"), N_("ID") },
      { "client-id", 0, 0, G_OPTION_ARG_STRING, &client_id,
        N_("The application (client) ID of the app registration"), N_("ID") },
        { "cloud", 0, 0, G_OPTION_ARG_STRING, &cloud_name,
          N_("global (default), usgov, usgov-dod or china"), N_("CLOUD") },
          { "login-url", 0, 0, G_OPTION_ARG_STRING, &login_url,
            N_("Another login service"), N_("URL") },
            { "graph-url", 0, 0, G_OPTION_ARG_STRING, &graph_url,
              N_("Another Microsoft Graph"), N_("URL") },
              { "mfa-url", 0, 0, G_OPTION_ARG_STRING, &mfa_url,
                N_("Another MFA connector service"), N_("URL") }, { NULL },
              };

  options = g_option_context_new (_("NAME"));
  g_option_context_set_translation_domain (options, GETTEXT_PACKAGE);
  g_option_context_set_summary (options,
                                _("Adds a tenant. The app's client secret is read from standard "
                                  "input and kept in the keyring only."));
  g_option_context_add_main_entries (options, entries, GETTEXT_PACKAGE);
  if (!cqv_cli_parse (options, "tenant add", &argc, &argv))
    return CQV_EXIT_USAGE;
  if (argc != 2)
    return cqv_cli_usage_error ("tenant add", _("Give one name for the tenant."));
  if (tenant_id == NULL || client_id == NULL)
    return cqv_cli_usage_error ("tenant add", _("Both --tenant-id and --client-id are needed."));
  if (cloud_name != NULL && !cqv_cloud_from_string (cloud_name, &cloud))
    return cqv_cli_usage_error (
      "tenant add", _("Unknown cloud “%s”: use global, usgov, usgov-dod or china."), cloud_name);
  if (!check_endpoint ("--login-url", login_url, &error) ||
      !check_endpoint ("--graph-url", graph_url, &error) ||
      !check_endpoint ("--mfa-url", mfa_url, &error))
    return cqv_cli_usage_error ("tenant add", "%s", error->message);

  tenant = cqv_tenant_new (argv[1], tenant_id, client_id, cloud);
  cqv_tenant_set_login_url (tenant, login_url);
  cqv_tenant_set_graph_url (tenant, graph_url);
  cqv_tenant_set_mfa_url (tenant, mfa_url);
  if (!cqv_tenant_store_check_tenant (tenant, &error))
    return cqv_cli_usage_error ("tenant add", "%s", error->message);

  store = cqv_cli_open_tenants (&error);
  if (store == NULL)
    return cqv_cli_fail (error);
  if (cqv_tenant_store_find (store, argv[1]) != NULL)
    {
      g_printerr (_("Error: A tenant called “%s” already exists. Remove it first with "
                    "“cyberqp-verify tenant remove %s”, or choose another name.\n"),
                     argv[1], argv[1]);
      return CQV_EXIT_TENANT;
    }

  if (!resolve_tenant_id (tenant, &error))
    {
      g_printerr (_("Error: %s\n"), error->message);
      g_printerr (_("Check the domain, or give the tenant's GUID (Directory (tenant) ID in the "
                    "app registration's overview).\n"));
      return error->domain == CQV_TENANT_RESOLVER_ERROR ? CQV_EXIT_TENANT
                                                        : cqv_cli_exit_code_for_error (error);
    }

  value = read_secret (&error);
  if (value == NULL)
    return cqv_cli_usage_error ("tenant add", "%s", error->message);
  secret = cqv_secret_new (value, NULL, NULL);
  cqv_secret_wipe_string (value);

  /* The keyring first: when it fails, nothing is half added. */
  secrets = cqv_secret_store_new ();
  cqv_cli_wait_init (&wait);
  cqv_secret_store_store_async (secrets, cqv_tenant_get_tenant_id (tenant),
                                cqv_tenant_get_client_id (tenant), CQV_SECRET_KIND_APP, NULL,
                                secret, NULL, cqv_cli_wait_cb, &wait);
  if (!cqv_secret_store_store_finish (secrets, cqv_cli_wait_run (&wait), &error))
    return cqv_cli_fail (error);

  if (!cqv_tenant_store_add (store, tenant, &error))
    {
      /* Take the secret back out, unless another tenant entry uses the same app. */
      if (!ids_shared (store, NULL, cqv_tenant_get_tenant_id (tenant),
                       cqv_tenant_get_client_id (tenant)))
        {
          g_autoptr (GError) clear_error = NULL;

          if (!clear_secrets (secrets, cqv_tenant_get_tenant_id (tenant),
                              cqv_tenant_get_client_id (tenant), &clear_error))
            g_debug ("Could not take the secret back out: %s", clear_error->message);
        }
      return cqv_cli_fail (error);
    }

  g_print (_("Added “%s” (tenant %s, %s cloud).\n"), cqv_tenant_get_name (tenant),
              cqv_tenant_get_tenant_id (tenant), cqv_cloud_to_string (cloud));
  g_print (_("Run “cyberqp-verify tenant check %s” to check its setup.\n"),
              cqv_tenant_get_name (tenant));
  return CQV_EXIT_APPROVED;
}

static void
add_nullable (JsonBuilder *builder, const char *name, const char *value)
{
  json_builder_set_member_name (builder, name);
  if (value != NULL)
    json_builder_add_string_value (builder, value);
  else
    json_builder_add_null_value (builder);
}

static void
print_tenants_json (GListModel *tenants)
{
  g_autoptr (JsonBuilder) builder = json_builder_new ();
  g_autoptr (JsonNode) root = NULL;

  json_builder_begin_array (builder);
  for (guint i = 0; i < g_list_model_get_n_items (tenants); i++)
    {
      g_autoptr (CqvTenant) tenant = g_list_model_get_item (tenants, i);

      json_builder_begin_object (builder);
      add_nullable (builder, "name", cqv_tenant_get_name (tenant));
      add_nullable (builder, "tenant_id", cqv_tenant_get_tenant_id (tenant));
      add_nullable (builder, "client_id", cqv_tenant_get_client_id (tenant));
      add_nullable (builder, "cloud", cqv_cloud_to_string (cqv_tenant_get_cloud (tenant)));
      add_nullable (builder, "login_url", cqv_tenant_get_login_url (tenant));
      add_nullable (builder, "graph_url", cqv_tenant_get_graph_url (tenant));
      add_nullable (builder, "mfa_url", cqv_tenant_get_mfa_url (tenant));
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);

  root = json_builder_get_root (builder);
  cqv_cli_print_json (root);
}

static void
print_tenants_table (GListModel *tenants)
{
  guint name_width = g_utf8_strlen (_("Name"), -1);
  guint id_width = g_utf8_strlen (_("Tenant ID"), -1);
  g_autofree char *name_header = NULL;
  g_autofree char *id_header = NULL;

  for (guint i = 0; i < g_list_model_get_n_items (tenants); i++)
    {
      g_autoptr (CqvTenant) tenant = g_list_model_get_item (tenants, i);

      name_width = MAX (name_width, (guint) g_utf8_strlen (cqv_tenant_get_name (tenant), -1));
      id_width = MAX (id_width, (guint) g_utf8_strlen (cqv_tenant_get_tenant_id (tenant), -1));
    }

  name_header = cqv_cli_pad (_("Name"), name_width + 2);
  id_header = cqv_cli_pad (_("Tenant ID"), id_width + 2);
  g_print ("%s%s%s\n", name_header, id_header, _("Cloud"));
  for (guint i = 0; i < g_list_model_get_n_items (tenants); i++)
    {
      g_autoptr (CqvTenant) tenant = g_list_model_get_item (tenants, i);
      g_autofree char *name = cqv_cli_pad (cqv_tenant_get_name (tenant), name_width + 2);
      g_autofree char *id = cqv_cli_pad (cqv_tenant_get_tenant_id (tenant), id_width + 2);
      gboolean custom = cqv_tenant_get_login_url (tenant) != NULL ||
                        cqv_tenant_get_graph_url (tenant) != NULL ||
                        cqv_tenant_get_mfa_url (tenant) != NULL;

      g_print ("%s%s%s%s\n", name, id, cqv_cloud_to_string (cqv_tenant_get_cloud (tenant)),
               custom ? _(" (custom endpoints)") : "");
    }
}

static int
tenant_list (int argc, char **argv)
{
  g_autoptr (GOptionContext) options = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (CqvTenantStore) store = NULL;
  GListModel *tenants;
  gboolean json = FALSE;
  const GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print the tenants as a JSON array"), NULL },
      { NULL },
  };

  options = g_option_context_new (NULL);
  g_option_context_set_translation_domain (options, GETTEXT_PACKAGE);
  g_option_context_set_summary (options, _("Lists the tenants (never their secrets)."));
  g_option_context_add_main_entries (options, entries, GETTEXT_PACKAGE);
  if (!cqv_cli_parse (options, "tenant list", &argc, &argv))
    return CQV_EXIT_USAGE;
  if (argc != 1)
    return cqv_cli_usage_error ("tenant list", _("Unexpected argument “%s”."), argv[1]);

  store = cqv_cli_open_tenants (&error);
  if (store == NULL)
    return cqv_cli_fail (error);

  tenants = cqv_tenant_store_get_tenants (store);
  if (json)
    print_tenants_json (tenants);
  else if (g_list_model_get_n_items (tenants) == 0)
    g_printerr (_("No tenants yet. Add one with “cyberqp-verify tenant add”.\n"));
  else
    print_tenants_table (tenants);
  return CQV_EXIT_APPROVED;
}

static int
tenant_remove (int argc, char **argv)
{
  g_autoptr (GOptionContext) options = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (CqvTenantStore) store = NULL;
  g_autoptr (CqvTenant) tenant = NULL;
  g_autoptr (CqvSecretStore) secrets = NULL;
  const char *client_id = NULL;

  options = g_option_context_new (_("NAME"));
  g_option_context_set_translation_domain (options, GETTEXT_PACKAGE);
  g_option_context_set_summary (options, _("Removes a tenant and its secrets from the keyring."));
  if (!cqv_cli_parse (options, "tenant remove", &argc, &argv))
    return CQV_EXIT_USAGE;
  if (argc != 2)
    return cqv_cli_usage_error ("tenant remove", _("Give the name of one tenant."));

  store = cqv_cli_open_tenants (&error);
  if (store == NULL)
    return cqv_cli_fail (error);
  tenant = cqv_cli_find_tenant (store, argv[1], &error);
  if (tenant == NULL)
    return cqv_cli_fail (error);

  if (!cqv_tenant_store_remove (store, argv[1], &error))
    return cqv_cli_fail (error);

  /* Secrets another entry still needs stay: the connector secret is per tenant, the app
   * secret per tenant and client. */
  if (ids_shared (store, tenant, cqv_tenant_get_tenant_id (tenant), NULL))
    client_id = cqv_tenant_get_client_id (tenant);
  if (client_id == NULL ||
      !ids_shared (store, tenant, cqv_tenant_get_tenant_id (tenant), client_id))
    {
      secrets = cqv_secret_store_new ();
      if (!clear_secrets (secrets, cqv_tenant_get_tenant_id (tenant), client_id, &error))
        {
          g_printerr (_("“%s” was removed, but its secrets could not be removed from the "
                        "keyring.\n"),
                         cqv_tenant_get_name (tenant));
          return cqv_cli_fail (error);
        }
    }

  g_print (_("Removed “%s” and its secrets.\n"), cqv_tenant_get_name (tenant));
  return CQV_EXIT_APPROVED;
}

static const char *
status_symbol (CqvCheckStatus status)
{
  switch (status)
    {
    case CQV_CHECK_STATUS_OK:
      return "✓";
    case CQV_CHECK_STATUS_WARNING:
      return "!";
    case CQV_CHECK_STATUS_FAILED:
      return "✗";
    case CQV_CHECK_STATUS_SKIPPED:
    case CQV_CHECK_STATUS_PENDING:
    default:
      return "-";
    }
}

static void
print_check_json (const char *name, CqvTenantCheck *check)
{
  g_autoptr (JsonBuilder) builder = json_builder_new ();
  g_autoptr (JsonNode) root = NULL;
  GListModel *items = cqv_tenant_check_get_items (check);

  json_builder_begin_object (builder);
  add_nullable (builder, "tenant", name);
  json_builder_set_member_name (builder, "passed");
  json_builder_add_boolean_value (builder, cqv_tenant_check_get_passed (check));
  json_builder_set_member_name (builder, "items");
  json_builder_begin_array (builder);
  for (guint i = 0; i < g_list_model_get_n_items (items); i++)
    {
      g_autoptr (CqvCheckItem) item = g_list_model_get_item (items, i);

      json_builder_begin_object (builder);
      add_nullable (builder, "id", cqv_check_item_get_id (item));
      add_nullable (builder, "title", cqv_check_item_get_title (item));
      add_nullable (builder, "status",
                    cqv_check_status_to_string (cqv_check_item_get_status (item)));
      add_nullable (builder, "detail", cqv_check_item_get_detail (item));
      add_nullable (builder, "fix", cqv_check_item_get_fix (item));
      add_nullable (builder, "fix_url", cqv_check_item_get_fix_url (item));
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  cqv_cli_print_json (root);
}

static void
print_check_text (CqvTenantCheck *check)
{
  GListModel *items = cqv_tenant_check_get_items (check);

  for (guint i = 0; i < g_list_model_get_n_items (items); i++)
    {
      g_autoptr (CqvCheckItem) item = g_list_model_get_item (items, i);
      const char *detail = cqv_check_item_get_detail (item);
      const char *fix = cqv_check_item_get_fix (item);
      const char *url = cqv_check_item_get_fix_url (item);

      g_print ("%s %s", status_symbol (cqv_check_item_get_status (item)),
               cqv_check_item_get_title (item));
      if (detail != NULL)
        g_print (" — %s", detail);
      g_print ("\n");
      if (fix != NULL)
        g_print (_("    Fix: %s\n"), fix);
      if (url != NULL)
        g_print ("    %s\n", url);
    }
}

static int
tenant_check (int argc, char **argv)
{
  g_autoptr (GOptionContext) options = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (CqvTenantContext) context = NULL;
  g_autoptr (CqvTenantCheck) check = NULL;
  g_autoptr (GListModel) items = NULL;
  g_auto (CqvCliWait) wait = { 0 };
  gboolean json = FALSE;
  const GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print the checklist as JSON"), NULL }, { NULL },
  };

  options = g_option_context_new (_("NAME"));
  g_option_context_set_translation_domain (options, GETTEXT_PACKAGE);
  g_option_context_set_summary (options,
                                _("Checks the tenant's setup without changing anything: "
                                  "credentials, permissions, the MFA apps and the connector "
                                  "secret. Exits with 3 when a line is red."));
  g_option_context_add_main_entries (options, entries, GETTEXT_PACKAGE);
  if (!cqv_cli_parse (options, "tenant check", &argc, &argv))
    return CQV_EXIT_USAGE;
  if (argc != 2)
    return cqv_cli_usage_error ("tenant check", _("Give the name of one tenant."));

  context = cqv_cli_new_context (argv[1], &error);
  if (context == NULL)
    return cqv_cli_fail (error);

  check = cqv_tenant_check_new (context);
  cqv_cli_wait_init (&wait);
  cqv_tenant_check_run_async (check, cqv_cli_get_cancellable (), cqv_cli_wait_cb, &wait);
  items = cqv_tenant_check_run_finish (check, cqv_cli_wait_run (&wait), &error);
  if (items == NULL)
    return cqv_cli_fail (error);

  if (json)
    print_check_json (argv[1], check);
  else
    print_check_text (check);

  return cqv_tenant_check_get_passed (check) ? CQV_EXIT_APPROVED : CQV_EXIT_TENANT;
}

int
cqv_cli_tenant (int argc, char **argv)
{
  const char *command = argc > 1 ? argv[1] : NULL;

  if (g_strcmp0 (command, "add") == 0)
    return tenant_add (argc - 1, argv + 1);
  if (g_strcmp0 (command, "list") == 0)
    return tenant_list (argc - 1, argv + 1);
  if (g_strcmp0 (command, "remove") == 0)
    return tenant_remove (argc - 1, argv + 1);
  if (g_strcmp0 (command, "check") == 0)
    return tenant_check (argc - 1, argv + 1);

  if (command == NULL)
    g_printerr (_("cyberqp-verify tenant: say what to do: add, list, remove or check.\n"));
  else
    g_printerr (_("cyberqp-verify tenant: unknown command “%s”: use add, list, remove or "
                  "check.\n"),
                   command);
  cqv_cli_print_usage ();
  return CQV_EXIT_USAGE;
}
