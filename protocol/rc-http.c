/* rc-http.c: one SoupSession per account, request building, rate-limit holds, secret-free logs. */
#include "rc-http.h"

#include <glib/gi18n-lib.h>
#include <libsoup/soup.h>
#include <string.h>

#include "rc-error.h"
#include "rc-json.h"
#include "rc-rate-limit.h"

#define RC_HTTP_USER_AGENT    "purple-ringcentral/0.1"
#define RC_HTTP_TIMEOUT_S     30 /* libsoup's: per read or write, not per request */
#define RC_HTTP_DEFAULT_HOLD  30 /* seconds, when a 429 carries no Retry-After */
#define RC_HTTP_MAX_429_WAITS 2
#define RC_HTTP_UPLOAD_RATE   32768 /* bytes/s a request body is given on top of the deadline */
/* Connections to the server at once (libsoup's default is 2): the registration checks
 * (RC_REGISTRATION_CONCURRENCY), a number page asked for ahead and the first catch-up run side by
 * side at sign-on; with 2 they queued, a round trip each (bench-signon --latency). Each connection
 * is kept alive and reused, as with 2. */
#define RC_HTTP_MAX_CONNS_PER_HOST 6

struct _RcHttp {
  GObject parent_instance;
  SoupSession *session;
  char *base_url;
  RcRateLimit *gate;     /* per-group pacing and 429/503 holds (rc-rate-limit.h) */
  guint deadline_s;      /* rc_http_set_deadline(): 0 = rc_http_deadline() */
  gint64 server_date_s;  /* last HTTP Date header seen (Unix s), 0 before any */
  gint64 server_date_at; /* monotonic µs when it arrived */
};

G_DEFINE_FINAL_TYPE (RcHttp, rc_http, G_TYPE_OBJECT)

typedef struct {
  char *method;
  char *url;
  char *log_path; /* path + redacted query, safe to log */
  char *content_type;
  char *accept; /* or NULL: application/json */
  GBytes *body;
  char *authorization;
  gboolean token_endpoint;
  char *tag;         /* RcHttpRequest.tag, for "held" */
  RcRateGroup group; /* its rate-limit group (rc_rate_group_for()) */
  gint64 taken_at;   /* when the running attempt was counted against it (monotonic µs) */
  gboolean settled;  /* ... and its count moved to when it was written (rc_rate_limit_settle) */
  guint waits_429;
  gboolean retried_503;
  gsize max_bytes;      /* a 2xx answer longer than this is refused (rc_http_answer_limit()) */
  gboolean is_file;     /* RcHttpRequest.max_bytes was given: a download, not a JSON answer */
  guint deadline_s;     /* each attempt must be over within this (rc_http_deadline()) */
  SoupMessage *msg;     /* the message being read */
  GInputStream *stream; /* its body */
  GByteArray *buf;      /* what came so far */
  GCancellable *attempt_cancel; /* cancels this attempt: the caller's cancel or the deadline */
  gulong chain_id;              /* the caller's cancellable → attempt_cancel */
  GSource *deadline_source;
  gboolean timed_out; /* the deadline cancelled the attempt */
  RcHttpSinkFunc sink;  /* RcHttpRequest.sink: a 2xx body goes there, not into @buf */
  gpointer sink_data;
  gsize sunk;           /* bytes of this attempt's body given to @sink */
} SendData;

static void
send_data_clear_read (SendData *data)
{
  g_clear_object (&data->stream);
  g_clear_object (&data->msg);
  g_clear_pointer (&data->buf, g_byte_array_unref);
}

/* Ends the running attempt: its deadline, its cancellable, its rate-limit count settled (every
 * attempt ends here, once). */
static void
attempt_end (GTask *task)
{
  SendData *data = g_task_get_task_data (task);
  RcHttp *self = g_task_get_source_object (task);

  if (!data->settled)
    rc_rate_limit_settle (self->gate, data->group, data->taken_at, g_get_monotonic_time ());
  data->settled = TRUE;
  if (data->deadline_source != NULL) {
    g_source_destroy (data->deadline_source);
    g_clear_pointer (&data->deadline_source, g_source_unref);
  }
  if (data->chain_id != 0)
    g_cancellable_disconnect (g_task_get_cancellable (task), data->chain_id);
  data->chain_id = 0;
  g_clear_object (&data->attempt_cancel);
}

