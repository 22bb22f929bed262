/* SPDX-License-Identifier: GPL-3.0-or-later */

#define G_LOG_DOMAIN "test-push-xml"

#include "config.h"

#include <locale.h>
#include <string.h>

#include "cqv-push-xml.h"

#define UPN "ada@contoso.com"
#define CONTEXT_ID "6f9619ff-8b86-d011-b42d-00cf4fc964ff"
#define XSI "xmlns:i=\"http://www.w3.org/2001/XMLSchema-instance\""

/* The shape of the AD FS deep-dive sample, protocol file §2. */
#define APPROVED_XML                                                                        \
  "<BeginTwoWayAuthenticationResponse " XSI ">"                                             \
  "<Version>1.0</Version>"                                                                  \
  "<UserPrincipalName>ada@contoso.com</UserPrincipalName>"                                  \
  "<Result><Value>Success</Value><Message i:nil=\"true\"/><Retry>false</Retry>"             \
  "<Error i:nil=\"true\"/><Exception i:nil=\"true\"/><RenewCert>false</RenewCert></Result>" \
  "<SessionId>0b1d3f5a-1111-2222-3333-444455556666</SessionId>"                             \
  "<AuthenticationResult>true</AuthenticationResult>"                                       \
  "<AffinityUrl i:nil=\"true\"/>"                                                           \
  "<ValidEntropyNumber>0</ValidEntropyNumber>"                                              \
  "</BeginTwoWayAuthenticationResponse>"

/* ---------------------------------------------------------------------------------------------- */
/* Request */

typedef struct
{
  GPtrArray *names;  /* "depth:name" of every element */
  GHashTable *texts; /* name -> text */
  GString *text;
  int depth;
  char *root_attributes;
} Collected;

static void
collect_start_cb (GMarkupParseContext *context,
                  const char *element_name,
                  const char **attribute_names,
                  const char **attribute_values,
                  gpointer user_data,
                  GError **error)
{
  Collected *c = user_data;

  if (c->depth == 0)
    c->root_attributes = g_strjoinv (",", (char **) attribute_names);
  g_ptr_array_add (c->names, g_strdup_printf ("%d:%s", c->depth, element_name));
  g_string_truncate (c->text, 0);
  c->depth++;
}

static void
collect_end_cb (GMarkupParseContext *context,
                const char *element_name,
                gpointer user_data,
                GError **error)
{
  Collected *c = user_data;

  c->depth--;
  if (c->text->len > 0)
    g_hash_table_insert (c->texts, g_strdup (element_name), g_strdup (c->text->str));
  g_string_truncate (c->text, 0);
}

static void
collect_text_cb (GMarkupParseContext *context,
                 const char *text,
                 gsize text_len,
                 gpointer user_data,
                 GError **error)
{
  Collected *c = user_data;
  g_autofree char *stripped = g_strstrip (g_strndup (text, text_len));

  g_string_append (c->text, stripped);
}

static const GMarkupParser collect_parser = {
  collect_start_cb, collect_end_cb, collect_text_cb, NULL, NULL,
};

static Collected *
collect (const char *xml)
{
  g_autoptr (GMarkupParseContext) context = NULL;
  g_autoptr (GError) error = NULL;
  Collected *c = g_new0 (Collected, 1);

  c->names = g_ptr_array_new_with_free_func (g_free);
  c->texts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  c->text = g_string_new (NULL);

  context = g_markup_parse_context_new (&collect_parser, 0, c, NULL);
  g_markup_parse_context_parse (context, xml, -1, &error);
  g_assert_no_error (error);
  g_markup_parse_context_end_parse (context, &error);
  g_assert_no_error (error);

  return c;
}

static void
collected_free (Collected *c)
{
  g_ptr_array_unref (c->names);
  g_hash_table_unref (c->texts);
  g_string_free (c->text, TRUE);
  g_free (c->root_attributes);
  g_free (c);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Collected, collected_free)

static guint
count_occurrences (const char *haystack, const char *needle)
{
  guint n = 0;

  for (const char *p = strstr (haystack, needle); p != NULL; p = strstr (p + 1, needle))
    n++;
  return n;
}

static void
test_build_order (void)
{
  static const char *const expected[] = {
    "0:BeginTwoWayAuthenticationRequest",
    "1:Version",
    "1:UserPrincipalName",
    "1:Lcid",
    "1:AuthenticationMethodId",
    "1:AuthenticationMethodProperties",
    "2:a:KeyValueOfstringstring",
    "3:a:Key",
    "3:a:Value",
    "1:ContextId",
    "1:SyncCall",
    "1:RequireUserMatch",
    "1:CallerName",
    "1:CallerIP",
  };
  g_autofree char *xml = cqv_push_xml_build_request (UPN, CONTEXT_ID, NULL);
  g_autoptr (Collected) c = NULL;

  g_assert_nonnull (xml);
  c = collect (xml);

  g_assert_cmpuint (c->names->len, ==, G_N_ELEMENTS (expected));
  for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
    g_assert_cmpstr (g_ptr_array_index (c->names, i), ==, expected[i]);

  /* No namespace on the root. */
  g_assert_cmpstr (c->root_attributes, ==, "");
  g_assert_true (g_str_has_prefix (xml, "<BeginTwoWayAuthenticationRequest>"));

  g_assert_cmpstr (g_hash_table_lookup (c->texts, "Version"), ==, "1.0");
  g_assert_cmpstr (g_hash_table_lookup (c->texts, "UserPrincipalName"), ==, UPN);
  g_assert_cmpstr (g_hash_table_lookup (c->texts, "Lcid"), ==, "en-us");
  g_assert_cmpstr (g_hash_table_lookup (c->texts, "AuthenticationMethodId"), ==,
                   "PhoneAppNotification");
  g_assert_cmpstr (g_hash_table_lookup (c->texts, "a:Key"), ==, "OverrideVoiceOtp");
  g_assert_cmpstr (g_hash_table_lookup (c->texts, "a:Value"), ==, "false");
  g_assert_cmpstr (g_hash_table_lookup (c->texts, "ContextId"), ==, CONTEXT_ID);
  g_assert_cmpstr (g_hash_table_lookup (c->texts, "SyncCall"), ==, "true");
  g_assert_cmpstr (g_hash_table_lookup (c->texts, "RequireUserMatch"), ==, "true");
  g_assert_cmpstr (g_hash_table_lookup (c->texts, "CallerName"), ==, "radius");
  g_assert_cmpstr (g_hash_table_lookup (c->texts, "CallerIP"), ==, "UNKNOWN:");

  g_assert_nonnull (
    strstr (xml, "<AuthenticationMethodProperties "
                 "xmlns:a=\"http://schemas.microsoft.com/2003/10/Serialization/Arrays\">"));
}

