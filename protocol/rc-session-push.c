/* rc-session-push.c: RcSession's push side: pushed texts shown at once, or held after every
 * (re)connect until the catch-up message-sync is in (a recovery replays only the newest missed
 * events, fact sheet §5; a failed recovery replays nothing), polling while push is down. */
#include "rc-session-private.h"

/* After push was refused outright (will_retry FALSE), try it again this much later. */
#define PUSH_RETRY_S 600
/* A catch-up after a push (re)connect that failed (network, 5xx, a garbled answer) is tried this
 * many times in all, CATCH_UP_RETRY_S apart, the pushed texts still held; then they are shown and
 * polling takes over until a round succeeds. */
#define CATCH_UP_TRIES   3
#define CATCH_UP_RETRY_S 2

static void
on_push_instant (RcPush *push, RcMessage *message, gpointer user_data)
{
  RcSession *self = user_data;

  if (self->held != NULL) {
    g_ptr_array_add (self->held, rc_message_copy (message));
    return;
  }
  rc_inbox_add_one (self->inbox, message, RC_INBOX_FROM_PUSH);
}

static void
release_held (RcSession *self)
{
  g_autoptr (GPtrArray) held = g_steal_pointer (&self->held);

  if (held != NULL && held->len > 0 && !self->stopped)
    rc_inbox_add (self->inbox, held, RC_INBOX_FROM_PUSH);
}

static void on_catch_up_done (GObject *source, GAsyncResult *result, gpointer user_data);

/* Runs the catch-up of the current hold; it covers every (re)connect up to now. */
static void
catch_up_run (RcSession *self)
{
  self->catch_up_again = FALSE;
  self->syncs_running++;
  rc_sync_run_async (self->sync, self->cancellable, on_catch_up_done, g_object_ref (self));
}

static gboolean
on_catch_up_retry (gpointer user_data)
{
  RcSession *self = user_data;

  self->catch_up_retry_id = 0;
  catch_up_run (self);
  return G_SOURCE_REMOVE;
}

/* The held texts go out only after a catch-up that began after the last (re)connect succeeded:
 * a failed one is tried again (texts missed in a gap that no recovery replays would otherwise
 * wait for the next change event and then show after newer ones). After CATCH_UP_TRIES failures
 * they go out anyway and polling catches up. */
static void
on_catch_up_done (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (RcSession) self = user_data;
  g_autoptr (GError) error = NULL;

  rc_sync_run_finish (RC_SYNC (source), result, &error);
  self->syncs_running--;
  if (self->stopped)
    return;
  if (error != NULL && rc_session_error_is_fatal (error)) {
    rc_session_fail (self, error);
    return;
  }
  if (error != NULL) {
    if (++self->catch_up_tries < CATCH_UP_TRIES) {
      g_debug ("catch-up failed (%s); pushed texts held, trying again in %d s", error->message,
               CATCH_UP_RETRY_S);
      self->catch_up_retry_id = g_timeout_add_seconds (CATCH_UP_RETRY_S, on_catch_up_retry, self);
      return;
    }
    g_debug ("catch-up failed %u times (%s); polling every %u s", self->catch_up_tries,
             error->message, self->poll_interval_s);
    rc_session_polling_start (self);
  } else if (self->catch_up_again) {
    catch_up_run (self);
    return;
  }
  release_held (self);
}

/* Counts only (outbound status, reads elsewhere, texts sent from other devices): catch up when
 * the store watch says so (not for the records already here, such as the texts just sent). */
static void
on_push_store_changed (RcPush *push, GStrv new_ids, gboolean updated, gpointer user_data)
{
  rc_store_watch_changed (((RcSession *)user_data)->store_watch, (const char *const *)new_ids,
                          updated);
}

static void
on_push_connected (RcPush *push, gboolean recovered, gpointer user_data)
{
  RcSession *self = user_data;

  g_debug ("push connected (%s); message-sync polling stops",
           recovered ? "session recovered" : "new subscription");
  rc_session_polling_stop (self);
  /* Whatever happened while the socket was down (or before it came up) is caught up now, before
   * the texts pushed meanwhile. */
  if (self->stopped)
    return;
  if (self->held != NULL) {
    /* A catch-up of an earlier connect is running or waits for its next try: one more after it
     * (a running one may have been answered before this gap). */
    self->catch_up_again = TRUE;
    return;
  }
  self->held = g_ptr_array_new_with_free_func ((GDestroyNotify)rc_message_free);
  self->catch_up_tries = 0;
  catch_up_run (self);
}

static gboolean
on_push_retry (gpointer user_data)
{
  RcSession *self = user_data;

  self->push_retry_id = 0;
  rc_push_start (self->push);
  return G_SOURCE_REMOVE;
}

static void
on_push_disconnected (RcPush *push, GError *error, gboolean will_retry, gpointer user_data)
{
  RcSession *self = user_data;

  if (self->stopped)
    return;
  if (rc_session_error_is_fatal (error)) {
    rc_session_fail (self, error);
    return;
  }
  if (will_retry)
    g_debug ("push disconnected (%s); polling every %u s until it is back", error->message,
             self->poll_interval_s);
  else {
    g_debug ("push is not available (%s); polling every %u s, trying push again in %d s",
             error->message, self->poll_interval_s, PUSH_RETRY_S);
    if (self->push_retry_id == 0)
      self->push_retry_id = g_timeout_add_seconds (PUSH_RETRY_S, on_push_retry, self);
  }
  rc_session_polling_start (self);
}

void
rc_session_push_connect (RcSession *self)
{
  g_signal_connect (self->push, "instant-message", G_CALLBACK (on_push_instant), self);
  g_signal_connect (self->push, "store-changed", G_CALLBACK (on_push_store_changed), self);
  g_signal_connect (self->push, "connected", G_CALLBACK (on_push_connected), self);
  g_signal_connect (self->push, "disconnected", G_CALLBACK (on_push_disconnected), self);
}

void
rc_session_push_stop (RcSession *self)
{
  if (self->push_retry_id != 0)
    g_source_remove (self->push_retry_id);
  self->push_retry_id = 0;
  if (self->catch_up_retry_id != 0)
    g_source_remove (self->catch_up_retry_id);
  self->catch_up_retry_id = 0;
  rc_push_stop (self->push);
}
