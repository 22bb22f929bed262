/* SPDX-License-Identifier: GPL-3.0-or-later */

#define G_LOG_DOMAIN "cqv-push-guard"

#include "config.h"

#include "cqv-push-guard.h"

typedef struct
{
  gboolean in_flight;
  GArray *pushes; /* gint64 µs since the epoch, oldest first */
} Entry;

struct _CqvPushGuard
{
  GObject parent_instance;

  GHashTable *entries; /* "tenant\nuser" → Entry */
  CqvClockFunc clock;
  gpointer clock_data;
  guint max_pushes;
  guint window_seconds;
};

G_DEFINE_FINAL_TYPE (CqvPushGuard, cqv_push_guard, G_TYPE_OBJECT)

enum
{
  PROP_0,
  PROP_MAX_PUSHES,
  PROP_WINDOW_SECONDS,
  N_PROPS
};

enum
{
  CHANGED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static void
entry_free (Entry *entry)
{
  g_array_unref (entry->pushes);
  g_free (entry);
}

static gint64
real_clock (gpointer user_data)
{
  return g_get_real_time ();
}

static char *
make_key (const char *tenant_id, const char *user_id)
{
  return g_strconcat (tenant_id, "\n", user_id, NULL);
}

static Entry *
lookup_entry (CqvPushGuard *self, const char *tenant_id, const char *user_id, gboolean create)
{
  g_autofree char *key = make_key (tenant_id, user_id);
  Entry *entry = g_hash_table_lookup (self->entries, key);

  if (entry == NULL && create)
    {
      entry = g_new0 (Entry, 1);
      entry->pushes = g_array_new (FALSE, FALSE, sizeof (gint64));
      g_hash_table_insert (self->entries, g_steal_pointer (&key), entry);
    }
  return entry;
}

/* Forgets pushes that left the window; drops the entry when nothing is left. */
static void
prune (CqvPushGuard *self, const char *tenant_id, const char *user_id, gint64 now)
{
  Entry *entry = lookup_entry (self, tenant_id, user_id, FALSE);
  gint64 window = (gint64) self->window_seconds * G_USEC_PER_SEC;
  guint stale = 0;

  if (entry == NULL)
    return;

  while (stale < entry->pushes->len && g_array_index (entry->pushes, gint64, stale) + window <= now)
    stale++;
  if (stale > 0)
    g_array_remove_range (entry->pushes, 0, stale);

  if (!entry->in_flight && entry->pushes->len == 0)
    {
      g_autofree char *key = make_key (tenant_id, user_id);

      g_hash_table_remove (self->entries, key);
    }
}

static void
cqv_push_guard_finalize (GObject *object)
{
  CqvPushGuard *self = (CqvPushGuard *) object;

  g_clear_pointer (&self->entries, g_hash_table_unref);

  G_OBJECT_CLASS (cqv_push_guard_parent_class)->finalize (object);
}

static void
cqv_push_guard_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  CqvPushGuard *self = CQV_PUSH_GUARD (object);

  switch (prop_id)
    {
    case PROP_MAX_PUSHES:
      g_value_set_uint (value, self->max_pushes);
      break;

    case PROP_WINDOW_SECONDS:
      g_value_set_uint (value, self->window_seconds);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cqv_push_guard_set_property (GObject *object, guint prop_id, const GValue *value, GParamSpec *pspec)
{
  CqvPushGuard *self = CQV_PUSH_GUARD (object);

  switch (prop_id)
    {
    case PROP_MAX_PUSHES:
      cqv_push_guard_set_max_pushes (self, g_value_get_uint (value));
      break;

    case PROP_WINDOW_SECONDS:
      cqv_push_guard_set_window_seconds (self, g_value_get_uint (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cqv_push_guard_class_init (CqvPushGuardClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = cqv_push_guard_finalize;
  object_class->get_property = cqv_push_guard_get_property;
  object_class->set_property = cqv_push_guard_set_property;

  properties[PROP_MAX_PUSHES] =
    g_param_spec_uint ("max-pushes", NULL, NULL, 1, G_MAXUINT, 3,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_WINDOW_SECONDS] =
    g_param_spec_uint ("window-seconds", NULL, NULL, 1, G_MAXUINT, 600,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[CHANGED] = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL,
                                   NULL, NULL, G_TYPE_NONE, 2, G_TYPE_STRING, G_TYPE_STRING);
}

static void
cqv_push_guard_init (CqvPushGuard *self)
{
  self->entries =
    g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) entry_free);
  self->clock = real_clock;
  self->max_pushes = 3;
  self->window_seconds = 600;
}

CqvPushGuard *
cqv_push_guard_new (void)
{
  return g_object_new (CQV_TYPE_PUSH_GUARD, NULL);
}

CqvPushGuard *
cqv_push_guard_get_default (void)
{
  static CqvPushGuard *instance;

  if (g_once_init_enter (&instance))
    g_once_init_leave (&instance, cqv_push_guard_new ());
  return instance;
}

void
cqv_push_guard_set_clock (CqvPushGuard *self, CqvClockFunc func, gpointer user_data)
{
  g_return_if_fail (CQV_IS_PUSH_GUARD (self));

  self->clock = func != NULL ? func : real_clock;
  self->clock_data = func != NULL ? user_data : NULL;
}

GDateTime *
cqv_push_guard_now (CqvPushGuard *self)
{
  g_return_val_if_fail (CQV_IS_PUSH_GUARD (self), NULL);

  return g_date_time_new_from_unix_utc (self->clock (self->clock_data) / G_USEC_PER_SEC);
}

guint
cqv_push_guard_get_max_pushes (CqvPushGuard *self)
{
  g_return_val_if_fail (CQV_IS_PUSH_GUARD (self), 0);

  return self->max_pushes;
}

void
cqv_push_guard_set_max_pushes (CqvPushGuard *self, guint max_pushes)
{
  g_return_if_fail (CQV_IS_PUSH_GUARD (self));
  g_return_if_fail (max_pushes > 0);

  if (self->max_pushes == max_pushes)
    return;

  self->max_pushes = max_pushes;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MAX_PUSHES]);
}

guint
cqv_push_guard_get_window_seconds (CqvPushGuard *self)
{
  g_return_val_if_fail (CQV_IS_PUSH_GUARD (self), 0);

  return self->window_seconds;
}

void
cqv_push_guard_set_window_seconds (CqvPushGuard *self, guint seconds)
{
  g_return_if_fail (CQV_IS_PUSH_GUARD (self));
  g_return_if_fail (seconds > 0);

  if (self->window_seconds == seconds)
    return;

  self->window_seconds = seconds;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_WINDOW_SECONDS]);
}

