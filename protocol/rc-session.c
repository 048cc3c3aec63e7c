/* rc-session.c: the signed-in session: sign-on sequence, catch-up, polling; owns the outbox. Push
 * and the hold of pushed texts until the catch-up is in: rc-session-push.c. */
#include "rc-session-private.h"

#include <glib/gi18n-lib.h>

#include "rc-client-private.h"
#include "rc-contacts.h"
#include "rc-error.h"
#include "rc-push.h"

#define DEFAULT_POLL_INTERVAL_S  60
#define DEFAULT_FIRST_LOOKBACK_S 60
/* Names are loaded at sign-on and again once a day (two Heavy-group requests at least). */
#define CONTACTS_REFRESH_S (24 * 60 * 60)
/* Read marks of one burst (several conversations viewed or answered) go out together. */
#define MARK_READ_DELAY_MS 1000

/* Tokens (access + refresh) of this many grants stay registered as secrets: a server may quote
 * the one just replaced. */
#define SECRET_TOKENS_KEPT 4

enum {
  SIGNAL_PROGRESS,
  SIGNAL_CONNECTED,
  SIGNAL_DISCONNECTED,
  SIGNAL_TOKENS_CHANGED,
  SIGNAL_STATE_CHANGED,
  SIGNAL_AUTHORIZATION_REQUIRED,
  N_SIGNALS
};
static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (RcSession, rc_session, G_TYPE_OBJECT)

gboolean
rc_session_error_is_fatal (const GError *error)
{
  if (error == NULL || error->domain != RC_ERROR)
    return FALSE;
  /* The client already refreshed and retried once: a 401 that survives is dead credentials. */
  return error->code == RC_ERROR_AUTH_FAILED || error->code == RC_ERROR_TOKEN_EXPIRED;
}

static void
rc_session_dispose (GObject *object)
{
  RcSession *self = RC_SESSION (object);

  rc_session_stop (self);
  if (self->client != NULL)
    g_signal_handlers_disconnect_by_data (self->client, self);
  if (self->sync != NULL)
    g_signal_handlers_disconnect_by_data (self->sync, self);
  if (self->inbox != NULL)
    g_signal_handlers_disconnect_by_data (self->inbox, self);
  if (self->push != NULL)
    g_signal_handlers_disconnect_by_data (self->push, self);
  if (self->senders != NULL)
    g_signal_handlers_disconnect_by_data (self->senders, self);
  if (self->outbox != NULL)
    g_signal_handlers_disconnect_by_data (self->outbox, self);
  g_clear_object (&self->outbox);
  g_clear_object (&self->push);
  g_clear_pointer (&self->held, g_ptr_array_unref);
  g_clear_pointer (&self->first_records, g_ptr_array_unref);
  g_clear_object (&self->contacts);
  g_clear_pointer (&self->read_ids, g_ptr_array_unref);
  g_clear_object (&self->store_watch);
  g_clear_object (&self->inbox);
  g_clear_object (&self->sync);
  g_clear_object (&self->senders);
  g_clear_object (&self->client);
  g_clear_object (&self->cancellable);
  if (self->secrets != NULL) {
    for (guint i = 0; i < self->secrets->len; i++)
      rc_error_remove_secret (self->secrets->pdata[i]);
    g_clear_pointer (&self->secrets, g_ptr_array_unref);
  }
  G_OBJECT_CLASS (rc_session_parent_class)->dispose (object);
}

static void
rc_session_class_init (RcSessionClass *klass)
{
  GType type = G_TYPE_FROM_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = rc_session_dispose;

  signals[SIGNAL_PROGRESS] = g_signal_new ("progress", type, G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                                           NULL, G_TYPE_NONE, 2, G_TYPE_UINT, G_TYPE_STRING);
  signals[SIGNAL_CONNECTED]
      = g_signal_new ("connected", type, G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL, G_TYPE_NONE, 0);
  signals[SIGNAL_DISCONNECTED] = g_signal_new ("disconnected", type, G_SIGNAL_RUN_LAST, 0, NULL,
                                               NULL, NULL, G_TYPE_NONE, 1, G_TYPE_ERROR);
  signals[SIGNAL_TOKENS_CHANGED] = g_signal_new ("tokens-changed", type, G_SIGNAL_RUN_LAST, 0,
                                                 NULL, NULL, NULL, G_TYPE_NONE, 0);
  signals[SIGNAL_STATE_CHANGED] = g_signal_new ("state-changed", type, G_SIGNAL_RUN_LAST, 0, NULL,
                                                NULL, NULL, G_TYPE_NONE, 0);
  signals[SIGNAL_AUTHORIZATION_REQUIRED]
      = g_signal_new ("authorization-required", type, G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                      G_TYPE_NONE, 1, G_TYPE_ERROR);
}

