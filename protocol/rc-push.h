/* rc-push.h: RingCentral push notifications over the WebSocket API (fact sheet §5).
 *
 * One RcPush per account. rc_push_start() gets a single-use token (POST /restapi/oauth/wstoken,
 * through the RcClient so 401 → refresh → retry applies), connects to `uri?access_token=…` on the
 * client's SoupSession, waits for ConnectionDetails before sending anything, then sends one
 * ClientRequest POST /restapi/v1.0/subscription/ with both event filters
 * (…/message-store/instant?type=SMS and …/message-store) and deliveryMode.transportType WebSocket.
 * It then keeps itself connected until rc_push_stop():
 *   - keep-alive: libsoup answers the server's pings with pongs; after heartbeat_ms (30 s) without
 *     any frame it sends [{"type":"Heartbeat","messageId":…}], and when that gets no answer within
 *     another heartbeat_ms the socket counts as dead;
 *   - recovery: the wsc token of ConnectionDetails is kept (replaced when a higher wsc.sequence
 *     arrives); a reconnect within recoveryTimeout (180 s) appends &wsc=<token>; recoveryState
 *     "Successful" means the server kept the subscription and replays missed events, "Failed"
 *     means the subscription is POSTed again on the same socket;
 *   - reconnects: exponential backoff (1 s doubling to 5 min) plus up to 25 % jitter; reset once a
 *     subscription is active again.
 * Incoming frames are capped at 2 MiB. Tokens, the wsc token and message texts are never logged.
 *
 * Signals (all emitted on the thread-default main context of rc_push_start()):
 *   "instant-message" (RcMessage *message): an instant?type=SMS notification, its body parsed with
 *        rc_message_parse(); @message is borrowed for the emission (copy it to keep it). A body
 *        that does not parse is logged (no content) and skipped.
 *   "store-changed" (GStrv new_ids, gboolean updated): a message-store notification (counts
 *        only: new/updated messages, outbound status, read elsewhere). @new_ids (borrowed,
 *        NULL-ended, may be empty): the ids of the records it announces as new (newMessageIds,
 *        which must list every one of newCount, at most RC_PUSH_STORE_MAX_IDS in all); NULL when
 *        the body does not say that exactly. @updated: some change has updatedCount > 0. The
 *        receiver decides whether a message-sync ISync is needed (rc-store-watch.h).
 *   "connected" (gboolean recovered): the subscription is active. @recovered is TRUE when a wsc
 *        session recovery succeeded (events missed during the gap are replayed by the server).
 *        The receiver runs an ISync after every "connected" anyway.
 *   "disconnected" (GError *error, gboolean will_retry): the socket is gone (or could not be had).
 *        @will_retry TRUE: RcPush reconnects by itself after the backoff. FALSE: push cannot be had
 *        (wstoken or subscription refused: 401 after a refresh, 400/403/404, SUB-405/505/508, a
 *        socket URL we refuse); error->message says why in words; the receiver falls back to
 *        polling (at most once a minute) and may call rc_push_start() again later. @error is
 *        borrowed. */
#pragma once

#include <gio/gio.h>

#include "rc-client.h"
#include "rc-message.h"

G_BEGIN_DECLS

#define RC_TYPE_PUSH (rc_push_get_type ())
G_DECLARE_FINAL_TYPE (RcPush, rc_push, RC, PUSH, GObject)

/* Event filters of the one subscription (fact sheet §5, Summary 11). */
#define RC_PUSH_FILTER_INSTANT "/restapi/v1.0/account/~/extension/~/message-store/instant?type=SMS"
#define RC_PUSH_FILTER_STORE   "/restapi/v1.0/account/~/extension/~/message-store"

/* At most this many newMessageIds are read from one message-store notification (more: NULL). */
#define RC_PUSH_STORE_MAX_IDS 100

/* @client is referenced. Nothing happens before rc_push_start(). */
RcPush *rc_push_new (RcClient *client);

/* Connects and keeps connected (see above). Does nothing while already started. */
void rc_push_start (RcPush *self);

/* Closes the socket, cancels every request and timer, forgets the wsc session. No signal is
 * emitted afterwards. Safe to call twice; dispose calls it. */
void rc_push_stop (RcPush *self);

/* TRUE while the subscription is active on an open socket. */
gboolean rc_push_is_connected (RcPush *self);

/* Test knob: heartbeat after @heartbeat_ms of silence (dead after as much again), reconnect
 * backoff from @backoff_min_ms doubling to @backoff_max_ms. 0 keeps a value's default
 * (30000, 1000, 300000). */
void rc_push_set_timing (RcPush *self, guint heartbeat_ms, guint backoff_min_ms,
                         guint backoff_max_ms);

G_END_DECLS
