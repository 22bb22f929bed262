/* SPDX-License-Identifier: GPL-3.0-or-later */

#define G_LOG_DOMAIN "cqv-tenant-context"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "cqv-tenant-check.h"
#include "cqv-tenant-context.h"

struct _CqvTenantContext
{
  GObject parent_instance;

  CqvTenant *tenant;
  CqvSecretStore *store;
  CqvHttpClient *http;
  CqvTokenProvider *tokens;
  CqvGraphClient *graph;
  CqvDirectory *directory;
  CqvConnector *connector;
  CqvConnectorSecrets *secrets;
  CqvPushGuard *guard;
  CqvTenantCheck *check; /* made on first use */

  gboolean app_secret_loaded;
};

G_DEFINE_FINAL_TYPE (CqvTenantContext, cqv_tenant_context, G_TYPE_OBJECT)

/* clang-format off */
G_DEFINE_QUARK (cqv-tenant-context-error-quark, cqv_tenant_context_error)
/* clang-format on */

enum
{
  PROP_0,
  PROP_TENANT,
  PROP_PUSH_GUARD,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
lookup_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GTask) task = user_data;
  CqvTenantContext *self = g_task_get_source_object (task);
  g_autoptr (CqvSecret) secret = NULL;
  g_autoptr (GError) error = NULL;

  secret = cqv_secret_store_lookup_finish (CQV_SECRET_STORE (object), result, &error);
  if (error != NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  /* Set meanwhile with cqv_tenant_context_set_app_secret(). */
  if (self->app_secret_loaded)
    {
      g_task_return_boolean (task, TRUE);
      return;
    }

  if (secret == NULL || secret->value == NULL)
    {
      g_task_return_new_error (task, CQV_TENANT_CONTEXT_ERROR,
                               CQV_TENANT_CONTEXT_ERROR_NO_APP_SECRET,
                               _("No app secret is stored for “%s”. Add it in the tenant's "
                                 "settings."),
                                  cqv_tenant_get_name (self->tenant));
      return;
    }

  cqv_graph_client_set_client_secret (self->graph, secret->value);
  self->app_secret_loaded = TRUE;
  g_task_return_boolean (task, TRUE);
}

static void
cqv_tenant_context_finalize (GObject *object)
{
  CqvTenantContext *self = (CqvTenantContext *) object;

  g_clear_object (&self->check);
  g_clear_object (&self->secrets);
  g_clear_object (&self->connector);
  g_clear_object (&self->directory);
  g_clear_object (&self->graph);
  g_clear_object (&self->tokens);
  g_clear_object (&self->http);
  g_clear_object (&self->store);
  g_clear_object (&self->tenant);
  g_clear_object (&self->guard);

  G_OBJECT_CLASS (cqv_tenant_context_parent_class)->finalize (object);
}

