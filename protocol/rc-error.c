/* rc-error.c: the RC_ERROR domain and the mapping of HTTP/RingCentral errors onto it. */
#include "rc-error.h"

#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>
#include <string.h>

#include "rc-json.h"

G_DEFINE_QUARK (rc - error - quark, rc_error)

/* Longest server text (in characters) that reaches a message: a message or error_description, a
 * parameter's name, a parameter's value; longer text is cut and ends with "…". */
#define RC_ERROR_MAX_SERVER_TEXT 300
#define RC_ERROR_MAX_PARAM_NAME  64
#define RC_ERROR_MAX_PARAM_VALUE 40
#define RC_ERROR_MAX_API_CODE    40
/* Error bodies larger than this (or deeper than RC_JSON_MAX_DEPTH) are not parsed (the generic
 * sentence is used): an error body is a few hundred bytes, 3 levels deep (fact sheet §7). */
#define RC_ERROR_MAX_BODY (256 * 1024)

typedef struct {
  const char *code;
  const char *text;
  /* NULL, or the sentence when errors[0].parameterName is present: one %s, the parameter in words
   * (never at the start of the sentence). Without it the parameter is added as "It concerns %s." */
  const char *param_text;
} RcApiCodeText;

/* Sentences for the codes this plugin meets (ringcentral-api.md §1, §3, §6, §7, §9). */
static const RcApiCodeText api_code_texts[] = {
  { "MSG-240", N_ ("This number cannot text that recipient: international texting is not allowed."),
    N_ ("This number cannot text %s: international texting is not allowed.") },
  { "MSG-241", N_ ("Texts cannot be sent from a fax number."),
    N_ ("Texts cannot be sent from %s: it is a fax number.") },
  { "MSG-242", N_ ("Texting is not available from this number for your extension."),
    N_ ("Texting is not available from %s for your extension.") },
  { "MSG-243", N_ ("The phone number is blocked."), N_ ("RingCentral reports %s as blocked.") },
  { "MSG-245", N_ ("RingCentral cannot find that phone number among yours."),
    N_ ("RingCentral cannot find %s among your numbers.") },
  { "MSG-290", N_ ("RingCentral could not send the text right now; try again later."), NULL },
  { "MSG-304",
    N_ ("This phone number does not belong to your extension, so you cannot text from it."),
    N_ ("RingCentral says %s does not belong to your extension, so you cannot text from it.") },
  { "MSG-305", N_ ("Too many texts in a short time; RingCentral asks to wait before sending more."),
    NULL },
  { "MSG-310", N_ ("This phone number is not assigned to anyone."),
    N_ ("RingCentral says %s is not assigned to anyone.") },
  { "MSG-314", N_ ("Your extension type is not allowed to send texts."), NULL },
  { "MSG-331", N_ ("The sender does not match the signed-in extension."), NULL },
  { "MSG-333", N_ ("RingCentral asks for a full message sync."), NULL },
  { "MSG-337", N_ ("The attachment is too large."),
    N_ ("RingCentral refused %s: it is too large.") },
  { "MSG-338", N_ ("The message is too large."), N_ ("RingCentral refused %s: it is too large.") },
  { "MSG-348", N_ ("This type of attachment is not supported."),
    N_ ("RingCentral does not support the type of %s.") },
  { "CMN-101", N_ ("RingCentral refused a value in the request; check the phone number."),
    N_ ("RingCentral refused %s as invalid.") },
  { "CMN-102", N_ ("RingCentral could not find what was asked for."),
    N_ ("RingCentral could not find %s.") },
  { "CMN-109", N_ ("This feature is not available on your RingCentral account."), NULL },
  { "CMN-201", N_ ("RingCentral had an internal problem; try again later."), NULL },
  { "CMN-301", N_ ("Too many requests to RingCentral; wait a minute and try again."), NULL },
  { "CMN-302", N_ ("Too many requests to RingCentral; wait a minute and try again."), NULL },
  { "CMN-401",
    N_ ("The RingCentral app lacks a permission it needs (for example SMS); ask the app's "
        "developer or your admin."),
    NULL },
  { "CMN-408",
    N_ ("Your RingCentral user lacks a permission (for example OutboundSMS); ask your "
        "admin."),
    NULL },
  { "OAU-109", N_ ("The redirect URI does not match the one registered for the app."), NULL },
  { "OAU-113", N_ ("The app has no redirect URI registered."), NULL },
  { "OAU-123", N_ ("The client ID or client secret is missing or invalid."), NULL },
  { "OAU-128", N_ ("The access token has expired."), NULL },
  { "OAU-129", N_ ("The access token is not valid."), NULL },
  { "OAU-140", N_ ("The credentials are not valid."), NULL },
  { "OAU-146", N_ ("The client ID or client secret is wrong."), NULL },
  { "OAU-149", N_ ("The JWT credential or token cannot be read; check that it was copied whole."),
    NULL },
  { "OAU-213", N_ ("The session token is no longer valid; sign in again."), NULL },
  { "SMS-CAR-413",
    N_ ("The recipient has opted out of texts from this number (they replied STOP)."), NULL },
  { "SMS-RC-413", N_ ("The recipient has opted out of texts from this number (they replied STOP)."),
    NULL },
  { "SMS-UP-413", N_ ("The recipient has opted out of texts from this number (they replied STOP)."),
    NULL },
  { "SMS-CAR-450", N_ ("The carrier's daily limit for this number's texting campaign was reached."),
    NULL },
  { "SMS-CAR-451", N_ ("The carrier's daily limit for this number's texting campaign was reached."),
    NULL },
  { "SMS-CAR-452", N_ ("The carrier's daily limit for this number's texting campaign was reached."),
    NULL },
  { "SMS-CAR-461", N_ ("This toll-free number is not verified for texting yet."), NULL },
  { "SMS-UP-414", N_ ("This number is not set up for texting (campaign registration is missing)."),
    NULL },
  { "SMS-CAR-414", N_ ("This number is not set up for texting (campaign registration is missing)."),
    NULL },
  { "SMS-RC-410", N_ ("The recipient's number cannot receive texts (invalid or a landline)."),
    NULL },
  { "SMS-UP-410", N_ ("The recipient's number cannot receive texts (invalid or a landline)."),
    NULL },
  { "SMS-CAR-411", N_ ("The recipient's number cannot receive texts (invalid or a landline)."),
    NULL },
  { "SMS-CAR-430", N_ ("The carrier filtered the text as spam."), NULL },
  { "SMS-RC-430", N_ ("The carrier filtered the text as spam."), NULL },
};