static void
rc_session_init (RcSession *self)
{
  self->cancellable = g_cancellable_new ();
  self->poll_interval_s = DEFAULT_POLL_INTERVAL_S;
  self->first_lookback_s = DEFAULT_FIRST_LOOKBACK_S;
  self->secrets = g_ptr_array_new_with_free_func (g_free);
}

static void
add_secret (RcSession *self, const char *secret)
{
  if (secret == NULL || *secret == '\0' || self->secrets == NULL)
    return;
  rc_error_add_secret (secret);
  g_ptr_array_add (self->secrets, g_strdup (secret));
}

void
rc_session_add_secret (RcSession *self, const char *secret)
{
  g_return_if_fail (RC_IS_SESSION (self));
  /* Inserted before the tokens, which are dropped oldest first. */
  if (secret == NULL || *secret == '\0' || self->secrets == NULL)
    return;
  rc_error_add_secret (secret);
  g_ptr_array_insert (self->secrets, (gint)(self->secrets->len - self->token_secrets),
                      g_strdup (secret));
}

/* Registers the client's current tokens as secrets, forgetting those of older grants. */
static void
note_tokens (RcSession *self)
{
  const RcTokens *tokens = rc_client_get_tokens (self->client);
  guint before = self->secrets != NULL ? self->secrets->len : 0;

  add_secret (self, tokens->access_token);
  add_secret (self, tokens->refresh_token);
  if (self->secrets == NULL)
    return;
  self->token_secrets += self->secrets->len - before;
  while (self->token_secrets > 2 * SECRET_TOKENS_KEPT) {
    guint oldest = self->secrets->len - self->token_secrets;

    rc_error_remove_secret (self->secrets->pdata[oldest]);
    g_ptr_array_remove_index (self->secrets, oldest);
    self->token_secrets--;
  }
}

static void
on_tokens_changed (RcClient *client, gpointer user_data)
{
  note_tokens (user_data);
  g_signal_emit (user_data, signals[SIGNAL_TOKENS_CHANGED], 0);
}

static void
on_state_changed (GObject *source, gpointer user_data)
{
  g_signal_emit (user_data, signals[SIGNAL_STATE_CHANGED], 0);
}

static void
on_sync_records (RcSync *sync, GPtrArray *records, gpointer user_data)
{
  RcSession *self = user_data;

  if (self->first_records != NULL) {
    /* The first catch-up, answered before the send-from numbers are in: held (rc-session.c). */
    for (guint i = 0; i < records->len; i++)
      g_ptr_array_add (self->first_records, rc_message_copy (records->pdata[i]));
    return;
  }
  rc_inbox_add (self->inbox, records, RC_INBOX_FROM_SYNC);
}

static void on_sent (RcOutbox *outbox, RcMessage *record, const char *key, gpointer user_data);
static void on_numbers_answered (RcSenderList *senders, gpointer user_data);

/* RcStoreWatch decided that a message-store notification needs a message-sync. */
static void
store_watch_sync (gpointer user_data)
{
  rc_session_sync_now (user_data);
}

