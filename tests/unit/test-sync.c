/* test-sync.c: message-sync rounds: dedupe, ordering, seen memory, MSG-333, coalescing. */
#include <string.h>
#include <glib.h>

#include "rc-error.h"
#include "rc-sync-private.h"
#include "rc-test-util.h"

/* One SMS record; @minute orders them in time. */
static void
append_record (GString *s, guint64 id, guint minute, const char *type)
{
  g_string_append_printf (
      s,
      "%s{\"id\": %" G_GUINT64_FORMAT ", \"type\": \"%s\", \"direction\": \"Inbound\","
      " \"from\": {\"phoneNumber\": \"+14155550100\"},"
      " \"to\": [{\"phoneNumber\": \"+16505550100\"}], \"subject\": \"m%" G_GUINT64_FORMAT "\","
      " \"creationTime\": \"2024-05-01T10:%02u:%02u.000Z\"}",
      s->str[s->len - 1] == '[' ? "" : ",", id, type, id, minute / 60, minute % 60);
}

static char *
answer_text (const guint64 *ids, const guint *minutes, gsize n, const char *token)
{
  GString *s = g_string_new ("{\"records\": [");

  for (gsize i = 0; i < n; i++)
    append_record (s, ids[i], minutes[i], "SMS");
  g_string_append_printf (s, "], \"syncInfo\": {\"syncType\": \"ISync\", \"syncToken\": \"%s\"}}",
                          token);
  return g_string_free (s, FALSE);
}

typedef struct {
  GPtrArray *ids; /* ids emitted by "message", in order */
  GPtrArray *texts;
  guint state_changes;
} Recorder;

static void
on_message (RcSync *sync, RcMessage *message, gpointer user_data)
{
  Recorder *r = user_data;

  g_ptr_array_add (r->ids, g_strdup (message->id));
  g_ptr_array_add (r->texts, g_strdup (message->text));
}

static void
on_state_changed (RcSync *sync, gpointer user_data)
{
  ((Recorder *)user_data)->state_changes++;
}

static void
recorder_init (Recorder *r, RcSync *sync)
{
  r->ids = g_ptr_array_new_with_free_func (g_free);
  r->texts = g_ptr_array_new_with_free_func (g_free);
  r->state_changes = 0;
  g_signal_connect (sync, "message", G_CALLBACK (on_message), r);
  g_signal_connect (sync, "state-changed", G_CALLBACK (on_state_changed), r);
}

static void
recorder_clear (Recorder *r)
{
  g_ptr_array_unref (r->ids);
  g_ptr_array_unref (r->texts);
}

static void
recorder_reset (Recorder *r)
{
  g_ptr_array_set_size (r->ids, 0);
  g_ptr_array_set_size (r->texts, 0);
  r->state_changes = 0;
}

static void
apply (RcSync *sync, const char *text)
{
  g_autoptr (JsonNode) root = rc_test_parse_json (text);
  g_autoptr (GError) error = NULL;

  g_assert_true (rc_sync_apply_answer (sync, root, &error));
  g_assert_no_error (error);
}

static void
test_fixture_sms_only (void)
{
  g_autoptr (RcClient) client = rc_test_client_new ("https://platform.ringcentral.com");
  g_autoptr (RcSync) sync = rc_sync_new (client);
  g_autofree char *text = rc_test_fixture_text ("message-sync-fsync.json");
  g_autofree char *seen = NULL;
  Recorder r;

  recorder_init (&r, sync);
  g_assert_null (rc_sync_get_token (sync));
  apply (sync, text);
  /* The two Pager records are dropped, the SMS comes through. */
  g_assert_cmpuint (r.ids->len, ==, 1);
  g_assert_cmpstr (r.ids->pdata[0], ==, "5475920007");
  g_assert_cmpuint (r.state_changes, ==, 1);
  g_assert_cmpstr (rc_sync_get_token (sync), ==,
                   "AQEAAAAAAwAAAVxD-BXYBgAAAPoFAAABXGek2KYTAAgAAAAADG7kVAkBCgGeSTPY");
  seen = rc_sync_save_seen (sync);
  g_assert_cmpstr (seen, ==, "5475920007");

  /* The same answer again (the server overlaps windows): nothing new, nothing to persist. */
  recorder_reset (&r);
  apply (sync, text);
  g_assert_cmpuint (r.ids->len, ==, 0);
  g_assert_cmpuint (r.state_changes, ==, 0);
  recorder_clear (&r);
}

