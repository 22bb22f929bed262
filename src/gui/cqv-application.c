/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cqv-application"

#include "config.h"

#include <glib-unix.h>
#include <glib/gi18n-lib.h>
#include <signal.h>

#include "cqv-application.h"
#include "cqv-tenant-store.h"
#include "cqv-window.h"

/* The demo scenario compiled into the simulator (src/simulator/README.md). */
#define DEMO_TENANT_NAME "Contoso (demo)"
#define DEMO_TENANT_ID "c0a70500-de70-4000-8000-00000000de70"
#define DEMO_CLIENT_ID "de70de70-0000-4000-8000-0000000c1e27"
#define DEMO_APP_SECRET "demo-client-secret"
#define SIMULATOR_NAME "cyberqp-verify-simulator"

struct _CqvApplication
{
  GtkApplication parent_instance;

  CqvTenantStore *tenant_store;
  CqvSecretStore *secret_store;
  CqvHttpClient *http;
  CqvTokenProvider *tokens;
  /* CqvTenant → CqvTenantContext, both owned. */
  GHashTable *contexts;
  gulong tenants_changed_id;

  GCancellable *cancellable;
  guint sigterm_source;
  guint sigint_source;

  /* Demo mode */
  GSubprocess *simulator;
  GDataInputStream *simulator_stdout;
  char *demo_error;
  guint demo : 1;
  guint simulator_ready : 1;
  guint shutting_down : 1;
};

G_DEFINE_FINAL_TYPE (CqvApplication, cqv_application, GTK_TYPE_APPLICATION)

enum
{
  PROP_0,
  PROP_DEMO,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static gboolean
list_contains (GListModel *list, gpointer item)
{
  guint n_items = g_list_model_get_n_items (list);

  for (guint i = 0; i < n_items; i++)
    {
      g_autoptr (GObject) other = g_list_model_get_item (list, i);

      if (other == item)
        return TRUE;
    }
  return FALSE;
}

static gboolean
context_is_orphan (gpointer key, gpointer value, gpointer user_data)
{
  return !list_contains (G_LIST_MODEL (user_data), key);
}

static void
tenants_changed_cb (GListModel *list,
                    guint position,
                    guint removed,
                    guint added,
                    CqvApplication *self)
{
  /* A removed tenant's context goes with it; a tenant added again gets a fresh one. */
  if (removed > 0)
    g_hash_table_foreach_remove (self->contexts, context_is_orphan, list);
}

static void
set_tenant_store (CqvApplication *self, CqvTenantStore *store)
{
  GListModel *tenants;

  if (self->tenant_store != NULL)
    g_clear_signal_handler (&self->tenants_changed_id,
                            cqv_tenant_store_get_tenants (self->tenant_store));
  g_set_object (&self->tenant_store, store);
  g_hash_table_remove_all (self->contexts);

  tenants = cqv_tenant_store_get_tenants (self->tenant_store);
  self->tenants_changed_id =
    g_signal_connect (tenants, "items-changed", G_CALLBACK (tenants_changed_cb), self);
}

static void
show_demo_error (CqvApplication *self, const char *message)
{
  g_warning ("%s", message);
  g_free (self->demo_error);
  self->demo_error = g_strdup (message);

  /* The main window, even while a dialog is the active one; a later window shows it too. */
  for (GList *l = gtk_application_get_windows (GTK_APPLICATION (self)); l != NULL; l = l->next)
    if (CQV_IS_WINDOW (l->data))
      cqv_window_show_banner (CQV_WINDOW (l->data), self->demo_error);
}

/* CQV_SIMULATOR (tests), then beside this executable (installed), then the build tree's
 * src/simulator/, then BINDIR. */
static char *
find_simulator (void)
{
  const char *env = g_getenv ("CQV_SIMULATOR");
  g_autofree char *exe = g_file_read_link ("/proc/self/exe", NULL);
  g_autofree char *dir = exe != NULL ? g_path_get_dirname (exe) : NULL;
  g_autoptr (GPtrArray) candidates = g_ptr_array_new_with_free_func (g_free);

  if (env != NULL && *env != '\0')
    g_ptr_array_add (candidates, g_strdup (env));
  if (dir != NULL)
    {
      g_ptr_array_add (candidates, g_build_filename (dir, SIMULATOR_NAME, NULL));
      g_ptr_array_add (candidates, g_build_filename (dir, "simulator", SIMULATOR_NAME, NULL));
      g_ptr_array_add (candidates,
                       g_build_filename (dir, "..", "src", "simulator", SIMULATOR_NAME, NULL));
    }
  g_ptr_array_add (candidates, g_build_filename (BINDIR, SIMULATOR_NAME, NULL));

  for (guint i = 0; i < candidates->len; i++)
    {
      const char *path = g_ptr_array_index (candidates, i);

      if (g_file_test (path, G_FILE_TEST_IS_EXECUTABLE) && !g_file_test (path, G_FILE_TEST_IS_DIR))
        return g_strdup (path);
    }
  return NULL;
}

static void
add_demo_tenant (CqvApplication *self, const char *base_url)
{
  g_autoptr (CqvTenant) tenant = NULL;
  g_autoptr (GError) error = NULL;
  CqvTenantContext *context;

  tenant = cqv_tenant_new (DEMO_TENANT_NAME, DEMO_TENANT_ID, DEMO_CLIENT_ID, CQV_CLOUD_GLOBAL);
  cqv_tenant_set_login_url (tenant, base_url);
  cqv_tenant_set_graph_url (tenant, base_url);
  cqv_tenant_set_mfa_url (tenant, base_url);
  cqv_tenant_set_demo (tenant, TRUE);

  /* The context exists with its secret before the window can see the tenant. */
  context = cqv_application_get_context (self, tenant);
  cqv_tenant_context_set_app_secret (context, DEMO_APP_SECRET);

  if (!cqv_tenant_store_add (self->tenant_store, tenant, &error))
    {
      g_autofree char *message =
        g_strdup_printf (_("The demo tenant could not be added: %s"), error->message);

      g_hash_table_remove (self->contexts, tenant);
      show_demo_error (self, message);
    }
}

static void
simulator_url_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  CqvApplication *self;
  g_autoptr (GError) error = NULL;
  g_autofree char *line = NULL;

