/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cqv-tenant-dialog"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "cqv-launch.h"
#include "cqv-consent.h"
#include "cqv-endpoint.h"
#include "cqv-tenant-dialog-private.h"

/* Add or edit a tenant: the form, its inline checks and the admin-consent section. What
 * happens when Add (Save) is pressed is in cqv-tenant-dialog-save.c. */

#define COPIED_FEEDBACK_MS 2000

G_DEFINE_FINAL_TYPE (CqvTenantDialog, cqv_tenant_dialog, GTK_TYPE_WINDOW)

enum
{
  PROP_0,
  PROP_TENANT_STORE,
  PROP_SECRET_STORE,
  PROP_HTTP_CLIENT,
  PROP_TENANT,
  N_PROPS
};

enum
{
  SAVED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

/* ---- helpers ---- */

static char *
entry_text (gpointer entry)
{
  return g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (entry))));
}

/* Stripped text, or NULL when empty. */
static char *
entry_text_or_null (gpointer entry)
{
  char *text = entry_text (entry);

  if (*text == '\0')
    g_clear_pointer (&text, g_free);
  return text;
}

/* GTK 4.8 names a widget after its accessible label and its labelled-by labels together, and
 * gtk_button_set_label() sets the accessible label to the raw text: a screen reader heard
 * "_Add Add". The button's own mnemonic label names it alone. */
static void
name_button_by_label (GtkButton *button)
{
  gtk_accessible_reset_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL);
}

/* One accessible name per field: the mnemonic labels name most of them, but the tenant field's
 * accessible label says what to type ("Tenant ID or primary domain") and starts with its
 * mnemonic label's text, so that label does not name it too. GTK 4.8 also leaves the button
 * inside the Cloud drop-down, which is what takes the focus, unnamed (assistive technologies
 * read its type name): the drop-down's label names it. */
static void
name_controls (CqvTenantDialog *self)
{
  GList *labels = gtk_widget_list_mnemonic_labels (GTK_WIDGET (self->cloud_dropdown));

  gtk_accessible_reset_relation (GTK_ACCESSIBLE (self->tenant_entry),
                                 GTK_ACCESSIBLE_RELATION_LABELLED_BY);
  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self->cloud_dropdown));
       child != NULL && labels != NULL; child = gtk_widget_get_next_sibling (child))
    {
      if (GTK_IS_TOGGLE_BUTTON (child))
        gtk_accessible_update_relation (GTK_ACCESSIBLE (child), GTK_ACCESSIBLE_RELATION_LABELLED_BY,
                                        labels->data, NULL, -1);
    }
  g_list_free (labels);

  name_button_by_label (self->cancel_button);
  name_button_by_label (self->save_button);
}

static CqvCloud
selected_cloud (CqvTenantDialog *self)
{
  guint selected = gtk_drop_down_get_selected (self->cloud_dropdown);

  return selected <= CQV_CLOUD_CHINA ? (CqvCloud) selected : CQV_CLOUD_GLOBAL;
}

char *
cqv_tenant_dialog_get_login_url (CqvTenantDialog *self)
{
  char *login = entry_text_or_null (self->login_entry);

  return login != NULL ? login : g_strdup (cqv_cloud_get_login_url (selected_cloud (self)));
}

char *
cqv_tenant_dialog_resolve_key (CqvTenantDialog *self, const char *tenant_text)
{
  g_autofree char *login = cqv_tenant_dialog_get_login_url (self);
  g_autofree char *domain = g_ascii_strdown (tenant_text, -1);

  return g_strconcat (login, "\n", domain, NULL);
}

/* The GUID the last lookup found for @tenant_text under the current login URL, or NULL. */
const char *
cqv_tenant_dialog_cached_guid (CqvTenantDialog *self, const char *tenant_text)
{
  g_autofree char *key = cqv_tenant_dialog_resolve_key (self, tenant_text);

  return g_strcmp0 (key, self->resolved_key) == 0 ? self->resolved_guid : NULL;
}

