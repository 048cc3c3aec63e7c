/* rc-sync.c: catching up with the message store: message-sync FSync, then ISync with the token. */
#include "rc-sync-private.h"

#include <stdlib.h>
#include <string.h>
#include <glib/gi18n-lib.h>

#include "rc-client-private.h"
#include "rc-error.h"
#include "rc-json-stream.h"
#include "rc-json.h"
#include "rc-message-pack.h"
#include "rc-sync-hold.h"

#define SYNC_PATH "/restapi/v1.0/account/~/extension/~/message-sync"

/* A sync token is an opaque string of about 100 characters (fact sheet §4); one longer than this,
 * or with anything but printable ASCII, is not kept (a 10 MB token makes every later request
 * fail). */
#define SYNC_TOKEN_MAX 2048

/* The page size and the most pages of one full sync: recordCount is what RingCentral's own
 * clients send (the fixture message-sync-fsync.json: recordCount=250); 40 pages are 10,000 texts
 * (a first sign-on reads back from rc_sync_set_fsync_from(), not the whole history). */
#define FSYNC_RECORDS   250
#define FSYNC_MAX_PAGES 40

struct _RcSync {
  GObject parent_instance;

  RcClient *client;
  char *token;
  gint64 fsync_from;
  gint64 sync_time; /* syncInfo.syncTime of the last answer (Unix seconds), 0 when unknown */

  /* A full sync pages back (recordCount, then dateTo = the oldest record's time) while the server
   * says olderRecordsExist: the pages of the running round so far. */
  GPtrArray *collected;      /* RcMessage*: the pages' records, each id once; NULL on page 1 */
  GHashTable *collected_ids; /* their ids (owned by the records) */
  char *first_token;         /* page 1's syncToken and syncTime: the state the round stores */
  gint64 first_time;
  gint64 page_to; /* dateTo of the next page (Unix s), 0: page 1 */
  guint pages;    /* pages read this round */

  gboolean running;
  gboolean reset_done;      /* this round already restarted after MSG-333 */
  GPtrArray *round_tasks;   /* GTask*: callers the running round answers */
  GPtrArray *waiting_tasks; /* GTask*: callers that asked while it ran: the next round's */
};

enum { SIGNAL_RECORDS, SIGNAL_STATE_CHANGED, N_SIGNALS };
static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (RcSync, rc_sync, G_TYPE_OBJECT)

static void
paging_reset (RcSync *self)
{
  g_clear_pointer (&self->collected_ids, g_hash_table_unref);
  g_clear_pointer (&self->collected, g_ptr_array_unref);
  g_clear_pointer (&self->first_token, g_free);
  self->first_time = 0;
  self->page_to = 0;
  self->pages = 0;
}

static void
rc_sync_finalize (GObject *object)
{
  RcSync *self = RC_SYNC (object);

  paging_reset (self);
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
  {
    GString *path = g_string_new (SYNC_PATH "?syncType=FSync&messageType=SMS");
    const gint64 when[] = { self->fsync_from, self->page_to };
    const char *const name[] = { "dateFrom", "dateTo" };

    for (guint i = 0; i < G_N_ELEMENTS (when); i++) {
      g_autoptr (GDateTime) at = when[i] > 0 ? g_date_time_new_from_unix_utc (when[i]) : NULL;
      g_autofree char *iso = at != NULL ? g_date_time_format (at, "%Y-%m-%dT%H:%M:%S.000Z") : NULL;

      g_free (escaped);
      escaped = iso != NULL ? g_uri_escape_string (iso, NULL, FALSE) : NULL;
      if (escaped != NULL)
        g_string_append_printf (path, "&%s=%s", name[i], escaped);
    }
    g_string_append_printf (path, "&recordCount=%u", FSYNC_RECORDS);
    return g_string_free (path, FALSE);
  }
}

static GError *
bad_answer (const char *what)
{
  return g_error_new (RC_ERROR, RC_ERROR_BAD_RESPONSE,
                      _ ("RingCentral sent a message sync answer we cannot read (%s)."), what);
}

/* The syncInfo of an answer (SPEC SyncInfoMessages): @token borrowed from @root, @sync_time Unix
 * seconds (0 when absent or unreadable). @root must hold a "records" array (its elements are not
 * looked at: the streamed answer has them taken out). */
