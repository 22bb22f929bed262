/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cqv-simulator"

#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "sim-server-private.h"

#define USERS_DEFAULT_TOP 100
#define USERS_MAX_TOP 999
#define REPORT_DEFAULT_TOP 500
#define REPORT_MAX_TOP 1000

typedef enum
{
  P_BUSINESS_PHONES,
  P_DISPLAY_NAME,
  P_GIVEN_NAME,
  P_JOB_TITLE,
  P_MAIL,
  P_MOBILE_PHONE,
  P_OFFICE_LOCATION,
  P_PREFERRED_LANGUAGE,
  P_SURNAME,
  P_UPN,
  P_ID,
  P_ACCOUNT_ENABLED,
  P_USER_TYPE,
  P_SYNC,
  P_DEPARTMENT,
  P_ONPREM_UPN,
  P_ONPREM_LAST_SYNC,
  N_PROPS
} Prop;

static const char *prop_names[N_PROPS] = {
  "businessPhones",
  "displayName",
  "givenName",
  "jobTitle",
  "mail",
  "mobilePhone",
  "officeLocation",
  "preferredLanguage",
  "surname",
  "userPrincipalName",
  "id",
  "accountEnabled",
  "userType",
  "onPremisesSyncEnabled",
  "department",
  "onPremisesUserPrincipalName",
  "onPremisesLastSyncDateTime",
};

#define DEFAULT_MASK ((1u << (P_ID + 1)) - 1)

static const char *const user_read_roles[] = { "User.Read.All", "User.ReadWrite.All",
                                               "Directory.Read.All", "Directory.ReadWrite.All",
                                               NULL };
static const char *const methods_read_roles[] = {
  "UserAuthenticationMethod.Read.All", "UserAuthenticationMethod.ReadWrite.All",
  "UserAuthMethod-MicrosoftAuthApp.Read.All", "UserAuthMethod-MicrosoftAuthApp.ReadWrite.All", NULL
};
static const char *const audit_roles[] = { "AuditLog.Read.All", NULL };

/* ---- shared helpers --------------------------------------------------- */

gboolean
sim_graph_authorize (SimRequest *req,
                     const char *const *roles,
                     const char *denied_code,
                     const char *denied_message)
{
  SimToken *token = req->token;
  const char *message = NULL;

  if (sim_request_header (req, "Authorization") == NULL)
    message = "Access token is empty.";
  else if (token == NULL)
    message = "IDX14100: JWT is not well formed, there are no dots (.).";
  else if (!token->graph)
    message = "Access token validation failure. Invalid audience.";
  else if (token->expires <= g_get_real_time () / G_USEC_PER_SEC)
    message = "Lifetime validation failed, the token is expired.";
  if (message != NULL)
    {
      sim_request_respond_graph_error (req, 401, "InvalidAuthenticationToken", message);
      sim_request_set_header (req, "WWW-Authenticate",
                              "Bearer realm=\"\", error=\"invalid_token\", "
                              "client_id=\"00000003-0000-0000-c000-000000000000\"");
      return FALSE;
    }
  if (roles == NULL)
    return TRUE;
  for (guint i = 0; roles[i]; i++)
    if (g_strv_contains ((const char *const *) token->roles, roles[i]))
      return TRUE;
  sim_request_respond_graph_error (
    req, 403, denied_code ? denied_code : "Authorization_RequestDenied",
    denied_message ? denied_message : "Insufficient privileges to complete the operation.");
  return FALSE;
}

