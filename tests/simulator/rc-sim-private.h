/* rc-sim-private.h: state and helpers shared by the simulator's source files. */
#pragma once

#include <libsoup/soup.h>

#include "rc-sim.h"

G_BEGIN_DECLS

/* One phone number of the scenario, in UserPhoneNumberInfo terms. */
typedef struct {
  gint64 id;
  char *phone_number;
  char *payment_type;
  char *type;
  char *usage_type;
  char *status;
  char *label;    /* or NULL */
  char *location; /* or NULL */
  char *country_id;
  char *country_name;
  char **features;
  gboolean primary;
  gboolean with_extension; /* the record carries our extension */
  char *campaign_status;   /* sms-configuration smsCampaignInfo.status, or NULL (no campaign) */
  gboolean sms_config_404; /* sms-configuration answers 404 */
} RcSimNumber;

typedef struct {
  char *name;
  char *phone_number;
  char *auto_reply; /* template with {text}, or NULL */
  guint reply_delay_ms;
  char *delivery_status;     /* DeliveryFailed|SendingFailed for texts to it, or NULL: Delivered */
  char *delivery_error_code; /* deliveryErrorCode with it, or NULL */
} RcSimContact;

/* One MmsAttachment of a record (rc-sim-mms.c): its content is served at
 * .../message-store/{message id}/content/{id}. */
typedef struct {
  gint64 id;
  char *content_type;
  char *file_name;
  GBytes *data;
} RcSimAttachment;
void rc_sim_attachment_free (RcSimAttachment *a);

/* A message-store record. */
typedef struct {
  gint64 id;
  char *type;      /* SMS, Pager */
  char *direction; /* Inbound, Outbound */
  char *from;      /* phone number or NULL (Pager) */
  char *from_name;
  char *from_extension;
  GPtrArray *to;       /* char* phone numbers */
  GPtrArray *to_names; /* char* names or NULL entries, same length as to */
  char *to_extension;  /* Pager */
  char *owner_number;  /* our number in this conversation (the target of inbound ones) */
  char *text;
  char *read_status;
  char *message_status;
  char *availability;
  char *delivery_error_code; /* or NULL */
  gint64 conversation_id;
  gint64 creation_us; /* real time, µs */
  gint64 modified_us;
  gint64 delivery_us; /* 0 until delivered */
  guint64 seq;        /* change sequence number of the last change */
  GPtrArray *attachments; /* RcSimAttachment* (MMS), or NULL */
} RcSimMessage;

typedef struct {
  char *session_id;
  char *access_token;
  char *refresh_token;
  gint64 access_expires;  /* monotonic µs */
  gint64 refresh_expires; /* monotonic µs */
  gboolean revoked;
} RcSimSession;

typedef struct {
  char *path_prefix; /* or NULL */
  RcSimFault fault;
  guint count;
  guint param;
} RcSimFaultSpec;
void rc_sim_fault_spec_free (RcSimFaultSpec *f);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (RcSimFaultSpec, rc_sim_fault_spec_free)

struct _RcSim {
  GObject parent_instance;

  /* scenario */
  gint64 account_id;
  char *main_number;
  gint64 operator_id;
  char *operator_extension_number;
  gint64 extension_id;
  char *extension_number;
  char *extension_name;
  char *client_id;
  char *client_secret;
  char *jwt;
  guint access_ttl;
  guint refresh_ttl;
  guint max_per_page;
  guint delivery_delay_ms;
  gint64 clock_offset_s; /* the simulator's clock minus the local clock */
  GPtrArray *numbers;    /* RcSimNumber* */
  GPtrArray *contacts;   /* RcSimContact* */

  /* names (rc-sim-contacts.c) */
  GPtrArray *address_book; /* JsonObject*: PersonalContactResource members, "id" set */
  GPtrArray *directory;    /* JsonObject*: ContactResource as answered, without "account" */

  /* state */
  char *public_base_url; /* or NULL: from the request's headers */
  SoupServer *server;
  GMainContext *context;
  guint port;
  GPtrArray *requests;  /* RcSimRequest* */
  GHashTable *inflight; /* RcSimRequest* still being answered (not owned) */
  GPtrArray *faults;    /* RcSimFaultSpec* */
  GPtrArray *messages;  /* RcSimMessage*, oldest first */
  GPtrArray *sessions;  /* RcSimSession* */
  GPtrArray *sources;   /* GSource* pending timers */
  guint64 change_seq;
  gint64 next_message_id;
  guint tokens_issued;
  /* browser sign-in (rc-sim-authorize.c) */
  GPtrArray *redirect_uris; /* char*: registered for the app (credentials.redirect_uris) */
  GPtrArray *auth_codes;    /* RcSimAuthCode* issued by /restapi/oauth/authorize */
  guint auth_code_ttl_s;    /* settings.auth_code_ttl, default 60 */
  guint authorize_count;
  struct _RcSimWs *ws; /* WebSocket push state (rc-sim-ws.c), or NULL */
  struct _RcSimMms *mms; /* MMS state (rc-sim-mms.c), or NULL until first used */
  struct _RcSimConns *conns; /* client connections (rc-sim-conns.c), or NULL before start */
  struct _RcSimRate *rate;   /* rate-limit enforcement (rc-sim-ratelimit.c), or NULL: off */
  guint latency_ms;          /* rc_sim_set_latency (): every answer held this long, 0: none */
};

