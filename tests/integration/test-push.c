/* test-push.c: one inbound pipeline. Push, the catch-up after sign-on or a reconnect, the
 * recovery of a dropped socket and the polling fallback all feed the same inbox: every inbound
 * text is shown once, soon, in order per sender, whatever path it came by. */
#include "itest.h"

#include <stdio.h>
#include <string.h>

#define OUR_DIRECT "+16505550100"
#define OUR_MAIN   "+16505550101" /* basic.json: the main company number, not the default */
#define STRANGER   "+14155550123"

/* ---- helpers ---- */

/* How often each text (markup stripped, as shown) was received: text -> count. */
static GHashTable *
received_counts (ITest *t)
{
  GPtrArray *received = rcp_harness_received (t->h);
  GHashTable *counts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  for (guint i = 0; i < received->len; i++) {
    RcpReceivedRecord *rec = g_ptr_array_index (received, i);
    char *shown = purple_markup_strip_html (rec->text);
    guint n = GPOINTER_TO_UINT (g_hash_table_lookup (counts, shown));
    g_hash_table_insert (counts, shown, GUINT_TO_POINTER (n + 1));
  }
  return counts;
}

typedef struct {
  ITest *t;
  guint n;
} ReceivedQuery;

static gboolean
received_reached (gpointer data)
{
  ReceivedQuery *q = data;

  return rcp_harness_received (q->t->h)->len >= q->n;
}

/* Waits until @n texts were received in all (failure guard @timeout_ms). */
static gboolean
wait_received (ITest *t, guint n, guint timeout_ms)
{
  ReceivedQuery q = { t, n };

  return rcp_harness_wait_until (received_reached, &q, timeout_ms);
}

/* The text number @seq from sender @sender: "push s03 m0042". */
static char *
make_text (guint sender, guint seq)
{
  return g_strdup_printf ("push s%02u m%04u", sender, seq);
}

static char *
sender_number (guint sender)
{
  return g_strdup_printf ("+1415555%04u", 200 + sender);
}

static char *
add_text (ITest *t, guint sender, guint seq)
{
  g_autofree char *from = sender_number (sender);
  g_autofree char *text = make_text (sender, seq);

  return rc_sim_add_inbound (t->sim, from, OUR_DIRECT, text);
}

/* Every text in @sent (char*) was shown exactly once and nothing else was shown. */
static void
assert_each_once (ITest *t, GPtrArray *sent)
{
  g_autoptr (GHashTable) counts = received_counts (t);

  for (guint i = 0; i < sent->len; i++) {
    const char *text = g_ptr_array_index (sent, i);
    guint n = GPOINTER_TO_UINT (g_hash_table_lookup (counts, text));
    if (n != 1)
      g_error ("\"%s\" was shown %u times (expected once); %u texts shown for %u sent", text, n,
               rcp_harness_received (t->h)->len, sent->len);
  }
  g_assert_cmpuint (rcp_harness_received (t->h)->len, ==, sent->len);
}

/* Texts from the same sender were shown in the order they were sent ("mNNNN" increasing). */
static void
assert_order_per_sender (ITest *t)
{
  GPtrArray *received = rcp_harness_received (t->h);
  g_autoptr (GHashTable) last = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr (GString) late = g_string_new (NULL);
  guint n_late = 0;

  for (guint i = 0; i < received->len; i++) {
    RcpReceivedRecord *rec = g_ptr_array_index (received, i);
    g_autofree char *shown = purple_markup_strip_html (rec->text);
    guint sender = 0, seq = 0, prev;
    g_assert_cmpint (sscanf (shown, "push s%u m%u", &sender, &seq), ==, 2);
    prev = GPOINTER_TO_UINT (g_hash_table_lookup (last, rec->who));
    if (prev >= seq + 1) {
      if (n_late++ < 10)
        g_string_append_printf (late, "\n  #%u \"%s\" from %s after m%04u", i, shown, rec->who,
                                prev - 1);
      continue;
    }
    g_hash_table_insert (last, g_strdup (rec->who), GUINT_TO_POINTER (seq + 1));
  }
  if (n_late > 0)
    g_error ("%u texts were shown after a later text from the same sender:%s", n_late, late->str);
}

