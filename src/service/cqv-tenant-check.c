/* SPDX-License-Identifier: GPL-3.0-or-later */

#define G_LOG_DOMAIN "cqv-tenant-check"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "cqv-consent.h"
#include "cqv-endpoint.h"
#include "cqv-tenant-check.h"

#define REPORT_PATH "/v1.0/reports/authenticationMethods/userRegistrationDetails?$top=1"
#define SP_SELECT "id,appId,displayName,accountEnabled,passwordCredentials"
#define APPLICATIONS_ROLE "Application.ReadWrite.All"

struct _CqvTenantCheck
{
  GObject parent_instance;

  /* Not a reference: the context owns its shared check (cqv_tenant_context_get_check()). A run
   * holds one in its RunData until it ends. */
  CqvTenantContext *context;
  GListStore *items;
  /* The run in progress (NULL when none) and the callers waiting for it (GTask). */
  GCancellable *run_cancellable;
  GPtrArray *waiters;
  gboolean running;

  /* The verdict of the last finished run, kept while another runs. */
  gboolean has_run;
  gboolean passed;
  CqvCheckItem *blocking_item; /* a copy of the line */
};

/* One run of every check; the task has no callback: finish_run() answers the waiters. */
typedef struct
{
  CqvTenantContext *context;
  char **roles;
  JsonObject *client_sp; /* NULL when missing or unknown */
} RunData;

/* The lines that, red, keep every push from working. The Application.ReadWrite.All line
 * matters through the connector secret's; the audit log and the registration report are
 * optional. */
static const char *const blocking_ids[] = {
  CQV_CHECK_CREDENTIALS,
  CQV_CHECK_PERMISSION_USERS,
  CQV_CHECK_PERMISSION_AUTHENTICATOR,
  CQV_CHECK_MFA_CLIENT,
  CQV_CHECK_MFA_CONNECTOR,
  CQV_CHECK_CONNECTOR_SECRET,
  NULL,
};

static void check_service_principal (GTask *task, const char *app_id);
static void check_connector_secret (GTask *task);
static void check_report (GTask *task);

G_DEFINE_FINAL_TYPE (CqvTenantCheck, cqv_tenant_check, G_TYPE_OBJECT)

enum
{
  PROP_0,
  PROP_CONTEXT,
  PROP_RUNNING,
  PROP_HAS_RUN,
  PROP_PASSED,
  PROP_BLOCKING_ITEM,
  N_PROPS
};

enum
{
  ITEM_DONE,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static void
run_data_free (RunData *data)
{
  g_clear_object (&data->context);
  g_strfreev (data->roles);
  g_clear_pointer (&data->client_sp, json_object_unref);
  g_free (data);
}

static void
set_running (CqvTenantCheck *self, gboolean running)
{
  if (self->running == running)
    return;
  self->running = running;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RUNNING]);
}

static void
set_passed (CqvTenantCheck *self, gboolean passed)
{
  if (self->passed == passed)
    return;
  self->passed = passed;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PASSED]);
}

static void
set_has_run (CqvTenantCheck *self, gboolean has_run)
{
  if (self->has_run == has_run)
    return;
  self->has_run = has_run;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_HAS_RUN]);
}

static void
set_blocking_item (CqvTenantCheck *self, CqvCheckItem *item)
{
  if (g_set_object (&self->blocking_item, item))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BLOCKING_ITEM]);
}

static CqvCheckItem *
copy_item (CqvCheckItem *item)
{
  CqvCheckItem *copy =
    cqv_check_item_new (cqv_check_item_get_id (item), cqv_check_item_get_title (item));

  cqv_check_item_set_result (copy, cqv_check_item_get_status (item),
                             cqv_check_item_get_detail (item), cqv_check_item_get_fix (item),
                             cqv_check_item_get_fix_url (item));
  return copy;
}

static CqvTenant *
get_tenant (CqvTenantCheck *self)
{
  return cqv_tenant_context_get_tenant (self->context);
}

/* Entra admin center pages, in the tenant's cloud. */
static char *
portal_url (CqvTenantCheck *self, const char *fragment)
{
  CqvCloud cloud = cqv_tenant_get_cloud (get_tenant (self));

  return g_strconcat (cqv_cloud_get_entra_portal_url (cloud), "/#view/", fragment, NULL);
}

static char *
api_permissions_url (CqvTenantCheck *self)
{
  g_autofree char *fragment =
    g_strdup_printf ("Microsoft_AAD_RegisteredApps/ApplicationMenuBlade/~/CallAnAPI/appId/%s",
                     cqv_tenant_get_client_id (get_tenant (self)));

  return portal_url (self, fragment);
}