RcSession *
rc_session_new (RcClient *client)
{
  RcSession *self;

  g_return_val_if_fail (RC_IS_CLIENT (client), NULL);

  self = g_object_new (RC_TYPE_SESSION, NULL);
  self->client = g_object_ref (client);
  self->senders = rc_sender_list_new (client);
  self->sync = rc_sync_new (client);
  self->inbox = rc_inbox_new (self->senders);
  self->outbox = rc_outbox_new (client, self->senders, self->inbox);
  self->store_watch = rc_store_watch_new (self->inbox, self->outbox, store_watch_sync, self);
  self->push = rc_push_new (client);
  self->contacts = rc_contacts_new (client);
  g_signal_connect (client, "tokens-changed", G_CALLBACK (on_tokens_changed), self);
  g_signal_connect (self->sync, "records", G_CALLBACK (on_sync_records), self);
  g_signal_connect (self->sync, "state-changed", G_CALLBACK (on_state_changed), self);
  g_signal_connect (self->inbox, "state-changed", G_CALLBACK (on_state_changed), self);
  g_signal_connect (self->outbox, "sent", G_CALLBACK (on_sent), self);
  g_signal_connect (self->senders, "answered", G_CALLBACK (on_numbers_answered), self);
  rc_session_push_connect (self);
  return self;
}

RcClient *
rc_session_get_client (RcSession *self)
{
  g_return_val_if_fail (RC_IS_SESSION (self), NULL);
  return self->client;
}

RcSenderList *
rc_session_get_senders (RcSession *self)
{
  g_return_val_if_fail (RC_IS_SESSION (self), NULL);
  return self->senders;
}

RcOutbox *
rc_session_get_outbox (RcSession *self)
{
  g_return_val_if_fail (RC_IS_SESSION (self), NULL);
  return self->outbox;
}

RcPush *
rc_session_get_push (RcSession *self)
{
  g_return_val_if_fail (RC_IS_SESSION (self), NULL);
  return self->push;
}

RcContacts *
rc_session_get_contacts (RcSession *self)
{
  g_return_val_if_fail (RC_IS_SESSION (self), NULL);
  return self->contacts;
}

RcInbox *
rc_session_get_inbox (RcSession *self)
{
  g_return_val_if_fail (RC_IS_SESSION (self), NULL);
  return self->inbox;
}

void
rc_session_restore (RcSession *self, const char *sync_token, gint64 sync_time, const char *seen)
{
  g_return_if_fail (RC_IS_SESSION (self));

  rc_sync_restore (self->sync, sync_token, sync_time);
  rc_inbox_restore_seen (self->inbox, seen);
}

const char *
rc_session_get_sync_token (RcSession *self)
{
  g_return_val_if_fail (RC_IS_SESSION (self), NULL);
  /* While a first catch-up's records wait for the numbers (first_records), its token is not
   * ours to keep: saved, a sign-on that stops before signed_on() would lose those texts. */
  if (self->first_records != NULL)
    return NULL;
  return rc_sync_get_token (self->sync);
}

gint64
rc_session_get_sync_time (RcSession *self)
{
  g_return_val_if_fail (RC_IS_SESSION (self), 0);
  if (self->first_records != NULL)
    return 0; /* as rc_session_get_sync_token() */
  return rc_sync_get_sync_time (self->sync);
}

char *
rc_session_save_seen (RcSession *self)
{
  g_return_val_if_fail (RC_IS_SESSION (self), NULL);
  return rc_inbox_save_seen (self->inbox);
}

void
rc_session_set_poll_interval (RcSession *self, guint seconds)
{
  g_return_if_fail (RC_IS_SESSION (self));
  self->poll_interval_s = MAX (seconds, 1);
}

void
rc_session_set_http_limits (RcSession *self, guint deadline_s, guint max_hold_s)
{
  RcHttp *http;

  g_return_if_fail (RC_IS_SESSION (self));
  http = rc_client_get_http (self->client);
  if (http == NULL)
    return;
  if (deadline_s > 0)
    rc_http_set_deadline (http, deadline_s);
  if (max_hold_s > 0)
    rc_http_set_max_hold (http, max_hold_s);
}

void
rc_session_set_first_sync_lookback (RcSession *self, guint seconds)
{
  g_return_if_fail (RC_IS_SESSION (self));
  self->first_lookback_s = seconds;
}

gboolean
rc_session_is_connected (RcSession *self)
{
  g_return_val_if_fail (RC_IS_SESSION (self), FALSE);
  return self->connected;
}

/* Ends the session with @error: stops everything first, so that a handler may drop the last
 * reference. */