/* One request being answered. */
typedef struct {
  RcSim *sim;
  SoupServerMessage *msg;
  const char *method;
  const char *path;
  const char *query;
  GPtrArray *params; /* query parameters: alternating name, value (char*) */
  char *body;        /* NUL-terminated copy, or NULL */
  gsize body_len;
  char *content_type; /* media type only, lowercase, or NULL */
  char *base_url;     /* "http://" + Host header */
  RcSimRequest *record;
  RcSimSession *session; /* set once a bearer token was accepted */
} RcSimCall;

/* rc-sim-util.c */
GPtrArray *rc_sim_parse_params (const char *encoded);
const char *rc_sim_param (GPtrArray *params, const char *name);
GPtrArray *rc_sim_param_all (GPtrArray *params, const char *name); /* borrowed strings */
char *rc_sim_format_time (gint64 real_us);
gboolean rc_sim_parse_time (const char *iso, gint64 *out_us);
char *rc_sim_random_token (const char *prefix);
gboolean rc_sim_strv_contains (char **strv, const char *s);
glong rc_sim_utf16_length (const char *utf8);
gboolean rc_sim_is_e164 (const char *s);
gboolean rc_sim_parse_uint (const char *s, guint *out);
const char *rc_sim_json_string (JsonObject *o, const char *name);
void rc_sim_reply_json (RcSimCall *call, guint status, JsonNode *node);
void rc_sim_reply_object (RcSimCall *call, guint status, JsonObject *object);
void rc_sim_reply_error (RcSimCall *call, guint status, const char *code, const char *message,
                         const char *parameter_name);
void rc_sim_reply_oauth_error (RcSimCall *call, guint status, const char *error, const char *code,
                               const char *message);
JsonObject *rc_sim_paging (RcSimCall *call, guint page, guint per_page, guint total,
                           const char *extra_query, JsonObject **navigation);
gboolean rc_sim_read_paging (RcSimCall *call, guint *page, guint *per_page);

/* rc-sim-scenario.c */
gboolean rc_sim_scenario_load (RcSim *self, JsonNode *root, GError **error);
RcSimNumber *rc_sim_number_from_json (JsonObject *obj, GError **error);
void rc_sim_number_free (RcSimNumber *n);
void rc_sim_contact_free (RcSimContact *c);
RcSimNumber *rc_sim_find_number (RcSim *self, const char *phone_number);
RcSimContact *rc_sim_find_contact (RcSim *self, const char *phone_number);
gboolean
rc_sim_delivery_status_valid (const char *status); /* NULL, DeliveryFailed, SendingFailed */

/* rc-sim-oauth.c */
void rc_sim_handle_token (RcSimCall *call);
void rc_sim_handle_revoke (RcSimCall *call);
gboolean rc_sim_check_bearer (RcSimCall *call); /* FALSE: a 401 was written */
void rc_sim_session_free (RcSimSession *s);

/* rc-sim-authorize.c */
typedef struct _RcSimAuthCode RcSimAuthCode;
void rc_sim_auth_code_free (RcSimAuthCode *c);
/* @redirect_uris: the scenario's credentials.redirect_uris (NULL: the default one). */
void rc_sim_authorize_init (RcSim *self, JsonArray *redirect_uris);
void rc_sim_handle_authorize (RcSimCall *call);
/* The authorization_code grant's checks (code, client, redirect_uri, PKCE); the code is used up.
 * FALSE: an OAuth error answer was written. */
gboolean rc_sim_check_code_grant (RcSimCall *call, GPtrArray *form);
gboolean rc_sim_authorize_handle_control (RcSimCall *call, const char *what); /* FALSE: not ours */

/* rc-sim-numbers.c */
void rc_sim_handle_phone_numbers (RcSimCall *call);
void rc_sim_handle_account (RcSimCall *call);
void rc_sim_handle_extension (RcSimCall *call);
void rc_sim_handle_sms_configuration (RcSimCall *call, const char *number_id);