static void
test_order_and_dedupe (void)
{
  g_autoptr (RcClient) client = rc_test_client_new ("https://platform.ringcentral.com");
  g_autoptr (RcSync) sync = rc_sync_new (client);
  const guint64 ids[] = { 30, 10, 20, 10, 41, 40 };
  const guint minutes[] = { 3, 1, 2, 1, 4, 4 };
  g_autofree char *text = answer_text (ids, minutes, G_N_ELEMENTS (ids), "T1");
  g_autofree char *with_bad = NULL;
  Recorder r;

  recorder_init (&r, sync);
  apply (sync, text);
  g_assert_cmpuint (r.ids->len, ==, 5);
  g_assert_cmpstr (r.ids->pdata[0], ==, "10");
  g_assert_cmpstr (r.ids->pdata[1], ==, "20");
  g_assert_cmpstr (r.ids->pdata[2], ==, "30");
  g_assert_cmpstr (r.ids->pdata[3], ==, "40"); /* same time: by id */
  g_assert_cmpstr (r.ids->pdata[4], ==, "41");
  g_assert_cmpuint (r.state_changes, ==, 1);

  /* Unreadable records are skipped, not fatal; non-SMS dropped; seen ones dropped. */
  recorder_reset (&r);
  with_bad
      = g_strdup ("{\"records\": [42, {\"id\": 50}, {\"id\": 51, \"type\": \"SMS\", \"to\": 7},"
                  " {\"id\": 52, \"type\": \"Fax\"}, {\"id\": 20, \"type\": \"SMS\"},"
                  " {\"id\": \"53\", \"type\": \"SMS\", \"subject\": \"ok\"}],"
                  " \"syncInfo\": {\"syncToken\": \"T1\"}}");
  apply (sync, with_bad);
  g_assert_cmpuint (r.ids->len, ==, 1);
  g_assert_cmpstr (r.ids->pdata[0], ==, "53");
  g_assert_cmpstr (r.texts->pdata[0], ==, "ok");
  g_assert_cmpuint (r.state_changes, ==, 1); /* seen changed, token did not */
  recorder_clear (&r);
}

static void
test_bad_answers (void)
{
  g_autoptr (RcClient) client = rc_test_client_new ("https://platform.ringcentral.com");
  g_autoptr (RcSync) sync = rc_sync_new (client);
  static const char *const bad[] = {
    "null",
    "[]",
    "{}",
    "{\"records\": {}, \"syncInfo\": {\"syncToken\": \"T\"}}",
    "{\"records\": []}",
    "{\"records\": [], \"syncInfo\": []}",
    "{\"records\": [], \"syncInfo\": {\"syncToken\": 5}}",
    "{\"records\": [{\"id\": 1, \"type\": \"SMS\"}], \"syncInfo\": {\"syncToken\": \"\"}}",
  };
  Recorder r;

  recorder_init (&r, sync);
  rc_sync_restore (sync, "OLD", "1,2");
  for (gsize i = 0; i < G_N_ELEMENTS (bad); i++) {
    g_autoptr (JsonNode) root = rc_test_parse_json (bad[i]);
    g_autoptr (GError) error = NULL;
    g_autofree char *seen = NULL;

    g_test_message ("bad answer %s", bad[i]);
    g_assert_false (rc_sync_apply_answer (sync, root, &error));
    g_assert_error (error, RC_ERROR, RC_ERROR_BAD_RESPONSE);
    g_assert_cmpstr (rc_sync_get_token (sync), ==, "OLD");
    seen = rc_sync_save_seen (sync);
    g_assert_cmpstr (seen, ==, "1,2");
  }
  g_assert_cmpuint (r.ids->len, ==, 0);
  g_assert_cmpuint (r.state_changes, ==, 0);
  recorder_clear (&r);
}

