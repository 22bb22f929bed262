/* SPDX-License-Identifier: GPL-3.0-or-later */

#define G_LOG_DOMAIN "cqv-tenant"

#include "config.h"

#include "cqv-model-enums.h"
#include "cqv-tenant.h"

struct _CqvTenant
{
  GObject parent_instance;

  char *name;
  char *tenant_id;
  char *client_id;
  CqvCloud cloud;
  char *login_url;
  char *graph_url;
  char *mfa_url;
  guint demo : 1;
};

G_DEFINE_FINAL_TYPE (CqvTenant, cqv_tenant, G_TYPE_OBJECT)

enum
{
  PROP_0,
  PROP_NAME,
  PROP_TENANT_ID,
  PROP_CLIENT_ID,
  PROP_CLOUD,
  PROP_LOGIN_URL,
  PROP_GRAPH_URL,
  PROP_MFA_URL,
  PROP_DEMO,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
set_string (CqvTenant *self, char **field, const char *value, guint prop_id)
{
  if (g_strcmp0 (*field, value) == 0)
    return;

  g_free (*field);
  *field = g_strdup (value);
  g_object_notify_by_pspec (G_OBJECT (self), properties[prop_id]);
}

/* For the overrides an empty string means "no override", as in tenants.ini. */
static void
set_override (CqvTenant *self, char **field, const char *url, guint prop_id)
{
  if (url != NULL && *url == '\0')
    url = NULL;

  set_string (self, field, url, prop_id);
}

static void
cqv_tenant_finalize (GObject *object)
{
  CqvTenant *self = (CqvTenant *) object;

  g_clear_pointer (&self->name, g_free);
  g_clear_pointer (&self->tenant_id, g_free);
  g_clear_pointer (&self->client_id, g_free);
  g_clear_pointer (&self->login_url, g_free);
  g_clear_pointer (&self->graph_url, g_free);
  g_clear_pointer (&self->mfa_url, g_free);

  G_OBJECT_CLASS (cqv_tenant_parent_class)->finalize (object);
}

static void
cqv_tenant_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  CqvTenant *self = CQV_TENANT (object);

