/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gstdio.h>
#include <gtk/gtk.h>
#include <string.h>

#include "cqv-avatar.h"
#include "cqv-checklist-window.h"
#include "cqv-result-view.h"
#include "cqv-sim-fixture.h"
#include "cqv-tenant-check.h"
#include "cqv-verify-dialog-private.h"
#include "cqv-verify-dialog.h"

#define CONTEXT_ID "0f8fad5b-d9cb-469f-a165-70867728950e"

/* ---- helpers ---- */

static gboolean
spin_until (gboolean (*condition) (gpointer), gpointer data, guint timeout_ms)
{
  gint64 deadline = g_get_monotonic_time () + (gint64) timeout_ms * 1000;

  while (!condition (data))
    {
      if (g_get_monotonic_time () > deadline)
        return FALSE;
      g_main_context_iteration (NULL, FALSE);
    }
  return TRUE;
}

static gpointer
child (CqvVerifyDialog *dialog, const char *name)
{
  GObject *object =
    gtk_widget_get_template_child (GTK_WIDGET (dialog), CQV_TYPE_VERIFY_DIALOG, name);

  g_assert_nonnull (object);
  return object;
}

static gpointer
result_child (CqvVerifyDialog *dialog, const char *name)
{
  GObject *object =
    gtk_widget_get_template_child (child (dialog, "result_view"), CQV_TYPE_RESULT_VIEW, name);

  g_assert_nonnull (object);
  return object;
}

static const char *
label_text (gpointer label)
{
  return gtk_label_get_text (GTK_LABEL (label));
}

static char *
artefacts_dir (void)
{
  const char *env = g_getenv ("CQV_ARTEFACTS");
  char *dir;

  if (env != NULL && *env != '\0')
    dir = g_strdup (env);
  else
    dir = g_test_build_filename (G_TEST_BUILT, "..", "artefacts", NULL);
  g_assert_cmpint (g_mkdir_with_parents (dir, 0755), ==, 0);
  return dir;
}

/* Renders @widget as it is on screen, saves it as artefacts/@name.png and returns it. */
static GdkTexture *
save_artefact (GtkWidget *widget, const char *name)
{
  g_autofree char *dir = artefacts_dir ();
  g_autofree char *file = g_strconcat (name, ".png", NULL);
  g_autofree char *path = g_build_filename (dir, file, NULL);
  g_autoptr (GdkPaintable) paintable = gtk_widget_paintable_new (widget);
  GskRenderer *renderer = gtk_native_get_renderer (gtk_widget_get_native (widget));
  g_autoptr (GskRenderNode) node = NULL;
  GdkTexture *texture;
  int width = 0;
  int height = 0;

  /* The paintable is empty while a resize is still on its way (the window just grew): wait
   * for the frames that settle it. */
  for (guint frame = 0; node == NULL && frame < 50; frame++)
    {
      GtkSnapshot *snapshot = gtk_snapshot_new ();

      gtk_test_widget_wait_for_draw (widget);
      width = gtk_widget_get_width (widget);
      height = gtk_widget_get_height (widget);
      gdk_paintable_snapshot (paintable, snapshot, width, height);
      node = gtk_snapshot_free_to_node (snapshot);
    }
  g_assert_nonnull (node);
  g_assert_cmpint (width, >, 0);
  g_assert_cmpint (height, >, 0);
  texture = gsk_renderer_render_texture (renderer, node, &GRAPHENE_RECT_INIT (0, 0, width, height));
  g_assert_true (gdk_texture_save_to_png (texture, path));
  return texture;
}

/* The colour (0-255 RGB) at @x, @y of @texture. */
static void
pixel_at (GdkTexture *texture, int x, int y, guint rgb[3])
{
  int width = gdk_texture_get_width (texture);
  int height = gdk_texture_get_height (texture);
  g_autofree guchar *data = g_malloc ((gsize) width * height * 4);
  const guchar *pixel;

  g_assert_cmpint (x, >=, 0);
  g_assert_cmpint (y, >=, 0);
  g_assert_cmpint (x, <, width);
  g_assert_cmpint (y, <, height);
  gdk_texture_download (texture, data, (gsize) width * 4);
  pixel = data + ((gsize) y * width + x) * 4; /* Cairo ARGB32 in memory: B G R A */
  rgb[0] = pixel[2];
  rgb[1] = pixel[1];
  rgb[2] = pixel[0];
}

static void
set_dark (gboolean dark)
{
  g_object_set (gtk_settings_get_default (), "gtk-application-prefer-dark-theme", dark, NULL);
}

static void
show_and_draw (CqvVerifyDialog *dialog)
{
  gtk_window_present (GTK_WINDOW (dialog));
  gtk_test_widget_wait_for_draw (GTK_WIDGET (dialog));
}

/* Destroys @dialog and checks that nothing else holds it. */
static void
destroy_dialog (CqvVerifyDialog *dialog)
{
  g_object_ref (dialog);
  gtk_window_destroy (GTK_WINDOW (dialog));
  g_assert_finalize_object (dialog);
}

static gboolean
has_class_anywhere (GtkWidget *widget, const char *css_class)
{
  if (gtk_widget_has_css_class (widget, css_class))
    return TRUE;
  for (GtkWidget *c = gtk_widget_get_first_child (widget); c; c = gtk_widget_get_next_sibling (c))
    if (has_class_anywhere (c, css_class))
      return TRUE;
  return FALSE;
}

/* A context whose setup checklist passed, against a simulator that stops with the context: for
 * states that need no more network. */
static CqvTenantContext *
checked_context (void)
{
  g_autofree char *scenario = sim_scenario_json (0, NULL, NULL, NULL);
  SimFixture *sim = sim_fixture_start (scenario);
  g_autoptr (CqvSecretStore) store = cqv_secret_store_new_in_memory ();
  CqvTenantContext *context = sim_fixture_new_context (sim, store);

  g_object_set_data_full (G_OBJECT (context), "test-simulator", sim,
                          (GDestroyNotify) sim_fixture_stop);
  sim_run_setup_check (context);
  g_assert_true (cqv_tenant_check_get_passed (cqv_tenant_context_get_check (context)));
  return context;
}

/* A context whose endpoints lead nowhere: for states that need no network. Its setup checklist
 * turns the credentials line red, once a dialog runs it. */
static CqvTenantContext *
offline_context (void)
{
  g_autoptr (CqvTenant) tenant =
    cqv_tenant_new ("Contoso", SIM_TENANT_ID, SIM_APP_ID, CQV_CLOUD_GLOBAL);
  g_autoptr (CqvSecretStore) store = cqv_secret_store_new_in_memory ();
  g_autoptr (CqvHttpClient) http = cqv_http_client_new ();
  g_autoptr (CqvTokenProvider) tokens = cqv_token_provider_new (http);
  g_autoptr (CqvPushGuard) guard = cqv_push_guard_new ();
  CqvTenantContext *context;

  cqv_tenant_set_login_url (tenant, "http://127.0.0.1:9");
  cqv_tenant_set_graph_url (tenant, "http://127.0.0.1:9");
  cqv_tenant_set_mfa_url (tenant, "http://127.0.0.1:9");
  context = cqv_tenant_context_new (tenant, store, http, tokens);
  cqv_tenant_context_set_app_secret (context, SIM_APP_SECRET);
  cqv_tenant_context_set_push_guard (context, guard);
  return context;
}

static CqvUser *
adele (CqvAuthenticatorState state)
{
  CqvUser *user = cqv_user_new ("id-adele", "Adele Vance", "AdeleV@contoso.example");

  cqv_user_set_enabled (user, TRUE);
  cqv_user_set_authenticator (user, state);
  return user;
}

typedef struct
{
  guint count;
  CqvOutcome *outcome;
  char *context_ids[4];
} Finished;

