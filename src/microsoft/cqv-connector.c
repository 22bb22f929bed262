/* SPDX-License-Identifier: GPL-3.0-or-later */

#define G_LOG_DOMAIN "cqv-connector"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "cqv-connector-private.h"
#include "cqv-endpoint.h"
#include "cqv-push-xml.h"

#define PUSH_PATH "StrongAuthenticationService.svc/Connector/BeginTwoWayAuthentication"
#define PUSH_LCID "en-us"

G_DEFINE_FINAL_TYPE (CqvConnector, cqv_connector, G_TYPE_OBJECT)

/* clang-format off */
G_DEFINE_QUARK (cqv-connector-error-quark, cqv_connector_error)
/* clang-format on */

enum
{
  PROP_0,
  PROP_TENANT_ID,
  PROP_PUSH_TIMEOUT,
  PROP_PROPAGATION_TIMEOUT_MS,
  PROP_PROPAGATION_INTERVAL_MS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

typedef struct
{
  gboolean wait;
  gint64 deadline;
} TokenData;

typedef struct
{
  char *upn;
  char *context_id;
  gboolean refreshed;
} PushData;

typedef struct
{
  GSource *timeout;
  GSource *cancel;
} DelayData;

static void fetch_token (GTask *task);
static void send_push (GTask *task, gboolean force_refresh);

static void
wipe_string (char *str)
{
  if (str != NULL)
    {
      volatile char *p = str;

      while (*p != '\0')
        *p++ = '\0';
      g_free (str);
    }
}

static void
push_data_free (PushData *data)
{
  g_free (data->upn);
  g_free (data->context_id);
  g_free (data);
}

static void
delay_data_free (DelayData *data)
{
  if (data->timeout != NULL)
    g_source_destroy (data->timeout);
  if (data->cancel != NULL)
    g_source_destroy (data->cancel);
  g_clear_pointer (&data->timeout, g_source_unref);
  g_clear_pointer (&data->cancel, g_source_unref);
  g_free (data);
}

/* Each source holds a reference on the task: whichever fires first removes the other. */
static gboolean
delay_timeout_cb (gpointer user_data)
{
  GTask *task = user_data;
  DelayData *data = g_task_get_task_data (task);

  if (data->cancel != NULL)
    g_source_destroy (data->cancel);
  g_task_return_boolean (task, TRUE);
  return G_SOURCE_REMOVE;
}

static gboolean
delay_cancelled_cb (GCancellable *cancellable, gpointer user_data)
{
  GTask *task = user_data;
  DelayData *data = g_task_get_task_data (task);

  g_source_destroy (data->timeout);
  g_task_return_error_if_cancelled (task);
  return G_SOURCE_REMOVE;
}

/* A cancellable pause on the thread-default main context. */
static void
delay_async (guint interval_ms,
             GCancellable *cancellable,
             GAsyncReadyCallback callback,
             gpointer user_data)
{
  g_autoptr (GTask) task = g_task_new (NULL, cancellable, callback, user_data);
  DelayData *data = g_new0 (DelayData, 1);
  GMainContext *context = g_main_context_get_thread_default ();

  g_task_set_source_tag (task, delay_async);
  g_task_set_task_data (task, data, (GDestroyNotify) delay_data_free);

  data->timeout = g_timeout_source_new (interval_ms);
  g_source_set_callback (data->timeout, delay_timeout_cb, g_object_ref (task), g_object_unref);
  g_source_attach (data->timeout, context);

  if (cancellable != NULL)
    {
      data->cancel = g_cancellable_source_new (cancellable);
      g_source_set_callback (data->cancel, G_SOURCE_FUNC (delay_cancelled_cb), g_object_ref (task),
                             g_object_unref);
      g_source_attach (data->cancel, context);
    }
}

static gboolean
delay_finish (GAsyncResult *result, GError **error)
{
  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
propagation_delay_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GTask) task = user_data;
  g_autoptr (GError) error = NULL;

  if (!delay_finish (result, &error))
    g_task_return_error (task, g_steal_pointer (&error));
  else
    fetch_token (task);
}

