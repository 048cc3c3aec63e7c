/* test-sync.c: message-sync rounds: records oldest first in batches, token and sync time,
 * MSG-333, coalescing. Big, broken and paged answers: test-sync-stream.c. (The seen memory and
 * ordering moved to RcInbox: test-inbox.c.) */
#include <string.h>
#include <glib.h>

#include "rc-error.h"
#include "test-sync-util.h"

static void
test_fixture_sms_only (void)
{
  g_autoptr (RcClient) client = rc_test_client_new ("https://platform.ringcentral.com");
  g_autoptr (RcSync) sync = rc_sync_new (client);
  g_autofree char *text = rc_test_fixture_text ("message-sync-fsync.json");
  Recorder r;

  recorder_init (&r, sync);
  g_assert_null (rc_sync_get_token (sync));
  g_assert_cmpint (rc_sync_get_sync_time (sync), ==, 0);
  apply (sync, text);
  /* The two Pager records are dropped, the SMS comes through. */
  g_assert_cmpuint (r.emissions, ==, 1);
  g_assert_cmpuint (r.ids->len, ==, 1);
  g_assert_cmpstr (r.ids->pdata[0], ==, "5475920007");
  g_assert_cmpuint (r.state_changes, ==, 1);
  g_assert_cmpstr (rc_sync_get_token (sync), ==,
                   "AQEAAAAAAwAAAVxD-BXYBgAAAPoFAAABXGek2KYTAAgAAAAADG7kVAkBCgGeSTPY");
  /* "syncTime": "2017-06-02T07:11:15.622Z" */
  g_assert_cmpint (rc_sync_get_sync_time (sync), ==, 1496387475);
  g_assert_cmpstr (r.saved_token, ==, rc_sync_get_token (sync));
  g_assert_cmpint (r.saved_time, ==, 1496387475);

  /* The same answer again (the server overlaps windows): the records are handed on again (the
   * inbox tells what it has seen), but there is nothing new to persist. */
  recorder_reset (&r);
  apply (sync, text);
  g_assert_cmpuint (r.ids->len, ==, 1);
  g_assert_cmpuint (r.state_changes, ==, 0);
  recorder_clear (&r);
}

static void
test_server_order (void)
{
  g_autoptr (RcClient) client = rc_test_client_new ("https://platform.ringcentral.com");
  g_autoptr (RcSync) sync = rc_sync_new (client);
  const guint64 ids[] = { 30, 10, 20, 10, 41, 40 };
  const guint minutes[] = { 3, 1, 2, 1, 4, 4 };
  const char *const expected[] = { "10", "10", "20", "30", "40", "41" };
  g_autofree char *text = answer_text (ids, minutes, G_N_ELEMENTS (ids), "T1");
  g_autofree char *empty = answer_text (NULL, NULL, 0, "T1");
  Recorder r;

  /* One emission for a small answer, oldest first (creation time, then id: the inbox's order),
   * duplicates included: no memory here. */
  recorder_init (&r, sync);
  apply (sync, text);
  g_assert_cmpuint (r.emissions, ==, 1);
  g_assert_cmpuint (r.ids->len, ==, G_N_ELEMENTS (expected));
  for (gsize i = 0; i < G_N_ELEMENTS (expected); i++)
    g_assert_cmpstr (r.ids->pdata[i], ==, expected[i]);
  g_assert_cmpstr (r.texts->pdata[0], ==, "m10");
  g_assert_cmpuint (r.state_changes, ==, 1);

  /* An answer without records: no emission. */
  recorder_reset (&r);
  apply (sync, empty);
  g_assert_cmpuint (r.emissions, ==, 0);
  g_assert_cmpuint (r.state_changes, ==, 0);
  recorder_clear (&r);
}

