/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cqv-simulator"

#include "config.h"

#include <string.h>

#include "sim-server-private.h"

#define XSI_NS "http://www.w3.org/2001/XMLSchema-instance"
#define MAX_BODY (64 * 1024)
#define SESSION_SECONDS 180.0
#define SIM_OTP_CODE "123456"

struct _SimPush
{
  char *id;
  char *session_id;
  SimServer *server;
  SimTenant *tenant;
  SimUser *user;
  char *context_id;
  char *version;
  SimPushKind kind;
  gboolean challenge;
  gint64 started;
  GDateTime *started_at;
  guint timer_id;
  SimRequest *waiter;

  gboolean done;
  char *value;
  char *message;
  char *result;
  char *response_upn;
  gboolean interactive;
};

typedef struct
{
  GPtrArray *stack; /* local element names */
  GString *text;
  gboolean nil;
  char *root;
  GHashTable *fields; /* child of root → text, absent value = nil */
  GHashTable *props;
  char *key;
  char *value;
} Xml;

/* ---- XML in ----------------------------------------------------------- */

static const char *
local_name (const char *name)
{
  const char *colon = strrchr (name, ':');

  return colon ? colon + 1 : name;
}

static void
xml_start (GMarkupParseContext *context,
           const char *element,
           const char **names,
           const char **values,
           gpointer data,
           GError **error)
{
  Xml *xml = data;

  if (xml->stack->len == 0)
    xml->root = g_strdup (local_name (element));
  g_ptr_array_add (xml->stack, g_strdup (local_name (element)));
  g_string_truncate (xml->text, 0);
  xml->nil = FALSE;
  for (guint i = 0; names[i]; i++)
    if (g_str_equal (local_name (names[i]), "nil") && g_str_equal (values[i], "true"))
      xml->nil = TRUE;
  if (xml->stack->len > 8)
    g_set_error_literal (error, G_MARKUP_ERROR, G_MARKUP_ERROR_INVALID_CONTENT, "too deep");
}

static void
xml_end (GMarkupParseContext *context, const char *element, gpointer data, GError **error)
{
  Xml *xml = data;
  guint depth = xml->stack->len;
  const char *name = g_ptr_array_index (xml->stack, depth - 1);
  const char *parent = depth >= 2 ? g_ptr_array_index (xml->stack, depth - 2) : NULL;
  g_autofree char *text = g_strstrip (g_strdup (xml->text->str));

  if (depth == 2)
    g_hash_table_replace (xml->fields, g_strdup (name), xml->nil ? NULL : g_strdup (text));
  else if (depth == 4 && g_str_equal (parent, "KeyValueOfstringstring"))
    {
      if (g_str_equal (name, "Key"))
        g_free (xml->key), xml->key = g_strdup (text);
      else if (g_str_equal (name, "Value"))
        g_free (xml->value), xml->value = g_strdup (text);
    }
  else if (depth == 3 && g_str_equal (name, "KeyValueOfstringstring"))
    {
      if (xml->key != NULL)
        g_hash_table_replace (xml->props, g_steal_pointer (&xml->key),
                              g_steal_pointer (&xml->value));
      g_clear_pointer (&xml->value, g_free);
    }
  g_string_truncate (xml->text, 0);
  xml->nil = FALSE;
  g_ptr_array_remove_index (xml->stack, depth - 1);
}

static void
xml_text (GMarkupParseContext *context, const char *text, gsize len, gpointer data, GError **error)
{
  Xml *xml = data;

  if (xml->text->len + len > MAX_BODY)
    g_set_error_literal (error, G_MARKUP_ERROR, G_MARKUP_ERROR_INVALID_CONTENT, "too long");
  else
    g_string_append_len (xml->text, text, len);
}

static void
xml_clear (Xml *xml)
{
  g_clear_pointer (&xml->stack, g_ptr_array_unref);
  if (xml->text != NULL)
    g_string_free (g_steal_pointer (&xml->text), TRUE);
  g_free (xml->root);
  g_clear_pointer (&xml->fields, g_hash_table_unref);
  g_clear_pointer (&xml->props, g_hash_table_unref);
  g_free (xml->key);
  g_free (xml->value);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Xml, xml_clear)

