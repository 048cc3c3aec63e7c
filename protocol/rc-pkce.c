/* rc-pkce.c: authorization code + PKCE pieces without I/O (verifier, challenge, URLs). */
#include "rc-pkce.h"

#include <glib/gi18n-lib.h>
#include <string.h>
#include <sys/random.h>

#include "rc-error.h"
#include "rc-http.h"

#define VERIFIER_BYTES 32 /* 43 base64url characters: RFC 7636 §4.1 asks for 43-128 */
#define STATE_BYTES    16
#define MAX_REASON     200 /* characters of a server's error_description shown to the user */

char *
rc_pkce_base64url (const guint8 *data, gsize len)
{
  char *b64 = g_base64_encode (data, len);
  gsize n = strlen (b64);

  for (gsize i = 0; i < n; i++) {
    if (b64[i] == '+')
      b64[i] = '-';
    else if (b64[i] == '/')
      b64[i] = '_';
  }
  while (n > 0 && b64[n - 1] == '=')
    b64[--n] = '\0';
  return b64;
}

static char *
random_base64url (gsize bytes)
{
  guint8 buf[64];
  char *out;

  g_assert (bytes <= sizeof buf);
  /* RFC 7636 §7.1 wants a cryptographically random verifier: the kernel's generator. GLib's own
   * (GRand, a Mersenne Twister) is only the fallback should getrandom() ever fail. */
  if (getrandom (buf, bytes, 0) != (ssize_t)bytes) {
    g_debug ("getrandom() failed; using GRand");
    for (gsize i = 0; i < bytes; i += 4) {
      guint32 r = g_random_int ();

      memcpy (buf + i, &r, MIN (4, bytes - i));
    }
  }
  out = rc_pkce_base64url (buf, bytes);
  memset (buf, 0, sizeof buf);
  return out;
}

char *
rc_pkce_new_verifier (void)
{
  return random_base64url (VERIFIER_BYTES);
}

char *
rc_pkce_new_state (void)
{
  return random_base64url (STATE_BYTES);
}

char *
rc_pkce_challenge_s256 (const char *verifier)
{
  g_autoptr (GChecksum) sum = g_checksum_new (G_CHECKSUM_SHA256);
  guint8 digest[32];
  gsize len = sizeof digest;

  g_return_val_if_fail (verifier != NULL, NULL);
  g_checksum_update (sum, (const guchar *)verifier, (gssize)strlen (verifier));
  g_checksum_get_digest (sum, digest, &len);
  return rc_pkce_base64url (digest, len);
}

static void
query_add (GString *query, const char *name, const char *value)
{
  g_autofree char *escaped = g_uri_escape_string (value ? value : "", NULL, FALSE);

  g_string_append_c (query, query->len > 0 ? '&' : '?');
  g_string_append (query, name);
  g_string_append_c (query, '=');
  g_string_append (query, escaped);
}

char *
rc_pkce_authorize_url (const char *server_url, const char *client_id, const char *redirect_uri,
                       const char *state, const char *challenge)
{
  GString *url;
  GString *query = g_string_new (NULL);

  g_return_val_if_fail (server_url != NULL, NULL);
  query_add (query, "response_type", "code");
  query_add (query, "client_id", client_id);
  query_add (query, "redirect_uri", redirect_uri);
  query_add (query, "state", state);
  query_add (query, "code_challenge", challenge);
  query_add (query, "code_challenge_method", "S256");
  url = g_string_new (server_url);
  while (url->len > 0 && url->str[url->len - 1] == '/')
    g_string_truncate (url, url->len - 1);
  g_string_append (url, RC_PKCE_AUTHORIZE_PATH);
  g_string_append_len (url, query->str, (gssize)query->len);
  g_string_free (query, TRUE);
  return g_string_free (url, FALSE);
}