static void
test_bad_record_skipped (void)
{
  g_autoptr (RcClient) client = rc_test_client_new ("https://platform.ringcentral.com");
  g_autoptr (RcSync) sync = rc_sync_new (client);
  Recorder r;

  /* Unreadable records (not an object, no type, to of the wrong kind, direction a number) are
   * skipped, not fatal; non-SMS dropped; the readable SMS records around them come through. */
  recorder_init (&r, sync);
  apply (sync, "{\"records\": [42, {\"id\": 50}, {\"id\": 51, \"type\": \"SMS\", \"to\": 7},"
               " {\"id\": 52, \"type\": \"Fax\"}, {\"id\": 20, \"type\": \"SMS\"},"
               " {\"id\": 54, \"type\": \"SMS\", \"direction\": 3},"
               " {\"id\": \"53\", \"type\": \"SMS\", \"subject\": \"ok\"},"
               " {\"id\": 55, \"type\": \"Pager\"}, \"junk\", {\"type\": \"SMS\"}],"
               " \"syncInfo\": {\"syncToken\": \"T1\"}}");
  g_assert_cmpuint (r.emissions, ==, 1);
  g_assert_cmpuint (r.ids->len, ==, 2);
  g_assert_cmpstr (r.ids->pdata[0], ==, "20");
  g_assert_cmpstr (r.ids->pdata[1], ==, "53");
  g_assert_cmpstr (r.texts->pdata[1], ==, "ok");
  g_assert_cmpstr (rc_sync_get_token (sync), ==, "T1");
  g_assert_cmpuint (r.state_changes, ==, 1);

  /* Only unreadable records: the answer still counts (token moves on), nothing is emitted. */
  recorder_reset (&r);
  apply (sync, "{\"records\": [{\"id\": 60}, null], \"syncInfo\": {\"syncToken\": \"T2\"}}");
  g_assert_cmpuint (r.emissions, ==, 0);
  g_assert_cmpstr (rc_sync_get_token (sync), ==, "T2");
  g_assert_cmpuint (r.state_changes, ==, 1);
  recorder_clear (&r);
}

static void
test_sync_time (void)
{
  g_autoptr (RcClient) client = rc_test_client_new ("https://platform.ringcentral.com");
  g_autoptr (RcSync) sync = rc_sync_new (client);
  g_autoptr (RcSync) again = rc_sync_new (client);
  const guint64 ids[] = { 1 };
  const guint minutes[] = { 1 };
  g_autofree char *a1 = answer_text_at (ids, minutes, 1, "T1", "2024-05-01T10:00:00.000Z");
  g_autofree char *a2 = answer_text_at (ids, minutes, 1, "T1", "2024-05-01T10:05:00.250Z");
  g_autofree char *no_time = answer_text (ids, minutes, 1, "T1");
  g_autofree char *bad_time = answer_text_at (ids, minutes, 1, "T1", "yesterday");
  g_autofree char *both = answer_text_at (ids, minutes, 1, "T2", "2024-05-01T10:00:00Z");
  Recorder r;

  recorder_init (&r, sync);
  apply (sync, a1);
  g_assert_cmpint (rc_sync_get_sync_time (sync), ==, T_2024_05_01_1000);
  g_assert_cmpuint (r.state_changes, ==, 1);
  g_assert_cmpstr (r.saved_token, ==, "T1");
  g_assert_cmpint (r.saved_time, ==, T_2024_05_01_1000);

  /* Same token, later sync time: that alone is worth persisting. */
  recorder_reset (&r);
  apply (sync, a2);
  g_assert_cmpint (rc_sync_get_sync_time (sync), ==, T_2024_05_01_1005);
  g_assert_cmpuint (r.state_changes, ==, 1);
  g_assert_cmpint (r.saved_time, ==, T_2024_05_01_1005);

  /* Same again, no sync time, an unreadable one: nothing changes. */
  recorder_reset (&r);
  apply (sync, a2);
  apply (sync, no_time);
  apply (sync, bad_time);
  g_assert_cmpint (rc_sync_get_sync_time (sync), ==, T_2024_05_01_1005);
  g_assert_cmpuint (r.state_changes, ==, 0);
  g_assert_cmpuint (r.emissions, ==, 3);

  /* Token and time both change: one "state-changed" carrying both. */
  apply (sync, both);
  g_assert_cmpuint (r.state_changes, ==, 1);
  g_assert_cmpstr (r.saved_token, ==, "T2");
  g_assert_cmpint (r.saved_time, ==, T_2024_05_01_1000);

  /* Restored in a new session: same token and time, and the next ISync uses the token. */
  rc_sync_restore (again, r.saved_token, r.saved_time);
  g_assert_cmpstr (rc_sync_get_token (again), ==, "T2");
  g_assert_cmpint (rc_sync_get_sync_time (again), ==, T_2024_05_01_1000);
  recorder_clear (&r);
}

