/* test-browser-sign-in.c: PKCE pieces (rc-pkce), the authorization code grant
 * (rc_client_grant_code_async: the simulator checks S256, a wrong verifier is refused), one
 * browser sign-in (rc-browser-sign-in: a real HTTP GET of the authorize URL followed to the
 * loopback listener, the paste path, a wrong state, the timeout) and a dead refresh token under
 * browser sign-in (no silent JWT grant). */
#include <libsoup/soup.h>
#include <string.h>

#include "rc-auth-private.h"
#include "rc-browser-sign-in.h"
#include "rc-error.h"
#include "rc-pkce.h"
#include "rc-test-sim.h"
#include "rc-test-util.h"

/* CHALLENGE = BASE64URL(SHA256(VERIFIER)), computed independently (Python hashlib). */
#define VERIFIER  "dBjftJeZ4CVP-mJ0tjO1Vt-uJlbhH1xNR6FDbRn7i7k"
#define CHALLENGE "l_oWQjrZdIXrXuxvZC6elWv_59V6RdnPzgl_rQBOfxM"
#define TOKEN     "/restapi/oauth/token"

/* ---- pure pieces ---- */

static gboolean
is_base64url (const char *s)
{
  for (; *s; s++)
    if (!g_ascii_isalnum (*s) && *s != '-' && *s != '_')
      return FALSE;
  return TRUE;
}

static void
test_pkce_values (void)
{
  static const guint8 bytes[] = { 0xfb, 0xff, 0xfe };
  g_autofree char *b64 = rc_pkce_base64url (bytes, sizeof bytes);
  g_autofree char *challenge = rc_pkce_challenge_s256 (VERIFIER);
  g_autofree char *v1 = rc_pkce_new_verifier ();
  g_autofree char *v2 = rc_pkce_new_verifier ();
  g_autofree char *state = rc_pkce_new_state ();

  g_assert_cmpstr (b64, ==, "-__-"); /* '+' '/' replaced, no padding */
  g_assert_cmpstr (challenge, ==, CHALLENGE);
  g_assert_cmpuint (strlen (v1), ==, 43);
  g_assert_true (is_base64url (v1));
  g_assert_cmpstr (v1, !=, v2);
  g_assert_cmpuint (strlen (state), ==, 22);
  g_assert_true (is_base64url (state));
}

static void
test_authorize_url (void)
{
  g_autofree char *url
      = rc_pkce_authorize_url ("https://platform.ringcentral.com", "app id",
                               "http://127.0.0.1:5000/oauth2callback", "s&t", CHALLENGE);
  g_autoptr (GUri) uri = g_uri_parse (url, G_URI_FLAGS_ENCODED_QUERY, NULL);
  g_autoptr (GHashTable) q = NULL;

  g_assert_nonnull (uri);
  g_assert_cmpstr (g_uri_get_host (uri), ==, "platform.ringcentral.com");
  g_assert_cmpstr (g_uri_get_path (uri), ==, "/restapi/oauth/authorize");
  q = g_uri_parse_params (g_uri_get_query (uri), -1, "&", G_URI_PARAMS_NONE, NULL);
  g_assert_cmpstr (g_hash_table_lookup (q, "response_type"), ==, "code");
  g_assert_cmpstr (g_hash_table_lookup (q, "client_id"), ==, "app id");
  g_assert_cmpstr (g_hash_table_lookup (q, "redirect_uri"), ==,
                   "http://127.0.0.1:5000/oauth2callback");
  g_assert_cmpstr (g_hash_table_lookup (q, "state"), ==, "s&t");
  g_assert_cmpstr (g_hash_table_lookup (q, "code_challenge"), ==, CHALLENGE);
  g_assert_cmpstr (g_hash_table_lookup (q, "code_challenge_method"), ==, "S256");
  g_assert_cmpuint (g_hash_table_size (q), ==, 6); /* never the verifier */
}