static void
test_build_lcid (void)
{
  g_autofree char *xml = cqv_push_xml_build_request (UPN, CONTEXT_ID, "de-de");
  g_autoptr (Collected) c = collect (xml);

  g_assert_cmpstr (g_hash_table_lookup (c->texts, "Lcid"), ==, "de-de");
}

static void
test_build_escaping (void)
{
  static const char *const upns[] = {
    "a<b>&'\"@contoso.com",
    "&amp;@contoso.com",
    "jösé.ålvarez@例え.jp",
    "</UserPrincipalName><RequireUserMatch>false</RequireUserMatch><UserPrincipalName>x",
    "]]>@contoso.com",
    "\xf0\x9f\x98\x80@contoso.com",
  };

  for (guint i = 0; i < G_N_ELEMENTS (upns); i++)
    {
      g_autofree char *xml = cqv_push_xml_build_request (upns[i], CONTEXT_ID, "en-us");
      g_autoptr (Collected) c = NULL;

      g_assert_nonnull (xml);
      c = collect (xml);
      g_assert_cmpstr (g_hash_table_lookup (c->texts, "UserPrincipalName"), ==, upns[i]);
      g_assert_cmpuint (c->names->len, ==, 14);

      /* Whatever the UPN, these are there exactly once, with the safe values. */
      g_assert_cmpuint (count_occurrences (xml, "<RequireUserMatch>"), ==, 1);
      g_assert_cmpuint (count_occurrences (xml, "<RequireUserMatch>true</RequireUserMatch>"), ==,
                        1);
      g_assert_cmpuint (count_occurrences (xml, "<SyncCall>true</SyncCall>"), ==, 1);
      g_assert_cmpuint (count_occurrences (xml, "<AuthenticationMethodId>PhoneAppNotification</"
                                                "AuthenticationMethodId>"),
                        ==, 1);
      g_assert_null (strchr (strstr (xml, "<UserPrincipalName>") + 19, '\''));
    }
}

static void
test_build_refuses_controls (void)
{
  static const char *const upns[] = {
    "a\x01"
    "b@contoso.com",
    "a\tb@contoso.com",
    "a\nb@contoso.com",
    "a\rb@contoso.com",
    "a\x1f@contoso.com",
    "a\x7f@contoso.com",
    "a\xc2\x85@contoso.com",     /* U+0085 NEL */
    "a\xef\xbf\xbe@contoso.com", /* U+FFFE */
    "a\xff@contoso.com",         /* not UTF-8 */
    "a\xc3@contoso.com",         /* truncated UTF-8 */
  };

  for (guint i = 0; i < G_N_ELEMENTS (upns); i++)
    {
      g_autofree char *xml = cqv_push_xml_build_request (upns[i], CONTEXT_ID, NULL);

      g_assert_null (xml);
    }
}

static void
test_build_refuses_programmer_errors (void)
{
  static const char *const bad_ids[] = {
    "",
    "not-a-guid",
    "{6f9619ff-8b86-d011-b42d-00cf4fc964ff}",
    "6f9619ff-8b86-d011-b42d-00cf4fc964f",
    "6f9619ff-8b86-d011-b42d-00cf4fc964ff0",
    "6f9619ff8b86-d011-b42d-00cf4fc964ff0",
    "6f9619ff-8b86-d011-b42d-00cf4fc964fg",
    "6f9619ff-8b86-d011-b42d-00cf4fc964f<",
  };
  char *xml;

  g_test_expect_message ("cqv-push-xml", G_LOG_LEVEL_CRITICAL, "*assertion*");
  xml = cqv_push_xml_build_request ("", CONTEXT_ID, NULL);
  g_test_assert_expected_messages ();
  g_assert_null (xml);

  g_test_expect_message ("cqv-push-xml", G_LOG_LEVEL_CRITICAL, "*assertion*");
  xml = cqv_push_xml_build_request (NULL, CONTEXT_ID, NULL);
  g_test_assert_expected_messages ();
  g_assert_null (xml);

  g_test_expect_message ("cqv-push-xml", G_LOG_LEVEL_CRITICAL, "*assertion*");
  xml = cqv_push_xml_build_request (UPN, NULL, NULL);
  g_test_assert_expected_messages ();
  g_assert_null (xml);

  for (guint i = 0; i < G_N_ELEMENTS (bad_ids); i++)
    {
      g_test_expect_message ("cqv-push-xml", G_LOG_LEVEL_CRITICAL, "*assertion*");
      xml = cqv_push_xml_build_request (UPN, bad_ids[i], NULL);
      g_test_assert_expected_messages ();
      g_assert_null (xml);
    }

  g_test_expect_message ("cqv-push-xml", G_LOG_LEVEL_CRITICAL, "*assertion*");
  xml = cqv_push_xml_build_request (UPN, CONTEXT_ID, "en-us\"><x>");
  g_test_assert_expected_messages ();
  g_assert_null (xml);

  /* Upper-case hex is a GUID too. */
  xml = cqv_push_xml_build_request (UPN, "6F9619FF-8B86-D011-B42D-00CF4FC964FF", NULL);
  g_assert_nonnull (xml);
  g_free (xml);
}

/* ---------------------------------------------------------------------------------------------- */
/* Response */

static char *
response (const char *value, const char *authentication_result, const char *upn)
{
  GString *s = g_string_new ("<BeginTwoWayAuthenticationResponse " XSI "><Version>1.0</Version>");

  if (upn != NULL)
    g_string_append_printf (s, "<UserPrincipalName>%s</UserPrincipalName>", upn);
  if (value != NULL)
    g_string_append_printf (
      s, "<Result><Value>%s</Value><Message i:nil=\"true\"/><Retry>false</Retry></Result>", value);
  g_string_append (s, "<SessionId>0b1d3f5a-1111-2222-3333-444455556666</SessionId>");
  if (authentication_result != NULL)
    g_string_append_printf (s, "<AuthenticationResult>%s</AuthenticationResult>",
                            authentication_result);
  g_string_append (s, "</BeginTwoWayAuthenticationResponse>");

  return g_string_free (s, FALSE);
}

static CqvOutcome *
parse_len (const char *body, gssize length)
{
  CqvOutcome *outcome = cqv_push_xml_parse_response (body, length, UPN);

  g_assert_nonnull (outcome);
  g_assert_true (CQV_IS_OUTCOME (outcome));
  g_assert_nonnull (cqv_outcome_get_message (outcome));
  g_assert_cmpstr (cqv_outcome_get_message (outcome), !=, "");
  return outcome;
}

static void
assert_kind (const char *body, CqvOutcomeKind kind)
{
  g_autoptr (CqvOutcome) outcome = parse_len (body, -1);

  if (cqv_outcome_get_kind (outcome) != kind)
    g_test_message ("body: %s\nmessage: %s", body, cqv_outcome_get_message (outcome));
  g_assert_cmpstr (cqv_outcome_kind_to_string (cqv_outcome_get_kind (outcome)), ==,
                   cqv_outcome_kind_to_string (kind));
  g_assert_cmpint (cqv_outcome_is_approved (outcome), ==, kind == CQV_OUTCOME_APPROVED);
}