void
rc_session_fail (RcSession *self, const GError *error)
{
  g_autoptr (GError) copy = g_error_copy (error);

  /* Browser sign-in and no live refresh token: only the user can go on. Ask once, and keep
   * everything as it is until rc_session_authorized(); more failures meanwhile ask nothing. */
  if (rc_session_error_is_fatal (error) && rc_client_needs_authorization (self->client)) {
    if (self->authorization_pending)
      return;
    self->authorization_pending = TRUE;
    g_debug ("session needs a new browser sign-in: %s", error->message);
    g_signal_emit (self, signals[SIGNAL_AUTHORIZATION_REQUIRED], 0, copy);
    return;
  }
  g_debug ("session ends: %s", error->message);
  rc_session_stop (self);
  g_signal_emit (self, signals[SIGNAL_DISCONNECTED], 0, copy);
}

/* ---- message sync ---- */

void
rc_session_sync_round_done (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (RcSession) self = user_data;
  g_autoptr (GError) error = NULL;

  rc_sync_run_finish (RC_SYNC (source), result, &error);
  self->syncs_running--;
  if (self->stopped)
    return;
  if (error == NULL) {
    /* Caught up with push up: polling left on after a catch-up gave up is not needed. */
    if (rc_push_is_connected (self->push) && self->held == NULL)
      rc_session_polling_stop (self);
    return;
  }
  if (rc_session_error_is_fatal (error)) {
    rc_session_fail (self, error);
    return;
  }
  /* Transient (network, 5xx, 429, a garbled answer): the next round tries again. */
  g_debug ("message sync failed, retrying next round: %s", error->message);
}

void
rc_session_sync_now (RcSession *self)
{
  g_return_if_fail (RC_IS_SESSION (self));

  if (self->stopped || !self->connected)
    return;
  self->syncs_running++;
  rc_sync_run_async (self->sync, self->cancellable, rc_session_sync_round_done,
                     g_object_ref (self));
}

static gboolean
on_poll (gpointer user_data)
{
  RcSession *self = user_data;

  /* A slow round is not piled up behind. */
  if (self->syncs_running == 0)
    rc_session_sync_now (self);
  return G_SOURCE_CONTINUE;
}

void
rc_session_polling_start (RcSession *self)
{
  if (self->poll_id != 0 || self->stopped)
    return;
  self->poll_id = g_timeout_add_seconds (self->poll_interval_s, on_poll, self);
}

void
rc_session_polling_stop (RcSession *self)
{
  if (self->poll_id != 0)
    g_source_remove (self->poll_id);
  self->poll_id = 0;
}

/* ---- names ---- */

static void
on_contacts_loaded (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (RcSession) self = user_data;
  g_autoptr (GError) error = NULL;

  /* Optional: without names, numbers are shown. The finish fails only when both sources did. */
  if (!rc_contacts_load_finish (RC_CONTACTS (source), result, &error))
    g_debug ("contact names not loaded: %s", error->message);
  else if (rc_contacts_get_last_warning (RC_CONTACTS (source)) != NULL)
    g_debug ("contact names: %s", rc_contacts_get_last_warning (RC_CONTACTS (source)));
}

void
rc_session_refresh_contacts (RcSession *self)
{
  GPtrArray *senders;

  g_return_if_fail (RC_IS_SESSION (self));

  if (self->stopped)
    return;
  senders = rc_sender_list_get (self->senders);
  rc_contacts_set_default_country (
      self->contacts,
      senders->len > 0 ? ((const RcPhoneNumber *)senders->pdata[0])->e164 : NULL);
  rc_contacts_load_async (self->contacts, self->cancellable, on_contacts_loaded,
                          g_object_ref (self));
}

static gboolean
on_contacts_timer (gpointer user_data)
{
  rc_session_refresh_contacts (user_data);
  return G_SOURCE_CONTINUE;
}

/* ---- read marks ---- */

static void
on_marked_read (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GError) error = NULL;

  /* Best effort: the texts stay unread on the phone, nothing is lost. */
  if (!rc_message_mark_read_finish (RC_CLIENT (source), result, &error))
    g_debug ("marking texts read failed: %s", error->message);
}

