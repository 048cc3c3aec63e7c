/* test-client.c: RcClient grants and tokens against the fake server of rc-test-fake.c: JWT grant,
 * Bearer, 401 → one refresh + one retry, dead refresh token, proactive and timer refresh, revoke.
 * Transport behaviour (429, 5xx, bad JSON, URLs, cancelling) is in test-client-http.c. */
#include <libsoup/soup.h>
#include <string.h>

#include "rc-client.h"
#include "rc-test-fake.h"

static void
test_jwt_grant (RcTestFake *f, gconstpointer data)
{
  guint changed = 0;
  g_autoptr (RcClient) client = rc_test_fake_client (f, &changed);
  g_autoptr (GError) error = NULL;
  g_autoptr (GHashTable) form = NULL;
  g_autofree char *b64
      = g_base64_encode ((const guchar *)RC_TEST_CLIENT_ID ":" RC_TEST_CLIENT_SECRET,
                         strlen (RC_TEST_CLIENT_ID ":" RC_TEST_CLIENT_SECRET));
  g_autofree char *basic = g_strconcat ("Basic ", b64, NULL);
  const RcTokens *tokens;
  RcTestReq *r;

  g_assert_true (rc_test_fake_sign_in (client, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (changed, ==, 1);
  g_assert_cmpuint (f->requests->len, ==, 1);
  r = rc_test_fake_nth (f, "/restapi/oauth/token", 0);
  g_assert_nonnull (r);
  g_assert_cmpstr (r->method, ==, "POST");
  g_assert_cmpstr (r->authorization, ==, basic);
  g_assert_true (g_str_has_prefix (r->content_type, "application/x-www-form-urlencoded"));
  g_assert_cmpstr (r->user_agent, ==, "purple-ringcentral/0.1");
  form = soup_form_decode (r->body);
  g_assert_cmpstr (g_hash_table_lookup (form, "grant_type"), ==,
                   "urn:ietf:params:oauth:grant-type:jwt-bearer");
  g_assert_cmpstr (g_hash_table_lookup (form, "assertion"), ==, RC_TEST_JWT);
  g_assert_null (g_hash_table_lookup (form, "client_secret"));

  tokens = rc_client_get_tokens (client);
  g_assert_cmpstr (tokens->access_token, ==, "ACCESS-TOKEN-1");
  g_assert_cmpstr (tokens->refresh_token, ==, "REFRESH-TOKEN-1");
  g_assert_cmpstr (tokens->owner_id, ==, "256440016");
  g_assert_cmpint (ABS (tokens->access_expires_at - (rc_test_now_s () + 3600)), <=, 5);
  g_assert_cmpint (ABS (tokens->refresh_expires_at - (rc_test_now_s () + 604800)), <=, 5);

  /* A second sign-in keeps the valid token: nothing sent. */
  g_assert_true (rc_test_fake_sign_in (client, &error));
  g_assert_cmpuint (f->requests->len, ==, 1);
  g_assert_cmpuint (changed, ==, 1);

  /* The debug log saw the request (so the secret checks in teardown mean something). */
  g_assert_true (rc_test_fake_log_contains ("/restapi/oauth/token"));
}

static void
test_bearer (RcTestFake *f, gconstpointer data)
{
  guint changed = 0;
  g_autoptr (RcClient) client = rc_test_fake_client (f, &changed);
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonNode) answer = NULL;
  g_autoptr (JsonNode) body = json_from_string ("{\"text\":\"hi \\\"there\\\"\"}", NULL);
  RcTestReq *r;

  /* No sign-in first: the request gets a token by itself. */
  answer = rc_test_fake_request (client, "POST", "/restapi/v1.0/account/~/extension/~/sms?x=1",
                                 body, &error);
  g_assert_no_error (error);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (answer));
  g_assert_true (json_object_get_boolean_member (json_node_get_object (answer), "ok"));
  g_assert_cmpuint (changed, ==, 1);
  r = rc_test_fake_nth (f, "/restapi/v1.0/account/~/extension/~/sms", 0);
  g_assert_nonnull (r);
  g_assert_cmpstr (r->authorization, ==, "Bearer ACCESS-TOKEN-1");
  g_assert_cmpstr (r->query, ==, "x=1");
  g_assert_cmpstr (r->method, ==, "POST");
  g_assert_true (g_str_has_prefix (r->content_type, "application/json"));
  g_assert_cmpstr (r->body, ==, "{\"text\":\"hi \\\"there\\\"\"}");
  g_assert_cmpuint (rc_test_fake_count (f, "/restapi/oauth/token"), ==, 1);
}

