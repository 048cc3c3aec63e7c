/* rc-sim-ws-control.c: the WebSocket test switches (rc-sim.h) and their /_sim/ws-* control
 * endpoints (tests/scenarios/README.md). */
#include "rc-sim-ws-private.h"

/* ---- test switches ---- */

void
rc_sim_ws_drop_all (RcSim *self)
{
  g_return_if_fail (RC_IS_SIM (self));
  RcSimWs *ws = rc_sim_ws_get (self);
  /* No close frame: the TCP connection just goes, as when a network path dies. */
  while (ws->conns->len > 0) {
    WsConn *c = ws->conns->pdata[0];
    g_autoptr (SoupWebsocketConnection) conn = g_object_ref (c->conn);
    rc_sim_ws_conn_detach (c);
    g_io_stream_close (soup_websocket_connection_get_io_stream (conn), NULL, NULL);
  }
}

void
rc_sim_ws_set_recovery (RcSim *self, gboolean succeed)
{
  g_return_if_fail (RC_IS_SIM (self));
  rc_sim_ws_get (self)->recovery_fails = !succeed;
}

void
rc_sim_ws_set_silent (RcSim *self, gboolean silent)
{
  g_return_if_fail (RC_IS_SIM (self));
  rc_sim_ws_get (self)->silent = silent;
}

void
rc_sim_ws_refuse_subscription (RcSim *self, guint count)
{
  g_return_if_fail (RC_IS_SIM (self));
  rc_sim_ws_get (self)->refuse = count;
}

void
rc_sim_ws_set_ping_interval (RcSim *self, guint seconds)
{
  g_return_if_fail (RC_IS_SIM (self));
  RcSimWs *ws = rc_sim_ws_get (self);
  ws->ping_interval = seconds;
  for (guint i = 0; i < ws->conns->len; i++)
    soup_websocket_connection_set_keepalive_interval (((WsConn *)ws->conns->pdata[i])->conn,
                                                      seconds);
}

guint
rc_sim_ws_count_pongs (RcSim *self)
{
  g_return_val_if_fail (RC_IS_SIM (self), 0);
  return rc_sim_ws_get (self)->pongs;
}

guint
rc_sim_ws_count_connections (RcSim *self)
{
  g_return_val_if_fail (RC_IS_SIM (self), 0);
  RcSimWs *ws = rc_sim_ws_get (self);
  guint n = 0;
  for (guint i = 0; i < ws->conns->len; i++) {
    WsConn *c = ws->conns->pdata[i];
    if (c->session != NULL && c->session->subscribed
        && soup_websocket_connection_get_state (c->conn) == SOUP_WEBSOCKET_STATE_OPEN)
      n++;
  }
  return n;
}

guint
rc_sim_ws_count_frames (RcSim *self, const char *type)
{
  g_return_val_if_fail (RC_IS_SIM (self), 0);
  g_return_val_if_fail (type != NULL, 0);
  return GPOINTER_TO_UINT (g_hash_table_lookup (rc_sim_ws_get (self)->frames, type));
}

char *
rc_sim_ws_last_frame (RcSim *self, const char *type)
{
  g_return_val_if_fail (RC_IS_SIM (self), NULL);
  g_return_val_if_fail (type != NULL, NULL);
  return g_strdup (g_hash_table_lookup (rc_sim_ws_get (self)->last, type));
}

/* ---- control endpoints ---- */

static JsonObject *
control_body (RcSimCall *call, JsonParser *parser)
{
  if (call->body == NULL || !json_parser_load_from_data (parser, call->body, -1, NULL)
      || !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    return NULL;
  return json_node_get_object (json_parser_get_root (parser));
}

static void
control_reply (RcSimCall *call, guint status, const char *error)
{
  g_autoptr (JsonObject) o = json_object_new ();
  json_object_set_boolean_member (o, "ok", error == NULL);
  if (error != NULL)
    json_object_set_string_member (o, "error", error);
  rc_sim_reply_object (call, status, o);
}

static gboolean
bool_member (JsonObject *o, const char *name, gboolean *out)
{
  JsonNode *n = o ? json_object_get_member (o, name) : NULL;
  if (n == NULL || !JSON_NODE_HOLDS_VALUE (n) || json_node_get_value_type (n) != G_TYPE_BOOLEAN)
    return FALSE;
  *out = json_node_get_boolean (n);
  return TRUE;
}

static void
control_state (RcSimCall *call)
{
  RcSimWs *ws = rc_sim_ws_get (call->sim);
  g_autoptr (JsonObject) o = json_object_new ();
  json_object_set_boolean_member (o, "ok", TRUE);
  json_object_set_int_member (o, "connections", rc_sim_ws_count_connections (call->sim));
  json_object_set_int_member (o, "sockets", ws->conns->len);
  json_object_set_int_member (o, "sessions", ws->sessions->len);
  JsonObject *frames = json_object_new ();
  GHashTableIter iter;
  gpointer key, value;
  g_hash_table_iter_init (&iter, ws->frames);
  while (g_hash_table_iter_next (&iter, &key, &value))
    json_object_set_int_member (frames, key, GPOINTER_TO_UINT (value));
  json_object_set_object_member (o, "frames", frames);
  rc_sim_reply_object (call, 200, o);
}

gboolean
rc_sim_ws_handle_control (RcSimCall *call, const char *what)
{
  gboolean post = g_str_equal (call->method, "POST");
  g_autoptr (JsonParser) parser = json_parser_new ();
  gboolean flag;

  if (g_str_equal (what, "ws-state") && g_str_equal (call->method, "GET"))
    control_state (call);
  else if (post && g_str_equal (what, "ws-drop")) {
    rc_sim_ws_drop_all (call->sim);
    control_reply (call, 200, NULL);
  } else if (post && g_str_equal (what, "ws-recovery")) {
    if (!bool_member (control_body (call, parser), "succeed", &flag))
      control_reply (call, 400, "expected {\"succeed\": true|false}");
    else {
      rc_sim_ws_set_recovery (call->sim, flag);
      control_reply (call, 200, NULL);
    }
  } else if (post && g_str_equal (what, "ws-silent")) {
    if (!bool_member (control_body (call, parser), "silent", &flag))
      control_reply (call, 400, "expected {\"silent\": true|false}");
    else {
      rc_sim_ws_set_silent (call->sim, flag);
      control_reply (call, 200, NULL);
    }
  } else if (post && g_str_equal (what, "ws-refuse-subscription")) {
    JsonObject *o = control_body (call, parser);
    JsonNode *n = o ? json_object_get_member (o, "count") : NULL;
    gint64 count = n && JSON_NODE_HOLDS_VALUE (n) && json_node_get_value_type (n) == G_TYPE_INT64
                       ? json_node_get_int (n)
                       : -1;
    if (count < 0)
      control_reply (call, 400, "expected {\"count\": N}");
    else {
      rc_sim_ws_refuse_subscription (call->sim, (guint)MIN (count, G_MAXUINT));
      control_reply (call, 200, NULL);
    }
  } else
    return FALSE;
  return TRUE;
}
