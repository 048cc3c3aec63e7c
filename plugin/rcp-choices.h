/* rcp-choices.h: where send-from choices are kept (choices.c): the number chosen for a buddy or a
 * chat (its buddy-list node, else the account's from_map), and the number each conversation last
 * received a text on (reply_map), both across restarts. Storage only: senders.c decides. */
#pragma once

#include "rcp-account.h"

G_BEGIN_DECLS

/* Account settings: "key=E.164;key=E.164", keys as rcp_choices_key() gives them. */
#define RCP_CHOICES_FROM_MAP  "from_map"
#define RCP_CHOICES_REPLY_MAP "reply_map"
/* Buddy and chat node setting of the chosen number. */
#define RCP_CHOICES_NODE_KEY "rc-from"
/* Entries kept in reply_map (when full, arbitrary old ones make room). */
#define RCP_CHOICES_REPLY_MAX 500

/* The key a choice is kept under: IM names as E.164 when they parse, chat names as their
 * canonical sorted E.164 list (rc_phone_list_canonical), else as given. NULL for NULL. */
char *rcp_choices_key (const char *who, PurpleConversationType type);

/* A number as the user may have typed it in the account editor, normalised when possible. */
char *rcp_choices_normalize_setting (const char *value);

/* The number chosen for @key (node setting, else from_map), or NULL. */
char *rcp_choices_get (PurpleAccount *account, const char *key, PurpleConversationType type);

/* Keeps @e164 for @key (NULL forgets): on the buddy/chat node when there is one (a saved chat's
 * "from" component follows), else in from_map. */
void rcp_choices_set (PurpleAccount *account, const char *key, PurpleConversationType type,
                      const char *e164);

/* The number the last incoming text of @key reached, or NULL. */
char *rcp_choices_reply_get (PurpleAccount *account, const char *key);
/* Keeps @e164 as that number; FALSE when it was already so. */
gboolean rcp_choices_reply_set (PurpleAccount *account, const char *key, const char *e164);

/* Forgets every kept choice (default_from, from_map, buddy and chat nodes) whose number is not
 * one of @senders (RcPhoneNumber*); the forgotten numbers are added to @gone (char* E.164, each
 * once). */
void rcp_choices_drop_missing (PurpleAccount *account, GPtrArray *senders, GPtrArray *gone);

G_END_DECLS