static void
test_redirect_uri_check (void)
{
  static const char *const bad[] = { "https://127.0.0.1:5000/cb",
                                     "http://example.com:5000/cb",
                                     "http://127.0.0.1/cb",
                                     "http://127.0.0.1:5000/cb?x=1",
                                     "http://127.0.0.1:5000/cb#f",
                                     "not a uri",
                                     NULL };
  g_autofree char *path = NULL;
  guint port = 0;

  g_assert_true (
      rc_pkce_check_redirect_uri ("http://localhost:5000/oauth2callback", &port, &path, NULL));
  g_assert_cmpuint (port, ==, 5000);
  g_assert_cmpstr (path, ==, "/oauth2callback");
  g_assert_true (rc_pkce_check_redirect_uri ("http://[::1]:8080", NULL, NULL, NULL));
  for (guint i = 0; bad[i] != NULL; i++) {
    g_autoptr (GError) error = NULL;

    g_assert_false (rc_pkce_check_redirect_uri (bad[i], NULL, NULL, &error));
    g_assert_error (error, RC_ERROR, RC_ERROR_INVALID_SETTINGS);
  }
}

static void
test_parse_redirect (void)
{
  g_autoptr (GError) e1 = NULL;
  g_autoptr (GError) e2 = NULL;
  g_autoptr (GError) e3 = NULL;
  g_autofree char *code = rc_pkce_parse_redirect (
      "  http://127.0.0.1:5000/cb?code=A%2BB&state=st&expires_in=60\n", "st", NULL);

  g_assert_cmpstr (code, ==, "A+B");
  g_assert_null (rc_pkce_parse_redirect ("code=A&state=other", "st", &e1));
  g_assert_error (e1, RC_ERROR, RC_ERROR_AUTH_FAILED);
  g_assert_nonnull (strstr (e1->message, "state"));
  g_assert_null (rc_pkce_parse_redirect (
      "?error=access_denied&error_description=User%20said%20no%01&state=st", "st", &e2));
  g_assert_error (e2, RC_ERROR, RC_ERROR_AUTH_FAILED);
  g_assert_nonnull (strstr (e2->message, "User said no "));
  g_assert_null (rc_pkce_parse_redirect ("hello", "st", &e3));
  g_assert_error (e3, RC_ERROR, RC_ERROR_INVALID_INPUT);
}

static void
test_code_form (void)
{
  RcGrant grant = { RC_GRANT_CODE, "c/1", "http://127.0.0.1:5000/cb", VERIFIER };
  g_autofree char *pub = rc_auth_grant_form (&grant, "id", NULL);
  g_autofree char *conf = rc_auth_grant_form (&grant, "id", "secret");

  g_assert_cmpstr (pub, ==,
                   "grant_type=authorization_code&code=c%2F1&redirect_uri=http%3A%2F%2F127.0.0.1"
                   "%3A5000%2Fcb&code_verifier=" VERIFIER "&client_id=id");
  g_assert_null (strstr (conf, "client_id")); /* Basic auth carries it */
}

/* ---- against the simulator ---- */

typedef struct {
  RcSim *sim;
  RcClient *client;
  char *redirect_uri;
  SoupSession *browser;
} Fixture;

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

static void
fixture_set_up (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *base = NULL;

  f->sim = rc_test_sim_start ("{}");
  base = rc_sim_get_base_url (f->sim);
  /* A public client (no secret), as RFC 8252 wants for a desktop app. */
  f->client = rc_client_new (base, "demo-client-id", NULL, &error);
  g_assert_no_error (error);
  rc_client_set_auth_method (f->client, RC_AUTH_METHOD_BROWSER);
  f->redirect_uri = g_strdup_printf ("http://127.0.0.1:%u/oauth2callback", free_port ());
  rc_sim_add_redirect_uri (f->sim, f->redirect_uri);
  f->browser = soup_session_new ();
}

