/* rc-message.h: the RingCentral message record and sending texts. */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "rc-client.h"

G_BEGIN_DECLS

typedef enum {
  RC_DIRECTION_INBOUND,
  RC_DIRECTION_OUTBOUND,
} RcDirection;

/* One attachments[] entry of a record (SPEC MessageAttachmentInfo; ringcentral-api.md §4). */
typedef struct {
  char *id;           /* decimal string (number in REST, string in notifications), or NULL */
  char *uri;          /* content URL (media host for MMS, §4 "Attachments"), or NULL */
  char *type;         /* "Text", "MmsAttachment", ... or NULL */
  char *content_type; /* contentType ("image/jpeg"), or NULL */
  gint64 size;        /* bytes, 0 when absent */
  char *file_name;    /* fileName, or NULL */
} RcAttachment;

RcAttachment *rc_attachment_copy (const RcAttachment *attachment);
void rc_attachment_free (RcAttachment *attachment);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (RcAttachment, rc_attachment_free)

typedef struct {
  char *id;              /* decimal string; REST gives a number, notifications a string */
  char *conversation_id; /* conversation.id (string), else conversationId (int64), or NULL */
  char *type;            /* "SMS", "Pager", ... */
  RcDirection direction;
  char *from;            /* from.phoneNumber or NULL (internal Pager messages have none) */
  char *from_name;       /* from.name (a contact or extension name) or NULL */
  GPtrArray *to;         /* char* phone numbers of to[] that have one */
  GPtrArray *to_names;   /* char* to[].name, or NULL entries; same length and order as @to */
  char *owner_number;    /* inbound: our number it reached (to[] with target=true, else the only to[]) */
  char *text;            /* subject, or "" */
  char *message_status;  /* "Queued", "Sent", "Delivered", "DeliveryFailed", "SendingFailed", "Received" */
  char *read_status;     /* "Read" / "Unread" or NULL */
  char *delivery_error_code; /* or NULL */
  char *availability;    /* "Alive", "Deleted", "Purged" or NULL */
  gint64 creation_time;  /* Unix seconds, 0 when absent */
  gint64 last_modified_time; /* lastModifiedTime, Unix seconds, 0 when absent */
  guint attachment_count; /* attachments[] of type MmsAttachment */
  GPtrArray *attachments; /* RcAttachment*: every object entry of attachments[] (the Text body
                           * included), in record order; never NULL */
} RcMessage;

/* Parses one message record (REST or notification form; ids as numbers or strings, conversationId
 * beyond 2^53). Missing id or type, or wrong shapes → RC_ERROR_BAD_RESPONSE. */
RcMessage *rc_message_parse (JsonNode *node, GError **error);
RcMessage *rc_message_copy (const RcMessage *message);
void rc_message_free (RcMessage *message);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (RcMessage, rc_message_free)

/* Length of @text in UTF-16 code units (what RingCentral's 1000 limit counts). */
gsize rc_message_utf16_length (const char *text);
#define RC_MESSAGE_MAX_UTF16 1000

/* Local checks every send makes before anything goes out (RC_ERROR_INVALID_INPUT with a sentence):
 * at least one recipient, @from and every @to E.164, no short code among @to. */
gboolean rc_message_check_parties (const char *from, const char *const *to, GError **error);
/* @text (NULL counts as empty) is at most RC_MESSAGE_MAX_UTF16 UTF-16 units (fact sheet §3). */
gboolean rc_message_check_text_length (const char *text, GError **error);

/* The JSON body of POST .../sms. */
JsonNode *rc_message_build_sms_body (const char *from, const char *const *to, const char *text);

/* Sends an SMS (POST /restapi/v1.0/account/~/extension/~/sms). Checks locally first (empty text,
 * over 1000 UTF-16 units, no recipient → RC_ERROR_INVALID_INPUT, nothing sent). Server refusals come
 * back as RC_ERROR_* with a readable message that ends with the RingCentral code. */
void rc_message_send_sms_async (RcClient *client, const char *from, const char *const *to,
                                const char *text, GCancellable *cancellable,
                                GAsyncReadyCallback callback, gpointer user_data);
RcMessage *rc_message_send_sms_finish (RcClient *client, GAsyncResult *result, GError **error);

/* At most this many ids go into one mark-read request (SPEC updateMessage: "maximum number of IDs
 * passed as query/path parameters is 50"). */
#define RC_MESSAGE_MARK_READ_MAX 50

/* Marks messages Read on RingCentral (SPEC operationId updateMessage, PUT
 * /restapi/v1.0/account/~/extension/~/message-store/{messageId}; ringcentral-api.md §4 "Read
 * state"; GUIDE/basics/batch-requests). @ids: NULL-terminated message ids, each decimal digits only
 * (else RC_ERROR_INVALID_INPUT and nothing is sent); none at all succeeds at once without a
 * request. Ids go RC_MESSAGE_MARK_READ_MAX to a request, requests one after another:
 *   - one id: Content-Type application/json, body {"readStatus":"Read"}, answer 200 with the
 *     record (UpdateMessageRequest → GetMessageInfoResponse);
 *   - several: path "{id},{id},...", Content-Type and Accept
 *     application/vnd.ringcentral.multipart+json, body one {"body":{"readStatus":"Read"}} per id
 *     in path order (UpdateMessageBulkRequest), answer 207 Multi-Status with
 *     [{"resourceId","status","body"}] (GetMessageMultiResponse).
 * A message that no longer exists (404, alone or as a part) counts as done. Another failed part
 * does not stop the later requests; the finish then reports the first one (rc_error_from_http()
 * of its status and body). A request that fails stops the rest (its RC_ERROR). An answer of the
 * wrong shape is RC_ERROR_BAD_RESPONSE. Medium throttling group, app permission EditMessages. */
void rc_message_mark_read_async (RcClient *client, const char *const *ids,
                                 GCancellable *cancellable, GAsyncReadyCallback callback,
                                 gpointer user_data);
gboolean rc_message_mark_read_finish (RcClient *client, GAsyncResult *result, GError **error);

G_END_DECLS
