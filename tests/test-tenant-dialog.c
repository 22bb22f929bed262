/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Add, edit and remove a tenant through the dialogs, driven by accessible names.
 *
 * Built twice: as test-tenant-dialog (a private bus with an unlocked GNOME Keyring) and, with
 * CQV_TEST_NO_KEYRING, as test-tenant-dialog-no-keyring (a bus without any Secret Service). */
#include "config.h"

#include <glib/gstdio.h>
#include <gtk/gtk.h>
#include <string.h>

#include "cqv-remove-tenant-dialog.h"
#include "cqv-sim-fixture.h"
#include "cqv-tenant-dialog-private.h"
#include "cqv-tenant-dialog.h"
#include "cqv-tenant-store.h"
#include "cqv-tenant-transfer.h"

#define TIMEOUT_MS 20000
#define SECRET "Yk8~Q.dialog-Secret_value-9f3a"
#define OTHER_SECRET "Pz2~replacement.Secret_value-77"
#define OTHER_CLIENT "5f0c2d9e-8a7b-4c6d-9e1f-2a3b4c5d6e7f"

/* ---- helpers ---- */

static gboolean
spin_until (gboolean (*condition) (gpointer), gpointer data, guint timeout_ms)
{
  gint64 deadline = g_get_monotonic_time () + (gint64) timeout_ms * 1000;

  while (!condition (data))
    {
      if (g_get_monotonic_time () > deadline)
        return FALSE;
      g_main_context_iteration (NULL, FALSE);
    }
  return TRUE;
}

G_GNUC_UNUSED static gboolean
is_true (gpointer data)
{
  return *(gboolean *) data;
}

static gboolean
is_set (gpointer data)
{
  return *(gpointer *) data != NULL;
}

/* The widget under @root whose accessible name is @name. */
static GtkWidget *
find_accessible (GtkWidget *root, const char *name)
{
  /* A label's accessible name is its text: the mnemonic label beside a control is not it. */
  if (!GTK_IS_LABEL (root) &&
      gtk_test_accessible_has_property (GTK_ACCESSIBLE (root), GTK_ACCESSIBLE_PROPERTY_LABEL))
    {
      g_autofree char *differs = gtk_test_accessible_check_property (
        GTK_ACCESSIBLE (root), GTK_ACCESSIBLE_PROPERTY_LABEL, name);

      if (differs == NULL)
        return root;
    }

  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_accessible (child, name);

      if (found != NULL)
        return found;
    }

  return NULL;
}

static GtkWidget *
control (gpointer dialog, const char *name)
{
  GtkWidget *widget = find_accessible (GTK_WIDGET (dialog), name);

  if (widget == NULL)
    g_error ("No control named “%s”", name);
  return widget;
}

static gpointer
child (gpointer dialog, GType type, const char *name)
{
  GObject *object = gtk_widget_get_template_child (GTK_WIDGET (dialog), type, name);

  g_assert_nonnull (object);
  return object;
}

static void
type_into (gpointer dialog, const char *name, const char *text)
{
  gtk_editable_set_text (GTK_EDITABLE (control (dialog, name)), text);
}

static const char *
text_of (gpointer dialog, const char *name)
{
  return gtk_editable_get_text (GTK_EDITABLE (control (dialog, name)));
}

static void
press (gpointer dialog, const char *name)
{
  GtkWidget *button = control (dialog, name);

  g_assert_true (GTK_IS_BUTTON (button));
  g_assert_true (gtk_widget_is_sensitive (button));
  /* What a click does; "activate" would only click after a 250 ms press animation. */
  g_signal_emit_by_name (button, "clicked");
}

static gboolean
action_enabled (gpointer dialog, const char *name)
{
  GtkWidget *button = control (dialog, name);

  return gtk_widget_get_sensitive (button) && gtk_widget_is_sensitive (button);
}

static char *
artefacts_dir (void)
{
  const char *env = g_getenv ("CQV_ARTEFACTS");
  char *dir;

  if (env != NULL && *env != '\0')
    dir = g_strdup (env);
  else
    dir = g_test_build_filename (G_TEST_BUILT, "..", "artefacts", NULL);
  g_assert_cmpint (g_mkdir_with_parents (dir, 0755), ==, 0);
  return dir;
}

/* Renders @window as on screen into artefacts/@name.png. */
static void
save_artefact (gpointer window, const char *name)
{
  GtkWidget *widget = GTK_WIDGET (window);
  g_autofree char *dir = artefacts_dir ();
  g_autofree char *file = g_strconcat (name, ".png", NULL);
  g_autofree char *path = g_build_filename (dir, file, NULL);
  g_autoptr (GdkPaintable) paintable = gtk_widget_paintable_new (widget);
  g_autoptr (GskRenderNode) node = NULL;
  g_autoptr (GdkTexture) texture = NULL;
  int width = 0;
  int height = 0;

  /* Empty while a resize is on its way: wait for the frames that settle it. */
  for (guint frame = 0; node == NULL && frame < 50; frame++)
    {
      GtkSnapshot *snapshot = gtk_snapshot_new ();

      gtk_test_widget_wait_for_draw (widget);
      width = gtk_widget_get_width (widget);
      height = gtk_widget_get_height (widget);
      gdk_paintable_snapshot (paintable, snapshot, width, height);
      node = gtk_snapshot_free_to_node (snapshot);
    }
  g_assert_nonnull (node);
  texture = gsk_renderer_render_texture (gtk_native_get_renderer (GTK_NATIVE (widget)), node,
                                         &GRAPHENE_RECT_INIT (0, 0, width, height));
  g_assert_true (gdk_texture_save_to_png (texture, path));
}

