/* rc-inbox.c: one stream of message events; seen ids; classification. */
#include "rc-inbox.h"

#include <string.h>

#include "rc-phone-list.h"

/* At most this many ids are written by rc_inbox_save_seen() (the newest): enough for the overlap
 * of the next sync window, small enough for accounts.xml. */
#define SEEN_SAVED_MAX 1000
/* Unread ids remembered per thread (the oldest are dropped: RingCentral marks them in bulk, at
 * most 50 per request anyway). */
#define UNREAD_MAX_PER_THREAD 200

/* ---- events ---- */

G_DEFINE_BOXED_TYPE (RcInboxEvent, rc_inbox_event, rc_inbox_event_ref, rc_inbox_event_unref)

RcInboxEvent *
rc_inbox_event_ref (RcInboxEvent *event)
{
  g_return_val_if_fail (event != NULL, NULL);
  g_atomic_int_inc (&event->ref_count);
  return event;
}

void
rc_inbox_event_unref (RcInboxEvent *event)
{
  if (event == NULL || !g_atomic_int_dec_and_test (&event->ref_count))
    return;
  rc_message_free (event->message);
  g_free (event->ours);
  g_free (event->peer);
  g_ptr_array_unref (event->others);
  g_free (event->thread);
  g_free (event);
}

static gboolean
is_sender (GPtrArray *senders, const char *number)
{
  for (guint i = 0; senders != NULL && i < senders->len; i++)
    if (g_strcmp0 (((const RcPhoneNumber *)senders->pdata[i])->e164, number) == 0)
      return TRUE;
  return FALSE;
}

RcInboxEvent *
rc_inbox_classify (const RcMessage *message, GPtrArray *senders, RcInboxKind kind)
{
  g_autoptr (GPtrArray) others = g_ptr_array_new_with_free_func (g_free);
  gboolean outbound;
  const char *ours = NULL;
  RcInboxEvent *event;

  g_return_val_if_fail (message != NULL, NULL);

  outbound = message->direction == RC_DIRECTION_OUTBOUND;
  if (outbound)
    ours = message->from;
  else if (message->owner_number != NULL)
    ours = message->owner_number;
  for (guint i = 0; ours == NULL && message->to != NULL && i < message->to->len; i++)
    if (is_sender (senders, message->to->pdata[i]))
      ours = message->to->pdata[i];

  if (!outbound && message->from != NULL && *message->from != '\0'
      && g_strcmp0 (message->from, ours) != 0 && !is_sender (senders, message->from))
    rc_phone_list_add (others, g_strdup (message->from));
  for (guint i = 0; message->to != NULL && i < message->to->len; i++) {
    const char *n = message->to->pdata[i];

    if (n != NULL && *n != '\0' && g_strcmp0 (n, ours) != 0 && !is_sender (senders, n))
      rc_phone_list_add (others, g_strdup (n));
  }
  if (others->len == 0)
    return NULL;

  event = g_new0 (RcInboxEvent, 1);
  event->ref_count = 1;
  event->kind = kind;
  event->message = rc_message_copy (message);
  event->ours = g_strdup (ours);
  event->is_group = others->len > 1;
  event->peer = event->is_group ? NULL : g_strdup (others->pdata[0]);
  event->thread = event->is_group ? rc_phone_list_name (others) : g_strdup (event->peer);
  event->others = g_steal_pointer (&others);
  return event;
}

/* ---- the inbox ---- */

typedef struct {
  char *from;
  char *to; /* rc_phone_list_name of the recipients */
  char *text;
  char *matched_id; /* a record taken as this send before its answer came */
} Pending;

static void
pending_free (Pending *p)
{
  g_free (p->from);
  g_free (p->to);
  g_free (p->text);
  g_free (p->matched_id);
  g_free (p);
}

struct _RcInbox {
  GObject parent_instance;

  RcSenderList *senders;
  /* Seen ids: a queue for age (oldest at the head) and a table id → last messageStatus (interned
   * string, or NULL when unknown); the table's keys are the queue's strings. */
  GQueue seen_order;
  GHashTable *seen;
  GHashTable *ours;    /* ids of records sent from this client (keys owned), within the seen ones */
  GHashTable *pending; /* ticket → Pending* */
  guint next_ticket;
  GHashTable *unread; /* thread → GPtrArray of char* ids */
  /* Records of big batches not handled yet (RcMessage*, owned, oldest first), handled
   * RC_INBOX_CHUNK at a time from an idle so that the main loop keeps turning. */
  GQueue backlog;
  guint backlog_id;
};

