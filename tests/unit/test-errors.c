/* test-errors.c: RC_ERROR → PurpleConnectionError (plugin/errors.c). */
#include <gio/gio.h>

#include "rc-error.h"
#include "rcp-errors.h"

typedef struct {
  GQuark domain;
  int code;
  PurpleConnectionError reason;
  gboolean session_fatal;
} Case;

static void
test_table (void)
{
  const Case cases[] = {
    { RC_ERROR, RC_ERROR_AUTH_FAILED, PURPLE_CONNECTION_ERROR_AUTHENTICATION_FAILED, TRUE },
    { RC_ERROR, RC_ERROR_TOKEN_EXPIRED, PURPLE_CONNECTION_ERROR_AUTHENTICATION_FAILED, TRUE },
    { RC_ERROR, RC_ERROR_NETWORK, PURPLE_CONNECTION_ERROR_NETWORK_ERROR, FALSE },
    { RC_ERROR, RC_ERROR_RATE_LIMITED, PURPLE_CONNECTION_ERROR_NETWORK_ERROR, FALSE },
    { RC_ERROR, RC_ERROR_BAD_RESPONSE, PURPLE_CONNECTION_ERROR_NETWORK_ERROR, FALSE },
    { RC_ERROR, RC_ERROR_SYNC_RESET, PURPLE_CONNECTION_ERROR_NETWORK_ERROR, FALSE },
    { RC_ERROR, RC_ERROR_INVALID_SETTINGS, PURPLE_CONNECTION_ERROR_INVALID_SETTINGS, FALSE },
    { RC_ERROR, RC_ERROR_NOT_PERMITTED, PURPLE_CONNECTION_ERROR_OTHER_ERROR, FALSE },
    { RC_ERROR, RC_ERROR_INVALID_INPUT, PURPLE_CONNECTION_ERROR_OTHER_ERROR, FALSE },
    { RC_ERROR, RC_ERROR_NOT_FOUND, PURPLE_CONNECTION_ERROR_OTHER_ERROR, FALSE },
    { G_IO_ERROR, G_IO_ERROR_TIMED_OUT, PURPLE_CONNECTION_ERROR_NETWORK_ERROR, FALSE },
    { G_RESOLVER_ERROR, G_RESOLVER_ERROR_NOT_FOUND, PURPLE_CONNECTION_ERROR_NETWORK_ERROR, FALSE },
    { G_TLS_ERROR, G_TLS_ERROR_BAD_CERTIFICATE, PURPLE_CONNECTION_ERROR_CERT_OTHER_ERROR, FALSE },
    { G_FILE_ERROR, G_FILE_ERROR_NOENT, PURPLE_CONNECTION_ERROR_OTHER_ERROR, FALSE },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++) {
    g_autoptr (GError) error = g_error_new_literal (cases[i].domain, cases[i].code, "Why.");
    g_autofree char *description = NULL;

    g_test_message ("case %" G_GSIZE_FORMAT, i);
    g_assert_cmpint (rcp_error_to_connection_error (error, &description), ==, cases[i].reason);
    g_assert_nonnull (description);
    g_assert_cmpint (rcp_error_is_session_fatal (error), ==, cases[i].session_fatal);
  }
}

/* Network failures must stay transient: only for those do Pidgin and Finch reconnect. */
static void
test_transient_is_not_fatal (void)
{
  g_autoptr (GError) error = g_error_new_literal (RC_ERROR, RC_ERROR_NETWORK, "Down.");
  g_autofree char *description = NULL;

  g_assert_false (
      purple_connection_error_is_fatal (rcp_error_to_connection_error (error, &description)));
  g_assert_cmpstr (description, ==, "Down.");
}

static void
test_auth_description (void)
{
  g_autoptr (GError) error
      = g_error_new_literal (RC_ERROR, RC_ERROR_AUTH_FAILED, "Invalid JWT. (OAU-213)");
  g_autofree char *description = NULL;

  rcp_error_to_connection_error (error, &description);
  g_assert_cmpstr (description, ==, "RingCentral refused the sign-in: Invalid JWT. (OAU-213)");
}

static void
test_settings_description_kept (void)
{
  g_autoptr (GError) error = g_error_new_literal (RC_ERROR, RC_ERROR_INVALID_SETTINGS,
                                                  "The server URL must start with https://.");
  g_autofree char *description = NULL;

  rcp_error_to_connection_error (error, &description);
  g_assert_cmpstr (description, ==, "The server URL must start with https://.");
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/errors/table", test_table);
  g_test_add_func ("/errors/transient-is-not-fatal", test_transient_is_not_fatal);
  g_test_add_func ("/errors/auth-description", test_auth_description);
  g_test_add_func ("/errors/settings-description-kept", test_settings_description_kept);
  return g_test_run ();
}
