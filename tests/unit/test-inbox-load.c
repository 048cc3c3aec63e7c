/* test-inbox-load.c: the inbox under a hostile or huge catch-up (issue 10): an answer repeating
 * the same 600 records shows them once; the seen memory holds RC_INBOX_SEEN_MAX ids; 100,000
 * records are handed out RC_INBOX_CHUNK per main-loop turn, in order, with later records behind
 * them; after MSG-333 the full sync (dateFrom = last sync time) replays nothing already shown. */
#include <stdlib.h>
#include <string.h>

#include "rc-inbox.h"
#include "rc-sync-private.h"
#include "rc-test-util.h"

#define OURS "+16505550100"

typedef struct {
  GPtrArray *ids; /* char*: ids of RECEIVED events, in order */
  guint turn_events;
} Seen;

static void
on_event (RcInbox *inbox, RcInboxEvent *event, gpointer user_data)
{
  Seen *seen = user_data;

  g_assert_cmpint (event->kind, ==, RC_INBOX_RECEIVED);
  g_ptr_array_add (seen->ids, g_strdup (event->message->id));
  seen->turn_events++;
}

/* Records @first .. @first + @n - 1, one a second from 2024-05-01T00:00:00Z + @first s, as a
 * JSON array text. */
static void
append_records (GString *s, guint first, guint n)
{
  for (guint i = first; i < first + n; i++) {
    g_autoptr (GDateTime) when = g_date_time_new_from_unix_utc (1714521600 + i);
    g_autofree char *iso = g_date_time_format (when, "%Y-%m-%dT%H:%M:%S.000Z");

    g_string_append_printf (s,
                            "%s{\"id\": %u, \"type\": \"SMS\", \"direction\": \"Inbound\", "
                            "\"from\": {\"phoneNumber\": \"+1415555%04u\"}, \"to\": "
                            "[{\"phoneNumber\": \"" OURS "\"}], \"subject\": \"t%u\", "
                            "\"messageStatus\": \"Received\", \"creationTime\": \"%s\"}",
                            s->len > 0 && s->str[s->len - 1] != '[' ? "," : "", 1000000 + i,
                            i % 10000, i, iso);
  }
}

static GPtrArray *
records (guint first, guint n)
{
  GString *s = g_string_new ("[");
  g_autoptr (JsonNode) root = NULL;
  GPtrArray *out = g_ptr_array_new_with_free_func ((GDestroyNotify)rc_message_free);
  JsonArray *array;

  append_records (s, first, n);
  g_string_append (s, "]");
  root = rc_test_parse_json (s->str);
  g_string_free (s, TRUE);
  array = json_node_get_array (root);
  for (guint i = 0; i < json_array_get_length (array); i++) {
    RcMessage *m = rc_message_parse (json_array_get_element (array, i), NULL);

    g_assert_nonnull (m);
    g_ptr_array_add (out, m);
  }
  return out;
}

typedef struct {
  RcClient *client;
  RcSenderList *senders;
  RcInbox *inbox;
  Seen seen;
} Fixture;

static void
fixture_set_up (Fixture *f, gconstpointer data)
{
  f->client = rc_test_client_new ("http://127.0.0.1:9");
  f->senders = rc_sender_list_new (f->client);
  f->inbox = rc_inbox_new (f->senders);
  f->seen.ids = g_ptr_array_new_with_free_func (g_free);
  g_signal_connect (f->inbox, "event", G_CALLBACK (on_event), &f->seen);
}

static void
fixture_tear_down (Fixture *f, gconstpointer data)
{
  g_object_unref (f->inbox);
  g_object_unref (f->senders);
  g_object_unref (f->client);
  g_ptr_array_unref (f->seen.ids);
}

/* Turns the main loop until the inbox has handled everything (20 s at most); asserts that no
 * turn handed out more than RC_INBOX_CHUNK events. Returns the number of turns. */
