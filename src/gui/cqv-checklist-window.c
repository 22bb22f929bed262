/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cqv-checklist-window"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "cqv-launch.h"
#include "cqv-accessible.h"
#include "cqv-check-row-private.h"
#include "cqv-checklist-window-private.h"
#include "cqv-verify-dialog.h"

struct _CqvChecklistWindow
{
  GtkWindow parent_instance;

  CqvTenantContext *context;
  CqvTenantCheck *check; /* the context's, shared with the verify dialogs */
  GCancellable *cancellable;
  /* The test push's lookup of a user; replaced by each new test push. */
  GCancellable *push_cancellable;
  char *push_upn;
  gulong directory_state_id;
  /* The verify dialogs of test pushes (not owned). */
  GPtrArray *dialogs;

  GtkButton *recheck_button;
  GtkStack *recheck_stack;
  GtkSpinner *recheck_spinner;
  GtkLabel *summary_label;
  GtkListBox *check_list;
  GtkBox *expiry_box;
  GtkLabel *expiry_label;
  GtkEntry *upn_entry;
  GtkLabel *test_push_label;
};

G_DEFINE_FINAL_TYPE (CqvChecklistWindow, cqv_checklist_window, GTK_TYPE_WINDOW)

enum
{
  PROP_0,
  PROP_CONTEXT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
update_actions (CqvChecklistWindow *self)
{
  gboolean running = cqv_tenant_check_get_running (self->check);

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "checklist.recheck", !running);
}

static void
update_summary (CqvChecklistWindow *self)
{
  GListModel *items = cqv_tenant_check_get_items (self->check);
  guint n = g_list_model_get_n_items (items);
  guint failed = 0, warnings = 0, pending = 0;
  g_autofree char *text = NULL;

  for (guint i = 0; i < n; i++)
    {
      g_autoptr (CqvCheckItem) item = g_list_model_get_item (items, i);

      switch (cqv_check_item_get_status (item))
        {
        case CQV_CHECK_STATUS_FAILED:
          failed++;
          break;
        case CQV_CHECK_STATUS_WARNING:
          warnings++;
          break;
        case CQV_CHECK_STATUS_PENDING:
          pending++;
          break;
        case CQV_CHECK_STATUS_OK:
        case CQV_CHECK_STATUS_SKIPPED:
        default:
          break;
        }
    }

  if (cqv_tenant_check_get_running (self->check))
    text = g_strdup (_("Checking…"));
  else if (pending == n)
    text = g_strdup (_("Not checked yet."));
  else if (failed > 0)
    text = g_strdup_printf (ngettext ("%u problem must be fixed before pushes can work.",
                                      "%u problems must be fixed before pushes can work.", failed),
                            failed);
  else if (warnings > 0)
    text = g_strdup (_("Pushes will work; the warnings say what could be better."));
  else
    text = g_strdup (_("Everything is set up."));
  gtk_label_set_label (self->summary_label, text);
}

/* The check may be run by others too (a verify dialog): the lines follow it, whoever started
 * it. */
static void
sync_running (CqvChecklistWindow *self)
{
  gboolean running = cqv_tenant_check_get_running (self->check);

  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self->check_list)); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *row = gtk_list_box_row_get_child (GTK_LIST_BOX_ROW (child));

      if (CQV_IS_CHECK_ROW (row))
        cqv_check_row_set_running (CQV_CHECK_ROW (row), running);
    }
  gtk_stack_set_visible_child_name (self->recheck_stack, running ? "spinner" : "icon");
  gtk_spinner_set_spinning (self->recheck_spinner, running);
  update_summary (self);
  update_actions (self);
}

static void
set_test_push_message (CqvChecklistWindow *self, const char *message)
{
  gtk_label_set_label (self->test_push_label, message != NULL ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (self->test_push_label), message != NULL);
}

