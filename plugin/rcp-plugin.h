/* rcp-plugin.h: plugin-wide set-up that has to wait for libpurple's core (plugin.c). */
#pragma once

#include <purple.h>

G_BEGIN_DECLS

/* Runs the set-up load() deferred (rcp_senders_init: commands and conversation signals) if it has
 * not run yet. libpurple loads protocol plugins while probing, before purple_conversations_init()
 * registers the conversation signals, so load() itself is too early. Called from an idle after
 * load() and from login (which only ever runs after core init), whichever comes first. */
void rcp_plugin_ensure_ready (void);

G_END_DECLS