typedef struct {
  const char *name; /* errors[].parameterName with "[…]" indices removed, compared without case */
  const char *words;
  gboolean show_value; /* whether parameterValue helps the user (a number, an id, a date) */
} RcParamWords;

/* Request parameters of the calls this plugin makes (ringcentral-api.md §3, §4; spec
 * CreateSMSMessage, CreateMMSMessage, listMessages, syncMessages). */
static const RcParamWords param_words[] = {
  { "from.phoneNumber", N_ ("the send-from number"), TRUE },
  { "from", N_ ("the send-from number"), TRUE },
  { "to.phoneNumber", N_ ("the recipient's number"), TRUE },
  { "to", N_ ("the recipient's number"), TRUE },
  { "text", N_ ("the text"), FALSE },
  { "body", N_ ("the request body"), FALSE },
  { "attachment", N_ ("the attachment"), FALSE },
  { "attachments", N_ ("the attachment"), FALSE },
  { "country", N_ ("the country"), TRUE },
  { "country.id", N_ ("the country"), TRUE },
  { "country.isoCode", N_ ("the country"), TRUE },
  { "messageId", N_ ("the message"), TRUE },
  { "conversationId", N_ ("the conversation"), TRUE },
  { "syncToken", N_ ("the sync token"), FALSE },
  { "syncType", N_ ("the sync type"), TRUE },
  { "dateFrom", N_ ("the start date"), TRUE },
  { "dateTo", N_ ("the end date"), TRUE },
  { "readStatus", N_ ("the read status"), TRUE },
  { "messageType", N_ ("the message type"), TRUE },
  { "recordCount", N_ ("the number of records"), TRUE },
  { "page", N_ ("the page number"), TRUE },
  { "perPage", N_ ("the page size"), TRUE },
  { "phoneNumber", N_ ("the phone number"), TRUE },
  { "phoneNumberId", N_ ("the phone number"), TRUE },
  { "extensionId", N_ ("the extension"), TRUE },
  { "accountId", N_ ("the account"), TRUE },
};

/* Parameter names whose value may be a secret: never echoed (compared without case). */
static const char *const secret_name_parts[] = {
  "token", "assertion", "secret", "password", "authorization", "jwt", "credential", "verifier",
};

/* The table entry for @api_code (compared without case), or NULL. */
static const RcApiCodeText *
find_api_code (const char *api_code)
{
  if (api_code == NULL)
    return NULL;
  for (gsize i = 0; i < G_N_ELEMENTS (api_code_texts); i++)
    if (g_ascii_strcasecmp (api_code_texts[i].code, api_code) == 0)
      return &api_code_texts[i];
  return NULL;
}

