/* connection.c: login → sign in → send-from numbers → message sync → connected; periodic sync;
 * incoming texts; close(). */
#include <glib/gi18n-lib.h>
#include <purple.h>
#include <string.h>

#include "rc-client.h"
#include "rc-error.h"
#include "rc-message.h"
#include "rc-numbers.h"
#include "rc-registration.h"
#include "rc-sync.h"
#include "rcp-account.h"
#include "rcp-chat-state.h"
#include "rcp-chat.h"
#include "rcp-connection.h"
#include "rcp-errors.h"
#include "rcp-markup.h"
#include "rcp-plugin.h"
#include "rcp-senders.h"

#define RCP_DEBUG                 "ringcentral"
#define RCP_DEFAULT_SYNC_INTERVAL 10
/* A first sign-on shows only what arrived just before it, not the whole history. */
#define RCP_FIRST_SYNC_LOOKBACK_S 60
#define RCP_LOGIN_STEPS           4
/* The texting registration is optional: a slow answer must not hold the send-from list longer. */
#define RCP_REGISTRATION_WAIT_S 5

/* The connection's protocol data. RcpAccount comes first so that rcp_account_from_gc() can hand
 * it out; the rest is private to this file. */
typedef struct {
  RcpAccount ra;
  guint syncs_running; /* rounds in flight: the timer does not pile up tasks behind a slow one */
} RcpConnection;

/* Carried by every async call: the cancellable keeps its own reference, so after close() cancelled
 * it and freed the RcpAccount, the callback can see that without touching freed memory. */
typedef struct {
  GCancellable *cancellable;
  RcpAccount *ra;
} RcpCall;

static RcpCall *
rcp_call_new (RcpAccount *ra)
{
  RcpCall *call = g_new0 (RcpCall, 1);

  call->cancellable = g_object_ref (ra->cancellable);
  call->ra = ra;
  return call;
}

/* Frees @call and returns its account, or NULL when the connection is gone. */
static RcpAccount *
rcp_call_finish (RcpCall *call)
{
  RcpAccount *ra = g_cancellable_is_cancelled (call->cancellable) ? NULL : call->ra;

  g_object_unref (call->cancellable);
  g_free (call);
  return ra;
}

RcpAccount *
rcp_account_from_gc (PurpleConnection *gc)
{
  if (gc == NULL)
    return NULL;
  return purple_connection_get_protocol_data (gc);
}

/* Ends the connection. Nothing may touch @ra's connection after this returns. */
static void
fail_with_error (RcpAccount *ra, const GError *error)
{
  g_autofree char *description = NULL;
  PurpleConnectionError reason = rcp_error_to_connection_error (error, &description);

  purple_debug_warning (RCP_DEBUG, "connection failed (%s %d): %s\n",
                        g_quark_to_string (error->domain), error->code, error->message);
  purple_connection_error_reason (ra->gc, reason, description);
}

/* ---- persistence ---- */

static void
set_time_setting (PurpleAccount *account, const char *key, gint64 value)
{
  g_autofree char *text = value > 0 ? g_strdup_printf ("%" G_GINT64_FORMAT, value) : NULL;

  purple_account_set_string (account, key, text);
}

static gint64
get_time_setting (PurpleAccount *account, const char *key)
{
  const char *text = purple_account_get_string (account, key, NULL);

  return text ? g_ascii_strtoll (text, NULL, 10) : 0;
}

/* "tokens-changed": the old refresh token is already dead, so the new ones are stored at once. */
static void
on_tokens_changed (RcClient *client, gpointer user_data)
{
  RcpAccount *ra = user_data;
  const RcTokens *tokens = rc_client_get_tokens (client);

  purple_account_set_string (ra->account, "oauth_access_token", tokens->access_token);
  purple_account_set_string (ra->account, "oauth_refresh_token", tokens->refresh_token);
  purple_account_set_string (ra->account, "oauth_owner_id", tokens->owner_id);
  set_time_setting (ra->account, "oauth_access_expires", tokens->access_expires_at);
  set_time_setting (ra->account, "oauth_refresh_expires", tokens->refresh_expires_at);
}

