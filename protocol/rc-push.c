/* rc-push.c: the WebSocket push client (fact sheet §5): wstoken, ConnectionDetails, one
 * subscription, heartbeats, wsc session recovery, reconnects with backoff and jitter. */
#include "rc-push.h"
#include "rc-push-private.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "rc-error.h"
#include "rc-json.h"

#define RC_PUSH_WSTOKEN_PATH      "/restapi/oauth/wstoken"
#define RC_PUSH_SUBSCRIPTION_PATH "/restapi/v1.0/subscription/"
#define RC_PUSH_HEARTBEAT_MS      30000  /* GUIDE/notifications/websockets/heart-beats: 30 s */
#define RC_PUSH_BACKOFF_MIN_MS    1000
#define RC_PUSH_BACKOFF_MAX_MS    300000 /* 5 min */
#define RC_PUSH_RECOVERY_S        180    /* recoveryTimeout until ConnectionDetails says */
#define RC_PUSH_CLOSE_NORMAL      1000

typedef enum {
  PHASE_IDLE,        /* not started, stopped, or given up */
  PHASE_WAITING,     /* backoff timer running */
  PHASE_TOKEN,       /* POST /restapi/oauth/wstoken in flight */
  PHASE_CONNECTING,  /* WebSocket handshake in flight */
  PHASE_DETAILS,     /* open, waiting for ConnectionDetails; we send nothing */
  PHASE_SUBSCRIBING, /* subscription ClientRequest sent */
  PHASE_ACTIVE,      /* subscribed */
} Phase;

struct _RcPush {
  GObject parent_instance;
  RcClient *client;
  Phase phase;
  GCancellable *cancellable; /* this attempt's requests */
  SoupWebsocketConnection *conn;
  GError *conn_error; /* the socket's last "error", reported when it closes */
  guint retry_timer;
  guint tick_timer;
  guint heartbeat_ms;
  guint backoff_min_ms;
  guint backoff_max_ms;
  guint backoff_ms;          /* the next wait */
  gint64 phase_since;        /* monotonic µs */
  gint64 last_frame_at;      /* monotonic µs of the last frame received */
  gint64 heartbeat_sent_at;  /* monotonic µs of an unanswered Heartbeat, 0 when none */
  char *wsc_token;           /* session recovery token (a secret: never logged) */
  gint64 wsc_sequence;
  guint recovery_timeout_s;
  gint64 lost_at;            /* monotonic µs when the subscribed socket went, 0 when not lost */
  gboolean recovering;       /* this socket was opened with &wsc= */
  char *subscribe_id;        /* messageId of the subscription ClientRequest in flight */
};

G_DEFINE_FINAL_TYPE (RcPush, rc_push, G_TYPE_OBJECT)

enum { SIGNAL_INSTANT, SIGNAL_STORE, SIGNAL_CONNECTED, SIGNAL_DISCONNECTED, N_SIGNALS };
static guint signals[N_SIGNALS];

static void begin_attempt (RcPush *self);

static void
free_secret (char *s)
{
  if (s != NULL)
    memset (s, 0, strlen (s));
  g_free (s);
}

static void
set_phase (RcPush *self, Phase phase)
{
  self->phase = phase;
  self->phase_since = g_get_monotonic_time ();
}

/* ---- socket teardown ---- */

static void
teardown_socket (RcPush *self)
{
  if (self->cancellable != NULL) {
    g_cancellable_cancel (self->cancellable);
    g_clear_object (&self->cancellable);
  }
  g_clear_handle_id (&self->tick_timer, g_source_remove);
  if (self->conn != NULL) {
    g_signal_handlers_disconnect_by_data (self->conn, self);
    if (soup_websocket_connection_get_state (self->conn) == SOUP_WEBSOCKET_STATE_OPEN)
      soup_websocket_connection_close (self->conn, RC_PUSH_CLOSE_NORMAL, NULL);
    g_clear_object (&self->conn);
  }
  g_clear_error (&self->conn_error);
  g_clear_pointer (&self->subscribe_id, g_free);
  self->heartbeat_sent_at = 0;
  self->recovering = FALSE;
}

/* ---- retry or give up ---- */

