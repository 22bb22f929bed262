/* SPDX-License-Identifier: GPL-3.0-or-later */

#define G_LOG_DOMAIN "cqv-push-xml"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "cqv-push-xml.h"

/* A real answer is well under 2 KiB; anything this large is not one. */
#define MAX_BODY_SIZE (256 * 1024)
#define MAX_DEPTH 32
#define MAX_SHOWN_CHARS 120

typedef enum
{
  FIELD_NONE = -1,
  FIELD_VALUE,
  FIELD_MESSAGE,
  FIELD_AUTHENTICATION_RESULT,
  FIELD_UPN,
  FIELD_SESSION_ID,
  FIELD_ENTROPY,
  N_FIELDS
} Field;

typedef struct
{
  gboolean seen;
  gboolean nil;
  char *text;
} FieldValue;

typedef struct
{
  GPtrArray *stack; /* local names of the open elements, root first */
  Field current;    /* the tracked leaf element being read, or FIELD_NONE */
  gboolean current_nil;
  GString *text;
  gboolean root_closed;
  gboolean contradiction;
  FieldValue fields[N_FIELDS];
} ParseState;

typedef enum
{
  AUTH_MISSING,
  AUTH_TRUE,
  AUTH_FALSE,
  AUTH_CHALLENGE,
  AUTH_OTHER,
} AuthResult;

typedef struct
{
  const char *value;
  CqvOutcomeKind kind;
  const char *message; /* N_() */
} ResultInfo;

/* docs/microsoft-push-protocol.md §2. "Success" is listed for its kind only; whether it is an
 * approval is decided together with AuthenticationResult and the UPN. */
/* clang-format off */
static const ResultInfo result_table[] = {
  { "Success", CQV_OUTCOME_APPROVED, NULL },
  { "PhoneAppDenied", CQV_OUTCOME_DENIED,
    N_("The user tapped Deny in Microsoft Authenticator.") },
  { "PhoneAppFraudReported", CQV_OUTCOME_FRAUD_REPORTED,
    N_("The user reported this request as fraud in Microsoft Authenticator. "
       "Their account may now be blocked; tell your security team.") },
  { "PhoneAppNoResponse", CQV_OUTCOME_TIMED_OUT,
    N_("The user did not answer the notification in time. "
       "This does not mean they denied it.") },
  { "InvalidSession", CQV_OUTCOME_TIMED_OUT,
    N_("The verification took too long and Microsoft's MFA service ended it. "
       "Send a new request.") },
  { "AuthenticationMethodNotConfigured", CQV_OUTCOME_NOT_ENROLLED,
    N_("The user has no Microsoft Authenticator registered for notifications. "
       "Ask them to set it up at https://aka.ms/mysecurityinfo.") },
  { "NoDefaultAuthenticationMethodIsConfigured", CQV_OUTCOME_NOT_ENROLLED,
    N_("The user has no default sign-in method set up for MFA. "
       "Ask them to set up Microsoft Authenticator at https://aka.ms/mysecurityinfo.") },
  { "ProofDataNotFound", CQV_OUTCOME_NOT_ENROLLED,
    N_("Microsoft's MFA service has no registration data for this user. "
       "Ask them to set up Microsoft Authenticator at https://aka.ms/mysecurityinfo.") },
  { "UserIsBlocked", CQV_OUTCOME_BLOCKED,
    N_("The user is blocked in Microsoft's MFA service, by an administrator or after a "
       "fraud report. An administrator can unblock them in the Entra admin center.") },
  { "UserAuthFailedDuplicateRequest", CQV_OUTCOME_BUSY,
    N_("A verification request for this user is already pending. "
       "Wait for it to finish before sending another.") },
  { "AuthenticationThrottled", CQV_OUTCOME_THROTTLED,
    N_("Too many verification requests were sent. "
       "Wait a few minutes before trying again.") },
  { "AuthenticationMethodLimitReached", CQV_OUTCOME_THROTTLED,
    N_("Too many verification requests were sent for this user. "
       "Wait a few minutes before trying again.") },
  { "PhoneAppAllDevicesBlocked", CQV_OUTCOME_ERROR,
    N_("Microsoft blocked the user's Authenticator devices because they stopped responding. "
       "The user needs to set up Microsoft Authenticator again.") },
  { "AuthenticationPending", CQV_OUTCOME_ERROR,
    N_("Microsoft's MFA service says the verification is still pending, although it should "
       "have waited for the answer. Treat the identity as not verified and try again.") },
  { "UserNotFound", CQV_OUTCOME_ERROR,
    N_("Microsoft's MFA service does not know this user. If the account is synced from "
       "on-premises AD, check that it has synced to Entra ID.") },
  { "BecAccessDenied", CQV_OUTCOME_ERROR,
    N_("Microsoft's MFA service refused access for this user. The account may not be "
       "synced to Entra ID, or the tenant's MFA apps may be disabled.") },
  { "AccessDenied", CQV_OUTCOME_ERROR,
    N_("The user belongs to a different tenant than the one this push was sent from.") },
  { "PhoneAppNotificationFailed", CQV_OUTCOME_ERROR,
    N_("Microsoft could not deliver the notification to the user's phone. "
       "Try again in a moment.") },
  { "PhoneAppInvalidResult", CQV_OUTCOME_ERROR,
    N_("Microsoft Authenticator sent an invalid answer. Try again; if it keeps happening, "
       "the user should update the app.") },
  { "InvalidParameter", CQV_OUTCOME_ERROR,
    N_("Microsoft's MFA service rejected the request as malformed. "
       "Please report this problem.") },
  { "InternalError", CQV_OUTCOME_ERROR,
    N_("Microsoft's MFA service had an internal error. Try again later.") },
  { "VersionNotSupported", CQV_OUTCOME_ERROR,
    N_("Microsoft's MFA service no longer accepts this app's requests. "
       "Check for an update.") },
};
/* clang-format on */