static void
test_401_refresh_retry (RcTestFake *f, gconstpointer data)
{
  guint changed = 0;
  g_autoptr (RcClient) client = rc_test_fake_client (f, &changed);
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonNode) answer = NULL;
  g_autoptr (GHashTable) form = NULL;
  RcTestReq *refresh;

  g_assert_true (rc_test_fake_sign_in (client, &error));
  rc_test_fake_can (f, 401, "{\"errorCode\":\"OAU-128\",\"message\":\"expired\"}", NULL);
  answer = rc_test_fake_request (client, "GET", "/restapi/v1.0/x", NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (answer);
  g_assert_cmpuint (rc_test_fake_count (f, "/restapi/v1.0/x"), ==, 2);
  g_assert_cmpuint (rc_test_fake_count (f, "/restapi/oauth/token"), ==, 2);
  refresh = rc_test_fake_nth (f, "/restapi/oauth/token", 1);
  form = soup_form_decode (refresh->body);
  g_assert_cmpstr (g_hash_table_lookup (form, "grant_type"), ==, "refresh_token");
  g_assert_cmpstr (g_hash_table_lookup (form, "refresh_token"), ==, "REFRESH-TOKEN-1");
  g_assert_true (g_str_has_prefix (refresh->authorization, "Basic "));
  g_assert_cmpstr (rc_test_fake_nth (f, "/restapi/v1.0/x", 0)->authorization, ==,
                   "Bearer ACCESS-TOKEN-1");
  g_assert_cmpstr (rc_test_fake_nth (f, "/restapi/v1.0/x", 1)->authorization, ==,
                   "Bearer ACCESS-TOKEN-2");
  g_assert_cmpuint (changed, ==, 2);
}

static void
test_401_twice (RcTestFake *f, gconstpointer data)
{
  g_autoptr (RcClient) client = rc_test_fake_signed_in_client (f);
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonNode) answer = NULL;

  rc_test_fake_can (f, 401, "{\"errorCode\":\"OAU-128\"}", NULL);
  rc_test_fake_can (f, 401, "{\"errorCode\":\"OAU-128\"}", NULL);
  rc_test_fake_can (f, 401, "{\"errorCode\":\"OAU-128\"}", NULL);
  answer = rc_test_fake_request (client, "GET", "/restapi/v1.0/x", NULL, &error);
  g_assert_null (answer);
  g_assert_error (error, RC_ERROR, RC_ERROR_AUTH_FAILED);
  g_assert_cmpstr (error->message, ==, "The RingCentral session has ended; sign in again.");
  g_assert_cmpuint (rc_test_fake_count (f, "/restapi/v1.0/x"), ==, 2);
  g_assert_cmpuint (rc_test_fake_count (f, "/restapi/oauth/token"), ==, 2);
}

static void
test_concurrent_401_single_refresh (RcTestFake *f, gconstpointer data)
{
  g_autoptr (RcClient) client = rc_test_fake_signed_in_client (f);
  g_autoptr (GError) error = NULL;
  RcTestCall r[3] = { { 0 } };

  for (int i = 0; i < 3; i++)
    rc_test_fake_can (f, 401, "{\"errorCode\":\"OAU-128\"}", NULL);
  for (int i = 0; i < 3; i++)
    rc_client_request_async (client, "GET", "/restapi/v1.0/x", NULL, NULL, rc_test_fake_request_cb,
                             &r[i]);
  for (int i = 0; i < 3; i++) {
    rc_test_wait_for (&r[i].done);
    g_assert_no_error (r[i].error);
    rc_test_call_clear (&r[i]);
  }
  g_assert_cmpuint (rc_test_fake_count (f, "/restapi/oauth/token"), ==, 2); /* JWT + one refresh */
  g_assert_cmpuint (rc_test_fake_count (f, "/restapi/v1.0/x"), ==, 6);
}

/* Gives @client an "OLD-ACCESS" token and @refresh, expiring that many seconds from now (a
 * refresh_in of 0 leaves the refresh expiry unset). */
static void
set_tokens (RcClient *client, gint64 access_in, const char *refresh, gint64 refresh_in)
{
  g_autoptr (RcTokens) t = rc_tokens_new ();

  t->access_token = g_strdup ("OLD-ACCESS");
  t->access_expires_at = rc_test_now_s () + access_in;
  t->refresh_token = g_strdup (refresh);
  if (refresh_in != 0)
    t->refresh_expires_at = rc_test_now_s () + refresh_in;
  rc_client_set_tokens (client, t);
}

