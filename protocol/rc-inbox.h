/* rc-inbox.h: the one stream of message events. Message-sync records, push notifications and the
 * answers to our own sends all enter here; the inbox keeps the one memory of ids already seen (so a
 * text is shown once however many ways it arrives), classifies each record and emits typed events.
 *
 * Classification (fact sheet §3 "Group messaging", §4 "Message record"):
 *   - our number on the thread: inbound → the to[] entry with target=true (else the only to[], else
 *     the first to[] that is one of the send-from numbers); outbound → from.
 *   - the other parties: every from/to[] number that is neither our number nor a send-from number;
 *     more than one makes a group text.
 *   - inbound → RECEIVED; outbound → SENT_HERE when it matches a send made through this inbox
 *     (rc_inbox_expect_sent), else SENT_ELSEWHERE (the user texted from the RingCentral app or
 *     phone); a known outbound record whose messageStatus turns Delivered / DeliveryFailed /
 *     SendingFailed → DELIVERED / DELIVERY_FAILED (once per record and status).
 * Only type "SMS" records count (MMS are SMS records with attachments; Pager is internal). */
#pragma once

#include <glib-object.h>

#include "rc-message.h"
#include "rc-sender-list.h"

G_BEGIN_DECLS

typedef enum {
  RC_INBOX_RECEIVED,        /* a text to the user */
  RC_INBOX_SENT_ELSEWHERE,  /* a text the user sent from another RingCentral app or device */
  RC_INBOX_DELIVERED,       /* an outbound text reached the recipient's carrier ("Delivered") */
  RC_INBOX_DELIVERY_FAILED, /* an outbound text turned DeliveryFailed or SendingFailed */
  RC_INBOX_N_KINDS
} RcInboxKind;

typedef enum {
  RC_INBOX_FROM_SYNC, /* message-sync (catch-up, ISync after changes) */
  RC_INBOX_FROM_PUSH, /* WebSocket instant notification */
} RcInboxSource;

/* One event. Reference-counted boxed type (RC_TYPE_INBOX_EVENT); handlers borrow it for the
 * emission and take a reference (rc_inbox_event_ref) to keep it. All strings are owned by it. */
typedef struct {
  RcInboxKind kind;
  gboolean is_group;
  gboolean sent_here;   /* DELIVERED / DELIVERY_FAILED: the text was sent from this client */
  RcMessage *message;   /* the record as received */
  char *ours;           /* our number on the thread (E.164), or NULL when the record has none */
  char *peer;           /* 1:1: the other party (E.164, or a short code such as "72975") */
  GPtrArray *others;    /* char*: every other party, sorted, deduplicated; 1:1: just @peer */
  char *thread;         /* the conversation key: @peer (1:1) or rc_phone_list_name(@others) (group) */
  /*< private >*/
  gint ref_count;
} RcInboxEvent;

#define RC_TYPE_INBOX_EVENT (rc_inbox_event_get_type ())
GType rc_inbox_event_get_type (void);
RcInboxEvent *rc_inbox_event_ref (RcInboxEvent *event);
void rc_inbox_event_unref (RcInboxEvent *event);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (RcInboxEvent, rc_inbox_event_unref)

/* The pure part: which thread @message belongs to, as an event of @kind with message, ours, peer,
 * others, thread and is_group filled in. NULL when the record has no other party (a note to self,
 * an internal record without numbers). @senders: RcPhoneNumber* (may be NULL or empty). */
RcInboxEvent *rc_inbox_classify (const RcMessage *message, GPtrArray *senders, RcInboxKind kind);

#define RC_TYPE_INBOX (rc_inbox_get_type ())
G_DECLARE_FINAL_TYPE (RcInbox, rc_inbox, RC, INBOX, GObject)

/* Signals:
 *   "event" (RcInboxEvent *event): in arrival order; for one batch, oldest first.
 *   "state-changed" (void): the seen memory changed: persist rc_inbox_save_seen() (debounce it). */

/* How many record ids the seen memory keeps (the newest). A sync window overlaps the last one by
 * seconds, and push and sync deliver the same records, so this bounds memory, not correctness,
 * as long as one catch-up brings fewer records than this. */
#define RC_INBOX_SEEN_MAX 5000

RcInbox *rc_inbox_new (RcSenderList *senders);

/* Longest record id remembered (bytes). RingCentral's ids are decimal, up to 20 digits (fact sheet
 * §4 "Message record"); a record with a longer id is skipped (a debug line), never shown. */
#define RC_INBOX_MAX_ID 64

/* The seen memory as text for the account's settings (the newest 1,000 ids): "v2" and then, each
 * after a ',', an id percent-escaped (g_uri_escape_string(): any id survives, ',' and ':' too),
 * followed by ':' and one letter per status it was handled with when it has one (Q S D F X R;
 * O: another). Returns a new string (g_free). */
char *rc_inbox_save_seen (RcInbox *self);
/* Restores the memory saved by rc_inbox_save_seen(), or by older versions ("id" or "id:L"
 * entries, ','-separated, ids as they are); damaged entries are skipped. @saved may be NULL. */
void rc_inbox_restore_seen (RcInbox *self, const char *saved);
/* TRUE when the record @id has been handled (it is in the seen memory). */
gboolean rc_inbox_has_seen (RcInbox *self, const char *id);

/* Records handled in one go; the rest of a bigger batch is handled this many at a time from an
 * idle (G_PRIORITY_DEFAULT_IDLE), so that 100,000 records of one catch-up do not block the main
 * loop (issue 10: 49 s). */
#define RC_INBOX_CHUNK 500

/* Feeds records (RcMessage*, borrowed: copied when kept; any order: a batch is handled oldest
 * first). The first RC_INBOX_CHUNK records of a batch are handled before this returns, the rest
 * from the main loop; batches added meanwhile wait behind them, so events stay in arrival order. */
void rc_inbox_add (RcInbox *self, GPtrArray *messages, RcInboxSource source);
/* How many records wait to be handled (0 once everything added was handled). */
guint rc_inbox_get_backlog (RcInbox *self);
void rc_inbox_add_one (RcInbox *self, const RcMessage *message, RcInboxSource source);

/* Our own sends. Before the request: rc_inbox_expect_sent() with what is sent (E.164 from and to,
 * the text) returns a ticket; a matching outbound record that arrives by sync or push before the
 * answer is taken as this send (no SENT_ELSEWHERE event). When the answer is in:
 * rc_inbox_sent_done() with the record (NULL when the send failed: the ticket is dropped). */
guint rc_inbox_expect_sent (RcInbox *self, const char *from, const char *const *to,
                            const char *text);
void rc_inbox_sent_done (RcInbox *self, guint ticket, const RcMessage *record);

/* The id of the record already taken as the send of @ticket (it came by push or sync before the
 * send's answer), or NULL. */
const char *rc_inbox_sent_matched (RcInbox *self, guint ticket);

/* TRUE when @message stands for the send of @ticket (same sender, recipients and text) and is
 * not a record the inbox has seen before (an earlier, identical text). */
gboolean rc_inbox_matches_sent (RcInbox *self, guint ticket, const RcMessage *message);

/* Read marks: ids of inbound texts of @thread still Unread on the server as far as the inbox knows
 * (a record that later arrives as Read drops out). Removes and returns them (NULL-ended, may be
 * empty; g_strfreev). */
GStrv rc_inbox_take_unread (RcInbox *self, const char *thread);

G_END_DECLS