static const ResultInfo *
lookup_result (const char *value)
{
  if (value == NULL)
    return NULL;

  for (guint i = 0; i < G_N_ELEMENTS (result_table); i++)
    if (strcmp (result_table[i].value, value) == 0)
      return &result_table[i];

  return NULL;
}

static const char *
local_name (const char *name)
{
  const char *colon = strrchr (name, ':');

  return colon != NULL ? colon + 1 : name;
}

static gboolean
is_guid (const char *text)
{
  static const int group_lengths[] = { 8, 4, 4, 4, 12 };
  const char *p = text;

  for (guint i = 0; i < G_N_ELEMENTS (group_lengths); i++)
    {
      if (i > 0 && *p++ != '-')
        return FALSE;
      for (int j = 0; j < group_lengths[i]; j++)
        if (!g_ascii_isxdigit (*p++))
          return FALSE;
    }

  return *p == '\0';
}

/* XML 1.0 cannot carry most C0/C1 controls at all (GMarkup would write them as XML 1.1 character
 * references), and none of them belongs in a UPN; refusing beats silently sending to someone
 * else. */
static gboolean
is_sendable_text (const char *text)
{
  if (!g_utf8_validate (text, -1, NULL))
    return FALSE;

  for (const char *p = text; *p; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (c < 0x20 || (c >= 0x7f && c <= 0x9f) || c == 0xfffe || c == 0xffff)
        return FALSE;
    }

  return TRUE;
}

static gboolean
is_lcid (const char *lcid)
{
  gsize len = strlen (lcid);

  if (len == 0 || len > 32)
    return FALSE;

  for (const char *p = lcid; *p; p++)
    if (!g_ascii_isalnum (*p) && *p != '-' && *p != '_')
      return FALSE;

  return TRUE;
}

static void
parse_state_clear (ParseState *state)
{
  g_clear_pointer (&state->stack, g_ptr_array_unref);
  if (state->text != NULL)
    g_string_free (g_steal_pointer (&state->text), TRUE);
  for (guint i = 0; i < N_FIELDS; i++)
    g_clear_pointer (&state->fields[i].text, g_free);
}

static Field
field_for_element (ParseState *state, const char *name)
{
  guint depth = state->stack->len;

  /* Children of the root. */
  if (depth == 1)
    {
      if (strcmp (name, "AuthenticationResult") == 0)
        return FIELD_AUTHENTICATION_RESULT;
      if (strcmp (name, "UserPrincipalName") == 0)
        return FIELD_UPN;
      if (strcmp (name, "SessionId") == 0)
        return FIELD_SESSION_ID;
      if (strcmp (name, "ValidEntropyNumber") == 0)
        return FIELD_ENTROPY;
    }

  /* Children of /Root/Result. */
  if (depth == 2 && strcmp (g_ptr_array_index (state->stack, 1), "Result") == 0)
    {
      if (strcmp (name, "Value") == 0)
        return FIELD_VALUE;
      if (strcmp (name, "Message") == 0)
        return FIELD_MESSAGE;
    }

  return FIELD_NONE;
}