static void
test_restore (void)
{
  g_autoptr (RcClient) client = rc_test_client_new ("https://platform.ringcentral.com");
  g_autoptr (RcSync) sync = rc_sync_new (client);
  g_autofree char *path = NULL;

  rc_sync_restore (sync, "TOKEN+/=", 1714557600);
  g_assert_cmpstr (rc_sync_get_token (sync), ==, "TOKEN+/=");
  g_assert_cmpint (rc_sync_get_sync_time (sync), ==, T_2024_05_01_1000);
  path = rc_sync_build_path (sync);
  g_assert_cmpstr (path, ==,
                   "/restapi/v1.0/account/~/extension/~/message-sync?syncType=ISync"
                   "&syncToken=TOKEN%2B%2F%3D");

  /* Empty token: the next run is an FSync; a nonsensical time reads as unknown. */
  rc_sync_restore (sync, "", -5);
  g_assert_null (rc_sync_get_token (sync));
  g_assert_cmpint (rc_sync_get_sync_time (sync), ==, 0);
  rc_sync_restore (sync, NULL, 0);
  g_assert_null (rc_sync_get_token (sync));
  g_clear_pointer (&path, g_free);
  path = rc_sync_build_path (sync);
  g_assert_cmpstr (
      path, ==, "/restapi/v1.0/account/~/extension/~/message-sync?syncType=FSync&messageType=SMS&recordCount=250");
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
    "{\"records\": [{\"id\": 1, \"type\": \"SMS\"}],"
    " \"syncInfo\": {\"syncTime\": \"2024-05-01T10:05:00Z\"}}",
  };
  Recorder r;

  recorder_init (&r, sync);
  rc_sync_restore (sync, "OLD", T_2024_05_01_1000);
  for (gsize i = 0; i < G_N_ELEMENTS (bad); i++) {
    g_autoptr (JsonNode) root = rc_test_parse_json (bad[i]);
    g_autoptr (GError) error = NULL;

    g_test_message ("bad answer %s", bad[i]);
    g_assert_false (rc_sync_apply_answer (sync, root, &error));
    g_assert_error (error, RC_ERROR, RC_ERROR_BAD_RESPONSE);
    g_assert_cmpstr (rc_sync_get_token (sync), ==, "OLD");
    g_assert_cmpint (rc_sync_get_sync_time (sync), ==, T_2024_05_01_1000);
  }
  g_assert_cmpuint (r.emissions, ==, 0);
  g_assert_cmpuint (r.state_changes, ==, 0);
  recorder_clear (&r);
}

static void
test_paths (void)
{
  g_autoptr (RcClient) client = rc_test_client_new ("https://platform.ringcentral.com");
  g_autoptr (RcSync) sync = rc_sync_new (client);
  g_autofree char *plain = rc_sync_build_path (sync);
  g_autofree char *dated = NULL;

  g_assert_cmpstr (
      plain, ==, "/restapi/v1.0/account/~/extension/~/message-sync?syncType=FSync&messageType=SMS&recordCount=250");
  rc_sync_set_fsync_from (sync, T_2024_05_01_1000);
  dated = rc_sync_build_path (sync);
  g_assert_cmpstr (dated, ==,
                   "/restapi/v1.0/account/~/extension/~/message-sync?syncType=FSync&messageType=SMS"
                   "&dateFrom=2024-05-01T10%3A00%3A00.000Z&recordCount=250");
}

/* ---- rounds against a tiny local server ---- */

static void
test_run_fsync_then_isync (Fixture *f, gconstpointer data)
{
  const guint64 first[] = { 11, 12 };
  const guint64 second[] = { 12, 13 }; /* overlapping window */
  const guint minutes[] = { 1, 2 };
  g_autofree char *a1 = answer_text_at (first, minutes, 2, "T1", "2024-05-01T10:05:00.000Z");
  g_autofree char *a2 = answer_text (second, minutes, 2, "T2");
  g_autoptr (GError) error = NULL;

  rc_sync_set_fsync_from (f->sync, T_2024_05_01_1000);
  plan (f, 200, a1);
  plan (f, 200, a2);
  g_assert_true (run_round (f, &error));
  g_assert_no_error (error);
  g_assert_cmpint (rc_sync_get_sync_time (f->sync), ==, T_2024_05_01_1005);
  g_assert_true (run_round (f, &error));
  g_assert_no_error (error);

  g_assert_cmpuint (f->queries->len, ==, 2);
  g_assert_cmpstr (f->queries->pdata[0], ==,
                   "syncType=FSync&messageType=SMS&dateFrom=2024-05-01T10%3A00%3A00.000Z&recordCount=250");
  g_assert_cmpstr (f->queries->pdata[1], ==, "syncType=ISync&syncToken=T1");
  /* Both answers are handed on whole; the overlap (12) is the inbox's business. */
  g_assert_cmpuint (f->recorder.emissions, ==, 2);
  g_assert_cmpuint (f->recorder.ids->len, ==, 4);
  g_assert_cmpstr (f->recorder.ids->pdata[3], ==, "13");
  g_assert_cmpstr (rc_sync_get_token (f->sync), ==, "T2");
  g_assert_cmpstr (f->recorder.saved_token, ==, "T2");
  /* The second answer had no sync time: the first one's stays. */
  g_assert_cmpint (rc_sync_get_sync_time (f->sync), ==, T_2024_05_01_1005);
}

