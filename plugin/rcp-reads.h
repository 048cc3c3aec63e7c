/* rcp-reads.h: telling RingCentral which texts the user has seen (reads.c), so that the phone app
 * stops showing them unread. A reply marks a conversation read too (im.c, chat.c call
 * rc_session_mark_read() directly). */
#pragma once

#include <purple.h>

G_BEGIN_DECLS

/* Connects "conversation-updated": when a UI clears a conversation's unseen count (Pidgin does
 * when its window is viewed; "unseen-count" conversation data), its texts are marked Read. */
void rcp_reads_init (PurplePlugin *plugin);

G_END_DECLS