/* The application's style sheet, as GtkApplication loads it, so artefacts look like the app. */
static void
load_style (void)
{
  g_autoptr (GtkCssProvider) provider = gtk_css_provider_new ();

  gtk_css_provider_load_from_resource (provider, RESOURCE_PATH "/style.css");
  gtk_style_context_add_provider_for_display (gdk_display_get_default (),
                                              GTK_STYLE_PROVIDER (provider),
                                              GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);
}

static void
show (gpointer window)
{
  gtk_window_present (GTK_WINDOW (window));
  gtk_test_widget_wait_for_draw (GTK_WIDGET (window));
}

/* A tenant store in its own file under the session's fresh config directory. */
static CqvTenantStore *
new_store (void)
{
  static guint counter;
  g_autofree char *name = g_strdup_printf ("tenants-%u.ini", ++counter);
  g_autofree char *path = g_build_filename (g_get_user_config_dir (), name, NULL);
  CqvTenantStore *store = cqv_tenant_store_new (path);
  g_autoptr (GError) error = NULL;

  cqv_tenant_store_load_sync (store, &error);
  g_assert_no_error (error);
  return store;
}

static char *
file_contents (CqvTenantStore *store)
{
  g_autoptr (GError) error = NULL;
  char *contents = NULL;

  if (!g_file_get_contents (cqv_tenant_store_get_path (store), &contents, NULL, &error))
    {
      g_assert_error (error, G_FILE_ERROR, G_FILE_ERROR_NOENT);
      return g_strdup ("");
    }
  return contents;
}

static void
result_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

/* The stored secret's value, or NULL. */
static char *
lookup (CqvSecretStore *secrets, const char *tenant_id, const char *client_id, CqvSecretKind kind)
{
  g_autoptr (GAsyncResult) result = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (CqvSecret) secret = NULL;

  cqv_secret_store_lookup_async (secrets, tenant_id, client_id, kind, NULL, result_cb, &result);
  g_assert_true (spin_until (is_set, &result, TIMEOUT_MS));
  secret = cqv_secret_store_lookup_finish (secrets, result, &error);
  g_assert_no_error (error);
  return secret != NULL ? g_strdup (secret->value) : NULL;
}

G_GNUC_UNUSED static void
store_secret (CqvSecretStore *secrets,
              const char *tenant_id,
              const char *client_id,
              CqvSecretKind kind,
              const char *value)
{
  g_autoptr (GAsyncResult) result = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (CqvSecret) secret = cqv_secret_new (value, NULL, NULL);

  cqv_secret_store_store_async (secrets, tenant_id, client_id, kind, "test", secret, NULL,
                                result_cb, &result);
  g_assert_true (spin_until (is_set, &result, TIMEOUT_MS));
  cqv_secret_store_store_finish (secrets, result, &error);
  g_assert_no_error (error);
}

static void
saved_cb (CqvTenantDialog *dialog, CqvTenant *tenant, CqvTenant **out)
{
  g_assert_true (CQV_IS_TENANT (tenant));
  g_assert_null (*out);
  *out = g_object_ref (tenant);
}

G_GNUC_UNUSED static void
removed_cb (CqvRemoveTenantDialog *dialog, CqvTenant *tenant, gboolean *removed)
{
  *removed = TRUE;
}

static gboolean
is_null (gpointer data)
{
  return *(gpointer *) data == NULL;
}

/* Spins until the object behind the weak pointer @weak is finalized. */
static void
wait_gone (gpointer *weak)
{
  g_assert_true (spin_until (is_null, weak, TIMEOUT_MS));
}

/* The Add pipeline has ended (the form is editable again). */
static gboolean
save_stopped (gpointer dialog)
{
  return gtk_widget_is_sensitive (child (dialog, CQV_TYPE_TENANT_DIALOG, "form_box"));
}

typedef struct
{
  SimFixture *sim;
  CqvTenantStore *tenants;
  CqvSecretStore *secrets;
  CqvHttpClient *http;
} Env;

static void
env_init (Env *env, gboolean simulator)
{
  if (simulator)
    {
      g_autofree char *scenario = sim_scenario_json (0, NULL, NULL, NULL);

      env->sim = sim_fixture_start (scenario);
    }
  env->tenants = new_store ();
  env->secrets = cqv_secret_store_new ();
  env->http = cqv_http_client_new ();
}

static void
env_clear (Env *env)
{
  g_clear_pointer (&env->sim, sim_fixture_stop);
  g_clear_object (&env->tenants);
  g_clear_object (&env->secrets);
  g_clear_object (&env->http);
}

/* Spins until the keyring has no such item (it is cleared in the background). */
G_GNUC_UNUSED static void
wait_secret_gone (Env *env, const char *tenant_id, const char *client_id, CqvSecretKind kind)
{
  gint64 deadline = g_get_monotonic_time () + (gint64) TIMEOUT_MS * 1000;
  char *value;

  while ((value = lookup (env->secrets, tenant_id, client_id, kind)) != NULL)
    {
      g_free (value);
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_main_context_iteration (NULL, FALSE);
    }
}

/* Fills the Add dialog for the simulator's tenant, by domain, with overrides to it. */
static void
fill_for_simulator (CqvTenantDialog *dialog, Env *env, const char *name)
{
  type_into (dialog, "Display name", name);
  type_into (dialog, "Tenant ID or primary domain", SIM_DOMAIN);
  type_into (dialog, "Client ID", SIM_APP_ID);
  type_into (dialog, "Client secret", SECRET);
  gtk_expander_set_expanded (child (dialog, CQV_TYPE_TENANT_DIALOG, "advanced_expander"), TRUE);
  type_into (dialog, "Login URL", env->sim->base_url);
  type_into (dialog, "Graph URL", env->sim->base_url);
  type_into (dialog, "MFA URL", env->sim->base_url);
}

