/* rc-client.h: an authenticated RingCentral API client (HTTP + OAuth).
 *
 * One RcClient per account. It owns the HTTP session, the tokens and the grants (rc-auth-private.h
 * RcGrant: JWT bearer, refresh, authorization code + PKCE), refresh before expiry, on a 401 one
 * refresh and one retry. A dead refresh token falls back to one new JWT grant (never a loop) with
 * RC_AUTH_METHOD_JWT; with RC_AUTH_METHOD_BROWSER the tokens are forgotten instead and
 * rc_client_needs_authorization() turns TRUE (only the user can sign in again). Revoke on
 * sign-out. It never logs a token, JWT, code, verifier, secret or Authorization header.
 * Server certificates are always verified (GIO's TLS database): nothing here or in rc-http
 * accepts a certificate that fails, and a failure is RC_ERROR_NETWORK saying so. */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include "rc-auth.h"
#include "rc-error.h"

G_BEGIN_DECLS

#define RC_TYPE_CLIENT (rc_client_get_type ())
G_DECLARE_FINAL_TYPE (RcClient, rc_client, RC, CLIENT, GObject)

/* Signals:
 *   "tokens-changed" (void): new tokens were issued (grant or refresh); persist rc_client_get_tokens()
 *                            at once, the old refresh token is already dead.
 *   "rate-limited" (guint seconds, const char *tag): a request waits @seconds before it is sent
 *                  because of a RingCentral rate limit (fact sheet §6): its group's limit per
 *                  window is used up (every request is paced per group, rc-rate-limit.h; every
 *                  grant is in the Auth group, 5 a minute by default), or RingCentral answered
 *                  429 (its own or another request's; Retry-After, 30 s when absent, capped at
 *                  120 s: RC_HTTP_MAX_HOLD_S). Only for a wait longer than 5 s
 *                  (RC_HTTP_HELD_NOTICE_S), and once per wait and tag (a bulk send to one
 *                  conversation is told once, not per text); the request goes out by itself
 *                  afterwards. @tag: rc_client_set_request_tag() when the request started
 *                  (rc-outbox.h: a send's conversation key), or NULL. */

/* Validates @server_url (https://, or http:// only to a loopback host: 127.0.0.0/8, [::1],
 * localhost); anything else fails with RC_ERROR_INVALID_SETTINGS and a sentence saying why.
 * @client_id is required (RC_ERROR_INVALID_SETTINGS when empty); @client_secret may be NULL. */
RcClient *rc_client_new (const char *server_url, const char *client_id, const char *client_secret,
                         GError **error);

/* The normalised base URL, without a trailing slash. */
const char *rc_client_get_server_url (RcClient *self);
/* The app's client ID (not a secret: it travels in authorize URLs). */
const char *rc_client_get_client_id (RcClient *self);

/* TRUE when @url has the same scheme, host and port as the server URL. Used before following a
 * server-provided link with our token. */
gboolean rc_client_is_same_origin (RcClient *self, const char *url);

/* The media API origin for this client's server (ringcentral-api.md §1 "Servers": attachment
 * content is served from https://media.ringcentral.com for https://platform.ringcentral.com; SPEC
 * readMessageContent "must be called via media API entry point"). NULL when none is documented:
 * platform.ringcentral.biz (no media host is documented for the segregated environment), any other
 * server, and loopback servers (the simulator), whose attachments are fetched from the server's own
 * origin. Newly allocated. */
char *rc_client_get_media_origin (RcClient *self);

/* Downloads @url (an attachment's content uri) with the bearer token, only when @url is on the
 * server's own origin or its media origin (rc_client_get_media_origin()); any other host is
 * RC_ERROR_NOT_PERMITTED ("... is on another server; not downloaded.") and no request is made, so
 * the token never leaves for a host the user did not configure. A 2xx answer longer than
 * @max_bytes (> 0) is RC_ERROR_BAD_RESPONSE ("... larger than 1.5 MB ..."), known from
 * Content-Length or while reading, never buffered beyond @max_bytes plus one 64 KiB chunk. Token
 * handling, 429 waits and errors as rc_client_request_bytes_async(). Returns the bytes (full
 * reference). */
