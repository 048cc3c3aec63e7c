/* rc-sync.h: catching up with the message store (message-sync FSync, then ISync). */
#pragma once

#include <gio/gio.h>

#include "rc-client.h"
#include "rc-message.h"

G_BEGIN_DECLS

#define RC_TYPE_SYNC (rc_sync_get_type ())
G_DECLARE_FINAL_TYPE (RcSync, rc_sync, RC, SYNC, GObject)

/* Signals:
 *   "message" (RcMessage *message): an SMS record not reported before (by id), oldest first.
 *             Only type "SMS"; inbound and outbound both (the receiver decides what to show).
 *   "state-changed" (void): the sync token or the seen-id memory changed; persist
 *             rc_sync_get_token() and rc_sync_save_seen(). */

RcSync *rc_sync_new (RcClient *client);

/* Restores the state saved by a previous session. @token NULL means the next run is an FSync.
 * @seen is what rc_sync_save_seen() returned (NULL or "" = nothing). */
void rc_sync_restore (RcSync *self, const char *token, const char *seen);
const char *rc_sync_get_token (RcSync *self);
/* The ids remembered as already reported (bounded, newest kept), as one string to persist. */
char *rc_sync_save_seen (RcSync *self);

/* Where the first FSync starts (Unix seconds; 0 = server default). Used so that a first sign-on
 * does not replay old history. */
void rc_sync_set_fsync_from (RcSync *self, gint64 since);

/* One round: FSync when there is no token (dateFrom from rc_sync_set_fsync_from), else ISync;
 * MSG-333 restarts with FSync. Emits "message" for each new record. A round asked for while one
 * runs is coalesced: it finishes when a round that started after the call has finished. */
void rc_sync_run_async (RcSync *self, GCancellable *cancellable, GAsyncReadyCallback callback,
                        gpointer user_data);
gboolean rc_sync_run_finish (RcSync *self, GAsyncResult *result, GError **error);

G_END_DECLS
