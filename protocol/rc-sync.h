/* rc-sync.h: catching up with the message store (message-sync FSync, then ISync). */
#pragma once

#include <gio/gio.h>

#include "rc-client.h"
#include "rc-message.h"

G_BEGIN_DECLS

#define RC_TYPE_SYNC (rc_sync_get_type ())
G_DECLARE_FINAL_TYPE (RcSync, rc_sync, RC, SYNC, GObject)

/* Records of one answer are handed on in batches of at most this many, oldest first. */
#define RC_SYNC_BATCH 500
/* An ISync answer of up to this many SMS records is kept parsed until its end and handed on as
 * parsed (one parse a record: the usual answer after a send or a short absence); a bigger one
 * moves to a compressed hold (rc-sync-hold.h), each record parsed again when handed on, so that
 * memory stays bounded (issue 10: a 50,000-text catch-up within 40 MB). */
#define RC_SYNC_PARSED_MAX 1000

/* Signals:
 *   "records" (GPtrArray *records): SMS records of one answer (RcMessage*, borrowed for the
 *             emission), inbound and outbound, new and changed alike: windows overlap, so the
 *             receiver (RcInbox) tells what it has seen. Records that do not parse are skipped
 *             (logged), Pager and other types dropped. Once the whole answer was read and found
 *             sound, its records are emitted oldest first (creation time, then id: RcInbox's
 *             order) in batches of at most RC_SYNC_BATCH, one emission after the other, and only
 *             then are the token and time stored: a broken answer hands on nothing and changes
 *             nothing. The answer itself is read as a stream and split record by record
 *             (rc-json-stream.h), never held as text or tree; an ISync answer's records wait as
 *             compressed text (rc-sync-hold.h) and are handed on one batch per main-loop turn
 *             (G_PRIORITY_DEFAULT_IDLE), the round ending after the last. Why not hand batches on
 *             while reading: the server sends the newest first (SPEC GetMessageSyncResponse; the
 *             simulator too), so the oldest arrive last, and texts must be shown in order.
 *   "state-changed" (void): the sync token or sync time changed; persist rc_sync_get_token() and
 *             rc_sync_get_sync_time(). */

RcSync *rc_sync_new (RcClient *client);

/* Restores the state saved by a previous session. @token NULL means the next run is an FSync.
 * @sync_time: rc_sync_get_sync_time() of that session (0 = unknown). */
void rc_sync_restore (RcSync *self, const char *token, gint64 sync_time);
const char *rc_sync_get_token (RcSync *self);
/* syncInfo.syncTime of the last answer (Unix seconds, the server's clock), 0 when unknown. */
gint64 rc_sync_get_sync_time (RcSync *self);

/* Where the first FSync starts (Unix seconds by the server's clock, fact sheet §4 "Server time";
 * 0 = server default). Used so that a first sign-on does not replay old history. After MSG-333
 * the full sync starts at the last sync time instead (minus RC_SYNC_RESET_OVERLAP_S). */
#define RC_SYNC_RESET_OVERLAP_S 60
void rc_sync_set_fsync_from (RcSync *self, gint64 since);

/* One round: FSync when there is no token (dateFrom from rc_sync_set_fsync_from), else ISync;
 * MSG-333 restarts with FSync. An FSync asks for recordCount=250 a page (what RingCentral's own
 * clients send: fixture message-sync-fsync.json; SPEC syncMessages: recordCount "limits the
 * number of records to be returned", olderRecordsExist says more are older) and, while
 * syncInfo.olderRecordsExist, asks for the next older page with dateTo = the oldest record's time
 * plus one second (whole seconds, inclusive: the overlap is dropped by id), at most 40 pages; the
 * pages' records are handed on together, page 1's token and time kept. An ISync answer is never
 * paged (fact sheet §4 "Message sync": recordCount there widens the frame). Emits "records" when
 * the round's answer (or all its pages) was read whole. A round asked for while one
 * runs is coalesced: it finishes when a round that started after the call has finished. */
void rc_sync_run_async (RcSync *self, GCancellable *cancellable, GAsyncReadyCallback callback,
                        gpointer user_data);
gboolean rc_sync_run_finish (RcSync *self, GAsyncResult *result, GError **error);

G_END_DECLS
