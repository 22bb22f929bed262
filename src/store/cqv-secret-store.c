/* SPDX-License-Identifier: GPL-3.0-or-later */

#define G_LOG_DOMAIN "cqv-secret-store"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <libsecret/secret.h>
#include <string.h>

#include "cqv-secret-store.h"

/* Two back ends behind one API: the Secret Service (libsecret, async on the calling thread's
 * main context) and a hash table for demo mode and tests. Both deliver every result from the
 * main loop, never synchronously: GTask defers a result returned in the iteration that created
 * the task.
 *
 * Error mapping (domain and code, never the text):
 *   no session bus, org.freedesktop.secrets not activatable or gone   -> NO_SERVICE
 *   SECRET_ERROR_IS_LOCKED, or items still locked after an unlock try  -> LOCKED
 *   G_IO_ERROR_CANCELLED although our cancellable was not cancelled
 *   (an unlock prompt that libsecret reports as cancelled)             -> UNLOCK_REFUSED
 *   the default collection alias points nowhere (gnome-keyring auto-
 *   activated without a login keyring: G_DBUS_ERROR_UNKNOWN_METHOD,
 *   _UNKNOWN_OBJECT or SECRET_ERROR_NO_SUCH_OBJECT while storing)      -> FAILED, own message
 *     (FAILED rather than LOCKED: there is nothing to unlock, the user has to create a keyring)
 *   anything else                                                      -> FAILED
 * Our own cancellation stays G_IO_ERROR_CANCELLED.
 *
 * gnome-keyring reports an unlock prompt that could not be shown (no display) exactly like one
 * the user dismissed, and libsecret then fails the store with SECRET_ERROR_IS_LOCKED and makes a
 * search return the items still locked; both become LOCKED, whose message fits either case. */

struct _CqvSecretStore
{
  GObject parent_instance;

  /* "tenant\nclient\nkind" -> CqvSecret; NULL for the keyring back end. */
  GHashTable *memory;
};

typedef enum
{
  STAGE_CONNECT,
  STAGE_STORE,
  STAGE_OTHER,
} Stage;

typedef struct
{
  char *tenant_id;
  char *client_id;
  CqvSecretKind kind;
  char *label;
  CqvSecret *secret;
  SecretService *service;
  GList *doomed;            /* SecretItem, still to delete */
  gboolean cleaning_up : 1; /* deleting stale variants after a store: failures do not count */
} OpData;

/* Deletes op->doomed one by one, then returns TRUE; takes the task. */
static void delete_next (GTask *task);

G_DEFINE_FINAL_TYPE (CqvSecretStore, cqv_secret_store, G_TYPE_OBJECT)

/* clang-format off */
G_DEFINE_QUARK (cqv-secret-error-quark, cqv_secret_error)
/* clang-format on */

G_DEFINE_BOXED_TYPE (CqvSecret, cqv_secret, cqv_secret_copy, cqv_secret_free)

#define ATTR_TENANT_ID "tenant-id"
#define ATTR_CLIENT_ID "client-id"
#define ATTR_KIND "kind"
#define ATTR_KEY_ID "key-id"
#define ATTR_EXPIRES "expires"

static const SecretSchema *
get_schema (void)
{
  static const SecretSchema schema = {
    "com.cyberqp.Verify.Secret",
    SECRET_SCHEMA_NONE,
    {
      { ATTR_TENANT_ID, SECRET_SCHEMA_ATTRIBUTE_STRING },
      { ATTR_CLIENT_ID, SECRET_SCHEMA_ATTRIBUTE_STRING },
      { ATTR_KIND, SECRET_SCHEMA_ATTRIBUTE_STRING },
      /* Not identifying: what we know about the connector secret. */
      { ATTR_KEY_ID, SECRET_SCHEMA_ATTRIBUTE_STRING },
      { ATTR_EXPIRES, SECRET_SCHEMA_ATTRIBUTE_STRING },
      { NULL, 0 },
    },
  };

  return &schema;
}

