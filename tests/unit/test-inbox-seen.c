/* test-inbox-seen.c: RcInbox's seen memory (rc-inbox.h rc_inbox_save_seen/restore_seen): the
 * round trip, the older format, bounds, ids of any shape, once per record and status (issue 10,
 * tests/fuzz/RESULTS.md finding 3). */
#include <string.h>
#include <glib.h>

#include "rc-test-inbox.h"

/* ---- seen memory ---- */

static void
test_seen_round_trip (Fixture *f, gconstpointer data)
{
  g_autofree char *saved = NULL;
  g_autofree char *saved_again = NULL;
  g_autoptr (RcInbox) again = NULL;

  ADD (
      f, MAKE (.id = "1", .from = PEER, .to = OURS, .second = 1),
      MAKE (.id = "2", .outbound = TRUE, .from = OURS, .to = PEER, .status = "Queued", .second = 2),
      MAKE (.id = "3", .outbound = TRUE, .from = OURS, .to = PEER, .status = "Sent", .second = 3),
      MAKE (.id = "4", .outbound = TRUE, .from = OURS, .to = PEER, .status = "Delivered",
            .second = 4),
      MAKE (.id = "5", .outbound = TRUE, .from = OURS, .to = PEER, .status = "DeliveryFailed",
            .second = 5),
      MAKE (.id = "6", .outbound = TRUE, .from = OURS, .to = PEER, .status = "SendingFailed",
            .second = 6),
      MAKE (.id = "7", .outbound = TRUE, .from = OURS, .to = PEER, .status = "Other", .second = 7));
  saved = rc_inbox_save_seen (f->inbox);
  g_assert_cmpstr (saved, ==, "v2,1:R,2:Q,3:S,4:D,5:F,6:X,7:O");

  /* A new session: same memory, and nothing is shown again. */
  again = fixture_inbox (f);
  rc_inbox_restore_seen (again, saved);
  saved_again = rc_inbox_save_seen (again);
  g_assert_cmpstr (saved_again, ==, saved);
  fixture_reset (f);
  {
    g_autoptr (GPtrArray) batch = g_ptr_array_new_with_free_func ((GDestroyNotify)rc_message_free);

    g_ptr_array_add (batch, MAKE (.id = "1", .from = PEER, .to = OURS));
    g_ptr_array_add (batch, MAKE (.id = "2", .outbound = TRUE, .from = OURS, .to = PEER));
    g_ptr_array_add (
        batch, MAKE (.id = "4", .outbound = TRUE, .from = OURS, .to = PEER, .status = "Delivered"));
    g_ptr_array_add (batch, MAKE (.id = "5", .outbound = TRUE, .from = OURS, .to = PEER,
                                  .status = "DeliveryFailed"));
    rc_inbox_add (again, batch, RC_INBOX_FROM_SYNC);
    g_assert_cmpuint (f->events->len, ==, 0);
    g_assert_cmpuint (f->state_changes, ==, 0);
    /* The restored status counts: Queued → Delivered is news. */
    g_ptr_array_set_size (batch, 0);
    g_ptr_array_add (
        batch, MAKE (.id = "2", .outbound = TRUE, .from = OURS, .to = PEER, .status = "Delivered"));
    rc_inbox_add (again, batch, RC_INBOX_FROM_SYNC);
    assert_event_ids (f, "2");
    g_assert_cmpint (fixture_event (f, 0)->kind, ==, RC_INBOX_DELIVERED);
  }
}

static void
check_restore (RcInbox *inbox, const char *saved, const char *expected)
{
  g_autofree char *got = NULL;

  g_test_message ("restore \"%s\"", saved != NULL ? saved : "NULL");
  rc_inbox_restore_seen (inbox, saved);
  got = rc_inbox_save_seen (inbox);
  g_assert_cmpstr (got, ==, expected);
}

