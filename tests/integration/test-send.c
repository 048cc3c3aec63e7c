/* test-send.c: sending a text: sender, recipient normalisation, HTML to plain text, the
 * contact's reply arriving once. */
#include "itest.h"

#include <string.h>

#define CONTACT "+16505550199"

/* The body of the @nth /sms request (waits for it). */
static JsonNode *
sms_body (ITest *t, guint nth)
{
  RcSimRequest *req;

  g_assert_true (itest_wait_count (t, "POST", SMS_PATH, nth + 1, RCP_HARNESS_TIMEOUT_MS));
  req = itest_request (t, "POST", SMS_PATH, nth);
  g_assert_cmpstr (req->auth_kind, ==, "Bearer");
  g_assert_nonnull (req->body);
  g_test_message ("sms request: %s -> %u", req->body, req->status);
  return itest_json (req);
}

static void
test_send_from_default (void)
{
  g_autoptr (ITest) t = itest_new ("basic.json", NULL);
  g_autoptr (JsonNode) body = NULL;
  PurpleConversation *conv;
  const char *name;

  rcp_harness_sign_on_ok (t->h);
  /* As Pidgin passes what the user typed: markup, and their "&lt;b&gt;" escaped once more. */
  conv = rcp_harness_send_im (t->h, CONTACT,
                              "<b>Hello</b> &amp;lt;b&amp;gt; Tom &amp; Jerry<br>line two");
  name = purple_conversation_get_name (conv);
  body = sms_body (t, 0);
  g_assert_nonnull (body);
  g_assert_cmpstr (itest_json_string (body, "from.phoneNumber"), ==, "+16505550100");
  g_assert_cmpstr (itest_json_string (body, "to.0.phoneNumber"), ==, CONTACT);
  g_assert_cmpstr (itest_json_string (body, "text"), ==, "Hello &lt;b&gt; Tom & Jerry\nline two");
  g_assert_cmpuint (itest_request (t, "POST", SMS_PATH, 0)->status, ==, 200);

  /* The conversation says where texts go out from, and echoes the text once. */
  g_assert_nonnull (
      rcp_harness_find_write (t->h, name, 0, "Sending from +1 650-555-0100 (Direct)"));
  g_assert_cmpuint (rcp_harness_count_writes (t->h, name, PURPLE_MESSAGE_SEND, "Hello"), ==, 1);

  /* The demo contact answers; it shows up once, however many sync rounds run. */
  g_assert_true (
      rcp_harness_wait_for_received (t->h, CONTACT, "You said:", RCP_HARNESS_TIMEOUT_MS));
  rcp_harness_run_for (3500);
  g_assert_cmpuint (rcp_harness_count_received (t->h, CONTACT, "You said:"), ==, 1);
  g_assert_cmpuint (rcp_harness_count_writes (t->h, name, PURPLE_MESSAGE_RECV, "You said:"), ==, 1);
  g_assert_cmpuint (rcp_harness_count_writes (t->h, NULL, PURPLE_MESSAGE_ERROR, NULL), ==, 0);
  /* Old history (two days ago) and Pager messages are not replayed at a first sign-on. */
  g_assert_cmpuint (rcp_harness_count_received (t->h, "+14155550111", NULL), ==, 0);
  g_assert_cmpuint (rcp_harness_count_received (t->h, NULL, "Internal pager"), ==, 0);
  g_assert_cmpuint (itest_count (t, "POST", SMS_PATH), ==, 1);
}

static void
test_send_national_form (void)
{
  g_autoptr (ITest) t = itest_new ("basic.json", NULL);
  g_autoptr (JsonNode) body = NULL;

  rcp_harness_sign_on_ok (t->h);
  rcp_harness_send_im (t->h, "(650) 555-0199", "national");
  body = sms_body (t, 0);
  g_assert_cmpstr (itest_json_string (body, "to.0.phoneNumber"), ==, CONTACT);
  g_assert_cmpstr (itest_json_string (body, "text"), ==, "national");
}

static void
test_send_default_from_setting (void)
{
  g_autoptr (ITest) t = itest_new ("basic.json", NULL);
  g_autoptr (JsonNode) body = NULL;

  purple_account_set_string (t->account, "default_from", "+16505550101");
  rcp_harness_sign_on_ok (t->h);
  rcp_harness_send_im (t->h, CONTACT, "from the main number");
  body = sms_body (t, 0);
  g_assert_cmpstr (itest_json_string (body, "from.phoneNumber"), ==, "+16505550101");
}