/* Like itest_new () but from scenario JSON (not in conformance runs). */
static ITest *
itest_new_from_data (const char *json, const char *username)
{
  g_autoptr (GError) error = NULL;
  ITest *t = g_new0 (ITest, 1);

  t->sim = rc_sim_new_from_data (json, &error);
  g_assert_no_error (error);
  rc_sim_start (t->sim, 0, &error);
  g_assert_no_error (error);
  t->server_url = rc_sim_get_base_url (t->sim);
  t->h = rcp_harness_new ();
  t->account = rcp_harness_add_account (t->h, username ? username : "test@example.com",
                                        t->server_url);
  return t;
}

/* ---- tests ---- */

static void
test_push_instant (void)
{
  g_autoptr (ITest) t = itest_new ("basic.json", NULL);
  g_autofree char *id = NULL;
  gint64 start, elapsed;

  rcp_harness_sign_on_ok (t->h);
  g_assert_true (itest_wait_push (t));
  rcp_harness_run_for (300); /* the catch-up after push came up settles */
  g_assert_cmpuint (rcp_harness_received (t->h)->len, ==, 0);

  start = g_get_monotonic_time ();
  id = rc_sim_add_inbound (t->sim, STRANGER, OUR_DIRECT, "right now");
  g_assert_true (rcp_harness_wait_for_received (t->h, STRANGER, "right now",
                                                RCP_HARNESS_TIMEOUT_MS));
  elapsed = g_get_monotonic_time () - start;
  g_test_message ("pushed text shown after %" G_GINT64_FORMAT " ms", elapsed / 1000);
  /* Polling is stopped while push is up, so a text waiting for a poll would take longer. */
  g_assert_cmpint (elapsed, <, G_USEC_PER_SEC);
  rcp_harness_run_for (2000);
  g_assert_cmpuint (rcp_harness_count_received (t->h, STRANGER, "right now"), ==, 1);
  g_assert_cmpuint (rcp_harness_received (t->h)->len, ==, 1);
}

static void
test_push_offline_catch_up (void)
{
  g_autoptr (ITest) t = itest_new ("basic.json", NULL);
  g_autoptr (GPtrArray) sent = g_ptr_array_new_with_free_func (g_free);

  rcp_harness_sign_on_ok (t->h);
  g_assert_true (itest_wait_push (t));
  rcp_harness_run_for (300);
  rcp_harness_sign_off (t->h);

  /* 50 texts from 3 senders, interleaved, while we are offline. */
  for (guint i = 0; i < 50; i++) {
    g_autofree char *id = add_text (t, i % 3, i);
    g_ptr_array_add (sent, make_text (i % 3, i));
  }
  g_assert_cmpuint (rcp_harness_received (t->h)->len, ==, 0);

  rcp_harness_sign_on_ok (t->h);
  g_assert_true (wait_received (t, sent->len, RCP_HARNESS_TIMEOUT_MS));
  g_assert_true (itest_wait_push (t));
  rcp_harness_run_for (2000); /* nothing more may come */
  assert_each_once (t, sent);
  assert_order_per_sender (t);
}

static void
test_push_drop_mid_stream (void)
{
  g_autoptr (ITest) t = itest_new ("basic.json", NULL);
  g_autoptr (GPtrArray) sent = g_ptr_array_new_with_free_func (g_free);
  guint seq = 0;

  rcp_harness_sign_on_ok (t->h);
  g_assert_true (itest_wait_push (t));

  /* Some before the drop, some while the socket is down, some once it is back. */
  for (guint i = 0; i < 6; i++, seq++) {
    g_autofree char *id = add_text (t, seq % 2, seq);
    g_ptr_array_add (sent, make_text (seq % 2, seq));
  }
  rc_sim_ws_drop_all (t->sim);
  for (guint i = 0; i < 6; i++, seq++) {
    g_autofree char *id = add_text (t, seq % 2, seq);
    g_ptr_array_add (sent, make_text (seq % 2, seq));
  }
  g_assert_true (itest_wait_push (t));
  for (guint i = 0; i < 6; i++, seq++) {
    g_autofree char *id = add_text (t, seq % 2, seq);
    g_ptr_array_add (sent, make_text (seq % 2, seq));
  }

  g_assert_true (wait_received (t, sent->len, RCP_HARNESS_TIMEOUT_MS));
  rcp_harness_run_for (2500); /* a replay, a catch-up and a poll or two would show duplicates */
  assert_each_once (t, sent);
  assert_order_per_sender (t);
}

