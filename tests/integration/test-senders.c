/* test-senders.c: the send-from list over many pages, /from and its switching, the default
 * send-from action, an account without a texting number. */
#include "itest.h"

#include <string.h>

#define CONTACT "+16505550199"
#define SILENT  "+16505550177" /* no auto reply in any scenario */

/* Digits of @s, in order. */
static char *
digits_of (const char *s)
{
  GString *out = g_string_new (NULL);

  for (; *s; s++)
    if (g_ascii_isdigit (*s))
      g_string_append_c (out, *s);
  return g_string_free (out, FALSE);
}

/* Runs /from with no argument in @conv and returns the lines it wrote (header included). */
static GPtrArray *
from_listing (RcpHarness *h, PurpleConversation *conv)
{
  guint mark = rcp_harness_writes (h)->len;
  g_autofree char *error = NULL;
  PurpleCmdStatus status = rcp_harness_run_command (conv, "from", &error);

  g_assert_cmpint (status, ==, PURPLE_CMD_STATUS_OK);
  g_assert_null (error);
  return itest_lines_since (h, purple_conversation_get_name (conv), mark);
}

/* Checks a /from listing: header, then exactly @expected (E.164) numbered from 1, with the one
 * at @in_use (0-based) marked "*". Returns the number lines. */
static void
assert_listing (GPtrArray *lines, const char *const *expected, guint n_expected, guint in_use)
{
  guint n = 0;
  gboolean header = FALSE;

  for (guint i = 0; i < lines->len; i++) {
    const char *line = g_ptr_array_index (lines, i);
    const char *p = line;
    gboolean starred = FALSE;
    char *end;
    guint64 position;
    g_autofree char *number_digits = NULL, *want = NULL;

    g_test_message ("/from: %s", line);
    if (strstr (line, "Send-from numbers (* = in use):") != NULL) {
      header = TRUE;
      continue;
    }
    if (*p == '*') {
      starred = TRUE;
      p++;
    }
    while (*p == ' ')
      p++;
    position = g_ascii_strtoull (p, &end, 10);
    if (end == p || *end != '.')
      g_error ("unexpected /from line: \"%s\"", line);
    g_assert_cmpuint (n, <, n_expected);
    g_assert_cmpuint (position, ==, n + 1);
    /* The number is the only thing with digits after the position ("(Direct) — SMS, MMS"). */
    number_digits = digits_of (end + 1);
    want = digits_of (expected[n]);
    if (g_strcmp0 (number_digits, want) != 0)
      g_error ("line %u is \"%s\", expected number %s", n + 1, line, expected[n]);
    g_assert_cmpint (starred, ==, n == in_use);
    n++;
  }
  g_assert_true (header);
  g_assert_cmpuint (n, ==, n_expected);
}

static void
test_sender_list_pages (void)
{
  /* many-pages.json: 16 numbers, 3 a page. Texting numbers in server order; the FaxOnly,
   * CallerId-only, A2PSmsSender-only and featureless ones are left out. */
  static const char *const texting[] = {
    "+16505550100",  "+16505550101", "+16505550102", "+18885550100", "+16505550106",
    "+442079460100", "+16505550107", "+16505550110", "+18885550101", "+16505550113",
  };
  g_autoptr (ITest) t = itest_new ("many-pages.json", NULL);
  g_autoptr (GPtrArray) lines = NULL;
  PurpleConversation *conv;
  gboolean main_number_named = FALSE;

  rcp_harness_sign_on_ok (t->h);
  {
    g_autofree char *log = itest_dump_requests (t);
    g_test_message ("requests:\n%s", log);
  }
  /* Every page was fetched, each once. */
  g_assert_cmpuint (itest_count (t, "GET", NUMBERS_PATH), ==, 6);
  for (guint i = 0; i < 6; i++)
    g_assert_cmpuint (itest_request (t, "GET", NUMBERS_PATH, i)->status, ==, 200);

  conv = rcp_harness_im (t->h, CONTACT);
  lines = from_listing (t->h, conv);
  assert_listing (lines, texting, G_N_ELEMENTS (texting), 0);
  for (guint i = 0; i < lines->len; i++) {
    const char *line = g_ptr_array_index (lines, i);
    if (strstr (line, "650-555-0101") != NULL || strstr (line, "6505550101") != NULL)
      main_number_named = strstr (line, "Main company number") != NULL;
  }
  g_assert_true (main_number_named);
  /* Listing is local: no request, no text. */
  g_assert_cmpuint (itest_count (t, "POST", SMS_PATH), ==, 0);
}

