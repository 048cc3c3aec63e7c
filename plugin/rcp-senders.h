/* rcp-senders.h: the send-from choice in libpurple terms (senders.c). */
#pragma once

#include "rcp-account.h"

G_BEGIN_DECLS

/* Registers /from (IM and chat) and the conversation signals; called from the plugin's load(). */
void rcp_senders_init (PurplePlugin *plugin);
void rcp_senders_uninit (PurplePlugin *plugin);

/* Protocol actions ("Set Default Send-From Number...", "Refresh Send-From Numbers") for actions(). */
GList *rcp_senders_actions (PurplePlugin *plugin, gpointer context);
/* Buddy/chat node menu items ("Send From" submenu) for blist_node_menu(). */
GList *rcp_senders_blist_node_menu (PurpleBlistNode *node);

/* Called by connection.c after every complete, successful fetch of the sender list (ra->senders
 * already replaced): drops remembered choices that no longer exist (with a notice naming them),
 * and tells the user once per sign-on when there is no texting number at all. */
void rcp_senders_list_updated (RcpAccount *ra, GPtrArray *old_senders);

/* The number a text to @who (IM: E.164 buddy name; chat: chat name) goes out from, in the design's
 * order: this conversation's choice → remembered for the buddy/chat → last incoming → default_from →
 * first that can text. @conv may be NULL. NULL when the account has no texting number. */
const RcPhoneNumber *rcp_senders_pick (RcpAccount *ra, PurpleConversation *conv, const char *who,
                                       PurpleConversationType type);

/* Remembers which of our numbers the last incoming text from @who reached. */
void rcp_senders_note_incoming (RcpAccount *ra, const char *who, const char *our_e164);

/* A text that starts with "/from" arriving through send_im/chat_send (bitlbee passes commands
 * through): runs it as the command would, writing its output into @conv. */
void rcp_senders_run_from_text (RcpAccount *ra, PurpleConversation *conv, const char *text);

/* Before a text goes out from @sender: when its texting registration is known not to be
 * confirmed, says so once per number and sign-on in @conv (the text still goes out). */
void rcp_senders_warn_unregistered (RcpAccount *ra, PurpleConversation *conv,
                                    const RcPhoneNumber *sender);

G_END_DECLS
