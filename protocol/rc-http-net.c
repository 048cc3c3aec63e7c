/* rc-http-net.c: the network side of RcHttp: which proxy its SoupSession uses, failures with no
 * answer (TLS, proxy, connection) in words, and the WebSocket on the same session. */
#include "rc-http.h"

#include <glib/gi18n-lib.h>
#include <libsoup/soup.h>
#include <string.h>

#include "rc-error.h"

/* ---- proxy credentials ---- */

/* Kept on the RcHttp as object data (RC_HTTP_PROXY_AUTH_KEY) while a proxy has a user name. */
#define RC_HTTP_PROXY_AUTH_KEY "rc-http-proxy-auth"

typedef struct {
  char *user;
  char *password;
  char *basic; /* "Basic …" for an HTTP proxy, else NULL */
} ProxyAuth;

static void
wipe (char **secret)
{
  if (*secret != NULL)
    memset (*secret, 0, strlen (*secret));
  g_clear_pointer (secret, g_free);
}

static void
proxy_auth_free (ProxyAuth *auth)
{
  g_free (auth->user);
  wipe (&auth->password);
  wipe (&auth->basic);
  g_free (auth);
}

/* A proxy's 407 (libsoup asks on the message): answered once with the proxy's credentials; a
 * server's 401 is never answered here (the bearer token is the only credential it gets). */
static gboolean
on_authenticate (SoupMessage *msg, SoupAuth *auth, gboolean retrying, gpointer user_data)
{
  ProxyAuth *creds = g_object_get_data (G_OBJECT (user_data), RC_HTTP_PROXY_AUTH_KEY);

  if (!soup_auth_is_for_proxy (auth) || retrying || creds == NULL)
    return FALSE;
  soup_auth_authenticate (auth, creds->user, creds->password != NULL ? creds->password : "");
  return TRUE;
}

/* Every message the session queues, its own CONNECT tunnels included, answers a proxy's 407. */
static void
on_request_queued (SoupSession *session, SoupMessage *msg, gpointer user_data)
{
  if (soup_message_get_method (msg) == SOUP_METHOD_CONNECT)
    g_signal_connect_object (msg, "authenticate", G_CALLBACK (on_authenticate), user_data, 0);
}

void
rc_http_set_proxy_credentials (RcHttp *self, const char *scheme, const char *user,
                               const char *password)
{
  ProxyAuth *auth;

  g_return_if_fail (RC_IS_HTTP (self));
  if (user == NULL) {
    g_object_set_data (G_OBJECT (self), RC_HTTP_PROXY_AUTH_KEY, NULL);
    return;
  }
  auth = g_new0 (ProxyAuth, 1);
  auth->user = g_strdup (user);
  auth->password = g_strdup (password);
  if (g_strcmp0 (scheme, "http") == 0) {
    g_autofree char *pair = g_strconcat (user, ":", password ? password : "", NULL);
    g_autofree char *b64 = g_base64_encode ((const guchar *)pair, strlen (pair));

    auth->basic = g_strconcat ("Basic ", b64, NULL);
    wipe (&pair);
  }
  if (g_object_get_data (G_OBJECT (self), RC_HTTP_PROXY_AUTH_KEY) == NULL
      && g_object_get_data (G_OBJECT (self), "rc-http-queued-hook") == NULL) {
    g_signal_connect_object (rc_http_get_session (self), "request-queued",
                             G_CALLBACK (on_request_queued), self, 0);
    g_object_set_data (G_OBJECT (self), "rc-http-queued-hook", GINT_TO_POINTER (1));
  }
  g_object_set_data_full (G_OBJECT (self), RC_HTTP_PROXY_AUTH_KEY, auth,
                          (GDestroyNotify)proxy_auth_free);
}