static void
send_data_free (SendData *data)
{
  if (data->deadline_source != NULL) {
    g_source_destroy (data->deadline_source);
    g_clear_pointer (&data->deadline_source, g_source_unref);
  }
  g_clear_object (&data->attempt_cancel);
  send_data_clear_read (data);
  g_free (data->method);
  g_free (data->url);
  g_free (data->log_path);
  g_free (data->content_type);
  g_free (data->accept);
  g_free (data->tag);
  g_clear_pointer (&data->body, g_bytes_unref);
  if (data->authorization != NULL)
    memset (data->authorization, 0, strlen (data->authorization));
  g_free (data->authorization);
  g_free (data);
}

/* ---- object ---- */

static void
rc_http_finalize (GObject *object)
{
  RcHttp *self = RC_HTTP (object);

  if (self->gate != NULL)
    g_signal_handlers_disconnect_by_data (self->gate, self);
  g_clear_object (&self->gate);
  g_clear_object (&self->session);
  g_free (self->base_url);
  G_OBJECT_CLASS (rc_http_parent_class)->finalize (object);
}

enum { SIGNAL_HELD, N_SIGNALS };
static guint signals[N_SIGNALS];

static void
rc_http_class_init (RcHttpClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = rc_http_finalize;

  signals[SIGNAL_HELD]
      = g_signal_new ("held", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                      G_TYPE_NONE, 2, G_TYPE_UINT, G_TYPE_STRING);
}

/* RcRateLimit "held" → "held" (same arguments). */
static void
gate_held (RcRateLimit *gate, guint seconds, const char *tag, gpointer user_data)
{
  g_signal_emit (user_data, signals[SIGNAL_HELD], 0, seconds, tag);
}

SoupSession *
rc_http_get_session (RcHttp *self)
{
  g_return_val_if_fail (RC_IS_HTTP (self), NULL);
  return self->session;
}

static void
rc_http_init (RcHttp *self)
{
  self->session = soup_session_new_with_options (
      "user-agent", RC_HTTP_USER_AGENT, "timeout", RC_HTTP_TIMEOUT_S, "idle-timeout", 60,
      "max-conns-per-host", RC_HTTP_MAX_CONNS_PER_HOST, NULL);
  self->gate = rc_rate_limit_new (RC_HTTP_MAX_HOLD_S);
  g_signal_connect (self->gate, "held", G_CALLBACK (gate_held), self);
}

RcHttp *
rc_http_new (const char *base_url)
{
  RcHttp *self;

  g_return_val_if_fail (base_url != NULL, NULL);
  self = g_object_new (RC_TYPE_HTTP, NULL);
  self->base_url = g_strdup (base_url);
  return self;
}

const char *
rc_http_get_base_url (RcHttp *self)
{
  g_return_val_if_fail (RC_IS_HTTP (self), NULL);
  return self->base_url;
}

void
rc_http_set_max_hold (RcHttp *self, guint seconds)
{
  g_return_if_fail (RC_IS_HTTP (self));
  rc_rate_limit_set_max_hold (self->gate, seconds);
}

void
rc_http_set_deadline (RcHttp *self, guint seconds)
{
  g_return_if_fail (RC_IS_HTTP (self));
  self->deadline_s = seconds;
}

/* Answers that are lists of many records (message-sync, message-store lists, contact pages):
 * they get RC_HTTP_MAX_LIST_ANSWER and RC_HTTP_LIST_DEADLINE_S. */
static gboolean
is_list_path (const char *path)
{
  static const char *const lists[]
      = { "/message-sync", "/message-store", "/address-book/contact", "/directory/entries" };
  g_autoptr (GUri) uri = NULL;
  const char *p = path;

  if (path == NULL)
    return FALSE;
  if (path[0] != '/') {
    uri = g_uri_parse (path, G_URI_FLAGS_NONE, NULL);
    p = uri != NULL ? g_uri_get_path (uri) : "";
  }
  for (gsize i = 0; i < G_N_ELEMENTS (lists); i++) {
    const char *hit = strstr (p, lists[i]);

    if (hit != NULL
        && (hit[strlen (lists[i])] == '\0' || hit[strlen (lists[i])] == '?'
            || hit[strlen (lists[i])] == '/'))
      return TRUE;
  }
  return FALSE;
}

gsize
rc_http_answer_limit (const char *path)
{
  return is_list_path (path) ? RC_HTTP_MAX_LIST_ANSWER : RC_HTTP_MAX_ANSWER;
}