static void
finished_cb (CqvVerifyDialog *dialog, CqvOutcome *outcome, Finished *finished)
{
  g_assert_true (CQV_IS_OUTCOME (outcome));
  if (finished->count < G_N_ELEMENTS (finished->context_ids))
    finished->context_ids[finished->count] = g_strdup (cqv_outcome_get_context_id (outcome));
  finished->count++;
  g_set_object (&finished->outcome, outcome);
}

static void
finished_clear (Finished *finished)
{
  g_clear_object (&finished->outcome);
  for (guint i = 0; i < G_N_ELEMENTS (finished->context_ids); i++)
    g_clear_pointer (&finished->context_ids[i], g_free);
}

typedef struct
{
  Finished *finished;
  guint count;
} FinishedWait;

static gboolean
finished_reached (gpointer data)
{
  FinishedWait *wait = data;

  return wait->finished->count >= wait->count;
}

static void
wait_finished (Finished *finished, guint count, guint timeout_ms)
{
  FinishedWait wait = { finished, count };

  g_assert_true (spin_until (finished_reached, &wait, timeout_ms));
}

static gboolean
waiting_state (gpointer data)
{
  CqvVerification *verification = cqv_verify_dialog_get_verification (data);

  return verification != NULL &&
         cqv_verification_get_state (verification) == CQV_VERIFICATION_STATE_WAITING;
}

static gboolean
activate_escape (CqvVerifyDialog *dialog)
{
  g_autoptr (GListModel) controllers = gtk_widget_observe_controllers (GTK_WIDGET (dialog));

  for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
    {
      g_autoptr (GObject) controller = g_list_model_get_item (controllers, i);

      if (!GTK_IS_SHORTCUT_CONTROLLER (controller))
        continue;
      for (guint j = 0; j < g_list_model_get_n_items (G_LIST_MODEL (controller)); j++)
        {
          g_autoptr (GtkShortcut) shortcut = g_list_model_get_item (G_LIST_MODEL (controller), j);
          g_autofree char *trigger =
            gtk_shortcut_trigger_to_string (gtk_shortcut_get_trigger (shortcut));

          if (g_str_equal (trigger, "Escape"))
            return gtk_shortcut_action_activate (gtk_shortcut_get_action (shortcut),
                                                 GTK_SHORTCUT_ACTION_EXCLUSIVE, GTK_WIDGET (dialog),
                                                 NULL);
        }
    }
  return FALSE;
}

/* ---- widgets on their own ---- */

static void
test_avatar (void)
{
  GtkWidget *avatar = cqv_avatar_new ("Adele Vance", 56);
  g_autofree char *one = cqv_avatar_initials_for ("Cher");
  g_autofree char *accented = cqv_avatar_initials_for ("élodie  d'Angelo");
  g_autofree char *suffix = cqv_avatar_initials_for ("Lee Gu (Contractor)");
  g_autofree char *none = cqv_avatar_initials_for ("  ");

  g_object_ref_sink (avatar);
  g_assert_cmpstr (cqv_avatar_get_initials (CQV_AVATAR (avatar)), ==, "AV");
  g_assert_cmpint (cqv_avatar_get_size (CQV_AVATAR (avatar)), ==, 56);
  g_assert_cmpstr (one, ==, "C");
  g_assert_cmpstr (accented, ==, "ÉD");
  g_assert_cmpstr (suffix, ==, "LG");
  g_assert_cmpstr (none, ==, "");
  cqv_avatar_set_text (CQV_AVATAR (avatar), "Megan Bowen");
  g_assert_cmpstr (cqv_avatar_get_initials (CQV_AVATAR (avatar)), ==, "MB");
  g_assert_finalize_object (avatar);
}

static void
test_result_view_new_destroy (void)
{
  GtkWidget *view = cqv_result_view_new ();
  g_autoptr (CqvOutcome) outcome = cqv_outcome_new (CQV_OUTCOME_DENIED, "Denied.");

  g_object_ref_sink (view);
  cqv_result_view_set_outcome (CQV_RESULT_VIEW (view), outcome, "Adele Vance");
  g_assert_true (cqv_result_view_get_outcome (CQV_RESULT_VIEW (view)) == outcome);
  g_assert_finalize_object (view);
}

static void
test_dialog_new_destroy (void)
{
  g_autoptr (CqvTenantContext) context = offline_context ();
  g_autoptr (CqvUser) user = adele (CQV_AUTHENTICATOR_REGISTERED);
  CqvVerifyDialog *dialog = cqv_verify_dialog_new (NULL, context, user, 60);

  g_assert_true (cqv_verify_dialog_get_user (dialog) == user);
  g_assert_null (cqv_verify_dialog_get_outcome (dialog));
  destroy_dialog (dialog);

  /* Shown, then destroyed. */
  dialog = cqv_verify_dialog_new (NULL, context, user, 60);
  show_and_draw (dialog);
  destroy_dialog (dialog);
}

/* ---- before Send ---- */

static void
test_ready (void)
{
  g_autoptr (CqvTenantContext) context = checked_context ();
  g_autoptr (CqvUser) user = adele (CQV_AUTHENTICATOR_REGISTERED);
  CqvVerifyDialog *dialog = cqv_verify_dialog_new (NULL, context, user, 60);
  g_autoptr (GdkTexture) texture = NULL;
  Finished finished = { 0 };

  show_and_draw (dialog);
  g_assert_true (gtk_window_get_modal (GTK_WINDOW (dialog)));
  g_assert_cmpstr (cqv_verify_dialog_get_page (dialog), ==, "prepare");
  g_assert_cmpstr (label_text (child (dialog, "name_label")), ==, "Adele Vance");
  g_assert_cmpstr (label_text (child (dialog, "upn_label")), ==, "AdeleV@contoso.example");
  g_assert_cmpstr (cqv_avatar_get_initials (child (dialog, "avatar")), ==, "AV");

  g_assert_cmpint (cqv_readiness_get_reason (cqv_verify_dialog_get_readiness (dialog)), ==,
                   CQV_READINESS_REASON_READY);
  g_assert_true (gtk_widget_is_sensitive (child (dialog, "option_button")));
  g_assert_true (gtk_toggle_button_get_active (child (dialog, "option_button")));
  g_assert_true (gtk_widget_is_sensitive (child (dialog, "send_button")));
  g_assert_false (gtk_widget_get_visible (child (dialog, "reason_box")));

  /* The only method cannot be unchosen. */
  g_signal_emit_by_name (child (dialog, "option_button"), "clicked");
  g_assert_true (gtk_toggle_button_get_active (child (dialog, "option_button")));
  g_assert_true (gtk_widget_is_sensitive (child (dialog, "send_button")));

  /* Focus starts in the ticket entry, and Send is the default: type, Enter, sent. */
  g_assert_true (gtk_widget_is_ancestor (gtk_window_get_focus (GTK_WINDOW (dialog)),
                                         child (dialog, "ticket_entry")));
  g_assert_true (gtk_window_get_default_widget (GTK_WINDOW (dialog)) ==
                 child (dialog, "send_button"));
  g_assert_true (gtk_entry_get_activates_default (child (dialog, "ticket_entry")));

  texture = save_artefact (GTK_WIDGET (dialog), "verify-ready");
  g_assert_cmpint (gdk_texture_get_height (texture), <=, 600);

  /* Escape before Send closes, and reports nothing: no attempt ran. */
  g_signal_connect (dialog, "finished", G_CALLBACK (finished_cb), &finished);
  g_object_ref (dialog);
  g_assert_true (activate_escape (dialog));
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (dialog)));
  g_assert_finalize_object (dialog);
  g_assert_cmpuint (finished.count, ==, 0);
}

typedef enum
{
  REFUSE_GUEST,
  REFUSE_DISABLED,
  REFUSE_NOT_REGISTERED,
  REFUSE_IN_FLIGHT,
  REFUSE_COOL_DOWN,
  REFUSE_PERMISSION,
} Refusal;

