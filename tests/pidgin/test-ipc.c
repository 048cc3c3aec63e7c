/* test-ipc.c: the protocol plugin's IPC for the Pidgin companion (plugin/rcp-ipc.h), headless
 * (real libpurple through the harness, the in-process simulator): what RCP_IPC_LIST_SENDERS says
 * for an IM and a group, RCP_IPC_CHOOSE_SENDER choosing as /from does or refusing with the reason,
 * and RCP_IPC_SENDER_CHANGED after /from, a choice, a refresh that removes a number, and an
 * incoming text that moves the reply number. */
#include "itest.h"
#include "rcp-ipc.h"

#include <string.h>

#define CONTACT "+16505550199" /* Echo Bot: answers every text */
#define DIRECT  "+16505550100" /* SMS, MMS */
#define MAIN    "+16505550101" /* SMS only */
#define SUPPORT "+18885550100" /* SMS only */
#define PEER_1  "+16505550177"
#define PEER_2  "+16505550178"

typedef struct {
  PurpleConversation *conv;
  guint count;
} Changed;

static void
changed_cb (PurpleConversation *conv, gpointer data)
{
  Changed *c = data;

  if (conv == c->conv)
    c->count++;
}

static gboolean
changed_pred (gpointer data)
{
  return ((Changed *)data)->count > 0;
}

typedef struct {
  RcpHarness *h;
  const char *name;
} ChatWait;

static gboolean
chat_open_pred (gpointer data)
{
  ChatWait *w = data;

  return rcp_harness_find_chat (w->h, w->name) != NULL;
}

static PurplePlugin *
prpl (void)
{
  PurplePlugin *plugin = purple_plugins_find_with_id (RCP_IPC_PRPL_ID);

  g_assert_nonnull (plugin);
  return plugin;
}

static GVariant *
list (PurpleConversation *conv)
{
  gboolean ok = FALSE;
  GVariant *senders = purple_plugin_ipc_call (prpl (), RCP_IPC_LIST_SENDERS, &ok, conv);

  g_assert_true (ok);
  if (senders != NULL)
    g_assert_true (g_variant_is_of_type (senders, G_VARIANT_TYPE (RCP_IPC_SENDERS_TYPE)));
  return senders;
}

static gboolean
choose (PurpleConversation *conv, const char *e164, char **refusal)
{
  gboolean ok = FALSE;
  gboolean chosen = GPOINTER_TO_INT (
      purple_plugin_ipc_call (prpl (), RCP_IPC_CHOOSE_SENDER, &ok, conv, e164, refusal));

  g_assert_true (ok);
  return chosen;
}

/* The E.164 of the entry in use (asserting there is exactly one). */
static char *
in_use (GVariant *senders)
{
  GVariantIter iter;
  const char *e164, *name, *details, *refusal;
  gboolean used;
  char *found = NULL;

  g_variant_iter_init (&iter, senders);
  while (g_variant_iter_next (&iter, "(&s&s&sb&s)", &e164, &name, &details, &used, &refusal))
    if (used) {
      g_assert_null (found);
      found = g_strdup (e164);
    }
  g_assert_nonnull (found);
  return found;
}

/* The refusal of the entry for @e164 ("" when it can carry the conversation). */
static char *
refusal_of (GVariant *senders, const char *want)
{
  GVariantIter iter;
  const char *e164, *name, *details, *refusal;
  gboolean used;

  g_variant_iter_init (&iter, senders);
  while (g_variant_iter_next (&iter, "(&s&s&sb&s)", &e164, &name, &details, &used, &refusal))
    if (g_str_equal (e164, want))
      return g_strdup (refusal);
  g_error ("%s is not listed", want);
  return NULL;
}

