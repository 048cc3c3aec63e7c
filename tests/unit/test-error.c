/* test-error.c: HTTP status and RingCentral errorCode → RcErrorCode, messages, API codes; the
 * OAuth form bodies and TokenInfo parsing of rc-auth.c; URL helpers of rc-http.c. */
#include <string.h>

#include "rc-auth-private.h"
#include "rc-error.h"
#include "rc-http.h"

static GError *
from_json (guint status, const char *json, gboolean token_endpoint)
{
  g_autoptr (GBytes) body = json ? g_bytes_new (json, strlen (json)) : NULL;

  return rc_error_from_http (status, body, token_endpoint);
}

static void
test_status_mapping (void)
{
  static const struct {
    guint status;
    gboolean token;
    RcErrorCode code;
  } cases[] = {
    { 400, FALSE, RC_ERROR_INVALID_INPUT }, { 400, TRUE, RC_ERROR_AUTH_FAILED },
    { 401, FALSE, RC_ERROR_TOKEN_EXPIRED }, { 401, TRUE, RC_ERROR_AUTH_FAILED },
    { 403, FALSE, RC_ERROR_NOT_PERMITTED }, { 404, FALSE, RC_ERROR_NOT_FOUND },
    { 415, FALSE, RC_ERROR_INVALID_INPUT }, { 422, FALSE, RC_ERROR_INVALID_INPUT },
    { 429, FALSE, RC_ERROR_RATE_LIMITED },  { 429, TRUE, RC_ERROR_RATE_LIMITED },
    { 408, FALSE, RC_ERROR_NETWORK },       { 500, FALSE, RC_ERROR_NETWORK },
    { 502, FALSE, RC_ERROR_NETWORK },       { 503, TRUE, RC_ERROR_NETWORK },
    { 599, FALSE, RC_ERROR_NETWORK },       { 409, FALSE, RC_ERROR_INVALID_INPUT },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++) {
    g_autoptr (GError) e = from_json (cases[i].status, NULL, cases[i].token);
    g_autofree char *api = rc_error_get_api_code (e);

    g_test_message ("status %u token %d", cases[i].status, cases[i].token);
    g_assert_error (e, RC_ERROR, (gint)cases[i].code);
    g_assert_null (api);
    g_assert_cmpuint (strlen (e->message), >, 0);
  }
}

static void
test_api_code_errors_array (void)
{
  g_autoptr (GError) e = from_json (
      403,
      "{\"errorCode\":\"CMN-999\",\"message\":\"top\",\"errors\":[{\"errorCode\":\"MSG-242\","
      "\"message\":\"Sending SMS from the phone number is not available\"}]}",
      FALSE);
  g_autofree char *api = rc_error_get_api_code (e);

  g_assert_error (e, RC_ERROR, RC_ERROR_NOT_PERMITTED);
  g_assert_cmpstr (api, ==, "MSG-242");
  g_assert_true (g_str_has_suffix (e->message, " (MSG-242)"));
  /* The friendly sentence wins over the server's wording. */
  g_assert_nonnull (strstr (e->message, rc_error_describe_api_code ("MSG-242")));
}

static void
test_api_code_top_level (void)
{
  g_autoptr (GError) e
      = from_json (404, "{\"errorCode\":\"XYZ-1\",\"message\":\"Thing is gone\"}", FALSE);
  g_autofree char *api = rc_error_get_api_code (e);

  g_assert_error (e, RC_ERROR, RC_ERROR_NOT_FOUND);
  g_assert_cmpstr (api, ==, "XYZ-1");
  g_assert_cmpstr (e->message, ==, "Thing is gone (XYZ-1)");
}