enum { SIGNAL_EVENT, SIGNAL_STATE_CHANGED, N_SIGNALS };
static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (RcInbox, rc_inbox, G_TYPE_OBJECT)

static void
rc_inbox_finalize (GObject *object)
{
  RcInbox *self = RC_INBOX (object);

  g_clear_object (&self->senders);
  g_hash_table_destroy (self->seen);
  g_queue_clear_full (&self->seen_order, g_free);
  g_hash_table_destroy (self->ours);
  g_hash_table_destroy (self->pending);
  g_hash_table_destroy (self->unread);
  if (self->backlog_id != 0)
    g_source_remove (self->backlog_id);
  g_queue_clear_full (&self->backlog, (GDestroyNotify)rc_message_free);
  G_OBJECT_CLASS (rc_inbox_parent_class)->finalize (object);
}

static void
rc_inbox_class_init (RcInboxClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = rc_inbox_finalize;

  signals[SIGNAL_EVENT]
      = g_signal_new ("event", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                      G_TYPE_NONE, 1, RC_TYPE_INBOX_EVENT | G_SIGNAL_TYPE_STATIC_SCOPE);
  signals[SIGNAL_STATE_CHANGED]
      = g_signal_new ("state-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                      NULL, G_TYPE_NONE, 0);
}

static void
rc_inbox_init (RcInbox *self)
{
  g_queue_init (&self->seen_order);
  self->seen = g_hash_table_new (g_str_hash, g_str_equal);
  self->ours = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->pending
      = g_hash_table_new_full (g_direct_hash, g_direct_equal, NULL, (GDestroyNotify)pending_free);
  self->unread
      = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify)g_ptr_array_unref);
  self->next_ticket = 1;
  g_queue_init (&self->backlog);
}

RcInbox *
rc_inbox_new (RcSenderList *senders)
{
  RcInbox *self;

  g_return_val_if_fail (RC_IS_SENDER_LIST (senders), NULL);
  self = g_object_new (RC_TYPE_INBOX, NULL);
  self->senders = g_object_ref (senders);
  return self;
}

/* ---- seen memory ---- */

/* messageStatus ↔ the one letter saved for it; a seen entry keeps a mask of the statuses it was
 * handled with (bit i: status_letters[i]; STATUS_OTHER: an unknown or absent status), so that each
 * record and status is announced once (rc-inbox.h) even when a batch lists a record twice. */
static const struct {
  char letter;
  const char *status;
} status_letters[] = {
  { 'Q', "Queued" },         { 'S', "Sent" },          { 'D', "Delivered" },
  { 'F', "DeliveryFailed" }, { 'X', "SendingFailed" }, { 'R', "Received" },
};
#define STATUS_OTHER        (1u << G_N_ELEMENTS (status_letters))
#define STATUS_OTHER_LETTER 'O'
/* The first entry of the saved memory in the format of rc_inbox_save_seen() (entries of ids
 * percent-escaped); without it the text is the older format ("id" or "id:L", ids without ',' or
 * ':'), which accounts still have saved. */
#define SEEN_FORMAT_2 "v2"

static guint
status_bit (const char *status)
{
  for (guint i = 0; status != NULL && i < G_N_ELEMENTS (status_letters); i++)
    if (strcmp (status, status_letters[i].status) == 0)
      return 1u << i;
  return STATUS_OTHER;
}

/* The bit of the saved letter @c, or 0 when it is none. */
static guint
letter_bit (char c)
{
  for (guint i = 0; i < G_N_ELEMENTS (status_letters); i++)
    if (c == status_letters[i].letter)
      return 1u << i;
  return c == STATUS_OTHER_LETTER ? STATUS_OTHER : 0;
}

/* How far along a text is: a copy that arrives late (sync after push) must not move it back. */
static int
status_rank (const char *status)
{
  if (g_strcmp0 (status, "Queued") == 0)
    return 1;
  if (g_strcmp0 (status, "Sent") == 0)
    return 2;
  if (g_strcmp0 (status, "Delivered") == 0 || g_strcmp0 (status, "DeliveryFailed") == 0
      || g_strcmp0 (status, "SendingFailed") == 0)
    return 3;
  return 0; /* Received, unknown */
}

