/* test-events.c: everything that happens to a conversation shows in it, once: the user's own
 * text, a text sent from another device, delivery failures and receipts, read marks going back,
 * contact names, short codes and group texts. */
#include "itest.h"

#include <string.h>

#define OURS     "+16505550100"
#define ECHO_BOT "+16505550199"
#define ALEX     "+14155550123"
#define STORE_PATH "/restapi/v1.0/account/~/extension/~/message-store/"

/* The demo contact answers; its reply arrived (so the record of our text came back too). */
static void
wait_echo_reply (ITest *t, const char *needle)
{
  g_assert_true (rcp_harness_wait_for_received (t->h, ECHO_BOT, needle, RCP_HARNESS_TIMEOUT_MS));
}

static void
test_events_own_send_once (void)
{
  g_autoptr (ITest) t = itest_new ("basic.json", NULL);
  PurpleConversation *conv;
  const char *name;

  rcp_harness_sign_on_ok (t->h);
  g_assert_true (itest_wait_push (t));
  conv = rcp_harness_send_im (t->h, ECHO_BOT, "ping-once-42");
  name = purple_conversation_get_name (conv);
  g_assert_true (itest_wait_count (t, "POST", SMS_PATH, 1, RCP_HARNESS_TIMEOUT_MS));
  wait_echo_reply (t, "You said: ping-once-42");
  /* The Queued and Delivered records of our text came back by push and ISync meanwhile; a few
   * more rounds must not show it a second time either. */
  rcp_harness_run_for (2500);
  {
    g_autofree char *dump = rcp_harness_dump_writes (t->h, name);
    g_test_message ("conversation:\n%s", dump);
  }
  g_assert_cmpuint (rcp_harness_count_writes (t->h, name, PURPLE_MESSAGE_SEND, "ping-once-42"), ==,
                    1);
  g_assert_cmpuint (rcp_harness_count_writes (t->h, NULL, PURPLE_MESSAGE_REMOTE_SEND, NULL), ==, 0);
  g_assert_cmpuint (rcp_harness_count_received (t->h, NULL, "ping-once-42"), ==, 1); /* the reply */
  g_assert_cmpuint (itest_count (t, "POST", SMS_PATH), ==, 1);
}

static void
test_events_other_device (void)
{
  g_autoptr (ITest) t = itest_new ("basic.json", NULL);
  /* No auto-reply from this one: a reply quoting the text would blur "received". */
  const char *const to[] = { "+14155550177", NULL };
  g_autofree char *id = NULL;
  const RcpWriteRecord *rec;

  rcp_harness_sign_on_ok (t->h);
  g_assert_true (itest_wait_push (t));
  id = rc_sim_add_outbound (t->sim, OURS, to, "from my phone");
  g_assert_nonnull (id);
  g_assert_true (rcp_harness_wait_for_write (t->h, NULL,
                                             PURPLE_MESSAGE_SEND | PURPLE_MESSAGE_REMOTE_SEND,
                                             "from my phone", RCP_HARNESS_TIMEOUT_MS));
  rec = rcp_harness_find_write (t->h, NULL, PURPLE_MESSAGE_SEND | PURPLE_MESSAGE_REMOTE_SEND,
                                "from my phone");
  g_assert_cmpint (rec->conv_type, ==, PURPLE_CONV_TYPE_IM);
  g_assert_cmpstr (rec->conv_name, ==, to[0]);
  g_assert_false (rec->flags & PURPLE_MESSAGE_RECV);
  /* Queued, then Delivered: both records come back; still one line. */
  rcp_harness_run_for (2500);
  g_assert_cmpuint (rcp_harness_count_writes (t->h, NULL, 0, "from my phone"), ==, 1);
  g_assert_cmpuint (rcp_harness_count_received (t->h, NULL, NULL), ==, 0);
  g_assert_cmpuint (itest_count (t, "POST", SMS_PATH), ==, 0);
}

static void
test_events_delivery_failed (void)
{
  g_autoptr (ITest) t = itest_new ("basic.json", NULL);
  const char *const needles[] = { "+1 650-555-0199", "opted out", "(SMS-CAR-413)", NULL };
  PurpleConversation *conv;
  const char *name;

  rcp_harness_sign_on_ok (t->h);
  rc_sim_set_delivery_failure (t->sim, ECHO_BOT, "DeliveryFailed", "SMS-CAR-413");
  conv = rcp_harness_send_im (t->h, ECHO_BOT, "are you there");
  name = purple_conversation_get_name (conv);
  g_assert_true (rcp_harness_wait_for_write (t->h, name, PURPLE_MESSAGE_ERROR, "SMS-CAR-413",
                                             RCP_HARNESS_TIMEOUT_MS));
  itest_assert_error_line (t, conv, needles);
  rcp_harness_run_for (2500);
  g_assert_cmpuint (rcp_harness_count_writes (t->h, NULL, PURPLE_MESSAGE_ERROR, "SMS-CAR-413"), ==,
                    1);
  g_assert_cmpuint (rcp_harness_count_writes (t->h, NULL, 0, "Delivered to"), ==, 0);
  g_assert_cmpuint (itest_count (t, "POST", SMS_PATH), ==, 1);
}