static gboolean
read_sync_info (JsonNode *root, const char **token, gint64 *sync_time, gboolean *older,
                GError **error)
{
  JsonObject *object, *info;
  JsonNode *records;
  const char *when_text;

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
  info = rc_json_object (object, "syncInfo");
  *token = rc_json_string (info, "syncToken");
  if (*token == NULL || (*token)[0] == '\0') {
    g_propagate_error (error, bad_answer ("no sync token"));
    return FALSE;
  }
  *sync_time = 0;
  if (older != NULL) {
    JsonNode *node = rc_json_member (info, "olderRecordsExist");

    *older = node != NULL && JSON_NODE_HOLDS_VALUE (node)
             && json_node_get_value_type (node) == G_TYPE_BOOLEAN && json_node_get_boolean (node);
  }
  when_text = rc_json_string (info, "syncTime");
  if (when_text != NULL) {
    g_autoptr (GDateTime) when = g_date_time_new_from_iso8601 (when_text, NULL);

    if (when != NULL)
      *sync_time = g_date_time_to_unix (when);
  }
  return TRUE;
}

/* Adds the record @node to @fresh when it is an SMS record; one that does not parse is skipped
 * (logged): one unreadable record must not hide the others (nor stop receiving). */
static void
take_record (GPtrArray *fresh, JsonNode *node, guint index)
{
  g_autoptr (GError) local = NULL;
  RcMessage *message = rc_message_parse (node, &local);

  if (message == NULL) {
    g_debug ("message-sync record %u skipped: %s", index, local->message);
    return;
  }
  if (g_strcmp0 (message->type, "SMS") != 0) {
    rc_message_free (message);
    return;
  }
  g_ptr_array_add (fresh, message);
}

/* The inbox's order (rc-inbox.c): creation time, then id (shorter first, as numbers). */
static int
compare_oldest_first (gconstpointer pa, gconstpointer pb)
{
  const RcMessage *a = *(const RcMessage *const *)pa;
  const RcMessage *b = *(const RcMessage *const *)pb;
  const char *ia = a->id != NULL ? a->id : "", *ib = b->id != NULL ? b->id : "";
  gsize la = strlen (ia), lb = strlen (ib);

  if (a->creation_time != b->creation_time)
    return a->creation_time < b->creation_time ? -1 : 1;
  return la != lb ? (la < lb ? -1 : 1) : strcmp (ia, ib);
}

/* Emits "records" for @fresh (RcMessage*, taken: emptied), oldest first, RC_SYNC_BATCH at a time;
 * each batch is freed once emitted, so the receiver's copies replace ours instead of doubling
 * them. Then stores @token and @sync_time and emits "state-changed" when either changed. */
static void store_state (RcSync *self, const char *token, gint64 sync_time);

static void
hand_on (RcSync *self, GPtrArray *fresh, const char *token, gint64 sync_time)
{
  g_ptr_array_sort (fresh, compare_oldest_first);
  g_object_ref (self);
  for (guint start = 0; start < fresh->len; start += RC_SYNC_BATCH) {
    g_autoptr (GPtrArray) batch = g_ptr_array_new_with_free_func ((GDestroyNotify)rc_message_free);

    for (guint i = start; i < fresh->len && i < start + RC_SYNC_BATCH; i++) {
      g_ptr_array_add (batch, fresh->pdata[i]);
      fresh->pdata[i] = NULL;
    }
    g_signal_emit (self, signals[SIGNAL_RECORDS], 0, batch);
  }
  g_ptr_array_set_size (fresh, 0);
  store_state (self, token, sync_time);
  g_object_unref (self);
}

/* The answer's token and time become ours; "state-changed" when either changed. */
static void
store_state (RcSync *self, const char *token, gint64 sync_time)
{
  gboolean changed;

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
  if (changed)
    g_signal_emit (self, signals[SIGNAL_STATE_CHANGED], 0);
}

gboolean
rc_sync_apply_answer (RcSync *self, JsonNode *root, GError **error)
{
  g_autoptr (GPtrArray) fresh = NULL;
  const char *token = NULL;
  gint64 sync_time = 0;
  JsonArray *array;

  g_return_val_if_fail (RC_IS_SYNC (self), FALSE);

  if (!read_sync_info (root, &token, &sync_time, NULL, error))
    return FALSE;
  fresh = g_ptr_array_new_with_free_func ((GDestroyNotify)rc_message_free);
  array = json_object_get_array_member (json_node_get_object (root), "records");
  for (guint i = 0; i < json_array_get_length (array); i++)
    take_record (fresh, json_array_get_element (array, i), i);
  hand_on (self, fresh, token, sync_time);
  return TRUE;
}

