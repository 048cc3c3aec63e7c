/* test-send-syncs.c: with push up, what a send or a pushed text sets off (issue 10: a message-sync
 * after every send, two per text, and the seen memory re-joined and saved every round): no sync for
 * a message-store notification that only announces records already here, one sync for a burst of
 * delivery updates, and the sync state still written (later, and at sign-off). */
#include "itest.h"

#include <string.h>

#define OURS  "+16505550100"
#define QUIET "+14155550142" /* not a contact: no automatic reply */

static void
send_texts (ITest *t, guint n, const char *tag)
{
  guint sent = itest_count (t, "POST", SMS_PATH);

  for (guint i = 0; i < n; i++) {
    g_autofree char *text = g_strdup_printf ("%s %u", tag, i);
    rcp_harness_send_im (t->h, QUIET, text);
    g_assert_true (itest_wait_count (t, "POST", SMS_PATH, sent + i + 1, RCP_HARNESS_TIMEOUT_MS));
    rcp_harness_run_for (20);
  }
}

/* Ten texts one after another: their new records (push) need no sync, their ten delivery updates
 * one or two (was 20); each text still shows once, and a delivery failure still shows (events). */
static void
test_send_syncs_push_up (void)
{
  g_autoptr (ITest) t = itest_new ("basic.json", NULL);
  guint syncs;

  rcp_harness_sign_on_ok (t->h);
  g_assert_true (itest_wait_push (t));
  rcp_harness_run_for (300);
  syncs = itest_count (t, "GET", SYNC_PATH);
  send_texts (t, 10, "burst");
  /* Deliveries come 500 ms after each text; their sync waits up to 2 s for more. */
  rcp_harness_run_for (3500);
  g_test_message ("message-syncs for 10 texts: %u", itest_count (t, "GET", SYNC_PATH) - syncs);
  g_assert_cmpuint (itest_count (t, "GET", SYNC_PATH) - syncs, >=, 1);
  g_assert_cmpuint (itest_count (t, "GET", SYNC_PATH) - syncs, <=, 2);
  g_assert_cmpuint (itest_count (t, "POST", SMS_PATH), ==, 10);
  for (guint i = 0; i < 10; i++) {
    g_autofree char *text = g_strdup_printf ("burst %u", i);
    g_assert_cmpuint (rcp_harness_count_writes (t->h, QUIET, PURPLE_MESSAGE_SEND, text), ==, 1);
  }
}

/* Inbound texts arrive by push (instant); the message-store notification of each one announces a
 * record already shown: no sync (was one per text). */
static void
test_send_syncs_pushed_inbound (void)
{
  g_autoptr (ITest) t = itest_new ("basic.json", NULL);
  guint syncs;

  rcp_harness_sign_on_ok (t->h);
  g_assert_true (itest_wait_push (t));
  rcp_harness_run_for (300);
  syncs = itest_count (t, "GET", SYNC_PATH);
  for (guint i = 0; i < 5; i++) {
    g_autofree char *text = g_strdup_printf ("pushed %u", i);
    g_free (rc_sim_add_inbound (t->sim, "+14155550111", OURS, text));
    g_assert_true (
        rcp_harness_wait_for_received (t->h, "+14155550111", text, RCP_HARNESS_TIMEOUT_MS));
  }
  rcp_harness_run_for (1000);
  g_assert_cmpuint (itest_count (t, "GET", SYNC_PATH) - syncs, ==, 0);
  g_assert_cmpuint (rcp_harness_count_received (t->h, NULL, "pushed"), ==, 5);
}

static gboolean
seen_changed (gpointer data)
{
  ITest *t = data;
  const char *before = g_object_get_data (G_OBJECT (t->sim), "seen-before");

  return g_strcmp0 (purple_account_get_string (t->account, "sync_seen", NULL), before) != 0;
}

/* The seen memory is written a while after it changed, not after every round; a sign-off right
 * after a send still writes it. */
static void
test_send_syncs_seen_saved (void)
{
  g_autoptr (ITest) t = itest_new ("basic.json", NULL);

  rcp_harness_sign_on_ok (t->h);
  g_assert_true (itest_wait_push (t));
  rcp_harness_run_for (2500); /* the sign-on's own write is done */

  g_object_set_data_full (G_OBJECT (t->sim), "seen-before",
                          g_strdup (purple_account_get_string (t->account, "sync_seen", NULL)),
                          g_free);
  send_texts (t, 1, "later");
  g_assert_false (seen_changed (t)); /* not at once */
  g_assert_true (rcp_harness_wait_until (seen_changed, t, RCP_HARNESS_TIMEOUT_MS));

  g_object_set_data_full (G_OBJECT (t->sim), "seen-before",
                          g_strdup (purple_account_get_string (t->account, "sync_seen", NULL)),
                          g_free);
  send_texts (t, 1, "then off");
  rcp_harness_sign_off (t->h);
  g_assert_true (seen_changed (t));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  itest_add ("/send-syncs/push-up", test_send_syncs_push_up, FALSE);
  itest_add ("/send-syncs/pushed-inbound", test_send_syncs_pushed_inbound, FALSE);
  itest_add ("/send-syncs/seen-saved", test_send_syncs_seen_saved, FALSE);
  return g_test_run ();
}
