/* SPDX-License-Identifier: GPL-3.0-or-later */

#define G_LOG_DOMAIN "cqv-tenant-store"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "cqv-endpoint.h"
#include "cqv-tenant-store-private.h"

/* tenants.ini: one GKeyFile group per tenant. Group names are ours ("tenant-1", "tenant-2", …,
 * rewritten on every save) so that a tenant's name, which may hold "[", "]", "=" or anything
 * else, only ever appears as an escaped value. The file never holds a secret.
 *
 * GKeyFile's errors carry no line numbers, so before handing the text to GKeyFile we scan it
 * with GKeyFile's own line rules and remember where each group and key is; errors name that
 * line. A file that fails either the scan or validation loads nothing and makes the store
 * read-only, so that we never overwrite what the user may want to repair. */

/* Where each group ("group") and key ("group\nkey") was seen, 1-based. */
typedef struct
{
  GHashTable *lines;
} LineMap;

static int
compare_tenant_ptrs (gconstpointer a, gconstpointer b)
{
  return cqv_tenant_store_compare (*(CqvTenant **) a, *(CqvTenant **) b, NULL);
}

#define KEY_NAME "name"
#define KEY_TENANT_ID "tenant-id"
#define KEY_CLIENT_ID "client-id"
#define KEY_CLOUD "cloud"
#define KEY_LOGIN_URL "login-url"
#define KEY_GRAPH_URL "graph-url"
#define KEY_MFA_URL "mfa-url"

static char *
fold_name (const char *name)
{
  g_autofree char *normalized = g_utf8_normalize (name, -1, G_NORMALIZE_ALL);

  return g_utf8_casefold (normalized != NULL ? normalized : name, -1);
}

gboolean
cqv_tenant_store_names_equal (const char *a, const char *b)
{
  g_autofree char *fa = fold_name (a);
  g_autofree char *fb = fold_name (b);

  return strcmp (fa, fb) == 0;
}

int
cqv_tenant_store_compare (gconstpointer a, gconstpointer b, gpointer user_data)
{
  const char *name_a = cqv_tenant_get_name ((CqvTenant *) a);
  const char *name_b = cqv_tenant_get_name ((CqvTenant *) b);
  g_autofree char *fa = fold_name (name_a);
  g_autofree char *fb = fold_name (name_b);
  int result = g_utf8_collate (fa, fb);

  return result != 0 ? result : strcmp (name_a, name_b);
}

static gboolean
is_guid (const char *text)
{
  if (strlen (text) != 36)
    return FALSE;

  for (guint i = 0; i < 36; i++)
    {
      if (i == 8 || i == 13 || i == 18 || i == 23)
        {
          if (text[i] != '-')
            return FALSE;
        }
      else if (!g_ascii_isxdigit (text[i]))
        return FALSE;
    }

  return TRUE;
}

/* contoso.onmicrosoft.com: dotted labels of letters, digits and inner hyphens. */
static gboolean
is_domain_name (const char *text)
{
  g_auto (GStrv) labels = NULL;

  if (strlen (text) > 253 || strchr (text, '.') == NULL)
    return FALSE;

  labels = g_strsplit (text, ".", -1);
  for (guint i = 0; labels[i] != NULL; i++)
    {
      gsize len = strlen (labels[i]);

      if (len == 0 || len > 63 || labels[i][0] == '-' || labels[i][len - 1] == '-')
        return FALSE;
      for (gsize j = 0; j < len; j++)
        {
          if (!g_ascii_isalnum (labels[i][j]) && labels[i][j] != '-')
            return FALSE;
        }
    }

  return TRUE;
}

static gboolean
has_control_chars (const char *text)
{
  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    {
      if (g_unichar_iscntrl (g_utf8_get_char (p)))
        return TRUE;
    }

  return FALSE;
}

static void
set_invalid (GError **error, const char *message)
{
  g_set_error_literal (error, CQV_TENANT_STORE_ERROR, CQV_TENANT_STORE_ERROR_INVALID, message);
}

