/* test-inbox.c: RcInbox: classification, batch order, our own sends, delivery statuses, unread
 * tracking (the seen memory: test-inbox-seen.c). Records are built as JSON and parsed with
 * rc_message_parse() (rc-test-inbox.h). */
#include <string.h>
#include <glib.h>

#include "rc-inbox.h"
#include "rc-test-inbox.h"
#include "rc-test-util.h"

/* ---- classification ---- */

static void
assert_others (RcInboxEvent *e, const char *expected)
{
  g_autofree char *got = NULL;
  GString *s = g_string_new (NULL);

  for (guint i = 0; i < e->others->len; i++)
    g_string_append_printf (s, "%s%s", i > 0 ? "," : "", (const char *)e->others->pdata[i]);
  got = g_string_free (s, FALSE);
  g_assert_cmpstr (got, ==, expected);
}

static void
test_classify_one_to_one (void)
{
  g_autoptr (RcMessage) in = MAKE (.id = "1", .from = PEER, .to = OURS "*");
  g_autoptr (RcMessage) out = MAKE (.id = "2", .outbound = TRUE, .from = OURS, .to = PEER);
  g_autoptr (RcInboxEvent) e1 = rc_inbox_classify (in, NULL, RC_INBOX_RECEIVED);
  g_autoptr (RcInboxEvent) e2 = rc_inbox_classify (out, NULL, RC_INBOX_SENT_ELSEWHERE);

  g_assert_nonnull (e1);
  g_assert_cmpint (e1->kind, ==, RC_INBOX_RECEIVED);
  g_assert_false (e1->is_group);
  g_assert_false (e1->sent_here);
  g_assert_cmpstr (e1->ours, ==, OURS);
  g_assert_cmpstr (e1->peer, ==, PEER);
  g_assert_cmpstr (e1->thread, ==, PEER);
  assert_others (e1, PEER);
  g_assert_cmpstr (e1->message->id, ==, "1");
  g_assert_true (e1->message != in); /* a copy */

  g_assert_nonnull (e2);
  g_assert_cmpint (e2->kind, ==, RC_INBOX_SENT_ELSEWHERE);
  g_assert_false (e2->is_group);
  g_assert_cmpstr (e2->ours, ==, OURS);
  g_assert_cmpstr (e2->peer, ==, PEER);
  g_assert_cmpstr (e2->thread, ==, PEER);
  assert_others (e2, PEER);
}

static void
test_classify_group (void)
{
  g_autoptr (RcMessage) in = MAKE (.id = "1", .from = PEER2, .to = PEER "," OURS "*");
  g_autoptr (RcMessage) out
      = MAKE (.id = "2", .outbound = TRUE, .from = OURS, .to = PEER3 "," PEER "," PEER);
  g_autoptr (GPtrArray) senders
      = g_ptr_array_new_with_free_func ((GDestroyNotify)rc_phone_number_free);
  RcPhoneNumber *number = g_new0 (RcPhoneNumber, 1);
  g_autoptr (RcMessage) no_target = MAKE (.id = "3", .from = PEER2, .to = PEER "," OURS);
  g_autoptr (RcInboxEvent) e1 = rc_inbox_classify (in, NULL, RC_INBOX_RECEIVED);
  g_autoptr (RcInboxEvent) e2 = rc_inbox_classify (out, NULL, RC_INBOX_SENT_ELSEWHERE);
  g_autoptr (RcInboxEvent) e3 = NULL;

  /* Inbound: our number (target) and two others. */
  g_assert_nonnull (e1);
  g_assert_true (e1->is_group);
  g_assert_cmpstr (e1->ours, ==, OURS);
  g_assert_null (e1->peer);
  assert_others (e1, PEER "," PEER2);
  g_assert_cmpstr (e1->thread, ==, PEER "," PEER2);

  /* Outbound to several (one twice): sorted, deduplicated. */
  g_assert_nonnull (e2);
  g_assert_true (e2->is_group);
  g_assert_cmpstr (e2->ours, ==, OURS);
  g_assert_null (e2->peer);
  g_assert_cmpstr (e2->thread, ==, PEER "," PEER3);

  /* No target flag, several to[]: our number is the one that is a send-from number. */
  number->e164 = g_strdup (OURS);
  g_ptr_array_add (senders, number);
  e3 = rc_inbox_classify (no_target, senders, RC_INBOX_RECEIVED);
  g_assert_nonnull (e3);
  g_assert_true (e3->is_group);
  g_assert_cmpstr (e3->ours, ==, OURS);
  g_assert_cmpstr (e3->thread, ==, PEER "," PEER2);
}