void
rc_http_prepare_message (RcHttp *self, SoupMessage *msg)
{
  ProxyAuth *auth;
  const char *scheme;

  g_return_if_fail (RC_IS_HTTP (self));
  auth = g_object_get_data (G_OBJECT (self), RC_HTTP_PROXY_AUTH_KEY);
  if (auth == NULL)
    return;
  g_signal_connect_object (msg, "authenticate", G_CALLBACK (on_authenticate), self, 0);
  /* A plain http:// (or ws://) request goes to an HTTP proxy in absolute form: its credentials
   * go along at once. Never on https://: inside a tunnel they would reach the server. */
  scheme = g_uri_get_scheme (soup_message_get_uri (msg));
  if (auth->basic != NULL
      && (g_ascii_strcasecmp (scheme, "http") == 0 || g_ascii_strcasecmp (scheme, "ws") == 0))
    soup_message_headers_replace (soup_message_get_request_headers (msg), "Proxy-Authorization",
                                  auth->basic);
}

/* ---- proxies ---- */

/* "scheme://host:port" of @uri without its user name and password, for messages and logs. */
static char *
proxy_display (GUri *uri)
{
  g_autoptr (GUri) bare = g_uri_build (G_URI_FLAGS_NONE, g_uri_get_scheme (uri), NULL,
                                       g_uri_get_host (uri), g_uri_get_port (uri), "", NULL, NULL);

  return g_uri_to_string (bare);
}

gboolean
rc_http_set_proxy (RcHttp *self, const char *proxy_uri, GError **error)
{
  static const char *const schemes[] = { "http", "socks5", "socks4a", "socks4" };
  SoupSession *session;
  g_autoptr (GUri) uri = NULL;
  g_autoptr (GProxyResolver) resolver = NULL;
  g_autofree char *shown = NULL;
  gboolean known = FALSE;

  g_return_val_if_fail (RC_IS_HTTP (self), FALSE);
  session = rc_http_get_session (self);
  rc_http_set_proxy_credentials (self, NULL, NULL, NULL);
  if (proxy_uri == NULL) {
    /* libsoup's default: g_proxy_resolver_get_default () (environment or desktop settings). */
    soup_session_set_proxy_resolver (session, g_proxy_resolver_get_default ());
    g_debug ("proxy: from the environment");
    return TRUE;
  }
  if (g_ascii_strcasecmp (proxy_uri, "direct://") == 0) {
    soup_session_set_proxy_resolver (session, NULL); /* libsoup 3: NULL means no proxy */
    g_debug ("proxy: none");
    return TRUE;
  }
  uri = g_uri_parse (proxy_uri, G_URI_FLAGS_HAS_PASSWORD | G_URI_FLAGS_ENCODED, NULL);
  for (gsize i = 0; uri != NULL && i < G_N_ELEMENTS (schemes); i++)
    known = known || g_ascii_strcasecmp (g_uri_get_scheme (uri), schemes[i]) == 0;
  if (uri == NULL || !known || g_uri_get_host (uri) == NULL || *g_uri_get_host (uri) == '\0'
      || g_uri_get_port (uri) <= 0) {
    g_set_error_literal (error, RC_ERROR, RC_ERROR_INVALID_SETTINGS,
                         _ ("The proxy settings are not usable: an HTTP or SOCKS proxy needs a "
                            "host name and a port."));
    return FALSE;
  }
  shown = proxy_display (uri);
  /* GIO's SOCKS and CONNECT code reads them from the URI; libsoup's absolute-URI requests to an
   * HTTP proxy get them through "authenticate" (rc_http_prepare_message ()). */
  {
    g_autofree char *user = NULL;
    g_autofree char *password = NULL;

    if (g_uri_get_user (uri) != NULL)
      user = g_uri_unescape_string (g_uri_get_user (uri), NULL);
    if (g_uri_get_password (uri) != NULL)
      password = g_uri_unescape_string (g_uri_get_password (uri), NULL);
    rc_http_set_proxy_credentials (self, g_uri_get_scheme (uri), user, password);
    if (password != NULL)
      memset (password, 0, strlen (password));
  }
  /* No ignore list: everything goes through the proxy the user chose, loopback included. */
  resolver = g_simple_proxy_resolver_new (proxy_uri, NULL);
  soup_session_set_proxy_resolver (session, resolver);
  g_debug ("proxy: %s%s", shown, g_uri_get_user (uri) != NULL ? " (with a user name)" : "");
  return TRUE;
}