static void
test_from_switching (void)
{
  static const char *const both[] = { "+16505550100", "+16505550101" };
  g_autoptr (ITest) t = itest_new ("basic.json", NULL);
  PurpleConversation *conv;
  const char *name;
  g_autofree char *error = NULL;
  g_autofree char *from = NULL;
  guint mark;

  rcp_harness_sign_on_ok (t->h);
  /* Not the echo contact: a reply would make "the number the last text reached" win over the
   * default (design.md), and its timing is not this test's business. */
  conv = rcp_harness_im (t->h, SILENT);
  name = purple_conversation_get_name (conv);

  {
    g_autoptr (GPtrArray) lines = from_listing (t->h, conv);
    assert_listing (lines, both, 2, 0);
  }

  /* By position. */
  g_assert_cmpint (rcp_harness_run_command (conv, "from 2", &error), ==, PURPLE_CMD_STATUS_OK);
  g_assert_nonnull (rcp_harness_find_write (
      t->h, name, 0,
      "Texts in this conversation now go out from +1 650-555-0101 (Main company number)."));
  {
    g_autoptr (GPtrArray) lines = from_listing (t->h, conv);
    assert_listing (lines, both, 2, 1);
  }
  purple_conv_im_send (PURPLE_CONV_IM (conv), "first");
  from = itest_sent_from (t, 0);
  g_assert_cmpstr (from, ==, "+16505550101");
  g_clear_pointer (&from, g_free);

  /* By number, in any form. */
  g_assert_cmpint (rcp_harness_run_command (conv, "from +1 (650) 555-0100", &error), ==,
                   PURPLE_CMD_STATUS_OK);
  g_assert_nonnull (rcp_harness_find_write (t->h, name, 0, "now go out from +1 650-555-0100"));
  purple_conv_im_send (PURPLE_CONV_IM (conv), "second");
  from = itest_sent_from (t, 1);
  g_assert_cmpstr (from, ==, "+16505550100");
  g_clear_pointer (&from, g_free);

  /* Back to the default (the first texting number here). */
  g_assert_cmpint (rcp_harness_run_command (conv, "from 2", &error), ==, PURPLE_CMD_STATUS_OK);
  g_assert_cmpint (rcp_harness_run_command (conv, "from default", &error), ==,
                   PURPLE_CMD_STATUS_OK);
  g_assert_nonnull (rcp_harness_find_write (
      t->h, name, 0, "no longer has its own send-from number; by the rules (/from lists them), texts now go out from +1 650-555-0100"));
  purple_conv_im_send (PURPLE_CONV_IM (conv), "third");
  from = itest_sent_from (t, 2);
  g_assert_cmpstr (from, ==, "+16505550100");
  g_clear_pointer (&from, g_free);

  /* Unknown choices fail with the contract's message and change nothing. */
  g_assert_cmpint (rcp_harness_run_command (conv, "from 7", &error), ==, PURPLE_CMD_STATUS_FAILED);
  {
    /* UIs write the command's error as HTML: compare what they show. */
    g_autofree char *shown = purple_unescape_html (error);
    g_assert_cmpstr (shown, ==, "No send-from number matches \"7\". Type /from to list them.");
  }
  g_clear_pointer (&error, g_free);
  g_assert_cmpint (rcp_harness_run_command (conv, "from +16505550103", &error), ==,
                   PURPLE_CMD_STATUS_FAILED);
  g_assert_nonnull (strstr (error, "No send-from number matches"));
  g_clear_pointer (&error, g_free);

  /* "/from ..." typed where a UI passes it through as a message (bitlbee) is never texted. */
  mark = rcp_harness_writes (t->h)->len;
  purple_conv_im_send (PURPLE_CONV_IM (conv), "/from 2");
  rcp_harness_run_for (300);
  g_assert_cmpuint (itest_count (t, "POST", SMS_PATH), ==, 3);
  g_assert_nonnull (rcp_harness_find_write (t->h, name, 0, "now go out from +1 650-555-0101"));
  purple_conv_im_send (PURPLE_CONV_IM (conv), "/from");
  rcp_harness_run_for (300);
  g_assert_cmpuint (itest_count (t, "POST", SMS_PATH), ==, 3);
  {
    g_autoptr (GPtrArray) lines = itest_lines_since (t->h, name, mark);
    gboolean listed = FALSE;
    for (guint i = 0; i < lines->len; i++)
      listed |= strstr (g_ptr_array_index (lines, i), "Send-from numbers") != NULL;
    g_assert_true (listed);
  }
  /* ...and it did switch, as the command would. */
  purple_conv_im_send (PURPLE_CONV_IM (conv), "fourth");
  from = itest_sent_from (t, 3);
  g_assert_cmpstr (from, ==, "+16505550101");
  g_assert_cmpuint (rcp_harness_count_writes (t->h, name, PURPLE_MESSAGE_ERROR, NULL), ==, 0);
}