static void
expiry_lookup_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (CqvChecklistWindow) self = user_data;
  g_autoptr (GError) error = NULL;
  g_autoptr (CqvSecret) secret = NULL;
  g_autoptr (GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *warning = NULL;

  /* A keyring problem is the connector secret line's to report. */
  secret = cqv_secret_store_lookup_finish (CQV_SECRET_STORE (object), result, &error);
  if (self->check == NULL || g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (secret != NULL)
    warning = cqv_connector_expiry_warning (secret, now);
  gtk_label_set_label (self->expiry_label, warning != NULL ? warning : "");
  gtk_widget_set_visible (GTK_WIDGET (self->expiry_box), warning != NULL);
}

static void
check_done_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GListModel) items = NULL;

  /* The window follows the check's "running"; a cancellation is the window closing. */
  items = cqv_tenant_check_run_finish (CQV_TENANT_CHECK (object), result, NULL);
}

static void
run_check (CqvChecklistWindow *self)
{
  CqvConnector *connector = cqv_tenant_context_get_connector (self->context);

  /* Joins a run already going on (a verify dialog's). */
  cqv_tenant_check_run_async (self->check, self->cancellable, check_done_cb, NULL);
  cqv_secret_store_lookup_async (cqv_tenant_context_get_secret_store (self->context),
                                 cqv_connector_get_tenant_id (connector), CQV_MFA_CLIENT_APP_ID,
                                 CQV_SECRET_KIND_CONNECTOR, self->cancellable, expiry_lookup_cb,
                                 g_object_ref (self));
}

static GtkWidget *
create_row_cb (gpointer item, gpointer user_data)
{
  CqvChecklistWindow *self = user_data;
  GtkWidget *row = cqv_check_row_new ();

  cqv_check_row_set_item (CQV_CHECK_ROW (row), item);
  cqv_check_row_set_running (CQV_CHECK_ROW (row), cqv_tenant_check_get_running (self->check));
  return row;
}

static void
check_running_cb (CqvChecklistWindow *self, GParamSpec *pspec, CqvTenantCheck *check)
{
  sync_running (self);
}

static void
item_done_cb (CqvChecklistWindow *self, CqvCheckItem *item, CqvTenantCheck *check)
{
  update_summary (self);
}

static void
dialog_finalized_cb (gpointer data, GObject *where_the_object_was)
{
  CqvChecklistWindow *self = data;

  g_ptr_array_remove (self->dialogs, where_the_object_was);
}

/* A verify dialog lives on, after it is closed, until its last request unwinds; GTK would
 * then disconnect from this window after it is gone. */
static void
release_dialogs (CqvChecklistWindow *self)
{
  while (self->dialogs->len > 0)
    {
      GtkWindow *dialog = g_ptr_array_steal_index (self->dialogs, 0);

      g_object_weak_unref (G_OBJECT (dialog), dialog_finalized_cb, self);
      gtk_window_set_transient_for (dialog, NULL);
    }
}