static gboolean
on_mark_read_burst (gpointer user_data)
{
  RcSession *self = user_data;
  g_autoptr (GPtrArray) ids = g_steal_pointer (&self->read_ids);

  self->read_id = 0;
  if (ids == NULL || ids->len == 0 || self->stopped)
    return G_SOURCE_REMOVE;
  g_ptr_array_add (ids, NULL);
  rc_message_mark_read_async (self->client, (const char *const *)ids->pdata, self->cancellable,
                              on_marked_read, NULL);
  return G_SOURCE_REMOVE;
}

void
rc_session_mark_read (RcSession *self, const char *thread)
{
  g_auto (GStrv) ids = NULL;

  g_return_if_fail (RC_IS_SESSION (self));

  if (self->stopped || thread == NULL)
    return;
  ids = rc_inbox_take_unread (self->inbox, thread);
  if (ids[0] == NULL)
    return;
  if (self->read_ids == NULL)
    self->read_ids = g_ptr_array_new_with_free_func (g_free);
  for (guint i = 0; ids[i] != NULL; i++)
    g_ptr_array_add (self->read_ids, g_strdup (ids[i]));
  if (self->read_id == 0)
    self->read_id = g_timeout_add (MARK_READ_DELAY_MS, on_mark_read_burst, self);
}

/* ---- sign-on ---- */

/* The sign-on is over: token, send-from numbers and the first catch-up are in. The catch-up's
 * records, held until the numbers were in, go to the inbox first. */
static void
signed_on (RcSession *self)
{
  g_autoptr (GPtrArray) records = g_steal_pointer (&self->first_records);

  if (records != NULL && records->len > 0)
    rc_inbox_add (self->inbox, records, RC_INBOX_FROM_SYNC);
  if (records != NULL)
    /* The catch-up's token and time can be kept now that its records are handed on. */
    g_signal_emit (self, signals[SIGNAL_STATE_CHANGED], 0);
  if (self->stopped)
    return;
  self->connected = TRUE;
  /* Polling until push is up (and whenever it is down). */
  rc_session_polling_start (self);
  rc_push_start (self->push);
  rc_session_refresh_contacts (self);
  self->contacts_id = g_timeout_add_seconds (CONTACTS_REFRESH_S, on_contacts_timer, self);
  g_signal_emit (self, signals[SIGNAL_CONNECTED], 0);
}

static void
on_first_sync_done (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (RcSession) self = user_data;
  g_autoptr (GError) error = NULL;

  self->first_sync_running = FALSE;
  if (!rc_sync_run_finish (RC_SYNC (source), result, &error)) {
    if (!self->stopped)
      rc_session_fail (self, error);
    return;
  }
  if (self->stopped)
    return;
  self->first_sync_ok = TRUE;
  if (self->senders_in)
    signed_on (self);
}

static void
first_sync_start (RcSession *self)
{
  /* The first catch-up shows only what came just before, by the server's clock: a desktop clock
   * that is off would otherwise replay old history (fact sheet §4 "Server time"). */
  if (rc_sync_get_token (self->sync) == NULL && rc_sync_get_sync_time (self->sync) == 0)
    rc_sync_set_fsync_from (self->sync,
                            rc_client_server_now (self->client) - (gint64)self->first_lookback_s);
  self->first_sync_running = TRUE;
  rc_sync_run_async (self->sync, self->cancellable, on_first_sync_done, g_object_ref (self));
}

/* The first number page was answered (RcSenderList "answered"): a first sign-on's catch-up starts
 * beside the reading of the numbers. */
static void
on_numbers_answered (RcSenderList *senders, gpointer user_data)
{
  RcSession *self = user_data;

  if (!self->early_sync || self->stopped || self->first_sync_running || self->first_sync_ok)
    return;
  self->early_sync = FALSE;
  if (self->first_records == NULL)
    self->first_records = g_ptr_array_new_with_free_func ((GDestroyNotify)rc_message_free);
  first_sync_start (self);
}

static void
on_senders_loaded (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (RcSession) self = user_data;
  g_autoptr (GError) error = NULL;

  if (!rc_sender_list_refresh_finish (RC_SENDER_LIST (source), result, &error)) {
    if (!self->stopped)
      rc_session_fail (self, error);
    return;
  }
  if (self->stopped)
    return;
  self->senders_in = TRUE;
  self->early_sync = FALSE;
  g_signal_emit (self, signals[SIGNAL_PROGRESS], 0, (guint)RC_SESSION_STEP_CATCHING_UP,
                 _ ("Syncing messages"));
  if (self->first_sync_ok)
    signed_on (self);
  else if (!self->first_sync_running)
    first_sync_start (self);
}