/* One field against its rules; @value may be NULL (missing). Messages name no line. */
static gboolean
check_field (const char *key, const char *value, GError **error)
{
  g_autoptr (GError) local_error = NULL;

  if (value != NULL && !g_utf8_validate (value, -1, NULL))
    {
      set_invalid (error, _("The tenant has text that is not valid UTF-8."));
      return FALSE;
    }

  if (g_str_equal (key, KEY_NAME))
    {
      g_autofree char *stripped = g_strstrip (g_strdup (value != NULL ? value : ""));

      if (*stripped == '\0')
        set_invalid (error, _("The tenant has no name."));
      else if (has_control_chars (value))
        set_invalid (error,
                     _("The tenant name must not contain line breaks or control characters."));
      else
        return TRUE;
      return FALSE;
    }

  if (g_str_equal (key, KEY_TENANT_ID))
    {
      if (value == NULL || *value == '\0')
        set_invalid (error, _("The tenant has no tenant ID."));
      else if (!is_guid (value) && !is_domain_name (value))
        set_invalid (
          error,
          _("The tenant ID must be a GUID (such as 00000000-0000-0000-0000-000000000000) or a domain name (such as contoso.onmicrosoft.com)."));
      else
        return TRUE;
      return FALSE;
    }

  if (g_str_equal (key, KEY_CLIENT_ID))
    {
      if (value == NULL || *value == '\0')
        set_invalid (error, _("The tenant has no client ID."));
      else if (!is_guid (value))
        set_invalid (
          error,
          _("The client ID must be a GUID (such as 00000000-0000-0000-0000-000000000000)."));
      else
        return TRUE;
      return FALSE;
    }

  /* An endpoint override; unset is fine. */
  if (value != NULL && !cqv_endpoint_validate (value, &local_error))
    {
      g_set_error (error, CQV_TENANT_STORE_ERROR, CQV_TENANT_STORE_ERROR_INVALID, "%s: %s", key,
                   local_error->message);
      return FALSE;
    }

  return TRUE;
}

gboolean
cqv_tenant_store_check_tenant (CqvTenant *tenant, GError **error)
{
  struct
  {
    const char *key;
    const char *value;
  } fields[] = {
    { KEY_NAME, cqv_tenant_get_name (tenant) },
    { KEY_TENANT_ID, cqv_tenant_get_tenant_id (tenant) },
    { KEY_CLIENT_ID, cqv_tenant_get_client_id (tenant) },
    { KEY_LOGIN_URL, cqv_tenant_get_login_url (tenant) },
    { KEY_GRAPH_URL, cqv_tenant_get_graph_url (tenant) },
    { KEY_MFA_URL, cqv_tenant_get_mfa_url (tenant) },
  };

  for (guint i = 0; i < G_N_ELEMENTS (fields); i++)
    {
      if (!check_field (fields[i].key, fields[i].value, error))
        return FALSE;
    }

  return TRUE;
}

