/* test-push.c: RcPush against the in-process simulator (connect, subscribe, notifications,
 * heartbeats, dead peers, drops with wsc recovery and replay, failed recovery, refusals, backoff,
 * stopping mid-way), the simulator's frames against the shared fixtures, and the transport pieces
 * of RcClient it needs (request_bytes, WebSocket connect, server time). The debug log is captured:
 * no WebSocket token or wsc token may ever reach it. */
#include <string.h>

#include "rc-error.h"
#include "rc-http.h"
#include "rc-push.h"
#include "rc-sim.h"
#include "rc-test-fake.h"

#define OUR_NUMBER   "+16505550100"
#define THEIR_NUMBER "+14155550123"
#define SCENARIO                                                                                   \
  "{\"numbers\": [{\"phoneNumber\": \"" OUR_NUMBER "\", \"features\": [\"SmsSender\"]}],"          \
  " \"settings\": {\"delivery_delay_ms\": 100}}"
#define WAIT_MS 10000

typedef struct {
  RcSim *sim;
  RcClient *client;
  RcPush *push;
  guint connected;
  guint recovered; /* "connected" with recovered TRUE */
  guint disconnected;
  guint will_retry;
  char *last_error;
  GArray *disconnect_times; /* gint64 monotonic µs */
  GPtrArray *instant_ids;
  GPtrArray *instant_texts;
  guint store_changed;
} Fixture;

static void
on_connected (RcPush *push, gboolean recovered, gpointer data)
{
  Fixture *f = data;

  f->connected++;
  f->recovered += recovered ? 1 : 0;
}

static void
on_disconnected (RcPush *push, GError *error, gboolean will_retry, gpointer data)
{
  Fixture *f = data;
  gint64 now = g_get_monotonic_time ();

  g_assert_nonnull (error);
  f->disconnected++;
  f->will_retry += will_retry ? 1 : 0;
  g_free (f->last_error);
  f->last_error = g_strdup (error->message);
  g_array_append_val (f->disconnect_times, now);
}

static void
on_instant (RcPush *push, RcMessage *message, gpointer data)
{
  Fixture *f = data;

  g_ptr_array_add (f->instant_ids, g_strdup (message->id));
  g_ptr_array_add (f->instant_texts, g_strdup (message->text));
}

static void
on_store (RcPush *push, GStrv new_ids, gboolean updated, gpointer data)
{
  ((Fixture *)data)->store_changed++;
}

static gboolean
tick (gpointer data)
{
  return G_SOURCE_CONTINUE;
}

