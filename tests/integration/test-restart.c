/* test-restart.c: what must survive a restart: a text shown before it is not shown again after
 * it; send-from choices (per contact, per buddy, the account default) are kept.
 *
 * libpurple cannot be initialised twice in one process, so the test runs the client twice:
 * first in this process (sign on, receive, purple_core_quit() writes accounts.xml), then this
 * same program again as a child ("--restart-child DIR") over the same user dir, against the
 * same simulator, which keeps running here (its main context is iterated while waiting). */
#include "itest.h"

#include <stdio.h>
#include <string.h>

#define USERNAME    "restart@example.com"
#define FIRST_FROM  "+14155550123"
#define FIRST_TEXT  "before the restart"
#define SECOND_FROM "+14155550124"
#define SECOND_TEXT "after the restart"

/* ---- the second run (child process) ---- */

static int
child_fail (const char *what)
{
  printf ("FAIL %s\n", what);
  fflush (stdout);
  return 1;
}

static int
child_no_replay (const char *user_dir)
{
  RcpHarness *h;
  PurpleAccount *account;
  const char *token;

  rcp_harness_core_init (user_dir);
  h = rcp_harness_new ();
  account = rcp_harness_adopt_account (h, USERNAME);

  /* What the first run saved. */
  token = purple_account_get_string (account, "sync_token", NULL);
  if (token == NULL || *token == '\0')
    return child_fail ("no sync_token in accounts.xml");
  token = purple_account_get_string (account, "oauth_access_token", NULL);
  if (token == NULL || *token == '\0')
    return child_fail ("no oauth_access_token in accounts.xml");

  rcp_harness_sign_on_ok (h);
  rcp_harness_run_for (1500); /* a sync round or two with the saved token */
  printf ("SIGNED-ON\n");
  fflush (stdout);

  /* The parent now adds a new text: it must arrive, the old one must not come back. */
  if (!rcp_harness_wait_for_received (h, SECOND_FROM, SECOND_TEXT, RCP_HARNESS_TIMEOUT_MS))
    return child_fail ("the text sent after the restart did not arrive");
  rcp_harness_run_for (2500);
  if (rcp_harness_count_received (h, FIRST_FROM, NULL) != 0)
    return child_fail ("the text shown before the restart was shown again");
  if (rcp_harness_count_received (h, SECOND_FROM, NULL) != 1)
    return child_fail ("the text sent after the restart was shown more than once");

  rcp_harness_free (h);
  rcp_harness_core_quit ();
  printf ("OK\n");
  fflush (stdout);
  return 0;
}

#define CHOICES_USERNAME "choices@example.com"
#define NON_BUDDY        "+16505550177" /* remembered in from_map */
#define BUDDY            "+16505550178" /* remembered on the buddy node */
#define NO_CHOICE        "+16505550179" /* uses the account default */

static int
child_choices (const char *user_dir)
{
  RcpHarness *h;

  rcp_harness_core_init (user_dir);
  h = rcp_harness_new ();
  rcp_harness_adopt_account (h, CHOICES_USERNAME);
  rcp_harness_sign_on_ok (h);
  rcp_harness_send_im (h, NON_BUDDY, "to the non-buddy");
  rcp_harness_send_im (h, BUDDY, "to the buddy");
  rcp_harness_send_im (h, NO_CHOICE, "to someone new");
  rcp_harness_run_for (1500);
  rcp_harness_free (h);
  rcp_harness_core_quit ();
  printf ("OK\n");
  fflush (stdout);
  return 0;
}

/* ---- the first run and the driver (test process) ---- */

/* The second run of the no-replay test signed on: a new text arrives now. */
static void
inject_after_sign_on (ITest *t, const char *line, gpointer data)
{
  gboolean *injected = data;

  if (g_strcmp0 (line, "SIGNED-ON") == 0 && !*injected) {
    g_autofree char *id = rc_sim_add_inbound (t->sim, SECOND_FROM, "+16505550100", SECOND_TEXT);
    *injected = TRUE;
  }
}

/* Runs the second run (@mode) over @user_dir; asserts it said OK and exited 0. */
static void
run_second (ITest *t, const char *user_dir, const char *mode, ITestChildLine on_line, gpointer data)
{
  const char *args[] = { "--restart-child", user_dir, mode, NULL };
  int status = -1;
  g_autofree char *output = itest_run_self (t, args, on_line, data, &status);
  g_autofree char *log = itest_dump_requests (t);

  g_test_message ("second run said:\n%s", output);
  g_test_message ("requests:\n%s", log);
  g_assert_cmpint (status, ==, 0);
  g_assert_nonnull (strstr (output, "OK\n"));
}