static const struct
{
  Refusal refusal;
  const char *name;
  CqvReadinessReason reason;
  const char *needle;
} refusals[] = {
  { REFUSE_GUEST, "guest", CQV_READINESS_REASON_GUEST, "Guest" },
  { REFUSE_DISABLED, "disabled", CQV_READINESS_REASON_DISABLED, "disabled" },
  { REFUSE_NOT_REGISTERED, "not-registered", CQV_READINESS_REASON_NOT_REGISTERED,
    "mysignins.microsoft.com/security-info" },
  { REFUSE_IN_FLIGHT, "in-flight", CQV_READINESS_REASON_IN_FLIGHT, "already waiting" },
  { REFUSE_COOL_DOWN, "cool-down", CQV_READINESS_REASON_COOL_DOWN, "next push is allowed at" },
  { REFUSE_PERMISSION, "permission", CQV_READINESS_REASON_PERMISSION_MISSING,
    "UserAuthMethod-MicrosoftAuthApp.Read.All" },
};

static void
test_refusals (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (refusals); i++)
    {
      g_autoptr (CqvTenantContext) context = checked_context ();
      g_autoptr (CqvUser) user = adele (CQV_AUTHENTICATOR_REGISTERED);
      CqvPushGuard *guard = cqv_tenant_context_get_push_guard (context);
      const char *key = cqv_readiness_user_key (user);
      g_autofree char *artefact = g_strdup_printf ("verify-refused-%s", refusals[i].name);
      g_autoptr (GdkTexture) texture = NULL;
      CqvVerifyDialog *dialog;
      CqvReadiness *readiness;
      GtkWidget *checklist;

      g_test_message ("refusal: %s", refusals[i].name);
      switch (refusals[i].refusal)
        {
        case REFUSE_GUEST:
          cqv_user_set_user_type (user, CQV_USER_TYPE_GUEST);
          break;
        case REFUSE_DISABLED:
          cqv_user_set_enabled (user, FALSE);
          break;
        case REFUSE_NOT_REGISTERED:
          cqv_user_set_authenticator (user, CQV_AUTHENTICATOR_NOT_REGISTERED);
          break;
        case REFUSE_IN_FLIGHT:
          g_assert_true (cqv_push_guard_begin (guard, SIM_TENANT_ID, key));
          break;
        case REFUSE_COOL_DOWN:
          for (guint n = 0; n < cqv_push_guard_get_max_pushes (guard); n++)
            cqv_push_guard_record_push (guard, SIM_TENANT_ID, key);
          break;
        case REFUSE_PERMISSION:
        default:
          break;
        }

      dialog = cqv_verify_dialog_new (NULL, context, user, 60);
      if (refusals[i].refusal == REFUSE_PERMISSION)
        {
          g_autoptr (GError) error =
            g_error_new (CQV_GRAPH_ERROR, CQV_GRAPH_ERROR_PERMISSION_MISSING,
                         "Grant the application permission "
                         "UserAuthMethod-MicrosoftAuthApp.Read.All and admin consent.");

          cqv_verify_dialog_set_tenant_error (dialog, error);
        }
      show_and_draw (dialog);

      readiness = cqv_verify_dialog_get_readiness (dialog);
      g_assert_cmpint (cqv_readiness_get_reason (readiness), ==, refusals[i].reason);
      g_assert_false (gtk_widget_is_sensitive (child (dialog, "option_button")));
      g_assert_false (gtk_toggle_button_get_active (child (dialog, "option_button")));
      g_assert_false (gtk_widget_is_sensitive (child (dialog, "send_button")));
      g_assert_true (gtk_widget_is_drawable (child (dialog, "reason_label")));
      g_assert_cmpstr (label_text (child (dialog, "reason_label")), ==,
                       cqv_readiness_get_message (readiness));
      g_assert_nonnull (strstr (label_text (child (dialog, "reason_label")), refusals[i].needle));

      checklist = child (dialog, "checklist_button");
      g_assert_cmpint (gtk_widget_get_visible (checklist), ==,
                       refusals[i].refusal == REFUSE_NOT_REGISTERED);
      /* Only a red line of the tenant's setup offers its checklist and the Entra page. */
      g_assert_false (gtk_widget_get_visible (child (dialog, "setup_button")));
      g_assert_false (gtk_widget_get_visible (child (dialog, "fix_button")));
      g_assert_cmpstr (gtk_actionable_get_action_name (GTK_ACTIONABLE (checklist)), ==,
                       "users.setup-checklist");
      g_assert_cmpstr (g_variant_get_string (
                         gtk_actionable_get_action_target_value (GTK_ACTIONABLE (checklist)), NULL),
                       ==, "id-adele");

      /* Nothing can be sent, not even by activating the action. */
      gtk_widget_activate_action (GTK_WIDGET (dialog), "verify.send", NULL);
      g_assert_null (cqv_verify_dialog_get_verification (dialog));
      g_assert_cmpstr (cqv_verify_dialog_get_page (dialog), ==, "prepare");

      texture = save_artefact (GTK_WIDGET (dialog), artefact);
      g_assert_cmpint (gdk_texture_get_height (texture), <=, 600);

      /* The verdict follows the push guard live. */
      if (refusals[i].refusal == REFUSE_IN_FLIGHT)
        {
          cqv_push_guard_end (guard, SIM_TENANT_ID, key);
          g_assert_cmpint (cqv_readiness_get_reason (cqv_verify_dialog_get_readiness (dialog)), ==,
                           CQV_READINESS_REASON_READY);
          g_assert_true (gtk_widget_is_sensitive (child (dialog, "option_button")));
          g_assert_true (gtk_widget_is_sensitive (child (dialog, "send_button")));
          g_assert_false (gtk_widget_get_visible (child (dialog, "reason_box")));
        }
      destroy_dialog (dialog);
    }
}

/* ---- results ---- */

static const char *
expected_class (CqvOutcomeKind kind)
{
  switch (kind)
    {
    case CQV_OUTCOME_APPROVED:
      return "cqv-result-success";
    case CQV_OUTCOME_FRAUD_REPORTED:
      return "cqv-result-fraud";
    case CQV_OUTCOME_DENIED:
    case CQV_OUTCOME_BLOCKED:
    case CQV_OUTCOME_ERROR:
      return "cqv-result-error";
    case CQV_OUTCOME_TIMED_OUT:
    case CQV_OUTCOME_NOT_DELIVERED:
    case CQV_OUTCOME_NOT_ENROLLED:
    case CQV_OUTCOME_BUSY:
    case CQV_OUTCOME_THROTTLED:
      return "cqv-result-warning";
    case CQV_OUTCOME_NONE:
    case CQV_OUTCOME_CANCELLED:
    default:
      return "cqv-result-neutral";
    }
}

static CqvOutcome *
sample_outcome (CqvOutcomeKind kind)
{
  static const char *values[] = { NULL,
                                  "Success",
                                  "PhoneAppDenied",
                                  "PhoneAppFraudReported",
                                  "PhoneAppNoResponse",
                                  "Success",
                                  "AuthenticationMethodNotConfigured",
                                  "UserIsBlocked",
                                  "UserAuthFailedDuplicateRequest",
                                  "AuthenticationThrottled",
                                  NULL,
                                  "InternalError" };
  CqvOutcome *outcome =
    cqv_outcome_new (kind, kind == CQV_OUTCOME_ERROR
                             ? "Microsoft’s MFA service had an internal error. Try again later."
                             : "What the service said about it.");
  g_autoptr (GDateTime) at = g_date_time_new_local (2024, 5, 6, 14, 3, 7);

  G_STATIC_ASSERT (G_N_ELEMENTS (values) == CQV_OUTCOME_ERROR + 1);
  cqv_outcome_set_result_value (outcome, values[kind]);
  cqv_outcome_set_upn (outcome, "AdeleV@contoso.example");
  cqv_outcome_set_context_id (outcome, CONTEXT_ID);
  cqv_outcome_set_elapsed_ms (outcome, 12340);
  cqv_outcome_set_finished_at (outcome, at);
  return outcome;
}

