/* rc-sim-ws.c: RingCentral's WebSocket push (fact sheet §5): POST /restapi/oauth/wstoken, the
 * /ws socket (ConnectionDetails, the subscription ClientRequest, Heartbeat echo, ServerNotification
 * frames for new inbound SMS and for message-store changes), wsc session recovery with replay of
 * what was missed. The test switches are in rc-sim-ws-control.c.
 *
 * Frame shapes follow shared/ringcentral/fixtures/ws-*.json and event-instant-sms.json. */
#include "rc-sim-ws-private.h"

#include <string.h>

static void
session_free (WsSession *s)
{
  g_free (s->wsc_token);
  g_free (s->subscription_id);
  g_queue_clear_full (&s->missed, g_free);
  g_free (s);
}

RcSimWs *
rc_sim_ws_get (RcSim *self)
{
  if (self->ws == NULL) {
    RcSimWs *ws = g_new0 (RcSimWs, 1);
    ws->tokens = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
    ws->sessions = g_ptr_array_new_with_free_func ((GDestroyNotify)session_free);
    ws->conns = g_ptr_array_new ();
    ws->frames = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
    ws->last = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
    ws->next_id = 7000000000000000001ULL;
    self->ws = ws;
  }
  return self->ws;
}

static char *
new_id (RcSim *self)
{
  return g_strdup_printf ("%" G_GUINT64_FORMAT, rc_sim_ws_get (self)->next_id++);
}

/* "xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx", as RingCentral's message and subscription ids look. */
static char *
new_uuid (void)
{
  return g_uuid_string_random ();
}

/* ---- sockets ---- */

/* Forgets @c: its session waits for a recovery, the socket is released. */
void
rc_sim_ws_conn_detach (WsConn *c)
{
  RcSimWs *ws = rc_sim_ws_get (c->sim);
  g_signal_handlers_disconnect_by_data (c->conn, c);
  if (c->session != NULL) {
    c->session->conn = NULL;
    c->session->detached_at = g_get_monotonic_time ();
  }
  g_ptr_array_remove (ws->conns, c);
  g_object_unref (c->conn);
  g_free (c);
}

static void
send_frame (WsConn *c, JsonNode *frame)
{
  g_autofree char *text = json_to_string (frame, FALSE);
  if (soup_websocket_connection_get_state (c->conn) == SOUP_WEBSOCKET_STATE_OPEN)
    soup_websocket_connection_send_text (c->conn, text);
}

/* [header, body] (body may be NULL); takes both. */
static JsonNode *
frame_new (JsonObject *header, JsonObject *body)
{
  JsonArray *a = json_array_new ();
  json_array_add_object_element (a, header);
  if (body != NULL)
    json_array_add_object_element (a, body);
  JsonNode *n = json_node_new (JSON_NODE_ARRAY);
  json_node_take_array (n, a);
  return n;
}

/* Delivers an event frame to @s, or keeps it for a replay (at most WS_BUFFER_SIZE, oldest
 * dropped) when no socket can take it now. */
static void
session_deliver (RcSim *self, WsSession *s, const char *raw)
{
  g_autofree char *text = rc_sim_rewrite_json (self, raw);

  if (s->conn != NULL && !rc_sim_ws_get (self)->silent) {
    if (soup_websocket_connection_get_state (s->conn->conn) == SOUP_WEBSOCKET_STATE_OPEN)
      soup_websocket_connection_send_text (s->conn->conn, text);
    return;
  }
  g_queue_push_tail (&s->missed, g_strdup (text));
  while (g_queue_get_length (&s->missed) > WS_BUFFER_SIZE)
    g_free (g_queue_pop_head (&s->missed));
}

static JsonObject *
rc_headers (void)
{
  JsonObject *h = json_object_new ();
  g_autofree char *rid = new_uuid ();
  json_object_set_string_member (h, "RCRequestId", rid);
  return h;
}