static gboolean
retry_cb (gpointer user_data)
{
  RcPush *self = user_data;

  self->retry_timer = 0;
  begin_attempt (self);
  return G_SOURCE_REMOVE;
}

/* The socket is gone (or could not be had) for a reason worth retrying: wait, then reconnect. */
static void
lose (RcPush *self, const GError *error)
{
  guint delay;
  g_autoptr (RcPush) hold = g_object_ref (self);

  /* The server keeps a subscribed session for recoveryTimeout from the moment it lost us. */
  if (self->phase == PHASE_ACTIVE && self->wsc_token != NULL)
    self->lost_at = g_get_monotonic_time ();
  teardown_socket (self);
  delay = self->backoff_ms + (guint)g_random_int_range (0, (gint32)(self->backoff_ms / 4) + 1);
  self->backoff_ms = MIN (self->backoff_ms * 2, self->backoff_max_ms);
  set_phase (self, PHASE_WAITING);
  self->retry_timer = g_timeout_add (delay, retry_cb, self);
  g_debug ("push: disconnected (%s); reconnecting in %u ms", error->message, delay);
  g_signal_emit (self, signals[SIGNAL_DISCONNECTED], 0, error, TRUE);
}

/* Push cannot be had: stop and say why. */
static void
give_up (RcPush *self, const GError *error)
{
  g_autoptr (RcPush) hold = g_object_ref (self);
  g_autoptr (GError) why = g_error_new (
      error->domain, error->code,
      _ ("RingCentral refused instant notifications (%s); new messages are checked once a "
         "minute instead."),
      error->message);

  teardown_socket (self);
  g_clear_handle_id (&self->retry_timer, g_source_remove);
  set_phase (self, PHASE_IDLE);
  g_debug ("push: giving up: %s", why->message);
  g_signal_emit (self, signals[SIGNAL_DISCONNECTED], 0, why, FALSE);
}

/* Refusals that another try cannot fix; everything else (network, 5xx, 429 left over, garbage,
 * an expired token) is retried. */
static gboolean
is_permanent (const GError *error)
{
  return error->domain == RC_ERROR
         && (error->code == RC_ERROR_AUTH_FAILED || error->code == RC_ERROR_NOT_PERMITTED
             || error->code == RC_ERROR_NOT_FOUND || error->code == RC_ERROR_INVALID_INPUT
             || error->code == RC_ERROR_INVALID_SETTINGS);
}

static void
fail (RcPush *self, const GError *error)
{
  if (is_permanent (error))
    give_up (self, error);
  else
    lose (self, error);
}

/* ---- sending ---- */

static void
send_frame (RcPush *self, JsonBuilder *builder)
{
  g_autoptr (JsonNode) root = json_builder_get_root (builder);
  g_autofree char *text = json_to_string (root, FALSE);

  if (self->conn != NULL
      && soup_websocket_connection_get_state (self->conn) == SOUP_WEBSOCKET_STATE_OPEN)
    soup_websocket_connection_send_text (self->conn, text);
}

static void
send_heartbeat (RcPush *self)
{
  g_autoptr (JsonBuilder) b = json_builder_new ();
  g_autofree char *id = g_uuid_string_random ();

  json_builder_begin_array (b);
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "type");
  json_builder_add_string_value (b, "Heartbeat");
  json_builder_set_member_name (b, "messageId");
  json_builder_add_string_value (b, id);
  json_builder_end_object (b);
  json_builder_end_array (b);
  self->heartbeat_sent_at = g_get_monotonic_time ();
  g_debug ("push: heartbeat");
  send_frame (self, b);
}

/* One ClientRequest POST /restapi/v1.0/subscription/ with both filters (fact sheet §5). */
static void
send_subscription (RcPush *self)
{
  g_autoptr (JsonBuilder) b = json_builder_new ();

  g_free (self->subscribe_id);
  self->subscribe_id = g_uuid_string_random ();
  json_builder_begin_array (b);
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "type");
  json_builder_add_string_value (b, "ClientRequest");
  json_builder_set_member_name (b, "messageId");
  json_builder_add_string_value (b, self->subscribe_id);
  json_builder_set_member_name (b, "method");
  json_builder_add_string_value (b, "POST");
  json_builder_set_member_name (b, "path");
  json_builder_add_string_value (b, RC_PUSH_SUBSCRIPTION_PATH);
  json_builder_end_object (b);
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "eventFilters");
  json_builder_begin_array (b);
  json_builder_add_string_value (b, RC_PUSH_FILTER_INSTANT);
  json_builder_add_string_value (b, RC_PUSH_FILTER_STORE);
  json_builder_end_array (b);
  json_builder_set_member_name (b, "deliveryMode");
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "transportType");
  json_builder_add_string_value (b, "WebSocket");
  json_builder_end_object (b);
  json_builder_end_object (b);
  json_builder_end_array (b);
  set_phase (self, PHASE_SUBSCRIBING);
  g_debug ("push: subscribing");
  send_frame (self, b);
}