static void
token_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GTask) task = user_data;
  CqvConnector *self = g_task_get_source_object (task);
  TokenData *data = g_task_get_task_data (task);
  g_autoptr (GError) error = NULL;
  char *token;

  token = cqv_token_provider_get_finish (CQV_TOKEN_PROVIDER (object), result, &error);
  if (token != NULL)
    {
      g_task_return_pointer (task, token, (GDestroyNotify) cqv_token_free);
      return;
    }

  if (data->wait && g_error_matches (error, CQV_AUTH_ERROR, CQV_AUTH_ERROR_INVALID_SECRET) &&
      g_get_monotonic_time () + (gint64) self->propagation_interval_ms * 1000 <= data->deadline)
    {
      g_debug ("The connector secret is not active yet; trying again in %u ms",
               self->propagation_interval_ms);
      delay_async (self->propagation_interval_ms, g_task_get_cancellable (task),
                   propagation_delay_cb, g_object_ref (task));
      return;
    }

  g_task_return_error (task, g_steal_pointer (&error));
}

static void
fetch_token (GTask *task)
{
  CqvConnector *self = g_task_get_source_object (task);

  cqv_token_provider_get_async (self->tokens, self->login_url, self->tenant_id,
                                CQV_MFA_CLIENT_APP_ID, self->secret, self->mfa_resource,
                                CQV_TOKEN_ENDPOINT_V1, FALSE, g_task_get_cancellable (task),
                                token_cb, g_object_ref (task));
}

static gboolean
looks_like_xml (CqvHttpResponse *response, GBytes *body)
{
  const char *content_type = cqv_http_response_get_header (response, "Content-Type");
  gsize len = 0;
  const char *data = body != NULL ? g_bytes_get_data (body, &len) : NULL;

  if (content_type != NULL && strstr (content_type, "xml") != NULL)
    return TRUE;

  for (gsize i = 0; data != NULL && i < len; i++)
    {
      if (!g_ascii_isspace (data[i]))
        return data[i] == '<';
    }
  return FALSE;
}

static CqvOutcome *
outcome_from_response (CqvHttpResponse *response, const char *upn)
{
  guint status = cqv_http_response_get_status (response);
  GBytes *body = cqv_http_response_get_body (response);
  gsize len = 0;
  const char *data = body != NULL ? g_bytes_get_data (body, &len) : NULL;
  g_autoptr (CqvOutcome) outcome = NULL;
  g_autofree char *message = NULL;

  if (status == 200)
    return cqv_push_xml_parse_response (data != NULL ? data : "", len, upn);

  if (status == 429)
    return cqv_outcome_new (CQV_OUTCOME_THROTTLED,
                            _("The MFA service is throttling pushes right now. Wait a few minutes "
                              "before trying again."));

  if (data != NULL && len > 0 && looks_like_xml (response, body))
    {
      outcome = cqv_push_xml_parse_response (data, len, upn);
      /* Whatever the body says, an HTTP error is never a verified identity. */
      if (cqv_outcome_get_kind (outcome) != CQV_OUTCOME_APPROVED &&
          cqv_outcome_get_kind (outcome) != CQV_OUTCOME_ERROR)
        return g_steal_pointer (&outcome);
    }

  message = g_strdup_printf (_("The MFA service answered with HTTP status %u. Try again later; "
                               "if it persists, check the tenant's MFA connector setup."),
                                status);
  return cqv_outcome_new (CQV_OUTCOME_ERROR, message);
}

static CqvOutcome *
outcome_from_error (const GError *error)
{
  g_autofree char *message = NULL;

  if (g_error_matches (error, CQV_HTTP_ERROR, CQV_HTTP_ERROR_TIMEOUT))
    return cqv_outcome_new (CQV_OUTCOME_TIMED_OUT,
                            _("No answer came back in time. The result is unknown — not denied, "
                              "and not verified. Ask the person to check their phone, then try "
                              "again."));

  if (g_error_matches (error, CQV_HTTP_ERROR, CQV_HTTP_ERROR_THROTTLED))
    return cqv_outcome_new (CQV_OUTCOME_THROTTLED,
                            _("The MFA service is throttling pushes right now. Wait a few minutes "
                              "before trying again."));

  message = g_strdup_printf (_("The push could not be sent or its answer was lost: %s. Check the "
                               "network connection and that the MFA service can be reached, "
                               "then try again."),
                                error->message);
  return cqv_outcome_new (CQV_OUTCOME_ERROR, message);
}

