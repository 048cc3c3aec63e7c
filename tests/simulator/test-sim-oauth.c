/* test-sim-oauth.c: the simulator's browser sign-in: GET /restapi/oauth/authorize (auto-approve,
 * 302 to the registered redirect URI, OAuth errors), the authorization_code grant with PKCE
 * (S256 checked, single-use codes that expire) and revoke ending the whole session. */
#include <string.h>

#include "sim-test-util.h"

#define REDIRECT "http://127.0.0.1:5000/oauth2callback"
#define FORM     "application/x-www-form-urlencoded"
/* CHALLENGE = BASE64URL(SHA256(VERIFIER)), computed independently (Python hashlib) */
#define VERIFIER  "dBjftJeZ4CVP-mJ0tjO1Vt-uJlbhH1xNR6FDbRn7i7k"
#define CHALLENGE "l_oWQjrZdIXrXuxvZC6elWv_59V6RdnPzgl_rQBOfxM"

typedef struct {
  GBytes *body;
  GError *error;
  gboolean done;
} Result;

static void
send_done (GObject *source, GAsyncResult *res, gpointer data)
{
  Result *r = data;
  r->body = soup_session_send_and_read_finish (SOUP_SESSION (source), res, &r->error);
  r->done = TRUE;
}

/* GET /restapi/oauth/authorize?@query without following the redirect; the Location (or NULL). */
static char *
authorize (SimTest *t, const char *query, guint *status, JsonNode **answer)
{
  g_autofree char *base = rc_sim_get_base_url (t->sim);
  g_autofree char *url = g_strconcat (base, "/restapi/oauth/authorize?", query, NULL);
  g_autoptr (SoupMessage) msg = soup_message_new ("GET", url);
  soup_message_add_flags (msg, SOUP_MESSAGE_NO_REDIRECT);
  Result r = { 0 };
  soup_session_send_and_read_async (t->session, msg, G_PRIORITY_DEFAULT, NULL, send_done, &r);
  while (!r.done)
    g_main_context_iteration (NULL, TRUE);
  g_assert_no_error (r.error);
  *status = soup_message_get_status (msg);
  if (answer != NULL) {
    g_autoptr (JsonParser) parser = json_parser_new ();
    gsize len = 0;
    const char *data = g_bytes_get_data (r.body, &len);
    *answer = len > 0 && json_parser_load_from_data (parser, data, len, NULL)
                  ? json_node_copy (json_parser_get_root (parser))
                  : NULL;
  }
  g_bytes_unref (r.body);
  return g_strdup (
      soup_message_headers_get_one (soup_message_get_response_headers (msg), "Location"));
}

static char *
pkce_query (const char *redirect, const char *challenge)
{
  g_autofree char *r = g_uri_escape_string (redirect, NULL, FALSE);
  return g_strdup_printf ("response_type=code&client_id=demo-client-id&redirect_uri=%s"
                          "&state=st4te&code_challenge=%s&code_challenge_method=S256",
                          r, challenge);
}

/* The code of a 302 Location, after checking where it points and the state. */
static char *
code_of (const char *location)
{
  g_assert_nonnull (location);
  g_assert_true (g_str_has_prefix (location, REDIRECT "?"));
  g_autoptr (GHashTable) params
      = g_uri_parse_params (strchr (location, '?') + 1, -1, "&", G_URI_PARAMS_NONE, NULL);
  g_assert_nonnull (params);
  g_assert_cmpstr (g_hash_table_lookup (params, "state"), ==, "st4te");
  g_assert_cmpstr (g_hash_table_lookup (params, "expires_in"), ==, "60");
  g_assert_nonnull (g_hash_table_lookup (params, "code"));
  return g_strdup (g_hash_table_lookup (params, "code"));
}

static JsonNode *
exchange (SimTest *t, const char *code, const char *redirect, const char *verifier, guint *status)
{
  g_autofree char *c = g_uri_escape_string (code, NULL, FALSE);
  g_autofree char *r = g_uri_escape_string (redirect, NULL, FALSE);
  g_autofree char *body = g_strdup_printf ("grant_type=authorization_code&code=%s&redirect_uri=%s"
                                           "&code_verifier=%s&client_id=demo-client-id",
                                           c, r, verifier);
  return sim_test_request (t, "POST", "/restapi/oauth/token", FORM, body, NULL, status, NULL);
}

