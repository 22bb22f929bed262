/* SPDX-License-Identifier: GPL-3.0-or-later */

#define G_LOG_DOMAIN "test-secret-store"

#include "config.h"

#include <libsecret/secret.h>
#include <locale.h>
#include <string.h>

#include "cqv-secret-store.h"

/* Runs three times: inside a session with an unlocked GNOME Keyring (--keyring); with
 * CQV_TEST_KEYRING=none on a bus where no Secret Service can be activated
 * (--no-secret-service); and with CQV_TEST_KEYRING=no-collection on a plain bus (--bus), where
 * gnome-keyring is auto-activated without a login keyring. The in-memory store and the no-bus
 * case run every time. */

#define TENANT_A "8c7b6a5d-1234-4cde-9f00-aabbccddeeff"
#define TENANT_B "contoso.onmicrosoft.com"
#define CLIENT_1 "00000000-0000-0000-0000-000000000001"
#define CLIENT_2 "00000000-0000-0000-0000-000000000002"
#define KEYRING_PASSWORD "cqv-test-keyring" /* what run-in-session.sh unlocks with */

typedef struct
{
  GAsyncResult *result;
  gboolean timed_out;
} Wait;

static void
done_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  Wait *wait = user_data;

  g_assert_null (wait->result);
  wait->result = g_object_ref (result);
}

static gboolean
timeout_cb (gpointer user_data)
{
  Wait *wait = user_data;

  wait->timed_out = TRUE;
  return G_SOURCE_REMOVE;
}

/* Spins the default context until the operation finished; never longer than 20 s. */
static GAsyncResult *
wait_for (Wait *wait)
{
  guint timeout_id;

  /* Results come from the main loop, never from inside the _async call. */
  g_assert_null (wait->result);

  timeout_id = g_timeout_add_seconds (20, timeout_cb, wait);
  while (wait->result == NULL && !wait->timed_out)
    g_main_context_iteration (NULL, TRUE);
  g_assert_false (wait->timed_out);
  g_source_remove (timeout_id);

  return wait->result;
}

static gboolean
store_secret (CqvSecretStore *store,
              const char *tenant_id,
              const char *client_id,
              CqvSecretKind kind,
              const CqvSecret *secret,
              GCancellable *cancellable,
              GError **error)
{
  Wait wait = { NULL };
  g_autoptr (GAsyncResult) result = NULL;

  cqv_secret_store_store_async (store, tenant_id, client_id, kind, NULL, secret, cancellable,
                                done_cb, &wait);
  result = wait_for (&wait);
  return cqv_secret_store_store_finish (store, result, error);
}

static CqvSecret *
lookup_secret (CqvSecretStore *store,
               const char *tenant_id,
               const char *client_id,
               CqvSecretKind kind,
               GError **error)
{
  Wait wait = { NULL };
  g_autoptr (GAsyncResult) result = NULL;

  cqv_secret_store_lookup_async (store, tenant_id, client_id, kind, NULL, done_cb, &wait);
  result = wait_for (&wait);
  return cqv_secret_store_lookup_finish (store, result, error);
}

static gboolean
clear_secrets (CqvSecretStore *store, const char *tenant_id, const char *client_id, GError **error)
{
  Wait wait = { NULL };
  g_autoptr (GAsyncResult) result = NULL;

  cqv_secret_store_clear_async (store, tenant_id, client_id, NULL, done_cb, &wait);
  result = wait_for (&wait);
  return cqv_secret_store_clear_finish (store, result, error);
}

static void
store_ok (CqvSecretStore *store,
          const char *tenant_id,
          const char *client_id,
          CqvSecretKind kind,
          const char *value,
          const char *key_id,
          GDateTime *expires)
{
  g_autoptr (CqvSecret) secret = cqv_secret_new (value, key_id, expires);
  g_autoptr (GError) error = NULL;

  gboolean stored = store_secret (store, tenant_id, client_id, kind, secret, NULL, &error);

  g_assert_no_error (error);
  g_assert_true (stored);
}

