/* test-signon.c: signing on with a JWT, token reuse, refused credentials, bad settings. */
#include "itest.h"

#include <string.h>

static void
assert_progress_in_order (RcpHarness *h)
{
  const char *steps[] = { "Signing in", "Loading send-from numbers", "Syncing messages" };
  GPtrArray *progress = rcp_harness_progress (h);
  guint at = 0;

  for (guint s = 0; s < G_N_ELEMENTS (steps); s++) {
    gboolean found = FALSE;
    for (; at < progress->len && !found; at++)
      found = g_strcmp0 (g_ptr_array_index (progress, at), steps[s]) == 0;
    if (!found)
      g_test_fail_printf ("progress step \"%s\" missing or out of order", steps[s]);
  }
}

static void
test_signon_jwt (void)
{
  g_autoptr (ITest) t = itest_new ("basic.json", NULL);
  RcSimRequest *token, *numbers;
  g_autoptr (GHashTable) form = NULL;
  g_autofree char *log = NULL;
  const char *access, *refresh, *expires;

  rcp_harness_sign_on_ok (t->h);
  log = itest_dump_requests (t);
  g_test_message ("requests:\n%s", log);

  /* The JWT grant: Basic client authentication, the assertion in the form. */
  token = itest_request (t, "POST", TOKEN_PATH, 0);
  g_assert_nonnull (token);
  g_assert_cmpint (itest_request_index (t, token), ==, 0);
  g_assert_cmpstr (token->auth_kind, ==, "Basic");
  g_assert_cmpuint (token->status, ==, 200);
  form = itest_form (token);
  g_assert_cmpstr (g_hash_table_lookup (form, "grant_type"), ==, JWT_GRANT);
  g_assert_cmpstr (g_hash_table_lookup (form, "assertion"), ==, RCP_HARNESS_JWT);
  g_assert_cmpuint (itest_count (t, "POST", TOKEN_PATH), ==, 1);

  /* Then the send-from numbers, with the new token. */
  numbers = itest_request (t, "GET", NUMBERS_PATH, 0);
  g_assert_nonnull (numbers);
  g_assert_cmpint (itest_request_index (t, numbers), >, itest_request_index (t, token));
  g_assert_cmpstr (numbers->auth_kind, ==, "Bearer");
  g_assert_cmpuint (numbers->status, ==, 200);

  /* Tokens are saved in the account at once. */
  access = purple_account_get_string (t->account, "oauth_access_token", NULL);
  refresh = purple_account_get_string (t->account, "oauth_refresh_token", NULL);
  expires = purple_account_get_string (t->account, "oauth_access_expires", NULL);
  g_assert_true (access != NULL && *access != '\0');
  g_assert_true (refresh != NULL && *refresh != '\0');
  g_assert_true (expires != NULL && g_ascii_strtoll (expires, NULL, 10) > (gint64)time (NULL));
  g_assert_true (purple_account_get_string (t->account, "oauth_refresh_expires", NULL) != NULL);
  g_assert_cmpstr (numbers->bearer_token, ==, access);

  assert_progress_in_order (t->h);
  g_assert_cmpuint (rcp_harness_connection_errors (t->h), ==, 0);
}

/* Texting has no presence: contacts are shown as reachable while the account is connected, both
 * those in the buddy list at sign-on and those added afterwards. */
static void
test_buddies_reachable (void)
{
  g_autoptr (ITest) t = itest_new ("basic.json", NULL);
  PurpleBuddy *before = purple_buddy_new (t->account, "+16505550199", NULL);
  PurpleBuddy *after;

  purple_blist_add_buddy (before, NULL, NULL, NULL);
  g_assert_false (PURPLE_BUDDY_IS_ONLINE (before));
  rcp_harness_sign_on_ok (t->h);
  g_assert_true (PURPLE_BUDDY_IS_ONLINE (before));

  after = purple_buddy_new (t->account, "+14155550123", NULL);
  purple_blist_add_buddy (after, NULL, NULL, NULL);
  purple_account_add_buddy (t->account, after);
  g_assert_true (PURPLE_BUDDY_IS_ONLINE (after));
}