/* ---- both sessions ---- */

static void
test_new_destroy (void)
{
  Env env = { 0 };
  CqvTenantDialog *dialog;
  gpointer weak;

  env_init (&env, FALSE);
  dialog = cqv_tenant_dialog_new_add (NULL, env.tenants, env.secrets, env.http);
  weak = dialog;
  g_object_add_weak_pointer (G_OBJECT (dialog), &weak);
  show (dialog);
  type_into (dialog, "Client secret", SECRET);
  /* Escape is Cancel. */
  gtk_widget_activate_action (GTK_WIDGET (dialog), "tenant-dialog.cancel", NULL);
  wait_gone (&weak);
  env_clear (&env);
}

/* Opens the Edit dialog for @tenant, lets @edit change it, presses Save, waits for "saved". */
static void
run_edit (Env *env, CqvTenant *tenant, void (*edit) (CqvTenantDialog *), const char *artefact)
{
  CqvTenantDialog *dialog =
    cqv_tenant_dialog_new_edit (NULL, env->tenants, env->secrets, env->http, tenant);
  g_autoptr (CqvTenant) saved = NULL;
  gpointer weak = dialog;

  g_object_add_weak_pointer (G_OBJECT (dialog), &weak);
  g_signal_connect (dialog, "saved", G_CALLBACK (saved_cb), &saved);
  show (dialog);

  /* The secret is never shown: the field starts empty. */
  g_assert_cmpstr (text_of (dialog, "Client secret"), ==, "");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (control (dialog, "Display name"))), ==,
                   cqv_tenant_get_name (tenant));
  {
    g_autofree char *placeholder = NULL;

    g_object_get (control (dialog, "Client secret"), "placeholder-text", &placeholder, NULL);
    g_assert_cmpstr (placeholder, ==, "Unchanged — type to replace");
  }
  edit (dialog);
  if (artefact != NULL)
    save_artefact (dialog, artefact);
  press (dialog, "Save");
  g_assert_true (spin_until (is_set, &saved, TIMEOUT_MS));
  g_assert_true (saved == tenant);
  wait_gone (&weak);
}

static void
rename_only (CqvTenantDialog *dialog)
{
  type_into (dialog, "Display name", "Contoso Ltd");
}

#ifndef CQV_TEST_NO_KEYRING

/* ---- with a keyring ---- */

static void
test_accessible_names (void)
{
  static const char *const names[] = {
    "Display name",
    "Tenant ID or primary domain",
    "Client ID",
    "Client secret",
    "Cloud",
    "Copy Consent Link",
    "Open Consent Link",
    "Add",
    "Cancel",
    "Login URL",
    "Graph URL",
    "MFA URL",
  };
  g_autoptr (CqvTenant) tenant =
    cqv_tenant_new ("Contoso", SIM_TENANT_ID, SIM_APP_ID, CQV_CLOUD_GLOBAL);
  g_autoptr (GError) error = NULL;
  CqvTenantDialog *dialog;
  Env env = { 0 };

  env_init (&env, FALSE);
  dialog = cqv_tenant_dialog_new_add (NULL, env.tenants, env.secrets, env.http);
  /* A collapsed expander has no child in the tree. */
  gtk_expander_set_expanded (child (dialog, CQV_TYPE_TENANT_DIALOG, "advanced_expander"), TRUE);
  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    g_assert_nonnull (control (dialog, names[i]));
  g_assert_true (GTK_IS_PASSWORD_ENTRY (control (dialog, "Client secret")));
  g_assert_true (GTK_IS_DROP_DOWN (control (dialog, "Cloud")));
  g_assert_true (gtk_window_get_modal (GTK_WINDOW (dialog)));
  g_assert_null (find_accessible (GTK_WIDGET (dialog), "Save"));
  gtk_window_destroy (GTK_WINDOW (dialog));

  cqv_tenant_store_add (env.tenants, tenant, &error);
  g_assert_no_error (error);
  dialog = cqv_tenant_dialog_new_edit (NULL, env.tenants, env.secrets, env.http, tenant);
  g_assert_nonnull (control (dialog, "Save"));
  g_assert_null (find_accessible (GTK_WIDGET (dialog), "Add"));
  g_assert_true (cqv_tenant_dialog_get_tenant (dialog) == tenant);
  gtk_window_destroy (GTK_WINDOW (dialog));
  env_clear (&env);
}

