/* rcp-errors.h: RC_ERROR (and GIO) failures in libpurple's connection-error terms (errors.c). */
#pragma once

#include <purple.h>

G_BEGIN_DECLS

/* The PurpleConnectionError to report for a failure that ends (or prevents) the connection, and
 * the sentence to show (*description, newly allocated, never NULL). Transient failures map to
 * PURPLE_CONNECTION_ERROR_NETWORK_ERROR, the only reason the UIs reconnect after on their own. */
PurpleConnectionError rcp_error_to_connection_error (const GError *error, char **description);

/* TRUE when a failure of a background round (message sync while connected) means the session is
 * dead and the connection must end; FALSE when the next round may simply try again. */
gboolean rcp_error_is_session_fatal (const GError *error);

G_END_DECLS