static void
push_sent_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GTask) task = user_data;
  PushData *data = g_task_get_task_data (task);
  g_autoptr (CqvHttpResponse) response = NULL;
  g_autoptr (GError) error = NULL;

  response = cqv_http_client_send_finish (CQV_HTTP_CLIENT (object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  if (error != NULL)
    {
      g_debug ("Push %s failed: %s", data->context_id, error->message);
      g_task_return_pointer (task, outcome_from_error (error), g_object_unref);
      return;
    }

  /* A 401 is refused before any push goes out, so one retry with a fresh token is safe. */
  if (cqv_http_response_get_status (response) == SOUP_STATUS_UNAUTHORIZED && !data->refreshed)
    {
      g_debug ("Push %s: 401, refreshing the connector token once", data->context_id);
      data->refreshed = TRUE;
      send_push (task, TRUE);
      return;
    }

  g_task_return_pointer (task, outcome_from_response (response, data->upn), g_object_unref);
}

static void
push_token_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GTask) task = user_data;
  CqvConnector *self = g_task_get_source_object (task);
  PushData *data = g_task_get_task_data (task);
  g_autoptr (GError) error = NULL;
  g_autoptr (CqvHttpRequest) request = NULL;
  g_autoptr (GBytes) body = NULL;
  g_autofree char *url = NULL;
  char *token;
  char *xml;

  token = cqv_token_provider_get_finish (CQV_TOKEN_PROVIDER (object), result, &error);
  if (token == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  url = cqv_endpoint_join (self->mfa_url, PUSH_PATH);
  xml = cqv_push_xml_build_request (data->upn, data->context_id, PUSH_LCID);
  body = g_bytes_new_take (xml, strlen (xml));

  request = cqv_http_request_new ("POST", url);
  cqv_http_request_set_bearer (request, token);
  cqv_token_free (token);
  cqv_http_request_set_body (request, "application/xml", body);
  cqv_http_request_set_timeout (request, self->push_timeout);
  /* Never sent twice: a duplicate push is an MFA-fatigue hazard. */
  cqv_http_request_set_retry (request, FALSE);

  g_debug ("Sending push %s", data->context_id);
  cqv_http_client_send_async (self->http, request, g_task_get_cancellable (task), push_sent_cb,
                              g_object_ref (task));
}

static void
send_push (GTask *task, gboolean force_refresh)
{
  CqvConnector *self = g_task_get_source_object (task);

  cqv_token_provider_get_async (self->tokens, self->login_url, self->tenant_id,
                                CQV_MFA_CLIENT_APP_ID, self->secret, self->mfa_resource,
                                CQV_TOKEN_ENDPOINT_V1, force_refresh, g_task_get_cancellable (task),
                                push_token_cb, g_object_ref (task));
}

static void
cqv_connector_finalize (GObject *object)
{
  CqvConnector *self = (CqvConnector *) object;

  g_clear_object (&self->http);
  g_clear_object (&self->tokens);
  g_clear_object (&self->graph);
  g_clear_pointer (&self->login_url, g_free);
  g_clear_pointer (&self->mfa_url, g_free);
  g_clear_pointer (&self->mfa_resource, g_free);
  g_clear_pointer (&self->tenant_id, g_free);
  g_clear_pointer (&self->secret, wipe_string);
  g_clear_pointer (&self->sp_id, g_free);

  G_OBJECT_CLASS (cqv_connector_parent_class)->finalize (object);
}

