/* test-sync-parse.c: RcSyncParse (rc-sync-parse.h): records parsed in worker threads come back
 * in the order they were added, across many jobs; records of other kinds are skipped; the first
 * record (in order) that is not JSON spoils the answer with its error and nothing after it is
 * given; freeing while jobs run waits for them (ASan sees any use after free). */
#include <string.h>
#include <glib.h>

#include "rc-error.h"
#include "rc-sync-parse.h"

static char *
record (guint i, const char *type)
{
  return g_strdup_printf ("{\"id\":%u,\"type\":\"%s\",\"direction\":\"Inbound\","
                          "\"from\":{\"phoneNumber\":\"+14155550100\"},"
                          "\"to\":[{\"phoneNumber\":\"+14155550199\"}],\"subject\":\"text %u\","
                          "\"creationTime\":\"2026-11-29T10:00:00.000Z\"}",
                          1000 + i, type, i);
}

static void
on_parsed (RcMessage *message, gpointer user_data)
{
  g_ptr_array_add (user_data, message);
}

static void
test_order (void)
{
  g_autoptr (GPtrArray) got = g_ptr_array_new_with_free_func ((GDestroyNotify)rc_message_free);
  g_autoptr (RcSyncParse) parse = rc_sync_parse_new (on_parsed, got);
  g_autoptr (GError) error = NULL;
  const guint n = RC_SYNC_PARSE_JOB * (RC_SYNC_PARSE_IN_FLIGHT * 3) + 17;
  guint expected = 0;

  for (guint i = 0; i < n; i++) {
    /* Every 10th record is not an SMS: skipped. */
    g_autofree char *json = record (i, i % 10 == 3 ? "Pager" : "SMS");

    g_assert_true (rc_sync_parse_add (parse, json, strlen (json), i, &error));
    g_assert_no_error (error);
  }
  g_assert_true (rc_sync_parse_finish (parse, &error));
  g_assert_no_error (error);
  for (guint i = 0; i < n; i++) {
    g_autofree char *id = NULL;

    if (i % 10 == 3)
      continue;
    id = g_strdup_printf ("%u", 1000 + i);
    g_assert_cmpuint (expected, <, got->len);
    g_assert_cmpstr (((RcMessage *)got->pdata[expected])->id, ==, id);
    expected++;
  }
  g_assert_cmpuint (got->len, ==, expected);
}

static void
test_one_job (void)
{
  g_autoptr (GPtrArray) got = g_ptr_array_new_with_free_func ((GDestroyNotify)rc_message_free);
  g_autoptr (RcSyncParse) parse = rc_sync_parse_new (on_parsed, got);
  g_autofree char *json = record (1, "SMS");

  g_assert_true (rc_sync_parse_add (parse, json, strlen (json), 0, NULL));
  g_assert_cmpuint (got->len, ==, 0); /* nothing before the end */
  g_assert_true (rc_sync_parse_finish (parse, NULL));
  g_assert_cmpuint (got->len, ==, 1);
}

/* A broken record at @bad: the answer fails with the parser's error and the records after it are
 * never given. */
static void
run_spoiled (guint n, guint bad)
{
  g_autoptr (GPtrArray) got = g_ptr_array_new_with_free_func ((GDestroyNotify)rc_message_free);
  g_autoptr (RcSyncParse) parse = rc_sync_parse_new (on_parsed, got);
  g_autoptr (GError) error = NULL;
  gboolean ok = TRUE;

  for (guint i = 0; i < n && ok; i++) {
    g_autofree char *json = i == bad || i == bad + 1 ? g_strdup ("{\"id\":") : record (i, "SMS");

    ok = rc_sync_parse_add (parse, json, strlen (json), i, &error);
  }
  if (ok)
    ok = rc_sync_parse_finish (parse, &error);
  g_assert_false (ok);
  g_assert_error (error, RC_ERROR, RC_ERROR_BAD_RESPONSE);
  g_assert_cmpuint (got->len, <=, bad);
  for (guint i = 0; i < got->len; i++) {
    g_autofree char *id = g_strdup_printf ("%u", 1000 + i);
    g_assert_cmpstr (((RcMessage *)got->pdata[i])->id, ==, id);
  }
}

static void
test_spoiled (void)
{
  run_spoiled (10, 4);                                              /* one job, on this thread */
  run_spoiled (RC_SYNC_PARSE_JOB * 40, 5);                          /* early: adding stops */
  run_spoiled (RC_SYNC_PARSE_JOB * 40, RC_SYNC_PARSE_JOB * 39 + 3); /* late: at the end */
}

static void
test_free_while_running (void)
{
  for (guint round = 0; round < 20; round++) {
    g_autoptr (GPtrArray) got = g_ptr_array_new_with_free_func ((GDestroyNotify)rc_message_free);
    RcSyncParse *parse = rc_sync_parse_new (on_parsed, got);

    for (guint i = 0; i < RC_SYNC_PARSE_JOB * 4; i++) {
      g_autofree char *json = record (i, "SMS");
      g_assert_true (rc_sync_parse_add (parse, json, strlen (json), i, NULL));
    }
    rc_sync_parse_free (parse);
  }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/sync-parse/order", test_order);
  g_test_add_func ("/sync-parse/one-job", test_one_job);
  g_test_add_func ("/sync-parse/spoiled", test_spoiled);
  g_test_add_func ("/sync-parse/free-while-running", test_free_while_running);
  return g_test_run ();
}
