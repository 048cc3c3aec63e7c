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

/* Every code of rc-error.c's table, once without parameterName (the sentence of today) and once
 * with it (the parameter in words). The body also carries a server message that must not show. */
static const struct {
  const char *code;
  guint status;
  const char *param; /* errors[0].parameterName */
  const char *value; /* errors[0].parameterValue, or NULL */
  const char *without;
  const char *with;
} mapped[] = {
  { "MSG-240", 403, "to.phoneNumber", "+442071234567",
    "This number cannot text that recipient: international texting is not allowed. (MSG-240)",
    "This number cannot text the recipient's number \"+442071234567\": international texting is "
    "not allowed. (MSG-240)" },
  { "MSG-241", 403, "from.phoneNumber", "+16505550199",
    "Texts cannot be sent from a fax number. (MSG-241)",
    "Texts cannot be sent from the send-from number \"+16505550199\": it is a fax number. "
    "(MSG-241)" },
  { "MSG-242", 403, "from", NULL,
    "Texting is not available from this number for your extension. (MSG-242)",
    "Texting is not available from the send-from number for your extension. (MSG-242)" },
  { "MSG-243", 400, "to[].phoneNumber", "+14155550100", "The phone number is blocked. (MSG-243)",
    "RingCentral reports the recipient's number \"+14155550100\" as blocked. (MSG-243)" },
  { "MSG-245", 400, "from.phoneNumber", NULL,
    "RingCentral cannot find that phone number among yours. (MSG-245)",
    "RingCentral cannot find the send-from number among your numbers. (MSG-245)" },
  { "MSG-290", 503, "to.phoneNumber", "+14155550100",
    "RingCentral could not send the text right now; try again later. (MSG-290)",
    "RingCentral could not send the text right now; try again later. It concerns the "
    "recipient's number \"+14155550100\". (MSG-290)" },
  { "MSG-304", 403, "from.phoneNumber", "+16505550101",
    "This phone number does not belong to your extension, so you cannot text from it. (MSG-304)",
    "RingCentral says the send-from number \"+16505550101\" does not belong to your extension, so "
    "you cannot text from it. (MSG-304)" },
  { "MSG-305", 429, "to", NULL,
    "Too many texts in a short time; RingCentral asks to wait before sending more. (MSG-305)",
    "Too many texts in a short time; RingCentral asks to wait before sending more. It concerns "
    "the recipient's number. (MSG-305)" },
  { "MSG-310", 400, "to[0].phoneNumber", NULL,
    "This phone number is not assigned to anyone. (MSG-310)",
    "RingCentral says the recipient's number is not assigned to anyone. (MSG-310)" },
  { "MSG-314", 403, "extensionId", "~",
    "Your extension type is not allowed to send texts. (MSG-314)",
    "Your extension type is not allowed to send texts. It concerns the extension \"~\". "
    "(MSG-314)" },
  { "MSG-331", 400, "from", NULL, "The sender does not match the signed-in extension. (MSG-331)",
    "The sender does not match the signed-in extension. It concerns the send-from number. "
    "(MSG-331)" },
  { "MSG-333", 400, "syncToken", "SECRETSYNC",
    "RingCentral asks for a full message sync. (MSG-333)",
    "RingCentral asks for a full message sync. It concerns the sync token. (MSG-333)" },
  { "MSG-337", 400, "attachments[1]", "a.jpg", "The attachment is too large. (MSG-337)",
    "RingCentral refused the attachment: it is too large. (MSG-337)" },
  { "MSG-338", 400, "text", "hello there", "The message is too large. (MSG-338)",
    "RingCentral refused the text: it is too large. (MSG-338)" },
  { "MSG-348", 415, "attachment", NULL, "This type of attachment is not supported. (MSG-348)",
    "RingCentral does not support the type of the attachment. (MSG-348)" },
  { "CMN-101", 400, "text", "hi",
    "RingCentral refused a value in the request; check the phone "
    "number. (CMN-101)",
    "RingCentral refused the text as invalid. (CMN-101)" },
  { "CMN-102", 404, "messageId", "320270670010",
    "RingCentral could not find what was asked for. (CMN-102)",
    "RingCentral could not find the message \"320270670010\". (CMN-102)" },
  { "CMN-109", 403, "to", NULL,
    "This feature is not available on your RingCentral account. (CMN-109)",
    "This feature is not available on your RingCentral account. It concerns the recipient's "
    "number. (CMN-109)" },
  { "CMN-201", 500, "dateFrom", "2026-01-01T00:00:00Z",
    "RingCentral had an internal problem; try again later. (CMN-201)",
    "RingCentral had an internal problem; try again later. It concerns the start date "
    "\"2026-01-01T00:00:00Z\". (CMN-201)" },
  { "CMN-301", 429, "perPage", "1000",
    "Too many requests to RingCentral; wait a minute and try again. (CMN-301)",
    "Too many requests to RingCentral; wait a minute and try again. It concerns the page size "
    "\"1000\". (CMN-301)" },
  { "CMN-302", 429, "fooBar", "7",
    "Too many requests to RingCentral; wait a minute and try again. (CMN-302)",
    "Too many requests to RingCentral; wait a minute and try again. It concerns the value \"7\" "
    "of \"fooBar\". (CMN-302)" },
  { "CMN-401", 403, "scope", NULL,
    "The RingCentral app lacks a permission it needs (for example SMS); ask the app's developer "
    "or your admin. (CMN-401)",
    "The RingCentral app lacks a permission it needs (for example SMS); ask the app's developer "
    "or your admin. It concerns \"scope\". (CMN-401)" },
  { "CMN-408", 403, "permission", NULL,
    "Your RingCentral user lacks a permission (for example OutboundSMS); ask your admin. "
    "(CMN-408)",
    "Your RingCentral user lacks a permission (for example OutboundSMS); ask your admin. It "
    "concerns \"permission\". (CMN-408)" },
  { "OAU-109", 403, "redirect_uri", NULL,
    "The redirect URI does not match the one registered for the app. (OAU-109)",
    "The redirect URI does not match the one registered for the app. It concerns "
    "\"redirect_uri\". (OAU-109)" },
  { "OAU-113", 403, "redirect_uri", NULL, "The app has no redirect URI registered. (OAU-113)",
    "The app has no redirect URI registered. It concerns \"redirect_uri\". (OAU-113)" },
  { "OAU-123", 401, "Authorization", "Basic SECRETBASIC",
    "The client ID or client secret is missing or invalid. (OAU-123)",
    "The client ID or client secret is missing or invalid. It concerns \"Authorization\". "
    "(OAU-123)" },
  { "OAU-128", 401, "access_token", "SECRETACCESS", "The access token has expired. (OAU-128)",
    "The access token has expired. It concerns \"access_token\". (OAU-128)" },
  { "OAU-129", 401, "token", "SECRETTOKEN", "The access token is not valid. (OAU-129)",
    "The access token is not valid. It concerns \"token\". (OAU-129)" },
  { "OAU-140", 401, "password", "SECRETPASS", "The credentials are not valid. (OAU-140)",
    "The credentials are not valid. It concerns \"password\". (OAU-140)" },
  { "OAU-146", 401, "client_secret", "SECRETCS",
    "The client ID or client secret is wrong. "
    "(OAU-146)",
    "The client ID or client secret is wrong. It concerns \"client_secret\". "
    "(OAU-146)" },
  { "OAU-149", 401, "assertion", "SECRETJWT",
    "The JWT credential or token cannot be read; check that it was copied whole. (OAU-149)",
    "The JWT credential or token cannot be read; check that it was copied whole. It concerns "
    "\"assertion\". (OAU-149)" },
  { "OAU-213", 401, "refresh_token", "SECRETREFRESH",
    "The session token is no longer valid; sign in again. (OAU-213)",
    "The session token is no longer valid; sign in again. It concerns \"refresh_token\". "
    "(OAU-213)" },
  { "SMS-CAR-413", 400, "to.phoneNumber", "+14155550100",
    "The recipient has opted out of texts from this number (they replied STOP). (SMS-CAR-413)",
    "The recipient has opted out of texts from this number (they replied STOP). It concerns the "
    "recipient's number \"+14155550100\". (SMS-CAR-413)" },
  { "SMS-RC-413", 400, "to", NULL,
    "The recipient has opted out of texts from this number (they replied STOP). (SMS-RC-413)",
    "The recipient has opted out of texts from this number (they replied STOP). It concerns the "
    "recipient's number. (SMS-RC-413)" },
  { "SMS-UP-413", 400, "to", NULL,
    "The recipient has opted out of texts from this number (they replied STOP). (SMS-UP-413)",
    "The recipient has opted out of texts from this number (they replied STOP). It concerns the "
    "recipient's number. (SMS-UP-413)" },
  { "SMS-CAR-450", 400, "from", NULL,
    "The carrier's daily limit for this number's texting campaign was reached. (SMS-CAR-450)",
    "The carrier's daily limit for this number's texting campaign was reached. It concerns the "
    "send-from number. (SMS-CAR-450)" },
  { "SMS-CAR-451", 400, "from", NULL,
    "The carrier's daily limit for this number's texting campaign was reached. (SMS-CAR-451)",
    "The carrier's daily limit for this number's texting campaign was reached. It concerns the "
    "send-from number. (SMS-CAR-451)" },
  { "SMS-CAR-452", 400, "from", NULL,
    "The carrier's daily limit for this number's texting campaign was reached. (SMS-CAR-452)",
    "The carrier's daily limit for this number's texting campaign was reached. It concerns the "
    "send-from number. (SMS-CAR-452)" },
  { "SMS-CAR-461", 400, "from.phoneNumber", "+18005550100",
    "This toll-free number is not verified for texting yet. (SMS-CAR-461)",
    "This toll-free number is not verified for texting yet. It concerns the send-from number "
    "\"+18005550100\". (SMS-CAR-461)" },
  { "SMS-UP-414", 400, "from", NULL,
    "This number is not set up for texting (campaign registration is missing). (SMS-UP-414)",
    "This number is not set up for texting (campaign registration is missing). It concerns the "
    "send-from number. (SMS-UP-414)" },
  { "SMS-CAR-414", 400, "from", NULL,
    "This number is not set up for texting (campaign registration is missing). (SMS-CAR-414)",
    "This number is not set up for texting (campaign registration is missing). It concerns the "
    "send-from number. (SMS-CAR-414)" },
  { "SMS-RC-410", 400, "to", NULL,
    "The recipient's number cannot receive texts (invalid or a landline). (SMS-RC-410)",
    "The recipient's number cannot receive texts (invalid or a landline). It concerns the "
    "recipient's number. (SMS-RC-410)" },
  { "SMS-UP-410", 400, "to", NULL,
    "The recipient's number cannot receive texts (invalid or a landline). (SMS-UP-410)",
    "The recipient's number cannot receive texts (invalid or a landline). It concerns the "
    "recipient's number. (SMS-UP-410)" },
  { "SMS-CAR-411", 400, "to", NULL,
    "The recipient's number cannot receive texts (invalid or a landline). (SMS-CAR-411)",
    "The recipient's number cannot receive texts (invalid or a landline). It concerns the "
    "recipient's number. (SMS-CAR-411)" },
  { "SMS-CAR-430", 400, "text", "buy now", "The carrier filtered the text as spam. (SMS-CAR-430)",
    "The carrier filtered the text as spam. It concerns the text. (SMS-CAR-430)" },
  { "SMS-RC-430", 400, "text", NULL, "The carrier filtered the text as spam. (SMS-RC-430)",
    "The carrier filtered the text as spam. It concerns the text. (SMS-RC-430)" },
};

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
  /* Each of them is also checked with and without parameterName. */
  g_assert_cmpuint (G_N_ELEMENTS (known), ==, G_N_ELEMENTS (mapped));
  for (gsize i = 0; i < G_N_ELEMENTS (known); i++) {
    gboolean found = FALSE;

    for (gsize j = 0; j < G_N_ELEMENTS (mapped); j++)
      found = found || g_strcmp0 (known[i], mapped[j].code) == 0;
    g_assert_true (found);
  }
  g_assert_nonnull (strstr (rc_error_describe_api_code ("SMS-CAR-413"), "opted out"));
  g_assert_null (rc_error_describe_api_code ("NOPE-1"));
  g_assert_null (rc_error_describe_api_code (NULL));
}

