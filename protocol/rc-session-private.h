/* rc-session-private.h (internal): RcSession's state, shared by rc-session.c (sign-on, sync,
 * polling, names, read marks) and rc-session-push.c (push and the hold of pushed texts). */
#pragma once

#include "rc-session.h"
#include "rc-store-watch.h"

G_BEGIN_DECLS

struct _RcSession {
  GObject parent_instance;

  RcClient *client;
  RcSenderList *senders;
  RcSync *sync;
  RcInbox *inbox;
  RcOutbox *outbox;
  RcPush *push;
  guint push_retry_id;
  /* After push (re)connects, pushed texts wait here (RcMessage*) until the catch-up sync is in:
   * a recovery replays only the newest missed events, and they must not show before older ones. */
  GPtrArray *held;
  guint catch_up_tries;    /* failed catch-ups of the current hold */
  guint catch_up_retry_id; /* the next try of a failed catch-up */
  gboolean catch_up_again; /* push (re)connected while the catch-up ran: its answer may predate
                            * the new gap, and a failed recovery replays nothing */
  /* Sign-on: the first catch-up may run while the send-from numbers load (rc-session.c); its
   * records (RcMessage* copies) wait here until the numbers are in (RcInbox classifies with them).
   * NULL once handed on. */
  GPtrArray *first_records;
  gboolean first_sync_running, first_sync_ok, senders_in;
  gboolean early_sync; /* start the first catch-up once the number list is answered */
  RcContacts *contacts;
  guint contacts_id;
  GPtrArray *read_ids; /* char*: ids to mark Read in the next burst */
  guint read_id;

  GCancellable *cancellable; /* cancelled by rc_session_stop() */
  gboolean started;
  gboolean connected;
  gboolean stopped;
  gboolean authorization_pending; /* "authorization-required" emitted, rc_session_authorized() not
                                   * called yet */
  guint poll_interval_s;
  guint first_lookback_s;
  guint poll_id;
  guint syncs_running;
  RcStoreWatch *store_watch; /* which message-store notifications need a sync */
  /* char*: secrets registered with rc_error_add_secret() (tokens, JWT, client secret), removed
   * again in dispose; the tokens of the last SECRET_TOKENS_KEPT token changes stay hidden. */
  GPtrArray *secrets;
  guint token_secrets; /* how many of @secrets are tokens (they come last) */
};

/* Ends the session with @error (stops everything first, then "disconnected"), or asks for a
 * browser sign-in once (rc-session.h "authorization-required"). */
void rc_session_fail (RcSession *self, const GError *error);
/* The GAsyncReadyCallback of a message-sync round (rc_sync_run_async(), user_data a reference on
 * the session): transient failures wait for the next round, fatal ones rc_session_fail(). */
void rc_session_sync_round_done (GObject *source, GAsyncResult *result, gpointer user_data);
/* Message-sync every poll interval while push is down; idempotent. */
void rc_session_polling_start (RcSession *self);
void rc_session_polling_stop (RcSession *self);

/* rc-session-push.c: connects the push signals (rc_session_new()); removes the push timers and
 * stops push (rc_session_stop()). */
void rc_session_push_connect (RcSession *self);
void rc_session_push_stop (RcSession *self);

G_END_DECLS