static void
op_data_free (gpointer data)
{
  OpData *op = data;

  g_free (op->tenant_id);
  g_free (op->client_id);
  g_free (op->label);
  g_clear_pointer (&op->secret, cqv_secret_free);
  g_clear_object (&op->service);
  g_list_free_full (op->doomed, g_object_unref);
  g_free (op);
}

static OpData *
op_data_new (const char *tenant_id, const char *client_id, CqvSecretKind kind)
{
  OpData *op = g_new0 (OpData, 1);

  op->tenant_id = g_strdup (tenant_id);
  op->client_id = g_strdup (client_id);
  op->kind = kind;

  return op;
}

static char *
format_expires (GDateTime *expires)
{
  g_autoptr (GDateTime) utc = NULL;

  if (expires == NULL)
    return NULL;

  utc = g_date_time_to_utc (expires);
  return g_date_time_format_iso8601 (utc);
}

static GDateTime *
parse_expires (const char *text)
{
  if (text == NULL || *text == '\0')
    return NULL;

  return g_date_time_new_from_iso8601 (text, NULL);
}

/* The identifying attributes; @client_id NULL and @kind < 0 leave them out (for clear). */
static GHashTable *
build_attributes (const char *tenant_id, const char *client_id, int kind)
{
  GHashTable *attributes = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, g_free);

  g_hash_table_insert (attributes, (gpointer) ATTR_TENANT_ID, g_strdup (tenant_id));
  if (client_id != NULL)
    g_hash_table_insert (attributes, (gpointer) ATTR_CLIENT_ID, g_strdup (client_id));
  if (kind >= 0)
    g_hash_table_insert (attributes, (gpointer) ATTR_KIND,
                         g_strdup (cqv_secret_kind_to_string ((CqvSecretKind) kind)));

  return attributes;
}

static GHashTable *
build_full_attributes (OpData *op)
{
  GHashTable *attributes = build_attributes (op->tenant_id, op->client_id, op->kind);

  if (op->secret->key_id != NULL)
    g_hash_table_insert (attributes, (gpointer) ATTR_KEY_ID, g_strdup (op->secret->key_id));
  if (op->secret->expires != NULL)
    g_hash_table_insert (attributes, (gpointer) ATTR_EXPIRES, format_expires (op->secret->expires));

  return attributes;
}

static char *
memory_key (const char *tenant_id, const char *client_id, CqvSecretKind kind)
{
  return g_strdup_printf ("%s\n%s\n%s", tenant_id, client_id, cqv_secret_kind_to_string (kind));
}

static gboolean
is_no_service_error (const GError *error, Stage stage)
{
  static const int no_service_codes[] = {
    G_DBUS_ERROR_SERVICE_UNKNOWN,
    G_DBUS_ERROR_NAME_HAS_NO_OWNER,
    G_DBUS_ERROR_DISCONNECTED,
    G_DBUS_ERROR_SPAWN_EXEC_FAILED,
    G_DBUS_ERROR_SPAWN_FORK_FAILED,
    G_DBUS_ERROR_SPAWN_CHILD_EXITED,
    G_DBUS_ERROR_SPAWN_CHILD_SIGNALED,
    G_DBUS_ERROR_SPAWN_FAILED,
    G_DBUS_ERROR_SPAWN_SETUP_FAILED,
    G_DBUS_ERROR_SPAWN_CONFIG_INVALID,
    G_DBUS_ERROR_SPAWN_SERVICE_INVALID,
    G_DBUS_ERROR_SPAWN_SERVICE_NOT_FOUND,
    G_DBUS_ERROR_SPAWN_PERMISSIONS_INVALID,
    G_DBUS_ERROR_SPAWN_FILE_INVALID,
    G_DBUS_ERROR_SPAWN_NO_MEMORY,
  };

  for (guint i = 0; i < G_N_ELEMENTS (no_service_codes); i++)
    {
      if (g_error_matches (error, G_DBUS_ERROR, no_service_codes[i]))
        return TRUE;
    }

  /* g_bus_get(): no session bus at all ("Cannot autolaunch D-Bus without X11 $DISPLAY"), or
   * the connection closed under us. */
  if (stage == STAGE_CONNECT && error->domain == G_IO_ERROR)
    return TRUE;

  return g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CLOSED);
}

