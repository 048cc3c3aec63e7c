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
  char *key;        /* rc_phone_list_name (to) */
  guint ticket;     /* rc_inbox_expect_sent() while the request runs */
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

static void
on_sms_sent (GObject *source, GAsyncResult *result, gpointer user_data)
{
  GTask *task = user_data;
  GError *error = NULL;
  RcMessage *sent = rc_message_send_sms_finish (RC_CLIENT (source), result, &error);

  finish_send (g_task_get_source_object (task), task, sent, error);
}

static void
on_mms_sent (GObject *source, GAsyncResult *result, gpointer user_data)
{
  GTask *task = user_data;
  GError *error = NULL;
  RcMessage *sent = rc_message_send_mms_finish (RC_CLIENT (source), result, &error);

  finish_send (g_task_get_source_object (task), task, sent, error);
}

static void
start_request (RcOutbox *self, GTask *task)
{
  RcOutgoing *outgoing = g_task_get_task_data (task);
  const char *const *to = (const char *const *)outgoing->to;

  /* A record that comes back by push or sync before the answer is taken as this send. */
  outgoing->ticket = rc_inbox_expect_sent (self->inbox, outgoing->from, to, outgoing->text);
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
