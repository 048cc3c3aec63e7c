/* test-groups.c: starting group texts (Join Chat with the "recipients" and "from" components),
 * its refusals, and an incoming group text answered to everyone from the thread's number.
 *
 * basic.json: 1 +16505550100 (Direct, SMS+MMS), 2 +16505550101 (main, SMS only).
 * many-pages.json: 1 +16505550100, 5 +16505550106 and 8 +16505550110 have MMS. */
#include "itest.h"

#include <string.h>

#define OWN_MMS "+16505550100"
#define OWN_SMS "+16505550101"

/* serv_join_chat() with the components as a user fills in the dialog (@from may be NULL). */
static void
join (ITest *t, const char *recipients, const char *from)
{
  GHashTable *components = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);

  g_hash_table_insert (components, g_strdup ("recipients"), g_strdup (recipients));
  if (from != NULL)
    g_hash_table_insert (components, g_strdup ("from"), g_strdup (from));
  serv_join_chat (rcp_harness_gc (t->h), components);
  g_hash_table_destroy (components);
  rcp_harness_run_for (200);
}

static gboolean
chat_open (ITest *t, const char *name)
{
  PurpleConversation *chat = rcp_harness_find_chat (t->h, name);

  return chat != NULL && !purple_conv_chat_has_left (PURPLE_CONV_CHAT (chat));
}

/* The one notification is an error whose secondary text has every needle and none of @absent. */
static const char *
only_error (ITest *t, const char *const *needles, const char *absent)
{
  RcpNotifyRecord *n;

  itest_assert_only_notify (t, PURPLE_NOTIFY_MSG_ERROR, needles);
  n = g_ptr_array_index (rcp_harness_notifies (t->h), 0);
  g_test_message ("refusal: %s", n->secondary);
  if (absent != NULL && strstr (n->secondary, absent) != NULL)
    g_error ("the refusal \"%s\" should not say \"%s\"", n->secondary, absent);
  return n->secondary;
}

static int
cmp_strp (gconstpointer a, gconstpointer b)
{
  return g_strcmp0 (*(const char *const *)a, *(const char *const *)b);
}

/* The recipients of a /sms body, sorted, joined with ','. */
static char *
recipients_of (JsonNode *body)
{
  g_autoptr (GPtrArray) to = g_ptr_array_new ();
  JsonArray *arr = json_object_get_array_member (json_node_get_object (body), "to");

  for (guint i = 0; i < json_array_get_length (arr); i++)
    g_ptr_array_add (to, (gpointer)json_object_get_string_member (
                             json_array_get_object_element (arr, i), "phoneNumber"));
  g_ptr_array_sort (to, cmp_strp);
  g_ptr_array_add (to, NULL);
  return g_strjoinv (",", (char **)to->pdata);
}

