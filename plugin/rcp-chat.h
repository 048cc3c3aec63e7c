/* rcp-chat.h: group texts as libpurple chats (chat.c). plugin.c wires the prpl callbacks;
 * dispatch.c hands over the inbox events of group threads. */
#pragma once

#include "rc-inbox.h"
#include "rcp-account.h"

G_BEGIN_DECLS

/* PurplePluginProtocolInfo callbacks, with prpl.h's exact signatures. */
GList *rcp_chat_info (PurpleConnection *gc);
GHashTable *rcp_chat_info_defaults (PurpleConnection *gc, const char *chat_name);
void rcp_join_chat (PurpleConnection *gc, GHashTable *components);
char *rcp_get_chat_name (GHashTable *components);
void rcp_chat_leave (PurpleConnection *gc, int id);
int rcp_chat_send (PurpleConnection *gc, int id, const char *message, PurpleMessageFlags flags);
/* chat_can_receive_file / chat_send_file: a file to the whole group as one MMS. */
gboolean rcp_chat_can_receive_file (PurpleConnection *gc, int id);
void rcp_chat_send_file (PurpleConnection *gc, int id, const char *filename);
/* get_cb_alias: a participant's name from RingCentral contacts, or NULL. */
char *rcp_chat_get_cb_alias (PurpleConnection *gc, int id, const char *who);

/* Frees @ra->chats (the open group threads); close() calls it before freeing @ra. */
void rcp_chats_free (RcpAccount *ra);

/* A group text received (RC_INBOX_RECEIVED) or sent from another device (RC_INBOX_SENT_ELSEWHERE):
 * shown in the chat of its thread, which is opened (joined) first when needed, with @extra_html
 * (its attachments, may be NULL) appended and @extra_flags added. */
void rcp_chat_got_text (RcpAccount *ra, const RcInboxEvent *event, const char *extra_html,
                        PurpleMessageFlags extra_flags);

/* A delivery status line (@line, plain) for a group text: written into its chat (opened for a
 * failure, only when open for a receipt). */
void rcp_chat_got_status (RcpAccount *ra, const RcInboxEvent *event, const char *line);

G_END_DECLS
