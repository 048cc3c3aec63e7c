/* test-faults.c: server errors as the user sees them, token expiry and revocation, rate limits.
 * Faults are injected into the simulator directly (never through the conformance proxy). */
#include "itest.h"

#include <string.h>

#define CONTACT "+16505550199"

static void
test_send_server_error (void)
{
  g_autoptr (ITest) t = itest_new ("basic.json", NULL);
  PurpleConversation *conv;
  const char *name;
  const RcpWriteRecord *line;

  /* Slow sync rounds keep the log about the send only. */
  purple_account_set_int (t->account, "sync_interval", 60);
  rcp_harness_sign_on_ok (t->h);
  rc_sim_inject_fault (t->sim, SMS_PATH, RC_SIM_FAULT_500, 1, 0);
  conv = rcp_harness_send_im (t->h, CONTACT, "doomed");
  name = purple_conversation_get_name (conv);
  g_assert_true (rcp_harness_wait_for_write (t->h, name, PURPLE_MESSAGE_ERROR,
                                             "Could not send: ", RCP_HARNESS_TIMEOUT_MS));
  line = rcp_harness_find_write (t->h, name, PURPLE_MESSAGE_ERROR, "Could not send: ");
  g_test_message ("error line: %s", line->text);
  /* The reason ends with the RingCentral code of the answer. */
  g_assert_nonnull (strstr (line->text, "CMN-201"));
  g_assert_cmpuint (itest_request (t, "POST", SMS_PATH, 0)->status, ==, 500);
  rcp_harness_run_for (300);
  g_assert_cmpuint (rcp_harness_count_writes (t->h, name, PURPLE_MESSAGE_ERROR, NULL), ==, 1);
  /* A failed send does not end the connection. */
  g_assert_true (purple_account_is_connected (t->account));
  g_assert_cmpuint (rcp_harness_connection_errors (t->h), ==, 0);

  /* The next text goes through. */
  purple_conv_im_send (PURPLE_CONV_IM (conv), "second try");
  g_assert_true (itest_wait_count (t, "POST", SMS_PATH, 2, RCP_HARNESS_TIMEOUT_MS));
  g_assert_cmpuint (itest_request (t, "POST", SMS_PATH, 1)->status, ==, 200);
}

static void
test_send_token_expired (void)
{
  g_autoptr (ITest) t = itest_new ("basic.json", NULL);
  PurpleConversation *conv;
  guint mark;
  RcSimRequest *first, *second;
  g_autofree char *log = NULL;

  purple_account_set_int (t->account, "sync_interval", 60);
  rcp_harness_sign_on_ok (t->h);
  mark = rc_sim_get_requests (t->sim)->len;
  rc_sim_inject_fault (t->sim, SMS_PATH, RC_SIM_FAULT_401, 1, 0);
  conv = rcp_harness_send_im (t->h, CONTACT, "after expiry");
  g_assert_true (itest_wait_count (t, "POST", SMS_PATH, 2, RCP_HARNESS_TIMEOUT_MS));
  rcp_harness_run_for (300);
  log = itest_dump_requests (t);
  g_test_message ("requests:\n%s", log);

  first = itest_request (t, "POST", SMS_PATH, 0);
  second = itest_request (t, "POST", SMS_PATH, 1);
  g_assert_cmpuint (first->status, ==, 401);
  g_assert_cmpuint (second->status, ==, 200);
  /* One refresh between them, no new JWT grant. */
  g_assert_cmpuint (itest_count_grants (t, "refresh_token", mark), ==, 1);
  g_assert_cmpuint (itest_count_grants (t, JWT_GRANT, mark), ==, 0);
  g_assert_cmpstr (second->bearer_token, !=, first->bearer_token);
  g_assert_cmpstr (second->bearer_token, ==,
                   purple_account_get_string (t->account, "oauth_access_token", NULL));
  g_assert_cmpuint (itest_count (t, "POST", SMS_PATH), ==, 2);
  g_assert_cmpuint (rcp_harness_count_writes (t->h, purple_conversation_get_name (conv),
                                              PURPLE_MESSAGE_ERROR, NULL),
                    ==, 0);
}