guint
rc_http_deadline (const char *path, gsize body_len)
{
  guint base = is_list_path (path) ? RC_HTTP_LIST_DEADLINE_S : RC_HTTP_DEADLINE_S;

  return base + (guint)MIN (body_len / RC_HTTP_UPLOAD_RATE, 3600);
}

/* ---- sending ---- */

static void dispatch (GTask *task);

/* Server time: keeps the answer's Date header with the monotonic time it arrived. */
static void
remember_date (RcHttp *self, SoupMessage *msg)
{
  const char *value
      = soup_message_headers_get_one (soup_message_get_response_headers (msg), "Date");
  g_autoptr (GDateTime) when = value ? soup_date_time_new_from_http_string (value) : NULL;

  if (when == NULL)
    return;
  self->server_date_s = g_date_time_to_unix (when);
  self->server_date_at = g_get_monotonic_time ();
}

gint64
rc_http_server_now (RcHttp *self)
{
  g_return_val_if_fail (RC_IS_HTTP (self), 0);
  if (self->server_date_at == 0)
    return g_get_real_time () / G_USEC_PER_SEC;
  return self->server_date_s + (g_get_monotonic_time () - self->server_date_at) / G_USEC_PER_SEC;
}

gboolean
rc_http_knows_server_time (RcHttp *self)
{
  g_return_val_if_fail (RC_IS_HTTP (self), FALSE);
  return self->server_date_at != 0;
}

/* A request that got no answer: cancelled by the caller, over its deadline, or another failure
 * (RC_ERROR_NETWORK both). Takes @task's reference. */
static void
transport_failed (GTask *task, GError *error)
{
  SendData *data = g_task_get_task_data (task);
  g_autofree char *safe = rc_http_redact (error->message);

  attempt_end (task);
  send_data_clear_read (data);
  if (g_task_return_error_if_cancelled (task)) {
    g_object_unref (task);
    return;
  }
  g_debug ("%s %s failed: %s", data->method, data->log_path, safe);
  if (data->timed_out)
    g_task_return_new_error (task, RC_ERROR, RC_ERROR_NETWORK,
                             _ ("Could not reach RingCentral: no complete answer within %u "
                                "seconds."),
                             data->deadline_s);
  else
    g_task_return_error (task, rc_http_network_error (error, _ ("Could not reach RingCentral")));
  g_object_unref (task);
}

/* An answer of @msg with @bytes: the 2xx body, a wait and a resend, or an error. Takes @task. */
static void
answer (GTask *task, SoupMessage *msg, GBytes *bytes)
{
  RcHttp *self = g_task_get_source_object (task);
  SendData *data = g_task_get_task_data (task);
  guint status = soup_message_get_status (msg);

  gsize len = 0;
  const char *body = g_bytes_get_data (bytes, &len);
  g_autoptr (GBytes) error_body = NULL;

  attempt_end (task);
  g_debug ("%s %s -> %u", data->method, data->log_path, status);
  rc_rate_limit_observe (self->gate, data->group, soup_message_get_response_headers (msg),
                         g_get_monotonic_time ());
  remember_date (self, msg);

  if (status >= 200 && status <= 299) {
    /* Not scanned for nesting here: every parser of a 2xx body (rc_json_parse(), the one entry
     * for server JSON, and the streaming splitter rc-json-stream.c) refuses nesting deeper than
     * RC_JSON_MAX_DEPTH itself, in the pass it makes anyway (a second full pass of a 0.9 MB
     * number page on the main loop, issue 10); a body nobody parses needs no guard. */
    g_task_return_pointer (task, g_bytes_ref (bytes), (GDestroyNotify)g_bytes_unref);
    g_object_unref (task);
    return;
  }
  if (status >= 300 && status <= 399) {
    /* SOUP_MESSAGE_NO_REDIRECT: a redirect could take the request (its sync token, its body) to
     * another host or to plain http:// and have us use a foreign answer. RingCentral's API never
     * redirects (fact sheet §1 "Servers"); nothing is followed. */
    g_debug ("%s %s: redirect (HTTP %u) refused", data->method, data->log_path, status);
    g_task_return_new_error (task, RC_ERROR, RC_ERROR_BAD_RESPONSE,
                             _ ("RingCentral answered with a redirect to another address (HTTP "
                                "%u); redirects are not followed."),
                             status);
    g_object_unref (task);
    return;
  }
  /* An error body is only read for its errorCode: a deep one is not worth a parser's stack. */
  if (!rc_json_depth_ok (body, len, RC_JSON_MAX_DEPTH)) {
    g_debug ("%s %s: error body nested too deeply, ignored", data->method, data->log_path);
    error_body = g_bytes_new_static ("", 0);
  } else
    error_body = g_bytes_ref (bytes);

  if (status == 429 && data->waits_429 < RC_HTTP_MAX_429_WAITS) {
    gboolean present;
    guint secs = rc_rate_limit_parse_retry_after (soup_message_get_response_headers (msg),
                                                  RC_HTTP_DEFAULT_HOLD, &present);

    data->waits_429++;
    secs = rc_rate_limit_hold (self->gate, secs, TRUE, g_get_monotonic_time ());
    g_debug ("429: holding every request for %u s", secs);
    send_data_clear_read (data);
    dispatch (task);
    return;
  }
  if (status == 503 && !data->retried_503) {
    gboolean present;
    guint secs
        = rc_rate_limit_parse_retry_after (soup_message_get_response_headers (msg), 0, &present);

    if (present) {
      data->retried_503 = TRUE;
      secs = rc_rate_limit_hold (self->gate, secs, FALSE, g_get_monotonic_time ());
      g_debug ("503: holding every request for %u s", secs);
      send_data_clear_read (data);
      dispatch (task);
      return;
    }
  }

  if (status == SOUP_STATUS_PROXY_AUTHENTICATION_REQUIRED)
    g_task_return_new_error (task, RC_ERROR, RC_ERROR_NETWORK,
                             _ ("Could not reach RingCentral through the proxy: the proxy refused "
                                "the connection (HTTP 407: check the proxy's user name and "
                                "password)."));
  else
    g_task_return_error (task, rc_error_from_http (status, error_body, data->token_endpoint));
  g_object_unref (task);
}