/* An errors[] body for @code naming @param (NULL: no parameterName) with @value (NULL: none). */
static char *
param_body (const char *code, const char *param, const char *value)
{
  g_autoptr (GString) entry = g_string_new (NULL);

  g_string_printf (entry, "{\"errorCode\":\"%s\",\"message\":\"server words\"", code);
  if (param != NULL)
    g_string_append_printf (entry, ",\"parameterName\":\"%s\"", param);
  if (value != NULL)
    g_string_append_printf (entry, ",\"parameterValue\":\"%s\"", value);
  g_string_append_c (entry, '}');
  return g_strdup_printf ("{\"errorCode\":\"%s\",\"message\":\"server words\",\"errors\":[%s]}",
                          code, entry->str);
}

static void
test_mapped_with_and_without_param (void)
{
  for (gsize i = 0; i < G_N_ELEMENTS (mapped); i++) {
    g_autofree char *plain = param_body (mapped[i].code, NULL, NULL);
    g_autofree char *named = param_body (mapped[i].code, mapped[i].param, mapped[i].value);
    g_autoptr (GError) e = from_json (mapped[i].status, plain, FALSE);
    g_autoptr (GError) e_named = from_json (mapped[i].status, named, FALSE);
    g_autofree char *api = rc_error_get_api_code (e);
    g_autofree char *api_named = rc_error_get_api_code (e_named);

    g_test_message ("%s on %s", mapped[i].code, mapped[i].param);
    g_assert_nonnull (rc_error_describe_api_code (mapped[i].code));
    g_assert_cmpstr (e->message, ==, mapped[i].without);
    g_assert_cmpstr (e_named->message, ==, mapped[i].with);
    g_assert_cmpstr (api, ==, mapped[i].code);
    g_assert_cmpstr (api_named, ==, mapped[i].code);
    g_assert_true (e->code == e_named->code);
    g_assert_null (strstr (e_named->message, "server words"));
    g_assert_null (strstr (e_named->message, "SECRET"));
  }
}