static void
on_signed_in (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (RcSession) self = user_data;
  g_autoptr (GError) error = NULL;

  if (!rc_client_sign_in_finish (RC_CLIENT (source), result, &error)) {
    if (!self->stopped)
      rc_session_fail (self, error);
    return;
  }
  if (self->stopped)
    return;
  g_signal_emit (self, signals[SIGNAL_PROGRESS], 0, (guint)RC_SESSION_STEP_LOADING_NUMBERS,
                 _ ("Loading send-from numbers"));
  self->senders_in = FALSE;
  rc_sender_list_refresh_async (self->senders, self->cancellable, on_senders_loaded,
                                g_object_ref (self));
  /* A first sign-on's catch-up (no sync token: the last few minutes, a handful of records) runs
   * beside the number pages, its records held until the numbers are in. With a sync token it can
   * be every text missed while offline: it runs after the numbers, as its records are handed on
   * in batches, never held all at once (rc-sync.h). The server's clock must be known for its
   * dateFrom (an answer's Date: the token grant's). It starts once the number list is answered
   * (on_numbers_answered): not beside a request that may still get a 429, after which nothing may
   * be sent during the penalty (fact sheet, Summary 13). */
  self->early_sync = !self->first_sync_running && !self->first_sync_ok
                     && rc_sync_get_token (self->sync) == NULL
                     && rc_sync_get_sync_time (self->sync) == 0
                     && rc_client_knows_server_time (self->client);
}

void
rc_session_start (RcSession *self)
{
  g_return_if_fail (RC_IS_SESSION (self));
  g_return_if_fail (!self->started);

  self->started = TRUE;
  note_tokens (self); /* restored ones */
  g_signal_emit (self, signals[SIGNAL_PROGRESS], 0, (guint)RC_SESSION_STEP_SIGNING_IN,
                 _ ("Signing in"));
  rc_client_sign_in_async (self->client, self->cancellable, on_signed_in, g_object_ref (self));
}

void
rc_session_authorized (RcSession *self)
{
  g_return_if_fail (RC_IS_SESSION (self));

  if (self->stopped || !self->authorization_pending)
    return;
  self->authorization_pending = FALSE;
  if (!self->connected) {
    /* The sign-on stopped at a step: it starts over (a valid token is there now). */
    g_signal_emit (self, signals[SIGNAL_PROGRESS], 0, (guint)RC_SESSION_STEP_SIGNING_IN,
                   _ ("Signing in"));
    rc_client_sign_in_async (self->client, self->cancellable, on_signed_in, g_object_ref (self));
    return;
  }
  /* Connected all along: catch up on what failed meanwhile, and push if it gave up. */
  rc_session_sync_now (self);
  rc_push_start (self->push);
}

gboolean
rc_session_is_authorization_pending (RcSession *self)
{
  g_return_val_if_fail (RC_IS_SESSION (self), FALSE);
  return self->authorization_pending;
}

void
rc_session_stop (RcSession *self)
{
  g_return_if_fail (RC_IS_SESSION (self));

  if (self->stopped)
    return;
  self->stopped = TRUE;
  self->connected = FALSE;
  g_cancellable_cancel (self->cancellable);
  rc_session_polling_stop (self);
  rc_session_push_stop (self);
  if (self->contacts_id != 0)
    g_source_remove (self->contacts_id);
  self->contacts_id = 0;
  if (self->read_id != 0)
    g_source_remove (self->read_id);
  self->read_id = 0;
  rc_store_watch_stop (self->store_watch);
}

/* ---- our own sends (rc-outbox.c) ---- */

static void
on_sent (RcOutbox *outbox, RcMessage *record, const char *key, gpointer user_data)
{
  RcSession *self = user_data;

  /* Without push, a reply may already be waiting: catch up now rather than at the next poll.
   * With push, replies and status changes arrive by themselves. */
  if (!self->stopped && !rc_push_is_connected (self->push))
    rc_session_sync_now (self);
  else
    rc_store_watch_sent (self->store_watch);
}