static void
send_connection_details (WsConn *c, const char *recovery_state)
{
  WsSession *s = c->session;
  JsonObject *h = json_object_new ();
  g_autofree char *mid = new_uuid ();
  json_object_set_string_member (h, "type", "ConnectionDetails");
  json_object_set_string_member (h, "messageId", mid);
  json_object_set_int_member (h, "status", 200);
  JsonObject *wsc = json_object_new ();
  json_object_set_string_member (wsc, "token", s->wsc_token);
  json_object_set_int_member (wsc, "sequence", (gint64)++s->sequence);
  json_object_set_object_member (h, "wsc", wsc);
  JsonObject *rh = json_object_new ();
  json_object_set_string_member (rh, "RCRequestId", mid);
  json_object_set_object_member (h, "headers", rh);

  JsonObject *b = json_object_new ();
  g_autofree char *now = rc_sim_format_time (g_get_real_time ());
  json_object_set_string_member (b, "creationTime", now);
  if (recovery_state != NULL) {
    json_object_set_string_member (b, "recoveryState", recovery_state);
    if (g_str_equal (recovery_state, "Failed"))
      json_object_set_string_member (b, "recoveryErrorCode", "WSG-1005");
  }
  json_object_set_int_member (b, "maxConnectionsPerSession", 50);
  json_object_set_int_member (b, "recoveryBufferSize", WS_BUFFER_SIZE);
  json_object_set_int_member (b, "recoveryTimeout", WS_RECOVERY_TIMEOUT_S);
  json_object_set_int_member (b, "idleTimeout", 1800);
  json_object_set_int_member (b, "absoluteTimeout", 86400);
  json_object_set_int_member (b, "maxActiveRequests", 10);
  g_autoptr (JsonNode) frame = frame_new (h, b);
  send_frame (c, frame);
}