static void
assert_lookup (CqvSecretStore *store,
               const char *tenant_id,
               const char *client_id,
               CqvSecretKind kind,
               const char *value,
               const char *key_id,
               GDateTime *expires)
{
  g_autoptr (CqvSecret) secret = NULL;
  g_autoptr (GError) error = NULL;

  secret = lookup_secret (store, tenant_id, client_id, kind, &error);
  g_assert_no_error (error);
  if (value == NULL)
    {
      g_assert_null (secret);
      return;
    }

  g_assert_nonnull (secret);
  g_assert_cmpstr (secret->value, ==, value);
  g_assert_cmpstr (secret->key_id, ==, key_id);
  if (expires == NULL)
    g_assert_null (secret->expires);
  else
    g_assert_true (secret->expires != NULL && g_date_time_equal (secret->expires, expires));
}

/* Round trips shared by both back ends. */
static void
check_round_trips (CqvSecretStore *store)
{
  g_autoptr (GDateTime) expires_1 = g_date_time_new_utc (2026, 3, 1, 12, 30, 0);
  g_autoptr (GDateTime) expires_2 = g_date_time_new_utc (2027, 1, 2, 3, 4, 5);
  g_autoptr (GTimeZone) plus_two = g_time_zone_new_offset (2 * 3600);
  g_autoptr (GDateTime) expires_local = g_date_time_new (plus_two, 2028, 6, 30, 23, 59, 59);
  g_autoptr (GError) error = NULL;

  assert_lookup (store, TENANT_A, CLIENT_1, CQV_SECRET_KIND_APP, NULL, NULL, NULL);

  store_ok (store, TENANT_A, CLIENT_1, CQV_SECRET_KIND_APP, "app~secret.Ünïcode", NULL, NULL);
  store_ok (store, TENANT_A, CLIENT_1, CQV_SECRET_KIND_CONNECTOR, "conn-1", "key-1", expires_1);
  assert_lookup (store, TENANT_A, CLIENT_1, CQV_SECRET_KIND_APP, "app~secret.Ünïcode", NULL, NULL);
  assert_lookup (store, TENANT_A, CLIENT_1, CQV_SECRET_KIND_CONNECTOR, "conn-1", "key-1",
                 expires_1);

  /* Replace: a new key id and expiry, then identical attributes, then none at all. */
  store_ok (store, TENANT_A, CLIENT_1, CQV_SECRET_KIND_CONNECTOR, "conn-2", "key-2", expires_2);
  assert_lookup (store, TENANT_A, CLIENT_1, CQV_SECRET_KIND_CONNECTOR, "conn-2", "key-2",
                 expires_2);
  store_ok (store, TENANT_A, CLIENT_1, CQV_SECRET_KIND_CONNECTOR, "conn-3", "key-2", expires_2);
  assert_lookup (store, TENANT_A, CLIENT_1, CQV_SECRET_KIND_CONNECTOR, "conn-3", "key-2",
                 expires_2);
  store_ok (store, TENANT_A, CLIENT_1, CQV_SECRET_KIND_CONNECTOR, "conn-4", NULL, expires_local);
  assert_lookup (store, TENANT_A, CLIENT_1, CQV_SECRET_KIND_CONNECTOR, "conn-4", NULL,
                 expires_local);
  store_ok (store, TENANT_A, CLIENT_1, CQV_SECRET_KIND_APP, "app-2", NULL, NULL);
  assert_lookup (store, TENANT_A, CLIENT_1, CQV_SECRET_KIND_APP, "app-2", NULL, NULL);

  /* Other tenants and clients are separate. */
  store_ok (store, TENANT_B, CLIENT_1, CQV_SECRET_KIND_APP, "b1-app", NULL, NULL);
  store_ok (store, TENANT_B, CLIENT_1, CQV_SECRET_KIND_CONNECTOR, "b1-conn", "k", expires_1);
  store_ok (store, TENANT_B, CLIENT_2, CQV_SECRET_KIND_APP, "b2-app", NULL, NULL);
  assert_lookup (store, TENANT_A, CLIENT_2, CQV_SECRET_KIND_APP, NULL, NULL, NULL);
  assert_lookup (store, TENANT_B, CLIENT_2, CQV_SECRET_KIND_CONNECTOR, NULL, NULL, NULL);

  /* Clearing one tenant leaves the other alone. */
  g_assert_true (clear_secrets (store, TENANT_A, NULL, &error));
  g_assert_no_error (error);
  assert_lookup (store, TENANT_A, CLIENT_1, CQV_SECRET_KIND_APP, NULL, NULL, NULL);
  assert_lookup (store, TENANT_A, CLIENT_1, CQV_SECRET_KIND_CONNECTOR, NULL, NULL, NULL);
  assert_lookup (store, TENANT_B, CLIENT_1, CQV_SECRET_KIND_APP, "b1-app", NULL, NULL);

  /* Clearing one client id of a tenant leaves its other client ids. */
  g_assert_true (clear_secrets (store, TENANT_B, CLIENT_1, &error));
  g_assert_no_error (error);
  assert_lookup (store, TENANT_B, CLIENT_1, CQV_SECRET_KIND_APP, NULL, NULL, NULL);
  assert_lookup (store, TENANT_B, CLIENT_1, CQV_SECRET_KIND_CONNECTOR, NULL, NULL, NULL);
  assert_lookup (store, TENANT_B, CLIENT_2, CQV_SECRET_KIND_APP, "b2-app", NULL, NULL);

  /* Clearing nothing is fine. */
  g_assert_true (clear_secrets (store, "nobody.example.com", NULL, &error));
  g_assert_no_error (error);
  g_assert_true (clear_secrets (store, TENANT_B, NULL, &error));
  g_assert_no_error (error);
  assert_lookup (store, TENANT_B, CLIENT_2, CQV_SECRET_KIND_APP, NULL, NULL, NULL);
}

