/* rcp-account.h: the per-connection state every plugin/ file shares. */
#pragma once

#include <purple.h>

#include "rc-client.h"
#include "rc-numbers.h"
#include "rc-sync.h"

G_BEGIN_DECLS

#define RCP_PRPL_ID "prpl-ringcentral"

typedef struct {
  PurpleAccount *account;
  PurpleConnection *gc;
  RcClient *client;
  RcSync *sync;
  GCancellable *cancellable; /* cancelled in close(): every async callback checks it first */
  GPtrArray *senders;        /* RcPhoneNumber*: texting numbers in server order; empty until loaded */
  gboolean senders_loaded;   /* TRUE after the first complete, successful fetch */
  guint sync_timer;
  gboolean no_texting_notified;
  GHashTable *last_incoming_to; /* normalised who (E.164, or chat name) → our E.164 it last reached */
  GHashTable *chats; /* chat.c: chat id → its group thread; free with rcp_chats_free() */
  GHashTable *registration_warned; /* E.164 set: unregistered senders already warned about */
} RcpAccount;

/* The state of a connected account's connection, or NULL. */
RcpAccount *rcp_account_from_gc (PurpleConnection *gc);

G_END_DECLS
