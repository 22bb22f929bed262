/* SPDX-License-Identifier: GPL-3.0-or-later */

#define G_LOG_DOMAIN "cqv-connector-secrets"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "cqv-connector-secrets.h"

/* Rotate a secret this close to its expiry. */
#define EXPIRY_MARGIN G_TIME_SPAN_DAY
/* addPassword backdates the start by five minutes. */
#define START_BACKDATE (5 * G_TIME_SPAN_MINUTE)

struct _CqvConnectorSecrets
{
  GObject parent_instance;

  CqvSecretStore *store;
  CqvConnector *connector;

  CqvSecret *secret;  /* in use, cached for the session */
  gboolean looked_up; /* the keyring was asked already */
  GQueue queue;       /* GTask: one ensure runs at a time */
  guint provisioned_count;
};

G_DEFINE_FINAL_TYPE (CqvConnectorSecrets, cqv_connector_secrets, G_TYPE_OBJECT)

typedef struct
{
  gboolean provisioned;  /* a new secret was made during this call */
  gboolean checked_key;  /* the stored key was looked for on the service principal */
  gboolean enabled_apps; /* the MFA apps were enabled after a token refusal */
  char *old_key_id;      /* the secret being replaced */
  GPtrArray *to_remove;  /* key ids */
  char *new_secret;      /* wiped */
  CqvConnectorCredential *new_credential;
} EnsureData;

static void start_next (CqvConnectorSecrets *self);
static void use_secret (GTask *task, gboolean wait);
static void provision (GTask *task);
static void remove_next (GTask *task);

static void
ensure_data_free (EnsureData *data)
{
  g_free (data->old_key_id);
  g_clear_pointer (&data->to_remove, g_ptr_array_unref);
  g_clear_pointer (&data->new_secret, cqv_connector_secret_free);
  g_clear_pointer (&data->new_credential, cqv_connector_credential_free);
  g_free (data);
}

static gboolean
is_expiring (const CqvSecret *secret)
{
  g_autoptr (GDateTime) now = NULL;

  if (secret->expires == NULL)
    return FALSE;

  now = g_date_time_new_now_utc ();
  return g_date_time_difference (secret->expires, now) < EXPIRY_MARGIN;
}

static const char *
tenant_id (CqvConnectorSecrets *self)
{
  return cqv_connector_get_tenant_id (self->connector);
}

/* Completes the running ensure and starts the next queued one. */
static void
complete (GTask *task, GError *error)
{
  CqvConnectorSecrets *self = g_task_get_source_object (task);
  g_autoptr (GTask) owned = g_queue_pop_head (&self->queue);

  g_assert (owned == task);

  /* Start the next one first: the callback may queue another ensure. */
  start_next (self);

  if (error != NULL)
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

static void
store_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GTask) task = user_data;
  CqvConnectorSecrets *self = g_task_get_source_object (task);
  EnsureData *data = g_task_get_task_data (task);
  g_autoptr (GError) error = NULL;

  if (!cqv_secret_store_store_finish (CQV_SECRET_STORE (object), result, &error))
    {
      g_prefix_error (&error,
                      _("The new MFA connector secret could not be saved in the keyring: "));
      complete (task, g_steal_pointer (&error));
      return;
    }

  g_clear_pointer (&self->secret, cqv_secret_free);
  self->secret =
    cqv_secret_new (data->new_secret, data->new_credential->key_id, data->new_credential->end);
  g_clear_pointer (&data->new_secret, cqv_connector_secret_free);

  use_secret (task, TRUE);
}