static void
test_validation (void)
{
  Env env = { 0 };
  CqvTenantDialog *dialog;
  GtkWidget *client_error;
  GtkLabel *tenant_status;
  GtkLabel *endpoint_error;

  env_init (&env, FALSE);
  dialog = cqv_tenant_dialog_new_add (NULL, env.tenants, env.secrets, env.http);
  client_error = child (dialog, CQV_TYPE_TENANT_DIALOG, "client_error_label");
  tenant_status = child (dialog, CQV_TYPE_TENANT_DIALOG, "tenant_status_label");
  endpoint_error = child (dialog, CQV_TYPE_TENANT_DIALOG, "endpoint_error_label");
  show (dialog);
  save_artefact (dialog, "tenant-add-empty");

  /* Nothing typed: no complaints, nothing to add, no consent link. */
  g_assert_false (gtk_widget_get_visible (client_error));
  g_assert_false (action_enabled (dialog, "Add"));
  g_assert_false (action_enabled (dialog, "Copy Consent Link"));
  g_assert_false (action_enabled (dialog, "Open Consent Link"));

  type_into (dialog, "Display name", "Contoso");
  type_into (dialog, "Tenant ID or primary domain", "contoso");
  g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (tenant_status), "error"));
  g_assert_nonnull (strstr (gtk_label_get_text (tenant_status), "primary domain"));
  type_into (dialog, "Tenant ID or primary domain", " " SIM_DOMAIN " ");
  g_assert_false (gtk_widget_has_css_class (GTK_WIDGET (tenant_status), "error"));
  g_assert_nonnull (strstr (gtk_label_get_text (tenant_status), "when you press Add"));
  type_into (dialog, "Tenant ID or primary domain", SIM_TENANT_ID);
  g_assert_false (gtk_widget_get_visible (gtk_widget_get_parent (GTK_WIDGET (tenant_status))));

  /* The client ID must be a GUID, said inline. */
  type_into (dialog, "Client ID", "CyberQP Verify");
  g_assert_true (gtk_widget_get_visible (client_error));
  g_assert_false (action_enabled (dialog, "Add"));
  type_into (dialog, "Client ID", SIM_APP_ID);
  g_assert_false (gtk_widget_get_visible (client_error));

  /* A new tenant needs its secret. */
  g_assert_false (action_enabled (dialog, "Add"));
  type_into (dialog, "Client secret", SECRET);
  g_assert_true (action_enabled (dialog, "Add"));

  /* Overrides: https, or http on loopback only. */
  gtk_expander_set_expanded (child (dialog, CQV_TYPE_TENANT_DIALOG, "advanced_expander"), TRUE);
  type_into (dialog, "Login URL", "http://login.example.com");
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (endpoint_error)));
  g_assert_true (g_str_has_prefix (gtk_label_get_text (endpoint_error), "Login URL: "));
  g_assert_false (action_enabled (dialog, "Add"));
  type_into (dialog, "Login URL", "http://127.0.0.1:8080");
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (endpoint_error)));
  g_assert_true (action_enabled (dialog, "Add"));
  type_into (dialog, "MFA URL", "ftp://example.com");
  g_assert_false (action_enabled (dialog, "Add"));
  type_into (dialog, "MFA URL", "");
  g_assert_true (action_enabled (dialog, "Add"));

  gtk_window_destroy (GTK_WINDOW (dialog));
  env_clear (&env);
}

static void
read_text_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GError) error = NULL;

  *(char **) user_data = gdk_clipboard_read_text_finish (GDK_CLIPBOARD (object), result, &error);
  g_assert_no_error (error);
}

static void
test_consent (void)
{
  Env env = { 0 };
  CqvTenantDialog *dialog;
  GtkLabel *url_label;
  GtkLabel *permissions;
  g_autofree char *copied = NULL;
  GdkClipboard *clipboard;
  static const char *const expected_permissions[] = {
    "User.Read.All",
    "UserAuthMethod-MicrosoftAuthApp.Read.All",
    "UserAuthenticationMethod.Read.All",
    "Application.ReadWrite.All",
    "AuditLog.Read.All",
  };

  env_init (&env, FALSE);
  dialog = cqv_tenant_dialog_new_add (NULL, env.tenants, env.secrets, env.http);
  url_label = child (dialog, CQV_TYPE_TENANT_DIALOG, "consent_url_label");
  permissions = child (dialog, CQV_TYPE_TENANT_DIALOG, "permissions_label");
  show (dialog);

  for (guint i = 0; i < G_N_ELEMENTS (expected_permissions); i++)
    g_assert_nonnull (strstr (gtk_label_get_text (permissions), expected_permissions[i]));
  g_assert_true (gtk_label_get_selectable (url_label));

  type_into (dialog, "Display name", "Contoso");
  type_into (dialog, "Tenant ID or primary domain", SIM_TENANT_ID);
  type_into (dialog, "Client ID", SIM_APP_ID);
  g_assert_cmpstr (gtk_label_get_text (url_label), ==,
                   "https://login.microsoftonline.com/" SIM_TENANT_ID
                   "/adminconsent?client_id=" SIM_APP_ID);
  g_assert_true (action_enabled (dialog, "Copy Consent Link"));
  g_assert_true (action_enabled (dialog, "Open Consent Link"));

  /* Per cloud. */
  gtk_drop_down_set_selected (GTK_DROP_DOWN (control (dialog, "Cloud")), CQV_CLOUD_CHINA);
  g_assert_cmpstr (gtk_label_get_text (url_label), ==,
                   "https://login.chinacloudapi.cn/" SIM_TENANT_ID
                   "/adminconsent?client_id=" SIM_APP_ID);
  gtk_drop_down_set_selected (GTK_DROP_DOWN (control (dialog, "Cloud")), CQV_CLOUD_USGOV);
  type_into (dialog, "Client secret", SECRET);
  save_artefact (dialog, "tenant-add-filled");

  press (dialog, "Copy Consent Link");
  clipboard = gtk_widget_get_clipboard (GTK_WIDGET (dialog));
  gdk_clipboard_read_text_async (clipboard, NULL, read_text_cb, &copied);
  g_assert_true (spin_until (is_set, &copied, TIMEOUT_MS));
  g_assert_cmpstr (copied, ==,
                   "https://login.microsoftonline.us/" SIM_TENANT_ID
                   "/adminconsent?client_id=" SIM_APP_ID);
  g_assert_true (gtk_widget_get_visible (child (dialog, CQV_TYPE_TENANT_DIALOG, "copied_label")));

  /* Not both fields valid: no link. */
  type_into (dialog, "Client ID", "x");
  g_assert_false (action_enabled (dialog, "Copy Consent Link"));
  g_assert_null (strstr (gtk_label_get_text (url_label), "adminconsent"));

  gtk_window_destroy (GTK_WINDOW (dialog));
  env_clear (&env);
}