JsonObject *
sim_graph_json_body (SimRequest *req, JsonParser *parser, gboolean allow_empty)
{
  const char *content_type = sim_request_header (req, "Content-Type");
  gsize length;
  const char *data = g_bytes_get_data (req->body, &length);

  if (length == 0 && allow_empty)
    {
      json_parser_load_from_data (parser, "{}", -1, NULL);
      return json_node_get_object (json_parser_get_root (parser));
    }
  if (content_type == NULL ||
      g_ascii_strncasecmp (content_type, "application/json", strlen ("application/json")) != 0)
    {
      sim_request_respond_graph_error (req, 400, "BadRequest",
                                       "A supported MIME type could not be found that matches "
                                       "the content type of the request. Use application/json.");
      return NULL;
    }
  if (length == 0 || !g_utf8_validate (data, length, NULL) ||
      !json_parser_load_from_data (parser, data, length, NULL) ||
      !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    {
      sim_request_respond_graph_error (req, 400, "BadRequest",
                                       "Unable to read JSON request payload. Please ensure "
                                       "Content-Type header is set and payload is of valid JSON "
                                       "format.");
      return NULL;
    }
  return json_node_get_object (json_parser_get_root (parser));
}

char *
sim_graph_skiptoken_encode (SimServer *self,
                            const char *kind,
                            guint offset,
                            guint top,
                            guint64 extra)
{
  g_autofree char *raw = g_strdup_printf ("%s|%s|%u|%u|%" G_GUINT64_FORMAT, kind,
                                          self->skiptoken_key, offset, top, extra);
  char *out = g_base64_encode ((const guchar *) raw, strlen (raw));

  for (char *p = out; *p; p++)
    if (*p == '+')
      *p = '-';
    else if (*p == '/')
      *p = '_';
    else if (*p == '=')
      *p = '\0';
  return out;
}

gboolean
sim_graph_skiptoken_decode (SimServer *self,
                            const char *token,
                            const char *kind,
                            guint *offset,
                            guint *top,
                            guint64 *extra)
{
  g_autofree char *b64 = NULL;
  g_autofree guchar *raw = NULL;
  g_autofree char *text = NULL;
  g_auto (GStrv) parts = NULL;
  gsize len = strlen (token);
  gsize raw_len;
  guint64 v[3];

  if (len == 0 || len > 512)
    return FALSE;
  b64 = g_malloc0 (len + 4);
  for (gsize i = 0; i < len; i++)
    {
      char c = token[i];

      if (!g_ascii_isalnum (c) && c != '-' && c != '_')
        return FALSE;
      b64[i] = c == '-' ? '+' : c == '_' ? '/' : c;
    }
  while (len % 4)
    b64[len++] = '=';
  raw = g_base64_decode (b64, &raw_len);
  text = g_strndup ((const char *) raw, raw_len);
  parts = g_strsplit (text, "|", -1);
  if (g_strv_length (parts) != 5 || !g_str_equal (parts[0], kind) ||
      !g_str_equal (parts[1], self->skiptoken_key))
    return FALSE;
  for (guint i = 0; i < 3; i++)
    if (!g_ascii_string_to_unsigned (parts[i + 2], 10, 0, G_MAXUINT64, &v[i], NULL))
      return FALSE;
  if (v[0] > G_MAXUINT || v[1] > G_MAXUINT)
    return FALSE;
  *offset = v[0];
  *top = v[1];
  *extra = v[2];
  return TRUE;
}

static gboolean
parse_top (SimRequest *req, guint fallback, guint max, guint *top)
{
  const char *value = sim_request_param (req, "$top");
  guint64 n;

  *top = fallback;
  if (value == NULL)
    return TRUE;
  if (!g_ascii_string_to_unsigned (value, 10, 1, max, &n, NULL))
    {
      g_autofree char *message = g_strdup_printf ("Invalid page size specified: '%s'. "
                                                  "Must be between 1 and %u inclusive.",
                                                  value, max);

      sim_request_respond_graph_error (req, 400, "Request_BadRequest", message);
      return FALSE;
    }
  *top = n;
  return TRUE;
}

static char *
next_link (SimServer *self, const char *path, const char *token)
{
  return g_strdup_printf ("%s%s?$skiptoken=%s", self->base_url, path, token);
}

/* ---- users ------------------------------------------------------------ */

static gboolean
parse_select (SimRequest *req, guint32 *mask)
{
  const char *select = sim_request_param (req, "$select");
  g_auto (GStrv) names = NULL;

  *mask = DEFAULT_MASK;
  if (select == NULL || *select == '\0')
    return TRUE;
  names = g_strsplit (select, ",", -1);
  *mask = 1u << P_ID;
  for (guint i = 0; names[i]; i++)
    {
      const char *name = g_strstrip (names[i]);
      gboolean found = FALSE;

      if (*name == '\0')
        continue;
      for (guint p = 0; p < N_PROPS; p++)
        if (g_ascii_strcasecmp (name, prop_names[p]) == 0)
          {
            *mask |= 1u << p;
            found = TRUE;
          }
      if (!found)
        {
          g_autofree char *message = g_strdup_printf ("Could not find a property named '%s' on "
                                                      "type 'Microsoft.DirectoryServices.User'.",
                                                      name);

          sim_request_respond_graph_error (req, 400, "Request_BadRequest", message);
          return FALSE;
        }
    }
  return TRUE;
}

static void
append_member (GString *out, gboolean *first, const char *name)
{
  if (!*first)
    g_string_append_c (out, ',');
  *first = FALSE;
  sim_json_append_string (out, name);
  g_string_append_c (out, ':');
}

/* Pages are written straight into a GString: JsonBuilder is too slow for 100 000 users. */
static void
append_user (GString *out, const SimUser *user, guint32 mask, const char *context)
{
  gboolean first = TRUE;

  g_string_append_c (out, '{');
  if (context != NULL)
    {
      append_member (out, &first, "@odata.context");
      sim_json_append_string (out, context);
    }
  for (guint p = 0; p < N_PROPS; p++)
    {
      const char *value = NULL;

      if (!(mask & (1u << p)))
        continue;
      append_member (out, &first, prop_names[p]);
      switch ((Prop) p)
        {
        case P_BUSINESS_PHONES:
          g_string_append (out, "[]");
          continue;
        case P_ACCOUNT_ENABLED:
          g_string_append (out, user->account_enabled ? "true" : "false");
          continue;
        case P_SYNC:
          g_string_append (out, user->sync < 0 ? "null" : user->sync > 0 ? "true" : "false");
          continue;
        case P_DISPLAY_NAME:
          value = user->display_name;
          break;
        case P_GIVEN_NAME:
          value = user->given_name;
          break;
        case P_JOB_TITLE:
          value = user->job_title;
          break;
        case P_MAIL:
          value = user->mail;
          break;
        case P_SURNAME:
          value = user->surname;
          break;
        case P_UPN:
          value = user->upn;
          break;
        case P_ID:
          value = user->id;
          break;
        case P_DEPARTMENT:
          value = user->department;
          break;
        case P_USER_TYPE:
          value = user->guest ? "Guest" : "Member";
          break;
        case P_ONPREM_UPN:
          value = user->sync >= 0 ? user->upn : NULL;
          break;
        case P_ONPREM_LAST_SYNC:
          value = user->sync > 0 ? "2024-01-01T00:00:00Z" : NULL;
          break;
        case P_MOBILE_PHONE:
        case P_OFFICE_LOCATION:
        case P_PREFERRED_LANGUAGE:
        case N_PROPS:
        default:
          break;
        }
      sim_json_append_string (out, value);
    }
  g_string_append_c (out, '}');
}

static void
respond_text (SimRequest *req, GString *out)
{
  sim_request_respond (req, 200,
                       "application/json;odata.metadata=minimal;"
                       "odata.streaming=true;IEEE754Compatible=false;charset=utf-8",
                       out->str, out->len);
}

static char *
context_url (SimServer *self, const char *entity, guint32 mask, const char *suffix)
{
  GString *context = g_string_new (self->base_url);

  g_string_append_printf (context, "/v1.0/$metadata#%s", entity);
  if (mask != DEFAULT_MASK && mask != 0)
    {
      gboolean first = TRUE;

      g_string_append_c (context, '(');
      for (guint p = 0; p < N_PROPS; p++)
        if (mask & (1u << p))
          {
            g_string_append_printf (context, "%s%s", first ? "" : ",", prop_names[p]);
            first = FALSE;
          }
      g_string_append_c (context, ')');
    }
  g_string_append (context, suffix);
  return g_string_free (context, FALSE);
}

static void
list_users (SimServer *self, SimRequest *req)
{
  SimTenant *tenant = req->token->tenant;
  const char *skiptoken = sim_request_param (req, "$skiptoken");
  g_autoptr (GString) out = NULL;
  g_autofree char *context = NULL;
  guint offset = 0, top, end;
  guint32 mask;

  if (skiptoken != NULL)
    {
      guint64 extra;

      if (!sim_graph_skiptoken_decode (self, skiptoken, "users", &offset, &top, &extra))
        return sim_request_respond_graph_error (req, 400, "Request_BadRequest",
                                                "Invalid or expired $skiptoken.");
      mask = extra;
    }
  else
    {
      if (sim_request_param (req, "$filter") || sim_request_param (req, "$search") ||
          sim_request_param (req, "$orderby"))
        return sim_request_respond_graph_error (req, 400, "Request_UnsupportedQuery",
                                                "The simulator does not support $filter, "
                                                "$search or $orderby on /users.");
      if (!parse_top (req, USERS_DEFAULT_TOP, USERS_MAX_TOP, &top) || !parse_select (req, &mask))
        return;
    }

  end = MIN (offset + top, tenant->users->len);
  context = context_url (self, "users", mask, "");
  out = g_string_sized_new (256 * (end - offset) + 512);
  g_string_append (out, "{\"@odata.context\":");
  sim_json_append_string (out, context);
  if (end < tenant->users->len)
    {
      g_autofree char *token = sim_graph_skiptoken_encode (self, "users", end, top, mask);
      g_autofree char *link = next_link (self, "/v1.0/users", token);

      g_string_append (out, ",\"@odata.nextLink\":");
      sim_json_append_string (out, link);
    }
  g_string_append (out, ",\"value\":[");
  for (guint i = offset; i < end; i++)
    {
      if (i > offset)
        g_string_append_c (out, ',');
      append_user (out, g_ptr_array_index (tenant->users, i), mask, NULL);
    }
  g_string_append (out, "]}");
  respond_text (req, out);
}

static SimUser *
find_user_or_404 (SimRequest *req, const char *key)
{
  SimUser *user = sim_tenant_find_user (req->token->tenant, key);

  if (user == NULL)
    {
      g_autofree char *message = g_strdup_printf ("Resource '%s' does not exist or one of its "
                                                  "queried reference-property objects are not "
                                                  "present.",
                                                  key);

      sim_request_respond_graph_error (req, 404, "Request_ResourceNotFound", message);
    }
  return user;
}

static void
get_user (SimServer *self, SimRequest *req, const char *key)
{
  g_autoptr (GString) out = g_string_new (NULL);
  g_autofree char *context = NULL;
  SimUser *user;
  guint32 mask;

  if (!parse_select (req, &mask) || (user = find_user_or_404 (req, key)) == NULL)
    return;
  context = context_url (self, "users", mask, "/$entity");
  append_user (out, user, mask, context);
  respond_text (req, out);
}

static void
authenticator_methods (SimServer *self, SimRequest *req, const char *key)
{
  g_autoptr (JsonBuilder) b = json_builder_new ();
  g_autofree char *context = NULL;
  SimUser *user = find_user_or_404 (req, key);

  if (user == NULL)
    return;
  context = g_strdup_printf ("%s/v1.0/$metadata#users('%s')/authentication/"
                             "microsoftAuthenticatorMethods",
                             self->base_url, user->id);
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "@odata.context");
  json_builder_add_string_value (b, context);
  json_builder_set_member_name (b, "value");
  json_builder_begin_array (b);
  if (user->authenticator)
    {
      gboolean iphone = user->id[0] < '8';

      json_builder_begin_object (b);
      json_builder_set_member_name (b, "@odata.type");
      json_builder_add_string_value (b,
                                     "#microsoft.graph.microsoftAuthenticatorAuthenticationMethod");
      json_builder_set_member_name (b, "id");
      json_builder_add_string_value (b, user->method_id);
      json_builder_set_member_name (b, "displayName");
      json_builder_add_string_value (b, iphone ? "iPhone 15" : "Pixel 8");
      json_builder_set_member_name (b, "deviceTag");
      json_builder_add_string_value (b, "SoftwareTokenActivated");
      json_builder_set_member_name (b, "phoneAppVersion");
      json_builder_add_string_value (b, iphone ? "6.8.7" : "6.2406.3965");
      json_builder_set_member_name (b, "createdDateTime");
      json_builder_add_string_value (b, "2023-05-11T09:14:03Z");
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  json_builder_end_object (b);
  sim_request_respond_builder (req, 200, b);
}

/* ---- registration report ---------------------------------------------- */

static gboolean
parse_report_filter (SimRequest *req, char **method)
{
  const char *filter = sim_request_param (req, "$filter");
  g_autoptr (GRegex) regex = NULL;
  g_autoptr (GMatchInfo) match = NULL;

  *method = NULL;
  if (filter == NULL)
    return TRUE;
  regex = g_regex_new ("^\\s*methodsRegistered/any\\(\\s*(\\w+)\\s*:\\s*\\1\\s+eq\\s+"
                       "'([A-Za-z]+)'\\s*\\)\\s*$",
                       0, 0, NULL);
  if (g_regex_match (regex, filter, 0, &match))
    {
      *method = g_match_info_fetch (match, 2);
      return TRUE;
    }
  sim_request_respond_graph_error (req, 400, "BadRequest",
                                   "Invalid filter clause: the simulator understands only "
                                   "methodsRegistered/any(m:m eq '<method>').");
  return FALSE;
}

static const char *const *
user_methods (const SimUser *user)
{
  static const char *const push_otp[] = { "microsoftAuthenticatorPush", "softwareOneTimePasscode",
                                          NULL };
  static const char *const otp_push[] = { "softwareOneTimePasscode", "microsoftAuthenticatorPush",
                                          NULL };
  static const char *const otp_only[] = { "softwareOneTimePasscode", NULL };
  static const char *const none[] = { NULL };

  if (user->authenticator)
    return user->push == SIM_PUSH_OTP_DEFAULT ? otp_push : push_otp;
  return user->push == SIM_PUSH_OTP_DEFAULT ? otp_only : none;
}

static void
append_registration (GString *out, const SimUser *user)
{
  const char *const *methods = user_methods (user);
  gboolean registered = methods[0] != NULL;
  const char *mfa = registered ? "true" : "false";
  const char *preferred = !registered                                              ? ""
                          : g_str_equal (methods[0], "microsoftAuthenticatorPush") ? "push"
                                                                                   : "oath";

  g_string_append (out, "{\"id\":");
  sim_json_append_string (out, user->id);
  g_string_append (out, ",\"userPrincipalName\":");
  sim_json_append_string (out, user->upn);
  g_string_append (out, ",\"userDisplayName\":");
  sim_json_append_string (out, user->display_name);
  /* Appended piece by piece rather than through printf: 70 000 of these a load. */
  g_string_append (out, ",\"isAdmin\":false,\"isSsprRegistered\":false,"
                        "\"isSsprEnabled\":false,\"isSsprCapable\":false,\"isMfaRegistered\":");
  g_string_append (out, mfa);
  g_string_append (out, ",\"isMfaCapable\":");
  g_string_append (out, mfa);
  g_string_append (out, ",\"isPasswordlessCapable\":false,"
                        "\"lastUpdatedDateTime\":\"2024-03-13T19:15:41.6195833Z\","
                        "\"methodsRegistered\":[");
  for (guint i = 0; methods[i]; i++)
    {
      if (i > 0)
        g_string_append_c (out, ',');
      sim_json_append_string (out, methods[i]);
    }
  g_string_append (out, "],\"isSystemPreferredAuthenticationMethodEnabled\":true,"
                        "\"systemPreferredAuthenticationMethods\":[");
  if (registered)
    sim_json_append_string (out, preferred);
  g_string_append (out, "],\"userPreferredMethodForSecondaryAuthentication\":");
  sim_json_append_string (out, preferred);
  g_string_append (out, ",\"userType\":");
  sim_json_append_string (out, user->guest ? "guest" : "member");
  g_string_append_c (out, '}');
}

/* Filters are remembered in the skiptoken by index into this table. */
static const char *const report_methods[] = { "",
                                              "microsoftAuthenticatorPush",
                                              "softwareOneTimePasscode",
                                              "microsoftAuthenticatorPasswordless",
                                              "mobilePhone",
                                              "email",
                                              "fido2",
                                              "windowsHelloForBusiness",
                                              NULL };

static void
registration_details (SimServer *self, SimRequest *req)
{
  SimTenant *tenant = req->token->tenant;
  const char *skiptoken = sim_request_param (req, "$skiptoken");
  g_autoptr (GString) out = NULL;
  g_autofree char *method = NULL;
  g_autofree char *context = NULL;
  guint offset = 0, top, emitted = 0, i;
  guint64 filter = 0;

  if (!sim_graph_authorize (req, audit_roles, "Authentication_MSGraphPermissionMissing",
                            "Application missing MSGraph API 'Read all audit log data' permission"))
    return;
  if (!tenant->p1)
    return sim_request_respond_graph_error (req, 403,
                                            "Authentication_RequestFromNonPremiumTenantOrB2CTenant",
                                            "Tenant is not a B2C tenant and doesn't have premium "
                                            "license");
  if (skiptoken != NULL)
    {
      if (!sim_graph_skiptoken_decode (self, skiptoken, "reg", &offset, &top, &filter) ||
          filter >= G_N_ELEMENTS (report_methods) - 1)
        return sim_request_respond_graph_error (req, 400, "Request_BadRequest",
                                                "Invalid or expired $skiptoken.");
    }
  else
    {
      if (!parse_top (req, REPORT_DEFAULT_TOP, REPORT_MAX_TOP, &top) ||
          !parse_report_filter (req, &method))
        return;
      if (method != NULL)
        {
          for (filter = 1; report_methods[filter]; filter++)
            if (g_str_equal (report_methods[filter], method))
              break;
          if (report_methods[filter] == NULL)
            return sim_request_respond_graph_error (req, 400, "BadRequest",
                                                    "Invalid filter clause: unknown method.");
        }
    }

  context = g_strdup_printf ("%s/v1.0/$metadata#reports/authenticationMethods/"
                             "userRegistrationDetails",
                             self->base_url);
  out = g_string_sized_new (600 * top + 512);
  g_string_append (out, "{\"@odata.context\":");
  sim_json_append_string (out, context);
  g_string_append (out, ",\"value\":[");
  for (i = offset; i < tenant->users->len && emitted < top; i++)
    {
      SimUser *user = g_ptr_array_index (tenant->users, i);

      if (filter != 0 && !g_strv_contains (user_methods (user), report_methods[filter]))
        continue;
      if (emitted > 0)
        g_string_append_c (out, ',');
      append_registration (out, user);
      emitted++;
    }
  g_string_append_c (out, ']');
  /* skip ahead so the last page is not an empty one */
  while (
    filter != 0 && i < tenant->users->len &&
    !g_strv_contains (user_methods (g_ptr_array_index (tenant->users, i)), report_methods[filter]))
    i++;
  if (i < tenant->users->len)
    {
      g_autofree char *token = sim_graph_skiptoken_encode (self, "reg", i, top, filter);
      g_autofree char *link = next_link (self,
                                         "/v1.0/reports/authenticationMethods/"
                                         "userRegistrationDetails",
                                         token);

      g_string_append (out, ",\"@odata.nextLink\":");
      sim_json_append_string (out, link);
    }
  g_string_append_c (out, '}');
  respond_text (req, out);
}

/* ---- routing ---------------------------------------------------------- */

static void
method_not_allowed (SimRequest *req)
{
  sim_request_respond_graph_error (req, 405, "Request_BadRequest",
                                   "Specified HTTP method is not allowed for the request target.");
}

static gboolean
route_graph (SimServer *self, SimRequest *req)
{
  guint n = sim_request_n_segments (req);
  const char **s = (const char **) req->segments;
  gboolean get;

  if (n < 2 || !(g_str_equal (s[0], "v1.0") || g_str_equal (s[0], "beta")))
    return FALSE;
  get = g_str_equal (req->method, "GET");

  if (g_str_equal (s[1], "$batch") && n == 2)
    {
      if (!g_str_equal (req->method, "POST"))
        method_not_allowed (req);
      else if (sim_graph_authorize (req, NULL, NULL, NULL))
        sim_graph_batch (self, req);
      return TRUE;
    }
  if (g_str_equal (s[1], "users"))
    {
      if (!sim_graph_authorize (req, n == 5 ? methods_read_roles : user_read_roles, NULL, NULL))
        return TRUE;
      if (!get)
        method_not_allowed (req);
      else if (n == 2)
        list_users (self, req);
      else if (n == 3)
        get_user (self, req, s[2]);
      else if (n == 5 && g_str_equal (s[3], "authentication") &&
               g_str_equal (s[4], "microsoftAuthenticatorMethods"))
        authenticator_methods (self, req, s[2]);
      else
        return FALSE;
      return TRUE;
    }
  if (n == 4 && g_str_equal (s[1], "reports") && g_str_equal (s[2], "authenticationMethods") &&
      g_str_equal (s[3], "userRegistrationDetails"))
    {
      if (!get)
        method_not_allowed (req);
      else
        registration_details (self, req);
      return TRUE;
    }
  if (g_str_has_prefix (s[1], "servicePrincipals"))
    return sim_graph_sp_route (self, req);
  if (g_str_has_prefix (s[1], "applications"))
    return sim_graph_app_route (self, req);
  return FALSE;
}

gboolean
sim_graph_route (SimServer *self, SimRequest *req)
{
  if (route_graph (self, req))
    return TRUE;
  if (sim_request_n_segments (req) >= 2 &&
      (g_str_equal (req->segments[0], "v1.0") || g_str_equal (req->segments[0], "beta")))
    {
      g_autofree char *message =
        g_strdup_printf ("Resource not found for the segment '%s'.", req->segments[1]);

      sim_request_respond_graph_error (req, 400, "BadRequest", message);
      return TRUE;
    }
  return FALSE;
}