static void
receipts_case (gboolean wanted)
{
  g_autoptr (ITest) t = itest_new ("basic.json", NULL);
  PurpleConversation *conv;
  const char *name;

  if (wanted)
    purple_account_set_bool (t->account, "delivery_receipts", TRUE);
  rcp_harness_sign_on_ok (t->h);
  conv = rcp_harness_send_im (t->h, ECHO_BOT, "receipt please");
  name = purple_conversation_get_name (conv);
  /* The reply comes after the text was Delivered. */
  wait_echo_reply (t, "You said: receipt please");
  if (wanted)
    g_assert_true (rcp_harness_wait_for_write (t->h, name, 0, "Delivered to +1 650-555-0199",
                                               RCP_HARNESS_TIMEOUT_MS));
  rcp_harness_run_for (2000);
  {
    g_autofree char *dump = rcp_harness_dump_writes (t->h, name);
    g_test_message ("conversation:\n%s", dump);
  }
  g_assert_cmpuint (rcp_harness_count_writes (t->h, NULL, 0, "Delivered to"), ==, wanted ? 1 : 0);
  g_assert_cmpuint (rcp_harness_count_writes (t->h, NULL, PURPLE_MESSAGE_ERROR, NULL), ==, 0);
}

static void
test_events_receipts_on (void)
{
  receipts_case (TRUE);
}

static void
test_events_receipts_off (void)
{
  receipts_case (FALSE);
}

/* The ids in the path of a PUT message-store/{id},{id}... */
static GStrv
put_ids (RcSimRequest *req)
{
  g_assert_true (g_str_has_prefix (req->path, STORE_PATH));
  return g_strsplit (req->path + strlen (STORE_PATH), ",", -1);
}

#define SENDER_A "+14155550131"
#define SENDER_B "+14155550132"

static void
test_events_read_marks (void)
{
  g_autoptr (ITest) t = itest_new ("basic.json", NULL);
  g_autofree char *a1 = NULL, *a2 = NULL, *b1 = NULL;
  g_auto (GStrv) ids = NULL;
  PurpleConversation *conv_a, *conv_b;
  RcSimRequest *req;

  rcp_harness_sign_on_ok (t->h);
  g_assert_true (itest_wait_push (t));
  a1 = rc_sim_add_inbound (t->sim, SENDER_A, OURS, "first from A");
  a2 = rc_sim_add_inbound (t->sim, SENDER_A, OURS, "second from A");
  b1 = rc_sim_add_inbound (t->sim, SENDER_B, OURS, "only from B");
  g_assert_true (
      rcp_harness_wait_for_received (t->h, SENDER_A, "second from A", RCP_HARNESS_TIMEOUT_MS));
  g_assert_true (
      rcp_harness_wait_for_received (t->h, SENDER_B, "only from B", RCP_HARNESS_TIMEOUT_MS));
  g_assert_true (
      rcp_harness_wait_for_received (t->h, SENDER_A, "first from A", RCP_HARNESS_TIMEOUT_MS));
  /* Merely arriving marks nothing read. */
  rcp_harness_run_for (1500);
  g_assert_cmpuint (itest_count (t, "PUT", STORE_PATH), ==, 0);

  /* Answering A marks A's two texts read, in one request, B's not. */
  conv_a = purple_find_conversation_with_account (PURPLE_CONV_TYPE_IM, SENDER_A, t->account);
  g_assert_nonnull (conv_a);
  purple_conv_im_send (PURPLE_CONV_IM (conv_a), "got them");
  if (!itest_wait_count (t, "PUT", STORE_PATH, 1, 3000)) {
    g_autofree char *log = itest_dump_requests (t);
    g_autofree char *prism = t->prism != NULL ? rcp_prism_log (t->prism) : NULL;
    g_error ("no PUT message-store within 3 s of the reply:\n%s\nprism:\n%s", log, prism);
  }
  rcp_harness_run_for (1500);
  g_assert_cmpuint (itest_count (t, "PUT", STORE_PATH), ==, 1);
  req = itest_request (t, "PUT", STORE_PATH, 0);
  g_test_message ("PUT %s -> %u: %s", req->path, req->status, req->body);
  g_assert_cmpuint (req->status, >=, 200);
  g_assert_cmpuint (req->status, <, 300);
  ids = put_ids (req);
  g_assert_cmpuint (g_strv_length (ids), ==, 2);
  g_assert_true (g_strv_contains ((const char *const *)ids, a1));
  g_assert_true (g_strv_contains ((const char *const *)ids, a2));
  g_assert_false (g_strv_contains ((const char *const *)ids, b1));
  g_clear_pointer (&ids, g_strfreev);

  /* B's conversation seen in the UI: its text too, and only it. */
  conv_b = purple_find_conversation_with_account (PURPLE_CONV_TYPE_IM, SENDER_B, t->account);
  g_assert_nonnull (conv_b);
  purple_conversation_set_data (conv_b, "unseen-count", GINT_TO_POINTER (0));
  purple_conversation_update (conv_b, PURPLE_CONV_UPDATE_UNSEEN);
  g_assert_true (itest_wait_count (t, "PUT", STORE_PATH, 2, 3000));
  rcp_harness_run_for (1500);
  g_assert_cmpuint (itest_count (t, "PUT", STORE_PATH), ==, 2);
  req = itest_request (t, "PUT", STORE_PATH, 1);
  g_test_message ("PUT %s -> %u: %s", req->path, req->status, req->body);
  g_assert_cmpuint (req->status, >=, 200);
  g_assert_cmpuint (req->status, <, 300);
  ids = put_ids (req);
  g_assert_cmpuint (g_strv_length (ids), ==, 1);
  g_assert_cmpstr (ids[0], ==, b1);
  g_assert_nonnull (req->body);
  g_assert_nonnull (strstr (req->body, "\"Read\""));

  /* Seen again: nothing left to mark. */
  purple_conversation_update (conv_b, PURPLE_CONV_UPDATE_UNSEEN);
  purple_conversation_update (conv_a, PURPLE_CONV_UPDATE_UNSEEN);
  rcp_harness_run_for (1800);
  g_assert_cmpuint (itest_count (t, "PUT", STORE_PATH), ==, 2);
}