static GError *
new_locked_error (void)
{
  return g_error_new_literal (
    CQV_SECRET_ERROR, CQV_SECRET_ERROR_LOCKED,
    _("The keyring is locked. Unlock it (for example in Passwords and Keys) and try again."));
}

/* Takes @error, returns what the caller sees. */
static GError *
map_error (GError *error, GCancellable *cancellable, Stage stage)
{
  g_autoptr (GError) owned = error;

  g_assert (error != NULL);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      if (g_cancellable_is_cancelled (cancellable))
        return g_steal_pointer (&owned);
      return g_error_new_literal (
        CQV_SECRET_ERROR, CQV_SECRET_ERROR_UNLOCK_REFUSED,
        _("The keyring stayed locked because the unlock prompt was dismissed. Unlock it (for example in Passwords and Keys) and try again."));
    }

  if (is_no_service_error (error, stage))
    return g_error_new_literal (
      CQV_SECRET_ERROR, CQV_SECRET_ERROR_NO_SERVICE,
      _("No keyring service is running. Install and start GNOME Keyring (package gnome-keyring), or use a desktop with a Secret Service, then try again."));

  if (g_error_matches (error, SECRET_ERROR, SECRET_ERROR_IS_LOCKED))
    return new_locked_error ();

  /* gnome-keyring answers for the missing collection with UnknownMethod ("Object does not
   * exist at path …/collection/login"), other services with UnknownObject or NoSuchObject. */
  if (stage == STAGE_STORE && (g_error_matches (error, G_DBUS_ERROR, G_DBUS_ERROR_UNKNOWN_OBJECT) ||
                               g_error_matches (error, G_DBUS_ERROR, G_DBUS_ERROR_UNKNOWN_METHOD) ||
                               g_error_matches (error, SECRET_ERROR, SECRET_ERROR_NO_SUCH_OBJECT)))
    return g_error_new_literal (
      CQV_SECRET_ERROR, CQV_SECRET_ERROR_FAILED,
      _("The keyring has no default collection to keep secrets in. Open Passwords and Keys, create a keyring (or set one as the default), then try again."));

  /* The keyring's own words: D-Bus error text carries no secret values. */
  g_dbus_error_strip_remote_error (error);
  return g_error_new (CQV_SECRET_ERROR, CQV_SECRET_ERROR_FAILED,
                      _("The keyring reported an error: %s"), error->message);
}

static void
return_error (GTask *task, GError *error, Stage stage)
{
  g_task_return_error (task, map_error (error, g_task_get_cancellable (task), stage));
}

static CqvSecret *
secret_from_item (SecretItem *item)
{
  g_autoptr (SecretValue) value = NULL;
  g_autoptr (GHashTable) attributes = NULL;
  g_autoptr (GDateTime) expires = NULL;
  const char *text;

  value = secret_item_get_secret (item);
  if (value == NULL)
    return NULL;

  text = secret_value_get_text (value);
  if (text == NULL)
    return NULL;

  attributes = secret_item_get_attributes (item);
  expires = parse_expires (g_hash_table_lookup (attributes, ATTR_EXPIRES));

  return cqv_secret_new (text, g_hash_table_lookup (attributes, ATTR_KEY_ID), expires);
}

static void
delete_item_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GTask) task = user_data;
  g_autoptr (GError) error = NULL;

  OpData *op = g_task_get_task_data (task);

  /* Gone already is what we wanted. */
  if (!secret_item_delete_finish (SECRET_ITEM (object), result, &error) &&
      !g_error_matches (error, G_DBUS_ERROR, G_DBUS_ERROR_UNKNOWN_OBJECT) &&
      !g_error_matches (error, SECRET_ERROR, SECRET_ERROR_NO_SUCH_OBJECT))
    {
      if (!op->cleaning_up)
        {
          return_error (task, g_steal_pointer (&error), STAGE_OTHER);
          return;
        }
      /* The new secret is stored; lookup prefers the newest if an old variant lingers. */
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_warning ("Could not remove an older keyring item: %s", error->message);
    }

  delete_next (g_steal_pointer (&task));
}