  switch (prop_id)
    {
    case PROP_NAME:
      g_value_set_string (value, self->name);
      break;
    case PROP_TENANT_ID:
      g_value_set_string (value, self->tenant_id);
      break;
    case PROP_CLIENT_ID:
      g_value_set_string (value, self->client_id);
      break;
    case PROP_CLOUD:
      g_value_set_enum (value, self->cloud);
      break;
    case PROP_LOGIN_URL:
      g_value_set_string (value, self->login_url);
      break;
    case PROP_GRAPH_URL:
      g_value_set_string (value, self->graph_url);
      break;
    case PROP_MFA_URL:
      g_value_set_string (value, self->mfa_url);
      break;
    case PROP_DEMO:
      g_value_set_boolean (value, self->demo);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cqv_tenant_set_property (GObject *object, guint prop_id, const GValue *value, GParamSpec *pspec)
{
  CqvTenant *self = CQV_TENANT (object);

  switch (prop_id)
    {
    case PROP_NAME:
      cqv_tenant_set_name (self, g_value_get_string (value));
      break;
    case PROP_TENANT_ID:
      cqv_tenant_set_tenant_id (self, g_value_get_string (value));
      break;
    case PROP_CLIENT_ID:
      cqv_tenant_set_client_id (self, g_value_get_string (value));
      break;
    case PROP_CLOUD:
      cqv_tenant_set_cloud (self, g_value_get_enum (value));
      break;
    case PROP_LOGIN_URL:
      cqv_tenant_set_login_url (self, g_value_get_string (value));
      break;
    case PROP_GRAPH_URL:
      cqv_tenant_set_graph_url (self, g_value_get_string (value));
      break;
    case PROP_MFA_URL:
      cqv_tenant_set_mfa_url (self, g_value_get_string (value));
      break;
    case PROP_DEMO:
      cqv_tenant_set_demo (self, g_value_get_boolean (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cqv_tenant_class_init (CqvTenantClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = cqv_tenant_finalize;
  object_class->get_property = cqv_tenant_get_property;
  object_class->set_property = cqv_tenant_set_property;

  properties[PROP_NAME] = g_param_spec_string (
    "name", NULL, NULL, NULL, G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_TENANT_ID] =
    g_param_spec_string ("tenant-id", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_CLIENT_ID] =
    g_param_spec_string ("client-id", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_CLOUD] =
    g_param_spec_enum ("cloud", NULL, NULL, CQV_TYPE_CLOUD, CQV_CLOUD_GLOBAL,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_LOGIN_URL] =
    g_param_spec_string ("login-url", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_GRAPH_URL] =
    g_param_spec_string ("graph-url", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_MFA_URL] =
    g_param_spec_string ("mfa-url", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_DEMO] =
    g_param_spec_boolean ("demo", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
cqv_tenant_init (CqvTenant *self)
{
  self->cloud = CQV_CLOUD_GLOBAL;
}

CqvTenant *
cqv_tenant_new (const char *name, const char *tenant_id, const char *client_id, CqvCloud cloud)
{
  return g_object_new (CQV_TYPE_TENANT, "name", name, "tenant-id", tenant_id, "client-id",
                       client_id, "cloud", cloud, NULL);
}

const char *
cqv_tenant_get_name (CqvTenant *self)
{
  g_return_val_if_fail (CQV_IS_TENANT (self), NULL);

  return self->name;
}

void
cqv_tenant_set_name (CqvTenant *self, const char *name)
{
  g_return_if_fail (CQV_IS_TENANT (self));

  set_string (self, &self->name, name, PROP_NAME);
}

const char *
cqv_tenant_get_tenant_id (CqvTenant *self)
{
  g_return_val_if_fail (CQV_IS_TENANT (self), NULL);

  return self->tenant_id;
}

void
cqv_tenant_set_tenant_id (CqvTenant *self, const char *tenant_id)
{
  g_return_if_fail (CQV_IS_TENANT (self));

  set_string (self, &self->tenant_id, tenant_id, PROP_TENANT_ID);
}

const char *
cqv_tenant_get_client_id (CqvTenant *self)
{
  g_return_val_if_fail (CQV_IS_TENANT (self), NULL);

  return self->client_id;
}

void
cqv_tenant_set_client_id (CqvTenant *self, const char *client_id)
{
  g_return_if_fail (CQV_IS_TENANT (self));

  set_string (self, &self->client_id, client_id, PROP_CLIENT_ID);
}

CqvCloud
cqv_tenant_get_cloud (CqvTenant *self)
{
  g_return_val_if_fail (CQV_IS_TENANT (self), CQV_CLOUD_GLOBAL);

  return self->cloud;
}

void
cqv_tenant_set_cloud (CqvTenant *self, CqvCloud cloud)
{
  g_return_if_fail (CQV_IS_TENANT (self));
  g_return_if_fail (cloud >= CQV_CLOUD_GLOBAL && cloud <= CQV_CLOUD_CHINA);

  if (self->cloud == cloud)
    return;

  self->cloud = cloud;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CLOUD]);
}

const char *
cqv_tenant_get_login_url (CqvTenant *self)
{
  g_return_val_if_fail (CQV_IS_TENANT (self), NULL);

  return self->login_url;
}

void
cqv_tenant_set_login_url (CqvTenant *self, const char *url)
{
  g_return_if_fail (CQV_IS_TENANT (self));

  set_override (self, &self->login_url, url, PROP_LOGIN_URL);
}

const char *
cqv_tenant_get_graph_url (CqvTenant *self)
{
  g_return_val_if_fail (CQV_IS_TENANT (self), NULL);

  return self->graph_url;
}

void
cqv_tenant_set_graph_url (CqvTenant *self, const char *url)
{
  g_return_if_fail (CQV_IS_TENANT (self));

  set_override (self, &self->graph_url, url, PROP_GRAPH_URL);
}

const char *
cqv_tenant_get_mfa_url (CqvTenant *self)
{
  g_return_val_if_fail (CQV_IS_TENANT (self), NULL);

  return self->mfa_url;
}

void
cqv_tenant_set_mfa_url (CqvTenant *self, const char *url)
{
  g_return_if_fail (CQV_IS_TENANT (self));

  set_override (self, &self->mfa_url, url, PROP_MFA_URL);
}

const char *
cqv_tenant_get_effective_login_url (CqvTenant *self)
{
  g_return_val_if_fail (CQV_IS_TENANT (self), NULL);

  return self->login_url != NULL ? self->login_url : cqv_cloud_get_login_url (self->cloud);
}

const char *
cqv_tenant_get_effective_graph_url (CqvTenant *self)
{
  g_return_val_if_fail (CQV_IS_TENANT (self), NULL);

  return self->graph_url != NULL ? self->graph_url : cqv_cloud_get_graph_url (self->cloud);
}

const char *
cqv_tenant_get_effective_mfa_url (CqvTenant *self)
{
  g_return_val_if_fail (CQV_IS_TENANT (self), NULL);

  return self->mfa_url != NULL ? self->mfa_url : cqv_cloud_get_mfa_url (self->cloud);
}

gboolean
cqv_tenant_get_demo (CqvTenant *self)
{
  g_return_val_if_fail (CQV_IS_TENANT (self), FALSE);

  return self->demo;
}

void
cqv_tenant_set_demo (CqvTenant *self, gboolean demo)
{
  g_return_if_fail (CQV_IS_TENANT (self));

  demo = !!demo;
  if (self->demo == demo)
    return;

  self->demo = demo;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DEMO]);
}
