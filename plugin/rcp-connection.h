/* rcp-connection.h: the connection's lifecycle (connection.c) and sending IMs (im.c). Internal to
 * plugin/. */
#pragma once

#include "rcp-account.h"

G_BEGIN_DECLS

/* PurplePluginProtocolInfo callbacks. */
void rcp_login (PurpleAccount *account);
void rcp_close (PurpleConnection *gc);
int rcp_send_im (PurpleConnection *gc, const char *who, const char *message,
                 PurpleMessageFlags flags);

/* Starts a message-sync round now (after a send, so replies and the sent record show up at once).
 * Coalesced with a round already running; failures are handled like the periodic ones. */
void rcp_connection_sync_now (RcpAccount *ra);

/* Writes @text (plain, escaped here) as an error line into the IM conversation with @who,
 * opening it when needed, so that a failure is never silent. */
void rcp_im_write_error (PurpleAccount *account, const char *who, const char *text);

G_END_DECLS
