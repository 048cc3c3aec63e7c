/* rcp-conv.h: writing lines into conversations, and the names of chats (conv.c). The lowest layer
 * of plugin/: it calls no other plugin/ file. */
#pragma once

#include <purple.h>

G_BEGIN_DECLS

/* System lines (the sender in use, notices): not logged. */
#define RCP_LINE_FLAGS (PURPLE_MESSAGE_SYSTEM | PURPLE_MESSAGE_NO_LOG)

/* Writes @text (plain; escaped here) as one line into @conv, also into a chat that is not joined
 * (purple_conversation_write() drops those, e.g. Finch's Join Chat placeholder). Under bitlbee,
 * which shows no system or error line, the line arrives as a message "[RingCentral] <text>" from
 * the contact (IM) or from "RingCentral" (chat), or as a notice in &bitlbee for a chat it does not
 * show. */
void rcp_conv_write_line (PurpleConversation *conv, const char *text, PurpleMessageFlags flags);

/* The IM conversation with @who, opened when needed. */
PurpleConversation *rcp_conv_im (PurpleAccount *account, const char *who);

/* Writes @text (plain) as an error line into the IM conversation with @who, opening it when
 * needed, so that a failure is never silent. */
void rcp_conv_write_im_error (PurpleAccount *account, const char *who, const char *text);

/* Whether the UI shows the number in use in the conversation title (Finch: the window's frame). */
gboolean rcp_conv_shows_sender (void);

/* Finch: makes @conv's title "<title> [from +1 650-555-0100]" (@e164: the number in use; NULL
 * drops the suffix) and redraws the IM window's frame. The suffix stays
 * when libpurple or names.c retitles the conversation (rcp_conv_updated_cb). Other UIs: nothing. */
void rcp_conv_show_sender (PurpleConversation *conv, const char *e164);

/* "conversation-updated" handler (connected by senders.c): puts the suffix back after a retitle. */
void rcp_conv_updated_cb (PurpleConversation *conv, PurpleConvUpdateType type, gpointer data);

/* Chat components (Join Chat fields; bitlbee and scripts use these keys): */
#define RCP_CHAT_RECIPIENTS   "recipients" /* the other numbers, as typed */
#define RCP_CHAT_FROM         "from"       /* optional: E.164 or a position in the /from list */
#define RCP_CHAT_PARTICIPANTS "participants" /* the recipients' key before 0.2 (saved chats) */

/* The recipients of a chat's components as typed (RCP_CHAT_RECIPIENTS, else the older
 * RCP_CHAT_PARTICIPANTS), or NULL; borrowed. */
const char *rcp_conv_chat_recipients (GHashTable *components);

/* The chat name ("+1...,+1...": rc_phone_list_canonical) for a chat's components, or the
 * recipients as typed when they are not a list of at least two numbers; NULL without them. */
char *rcp_conv_chat_name (GHashTable *components);

/* The recipients a text in @conv goes to (E.164, NULL-ended; g_strfreev): the IM's number, or the
 * chat's numbers (its name), read in the country of @context (E.164 or NULL); NULL when the name
 * is not made of numbers (a short code, a name). */
GStrv rcp_conv_recipients (PurpleConversation *conv, const char *context);

G_END_DECLS