static void
test_add_domain (void)
{
  Env env = { 0 };
  CqvTenantDialog *dialog;
  g_autoptr (CqvTenant) saved = NULL;
  g_autofree char *stored = NULL;
  g_autofree char *file = NULL;
  gpointer weak;

  env_init (&env, TRUE);
  sim_fixture_clear_requests (env.sim);
  dialog = cqv_tenant_dialog_new_add (NULL, env.tenants, env.secrets, env.http);
  weak = dialog;
  g_object_add_weak_pointer (G_OBJECT (dialog), &weak);
  g_signal_connect (dialog, "saved", G_CALLBACK (saved_cb), &saved);
  show (dialog);

  /* A domain nobody has: said under the field, nothing stored, the dialog stays. */
  fill_for_simulator (dialog, &env, "Contoso");
  type_into (dialog, "Tenant ID or primary domain", "nobody.example");
  press (dialog, "Add");
  g_assert_true (gtk_widget_get_visible (child (dialog, CQV_TYPE_TENANT_DIALOG, "tenant_spinner")));
  g_assert_false (action_enabled (dialog, "Add"));
  g_assert_true (spin_until (save_stopped, dialog, TIMEOUT_MS));
  g_assert_nonnull (
    strstr (gtk_label_get_text (child (dialog, CQV_TYPE_TENANT_DIALOG, "tenant_status_label")),
            "nobody.example"));
  g_assert_null (saved);
  g_assert_cmpuint (g_list_model_get_n_items (cqv_tenant_store_get_tenants (env.tenants)), ==, 0);

  /* The right domain: resolved through the simulator, secret to the keyring, tenant added. */
  type_into (dialog, "Tenant ID or primary domain", SIM_DOMAIN);
  press (dialog, "Add");
  g_assert_true (spin_until (is_set, &saved, TIMEOUT_MS));
  wait_gone (&weak);

  g_assert_cmpstr (cqv_tenant_get_name (saved), ==, "Contoso");
  g_assert_cmpstr (cqv_tenant_get_tenant_id (saved), ==, SIM_TENANT_ID);
  g_assert_cmpstr (cqv_tenant_get_client_id (saved), ==, SIM_APP_ID);
  g_assert_cmpstr (cqv_tenant_get_login_url (saved), ==, env.sim->base_url);
  g_assert_true (cqv_tenant_store_find (env.tenants, "Contoso") == saved);
  g_assert_cmpuint (sim_fixture_count_requests (
                      env.sim, "GET", "/" SIM_DOMAIN "/v2.0/.well-known/openid-configuration", 200),
                    ==, 1);

  stored = lookup (env.secrets, SIM_TENANT_ID, SIM_APP_ID, CQV_SECRET_KIND_APP);
  g_assert_cmpstr (stored, ==, SECRET);
  file = file_contents (env.tenants);
  g_assert_nonnull (strstr (file, SIM_TENANT_ID));
  g_assert_null (strstr (file, SECRET));
  g_assert_null (strstr (file, "Yk8"));

  env_clear (&env);
}

static void
test_add_clash (void)
{
  Env env = { 0 };
  g_autoptr (CqvTenant) existing =
    cqv_tenant_new ("Contoso", SIM_TENANT_ID, SIM_APP_ID, CQV_CLOUD_GLOBAL);
  g_autoptr (GError) error = NULL;
  g_autofree char *stored = NULL;
  CqvTenantDialog *dialog;
  GtkRevealer *banner;

  env_init (&env, FALSE);
  cqv_tenant_store_add (env.tenants, existing, &error);
  g_assert_no_error (error);
  store_secret (env.secrets, SIM_TENANT_ID, SIM_APP_ID, CQV_SECRET_KIND_APP, SECRET);

  dialog = cqv_tenant_dialog_new_add (NULL, env.tenants, env.secrets, env.http);
  banner = child (dialog, CQV_TYPE_TENANT_DIALOG, "banner_revealer");
  show (dialog);

  /* Same name (other case). */
  type_into (dialog, "Display name", "CONTOSO");
  type_into (dialog, "Tenant ID or primary domain", SIM_TENANT_ID);
  type_into (dialog, "Client ID", OTHER_CLIENT);
  type_into (dialog, "Client secret", OTHER_SECRET);
  press (dialog, "Add");
  g_assert_true (gtk_revealer_get_reveal_child (banner));
  g_assert_nonnull (strstr (
    gtk_label_get_text (child (dialog, CQV_TYPE_TENANT_DIALOG, "banner_label")), "already exists"));

  /* Same tenant and client under another name: would overwrite the secret. Refused. */
  type_into (dialog, "Display name", "Contoso again");
  type_into (dialog, "Client ID", "92AE02B7-9CA9-4B62-9130-A35011636A45");
  press (dialog, "Add");
  g_assert_true (gtk_revealer_get_reveal_child (banner));
  g_assert_nonnull (
    strstr (gtk_label_get_text (child (dialog, CQV_TYPE_TENANT_DIALOG, "banner_label")),
            "“Contoso” already uses"));
  g_assert_cmpstr (text_of (dialog, "Client secret"), ==, OTHER_SECRET);

  stored = lookup (env.secrets, SIM_TENANT_ID, SIM_APP_ID, CQV_SECRET_KIND_APP);
  g_assert_cmpstr (stored, ==, SECRET);
  g_assert_cmpuint (g_list_model_get_n_items (cqv_tenant_store_get_tenants (env.tenants)), ==, 1);

  gtk_window_destroy (GTK_WINDOW (dialog));
  env_clear (&env);
}

static void
replace_secret (CqvTenantDialog *dialog)
{
  type_into (dialog, "Client secret", OTHER_SECRET);
}