static char *
credentials_url (CqvTenantCheck *self)
{
  g_autofree char *fragment =
    g_strdup_printf ("Microsoft_AAD_RegisteredApps/ApplicationMenuBlade/~/Credentials/appId/%s",
                     cqv_tenant_get_client_id (get_tenant (self)));

  return portal_url (self, fragment);
}

static char *
admin_consent_url (CqvTenantCheck *self)
{
  CqvTenant *tenant = get_tenant (self);
  g_autofree char *path =
    g_strdup_printf ("%s/adminconsent?client_id=%s", cqv_tenant_get_tenant_id (tenant),
                     cqv_tenant_get_client_id (tenant));

  return cqv_endpoint_join (cqv_tenant_get_effective_login_url (tenant), path);
}

static char *
service_principal_url (CqvTenantCheck *self, JsonObject *sp, const char *app_id)
{
  g_autofree char *fragment = NULL;

  if (sp == NULL || !json_object_has_member (sp, "id"))
    return portal_url (self, "Microsoft_AAD_IAM/StartboardApplicationsMenuBlade/~/AppAppsPreview");

  fragment = g_strdup_printf ("Microsoft_AAD_IAM/ManagedAppMenuBlade/~/Properties/objectId/%s/"
                              "appId/%s",
                              json_object_get_string_member (sp, "id"), app_id);
  return portal_url (self, fragment);
}

static CqvCheckItem *
find_item (CqvTenantCheck *self, const char *id)
{
  CqvCheckItem *item = cqv_tenant_check_find_item (self, id);

  g_assert (item != NULL);
  return item;
}

static void
report_item (CqvTenantCheck *self,
             const char *id,
             CqvCheckStatus status,
             const char *detail,
             const char *fix,
             const char *fix_url)
{
  CqvCheckItem *item = find_item (self, id);

  cqv_check_item_set_result (item, status, detail, fix, fix_url);
  g_signal_emit (self, signals[ITEM_DONE], 0, item);
}

/* Every line still pending gets SKIPPED: an earlier one made it impossible to check. */
static void
skip_pending (CqvTenantCheck *self, const char *reason)
{
  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (self->items)); i++)
    {
      g_autoptr (CqvCheckItem) item = g_list_model_get_item (G_LIST_MODEL (self->items), i);

      if (cqv_check_item_get_status (item) == CQV_CHECK_STATUS_PENDING)
        report_item (self, cqv_check_item_get_id (item), CQV_CHECK_STATUS_SKIPPED, reason, NULL,
                     NULL);
    }
}

/* Answers every caller waiting for the run with the lines, and forgets them. */
static void
complete_waiters (CqvTenantCheck *self)
{
  g_autoptr (GPtrArray) waiters = g_steal_pointer (&self->waiters);

  /* A caller may start the next run from its callback. */
  self->waiters = g_ptr_array_new_with_free_func (g_object_unref);
  for (guint i = 0; i < waiters->len; i++)
    {
      GTask *task = g_ptr_array_index (waiters, i);
      gulong *handler = g_task_get_task_data (task);

      if (*handler != 0)
        g_cancellable_disconnect (g_task_get_cancellable (task), *handler);
      *handler = 0;
      g_task_return_pointer (task, g_object_ref (self->items), g_object_unref);
    }
}

static void
finish_run (GTask *task)
{
  CqvTenantCheck *self = g_task_get_source_object (task);
  g_autoptr (CqvCheckItem) blocking = NULL;
  gboolean passed = TRUE;

  g_assert (g_task_get_cancellable (task) == self->run_cancellable);

  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (self->items)); i++)
    {
      g_autoptr (CqvCheckItem) item = g_list_model_get_item (G_LIST_MODEL (self->items), i);

      if (cqv_check_item_get_status (item) != CQV_CHECK_STATUS_FAILED)
        continue;
      passed = FALSE;
      if (blocking == NULL && cqv_tenant_check_blocks_push (cqv_check_item_get_id (item)))
        blocking = copy_item (item);
    }

  g_clear_object (&self->run_cancellable);
  set_blocking_item (self, blocking);
  set_passed (self, passed);
  set_has_run (self, TRUE);
  /* Last, so that a handler on running sees the verdict. */
  set_running (self, FALSE);
  g_task_return_boolean (task, TRUE);
  complete_waiters (self);
}

/* TRUE (and the run is over) when the run was cancelled: every caller gave up on it, and
 * abandon_run() has already said so. */
static gboolean
return_if_cancelled (GTask *task, const GError *error)
{
  if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) &&
      !g_cancellable_is_cancelled (g_task_get_cancellable (task)))
    return FALSE;

  g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CANCELLED, _("The check was cancelled."));
  return TRUE;
}

/* Stops the run in progress: its remaining callbacks only unwind. The lines keep what they got
 * so far; the verdict stays the last finished run's. */