/* ---- bounded reads: every answer (rc_http_answer_limit(), RcHttpRequest.max_bytes) ---- */

#define RC_HTTP_READ_CHUNK     65536
#define RC_HTTP_ERROR_BODY_MAX 65536 /* an error answer is read this far, for its errorCode */

static gboolean
answer_is_2xx (SendData *data)
{
  guint status = soup_message_get_status (data->msg);

  return status >= 200 && status <= 299;
}

static void
too_large (GTask *task)
{
  SendData *data = g_task_get_task_data (task);
  /* In MB of 1,000,000 bytes, as RingCentral states its 1.5 MB (same form as rc-mms.c). */
  g_autofree char *limit = data->max_bytes >= 100000
                               ? g_strdup_printf (_ ("%.1f MB"), data->max_bytes / 1000000.0)
                               : g_format_size (data->max_bytes);

  g_debug ("%s %s: answer over %" G_GSIZE_FORMAT " bytes, not read", data->method, data->log_path,
           data->max_bytes);
  attempt_end (task);
  send_data_clear_read (data); /* dropping the unread stream closes the connection */
  if (data->is_file)
    g_task_return_new_error (task, RC_ERROR, RC_ERROR_BAD_RESPONSE,
                             _ ("The file is larger than %s, the most that is downloaded."), limit);
  else
    g_task_return_new_error (task, RC_ERROR, RC_ERROR_BAD_RESPONSE,
                             _ ("RingCentral sent an answer larger than %s; it was not read."),
                             limit);
  g_object_unref (task);
}

static void read_next (GTask *task);

