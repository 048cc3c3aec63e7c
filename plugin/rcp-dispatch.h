/* rcp-dispatch.h: the one place inbox events enter plugin/ (dispatch.c). connection.c connects
 * the session's inbox "event" signal here; a table maps each event kind, 1:1 or group, to its
 * handler in im.c or chat.c (like libpurple's irc parse.c message table). */
#pragma once

#include "rc-inbox.h"
#include "rcp-account.h"

G_BEGIN_DECLS

/* Shows @event (borrowed) in the UI through its handler. */
void rcp_dispatch_event (RcpAccount *ra, const RcInboxEvent *event);

G_END_DECLS