static gboolean
push_down (gpointer data)
{
  return rc_sim_ws_count_connections (((ITest *)data)->sim) == 0;
}

static void
test_push_recovery (void)
{
  g_autoptr (ITest) t = itest_new ("basic.json", NULL);
  g_autoptr (GPtrArray) sent = g_ptr_array_new_with_free_func (g_free);
  guint requests;

  rcp_harness_sign_on_ok (t->h);
  g_assert_true (itest_wait_push (t));
  rcp_harness_run_for (300);

  /* A recovered session (wsc) replays what was missed. */
  rc_sim_ws_drop_all (t->sim);
  g_assert_true (rcp_harness_wait_until (push_down, t, 1000));
  {
    g_autofree char *id = add_text (t, 0, 1);
    g_ptr_array_add (sent, make_text (0, 1));
  }
  g_assert_true (itest_wait_push (t));
  g_assert_true (wait_received (t, sent->len, RCP_HARNESS_TIMEOUT_MS));
  rcp_harness_run_for (2000);
  assert_each_once (t, sent);

  /* Recovery refused: the client subscribes again, and the ISync after it brings the gap. */
  requests = rc_sim_ws_count_frames (t->sim, "ClientRequest");
  rc_sim_ws_set_recovery (t->sim, FALSE);
  rc_sim_ws_drop_all (t->sim);
  g_assert_true (rcp_harness_wait_until (push_down, t, 1000));
  for (guint i = 2; i < 5; i++) {
    g_autofree char *id = add_text (t, 1, i);
    g_ptr_array_add (sent, make_text (1, i));
  }
  g_assert_true (itest_wait_push (t));
  g_assert_true (wait_received (t, sent->len, RCP_HARNESS_TIMEOUT_MS));
  rcp_harness_run_for (2000);
  assert_each_once (t, sent);
  assert_order_per_sender (t);
  g_assert_cmpuint (rc_sim_ws_count_frames (t->sim, "ClientRequest"), >, requests);

  /* Push is up again: a new text comes by it, once. */
  {
    g_autofree char *id = add_text (t, 2, 5);
    g_ptr_array_add (sent, make_text (2, 5));
  }
  g_assert_true (wait_received (t, sent->len, RCP_HARNESS_TIMEOUT_MS));
  rcp_harness_run_for (1500);
  assert_each_once (t, sent);
}

static void
test_push_refused_polls (void)
{
  g_autoptr (ITest) t = itest_new ("basic.json", NULL);
  g_autofree char *id = NULL;
  guint syncs;

  rc_sim_inject_fault (t->sim, "/restapi/oauth/wstoken", RC_SIM_FAULT_403, 1000, 0);
  rcp_harness_sign_on_ok (t->h);
  g_assert_true (itest_wait_count (t, "POST", "/restapi/oauth/wstoken", 1,
                                   RCP_HARNESS_TIMEOUT_MS));
  rcp_harness_run_for (500);
  syncs = itest_count (t, "GET", SYNC_PATH);

  id = rc_sim_add_inbound (t->sim, STRANGER, OUR_DIRECT, "by polling");
  g_assert_true (rcp_harness_wait_for_received (t->h, STRANGER, "by polling",
                                                RCP_HARNESS_TIMEOUT_MS));
  /* It came by a message-sync poll: no socket was ever up. */
  g_assert_cmpuint (itest_count (t, "GET", SYNC_PATH), >, syncs);
  g_assert_cmpuint (rc_sim_ws_count_connections (t->sim), ==, 0);
  rcp_harness_run_for (3000); /* three more polls */
  g_assert_cmpuint (rcp_harness_count_received (t->h, STRANGER, "by polling"), ==, 1);
  g_assert_cmpuint (rcp_harness_received (t->h)->len, ==, 1);
  g_assert_nonnull (rcp_harness_gc (t->h)); /* still signed on */
}

