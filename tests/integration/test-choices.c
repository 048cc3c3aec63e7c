/* test-choices.c: which number a text goes out from (the whole order), the capability gates
 * before any request, the refresh action dropping numbers that are gone, the buddy menu.
 *
 * many-pages.json's texting numbers, in list order:
 *   1 +16505550100 SMS MMS        2 +16505550101 main, SMS     3 +16505550102 SMS
 *   4 +18885550100 toll-free SMS  5 +16505550106 SMS MMS intl  6 +442079460100 UK SMS
 *   7 +16505550107 SMS            8 +16505550110 SMS MMS       9 +18885550101 toll-free SMS
 *  10 +16505550113 SMS MMS */
#include "itest.h"

#include <string.h>

#define SILENT   "+16505550177" /* no auto reply in any scenario */
#define SILENT_2 "+16505550178"
#define UK_PEER  "+442071838750"

/* ---- gates ---- */

static void
test_international_gate (void)
{
  g_autoptr (ITest) t = itest_signed_on ("many-pages.json", "+16505550102", NULL);
  static const char *const uk_refusal[]
      = { "Could not send", "+1 650-555-0102", "international", "/from 5 would send it", NULL };
  PurpleConversation *uk, *home;
  g_autofree char *error = NULL;
  g_autofree char *from = NULL;

  uk = rcp_harness_send_im (t->h, UK_PEER, "hello London");
  rcp_harness_run_for (300);
  itest_assert_error_line (t, uk, uk_refusal);
  /* Refused before anything left: no request at all. */
  g_assert_cmpuint (itest_count (t, "POST", SMS_PATH), ==, 0);

  /* From the number that may text abroad, it goes out. */
  g_assert_cmpint (rcp_harness_run_command (uk, "from 5", &error), ==, PURPLE_CMD_STATUS_OK);
  rcp_harness_send_im (t->h, UK_PEER, "hello again");
  from = itest_sent_from (t, 0);
  g_assert_cmpstr (from, ==, "+16505550106");

  /* A UK number texting a UK number is domestic. */
  g_clear_pointer (&from, g_free);
  home = rcp_harness_im (t->h, "+442079460999");
  g_assert_cmpint (rcp_harness_run_command (home, "from 6", &error), ==, PURPLE_CMD_STATUS_OK);
  rcp_harness_send_im (t->h, "+442079460999", "hello neighbour");
  from = itest_sent_from (t, 1);
  g_assert_cmpstr (from, ==, "+442079460100");
}

static void
test_international_gate_none (void)
{
  /* basic.json: no number may text abroad. */
  g_autoptr (ITest) t = itest_new ("basic.json", NULL);
  static const char *const refusal[] = { "international", "None of your numbers can", NULL };
  PurpleConversation *conv;

  rcp_harness_sign_on_ok (t->h);
  conv = rcp_harness_send_im (t->h, UK_PEER, "hello London");
  rcp_harness_run_for (300);
  itest_assert_error_line (t, conv, refusal);
  g_assert_cmpuint (itest_count (t, "POST", SMS_PATH), ==, 0);
}

static void
test_group_starts_from_mms_number (void)
{
  /* A toll-free default cannot carry a group text: Join Chat's From field (chat_info_defaults)
   * holds the first number that can, and the group starts from it without a refusal. */
  g_autoptr (ITest) t = itest_signed_on ("many-pages.json", "+18885550100", NULL);
  PurpleConversation *chat;
  g_autoptr (GHashTable) defaults = NULL;
  PurplePluginProtocolInfo *info
      = PURPLE_PLUGIN_PROTOCOL_INFO (purple_connection_get_prpl (rcp_harness_gc (t->h)));

  defaults = info->chat_info_defaults (rcp_harness_gc (t->h), "+16505550177, +16505550178");
  g_assert_cmpstr (g_hash_table_lookup (defaults, "from"), ==, "+16505550100");
  g_assert_cmpstr (g_hash_table_lookup (defaults, "recipients"), ==,
                   "+16505550177,+16505550178");
  rcp_harness_join_chat (t->h, "+16505550177, +16505550178");
  rcp_harness_run_for (300);
  g_assert_cmpuint (itest_count_notifies (t, PURPLE_NOTIFY_MSG_ERROR, ""), ==, 0);
  chat = rcp_harness_find_chat (t->h, "+16505550177,+16505550178");
  g_assert_nonnull (chat);
  g_assert_cmpuint (rcp_harness_count_writes (t->h, "+16505550177,+16505550178", 0,
                                              "Sending from +1 650-555-0100"),
                    ==, 1);
  g_assert_cmpuint (itest_count (t, "POST", SMS_PATH), ==, 0);
}

