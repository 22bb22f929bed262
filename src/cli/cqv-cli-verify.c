/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cqv-cli"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "cqv-cli-private.h"
#include "cqv-verification.h"

typedef struct
{
  gboolean tty;
  gboolean line_shown;
} Countdown;

static void
clear_line (Countdown *countdown)
{
  if (countdown->line_shown)
    g_printerr ("\r\033[K");
  countdown->line_shown = FALSE;
}

static void
show_progress (CqvVerification *verification, Countdown *countdown)
{
  CqvUser *user = cqv_verification_get_user (verification);

  if (!countdown->tty)
    return;

  switch (cqv_verification_get_state (verification))
    {
    case CQV_VERIFICATION_STATE_PREPARING:
      g_printerr ("\r\033[K%s", _("Preparing the push…"));
      countdown->line_shown = TRUE;
      break;

    case CQV_VERIFICATION_STATE_WAITING:
      /* TRANSLATORS: %s is a user's sign-in name, %u seconds; Ctrl+C is the key combination */
      g_printerr ("\r\033[K");
      g_printerr (_("Waiting for %s to answer on Microsoft Authenticator: %u s (Ctrl+C cancels)"),
                     cqv_user_get_upn (user), cqv_verification_get_seconds_left (verification));
      countdown->line_shown = TRUE;
      break;

    case CQV_VERIFICATION_STATE_IDLE:
    case CQV_VERIFICATION_STATE_DONE:
    default:
      clear_line (countdown);
      break;
    }
}

static void
progress_changed_cb (CqvVerification *verification, GParamSpec *pspec, gpointer user_data)
{
  show_progress (verification, user_data);
}

static void
directory_progress_cb (CqvDirectory *directory, guint users_so_far, gpointer user_data)
{
  Countdown *countdown = user_data;

  g_printerr ("\r\033[K");
  /* TRANSLATORS: %u is a number of users */
  g_printerr (ngettext ("Looking up the user… %u user read", "Looking up the user… %u users read",
                        users_so_far),
              users_so_far);
  countdown->line_shown = TRUE;
}

/* The user with @upn, classified as the directory classifies every user.
 * FIXME: this loads the whole directory; a GET /v1.0/users/{upn} through a public parse
 * helper of CqvDirectory would do, once there is one. */
static CqvUser *
find_user (CqvTenantContext *context, const char *upn, Countdown *countdown, GError **error)
{
  CqvDirectory *directory = cqv_tenant_context_get_directory (context);
  g_auto (CqvCliWait) wait = { 0 };
  CqvUser *user;
  gulong handler = 0;
  gboolean loaded;

  if (countdown->tty)
    handler =
      g_signal_connect (directory, "page-loaded", G_CALLBACK (directory_progress_cb), countdown);

  cqv_cli_wait_init (&wait);
  cqv_directory_load_async (directory, cqv_cli_get_cancellable (), cqv_cli_wait_cb, &wait);
  loaded = cqv_directory_load_finish (directory, cqv_cli_wait_run (&wait), error);
  g_clear_signal_handler (&handler, directory);
  clear_line (countdown);
  if (!loaded)
    return NULL;

  user = cqv_directory_find_by_upn (directory, upn);
  if (user == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                   _("There is no user “%s” in “%s”. Check the spelling, or list the users with "
                     "“cyberqp-verify users %s --search TEXT”."),
                      upn, cqv_tenant_get_name (cqv_tenant_context_get_tenant (context)),
                      cqv_tenant_get_name (cqv_tenant_context_get_tenant (context)));
      return NULL;
    }
  return g_object_ref (user);
}

/* Refusals before anything was sent carry their reason in the readiness verdict. */
static int
exit_code_for (CqvVerification *verification, CqvOutcome *outcome)
{
  CqvReadiness *readiness = cqv_verification_get_readiness (verification);
  const GError *error = cqv_verification_get_error (verification);

  if (cqv_outcome_get_kind (outcome) != CQV_OUTCOME_ERROR)
    return cqv_outcome_kind_get_exit_code (cqv_outcome_get_kind (outcome));

  if (readiness != NULL && !cqv_readiness_get_allowed (readiness))
    {
      switch (cqv_readiness_get_reason (readiness))
        {
        case CQV_READINESS_REASON_GUEST:
        case CQV_READINESS_REASON_DISABLED:
        case CQV_READINESS_REASON_NOT_REGISTERED:
          return CQV_EXIT_NOT_ELIGIBLE;
        case CQV_READINESS_REASON_IN_FLIGHT:
        case CQV_READINESS_REASON_COOL_DOWN:
          return CQV_EXIT_BUSY;
        case CQV_READINESS_REASON_PERMISSION_MISSING:
        case CQV_READINESS_REASON_TENANT_ERROR:
        case CQV_READINESS_REASON_TENANT_SETUP:
          return CQV_EXIT_TENANT;
        case CQV_READINESS_REASON_READY:
        case CQV_READINESS_REASON_CHECK_AUTHENTICATOR:
        default:
          break;
        }
    }

  if (error != NULL)
    return cqv_cli_exit_code_for_error (error);
  return CQV_EXIT_ERROR;
}