/* ---- one streamed answer ---- */

/* What one request reads: the records of its answer as they are split off the stream. */
typedef struct {
  RcSync *self;
  gboolean fsync; /* the request was a full sync (it may have older pages) */
  RcJsonSplitter *splitter;
  GPtrArray *fresh; /* FSync: RcMessage*, the page's SMS records so far (≤ FSYNC_RECORDS);
                     * ISync: the same until RC_SYNC_PARSED_MAX, then spilled into @hold */
  RcSyncHold *hold; /* ISync (unbounded): the SMS records packed (rc-message-pack.h), compressed */
} RoundRead;


static void
round_read_free (RoundRead *read)
{
  g_object_unref (read->self);
  rc_json_splitter_free (read->splitter);
  g_ptr_array_unref (read->fresh);
  rc_sync_hold_free (read->hold);
  g_free (read);
}

/* Moves @message (taken) into @hold, packed: parsed once, never parsed from JSON again. */
static void
hold_message (RcSyncHold *hold, RcMessage *message)
{
  g_autoptr (RcMessage) owned = message;
  g_autoptr (GBytes) packed = rc_message_pack (owned);
  gsize len;
  const char *data = g_bytes_get_data (packed, &len);

  rc_sync_hold_add (hold, data, len, owned->creation_time, owned->id);
}

/* One record's text: parsed alone by the bounded parser (depth, size, UTF-8: rc-json.h). Text
 * that is not JSON spoils the answer, as it did when the answer was parsed whole; a record of
 * another shape is skipped. */
static gboolean
on_record (const char *json, gsize len, gpointer user_data, GError **error)
{
  RoundRead *read = user_data;
  g_autoptr (JsonNode) node = rc_json_parse (json, len, _ ("a message sync record"), error);

  if (node == NULL)
    return FALSE;
  guint before = read->fresh->len;

  take_record (read->fresh, node, rc_json_splitter_get_count (read->splitter));
  if (read->fsync || read->fresh->len == before)
    return TRUE;
  /* An ISync answer is not paged and may hold 50,000 records: past RC_SYNC_PARSED_MAX its SMS
   * records wait packed and compressed (rc-message-pack.h, rc-sync-hold.h), unpacked when handed
   * on: each record is parsed from JSON once. */
  if (rc_sync_hold_get_count (read->hold) > 0) {
    hold_message (read->hold, g_ptr_array_steal_index (read->fresh, 0));
    return TRUE;
  }
  if (read->fresh->len <= RC_SYNC_PARSED_MAX)
    return TRUE;
  /* Over the bound: everything so far moves to the hold, and so does every record after it. */
  for (guint i = 0; i < read->fresh->len; i++) {
    hold_message (read->hold, read->fresh->pdata[i]);
    read->fresh->pdata[i] = NULL;
  }
  g_ptr_array_set_size (read->fresh, 0);
  return TRUE;
}

static void
add_held (const char *data, gsize len, gpointer user_data)
{
  g_autoptr (GError) error = NULL;
  RcMessage *message = rc_message_unpack (data, len, &error);

  if (message == NULL)
    g_debug ("held message-sync record skipped: %s", error->message);
  else
    g_ptr_array_add (user_data, message);
}

/* hand_on() for the held records of an ISync answer, paced: one batch of RC_SYNC_BATCH per
 * main-loop turn (G_PRIORITY_DEFAULT_IDLE, as RcInbox's own backlog), each parsed just before it
 * is emitted and freed after, so that a receiver that handles a batch at once (RcInbox does when
 * it has no backlog) never holds more than one either, and the main loop keeps turning. The
 * token and time are stored after the last batch; then the round ends. */
typedef struct {
  RcSync *self;
  RcSyncHold *hold;
  char *token;
  gint64 sync_time;
  guint next;
} HandOut;

static void round_finish (RcSync *self, const GError *error);
static gboolean round_abandoned (RcSync *self);

static void
hand_out_free (HandOut *out)
{
  g_object_unref (out->self);
  rc_sync_hold_free (out->hold);
  g_free (out->token);
  g_free (out);
}