static void
test_send_tokens_revoked (void)
{
  g_autoptr (ITest) t = itest_new ("basic.json", NULL);
  PurpleConversation *conv;
  guint mark;
  g_autofree char *log = NULL;
  RcSimRequest *last;

  purple_account_set_int (t->account, "sync_interval", 60);
  rcp_harness_sign_on_ok (t->h);
  mark = rc_sim_get_requests (t->sim)->len;
  rc_sim_revoke_all_tokens (t->sim);
  conv = rcp_harness_send_im (t->h, CONTACT, "after revocation");

  /* 401 → refresh refused → a new JWT grant → the send again. */
  g_assert_true (itest_wait_count (t, "POST", SMS_PATH, 2, RCP_HARNESS_TIMEOUT_MS));
  rcp_harness_run_for (300);
  log = itest_dump_requests (t);
  g_test_message ("requests:\n%s", log);
  g_assert_cmpuint (itest_count_grants (t, "refresh_token", mark), ==, 1);
  g_assert_cmpuint (itest_count_grants (t, JWT_GRANT, mark), ==, 1);
  last = itest_request (t, "POST", SMS_PATH, itest_count (t, "POST", SMS_PATH) - 1);
  g_assert_cmpuint (last->status, ==, 200);
  g_assert_cmpuint (itest_count (t, "POST", SMS_PATH), ==, 2);
  g_assert_cmpuint (rcp_harness_count_writes (t->h, purple_conversation_get_name (conv),
                                              PURPLE_MESSAGE_ERROR, NULL),
                    ==, 0);
  g_assert_true (purple_account_is_connected (t->account));
  g_assert_cmpuint (rcp_harness_connection_errors (t->h), ==, 0);
}

/* Timestamps each request the simulator records, from the waits' tick. */
typedef struct {
  ITest *t;
  GArray *times; /* gint64 monotonic µs, index = request index */
} Stamps;

static gboolean
stamp_requests (gpointer data)
{
  Stamps *s = data;
  GPtrArray *requests = rc_sim_get_requests (s->t->sim);
  gint64 now = g_get_monotonic_time ();

  while (s->times->len < requests->len)
    g_array_append_val (s->times, now);
  return FALSE;
}

static void
test_signon_rate_limited (void)
{
  g_autoptr (ITest) t = itest_new ("basic.json", NULL);
  Stamps stamps = { t, g_array_new (FALSE, FALSE, sizeof (gint64)) };
  GPtrArray *requests;
  int limited = -1;
  g_autofree char *log = NULL;

  rc_sim_inject_fault (t->sim, NUMBERS_PATH, RC_SIM_FAULT_429, 1, 1);
  rcp_harness_set_tick (stamp_requests, &stamps);
  rcp_harness_sign_on_ok (t->h);
  rcp_harness_set_tick (NULL, NULL);
  stamp_requests (&stamps);
  log = itest_dump_requests (t);
  g_test_message ("requests:\n%s", log);

  requests = rc_sim_get_requests (t->sim);
  for (guint i = 0; i < requests->len && limited < 0; i++)
    if (((RcSimRequest *)g_ptr_array_index (requests, i))->status == 429)
      limited = (int)i;
  g_assert_cmpint (limited, >=, 0);
  g_assert_cmpstr (((RcSimRequest *)g_ptr_array_index (requests, limited))->path, ==, NUMBERS_PATH);
  /* Nothing at all during the Retry-After second (a little slack for timer granularity). */
  g_assert_cmpuint (requests->len, >, (guint)limited + 1);
  g_assert_cmpint (g_array_index (stamps.times, gint64, limited + 1)
                       - g_array_index (stamps.times, gint64, limited),
                   >=, 900 * 1000);
  /* Then the list again, and it worked. */
  g_assert_cmpstr (((RcSimRequest *)g_ptr_array_index (requests, limited + 1))->path, ==,
                   NUMBERS_PATH);
  g_assert_cmpuint (((RcSimRequest *)g_ptr_array_index (requests, limited + 1))->status, ==, 200);
  g_array_unref (stamps.times);
}

static void
test_signon_server_down (void)
{
  g_autoptr (ITest) t = itest_new ("basic.json", NULL);
  PurpleConnectionError reason = 0;
  g_autofree char *description = NULL;

  /* 5xx on every try of the token request: a network error, which the UIs retry later. */
  rc_sim_inject_fault (t->sim, TOKEN_PATH, RC_SIM_FAULT_503, 100, 0);
  g_assert_cmpint (rcp_harness_sign_on (t->h, 60000, &reason, &description), ==, RCP_SIGNON_ERROR);
  g_test_message ("error %d: %s", reason, description);
  g_assert_cmpint (reason, ==, PURPLE_CONNECTION_ERROR_NETWORK_ERROR);
  g_assert_false (purple_connection_error_is_fatal (reason));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  /* Fault injection bypasses the proxy: nothing here runs in a conformance run. */
  itest_add ("/faults/send-server-error", test_send_server_error, FALSE);
  itest_add ("/faults/send-token-expired", test_send_token_expired, FALSE);
  itest_add ("/faults/send-tokens-revoked", test_send_tokens_revoked, FALSE);
  itest_add ("/faults/signon-rate-limited", test_signon_rate_limited, FALSE);
  itest_add ("/faults/signon-server-down", test_signon_server_down, FALSE);
  return g_test_run ();
}