static gboolean
alias_is (gpointer data)
{
  PurpleBuddy *buddy = data;

  return g_strcmp0 (purple_buddy_get_server_alias (buddy), "Alex Doe") == 0;
}

static void
test_events_names (void)
{
  g_autoptr (ITest) t = itest_new ("demo.json", NULL);
  PurpleBuddy *buddy = purple_buddy_new (t->account, ALEX, NULL);
  PurpleConversation *conv;
  const char *title;

  purple_blist_add_buddy (buddy, NULL, NULL, NULL);
  rcp_harness_sign_on_ok (t->h);
  if (!rcp_harness_wait_until (alias_is, buddy, RCP_HARNESS_TIMEOUT_MS))
    g_error ("buddy %s has server alias \"%s\", expected \"Alex Doe\"\n%s", ALEX,
             purple_buddy_get_server_alias (buddy), itest_dump_requests (t));

  /* Echo Bot is in the address book and not a buddy: its conversation is titled with its name. */
  g_assert_true (itest_wait_push (t));
  g_free (rc_sim_add_inbound (t->sim, ECHO_BOT, OURS, "hello from the bot"));
  g_assert_true (rcp_harness_wait_for_received (t->h, ECHO_BOT, "hello from the bot",
                                                RCP_HARNESS_TIMEOUT_MS));
  conv = purple_find_conversation_with_account (PURPLE_CONV_TYPE_IM, ECHO_BOT, t->account);
  g_assert_nonnull (conv);
  title = purple_conversation_get_title (conv);
  g_test_message ("title: %s", title);
  g_assert_nonnull (strstr (title, "Echo Bot"));

  /* Somebody not in the address book gets no name. */
  g_free (rc_sim_add_inbound (t->sim, "+14155550188", OURS, "who am I"));
  g_assert_true (
      rcp_harness_wait_for_received (t->h, "+14155550188", "who am I", RCP_HARNESS_TIMEOUT_MS));
  conv = purple_find_conversation_with_account (PURPLE_CONV_TYPE_IM, "+14155550188", t->account);
  g_assert_nonnull (conv);
  g_assert_null (strstr (purple_conversation_get_title (conv), "Echo Bot"));
  g_assert_null (strstr (purple_conversation_get_title (conv), "Alex Doe"));
}

#define SHORT_CODE "72975"

