/* SPDX-License-Identifier: GPL-3.0-or-later */

#define G_LOG_DOMAIN "cqv-directory"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "cqv-directory-private.h"

/* Per-user Authenticator checks (microsoftAuthenticatorMethods), for tenants without the
 * registration report and for the user about to be verified. */

#define VISIBLE_BATCHES_IN_FLIGHT 2

typedef struct
{
  CqvUser *user;
  CqvAuthenticatorState previous;
} CheckData;

typedef struct
{
  GPtrArray *users;
  guint next;
  guint in_flight;
  GError *error;
} VisibleData;

typedef struct
{
  GTask *task;
  guint start;
  guint count;
} VisibleBatch;

static void launch_visible_batches (GTask *task);

static void
check_data_free (CheckData *data)
{
  g_clear_object (&data->user);
  g_free (data);
}

static void
visible_data_free (VisibleData *data)
{
  g_clear_pointer (&data->users, g_ptr_array_unref);
  g_clear_error (&data->error);
  g_free (data);
}

static char *
authenticator_methods_path (CqvUser *user)
{
  g_autofree char *id = g_uri_escape_string (cqv_user_get_id (user), NULL, FALSE);

  return g_strdup_printf ("/users/%s/authentication/microsoftAuthenticatorMethods", id);
}

/* Reads a microsoftAuthenticatorMethods answer: any method at all means registered. */
static gboolean
read_methods (JsonNode *root, CqvAuthenticatorState *state, GError **error)
{
  JsonArray *values = NULL;

  if (root != NULL && JSON_NODE_HOLDS_OBJECT (root))
    values = cqv_directory_get_value_array (root);
  if (values == NULL)
    {
      g_set_error_literal (error, CQV_GRAPH_ERROR, CQV_GRAPH_ERROR_MALFORMED,
                           _("Microsoft Graph sent a list of Authenticator apps that could not "
                             "be read."));
      return FALSE;
    }

  *state = json_array_get_length (values) > 0 ? CQV_AUTHENTICATOR_REGISTERED
                                              : CQV_AUTHENTICATOR_NOT_REGISTERED;
  return TRUE;
}

static void
check_user_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GTask) task = user_data;
  CqvDirectory *self = g_task_get_source_object (task);
  CheckData *data = g_task_get_task_data (task);
  CqvAuthenticatorState state = CQV_AUTHENTICATOR_UNKNOWN;
  g_autoptr (JsonNode) root = NULL;
  g_autoptr (GBytes) body = NULL;
  g_autoptr (GError) error = NULL;

  body = cqv_graph_client_request_finish (CQV_GRAPH_CLIENT (object), result, NULL, &error);
  if (body != NULL)
    root = cqv_graph_parse_body (body, &error);
  else if (error == NULL)
    error = g_error_new_literal (CQV_GRAPH_ERROR, CQV_GRAPH_ERROR_MALFORMED,
                                 _("Microsoft Graph sent an empty answer."));

  if (error == NULL && !read_methods (root, &state, &error))
    state = CQV_AUTHENTICATOR_UNKNOWN;

  if (error != NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        cqv_user_set_authenticator (data->user, data->previous);
      else
        cqv_user_set_authenticator (data->user, CQV_AUTHENTICATOR_UNKNOWN);
      cqv_directory_note_check_error (self, error);
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  cqv_user_set_authenticator (data->user, state);
  g_task_return_int (task, state);
}

static void
finish_visible_if_done (GTask *task)
{
  VisibleData *data = g_task_get_task_data (task);

  if (data->in_flight > 0 || data->next < data->users->len)
    return;

  if (data->error != NULL)
    g_task_return_error (task, g_steal_pointer (&data->error));
  else
    g_task_return_boolean (task, TRUE);
}

static void
visible_batch_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  VisibleBatch *batch = user_data;
  g_autoptr (GTask) task = g_steal_pointer (&batch->task);
  CqvDirectory *self = g_task_get_source_object (task);
  VisibleData *data = g_task_get_task_data (task);
  g_autoptr (GPtrArray) results = NULL;
  g_autoptr (GError) error = NULL;

  results = cqv_graph_client_batch_finish (CQV_GRAPH_CLIENT (object), result, &error);
  data->in_flight--;

  for (guint i = 0; i < batch->count; i++)
    {
      CqvUser *user = g_ptr_array_index (data->users, batch->start + i);
      CqvGraphBatchResult *item = results != NULL ? g_ptr_array_index (results, i) : NULL;
      CqvAuthenticatorState state = CQV_AUTHENTICATOR_UNKNOWN;
      g_autoptr (GError) item_error = NULL;

      if (item != NULL && item->error != NULL)
        cqv_directory_note_check_error (self, item->error);
      else if (item != NULL && !read_methods (item->body, &state, &item_error))
        g_debug ("Authenticator check for one user failed: %s", item_error->message);
      cqv_user_set_authenticator (user, state);
    }
  g_free (batch);

  if (error != NULL)
    {
      /* A whole batch failed: the rest would too, so stop sending. */
      for (; data->next < data->users->len; data->next++)
        cqv_user_set_authenticator (g_ptr_array_index (data->users, data->next),
                                    CQV_AUTHENTICATOR_UNKNOWN);
      cqv_directory_note_check_error (self, error);
      if (data->error == NULL)
        data->error = g_steal_pointer (&error);
    }

  launch_visible_batches (task);
  finish_visible_if_done (task);
}