static void
test_seen_sloppy (Fixture *f, gconstpointer data)
{
  /* The older format (no "v2" first): ids as they are, any id without ',', ':' or blanks. */
  check_restore (f->inbox, " 7, ,8,,", "v2,7,8");
  check_restore (f->inbox, "9:D, x,-3,1a,,+5, 12 :Q,13:R,14:Z,15:", "v2,9:D,x,-3,1a,%2B5,13:R,15");
  check_restore (f->inbox, "5,5:D", "v2,5:D"); /* once, the last status */
  check_restore (f->inbox, "123456789012345678901234567890,4",
                 "v2,123456789012345678901234567890,4");
  check_restore (f->inbox, "", "v2");
  check_restore (f->inbox, NULL, "v2");
  /* The format of now: escaped ids, several statuses; damaged entries skipped. */
  check_restore (f->inbox, "v2, 7 ,%2C:DF,%3A%25:O,%zz,%00,a%2Cb:R,,c:Q?",
                 "v2,7,%2C:DF,%3A%25:O,a%2Cb:R");
  check_restore (f->inbox, "v2", "v2");
  /* Restoring replaces, it does not merge. */
  check_restore (f->inbox, "1,2", "v2,1,2");
  check_restore (f->inbox, "v2,3", "v2,3");
}

static void
test_seen_bounds (Fixture *f, gconstpointer data)
{
  g_autoptr (GString) big = g_string_new (NULL);
  g_autofree char *saved = NULL;
  g_auto (GStrv) parts = NULL;

  /* More than RC_INBOX_SEEN_MAX ids, oldest first: the newest are kept. */
  for (guint i = 1; i <= RC_INBOX_SEEN_MAX + 100; i++)
    g_string_append_printf (big, "%s%u", i > 1 ? "," : "", i);
  rc_inbox_restore_seen (f->inbox, big->str);

  /* Saved: the newest 1000 only. */
  saved = rc_inbox_save_seen (f->inbox);
  parts = g_strsplit (saved, ",", -1);
  g_assert_cmpuint (g_strv_length (parts), ==, 1 + 1000);
  g_assert_cmpstr (parts[0], ==, "v2");
  g_assert_cmpstr (parts[1], ==, "4101");
  g_assert_cmpstr (parts[1000], ==, "5100");

  /* Kept in memory: 101..5100; 100 was forgotten, 101 and 5100 not. */
  ADD (f, MAKE (.id = "101", .from = PEER, .to = OURS, .second = 1),
       MAKE (.id = "5100", .from = PEER, .to = OURS, .second = 2));
  g_assert_cmpuint (f->events->len, ==, 0);
  ADD (f, MAKE (.id = "100", .from = PEER, .to = OURS, .second = 3));
  assert_event_ids (f, "100");
  /* That pushed out the oldest (101); 103 is still known. */
  ADD (f, MAKE (.id = "101", .from = PEER, .to = OURS, .second = 4));
  ADD (f, MAKE (.id = "103", .from = PEER, .to = OURS, .second = 5));
  assert_event_ids (f, "100,101");
}

/* Ids the server may send that are not short decimals survive a restart whole (issue 10,
 * tests/fuzz/RESULTS.md finding 3: "7001,7002" marked 7001 and 7002 seen, "A1" and 21 digits were
 * lost, so shown again). */
static void
test_seen_odd_ids (Fixture *f, gconstpointer data)
{
  static const char *const ids[]
      = { "7001,7002", "A1", "a:b", "123456789012345678901", "50%", "x y", "\u00fc" };
  g_autofree char *saved = NULL;
  g_autoptr (RcInbox) again = NULL;
  g_autoptr (GPtrArray) batch = g_ptr_array_new_with_free_func ((GDestroyNotify)rc_message_free);

  for (guint i = 0; i < G_N_ELEMENTS (ids); i++)
    g_ptr_array_add (batch,
                     MAKE (.id = ids[i], .string_id = TRUE, .from = PEER, .to = OURS, .second = i));
  rc_inbox_add (f->inbox, batch, RC_INBOX_FROM_SYNC);
  g_assert_cmpuint (f->events->len, ==, G_N_ELEMENTS (ids));
  saved = rc_inbox_save_seen (f->inbox);
  g_test_message ("saved: %s", saved);

  again = fixture_inbox (f);
  rc_inbox_restore_seen (again, saved);
  fixture_reset (f);
  rc_inbox_add (again, batch, RC_INBOX_FROM_SYNC);
  g_assert_cmpuint (f->events->len, ==, 0);
  /* and "7001,7002" did not mark 7001 as seen */
  g_ptr_array_set_size (batch, 0);
  g_ptr_array_add (batch, MAKE (.id = "7001", .from = PEER, .to = OURS));
  rc_inbox_add (again, batch, RC_INBOX_FROM_SYNC);
  assert_event_ids (f, "7001");
}