static void
read_done (GObject *source, GAsyncResult *result, gpointer user_data)
{
  GTask *task = user_data;
  SendData *data = g_task_get_task_data (task);
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) chunk
      = g_input_stream_read_bytes_finish (G_INPUT_STREAM (source), result, &error);
  gsize limit = answer_is_2xx (data) ? data->max_bytes : RC_HTTP_ERROR_BODY_MAX;

  if (chunk == NULL) {
    send_data_clear_read (data);
    transport_failed (task, error);
    return;
  }
  if (g_bytes_get_size (chunk) > 0 && data->sink != NULL && answer_is_2xx (data)) {
    data->sunk += g_bytes_get_size (chunk);
    if (data->sunk > limit) {
      too_large (task);
      return;
    }
    if (!data->sink (g_bytes_get_data (chunk, NULL), g_bytes_get_size (chunk), data->sink_data,
                     &error)) {
      g_debug ("%s %s: answer refused while read: %s", data->method, data->log_path,
               error->message);
      attempt_end (task);
      send_data_clear_read (data);
      g_task_return_error (task, g_steal_pointer (&error));
      g_object_unref (task);
      return;
    }
    read_next (task);
    return;
  }
  if (g_bytes_get_size (chunk) > 0) {
    g_byte_array_append (data->buf, g_bytes_get_data (chunk, NULL), g_bytes_get_size (chunk));
    if (data->buf->len <= limit) {
      read_next (task);
      return;
    }
    if (answer_is_2xx (data)) {
      too_large (task);
      return;
    }
    g_byte_array_set_size (data->buf, limit); /* an error body: its start is enough */
  }
  {
    g_autoptr (SoupMessage) msg = g_object_ref (data->msg);
    g_autoptr (GBytes) bytes = g_byte_array_free_to_bytes (g_steal_pointer (&data->buf));

    send_data_clear_read (data);
    answer (task, msg, bytes);
  }
}

/* Reads at most the limit plus one chunk: one byte more than the limit is enough to know. */
static void
read_next (GTask *task)
{
  SendData *data = g_task_get_task_data (task);
  gsize limit = answer_is_2xx (data) ? data->max_bytes : RC_HTTP_ERROR_BODY_MAX;
  gsize got = data->sink != NULL && answer_is_2xx (data) ? data->sunk : data->buf->len;
  gsize want = MIN (RC_HTTP_READ_CHUNK, limit + 1 - got);

  g_input_stream_read_bytes_async (data->stream, want, G_PRIORITY_DEFAULT, data->attempt_cancel,
                                   read_done, task);
}

static void
bounded_sent (GObject *source, GAsyncResult *result, gpointer user_data)
{
  GTask *task = user_data;
  SendData *data = g_task_get_task_data (task);
  g_autoptr (GError) error = NULL;
  GInputStream *stream = soup_session_send_finish (SOUP_SESSION (source), result, &error);
  SoupMessageHeaders *hdrs;

  if (stream == NULL) {
    transport_failed (task, error);
    return;
  }
  data->stream = stream;
  data->msg = g_object_ref (soup_session_get_async_result_message (SOUP_SESSION (source), result));
  data->buf = g_byte_array_new ();
  data->sunk = 0;
  hdrs = soup_message_get_response_headers (data->msg);
  /* Content-Length counts encoded bytes: only without Content-Encoding is it the size we read
   * (libsoup decodes gzip into the stream; the read above bounds what it decodes). */
  if (answer_is_2xx (data) && soup_message_headers_get_one (hdrs, "Content-Encoding") == NULL
      && soup_message_headers_get_encoding (hdrs) == SOUP_ENCODING_CONTENT_LENGTH
      && soup_message_headers_get_content_length (hdrs) > (goffset)data->max_bytes) {
    too_large (task);
    return;
  }
  read_next (task);
}

/* libsoup 3.2 resends a GET (any idempotent method) by itself when a reused keep-alive connection
 * closes before any answer byte (request_is_restartable() in soup-client-message-io-http1.c).
 * Debian 12's libsoup 3.2.3 can then crash reading the resent message's response stream (a NULL
 * I/O in soup_client_message_io_get_response_stream, seen when a server closed reused
 * connections after reading message-sync requests, over and over). That resend happens only on
 * a connection that was used before, so the workaround gives the resend a new connection
 * (SOUP_MESSAGE_NEW_CONNECTION): it is then libsoup's one and only resend — a new connection is
 * never restartable — and it cannot land on another stale pooled connection. Keep-alive stays
 * for every other request. A POST is never resent by libsoup (its method is not idempotent:
 * SOUP_MESSAGE_IDEMPOTENT does not change request_is_restartable()). Restarts for a 407 (proxy
 * authentication) have a status and keep their connection. */
static void
message_restarted (SoupMessage *msg, gpointer user_data)
{
  if (soup_message_get_status (msg) == SOUP_STATUS_NONE) {
    g_debug ("libsoup resends a request whose connection closed; on a new connection");
    soup_message_add_flags (msg, SOUP_MESSAGE_NEW_CONNECTION);
  }
}

static void
cancel_attempt (GCancellable *cancellable, gpointer user_data)
{
  g_cancellable_cancel (user_data);
}