static void
check_badge_colour (CqvVerifyDialog *dialog, GdkTexture *texture, CqvOutcomeKind kind)
{
  GtkWidget *badge = result_child (dialog, "badge");
  graphene_point_t point;
  guint rgb[3];
  int r, g, b;

  /* Inside the circle, left of the icon. */
  g_assert_true (gtk_widget_compute_point (
    badge, GTK_WIDGET (dialog),
    &GRAPHENE_POINT_INIT (gtk_widget_get_width (badge) * 0.16, gtk_widget_get_height (badge) / 2.0),
    &point));
  pixel_at (texture, (int) point.x, (int) point.y, rgb);
  r = rgb[0], g = rgb[1], b = rgb[2];
  g_test_message ("%s badge: #%02x%02x%02x", cqv_outcome_kind_to_string (kind), r, g, b);

  /* Never green unless approved. */
  if (kind == CQV_OUTCOME_APPROVED)
    g_assert_true (g > r + 60 && g > b + 20);
  else
    g_assert_false (g > r && g > b);

  if (g_str_equal (expected_class (kind), "cqv-result-error") ||
      g_str_equal (expected_class (kind), "cqv-result-fraud"))
    g_assert_true (r > g + 100 && r > b + 100);
  else if (g_str_equal (expected_class (kind), "cqv-result-warning"))
    g_assert_true (r > b + 100 && g > b + 40 && r > g);
  else if (g_str_equal (expected_class (kind), "cqv-result-neutral"))
    g_assert_true (ABS (r - g) < 16 && ABS (g - b) < 16);
}

static void
check_result (CqvOutcomeKind kind, gboolean dark)
{
  g_autoptr (CqvTenantContext) context = offline_context ();
  g_autoptr (CqvUser) user = adele (CQV_AUTHENTICATOR_REGISTERED);
  g_autoptr (CqvOutcome) outcome = sample_outcome (kind);
  CqvVerifyDialog *dialog = cqv_verify_dialog_new (NULL, context, user, 60);
  GtkWidget *view = child (dialog, "result_view");
  g_autofree char *artefact =
    g_strdup_printf ("result-%s%s", cqv_outcome_kind_to_string (kind), dark ? "-dark" : "");
  g_autoptr (GdkTexture) texture = NULL;
  gboolean approved = kind == CQV_OUTCOME_APPROVED;

  cqv_verify_dialog_show_outcome (dialog, outcome);
  show_and_draw (dialog);

  g_assert_cmpstr (cqv_verify_dialog_get_page (dialog), ==, "result");
  g_assert_true (cqv_verify_dialog_get_outcome (dialog) == outcome);

  /* The title is exactly the outcome's title: the AT-SPI test reads it by name. */
  g_assert_cmpstr (label_text (result_child (dialog, "title_label")), ==,
                   cqv_outcome_kind_get_title (kind));
  g_assert_true (gtk_widget_is_drawable (result_child (dialog, "title_label")));
  g_assert_true (gtk_widget_is_drawable (result_child (dialog, "summary_label")));
  g_assert_cmpstr (label_text (result_child (dialog, "summary_label")), !=, "");
  g_assert_cmpstr (label_text (result_child (dialog, "next_step_label")), !=, "");

  g_assert_true (gtk_widget_has_css_class (view, expected_class (kind)));
  g_assert_cmpstr (cqv_result_view_get_style_class (kind), ==, expected_class (kind));
  g_assert_cmpint (has_class_anywhere (GTK_WIDGET (dialog), "cqv-result-success"), ==, approved);
  g_assert_cmpint (has_class_anywhere (GTK_WIDGET (dialog), "success"), ==, FALSE);

  /* Support needs the ContextId: selectable, in Details. */
  g_assert_cmpstr (label_text (result_child (dialog, "context_id_label")), ==, CONTEXT_ID);
  g_assert_true (gtk_label_get_selectable (result_child (dialog, "context_id_label")));
  g_assert_cmpstr (label_text (result_child (dialog, "elapsed_label")), ==, "12.3 seconds");

  g_assert_true (gtk_widget_get_visible (child (dialog, "close_button")));
  g_assert_true (gtk_widget_is_sensitive (child (dialog, "close_button")));
  g_assert_cmpint (gtk_widget_get_visible (child (dialog, "send_again_button")), ==,
                   kind == CQV_OUTCOME_TIMED_OUT);
  g_assert_cmpint (gtk_widget_get_visible (child (dialog, "result_checklist_button")), ==,
                   kind == CQV_OUTCOME_NOT_ENROLLED || kind == CQV_OUTCOME_NOT_DELIVERED);
  g_assert_cmpint (gtk_widget_get_visible (result_child (dialog, "alert_box")), ==,
                   kind == CQV_OUTCOME_FRAUD_REPORTED);

  if (approved)
    g_assert_cmpstr (label_text (result_child (dialog, "summary_label")), ==,
                     "Approved by Adele Vance at 14:03 after 12 seconds");
  if (kind == CQV_OUTCOME_ERROR)
    {
      /* What failed, and the details to hand to support. */
      g_assert_nonnull (strstr (label_text (result_child (dialog, "summary_label")), "internal"));
      gtk_expander_set_expanded (result_child (dialog, "details_expander"), TRUE);
      gtk_test_widget_wait_for_draw (GTK_WIDGET (dialog));
    }

  texture = save_artefact (GTK_WIDGET (dialog), artefact);
  g_assert_cmpint (gdk_texture_get_width (texture), <=, 800);
  g_assert_cmpint (gdk_texture_get_height (texture), <=, 600);
  check_badge_colour (dialog, texture, kind);

  destroy_dialog (dialog);
}

/* Long names and guest UPNs must not push the dialog off an 800×600 screen. */
static void
test_long_names (void)
{
  g_autoptr (CqvTenantContext) context = checked_context ();
  g_autoptr (CqvUser) user = cqv_user_new (
    "id-long", "Maximiliane Alexandra-Konstantina von Hohenzollern-Sigmaringen (Finance)",
    "maximiliane.alexandra-konstantina.vonhohenzollern_fabrikam.example#EXT#@contoso."
    "onmicrosoft.com");
  g_autoptr (CqvOutcome) outcome = sample_outcome (CQV_OUTCOME_NOT_ENROLLED);
  CqvVerifyDialog *dialog;
  g_autoptr (GdkTexture) prepare = NULL;
  g_autoptr (GdkTexture) result = NULL;

  cqv_user_set_enabled (user, TRUE);
  cqv_user_set_authenticator (user, CQV_AUTHENTICATOR_NOT_REGISTERED);
  dialog = cqv_verify_dialog_new (NULL, context, user, 60);
  show_and_draw (dialog);
  prepare = save_artefact (GTK_WIDGET (dialog), "verify-long-names");
  g_assert_cmpint (gdk_texture_get_width (prepare), <=, 800);
  g_assert_cmpint (gdk_texture_get_height (prepare), <=, 600);

  cqv_verify_dialog_show_outcome (dialog, outcome);
  result = save_artefact (GTK_WIDGET (dialog), "result-long-names");
  g_assert_cmpint (gdk_texture_get_width (result), <=, 800);
  g_assert_cmpint (gdk_texture_get_height (result), <=, 600);
  destroy_dialog (dialog);
}

static void
test_results (void)
{
  for (CqvOutcomeKind kind = CQV_OUTCOME_NONE; kind <= CQV_OUTCOME_ERROR; kind++)
    check_result (kind, FALSE);
}

static void
test_results_dark (void)
{
  set_dark (TRUE);
  for (CqvOutcomeKind kind = CQV_OUTCOME_NONE; kind <= CQV_OUTCOME_ERROR; kind++)
    check_result (kind, TRUE);
  set_dark (FALSE);
}

/* ---- against the simulator ---- */