static gboolean
tenant_text_is_valid (const char *text)
{
  return cqv_tenant_id_is_guid (text) || cqv_tenant_id_is_domain (text);
}

/* The first bad endpoint override as a message, or NULL. */
static char *
endpoint_problem (CqvTenantDialog *self)
{
  GtkEntry *entries[] = { self->login_entry, self->graph_entry, self->mfa_entry };
  const char *labels[] = { _("Login URL"), _("Graph URL"), _("MFA URL") };

  for (guint i = 0; i < G_N_ELEMENTS (entries); i++)
    {
      g_autofree char *url = entry_text_or_null (entries[i]);
      g_autoptr (GError) error = NULL;

      if (url != NULL && !cqv_endpoint_validate (url, &error))
        return g_strdup_printf ("%s: %s", labels[i], error->message);
    }

  return NULL;
}

gboolean
cqv_tenant_dialog_form_is_complete (CqvTenantDialog *self)
{
  g_autofree char *name = entry_text (self->name_entry);
  g_autofree char *tenant = entry_text (self->tenant_entry);
  g_autofree char *client = entry_text (self->client_entry);
  g_autofree char *endpoint = endpoint_problem (self);
  const char *secret = gtk_editable_get_text (GTK_EDITABLE (self->secret_entry));

  if (*name == '\0' || !tenant_text_is_valid (tenant) || !cqv_tenant_id_is_guid (client) ||
      endpoint != NULL)
    return FALSE;

  /* A new tenant needs its secret; an edited one keeps the stored one. */
  return self->tenant != NULL || *secret != '\0';
}

static void
set_style (gpointer widget, const char *add, const char *remove)
{
  gtk_widget_remove_css_class (GTK_WIDGET (widget), remove);
  gtk_widget_add_css_class (GTK_WIDGET (widget), add);
}

static void
update_tenant_status (CqvTenantDialog *self)
{
  g_autofree char *text = entry_text (self->tenant_entry);
  g_autofree char *key = NULL;
  g_autofree char *status = NULL;
  const char *guid;
  gboolean error = FALSE;

  gtk_widget_set_visible (GTK_WIDGET (self->tenant_spinner), self->resolving);
  gtk_spinner_set_spinning (self->tenant_spinner, self->resolving);

  key = cqv_tenant_dialog_resolve_key (self, text);
  guid = cqv_tenant_dialog_cached_guid (self, text);
  if (self->resolving)
    status = g_strdup_printf (_("Looking up the tenant ID of %s…"), text);
  else if (*text == '\0' || cqv_tenant_id_is_guid (text))
    status = NULL;
  else if (!cqv_tenant_id_is_domain (text))
    {
      status = g_strdup (_("Enter the tenant ID (a GUID) or the tenant’s primary domain, such as contoso.onmicrosoft.com."));
      error = TRUE;
    }
  else if (self->resolve_error != NULL && g_strcmp0 (key, self->resolved_key) == 0)
    {
      status = g_strdup (self->resolve_error);
      error = TRUE;
    }
  else if (guid != NULL)
    status = g_strdup_printf (_("Tenant ID: %s"), guid);
  else if (self->tenant != NULL)
    status = g_strdup (_("The tenant ID of this domain is looked up when you press Save."));
  else
    status = g_strdup (_("The tenant ID of this domain is looked up when you press Add."));

  gtk_label_set_text (self->tenant_status_label, status != NULL ? status : "");
  gtk_widget_set_visible (gtk_widget_get_parent (GTK_WIDGET (self->tenant_status_label)),
                          status != NULL);
  if (error)
    set_style (self->tenant_status_label, "error", "dim-label");
  else
    set_style (self->tenant_status_label, "dim-label", "error");
}

