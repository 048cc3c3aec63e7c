/* rc-test-sim.c: the in-process simulator and a signed-in client for unit tests. */
#include "rc-test-sim.h"

#include "rc-test-util.h"

RcSim *
rc_test_sim_start (const char *scenario_json)
{
  g_autoptr (GError) error = NULL;
  RcSim *sim = rc_sim_new_from_data (scenario_json, &error);

  g_assert_no_error (error);
  g_assert_true (rc_sim_start (sim, 0, &error));
  g_assert_no_error (error);
  return sim;
}

RcClient *
rc_test_sim_client (RcSim *sim)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GAsyncResult) result = NULL;
  g_autofree char *base = rc_sim_get_base_url (sim);
  RcClient *client = rc_client_new (base, "demo-client-id", "demo-client-secret", &error);

  g_assert_no_error (error);
  rc_client_set_jwt (client, "demo-jwt");
  rc_client_sign_in_async (client, NULL, rc_test_got_result, &result);
  g_assert_true (rc_client_sign_in_finish (client, rc_test_wait_result (&result), &error));
  g_assert_no_error (error);
  rc_sim_clear_requests (sim);
  return client;
}