static void
check_cancelled (CqvSecretStore *store)
{
  g_autoptr (GCancellable) cancellable = g_cancellable_new ();
  g_autoptr (CqvSecret) secret = cqv_secret_new ("x", NULL, NULL);
  g_autoptr (GError) error = NULL;

  g_cancellable_cancel (cancellable);
  g_assert_false (
    store_secret (store, TENANT_A, CLIENT_1, CQV_SECRET_KIND_APP, secret, cancellable, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
}

static void
test_secret_boxed (void)
{
  g_autoptr (GDateTime) expires = g_date_time_new_utc (2026, 1, 1, 0, 0, 0);
  g_autoptr (CqvSecret) secret = cqv_secret_new ("value", "key", expires);
  g_autoptr (CqvSecret) copy = g_boxed_copy (CQV_TYPE_SECRET, secret);
  char *wiped = g_strdup ("to be wiped");

  g_assert_true (copy != secret && copy->value != secret->value);
  g_assert_cmpstr (copy->value, ==, "value");
  g_assert_cmpstr (copy->key_id, ==, "key");
  g_assert_true (g_date_time_equal (copy->expires, expires));
  g_assert_cmpstr (cqv_secret_kind_to_string (CQV_SECRET_KIND_APP), ==, "app-secret");
  g_assert_cmpstr (cqv_secret_kind_to_string (CQV_SECRET_KIND_CONNECTOR), ==, "connector-secret");

  cqv_secret_wipe_string (wiped);
  cqv_secret_wipe_string (NULL);
  cqv_secret_free (NULL);
}

static void
test_memory_round_trip (void)
{
  g_autoptr (CqvSecretStore) store = cqv_secret_store_new_in_memory ();

  g_assert_true (cqv_secret_store_get_in_memory (store));
  check_round_trips (store);
  check_cancelled (store);
  g_assert_finalize_object (g_steal_pointer (&store));
}

static void
test_no_bus (void)
{
  if (g_test_subprocess ())
    {
      g_autoptr (CqvSecretStore) store = NULL;
      g_autoptr (CqvSecret) secret = cqv_secret_new ("x", NULL, NULL);
      g_autoptr (GError) error = NULL;

      /* Before anything touches D-Bus in this child: no session bus at all. */
      g_unsetenv ("DBUS_SESSION_BUS_ADDRESS");
      g_unsetenv ("DISPLAY");
      store = cqv_secret_store_new ();
      g_assert_false (
        store_secret (store, TENANT_A, CLIENT_1, CQV_SECRET_KIND_APP, secret, NULL, &error));
      g_assert_error (error, CQV_SECRET_ERROR, CQV_SECRET_ERROR_NO_SERVICE);
      g_assert_nonnull (strstr (error->message, "gnome-keyring"));
      return;
    }

  g_test_trap_subprocess (NULL, 20 * G_USEC_PER_SEC, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_passed ();
}

static void
test_no_service (void)
{
  g_autoptr (CqvSecretStore) store = cqv_secret_store_new ();
  g_autoptr (CqvSecret) secret = cqv_secret_new ("x", "k", NULL);
  g_autoptr (CqvSecret) found = NULL;
  g_autoptr (GError) error = NULL;
  gint64 start = g_get_monotonic_time ();

  g_assert_false (cqv_secret_store_get_in_memory (store));

  g_assert_false (
    store_secret (store, TENANT_A, CLIENT_1, CQV_SECRET_KIND_CONNECTOR, secret, NULL, &error));
  g_assert_error (error, CQV_SECRET_ERROR, CQV_SECRET_ERROR_NO_SERVICE);
  g_assert_nonnull (strstr (error->message, "Install and start GNOME Keyring"));
  g_clear_error (&error);

  found = lookup_secret (store, TENANT_A, CLIENT_1, CQV_SECRET_KIND_APP, &error);
  g_assert_null (found);
  g_assert_error (error, CQV_SECRET_ERROR, CQV_SECRET_ERROR_NO_SERVICE);
  g_clear_error (&error);

  g_assert_false (clear_secrets (store, TENANT_A, NULL, &error));
  g_assert_error (error, CQV_SECRET_ERROR, CQV_SECRET_ERROR_NO_SERVICE);

  /* Promptly: no activation timeout, no prompt. */
  g_assert_cmpint (g_get_monotonic_time () - start, <, 5 * G_USEC_PER_SEC);
}

static void
test_no_collection (void)
{
  g_autoptr (CqvSecretStore) store = cqv_secret_store_new ();
  g_autoptr (CqvSecret) secret = cqv_secret_new ("x", NULL, NULL);
  g_autoptr (GError) error = NULL;

  /* gnome-keyring activated by the bus, never unlocked with a password: there is no login
   * collection, and creating one needs a prompt that cannot be shown. */
  g_assert_false (
    store_secret (store, TENANT_A, CLIENT_1, CQV_SECRET_KIND_APP, secret, NULL, &error));
  g_assert_error (error, CQV_SECRET_ERROR, CQV_SECRET_ERROR_FAILED);
  g_assert_nonnull (strstr (error->message, "no default collection"));
  g_clear_error (&error);

  /* Reading and clearing still work: there is simply nothing. */
  assert_lookup (store, TENANT_A, CLIENT_1, CQV_SECRET_KIND_APP, NULL, NULL, NULL);
  g_assert_true (clear_secrets (store, TENANT_A, NULL, &error));
  g_assert_no_error (error);
}

static GList *
search_items (const char *tenant_id, const char *client_id, const char *kind)
{
  g_autoptr (GHashTable) attributes = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr (GError) error = NULL;
  GList *items;

  g_hash_table_insert (attributes, (gpointer) "tenant-id", (gpointer) tenant_id);
  g_hash_table_insert (attributes, (gpointer) "client-id", (gpointer) client_id);
  g_hash_table_insert (attributes, (gpointer) "kind", (gpointer) kind);
  items = secret_service_search_sync (NULL, NULL, attributes, SECRET_SEARCH_ALL, NULL, &error);
  g_assert_no_error (error);
  return items;
}

static void
test_keyring_round_trip (void)
{
  g_autoptr (CqvSecretStore) store = cqv_secret_store_new ();

  g_assert_false (cqv_secret_store_get_in_memory (store));
  check_round_trips (store);
  check_cancelled (store);
}

static void
test_keyring_items (void)
{
  g_autoptr (CqvSecretStore) store = cqv_secret_store_new ();
  g_autoptr (GDateTime) expires = g_date_time_new_utc (2026, 3, 1, 12, 30, 0);
  g_autoptr (GHashTable) attributes = NULL;
  g_autofree char *label = NULL;
  GList *items;

  /* Three variants of one connector secret leave exactly one item, with our attributes. */
  store_ok (store, TENANT_A, CLIENT_2, CQV_SECRET_KIND_CONNECTOR, "one", "key-1", NULL);
  assert_lookup (store, TENANT_A, CLIENT_2, CQV_SECRET_KIND_CONNECTOR, "one", "key-1", NULL);
  store_ok (store, TENANT_A, CLIENT_2, CQV_SECRET_KIND_CONNECTOR, "two", "key-2", expires);
  assert_lookup (store, TENANT_A, CLIENT_2, CQV_SECRET_KIND_CONNECTOR, "two", "key-2", expires);
  /* Fewer attributes than the stored variant, then more again. */
  store_ok (store, TENANT_A, CLIENT_2, CQV_SECRET_KIND_CONNECTOR, "three", NULL, NULL);
  assert_lookup (store, TENANT_A, CLIENT_2, CQV_SECRET_KIND_CONNECTOR, "three", NULL, NULL);
  store_ok (store, TENANT_A, CLIENT_2, CQV_SECRET_KIND_CONNECTOR, "four", "key-4", expires);
  items = search_items (TENANT_A, CLIENT_2, "connector-secret");
  g_assert_cmpuint (g_list_length (items), ==, 1);

  attributes = secret_item_get_attributes (items->data);
  g_assert_cmpstr (g_hash_table_lookup (attributes, "xdg:schema"), ==, "com.cyberqp.Verify.Secret");
  g_assert_cmpstr (g_hash_table_lookup (attributes, "key-id"), ==, "key-4");
  g_assert_cmpstr (g_hash_table_lookup (attributes, "expires"), ==, "2026-03-01T12:30:00Z");
  label = secret_item_get_label (items->data);
  g_assert_cmpstr (label, ==, "CyberQP Verify connector secret for " TENANT_A);
  g_list_free_full (items, g_object_unref);

  g_assert_true (clear_secrets (store, TENANT_A, NULL, NULL));
  items = search_items (TENANT_A, CLIENT_2, "connector-secret");
  g_assert_null (items);
}

static void
test_keyring_secret_tool (void)
{
  g_autoptr (CqvSecretStore) store = cqv_secret_store_new ();
  g_autofree char *secret_tool = g_find_program_in_path ("secret-tool");
  g_autofree char *out = NULL;
  g_autoptr (GError) error = NULL;
  int status = -1;

  if (secret_tool == NULL)
    {
      g_test_skip ("secret-tool is not installed (package libsecret-tools)");
      return;
    }

  store_ok (store, TENANT_B, CLIENT_1, CQV_SECRET_KIND_APP, "visible-to-secret-tool", NULL, NULL);

  {
    const char *argv[] = { secret_tool, "lookup", "tenant-id",  TENANT_B, "client-id",
                           CLIENT_1,    "kind",   "app-secret", NULL };

    g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, &out,
                                 NULL, &status, &error));
  }
  g_assert_no_error (error);
  g_assert_true (g_spawn_check_wait_status (status, NULL));
  g_assert_cmpstr (out, ==, "visible-to-secret-tool");

  g_assert_true (clear_secrets (store, TENANT_B, NULL, NULL));
}

static void
set_default_collection_locked (gboolean locked)
{
  g_autoptr (GError) error = NULL;

  if (locked)
    {
      g_autoptr (SecretService) service =
        secret_service_get_sync (SECRET_SERVICE_NONE, NULL, &error);
      g_autoptr (SecretCollection) collection = NULL;
      GList *objects;
      int n;

      g_assert_no_error (error);
      collection = secret_collection_for_alias_sync (service, SECRET_COLLECTION_DEFAULT,
                                                     SECRET_COLLECTION_NONE, NULL, &error);
      g_assert_no_error (error);
      g_assert_nonnull (collection);
      objects = g_list_append (NULL, collection);
      n = secret_service_lock_sync (service, objects, NULL, NULL, &error);
      g_list_free (objects);
      g_assert_no_error (error);
      g_assert_cmpint (n, ==, 1);
    }
  else
    {
      /* Without a prompter, gnome-keyring can only be unlocked through the interface
       * Passwords and Keys uses: a "plain" session and the keyring password. */
      g_autoptr (GDBusConnection) bus = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, &error);
      g_autoptr (GVariant) opened = NULL;
      g_autoptr (GVariant) unlocked = NULL;
      g_autoptr (GVariant) output = NULL;
      const char *session = NULL;

      g_assert_no_error (error);
      opened = g_dbus_connection_call_sync (
        bus, "org.freedesktop.secrets", "/org/freedesktop/secrets",
        "org.freedesktop.Secret.Service", "OpenSession",
        g_variant_new ("(sv)", "plain", g_variant_new_string ("")), G_VARIANT_TYPE ("(vo)"),
        G_DBUS_CALL_FLAGS_NONE, -1, NULL, &error);
      g_assert_no_error (error);
      g_variant_get (opened, "(v&o)", &output, &session);
      unlocked = g_dbus_connection_call_sync (
        bus, "org.freedesktop.secrets", "/org/freedesktop/secrets",
        "org.gnome.keyring.InternalUnsupportedGuiltRiddenInterface", "UnlockWithMasterPassword",
        g_variant_new ("(o(o@ay@ays))", "/org/freedesktop/secrets/collection/login", session,
                       g_variant_new_fixed_array (G_VARIANT_TYPE_BYTE, "", 0, 1),
                       g_variant_new_fixed_array (G_VARIANT_TYPE_BYTE, KEYRING_PASSWORD,
                                                  strlen (KEYRING_PASSWORD), 1),
                       "text/plain"),
        NULL, G_DBUS_CALL_FLAGS_NONE, -1, NULL, &error);
      g_assert_no_error (error);
    }
}