static void
test_classify_short_code (void)
{
  g_autoptr (RcMessage) in = MAKE (.id = "1", .from = "72975", .to = OURS);
  g_autoptr (RcInboxEvent) e = rc_inbox_classify (in, NULL, RC_INBOX_RECEIVED);

  g_assert_nonnull (e);
  g_assert_false (e->is_group);
  g_assert_cmpstr (e->ours, ==, OURS);
  g_assert_cmpstr (e->peer, ==, "72975");
  g_assert_cmpstr (e->thread, ==, "72975");
}

static void
test_classify_only_ours (void)
{
  g_autoptr (GPtrArray) senders
      = g_ptr_array_new_with_free_func ((GDestroyNotify)rc_phone_number_free);
  RcPhoneNumber *a = g_new0 (RcPhoneNumber, 1), *b = g_new0 (RcPhoneNumber, 1);
  g_autoptr (RcMessage) note = MAKE (.id = "1", .outbound = TRUE, .from = OURS, .to = OURS);
  g_autoptr (RcMessage) in_self = MAKE (.id = "2", .from = OURS, .to = OURS "*");
  g_autoptr (RcMessage) between = MAKE (.id = "3", .from = OURS2, .to = OURS);
  g_autoptr (RcMessage) nothing = MAKE (.id = "4");
  g_autoptr (RcInboxEvent) e1 = rc_inbox_classify (note, NULL, RC_INBOX_SENT_ELSEWHERE);
  g_autoptr (RcInboxEvent) e2 = rc_inbox_classify (in_self, NULL, RC_INBOX_RECEIVED);
  g_autoptr (RcInboxEvent) e3 = NULL;
  g_autoptr (RcInboxEvent) e4 = rc_inbox_classify (nothing, NULL, RC_INBOX_RECEIVED);

  g_assert_null (e1);
  g_assert_null (e2);
  g_assert_null (e4);
  /* Between two of our own numbers. */
  a->e164 = g_strdup (OURS);
  b->e164 = g_strdup (OURS2);
  g_ptr_array_add (senders, a);
  g_ptr_array_add (senders, b);
  e3 = rc_inbox_classify (between, senders, RC_INBOX_RECEIVED);
  g_assert_null (e3);
}

static void
test_order (Fixture *f, gconstpointer data)
{
  /* Oldest first by creationTime; at the same time by numeric id ("99" before "100"). */
  ADD (f, MAKE (.id = "300", .from = PEER, .to = OURS, .second = 30),
       MAKE (.id = "100", .from = PEER, .to = OURS, .second = 10),
       MAKE (.id = "99", .from = PEER, .to = OURS, .second = 10),
       MAKE (.id = "5", .from = PEER, .to = OURS, .second = 20),
       MAKE (.id = "1000", .from = PEER, .to = OURS, .second = 5));
  assert_event_ids (f, "1000,99,100,5,300");
  g_assert_cmpuint (f->state_changes, ==, 1);
}

