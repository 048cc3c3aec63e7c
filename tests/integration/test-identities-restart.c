/* test-identities-restart.c: a group's send-from choice survives a restart, like a contact's
 * (test-restart.c): in from_map for a group that is not in the buddy list, on the chat node
 * (blist.xml) for one that is.
 *
 * The first run happens in this process; rcp_harness_core_quit() saves accounts.xml and
 * blist.xml; the second run is this program again ("--second-run DIR") over the same user dir,
 * against the same simulator, which keeps running here.
 *
 * many-pages.json's texting numbers, in list order (see test-choices.c): 1 +16505550100 SMS MMS,
 * 5 +16505550106 SMS MMS international, 8 +16505550110 SMS MMS. */
#include "itest.h"

#include <stdio.h>
#include <string.h>

#define USERNAME "groups@example.com"
#define SILENT   "+16505550177" /* no auto reply in any scenario */
#define SILENT_2 "+16505550178"
#define UK_PEER  "+442071838750"
#define GROUP    SILENT "," SILENT_2 /* not in the buddy list: from_map */
#define SAVED    SILENT "," UK_PEER  /* in the buddy list: its chat node */

/* ---- the second run (child process) ---- */

static int
second_fail (const char *what)
{
  printf ("FAIL %s\n", what);
  fflush (stdout);
  return 1;
}

/* Joins @typed and sends @text in the chat @name it opens. */
static gboolean
second_send (RcpHarness *h, const char *typed, const char *name, const char *text)
{
  PurpleConversation *chat;

  rcp_harness_join_chat (h, typed);
  rcp_harness_run_for (300);
  chat = rcp_harness_find_chat (h, name);
  if (chat == NULL || purple_conv_chat_has_left (PURPLE_CONV_CHAT (chat)))
    return FALSE;
  purple_conv_chat_send (PURPLE_CONV_CHAT (chat), text);
  return TRUE;
}

static int
second_run (const char *user_dir)
{
  RcpHarness *h;
  PurpleAccount *account;

  rcp_harness_core_init (user_dir);
  h = rcp_harness_new ();
  account = rcp_harness_adopt_account (h, USERNAME);
  if (g_strcmp0 (purple_account_get_string (account, "from_map", NULL), GROUP "=+16505550110") != 0)
    return second_fail ("from_map was not saved");
  rcp_harness_sign_on_ok (h);
  /* Typed in another order than the first time: the same group. */
  if (!second_send (h, SILENT_2 ", " SILENT, GROUP, "to the group"))
    return second_fail ("the group did not open");
  if (!second_send (h, UK_PEER ", " SILENT, SAVED, "to the saved group"))
    return second_fail ("the saved group did not open (its choice was lost?)");
  rcp_harness_run_for (1000);
  rcp_harness_free (h);
  rcp_harness_core_quit ();
  printf ("OK\n");
  fflush (stdout);
  return 0;
}

/* ---- the first run and the checks (test process) ---- */

/* The from.phoneNumber of the /sms (from request @mark on) whose recipients include @member
 * and @other; NULL if there is none. */
static char *
group_sent_from (ITest *t, guint mark, const char *member, const char *other)
{
  GPtrArray *requests = rc_sim_get_requests (t->sim);

  for (guint i = mark; i < requests->len; i++) {
    RcSimRequest *req = g_ptr_array_index (requests, i);
    g_autoptr (JsonNode) body = NULL;
    const char *a, *b;

    if (g_strcmp0 (req->method, "POST") != 0 || g_strcmp0 (req->path, SMS_PATH) != 0)
      continue;
    body = itest_json (req);
    if (body == NULL)
      continue;
    a = itest_json_string (body, "to.0.phoneNumber");
    b = itest_json_string (body, "to.1.phoneNumber");
    if ((g_strcmp0 (a, member) == 0 && g_strcmp0 (b, other) == 0)
        || (g_strcmp0 (a, other) == 0 && g_strcmp0 (b, member) == 0))
      return g_strdup (itest_json_string (body, "from.phoneNumber"));
  }
  return NULL;
}

static void
test_restart_keeps_group_choices (void)
{
  g_autofree char *user_dir = g_dir_make_tmp ("rcp-identities-XXXXXX", NULL);
  const char *args[] = { "--second-run", NULL, NULL };
  g_autoptr (ITest) t = NULL;
  g_autofree char *error = NULL;
  g_autofree char *output = NULL;
  g_autofree char *log = NULL;
  g_autofree char *group_from = NULL, *saved_from = NULL;
  PurpleChat *saved;
  PurpleConversation *chat;
  int status = -1;
  guint mark;

  g_assert_nonnull (user_dir);
  rcp_harness_core_init (user_dir);
  t = itest_new ("many-pages.json", USERNAME);
  /* The default may text abroad while the choices are made; it is an MMS number that may not
   * when the second run starts, so a lost choice shows as another sender or a refused group. */
  purple_account_set_string (t->account, "default_from", "+16505550106");
  rcp_harness_sign_on_ok (t->h);

  rcp_harness_join_chat (t->h, SILENT ", " SILENT_2);
  rcp_harness_run_for (200);
  chat = rcp_harness_find_chat (t->h, GROUP);
  g_assert_nonnull (chat);
  g_assert_cmpint (rcp_harness_run_command (chat, "from 8", &error), ==, PURPLE_CMD_STATUS_OK);

  saved = itest_save_chat (t, UK_PEER ", " SILENT);
  rcp_harness_join_chat (t->h, SILENT ", " UK_PEER);
  rcp_harness_run_for (200);
  chat = rcp_harness_find_chat (t->h, SAVED);
  g_assert_nonnull (chat);
  g_assert_cmpint (rcp_harness_run_command (chat, "from 5", &error), ==, PURPLE_CMD_STATUS_OK);
  g_assert_cmpstr (purple_blist_node_get_string (PURPLE_BLIST_NODE (saved), "rc-from"), ==,
                   "+16505550106");
  g_assert_cmpstr (purple_account_get_string (t->account, "from_map", NULL), ==,
                   GROUP "=+16505550110");
  purple_account_set_string (t->account, "default_from", "+16505550100");
  g_assert_cmpuint (itest_count (t, "POST", SMS_PATH), ==, 0);
  rcp_harness_core_quit ();
  mark = rc_sim_get_requests (t->sim)->len;

  args[1] = user_dir;
  output = itest_run_self (t, args, NULL, NULL, &status);
  log = itest_dump_requests (t);
  g_test_message ("second run said:\n%s\nrequests:\n%s", output, log);
  g_assert_cmpint (status, ==, 0);
  g_assert_nonnull (strstr (output, "OK\n"));

  group_from = group_sent_from (t, mark, SILENT, SILENT_2);
  saved_from = group_sent_from (t, mark, SILENT, UK_PEER);
  g_assert_cmpstr (group_from, ==, "+16505550110");
  g_assert_cmpstr (saved_from, ==, "+16505550106");
}

int
main (int argc, char **argv)
{
  if (argc == 3 && g_strcmp0 (argv[1], "--second-run") == 0)
    return second_run (argv[2]);

  g_test_init (&argc, &argv, NULL);
  /* libpurple quits at the end of the test: one test in this program. */
  itest_add ("/identities/restart/group-choices", test_restart_keeps_group_choices, FALSE);
  return g_test_run ();
}
