/* test-identities.c: "Send-from identities done right", the parts test-choices.c leaves out:
 * the international gate for a +1 recipient outside the US and Canada (Caribbean +1 876), and a
 * group text from an MMS default going out as one /sms to both recipients.
 *
 * many-pages.json's texting numbers, in list order (see test-choices.c): 1 +16505550100 SMS MMS,
 * 3 +16505550102 SMS, 5 +16505550106 SMS MMS international. */
#include "itest.h"

#define JAMAICA     "+18765550123"
#define JAMAICA_FMT "+1 876-555-0123"
#define SILENT      "+16505550177" /* no auto reply in any scenario */
#define SILENT_2    "+16505550178"

static void
test_caribbean_gate (void)
{
  /* +1 876 shares the +1 code but is abroad: a sender without InternationalSmsSender is refused
   * before any request, and the refusal names the recipient and the number that would work. */
  g_autoptr (ITest) t = itest_new ("many-pages.json", NULL);
  static const char *const refusal[]
      = { "Could not send", JAMAICA_FMT, "international", "/from 5 would send it", NULL };
  g_autofree char *error = NULL;
  g_autofree char *from = NULL;
  g_autoptr (JsonNode) body = NULL;
  PurpleConversation *conv;

  purple_account_set_string (t->account, "default_from", "+16505550102");
  rcp_harness_sign_on_ok (t->h);
  conv = rcp_harness_send_im (t->h, JAMAICA, "hello Kingston");
  rcp_harness_run_for (300);
  itest_assert_error_line (t, conv, refusal);
  g_assert_cmpuint (itest_count (t, "POST", SMS_PATH), ==, 0);

  g_assert_cmpint (rcp_harness_run_command (conv, "from 5", &error), ==, PURPLE_CMD_STATUS_OK);
  rcp_harness_send_im (t->h, JAMAICA, "hello again");
  from = itest_sent_from (t, 0);
  g_assert_cmpstr (from, ==, "+16505550106");
  body = itest_json (itest_request (t, "POST", SMS_PATH, 0));
  g_assert_nonnull (body);
  g_assert_cmpstr (itest_json_string (body, "to.0.phoneNumber"), ==, JAMAICA);
  g_assert_cmpuint (itest_count (t, "POST", SMS_PATH), ==, 1);
}

static void
test_caribbean_gate_none (void)
{
  /* basic.json: no number may text abroad, so there is no /from advice. */
  g_autoptr (ITest) t = itest_new ("basic.json", NULL);
  static const char *const refusal[]
      = { JAMAICA_FMT, "international", "None of your numbers can", NULL };
  PurpleConversation *conv;

  rcp_harness_sign_on_ok (t->h);
  conv = rcp_harness_send_im (t->h, JAMAICA, "hello Kingston");
  rcp_harness_run_for (300);
  itest_assert_error_line (t, conv, refusal);
  g_assert_null (rcp_harness_find_write (t->h, purple_conversation_get_name (conv),
                                         PURPLE_MESSAGE_ERROR, "/from"));
  g_assert_cmpuint (itest_count (t, "POST", SMS_PATH), ==, 0);
}

static void
test_group_from_mms_default (void)
{
  /* The default +16505550100 has MmsSender: the group is accepted and one text reaches both. */
  g_autoptr (ITest) t = itest_new ("many-pages.json", NULL);
  g_autoptr (JsonNode) body = NULL;
  PurpleConversation *chat;
  const char *a, *b;

  purple_account_set_string (t->account, "default_from", "+16505550100");
  rcp_harness_sign_on_ok (t->h);
  rcp_harness_join_chat (t->h, SILENT ", " SILENT_2);
  rcp_harness_run_for (300);
  g_assert_cmpuint (rcp_harness_notifies (t->h)->len, ==, 0);
  chat = rcp_harness_find_chat (t->h, SILENT "," SILENT_2);
  g_assert_nonnull (chat);
  g_assert_false (purple_conv_chat_has_left (PURPLE_CONV_CHAT (chat)));

  purple_conv_chat_send (PURPLE_CONV_CHAT (chat), "hi both");
  g_assert_true (itest_wait_count (t, "POST", SMS_PATH, 1, 5000));
  rcp_harness_run_for (300);
  g_assert_cmpuint (itest_count (t, "POST", SMS_PATH), ==, 1);
  body = itest_json (itest_request (t, "POST", SMS_PATH, 0));
  g_assert_nonnull (body);
  g_assert_cmpstr (itest_json_string (body, "from.phoneNumber"), ==, "+16505550100");
  a = itest_json_string (body, "to.0.phoneNumber");
  b = itest_json_string (body, "to.1.phoneNumber");
  g_assert_null (itest_json_string (body, "to.2.phoneNumber"));
  g_assert_true ((g_strcmp0 (a, SILENT) == 0 && g_strcmp0 (b, SILENT_2) == 0)
                 || (g_strcmp0 (a, SILENT_2) == 0 && g_strcmp0 (b, SILENT) == 0));
}

/* How many lines of @conv_name are exactly @line. */
static guint
count_exact_lines (ITest *t, const char *conv_name, const char *line)
{
  g_autoptr (GPtrArray) lines = itest_lines_since (t->h, conv_name, 0);
  guint n = 0;

  for (guint i = 0; i < lines->len; i++)
    if (g_strcmp0 (lines->pdata[i], line) == 0)
      n++;
  return n;
}

static void
test_announce_on_open (void)
{
  /* Opening an IM conversation says, once and in the contract's words, which number it uses:
   * the default, or the number remembered on a buddy's node. Nothing is sent. */
  g_autoptr (ITest) t = itest_new ("many-pages.json", NULL);
  PurpleBuddy *buddy;
  PurpleConversation *conv;

  purple_account_set_string (t->account, "default_from", "+16505550102");
  rcp_harness_sign_on_ok (t->h);

  conv = rcp_harness_im (t->h, SILENT);
  rcp_harness_run_for (200);
  if (count_exact_lines (t, purple_conversation_get_name (conv),
                         "Sending from +1 650-555-0102 (Direct)")
      != 1) {
    g_autofree char *dump = rcp_harness_dump_writes (t->h, purple_conversation_get_name (conv));
    g_error ("expected one \"Sending from +1 650-555-0102 (Direct)\" line in:\n%s", dump);
  }

  buddy = purple_buddy_new (t->account, SILENT_2, NULL);
  purple_blist_add_buddy (buddy, NULL, NULL, NULL);
  purple_blist_node_set_string (PURPLE_BLIST_NODE (buddy), "rc-from", "+16505550101");
  conv = rcp_harness_im (t->h, SILENT_2);
  rcp_harness_run_for (200);
  if (count_exact_lines (t, purple_conversation_get_name (conv),
                         "Sending from +1 650-555-0101 (Main company number)")
      != 1) {
    g_autofree char *dump = rcp_harness_dump_writes (t->h, purple_conversation_get_name (conv));
    g_error ("expected one main-number \"Sending from\" line in:\n%s", dump);
  }
  g_assert_cmpuint (itest_count (t, "POST", SMS_PATH), ==, 0);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  itest_add ("/identities/gate/caribbean", test_caribbean_gate, FALSE);
  itest_add ("/identities/gate/caribbean-none", test_caribbean_gate_none, FALSE);
  itest_add ("/identities/announce/on-open", test_announce_on_open, FALSE);
  itest_add ("/identities/group/mms-default", test_group_from_mms_default, FALSE);
  return g_test_run ();
}