/* Server 2 h ahead of the local clock; a text 1 h old by the server's clock (so 1 h in the
 * future by the local one) and one 30 s old (inside the first window either way). */
static const char slow_clock_scenario[]
    = "{"
      "\"settings\": {\"clock_offset_s\": 7200, \"delivery_delay_ms\": 500},"
      "\"numbers\": [{\"id\": 502000001, \"phoneNumber\": \"" OUR_DIRECT "\","
      "  \"usageType\": \"DirectNumber\", \"primary\": true, \"extension\": true,"
      "  \"features\": [\"SmsSender\", \"CallerId\", \"MmsSender\"]}],"
      "\"messages\": [{\"type\": \"SMS\", \"direction\": \"Inbound\", \"from\": \"" STRANGER "\","
      "  \"to\": [\"" OUR_DIRECT "\"], \"text\": \"an hour old\", \"age_seconds\": 3600},"
      " {\"type\": \"SMS\", \"direction\": \"Inbound\", \"from\": \"" STRANGER "\","
      "  \"to\": [\"" OUR_DIRECT "\"], \"text\": \"half a minute old\", \"age_seconds\": 30}]"
      "}";

static void
test_push_slow_local_clock (void)
{
  g_autoptr (ITest) t = itest_new_from_data (slow_clock_scenario, NULL);
  g_autofree char *id = NULL;

  rcp_harness_sign_on_ok (t->h);
  g_assert_true (itest_wait_push (t));
  g_assert_true (itest_wait_count (t, "GET", SYNC_PATH, 1, RCP_HARNESS_TIMEOUT_MS));
  /* A new text arrives (the pipeline works); by then the first catch-up is long done. */
  id = rc_sim_add_inbound (t->sim, STRANGER, OUR_DIRECT, "just now");
  g_assert_true (rcp_harness_wait_for_received (t->h, STRANGER, "just now",
                                                RCP_HARNESS_TIMEOUT_MS));
  rcp_harness_run_for (2000);
  /* The first window starts 60 s before the server's now: the hour-old text is not shown. A
   * window from the local clock (2 h behind) would start before it and show it. */
  g_assert_cmpuint (rcp_harness_count_received (t->h, STRANGER, "an hour old"), ==, 0);
  g_assert_cmpuint (rcp_harness_count_received (t->h, STRANGER, "just now"), ==, 1);
  /* The first catch-up does show what is inside its window. */
  g_assert_cmpuint (rcp_harness_count_received (t->h, STRANGER, "half a minute old"), ==, 1);
  g_assert_cmpuint (rcp_harness_received (t->h)->len, ==, 2);
}

#define SOAK_TEXTS   1000
#define SOAK_SENDERS 10
#define SOAK_DROPS   5

static void
test_push_soak (void)
{
  g_autoptr (ITest) t = itest_new ("basic.json", NULL);
  g_autoptr (GPtrArray) sent = g_ptr_array_new_with_free_func (g_free);
  guint drops[SOAK_DROPS];
  guint next_drop = 0;
  gint64 start;

  for (guint i = 0; i < SOAK_DROPS; i++)
    drops[i] = (guint)g_test_rand_int_range (i * (SOAK_TEXTS / SOAK_DROPS),
                                             (i + 1) * (SOAK_TEXTS / SOAK_DROPS));

  rcp_harness_sign_on_ok (t->h);
  g_assert_true (itest_wait_push (t));
  rcp_harness_run_for (300);

  start = g_get_monotonic_time ();
  for (guint i = 0; i < SOAK_TEXTS; i++) {
    g_autofree char *id = add_text (t, i % SOAK_SENDERS, i);
    g_ptr_array_add (sent, make_text (i % SOAK_SENDERS, i));
    if (next_drop < SOAK_DROPS && i == drops[next_drop]) {
      g_test_message ("drop after text %u", i);
      rc_sim_ws_drop_all (t->sim);
      next_drop++;
    }
    /* Texts keep arriving while the client works: let it run a little every 10 texts. */
    if (i % 10 == 9)
      rcp_harness_run_for (5);
  }
  g_assert_true (wait_received (t, sent->len, 15000));
  g_test_message ("%u texts shown after %" G_GINT64_FORMAT " ms", sent->len,
                  (g_get_monotonic_time () - start) / 1000);
  rcp_harness_run_for (2000);
  /* Also when more was missed than the server's recovery buffer holds (it replays only the newest
   * events), the texts of each sender are shown in the order sent: pushes wait for the catch-up. */
  assert_each_once (t, sent);
  assert_order_per_sender (t);
}