static void
test_start_parses_and_sends_once (void)
{
  /* Commas, semicolons, newlines and spaces separate; a '+' starts a new number even without a
   * separator; national numbers read as +1; own numbers and duplicates dropped. From "1" is the
   * first send-from number. One text goes out as ONE request to every member. */
  g_autoptr (ITest) t = itest_signed_on ("basic.json", OWN_SMS, NULL);
  const char *name = "+16505550171,+16505550172,+16505550173,+16505550174,+16505550175";
  g_autoptr (JsonNode) body = NULL;
  g_autofree char *to = NULL;
  PurpleConversation *chat;

  join (t,
        "+16505550171, 6505550172;+16505550173\n"
        "+16505550174+16505550175 +16505550100,(650) 555-0101; 650-555-0172 +16505550171",
        "1");
  if (!chat_open (t, name)) {
    GPtrArray *n = rcp_harness_notifies (t->h);
    g_error ("chat %s not open; notifies %u: %s", name, n->len,
             n->len ? ((RcpNotifyRecord *)n->pdata[0])->secondary : "");
  }
  g_assert_cmpuint (rcp_harness_notifies (t->h)->len, ==, 0);
  chat = rcp_harness_find_chat (t->h, name);
  g_assert_cmpuint (g_list_length (purple_conv_chat_get_users (PURPLE_CONV_CHAT (chat))), ==, 5);

  purple_conv_chat_send (PURPLE_CONV_CHAT (chat), "hello all");
  g_assert_true (itest_wait_count (t, "POST", SMS_PATH, 1, RCP_HARNESS_TIMEOUT_MS));
  rcp_harness_run_for (300);
  g_assert_cmpuint (itest_count (t, "POST", SMS_PATH), ==, 1);
  g_assert_cmpuint (itest_count (t, "POST", "/restapi/v1.0/account/~/extension/~/mms"), ==, 0);
  body = itest_json (itest_request (t, "POST", SMS_PATH, 0));
  g_assert_nonnull (body);
  /* The SMS-only default_from does not apply: From "1" is the MMS number. */
  g_assert_cmpstr (itest_json_string (body, "from.phoneNumber"), ==, OWN_MMS);
  g_assert_cmpstr (itest_json_string (body, "text"), ==, "hello all");
  to = recipients_of (body);
  g_assert_cmpstr (to, ==, name);
}

static void
test_refused_from_sms_only (void)
{
  /* From an SMS-only number: nothing sent, no chat, the error names the number, MMS and the From
   * field to change to the MMS number. */
  g_autoptr (ITest) t = itest_signed_on ("basic.json", NULL, NULL);

  join (t, "+16505550171, +16505550172", OWN_SMS);
  only_error (t,
              (const char *const[]){ "+1 650-555-0101", "MMS",
                                     "Change the From field to +1 650-555-0100", NULL },
              NULL);
  g_assert_false (chat_open (t, "+16505550171,+16505550172"));
  g_assert_cmpuint (itest_count (t, "POST", SMS_PATH), ==, 0);
}

static void
test_refused_not_a_number (void)
{
  /* A word among the numbers is named; the refusal is not the "at least two numbers" one (which
   * a parser that skipped it would give, leaving one number). */
  g_autoptr (ITest) t = itest_signed_on ("basic.json", NULL, NULL);

  join (t, "+16505550171, bob", NULL);
  only_error (t, (const char *const[]){ "bob", "not a phone number", NULL }, "at least two");
  g_assert_cmpuint (itest_count (t, "POST", SMS_PATH), ==, 0);
}

static void
test_refused_window_says_so (void)
{
  /* Finch opens a chat window under the typed text before Join Chat and leaves it open (left)
   * when the join is refused: text typed there must not vanish without a word. */
  g_autoptr (ITest) t = itest_signed_on ("basic.json", NULL, NULL);
  PurpleConversation *placeholder
      = purple_conversation_new (PURPLE_CONV_TYPE_CHAT, t->account, "+16505550171, bob");

  purple_conv_chat_left (PURPLE_CONV_CHAT (placeholder));
  join (t, "+16505550171, bob", NULL);
  purple_conv_chat_send (PURPLE_CONV_CHAT (placeholder), "hello?");
  rcp_harness_run_for (200);
  g_assert_cmpuint (rcp_harness_count_writes (t->h, "+16505550171, bob", PURPLE_MESSAGE_ERROR,
                                              "nothing typed here is sent"),
                    ==, 1);
  g_assert_cmpuint (itest_count (t, "POST", SMS_PATH), ==, 0);
}

