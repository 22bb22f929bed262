/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cqv-tenant-dialog"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "cqv-tenant-dialog-private.h"

/* Pressing Add (Save) runs one pipeline: resolve a domain to the tenant GUID → refuse a name or
 * an app already taken → the typed secret into the keyring → the tenant into the tenant store →
 * "saved". Any failure stops it with the fields untouched, so nothing typed is lost and the
 * user can press Add again. The secret is only ever in the GtkPasswordEntry, in one copy of
 * ours while it is being stored (wiped with the form), and in the keyring. */

static void continue_save (CqvTenantDialog *self);

void
cqv_tenant_form_free (CqvTenantForm *form)
{
  g_free (form->name);
  g_free (form->tenant_text);
  g_free (form->tenant_id);
  g_free (form->client_id);
  g_free (form->login_url);
  g_free (form->graph_url);
  g_free (form->mfa_url);
  cqv_secret_wipe_string (form->secret);
  g_free (form);
}

static void
show_keyring_error (CqvTenantDialog *self, const GError *error)
{
  g_autofree char *message = NULL;

  if (g_error_matches (error, CQV_SECRET_ERROR, CQV_SECRET_ERROR_NO_SERVICE))
    message = g_strdup (_("No keyring is running, so the client secret cannot be stored. Install and start GNOME Keyring (package gnome-keyring), then try again. Everything you typed is kept."));
  else if (g_error_matches (error, CQV_SECRET_ERROR, CQV_SECRET_ERROR_LOCKED))
    message = g_strdup (_("The keyring is locked, so the client secret cannot be stored. Unlock it (for example in Passwords and Keys), then try again. Everything you typed is kept."));
  else if (g_error_matches (error, CQV_SECRET_ERROR, CQV_SECRET_ERROR_UNLOCK_REFUSED))
    message = g_strdup (_("The keyring was not unlocked, so the client secret cannot be stored. Try again and unlock the keyring when asked. Everything you typed is kept."));
  else
    message = g_strdup_printf (_("%s Everything you typed is kept."), error->message);

  cqv_tenant_dialog_show_banner (self, message);
}

/* Ends a save that did not finish; the fields are as the user left them. */
static void
stop_save (CqvTenantDialog *self)
{
  g_clear_pointer (&self->form, cqv_tenant_form_free);
  cqv_tenant_dialog_update (self);
}

/* Names compare as the tenant store compares them: normalized, without regard to case. */
static char *
fold_name (const char *name)
{
  g_autofree char *normalized = g_utf8_normalize (name, -1, G_NORMALIZE_ALL);

  return g_utf8_casefold (normalized != NULL ? normalized : name, -1);
}

static gboolean
ids_equal (const char *a, const char *b)
{
  return g_ascii_strcasecmp (a, b) == 0;
}

/* Another tenant with this name, or with this tenant and client ID (they would share one
 * keyring item): a message, else NULL. */
static char *
find_clash (CqvTenantDialog *self, const CqvTenantForm *form)
{
  GListModel *list = cqv_tenant_store_get_tenants (self->tenants);
  g_autofree char *folded = fold_name (form->name);

  for (guint i = 0; i < g_list_model_get_n_items (list); i++)
    {
      g_autoptr (CqvTenant) other = g_list_model_get_item (list, i);
      g_autofree char *other_folded = fold_name (cqv_tenant_get_name (other));

      if (other == self->tenant)
        continue;
      if (g_strcmp0 (folded, other_folded) == 0)
        return g_strdup_printf (_("A tenant called “%s” already exists. Choose another name."),
                                   cqv_tenant_get_name (other));
      if (ids_equal (form->tenant_id, cqv_tenant_get_tenant_id (other)) &&
          ids_equal (form->client_id, cqv_tenant_get_client_id (other)))
        return g_strdup_printf (
          _("“%s” already uses this tenant and client ID. Edit that tenant instead."),
             cqv_tenant_get_name (other));
    }

  return NULL;
}

static gboolean
other_uses_tenant_id (CqvTenantDialog *self, const char *tenant_id)
{
  GListModel *list = cqv_tenant_store_get_tenants (self->tenants);

  for (guint i = 0; i < g_list_model_get_n_items (list); i++)
    {
      g_autoptr (CqvTenant) other = g_list_model_get_item (list, i);

      if (other != self->tenant && ids_equal (tenant_id, cqv_tenant_get_tenant_id (other)))
        return TRUE;
    }

  return FALSE;
}