static void
test_signon_reuses_token (void)
{
  g_autoptr (ITest) t = itest_new ("basic.json", NULL);
  g_autofree char *access = NULL;
  RcSimRequest *numbers;

  rcp_harness_sign_on_ok (t->h);
  g_assert_cmpuint (itest_count (t, "POST", TOKEN_PATH), ==, 1);
  access = g_strdup (purple_account_get_string (t->account, "oauth_access_token", NULL));
  rcp_harness_sign_off (t->h);
  rc_sim_clear_requests (t->sim);

  rcp_harness_sign_on_ok (t->h);
  {
    g_autofree char *log = itest_dump_requests (t);
    g_test_message ("second sign-on:\n%s", log);
  }
  g_assert_cmpuint (itest_count (t, "POST", TOKEN_PATH), ==, 0);
  numbers = itest_request (t, "GET", NUMBERS_PATH, 0);
  g_assert_nonnull (numbers);
  g_assert_cmpstr (numbers->bearer_token, ==, access);
  g_assert_cmpuint (numbers->status, ==, 200);
}

static void
test_wrong_jwt (void)
{
  g_autoptr (ITest) t = itest_new ("basic.json", NULL);
  PurpleConnectionError reason = 0;
  g_autofree char *description = NULL;

  purple_account_set_password (t->account, "not-the-demo-jwt");
  g_assert_cmpint (rcp_harness_sign_on (t->h, RCP_HARNESS_TIMEOUT_MS, &reason, &description), ==,
                   RCP_SIGNON_ERROR);
  g_test_message ("error %d: %s", reason, description);
  g_assert_cmpint (reason, ==, PURPLE_CONNECTION_ERROR_AUTHENTICATION_FAILED);
  g_assert_true (g_str_has_prefix (description, "RingCentral refused the sign-in: "));
  /* The server's reason, with its code. */
  g_assert_nonnull (strstr (description, "OAU-140"));
  g_assert_true (purple_connection_error_is_fatal (reason));
  g_assert_cmpuint (itest_count (t, "POST", TOKEN_PATH), ==, 1);
  g_assert_cmpuint (itest_count (t, "GET", NUMBERS_PATH), ==, 0);
  g_assert_null (rcp_harness_gc (t->h));
}

static void
test_remote_http_refused (void)
{
  g_autoptr (ITest) t = itest_new ("basic.json", NULL);
  PurpleConnectionError reason = 0;
  g_autofree char *description = NULL;

  purple_account_set_string (t->account, "server_url", "http://example.com");
  g_assert_cmpint (rcp_harness_sign_on (t->h, RCP_HARNESS_TIMEOUT_MS, &reason, &description), ==,
                   RCP_SIGNON_ERROR);
  g_test_message ("error %d: %s", reason, description);
  g_assert_cmpint (reason, ==, PURPLE_CONNECTION_ERROR_INVALID_SETTINGS);
  g_assert_true (description != NULL && *description != '\0');
  g_assert_cmpuint (itest_count (t, NULL, NULL), ==, 0);
  /* Nothing of the credentials was stored from a sign-on that never happened. */
  g_assert_null (purple_account_get_string (t->account, "oauth_access_token", NULL));
}

static void
test_missing_client_id (void)
{
  g_autoptr (ITest) t = itest_new ("basic.json", NULL);
  PurpleConnectionError reason = 0;
  g_autofree char *description = NULL;

  purple_account_set_string (t->account, "client_id", "");
  g_assert_cmpint (rcp_harness_sign_on (t->h, RCP_HARNESS_TIMEOUT_MS, &reason, &description), ==,
                   RCP_SIGNON_ERROR);
  g_test_message ("error %d: %s", reason, description);
  g_assert_cmpint (reason, ==, PURPLE_CONNECTION_ERROR_INVALID_SETTINGS);
  g_assert_nonnull (strstr (description, "Enter the client ID"));
  g_assert_cmpuint (itest_count (t, NULL, NULL), ==, 0);
}

/* A first sign-on runs its catch-up beside the number list (protocol/rc-session.c: once the list
 * is answered, while it is read and its registration checked): a text that came just before is
 * held until the numbers are in, then classified with them. It reached both
 * our numbers (to[]: +16505550101 marked target, and +16505550100): with the numbers it is a 1:1
 * text from the stranger; classified without them it would be a group with our own number. */
