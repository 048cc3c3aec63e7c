/* test-identities-group.c: "Send-from identities done right" for group texts (chats), the parts
 * test-choices.c and test-identities.c leave out: the MMS gate at send time after /from in a
 * chat, the international gate on a group, the number a chat announces, and a chat's choice
 * remembered in from_map or on its buddy-list node, and the chat node's "Send From" menu.
 *
 * many-pages.json's texting numbers, in list order (see test-choices.c): 1 +16505550100 SMS MMS,
 * 4 +18885550100 toll-free SMS, 5 +16505550106 SMS MMS international, 8 +16505550110 SMS MMS. */
#include "itest.h"

#include <string.h>

#define SILENT   "+16505550177" /* no auto reply in any scenario */
#define SILENT_2 "+16505550178"
#define UK_PEER  "+442071838750"
#define GROUP    SILENT "," SILENT_2 /* the canonical chat name */

/* Joins @typed and returns the open chat named @name (asserts it opened, without a refusal). */
static PurpleConversation *
join_ok (ITest *t, const char *typed, const char *name)
{
  PurpleConversation *chat;

  rcp_harness_join_chat (t->h, typed);
  rcp_harness_run_for (200);
  chat = rcp_harness_find_chat (t->h, name);
  if (chat == NULL || purple_conv_chat_has_left (PURPLE_CONV_CHAT (chat))) {
    GPtrArray *notifies = rcp_harness_notifies (t->h);
    RcpNotifyRecord *n = notifies->len > 0 ? g_ptr_array_index (notifies, notifies->len - 1) : NULL;
    g_error ("joining \"%s\" did not open %s (last notify: %s)", typed, name,
             n != NULL ? n->secondary : "none");
  }
  return chat;
}

/* Sends @text in @chat and returns the body of the one /sms it caused (request number @nth). */
static JsonNode *
chat_send_ok (ITest *t, PurpleConversation *chat, const char *text, guint nth)
{
  purple_conv_chat_send (PURPLE_CONV_CHAT (chat), text);
  g_assert_true (itest_wait_count (t, "POST", SMS_PATH, nth + 1, RCP_HARNESS_TIMEOUT_MS));
  rcp_harness_run_for (100);
  g_assert_cmpuint (itest_count (t, "POST", SMS_PATH), ==, nth + 1);
  return itest_json (itest_request (t, "POST", SMS_PATH, nth));
}

/* The body's recipients are exactly @a and @b, in either order. */
static void
assert_recipients (JsonNode *body, const char *a, const char *b)
{
  const char *to0 = itest_json_string (body, "to.0.phoneNumber");
  const char *to1 = itest_json_string (body, "to.1.phoneNumber");

  g_assert_null (itest_json_string (body, "to.2.phoneNumber"));
  if (!((g_strcmp0 (to0, a) == 0 && g_strcmp0 (to1, b) == 0)
        || (g_strcmp0 (to0, b) == 0 && g_strcmp0 (to1, a) == 0)))
    g_error ("recipients %s, %s; expected %s and %s", to0, to1, a, b);
}

static void
test_send_gate_after_from (void)
{
  /* The chat opens from the MMS default and says so. Switched with /from to the toll-free number
   * (SMS only), a text is refused in the chat before any request, naming the number, what it
   * lacks and the first number that would work; switched to another MMS number, it goes out. */
  g_autoptr (ITest) t = itest_signed_on ("many-pages.json", "+16505550100", NULL);
  static const char *const refusal[]
      = { "Could not send", "+1 888-555-0100", "MMS", "/from 1 would send it", NULL };
  g_autoptr (JsonNode) body = NULL;
  g_autofree char *error = NULL;
  PurpleConversation *chat;

  chat = join_ok (t, SILENT ", " SILENT_2, GROUP);
  g_assert_nonnull (
      rcp_harness_find_write (t->h, GROUP, 0, "Sending from +1 650-555-0100 (Direct)"));

  g_assert_cmpint (rcp_harness_run_command (chat, "from 4", &error), ==, PURPLE_CMD_STATUS_OK);
  g_assert_nonnull (rcp_harness_find_write (
      t->h, GROUP, 0, "Texts in this conversation now go out from +1 888-555-0100"));
  purple_conv_chat_send (PURPLE_CONV_CHAT (chat), "refused");
  rcp_harness_run_for (300);
  itest_assert_error_line (t, chat, refusal);
  g_assert_cmpuint (itest_count (t, "POST", SMS_PATH), ==, 0);
  /* The refused text is not echoed as if it went out. */
  g_assert_cmpuint (rcp_harness_count_writes (t->h, GROUP, PURPLE_MESSAGE_SEND, "refused"), ==, 0);

  g_assert_cmpint (rcp_harness_run_command (chat, "from 8", &error), ==, PURPLE_CMD_STATUS_OK);
  body = chat_send_ok (t, chat, "accepted", 0);
  g_assert_cmpstr (itest_json_string (body, "from.phoneNumber"), ==, "+16505550110");
  g_assert_cmpstr (itest_json_string (body, "text"), ==, "accepted");
  assert_recipients (body, SILENT, SILENT_2);
}

