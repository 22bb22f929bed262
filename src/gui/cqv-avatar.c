/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cqv-avatar"

#include "config.h"

#include "cqv-avatar.h"

#define N_COLORS 8

struct _CqvAvatar
{
  GtkWidget parent_instance;

  char *text;
  char *initials;
  int size;
  guint color;

  GtkLabel *label;
  GtkImage *image;
};

G_DEFINE_FINAL_TYPE (CqvAvatar, cqv_avatar, GTK_TYPE_WIDGET)

enum
{
  PROP_0,
  PROP_TEXT,
  PROP_SIZE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* The first letter or digit of @word, or 0. */
static gunichar
first_alnum (const char *word)
{
  for (const char *p = word; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (g_unichar_isalnum (c))
        return c;
    }
  return 0;
}

static void
append_initial (GString *initials, gunichar c)
{
  g_autofree char *upper = NULL;
  char buffer[8] = { 0 };

  g_unichar_to_utf8 (c, buffer);
  upper = g_utf8_strup (buffer, -1);
  g_string_append (initials, upper);
}

static void
update_color (CqvAvatar *self)
{
  g_autofree char *old_class = g_strdup_printf ("color%u", self->color);
  g_autofree char *new_class = NULL;

  self->color =
    (self->text != NULL && *self->text != '\0') ? g_str_hash (self->text) % N_COLORS + 1 : 1;
  new_class = g_strdup_printf ("color%u", self->color);
  gtk_widget_remove_css_class (GTK_WIDGET (self), old_class);
  gtk_widget_add_css_class (GTK_WIDGET (self), new_class);
}

static void
update_font (CqvAvatar *self)
{
  g_autoptr (PangoAttrList) attrs = pango_attr_list_new ();

  /* Initials scale with the badge, as in libadwaita's avatar. */
  pango_attr_list_insert (attrs, pango_attr_size_new_absolute (self->size * 0.38 * PANGO_SCALE));
  pango_attr_list_insert (attrs, pango_attr_weight_new (PANGO_WEIGHT_BOLD));
  gtk_label_set_attributes (self->label, attrs);
  gtk_image_set_pixel_size (self->image, self->size / 2);
}

static void
update (CqvAvatar *self)
{
  gboolean has_initials;

  g_free (self->initials);
  self->initials = cqv_avatar_initials_for (self->text);
  has_initials = *self->initials != '\0';

  gtk_label_set_text (self->label, self->initials);
  gtk_widget_set_visible (GTK_WIDGET (self->label), has_initials);
  gtk_widget_set_visible (GTK_WIDGET (self->image), !has_initials);
  update_color (self);

  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  self->text != NULL ? self->text : "", -1);
}

static void
cqv_avatar_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), CQV_TYPE_AVATAR);

  G_OBJECT_CLASS (cqv_avatar_parent_class)->dispose (object);
}

static void
cqv_avatar_finalize (GObject *object)
{
  CqvAvatar *self = (CqvAvatar *) object;

  g_clear_pointer (&self->text, g_free);
  g_clear_pointer (&self->initials, g_free);

  G_OBJECT_CLASS (cqv_avatar_parent_class)->finalize (object);
}

static void
cqv_avatar_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  CqvAvatar *self = CQV_AVATAR (object);

  switch (prop_id)
    {
    case PROP_TEXT:
      g_value_set_string (value, self->text);
      break;

    case PROP_SIZE:
      g_value_set_int (value, self->size);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cqv_avatar_set_property (GObject *object, guint prop_id, const GValue *value, GParamSpec *pspec)
{
  CqvAvatar *self = CQV_AVATAR (object);

  switch (prop_id)
    {
    case PROP_TEXT:
      cqv_avatar_set_text (self, g_value_get_string (value));
      break;

    case PROP_SIZE:
      cqv_avatar_set_size (self, g_value_get_int (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cqv_avatar_class_init (CqvAvatarClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = cqv_avatar_dispose;
  object_class->finalize = cqv_avatar_finalize;
  object_class->get_property = cqv_avatar_get_property;
  object_class->set_property = cqv_avatar_set_property;

  properties[PROP_TEXT] = g_param_spec_string (
    "text", NULL, NULL, NULL, G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SIZE] =
    g_param_spec_int ("size", NULL, NULL, 16, 512, 48,
                      G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class, "/com/cyberqp/Verify/cqv-avatar.ui");
  gtk_widget_class_bind_template_child (widget_class, CqvAvatar, label);
  gtk_widget_class_bind_template_child (widget_class, CqvAvatar, image);

  gtk_widget_class_set_css_name (widget_class, "avatar");
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
}

static void
cqv_avatar_init (CqvAvatar *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->size = 48;
  gtk_widget_set_size_request (GTK_WIDGET (self), self->size, self->size);
  update_font (self);
  update (self);
}

GtkWidget *
cqv_avatar_new (const char *text, int size)
{
  return g_object_new (CQV_TYPE_AVATAR, "text", text, "size", size, NULL);
}

const char *
cqv_avatar_get_text (CqvAvatar *self)
{
  g_return_val_if_fail (CQV_IS_AVATAR (self), NULL);

  return self->text;
}

void
cqv_avatar_set_text (CqvAvatar *self, const char *text)
{
  g_return_if_fail (CQV_IS_AVATAR (self));

  if (g_strcmp0 (self->text, text) == 0)
    return;

  g_free (self->text);
  self->text = g_strdup (text);
  update (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TEXT]);
}

int
cqv_avatar_get_size (CqvAvatar *self)
{
  g_return_val_if_fail (CQV_IS_AVATAR (self), 0);

  return self->size;
}

void
cqv_avatar_set_size (CqvAvatar *self, int size)
{
  g_return_if_fail (CQV_IS_AVATAR (self));
  g_return_if_fail (size > 0);

  if (self->size == size)
    return;

  self->size = size;
  gtk_widget_set_size_request (GTK_WIDGET (self), size, size);
  update_font (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SIZE]);
}

const char *
cqv_avatar_get_initials (CqvAvatar *self)
{
  g_return_val_if_fail (CQV_IS_AVATAR (self), NULL);

  return self->initials;
}

char *
cqv_avatar_initials_for (const char *text)
{
  g_auto (GStrv) words = NULL;
  GString *initials = g_string_new (NULL);
  gunichar first = 0;
  gunichar last = 0;

  if (text == NULL)
    return g_string_free (initials, FALSE);

  words = g_strsplit_set (text, " \t\n", -1);
  for (guint i = 0; words[i] != NULL; i++)
    {
      gunichar c;

      /* "(Contractor)" or "[Admin]" after a name is not part of it. */
      if (words[i][0] == '(' || words[i][0] == '[')
        continue;
      if ((c = first_alnum (words[i])) == 0)
        continue;
      if (first == 0)
        first = c;
      else
        last = c;
    }

  if (first != 0)
    append_initial (initials, first);
  if (last != 0)
    append_initial (initials, last);
  return g_string_free (initials, FALSE);
}