/* ---- the order ---- */

static void
test_order_default_then_last_incoming (void)
{
  g_autoptr (ITest) t = itest_signed_on ("many-pages.json", "+16505550102", NULL);
  g_autofree char *first = NULL;
  g_autofree char *reply = NULL;
  g_autofree char *id = NULL;
  PurpleConversation *conv;

  /* Opening the conversation says which number is in use. */
  conv = rcp_harness_im (t->h, SILENT);
  g_assert_nonnull (rcp_harness_find_write (t->h, purple_conversation_get_name (conv), 0,
                                            "Sending from +1 650-555-0102 (Direct)"));
  rcp_harness_send_im (t->h, SILENT, "one");
  first = itest_sent_from (t, 0);
  g_assert_cmpstr (first, ==, "+16505550102");

  /* A text from the contact that reached number 7: the reply goes out from it. */
  id = rc_sim_add_inbound (t->sim, SILENT, "+16505550107", "it's me");
  g_assert_true (rcp_harness_wait_for_received (t->h, SILENT, "it's me", RCP_HARNESS_TIMEOUT_MS));
  rcp_harness_send_im (t->h, SILENT, "two");
  reply = itest_sent_from (t, 1);
  g_assert_cmpstr (reply, ==, "+16505550107");
}

static void
test_order_remembered_and_conversation (void)
{
  /* Remembered (from_map) beats the last incoming number; this conversation's choice beats
   * both. */
  g_autoptr (ITest) t = itest_signed_on ("many-pages.json", "+16505550102", SILENT "=+16505550110");
  g_autofree char *remembered = NULL;
  g_autofree char *chosen = NULL;
  g_autofree char *id = NULL;
  g_autofree char *error = NULL;
  PurpleConversation *conv;

  id = rc_sim_add_inbound (t->sim, SILENT, "+16505550107", "hi");
  g_assert_true (rcp_harness_wait_for_received (t->h, SILENT, "hi", RCP_HARNESS_TIMEOUT_MS));
  conv = rcp_harness_send_im (t->h, SILENT, "remembered");
  remembered = itest_sent_from (t, 0);
  g_assert_cmpstr (remembered, ==, "+16505550110");

  g_assert_cmpint (rcp_harness_run_command (conv, "from 1", &error), ==, PURPLE_CMD_STATUS_OK);
  rcp_harness_send_im (t->h, SILENT, "chosen");
  chosen = itest_sent_from (t, 1);
  g_assert_cmpstr (chosen, ==, "+16505550100");
}

static void
test_order_stale_choice_falls_through (void)
{
  /* A remembered number that is no longer the user's is dropped at sign-on with a notice naming
   * it; texts go out from the default. */
  g_autoptr (ITest) t
      = itest_signed_on ("many-pages.json", "+16505550102", SILENT_2 "=+16505559999");
  g_autofree char *from = NULL;

  g_assert_cmpuint (itest_count_notifies (t, -1, "+1 650-555-9999"), ==, 1);
  g_assert_cmpstr (purple_account_get_string (t->account, "from_map", NULL), ==, "");
  rcp_harness_send_im (t->h, SILENT_2, "one");
  from = itest_sent_from (t, 0);
  g_assert_cmpstr (from, ==, "+16505550102");
}

/* ---- refresh ---- */

typedef struct {
  ITest *t;
  const char *needle;
} WarningWait;

static gboolean
warning_shown (gpointer data)
{
  WarningWait *w = data;
  return itest_count_notifies (w->t, PURPLE_NOTIFY_MSG_WARNING, w->needle) > 0;
}

static gboolean
wait_warning (ITest *t, const char *needle)
{
  WarningWait w = { t, needle };
  return rcp_harness_wait_until (warning_shown, &w, RCP_HARNESS_TIMEOUT_MS);
}

