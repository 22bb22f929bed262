/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cqv-simulator"

#include "config.h"

#include <gio/gio.h>
#include <string.h>

#include "sim-scenario.h"

static const struct
{
  const char *name;
  SimPushKind kind;
} push_kinds[] = {
  { "default", SIM_PUSH_DEFAULT },
  { "approve", SIM_PUSH_APPROVE },
  { "deny", SIM_PUSH_DENY },
  { "fraud", SIM_PUSH_FRAUD },
  { "no-answer", SIM_PUSH_NO_ANSWER },
  { "otp-default", SIM_PUSH_OTP_DEFAULT },
  { "not-enrolled", SIM_PUSH_NOT_ENROLLED },
  { "blocked", SIM_PUSH_BLOCKED },
  { "duplicate", SIM_PUSH_DUPLICATE },
  { "throttled", SIM_PUSH_THROTTLED },
  { "interactive", SIM_PUSH_INTERACTIVE },
  { "wrong-upn", SIM_PUSH_WRONG_UPN },
  { "malformed", SIM_PUSH_MALFORMED },
};

static const struct
{
  const char *name;
  SimFaultKind kind;
} fault_kinds[] = {
  { "429", SIM_FAULT_429 },   { "503", SIM_FAULT_503 },   { "504", SIM_FAULT_504 },
  { "drop", SIM_FAULT_DROP }, { "slow", SIM_FAULT_SLOW }, { "malformed", SIM_FAULT_MALFORMED },
};

/* ---- JSON helpers ---------------------------------------------------- */

static gboolean
invalid (GError **error, const char *member, const char *what)
{
  g_set_error (error, SIM_SCENARIO_ERROR, SIM_SCENARIO_ERROR_INVALID, "“%s” must be %s", member,
               what);
  return FALSE;
}

static gboolean
get_string (JsonObject *obj, const char *member, char **out, GError **error)
{
  JsonNode *node = json_object_get_member (obj, member);

  if (node == NULL)
    return TRUE;
  if (JSON_NODE_HOLDS_NULL (node))
    {
      g_clear_pointer (out, g_free);
      return TRUE;
    }
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    return invalid (error, member, "a string");
  g_free (*out);
  *out = g_strdup (json_node_get_string (node));
  return TRUE;
}

static gboolean
get_bool (JsonObject *obj, const char *member, gboolean *out, GError **error)
{
  JsonNode *node = json_object_get_member (obj, member);

  if (node == NULL)
    return TRUE;
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_BOOLEAN)
    return invalid (error, member, "true or false");
  *out = json_node_get_boolean (node);
  return TRUE;
}

static gboolean
get_double (JsonObject *obj,
            const char *member,
            double *out,
            double min,
            double max,
            GError **error)
{
  JsonNode *node = json_object_get_member (obj, member);
  GType type;
  double value;

  if (node == NULL)
    return TRUE;
  type = JSON_NODE_HOLDS_VALUE (node) ? json_node_get_value_type (node) : 0;
  if (type != G_TYPE_INT64 && type != G_TYPE_DOUBLE)
    return invalid (error, member, "a number");
  value = json_node_get_double (node);
  if (!(value >= min && value <= max))
    return invalid (error, member, "a number in range");
  *out = value;
  return TRUE;
}

static gboolean
get_int (JsonObject *obj, const char *member, int *out, int min, int max, GError **error)
{
  double value = *out;

  if (!get_double (obj, member, &value, min, max, error))
    return FALSE;
  *out = (int) value;
  return TRUE;
}

static gboolean
get_strv (JsonObject *obj, const char *member, GStrv *out, GError **error)
{
  JsonNode *node = json_object_get_member (obj, member);
  g_autoptr (GStrvBuilder) builder = NULL;
  JsonArray *array;

  if (node == NULL)
    return TRUE;
  if (!JSON_NODE_HOLDS_ARRAY (node))
    return invalid (error, member, "an array of strings");
  array = json_node_get_array (node);
  builder = g_strv_builder_new ();
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *item = json_array_get_element (array, i);

      if (!JSON_NODE_HOLDS_VALUE (item) || json_node_get_value_type (item) != G_TYPE_STRING)
        return invalid (error, member, "an array of strings");
      g_strv_builder_add (builder, json_node_get_string (item));
    }
  g_strfreev (*out);
  *out = g_strv_builder_end (builder);
  return TRUE;
}