static gboolean
xml_parse (Xml *xml, GBytes *body)
{
  static const GMarkupParser parser = { xml_start, xml_end, xml_text, NULL, NULL };
  g_autoptr (GMarkupParseContext) context = NULL;
  gsize length;
  const char *data = g_bytes_get_data (body, &length);

  xml->stack = g_ptr_array_new_with_free_func (g_free);
  xml->text = g_string_new (NULL);
  xml->fields = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  xml->props = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  if (length == 0 || length > MAX_BODY)
    return FALSE;
  context = g_markup_parse_context_new (&parser, G_MARKUP_TREAT_CDATA_AS_TEXT, xml, NULL);
  return g_markup_parse_context_parse (context, data, length, NULL) &&
         g_markup_parse_context_end_parse (context, NULL) && xml->root != NULL;
}

static const char *
field (Xml *xml, const char *name)
{
  return g_hash_table_lookup (xml->fields, name);
}

static gboolean
parse_xml_bool (const char *text, gboolean fallback, gboolean *out)
{
  *out = fallback;
  if (text == NULL)
    return TRUE;
  if (g_str_equal (text, "true") || g_str_equal (text, "1"))
    *out = TRUE;
  else if (g_str_equal (text, "false") || g_str_equal (text, "0"))
    *out = FALSE;
  else
    return FALSE;
  return TRUE;
}

/* ---- XML out ---------------------------------------------------------- */

typedef struct
{
  const char *root;
  const char *version;
  const char *value;
  const char *message;
  gboolean retry;
  const char *session_id;
  const char *result; /* NULL → i:nil */
  const char *upn;
  const char *affinity; /* NULL → i:nil */
  gboolean end;
  gboolean completed;
} Reply;

static void
append_element (GString *out, const char *name, const char *value)
{
  if (value == NULL)
    g_string_append_printf (out, "<%s i:nil=\"true\"/>", name);
  else
    {
      g_autofree char *escaped = g_markup_escape_text (value, -1);

      g_string_append_printf (out, "<%s>%s</%s>", name, escaped, name);
    }
}

static void
respond_reply (SimRequest *req, const Reply *r)
{
  g_autoptr (GString) out = g_string_new ("<?xml version=\"1.0\" encoding=\"utf-8\"?>");

  g_string_append_printf (out, "<%s xmlns:i=\"" XSI_NS "\">", r->root);
  append_element (out, "Version", r->version ? r->version : "1.0");
  g_string_append (out, "<Result>");
  append_element (out, "Value", r->value);
  append_element (out, "Message", r->message);
  append_element (out, "Retry", r->retry ? "true" : "false");
  append_element (out, "Error", NULL);
  append_element (out, "Exception", NULL);
  append_element (out, "RenewCert", "false");
  g_string_append (out, "</Result>");
  append_element (out, "SessionId", r->session_id);
  append_element (out, "AuthenticationResult", r->result);
  append_element (out, "UserPrincipalName", r->upn);
  append_element (out, "AffinityUrl", r->affinity);
  append_element (out, "ValidEntropyNumber", "0");
  if (r->end)
    {
      append_element (out, "LocationData", NULL);
      append_element (out, "CompletedInteractively", r->completed ? "true" : "false");
    }
  g_string_append_printf (out, "</%s>", r->root);
  sim_request_respond (req, 200, "application/xml; charset=utf-8", out->str, out->len);
}

static void
respond_simple (SimRequest *req,
                const char *root,
                const char *version,
                const char *value,
                const char *message,
                const char *result,
                const char *upn)
{
  g_autofree char *session = sim_guid_random ();
  Reply r = { root,    version, value, message, FALSE,
              session, result,  upn,   NULL,    g_str_has_prefix (root, "End"),
              FALSE };

  respond_reply (req, &r);
}

static char *
affinity_url (SimServer *self)
{
  return g_strdup_printf ("%s/StrongAuthenticationService.svc/Connector/"
                          "EndTwoWayAuthentication?dc=SIM",
                          self->base_url);
}

/* ---- pushes ----------------------------------------------------------- */

void
sim_push_free (SimPush *push)
{
  g_clear_handle_id (&push->timer_id, g_source_remove);
  g_clear_pointer (&push->waiter, sim_request_unref);
  g_clear_pointer (&push->started_at, g_date_time_unref);
  g_free (push->id);
  g_free (push->session_id);
  g_free (push->context_id);
  g_free (push->version);
  g_free (push->value);
  g_free (push->message);
  g_free (push->result);
  g_free (push->response_upn);
  g_free (push);
}

