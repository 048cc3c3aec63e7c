/* rc-session.h: one signed-in RingCentral session. It owns the client, the send-from list, message
 * sync, push and the inbox, and runs the sign-on sequence itself:
 *   sign in → send-from numbers (+ texting registration) → catch-up (message-sync) → push
 * (a first sign-on, without a sync token and with the server's time known, asks for its catch-up
 * once the first number page is answered and holds its records, and its sync token, until the
 * numbers are in: they are classified with them)
 * then keeps the inbox fed: push notifications at once, message-sync (ISync) after every
 * reconnect, every message-store change event (except those that only announce records already
 * here, such as the texts just sent from here) and, while push is down, at the poll interval.
 * Everything the user sees comes out as signals; the plugin only renders them. */
#pragma once

#include <gio/gio.h>

#include "rc-client.h"
#include "rc-contacts.h"
#include "rc-inbox.h"
#include "rc-message.h"
#include "rc-outbox.h"
#include "rc-push.h"
#include "rc-sender-list.h"
#include "rc-sync.h"

G_BEGIN_DECLS

#define RC_TYPE_SESSION (rc_session_get_type ())
G_DECLARE_FINAL_TYPE (RcSession, rc_session, RC, SESSION, GObject)

/* Sign-on steps, for "progress". */
typedef enum {
  RC_SESSION_STEP_SIGNING_IN = 1,
  RC_SESSION_STEP_LOADING_NUMBERS,
  RC_SESSION_STEP_CATCHING_UP,
  RC_SESSION_N_STEPS = RC_SESSION_STEP_CATCHING_UP + 1, /* for progress bars: steps + done */
} RcSessionStep;

/* Signals:
 *   "progress" (guint step, const char *text): a sign-on step began (RcSessionStep; @text is a
 *              translated line such as "Loading send-from numbers").
 *   "connected" (void): sign-on done (numbers loaded, first catch-up shown): the account is ready.
 *   "disconnected" (GError *error): the session is over (sign-on failed, or credentials died while
 *              connected: rc_session_error_is_fatal()). Nothing runs any more afterwards.
 *   "tokens-changed" (void): persist rc_client_get_tokens (rc_session_get_client ()) at once.
 *   "state-changed" (void): persist rc_session_get_sync_token(), rc_session_get_sync_time() and
 *              rc_session_save_seen() (emitted often: debounce the writing).
 *   "authorization-required" (GError *error): the client signs in through the browser
 *              (RC_AUTH_METHOD_BROWSER) and has no live refresh token any more (none yet, dead,
 *              expired, revoked): the session waits (instead of "disconnected") until the user
 *              has signed in (rc_browser_sign_in_run_async()) and rc_session_authorized() is
 *              called, or rc_session_stop(). Emitted once per wait; @error says what failed.
 *              JWT sessions never emit it (a new JWT grant is silent).
 * Texts come out of rc_session_get_inbox()'s "event" signal. */

/* Takes a reference on @client (configured: server, credentials, restored tokens). */
RcSession *rc_session_new (RcClient *client);

RcClient *rc_session_get_client (RcSession *self);

/* Hides @secret (the JWT, the client secret: what the client was configured with) from every
 * server text that reaches an error message or the debug log (rc_error_add_secret()) for as long
 * as the session lives. The client's access and refresh tokens are registered by the session
 * itself: the restored ones at rc_session_start(), new ones at each "tokens-changed" (those of
 * the last 4 grants stay hidden). NULL or "" is ignored. */
void rc_session_add_secret (RcSession *self, const char *secret);
RcSenderList *rc_session_get_senders (RcSession *self);
RcInbox *rc_session_get_inbox (RcSession *self);
/* Names of numbers (personal contacts and the company directory): loaded after sign-on, then
 * daily and on rc_session_refresh_contacts(); its "changed" signal says when to rename. */
RcContacts *rc_session_get_contacts (RcSession *self);
void rc_session_refresh_contacts (RcSession *self);

/* The user has seen @thread (an RcInboxEvent thread: E.164 or chat name): or replied in it: its
 * inbound texts still unread on RingCentral are marked Read, together with those of other
 * threads seen within a second, in one bulk request (fact sheet §4 "Read state"; at most 50 ids
 * a request). Best effort: failures are logged. */
void rc_session_mark_read (RcSession *self, const char *thread);

/* The push connection (tests and benchmarks tune it with rc_push_set_timing()). */
RcPush *rc_session_get_push (RcSession *self);

/* Restores what a previous session persisted (any may be NULL/0). Call before rc_session_start(). */
void rc_session_restore (RcSession *self, const char *sync_token, gint64 sync_time,
                         const char *seen);
/* What to persist for the next session: NULL/0 while a first sign-on's catch-up records wait for
 * the send-from numbers (their token must not outlive them if the sign-on stops there). */
const char *rc_session_get_sync_token (RcSession *self);
gint64 rc_session_get_sync_time (RcSession *self);
char *rc_session_save_seen (RcSession *self);

/* Seconds between message-sync rounds while push is not connected (default 60, so that without
 * push RingCentral is asked at most once a minute; at least 1). */
void rc_session_set_poll_interval (RcSession *self, guint seconds);
/* How far back the very first catch-up (no saved sync token) reaches, in seconds before the
 * server's "now" (fact sheet §4 "Server time"; default 60). */
void rc_session_set_first_sync_lookback (RcSession *self, guint seconds);

/* Test knob (the fault matrix, tests/README.md): every request attempt must be over within
 * @deadline_s seconds (default RC_HTTP_DEADLINE_S / RC_HTTP_LIST_DEADLINE_S plus the upload
 * allowance, rc-http.h), and no rate-limit wait lasts longer than @max_hold_s seconds (default
 * RC_HTTP_MAX_HOLD_S; this also shortens the 30 s hold of a 429 without Retry-After, fact sheet
 * §6). 0 keeps a value's default. Call before rc_session_start(). */
void rc_session_set_http_limits (RcSession *self, guint deadline_s, guint max_hold_s);

/* Starts the sign-on sequence (progress → connected, or disconnected). Call once. */
void rc_session_start (RcSession *self);
/* The user signed in again after "authorization-required": the sign-on starts over (not connected
 * yet) or catch-up and push resume (connected). Does nothing when nothing was asked. */
void rc_session_authorized (RcSession *self);
/* TRUE between "authorization-required" and rc_session_authorized(). */
gboolean rc_session_is_authorization_pending (RcSession *self);

/* Stops everything (requests cancelled, timers removed, push closed); no signal afterwards. Safe
 * to call twice; dispose calls it. */
void rc_session_stop (RcSession *self);
gboolean rc_session_is_connected (RcSession *self);

/* Runs a message-sync round now (coalesced with one running). Failures are handled inside:
 * transient ones wait for the next round, fatal ones end the session ("disconnected"). */
void rc_session_sync_now (RcSession *self);

/* Where texts typed here go out (rc_outbox_prepare() then rc_outbox_send_async()): every send goes
 * through the inbox (so the record, however it comes back, is shown once), and after each success
 * the session catches up when push is not connected. */
RcOutbox *rc_session_get_outbox (RcSession *self);

/* TRUE when @error means the session cannot go on (credentials refused or dead), FALSE when a
 * later attempt may succeed (network, 5xx, 429, a garbled answer, ...). */
gboolean rc_session_error_is_fatal (const GError *error);

G_END_DECLS