static gboolean
read_nil (const char **attribute_names,
          const char **attribute_values,
          gboolean *nil,
          GError **error)
{
  *nil = FALSE;

  for (guint i = 0; attribute_names[i] != NULL; i++)
    {
      g_autofree char *value = NULL;

      /* "xmlns:nil" declares a prefix; it is not the nil attribute. */
      if (g_str_has_prefix (attribute_names[i], "xmlns") ||
          strcmp (local_name (attribute_names[i]), "nil") != 0)
        continue;

      value = g_strstrip (g_strdup (attribute_values[i]));
      if (strcmp (value, "true") == 0 || strcmp (value, "1") == 0)
        *nil = TRUE;
      else if (strcmp (value, "false") != 0 && strcmp (value, "0") != 0)
        {
          g_set_error_literal (error, G_MARKUP_ERROR, G_MARKUP_ERROR_INVALID_CONTENT,
                               "bad nil attribute");
          return FALSE;
        }
    }

  return TRUE;
}

static void
start_element_cb (GMarkupParseContext *context,
                  const char *element_name,
                  const char **attribute_names,
                  const char **attribute_values,
                  gpointer user_data,
                  GError **error)
{
  ParseState *state = user_data;
  const char *name = local_name (element_name);
  Field field;

  if (state->current != FIELD_NONE || state->root_closed || state->stack->len >= MAX_DEPTH)
    {
      g_set_error (error, G_MARKUP_ERROR, G_MARKUP_ERROR_INVALID_CONTENT, "unexpected element %s",
                   name);
      return;
    }

  if (state->stack->len == 0 && strcmp (name, "BeginTwoWayAuthenticationResponse") != 0 &&
      strcmp (name, "EndTwoWayAuthenticationResponse") != 0)
    {
      g_set_error (error, G_MARKUP_ERROR, G_MARKUP_ERROR_INVALID_CONTENT, "unexpected root %s",
                   name);
      return;
    }

  field = field_for_element (state, name);
  if (field != FIELD_NONE)
    {
      if (!read_nil (attribute_names, attribute_values, &state->current_nil, error))
        return;
      state->current = field;
      g_string_truncate (state->text, 0);
    }

  g_ptr_array_add (state->stack, g_strdup (name));
}

static void
finish_field (ParseState *state, GError **error)
{
  FieldValue *field = &state->fields[state->current];
  g_autofree char *text = g_strstrip (g_strdup (state->text->str));
  gboolean nil = state->current_nil;

  if (nil && *text != '\0')
    {
      state->contradiction = TRUE;
      g_set_error_literal (error, G_MARKUP_ERROR, G_MARKUP_ERROR_INVALID_CONTENT,
                           "nil element with content");
      return;
    }

  if (field->seen)
    {
      if (field->nil != nil || (!nil && strcmp (field->text, text) != 0))
        {
          state->contradiction = TRUE;
          g_set_error_literal (error, G_MARKUP_ERROR, G_MARKUP_ERROR_INVALID_CONTENT,
                               "contradicting duplicate element");
        }
      return;
    }

  field->seen = TRUE;
  field->nil = nil;
  if (!nil)
    field->text = g_steal_pointer (&text);
}

static void
end_element_cb (GMarkupParseContext *context,
                const char *element_name,
                gpointer user_data,
                GError **error)
{
  ParseState *state = user_data;

  g_assert (state->stack->len > 0);

  if (state->current != FIELD_NONE)
    {
      finish_field (state, error);
      state->current = FIELD_NONE;
    }

  g_ptr_array_set_size (state->stack, state->stack->len - 1);
  if (state->stack->len == 0)
    state->root_closed = TRUE;
}

static void
text_cb (GMarkupParseContext *context,
         const char *text,
         gsize text_len,
         gpointer user_data,
         GError **error)
{
  ParseState *state = user_data;

  if (state->current != FIELD_NONE)
    {
      g_string_append_len (state->text, text, text_len);
      return;
    }

  if (state->stack->len == 0)
    {
      for (gsize i = 0; i < text_len; i++)
        {
          if (!g_ascii_isspace (text[i]))
            {
              g_set_error_literal (error, G_MARKUP_ERROR, G_MARKUP_ERROR_INVALID_CONTENT,
                                   "text outside the root element");
              return;
            }
        }
    }
}

/* Comments, processing instructions, CDATA and DOCTYPE. A WCF service sends none of them inside a
 * value, so any there (CDATA included) makes the answer unreadable rather than being read as
 * text; a DOCTYPE anywhere is refused outright. Elsewhere they are ignored. */