static void
delete_next (GTask *task)
{
  OpData *op = g_task_get_task_data (task);
  g_autoptr (SecretItem) item = NULL;

  if (op->doomed == NULL)
    {
      g_task_return_boolean (task, TRUE);
      g_object_unref (task);
      return;
    }

  item = op->doomed->data;
  op->doomed = g_list_delete_link (op->doomed, op->doomed);
  secret_item_delete (item, g_task_get_cancellable (task), delete_item_cb, task);
}

static gboolean
attribute_differs (GHashTable *attributes, const char *name, const char *want)
{
  return g_strcmp0 (g_hash_table_lookup (attributes, name), want) != 0;
}

static void
store_stale_search_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GTask) task = user_data;
  OpData *op = g_task_get_task_data (task);
  g_autoptr (GError) error = NULL;
  g_autofree char *expires = NULL;
  GList *items;

  items = secret_service_search_finish (SECRET_SERVICE (object), result, &error);
  if (error != NULL)
    {
      /* The new secret is stored; an older variant may linger, and lookup prefers the newest. */
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_warning ("Could not look for older keyring items: %s", error->message);
      g_task_return_boolean (task, TRUE);
      return;
    }

  op->cleaning_up = TRUE;
  expires = format_expires (op->secret->expires);
  for (GList *l = items; l != NULL; l = l->next)
    {
      g_autoptr (GHashTable) attributes = secret_item_get_attributes (l->data);

      /* The item we just wrote (created or replaced in place) carries exactly these. */
      if (attribute_differs (attributes, ATTR_KEY_ID, op->secret->key_id) ||
          attribute_differs (attributes, ATTR_EXPIRES, expires))
        op->doomed = g_list_prepend (op->doomed, g_object_ref (l->data));
    }
  g_list_free_full (items, g_object_unref);

  delete_next (g_steal_pointer (&task));
}

static void
store_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GTask) task = user_data;
  GCancellable *cancellable = g_task_get_cancellable (task);
  OpData *op = g_task_get_task_data (task);
  g_autoptr (GError) error = NULL;
  g_autoptr (GHashTable) attributes = NULL;

  if (!secret_service_store_finish (op->service, result, &error))
    {
      return_error (task, g_steal_pointer (&error), STAGE_STORE);
      return;
    }

  /* Replacing only matches identical attributes: remove variants with another key id or
   * expiry. Done after storing so that a failed store never loses the old secret. */
  attributes = build_attributes (op->tenant_id, op->client_id, op->kind);
  secret_service_search (op->service, get_schema (), attributes, SECRET_SEARCH_ALL, cancellable,
                         store_stale_search_cb, g_steal_pointer (&task));
}

static void
store_service_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GTask) task = user_data;
  GCancellable *cancellable = g_task_get_cancellable (task);
  OpData *op = g_task_get_task_data (task);
  g_autoptr (GError) error = NULL;
  g_autoptr (GHashTable) attributes = NULL;
  g_autoptr (SecretValue) value = NULL;

  op->service = secret_service_get_finish (result, &error);
  if (op->service == NULL)
    {
      return_error (task, g_steal_pointer (&error), STAGE_CONNECT);
      return;
    }

  attributes = build_full_attributes (op);
  value = secret_value_new (op->secret->value, -1, "text/plain");
  secret_service_store (op->service, get_schema (), attributes, SECRET_COLLECTION_DEFAULT,
                        op->label, value, cancellable, store_cb, g_steal_pointer (&task));
}