/* ---- restart: the number a text reached is still the reply number afterwards ---- */

#define RESTART_USERNAME "push-restart@example.com"

static int
child_reply (const char *user_dir)
{
  RcpHarness *h;

  rcp_harness_core_init (user_dir);
  h = rcp_harness_new ();
  rcp_harness_adopt_account (h, RESTART_USERNAME);
  rcp_harness_sign_on_ok (h);
  rcp_harness_send_im (h, STRANGER, "the reply");
  rcp_harness_run_for (1500);
  rcp_harness_free (h);
  rcp_harness_core_quit ();
  printf ("OK\n");
  fflush (stdout);
  return 0;
}

static void
test_push_restart_keeps_reply_number (void)
{
  g_autofree char *user_dir = g_dir_make_tmp ("rcp-push-restart-XXXXXX", NULL);
  g_autoptr (ITest) t = NULL;
  g_autofree char *id = NULL;
  const char *args[] = { "--restart-child", user_dir, "reply", NULL };
  g_autofree char *output = NULL;
  int status = -1;
  guint mark;
  g_autoptr (JsonNode) body = NULL;

  g_assert_nonnull (user_dir);
  rcp_harness_core_init (user_dir);
  t = itest_new ("basic.json", RESTART_USERNAME);
  rcp_harness_sign_on_ok (t->h);
  g_assert_true (itest_wait_push (t));
  id = rc_sim_add_inbound (t->sim, STRANGER, OUR_MAIN, "to the main number");
  g_assert_true (rcp_harness_wait_for_received (t->h, STRANGER, "to the main number",
                                                RCP_HARNESS_TIMEOUT_MS));
  rcp_harness_run_for (1500);
  rcp_harness_core_quit ();
  mark = itest_count (t, "POST", SMS_PATH);

  output = itest_run_self (t, args, NULL, NULL, &status);
  g_test_message ("second run said:\n%s", output);
  g_assert_cmpint (status, ==, 0);
  g_assert_nonnull (strstr (output, "OK\n"));
  g_assert_cmpuint (itest_count (t, "POST", SMS_PATH), ==, mark + 1);
  body = itest_json (itest_request (t, "POST", SMS_PATH, mark));
  g_assert_nonnull (body);
  g_assert_cmpstr (itest_json_string (body, "to.0.phoneNumber"), ==, STRANGER);
  /* Not the default (+16505550100): the number the text reached. */
  g_assert_cmpstr (itest_json_string (body, "from.phoneNumber"), ==, OUR_MAIN);
}

int
main (int argc, char **argv)
{
  if (argc == 4 && g_strcmp0 (argv[1], "--restart-child") == 0)
    return child_reply (argv[2]);

  g_test_init (&argc, &argv, NULL);
  itest_add ("/push/instant", test_push_instant, FALSE);
  itest_add ("/push/offline-catch-up", test_push_offline_catch_up, FALSE);
  itest_add ("/push/drop-mid-stream", test_push_drop_mid_stream, FALSE);
  itest_add ("/push/recovery", test_push_recovery, FALSE);
  itest_add ("/push/refused-polls", test_push_refused_polls, FALSE);
  itest_add ("/push/slow-local-clock", test_push_slow_local_clock, FALSE);
  itest_add ("/push/soak", test_push_soak, FALSE);
  /* libpurple quits in this one: meson runs it alone (-p), the 'push' test skips it (-s). */
  itest_add ("/push/restart-keeps-reply-number", test_push_restart_keeps_reply_number, FALSE);
  return g_test_run ();
}