gboolean
cqv_push_guard_is_in_flight (CqvPushGuard *self, const char *tenant_id, const char *user_id)
{
  Entry *entry;

  g_return_val_if_fail (CQV_IS_PUSH_GUARD (self), FALSE);
  g_return_val_if_fail (tenant_id != NULL, FALSE);
  g_return_val_if_fail (user_id != NULL, FALSE);

  entry = lookup_entry (self, tenant_id, user_id, FALSE);
  return entry != NULL && entry->in_flight;
}

gboolean
cqv_push_guard_begin (CqvPushGuard *self, const char *tenant_id, const char *user_id)
{
  Entry *entry;

  g_return_val_if_fail (CQV_IS_PUSH_GUARD (self), FALSE);
  g_return_val_if_fail (tenant_id != NULL, FALSE);
  g_return_val_if_fail (user_id != NULL, FALSE);

  entry = lookup_entry (self, tenant_id, user_id, TRUE);
  if (entry->in_flight)
    return FALSE;

  entry->in_flight = TRUE;
  g_signal_emit (self, signals[CHANGED], 0, tenant_id, user_id);
  return TRUE;
}

void
cqv_push_guard_end (CqvPushGuard *self, const char *tenant_id, const char *user_id)
{
  Entry *entry;

  g_return_if_fail (CQV_IS_PUSH_GUARD (self));
  g_return_if_fail (tenant_id != NULL);
  g_return_if_fail (user_id != NULL);

  entry = lookup_entry (self, tenant_id, user_id, FALSE);
  if (entry == NULL || !entry->in_flight)
    return;

  entry->in_flight = FALSE;
  prune (self, tenant_id, user_id, self->clock (self->clock_data));
  g_signal_emit (self, signals[CHANGED], 0, tenant_id, user_id);
}

void
cqv_push_guard_record_push (CqvPushGuard *self, const char *tenant_id, const char *user_id)
{
  Entry *entry;
  gint64 now;

  g_return_if_fail (CQV_IS_PUSH_GUARD (self));
  g_return_if_fail (tenant_id != NULL);
  g_return_if_fail (user_id != NULL);

  now = self->clock (self->clock_data);
  prune (self, tenant_id, user_id, now);
  entry = lookup_entry (self, tenant_id, user_id, TRUE);
  g_array_append_val (entry->pushes, now);
  g_signal_emit (self, signals[CHANGED], 0, tenant_id, user_id);
}

GDateTime *
cqv_push_guard_get_next_allowed (CqvPushGuard *self, const char *tenant_id, const char *user_id)
{
  Entry *entry;
  gint64 now;
  gint64 allowed;

  g_return_val_if_fail (CQV_IS_PUSH_GUARD (self), NULL);
  g_return_val_if_fail (tenant_id != NULL, NULL);
  g_return_val_if_fail (user_id != NULL, NULL);

  now = self->clock (self->clock_data);
  prune (self, tenant_id, user_id, now);
  entry = lookup_entry (self, tenant_id, user_id, FALSE);
  if (entry == NULL || entry->pushes->len < self->max_pushes)
    return NULL;

  /* The push that must leave the window before another fits. */
  allowed = g_array_index (entry->pushes, gint64, entry->pushes->len - self->max_pushes) +
            (gint64) self->window_seconds * G_USEC_PER_SEC;
  return g_date_time_new_from_unix_utc ((allowed + G_USEC_PER_SEC - 1) / G_USEC_PER_SEC);
}