static gboolean
hand_out_next (gpointer user_data)
{
  HandOut *out = user_data;
  g_autoptr (RcSync) self = g_object_ref (out->self);
  g_autoptr (GPtrArray) batch = g_ptr_array_new_with_free_func ((GDestroyNotify)rc_message_free);
  g_autoptr (GError) error = NULL;

  if (round_abandoned (self)) {
    /* Nobody would store the token: the next round brings these again. */
    g_set_error_literal (&error, G_IO_ERROR, G_IO_ERROR_CANCELLED, "Operation was cancelled");
    hand_out_free (out);
    round_finish (self, error);
    return G_SOURCE_REMOVE;
  }
  if (!rc_sync_hold_take (out->hold, &out->next, RC_SYNC_BATCH, add_held, batch, &error)) {
    hand_out_free (out);
    round_finish (self, error);
    return G_SOURCE_REMOVE;
  }
  if (batch->len > 0)
    g_signal_emit (self, signals[SIGNAL_RECORDS], 0, batch);
  if (out->next < rc_sync_hold_get_count (out->hold))
    return G_SOURCE_CONTINUE;
  store_state (self, out->token, out->sync_time);
  hand_out_free (out);
  round_finish (self, NULL);
  return G_SOURCE_REMOVE;
}

/* Takes @read's hold; the round ends from the main loop. */
static void
hand_on_held (RoundRead *read, const char *token, gint64 sync_time)
{
  HandOut *out = g_new0 (HandOut, 1);

  out->self = g_object_ref (read->self);
  out->hold = g_steal_pointer (&read->hold);
  out->token = g_strdup (token);
  out->sync_time = sync_time;
  /* The first batch at once (as before: a small answer is handed on before the round ends). */
  if (hand_out_next (out) == G_SOURCE_CONTINUE)
    g_idle_add_full (G_PRIORITY_DEFAULT_IDLE, hand_out_next, out, NULL);
}

static gboolean
on_body_chunk (const char *data, gsize len, gpointer user_data, GError **error)
{
  RoundRead *read = user_data;

  return rc_json_splitter_feed (read->splitter, data, len, error);
}

static RoundRead *
round_read_new (RcSync *self)
{
  RoundRead *read = g_new0 (RoundRead, 1);

  read->self = g_object_ref (self);
  read->fsync = self->token == NULL;
  read->hold = rc_sync_hold_new ();
  read->fresh = g_ptr_array_new_with_free_func ((GDestroyNotify)rc_message_free);
  read->splitter = rc_json_splitter_new ("records", _ ("a message sync answer"), on_record, read);
  return read;
}

/* A full sync's page: its records join the round's (each id once). TRUE when another page is
 * to be read: the server has older records, this page brought new ones (else dateTo would not
 * move), and the page bound is not reached. */
static gboolean
collect_page (RcSync *self, GPtrArray *fresh, const char *token, gint64 sync_time, gboolean older)
{
  gint64 oldest = G_MAXINT64;
  guint added = 0;

  if (self->pages++ == 0) {
    self->collected = g_ptr_array_new_with_free_func ((GDestroyNotify)rc_message_free);
    self->collected_ids = g_hash_table_new (g_str_hash, g_str_equal);
    self->first_token = g_strdup (token);
    self->first_time = sync_time;
  }
  for (guint i = 0; i < fresh->len; i++) {
    RcMessage *message = fresh->pdata[i];

    fresh->pdata[i] = NULL;
    if (message->creation_time > 0)
      oldest = MIN (oldest, message->creation_time);
    if (message->id == NULL || g_hash_table_contains (self->collected_ids, message->id)) {
      rc_message_free (message);
      continue;
    }
    g_hash_table_add (self->collected_ids, message->id);
    g_ptr_array_add (self->collected, message);
    added++;
  }
  g_ptr_array_set_size (fresh, 0);
  if (!older)
    return FALSE;
  if (added == 0 || oldest == G_MAXINT64 || self->pages >= FSYNC_MAX_PAGES) {
    g_debug ("message-sync: full sync stops after %u pages; older records are not read",
             self->pages);
    return FALSE;
  }
  /* dateTo is inclusive and whole seconds here: one second later than the oldest record, so
   * that none of that second is skipped; the overlap is dropped by id. */
  self->page_to = oldest + 1;
  return TRUE;
}

/* After the whole body was read: the sync info, then every record handed on, then the new token
 * and time; for a full sync with older records, the next page first (*next_page). Nothing
 * changes when the answer is broken. */