void rc_client_get_media_async (RcClient *self, const char *url, gsize max_bytes,
                                GCancellable *cancellable, GAsyncReadyCallback callback,
                                gpointer user_data);
GBytes *rc_client_get_media_finish (RcClient *self, GAsyncResult *result, GError **error);

/* Replaces the client secret given to rc_client_new() (NULL or "" clears it), e.g. once it was read
 * from a keyring; used from the next token request on. */
void rc_client_set_client_secret (RcClient *self, const char *client_secret);

/* The proxy for every request and the WebSocket. @proxy_uri: NULL = the environment (GLib's
 * default resolver: http_proxy/https_proxy/no_proxy or the desktop's settings; the default);
 * "direct://" = none; "http://[user:password@]host:port", "socks5://…", "socks4a://…",
 * "socks4://…" (user and password percent-encoded) = that proxy, for loopback servers too.
 * Anything else: RC_ERROR_INVALID_SETTINGS (the message never shows the password). A proxy that
 * refuses later makes requests fail with RC_ERROR_NETWORK "… through the proxy: …". Call before
 * the first request. */
gboolean rc_client_set_proxy (RcClient *self, const char *proxy_uri, GError **error);

/* Requests started from now on (until the next call; NULL ends it) carry @tag into
 * "rate-limited". Set it around the synchronous start of one call (rc-outbox.c does so with the
 * conversation key of each send). @tag is copied. */
void rc_client_set_request_tag (RcClient *self, const char *tag);

/* The JWT credential used for the JWT bearer grant (and as fallback when refresh fails). */
void rc_client_set_jwt (RcClient *self, const char *jwt);

/* How a new session is obtained without a live refresh token (default RC_AUTH_METHOD_JWT). */
void rc_client_set_auth_method (RcClient *self, RcAuthMethod method);
RcAuthMethod rc_client_get_auth_method (RcClient *self);
/* TRUE when the method is RC_AUTH_METHOD_BROWSER and there is no live refresh token: the next
 * grant needs the user (a browser sign-in). A fatal error (RC_ERROR_AUTH_FAILED) then means "ask
 * the user", not "give up". */
gboolean rc_client_needs_authorization (RcClient *self);

/* The authorization code grant with PKCE (fact sheet §1 "Authorization code (+PKCE)"): POST
 * /restapi/oauth/token grant_type=authorization_code&code&redirect_uri&code_verifier, client_id in
 * the body (public client) or Basic auth when a client secret is set. @redirect_uri must be the
 * one of the authorize request. On success the tokens are replaced and "tokens-changed" is
 * emitted before the finish. A refused code (wrong verifier, expired, used) is
 * RC_ERROR_AUTH_FAILED with the server's reason; RC_ERROR_AUTH_FAILED too when another grant is
 * in flight. */
void rc_client_grant_code_async (RcClient *self, const char *code, const char *redirect_uri,
                                 const char *code_verifier, GCancellable *cancellable,
                                 GAsyncReadyCallback callback, gpointer user_data);
gboolean rc_client_grant_code_finish (RcClient *self, GAsyncResult *result, GError **error);

/* Restores tokens saved earlier (NULL clears them). */
void rc_client_set_tokens (RcClient *self, const RcTokens *tokens);
/* Current tokens (never NULL; fields may be NULL/0). Owned by the client. */
const RcTokens *rc_client_get_tokens (RcClient *self);

/* Makes sure there is a usable access token: keeps a valid one, else refreshes, else runs the JWT
 * grant. Fails with RC_ERROR_AUTH_FAILED (server's reason in the message), RC_ERROR_NETWORK, ... */
void rc_client_sign_in_async (RcClient *self, GCancellable *cancellable,
                              GAsyncReadyCallback callback, gpointer user_data);