/* The highest status_rank() among the statuses of @mask. */
static int
mask_rank (guint mask)
{
  int rank = 0;

  for (guint i = 0; i < G_N_ELEMENTS (status_letters); i++)
    if ((mask & (1u << i)) != 0)
      rank = MAX (rank, status_rank (status_letters[i].status));
  return rank;
}

static gboolean
seen_lookup (RcInbox *self, const char *id, guint *mask)
{
  gpointer value = NULL;
  gboolean found = g_hash_table_lookup_extended (self->seen, id, NULL, &value);

  if (mask != NULL)
    *mask = GPOINTER_TO_UINT (value);
  return found;
}

static void
seen_set (RcInbox *self, const char *id, guint mask)
{
  gpointer key = NULL;
  char *copy;

  if (g_hash_table_lookup_extended (self->seen, id, &key, NULL)) {
    g_hash_table_insert (self->seen, key, GUINT_TO_POINTER (mask));
    return;
  }
  copy = g_strdup (id);
  g_queue_push_tail (&self->seen_order, copy);
  g_hash_table_insert (self->seen, copy, GUINT_TO_POINTER (mask));
  while (self->seen_order.length > RC_INBOX_SEEN_MAX) {
    char *oldest = g_queue_pop_head (&self->seen_order);

    g_hash_table_remove (self->seen, oldest);
    g_hash_table_remove (self->ours, oldest);
    g_free (oldest);
  }
}

/* TRUE when @id can be remembered: not empty, at most RC_INBOX_MAX_ID bytes. */
static gboolean
id_ok (const char *id)
{
  return id != NULL && id[0] != '\0' && strnlen (id, RC_INBOX_MAX_ID + 1) <= RC_INBOX_MAX_ID;
}

/* One saved entry ("ID" or "ID:LETTERS", ID percent-escaped when @escaped) into the memory;
 * damaged entries are skipped. */
static void
restore_entry (RcInbox *self, char *entry, gboolean escaped)
{
  char *colon = strchr (entry, ':');
  g_autofree char *id = NULL;
  guint mask = 0;

  if (colon != NULL) {
    *colon = '\0';
    for (const char *c = colon + 1; *c != '\0'; c++) {
      guint bit = letter_bit (*c);

      if (bit == 0)
        return;
      mask |= bit;
    }
  }
  id = escaped ? g_uri_unescape_string (entry, NULL) : g_strdup (entry);
  if (!id_ok (id) || (!escaped && strpbrk (id, " \t\r\n") != NULL))
    return;
  seen_set (self, id, mask);
}

void
rc_inbox_restore_seen (RcInbox *self, const char *saved)
{
  g_auto (GStrv) entries = NULL;
  gboolean escaped;

  g_return_if_fail (RC_IS_INBOX (self));

  g_hash_table_remove_all (self->seen);
  g_queue_clear_full (&self->seen_order, g_free);
  if (saved == NULL)
    return;
  entries = g_strsplit (saved, ",", -1);
  escaped = entries[0] != NULL && strcmp (g_strstrip (entries[0]), SEEN_FORMAT_2) == 0;
  for (guint i = escaped ? 1 : 0; entries[i] != NULL; i++)
    restore_entry (self, g_strstrip (entries[i]), escaped);
}

char *
rc_inbox_save_seen (RcInbox *self)
{
  GString *out;
  GList *l;
  guint skip;

  g_return_val_if_fail (RC_IS_INBOX (self), NULL);

  out = g_string_new (SEEN_FORMAT_2);
  skip = self->seen_order.length > SEEN_SAVED_MAX ? self->seen_order.length - SEEN_SAVED_MAX : 0;
  for (l = self->seen_order.head; l != NULL && skip > 0; l = l->next)
    skip--;
  for (; l != NULL; l = l->next) {
    guint mask = GPOINTER_TO_UINT (g_hash_table_lookup (self->seen, l->data));
    g_autofree char *id = g_uri_escape_string (l->data, NULL, FALSE);

    g_string_append_printf (out, ",%s", id);
    if (mask != 0)
      g_string_append_c (out, ':');
    for (guint j = 0; j < G_N_ELEMENTS (status_letters); j++)
      if ((mask & (1u << j)) != 0)
        g_string_append_c (out, status_letters[j].letter);
    if ((mask & STATUS_OTHER) != 0)
      g_string_append_c (out, STATUS_OTHER_LETTER);
  }
  return g_string_free (out, FALSE);
}