static void
test_oauth_error (void)
{
  g_autoptr (GError) e = from_json (
      400,
      "{\"error\":\"invalid_grant\",\"error_description\":\"Invalid JWT token\","
      "\"errors\":[{\"errorCode\":\"OAU-140\",\"message\":\"Invalid resource owner\"}]}",
      TRUE);
  g_autoptr (GError) e2 = from_json (
      400, "{\"error\":\"invalid_grant\",\"error_description\":\"Token not found\"}", TRUE);
  g_autofree char *api = rc_error_get_api_code (e);
  g_autofree char *api2 = rc_error_get_api_code (e2);

  g_assert_error (e, RC_ERROR, RC_ERROR_AUTH_FAILED);
  g_assert_cmpstr (e->message, ==, "Invalid JWT token (OAU-140)");
  g_assert_cmpstr (api, ==, "OAU-140");
  g_assert_cmpstr (e2->message, ==, "Token not found (invalid_grant)");
  g_assert_cmpstr (api2, ==, "invalid_grant");
}

static void
test_sync_reset (void)
{
  g_autoptr (GError) e
      = from_json (400, "{\"errors\":[{\"errorCode\":\"MSG-333\",\"message\":\"x\"}]}", FALSE);

  g_assert_error (e, RC_ERROR, RC_ERROR_SYNC_RESET);
}

static void
test_bad_bodies (void)
{
  static const char *bodies[] = { "",
                                  "not json",
                                  "[1,2]",
                                  "{\"errors\":[]}",
                                  "{\"errors\":[5]}",
                                  "{\"errorCode\":5}",
                                  "{\"errors\":{}}",
                                  "null",
                                  "{\"error\":7,\"error_description\":[]}" };

  for (gsize i = 0; i < G_N_ELEMENTS (bodies); i++) {
    g_autoptr (GError) e = from_json (403, bodies[i], FALSE);
    g_autofree char *api = rc_error_get_api_code (e);

    g_assert_error (e, RC_ERROR, RC_ERROR_NOT_PERMITTED);
    g_assert_null (api);
  }
}

static void
test_describe (void)
{
  static const char *known[]
      = { "MSG-240",     "MSG-241",     "MSG-242",     "MSG-243",    "MSG-245",     "MSG-290",
          "MSG-304",     "MSG-305",     "MSG-310",     "MSG-314",    "MSG-331",     "MSG-333",
          "MSG-337",     "MSG-338",     "MSG-348",     "CMN-101",    "CMN-102",     "CMN-109",
          "CMN-201",     "CMN-301",     "CMN-302",     "CMN-401",    "CMN-408",     "OAU-109",
          "OAU-113",     "OAU-123",     "OAU-128",     "OAU-129",    "OAU-140",     "OAU-146",
          "OAU-149",     "OAU-213",     "SMS-CAR-413", "SMS-RC-413", "SMS-UP-413",  "SMS-CAR-450",
          "SMS-CAR-451", "SMS-CAR-452", "SMS-CAR-461", "SMS-UP-414", "SMS-CAR-414", "SMS-RC-410",
          "SMS-UP-410",  "SMS-CAR-411", "SMS-CAR-430", "SMS-RC-430" };

  for (gsize i = 0; i < G_N_ELEMENTS (known); i++) {
    const char *text = rc_error_describe_api_code (known[i]);

    g_test_message ("%s", known[i]);
    g_assert_nonnull (text);
    g_assert_true (g_str_has_suffix (text, "."));
  }
  g_assert_nonnull (strstr (rc_error_describe_api_code ("SMS-CAR-413"), "opted out"));
  g_assert_null (rc_error_describe_api_code ("NOPE-1"));
  g_assert_null (rc_error_describe_api_code (NULL));
}

static void
test_get_api_code_edge (void)
{
  g_autoptr (GError) other = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_FAILED, "x (MSG-242)");
  g_autoptr (GError) plain = g_error_new_literal (RC_ERROR, RC_ERROR_NETWORK, "Timed out");
  g_autoptr (GError) paren = g_error_new_literal (RC_ERROR, RC_ERROR_NETWORK, "x (a b)");
  g_autoptr (GError) empty = g_error_new_literal (RC_ERROR, RC_ERROR_NETWORK, "()");

  g_assert_null (rc_error_get_api_code (other));
  g_assert_null (rc_error_get_api_code (plain));
  g_assert_null (rc_error_get_api_code (paren));
  g_assert_null (rc_error_get_api_code (empty));
  g_assert_null (rc_error_get_api_code (NULL));
}

/* ---- rc-auth.c helpers ---- */