static void
passthrough_cb (GMarkupParseContext *context,
                const char *text,
                gsize text_len,
                gpointer user_data,
                GError **error)
{
  ParseState *state = user_data;
  static const char doctype[] = "<!DOCTYPE";

  if (state->current != FIELD_NONE ||
      (text_len >= strlen (doctype) && g_ascii_strncasecmp (text, doctype, strlen (doctype)) == 0))
    g_set_error_literal (error, G_MARKUP_ERROR, G_MARKUP_ERROR_INVALID_CONTENT,
                         "unexpected markup");
}

static const GMarkupParser parser = {
  start_element_cb, end_element_cb, text_cb, passthrough_cb, NULL,
};

static AuthResult
classify_authentication_result (const FieldValue *field)
{
  if (!field->seen || field->nil)
    return AUTH_MISSING;
  if (g_ascii_strcasecmp (field->text, "true") == 0)
    return AUTH_TRUE;
  if (g_ascii_strcasecmp (field->text, "false") == 0)
    return AUTH_FALSE;
  if (g_ascii_strcasecmp (field->text, "challenge") == 0)
    return AUTH_CHALLENGE;
  return AUTH_OTHER;
}

/* Wire text goes into messages shown to people: keep it short. */
static char *
shorten (const char *text)
{
  g_autofree char *start = NULL;

  if (g_utf8_strlen (text, -1) <= MAX_SHOWN_CHARS)
    return g_strdup (text);

  start = g_utf8_substring (text, 0, MAX_SHOWN_CHARS);
  return g_strconcat (start, "…", NULL);
}

static CqvOutcome *
unreadable_outcome (void)
{
  return cqv_outcome_new (CQV_OUTCOME_ERROR,
                          _("The MFA service sent an answer this app cannot read."));
}

static CqvOutcome *
new_outcome_with_value (CqvOutcomeKind kind, const char *message, const char *result_value)
{
  CqvOutcome *outcome = cqv_outcome_new (kind, message);

  cqv_outcome_set_result_value (outcome, result_value);
  return outcome;
}

static CqvOutcome *
evaluate_success (AuthResult auth, const char *result_value)
{
  switch (auth)
    {
    case AUTH_TRUE:
      return new_outcome_with_value (
        CQV_OUTCOME_APPROVED, _("The user approved the request in Microsoft Authenticator."),
                                 result_value);
    case AUTH_CHALLENGE:
      return new_outcome_with_value (
        CQV_OUTCOME_NOT_DELIVERED,
        _("Microsoft did not send an Approve/Deny notification but asked for a one-time code. "
          "The user's default sign-in method is probably a code or a text message."),
           result_value);
    case AUTH_MISSING:
    case AUTH_FALSE:
    case AUTH_OTHER:
    default:
      return new_outcome_with_value (
        CQV_OUTCOME_ERROR,
        _("The MFA service answered “Success” without confirming that the user approved. "
          "Treat the identity as not verified."),
           result_value);
    }
}

static CqvOutcome *
evaluate_unknown (const char *result_value, const FieldValue *service_message)
{
  g_autofree char *shown = shorten (result_value);
  g_autofree char *message = NULL;

  if (service_message->seen && !service_message->nil && *service_message->text != '\0')
    {
      g_autofree char *detail = shorten (service_message->text);

      message = g_strdup_printf (_("The MFA service answered “%s” (%s). "
                                   "Treat the identity as not verified."),
                                    shown, detail);
    }
  else
    {
      message = g_strdup_printf (_("The MFA service answered “%s”, which this app does not "
                                   "know. Treat the identity as not verified."),
                                    shown);
    }

  return new_outcome_with_value (CQV_OUTCOME_ERROR, message, result_value);
}

static CqvOutcome *
evaluate (ParseState *state, const char *expected_upn)
{
  const FieldValue *value = &state->fields[FIELD_VALUE];
  const FieldValue *upn = &state->fields[FIELD_UPN];
  AuthResult auth = classify_authentication_result (&state->fields[FIELD_AUTHENTICATION_RESULT]);
  const ResultInfo *info;

  if (!value->seen || value->nil || *value->text == '\0')
    return cqv_outcome_new (CQV_OUTCOME_ERROR,
                            _("The MFA service's answer does not say how the verification "
                              "ended. Treat the identity as not verified."));

  if (upn->seen && !upn->nil && g_ascii_strcasecmp (upn->text, expected_upn) != 0)
    {
      g_autofree char *shown = shorten (upn->text);
      g_autofree char *message = NULL;

      message = g_strdup_printf (_("The answer was for a different user (%s) than the one this "
                                   "push was sent to. Treat the identity as not verified."),
                                    shown);
      return new_outcome_with_value (CQV_OUTCOME_ERROR, message, value->text);
    }

  info = lookup_result (value->text);

  if (info != NULL && info->kind == CQV_OUTCOME_APPROVED)
    return evaluate_success (auth, value->text);

  if (auth == AUTH_TRUE)
    {
      g_autofree char *shown = shorten (value->text);
      g_autofree char *message = NULL;

      message = g_strdup_printf (_("The MFA service's answer contradicts itself (approved, but "
                                   "with the result “%s”). Treat the identity as not verified."),
                                    shown);
      return new_outcome_with_value (CQV_OUTCOME_ERROR, message, value->text);
    }

  if (info != NULL)
    return new_outcome_with_value (info->kind, _(info->message), value->text);

  return evaluate_unknown (value->text, &state->fields[FIELD_MESSAGE]);
}