static void
print_outcome_json (CqvVerification *verification,
                    CqvOutcome *outcome,
                    const char *tenant_name,
                    int exit_code)
{
  g_autoptr (JsonBuilder) builder = json_builder_new ();
  g_autoptr (JsonNode) root = NULL;
  CqvReadiness *readiness = cqv_verification_get_readiness (verification);
  GDateTime *finished_at = cqv_outcome_get_finished_at (outcome);
  const char *ticket = cqv_verification_get_ticket (verification);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "outcome");
  json_builder_add_string_value (builder,
                                 cqv_outcome_kind_to_string (cqv_outcome_get_kind (outcome)));
  json_builder_set_member_name (builder, "approved");
  json_builder_add_boolean_value (builder, cqv_outcome_is_approved (outcome));
  json_builder_set_member_name (builder, "exit_code");
  json_builder_add_int_value (builder, exit_code);
  json_builder_set_member_name (builder, "upn");
  json_builder_add_string_value (builder,
                                 cqv_user_get_upn (cqv_verification_get_user (verification)));
  json_builder_set_member_name (builder, "tenant");
  json_builder_add_string_value (builder, tenant_name);
  json_builder_set_member_name (builder, "tenant_id");
  json_builder_add_string_value (builder, cqv_outcome_get_tenant (outcome));
  json_builder_set_member_name (builder, "context_id");
  json_builder_add_string_value (builder, cqv_outcome_get_context_id (outcome));
  json_builder_set_member_name (builder, "elapsed_ms");
  json_builder_add_int_value (builder, cqv_outcome_get_elapsed_ms (outcome));
  json_builder_set_member_name (builder, "result_value");
  if (cqv_outcome_get_result_value (outcome) != NULL)
    json_builder_add_string_value (builder, cqv_outcome_get_result_value (outcome));
  else
    json_builder_add_null_value (builder);
  json_builder_set_member_name (builder, "message");
  json_builder_add_string_value (builder, cqv_outcome_get_message (outcome));
  json_builder_set_member_name (builder, "push_sent");
  json_builder_add_boolean_value (builder, cqv_verification_get_push_sent (verification));
  json_builder_set_member_name (builder, "refused_reason");
  if (readiness != NULL && !cqv_readiness_get_allowed (readiness))
    json_builder_add_string_value (
      builder, cqv_readiness_reason_to_string (cqv_readiness_get_reason (readiness)));
  else
    json_builder_add_null_value (builder);
  json_builder_set_member_name (builder, "ticket");
  if (ticket != NULL)
    json_builder_add_string_value (builder, ticket);
  else
    json_builder_add_null_value (builder);
  json_builder_set_member_name (builder, "finished_at");
  if (finished_at != NULL)
    {
      g_autofree char *iso = g_date_time_format_iso8601 (finished_at);

      json_builder_add_string_value (builder, iso);
    }
  else
    json_builder_add_null_value (builder);
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  cqv_cli_print_json (root);
}

static void
print_outcome_text (CqvOutcome *outcome)
{
  CqvOutcomeKind kind = cqv_outcome_get_kind (outcome);
  const char *message = cqv_outcome_get_message (outcome);

  g_print ("%s %s\n", cqv_outcome_is_approved (outcome) ? "✓" : "✗",
           cqv_outcome_kind_get_title (kind));
  if (message != NULL && *message != '\0')
    g_print ("  %s\n", message);
  /* TRANSLATORS: %s is a user's sign-in name, %.1f seconds, the last %s an identifier */
  g_print (_("  %s · %.1f s · context %s\n"), cqv_outcome_get_upn (outcome),
              cqv_outcome_get_elapsed_ms (outcome) / 1000.0,
              cqv_outcome_get_context_id (outcome) != NULL ? cqv_outcome_get_context_id (outcome)
                                                           : "-");
}

int
cqv_cli_verify (int argc, char **argv)
{
  g_autoptr (GOptionContext) options = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (CqvTenantContext) context = NULL;
  g_autoptr (CqvUser) user = NULL;
  g_autoptr (CqvVerification) verification = NULL;
  g_autoptr (CqvOutcome) outcome = NULL;
  g_autofree char *ticket = NULL;
  g_auto (CqvCliWait) wait = { 0 };
  Countdown countdown = { 0 };
  gboolean json = FALSE;
  int exit_code;
  const GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print the outcome as one JSON object"), NULL },
      { "ticket", 0, 0, G_OPTION_ARG_STRING, &ticket,
        N_("The ticket this verification is for"), N_("TEXT") }, { NULL },
      };

  options = g_option_context_new (_("NAME UPN"));
  g_option_context_set_translation_domain (options, GETTEXT_PACKAGE);
  g_option_context_set_summary (options,
                                _("Sends a Microsoft Authenticator push to the user UPN of the "
                                  "tenant NAME and waits for the answer."));
  g_option_context_add_main_entries (options, entries, GETTEXT_PACKAGE);
  if (!cqv_cli_parse (options, "verify", &argc, &argv))
    return CQV_EXIT_USAGE;
  if (argc != 3)
    return cqv_cli_usage_error ("verify", _("Give the tenant name and the user's UPN."));

  countdown.tty = cqv_cli_stderr_is_tty ();

  context = cqv_cli_open_context (argv[1], &error);
  if (context == NULL)
    return cqv_cli_fail (error);

  user = find_user (context, argv[2], &countdown, &error);
  if (user == NULL)
    return cqv_cli_fail (error);

  verification = cqv_verification_new (context, user, ticket);
  g_signal_connect (verification, "notify::state", G_CALLBACK (progress_changed_cb), &countdown);
  g_signal_connect (verification, "notify::seconds-left", G_CALLBACK (progress_changed_cb),
                    &countdown);

  cqv_cli_wait_init (&wait);
  cqv_verification_run_async (verification, cqv_cli_get_cancellable (), cqv_cli_wait_cb, &wait);
  outcome = cqv_verification_run_finish (verification, cqv_cli_wait_run (&wait), &error);
  g_signal_handlers_disconnect_by_data (verification, &countdown);
  clear_line (&countdown);
  if (outcome == NULL)
    return cqv_cli_fail (error);

  exit_code = exit_code_for (verification, outcome);
  if (json)
    print_outcome_json (verification, outcome, argv[1], exit_code);
  else
    print_outcome_text (outcome);

  return exit_code;
}