/* ---- receiving ---- */

static void
subscribed (RcPush *self, gboolean recovered)
{
  set_phase (self, PHASE_ACTIVE);
  self->lost_at = 0;
  self->backoff_ms = self->backoff_min_ms;
  g_clear_pointer (&self->subscribe_id, g_free);
  g_debug ("push: subscription active%s", recovered ? " (session recovered)" : "");
  g_signal_emit (self, signals[SIGNAL_CONNECTED], 0, recovered);
}

/* Keeps the newest wsc token: a ConnectionDetails always, other frames by a higher sequence. */
static void
take_wsc (RcPush *self, JsonObject *header, gboolean details)
{
  JsonObject *wsc = rc_json_object (header, "wsc");
  const char *token = rc_json_string (wsc, "token");
  gint64 sequence = rc_json_int (wsc, "sequence", 0);

  if (token == NULL || *token == '\0')
    return;
  if (!details && sequence <= self->wsc_sequence)
    return;
  free_secret (self->wsc_token);
  self->wsc_token = g_strdup (token);
  self->wsc_sequence = sequence;
}

static void
on_connection_details (RcPush *self, JsonObject *header, JsonObject *body)
{
  const char *state = rc_json_string (body, "recoveryState");
  gint64 timeout = rc_json_int (body, "recoveryTimeout", RC_PUSH_RECOVERY_S);

  if (self->phase != PHASE_DETAILS) {
    take_wsc (self, header, FALSE);
    return;
  }
  take_wsc (self, header, TRUE);
  if (self->wsc_token == NULL) {
    g_autoptr (GError) error = g_error_new_literal (
        RC_ERROR, RC_ERROR_BAD_RESPONSE, _ ("RingCentral sent no session token on the socket."));
    lose (self, error);
    return;
  }
  self->recovery_timeout_s = (guint)CLAMP (timeout, 0, 24 * 3600);
  if (self->recovering && g_strcmp0 (state, "Successful") == 0) {
    subscribed (self, TRUE);
    return;
  }
  if (self->recovering)
    g_debug ("push: session recovery failed (%s); subscribing again",
             rc_json_string (body, "recoveryErrorCode") ? rc_json_string (body,
                                                                          "recoveryErrorCode")
                                                        : "no code");
  send_subscription (self);
}

/* The answer to our subscription ClientRequest (or an Error frame about it). */
static void
on_subscription_answer (RcPush *self, JsonObject *header, JsonNode *body_node)
{
  guint status = (guint)CLAMP (rc_json_int (header, "status", 0), 0, 999);
  g_autoptr (GBytes) bytes = NULL;
  g_autoptr (GError) error = NULL;

  if (status >= 200 && status <= 299) {
    subscribed (self, FALSE);
    return;
  }
  if (body_node != NULL) {
    char *text = json_to_string (body_node, FALSE);

    bytes = g_bytes_new_take (text, strlen (text));
  }
  error = rc_error_from_http (status != 0 ? status : 400, bytes, FALSE);
  g_debug ("push: subscription refused (%u)", status);
  fail (self, error);
}

/* A count of a change: 0 when absent or null (SPEC MessageChanges: newCount and updatedCount "can
 * be omitted if the value is zero"), -1 when it is not a whole number in [0, G_MAXINT]. */
static gint64
change_count (JsonObject *change, const char *name)
{
  if (rc_json_member (change, name) == NULL)
    return 0;
  return rc_json_int_range (change, name, 0, G_MAXINT, -1);
}