static gboolean
deadline_cb (gpointer user_data)
{
  GTask *task = user_data;
  SendData *data = g_task_get_task_data (task);

  g_debug ("%s %s: no complete answer after %u s, given up", data->method, data->log_path,
           data->deadline_s);
  data->timed_out = TRUE;
  g_clear_pointer (&data->deadline_source, g_source_unref);
  g_cancellable_cancel (data->attempt_cancel);
  return G_SOURCE_REMOVE;
}

/* TRUE when @value can go into a header as it is (printable ASCII and spaces: no CR/LF). */
static gboolean
header_value_ok (const char *value)
{
  for (const char *p = value; *p != '\0'; p++)
    if (*p < 0x20 || *p > 0x7e)
      return FALSE;
  return TRUE;
}

/* The request left (libsoup queues it while its connections are busy): from now on it counts
 * against its rate-limit group, as the server counts it on arrival. */
static void
request_written (SoupMessage *msg, gpointer user_data)
{
  GTask *task = user_data;
  SendData *data = g_task_get_task_data (task);
  RcHttp *self = g_task_get_source_object (task);

  if (data->settled)
    return;
  rc_rate_limit_settle (self->gate, data->group, data->taken_at, g_get_monotonic_time ());
  data->settled = TRUE;
}

static void
send_now (GTask *task)
{
  RcHttp *self = g_task_get_source_object (task);
  SendData *data = g_task_get_task_data (task);
  GCancellable *cancellable = g_task_get_cancellable (task);
  g_autoptr (SoupMessage) msg = NULL;
  SoupMessageHeaders *hdrs;

  if (data->authorization != NULL && !header_value_ok (data->authorization)) {
    g_task_return_new_error (task, RC_ERROR, RC_ERROR_AUTH_FAILED,
                             _ ("The RingCentral session holds a token that cannot be sent; "
                                "sign in again."));
    g_object_unref (task);
    return;
  }
  msg = soup_message_new (data->method, data->url);
  if (msg == NULL) {
    g_task_return_new_error (task, RC_ERROR, RC_ERROR_INVALID_INPUT,
                             _ ("Could not build a request for %s."), data->log_path);
    g_object_unref (task);
    return;
  }
  rc_http_prepare_message (self, msg);
  hdrs = soup_message_get_request_headers (msg);
  soup_message_headers_replace (hdrs, "Accept", data->accept ? data->accept : "application/json");
  if (data->authorization != NULL)
    soup_message_headers_replace (hdrs, "Authorization", data->authorization);
  /* Never follow a redirect (answer() refuses 3xx): it could carry the credential, the sync
   * token or a body to wherever the answer points, and hand us a foreign answer. */
  soup_message_add_flags (msg, SOUP_MESSAGE_NO_REDIRECT);
  g_signal_connect (msg, "restarted", G_CALLBACK (message_restarted), NULL);
  data->settled = FALSE;
  g_signal_connect_object (msg, "wrote-body", G_CALLBACK (request_written), task, 0);
  if (data->body != NULL)
    soup_message_set_request_body_from_bytes (
        msg, data->content_type ? data->content_type : "application/octet-stream", data->body);
  /* Keep-alive for POSTs too. libsoup 3 gives every POST a new connection unless the message is
   * flagged IDEMPOTENT (soup-connection-manager.c: need_new_connection): a TCP connect, a proxy
   * lookup in a thread and on https a TLS handshake for every text. The flag only lets the POST
   * reuse an idle connection; whether libsoup resends a request by itself when a reused
   * connection turns out closed is decided on the method alone (request_is_restartable () in
   * soup-client-message-io-http1.c and the HTTP/2 twin test SOUP_METHOD_IS_IDEMPOTENT, which
   * POST is not), so a POST is still never sent twice: such a failure comes back as an error. */
  soup_message_add_flags (msg, SOUP_MESSAGE_IDEMPOTENT);

  /* libsoup's timeout is per read: an answer dripping a byte a second would never end. Each
   * attempt gets an overall deadline; the caller's cancellable still cancels it. */
  data->timed_out = FALSE;
  data->attempt_cancel = g_cancellable_new ();
  if (cancellable != NULL)
    data->chain_id = g_cancellable_connect (cancellable, G_CALLBACK (cancel_attempt),
                                            g_object_ref (data->attempt_cancel), g_object_unref);
  data->deadline_s
      = self->deadline_s > 0
            ? self->deadline_s
            : rc_http_deadline (data->url, data->body ? g_bytes_get_size (data->body) : 0);
  data->deadline_source = g_timeout_source_new_seconds (data->deadline_s);
  g_source_set_callback (data->deadline_source, deadline_cb, task, NULL);
  g_source_attach (data->deadline_source, g_task_get_context (task));
  soup_session_send_async (self->session, msg, G_PRIORITY_DEFAULT, data->attempt_cancel,
                           bounded_sent, task);
}