static void
test_dedupe (Fixture *f, gconstpointer data)
{
  /* Within one batch. */
  ADD (f, MAKE (.id = "1", .from = PEER, .to = OURS, .second = 1),
       MAKE (.id = "1", .from = PEER, .to = OURS, .second = 1),
       MAKE (.id = "2", .from = PEER, .to = OURS, .second = 2));
  assert_event_ids (f, "1,2");
  /* Across batches (overlapping sync windows). */
  fixture_reset (f);
  ADD (f, MAKE (.id = "2", .from = PEER, .to = OURS, .second = 2),
       MAKE (.id = "3", .from = PEER, .to = OURS, .second = 3));
  assert_event_ids (f, "3");
  g_assert_cmpuint (f->state_changes, ==, 1);
}

static void
test_sync_and_push (Fixture *f, gconstpointer data)
{
  g_autoptr (RcMessage) pushed = MAKE (.id = "7002", .from = PEER, .to = OURS, .string_id = TRUE);

  /* Push first (string id), then the sync answer (number id): one RECEIVED. */
  PUSH (f, MAKE (.id = "7001", .from = PEER, .to = OURS, .string_id = TRUE));
  ADD (f, MAKE (.id = "7001", .from = PEER, .to = OURS));
  /* Sync first, then push. */
  ADD (f, MAKE (.id = "7002", .from = PEER, .to = OURS));
  rc_inbox_add_one (f->inbox, pushed, RC_INBOX_FROM_PUSH);
  assert_event_ids (f, "7001,7002");
  g_assert_cmpint (fixture_event (f, 0)->kind, ==, RC_INBOX_RECEIVED);
  g_assert_cmpint (fixture_event (f, 1)->kind, ==, RC_INBOX_RECEIVED);
}

/* ---- our own sends ---- */

static void
test_sent_elsewhere (Fixture *f, gconstpointer data)
{
  ADD (f, MAKE (.id = "10", .outbound = TRUE, .from = OURS, .to = PEER, .status = "Sent"),
       MAKE (.id = "11", .outbound = TRUE, .from = OURS, .to = PEER2 "," PEER, .second = 1));
  assert_event_ids (f, "10,11");
  g_assert_cmpint (fixture_event (f, 0)->kind, ==, RC_INBOX_SENT_ELSEWHERE);
  g_assert_cmpstr (fixture_event (f, 0)->ours, ==, OURS);
  g_assert_cmpstr (fixture_event (f, 0)->thread, ==, PEER);
  g_assert_false (fixture_event (f, 0)->sent_here);
  g_assert_cmpint (fixture_event (f, 1)->kind, ==, RC_INBOX_SENT_ELSEWHERE);
  g_assert_true (fixture_event (f, 1)->is_group);
  g_assert_cmpstr (fixture_event (f, 1)->thread, ==, PEER "," PEER2);
}

static void
test_sent_here_record_first (Fixture *f, gconstpointer data)
{
  const char *const to[] = { PEER2, PEER, NULL };
  g_autoptr (RcMessage) answer
      = MAKE (.id = "20", .outbound = TRUE, .from = OURS, .to = PEER "," PEER2, .text = "hi all");
  guint ticket = rc_inbox_expect_sent (f->inbox, OURS, to, "hi all");

  g_assert_cmpuint (ticket, !=, 0);
  /* The record comes by push before the send's answer: it is this send, not another device's. */
  PUSH (f, MAKE (.id = "20", .outbound = TRUE, .from = OURS, .to = PEER "," PEER2, .text = "hi all",
                 .string_id = TRUE));
  g_assert_cmpuint (f->events->len, ==, 0);
  rc_inbox_sent_done (f->inbox, ticket, answer);
  g_assert_cmpuint (f->events->len, ==, 0);
  /* And again by sync: seen. */
  ADD (f,
       MAKE (.id = "20", .outbound = TRUE, .from = OURS, .to = PEER "," PEER2, .text = "hi all"));
  g_assert_cmpuint (f->events->len, ==, 0);
}