static void
abandon_run (CqvTenantCheck *self)
{
  g_cancellable_cancel (self->run_cancellable);
  g_clear_object (&self->run_cancellable);
  set_running (self, FALSE);
}

static gboolean
waiter_cancel_idle_cb (gpointer user_data)
{
  GTask *task = user_data;
  CqvTenantCheck *self = g_task_get_source_object (task);
  g_autoptr (GTask) waiter = NULL;
  gulong *handler;
  guint index;

  /* Answered meanwhile. */
  if (!g_ptr_array_find (self->waiters, task, &index))
    return G_SOURCE_REMOVE;

  waiter = g_ptr_array_steal_index (self->waiters, index);
  handler = g_task_get_task_data (waiter);
  g_cancellable_disconnect (g_task_get_cancellable (waiter), *handler);
  *handler = 0;
  if (self->waiters->len == 0 && self->running)
    abandon_run (self);
  g_task_return_new_error (waiter, G_IO_ERROR, G_IO_ERROR_CANCELLED,
                           _("The check was cancelled."));
  return G_SOURCE_REMOVE;
}

static void
waiter_cancelled_cb (GCancellable *cancellable, gpointer user_data)
{
  GTask *task = user_data;
  g_autoptr (GSource) source = g_idle_source_new ();

  /* Not from inside the handler: disconnecting it there would deadlock. */
  g_source_set_priority (source, G_PRIORITY_DEFAULT);
  g_source_set_callback (source, waiter_cancel_idle_cb, g_object_ref (task), g_object_unref);
  g_source_attach (source, g_task_get_context (task));
}

static const CqvConsentPermission *
find_permission (const char *id)
{
  const CqvConsentPermission *permission = cqv_consent_find_permission (id);

  g_assert (permission != NULL);
  return permission;
}

static gboolean
may_write_applications (RunData *data)
{
  return cqv_consent_permission_is_granted (find_permission (CQV_CHECK_PERMISSION_APPLICATIONS),
                                            (const char *const *) data->roles);
}

/* The line of one permission of the consent helper's list: the same name, alternative and
 * reason. */
static void
report_permission (CqvTenantCheck *self, char **roles, const CqvConsentPermission *permission)
{
  const char *found = cqv_consent_permission_find_granted (permission, (const char *const *) roles);
  g_autofree char *detail = NULL;
  g_autofree char *fix = NULL;
  g_autofree char *url = NULL;

  if (found != NULL)
    {
      detail = g_strdup_printf (_("Granted (%s)."), found);
      report_item (self, permission->check_id, CQV_CHECK_STATUS_OK, detail, NULL, NULL);
      return;
    }

  /* Translators: %s says what the permission is for, a sentence. */
  detail = g_strdup_printf (_("Not in the app’s token. What it is for: %s"),
                               cqv_consent_permission_get_reason (permission));
  if (permission->alternative != NULL)
    /* Translators: the first %s is a permission, the second a broader one that also does. */
    fix = g_strdup_printf (_("Add the Microsoft Graph application permission %s (or %s) to the "
                             "app registration and grant admin consent."),
                              permission->name, permission->alternative);
  else
    fix = g_strdup_printf (_("Add the Microsoft Graph application permission %s to the app "
                             "registration and grant admin consent."),
                              permission->name);
  url = api_permissions_url (self);
  report_item (self, permission->check_id,
               permission->optional ? CQV_CHECK_STATUS_WARNING : CQV_CHECK_STATUS_FAILED, detail,
               fix, url);
}

static void
report_permissions (CqvTenantCheck *self, char **roles)
{
  guint n = 0;
  const CqvConsentPermission *permissions = cqv_consent_get_permissions (&n);

  for (guint i = 0; i < n; i++)
    report_permission (self, roles, &permissions[i]);
}

static void
report_credentials_error (CqvTenantCheck *self, const GError *error)
{
  g_autofree char *url = NULL;
  const char *fix;

  if (error->domain == CQV_SECRET_ERROR)
    fix = _("Make the keyring available as the message says, then check again.");
  else if (g_error_matches (error, CQV_TENANT_CONTEXT_ERROR,
                            CQV_TENANT_CONTEXT_ERROR_NO_APP_SECRET) ||
           g_error_matches (error, CQV_AUTH_ERROR, CQV_AUTH_ERROR_INVALID_SECRET) ||
           g_error_matches (error, CQV_AUTH_ERROR, CQV_AUTH_ERROR_EXPIRED_SECRET))
    {
      fix = _("Create a new client secret for the app (Certificates & secrets) and store it with "
              "the tenant again.");
      url = credentials_url (self);
    }
  else if (g_error_matches (error, CQV_AUTH_ERROR, CQV_AUTH_ERROR_APP_NOT_IN_TENANT) ||
           g_error_matches (error, CQV_AUTH_ERROR, CQV_AUTH_ERROR_CONSENT_MISSING))
    {
      fix = _("Have an administrator of this tenant grant admin consent to the app.");
      url = admin_consent_url (self);
    }
  else if (g_error_matches (error, CQV_AUTH_ERROR, CQV_AUTH_ERROR_TENANT_NOT_FOUND))
    fix = _("Check the tenant ID or domain.");
  else
    fix = _("Check the network connection and the tenant's endpoints, then check again.");

  report_item (self, CQV_CHECK_CREDENTIALS, CQV_CHECK_STATUS_FAILED, error->message, fix, url);
}

