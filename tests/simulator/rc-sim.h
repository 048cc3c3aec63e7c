/* rc-sim.h: the RingCentral simulator, in-process API (the rc-sim program wraps it).
 *
 * A SoupServer on 127.0.0.1 (ephemeral port) that speaks the subset of the RingCentral API in
 * shared/ringcentral-api.md, field for field, from a scenario file, records every request it gets
 * and can inject faults. It runs on the thread-default GMainContext of the caller. */
#pragma once

#include <glib-object.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

#define RC_TYPE_SIM (rc_sim_get_type ())
G_DECLARE_FINAL_TYPE (RcSim, rc_sim, RC, SIM, GObject)

typedef enum {
  RC_SIM_FAULT_401, /* 401 OAU-128 "Access token expired" on API calls, not on /restapi/oauth/ */
  RC_SIM_FAULT_429, /* 429 CMN-301 with Retry-After: param seconds */
  RC_SIM_FAULT_500, /* 500 CMN-201 */
  RC_SIM_FAULT_503, /* 503 with Retry-After: param seconds */
  RC_SIM_FAULT_MALFORMED,   /* 200 with a body that is not JSON */
  RC_SIM_FAULT_SLOW,        /* answer normally after param milliseconds */
  RC_SIM_FAULT_DROP,        /* close the connection without an answer, after reading the request */
  RC_SIM_FAULT_403,         /* 403 CMN-401: the app lacks the permission (ReadContacts on
                               address-book paths, else ReadAccounts) */
  RC_SIM_FAULT_429_BARE,    /* 429 CMN-301 without Retry-After */
  RC_SIM_FAULT_RESET_AFTER, /* the request is carried out (a text is stored and sent), then the
                               connection is closed without a byte of the answer */
  RC_SIM_FAULT_MISSING_FIELDS, /* 200 with a JSON object that has none of the expected members */
  RC_SIM_FAULT_WRONG_TYPES,    /* 200 with the usual members, each of a wrong JSON type */
  RC_SIM_FAULT_LATE,           /* carried out at once (the answer is the state when the
                                  request came), the answer sent after param milliseconds */
} RcSimFault;

typedef struct {
  char *method;
  char *path;         /* without query */
  char *query;        /* raw query string or NULL */
  char *content_type; /* or NULL */
  char *body;         /* request body as text (NUL-terminated), or NULL */
  char *auth_kind;    /* "Bearer", "Basic" or NULL: the scheme only, never the credential */
  char *bearer_token; /* the token itself, for tests that check which token was used */
  guint status;       /* status the simulator answered */
  gint64 time_us;     /* g_get_monotonic_time () when it arrived */
} RcSimRequest;

/* Loads a scenario (see tests/scenarios/README.md for the format). */
RcSim *rc_sim_new_from_file (const char *scenario_path, GError **error);
RcSim *rc_sim_new_from_data (const char *scenario_json, GError **error);

/* Starts listening on 127.0.0.1:@port (0 = ephemeral). Returns FALSE with an error on failure. */
gboolean rc_sim_start (RcSim *self, guint port, GError **error);
guint rc_sim_get_port (RcSim *self);
/* "http://127.0.0.1:PORT" */
char *rc_sim_get_base_url (RcSim *self);

/* The next @count API requests whose path starts with @path_prefix (NULL = any, "/restapi/oauth/"
 * included only when the prefix says so) get @fault. @param: seconds for 429/503, ms for SLOW
 * and LATE. */
void rc_sim_inject_fault (RcSim *self, const char *path_prefix, RcSimFault fault, guint count,
                          guint param);

/* Simulated network latency (tests/bench/README.md "Sign-on"): from now on every HTTP answer is
 * held @ms milliseconds (0, the default: none) after its request arrived, as one round trip a
 * request. The request is recorded on arrival; the answer (rate limit, fault and route) is made
 * when the hold ends, as RC_SIM_FAULT_SLOW does, and a fault on the same request still applies
 * after it (SLOW and LATE add their own param). Not held: /_sim/ control traffic, the /ws upgrade
 * (its own handler) and WebSocket frames. */
void rc_sim_set_latency (RcSim *self, guint ms);

/* Client connections that sent at least one request since the start (told apart by the client's
 * address and port), e.g. 1 for 200 texts sent over one kept-alive connection. */
guint rc_sim_count_connections (RcSim *self);
/* Connections the simulator closed because their client had closed them between two requests
 * (libsoup 3.2's server would leave them in CLOSE-WAIT; rc-sim-conns.c). */
guint rc_sim_count_closed_for_client (RcSim *self);