static void
test_events_short_code (void)
{
  g_autoptr (ITest) t = itest_new ("basic.json", NULL);
  PurpleConversation *conv;
  const char *name;
  guint errors;

  rcp_harness_sign_on_ok (t->h);
  g_assert_true (itest_wait_push (t));
  g_free (rc_sim_add_inbound (t->sim, SHORT_CODE, OURS, "Your code is 123456"));
  g_assert_true (rcp_harness_wait_for_received (t->h, SHORT_CODE, "Your code is 123456",
                                                RCP_HARNESS_TIMEOUT_MS));
  conv = purple_find_conversation_with_account (PURPLE_CONV_TYPE_IM, SHORT_CODE, t->account);
  g_assert_nonnull (conv);
  name = purple_conversation_get_name (conv);
  {
    g_autofree char *dump = rcp_harness_dump_writes (t->h, name);
    g_test_message ("conversation:\n%s", dump);
  }
  g_assert_cmpuint (rcp_harness_count_writes (t->h, name, PURPLE_MESSAGE_RECV, "Your code is"), ==,
                    1);
  g_assert_nonnull (rcp_harness_find_write (t->h, name, 0, "short code"));
  g_assert_cmpuint (rcp_harness_count_writes (t->h, name, 0, "Sending from"), ==, 0);

  errors = rcp_harness_count_writes (t->h, name, PURPLE_MESSAGE_ERROR, NULL);
  purple_conv_im_send (PURPLE_CONV_IM (conv), "STOP");
  g_assert_cmpuint (rcp_harness_count_writes (t->h, name, PURPLE_MESSAGE_ERROR, NULL), ==,
                    errors + 1);
  {
    const char *const needles[] = { "Could not send", "short code", NULL };
    itest_assert_error_line (t, conv, needles);
  }
  rcp_harness_run_for (1500);
  {
    g_autofree char *dump = rcp_harness_dump_writes (t->h, name);
    g_test_message ("after sending:\n%s", dump);
  }
  g_assert_cmpuint (itest_count (t, "POST", SMS_PATH), ==, 0);
  /* The refused text is not echoed as sent. */
  g_assert_cmpuint (rcp_harness_count_writes (t->h, name, PURPLE_MESSAGE_SEND, "STOP"), ==, 0);
}

#define GROUP_A "+14155550141"
#define GROUP_B "+14155550142"

static gboolean
chat_has_user (PurpleConversation *conv, const char *who)
{
  for (GList *l = purple_conv_chat_get_users (PURPLE_CONV_CHAT (conv)); l != NULL; l = l->next)
    if (g_strcmp0 (purple_conv_chat_cb_get_name (l->data), who) == 0)
      return TRUE;
  return FALSE;
}

static void
test_events_group_inbound (void)
{
  g_autoptr (ITest) t = itest_new ("basic.json", NULL);
  const char *const others[] = { GROUP_B, NULL };
  const RcpWriteRecord *rec;
  PurpleConversation *conv;

  rcp_harness_sign_on_ok (t->h);
  g_assert_true (itest_wait_push (t));
  g_free (rc_sim_add_inbound_group (t->sim, GROUP_A, OURS, others, "hi all"));
  g_assert_true (
      rcp_harness_wait_for_write (t->h, NULL, PURPLE_MESSAGE_RECV, "hi all", RCP_HARNESS_TIMEOUT_MS));
  rec = rcp_harness_find_write (t->h, NULL, PURPLE_MESSAGE_RECV, "hi all");
  g_test_message ("written into %s by %s", rec->conv_name, rec->who);
  g_assert_cmpint (rec->conv_type, ==, PURPLE_CONV_TYPE_CHAT);
  g_assert_cmpstr (rec->who, ==, GROUP_A);
  conv = rcp_harness_find_chat (t->h, rec->conv_name);
  g_assert_nonnull (conv);
  g_assert_true (chat_has_user (conv, GROUP_A));
  g_assert_true (chat_has_user (conv, GROUP_B));
  g_assert_false (chat_has_user (conv, OURS));
  rcp_harness_run_for (2000);
  g_assert_cmpuint (rcp_harness_count_writes (t->h, NULL, 0, "hi all"), ==, 1);
  g_assert_cmpuint (rcp_harness_count_received (t->h, NULL, NULL), ==, 0);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  itest_add ("/events/own-send-once", test_events_own_send_once, TRUE);
  itest_add ("/events/other-device", test_events_other_device, FALSE);
  itest_add ("/events/delivery-failed", test_events_delivery_failed, FALSE);
  itest_add ("/events/receipts-on", test_events_receipts_on, FALSE);
  itest_add ("/events/receipts-off", test_events_receipts_off, FALSE);
  /* Not through Prism: its validator crashes on the comma-separated {messageId} list of a bulk
   * PUT (TypeError: value.split is not a function in deserializers/style/simple.js). */
  itest_add ("/events/read-marks", test_events_read_marks, FALSE);
  itest_add ("/events/names", test_events_names, TRUE);
  itest_add ("/events/short-code", test_events_short_code, FALSE);
  itest_add ("/events/group-inbound", test_events_group_inbound, FALSE);
  return g_test_run ();
}
