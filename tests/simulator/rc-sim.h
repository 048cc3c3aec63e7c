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
  RC_SIM_FAULT_MALFORMED, /* 200 with a body that is not JSON */
  RC_SIM_FAULT_SLOW,      /* answer normally after param milliseconds */
  RC_SIM_FAULT_DROP,      /* close the connection without an answer, after reading the request */
  RC_SIM_FAULT_403,       /* 403 CMN-401: the app lacks the permission (ReadContacts on
                             address-book paths, else ReadAccounts) */
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
 * included only when the prefix says so) get @fault. @param: seconds for 429/503, ms for SLOW. */
void rc_sim_inject_fault (RcSim *self, const char *path_prefix, RcSimFault fault, guint count,
                          guint param);

/* Requests received so far (RcSimRequest*, oldest first; owned by the simulator). */
GPtrArray *rc_sim_get_requests (RcSim *self);
void rc_sim_clear_requests (RcSim *self);
/* How many recorded requests have @method and a path starting with @path_prefix. */
guint rc_sim_count_requests (RcSim *self, const char *method, const char *path_prefix);

/* Puts an inbound SMS from @from to our number @to into the message store (seen by message-sync
 * and pushed to connected WebSocket subscribers). Returns the new message id. */
char *rc_sim_add_inbound (RcSim *self, const char *from, const char *to, const char *text);

/* Revokes every token issued so far: the next API call with them gets 401, and refresh fails with
 * 400 invalid_grant OAU-213 (the JWT grant still works). */
void rc_sim_revoke_all_tokens (RcSim *self);

/* Replaces the numbers list (JSON array of number records in scenario form). */
gboolean rc_sim_set_numbers (RcSim *self, const char *numbers_json, GError **error);

/* Absolute uris in answers (navigation, records) start with @url ("http://127.0.0.1:4010") instead
 * of "http://" + the request's X-Forwarded-Host or Host header. For a proxy that rewrites Host,
 * such as Prism. NULL restores the default. */
void rc_sim_set_public_base_url (RcSim *self, const char *url);

/* How many access tokens were issued so far (JWT grants plus refreshes). */
guint rc_sim_get_tokens_issued (RcSim *self);

G_END_DECLS
