/* test-outbox.c: RcOutbox against the in-process simulator: texts of one conversation leave in the
 * order typed even when the first answer is slow, different conversations go in parallel, every
 * refusal sends nothing, the sender is copied, our own sends never come back as "sent elsewhere".
 */
#include <string.h>
#include <glib.h>

#include "rc-error.h"
#include "rc-mms.h"
#include "rc-outbox.h"
#include "rc-sim.h"
#include "rc-sync.h"
#include "rc-test-sim.h"
#include "rc-test-util.h"

#define SMS_PATH "/restapi/v1.0/account/~/extension/~/sms"
#define SLOW_MS  800

/* +16505550100 texts 1:1 only; +16505550101 also groups and pictures; +16505550102 also abroad. */
static const char scenario[]
    = "{\"settings\":{\"delivery_delay_ms\":50},"
      "\"numbers\":["
      "{\"id\":1,\"phoneNumber\":\"+16505550100\",\"features\":[\"SmsSender\"]},"
      "{\"id\":2,\"phoneNumber\":\"+16505550101\",\"features\":[\"SmsSender\",\"MmsSender\"]},"
      "{\"id\":3,\"phoneNumber\":\"+16505550102\",\"features\":[\"SmsSender\",\"MmsSender\","
      "\"InternationalSmsSender\"]}]}";

typedef struct {
  RcSim *sim;
  RcClient *client;
  RcSenderList *senders;
  RcInbox *inbox;
  RcOutbox *outbox;
  GPtrArray *events; /* RcInboxEvent* */
  guint sent_signals;
} Fixture;

/* One send and what was seen when it finished. */
typedef struct {
  Fixture *f;
  gboolean done;
  RcMessage *sent;
  GError *error;
  guint sms_requests_then; /* POST …/sms in the simulator's log when the finish ran */
  guint finished_before;   /* other sends finished before this one (order) */
} Send;

static guint finished_count;

static void
on_event (RcInbox *inbox, RcInboxEvent *event, gpointer user_data)
{
  g_ptr_array_add (((Fixture *)user_data)->events, rc_inbox_event_ref (event));
}

static void
on_sent (RcOutbox *outbox, RcMessage *record, const char *key, gpointer user_data)
{
  g_assert_nonnull (record);
  g_assert_nonnull (key);
  ((Fixture *)user_data)->sent_signals++;
}

static void
setup (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GAsyncResult) result = NULL;

  f->sim = rc_test_sim_start (scenario);
  f->client = rc_test_sim_client (f->sim);

  /* The refresh waits for every registration answer: no request is left in flight (libsoup
   * opens at most two connections to one host, and the order tests count on both). */
  f->senders = rc_sender_list_new (f->client);
  rc_sender_list_refresh_async (f->senders, NULL, rc_test_got_result, &result);
  g_assert_true (rc_sender_list_refresh_finish (f->senders, rc_test_wait_result (&result), &error));
  g_assert_cmpuint (rc_sender_list_get (f->senders)->len, ==, 3);

  f->inbox = rc_inbox_new (f->senders);
  f->events = g_ptr_array_new_with_free_func ((GDestroyNotify)rc_inbox_event_unref);
  g_signal_connect (f->inbox, "event", G_CALLBACK (on_event), f);
  f->outbox = rc_outbox_new (f->client, f->senders, f->inbox);
  g_signal_connect (f->outbox, "sent", G_CALLBACK (on_sent), f);
  rc_sim_clear_requests (f->sim);
  finished_count = 0;
}