static void
assert_response_kind (const char *value,
                      const char *authentication_result,
                      const char *upn,
                      CqvOutcomeKind kind)
{
  g_autofree char *body = response (value, authentication_result, upn);

  assert_kind (body, kind);
}

static void
test_parse_approved (void)
{
  g_autoptr (CqvOutcome) outcome = parse_len (APPROVED_XML, -1);

  g_assert_cmpint (cqv_outcome_get_kind (outcome), ==, CQV_OUTCOME_APPROVED);
  g_assert_true (cqv_outcome_is_approved (outcome));
  g_assert_cmpstr (cqv_outcome_get_result_value (outcome), ==, "Success");
  /* Left to the caller. */
  g_assert_null (cqv_outcome_get_upn (outcome));
  g_assert_null (cqv_outcome_get_context_id (outcome));

  assert_kind ("<EndTwoWayAuthenticationResponse " XSI "><Result><Value>Success</Value></Result>"
               "<AuthenticationResult>true</AuthenticationResult>"
               "<CompletedInteractively>true</CompletedInteractively>"
               "</EndTwoWayAuthenticationResponse>",
               CQV_OUTCOME_APPROVED);
  assert_kind ("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n" APPROVED_XML "\n",
               CQV_OUTCOME_APPROVED);
  assert_kind ("\xef\xbb\xbf<?xml version=\"1.0\"?>" APPROVED_XML, CQV_OUTCOME_APPROVED);
  assert_kind ("<!-- a comment -->" APPROVED_XML "<!-- trailing -->", CQV_OUTCOME_APPROVED);

  /* The explicit length is honoured: trailing bytes beyond it are not read. */
  {
    g_autofree char *padded = g_strconcat (APPROVED_XML, "<garbage", NULL);
    g_autoptr (CqvOutcome) o = parse_len (padded, strlen (APPROVED_XML));

    g_assert_cmpint (cqv_outcome_get_kind (o), ==, CQV_OUTCOME_APPROVED);
  }
}

static void
test_parse_result_values (void)
{
  static const struct
  {
    const char *value;
    const char *authentication_result;
    CqvOutcomeKind kind;
  } rows[] = {
    { "Success", "true", CQV_OUTCOME_APPROVED },
    { "PhoneAppDenied", "false", CQV_OUTCOME_DENIED },
    { "PhoneAppDenied", NULL, CQV_OUTCOME_DENIED },
    { "PhoneAppFraudReported", "false", CQV_OUTCOME_FRAUD_REPORTED },
    { "PhoneAppNoResponse", "false", CQV_OUTCOME_TIMED_OUT },
    { "PhoneAppNoResponse", NULL, CQV_OUTCOME_TIMED_OUT },
    { "InvalidSession", "false", CQV_OUTCOME_TIMED_OUT },
    { "AuthenticationPending", NULL, CQV_OUTCOME_ERROR },
    { "Success", "challenge", CQV_OUTCOME_NOT_DELIVERED },
    { "PhoneAppAllDevicesBlocked", "false", CQV_OUTCOME_ERROR },
    { "PhoneAppNotificationFailed", "false", CQV_OUTCOME_ERROR },
    { "PhoneAppInvalidResult", "false", CQV_OUTCOME_ERROR },
    { "UserIsBlocked", "false", CQV_OUTCOME_BLOCKED },
    { "UserAuthFailedDuplicateRequest", "false", CQV_OUTCOME_BUSY },
    { "AuthenticationThrottled", "false", CQV_OUTCOME_THROTTLED },
    { "AuthenticationMethodLimitReached", "false", CQV_OUTCOME_THROTTLED },
    { "AuthenticationMethodNotConfigured", "false", CQV_OUTCOME_NOT_ENROLLED },
    { "NoDefaultAuthenticationMethodIsConfigured", "false", CQV_OUTCOME_NOT_ENROLLED },
    { "ProofDataNotFound", "false", CQV_OUTCOME_NOT_ENROLLED },
    { "UserNotFound", "false", CQV_OUTCOME_ERROR },
    { "BecAccessDenied", "false", CQV_OUTCOME_ERROR },
    { "AccessDenied", "false", CQV_OUTCOME_ERROR },
    { "OathCodeIncorrect", "false", CQV_OUTCOME_ERROR },
    { "OathCodeDuplicate", "false", CQV_OUTCOME_ERROR },
    { "OathCodeOld", "false", CQV_OUTCOME_ERROR },
    { "InvalidParameter", "false", CQV_OUTCOME_ERROR },
    { "InternalError", "false", CQV_OUTCOME_ERROR },
    { "VersionNotSupported", "false", CQV_OUTCOME_ERROR },
    { "SomethingNew", "false", CQV_OUTCOME_ERROR },
  };

  for (guint i = 0; i < G_N_ELEMENTS (rows); i++)
    {
      g_autofree char *body = response (rows[i].value, rows[i].authentication_result, UPN);
      g_autoptr (CqvOutcome) outcome = parse_len (body, -1);

      g_test_message ("%s / %s", rows[i].value, rows[i].authentication_result);
      g_assert_cmpstr (cqv_outcome_kind_to_string (cqv_outcome_get_kind (outcome)), ==,
                       cqv_outcome_kind_to_string (rows[i].kind));
      g_assert_cmpstr (cqv_outcome_get_result_value (outcome), ==, rows[i].value);
    }
}

static void
test_parse_messages (void)
{
  g_autofree char *access = response ("AccessDenied", "false", UPN);
  g_autofree char *not_found = response ("UserNotFound", "false", NULL);
  g_autofree char *unknown = response ("BrandNewCode", "false", UPN);
  g_autoptr (CqvOutcome) o1 = parse_len (access, -1);
  g_autoptr (CqvOutcome) o2 = parse_len (not_found, -1);
  g_autoptr (CqvOutcome) o3 = parse_len (unknown, -1);
  g_autoptr (CqvOutcome) o4 = NULL;
  g_autoptr (CqvOutcome) o5 = NULL;
  g_autofree char *long_value = g_strnfill (5000, 'X');
  g_autofree char *long_body = response (long_value, "false", UPN);

  g_assert_cmpstr (cqv_outcome_get_message (o1), ==,
                   "The user belongs to a different tenant than the one this push was sent from.");
  g_assert_cmpstr (cqv_outcome_get_message (o2), ==,
                   "Microsoft's MFA service does not know this user. If the account is synced from "
                   "on-premises AD, check that it has synced to Entra ID.");
  g_assert_nonnull (strstr (cqv_outcome_get_message (o3), "BrandNewCode"));

  /* The service's own Message is passed on for codes we do not know. */
  o4 = parse_len ("<BeginTwoWayAuthenticationResponse><Result><Value>Odd</Value>"
                  "<Message>Caller tenant is strange</Message></Result>"
                  "</BeginTwoWayAuthenticationResponse>",
                  -1);
  g_assert_cmpint (cqv_outcome_get_kind (o4), ==, CQV_OUTCOME_ERROR);
  g_assert_nonnull (strstr (cqv_outcome_get_message (o4), "Caller tenant is strange"));

  /* Wire text in a message is kept short. */
  o5 = parse_len (long_body, -1);
  g_assert_cmpint (cqv_outcome_get_kind (o5), ==, CQV_OUTCOME_ERROR);
  g_assert_cmpuint (strlen (cqv_outcome_get_message (o5)), <, 1000);
  g_assert_cmpstr (cqv_outcome_get_result_value (o5), ==, long_value);
}

