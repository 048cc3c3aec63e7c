/* rcp-names.h: names of numbers from RingCentral contacts (names.c): buddy server aliases and the
 * titles of conversations with numbers that are not buddies. */
#pragma once

#include "rcp-account.h"

G_BEGIN_DECLS

/* Gives every buddy of the account whose number has a contact name that name as its server alias
 * (serv_got_alias: a local alias the user set still wins), and renames open IM conversations with
 * non-buddies. Called when the session's contacts changed. */
void rcp_names_apply (RcpAccount *ra);

/* Titles @conv (an IM with @who, E.164) "Name (+1 650-555-0123)" when @who has a contact name and
 * is not a buddy (a buddy's alias already names it). */
void rcp_names_title_conversation (RcpAccount *ra, PurpleConversation *conv, const char *who);

G_END_DECLS