static void
line_map_clear (LineMap *map)
{
  g_clear_pointer (&map->lines, g_hash_table_unref);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (LineMap, line_map_clear)

static guint
line_map_get (LineMap *map, const char *group, const char *key)
{
  g_autofree char *id = key != NULL ? g_strdup_printf ("%s\n%s", group, key) : g_strdup (group);

  return GPOINTER_TO_UINT (g_hash_table_lookup (map->lines, id));
}

static void
set_line_error (GError **error, int code, const char *path, guint line, const char *reason)
{
  g_autofree char *display = g_filename_display_name (path);

  g_set_error (error, CQV_TENANT_STORE_ERROR, code, _("%s line %u: %s"), display, line, reason);
}

/* GKeyFile's group-name rule: not empty, no brackets, no control characters. */
static gboolean
is_group_name (const char *name)
{
  return *name != '\0' && strpbrk (name, "[]") == NULL && !has_control_chars (name);
}

/* GKeyFile's key-name rule (g_key_file_is_key_name), locale suffix included. */
static gboolean
is_key_name (const char *key)
{
  gsize len = strlen (key);

  return len > 0 && key[0] != ' ' && key[len - 1] != ' ' && strchr (key, '=') == NULL &&
         !has_control_chars (key);
}

static gboolean
scan_line (LineMap *map,
           const char *line,
           guint number,
           char **group,
           const char *path,
           GError **error)
{
  const char *eq;

  while (*line == ' ' || *line == '\t')
    line++;

  if (*line == '\0' || *line == '#')
    return TRUE;

  if (*line == '[')
    {
      const char *close = strchr (line, ']');
      g_autofree char *name = NULL;
      guint first;

      if (close == NULL || close[1 + strspn (close + 1, " \t")] != '\0')
        {
          set_line_error (error, CQV_TENANT_STORE_ERROR_PARSE, path, number,
                          _("a group header must be a name in brackets, such as [tenant-1]."));
          return FALSE;
        }
      name = g_strndup (line + 1, close - line - 1);
      if (!is_group_name (name))
        {
          set_line_error (error, CQV_TENANT_STORE_ERROR_PARSE, path, number,
                          _("this group name is not allowed."));
          return FALSE;
        }
      first = line_map_get (map, name, NULL);
      if (first != 0)
        {
          g_autofree char *reason =
            g_strdup_printf (_("the group [%s] already appeared on line %u."), name, first);

          set_line_error (error, CQV_TENANT_STORE_ERROR_PARSE, path, number, reason);
          return FALSE;
        }
      g_hash_table_insert (map->lines, g_strdup (name), GUINT_TO_POINTER (number));
      g_free (*group);
      *group = g_steal_pointer (&name);
      return TRUE;
    }

  eq = strchr (line, '=');
  if (eq != NULL && eq != line)
    {
      g_autofree char *key = g_strchomp (g_strndup (line, eq - line));
      g_autofree char *id = NULL;

      if (*group == NULL)
        {
          set_line_error (error, CQV_TENANT_STORE_ERROR_PARSE, path, number,
                          _("a key comes before the first group header."));
          return FALSE;
        }
      if (!is_key_name (key))
        {
          set_line_error (error, CQV_TENANT_STORE_ERROR_PARSE, path, number,
                          _("this key name is not allowed."));
          return FALSE;
        }
      id = g_strdup_printf ("%s\n%s", *group, key);
      if (g_hash_table_contains (map->lines, id))
        {
          g_autofree char *reason =
            g_strdup_printf (_("the key “%s” appears twice in this group."), key);

          set_line_error (error, CQV_TENANT_STORE_ERROR_PARSE, path, number, reason);
          return FALSE;
        }
      g_hash_table_insert (map->lines, g_steal_pointer (&id), GUINT_TO_POINTER (number));
      return TRUE;
    }

  set_line_error (error, CQV_TENANT_STORE_ERROR_PARSE, path, number,
                  _("this line is not a [group] header, a key=value pair or a # comment."));
  return FALSE;
}

static gboolean
scan_contents (LineMap *map, const char *contents, gsize length, const char *path, GError **error)
{
  g_autofree char *group = NULL;
  const char *end = contents + length;
  const char *invalid = NULL;
  guint number = 1;

  if (!g_utf8_validate_len (contents, length, &invalid))
    {
      for (const char *p = contents; p < invalid; p++)
        number += *p == '\n';
      set_line_error (error, CQV_TENANT_STORE_ERROR_PARSE, path, number,
                      _("the text is not valid UTF-8."));
      return FALSE;
    }

  for (const char *start = contents; start < end; number++)
    {
      const char *nl = memchr (start, '\n', end - start);
      const char *stop = nl != NULL ? nl : end;
      g_autofree char *line = NULL;

      if (stop > start && stop[-1] == '\r')
        stop--;
      line = g_strndup (start, stop - start);
      if (strlen (line) != (gsize) (stop - start))
        {
          set_line_error (error, CQV_TENANT_STORE_ERROR_PARSE, path, number,
                          _("the line contains a NUL byte."));
          return FALSE;
        }
      if (!scan_line (map, line, number, &group, path, error))
        return FALSE;
      start = nl != NULL ? nl + 1 : end;
    }

  return TRUE;
}

/* A value, or NULL when missing; a bad escape is an INVALID error at its line. */
static gboolean
read_value (GKeyFile *keyfile,
            LineMap *map,
            const char *group,
            const char *key,
            char **value,
            const char *path,
            GError **error)
{
  g_autoptr (GError) local_error = NULL;

  *value = NULL;
  if (!g_key_file_has_key (keyfile, group, key, NULL))
    return TRUE;

  /* On a bad escape GLib 2.74 returns a value *and* sets the error. */
  *value = g_key_file_get_string (keyfile, group, key, &local_error);
  if (local_error != NULL)
    {
      g_clear_pointer (value, g_free);
      set_line_error (error, CQV_TENANT_STORE_ERROR_INVALID, path, line_map_get (map, group, key),
                      local_error->message);
      return FALSE;
    }

  /* An empty override means "not overridden". */
  if (**value == '\0')
    g_clear_pointer (value, g_free);

  return TRUE;
}

static CqvTenant *
read_group (GKeyFile *keyfile, LineMap *map, const char *group, const char *path, GError **error)
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
  char *values[N_KEYS] = { NULL };
  g_autoptr (CqvTenant) tenant = NULL;
  CqvCloud cloud = CQV_CLOUD_GLOBAL;
  GError *local_error = NULL;

  for (guint i = 0; i < N_KEYS; i++)
    {
      guint line = line_map_get (map, group, keys[i]);

      if (!read_value (keyfile, map, group, keys[i], &values[i], path, error))
        goto fail;

      if (i == CLOUD)
        {
          if (values[i] != NULL && !cqv_cloud_from_string (values[i], &cloud))
            {
              g_autofree char *reason = g_strdup_printf (
                _("unknown cloud “%s” (use global, usgov, usgov-dod or china)."), values[i]);

              set_line_error (error, CQV_TENANT_STORE_ERROR_INVALID, path, line, reason);
              goto fail;
            }
        }
      else if (!check_field (keys[i], values[i], &local_error))
        {
          /* A missing key is reported at its group's header. */
          if (line == 0)
            line = line_map_get (map, group, NULL);
          set_line_error (error, CQV_TENANT_STORE_ERROR_INVALID, path, line, local_error->message);
          g_clear_error (&local_error);
          goto fail;
        }
    }

  tenant = cqv_tenant_new (values[NAME], values[TENANT_ID], values[CLIENT_ID], cloud);
  cqv_tenant_set_login_url (tenant, values[LOGIN_URL]);
  cqv_tenant_set_graph_url (tenant, values[GRAPH_URL]);
  cqv_tenant_set_mfa_url (tenant, values[MFA_URL]);

fail:
  for (guint i = 0; i < N_KEYS; i++)
    g_free (values[i]);

  return g_steal_pointer (&tenant);
}