  line =
    g_data_input_stream_read_line_finish_utf8 (G_DATA_INPUT_STREAM (object), result, NULL, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  self = CQV_APPLICATION (user_data);
  /* Nothing at all: it ended, and simulator_exited_cb() says so with its exit status. */
  if (line == NULL)
    return;
  if (!g_str_has_prefix (line, "http") || !g_uri_is_valid (line, G_URI_FLAGS_NONE, NULL))
    {
      show_demo_error (self, _("The demo simulator started but did not say where it listens. Run "
                               "cyberqp-verify-simulator in a terminal to see why."));
      return;
    }

  self->simulator_ready = TRUE;
  g_debug ("Demo simulator at %s", line);
  add_demo_tenant (self, line);
}

static void
simulator_exited_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  CqvApplication *self;
  g_autoptr (GError) error = NULL;
  g_autofree char *message = NULL;
  GSubprocess *simulator = G_SUBPROCESS (object);
  int exit_status;

  if (!g_subprocess_wait_finish (simulator, result, &error) &&
      g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  self = CQV_APPLICATION (user_data);
  if (self->shutting_down)
    return;

  /* g_subprocess_get_exit_status() is only valid after a normal exit, not after a signal. */
  exit_status =
    g_subprocess_get_if_exited (simulator) ? g_subprocess_get_exit_status (simulator) : -1;
  if (!self->simulator_ready)
    message = g_strdup_printf (_("The demo simulator could not start (exit status %d). Run "
                                 "cyberqp-verify-simulator in a terminal to see why."),
                                  exit_status);
  else
    message = g_strdup_printf (_("The demo simulator stopped (exit status %d). Verifications in "
                                 "the demo tenant cannot work until the app is started again."),
                                  exit_status);
  show_demo_error (self, message);
}

static void
start_simulator (CqvApplication *self)
{
  g_autoptr (GSubprocessLauncher) launcher = NULL;
  g_autoptr (GPtrArray) argv = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GError) error = NULL;
  g_autofree char *path = find_simulator ();
  const char *time_scale = g_getenv ("CQV_DEMO_TIME_SCALE");
  const char *generate = g_getenv ("CQV_DEMO_GENERATE");