static void
restore_tokens (RcpAccount *ra)
{
  g_autoptr (RcTokens) tokens = NULL;
  const char *access = purple_account_get_string (ra->account, "oauth_access_token", NULL);
  const char *refresh = purple_account_get_string (ra->account, "oauth_refresh_token", NULL);

  if ((access == NULL || *access == '\0') && (refresh == NULL || *refresh == '\0'))
    return;
  tokens = rc_tokens_new ();
  tokens->access_token = access && *access ? g_strdup (access) : NULL;
  tokens->refresh_token = refresh && *refresh ? g_strdup (refresh) : NULL;
  tokens->owner_id = g_strdup (purple_account_get_string (ra->account, "oauth_owner_id", NULL));
  tokens->access_expires_at = get_time_setting (ra->account, "oauth_access_expires");
  tokens->refresh_expires_at = get_time_setting (ra->account, "oauth_refresh_expires");
  rc_client_set_tokens (ra->client, tokens);
}

static void
on_sync_state_changed (RcSync *sync, gpointer user_data)
{
  RcpAccount *ra = user_data;
  g_autofree char *seen = rc_sync_save_seen (sync);

  purple_account_set_string (ra->account, "sync_token", rc_sync_get_token (sync));
  purple_account_set_string (ra->account, "sync_seen", seen);
}

/* ---- incoming texts ---- */

static gboolean
is_our_number (RcpAccount *ra, const RcMessage *msg, const char *number)
{
  if (g_strcmp0 (number, msg->owner_number) == 0)
    return TRUE;
  for (guint i = 0; ra->senders != NULL && i < ra->senders->len; i++) {
    const RcPhoneNumber *n = g_ptr_array_index (ra->senders, i);

    if (g_strcmp0 (n->e164, number) == 0)
      return TRUE;
  }
  return FALSE;
}

/* A group text has, besides us, more than one other party: the sender and another recipient. */
static gboolean
is_group_message (RcpAccount *ra, const RcMessage *msg)
{
  for (guint i = 0; msg->to != NULL && i < msg->to->len; i++) {
    const char *to = g_ptr_array_index (msg->to, i);

    if (!is_our_number (ra, msg, to) && g_strcmp0 (to, msg->from) != 0)
      return TRUE;
  }
  return FALSE;
}

static void
on_sync_message (RcSync *sync, RcMessage *msg, gpointer user_data)
{
  RcpAccount *ra = user_data;
  g_autofree char *html = NULL;
  time_t when;

  /* Texts sent from this or another device come back through sync too: not shown yet (showing
   * those sent elsewhere as PURPLE_MESSAGE_SEND is planned). */
  if (msg->direction != RC_DIRECTION_INBOUND)
    return;
  if (msg->from == NULL || *msg->from == '\0') {
    purple_debug_info (RCP_DEBUG, "message %s has no sender number; not shown\n", msg->id);
    return;
  }
  if (is_group_message (ra, msg)) {
    rcp_chat_got_message (ra, msg);
    return;
  }

  if (msg->text != NULL && *msg->text != '\0')
    html = rcp_markup_from_sms (msg->text);
  else if (msg->attachment_count > 0)
    html = g_markup_escape_text (
        _ ("[Picture message: not shown here yet; open it in the RingCentral app]"), -1);
  else {
    purple_debug_info (RCP_DEBUG, "message %s is empty; not shown\n", msg->id);
    return;
  }

  /* Noted first: the conversation serv_got_im opens announces the number a reply goes out from,
   * and that must be the number this text reached. */
  if (msg->owner_number != NULL)
    rcp_senders_note_incoming (ra, msg->from, msg->owner_number);
  when = msg->creation_time > 0 ? (time_t)msg->creation_time : time (NULL);
  serv_got_im (ra->gc, msg->from, html, PURPLE_MESSAGE_RECV, when);
}

/* ---- message sync ---- */