static void
test_param_words (void)
{
  static const struct {
    const char *name;
    const char *message;
  } cases[] = {
    { "from.phoneNumber", "RingCentral refused the send-from number as invalid. (CMN-101)" },
    { "from", "RingCentral refused the send-from number as invalid. (CMN-101)" },
    { "to.phoneNumber", "RingCentral refused the recipient's number as invalid. (CMN-101)" },
    { "to[].phoneNumber", "RingCentral refused the recipient's number as invalid. (CMN-101)" },
    { "to[2].phoneNumber", "RingCentral refused the recipient's number as invalid. (CMN-101)" },
    { "TO", "RingCentral refused the recipient's number as invalid. (CMN-101)" },
    { "text", "RingCentral refused the text as invalid. (CMN-101)" },
    { "attachment", "RingCentral refused the attachment as invalid. (CMN-101)" },
    { "attachments[0]", "RingCentral refused the attachment as invalid. (CMN-101)" },
    { "messageId", "RingCentral refused the message as invalid. (CMN-101)" },
    { "syncToken", "RingCentral refused the sync token as invalid. (CMN-101)" },
    { "dateFrom", "RingCentral refused the start date as invalid. (CMN-101)" },
    { "dateTo", "RingCentral refused the end date as invalid. (CMN-101)" },
    { "fooBar", "RingCentral refused \"fooBar\" as invalid. (CMN-101)" },
    { "", "RingCentral refused a value in the request; check the phone number. (CMN-101)" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++) {
    g_autofree char *body = param_body ("CMN-101", cases[i].name, NULL);
    g_autoptr (GError) e = from_json (400, body, FALSE);

    g_assert_error (e, RC_ERROR, RC_ERROR_INVALID_INPUT);
    g_assert_cmpstr (e->message, ==, cases[i].message);
  }
}

static void
test_param_secret_values (void)
{
  static const char *names[] = { "refresh_token", "access_token", "syncToken",     "assertion",
                                 "client_secret", "password",     "Authorization", "code",
                                 "code_verifier", "my_jwt",       "credentials" };

  for (gsize i = 0; i < G_N_ELEMENTS (names); i++) {
    g_autofree char *body = param_body ("CMN-101", names[i], "S3CR3T-VALUE");
    g_autofree char *unknown = param_body ("XYZ-1", names[i], "S3CR3T-VALUE");
    g_autoptr (GError) e = from_json (400, body, FALSE);
    g_autoptr (GError) e2 = from_json (400, unknown, FALSE);

    g_test_message ("%s", names[i]);
    g_assert_null (strstr (e->message, "S3CR3T"));
    g_assert_null (strstr (e2->message, "S3CR3T"));
  }
}

static void
test_param_other_shapes (void)
{
  /* A code we do not know: the server's sentence, then the parameter. */
  g_autoptr (GError) unknown
      = from_json (400,
                   "{\"errors\":[{\"errorCode\":\"CMN-104\",\"message\":\"Parameter [perPage] "
                   "value is invalid\","
                   "\"parameterName\":\"perPage\",\"parameterValue\":\"5000\"}]}",
                   FALSE);
  /* OAuth: error_description stays the reason. */
  g_autoptr (GError) oauth
      = from_json (400,
                   "{\"error\":\"invalid_request\",\"error_description\":\"Duplicated parameter.\","
                   "\"errors\":[{\"errorCode\":\"OAU-111\",\"parameterName\":\"grant_type\"}]}",
                   TRUE);
  /* An integer value; a parameterName that is not a string is ignored. */
  g_autoptr (GError) number
      = from_json (404,
                   "{\"errors\":[{\"errorCode\":\"CMN-102\",\"parameterName\":\"messageId\","
                   "\"parameterValue\":42}]}",
                   FALSE);
  g_autoptr (GError) not_string
      = from_json (404, "{\"errors\":[{\"errorCode\":\"CMN-102\",\"parameterName\":7}]}", FALSE);
  g_autoptr (GError) no_code = from_json (
      400, "{\"errors\":[{\"message\":\"Bad\",\"parameterName\":\"unknownThing\"}]}", FALSE);

  g_assert_cmpstr (unknown->message, ==,
                   "Parameter [perPage] value is invalid. It concerns the page size \"5000\". "
                   "(CMN-104)");
  g_assert_error (oauth, RC_ERROR, RC_ERROR_AUTH_FAILED);
  g_assert_cmpstr (oauth->message, ==,
                   "Duplicated parameter. It concerns \"grant_type\". (OAU-111)");
  g_assert_cmpstr (number->message, ==, "RingCentral could not find the message \"42\". (CMN-102)");
  g_assert_cmpstr (not_string->message, ==,
                   "RingCentral could not find what was asked for. (CMN-102)");
  g_assert_cmpstr (no_code->message, ==, "Bad. It concerns \"unknownThing\".");
}

/* No control character, valid UTF-8, at most @max characters before the " (CODE)" suffix. */
static void
assert_clean (const char *message, glong max)
{
  const char *open = strrchr (message, '(');
  glong chars = g_utf8_strlen (message, open != NULL && open > message ? open - message - 1 : -1);

  g_assert_true (g_utf8_validate (message, -1, NULL));
  for (const char *p = message; *p != '\0'; p = g_utf8_next_char (p))
    g_assert_false (g_unichar_iscntrl (g_utf8_get_char (p)));
  g_assert_cmpint (chars, <=, max);
}

static void
test_server_text_sanitised (void)
{
  g_autoptr (GString) long_text = g_string_new (NULL);
  g_autoptr (GString) long_name = g_string_new (NULL);
  g_autofree char *long_body = NULL;
  g_autofree char *long_param = NULL;
  g_autofree char *long_value = NULL;
  g_autofree char *long_code = NULL;
  g_autoptr (GError) e_long = NULL;
  g_autoptr (GError) e_param = NULL;
  g_autoptr (GError) e_value = NULL;
  g_autoptr (GError) e_code = NULL;
  g_autofree char *api_code = NULL;
  /* Control characters (U+0001, newline, CR, BEL) and a bidi override (U+202E) become spaces. */
  g_autoptr (GError) e_ctrl = from_json (
      400, "{\"errors\":[{\"errorCode\":\"XYZ-2\",\"message\":\"bad\\u0001thing\\nhere\\u202e\"}]}",
      FALSE);
  g_autoptr (GError) e_oauth = from_json (
      400, "{\"error\":\"invalid_grant\",\"error_description\":\"line1\\r\\nline2\\u0007\"}", TRUE);
  g_autoptr (GError) e_bad_code = from_json (
      400, "{\"errors\":[{\"errorCode\":\"MSG 242\\n\",\"message\":\"Refused\"}]}", FALSE);

  g_assert_cmpstr (e_ctrl->message, ==, "bad thing here (XYZ-2)");
  g_assert_cmpstr (e_oauth->message, ==, "line1  line2 (invalid_grant)");
  g_assert_cmpstr (e_bad_code->message, ==, "Refused");
  api_code = rc_error_get_api_code (e_bad_code);
  g_assert_null (api_code);

  for (int i = 0; i < 1000; i++)
    g_string_append (long_text, "é");
  long_body = g_strdup_printf ("{\"errors\":[{\"errorCode\":\"XYZ-3\",\"message\":\"%s\"}]}",
                               long_text->str);
  e_long = from_json (400, long_body, FALSE);
  assert_clean (e_long->message, 300);
  g_assert_true (g_str_has_suffix (e_long->message, "é… (XYZ-3)"));
  g_assert_cmpint (g_utf8_strlen (e_long->message, -1), ==, 300 + strlen (" (XYZ-3)"));

  for (int i = 0; i < 200; i++)
    g_string_append_c (long_name, 'p');
  long_param = param_body ("CMN-101", long_name->str, NULL);
  e_param = from_json (400, long_param, FALSE);
  assert_clean (e_param->message, 120);
  g_assert_nonnull (strstr (e_param->message, "p…\" as invalid. (CMN-101)"));

  long_value = param_body ("CMN-101", "to.phoneNumber", long_name->str);
  e_value = from_json (400, long_value, FALSE);
  assert_clean (e_value->message, 120);
  g_assert_nonnull (strstr (e_value->message, "recipient's number \"ppp"));
  g_assert_nonnull (strstr (e_value->message, "p…\" as invalid"));

  long_code = param_body (long_name->str, NULL, NULL);
  e_code = from_json (400, long_code, FALSE);
  g_assert_cmpstr (e_code->message, ==, "server words");
}

static void
test_server_text_invalid_utf8 (void)
{
  /* json-glib turns a lone surrogate escape into bytes that are not UTF-8 (and eats the next
   * character); rc_json_parse() makes it U+FFFD first, and the "_" stays. */
  g_autoptr (GError) e = from_json (
      400, "{\"errors\":[{\"errorCode\":\"XYZ-4\",\"message\":\"a\\ud800_b\"}]}", FALSE);
  g_autoptr (GError) e_name = from_json (
      400, "{\"errors\":[{\"errorCode\":\"CMN-101\",\"parameterName\":\"x\\udc00_y\"}]}", FALSE);
  /* Raw bytes that are not UTF-8 become U+FFFD (rc_json_parse()): the rest is read. */
  static const char raw[] = "{\"errors\":[{\"errorCode\":\"XYZ-5\",\"message\":\"a\xff\xfe b\"}]}";
  g_autoptr (GBytes) bytes = g_bytes_new (raw, sizeof raw - 1);
  g_autoptr (GError) e_raw = rc_error_from_http (400, bytes, FALSE);

  assert_clean (e->message, 300);
  g_assert_cmpstr (e->message, ==, "a\xef\xbf\xbd_b (XYZ-4)");
  g_assert_true (g_str_has_suffix (e->message, "b (XYZ-4)"));
  assert_clean (e_name->message, 300);
  g_assert_true (g_str_has_prefix (e_name->message, "RingCentral refused \"x\xef\xbf\xbd"));
  g_assert_true (g_str_has_suffix (e_name->message, "y\" as invalid. (CMN-101)"));
  g_assert_cmpstr (e_raw->message, ==, "a\xef\xbf\xbd\xef\xbf\xbd b (XYZ-5)");
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
  /* Absurd lifetimes are clamped to [RC_AUTH_MIN_LIFETIME_S, RC_AUTH_MAX_LIFETIME_S]. */
  static const struct {
    const char *json;
    gint64 expires_at;
  } clamped[] = {
    { "{\"access_token\":\"A\",\"expires_in\":-5}", 1000 + RC_AUTH_MIN_LIFETIME_S },
    { "{\"access_token\":\"A\",\"expires_in\":30}", 1000 + RC_AUTH_MIN_LIFETIME_S },
    { "{\"access_token\":\"A\",\"expires_in\":1e300}", 1000 + RC_AUTH_MAX_LIFETIME_S },
    { "{\"access_token\":\"A\",\"expires_in\":9223372036854775807}",
      1000 + RC_AUTH_MAX_LIFETIME_S },
  };
  static const char *bad[]
      = { "",
          "nope",
          "[]",
          "{\"expires_in\":3600}",
          "{\"access_token\":\"A\"}",
          "{\"access_token\":\"A\r\nX-Evil: 1\",\"expires_in\":3600}",
          "{\"access_token\":\"A B\",\"expires_in\":3600}",
          "{\"access_token\":\"A\",\"refresh_token\":\"R\\n\",\"expires_in\":3600}",
          "{\"access_token\":\"A\",\"expires_in\":\"x\"}",
          "{\"access_token\":5,\"expires_in\":3600}",
          "{\"access_token\":\"\",\"expires_in\":3600}" };

  g_assert_no_error (error);
  g_assert_cmpstr (t->access_token, ==, "A");
  g_assert_cmpint (t->access_expires_at, ==, 4600);
  g_assert_cmpstr (t->refresh_token, ==, "R");
  g_assert_cmpint (t->refresh_expires_at, ==, 605800);
  g_assert_cmpstr (t->owner_id, ==, "256440016");
  g_assert_cmpint (t2->access_expires_at, ==, 1000 + RC_AUTH_MIN_LIFETIME_S);
  g_assert_null (t2->refresh_token);
  g_assert_cmpstr (t2->owner_id, ==, "42");
  for (gsize i = 0; i < G_N_ELEMENTS (clamped); i++) {
    g_autoptr (RcTokens) c = parse_tokens (clamped[i].json, &error);

    g_assert_no_error (error);
    g_assert_cmpint (c->access_expires_at, ==, clamped[i].expires_at);
  }

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
  g_test_add_func ("/error/mapped-with-and-without-param", test_mapped_with_and_without_param);
  g_test_add_func ("/error/param-words", test_param_words);
  g_test_add_func ("/error/param-secret-values", test_param_secret_values);
  g_test_add_func ("/error/param-other-shapes", test_param_other_shapes);
  g_test_add_func ("/error/server-text-sanitised", test_server_text_sanitised);
  g_test_add_func ("/error/server-text-invalid-utf8", test_server_text_invalid_utf8);
  g_test_add_func ("/auth/forms", test_auth_forms);
  g_test_add_func ("/auth/parse-token-info", test_auth_parse);
  g_test_add_func ("/auth/tokens-validity", test_tokens_validity);
  g_test_add_func ("/http/redact", test_redact);
  g_test_add_func ("/http/server-url", test_server_url);
  return g_test_run ();
}