const char *
rc_error_describe_api_code (const char *api_code)
{
  const RcApiCodeText *known = find_api_code (api_code);

  return known != NULL ? _ (known->text) : NULL;
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

/* ---- secrets ---- */

static GMutex secrets_lock;
static GHashTable *secrets; /* char* secret → GUINT count of registrations; under secrets_lock */

void
rc_error_add_secret (const char *secret)
{
  gpointer count;

  if (secret == NULL || strlen (secret) < RC_ERROR_MIN_SECRET)
    return;
  g_mutex_lock (&secrets_lock);
  if (secrets == NULL)
    secrets = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  count = g_hash_table_lookup (secrets, secret);
  g_hash_table_insert (secrets, g_strdup (secret), GUINT_TO_POINTER (GPOINTER_TO_UINT (count) + 1));
  g_mutex_unlock (&secrets_lock);
}

void
rc_error_remove_secret (const char *secret)
{
  guint count;

  if (secret == NULL || strlen (secret) < RC_ERROR_MIN_SECRET)
    return;
  g_mutex_lock (&secrets_lock);
  count = secrets != NULL ? GPOINTER_TO_UINT (g_hash_table_lookup (secrets, secret)) : 0;
  if (count > 1)
    g_hash_table_insert (secrets, g_strdup (secret), GUINT_TO_POINTER (count - 1));
  else if (count == 1)
    g_hash_table_remove (secrets, secret);
  g_mutex_unlock (&secrets_lock);
}

static gboolean
is_opaque_char (char c)
{
  return g_ascii_isalnum (c) || strchr ("+/=_.-", c) != NULL;
}

/* Hides runs of RC_ERROR_OPAQUE_RUN or more token characters holding a digit, an upper- and a
 * lower-case letter (tokens, JWTs and secrets do; words, numbers and most URLs do not). */
static void
hide_opaque_runs (GString *s)
{
  gsize i = 0;

  while (i < s->len) {
    gsize end = i;
    gboolean digit = FALSE, upper = FALSE, lower = FALSE;

    if (!is_opaque_char (s->str[i])) {
      i++;
      continue;
    }
    for (; end < s->len && is_opaque_char (s->str[end]); end++) {
      digit |= g_ascii_isdigit (s->str[end]);
      upper |= g_ascii_isupper (s->str[end]);
      lower |= g_ascii_islower (s->str[end]);
    }
    if (end - i >= RC_ERROR_OPAQUE_RUN && digit && upper && lower) {
      g_string_erase (s, (gssize)i, (gssize)(end - i));
      g_string_insert (s, (gssize)i, "[hidden]");
      end = i + strlen ("[hidden]");
    }
    i = end;
  }
}

char *
rc_error_redact (const char *text, gssize max_bytes)
{
  GString *out;
  GHashTableIter iter;
  gpointer key;

  if (text == NULL)
    return NULL;
  out = max_bytes < 0 ? g_string_new (text)
                      : g_string_new_len (text, (gssize)strnlen (text, (gsize)max_bytes));
  g_mutex_lock (&secrets_lock);
  if (secrets != NULL) {
    g_hash_table_iter_init (&iter, secrets);
    while (g_hash_table_iter_next (&iter, &key, NULL)) {
      g_autofree char *escaped = g_uri_escape_string (key, NULL, FALSE);

      g_string_replace (out, key, "[hidden]", 0);
      if (strcmp (escaped, key) != 0)
        g_string_replace (out, escaped, "[hidden]", 0);
    }
  }
  g_mutex_unlock (&secrets_lock);
  hide_opaque_runs (out);
  return g_string_free (out, FALSE);
}

/* @text made fit for a message: invalid UTF-8 replaced (g_utf8_make_valid), control and format
 * characters (newlines, bidi overrides...) turned into spaces, surrounding spaces removed, and at
 * most
 * @max_chars characters, the last being "…" when cut. NULL when nothing readable is left. */
static char *
sanitize_text (const char *text, gsize max_chars)
{
  g_autofree char *valid = NULL;
  GString *out;
  gsize n = 0;

  g_autofree char *redacted = NULL;

  if (text == NULL)
    return NULL;
  /* Secrets are hidden before the text is cut (a cut could leave a secret's head); only the head
   * of a long text is looked at: 4 bytes a character at most, plus room for a secret across the
   * cut. */
  redacted = rc_error_redact (text, (gssize)(max_chars * 4 + 4096));
  valid = g_utf8_make_valid (redacted, -1);
  out = g_string_new (NULL);
  for (const char *p = valid; *p != '\0'; p = g_utf8_next_char (p)) {
    gunichar c = g_utf8_get_char (p);

    if (n == max_chars) {
      /* Replace the last kept character by the ellipsis. */
      g_string_truncate (out,
                         (gsize)(g_utf8_offset_to_pointer (out->str, (glong)n - 1) - out->str));
      g_string_append (out, "…");
      break;
    }
    if (g_unichar_iscntrl (c) || g_unichar_type (c) == G_UNICODE_FORMAT
        || g_unichar_type (c) == G_UNICODE_LINE_SEPARATOR
        || g_unichar_type (c) == G_UNICODE_PARAGRAPH_SEPARATOR)
      c = ' ';
    g_string_append_unichar (out, c);
    n++;
  }
  g_strstrip (out->str);
  if (out->str[0] == '\0') {
    g_string_free (out, TRUE);
    return NULL;
  }
  return g_string_free (out, FALSE);
}

/* Whether the first @len bytes of @code (-1: up to its NUL) look like a RingCentral or OAuth error
 * code ("MSG-242", "invalid_grant"): 1 to RC_ERROR_MAX_API_CODE letters, digits, '-' or '_'. The
 * one test of a code, for server bodies and for rc_error_get_api_code(). */
static gboolean
is_api_code (const char *code, gssize len)
{
  gsize n = 0;

  if (code == NULL)
    return FALSE;
  for (; len < 0 ? code[n] != '\0' : n < (gsize)len; n++)
    if (n >= RC_ERROR_MAX_API_CODE
        || !(g_ascii_isalnum (code[n]) || code[n] == '-' || code[n] == '_'))
      return FALSE;
  return n > 0;
}

/* @name without its "[…]" index parts ("to[0].phoneNumber" → "to.phoneNumber"). */
static char *
strip_indices (const char *name)
{
  GString *out = g_string_new (NULL);
  gboolean in_index = FALSE;

  for (const char *p = name; *p != '\0'; p++) {
    if (*p == '[')
      in_index = TRUE;
    else if (*p == ']' && in_index)
      in_index = FALSE;
    else if (!in_index)
      g_string_append_c (out, *p);
  }
  return g_string_free (out, FALSE);
}

static gboolean
is_secret_name (const char *name)
{
  g_autofree char *lower = g_ascii_strdown (name, -1);

  if (g_strcmp0 (lower, "code") == 0) /* the OAuth authorization code */
    return TRUE;
  for (gsize i = 0; i < G_N_ELEMENTS (secret_name_parts); i++)
    if (strstr (lower, secret_name_parts[i]) != NULL)
      return TRUE;
  return FALSE;
}

/* errors[0].parameterValue as text (a string, or an integer), or NULL. */
static char *
get_param_value (JsonObject *first)
{
  JsonNode *node;

  if (first == NULL || !json_object_has_member (first, "parameterValue"))
    return NULL;
  node = json_object_get_member (first, "parameterValue");
  if (!JSON_NODE_HOLDS_VALUE (node))
    return NULL;
  if (json_node_get_value_type (node) == G_TYPE_STRING)
    return g_strdup (json_node_get_string (node));
  if (json_node_get_value_type (node) == G_TYPE_INT64)
    return g_strdup_printf ("%" G_GINT64_FORMAT, json_node_get_int (node));
  return NULL;
}

/* The parameter errors[0] names, in words: "the recipient's number \"+14155550100\"", "the text",
 * or for a name we do not know, "\"perPage\"" / "the value \"5000\" of \"perPage\"". The value is
 * shown only when it helps and never for a name that may hold a secret (token, assertion...).
 * NULL without parameterName. ringcentral-api.md §7. */
static char *
param_phrase (JsonObject *first, const char *name)
{
  g_autofree char *clean_name = sanitize_text (name, RC_ERROR_MAX_PARAM_NAME);
  g_autofree char *key = NULL;
  g_autofree char *raw_value = NULL;
  g_autofree char *value = NULL;
  const RcParamWords *known = NULL;

  if (clean_name == NULL)
    return NULL;
  key = strip_indices (clean_name);
  for (gsize i = 0; i < G_N_ELEMENTS (param_words); i++)
    if (g_ascii_strcasecmp (param_words[i].name, key) == 0)
      known = &param_words[i];

  if ((known == NULL || known->show_value) && !is_secret_name (clean_name)) {
    raw_value = get_param_value (first);
    value = sanitize_text (raw_value, RC_ERROR_MAX_PARAM_VALUE);
  }
  if (known != NULL && value != NULL)
    return g_strdup_printf ("%s \"%s\"", _ (known->words), value);
  if (known != NULL)
    return g_strdup (_ (known->words));
  if (value != NULL)
    /* TRANSLATORS: the value of a request parameter RingCentral refused, then its name */
    return g_strdup_printf (_ ("the value \"%s\" of \"%s\""), value, clean_name);
  return g_strdup_printf ("\"%s\"", clean_name);
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

/* @tmpl with its first "%s" replaced by @param (no printf: the template comes from a table). */
static char *
fill_template (const char *tmpl, const char *param)
{
  const char *at = strstr (tmpl, "%s");
  GString *out;

  if (at == NULL)
    return g_strdup (tmpl);
  out = g_string_new_len (tmpl, at - tmpl);
  g_string_append (out, param);
  g_string_append (out, at + 2);
  return g_string_free (out, FALSE);
}

GError *
rc_error_from_http (guint status, GBytes *body, gboolean token_endpoint)
{
  g_autoptr (JsonNode) parsed = NULL;
  JsonObject *root = NULL;
  JsonObject *first = NULL;
  const char *api_code = NULL;
  const char *server_text = NULL;
  const RcApiCodeText *known = NULL;
  RcErrorCode code;
  g_autofree char *param = NULL;
  g_autofree char *reason = NULL;
  g_autofree char *text = NULL;

  if (body != NULL && g_bytes_get_size (body) > 0) {
    gsize len;
    const char *data = g_bytes_get_data (body, &len);

    /* The one bounded parser (rc-json.h: depth, UTF-8, NUL escapes, one value); not JSON (an
     * HTML error page) is an answer without a code. */
    if (len <= RC_ERROR_MAX_BODY)
      parsed = rc_json_parse (data, len, NULL, NULL);
    if (parsed != NULL && JSON_NODE_HOLDS_OBJECT (parsed))
      root = json_node_get_object (parsed);
  }

  first = get_first_error (root);
  api_code = get_string (first, "errorCode");
  if (api_code == NULL)
    api_code = get_string (root, "errorCode");
  if (api_code == NULL)
    api_code = get_string (root, "error");
  if (!is_api_code (api_code, -1))
    api_code = NULL; /* not a code: never echoed */
  if (api_code != NULL) {
    g_autofree char *hidden = rc_error_redact (api_code, -1);

    if (strcmp (hidden, api_code) != 0)
      api_code = NULL; /* a secret in the code's place: never echoed */
  }

  code = code_for_status (status, token_endpoint);
  if (api_code != NULL && g_ascii_strcasecmp (api_code, "MSG-333") == 0)
    code = RC_ERROR_SYNC_RESET;

  known = find_api_code (api_code);
  param = param_phrase (first, get_string (first, "parameterName"));

  if (get_string (root, "error") != NULL) {
    /* OAuth error (RFC 6749): error_description is the server's own reason. */
    server_text = get_string (root, "error_description");
    if (server_text == NULL && known == NULL)
      server_text = get_string (first, "message");
  } else if (known == NULL) {
    server_text = get_string (first, "message");
    if (server_text == NULL)
      server_text = get_string (root, "message");
  }
  reason = sanitize_text (server_text, RC_ERROR_MAX_SERVER_TEXT);

  if (reason == NULL && known != NULL && param != NULL && known->param_text != NULL) {
    reason = fill_template (_ (known->param_text), param);
    g_clear_pointer (&param, g_free); /* already said */
  }
  if (reason == NULL && known != NULL)
    reason = g_strdup (_ (known->text));
  if (reason == NULL)
    reason = g_strdup (generic_text (code, status));
  if (param != NULL) {
    /* Server text may lack a full stop ("Parameter [x] value is invalid"). */
    const char *stop = g_str_has_suffix (reason, ".") || g_str_has_suffix (reason, "!")
                               || g_str_has_suffix (reason, "?") || g_str_has_suffix (reason, "…")
                           ? ""
                           : ".";
    /* TRANSLATORS: a sentence explaining an error, its full stop if it lacked one, then the
     * request parameter it is about */
    char *with_param = g_strdup_printf (_ ("%s%s It concerns %s."), reason, stop, param);

    g_free (reason);
    reason = with_param;
  }

  if (api_code != NULL)
    text = g_strdup_printf ("%s (%s)", reason, api_code);
  else
    text = g_steal_pointer (&reason);
  return g_error_new_literal (RC_ERROR, code, text);
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
  if (!is_api_code (open + 1, msg + len - 1 - (open + 1)))
    return NULL;
  return g_strndup (open + 1, (gsize)(msg + len - 1 - (open + 1)));
}
