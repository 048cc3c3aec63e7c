/* test-identities-im.c: "Send-from identities done right" for one-to-one texts, the parts
 * test-senders.c, test-choices.c and test-identities.c leave out: every page of the number list
 * asked with perPage=1000; a refresh that fails half-way keeps the list and the choices as they
 * were; a successful one updates /from; the order between a buddy's remembered number, the last
 * incoming number and this conversation's choice; a buddy's remembered number that is gone at
 * sign-on; the opening line of an account with no texting number; the conversation menu.
 *
 * many-pages.json's texting numbers, in list order (see test-choices.c): 1 +16505550100,
 * 2 +16505550101 main, 3 +16505550102, 7 +16505550107, 8 +16505550110. */
#include "itest.h"

#include <string.h>

#define SILENT   "+16505550177" /* no auto reply in any scenario */
#define SILENT_2 "+16505550178"
#define BUDDY    "+16505550179"

/* The numbers /from lists in @conv, as "+1 650-555-0100"-style text of each numbered line. */
static char *
from_listing (ITest *t, PurpleConversation *conv)
{
  guint mark = rcp_harness_writes (t->h)->len;
  g_autofree char *error = NULL;
  g_autoptr (GPtrArray) lines = NULL;
  GString *out = g_string_new (NULL);

  g_assert_cmpint (rcp_harness_run_command (conv, "from", &error), ==, PURPLE_CMD_STATUS_OK);
  lines = itest_lines_since (t->h, purple_conversation_get_name (conv), mark);
  for (guint i = 0; i < lines->len; i++)
    g_string_append_printf (out, "%s\n", (char *)g_ptr_array_index (lines, i));
  return g_string_free (out, FALSE);
}

typedef struct {
  ITest *t;
  PurpleConversation *conv;
  const char *needle;
} ListingWait;

static gboolean
number_gone (gpointer data)
{
  ListingWait *w = data;
  g_autofree char *listing = from_listing (w->t, w->conv);
  return strstr (listing, w->needle) == NULL;
}

/* The number list fetches from request @from on: the first asks perPage=1000, the others follow
 * navigation.nextPage (the simulator caps perPage at 3, so its links say page=2, 3, ...).
 * Returns how many pages were asked. */
static guint
assert_pages (ITest *t, guint from)
{
  guint n = 0;

  for (RcSimRequest *req; (req = itest_request (t, "GET", NUMBERS_PATH, from + n)) != NULL; n++) {
    const char *query = req->query != NULL ? req->query : "";
    g_autoptr (GHashTable) params = g_uri_parse_params (query, -1, "&", G_URI_PARAMS_NONE, NULL);
    const char *page = params != NULL ? g_hash_table_lookup (params, "page") : NULL;
    const char *per_page = params != NULL ? g_hash_table_lookup (params, "perPage") : NULL;

    g_test_message ("number list: %s?%s", req->path, query);
    if (n == 0 ? g_strcmp0 (per_page, "1000") != 0
               : page == NULL || g_ascii_strtoull (page, NULL, 10) != n + 1)
      g_error ("page %u of the number list asked as ?%s", n + 1, query);
  }
  return n;
}

