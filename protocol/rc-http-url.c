/* rc-http-url.c: the URL rules of rc-http.h (server URL normalised, loopback hosts, same origin)
 * and the redaction of secrets from every text that is logged; moved out of rc-http.c. */
#include "rc-http.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "rc-error.h"

gboolean
rc_http_host_is_loopback (const char *host)
{
  g_autoptr (GInetAddress) addr = NULL;
  g_autofree char *bare = NULL;
  gsize len;

  if (host == NULL || *host == '\0')
    return FALSE;
  if (g_ascii_strcasecmp (host, "localhost") == 0)
    return TRUE;
  len = strlen (host);
  if (host[0] == '[' && host[len - 1] == ']')
    bare = g_strndup (host + 1, len - 2);
  else
    bare = g_strdup (host);
  addr = g_inet_address_new_from_string (bare);
  return addr != NULL && g_inet_address_get_is_loopback (addr);
}

char *
rc_http_normalize_server_url (const char *url, GError **error)
{
  g_autoptr (GUri) uri = NULL;
  g_autoptr (GError) local = NULL;
  g_autofree char *scheme = NULL;
  g_autofree char *path = NULL;
  const char *host;

  if (url == NULL || *url == '\0') {
    g_set_error_literal (error, RC_ERROR, RC_ERROR_INVALID_SETTINGS,
                         _ ("The server URL is empty."));
    return NULL;
  }
  uri = g_uri_parse (url, G_URI_FLAGS_NONE, &local);
  if (uri == NULL) {
    g_set_error (error, RC_ERROR, RC_ERROR_INVALID_SETTINGS,
                 _ ("The server URL \"%s\" is not a valid URL."), url);
    return NULL;
  }
  scheme = g_ascii_strdown (g_uri_get_scheme (uri), -1);
  host = g_uri_get_host (uri);
  if (host == NULL || *host == '\0') {
    g_set_error (error, RC_ERROR, RC_ERROR_INVALID_SETTINGS,
                 _ ("The server URL \"%s\" has no host name."), url);
    return NULL;
  }
  if (g_strcmp0 (scheme, "https") != 0 && g_strcmp0 (scheme, "http") != 0) {
    g_set_error (error, RC_ERROR, RC_ERROR_INVALID_SETTINGS,
                 _ ("The server URL must start with https://."));
    return NULL;
  }
  if (g_strcmp0 (scheme, "http") == 0 && !rc_http_host_is_loopback (host)) {
    g_set_error (error, RC_ERROR, RC_ERROR_INVALID_SETTINGS,
                 _ ("The server URL must use https://; plain http:// is only allowed for "
                    "this computer (localhost, 127.0.0.1 or [::1])."));
    return NULL;
  }
  if (g_uri_get_query (uri) != NULL || g_uri_get_fragment (uri) != NULL
      || g_uri_get_userinfo (uri) != NULL) {
    g_set_error_literal (error, RC_ERROR, RC_ERROR_INVALID_SETTINGS,
                         _ ("The server URL must not contain a user name, query or fragment."));
    return NULL;
  }

  path = g_strdup (g_uri_get_path (uri));
  while (*path != '\0' && path[strlen (path) - 1] == '/')
    path[strlen (path) - 1] = '\0';
  {
    g_autoptr (GUri) norm = g_uri_build (G_URI_FLAGS_NONE, scheme, NULL, host, g_uri_get_port (uri),
                                         path, NULL, NULL);
    return g_uri_to_string (norm);
  }
}

static int
effective_port (GUri *uri)
{
  int port = g_uri_get_port (uri);

  if (port > 0)
    return port;
  return g_ascii_strcasecmp (g_uri_get_scheme (uri), "https") == 0 ? 443 : 80;
}

gboolean
rc_http_same_origin (const char *a, const char *b)
{
  g_autoptr (GUri) ua = NULL;
  g_autoptr (GUri) ub = NULL;

  if (a == NULL || b == NULL)
    return FALSE;
  ua = g_uri_parse (a, G_URI_FLAGS_NONE, NULL);
  ub = g_uri_parse (b, G_URI_FLAGS_NONE, NULL);
  if (ua == NULL || ub == NULL || g_uri_get_host (ua) == NULL || g_uri_get_host (ub) == NULL)
    return FALSE;
  return g_ascii_strcasecmp (g_uri_get_scheme (ua), g_uri_get_scheme (ub)) == 0
         && g_ascii_strcasecmp (g_uri_get_host (ua), g_uri_get_host (ub)) == 0
         && effective_port (ua) == effective_port (ub);
}

char *
rc_http_redact (const char *text)
{
  /* Keys whose values are secrets in a query string or form body. */
  static const char *const keys[]
      = { "access_token=", "assertion=",     "refresh_token=",   "token=",    "client_secret=",
          "code=",         "code_verifier=", "ws_access_token=", "password=", "wsc=" };
  static const char *const schemes[] = { "Bearer ", "Basic " };
  GString *out;
  const char *p;

  if (text == NULL)
    return NULL;
  out = g_string_sized_new (strlen (text));
  p = text;
  while (*p != '\0') {
    gboolean matched = FALSE;
    gboolean at_key_start = (p == text || p[-1] == '?' || p[-1] == '&' || p[-1] == ' '
                             || p[-1] == '"' || p[-1] == ',' || p[-1] == ';');

    for (gsize i = 0; at_key_start && i < G_N_ELEMENTS (keys) && !matched; i++) {
      gsize klen = strlen (keys[i]);

      if (g_ascii_strncasecmp (p, keys[i], klen) == 0) {
        g_string_append_len (out, p, (gssize)klen);
        g_string_append (out, "[redacted]");
        p += klen;
        while (*p != '\0' && *p != '&' && *p != ' ' && *p != '"' && *p != ',')
          p++;
        matched = TRUE;
      }
    }
    for (gsize i = 0; !matched && i < G_N_ELEMENTS (schemes); i++) {
      gsize slen = strlen (schemes[i]);

      if (g_ascii_strncasecmp (p, schemes[i], slen) == 0) {
        g_string_append_len (out, p, (gssize)slen);
        g_string_append (out, "[redacted]");
        p += slen;
        while (*p != '\0' && *p != ' ' && *p != '"' && *p != ',')
          p++;
        matched = TRUE;
      }
    }
    if (!matched)
      g_string_append_c (out, *p++);
  }
  /* client_secret may appear as a JSON key or bare word; never let its value through. */
  return g_string_free (out, FALSE);
}