static guint
drain (Fixture *f)
{
  gint64 deadline = g_get_monotonic_time () + 20 * G_USEC_PER_SEC;
  guint turns = 0;

  while (rc_inbox_get_backlog (f->inbox) > 0) {
    g_assert_cmpint (g_get_monotonic_time (), <, deadline);
    f->seen.turn_events = 0;
    g_main_context_iteration (NULL, TRUE);
    g_assert_cmpuint (f->seen.turn_events, <=, RC_INBOX_CHUNK);
    turns++;
  }
  return turns;
}

/* A sync answer that repeats the same 600 records, round after round: shown once. */
static void
test_repeating_answer (Fixture *f, gconstpointer data)
{
  g_autoptr (GPtrArray) batch = records (0, 600);

  for (guint round = 0; round < 10; round++) {
    rc_inbox_add (f->inbox, batch, RC_INBOX_FROM_SYNC);
    drain (f);
  }
  g_assert_cmpuint (f->seen.ids->len, ==, 600);
}

/* The memory holds RC_INBOX_SEEN_MAX ids: a catch-up that brings that many back is all known. */
static void
test_memory_size (Fixture *f, gconstpointer data)
{
  g_autoptr (GPtrArray) batch = records (0, RC_INBOX_SEEN_MAX);

  g_assert_cmpuint (RC_INBOX_SEEN_MAX, ==, 5000);
  rc_inbox_add (f->inbox, batch, RC_INBOX_FROM_SYNC);
  drain (f);
  rc_inbox_add (f->inbox, batch, RC_INBOX_FROM_SYNC);
  drain (f);
  g_assert_cmpuint (f->seen.ids->len, ==, RC_INBOX_SEEN_MAX);
}

/* 10,000 records (100,000 with -m slow) in one answer: the first chunk at once, the rest a chunk
 * per main-loop turn, in time order; a pushed text that arrives meanwhile waits behind them. */
static void
test_chunked (Fixture *f, gconstpointer data)
{
  guint n = g_test_slow () ? 100000 : 10000;
  g_autoptr (GPtrArray) batch = records (0, n);
  g_autoptr (GPtrArray) late = records (n, 1);
  guint turns;

  /* Reversed: the inbox sorts by creation time. */
  for (guint i = 0; i < n / 2; i++) {
    gpointer tmp = batch->pdata[i];

    batch->pdata[i] = batch->pdata[n - 1 - i];
    batch->pdata[n - 1 - i] = tmp;
  }
  rc_inbox_add (f->inbox, batch, RC_INBOX_FROM_SYNC);
  g_assert_cmpuint (f->seen.ids->len, ==, RC_INBOX_CHUNK);
  g_assert_cmpuint (rc_inbox_get_backlog (f->inbox), ==, n - RC_INBOX_CHUNK);
  g_clear_pointer (&batch, g_ptr_array_unref); /* the inbox keeps its own copies */
  rc_inbox_add_one (f->inbox, late->pdata[0], RC_INBOX_FROM_PUSH);
  g_assert_cmpuint (f->seen.ids->len, ==, RC_INBOX_CHUNK);
  turns = drain (f);
  g_test_message ("%u main-loop turns", turns);
  g_assert_cmpuint (turns, >=, (n + 1 - RC_INBOX_CHUNK) / RC_INBOX_CHUNK);
  g_assert_cmpuint (f->seen.ids->len, ==, n + 1);
  for (guint i = 0; i <= n; i++) {
    g_autofree char *id = g_strdup_printf ("%u", 1000000 + i);

    if (g_strcmp0 (f->seen.ids->pdata[i], id) != 0)
      g_error ("event %u is %s, expected %s", i, (char *)f->seen.ids->pdata[i], id);
  }
}

/* ---- MSG-333 against a scripted server ---- */

typedef struct {
  GQueue answers; /* "STATUS BODY" */
  GPtrArray *queries;
} Script;

static void
script_handler (SoupServerMessage *msg, const char *path, const char *body, gpointer user_data)
{
  Script *s = user_data;
  g_autofree char *answer = g_queue_pop_head (&s->answers);
  const char *space;

  g_ptr_array_add (s->queries, g_strdup (g_uri_get_query (soup_server_message_get_uri (msg))));
  g_assert_nonnull (answer);
  space = strchr (answer, ' ');
  rc_test_respond (msg, (guint)atoi (answer), space + 1);
}

