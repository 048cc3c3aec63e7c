/* rc-outbox.h: the one outgoing pipeline for texts typed here (1:1, group, MMS):
 *   sender (chosen by the caller) → recipients normalised → gates → per-conversation queue →
 *   send through the inbox → result.
 * rc_outbox_prepare() does every local check synchronously, so that a caller echoes a text only
 * when it will really go out; rc_outbox_send_async() queues it. Texts of one conversation leave in
 * the order they were queued, one request in flight per conversation (a slow answer to the first
 * holds the second back); different conversations go in parallel. One per session
 * (rc_session_get_outbox()). */
#pragma once

#include <gio/gio.h>

#include "rc-client.h"
#include "rc-inbox.h"
#include "rc-message.h"
#include "rc-sender-list.h"

G_BEGIN_DECLS

/* A prepared send: what rc_outbox_prepare() checked, with its own copies of everything. Opaque. */
typedef struct _RcOutgoing RcOutgoing;

void rc_outgoing_free (RcOutgoing *outgoing);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (RcOutgoing, rc_outgoing_free)

/* The conversation key: rc_phone_list_name() of the normalised recipients (sorted, deduplicated
 * E.164 joined with ','): the E.164 of the one recipient for a 1:1 text, the chat name for a group;
 * the same as RcInboxEvent.thread for the texts of that conversation. Borrowed. */
const char *rc_outgoing_get_key (const RcOutgoing *outgoing);
/* The sender's E.164 (a copy made in prepare). Borrowed. */
const char *rc_outgoing_get_from (const RcOutgoing *outgoing);
/* The normalised recipients, sorted, NULL-ended. Borrowed. */
const char *const *rc_outgoing_get_to (const RcOutgoing *outgoing);

#define RC_TYPE_OUTBOX (rc_outbox_get_type ())
G_DECLARE_FINAL_TYPE (RcOutbox, rc_outbox, RC, OUTBOX, GObject)

/* Every send's request carries its conversation key as tag (rc_client_set_request_tag()), so a
 * rate-limit hold of a text comes out of RcClient "rate-limited" with the key of its conversation.
 *
 * Signals:
 *   "sent" (RcMessage *record, const char *key): a send succeeded (the record RingCentral answered,
 *          borrowed for the emission; @key its conversation), just before its finish is called. The
 *          session catches up from here when push is not connected (a reply may already wait). */

/* Takes references on @client, @senders (the gates read its numbers) and @inbox (every send holds
 * an rc_inbox_expect_sent() ticket, so that the record shows once however it comes back). */
RcOutbox *rc_outbox_new (RcClient *client, RcSenderList *senders, RcInbox *inbox);

/* Checks a text before anything is sent, in this order, and returns it prepared (free it with
 * rc_outgoing_free() or hand it to rc_outbox_send_async()), or NULL with an RC_ERROR whose message
 * is the sentence the user reads:
 *   1. @from_e164 (copied here: the caller may free it right after) must be one of the send-from
 *      numbers; NULL or an empty list: RC_ERROR_NOT_PERMITTED "This account has no number that can
 *      send texts."; another number: RC_ERROR_NOT_PERMITTED naming it.
 *   2. @to (NULL-ended, any form rc_phone_normalize() accepts, national numbers read in the country
 *      of @from_e164) is normalised, sorted and deduplicated; a bad one: RC_ERROR_INVALID_INPUT
 * naming it; none: "The text has no recipient."; more than RC_PHONE_LIST_MAX_RECIPIENTS:
 *      RC_ERROR_INVALID_INPUT.
 *   3. Gates: rc_senders_check() (group or attachment → MmsSender, else SmsSender; recipients
 * abroad → InternationalSmsSender; RC_ERROR_NOT_PERMITTED naming the number that would work).
 *   4. Text: NULL reads as ""; empty without files → RC_ERROR_INVALID_INPUT "The message has no
 *      text."; more than RC_MESSAGE_MAX_UTF16 UTF-16 units → RC_ERROR_INVALID_INPUT with the count.
 *   5. @files (RcMmsFile* of rc-mms.h, or NULL/empty for a plain SMS; a reference is taken):
 *      rc_mms_check() limits (fact sheet §3 "MMS": at most 10 attachments, 1.5 MB in all). */
RcOutgoing *rc_outbox_prepare (RcOutbox *self, const char *from_e164, const char *const *to,
                               const char *text, GPtrArray *files, GError **error);

/* Queues @outgoing (taken) behind the sends of its conversation still running, and sends it when
 * they have finished (successfully or not): POST …/sms (fact sheet §3), or …/mms with files. The
 * finish gives the record RingCentral answered (rc_message_free), or the request's RC_ERROR (a
 * readable sentence), or G_IO_ERROR_CANCELLED when @cancellable was cancelled (a send still queued
 * then goes out not at all). When push is not connected the session catches up after a success
 * ("sent" signal). */
void rc_outbox_send_async (RcOutbox *self, RcOutgoing *outgoing, GCancellable *cancellable,
                           GAsyncReadyCallback callback, gpointer user_data);
RcMessage *rc_outbox_send_finish (RcOutbox *self, GAsyncResult *result, GError **error);

/* Sends queued or in flight, over every conversation (tests). */
guint rc_outbox_get_pending (RcOutbox *self);

G_END_DECLS