static void
lookup_search_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GTask) task = user_data;
  g_autoptr (GError) error = NULL;
  CqvSecret *found = NULL;
  guint64 found_modified = 0;
  gboolean any_locked = FALSE;
  GList *items;

  items = secret_service_search_finish (SECRET_SERVICE (object), result, &error);
  if (error != NULL)
    {
      return_error (task, g_steal_pointer (&error), STAGE_OTHER);
      return;
    }

  for (GList *l = items; l != NULL; l = l->next)
    {
      SecretItem *item = l->data;
      CqvSecret *secret;
      guint64 modified;

      /* Unlocked items have their secret loaded; a still-locked one has none. */
      secret = secret_from_item (item);
      if (secret == NULL)
        {
          any_locked |= secret_item_get_locked (item);
          continue;
        }

      /* Normally there is one; if an older variant lingers, the newest wins. */
      modified = secret_item_get_modified (item);
      if (found == NULL || modified > found_modified)
        {
          g_clear_pointer (&found, cqv_secret_free);
          found = secret;
          found_modified = modified;
        }
      else
        cqv_secret_free (secret);
    }
  g_list_free_full (items, g_object_unref);

  if (found == NULL && any_locked)
    g_task_return_error (task, new_locked_error ());
  else
    g_task_return_pointer (task, found, (GDestroyNotify) cqv_secret_free);
}

static void
lookup_service_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GTask) task = user_data;
  GCancellable *cancellable = g_task_get_cancellable (task);
  OpData *op = g_task_get_task_data (task);
  g_autoptr (GError) error = NULL;
  g_autoptr (GHashTable) attributes = NULL;

  op->service = secret_service_get_finish (result, &error);
  if (op->service == NULL)
    {
      return_error (task, g_steal_pointer (&error), STAGE_CONNECT);
      return;
    }

  attributes = build_attributes (op->tenant_id, op->client_id, op->kind);
  secret_service_search (op->service, get_schema (), attributes,
                         SECRET_SEARCH_ALL | SECRET_SEARCH_UNLOCK | SECRET_SEARCH_LOAD_SECRETS,
                         cancellable, lookup_search_cb, g_steal_pointer (&task));
}

static void
clear_search_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GTask) task = user_data;
  OpData *op = g_task_get_task_data (task);
  g_autoptr (GError) error = NULL;

  op->doomed = secret_service_search_finish (SECRET_SERVICE (object), result, &error);
  if (error != NULL)
    {
      return_error (task, g_steal_pointer (&error), STAGE_OTHER);
      return;
    }

  for (GList *l = op->doomed; l != NULL; l = l->next)
    {
      if (secret_item_get_locked (l->data))
        {
          g_task_return_error (task, new_locked_error ());
          return;
        }
    }

  delete_next (g_steal_pointer (&task));
}

static void
clear_service_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GTask) task = user_data;
  GCancellable *cancellable = g_task_get_cancellable (task);
  OpData *op = g_task_get_task_data (task);
  g_autoptr (GError) error = NULL;
  g_autoptr (GHashTable) attributes = NULL;

  op->service = secret_service_get_finish (result, &error);
  if (op->service == NULL)
    {
      return_error (task, g_steal_pointer (&error), STAGE_CONNECT);
      return;
    }

  attributes = build_attributes (op->tenant_id, op->client_id, -1);
  secret_service_search (op->service, get_schema (), attributes,
                         SECRET_SEARCH_ALL | SECRET_SEARCH_UNLOCK, cancellable, clear_search_cb,
                         g_steal_pointer (&task));
}

static gboolean
memory_entry_matches (const char *key, const char *tenant_id, const char *client_id)
{
  g_auto (GStrv) parts = g_strsplit (key, "\n", 3);

  return g_strcmp0 (parts[0], tenant_id) == 0 &&
         (client_id == NULL || g_strcmp0 (parts[1], client_id) == 0);
}

static void
cqv_secret_store_finalize (GObject *object)
{
  CqvSecretStore *self = (CqvSecretStore *) object;

  g_clear_pointer (&self->memory, g_hash_table_unref);

  G_OBJECT_CLASS (cqv_secret_store_parent_class)->finalize (object);
}

static void
cqv_secret_store_class_init (CqvSecretStoreClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = cqv_secret_store_finalize;
}

static void
cqv_secret_store_init (CqvSecretStore *self)
{
}