static const char *
oauth_error (JsonNode *n)
{
  g_assert_nonnull (n);
  return json_object_get_string_member (json_node_get_object (n), "error");
}

static void
test_pkce_flow (SimTest *t, gconstpointer data)
{
  guint status = 0;
  g_autofree char *query = pkce_query (REDIRECT, CHALLENGE);
  g_autofree char *location = authorize (t, query, &status, NULL);
  g_assert_cmpuint (status, ==, 302);
  g_autofree char *code = code_of (location);
  g_assert_cmpuint (rc_sim_get_authorize_count (t->sim), ==, 1);

  /* A public client: client_id in the body, no Basic header, no secret. */
  g_autoptr (JsonNode) tokens = exchange (t, code, REDIRECT, VERIFIER, &status);
  g_assert_cmpuint (status, ==, 200);
  JsonObject *o = json_node_get_object (tokens);
  g_assert_true (json_object_has_member (o, "refresh_token"));
  t->access_token = g_strdup (json_object_get_string_member (o, "access_token"));
  g_autoptr (JsonNode) numbers
      = sim_test_api (t, "GET", SIM_TEST_EXT "/phone-number", NULL, &status);
  g_assert_cmpuint (status, ==, 200);

  /* Single-use. */
  g_autoptr (JsonNode) again = exchange (t, code, REDIRECT, VERIFIER, &status);
  g_assert_cmpuint (status, ==, 400);
  g_assert_cmpstr (oauth_error (again), ==, "invalid_grant");
  g_assert_cmpstr (sim_test_error_code (again), ==, "OAU-106");
}

static void
test_wrong_verifier (SimTest *t, gconstpointer data)
{
  guint status = 0;
  g_autofree char *query = pkce_query (REDIRECT, CHALLENGE);
  g_autofree char *location = authorize (t, query, &status, NULL);
  g_autofree char *code = code_of (location);
  /* The verifier whose S256 the challenge is not (plain: the challenge itself). */
  g_autoptr (JsonNode) refused = exchange (t, code, REDIRECT, CHALLENGE, &status);
  g_assert_cmpuint (status, ==, 400);
  g_assert_cmpstr (oauth_error (refused), ==, "invalid_grant");
  /* The code is spent by the failed attempt. */
  g_autoptr (JsonNode) late = exchange (t, code, REDIRECT, VERIFIER, &status);
  g_assert_cmpuint (status, ==, 400);
  g_assert_cmpstr (sim_test_error_code (late), ==, "OAU-106");
  g_assert_cmpuint (rc_sim_get_tokens_issued (t->sim), ==, 0);
}

static void
test_authorize_errors (SimTest *t, gconstpointer data)
{
  guint status = 0;
  JsonNode *n = NULL;
  g_autofree char *wrong_redirect = pkce_query ("http://127.0.0.1:5001/oauth2callback", CHALLENGE);
  g_autofree char *loc = authorize (t, wrong_redirect, &status, &n);
  g_assert_null (loc);
  g_assert_cmpuint (status, ==, 400);
  g_assert_cmpstr (sim_test_error_code (n), ==, "OAU-109");
  g_clear_pointer (&n, json_node_unref);

  g_autofree char *loc2
      = authorize (t, "response_type=code&client_id=other&redirect_uri=x", &status, &n);
  g_assert_cmpuint (status, ==, 400);
  g_assert_cmpstr (oauth_error (n), ==, "invalid_client");
  g_clear_pointer (&n, json_node_unref);

  g_autofree char *r = g_uri_escape_string (REDIRECT, NULL, FALSE);
  g_autofree char *token_type
      = g_strdup_printf ("response_type=token&client_id=demo-client-id&redirect_uri=%s", r);
  g_autofree char *loc3 = authorize (t, token_type, &status, &n);
  g_assert_cmpuint (status, ==, 400);
  g_assert_cmpstr (oauth_error (n), ==, "unsupported_response_type");
  g_clear_pointer (&n, json_node_unref);

  /* The exchange must name the authorize request's redirect URI. */
  g_autofree char *query = pkce_query (REDIRECT, CHALLENGE);
  g_autofree char *location = authorize (t, query, &status, NULL);
  g_autofree char *code = code_of (location);
  g_autoptr (JsonNode) mismatch
      = exchange (t, code, "http://127.0.0.1:5000/other", VERIFIER, &status);
  g_assert_cmpuint (status, ==, 400);
  g_assert_cmpstr (sim_test_error_code (mismatch), ==, "OAU-109");

  /* No redirect URI registered at all. */
  sim_test_restart (t, "{\"credentials\": {\"redirect_uris\": []}}");
  g_autofree char *loc4 = authorize (t, query, &status, &n);
  g_assert_cmpuint (status, ==, 400);
  g_assert_cmpstr (sim_test_error_code (n), ==, "OAU-113");
  g_clear_pointer (&n, json_node_unref);

  /* ...until one is registered (control endpoint). */
  g_autoptr (JsonNode) ok
      = sim_test_control (t, "redirect-uri", "{\"uri\": \"" REDIRECT "\"}", &status);
  g_assert_cmpuint (status, ==, 200);
  g_autofree char *loc5 = authorize (t, query, &status, NULL);
  g_assert_cmpuint (status, ==, 302);
}

