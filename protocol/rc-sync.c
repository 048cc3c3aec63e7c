/* rc-sync.c: catching up with the message store: message-sync FSync, then ISync with the token. */
#include "rc-sync-private.h"

#include <stdlib.h>
#include <string.h>
#include <glib/gi18n-lib.h>

#include "rc-error.h"

#define SYNC_PATH "/restapi/v1.0/account/~/extension/~/message-sync"

struct _RcSync {
  GObject parent_instance;

  RcClient *client;
  char *token;
  gint64 fsync_from;

  /* Seen ids: a queue for age (oldest at the head) and a set for lookup; the set's keys are the
   * queue's strings. The server overlaps sync windows by a few seconds, hence the memory. */
  GQueue seen_order;
  GHashTable *seen;

  gboolean running;
  gboolean reset_done;      /* this round already restarted after MSG-333 */
  GPtrArray *round_tasks;   /* GTask*: callers the running round answers */
  GPtrArray *waiting_tasks; /* GTask*: callers that asked while it ran: the next round's */
};

enum { SIGNAL_MESSAGE, SIGNAL_STATE_CHANGED, N_SIGNALS };
static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (RcSync, rc_sync, G_TYPE_OBJECT)

static void
rc_sync_finalize (GObject *object)
{
  RcSync *self = RC_SYNC (object);

  g_clear_object (&self->client);
  g_free (self->token);
  g_hash_table_destroy (self->seen);
  g_queue_clear_full (&self->seen_order, g_free);
  /* Tasks hold a reference on us, so none can be pending here. */
  g_ptr_array_unref (self->round_tasks);
  g_ptr_array_unref (self->waiting_tasks);
  G_OBJECT_CLASS (rc_sync_parent_class)->finalize (object);
}

static void
rc_sync_class_init (RcSyncClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = rc_sync_finalize;

  signals[SIGNAL_MESSAGE] = g_signal_new ("message", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                          0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_POINTER);
  signals[SIGNAL_STATE_CHANGED]
      = g_signal_new ("state-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                      NULL, G_TYPE_NONE, 0);
}

static void
rc_sync_init (RcSync *self)
{
  g_queue_init (&self->seen_order);
  self->seen = g_hash_table_new (g_str_hash, g_str_equal);
  self->round_tasks = g_ptr_array_new_with_free_func (g_object_unref);
  self->waiting_tasks = g_ptr_array_new_with_free_func (g_object_unref);
}

RcSync *
rc_sync_new (RcClient *client)
{
  RcSync *self;

  g_return_val_if_fail (RC_IS_CLIENT (client), NULL);
  self = g_object_new (RC_TYPE_SYNC, NULL);
  self->client = g_object_ref (client);
  return self;
}

/* ---- seen memory ---- */

static gboolean
seen_contains (RcSync *self, const char *id)
{
  return g_hash_table_contains (self->seen, id);
}

static void
seen_add (RcSync *self, const char *id)
{
  char *copy;

  if (seen_contains (self, id))
    return;
  copy = g_strdup (id);
  g_queue_push_tail (&self->seen_order, copy);
  g_hash_table_add (self->seen, copy);
  while (self->seen_order.length > RC_SYNC_SEEN_MAX) {
    char *oldest = g_queue_pop_head (&self->seen_order);

    g_hash_table_remove (self->seen, oldest);
    g_free (oldest);
  }
}

void
rc_sync_restore (RcSync *self, const char *token, const char *seen)
{
  g_auto (GStrv) ids = NULL;

  g_return_if_fail (RC_IS_SYNC (self));

  g_free (self->token);
  self->token = token != NULL && token[0] != '\0' ? g_strdup (token) : NULL;
  g_hash_table_remove_all (self->seen);
  g_queue_clear_full (&self->seen_order, g_free);
  if (seen == NULL)
    return;
  ids = g_strsplit (seen, ",", -1);
  for (guint i = 0; ids[i] != NULL; i++) {
    g_strstrip (ids[i]);
    if (ids[i][0] != '\0')
      seen_add (self, ids[i]);
  }
}

const char *
rc_sync_get_token (RcSync *self)
{
  g_return_val_if_fail (RC_IS_SYNC (self), NULL);
  return self->token;
}

char *
rc_sync_save_seen (RcSync *self)
{
  GString *out;

  g_return_val_if_fail (RC_IS_SYNC (self), NULL);
  out = g_string_new (NULL);
  for (GList *l = self->seen_order.head; l != NULL; l = l->next)
    g_string_append_printf (out, "%s%s", out->len ? "," : "", (const char *)l->data);
  return g_string_free (out, FALSE);
}

void
rc_sync_set_fsync_from (RcSync *self, gint64 since)
{
  g_return_if_fail (RC_IS_SYNC (self));
  self->fsync_from = since;
}

/* ---- one answer ---- */

char *
rc_sync_build_path (RcSync *self)
{
  g_autofree char *escaped = NULL;

  if (self->token != NULL) {
    escaped = g_uri_escape_string (self->token, NULL, FALSE);
    return g_strdup_printf (SYNC_PATH "?syncType=ISync&syncToken=%s", escaped);
  }
  if (self->fsync_from > 0) {
    g_autoptr (GDateTime) from = g_date_time_new_from_unix_utc (self->fsync_from);
    g_autofree char *iso = g_date_time_format (from, "%Y-%m-%dT%H:%M:%S.000Z");

    escaped = g_uri_escape_string (iso, NULL, FALSE);
    return g_strdup_printf (SYNC_PATH "?syncType=FSync&messageType=SMS&dateFrom=%s", escaped);
  }
  return g_strdup (SYNC_PATH "?syncType=FSync&messageType=SMS");
}

/* Decimal ids compare as numbers: shorter is smaller. */
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
  return compare_ids (a->id, b->id);
}