static const char msg_333[]
    = "{\"errorCode\": \"MSG-333\", \"message\": \"Full synchronization is required\","
      " \"errors\": [{\"errorCode\": \"MSG-333\", \"message\": \"Full sync required\"}]}";

static void
test_run_sync_reset (Fixture *f, gconstpointer data)
{
  const guint64 ids[] = { 21, 22 };
  const guint minutes[] = { 1, 2 };
  g_autofree char *fresh = answer_text (ids, minutes, 2, "FRESH");
  g_autoptr (GError) error = NULL;

  /* No sync time known: the full sync starts at the server's default window. */
  rc_sync_restore (f->sync, "EXPIRED", 0);
  plan (f, 400, msg_333);
  plan (f, 200, fresh);
  g_assert_true (run_round (f, &error));
  g_assert_no_error (error);

  g_assert_cmpuint (f->queries->len, ==, 2);
  g_assert_cmpstr (f->queries->pdata[0], ==, "syncType=ISync&syncToken=EXPIRED");
  g_assert_cmpstr (f->queries->pdata[1], ==, "syncType=FSync&messageType=SMS&recordCount=250");
  g_assert_cmpstr (rc_sync_get_token (f->sync), ==, "FRESH");
  g_assert_cmpuint (f->recorder.ids->len, ==, 2);
  g_assert_cmpstr (f->recorder.ids->pdata[0], ==, "21");
  g_assert_cmpuint (f->recorder.state_changes, ==, 2); /* token dropped, then new state */
  g_assert_cmpstr (f->recorder.saved_token, ==, "FRESH");
}

static void
test_run_sync_reset_from_sync_time (Fixture *f, gconstpointer data)
{
  const guint64 ids[] = { 21 };
  const guint minutes[] = { 1 };
  g_autofree char *fresh = answer_text_at (ids, minutes, 1, "FRESH", "2024-05-01T10:06:00Z");
  g_autoptr (GError) error = NULL;

  /* A sync time was known: the full sync starts there, minus the overlap, not at the first
   * sign-on's dateFrom nor at the server's default window. */
  rc_sync_set_fsync_from (f->sync, T_2024_05_01_1000 - 86400);
  rc_sync_restore (f->sync, "EXPIRED", T_2024_05_01_1005);
  plan (f, 400, msg_333);
  plan (f, 200, fresh);
  g_assert_true (run_round (f, &error));
  g_assert_no_error (error);

  g_assert_cmpint (RC_SYNC_RESET_OVERLAP_S, ==, 60);
  g_assert_cmpuint (f->queries->len, ==, 2);
  g_assert_cmpstr (f->queries->pdata[0], ==, "syncType=ISync&syncToken=EXPIRED");
  /* 10:05:00 − 60 s */
  g_assert_cmpstr (f->queries->pdata[1], ==,
                   "syncType=FSync&messageType=SMS&dateFrom=2024-05-01T10%3A04%3A00.000Z&recordCount=250");
  g_assert_cmpstr (rc_sync_get_token (f->sync), ==, "FRESH");
  g_assert_cmpint (rc_sync_get_sync_time (f->sync), ==, T_2024_05_01_1005 + 60);
  g_assert_cmpuint (f->recorder.ids->len, ==, 1);
  g_assert_cmpint (f->recorder.saved_time, ==, T_2024_05_01_1005 + 60);
}