static void
roles_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GTask) task = user_data;
  CqvTenantCheck *self = g_task_get_source_object (task);
  RunData *data = g_task_get_task_data (task);
  g_autoptr (GError) error = NULL;

  data->roles = cqv_graph_client_get_roles_finish (CQV_GRAPH_CLIENT (object), result, &error);
  if (data->roles == NULL)
    {
      if (return_if_cancelled (task, error))
        return;
      report_credentials_error (self, error);
      skip_pending (self, _("Not checked: the app's credentials were not accepted."));
      finish_run (task);
      return;
    }
  if (return_if_cancelled (task, NULL))
    return;

  report_item (self, CQV_CHECK_CREDENTIALS, CQV_CHECK_STATUS_OK,
               _("Accepted: Microsoft Graph issued a token."), NULL, NULL);
  report_permissions (self, data->roles);

  check_service_principal (g_steal_pointer (&task), CQV_MFA_CLIENT_APP_ID);
}

static void
load_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GTask) task = user_data;
  CqvTenantCheck *self = g_task_get_source_object (task);
  g_autoptr (GError) error = NULL;
  GCancellable *cancellable;

  if (!cqv_tenant_context_load_finish (CQV_TENANT_CONTEXT (object), result, &error))
    {
      if (return_if_cancelled (task, error))
        return;
      report_credentials_error (self, error);
      skip_pending (self, _("Not checked: the app's credentials are not available."));
      finish_run (task);
      return;
    }

  cancellable = g_task_get_cancellable (task);
  cqv_graph_client_get_roles_async (cqv_tenant_context_get_graph (self->context), cancellable,
                                    roles_cb, g_steal_pointer (&task));
}

/* The first service principal in a Graph list body, or NULL. */
static JsonObject *
first_service_principal (GBytes *body, GError **error)
{
  g_autoptr (JsonNode) root = cqv_graph_parse_body (body, error);
  JsonNode *value;
  JsonArray *array;

  if (root == NULL)
    return NULL;
  value = json_object_get_member (json_node_get_object (root), "value");
  if (value == NULL || !JSON_NODE_HOLDS_ARRAY (value))
    {
      g_set_error_literal (
        error, CQV_GRAPH_ERROR, CQV_GRAPH_ERROR_MALFORMED,
        _("Microsoft Graph sent a list of service principals without a value."));
      return NULL;
    }
  array = json_node_get_array (value);
  if (json_array_get_length (array) == 0 ||
      !JSON_NODE_HOLDS_OBJECT (json_array_get_element (array, 0)))
    return NULL;
  return json_object_ref (json_array_get_object_element (array, 0));
}

static void
report_service_principal (CqvTenantCheck *self,
                          const char *app_id,
                          JsonObject *sp,
                          const GError *error)
{
  gboolean client = g_str_equal (app_id, CQV_MFA_CLIENT_APP_ID);
  const char *id = client ? CQV_CHECK_MFA_CLIENT : CQV_CHECK_MFA_CONNECTOR;
  const char *app_name =
    client ? "Azure Multi-Factor Auth Client" : "Azure Multi-Factor Auth Connector";
  g_autofree char *detail = NULL;
  g_autofree char *fix = NULL;
  g_autofree char *url = NULL;

  if (g_error_matches (error, CQV_GRAPH_ERROR, CQV_GRAPH_ERROR_PERMISSION_MISSING))
    {
      detail =
        g_strdup_printf (_("The app may not read the service principal of “%s”."), app_name);
      fix = g_strdup_printf (_("Add the Microsoft Graph application permission %s to the app "
                               "registration and grant admin consent."),
                                APPLICATIONS_ROLE);
      url = api_permissions_url (self);
      report_item (self, id, CQV_CHECK_STATUS_FAILED, detail, fix, url);
      return;
    }
  if (error != NULL)
    {
      report_item (self, id, CQV_CHECK_STATUS_FAILED, error->message,
                   _("Check the network connection, then check again."), NULL);
      return;
    }

  url = service_principal_url (self, sp, app_id);
  if (sp == NULL)
    {
      detail = g_strdup_printf (_("“%s” has no service principal in this tenant."), app_name);
      fix = g_strdup_printf (_("Create it, for example in PowerShell with "
                               "“New-MgServicePrincipal -AppId %s”."),
                                app_id);
      report_item (self, id, CQV_CHECK_STATUS_FAILED, detail, fix, url);
    }
  else if (json_object_has_member (sp, "accountEnabled") &&
           !json_object_get_boolean_member (sp, "accountEnabled"))
    {
      detail = g_strdup_printf (_("“%s” is disabled in this tenant."), app_name);
      fix = g_strdup_printf (_("Enable it: Enterprise applications → %s → Properties → Enabled "
                               "for users to sign in → Yes."),
                                app_name);
      report_item (self, id, CQV_CHECK_STATUS_FAILED, detail, fix, url);
    }
  else
    {
      detail = g_strdup_printf (_("“%s” is present and enabled."), app_name);
      report_item (self, id, CQV_CHECK_STATUS_OK, detail, NULL, NULL);
    }
}