static void
cqv_connector_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  CqvConnector *self = CQV_CONNECTOR (object);

  switch (prop_id)
    {
    case PROP_TENANT_ID:
      g_value_set_string (value, self->tenant_id);
      break;

    case PROP_PUSH_TIMEOUT:
      g_value_set_uint (value, self->push_timeout);
      break;

    case PROP_PROPAGATION_TIMEOUT_MS:
      g_value_set_uint (value, self->propagation_timeout_ms);
      break;

    case PROP_PROPAGATION_INTERVAL_MS:
      g_value_set_uint (value, self->propagation_interval_ms);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cqv_connector_set_property (GObject *object, guint prop_id, const GValue *value, GParamSpec *pspec)
{
  CqvConnector *self = CQV_CONNECTOR (object);

  switch (prop_id)
    {
    case PROP_PUSH_TIMEOUT:
      cqv_connector_set_push_timeout (self, g_value_get_uint (value));
      break;

    case PROP_PROPAGATION_TIMEOUT_MS:
      cqv_connector_set_propagation_timeout_ms (self, g_value_get_uint (value));
      break;

    case PROP_PROPAGATION_INTERVAL_MS:
      cqv_connector_set_propagation_interval_ms (self, g_value_get_uint (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cqv_connector_class_init (CqvConnectorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = cqv_connector_finalize;
  object_class->get_property = cqv_connector_get_property;
  object_class->set_property = cqv_connector_set_property;

  properties[PROP_TENANT_ID] =
    g_param_spec_string ("tenant-id", NULL, NULL, NULL, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_PUSH_TIMEOUT] =
    g_param_spec_uint ("push-timeout", NULL, NULL, 1, 600, 120,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_PROPAGATION_TIMEOUT_MS] =
    g_param_spec_uint ("propagation-timeout-ms", NULL, NULL, 0, 600000, 20000,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_PROPAGATION_INTERVAL_MS] =
    g_param_spec_uint ("propagation-interval-ms", NULL, NULL, 1, 60000, 1000,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
cqv_connector_init (CqvConnector *self)
{
  self->push_timeout = 120;
  self->propagation_timeout_ms = 20000;
  self->propagation_interval_ms = 1000;
}

CqvConnector *
cqv_connector_new (CqvHttpClient *http,
                   CqvTokenProvider *tokens,
                   CqvGraphClient *graph,
                   const char *login_url,
                   const char *mfa_url,
                   const char *mfa_resource,
                   const char *tenant_id)
{
  CqvConnector *self;

  g_return_val_if_fail (CQV_IS_HTTP_CLIENT (http), NULL);
  g_return_val_if_fail (CQV_IS_TOKEN_PROVIDER (tokens), NULL);
  g_return_val_if_fail (CQV_IS_GRAPH_CLIENT (graph), NULL);
  g_return_val_if_fail (login_url != NULL, NULL);
  g_return_val_if_fail (mfa_url != NULL, NULL);
  g_return_val_if_fail (mfa_resource != NULL, NULL);
  g_return_val_if_fail (tenant_id != NULL, NULL);

  self = g_object_new (CQV_TYPE_CONNECTOR, NULL);
  self->http = g_object_ref (http);
  self->tokens = g_object_ref (tokens);
  self->graph = g_object_ref (graph);
  self->login_url = g_strdup (login_url);
  self->mfa_url = g_strdup (mfa_url);
  self->mfa_resource = g_strdup (mfa_resource);
  self->tenant_id = g_strdup (tenant_id);
  return self;
}

const char *
cqv_connector_get_tenant_id (CqvConnector *self)
{
  g_return_val_if_fail (CQV_IS_CONNECTOR (self), NULL);

  return self->tenant_id;
}

void
cqv_connector_set_secret (CqvConnector *self, const char *secret)
{
  g_return_if_fail (CQV_IS_CONNECTOR (self));

  if (g_strcmp0 (self->secret, secret) == 0)
    return;

  g_clear_pointer (&self->secret, wipe_string);
  self->secret = g_strdup (secret);
  cqv_token_provider_invalidate (self->tokens, self->tenant_id, CQV_MFA_CLIENT_APP_ID);
}

gboolean
cqv_connector_has_secret (CqvConnector *self)
{
  g_return_val_if_fail (CQV_IS_CONNECTOR (self), FALSE);

  return self->secret != NULL;
}

guint
cqv_connector_get_push_timeout (CqvConnector *self)
{
  g_return_val_if_fail (CQV_IS_CONNECTOR (self), 0);

  return self->push_timeout;
}

void
cqv_connector_set_push_timeout (CqvConnector *self, guint seconds)
{
  g_return_if_fail (CQV_IS_CONNECTOR (self));
  g_return_if_fail (seconds > 0);

  if (self->push_timeout == seconds)
    return;

  self->push_timeout = seconds;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PUSH_TIMEOUT]);
}

guint
cqv_connector_get_propagation_timeout_ms (CqvConnector *self)
{
  g_return_val_if_fail (CQV_IS_CONNECTOR (self), 0);

  return self->propagation_timeout_ms;
}

void
cqv_connector_set_propagation_timeout_ms (CqvConnector *self, guint timeout_ms)
{
  g_return_if_fail (CQV_IS_CONNECTOR (self));

  if (self->propagation_timeout_ms == timeout_ms)
    return;

  self->propagation_timeout_ms = timeout_ms;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PROPAGATION_TIMEOUT_MS]);
}

guint
cqv_connector_get_propagation_interval_ms (CqvConnector *self)
{
  g_return_val_if_fail (CQV_IS_CONNECTOR (self), 0);

  return self->propagation_interval_ms;
}

void
cqv_connector_set_propagation_interval_ms (CqvConnector *self, guint interval_ms)
{
  g_return_if_fail (CQV_IS_CONNECTOR (self));
  g_return_if_fail (interval_ms > 0);

  if (self->propagation_interval_ms == interval_ms)
    return;

  self->propagation_interval_ms = interval_ms;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PROPAGATION_INTERVAL_MS]);
}

void
cqv_connector_get_token_async (CqvConnector *self,
                               gboolean wait_for_propagation,
                               GCancellable *cancellable,
                               GAsyncReadyCallback callback,
                               gpointer user_data)
{
  g_autoptr (GTask) task = NULL;
  TokenData *data;

  g_return_if_fail (CQV_IS_CONNECTOR (self));
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, cqv_connector_get_token_async);
  data = g_new0 (TokenData, 1);
  data->wait = wait_for_propagation;
  data->deadline = g_get_monotonic_time () + (gint64) self->propagation_timeout_ms * 1000;
  g_task_set_task_data (task, data, g_free);

  if (self->secret == NULL)
    {
      g_task_return_new_error (task, CQV_CONNECTOR_ERROR, CQV_CONNECTOR_ERROR_NO_SECRET,
                               _("No connector secret is set up for this tenant yet."));
      return;
    }

  fetch_token (task);
}