char *
cqv_push_xml_build_request (const char *upn, const char *context_id, const char *lcid)
{
  g_return_val_if_fail (upn != NULL && *upn != '\0', NULL);
  g_return_val_if_fail (context_id != NULL && is_guid (context_id), NULL);
  g_return_val_if_fail (lcid == NULL || is_lcid (lcid), NULL);

  if (!is_sendable_text (upn))
    return NULL;

  if (lcid == NULL)
    lcid = "en-us";

  /* Element order as in the protocol file: WCF DataContract deserialization is order-sensitive. */
  return g_markup_printf_escaped (
    "<BeginTwoWayAuthenticationRequest>\n"
    "<Version>1.0</Version>\n"
    "<UserPrincipalName>%s</UserPrincipalName>\n"
    "<Lcid>%s</Lcid>\n"
    "<AuthenticationMethodId>PhoneAppNotification</AuthenticationMethodId>\n"
    "<AuthenticationMethodProperties"
    " xmlns:a=\"http://schemas.microsoft.com/2003/10/Serialization/Arrays\">"
    "<a:KeyValueOfstringstring>"
    "<a:Key>OverrideVoiceOtp</a:Key>"
    "<a:Value>false</a:Value>"
    "</a:KeyValueOfstringstring>"
    "</AuthenticationMethodProperties>\n"
    "<ContextId>%s</ContextId>\n"
    "<SyncCall>true</SyncCall>\n"
    "<RequireUserMatch>true</RequireUserMatch>\n"
    "<CallerName>radius</CallerName>\n"
    "<CallerIP>UNKNOWN:</CallerIP>\n"
    "</BeginTwoWayAuthenticationRequest>\n",
    upn, lcid, context_id);
}

CqvOutcome *
cqv_push_xml_parse_response (const char *body, gssize length, const char *expected_upn)
{
  g_autoptr (GMarkupParseContext) context = NULL;
  g_autoptr (GError) error = NULL;
  ParseState state = { 0 };
  CqvOutcome *outcome;
  gsize len;

  g_return_val_if_fail (expected_upn != NULL, unreadable_outcome ());

  if (body == NULL)
    return unreadable_outcome ();

  len = length < 0 ? strlen (body) : (gsize) length;
  if (len > MAX_BODY_SIZE)
    return cqv_outcome_new (CQV_OUTCOME_ERROR,
                            _("The MFA service sent an answer this app cannot read (it is far "
                              "too large)."));

  /* A UTF-8 byte order mark is legal before the document. */
  if (len >= 3 && memcmp (body, "\xef\xbb\xbf", 3) == 0)
    {
      body += 3;
      len -= 3;
    }

  if (len == 0 || memchr (body, '\0', len) != NULL)
    return unreadable_outcome ();

  state.stack = g_ptr_array_new_with_free_func (g_free);
  state.current = FIELD_NONE;
  state.text = g_string_new (NULL);

  context = g_markup_parse_context_new (&parser, G_MARKUP_PREFIX_ERROR_POSITION, &state, NULL);
  if (!g_markup_parse_context_parse (context, body, len, &error) ||
      !g_markup_parse_context_end_parse (context, &error) || !state.root_closed)
    {
      if (state.contradiction)
        outcome = cqv_outcome_new (
          CQV_OUTCOME_ERROR,
          _("The MFA service's answer contradicts itself. Treat the identity as not verified."));
      else
        outcome = unreadable_outcome ();

      g_debug ("Unreadable MFA answer: %s", error != NULL ? error->message : "no root element");
    }
  else
    outcome = evaluate (&state, expected_upn);

  parse_state_clear (&state);
  return outcome;
}

CqvOutcomeKind
cqv_push_result_value_to_kind (const char *value)
{
  const ResultInfo *info = lookup_result (value);

  return info != NULL ? info->kind : CQV_OUTCOME_ERROR;
}
