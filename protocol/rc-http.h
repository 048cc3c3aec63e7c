/* rc-http.h (internal): one SoupSession per account, request building and the rate-limit gate
 * every request passes (rc-http.c, the gate itself in rc-rate-limit.c); URL rules and secret
 * redaction (rc-http-url.c); proxies, TLS failures in words and the WebSocket (rc-http-net.c).
 * Only rc-client.c uses it. */
#pragma once

#include <gio/gio.h>
#include <libsoup/soup.h>

G_BEGIN_DECLS

#define RC_TYPE_HTTP (rc_http_get_type ())
G_DECLARE_FINAL_TYPE (RcHttp, rc_http, RC, HTTP, GObject)

/* A rate-limit wait (pacing or 429, fact sheet §6) longer than this many seconds is announced
 * ("held"); the same value as RC_RATE_NOTICE_S. */
#define RC_HTTP_HELD_NOTICE_S 5
/* The longest wait a Retry-After (429 or 503) may impose, seconds: a hostile or broken server
 * cannot stall the account longer (a debug line says when a Retry-After was clamped). */
#define RC_HTTP_MAX_HOLD_S 120

/* Largest answer read (bytes, after libsoup decoded any gzip): RC_HTTP_MAX_LIST_ANSWER for lists
 * of many records (message-sync, message-store, contacts), RC_HTTP_MAX_ANSWER for every other
 * request; an error answer is read to 64 KiB (its start is enough for the errorCode). */
#define RC_HTTP_MAX_ANSWER      (2 * 1024 * 1024)
#define RC_HTTP_MAX_LIST_ANSWER (64 * 1024 * 1024)
/* Each attempt of a request must be over (answer read to the end) within this many seconds,
 * plus one second per 32 KiB of request body (an MMS upload): libsoup's 30 s timeout is per
 * read, so an answer that drips a byte a second would never end otherwise. */
#define RC_HTTP_DEADLINE_S      60
#define RC_HTTP_LIST_DEADLINE_S 120

/* Signals:
 *   "held" (guint seconds, const char *tag): a request is about to wait @seconds (rounded up, the
 *          honest remaining time of the wait) before it is sent, because of a rate limit: its
 *          group's pacing (rc-rate-limit.h: the group's limit per window is used up) or a 429 (its
 *          own or another request's: Retry-After capped at RC_HTTP_MAX_HOLD_S) that holds every
 *          request. Only for a wait longer than RC_HTTP_HELD_NOTICE_S, and once per wait and tag:
 *          while an announced wait of a tag runs, other requests of that tag are not announced.
 *          @tag is the request's RcHttpRequest.tag (may be NULL). Not emitted for 503 waits. */

/* Receives a 2xx answer's body while it is read (RcHttpRequest.sink): @data, @len bytes (never
 * 0), in order, borrowed for the call. Returning FALSE with @error set stops the request, which
 * fails with that error. */
typedef gboolean (*RcHttpSinkFunc) (const char *data, gsize len, gpointer user_data,
                                    GError **error);

/* One request. Strings are copied by rc_http_send_async(). */
typedef struct {
  const char *method;        /* "GET", "POST", ... */
  const char *path;          /* "/restapi/..." (query included) or an absolute URL */
  const char *content_type;  /* type of @body, NULL without a body */
  GBytes *body;              /* may be NULL */
  const char *authorization; /* Authorization header value, or NULL */
  gboolean token_endpoint;   /* /restapi/oauth/token: 400/401 mean bad credentials */
  const char *accept;        /* Accept header value, NULL = "application/json" */
  gsize max_bytes;           /* a file download's limit: a 2xx answer longer than this is
                              * RC_ERROR_BAD_RESPONSE "The file is larger than ...", found from
                              * Content-Length or while reading (never buffered past max_bytes +
                              * one chunk). 0: rc_http_answer_limit (path), "RingCentral sent an
                              * answer larger than ..." */
  const char *tag;           /* opaque label handed to "held" (e.g. a conversation key), or NULL */
  RcHttpSinkFunc sink;       /* or NULL. Set: a 2xx body goes to @sink as it is read, not into
                              * the answer (which is then empty); same size limit, deadline and
                              * errors; the nesting check is the sink's (rc-json-stream.h).
                              * Only a 2xx body is sunk, so a request resent after 429/503/401 has
                              * sunk nothing before. */
  gpointer sink_data;
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

/* The answer limit (bytes) and the deadline (seconds) of a request to @path ("/restapi/..." or an
 * absolute URL) with a body of @body_len bytes; see the constants above. */
gsize rc_http_answer_limit (const char *path);
guint rc_http_deadline (const char *path, gsize body_len);

/* Sends @request and returns the 2xx body. Every attempt first passes the rate-limit gate
 * (rc-rate-limit.h): requests of a group (rc_rate_group_for(): every OAuth grant is Auth, 5 a
 * minute by default) are paced so the group's limit per window (fact sheet §6 defaults, replaced
 * by the answers' X-Rate-Limit-* headers) is never exceeded, and nothing goes out during a
 * 429/503 hold. libsoup itself never
 * resends a POST (it is not idempotent: libsoup 3 gives it a new connection and does not restart
 * it); only the explicit 429/503 waits below send it again, after the server refused it. A 429
 * holds every request of this RcHttp for Retry-After seconds (digits or an HTTP date; 30 when
 * absent or not understood; at most RC_HTTP_MAX_HOLD_S) and resends, at most twice; a 503 with
 * Retry-After is resent once. Hostile answers: a redirect (3xx) is never followed
 * (RC_ERROR_BAD_RESPONSE); an answer over its limit is RC_ERROR_BAD_RESPONSE; a 2xx body is not
 * scanned for nesting (its parser refuses nesting deeper than RC_JSON_MAX_DEPTH: rc_json_parse(),
 * rc-json-stream.h), an error body nested that deep is ignored; an attempt over its deadline is
 * RC_ERROR_NETWORK "... no complete answer within N seconds."; an Authorization value with CR/LF or
 * other control characters is not sent (RC_ERROR_AUTH_FAILED). Non-2xx answers become
 * rc_error_from_http() errors, connection failures RC_ERROR_NETWORK, cancellation
 * G_IO_ERROR_CANCELLED. */
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
/* TRUE once an answer carried a Date header (rc_http_server_now() is the server's clock then). */
gboolean rc_http_knows_server_time (RcHttp *self);

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
 * way to accept such a certificate), a proxy failure names the proxy. Never contains a credential.
 */
GError *rc_http_network_error (const GError *error, const char *what);

/* The session (rc-http-net.c opens the WebSocket on it). Borrowed. */
SoupSession *rc_http_get_session (RcHttp *self);

/* Test hook: maximum hold in seconds (default RC_HTTP_MAX_HOLD_S). */
void rc_http_set_max_hold (RcHttp *self, guint seconds);
/* Test hook: every attempt's deadline in seconds (0: rc_http_deadline(), the default). */
void rc_http_set_deadline (RcHttp *self, guint seconds);

G_END_DECLS
