/* SPDX-License-Identifier: GPL-3.0-or-later */

#define G_LOG_DOMAIN "cqv-tenant-store"

#include "config.h"

#include <errno.h>
#include <glib/gi18n-lib.h>

#include "cqv-tenant-store-private.h"

/* A GListStore of CqvTenant kept sorted, and the file behind it (format and validation are in
 * cqv-tenant-store-file.c). A file that could not be read or parsed when loaded makes the store
 * read-only, so that we never overwrite what the user may want to repair. */

struct _CqvTenantStore
{
  GObject parent_instance;

  char *path; /* NULL in memory */
  GListStore *tenants;
  GError *load_error;
  guint read_only : 1;
  guint in_memory : 1;
};

G_DEFINE_FINAL_TYPE (CqvTenantStore, cqv_tenant_store, G_TYPE_OBJECT)

/* clang-format off */
G_DEFINE_QUARK (cqv-tenant-store-error-quark, cqv_tenant_store_error)
/* clang-format on */

enum
{
  PROP_0,
  PROP_PATH,
  PROP_READ_ONLY,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static int
compare_tenant_ptrs (gconstpointer a, gconstpointer b)
{
  return cqv_tenant_store_compare (*(CqvTenant **) a, *(CqvTenant **) b, NULL);
}

static gboolean
write_list (CqvTenantStore *self, GPtrArray *tenants, GError **error)
{
  g_autoptr (GError) local_error = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *data = NULL;
  g_autofree char *display = NULL;
  gsize length = 0;

  if (self->in_memory)
    return TRUE;

  display = g_filename_display_name (self->path);
  dir = g_path_get_dirname (self->path);
  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      int saved_errno = errno;

      g_set_error (error, CQV_TENANT_STORE_ERROR, CQV_TENANT_STORE_ERROR_IO,
                   _("Could not save %s: %s"), display, g_strerror (saved_errno));
      return FALSE;
    }

  data = cqv_tenant_store_serialize (tenants, &length);
  if (!g_file_set_contents_full (self->path, data, length, G_FILE_SET_CONTENTS_CONSISTENT, 0600,
                                 &local_error))
    {
      g_set_error (error, CQV_TENANT_STORE_ERROR, CQV_TENANT_STORE_ERROR_IO,
                   _("Could not save %s: %s"), display, local_error->message);
      return FALSE;
    }

  return TRUE;
}

/* The current list, optionally without one entry and with one more, sorted. */
static GPtrArray *
copy_list (CqvTenantStore *self, CqvTenant *without, CqvTenant *with)
{
  GListModel *model = G_LIST_MODEL (self->tenants);
  guint n = g_list_model_get_n_items (model);
  GPtrArray *tenants = g_ptr_array_new_full (n + 1, g_object_unref);

  for (guint i = 0; i < n; i++)
    {
      CqvTenant *tenant = g_list_model_get_item (model, i);

      if (tenant == without)
        g_object_unref (tenant);
      else
        g_ptr_array_add (tenants, tenant);
    }
  if (with != NULL)
    g_ptr_array_add (tenants, g_object_ref (with));
  g_ptr_array_sort (tenants, compare_tenant_ptrs);

  return tenants;
}

static gboolean
check_writable (CqvTenantStore *self, GError **error)
{
  g_autofree char *display = NULL;

  if (!self->read_only)
    return TRUE;

  display = g_filename_display_name (self->path);
  g_set_error (
    error, CQV_TENANT_STORE_ERROR, CQV_TENANT_STORE_ERROR_READ_ONLY,
    _("Tenants cannot be changed because %s has an error (%s). Fix the file or move it away, then restart CyberQP Verify."),
      display, self->load_error != NULL ? self->load_error->message : "");
  return FALSE;
}

static guint
find_position (CqvTenantStore *self, const char *name)
{
  GListModel *model = G_LIST_MODEL (self->tenants);
  guint n = g_list_model_get_n_items (model);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr (CqvTenant) tenant = g_list_model_get_item (model, i);

      if (cqv_tenant_store_names_equal (cqv_tenant_get_name (tenant), name))
        return i;
    }

  return G_MAXUINT;
}

static gboolean
apply_load (CqvTenantStore *self, GPtrArray *tenants, const GError *error)
{
  gboolean was_read_only = self->read_only;
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->tenants));

  g_clear_error (&self->load_error);
  if (tenants != NULL)
    {
      g_list_store_splice (self->tenants, 0, n, tenants->pdata, tenants->len);
      self->read_only = FALSE;
    }
  else
    {
      g_list_store_remove_all (self->tenants);
      self->load_error = g_error_copy (error);
      self->read_only = TRUE;
    }

  if (was_read_only != self->read_only)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_READ_ONLY]);

  return tenants != NULL;
}

static void
load_thread (GTask *task, gpointer source_object, gpointer task_data, GCancellable *cancellable)
{
  GError *error = NULL;
  GPtrArray *tenants = cqv_tenant_store_read_file (task_data, &error);

  if (tenants == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, tenants, (GDestroyNotify) g_ptr_array_unref);
}

