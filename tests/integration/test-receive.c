/* test-receive.c: an inbound text arrives by push (no message-sync polling while the socket is
 * up), once, from the right sender; the reply goes out from the number it reached. */
#include "itest.h"

#include <string.h>

#define STRANGER "+14155550123"

static void
test_receive_inbound (void)
{
  g_autoptr (ITest) t = itest_new ("basic.json", NULL);
  g_autofree char *id = NULL;
  PurpleConversation *conv;
  g_autoptr (JsonNode) body = NULL;
  RcSimRequest *req;

  guint syncs;

  rcp_harness_sign_on_ok (t->h);
  g_assert_true (itest_wait_push (t));
  id = rc_sim_add_inbound (t->sim, STRANGER, "+16505550101", "Hello <there> & welcome");
  g_assert_nonnull (id);
  g_assert_true (rcp_harness_wait_for_received (t->h, STRANGER, NULL, RCP_HARNESS_TIMEOUT_MS));
  /* The message-store event that came with it asks for one ISync; after that, although
   * sync_interval is 1 s, nothing polls while push is up: still shown once, no more rounds. */
  rcp_harness_run_for (500);
  syncs = itest_count (t, "GET", SYNC_PATH);
  rcp_harness_run_for (3000);
  g_assert_cmpuint (rcp_harness_count_received (t->h, STRANGER, NULL), ==, 1);
  {
    RcpReceivedRecord *rec = g_ptr_array_index (rcp_harness_received (t->h), 0);
    g_autofree char *shown = purple_markup_strip_html (rec->text);
    g_test_message ("received: %s (shown as: %s)", rec->text, shown);
    /* The text is escaped for libpurple, so the UI shows exactly what was sent. */
    g_assert_cmpstr (shown, ==, "Hello <there> & welcome");
    g_assert_true (rec->flags & PURPLE_MESSAGE_RECV);
  }
  g_assert_cmpuint (rcp_harness_count_received (t->h, NULL, NULL), ==, 1);
  g_assert_cmpuint (itest_count (t, "GET", SYNC_PATH), ==, syncs);

  /* The conversation opened under the sender's number; a reply goes out from the number the
   * text reached (the Main Company Number here, not the default). */
  conv = purple_find_conversation_with_account (PURPLE_CONV_TYPE_IM, STRANGER, t->account);
  g_assert_nonnull (conv);
  purple_conv_im_send (PURPLE_CONV_IM (conv), "thanks");
  g_assert_true (itest_wait_count (t, "POST", SMS_PATH, 1, RCP_HARNESS_TIMEOUT_MS));
  req = itest_request (t, "POST", SMS_PATH, 0);
  body = itest_json (req);
  g_assert_cmpstr (itest_json_string (body, "to.0.phoneNumber"), ==, STRANGER);
  g_assert_cmpstr (itest_json_string (body, "from.phoneNumber"), ==, "+16505550101");
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  itest_add ("/receive/inbound", test_receive_inbound, TRUE);
  return g_test_run ();
}