/* ---- failures without an answer ---- */

GError *
rc_http_network_error (const GError *error, const char *what)
{
  g_autofree char *safe = rc_http_redact (error->message);

  if (error->domain == G_TLS_ERROR)
    return g_error_new (RC_ERROR, RC_ERROR_NETWORK,
                        _ ("%s: the server's TLS certificate could not be verified (%s). The "
                           "connection was refused; check the server URL and the computer's "
                           "date and certificate store."),
                        what, safe);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_PROXY_FAILED)
      || g_error_matches (error, G_IO_ERROR, G_IO_ERROR_PROXY_AUTH_FAILED)
      || g_error_matches (error, G_IO_ERROR, G_IO_ERROR_PROXY_NEED_AUTH)
      || g_error_matches (error, G_IO_ERROR, G_IO_ERROR_PROXY_NOT_ALLOWED))
    return g_error_new (RC_ERROR, RC_ERROR_NETWORK, _ ("%s through the proxy: %s"), what, safe);
  return g_error_new (RC_ERROR, RC_ERROR_NETWORK, _ ("%s: %s"), what, safe);
}

/* ---- WebSocket ---- */

static void
websocket_done (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GTask) task = user_data;
  const char *log_url = g_task_get_task_data (task);
  g_autoptr (GError) error = NULL;
  SoupWebsocketConnection *conn
      = soup_session_websocket_connect_finish (SOUP_SESSION (source), result, &error);

  if (conn == NULL) {
    g_autofree char *safe = rc_http_redact (error->message);

    g_debug ("WebSocket %s failed: %s", log_url, safe);
    if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
      g_task_return_error (task, g_steal_pointer (&error));
    else
      g_task_return_error (
          task, rc_http_network_error (error, _ ("Could not open the RingCentral notification "
                                                 "channel")));
    return;
  }
  g_debug ("WebSocket %s open", log_url);
  g_object_set (conn, "max-incoming-payload-size", (guint64)RC_HTTP_WS_MAX_PAYLOAD, NULL);
  g_task_return_pointer (task, conn, g_object_unref);
}

void
rc_http_websocket_connect_async (RcHttp *self, const char *url, GCancellable *cancellable,
                                 GAsyncReadyCallback callback, gpointer user_data)
{
  GTask *task;
  g_autoptr (GUri) uri = NULL;
  g_autoptr (SoupMessage) msg = NULL;
  const char *scheme;
  char *log_url;

  g_return_if_fail (RC_IS_HTTP (self));
  g_return_if_fail (url != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, rc_http_websocket_connect_async);
  log_url = rc_http_redact (url);
  g_task_set_task_data (task, log_url, g_free);

  /* Same rule as the server URL: the token rides in the query, never in clear over a network. */
  uri = g_uri_parse (url, G_URI_FLAGS_ENCODED, NULL);
  scheme = uri ? g_uri_get_scheme (uri) : NULL;
  if (uri == NULL || g_uri_get_host (uri) == NULL
      || (g_ascii_strcasecmp (scheme, "wss") != 0
          && !(g_ascii_strcasecmp (scheme, "ws") == 0
               && rc_http_host_is_loopback (g_uri_get_host (uri))))) {
    g_task_return_new_error (task, RC_ERROR, RC_ERROR_INVALID_SETTINGS,
                             _ ("Refusing to open a WebSocket to %s: only wss:// (or ws:// to "
                                "this computer) is allowed."),
                             log_url);
    g_object_unref (task);
    return;
  }
  msg = soup_message_new_from_uri ("GET", uri);
  rc_http_prepare_message (self, msg);
  g_debug ("WebSocket connecting to %s", log_url);
  soup_session_websocket_connect_async (rc_http_get_session (self), msg, NULL, NULL,
                                        G_PRIORITY_DEFAULT, cancellable, websocket_done, task);
}

SoupWebsocketConnection *
rc_http_websocket_connect_finish (RcHttp *self, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}