static void
test_seen_bounded_round_trip (void)
{
  g_autoptr (RcClient) client = rc_test_client_new ("https://platform.ringcentral.com");
  g_autoptr (RcSync) sync = rc_sync_new (client);
  g_autoptr (RcSync) again = rc_sync_new (client);
  g_autofree guint64 *ids = g_new (guint64, 600);
  g_autofree guint *minutes = g_new (guint, 600);
  g_autofree char *text = NULL;
  g_autofree char *seen = NULL;
  g_autofree char *seen_again = NULL;
  g_auto (GStrv) parts = NULL;
  Recorder r;

  /* Ids given newest first; times decide the order, and the newest 500 are kept. */
  for (guint i = 0; i < 600; i++) {
    ids[i] = 1000 + 599 - i;
    minutes[i] = 599 - i;
  }
  text = answer_text (ids, minutes, 600, "TOKEN+/=");
  recorder_init (&r, sync);
  apply (sync, text);
  g_assert_cmpuint (r.ids->len, ==, 600);
  g_assert_cmpstr (r.ids->pdata[0], ==, "1000");
  g_assert_cmpstr (r.ids->pdata[599], ==, "1599");

  seen = rc_sync_save_seen (sync);
  parts = g_strsplit (seen, ",", -1);
  g_assert_cmpuint (g_strv_length (parts), ==, RC_SYNC_SEEN_MAX);
  g_assert_cmpstr (parts[0], ==, "1100");
  g_assert_cmpstr (parts[499], ==, "1599");

  /* Restored in a new session: same memory, same token, and the next ISync uses it. */
  rc_sync_restore (again, rc_sync_get_token (sync), seen);
  seen_again = rc_sync_save_seen (again);
  g_assert_cmpstr (seen_again, ==, seen);
  g_assert_cmpstr (rc_sync_get_token (again), ==, "TOKEN+/=");
  {
    g_autofree char *path = rc_sync_build_path (again);

    g_assert_cmpstr (path, ==,
                     "/restapi/v1.0/account/~/extension/~/message-sync?syncType=ISync"
                     "&syncToken=TOKEN%2B%2F%3D");
  }
  /* Remembered ids are not reported again; forgotten (oldest) ones would be. */
  recorder_clear (&r);
  recorder_init (&r, again);
  apply (again, text);
  g_assert_cmpuint (r.ids->len, ==, 100);
  g_assert_cmpstr (r.ids->pdata[0], ==, "1000");
  recorder_clear (&r);

  /* Sloppy saved strings are tolerated. */
  rc_sync_restore (again, "", " 7, ,8,,");
  g_clear_pointer (&seen_again, g_free);
  seen_again = rc_sync_save_seen (again);
  g_assert_cmpstr (seen_again, ==, "7,8");
  g_assert_null (rc_sync_get_token (again));
  rc_sync_restore (again, NULL, NULL);
  g_clear_pointer (&seen_again, g_free);
  seen_again = rc_sync_save_seen (again);
  g_assert_cmpstr (seen_again, ==, "");
}

static void
test_paths (void)
{
  g_autoptr (RcClient) client = rc_test_client_new ("https://platform.ringcentral.com");
  g_autoptr (RcSync) sync = rc_sync_new (client);
  g_autofree char *plain = rc_sync_build_path (sync);
  g_autofree char *dated = NULL;

  g_assert_cmpstr (
      plain, ==, "/restapi/v1.0/account/~/extension/~/message-sync?syncType=FSync&messageType=SMS");
  rc_sync_set_fsync_from (sync, 1714557600); /* 2024-05-01T10:00:00Z */
  dated = rc_sync_build_path (sync);
  g_assert_cmpstr (dated, ==,
                   "/restapi/v1.0/account/~/extension/~/message-sync?syncType=FSync&messageType=SMS"
                   "&dateFrom=2024-05-01T10%3A00%3A00.000Z");
}