static GError *
bad_answer (const char *what)
{
  return g_error_new (RC_ERROR, RC_ERROR_BAD_RESPONSE,
                      _ ("RingCentral sent a message sync answer we cannot read (%s)."), what);
}

gboolean
rc_sync_apply_answer (RcSync *self, JsonNode *root, GError **error)
{
  g_autoptr (GPtrArray) fresh = NULL;
  g_autoptr (GHashTable) batch = NULL;
  JsonObject *object, *info = NULL;
  JsonNode *records, *info_node, *token_node;
  const char *token = NULL;
  gboolean changed = FALSE;
  JsonArray *array;

  g_return_val_if_fail (RC_IS_SYNC (self), FALSE);

  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root)) {
    g_propagate_error (error, bad_answer ("not an object"));
    return FALSE;
  }
  object = json_node_get_object (root);
  records = json_object_get_member (object, "records");
  if (records == NULL || !JSON_NODE_HOLDS_ARRAY (records)) {
    g_propagate_error (error, bad_answer ("no records list"));
    return FALSE;
  }
  info_node = json_object_get_member (object, "syncInfo");
  if (info_node != NULL && JSON_NODE_HOLDS_OBJECT (info_node))
    info = json_node_get_object (info_node);
  token_node = info != NULL ? json_object_get_member (info, "syncToken") : NULL;
  if (token_node != NULL && JSON_NODE_HOLDS_VALUE (token_node)
      && json_node_get_value_type (token_node) == G_TYPE_STRING)
    token = json_node_get_string (token_node);
  if (token == NULL || token[0] == '\0') {
    g_propagate_error (error, bad_answer ("no sync token"));
    return FALSE;
  }

  fresh = g_ptr_array_new_with_free_func ((GDestroyNotify)rc_message_free);
  batch = g_hash_table_new (g_str_hash, g_str_equal); /* ids repeated within one answer */
  array = json_node_get_array (records);
  for (guint i = 0; i < json_array_get_length (array); i++) {
    g_autoptr (GError) local = NULL;
    RcMessage *message = rc_message_parse (json_array_get_element (array, i), &local);

    if (message == NULL) {
      g_debug ("message-sync record %u skipped: %s", i, local->message);
      continue;
    }
    if (g_strcmp0 (message->type, "SMS") != 0 || seen_contains (self, message->id)
        || g_hash_table_contains (batch, message->id)) {
      rc_message_free (message);
      continue;
    }
    g_hash_table_add (batch, message->id);
    g_ptr_array_add (fresh, message);
  }
  g_ptr_array_sort (fresh, compare_messages);

  /* Remember before telling, so that a handler that starts another round cannot see them again. */
  for (guint i = 0; i < fresh->len; i++)
    seen_add (self, ((RcMessage *)g_ptr_array_index (fresh, i))->id);
  changed = fresh->len > 0;
  if (g_strcmp0 (self->token, token) != 0) {
    g_free (self->token);
    self->token = g_strdup (token);
    changed = TRUE;
  }

  g_object_ref (self);
  for (guint i = 0; i < fresh->len; i++)
    g_signal_emit (self, signals[SIGNAL_MESSAGE], 0, g_ptr_array_index (fresh, i));
  if (changed)
    g_signal_emit (self, signals[SIGNAL_STATE_CHANGED], 0);
  g_object_unref (self);
  return TRUE;
}