static void
update_consent (CqvTenantDialog *self)
{
  g_autofree char *tenant = entry_text (self->tenant_entry);
  g_autofree char *client = entry_text (self->client_entry);
  g_autofree char *login = entry_text_or_null (self->login_entry);
  const char *guid = cqv_tenant_dialog_cached_guid (self, tenant);

  g_clear_pointer (&self->consent_url, g_free);
  if (tenant_text_is_valid (tenant) && cqv_tenant_id_is_guid (client))
    self->consent_url =
      cqv_consent_build_url (selected_cloud (self), login, guid != NULL ? guid : tenant, client);

  if (self->consent_url != NULL)
    {
      gtk_label_set_text (self->consent_url_label, self->consent_url);
      set_style (self->consent_url_label, "monospace", "dim-label");
    }
  else
    {
      gtk_label_set_text (self->consent_url_label,
                          _("Enter the tenant and the client ID to get the consent link."));
      set_style (self->consent_url_label, "dim-label", "monospace");
    }
}

static void
update_actions (CqvTenantDialog *self)
{
  gboolean busy = self->form != NULL;

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "tenant-dialog.save",
                                 !busy && cqv_tenant_dialog_form_is_complete (self));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "tenant-dialog.copy-consent",
                                 self->consent_url != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "tenant-dialog.open-consent",
                                 self->consent_url != NULL);
}

/* While saving, the form is read-only; afterwards the caret is back where it was. */
static void
set_form_sensitive (CqvTenantDialog *self, gboolean sensitive)
{
  GtkWidget *focus = gtk_root_get_focus (GTK_ROOT (self));

  if (sensitive == gtk_widget_get_sensitive (self->form_box))
    return;

  /* GTK 4.8 sends no focus-out to an entry made insensitive while focused, and its caret
   * blink then warns "did not receive a focus-out event": move the focus away first. */
  if (!sensitive && focus != NULL && gtk_widget_is_ancestor (focus, self->form_box))
    {
      g_set_weak_pointer (&self->refocus, focus);
      gtk_window_set_focus (GTK_WINDOW (self), NULL);
    }

  gtk_widget_set_sensitive (self->form_box, sensitive);

  if (sensitive && self->refocus != NULL)
    {
      if (GTK_IS_TEXT (self->refocus))
        gtk_text_grab_focus_without_selecting (GTK_TEXT (self->refocus));
      else
        gtk_widget_grab_focus (self->refocus);
      g_clear_weak_pointer (&self->refocus);
    }
}

/* Everything that depends on the fields, after any change. */
void
cqv_tenant_dialog_update (CqvTenantDialog *self)
{
  g_autofree char *client = entry_text (self->client_entry);
  g_autofree char *endpoint = endpoint_problem (self);
  gboolean busy = self->form != NULL;

  gtk_widget_set_visible (GTK_WIDGET (self->client_error_label),
                          *client != '\0' && !cqv_tenant_id_is_guid (client));
  gtk_label_set_text (self->endpoint_error_label, endpoint != NULL ? endpoint : "");
  gtk_widget_set_visible (GTK_WIDGET (self->endpoint_error_label), endpoint != NULL);
  if (endpoint != NULL)
    gtk_expander_set_expanded (self->advanced_expander, TRUE);

  set_form_sensitive (self, !busy);
  gtk_widget_set_visible (GTK_WIDGET (self->save_spinner), busy);
  gtk_spinner_set_spinning (self->save_spinner, busy);

  update_tenant_status (self);
  update_consent (self);
  update_actions (self);
}

void
cqv_tenant_dialog_show_banner (CqvTenantDialog *self, const char *message)
{
  gtk_label_set_text (self->banner_label, message);
  gtk_revealer_set_reveal_child (self->banner_revealer, message != NULL);
}

CqvTenantForm *
cqv_tenant_dialog_read_form (CqvTenantDialog *self)
{
  CqvTenantForm *form = g_new0 (CqvTenantForm, 1);
  const char *secret = gtk_editable_get_text (GTK_EDITABLE (self->secret_entry));

  form->name = g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->name_entry)));
  form->tenant_text = entry_text (self->tenant_entry);
  form->client_id = entry_text (self->client_entry);
  form->cloud = selected_cloud (self);
  form->login_url = entry_text_or_null (self->login_entry);
  form->graph_url = entry_text_or_null (self->graph_entry);
  form->mfa_url = entry_text_or_null (self->mfa_entry);
  form->secret = *secret != '\0' ? g_strdup (secret) : NULL;

  return form;
}

