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

typedef struct {
  char *id;              /* decimal string; REST gives a number, notifications a string */
  char *conversation_id; /* conversation.id (string), else conversationId (int64), or NULL */
  char *type;            /* "SMS", "Pager", ... */
  RcDirection direction;
  char *from;            /* from.phoneNumber or NULL (internal Pager messages have none) */
  GPtrArray *to;         /* char* phone numbers of to[] that have one */
  char *owner_number;    /* inbound: our number it reached (to[] with target=true, else the only to[]) */
  char *text;            /* subject, or "" */
  char *message_status;  /* "Queued", "Sent", "Delivered", "DeliveryFailed", "SendingFailed", "Received" */
  char *read_status;     /* "Read" / "Unread" or NULL */
  char *delivery_error_code; /* or NULL */
  char *availability;    /* "Alive", "Deleted", "Purged" or NULL */
  gint64 creation_time;  /* Unix seconds, 0 when absent */
  guint attachment_count; /* attachments[] of type MmsAttachment */
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

/* The JSON body of POST .../sms. */
JsonNode *rc_message_build_sms_body (const char *from, const char *const *to, const char *text);

/* Sends an SMS (POST /restapi/v1.0/account/~/extension/~/sms). Checks locally first (empty text,
 * over 1000 UTF-16 units, no recipient → RC_ERROR_INVALID_INPUT, nothing sent). Server refusals come
 * back as RC_ERROR_* with a readable message that ends with the RingCentral code. */
void rc_message_send_sms_async (RcClient *client, const char *from, const char *const *to,
                                const char *text, GCancellable *cancellable,
                                GAsyncReadyCallback callback, gpointer user_data);
RcMessage *rc_message_send_sms_finish (RcClient *client, GAsyncResult *result, GError **error);

G_END_DECLS