static void
test_sent_here_answer_first (Fixture *f, gconstpointer data)
{
  const char *const to[] = { PEER, NULL };
  g_autoptr (RcMessage) answer
      = MAKE (.id = "21", .outbound = TRUE, .from = OURS, .to = PEER, .text = "yo");
  guint ticket = rc_inbox_expect_sent (f->inbox, OURS, to, "yo");

  fixture_reset (f);
  rc_inbox_sent_done (f->inbox, ticket, answer);
  g_assert_cmpuint (f->state_changes, ==, 1); /* the id is remembered */
  ADD (f, MAKE (.id = "21", .outbound = TRUE, .from = OURS, .to = PEER, .text = "yo"));
  PUSH (f, MAKE (.id = "21", .outbound = TRUE, .from = OURS, .to = PEER, .text = "yo",
                 .string_id = TRUE));
  g_assert_cmpuint (f->events->len, ==, 0);
  /* A ticket is used once: another identical text from elsewhere is SENT_ELSEWHERE. */
  ADD (f, MAKE (.id = "22", .outbound = TRUE, .from = OURS, .to = PEER, .text = "yo"));
  assert_event_ids (f, "22");
  g_assert_cmpint (fixture_event (f, 0)->kind, ==, RC_INBOX_SENT_ELSEWHERE);
}

static void
test_send_failed (Fixture *f, gconstpointer data)
{
  const char *const to[] = { PEER, NULL };
  guint ticket = rc_inbox_expect_sent (f->inbox, OURS, to, "lost");

  /* Documented: a failed send drops its ticket, so a record that matches it after all (the
   * server did take it) shows as sent elsewhere rather than vanishing. */
  rc_inbox_sent_done (f->inbox, ticket, NULL);
  ADD (f, MAKE (.id = "30", .outbound = TRUE, .from = OURS, .to = PEER, .text = "lost"));
  assert_event_ids (f, "30");
  g_assert_cmpint (fixture_event (f, 0)->kind, ==, RC_INBOX_SENT_ELSEWHERE);
  /* Unknown tickets are ignored. */
  rc_inbox_sent_done (f->inbox, ticket, NULL);
  rc_inbox_sent_done (f->inbox, 4242, NULL);
}

static void
test_no_match_on_difference (Fixture *f, gconstpointer data)
{
  const char *const to[] = { PEER, NULL };

  /* Another text, another recipient, another sender number: not this send. */
  rc_inbox_expect_sent (f->inbox, OURS, to, "one");
  ADD (f, MAKE (.id = "40", .outbound = TRUE, .from = OURS, .to = PEER, .text = "two"),
       MAKE (.id = "41", .outbound = TRUE, .from = OURS, .to = PEER2, .text = "one", .second = 1),
       MAKE (.id = "42", .outbound = TRUE, .from = OURS2, .to = PEER, .text = "one", .second = 2),
       MAKE (.id = "43", .outbound = TRUE, .from = OURS, .to = PEER "," PEER2, .text = "one",
             .second = 3));
  assert_event_ids (f, "40,41,42,43");
  for (guint i = 0; i < 4; i++)
    g_assert_cmpint (fixture_event (f, i)->kind, ==, RC_INBOX_SENT_ELSEWHERE);
}

/* ---- delivery statuses ---- */