static void
set_dead_tokens (RcClient *client)
{
  set_tokens (client, -10, "DEAD-REFRESH", 3600);
}

static void
test_dead_refresh_one_jwt (RcTestFake *f, gconstpointer data)
{
  guint changed = 0;
  g_autoptr (RcClient) client = rc_test_fake_client (f, &changed);
  g_autoptr (GError) error = NULL;
  g_autoptr (GHashTable) f0 = NULL;
  g_autoptr (GHashTable) f1 = NULL;

  set_dead_tokens (client);
  f->refresh_dead = TRUE;
  g_assert_true (rc_test_fake_sign_in (client, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (rc_test_fake_count (f, "/restapi/oauth/token"), ==, 2);
  f0 = soup_form_decode (rc_test_fake_nth (f, "/restapi/oauth/token", 0)->body);
  f1 = soup_form_decode (rc_test_fake_nth (f, "/restapi/oauth/token", 1)->body);
  g_assert_cmpstr (g_hash_table_lookup (f0, "refresh_token"), ==, "DEAD-REFRESH");
  g_assert_cmpstr (g_hash_table_lookup (f1, "grant_type"), ==,
                   "urn:ietf:params:oauth:grant-type:jwt-bearer");
  g_assert_cmpstr (rc_client_get_tokens (client)->access_token, ==, "ACCESS-TOKEN-1");
  g_assert_cmpuint (changed, ==, 1);
}

static void
test_dead_refresh_and_jwt_no_loop (RcTestFake *f, gconstpointer data)
{
  g_autoptr (RcClient) client = rc_test_fake_client (f, NULL);
  g_autoptr (GError) error = NULL;
  g_autofree char *code = NULL;

  set_dead_tokens (client);
  f->refresh_dead = TRUE;
  f->jwt_refused = TRUE;
  g_assert_false (rc_test_fake_sign_in (client, &error));
  g_assert_error (error, RC_ERROR, RC_ERROR_AUTH_FAILED);
  code = rc_error_get_api_code (error);
  g_assert_cmpstr (code, ==, "OAU-140");
  g_assert_true (g_str_has_prefix (error->message, "Grant refused"));
  g_assert_cmpuint (rc_test_fake_count (f, "/restapi/oauth/token"), ==, 2);

  /* A request now also fails after exactly one more JWT try (the refresh token is forgotten). */
  g_clear_error (&error);
  g_assert_null (rc_test_fake_request (client, "GET", "/restapi/v1.0/x", NULL, &error));
  g_assert_error (error, RC_ERROR, RC_ERROR_AUTH_FAILED);
  g_assert_cmpuint (rc_test_fake_count (f, "/restapi/oauth/token"), ==, 3);
  g_assert_cmpuint (rc_test_fake_count (f, "/restapi/v1.0/x"), ==, 0);
}

static void
test_proactive_refresh (RcTestFake *f, gconstpointer data)
{
  g_autoptr (RcClient) client = rc_test_fake_client (f, NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonNode) answer = NULL;
  g_autoptr (GHashTable) form = NULL;

  set_tokens (client, 30, "REFRESH-TOKEN-0", 3600); /* under the 60 s margin */
  answer = rc_test_fake_request (client, "GET", "/restapi/v1.0/x", NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (rc_test_fake_count (f, "/restapi/oauth/token"), ==, 1);
  form = soup_form_decode (rc_test_fake_nth (f, "/restapi/oauth/token", 0)->body);
  g_assert_cmpstr (g_hash_table_lookup (form, "grant_type"), ==, "refresh_token");
  g_assert_cmpstr (rc_test_fake_nth (f, "/restapi/v1.0/x", 0)->authorization, ==,
                   "Bearer ACCESS-TOKEN-1");
}

static void
test_refresh_public_client (RcTestFake *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (RcClient) client = rc_client_new (f->srv.base_url, RC_TEST_CLIENT_ID, NULL, &error);
  g_autoptr (GHashTable) form = NULL;
  RcTestReq *r;

  g_assert_no_error (error);
  set_dead_tokens (client);
  g_assert_true (rc_test_fake_sign_in (client, &error));
  r = rc_test_fake_nth (f, "/restapi/oauth/token", 0);
  form = soup_form_decode (r->body);
  g_assert_null (r->authorization);
  g_assert_cmpstr (g_hash_table_lookup (form, "client_id"), ==, RC_TEST_CLIENT_ID);
  g_assert_cmpstr (g_hash_table_lookup (form, "grant_type"), ==, "refresh_token");
}

static void
test_token_garbage (RcTestFake *f, gconstpointer data)
{
  g_autoptr (RcClient) client = rc_test_fake_client (f, NULL);
  g_autoptr (GError) error = NULL;

  f->token_garbage = TRUE;
  g_assert_false (rc_test_fake_sign_in (client, &error));
  g_assert_error (error, RC_ERROR, RC_ERROR_BAD_RESPONSE);
  g_assert_null (rc_client_get_tokens (client)->access_token);
}

static void
test_dispose_during_timer_refresh (RcTestFake *f, gconstpointer data)
{
  RcClient *client = rc_test_fake_client (f, NULL);
  gboolean gone = FALSE;

  /* Expires in 5 min: the proactive timer fires after its 10 s minimum; freeing the client
   * before must not leave a timer or callback behind (ASan would tell). */
  set_tokens (client, 300, "REFRESH-TOKEN-0", 0);
  g_object_weak_ref (G_OBJECT (client), rc_test_fake_weak_notify, &gone);
  g_object_unref (client);
  g_assert_true (gone);
}

static void
test_revoke_cb (GObject *source, GAsyncResult *res, gpointer user_data)
{
  RcTestCall *r = user_data;

  r->ok = rc_client_revoke_finish (RC_CLIENT (source), res, &r->error);
  r->done = TRUE;
}

static void
test_revoke (RcTestFake *f, gconstpointer data)
{
  guint changed = 0;
  g_autoptr (RcClient) client = rc_test_fake_client (f, &changed);
  g_autoptr (GError) error = NULL;
  g_autoptr (GHashTable) form = NULL;
  RcTestCall r = { 0 };

  g_assert_true (rc_test_fake_sign_in (client, &error));
  rc_client_revoke_async (client, NULL, test_revoke_cb, &r);
  rc_test_wait_for (&r.done);
  g_assert_true (r.ok);
  g_assert_cmpuint (rc_test_fake_count (f, "/restapi/oauth/revoke"), ==, 1);
  form = soup_form_decode (rc_test_fake_nth (f, "/restapi/oauth/revoke", 0)->body);
  g_assert_cmpstr (g_hash_table_lookup (form, "token"), ==, "REFRESH-TOKEN-1");
  g_assert_true (
      g_str_has_prefix (rc_test_fake_nth (f, "/restapi/oauth/revoke", 0)->authorization, "Basic "));
  g_assert_null (rc_client_get_tokens (client)->access_token);
  g_assert_null (rc_client_get_tokens (client)->refresh_token);
  g_assert_cmpuint (changed, ==, 2);
}

static void
test_refresh_timer (RcTestFake *f, gconstpointer data)
{
  guint changed = 0;
  g_autoptr (RcClient) client = rc_test_fake_client (f, &changed);
  g_autoptr (GHashTable) form = NULL;
  gboolean never = FALSE;
  guint id;

  if (!g_test_slow ()) {
    g_test_skip ("waits 10 s; run with -m slow");
    return;
  }
  set_tokens (client, 300, "REFRESH-TOKEN-0", 0);
  id = rc_test_watchdog_add (15);
  while (changed == 0 && !never)
    g_main_context_iteration (NULL, TRUE);
  g_source_remove (id);
  form = soup_form_decode (rc_test_fake_nth (f, "/restapi/oauth/token", 0)->body);
  g_assert_cmpstr (g_hash_table_lookup (form, "grant_type"), ==, "refresh_token");
  g_assert_cmpstr (rc_client_get_tokens (client)->access_token, ==, "ACCESS-TOKEN-1");
}
int
main (int argc, char **argv)
{
  rc_test_fake_init (&argc, &argv);
#define ADD RC_TEST_FAKE_ADD
  ADD ("jwt-grant", test_jwt_grant);
  ADD ("bearer", test_bearer);
  ADD ("401-refresh-retry", test_401_refresh_retry);
  ADD ("401-twice", test_401_twice);
  ADD ("concurrent-401-single-refresh", test_concurrent_401_single_refresh);
  ADD ("dead-refresh-one-jwt", test_dead_refresh_one_jwt);
  ADD ("dead-refresh-and-jwt-no-loop", test_dead_refresh_and_jwt_no_loop);
  ADD ("proactive-refresh", test_proactive_refresh);
  ADD ("refresh-public-client", test_refresh_public_client);
  ADD ("token-garbage", test_token_garbage);
  ADD ("dispose", test_dispose_during_timer_refresh);
  ADD ("revoke", test_revoke);
  ADD ("refresh-timer", test_refresh_timer);
#undef ADD
  return g_test_run ();
}