/* Parses tenants.ini text into CqvTenants sorted by name, or fails with nothing. */
static GPtrArray *
parse_contents (const char *contents, gsize length, const char *path, GError **error)
{
  g_auto (LineMap) map = { g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL) };
  g_autoptr (GKeyFile) keyfile = g_key_file_new ();
  g_autoptr (GPtrArray) tenants = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr (GError) local_error = NULL;
  g_auto (GStrv) groups = NULL;

  if (!scan_contents (&map, contents, length, path, error))
    return NULL;

  if (!g_key_file_load_from_data (keyfile, contents, length, G_KEY_FILE_NONE, &local_error))
    {
      g_autofree char *display = g_filename_display_name (path);

      /* Our scan follows GKeyFile's rules, so this is not expected. */
      g_set_error (error, CQV_TENANT_STORE_ERROR, CQV_TENANT_STORE_ERROR_PARSE, "%s: %s", display,
                   local_error->message);
      return NULL;
    }

  groups = g_key_file_get_groups (keyfile, NULL);
  for (guint i = 0; groups[i] != NULL; i++)
    {
      CqvTenant *tenant = read_group (keyfile, &map, groups[i], path, error);

      if (tenant == NULL)
        return NULL;

      for (guint j = 0; j < tenants->len; j++)
        {
          CqvTenant *other = g_ptr_array_index (tenants, j);

          if (cqv_tenant_store_names_equal (cqv_tenant_get_name (other),
                                            cqv_tenant_get_name (tenant)))
            {
              g_autofree char *reason = g_strdup_printf (
                _("another tenant is already called “%s”."), cqv_tenant_get_name (other));

              set_line_error (error, CQV_TENANT_STORE_ERROR_INVALID, path,
                              line_map_get (&map, groups[i], KEY_NAME), reason);
              g_object_unref (tenant);
              return NULL;
            }
        }
      g_ptr_array_add (tenants, tenant);
    }

  g_ptr_array_sort (tenants, compare_tenant_ptrs);

  return g_steal_pointer (&tenants);
}