static void
test_status_elsewhere (Fixture *f, gconstpointer data)
{
  ADD (f, MAKE (.id = "50", .outbound = TRUE, .from = OURS, .to = PEER, .status = "Queued"));
  assert_event_ids (f, "50");
  fixture_reset (f);
  ADD (f, MAKE (.id = "50", .outbound = TRUE, .from = OURS, .to = PEER, .status = "Sent"));
  g_assert_cmpuint (f->events->len, ==, 0); /* not final */
  g_assert_cmpuint (f->state_changes, ==, 1);
  ADD (f, MAKE (.id = "50", .outbound = TRUE, .from = OURS, .to = PEER, .status = "Delivered"));
  assert_event_ids (f, "50");
  g_assert_cmpint (fixture_event (f, 0)->kind, ==, RC_INBOX_DELIVERED);
  g_assert_false (fixture_event (f, 0)->sent_here);
  g_assert_cmpstr (fixture_event (f, 0)->thread, ==, PEER);
  g_assert_cmpstr (fixture_event (f, 0)->message->message_status, ==, "Delivered");
  /* The same status again (push and sync both tell): nothing. */
  fixture_reset (f);
  ADD (f, MAKE (.id = "50", .outbound = TRUE, .from = OURS, .to = PEER, .status = "Delivered"));
  PUSH (f, MAKE (.id = "50", .outbound = TRUE, .from = OURS, .to = PEER, .status = "Delivered",
                 .string_id = TRUE));
  g_assert_cmpuint (f->events->len, ==, 0);
  g_assert_cmpuint (f->state_changes, ==, 0);

  /* First seen already final: SENT_ELSEWHERE, then its status. */
  ADD (f, MAKE (.id = "51", .outbound = TRUE, .from = OURS, .to = PEER, .status = "SendingFailed"));
  assert_event_ids (f, "51,51");
  g_assert_cmpint (fixture_event (f, 0)->kind, ==, RC_INBOX_SENT_ELSEWHERE);
  g_assert_cmpint (fixture_event (f, 1)->kind, ==, RC_INBOX_DELIVERY_FAILED);
}

static void
test_status_ours (Fixture *f, gconstpointer data)
{
  const char *const to[] = { PEER, NULL };
  g_autoptr (RcMessage) answer
      = MAKE (.id = "60", .outbound = TRUE, .from = OURS, .to = PEER, .status = "Sent");
  guint ticket = rc_inbox_expect_sent (f->inbox, OURS, to, "hello");

  rc_inbox_sent_done (f->inbox, ticket, answer);
  ADD (f,
       MAKE (.id = "60", .outbound = TRUE, .from = OURS, .to = PEER, .status = "DeliveryFailed"));
  assert_event_ids (f, "60");
  g_assert_cmpint (fixture_event (f, 0)->kind, ==, RC_INBOX_DELIVERY_FAILED);
  fixture_reset (f);
  ADD (f,
       MAKE (.id = "60", .outbound = TRUE, .from = OURS, .to = PEER, .status = "DeliveryFailed"));
  g_assert_cmpuint (f->events->len, ==, 0);
}

static void
test_status_ours_sent_here (Fixture *f, gconstpointer data)
{
  const char *const to[] = { PEER, NULL };
  g_autoptr (RcMessage) answer
      = MAKE (.id = "61", .outbound = TRUE, .from = OURS, .to = PEER, .status = "Sent");
  guint ticket = rc_inbox_expect_sent (f->inbox, OURS, to, "hello");

  /* Our send: its later DELIVERY_FAILED carries sent_here (rc-inbox.h: "the text was sent from
   * this client"). Also when the record was taken as this send before the answer came. */
  rc_inbox_sent_done (f->inbox, ticket, answer);
  ADD (f,
       MAKE (.id = "61", .outbound = TRUE, .from = OURS, .to = PEER, .status = "DeliveryFailed"));
  ticket = rc_inbox_expect_sent (f->inbox, OURS, to, "again");
  PUSH (f, MAKE (.id = "62", .outbound = TRUE, .from = OURS, .to = PEER, .text = "again",
                 .status = "Sent", .string_id = TRUE));
  ADD (f, MAKE (.id = "62", .outbound = TRUE, .from = OURS, .to = PEER, .text = "again",
                .status = "Delivered"));
  rc_inbox_sent_done (f->inbox, ticket, NULL);
  assert_event_ids (f, "61,62");
  g_assert_cmpint (fixture_event (f, 0)->kind, ==, RC_INBOX_DELIVERY_FAILED);
  g_assert_cmpint (fixture_event (f, 1)->kind, ==, RC_INBOX_DELIVERED);
  g_assert_true (fixture_event (f, 0)->sent_here);
  g_assert_true (fixture_event (f, 1)->sent_here);
  g_assert_true (fixture_event (f, 0)->sent_here);
  g_assert_true (fixture_event (f, 1)->sent_here);
}

