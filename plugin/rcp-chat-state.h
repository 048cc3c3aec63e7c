/* rcp-chat-state.h: chat.c's per-connection state and helpers senders.c and chat.c share. */
#pragma once

#include "rcp-account.h"

G_BEGIN_DECLS

/* Frees @ra->chats (the open group threads); close() calls it before freeing @ra. */
void rcp_chats_free (RcpAccount *ra);

/* The canonical chat name ("+1...,+1...": sorted, deduplicated E.164) for a typed list of numbers
 * (national numbers read as +1), or NULL when @text is not such a list. */
char *rcp_chat_canonical (const char *text);

/* Writes "Sending from +1 650-555-0100 (Direct)" (or that there is no texting number) into @conv,
 * for a text to @who (IM: buddy name; chat: canonical chat name). */
void rcp_senders_announce (RcpAccount *ra, PurpleConversation *conv, const char *who,
                           PurpleConversationType type);

/* Writes @text (plain; escaped here) as one line into @conv, also into a chat that is not joined
 * (purple_conversation_write() drops those). */
void rcp_conv_write_line (PurpleConversation *conv, const char *text, PurpleMessageFlags flags);

/* "+1 650-555-0100 (Direct)": the short form of a sender used in one-line messages. */
char *rcp_senders_short_name (const RcPhoneNumber *sender);

/* A number as the user may have typed it in the account editor, normalised when possible. */
char *rcp_senders_normalize_setting (const char *value);

G_END_DECLS
