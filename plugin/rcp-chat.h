/* rcp-chat.h: group texts as libpurple chats (chat.c). plugin.c wires these into the prpl info;
 * connection.c hands group messages from message sync to rcp_chat_got_message(). */
#pragma once

#include "rcp-account.h"
#include "rc-message.h"

G_BEGIN_DECLS

/* PurplePluginProtocolInfo callbacks, with prpl.h's exact signatures. */
GList *rcp_chat_info (PurpleConnection *gc);
GHashTable *rcp_chat_info_defaults (PurpleConnection *gc, const char *chat_name);
void rcp_join_chat (PurpleConnection *gc, GHashTable *components);
char *rcp_get_chat_name (GHashTable *components);
void rcp_chat_leave (PurpleConnection *gc, int id);
int rcp_chat_send (PurpleConnection *gc, int id, const char *message, PurpleMessageFlags flags);

/* An inbound group text from message sync (more than one other party on the thread, @msg->from
 * set): shows it in the group's chat, joining it first when needed. */
void rcp_chat_got_message (RcpAccount *ra, const RcMessage *msg);

G_END_DECLS
