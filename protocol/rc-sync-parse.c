/* rc-sync-parse.c: message-sync records parsed in worker threads, given back in order (see
 * rc-sync-parse.h). GLib's GThreadPool; one lock and condition for the jobs' done flags. */
#include "rc-sync-parse.h"

#include <glib/gi18n-lib.h>

#include "rc-json.h"

/* Worker threads: the machine's cores, at most this many. */
#define MAX_WORKERS 4

typedef struct {
  GByteArray *texts; /* the records' texts one after another */
  GArray *ends;      /* gsize: where each text ends in @texts */
  guint first_index;
  GPtrArray *messages; /* RcMessage*: the SMS records, in order (the worker's until done) */
  GError *error;       /* the first record that is not JSON; later ones are not parsed */
  gboolean done;       /* under RcSyncParse.lock */
} Job;

struct _RcSyncParse {
  RcSyncParsedFunc func;
  gpointer user_data;
  GThreadPool *pool; /* created with the second job */
  GQueue jobs;       /* Job*: submitted, oldest first */
  Job *open;         /* being filled, not submitted */
  gboolean failed;
  GMutex lock;
  GCond done_cond;
};

static Job *
job_new (guint first_index)
{
  Job *job = g_new0 (Job, 1);

  job->texts = g_byte_array_sized_new (64 * 1024);
  job->ends = g_array_sized_new (FALSE, FALSE, sizeof (gsize), RC_SYNC_PARSE_JOB);
  job->first_index = first_index;
  job->messages = g_ptr_array_new_with_free_func ((GDestroyNotify)rc_message_free);
  return job;
}

static void
job_free (Job *job)
{
  if (job == NULL)
    return;
  g_byte_array_unref (job->texts);
  g_array_unref (job->ends);
  g_ptr_array_unref (job->messages);
  g_clear_error (&job->error);
  g_free (job);
}

/* Parses every record of @job (any thread; touches only @job). */
static void
job_parse (Job *job)
{
  gsize start = 0;

  for (guint i = 0; i < job->ends->len; i++) {
    gsize end = g_array_index (job->ends, gsize, i);
    guint index = job->first_index + i;
    g_autoptr (JsonNode) node = rc_json_parse ((const char *)job->texts->data + start, end - start,
                                               _ ("a message sync record"), &job->error);
    g_autoptr (GError) local = NULL;
    RcMessage *message;

    start = end;
    if (node == NULL)
      return; /* the answer is spoiled: the rest does not matter */
    message = rc_message_parse (node, &local);
    if (message == NULL)
      g_debug ("message-sync record %u skipped: %s", index, local->message);
    else if (g_strcmp0 (message->type, "SMS") != 0)
      rc_message_free (message);
    else
      g_ptr_array_add (job->messages, message);
  }
}

static void
worker (gpointer data, gpointer user_data)
{
  Job *job = data;
  RcSyncParse *self = user_data;

  job_parse (job);
  g_mutex_lock (&self->lock);
  job->done = TRUE;
  g_cond_broadcast (&self->done_cond);
  g_mutex_unlock (&self->lock);
}

RcSyncParse *
rc_sync_parse_new (RcSyncParsedFunc func, gpointer user_data)
{
  RcSyncParse *self = g_new0 (RcSyncParse, 1);

  self->func = func;
  self->user_data = user_data;
  g_queue_init (&self->jobs);
  g_mutex_init (&self->lock);
  g_cond_init (&self->done_cond);
  return self;
}

void
rc_sync_parse_free (RcSyncParse *self)
{
  if (self == NULL)
    return;
  /* Waits for the queued and running jobs (they touch their job and our lock only). */
  if (self->pool != NULL)
    g_thread_pool_free (self->pool, FALSE, TRUE);
  g_queue_clear_full (&self->jobs, (GDestroyNotify)job_free);
  job_free (self->open);
  g_mutex_clear (&self->lock);
  g_cond_clear (&self->done_cond);
  g_free (self);
}

/* Gives back the jobs at the queue's front that are done; with @wait_all every job, else while
 * more than @keep jobs are queued (waiting for the oldest). FALSE on a spoiled answer. */
static gboolean
collect (RcSyncParse *self, guint keep, GError **error)
{
  Job *job;

  /* Bounded: each turn takes one job off the queue. */
  while ((job = g_queue_peek_head (&self->jobs)) != NULL) {
    gboolean done;

    g_mutex_lock (&self->lock);
    while (!job->done && self->jobs.length > keep)
      g_cond_wait (&self->done_cond, &self->lock);
    done = job->done;
    g_mutex_unlock (&self->lock);
    if (!done)
      return TRUE;
    g_queue_pop_head (&self->jobs);
    if (job->error != NULL) {
      self->failed = TRUE;
      g_propagate_error (error, g_steal_pointer (&job->error));
      job_free (job);
      return FALSE;
    }
    for (guint i = 0; i < job->messages->len; i++) {
      RcMessage *message = job->messages->pdata[i];

      job->messages->pdata[i] = NULL;
      self->func (message, self->user_data);
    }
    job_free (job);
  }
  return TRUE;
}

/* Hands the open job to a worker. */
static void
submit (RcSyncParse *self)
{
  Job *job = g_steal_pointer (&self->open);

  if (self->pool == NULL)
    self->pool = g_thread_pool_new (worker, self, CLAMP (g_get_num_processors (), 1, MAX_WORKERS),
                                    FALSE, NULL);
  g_queue_push_tail (&self->jobs, job);
  g_thread_pool_push (self->pool, job, NULL);
}

gboolean
rc_sync_parse_add (RcSyncParse *self, const char *json, gsize len, guint index, GError **error)
{
  gsize end;

  g_return_val_if_fail (!self->failed, FALSE);
  if (self->open == NULL)
    self->open = job_new (index);
  g_byte_array_append (self->open->texts, (const guint8 *)json, (guint)len);
  end = self->open->texts->len;
  g_array_append_val (self->open->ends, end);
  if (self->open->ends->len < RC_SYNC_PARSE_JOB)
    return collect (self, G_MAXUINT, error);
  submit (self);
  return collect (self, RC_SYNC_PARSE_IN_FLIGHT, error);
}

gboolean
rc_sync_parse_finish (RcSyncParse *self, GError **error)
{
  g_return_val_if_fail (!self->failed, FALSE);
  if (self->open != NULL && self->jobs.length == 0) {
    /* One job in all: on this thread, no hand-over. */
    g_queue_push_tail (&self->jobs, g_steal_pointer (&self->open));
    job_parse (g_queue_peek_head (&self->jobs));
    ((Job *)g_queue_peek_head (&self->jobs))->done = TRUE;
  } else if (self->open != NULL)
    submit (self);
  return collect (self, 0, error);
}
