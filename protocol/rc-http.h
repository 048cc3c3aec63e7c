/* rc-http.h (internal): one SoupSession per account, request building, rate-limit holds and
 * secret-free logging (rc-http.c); proxies, TLS failures in words and the WebSocket
 * (rc-http-net.c). Only rc-client.c uses it. */
#pragma once

#include <gio/gio.h>
#include <libsoup/soup.h>

G_BEGIN_DECLS

#define RC_TYPE_HTTP (rc_http_get_type ())
G_DECLARE_FINAL_TYPE (RcHttp, rc_http, RC, HTTP, GObject)

/* A rate-limit hold (429, fact sheet §6) longer than this many seconds is announced ("held"). */
#define RC_HTTP_HELD_NOTICE_S 5

/* Signals:
 *   "held" (guint seconds, const char *tag): a request is about to wait @seconds (rounded up, the
 *          honest remaining time of the hold: Retry-After capped by rc_http_set_max_hold()) before
 *          it is sent, because a 429 (its own or another request's) holds every request; emitted at
 *          most once per request, and only for a wait longer than RC_HTTP_HELD_NOTICE_S. @tag is
 *          the request's RcHttpRequest.tag (may be NULL). Not emitted for 503 waits. */

/* One request. Strings are copied by rc_http_send_async(). */
typedef struct {
  const char *method;        /* "GET", "POST", ... */
  const char *path;          /* "/restapi/..." (query included) or an absolute URL */
  const char *content_type;  /* type of @body, NULL without a body */
  GBytes *body;              /* may be NULL */
  const char *authorization; /* Authorization header value, or NULL */
  gboolean token_endpoint;   /* /restapi/oauth/token: 400/401 mean bad credentials */
  const char *accept;        /* Accept header value, NULL = "application/json" */
  gsize max_bytes;           /* 0: read the whole answer; else a 2xx answer longer than this is
                              * RC_ERROR_BAD_RESPONSE, found from Content-Length or while reading
                              * (never buffered past max_bytes + one chunk) */
  const char *tag;           /* opaque label handed to "held" (e.g. a conversation key), or NULL */
} RcHttpRequest;

/* Checks and normalises a server URL: https://, or http:// only to a loopback host; no trailing
 * slash, no query or fragment. RC_ERROR_INVALID_SETTINGS with a reason otherwise. */
char *rc_http_normalize_server_url (const char *url, GError **error);

/* TRUE when @host is 127.0.0.0/8, ::1 or localhost. */
gboolean rc_http_host_is_loopback (const char *host);

/* TRUE when @a and @b have the same scheme, host and (effective) port. */
gboolean rc_http_same_origin (const char *a, const char *b);

/* A copy of @text with the values of access_token=, assertion=, refresh_token=, token=,
 * ws_access_token=, wsc= (the WebSocket session-recovery token), client_secret=, code= and
 * Bearer/Basic credentials replaced by "[redacted]". */
char *rc_http_redact (const char *text);

/* @base_url must come from rc_http_normalize_server_url(). */
RcHttp *rc_http_new (const char *base_url);
const char *rc_http_get_base_url (RcHttp *self);

/* Sends @request (after any rate-limit hold is over) and returns the 2xx body. libsoup itself never
 * resends a POST (it is not idempotent: libsoup 3 gives it a new connection and does not restart
 * it); only the explicit 429/503 waits below send it again, after the server refused it. A 429 holds every
 * request of this RcHttp for Retry-After seconds (30 when absent) and resends, at most twice; a
 * 503 with Retry-After is resent once. Non-2xx answers become rc_error_from_http() errors,
 * connection failures RC_ERROR_NETWORK, cancellation G_IO_ERROR_CANCELLED. */
void rc_http_send_async (RcHttp *self, const RcHttpRequest *request, GCancellable *cancellable,
                         GAsyncReadyCallback callback, gpointer user_data);
GBytes *rc_http_send_finish (RcHttp *self, GAsyncResult *result, GError **error);

/* Opens a WebSocket on this RcHttp's SoupSession (soup_session_websocket_connect_async). @url is
 * absolute: wss://, or ws:// only to a loopback host (else RC_ERROR_INVALID_SETTINGS, nothing
 * sent). The answer is a SoupWebsocketConnection (full reference) whose incoming frames are capped
 * at RC_HTTP_WS_MAX_PAYLOAD bytes (a bigger frame closes it). A failed handshake or connection is
 * RC_ERROR_NETWORK, cancellation G_IO_ERROR_CANCELLED. The URL is only ever logged redacted. */
#define RC_HTTP_WS_MAX_PAYLOAD (2 * 1024 * 1024)
void rc_http_websocket_connect_async (RcHttp *self, const char *url, GCancellable *cancellable,
                                      GAsyncReadyCallback callback, gpointer user_data);
SoupWebsocketConnection *rc_http_websocket_connect_finish (RcHttp *self, GAsyncResult *result,
                                                           GError **error);

/* Server time (fact sheet §4 "Server time"): every answer's HTTP Date header is remembered with
 * the monotonic time it arrived. Returns Unix seconds by the server's clock (that Date plus the
 * monotonic time elapsed since), or the local wall clock before any Date was seen. */
gint64 rc_http_server_now (RcHttp *self);

/* Proxies (rc-http-net.c). @proxy_uri: NULL = the environment (GLib's default GProxyResolver:
 * http_proxy/https_proxy/no_proxy or the desktop's settings); "direct://" = no proxy at all;
 * "http://[user:password@]host:port", "socks5://…", "socks4a://…" or "socks4://…" = that proxy
 * for every request and the WebSocket (a GSimpleProxyResolver; user and password percent-encoded).
 * Anything else is RC_ERROR_INVALID_SETTINGS; the message never contains the password. */
gboolean rc_http_set_proxy (RcHttp *self, const char *proxy_uri, GError **error);

/* The proxy's user name and password (copied; NULL: none), which rc_http_set_proxy() takes from
 * the proxy URI: answered to a proxy's 407 (once per message, CONNECT tunnels included), and for
 * an HTTP proxy (@scheme "http") sent with every plain http:// or ws:// request (absolute form),
 * never inside an https:// tunnel. A final 407 is RC_ERROR_NETWORK. */
void rc_http_set_proxy_credentials (RcHttp *self, const char *scheme, const char *user,
                                    const char *password);
/* Connects the proxy authentication above to @msg (every request and the WebSocket). */
void rc_http_prepare_message (RcHttp *self, SoupMessage *msg);

/* The RC_ERROR_NETWORK error for a request or WebSocket that got no answer (@error, any domain),
 * "@what: reason": a TLS failure says the server's certificate could not be verified (there is no
 * way to accept such a certificate), a proxy failure names the proxy. Never contains a credential. */
GError *rc_http_network_error (const GError *error, const char *what);

/* The session (rc-http-net.c opens the WebSocket on it). Borrowed. */
SoupSession *rc_http_get_session (RcHttp *self);

/* Test hook: maximum hold in seconds (default 600) so a hostile Retry-After cannot stall us. */
void rc_http_set_max_hold (RcHttp *self, guint seconds);

G_END_DECLS