/* ---- callbacks ---- */

static void
field_changed_cb (CqvTenantDialog *self)
{
  cqv_tenant_dialog_update (self);
}

static void
copied_timeout_cb (gpointer user_data)
{
  CqvTenantDialog *self = user_data;

  self->copied_source = 0;
  gtk_widget_set_visible (GTK_WIDGET (self->copied_label), FALSE);
}

/* ---- the pipeline ---- */

static void
save_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  cqv_tenant_dialog_save (CQV_TENANT_DIALOG (widget));
}

static void
cancel_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  gtk_window_destroy (GTK_WINDOW (widget));
}

static void
copy_consent_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  CqvTenantDialog *self = CQV_TENANT_DIALOG (widget);

  if (self->consent_url == NULL)
    return;

  gdk_clipboard_set_text (gtk_widget_get_clipboard (widget), self->consent_url);
  gtk_widget_set_visible (GTK_WIDGET (self->copied_label), TRUE);
  g_clear_handle_id (&self->copied_source, g_source_remove);
  self->copied_source = g_timeout_add_once (COPIED_FEEDBACK_MS, copied_timeout_cb, self);
}

static void
open_consent_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  CqvTenantDialog *self = CQV_TENANT_DIALOG (widget);

  if (self->consent_url != NULL)
    cqv_launch_uri (GTK_WINDOW (self), self->consent_url);
}

/* ---- GObject ---- */

static void
fill_permissions (CqvTenantDialog *self)
{
  g_autoptr (GString) markup = g_string_new (NULL);
  guint n = 0;
  const CqvConsentPermission *permissions = cqv_consent_get_permissions (&n);

  for (guint i = 0; i < n; i++)
    {
      g_autofree char *name = NULL;
      g_autofree char *reason = NULL;

      if (permissions[i].alternative != NULL)
        name = g_markup_printf_escaped (_("<b>%s</b> or <b>%s</b>"), permissions[i].name,
                                           permissions[i].alternative);
      else
        name = g_markup_printf_escaped ("<b>%s</b>", permissions[i].name);

      if (i > 0)
        g_string_append (markup, "\n\n");
      g_string_append (markup, name);
      g_string_append_c (markup, '\n');
      reason = g_markup_printf_escaped ("<small>%s</small>",
                                        cqv_consent_permission_get_reason (&permissions[i]));
      g_string_append (markup, reason);
    }

  gtk_label_set_markup (self->permissions_label, markup->str);
}

static void
fill_from_tenant (CqvTenantDialog *self)
{
  CqvTenant *tenant = self->tenant;

  gtk_window_set_title (GTK_WINDOW (self), _("Edit Tenant"));
  gtk_label_set_text (self->title_label, _("Edit Tenant"));
  gtk_button_set_label (self->save_button, _("_Save"));
  name_button_by_label (self->save_button);
  g_object_set (self->secret_entry, "placeholder-text", _("Unchanged — type to replace"), NULL);

  gtk_editable_set_text (GTK_EDITABLE (self->name_entry), cqv_tenant_get_name (tenant));
  gtk_editable_set_text (GTK_EDITABLE (self->tenant_entry), cqv_tenant_get_tenant_id (tenant));
  gtk_editable_set_text (GTK_EDITABLE (self->client_entry), cqv_tenant_get_client_id (tenant));
  gtk_drop_down_set_selected (self->cloud_dropdown, cqv_tenant_get_cloud (tenant));
  gtk_editable_set_text (GTK_EDITABLE (self->login_entry), cqv_tenant_get_login_url (tenant)
                                                             ? cqv_tenant_get_login_url (tenant)
                                                             : "");
  gtk_editable_set_text (GTK_EDITABLE (self->graph_entry), cqv_tenant_get_graph_url (tenant)
                                                             ? cqv_tenant_get_graph_url (tenant)
                                                             : "");
  gtk_editable_set_text (GTK_EDITABLE (self->mfa_entry),
                         cqv_tenant_get_mfa_url (tenant) ? cqv_tenant_get_mfa_url (tenant) : "");
  gtk_expander_set_expanded (self->advanced_expander, cqv_tenant_get_login_url (tenant) != NULL ||
                                                        cqv_tenant_get_graph_url (tenant) != NULL ||
                                                        cqv_tenant_get_mfa_url (tenant) != NULL);
}

