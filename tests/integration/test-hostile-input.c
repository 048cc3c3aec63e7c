/* test-hostile-input.c: what the user types that the server must never see (issue 10, "User
 * input"): a text with invalid UTF-8 is refused here with a clear line, never sent raw (the
 * server's refusal would blame the phone number); a text to nobody is refused without libpurple
 * criticals (fatal under G_DEBUG=fatal-criticals). */
#include "itest.h"

#include <string.h>

#define CONTACT "+16505550199"

static void
test_invalid_utf8_refused (void)
{
  g_autoptr (ITest) t = itest_new ("basic.json", NULL);
  PurpleConnection *gc;
  PurpleConversation *conv;
  static const char *const needles[] = { "invalid characters", NULL };
  int sent;

  rcp_harness_sign_on_ok (t->h);
  gc = rcp_harness_gc (t->h);
  conv = rcp_harness_im (t->h, CONTACT);
  /* What a UI passes on as typed (serv_send_im is libpurple's path to the prpl). */
  sent = serv_send_im (gc, CONTACT, "caf\xc3 au lait \xff\xfe", 0);
  g_assert_cmpint (sent, <, 0);
  itest_assert_error_line (t, conv, needles);
  rcp_harness_run_for (300);
  g_assert_cmpuint (itest_count (t, "POST", SMS_PATH), ==, 0);

  /* A valid text still goes out. */
  rcp_harness_send_im (t->h, CONTACT, "caf\xc3\xa9 au lait");
  g_assert_true (itest_wait_count (t, "POST", SMS_PATH, 1, RCP_HARNESS_TIMEOUT_MS));
}

static void
test_empty_recipient_refused (void)
{
  g_autoptr (ITest) t = itest_new ("basic.json", NULL);
  PurpleConnection *gc;

  rcp_harness_sign_on_ok (t->h);
  gc = rcp_harness_gc (t->h);
  g_assert_cmpint (serv_send_im (gc, "", "hello", 0), <, 0);
  rcp_harness_run_for (300);
  g_assert_cmpuint (itest_count (t, "POST", SMS_PATH), ==, 0);
  g_assert_null (
      purple_find_conversation_with_account (PURPLE_CONV_TYPE_IM, "", rcp_harness_account (t->h)));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  itest_add ("/hostile-input/invalid-utf8-refused", test_invalid_utf8_refused, FALSE);
  itest_add ("/hostile-input/empty-recipient-refused", test_empty_recipient_refused, FALSE);
  return g_test_run ();
}