static void
open_verify_dialog (CqvChecklistWindow *self, CqvUser *user)
{
  g_autoptr (GSettings) settings = g_settings_new (APP_ID);
  CqvVerifyDialog *dialog = cqv_verify_dialog_new (
    GTK_WINDOW (self), self->context, user, g_settings_get_uint (settings, "push-window-seconds"));

  set_test_push_message (self, NULL);
  gtk_window_set_destroy_with_parent (GTK_WINDOW (dialog), TRUE);
  g_ptr_array_add (self->dialogs, dialog);
  g_object_weak_ref (G_OBJECT (dialog), dialog_finalized_cb, self);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
find_push_user (CqvChecklistWindow *self)
{
  CqvDirectory *directory = cqv_tenant_context_get_directory (self->context);
  CqvUser *user = cqv_directory_find_by_upn (directory, self->push_upn);
  g_autofree char *message = NULL;

  if (user != NULL)
    {
      open_verify_dialog (self, user);
      return;
    }
  /* Translators: %s is the user principal name typed for the test push. */
  message = g_strdup_printf (_("There is no user “%s” in this tenant. Check the spelling."),
                                self->push_upn);
  set_test_push_message (self, message);
}

static void
push_directory_failed (CqvChecklistWindow *self, const GError *error)
{
  g_autofree char *message = g_strdup_printf (
    _("The users could not be loaded: %s"), error != NULL ? error->message : _("unknown error"));

  set_test_push_message (self, message);
}

static void
directory_state_cb (CqvChecklistWindow *self, GParamSpec *pspec, CqvDirectory *directory)
{
  CqvDirectoryState state = cqv_directory_get_state (directory);

  if (state != CQV_DIRECTORY_STATE_READY && state != CQV_DIRECTORY_STATE_ERROR)
    return;
  g_clear_signal_handler (&self->directory_state_id, directory);
  if (state == CQV_DIRECTORY_STATE_READY)
    find_push_user (self);
  else
    push_directory_failed (self, cqv_directory_get_error (directory));
}

static void
push_context_loaded_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (CqvChecklistWindow) self = user_data;
  g_autoptr (GError) error = NULL;
  CqvDirectory *directory;

  if (!cqv_tenant_context_load_finish (CQV_TENANT_CONTEXT (object), result, &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        push_directory_failed (self, error);
      return;
    }

  /* The window may be loading the users already: wait for that load rather than restart it. */
  directory = cqv_tenant_context_get_directory (self->context);
  if (cqv_directory_get_state (directory) != CQV_DIRECTORY_STATE_LOADING)
    cqv_directory_load_async (directory, self->push_cancellable, NULL, NULL);
  self->directory_state_id = g_signal_connect_object (
    directory, "notify::state", G_CALLBACK (directory_state_cb), self, G_CONNECT_SWAPPED);
  directory_state_cb (self, NULL, directory);
}

static void
start_test_push (CqvChecklistWindow *self)
{
  g_autofree char *upn =
    g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->upn_entry))));
  CqvDirectory *directory = cqv_tenant_context_get_directory (self->context);

  if (upn[0] == '\0')
    {
      set_test_push_message (self, _("Type the user principal name of an account to test with."));
      gtk_widget_grab_focus (GTK_WIDGET (self->upn_entry));
      return;
    }

  g_cancellable_cancel (self->push_cancellable);
  g_clear_object (&self->push_cancellable);
  g_clear_signal_handler (&self->directory_state_id, directory);
  self->push_cancellable = g_cancellable_new ();
  g_free (self->push_upn);
  self->push_upn = g_steal_pointer (&upn);

  if (cqv_directory_get_state (directory) == CQV_DIRECTORY_STATE_READY)
    {
      find_push_user (self);
      return;
    }
  set_test_push_message (self, _("Looking for the user…"));
  cqv_tenant_context_load_async (self->context, self->push_cancellable, push_context_loaded_cb,
                                 g_object_ref (self));
}

static void
upn_activate_cb (CqvChecklistWindow *self, GtkEntry *entry)
{
  start_test_push (self);
}

static void
open_url_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  const char *url = g_variant_get_string (parameter, NULL);

  if (url[0] == '\0')
    return;
  cqv_launch_uri (GTK_WINDOW (widget), url);
}

static void
recheck_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  run_check (CQV_CHECKLIST_WINDOW (widget));
}

static void
test_push_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  start_test_push (CQV_CHECKLIST_WINDOW (widget));
}