static void
test_parse_success_needs_true (void)
{
  assert_response_kind ("Success", "false", UPN, CQV_OUTCOME_ERROR);
  assert_response_kind ("Success", "i:nil", UPN, CQV_OUTCOME_ERROR);
  assert_response_kind ("Success", NULL, UPN, CQV_OUTCOME_ERROR);
  assert_response_kind ("Success", "", UPN, CQV_OUTCOME_ERROR);
  assert_response_kind ("Success", "yes", UPN, CQV_OUTCOME_ERROR);
  assert_response_kind ("Success", "1", UPN, CQV_OUTCOME_ERROR);
  assert_response_kind ("Success", "truee", UPN, CQV_OUTCOME_ERROR);
  assert_response_kind ("Success", "challenge", UPN, CQV_OUTCOME_NOT_DELIVERED);
  assert_response_kind ("Success", "Challenge", UPN, CQV_OUTCOME_NOT_DELIVERED);
  assert_response_kind ("Success", "True", UPN, CQV_OUTCOME_APPROVED);
  assert_response_kind ("Success", "TRUE", UPN, CQV_OUTCOME_APPROVED);
  assert_response_kind ("Success", " \n true\t", UPN, CQV_OUTCOME_APPROVED);

  assert_kind ("<BeginTwoWayAuthenticationResponse " XSI "><Result><Value>Success</Value></Result>"
               "<AuthenticationResult i:nil=\"true\"/></BeginTwoWayAuthenticationResponse>",
               CQV_OUTCOME_ERROR);

  /* Values are case-sensitive like the element names. */
  assert_response_kind ("success", "true", UPN, CQV_OUTCOME_ERROR);
  assert_response_kind ("SUCCESS", "true", UPN, CQV_OUTCOME_ERROR);
  assert_response_kind ("Success.", "true", UPN, CQV_OUTCOME_ERROR);
  assert_response_kind ("Suc cess", "true", UPN, CQV_OUTCOME_ERROR);
  assert_response_kind ("", "true", UPN, CQV_OUTCOME_ERROR);
  assert_response_kind (" \n Success \n ", " true ", UPN, CQV_OUTCOME_APPROVED);
}

static void
test_parse_true_with_failure (void)
{
  g_autofree char *body = response ("PhoneAppDenied", "true", UPN);
  g_autoptr (CqvOutcome) outcome = parse_len (body, -1);

  g_assert_cmpint (cqv_outcome_get_kind (outcome), ==, CQV_OUTCOME_ERROR);
  g_assert_cmpstr (cqv_outcome_get_result_value (outcome), ==, "PhoneAppDenied");

  assert_response_kind ("PhoneAppNoResponse", "true", UPN, CQV_OUTCOME_ERROR);
  assert_response_kind ("AuthenticationPending", "true", UPN, CQV_OUTCOME_ERROR);
  assert_response_kind ("Unknown", "true", UPN, CQV_OUTCOME_ERROR);
  /* No Result at all. */
  assert_response_kind (NULL, "true", UPN, CQV_OUTCOME_ERROR);
}

static void
test_parse_upn (void)
{
  assert_response_kind ("Success", "true", "ada@contoso.com", CQV_OUTCOME_APPROVED);
  assert_response_kind ("Success", "true", "ADA@Contoso.COM", CQV_OUTCOME_APPROVED);
  assert_response_kind ("Success", "true", "  ada@contoso.com\n", CQV_OUTCOME_APPROVED);
  assert_response_kind ("Success", "true", NULL, CQV_OUTCOME_APPROVED);
  assert_response_kind ("Success", "true", "eve@contoso.com", CQV_OUTCOME_ERROR);
  assert_response_kind ("Success", "true", "ada@contoso.com.evil", CQV_OUTCOME_ERROR);
  assert_response_kind ("Success", "true", "ada@contoso.co", CQV_OUTCOME_ERROR);
  assert_response_kind ("Success", "true", "", CQV_OUTCOME_ERROR);
  /* A different user's denial is not this user's denial either. */
  assert_response_kind ("PhoneAppDenied", "false", "eve@contoso.com", CQV_OUTCOME_ERROR);

  assert_kind ("<BeginTwoWayAuthenticationResponse " XSI ">"
               "<UserPrincipalName i:nil=\"true\"/>"
               "<Result><Value>Success</Value></Result>"
               "<AuthenticationResult>true</AuthenticationResult>"
               "</BeginTwoWayAuthenticationResponse>",
               CQV_OUTCOME_APPROVED);

  {
    g_autofree char *body = response ("Success", "true", "eve@contoso.com");
    g_autoptr (CqvOutcome) outcome = parse_len (body, -1);

    g_assert_nonnull (strstr (cqv_outcome_get_message (outcome), "different user"));
    g_assert_nonnull (strstr (cqv_outcome_get_message (outcome), "eve@contoso.com"));
  }

  /* Only ASCII case is ignored. */
  {
    g_autofree char *body = response ("Success", "true", "JÖSÉ@contoso.com");
    g_autoptr (CqvOutcome) outcome = cqv_push_xml_parse_response (body, -1, "jösé@contoso.com");
    g_autoptr (CqvOutcome) same = NULL;

    g_assert_cmpint (cqv_outcome_get_kind (outcome), ==, CQV_OUTCOME_ERROR);
    g_free (body);
    body = response ("Success", "true", "JöSé@contoso.com");
    same = cqv_push_xml_parse_response (body, -1, "jösé@contoso.com");
    g_assert_cmpint (cqv_outcome_get_kind (same), ==, CQV_OUTCOME_APPROVED);
  }
}