static void
test_auth_forms (void)
{
  g_autofree char *basic = rc_auth_basic_header ("id", "secret");
  g_autofree char *none = rc_auth_basic_header ("id", NULL);
  g_autofree char *jwt = rc_auth_jwt_form ("a.b+c/=", "id", "secret");
  g_autofree char *jwt_pub = rc_auth_jwt_form ("a.b", "id", NULL);
  g_autofree char *refresh = rc_auth_refresh_form ("R&1", "id", "secret");
  g_autofree char *refresh_pub = rc_auth_refresh_form ("R1", "my id", "");
  g_autofree char *revoke = rc_auth_revoke_form ("T1", "id", "secret");

  g_assert_cmpstr (basic, ==, "Basic aWQ6c2VjcmV0");
  g_assert_null (none);
  g_assert_cmpstr (jwt, ==,
                   "grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Ajwt-bearer"
                   "&assertion=a.b%2Bc%2F%3D");
  g_assert_true (g_str_has_suffix (jwt_pub, "&assertion=a.b&client_id=id"));
  g_assert_cmpstr (refresh, ==, "grant_type=refresh_token&refresh_token=R%261");
  g_assert_cmpstr (refresh_pub, ==, "grant_type=refresh_token&refresh_token=R1&client_id=my%20id");
  g_assert_cmpstr (revoke, ==, "token=T1");
}

static RcTokens *
parse_tokens (const char *json, GError **error)
{
  g_autoptr (GBytes) body = g_bytes_new (json, strlen (json));

  return rc_auth_parse_token_info (body, 1000, error);
}

static void
test_auth_parse (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (RcTokens) t
      = parse_tokens ("{\"access_token\":\"A\",\"token_type\":\"bearer\",\"expires_in\":3600,"
                      "\"refresh_token\":\"R\",\"refresh_token_expires_in\":604800,"
                      "\"owner_id\":\"256440016\"}",
                      &error);
  g_autoptr (RcTokens) t2 = parse_tokens ("{\"access_token\":\"A\",\"expires_in\":\"60\","
                                          "\"owner_id\":42}",
                                          &error);
  static const char *bad[] = { "",
                               "nope",
                               "[]",
                               "{\"expires_in\":3600}",
                               "{\"access_token\":\"A\"}",
                               "{\"access_token\":\"A\",\"expires_in\":-5}",
                               "{\"access_token\":\"A\",\"expires_in\":1e300}",
                               "{\"access_token\":5,\"expires_in\":3600}",
                               "{\"access_token\":\"\",\"expires_in\":3600}" };

  g_assert_no_error (error);
  g_assert_cmpstr (t->access_token, ==, "A");
  g_assert_cmpint (t->access_expires_at, ==, 4600);
  g_assert_cmpstr (t->refresh_token, ==, "R");
  g_assert_cmpint (t->refresh_expires_at, ==, 605800);
  g_assert_cmpstr (t->owner_id, ==, "256440016");
  g_assert_cmpint (t2->access_expires_at, ==, 1060);
  g_assert_null (t2->refresh_token);
  g_assert_cmpstr (t2->owner_id, ==, "42");

  for (gsize i = 0; i < G_N_ELEMENTS (bad); i++) {
    g_autoptr (GError) e = NULL;
    g_autoptr (RcTokens) b = parse_tokens (bad[i], &e);

    g_test_message ("bad TokenInfo: %s", bad[i]);
    g_assert_null (b);
    g_assert_error (e, RC_ERROR, RC_ERROR_BAD_RESPONSE);
  }
}

static void
test_tokens_validity (void)
{
  g_autoptr (RcTokens) t = rc_tokens_new ();
  g_autoptr (RcTokens) copy = NULL;

  g_assert_false (rc_tokens_access_valid (t, 100, 0));
  g_assert_false (rc_tokens_refresh_valid (t, 100));
  t->access_token = g_strdup ("A");
  t->access_expires_at = 200;
  t->refresh_token = g_strdup ("R");
  t->refresh_expires_at = 300;
  g_assert_true (rc_tokens_access_valid (t, 100, 60));
  g_assert_false (rc_tokens_access_valid (t, 150, 60));
  g_assert_true (rc_tokens_refresh_valid (t, 299));
  g_assert_false (rc_tokens_refresh_valid (t, 300));
  copy = rc_tokens_copy (t);
  g_assert_cmpstr (copy->refresh_token, ==, "R");
  g_assert_true (copy->refresh_token != t->refresh_token);
}

