/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cqv-application"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "cqv-application.h"
#include "cqv-tenant-store.h"
#include "cqv-window.h"

struct _CqvApplication
{
  GtkApplication parent_instance;

  CqvTenantStore *tenant_store;
};

G_DEFINE_FINAL_TYPE (CqvApplication, cqv_application, GTK_TYPE_APPLICATION)

static void
tenants_loaded_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (CqvApplication) self = user_data;
  g_autoptr (GError) error = NULL;

  /* A broken tenants file leaves the store read-only; the window says so. */
  if (!cqv_tenant_store_load_finish (CQV_TENANT_STORE (object), result, &error))
    g_warning ("Could not load the tenants: %s", error->message);
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
quit_action (GSimpleAction *action, GVariant *parameter, gpointer user_data)
{
  GApplication *app = G_APPLICATION (user_data);
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

static void
cqv_application_activate (GApplication *app)
{
  CqvApplication *self = CQV_APPLICATION (app);
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (app));

  if (window == NULL)
    window = GTK_WINDOW (cqv_window_new (self));
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

  cqv_tenant_store_load_async (self->tenant_store, NULL, tenants_loaded_cb, g_object_ref (self));
}

static void
cqv_application_dispose (GObject *object)
{
  CqvApplication *self = CQV_APPLICATION (object);

  g_clear_object (&self->tenant_store);

  G_OBJECT_CLASS (cqv_application_parent_class)->dispose (object);
}

static void
cqv_application_class_init (CqvApplicationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  object_class->dispose = cqv_application_dispose;
  app_class->activate = cqv_application_activate;
  app_class->startup = cqv_application_startup;
}

static void
cqv_application_init (CqvApplication *self)
{
  self->tenant_store = cqv_tenant_store_new (NULL);
}

CqvApplication *
cqv_application_new (void)
{
  return g_object_new (CQV_TYPE_APPLICATION, "application-id", APP_ID, "flags",
                       G_APPLICATION_DEFAULT_FLAGS, "resource-base-path", RESOURCE_PATH, NULL);
}

GListModel *
cqv_application_get_tenants (CqvApplication *self)
{
  g_return_val_if_fail (CQV_IS_APPLICATION (self), NULL);

  return cqv_tenant_store_get_tenants (self->tenant_store);
}