char *
cqv_connector_get_token_finish (CqvConnector *self, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (CQV_IS_CONNECTOR (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

void
cqv_connector_push_async (CqvConnector *self,
                          const char *upn,
                          const char *context_id,
                          GCancellable *cancellable,
                          GAsyncReadyCallback callback,
                          gpointer user_data)
{
  g_autoptr (GTask) task = NULL;
  PushData *data;

  g_return_if_fail (CQV_IS_CONNECTOR (self));
  g_return_if_fail (upn != NULL);
  g_return_if_fail (context_id != NULL);
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, cqv_connector_push_async);
  data = g_new0 (PushData, 1);
  data->upn = g_strdup (upn);
  data->context_id = g_strdup (context_id);
  g_task_set_task_data (task, data, (GDestroyNotify) push_data_free);

  if (self->secret == NULL)
    {
      g_task_return_new_error (task, CQV_CONNECTOR_ERROR, CQV_CONNECTOR_ERROR_NO_SECRET,
                               _("No connector secret is set up for this tenant yet."));
      return;
    }

  send_push (task, FALSE);
}

CqvOutcome *
cqv_connector_push_finish (CqvConnector *self, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (CQV_IS_CONNECTOR (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

void
cqv_connector_secret_free (char *secret)
{
  wipe_string (secret);
}