static const char *
other_upn (SimPush *push)
{
  for (guint i = 0; i < push->tenant->users->len; i++)
    {
      SimUser *user = g_ptr_array_index (push->tenant->users, i);

      if (user != push->user)
        return user->upn;
    }
  return "someone.else@example.com";
}

static void
push_resolve (SimPush *push,
              const char *value,
              const char *result,
              const char *message,
              gboolean interactive)
{
  SimServer *self = push->server;

  if (push->done)
    return;
  g_clear_handle_id (&push->timer_id, g_source_remove);
  push->done = TRUE;
  push->value = g_strdup (value);
  push->result = g_strdup (result);
  push->message = g_strdup (message);
  push->interactive = interactive;
  push->response_upn =
    g_strdup (push->kind == SIM_PUSH_WRONG_UPN && g_str_equal (value, "Success") ? other_upn (push)
                                                                                 : push->user->upn);
  if (g_hash_table_lookup (self->pending_by_user, push->user) == push)
    g_hash_table_remove (self->pending_by_user, push->user);
  g_message ("push %s for %s: %s", push->id, push->user->upn, value);

  if (push->waiter != NULL)
    {
      g_autoptr (SimRequest) waiter = g_steal_pointer (&push->waiter);
      Reply r = { "BeginTwoWayAuthenticationResponse",
                  push->version,
                  value,
                  message,
                  FALSE,
                  push->session_id,
                  result,
                  push->response_upn,
                  NULL,
                  FALSE,
                  FALSE };

      respond_reply (waiter, &r);
      sim_request_finish (waiter);
    }
  sim_server_pushes_changed (self);
}

static void
push_answer (SimPush *push, const char *answer)
{
  if (g_str_equal (answer, "approve"))
    push_resolve (push, "Success", "true", NULL, TRUE);
  else if (g_str_equal (answer, "deny"))
    push_resolve (push, "PhoneAppDenied", "false", "The user denied the request.", TRUE);
  else if (g_str_equal (answer, "fraud"))
    push_resolve (push, "PhoneAppFraudReported", "false", "The user reported fraud.", TRUE);
  else
    push_resolve (push, "PhoneAppNoResponse", "false", "The user did not respond.", FALSE);
}

static gboolean
push_timer_cb (gpointer data)
{
  SimPush *push = data;
  SimServer *self = push->server;
  gint64 waited = g_get_monotonic_time () - push->started;
  gboolean window_over =
    waited + 1000 >= sim_server_scale_us (self, self->scenario->push_window_seconds);

  push->timer_id = 0;
  if (window_over)
    push_answer (push, "timeout");
  else if (push->kind == SIM_PUSH_DENY)
    push_answer (push, "deny");
  else if (push->kind == SIM_PUSH_FRAUD)
    push_answer (push, "fraud");
  else
    push_answer (push, "approve");
  return G_SOURCE_REMOVE;
}

static SimPush *
push_start (SimServer *self,
            SimRequest *req,
            SimUser *user,
            SimPushKind kind,
            const char *context_id,
            const char *version)
{
  SimPush *push = g_new0 (SimPush, 1);
  double window = self->scenario->push_window_seconds;
  double wait = window;

  push->id = sim_guid_random ();
  push->session_id = sim_guid_random ();
  push->server = self;
  push->tenant = req->token->tenant;
  push->user = user;
  push->kind = kind;
  push->context_id = g_strdup (context_id);
  push->version = g_strdup (version);
  push->started = g_get_monotonic_time ();
  push->started_at = g_date_time_new_now_utc ();
  if (kind == SIM_PUSH_APPROVE || kind == SIM_PUSH_DENY || kind == SIM_PUSH_FRAUD ||
      kind == SIM_PUSH_WRONG_UPN)
    wait = MIN (user->delay_seconds, window);
  push->timer_id = g_timeout_add (sim_server_scale_ms (self, wait), push_timer_cb, push);
  user->pushes++;
  g_hash_table_insert (self->pushes, push->id, push);
  g_hash_table_insert (self->sessions, push->session_id, push);
  g_hash_table_insert (self->pending_by_user, user, push);
  g_message ("push %s sent to %s (context %s)", push->id, user->upn,
             context_id ? context_id : "none");
  sim_server_pushes_changed (self);
  return push;
}

