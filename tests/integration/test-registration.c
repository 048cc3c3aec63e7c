/* test-registration.c: texting registration (10DLC campaign, sms-configuration): a number that is
 * not registered is marked in the list, and a text from it warns once but still goes out.
 *
 * registration.json: 1 +16505550100 Confirmed, 2 +16505550102 Submitted, 3 +18885550100 toll-free
 * without campaign information, 4 +16505550103 whose sms-configuration answers 404, 5
 * +16505550104 local without campaign information (not linked to a campaign). */
#include "itest.h"

#include <string.h>

#define CONTACT        "+16505550177"
#define CONFIG_SUFFIX  "/sms-configuration"
#define NOT_REGISTERED "(not registered for texting)"
#define WARNING        "+1 650-555-0102 is not registered for texting"
#define N_SENDERS      5

static const char *const number_ids[N_SENDERS]
    = { "503000001", "503000002", "503000003", "503000004", "503000005" };

/* Checks that each sender's sms-configuration was asked @times times, and nothing else under it. */
static void
assert_configs_asked (ITest *t, guint times)
{
  GPtrArray *requests = rc_sim_get_requests (t->sim);
  guint total = 0;

  for (guint i = 0; i < requests->len; i++) {
    RcSimRequest *req = g_ptr_array_index (requests, i);
    if (g_str_has_prefix (req->path, NUMBERS_PATH "/")) {
      g_assert_true (g_str_has_suffix (req->path, CONFIG_SUFFIX));
      g_assert_cmpstr (req->method, ==, "GET");
      total++;
    }
  }
  g_assert_cmpuint (total, ==, N_SENDERS * times);
  for (guint i = 0; i < N_SENDERS; i++) {
    g_autofree char *path = g_strdup_printf ("%s/%s%s", NUMBERS_PATH, number_ids[i], CONFIG_SUFFIX);
    g_assert_cmpuint (itest_count (t, "GET", path), ==, times);
  }
}

/* Runs /from in @conv and checks that exactly the numbers in @marked (digits as "650-555-0102",
 * NULL-ended) carry the "not registered" mark. */
static void
assert_marks (ITest *t, PurpleConversation *conv, const char *const *marked)
{
  const char *name = purple_conversation_get_name (conv);
  guint mark = rcp_harness_writes (t->h)->len;
  g_autoptr (GPtrArray) lines = NULL;
  g_autofree char *error = NULL;
  guint n_marked = 0, listed = 0, n_expected = 0;

  g_assert_cmpint (rcp_harness_run_command (conv, "from", &error), ==, PURPLE_CMD_STATUS_OK);
  lines = itest_lines_since (t->h, name, mark);
  for (guint i = 0; i < lines->len; i++) {
    const char *line = g_ptr_array_index (lines, i);
    gboolean expect = FALSE;

    g_test_message ("/from: %s", line);
    for (guint j = 0; marked[j] != NULL; j++)
      expect |= strstr (line, marked[j]) != NULL;
    if (strstr (line, "555-01") != NULL)
      listed++;
    if (strstr (line, NOT_REGISTERED) != NULL)
      n_marked++;
    if ((strstr (line, NOT_REGISTERED) != NULL) != expect)
      g_error ("wrong registration mark in \"%s\"", line);
  }
  while (marked[n_expected] != NULL)
    n_expected++;
  g_assert_cmpuint (listed, ==, N_SENDERS);
  g_assert_cmpuint (n_marked, ==, n_expected);
}

/* The Submitted one and the local one without a campaign; not the 404 or toll-free ones. */
static const char *const unregistered[] = { "650-555-0102", "650-555-0104", NULL };

static void
test_registration_marked_and_warned (void)
{
  g_autoptr (ITest) t = itest_new ("registration.json", NULL);
  g_autofree char *error = NULL;
  g_autofree char *from1 = NULL, *from2 = NULL;
  PurpleConversation *conv;
  const char *name;

  rcp_harness_sign_on_ok (t->h);
  /* Asked before the list is used: all answers are in once the account is connected, so the very
   * first list and text already know them. One request per texting number. */
  assert_configs_asked (t, 1);

  conv = rcp_harness_im (t->h, CONTACT);
  name = purple_conversation_get_name (conv);
  assert_marks (t, conv, unregistered);

  /* Two texts from it: one warning, and both go out. */
  g_assert_cmpint (rcp_harness_run_command (conv, "from 2", &error), ==, PURPLE_CMD_STATUS_OK);
  rcp_harness_send_im (t->h, CONTACT, "one");
  rcp_harness_send_im (t->h, CONTACT, "two");
  from1 = itest_sent_from (t, 0);
  from2 = itest_sent_from (t, 1);
  g_assert_cmpstr (from1, ==, "+16505550102");
  g_assert_cmpstr (from2, ==, "+16505550102");
  g_assert_cmpuint (rcp_harness_count_writes (t->h, name, PURPLE_MESSAGE_SYSTEM, WARNING), ==, 1);
  g_assert_cmpuint (rcp_harness_count_writes (t->h, name, PURPLE_MESSAGE_ERROR, NULL), ==, 0);

  /* A registered number never warns. */
  g_assert_cmpint (rcp_harness_run_command (conv, "from 1", &error), ==, PURPLE_CMD_STATUS_OK);
  rcp_harness_send_im (t->h, CONTACT, "three");
  g_clear_pointer (&from1, g_free);
  from1 = itest_sent_from (t, 2);
  g_assert_cmpstr (from1, ==, "+16505550100");
  /* Nor does the one whose sms-configuration answered 404. */
  g_assert_cmpint (rcp_harness_run_command (conv, "from 4", &error), ==, PURPLE_CMD_STATUS_OK);
  rcp_harness_send_im (t->h, CONTACT, "four");
  g_clear_pointer (&from1, g_free);
  from1 = itest_sent_from (t, 3);
  g_assert_cmpstr (from1, ==, "+16505550103");
  g_assert_cmpuint (rcp_harness_count_writes (t->h, name, 0, "is not registered for texting"), ==,
                    1);
}

