/* rc-client-private.h (internal): the general authenticated request that rc-client.c and
 * rc-client-media.c share, the one rule for where our bearer token may go, and the HTTP layer
 * rc-client-net.c configures. */
#pragma once

#include "rc-client.h"
#include "rc-http.h"

G_BEGIN_DECLS

/* One authenticated call. Strings and @body are copied/referenced by the call. */
typedef struct {
  const char *method;
  const char *path; /* "/restapi/..." or an absolute URL allowed by rc_client_token_allowed() */
  const char *content_type; /* of @body; NULL: application/octet-stream (ignored without a body) */
  const char *accept;       /* NULL: application/json */
  GBytes *body;             /* or NULL */
  gsize max_bytes;          /* 0: unbounded; else RcHttpRequest.max_bytes */
  gboolean media;           /* the URL may also be the server's media host (attachment content) */
  RcHttpSinkFunc sink;      /* or NULL: RcHttpRequest.sink (a 2xx body is handed there as it is
                             * read; the finish then gives empty bytes) */
  gpointer sink_data;
} RcClientCall;

/* The token rule, the only place it is decided (ringcentral-api.md §1 "Servers", §4
 * "Attachments"): the bearer token goes to the configured server's origin (scheme, host, port),
 * and, when @media, also to RingCentral's media host for that server
 * (rc_client_get_media_origin()). Nothing else, ever: not another RingCentral host, not a redirect
 * target, not plain http:// except to a loopback server that is itself the configured one. */
gboolean rc_client_token_allowed (RcClient *self, const char *url, gboolean media);

/* rc_client_request_bytes_async() with every knob: a URL outside the token rule fails at once
 * (RC_ERROR_NOT_PERMITTED when @call->media, else RC_ERROR_INVALID_INPUT) and nothing is sent.
 * Finish with rc_client_request_bytes_finish(). */
void rc_client_request_full_async (RcClient *self, const RcClientCall *call,
                                   GCancellable *cancellable, GAsyncReadyCallback callback,
                                   gpointer user_data);

/* The client secret (borrowed; NULL: a public client). Never log it. */
const char *rc_client_get_client_secret (RcClient *self);

/* The client's RcHttp (borrowed), or NULL once the client is disposed. */
RcHttp *rc_client_get_http (RcClient *self);

G_END_DECLS
