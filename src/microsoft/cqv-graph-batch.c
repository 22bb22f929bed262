/* SPDX-License-Identifier: GPL-3.0-or-later */

#define G_LOG_DOMAIN "cqv-graph-client"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "cqv-graph-client-private.h"

/* JSON $batch: up to 20 GETs in one POST, each item answered (and throttled) on its own. */

#define BATCH_MAX_WAIT_MS 30000

typedef struct
{
  GPtrArray *urls;
  GPtrArray *results;
  GArray *pending;
  guint *attempts;
} BatchData;

static void send_batch_round (GTask *task);

static void
batch_data_free (BatchData *data)
{
  g_clear_pointer (&data->urls, g_ptr_array_unref);
  g_clear_pointer (&data->results, g_ptr_array_unref);
  g_clear_pointer (&data->pending, g_array_unref);
  g_free (data->attempts);
  g_free (data);
}

static CqvGraphBatchResult *
batch_result_new (guint status)
{
  CqvGraphBatchResult *item = g_new0 (CqvGraphBatchResult, 1);

  item->status = status;
  item->retry_after_ms = -1;
  return item;
}

static gint64
find_retry_after (JsonObject *item)
{
  JsonNode *headers_node = json_object_get_member (item, "headers");
  g_autoptr (GDateTime) now = NULL;
  g_autoptr (GList) names = NULL;
  JsonObject *headers;

  if (headers_node == NULL || !JSON_NODE_HOLDS_OBJECT (headers_node))
    return -1;

  headers = json_node_get_object (headers_node);
  names = json_object_get_members (headers);
  for (GList *l = names; l != NULL; l = l->next)
    {
      const char *value;

      if (g_ascii_strcasecmp (l->data, "Retry-After") != 0)
        continue;
      value = cqv_graph_get_string_member (headers, l->data);
      if (value == NULL)
        return -1;
      now = g_date_time_new_now_utc ();
      return cqv_retry_after_parse_ms (value, now);
    }

  return -1;
}

/* Fills @slots (n_requests long) by id "1".."n_requests"; unknown ids are ignored. */
static gboolean
parse_batch_into (JsonNode *root,
                  guint n_requests,
                  CqvGraphBatchResult **slots,
                  GPtrArray *urls,
                  GError **error)
{
  JsonNode *responses_node = NULL;
  JsonArray *responses;

  if (root != NULL && JSON_NODE_HOLDS_OBJECT (root))
    responses_node = json_object_get_member (json_node_get_object (root), "responses");
  if (responses_node == NULL || !JSON_NODE_HOLDS_ARRAY (responses_node))
    {
      g_set_error_literal (error, CQV_GRAPH_ERROR, CQV_GRAPH_ERROR_MALFORMED,
                           _("Microsoft Graph sent a batch answer that could not be read."));
      return FALSE;
    }

  responses = json_node_get_array (responses_node);
  for (guint i = 0; i < json_array_get_length (responses); i++)
    {
      JsonNode *node = json_array_get_element (responses, i);
      JsonObject *item;
      JsonNode *body;
      const char *id;
      guint64 index = 0;
      gint64 status;
      CqvGraphBatchResult *result;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        continue;
      item = json_node_get_object (node);
      id = cqv_graph_get_string_member (item, "id");
      if (id == NULL || !g_ascii_string_to_unsigned (id, 10, 1, n_requests, &index, NULL) ||
          slots[index - 1] != NULL)
        continue;

      status = json_object_get_int_member_with_default (item, "status", 0);
      result = batch_result_new (status > 0 && status < 1000 ? (guint) status : 0);
      body = json_object_get_member (item, "body");
      if (body != NULL && !JSON_NODE_HOLDS_NULL (body))
        result->body = json_node_copy (body);
      result->retry_after_ms = find_retry_after (item);
      if (result->status < 200 || result->status >= 300)
        cqv_graph_map_error (result->status, result->body,
                             urls != NULL ? g_ptr_array_index (urls, index - 1) : NULL, FALSE,
                             &result->error);
      slots[index - 1] = result;
    }

  return TRUE;
}