/* Requests received so far (RcSimRequest*, oldest first; owned by the simulator). */
GPtrArray *rc_sim_get_requests (RcSim *self);
void rc_sim_clear_requests (RcSim *self);
/* How many recorded requests have @method and a path starting with @path_prefix. */
guint rc_sim_count_requests (RcSim *self, const char *method, const char *path_prefix);

/* Records in the message store with @direction ("Inbound", "Outbound"; NULL: either) whose text
 * contains @text (NULL: any), e.g. how many times a text really left. */
guint rc_sim_count_messages (RcSim *self, const char *direction, const char *text);

/* Puts an inbound SMS from @from to our number @to into the message store (seen by message-sync
 * and pushed to connected WebSocket subscribers). Returns the new message id. */
char *rc_sim_add_inbound (RcSim *self, const char *from, const char *to, const char *text);

/* A group text: an inbound SMS from @from to our number @to_ours and the NULL-terminated @others
 * (may be NULL), so to[] is our number (target: true) followed by the others, one conversation
 * per (our number, sorted other parties). Returns the new message id. */
char *rc_sim_add_inbound_group (RcSim *self, const char *from, const char *to_ours,
                                const char *const *others, const char *text);

/* MMS (tests/scenarios/README.md "MMS"). An inbound MMS from @from to our number @to with @text
 * (may be NULL: "") and one MmsAttachment: @data (a reference is kept, nothing is checked, so a
 * test may store a file over RingCentral's limits) of @content_type named @file_name (NULL:
 * "attachment"). Its content is served at the record's attachments[].uri. Returns the new id. */
char *rc_sim_add_inbound_mms (RcSim *self, const char *from, const char *to, const char *text,
                              const char *content_type, GBytes *data, const char *file_name);
/* The same as a group text (rc_sim_add_inbound_group): to[] is our number @to_ours (target:
 * true) followed by the NULL-terminated @others (may be NULL: a 1:1 MMS). Returns the new id. */
char *rc_sim_add_inbound_group_mms (RcSim *self, const char *from, const char *to_ours,
                                    const char *const *others, const char *text,
                                    const char *content_type, GBytes *data, const char *file_name);
/* attachments[].uri of MmsAttachments start with @base_url ("http://127.0.0.1:PORT" of another
 * server, or "https://media.example") instead of the simulator's own base, as RingCentral puts
 * them on its media host; the path stays /restapi/v1.0/account/{a}/extension/{e}/message-store/
 * {id}/content/{attId}. NULL restores the default. */
void rc_sim_set_attachment_host (RcSim *self, const char *base_url);
/* The last multipart request to .../mms or .../sms as a JSON text (newly allocated), or NULL when
 * none came: {"path", "content_type" (with boundary), "status" (what the simulator answered),
 * "json" (the first part's text, or null), "parts": [{"name", "filename", "content_type", "size"}]
 * (every part in order, the JSON part first; absent values null)}. Parts that could not be parsed
 * at all give "parts": []. */
char *rc_sim_last_mms (RcSim *self);

/* An Outbound SMS from our number @from_ours to the NULL-terminated @to, as if the user had texted
 * from another device (the RingCentral app): Queued, then Delivered (or the recipient's delivery
 * failure) after delivery_delay_ms, like a text sent through the API, and contacts with
 * auto_reply answer. Nothing is checked. Returns the new message id. */
char *rc_sim_add_outbound (RcSim *self, const char *from_ours, const char *const *to,
                           const char *text);

/* Texts sent to @to_number from now on end in @status ("DeliveryFailed" or "SendingFailed") with
 * deliveryErrorCode @error_code (may be NULL) after delivery_delay_ms instead of Delivered, and the
 * contact does not auto-reply. A NULL @status clears it. Same as a contact's "delivery" in the
 * scenario. */
void rc_sim_set_delivery_failure (RcSim *self, const char *to_number, const char *status,
                                  const char *error_code);

/* The simulator's clock is the local clock plus @seconds (negative: the server is behind): the
 * HTTP Date header, creationTime/lastModifiedTime of new records, syncInfo.syncTime, the default
 * 24 h sync/list windows and the reading of dateFrom/dateTo all use it. Records already in the
 * store keep their times. Same as the scenario's settings.clock_offset_s. */
void rc_sim_set_clock_offset (RcSim *self, gint64 seconds);

/* From now on every JSON answer (rc_sim_reply_json) and WebSocket event frame the simulator sends
 * has each @from replaced by @to, raw, after serialisation (in the order added): for what
 * json-glib's generator cannot write, e.g. a text with "\u0000" or a lone surrogate "\ud800"
 * (issue 10 "Hostile server data"). Texts are never checked afterwards. */
void rc_sim_add_json_rewrite (RcSim *self, const char *from, const char *to);
/* The simulator's "now" in Unix µs (local real time plus the clock offset). */
gint64 rc_sim_now_us (RcSim *self);