static void
cloud_changed_cb (CqvTenantDialog *self)
{
  CqvCloud cloud = selected_cloud (self);

  gtk_entry_set_placeholder_text (self->login_entry, cqv_cloud_get_login_url (cloud));
  gtk_entry_set_placeholder_text (self->graph_entry, cqv_cloud_get_graph_url (cloud));
  gtk_entry_set_placeholder_text (self->mfa_entry, cqv_cloud_get_mfa_url (cloud));
  cqv_tenant_dialog_update (self);
}

static void
cqv_tenant_dialog_constructed (GObject *object)
{
  CqvTenantDialog *self = CQV_TENANT_DIALOG (object);

  G_OBJECT_CLASS (cqv_tenant_dialog_parent_class)->constructed (object);

  g_assert (self->tenants != NULL && self->secrets != NULL && self->http != NULL);
  self->resolver = cqv_tenant_resolver_new (self->http);

  if (self->tenant != NULL)
    fill_from_tenant (self);

  cloud_changed_cb (self);
  gtk_window_set_focus (GTK_WINDOW (self), GTK_WIDGET (self->name_entry));
}

static void
cqv_tenant_dialog_dispose (GObject *object)
{
  CqvTenantDialog *self = CQV_TENANT_DIALOG (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_handle_id (&self->copied_source, g_source_remove);

  /* GtkPasswordEntry keeps its text in non-pageable memory and wipes it itself; emptying it
   * here makes it do so now. Our own copy goes with the form. */
  if (self->secret_entry != NULL)
    gtk_editable_set_text (GTK_EDITABLE (self->secret_entry), "");
  g_clear_pointer (&self->form, cqv_tenant_form_free);
  g_clear_weak_pointer (&self->refocus);

  gtk_widget_dispose_template (GTK_WIDGET (self), CQV_TYPE_TENANT_DIALOG);

  g_clear_object (&self->resolver);
  g_clear_object (&self->tenants);
  g_clear_object (&self->secrets);
  g_clear_object (&self->http);
  g_clear_object (&self->tenant);

  G_OBJECT_CLASS (cqv_tenant_dialog_parent_class)->dispose (object);
}

static void
cqv_tenant_dialog_finalize (GObject *object)
{
  CqvTenantDialog *self = CQV_TENANT_DIALOG (object);

  g_clear_object (&self->cancellable);
  g_free (self->resolved_key);
  g_free (self->resolved_guid);
  g_free (self->resolve_error);
  g_free (self->consent_url);

  G_OBJECT_CLASS (cqv_tenant_dialog_parent_class)->finalize (object);
}

static void
cqv_tenant_dialog_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  CqvTenantDialog *self = CQV_TENANT_DIALOG (object);

  switch (prop_id)
    {
    case PROP_TENANT_STORE:
      g_value_set_object (value, self->tenants);
      break;
    case PROP_SECRET_STORE:
      g_value_set_object (value, self->secrets);
      break;
    case PROP_HTTP_CLIENT:
      g_value_set_object (value, self->http);
      break;
    case PROP_TENANT:
      g_value_set_object (value, self->tenant);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cqv_tenant_dialog_set_property (GObject *object,
                                guint prop_id,
                                const GValue *value,
                                GParamSpec *pspec)
{
  CqvTenantDialog *self = CQV_TENANT_DIALOG (object);

  /* All construct-only. */
  switch (prop_id)
    {
    case PROP_TENANT_STORE:
      self->tenants = g_value_dup_object (value);
      break;
    case PROP_SECRET_STORE:
      self->secrets = g_value_dup_object (value);
      break;
    case PROP_HTTP_CLIENT:
      self->http = g_value_dup_object (value);
      break;
    case PROP_TENANT:
      self->tenant = g_value_dup_object (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cqv_tenant_dialog_class_init (CqvTenantDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GParamFlags flags =
    G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->constructed = cqv_tenant_dialog_constructed;
  object_class->dispose = cqv_tenant_dialog_dispose;
  object_class->finalize = cqv_tenant_dialog_finalize;
  object_class->get_property = cqv_tenant_dialog_get_property;
  object_class->set_property = cqv_tenant_dialog_set_property;

  properties[PROP_TENANT_STORE] =
    g_param_spec_object ("tenant-store", NULL, NULL, CQV_TYPE_TENANT_STORE, flags);
  properties[PROP_SECRET_STORE] =
    g_param_spec_object ("secret-store", NULL, NULL, CQV_TYPE_SECRET_STORE, flags);
  properties[PROP_HTTP_CLIENT] =
    g_param_spec_object ("http-client", NULL, NULL, CQV_TYPE_HTTP_CLIENT, flags);
  properties[PROP_TENANT] = g_param_spec_object ("tenant", NULL, NULL, CQV_TYPE_TENANT, flags);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * CqvTenantDialog::saved:
   * @tenant: the added or edited tenant
   *
   * The tenant is in the tenant store and its secret (if one was typed) in the keyring.
   */
  signals[SAVED] = g_signal_new ("saved", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL,
                                 NULL, NULL, G_TYPE_NONE, 1, CQV_TYPE_TENANT);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PATH "/cqv-tenant-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, CqvTenantDialog, title_label);
  gtk_widget_class_bind_template_child (widget_class, CqvTenantDialog, cancel_button);
  gtk_widget_class_bind_template_child (widget_class, CqvTenantDialog, save_button);
  gtk_widget_class_bind_template_child (widget_class, CqvTenantDialog, save_spinner);
  gtk_widget_class_bind_template_child (widget_class, CqvTenantDialog, banner_revealer);
  gtk_widget_class_bind_template_child (widget_class, CqvTenantDialog, banner_label);
  gtk_widget_class_bind_template_child (widget_class, CqvTenantDialog, form_box);
  gtk_widget_class_bind_template_child (widget_class, CqvTenantDialog, name_entry);
  gtk_widget_class_bind_template_child (widget_class, CqvTenantDialog, tenant_entry);
  gtk_widget_class_bind_template_child (widget_class, CqvTenantDialog, tenant_spinner);
  gtk_widget_class_bind_template_child (widget_class, CqvTenantDialog, tenant_status_label);
  gtk_widget_class_bind_template_child (widget_class, CqvTenantDialog, client_entry);
  gtk_widget_class_bind_template_child (widget_class, CqvTenantDialog, client_error_label);
  gtk_widget_class_bind_template_child (widget_class, CqvTenantDialog, secret_entry);
  gtk_widget_class_bind_template_child (widget_class, CqvTenantDialog, cloud_dropdown);
  gtk_widget_class_bind_template_child (widget_class, CqvTenantDialog, advanced_expander);
  gtk_widget_class_bind_template_child (widget_class, CqvTenantDialog, login_entry);
  gtk_widget_class_bind_template_child (widget_class, CqvTenantDialog, graph_entry);
  gtk_widget_class_bind_template_child (widget_class, CqvTenantDialog, mfa_entry);
  gtk_widget_class_bind_template_child (widget_class, CqvTenantDialog, endpoint_error_label);
  gtk_widget_class_bind_template_child (widget_class, CqvTenantDialog, consent_url_label);
  gtk_widget_class_bind_template_child (widget_class, CqvTenantDialog, copied_label);
  gtk_widget_class_bind_template_child (widget_class, CqvTenantDialog, permissions_label);
  gtk_widget_class_bind_template_callback (widget_class, field_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, cloud_changed_cb);

  gtk_widget_class_install_action (widget_class, "tenant-dialog.save", NULL, save_action);
  gtk_widget_class_install_action (widget_class, "tenant-dialog.cancel", NULL, cancel_action);
  gtk_widget_class_install_action (widget_class, "tenant-dialog.copy-consent", NULL,
                                   copy_consent_action);
  gtk_widget_class_install_action (widget_class, "tenant-dialog.open-consent", NULL,
                                   open_consent_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "tenant-dialog.cancel",
                                       NULL);
}

static void
cqv_tenant_dialog_init (CqvTenantDialog *self)
{
  g_autoptr (GtkStringList) clouds = gtk_string_list_new (NULL);
  g_autoptr (PangoAttrList) no_hyphens = NULL;

  gtk_widget_init_template (GTK_WIDGET (self));
  name_controls (self);

  self->cancellable = g_cancellable_new ();

  /* In CqvCloud order: the selected position is the cloud. */
  for (CqvCloud cloud = CQV_CLOUD_GLOBAL; cloud <= CQV_CLOUD_CHINA; cloud++)
    gtk_string_list_append (clouds, cqv_cloud_get_display_name (cloud));
  gtk_drop_down_set_model (self->cloud_dropdown, G_LIST_MODEL (clouds));

  /* A URL broken across lines must not gain hyphens that are not in it. */
  no_hyphens = pango_attr_list_new ();
  pango_attr_list_insert (no_hyphens, pango_attr_insert_hyphens_new (FALSE));
  gtk_label_set_attributes (self->consent_url_label, no_hyphens);

  fill_permissions (self);
}

void
cqv_tenant_dialog_emit_saved (CqvTenantDialog *self, CqvTenant *tenant)
{
  g_signal_emit (self, signals[SAVED], 0, tenant);
}

/**
 * cqv_tenant_dialog_new_add:
 * @parent: (nullable): the window it is modal for
 * @tenants: where the tenant is added
 * @secrets: where the client secret is stored
 * @http: the client used to look up a domain
 *
 * Returns: (transfer none): the dialog, not yet shown
 */
CqvTenantDialog *
cqv_tenant_dialog_new_add (GtkWindow *parent,
                           CqvTenantStore *tenants,
                           CqvSecretStore *secrets,
                           CqvHttpClient *http)
{
  g_return_val_if_fail (parent == NULL || GTK_IS_WINDOW (parent), NULL);
  g_return_val_if_fail (CQV_IS_TENANT_STORE (tenants), NULL);
  g_return_val_if_fail (CQV_IS_SECRET_STORE (secrets), NULL);
  g_return_val_if_fail (CQV_IS_HTTP_CLIENT (http), NULL);

  return g_object_new (CQV_TYPE_TENANT_DIALOG, "transient-for", parent, "tenant-store", tenants,
                       "secret-store", secrets, "http-client", http, NULL);
}

/**
 * cqv_tenant_dialog_new_edit:
 * @tenant: the tenant to edit, one of @tenants
 *
 * Returns: (transfer none): the dialog, not yet shown
 */
CqvTenantDialog *
cqv_tenant_dialog_new_edit (GtkWindow *parent,
                            CqvTenantStore *tenants,
                            CqvSecretStore *secrets,
                            CqvHttpClient *http,
                            CqvTenant *tenant)
{
  g_return_val_if_fail (parent == NULL || GTK_IS_WINDOW (parent), NULL);
  g_return_val_if_fail (CQV_IS_TENANT_STORE (tenants), NULL);
  g_return_val_if_fail (CQV_IS_SECRET_STORE (secrets), NULL);
  g_return_val_if_fail (CQV_IS_HTTP_CLIENT (http), NULL);
  g_return_val_if_fail (CQV_IS_TENANT (tenant), NULL);

  return g_object_new (CQV_TYPE_TENANT_DIALOG, "transient-for", parent, "tenant-store", tenants,
                       "secret-store", secrets, "http-client", http, "tenant", tenant, NULL);
}

CqvTenant *
cqv_tenant_dialog_get_tenant (CqvTenantDialog *self)
{
  g_return_val_if_fail (CQV_IS_TENANT_DIALOG (self), NULL);

  return self->tenant;
}