static void
launch_visible_batches (GTask *task)
{
  CqvDirectory *self = g_task_get_source_object (task);
  VisibleData *data = g_task_get_task_data (task);

  while (data->in_flight < VISIBLE_BATCHES_IN_FLIGHT && data->next < data->users->len)
    {
      g_autoptr (GPtrArray) urls = g_ptr_array_new_with_free_func (g_free);
      VisibleBatch *batch = g_new0 (VisibleBatch, 1);

      batch->task = g_object_ref (task);
      batch->start = data->next;
      batch->count = MIN (CQV_GRAPH_BATCH_MAX, data->users->len - data->next);
      for (guint i = 0; i < batch->count; i++)
        g_ptr_array_add (
          urls, authenticator_methods_path (g_ptr_array_index (data->users, batch->start + i)));
      data->next += batch->count;
      data->in_flight++;
      cqv_graph_client_batch_async (cqv_directory_get_graph (self), urls,
                                    g_task_get_cancellable (task), visible_batch_cb, batch);
    }
}

void
cqv_directory_check_user_async (CqvDirectory *self,
                                CqvUser *user,
                                GCancellable *cancellable,
                                GAsyncReadyCallback callback,
                                gpointer user_data)
{
  g_autoptr (GTask) task = NULL;
  g_autofree char *methods_path = NULL;
  g_autofree char *path = NULL;
  CheckData *data;

  g_return_if_fail (CQV_IS_DIRECTORY (self));
  g_return_if_fail (CQV_IS_USER (user));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, cqv_directory_check_user_async);

  data = g_new0 (CheckData, 1);
  data->user = g_object_ref (user);
  data->previous = cqv_user_get_authenticator (user);
  g_task_set_task_data (task, data, (GDestroyNotify) check_data_free);

  cqv_user_set_authenticator (user, CQV_AUTHENTICATOR_CHECKING);
  methods_path = authenticator_methods_path (user);
  path = g_strconcat ("/v1.0", methods_path, NULL);
  cqv_graph_client_request_async (cqv_directory_get_graph (self), "GET", path, NULL, cancellable,
                                  check_user_cb, g_steal_pointer (&task));
}

CqvAuthenticatorState
cqv_directory_check_user_finish (CqvDirectory *self, GAsyncResult *result, GError **error)
{
  gssize state;

  g_return_val_if_fail (CQV_IS_DIRECTORY (self), CQV_AUTHENTICATOR_UNKNOWN);
  g_return_val_if_fail (g_task_is_valid (result, self), CQV_AUTHENTICATOR_UNKNOWN);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == cqv_directory_check_user_async,
                        CQV_AUTHENTICATOR_UNKNOWN);

  state = g_task_propagate_int (G_TASK (result), error);
  return state < 0 ? CQV_AUTHENTICATOR_UNKNOWN : (CqvAuthenticatorState) state;
}

void
cqv_directory_check_visible_async (CqvDirectory *self,
                                   GPtrArray *users,
                                   GCancellable *cancellable,
                                   GAsyncReadyCallback callback,
                                   gpointer user_data)
{
  g_autoptr (GTask) task = NULL;
  VisibleData *data;

  g_return_if_fail (CQV_IS_DIRECTORY (self));
  g_return_if_fail (users != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));
  for (guint i = 0; i < users->len; i++)
    g_return_if_fail (CQV_IS_USER (g_ptr_array_index (users, i)));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, cqv_directory_check_visible_async);

  data = g_new0 (VisibleData, 1);
  data->users = g_ptr_array_new_with_free_func (g_object_unref);
  for (guint i = 0; i < users->len; i++)
    {
      CqvUser *user = g_ptr_array_index (users, i);

      if (cqv_user_get_authenticator (user) != CQV_AUTHENTICATOR_UNKNOWN)
        continue;
      cqv_user_set_authenticator (user, CQV_AUTHENTICATOR_CHECKING);
      g_ptr_array_add (data->users, g_object_ref (user));
    }
  g_task_set_task_data (task, data, (GDestroyNotify) visible_data_free);

  launch_visible_batches (task);
  finish_visible_if_done (task);
}

gboolean
cqv_directory_check_visible_finish (CqvDirectory *self, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (CQV_IS_DIRECTORY (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (
    g_task_get_source_tag (G_TASK (result)) == cqv_directory_check_visible_async, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}