/* What a message-store notification announces (fact sheet §5: body {changes:[{type, newCount,
 * updatedCount, newMessageIds[]}]}): the ids of its new records (NULL-ended, maybe empty) and
 * *@updated when any change has updatedCount > 0. A count left out is 0 (change_count(): else
 * every notification that omits one would cost a sync). NULL when the body does not say it
 * exactly: no changes array, a newCount that newMessageIds does not match (ids with a count of 0
 * too), a count that is not a number, an id that is not one, more than RC_PUSH_STORE_MAX_IDS. */
static GStrv
store_change (JsonNode *payload, gboolean *updated)
{
  g_autoptr (GStrvBuilder) ids = g_strv_builder_new ();
  JsonObject *body
      = payload && JSON_NODE_HOLDS_OBJECT (payload) ? json_node_get_object (payload) : NULL;
  JsonNode *changes = body ? rc_json_member (body, "changes") : NULL;
  JsonArray *list;
  guint total = 0;

  *updated = FALSE;
  if (changes == NULL || !JSON_NODE_HOLDS_ARRAY (changes))
    return NULL;
  list = json_node_get_array (changes);
  for (guint i = 0; i < json_array_get_length (list); i++) {
    JsonNode *node = json_array_get_element (list, i);
    JsonObject *change = JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
    JsonNode *new_ids = change ? rc_json_member (change, "newMessageIds") : NULL;
    gint64 count = change ? change_count (change, "newCount") : -1;
    gint64 changed = change ? change_count (change, "updatedCount") : -1;
    JsonArray *id_list;

    if (count < 0 || changed < 0)
      return NULL;
    *updated |= changed > 0;
    if (new_ids != NULL && !JSON_NODE_HOLDS_ARRAY (new_ids))
      return NULL;
    id_list = new_ids != NULL ? json_node_get_array (new_ids) : NULL;
    if (count == 0) {
      if (id_list != NULL && json_array_get_length (id_list) > 0)
        return NULL; /* ids that the count does not announce */
      continue;
    }
    if (id_list == NULL)
      return NULL;
    if (count != json_array_get_length (id_list) || total + count > RC_PUSH_STORE_MAX_IDS)
      return NULL;
    for (guint j = 0; j < json_array_get_length (id_list); j++) {
      g_autofree char *id = rc_json_id (json_array_get_element (id_list, j));
      if (id == NULL)
        return NULL;
      g_strv_builder_add (ids, id);
    }
    total += count;
  }
  return g_strv_builder_end (ids);
}

static void
on_notification (RcPush *self, JsonObject *body)
{
  const char *event = rc_json_string (body, "event");
  JsonNode *payload = rc_json_member (body, "body");

  if (event == NULL) {
    g_debug ("push: notification without event skipped");
    return;
  }
  if (strstr (event, "/message-store/instant") != NULL) {
    g_autoptr (GError) error = NULL;
    g_autoptr (RcMessage) message = payload ? rc_message_parse (payload, &error) : NULL;

    if (message == NULL) {
      g_debug ("push: instant message skipped: %s",
               error ? error->message : "notification without body");
      return;
    }
    g_signal_emit (self, signals[SIGNAL_INSTANT], 0, message);
    return;
  }
  if (g_str_has_suffix (event, "/message-store") || strstr (event, "/message-store?") != NULL) {
    gboolean updated;
    g_auto (GStrv) new_ids = store_change (payload, &updated);

    g_signal_emit (self, signals[SIGNAL_STORE], 0, new_ids, updated);
    return;
  }
  g_debug ("push: notification for another event skipped");
}