static void
cqv_tenant_context_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  CqvTenantContext *self = CQV_TENANT_CONTEXT (object);

  switch (prop_id)
    {
    case PROP_TENANT:
      g_value_set_object (value, self->tenant);
      break;

    case PROP_PUSH_GUARD:
      g_value_set_object (value, self->guard);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cqv_tenant_context_set_property (GObject *object,
                                 guint prop_id,
                                 const GValue *value,
                                 GParamSpec *pspec)
{
  CqvTenantContext *self = CQV_TENANT_CONTEXT (object);

  switch (prop_id)
    {
    case PROP_PUSH_GUARD:
      cqv_tenant_context_set_push_guard (self, g_value_get_object (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cqv_tenant_context_class_init (CqvTenantContextClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = cqv_tenant_context_finalize;
  object_class->get_property = cqv_tenant_context_get_property;
  object_class->set_property = cqv_tenant_context_set_property;

  properties[PROP_TENANT] = g_param_spec_object ("tenant", NULL, NULL, CQV_TYPE_TENANT,
                                                 G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_PUSH_GUARD] =
    g_param_spec_object ("push-guard", NULL, NULL, CQV_TYPE_PUSH_GUARD,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
cqv_tenant_context_init (CqvTenantContext *self)
{
  self->guard = g_object_ref (cqv_push_guard_get_default ());
}

CqvTenantContext *
cqv_tenant_context_new (CqvTenant *tenant,
                        CqvSecretStore *store,
                        CqvHttpClient *http,
                        CqvTokenProvider *tokens)
{
  CqvTenantContext *self;
  CqvCloud cloud;

  g_return_val_if_fail (CQV_IS_TENANT (tenant), NULL);
  g_return_val_if_fail (CQV_IS_SECRET_STORE (store), NULL);
  g_return_val_if_fail (CQV_IS_HTTP_CLIENT (http), NULL);
  g_return_val_if_fail (CQV_IS_TOKEN_PROVIDER (tokens), NULL);

  self = g_object_new (CQV_TYPE_TENANT_CONTEXT, NULL);
  self->tenant = g_object_ref (tenant);
  self->store = g_object_ref (store);
  self->http = g_object_ref (http);
  self->tokens = g_object_ref (tokens);

  cloud = cqv_tenant_get_cloud (tenant);
  self->graph = cqv_graph_client_new (
    http, tokens, cqv_tenant_get_effective_login_url (tenant),
    cqv_tenant_get_effective_graph_url (tenant), cqv_cloud_get_graph_url (cloud),
    cqv_tenant_get_tenant_id (tenant), cqv_tenant_get_client_id (tenant));
  self->directory = cqv_directory_new (self->graph);
  self->connector =
    cqv_connector_new (http, tokens, self->graph, cqv_tenant_get_effective_login_url (tenant),
                       cqv_tenant_get_effective_mfa_url (tenant),
                       cqv_cloud_get_mfa_resource (cloud), cqv_tenant_get_tenant_id (tenant));
  self->secrets = cqv_connector_secrets_new (store, self->connector);
  return self;
}

CqvTenant *
cqv_tenant_context_get_tenant (CqvTenantContext *self)
{
  g_return_val_if_fail (CQV_IS_TENANT_CONTEXT (self), NULL);

  return self->tenant;
}

CqvSecretStore *
cqv_tenant_context_get_secret_store (CqvTenantContext *self)
{
  g_return_val_if_fail (CQV_IS_TENANT_CONTEXT (self), NULL);

  return self->store;
}

CqvHttpClient *
cqv_tenant_context_get_http (CqvTenantContext *self)
{
  g_return_val_if_fail (CQV_IS_TENANT_CONTEXT (self), NULL);

  return self->http;
}

CqvTokenProvider *
cqv_tenant_context_get_tokens (CqvTenantContext *self)
{
  g_return_val_if_fail (CQV_IS_TENANT_CONTEXT (self), NULL);

  return self->tokens;
}

CqvGraphClient *
cqv_tenant_context_get_graph (CqvTenantContext *self)
{
  g_return_val_if_fail (CQV_IS_TENANT_CONTEXT (self), NULL);

  return self->graph;
}

CqvDirectory *
cqv_tenant_context_get_directory (CqvTenantContext *self)
{
  g_return_val_if_fail (CQV_IS_TENANT_CONTEXT (self), NULL);

  return self->directory;
}

CqvConnector *
cqv_tenant_context_get_connector (CqvTenantContext *self)
{
  g_return_val_if_fail (CQV_IS_TENANT_CONTEXT (self), NULL);

  return self->connector;
}

CqvConnectorSecrets *
cqv_tenant_context_get_connector_secrets (CqvTenantContext *self)
{
  g_return_val_if_fail (CQV_IS_TENANT_CONTEXT (self), NULL);

  return self->secrets;
}

CqvPushGuard *
cqv_tenant_context_get_push_guard (CqvTenantContext *self)
{
  g_return_val_if_fail (CQV_IS_TENANT_CONTEXT (self), NULL);

  return self->guard;
}

CqvTenantCheck *
cqv_tenant_context_get_check (CqvTenantContext *self)
{
  g_return_val_if_fail (CQV_IS_TENANT_CONTEXT (self), NULL);

  if (self->check == NULL)
    self->check = cqv_tenant_check_new (self);
  return self->check;
}

void
cqv_tenant_context_set_push_guard (CqvTenantContext *self, CqvPushGuard *guard)
{
  g_return_if_fail (CQV_IS_TENANT_CONTEXT (self));
  g_return_if_fail (!guard || CQV_IS_PUSH_GUARD (guard));

  if (guard == NULL)
    guard = cqv_push_guard_get_default ();

  if (g_set_object (&self->guard, guard))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PUSH_GUARD]);
}

void
cqv_tenant_context_set_app_secret (CqvTenantContext *self, const char *secret)
{
  g_return_if_fail (CQV_IS_TENANT_CONTEXT (self));
  g_return_if_fail (secret != NULL);

  cqv_graph_client_set_client_secret (self->graph, secret);
  self->app_secret_loaded = TRUE;
}

void
cqv_tenant_context_load_async (CqvTenantContext *self,
                               GCancellable *cancellable,
                               GAsyncReadyCallback callback,
                               gpointer user_data)
{
  g_autoptr (GTask) task = NULL;

  g_return_if_fail (CQV_IS_TENANT_CONTEXT (self));
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, cqv_tenant_context_load_async);

  if (self->app_secret_loaded)
    {
      g_task_return_boolean (task, TRUE);
      return;
    }

  cqv_secret_store_lookup_async (self->store, cqv_tenant_get_tenant_id (self->tenant),
                                 cqv_tenant_get_client_id (self->tenant), CQV_SECRET_KIND_APP,
                                 cancellable, lookup_cb, g_steal_pointer (&task));
}

gboolean
cqv_tenant_context_load_finish (CqvTenantContext *self, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (CQV_IS_TENANT_CONTEXT (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}