static void
service_principal_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GTask) task = user_data;
  CqvTenantCheck *self = g_task_get_source_object (task);
  RunData *data = g_task_get_task_data (task);
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) body = NULL;
  g_autoptr (JsonObject) sp = NULL;

  body = cqv_graph_client_request_finish (CQV_GRAPH_CLIENT (object), result, NULL, &error);
  if (body != NULL)
    sp = first_service_principal (body, &error);
  if (return_if_cancelled (task, error))
    return;

  if (cqv_check_item_get_status (find_item (self, CQV_CHECK_MFA_CLIENT)) ==
      CQV_CHECK_STATUS_PENDING)
    {
      report_service_principal (self, CQV_MFA_CLIENT_APP_ID, sp, error);
      if (sp != NULL)
        data->client_sp = json_object_ref (sp);
      check_service_principal (g_steal_pointer (&task), CQV_MFA_CONNECTOR_APP_ID);
      return;
    }

  report_service_principal (self, CQV_MFA_CONNECTOR_APP_ID, sp, error);
  check_connector_secret (g_steal_pointer (&task));
}

static void
check_service_principal (GTask *task, const char *app_id)
{
  CqvTenantCheck *self = g_task_get_source_object (task);
  g_autofree char *filter = g_strdup_printf ("appId eq '%s'", app_id);
  g_autofree char *escaped = g_uri_escape_string (filter, NULL, FALSE);
  g_autofree char *path =
    g_strdup_printf ("/v1.0/servicePrincipals?$filter=%s&$select=" SP_SELECT, escaped);

  cqv_graph_client_request_async (cqv_tenant_context_get_graph (self->context), "GET", path, NULL,
                                  g_task_get_cancellable (task), service_principal_cb, task);
}

/* The end of the credential @key_id on the Client service principal; FALSE when not there. */
static gboolean
find_credential (JsonObject *sp, const char *key_id, GDateTime **end)
{
  JsonNode *node = sp != NULL ? json_object_get_member (sp, "passwordCredentials") : NULL;
  JsonArray *credentials;

  *end = NULL;
  if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node) || key_id == NULL)
    return FALSE;

  credentials = json_node_get_array (node);
  for (guint i = 0; i < json_array_get_length (credentials); i++)
    {
      JsonNode *element = json_array_get_element (credentials, i);
      JsonObject *credential;
      const char *end_text;

      if (!JSON_NODE_HOLDS_OBJECT (element))
        continue;
      credential = json_node_get_object (element);
      if (g_ascii_strcasecmp (json_object_get_string_member_with_default (credential, "keyId", ""),
                              key_id) != 0)
        continue;
      end_text = json_object_get_string_member_with_default (credential, "endDateTime", NULL);
      if (end_text != NULL)
        *end = g_date_time_new_from_iso8601 (end_text, NULL);
      return TRUE;
    }
  return FALSE;
}