/* Revokes every token issued so far: the next API call with them gets 401, and refresh fails with
 * 400 invalid_grant OAU-213 (the JWT grant still works). */
void rc_sim_revoke_all_tokens (RcSim *self);

/* Browser sign-in (fact sheet §1 "Authorization code (+PKCE)"; tests/scenarios/README.md "Browser
 * sign-in"). GET /restapi/oauth/authorize approves at once: 302 Location:
 * redirect_uri?code=…&state=…&expires_in=… when client_id and redirect_uri are right, else an
 * OAuth error (OAU-109 redirect URI not registered, OAU-113 none registered, ...). The code is
 * single-use, expires after auth_code_ttl seconds (60) and is exchanged with
 * grant_type=authorization_code, whose code_verifier must match the S256 (or plain) challenge. */
/* Registers one more redirect URI for the app (scenario credentials.redirect_uris). */
void rc_sim_add_redirect_uri (RcSim *self, const char *uri);
/* Lifetime of new authorization codes in seconds (scenario settings.auth_code_ttl, default 60). */
void rc_sim_set_auth_code_ttl (RcSim *self, guint seconds);
/* How many authorize requests came (answered or refused). */
guint rc_sim_get_authorize_count (RcSim *self);

/* Replaces the numbers list (JSON array of number records in scenario form). */
gboolean rc_sim_set_numbers (RcSim *self, const char *numbers_json, GError **error);

/* Absolute uris in answers (navigation, records) start with @url ("http://127.0.0.1:4010") instead
 * of "http://" + the request's X-Forwarded-Host or Host header. For a proxy that rewrites Host,
 * such as Prism. NULL restores the default. */
void rc_sim_set_public_base_url (RcSim *self, const char *url);

/* How many access tokens were issued so far (JWT grants plus refreshes). */
guint rc_sim_get_tokens_issued (RcSim *self);

/* Rate limits (fact sheet §6; tests/scenarios/README.md "Rate limits"), off until set: @group
 * ("light", "medium", "heavy", "auth"; NULL: all four) allows @limit requests (G_MAXUINT: the
 * fact sheet's default, 0: not enforced) per sliding window of @window_s seconds; a request over
 * it, or any during the @penalty_s penalty that follows (which it restarts), gets 429 CMN-301
 * with Retry-After. Answers of enforced groups carry X-Rate-Limit-Group/-Limit/-Remaining/-Window.
 * Resets the group's counts. FALSE for an unknown group. */
gboolean rc_sim_set_rate_limit (RcSim *self, const char *group, guint limit, guint window_s,
                                guint penalty_s);
/* 429s answered by that enforcement (not injected faults). */
guint rc_sim_count_rate_limited (RcSim *self);

/* WebSocket push (fact sheet §5; tests/scenarios/README.md "WebSocket push"). POST
 * /restapi/oauth/wstoken hands out single-use tokens for ws://127.0.0.1:PORT/ws; a socket gets
 * ConnectionDetails first, answers the subscription ClientRequest, echoes Heartbeats and then
 * carries ServerNotification frames for new inbound SMS and every message-store change. A
 * reconnect with &wsc=TOKEN within 180 s recovers the session and replays what was missed. */

/* Closes every socket abruptly (no close frame), as a dead network path does. Their sessions
 * stay recoverable. */
void rc_sim_ws_drop_all (RcSim *self);
/* FALSE: every later wsc recovery fails (recoveryState "Failed", WSG-1005), so the client must
 * subscribe again. TRUE (default): recoveries within the timeout succeed. */
void rc_sim_ws_set_recovery (RcSim *self, gboolean succeed);
/* Open sockets whose session has an active subscription. */
guint rc_sim_ws_count_connections (RcSim *self);
/* Frames received from clients with header type @type ("Heartbeat", "ClientRequest", ...). */
guint rc_sim_ws_count_frames (RcSim *self, const char *type);
/* The text of the last frame of header type @type received from a client, or NULL. */
char *rc_sim_ws_last_frame (RcSim *self, const char *type);
/* TRUE: the sockets answer nothing at all (no ConnectionDetails, no Heartbeat echo, no
 * notifications; these are kept for a replay), like a peer that died without closing. */
void rc_sim_ws_set_silent (RcSim *self, gboolean silent);
/* The next @count subscription requests get 403 SUB-405 over the socket. */
void rc_sim_ws_refuse_subscription (RcSim *self, guint count);
/* The server sends WebSocket pings every @seconds (0 = never, the default) on open and new
 * sockets; rc_sim_ws_count_pongs () counts the answers. */
void rc_sim_ws_set_ping_interval (RcSim *self, guint seconds);
guint rc_sim_ws_count_pongs (RcSim *self);

G_END_DECLS