static JsonArray *
get_array (JsonObject *obj, const char *member, GError **error)
{
  JsonNode *node = json_object_get_member (obj, member);

  if (node == NULL)
    return NULL;
  if (!JSON_NODE_HOLDS_ARRAY (node))
    {
      invalid (error, member, "an array");
      return NULL;
    }
  return json_node_get_array (node);
}

static JsonObject *
array_object (JsonArray *array, guint i, const char *what, GError **error)
{
  JsonNode *node = json_array_get_element (array, i);

  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      invalid (error, what, "an array of objects");
      return NULL;
    }
  return json_node_get_object (node);
}

/* ---- parsing ---------------------------------------------------------- */

static gboolean
parse_push_kind (const char *name, SimPushKind *out)
{
  for (guint i = 0; i < G_N_ELEMENTS (push_kinds); i++)
    if (g_strcmp0 (push_kinds[i].name, name) == 0)
      {
        *out = push_kinds[i].kind;
        return TRUE;
      }
  return FALSE;
}

static gboolean
apply_user (SimTenant *tenant, SimUser *user, JsonObject *obj, GError **error)
{
  g_autofree char *push = NULL;
  g_autofree char *user_type = NULL;
  JsonNode *sync = json_object_get_member (obj, "on_premises_sync_enabled");

  if (!get_string (obj, "display_name", &user->display_name, error) ||
      !get_string (obj, "given_name", &user->given_name, error) ||
      !get_string (obj, "surname", &user->surname, error) ||
      !get_string (obj, "mail", &user->mail, error) ||
      !get_string (obj, "job_title", &user->job_title, error) ||
      !get_string (obj, "department", &user->department, error) ||
      !get_string (obj, "user_type", &user_type, error) ||
      !get_string (obj, "push", &push, error) ||
      !get_bool (obj, "account_enabled", &user->account_enabled, error) ||
      !get_bool (obj, "authenticator", &user->authenticator, error) ||
      !get_double (obj, "delay_seconds", &user->delay_seconds, 0, 86400, error))
    return FALSE;

  if (user_type != NULL)
    {
      if (g_ascii_strcasecmp (user_type, "guest") == 0)
        user->guest = TRUE;
      else if (g_ascii_strcasecmp (user_type, "member") == 0)
        user->guest = FALSE;
      else
        return invalid (error, "user_type", "“Member” or “Guest”");
    }
  if (push != NULL && !parse_push_kind (push, &user->push))
    return invalid (error, "push", "a known push behaviour");
  if (sync != NULL)
    {
      if (JSON_NODE_HOLDS_NULL (sync))
        user->sync = -1;
      else if (JSON_NODE_HOLDS_VALUE (sync) && json_node_get_value_type (sync) == G_TYPE_BOOLEAN)
        user->sync = json_node_get_boolean (sync) ? 1 : 0;
      else
        return invalid (error, "on_premises_sync_enabled", "true, false or null");
    }
  if (user->display_name == NULL)
    user->display_name = g_strdup (user->upn);
  if (user->method_id == NULL)
    {
      g_autofree char *seed = g_strdup_printf ("method/%s", user->id);
      user->method_id = sim_guid_from_string (seed);
    }
  return TRUE;
}

static gboolean
merge_user (SimTenant *tenant, JsonObject *obj, GError **error)
{
  g_autofree char *id = NULL;
  g_autofree char *upn = NULL;
  SimUser *user = NULL;

  if (!get_string (obj, "id", &id, error) || !get_string (obj, "upn", &upn, error))
    return FALSE;
  if (id != NULL)
    user = sim_tenant_find_user (tenant, id);
  if (user == NULL && upn != NULL)
    user = sim_tenant_find_user (tenant, upn);

  if (user == NULL)
    {
      g_autoptr (GError) local_error = NULL;
      g_autofree char *seed = NULL;

      if (upn == NULL || *upn == '\0' || strchr (upn, '@') == NULL)
        return invalid (error, "upn", "a user principal name (name@domain)");
      user = sim_user_new ();
      user->upn = g_strdup (upn);
      user->upn_key = sim_ascii_key (upn);
      seed = g_strdup_printf ("user/%s/%s", tenant->tenant_id, user->upn_key);
      user->id = id ? g_ascii_strdown (id, -1) : sim_guid_from_string (seed);
      if (g_hash_table_contains (tenant->users_by_id, user->id))
        {
          sim_user_free (user);
          return invalid (error, "id", "unique");
        }
      if (!apply_user (tenant, user, obj, &local_error))
        {
          sim_user_free (user);
          g_propagate_error (error, g_steal_pointer (&local_error));
          return FALSE;
        }
      sim_tenant_add_user (tenant, user);
      return TRUE;
    }

  if (upn != NULL && g_ascii_strcasecmp (upn, user->upn) != 0)
    {
      g_autofree char *key = sim_ascii_key (upn);

      if (g_hash_table_contains (tenant->users_by_upn, key))
        return invalid (error, "upn", "unique");
      g_hash_table_remove (tenant->users_by_upn, user->upn_key);
      g_free (user->upn);
      g_free (user->upn_key);
      user->upn = g_strdup (upn);
      user->upn_key = g_steal_pointer (&key);
      g_hash_table_insert (tenant->users_by_upn, user->upn_key, user);
    }
  return apply_user (tenant, user, obj, error);
}