static gboolean
deadline_passed (gint64 deadline)
{
  return g_get_monotonic_time () >= deadline;
}

static void
test_code_expires (SimTest *t, gconstpointer data)
{
  guint status = 0;
  sim_test_restart (t, "{\"settings\": {\"auth_code_ttl\": 1}}");
  g_autofree char *query = pkce_query (REDIRECT, CHALLENGE);
  g_autofree char *location = authorize (t, query, &status, NULL);
  g_assert_cmpuint (status, ==, 302);
  g_assert_nonnull (strstr (location, "expires_in=1"));
  g_autoptr (GHashTable) params
      = g_uri_parse_params (strchr (location, '?') + 1, -1, "&", G_URI_PARAMS_NONE, NULL);
  /* The code's lifetime passes (the main loop keeps turning meanwhile). */
  gint64 deadline = g_get_monotonic_time () + 1100 * 1000;
  while (!deadline_passed (deadline))
    g_main_context_iteration (NULL, FALSE);
  g_autoptr (JsonNode) late
      = exchange (t, g_hash_table_lookup (params, "code"), REDIRECT, VERIFIER, &status);
  g_assert_cmpuint (status, ==, 400);
  g_assert_cmpstr (sim_test_error_code (late), ==, "OAU-108");
}

static void
test_revoke_ends_session (SimTest *t, gconstpointer data)
{
  guint status = 0;
  g_autofree char *query = pkce_query (REDIRECT, CHALLENGE);
  g_autofree char *location = authorize (t, query, &status, NULL);
  g_autofree char *code = code_of (location);
  g_autoptr (JsonNode) tokens = exchange (t, code, REDIRECT, VERIFIER, &status);
  g_assert_cmpuint (status, ==, 200);
  JsonObject *o = json_node_get_object (tokens);
  t->access_token = g_strdup (json_object_get_string_member (o, "access_token"));
  const char *refresh = json_object_get_string_member (o, "refresh_token");

  /* Revoking the refresh token ends the access token too (RFC 7009: the whole session). */
  g_autofree char *revoke = g_strdup_printf ("token=%s&client_id=demo-client-id", refresh);
  g_autoptr (JsonNode) r
      = sim_test_request (t, "POST", "/restapi/oauth/revoke", FORM, revoke, NULL, &status, NULL);
  g_assert_cmpuint (status, ==, 200);
  g_autoptr (JsonNode) api = sim_test_api (t, "GET", SIM_TEST_EXT "/phone-number", NULL, &status);
  g_assert_cmpuint (status, ==, 401);
  g_autofree char *again = g_strdup_printf (
      "grant_type=refresh_token&refresh_token=%s&client_id=demo-client-id", refresh);
  g_autoptr (JsonNode) dead
      = sim_test_request (t, "POST", "/restapi/oauth/token", FORM, again, NULL, &status, NULL);
  g_assert_cmpuint (status, ==, 400);
  g_assert_cmpstr (sim_test_error_code (dead), ==, "OAU-213");
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
#define ADD(path, fn) g_test_add (path, SimTest, NULL, sim_test_setup, fn, sim_test_teardown)
  ADD ("/sim/oauth/pkce-flow", test_pkce_flow);
  ADD ("/sim/oauth/wrong-verifier", test_wrong_verifier);
  ADD ("/sim/oauth/authorize-errors", test_authorize_errors);
  ADD ("/sim/oauth/code-expires", test_code_expires);
  ADD ("/sim/oauth/revoke-ends-session", test_revoke_ends_session);
  return g_test_run ();
}
