/* SPDX-License-Identifier: GPL-3.0-or-later */
/* A warm push against the simulator: how many requests are on the critical path, and how much
 * of our own time passes between starting the verification and the push request leaving.
 *
 * "Leaving" is the connector's "Sending push" debug message, written right before the request
 * is handed to CqvHttpClient (libsoup then writes it to a loopback socket); a log writer
 * timestamps it. The round trip adds the simulator's answer (approve, delay 0) and parsing. */

#define G_LOG_DOMAIN "bench-push"

#include "config.h"

#include <string.h>

#include "cqv-sim-fixture.h"
#include "cqv-verification.h"

#define WARM_RUNS 20

static gint64 push_sent_at;

static GLogWriterOutput
writer_cb (GLogLevelFlags level, const GLogField *fields, gsize n_fields, gpointer user_data)
{
  if (level & (G_LOG_LEVEL_DEBUG | G_LOG_LEVEL_INFO))
    {
      for (gsize i = 0; i < n_fields; i++)
        {
          if (g_str_equal (fields[i].key, "MESSAGE") && fields[i].length < 0 &&
              g_str_has_prefix (fields[i].value, "Sending push"))
            push_sent_at = g_get_monotonic_time ();
        }
      return G_LOG_WRITER_HANDLED;
    }
  return g_log_writer_default (level, fields, n_fields, user_data);
}

static CqvOutcome *
run_once (CqvTenantContext *context, CqvUser *user, gint64 *our_us, gint64 *total_us)
{
  g_autoptr (CqvVerification) verification = cqv_verification_new (context, user, NULL);
  g_autoptr (GAsyncResult) result = NULL;
  g_autoptr (GError) error = NULL;
  CqvOutcome *outcome;
  gint64 start;

  push_sent_at = 0;
  start = g_get_monotonic_time ();
  cqv_verification_run_async (verification, NULL, sim_store_result_cb, &result);
  sim_wait_for_result (&result, 30000);
  outcome = cqv_verification_run_finish (verification, result, &error);
  *total_us = g_get_monotonic_time () - start;
  g_assert_no_error (error);
  g_assert_cmpint (push_sent_at, >, 0);
  *our_us = push_sent_at - start;
  return outcome;
}

static int
compare_gint64 (gconstpointer a, gconstpointer b)
{
  gint64 x = *(const gint64 *) a, y = *(const gint64 *) b;

  return x < y ? -1 : x > y;
}

int
main (int argc, char *argv[])
{
  g_autofree char *user_json = sim_user_json ("bench", "approve", ", \"delay_seconds\": 0");
  g_autofree char *scenario = sim_scenario_json (0, NULL, NULL, user_json);
  g_autoptr (CqvSecretStore) store = NULL;
  g_autoptr (CqvUser) user = NULL;
  g_autoptr (CqvOutcome) cold = NULL;
  CqvTenantContext *context;
  SimFixture *fx;
  gint64 our_us[WARM_RUNS], total_us[WARM_RUNS];
  gint64 cold_our_us, cold_total_us;
  guint cold_requests;
  guint max_requests = 0, min_requests = G_MAXUINT;

  g_log_set_writer_func (writer_cb, NULL, NULL);

  fx = sim_fixture_start (scenario);
  store = cqv_secret_store_new_in_memory ();
  context = sim_fixture_new_context (fx, store);
  cqv_push_guard_set_max_pushes (cqv_tenant_context_get_push_guard (context), WARM_RUNS + 10);
  user = sim_new_user ("bench", CQV_AUTHENTICATOR_REGISTERED);

  /* Cold: tokens, service principals and a new connector secret. */
  sim_fixture_clear_requests (fx);
  cold = run_once (context, user, &cold_our_us, &cold_total_us);
  g_assert_true (cqv_outcome_is_approved (cold));
  cold_requests = sim_fixture_count_all_requests (fx);

  for (guint i = 0; i < WARM_RUNS; i++)
    {
      g_autoptr (CqvOutcome) outcome = NULL;
      guint requests;

      sim_fixture_clear_requests (fx);
      outcome = run_once (context, user, &our_us[i], &total_us[i]);
      g_assert_true (cqv_outcome_is_approved (outcome));
      requests = sim_fixture_count_all_requests (fx);
      max_requests = MAX (max_requests, requests);
      min_requests = MIN (min_requests, requests);
    }

  qsort (our_us, WARM_RUNS, sizeof (gint64), compare_gint64);
  qsort (total_us, WARM_RUNS, sizeof (gint64), compare_gint64);

  g_print ("bench-push (simulator on loopback, approve with delay 0)\n");
  g_print ("  cold push: %u requests, %.2f ms before the push left, %.2f ms in all\n",
           cold_requests, cold_our_us / 1000.0, cold_total_us / 1000.0);
  g_print ("  warm push, %d runs: requests on the critical path: %u (min %u, max %u; budget 1)\n",
           WARM_RUNS, max_requests, min_requests, max_requests);
  g_print ("  warm push: our work from run_async to the push request leaving: "
           "median %.3f ms, max %.3f ms (budget 20 ms)\n",
           our_us[WARM_RUNS / 2] / 1000.0, our_us[WARM_RUNS - 1] / 1000.0);
  g_print ("  warm push: run_async to outcome (includes the simulator and parsing): "
           "median %.3f ms, max %.3f ms\n",
           total_us[WARM_RUNS / 2] / 1000.0, total_us[WARM_RUNS - 1] / 1000.0);

  sim_wait_finalized (context, 2000);
  sim_fixture_stop (fx);

  return max_requests == 1 && min_requests == 1 ? 0 : 1;
}
