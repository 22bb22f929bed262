/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cqv-tenant-transfer"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>
#include <string.h>

#include "cqv-tenant-store-private.h"
#include "cqv-tenant-transfer.h"

/* The tenant list as JSON, so that a second technician can be set up: what tenants.ini holds
 * and nothing else — never a secret; import asks for each secret afterwards. Entries are
 * checked by the tenant store's own rules (cqv_tenant_store_check_tenant), so that whatever
 * import accepts, cqv_tenant_store_add() accepts too. */

/* json-glib parses recursively; a file of a million "[" must not reach it. */
#define MAX_DEPTH 16

#define KEY_FORMAT "format"
#define KEY_VERSION "version"
#define KEY_TENANTS "tenants"
#define KEY_NAME "name"
#define KEY_TENANT_ID "tenant_id"
#define KEY_CLIENT_ID "client_id"
#define KEY_CLOUD "cloud"
#define KEY_LOGIN_URL "login_url"
#define KEY_GRAPH_URL "graph_url"
#define KEY_MFA_URL "mfa_url"

/* clang-format off */
G_DEFINE_QUARK (cqv-tenant-transfer-error-quark, cqv_tenant_transfer_error)
/* clang-format on */

static void
add_member (JsonBuilder *builder, const char *name, const char *value)
{
  if (value == NULL)
    return;

  json_builder_set_member_name (builder, name);
  json_builder_add_string_value (builder, value);
}

/* Brackets nest no deeper than MAX_DEPTH, strings and escapes skipped. */
static gboolean
depth_is_sane (const char *data, gsize length)
{
  gboolean in_string = FALSE;
  guint depth = 0;

  for (gsize i = 0; i < length; i++)
    {
      char c = data[i];

      if (in_string)
        {
          if (c == '\\')
            i++;
          else if (c == '"')
            in_string = FALSE;
        }
      else if (c == '"')
        in_string = TRUE;
      else if (c == '[' || c == '{')
        {
          if (++depth > MAX_DEPTH)
            return FALSE;
        }
      else if ((c == ']' || c == '}') && depth > 0)
        depth--;
    }

  return TRUE;
}

static CqvTenantImportProblem *
problem_new (guint index, CqvTenantImportProblemKind kind, const char *name, char *message)
{
  CqvTenantImportProblem *problem = g_new0 (CqvTenantImportProblem, 1);

  problem->index = index;
  problem->kind = kind;
  problem->name = g_strdup (name);
  problem->message = message;

  return problem;
}

/* Reads an optional string member into @value (NULL when missing, null or empty). */
static gboolean
read_string (JsonObject *object, const char *key, const char **value, char **message)
{
  JsonNode *node = json_object_get_member (object, key);

  *value = NULL;
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return TRUE;

  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    {
      *message = g_strdup_printf (_("“%s” must be text."), key);
      return FALSE;
    }

  *value = json_node_get_string (node);
  if (**value == '\0')
    *value = NULL;

  return TRUE;
}

/* One entry as a tenant, or NULL with a message (and the entry's name when it has one). */
static CqvTenant *
read_entry (JsonNode *node, char **name_out, char **message)
{
  enum
  {
    NAME,
    TENANT_ID,
    CLIENT_ID,
    CLOUD,
    LOGIN_URL,
    GRAPH_URL,
    MFA_URL,
    N_KEYS
  };
  static const char *keys[N_KEYS] = { KEY_NAME,      KEY_TENANT_ID, KEY_CLIENT_ID, KEY_CLOUD,
                                      KEY_LOGIN_URL, KEY_GRAPH_URL, KEY_MFA_URL };
  const char *values[N_KEYS] = { NULL };
  g_autoptr (CqvTenant) tenant = NULL;
  g_autoptr (GError) error = NULL;
  CqvCloud cloud = CQV_CLOUD_GLOBAL;
  JsonObject *object;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      *message = g_strdup (_("The entry is not a tenant (a JSON object)."));
      return NULL;
    }

  object = json_node_get_object (node);
  for (guint i = 0; i < N_KEYS; i++)
    {
      if (!read_string (object, keys[i], &values[i], message))
        return NULL;
    }
  *name_out = g_strdup (values[NAME]);

  if (values[CLOUD] != NULL && !cqv_cloud_from_string (values[CLOUD], &cloud))
    {
      *message = g_strdup_printf (_("Unknown cloud “%s” (use global, usgov, usgov-dod or china)."),
                                     values[CLOUD]);
      return NULL;
    }

  /* cqv_tenant_new() wants text; a missing field is the store's to report. */
  tenant =
    cqv_tenant_new (values[NAME] ? values[NAME] : "", values[TENANT_ID] ? values[TENANT_ID] : "",
                    values[CLIENT_ID] ? values[CLIENT_ID] : "", cloud);
  cqv_tenant_set_login_url (tenant, values[LOGIN_URL]);
  cqv_tenant_set_graph_url (tenant, values[GRAPH_URL]);
  cqv_tenant_set_mfa_url (tenant, values[MFA_URL]);

  if (!cqv_tenant_store_check_tenant (tenant, &error))
    {
      *message = g_strdup (error->message);
      return NULL;
    }

  return g_steal_pointer (&tenant);
}

