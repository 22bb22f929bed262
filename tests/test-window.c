/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <gtk/gtk.h>

#include "cqv-application.h"
#include "cqv-window.h"

static CqvApplication *
create_app (void)
{
  static guint counter;
  CqvApplication *app = cqv_application_new ();
  g_autoptr (GError) error = NULL;
  g_autofree char *id = g_strdup_printf ("%s.Test%u", APP_ID, ++counter);

  /* A unique id per test: an application that is still finishing its start-up work must not
   * collide with the next one on the bus. */
  g_application_set_application_id (G_APPLICATION (app), id);
  g_application_set_flags (G_APPLICATION (app), G_APPLICATION_NON_UNIQUE);
  g_application_register (G_APPLICATION (app), NULL, &error);
  g_assert_no_error (error);
  return app;
}

static gboolean
spin_until (gboolean (*condition) (gpointer), gpointer data)
{
  gint64 deadline = g_get_monotonic_time () + 5 * G_USEC_PER_SEC;

  while (!condition (data))
    {
      if (g_get_monotonic_time () > deadline)
        return FALSE;
      g_main_context_iteration (NULL, FALSE);
    }
  return TRUE;
}

static GtkWindow *
find_toplevel (GType type)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr (GtkWindow) window = g_list_model_get_item (toplevels, i);

      if (G_TYPE_CHECK_INSTANCE_TYPE (window, type) && gtk_widget_get_mapped (GTK_WIDGET (window)))
        return window;
    }
  return NULL;
}

static gboolean
about_shown (gpointer data)
{
  return find_toplevel (GTK_TYPE_ABOUT_DIALOG) != NULL;
}

static gboolean
shortcuts_shown (gpointer data)
{
  return find_toplevel (GTK_TYPE_SHORTCUTS_WINDOW) != NULL;
}

static gboolean
revealed (gpointer data)
{
  return gtk_revealer_get_child_revealed (GTK_REVEALER (data));
}

static void
test_application_new_destroy (void)
{
  CqvApplication *app = cqv_application_new ();

  g_assert_finalize_object (app);
}

static void
test_window_new_destroy (void)
{
  g_autoptr (CqvApplication) app = create_app ();
  CqvWindow *window = cqv_window_new (app);

  g_object_ref_sink (window);
  gtk_window_destroy (GTK_WINDOW (window));
  g_assert_finalize_object (window);
}

static void
test_window_empty_state (void)
{
  g_autoptr (CqvApplication) app = create_app ();
  CqvWindow *window = cqv_window_new (app);
  GtkStack *content_stack;
  GtkWidget *add_button;
  GtkRevealer *banner;
  GtkLabel *banner_label;

  gtk_window_present (GTK_WINDOW (window));
  gtk_test_widget_wait_for_draw (GTK_WIDGET (window));

  content_stack = GTK_STACK (
    gtk_widget_get_template_child (GTK_WIDGET (window), CQV_TYPE_WINDOW, "content_stack"));
  g_assert_cmpstr (gtk_stack_get_visible_child_name (content_stack), ==, "empty");

  /* The empty state invites to add a tenant; the action says honestly that it is not ready. */
  add_button = GTK_WIDGET (
    gtk_widget_get_template_child (GTK_WIDGET (window), CQV_TYPE_WINDOW, "empty_add_button"));
  g_assert_true (gtk_widget_is_drawable (add_button));
  g_assert_cmpstr (gtk_button_get_label (GTK_BUTTON (add_button)), ==, "_Add Tenant…");

  banner = GTK_REVEALER (
    gtk_widget_get_template_child (GTK_WIDGET (window), CQV_TYPE_WINDOW, "banner_revealer"));
  g_assert_false (gtk_revealer_get_reveal_child (banner));
  g_signal_emit_by_name (add_button, "clicked");
  g_assert_true (spin_until (revealed, banner));
  banner_label = GTK_LABEL (
    gtk_widget_get_template_child (GTK_WIDGET (window), CQV_TYPE_WINDOW, "banner_label"));
  g_assert_nonnull (strstr (gtk_label_get_label (banner_label), "cyberqp-verify tenant add"));

  gtk_widget_activate_action (GTK_WIDGET (window), "win.dismiss-banner", NULL);
  g_assert_false (gtk_revealer_get_reveal_child (banner));

  gtk_window_destroy (GTK_WINDOW (window));
}

static void
test_window_about_and_shortcuts (void)
{
  g_autoptr (CqvApplication) app = create_app ();
  CqvWindow *window = cqv_window_new (app);
  GtkWindow *about;
  GtkWindow *shortcuts;

  gtk_window_present (GTK_WINDOW (window));
  gtk_test_widget_wait_for_draw (GTK_WIDGET (window));

  g_action_group_activate_action (G_ACTION_GROUP (app), "about", NULL);
  g_assert_true (spin_until (about_shown, NULL));
  about = find_toplevel (GTK_TYPE_ABOUT_DIALOG);
  g_assert_cmpstr (gtk_about_dialog_get_version (GTK_ABOUT_DIALOG (about)), ==, PACKAGE_VERSION);
  g_assert_cmpint (gtk_about_dialog_get_license_type (GTK_ABOUT_DIALOG (about)), ==,
                   GTK_LICENSE_GPL_3_0);
  g_assert_cmpstr (gtk_about_dialog_get_website (GTK_ABOUT_DIALOG (about)), ==, PACKAGE_WEBSITE);
  g_assert_true (gtk_window_get_transient_for (about) == GTK_WINDOW (window));
  gtk_window_destroy (about);

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.show-help-overlay", NULL));
  g_assert_true (spin_until (shortcuts_shown, NULL));
  shortcuts = find_toplevel (GTK_TYPE_SHORTCUTS_WINDOW);
  gtk_window_destroy (shortcuts);

  gtk_window_destroy (GTK_WINDOW (window));
}

static void
test_window_remembers_size (void)
{
  g_autoptr (CqvApplication) app = create_app ();
  g_autoptr (GSettings) settings = g_settings_new (APP_ID);
  CqvWindow *window;
  int width, height;

  g_settings_set_int (settings, "window-width", 900);
  g_settings_set_int (settings, "window-height", 640);
  window = cqv_window_new (app);
  gtk_window_get_default_size (GTK_WINDOW (window), &width, &height);
  g_assert_cmpint (width, ==, 900);
  g_assert_cmpint (height, ==, 640);

  gtk_window_present (GTK_WINDOW (window));
  gtk_test_widget_wait_for_draw (GTK_WIDGET (window));
  gtk_window_set_default_size (GTK_WINDOW (window), 812, 603);
  gtk_window_close (GTK_WINDOW (window));
  g_assert_cmpint (g_settings_get_int (settings, "window-width"), ==, 812);
  g_assert_cmpint (g_settings_get_int (settings, "window-height"), ==, 603);
}

int
main (int argc, char *argv[])
{
  gtk_test_init (&argc, &argv, NULL);

  g_test_add_func ("/cqv/application/new-destroy", test_application_new_destroy);
  g_test_add_func ("/cqv/window/new-destroy", test_window_new_destroy);
  g_test_add_func ("/cqv/window/empty-state", test_window_empty_state);
  g_test_add_func ("/cqv/window/about-and-shortcuts", test_window_about_and_shortcuts);
  g_test_add_func ("/cqv/window/remembers-size", test_window_remembers_size);

  return g_test_run ();
}