void
rc_push_handle_frame (RcPush *self, gboolean is_text, GBytes *message)
{
  g_autoptr (RcPush) hold = g_object_ref (self);
  g_autoptr (JsonNode) root = NULL;
  g_autoptr (GError) error = NULL;
  gsize len = 0;
  const char *data = g_bytes_get_data (message, &len);
  JsonArray *frame;
  JsonObject *header;
  JsonNode *body_node;
  JsonObject *body;
  const char *kind;

  self->last_frame_at = g_get_monotonic_time ();
  self->heartbeat_sent_at = 0;
  /* The one bounded parser (rc-json.h): depth, size, UTF-8, "\u0000" and lone surrogates in a
   * pushed text, one value a frame; an empty frame (its GBytes has no data at all) is refused. */
  if (!is_text || (root = rc_json_parse (data, len, NULL, &error)) == NULL) {
    g_debug ("push: unreadable frame skipped%s%s", error ? ": " : "", error ? error->message : "");
    return;
  }
  frame = root && JSON_NODE_HOLDS_ARRAY (root) ? json_node_get_array (root) : NULL;
  if (frame == NULL || json_array_get_length (frame) == 0
      || !JSON_NODE_HOLDS_OBJECT (json_array_get_element (frame, 0))) {
    g_debug ("push: frame without header skipped");
    return;
  }
  header = json_array_get_object_element (frame, 0);
  body_node = json_array_get_length (frame) > 1 ? json_array_get_element (frame, 1) : NULL;
  body = body_node && JSON_NODE_HOLDS_OBJECT (body_node) ? json_node_get_object (body_node) : NULL;
  kind = rc_json_string (header, "type");

  if (g_strcmp0 (kind, "ConnectionDetails") == 0) {
    on_connection_details (self, header, body);
    return;
  }
  if (self->phase == PHASE_DETAILS) {
    g_debug ("push: %s before ConnectionDetails skipped", kind ? kind : "frame");
    return;
  }
  take_wsc (self, header, FALSE);
  if (g_strcmp0 (kind, "ServerNotification") == 0)
    on_notification (self, body);
  else if (g_strcmp0 (kind, "Heartbeat") == 0)
    ; /* an answer: the silence clock was reset above */
  else if ((g_strcmp0 (kind, "ClientRequest") == 0 || g_strcmp0 (kind, "Error") == 0)
           && self->subscribe_id != NULL
           && g_strcmp0 (rc_json_string (header, "messageId"), self->subscribe_id) == 0)
    on_subscription_answer (self, header, body_node);
  else if (g_strcmp0 (kind, "Error") == 0) {
    g_autofree char *code = NULL;
    JsonArray *errors = NULL;
    JsonNode *errors_node = rc_json_member (body, "errors");

    if (errors_node != NULL && JSON_NODE_HOLDS_ARRAY (errors_node))
      errors = json_node_get_array (errors_node);
    if (errors != NULL && json_array_get_length (errors) > 0
        && JSON_NODE_HOLDS_OBJECT (json_array_get_element (errors, 0)))
      code = g_strdup (rc_json_string (json_array_get_object_element (errors, 0), "errorCode"));
    if (code == NULL)
      code = g_strdup (rc_json_string (body, "errorCode"));
    g_debug ("push: server error frame (%s)", code ? code : "no code");
  } else
    g_debug ("push: %s frame skipped", kind ? kind : "untyped");
}

static void
on_message (SoupWebsocketConnection *conn, gint type, GBytes *message, gpointer user_data)
{
  rc_push_handle_frame (user_data, type == SOUP_WEBSOCKET_DATA_TEXT, message);
}

static void
on_error (SoupWebsocketConnection *conn, GError *error, gpointer user_data)
{
  RcPush *self = user_data;

  if (self->conn_error == NULL)
    self->conn_error = g_error_copy (error);
}

static void
on_closed (SoupWebsocketConnection *conn, gpointer user_data)
{
  RcPush *self = user_data;
  g_autoptr (GError) error = NULL;

  if (self->conn_error != NULL)
    error = g_error_new (RC_ERROR, RC_ERROR_NETWORK,
                         _ ("The RingCentral notification channel broke: %s"),
                         self->conn_error->message);
  else
    error = g_error_new (RC_ERROR, RC_ERROR_NETWORK,
                         _ ("RingCentral closed the notification channel (code %u)."),
                         (guint)soup_websocket_connection_get_close_code (conn));
  lose (self, error);
}