gboolean rc_client_sign_in_finish (RcClient *self, GAsyncResult *result, GError **error);

/* An authenticated call with any body. @path as for rc_client_request_async(); @content_type is
 * the type of @body (NULL without a body; @body may be NULL). Same token handling as
 * rc_client_request_async() (refresh before expiry; on 401 one refresh and one retry; 429 waits;
 * 5xx/network errors RC_ERROR_NETWORK). Returns the 2xx answer's bytes as received (full
 * reference; empty for an empty body). */
void rc_client_request_bytes_async (RcClient *self, const char *method, const char *path,
                                    const char *content_type, GBytes *body,
                                    GCancellable *cancellable, GAsyncReadyCallback callback,
                                    gpointer user_data);
GBytes *rc_client_request_bytes_finish (RcClient *self, GAsyncResult *result, GError **error);

/* An authenticated JSON call (a thin wrapper over rc_client_request_bytes_async()). @path is "/restapi/..." (query string included, already escaped) or
 * an absolute URL of the same origin (else RC_ERROR_INVALID_INPUT, nothing sent). @body may be NULL.
 * Refreshes before expiry; on 401 refreshes once and retries once; on 429 waits Retry-After (30 s
 * when absent) and sends nothing in the meantime; 5xx/network errors are RC_ERROR_NETWORK.
 * Returns the parsed JSON answer (a JSON null node for an empty 2xx body). */
void rc_client_request_async (RcClient *self, const char *method, const char *path, JsonNode *body,
                              GCancellable *cancellable, GAsyncReadyCallback callback,
                              gpointer user_data);
JsonNode *rc_client_request_finish (RcClient *self, GAsyncResult *result, GError **error);

/* rc_client_request_async() with the body's media type and the Accept header given (NULL for
 * either: JSON), for RingCentral's bulk forms, which send and answer
 * application/vnd.ringcentral.multipart+json (GUIDE/basics/batch-requests). The answer, of any
 * 2xx status (207 Multi-Status included), must still be JSON. Finish with
 * rc_client_request_finish(). */
void rc_client_request_typed_async (RcClient *self, const char *method, const char *path,
                                    JsonNode *body, const char *content_type, const char *accept,
                                    GCancellable *cancellable, GAsyncReadyCallback callback,
                                    gpointer user_data);

/* Opens a WebSocket to @url on the client's own SoupSession (fact sheet §5). @url is absolute and
 * carries its own credentials (the wstoken answer's uri plus ?access_token=...): wss://, or ws://
 * only to a loopback host, else RC_ERROR_INVALID_SETTINGS and nothing is sent. A refused
 * handshake or a connection failure is RC_ERROR_NETWORK. Incoming frames are capped at 2 MiB.
 * The URL is logged only with its access_token and wsc values redacted. Returns a full
 * reference. */
void rc_client_websocket_connect_async (RcClient *self, const char *url, GCancellable *cancellable,
                                        GAsyncReadyCallback callback, gpointer user_data);
SoupWebsocketConnection *rc_client_websocket_connect_finish (RcClient *self,
                                                             GAsyncResult *result,
                                                             GError **error);

/* Unix seconds by the server's clock (fact sheet §4 "Server time"): the last HTTP Date header any
 * answer carried plus the monotonic time since it arrived; the local wall clock before any answer
 * had a Date. Use it for every dateFrom. */
gint64 rc_client_server_now (RcClient *self);
/* TRUE once an answer carried a Date header: rc_client_server_now() is the server's clock. */
gboolean rc_client_knows_server_time (RcClient *self);

/* Revokes the session's tokens (POST /restapi/oauth/revoke) and forgets them. Server errors are
 * ignored (the guide says so); the finish only reports cancellation. */
void rc_client_revoke_async (RcClient *self, GCancellable *cancellable,
                             GAsyncReadyCallback callback, gpointer user_data);
gboolean rc_client_revoke_finish (RcClient *self, GAsyncResult *result, GError **error);

G_END_DECLS
