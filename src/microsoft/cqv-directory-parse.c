/* SPDX-License-Identifier: GPL-3.0-or-later */

#define G_LOG_DOMAIN "cqv-directory"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "cqv-directory-private.h"

/* Reading Graph's pages into CqvUser objects and registration ids; runs on worker threads. */

#define PUSH_METHOD "microsoftAuthenticatorPush"

void
cqv_users_page_free (CqvUsersPage *page)
{
  if (page == NULL)
    return;
  g_clear_object (&page->load_task);
  g_free (page->url);
  g_free (page->early_link);
  g_clear_pointer (&page->body, g_bytes_unref);
  g_clear_pointer (&page->users, g_ptr_array_unref);
  g_clear_pointer (&page->upn_keys, g_ptr_array_unref);
  g_free (page->next_link);
  g_free (page);
}

void
cqv_report_page_free (CqvReportPage *page)
{
  g_clear_pointer (&page->body, g_bytes_unref);
  g_clear_pointer (&page->ids, g_ptr_array_unref);
  g_free (page->next_link);
  g_free (page);
}

static const char *
get_string_member (JsonObject *object, const char *name)
{
  JsonNode *node = json_object_get_member (object, name);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

JsonArray *
cqv_directory_get_value_array (JsonNode *root)
{
  JsonNode *value = json_object_get_member (json_node_get_object (root), "value");

  if (value == NULL || !JSON_NODE_HOLDS_ARRAY (value))
    return NULL;
  return json_node_get_array (value);
}

static char *
dup_next_link (JsonNode *root)
{
  return g_strdup (get_string_member (json_node_get_object (root), "@odata.nextLink"));
}

/* Graph puts @odata.nextLink before or after "value". Finding it without parsing the page lets
 * the next request go out while this page is parsed. NULL when not found or not plain; the
 * parsed value is checked against this one. */
char *
cqv_directory_find_next_link (GBytes *body)
{
  static const char key[] = "\"@odata.nextLink\"";
  g_autoptr (GString) link = g_string_new (NULL);
  gsize size = 0;
  const char *data = g_bytes_get_data (body, &size);
  gsize window = MIN (size, 4096);
  const char *end = data + size;
  const char *p;

  if (data == NULL)
    return NULL;
  p = g_strstr_len (data + size - window, window, key);
  if (p == NULL)
    p = g_strstr_len (data, window, key);
  if (p == NULL)
    return NULL;

  for (p += strlen (key); p < end && g_ascii_isspace (*p); p++)
    ;
  if (p >= end || *p++ != ':')
    return NULL;
  for (; p < end && g_ascii_isspace (*p); p++)
    ;
  if (p >= end || *p++ != '"')
    return NULL;

  for (; p < end && *p != '"'; p++)
    {
      if ((guchar) *p < 0x20)
        return NULL;
      if (*p != '\\')
        {
          g_string_append_c (link, *p);
          continue;
        }
      if (++p >= end)
        return NULL;
      if (*p == '/' || *p == '\\' || *p == '"')
        g_string_append_c (link, *p);
      else
        return NULL;
    }
  if (p >= end || link->len == 0)
    return NULL;

  return g_string_free (g_steal_pointer (&link), FALSE);
}

static CqvUserSource
parse_source (JsonObject *object)
{
  JsonNode *node = json_object_get_member (object, "onPremisesSyncEnabled");

  if (node == NULL || JSON_NODE_HOLDS_NULL (node) || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_BOOLEAN)
    return CQV_USER_SOURCE_CLOUD;
  return json_node_get_boolean (node) ? CQV_USER_SOURCE_SYNCED : CQV_USER_SOURCE_FORMERLY_SYNCED;
}

static CqvUser *
parse_user (JsonObject *object, CqvAuthenticatorState initial_state)
{
  const char *id = get_string_member (object, "id");
  const char *upn = get_string_member (object, "userPrincipalName");
  const char *display_name = get_string_member (object, "displayName");
  const char *user_type = get_string_member (object, "userType");
  JsonNode *enabled = json_object_get_member (object, "accountEnabled");
  CqvUser *user;

  if (id == NULL || *id == '\0' || upn == NULL || *upn == '\0')
    return NULL;

  user = cqv_user_new_full (id, display_name != NULL ? display_name : "", upn,
                            get_string_member (object, "mail"));
  cqv_user_set_job_title (user, get_string_member (object, "jobTitle"));
  cqv_user_set_department (user, get_string_member (object, "department"));
  cqv_user_set_user_type (user,
                          g_ascii_strcasecmp (user_type != NULL ? user_type : "", "Guest") == 0
                            ? CQV_USER_TYPE_GUEST
                            : CQV_USER_TYPE_MEMBER);
  cqv_user_set_source (user, parse_source (object));
  /* Graph always sends accountEnabled when it is in $select. */
  if (enabled != NULL && JSON_NODE_HOLDS_VALUE (enabled) &&
      json_node_get_value_type (enabled) == G_TYPE_BOOLEAN)
    cqv_user_set_enabled (user, json_node_get_boolean (enabled));
  else
    cqv_user_set_enabled (user, TRUE);
  cqv_user_set_authenticator (user, initial_state);
  /* Computed here, off the main thread, before anyone else can see the user. */
  (void) cqv_user_get_search_key (user);

  return user;
}

void
cqv_directory_parse_users_page_thread (GTask *task,
                                       gpointer source_object,
                                       gpointer task_data,
                                       GCancellable *cancellable)
{
  CqvUsersPage *page = task_data;
  g_autoptr (JsonNode) root = NULL;
  g_autoptr (GError) error = NULL;
  JsonArray *values;
  guint n;

  cqv_directory_count_page_parsed (page->directory);

  root = cqv_graph_parse_body (page->body, &error);
  if (root == NULL || (values = cqv_directory_get_value_array (root)) == NULL)
    {
      if (error == NULL)
        g_set_error_literal (&error, CQV_GRAPH_ERROR, CQV_GRAPH_ERROR_MALFORMED,
                             _("Microsoft Graph sent a list of users that could not be read."));
      cqv_users_page_free (page);
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  n = json_array_get_length (values);
  page->users = g_ptr_array_new_full (n, g_object_unref);
  page->upn_keys = g_ptr_array_new_full (n, g_free);
  for (guint i = 0; i < n; i++)
    {
      JsonNode *node = json_array_get_element (values, i);
      CqvUser *user = NULL;

      if (JSON_NODE_HOLDS_OBJECT (node))
        user = parse_user (json_node_get_object (node), page->initial_state);
      if (user == NULL)
        {
          page->skipped++;
          continue;
        }
      g_ptr_array_add (page->users, user);
      g_ptr_array_add (page->upn_keys, g_utf8_casefold (cqv_user_get_upn (user), -1));
    }

  if (page->skipped > 0)
    g_debug ("Skipped %u users without id or userPrincipalName", page->skipped);

  page->next_link = dup_next_link (root);
  g_clear_pointer (&page->body, g_bytes_unref);
  g_task_return_pointer (task, page, (GDestroyNotify) cqv_users_page_free);
}

static gboolean
report_item_has_push (JsonObject *object)
{
  JsonNode *methods = json_object_get_member (object, "methodsRegistered");
  JsonArray *array;

  /* The $filter asked for push users only; check anyway when the list is there. */
  if (methods == NULL || !JSON_NODE_HOLDS_ARRAY (methods))
    return TRUE;

  array = json_node_get_array (methods);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *node = json_array_get_element (array, i);

      if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING &&
          g_strcmp0 (json_node_get_string (node), PUSH_METHOD) == 0)
        return TRUE;
    }
  return FALSE;
}