static void
test_keyring_locked (void)
{
  g_autoptr (CqvSecretStore) store = cqv_secret_store_new ();
  g_autoptr (CqvSecret) secret = cqv_secret_new ("locked-out", NULL, NULL);
  g_autoptr (CqvSecret) found = NULL;
  g_autoptr (GError) error = NULL;
  gint64 start;

  store_ok (store, TENANT_A, CLIENT_1, CQV_SECRET_KIND_APP, "before-lock", NULL, NULL);
  set_default_collection_locked (TRUE);
  start = g_get_monotonic_time ();

  /* gnome-keyring asks its prompter to unlock; with no display the prompt cannot be shown and
   * comes back dismissed, so libsecret fails the store with SECRET_ERROR_IS_LOCKED and the
   * searches return the items still locked. */
  g_assert_false (
    store_secret (store, TENANT_A, CLIENT_1, CQV_SECRET_KIND_APP, secret, NULL, &error));
  g_assert_error (error, CQV_SECRET_ERROR, CQV_SECRET_ERROR_LOCKED);
  g_assert_nonnull (strstr (error->message, "locked"));
  g_clear_error (&error);

  found = lookup_secret (store, TENANT_A, CLIENT_1, CQV_SECRET_KIND_APP, &error);
  g_assert_null (found);
  g_assert_error (error, CQV_SECRET_ERROR, CQV_SECRET_ERROR_LOCKED);
  g_clear_error (&error);

  g_assert_false (clear_secrets (store, TENANT_A, NULL, &error));
  g_assert_error (error, CQV_SECRET_ERROR, CQV_SECRET_ERROR_LOCKED);
  g_clear_error (&error);

  g_assert_cmpint (g_get_monotonic_time () - start, <, 10 * G_USEC_PER_SEC);

  /* Nothing was lost or changed while locked. */
  set_default_collection_locked (FALSE);
  assert_lookup (store, TENANT_A, CLIENT_1, CQV_SECRET_KIND_APP, "before-lock", NULL, NULL);
  g_assert_true (clear_secrets (store, TENANT_A, NULL, NULL));
}

