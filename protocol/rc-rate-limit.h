/* rc-rate-limit.h (internal): RingCentral's request limits, one gate for every request of an
 * RcHttp (rc-http.c asks it before each attempt). Fact sheet §6 and Summary item 13:
 *
 *  - Limits are counted per user and app, per usage-plan group, over a sliding window: Light 50,
 *    Medium 40, Heavy 10, Auth 5 requests per 60 s by default (RC_RATE_DEFAULT_*). The group of a
 *    request comes from its method and path (rc_rate_group_for(), the §6 table); what an answer's
 *    X-Rate-Limit-Group/-Limit/-Remaining/-Window headers say replaces the defaults of that group.
 *  - Requests of a group are paced so that no window ever holds more than the limit: a request
 *    waits until the oldest of the last `limit` requests of its group is one window (plus
 *    RC_RATE_MARGIN_MS) old. Requests of other groups are not held by it.
 *  - A 429 (Retry-After, 30 s when absent) or a 503 with Retry-After holds every request of the
 *    account (rc_rate_limit_hold()); "every request made during the penalty window restarts it".
 *
 * Tests: with RC_TEST_RATE_DEFAULTS=off in the environment no group is paced until an answer's
 * X-Rate-Limit-* headers give its limit (429/503 holds stay); the unit and integration suites
 * set it so that tests about other things (a 1,000-page loop) are not paced by the defaults.
 *
 * Times are monotonic microseconds (g_get_monotonic_time()), passed in so tests can drive them.
 * Bounded: a group remembers at most RC_RATE_MAX_LIMIT send times. */
#pragma once

#include <glib-object.h>
#include <libsoup/soup.h>

G_BEGIN_DECLS

typedef enum {
  RC_RATE_LIGHT,
  RC_RATE_MEDIUM,
  RC_RATE_HEAVY,
  RC_RATE_AUTH,
  RC_RATE_N_GROUPS
} RcRateGroup;

/* Fact sheet §6 "Default groups" (requests per window; window and penalty 60 s). */
#define RC_RATE_DEFAULT_LIGHT    50
#define RC_RATE_DEFAULT_MEDIUM   40
#define RC_RATE_DEFAULT_HEAVY    10
#define RC_RATE_DEFAULT_AUTH     5
#define RC_RATE_DEFAULT_WINDOW_S 60
/* A header may raise a limit up to this (and a window to RC_RATE_MAX_WINDOW_S): larger values are
 * clamped, so a hostile header cannot make the send-time memory grow without bound. */
#define RC_RATE_MAX_LIMIT    1000
#define RC_RATE_MAX_WINDOW_S 3600
/* Pacing slack: a request waits this much past the window, so that a later request that reaches
 * the server a little faster than an earlier one still falls outside the server's window. */
#define RC_RATE_MARGIN_MS 100

#define RC_TYPE_RATE_LIMIT (rc_rate_limit_get_type ())
G_DECLARE_FINAL_TYPE (RcRateLimit, rc_rate_limit, RC, RATE_LIMIT, GObject)

/* The group of a request (fact sheet §6 "Group membership per operation", SPEC
 * x-throttling-group): /restapi/oauth/… → Auth; POST …/sms and …/mms, message-store
 * PUT/PATCH/DELETE, attachment content, subscription POST/PUT/DELETE → Medium; the account
 * phone-number list (…/account/{id}/phone-number) → Heavy; everything else (message-store and
 * message-sync reads, extension phone-number list, sms-configuration, account/extension info,
 * subscription renew, contacts) → Light. @path_or_url: "/restapi/…" (query allowed) or an
 * absolute URL. */
RcRateGroup rc_rate_group_for (const char *method, const char *path_or_url);
/* "light", "medium", "heavy", "auth" (the X-Rate-Limit-Group spelling). */
const char *rc_rate_group_name (RcRateGroup group);

/* A gate with the default limits and no hold. @max_hold_s caps every hold (see
 * rc_rate_limit_hold()). */
RcRateLimit *rc_rate_limit_new (guint max_hold_s);
void rc_rate_limit_set_max_hold (RcRateLimit *self, guint max_hold_s);

