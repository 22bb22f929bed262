/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cqv-simulator"

#include "config.h"

#include <string.h>

#include "sim-server-private.h"

static const char *graph_resources[] = {
  "https://graph.microsoft.com",          "https://graph.microsoft.us",
  "https://dod-graph.microsoft.us",       "https://microsoftgraph.chinacloudapi.cn",
  "00000003-0000-0000-c000-000000000000",
};

static const char *connector_resources[] = {
  "https://adnotifications.windowsazure.com/StrongAuthenticationService.svc/Connector",
  "https://adnotifications.windowsazure.us/StrongAuthenticationService.svc/Connector",
  "https://adnotifications.windowsazure.cn/StrongAuthenticationService.svc/Connector",
};

typedef enum
{
  RESOURCE_UNKNOWN,
  RESOURCE_GRAPH,
  RESOURCE_CONNECTOR,
} Resource;

void
sim_token_free (SimToken *token)
{
  g_free (token->app_id);
  g_free (token->audience);
  g_strfreev (token->roles);
  g_free (token);
}

static char *
base64url (const char *data, gsize length)
{
  char *out = g_base64_encode ((const guchar *) data, length);
  char *p;

  for (p = out; *p; p++)
    {
      if (*p == '+')
        *p = '-';
      else if (*p == '/')
        *p = '_';
      else if (*p == '=')
        {
          *p = '\0';
          break;
        }
    }
  return out;
}

static char *
node_to_string (JsonNode *node, gsize *length)
{
  g_autoptr (JsonGenerator) gen = json_generator_new ();

  json_generator_set_root (gen, node);
  return json_generator_to_data (gen, length);
}

/* ---- errors ----------------------------------------------------------- */

static void
respond_aadsts (SimRequest *req, guint status, const char *error, guint code, const char *text)
{
  g_autoptr (JsonBuilder) b = json_builder_new ();
  g_autoptr (GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *stamp = g_date_time_format (now, "%Y-%m-%d %H:%M:%SZ");
  g_autofree char *trace = sim_guid_random ();
  g_autofree char *correlation = sim_guid_random ();
  g_autofree char *description = NULL;
  g_autofree char *uri = NULL;

  description = g_strdup_printf ("AADSTS%u: %s\r\nTrace ID: %s\r\nCorrelation ID: %s\r\n"
                                 "Timestamp: %s",
                                 code, text, trace, correlation, stamp);
  uri = g_strdup_printf ("%s/error?code=%u", req->server->base_url, code);
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "error");
  json_builder_add_string_value (b, error);
  json_builder_set_member_name (b, "error_description");
  json_builder_add_string_value (b, description);
  json_builder_set_member_name (b, "error_codes");
  json_builder_begin_array (b);
  json_builder_add_int_value (b, code);
  json_builder_end_array (b);
  json_builder_set_member_name (b, "timestamp");
  json_builder_add_string_value (b, stamp);
  json_builder_set_member_name (b, "trace_id");
  json_builder_add_string_value (b, trace);
  json_builder_set_member_name (b, "correlation_id");
  json_builder_add_string_value (b, correlation);
  json_builder_set_member_name (b, "error_uri");
  json_builder_add_string_value (b, uri);
  json_builder_end_object (b);
  sim_request_respond_builder (req, status, b);
}

G_GNUC_PRINTF (5, 6)
static void
respond_aadsts_printf (SimRequest *req,
                       guint status,
                       const char *error,
                       guint code,
                       const char *format,
                       ...)
{
  g_autofree char *text = NULL;
  va_list args;

  va_start (args, format);
  text = g_strdup_vprintf (format, args);
  va_end (args);
  respond_aadsts (req, status, error, code, text);
}

static void
respond_missing (SimRequest *req, const char *param)
{
  respond_aadsts_printf (req, 400, "invalid_request", 900144,
                         "The request body must contain the following parameter: '%s'.", param);
}

/* ---- tokens ----------------------------------------------------------- */