static void
on_records (RcSync *sync, GPtrArray *batch, gpointer user_data)
{
  rc_inbox_add (user_data, batch, RC_INBOX_FROM_SYNC);
}

static void
run_round (RcSync *sync)
{
  g_autoptr (GAsyncResult) result = NULL;
  g_autoptr (GError) error = NULL;

  rc_sync_run_async (sync, NULL, rc_test_got_result, &result);
  rc_test_wait_result (&result);
  g_assert_true (rc_sync_run_finish (sync, result, &error));
  g_assert_no_error (error);
}

static char *
answer (guint first, guint n, const char *token, const char *sync_time)
{
  GString *s = g_string_new ("200 {\"records\": [");

  append_records (s, first, n);
  g_string_append_printf (s,
                          "], \"syncInfo\": {\"syncType\": \"FSync\", \"syncToken\": \"%s\", "
                          "\"syncTime\": \"%s\"}}",
                          token, sync_time);
  return g_string_free (s, FALSE);
}

/* 100 texts shown; MSG-333; the full sync (from the last sync time) brings them back with 2 new
 * ones: only the 2 new ones are shown. */
static void
test_reset_replays_nothing (Fixture *f, gconstpointer data)
{
  Script script = { G_QUEUE_INIT, g_ptr_array_new_with_free_func (g_free) };
  RcTestServer srv;
  g_autoptr (RcClient) client = NULL;
  g_autoptr (RcSync) sync = NULL;

  rc_test_server_start (&srv, script_handler, &script);
  client = rc_test_client_new (srv.base_url);
  sync = rc_sync_new (client);
  g_signal_connect (sync, "records", G_CALLBACK (on_records), f->inbox);
  rc_sync_set_fsync_from (sync, 1714521600);
  g_queue_push_tail (&script.answers, answer (0, 100, "T1", "2024-05-01T00:05:00Z"));
  g_queue_push_tail (&script.answers,
                     g_strdup ("400 {\"errors\": [{\"errorCode\": \"MSG-333\", \"message\": "
                               "\"Full synchronization is required\"}]}"));
  g_queue_push_tail (&script.answers, answer (0, 102, "T2", "2024-05-01T00:06:00Z"));
  run_round (sync);
  drain (f);
  g_assert_cmpuint (f->seen.ids->len, ==, 100);
  run_round (sync);
  drain (f);
  g_assert_cmpuint (script.queries->len, ==, 3);
  g_assert_cmpstr (script.queries->pdata[1], ==, "syncType=ISync&syncToken=T1");
  /* 00:05:00 − 60 s */
  g_assert_cmpstr (script.queries->pdata[2], ==,
                   "syncType=FSync&messageType=SMS&dateFrom=2024-05-01T00%3A04%3A00.000Z&recordCount=250");
  g_assert_cmpuint (f->seen.ids->len, ==, 102);
  g_assert_cmpstr (f->seen.ids->pdata[100], ==, "1000100");
  g_assert_cmpstr (f->seen.ids->pdata[101], ==, "1000101");
  g_assert_cmpstr (rc_sync_get_token (sync), ==, "T2");
  rc_test_server_stop (&srv);
  g_ptr_array_unref (script.queries);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add ("/inbox-load/repeating-answer", Fixture, NULL, fixture_set_up, test_repeating_answer,
              fixture_tear_down);
  g_test_add ("/inbox-load/memory-size", Fixture, NULL, fixture_set_up, test_memory_size,
              fixture_tear_down);
  g_test_add ("/inbox-load/chunked", Fixture, NULL, fixture_set_up, test_chunked,
              fixture_tear_down);
  g_test_add ("/inbox-load/reset-replays-nothing", Fixture, NULL, fixture_set_up,
              test_reset_replays_nothing, fixture_tear_down);
  return g_test_run ();
}