  if (path == NULL)
    {
      g_autofree char *message =
        g_strdup_printf (_("Demo mode needs the simulator, %s, which is not installed (looked "
                           "beside this program and in %s)."),
                            SIMULATOR_NAME, BINDIR);

      show_demo_error (self, message);
      return;
    }

  g_ptr_array_add (argv, g_strdup (path));
  g_ptr_array_add (argv, g_strdup ("--exit-on-stdin-eof"));
  g_ptr_array_add (argv, g_strdup ("--phone"));
  if (time_scale != NULL && *time_scale != '\0')
    {
      g_ptr_array_add (argv, g_strdup ("--time-scale"));
      g_ptr_array_add (argv, g_strdup (time_scale));
    }
  if (generate != NULL && *generate != '\0')
    {
      g_ptr_array_add (argv, g_strdup ("--generate"));
      g_ptr_array_add (argv, g_strdup (generate));
    }
  g_ptr_array_add (argv, NULL);

  /* stdin stays open for the simulator's life: if this process dies, the simulator sees EOF
   * and exits (--exit-on-stdin-eof). */
  /* Its log (each request) only when debugging: G_MESSAGES_DEBUG=all. */
  launcher = g_subprocess_launcher_new (
    G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_PIPE |
    (g_getenv ("G_MESSAGES_DEBUG") == NULL ? G_SUBPROCESS_FLAGS_STDERR_SILENCE : 0));
  self->simulator =
    g_subprocess_launcher_spawnv (launcher, (const char *const *) argv->pdata, &error);
  if (self->simulator == NULL)
    {
      g_autofree char *message = g_strdup_printf (
        _("Demo mode could not start the simulator (%s): %s"), path, error->message);

      show_demo_error (self, message);
      return;
    }

  self->simulator_stdout = g_data_input_stream_new (g_subprocess_get_stdout_pipe (self->simulator));
  g_data_input_stream_read_line_async (self->simulator_stdout, G_PRIORITY_DEFAULT,
                                       self->cancellable, simulator_url_cb, self);
  g_subprocess_wait_async (self->simulator, self->cancellable, simulator_exited_cb, self);
}

static void
stop_simulator (CqvApplication *self)
{
  if (self->simulator == NULL)
    return;

  g_output_stream_close (g_subprocess_get_stdin_pipe (self->simulator), NULL, NULL);
  g_subprocess_force_exit (self->simulator);
  g_clear_object (&self->simulator_stdout);
  g_clear_object (&self->simulator);
}

static void
tenants_loaded_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GError) error = NULL;

  /* A broken tenants file leaves the store read-only with its load error, which the window
   * shows (cqv_tenant_store_get_load_error()). */
  if (!cqv_tenant_store_load_finish (CQV_TENANT_STORE (object), result, &error) &&
      !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    g_message ("Could not load the tenants: %s", error->message);
}

static void
load_css (void)
{
  g_autoptr (GtkCssProvider) provider = gtk_css_provider_new ();

  gtk_css_provider_load_from_resource (provider, RESOURCE_PATH "/style.css");
  gtk_style_context_add_provider_for_display (gdk_display_get_default (),
                                              GTK_STYLE_PROVIDER (provider),
                                              GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);
}