/* Keep-alive and answer deadlines, checked a few times per heartbeat interval. */
static gboolean
tick_cb (gpointer user_data)
{
  RcPush *self = user_data;
  gint64 now = g_get_monotonic_time ();
  gint64 interval = (gint64)self->heartbeat_ms * 1000;
  g_autoptr (GError) error = NULL;

  if (self->phase == PHASE_DETAILS && now - self->phase_since >= 2 * interval)
    error = g_error_new_literal (RC_ERROR, RC_ERROR_NETWORK,
                                 _ ("RingCentral did not start the notification session."));
  else if (self->phase == PHASE_SUBSCRIBING && now - self->phase_since >= 2 * interval)
    error = g_error_new_literal (RC_ERROR, RC_ERROR_NETWORK,
                                 _ ("RingCentral did not answer the subscription request."));
  else if (self->heartbeat_sent_at != 0 && now - self->heartbeat_sent_at >= interval)
    error = g_error_new_literal (RC_ERROR, RC_ERROR_NETWORK,
                                 _ ("The RingCentral notification channel stopped answering."));
  if (error != NULL) {
    self->tick_timer = 0; /* lose() must not remove the source that is running */
    lose (self, error);
    return G_SOURCE_REMOVE;
  }
  if (self->phase >= PHASE_SUBSCRIBING && self->heartbeat_sent_at == 0
      && now - self->last_frame_at >= interval)
    send_heartbeat (self);
  return G_SOURCE_CONTINUE;
}

/* ---- connecting ---- */

/* The callbacks below get @self unowned: rc_push_stop() (and so dispose) cancels their
 * cancellable first, and a cancelled GTask always finishes with G_IO_ERROR_CANCELLED, so they
 * look at @self only when it was not cancelled. */
static void
ws_connected (GObject *source, GAsyncResult *result, gpointer user_data)
{
  RcPush *self = user_data;
  g_autoptr (GError) error = NULL;
  SoupWebsocketConnection *conn
      = rc_client_websocket_connect_finish (RC_CLIENT (source), result, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) || self->phase != PHASE_CONNECTING) {
    g_clear_object (&conn);
    return;
  }
  if (conn == NULL) {
    fail (self, error);
    return;
  }
  self->conn = conn;
  g_signal_connect (conn, "message", G_CALLBACK (on_message), self);
  g_signal_connect (conn, "error", G_CALLBACK (on_error), self);
  g_signal_connect (conn, "closed", G_CALLBACK (on_closed), self);
  set_phase (self, PHASE_DETAILS);
  self->last_frame_at = g_get_monotonic_time ();
  self->tick_timer = g_timeout_add (MAX (self->heartbeat_ms / 4, 10), tick_cb, self);
  g_debug ("push: socket open, waiting for ConnectionDetails");
}

static void
wstoken_done (GObject *source, GAsyncResult *result, gpointer user_data)
{
  RcPush *self = user_data;
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonNode) node = rc_client_request_finish (RC_CLIENT (source), result, &error);
  JsonObject *o = node && JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
  const char *uri = rc_json_string (o, "uri");
  const char *token = rc_json_string (o, "ws_access_token");
  g_autofree char *escaped = NULL;
  char *url;
  gboolean recover;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) || self->phase != PHASE_TOKEN)
    return;
  if (node == NULL) {
    fail (self, error);
    return;
  }
  if (uri == NULL || token == NULL || *token == '\0') {
    g_autoptr (GError) bad = g_error_new_literal (
        RC_ERROR, RC_ERROR_BAD_RESPONSE,
        _ ("RingCentral's answer for the notification channel has no uri or token."));
    fail (self, bad);
    return;
  }
  recover = self->wsc_token != NULL && self->lost_at != 0
            && g_get_monotonic_time () - self->lost_at
                   < (gint64)self->recovery_timeout_s * G_USEC_PER_SEC;
  escaped = g_uri_escape_string (token, NULL, FALSE);
  if (recover) {
    g_autofree char *wsc = g_uri_escape_string (self->wsc_token, NULL, FALSE);

    url = g_strconcat (uri, strchr (uri, '?') ? "&" : "?", "access_token=", escaped, "&wsc=", wsc,
                       NULL);
  } else
    url = g_strconcat (uri, strchr (uri, '?') ? "&" : "?", "access_token=", escaped, NULL);
  memset (escaped, 0, strlen (escaped));
  self->recovering = recover;
  set_phase (self, PHASE_CONNECTING);
  rc_client_websocket_connect_async (self->client, url, self->cancellable, ws_connected, self);
  free_secret (url);
}

static void
begin_attempt (RcPush *self)
{
  teardown_socket (self);
  self->cancellable = g_cancellable_new ();
  set_phase (self, PHASE_TOKEN);
  g_debug ("push: requesting a WebSocket token");
  rc_client_request_async (self->client, "POST", RC_PUSH_WSTOKEN_PATH, NULL, self->cancellable,
                           wstoken_done, self);
}