static void
waited (GObject *source, GAsyncResult *result, gpointer user_data)
{
  GTask *task = user_data;
  g_autoptr (GError) error = NULL;

  if (!rc_rate_limit_wait_finish (RC_RATE_LIMIT (source), result, &error)) {
    g_task_return_error (task, g_steal_pointer (&error));
    g_object_unref (task);
    return;
  }
  dispatch (task);
}

/* Sends @task's request when its rate-limit group has room and no hold is on (rc-rate-limit.h),
 * else waits for that first. Takes @task's reference. */
static void
dispatch (GTask *task)
{
  RcHttp *self = g_task_get_source_object (task);
  SendData *data = g_task_get_task_data (task);

  if (g_task_return_error_if_cancelled (task)) {
    g_object_unref (task);
    return;
  }
  data->taken_at = g_get_monotonic_time ();
  if (rc_rate_limit_try_take (self->gate, data->group, data->taken_at)) {
    send_now (task);
    return;
  }
  rc_rate_limit_wait_async (self->gate, data->group, data->tag, g_task_get_cancellable (task),
                            waited, task);
}

static char *
make_log_path (const char *url)
{
  g_autoptr (GUri) uri = g_uri_parse (url, G_URI_FLAGS_NONE, NULL);
  g_autofree char *redacted = NULL;

  if (uri == NULL)
    return g_strdup ("(invalid URL)");
  if (g_uri_get_query (uri) == NULL)
    return g_strdup (g_uri_get_path (uri));
  redacted = rc_http_redact (g_uri_get_query (uri));
  return g_strdup_printf ("%s?%s", g_uri_get_path (uri), redacted);
}

void
rc_http_send_async (RcHttp *self, const RcHttpRequest *request, GCancellable *cancellable,
                    GAsyncReadyCallback callback, gpointer user_data)
{
  GTask *task;
  SendData *data;
  g_autoptr (GUri) uri = NULL;

  g_return_if_fail (RC_IS_HTTP (self));
  g_return_if_fail (request != NULL && request->method != NULL && request->path != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, rc_http_send_async);
  data = g_new0 (SendData, 1);
  data->method = g_strdup (request->method);
  if (request->path[0] == '/')
    data->url = g_strconcat (self->base_url, request->path, NULL);
  else
    data->url = g_strdup (request->path);
  data->log_path = make_log_path (data->url);
  data->content_type = g_strdup (request->content_type);
  data->accept = g_strdup (request->accept);
  data->body = request->body ? g_bytes_ref (request->body) : NULL;
  data->authorization = g_strdup (request->authorization);
  data->token_endpoint = request->token_endpoint;
  data->tag = g_strdup (request->tag);
  data->group = rc_rate_group_for (data->method, data->url);
  data->is_file = request->max_bytes > 0;
  data->max_bytes
      = request->max_bytes > 0 ? request->max_bytes : rc_http_answer_limit (request->path);
  data->sink = request->sink;
  data->sink_data = request->sink_data;
  g_task_set_task_data (task, data, (GDestroyNotify)send_data_free);

  /* Never send a token over plain HTTP to anything but this machine. */
  uri = g_uri_parse (data->url, G_URI_FLAGS_NONE, NULL);
  if (uri == NULL
      || (g_ascii_strcasecmp (g_uri_get_scheme (uri), "https") != 0
          && !(g_ascii_strcasecmp (g_uri_get_scheme (uri), "http") == 0
               && rc_http_host_is_loopback (g_uri_get_host (uri))))) {
    g_task_return_new_error (task, RC_ERROR, RC_ERROR_INVALID_SETTINGS,
                             _ ("Refusing to send a request to %s: only https:// (or http:// "
                                "to this computer) is allowed."),
                             data->log_path);
    g_object_unref (task);
    return;
  }
  dispatch (task);
}

GBytes *
rc_http_send_finish (RcHttp *self, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}