static void
quit_application (GApplication *app)
{
  GList *windows = gtk_application_get_windows (GTK_APPLICATION (app));

  /* Close windows properly so they save their size; then the application ends by itself. */
  for (GList *l = windows; l != NULL;)
    {
      GtkWindow *window = l->data;

      l = l->next;
      gtk_window_close (window);
    }
  g_application_quit (app);
}

static void
quit_action (GSimpleAction *action, GVariant *parameter, gpointer user_data)
{
  quit_application (G_APPLICATION (user_data));
}

static gboolean
quit_signal_cb (gpointer user_data)
{
  /* SIGTERM/SIGINT end the application like Ctrl+Q, so the simulator is stopped too. */
  quit_application (G_APPLICATION (user_data));
  return G_SOURCE_CONTINUE;
}

static void
about_action (GSimpleAction *action, GVariant *parameter, gpointer user_data)
{
  GtkApplication *app = GTK_APPLICATION (user_data);
  static const char *developers[] = { "CyberQP", NULL };

  gtk_show_about_dialog (
    gtk_application_get_active_window (app), "program-name",
    _("CyberQP Verify"), "logo-icon-name", APP_ID, "version", PACKAGE_VERSION, "comments",
       _("Verify a caller with a Microsoft Authenticator push"), "website", PACKAGE_WEBSITE,
          "website-label",
          _("Website"), "copyright",
             _("© 2026 CyberQP"), "license-type", GTK_LICENSE_GPL_3_0, "authors", developers,
                /* Translators: Replace "translator-credits" with your names, one name per line */
                "translator-credits", _("translator-credits"), "modal", TRUE, NULL);
}

static const GActionEntry app_actions[] = {
  { "quit", quit_action },
  { "about", about_action },
};

static int
cqv_application_handle_local_options (GApplication *app, GVariantDict *options)
{
  CqvApplication *self = CQV_APPLICATION (app);

  if (g_variant_dict_contains (options, "demo"))
    {
      cqv_application_set_demo (self, TRUE);
      /* A demo runs beside a normal instance instead of being handed to it. */
      g_application_set_flags (app, g_application_get_flags (app) | G_APPLICATION_NON_UNIQUE);
    }

  return -1;
}

static void
cqv_application_activate (GApplication *app)
{
  CqvApplication *self = CQV_APPLICATION (app);
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (app));

  if (window == NULL)
    {
      window = GTK_WINDOW (cqv_window_new (self));
      if (self->demo_error != NULL)
        cqv_window_show_banner (CQV_WINDOW (window), self->demo_error);
    }
  gtk_window_present (window);
}

static void
cqv_application_startup (GApplication *app)
{
  CqvApplication *self = CQV_APPLICATION (app);
  static const char *quit_accels[] = { "<Control>q", NULL };
  static const char *search_accels[] = { "<Control>f", NULL };
  static const char *add_tenant_accels[] = { "<Control>n", NULL };
  static const char *menu_accels[] = { "F10", NULL };

  G_APPLICATION_CLASS (cqv_application_parent_class)->startup (app);

  g_action_map_add_action_entries (G_ACTION_MAP (app), app_actions, G_N_ELEMENTS (app_actions),
                                   app);
  gtk_application_set_accels_for_action (GTK_APPLICATION (app), "app.quit", quit_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (app), "win.search", search_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (app), "win.add-tenant",
                                         add_tenant_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (app), "win.show-primary-menu",
                                         menu_accels);

  gtk_window_set_default_icon_name (APP_ID);
  load_css ();

  self->sigterm_source = g_unix_signal_add (SIGTERM, quit_signal_cb, self);
  self->sigint_source = g_unix_signal_add (SIGINT, quit_signal_cb, self);

  if (self->demo)
    start_simulator (self);
  else
    cqv_tenant_store_load_async (self->tenant_store, self->cancellable, tenants_loaded_cb, NULL);
}