typedef struct
{
  SimFixture *sim;
  CqvSecretStore *store;
  CqvTenantContext *context;
} Flow;

/* A simulator tenant; @checked: its setup checklist has already run (as in a session where a
 * dialog or the checklist ran it), else the first dialog runs it. */
static Flow *
flow_start_full (guint push_window,
                 const char *tenant_extra,
                 const char *roles,
                 const char *users,
                 gboolean checked)
{
  g_autofree char *scenario = sim_scenario_json (push_window, tenant_extra, roles, users);
  Flow *flow = g_new0 (Flow, 1);

  flow->sim = sim_fixture_start (scenario);
  flow->store = cqv_secret_store_new_in_memory ();
  flow->context = sim_fixture_new_context (flow->sim, flow->store);
  if (checked)
    sim_run_setup_check (flow->context);
  return flow;
}

static Flow *
flow_start (guint push_window, const char *roles, const char *users)
{
  return flow_start_full (push_window, NULL, roles, users, TRUE);
}

static void
flow_stop (Flow *flow)
{
  sim_wait_finalized (g_steal_pointer (&flow->context), 5000);
  g_clear_object (&flow->store);
  sim_fixture_stop (flow->sim);
  g_free (flow);
}

static void
answer_push (Flow *flow, const char *upn, const char *answer)
{
  g_autoptr (JsonNode) node = sim_fixture_request (flow->sim, "GET", "/_sim/pushes", NULL);
  JsonArray *pushes = json_node_get_array (node);
  g_autofree char *body = g_strdup_printf ("{\"answer\": \"%s\"}", answer);

  for (guint i = 0; i < json_array_get_length (pushes); i++)
    {
      JsonObject *push = json_array_get_object_element (pushes, i);
      g_autofree char *path = NULL;
      g_autoptr (JsonNode) answered = NULL;

      if (g_ascii_strcasecmp (json_object_get_string_member (push, "upn"), upn) != 0)
        continue;
      path = g_strdup_printf ("/_sim/pushes/%s/answer", json_object_get_string_member (push, "id"));
      answered = sim_fixture_request (flow->sim, "POST", path, body);
      return;
    }
  g_assert_not_reached ();
}

typedef struct
{
  CqvVerifyDialog *dialog;
  const char *text;
} LabelWait;

static gboolean
countdown_is (gpointer data)
{
  LabelWait *wait = data;

  return g_strcmp0 (label_text (child (wait->dialog, "countdown_label")), wait->text) == 0;
}

static void
test_flow_approve_countdown (void)
{
  g_autofree char *users = sim_user_json ("ivy", "interactive", NULL);
  Flow *flow = flow_start (600, NULL, users);
  g_autoptr (CqvUser) user = sim_new_user ("ivy", CQV_AUTHENTICATOR_REGISTERED);
  CqvVerifyDialog *dialog = cqv_verify_dialog_new (NULL, flow->context, user, 60);
  Finished finished = { 0 };
  LabelWait wait = { dialog, NULL };
  g_autoptr (GdkTexture) waiting = NULL;
  g_autoptr (GdkTexture) result = NULL;

  g_signal_connect (dialog, "finished", G_CALLBACK (finished_cb), &finished);
  show_and_draw (dialog);
  gtk_editable_set_text (child (dialog, "ticket_entry"), "  T-1234 ");
  gtk_widget_activate_action (GTK_WIDGET (dialog), "verify.send", NULL);
  g_assert_cmpstr (cqv_verify_dialog_get_page (dialog), ==, "waiting");
  g_assert_cmpstr (cqv_verification_get_ticket (cqv_verify_dialog_get_verification (dialog)), ==,
                   "T-1234");
  g_assert_false (gtk_widget_is_sensitive (child (dialog, "send_button")));

  g_assert_true (spin_until (waiting_state, dialog, 10000));
  g_assert_true (gtk_spinner_get_spinning (child (dialog, "waiting_spinner")));
  g_assert_cmpstr (label_text (child (dialog, "instruction_label")), ==,
                   "Ask the caller to open Microsoft Authenticator and tap Approve");
  wait.text = "60 seconds left";
  g_assert_true (spin_until (countdown_is, &wait, 2000));
  /* The countdown is live: one tick a second. */
  wait.text = "59 seconds left";
  g_assert_true (spin_until (countdown_is, &wait, 3000));
  gtk_test_widget_wait_for_draw (GTK_WIDGET (dialog));
  waiting = save_artefact (GTK_WIDGET (dialog), "verify-waiting");
  g_assert_cmpint (gdk_texture_get_height (waiting), <=, 600);
  g_assert_cmpuint (finished.count, ==, 0);

  answer_push (flow, "ivy@" SIM_DOMAIN, "approve");
  wait_finished (&finished, 1, 10000);
  g_assert_cmpint (cqv_outcome_get_kind (finished.outcome), ==, CQV_OUTCOME_APPROVED);
  g_assert_true (cqv_verify_dialog_get_outcome (dialog) == finished.outcome);
  g_assert_cmpstr (cqv_verify_dialog_get_page (dialog), ==, "result");
  g_assert_cmpstr (label_text (result_child (dialog, "title_label")), ==, "Identity Verified");
  g_assert_true (gtk_widget_has_css_class (child (dialog, "result_view"), "cqv-result-success"));
  g_assert_cmpstr (label_text (result_child (dialog, "context_id_label")), ==,
                   finished.context_ids[0]);
  g_assert_false (gtk_spinner_get_spinning (child (dialog, "waiting_spinner")));

  gtk_test_widget_wait_for_draw (GTK_WIDGET (dialog));
  result = save_artefact (GTK_WIDGET (dialog), "verify-approved-flow");
  g_assert_cmpint (gdk_texture_get_height (result), <=, 600);

  /* Close ends it; no second "finished". */
  gtk_widget_activate_action (GTK_WIDGET (dialog), "verify.close", NULL);
  g_assert_cmpuint (finished.count, ==, 1);
  finished_clear (&finished);
  flow_stop (flow);
}

static void
test_flow_outcomes (void)
{
  static const struct
  {
    const char *name;
    const char *push;
    CqvOutcomeKind kind;
  } cases[] = {
    { "amy", "approve", CQV_OUTCOME_APPROVED },
    { "dan", "deny", CQV_OUTCOME_DENIED },
    { "fay", "fraud", CQV_OUTCOME_FRAUD_REPORTED },
    { "bob", "blocked", CQV_OUTCOME_BLOCKED },
  };
  g_autoptr (GString) users = g_string_new (NULL);
  Flow *flow;

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *user = sim_user_json (cases[i].name, cases[i].push, NULL);

      g_string_append_printf (users, "%s%s", i > 0 ? "," : "", user);
    }
  flow = flow_start (0, NULL, users->str);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr (CqvUser) user = sim_new_user (cases[i].name, CQV_AUTHENTICATOR_REGISTERED);
      CqvVerifyDialog *dialog = cqv_verify_dialog_new (NULL, flow->context, user, 60);
      Finished finished = { 0 };

      g_signal_connect (dialog, "finished", G_CALLBACK (finished_cb), &finished);
      show_and_draw (dialog);
      gtk_widget_activate_action (GTK_WIDGET (dialog), "verify.send", NULL);
      wait_finished (&finished, 1, 10000);

      g_assert_cmpint (cqv_outcome_get_kind (finished.outcome), ==, cases[i].kind);
      g_assert_cmpstr (label_text (result_child (dialog, "title_label")), ==,
                       cqv_outcome_kind_get_title (cases[i].kind));
      g_assert_cmpint (has_class_anywhere (GTK_WIDGET (dialog), "cqv-result-success"), ==,
                       cases[i].kind == CQV_OUTCOME_APPROVED);
      destroy_dialog (dialog);
      g_assert_cmpuint (finished.count, ==, 1);
      finished_clear (&finished);
    }
  flow_stop (flow);
}