static void
set_no_answer (CqvGraphBatchResult *result)
{
  g_set_error_literal (&result->error, CQV_GRAPH_ERROR, CQV_GRAPH_ERROR_MALFORMED,
                       _("Microsoft Graph did not answer this part of the batch request."));
}

static gboolean
batch_retry_cb (gpointer user_data)
{
  GTask *task = user_data;

  if (!g_task_return_error_if_cancelled (task))
    send_batch_round (task);
  return G_SOURCE_REMOVE;
}

static void
schedule_batch_retry (GTask *task, guint delay_ms)
{
  GCancellable *cancellable = g_task_get_cancellable (task);
  g_autoptr (GSource) source = g_timeout_source_new (delay_ms);

  g_source_set_callback (source, batch_retry_cb, g_object_ref (task), g_object_unref);
  if (cancellable != NULL)
    {
      g_autoptr (GSource) cancel_source = g_cancellable_source_new (cancellable);

      /* Wakes the timeout early so a cancel does not wait out the Retry-After. */
      g_source_set_dummy_callback (cancel_source);
      g_source_add_child_source (source, cancel_source);
    }
  g_source_attach (source, g_task_get_context (task));
}

static void
batch_posted_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GTask) task = user_data;
  CqvGraphClient *self = g_task_get_source_object (task);
  BatchData *data = g_task_get_task_data (task);
  guint n = data->urls->len;
  g_autofree CqvGraphBatchResult **slots = g_new0 (CqvGraphBatchResult *, n);
  g_autoptr (GArray) still_pending = g_array_new (FALSE, FALSE, sizeof (guint));
  g_autoptr (JsonNode) root = NULL;
  g_autoptr (GBytes) body = NULL;
  g_autoptr (GError) error = NULL;
  gint64 wait_ms = 0;

  body = cqv_graph_client_request_finish (self, result, NULL, &error);
  if (body != NULL)
    root = cqv_graph_parse_body (body, &error);
  if (root == NULL || !parse_batch_into (root, n, slots, data->urls, &error))
    {
      if (error == NULL)
        g_set_error_literal (&error, CQV_GRAPH_ERROR, CQV_GRAPH_ERROR_MALFORMED,
                             _("Microsoft Graph sent a batch answer that could not be read."));
      for (guint i = 0; i < n; i++)
        g_clear_pointer (&slots[i], cqv_graph_batch_result_free);
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  for (guint k = 0; k < data->pending->len; k++)
    {
      guint i = g_array_index (data->pending, guint, k);
      CqvGraphBatchResult *item = g_steal_pointer (&slots[i]);
      gboolean retryable = item == NULL || cqv_http_status_is_retryable (item->status);

      data->attempts[i]++;
      if (retryable && data->attempts[i] < cqv_graph_client_get_batch_max_attempts (self))
        {
          gint64 item_wait = item != NULL ? item->retry_after_ms : -1;

          if (item_wait < 0)
            item_wait = 500 * (1 << MIN (data->attempts[i], 6));
          wait_ms = MAX (wait_ms, item_wait);
          g_array_append_val (still_pending, i);
          g_clear_pointer (&item, cqv_graph_batch_result_free);
          continue;
        }

      if (item == NULL)
        {
          item = batch_result_new (0);
          set_no_answer (item);
        }
      g_clear_pointer (&g_ptr_array_index (data->results, i), cqv_graph_batch_result_free);
      g_ptr_array_index (data->results, i) = item;
    }

  /* Answers for ids we did not ask about this round are dropped. */
  for (guint i = 0; i < n; i++)
    g_clear_pointer (&slots[i], cqv_graph_batch_result_free);

  if (still_pending->len == 0)
    {
      g_task_return_pointer (task, g_ptr_array_ref (data->results),
                             (GDestroyNotify) g_ptr_array_unref);
      return;
    }

  g_debug ("Retrying %u batch items in %" G_GINT64_FORMAT " ms", still_pending->len, wait_ms);
  g_array_unref (data->pending);
  data->pending = g_steal_pointer (&still_pending);
  schedule_batch_retry (task, (guint) MIN (wait_ms, BATCH_MAX_WAIT_MS));
}

