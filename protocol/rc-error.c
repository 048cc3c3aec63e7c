/* rc-error.c: the RC_ERROR domain and the mapping of HTTP/RingCentral errors onto it. */
#include "rc-error.h"

#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>
#include <string.h>

G_DEFINE_QUARK (rc - error - quark, rc_error)

typedef struct {
  const char *code;
  const char *text;
} RcApiCodeText;

/* Sentences for the codes this plugin meets (ringcentral-api.md §1, §3, §6, §7, §9). */
static const RcApiCodeText api_code_texts[] = {
  { "MSG-240",
    N_ ("This number cannot text that recipient: international texting is not allowed.") },
  { "MSG-241", N_ ("Texts cannot be sent from a fax number.") },
  { "MSG-242", N_ ("Texting is not available from this number for your extension.") },
  { "MSG-243", N_ ("The phone number is blocked.") },
  { "MSG-245", N_ ("RingCentral cannot find that phone number among yours.") },
  { "MSG-290", N_ ("RingCentral could not send the text right now; try again later.") },
  { "MSG-304",
    N_ ("This phone number does not belong to your extension, so you cannot text from it.") },
  { "MSG-305",
    N_ ("Too many texts in a short time; RingCentral asks to wait before sending more.") },
  { "MSG-310", N_ ("This phone number is not assigned to anyone.") },
  { "MSG-314", N_ ("Your extension type is not allowed to send texts.") },
  { "MSG-331", N_ ("The sender does not match the signed-in extension.") },
  { "MSG-333", N_ ("RingCentral asks for a full message sync.") },
  { "MSG-337", N_ ("The attachment is too large.") },
  { "MSG-338", N_ ("The message is too large.") },
  { "MSG-348", N_ ("This type of attachment is not supported.") },
  { "CMN-101", N_ ("RingCentral refused a value in the request; check the phone number.") },
  { "CMN-102", N_ ("RingCentral could not find what was asked for.") },
  { "CMN-109", N_ ("This feature is not available on your RingCentral account.") },
  { "CMN-201", N_ ("RingCentral had an internal problem; try again later.") },
  { "CMN-301", N_ ("Too many requests to RingCentral; wait a minute and try again.") },
  { "CMN-302", N_ ("Too many requests to RingCentral; wait a minute and try again.") },
  { "CMN-401",
    N_ ("The RingCentral app lacks a permission it needs (for example SMS); ask the app's "
        "developer or your admin.") },
  { "CMN-408", N_ ("Your RingCentral user lacks a permission (for example OutboundSMS); ask your "
                   "admin.") },
  { "OAU-109", N_ ("The redirect URI does not match the one registered for the app.") },
  { "OAU-113", N_ ("The app has no redirect URI registered.") },
  { "OAU-123", N_ ("The client ID or client secret is missing or invalid.") },
  { "OAU-128", N_ ("The access token has expired.") },
  { "OAU-129", N_ ("The access token is not valid.") },
  { "OAU-140", N_ ("The credentials are not valid.") },
  { "OAU-146", N_ ("The client ID or client secret is wrong.") },
  { "OAU-149", N_ ("The JWT credential or token cannot be read; check that it was copied whole.") },
  { "OAU-213", N_ ("The session token is no longer valid; sign in again.") },
  { "SMS-CAR-413",
    N_ ("The recipient has opted out of texts from this number (they replied STOP).") },
  { "SMS-RC-413",
    N_ ("The recipient has opted out of texts from this number (they replied STOP).") },
  { "SMS-UP-413",
    N_ ("The recipient has opted out of texts from this number (they replied STOP).") },
  { "SMS-CAR-450",
    N_ ("The carrier's daily limit for this number's texting campaign was reached.") },
  { "SMS-CAR-451",
    N_ ("The carrier's daily limit for this number's texting campaign was reached.") },
  { "SMS-CAR-452",
    N_ ("The carrier's daily limit for this number's texting campaign was reached.") },
  { "SMS-CAR-461", N_ ("This toll-free number is not verified for texting yet.") },
  { "SMS-UP-414",
    N_ ("This number is not set up for texting (campaign registration is missing).") },
  { "SMS-CAR-414",
    N_ ("This number is not set up for texting (campaign registration is missing).") },
  { "SMS-RC-410", N_ ("The recipient's number cannot receive texts (invalid or a landline).") },
  { "SMS-UP-410", N_ ("The recipient's number cannot receive texts (invalid or a landline).") },
  { "SMS-CAR-411", N_ ("The recipient's number cannot receive texts (invalid or a landline).") },
  { "SMS-CAR-430", N_ ("The carrier filtered the text as spam.") },
  { "SMS-RC-430", N_ ("The carrier filtered the text as spam.") },
};

const char *
rc_error_describe_api_code (const char *api_code)
{
  if (api_code == NULL)
    return NULL;
  for (gsize i = 0; i < G_N_ELEMENTS (api_code_texts); i++)
    if (g_ascii_strcasecmp (api_code_texts[i].code, api_code) == 0)
      return _ (api_code_texts[i].text);
  return NULL;
}

/* A string member of @obj, or NULL when absent or not a non-empty string. */
static const char *
get_string (JsonObject *obj, const char *name)
{
  JsonNode *node;
  const char *s;

  if (obj == NULL || !json_object_has_member (obj, name))
    return NULL;
  node = json_object_get_member (obj, name);
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  s = json_node_get_string (node);
  return (s != NULL && *s != '\0') ? s : NULL;
}