static void
test_im (void)
{
  g_autoptr (ITest) t = itest_signed_on ("demo.json", NULL, NULL);
  PurpleConversation *conv = rcp_harness_im (t->h, CONTACT);
  Changed changed = { conv, 0 };
  g_autoptr (GVariant) first = NULL;
  g_autoptr (GVariant) after = NULL;
  g_autoptr (GVariant) back = NULL;
  g_autofree char *refusal = NULL;
  g_autofree char *used = NULL;
  g_autofree char *sent = NULL;
  g_autofree char *error = NULL;
  const char *e164, *name, *details, *why;
  gboolean used_flag;

  purple_signal_connect (prpl (), RCP_IPC_SENDER_CHANGED, &changed, PURPLE_CALLBACK (changed_cb),
                         &changed);

  /* The list: the three texting numbers in /from order, the first in use, none refused. */
  first = list (conv);
  g_assert_cmpuint (g_variant_n_children (first), ==, 3);
  g_variant_get_child (first, 1, "(&s&s&sb&s)", &e164, &name, &details, &used_flag, &why);
  g_assert_cmpstr (e164, ==, MAIN);
  g_assert_cmpstr (name, ==, "+1 650-555-0101 (Main company number)");
  g_assert_nonnull (strstr (details, "SMS"));
  g_assert_false (used_flag);
  g_assert_cmpstr (why, ==, "");
  used = in_use (first);
  g_assert_cmpstr (used, ==, DIRECT);

  /* Choosing writes the confirmation, tells the UI, and the next text goes out from it. */
  g_assert_true (choose (conv, MAIN, &refusal));
  g_assert_null (refusal);
  g_assert_cmpuint (changed.count, >=, 1);
  g_assert_nonnull (rcp_harness_find_write (t->h, CONTACT, 0, "now go out from +1 650-555-0101"));
  after = list (conv);
  g_clear_pointer (&used, g_free);
  used = in_use (after);
  g_assert_cmpstr (used, ==, MAIN);
  rcp_harness_send_im (t->h, CONTACT, "via IPC");
  sent = itest_sent_from (t, 0);
  g_assert_cmpstr (sent, ==, MAIN);

  /* /from 1: the signal again, and the list follows. */
  changed.count = 0;
  g_assert_cmpint (rcp_harness_run_command (conv, "from 1", &error), ==, PURPLE_CMD_STATUS_OK);
  g_assert_cmpuint (changed.count, >=, 1);
  back = list (conv);
  g_clear_pointer (&used, g_free);
  used = in_use (back);
  g_assert_cmpstr (used, ==, DIRECT);

  /* Not a number of the account: refused, nothing changes. */
  changed.count = 0;
  g_assert_false (choose (conv, "+19995550100", &refusal));
  g_assert_nonnull (refusal);
  g_assert_nonnull (strstr (refusal, "no longer one of your send-from numbers"));
  g_assert_cmpuint (changed.count, ==, 0);
  g_clear_pointer (&refusal, g_free);

  /* "" is back to the default. */
  g_assert_true (choose (conv, "", &refusal));
  g_assert_nonnull (rcp_harness_find_write (t->h, CONTACT, 0, "no longer has its own send-from number"));
  purple_signals_disconnect_by_handle (&changed);
}

static void
test_group_marks (void)
{
  g_autoptr (ITest) t = itest_signed_on ("demo.json", NULL, NULL);
  g_autofree char *name = g_strdup (PEER_1 "," PEER_2);
  g_autoptr (GVariant) senders = NULL;
  g_autoptr (GVariant) again = NULL;
  g_autofree char *main_why = NULL;
  g_autofree char *direct_why = NULL;
  g_autofree char *refusal = NULL;
  g_autofree char *used = NULL;
  PurpleConversation *chat;
  Changed changed = { NULL, 0 };

  rcp_harness_join_chat (t->h, PEER_1 ", " PEER_2);
  g_assert_true (
      rcp_harness_wait_until (chat_open_pred, &(ChatWait){ t->h, name }, RCP_HARNESS_TIMEOUT_MS));
  chat = rcp_harness_find_chat (t->h, name);
  g_assert_nonnull (chat);
  changed.conv = chat;
  purple_signal_connect (prpl (), RCP_IPC_SENDER_CHANGED, &changed, PURPLE_CALLBACK (changed_cb),
                         &changed);

  /* A group needs MMS: the numbers without it are listed, marked with the reason. */
  senders = list (chat);
  g_assert_cmpuint (g_variant_n_children (senders), ==, 3);
  used = in_use (senders);
  g_assert_cmpstr (used, ==, DIRECT);
  direct_why = refusal_of (senders, DIRECT);
  g_assert_cmpstr (direct_why, ==, "");
  main_why = refusal_of (senders, MAIN);
  g_assert_nonnull (strstr (main_why, "MMS"));

  /* Choosing one is refused with that reason, and changes nothing. */
  g_assert_false (choose (chat, MAIN, &refusal));
  g_assert_cmpstr (refusal, ==, main_why);
  g_assert_cmpuint (changed.count, ==, 0);
  again = list (chat);
  g_clear_pointer (&used, g_free);
  used = in_use (again);
  g_assert_cmpstr (used, ==, DIRECT);
  purple_signals_disconnect_by_handle (&changed);
}

