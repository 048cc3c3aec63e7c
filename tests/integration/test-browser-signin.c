/* test-browser-signin.c: browser sign-in (authorization code + PKCE) through real libpurple:
 * the authorize URL shown with purple_notify_uri is fetched with libsoup like a browser would,
 * the simulator's 302 is followed to the plugin's loopback listener; the paste path; a wrong
 * state; the timeout; refresh rotation kept across reconnects and a process restart; a dead
 * refresh token asks exactly once; sign-out and account removal revoke, a disconnect does not. */
#include "itest.h"

#include <libsoup/soup.h>
#include <stdio.h>
#include <string.h>

#define REVOKE_PATH "/restapi/oauth/revoke"
#define USERNAME    "browser@example.com"

typedef enum {
  BROWSER_FOLLOW, /* follow the 302 to the loopback listener */
  BROWSER_PASTE,  /* stop at the 302 and paste its Location into the request */
  BROWSER_FORGE,  /* paste the Location with another state */
  BROWSER_NONE,   /* the user does nothing */
} BrowserMode;

/* The user and their browser: acts on every URI the plugin shows (from the harness's tick). */
typedef struct {
  ITest *t;
  BrowserMode mode;
  guint handled; /* URIs acted upon */
  guint pending; /* fetches in flight */
  SoupSession *session;
  guint last_status;
  char *last_page;
} Browser;

static Browser browser;

typedef struct {
  SoupMessage *msg;
} Fetch;

static void
fetched (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (SoupMessage) msg = user_data;
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) body
      = soup_session_send_and_read_finish (SOUP_SESSION (source), result, &error);
  const char *location
      = soup_message_headers_get_one (soup_message_get_response_headers (msg), "Location");

  browser.pending--;
  g_assert_no_error (error);
  browser.last_status = soup_message_get_status (msg);
  g_free (browser.last_page);
  browser.last_page = g_strndup (g_bytes_get_data (body, NULL), g_bytes_get_size (body));
  if (browser.mode == BROWSER_FOLLOW)
    return;
  g_assert_cmpuint (browser.last_status, ==, 302);
  g_assert_nonnull (location);
  if (browser.mode == BROWSER_PASTE)
    g_assert_true (rcp_harness_answer_pending (browser.t->h, RCP_ANSWER_OK, 0, location));
  else {
    g_autofree char *forged = g_strdup (location);
    char *state = strstr (forged, "state=");

    g_assert_nonnull (state);
    state[6] = state[6] == 'A' ? 'B' : 'A';
    g_assert_true (rcp_harness_answer_pending (browser.t->h, RCP_ANSWER_OK, 0, forged));
  }
}

static gboolean
browser_tick (gpointer data)
{
  GPtrArray *uris;

  if (browser.t == NULL || browser.t->h == NULL)
    return FALSE;
  uris = rcp_harness_uris (browser.t->h);
  while (browser.handled < uris->len) {
    const char *uri = uris->pdata[browser.handled++];
    SoupMessage *msg;

    if (browser.mode == BROWSER_NONE)
      continue;
    msg = soup_message_new ("GET", uri);
    g_assert_nonnull (msg);
    if (browser.mode != BROWSER_FOLLOW)
      soup_message_add_flags (msg, SOUP_MESSAGE_NO_REDIRECT);
    browser.pending++;
    soup_session_send_and_read_async (browser.session, msg, G_PRIORITY_DEFAULT, NULL, fetched, msg);
  }
  return FALSE;
}

/* A loopback port nobody listens on right now. */
static guint
free_port (void)
{
  g_autoptr (GSocket) sock
      = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, NULL);
  g_autoptr (GInetAddress) lo = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr (GSocketAddress) any = g_inet_socket_address_new (lo, 0);
  g_autoptr (GSocketAddress) bound = NULL;

  g_assert_true (g_socket_bind (sock, any, FALSE, NULL));
  bound = g_socket_get_local_address (sock, NULL);
  return g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
}

static char *redirect_uri;