/* The limit and window (seconds) in force for @group. */
void rc_rate_limit_get (RcRateLimit *self, RcRateGroup group, guint *limit, guint *window_s);

/* The monotonic time (µs) from which a request of @group may go out: the end of any running hold
 * and of the group's pacing; <= @now means at once. Nothing is counted. */
gint64 rc_rate_limit_ready_at (RcRateLimit *self, RcRateGroup group, gint64 now);
/* TRUE when what rc_rate_limit_ready_at() waits for at @now is a rate limit (pacing or a 429),
 * FALSE for a 503 hold or no wait. */
gboolean rc_rate_limit_is_rate_wait (RcRateLimit *self, RcRateGroup group, gint64 now);

/* A request of @group goes out at @now: it counts against the group's window. */
void rc_rate_limit_take (RcRateLimit *self, RcRateGroup group, gint64 now);

/* Reads an answer's X-Rate-Limit-* headers (any may be missing: then nothing changes). The
 * group is X-Rate-Limit-Group when it names a known group (case-insensitive), else @group.
 * -Limit (1..RC_RATE_MAX_LIMIT) and -Window (seconds, 1..RC_RATE_MAX_WINDOW_S) replace the
 * group's values; a -Remaining below what our own sends leave (other clients of the same user
 * and app count too) is believed: the difference counts as sends made at @now. Values that are
 * not plain decimal numbers are ignored. */
void rc_rate_limit_observe (RcRateLimit *self, RcRateGroup group, SoupMessageHeaders *headers,
                            gint64 now);

/* Holds every request from @now for @seconds (clamped to the max hold, with a debug line when
 * clamped); never shortens a running hold. @rate_limit: the hold comes from a 429 (FALSE: a 503).
 * Returns the seconds actually held. */
guint rc_rate_limit_hold (RcRateLimit *self, guint seconds, gboolean rate_limit, gint64 now);

/* The request of @group counted at @sent_at ended (answered or failed) at @now: it reached the
 * server at some time before @now, so it is counted from @now on (the server's window, not ours,
 * decides; a request that took long to arrive would otherwise leave our window before the
 * server's). */
void rc_rate_limit_settle (RcRateLimit *self, RcRateGroup group, gint64 sent_at, gint64 now);

/* Takes a slot for a request of @group at @now (rc_rate_limit_take()) when it may go at once:
 * TRUE. FALSE when it must wait (nothing counted): rc_rate_limit_wait_async(), then try again. */
gboolean rc_rate_limit_try_take (RcRateLimit *self, RcRateGroup group, gint64 now);

/* A wait longer than this many seconds for a rate limit is announced ("held"). */
#define RC_RATE_NOTICE_S 5

/* Signals:
 *   "held" (guint seconds, const char *tag): a request tagged @tag (may be NULL) waits @seconds
 *          (rounded up) for a rate limit (its group's pacing or a 429 hold; not a 503) before it
 *          is sent. Only for waits longer than RC_RATE_NOTICE_S, and once per wait and tag: while
 *          an announced wait of @tag runs, later requests of @tag are not announced again (a bulk
 *          send to one conversation says it once, not once per text). */

/* Completes (TRUE) once rc_rate_limit_ready_at() of @group has come, however long a hold grew
 * meanwhile; the caller then calls rc_rate_limit_try_take() again. Emits "held" as said above.
 * Cancellation: G_IO_ERROR_CANCELLED at once. @tag is copied. */
void rc_rate_limit_wait_async (RcRateLimit *self, RcRateGroup group, const char *tag,
                               GCancellable *cancellable, GAsyncReadyCallback callback,
                               gpointer user_data);
gboolean rc_rate_limit_wait_finish (RcRateLimit *self, GAsyncResult *result, GError **error);

/* Seconds a 429/503 answer asks us to wait: Retry-After as delay-seconds (RFC 9110 §10.2.3:
 * digits only, so "-5" or "5s" are not a delay) or an HTTP date; @fallback when absent or not
 * understood (*@present FALSE then). Not clamped (rc_rate_limit_hold() clamps). */
guint rc_rate_limit_parse_retry_after (SoupMessageHeaders *headers, guint fallback,
                                       gboolean *present);

G_END_DECLS
