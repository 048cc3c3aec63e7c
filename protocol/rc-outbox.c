/* rc-outbox.c: the outgoing pipeline: local checks, one queue per conversation, sends through the
 * inbox. */
#include "rc-outbox.h"

#include "rc-mms.h"

#include <glib/gi18n-lib.h>

#include "rc-error.h"
#include "rc-phone-list.h"
#include "rc-phone.h"
#include "rc-senders.h"

struct _RcOutgoing {
  char *from;       /* E.164 */
  GStrv to;         /* E.164, sorted, deduplicated */
  char *text;       /* never NULL */
  GPtrArray *files; /* RcMmsFile* (rc-mms.h), or NULL for a plain SMS */
  char *key;        /* rc_phone_list_name (to): the queue, and the conversation's name (the
                     * plugin's IM or chat, and the "held" tag). Deliberately without @from:
                     * libpurple keeps one conversation per recipient set and the send-from
                     * number is a setting of it (/from), so texts typed in one window go out in
                     * the order typed even when the number changed between them; the inbox
                     * still tells their records apart by from + to + text. */
  guint ticket;     /* rc_inbox_expect_sent() while the request runs */
  gint64 started;   /* server time (Unix seconds) the request started */
};

void
rc_outgoing_free (RcOutgoing *outgoing)
{
  if (outgoing == NULL)
    return;
  g_free (outgoing->from);
  g_strfreev (outgoing->to);
  g_free (outgoing->text);
  g_clear_pointer (&outgoing->files, g_ptr_array_unref);
  g_free (outgoing->key);
  g_free (outgoing);
}

const char *
rc_outgoing_get_key (const RcOutgoing *outgoing)
{
  g_return_val_if_fail (outgoing != NULL, NULL);
  return outgoing->key;
}

const char *
rc_outgoing_get_from (const RcOutgoing *outgoing)
{
  g_return_val_if_fail (outgoing != NULL, NULL);
  return outgoing->from;
}

const char *const *
rc_outgoing_get_to (const RcOutgoing *outgoing)
{
  g_return_val_if_fail (outgoing != NULL, NULL);
  return (const char *const *)outgoing->to;
}

struct _RcOutbox {
  GObject parent_instance;

  RcClient *client;
  RcSenderList *senders;
  RcInbox *inbox;
  /* Conversation key (owned) → GQueue of GTask* still waiting. A key is present exactly while a
   * send of that conversation is in flight; its queue holds the ones behind it. */
  GHashTable *lines;
  guint pending; /* tasks queued or in flight */
};

enum { SIGNAL_SENT, N_SIGNALS };
static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (RcOutbox, rc_outbox, G_TYPE_OBJECT)

static void
rc_outbox_dispose (GObject *object)
{
  RcOutbox *self = RC_OUTBOX (object);

  /* Every task holds a reference on the outbox: the lines are empty by now. */
  g_clear_pointer (&self->lines, g_hash_table_unref);
  g_clear_object (&self->inbox);
  g_clear_object (&self->senders);
  g_clear_object (&self->client);
  G_OBJECT_CLASS (rc_outbox_parent_class)->dispose (object);
}

static void
rc_outbox_class_init (RcOutboxClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = rc_outbox_dispose;

  signals[SIGNAL_SENT]
      = g_signal_new ("sent", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                      G_TYPE_NONE, 2, G_TYPE_POINTER, G_TYPE_STRING);
}

static void
rc_outbox_init (RcOutbox *self)
{
  self->lines
      = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify)g_queue_free);
}

RcOutbox *
rc_outbox_new (RcClient *client, RcSenderList *senders, RcInbox *inbox)
{
  RcOutbox *self;

  g_return_val_if_fail (RC_IS_CLIENT (client), NULL);
  g_return_val_if_fail (RC_IS_SENDER_LIST (senders), NULL);
  g_return_val_if_fail (RC_IS_INBOX (inbox), NULL);

  self = g_object_new (RC_TYPE_OUTBOX, NULL);
  self->client = g_object_ref (client);
  self->senders = g_object_ref (senders);
  self->inbox = g_object_ref (inbox);
  return self;
}

guint
rc_outbox_get_pending (RcOutbox *self)
{
  g_return_val_if_fail (RC_IS_OUTBOX (self), 0);
  return self->pending;
}

/* ---- MMS (rc-mms.h: fact sheet §3 "MMS") ---- */

static gboolean
check_files (GPtrArray *files, GError **error)
{
  return rc_mms_check (files, error);
}