const char *
cqv_secret_kind_to_string (CqvSecretKind kind)
{
  switch (kind)
    {
    case CQV_SECRET_KIND_APP:
      return "app-secret";
    case CQV_SECRET_KIND_CONNECTOR:
      return "connector-secret";
    default:
      g_return_val_if_reached (NULL);
    }
}

CqvSecret *
cqv_secret_new (const char *value, const char *key_id, GDateTime *expires)
{
  CqvSecret *secret;

  g_return_val_if_fail (value != NULL, NULL);

  secret = g_new0 (CqvSecret, 1);
  secret->value = g_strdup (value);
  secret->key_id = g_strdup (key_id);
  secret->expires = expires != NULL ? g_date_time_ref (expires) : NULL;

  return secret;
}

CqvSecret *
cqv_secret_copy (const CqvSecret *secret)
{
  g_return_val_if_fail (secret != NULL, NULL);

  return cqv_secret_new (secret->value, secret->key_id, secret->expires);
}

void
cqv_secret_free (CqvSecret *secret)
{
  if (secret == NULL)
    return;

  cqv_secret_wipe_string (secret->value);
  g_free (secret->key_id);
  g_clear_pointer (&secret->expires, g_date_time_unref);
  g_free (secret);
}

void
cqv_secret_wipe_string (char *str)
{
  if (str == NULL)
    return;

  /* Through a volatile pointer, so the compiler cannot drop the stores before free(). */
  for (volatile char *p = str; *p != '\0'; p++)
    *p = '\0';

  g_free (str);
}

/**
 * cqv_secret_store_new:
 *
 * Returns: (transfer full): a store backed by the Secret Service
 */
CqvSecretStore *
cqv_secret_store_new (void)
{
  return g_object_new (CQV_TYPE_SECRET_STORE, NULL);
}

/**
 * cqv_secret_store_new_in_memory:
 *
 * Returns: (transfer full): a store that keeps secrets in this process only
 */
CqvSecretStore *
cqv_secret_store_new_in_memory (void)
{
  CqvSecretStore *self = g_object_new (CQV_TYPE_SECRET_STORE, NULL);

  self->memory =
    g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) cqv_secret_free);

  return self;
}

/**
 * cqv_secret_store_get_in_memory:
 *
 * Returns: whether this store keeps secrets in memory rather than in the keyring
 */
gboolean
cqv_secret_store_get_in_memory (CqvSecretStore *self)
{
  g_return_val_if_fail (CQV_IS_SECRET_STORE (self), FALSE);

  return self->memory != NULL;
}

void
cqv_secret_store_store_async (CqvSecretStore *self,
                              const char *tenant_id,
                              const char *client_id,
                              CqvSecretKind kind,
                              const char *label,
                              const CqvSecret *secret,
                              GCancellable *cancellable,
                              GAsyncReadyCallback callback,
                              gpointer user_data)
{
  g_autoptr (GTask) task = NULL;
  OpData *op;

  g_return_if_fail (CQV_IS_SECRET_STORE (self));
  g_return_if_fail (tenant_id != NULL);
  g_return_if_fail (client_id != NULL);
  g_return_if_fail (kind == CQV_SECRET_KIND_APP || kind == CQV_SECRET_KIND_CONNECTOR);
  g_return_if_fail (secret != NULL && secret->value != NULL);
  /* libsecret drops (never completes) a call whose attributes are not UTF-8. */
  g_return_if_fail (g_utf8_validate (tenant_id, -1, NULL) && g_utf8_validate (client_id, -1, NULL));
  g_return_if_fail (secret->key_id == NULL || g_utf8_validate (secret->key_id, -1, NULL));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, cqv_secret_store_store_async);

  op = op_data_new (tenant_id, client_id, kind);
  op->secret = cqv_secret_copy (secret);
  if (label != NULL)
    op->label = g_strdup (label);
  else if (kind == CQV_SECRET_KIND_APP)
    op->label = g_strdup_printf (_("CyberQP Verify app secret for %s"), tenant_id);
  else
    op->label = g_strdup_printf (_("CyberQP Verify connector secret for %s"), tenant_id);
  g_task_set_task_data (task, op, op_data_free);

  if (g_task_return_error_if_cancelled (task))
    return;

  if (self->memory != NULL)
    {
      g_hash_table_replace (self->memory, memory_key (tenant_id, client_id, kind),
                            g_steal_pointer (&op->secret));
      g_task_return_boolean (task, TRUE);
      return;
    }

  secret_service_get (SECRET_SERVICE_OPEN_SESSION, cancellable, store_service_cb,
                      g_steal_pointer (&task));
}