/* The password credential of the app's secret ends @days from now (negative: ended); it
 * started a day before the earlier of now and its end. */
static void
set_app_secret_end (SimApp *app, double days)
{
  g_autoptr (GDateTime) now = g_date_time_new_now_utc ();

  g_clear_pointer (&app->secret_start, g_date_time_unref);
  g_clear_pointer (&app->secret_end, g_date_time_unref);
  app->secret_end = g_date_time_add (now, (GTimeSpan) (days * G_TIME_SPAN_DAY));
  app->secret_start = g_date_time_add_days (
    g_date_time_compare (now, app->secret_end) < 0 ? now : app->secret_end, -1);
}

static gboolean
merge_app (SimTenant *tenant, JsonObject *obj, GError **error)
{
  g_autofree char *client_id = NULL;
  g_autofree char *old_secret = NULL;
  double days = SIM_APP_SECRET_DEFAULT_DAYS;
  SimApp *app;

  if (!get_string (obj, "client_id", &client_id, error))
    return FALSE;
  if (client_id == NULL || *client_id == '\0')
    return invalid (error, "client_id", "a string");
  if (!get_double (obj, "secret_expires_in_days", &days, -36500, 36500, error))
    return FALSE;
  app = sim_tenant_find_app (tenant, client_id);
  if (app == NULL)
    {
      app = g_new0 (SimApp, 1);
      app->client_id = g_ascii_strdown (client_id, -1);
      app->roles = g_new0 (char *, 1);
      app->consented = TRUE;
      set_app_secret_end (app, days);
      g_ptr_array_add (tenant->apps, app);
    }
  else if (json_object_has_member (obj, "secret_expires_in_days"))
    set_app_secret_end (app, days);
  old_secret = g_strdup (app->secret);
  if (!get_string (obj, "secret", &app->secret, error))
    return FALSE;
  /* A new secret is a new credential. */
  if (app->secret_key_id == NULL || g_strcmp0 (old_secret, app->secret) != 0)
    {
      g_free (app->secret_key_id);
      app->secret_key_id = sim_guid_random ();
    }
  return get_string (obj, "display_name", &app->display_name, error) &&
         get_strv (obj, "roles", &app->roles, error) &&
         get_bool (obj, "consented", &app->consented, error) &&
         get_bool (obj, "secret_expired", &app->secret_expired, error);
}

