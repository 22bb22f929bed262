/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

/* A simulator tenant with one user per push behaviour (named after it, e.g. "deny@…") plus a
 * slow and an unregistered user, an in-memory secret store and a context; and helpers that run
 * one verification to its outcome. Shared by the verification and connector-secrets tests.
 * Header-only (static inline), like cqv-sim-fixture.h. */

#include "cqv-sim-fixture.h"
#include "cqv-verification.h"

typedef struct
{
  SimFixture *sim;
  CqvSecretStore *store;
  CqvTenantContext *context;
} Fixture;

static inline void
fixture_start (Fixture *f, guint push_window, const char *tenant_extra, const char *roles)
{
  g_autofree char *users = NULL;
  g_autofree char *scenario = NULL;
  const char *kinds[] = { "approve",     "deny",         "fraud",    "no-answer",
                          "otp-default", "not-enrolled", "blocked",  "duplicate",
                          "throttled",   "wrong-upn",    "malformed" };
  GString *list = g_string_new (NULL);

  for (guint i = 0; i < G_N_ELEMENTS (kinds); i++)
    {
      g_autofree char *user = sim_user_json (kinds[i], kinds[i], NULL);

      g_string_append_printf (list, "%s%s", i > 0 ? ", " : "", user);
    }
  /* Approves long after any deadline a test sets. */
  g_string_append (list, ", {\"id\": \"id-slow\", \"upn\": \"slow@" SIM_DOMAIN "\", "
                         "\"authenticator\": true, \"push\": \"approve\", \"delay_seconds\": 200}");
  /* No Authenticator registered. */
  g_string_append (list, ", {\"id\": \"id-bare\", \"upn\": \"bare@" SIM_DOMAIN "\", "
                         "\"authenticator\": false, \"push\": \"not-enrolled\"}");
  users = g_string_free (list, FALSE);

  scenario = sim_scenario_json (push_window, tenant_extra, roles, users);
  f->sim = sim_fixture_start (scenario);
  f->store = cqv_secret_store_new_in_memory ();
  f->context = sim_fixture_new_context (f->sim, f->store);
}

static inline void
fixture_stop (Fixture *f)
{
  sim_wait_finalized (g_steal_pointer (&f->context), 2000);
  g_clear_object (&f->store);
  sim_fixture_stop (f->sim);
}

static inline CqvOutcome *
run (CqvVerification *verification)
{
  g_autoptr (GAsyncResult) result = NULL;
  g_autoptr (GError) error = NULL;
  CqvOutcome *outcome;

  cqv_verification_run_async (verification, NULL, sim_store_result_cb, &result);
  sim_wait_for_result (&result, 20000);
  outcome = cqv_verification_run_finish (verification, result, &error);
  g_assert_no_error (error);
  g_assert_nonnull (outcome);
  g_assert_true (outcome == cqv_verification_get_outcome (verification));
  g_assert_cmpint (cqv_verification_get_state (verification), ==, CQV_VERIFICATION_STATE_DONE);
  return outcome;
}

static inline CqvOutcome *
verify (CqvTenantContext *context, const char *name, CqvVerification **out)
{
  g_autoptr (CqvUser) user = sim_new_user (name, CQV_AUTHENTICATOR_REGISTERED);
  g_autoptr (CqvVerification) verification = cqv_verification_new (context, user, "T-1");
  CqvOutcome *outcome = run (verification);

  if (out != NULL)
    *out = g_steal_pointer (&verification);
  return outcome;
}