static SimPush *
challenge_start (SimServer *self, SimRequest *req, SimUser *user, const char *version)
{
  SimPush *push = g_new0 (SimPush, 1);

  push->id = sim_guid_random ();
  push->session_id = sim_guid_random ();
  push->server = self;
  push->tenant = req->token->tenant;
  push->user = user;
  push->kind = SIM_PUSH_OTP_DEFAULT;
  push->challenge = TRUE;
  push->version = g_strdup (version);
  push->started = g_get_monotonic_time ();
  push->started_at = g_date_time_new_now_utc ();
  g_hash_table_insert (self->pushes, push->id, push);
  g_hash_table_insert (self->sessions, push->session_id, push);
  return push;
}

/* ---- Begin / End ------------------------------------------------------ */

static void
begin (SimServer *self, SimRequest *req, Xml *xml)
{
  const char *root = "BeginTwoWayAuthenticationResponse";
  const char *version = field (xml, "Version");
  const char *upn = field (xml, "UserPrincipalName");
  const char *method = field (xml, "AuthenticationMethodId");
  const char *override = g_hash_table_lookup (xml->props, "OverrideNumberMatchingWithOTP");
  gboolean sync, require, forced = g_strcmp0 (method, "PhoneAppNotification") == 0;
  SimTenant *tenant = req->token->tenant;
  SimUser *user;
  SimPushKind kind;
  SimPush *push;

  if (!g_str_equal (xml->root, "BeginTwoWayAuthenticationRequest") || upn == NULL || *upn == '\0' ||
      version == NULL || !parse_xml_bool (field (xml, "SyncCall"), FALSE, &sync) ||
      !parse_xml_bool (field (xml, "RequireUserMatch"), FALSE, &require))
    return respond_simple (req, root, version, "InvalidParameter",
                           "The request is missing a parameter or has an invalid one.", NULL, upn);
  if (!g_str_equal (version, "1.0") && !g_str_equal (version, "1"))
    return respond_simple (req, root, version, "VersionNotSupported", NULL, NULL, upn);

  user = sim_tenant_find_user (tenant, upn);
  if (user == NULL)
    {
      SimTenant *other = sim_scenario_find_tenant_of_upn (self->scenario, upn);

      if (other != NULL && other != tenant)
        return respond_simple (req, root, version, "AccessDenied",
                               "Caller tenant doesn't have access permissions to do "
                               "authentication for the user.",
                               "false", upn);
      return respond_simple (req, root, version, "UserNotFound", NULL, "false", upn);
    }
  user->begins++;
  if (g_hash_table_contains (self->pending_by_user, user))
    return respond_simple (req, root, version, "UserAuthFailedDuplicateRequest",
                           "Auth already in progress.", "false", user->upn);

  kind = sim_user_effective_push (user);
  if (kind == SIM_PUSH_OTP_DEFAULT && forced)
    kind = SIM_PUSH_APPROVE;
  switch (kind)
    {
    case SIM_PUSH_NOT_ENROLLED:
      if (!require)
        return respond_simple (req, root, version, "Success", NULL, "true", user->upn);
      return respond_simple (req, root, version, "AuthenticationMethodNotConfigured",
                             "No authentication method is configured for the user.", "false",
                             user->upn);
    case SIM_PUSH_BLOCKED:
      return respond_simple (req, root, version, "UserIsBlocked", "The user is blocked.", "false",
                             user->upn);
    case SIM_PUSH_DUPLICATE:
      return respond_simple (req, root, version, "UserAuthFailedDuplicateRequest",
                             "Auth already in progress.", "false", user->upn);
    case SIM_PUSH_THROTTLED:
      return respond_simple (req, root, version, "AuthenticationThrottled",
                             "Too many authentication attempts.", "false", user->upn);
    case SIM_PUSH_MALFORMED:
      return sim_request_respond (req, 200, "application/xml; charset=utf-8",
                                  "<BeginTwoWayAuthenticationResponse><Result><Value>Succ", -1);
    default:
      break;
    }

  if (kind == SIM_PUSH_OTP_DEFAULT || (user->authenticator && g_strcmp0 (override, "true") == 0))
    {
      g_autofree char *affinity = affinity_url (self);
      Reply r = { root,        version,   "Success", NULL,  FALSE, NULL,
                  "challenge", user->upn, affinity,  FALSE, FALSE };

      push = challenge_start (self, req, user, version);
      r.session_id = push->session_id;
      return respond_reply (req, &r);
    }

  push = push_start (self, req, user, kind, field (xml, "ContextId"), version);
  if (sync)
    {
      push->waiter = sim_request_ref (req);
      sim_request_pause (req);
    }
  else
    {
      g_autofree char *affinity = affinity_url (self);
      Reply r = { root, version,   "Success", NULL,  FALSE, push->session_id,
                  NULL, user->upn, affinity,  FALSE, FALSE };

      respond_reply (req, &r);
    }
}

