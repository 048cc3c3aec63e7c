/* rc-store-watch.c: which message-store notifications need a sync (see rc-store-watch.h). */
#include "rc-store-watch.h"

struct _RcStoreWatch {
  GObject parent_instance;
  RcInbox *inbox;
  RcOutbox *outbox;
  RcStoreWatchSync sync;
  gpointer user_data;
  gboolean stopped;
  GStrv deferred;   /* new ids waiting for the answer of a send of ours */
  guint recheck_id; /* RC_STORE_WATCH_RECHECK_MS for @deferred */
  guint update_id;  /* RC_STORE_WATCH_UPDATE_MS after the first update not synced for */
};

G_DEFINE_FINAL_TYPE (RcStoreWatch, rc_store_watch, G_TYPE_OBJECT)

static void
rc_store_watch_dispose (GObject *object)
{
  RcStoreWatch *self = RC_STORE_WATCH (object);

  rc_store_watch_stop (self);
  g_clear_object (&self->inbox);
  g_clear_object (&self->outbox);
  G_OBJECT_CLASS (rc_store_watch_parent_class)->dispose (object);
}

static void
rc_store_watch_class_init (RcStoreWatchClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = rc_store_watch_dispose;
}

static void
rc_store_watch_init (RcStoreWatch *self)
{
}

RcStoreWatch *
rc_store_watch_new (RcInbox *inbox, RcOutbox *outbox, RcStoreWatchSync sync, gpointer user_data)
{
  RcStoreWatch *self;

  g_return_val_if_fail (RC_IS_INBOX (inbox), NULL);
  g_return_val_if_fail (RC_IS_OUTBOX (outbox), NULL);
  g_return_val_if_fail (sync != NULL, NULL);

  self = g_object_new (RC_TYPE_STORE_WATCH, NULL);
  self->inbox = g_object_ref (inbox);
  self->outbox = g_object_ref (outbox);
  self->sync = sync;
  self->user_data = user_data;
  return self;
}

static gboolean
all_seen (RcStoreWatch *self, const char *const *ids)
{
  for (guint i = 0; ids[i] != NULL; i++)
    if (!rc_inbox_has_seen (self->inbox, ids[i]))
      return FALSE;
  return TRUE;
}

/* A sync now covers every update and deferred id so far. */
static void
sync_now (RcStoreWatch *self)
{
  g_clear_handle_id (&self->update_id, g_source_remove);
  g_clear_handle_id (&self->recheck_id, g_source_remove);
  g_clear_pointer (&self->deferred, g_strfreev);
  self->sync (self->user_data);
}

static void
recheck (RcStoreWatch *self)
{
  g_auto (GStrv) ids = g_steal_pointer (&self->deferred);

  g_clear_handle_id (&self->recheck_id, g_source_remove);
  if (ids != NULL && !all_seen (self, (const char *const *)ids))
    sync_now (self);
}

static gboolean
on_recheck (gpointer user_data)
{
  RcStoreWatch *self = user_data;

  self->recheck_id = 0;
  recheck (self);
  return G_SOURCE_REMOVE;
}

static gboolean
on_update_due (gpointer user_data)
{
  RcStoreWatch *self = user_data;

  self->update_id = 0;
  sync_now (self);
  return G_SOURCE_REMOVE;
}

void
rc_store_watch_changed (RcStoreWatch *self, const char *const *new_ids, gboolean updated)
{
  g_return_if_fail (RC_IS_STORE_WATCH (self));

  if (self->stopped)
    return;
  if (new_ids == NULL) {
    sync_now (self);
    return;
  }
  if (!all_seen (self, new_ids)) {
    if (self->deferred != NULL || rc_outbox_get_pending (self->outbox) == 0) {
      sync_now (self);
      return;
    }
    self->deferred = g_strdupv ((char **)new_ids);
    self->recheck_id = g_timeout_add (RC_STORE_WATCH_RECHECK_MS, on_recheck, self);
  }
  if (updated && self->update_id == 0)
    self->update_id = g_timeout_add (RC_STORE_WATCH_UPDATE_MS, on_update_due, self);
  if (!updated && new_ids[0] != NULL && self->deferred == NULL)
    g_debug ("message-store change: the new records are already here, no sync");
}

void
rc_store_watch_sent (RcStoreWatch *self)
{
  g_return_if_fail (RC_IS_STORE_WATCH (self));

  if (self->deferred != NULL && all_seen (self, (const char *const *)self->deferred))
    recheck (self);
}

void
rc_store_watch_stop (RcStoreWatch *self)
{
  g_return_if_fail (RC_IS_STORE_WATCH (self));

  self->stopped = TRUE;
  g_clear_handle_id (&self->update_id, g_source_remove);
  g_clear_handle_id (&self->recheck_id, g_source_remove);
  g_clear_pointer (&self->deferred, g_strfreev);
}