static void
test_flow_escape_cancels (void)
{
  g_autofree char *users = sim_user_json ("ivy", "interactive", NULL);
  Flow *flow = flow_start (600, NULL, users);
  g_autoptr (CqvUser) user = sim_new_user ("ivy", CQV_AUTHENTICATOR_REGISTERED);
  CqvVerifyDialog *dialog = cqv_verify_dialog_new (NULL, flow->context, user, 60);
  Finished finished = { 0 };
  g_autoptr (GdkTexture) texture = NULL;

  g_signal_connect (dialog, "finished", G_CALLBACK (finished_cb), &finished);
  show_and_draw (dialog);
  gtk_widget_activate_action (GTK_WIDGET (dialog), "verify.send", NULL);
  g_assert_true (spin_until (waiting_state, dialog, 10000));
  sim_wait_for_begin (flow->sim, "ivy@" SIM_DOMAIN, 5000);

  g_assert_true (activate_escape (dialog));
  wait_finished (&finished, 1, 5000);
  g_assert_cmpint (cqv_outcome_get_kind (finished.outcome), ==, CQV_OUTCOME_CANCELLED);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (dialog)));
  g_assert_cmpstr (cqv_verify_dialog_get_page (dialog), ==, "result");
  g_assert_true (gtk_widget_has_css_class (child (dialog, "result_view"), "cqv-result-neutral"));
  g_assert_false (has_class_anywhere (GTK_WIDGET (dialog), "cqv-result-success"));
  gtk_test_widget_wait_for_draw (GTK_WIDGET (dialog));
  texture = save_artefact (GTK_WIDGET (dialog), "verify-cancelled-flow");

  /* Escape on the result closes the dialog. */
  g_object_ref (dialog);
  g_assert_true (activate_escape (dialog));
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (dialog)));
  g_assert_finalize_object (dialog);
  g_assert_cmpuint (finished.count, ==, 1);
  finished_clear (&finished);
  flow_stop (flow);
}

static gboolean
is_null (gpointer data)
{
  return *(gpointer *) data == NULL;
}

static void
test_flow_close_cancels (void)
{
  g_autofree char *users = sim_user_json ("ivy", "interactive", NULL);
  Flow *flow = flow_start (600, NULL, users);
  g_autoptr (CqvUser) user = sim_new_user ("ivy", CQV_AUTHENTICATOR_REGISTERED);
  CqvVerifyDialog *dialog = cqv_verify_dialog_new (NULL, flow->context, user, 60);
  Finished finished = { 0 };
  gpointer weak = dialog;

  g_signal_connect (dialog, "finished", G_CALLBACK (finished_cb), &finished);
  g_object_add_weak_pointer (G_OBJECT (dialog), &weak);
  show_and_draw (dialog);
  gtk_widget_activate_action (GTK_WIDGET (dialog), "verify.send", NULL);
  g_assert_true (spin_until (waiting_state, dialog, 10000));

  /* Closing the window while waiting cancels quietly, and still reports the outcome. */
  gtk_window_close (GTK_WINDOW (dialog));
  wait_finished (&finished, 1, 5000);
  g_assert_cmpint (cqv_outcome_get_kind (finished.outcome), ==, CQV_OUTCOME_CANCELLED);
  g_assert_true (spin_until (is_null, &weak, 5000));
  g_assert_cmpuint (finished.count, ==, 1);
  finished_clear (&finished);
  flow_stop (flow);
}

static void
test_flow_send_again (void)
{
  g_autofree char *users = sim_user_json ("lee", "no-answer", NULL);
  Flow *flow = flow_start (0, NULL, users);
  g_autoptr (CqvUser) user = sim_new_user ("lee", CQV_AUTHENTICATOR_REGISTERED);
  CqvVerifyDialog *dialog = cqv_verify_dialog_new (NULL, flow->context, user, 60);
  Finished finished = { 0 };

  g_signal_connect (dialog, "finished", G_CALLBACK (finished_cb), &finished);
  show_and_draw (dialog);
  gtk_widget_activate_action (GTK_WIDGET (dialog), "verify.send", NULL);
  wait_finished (&finished, 1, 15000);
  g_assert_cmpint (cqv_outcome_get_kind (finished.outcome), ==, CQV_OUTCOME_TIMED_OUT);
  g_assert_cmpstr (label_text (result_child (dialog, "title_label")), ==, "No Response");
  g_assert_false (has_class_anywhere (GTK_WIDGET (dialog), "cqv-result-success"));
  g_assert_true (gtk_widget_get_visible (child (dialog, "send_again_button")));
  g_assert_true (gtk_widget_is_sensitive (child (dialog, "send_again_button")));

  g_signal_emit_by_name (child (dialog, "send_again_button"), "clicked");
  g_assert_cmpstr (cqv_verify_dialog_get_page (dialog), ==, "waiting");
  wait_finished (&finished, 2, 15000);
  g_assert_nonnull (finished.context_ids[0]);
  g_assert_nonnull (finished.context_ids[1]);
  g_assert_cmpstr (finished.context_ids[0], !=, finished.context_ids[1]);
  g_assert_cmpuint (sim_fixture_count_begins (flow->sim, "lee@" SIM_DOMAIN), ==, 2);
  g_assert_cmpstr (cqv_verify_dialog_get_page (dialog), ==, "result");

  destroy_dialog (dialog);
  g_assert_cmpuint (finished.count, ==, 2);
  finished_clear (&finished);
  flow_stop (flow);
}

static gboolean
is_checking (CqvVerifyDialog *dialog)
{
  return g_strcmp0 (gtk_stack_get_visible_child_name (child (dialog, "option_status")),
                    "checking") == 0;
}

/* Neither the tenant's setup nor the user's Authenticator is being checked any more. */
static gboolean
check_settled (gpointer data)
{
  CqvVerifyDialog *dialog = data;

  return cqv_readiness_get_reason (cqv_verify_dialog_get_readiness (dialog)) !=
           CQV_READINESS_REASON_CHECK_AUTHENTICATOR &&
         !is_checking (dialog);
}

static void
test_flow_check_on_demand (void)
{
  g_autofree char *reggie = sim_user_json ("reggie", "approve", NULL);
  g_autofree char *users = g_strdup_printf ("%s, {\"id\": \"id-nora\", \"upn\": \"nora@" SIM_DOMAIN
                                            "\", \"display_name\": \"nora\", "
                                            "\"authenticator\": false}",
                                            reggie);
  Flow *flow = flow_start (0, NULL, users);
  const char *names[] = { "reggie", "nora" };

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autoptr (CqvUser) user = sim_new_user (names[i], CQV_AUTHENTICATOR_UNKNOWN);
      CqvVerifyDialog *dialog = cqv_verify_dialog_new (NULL, flow->context, user, 60);
      gboolean registered = i == 0;

      /* Unknown: checked at once, with a spinner on the option and Send held back. */
      g_assert_cmpstr (gtk_stack_get_visible_child_name (child (dialog, "option_status")), ==,
                       "checking");
      g_assert_true (gtk_spinner_get_spinning (child (dialog, "option_spinner")));
      g_assert_false (gtk_widget_get_sensitive (child (dialog, "option_button")));
      g_assert_false (gtk_widget_is_sensitive (child (dialog, "send_button")));
      show_and_draw (dialog);

      g_assert_true (spin_until (check_settled, dialog, 10000));
      g_assert_cmpint (cqv_user_get_authenticator (user), ==,
                       registered ? CQV_AUTHENTICATOR_REGISTERED
                                  : CQV_AUTHENTICATOR_NOT_REGISTERED);
      g_assert_cmpint (cqv_readiness_get_reason (cqv_verify_dialog_get_readiness (dialog)), ==,
                       registered ? CQV_READINESS_REASON_READY
                                  : CQV_READINESS_REASON_NOT_REGISTERED);
      g_assert_false (gtk_spinner_get_spinning (child (dialog, "option_spinner")));
      g_assert_cmpint (gtk_widget_is_sensitive (child (dialog, "option_button")), ==, registered);
      g_assert_cmpint (gtk_widget_is_sensitive (child (dialog, "send_button")), ==, registered);
      g_assert_cmpint (gtk_widget_get_visible (child (dialog, "checklist_button")), ==,
                       !registered);
      destroy_dialog (dialog);
    }
  flow_stop (flow);
}