/* ---- rounds ---- */

static void round_request (RcSync *self);

static void
round_finish (RcSync *self, const GError *error)
{
  g_autoptr (GPtrArray) done = g_steal_pointer (&self->round_tasks);

  self->round_tasks = g_ptr_array_new_with_free_func (g_object_unref);
  self->running = FALSE;

  /* Start the next round before answering, so that a caller who asks again from its callback
   * waits for a round that starts after its call. */
  if (self->waiting_tasks->len > 0) {
    GPtrArray *next = self->waiting_tasks;

    self->waiting_tasks = self->round_tasks;
    self->round_tasks = next;
    self->running = TRUE;
    self->reset_done = FALSE;
    round_request (self);
  }

  for (guint i = 0; i < done->len; i++) {
    GTask *task = g_ptr_array_index (done, i);

    if (error != NULL)
      g_task_return_error (task, g_error_copy (error));
    else
      g_task_return_boolean (task, TRUE);
  }
}

static gboolean
is_sync_reset (const GError *error)
{
  g_autofree char *code = NULL;

  if (g_error_matches (error, RC_ERROR, RC_ERROR_SYNC_RESET))
    return TRUE;
  if (error->domain != RC_ERROR)
    return FALSE;
  code = rc_error_get_api_code (error);
  return g_strcmp0 (code, "MSG-333") == 0;
}

static gboolean
round_abandoned (RcSync *self)
{
  for (guint i = 0; i < self->round_tasks->len; i++)
    if (!g_cancellable_is_cancelled (g_task_get_cancellable (self->round_tasks->pdata[i])))
      return FALSE;
  return TRUE;
}

static void
round_done (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (RcSync) self = user_data;
  g_autoptr (JsonNode) root = NULL;
  g_autoptr (GError) error = NULL;

  root = rc_client_request_finish (RC_CLIENT (source), result, &error);
  if (root == NULL && self->token != NULL && !self->reset_done && is_sync_reset (error)) {
    /* MSG-333: the token is no good any more; start over with a full sync, once. */
    g_debug ("message-sync: full sync required, dropping the sync token");
    self->reset_done = TRUE;
    g_clear_pointer (&self->token, g_free);
    g_signal_emit (self, signals[SIGNAL_STATE_CHANGED], 0);
    round_request (self);
    return;
  }
  /* When every caller has gone, nobody would store the new state: leave it for the next round. */
  if (root != NULL && round_abandoned (self))
    g_set_error_literal (&error, G_IO_ERROR, G_IO_ERROR_CANCELLED, "Operation was cancelled");
  else if (root != NULL)
    rc_sync_apply_answer (self, root, &error);
  round_finish (self, error);
}

static void
round_request (RcSync *self)
{
  g_autofree char *path = rc_sync_build_path (self);
  GCancellable *cancellable = NULL;

  /* A round for one caller stops with that caller's cancellable; a shared round runs on. */
  if (self->round_tasks->len == 1)
    cancellable = g_task_get_cancellable (g_ptr_array_index (self->round_tasks, 0));
  rc_client_request_async (self->client, "GET", path, NULL, cancellable, round_done,
                           g_object_ref (self));
}

void
rc_sync_run_async (RcSync *self, GCancellable *cancellable, GAsyncReadyCallback callback,
                   gpointer user_data)
{
  GTask *task;

  g_return_if_fail (RC_IS_SYNC (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, rc_sync_run_async);
  if (self->running) {
    g_ptr_array_add (self->waiting_tasks, task);
    return;
  }
  g_ptr_array_add (self->round_tasks, task);
  self->running = TRUE;
  self->reset_done = FALSE;
  round_request (self);
}

gboolean
rc_sync_run_finish (RcSync *self, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}