static gboolean
refreshed (gpointer data)
{
  ITest *t = data;
  GPtrArray *notifies = rcp_harness_notifies (t->h);

  for (guint i = 0; i < notifies->len; i++) {
    RcpNotifyRecord *n = g_ptr_array_index (notifies, i);
    if (g_strcmp0 (n->primary, "Send-from numbers refreshed") == 0)
      return TRUE;
  }
  return FALSE;
}

static void
test_registration_refresh (void)
{
  g_autoptr (ITest) t = itest_new ("registration.json", NULL);
  PurpleConversation *conv;

  rcp_harness_sign_on_ok (t->h);
  conv = rcp_harness_im (t->h, CONTACT);
  rcp_harness_clear_records (t->h);
  rc_sim_clear_requests (t->sim);

  /* The refreshed list is handed out with its registration already known: no moment in which
   * the numbers read as registered. */
  g_assert_true (rcp_harness_run_action (t->h, "Refresh Send-From Numbers"));
  g_assert_true (rcp_harness_wait_until (refreshed, t, RCP_HARNESS_TIMEOUT_MS));
  assert_configs_asked (t, 1);
  assert_marks (t, conv, unregistered);
}

static gboolean
answered (gpointer data)
{
  RcSimRequest *req = data;

  return req->status != 0;
}

static void
test_registration_slow_or_failing (void)
{
  static const char *const none[] = { NULL };
  static const char *const late[] = { "650-555-0104", NULL };
  g_autoptr (ITest) t = itest_new ("registration.json", NULL);
  g_autofree char *failing
      = g_strdup_printf ("%s/%s%s", NUMBERS_PATH, number_ids[1], CONFIG_SUFFIX);
  g_autofree char *slow = g_strdup_printf ("%s/%s%s", NUMBERS_PATH, number_ids[4], CONFIG_SUFFIX);
  g_autofree char *from = NULL;
  PurpleConversation *conv;
  RcSimRequest *slow_req;
  gint64 started;

  /* The Submitted number's answer fails: it is simply unknown. The last number answers after 8 s:
   * sign-on does not wait for it that long, and it is marked once the answer is in. */
  rc_sim_inject_fault (t->sim, failing, RC_SIM_FAULT_500, 1, 0);
  rc_sim_inject_fault (t->sim, slow, RC_SIM_FAULT_SLOW, 1, 8000);
  started = g_get_monotonic_time ();
  rcp_harness_sign_on_ok (t->h);
  g_assert_cmpint (g_get_monotonic_time () - started, <, 7500 * G_TIME_SPAN_MILLISECOND);

  conv = rcp_harness_im (t->h, CONTACT);
  assert_marks (t, conv, none);
  g_assert_cmpint (rcp_harness_run_command (conv, "from 2", NULL), ==, PURPLE_CMD_STATUS_OK);
  rcp_harness_send_im (t->h, CONTACT, "sent anyway");
  from = itest_sent_from (t, 0);
  g_assert_cmpstr (from, ==, "+16505550102");
  g_assert_cmpuint (rcp_harness_count_writes (t->h, purple_conversation_get_name (conv), 0,
                                              "is not registered for texting"),
                    ==, 0);

  slow_req = itest_request (t, "GET", slow, 0);
  g_assert_nonnull (slow_req);
  g_assert_true (rcp_harness_wait_until (answered, slow_req, RCP_HARNESS_TIMEOUT_MS));
  rcp_harness_run_for (300);
  assert_marks (t, conv, late);
  g_assert_cmpuint (itest_count (t, "GET", failing), ==, 1);
  g_assert_cmpuint (itest_count (t, "GET", slow), ==, 1);
  g_assert_true (purple_account_is_connected (t->account));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  itest_add ("/registration/marked-and-warned", test_registration_marked_and_warned, TRUE);
  itest_add ("/registration/refresh", test_registration_refresh, TRUE);
  itest_add ("/registration/slow-or-failing", test_registration_slow_or_failing, FALSE);
  return g_test_run ();
}
