/* test-secrets.c: secrets the server echoes (tokens, JWT, client secret) never reach an error
 * message or the debug log (issue 10, "Secrets echoed by the server reach the user"): the
 * process-wide list of rc-error.h, the session registering its tokens, and the length bound. */
#include <string.h>

#include "rc-error.h"
#include "rc-session.h"
#include "rc-test-fake.h"

#define SECRET_A "hunter2-secret-value"
#define OPAQUE   "eyJhbGciOiJSUzI1NiJ9AbCdEfGh1234567890XyZ"

static void
assert_no_piece (const char *text, const char *secret)
{
  /* Not even 8 characters in a row of it. */
  for (gsize i = 0; i + 8 <= strlen (secret); i++) {
    g_autofree char *piece = g_strndup (secret + i, 8);

    if (strstr (text, piece) != NULL)
      g_error ("\"%s\" (from the secret) is in \"%s\"", piece, text);
  }
}

static GError *
error_for (guint status, const char *body, gboolean token_endpoint)
{
  g_autoptr (GBytes) bytes = g_bytes_new (body, strlen (body));

  return rc_error_from_http (status, bytes, token_endpoint);
}

static void
test_registered_hidden (void)
{
  g_autoptr (GError) send = NULL;
  g_autoptr (GError) oauth = NULL;
  g_autoptr (GError) param = NULL;
  g_autoptr (GError) escaped = NULL;

  rc_error_add_secret (SECRET_A);
  send = error_for (400,
                    "{\"errors\":[{\"errorCode\":\"XYZ-1\",\"message\":\"Bearer " SECRET_A
                    " is not allowed to send\"}]}",
                    FALSE);
  g_assert_null (strstr (send->message, SECRET_A));
  g_assert_nonnull (strstr (send->message, "Bearer [hidden] is not allowed to send"));
  oauth = error_for (400,
                     "{\"error\":\"invalid_client\",\"error_description\":\"client_secret="
                     "'" SECRET_A "' is wrong\"}",
                     TRUE);
  g_assert_error (oauth, RC_ERROR, RC_ERROR_AUTH_FAILED);
  g_assert_null (strstr (oauth->message, SECRET_A));
  /* A parameter whose value is shown (the recipient) quoting it. */
  param = error_for (400,
                     "{\"errors\":[{\"errorCode\":\"CMN-101\",\"parameterName\":\"to\","
                     "\"parameterValue\":\"" SECRET_A "\"}]}",
                     FALSE);
  g_assert_null (strstr (param->message, SECRET_A));
  /* Percent-encoded, as a form body quoted back would be. */
  rc_error_add_secret ("pass word+/ok!");
  escaped = error_for (400, "{\"message\":\"body was x=pass%20word%2B%2Fok%21&y\"}", FALSE);
  g_assert_null (strstr (escaped->message, "pass%20word"));
  rc_error_remove_secret ("pass word+/ok!");

  /* Counted: one removal of two registrations still hides it; the second ends it. */
  rc_error_add_secret (SECRET_A);
  rc_error_remove_secret (SECRET_A);
  {
    g_autofree char *still = rc_error_redact ("x " SECRET_A, -1);

    g_assert_cmpstr (still, ==, "x [hidden]");
  }
  rc_error_remove_secret (SECRET_A);
  {
    g_autofree char *shown = rc_error_redact ("x " SECRET_A, -1);

    g_assert_cmpstr (shown, ==, "x " SECRET_A);
  }
  /* Short strings would hide ordinary words: ignored. */
  rc_error_add_secret ("text");
  {
    g_autofree char *shown = rc_error_redact ("the text", -1);

    g_assert_cmpstr (shown, ==, "the text");
  }
  rc_error_remove_secret ("text");
}

static void
test_code_holding_secret (void)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *code = NULL;

  rc_error_add_secret ("C1ientSecretAbc42");
  error = error_for (401, "{\"error\":\"C1ientSecretAbc42\"}", TRUE);
  g_assert_null (strstr (error->message, "C1ientSecretAbc42"));
  code = rc_error_get_api_code (error);
  g_assert_null (code);
  rc_error_remove_secret ("C1ientSecretAbc42");
}