/* The ClientRequest answer header: REST headers as in ws-subscription-response.json. */
static JsonObject *
reply_header (const char *message_id, guint status, const char *subscription_id)
{
  JsonObject *h = json_object_new ();
  json_object_set_string_member (h, "type", "ClientRequest");
  json_object_set_string_member (h, "messageId", message_id ? message_id : "");
  json_object_set_int_member (h, "status", status);
  JsonObject *rh = json_object_new ();
  g_autoptr (GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *date = g_date_time_format (now, "%a, %d %b %Y %H:%M:%S GMT");
  g_autofree char *rid = new_uuid ();
  json_object_set_string_member (rh, "Server", "rc-sim");
  json_object_set_string_member (rh, "Date", date);
  json_object_set_string_member (rh, "Content-Type", "application/json");
  if (subscription_id != NULL)
    json_object_set_string_member (rh, "WSG-SubscriptionId", subscription_id);
  json_object_set_string_member (rh, "X-Rate-Limit-Group", "medium");
  json_object_set_string_member (rh, "X-Rate-Limit-Limit", "40");
  json_object_set_string_member (rh, "X-Rate-Limit-Remaining", "39");
  json_object_set_string_member (rh, "X-Rate-Limit-Window", "60");
  json_object_set_string_member (rh, "RoutingKey", "SIM01P01");
  json_object_set_string_member (rh, "RCRequestId", rid);
  json_object_set_object_member (h, "headers", rh);
  return h;
}

static JsonObject *
error_body (const char *code, const char *message)
{
  JsonObject *b = json_object_new ();
  json_object_set_string_member (b, "errorCode", code);
  json_object_set_string_member (b, "message", message);
  JsonArray *errors = json_array_new ();
  JsonObject *e = json_object_new ();
  json_object_set_string_member (e, "errorCode", code);
  json_object_set_string_member (e, "message", message);
  json_array_add_object_element (errors, e);
  json_object_set_array_member (b, "errors", errors);
  return b;
}

static void
reply_error (WsConn *c, const char *message_id, guint status, const char *code,
             const char *message)
{
  g_autoptr (JsonNode) frame
      = frame_new (reply_header (message_id, status, NULL), error_body (code, message));
  send_frame (c, frame);
}

/* "~" in a filter becomes our account or extension id, as RingCentral echoes them. */
static char *
expand_filter (RcSim *self, const char *filter)
{
  g_autofree char *acc = g_strdup_printf ("/account/%" G_GINT64_FORMAT, self->account_id);
  g_autofree char *ext = g_strdup_printf ("/extension/%" G_GINT64_FORMAT, self->extension_id);
  g_auto (GStrv) a = g_strsplit (filter, "/account/~", 2);
  g_autofree char *f1 = g_strjoinv (acc, a);
  g_auto (GStrv) b = g_strsplit (f1, "/extension/~", 2);
  return g_strjoinv (ext, b);
}

static void
handle_subscription (WsConn *c, const char *message_id, JsonObject *body)
{
  RcSim *self = c->sim;
  RcSimWs *ws = rc_sim_ws_get (self);
  if (ws->refuse > 0) {
    ws->refuse--;
    reply_error (c, message_id, 403, "SUB-405",
                 "Subscription to other extensions' messages is not permitted");
    return;
  }
  JsonNode *fn = body ? json_object_get_member (body, "eventFilters") : NULL;
  JsonArray *filters = fn && JSON_NODE_HOLDS_ARRAY (fn) ? json_node_get_array (fn) : NULL;
  JsonObject *dm = NULL;
  JsonNode *dmn = body ? json_object_get_member (body, "deliveryMode") : NULL;
  if (dmn != NULL && JSON_NODE_HOLDS_OBJECT (dmn))
    dm = json_node_get_object (dmn);
  if (g_strcmp0 (rc_sim_json_string (dm, "transportType"), "WebSocket") != 0) {
    reply_error (c, message_id, 400, "CMN-101", "Parameter [deliveryMode.transportType] value "
                                                "is invalid");
    return;
  }
  guint n = filters ? json_array_get_length (filters) : 0;
  if (n == 0) {
    reply_error (c, message_id, 400, "SUB-508", "Event filters are not specified");
    return;
  }
  gboolean instant = FALSE, store = FALSE;
  JsonArray *echo = json_array_new ();
  for (guint i = 0; i < n; i++) {
    JsonNode *e = json_array_get_element (filters, i);
    const char *f = JSON_NODE_HOLDS_VALUE (e) && json_node_get_value_type (e) == G_TYPE_STRING
                        ? json_node_get_string (e)
                        : NULL;
    if (f == NULL || !g_str_has_prefix (f, "/restapi/v1.0/")) {
      json_array_unref (echo);
      reply_error (c, message_id, 400, "SUB-508", "Invalid event filter");
      return;
    }
    instant |= g_str_has_suffix (f, WS_INSTANT_FILTER);
    store |= g_str_has_suffix (f, "/message-store");
    g_autofree char *expanded = expand_filter (self, f);
    json_array_add_string_element (echo, expanded);
  }

  WsSession *s = c->session;
  g_free (s->subscription_id);
  s->subscription_id = new_uuid ();
  s->subscribed = TRUE;
  s->want_instant = instant;
  s->want_store = store;

  JsonObject *b = json_object_new ();
  g_autofree char *uri = g_strdup_printf ("/restapi/v1.0/subscription/%s", s->subscription_id);
  gint64 now = g_get_real_time ();
  g_autofree char *created = rc_sim_format_time (now);
  g_autofree char *expires = rc_sim_format_time (now + (gint64)86399 * G_USEC_PER_SEC);
  json_object_set_string_member (b, "uri", uri);
  json_object_set_string_member (b, "id", s->subscription_id);
  json_object_set_string_member (b, "creationTime", created);
  json_object_set_string_member (b, "status", "Active");
  json_object_set_array_member (b, "eventFilters", echo);
  json_object_set_string_member (b, "expirationTime", expires);
  json_object_set_int_member (b, "expiresIn", 86399);
  JsonObject *mode = json_object_new ();
  json_object_set_string_member (mode, "transportType", "WebSocket");
  json_object_set_boolean_member (mode, "encryption", FALSE);
  json_object_set_object_member (b, "deliveryMode", mode);
  g_autoptr (JsonNode) frame = frame_new (reply_header (message_id, 200, s->subscription_id), b);
  send_frame (c, frame);
}

static void
count_frame (RcSimWs *ws, const char *type, const char *text)
{
  guint n = GPOINTER_TO_UINT (g_hash_table_lookup (ws->frames, type));
  g_hash_table_replace (ws->frames, g_strdup (type), GUINT_TO_POINTER (n + 1));
  g_hash_table_replace (ws->last, g_strdup (type), g_strdup (text));
}

static void
on_message (SoupWebsocketConnection *conn, gint kind, GBytes *message, gpointer user_data)
{
  WsConn *c = user_data;
  RcSimWs *ws = rc_sim_ws_get (c->sim);
  gsize len = 0;
  const char *data = g_bytes_get_data (message, &len);
  g_autofree char *text = g_strndup (data, len);
  g_autoptr (JsonParser) parser = json_parser_new ();
  JsonArray *frame = NULL;
  JsonObject *header = NULL;
  if (json_parser_load_from_data (parser, text, -1, NULL)
      && JSON_NODE_HOLDS_ARRAY (json_parser_get_root (parser)))
    frame = json_node_get_array (json_parser_get_root (parser));
  if (frame != NULL && json_array_get_length (frame) > 0
      && JSON_NODE_HOLDS_OBJECT (json_array_get_element (frame, 0)))
    header = json_array_get_object_element (frame, 0);
  const char *type = rc_sim_json_string (header, "type");
  count_frame (ws, type ? type : "(invalid)", text);
  if (ws->silent)
    return;
  if (type == NULL) {
    JsonObject *h = json_object_new ();
    json_object_set_string_member (h, "type", "Error");
    json_object_set_int_member (h, "status", 400);
    g_autoptr (JsonNode) reply
        = frame_new (h, error_body ("CMN-101", "Message must be a JSON array [header, body]"));
    send_frame (c, reply);
    return;
  }
  const char *message_id = rc_sim_json_string (header, "messageId");
  if (g_str_equal (type, "Heartbeat")) {
    JsonObject *h = json_object_new ();
    json_object_set_string_member (h, "type", "Heartbeat");
    json_object_set_string_member (h, "messageId", message_id ? message_id : "");
    g_autoptr (JsonNode) reply = frame_new (h, NULL);
    send_frame (c, reply);
    return;
  }
  if (g_str_equal (type, "ClientRequest")) {
    const char *method = rc_sim_json_string (header, "method");
    const char *path = rc_sim_json_string (header, "path");
    JsonObject *body = json_array_get_length (frame) > 1
                               && JSON_NODE_HOLDS_OBJECT (json_array_get_element (frame, 1))
                           ? json_array_get_object_element (frame, 1)
                           : NULL;
    if (g_strcmp0 (method, "POST") == 0
        && (g_strcmp0 (path, "/restapi/v1.0/subscription") == 0
            || g_strcmp0 (path, "/restapi/v1.0/subscription/") == 0))
      handle_subscription (c, message_id, body);
    else
      reply_error (c, message_id, 404, "CMN-102", "Resource for parameter [path] is not found");
  }
}

static void
on_closed (SoupWebsocketConnection *conn, gpointer user_data)
{
  rc_sim_ws_conn_detach (user_data);
}

static void
on_pong (SoupWebsocketConnection *conn, GBytes *message, gpointer user_data)
{
  WsConn *c = user_data;
  rc_sim_ws_get (c->sim)->pongs++;
}

static WsSession *
find_session (RcSimWs *ws, const char *wsc)
{
  for (guint i = 0; wsc != NULL && i < ws->sessions->len; i++) {
    WsSession *s = ws->sessions->pdata[i];
    if (g_str_equal (s->wsc_token, wsc))
      return s;
  }
  return NULL;
}

/* Sessions whose recovery window is over are gone for good. */
static void
prune_sessions (RcSimWs *ws)
{
  gint64 now = g_get_monotonic_time ();
  for (guint i = ws->sessions->len; i > 0; i--) {
    WsSession *s = ws->sessions->pdata[i - 1];
    if (s->conn == NULL && now - s->detached_at > (gint64)WS_RECOVERY_TIMEOUT_S * G_USEC_PER_SEC)
      g_ptr_array_remove_index (ws->sessions, i - 1);
  }
}

static void
websocket_cb (SoupServer *server, SoupServerMessage *msg, const char *path,
              SoupWebsocketConnection *conn, gpointer user_data)
{
  RcSim *self = user_data;
  RcSimWs *ws = rc_sim_ws_get (self);
  g_autoptr (GPtrArray) params
      = rc_sim_parse_params (g_uri_get_query (soup_server_message_get_uri (msg)));
  const char *wsc = rc_sim_param (params, "wsc");

  prune_sessions (ws);
  WsConn *c = g_new0 (WsConn, 1);
  c->sim = self;
  c->conn = g_object_ref (conn);
  g_ptr_array_add (ws->conns, c);
  g_signal_connect (conn, "message", G_CALLBACK (on_message), c);
  g_signal_connect (conn, "closed", G_CALLBACK (on_closed), c);
  g_signal_connect (conn, "pong", G_CALLBACK (on_pong), c);
  if (ws->ping_interval > 0)
    soup_websocket_connection_set_keepalive_interval (conn, ws->ping_interval);

  WsSession *old = find_session (ws, wsc);
  const char *state = NULL;
  if (wsc != NULL && old != NULL && old->conn == NULL && !ws->recovery_fails) {
    c->session = old;
    state = "Successful";
  } else {
    if (old != NULL && old->conn == NULL)
      g_ptr_array_remove (ws->sessions, old);
    c->session = g_new0 (WsSession, 1);
    c->session->wsc_token = rc_sim_random_token ("wsc-");
    g_queue_init (&c->session->missed);
    g_ptr_array_add (ws->sessions, c->session);
    state = wsc != NULL ? "Failed" : NULL;
  }
  c->session->conn = c;
  g_debug ("rc-sim: WebSocket open%s%s", state ? ", recovery " : "", state ? state : "");
  if (ws->silent)
    return;
  send_connection_details (c, state);
  /* What happened during the gap, in order, exactly once. */
  while (!g_queue_is_empty (&c->session->missed)) {
    g_autofree char *text = g_queue_pop_head (&c->session->missed);
    if (soup_websocket_connection_get_state (conn) == SOUP_WEBSOCKET_STATE_OPEN)
      soup_websocket_connection_send_text (conn, text);
  }
}

/* Before the upgrade: the single-use ws_access_token must be known and fresh. */
static void
ws_http_cb (SoupServer *server, SoupServerMessage *msg, const char *path, GHashTable *query,
            gpointer user_data)
{
  RcSim *self = user_data;
  RcSimWs *ws = rc_sim_ws_get (self);
  g_autoptr (GPtrArray) params
      = rc_sim_parse_params (g_uri_get_query (soup_server_message_get_uri (msg)));
  const char *token = rc_sim_param (params, "access_token");
  gint64 *expiry = token ? g_hash_table_lookup (ws->tokens, token) : NULL;
  gboolean ok = expiry != NULL && *expiry > g_get_monotonic_time ();
  if (token != NULL)
    g_hash_table_remove (ws->tokens, token); /* single use */
  if (ok && g_str_equal (path, "/ws"))
    return; /* status stays unset: libsoup goes on with the WebSocket handshake */
  g_autoptr (JsonObject) body
      = ok ? error_body ("CMN-102", "Resource for parameter [path] is not found")
           : error_body ("OAU-129", "Access token corrupted");
  g_autoptr (JsonNode) node = json_node_new (JSON_NODE_OBJECT);
  json_node_set_object (node, body);
  g_autofree char *text = json_to_string (node, FALSE);
  soup_server_message_set_status (msg, ok ? 404 : 401, NULL);
  soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_COPY, text,
                                    strlen (text));
}