static Resource
classify_resource (const char *resource, char **normalized)
{
  g_autofree char *trimmed = g_strdup (resource);
  gsize len = strlen (trimmed);

  if (len > 0 && trimmed[len - 1] == '/')
    trimmed[len - 1] = '\0';
  for (guint i = 0; i < G_N_ELEMENTS (graph_resources); i++)
    if (g_ascii_strcasecmp (trimmed, graph_resources[i]) == 0)
      {
        *normalized = g_strdup (graph_resources[i]);
        return RESOURCE_GRAPH;
      }
  for (guint i = 0; i < G_N_ELEMENTS (connector_resources); i++)
    if (g_ascii_strcasecmp (trimmed, connector_resources[i]) == 0)
      {
        *normalized = g_strdup (connector_resources[i]);
        return RESOURCE_CONNECTOR;
      }
  return RESOURCE_UNKNOWN;
}

static char *
mint_token (SimServer *self,
            SimTenant *tenant,
            const char *app_id,
            const char *audience,
            GStrv roles,
            gboolean v2,
            gint64 *expires_out)
{
  g_autoptr (JsonBuilder) b = json_builder_new ();
  g_autoptr (JsonNode) payload = NULL;
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;
  gint64 exp = now + self->scenario->token_lifetime_seconds;
  g_autofree char *iss = NULL;
  g_autofree char *jti = sim_guid_random ();
  g_autofree char *payload_json = NULL;
  g_autofree char *h64 = NULL;
  g_autofree char *p64 = NULL;
  g_autofree char *s64 = NULL;
  SimServicePrincipal *sp = sim_tenant_find_sp (tenant, app_id);
  g_autofree char *oid_seed = g_strdup_printf ("oid/%s/%s", tenant->tenant_id, app_id);
  g_autofree char *oid = sp ? g_strdup (sp->id) : sim_guid_from_string (oid_seed);
  const char *header = "{\"typ\":\"JWT\",\"alg\":\"RS256\",\"kid\":\"simulator\"}";
  const char *signature = "simulator-signature";
  gsize length;

  iss = v2 ? g_strdup_printf ("%s/%s/v2.0", self->base_url, tenant->tenant_id)
           : g_strdup_printf ("https://sts.windows.net/%s/", tenant->tenant_id);
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "aud");
  json_builder_add_string_value (b, audience);
  json_builder_set_member_name (b, "iss");
  json_builder_add_string_value (b, iss);
  json_builder_set_member_name (b, "iat");
  json_builder_add_int_value (b, now);
  json_builder_set_member_name (b, "nbf");
  json_builder_add_int_value (b, now);
  json_builder_set_member_name (b, "exp");
  json_builder_add_int_value (b, exp);
  json_builder_set_member_name (b, "appid");
  json_builder_add_string_value (b, app_id);
  json_builder_set_member_name (b, "idtyp");
  json_builder_add_string_value (b, "app");
  json_builder_set_member_name (b, "oid");
  json_builder_add_string_value (b, oid);
  if (roles != NULL && roles[0] != NULL)
    {
      json_builder_set_member_name (b, "roles");
      json_builder_begin_array (b);
      for (guint i = 0; roles[i]; i++)
        json_builder_add_string_value (b, roles[i]);
      json_builder_end_array (b);
    }
  json_builder_set_member_name (b, "sub");
  json_builder_add_string_value (b, oid);
  json_builder_set_member_name (b, "tid");
  json_builder_add_string_value (b, tenant->tenant_id);
  json_builder_set_member_name (b, "uti");
  json_builder_add_string_value (b, jti);
  json_builder_set_member_name (b, "ver");
  json_builder_add_string_value (b, v2 ? "2.0" : "1.0");
  json_builder_end_object (b);
  payload = json_builder_get_root (b);
  payload_json = node_to_string (payload, &length);

  h64 = base64url (header, strlen (header));
  p64 = base64url (payload_json, length);
  s64 = base64url (signature, strlen (signature));
  *expires_out = exp;
  return g_strconcat (h64, ".", p64, ".", s64, NULL);
}