static void
cqv_checklist_window_constructed (GObject *object)
{
  CqvChecklistWindow *self = CQV_CHECKLIST_WINDOW (object);
  CqvTenant *tenant = cqv_tenant_context_get_tenant (self->context);
  /* Translators: the checklist window's title; %s is the tenant. */
  g_autofree char *title =
    g_strdup_printf (_("Setup Checklist — %s"), cqv_tenant_get_name (tenant));

  G_OBJECT_CLASS (cqv_checklist_window_parent_class)->constructed (object);

  gtk_window_set_title (GTK_WINDOW (self), title);
  self->check = g_object_ref (cqv_tenant_context_get_check (self->context));
  g_signal_connect_object (self->check, "item-done", G_CALLBACK (item_done_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->check, "notify::running", G_CALLBACK (check_running_cb), self,
                           G_CONNECT_SWAPPED);
  gtk_list_box_bind_model (self->check_list, cqv_tenant_check_get_items (self->check),
                           create_row_cb, self, NULL);
  run_check (self);
  sync_running (self);
}

static void
cqv_checklist_window_dispose (GObject *object)
{
  CqvChecklistWindow *self = CQV_CHECKLIST_WINDOW (object);

  g_cancellable_cancel (self->cancellable);
  g_cancellable_cancel (self->push_cancellable);
  release_dialogs (self);
  if (self->check != NULL)
    g_signal_handlers_disconnect_by_data (self->check, self);
  if (self->context != NULL)
    g_clear_signal_handler (&self->directory_state_id,
                            cqv_tenant_context_get_directory (self->context));
  gtk_widget_dispose_template (GTK_WIDGET (self), CQV_TYPE_CHECKLIST_WINDOW);
  g_clear_object (&self->check);
  g_clear_object (&self->context);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->push_cancellable);
  g_clear_pointer (&self->push_upn, g_free);

  G_OBJECT_CLASS (cqv_checklist_window_parent_class)->dispose (object);
}

static void
cqv_checklist_window_finalize (GObject *object)
{
  CqvChecklistWindow *self = CQV_CHECKLIST_WINDOW (object);

  g_ptr_array_unref (self->dialogs);

  G_OBJECT_CLASS (cqv_checklist_window_parent_class)->finalize (object);
}