gboolean
cqv_secret_store_store_finish (CqvSecretStore *self, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (CQV_IS_SECRET_STORE (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == cqv_secret_store_store_async,
                        FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

void
cqv_secret_store_lookup_async (CqvSecretStore *self,
                               const char *tenant_id,
                               const char *client_id,
                               CqvSecretKind kind,
                               GCancellable *cancellable,
                               GAsyncReadyCallback callback,
                               gpointer user_data)
{
  g_autoptr (GTask) task = NULL;

  g_return_if_fail (CQV_IS_SECRET_STORE (self));
  g_return_if_fail (tenant_id != NULL);
  g_return_if_fail (client_id != NULL);
  g_return_if_fail (kind == CQV_SECRET_KIND_APP || kind == CQV_SECRET_KIND_CONNECTOR);
  g_return_if_fail (g_utf8_validate (tenant_id, -1, NULL) && g_utf8_validate (client_id, -1, NULL));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, cqv_secret_store_lookup_async);
  g_task_set_task_data (task, op_data_new (tenant_id, client_id, kind), op_data_free);

  if (g_task_return_error_if_cancelled (task))
    return;

  if (self->memory != NULL)
    {
      g_autofree char *key = memory_key (tenant_id, client_id, kind);
      CqvSecret *secret = g_hash_table_lookup (self->memory, key);

      g_task_return_pointer (task, secret != NULL ? cqv_secret_copy (secret) : NULL,
                             (GDestroyNotify) cqv_secret_free);
      return;
    }

  secret_service_get (SECRET_SERVICE_OPEN_SESSION, cancellable, lookup_service_cb,
                      g_steal_pointer (&task));
}

/**
 * cqv_secret_store_lookup_finish:
 *
 * Returns: (transfer full) (nullable): the secret, or %NULL (no error) when there is none
 */
CqvSecret *
cqv_secret_store_lookup_finish (CqvSecretStore *self, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (CQV_IS_SECRET_STORE (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == cqv_secret_store_lookup_async,
                        NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

void
cqv_secret_store_clear_async (CqvSecretStore *self,
                              const char *tenant_id,
                              const char *client_id,
                              GCancellable *cancellable,
                              GAsyncReadyCallback callback,
                              gpointer user_data)
{
  g_autoptr (GTask) task = NULL;

  g_return_if_fail (CQV_IS_SECRET_STORE (self));
  g_return_if_fail (tenant_id != NULL && g_utf8_validate (tenant_id, -1, NULL));
  g_return_if_fail (client_id == NULL || g_utf8_validate (client_id, -1, NULL));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, cqv_secret_store_clear_async);
  g_task_set_task_data (task, op_data_new (tenant_id, client_id, CQV_SECRET_KIND_APP),
                        op_data_free);

  if (g_task_return_error_if_cancelled (task))
    return;

  if (self->memory != NULL)
    {
      GHashTableIter iter;
      const char *key;

      g_hash_table_iter_init (&iter, self->memory);
      while (g_hash_table_iter_next (&iter, (gpointer *) &key, NULL))
        {
          if (memory_entry_matches (key, tenant_id, client_id))
            g_hash_table_iter_remove (&iter);
        }
      g_task_return_boolean (task, TRUE);
      return;
    }

  secret_service_get (SECRET_SERVICE_OPEN_SESSION, cancellable, clear_service_cb,
                      g_steal_pointer (&task));
}

gboolean
cqv_secret_store_clear_finish (CqvSecretStore *self, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (CQV_IS_SECRET_STORE (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == cqv_secret_store_clear_async,
                        FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}