static gboolean
check_mfa_client_secret (SimServer *self,
                         SimRequest *req,
                         SimServicePrincipal *sp,
                         const char *secret)
{
  g_autoptr (GDateTime) now = g_date_time_new_now_utc ();
  gint64 mono = g_get_monotonic_time ();

  for (guint i = 0; i < sp->passwords->len; i++)
    {
      SimPassword *pw = g_ptr_array_index (sp->passwords, i);

      if (g_strcmp0 (pw->secret, secret) != 0)
        continue;
      if (mono < pw->usable_after || g_date_time_compare (pw->start, now) > 0)
        break;
      if (g_date_time_compare (pw->end, now) <= 0)
        {
          respond_aadsts_printf (req, 401, "invalid_client", 7000222,
                                 "The provided client secret keys for app '%s' are expired. "
                                 "Visit the Azure portal to create new keys for your app: "
                                 "https://aka.ms/NewClientSecret, or consider using certificate "
                                 "credentials for added security: https://aka.ms/certCreds.",
                                 sp->app_id);
          return FALSE;
        }
      return TRUE;
    }
  respond_aadsts_printf (req, 401, "invalid_client", 7000215,
                         "Invalid client secret provided. Ensure the secret being sent in the "
                         "request is the client secret value, not the client secret ID, for a "
                         "secret added to app '%s'.",
                         sp->app_id);
  return FALSE;
}

static const char *
form_get (GHashTable *form, const char *name)
{
  const char *value = form ? g_hash_table_lookup (form, name) : NULL;

  return value && *value ? value : NULL;
}

static char *
resource_from_scope (const char *scope)
{
  g_auto (GStrv) scopes = g_strsplit (scope, " ", -1);

  for (guint i = 0; scopes[i]; i++)
    if (g_str_has_suffix (scopes[i], "/.default"))
      return g_strndup (scopes[i], strlen (scopes[i]) - strlen ("/.default"));
  return NULL;
}

static gboolean
authenticate_client (SimServer *self,
                     SimRequest *req,
                     SimTenant *tenant,
                     const char *client_id,
                     const char *secret,
                     Resource kind,
                     GStrv *roles)
{
  SimApp *app;

  if (g_ascii_strcasecmp (client_id, SIM_MFA_CLIENT_APP_ID) == 0)
    {
      SimServicePrincipal *sp = sim_tenant_find_sp (tenant, SIM_MFA_CLIENT_APP_ID);

      if (sp == NULL)
        goto not_found;
      if (!sp->enabled)
        {
          respond_aadsts_printf (req, 400, "unauthorized_client", 7000112,
                                 "Application '%s'(Azure Multi-Factor Auth Client) is disabled.",
                                 SIM_MFA_CLIENT_APP_ID);
          return FALSE;
        }
      if (secret == NULL)
        goto no_secret;
      return check_mfa_client_secret (self, req, sp, secret);
    }

  app = sim_tenant_find_app (tenant, client_id);
  if (app == NULL)
    goto not_found;
  if (secret == NULL)
    goto no_secret;
  if (app->secret == NULL || strcmp (app->secret, secret) != 0)
    {
      respond_aadsts_printf (req, 401, "invalid_client", 7000215,
                             "Invalid client secret provided. Ensure the secret being sent in "
                             "the request is the client secret value, not the client secret ID, "
                             "for a secret added to app '%s'.",
                             app->client_id);
      return FALSE;
    }
  if (app->secret_expired)
    {
      respond_aadsts_printf (req, 401, "invalid_client", 7000222,
                             "The provided client secret keys for app '%s' are expired. Visit "
                             "the Azure portal to create new keys for your app: "
                             "https://aka.ms/NewClientSecret, or consider using certificate "
                             "credentials for added security: https://aka.ms/certCreds.",
                             app->client_id);
      return FALSE;
    }
  if (!app->consented)
    {
      respond_aadsts_printf (req, 400, "invalid_grant", 65001,
                             "The user or administrator has not consented to use the "
                             "application with ID '%s' named '%s'. Send an interactive "
                             "authorization request for this user and resource.",
                             app->client_id,
                             app->display_name ? app->display_name : "CyberQP Verify");
      return FALSE;
    }
  if (kind == RESOURCE_GRAPH)
    *roles = g_strdupv (app->roles);
  return TRUE;

not_found:
  respond_aadsts_printf (req, 400, "unauthorized_client", 700016,
                         "Application with identifier '%s' was not found in the directory "
                         "'%s'. This can happen if the application has not been installed by "
                         "the administrator of the tenant or consented to by any user in the "
                         "tenant. You may have sent your authentication request to the wrong "
                         "tenant.",
                         client_id, tenant->display_name);
  return FALSE;

no_secret:
  respond_aadsts (req, 400, "invalid_client", 7000216,
                  "'client_assertion', 'client_secret' or 'request' is required for the "
                  "'client_credentials' grant type.");
  return FALSE;
}