static void
report_stored_secret (CqvTenantCheck *self, RunData *data, const CqvSecret *secret)
{
  gboolean can_write = may_write_applications (data);
  g_autoptr (GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr (GDateTime) sp_end = NULL;
  g_autofree char *url = can_write ? NULL : api_permissions_url (self);
  g_autofree char *date = NULL;
  g_autofree char *detail = NULL;
  const char *fix = can_write ? NULL
                              : _("Add the Microsoft Graph application permission "
                                  "Application.ReadWrite.All so that the app can replace it.");
  GDateTime *expires;
  gboolean on_sp = find_credential (data->client_sp, secret->key_id, &sp_end);

  expires = secret->expires != NULL ? secret->expires : sp_end;
  if (expires != NULL)
    {
      g_autoptr (GDateTime) local = g_date_time_to_local (expires);

      date = g_date_time_format (local, "%Y-%m-%d");
    }

  if (expires != NULL && g_date_time_compare (expires, now) <= 0)
    {
      detail = can_write ? g_strdup_printf (_("Expired on %s; a new one will be made on the "
                                              "next push."),
                                               date)
                         : g_strdup_printf (_("Expired on %s."), date);
      report_item (self, CQV_CHECK_CONNECTOR_SECRET,
                   can_write ? CQV_CHECK_STATUS_WARNING : CQV_CHECK_STATUS_FAILED, detail, fix,
                   url);
    }
  else if (data->client_sp != NULL && !on_sp)
    {
      detail = can_write ? g_strdup (_("The stored secret is no longer on the MFA Client service "
                                "principal; a new one will be made on the next push."))
                         : g_strdup (_("The stored secret is no longer on the MFA Client service "
                                "principal."));
      report_item (self, CQV_CHECK_CONNECTOR_SECRET,
                   can_write ? CQV_CHECK_STATUS_WARNING : CQV_CHECK_STATUS_FAILED, detail, fix,
                   url);
    }
  else
    {
      detail = date != NULL ? g_strdup_printf (_("Provisioned, valid until %s."), date)
                            : g_strdup (_("Provisioned."));
      report_item (self, CQV_CHECK_CONNECTOR_SECRET, CQV_CHECK_STATUS_OK, detail, NULL, NULL);
    }
}

static void
secret_lookup_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GTask) task = user_data;
  CqvTenantCheck *self = g_task_get_source_object (task);
  RunData *data = g_task_get_task_data (task);
  g_autoptr (GError) error = NULL;
  g_autoptr (CqvSecret) secret = NULL;

  secret = cqv_secret_store_lookup_finish (CQV_SECRET_STORE (object), result, &error);
  if (return_if_cancelled (task, error))
    return;

  if (error != NULL)
    report_item (self, CQV_CHECK_CONNECTOR_SECRET, CQV_CHECK_STATUS_FAILED, error->message,
                 _("Make the keyring available as the message says, then check again."), NULL);
  else if (secret != NULL)
    report_stored_secret (self, data, secret);
  else if (may_write_applications (data))
    report_item (self, CQV_CHECK_CONNECTOR_SECRET, CQV_CHECK_STATUS_OK,
                 _("Not provisioned yet: it will be created on the first push."), NULL, NULL);
  else
    {
      g_autofree char *url = api_permissions_url (self);

      report_item (self, CQV_CHECK_CONNECTOR_SECRET, CQV_CHECK_STATUS_FAILED,
                   _("Not provisioned yet, and the app may not create it."),
                      _("Add the Microsoft Graph application permission Application.ReadWrite.All "
                     "to the app registration and grant admin consent."),
                         url);
    }

  check_report (g_steal_pointer (&task));
}

static void
check_connector_secret (GTask *task)
{
  CqvTenantCheck *self = g_task_get_source_object (task);
  CqvConnector *connector = cqv_tenant_context_get_connector (self->context);

  /* Where CqvConnectorSecrets keeps it: the tenant as the connector knows it, the MFA Client. */
  cqv_secret_store_lookup_async (cqv_tenant_context_get_secret_store (self->context),
                                 cqv_connector_get_tenant_id (connector), CQV_MFA_CLIENT_APP_ID,
                                 CQV_SECRET_KIND_CONNECTOR, g_task_get_cancellable (task),
                                 secret_lookup_cb, task);
}

static void
report_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GTask) task = user_data;
  CqvTenantCheck *self = g_task_get_source_object (task);
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) body = NULL;
  g_autofree char *url = NULL;

  body = cqv_graph_client_request_finish (CQV_GRAPH_CLIENT (object), result, NULL, &error);
  if (return_if_cancelled (task, error))
    return;

  if (error == NULL)
    report_item (self, CQV_CHECK_REGISTRATION_REPORT, CQV_CHECK_STATUS_OK,
                 _("Available: Microsoft Authenticator registration comes from the tenant-wide "
                   "report."),
                    NULL, NULL);
  else if (g_error_matches (error, CQV_GRAPH_ERROR, CQV_GRAPH_ERROR_NO_PREMIUM_LICENSE))
    {
      url = portal_url (self, "Microsoft_AAD_IAM/LicensesMenuBlade/~/Products");
      report_item (self, CQV_CHECK_REGISTRATION_REPORT, CQV_CHECK_STATUS_WARNING,
                   _("Not available without a Microsoft Entra ID P1 or P2 licence: Microsoft "
                     "Authenticator is checked user by user instead."),
                      _("Optional: a P1 licence makes the user list show everyone's Microsoft "
                     "Authenticator at once."),
                         url);
    }
  else if (g_error_matches (error, CQV_GRAPH_ERROR, CQV_GRAPH_ERROR_PERMISSION_MISSING))
    {
      url = api_permissions_url (self);
      report_item (
        self, CQV_CHECK_REGISTRATION_REPORT, CQV_CHECK_STATUS_WARNING,
        _("Not available without AuditLog.Read.All: Microsoft Authenticator is checked "
                     "user by user instead."),
           _("Optional: add the Microsoft Graph application permission AuditLog.Read.All "
                     "and grant admin consent."),
              url);
    }
  else
    report_item (self, CQV_CHECK_REGISTRATION_REPORT, CQV_CHECK_STATUS_FAILED, error->message,
                 _("Check the network connection, then check again."), NULL);

  finish_run (task);
}