void
rc_sim_ws_setup (RcSim *self)
{
  rc_sim_ws_get (self);
  soup_server_add_handler (self->server, "/ws", ws_http_cb, self, NULL);
  soup_server_add_websocket_handler (self->server, "/ws", NULL, NULL, websocket_cb, self, NULL);
}

void
rc_sim_ws_dispose (RcSim *self)
{
  RcSimWs *ws = self->ws;
  if (ws == NULL)
    return;
  while (ws->conns->len > 0) {
    WsConn *c = ws->conns->pdata[0];
    SoupWebsocketConnection *conn = g_object_ref (c->conn);
    rc_sim_ws_conn_detach (c);
    if (soup_websocket_connection_get_state (conn) == SOUP_WEBSOCKET_STATE_OPEN)
      soup_websocket_connection_close (conn, SOUP_WEBSOCKET_CLOSE_GOING_AWAY, NULL);
    g_object_unref (conn);
  }
  g_hash_table_unref (ws->tokens);
  g_ptr_array_unref (ws->sessions);
  g_ptr_array_unref (ws->conns);
  g_hash_table_unref (ws->frames);
  g_hash_table_unref (ws->last);
  g_free (ws);
  self->ws = NULL;
}

/* ---- POST /restapi/oauth/wstoken ---- */