static void
test_parse_nil (void)
{
  /* Any prefix for the nil attribute; "true" or "1". */
  assert_kind ("<BeginTwoWayAuthenticationResponse xmlns:x=\"http://www.w3.org/2001/"
               "XMLSchema-instance\"><Result><Value>Success</Value></Result>"
               "<AuthenticationResult x:nil=\"1\"/></BeginTwoWayAuthenticationResponse>",
               CQV_OUTCOME_ERROR);
  /* nil with content contradicts itself. */
  {
    g_autoptr (CqvOutcome) outcome =
      parse_len ("<BeginTwoWayAuthenticationResponse " XSI "><Result><Value>Success</Value>"
                 "</Result><AuthenticationResult i:nil=\"true\">true</AuthenticationResult>"
                 "</BeginTwoWayAuthenticationResponse>",
                 -1);

    g_assert_cmpint (cqv_outcome_get_kind (outcome), ==, CQV_OUTCOME_ERROR);
    g_assert_nonnull (strstr (cqv_outcome_get_message (outcome), "contradicts"));
  }
  assert_kind ("<BeginTwoWayAuthenticationResponse " XSI "><Result><Value i:nil=\"true\">Success"
               "</Value></Result><AuthenticationResult>true</AuthenticationResult>"
               "</BeginTwoWayAuthenticationResponse>",
               CQV_OUTCOME_ERROR);
  assert_kind ("<BeginTwoWayAuthenticationResponse " XSI "><Result><Value i:nil=\"true\"/></Result>"
               "<AuthenticationResult>true</AuthenticationResult>"
               "</BeginTwoWayAuthenticationResponse>",
               CQV_OUTCOME_ERROR);
  /* nil="false" is an ordinary value. */
  assert_kind ("<BeginTwoWayAuthenticationResponse " XSI "><Result><Value i:nil=\"false\">Success"
               "</Value></Result><AuthenticationResult>true</AuthenticationResult>"
               "</BeginTwoWayAuthenticationResponse>",
               CQV_OUTCOME_APPROVED);
  /* Anything else in nil is not understood. */
  assert_kind ("<BeginTwoWayAuthenticationResponse " XSI "><Result><Value i:nil=\"maybe\">Success"
               "</Value></Result><AuthenticationResult>true</AuthenticationResult>"
               "</BeginTwoWayAuthenticationResponse>",
               CQV_OUTCOME_ERROR);
  /* A namespace declaration for a prefix called "nil" is not the nil attribute. */
  assert_kind ("<BeginTwoWayAuthenticationResponse " XSI "><Result><Value xmlns:nil=\"urn:x\">"
               "Success</Value></Result><AuthenticationResult>true</AuthenticationResult>"
               "</BeginTwoWayAuthenticationResponse>",
               CQV_OUTCOME_APPROVED);
  /* A nil Message is fine. */
  assert_kind (APPROVED_XML, CQV_OUTCOME_APPROVED);
}

static void
test_parse_namespaces (void)
{
  assert_kind (
    "<s:BeginTwoWayAuthenticationResponse xmlns:s=\"http://schemas.microsoft.com/x\" " XSI
    "><s:Version>1.0</s:Version><s:Result><s:Value>Success</s:Value></s:Result>"
    "<s:AuthenticationResult>true</s:AuthenticationResult>"
    "<s:UserPrincipalName>ada@contoso.com</s:UserPrincipalName>"
    "</s:BeginTwoWayAuthenticationResponse>",
    CQV_OUTCOME_APPROVED);
  assert_kind ("<BeginTwoWayAuthenticationResponse xmlns=\"http://schemas.microsoft.com/x\" "
               "xmlns:a=\"urn:a\" xmlns:b=\"urn:b\" " XSI "><Result><a:Value>Success</a:Value>"
               "</Result><b:AuthenticationResult>true</b:AuthenticationResult>"
               "</BeginTwoWayAuthenticationResponse>",
               CQV_OUTCOME_APPROVED);
  assert_kind ("<s:BeginTwoWayAuthenticationResponse xmlns:s=\"urn:s\"><s:Result><s:Value>"
               "PhoneAppDenied</s:Value></s:Result></s:BeginTwoWayAuthenticationResponse>",
               CQV_OUTCOME_DENIED);
}

static void
test_parse_unknown_elements (void)
{
  /* Unknown elements anywhere are ignored, including look-alikes deeper in the tree. */
  assert_kind ("<BeginTwoWayAuthenticationResponse " XSI "><Extra a=\"b\"><Deep>x</Deep></Extra>"
               "<Result><Other/><Value>Success</Value><More>y</More></Result>"
               "<Wrapper><Result><Value>PhoneAppDenied</Value></Result>"
               "<AuthenticationResult>false</AuthenticationResult></Wrapper>"
               "<AuthenticationResult>true</AuthenticationResult><Trailer/>"
               "</BeginTwoWayAuthenticationResponse>",
               CQV_OUTCOME_APPROVED);
  assert_kind ("<BeginTwoWayAuthenticationResponse><Result><Value>PhoneAppDenied</Value></Result>"
               "<Wrapper><Result><Value>Success</Value></Result>"
               "<AuthenticationResult>true</AuthenticationResult></Wrapper>"
               "</BeginTwoWayAuthenticationResponse>",
               CQV_OUTCOME_DENIED);
}

static void
test_parse_wrong_case (void)
{
  assert_kind ("<BeginTwoWayAuthenticationResponse><result><value>Success</value></result>"
               "<authenticationresult>true</authenticationresult>"
               "</BeginTwoWayAuthenticationResponse>",
               CQV_OUTCOME_ERROR);
  assert_kind ("<BeginTwoWayAuthenticationResponse><Result><value>Success</value></Result>"
               "<AuthenticationResult>true</AuthenticationResult>"
               "</BeginTwoWayAuthenticationResponse>",
               CQV_OUTCOME_ERROR);
  assert_kind ("<BeginTwoWayAuthenticationResponse><RESULT><Value>Success</Value></RESULT>"
               "<AuthenticationResult>true</AuthenticationResult>"
               "</BeginTwoWayAuthenticationResponse>",
               CQV_OUTCOME_ERROR);
  assert_kind ("<BeginTwoWayAuthenticationResponse><Result><Value>Success</Value></Result>"
               "<authenticationResult>true</authenticationResult>"
               "</BeginTwoWayAuthenticationResponse>",
               CQV_OUTCOME_ERROR);
  assert_kind ("<begintwowayauthenticationresponse><Result><Value>Success</Value></Result>"
               "<AuthenticationResult>true</AuthenticationResult>"
               "</begintwowayauthenticationresponse>",
               CQV_OUTCOME_ERROR);
}