static gboolean
size_settled (gpointer data)
{
  GtkWidget *stack = child (data, "stack");
  int width = gtk_widget_get_width (stack);
  int min_width = 0;
  int height = 0;

  gtk_widget_measure (stack, GTK_ORIENTATION_HORIZONTAL, -1, &min_width, NULL, NULL, NULL);
  if (width < min_width || width > gtk_widget_get_width (GTK_WIDGET (data)))
    return FALSE;
  gtk_widget_measure (stack, GTK_ORIENTATION_VERTICAL, width, NULL, &height, NULL, NULL);
  return gtk_widget_get_height (stack) >= height;
}

/* A message that grew after the window was mapped: wait for the window to grow with it before
 * a screenshot shows it. */
static void
wait_for_size (CqvVerifyDialog *dialog)
{
  g_assert_true (spin_until (size_settled, dialog, 20000));
  gtk_test_widget_wait_for_draw (GTK_WIDGET (dialog));
}

/* Occurrences of @needle in @haystack. */
static guint
count_in (const char *haystack, const char *needle)
{
  guint count = 0;

  for (const char *at = strstr (haystack, needle); at != NULL; at = strstr (at + 1, needle))
    count++;
  return count;
}

/* The option is greyed out with the red line @id of the tenant's setup checklist: its title,
 * what was found and its fix (once), a link to the page that fixes it, and the checklist. */
static void
assert_setup_refusal (CqvVerifyDialog *dialog, CqvTenantContext *context, const char *id)
{
  CqvTenantCheck *check = cqv_tenant_context_get_check (context);
  CqvCheckItem *line = cqv_tenant_check_find_item (check, id);
  CqvReadiness *readiness = cqv_verify_dialog_get_readiness (dialog);
  const char *reason = label_text (child (dialog, "reason_label"));

  g_assert_cmpint (cqv_check_item_get_status (line), ==, CQV_CHECK_STATUS_FAILED);
  g_assert_cmpstr (cqv_check_item_get_id (cqv_tenant_check_get_blocking_item (check)), ==, id);
  g_assert_cmpint (cqv_readiness_get_reason (readiness), ==, CQV_READINESS_REASON_TENANT_SETUP);
  g_assert_false (cqv_readiness_get_allowed (readiness));
  g_assert_cmpstr (reason, ==, cqv_readiness_get_message (readiness));
  g_assert_true (gtk_widget_is_drawable (child (dialog, "reason_label")));
  g_assert_nonnull (strstr (reason, cqv_check_item_get_title (line)));
  g_assert_nonnull (strstr (reason, cqv_check_item_get_detail (line)));
  g_assert_cmpuint (count_in (reason, cqv_check_item_get_fix (line)), ==, 1);
  g_assert_cmpuint (count_in (reason, "grant admin consent"), <=, 1);

  g_assert_false (gtk_widget_is_sensitive (child (dialog, "option_button")));
  g_assert_false (gtk_toggle_button_get_active (child (dialog, "option_button")));
  g_assert_false (gtk_widget_is_sensitive (child (dialog, "send_button")));
  g_assert_false (gtk_widget_get_visible (child (dialog, "checklist_button")));
  g_assert_true (gtk_widget_get_visible (child (dialog, "setup_button")));
  g_assert_true (gtk_widget_is_sensitive (child (dialog, "setup_button")));
  g_assert_cmpint (gtk_widget_get_visible (child (dialog, "fix_button")), ==,
                   cqv_check_item_get_fix_url (line) != NULL);
  g_assert_cmpstr (cqv_readiness_get_fix_url (readiness), ==, cqv_check_item_get_fix_url (line));
  if (cqv_check_item_get_fix_url (line) != NULL)
    {
      g_assert_true (gtk_widget_is_sensitive (child (dialog, "fix_button")));
      g_assert_cmpstr (gtk_actionable_get_action_name (child (dialog, "fix_button")), ==,
                       "verify.open-fix-url");
    }

  /* Nothing can be sent, not even by activating the action. */
  gtk_widget_activate_action (GTK_WIDGET (dialog), "verify.send", NULL);
  g_assert_null (cqv_verify_dialog_get_verification (dialog));
  g_assert_cmpstr (cqv_verify_dialog_get_page (dialog), ==, "prepare");
}

/* The tenant's setup was never checked: the first dialog checks it, and a missing Graph
 * permission greys the option out. */
static void
test_flow_check_permission_missing (void)
{
  g_autofree char *users = sim_user_json ("reggie", "approve", NULL);
  Flow *flow =
    flow_start_full (0, NULL, "\"User.Read.All\", \"Application.ReadWrite.All\"", users, FALSE);
  g_autoptr (CqvUser) user = sim_new_user ("reggie", CQV_AUTHENTICATOR_UNKNOWN);
  CqvVerifyDialog *dialog = cqv_verify_dialog_new (NULL, flow->context, user, 60);
  g_autoptr (GdkTexture) texture = NULL;

  show_and_draw (dialog);
  g_assert_true (spin_until (check_settled, dialog, 10000));
  assert_setup_refusal (dialog, flow->context, CQV_CHECK_PERMISSION_AUTHENTICATOR);
  g_assert_nonnull (strstr (label_text (child (dialog, "reason_label")),
                            "UserAuthMethod-MicrosoftAuthApp.Read.All"));
  wait_for_size (dialog);
  texture = save_artefact (GTK_WIDGET (dialog), "verify-refused-permission-flow");
  g_assert_cmpint (gdk_texture_get_height (texture), <=, 600);

  destroy_dialog (dialog);
  flow_stop (flow);
}

static gboolean
check_idle (gpointer data)
{
  return !cqv_tenant_check_get_running (data);
}

static gboolean
send_enabled (gpointer data)
{
  return gtk_widget_is_sensitive (child (data, "send_button"));
}

static gboolean
checklist_window_shown (gpointer data)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr (GtkWindow) window = g_list_model_get_item (toplevels, i);

      if (CQV_IS_CHECKLIST_WINDOW (window))
        {
          *(GtkWindow **) data = window;
          return TRUE;
        }
    }
  return FALSE;
}

/* A disabled MFA Connector: greyed out with the checklist line's fix; fixed in the tenant and
 * checked again in the checklist window, the open dialog and a new one allow the push. */