static void
add_password_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GTask) task = user_data;
  CqvConnectorSecrets *self = g_task_get_source_object (task);
  EnsureData *data = g_task_get_task_data (task);
  g_autoptr (GError) error = NULL;
  g_autoptr (CqvSecret) stored = NULL;
  g_autofree char *label = NULL;

  data->new_credential =
    cqv_connector_add_password_finish (CQV_CONNECTOR (object), result, &data->new_secret, &error);
  if (data->new_credential == NULL)
    {
      complete (task, g_steal_pointer (&error));
      return;
    }

  self->provisioned_count++;
  g_debug ("Provisioned connector secret %s", data->new_credential->key_id);

  label =
    g_strdup_printf (_("CyberQP Verify MFA connector secret for tenant %s"), tenant_id (self));
  stored =
    cqv_secret_new (data->new_secret, data->new_credential->key_id, data->new_credential->end);
  /* Not cancellable: a secret that exists on the service principal must not be lost. */
  cqv_secret_store_store_async (self->store, tenant_id (self), CQV_MFA_CLIENT_APP_ID,
                                CQV_SECRET_KIND_CONNECTOR, label, stored, NULL, store_cb,
                                g_object_ref (task));
}

static void
remove_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GTask) task = user_data;
  g_autoptr (GError) error = NULL;

  /* Clean-up is best effort: a leftover credential expires on its own. */
  if (!cqv_connector_remove_password_finish (CQV_CONNECTOR (object), result, &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          complete (task, g_steal_pointer (&error));
          return;
        }
      g_debug ("Could not remove an old connector credential: %s", error->message);
    }

  remove_next (task);
}

static void
remove_next (GTask *task)
{
  CqvConnectorSecrets *self = g_task_get_source_object (task);
  EnsureData *data = g_task_get_task_data (task);

  if (data->to_remove->len > 0)
    {
      g_autofree char *key_id = g_ptr_array_steal_index (data->to_remove, 0);

      g_debug ("Removing connector credential %s", key_id);
      cqv_connector_remove_password_async (self->connector, key_id, g_task_get_cancellable (task),
                                           remove_cb, g_object_ref (task));
      return;
    }

  cqv_connector_add_password_async (self->connector, g_task_get_cancellable (task), add_password_cb,
                                    g_object_ref (task));
}

static void
provision_ensured_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GTask) task = user_data;
  EnsureData *data = g_task_get_task_data (task);
  g_autoptr (GPtrArray) credentials = NULL;
  g_autoptr (GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr (GError) error = NULL;

  credentials =
    cqv_connector_ensure_service_principals_finish (CQV_CONNECTOR (object), result, &error);
  if (credentials == NULL)
    {
      complete (task, g_steal_pointer (&error));
      return;
    }

  /* The replaced secret, and every expired one of ours. */
  data->to_remove = g_ptr_array_new_with_free_func (g_free);
  for (guint i = 0; i < credentials->len; i++)
    {
      CqvConnectorCredential *credential = g_ptr_array_index (credentials, i);

      if (g_strcmp0 (credential->key_id, data->old_key_id) == 0 ||
          cqv_connector_credential_is_expired_ours (credential, now))
        g_ptr_array_add (data->to_remove, g_strdup (credential->key_id));
    }

  remove_next (task);
}

static void
provision (GTask *task)
{
  CqvConnectorSecrets *self = g_task_get_source_object (task);
  EnsureData *data = g_task_get_task_data (task);

  if (data->provisioned)
    {
      complete (task, g_error_new (CQV_AUTH_ERROR, CQV_AUTH_ERROR_INVALID_SECRET,
                                   _("The MFA connector refused a secret made moments ago. Try "
                                     "again in a minute.")));
      return;
    }

  data->provisioned = TRUE;
  if (self->secret != NULL)
    {
      g_free (data->old_key_id);
      data->old_key_id = g_strdup (self->secret->key_id);
    }

  g_debug ("Provisioning a connector secret for %s", tenant_id (self));
  cqv_connector_ensure_service_principals_async (self->connector, g_task_get_cancellable (task),
                                                 provision_ensured_cb, g_object_ref (task));
}