static void
test_refresh_updates_list (void)
{
  /* Sign-on and the refresh ask for perPage=1000 and follow navigation.nextPage over every page
   * (6, then 5: the simulator caps perPage at 3). After the refresh, /from no longer offers
   * the number that is gone, and the one after it moves up. */
  g_autoptr (ITest) t = itest_signed_on ("many-pages.json", NULL, NULL);
  g_autofree char *numbers = itest_numbers_without ("many-pages.json", "+16505550102");
  g_autofree char *before = NULL, *after = NULL;
  g_autoptr (GError) error = NULL;
  PurpleConversation *conv;
  guint mark;

  g_assert_cmpuint (assert_pages (t, 0), ==, 6);
  conv = rcp_harness_im (t->h, SILENT);
  before = from_listing (t, conv);
  g_assert_nonnull (strstr (before, "3. +1 650-555-0102"));

  g_assert_true (rc_sim_set_numbers (t->sim, numbers, &error));
  g_assert_no_error (error);
  mark = itest_count (t, "GET", NUMBERS_PATH);
  g_assert_true (rcp_harness_run_action (t->h, "Refresh Send-From Numbers"));
  g_assert_true (itest_wait_count (t, "GET", NUMBERS_PATH, mark + 5, RCP_HARNESS_TIMEOUT_MS));
  /* Handled when /from no longer lists the number (a condition, not a fixed wait: under
   * valgrind the plugin is many times slower). */
  g_assert_true (rcp_harness_wait_until (number_gone, &(ListingWait){ t, conv, "650-555-0102" },
                                         RCP_HARNESS_TIMEOUT_MS));
  g_assert_cmpuint (assert_pages (t, mark), ==, 5);
  after = from_listing (t, conv);
  g_test_message ("after the refresh:\n%s", after);
  g_assert_null (strstr (after, "650-555-0102"));
  g_assert_nonnull (strstr (after, "3. +1 888-555-0100"));
  /* No choice used it: nothing to warn about. */
  g_assert_cmpuint (itest_count_notifies (t, PURPLE_NOTIFY_MSG_WARNING, "650-555-0102"), ==, 0);
}

static void
test_refresh_failed_page_keeps_list (void)
{
  /* The server dropped +16505550102 (the default, a buddy's and this conversation's choice), but
   * the refresh's second page fails: one error with the server's reason, and nothing changes:
   * /from still offers the number, every choice stays, and the next text goes out from it. */
  g_autoptr (ITest) t = itest_signed_on ("many-pages.json", "+16505550102", NULL);
  g_autofree char *numbers = itest_numbers_without ("many-pages.json", "+16505550102");
  g_autofree char *listing = NULL;
  g_autofree char *cmd_error = NULL;
  g_autofree char *from = NULL, *buddy_from = NULL;
  g_autoptr (GError) error = NULL;
  PurpleBuddy *buddy = purple_buddy_new (t->account, BUDDY, NULL);
  PurpleConversation *conv;
  guint base;

  purple_blist_add_buddy (buddy, NULL, NULL, NULL);
  purple_blist_node_set_string (PURPLE_BLIST_NODE (buddy), "rc-from", "+16505550102");
  conv = rcp_harness_im (t->h, SILENT);
  g_assert_cmpint (rcp_harness_run_command (conv, "from 3", &cmd_error), ==, PURPLE_CMD_STATUS_OK);
  /* The sign-on's background registration checks (below NUMBERS_PATH) are over: the fault can
   * only meet the refresh. */
  g_assert_true (itest_wait_count (t, "GET", NUMBERS_PATH "/", 10, RCP_HARNESS_TIMEOUT_MS));
  rcp_harness_run_for (200);
  g_assert_true (rc_sim_set_numbers (t->sim, numbers, &error));
  g_assert_no_error (error);
  rcp_harness_clear_records (t->h);

  base = itest_count (t, "GET", NUMBERS_PATH);
  g_assert_true (rcp_harness_run_action (t->h, "Refresh Send-From Numbers"));
  /* The first page was asked for; its answer is not read yet (each wait checks before every
   * main loop iteration): the second page meets the fault. */
  g_assert_true (itest_wait_count (t, "GET", NUMBERS_PATH, base + 1, RCP_HARNESS_TIMEOUT_MS));
  rc_sim_inject_fault (t->sim, NUMBERS_PATH, RC_SIM_FAULT_500, 1, 0);
  g_assert_true (itest_wait_count (t, "GET", NUMBERS_PATH, base + 2, RCP_HARNESS_TIMEOUT_MS));
  rcp_harness_run_for (1000);
  g_assert_cmpuint (itest_request (t, "GET", NUMBERS_PATH, base)->status, ==, 200);
  g_assert_cmpuint (itest_request (t, "GET", NUMBERS_PATH, base + 1)->status, ==, 500);
  g_assert_cmpuint (itest_count (t, "GET", NUMBERS_PATH), ==, base + 2);

  g_assert_cmpuint (rcp_harness_notifies (t->h)->len, ==, 1);
  g_assert_cmpuint (itest_count_notifies (t, PURPLE_NOTIFY_MSG_ERROR, "CMN-201"), ==, 1);

  listing = from_listing (t, conv);
  g_test_message ("after the failed refresh:\n%s", listing);
  g_assert_nonnull (strstr (listing, "* 3. +1 650-555-0102"));
  g_assert_cmpstr (purple_account_get_string (t->account, "default_from", NULL), ==,
                   "+16505550102");
  g_assert_cmpstr (purple_blist_node_get_string (PURPLE_BLIST_NODE (buddy), "rc-from"), ==,
                   "+16505550102");
  rcp_harness_send_im (t->h, SILENT, "still here");
  from = itest_sent_from (t, 0);
  g_assert_cmpstr (from, ==, "+16505550102");
  rcp_harness_send_im (t->h, BUDDY, "still here too");
  buddy_from = itest_sent_from (t, 1);
  g_assert_cmpstr (buddy_from, ==, "+16505550102");
  g_assert_cmpuint (rcp_harness_count_writes (t->h, NULL, 0, "no longer one of your"), ==, 0);
}

