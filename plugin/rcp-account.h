/* rcp-account.h: the per-connection state (account.c). Each field has one module that creates
 * and frees it, named beside it. */
#pragma once

#include <purple.h>

#include "rc-session.h"

G_BEGIN_DECLS

#define RCP_PRPL_ID "prpl-ringcentral"

typedef struct {
  PurpleAccount *account;    /* connection.c */
  PurpleConnection *gc;      /* connection.c */
  RcSession *session;        /* connection.c: client, send-from list, sync, push, inbox */
  GCancellable *cancellable; /* connection.c: cancelled in close(); async callbacks check it */
  guint state_save_id;       /* connection.c: debounced "state-changed" write */
  GHashTable *chats;         /* chat.c (rcp_chats_free): chat id → its group thread */
  /* senders.c (rcp_senders_free_state): */
  gboolean no_texting_notified;
  GHashTable *registration_warned; /* E.164 set: unregistered senders already warned about */
} RcpAccount;

/* The state of a connected account's connection, or NULL. */
RcpAccount *rcp_account_from_gc (PurpleConnection *gc);

/* The state of @account when it is ours and connected, else NULL. */
RcpAccount *rcp_account_from_account (PurpleAccount *account);

/* TRUE when @account belongs to this plugin. */
gboolean rcp_account_is_ours (PurpleAccount *account);

/* The send-from numbers (RcPhoneNumber*, never NULL; empty until loaded), borrowed. */
GPtrArray *rcp_account_senders (RcpAccount *ra);

/* TRUE once the send-from list has been loaded. */
gboolean rcp_account_senders_loaded (RcpAccount *ra);

G_END_DECLS