static void
check_key_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GTask) task = user_data;
  CqvConnectorSecrets *self = g_task_get_source_object (task);
  g_autoptr (GPtrArray) credentials = NULL;
  g_autoptr (GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr (GError) error = NULL;
  GTimeSpan window;

  credentials =
    cqv_connector_ensure_service_principals_finish (CQV_CONNECTOR (object), result, &error);
  if (credentials == NULL)
    {
      complete (task, g_steal_pointer (&error));
      return;
    }

  /* A stored secret may still be propagating when it was made within the window (by another
   * run moments ago): wait for it then. Otherwise it failed for good. */
  window = (GTimeSpan) cqv_connector_get_propagation_timeout_ms (self->connector) * 1000;
  for (guint i = 0; i < credentials->len; i++)
    {
      CqvConnectorCredential *credential = g_ptr_array_index (credentials, i);

      if (g_strcmp0 (credential->key_id, self->secret->key_id) == 0 && credential->start != NULL &&
          g_date_time_difference (now, credential->start) < START_BACKDATE + window)
        {
          g_debug ("The stored connector secret is new; waiting for it to propagate");
          use_secret (task, TRUE);
          return;
        }
    }

  provision (task);
}

static void
apps_enabled_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GTask) task = user_data;
  EnsureData *data = g_task_get_task_data (task);
  g_autoptr (GPtrArray) credentials = NULL;
  g_autoptr (GError) error = NULL;

  credentials =
    cqv_connector_ensure_service_principals_finish (CQV_CONNECTOR (object), result, &error);
  if (credentials == NULL)
    complete (task, g_steal_pointer (&error));
  else
    use_secret (task, data->provisioned);
}

static void
token_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GTask) task = user_data;
  CqvConnectorSecrets *self = g_task_get_source_object (task);
  EnsureData *data = g_task_get_task_data (task);
  g_autoptr (GError) error = NULL;
  char *token;

  token = cqv_connector_get_token_finish (CQV_CONNECTOR (object), result, &error);
  if (token != NULL)
    {
      cqv_token_free (token);
      complete (task, NULL);
      return;
    }

  if (g_error_matches (error, CQV_AUTH_ERROR, CQV_AUTH_ERROR_MFA_CLIENT_DISABLED) ||
      g_error_matches (error, CQV_AUTH_ERROR, CQV_AUTH_ERROR_MFA_CONNECTOR_DISABLED))
    {
      if (data->enabled_apps)
        {
          complete (task, g_steal_pointer (&error));
          return;
        }
      data->enabled_apps = TRUE;
      g_debug ("An MFA app is disabled; enabling it: %s", error->message);
      cqv_connector_ensure_service_principals_async (self->connector, g_task_get_cancellable (task),
                                                     apps_enabled_cb, g_object_ref (task));
      return;
    }

  /* Expired, or its service principal (and every secret on it) deleted: make a new one. */
  if ((g_error_matches (error, CQV_AUTH_ERROR, CQV_AUTH_ERROR_EXPIRED_SECRET) ||
       g_error_matches (error, CQV_AUTH_ERROR, CQV_AUTH_ERROR_APP_NOT_IN_TENANT)) &&
      !data->provisioned)
    {
      provision (task);
      return;
    }

  if (g_error_matches (error, CQV_AUTH_ERROR, CQV_AUTH_ERROR_INVALID_SECRET) && !data->provisioned)
    {
      if (data->checked_key || self->secret->key_id == NULL)
        {
          provision (task);
          return;
        }
      data->checked_key = TRUE;
      cqv_connector_ensure_service_principals_async (self->connector, g_task_get_cancellable (task),
                                                     check_key_cb, g_object_ref (task));
      return;
    }

  if (g_error_matches (error, CQV_AUTH_ERROR, CQV_AUTH_ERROR_INVALID_SECRET))
    g_prefix_error (&error,
                    _("The new MFA connector secret still did not work after %u seconds. "),
                       cqv_connector_get_propagation_timeout_ms (self->connector) / 1000);

  complete (task, g_steal_pointer (&error));
}

static void
use_secret (GTask *task, gboolean wait)
{
  CqvConnectorSecrets *self = g_task_get_source_object (task);

  cqv_connector_set_secret (self->connector, self->secret->value);
  cqv_connector_get_token_async (self->connector, wait, g_task_get_cancellable (task), token_cb,
                                 g_object_ref (task));
}