static void
send_batch_round (GTask *task)
{
  CqvGraphClient *self = g_task_get_source_object (task);
  BatchData *data = g_task_get_task_data (task);
  g_autoptr (JsonBuilder) builder = json_builder_new ();
  g_autoptr (JsonNode) body = NULL;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "requests");
  json_builder_begin_array (builder);
  for (guint k = 0; k < data->pending->len; k++)
    {
      guint i = g_array_index (data->pending, guint, k);
      g_autofree char *id = g_strdup_printf ("%u", i + 1);

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "id");
      json_builder_add_string_value (builder, id);
      json_builder_set_member_name (builder, "method");
      json_builder_add_string_value (builder, "GET");
      json_builder_set_member_name (builder, "url");
      json_builder_add_string_value (builder, g_ptr_array_index (data->urls, i));
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  json_builder_end_object (builder);
  body = json_builder_get_root (builder);

  cqv_graph_client_request_async (self, "POST", "/v1.0/$batch", body, g_task_get_cancellable (task),
                                  batch_posted_cb, g_object_ref (task));
}

void
cqv_graph_batch_result_free (CqvGraphBatchResult *result)
{
  if (result == NULL)
    return;
  g_clear_pointer (&result->body, json_node_unref);
  g_clear_error (&result->error);
  g_free (result);
}

GPtrArray *
cqv_graph_batch_parse_response (JsonNode *root, guint n_requests, GError **error)
{
  g_autofree CqvGraphBatchResult **slots = g_new0 (CqvGraphBatchResult *, MAX (n_requests, 1));
  GPtrArray *results;

  if (!parse_batch_into (root, n_requests, slots, NULL, error))
    return NULL;

  results = g_ptr_array_new_full (n_requests, (GDestroyNotify) cqv_graph_batch_result_free);
  for (guint i = 0; i < n_requests; i++)
    {
      if (slots[i] == NULL)
        {
          slots[i] = batch_result_new (0);
          set_no_answer (slots[i]);
        }
      g_ptr_array_add (results, slots[i]);
    }

  return results;
}

void
cqv_graph_client_batch_async (CqvGraphClient *self,
                              GPtrArray *relative_urls,
                              GCancellable *cancellable,
                              GAsyncReadyCallback callback,
                              gpointer user_data)
{
  g_autoptr (GTask) task = NULL;
  BatchData *data;

  g_return_if_fail (CQV_IS_GRAPH_CLIENT (self));
  g_return_if_fail (relative_urls != NULL);
  g_return_if_fail (relative_urls->len > 0 && relative_urls->len <= CQV_GRAPH_BATCH_MAX);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, cqv_graph_client_batch_async);

  data = g_new0 (BatchData, 1);
  data->urls = g_ptr_array_new_full (relative_urls->len, g_free);
  data->results =
    g_ptr_array_new_full (relative_urls->len, (GDestroyNotify) cqv_graph_batch_result_free);
  data->pending = g_array_sized_new (FALSE, FALSE, sizeof (guint), relative_urls->len);
  data->attempts = g_new0 (guint, relative_urls->len);
  for (guint i = 0; i < relative_urls->len; i++)
    {
      g_ptr_array_add (data->urls, g_strdup (g_ptr_array_index (relative_urls, i)));
      g_ptr_array_add (data->results, NULL);
      g_array_append_val (data->pending, i);
    }
  g_task_set_task_data (task, data, (GDestroyNotify) batch_data_free);

  send_batch_round (task);
}

GPtrArray *
cqv_graph_client_batch_finish (CqvGraphClient *self, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (CQV_IS_GRAPH_CLIENT (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == cqv_graph_client_batch_async,
                        NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
