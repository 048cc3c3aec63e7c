/* rcp-network.h: what the network means for an account (network.c): the proxy libpurple is set
 * to use for it, and rate-limit waits told in the conversation of the held text. Calls only
 * rcp-conv.h. */
#pragma once

#include <purple.h>

G_BEGIN_DECLS

/* The proxy for @account as rc_client_set_proxy() takes it (newly allocated, may be NULL): the
 * account's own proxy setting, else the global one (purple_proxy_get_setup()).
 *   "Use Environmental Settings" → NULL (GLib's resolver: http_proxy/https_proxy/no_proxy);
 *   "No Proxy" → "direct://";
 *   HTTP / SOCKS 4 / SOCKS 5 / Tor → "http://", "socks4://", "socks5://" (Tor: SOCKS 5, host
 *   names resolved by the proxy) with the percent-encoded user name and password when set.
 * The result may hold a password: never log it. */
char *rcp_network_proxy_uri (PurpleAccount *account);

/* A text to @key (an RcOutgoing conversation key: the E.164 of a 1:1 conversation or a chat
 * name) waits @seconds for a RingCentral rate limit (RcClient "rate-limited"): writes "Waiting N s
 * (RingCentral rate limit)…" once into that conversation (opened for a 1:1 text; a chat only when
 * open). The text goes out by itself afterwards; nothing else is written. */
void rcp_network_rate_limited (PurpleAccount *account, const char *key, guint seconds);

G_END_DECLS