static void
test_refresh_drops_gone_number (void)
{
  g_autoptr (ITest) t = itest_signed_on ("many-pages.json", "+16505550102",
                                         SILENT "=+16505550102;" SILENT_2 "=+16505550110");
  PurpleBuddy *buddy = purple_buddy_new (t->account, "+16505550199", NULL);
  g_autofree char *numbers = itest_numbers_without ("many-pages.json", "+16505550102");
  g_autoptr (GError) error = NULL;
  RcSimRequest *first_page;

  g_autofree char *from1 = NULL;
  g_autofree char *from2 = NULL;
  g_autofree char *cmd_error = NULL;
  PurpleConversation *conv = rcp_harness_im (t->h, SILENT);

  g_assert_cmpint (rcp_harness_run_command (conv, "from 3", &cmd_error), ==, PURPLE_CMD_STATUS_OK);
  purple_blist_add_buddy (buddy, NULL, NULL, NULL);
  purple_blist_node_set_string (PURPLE_BLIST_NODE (buddy), "rc-from", "+16505550102");
  g_assert_true (rc_sim_set_numbers (t->sim, numbers, &error));
  g_assert_no_error (error);
  rcp_harness_clear_records (t->h);
  rc_sim_clear_requests (t->sim);

  g_assert_true (rcp_harness_run_action (t->h, "Refresh Send-From Numbers"));
  g_assert_true (itest_wait_count (t, "GET", NUMBERS_PATH, 5, RCP_HARNESS_TIMEOUT_MS));
  /* The refresh is handled when the warning about the gone number is up (no fixed wait: under
   * valgrind the plugin is many times slower). */
  g_assert_true (wait_warning (t, "+1 650-555-0102"));
  first_page = itest_request (t, "GET", NUMBERS_PATH, 0);
  g_assert_nonnull (strstr (first_page->query, "perPage=1000"));

  g_assert_cmpuint (itest_count_notifies (t, PURPLE_NOTIFY_MSG_WARNING, "+1 650-555-0102"), ==, 1);
  /* Dropped from every remembered choice; the other remembered choice stays. */
  g_assert_null (purple_account_get_string (t->account, "default_from", NULL));
  g_assert_cmpstr (purple_account_get_string (t->account, "from_map", NULL), ==,
                   SILENT_2 "=+16505550110");
  g_assert_null (purple_blist_node_get_string (PURPLE_BLIST_NODE (buddy), "rc-from"));

  /* The conversation that had chosen it falls through to the first number, saying so once. */
  rcp_harness_send_im (t->h, SILENT, "one");
  rcp_harness_send_im (t->h, SILENT, "two");
  from1 = itest_sent_from (t, 0);
  from2 = itest_sent_from (t, 1);
  g_assert_cmpstr (from1, ==, "+16505550100");
  g_assert_cmpstr (from2, ==, "+16505550100");
  g_assert_cmpuint (rcp_harness_count_writes (t->h, purple_conversation_get_name (conv), 0,
                                              "+1 650-555-0102 is no longer one of your "
                                              "send-from numbers; using +1 650-555-0100"),
                    ==, 1);
}

typedef struct {
  ITest *t;
  guint base;
  gboolean injected;
} FailSecondPage;

/* Makes the second page of the refresh fail: injected once the first page was asked for. */
static gboolean
fail_second_page_tick (gpointer data)
{
  FailSecondPage *f = data;

  if (!f->injected && itest_count (f->t, "GET", NUMBERS_PATH) > f->base) {
    rc_sim_inject_fault (f->t->sim, NUMBERS_PATH, RC_SIM_FAULT_500, 1, 0);
    f->injected = TRUE;
  }
  return FALSE;
}