static void
answer_token (SimServer *self,
              SimRequest *req,
              const char *access_token,
              const char *resource,
              gint64 expires,
              gboolean v2)
{
  g_autoptr (JsonBuilder) b = json_builder_new ();
  int lifetime = self->scenario->token_lifetime_seconds;

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "token_type");
  json_builder_add_string_value (b, "Bearer");
  if (v2)
    {
      json_builder_set_member_name (b, "expires_in");
      json_builder_add_int_value (b, lifetime);
      json_builder_set_member_name (b, "ext_expires_in");
      json_builder_add_int_value (b, lifetime);
    }
  else
    {
      g_autofree char *in = g_strdup_printf ("%d", lifetime);
      g_autofree char *on = g_strdup_printf ("%" G_GINT64_FORMAT, expires);
      g_autofree char *nbf = g_strdup_printf ("%" G_GINT64_FORMAT, expires - lifetime);

      json_builder_set_member_name (b, "expires_in");
      json_builder_add_string_value (b, in);
      json_builder_set_member_name (b, "ext_expires_in");
      json_builder_add_string_value (b, in);
      json_builder_set_member_name (b, "expires_on");
      json_builder_add_string_value (b, on);
      json_builder_set_member_name (b, "not_before");
      json_builder_add_string_value (b, nbf);
      json_builder_set_member_name (b, "resource");
      json_builder_add_string_value (b, resource);
    }
  json_builder_set_member_name (b, "access_token");
  json_builder_add_string_value (b, access_token);
  json_builder_end_object (b);
  sim_request_respond_builder (req, 200, b);
  sim_request_set_header (req, "Cache-Control", "no-store, no-cache");
}