static void
test_group_international_gate (void)
{
  /* A group with a UK member from an MMS number without InternationalSmsSender: Join Chat is
   * refused before any request and points at the number that has both. From that number the
   * group opens and one text reaches both members. */
  g_autoptr (ITest) t = itest_signed_on ("many-pages.json", "+16505550100", NULL);
  g_autoptr (JsonNode) body = NULL;
  GPtrArray *notifies;
  RcpNotifyRecord *n;
  PurpleConversation *chat;
  const char *name = SILENT "," UK_PEER;

  rcp_harness_join_chat (t->h, SILENT ", " UK_PEER);
  rcp_harness_run_for (300);
  notifies = rcp_harness_notifies (t->h);
  g_assert_cmpuint (notifies->len, ==, 1);
  n = g_ptr_array_index (notifies, 0);
  g_assert_cmpint (n->type, ==, PURPLE_NOTIFY_MSG_ERROR);
  g_test_message ("refusal: %s / %s", n->primary, n->secondary);
  g_assert_nonnull (strstr (n->secondary, "+1 650-555-0100"));
  g_assert_nonnull (strstr (n->secondary, "international"));
  g_assert_nonnull (strstr (n->secondary, "/from 5 would send it"));
  chat = rcp_harness_find_chat (t->h, name);
  g_assert_true (chat == NULL || purple_conv_chat_has_left (PURPLE_CONV_CHAT (chat)));
  g_assert_cmpuint (itest_count (t, "POST", SMS_PATH), ==, 0);

  purple_account_set_string (t->account, "default_from", "+16505550106");
  chat = join_ok (t, SILENT ", " UK_PEER, name);
  body = chat_send_ok (t, chat, "hello both", 0);
  g_assert_cmpstr (itest_json_string (body, "from.phoneNumber"), ==, "+16505550106");
  assert_recipients (body, SILENT, UK_PEER);
}

static void
test_remembered_chat_choice_gates_join (void)
{
  /* A toll-free number remembered for this group (from_map) fills the From field (it beats the MMS
   * default), so Join Chat is refused naming it and the field to change. */
  g_autoptr (ITest) t = itest_signed_on ("many-pages.json", "+16505550100", GROUP "=+18885550100");
  rcp_harness_join_chat (t->h, SILENT_2 ", " SILENT);
  rcp_harness_run_for (300);
  itest_assert_only_notify (
      t, PURPLE_NOTIFY_MSG_ERROR,
      (const char *const[]){ "+1 888-555-0100", "MMS", "Change the From field to +1 650-555-0100",
                             NULL });
  g_assert_cmpuint (itest_count (t, "POST", SMS_PATH), ==, 0);
}