/* An account set to browser sign-in (no JWT at all), its redirect URI registered for the app. */
static ITest *
browser_test (BrowserMode mode, const char *username)
{
  ITest *t = itest_new ("basic.json", username ? username : USERNAME);

  g_free (redirect_uri);
  redirect_uri = g_strdup_printf ("http://127.0.0.1:%u/oauth2callback", free_port ());
  rc_sim_add_redirect_uri (t->sim, redirect_uri);
  purple_account_set_string (t->account, "auth_method", "browser");
  purple_account_set_string (t->account, "redirect_uri", redirect_uri);
  purple_account_set_password (t->account, NULL);
  g_clear_pointer (&browser.last_page, g_free);
  g_clear_object (&browser.session);
  browser = (Browser){ t, mode, 0, 0, soup_session_new (), 0, NULL };
  rcp_harness_set_tick (browser_tick, NULL);
  return t;
}

static void
browser_done (ITest *t)
{
  rcp_harness_set_tick (NULL, NULL);
  while (browser.pending > 0)
    g_main_context_iteration (NULL, TRUE);
  browser.t = NULL;
  g_clear_object (&browser.session);
  g_clear_pointer (&browser.last_page, g_free);
  itest_free (t);
}

static const char *
setting (ITest *t, const char *key)
{
  return purple_account_get_string (t->account, key, NULL);
}

static gboolean
listener_refuses (void)
{
  g_autoptr (GSocketClient) client = g_socket_client_new ();
  g_autoptr (GError) error = NULL;
  g_autoptr (GUri) uri = g_uri_parse (redirect_uri, G_URI_FLAGS_NONE, NULL);
  g_autoptr (GSocketConnection) conn = g_socket_client_connect_to_host (
      client, "127.0.0.1", (guint16)g_uri_get_port (uri), NULL, &error);

  return conn == NULL && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CONNECTION_REFUSED);
}

static gboolean
no_listener (gpointer data)
{
  return listener_refuses ();
}

static void
test_loopback (void)
{
  ITest *t = browser_test (BROWSER_FOLLOW, NULL);
  RcSimRequest *token;
  g_autoptr (GHashTable) form = NULL;

  rcp_harness_sign_on_ok (t->h);
  g_assert_cmpuint (rcp_harness_uris (t->h)->len, ==, 1);
  g_assert_true (g_str_has_prefix (rcp_harness_uris (t->h)->pdata[0], t->server_url));
  g_assert_nonnull (strstr (rcp_harness_uris (t->h)->pdata[0], "code_challenge_method=S256"));
  /* The browser got the page saying it is done. */
  g_assert_cmpuint (browser.last_status, ==, 200);
  g_assert_nonnull (strstr (browser.last_page, "Signed in to RingCentral"));
  /* The exchange: the code with the verifier, no JWT anywhere. */
  g_assert_cmpuint (itest_count_grants (t, "authorization_code", 0), ==, 1);
  g_assert_cmpuint (itest_count_grants (t, JWT_GRANT, 0), ==, 0);
  token = itest_request (t, "POST", TOKEN_PATH, 0);
  form = itest_form (token);
  g_assert_cmpstr (g_hash_table_lookup (form, "redirect_uri"), ==, redirect_uri);
  g_assert_nonnull (g_hash_table_lookup (form, "code_verifier"));
  g_assert_cmpstr (token->auth_kind, ==, "Basic"); /* a client secret is set: Basic */
  /* Tokens saved; the listener closed; the paste dialog closed. */
  g_assert_nonnull (setting (t, "oauth_refresh_token"));
  g_assert_true (rcp_harness_wait_until (no_listener, NULL, RCP_HARNESS_TIMEOUT_MS));
  g_assert_cmpuint (rcp_harness_requests (t->h)->len, ==, 1);
  g_assert_true (((RcpRequestRecord *)rcp_harness_requests (t->h)->pdata[0])->cancelled);
  browser_done (t);
}

static void
test_paste (void)
{
  ITest *t = browser_test (BROWSER_PASTE, NULL);

  /* A public client this time: no secret, client_id in the body. */
  purple_account_set_string (t->account, "client_secret", "");
  rcp_harness_sign_on_ok (t->h);
  g_assert_cmpuint (rcp_harness_uris (t->h)->len, ==, 1);
  g_assert_true (((RcpRequestRecord *)rcp_harness_requests (t->h)->pdata[0])->answered);
  g_assert_null (itest_request (t, "POST", TOKEN_PATH, 0)->auth_kind);
  g_assert_nonnull (setting (t, "oauth_refresh_token"));
  /* The other path (the loopback listener) is closed. */
  g_assert_true (rcp_harness_wait_until (no_listener, NULL, RCP_HARNESS_TIMEOUT_MS));
  browser_done (t);
}