static void
token_request (SimServer *self, SimRequest *req, const char *tenant_name, gboolean v2)
{
  g_autoptr (GHashTable) form = NULL;
  g_autofree char *resource = NULL;
  g_autofree char *audience = NULL;
  g_auto (GStrv) roles = NULL;
  SimToken *token;
  SimTenant *tenant;
  const char *content_type = sim_request_header (req, "Content-Type");
  const char *grant_type, *client_id, *secret;
  Resource kind;
  char *access_token;
  gint64 expires;

  if (!g_str_equal (req->method, "POST"))
    return respond_aadsts (
      req, 405, "invalid_request", 900561,
      "The endpoint only accepts POST, OPTIONS requests. Received a GET request.");
  if (content_type && g_ascii_strncasecmp (content_type, "application/x-www-form-urlencoded",
                                           strlen ("application/x-www-form-urlencoded")) == 0)
    {
      gsize length;
      const char *data = g_bytes_get_data (req->body, &length);
      g_autofree char *text = g_strndup (data, length);

      form = soup_form_decode (text);
    }

  tenant = sim_scenario_find_tenant (self->scenario, tenant_name);
  if (tenant == NULL)
    return respond_aadsts_printf (req, 400, "invalid_request", 90002,
                                  "Tenant '%s' not found. Check to make sure you have the correct "
                                  "tenant ID and are signing into the correct cloud. Check with "
                                  "your subscription administrator, this may happen if there are "
                                  "no active subscriptions for the tenant.",
                                  tenant_name);
  grant_type = form_get (form, "grant_type");
  if (grant_type == NULL)
    return respond_missing (req, "grant_type");
  if (!g_str_equal (grant_type, "client_credentials"))
    return respond_aadsts_printf (req, 400, "unsupported_grant_type", 70003,
                                  "The app requested an unsupported grant type '%s'.", grant_type);
  client_id = form_get (form, "client_id");
  if (client_id == NULL)
    return respond_missing (req, "client_id");
  secret = form_get (form, "client_secret");

  if (v2)
    {
      const char *scope = form_get (form, "scope");

      if (scope == NULL)
        return respond_missing (req, "scope");
      resource = resource_from_scope (scope);
      if (resource == NULL)
        return respond_aadsts_printf (req, 400, "invalid_scope", 1002012,
                                      "The provided value for scope %s is not valid. Client "
                                      "credential flows must have a scope value with /.default "
                                      "suffixed to the resource identifier (application ID URI).",
                                      scope);
    }
  else
    {
      resource = g_strdup (form_get (form, "resource"));
      if (resource == NULL)
        return respond_missing (req, "resource");
    }
  kind = classify_resource (resource, &audience);
  if (kind == RESOURCE_UNKNOWN)
    return respond_aadsts_printf (req, 400, "invalid_resource", 500011,
                                  "The resource principal named %s was not found in the tenant "
                                  "named %s. This can happen if the application has not been "
                                  "installed by the administrator of the tenant or consented to "
                                  "by any user in the tenant. You might have sent your "
                                  "authentication request to the wrong tenant.",
                                  resource, tenant->display_name);

  if (!authenticate_client (self, req, tenant, client_id, secret, kind, &roles))
    return;

  if (kind == RESOURCE_CONNECTOR)
    {
      SimServicePrincipal *sp = sim_tenant_find_sp (tenant, SIM_MFA_CONNECTOR_APP_ID);

      if (sp == NULL || !sp->enabled)
        return respond_aadsts_printf (req, 400, "invalid_request", 500014,
                                      "The service principal for resource '%s' is disabled. This "
                                      "indicate that a subscription within the tenant has lapsed, "
                                      "or that the administrator for this tenant has disabled the "
                                      "application, preventing tokens from being issued for it.",
                                      resource);
    }

  access_token = mint_token (self, tenant, client_id, audience, roles, v2, &expires);
  token = g_new0 (SimToken, 1);
  token->tenant = tenant;
  token->app_id = g_ascii_strdown (client_id, -1);
  token->audience = g_steal_pointer (&audience);
  token->roles = roles ? g_steal_pointer (&roles) : g_new0 (char *, 1);
  token->expires = expires;
  token->graph = kind == RESOURCE_GRAPH;
  token->connector = kind == RESOURCE_CONNECTOR;
  g_hash_table_insert (self->tokens, access_token, token);
  g_message ("token issued: tenant %s, app %s, audience %s", tenant->tenant_id, token->app_id,
             token->audience);
  answer_token (self, req, access_token, resource, expires, v2);
}

/* ---- discovery -------------------------------------------------------- */

static void
add_string (JsonBuilder *b, const char *name, const char *value)
{
  json_builder_set_member_name (b, name);
  json_builder_add_string_value (b, value);
}

static void
add_strings (JsonBuilder *b, const char *name, const char *values)
{
  g_auto (GStrv) list = g_strsplit (values, ",", -1);

  json_builder_set_member_name (b, name);
  json_builder_begin_array (b);
  for (guint i = 0; list[i]; i++)
    json_builder_add_string_value (b, list[i]);
  json_builder_end_array (b);
}