static void
fixture_tear_down (Fixture *f, gconstpointer data)
{
  g_clear_object (&f->browser);
  g_clear_object (&f->client);
  g_clear_object (&f->sim);
  g_free (f->redirect_uri);
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

typedef struct {
  GBytes *body;
  GError *error;
  gboolean done;
} Fetch;

static void
fetched (GObject *source, GAsyncResult *result, gpointer user_data)
{
  Fetch *fetch = user_data;

  fetch->body = soup_session_send_and_read_finish (SOUP_SESSION (source), result, &fetch->error);
  fetch->done = TRUE;
}

/* A browser: GET @url (following redirects unless @no_redirect); the final status, the page, the
 * Location of a redirect not followed. */
static guint
browse (Fixture *f, const char *url, gboolean no_redirect, char **page, char **location)
{
  g_autoptr (SoupMessage) msg = soup_message_new ("GET", url);
  Fetch fetch = { 0 };
  gsize len = 0;
  const char *data;

  g_assert_nonnull (msg);
  if (no_redirect)
    soup_message_add_flags (msg, SOUP_MESSAGE_NO_REDIRECT);
  soup_session_send_and_read_async (f->browser, msg, G_PRIORITY_DEFAULT, NULL, fetched, &fetch);
  rc_test_wait_for (&fetch.done);
  g_assert_no_error (fetch.error);
  data = g_bytes_get_data (fetch.body, &len);
  if (page != NULL)
    *page = g_strndup (data, len);
  if (location != NULL)
    *location = g_strdup (
        soup_message_headers_get_one (soup_message_get_response_headers (msg), "Location"));
  g_bytes_unref (fetch.body);
  return soup_message_get_status (msg);
}

static RcBrowserSignIn *
new_attempt (Fixture *f)
{
  g_autoptr (GError) error = NULL;
  RcBrowserSignIn *attempt = rc_browser_sign_in_new (f->client, f->redirect_uri, &error);

  g_assert_no_error (error);
  return attempt;
}

static gboolean
listener_closed (RcBrowserSignIn *attempt)
{
  gint64 deadline = g_get_monotonic_time () + 5 * G_USEC_PER_SEC;

  while (rc_browser_sign_in_is_listening (attempt) && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, FALSE);
  return !rc_browser_sign_in_is_listening (attempt);
}

static void
test_loopback (Fixture *f, gconstpointer data)
{
  g_autoptr (RcBrowserSignIn) attempt = new_attempt (f);
  g_autoptr (GAsyncResult) result = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *page = NULL;
  g_autoptr (GHashTable) form = NULL;
  RcSimRequest *token;
  gulong changed = 0;
  guint status;

  g_assert_true (g_str_has_prefix (rc_browser_sign_in_get_authorize_url (attempt),
                                   rc_client_get_server_url (f->client)));
  rc_browser_sign_in_run_async (attempt, NULL, rc_test_got_result, &result);
  g_assert_true (rc_browser_sign_in_is_listening (attempt));
  g_signal_connect_swapped (f->client, "tokens-changed", G_CALLBACK (g_nullify_pointer), &changed);
  changed = 1;

  /* The simulator approves at once and sends the browser to our listener. */
  status = browse (f, rc_browser_sign_in_get_authorize_url (attempt), FALSE, &page, NULL);
  g_assert_cmpuint (status, ==, 200);
  g_assert_nonnull (strstr (page, "Signed in to RingCentral"));
  g_assert_true (rc_browser_sign_in_run_finish (attempt, rc_test_wait_result (&result), &error));
  g_assert_no_error (error);
  g_assert_cmpuint (changed, ==, 0); /* "tokens-changed" came */
  g_assert_nonnull (rc_client_get_tokens (f->client)->access_token);
  g_assert_nonnull (rc_client_get_tokens (f->client)->refresh_token);

  /* The exchange: a public client with the verifier and the same redirect URI. */
  g_assert_cmpuint (rc_sim_count_requests (f->sim, "POST", TOKEN), ==, 1);
  token = g_ptr_array_index (rc_sim_get_requests (f->sim), 1);
  g_assert_cmpstr (token->path, ==, TOKEN);
  g_assert_null (token->auth_kind);
  form = g_uri_parse_params (token->body, -1, "&", G_URI_PARAMS_NONE, NULL);
  g_assert_cmpstr (g_hash_table_lookup (form, "grant_type"), ==, "authorization_code");
  g_assert_cmpstr (g_hash_table_lookup (form, "redirect_uri"), ==, f->redirect_uri);
  g_assert_cmpstr (g_hash_table_lookup (form, "client_id"), ==, "demo-client-id");
  g_assert_cmpuint (strlen (g_hash_table_lookup (form, "code_verifier")), ==, 43);
  g_assert_true (listener_closed (attempt));
}

static void
test_paste (Fixture *f, gconstpointer data)
{
  g_autoptr (RcBrowserSignIn) attempt = new_attempt (f);
  g_autoptr (GAsyncResult) result = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *location = NULL;

  rc_browser_sign_in_run_async (attempt, NULL, rc_test_got_result, &result);
  /* The browser is elsewhere: it shows the address it was sent to, the user pastes it. */
  g_assert_cmpuint (
      browse (f, rc_browser_sign_in_get_authorize_url (attempt), TRUE, NULL, &location), ==, 302);
  g_assert_true (g_str_has_prefix (location, f->redirect_uri));
  rc_browser_sign_in_paste (attempt, location);
  g_assert_true (rc_browser_sign_in_run_finish (attempt, rc_test_wait_result (&result), &error));
  g_assert_no_error (error);
  g_assert_nonnull (rc_client_get_tokens (f->client)->refresh_token);
  /* The listener (the other path) is closed. */
  g_assert_true (listener_closed (attempt));
}

static void
test_wrong_state (Fixture *f, gconstpointer data)
{
  g_autoptr (RcBrowserSignIn) attempt = new_attempt (f);
  g_autoptr (GAsyncResult) result = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *location = NULL;
  g_autofree char *forged = NULL;
  g_autofree char *page = NULL;
  char *state;

  rc_browser_sign_in_run_async (attempt, NULL, rc_test_got_result, &result);
  browse (f, rc_browser_sign_in_get_authorize_url (attempt), TRUE, NULL, &location);
  /* The same answer with another state, as from another attempt or a forged link. */
  state = strstr (location, "state=");
  g_assert_nonnull (state);
  forged = g_strdup (location);
  forged[state - location + 6] = forged[state - location + 6] == 'A' ? 'B' : 'A';
  g_assert_cmpuint (browse (f, forged, FALSE, &page, NULL), ==, 400);
  g_assert_nonnull (strstr (page, "state differs"));
  g_assert_false (rc_browser_sign_in_run_finish (attempt, rc_test_wait_result (&result), &error));
  g_assert_error (error, RC_ERROR, RC_ERROR_AUTH_FAILED);
  g_assert_nonnull (strstr (error->message, "state differs"));
  g_assert_cmpuint (rc_sim_count_requests (f->sim, "POST", TOKEN), ==, 0);
  g_assert_true (listener_closed (attempt));
}

static void
test_timeout (Fixture *f, gconstpointer data)
{
  g_autoptr (RcBrowserSignIn) attempt = new_attempt (f);
  g_autoptr (GAsyncResult) result = NULL;
  g_autoptr (GError) error = NULL;

  rc_browser_sign_in_set_timeout (attempt, 1);
  rc_browser_sign_in_run_async (attempt, NULL, rc_test_got_result, &result);
  g_assert_false (rc_browser_sign_in_run_finish (attempt, rc_test_wait_result (&result), &error));
  g_assert_error (error, RC_ERROR, RC_ERROR_AUTH_FAILED);
  g_assert_nonnull (strstr (error->message, "within 1 second."));
  g_assert_false (rc_browser_sign_in_is_listening (attempt));
  /* A late paste changes nothing. */
  rc_browser_sign_in_paste (attempt, "code=x&state=y");
  g_assert_cmpuint (rc_sim_count_requests (f->sim, "POST", TOKEN), ==, 0);
}

static void
test_wrong_verifier (Fixture *f, gconstpointer data)
{
  g_autoptr (GAsyncResult) result = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *location = NULL;
  g_autofree char *url = NULL;
  g_autofree char *code = NULL;
  g_autofree char *r = g_uri_escape_string (f->redirect_uri, NULL, FALSE);

  url = g_strdup_printf ("%s/restapi/oauth/authorize?response_type=code&client_id=demo-client-id"
                         "&redirect_uri=%s&state=s&code_challenge=" CHALLENGE
                         "&code_challenge_method=S256",
                         rc_client_get_server_url (f->client), r);
  g_assert_cmpuint (browse (f, url, TRUE, NULL, &location), ==, 302);
  code = rc_pkce_parse_redirect (location, "s", NULL);
  g_assert_nonnull (code);
  /* The challenge is not the verifier's S256: refused, no tokens. */
  rc_client_grant_code_async (f->client, code, f->redirect_uri, CHALLENGE, NULL, rc_test_got_result,
                              &result);
  g_assert_false (rc_client_grant_code_finish (f->client, rc_test_wait_result (&result), &error));
  g_assert_error (error, RC_ERROR, RC_ERROR_AUTH_FAILED);
  g_assert_null (rc_client_get_tokens (f->client)->access_token);
  g_assert_cmpuint (rc_sim_get_tokens_issued (f->sim), ==, 0);
}

/* Browser sign-in with a dead refresh token: no JWT grant, the tokens are forgotten, and the
 * client says only the user can go on. */
static void
test_dead_refresh (Fixture *f, gconstpointer data)
{
  g_autoptr (RcBrowserSignIn) attempt = new_attempt (f);
  g_autoptr (GAsyncResult) result = NULL;
  g_autoptr (GAsyncResult) signed_in = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (RcTokens) expired = NULL;
  g_autofree char *location = NULL;

  rc_client_set_jwt (f->client, "demo-jwt"); /* present, yet never used for browser sign-in */
  rc_browser_sign_in_run_async (attempt, NULL, rc_test_got_result, &result);
  browse (f, rc_browser_sign_in_get_authorize_url (attempt), TRUE, NULL, &location);
  rc_browser_sign_in_paste (attempt, location);
  g_assert_true (rc_browser_sign_in_run_finish (attempt, rc_test_wait_result (&result), NULL));
  g_assert_false (rc_client_needs_authorization (f->client));

  rc_sim_revoke_all_tokens (f->sim);
  expired = rc_tokens_copy (rc_client_get_tokens (f->client));
  expired->access_expires_at = 1; /* long gone: sign-in must refresh */
  rc_client_set_tokens (f->client, expired);
  rc_sim_clear_requests (f->sim);
  rc_client_sign_in_async (f->client, NULL, rc_test_got_result, &signed_in);
  g_assert_false (rc_client_sign_in_finish (f->client, rc_test_wait_result (&signed_in), &error));
  g_assert_error (error, RC_ERROR, RC_ERROR_AUTH_FAILED);
  g_assert_true (rc_client_needs_authorization (f->client));
  g_assert_null (rc_client_get_tokens (f->client)->access_token);
  /* One refresh, no JWT grant. */
  g_assert_cmpuint (rc_sim_count_requests (f->sim, "POST", TOKEN), ==, 1);
  g_assert_nonnull (
      strstr (((RcSimRequest *)g_ptr_array_index (rc_sim_get_requests (f->sim), 0))->body,
              "grant_type=refresh_token"));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/pkce/values", test_pkce_values);
  g_test_add_func ("/pkce/authorize-url", test_authorize_url);
  g_test_add_func ("/pkce/redirect-uri", test_redirect_uri_check);
  g_test_add_func ("/pkce/parse-redirect", test_parse_redirect);
  g_test_add_func ("/pkce/code-form", test_code_form);
#define ADD(path, fn) g_test_add (path, Fixture, NULL, fixture_set_up, fn, fixture_tear_down)
  ADD ("/browser-sign-in/loopback", test_loopback);
  ADD ("/browser-sign-in/paste", test_paste);
  ADD ("/browser-sign-in/wrong-state", test_wrong_state);
  ADD ("/browser-sign-in/timeout", test_timeout);
  ADD ("/browser-sign-in/wrong-verifier", test_wrong_verifier);
  ADD ("/browser-sign-in/dead-refresh", test_dead_refresh);
  return g_test_run ();
}
