/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

#define SIM_MFA_CLIENT_APP_ID "981f26a1-7f43-403b-a875-f8b09b8cd720"
#define SIM_MFA_CONNECTOR_APP_ID "1f5530b3-261a-47a9-b357-ded261e17918"
/* Days until an app's secret expires unless the scenario says otherwise. */
#define SIM_APP_SECRET_DEFAULT_DAYS 365

#define SIM_SCENARIO_ERROR (sim_scenario_error_quark ())

typedef enum
{
  SIM_SCENARIO_ERROR_INVALID,
} SimScenarioError;

typedef enum
{
  SIM_PUSH_DEFAULT,
  SIM_PUSH_APPROVE,
  SIM_PUSH_DENY,
  SIM_PUSH_FRAUD,
  SIM_PUSH_NO_ANSWER,
  SIM_PUSH_OTP_DEFAULT,
  SIM_PUSH_NOT_ENROLLED,
  SIM_PUSH_BLOCKED,
  SIM_PUSH_DUPLICATE,
  SIM_PUSH_THROTTLED,
  SIM_PUSH_INTERACTIVE,
  SIM_PUSH_WRONG_UPN,
  SIM_PUSH_MALFORMED,
} SimPushKind;

typedef enum
{
  SIM_FAULT_429,
  SIM_FAULT_503,
  SIM_FAULT_504,
  SIM_FAULT_DROP,
  SIM_FAULT_SLOW,
  SIM_FAULT_MALFORMED,
} SimFaultKind;

typedef struct
{
  char *id;
  char *display_name;
  char *given_name;
  char *surname;
  char *upn;
  char *upn_key; /* ASCII-lowercased UPN, the lookup key */
  char *mail;
  char *job_title;
  char *department;
  gboolean guest;
  gboolean account_enabled;
  gboolean authenticator;
  int sync; /* -1 never synced (null), 0 formerly synced, 1 synced */
  SimPushKind push;
  double delay_seconds;
  char *method_id; /* id of the Authenticator method object */
  guint begins;    /* BeginTwoWayAuthentication requests seen */
  guint pushes;    /* notifications "sent" to the phone */
} SimUser;

typedef struct
{
  char *client_id;
  char *display_name;
  char *secret;
  GStrv roles;
  gboolean consented;
  gboolean secret_expired;
  /* The app registration's password credential for @secret (GET /applications). */
  char *secret_key_id;
  GDateTime *secret_start;
  GDateTime *secret_end;
} SimApp;

typedef struct
{
  char *key_id;
  char *display_name;
  char *secret;
  char *hint;
  GDateTime *start;
  GDateTime *end;
  gint64 usable_after; /* monotonic µs: secret propagation */
} SimPassword;

typedef struct
{
  char *id;
  char *app_id;
  char *display_name;
  gboolean enabled;
  GPtrArray *passwords; /* SimPassword */
} SimServicePrincipal;

typedef struct
{
  char *path;
  SimFaultKind kind;
  char *retry_after;
  int after;
  int count;
  int delay_ms;
  int seen;
  int fired;
} SimFault;

typedef struct
{
  char *tenant_id;
  char *display_name;
  GStrv domains;
  GPtrArray *apps;   /* SimApp */
  GPtrArray *sps;    /* SimServicePrincipal */
  GPtrArray *faults; /* SimFault */
  GPtrArray *users;  /* SimUser, in directory order */
  GHashTable *users_by_id;
  GHashTable *users_by_upn;
  gboolean p1;
  double secret_propagation_seconds;
  int max_password_lifetime_days;
} SimTenant;

typedef struct
{
  double push_window_seconds;
  int token_lifetime_seconds;
  GPtrArray *tenants; /* SimTenant */
} SimScenario;

GQuark sim_scenario_error_quark (void);

SimScenario *sim_scenario_new_from_data (const char *data, gssize length, GError **error);
SimScenario *sim_scenario_new_from_file (const char *path, GError **error);
SimScenario *sim_scenario_new_demo (GError **error);
void sim_scenario_free (SimScenario *self);

SimTenant *sim_scenario_find_tenant (SimScenario *self, const char *id_or_domain);
SimTenant *sim_scenario_find_tenant_of_upn (SimScenario *self, const char *upn);

gboolean
sim_tenant_merge_json (SimTenant *self, SimScenario *scenario, JsonObject *object, GError **error);
SimUser *sim_tenant_find_user (SimTenant *self, const char *id_or_upn);
SimApp *sim_tenant_find_app (SimTenant *self, const char *client_id);
SimServicePrincipal *sim_tenant_find_sp (SimTenant *self, const char *app_id);
SimServicePrincipal *sim_tenant_find_sp_by_id (SimTenant *self, const char *id);
SimServicePrincipal *sim_tenant_ensure_sp (SimTenant *self, const char *app_id, gboolean enabled);
void sim_tenant_remove_sp (SimTenant *self, const char *app_id);
void sim_tenant_add_user (SimTenant *self, SimUser *user);
void
sim_tenant_generate_users (SimTenant *self, guint count, guint32 seed, double authenticator_ratio);

SimUser *sim_user_new (void);
void sim_user_free (SimUser *user);
SimPushKind sim_user_effective_push (const SimUser *user);
void sim_password_free (SimPassword *password);

/* shared between sim-scenario.c and sim-scenario-parse.c */
SimTenant *sim_tenant_new (const char *tenant_id);
void sim_tenant_free (SimTenant *tenant);
void sim_app_free (SimApp *app);
void sim_fault_free (SimFault *fault);

char *sim_guid_from_string (const char *seed);
char *sim_guid_random (void);
char *sim_ascii_key (const char *str);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SimScenario, sim_scenario_free)

G_END_DECLS
