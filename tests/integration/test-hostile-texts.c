/* test-hostile-texts.c: texts with what json-glib 1.6 gets wrong reach the user whole and as
 * valid UTF-8 (issue 10 "Hostile server data": "\u0000 inside a text cuts it silently"; a lone
 * surrogate escape "\ud800x" gave invalid UTF-8 and lost the "x"; tests/fuzz/RESULTS.md finding
 * 2). The simulator writes the escapes raw into what it sends (rc_sim_add_json_rewrite()); the
 * text arrives by push, and by the catch-up sync after sign-on; a contact's name from the address
 * book reaches the buddy's alias whole. */
#include "itest.h"

#include <string.h>

#define OUR_DIRECT "+16505550100"
#define STRANGER   "+14155550123"
#define FFFD       "\xef\xbf\xbd"

/* The text as stored in the simulator, and as the user must see it. */
#define SENT     "one@NUL@two @SUR@x and the end"
#define EXPECTED "one" FFFD "two " FFFD "x and the end"

static void
add_rewrites (ITest *t)
{
  rc_sim_add_json_rewrite (t->sim, "@NUL@", "\\u0000");
  rc_sim_add_json_rewrite (t->sim, "@SUR@", "\\ud800");
}

/* The one received text from STRANGER is EXPECTED, valid UTF-8, shown once. */
static void
assert_received_whole (ITest *t)
{
  GPtrArray *received = rcp_harness_received (t->h);
  const RcpReceivedRecord *rec;

  g_assert_true (rcp_harness_wait_for_received (t->h, STRANGER, "the end", RCP_HARNESS_TIMEOUT_MS));
  rcp_harness_run_for (300); /* a second copy (push and sync) would show by now */
  g_assert_cmpuint (received->len, ==, 1);
  rec = g_ptr_array_index (received, 0);
  g_test_message ("received: %s", rec->text);
  g_assert_true (g_utf8_validate (rec->text, -1, NULL));
  g_assert_nonnull (strstr (rec->text, EXPECTED));
}

static void
test_pushed_text (void)
{
  g_autoptr (ITest) t = itest_new ("basic.json", NULL);
  g_autofree char *id = NULL;

  rcp_harness_sign_on_ok (t->h);
  g_assert_true (itest_wait_push (t));
  rcp_harness_run_for (300); /* the catch-up after push came up settles */
  add_rewrites (t);
  id = rc_sim_add_inbound (t->sim, STRANGER, OUR_DIRECT, SENT);
  assert_received_whole (t);
}

static void
test_caught_up_text (void)
{
  g_autoptr (ITest) t = itest_new ("basic.json", NULL);
  g_autofree char *id = NULL;

  add_rewrites (t);
  id = rc_sim_add_inbound (t->sim, STRANGER, OUR_DIRECT, SENT);
  rcp_harness_sign_on_ok (t->h);
  assert_received_whole (t);
}

#define ALEX       "+14155550123" /* demo.json: Alex Doe, in the address book */
#define ALEX_ALIAS "Alex D" FFFD "o" FFFD "e"

static gboolean
alias_is (gpointer data)
{
  return g_strcmp0 (purple_buddy_get_server_alias (data), ALEX_ALIAS) == 0;
}

static void
test_contact_name (void)
{
  g_autoptr (ITest) t = itest_new ("demo.json", NULL);
  PurpleBuddy *buddy = purple_buddy_new (t->account, ALEX, NULL);

  rc_sim_add_json_rewrite (t->sim, "Doe", "D\\u0000o\\ud800e");
  purple_blist_add_buddy (buddy, NULL, NULL, NULL);
  rcp_harness_sign_on_ok (t->h);
  if (!rcp_harness_wait_until (alias_is, buddy, RCP_HARNESS_TIMEOUT_MS))
    g_error ("buddy %s has server alias \"%s\", expected \"%s\"", ALEX,
             purple_buddy_get_server_alias (buddy), ALEX_ALIAS);
  g_assert_true (g_utf8_validate (purple_buddy_get_server_alias (buddy), -1, NULL));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  itest_add ("/hostile-texts/pushed-text", test_pushed_text, FALSE);
  itest_add ("/hostile-texts/caught-up-text", test_caught_up_text, FALSE);
  itest_add ("/hostile-texts/contact-name", test_contact_name, FALSE);
  return g_test_run ();
}