static gboolean
parse_fault (JsonObject *obj, SimFault **out, GError **error)
{
  g_autofree char *kind = NULL;
  SimFault *fault;
  JsonNode *kind_node = json_object_get_member (obj, "kind");
  JsonNode *retry_node = json_object_get_member (obj, "retry_after");
  gboolean found = FALSE;

  /* "kind": 429 is as natural to write as "kind": "429" */
  if (kind_node && JSON_NODE_HOLDS_VALUE (kind_node) &&
      json_node_get_value_type (kind_node) == G_TYPE_INT64)
    kind = g_strdup_printf ("%" G_GINT64_FORMAT, json_node_get_int (kind_node));
  else if (!get_string (obj, "kind", &kind, error))
    return FALSE;

  fault = g_new0 (SimFault, 1);
  fault->count = 1;
  fault->retry_after = g_strdup ("1");
  for (guint i = 0; kind && i < G_N_ELEMENTS (fault_kinds); i++)
    if (g_strcmp0 (fault_kinds[i].name, kind) == 0)
      {
        fault->kind = fault_kinds[i].kind;
        found = TRUE;
      }
  if (retry_node && JSON_NODE_HOLDS_VALUE (retry_node) &&
      json_node_get_value_type (retry_node) != G_TYPE_STRING)
    {
      g_free (fault->retry_after);
      fault->retry_after = g_strdup_printf ("%g", json_node_get_double (retry_node));
    }
  else if (!get_string (obj, "retry_after", &fault->retry_after, error))
    goto fail;

  if (!found)
    {
      invalid (error, "kind", "429, 503, 504, drop, slow or malformed");
      goto fail;
    }
  if (!get_string (obj, "path", &fault->path, error) ||
      !get_int (obj, "after", &fault->after, 0, G_MAXINT, error) ||
      !get_int (obj, "count", &fault->count, -1, G_MAXINT, error) ||
      !get_int (obj, "delay_ms", &fault->delay_ms, 0, 600000, error))
    goto fail;
  if (fault->path == NULL || fault->path[0] != '/')
    {
      invalid (error, "path", "a path starting with “/”");
      goto fail;
    }
  if (fault->retry_after == NULL)
    fault->retry_after = g_strdup ("1");
  *out = fault;
  return TRUE;

fail:
  sim_fault_free (fault);
  return FALSE;
}

static gboolean
apply_sp_state (SimTenant *tenant,
                JsonObject *obj,
                const char *member,
                const char *app_id,
                GError **error)
{
  g_autofree char *state = NULL;

  if (!get_string (obj, member, &state, error))
    return FALSE;
  if (state == NULL)
    return TRUE;
  if (g_str_equal (state, "missing"))
    sim_tenant_remove_sp (tenant, app_id);
  else if (g_str_equal (state, "enabled") || g_str_equal (state, "disabled"))
    sim_tenant_ensure_sp (tenant, app_id, TRUE)->enabled = g_str_equal (state, "enabled");
  else
    return invalid (error, member, "“enabled”, “disabled” or “missing”");
  return TRUE;
}

static gboolean
merge_globals (SimScenario *scenario, JsonObject *obj, GError **error)
{
  return get_double (obj, "push_window_seconds", &scenario->push_window_seconds, 0, 86400, error) &&
         get_int (obj, "token_lifetime_seconds", &scenario->token_lifetime_seconds, 1, 86400 * 30,
                  error);
}

gboolean
sim_tenant_merge_json (SimTenant *self, SimScenario *scenario, JsonObject *obj, GError **error)
{
  JsonArray *array;
  JsonNode *generate;
  GError *local_error = NULL;

  if (!merge_globals (scenario, obj, error) ||
      !get_string (obj, "display_name", &self->display_name, error) ||
      !get_strv (obj, "domains", &self->domains, error) ||
      !get_bool (obj, "p1", &self->p1, error) ||
      !get_double (obj, "secret_propagation_seconds", &self->secret_propagation_seconds, 0, 86400,
                   error) ||
      !get_int (obj, "max_password_lifetime_days", &self->max_password_lifetime_days, 0, 365000,
                error))
    return FALSE;
  if (self->display_name == NULL)
    self->display_name = g_strdup (self->tenant_id);
  if (self->domains == NULL)
    self->domains = g_new0 (char *, 1);

  if ((array = get_array (obj, "apps", &local_error)) != NULL)
    for (guint i = 0; i < json_array_get_length (array); i++)
      {
        JsonObject *item = array_object (array, i, "apps", error);

        if (item == NULL || !merge_app (self, item, error))
          return FALSE;
      }
  if (local_error != NULL)
    goto fail;

  if ((array = get_array (obj, "faults", &local_error)) != NULL)
    {
      g_autoptr (GPtrArray) faults =
        g_ptr_array_new_with_free_func ((GDestroyNotify) sim_fault_free);

      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          JsonObject *item = array_object (array, i, "faults", error);
          SimFault *fault = NULL;

          if (item == NULL || !parse_fault (item, &fault, error))
            return FALSE;
          g_ptr_array_add (faults, fault);
        }
      g_ptr_array_set_size (self->faults, 0);
      for (guint i = 0; i < faults->len; i++)
        g_ptr_array_add (self->faults, g_ptr_array_steal_index (faults, i--));
    }
  if (local_error != NULL)
    goto fail;

  if (!apply_sp_state (self, obj, "mfa_client_sp", SIM_MFA_CLIENT_APP_ID, error) ||
      !apply_sp_state (self, obj, "mfa_connector_sp", SIM_MFA_CONNECTOR_APP_ID, error))
    return FALSE;

  if ((array = get_array (obj, "users", &local_error)) != NULL)
    for (guint i = 0; i < json_array_get_length (array); i++)
      {
        JsonObject *item = array_object (array, i, "users", error);

        if (item == NULL || !merge_user (self, item, error))
          return FALSE;
      }
  if (local_error != NULL)
    goto fail;

  generate = json_object_get_member (obj, "generate");
  if (generate != NULL)
    {
      JsonObject *gen;
      int count = 0;
      int seed = 1;
      double ratio = 0.7;

      if (!JSON_NODE_HOLDS_OBJECT (generate))
        return invalid (error, "generate", "an object");
      gen = json_node_get_object (generate);
      if (!get_int (gen, "count", &count, 0, 1000000, error) ||
          !get_int (gen, "seed", &seed, G_MININT, G_MAXINT, error) ||
          !get_double (gen, "authenticator_ratio", &ratio, 0, 1, error))
        return FALSE;
      sim_tenant_generate_users (self, count, (guint32) seed, ratio);
    }
  return TRUE;