gboolean
rc_inbox_has_seen (RcInbox *self, const char *id)
{
  g_return_val_if_fail (RC_IS_INBOX (self), FALSE);
  return id != NULL && seen_lookup (self, id, NULL);
}

/* ---- unread ---- */

static void
unread_add (RcInbox *self, const char *thread, const char *id)
{
  GPtrArray *ids = g_hash_table_lookup (self->unread, thread);

  if (ids == NULL) {
    ids = g_ptr_array_new_with_free_func (g_free);
    g_hash_table_insert (self->unread, g_strdup (thread), ids);
  }
  if (g_ptr_array_find_with_equal_func (ids, id, g_str_equal, NULL))
    return;
  if (ids->len >= UNREAD_MAX_PER_THREAD)
    g_ptr_array_remove_index (ids, 0);
  g_ptr_array_add (ids, g_strdup (id));
}

static void
unread_drop (RcInbox *self, const char *thread, const char *id)
{
  GPtrArray *ids = g_hash_table_lookup (self->unread, thread);
  guint index;

  if (ids != NULL && g_ptr_array_find_with_equal_func (ids, id, g_str_equal, &index))
    g_ptr_array_remove_index (ids, index);
}

GStrv
rc_inbox_take_unread (RcInbox *self, const char *thread)
{
  GPtrArray *ids;
  GPtrArray *out;

  g_return_val_if_fail (RC_IS_INBOX (self), NULL);

  out = g_ptr_array_new ();
  ids = thread != NULL ? g_hash_table_lookup (self->unread, thread) : NULL;
  for (guint i = 0; ids != NULL && i < ids->len; i++)
    g_ptr_array_add (out, g_strdup (ids->pdata[i]));
  if (thread != NULL)
    g_hash_table_remove (self->unread, thread);
  g_ptr_array_add (out, NULL);
  return (GStrv)g_ptr_array_free (out, FALSE);
}

/* ---- our own sends ---- */

static char *
recipients_key (const char *const *to)
{
  g_autoptr (GPtrArray) list = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; to != NULL && to[i] != NULL; i++)
    rc_phone_list_add (list, g_strdup (to[i]));
  return rc_phone_list_name (list);
}

guint
rc_inbox_expect_sent (RcInbox *self, const char *from, const char *const *to, const char *text)
{
  Pending *p;
  guint ticket;

  g_return_val_if_fail (RC_IS_INBOX (self), 0);

  p = g_new0 (Pending, 1);
  p->from = g_strdup (from);
  p->to = recipients_key (to);
  p->text = g_strdup (text != NULL ? text : "");
  ticket = self->next_ticket++;
  if (self->next_ticket == 0)
    self->next_ticket = 1;
  g_hash_table_insert (self->pending, GUINT_TO_POINTER (ticket), p);
  return ticket;
}

/* The pending send an outbound record that just arrived stands for, if any (oldest first). */
static Pending *
pending_match (RcInbox *self, const RcMessage *message)
{
  g_autofree char *to = NULL;
  Pending *best = NULL;
  guint best_ticket = G_MAXUINT;
  GHashTableIter iter;
  gpointer key, value;

  if (g_hash_table_size (self->pending) == 0)
    return NULL;
  {
    g_autoptr (GPtrArray) list = g_ptr_array_new_with_free_func (g_free);

    for (guint i = 0; message->to != NULL && i < message->to->len; i++)
      rc_phone_list_add (list, g_strdup (message->to->pdata[i]));
    to = rc_phone_list_name (list);
  }
  g_hash_table_iter_init (&iter, self->pending);
  while (g_hash_table_iter_next (&iter, &key, &value)) {
    Pending *p = value;

    if (p->matched_id == NULL && g_strcmp0 (p->from, message->from) == 0
        && g_strcmp0 (p->to, to) == 0 && g_strcmp0 (p->text, message->text) == 0
        && GPOINTER_TO_UINT (key) < best_ticket) {
      best = p;
      best_ticket = GPOINTER_TO_UINT (key);
    }
  }
  return best;
}

/* ---- records ---- */

static gboolean
is_final_status (const char *status)
{
  return g_strcmp0 (status, "Delivered") == 0 || g_strcmp0 (status, "DeliveryFailed") == 0
         || g_strcmp0 (status, "SendingFailed") == 0;
}