static void
test_wrong_state (void)
{
  ITest *t = browser_test (BROWSER_FORGE, NULL);
  PurpleConnectionError reason = 0;
  g_autofree char *description = NULL;

  g_assert_cmpint (rcp_harness_sign_on (t->h, RCP_HARNESS_TIMEOUT_MS, &reason, &description), ==,
                   RCP_SIGNON_ERROR);
  g_assert_cmpint (reason, ==, PURPLE_CONNECTION_ERROR_AUTHENTICATION_FAILED);
  g_assert_nonnull (strstr (description, "does not belong to this sign-in attempt"));
  g_assert_cmpuint (itest_count (t, "POST", TOKEN_PATH), ==, 0);
  g_assert_null (setting (t, "oauth_refresh_token"));
  browser_done (t);
}

static void
test_timeout (void)
{
  ITest *t = browser_test (BROWSER_NONE, NULL);
  PurpleConnectionError reason = 0;
  g_autofree char *description = NULL;

  purple_account_set_int (t->account, "oauth_timeout", 1);
  g_assert_cmpint (rcp_harness_sign_on (t->h, RCP_HARNESS_TIMEOUT_MS, &reason, &description), ==,
                   RCP_SIGNON_ERROR);
  g_assert_cmpint (reason, ==, PURPLE_CONNECTION_ERROR_AUTHENTICATION_FAILED);
  g_assert_nonnull (strstr (description, "not finished within 1 second"));
  g_assert_cmpuint (rcp_harness_uris (t->h)->len, ==, 1);
  /* The paste dialog went away with the attempt, and so did the listener. */
  g_assert_true (((RcpRequestRecord *)rcp_harness_requests (t->h)->pdata[0])->cancelled);
  g_assert_true (listener_refuses ());
  browser_done (t);
}

/* Reconnects with the access token made to look expired, so the sign-on must refresh. */
static void
reconnect_expired (ITest *t)
{
  rcp_harness_sign_off (t->h);
  purple_account_set_string (t->account, "oauth_access_expires", "1");
  rcp_harness_sign_on_ok (t->h);
}

static void
test_refresh_rotation (void)
{
  ITest *t = browser_test (BROWSER_FOLLOW, NULL);
  g_autofree char *first = NULL;
  g_autofree char *second = NULL;

  rcp_harness_sign_on_ok (t->h);
  first = g_strdup (setting (t, "oauth_refresh_token"));
  reconnect_expired (t);
  second = g_strdup (setting (t, "oauth_refresh_token"));
  g_assert_cmpstr (second, !=, first); /* rotated, and the new one saved */
  /* The saved one is the live one: the old one would be refused (single-use). */
  reconnect_expired (t);
  g_assert_cmpstr (setting (t, "oauth_refresh_token"), !=, second);
  g_assert_cmpuint (itest_count_grants (t, "refresh_token", 0), ==, 2);
  g_assert_cmpuint (rcp_harness_uris (t->h)->len, ==, 1); /* never asked again */
  browser_done (t);
}

static gboolean
second_uri (gpointer data)
{
  return rcp_harness_uris (data)->len >= 2;
}

static void
test_dead_refresh_asks_once (void)
{
  ITest *t = browser_test (BROWSER_FOLLOW, NULL);

  rcp_harness_sign_on_ok (t->h);
  g_assert_cmpuint (rcp_harness_uris (t->h)->len, ==, 1);
  /* The session ends on RingCentral's side (an admin, a password change). */
  rc_sim_revoke_all_tokens (t->sim);
  rc_sim_clear_requests (t->sim);
  /* The next sync poll gets 401; the refresh is refused; the user is asked. They take their time:
   * the polls meanwhile (every second) fail too, and must not ask again. */
  browser.mode = BROWSER_NONE;
  g_assert_true (rcp_harness_wait_until (second_uri, t->h, RCP_HARNESS_TIMEOUT_MS));
  rcp_harness_run_for (2500);
  g_assert_cmpuint (rcp_harness_uris (t->h)->len, ==, 2);
  g_assert_cmpuint (rcp_harness_connection_errors (t->h), ==, 0);
  /* Now they sign in. */
  browser.mode = BROWSER_FOLLOW;
  browser.handled = 1;
  g_assert_true (itest_wait_count (t, "POST", TOKEN_PATH, 2, RCP_HARNESS_TIMEOUT_MS));
  g_assert_cmpuint (itest_count_grants (t, "refresh_token", 0), ==, 1);
  g_assert_cmpuint (itest_count_grants (t, "authorization_code", 0), ==, 1);
  /* Polls and push keep going on the new session; no second prompt, no JWT, no error. */
  rcp_harness_run_for (3000);
  g_assert_cmpuint (rcp_harness_uris (t->h)->len, ==, 2);
  g_assert_cmpuint (itest_count_grants (t, JWT_GRANT, 0), ==, 0);
  g_assert_cmpuint (rcp_harness_connection_errors (t->h), ==, 0);
  g_assert_true (purple_account_is_connected (t->account));
  g_assert_cmpuint (itest_count (t, "GET", SYNC_PATH), >, 0);
  browser_done (t);
}