static void
test_chat_choice_remembered (void)
{
  /* /from in a group that is not in the buddy list is remembered in from_map under the chat's
   * canonical name: after leaving and joining again (members typed in another order) the chat
   * announces it and texts go out from it. In a group saved in the buddy list, the choice goes
   * on the chat node instead. */
  g_autoptr (ITest) t = itest_signed_on ("many-pages.json", "+16505550100", NULL);
  g_autoptr (JsonNode) first = NULL;
  g_autoptr (JsonNode) second = NULL;
  g_autofree char *error = NULL;
  PurpleChat *saved;
  PurpleConversation *chat;
  const char *saved_name = SILENT "," UK_PEER;
  guint mark;

  chat = join_ok (t, SILENT ", " SILENT_2, GROUP);
  g_assert_cmpint (rcp_harness_run_command (chat, "from 8", &error), ==, PURPLE_CMD_STATUS_OK);
  g_assert_cmpstr (purple_account_get_string (t->account, "from_map", NULL), ==,
                   GROUP "=+16505550110");
  purple_conversation_destroy (chat);
  rcp_harness_run_for (100);

  mark = rcp_harness_writes (t->h)->len;
  chat = join_ok (t, SILENT_2 "; " SILENT, GROUP);
  {
    g_autoptr (GPtrArray) lines = itest_lines_since (t->h, GROUP, mark);
    gboolean announced = FALSE;
    for (guint i = 0; i < lines->len; i++)
      announced |= g_str_has_prefix (g_ptr_array_index (lines, i), "Sending from +1 650-555-0110");
    g_assert_true (announced);
  }
  first = chat_send_ok (t, chat, "again", 0);
  g_assert_cmpstr (itest_json_string (first, "from.phoneNumber"), ==, "+16505550110");

  /* A group in the buddy list (as typed, not canonical): the choice is stored on its node. */
  saved = itest_save_chat (t, UK_PEER ", " SILENT);
  purple_account_set_string (t->account, "default_from", "+16505550106"); /* it may text abroad */
  chat = join_ok (t, UK_PEER ", " SILENT, saved_name);
  g_assert_cmpint (rcp_harness_run_command (chat, "from 5", &error), ==, PURPLE_CMD_STATUS_OK);
  g_assert_cmpstr (purple_blist_node_get_string (PURPLE_BLIST_NODE (saved), "rc-from"), ==,
                   "+16505550106");
  g_assert_cmpstr (purple_account_get_string (t->account, "from_map", NULL), ==,
                   GROUP "=+16505550110");
  /* The choice holds when the default moves away from it. */
  purple_account_set_string (t->account, "default_from", "+16505550100");
  second = chat_send_ok (t, chat, "saved group", 1);
  g_assert_cmpstr (itest_json_string (second, "from.phoneNumber"), ==, "+16505550106");
  assert_recipients (second, SILENT, UK_PEER);
}

static void
test_chat_node_menu (void)
{
  /* A group saved in the buddy list has the same "Send From" menu as a buddy: the pick is stored
   * on its node, and the group, joined later, announces it and texts from it. */
  g_autoptr (ITest) t = itest_signed_on ("many-pages.json", "+16505550100", NULL);
  PurplePluginProtocolInfo *prpl
      = PURPLE_PLUGIN_PROTOCOL_INFO (purple_find_prpl (RCP_HARNESS_PRPL_ID));
  g_autoptr (JsonNode) body = NULL;
  PurpleMenuAction *send_from, *item;
  PurpleConversation *chat;
  PurpleChat *saved;
  GList *menu;

  saved = itest_save_chat (t, SILENT_2 ", " SILENT);
  menu = prpl->blist_node_menu (PURPLE_BLIST_NODE (saved));
  send_from = itest_menu_find (menu, "Send From");
  g_assert_nonnull (send_from);
  g_assert_nonnull (itest_menu_find (send_from->children, "(*) +1 650-555-0100"));
  g_assert_null (itest_menu_find (send_from->children, "650-555-0103")); /* fax only */
  item = itest_menu_find (send_from->children, "+1 650-555-0110");
  g_assert_nonnull (item);
  ((void (*) (PurpleBlistNode *, gpointer))item->callback) (PURPLE_BLIST_NODE (saved), item->data);
  itest_menu_free (menu);
  g_assert_cmpstr (purple_blist_node_get_string (PURPLE_BLIST_NODE (saved), "rc-from"), ==,
                   "+16505550110");
  g_assert_null (purple_account_get_string (t->account, "from_map", NULL));

  chat = join_ok (t, SILENT ", " SILENT_2, GROUP);
  g_assert_nonnull (rcp_harness_find_write (t->h, GROUP, 0, "Sending from +1 650-555-0110"));
  body = chat_send_ok (t, chat, "menu pick", 0);
  g_assert_cmpstr (itest_json_string (body, "from.phoneNumber"), ==, "+16505550110");
  assert_recipients (body, SILENT, SILENT_2);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  itest_add ("/identities/group/send-gate-after-from", test_send_gate_after_from, FALSE);
  itest_add ("/identities/group/international-gate", test_group_international_gate, FALSE);
  itest_add ("/identities/group/remembered-choice-gates-join",
             test_remembered_chat_choice_gates_join, FALSE);
  itest_add ("/identities/group/choice-remembered", test_chat_choice_remembered, FALSE);
  itest_add ("/identities/group/chat-node-menu", test_chat_node_menu, FALSE);
  return g_test_run ();
}