/* An id longer than RC_INBOX_MAX_ID is skipped (never shown, never remembered). */
static void
test_seen_absurd_id (Fixture *f, gconstpointer data)
{
  g_autofree char *longest = g_strnfill (RC_INBOX_MAX_ID, '7');
  g_autofree char *absurd = g_strnfill (RC_INBOX_MAX_ID + 1, '7');
  g_autofree char *saved = NULL;
  g_autofree char *expected = NULL;

  ADD (f, MAKE (.id = absurd, .from = PEER, .to = OURS, .string_id = TRUE),
       MAKE (.id = longest, .from = PEER, .to = OURS, .string_id = TRUE, .second = 1));
  assert_event_ids (f, longest);
  saved = rc_inbox_save_seen (f->inbox);
  expected = g_strdup_printf ("v2,%s:R", longest);
  g_assert_cmpstr (saved, ==, expected);
}

/* A record listed twice with two final statuses is announced once per status, not again each
 * time the batch comes back (rc-inbox.h "once per record and status"; finding 3,
 * corpus/inbox/status-flip.json), also after a restart. */
static void
test_seen_status_flip (Fixture *f, gconstpointer data)
{
  g_autoptr (GPtrArray) batch = g_ptr_array_new_with_free_func ((GDestroyNotify)rc_message_free);
  g_autofree char *saved = NULL;
  g_autoptr (RcInbox) again = NULL;

  g_ptr_array_add (batch, MAKE (.id = "7003", .outbound = TRUE, .from = OURS, .to = PEER,
                                .status = "Delivered"));
  g_ptr_array_add (batch, MAKE (.id = "7003", .outbound = TRUE, .from = OURS, .to = PEER,
                                .status = "DeliveryFailed", .second = 1));
  rc_inbox_add (f->inbox, batch, RC_INBOX_FROM_SYNC);
  assert_event_ids (f, "7003,7003,7003");
  g_assert_cmpint (fixture_event (f, 0)->kind, ==, RC_INBOX_SENT_ELSEWHERE);
  g_assert_cmpint (fixture_event (f, 1)->kind, ==, RC_INBOX_DELIVERED);
  g_assert_cmpint (fixture_event (f, 2)->kind, ==, RC_INBOX_DELIVERY_FAILED);
  fixture_reset (f);
  for (guint round = 0; round < 3; round++)
    rc_inbox_add (f->inbox, batch, RC_INBOX_FROM_SYNC);
  g_assert_cmpuint (f->events->len, ==, 0);

  saved = rc_inbox_save_seen (f->inbox);
  g_assert_cmpstr (saved, ==, "v2,7003:DF");
  again = fixture_inbox (f);
  rc_inbox_restore_seen (again, saved);
  rc_inbox_add (again, batch, RC_INBOX_FROM_SYNC);
  g_assert_cmpuint (f->events->len, ==, 0);
  /* A status moving back (Sent after Delivered) is still not news. */
  g_ptr_array_set_size (batch, 0);
  g_ptr_array_add (
      batch, MAKE (.id = "7003", .outbound = TRUE, .from = OURS, .to = PEER, .status = "Sent"));
  rc_inbox_add (again, batch, RC_INBOX_FROM_SYNC);
  g_assert_cmpuint (f->events->len, ==, 0);
}

#define ADD_TEST(name, fn)                                                                         \
  g_test_add ("/inbox/" name, Fixture, NULL, fixture_set_up, fn, fixture_tear_down)

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  ADD_TEST ("seen/round-trip", test_seen_round_trip);
  ADD_TEST ("seen/sloppy", test_seen_sloppy);
  ADD_TEST ("seen/bounds", test_seen_bounds);
  ADD_TEST ("seen/odd-ids", test_seen_odd_ids);
  ADD_TEST ("seen/absurd-id", test_seen_absurd_id);
  ADD_TEST ("seen/status-flip", test_seen_status_flip);
  return g_test_run ();
}