static void on_mms_sent (GObject *source, GAsyncResult *result, gpointer user_data);

static void
send_mms (RcOutbox *self, GTask *task)
{
  RcOutgoing *o = g_task_get_task_data (task);

  rc_message_send_mms_async (self->client, o->from, (const char *const *)o->to, o->text, o->files,
                             g_task_get_cancellable (task), on_mms_sent, task);
}


static gboolean
has_files (GPtrArray *files)
{
  return files != NULL && files->len > 0;
}

/* The send-from number @from_e164 stands for, or NULL with the user's sentence. */
static const RcPhoneNumber *
find_sender (RcOutbox *self, const char *from_e164, GError **error)
{
  GPtrArray *senders = rc_sender_list_get (self->senders);
  const RcPhoneNumber *sender;
  g_autofree char *shown = NULL;

  if (from_e164 == NULL || senders->len == 0) {
    g_set_error_literal (error, RC_ERROR, RC_ERROR_NOT_PERMITTED,
                         _ ("This account has no number that can send texts."));
    return NULL;
  }
  if ((sender = rc_sender_list_find (self->senders, from_e164)) != NULL)
    return sender;
  shown = rc_phone_format (from_e164);
  g_set_error (error, RC_ERROR, RC_ERROR_NOT_PERMITTED,
               _ ("%s is not one of your send-from numbers."), shown);
  return NULL;
}