/* ---- rounds against a tiny local server ---- */

typedef struct {
  RcTestServer srv;
  GPtrArray *queries; /* the query string of every message-sync request */
  GQueue answers;     /* (status, body) pairs, as "STATUS BODY" strings */
  RcClient *client;
  RcSync *sync;
  Recorder recorder;
} Fixture;

static void
handler (SoupServerMessage *msg, const char *path, const char *request_body, gpointer user_data)
{
  Fixture *f = user_data;
  g_autofree char *answer = g_queue_pop_head (&f->answers);

  g_assert_cmpstr (path, ==, "/restapi/v1.0/account/~/extension/~/message-sync");
  g_ptr_array_add (f->queries, g_strdup (f->srv.last_query));
  g_assert_nonnull (answer);
  rc_test_respond (msg, (guint)g_ascii_strtoull (answer, NULL, 10), strchr (answer, ' ') + 1);
}

static void
fixture_set_up (Fixture *f, gconstpointer data)
{
  f->queries = g_ptr_array_new_with_free_func (g_free);
  g_queue_init (&f->answers);
  rc_test_server_start (&f->srv, handler, f);
  f->client = rc_test_client_new (f->srv.base_url);
  f->sync = rc_sync_new (f->client);
  recorder_init (&f->recorder, f->sync);
}

static void
fixture_tear_down (Fixture *f, gconstpointer data)
{
  g_assert_cmpuint (f->answers.length, ==, 0); /* every planned answer was asked for */
  g_object_unref (f->sync);
  g_object_unref (f->client);
  recorder_clear (&f->recorder);
  rc_test_server_stop (&f->srv);
  g_ptr_array_unref (f->queries);
}

static void
plan (Fixture *f, guint status, const char *body)
{
  g_queue_push_tail (&f->answers, g_strdup_printf ("%u %s", status, body));
}

typedef struct {
  GAsyncResult *result;
  guint order; /* when it completed, 1-based */
} Pending;

static guint completed;

static void
got_result (GObject *source, GAsyncResult *result, gpointer user_data)
{
  Pending *p = user_data;

  p->result = g_object_ref (result);
  p->order = ++completed;
}

static gboolean
run_round (Fixture *f, GError **error)
{
  Pending p = { 0 };
  gboolean ok;

  rc_sync_run_async (f->sync, NULL, got_result, &p);
  rc_test_wait_result (&p.result);
  ok = rc_sync_run_finish (f->sync, p.result, error);
  g_object_unref (p.result);
  return ok;
}

static void
test_run_fsync_then_isync (Fixture *f, gconstpointer data)
{
  const guint64 first[] = { 11, 12 };
  const guint64 second[] = { 12, 13 }; /* overlapping window */
  const guint minutes[] = { 1, 2 };
  g_autofree char *a1 = answer_text (first, minutes, 2, "T1");
  g_autofree char *a2 = answer_text (second, minutes, 2, "T2");
  g_autoptr (GError) error = NULL;

  rc_sync_set_fsync_from (f->sync, 1714557600);
  plan (f, 200, a1);
  plan (f, 200, a2);
  g_assert_true (run_round (f, &error));
  g_assert_no_error (error);
  g_assert_true (run_round (f, &error));
  g_assert_no_error (error);

  g_assert_cmpuint (f->queries->len, ==, 2);
  g_assert_cmpstr (f->queries->pdata[0], ==,
                   "syncType=FSync&messageType=SMS&dateFrom=2024-05-01T10%3A00%3A00.000Z");
  g_assert_cmpstr (f->queries->pdata[1], ==, "syncType=ISync&syncToken=T1");
  g_assert_cmpuint (f->recorder.ids->len, ==, 3);
  g_assert_cmpstr (f->recorder.ids->pdata[2], ==, "13");
  g_assert_cmpstr (rc_sync_get_token (f->sync), ==, "T2");
}

