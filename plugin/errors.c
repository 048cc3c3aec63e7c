/* errors.c: RC_ERROR → PurpleConnectionError, apart so that a unit test can cover the table. */
#include "rcp-errors.h"

#include <gio/gio.h>
#include <glib/gi18n-lib.h>

#include "rc-error.h"

PurpleConnectionError
rcp_error_to_connection_error (const GError *error, char **description)
{
  PurpleConnectionError reason;
  const char *message;

  g_return_val_if_fail (description != NULL, PURPLE_CONNECTION_ERROR_OTHER_ERROR);

  if (error == NULL) {
    *description = g_strdup (_ ("Unknown error"));
    return PURPLE_CONNECTION_ERROR_OTHER_ERROR;
  }
  message = error->message ? error->message : _ ("Unknown error");

  if (error->domain == RC_ERROR) {
    switch ((RcErrorCode)error->code) {
      case RC_ERROR_AUTH_FAILED:
      /* The client already refreshed and retried once: a 401 that survives is dead credentials. */
      case RC_ERROR_TOKEN_EXPIRED:
        *description = g_strdup_printf (_ ("RingCentral refused the sign-in: %s"), message);
        return PURPLE_CONNECTION_ERROR_AUTHENTICATION_FAILED;

      case RC_ERROR_INVALID_SETTINGS:
        reason = PURPLE_CONNECTION_ERROR_INVALID_SETTINGS;
        break;

      case RC_ERROR_NETWORK:
      case RC_ERROR_RATE_LIMITED:
      case RC_ERROR_SYNC_RESET:
      /* A body we cannot parse comes from a server mid-deploy, a captive portal or a proxy far
       * more often than from a permanent change: NETWORK_ERROR lets Pidgin and Finch reconnect
       * with back-off, where a fatal reason would disable the account until the user acts. */
      case RC_ERROR_BAD_RESPONSE:
        reason = PURPLE_CONNECTION_ERROR_NETWORK_ERROR;
        break;

      /* 403/400/404 while signing in mean this app or login may not do what we need: retrying
       * would fail the same way, so it is fatal and the message says why. */
      case RC_ERROR_NOT_PERMITTED:
      case RC_ERROR_INVALID_INPUT:
      case RC_ERROR_NOT_FOUND:
      default:
        reason = PURPLE_CONNECTION_ERROR_OTHER_ERROR;
        break;
    }
  } else if (error->domain == G_TLS_ERROR)
    reason = PURPLE_CONNECTION_ERROR_CERT_OTHER_ERROR;
  else if (error->domain == G_IO_ERROR || error->domain == G_RESOLVER_ERROR)
    reason = PURPLE_CONNECTION_ERROR_NETWORK_ERROR;
  else
    reason = PURPLE_CONNECTION_ERROR_OTHER_ERROR;

  *description = g_strdup (message);
  return reason;
}

gboolean
rcp_error_is_session_fatal (const GError *error)
{
  if (error == NULL || error->domain != RC_ERROR)
    return FALSE;
  return error->code == RC_ERROR_AUTH_FAILED || error->code == RC_ERROR_TOKEN_EXPIRED;
}