static void
end (SimServer *self, SimRequest *req, Xml *xml)
{
  const char *root = "EndTwoWayAuthenticationResponse";
  const char *version = field (xml, "Version");
  const char *session = field (xml, "SessionId");
  const char *code = field (xml, "AdditionalAuthData");
  SimPush *push = session ? g_hash_table_lookup (self->sessions, session) : NULL;
  Reply r = { root, version, NULL, NULL, FALSE, session, NULL, NULL, NULL, TRUE, FALSE };

  if (!g_str_equal (xml->root, "EndTwoWayAuthenticationRequest") || session == NULL)
    return respond_simple (req, root, version, "InvalidParameter",
                           "The request is missing a parameter or has an invalid one.", NULL,
                           field (xml, "UserPrincipalName"));
  if (push == NULL || push->tenant != req->token->tenant)
    return respond_simple (req, root, version, "InvalidSession", "The session is not valid.", NULL,
                           field (xml, "UserPrincipalName"));
  r.upn = push->user->upn;
  if (g_get_monotonic_time () - push->started > sim_server_scale_us (self, SESSION_SECONDS))
    {
      r.value = "InvalidSession";
      r.message = "The session has taken more than three minutes to complete.";
    }
  else if (push->challenge)
    {
      gboolean right = g_strcmp0 (code, SIM_OTP_CODE) == 0;

      r.value = code == NULL ? "AuthenticationPending" : right ? "Success" : "OathCodeIncorrect";
      r.retry = code == NULL;
      r.result = code == NULL ? NULL : right ? "true" : "false";
      r.completed = right;
    }
  else if (!push->done)
    {
      r.value = "AuthenticationPending";
      r.message = "The authentication has not been completed yet, please try again.";
      r.retry = TRUE;
    }
  else
    {
      r.value = push->value;
      r.message = push->message;
      r.result = push->result;
      r.upn = push->response_upn;
      r.completed = push->interactive;
    }
  respond_reply (req, &r);
}

gboolean
sim_connector_route (SimServer *self, SimRequest *req)
{
  g_auto (Xml) xml = { 0 };
  const char *content_type = sim_request_header (req, "Content-Type");
  const char *action = sim_request_segment (req, 2);
  SimToken *token = req->token;
  gboolean is_begin;

  if (sim_request_n_segments (req) != 3 ||
      !g_str_equal (req->segments[0], "StrongAuthenticationService.svc") ||
      !g_str_equal (req->segments[1], "Connector"))
    return FALSE;
  is_begin = g_str_equal (action, "BeginTwoWayAuthentication");
  if (!is_begin && !g_str_equal (action, "EndTwoWayAuthentication"))
    return FALSE;

  if (!g_str_equal (req->method, "POST"))
    sim_request_respond (req, 405, "text/plain", "Method not allowed", -1);
  else if (token == NULL || !token->connector ||
           g_strcmp0 (token->app_id, SIM_MFA_CLIENT_APP_ID) != 0 ||
           token->expires <= g_get_real_time () / G_USEC_PER_SEC)
    {
      sim_request_respond (req, 401, "text/plain",
                           "Unauthorized: a connector token issued to "
                           "the Azure Multi-Factor Auth Client is required.",
                           -1);
      sim_request_set_header (req, "WWW-Authenticate", "Bearer");
    }
  else if (content_type == NULL || !(g_str_has_prefix (content_type, "application/xml") ||
                                     g_str_has_prefix (content_type, "text/xml")))
    sim_request_respond (req, 415, "text/plain", "Unsupported Media Type: use application/xml", -1);
  else if (!xml_parse (&xml, req->body))
    respond_simple (
      req, is_begin ? "BeginTwoWayAuthenticationResponse" : "EndTwoWayAuthenticationResponse", NULL,
      "InvalidParameter", "The request body is not valid XML.", NULL, NULL);
  else if (is_begin)
    begin (self, req, &xml);
  else
    end (self, req, &xml);
  return TRUE;
}