static void
cqv_application_shutdown (GApplication *app)
{
  CqvApplication *self = CQV_APPLICATION (app);

  self->shutting_down = TRUE;
  g_cancellable_cancel (self->cancellable);
  stop_simulator (self);
  g_clear_handle_id (&self->sigterm_source, g_source_remove);
  g_clear_handle_id (&self->sigint_source, g_source_remove);

  G_APPLICATION_CLASS (cqv_application_parent_class)->shutdown (app);
}

static void
cqv_application_dispose (GObject *object)
{
  CqvApplication *self = CQV_APPLICATION (object);

  g_cancellable_cancel (self->cancellable);
  stop_simulator (self);
  g_clear_handle_id (&self->sigterm_source, g_source_remove);
  g_clear_handle_id (&self->sigint_source, g_source_remove);
  if (self->tenant_store != NULL)
    g_clear_signal_handler (&self->tenants_changed_id,
                            cqv_tenant_store_get_tenants (self->tenant_store));
  g_hash_table_remove_all (self->contexts);
  g_clear_object (&self->tenant_store);
  g_clear_object (&self->secret_store);
  g_clear_object (&self->tokens);
  g_clear_object (&self->http);

  G_OBJECT_CLASS (cqv_application_parent_class)->dispose (object);
}

static void
cqv_application_finalize (GObject *object)
{
  CqvApplication *self = CQV_APPLICATION (object);

  g_hash_table_unref (self->contexts);
  g_clear_object (&self->cancellable);
  g_free (self->demo_error);

  G_OBJECT_CLASS (cqv_application_parent_class)->finalize (object);
}