static void
test_run_reset_twice_fails (Fixture *f, gconstpointer data)
{
  static const char reset[] = "{\"errors\": [{\"errorCode\": \"MSG-333\", \"message\": \"Full\"}]}";
  g_autoptr (GError) error = NULL;

  rc_sync_restore (f->sync, "EXPIRED", 0);
  plan (f, 400, reset);
  plan (f, 400, reset); /* even the FSync is refused: give up, no loop */
  g_assert_false (run_round (f, &error));
  g_assert_error (error, RC_ERROR, RC_ERROR_SYNC_RESET);
  g_assert_cmpuint (f->queries->len, ==, 2);
  g_assert_null (rc_sync_get_token (f->sync));
  g_assert_cmpuint (f->recorder.emissions, ==, 0);
}

static void
test_run_error_keeps_state (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;

  rc_sync_restore (f->sync, "KEEP", T_2024_05_01_1000);
  plan (f, 403, "{\"errors\": [{\"errorCode\": \"CMN-408\", \"message\": \"No permission\"}]}");
  g_assert_false (run_round (f, &error));
  g_assert_error (error, RC_ERROR, RC_ERROR_NOT_PERMITTED);
  g_assert_cmpstr (rc_sync_get_token (f->sync), ==, "KEEP");
  g_assert_cmpint (rc_sync_get_sync_time (f->sync), ==, T_2024_05_01_1000);
  g_assert_cmpuint (f->recorder.state_changes, ==, 0);
  g_clear_error (&error);

  plan (f, 200, "{\"records\": \"garbage\"}");
  g_assert_false (run_round (f, &error));
  g_assert_error (error, RC_ERROR, RC_ERROR_BAD_RESPONSE);
  g_assert_cmpstr (rc_sync_get_token (f->sync), ==, "KEEP");
  g_assert_cmpint (rc_sync_get_sync_time (f->sync), ==, T_2024_05_01_1000);
  g_assert_cmpuint (f->recorder.state_changes, ==, 0);
  g_assert_cmpuint (f->recorder.emissions, ==, 0);
}

/* A big answer, read as a stream: handed on in batches of RC_SYNC_BATCH, oldest first across
 * batches (the server sends the newest first), each batch before the token is stored. */
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
  g_assert_cmpstr (f->recorder.ids->pdata[0], ==, "31");
  g_assert_cmpstr (f->recorder.ids->pdata[1], ==, "32");
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
  g_autofree char *a2 = answer_text_at (a, minutes, 1, "A2", "2024-05-01T10:05:00Z");
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
  g_assert_cmpint (rc_sync_get_sync_time (f->sync), ==, 0);
  g_assert_cmpuint (f->recorder.ids->len, ==, 1);
  g_assert_cmpuint (f->recorder.state_changes, ==, 1);
  g_assert_true (rc_sync_run_finish (f->sync, p1.result, NULL));
  g_object_unref (p1.result);
  g_object_unref (p2.result);
  g_object_unref (p3.result);
}

/* A token the server refuses (CMN-101 on syncToken) is dropped and the round goes on with a full
 * sync from the last sync time; kept, receiving would stop for good. */