static void
emit (RcInbox *self, const RcMessage *message, RcInboxKind kind, gboolean sent_here)
{
  g_autoptr (RcInboxEvent) event
      = rc_inbox_classify (message, rc_sender_list_get (self->senders), kind);

  if (event == NULL) {
    g_debug ("message %s has no other party; not shown", message->id);
    return;
  }
  event->sent_here = sent_here;
  if (kind == RC_INBOX_RECEIVED && g_strcmp0 (message->read_status, "Unread") == 0)
    unread_add (self, event->thread, message->id);
  g_signal_emit (self, signals[SIGNAL_EVENT], 0, event);
}

static void
emit_status (RcInbox *self, const RcMessage *message, gboolean sent_here)
{
  if (g_strcmp0 (message->message_status, "Delivered") == 0)
    emit (self, message, RC_INBOX_DELIVERED, sent_here);
  else if (is_final_status (message->message_status))
    emit (self, message, RC_INBOX_DELIVERY_FAILED, sent_here);
}

/* Handles one record; TRUE when the seen memory changed. */
static gboolean
add_record (RcInbox *self, const RcMessage *message)
{
  gboolean outbound = message->direction == RC_DIRECTION_OUTBOUND;
  guint bit = status_bit (message->message_status);
  guint known = 0;
  Pending *pending;

  if (message->id == NULL || g_strcmp0 (message->type, "SMS") != 0)
    return FALSE;
  if (!id_ok (message->id)) {
    g_debug ("inbox: a record with an id longer than %d bytes skipped", RC_INBOX_MAX_ID);
    return FALSE;
  }

  if (seen_lookup (self, message->id, &known)) {
    if ((known & bit) != 0) {
      if (!outbound && g_strcmp0 (message->read_status, "Read") == 0) {
        g_autoptr (RcInboxEvent) e
            = rc_inbox_classify (message, rc_sender_list_get (self->senders), RC_INBOX_RECEIVED);
        if (e != NULL)
          unread_drop (self, e->thread, message->id);
      }
      return FALSE;
    }
    if (status_rank (message->message_status) < mask_rank (known))
      return FALSE;
    seen_set (self, message->id, known | bit);
    if (outbound && is_final_status (message->message_status))
      emit_status (self, message, g_hash_table_contains (self->ours, message->id));
    return TRUE;
  }

  seen_set (self, message->id, bit);
  if (g_strcmp0 (message->availability, "Deleted") == 0
      || g_strcmp0 (message->availability, "Purged") == 0)
    return TRUE;
  if (!outbound) {
    emit (self, message, RC_INBOX_RECEIVED, FALSE);
    return TRUE;
  }
  if ((pending = pending_match (self, message)) != NULL) {
    pending->matched_id = g_strdup (message->id);
    g_hash_table_add (self->ours, g_strdup (message->id));
    if (is_final_status (message->message_status))
      emit_status (self, message, TRUE);
    return TRUE;
  }
  emit (self, message, RC_INBOX_SENT_ELSEWHERE, FALSE);
  if (is_final_status (message->message_status))
    emit_status (self, message, FALSE);
  return TRUE;
}

static int
compare_ids (const char *a, const char *b)
{
  gsize la = strlen (a), lb = strlen (b);

  return la != lb ? (la < lb ? -1 : 1) : strcmp (a, b);
}

static int
compare_messages (gconstpointer pa, gconstpointer pb)
{
  const RcMessage *a = *(const RcMessage *const *)pa;
  const RcMessage *b = *(const RcMessage *const *)pb;

  if (a->creation_time != b->creation_time)
    return a->creation_time < b->creation_time ? -1 : 1;
  return compare_ids (a->id != NULL ? a->id : "", b->id != NULL ? b->id : "");
}

/* Handles up to @max records of the backlog; emits "state-changed" when the memory changed. */
static void
handle_backlog (RcInbox *self, guint max)
{
  gboolean changed = FALSE;

  g_object_ref (self);
  for (guint i = 0; i < max && self->backlog.length > 0; i++) {
    g_autoptr (RcMessage) message = g_queue_pop_head (&self->backlog);

    changed |= add_record (self, message);
  }
  if (changed)
    g_signal_emit (self, signals[SIGNAL_STATE_CHANGED], 0);
  g_object_unref (self);
}