static void
on_sync_round_done (GObject *source, GAsyncResult *result, gpointer user_data)
{
  RcpAccount *ra = rcp_call_finish (user_data);
  g_autoptr (GError) error = NULL;

  rc_sync_run_finish (RC_SYNC (source), result, &error);
  if (ra == NULL)
    return;
  ((RcpConnection *)ra)->syncs_running--;
  if (error == NULL)
    return;
  if (rcp_error_is_session_fatal (error)) {
    fail_with_error (ra, error);
    return;
  }
  /* Transient (network, 5xx, 429, a garbled answer): the next tick tries again. */
  purple_debug_warning (RCP_DEBUG, "message sync failed, retrying next round: %s\n",
                        error->message);
}

void
rcp_connection_sync_now (RcpAccount *ra)
{
  g_return_if_fail (ra != NULL);

  if (ra->sync == NULL || g_cancellable_is_cancelled (ra->cancellable))
    return;
  ((RcpConnection *)ra)->syncs_running++;
  rc_sync_run_async (ra->sync, ra->cancellable, on_sync_round_done, rcp_call_new (ra));
}

static gboolean
on_sync_timer (gpointer user_data)
{
  RcpAccount *ra = user_data;

  if (((RcpConnection *)ra)->syncs_running == 0)
    rcp_connection_sync_now (ra);
  return G_SOURCE_CONTINUE;
}

/* ---- the send-from list with its texting registration ---- */

typedef struct {
  GPtrArray *senders; /* once the list is in */
  guint wait_id;      /* RCP_REGISTRATION_WAIT_S timer */
  gboolean returned;
} FetchSenders;

static void
fetch_senders_free (FetchSenders *fs)
{
  g_clear_pointer (&fs->senders, g_ptr_array_unref);
  g_free (fs);
}

static void
fetch_senders_return (GTask *task)
{
  FetchSenders *fs = g_task_get_task_data (task);

  if (fs->returned)
    return;
  fs->returned = TRUE;
  g_task_return_pointer (task, g_ptr_array_ref (fs->senders), (GDestroyNotify)g_ptr_array_unref);
}

/* Too slow: the list goes out as it is; the numbers still unanswered are filled in in place. */
static gboolean
on_registration_wait_over (gpointer user_data)
{
  GTask *task = user_data;
  FetchSenders *fs = g_task_get_task_data (task);

  fs->wait_id = 0;
  purple_debug_info (RCP_DEBUG, "texting registration still loading; numbers shown meanwhile\n");
  fetch_senders_return (task);
  return G_SOURCE_REMOVE;
}

static void
on_registration_fetched (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GTask) task = user_data;
  FetchSenders *fs = g_task_get_task_data (task);
  g_autoptr (GError) error = NULL;

  /* Fails only when cancelled: then the task reports that itself. */
  if (!rc_registration_fetch_finish (RC_CLIENT (source), result, &error))
    purple_debug_info (RCP_DEBUG, "texting registration not checked: %s\n", error->message);
  if (fs->wait_id != 0)
    g_source_remove (fs->wait_id);
  fetch_senders_return (task);
}

static void
on_sender_list_fetched (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GTask) task = user_data;
  FetchSenders *fs = g_task_get_task_data (task);
  GCancellable *cancellable = g_task_get_cancellable (task);
  GError *error = NULL;

  fs->senders = rc_numbers_fetch_senders_finish (RC_CLIENT (source), result, &error);
  if (fs->senders == NULL) {
    g_task_return_error (task, error);
    return;
  }
  if (fs->senders->len == 0) {
    fetch_senders_return (task);
    return;
  }
  fs->wait_id
      = g_timeout_add_seconds_full (G_PRIORITY_DEFAULT, RCP_REGISTRATION_WAIT_S,
                                    on_registration_wait_over, g_object_ref (task), g_object_unref);
  rc_registration_fetch_async (RC_CLIENT (source), fs->senders, cancellable,
                               on_registration_fetched, g_steal_pointer (&task));
}

void
rcp_connection_fetch_senders_async (RcpAccount *ra, GAsyncReadyCallback callback,
                                    gpointer user_data)
{
  GTask *task;

  g_return_if_fail (ra != NULL && ra->client != NULL);

  task = g_task_new (ra->client, ra->cancellable, callback, user_data);
  g_task_set_source_tag (task, rcp_connection_fetch_senders_async);
  g_task_set_task_data (task, g_new0 (FetchSenders, 1), (GDestroyNotify)fetch_senders_free);
  rc_numbers_fetch_senders_async (ra->client, ra->cancellable, on_sender_list_fetched, task);
}