static void
test_refresh_failed_page_changes_nothing (void)
{
  g_autoptr (ITest) t = itest_signed_on ("many-pages.json", "+16505550102", SILENT "=+16505550102");
  g_autofree char *numbers = itest_numbers_without ("many-pages.json", "+16505550102");
  g_autoptr (GError) error = NULL;
  FailSecondPage f = { t, 0, FALSE };

  /* The sign-on's background registration checks (one per texting number, below NUMBERS_PATH)
   * are over, so that the injected fault can only meet the refresh's second page. */
  g_assert_true (itest_wait_count (t, "GET", NUMBERS_PATH "/", 10, RCP_HARNESS_TIMEOUT_MS));
  rcp_harness_run_for (200);
  g_assert_true (rc_sim_set_numbers (t->sim, numbers, &error));
  f.base = itest_count (t, "GET", NUMBERS_PATH);
  rcp_harness_clear_records (t->h);
  rcp_harness_set_tick (fail_second_page_tick, &f);
  g_assert_true (rcp_harness_run_action (t->h, "Refresh Send-From Numbers"));
  g_assert_true (itest_wait_count (t, "GET", NUMBERS_PATH, f.base + 2, RCP_HARNESS_TIMEOUT_MS));
  rcp_harness_run_for (1000);
  rcp_harness_set_tick (NULL, NULL);
  g_assert_true (f.injected);

  /* One error saying so, and nothing else (no "number gone" warning). */
  g_assert_cmpuint (itest_count_notifies (t, PURPLE_NOTIFY_MSG_ERROR, "Could not refresh"), ==, 1);
  g_assert_cmpuint (rcp_harness_notifies (t->h)->len, ==, 1);
  /* Nothing wiped: the choices stay, and the number still sends. */
  g_assert_cmpstr (purple_account_get_string (t->account, "default_from", NULL), ==,
                   "+16505550102");
  g_assert_cmpstr (purple_account_get_string (t->account, "from_map", NULL), ==,
                   SILENT "=+16505550102");
}

/* ---- the buddy menu ---- */

static void
test_buddy_menu_send_from (void)
{
  g_autoptr (ITest) t = itest_signed_on ("many-pages.json", NULL, NULL);
  PurpleBuddy *buddy = purple_buddy_new (t->account, SILENT, NULL);
  PurplePluginProtocolInfo *prpl
      = PURPLE_PLUGIN_PROTOCOL_INFO (purple_find_prpl (RCP_HARNESS_PRPL_ID));
  PurpleMenuAction *send_from, *third;
  GList *menu;
  g_autofree char *from = NULL;

  purple_blist_add_buddy (buddy, NULL, NULL, NULL);
  menu = prpl->blist_node_menu (PURPLE_BLIST_NODE (buddy));
  send_from = itest_menu_find (menu, "Send From");
  g_assert_nonnull (send_from);
  g_assert_nonnull (itest_menu_find (send_from->children, "+1 650-555-0100 (Direct)"));
  g_assert_null (itest_menu_find (send_from->children, "650-555-0103")); /* fax only */
  third = itest_menu_find (send_from->children, "+1 650-555-0102");
  g_assert_nonnull (third);
  ((void (*) (PurpleBlistNode *, gpointer))third->callback) (PURPLE_BLIST_NODE (buddy),
                                                             third->data);
  itest_menu_free (menu);

  g_assert_cmpstr (purple_blist_node_get_string (PURPLE_BLIST_NODE (buddy), "rc-from"), ==,
                   "+16505550102");
  rcp_harness_send_im (t->h, SILENT, "via the menu");
  from = itest_sent_from (t, 0);
  g_assert_cmpstr (from, ==, "+16505550102");
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  itest_add ("/choices/gate/international", test_international_gate, FALSE);
  itest_add ("/choices/gate/international-none", test_international_gate_none, FALSE);
  itest_add ("/choices/gate/group-names-alternative", test_group_starts_from_mms_number, FALSE);
  itest_add ("/choices/order/default-then-last-incoming", test_order_default_then_last_incoming,
             FALSE);
  itest_add ("/choices/order/remembered-and-conversation", test_order_remembered_and_conversation,
             FALSE);
  itest_add ("/choices/order/stale-falls-through", test_order_stale_choice_falls_through, FALSE);
  itest_add ("/choices/refresh/drops-gone-number", test_refresh_drops_gone_number, FALSE);
  itest_add ("/choices/refresh/failed-page-changes-nothing",
             test_refresh_failed_page_changes_nothing, FALSE);
  itest_add ("/choices/buddy-menu", test_buddy_menu_send_from, FALSE);
  return g_test_run ();
}