/* JWT sign-in still renews silently when its refresh token dies. */
static void
test_jwt_renews_silently (void)
{
  g_autoptr (ITest) t = itest_new ("basic.json", USERNAME);

  rcp_harness_sign_on_ok (t->h);
  rc_sim_revoke_all_tokens (t->sim);
  reconnect_expired (t);
  g_assert_cmpuint (itest_count_grants (t, JWT_GRANT, 0), ==, 2);
  g_assert_cmpuint (rcp_harness_uris (t->h)->len, ==, 0);
}

static gboolean
disconnected (gpointer data)
{
  return !purple_account_is_connected (data) && !purple_account_is_connecting (data);
}

static void
test_sign_out (void)
{
  ITest *t = browser_test (BROWSER_FOLLOW, NULL);

  rcp_harness_sign_on_ok (t->h);
  g_assert_true (rcp_harness_run_action (t->h, "Sign Out of RingCentral"));
  g_assert_true (itest_wait_count (t, "POST", REVOKE_PATH, 1, RCP_HARNESS_TIMEOUT_MS));
  g_assert_true (rcp_harness_wait_until (disconnected, t->account, RCP_HARNESS_TIMEOUT_MS));
  g_assert_null (setting (t, "oauth_access_token"));
  g_assert_null (setting (t, "oauth_refresh_token"));
  g_assert_false (purple_account_get_enabled (t->account, RCP_HARNESS_UI_ID));
  /* It stays signed out: no reconnect by itself, and signing on again needs a new sign-in. */
  rcp_harness_run_for (1500);
  g_assert_false (purple_account_is_connected (t->account));
  rcp_harness_sign_on_ok (t->h);
  g_assert_cmpuint (rcp_harness_uris (t->h)->len, ==, 2);
  g_assert_cmpuint (itest_count_grants (t, "authorization_code", 0), ==, 2);
  browser_done (t);
}

static void
test_disconnect_keeps_session (void)
{
  ITest *t = browser_test (BROWSER_FOLLOW, NULL);
  g_autofree char *refresh = NULL;

  rcp_harness_sign_on_ok (t->h);
  refresh = g_strdup (setting (t, "oauth_refresh_token"));
  rcp_harness_sign_off (t->h);
  rcp_harness_run_for (500);
  g_assert_cmpuint (itest_count (t, "POST", REVOKE_PATH), ==, 0);
  g_assert_cmpstr (setting (t, "oauth_refresh_token"), ==, refresh);
  /* And the next sign-on resumes without asking. */
  rcp_harness_sign_on_ok (t->h);
  g_assert_cmpuint (rcp_harness_uris (t->h)->len, ==, 1);
  browser_done (t);
}

typedef struct {
  RcSim *sim;
} RevokeWait;

static gboolean
revoked (gpointer data)
{
  return rc_sim_count_requests (data, "POST", REVOKE_PATH) >= 1;
}