static void
check_report (GTask *task)
{
  CqvTenantCheck *self = g_task_get_source_object (task);

  cqv_graph_client_request_async (cqv_tenant_context_get_graph (self->context), "GET", REPORT_PATH,
                                  NULL, g_task_get_cancellable (task), report_cb, task);
}

static void
add_item (CqvTenantCheck *self, const char *id, const char *title)
{
  g_autoptr (CqvCheckItem) item = cqv_check_item_new (id, title);

  g_list_store_append (self->items, item);
}

static void
start_run (CqvTenantCheck *self)
{
  g_autoptr (GTask) task = NULL;
  RunData *data = g_new0 (RunData, 1);
  CqvTenant *tenant;

  g_assert (!self->running && self->run_cancellable == NULL);

  self->run_cancellable = g_cancellable_new ();
  task = g_task_new (self, self->run_cancellable, NULL, NULL);
  g_task_set_source_tag (task, start_run);
  data->context = g_object_ref (self->context);
  g_task_set_task_data (task, data, (GDestroyNotify) run_data_free);

  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (self->items)); i++)
    {
      g_autoptr (CqvCheckItem) item = g_list_model_get_item (G_LIST_MODEL (self->items), i);

      cqv_check_item_reset (item);
    }
  set_running (self, TRUE);

  /* A token from before a consent change would show the old roles. */
  tenant = get_tenant (self);
  cqv_token_provider_invalidate (cqv_tenant_context_get_tokens (self->context),
                                 cqv_tenant_get_tenant_id (tenant),
                                 cqv_tenant_get_client_id (tenant));

  cqv_tenant_context_load_async (self->context, self->run_cancellable, load_cb,
                                 g_steal_pointer (&task));
}

static void
cqv_tenant_check_dispose (GObject *object)
{
  CqvTenantCheck *self = CQV_TENANT_CHECK (object);

  if (self->context != NULL)
    g_object_remove_weak_pointer (G_OBJECT (self->context), (gpointer *) &self->context);
  self->context = NULL;

  G_OBJECT_CLASS (cqv_tenant_check_parent_class)->dispose (object);
}

static void
cqv_tenant_check_finalize (GObject *object)
{
  CqvTenantCheck *self = CQV_TENANT_CHECK (object);

  /* Every waiter and every run holds a reference. */
  g_assert (self->waiters->len == 0 && self->run_cancellable == NULL);

  g_clear_object (&self->items);
  g_clear_pointer (&self->waiters, g_ptr_array_unref);
  g_clear_object (&self->blocking_item);

  G_OBJECT_CLASS (cqv_tenant_check_parent_class)->finalize (object);
}

