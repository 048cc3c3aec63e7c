/* rc-sync.c: catching up with the message store: message-sync FSync, then ISync with the token. */
#include "rc-sync-private.h"

#include <stdlib.h>
#include <string.h>
#include <glib/gi18n-lib.h>

#include "rc-error.h"

#define SYNC_PATH "/restapi/v1.0/account/~/extension/~/message-sync"

/* A sync token is an opaque string of about 100 characters (fact sheet §4); one longer than this,
 * or with anything but printable ASCII, is not kept (a 10 MB token makes every later request
 * fail). */
#define SYNC_TOKEN_MAX 2048

struct _RcSync {
  GObject parent_instance;

  RcClient *client;
  char *token;
  gint64 fsync_from;
  gint64 sync_time; /* syncInfo.syncTime of the last answer (Unix seconds), 0 when unknown */

  gboolean running;
  gboolean reset_done;      /* this round already restarted after MSG-333 */
  GPtrArray *round_tasks;   /* GTask*: callers the running round answers */
  GPtrArray *waiting_tasks; /* GTask*: callers that asked while it ran: the next round's */
};

enum { SIGNAL_RECORDS, SIGNAL_STATE_CHANGED, N_SIGNALS };
static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (RcSync, rc_sync, G_TYPE_OBJECT)

static void
rc_sync_finalize (GObject *object)
{
  RcSync *self = RC_SYNC (object);

  g_clear_object (&self->client);
  g_free (self->token);
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

  signals[SIGNAL_RECORDS] = g_signal_new ("records", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                          0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_PTR_ARRAY);
  signals[SIGNAL_STATE_CHANGED]
      = g_signal_new ("state-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                      NULL, G_TYPE_NONE, 0);
}

static void
rc_sync_init (RcSync *self)
{
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

static gboolean
token_usable (const char *token)
{
  gsize n = 0;

  if (token == NULL)
    return FALSE;
  for (; token[n] != '\0'; n++)
    if (n >= SYNC_TOKEN_MAX || token[n] <= ' ' || token[n] > '~')
      return FALSE;
  return n > 0;
}

/* The token is no good (refused, unusable): the next round is a full sync from where the last
 * answer ended, minus the server's overlap; what came before was shown already, and the inbox's
 * memory of seen ids drops the overlap. Without a known sync time the fsync start stays. */
static void
drop_token (RcSync *self)
{
  g_clear_pointer (&self->token, g_free);
  if (self->sync_time > 0)
    self->fsync_from = self->sync_time - RC_SYNC_RESET_OVERLAP_S;
}

void
rc_sync_restore (RcSync *self, const char *token, gint64 sync_time)
{
  g_return_if_fail (RC_IS_SYNC (self));

  g_free (self->token);
  self->token = token_usable (token) ? g_strdup (token) : NULL;
  self->sync_time = sync_time > 0 ? sync_time : 0;
}

gint64
rc_sync_get_sync_time (RcSync *self)
{
  g_return_val_if_fail (RC_IS_SYNC (self), 0);
  return self->sync_time;
}

const char *
rc_sync_get_token (RcSync *self)
{
  g_return_val_if_fail (RC_IS_SYNC (self), NULL);
  return self->token;
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
  JsonObject *object, *info = NULL;
  JsonNode *records, *info_node, *token_node, *sync_time_node;
  gint64 sync_time = 0;
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

  sync_time_node = info != NULL ? json_object_get_member (info, "syncTime") : NULL;
  if (sync_time_node != NULL && JSON_NODE_HOLDS_VALUE (sync_time_node)
      && json_node_get_value_type (sync_time_node) == G_TYPE_STRING) {
    g_autoptr (GDateTime) when = g_date_time_new_from_iso8601 (json_node_get_string (sync_time_node),
                                                               NULL);
    if (when != NULL)
      sync_time = g_date_time_to_unix (when);
  }

  fresh = g_ptr_array_new_with_free_func ((GDestroyNotify)rc_message_free);
  array = json_node_get_array (records);
  for (guint i = 0; i < json_array_get_length (array); i++) {
    g_autoptr (GError) local = NULL;
    RcMessage *message = rc_message_parse (json_array_get_element (array, i), &local);

    /* One unreadable record must not hide the others (nor stop receiving). */
    if (message == NULL) {
      g_debug ("message-sync record %u skipped: %s", i, local->message);
      continue;
    }
    if (g_strcmp0 (message->type, "SMS") != 0) {
      rc_message_free (message);
      continue;
    }
    g_ptr_array_add (fresh, message);
  }

  changed = sync_time > 0 && sync_time != self->sync_time;
  if (sync_time > 0)
    self->sync_time = sync_time;
  if (!token_usable (token)) {
    /* The records are good; the token would stop receiving for good. */
    g_debug ("message-sync: unusable sync token (%" G_GSIZE_FORMAT " bytes) not kept",
             strlen (token));
    changed |= self->token != NULL;
    drop_token (self);
  } else if (g_strcmp0 (self->token, token) != 0) {
    g_free (self->token);
    self->token = g_strdup (token);
    changed = TRUE;
  }

  g_object_ref (self);
  if (fresh->len > 0)
    g_signal_emit (self, signals[SIGNAL_RECORDS], 0, fresh);
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

/* An ISync refused as invalid: the only thing in it that can be is the token. */
static gboolean
is_token_refused (const GError *error)
{
  return g_error_matches (error, RC_ERROR, RC_ERROR_INVALID_INPUT)
         || g_error_matches (error, RC_ERROR, RC_ERROR_NOT_FOUND);
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
  if (root == NULL && self->token != NULL && !self->reset_done
      && (is_sync_reset (error) || is_token_refused (error))) {
    /* MSG-333, or the token refused (CMN-101 on syncToken, 400, 404, 414...): it is no good any
     * more; start over with a full sync, once this round. Kept, it would fail every round and
     * receiving would stop for good. */
    g_debug ("message-sync: %s, dropping the sync token",
             is_sync_reset (error) ? "full sync required" : "sync token refused");
    self->reset_done = TRUE;
    /* The full sync starts where the last one ended (minus the server's own overlap), not at the
     * server's default window: what came before was shown already. */
    drop_token (self);
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