static void
test_opaque_runs_hidden (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GError) plain = NULL;

  /* Not registered (another account's, a prefix of ours): hidden anyway. */
  error = error_for (400, "{\"message\":\"token " OPAQUE " refused\"}", FALSE);
  g_assert_null (strstr (error->message, OPAQUE));
  g_assert_nonnull (strstr (error->message, "token [hidden] refused"));
  /* Ordinary words, numbers, ids and lower-case URLs stay. */
  plain = error_for (
      400,
      "{\"message\":\"See https://developers.ringcentral.com/api-reference/sms-configuration-"
      "1234 for +14155550100, message 1234567890123\"}",
      FALSE);
  g_assert_nonnull (strstr (plain->message, "developers.ringcentral.com/api-reference/sms-"));
  g_assert_nonnull (strstr (plain->message, "+14155550100"));
}

/* A secret cut in half by the 300-character bound leaves no piece behind. */
static void
test_secret_across_the_cut (void)
{
  g_autofree char *jwt = NULL;
  GString *body = g_string_new ("{\"message\":\"");
  g_autoptr (GError) error = NULL;
  g_autoptr (GString) secret = g_string_new (NULL);

  /* Lower case only, with dashes: not opaque, so only the registration hides it. */
  for (guint i = 0; i < 100; i++)
    g_string_append (secret, "abc-defg-");
  jwt = g_strdup (secret->str);
  rc_error_add_secret (jwt);
  for (guint i = 0; i < 29; i++)
    g_string_append (body, "word word ");
  g_string_append_printf (body, "%s\"}", jwt);
  error = error_for (400, body->str, FALSE);
  g_string_free (body, TRUE);
  assert_no_piece (error->message, jwt);
  rc_error_remove_secret (jwt);
}

/* A long error text is cut (ringcentral-api.md §7: a message is a sentence); a 10 MB body is not
 * even parsed. */
static void
long_text (gsize n)
{
  char *body = g_malloc (n + 64);
  g_autoptr (GBytes) bytes = NULL;
  g_autoptr (GError) error = NULL;
  gsize len;

  len = (gsize)g_snprintf (body, 64, "{\"message\":\"");
  memset (body + len, 'x', n);
  len += n;
  memcpy (body + len, "\"}", 2);
  len += 2;
  bytes = g_bytes_new_take (body, len);
  error = rc_error_from_http (400, bytes, FALSE);
  g_assert_cmpuint (g_utf8_strlen (error->message, -1), <=, 300);
  if (n < 256 * 1024)
    g_assert_true (g_str_has_suffix (error->message, "xx…"));
}

static void
test_long_text_bounded (void)
{
  long_text (200 * 1024);
  long_text (10 * 1024 * 1024);
}

/* An error body nested 10^5 deep (json-glib recursed until the stack overflowed) or of 10 MB of
 * JSON: the generic sentence for the status, no crash. */
static void
test_deep_body (void)
{
  gsize depth = 100000;
  GString *body = g_string_new ("{\"errorCode\":\"CMN-101\",\"x\":");
  g_autoptr (GError) deep = NULL;
  g_autoptr (GError) shallow = NULL;

  for (gsize i = 0; i < depth; i++)
    g_string_append_c (body, '[');
  for (gsize i = 0; i < depth; i++)
    g_string_append_c (body, ']');
  g_string_append_c (body, '}');
  deep = error_for (400, body->str, FALSE);
  g_string_free (body, TRUE);
  g_assert_error (deep, RC_ERROR, RC_ERROR_INVALID_INPUT);
  g_assert_cmpstr (deep->message, ==, "RingCentral refused the request as invalid.");
  /* Brackets inside strings do not count. */
  shallow
      = error_for (400,
                   "{\"message\":\"[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[["
                   "[[[[[[[[[[[[[[[[[[ \\\" {{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{"
                   "{{{{{{{{{{{{{{{{{{{{\"}",
                   FALSE);
  g_assert_true (g_str_has_prefix (shallow->message, "[[[["));
}

static guint tokens_changed;

static void
on_tokens_changed (RcSession *session, gpointer user_data)
{
  tokens_changed++;
}