/* ---- object ---- */

static void
rc_push_dispose (GObject *object)
{
  RcPush *self = RC_PUSH (object);

  rc_push_stop (self);
  g_clear_object (&self->client);
  G_OBJECT_CLASS (rc_push_parent_class)->dispose (object);
}

static void
rc_push_class_init (RcPushClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = rc_push_dispose;

  signals[SIGNAL_INSTANT]
      = g_signal_new ("instant-message", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL,
                      NULL, NULL, G_TYPE_NONE, 1, G_TYPE_POINTER);
  signals[SIGNAL_STORE] = g_signal_new ("store-changed", G_TYPE_FROM_CLASS (klass),
                                        G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL, G_TYPE_NONE, 2,
                                        G_TYPE_STRV | G_SIGNAL_TYPE_STATIC_SCOPE, G_TYPE_BOOLEAN);
  signals[SIGNAL_CONNECTED]
      = g_signal_new ("connected", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                      NULL, G_TYPE_NONE, 1, G_TYPE_BOOLEAN);
  signals[SIGNAL_DISCONNECTED] = g_signal_new (
      "disconnected", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
      G_TYPE_NONE, 2, G_TYPE_ERROR | G_SIGNAL_TYPE_STATIC_SCOPE, G_TYPE_BOOLEAN);
}

static void
rc_push_init (RcPush *self)
{
  self->heartbeat_ms = RC_PUSH_HEARTBEAT_MS;
  self->backoff_min_ms = RC_PUSH_BACKOFF_MIN_MS;
  self->backoff_max_ms = RC_PUSH_BACKOFF_MAX_MS;
  self->backoff_ms = RC_PUSH_BACKOFF_MIN_MS;
  self->recovery_timeout_s = RC_PUSH_RECOVERY_S;
}

RcPush *
rc_push_new (RcClient *client)
{
  RcPush *self;

  g_return_val_if_fail (RC_IS_CLIENT (client), NULL);
  self = g_object_new (RC_TYPE_PUSH, NULL);
  self->client = g_object_ref (client);
  return self;
}

void
rc_push_start (RcPush *self)
{
  g_return_if_fail (RC_IS_PUSH (self));
  if (self->phase != PHASE_IDLE || self->client == NULL)
    return;
  self->backoff_ms = self->backoff_min_ms;
  begin_attempt (self);
}

void
rc_push_stop (RcPush *self)
{
  g_return_if_fail (RC_IS_PUSH (self));
  g_clear_handle_id (&self->retry_timer, g_source_remove);
  teardown_socket (self);
  set_phase (self, PHASE_IDLE);
  free_secret (self->wsc_token);
  self->wsc_token = NULL;
  self->wsc_sequence = 0;
  self->lost_at = 0;
}

gboolean
rc_push_is_connected (RcPush *self)
{
  g_return_val_if_fail (RC_IS_PUSH (self), FALSE);
  return self->phase == PHASE_ACTIVE;
}

void
rc_push_set_timing (RcPush *self, guint heartbeat_ms, guint backoff_min_ms, guint backoff_max_ms)
{
  g_return_if_fail (RC_IS_PUSH (self));
  self->heartbeat_ms = heartbeat_ms ? heartbeat_ms : RC_PUSH_HEARTBEAT_MS;
  self->backoff_min_ms = backoff_min_ms ? backoff_min_ms : RC_PUSH_BACKOFF_MIN_MS;
  self->backoff_max_ms = MAX (backoff_max_ms ? backoff_max_ms : RC_PUSH_BACKOFF_MAX_MS,
                              self->backoff_min_ms);
  self->backoff_ms = self->backoff_min_ms;
}

void
rc_push_test_await_details (RcPush *self, gboolean recovering)
{
  g_return_if_fail (RC_IS_PUSH (self));
  set_phase (self, PHASE_DETAILS);
  self->recovering = recovering;
}

const char *
rc_push_test_get_subscribe_id (RcPush *self)
{
  g_return_val_if_fail (RC_IS_PUSH (self), NULL);
  return self->subscribe_id;
}