static void
apply_form (CqvTenant *tenant, const CqvTenantForm *form)
{
  cqv_tenant_set_name (tenant, form->name);
  cqv_tenant_set_tenant_id (tenant, form->tenant_id);
  cqv_tenant_set_client_id (tenant, form->client_id);
  cqv_tenant_set_cloud (tenant, form->cloud);
  cqv_tenant_set_login_url (tenant, form->login_url);
  cqv_tenant_set_graph_url (tenant, form->graph_url);
  cqv_tenant_set_mfa_url (tenant, form->mfa_url);
}

/* A copy of @tenant's fields, to put back when saving fails. */
static CqvTenantForm *
snapshot_tenant (CqvTenant *tenant)
{
  CqvTenantForm *form = g_new0 (CqvTenantForm, 1);

  form->name = g_strdup (cqv_tenant_get_name (tenant));
  form->tenant_id = g_strdup (cqv_tenant_get_tenant_id (tenant));
  form->client_id = g_strdup (cqv_tenant_get_client_id (tenant));
  form->cloud = cqv_tenant_get_cloud (tenant);
  form->login_url = g_strdup (cqv_tenant_get_login_url (tenant));
  form->graph_url = g_strdup (cqv_tenant_get_graph_url (tenant));
  form->mfa_url = g_strdup (cqv_tenant_get_mfa_url (tenant));

  return form;
}

static void
clear_old_items_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GError) error = NULL;

  if (!cqv_secret_store_clear_finish (CQV_SECRET_STORE (object), result, &error) &&
      !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    g_warning ("Could not remove keyring items that are no longer used: %s", error->message);
}

static char *
secret_label (const CqvTenantForm *form)
{
  return g_strdup_printf (_("CyberQP Verify client secret for “%s”"), form->name);
}

/* The last step: the tenant list. The secret (if any) is in the keyring by now. */
static void
commit (CqvTenantDialog *self)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (CqvTenant) tenant = NULL;
  g_autoptr (CqvTenantForm) old = NULL;

  if (self->tenant == NULL)
    {
      tenant = cqv_tenant_new (self->form->name, self->form->tenant_id, self->form->client_id,
                               self->form->cloud);
      apply_form (tenant, self->form);
      if (!cqv_tenant_store_add (self->tenants, tenant, &error))
        {
          /* No other entry uses these ids (find_clash), so the item just stored is ours. */
          if (self->form->secret != NULL)
            cqv_secret_store_clear_async (self->secrets, self->form->tenant_id,
                                          self->form->client_id, NULL, clear_old_items_cb, NULL);
          cqv_tenant_dialog_show_banner (self, error->message);
          stop_save (self);
          return;
        }
    }
  else
    {
      tenant = g_object_ref (self->tenant);
      old = snapshot_tenant (tenant);
      apply_form (tenant, self->form);
      if (!cqv_tenant_store_save (self->tenants, &error))
        {
          apply_form (tenant, old);
          cqv_tenant_dialog_show_banner (self, error->message);
          stop_save (self);
          return;
        }

      /* The secret moved to the new ids: drop what the old ids left in the keyring. All of
       * the old tenant's items (the connector secret too) only when the tenant id changed and
       * no other entry uses it; with the same tenant id that would also delete the secret just
       * stored under the new client id. */
      if (!ids_equal (old->tenant_id, self->form->tenant_id) ||
          !ids_equal (old->client_id, self->form->client_id))
        {
          gboolean keep_tenant = ids_equal (old->tenant_id, self->form->tenant_id) ||
                                 other_uses_tenant_id (self, old->tenant_id);

          cqv_secret_store_clear_async (self->secrets, old->tenant_id,
                                        keep_tenant ? old->client_id : NULL, NULL,
                                        clear_old_items_cb, NULL);
        }
    }

  g_clear_pointer (&self->form, cqv_tenant_form_free);
  gtk_editable_set_text (GTK_EDITABLE (self->secret_entry), "");
  cqv_tenant_dialog_emit_saved (self, tenant);
  gtk_window_destroy (GTK_WINDOW (self));
}

static void
store_secret_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (CqvTenantDialog) self = user_data;
  g_autoptr (GError) error = NULL;

  if (!cqv_secret_store_store_finish (CQV_SECRET_STORE (object), result, &error))
    {
      if (g_cancellable_is_cancelled (self->cancellable))
        return;
      show_keyring_error (self, error);
      stop_save (self);
      return;
    }

  if (g_cancellable_is_cancelled (self->cancellable))
    return;
  commit (self);
}

