/* rc-store-watch.h: what a message-store push notification needs (fact sheet §5: the
 * …/message-store filter carries change counts only; the receiver follows with a message-sync
 * ISync). Issue 10 measured a sync after every send (two per text: the new record, then its
 * delivery), each one a request, an answer parsed and the seen memory saved:
 *   - a notification that only announces new records the inbox already has (the texts just sent
 *     from here, whose answer came first; inbound SMS pushed just before) needs nothing;
 *   - one announcing a record not known yet while a send of ours still waits for its answer (the
 *     notification may beat the answer) is looked at again after the next send's answer
 *     (rc_store_watch_sent()) or RC_STORE_WATCH_RECHECK_MS, and synced for if still unknown;
 *   - updates (delivery status, read elsewhere) are synced for once RC_STORE_WATCH_UPDATE_MS
 *     after the first of them, so that a burst of sends costs one sync, not one per text;
 *   - anything else (new records not known, a body that does not read) is synced for at once.
 * One per session; it only decides: the session's @sync callback runs the sync. */
#pragma once

#include <gio/gio.h>

#include "rc-inbox.h"
#include "rc-outbox.h"

G_BEGIN_DECLS

#define RC_STORE_WATCH_RECHECK_MS 1000
#define RC_STORE_WATCH_UPDATE_MS  2000

#define RC_TYPE_STORE_WATCH (rc_store_watch_get_type ())
G_DECLARE_FINAL_TYPE (RcStoreWatch, rc_store_watch, RC, STORE_WATCH, GObject)

/* Called (on the thread-default main context of the notification) when a sync is needed. */
typedef void (*RcStoreWatchSync) (gpointer user_data);

/* References @inbox (rc_inbox_has_seen()) and @outbox (rc_outbox_get_pending()); @sync and
 * @user_data are borrowed until rc_store_watch_stop() or the last unref. */
RcStoreWatch *rc_store_watch_new (RcInbox *inbox, RcOutbox *outbox, RcStoreWatchSync sync,
                                  gpointer user_data);

/* A message-store notification (RcPush "store-changed"): @new_ids NULL when it did not read (a
 * sync at once), else the ids of the records it announces as new (NULL-ended, may be empty;
 * borrowed); @updated TRUE when it also announces changed records. */
void rc_store_watch_changed (RcStoreWatch *self, const char *const *new_ids, gboolean updated);

/* A send of ours got its answer (RcOutbox "sent"): a deferred check is done now when it can be. */
void rc_store_watch_sent (RcStoreWatch *self);

/* Drops what waits (no @sync call afterwards). */
void rc_store_watch_stop (RcStoreWatch *self);

G_END_DECLS