void
rc_sim_handle_wstoken (RcSimCall *call)
{
  RcSim *self = call->sim;
  if (!rc_sim_check_bearer (call))
    return;
  RcSimWs *ws = rc_sim_ws_get (self);
  char *token = rc_sim_random_token ("ws-");
  gint64 *expiry = g_new (gint64, 1);
  *expiry = g_get_monotonic_time () + (gint64)WS_TOKEN_TTL_S * G_USEC_PER_SEC;
  g_hash_table_replace (ws->tokens, token, expiry);
  /* The socket is served by the simulator itself, never through a proxy (Prism has none). */
  g_autofree char *uri = g_strdup_printf ("ws://127.0.0.1:%u/ws", self->port);
  g_autoptr (JsonObject) o = json_object_new ();
  json_object_set_string_member (o, "uri", uri);
  json_object_set_string_member (o, "ws_access_token", token);
  json_object_set_int_member (o, "expires_in", WS_TOKEN_TTL_S);
  rc_sim_reply_object (call, 200, o);
}

/* ---- notifications ---- */

static char *
notification_text (RcSim *self, WsSession *s, const char *event, JsonObject *body)
{
  g_autofree char *uuid = new_id (self);
  JsonObject *h = json_object_new ();
  json_object_set_string_member (h, "type", "ServerNotification");
  json_object_set_string_member (h, "messageId", uuid);
  json_object_set_int_member (h, "status", 200);
  json_object_set_object_member (h, "headers", rc_headers ());
  JsonObject *b = json_object_new ();
  g_autofree char *ts = rc_sim_format_time (g_get_real_time ());
  g_autofree char *owner = g_strdup_printf ("%" G_GINT64_FORMAT, self->extension_id);
  json_object_set_string_member (b, "uuid", uuid);
  json_object_set_string_member (b, "event", event);
  json_object_set_string_member (b, "timestamp", ts);
  json_object_set_string_member (b, "subscriptionId", s->subscription_id);
  json_object_set_string_member (b, "ownerId", owner);
  json_object_set_object_member (b, "body", json_object_ref (body));
  g_autoptr (JsonNode) frame = frame_new (h, b);
  return json_to_string (frame, FALSE);
}