static void
store_secret (CqvTenantDialog *self, const char *value)
{
  g_autoptr (CqvSecret) secret = cqv_secret_new (value, NULL, NULL);
  g_autofree char *label = secret_label (self->form);

  cqv_secret_store_store_async (self->secrets, self->form->tenant_id, self->form->client_id,
                                CQV_SECRET_KIND_APP, label, secret, self->cancellable,
                                store_secret_cb, g_object_ref (self));
}

static void
lookup_old_secret_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (CqvTenantDialog) self = user_data;
  g_autoptr (GError) error = NULL;
  g_autoptr (CqvSecret) secret = NULL;

  secret = cqv_secret_store_lookup_finish (CQV_SECRET_STORE (object), result, &error);
  if (g_cancellable_is_cancelled (self->cancellable))
    return;
  if (error != NULL)
    {
      show_keyring_error (self, error);
      stop_save (self);
      return;
    }

  /* No stored secret to carry over: the tenant had none. */
  if (secret == NULL)
    commit (self);
  else
    store_secret (self, secret->value);
}

static void
resolve_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (CqvTenantDialog) self = user_data;
  g_autoptr (GError) error = NULL;
  g_autofree char *guid = NULL;

  guid = cqv_tenant_resolver_resolve_finish (CQV_TENANT_RESOLVER (object), result, &error);
  if (g_cancellable_is_cancelled (self->cancellable))
    return;

  self->resolving = FALSE;
  g_clear_pointer (&self->resolved_key, g_free);
  g_clear_pointer (&self->resolved_guid, g_free);
  g_clear_pointer (&self->resolve_error, g_free);
  self->resolved_key = cqv_tenant_dialog_resolve_key (self, self->form->tenant_text);

  if (guid == NULL)
    {
      self->resolve_error = g_strdup (error->message);
      stop_save (self);
      return;
    }

  self->resolved_guid = g_strdup (guid);
  self->form->tenant_id = g_steal_pointer (&guid);
  continue_save (self);
}

/* With the tenant GUID known: refuse clashes, then the keyring, then the tenant list. */
static void
continue_save (CqvTenantDialog *self)
{
  g_autofree char *clash = find_clash (self, self->form);

  cqv_tenant_dialog_update (self);

  if (clash != NULL)
    {
      cqv_tenant_dialog_show_banner (self, clash);
      stop_save (self);
      return;
    }

  if (self->form->secret != NULL)
    store_secret (self, self->form->secret);
  else if (self->tenant != NULL &&
           (!ids_equal (self->form->tenant_id, cqv_tenant_get_tenant_id (self->tenant)) ||
            !ids_equal (self->form->client_id, cqv_tenant_get_client_id (self->tenant))))
    cqv_secret_store_lookup_async (self->secrets, cqv_tenant_get_tenant_id (self->tenant),
                                   cqv_tenant_get_client_id (self->tenant), CQV_SECRET_KIND_APP,
                                   self->cancellable, lookup_old_secret_cb, g_object_ref (self));
  else
    commit (self);
}

/* Add (Save) pressed: the pipeline starts with the tenant GUID. */
void
cqv_tenant_dialog_save (CqvTenantDialog *self)
{
  g_autofree char *login = NULL;
  const char *guid;

  if (self->form != NULL || !cqv_tenant_dialog_form_is_complete (self))
    return;

  cqv_tenant_dialog_show_banner (self, NULL);
  self->form = cqv_tenant_dialog_read_form (self);

  guid = cqv_tenant_dialog_cached_guid (self, self->form->tenant_text);
  if (cqv_tenant_id_is_guid (self->form->tenant_text))
    self->form->tenant_id = g_strdup (self->form->tenant_text);
  else if (guid != NULL)
    self->form->tenant_id = g_strdup (guid);

  if (self->form->tenant_id != NULL)
    {
      continue_save (self);
      return;
    }

  self->resolving = TRUE;
  g_clear_pointer (&self->resolve_error, g_free);
  cqv_tenant_dialog_update (self);
  login = cqv_tenant_dialog_get_login_url (self);
  cqv_tenant_resolver_resolve_async (self->resolver, login, self->form->tenant_text,
                                     self->cancellable, resolve_cb, g_object_ref (self));
}
