/* rcp-ipc.h: what another plugin may ask the RingCentral protocol plugin, and hear from it, through
 * libpurple plugin IPC (purple_plugin_ipc_call) and a signal on the protocol plugin's handle
 * (ipc.c). No shared globals: the Pidgin companion (pidgin/, the "From:" selector in conversation
 * windows) includes this header for the names and the shapes below, and nothing else of plugin/.
 * Needs only <purple.h> (and GLib's GVariant). */
#pragma once

#include <purple.h>

G_BEGIN_DECLS

/* The protocol plugin (the handle the IPC commands and the signal live on). */
#define RCP_IPC_PRPL_ID "prpl-ringcentral"
/* The Pidgin companion, loaded by the protocol plugin when it runs inside Pidgin. */
#define RCP_IPC_COMPANION_ID "gtk-ringcentral-from"
/* purple_core_get_ui() inside Pidgin (pidgin.h: PIDGIN_UI). */
#define RCP_IPC_PIDGIN_UI "gtk-gaim"

/* GVariant *list (PurpleConversation *conv)
 *   purple_plugin_ipc_call (prpl, RCP_IPC_LIST_SENDERS, &ok, conv)
 * The send-from numbers for @conv (an IM or chat of a connected RingCentral account), as /from
 * lists them: a new GVariant of type RCP_IPC_SENDERS_TYPE (the caller unrefs it), one entry per
 * number in /from order (entry i is what "/from i+1" picks):
 *   s e164     "+16505550100"
 *   s name     "+1 650-555-0100 (Direct)" (number and role, as one-line messages name it)
 *   s details  "+1 650-555-0100 (Direct) — SMS, MMS" (with capabilities, as /from lists it)
 *   b in_use   TRUE for the one number the next text here goes out from (design.md, "Which
 *              number a text goes out from": this conversation's choice, remembered choice,
 *              number the last incoming text reached, default, first that can text)
 *   s refusal  "" when the number can carry a text in this conversation, else the sentence that
 *              says why not and which number would (rc_senders_check(): a group text needs
 *              MmsSender, a recipient abroad InternationalSmsSender; fact sheet "Sending")
 * An empty array when the account has no number that can text. NULL when @conv is not an open
 * conversation of a connected RingCentral account, or its list of numbers is not loaded yet. */
#define RCP_IPC_LIST_SENDERS "ringcentral-list-senders"
#define RCP_IPC_SENDERS_TYPE "a(sssbs)"

/* gboolean choose (PurpleConversation *conv, const char *e164, char **refusal)
 *   GPOINTER_TO_INT (purple_plugin_ipc_call (prpl, RCP_IPC_CHOOSE_SENDER, &ok, conv, e164,
 *                                            &refusal))
 * Makes @e164 (one of the listed numbers; NULL or "" = back to the account default) the number
 * texts in @conv go out from, exactly as "/from <e164>" (or "/from default") does: remembered for
 * the buddy or chat, and the confirmation written into @conv. On TRUE *refusal is NULL. On FALSE
 * nothing changed and *refusal (if not NULL; g_free it) is the sentence to show the user: the
 * number cannot carry this conversation (the list's refusal), is no longer one of the numbers, or
 * the account is not signed in. */
#define RCP_IPC_CHOOSE_SENDER "ringcentral-choose-sender"

/* Signal on the protocol plugin's handle:
 *   void (*) (PurpleConversation *conv, gpointer data)
 *   purple_signal_connect (prpl, RCP_IPC_SENDER_CHANGED, handle, PURPLE_CALLBACK (cb), data)
 * Emitted (synchronously, once the change is in place) whenever the number @conv's next text goes
 * out from, or the list of numbers, may have changed: /from or a menu choice, the list loaded or
 * refreshed (a number added or removed), the account default changed, an incoming text that
 * moved the reply number. Ask RCP_IPC_LIST_SENDERS again; it may not have changed at all. */
#define RCP_IPC_SENDER_CHANGED "ringcentral-sender-changed"

/* Registers the IPC commands and the signal on @plugin and, inside Pidgin, loads the companion
 * once the core is up when it is installed and not loaded (Pidgin runs as well without it).
 * Called from the protocol plugin's load(); rcp_ipc_uninit() from unload(). */
void rcp_ipc_init (PurplePlugin *plugin);
void rcp_ipc_uninit (PurplePlugin *plugin);

G_END_DECLS