gboolean
rc_pkce_check_redirect_uri (const char *redirect_uri, guint *port, char **path, GError **error)
{
  g_autoptr (GUri) uri = NULL;
  const char *host;
  const char *p;

  uri = redirect_uri ? g_uri_parse (redirect_uri, G_URI_FLAGS_NONE, NULL) : NULL;
  if (uri == NULL || g_strcmp0 (g_uri_get_scheme (uri), "http") != 0) {
    g_set_error_literal (error, RC_ERROR, RC_ERROR_INVALID_SETTINGS,
                         _ ("The redirect URI must look like http://127.0.0.1:5000/oauth2callback "
                            "(as registered for your RingCentral app)."));
    return FALSE;
  }
  host = g_uri_get_host (uri);
  if (host == NULL || !rc_http_host_is_loopback (host)) {
    g_set_error_literal (error, RC_ERROR, RC_ERROR_INVALID_SETTINGS,
                         _ ("The redirect URI must point at this computer (127.0.0.1, [::1] or "
                            "localhost)."));
    return FALSE;
  }
  if (g_uri_get_port (uri) <= 0 || g_uri_get_port (uri) > 65535) {
    g_set_error_literal (error, RC_ERROR, RC_ERROR_INVALID_SETTINGS,
                         _ ("The redirect URI must name a port, such as "
                            "http://127.0.0.1:5000/oauth2callback."));
    return FALSE;
  }
  if (g_uri_get_query (uri) != NULL || g_uri_get_fragment (uri) != NULL) {
    g_set_error_literal (error, RC_ERROR, RC_ERROR_INVALID_SETTINGS,
                         _ ("The redirect URI must not carry a query or a fragment."));
    return FALSE;
  }
  p = g_uri_get_path (uri);
  if (port != NULL)
    *port = (guint)g_uri_get_port (uri);
  if (path != NULL)
    *path = g_strdup (p != NULL && *p != '\0' ? p : "/");
  return TRUE;
}

/* A server's text, fit for a user: valid UTF-8, no control characters, at most MAX_REASON. */
static char *
clean_reason (const char *text)
{
  g_autofree char *valid = g_utf8_make_valid (text, -1);
  GString *out = g_string_new (NULL);
  glong n = 0;

  for (const char *p = valid; *p != '\0' && n < MAX_REASON; p = g_utf8_next_char (p), n++) {
    gunichar c = g_utf8_get_char (p);

    g_string_append_unichar (out, g_unichar_iscntrl (c) ? ' ' : c);
  }
  if (n >= MAX_REASON)
    g_string_append (out, "…");
  return g_string_free (out, FALSE);
}

char *
rc_pkce_parse_redirect (const char *redirect, const char *expected_state, GError **error)
{
  g_autofree char *text = g_strstrip (g_strdup (redirect ? redirect : ""));
  g_autoptr (GHashTable) params = NULL;
  const char *query = text;
  const char *q;
  const char *code;
  const char *denied;

  /* A whole URL (pasted) or only its query; a fragment is never part of the answer. */
  if ((q = strchr (text, '?')) != NULL)
    query = q + 1;
  if (strchr (query, '#') != NULL)
    *strchr (query, '#') = '\0';
  params = *query ? g_uri_parse_params (query, -1, "&", G_URI_PARAMS_NONE, NULL) : NULL;
  if (params == NULL) {
    g_set_error_literal (error, RC_ERROR, RC_ERROR_INVALID_INPUT,
                         _ ("This is not the address RingCentral sent the browser to after "
                            "sign-in (it has no code)."));
    return NULL;
  }
  code = g_hash_table_lookup (params, "code");
  denied = g_hash_table_lookup (params, "error");
  if (g_strcmp0 (g_hash_table_lookup (params, "state"), expected_state) != 0
      && (code != NULL || denied != NULL)) {
    g_set_error_literal (error, RC_ERROR, RC_ERROR_AUTH_FAILED,
                         _ ("The sign-in answer does not belong to this sign-in attempt (its "
                            "state differs), so it was refused. Sign in again."));
    return NULL;
  }
  if (denied != NULL) {
    const char *description = g_hash_table_lookup (params, "error_description");
    g_autofree char *reason = clean_reason (description && *description ? description : denied);

    g_set_error (error, RC_ERROR, RC_ERROR_AUTH_FAILED, _ ("RingCentral did not sign you in: %s"),
                 reason);
    return NULL;
  }
  if (code == NULL || *code == '\0') {
    g_set_error_literal (error, RC_ERROR, RC_ERROR_INVALID_INPUT,
                         _ ("This is not the address RingCentral sent the browser to after "
                            "sign-in (it has no code)."));
    return NULL;
  }
  return g_strdup (code);
}
