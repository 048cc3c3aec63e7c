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

/* Fetches the send-from list (rc_numbers_fetch_senders_async) and, before handing it out, each
 * number's texting registration (rc_registration_fetch_async): optional, its failures only leave
 * UNKNOWN, and after a few seconds the list is handed out anyway (the rest is filled in in place).
 * Used at sign-on and by "Refresh Send-From Numbers". The finish gives the new list
 * (RcPhoneNumber*) or the list fetch's error (or cancellation: check the connection still exists).
 */
void rcp_connection_fetch_senders_async (RcpAccount *ra, GAsyncReadyCallback callback,
                                         gpointer user_data);
GPtrArray *rcp_connection_fetch_senders_finish (GAsyncResult *result, GError **error);

/* Writes @text (plain, escaped here) as an error line into the IM conversation with @who,
 * opening it when needed, so that a failure is never silent. */
void rcp_im_write_error (PurpleAccount *account, const char *who, const char *text);

G_END_DECLS