static void
test_first_catch_up_beside_numbers (void)
{
  g_autoptr (ITest) t = itest_new ("basic.json", NULL);
  const char *const others[] = { "+16505550100", NULL };
  g_autofree char *id = NULL;
  RcSimRequest *numbers, *check, *sync;
  const guint slow_ms = 800;

  id = rc_sim_add_inbound_group (t->sim, "+14155550123", "+16505550101", others,
                                 "Just before sign-on");
  g_assert_nonnull (id);
  /* The registration checks (.../phone-number/{id}/sms-configuration, one per number) answer
   * late: the numbers are in only then. */
  rc_sim_inject_fault (t->sim, NUMBERS_PATH "/", RC_SIM_FAULT_SLOW, 2, slow_ms);
  rcp_harness_sign_on_ok (t->h);

  /* The message-sync was asked for after the list's answer, while the checks were on their way. */
  numbers = itest_request (t, "GET", NUMBERS_PATH, 0);
  check = itest_request (t, "GET", NUMBERS_PATH "/", 0);
  sync = itest_request (t, "GET", SYNC_PATH, 0);
  g_assert_nonnull (numbers);
  g_assert_nonnull (check);
  g_assert_nonnull (sync);
  g_assert_cmpint (itest_request_index (t, sync), >, itest_request_index (t, numbers));
  g_assert_cmpint (sync->time_us, <, check->time_us + (gint64)slow_ms * 1000);

  g_assert_true (
      rcp_harness_wait_for_received (t->h, "+14155550123", NULL, RCP_HARNESS_TIMEOUT_MS));
  rcp_harness_run_for (300);
  g_assert_cmpuint (rcp_harness_count_received (t->h, "+14155550123", "Just before sign-on"), ==,
                    1);
  g_assert_cmpuint (rcp_harness_count_received (t->h, NULL, NULL), ==, 1);
  g_assert_nonnull (
      purple_find_conversation_with_account (PURPLE_CONV_TYPE_IM, "+14155550123", t->account));
  g_assert_null (purple_get_chats ()); /* no group of the stranger and our own number */
  assert_progress_in_order (t->h);
}

/* A first sign-on that stops while its early catch-up's records wait for the numbers keeps no
 * sync token: the next sign-on catches up again and shows the text (once). Kept, the token would
 * make the next sign-on an ISync after those texts: they would never be shown. */
static void
test_first_catch_up_kept_when_stopped (void)
{
  g_autoptr (ITest) t = itest_new ("basic.json", NULL);
  g_autofree char *id = NULL;
  const char *token;

  id = rc_sim_add_inbound (t->sim, "+14155550123", "+16505550100", "Before a stopped sign-on");
  g_assert_nonnull (id);
  /* The registration checks answer late: the sign-on is stopped while they are on their way,
   * after the early catch-up was answered. */
  rc_sim_inject_fault (t->sim, NUMBERS_PATH "/", RC_SIM_FAULT_SLOW, 1, 5000);
  if (!purple_account_get_enabled (t->account, RCP_HARNESS_UI_ID))
    purple_account_set_enabled (t->account, RCP_HARNESS_UI_ID, TRUE);
  else
    purple_account_connect (t->account);
  g_assert_true (itest_wait_count (t, "GET", SYNC_PATH, 1, RCP_HARNESS_TIMEOUT_MS));
  rcp_harness_run_for (300); /* the sync's small answer is read (loopback); the check takes 5 s */
  g_assert_cmpuint (rcp_harness_count_received (t->h, NULL, NULL), ==, 0);
  rcp_harness_sign_off (t->h);

  token = purple_account_get_string (t->account, "sync_token", NULL);
  g_assert_true (token == NULL || *token == '\0');

  rcp_harness_sign_on_ok (t->h); /* the one slow check was answered (late) to the first one */
  g_assert_true (rcp_harness_wait_for_received (t->h, "+14155550123", "Before a stopped sign-on",
                                                RCP_HARNESS_TIMEOUT_MS));
  rcp_harness_run_for (300);
  g_assert_cmpuint (
      rcp_harness_count_received (t->h, "+14155550123", "Before a stopped sign-on"), ==, 1);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  itest_add ("/signon/jwt", test_signon_jwt, TRUE);
  itest_add ("/signon/buddies-reachable", test_buddies_reachable, FALSE);
  itest_add ("/signon/reuses-saved-token", test_signon_reuses_token, TRUE);
  itest_add ("/signon/wrong-jwt", test_wrong_jwt, FALSE);
  itest_add ("/signon/remote-http-refused", test_remote_http_refused, FALSE);
  itest_add ("/signon/missing-client-id", test_missing_client_id, FALSE);
  itest_add ("/signon/first-catch-up-beside-numbers", test_first_catch_up_beside_numbers, FALSE);
  itest_add ("/signon/first-catch-up-kept-when-stopped", test_first_catch_up_kept_when_stopped,
             FALSE);
  return g_test_run ();
}