static gboolean
same_app (CqvTenant *a, CqvTenant *b)
{
  return g_ascii_strcasecmp (cqv_tenant_get_tenant_id (a), cqv_tenant_get_tenant_id (b)) == 0 &&
         g_ascii_strcasecmp (cqv_tenant_get_client_id (a), cqv_tenant_get_client_id (b)) == 0;
}

/* A message when @tenant clashes with @other, else NULL. */
static char *
clash_message (CqvTenant *tenant, CqvTenant *other)
{
  if (cqv_tenant_store_names_equal (cqv_tenant_get_name (tenant), cqv_tenant_get_name (other)))
    return g_strdup_printf (_("A tenant called “%s” already exists."),
                               cqv_tenant_get_name (other));

  if (same_app (tenant, other))
    return g_strdup_printf (_("“%s” already uses this tenant ID and client ID."),
                               cqv_tenant_get_name (other));

  return NULL;
}

static char *
find_clash (CqvTenant *tenant, GListModel *existing, GPtrArray *accepted)
{
  guint n = existing != NULL ? g_list_model_get_n_items (existing) : 0;

  for (guint i = 0; i < n; i++)
    {
      g_autoptr (CqvTenant) other = g_list_model_get_item (existing, i);
      char *message = clash_message (tenant, other);

      if (message != NULL)
        return message;
    }

  for (guint i = 0; i < accepted->len; i++)
    {
      char *message = clash_message (tenant, g_ptr_array_index (accepted, i));

      if (message != NULL)
        return message;
    }

  return NULL;
}

/* The "tenants" array of a well-formed header, or NULL with an error. */
static JsonArray *
read_header (JsonNode *root, GError **error)
{
  JsonObject *object;
  JsonNode *format;
  JsonNode *version;
  JsonNode *tenants;

  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    goto not_ours;

  object = json_node_get_object (root);
  format = json_object_get_member (object, KEY_FORMAT);
  if (format == NULL || !JSON_NODE_HOLDS_VALUE (format) ||
      json_node_get_value_type (format) != G_TYPE_STRING ||
      g_strcmp0 (json_node_get_string (format), CQV_TENANT_TRANSFER_FORMAT) != 0)
    goto not_ours;

  version = json_object_get_member (object, KEY_VERSION);
  if (version == NULL || !JSON_NODE_HOLDS_VALUE (version) ||
      json_node_get_value_type (version) != G_TYPE_INT64 || json_node_get_int (version) < 1)
    goto not_ours;

  if (json_node_get_int (version) > CQV_TENANT_TRANSFER_VERSION)
    {
      /* The number as a string: a G_GINT64_FORMAT inside _() would cut the msgid short. */
      g_autofree char *number = g_strdup_printf ("%" G_GINT64_FORMAT, json_node_get_int (version));

      g_set_error (error, CQV_TENANT_TRANSFER_ERROR, CQV_TENANT_TRANSFER_ERROR_VERSION,
                   _("This tenant list was made by a newer version of CyberQP Verify (format "
                     "version %s). Update the app to import it."),
                      number);
      return NULL;
    }

  tenants = json_object_get_member (object, KEY_TENANTS);
  if (tenants == NULL || !JSON_NODE_HOLDS_ARRAY (tenants))
    goto not_ours;

  return json_node_get_array (tenants);

not_ours:
  g_set_error_literal (error, CQV_TENANT_TRANSFER_ERROR, CQV_TENANT_TRANSFER_ERROR_FORMAT,
                       _("The file is not a CyberQP Verify tenant list."));
  return NULL;
}

void
cqv_tenant_import_problem_free (CqvTenantImportProblem *problem)
{
  if (problem == NULL)
    return;

  g_free (problem->name);
  g_free (problem->message);
  g_free (problem);
}

/**
 * cqv_tenant_transfer_export:
 * @tenants: a #GListModel of #CqvTenant
 * @length: (out) (optional): the length of the text
 *
 * Returns: (transfer full): the tenant list as JSON; it holds no secret
 */