/* Iterates the main context until @cond holds; fails the test after WAIT_MS. */
#define WAIT_UNTIL(cond)                                                                           \
  G_STMT_START                                                                                     \
  {                                                                                                \
    gint64 deadline_ = g_get_monotonic_time () + (gint64)WAIT_MS * 1000;                           \
    guint tick_ = g_timeout_add (10, tick, NULL);                                                  \
    while (!(cond) && g_get_monotonic_time () < deadline_)                                         \
      g_main_context_iteration (NULL, TRUE);                                                       \
    g_source_remove (tick_);                                                                       \
    if (!(cond))                                                                                   \
      g_error ("timed out waiting for: %s", #cond);                                                \
  }                                                                                                \
  G_STMT_END

static void
setup (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *base = NULL;

  f->sim = rc_sim_new_from_data (SCENARIO, &error);
  g_assert_no_error (error);
  g_assert_true (rc_sim_start (f->sim, 0, &error));
  base = rc_sim_get_base_url (f->sim);
  f->client = rc_client_new (base, "demo-client-id", "demo-client-secret", &error);
  g_assert_no_error (error);
  rc_client_set_jwt (f->client, "demo-jwt");
  g_assert_true (rc_test_fake_sign_in (f->client, &error));
  g_assert_no_error (error);
  f->push = rc_push_new (f->client);
  f->disconnect_times = g_array_new (FALSE, FALSE, sizeof (gint64));
  f->instant_ids = g_ptr_array_new_with_free_func (g_free);
  f->instant_texts = g_ptr_array_new_with_free_func (g_free);
  g_signal_connect (f->push, "connected", G_CALLBACK (on_connected), f);
  g_signal_connect (f->push, "disconnected", G_CALLBACK (on_disconnected), f);
  g_signal_connect (f->push, "instant-message", G_CALLBACK (on_instant), f);
  g_signal_connect (f->push, "store-changed", G_CALLBACK (on_store), f);
}

/* Lets closing sockets and cancelled requests run down, so ASan sees every object freed. */
static void
drain (void)
{
  gint64 until = g_get_monotonic_time () + 100 * 1000;
  guint tick_ = g_timeout_add (10, tick, NULL);

  while (g_get_monotonic_time () < until)
    g_main_context_iteration (NULL, TRUE);
  g_source_remove (tick_);
}

static void
teardown (Fixture *f, gconstpointer data)
{
  g_clear_object (&f->push);
  drain ();
  g_clear_object (&f->client);
  g_clear_object (&f->sim);
  drain ();
  g_array_unref (f->disconnect_times);
  g_ptr_array_unref (f->instant_ids);
  g_ptr_array_unref (f->instant_texts);
  g_free (f->last_error);
  /* The socket URL carries a single-use token and maybe the wsc token: only ever redacted. */
  g_assert_false (rc_test_fake_log_contains ("access_token=ws-"));
  g_assert_false (rc_test_fake_log_contains ("wsc=wsc-"));
  g_assert_false (rc_test_fake_log_contains ("demo-jwt"));
}

static JsonNode *
parse (const char *text)
{
  g_autoptr (JsonParser) parser = json_parser_new ();

  g_assert_nonnull (text);
  g_assert_true (json_parser_load_from_data (parser, text, -1, NULL));
  return json_node_copy (json_parser_get_root (parser));
}

/* ---- RcPush ---- */

static void
test_connect_subscribe (Fixture *f, gconstpointer data)
{
  g_autofree char *frame = NULL;
  g_autoptr (JsonNode) node = NULL;
  JsonArray *a;
  JsonObject *header, *body;
  JsonArray *filters;

  g_assert_false (rc_push_is_connected (f->push));
  rc_push_start (f->push);
  rc_push_start (f->push); /* already started: nothing more */
  WAIT_UNTIL (f->connected == 1);
  g_assert_true (rc_push_is_connected (f->push));
  g_assert_cmpuint (f->recovered, ==, 0);
  g_assert_cmpuint (f->disconnected, ==, 0);
  g_assert_cmpuint (rc_sim_ws_count_connections (f->sim), ==, 1);
  g_assert_cmpuint (rc_sim_count_requests (f->sim, "POST", "/restapi/oauth/wstoken"), ==, 1);
  g_assert_cmpuint (rc_sim_ws_count_frames (f->sim, "ClientRequest"), ==, 1);

  /* One subscription, both filters, WebSocket transport (fact sheet §5). */
  frame = rc_sim_ws_last_frame (f->sim, "ClientRequest");
  node = parse (frame);
  a = json_node_get_array (node);
  g_assert_cmpuint (json_array_get_length (a), ==, 2);
  header = json_array_get_object_element (a, 0);
  body = json_array_get_object_element (a, 1);
  g_assert_cmpstr (json_object_get_string_member (header, "method"), ==, "POST");
  g_assert_cmpstr (json_object_get_string_member (header, "path"), ==,
                   "/restapi/v1.0/subscription/");
  g_assert_nonnull (json_object_get_string_member (header, "messageId"));
  filters = json_object_get_array_member (body, "eventFilters");
  g_assert_cmpuint (json_array_get_length (filters), ==, 2);
  g_assert_cmpstr (json_array_get_string_element (filters, 0), ==,
                   "/restapi/v1.0/account/~/extension/~/message-store/instant?type=SMS");
  g_assert_cmpstr (json_array_get_string_element (filters, 1), ==,
                   "/restapi/v1.0/account/~/extension/~/message-store");
  g_assert_cmpstr (json_object_get_string_member (
                       json_object_get_object_member (body, "deliveryMode"), "transportType"),
                   ==, "WebSocket");

  rc_push_stop (f->push);
  g_assert_false (rc_push_is_connected (f->push));
  WAIT_UNTIL (rc_sim_ws_count_connections (f->sim) == 0);
  rc_push_stop (f->push);                    /* twice is fine */
  g_assert_cmpuint (f->disconnected, ==, 0); /* stop emits nothing */
}

static void
test_instant_and_store (Fixture *f, gconstpointer data)
{
  g_autofree char *id = NULL;

  rc_push_start (f->push);
  WAIT_UNTIL (f->connected == 1);
  id = rc_sim_add_inbound (f->sim, THEIR_NUMBER, OUR_NUMBER, "hello over push");
  WAIT_UNTIL (f->instant_ids->len == 1 && f->store_changed == 1);
  g_assert_cmpstr (f->instant_ids->pdata[0], ==, id);
  g_assert_cmpstr (f->instant_texts->pdata[0], ==, "hello over push");
  g_assert_cmpuint (f->disconnected, ==, 0);
}

static void
test_heartbeat (Fixture *f, gconstpointer data)
{
  rc_push_set_timing (f->push, 150, 50, 1000);
  rc_push_start (f->push);
  WAIT_UNTIL (f->connected == 1);
  /* Silence → a Heartbeat; the echo keeps the socket alive, so more follow, and no drop. */
  WAIT_UNTIL (rc_sim_ws_count_frames (f->sim, "Heartbeat") >= 3);
  g_assert_cmpuint (f->disconnected, ==, 0);
  g_assert_true (rc_push_is_connected (f->push));
  g_assert_cmpuint (rc_sim_count_requests (f->sim, "POST", "/restapi/oauth/wstoken"), ==, 1);
}

static void
test_pong (Fixture *f, gconstpointer data)
{
  /* Server pings are answered with pongs by libsoup itself. */
  rc_sim_ws_set_ping_interval (f->sim, 1);
  rc_push_start (f->push);
  WAIT_UNTIL (f->connected == 1);
  WAIT_UNTIL (rc_sim_ws_count_pongs (f->sim) >= 1);
  g_assert_cmpuint (f->disconnected, ==, 0);
}

static void
test_dead_peer (Fixture *f, gconstpointer data)
{
  rc_push_set_timing (f->push, 150, 50, 1000);
  rc_push_start (f->push);
  WAIT_UNTIL (f->connected == 1);
  rc_sim_ws_set_silent (f->sim, TRUE);
  WAIT_UNTIL (f->disconnected == 1);
  g_assert_cmpuint (f->will_retry, ==, 1);
  g_assert_nonnull (strstr (f->last_error, "stopped answering"));
  g_assert_false (rc_push_is_connected (f->push));
  g_assert_cmpuint (rc_sim_ws_count_frames (f->sim, "Heartbeat"), >=, 1);
  rc_sim_ws_set_silent (f->sim, FALSE);
  WAIT_UNTIL (f->connected == 2);
  g_assert_true (rc_push_is_connected (f->push));
  g_assert_cmpuint (rc_sim_ws_count_connections (f->sim), ==, 1);
}

static void
test_drop_recovery_replay (Fixture *f, gconstpointer data)
{
  g_autofree char *gap_id = NULL;
  g_autofree char *later_id = NULL;

  rc_push_set_timing (f->push, 30000, 200, 1000);
  rc_push_start (f->push);
  WAIT_UNTIL (f->connected == 1);
  rc_sim_ws_drop_all (f->sim);
  /* Nobody is connected now: the event waits in the session's buffer. */
  gap_id = rc_sim_add_inbound (f->sim, THEIR_NUMBER, OUR_NUMBER, "sent during the gap");
  WAIT_UNTIL (f->disconnected == 1);
  g_assert_cmpuint (f->will_retry, ==, 1);
  WAIT_UNTIL (f->connected == 2);
  g_assert_cmpuint (f->recovered, ==, 1); /* &wsc= recovered the session: no new subscription */
  g_assert_cmpuint (rc_sim_ws_count_frames (f->sim, "ClientRequest"), ==, 1);
  WAIT_UNTIL (f->instant_ids->len >= 1);
  g_assert_cmpstr (f->instant_ids->pdata[0], ==, gap_id);
  /* Exactly once: a later event arrives right after it, with no copy in between. */
  later_id = rc_sim_add_inbound (f->sim, THEIR_NUMBER, OUR_NUMBER, "after the gap");
  WAIT_UNTIL (f->instant_ids->len >= 2);
  g_assert_cmpuint (f->instant_ids->len, ==, 2);
  g_assert_cmpstr (f->instant_ids->pdata[1], ==, later_id);
  g_assert_cmpuint (f->store_changed, ==, 2);
}

static void
test_recovery_failed (Fixture *f, gconstpointer data)
{
  rc_push_set_timing (f->push, 30000, 50, 1000);
  rc_sim_ws_set_recovery (f->sim, FALSE);
  rc_push_start (f->push);
  WAIT_UNTIL (f->connected == 1);
  rc_sim_ws_drop_all (f->sim);
  WAIT_UNTIL (f->connected == 2);
  g_assert_cmpuint (f->recovered, ==, 0);
  g_assert_cmpuint (f->disconnected, ==, 1);
  /* The subscription was POSTed again on the new socket. */
  g_assert_cmpuint (rc_sim_ws_count_frames (f->sim, "ClientRequest"), ==, 2);
  g_assert_cmpuint (rc_sim_ws_count_connections (f->sim), ==, 1);
}

static void
test_wstoken_refused (Fixture *f, gconstpointer data)
{
  rc_push_set_timing (f->push, 30000, 20, 100);
  rc_sim_inject_fault (f->sim, "/restapi/oauth/wstoken", RC_SIM_FAULT_403, 1, 0);
  rc_push_start (f->push);
  WAIT_UNTIL (f->disconnected == 1);
  g_assert_cmpuint (f->will_retry, ==, 0);
  g_assert_cmpuint (f->connected, ==, 0);
  g_assert_false (rc_push_is_connected (f->push));
  /* Words a person can read, with the server's reason and code. */
  g_assert_nonnull (strstr (f->last_error, "refused instant notifications"));
  g_assert_nonnull (strstr (f->last_error, "CMN-401"));
  g_assert_cmpuint (rc_sim_count_requests (f->sim, "POST", "/restapi/oauth/wstoken"), ==, 1);

  /* Started again later (say, after the app got the permission), it works. */
  rc_push_start (f->push);
  WAIT_UNTIL (f->connected == 1);
}

static void
test_subscription_refused (Fixture *f, gconstpointer data)
{
  rc_sim_ws_refuse_subscription (f->sim, 1);
  rc_push_start (f->push);
  WAIT_UNTIL (f->disconnected == 1);
  g_assert_cmpuint (f->will_retry, ==, 0);
  g_assert_nonnull (strstr (f->last_error, "SUB-405"));
  g_assert_cmpuint (f->connected, ==, 0);
  WAIT_UNTIL (rc_sim_ws_count_connections (f->sim) == 0);
}

static void
test_backoff_grows (Fixture *f, gconstpointer data)
{
  gint64 *t;

  rc_push_set_timing (f->push, 30000, 60, 10000);
  rc_sim_inject_fault (f->sim, "/restapi/oauth/wstoken", RC_SIM_FAULT_500, 4, 0);
  rc_push_start (f->push);
  WAIT_UNTIL (f->connected == 1);
  g_assert_cmpuint (f->disconnected, ==, 4);
  g_assert_cmpuint (f->will_retry, ==, 4);
  t = (gint64 *)(void *)f->disconnect_times->data;
  /* Waits of 60, 120, 240 ms (+ up to 25 % jitter) between the attempts. */
  g_assert_cmpint (t[1] - t[0], >=, 60 * 1000);
  g_assert_cmpint (t[2] - t[1], >, t[1] - t[0]);
  g_assert_cmpint (t[3] - t[2], >, t[2] - t[1]);
  g_assert_cmpint (t[3] - t[2], >=, 240 * 1000);
}

static void
test_stop_mid_connect (Fixture *f, gconstpointer data)
{
  /* At once, while the wstoken request is queued. */
  rc_push_start (f->push);
  rc_push_stop (f->push);
  /* While the wstoken request is at the server. */
  rc_sim_inject_fault (f->sim, "/restapi/oauth/wstoken", RC_SIM_FAULT_SLOW, 1, 300);
  rc_push_start (f->push);
  WAIT_UNTIL (rc_sim_count_requests (f->sim, "POST", "/restapi/oauth/wstoken") == 1);
  rc_push_stop (f->push);
  /* While waiting for ConnectionDetails (the server says nothing). */
  rc_sim_ws_set_silent (f->sim, TRUE);
  rc_push_start (f->push);
  WAIT_UNTIL (rc_sim_count_requests (f->sim, "POST", "/restapi/oauth/wstoken") == 2);
  drain ();
  rc_push_stop (f->push);
  rc_sim_ws_set_silent (f->sim, FALSE);
  /* Dropped while connecting: dispose stops it. */
  rc_push_start (f->push);
  g_clear_object (&f->push);
  drain ();
  drain ();
  g_assert_cmpuint (f->connected, ==, 0);
  g_assert_cmpuint (f->disconnected, ==, 0);
  g_assert_cmpuint (rc_sim_ws_count_connections (f->sim), ==, 0);
}

/* ---- the simulator's frames against the shared fixtures ---- */

static void
assert_same_keys (JsonObject *fixture, JsonObject *ours, gboolean exact, const char *what)
{
  g_autoptr (GList) names = json_object_get_members (fixture);

  for (GList *l = names; l != NULL; l = l->next)
    if (!json_object_has_member (ours, l->data))
      g_error ("%s: key \"%s\" of the fixture is missing", what, (const char *)l->data);
  if (exact)
    g_assert_cmpuint (json_object_get_size (ours), ==, json_object_get_size (fixture));
}

static JsonObject *
element (JsonNode *frame, guint i)
{
  return json_array_get_object_element (json_node_get_array (frame), i);
}

typedef struct {
  GPtrArray *frames; /* char* texts received */
} Received;

static void
raw_message (SoupWebsocketConnection *conn, gint type, GBytes *message, gpointer data)
{
  Received *r = data;
  gsize len = 0;
  const char *text = g_bytes_get_data (message, &len);

  g_ptr_array_add (r->frames, g_strndup (text, len));
}

static void
test_fixture_shapes (Fixture *f, gconstpointer data)
{
  GAsyncResult *result = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonNode) token = NULL;
  g_autoptr (SoupWebsocketConnection) conn = NULL;
  g_autofree char *url = NULL;
  g_autofree char *request = rc_test_fixture_text ("ws-subscription-request.json");
  Received r = { g_ptr_array_new_with_free_func (g_free) };
  g_autoptr (JsonNode) fx_details = rc_test_load_fixture ("ws-connection-details.json");
  g_autoptr (JsonNode) fx_reply = rc_test_load_fixture ("ws-subscription-response.json");
  g_autoptr (JsonNode) fx_note = rc_test_load_fixture ("ws-websocket-notification.json");
  g_autoptr (JsonNode) fx_sms = rc_test_load_fixture ("event-instant-sms.json");
  g_autoptr (JsonNode) fx_token = rc_test_load_fixture ("wstoken.json");
  g_autoptr (JsonNode) details = NULL;
  g_autoptr (JsonNode) reply = NULL;
  g_autoptr (JsonNode) instant = NULL;
  g_autoptr (JsonNode) store = NULL;
  g_autofree char *id = NULL;

  rc_client_request_async (f->client, "POST", "/restapi/oauth/wstoken", NULL, NULL,
                           rc_test_got_result, &result);
  token = rc_client_request_finish (f->client, rc_test_wait_result (&result), &error);
  g_clear_object (&result);
  g_assert_no_error (error);
  assert_same_keys (json_node_get_object (fx_token), json_node_get_object (token), TRUE, "wstoken");
  url = g_strconcat (
      json_object_get_string_member (json_node_get_object (token), "uri"), "?access_token=",
      json_object_get_string_member (json_node_get_object (token), "ws_access_token"), NULL);
  rc_client_websocket_connect_async (f->client, url, NULL, rc_test_got_result, &result);
  conn = rc_client_websocket_connect_finish (f->client, rc_test_wait_result (&result), &error);
  g_clear_object (&result);
  g_assert_no_error (error);
  {
    guint64 cap = 0;

    g_object_get (conn, "max-incoming-payload-size", &cap, NULL);
    g_assert_cmpuint (cap, ==, 2 * 1024 * 1024);
  }
  g_signal_connect (conn, "message", G_CALLBACK (raw_message), &r);

  WAIT_UNTIL (r.frames->len == 1);
  details = parse (r.frames->pdata[0]);
  assert_same_keys (element (fx_details, 0), element (details, 0), TRUE, "ConnectionDetails");
  assert_same_keys (json_object_get_object_member (element (fx_details, 0), "wsc"),
                    json_object_get_object_member (element (details, 0), "wsc"), TRUE, "wsc");
  assert_same_keys (element (fx_details, 1), element (details, 1), TRUE, "ConnectionDetails body");

  /* The guide's own subscription request (instant SMS + voicemail filters). */
  soup_websocket_connection_send_text (conn, request);
  WAIT_UNTIL (r.frames->len == 2);
  reply = parse (r.frames->pdata[1]);
  assert_same_keys (element (fx_reply, 0), element (reply, 0), TRUE, "subscription reply");
  assert_same_keys (json_object_get_object_member (element (fx_reply, 0), "headers"),
                    json_object_get_object_member (element (reply, 0), "headers"), TRUE,
                    "subscription reply headers");
  assert_same_keys (element (fx_reply, 1), element (reply, 1), TRUE, "SubscriptionInfo");
  g_assert_cmpint (json_object_get_int_member (element (reply, 0), "status"), ==, 200);

  /* Only the instant filter was asked for: one notification per inbound SMS. */
  id = rc_sim_add_inbound (f->sim, THEIR_NUMBER, OUR_NUMBER, "shape check");
  WAIT_UNTIL (r.frames->len == 3);
  instant = parse (r.frames->pdata[2]);
  assert_same_keys (element (fx_note, 0), element (instant, 0), TRUE, "notification header");
  assert_same_keys (element (fx_note, 1), element (instant, 1), TRUE, "notification");
  assert_same_keys (json_node_get_object (fx_sms), element (instant, 1), TRUE, "instant event");
  assert_same_keys (json_object_get_object_member (json_node_get_object (fx_sms), "body"),
                    json_object_get_object_member (element (instant, 1), "body"), TRUE,
                    "instant SMS body");
  g_assert_cmpstr (json_object_get_string_member (
                       json_object_get_object_member (element (instant, 1), "body"), "id"),
                   ==, id);

  /* The message-store filter's body: counts only (fact sheet §5). */
  soup_websocket_connection_send_text (
      conn, "[{\"type\":\"ClientRequest\",\"messageId\":\"m2\",\"method\":\"POST\",\"path\":"
            "\"/restapi/v1.0/subscription/\"},{\"eventFilters\":[\"" RC_PUSH_FILTER_STORE "\"],"
            "\"deliveryMode\":{\"transportType\":\"WebSocket\"}}]");
  WAIT_UNTIL (r.frames->len == 4);
  g_free (rc_sim_add_inbound (f->sim, THEIR_NUMBER, OUR_NUMBER, "store check"));
  WAIT_UNTIL (r.frames->len == 5);
  store = parse (r.frames->pdata[4]);
  assert_same_keys (element (fx_note, 1), element (store, 1), TRUE, "store notification");
  assert_same_keys (json_object_get_object_member (element (fx_note, 1), "body"),
                    json_object_get_object_member (element (store, 1), "body"), FALSE,
                    "store body");
  g_assert_true (json_object_has_member (json_object_get_object_member (element (store, 1), "body"),
                                         "ownerId"));

  soup_websocket_connection_close (conn, 1000, NULL);
  WAIT_UNTIL (soup_websocket_connection_get_state (conn) == SOUP_WEBSOCKET_STATE_CLOSED);
  g_ptr_array_unref (r.frames);
}