static void
change_client (CqvTenantDialog *dialog)
{
  type_into (dialog, "Client ID", OTHER_CLIENT);
}

static void
test_edit (void)
{
  Env env = { 0 };
  g_autoptr (CqvTenant) tenant =
    cqv_tenant_new ("Contoso", SIM_TENANT_ID, SIM_APP_ID, CQV_CLOUD_GLOBAL);
  g_autoptr (GError) error = NULL;
  g_autofree char *file = NULL;
  char *value;

  env_init (&env, FALSE);
  cqv_tenant_set_login_url (tenant, "https://login.example.test");
  cqv_tenant_store_add (env.tenants, tenant, &error);
  g_assert_no_error (error);
  store_secret (env.secrets, SIM_TENANT_ID, SIM_APP_ID, CQV_SECRET_KIND_APP, SECRET);

  /* Nothing typed in the secret field: the stored secret stays. */
  run_edit (&env, tenant, rename_only, "tenant-edit");
  g_assert_cmpstr (cqv_tenant_get_name (tenant), ==, "Contoso Ltd");
  g_assert_cmpstr (cqv_tenant_get_login_url (tenant), ==, "https://login.example.test");
  value = lookup (env.secrets, SIM_TENANT_ID, SIM_APP_ID, CQV_SECRET_KIND_APP);
  g_assert_cmpstr (value, ==, SECRET);
  g_free (value);
  file = file_contents (env.tenants);
  g_assert_nonnull (strstr (file, "Contoso Ltd"));
  g_clear_pointer (&file, g_free);

  /* Typed: replaced. */
  run_edit (&env, tenant, replace_secret, NULL);
  value = lookup (env.secrets, SIM_TENANT_ID, SIM_APP_ID, CQV_SECRET_KIND_APP);
  g_assert_cmpstr (value, ==, OTHER_SECRET);
  g_free (value);

  /* Another client ID, nothing typed: the secret moves with it; the old item is gone. */
  run_edit (&env, tenant, change_client, NULL);
  g_assert_cmpstr (cqv_tenant_get_client_id (tenant), ==, OTHER_CLIENT);
  value = lookup (env.secrets, SIM_TENANT_ID, OTHER_CLIENT, CQV_SECRET_KIND_APP);
  g_assert_cmpstr (value, ==, OTHER_SECRET);
  g_free (value);
  /* The old item is cleared in the background. */
  wait_secret_gone (&env, SIM_TENANT_ID, SIM_APP_ID, CQV_SECRET_KIND_APP);

  file = file_contents (env.tenants);
  g_assert_null (strstr (file, SECRET));
  g_assert_null (strstr (file, OTHER_SECRET));
  env_clear (&env);
}

static void
test_remove (void)
{
  Env env = { 0 };
  g_autoptr (CqvTenant) tenant =
    cqv_tenant_new ("Contoso", SIM_TENANT_ID, SIM_APP_ID, CQV_CLOUD_GLOBAL);
  g_autoptr (CqvTenant) other =
    cqv_tenant_new ("Fabrikam", SIM_APP_ID, SIM_APP_ID, CQV_CLOUD_GLOBAL);
  g_autoptr (GError) error = NULL;
  g_autofree char *other_secret = NULL;
  g_autofree char *file = NULL;
  CqvRemoveTenantDialog *dialog;
  gboolean removed = FALSE;
  gpointer weak;

  env_init (&env, FALSE);
  cqv_tenant_store_add (env.tenants, tenant, &error);
  g_assert_no_error (error);
  cqv_tenant_store_add (env.tenants, other, &error);
  g_assert_no_error (error);
  store_secret (env.secrets, SIM_TENANT_ID, SIM_APP_ID, CQV_SECRET_KIND_APP, SECRET);
  store_secret (env.secrets, SIM_TENANT_ID, CQV_MFA_CLIENT_APP_ID, CQV_SECRET_KIND_CONNECTOR,
                OTHER_SECRET);
  store_secret (env.secrets, SIM_APP_ID, SIM_APP_ID, CQV_SECRET_KIND_APP, "fabrikam-secret");

  /* Cancel is the default and removes nothing. */
  dialog = cqv_remove_tenant_dialog_new (NULL, env.tenants, env.secrets, tenant);
  show (dialog);
  g_assert_true (gtk_window_get_modal (GTK_WINDOW (dialog)));
  g_assert_true (gtk_window_get_default_widget (GTK_WINDOW (dialog)) == control (dialog, "Cancel"));
  g_assert_cmpstr (
    gtk_label_get_text (child (dialog, CQV_TYPE_REMOVE_TENANT_DIALOG, "heading_label")), ==,
    "Remove “Contoso”?");
  g_assert_true (gtk_widget_has_css_class (control (dialog, "Remove"), "destructive-action"));
  press (dialog, "Cancel");
  g_assert_nonnull (cqv_tenant_store_find (env.tenants, "Contoso"));

  /* Remove: out of the store and the file, its keyring items cleared, the other's kept. */
  dialog = cqv_remove_tenant_dialog_new (NULL, env.tenants, env.secrets, tenant);
  weak = dialog;
  g_object_add_weak_pointer (G_OBJECT (dialog), &weak);
  g_signal_connect (dialog, "removed", G_CALLBACK (removed_cb), &removed);
  show (dialog);
  save_artefact (dialog, "tenant-remove");
  press (dialog, "Remove");
  g_assert_true (spin_until (is_true, &removed, TIMEOUT_MS));
  wait_gone (&weak);

  g_assert_null (cqv_tenant_store_find (env.tenants, "Contoso"));
  file = file_contents (env.tenants);
  g_assert_null (strstr (file, SIM_TENANT_ID));
  g_assert_null (lookup (env.secrets, SIM_TENANT_ID, SIM_APP_ID, CQV_SECRET_KIND_APP));
  g_assert_null (
    lookup (env.secrets, SIM_TENANT_ID, CQV_MFA_CLIENT_APP_ID, CQV_SECRET_KIND_CONNECTOR));
  other_secret = lookup (env.secrets, SIM_APP_ID, SIM_APP_ID, CQV_SECRET_KIND_APP);
  g_assert_cmpstr (other_secret, ==, "fabrikam-secret");

  env_clear (&env);
}

