/* test-sync-stream.c: RcSync rounds with big, paged and broken answers: the streamed answer
 * (rc-json-stream.h) handed on oldest first in batches, a broken one handing on nothing, and the
 * full sync's pages (recordCount, dateTo, olderRecordsExist). */
#include <string.h>
#include <glib.h>

#include "rc-error.h"
#include "test-sync-util.h"

/* @data: the number of records (GUINT_TO_POINTER): up to RC_SYNC_PARSED_MAX they stay parsed,
 * past it they move to the compressed hold; the order, batches and content are the same either
 * way. */
static void
test_run_streamed_batches (Fixture *f, gconstpointer data)
{
  const guint n = GPOINTER_TO_UINT (data);
  g_autofree guint64 *ids = g_new (guint64, n);
  g_autofree guint *minutes = g_new (guint, n);
  g_autofree char *text = NULL;
  g_autoptr (GError) error = NULL;

  for (guint i = 0; i < n; i++) {
    ids[i] = 100000 + n - i; /* newest first */
    minutes[i] = (n - i) % 3600; /* seconds of 10:00-10:59: monotonic up to 3,599 records */
  }
  /* syncInfo first, then the records: any member order. */
  text = answer_text_at (ids, minutes, n, "BIG", "2024-05-01T10:05:00.000Z");
  {
    const char *info = strstr (text, "], \"syncInfo\"");
    g_autofree char *records = g_strndup (text + 1, info + 1 - (text + 1));
    g_autofree char *rest = g_strndup (info + 3, strlen (info + 3) - 1);
    g_autofree char *swapped = g_strdup_printf ("{%s, %s}", rest, records);

    plan (f, 200, swapped);
  }
  /* An ISync (a token is known): its answer is not paged, so past RC_SYNC_PARSED_MAX records it
   * goes through the hold (a full sync keeps its pages parsed). */
  rc_sync_restore (f->sync, "EARLIER", 0);
  g_assert_true (run_round (f, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (f->recorder.emissions, ==, (n + RC_SYNC_BATCH - 1) / RC_SYNC_BATCH);
  g_assert_cmpuint (f->recorder.ids->len, ==, n);
  for (guint i = 1; i < n; i++)
    g_assert_cmpint (g_ascii_strtoll (f->recorder.ids->pdata[i - 1], NULL, 10), <,
                     g_ascii_strtoll (f->recorder.ids->pdata[i], NULL, 10));
  /* Each record whole, held (packed, rc-message-pack.h) or not: its text is "m<id>". */
  for (guint i = 0; i < n; i++) {
    g_autofree char *expected = g_strdup_printf ("m%s", (char *)f->recorder.ids->pdata[i]);
    g_assert_cmpstr (f->recorder.texts->pdata[i], ==, expected);
  }
  g_assert_cmpstr (rc_sync_get_token (f->sync), ==, "BIG");
  g_assert_cmpuint (f->recorder.state_changes, ==, 1);
}

/* A broken streamed answer hands on nothing and changes nothing, wherever it breaks: cut short
 * after some records, a record that is not JSON, a second list, a depth bomb in a record. An
 * unreadable but well-formed record is skipped (test_bad_record_skipped). */
static void
test_run_streamed_broken (Fixture *f, gconstpointer data)
{
  const guint64 ids[] = { 1, 2, 3 };
  const guint minutes[] = { 1, 2, 3 };
  g_autofree char *good = answer_text (ids, minutes, 3, "NEW");
  g_autofree char *cut = g_strndup (good, strstr (good, "], \"syncInfo\"") - good);
  g_autofree char *no_end = g_strndup (good, strlen (good) - 1);
  g_autofree char *not_json = g_strdup (good);
  GString *bomb = g_string_new ("{\"records\": [{\"id\": 1, \"type\": \"SMS\"}, ");
  const char *bodies[5];

  *strstr (not_json, "\"m2\"") = '!';
  for (guint i = 0; i < 100000; i++)
    g_string_append_c (bomb, '[');
  bodies[0] = cut;
  bodies[1] = no_end;
  bodies[2] = not_json;
  bodies[3] = "{\"records\": [], \"records\": [], \"syncInfo\": {\"syncToken\": \"NEW\"}}";
  bodies[4] = bomb->str;

  rc_sync_restore (f->sync, "KEEP", T_2024_05_01_1000);
  for (gsize i = 0; i < G_N_ELEMENTS (bodies); i++) {
    g_autoptr (GError) error = NULL;

    g_test_message ("body %" G_GSIZE_FORMAT, i);
    plan (f, 200, bodies[i]);
    g_assert_false (run_round (f, &error));
    g_assert_error (error, RC_ERROR, RC_ERROR_BAD_RESPONSE);
    g_assert_cmpstr (rc_sync_get_token (f->sync), ==, "KEEP");
    g_assert_cmpint (rc_sync_get_sync_time (f->sync), ==, T_2024_05_01_1000);
    g_assert_cmpuint (f->recorder.emissions, ==, 0);
    g_assert_cmpuint (f->recorder.state_changes, ==, 0);
  }
  g_string_free (bomb, TRUE);
}

/* An FSync answer of @ids saying whether older records exist. */
static char *
fsync_page (const guint64 *ids, const guint *seconds, gsize n, const char *token, gboolean older)
{
  g_autofree char *text = answer_text_at (ids, seconds, n, token, "2024-05-01T10:05:00.000Z");
  g_auto (GStrv) parts = g_strsplit (text, "\"syncType\": \"ISync\"", 2);

  return g_strdup_printf ("%s\"syncType\": \"FSync\", \"olderRecordsExist\": %s%s", parts[0],
                          older ? "true" : "false", parts[1]);
}

/* A full sync pages back while older records exist (recordCount, then dateTo one second after
 * the oldest record: inclusive, whole seconds), drops the overlap by id, hands everything on
 * once, oldest first, and keeps page 1's token and time. A failed page hands on nothing. */
static void
test_run_fsync_pages (Fixture *f, gconstpointer data)
{
  const guint64 p1[] = { 5, 4, 3 }, p2[] = { 3, 2, 1 };
  const guint s1[] = { 5, 4, 3 }, s2[] = { 3, 2, 1 };
  g_autofree char *a1 = fsync_page (p1, s1, 3, "P1", TRUE);
  g_autofree char *a2 = fsync_page (p2, s2, 3, "P2", FALSE);
  g_autoptr (GError) error = NULL;
  const char *const expected[] = { "1", "2", "3", "4", "5" };

  rc_sync_set_fsync_from (f->sync, T_2024_05_01_1000);
  plan (f, 200, a1);
  plan (f, 500, "{}");
  g_assert_false (run_round (f, &error));
  g_assert_error (error, RC_ERROR, RC_ERROR_NETWORK);
  g_clear_error (&error);
  g_assert_null (rc_sync_get_token (f->sync));
  g_assert_cmpuint (f->recorder.emissions, ==, 0);
  g_assert_cmpuint (f->recorder.state_changes, ==, 0);

  plan (f, 200, a1);
  plan (f, 200, a2);
  g_assert_true (run_round (f, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (f->queries->len, ==, 4);
  g_assert_cmpstr (f->queries->pdata[2], ==,
                   "syncType=FSync&messageType=SMS&dateFrom=2024-05-01T10%3A00%3A00.000Z"
                   "&recordCount=250");
  g_assert_cmpstr (f->queries->pdata[3], ==,
                   "syncType=FSync&messageType=SMS&dateFrom=2024-05-01T10%3A00%3A00.000Z"
                   "&dateTo=2024-05-01T10%3A00%3A04.000Z&recordCount=250");
  g_assert_cmpuint (f->recorder.emissions, ==, 1);
  g_assert_cmpuint (f->recorder.ids->len, ==, G_N_ELEMENTS (expected));
  for (gsize i = 0; i < G_N_ELEMENTS (expected); i++)
    g_assert_cmpstr (f->recorder.ids->pdata[i], ==, expected[i]);
  g_assert_cmpstr (rc_sync_get_token (f->sync), ==, "P1");
  g_assert_cmpint (rc_sync_get_sync_time (f->sync), ==, T_2024_05_01_1005);
  g_assert_cmpuint (f->recorder.state_changes, ==, 1);
}

/* A server that always has older records: the full sync stops after a bounded number of pages,
 * and one that repeats a page (no new id) stops at once. */
static void
test_run_fsync_pages_bounded (Fixture *f, gconstpointer data)
{
  const guint64 same[] = { 9 };
  const guint s[] = { 9 };
  g_autofree char *repeat = fsync_page (same, s, 1, "R", TRUE);
  g_autoptr (GError) error = NULL;
  guint pages = 0;

  plan (f, 200, repeat);
  plan (f, 200, repeat);
  g_assert_true (run_round (f, &error));
  g_assert_cmpuint (f->queries->len, ==, 2);
  g_assert_cmpuint (f->recorder.ids->len, ==, 1);

  rc_sync_restore (f->sync, NULL, 0);
  for (guint i = 0; i < 1000; i++) {
    const guint64 id[] = { 1000 - i };
    const guint sec[] = { 1000 - i };
    g_autofree char *page = fsync_page (id, sec, 1, "B", TRUE);

    plan (f, 200, page);
  }
  g_assert_true (run_round (f, &error));
  pages = f->queries->len - 2;
  g_assert_cmpuint (pages, >=, 2);
  g_assert_cmpuint (pages, <=, 100);
  /* The unused answers are not asked for. */
  while (f->answers.length > 0)
    g_free (g_queue_pop_head (&f->answers));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add ("/sync/run/streamed-batches", Fixture, GUINT_TO_POINTER (2 * RC_SYNC_BATCH + 7),
              fixture_set_up, test_run_streamed_batches, fixture_tear_down);
  g_test_add ("/sync/run/streamed-batches-held", Fixture,
              GUINT_TO_POINTER (RC_SYNC_PARSED_MAX + RC_SYNC_BATCH + 7), fixture_set_up,
              test_run_streamed_batches, fixture_tear_down);
  g_test_add ("/sync/run/streamed-broken", Fixture, NULL, fixture_set_up, test_run_streamed_broken,
              fixture_tear_down);
  g_test_add ("/sync/run/fsync-pages", Fixture, NULL, fixture_set_up, test_run_fsync_pages,
              fixture_tear_down);
  g_test_add ("/sync/run/fsync-pages-bounded", Fixture, NULL, fixture_set_up,
              test_run_fsync_pages_bounded, fixture_tear_down);
  return g_test_run ();
}