static void
stringify_id (JsonObject *o)
{
  if (o != NULL && json_object_has_member (o, "id")
      && json_node_get_value_type (json_object_get_member (o, "id")) == G_TYPE_INT64) {
    g_autofree char *id
        = g_strdup_printf ("%" G_GINT64_FORMAT, json_object_get_int_member (o, "id"));
    json_object_set_string_member (o, "id", id);
  }
}

/* The record as the instant?type=SMS filter carries it (event-instant-sms.json): ids as strings,
 * no uri or conversationId, eventType and owner added. The Text attachment has no uri (as in the
 * fixture); MmsAttachments keep theirs, which is how a client fetches a pushed picture (SPEC
 * InstantMessageEventBody.attachments: MessageAttachmentInfo with uri; fact sheet "Attachments":
 * "the attachments[].uri in events already points at media.ringcentral.com"). */
static JsonObject *
instant_body (RcSim *self, RcSimMessage *m)
{
  g_autofree char *base = g_strdup_printf ("http://127.0.0.1:%u", self->port);
  JsonObject *o = rc_sim_message_to_json (self, self->public_base_url ? self->public_base_url : base,
                                          m);
  stringify_id (o);
  json_object_remove_member (o, "uri");
  json_object_remove_member (o, "conversationId");
  JsonArray *att = json_object_get_array_member (o, "attachments");
  for (guint i = 0; att != NULL && i < json_array_get_length (att); i++) {
    JsonObject *a = json_array_get_object_element (att, i);
    stringify_id (a);
    if (g_strcmp0 (json_object_get_string_member_with_default (a, "type", NULL), "MmsAttachment")
        != 0)
      json_object_remove_member (a, "uri");
  }
  json_object_set_string_member (o, "eventType", "Create");
  JsonObject *owner = json_object_new ();
  g_autofree char *ext = g_strdup_printf ("%" G_GINT64_FORMAT, self->extension_id);
  json_object_set_string_member (owner, "extensionId", ext);
  json_object_set_string_member (owner, "extensionType", "User");
  json_object_set_string_member (owner, "name", self->extension_name);
  json_object_set_object_member (o, "owner", owner);
  return o;
}