static void
test_parse_misplaced_value (void)
{
  /* Value directly under the root. */
  assert_kind ("<BeginTwoWayAuthenticationResponse><Value>Success</Value>"
               "<AuthenticationResult>true</AuthenticationResult>"
               "</BeginTwoWayAuthenticationResponse>",
               CQV_OUTCOME_ERROR);
  /* Value one level too deep. */
  assert_kind ("<BeginTwoWayAuthenticationResponse><Result><Inner><Value>Success</Value></Inner>"
               "</Result><AuthenticationResult>true</AuthenticationResult>"
               "</BeginTwoWayAuthenticationResponse>",
               CQV_OUTCOME_ERROR);
  /* Result not a child of the root. */
  assert_kind ("<BeginTwoWayAuthenticationResponse><Wrapper><Result><Value>Success</Value>"
               "</Result></Wrapper><AuthenticationResult>true</AuthenticationResult>"
               "</BeginTwoWayAuthenticationResponse>",
               CQV_OUTCOME_ERROR);
  /* AuthenticationResult inside Result is not the answer. */
  assert_kind ("<BeginTwoWayAuthenticationResponse><Result><Value>Success</Value>"
               "<AuthenticationResult>true</AuthenticationResult></Result>"
               "</BeginTwoWayAuthenticationResponse>",
               CQV_OUTCOME_ERROR);
  /* An element inside a value. */
  assert_kind ("<BeginTwoWayAuthenticationResponse><Result><Value><b/>Success</Value></Result>"
               "<AuthenticationResult>true</AuthenticationResult>"
               "</BeginTwoWayAuthenticationResponse>",
               CQV_OUTCOME_ERROR);
  assert_kind ("<BeginTwoWayAuthenticationResponse><Result><Value>Success</Value></Result>"
               "<AuthenticationResult><b>true</b></AuthenticationResult>"
               "</BeginTwoWayAuthenticationResponse>",
               CQV_OUTCOME_ERROR);
  /* Wrong root. */
  assert_kind ("<Envelope><BeginTwoWayAuthenticationResponse><Result><Value>Success</Value>"
               "</Result><AuthenticationResult>true</AuthenticationResult>"
               "</BeginTwoWayAuthenticationResponse></Envelope>",
               CQV_OUTCOME_ERROR);
  assert_kind ("<BeginTwoWayAuthenticationRequest><Result><Value>Success</Value></Result>"
               "<AuthenticationResult>true</AuthenticationResult>"
               "</BeginTwoWayAuthenticationRequest>",
               CQV_OUTCOME_ERROR);
}

static void
test_parse_duplicates (void)
{
  assert_kind ("<BeginTwoWayAuthenticationResponse><Result><Value>Success</Value>"
               "<Value>PhoneAppDenied</Value></Result>"
               "<AuthenticationResult>true</AuthenticationResult>"
               "</BeginTwoWayAuthenticationResponse>",
               CQV_OUTCOME_ERROR);
  assert_kind ("<BeginTwoWayAuthenticationResponse><Result><Value>PhoneAppDenied</Value></Result>"
               "<Result><Value>Success</Value></Result>"
               "<AuthenticationResult>true</AuthenticationResult>"
               "</BeginTwoWayAuthenticationResponse>",
               CQV_OUTCOME_ERROR);
  assert_kind ("<BeginTwoWayAuthenticationResponse><Result><Value>Success</Value></Result>"
               "<AuthenticationResult>true</AuthenticationResult>"
               "<AuthenticationResult>false</AuthenticationResult>"
               "</BeginTwoWayAuthenticationResponse>",
               CQV_OUTCOME_ERROR);
  assert_kind ("<BeginTwoWayAuthenticationResponse " XSI "><Result><Value>Success</Value></Result>"
               "<AuthenticationResult i:nil=\"true\"/>"
               "<AuthenticationResult>true</AuthenticationResult>"
               "</BeginTwoWayAuthenticationResponse>",
               CQV_OUTCOME_ERROR);
  assert_kind ("<BeginTwoWayAuthenticationResponse><UserPrincipalName>eve@contoso.com"
               "</UserPrincipalName><Result><Value>Success</Value></Result>"
               "<AuthenticationResult>true</AuthenticationResult>"
               "<UserPrincipalName>ada@contoso.com</UserPrincipalName>"
               "</BeginTwoWayAuthenticationResponse>",
               CQV_OUTCOME_ERROR);
  /* Repeating the same value is not a contradiction. */
  assert_kind ("<BeginTwoWayAuthenticationResponse><Result><Value>Success</Value></Result>"
               "<AuthenticationResult>true</AuthenticationResult>"
               "<AuthenticationResult> true </AuthenticationResult>"
               "</BeginTwoWayAuthenticationResponse>",
               CQV_OUTCOME_APPROVED);
}

static void
test_parse_truncated (void)
{
  gsize len = strlen (APPROVED_XML);

  for (gsize i = 0; i < len; i++)
    {
      g_autoptr (CqvOutcome) outcome = parse_len (APPROVED_XML, i);

      if (cqv_outcome_get_kind (outcome) != CQV_OUTCOME_ERROR)
        g_test_message ("prefix %" G_GSIZE_FORMAT ": %.*s", i, (int) i, APPROVED_XML);
      g_assert_false (cqv_outcome_is_approved (outcome));
      g_assert_cmpint (cqv_outcome_get_kind (outcome), ==, CQV_OUTCOME_ERROR);

      /* The same prefix as its own NUL-terminated string. */
      {
        g_autofree char *copy = g_strndup (APPROVED_XML, i);
        g_autoptr (CqvOutcome) again = parse_len (copy, -1);

        g_assert_cmpint (cqv_outcome_get_kind (again), ==, CQV_OUTCOME_ERROR);
      }
    }

  {
    g_autoptr (CqvOutcome) complete = parse_len (APPROVED_XML, len);

    g_assert_true (cqv_outcome_is_approved (complete));
  }
}

static void
test_parse_huge (void)
{
  gsize limit = 256 * 1024;
  g_autofree char *big_value = g_strnfill (limit, 'A');
  g_autofree char *big = response (big_value, "false", UPN);
  g_autofree char *padding = NULL;
  g_autofree char *padded = NULL;
  g_autofree char *fits = NULL;
  gsize base = strlen (APPROVED_XML);
  g_autoptr (CqvOutcome) outcome = parse_len (big, -1);

  g_assert_cmpint (cqv_outcome_get_kind (outcome), ==, CQV_OUTCOME_ERROR);
  g_assert_null (cqv_outcome_get_result_value (outcome));

  /* Whitespace after the root is legal XML but still too much to read. */
  padding = g_strnfill (limit, ' ');
  padded = g_strconcat (APPROVED_XML, padding, NULL);
  assert_kind (padded, CQV_OUTCOME_ERROR);

  /* Just under the limit is read. */
  fits = g_strndup (padded, limit);
  g_assert_cmpuint (strlen (fits), ==, limit);
  g_assert_cmpuint (base, <, limit);
  assert_kind (fits, CQV_OUTCOME_APPROVED);
}