static void
test_refused_too_many (void)
{
  /* 11 others (an own number and a duplicate among them do not count) is over 10. Exactly 10 with
   * an own number and a duplicate added opens. */
  g_autoptr (ITest) t = itest_signed_on ("basic.json", NULL, NULL);
  g_autoptr (GString) ten = g_string_new (OWN_MMS);
  g_autofree char *eleven = NULL;

  for (guint i = 0; i < 10; i++)
    g_string_append_printf (ten, ", +165055502%02u", i);
  g_string_append (ten, ", +16505550200");
  eleven = g_strconcat (ten->str, ", +16505550210", NULL);

  join (t, eleven, NULL);
  only_error (t, (const char *const[]){ "at most 10", "11", NULL }, NULL);
  g_assert_cmpuint (itest_count (t, "POST", SMS_PATH), ==, 0);

  rcp_harness_clear_records (t->h);
  join (t, ten->str, NULL);
  g_assert_cmpuint (rcp_harness_notifies (t->h)->len, ==, 0);
  g_assert_true (chat_open (t, "+16505550200,+16505550201,+16505550202,+16505550203,+16505550204,"
                               "+16505550205,+16505550206,+16505550207,+16505550208,+16505550209"));
}

static gboolean
chat_has_line (gpointer data)
{
  ITest *t = data;

  return rcp_harness_find_write (t->h, "+16505550177,+16505550178,+16505550179",
                                 PURPLE_MESSAGE_RECV, "hello group")
         != NULL;
}

static void
test_incoming_group_reply_all (void)
{
  /* A group text that came in on +16505550110 (not the default number) opens the chat of all
   * other parties; the reply goes to all of them in one request from +16505550110. */
  g_autoptr (ITest) t = itest_signed_on ("many-pages.json", "+16505550100", NULL);
  const char *const others[] = { "+16505550179", "+16505550178", NULL };
  const char *name = "+16505550177,+16505550178,+16505550179";
  g_autofree char *id = NULL;
  g_autofree char *to = NULL;
  g_autoptr (JsonNode) body = NULL;
  PurpleConversation *chat;
  GList *users;

  id = rc_sim_add_inbound_group (t->sim, "+16505550177", "+16505550110", others, "hello group");
  g_assert_true (rcp_harness_wait_until (chat_has_line, t, RCP_HARNESS_TIMEOUT_MS));
  chat = rcp_harness_find_chat (t->h, name);
  g_assert_nonnull (chat);
  users = purple_conv_chat_get_users (PURPLE_CONV_CHAT (chat));
  g_assert_cmpuint (g_list_length (users), ==, 3);
  for (guint i = 0; i < 3; i++) {
    const char *want = i == 0 ? "+16505550177" : others[i - 1];
    g_assert_nonnull (purple_conv_chat_cb_find (PURPLE_CONV_CHAT (chat), want));
  }
  /* The line is from the sender, not from the thread or our number. */
  g_assert_cmpstr (rcp_harness_find_write (t->h, name, PURPLE_MESSAGE_RECV, "hello group")->who,
                   ==, "+16505550177");

  purple_conv_chat_send (PURPLE_CONV_CHAT (chat), "hi everyone");
  g_assert_true (itest_wait_count (t, "POST", SMS_PATH, 1, RCP_HARNESS_TIMEOUT_MS));
  rcp_harness_run_for (200);
  g_assert_cmpuint (itest_count (t, "POST", SMS_PATH), ==, 1);
  body = itest_json (itest_request (t, "POST", SMS_PATH, 0));
  g_assert_cmpstr (itest_json_string (body, "from.phoneNumber"), ==, "+16505550110");
  g_assert_cmpstr (itest_json_string (body, "text"), ==, "hi everyone");
  to = recipients_of (body);
  g_assert_cmpstr (to, ==, name);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  itest_add ("/groups/start-parses-and-sends-once", test_start_parses_and_sends_once, FALSE);
  itest_add ("/groups/refused-from-sms-only", test_refused_from_sms_only, FALSE);
  itest_add ("/groups/refused-not-a-number", test_refused_not_a_number, FALSE);
  itest_add ("/groups/refused-window-says-so", test_refused_window_says_so, FALSE);
  itest_add ("/groups/refused-too-many", test_refused_too_many, FALSE);
  itest_add ("/groups/incoming-reply-all", test_incoming_group_reply_all, FALSE);
  return g_test_run ();
}