static void
test_list_changes (void)
{
  g_autoptr (ITest) t = itest_signed_on ("demo.json", NULL, NULL);
  PurpleConversation *conv = rcp_harness_im (t->h, CONTACT);
  Changed changed = { conv, 0 };
  g_autofree char *numbers = itest_numbers_without ("demo.json", MAIN);
  g_autoptr (GError) error = NULL;
  g_autoptr (GVariant) senders = NULL;
  g_autofree char *used = NULL;

  g_assert_true (choose (conv, MAIN, NULL));
  purple_signal_connect (prpl (), RCP_IPC_SENDER_CHANGED, &changed, PURPLE_CALLBACK (changed_cb),
                         &changed);

  /* The chosen number is removed on the server: a refresh tells the UI, which finds another. */
  g_assert_true (rc_sim_set_numbers (t->sim, numbers, &error));
  g_assert_true (rcp_harness_run_action (t->h, "Refresh Send-From Numbers"));
  g_assert_true (rcp_harness_wait_until (changed_pred, &changed, RCP_HARNESS_TIMEOUT_MS));
  senders = list (conv);
  g_assert_cmpuint (g_variant_n_children (senders), ==, 2);
  used = in_use (senders);
  g_assert_cmpstr (used, ==, DIRECT);

  /* A signed-off account's conversation has no list. */
  rcp_harness_sign_off (t->h);
  g_assert_null (list (conv));
  purple_signals_disconnect_by_handle (&changed);
}

static void
test_incoming (void)
{
  g_autoptr (ITest) t = itest_signed_on ("demo.json", NULL, NULL);
  PurpleConversation *conv = rcp_harness_im (t->h, PEER_1);
  Changed changed = { conv, 0 };
  g_autoptr (GVariant) before = NULL;
  g_autoptr (GVariant) after = NULL;
  g_autofree char *used = NULL;
  g_autofree char *id = NULL;

  before = list (conv);
  used = in_use (before);
  g_assert_cmpstr (used, ==, DIRECT);
  purple_signal_connect (prpl (), RCP_IPC_SENDER_CHANGED, &changed, PURPLE_CALLBACK (changed_cb),
                         &changed);

  /* A text to the support line: replies go out from it now, and the UI hears so. */
  id = rc_sim_add_inbound (t->sim, PEER_1, SUPPORT, "Are you open today?");
  g_assert_true (rcp_harness_wait_until (changed_pred, &changed, RCP_HARNESS_TIMEOUT_MS));
  after = list (conv);
  g_clear_pointer (&used, g_free);
  used = in_use (after);
  g_assert_cmpstr (used, ==, SUPPORT);
  purple_signals_disconnect_by_handle (&changed);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  itest_add ("/ipc/im", test_im, FALSE);
  itest_add ("/ipc/group-marks", test_group_marks, FALSE);
  itest_add ("/ipc/list-changes", test_list_changes, FALSE);
  itest_add ("/ipc/incoming", test_incoming, FALSE);
  return g_test_run ();
}