static void
test_run_sync_reset (Fixture *f, gconstpointer data)
{
  const guint64 ids[] = { 21, 22 };
  const guint minutes[] = { 1, 2 };
  g_autofree char *fresh = answer_text (ids, minutes, 2, "FRESH");
  g_autoptr (GError) error = NULL;
  g_autofree char *seen = NULL;

  rc_sync_restore (f->sync, "EXPIRED", "21");
  plan (f, 400,
        "{\"errorCode\": \"MSG-333\", \"message\": \"Full synchronization is required\","
        " \"errors\": [{\"errorCode\": \"MSG-333\", \"message\": \"Full sync required\"}]}");
  plan (f, 200, fresh);
  g_assert_true (run_round (f, &error));
  g_assert_no_error (error);

  g_assert_cmpuint (f->queries->len, ==, 2);
  g_assert_cmpstr (f->queries->pdata[0], ==, "syncType=ISync&syncToken=EXPIRED");
  g_assert_cmpstr (f->queries->pdata[1], ==, "syncType=FSync&messageType=SMS");
  g_assert_cmpstr (rc_sync_get_token (f->sync), ==, "FRESH");
  /* 21 was already shown before the reset: only 22 is new. */
  g_assert_cmpuint (f->recorder.ids->len, ==, 1);
  g_assert_cmpstr (f->recorder.ids->pdata[0], ==, "22");
  g_assert_cmpuint (f->recorder.state_changes, >=, 2); /* token dropped, then new state */
  seen = rc_sync_save_seen (f->sync);
  g_assert_cmpstr (seen, ==, "21,22");
}

static void
test_run_reset_twice_fails (Fixture *f, gconstpointer data)
{
  static const char reset[] = "{\"errors\": [{\"errorCode\": \"MSG-333\", \"message\": \"Full\"}]}";
  g_autoptr (GError) error = NULL;

  rc_sync_restore (f->sync, "EXPIRED", NULL);
  plan (f, 400, reset);
  plan (f, 400, reset); /* even the FSync is refused: give up, no loop */
  g_assert_false (run_round (f, &error));
  g_assert_error (error, RC_ERROR, RC_ERROR_SYNC_RESET);
  g_assert_cmpuint (f->queries->len, ==, 2);
  g_assert_null (rc_sync_get_token (f->sync));
}

static void
test_run_error_keeps_state (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;

  rc_sync_restore (f->sync, "KEEP", "5");
  plan (f, 403, "{\"errors\": [{\"errorCode\": \"CMN-408\", \"message\": \"No permission\"}]}");
  g_assert_false (run_round (f, &error));
  g_assert_error (error, RC_ERROR, RC_ERROR_NOT_PERMITTED);
  g_assert_cmpstr (rc_sync_get_token (f->sync), ==, "KEEP");
  g_assert_cmpuint (f->recorder.state_changes, ==, 0);
  g_clear_error (&error);

  plan (f, 200, "{\"records\": \"garbage\"}");
  g_assert_false (run_round (f, &error));
  g_assert_error (error, RC_ERROR, RC_ERROR_BAD_RESPONSE);
  g_assert_cmpstr (rc_sync_get_token (f->sync), ==, "KEEP");
}

static void
test_run_coalesced (Fixture *f, gconstpointer data)
{
  const guint64 a[] = { 31 };
  const guint64 b[] = { 32 };
  const guint minutes[] = { 1 };
  g_autofree char *a1 = answer_text (a, minutes, 1, "C1");
  g_autofree char *a2 = answer_text (b, minutes, 1, "C2");
  Pending p1 = { 0 }, p2 = { 0 }, p3 = { 0 };

  completed = 0;
  plan (f, 200, a1);
  plan (f, 200, a2);
  rc_sync_run_async (f->sync, NULL, got_result, &p1);
  rc_sync_run_async (f->sync, NULL, got_result, &p2); /* while the first runs */
  rc_sync_run_async (f->sync, NULL, got_result, &p3);
  rc_test_wait_result (&p1.result);
  rc_test_wait_result (&p2.result);
  rc_test_wait_result (&p3.result);

  /* Two rounds, not three: the 2nd and 3rd calls share the round after the first. */
  g_assert_cmpuint (f->queries->len, ==, 2);
  g_assert_cmpstr (f->queries->pdata[1], ==, "syncType=ISync&syncToken=C1");
  g_assert_cmpuint (p1.order, ==, 1);
  g_assert_cmpuint (p2.order, >, 1);
  g_assert_cmpuint (p3.order, >, 1);
  g_assert_true (rc_sync_run_finish (f->sync, p1.result, NULL));
  g_assert_true (rc_sync_run_finish (f->sync, p2.result, NULL));
  g_assert_true (rc_sync_run_finish (f->sync, p3.result, NULL));
  g_assert_cmpuint (f->recorder.ids->len, ==, 2);
  g_object_unref (p1.result);
  g_object_unref (p2.result);
  g_object_unref (p3.result);
}