static void
cqv_checklist_window_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  CqvChecklistWindow *self = CQV_CHECKLIST_WINDOW (object);

  switch (prop_id)
    {
    case PROP_CONTEXT:
      g_value_set_object (value, self->context);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cqv_checklist_window_set_property (GObject *object,
                                   guint prop_id,
                                   const GValue *value,
                                   GParamSpec *pspec)
{
  CqvChecklistWindow *self = CQV_CHECKLIST_WINDOW (object);

  switch (prop_id)
    {
    case PROP_CONTEXT:
      self->context = g_value_dup_object (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cqv_checklist_window_class_init (CqvChecklistWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = cqv_checklist_window_constructed;
  object_class->dispose = cqv_checklist_window_dispose;
  object_class->finalize = cqv_checklist_window_finalize;
  object_class->get_property = cqv_checklist_window_get_property;
  object_class->set_property = cqv_checklist_window_set_property;

  properties[PROP_CONTEXT] =
    g_param_spec_object ("context", NULL, NULL, CQV_TYPE_TENANT_CONTEXT,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (CQV_TYPE_CHECK_ROW);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_PATH "/cqv-checklist-window.ui");
  gtk_widget_class_bind_template_child (widget_class, CqvChecklistWindow, recheck_button);
  gtk_widget_class_bind_template_child (widget_class, CqvChecklistWindow, recheck_stack);
  gtk_widget_class_bind_template_child (widget_class, CqvChecklistWindow, recheck_spinner);
  gtk_widget_class_bind_template_child (widget_class, CqvChecklistWindow, summary_label);
  gtk_widget_class_bind_template_child (widget_class, CqvChecklistWindow, check_list);
  gtk_widget_class_bind_template_child (widget_class, CqvChecklistWindow, expiry_box);
  gtk_widget_class_bind_template_child (widget_class, CqvChecklistWindow, expiry_label);
  gtk_widget_class_bind_template_child (widget_class, CqvChecklistWindow, upn_entry);
  gtk_widget_class_bind_template_child (widget_class, CqvChecklistWindow, test_push_label);
  gtk_widget_class_bind_template_callback (widget_class, upn_activate_cb);

  gtk_widget_class_install_action (widget_class, "checklist.recheck", NULL, recheck_action);
  gtk_widget_class_install_action (widget_class, "checklist.test-push", NULL, test_push_action);
  gtk_widget_class_install_action (widget_class, "checklist.open-url", "s", open_url_action);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_r, GDK_CONTROL_MASK,
                                       "checklist.recheck", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F5, 0, "checklist.recheck", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
cqv_checklist_window_init (CqvChecklistWindow *self)
{
  self->cancellable = g_cancellable_new ();
  self->dialogs = g_ptr_array_new ();
  gtk_widget_init_template (GTK_WIDGET (self));
  cqv_accessible_name_by_labels (GTK_WIDGET (self));
}

CqvChecklistWindow *
cqv_checklist_window_new (GtkWindow *parent, CqvTenantContext *context)
{
  g_return_val_if_fail (parent == NULL || GTK_IS_WINDOW (parent), NULL);
  g_return_val_if_fail (CQV_IS_TENANT_CONTEXT (context), NULL);

  return g_object_new (CQV_TYPE_CHECKLIST_WINDOW, "transient-for", parent, "context", context,
                       "destroy-with-parent", TRUE, NULL);
}

CqvTenantContext *
cqv_checklist_window_get_context (CqvChecklistWindow *self)
{
  g_return_val_if_fail (CQV_IS_CHECKLIST_WINDOW (self), NULL);

  return self->context;
}

char *
cqv_connector_expiry_warning (const CqvSecret *secret, GDateTime *now)
{
  g_autoptr (GDateTime) local = NULL;
  g_autofree char *date = NULL;
  GTimeSpan left;

  g_return_val_if_fail (secret != NULL, NULL);
  g_return_val_if_fail (now != NULL, NULL);

  if (secret->expires == NULL)
    return NULL;
  left = g_date_time_difference (secret->expires, now);
  if (left > CQV_EXPIRY_WARNING_DAYS * G_TIME_SPAN_DAY)
    return NULL;

  local = g_date_time_to_local (secret->expires);
  date = g_date_time_format (local, "%Y-%m-%d");
  /* CqvConnectorSecrets replaces a secret expiring within a day on the next push. */
  if (left <= 0)
    /* Translators: %s is a date. */
    return g_strdup_printf (_("Connector secret expired on %s; a new one will be made on the "
                              "next push"),
                               date);
  /* Translators: %s is a date. */
  return g_strdup_printf (_("Connector secret expires on %s; it will be renewed automatically"),
                             date);
}

CqvTenantCheck *
cqv_checklist_window_get_check (CqvChecklistWindow *self)
{
  g_return_val_if_fail (CQV_IS_CHECKLIST_WINDOW (self), NULL);

  return self->check;
}

CqvCheckRow *
cqv_checklist_window_get_row (CqvChecklistWindow *self, const char *id)
{
  g_return_val_if_fail (CQV_IS_CHECKLIST_WINDOW (self), NULL);

  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self->check_list)); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *row = gtk_list_box_row_get_child (GTK_LIST_BOX_ROW (child));

      if (CQV_IS_CHECK_ROW (row) &&
          g_strcmp0 (cqv_check_item_get_id (cqv_check_row_get_item (CQV_CHECK_ROW (row))), id) == 0)
        return CQV_CHECK_ROW (row);
    }
  return NULL;
}

const char *
cqv_checklist_window_get_summary (CqvChecklistWindow *self)
{
  g_return_val_if_fail (CQV_IS_CHECKLIST_WINDOW (self), NULL);

  return gtk_label_get_label (self->summary_label);
}

const char *
cqv_checklist_window_get_expiry_text (CqvChecklistWindow *self)
{
  g_return_val_if_fail (CQV_IS_CHECKLIST_WINDOW (self), NULL);

  return gtk_widget_get_visible (GTK_WIDGET (self->expiry_box))
           ? gtk_label_get_label (self->expiry_label)
           : "";
}

const char *
cqv_checklist_window_get_test_push_message (CqvChecklistWindow *self)
{
  g_return_val_if_fail (CQV_IS_CHECKLIST_WINDOW (self), NULL);

  return gtk_widget_get_visible (GTK_WIDGET (self->test_push_label))
           ? gtk_label_get_label (self->test_push_label)
           : "";
}