/* ---- control ---------------------------------------------------------- */

static const char *
kind_name (SimPushKind kind)
{
  switch (kind)
    {
    case SIM_PUSH_INTERACTIVE:
      return "interactive";
    case SIM_PUSH_NO_ANSWER:
      return "no-answer";
    case SIM_PUSH_DENY:
      return "deny";
    case SIM_PUSH_FRAUD:
      return "fraud";
    case SIM_PUSH_WRONG_UPN:
      return "wrong-upn";
    default:
      return "approve";
    }
}

static int
compare_info (gconstpointer a, gconstpointer b)
{
  const SimPushInfo *x = *(SimPushInfo **) a;
  const SimPushInfo *y = *(SimPushInfo **) b;

  return g_date_time_compare (x->started_at, y->started_at);
}

GPtrArray *
sim_connector_list_pending (SimServer *self)
{
  GPtrArray *list = g_ptr_array_new_with_free_func ((GDestroyNotify) sim_push_info_free);
  GHashTableIter iter;
  SimPush *push;

  g_hash_table_iter_init (&iter, self->pending_by_user);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &push))
    {
      SimPushInfo *info = g_new0 (SimPushInfo, 1);

      info->id = g_strdup (push->id);
      info->upn = g_strdup (push->user->upn);
      info->display_name = g_strdup (push->user->display_name);
      info->tenant_id = g_strdup (push->tenant->tenant_id);
      info->tenant_name = g_strdup (push->tenant->display_name);
      info->context_id = g_strdup (push->context_id);
      info->kind = g_strdup (kind_name (push->kind));
      info->started_at = g_date_time_ref (push->started_at);
      g_ptr_array_add (list, info);
    }
  g_ptr_array_sort (list, compare_info);
  return list;
}

JsonNode *
sim_connector_pending_json (SimServer *self)
{
  g_autoptr (GPtrArray) list = sim_connector_list_pending (self);
  g_autoptr (JsonBuilder) b = json_builder_new ();

  json_builder_begin_array (b);
  for (guint i = 0; i < list->len; i++)
    {
      SimPushInfo *info = g_ptr_array_index (list, i);
      g_autofree char *started = sim_format_date_time (info->started_at);

      json_builder_begin_object (b);
      json_builder_set_member_name (b, "id");
      json_builder_add_string_value (b, info->id);
      json_builder_set_member_name (b, "upn");
      json_builder_add_string_value (b, info->upn);
      json_builder_set_member_name (b, "display_name");
      json_builder_add_string_value (b, info->display_name);
      json_builder_set_member_name (b, "tenant");
      json_builder_add_string_value (b, info->tenant_id);
      json_builder_set_member_name (b, "context_id");
      if (info->context_id)
        json_builder_add_string_value (b, info->context_id);
      else
        json_builder_add_null_value (b);
      json_builder_set_member_name (b, "kind");
      json_builder_add_string_value (b, info->kind);
      json_builder_set_member_name (b, "started_at");
      json_builder_add_string_value (b, started);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  return json_builder_get_root (b);
}

gboolean
sim_connector_answer (SimServer *self, const char *id, const char *answer, GError **error)
{
  SimPush *push = id ? g_hash_table_lookup (self->pushes, id) : NULL;

  if (push == NULL || push->done || push->challenge)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND, "no pending push “%s”", id);
      return FALSE;
    }
  if (!g_str_equal (answer, "approve") && !g_str_equal (answer, "deny") &&
      !g_str_equal (answer, "fraud") && !g_str_equal (answer, "timeout"))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   "answer must be approve, deny, fraud or timeout");
      return FALSE;
    }
  push_answer (push, answer);
  return TRUE;
}
