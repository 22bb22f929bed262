/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cqv-simulator"

#include "config.h"

#include <gio/gio.h>
#include <string.h>

#include "sim-scenario.h"

G_DEFINE_QUARK (sim - scenario - error - quark, sim_scenario_error)

/* ---- helpers ---------------------------------------------------------- */

char *
sim_ascii_key (const char *str)
{
  return g_ascii_strdown (str ? str : "", -1);
}

static char *
format_guid (const guint8 *b)
{
  return g_strdup_printf ("%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-"
                          "%02x%02x%02x%02x%02x%02x",
                          b[0], b[1], b[2], b[3], b[4], b[5], (b[6] & 0x0f) | 0x40, b[7],
                          (b[8] & 0x3f) | 0x80, b[9], b[10], b[11], b[12], b[13], b[14], b[15]);
}

char *
sim_guid_from_string (const char *seed)
{
  g_autoptr (GChecksum) sum = g_checksum_new (G_CHECKSUM_SHA256);
  guint8 digest[32];
  gsize len = sizeof digest;

  g_checksum_update (sum, (const guchar *) seed, -1);
  g_checksum_get_digest (sum, digest, &len);
  return format_guid (digest);
}

char *
sim_guid_random (void)
{
  return g_uuid_string_random ();
}

/* ---- objects ---------------------------------------------------------- */

SimUser *
sim_user_new (void)
{
  SimUser *user = g_new0 (SimUser, 1);

  user->account_enabled = TRUE;
  user->sync = -1;
  user->delay_seconds = 2;
  return user;
}

void
sim_user_free (SimUser *user)
{
  g_free (user->id);
  g_free (user->display_name);
  g_free (user->given_name);
  g_free (user->surname);
  g_free (user->upn);
  g_free (user->upn_key);
  g_free (user->mail);
  g_free (user->job_title);
  g_free (user->department);
  g_free (user->method_id);
  g_free (user);
}

SimPushKind
sim_user_effective_push (const SimUser *user)
{
  if (user->push != SIM_PUSH_DEFAULT)
    return user->push;
  return user->authenticator ? SIM_PUSH_APPROVE : SIM_PUSH_NOT_ENROLLED;
}

void
sim_app_free (SimApp *app)
{
  g_free (app->client_id);
  g_free (app->display_name);
  g_free (app->secret);
  g_strfreev (app->roles);
  g_free (app->secret_key_id);
  g_clear_pointer (&app->secret_start, g_date_time_unref);
  g_clear_pointer (&app->secret_end, g_date_time_unref);
  g_free (app);
}

void
sim_password_free (SimPassword *password)
{
  g_free (password->key_id);
  g_free (password->display_name);
  g_free (password->secret);
  g_free (password->hint);
  g_clear_pointer (&password->start, g_date_time_unref);
  g_clear_pointer (&password->end, g_date_time_unref);
  g_free (password);
}

static void
sp_free (SimServicePrincipal *sp)
{
  g_free (sp->id);
  g_free (sp->app_id);
  g_free (sp->display_name);
  g_ptr_array_unref (sp->passwords);
  g_free (sp);
}

void
sim_fault_free (SimFault *fault)
{
  g_free (fault->path);
  g_free (fault->retry_after);
  g_free (fault);
}

SimTenant *
sim_tenant_new (const char *tenant_id)
{
  SimTenant *tenant = g_new0 (SimTenant, 1);

  tenant->tenant_id = g_strdup (tenant_id);
  tenant->display_name = g_strdup (tenant_id);
  tenant->domains = g_new0 (char *, 1);
  tenant->apps = g_ptr_array_new_with_free_func ((GDestroyNotify) sim_app_free);
  tenant->sps = g_ptr_array_new_with_free_func ((GDestroyNotify) sp_free);
  tenant->faults = g_ptr_array_new_with_free_func ((GDestroyNotify) sim_fault_free);
  tenant->users = g_ptr_array_new_with_free_func ((GDestroyNotify) sim_user_free);
  tenant->users_by_id = g_hash_table_new (g_str_hash, g_str_equal);
  tenant->users_by_upn = g_hash_table_new (g_str_hash, g_str_equal);
  tenant->p1 = TRUE;
  sim_tenant_ensure_sp (tenant, SIM_MFA_CLIENT_APP_ID, TRUE);
  sim_tenant_ensure_sp (tenant, SIM_MFA_CONNECTOR_APP_ID, TRUE);
  return tenant;
}

void
sim_tenant_free (SimTenant *tenant)
{
  g_free (tenant->tenant_id);
  g_free (tenant->display_name);
  g_strfreev (tenant->domains);
  g_hash_table_unref (tenant->users_by_id);
  g_hash_table_unref (tenant->users_by_upn);
  g_ptr_array_unref (tenant->users);
  g_ptr_array_unref (tenant->apps);
  g_ptr_array_unref (tenant->sps);
  g_ptr_array_unref (tenant->faults);
  g_free (tenant);
}