static void
openid_configuration (SimServer *self, SimRequest *req, const char *tenant_name, gboolean v2)
{
  g_autoptr (JsonBuilder) b = json_builder_new ();
  SimTenant *tenant = sim_scenario_find_tenant (self->scenario, tenant_name);
  g_autofree char *root = NULL;
  g_autofree char *host = NULL;
  const char *v = v2 ? "/v2.0" : "";

  if (tenant == NULL)
    return respond_aadsts_printf (req, 400, "invalid_tenant", 90002,
                                  "Tenant '%s' not found. Check to make sure you have the correct "
                                  "tenant ID and are signing into the correct cloud.",
                                  tenant_name);
  root = g_strdup_printf ("%s/%s/oauth2%s", self->base_url, tenant->tenant_id, v);
  host = g_strdup (strstr (self->base_url, "://") + 3);

#define URL(name, fmt, ...)                                   \
  G_STMT_START                                                \
  {                                                           \
    g_autofree char *u_ = g_strdup_printf (fmt, __VA_ARGS__); \
    add_string (b, name, u_);                                 \
  }                                                           \
  G_STMT_END

  json_builder_begin_object (b);
  URL ("token_endpoint", "%s/token", root);
  add_strings (b, "token_endpoint_auth_methods_supported",
               "client_secret_post,private_key_jwt,client_secret_basic");
  if (v2)
    URL ("jwks_uri", "%s/%s/discovery/v2.0/keys", self->base_url, tenant->tenant_id);
  else
    URL ("jwks_uri", "%s/common/discovery/keys", self->base_url);
  add_strings (b, "response_modes_supported", "query,fragment,form_post");
  add_strings (b, "subject_types_supported", "pairwise");
  add_strings (b, "id_token_signing_alg_values_supported", "RS256");
  add_strings (b, "response_types_supported", "code,id_token,code id_token,id_token token");
  add_strings (b, "scopes_supported", v2 ? "openid,profile,email,offline_access" : "openid");
  if (v2)
    URL ("issuer", "%s/%s/v2.0", self->base_url, tenant->tenant_id);
  else
    URL ("issuer", "https://sts.windows.net/%s/", tenant->tenant_id);
  URL ("authorization_endpoint", "%s/authorize", root);
  if (v2)
    URL ("device_authorization_endpoint", "%s/devicecode", root);
  json_builder_set_member_name (b, "http_logout_supported");
  json_builder_add_boolean_value (b, TRUE);
  json_builder_set_member_name (b, "frontchannel_logout_supported");
  json_builder_add_boolean_value (b, TRUE);
  URL ("end_session_endpoint", "%s/logout", root);
  add_strings (b, "claims_supported",
               "sub,iss,cloud_instance_name,cloud_instance_host_name,cloud_graph_host_name,"
               "msgraph_host,aud,exp,iat,auth_time,acr,nonce,preferred_username,name,tid,ver");
  add_string (b, "tenant_region_scope", "WW");
  add_string (b, "cloud_instance_name", "microsoftonline.com");
  add_string (b, "cloud_graph_host_name", "graph.windows.net");
  add_string (b, "msgraph_host", host);
  add_string (b, "rbac_url", "https://pas.windows.net");
  json_builder_end_object (b);
#undef URL
  sim_request_respond_builder (req, 200, b);
}

/* ---- entry points ----------------------------------------------------- */

SimToken *
sim_login_check_bearer (SimServer *self, SimRequest *req)
{
  const char *auth = sim_request_header (req, "Authorization");

  if (auth == NULL || g_ascii_strncasecmp (auth, "Bearer ", 7) != 0)
    return NULL;
  return g_hash_table_lookup (self->tokens, auth + 7);
}

gboolean
sim_login_route (SimServer *self, SimRequest *req)
{
  guint n = sim_request_n_segments (req);
  const char **s = (const char **) req->segments;

  if (n == 4 && g_str_equal (s[1], "oauth2") && g_str_equal (s[2], "v2.0") &&
      g_str_equal (s[3], "token"))
    token_request (self, req, s[0], TRUE);
  else if (n == 3 && g_str_equal (s[1], "oauth2") && g_str_equal (s[2], "token"))
    token_request (self, req, s[0], FALSE);
  else if (n == 4 && g_str_equal (s[1], "v2.0") && g_str_equal (s[2], ".well-known") &&
           g_str_equal (s[3], "openid-configuration"))
    openid_configuration (self, req, s[0], TRUE);
  else if (n == 3 && g_str_equal (s[1], ".well-known") &&
           g_str_equal (s[2], "openid-configuration"))
    openid_configuration (self, req, s[0], FALSE);
  else
    return FALSE;
  return TRUE;
}