/* The session registers the client's tokens: a send refused with a message quoting the bearer
 * token (or the refresh token) shows neither, in the error nor in the debug log (the fixture's
 * teardown checks the log). */
static void
test_session_hides_tokens (RcTestFake *f, gconstpointer data)
{
  g_autoptr (RcClient) client = rc_test_fake_client (f, NULL);
  g_autoptr (RcSession) session = rc_session_new (client);
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonNode) node = NULL;
  const RcTokens *tokens;
  g_autofree char *body = NULL;

  tokens_changed = 0;
  g_signal_connect (session, "tokens-changed", G_CALLBACK (on_tokens_changed), NULL);
  g_assert_true (rc_test_fake_sign_in (client, NULL));
  g_assert_cmpuint (tokens_changed, ==, 1);
  tokens = rc_client_get_tokens (client);
  g_assert_nonnull (tokens->access_token);
  body = g_strdup_printf ("{\"errors\":[{\"errorCode\":\"MSG-999\",\"message\":\"Token %s (refresh "
                          "%s) may not send\"}]}",
                          tokens->access_token, tokens->refresh_token);
  rc_test_fake_can (f, 403, body, NULL);
  node = rc_test_fake_request (client, "POST", "/restapi/v1.0/account/~/extension/~/sms", NULL,
                               &error);
  g_assert_null (node);
  g_assert_error (error, RC_ERROR, RC_ERROR_NOT_PERMITTED);
  g_assert_null (strstr (error->message, tokens->access_token));
  g_assert_null (strstr (error->message, tokens->refresh_token));
  g_assert_nonnull (strstr (error->message, "Token [hidden] (refresh [hidden])"));
  g_debug ("send refused: %s", error->message); /* what the plugin would log */

  /* The session's secrets are released with it. */
  {
    g_autofree char *access = g_strdup (tokens->access_token);
    g_autofree char *shown = NULL;

    g_clear_object (&session);
    shown = rc_error_redact (access, -1);
    g_assert_cmpstr (shown, ==, access);
  }
}

/* rc_session_add_secret(): the JWT quoted by the token endpoint is hidden from the connection
 * error and the log. */
static void
test_session_hides_jwt (RcTestFake *f, gconstpointer data)
{
  g_autoptr (RcClient) client = rc_test_fake_client (f, NULL);
  g_autoptr (RcSession) session = rc_session_new (client);
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonNode) node = NULL;

  rc_session_add_secret (session, RC_TEST_JWT);
  rc_session_add_secret (session, RC_TEST_CLIENT_SECRET);
  g_assert_true (rc_test_fake_sign_in (client, NULL));
  rc_test_fake_can (f, 400,
                    "{\"message\":\"assertion " RC_TEST_JWT " and secret " RC_TEST_CLIENT_SECRET
                    " rejected\"}",
                    NULL);
  node = rc_test_fake_request (client, "GET", "/restapi/v1.0/account/~", NULL, &error);
  g_assert_null (node);
  g_assert_null (strstr (error->message, "JWT-SECRET"));
  g_assert_null (strstr (error->message, RC_TEST_CLIENT_SECRET));
  g_debug ("refused: %s", error->message);
}

int
main (int argc, char **argv)
{
  rc_test_fake_init (&argc, &argv);
  g_test_add_func ("/secrets/registered-hidden", test_registered_hidden);
  g_test_add_func ("/secrets/code-holding-secret", test_code_holding_secret);
  g_test_add_func ("/secrets/opaque-runs-hidden", test_opaque_runs_hidden);
  g_test_add_func ("/secrets/secret-across-the-cut", test_secret_across_the_cut);
  g_test_add_func ("/secrets/long-text-bounded", test_long_text_bounded);
  g_test_add_func ("/secrets/deep-body", test_deep_body);
  g_test_add ("/secrets/session-hides-tokens", RcTestFake, NULL, rc_test_fake_setup,
              test_session_hides_tokens, rc_test_fake_teardown);
  g_test_add ("/secrets/session-hides-jwt", RcTestFake, NULL, rc_test_fake_setup,
              test_session_hides_jwt, rc_test_fake_teardown);
  return g_test_run ();
}