/* errors[0] as an object, or NULL. */
static JsonObject *
get_first_error (JsonObject *obj)
{
  JsonNode *node;
  JsonArray *arr;
  JsonNode *first;

  if (obj == NULL || !json_object_has_member (obj, "errors"))
    return NULL;
  node = json_object_get_member (obj, "errors");
  if (!JSON_NODE_HOLDS_ARRAY (node))
    return NULL;
  arr = json_node_get_array (node);
  if (json_array_get_length (arr) == 0)
    return NULL;
  first = json_array_get_element (arr, 0);
  return JSON_NODE_HOLDS_OBJECT (first) ? json_node_get_object (first) : NULL;
}

static RcErrorCode
code_for_status (guint status, gboolean token_endpoint)
{
  switch (status) {
    case 400:
    case 401:
    case 403:
      /* At the token endpoint these all mean the credentials or the app are refused. */
      if (token_endpoint)
        return RC_ERROR_AUTH_FAILED;
      if (status == 400)
        return RC_ERROR_INVALID_INPUT;
      return status == 401 ? RC_ERROR_TOKEN_EXPIRED : RC_ERROR_NOT_PERMITTED;
    case 404:
      return RC_ERROR_NOT_FOUND;
    case 408:
      return RC_ERROR_NETWORK;
    case 415:
    case 422:
      return RC_ERROR_INVALID_INPUT;
    case 429:
      return RC_ERROR_RATE_LIMITED;
    default:
      break;
  }
  if (status >= 500 && status <= 599)
    return RC_ERROR_NETWORK;
  if (status >= 400 && status <= 499)
    return RC_ERROR_INVALID_INPUT;
  return RC_ERROR_BAD_RESPONSE;
}

static const char *
generic_text (RcErrorCode code, guint status)
{
  switch (code) {
    case RC_ERROR_AUTH_FAILED:
      return _ ("RingCentral refused the credentials.");
    case RC_ERROR_TOKEN_EXPIRED:
      return _ ("The RingCentral session token is no longer valid.");
    case RC_ERROR_RATE_LIMITED:
      return _ ("Too many requests to RingCentral; wait a minute and try again.");
    case RC_ERROR_NETWORK:
      return _ ("RingCentral is not answering properly right now; try again later.");
    case RC_ERROR_NOT_PERMITTED:
      return _ ("RingCentral does not allow this for your account or number.");
    case RC_ERROR_NOT_FOUND:
      return _ ("RingCentral could not find what was asked for.");
    case RC_ERROR_INVALID_INPUT:
      return _ ("RingCentral refused the request as invalid.");
    case RC_ERROR_SYNC_RESET:
      return _ ("RingCentral asks for a full message sync.");
    default:
      return _ ("RingCentral sent an unexpected answer.");
  }
}

GError *
rc_error_from_http (guint status, GBytes *body, gboolean token_endpoint)
{
  g_autoptr (JsonParser) parser = NULL;
  JsonObject *root = NULL;
  JsonObject *first = NULL;
  const char *api_code = NULL;
  const char *reason = NULL;
  const char *friendly;
  RcErrorCode code;
  g_autofree char *text = NULL;

  if (body != NULL && g_bytes_get_size (body) > 0) {
    gsize len;
    const char *data = g_bytes_get_data (body, &len);

    parser = json_parser_new ();
    if (json_parser_load_from_data (parser, data, (gssize)len, NULL)
        && json_parser_get_root (parser) != NULL
        && JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
      root = json_node_get_object (json_parser_get_root (parser));
  }

  first = get_first_error (root);
  api_code = get_string (first, "errorCode");
  if (api_code == NULL)
    api_code = get_string (root, "errorCode");
  if (api_code == NULL)
    api_code = get_string (root, "error");

  code = code_for_status (status, token_endpoint);
  if (api_code != NULL && g_ascii_strcasecmp (api_code, "MSG-333") == 0)
    code = RC_ERROR_SYNC_RESET;

  friendly = rc_error_describe_api_code (api_code);
  if (get_string (root, "error") != NULL) {
    /* OAuth error (RFC 6749): error_description is the server's own reason. */
    reason = get_string (root, "error_description");
    if (reason == NULL)
      reason = friendly;
    if (reason == NULL)
      reason = get_string (first, "message");
  } else {
    reason = friendly;
    if (reason == NULL)
      reason = get_string (first, "message");
    if (reason == NULL)
      reason = get_string (root, "message");
  }
  if (reason == NULL)
    reason = generic_text (code, status);

  if (api_code != NULL)
    text = g_strdup_printf ("%s (%s)", reason, api_code);
  else
    text = g_strdup (reason);
  return g_error_new_literal (RC_ERROR, code, text);
}

static gboolean
is_code_char (char c)
{
  return g_ascii_isalnum (c) || c == '-' || c == '_';
}

char *
rc_error_get_api_code (const GError *error)
{
  const char *msg;
  gsize len;
  const char *open;

  if (error == NULL || error->domain != RC_ERROR || error->message == NULL)
    return NULL;
  msg = error->message;
  len = strlen (msg);
  if (len < 4 || msg[len - 1] != ')')
    return NULL;
  open = strrchr (msg, '(');
  if (open == NULL || open == msg || open[-1] != ' ' || open + 1 >= msg + len - 1)
    return NULL;
  for (const char *p = open + 1; p < msg + len - 1; p++)
    if (!is_code_char (*p))
      return NULL;
  return g_strndup (open + 1, (gsize)(msg + len - 1 - (open + 1)));
}