static void
load_thread_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  CqvTenantStore *self = CQV_TENANT_STORE (object);
  g_autoptr (GTask) task = user_data;
  g_autoptr (GPtrArray) tenants = NULL;
  g_autoptr (GError) error = NULL;

  tenants = g_task_propagate_pointer (G_TASK (result), &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  if (apply_load (self, tenants, error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, g_steal_pointer (&error));
}

static void
cqv_tenant_store_finalize (GObject *object)
{
  CqvTenantStore *self = (CqvTenantStore *) object;

  g_clear_pointer (&self->path, g_free);
  g_clear_object (&self->tenants);
  g_clear_error (&self->load_error);

  G_OBJECT_CLASS (cqv_tenant_store_parent_class)->finalize (object);
}

static void
cqv_tenant_store_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  CqvTenantStore *self = CQV_TENANT_STORE (object);

  switch (prop_id)
    {
    case PROP_PATH:
      g_value_set_string (value, self->path);
      break;

    case PROP_READ_ONLY:
      g_value_set_boolean (value, self->read_only);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cqv_tenant_store_set_property (GObject *object,
                               guint prop_id,
                               const GValue *value,
                               GParamSpec *pspec)
{
  CqvTenantStore *self = CQV_TENANT_STORE (object);

  switch (prop_id)
    {
    case PROP_PATH:
      self->path = g_value_dup_string (value);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cqv_tenant_store_class_init (CqvTenantStoreClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = cqv_tenant_store_finalize;
  object_class->get_property = cqv_tenant_store_get_property;
  object_class->set_property = cqv_tenant_store_set_property;

  /* NULL only for the in-memory store. */
  properties[PROP_PATH] = g_param_spec_string ("path", NULL, NULL, NULL,
                                               G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY |
                                                 G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  properties[PROP_READ_ONLY] =
    g_param_spec_boolean ("read-only", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
cqv_tenant_store_init (CqvTenantStore *self)
{
  self->tenants = g_list_store_new (CQV_TYPE_TENANT);
}

/**
 * cqv_tenant_store_new:
 * @path: (nullable): the file, or %NULL for the default
 *
 * Returns: (transfer full): a store for @path; call a load function next
 */
CqvTenantStore *
cqv_tenant_store_new (const char *path)
{
  g_autofree char *default_path = NULL;

  if (path == NULL)
    path = default_path = g_build_filename (g_get_user_config_dir (), APP_ID, "tenants.ini", NULL);

  return g_object_new (CQV_TYPE_TENANT_STORE, "path", path, NULL);
}

/**
 * cqv_tenant_store_new_in_memory:
 *
 * Returns: (transfer full): a store that never reads or writes a file
 */
CqvTenantStore *
cqv_tenant_store_new_in_memory (void)
{
  CqvTenantStore *self = g_object_new (CQV_TYPE_TENANT_STORE, NULL);

  self->in_memory = TRUE;

  return self;
}

/**
 * cqv_tenant_store_get_path:
 *
 * Returns: (nullable): the file, or %NULL for an in-memory store
 */
const char *
cqv_tenant_store_get_path (CqvTenantStore *self)
{
  g_return_val_if_fail (CQV_IS_TENANT_STORE (self), NULL);

  return self->path;
}

/**
 * cqv_tenant_store_get_tenants:
 *
 * Returns: (transfer none): a #GListModel of #CqvTenant, sorted by name
 */
GListModel *
cqv_tenant_store_get_tenants (CqvTenantStore *self)
{
  g_return_val_if_fail (CQV_IS_TENANT_STORE (self), NULL);

  return G_LIST_MODEL (self->tenants);
}

gboolean
cqv_tenant_store_get_read_only (CqvTenantStore *self)
{
  g_return_val_if_fail (CQV_IS_TENANT_STORE (self), FALSE);

  return self->read_only;
}

/**
 * cqv_tenant_store_get_load_error:
 *
 * Returns: (nullable) (transfer none): why the store is read-only, or %NULL
 */
const GError *
cqv_tenant_store_get_load_error (CqvTenantStore *self)
{
  g_return_val_if_fail (CQV_IS_TENANT_STORE (self), NULL);

  return self->load_error;
}

/**
 * cqv_tenant_store_find:
 * @name: a tenant name, compared without regard to case
 *
 * Returns: (nullable) (transfer none): the tenant, or %NULL
 */
CqvTenant *
cqv_tenant_store_find (CqvTenantStore *self, const char *name)
{
  g_autoptr (CqvTenant) tenant = NULL;
  guint position;

  g_return_val_if_fail (CQV_IS_TENANT_STORE (self), NULL);
  g_return_val_if_fail (name != NULL, NULL);

  position = find_position (self, name);
  if (position == G_MAXUINT)
    return NULL;

  /* The list store keeps its own reference. */
  tenant = g_list_model_get_item (G_LIST_MODEL (self->tenants), position);
  return tenant;
}

void
cqv_tenant_store_load_async (CqvTenantStore *self,
                             GCancellable *cancellable,
                             GAsyncReadyCallback callback,
                             gpointer user_data)
{
  g_autoptr (GTask) task = NULL;
  g_autoptr (GTask) thread_task = NULL;

  g_return_if_fail (CQV_IS_TENANT_STORE (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, cqv_tenant_store_load_async);

  if (self->in_memory)
    {
      g_task_return_boolean (task, TRUE);
      return;
    }

  /* The file is read and parsed in a thread; the result is applied here, before the caller's
   * callback runs. */
  thread_task = g_task_new (self, cancellable, load_thread_cb, g_steal_pointer (&task));
  g_task_set_source_tag (thread_task, cqv_tenant_store_load_async);
  g_task_set_task_data (thread_task, g_strdup (self->path), g_free);
  g_task_run_in_thread (thread_task, load_thread);
}

gboolean
cqv_tenant_store_load_finish (CqvTenantStore *self, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (CQV_IS_TENANT_STORE (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == cqv_tenant_store_load_async,
                        FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

gboolean
cqv_tenant_store_load_sync (CqvTenantStore *self, GError **error)
{
  g_autoptr (GPtrArray) tenants = NULL;
  g_autoptr (GError) local_error = NULL;

  g_return_val_if_fail (CQV_IS_TENANT_STORE (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (self->in_memory)
    return TRUE;

  tenants = cqv_tenant_store_read_file (self->path, &local_error);
  if (apply_load (self, tenants, local_error))
    return TRUE;

  g_propagate_error (error, g_steal_pointer (&local_error));
  return FALSE;
}

gboolean
cqv_tenant_store_add (CqvTenantStore *self, CqvTenant *tenant, GError **error)
{
  g_autoptr (GPtrArray) tenants = NULL;

  g_return_val_if_fail (CQV_IS_TENANT_STORE (self), FALSE);
  g_return_val_if_fail (CQV_IS_TENANT (tenant), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!check_writable (self, error) || !cqv_tenant_store_check_tenant (tenant, error))
    return FALSE;

  if (find_position (self, cqv_tenant_get_name (tenant)) != G_MAXUINT)
    {
      g_set_error (error, CQV_TENANT_STORE_ERROR, CQV_TENANT_STORE_ERROR_EXISTS,
                   _("A tenant called “%s” already exists."), cqv_tenant_get_name (tenant));
      return FALSE;
    }

  tenants = copy_list (self, NULL, tenant);
  if (!write_list (self, tenants, error))
    return FALSE;

  g_list_store_insert_sorted (self->tenants, tenant, cqv_tenant_store_compare, NULL);

  return TRUE;
}

gboolean
cqv_tenant_store_remove (CqvTenantStore *self, const char *name, GError **error)
{
  g_autoptr (GPtrArray) tenants = NULL;
  g_autoptr (CqvTenant) tenant = NULL;
  guint position;

  g_return_val_if_fail (CQV_IS_TENANT_STORE (self), FALSE);
  g_return_val_if_fail (name != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!check_writable (self, error))
    return FALSE;

  position = find_position (self, name);
  if (position == G_MAXUINT)
    {
      g_set_error (error, CQV_TENANT_STORE_ERROR, CQV_TENANT_STORE_ERROR_NOT_FOUND,
                   _("There is no tenant called “%s”."), name);
      return FALSE;
    }

  tenant = g_list_model_get_item (G_LIST_MODEL (self->tenants), position);
  tenants = copy_list (self, tenant, NULL);
  if (!write_list (self, tenants, error))
    return FALSE;

  g_list_store_remove (self->tenants, position);

  return TRUE;
}

gboolean
cqv_tenant_store_save (CqvTenantStore *self, GError **error)
{
  g_autoptr (GPtrArray) tenants = NULL;

  g_return_val_if_fail (CQV_IS_TENANT_STORE (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!check_writable (self, error))
    return FALSE;

  /* A tenant edited in place must still pass, and names must stay unique. */
  tenants = copy_list (self, NULL, NULL);
  for (guint i = 0; i < tenants->len; i++)
    {
      CqvTenant *tenant = g_ptr_array_index (tenants, i);

      if (!cqv_tenant_store_check_tenant (tenant, error))
        return FALSE;
      if (i > 0 &&
          cqv_tenant_store_names_equal (cqv_tenant_get_name (g_ptr_array_index (tenants, i - 1)),
                                        cqv_tenant_get_name (tenant)))
        {
          g_set_error (error, CQV_TENANT_STORE_ERROR, CQV_TENANT_STORE_ERROR_EXISTS,
                       _("A tenant called “%s” already exists."), cqv_tenant_get_name (tenant));
          return FALSE;
        }
    }

  if (!write_list (self, tenants, error))
    return FALSE;

  /* A rename may have moved a tenant. */
  g_list_store_sort (self->tenants, cqv_tenant_store_compare, NULL);

  return TRUE;
}