GPtrArray *
rcp_connection_fetch_senders_finish (GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (G_IS_TASK (result), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* ---- sign-on sequence ---- */

static void
on_first_sync_done (GObject *source, GAsyncResult *result, gpointer user_data)
{
  RcpAccount *ra = rcp_call_finish (user_data);
  g_autoptr (GError) error = NULL;
  int interval;

  rc_sync_run_finish (RC_SYNC (source), result, &error);
  if (ra == NULL)
    return;
  if (error != NULL) {
    fail_with_error (ra, error);
    return;
  }

  purple_connection_set_state (ra->gc, PURPLE_CONNECTED);
  interval = purple_account_get_int (ra->account, "sync_interval", RCP_DEFAULT_SYNC_INTERVAL);
  if (interval < 1)
    interval = RCP_DEFAULT_SYNC_INTERVAL;
  ra->sync_timer = purple_timeout_add_seconds ((guint)interval, on_sync_timer, ra);
}

static void
on_senders_fetched (GObject *source, GAsyncResult *result, gpointer user_data)
{
  RcpAccount *ra = rcp_call_finish (user_data);
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) old_senders = NULL;
  GPtrArray *senders;

  senders = rcp_connection_fetch_senders_finish (result, &error);
  if (ra == NULL) {
    g_clear_pointer (&senders, g_ptr_array_unref);
    return;
  }
  if (senders == NULL) {
    fail_with_error (ra, error);
    return;
  }

  old_senders = ra->senders;
  ra->senders = senders;
  ra->senders_loaded = TRUE;
  rcp_senders_list_updated (ra, old_senders);

  purple_connection_update_progress (ra->gc, _ ("Syncing messages"), 3, RCP_LOGIN_STEPS);
  rc_sync_run_async (ra->sync, ra->cancellable, on_first_sync_done, rcp_call_new (ra));
}

static void
on_signed_in (GObject *source, GAsyncResult *result, gpointer user_data)
{
  RcpAccount *ra = rcp_call_finish (user_data);
  g_autoptr (GError) error = NULL;
  gboolean ok = rc_client_sign_in_finish (RC_CLIENT (source), result, &error);

  if (ra == NULL)
    return;
  if (!ok) {
    fail_with_error (ra, error);
    return;
  }

  purple_connection_update_progress (ra->gc, _ ("Loading send-from numbers"), 2, RCP_LOGIN_STEPS);
  rcp_connection_fetch_senders_async (ra, on_senders_fetched, rcp_call_new (ra));
}

/* Reads and checks the settings; on a problem reports INVALID_SETTINGS and returns NULL. */
static RcClient *
create_client (PurpleConnection *gc, PurpleAccount *account)
{
  const char *server_url
      = purple_account_get_string (account, "server_url", "https://platform.ringcentral.com");
  const char *client_id = purple_account_get_string (account, "client_id", "");
  const char *client_secret = purple_account_get_string (account, "client_secret", "");
  const char *auth_method = purple_account_get_string (account, "auth_method", "jwt");
  const char *jwt = purple_account_get_password (account);
  const char *saved_refresh;
  g_autoptr (GError) error = NULL;
  RcClient *client;

  if (client_id == NULL || *client_id == '\0') {
    purple_connection_error_reason (
        gc, PURPLE_CONNECTION_ERROR_INVALID_SETTINGS,
        _ ("Enter the client ID of your RingCentral app in the account's advanced settings."));
    return NULL;
  }
  if (auth_method != NULL && *auth_method != '\0' && strcmp (auth_method, "jwt") != 0) {
    purple_connection_error_reason (
        gc, PURPLE_CONNECTION_ERROR_INVALID_SETTINGS,
        _ ("This sign-in method is not available yet. Choose \"JWT credential\" in the "
           "account's advanced settings."));
    return NULL;
  }
  /* Saved tokens sign in without the JWT (a user may choose not to store the password); the
   * client asks for the JWT only when it needs a new grant. */
  saved_refresh = purple_account_get_string (account, "oauth_refresh_token", NULL);
  if ((jwt == NULL || *jwt == '\0') && (saved_refresh == NULL || *saved_refresh == '\0')) {
    purple_connection_error_reason (
        gc, PURPLE_CONNECTION_ERROR_INVALID_SETTINGS,
        _ ("Enter your RingCentral JWT credential as the account password."));
    return NULL;
  }

  client
      = rc_client_new (server_url && *server_url ? server_url : "https://platform.ringcentral.com",
                       client_id, client_secret && *client_secret ? client_secret : NULL, &error);
  if (client == NULL) {
    g_autofree char *description = NULL;
    PurpleConnectionError reason = rcp_error_to_connection_error (error, &description);

    purple_connection_error_reason (gc, reason, description);
    return NULL;
  }
  rc_client_set_jwt (client, jwt);
  return client;
}

void
rcp_login (PurpleAccount *account)
{
  PurpleConnection *gc = purple_account_get_connection (account);
  RcpConnection *conn;
  RcpAccount *ra;
  RcClient *client;
  const char *sync_token;

  rcp_plugin_ensure_ready ();

  /* SMS is plain text: the conversation window should not offer formatting it would drop. */
  gc->flags |= PURPLE_CONNECTION_NO_BGCOLOR | PURPLE_CONNECTION_NO_FONTSIZE
               | PURPLE_CONNECTION_NO_URLDESC | PURPLE_CONNECTION_NO_IMAGES;

  client = create_client (gc, account);
  if (client == NULL)
    return;

  conn = g_new0 (RcpConnection, 1);
  ra = &conn->ra;
  ra->account = account;
  ra->gc = gc;
  ra->client = client;
  ra->cancellable = g_cancellable_new ();
  ra->senders = g_ptr_array_new_with_free_func ((GDestroyNotify)rc_phone_number_free);
  ra->last_incoming_to = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  purple_connection_set_protocol_data (gc, conn);

  restore_tokens (ra);
  g_signal_connect (ra->client, "tokens-changed", G_CALLBACK (on_tokens_changed), ra);

  ra->sync = rc_sync_new (ra->client);
  sync_token = purple_account_get_string (account, "sync_token", NULL);
  rc_sync_restore (ra->sync, sync_token && *sync_token ? sync_token : NULL,
                   purple_account_get_string (account, "sync_seen", NULL));
  if (sync_token == NULL || *sync_token == '\0')
    rc_sync_set_fsync_from (ra->sync, (gint64)time (NULL) - RCP_FIRST_SYNC_LOOKBACK_S);
  g_signal_connect (ra->sync, "message", G_CALLBACK (on_sync_message), ra);
  g_signal_connect (ra->sync, "state-changed", G_CALLBACK (on_sync_state_changed), ra);

  purple_connection_update_progress (gc, _ ("Signing in"), 1, RCP_LOGIN_STEPS);
  rc_client_sign_in_async (ra->client, ra->cancellable, on_signed_in, rcp_call_new (ra));
}

/* Called for disconnects, errors and sign-out alike. Tokens are kept (not revoked) so that the
 * next sign-on resumes the session without a new grant. */
void
rcp_close (PurpleConnection *gc)
{
  RcpConnection *conn = purple_connection_get_protocol_data (gc);
  RcpAccount *ra;

  if (conn == NULL)
    return;
  ra = &conn->ra;

  g_cancellable_cancel (ra->cancellable);
  if (ra->sync_timer != 0)
    purple_timeout_remove (ra->sync_timer);
  if (ra->sync != NULL)
    g_signal_handlers_disconnect_by_data (ra->sync, ra);
  if (ra->client != NULL)
    g_signal_handlers_disconnect_by_data (ra->client, ra);
  rcp_chats_free (ra);

  g_clear_object (&ra->sync);
  g_clear_object (&ra->client);
  g_clear_object (&ra->cancellable);
  g_clear_pointer (&ra->senders, g_ptr_array_unref);
  g_clear_pointer (&ra->last_incoming_to, g_hash_table_unref);
  g_clear_pointer (&ra->registration_warned, g_hash_table_unref);
  purple_connection_set_protocol_data (gc, NULL);
  g_free (conn);
}
