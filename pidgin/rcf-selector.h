/* rcf-selector.h: the "From: +1 650-555-0100 (Direct) ▾" selector in one Pidgin conversation
 * window (rcf-selector.c). It learns the numbers and chooses one only through the protocol
 * plugin's IPC (plugin/rcp-ipc.h). */
#pragma once

#include <purple.h>

G_BEGIN_DECLS

/* Debug category of the companion's log lines (pidgin -d). One line per change of what a selector
 * shows, which the Pidgin test reads:
 *   "selector <conversation name> shows <label>"      (the button's text, e.g. "From: +1 ... ▾")
 *   "selector <conversation name> chose <E.164|default>"
 *   "selector <conversation name> refused <sentence>" */
#define RCF_DEBUG "ringcentral-from"

/* Puts a selector into @conv's Pidgin window (once; again when Pidgin dropped it) and shows the
 * number in use. Only for conversations of RingCentral accounts shown by Pidgin; others are
 * ignored. @prpl: the protocol plugin (where the IPC commands live). */
void rcf_selector_attach (PurpleConversation *conv, PurplePlugin *prpl);

/* Asks the protocol plugin again and updates what @conv's selector shows (nothing without one). */
void rcf_selector_refresh (PurpleConversation *conv);

/* Forgets @conv (it is being deleted); its widgets go with its window. */
void rcf_selector_forget (PurpleConversation *conv);

/* Removes @conv's selector from its window (the companion is being unloaded). */
void rcf_selector_remove (PurpleConversation *conv);

G_END_DECLS