/* rc-sim-messages.c */
void rc_sim_message_free (RcSimMessage *m);
RcSimMessage *rc_sim_store_add (RcSim *self, RcSimMessage *m); /* takes ownership */
void rc_sim_touch_message (RcSim *self, RcSimMessage *m);
JsonObject *rc_sim_message_to_json (RcSim *self, const char *base_url, RcSimMessage *m);
gint64 rc_sim_conversation_id (const char *our_number, GPtrArray *others);
/* @attachments (RcSimAttachment*, may be NULL) is taken. */
RcSimMessage *rc_sim_new_inbound (RcSim *self, const char *from, const char *to, GPtrArray *cc,
                                  const char *text, GPtrArray *attachments);
RcSimMessage *rc_sim_new_outbound (RcSim *self, const char *from, GPtrArray *to, const char *text,
                                   GPtrArray *attachments); /* stored, delivery scheduled */
void rc_sim_handle_sms (RcSimCall *call);
/* The sender checks of a send (number ours, SmsSender, MmsSender for groups and @mms, domestic
 * unless InternationalSmsSender), then stores it (taking @attachments), schedules delivery and
 * auto replies and answers 200 with the record. FALSE when an error answer was written. */
gboolean rc_sim_send_checked (RcSimCall *call, const char *from, GPtrArray *to, const char *text,
                              GPtrArray *attachments, gboolean mms);
void rc_sim_handle_message_store (RcSimCall *call, const char *message_id);
void rc_sim_handle_message_sync (RcSimCall *call);
void rc_sim_schedule (RcSim *self, guint delay_ms, GSourceFunc func, gpointer data,
                      GDestroyNotify notify);

/* rc-sim-contacts.c */
gboolean rc_sim_contacts_load (RcSim *self, JsonObject *scenario, GError **error);
void rc_sim_handle_address_book (RcSimCall *call);
void rc_sim_handle_directory (RcSimCall *call);

/* rc-sim-faults.c */
RcSimFaultSpec *rc_sim_take_fault (RcSim *self, const char *path); /* caller frees */
gboolean rc_sim_fault_from_string (const char *name, RcSimFault *out);
/* Answers (or drops) the request as @fault says; SLOW is handled by the caller. */
void rc_sim_apply_fault (RcSimCall *call, RcSimFaultSpec *fault);
const char *rc_sim_fault_to_string (RcSimFault fault);

/* rc-sim-ws.c */
typedef struct _RcSimWs RcSimWs;
void rc_sim_ws_setup (RcSim *self);   /* adds the /ws handlers to self->server */
void rc_sim_ws_dispose (RcSim *self); /* closes every socket, frees the state */
void rc_sim_handle_wstoken (RcSimCall *call);
/* A store record was added (@created) or changed: notifies subscribed WebSocket sessions. */
void rc_sim_ws_message_changed (RcSim *self, RcSimMessage *m, gboolean created);
gboolean rc_sim_ws_handle_control (RcSimCall *call, const char *what); /* FALSE: not ours */

/* rc-sim-mms.c */
typedef struct _RcSimMms RcSimMms;
void rc_sim_mms_free (RcSim *self);
/* POST .../mms (@mms) or a multipart POST .../sms. */
void rc_sim_handle_mms (RcSimCall *call, gboolean mms);
/* GET .../message-store/{id}/content/{attachmentId}. */
void rc_sim_handle_message_content (RcSimCall *call, const char *message_id,
                                    const char *attachment_id);
/* Appends @m's MmsAttachment entries to attachments[]. */
void rc_sim_mms_attachments_to_json (RcSim *self, const char *base_url, RcSimMessage *m,
                                     JsonArray *attachments);
gboolean rc_sim_mms_handle_control (RcSimCall *call, const char *what); /* FALSE: not ours */

/* rc-sim-control.c */
void rc_sim_handle_control (RcSimCall *call);

/* rc-sim.c */
void rc_sim_route (RcSimCall *call);

/* rc-sim-conns.c: counts client connections and closes the ones their client closed (a
 * libsoup 3.2 server leaves them in CLOSE-WAIT). Setup after the server exists, free before it
 * goes. */
typedef struct _RcSimConns RcSimConns;
void rc_sim_conns_setup (RcSim *self);
void rc_sim_conns_free (RcSim *self);

/* rc-sim-rewrite.c: @text with the rewrites of rc_sim_add_json_rewrite() applied (a new string). */
char *rc_sim_rewrite_json (RcSim *self, const char *text);

/* rc-sim-ratelimit.c: per-group limits, enforced once set (scenario "rate_limits",
 * rc_sim_set_rate_limit(), POST /_sim/rate-limit). */
typedef struct _RcSimRate RcSimRate;
void rc_sim_rate_free (RcSim *self);
gboolean rc_sim_rate_load (RcSim *self, JsonObject *scenario, GError **error);
/* Adds the X-Rate-Limit-* headers; TRUE when it answered 429 (over the limit or in the penalty). */
gboolean rc_sim_rate_check (RcSimCall *call);
gboolean rc_sim_rate_handle_control (RcSimCall *call, const char *what); /* FALSE: not ours */

G_END_DECLS