/* A missing file is an empty list. */
GPtrArray *
cqv_tenant_store_read_file (const char *path, GError **error)
{
  g_autoptr (GError) local_error = NULL;
  g_autofree char *contents = NULL;
  gsize length = 0;

  if (!g_file_get_contents (path, &contents, &length, &local_error))
    {
      g_autofree char *display = NULL;

      if (g_error_matches (local_error, G_FILE_ERROR, G_FILE_ERROR_NOENT))
        return g_ptr_array_new_with_free_func (g_object_unref);

      display = g_filename_display_name (path);
      g_set_error (error, CQV_TENANT_STORE_ERROR, CQV_TENANT_STORE_ERROR_IO,
                   _("Could not read %s: %s"), display, local_error->message);
      return NULL;
    }

  return parse_contents (contents, length, path, error);
}

char *
cqv_tenant_store_serialize (GPtrArray *tenants, gsize *length)
{
  g_autoptr (GKeyFile) keyfile = g_key_file_new ();
  guint n = 0;

  for (guint i = 0; i < tenants->len; i++)
    {
      CqvTenant *tenant = g_ptr_array_index (tenants, i);
      g_autofree char *group = NULL;

      /* Demo tenants point at a simulator that is gone when the app quits. */
      if (cqv_tenant_get_demo (tenant))
        continue;

      group = g_strdup_printf ("tenant-%u", ++n);
      g_key_file_set_string (keyfile, group, KEY_NAME, cqv_tenant_get_name (tenant));
      g_key_file_set_string (keyfile, group, KEY_TENANT_ID, cqv_tenant_get_tenant_id (tenant));
      g_key_file_set_string (keyfile, group, KEY_CLIENT_ID, cqv_tenant_get_client_id (tenant));
      g_key_file_set_string (keyfile, group, KEY_CLOUD,
                             cqv_cloud_to_string (cqv_tenant_get_cloud (tenant)));
      if (cqv_tenant_get_login_url (tenant) != NULL)
        g_key_file_set_string (keyfile, group, KEY_LOGIN_URL, cqv_tenant_get_login_url (tenant));
      if (cqv_tenant_get_graph_url (tenant) != NULL)
        g_key_file_set_string (keyfile, group, KEY_GRAPH_URL, cqv_tenant_get_graph_url (tenant));
      if (cqv_tenant_get_mfa_url (tenant) != NULL)
        g_key_file_set_string (keyfile, group, KEY_MFA_URL, cqv_tenant_get_mfa_url (tenant));
    }

  g_key_file_set_comment (keyfile, NULL, NULL,
                          " CyberQP Verify tenants. This file holds no secrets: app and\n"
                          " connector secrets are kept in the keyring.",
                          NULL);

  return g_key_file_to_data (keyfile, length, NULL);
}
