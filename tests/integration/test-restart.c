/* test-restart.c: a text shown before a restart is not shown again after it.
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
child_main (const char *user_dir)
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

/* ---- the first run and the driver (test process) ---- */

typedef struct {
  ITest *t;
  GDataInputStream *out;
  GString *output;
  gboolean signed_on;
  gboolean injected;
  gboolean eof;
  gboolean exited;
  int status;
} Child;

static void read_line (Child *c);

static void
line_read (GObject *source, GAsyncResult *result, gpointer data)
{
  Child *c = data;
  g_autofree char *line = g_data_input_stream_read_line_finish_utf8 (G_DATA_INPUT_STREAM (source),
                                                                     result, NULL, NULL);

  if (line == NULL) {
    c->eof = TRUE;
    return;
  }
  g_string_append_printf (c->output, "%s\n", line);
  if (g_strcmp0 (line, "SIGNED-ON") == 0 && !c->injected) {
    g_autofree char *id = rc_sim_add_inbound (c->t->sim, SECOND_FROM, "+16505550100", SECOND_TEXT);
    c->injected = TRUE;
  }
  read_line (c);
}

static void
read_line (Child *c)
{
  g_data_input_stream_read_line_async (c->out, G_PRIORITY_DEFAULT, NULL, line_read, c);
}

static void
child_exited (GObject *source, GAsyncResult *result, gpointer data)
{
  Child *c = data;

  g_subprocess_wait_finish (G_SUBPROCESS (source), result, NULL);
  c->status = g_subprocess_get_exit_status (G_SUBPROCESS (source));
  c->exited = TRUE;
}

static gboolean
child_done (gpointer data)
{
  Child *c = data;

  return c->exited && c->eof;
}

static void
test_restart_no_replay (void)
{
  g_autofree char *user_dir = g_dir_make_tmp ("rcp-restart-XXXXXX", NULL);
  g_autofree char *self = g_file_read_link ("/proc/self/exe", NULL);
  g_autoptr (ITest) t = NULL;
  g_autoptr (GSubprocess) child = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *id = NULL;
  g_autofree char *log = NULL;
  Child c = { 0 };
  guint mark;

  g_assert_nonnull (user_dir);
  g_assert_nonnull (self);
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
  child = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error, self, "--restart-child",
                            user_dir, NULL);
  g_assert_no_error (error);
  c.t = t;
  c.output = g_string_new (NULL);
  c.out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (child));
  read_line (&c);
  g_subprocess_wait_async (child, NULL, child_exited, &c);
  g_assert_true (rcp_harness_wait_until (child_done, &c, 120000));
  g_test_message ("second run said:\n%s", c.output->str);
  log = itest_dump_requests (t);
  g_test_message ("requests:\n%s", log);

  g_assert_true (c.injected);
  g_assert_cmpint (c.status, ==, 0);
  g_assert_nonnull (strstr (c.output->str, "OK\n"));
  /* The second run signed on with the saved tokens and synced on from the saved token. */
  for (guint i = mark; i < rc_sim_get_requests (t->sim)->len; i++) {
    RcSimRequest *req = g_ptr_array_index (rc_sim_get_requests (t->sim), i);
    g_assert_false (g_str_has_prefix (req->path, TOKEN_PATH));
    if (g_str_has_prefix (req->path, SYNC_PATH))
      g_assert_null (strstr (req->query ? req->query : "", "FSync"));
  }

  g_object_unref (c.out);
  g_string_free (c.output, TRUE);
}

int
main (int argc, char **argv)
{
  if (argc == 3 && g_strcmp0 (argv[1], "--restart-child") == 0)
    return child_main (argv[2]);

  g_test_init (&argc, &argv, NULL);
  /* libpurple quits at the end of this test: it must stay alone in its process. */
  itest_add ("/restart/no-replay", test_restart_no_replay, FALSE);
  return g_test_run ();
}