RcOutgoing *
rc_outbox_prepare (RcOutbox *self, const char *from_e164, const char *const *to, const char *text,
                   GPtrArray *files, GError **error)
{
  g_autoptr (RcOutgoing) outgoing = NULL;
  g_autoptr (GPtrArray) numbers = NULL;
  const RcPhoneNumber *sender;
  gsize length;

  g_return_val_if_fail (RC_IS_OUTBOX (self), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  outgoing = g_new0 (RcOutgoing, 1);
  /* Copied before anything else: the caller's string may go away right after this call. */
  outgoing->from = g_strdup (from_e164);
  outgoing->text = g_strdup (text != NULL ? text : "");
  if ((sender = find_sender (self, outgoing->from, error)) == NULL)
    return NULL;

  numbers = g_ptr_array_new_with_free_func (g_free);
  for (gsize i = 0; to != NULL && to[i] != NULL; i++) {
    char *e164 = rc_phone_normalize (to[i], outgoing->from, error);

    if (e164 == NULL)
      return NULL;
    rc_phone_list_add (numbers, e164);
  }
  if (numbers->len > RC_PHONE_LIST_MAX_RECIPIENTS) {
    g_set_error (error, RC_ERROR, RC_ERROR_INVALID_INPUT,
                 _ ("A group text takes at most %d numbers besides yours; this list has %u."),
                 RC_PHONE_LIST_MAX_RECIPIENTS, numbers->len);
    return NULL;
  }
  outgoing->key = rc_phone_list_name (numbers);
  g_ptr_array_add (numbers, NULL);
  outgoing->to = g_strdupv ((char **)numbers->pdata);

  if (!rc_senders_check (rc_sender_list_get (self->senders), sender,
                         (const char *const *)outgoing->to, has_files (files), error))
    return NULL;

  if (*outgoing->text == '\0' && !has_files (files)) {
    g_set_error_literal (error, RC_ERROR, RC_ERROR_INVALID_INPUT, _ ("The message has no text."));
    return NULL;
  }
  length = rc_message_utf16_length (outgoing->text);
  if (length > RC_MESSAGE_MAX_UTF16) {
    g_set_error (
        error, RC_ERROR, RC_ERROR_INVALID_INPUT,
        _ ("The text is %lu characters long; RingCentral takes at most %d."),
        (unsigned long)length, RC_MESSAGE_MAX_UTF16);
    return NULL;
  }
  if (has_files (files)) {
    if (!check_files (files, error))
      return NULL;
    outgoing->files = g_ptr_array_ref (files);
  }
  return g_steal_pointer (&outgoing);
}

/* ---- the queues ---- */

static void start_request (RcOutbox *self, GTask *task);

/* Starts the next send of line @key that is not cancelled, or closes the line. */
static void
run_next (RcOutbox *self, const char *key)
{
  g_autoptr (RcOutbox) keep = g_object_ref (self);
  g_autofree char *line = g_strdup (key); /* @key may belong to a task dropped below */
  GQueue *queue = g_hash_table_lookup (self->lines, line);
  GTask *task;

  if (queue == NULL)
    return;
  /* One pass over the waiting sends at most: each is either started or dropped. */
  while ((task = g_queue_pop_head (queue)) != NULL) {
    if (!g_task_return_error_if_cancelled (task)) {
      start_request (self, task);
      return;
    }
    self->pending--;
    g_object_unref (task);
  }
  g_hash_table_remove (self->lines, line);
}

/* The request of @task (owned) is over: hands out the result, then lets the next one go. */
static void
finish_send (RcOutbox *self, GTask *task, RcMessage *sent, GError *error)
{
  g_autoptr (RcOutbox) keep = g_object_ref (self); /* the task's may be the last reference */
  RcOutgoing *outgoing = g_task_get_task_data (task);
  g_autofree char *key = g_strdup (outgoing->key);

  rc_inbox_sent_done (self->inbox, outgoing->ticket, sent);
  if (sent != NULL) {
    g_signal_emit (self, signals[SIGNAL_SENT], 0, sent, key);
    g_task_return_pointer (task, sent, (GDestroyNotify)rc_message_free);
  } else
    g_task_return_error (task, error);
  self->pending--;
  g_object_unref (task);
  run_next (self, key);
}

/* ---- a send whose answer never came ---- */

/* A network failure after the request went out (connection reset, timeout) says nothing about
 * whether RingCentral took the text. Never resend blindly (issue: "look it up in the message
 * store or say it may not have been sent"): the record may already have come back by push or
 * sync (the inbox ticket is still open), else the message store is asked for it. */
typedef struct {
  GTask *task;
  GError *error; /* the send's */
} Verify;

static gboolean
may_have_left (GTask *task, const GError *error)
{
  return g_error_matches (error, RC_ERROR, RC_ERROR_NETWORK)
         && !g_cancellable_is_cancelled (g_task_get_cancellable (task));
}

static void
verify_done (GObject *source, GAsyncResult *result, gpointer user_data)
{
  Verify *v = user_data;
  RcOutbox *self = g_task_get_source_object (v->task);
  RcOutgoing *outgoing = g_task_get_task_data (v->task);
  g_autoptr (GError) lookup_error = NULL;
  g_autoptr (JsonNode) root = rc_client_request_finish (RC_CLIENT (source), result, &lookup_error);
  JsonNode *records = NULL;
  RcMessage *found = NULL;

  if (root != NULL && JSON_NODE_HOLDS_OBJECT (root))
    records = json_object_get_member (json_node_get_object (root), "records");
  for (guint i = 0; records != NULL && JSON_NODE_HOLDS_ARRAY (records) && found == NULL
                    && i < json_array_get_length (json_node_get_array (records));
       i++) {
    g_autoptr (RcMessage) m
        = rc_message_parse (json_array_get_element (json_node_get_array (records), i), NULL);

    if (rc_inbox_matches_sent (self->inbox, outgoing->ticket, m))
      found = g_steal_pointer (&m);
  }
  if (found != NULL) {
    g_debug ("send: no answer came, but the message store has the text (%s)", found->id);
    g_clear_error (&v->error);
    finish_send (self, v->task, found, NULL);
  } else if (root != NULL) {
    /* Not in the store: it did not leave. */
    finish_send (self, v->task, NULL, g_steal_pointer (&v->error));
  } else {
    GError *unsure
        = g_error_new (RC_ERROR, RC_ERROR_NETWORK,
                       _ ("The connection broke after the text was handed over, and RingCentral "
                          "could not be asked whether it arrived: it may have been sent. Check "
                          "the RingCentral app before sending it again."));
    g_clear_error (&v->error);
    finish_send (self, v->task, NULL, unsure);
  }
  g_free (v);
}

/* Finishes @task with @sent or @error, unless the failure may hide a text that left: then looks. */
static void
finish_or_verify (RcOutbox *self, GTask *task, RcMessage *sent, GError *error)
{
  RcOutgoing *outgoing = g_task_get_task_data (task);
  const char *matched;
  g_autoptr (GDateTime) from = NULL;
  g_autofree char *iso = NULL;
  g_autofree char *escaped = NULL;
  g_autofree char *path = NULL;
  Verify *v;

  if (sent != NULL || !may_have_left (task, error)) {
    finish_send (self, task, sent, error);
    return;
  }
  matched = rc_inbox_sent_matched (self->inbox, outgoing->ticket);
  if (matched != NULL) {
    /* Push or sync already brought it back: it left. The inbox took that record as this send
     * without showing it (the user saw the conversation's own echo of the text, once) and keeps
     * only its id, so the record handed on ("sent", the finish) is a stand-in made of what was
     * sent: id, type, direction, parties, text, the time the request started and the number of
     * files; no status (the inbox reports delivery from the real record). Its receivers only
     * check that the send succeeded (plugin/im.c, chat.c, mms.c) or catch up (rc-session.c). */
    g_autoptr (RcMessage) record = g_new0 (RcMessage, 1);

    g_debug ("send: no answer came, but the text came back (%s)", matched);
    g_error_free (error);
    record->id = g_strdup (matched);
    record->type = g_strdup ("SMS");
    record->direction = RC_DIRECTION_OUTBOUND;
    record->from = g_strdup (outgoing->from);
    record->text = g_strdup (outgoing->text);
    record->creation_time = outgoing->started;
    record->attachment_count = has_files (outgoing->files) ? outgoing->files->len : 0;
    record->to = g_ptr_array_new_with_free_func (g_free);
    for (guint i = 0; outgoing->to[i] != NULL; i++)
      g_ptr_array_add (record->to, g_strdup (outgoing->to[i]));
    finish_send (self, task, rc_message_copy (record), NULL);
    return;
  }
  from = g_date_time_new_from_unix_utc (outgoing->started - 120);
  iso = g_date_time_format (from, "%Y-%m-%dT%H:%M:%S.000Z");
  escaped = g_uri_escape_string (iso, NULL, FALSE);
  path = g_strdup_printf ("/restapi/v1.0/account/~/extension/~/message-store?messageType=SMS"
                          "&direction=Outbound&dateFrom=%s&perPage=100",
                          escaped);
  v = g_new0 (Verify, 1);
  v->task = task;
  v->error = error;
  rc_client_request_async (self->client, "GET", path, NULL, g_task_get_cancellable (task),
                           verify_done, v);
}

static void
on_sms_sent (GObject *source, GAsyncResult *result, gpointer user_data)
{
  GTask *task = user_data;
  GError *error = NULL;
  RcMessage *sent = rc_message_send_sms_finish (RC_CLIENT (source), result, &error);

  finish_or_verify (g_task_get_source_object (task), task, sent, error);
}

static void
on_mms_sent (GObject *source, GAsyncResult *result, gpointer user_data)
{
  GTask *task = user_data;
  GError *error = NULL;
  RcMessage *sent = rc_message_send_mms_finish (RC_CLIENT (source), result, &error);

  finish_or_verify (g_task_get_source_object (task), task, sent, error);
}

static void
start_request (RcOutbox *self, GTask *task)
{
  RcOutgoing *outgoing = g_task_get_task_data (task);
  const char *const *to = (const char *const *)outgoing->to;

  /* A record that comes back by push or sync before the answer is taken as this send. */
  outgoing->ticket = rc_inbox_expect_sent (self->inbox, outgoing->from, to, outgoing->text);
  outgoing->started = rc_client_server_now (self->client);
  /* The request starts synchronously below: a rate-limit hold names this conversation. */
  rc_client_set_request_tag (self->client, outgoing->key);
  if (has_files (outgoing->files))
    send_mms (self, task);
  else
    rc_message_send_sms_async (self->client, outgoing->from, to, outgoing->text,
                               g_task_get_cancellable (task), on_sms_sent, task);
  rc_client_set_request_tag (self->client, NULL);
}

void
rc_outbox_send_async (RcOutbox *self, RcOutgoing *outgoing, GCancellable *cancellable,
                      GAsyncReadyCallback callback, gpointer user_data)
{
  GTask *task;
  GQueue *queue;

  g_return_if_fail (RC_IS_OUTBOX (self));
  g_return_if_fail (outgoing != NULL && outgoing->key != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, rc_outbox_send_async);
  g_task_set_task_data (task, outgoing, (GDestroyNotify)rc_outgoing_free);
  self->pending++;

  queue = g_hash_table_lookup (self->lines, outgoing->key);
  if (queue != NULL) {
    /* A send of this conversation is in flight: this one waits for it. */
    g_queue_push_tail (queue, task);
    return;
  }
  queue = g_queue_new ();
  g_hash_table_insert (self->lines, g_strdup (outgoing->key), queue);
  g_queue_push_tail (queue, task);
  run_next (self, outgoing->key);
}

RcMessage *
rc_outbox_send_finish (RcOutbox *self, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}