char *
cqv_tenant_transfer_export (GListModel *tenants, gsize *length)
{
  g_autoptr (JsonBuilder) builder = json_builder_new ();
  g_autoptr (JsonGenerator) generator = json_generator_new ();
  g_autoptr (JsonNode) root = NULL;
  guint n;

  g_return_val_if_fail (G_IS_LIST_MODEL (tenants), NULL);

  json_builder_begin_object (builder);
  add_member (builder, KEY_FORMAT, CQV_TENANT_TRANSFER_FORMAT);
  json_builder_set_member_name (builder, KEY_VERSION);
  json_builder_add_int_value (builder, CQV_TENANT_TRANSFER_VERSION);
  json_builder_set_member_name (builder, KEY_TENANTS);
  json_builder_begin_array (builder);

  n = g_list_model_get_n_items (tenants);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr (CqvTenant) tenant = g_list_model_get_item (tenants, i);

      /* A demo tenant points at this computer's simulator: meaningless elsewhere. */
      if (cqv_tenant_get_demo (tenant))
        continue;

      json_builder_begin_object (builder);
      add_member (builder, KEY_NAME, cqv_tenant_get_name (tenant));
      add_member (builder, KEY_TENANT_ID, cqv_tenant_get_tenant_id (tenant));
      add_member (builder, KEY_CLIENT_ID, cqv_tenant_get_client_id (tenant));
      add_member (builder, KEY_CLOUD, cqv_cloud_to_string (cqv_tenant_get_cloud (tenant)));
      add_member (builder, KEY_LOGIN_URL, cqv_tenant_get_login_url (tenant));
      add_member (builder, KEY_GRAPH_URL, cqv_tenant_get_graph_url (tenant));
      add_member (builder, KEY_MFA_URL, cqv_tenant_get_mfa_url (tenant));
      json_builder_end_object (builder);
    }

  json_builder_end_array (builder);
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  json_generator_set_pretty (generator, TRUE);
  json_generator_set_indent (generator, 2);

  return json_generator_to_data (generator, length);
}

/**
 * cqv_tenant_transfer_import:
 * @data: the file's contents
 * @length: their length in bytes
 * @existing: (nullable): a #GListModel of the #CqvTenant already configured
 * @tenants: (out) (transfer full) (element-type CqvTenant): the tenants to add
 * @problems: (out) (transfer full) (element-type CqvTenantImportProblem): entries left out
 * @error: a #CqvTenantTransferError when the file as a whole cannot be read
 *
 * Returns: %TRUE when the file was read (even if every entry has a problem)
 */
gboolean
cqv_tenant_transfer_import (const char *data,
                            gsize length,
                            GListModel *existing,
                            GPtrArray **tenants,
                            GPtrArray **problems,
                            GError **error)
{
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_autoptr (GPtrArray) accepted = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr (GPtrArray) refused =
    g_ptr_array_new_with_free_func ((GDestroyNotify) cqv_tenant_import_problem_free);
  JsonArray *entries;

  g_return_val_if_fail (data != NULL || length == 0, FALSE);
  g_return_val_if_fail (existing == NULL || G_IS_LIST_MODEL (existing), FALSE);
  g_return_val_if_fail (tenants != NULL, FALSE);
  g_return_val_if_fail (problems != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (length > CQV_TENANT_TRANSFER_MAX_SIZE)
    {
      g_set_error_literal (error, CQV_TENANT_TRANSFER_ERROR, CQV_TENANT_TRANSFER_ERROR_PARSE,
                           _("The file is too large to be a tenant list."));
      return FALSE;
    }

  /* Also refuses a NUL byte inside the text. */
  if (length == 0 || !g_utf8_validate_len (data, length, NULL) || !depth_is_sane (data, length) ||
      !json_parser_load_from_data (parser, data, (gssize) length, NULL))
    {
      g_set_error_literal (error, CQV_TENANT_TRANSFER_ERROR, CQV_TENANT_TRANSFER_ERROR_PARSE,
                           _("The file is not a readable tenant list (JSON)."));
      return FALSE;
    }

  entries = read_header (json_parser_get_root (parser), error);
  if (entries == NULL)
    return FALSE;

  for (guint i = 0; i < json_array_get_length (entries); i++)
    {
      g_autofree char *name = NULL;
      char *message = NULL;
      g_autoptr (CqvTenant) tenant =
        read_entry (json_array_get_element (entries, i), &name, &message);

      if (tenant == NULL)
        {
          g_ptr_array_add (refused, problem_new (i, CQV_TENANT_IMPORT_INVALID, name, message));
          continue;
        }

      message = find_clash (tenant, existing, accepted);
      if (message != NULL)
        {
          g_ptr_array_add (refused, problem_new (i, CQV_TENANT_IMPORT_DUPLICATE, name, message));
          continue;
        }

      g_ptr_array_add (accepted, g_steal_pointer (&tenant));
    }

  *tenants = g_steal_pointer (&accepted);
  *problems = g_steal_pointer (&refused);
  return TRUE;
}
