/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cqv-cli"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "cqv-cli-private.h"

/* Without the registration report, Authenticator is checked per user: only for short lists. */
#define MAX_USERS_TO_CHECK 100

/* Stable machine strings for --json: never translated. */
static const char *
source_to_json (CqvUserSource source)
{
  switch (source)
    {
    case CQV_USER_SOURCE_SYNCED:
      return "synced";
    case CQV_USER_SOURCE_FORMERLY_SYNCED:
      return "formerly-synced";
    case CQV_USER_SOURCE_CLOUD:
    default:
      return "cloud";
    }
}

static const char *
user_type_to_json (CqvUserType user_type)
{
  return user_type == CQV_USER_TYPE_GUEST ? "guest" : "member";
}

static const char *
authenticator_to_json (CqvAuthenticatorState state)
{
  switch (state)
    {
    case CQV_AUTHENTICATOR_REGISTERED:
      return "registered";
    case CQV_AUTHENTICATOR_NOT_REGISTERED:
      return "not-registered";
    case CQV_AUTHENTICATOR_UNKNOWN:
    case CQV_AUTHENTICATOR_CHECKING:
    default:
      return "unknown";
    }
}

static void
add_string_member (JsonBuilder *builder, const char *name, const char *value)
{
  json_builder_set_member_name (builder, name);
  if (value != NULL)
    json_builder_add_string_value (builder, value);
  else
    json_builder_add_null_value (builder);
}

static void
print_users_json (GPtrArray *users)
{
  g_autoptr (JsonBuilder) builder = json_builder_new ();
  g_autoptr (JsonNode) root = NULL;

  json_builder_begin_array (builder);
  for (guint i = 0; i < users->len; i++)
    {
      CqvUser *user = g_ptr_array_index (users, i);

      json_builder_begin_object (builder);
      add_string_member (builder, "id", cqv_user_get_id (user));
      add_string_member (builder, "display_name", cqv_user_get_display_name (user));
      add_string_member (builder, "upn", cqv_user_get_upn (user));
      add_string_member (builder, "mail", cqv_user_get_mail (user));
      add_string_member (builder, "job_title", cqv_user_get_job_title (user));
      add_string_member (builder, "department", cqv_user_get_department (user));
      add_string_member (builder, "source", source_to_json (cqv_user_get_source (user)));
      json_builder_set_member_name (builder, "enabled");
      json_builder_add_boolean_value (builder, cqv_user_get_enabled (user));
      add_string_member (builder, "user_type", user_type_to_json (cqv_user_get_user_type (user)));
      add_string_member (builder, "authenticator",
                         authenticator_to_json (cqv_user_get_authenticator (user)));
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);

  root = json_builder_get_root (builder);
  cqv_cli_print_json (root);
}

static char *
describe_source (CqvUser *user)
{
  const char *source = cqv_user_source_to_string (cqv_user_get_source (user));
  GString *text = g_string_new (source);

  if (cqv_user_get_user_type (user) == CQV_USER_TYPE_GUEST)
    g_string_append_printf (text, ", %s", cqv_user_type_to_string (CQV_USER_TYPE_GUEST));
  if (!cqv_user_get_enabled (user))
    g_string_append_printf (text, ", %s", _("disabled"));
  return g_string_free (text, FALSE);
}

static void
print_users_table (GPtrArray *users)
{
  const char *headers[] = { _("Name"), _("UPN"), _("Source"), _("Authenticator") };
  guint widths[G_N_ELEMENTS (headers)] = { 0 };
  g_autoptr (GPtrArray) rows = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);

  for (guint c = 0; c < G_N_ELEMENTS (headers); c++)
    widths[c] = g_utf8_strlen (headers[c], -1);

  for (guint i = 0; i < users->len; i++)
    {
      CqvUser *user = g_ptr_array_index (users, i);
      char **row = g_new0 (char *, G_N_ELEMENTS (headers) + 1);

      row[0] = g_strdup (cqv_user_get_display_name (user));
      row[1] = g_strdup (cqv_user_get_upn (user));
      row[2] = describe_source (user);
      row[3] = g_strdup (cqv_authenticator_state_to_string (cqv_user_get_authenticator (user)));
      for (guint c = 0; c < G_N_ELEMENTS (headers); c++)
        widths[c] = MAX (widths[c], (guint) g_utf8_strlen (row[c], -1));
      g_ptr_array_add (rows, row);
    }

  for (guint i = 0; i <= rows->len; i++)
    {
      const char *const *row = i == 0 ? headers : g_ptr_array_index (rows, i - 1);
      g_autoptr (GString) line = g_string_new (NULL);

      for (guint c = 0; c < G_N_ELEMENTS (headers); c++)
        {
          g_autofree char *cell = NULL;

          /* The last column is not padded: no trailing blanks. */
          cell = c + 1 < G_N_ELEMENTS (headers) ? cqv_cli_pad (row[c], widths[c] + 2)
                                                : g_strdup (row[c]);
          g_string_append (line, cell);
        }
      g_print ("%s\n", line->str);
    }
}