static void
cqv_application_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  CqvApplication *self = CQV_APPLICATION (object);

  switch (prop_id)
    {
    case PROP_DEMO:
      g_value_set_boolean (value, self->demo);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cqv_application_set_property (GObject *object,
                              guint prop_id,
                              const GValue *value,
                              GParamSpec *pspec)
{
  CqvApplication *self = CQV_APPLICATION (object);

  switch (prop_id)
    {
    case PROP_DEMO:
      cqv_application_set_demo (self, g_value_get_boolean (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cqv_application_class_init (CqvApplicationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  object_class->dispose = cqv_application_dispose;
  object_class->finalize = cqv_application_finalize;
  object_class->get_property = cqv_application_get_property;
  object_class->set_property = cqv_application_set_property;
  app_class->handle_local_options = cqv_application_handle_local_options;
  app_class->activate = cqv_application_activate;
  app_class->startup = cqv_application_startup;
  app_class->shutdown = cqv_application_shutdown;

  /**
   * CqvApplication:demo:
   *
   * Demo mode: the simulator runs and the demo tenant is shown; tenants and secrets stay in
   * memory. Set before the application is registered.
   */
  properties[PROP_DEMO] =
    g_param_spec_boolean ("demo", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
cqv_application_init (CqvApplication *self)
{
  static const GOptionEntry options[] = {
    { "demo", 0, 0, G_OPTION_ARG_NONE, NULL,
      N_ ("Start on the built-in demo tenant (a local simulator; nothing is saved)"), NULL },
      { NULL },
  };
  g_autoptr (CqvTenantStore) tenant_store = cqv_tenant_store_new (NULL);

  self->contexts =
    g_hash_table_new_full (g_direct_hash, g_direct_equal, g_object_unref, g_object_unref);
  self->cancellable = g_cancellable_new ();
  self->http = cqv_http_client_new ();
  self->tokens = cqv_token_provider_new (self->http);
  self->secret_store = cqv_secret_store_new ();
  set_tenant_store (self, tenant_store);

  g_application_add_main_option_entries (G_APPLICATION (self), options);
}

/**
 * cqv_application_new:
 *
 * Returns: (transfer full): the application, using the tenants file and the system keyring
 *   unless --demo is given or cqv_application_set_demo() is called before it is registered
 */
CqvApplication *
cqv_application_new (void)
{
  return g_object_new (CQV_TYPE_APPLICATION, "application-id", APP_ID, "flags",
                       G_APPLICATION_DEFAULT_FLAGS, "resource-base-path", RESOURCE_PATH, NULL);
}

/**
 * cqv_application_get_tenants:
 *
 * Returns: (transfer none): a #GListModel of #CqvTenant, sorted by name
 */
GListModel *
cqv_application_get_tenants (CqvApplication *self)
{
  g_return_val_if_fail (CQV_IS_APPLICATION (self), NULL);

  return cqv_tenant_store_get_tenants (self->tenant_store);
}

/**
 * cqv_application_get_tenant_store:
 *
 * Returns: (transfer none): the tenant store; cqv_tenant_store_get_load_error() says why it
 *   is read-only when the tenants file was broken
 */
CqvTenantStore *
cqv_application_get_tenant_store (CqvApplication *self)
{
  g_return_val_if_fail (CQV_IS_APPLICATION (self), NULL);

  return self->tenant_store;
}

/**
 * cqv_application_get_secret_store:
 *
 * Returns: (transfer none): the system keyring, or an in-memory store in demo mode
 */
CqvSecretStore *
cqv_application_get_secret_store (CqvApplication *self)
{
  g_return_val_if_fail (CQV_IS_APPLICATION (self), NULL);

  return self->secret_store;
}

/**
 * cqv_application_get_context:
 * @tenant: a tenant of cqv_application_get_tenants()
 *
 * The context is created on first use and kept until the tenant leaves the list.
 *
 * Returns: (transfer none): the tenant's context
 */
CqvTenantContext *
cqv_application_get_context (CqvApplication *self, CqvTenant *tenant)
{
  CqvTenantContext *context;

  g_return_val_if_fail (CQV_IS_APPLICATION (self), NULL);
  g_return_val_if_fail (CQV_IS_TENANT (tenant), NULL);

  context = g_hash_table_lookup (self->contexts, tenant);
  if (context == NULL)
    {
      context = cqv_tenant_context_new (tenant, self->secret_store, self->http, self->tokens);
      g_hash_table_insert (self->contexts, g_object_ref (tenant), context);
    }
  return context;
}

void
cqv_application_forget_context (CqvApplication *self, CqvTenant *tenant)
{
  g_return_if_fail (CQV_IS_APPLICATION (self));
  g_return_if_fail (CQV_IS_TENANT (tenant));

  g_hash_table_remove (self->contexts, tenant);
}

CqvHttpClient *
cqv_application_get_http (CqvApplication *self)
{
  g_return_val_if_fail (CQV_IS_APPLICATION (self), NULL);

  return self->http;
}

gboolean
cqv_application_get_demo (CqvApplication *self)
{
  g_return_val_if_fail (CQV_IS_APPLICATION (self), FALSE);

  return self->demo;
}

/**
 * cqv_application_set_demo:
 *
 * Switches demo mode on or off (what --demo does). Only before the application is registered:
 * it replaces the tenant and secret stores with in-memory ones.
 */
void
cqv_application_set_demo (CqvApplication *self, gboolean demo)
{
  g_autoptr (CqvTenantStore) tenant_store = NULL;

  g_return_if_fail (CQV_IS_APPLICATION (self));
  g_return_if_fail (!g_application_get_is_registered (G_APPLICATION (self)));

  demo = !!demo;
  if (self->demo == demo)
    return;

  self->demo = demo;
  g_clear_object (&self->secret_store);
  self->secret_store = demo ? cqv_secret_store_new_in_memory () : cqv_secret_store_new ();
  tenant_store = demo ? cqv_tenant_store_new_in_memory () : cqv_tenant_store_new (NULL);
  set_tenant_store (self, tenant_store);

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DEMO]);
}

/**
 * cqv_application_get_demo_error:
 *
 * Returns: (nullable): why demo mode does not work (the simulator could not start or stopped)
 */
const char *
cqv_application_get_demo_error (CqvApplication *self)
{
  g_return_val_if_fail (CQV_IS_APPLICATION (self), NULL);

  return self->demo_error;
}
