/* test-keyring.c: secrets in a Secret Service keyring. The program runs itself again inside its
 * own session bus (dbus-run-session) with a GNOME Keyring daemon unlocked by a known password,
 * under a throw-away HOME, so no real keyring is touched; skipped (with the reason) when either
 * tool or libsecret is missing. Checks: after sign-on the client secret and the tokens are in the
 * keyring and blank in accounts.xml; a second run (new process, same user dir, no JWT) reads them
 * back and signs on without a new grant. Without a keyring (every other integration test runs
 * without a session bus) they stay in accounts.xml as before. */
#include "itest.h"

#include <glib/gstdio.h>
#include <libsecret/secret.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#define USERNAME "keyring@example.com"

static const SecretSchema schema = {
  "im.pidgin.purple.ringcentral",
  SECRET_SCHEMA_NONE,
  {
      { "account", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { "protocol", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { "kind", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { NULL, 0 },
  },
};

static char *
keyring_get (const char *kind)
{
  g_autoptr (GError) error = NULL;
  char *value = secret_password_lookup_sync (&schema, NULL, &error, "account", USERNAME, "protocol",
                                             "prpl-ringcentral", "kind", kind, NULL);

  g_assert_no_error (error);
  return value;
}

static gboolean
tokens_stored (gpointer data)
{
  g_autofree char *access = keyring_get ("oauth_access_token");
  g_autofree char *refresh = keyring_get ("oauth_refresh_token");

  return access != NULL && refresh != NULL;
}

static gboolean
blank (PurpleAccount *account, const char *key)
{
  const char *value = purple_account_get_string (account, key, NULL);

  return value == NULL || *value == '\0';
}

static gboolean
secrets_moved (gpointer data)
{
  PurpleAccount *account = data;

  return blank (account, "client_secret") && blank (account, "oauth_access_token")
         && blank (account, "oauth_refresh_token");
}

/* ---- the second run (child process) ---- */

static int
child_fail (const char *what)
{
  printf ("FAIL %s\n", what);
  fflush (stdout);
  return 1;
}

static int
child_reads_back (const char *user_dir)
{
  RcpHarness *h;
  PurpleAccount *account;

  rcp_harness_core_init (user_dir);
  h = rcp_harness_new ();
  account = rcp_harness_adopt_account (h, USERNAME);
  if (!secrets_moved (account))
    return child_fail ("a secret is still in accounts.xml");
  /* No JWT: only the tokens in the keyring can sign this account on. */
  purple_account_set_password (account, NULL);
  rcp_harness_sign_on_ok (h);
  if (!secrets_moved (account))
    return child_fail ("a secret came back into accounts.xml");
  rcp_harness_free (h);
  rcp_harness_core_quit ();
  printf ("OK\n");
  fflush (stdout);
  return 0;
}

/* ---- the first run ---- */

static void
test_tokens_in_keyring (void)
{
  g_autofree char *user_dir = g_dir_make_tmp ("rcp-keyring-XXXXXX", NULL);
  g_autoptr (ITest) t = NULL;
  g_autofree char *access = NULL;
  g_autofree char *refresh = NULL;
  g_autofree char *secret = NULL;
  g_autofree char *output = NULL;
  g_autofree char *xml = NULL;
  g_autofree char *xml_path = NULL;
  RcSimRequest *last;
  const char *args[] = { "--keyring-child", user_dir, NULL };
  int status = -1;
  guint mark;

  rcp_harness_core_init (user_dir);
  t = itest_new ("basic.json", USERNAME);
  rcp_harness_sign_on_ok (t->h);
  /* Moved into the keyring, then blanked in accounts.xml. */
  g_assert_true (rcp_harness_wait_until (secrets_moved, t->account, RCP_HARNESS_TIMEOUT_MS));
  g_assert_true (rcp_harness_wait_until (tokens_stored, NULL, RCP_HARNESS_TIMEOUT_MS));
  /* The stores' answers are handled before libpurple (and the plugin) go away. */
  rcp_harness_run_for (500);
  access = keyring_get ("oauth_access_token");
  refresh = keyring_get ("oauth_refresh_token");
  secret = keyring_get ("client_secret");
  g_assert_nonnull (access);
  g_assert_nonnull (refresh);
  g_assert_cmpstr (secret, ==, RCP_HARNESS_CLIENT_SECRET);
  last = g_ptr_array_index (rc_sim_get_requests (t->sim), rc_sim_get_requests (t->sim)->len - 1);
  g_assert_cmpstr (last->bearer_token, ==, access);

  rcp_harness_core_quit (); /* writes accounts.xml */
  xml_path = g_build_filename (user_dir, "accounts.xml", NULL);
  g_assert_true (g_file_get_contents (xml_path, &xml, NULL, NULL));
  g_assert_null (strstr (xml, access));
  g_assert_null (strstr (xml, refresh));
  g_assert_null (strstr (xml, RCP_HARNESS_CLIENT_SECRET));

  /* Second run: a new process reads them back. */
  mark = rc_sim_get_requests (t->sim)->len;
  output = itest_run_self (t, args, NULL, NULL, &status);
  g_test_message ("second run said:\n%s", output);
  g_assert_cmpint (status, ==, 0);
  g_assert_nonnull (strstr (output, "OK\n"));
  g_assert_cmpuint (itest_count_grants (t, JWT_GRANT, mark), ==, 0);
  g_assert_cmpuint (rc_sim_get_requests (t->sim)->len, >, mark);
}

/* Runs this program again inside its own session bus with an unlocked GNOME Keyring. */
static int
reexec_in_bus (int argc, char **argv)
{
  g_autofree char *bus = g_find_program_in_path ("dbus-run-session");
  g_autofree char *daemon = g_find_program_in_path ("gnome-keyring-daemon");
  g_autofree char *home = NULL;
  g_autofree char *runtime = NULL;
  g_autofree char *self = g_file_read_link ("/proc/self/exe", NULL);
  GPtrArray *args;

  if (bus == NULL || daemon == NULL) {
    printf ("1..0 # SKIP dbus-run-session or gnome-keyring-daemon is not installed "
            "(scripts/install-deps installs them)\n");
    return 0;
  }
  home = g_dir_make_tmp ("rcp-keyring-home-XXXXXX", NULL);
  runtime = g_build_filename (home, "run", NULL);
  g_mkdir_with_parents (runtime, 0700);
  g_setenv ("HOME", home, TRUE);
  g_setenv ("XDG_DATA_HOME", home, TRUE);
  g_setenv ("XDG_RUNTIME_DIR", runtime, TRUE);
  g_setenv ("RCP_KEYRING_BUS", "1", TRUE);
  g_unsetenv ("DISPLAY"); /* no password prompt may ever wait for a user */
  args = g_ptr_array_new ();
  g_ptr_array_add (args, bus);
  g_ptr_array_add (args, "--");
  g_ptr_array_add (args, "sh");
  g_ptr_array_add (args, "-c");
  g_ptr_array_add (args, "printf itest-password | gnome-keyring-daemon --unlock "
                         "--components=secrets >/dev/null && exec \"$0\" \"$@\"");
  g_ptr_array_add (args, self); /* not /proc/self/exe: inside sh that is sh */
  for (int i = 1; i < argc; i++)
    g_ptr_array_add (args, argv[i]);
  g_ptr_array_add (args, NULL);
  fflush (stdout);
  execv (bus, (char **)args->pdata);
  printf ("1..0 # SKIP could not run dbus-run-session\n");
  return 0;
}

int
main (int argc, char **argv)
{
  if (argc == 3 && g_strcmp0 (argv[1], "--keyring-child") == 0)
    return child_reads_back (argv[2]);
  if (g_getenv ("RCP_KEYRING_BUS") == NULL)
    return reexec_in_bus (argc, argv);

  g_test_init (&argc, &argv, NULL);
  itest_add ("/keyring/tokens-in-keyring", test_tokens_in_keyring, FALSE);
  return g_test_run ();
}