static void
test_send_default_from_invalid (void)
{
  g_autoptr (ITest) t = itest_new ("basic.json", NULL);
  g_autoptr (JsonNode) body = NULL;

  /* Not one of this login's numbers: the first texting number is used instead. */
  purple_account_set_string (t->account, "default_from", "+16505550177");
  rcp_harness_sign_on_ok (t->h);
  rcp_harness_send_im (t->h, CONTACT, "fallback");
  body = sms_body (t, 0);
  g_assert_cmpstr (itest_json_string (body, "from.phoneNumber"), ==, "+16505550100");
}

static PurpleConversation *
only_chat (PurpleAccount *account)
{
  PurpleConversation *found = NULL;

  for (GList *l = purple_get_chats (); l != NULL; l = l->next)
    if (purple_conversation_get_account (l->data) == account) {
      g_assert_null (found);
      found = l->data;
    }
  return found;
}

static void
test_send_group (void)
{
  g_autoptr (ITest) t = itest_new ("basic.json", NULL);
  g_autoptr (JsonNode) body = NULL;
  PurpleConversation *chat;
  GPtrArray *notifies;

  rcp_harness_sign_on_ok (t->h);

  /* One other number is not a group: refused, with a dialog, and nothing sent. */
  rcp_harness_join_chat (t->h, "+14155550123");
  rcp_harness_run_for (200);
  notifies = rcp_harness_notifies (t->h);
  g_assert_cmpuint (notifies->len, ==, 1);
  g_assert_cmpint (((RcpNotifyRecord *)g_ptr_array_index (notifies, 0))->type, ==,
                   PURPLE_NOTIFY_MSG_ERROR);
  g_assert_true (only_chat (t->account) == NULL
                 || purple_conv_chat_has_left (PURPLE_CONV_CHAT (only_chat (t->account))));

  /* Two numbers, as typed into Finch's one "Channel" box. */
  rcp_harness_join_chat (t->h, "+14155550123, (415) 555-0124");
  rcp_harness_run_for (200);
  chat = only_chat (t->account);
  g_assert_nonnull (chat);
  g_assert_false (purple_conv_chat_has_left (PURPLE_CONV_CHAT (chat)));
  purple_conv_chat_send (PURPLE_CONV_CHAT (chat), "hi both");
  body = sms_body (t, 0);
  g_assert_cmpstr (itest_json_string (body, "from.phoneNumber"), ==, "+16505550100");
  g_assert_cmpstr (itest_json_string (body, "text"), ==, "hi both");
  {
    const char *a = itest_json_string (body, "to.0.phoneNumber");
    const char *b = itest_json_string (body, "to.1.phoneNumber");
    g_assert_null (itest_json_string (body, "to.2.phoneNumber"));
    g_assert_true ((g_strcmp0 (a, "+14155550123") == 0 && g_strcmp0 (b, "+14155550124") == 0)
                   || (g_strcmp0 (a, "+14155550124") == 0 && g_strcmp0 (b, "+14155550123") == 0));
  }
  /* The chat echoes its own line once (libpurple does not for chats). */
  g_assert_true (rcp_harness_wait_for_write (t->h, purple_conversation_get_name (chat),
                                             PURPLE_MESSAGE_SEND, "hi both", 5000));
  rcp_harness_run_for (300);
  g_assert_cmpuint (rcp_harness_count_writes (t->h, purple_conversation_get_name (chat),
                                              PURPLE_MESSAGE_SEND, "hi both"),
                    ==, 1);
  g_assert_cmpuint (rcp_harness_count_writes (t->h, NULL, PURPLE_MESSAGE_ERROR, NULL), ==, 0);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  itest_add ("/send/from-default", test_send_from_default, TRUE);
  itest_add ("/send/national-form", test_send_national_form, TRUE);
  itest_add ("/send/default-from-setting", test_send_default_from_setting, TRUE);
  itest_add ("/send/default-from-invalid", test_send_default_from_invalid, TRUE);
  itest_add ("/send/group", test_send_group, TRUE);
  return g_test_run ();
}