static void
teardown (Fixture *f, gconstpointer data)
{
  g_assert_cmpuint (rc_outbox_get_pending (f->outbox), ==, 0);
  g_clear_object (&f->outbox);
  g_clear_object (&f->inbox);
  g_clear_pointer (&f->events, g_ptr_array_unref);
  g_clear_object (&f->senders);
  g_clear_object (&f->client);
  g_clear_object (&f->sim);
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

static void
send_clear (Send *send)
{
  g_clear_pointer (&send->sent, rc_message_free);
  g_clear_error (&send->error);
}

static void
on_send_done (GObject *source, GAsyncResult *result, gpointer user_data)
{
  Send *send = user_data;

  send->sent = rc_outbox_send_finish (RC_OUTBOX (source), result, &send->error);
  send->sms_requests_then = rc_sim_count_requests (send->f->sim, "POST", SMS_PATH);
  send->finished_before = finished_count++;
  send->done = TRUE;
}

/* Prepares (must succeed) and queues a 1:1 text. */
static void
send_text (Fixture *f, Send *send, const char *from, const char *to, const char *text,
           GCancellable *cancellable)
{
  g_autoptr (GError) error = NULL;
  const char *recipients[] = { to, NULL };
  RcOutgoing *outgoing = rc_outbox_prepare (f->outbox, from, recipients, text, NULL, &error);

  g_assert_no_error (error);
  g_assert_nonnull (outgoing);
  send->f = f;
  rc_outbox_send_async (f->outbox, outgoing, cancellable, on_send_done, send);
}

/* The @n-th POST …/sms the simulator received (NULL when there are fewer). */
static const RcSimRequest *
sms_request (Fixture *f, guint n)
{
  GPtrArray *requests = rc_sim_get_requests (f->sim);

  for (guint i = 0; i < requests->len; i++) {
    const RcSimRequest *r = requests->pdata[i];

    if (g_strcmp0 (r->method, "POST") == 0 && g_strcmp0 (r->path, SMS_PATH) == 0 && n-- == 0)
      return r;
  }
  return NULL;
}

/* The text of the @n-th POST …/sms the simulator received (NULL when there are fewer). */
static char *
sms_text (Fixture *f, guint n)
{
  const RcSimRequest *r = sms_request (f, n);
  g_autoptr (JsonNode) body = NULL;

  if (r == NULL)
    return NULL;
  body = rc_test_parse_json (r->body);
  return g_strdup (json_object_get_string_member (json_node_get_object (body), "text"));
}

static void
test_order_one_conversation (Fixture *f, gconstpointer data)
{
  Send one = { 0 }, two = { 0 };
  g_autofree char *first = NULL;
  g_autofree char *second = NULL;

  /* The first request is answered slowly: without the queue "two" would overtake it. */
  rc_sim_inject_fault (f->sim, SMS_PATH, RC_SIM_FAULT_SLOW, 1, SLOW_MS);
  send_text (f, &one, "+16505550100", "(415) 555-0100", "one", NULL);
  send_text (f, &two, "+16505550100", "+14155550100", "two", NULL);
  g_assert_cmpuint (rc_outbox_get_pending (f->outbox), ==, 2);
  rc_test_wait_for (&two.done);
  g_assert_true (one.done);

  g_assert_no_error (one.error);
  g_assert_no_error (two.error);
  g_assert_cmpstr (one.sent->text, ==, "one");
  g_assert_cmpstr (two.sent->text, ==, "two");
  /* "two" was not even asked for while "one" was in flight. */
  g_assert_cmpuint (one.sms_requests_then, ==, 1);
  g_assert_cmpuint (two.sms_requests_then, ==, 2);
  g_assert_cmpuint (one.finished_before, ==, 0);
  g_assert_cmpuint (two.finished_before, ==, 1);
  first = sms_text (f, 0);
  second = sms_text (f, 1);
  g_assert_cmpstr (first, ==, "one");
  g_assert_cmpstr (second, ==, "two");
  g_assert_cmpuint (f->sent_signals, ==, 2);
  send_clear (&one);
  send_clear (&two);
}

/* Iterates the main context until the simulator has received @n POST …/sms, or @other is done. */
static void
wait_sms_requests (Fixture *f, guint n, const Send *other)
{
  guint watchdog = rc_test_watchdog_add (20);

  while (rc_sim_count_requests (f->sim, "POST", SMS_PATH) < n && !other->done)
    g_main_context_iteration (NULL, TRUE);
  g_source_remove (watchdog);
}

static void
test_conversations_in_parallel (Fixture *f, gconstpointer data)
{
  Send slow = { 0 }, fast = { 0 };

  /* Longer than the other tests' slow answer: the second request must merely arrive meanwhile. */
  rc_sim_inject_fault (f->sim, SMS_PATH, RC_SIM_FAULT_SLOW, 1, 3 * SLOW_MS);
  send_text (f, &slow, "+16505550100", "+14155550100", "slow", NULL);
  send_text (f, &fast, "+16505550100", "+14155550101", "fast", NULL);
  /* The second contact's text reached the server while the first was still in flight. */
  wait_sms_requests (f, 2, &slow);
  g_assert_false (slow.done);
  g_assert_cmpuint (rc_sim_count_requests (f->sim, "POST", SMS_PATH), ==, 2);
  rc_test_wait_for (&fast.done);
  rc_test_wait_for (&slow.done);
  g_assert_no_error (fast.error);
  g_assert_no_error (slow.error);
  send_clear (&slow);
  send_clear (&fast);
}

static void
test_failure_does_not_block (Fixture *f, gconstpointer data)
{
  Send one = { 0 }, two = { 0 };

  /* The first fails (a refusal that is not retried); the next of the conversation still goes. */
  rc_sim_inject_fault (f->sim, SMS_PATH, RC_SIM_FAULT_403, 1, 0);
  send_text (f, &one, "+16505550100", "+14155550100", "one", NULL);
  send_text (f, &two, "+16505550100", "+14155550100", "two", NULL);
  rc_test_wait_for (&two.done);
  g_assert_null (one.sent);
  g_assert_error (one.error, RC_ERROR, RC_ERROR_NOT_PERMITTED);
  g_assert_no_error (two.error);
  g_assert_cmpuint (one.sms_requests_then, ==, 1);
  g_assert_cmpuint (two.sms_requests_then, ==, 2);
  g_assert_cmpuint (f->sent_signals, ==, 1);
  send_clear (&one);
  send_clear (&two);
}

static void
test_cancel_queued (Fixture *f, gconstpointer data)
{
  g_autoptr (GCancellable) cancellable = g_cancellable_new ();
  Send one = { 0 }, two = { 0 }, three = { 0 };
  g_autofree char *second = NULL;

  rc_sim_inject_fault (f->sim, SMS_PATH, RC_SIM_FAULT_SLOW, 1, SLOW_MS);
  send_text (f, &one, "+16505550100", "+14155550100", "one", NULL);
  send_text (f, &two, "+16505550100", "+14155550100", "two", cancellable);
  send_text (f, &three, "+16505550100", "+14155550100", "three", NULL);
  g_cancellable_cancel (cancellable);
  rc_test_wait_for (&three.done);
  g_assert_true (one.done && two.done);
  g_assert_no_error (one.error);
  g_assert_error (two.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_no_error (three.error);
  /* The cancelled text never went out. */
  g_assert_cmpuint (rc_sim_count_requests (f->sim, "POST", SMS_PATH), ==, 2);
  second = sms_text (f, 1);
  g_assert_cmpstr (second, ==, "three");
  send_clear (&one);
  send_clear (&two);
  send_clear (&three);
}

static void
test_sender_copied (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonNode) body = NULL;
  char *from = g_strdup ("+16505550100");
  const char *to[] = { "650-555-0199", NULL };
  RcOutgoing *outgoing = rc_outbox_prepare (f->outbox, from, to, "hello", NULL, &error);
  Send send = { .f = f };
  JsonObject *from_object;

  g_assert_no_error (error);
  /* Freed right after prepare (ASan watches); overwritten first so a stale pointer shows. */
  memset (from, 'x', strlen (from));
  g_free (from);
  g_assert_cmpstr (rc_outgoing_get_from (outgoing), ==, "+16505550100");
  g_assert_cmpstr (rc_outgoing_get_key (outgoing), ==, "+16505550199");
  g_assert_cmpstr (rc_outgoing_get_to (outgoing)[0], ==, "+16505550199");
  g_assert_null (rc_outgoing_get_to (outgoing)[1]);
  rc_outbox_send_async (f->outbox, outgoing, NULL, on_send_done, &send);
  rc_test_wait_for (&send.done);
  g_assert_no_error (send.error);

  g_assert_cmpuint (rc_sim_count_requests (f->sim, "POST", SMS_PATH), ==, 1);
  body = rc_test_parse_json (sms_request (f, 0)->body);
  from_object = json_object_get_object_member (json_node_get_object (body), "from");
  g_assert_cmpstr (json_object_get_string_member (from_object, "phoneNumber"), ==, "+16505550100");
  send_clear (&send);
}

static void
test_group_key (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  const char *to[] = { "+16505550122", "(650) 555-0121", "6505550122", NULL };
  g_autoptr (RcOutgoing) outgoing
      = rc_outbox_prepare (f->outbox, "+16505550101", to, "hi all", NULL, &error);

  g_assert_no_error (error);
  /* Normalised, sorted, deduplicated: the chat name. */
  g_assert_cmpstr (rc_outgoing_get_key (outgoing), ==, "+16505550121,+16505550122");
  g_assert_cmpstr (rc_outgoing_get_to (outgoing)[0], ==, "+16505550121");
  g_assert_cmpstr (rc_outgoing_get_to (outgoing)[1], ==, "+16505550122");
  g_assert_null (rc_outgoing_get_to (outgoing)[2]);
}

/* rc_outbox_prepare refuses with @code and a message containing every @needles entry. */
static void
check_refused (Fixture *f, const char *from, const char *const *to, const char *text,
               GPtrArray *files, gint code, const char *const *needles)
{
  g_autoptr (GError) error = NULL;
  RcOutgoing *outgoing = rc_outbox_prepare (f->outbox, from, to, text, files, &error);

  g_assert_null (outgoing);
  g_assert_error (error, RC_ERROR, code);
  g_test_message ("refused: %s", error->message);
  for (guint i = 0; needles[i] != NULL; i++)
    g_assert_nonnull (strstr (error->message, needles[i]));
}

#define NEEDLES(...) ((const char *const[]){ __VA_ARGS__, NULL })

static void
test_refusals (Fixture *f, gconstpointer data)
{
  const char *one[] = { "+14155550100", NULL };
  const char *none[] = { NULL };
  const char *bob[] = { "+14155550100", "bob", NULL };
  const char *short_code[] = { "72975", NULL };
  const char *group[] = { "+14155550100", "+14155550101", NULL };
  const char *abroad[] = { "+442079460018", NULL };
  const char *eleven[12];
  g_autofree char *long_text = g_strnfill (1001, 'a');
  g_autofree char *just_right = g_strnfill (1000, 'a');
  g_autoptr (GString) emoji = g_string_new (NULL);
  g_autoptr (GPtrArray) files = g_ptr_array_new_with_free_func ((GDestroyNotify)rc_mms_file_free);
  g_autoptr (GPtrArray) big = g_ptr_array_new_with_free_func ((GDestroyNotify)rc_mms_file_free);
  g_autoptr (GPtrArray) no_files = g_ptr_array_new ();
  g_autoptr (GBytes) picture = g_bytes_new_static ("\xff\xd8\xff\xe0 jpeg", 9);
  g_autoptr (GBytes) huge = g_bytes_new_take (g_malloc0 (2000000), 2000000);
  g_autoptr (GError) error = NULL;
  RcOutgoing *outgoing;

  check_refused (f, NULL, one, "hi", NULL, RC_ERROR_NOT_PERMITTED,
                 NEEDLES ("This account has no number that can send texts."));
  check_refused (f, "+16505559999", one, "hi", NULL, RC_ERROR_NOT_PERMITTED,
                 NEEDLES ("+1 650-555-9999 is not one of your send-from numbers."));
  check_refused (f, "+16505550100", bob, "hi", NULL, RC_ERROR_INVALID_INPUT,
                 NEEDLES ("\"bob\" is not a phone number."));
  check_refused (f, "+16505550100", short_code, "hi", NULL, RC_ERROR_INVALID_INPUT,
                 NEEDLES ("\"72975\" is a short code"));
  check_refused (f, "+16505550100", none, "hi", NULL, RC_ERROR_INVALID_INPUT,
                 NEEDLES ("The text has no recipient."));
  check_refused (f, "+16505550100", NULL, "hi", NULL, RC_ERROR_INVALID_INPUT,
                 NEEDLES ("The text has no recipient."));
  /* Gates: a group needs MMS, a number abroad InternationalSmsSender; the advice names one. */
  check_refused (
      f, "+16505550100", group, "hi", NULL, RC_ERROR_NOT_PERMITTED,
      NEEDLES ("+1 650-555-0100 cannot send group texts: it lacks MMS.", "/from 2 would send it."));
  check_refused (f, "+16505550101", abroad, "hi", NULL, RC_ERROR_NOT_PERMITTED,
                 NEEDLES ("international", "/from 3 would send it."));
  /* An attachment needs MMS too (the gate comes before the MMS spot). */
  g_ptr_array_add (files, rc_mms_file_new (picture, "image/jpeg", "a.jpg"));
  g_ptr_array_add (big, rc_mms_file_new (huge, "image/jpeg", "big.jpg"));
  check_refused (f, "+16505550100", one, "look", files, RC_ERROR_NOT_PERMITTED,
                 NEEDLES ("cannot send pictures or files: it lacks MMS."));
  /* Text. */
  check_refused (f, "+16505550100", one, "", NULL, RC_ERROR_INVALID_INPUT,
                 NEEDLES ("The message has no text."));
  check_refused (f, "+16505550100", one, NULL, no_files, RC_ERROR_INVALID_INPUT,
                 NEEDLES ("The message has no text."));
  check_refused (f, "+16505550100", one, long_text, NULL, RC_ERROR_INVALID_INPUT,
                 NEEDLES ("The text is 1001 characters long; RingCentral takes at most 1000."));
  for (guint i = 0; i < 501; i++)
    g_string_append (emoji, "\xF0\x9F\x98\x80"); /* U+1F600: two UTF-16 units */
  check_refused (f, "+16505550100", one, emoji->str, NULL, RC_ERROR_INVALID_INPUT,
                 NEEDLES ("The text is 1002 characters long"));
  /* More than 10 recipients. */
  for (guint i = 0; i < 11; i++) {
    g_autofree char *number = g_strdup_printf ("+1415555%04u", i);

    eleven[i] = g_intern_string (number);
  }
  eleven[11] = NULL;
  check_refused (
      f, "+16505550101", eleven, "hi", NULL, RC_ERROR_INVALID_INPUT,
      NEEDLES ("A group text takes at most 10 numbers besides yours; this list has 11."));
  /* MMS limits (rc_mms_check); an empty text with a picture is not "no text". */
  check_refused (f, "+16505550101", one, "", big, RC_ERROR_INVALID_INPUT,
                 NEEDLES ("RingCentral takes at most 1.5 MB in one text"));

  /* Nothing of it reached the server, nothing is pending. */
  g_assert_cmpuint (rc_sim_count_requests (f->sim, "POST", "/"), ==, 0);
  g_assert_cmpuint (rc_outbox_get_pending (f->outbox), ==, 0);

  /* The limits are limits, not off by one. */
  outgoing = rc_outbox_prepare (f->outbox, "+16505550100", one, just_right, NULL, &error);
  g_assert_no_error (error);
  rc_outgoing_free (outgoing);
  eleven[10] = NULL;
  outgoing = rc_outbox_prepare (f->outbox, "+16505550101", eleven, "hi", NULL, &error);
  g_assert_no_error (error);
  rc_outgoing_free (outgoing);
}

static void
on_sync_records (RcSync *sync, GPtrArray *records, gpointer user_data)
{
  rc_inbox_add (user_data, records, RC_INBOX_FROM_SYNC);
}

static void
run_sync (Fixture *f, RcSync *sync)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GAsyncResult) result = NULL;

  rc_sync_run_async (sync, NULL, rc_test_got_result, &result);
  g_assert_true (rc_sync_run_finish (sync, rc_test_wait_result (&result), &error));
  g_assert_no_error (error);
}