static void
test_status_stale_copy (Fixture *f, gconstpointer data)
{
  /* Push tells Delivered, then an older copy (a sync answer of before) says Sent, then an
   * overlapping window repeats Delivered: DELIVERED once per record and status (rc-inbox.h). */
  ADD (f, MAKE (.id = "70", .outbound = TRUE, .from = OURS, .to = PEER, .status = "Sent"));
  fixture_reset (f);
  PUSH (f, MAKE (.id = "70", .outbound = TRUE, .from = OURS, .to = PEER, .status = "Delivered"));
  ADD (f, MAKE (.id = "70", .outbound = TRUE, .from = OURS, .to = PEER, .status = "Sent"));
  ADD (f, MAKE (.id = "70", .outbound = TRUE, .from = OURS, .to = PEER, .status = "Delivered"));
  g_assert_cmpuint (f->events->len, >=, 1);
  g_assert_cmpuint (f->events->len, ==, 1);
  g_assert_cmpint (fixture_event (f, 0)->kind, ==, RC_INBOX_DELIVERED);
}

static void
test_deleted_not_shown (Fixture *f, gconstpointer data)
{
  ADD (f, MAKE (.id = "80", .from = PEER, .to = OURS, .availability = "Deleted"),
       MAKE (.id = "81", .from = PEER, .to = OURS, .availability = "Purged", .second = 1),
       MAKE (.id = "82", .outbound = TRUE, .from = OURS, .to = PEER, .availability = "Deleted",
             .second = 2),
       MAKE (.id = "83", .from = PEER, .to = OURS, .availability = "Alive", .second = 3));
  assert_event_ids (f, "83");
  g_assert_cmpuint (f->state_changes, ==, 1);
  /* Remembered: the same records again are no news. */
  fixture_reset (f);
  ADD (f, MAKE (.id = "80", .from = PEER, .to = OURS, .availability = "Deleted"));
  g_assert_cmpuint (f->events->len, ==, 0);
  g_assert_cmpuint (f->state_changes, ==, 0);
}

/* ---- unread ---- */

static void
check_unread (Fixture *f, const char *thread, const char *expected)
{
  g_auto (GStrv) ids = rc_inbox_take_unread (f->inbox, thread);
  g_autofree char *got = NULL;

  g_assert_nonnull (ids);
  got = g_strjoinv (",", ids);
  g_assert_cmpstr (got, ==, expected);
}

static void
test_unread (Fixture *f, gconstpointer data)
{
  ADD (f, MAKE (.id = "1", .from = PEER, .to = OURS, .read = "Unread", .second = 1),
       MAKE (.id = "2", .from = PEER, .to = OURS, .read = "Read", .second = 2),
       MAKE (.id = "3", .from = PEER, .to = OURS, .read = "Unread", .second = 3),
       MAKE (.id = "4", .from = PEER2, .to = OURS, .read = "Unread", .second = 4),
       MAKE (.id = "5", .from = PEER2, .to = PEER "," OURS "*", .read = "Unread", .second = 5),
       MAKE (.id = "6", .outbound = TRUE, .from = OURS, .to = PEER, .read = "Unread", .second = 6));
  PUSH (f, MAKE (.id = "1", .from = PEER, .to = OURS, .read = "Unread", .string_id = TRUE));
  g_assert_cmpuint (f->events->len, ==, 6);

  check_unread (f, PEER, "1,3");
  check_unread (f, PEER, ""); /* taken */
  check_unread (f, PEER "," PEER2, "5");
  check_unread (f, "+19995550000", "");
  check_unread (f, NULL, "");

  /* Read elsewhere: a later Read copy of a record drops it. */
  ADD (f, MAKE (.id = "7", .from = PEER2, .to = OURS, .read = "Unread", .second = 7));
  ADD (f, MAKE (.id = "4", .from = PEER2, .to = OURS, .read = "Read", .second = 4));
  check_unread (f, PEER2, "7");
}

