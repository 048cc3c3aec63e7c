/* rc-http.h (internal): one SoupSession per account, request building, rate-limit holds and
 * secret-free logging. Only rc-client.c uses it. */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define RC_TYPE_HTTP (rc_http_get_type ())
G_DECLARE_FINAL_TYPE (RcHttp, rc_http, RC, HTTP, GObject)

/* One request. Strings are copied by rc_http_send_async(). */
typedef struct {
  const char *method;        /* "GET", "POST", ... */
  const char *path;          /* "/restapi/..." (query included) or an absolute URL */
  const char *content_type;  /* type of @body, NULL without a body */
  GBytes *body;              /* may be NULL */
  const char *authorization; /* Authorization header value, or NULL */
  gboolean token_endpoint;   /* /restapi/oauth/token: 400/401 mean bad credentials */
  const char *accept;        /* Accept header value, NULL = "application/json" */
} RcHttpRequest;

/* Checks and normalises a server URL: https://, or http:// only to a loopback host; no trailing
 * slash, no query or fragment. RC_ERROR_INVALID_SETTINGS with a reason otherwise. */
char *rc_http_normalize_server_url (const char *url, GError **error);

/* TRUE when @host is 127.0.0.0/8, ::1 or localhost. */
gboolean rc_http_host_is_loopback (const char *host);

/* TRUE when @a and @b have the same scheme, host and (effective) port. */
gboolean rc_http_same_origin (const char *a, const char *b);

/* A copy of @text with the values of access_token=, assertion=, refresh_token=, token=,
 * client_secret=, code= and Bearer/Basic credentials replaced by "[redacted]". */
char *rc_http_redact (const char *text);

/* @base_url must come from rc_http_normalize_server_url(). */
RcHttp *rc_http_new (const char *base_url);
const char *rc_http_get_base_url (RcHttp *self);

/* Sends @request (after any rate-limit hold is over) and returns the 2xx body. A 429 holds every
 * request of this RcHttp for Retry-After seconds (30 when absent) and resends, at most twice; a
 * 503 with Retry-After is resent once. Non-2xx answers become rc_error_from_http() errors,
 * connection failures RC_ERROR_NETWORK, cancellation G_IO_ERROR_CANCELLED. */
void rc_http_send_async (RcHttp *self, const RcHttpRequest *request, GCancellable *cancellable,
                         GAsyncReadyCallback callback, gpointer user_data);
GBytes *rc_http_send_finish (RcHttp *self, GAsyncResult *result, GError **error);

/* Test hook: maximum hold in seconds (default 600) so a hostile Retry-After cannot stall us. */
void rc_http_set_max_hold (RcHttp *self, guint seconds);

G_END_DECLS
