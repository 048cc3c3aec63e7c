/* rcp-connection.h: the connection's lifecycle (connection.c): login creates the RcSession from
 * the account settings and renders its signals (progress, connected, disconnected, tokens and
 * sync state to persist); the session's inbox events go to dispatch.c; close() frees it all. */
#pragma once

#include "rcp-account.h"

G_BEGIN_DECLS

/* PurplePluginProtocolInfo callbacks. */
void rcp_login (PurpleAccount *account);
void rcp_close (PurpleConnection *gc);

G_END_DECLS