static void
test_restart_no_replay (void)
{
  g_autofree char *user_dir = g_dir_make_tmp ("rcp-restart-XXXXXX", NULL);
  g_autoptr (ITest) t = NULL;
  g_autofree char *id = NULL;
  gboolean injected = FALSE;
  guint mark;

  g_assert_nonnull (user_dir);
  rcp_harness_core_init (user_dir);
  t = itest_new ("basic.json", USERNAME);

  /* First run: a text arrives and is shown. */
  rcp_harness_sign_on_ok (t->h);
  id = rc_sim_add_inbound (t->sim, FIRST_FROM, "+16505550100", FIRST_TEXT);
  g_assert_true (
      rcp_harness_wait_for_received (t->h, FIRST_FROM, FIRST_TEXT, RCP_HARNESS_TIMEOUT_MS));
  rcp_harness_run_for (1500);
  g_assert_cmpuint (rcp_harness_count_received (t->h, FIRST_FROM, NULL), ==, 1);
  /* Quitting writes accounts.xml (tokens, sync_token, sync_seen). */
  rcp_harness_core_quit ();
  mark = rc_sim_get_requests (t->sim)->len;

  /* Second run, in a new process over the same user dir. */
  run_second (t, user_dir, "no-replay", inject_after_sign_on, &injected);
  g_assert_true (injected);
  /* The second run signed on with the saved tokens and synced on from the saved token. */
  for (guint i = mark; i < rc_sim_get_requests (t->sim)->len; i++) {
    RcSimRequest *req = g_ptr_array_index (rc_sim_get_requests (t->sim), i);
    g_assert_false (g_str_has_prefix (req->path, TOKEN_PATH));
    if (g_str_has_prefix (req->path, SYNC_PATH))
      g_assert_null (strstr (req->query ? req->query : "", "FSync"));
  }
}

/* The from.phoneNumber of the last /sms to @to from request @mark on, or NULL. */
static char *
last_from_to (ITest *t, guint mark, const char *to)
{
  GPtrArray *requests = rc_sim_get_requests (t->sim);
  char *from = NULL;

  for (guint i = mark; i < requests->len; i++) {
    RcSimRequest *req = g_ptr_array_index (requests, i);
    g_autoptr (JsonNode) body = NULL;

    if (g_strcmp0 (req->method, "POST") != 0 || !g_str_has_prefix (req->path, SMS_PATH))
      continue;
    body = itest_json (req);
    if (body != NULL && g_strcmp0 (itest_json_string (body, "to.0.phoneNumber"), to) == 0) {
      g_free (from);
      from = g_strdup (itest_json_string (body, "from.phoneNumber"));
    }
  }
  return from;
}

typedef struct {
  PurpleAccount *account;
  const char *number;
} DefaultWait;

static gboolean
default_is (gpointer data)
{
  DefaultWait *w = data;
  return g_strcmp0 (purple_account_get_string (w->account, "default_from", NULL), w->number) == 0;
}

static void
test_restart_keeps_choices (void)
{
  g_autofree char *user_dir = g_dir_make_tmp ("rcp-restart-XXXXXX", NULL);
  g_autoptr (ITest) t = NULL;
  g_autofree char *error = NULL;
  g_autofree char *non_buddy = NULL, *buddy = NULL, *no_choice = NULL;
  PurpleConversation *conv;
  guint mark;

  g_assert_nonnull (user_dir);
  rcp_harness_core_init (user_dir);
  t = itest_new ("many-pages.json", CHOICES_USERNAME);
  rcp_harness_sign_on_ok (t->h);

  /* A contact that is not a buddy (from_map), a buddy (its node), and the account default
   * chosen in the dialog (list position 5: +16505550106). */
  conv = rcp_harness_im (t->h, NON_BUDDY);
  g_assert_cmpint (rcp_harness_run_command (conv, "from 3", &error), ==, PURPLE_CMD_STATUS_OK);
  purple_blist_add_buddy (purple_buddy_new (t->account, BUDDY, NULL), NULL, NULL, NULL);
  conv = rcp_harness_im (t->h, BUDDY);
  g_assert_cmpint (rcp_harness_run_command (conv, "from 7", &error), ==, PURPLE_CMD_STATUS_OK);
  rcp_harness_script_answer (t->h, RCP_ANSWER_OK, 4, NULL);
  g_assert_true (rcp_harness_run_action (t->h, "Set Default Send-From Number..."));
  /* Waits for the choice to be stored (a condition: valgrind makes the plugin much slower). */
  g_assert_true (rcp_harness_wait_until (default_is, &(DefaultWait){ t->account, "+16505550106" },
                                         RCP_HARNESS_TIMEOUT_MS));
  rcp_harness_core_quit ();
  mark = rc_sim_get_requests (t->sim)->len;

  run_second (t, user_dir, "choices", NULL, NULL);
  non_buddy = last_from_to (t, mark, NON_BUDDY);
  buddy = last_from_to (t, mark, BUDDY);
  no_choice = last_from_to (t, mark, NO_CHOICE);
  g_assert_cmpstr (non_buddy, ==, "+16505550102");
  g_assert_cmpstr (buddy, ==, "+16505550107");
  g_assert_cmpstr (no_choice, ==, "+16505550106");
}

int
main (int argc, char **argv)
{
  if (argc == 4 && g_strcmp0 (argv[1], "--restart-child") == 0)
    return g_strcmp0 (argv[3], "choices") == 0 ? child_choices (argv[2])
                                               : child_no_replay (argv[2]);

  g_test_init (&argc, &argv, NULL);
  /* libpurple quits at the end of each test: meson runs each alone in its process (-p). */
  itest_add ("/restart/no-replay", test_restart_no_replay, FALSE);
  itest_add ("/restart/keeps-choices", test_restart_keeps_choices, FALSE);
  return g_test_run ();
}