static void
test_run_token_refused (Fixture *f, gconstpointer data)
{
  const guint64 ids[] = { 41 };
  const guint minutes[] = { 1 };
  g_autofree char *fresh = answer_text_at (ids, minutes, 1, "FRESH", "2024-05-01T10:06:00Z");
  g_autoptr (GError) error = NULL;

  rc_sync_restore (f->sync, "REFUSED", T_2024_05_01_1005);
  plan (f, 400,
        "{\"errors\": [{\"errorCode\": \"CMN-101\", \"message\": \"Parameter [syncToken] value "
        "is invalid\", \"parameterName\": \"syncToken\"}]}");
  plan (f, 200, fresh);
  g_assert_true (run_round (f, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (f->queries->len, ==, 2);
  g_assert_cmpstr (f->queries->pdata[1], ==,
                   "syncType=FSync&messageType=SMS&dateFrom=2024-05-01T10%3A04%3A00.000Z&recordCount=250");
  g_assert_cmpstr (rc_sync_get_token (f->sync), ==, "FRESH");
  g_assert_cmpuint (f->recorder.ids->len, ==, 1);
  g_clear_error (&error);

  /* A 404 for the token too; once per round (a refused full sync fails the round, no loop). */
  plan (f, 404, "{\"errors\": [{\"errorCode\": \"CMN-102\", \"message\": \"Not found\"}]}");
  plan (f, 400, "{\"errors\": [{\"errorCode\": \"CMN-101\", \"message\": \"Bad\"}]}");
  g_assert_false (run_round (f, &error));
  g_assert_error (error, RC_ERROR, RC_ERROR_INVALID_INPUT);
  g_assert_cmpuint (f->queries->len, ==, 4);
  g_assert_cmpstr (f->queries->pdata[3], ==,
                   "syncType=FSync&messageType=SMS&dateFrom=2024-05-01T10%3A05%3A00.000Z&recordCount=250");
  g_assert_null (rc_sync_get_token (f->sync));
}

/* An answer whose token is unusable (10 MB, control characters): its records are handed on, the
 * token is not kept, and the next round is a full sync from the answer's sync time. */
static void
test_unusable_token_not_kept (Fixture *f, gconstpointer data)
{
  const guint64 ids[] = { 51, 52 };
  const guint minutes[] = { 1, 2 };
  gsize big = 10 * 1024 * 1024;
  g_autofree char *huge = g_malloc (big + 1);
  g_autofree char *answer = NULL;
  g_autofree char *path = NULL;

  memset (huge, 'A', big);
  huge[big] = '\0';
  answer = answer_text_at (ids, minutes, 2, huge, "2024-05-01T10:05:00Z");
  rc_sync_restore (f->sync, "GOOD", 0);
  apply (f->sync, answer);
  g_assert_cmpuint (f->recorder.ids->len, ==, 2);
  g_assert_null (rc_sync_get_token (f->sync));
  g_assert_null (f->recorder.saved_token);
  g_assert_cmpint (rc_sync_get_sync_time (f->sync), ==, T_2024_05_01_1005);
  path = rc_sync_build_path (f->sync);
  g_assert_true (g_str_has_suffix (
      path, "syncType=FSync&messageType=SMS&dateFrom=2024-05-01T10%3A04%3A00.000Z&recordCount=250"));

  /* Nor is one restored. */
  rc_sync_restore (f->sync, huge, T_2024_05_01_1000);
  g_assert_null (rc_sync_get_token (f->sync));
  rc_sync_restore (f->sync, "TAB\tTOKEN", T_2024_05_01_1000);
  g_assert_null (rc_sync_get_token (f->sync));
  rc_sync_restore (f->sync, "TOKEN+/=", T_2024_05_01_1000);
  g_assert_cmpstr (rc_sync_get_token (f->sync), ==, "TOKEN+/=");
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/sync/fixture-sms-only", test_fixture_sms_only);
  g_test_add_func ("/sync/server-order", test_server_order);
  g_test_add_func ("/sync/bad-record-skipped", test_bad_record_skipped);
  g_test_add_func ("/sync/sync-time", test_sync_time);
  g_test_add_func ("/sync/restore", test_restore);
  g_test_add_func ("/sync/bad-answers", test_bad_answers);
  g_test_add_func ("/sync/paths", test_paths);
  g_test_add ("/sync/run/fsync-then-isync", Fixture, NULL, fixture_set_up,
              test_run_fsync_then_isync, fixture_tear_down);
  g_test_add ("/sync/run/msg-333-restart", Fixture, NULL, fixture_set_up, test_run_sync_reset,
              fixture_tear_down);
  g_test_add ("/sync/run/msg-333-restart-from-sync-time", Fixture, NULL, fixture_set_up,
              test_run_sync_reset_from_sync_time, fixture_tear_down);
  g_test_add ("/sync/run/msg-333-twice", Fixture, NULL, fixture_set_up, test_run_reset_twice_fails,
              fixture_tear_down);
  g_test_add ("/sync/run/error-keeps-state", Fixture, NULL, fixture_set_up,
              test_run_error_keeps_state, fixture_tear_down);
  g_test_add ("/sync/run/token-refused", Fixture, NULL, fixture_set_up, test_run_token_refused,
              fixture_tear_down);
  g_test_add ("/sync/run/unusable-token-not-kept", Fixture, NULL, fixture_set_up,
              test_unusable_token_not_kept, fixture_tear_down);
  g_test_add ("/sync/run/coalesced", Fixture, NULL, fixture_set_up, test_run_coalesced,
              fixture_tear_down);
  g_test_add ("/sync/run/abandoned", Fixture, NULL, fixture_set_up, test_run_abandoned,
              fixture_tear_down);
  return g_test_run ();
}