/* ---- state-changed ---- */

static void
test_state_changed (Fixture *f, gconstpointer data)
{
  const char *const to[] = { PEER, NULL };
  g_autoptr (RcMessage) answer = MAKE (.id = "9", .outbound = TRUE, .from = OURS, .to = PEER);
  guint ticket;

  ADD (f, MAKE (.id = "1", .from = PEER, .to = OURS), MAKE (.id = "2", .from = PEER, .to = OURS));
  g_assert_cmpuint (f->state_changes, ==, 1); /* once per batch */
  ADD (f, MAKE (.id = "1", .from = PEER, .to = OURS), MAKE (.id = "2", .from = PEER, .to = OURS));
  g_assert_cmpuint (f->state_changes, ==, 1); /* known records: nothing to persist */
  ADD (f, MAKE (.id = "2", .from = PEER, .to = OURS), MAKE (.id = "3", .from = PEER, .to = OURS));
  g_assert_cmpuint (f->state_changes, ==, 2);
  /* A record the inbox does not show (no other party) is still remembered. */
  ADD (f, MAKE (.id = "4", .outbound = TRUE, .from = OURS, .to = OURS));
  g_assert_cmpuint (f->state_changes, ==, 3);
  g_assert_cmpuint (f->events->len, ==, 3);
  /* The answer to our send: remembered once. */
  ticket = rc_inbox_expect_sent (f->inbox, OURS, to, "hello");
  rc_inbox_sent_done (f->inbox, ticket, answer);
  g_assert_cmpuint (f->state_changes, ==, 4);
  ADD (f, MAKE (.id = "9", .outbound = TRUE, .from = OURS, .to = PEER));
  g_assert_cmpuint (f->state_changes, ==, 4);
  /* An empty batch. */
  {
    g_autoptr (GPtrArray) none = g_ptr_array_new ();

    rc_inbox_add (f->inbox, none, RC_INBOX_FROM_SYNC);
  }
  g_assert_cmpuint (f->state_changes, ==, 4);
}

#define ADD_TEST(name, fn)                                                                         \
  g_test_add ("/inbox/" name, Fixture, NULL, fixture_set_up, fn, fixture_tear_down)

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/inbox/classify/one-to-one", test_classify_one_to_one);
  g_test_add_func ("/inbox/classify/group", test_classify_group);
  g_test_add_func ("/inbox/classify/short-code", test_classify_short_code);
  g_test_add_func ("/inbox/classify/only-ours", test_classify_only_ours);
  ADD_TEST ("order", test_order);
  ADD_TEST ("dedupe", test_dedupe);
  ADD_TEST ("sync-and-push", test_sync_and_push);
  ADD_TEST ("sent/elsewhere", test_sent_elsewhere);
  ADD_TEST ("sent/here-record-first", test_sent_here_record_first);
  ADD_TEST ("sent/here-answer-first", test_sent_here_answer_first);
  ADD_TEST ("sent/failed", test_send_failed);
  ADD_TEST ("sent/no-match-on-difference", test_no_match_on_difference);
  ADD_TEST ("status/elsewhere", test_status_elsewhere);
  ADD_TEST ("status/ours", test_status_ours);
  ADD_TEST ("status/ours-sent-here", test_status_ours_sent_here);
  ADD_TEST ("status/stale-copy", test_status_stale_copy);
  ADD_TEST ("deleted-not-shown", test_deleted_not_shown);
  ADD_TEST ("unread", test_unread);
  ADD_TEST ("state-changed", test_state_changed);
  return g_test_run ();
}