static void
lookup_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GTask) task = user_data;
  CqvConnectorSecrets *self = g_task_get_source_object (task);
  g_autoptr (CqvSecret) secret = NULL;
  g_autoptr (GError) error = NULL;

  secret = cqv_secret_store_lookup_finish (CQV_SECRET_STORE (object), result, &error);
  if (error != NULL)
    {
      complete (task, g_steal_pointer (&error));
      return;
    }

  self->looked_up = TRUE;
  if (secret != NULL && secret->value != NULL)
    {
      g_clear_pointer (&self->secret, cqv_secret_free);
      self->secret = g_steal_pointer (&secret);
    }

  if (self->secret == NULL || is_expiring (self->secret))
    provision (task);
  else
    use_secret (task, FALSE);
}

static void
run (GTask *task)
{
  CqvConnectorSecrets *self = g_task_get_source_object (task);

  if (g_cancellable_is_cancelled (g_task_get_cancellable (task)))
    {
      complete (task, g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED, _("Cancelled")));
      return;
    }

  if (self->secret != NULL && !is_expiring (self->secret))
    use_secret (task, FALSE);
  else if (!self->looked_up)
    cqv_secret_store_lookup_async (self->store, tenant_id (self), CQV_MFA_CLIENT_APP_ID,
                                   CQV_SECRET_KIND_CONNECTOR, g_task_get_cancellable (task),
                                   lookup_cb, g_object_ref (task));
  else
    provision (task);
}

static void
start_next (CqvConnectorSecrets *self)
{
  GTask *next = g_queue_peek_head (&self->queue);

  if (next != NULL)
    run (next);
}

static void
cqv_connector_secrets_finalize (GObject *object)
{
  CqvConnectorSecrets *self = (CqvConnectorSecrets *) object;

  /* Queued tasks hold a reference on us, so the queue is empty here. */
  g_assert (g_queue_is_empty (&self->queue));

  g_clear_object (&self->store);
  g_clear_object (&self->connector);
  g_clear_pointer (&self->secret, cqv_secret_free);

  G_OBJECT_CLASS (cqv_connector_secrets_parent_class)->finalize (object);
}

static void
cqv_connector_secrets_class_init (CqvConnectorSecretsClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = cqv_connector_secrets_finalize;
}

static void
cqv_connector_secrets_init (CqvConnectorSecrets *self)
{
  g_queue_init (&self->queue);
}

CqvConnectorSecrets *
cqv_connector_secrets_new (CqvSecretStore *store, CqvConnector *connector)
{
  CqvConnectorSecrets *self;

  g_return_val_if_fail (CQV_IS_SECRET_STORE (store), NULL);
  g_return_val_if_fail (CQV_IS_CONNECTOR (connector), NULL);

  self = g_object_new (CQV_TYPE_CONNECTOR_SECRETS, NULL);
  self->store = g_object_ref (store);
  self->connector = g_object_ref (connector);
  return self;
}

void
cqv_connector_secrets_ensure_async (CqvConnectorSecrets *self,
                                    GCancellable *cancellable,
                                    GAsyncReadyCallback callback,
                                    gpointer user_data)
{
  GTask *task;

  g_return_if_fail (CQV_IS_CONNECTOR_SECRETS (self));
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, cqv_connector_secrets_ensure_async);
  g_task_set_task_data (task, g_new0 (EnsureData, 1), (GDestroyNotify) ensure_data_free);

  /* The queue owns the task until it completes. */
  g_queue_push_tail (&self->queue, task);
  if (g_queue_get_length (&self->queue) == 1)
    run (task);
}

gboolean
cqv_connector_secrets_ensure_finish (CqvConnectorSecrets *self,
                                     GAsyncResult *result,
                                     GError **error)
{
  g_return_val_if_fail (CQV_IS_CONNECTOR_SECRETS (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

const char *
cqv_connector_secrets_get_key_id (CqvConnectorSecrets *self)
{
  g_return_val_if_fail (CQV_IS_CONNECTOR_SECRETS (self), NULL);

  return self->secret != NULL ? self->secret->key_id : NULL;
}

guint
cqv_connector_secrets_get_provisioned_count (CqvConnectorSecrets *self)
{
  g_return_val_if_fail (CQV_IS_CONNECTOR_SECRETS (self), 0);

  return self->provisioned_count;
}