static void
test_parse_entities (void)
{
  /* DOCTYPE with an internal entity. */
  assert_kind ("<!DOCTYPE x [<!ENTITY a \"Success\">]>"
               "<BeginTwoWayAuthenticationResponse><Result><Value>&a;</Value></Result>"
               "<AuthenticationResult>true</AuthenticationResult>"
               "</BeginTwoWayAuthenticationResponse>",
               CQV_OUTCOME_ERROR);
  /* A harmless-looking DOCTYPE is refused too. */
  assert_kind ("<!DOCTYPE BeginTwoWayAuthenticationResponse>" APPROVED_XML, CQV_OUTCOME_ERROR);
  /* External entity. */
  assert_kind ("<!DOCTYPE x [<!ENTITY e SYSTEM \"file:///etc/passwd\">]>"
               "<BeginTwoWayAuthenticationResponse><Result><Value>&e;</Value></Result>"
               "</BeginTwoWayAuthenticationResponse>",
               CQV_OUTCOME_ERROR);
  /* Billion laughs. */
  assert_kind ("<!DOCTYPE l [<!ENTITY a \"aaaaaaaaaa\"><!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;\">"
               "<!ENTITY c \"&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;\">]>"
               "<BeginTwoWayAuthenticationResponse><Result><Value>&c;</Value></Result>"
               "</BeginTwoWayAuthenticationResponse>",
               CQV_OUTCOME_ERROR);
  /* Unknown entity without a DOCTYPE. */
  assert_kind ("<BeginTwoWayAuthenticationResponse><Result><Value>&success;</Value></Result>"
               "<AuthenticationResult>true</AuthenticationResult>"
               "</BeginTwoWayAuthenticationResponse>",
               CQV_OUTCOME_ERROR);
  assert_kind ("<BeginTwoWayAuthenticationResponse><Result><Value>Success&</Value></Result>"
               "<AuthenticationResult>true</AuthenticationResult>"
               "</BeginTwoWayAuthenticationResponse>",
               CQV_OUTCOME_ERROR);
  /* Character references are plain XML and read as what they stand for. */
  assert_kind ("<BeginTwoWayAuthenticationResponse><Result><Value>&#83;uccess</Value></Result>"
               "<AuthenticationResult>&#x74;rue</AuthenticationResult>"
               "</BeginTwoWayAuthenticationResponse>",
               CQV_OUTCOME_APPROVED);
  assert_kind ("<BeginTwoWayAuthenticationResponse><Result><Value>&#0;Success</Value></Result>"
               "<AuthenticationResult>true</AuthenticationResult>"
               "</BeginTwoWayAuthenticationResponse>",
               CQV_OUTCOME_ERROR);
}

static void
test_parse_cdata_comments (void)
{
  /* Decision: CDATA, comments and processing instructions inside a value make the answer
   * unreadable (WCF never sends them there). */
  assert_kind ("<BeginTwoWayAuthenticationResponse><Result><Value><![CDATA[Success]]></Value>"
               "</Result><AuthenticationResult>true</AuthenticationResult>"
               "</BeginTwoWayAuthenticationResponse>",
               CQV_OUTCOME_ERROR);
  assert_kind ("<BeginTwoWayAuthenticationResponse><Result><Value>Success</Value></Result>"
               "<AuthenticationResult><![CDATA[true]]></AuthenticationResult>"
               "</BeginTwoWayAuthenticationResponse>",
               CQV_OUTCOME_ERROR);
  assert_kind ("<BeginTwoWayAuthenticationResponse><Result><Value>Succ<!-- x -->ess</Value>"
               "</Result><AuthenticationResult>true</AuthenticationResult>"
               "</BeginTwoWayAuthenticationResponse>",
               CQV_OUTCOME_ERROR);
  assert_kind ("<BeginTwoWayAuthenticationResponse><Result><Value>Success<?pi x?></Value>"
               "</Result><AuthenticationResult>true</AuthenticationResult>"
               "</BeginTwoWayAuthenticationResponse>",
               CQV_OUTCOME_ERROR);
  /* Elsewhere they do no harm. */
  assert_kind ("<BeginTwoWayAuthenticationResponse><!-- c --><Extra><![CDATA[<Value>x</Value>]]>"
               "</Extra><Result><Value>Success</Value></Result>"
               "<AuthenticationResult>true</AuthenticationResult>"
               "</BeginTwoWayAuthenticationResponse>",
               CQV_OUTCOME_APPROVED);
}

static void
test_parse_structure (void)
{
  g_autofree char *twice = g_strconcat (APPROVED_XML, APPROVED_XML, NULL);

  assert_kind (twice, CQV_OUTCOME_ERROR);
  assert_kind (APPROVED_XML "trailing text", CQV_OUTCOME_ERROR);
  assert_kind ("leading text" APPROVED_XML, CQV_OUTCOME_ERROR);
  assert_kind (APPROVED_XML "<Other/>", CQV_OUTCOME_ERROR);
  assert_kind ("<BeginTwoWayAuthenticationResponse><Result><Value>Success</Value></Result>"
               "<AuthenticationResult>true</AuthenticationResult>"
               "</EndTwoWayAuthenticationResponse>",
               CQV_OUTCOME_ERROR);
  assert_kind ("<BeginTwoWayAuthenticationResponse/>", CQV_OUTCOME_ERROR);
  assert_kind ("<BeginTwoWayAuthenticationResponse></BeginTwoWayAuthenticationResponse>",
               CQV_OUTCOME_ERROR);
  assert_kind ("{\"Result\":{\"Value\":\"Success\"},\"AuthenticationResult\":true}",
               CQV_OUTCOME_ERROR);
  assert_kind ("<html><body>Service Unavailable</body></html>", CQV_OUTCOME_ERROR);
}

static void
test_parse_deep (void)
{
  GString *s = g_string_new ("<BeginTwoWayAuthenticationResponse><Result><Value>Success</Value>"
                             "</Result><AuthenticationResult>true</AuthenticationResult>");

  for (guint i = 0; i < 10000; i++)
    g_string_append (s, "<d>");
  for (guint i = 0; i < 10000; i++)
    g_string_append (s, "</d>");
  g_string_append (s, "</BeginTwoWayAuthenticationResponse>");

  assert_kind (s->str, CQV_OUTCOME_ERROR);
  g_string_free (s, TRUE);
}

