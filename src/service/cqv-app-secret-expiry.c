/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cqv-app-secret-expiry"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "cqv-app-secret-expiry.h"

/* The expiry is looked up afresh for each context and not written to the keyring: the secret
 * store can only replace an item together with its secret, and writing back a secret read
 * earlier could undo a replacement the technician has just saved in the tenant's settings. */

static void
expiry_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GTask) task = user_data;
  g_autoptr (GError) error = NULL;
  GDateTime *expires;

  expires =
    cqv_graph_client_get_app_secret_expiry_finish (CQV_GRAPH_CLIENT (object), result, &error);
  if (expires == NULL)
    {
      g_debug ("The app secret's expiry is unknown: %s", error->message);
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  g_task_return_pointer (task, expires, (GDestroyNotify) g_date_time_unref);
}

static void
loaded_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GTask) task = user_data;
  CqvTenantContext *context = CQV_TENANT_CONTEXT (object);
  CqvGraphClient *graph = cqv_tenant_context_get_graph (context);
  GCancellable *cancellable = g_task_get_cancellable (task);
  g_autoptr (GError) error = NULL;
  char *hint;

  if (!cqv_tenant_context_load_finish (context, result, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  hint = cqv_graph_client_dup_secret_hint (graph);
  if (hint == NULL)
    {
      g_task_return_new_error (task, CQV_GRAPH_ERROR, CQV_GRAPH_ERROR_NO_MATCHING_SECRET,
                               _("The app secret is too short to be found among the app "
                                 "registration's client secrets."));
      return;
    }

  cqv_graph_client_get_app_secret_expiry_async (graph, hint, cancellable, expiry_cb,
                                                g_steal_pointer (&task));
  cqv_secret_wipe_string (hint);
}

void
cqv_app_secret_expiry_lookup_async (CqvTenantContext *context,
                                    GCancellable *cancellable,
                                    GAsyncReadyCallback callback,
                                    gpointer user_data)
{
  g_autoptr (GTask) task = NULL;

  g_return_if_fail (CQV_IS_TENANT_CONTEXT (context));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (context, cancellable, callback, user_data);
  g_task_set_source_tag (task, cqv_app_secret_expiry_lookup_async);

  cqv_tenant_context_load_async (context, cancellable, loaded_cb, g_steal_pointer (&task));
}

GDateTime *
cqv_app_secret_expiry_lookup_finish (CqvTenantContext *context,
                                     GAsyncResult *result,
                                     GError **error)
{
  g_return_val_if_fail (CQV_IS_TENANT_CONTEXT (context), NULL);
  g_return_val_if_fail (g_task_is_valid (result, context), NULL);
  g_return_val_if_fail (
    g_task_get_source_tag (G_TASK (result)) == cqv_app_secret_expiry_lookup_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

char *
cqv_app_secret_expiry_warning (GDateTime *expires, GDateTime *now)
{
  g_autoptr (GDateTime) local = NULL;
  g_autofree char *date = NULL;
  GTimeSpan left;

  g_return_val_if_fail (now != NULL, NULL);

  if (expires == NULL)
    return NULL;
  left = g_date_time_difference (expires, now);
  if (left > CQV_APP_SECRET_WARNING_DAYS * G_TIME_SPAN_DAY)
    return NULL;

  local = g_date_time_to_local (expires);
  date = g_date_time_format (local, "%Y-%m-%d");
  if (left <= 0)
    /* Translators: %s is a date. */
    return g_strdup_printf (_("The app secret expired on %s. Create a new client secret in the "
                              "Entra admin center and update the tenant."),
                               date);
  /* Translators: %s is a date. */
  return g_strdup_printf (_("The app secret expires on %s. Create a new client secret in the "
                            "Entra admin center and update the tenant."),
                             date);
}