/* ---- RcClient transport ---- */

static void
test_websocket_url_rules (Fixture *f, gconstpointer data)
{
  GAsyncResult *result = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (SoupWebsocketConnection) conn = NULL;
  g_autofree char *redacted = rc_http_redact ("wss://h/ws?access_token=AAA&wsc=BBB");

  g_assert_cmpstr (redacted, ==, "wss://h/ws?access_token=[redacted]&wsc=[redacted]");

  /* Plain ws:// to a remote host: refused before anything is sent. */
  rc_client_websocket_connect_async (f->client, "ws://example.com/ws?access_token=SECRET-1", NULL,
                                     rc_test_got_result, &result);
  conn = rc_client_websocket_connect_finish (f->client, rc_test_wait_result (&result), &error);
  g_clear_object (&result);
  g_assert_null (conn);
  g_assert_error (error, RC_ERROR, RC_ERROR_INVALID_SETTINGS);
  g_assert_null (strstr (error->message, "SECRET-1"));
  g_clear_error (&error);

  /* A refused handshake (the token is unknown) is a network error. */
  {
    g_autofree char *url
        = g_strdup_printf ("ws://127.0.0.1:%u/ws?access_token=SECRET-2", rc_sim_get_port (f->sim));

    rc_client_websocket_connect_async (f->client, url, NULL, rc_test_got_result, &result);
    conn = rc_client_websocket_connect_finish (f->client, rc_test_wait_result (&result), &error);
    g_clear_object (&result);
    g_assert_null (conn);
    g_assert_error (error, RC_ERROR, RC_ERROR_NETWORK);
    g_assert_null (strstr (error->message, "SECRET-2"));
    g_assert_false (rc_test_fake_log_contains ("SECRET-2"));
    g_assert_true (rc_test_fake_log_contains ("access_token=[redacted]"));
  }
}