static void
test_main_number_without_sms (void)
{
  /* Not the operator: the Main Company Number comes without SmsSender and is not offered. */
  static const char *const only[] = { "+16505550102" };
  g_autoptr (ITest) t = itest_new ("main-number-not-operator.json", NULL);
  g_autoptr (GPtrArray) lines = NULL;
  g_autofree char *from = NULL;

  rcp_harness_sign_on_ok (t->h);
  lines = from_listing (t->h, rcp_harness_im (t->h, CONTACT));
  assert_listing (lines, only, 1, 0);
  rcp_harness_send_im (t->h, CONTACT, "hi");
  from = itest_sent_from (t, 0);
  g_assert_cmpstr (from, ==, "+16505550102");
}

static gboolean
flag_set (gpointer data)
{
  return *(gboolean *)data;
}

static void
test_default_action (void)
{
  g_autoptr (ITest) t = itest_new ("basic.json", NULL);
  GPtrArray *requests;
  RcpRequestRecord *req;
  g_autofree char *from = NULL;

  rcp_harness_sign_on_ok (t->h);
  rcp_harness_script_answer (t->h, RCP_ANSWER_OK, 1, NULL);
  if (!rcp_harness_run_action (t->h, "Set Default Send-From Number...")) {
    g_autofree char *labels = rcp_harness_action_labels (t->h);
    g_error ("no \"Set Default Send-From Number...\" action; actions: %s", labels);
  }
  requests = rcp_harness_requests (t->h);
  g_assert_cmpuint (requests->len, ==, 1);
  req = g_ptr_array_index (requests, 0);
  g_assert_cmpuint (req->choice_labels->len, ==, 2);
  g_assert_nonnull (strstr (g_ptr_array_index (req->choice_labels, 1), "650-555-0101"));
  g_assert_true (rcp_harness_wait_until (flag_set, &req->answered, RCP_HARNESS_TIMEOUT_MS));
  rcp_harness_run_for (50);
  g_assert_cmpstr (purple_account_get_string (t->account, "default_from", NULL), ==,
                   "+16505550101");

  rcp_harness_send_im (t->h, CONTACT, "hello");
  from = itest_sent_from (t, 0);
  g_assert_cmpstr (from, ==, "+16505550101");
}

static void
test_no_texting_number (void)
{
  g_autoptr (ITest) t = itest_new ("no-texting.json", NULL);
  GPtrArray *notifies;
  RcpNotifyRecord *n;
  PurpleConversation *conv;

  rcp_harness_sign_on_ok (t->h);
  /* A few sync rounds: still one warning per sign-on. */
  rcp_harness_run_for (2500);
  notifies = rcp_harness_notifies (t->h);
  g_assert_cmpuint (notifies->len, ==, 1);
  n = g_ptr_array_index (notifies, 0);
  g_assert_cmpint (n->type, ==, PURPLE_NOTIFY_MSG_WARNING);
  g_assert_cmpstr (n->title, ==, "RingCentral");
  g_assert_cmpstr (n->primary, ==, "This login has no number that can send texts.");
  g_assert_true (n->secondary != NULL && *n->secondary != '\0');

  conv = rcp_harness_send_im (t->h, CONTACT, "hello");
  rcp_harness_run_for (300);
  g_assert_nonnull (rcp_harness_find_write (t->h, purple_conversation_get_name (conv),
                                            PURPLE_MESSAGE_ERROR,
                                            "This account has no number that can send texts."));
  /* One clear reason, not followed by libpurple's own vague error line. */
  g_assert_null (rcp_harness_find_write (t->h, purple_conversation_get_name (conv),
                                         PURPLE_MESSAGE_ERROR, "Unable to send message"));
  g_assert_cmpuint (itest_count (t, "POST", SMS_PATH), ==, 0);
  g_assert_true (purple_account_is_connected (t->account));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  itest_add ("/senders/list-over-pages", test_sender_list_pages, TRUE);
  itest_add ("/senders/main-number-without-sms", test_main_number_without_sms, TRUE);
  itest_add ("/senders/from-switching", test_from_switching, TRUE);
  itest_add ("/senders/default-action", test_default_action, TRUE);
  itest_add ("/senders/no-texting-number", test_no_texting_number, FALSE);
  return g_test_run ();
}