fail:
  g_propagate_error (error, local_error);
  return FALSE;
}

/* ---- scenario --------------------------------------------------------- */

SimScenario *
sim_scenario_new_from_data (const char *data, gssize length, GError **error)
{
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_autoptr (SimScenario) self = NULL;
  JsonObject *root;
  JsonArray *tenants;
  GError *local_error = NULL;

  if (!json_parser_load_from_data (parser, data, length, error))
    return NULL;
  if (!JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    {
      invalid (error, "the scenario", "a JSON object");
      return NULL;
    }
  root = json_node_get_object (json_parser_get_root (parser));

  self = g_new0 (SimScenario, 1);
  self->push_window_seconds = 60;
  self->token_lifetime_seconds = 3599;
  self->tenants = g_ptr_array_new_with_free_func ((GDestroyNotify) sim_tenant_free);
  if (!merge_globals (self, root, error))
    return NULL;

  tenants = get_array (root, "tenants", &local_error);
  if (tenants == NULL)
    {
      if (local_error != NULL)
        g_propagate_error (error, local_error);
      else
        invalid (error, "tenants", "a non-empty array");
      return NULL;
    }
  for (guint i = 0; i < json_array_get_length (tenants); i++)
    {
      JsonObject *obj = array_object (tenants, i, "tenants", error);
      g_autofree char *tenant_id = NULL;
      SimTenant *tenant;

      if (obj == NULL || !get_string (obj, "tenant_id", &tenant_id, error))
        return NULL;
      if (tenant_id == NULL || *tenant_id == '\0')
        {
          invalid (error, "tenant_id", "a string");
          return NULL;
        }
      if (sim_scenario_find_tenant (self, tenant_id) != NULL)
        {
          invalid (error, "tenant_id", "unique");
          return NULL;
        }
      tenant = sim_tenant_new (tenant_id);
      g_ptr_array_add (self->tenants, tenant);
      if (!sim_tenant_merge_json (tenant, self, obj, error))
        {
          g_prefix_error (error, "tenant %s: ", tenant_id);
          return NULL;
        }
    }
  if (self->tenants->len == 0)
    {
      invalid (error, "tenants", "a non-empty array");
      return NULL;
    }
  return g_steal_pointer (&self);
}

SimScenario *
sim_scenario_new_from_file (const char *path, GError **error)
{
  g_autofree char *data = NULL;
  gsize length;
  SimScenario *self;

  if (!g_file_get_contents (path, &data, &length, error))
    return NULL;
  self = sim_scenario_new_from_data (data, length, error);
  if (self == NULL)
    g_prefix_error (error, "%s: ", path);
  return self;
}

SimScenario *
sim_scenario_new_demo (GError **error)
{
  g_autoptr (GBytes) bytes = NULL;
  gsize length;
  const char *data;

  bytes = g_resources_lookup_data ("/com/cyberqp/Verify/Simulator/demo-scenario.json",
                                   G_RESOURCE_LOOKUP_FLAGS_NONE, error);
  if (bytes == NULL)
    return NULL;
  data = g_bytes_get_data (bytes, &length);
  return sim_scenario_new_from_data (data, length, error);
}