static gboolean
on_backlog (gpointer user_data)
{
  RcInbox *self = user_data;

  handle_backlog (self, RC_INBOX_CHUNK);
  if (self->backlog.length > 0)
    return G_SOURCE_CONTINUE;
  self->backlog_id = 0;
  return G_SOURCE_REMOVE;
}

void
rc_inbox_add (RcInbox *self, GPtrArray *messages, RcInboxSource source)
{
  g_autoptr (GPtrArray) sorted = NULL;
  gboolean changed = FALSE;
  guint now;

  g_return_if_fail (RC_IS_INBOX (self));
  g_return_if_fail (messages != NULL);

  /* The copy would inherit the records' free function: it borrows them. */
  sorted = g_ptr_array_copy (messages, NULL, NULL);
  g_ptr_array_set_free_func (sorted, NULL);
  g_ptr_array_sort (sorted, compare_messages);
  /* Behind a backlog, everything waits its turn (arrival order); else the first chunk is
   * handled at once and only the rest waits. */
  now = self->backlog.length > 0 ? 0 : MIN (sorted->len, RC_INBOX_CHUNK);
  for (guint i = now; i < sorted->len; i++)
    g_queue_push_tail (&self->backlog, rc_message_copy (sorted->pdata[i]));
  if (self->backlog.length > 0 && self->backlog_id == 0)
    self->backlog_id = g_idle_add_full (G_PRIORITY_DEFAULT_IDLE, on_backlog, self, NULL);
  g_object_ref (self);
  for (guint i = 0; i < now; i++)
    changed |= add_record (self, sorted->pdata[i]);
  if (changed)
    g_signal_emit (self, signals[SIGNAL_STATE_CHANGED], 0);
  g_object_unref (self);
}

guint
rc_inbox_get_backlog (RcInbox *self)
{
  g_return_val_if_fail (RC_IS_INBOX (self), 0);
  return self->backlog.length;
}

void
rc_inbox_add_one (RcInbox *self, const RcMessage *message, RcInboxSource source)
{
  g_autoptr (GPtrArray) one = g_ptr_array_new ();

  g_return_if_fail (message != NULL);
  g_ptr_array_add (one, (gpointer)message);
  rc_inbox_add (self, one, source);
}

void
rc_inbox_sent_done (RcInbox *self, guint ticket, const RcMessage *record)
{
  Pending *p;

  g_return_if_fail (RC_IS_INBOX (self));

  p = g_hash_table_lookup (self->pending, GUINT_TO_POINTER (ticket));
  if (p == NULL)
    return;
  if (record != NULL && id_ok (record->id) && !seen_lookup (self, record->id, NULL)) {
    seen_set (self, record->id, status_bit (record->message_status));
    g_hash_table_add (self->ours, g_strdup (record->id));
    g_signal_emit (self, signals[SIGNAL_STATE_CHANGED], 0);
  }
  g_hash_table_remove (self->pending, GUINT_TO_POINTER (ticket));
}

const char *
rc_inbox_sent_matched (RcInbox *self, guint ticket)
{
  Pending *p;

  g_return_val_if_fail (RC_IS_INBOX (self), NULL);
  p = g_hash_table_lookup (self->pending, GUINT_TO_POINTER (ticket));
  return p != NULL ? p->matched_id : NULL;
}

gboolean
rc_inbox_matches_sent (RcInbox *self, guint ticket, const RcMessage *message)
{
  Pending *p;
  g_autoptr (GPtrArray) list = NULL;
  g_autofree char *to = NULL;

  g_return_val_if_fail (RC_IS_INBOX (self), FALSE);

  p = g_hash_table_lookup (self->pending, GUINT_TO_POINTER (ticket));
  if (p == NULL || message == NULL || message->id == NULL
      || message->direction != RC_DIRECTION_OUTBOUND)
    return FALSE;
  /* Already taken as this send by push or sync: it is the one. Seen otherwise: an earlier one. */
  if (g_strcmp0 (p->matched_id, message->id) == 0)
    return TRUE;
  if (seen_lookup (self, message->id, NULL))
    return FALSE;
  list = g_ptr_array_new_with_free_func (g_free);
  for (guint i = 0; message->to != NULL && i < message->to->len; i++)
    rc_phone_list_add (list, g_strdup (message->to->pdata[i]));
  to = rc_phone_list_name (list);
  return g_strcmp0 (p->from, message->from) == 0 && g_strcmp0 (p->to, to) == 0
         && g_strcmp0 (p->text, message->text) == 0;
}
