/* SPDX-License-Identifier: GPL-3.0-or-later */

#define G_LOG_DOMAIN "cqv-check-item"

#include "config.h"

#include "cqv-check-item.h"
#include "cqv-service-enums.h"

struct _CqvCheckItem
{
  GObject parent_instance;

  char *id;
  char *title;
  CqvCheckStatus status;
  char *detail;
  char *fix;
  char *fix_url;
};

G_DEFINE_FINAL_TYPE (CqvCheckItem, cqv_check_item, G_TYPE_OBJECT)

enum
{
  PROP_0,
  PROP_ID,
  PROP_TITLE,
  PROP_STATUS,
  PROP_DETAIL,
  PROP_FIX,
  PROP_FIX_URL,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
set_string (CqvCheckItem *self, char **field, const char *value, guint prop)
{
  if (g_strcmp0 (*field, value) == 0)
    return;
  g_free (*field);
  *field = g_strdup (value);
  g_object_notify_by_pspec (G_OBJECT (self), properties[prop]);
}

static void
cqv_check_item_finalize (GObject *object)
{
  CqvCheckItem *self = CQV_CHECK_ITEM (object);

  g_free (self->id);
  g_free (self->title);
  g_free (self->detail);
  g_free (self->fix);
  g_free (self->fix_url);

  G_OBJECT_CLASS (cqv_check_item_parent_class)->finalize (object);
}

static void
cqv_check_item_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  CqvCheckItem *self = CQV_CHECK_ITEM (object);

  switch (prop_id)
    {
    case PROP_ID:
      g_value_set_string (value, self->id);
      break;
    case PROP_TITLE:
      g_value_set_string (value, self->title);
      break;
    case PROP_STATUS:
      g_value_set_enum (value, self->status);
      break;
    case PROP_DETAIL:
      g_value_set_string (value, self->detail);
      break;
    case PROP_FIX:
      g_value_set_string (value, self->fix);
      break;
    case PROP_FIX_URL:
      g_value_set_string (value, self->fix_url);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cqv_check_item_set_property (GObject *object, guint prop_id, const GValue *value, GParamSpec *pspec)
{
  CqvCheckItem *self = CQV_CHECK_ITEM (object);

  switch (prop_id)
    {
    case PROP_ID:
      self->id = g_value_dup_string (value);
      break;
    case PROP_TITLE:
      self->title = g_value_dup_string (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cqv_check_item_class_init (CqvCheckItemClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = cqv_check_item_finalize;
  object_class->get_property = cqv_check_item_get_property;
  object_class->set_property = cqv_check_item_set_property;

  properties[PROP_ID] = g_param_spec_string (
    "id", NULL, NULL, NULL, G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_TITLE] = g_param_spec_string (
    "title", NULL, NULL, NULL, G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_STATUS] =
    g_param_spec_enum ("status", NULL, NULL, CQV_TYPE_CHECK_STATUS, CQV_CHECK_STATUS_PENDING,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_DETAIL] =
    g_param_spec_string ("detail", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_FIX] = g_param_spec_string (
    "fix", NULL, NULL, NULL, G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_FIX_URL] =
    g_param_spec_string ("fix-url", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
cqv_check_item_init (CqvCheckItem *self)
{
  self->status = CQV_CHECK_STATUS_PENDING;
}

const char *
cqv_check_status_to_string (CqvCheckStatus status)
{
  switch (status)
    {
    case CQV_CHECK_STATUS_PENDING:
      return "pending";
    case CQV_CHECK_STATUS_OK:
      return "ok";
    case CQV_CHECK_STATUS_WARNING:
      return "warning";
    case CQV_CHECK_STATUS_FAILED:
      return "failed";
    case CQV_CHECK_STATUS_SKIPPED:
      return "skipped";
    default:
      g_return_val_if_reached ("failed");
    }
}

CqvCheckItem *
cqv_check_item_new (const char *id, const char *title)
{
  g_return_val_if_fail (id != NULL, NULL);
  g_return_val_if_fail (title != NULL, NULL);

  return g_object_new (CQV_TYPE_CHECK_ITEM, "id", id, "title", title, NULL);
}

const char *
cqv_check_item_get_id (CqvCheckItem *self)
{
  g_return_val_if_fail (CQV_IS_CHECK_ITEM (self), NULL);

  return self->id;
}

const char *
cqv_check_item_get_title (CqvCheckItem *self)
{
  g_return_val_if_fail (CQV_IS_CHECK_ITEM (self), NULL);

  return self->title;
}

CqvCheckStatus
cqv_check_item_get_status (CqvCheckItem *self)
{
  g_return_val_if_fail (CQV_IS_CHECK_ITEM (self), CQV_CHECK_STATUS_PENDING);

  return self->status;
}

const char *
cqv_check_item_get_detail (CqvCheckItem *self)
{
  g_return_val_if_fail (CQV_IS_CHECK_ITEM (self), NULL);

  return self->detail;
}

const char *
cqv_check_item_get_fix (CqvCheckItem *self)
{
  g_return_val_if_fail (CQV_IS_CHECK_ITEM (self), NULL);

  return self->fix;
}

const char *
cqv_check_item_get_fix_url (CqvCheckItem *self)
{
  g_return_val_if_fail (CQV_IS_CHECK_ITEM (self), NULL);

  return self->fix_url;
}

void
cqv_check_item_set_result (CqvCheckItem *self,
                           CqvCheckStatus status,
                           const char *detail,
                           const char *fix,
                           const char *fix_url)
{
  g_return_if_fail (CQV_IS_CHECK_ITEM (self));
  g_return_if_fail (status <= CQV_CHECK_STATUS_SKIPPED);

  set_string (self, &self->detail, detail, PROP_DETAIL);
  set_string (self, &self->fix, fix, PROP_FIX);
  set_string (self, &self->fix_url, fix_url, PROP_FIX_URL);
  /* Last, so that a handler on status sees the rest already. */
  if (self->status != status)
    {
      self->status = status;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATUS]);
    }
}

void
cqv_check_item_reset (CqvCheckItem *self)
{
  g_return_if_fail (CQV_IS_CHECK_ITEM (self));

  cqv_check_item_set_result (self, CQV_CHECK_STATUS_PENDING, NULL, NULL, NULL);
}