static void
test_account_removed_revokes (void)
{
  ITest *t = browser_test (BROWSER_FOLLOW, NULL);
  RcSimRequest *req;
  g_autofree char *refresh = NULL;

  rcp_harness_sign_on_ok (t->h);
  refresh = g_strdup (setting (t, "oauth_refresh_token"));
  rc_sim_clear_requests (t->sim);
  rcp_harness_set_tick (NULL, NULL);
  browser.t = NULL;
  /* The harness deletes the account (purple_accounts_delete: "account-removed"). */
  g_clear_pointer (&t->h, rcp_harness_free);
  g_assert_true (rcp_harness_wait_until (revoked, t->sim, RCP_HARNESS_TIMEOUT_MS));
  req = g_ptr_array_index (rc_sim_get_requests (t->sim), 0);
  g_assert_cmpstr (req->path, ==, REVOKE_PATH);
  g_assert_nonnull (strstr (req->body, refresh));
  browser_done (t);
}

/* ---- a real restart: the rotated refresh token is read back from accounts.xml ---- */

static int
child_restart (const char *user_dir)
{
  RcpHarness *h;
  PurpleAccount *account;
  const char *saved;

  rcp_harness_core_init (user_dir);
  h = rcp_harness_new ();
  account = rcp_harness_adopt_account (h, USERNAME);
  saved = purple_account_get_string (account, "oauth_refresh_token", NULL);
  if (saved == NULL || *saved == '\0') {
    printf ("FAIL no refresh token in accounts.xml\n");
    return 1;
  }
  printf ("SAVED %s\n", saved);
  purple_account_set_string (account, "oauth_access_expires", "1");
  rcp_harness_sign_on_ok (h);
  printf ("URIS %u\n", rcp_harness_uris (h)->len);
  rcp_harness_sign_off (h);
  rcp_harness_run_for (300); /* see test_restart_keeps_rotation */
  rcp_harness_core_quit ();
  printf ("OK\n");
  fflush (stdout);
  return 0;
}

static void
test_restart_keeps_rotation (void)
{
  ITest *t = browser_test (BROWSER_FOLLOW, NULL);
  g_autofree char *dir = g_strdup (rcp_harness_core_user_dir ());
  g_autofree char *expected = NULL;
  g_autofree char *output = NULL;
  const char *args[] = { "--restart-child", dir, NULL };
  int status = -1;

  rcp_harness_sign_on_ok (t->h);
  reconnect_expired (t); /* one rotation before the restart */
  expected = g_strdup_printf ("SAVED %s\n", setting (t, "oauth_refresh_token"));
  rcp_harness_set_tick (NULL, NULL);
  /* Nothing of the plugin may still be in flight when libpurple unloads it: sign off and let
   * the cancelled requests' callbacks run first. */
  rcp_harness_sign_off (t->h);
  rcp_harness_run_for (300);
  rcp_harness_core_quit ();
  rc_sim_clear_requests (t->sim);
  output = itest_run_self (t, args, NULL, NULL, &status);
  g_test_message ("second run said:\n%s", output);
  g_assert_cmpint (status, ==, 0);
  g_assert_nonnull (strstr (output, expected));
  g_assert_nonnull (strstr (output, "URIS 0\nOK\n"));
  g_assert_cmpuint (itest_count_grants (t, "refresh_token", 0), ==, 1);
  g_assert_cmpuint (itest_count_grants (t, "authorization_code", 0), ==, 0);
  /* libpurple is gone here: free only what does not need it. */
  t->h = NULL;
  browser.t = NULL;
  g_clear_object (&browser.session);
  itest_free (t);
}

int
main (int argc, char **argv)
{
  if (argc == 3 && g_str_equal (argv[1], "--restart-child"))
    return child_restart (argv[2]);
  g_test_init (&argc, &argv, NULL);
  itest_add ("/browser/loopback", test_loopback, FALSE);
  itest_add ("/browser/paste", test_paste, FALSE);
  itest_add ("/browser/wrong-state", test_wrong_state, FALSE);
  itest_add ("/browser/timeout", test_timeout, FALSE);
  itest_add ("/browser/refresh-rotation", test_refresh_rotation, FALSE);
  itest_add ("/browser/dead-refresh-asks-once", test_dead_refresh_asks_once, FALSE);
  itest_add ("/browser/jwt-renews-silently", test_jwt_renews_silently, FALSE);
  itest_add ("/browser/sign-out", test_sign_out, FALSE);
  itest_add ("/browser/disconnect-keeps-session", test_disconnect_keeps_session, FALSE);
  itest_add ("/browser/account-removed-revokes", test_account_removed_revokes, FALSE);
  itest_add ("/browser/restart-keeps-rotation", test_restart_keeps_rotation, FALSE);
  return g_test_run ();
}