/* The message-store filter's body: change counts only (ws-websocket-notification.json). */
static JsonObject *
store_body (RcSim *self, RcSimMessage *m, gboolean created)
{
  JsonObject *o = json_object_new ();
  json_object_set_int_member (o, "accountId", self->account_id);
  json_object_set_int_member (o, "extensionId", self->extension_id);
  g_autofree char *updated = rc_sim_format_time (m->modified_us);
  json_object_set_string_member (o, "lastUpdated", updated);
  JsonArray *changes = json_array_new ();
  JsonObject *ch = json_object_new ();
  json_object_set_string_member (ch, "type", m->type);
  json_object_set_int_member (ch, "newCount", created ? 1 : 0);
  json_object_set_int_member (ch, "updatedCount", created ? 0 : 1);
  JsonArray *ids = json_array_new ();
  if (created)
    json_array_add_int_element (ids, m->id);
  json_object_set_array_member (ch, "newMessageIds", ids);
  json_array_add_object_element (changes, ch);
  json_object_set_array_member (o, "changes", changes);
  g_autofree char *owner = g_strdup_printf ("%" G_GINT64_FORMAT, self->extension_id);
  json_object_set_string_member (o, "ownerId", owner);
  return o;
}

void
rc_sim_ws_message_changed (RcSim *self, RcSimMessage *m, gboolean created)
{
  RcSimWs *ws = self->ws;
  if (ws == NULL || ws->sessions->len == 0)
    return;
  g_autofree char *prefix = g_strdup_printf ("/restapi/v1.0/account/%" G_GINT64_FORMAT
                                             "/extension/%" G_GINT64_FORMAT "/message-store",
                                             self->account_id, self->extension_id);
  g_autofree char *instant_event = g_strconcat (prefix, "/instant?type=SMS", NULL);
  gboolean instant = created && g_str_equal (m->type, "SMS") && g_str_equal (m->direction, "Inbound");
  g_autoptr (JsonObject) ib = instant ? instant_body (self, m) : NULL;
  g_autoptr (JsonObject) sb = store_body (self, m, created);
  for (guint i = 0; i < ws->sessions->len; i++) {
    WsSession *s = ws->sessions->pdata[i];
    if (!s->subscribed)
      continue;
    if (instant && s->want_instant) {
      g_autofree char *text = notification_text (self, s, instant_event, ib);
      session_deliver (self, s, text);
    }
    if (s->want_store) {
      g_autofree char *text = notification_text (self, s, prefix, sb);
      session_deliver (self, s, text);
    }
  }
}