int
main (int argc, char *argv[])
{
  /* Set by tests/meson.build for the extra runs; the --keyring run leaves it unset. */
  const char *mode = g_getenv ("CQV_TEST_KEYRING");

  setlocale (LC_ALL, "");
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/cqv/secret-store/secret-boxed", test_secret_boxed);
  g_test_add_func ("/cqv/secret-store/memory/round-trip", test_memory_round_trip);
  g_test_add_func ("/cqv/secret-store/no-bus", test_no_bus);
  if (g_strcmp0 (mode, "none") == 0)
    g_test_add_func ("/cqv/secret-store/no-service", test_no_service);
  else if (g_strcmp0 (mode, "no-collection") == 0)
    g_test_add_func ("/cqv/secret-store/no-collection", test_no_collection);
  else
    {
      g_test_add_func ("/cqv/secret-store/keyring/round-trip", test_keyring_round_trip);
      g_test_add_func ("/cqv/secret-store/keyring/items", test_keyring_items);
      g_test_add_func ("/cqv/secret-store/keyring/secret-tool", test_keyring_secret_tool);
      /* Last: it locks the keyring (and unlocks it again when it passes). */
      g_test_add_func ("/cqv/secret-store/keyring/locked", test_keyring_locked);
    }

  return g_test_run ();
}
