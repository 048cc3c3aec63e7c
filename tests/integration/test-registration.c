/* test-registration.c: texting registration (10DLC campaign, sms-configuration): a number that is
 * not registered is marked in the list, and a text from it warns once but still goes out.
 *
 * registration.json: 1 +16505550100 Confirmed, 2 +16505550102 Submitted, 3 +18885550100 toll-free
 * without campaign information, 4 +16505550103 whose sms-configuration answers 404. */
#include "itest.h"

#include <string.h>

#define CONTACT        "+16505550177"
#define CONFIG_SUFFIX  "/sms-configuration"
#define NOT_REGISTERED "(not registered for texting)"
#define WARNING        "+1 650-555-0102 is not registered for texting"

static void
test_registration_marked_and_warned (void)
{
  g_autoptr (ITest) t = itest_new ("registration.json", NULL);
  g_autoptr (GPtrArray) lines = NULL;
  g_autofree char *error = NULL;
  g_autofree char *from1 = NULL, *from2 = NULL;
  PurpleConversation *conv;
  GPtrArray *requests;
  guint configs = 0, marked = 0, mark;
  const char *name;

  rcp_harness_sign_on_ok (t->h);
  /* One sms-configuration request per texting number, in the background after sign-on. */
  g_assert_true (itest_wait_count (t, "GET", NUMBERS_PATH "/", 4, RCP_HARNESS_TIMEOUT_MS));
  rcp_harness_run_for (300);
  requests = rc_sim_get_requests (t->sim);
  for (guint i = 0; i < requests->len; i++) {
    RcSimRequest *req = g_ptr_array_index (requests, i);
    if (g_str_has_prefix (req->path, NUMBERS_PATH "/")
        && g_str_has_suffix (req->path, CONFIG_SUFFIX))
      configs++;
  }
  g_assert_cmpuint (configs, ==, 4);

  /* Only the number whose campaign is not confirmed is marked; the 404 one is listed as usual. */
  conv = rcp_harness_im (t->h, CONTACT);
  name = purple_conversation_get_name (conv);
  mark = rcp_harness_writes (t->h)->len;
  g_assert_cmpint (rcp_harness_run_command (conv, "from", &error), ==, PURPLE_CMD_STATUS_OK);
  lines = itest_lines_since (t->h, name, mark);
  for (guint i = 0; i < lines->len; i++) {
    const char *line = g_ptr_array_index (lines, i);
    g_test_message ("/from: %s", line);
    if (strstr (line, NOT_REGISTERED) != NULL) {
      marked++;
      g_assert_nonnull (strstr (line, "650-555-0102"));
    }
    if (strstr (line, "650-555-0103") != NULL)
      g_assert_null (strstr (line, NOT_REGISTERED));
  }
  g_assert_cmpuint (marked, ==, 1);

  /* Two texts from it: one warning, and both go out. */
  g_assert_cmpint (rcp_harness_run_command (conv, "from 2", &error), ==, PURPLE_CMD_STATUS_OK);
  rcp_harness_send_im (t->h, CONTACT, "one");
  rcp_harness_send_im (t->h, CONTACT, "two");
  from1 = itest_sent_from (t, 0);
  from2 = itest_sent_from (t, 1);
  g_assert_cmpstr (from1, ==, "+16505550102");
  g_assert_cmpstr (from2, ==, "+16505550102");
  g_assert_cmpuint (rcp_harness_count_writes (t->h, name, PURPLE_MESSAGE_SYSTEM, WARNING), ==, 1);

  /* A registered number never warns. */
  g_assert_cmpint (rcp_harness_run_command (conv, "from 1", &error), ==, PURPLE_CMD_STATUS_OK);
  rcp_harness_send_im (t->h, CONTACT, "three");
  g_clear_pointer (&from1, g_free);
  from1 = itest_sent_from (t, 2);
  g_assert_cmpstr (from1, ==, "+16505550100");
  g_assert_cmpuint (rcp_harness_count_writes (t->h, name, 0, "is not registered for texting"), ==,
                    1);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  itest_add ("/registration/marked-and-warned", test_registration_marked_and_warned, TRUE);
  return g_test_run ();
}