/* ---- rc-http.c helpers ---- */

static void
test_redact (void)
{
  g_autofree char *a = rc_http_redact ("/x?access_token=SECRET1&page=2&token=SECRET2");
  g_autofree char *b
      = rc_http_redact ("grant_type=x&assertion=JWTSECRET&client_secret=CS&refresh_token=RT");
  g_autofree char *c = rc_http_redact ("Authorization: Bearer TOKENX, Basic CREDX");

  g_assert_cmpstr (a, ==, "/x?access_token=[redacted]&page=2&token=[redacted]");
  g_assert_null (strstr (b, "JWTSECRET"));
  g_assert_null (strstr (b, "CS&"));
  g_assert_null (strstr (b, "RT"));
  g_assert_nonnull (strstr (b, "grant_type=x"));
  g_assert_null (strstr (c, "TOKENX"));
  g_assert_null (strstr (c, "CREDX"));
}

static void
test_server_url (void)
{
  static const struct {
    const char *in;
    const char *out;
  } ok[] = {
    { "https://platform.ringcentral.com", "https://platform.ringcentral.com" },
    { "https://platform.ringcentral.com/", "https://platform.ringcentral.com" },
    { "HTTPS://platform.ringcentral.com:8443//", "https://platform.ringcentral.com:8443" },
    { "http://127.0.0.1:1234", "http://127.0.0.1:1234" },
    { "http://localhost", "http://localhost" },
    { "http://127.5.5.5", "http://127.5.5.5" },
    { "http://[::1]:80", "http://[::1]:80" },
  };
  static const char *bad[] = { "http://example.com",
                               "ftp://x",
                               "",
                               "nonsense",
                               "https://",
                               "http://10.0.0.1",
                               "https://h/?q=1",
                               "http://127.0.0.1.evil.com" };

  for (gsize i = 0; i < G_N_ELEMENTS (ok); i++) {
    g_autoptr (GError) error = NULL;
    g_autofree char *n = rc_http_normalize_server_url (ok[i].in, &error);

    g_assert_no_error (error);
    g_assert_cmpstr (n, ==, ok[i].out);
  }
  for (gsize i = 0; i < G_N_ELEMENTS (bad); i++) {
    g_autoptr (GError) error = NULL;
    g_autofree char *n = rc_http_normalize_server_url (bad[i], &error);

    g_test_message ("bad URL %s", bad[i]);
    g_assert_null (n);
    g_assert_error (error, RC_ERROR, RC_ERROR_INVALID_SETTINGS);
  }
  g_assert_true (rc_http_same_origin ("https://a.com", "https://A.com:443/x?y"));
  g_assert_false (rc_http_same_origin ("https://a.com", "http://a.com"));
  g_assert_false (rc_http_same_origin ("https://a.com", "https://a.com:444"));
  g_assert_false (rc_http_same_origin ("https://a.com", "https://b.com"));
  g_assert_false (rc_http_same_origin ("https://a.com", "/relative"));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/error/status-mapping", test_status_mapping);
  g_test_add_func ("/error/api-code-errors-array", test_api_code_errors_array);
  g_test_add_func ("/error/api-code-top-level", test_api_code_top_level);
  g_test_add_func ("/error/oauth", test_oauth_error);
  g_test_add_func ("/error/sync-reset", test_sync_reset);
  g_test_add_func ("/error/bad-bodies", test_bad_bodies);
  g_test_add_func ("/error/describe", test_describe);
  g_test_add_func ("/error/get-api-code-edge", test_get_api_code_edge);
  g_test_add_func ("/auth/forms", test_auth_forms);
  g_test_add_func ("/auth/parse-token-info", test_auth_parse);
  g_test_add_func ("/auth/tokens-validity", test_tokens_validity);
  g_test_add_func ("/http/redact", test_redact);
  g_test_add_func ("/http/server-url", test_server_url);
  return g_test_run ();
}