static void
test_flow_setup_blocks (void)
{
  g_autofree char *users = sim_user_json ("amy", "approve", NULL);
  Flow *flow = flow_start_full (0, ", \"mfa_connector_sp\": \"disabled\"", NULL, users, FALSE);
  CqvTenantCheck *check = cqv_tenant_context_get_check (flow->context);
  g_autoptr (CqvUser) user = sim_new_user ("amy", CQV_AUTHENTICATOR_REGISTERED);
  CqvVerifyDialog *dialog = cqv_verify_dialog_new (NULL, flow->context, user, 60);
  CqvVerifyDialog *again;
  GtkWindow *checklist = NULL;
  Finished finished = { 0 };
  g_autoptr (GdkTexture) texture = NULL;

  /* Never checked: the dialog checks the tenant first, and holds Send back meanwhile. */
  g_assert_true (cqv_tenant_check_get_running (check));
  g_assert_true (is_checking (dialog));
  g_assert_false (gtk_widget_get_sensitive (child (dialog, "option_button")));
  g_assert_false (gtk_widget_is_sensitive (child (dialog, "send_button")));
  g_assert_cmpstr (label_text (child (dialog, "reason_label")), ==,
                   "Checking this tenant’s setup…");
  show_and_draw (dialog);
  g_assert_true (spin_until (check_settled, dialog, 10000));

  assert_setup_refusal (dialog, flow->context, CQV_CHECK_MFA_CONNECTOR);
  g_assert_nonnull (strstr (label_text (child (dialog, "reason_label")), "Enable it"));
  wait_for_size (dialog);
  texture = save_artefact (GTK_WIDGET (dialog), "verify-refused-tenant-setup");
  g_assert_cmpint (gdk_texture_get_height (texture), <=, 600);

  /* The checklist opens beside it, on the same check. */
  gtk_widget_activate_action (GTK_WIDGET (dialog), "verify.open-setup-checklist", NULL);
  g_assert_true (spin_until (checklist_window_shown, &checklist, 5000));
  g_assert_true (cqv_checklist_window_get_context (CQV_CHECKLIST_WINDOW (checklist)) ==
                 flow->context);
  g_assert_true (spin_until (check_idle, check, 10000));

  /* Fixed in the tenant, checked again there: the open dialog follows. */
  sim_fixture_set_tenant (flow->sim, "{\"mfa_connector_sp\": \"enabled\"}");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (checklist), "checklist.recheck", NULL));
  g_assert_true (cqv_tenant_check_get_running (check));
  g_assert_true (spin_until (check_idle, check, 10000));
  g_assert_null (cqv_tenant_check_get_blocking_item (check));
  g_assert_true (spin_until (send_enabled, dialog, 2000));
  g_assert_cmpint (cqv_readiness_get_reason (cqv_verify_dialog_get_readiness (dialog)), ==,
                   CQV_READINESS_REASON_READY);
  g_assert_false (gtk_widget_get_visible (child (dialog, "setup_button")));
  g_assert_false (gtk_widget_get_visible (child (dialog, "fix_button")));
  gtk_window_destroy (checklist);
  destroy_dialog (dialog);

  /* A new dialog allows the push at once, and it goes out. */
  sim_fixture_clear_requests (flow->sim);
  again = cqv_verify_dialog_new (NULL, flow->context, user, 60);
  g_assert_false (is_checking (again));
  g_assert_true (gtk_widget_is_sensitive (child (again, "option_button")));
  g_signal_connect (again, "finished", G_CALLBACK (finished_cb), &finished);
  show_and_draw (again);
  g_assert_true (gtk_widget_is_sensitive (child (again, "send_button")));
  gtk_widget_activate_action (GTK_WIDGET (again), "verify.send", NULL);
  wait_finished (&finished, 1, 10000);
  g_assert_cmpint (cqv_outcome_get_kind (finished.outcome), ==, CQV_OUTCOME_APPROVED);
  /* The setup was not checked again for it. */
  g_assert_cmpuint (sim_fixture_count_requests (flow->sim, "GET", "userRegistrationDetails", 0), ==,
                    0);
  destroy_dialog (again);
  finished_clear (&finished);
  flow_stop (flow);
}

/* Unreachable endpoints: the credentials line turns red, and that is the dialog's verdict, not a
 * spinner for ever. */
static void
test_setup_network_failure (void)
{
  g_autoptr (CqvTenantContext) context = offline_context ();
  g_autoptr (CqvUser) user = adele (CQV_AUTHENTICATOR_REGISTERED);
  CqvVerifyDialog *dialog = cqv_verify_dialog_new (NULL, context, user, 60);

  g_assert_true (is_checking (dialog));
  show_and_draw (dialog);
  g_assert_true (spin_until (check_settled, dialog, 20000));
  assert_setup_refusal (dialog, context, CQV_CHECK_CREDENTIALS);
  destroy_dialog (dialog);
}

/* A dialog closed while the check runs does not leave the next one waiting, nor does another
 * caller giving up on a run the dialog waits for. */
static void
test_flow_setup_cancelled (void)
{
  g_autofree char *users = sim_user_json ("amy", "approve", NULL);
  Flow *flow = flow_start_full (0, NULL, NULL, users, FALSE);
  CqvTenantCheck *check = cqv_tenant_context_get_check (flow->context);
  g_autoptr (CqvUser) user = sim_new_user ("amy", CQV_AUTHENTICATOR_REGISTERED);
  CqvChecklistWindow *window;
  CqvVerifyDialog *dialog;

  /* Closed at once: its run stops, with no verdict. */
  dialog = cqv_verify_dialog_new (NULL, flow->context, user, 60);
  g_assert_true (cqv_tenant_check_get_running (check));
  destroy_dialog (dialog);
  g_assert_true (spin_until (check_idle, check, 5000));
  g_assert_false (cqv_tenant_check_get_has_run (check));

  /* The checklist window starts a run, a dialog joins it, the window closes: the run goes on
   * for the dialog. */
  window = cqv_checklist_window_new (NULL, flow->context);
  g_assert_true (cqv_tenant_check_get_running (check));
  dialog = cqv_verify_dialog_new (NULL, flow->context, user, 60);
  g_assert_true (is_checking (dialog));
  gtk_window_destroy (GTK_WINDOW (window));
  show_and_draw (dialog);
  g_assert_true (spin_until (check_settled, dialog, 10000));
  g_assert_true (cqv_tenant_check_get_has_run (check));
  g_assert_true (cqv_tenant_check_get_passed (check));
  g_assert_cmpint (cqv_readiness_get_reason (cqv_verify_dialog_get_readiness (dialog)), ==,
                   CQV_READINESS_REASON_READY);
  g_assert_true (gtk_widget_is_sensitive (child (dialog, "send_button")));
  destroy_dialog (dialog);
  flow_stop (flow);
}

static void
load_css (void)
{
  g_autoptr (GtkCssProvider) provider = gtk_css_provider_new ();

  gtk_css_provider_load_from_resource (provider, "/com/cyberqp/Verify/style.css");
  gtk_style_context_add_provider_for_display (gdk_display_get_default (),
                                              GTK_STYLE_PROVIDER (provider),
                                              GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);
}

int
main (int argc, char **argv)
{
  gtk_test_init (&argc, &argv, NULL);
  g_object_set (gtk_settings_get_default (), "gtk-enable-animations", FALSE, NULL);
  load_css ();

  g_test_add_func ("/cqv/verify-dialog/avatar", test_avatar);
  g_test_add_func ("/cqv/verify-dialog/result-view/new-destroy", test_result_view_new_destroy);
  g_test_add_func ("/cqv/verify-dialog/new-destroy", test_dialog_new_destroy);
  g_test_add_func ("/cqv/verify-dialog/ready", test_ready);
  g_test_add_func ("/cqv/verify-dialog/refusals", test_refusals);
  g_test_add_func ("/cqv/verify-dialog/results", test_results);
  g_test_add_func ("/cqv/verify-dialog/results-dark", test_results_dark);
  g_test_add_func ("/cqv/verify-dialog/long-names", test_long_names);
  g_test_add_func ("/cqv/verify-dialog/flow/approve-countdown", test_flow_approve_countdown);
  g_test_add_func ("/cqv/verify-dialog/flow/outcomes", test_flow_outcomes);
  g_test_add_func ("/cqv/verify-dialog/flow/escape-cancels", test_flow_escape_cancels);
  g_test_add_func ("/cqv/verify-dialog/flow/close-cancels", test_flow_close_cancels);
  g_test_add_func ("/cqv/verify-dialog/flow/send-again", test_flow_send_again);
  g_test_add_func ("/cqv/verify-dialog/flow/check-on-demand", test_flow_check_on_demand);
  g_test_add_func ("/cqv/verify-dialog/flow/check-permission-missing",
                   test_flow_check_permission_missing);
  g_test_add_func ("/cqv/verify-dialog/flow/setup-blocks", test_flow_setup_blocks);
  g_test_add_func ("/cqv/verify-dialog/flow/setup-cancelled", test_flow_setup_cancelled);
  g_test_add_func ("/cqv/verify-dialog/setup-network-failure", test_setup_network_failure);

  return g_test_run ();
}
