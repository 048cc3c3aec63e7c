/* rcp-senders.h: the send-from choice in libpurple terms (senders.c). */
#pragma once

#include "rcp-account.h"

G_BEGIN_DECLS

/* Registers /from (IM and chat) and the conversation signals; called from the plugin's load(). */
void rcp_senders_init (PurplePlugin *plugin);
void rcp_senders_uninit (PurplePlugin *plugin);

/* Told when the number a conversation's next text goes out from may have changed: @conv's
 * (/from, a menu, a remembered choice, an incoming text that moved the reply number), or, with
 * @conv NULL, any open conversation of @account's (the list of numbers was loaded or changed, the
 * default changed). Called synchronously, after the change is in place. */
typedef void (*RcpSendersChangedFunc) (PurpleAccount *account, PurpleConversation *conv);

/* Sets the one hook (ipc.c: the "ringcentral-sender-changed" signal); NULL removes it. */
void rcp_senders_set_changed_hook (RcpSendersChangedFunc func);

/* The number in use in @conv (NULL: every conversation of @account) may have changed: Finch
 * titles follow (rcp_conv_show_sender) and the hook is called (nothing when none is set). */
void rcp_senders_changed (PurpleAccount *account, PurpleConversation *conv);

/* Buddy/chat node menu items ("Send From" submenu) for blist_node_menu(). */
GList *rcp_senders_blist_node_menu (PurpleBlistNode *node);

/* Called (connection.c) after every "changed" of the send-from list: drops remembered choices that
 * no longer exist (with a notice naming them), and tells the user once per sign-on when there is
 * no texting number at all. */
void rcp_senders_list_updated (RcpAccount *ra);


/* Frees what senders.c keeps in @ra (close() calls it). */
void rcp_senders_free_state (RcpAccount *ra);

/* The number a text to @who (IM: E.164 buddy name; chat: chat name) goes out from, in the design's
 * order: this conversation's choice → remembered for the buddy/chat → the number the last incoming
 * text of this conversation reached (kept across restarts) → default_from → first that can text.
 * @conv may be NULL. NULL when the account has no texting number. */
const RcPhoneNumber *rcp_senders_pick (RcpAccount *ra, PurpleConversation *conv, const char *who,
                                       PurpleConversationType type);

/* The number remembered for @who (buddy, chat, or from_map; an E.164 as stored), or NULL. */
char *rcp_senders_remembered (RcpAccount *ra, const char *who, PurpleConversationType type);

/* Remembers @sender for @who as /from would (buddy or chat node, else from_map; a saved chat's
 * "from" component follows), without writing a line. */
void rcp_senders_remember (RcpAccount *ra, const char *who, PurpleConversationType type,
                           const RcPhoneNumber *sender);

/* The number a group text starts from when none was chosen: the account default when it has
 * MmsSender, else the first number with MmsSender; NULL when none has it. */
const RcPhoneNumber *rcp_senders_group_default (RcpAccount *ra);

/* Remembers (in the account settings, so across restarts) which of our numbers the last incoming
 * text of @thread reached (an RcInboxEvent thread: E.164 or a chat name). */
void rcp_senders_note_incoming (RcpAccount *ra, const char *thread, const char *our_e164);

/* Writes "Sending from +1 650-555-0100 (Direct)" (or why nothing can be sent) into @conv, for a
 * text to @who (IM: buddy name; chat: canonical chat name). */
void rcp_senders_announce (RcpAccount *ra, PurpleConversation *conv, const char *who,
                           PurpleConversationType type);

/* "+1 650-555-0100 (Direct)": the short form of a sender used in one-line messages. */
char *rcp_senders_short_name (const RcPhoneNumber *sender);


/* A text that starts with "/from" arriving through send_im/chat_send (bitlbee passes commands
 * through): runs it as the command would, writing its output into @conv. */
void rcp_senders_run_from_text (RcpAccount *ra, PurpleConversation *conv, const char *text);

/* Before a text goes out from @sender: when its texting registration is known not to be
 * confirmed, says so once per number and sign-on in @conv (the text still goes out). */
void rcp_senders_warn_unregistered (RcpAccount *ra, PurpleConversation *conv,
                                    const RcPhoneNumber *sender);

/* Protocol actions ("Set Default Send-From Number...", "Show/Refresh Send-From Numbers") for
 * actions() (senders-actions.c). */
GList *rcp_senders_actions (PurplePlugin *plugin, gpointer context);

G_END_DECLS