void
cqv_directory_parse_report_page_thread (GTask *task,
                                        gpointer source_object,
                                        gpointer task_data,
                                        GCancellable *cancellable)
{
  CqvReportPage *page = task_data;
  g_autoptr (JsonNode) root = NULL;
  g_autoptr (GError) error = NULL;
  JsonArray *values;

  root = cqv_graph_parse_body (page->body, &error);
  if (root == NULL || (values = cqv_directory_get_value_array (root)) == NULL)
    {
      if (error == NULL)
        g_set_error_literal (&error, CQV_GRAPH_ERROR, CQV_GRAPH_ERROR_MALFORMED,
                             _("Microsoft Graph sent a registration report that could not be "
                               "read."));
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  page->ids = g_ptr_array_new_with_free_func (g_free);
  for (guint i = 0; i < json_array_get_length (values); i++)
    {
      JsonNode *node = json_array_get_element (values, i);
      const char *id;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        continue;
      id = get_string_member (json_node_get_object (node), "id");
      if (id != NULL && report_item_has_push (json_node_get_object (node)))
        g_ptr_array_add (page->ids, g_strdup (id));
    }

  page->next_link = dup_next_link (root);
  g_clear_pointer (&page->body, g_bytes_unref);
  g_task_return_boolean (task, TRUE);
}