static void
test_import_export (void)
{
  Env env = { 0 };
  g_autoptr (CqvTenantStore) second = new_store ();
  g_autoptr (CqvTenant) saved = NULL;
  g_autoptr (GPtrArray) tenants = NULL;
  g_autoptr (GPtrArray) problems = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *json = NULL;
  g_autofree char *again = NULL;
  g_autofree char *stored = NULL;
  CqvTenantDialog *dialog;
  gpointer weak;

  /* A tenant added through the dialog, its secret in the keyring. */
  env_init (&env, TRUE);
  dialog = cqv_tenant_dialog_new_add (NULL, env.tenants, env.secrets, env.http);
  weak = dialog;
  g_object_add_weak_pointer (G_OBJECT (dialog), &weak);
  g_signal_connect (dialog, "saved", G_CALLBACK (saved_cb), &saved);
  show (dialog);
  fill_for_simulator (dialog, &env, "Contoso");
  press (dialog, "Add");
  g_assert_true (spin_until (is_set, &saved, TIMEOUT_MS));
  wait_gone (&weak);
  stored = lookup (env.secrets, SIM_TENANT_ID, SIM_APP_ID, CQV_SECRET_KIND_APP);
  g_assert_cmpstr (stored, ==, SECRET);

  /* Exported without the secret; imported into a second technician's store. */
  json = cqv_tenant_transfer_export (cqv_tenant_store_get_tenants (env.tenants), NULL);
  g_assert_null (strstr (json, SECRET));
  g_assert_null (strstr (json, "Yk8"));
  g_assert_nonnull (strstr (json, SIM_TENANT_ID));

  cqv_tenant_transfer_import (json, strlen (json), cqv_tenant_store_get_tenants (second), &tenants,
                              &problems, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (problems->len, ==, 0);
  g_assert_cmpuint (tenants->len, ==, 1);
  cqv_tenant_store_add (second, g_ptr_array_index (tenants, 0), &error);
  g_assert_no_error (error);

  again = cqv_tenant_transfer_export (cqv_tenant_store_get_tenants (second), NULL);
  g_assert_cmpstr (json, ==, again);
  g_assert_cmpstr (cqv_tenant_get_login_url (cqv_tenant_store_find (second, "Contoso")), ==,
                   env.sim->base_url);

  env_clear (&env);
}

#else

/* ---- without a Secret Service ---- */

static gboolean
banner_shown (gpointer revealer)
{
  return gtk_revealer_get_child_revealed (revealer);
}

static gboolean
secret_service_running (gpointer bus)
{
  g_autoptr (GVariant) reply = NULL;
  gboolean has_owner = FALSE;

  reply = g_dbus_connection_call_sync (
    bus, "org.freedesktop.DBus", "/org/freedesktop/DBus", "org.freedesktop.DBus", "NameHasOwner",
    g_variant_new ("(s)", "org.freedesktop.secrets"), G_VARIANT_TYPE ("(b)"),
    G_DBUS_CALL_FLAGS_NONE, -1, NULL, NULL);
  if (reply != NULL)
    g_variant_get (reply, "(b)", &has_owner);
  return has_owner;
}

static gboolean
start_keyring (void)
{
  g_autoptr (GSubprocess) daemon = NULL;
  g_autoptr (GDBusConnection) bus = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *program = g_find_program_in_path ("gnome-keyring-daemon");

  if (program == NULL)
    return FALSE;
  /* As run-in-session.sh does for --keyring: a password on stdin unlocks a fresh "login". */
  daemon =
    g_subprocess_new (G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_SILENCE |
                        G_SUBPROCESS_FLAGS_STDERR_SILENCE,
                      &error, "gnome-keyring-daemon", "--unlock", "--components=secrets", NULL);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (daemon, "cqv-test-keyring", NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  if (!g_subprocess_get_successful (daemon))
    return FALSE;

  /* The daemon forks before it owns its name on the bus: wait for the name. */
  bus = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (spin_until (secret_service_running, bus, TIMEOUT_MS));
  return TRUE;
}

static void
test_keyring_missing (void)
{
  Env env = { 0 };
  g_autoptr (CqvTenant) saved = NULL;
  g_autoptr (CqvTenant) loaded =
    cqv_tenant_new ("Fabrikam", SIM_APP_ID, SIM_APP_ID, CQV_CLOUD_GLOBAL);
  g_autoptr (GError) error = NULL;
  g_autofree char *file = NULL;
  CqvTenantDialog *dialog;
  GtkRevealer *banner;
  GtkLabel *banner_label;
  gpointer weak;

  env_init (&env, TRUE);
  cqv_tenant_store_add (env.tenants, loaded, &error);
  g_assert_no_error (error);

  dialog = cqv_tenant_dialog_new_add (NULL, env.tenants, env.secrets, env.http);
  weak = dialog;
  g_object_add_weak_pointer (G_OBJECT (dialog), &weak);
  g_signal_connect (dialog, "saved", G_CALLBACK (saved_cb), &saved);
  banner = child (dialog, CQV_TYPE_TENANT_DIALOG, "banner_revealer");
  banner_label = child (dialog, CQV_TYPE_TENANT_DIALOG, "banner_label");
  show (dialog);
  fill_for_simulator (dialog, &env, "Contoso");
  gtk_drop_down_set_selected (GTK_DROP_DOWN (control (dialog, "Cloud")), CQV_CLOUD_USGOV);
  g_assert_false (gtk_revealer_get_reveal_child (banner));

  press (dialog, "Add");
  g_assert_false (save_stopped (dialog));
  g_assert_true (spin_until (save_stopped, dialog, TIMEOUT_MS));
  g_test_message (
    "status: %s; banner: %s",
    gtk_label_get_text (child (dialog, CQV_TYPE_TENANT_DIALOG, "tenant_status_label")),
    gtk_label_get_text (banner_label));

  /* One banner that says what to do. */
  g_assert_true (gtk_revealer_get_reveal_child (banner));
  g_assert_nonnull (strstr (gtk_label_get_text (banner_label), "GNOME Keyring"));
  g_assert_nonnull (strstr (gtk_label_get_text (banner_label), "Everything you typed is kept"));

  /* Nothing typed is lost; the resolved tenant ID is shown. */
  g_assert_cmpstr (text_of (dialog, "Display name"), ==, "Contoso");
  g_assert_cmpstr (text_of (dialog, "Tenant ID or primary domain"), ==, SIM_DOMAIN);
  g_assert_cmpstr (text_of (dialog, "Client ID"), ==, SIM_APP_ID);
  g_assert_cmpstr (text_of (dialog, "Client secret"), ==, SECRET);
  g_assert_cmpstr (text_of (dialog, "Login URL"), ==, env.sim->base_url);
  g_assert_cmpuint (gtk_drop_down_get_selected (GTK_DROP_DOWN (control (dialog, "Cloud"))), ==,
                    CQV_CLOUD_USGOV);
  g_assert_cmpstr (
    gtk_label_get_text (child (dialog, CQV_TYPE_TENANT_DIALOG, "tenant_status_label")), ==,
    "Tenant ID: " SIM_TENANT_ID);
  g_assert_true (action_enabled (dialog, "Add"));
  g_assert_true (spin_until (banner_shown, banner, TIMEOUT_MS));
  save_artefact (dialog, "tenant-keyring-banner");

  /* The keyring comes first: the tenant was not added. */
  g_assert_null (saved);
  g_assert_null (cqv_tenant_store_find (env.tenants, "Contoso"));
  file = file_contents (env.tenants);
  g_assert_null (strstr (file, SECRET));
  g_assert_null (strstr (file, SIM_TENANT_ID));

  /* The keyring is started: Add again, without typing anything again. */
  if (!start_keyring ())
    {
      g_test_message ("gnome-keyring-daemon unavailable: retry not tested");
      gtk_window_destroy (GTK_WINDOW (dialog));
    }
  else
    {
      g_autofree char *stored = NULL;

      sim_fixture_clear_requests (env.sim);
      press (dialog, "Add");
      if (!spin_until (is_set, &saved, TIMEOUT_MS))
        g_error ("Not saved after the keyring started: %s", gtk_label_get_text (banner_label));
      /* The domain was not looked up twice. */
      g_assert_cmpuint (sim_fixture_count_all_requests (env.sim), ==, 0);
      stored = lookup (env.secrets, SIM_TENANT_ID, SIM_APP_ID, CQV_SECRET_KIND_APP);
      g_assert_cmpstr (stored, ==, SECRET);
      g_assert_nonnull (cqv_tenant_store_find (env.tenants, "Contoso"));
    }
  wait_gone (&weak);
  env_clear (&env);
}

/* Tenants already loaded keep working: an edit that does not touch the secret needs no keyring. */
static void
test_keyring_missing_edit (void)
{
  Env env = { 0 };
  g_autoptr (CqvTenant) tenant =
    cqv_tenant_new ("Contoso", SIM_TENANT_ID, SIM_APP_ID, CQV_CLOUD_GLOBAL);
  g_autoptr (GError) error = NULL;

  env_init (&env, FALSE);
  cqv_tenant_store_add (env.tenants, tenant, &error);
  g_assert_no_error (error);
  run_edit (&env, tenant, rename_only, NULL);
  g_assert_cmpstr (cqv_tenant_get_name (tenant), ==, "Contoso Ltd");
  env_clear (&env);
}

#endif

int
main (int argc, char **argv)
{
  /* The accessible names without an accessibility bus (the no-Secret-Service bus has none). */
  g_setenv ("GTK_A11Y", "test", TRUE);
  gtk_test_init (&argc, &argv, NULL);
  load_style ();

  g_test_add_func ("/cqv/tenant-dialog/new-destroy", test_new_destroy);
#ifdef CQV_TEST_NO_KEYRING
  g_test_add_func ("/cqv/tenant-dialog/keyring-missing/add", test_keyring_missing);
  g_test_add_func ("/cqv/tenant-dialog/keyring-missing/edit", test_keyring_missing_edit);
#else
  g_test_add_func ("/cqv/tenant-dialog/accessible-names", test_accessible_names);
  g_test_add_func ("/cqv/tenant-dialog/validation", test_validation);
  g_test_add_func ("/cqv/tenant-dialog/consent", test_consent);
  g_test_add_func ("/cqv/tenant-dialog/add-domain", test_add_domain);
  g_test_add_func ("/cqv/tenant-dialog/add-clash", test_add_clash);
  g_test_add_func ("/cqv/tenant-dialog/edit", test_edit);
  g_test_add_func ("/cqv/tenant-dialog/remove", test_remove);
  g_test_add_func ("/cqv/tenant-dialog/import-export", test_import_export);
#endif

  return g_test_run ();
}