static void
test_parse_garbage (void)
{
  g_autoptr (GRand) rand = g_rand_new_with_seed (20240601);
  static const char utf16[] = "<\0B\0e\0g\0i\0n\0>\0";

  {
    g_autoptr (CqvOutcome) outcome = parse_len (NULL, -1);

    g_assert_cmpint (cqv_outcome_get_kind (outcome), ==, CQV_OUTCOME_ERROR);
  }
  assert_kind ("", CQV_OUTCOME_ERROR);
  assert_kind ("   \n\t ", CQV_OUTCOME_ERROR);
  assert_kind ("\xef\xbb\xbf", CQV_OUTCOME_ERROR);
  assert_kind ("<", CQV_OUTCOME_ERROR);
  assert_kind (">", CQV_OUTCOME_ERROR);
  assert_kind ("<BeginTwoWayAuthenticationResponse><Result><Value>Success\xff</Value></Result>"
               "<AuthenticationResult>true</AuthenticationResult>"
               "</BeginTwoWayAuthenticationResponse>",
               CQV_OUTCOME_ERROR);

  {
    g_autoptr (CqvOutcome) outcome = parse_len (utf16, sizeof utf16 - 1);

    g_assert_cmpint (cqv_outcome_get_kind (outcome), ==, CQV_OUTCOME_ERROR);
  }

  /* An embedded NUL with an explicit length. */
  {
    g_autofree char *copy = g_strdup (APPROVED_XML);
    gsize len = strlen (copy);
    g_autoptr (CqvOutcome) outcome = NULL;

    copy[60] = '\0';
    outcome = parse_len (copy, len);
    g_assert_cmpint (cqv_outcome_get_kind (outcome), ==, CQV_OUTCOME_ERROR);
  }

  for (guint round = 0; round < 2000; round++)
    {
      gsize len = g_rand_int_range (rand, 1, 512);
      g_autofree char *bytes = g_malloc (len + 1);
      g_autoptr (CqvOutcome) outcome = NULL;

      for (gsize i = 0; i < len; i++)
        bytes[i] = (char) g_rand_int_range (rand, 1, 256);
      bytes[len] = '\0';

      outcome = parse_len (bytes, len);
      g_assert_cmpint (cqv_outcome_get_kind (outcome), ==, CQV_OUTCOME_ERROR);
    }

  /* Random single-byte corruption of an approved answer approves only if the bytes that carry
   * the decision are intact (an ASCII case change in the UPN is allowed). */
  for (guint round = 0; round < 5000; round++)
    {
      static const char *const critical[] = { ">Success<", ">true<", ">ada@contoso.com<" };
      g_autofree char *copy = g_strdup (APPROVED_XML);
      gsize len = strlen (copy);
      gsize at = g_rand_int_range (rand, 0, len);
      g_autoptr (CqvOutcome) outcome = NULL;

      copy[at] = (char) g_rand_int_range (rand, 1, 256);
      outcome = parse_len (copy, len);
      if (!cqv_outcome_is_approved (outcome))
        continue;

      for (guint i = 0; i < G_N_ELEMENTS (critical); i++)
        {
          gsize start = strstr (APPROVED_XML, critical[i]) - APPROVED_XML;
          gsize end = start + strlen (critical[i]);

          if (at >= start && at < end)
            g_assert_true (copy[at] == APPROVED_XML[at] ||
                           (i == 2 && g_ascii_tolower (copy[at]) == APPROVED_XML[at]));
        }
    }
}

static void
test_result_value_to_kind (void)
{
  g_assert_cmpint (cqv_push_result_value_to_kind ("Success"), ==, CQV_OUTCOME_APPROVED);
  g_assert_cmpint (cqv_push_result_value_to_kind ("PhoneAppDenied"), ==, CQV_OUTCOME_DENIED);
  g_assert_cmpint (cqv_push_result_value_to_kind ("PhoneAppFraudReported"), ==,
                   CQV_OUTCOME_FRAUD_REPORTED);
  g_assert_cmpint (cqv_push_result_value_to_kind ("PhoneAppNoResponse"), ==, CQV_OUTCOME_TIMED_OUT);
  g_assert_cmpint (cqv_push_result_value_to_kind ("InvalidSession"), ==, CQV_OUTCOME_TIMED_OUT);
  g_assert_cmpint (cqv_push_result_value_to_kind ("ProofDataNotFound"), ==,
                   CQV_OUTCOME_NOT_ENROLLED);
  g_assert_cmpint (cqv_push_result_value_to_kind ("UserIsBlocked"), ==, CQV_OUTCOME_BLOCKED);
  g_assert_cmpint (cqv_push_result_value_to_kind ("UserAuthFailedDuplicateRequest"), ==,
                   CQV_OUTCOME_BUSY);
  g_assert_cmpint (cqv_push_result_value_to_kind ("AuthenticationThrottled"), ==,
                   CQV_OUTCOME_THROTTLED);
  g_assert_cmpint (cqv_push_result_value_to_kind ("AuthenticationPending"), ==, CQV_OUTCOME_ERROR);
  g_assert_cmpint (cqv_push_result_value_to_kind ("PhoneAppAllDevicesBlocked"), ==,
                   CQV_OUTCOME_ERROR);
  g_assert_cmpint (cqv_push_result_value_to_kind ("success"), ==, CQV_OUTCOME_ERROR);
  g_assert_cmpint (cqv_push_result_value_to_kind (" Success"), ==, CQV_OUTCOME_ERROR);
  g_assert_cmpint (cqv_push_result_value_to_kind (""), ==, CQV_OUTCOME_ERROR);
  g_assert_cmpint (cqv_push_result_value_to_kind (NULL), ==, CQV_OUTCOME_ERROR);
}

int
main (int argc, char *argv[])
{
  setlocale (LC_ALL, "");
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/cqv/push-xml/build/order", test_build_order);
  g_test_add_func ("/cqv/push-xml/build/lcid", test_build_lcid);
  g_test_add_func ("/cqv/push-xml/build/escaping", test_build_escaping);
  g_test_add_func ("/cqv/push-xml/build/refuses-controls", test_build_refuses_controls);
  g_test_add_func ("/cqv/push-xml/build/refuses-programmer-errors",
                   test_build_refuses_programmer_errors);
  g_test_add_func ("/cqv/push-xml/parse/approved", test_parse_approved);
  g_test_add_func ("/cqv/push-xml/parse/result-values", test_parse_result_values);
  g_test_add_func ("/cqv/push-xml/parse/messages", test_parse_messages);
  g_test_add_func ("/cqv/push-xml/parse/success-needs-true", test_parse_success_needs_true);
  g_test_add_func ("/cqv/push-xml/parse/true-with-failure", test_parse_true_with_failure);
  g_test_add_func ("/cqv/push-xml/parse/upn", test_parse_upn);
  g_test_add_func ("/cqv/push-xml/parse/nil", test_parse_nil);
  g_test_add_func ("/cqv/push-xml/parse/namespaces", test_parse_namespaces);
  g_test_add_func ("/cqv/push-xml/parse/unknown-elements", test_parse_unknown_elements);
  g_test_add_func ("/cqv/push-xml/parse/wrong-case", test_parse_wrong_case);
  g_test_add_func ("/cqv/push-xml/parse/misplaced-value", test_parse_misplaced_value);
  g_test_add_func ("/cqv/push-xml/parse/duplicates", test_parse_duplicates);
  g_test_add_func ("/cqv/push-xml/parse/truncated", test_parse_truncated);
  g_test_add_func ("/cqv/push-xml/parse/huge", test_parse_huge);
  g_test_add_func ("/cqv/push-xml/parse/entities", test_parse_entities);
  g_test_add_func ("/cqv/push-xml/parse/cdata-comments", test_parse_cdata_comments);
  g_test_add_func ("/cqv/push-xml/parse/structure", test_parse_structure);
  g_test_add_func ("/cqv/push-xml/parse/deep", test_parse_deep);
  g_test_add_func ("/cqv/push-xml/parse/garbage", test_parse_garbage);
  g_test_add_func ("/cqv/push-xml/result-value-to-kind", test_result_value_to_kind);

  return g_test_run ();
}