static void
page_loaded_cb (CqvDirectory *directory, guint users_so_far, gpointer user_data)
{
  g_printerr ("\r\033[K");
  /* TRANSLATORS: %u is a number of users */
  g_printerr (_("Loading users… %u"), users_so_far);
}

static gboolean
load_directory (CqvDirectory *directory, GError **error)
{
  g_auto (CqvCliWait) wait = { 0 };
  gboolean tty = cqv_cli_stderr_is_tty ();
  gulong handler = 0;
  gboolean loaded;

  if (tty)
    handler = g_signal_connect (directory, "page-loaded", G_CALLBACK (page_loaded_cb), NULL);

  cqv_cli_wait_init (&wait);
  cqv_directory_load_async (directory, cqv_cli_get_cancellable (), cqv_cli_wait_cb, &wait);
  loaded = cqv_directory_load_finish (directory, cqv_cli_wait_run (&wait), error);

  g_clear_signal_handler (&handler, directory);
  if (tty)
    g_printerr ("\r\033[K");
  return loaded;
}

/* With the per-user fallback, a short list gets its Authenticator states checked. */
static void
check_authenticators (CqvDirectory *directory, GPtrArray *users)
{
  g_auto (CqvCliWait) wait = { 0 };
  g_autoptr (GError) error = NULL;

  if (cqv_directory_get_registration_source (directory) != CQV_REGISTRATION_SOURCE_PER_USER ||
      users->len == 0 || users->len > MAX_USERS_TO_CHECK)
    return;

  cqv_cli_wait_init (&wait);
  cqv_directory_check_visible_async (directory, users, cqv_cli_get_cancellable (), cqv_cli_wait_cb,
                                     &wait);
  if (!cqv_directory_check_visible_finish (directory, cqv_cli_wait_run (&wait), &error))
    g_printerr (_("Warning: could not check Microsoft Authenticator: %s\n"), error->message);
}

int
cqv_cli_users (int argc, char **argv)
{
  g_autoptr (GOptionContext) options = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (CqvTenantContext) context = NULL;
  g_autoptr (GPtrArray) users = NULL;
  g_autofree char *search = NULL;
  CqvDirectory *directory;
  const GError *registration_error;
  gboolean json = FALSE;
  const GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print the users as a JSON array"), NULL },
      { "search", 0, 0, G_OPTION_ARG_STRING, &search,
        N_("Only users whose name, UPN or mail contain TEXT"), N_("TEXT") }, { NULL },
      };

  options = g_option_context_new (_("NAME"));
  g_option_context_set_translation_domain (options, GETTEXT_PACKAGE);
  g_option_context_set_summary (options,
                                _("Lists the users of the tenant NAME with their Microsoft "
                                  "Authenticator registration."));
  g_option_context_add_main_entries (options, entries, GETTEXT_PACKAGE);
  if (!cqv_cli_parse (options, "users", &argc, &argv))
    return CQV_EXIT_USAGE;
  if (argc != 2)
    return cqv_cli_usage_error ("users", _("Give the name of one tenant."));

  context = cqv_cli_open_context (argv[1], &error);
  if (context == NULL)
    return cqv_cli_fail (error);

  directory = cqv_tenant_context_get_directory (context);
  if (!load_directory (directory, &error))
    return cqv_cli_fail (error);

  users = cqv_directory_filter (directory, search != NULL ? search : "");
  check_authenticators (directory, users);

  registration_error = cqv_directory_get_registration_error (directory);
  if (registration_error != NULL)
    g_printerr (_("Warning: %s\n"), registration_error->message);

  if (json)
    print_users_json (users);
  else if (users->len > 0)
    print_users_table (users);
  else if (search != NULL)
    g_printerr (_("No users match “%s”.\n"), search);
  else
    g_printerr (_("The tenant has no users.\n"));

  return CQV_EXIT_APPROVED;
}