static gboolean
round_read_apply (RoundRead *read, gboolean *next_page, gboolean *paced, GError **error)
{
  g_autoptr (JsonNode) rest = rc_json_splitter_finish (read->splitter, error);
  RcSync *self = read->self;
  const char *token = NULL;
  gint64 sync_time = 0;
  gboolean older = FALSE;

  *next_page = FALSE;
  *paced = FALSE;
  if (rest == NULL || !read_sync_info (rest, &token, &sync_time, &older, error))
    return FALSE;
  if (!read->fsync && rc_sync_hold_get_count (read->hold) == 0) {
    /* A small answer: its records are parsed already. */
    hand_on (self, read->fresh, token, sync_time);
    return TRUE;
  }
  if (!read->fsync) {
    *paced = TRUE;
    hand_on_held (read, token, sync_time);
    return TRUE;
  }
  if (collect_page (self, read->fresh, token, sync_time, older)) {
    *next_page = TRUE;
    return TRUE;
  }
  {
    g_autofree char *first_token = g_strdup (self->first_token);
    g_autoptr (GPtrArray) collected = g_steal_pointer (&self->collected);
    gint64 first_time = self->first_time;

    paging_reset (self);
    hand_on (self, collected, first_token, first_time);
  }
  return TRUE;
}

/* ---- rounds ---- */

static void round_request (RcSync *self);

static void
round_finish (RcSync *self, const GError *error)
{
  g_autoptr (GPtrArray) done = g_steal_pointer (&self->round_tasks);

  paging_reset (self); /* a round that failed on page 2 hands on nothing of page 1 either */
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
  RoundRead *read = user_data;
  g_autoptr (RcSync) self = g_object_ref (read->self);
  g_autoptr (GBytes) bytes = NULL;
  g_autoptr (GError) error = NULL;
  gboolean next_page = FALSE, paced = FALSE;

  bytes = rc_client_request_bytes_finish (RC_CLIENT (source), result, &error);
  if (bytes == NULL && self->token != NULL && !self->reset_done
      && (is_sync_reset (error) || is_token_refused (error))) {
    /* MSG-333, or the token refused (CMN-101 on syncToken, 400, 404, 414...): it is no good any
     * more; start over with a full sync, once this round. Kept, it would fail every round and
     * receiving would stop for good. */
    g_debug ("message-sync: %s, dropping the sync token",
             is_sync_reset (error) ? "full sync required" : "sync token refused");
    round_read_free (read);
    paging_reset (self);
    self->reset_done = TRUE;
    /* The full sync starts where the last one ended (minus the server's own overlap), not at the
     * server's default window: what came before was shown already. */
    drop_token (self);
    g_signal_emit (self, signals[SIGNAL_STATE_CHANGED], 0);
    round_request (self);
    return;
  }
  /* When every caller has gone, nobody would store the new state: leave it for the next round. */
  if (bytes != NULL && round_abandoned (self))
    g_set_error_literal (&error, G_IO_ERROR, G_IO_ERROR_CANCELLED, "Operation was cancelled");
  else if (bytes != NULL && round_read_apply (read, &next_page, &paced, &error)
           && (next_page || paced)) {
    round_read_free (read);
    if (next_page)
      round_request (self);
    /* paced: hand_out_next() ends the round */
    return;
  }
  round_read_free (read);
  round_finish (self, error);
}

/* The answer is read as a stream (rc-http.h RcHttpRequest.sink): its records are split off and
 * parsed one by one while it arrives, never held as one text or one tree (issue 10: 50,000
 * records were 44 MB of text and a 350 MB json-glib tree). Same deadline, size limit and errors as
 * any list answer (rc-http.h RC_HTTP_LIST_DEADLINE_S, RC_HTTP_MAX_LIST_ANSWER). */
static void
round_request (RcSync *self)
{
  g_autofree char *path = rc_sync_build_path (self);
  GCancellable *cancellable = NULL;
  RoundRead *read = round_read_new (self);
  RcClientCall call = { 0 };

  /* A round for one caller stops with that caller's cancellable; a shared round runs on. */
  if (self->round_tasks->len == 1)
    cancellable = g_task_get_cancellable (g_ptr_array_index (self->round_tasks, 0));
  call.method = "GET";
  call.path = path;
  call.sink = on_body_chunk;
  call.sink_data = read;
  rc_client_request_full_async (self->client, &call, cancellable, round_done, read);
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