void
sim_scenario_free (SimScenario *self)
{
  if (self == NULL)
    return;
  g_ptr_array_unref (self->tenants);
  g_free (self);
}

/* ---- lookups ---------------------------------------------------------- */

SimTenant *
sim_scenario_find_tenant (SimScenario *self, const char *id_or_domain)
{
  if (id_or_domain == NULL)
    return NULL;
  for (guint i = 0; i < self->tenants->len; i++)
    {
      SimTenant *tenant = g_ptr_array_index (self->tenants, i);

      if (g_ascii_strcasecmp (tenant->tenant_id, id_or_domain) == 0)
        return tenant;
      for (guint j = 0; tenant->domains[j]; j++)
        if (g_ascii_strcasecmp (tenant->domains[j], id_or_domain) == 0)
          return tenant;
    }
  return NULL;
}

SimTenant *
sim_scenario_find_tenant_of_upn (SimScenario *self, const char *upn)
{
  g_autofree char *key = sim_ascii_key (upn);
  const char *at;

  for (guint i = 0; i < self->tenants->len; i++)
    {
      SimTenant *tenant = g_ptr_array_index (self->tenants, i);

      if (g_hash_table_contains (tenant->users_by_upn, key))
        return tenant;
    }
  at = strrchr (upn, '@');
  return at ? sim_scenario_find_tenant (self, at + 1) : NULL;
}

SimUser *
sim_tenant_find_user (SimTenant *self, const char *id_or_upn)
{
  g_autofree char *key = NULL;
  SimUser *user;

  if (id_or_upn == NULL)
    return NULL;
  key = sim_ascii_key (id_or_upn);
  user = g_hash_table_lookup (self->users_by_id, key);
  if (user == NULL)
    user = g_hash_table_lookup (self->users_by_upn, key);
  return user;
}

SimApp *
sim_tenant_find_app (SimTenant *self, const char *client_id)
{
  for (guint i = 0; client_id && i < self->apps->len; i++)
    {
      SimApp *app = g_ptr_array_index (self->apps, i);

      if (g_ascii_strcasecmp (app->client_id, client_id) == 0)
        return app;
    }
  return NULL;
}

SimServicePrincipal *
sim_tenant_find_sp (SimTenant *self, const char *app_id)
{
  for (guint i = 0; app_id && i < self->sps->len; i++)
    {
      SimServicePrincipal *sp = g_ptr_array_index (self->sps, i);

      if (g_ascii_strcasecmp (sp->app_id, app_id) == 0)
        return sp;
    }
  return NULL;
}

SimServicePrincipal *
sim_tenant_find_sp_by_id (SimTenant *self, const char *id)
{
  for (guint i = 0; id && i < self->sps->len; i++)
    {
      SimServicePrincipal *sp = g_ptr_array_index (self->sps, i);

      if (g_ascii_strcasecmp (sp->id, id) == 0)
        return sp;
    }
  return NULL;
}

static const char *
app_display_name (SimTenant *self, const char *app_id)
{
  SimApp *app;

  if (g_strcmp0 (app_id, SIM_MFA_CLIENT_APP_ID) == 0)
    return "Azure Multi-Factor Auth Client";
  if (g_strcmp0 (app_id, SIM_MFA_CONNECTOR_APP_ID) == 0)
    return "Azure Multi-Factor Auth Connector";
  app = sim_tenant_find_app (self, app_id);
  return app && app->display_name ? app->display_name : "CyberQP Verify";
}

SimServicePrincipal *
sim_tenant_ensure_sp (SimTenant *self, const char *app_id, gboolean enabled)
{
  SimServicePrincipal *sp = sim_tenant_find_sp (self, app_id);
  g_autofree char *seed = NULL;

  if (sp != NULL)
    return sp;
  sp = g_new0 (SimServicePrincipal, 1);
  seed = g_strdup_printf ("sp/%s/%s", self->tenant_id, app_id);
  sp->id = sim_guid_from_string (seed);
  sp->app_id = g_ascii_strdown (app_id, -1);
  sp->display_name = g_strdup (app_display_name (self, app_id));
  sp->enabled = enabled;
  sp->passwords = g_ptr_array_new_with_free_func ((GDestroyNotify) sim_password_free);
  g_ptr_array_add (self->sps, sp);
  return sp;
}

void
sim_tenant_remove_sp (SimTenant *self, const char *app_id)
{
  SimServicePrincipal *sp = sim_tenant_find_sp (self, app_id);

  if (sp != NULL)
    g_ptr_array_remove (self->sps, sp);
}

void
sim_tenant_add_user (SimTenant *self, SimUser *user)
{
  g_autofree char *id_key = sim_ascii_key (user->id);

  g_ptr_array_add (self->users, user);
  g_free (user->id);
  user->id = g_steal_pointer (&id_key);
  g_hash_table_insert (self->users_by_id, user->id, user);
  g_hash_table_insert (self->users_by_upn, user->upn_key, user);
}