static void
date_handler (SoupServerMessage *msg, const char *path, const char *body, gpointer user_data)
{
  const char *date = user_data;
  SoupMessageHeaders *h = soup_server_message_get_response_headers (msg);
  SoupMessageHeaders *req = soup_server_message_get_request_headers (msg);
  const char *ct = soup_message_headers_get_one (req, "Content-Type");
  g_autofree char *echo = g_strdup_printf ("%s|%s", ct ? ct : "-", body ? body : "-");

  soup_message_headers_replace (h, "Date", date);
  soup_server_message_set_status (msg, 200, NULL);
  /* Not JSON on purpose: request_bytes hands back what came. */
  soup_server_message_set_response (msg, "application/octet-stream", SOUP_MEMORY_COPY, echo,
                                    strlen (echo));
}

static void
test_server_time_and_bytes (void)
{
  RcTestServer srv = { 0 };
  g_autoptr (GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr (GDateTime) off = g_date_time_add_hours (now, -5);
  g_autofree char *date = g_date_time_format (off, "%a, %d %b %Y %H:%M:%S GMT");
  g_autoptr (RcClient) client = NULL;
  g_autoptr (GBytes) body = g_bytes_new_static ("a=1&b=2", 7);
  g_autoptr (GBytes) answer = NULL;
  g_autoptr (GError) error = NULL;
  GAsyncResult *result = NULL;
  gint64 local = g_get_real_time () / G_USEC_PER_SEC;

  rc_test_server_start (&srv, date_handler, date);
  client = rc_test_client_new (srv.base_url);
  /* Before any answer: the local clock. */
  g_assert_cmpint (ABS (rc_client_server_now (client) - local), <=, 2);

  rc_client_request_bytes_async (client, "POST", "/restapi/v1.0/raw", "text/plain", body, NULL,
                                 rc_test_got_result, &result);
  answer = rc_client_request_bytes_finish (client, rc_test_wait_result (&result), &error);
  g_clear_object (&result);
  g_assert_no_error (error);
  g_assert_cmpmem (g_bytes_get_data (answer, NULL), g_bytes_get_size (answer), "text/plain|a=1&b=2",
                   strlen ("text/plain|a=1&b=2"));

  /* After it: the server's clock, five hours behind ours. */
  g_assert_cmpint (ABS (rc_client_server_now (client) - g_date_time_to_unix (off)), <=, 2);
  g_assert_cmpint (local - rc_client_server_now (client), >=, 5 * 3600 - 2);
  rc_test_server_stop (&srv);
}

/* ---- a hostile server: bad frames are skipped, never a crash ---- */

typedef struct {
  RcTestServer srv;
  SoupWebsocketConnection *conn;
} Hostile;

static void
hostile_http (SoupServerMessage *msg, const char *path, const char *body, gpointer user_data)
{
  Hostile *h = user_data;
  g_autofree char *json = g_strdup_printf (
      "{\"uri\":\"ws%s/ws\",\"ws_access_token\":\"T\",\"expires_in\":60}", h->srv.base_url + 4);

  rc_test_respond (msg, 200, json);
}

static const char *const hostile_frames[] = {
  "not json",
  "[]",
  "[1, 2]",
  "{\"type\":\"ServerNotification\"}",
  "[{\"type\":\"ServerNotification\"}]",
  "[{\"type\":\"ServerNotification\"},{\"event\":7,\"body\":[]}]",
  "[{\"type\":\"ServerNotification\"},{\"event\":\"/restapi/v1.0/account/1/extension/1/"
  "message-store/instant?type=SMS\",\"body\":{\"type\":\"SMS\"}}]",
  "[{\"type\":\"ServerNotification\"},{\"event\":\"/restapi/v1.0/account/1/extension/1/"
  "message-store/instant?type=SMS\"}]",
  "[{\"type\":\"Error\"},{\"errors\":[7]}]",
  "[{\"type\":\"Error\"},{\"errors\":[{\"errorCode\":\"WSG-999\"}]}]",
  "[{\"type\":\"ClientRequest\",\"messageId\":\"not-ours\",\"status\":500}]",
  "[{\"type\":\"Surprise\",\"wsc\":{\"token\":5,\"sequence\":\"x\"}}]",
  "[{\"type\":\"ServerNotification\"},{\"event\":\"/restapi/v1.0/account/1/extension/1/"
  "message-store/instant?type=SMS\",\"body\":{\"id\":\"42\",\"type\":\"SMS\",\"direction\":"
  "\"Inbound\",\"subject\":\"good\",\"from\":{\"phoneNumber\":\"+14155550123\"},\"to\":[{"
  "\"phoneNumber\":\"+16505550100\"}]}}]",
};

static void
hostile_message (SoupWebsocketConnection *conn, gint type, GBytes *message, gpointer user_data)
{
  g_autoptr (JsonParser) parser = json_parser_new ();
  gsize len = 0;
  const char *text = g_bytes_get_data (message, &len);
  JsonObject *header;
  g_autofree char *reply = NULL;

  g_assert_true (json_parser_load_from_data (parser, text, (gssize)len, NULL));
  header = json_array_get_object_element (json_node_get_array (json_parser_get_root (parser)), 0);
  if (g_strcmp0 (json_object_get_string_member (header, "type"), "ClientRequest") != 0)
    return;
  /* A frame before the answer, the answer, then every bad frame and one good one. */
  soup_websocket_connection_send_text (conn, "[{\"type\":\"Heartbeat\"");
  reply = g_strdup_printf ("[{\"type\":\"ClientRequest\",\"messageId\":\"%s\",\"status\":200},{}]",
                           json_object_get_string_member (header, "messageId"));
  soup_websocket_connection_send_text (conn, reply);
  for (guint i = 0; i < G_N_ELEMENTS (hostile_frames); i++)
    soup_websocket_connection_send_text (conn, hostile_frames[i]);
  soup_websocket_connection_send_binary (conn, "\x01\x02", 2);
}

static void
hostile_ws (SoupServer *server, SoupServerMessage *msg, const char *path,
            SoupWebsocketConnection *conn, gpointer user_data)
{
  Hostile *h = user_data;

  h->conn = g_object_ref (conn);
  g_signal_connect (conn, "message", G_CALLBACK (hostile_message), h);
  /* Frames before ConnectionDetails are ignored; a details frame without wsc is refused. */
  soup_websocket_connection_send_text (conn, "[{\"type\":\"Heartbeat\"}]");
  soup_websocket_connection_send_text (
      conn, "[{\"type\":\"ConnectionDetails\",\"wsc\":{\"token\":\"W\",\"sequence\":1}},"
            "{\"recoveryTimeout\":\"soon\"}]");
}

static void
test_hostile_server (void)
{
  Hostile h = { 0 };
  g_autoptr (RcClient) client = NULL;
  g_autoptr (RcPush) push = NULL;
  Fixture f = { 0 };

  rc_test_server_start (&h.srv, hostile_http, &h);
  soup_server_add_websocket_handler (h.srv.server, "/ws", NULL, NULL, hostile_ws, &h, NULL);
  client = rc_test_client_new (h.srv.base_url);
  push = rc_push_new (client);
  f.disconnect_times = g_array_new (FALSE, FALSE, sizeof (gint64));
  f.instant_ids = g_ptr_array_new_with_free_func (g_free);
  f.instant_texts = g_ptr_array_new_with_free_func (g_free);
  g_signal_connect (push, "connected", G_CALLBACK (on_connected), &f);
  g_signal_connect (push, "disconnected", G_CALLBACK (on_disconnected), &f);
  g_signal_connect (push, "instant-message", G_CALLBACK (on_instant), &f);
  rc_push_start (push);
  WAIT_UNTIL (f.instant_ids->len == 1);
  g_assert_cmpstr (f.instant_ids->pdata[0], ==, "42");
  g_assert_cmpuint (f.connected, ==, 1);
  g_assert_cmpuint (f.disconnected, ==, 0);
  g_assert_true (rc_push_is_connected (push));
  rc_push_stop (push);
  drain ();
  g_clear_object (&h.conn);
  rc_test_server_stop (&h.srv);
  g_array_unref (f.disconnect_times);
  g_ptr_array_unref (f.instant_ids);
  g_ptr_array_unref (f.instant_texts);
  g_free (f.last_error);
}

int
main (int argc, char **argv)
{
  rc_test_fake_init (&argc, &argv);
#define ADD(name, fn) g_test_add ("/push/" name, Fixture, NULL, setup, fn, teardown)
  ADD ("connect-subscribe", test_connect_subscribe);
  ADD ("instant-and-store", test_instant_and_store);
  ADD ("heartbeat", test_heartbeat);
  ADD ("pong", test_pong);
  ADD ("dead-peer", test_dead_peer);
  ADD ("drop-recovery-replay", test_drop_recovery_replay);
  ADD ("recovery-failed", test_recovery_failed);
  ADD ("wstoken-refused", test_wstoken_refused);
  ADD ("subscription-refused", test_subscription_refused);
  ADD ("backoff-grows", test_backoff_grows);
  ADD ("stop-mid-connect", test_stop_mid_connect);
  ADD ("fixture-shapes", test_fixture_shapes);
  ADD ("websocket-url-rules", test_websocket_url_rules);
  g_test_add_func ("/push/server-time-and-bytes", test_server_time_and_bytes);
  g_test_add_func ("/push/hostile-server", test_hostile_server);
  return g_test_run ();
}