static void
test_order_buddy_node (void)
{
  /* A buddy's remembered number (its node) beats the number its last text reached; this
   * conversation's choice beats the node's. */
  g_autoptr (ITest) t = itest_signed_on ("many-pages.json", "+16505550102", NULL);
  PurpleBuddy *buddy = purple_buddy_new (t->account, BUDDY, NULL);
  g_autofree char *remembered = NULL, *chosen = NULL, *id = NULL;
  g_autofree char *error = NULL;
  PurpleConversation *conv;

  purple_blist_add_buddy (buddy, NULL, NULL, NULL);
  purple_blist_node_set_string (PURPLE_BLIST_NODE (buddy), "rc-from", "+16505550110");
  id = rc_sim_add_inbound (t->sim, BUDDY, "+16505550107", "hi");
  g_assert_true (rcp_harness_wait_for_received (t->h, BUDDY, "hi", RCP_HARNESS_TIMEOUT_MS));
  conv = rcp_harness_send_im (t->h, BUDDY, "remembered");
  remembered = itest_sent_from (t, 0);
  g_assert_cmpstr (remembered, ==, "+16505550110");

  g_assert_cmpint (rcp_harness_run_command (conv, "from 1", &error), ==, PURPLE_CMD_STATUS_OK);
  /* The node changes behind the conversation's back (another client, an old blist.xml). */
  purple_blist_node_set_string (PURPLE_BLIST_NODE (buddy), "rc-from", "+16505550107");
  rcp_harness_send_im (t->h, BUDDY, "chosen");
  chosen = itest_sent_from (t, 1);
  g_assert_cmpstr (chosen, ==, "+16505550100");
}

static void
test_stale_buddy_node_at_sign_on (void)
{
  /* A buddy remembers a number this login no longer has: sign-on drops it with one warning
   * naming it, and texts to the buddy fall through to the default. */
  g_autoptr (ITest) t = itest_new ("many-pages.json", NULL);
  PurpleBuddy *buddy = purple_buddy_new (t->account, BUDDY, NULL);
  g_autofree char *from = NULL;

  purple_blist_add_buddy (buddy, NULL, NULL, NULL);
  purple_blist_node_set_string (PURPLE_BLIST_NODE (buddy), "rc-from", "+16505559999");
  purple_account_set_string (t->account, "default_from", "+16505550102");
  rcp_harness_sign_on_ok (t->h);
  g_assert_cmpuint (itest_count_notifies (t, PURPLE_NOTIFY_MSG_WARNING, "+1 650-555-9999"), ==, 1);
  g_assert_null (purple_blist_node_get_string (PURPLE_BLIST_NODE (buddy), "rc-from"));
  rcp_harness_send_im (t->h, BUDDY, "one");
  from = itest_sent_from (t, 0);
  g_assert_cmpstr (from, ==, "+16505550102");
}