static void
cqv_tenant_check_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  CqvTenantCheck *self = CQV_TENANT_CHECK (object);

  switch (prop_id)
    {
    case PROP_CONTEXT:
      g_value_set_object (value, self->context);
      break;
    case PROP_RUNNING:
      g_value_set_boolean (value, self->running);
      break;
    case PROP_HAS_RUN:
      g_value_set_boolean (value, self->has_run);
      break;
    case PROP_PASSED:
      g_value_set_boolean (value, self->passed);
      break;
    case PROP_BLOCKING_ITEM:
      g_value_set_object (value, self->blocking_item);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cqv_tenant_check_set_property (GObject *object,
                               guint prop_id,
                               const GValue *value,
                               GParamSpec *pspec)
{
  CqvTenantCheck *self = CQV_TENANT_CHECK (object);

  switch (prop_id)
    {
    case PROP_CONTEXT:
      self->context = g_value_get_object (value);
      if (self->context != NULL)
        g_object_add_weak_pointer (G_OBJECT (self->context), (gpointer *) &self->context);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cqv_tenant_check_class_init (CqvTenantCheckClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = cqv_tenant_check_dispose;
  object_class->finalize = cqv_tenant_check_finalize;
  object_class->get_property = cqv_tenant_check_get_property;
  object_class->set_property = cqv_tenant_check_set_property;

  properties[PROP_CONTEXT] =
    g_param_spec_object ("context", NULL, NULL, CQV_TYPE_TENANT_CONTEXT,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_RUNNING] =
    g_param_spec_boolean ("running", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_HAS_RUN] =
    g_param_spec_boolean ("has-run", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_PASSED] =
    g_param_spec_boolean ("passed", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_BLOCKING_ITEM] =
    g_param_spec_object ("blocking-item", NULL, NULL, CQV_TYPE_CHECK_ITEM,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[ITEM_DONE] = g_signal_new ("item-done", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                     NULL, NULL, NULL, G_TYPE_NONE, 1, CQV_TYPE_CHECK_ITEM);
}

static void
cqv_tenant_check_init (CqvTenantCheck *self)
{
  const CqvConsentPermission *permissions;
  guint n = 0;

  self->items = g_list_store_new (CQV_TYPE_CHECK_ITEM);
  self->waiters = g_ptr_array_new_with_free_func (g_object_unref);

  add_item (self, CQV_CHECK_CREDENTIALS, _("App credentials accepted"));
  /* One line per permission of the consent helper's list, in its order. */
  permissions = cqv_consent_get_permissions (&n);
  for (guint i = 0; i < n; i++)
    add_item (self, permissions[i].check_id, cqv_consent_permission_get_title (&permissions[i]));
  add_item (self, CQV_CHECK_MFA_CLIENT, _("MFA Client service principal"));
  add_item (self, CQV_CHECK_MFA_CONNECTOR, _("MFA Connector service principal"));
  add_item (self, CQV_CHECK_CONNECTOR_SECRET, _("MFA connector secret"));
  add_item (self, CQV_CHECK_REGISTRATION_REPORT, _("Tenant-wide registration report"));
}

CqvTenantCheck *
cqv_tenant_check_new (CqvTenantContext *context)
{
  g_return_val_if_fail (CQV_IS_TENANT_CONTEXT (context), NULL);

  return g_object_new (CQV_TYPE_TENANT_CHECK, "context", context, NULL);
}

CqvTenantContext *
cqv_tenant_check_get_context (CqvTenantCheck *self)
{
  g_return_val_if_fail (CQV_IS_TENANT_CHECK (self), NULL);

  return self->context;
}

GListModel *
cqv_tenant_check_get_items (CqvTenantCheck *self)
{
  g_return_val_if_fail (CQV_IS_TENANT_CHECK (self), NULL);

  return G_LIST_MODEL (self->items);
}

CqvCheckItem *
cqv_tenant_check_find_item (CqvTenantCheck *self, const char *id)
{
  g_return_val_if_fail (CQV_IS_TENANT_CHECK (self), NULL);
  g_return_val_if_fail (id != NULL, NULL);

  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (self->items)); i++)
    {
      g_autoptr (CqvCheckItem) item = g_list_model_get_item (G_LIST_MODEL (self->items), i);

      if (g_str_equal (cqv_check_item_get_id (item), id))
        return item;
    }
  return NULL;
}

gboolean
cqv_tenant_check_get_running (CqvTenantCheck *self)
{
  g_return_val_if_fail (CQV_IS_TENANT_CHECK (self), FALSE);

  return self->running;
}

gboolean
cqv_tenant_check_get_has_run (CqvTenantCheck *self)
{
  g_return_val_if_fail (CQV_IS_TENANT_CHECK (self), FALSE);

  return self->has_run;
}

gboolean
cqv_tenant_check_get_passed (CqvTenantCheck *self)
{
  g_return_val_if_fail (CQV_IS_TENANT_CHECK (self), FALSE);

  return self->passed;
}

CqvCheckItem *
cqv_tenant_check_get_blocking_item (CqvTenantCheck *self)
{
  g_return_val_if_fail (CQV_IS_TENANT_CHECK (self), NULL);

  return self->blocking_item;
}

gboolean
cqv_tenant_check_blocks_push (const char *id)
{
  g_return_val_if_fail (id != NULL, FALSE);

  return g_strv_contains (blocking_ids, id);
}

void
cqv_tenant_check_run_async (CqvTenantCheck *self,
                            GCancellable *cancellable,
                            GAsyncReadyCallback callback,
                            gpointer user_data)
{
  g_autoptr (GTask) task = NULL;
  gulong *handler;

  g_return_if_fail (CQV_IS_TENANT_CHECK (self));
  g_return_if_fail (self->context != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, cqv_tenant_check_run_async);
  if (g_task_return_error_if_cancelled (task))
    return;

  handler = g_new0 (gulong, 1);
  g_task_set_task_data (task, handler, g_free);
  if (cancellable != NULL)
    *handler = g_cancellable_connect (cancellable, G_CALLBACK (waiter_cancelled_cb), task, NULL);
  g_ptr_array_add (self->waiters, g_steal_pointer (&task));

  if (!self->running)
    start_run (self);
}

GListModel *
cqv_tenant_check_run_finish (CqvTenantCheck *self, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (CQV_IS_TENANT_CHECK (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == cqv_tenant_check_run_async,
                        NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