static void
test_run_abandoned (Fixture *f, gconstpointer data)
{
  const guint64 a[] = { 61 };
  const guint minutes[] = { 1 };
  g_autofree char *a1 = answer_text (a, minutes, 1, "A1");
  g_autofree char *a2 = answer_text (a, minutes, 1, "A2");
  g_autoptr (GCancellable) cancellable = g_cancellable_new ();
  g_autoptr (GError) e1 = NULL;
  g_autoptr (GError) e2 = NULL;
  Pending p1 = { 0 }, p2 = { 0 }, p3 = { 0 };

  /* A round shared by two callers (not cancellable by itself) whose callers both give up: the
   * answer is not applied, so nothing is reported to nobody and the token stays. */
  completed = 0;
  plan (f, 200, a1);
  plan (f, 200, a2);
  rc_sync_run_async (f->sync, NULL, got_result, &p1);
  rc_sync_run_async (f->sync, cancellable, got_result, &p2);
  rc_sync_run_async (f->sync, cancellable, got_result, &p3);
  rc_test_wait_result (&p1.result);
  g_assert_cmpstr (rc_sync_get_token (f->sync), ==, "A1");
  g_cancellable_cancel (cancellable);
  rc_test_wait_result (&p2.result);
  rc_test_wait_result (&p3.result);
  g_assert_false (rc_sync_run_finish (f->sync, p2.result, &e1));
  g_assert_error (e1, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_false (rc_sync_run_finish (f->sync, p3.result, &e2));
  g_assert_error (e2, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpstr (rc_sync_get_token (f->sync), ==, "A1");
  g_assert_cmpuint (f->recorder.ids->len, ==, 1);
  g_assert_true (rc_sync_run_finish (f->sync, p1.result, NULL));
  g_object_unref (p1.result);
  g_object_unref (p2.result);
  g_object_unref (p3.result);
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/sync/fixture-sms-only", test_fixture_sms_only);
  g_test_add_func ("/sync/order-and-dedupe", test_order_and_dedupe);
  g_test_add_func ("/sync/bad-answers", test_bad_answers);
  g_test_add_func ("/sync/seen-bounded-round-trip", test_seen_bounded_round_trip);
  g_test_add_func ("/sync/paths", test_paths);
  g_test_add ("/sync/run/fsync-then-isync", Fixture, NULL, fixture_set_up,
              test_run_fsync_then_isync, fixture_tear_down);
  g_test_add ("/sync/run/msg-333-restart", Fixture, NULL, fixture_set_up, test_run_sync_reset,
              fixture_tear_down);
  g_test_add ("/sync/run/msg-333-twice", Fixture, NULL, fixture_set_up, test_run_reset_twice_fails,
              fixture_tear_down);
  g_test_add ("/sync/run/error-keeps-state", Fixture, NULL, fixture_set_up,
              test_run_error_keeps_state, fixture_tear_down);
  g_test_add ("/sync/run/coalesced", Fixture, NULL, fixture_set_up, test_run_coalesced,
              fixture_tear_down);
  g_test_add ("/sync/run/abandoned", Fixture, NULL, fixture_set_up, test_run_abandoned,
              fixture_tear_down);
  return g_test_run ();
}