static void
test_own_sends_shown_once (Fixture *f, gconstpointer data)
{
  g_autoptr (RcSync) sync = rc_sync_new (f->client);
  const char *const elsewhere[] = { "+14155550100", NULL };
  Send one = { 0 }, two = { 0 };
  g_autofree char *id = NULL;

  g_signal_connect (sync, "records", G_CALLBACK (on_sync_records), f->inbox);
  send_text (f, &one, "+16505550100", "+14155550100", "from here 1", NULL);
  send_text (f, &two, "+16505550101", "+1 415 555 0100", "from here 2", NULL);
  rc_test_wait_for (&one.done);
  rc_test_wait_for (&two.done);
  g_assert_no_error (one.error);
  g_assert_no_error (two.error);

  /* The records come back by sync (and by push: the same record again): no event for them. */
  run_sync (f, sync);
  rc_inbox_add_one (f->inbox, one.sent, RC_INBOX_FROM_PUSH);
  for (guint i = 0; i < f->events->len; i++)
    g_assert_cmpint (((RcInboxEvent *)f->events->pdata[i])->kind, !=, RC_INBOX_SENT_ELSEWHERE);

  /* A text sent from the RingCentral app is one (the test can fail). */
  id = rc_sim_add_outbound (f->sim, "+16505550100", elsewhere, "from the app");
  run_sync (f, sync);
  {
    guint elsewhere_events = 0;

    for (guint i = 0; i < f->events->len; i++) {
      RcInboxEvent *event = f->events->pdata[i];

      if (event->kind == RC_INBOX_SENT_ELSEWHERE) {
        elsewhere_events++;
        g_assert_cmpstr (event->message->id, ==, id);
      }
    }
    g_assert_cmpuint (elsewhere_events, ==, 1);
  }
  send_clear (&one);
  send_clear (&two);
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);
#define ADD(path, func) g_test_add (path, Fixture, NULL, setup, func, teardown)
  ADD ("/outbox/order/one-conversation", test_order_one_conversation);
  ADD ("/outbox/order/conversations-in-parallel", test_conversations_in_parallel);
  ADD ("/outbox/order/failure-does-not-block", test_failure_does_not_block);
  ADD ("/outbox/order/cancel-queued", test_cancel_queued);
  ADD ("/outbox/prepare/sender-copied", test_sender_copied);
  ADD ("/outbox/prepare/group-key", test_group_key);
  ADD ("/outbox/prepare/refusals", test_refusals);
  ADD ("/outbox/inbox/own-sends-shown-once", test_own_sends_shown_once);
#undef ADD
  return g_test_run ();
}