static void
test_announce_no_texting (void)
{
  /* Opening a conversation on an account without a texting number says so, once, instead of
   * "Sending from". */
  g_autoptr (ITest) t = itest_new ("no-texting.json", NULL);
  g_autoptr (GPtrArray) lines = NULL;
  PurpleConversation *conv;
  guint n = 0;

  rcp_harness_sign_on_ok (t->h);
  conv = rcp_harness_im (t->h, SILENT_2);
  rcp_harness_run_for (200);
  lines = itest_lines_since (t->h, purple_conversation_get_name (conv), 0);
  for (guint i = 0; i < lines->len; i++) {
    const char *line = g_ptr_array_index (lines, i);
    g_test_message ("line: %s", line);
    g_assert_null (strstr (line, "Sending from"));
    if (g_strcmp0 (line, "This account has no number that can send texts.") == 0)
      n++;
  }
  g_assert_cmpuint (n, ==, 1);
  g_assert_cmpuint (rcp_harness_count_writes (t->h, purple_conversation_get_name (conv),
                                              PURPLE_MESSAGE_SYSTEM, "no number that can send"),
                    ==, 1);
  g_assert_cmpuint (itest_count (t, "POST", SMS_PATH), ==, 0);
}

static void
test_conversation_menu (void)
{
  /* The conversation's menu offers the same choice as /from: a "Send From" submenu with the
   * number in use marked; picking one confirms it in the conversation, remembers it for the
   * contact and the next text goes out from it; "Use account default" goes back. */
  g_autoptr (ITest) t = itest_signed_on ("many-pages.json", "+16505550102", NULL);
  PurpleConversation *conv = rcp_harness_im (t->h, SILENT);
  const char *name = purple_conversation_get_name (conv);
  PurpleMenuAction *send_from, *item;
  GList *menu = NULL;
  g_autofree char *from = NULL, *back = NULL;

  purple_signal_emit (purple_conversations_get_handle (), "conversation-extended-menu", conv,
                      &menu);
  send_from = itest_menu_find (menu, "Send From");
  g_assert_nonnull (send_from);
  g_assert_nonnull (itest_menu_find (send_from->children, "(*) +1 650-555-0102"));
  g_assert_nonnull (itest_menu_find (send_from->children, "( ) +1 650-555-0100"));
  g_assert_nonnull (itest_menu_find (send_from->children, "Use account default"));
  item = itest_menu_find (send_from->children, "+1 650-555-0110");
  g_assert_nonnull (item);
  ((void (*) (PurpleConversation *, gpointer))item->callback) (conv, item->data);
  itest_menu_free (menu);

  g_assert_nonnull (rcp_harness_find_write (
      t->h, name, 0, "Texts in this conversation now go out from +1 650-555-0110"));
  g_assert_cmpstr (purple_account_get_string (t->account, "from_map", NULL), ==,
                   SILENT "=+16505550110");
  rcp_harness_send_im (t->h, SILENT, "via the menu");
  from = itest_sent_from (t, 0);
  g_assert_cmpstr (from, ==, "+16505550110");

  menu = NULL;
  purple_signal_emit (purple_conversations_get_handle (), "conversation-extended-menu", conv,
                      &menu);
  send_from = itest_menu_find (menu, "Send From");
  g_assert_nonnull (send_from);
  g_assert_nonnull (itest_menu_find (send_from->children, "(*) +1 650-555-0110"));
  item = itest_menu_find (send_from->children, "Use account default");
  ((void (*) (PurpleConversation *, gpointer))item->callback) (conv, item->data);
  itest_menu_free (menu);
  g_assert_nonnull (rcp_harness_find_write (
      t->h, name, 0, "no longer has its own send-from number; by the rules (/from lists them), texts now go out from +1 650-555-0102"));
  g_assert_cmpstr (purple_account_get_string (t->account, "from_map", NULL), ==, "");
  rcp_harness_send_im (t->h, SILENT, "default again");
  back = itest_sent_from (t, 1);
  g_assert_cmpstr (back, ==, "+16505550102");
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  itest_add ("/identities/refresh/updates-list", test_refresh_updates_list, FALSE);
  itest_add ("/identities/refresh/failed-page-keeps-list", test_refresh_failed_page_keeps_list,
             FALSE);
  itest_add ("/identities/order/buddy-node", test_order_buddy_node, FALSE);
  itest_add ("/identities/order/stale-buddy-node-at-sign-on", test_stale_buddy_node_at_sign_on,
             FALSE);
  itest_add ("/identities/announce/no-texting", test_announce_no_texting, FALSE);
  itest_add ("/identities/conversation-menu", test_conversation_menu, FALSE);
  return g_test_run ();
}
