/* rc-client.c: an authenticated RingCentral API client (tokens, grants, JSON calls). */
#include "rc-client.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "rc-auth-private.h"
#include "rc-client-private.h"
#include "rc-http.h"
#include "rc-json.h"

#define RC_CLIENT_ACCESS_MARGIN_S 60  /* refresh before a call when less is left */
#define RC_CLIENT_TIMER_LEAD_S    300 /* proactive refresh this long before expiry */
#define RC_CLIENT_TIMER_MIN_S     10
#define RC_CLIENT_TIMER_RETRY_S   60 /* after a proactive refresh failed on the network */

struct _RcClient {
  GObject parent_instance;
  RcHttp *http;
  char *client_id;
  char *client_secret;
  char *jwt;
  RcAuthMethod auth_method;
  RcTokens *tokens;
  GCancellable *cancellable; /* the client's own work (grants); cancelled by dispose */
  gboolean auth_busy;        /* a grant is in flight; callers queue in auth_waiters */
  GPtrArray *auth_waiters;   /* GTask*, each waiting for the grant in flight */
  guint refresh_timer;
  char *request_tag; /* rc_client_set_request_tag(): copied into each request started */
};

G_DEFINE_FINAL_TYPE (RcClient, rc_client, G_TYPE_OBJECT)

enum { SIGNAL_TOKENS_CHANGED, SIGNAL_RATE_LIMITED, N_SIGNALS };
static guint signals[N_SIGNALS];

static void
free_secret (char *s)
{
  if (s != NULL)
    memset (s, 0, strlen (s));
  g_free (s);
}

static gint64
now_s (void)
{
  return g_get_real_time () / G_USEC_PER_SEC;
}

static void schedule_refresh (RcClient *self);

/* ---- object ---- */

static void
rc_client_dispose (GObject *object)
{
  RcClient *self = RC_CLIENT (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_handle_id (&self->refresh_timer, g_source_remove);
  if (self->http != NULL)
    g_signal_handlers_disconnect_by_data (self->http, self);
  g_clear_object (&self->http);
  G_OBJECT_CLASS (rc_client_parent_class)->dispose (object);
}

static void
rc_client_finalize (GObject *object)
{
  RcClient *self = RC_CLIENT (object);

  g_free (self->client_id);
  free_secret (self->client_secret);
  free_secret (self->jwt);
  g_free (self->request_tag);
  rc_tokens_free (self->tokens);
  g_clear_object (&self->cancellable);
  g_ptr_array_unref (self->auth_waiters);
  G_OBJECT_CLASS (rc_client_parent_class)->finalize (object);
}

static void
rc_client_class_init (RcClientClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = rc_client_dispose;
  object_class->finalize = rc_client_finalize;

  signals[SIGNAL_TOKENS_CHANGED]
      = g_signal_new ("tokens-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                      NULL, G_TYPE_NONE, 0);
  signals[SIGNAL_RATE_LIMITED]
      = g_signal_new ("rate-limited", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                      NULL, G_TYPE_NONE, 2, G_TYPE_UINT, G_TYPE_STRING);
}

/* RcHttp "held" → "rate-limited" (same arguments). */
static void
on_http_held (RcHttp *http, guint seconds, const char *tag, gpointer user_data)
{
  g_signal_emit (user_data, signals[SIGNAL_RATE_LIMITED], 0, seconds, tag);
}

static void
rc_client_init (RcClient *self)
{
  self->tokens = rc_tokens_new ();
  self->cancellable = g_cancellable_new ();
  self->auth_waiters = g_ptr_array_new ();
}

RcClient *
rc_client_new (const char *server_url, const char *client_id, const char *client_secret,
               GError **error)
{
  g_autofree char *base = NULL;
  RcClient *self;

  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  base = rc_http_normalize_server_url (server_url, error);
  if (base == NULL)
    return NULL;
  if (client_id == NULL || *client_id == '\0') {
    g_set_error_literal (error, RC_ERROR, RC_ERROR_INVALID_SETTINGS,
                         _ ("Enter the client ID of your RingCentral app in the account "
                            "settings."));
    return NULL;
  }
  self = g_object_new (RC_TYPE_CLIENT, NULL);
  self->http = rc_http_new (base);
  g_signal_connect (self->http, "held", G_CALLBACK (on_http_held), self);
  self->client_id = g_strdup (client_id);
  self->client_secret = (client_secret && *client_secret) ? g_strdup (client_secret) : NULL;
  return self;
}

const char *
rc_client_get_server_url (RcClient *self)
{
  g_return_val_if_fail (RC_IS_CLIENT (self), NULL);
  return self->http ? rc_http_get_base_url (self->http) : NULL;
}

const char *
rc_client_get_client_id (RcClient *self)
{
  g_return_val_if_fail (RC_IS_CLIENT (self), NULL);
  return self->client_id;
}

gboolean
rc_client_is_same_origin (RcClient *self, const char *url)
{
  g_return_val_if_fail (RC_IS_CLIENT (self), FALSE);
  return url != NULL && self->http != NULL
         && rc_http_same_origin (rc_http_get_base_url (self->http), url);
}

RcHttp *
rc_client_get_http (RcClient *self)
{
  return self->http;
}

const char *
rc_client_get_client_secret (RcClient *self)
{
  return self->client_secret;
}

void
rc_client_set_client_secret (RcClient *self, const char *client_secret)
{
  g_return_if_fail (RC_IS_CLIENT (self));
  free_secret (self->client_secret);
  self->client_secret = (client_secret && *client_secret) ? g_strdup (client_secret) : NULL;
}

void
rc_client_set_request_tag (RcClient *self, const char *tag)
{
  g_return_if_fail (RC_IS_CLIENT (self));
  g_free (self->request_tag);
  self->request_tag = g_strdup (tag);
}

void
rc_client_set_jwt (RcClient *self, const char *jwt)
{
  g_return_if_fail (RC_IS_CLIENT (self));
  free_secret (self->jwt);
  self->jwt = (jwt && *jwt) ? g_strdup (jwt) : NULL;
  schedule_refresh (self);
}

const RcTokens *
rc_client_get_tokens (RcClient *self)
{
  g_return_val_if_fail (RC_IS_CLIENT (self), NULL);
  return self->tokens;
}

void
rc_client_set_auth_method (RcClient *self, RcAuthMethod method)
{
  g_return_if_fail (RC_IS_CLIENT (self));
  self->auth_method = method;
}

RcAuthMethod
rc_client_get_auth_method (RcClient *self)
{
  g_return_val_if_fail (RC_IS_CLIENT (self), RC_AUTH_METHOD_JWT);
  return self->auth_method;
}

gboolean
rc_client_needs_authorization (RcClient *self)
{
  g_return_val_if_fail (RC_IS_CLIENT (self), FALSE);
  return self->auth_method == RC_AUTH_METHOD_BROWSER
         && !rc_tokens_refresh_valid (self->tokens, now_s ());
}

/* ---- proactive refresh timer ---- */

static void auth_begin (RcClient *self);

static gboolean
refresh_timer_cb (gpointer user_data)
{
  RcClient *self = user_data;

  self->refresh_timer = 0;
  g_debug ("proactive token refresh");
  if (!self->auth_busy)
    auth_begin (self);
  return G_SOURCE_REMOVE;
}

static void
schedule_refresh_in (RcClient *self, gint64 delay)
{
  g_clear_handle_id (&self->refresh_timer, g_source_remove);
  delay = CLAMP (delay, RC_CLIENT_TIMER_MIN_S, G_MAXUINT / 1000);
  self->refresh_timer = g_timeout_add_seconds ((guint)delay, refresh_timer_cb, self);
}

/* Refreshes RC_CLIENT_TIMER_LEAD_S before the access token expires, while there is a way to. */
static void
schedule_refresh (RcClient *self)
{
  gint64 left;

  g_clear_handle_id (&self->refresh_timer, g_source_remove);
  if (self->http == NULL) /* disposed: no timer may outlive the object */
    return;
  if (self->tokens->access_token == NULL || self->tokens->access_expires_at == 0)
    return;
  if (!rc_tokens_refresh_valid (self->tokens, now_s ())
      && (self->auth_method == RC_AUTH_METHOD_BROWSER || self->jwt == NULL))
    return;
  /* The lead is at most half the time left: a short-lived token (rc-auth-private.h clamps
   * lifetimes to >= 300 s) is refreshed half-way, not every RC_CLIENT_TIMER_MIN_S. */
  left = self->tokens->access_expires_at - now_s ();
  schedule_refresh_in (self, left - MIN (RC_CLIENT_TIMER_LEAD_S, left / 2));
}

void
rc_client_set_tokens (RcClient *self, const RcTokens *tokens)
{
  g_return_if_fail (RC_IS_CLIENT (self));
  rc_tokens_free (self->tokens);
  self->tokens = tokens ? rc_tokens_copy (tokens) : rc_tokens_new ();
  schedule_refresh (self);
}

/* ---- grants (single flight) ---- */

typedef struct {
  GWeakRef client; /* the grant must not keep the client alive (timer refreshes have no caller) */
  RcGrantKind kind;
  /* RC_GRANT_CODE only (rc_client_grant_code_async()): */
  char *code;
  char *redirect_uri;
  char *code_verifier;
  GTask *task; /* the caller of the code grant */
} GrantOp;

static void
grant_op_free (GrantOp *op)
{
  g_weak_ref_clear (&op->client);
  free_secret (op->code);
  g_free (op->redirect_uri);
  free_secret (op->code_verifier);
  g_clear_object (&op->task);
  g_free (op);
}

static void
waiter_clear_source (GTask *task)
{
  GSource *source = g_task_get_task_data (task);

  if (source != NULL)
    g_source_destroy (source);
}

/* Completes every caller waiting for the grant in flight. */
static void
auth_complete (RcClient *self, const GError *error)
{
  g_autoptr (GPtrArray) waiters = self->auth_waiters;

  self->auth_waiters = g_ptr_array_new ();
  self->auth_busy = FALSE;
  for (guint i = 0; i < waiters->len; i++) {
    g_autoptr (GTask) task = waiters->pdata[i];

    waiter_clear_source (task);
    if (error != NULL)
      g_task_return_error (task, g_error_copy (error));
    else
      g_task_return_boolean (task, TRUE);
  }
}

static void grant_done (GObject *source, GAsyncResult *result, gpointer user_data);

static void
grant_send (RcClient *self, GrantOp *op)
{
  g_autofree char *basic = rc_auth_basic_header (self->client_id, self->client_secret);
  g_autofree char *form = NULL;
  g_autoptr (GBytes) body = NULL;
  RcHttpRequest req = { 0 };
  RcGrant grant = { op->kind, NULL, op->redirect_uri, op->code_verifier };

  grant.secret = op->kind == RC_GRANT_REFRESH ? self->tokens->refresh_token
                 : op->kind == RC_GRANT_CODE  ? op->code
                                              : self->jwt;
  form = rc_auth_grant_form (&grant, self->client_id, self->client_secret);
  body = g_bytes_new_with_free_func (form, strlen (form), (GDestroyNotify)free_secret, form);
  form = NULL;

  req.method = "POST";
  req.path = RC_AUTH_TOKEN_PATH;
  req.content_type = RC_AUTH_FORM_TYPE;
  req.body = body;
  req.authorization = basic;
  req.token_endpoint = TRUE;
  g_debug ("token request: %s grant", rc_auth_grant_name (op->kind));
  rc_http_send_async (self->http, &req, self->cancellable, grant_done, op);
  if (basic != NULL)
    memset (basic, 0, strlen (basic));
}

static void
grant_done (GObject *source, GAsyncResult *result, gpointer user_data)
{
  GrantOp *op = user_data;
  g_autoptr (RcClient) self = g_weak_ref_get (&op->client);
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) bytes = NULL;
  g_autoptr (RcTokens) tokens = NULL;

  bytes = rc_http_send_finish (RC_HTTP (source), result, &error);
  if (self == NULL) {
    if (op->task != NULL)
      g_task_return_new_error (op->task, G_IO_ERROR, G_IO_ERROR_CANCELLED,
                               _ ("The RingCentral client was closed."));
    grant_op_free (op);
    return;
  }
  if (bytes != NULL)
    tokens = rc_auth_parse_token_info (bytes, now_s (), &error);

  if (tokens != NULL) {
    g_debug ("token %s grant succeeded", rc_auth_grant_name (op->kind));
    if (op->task != NULL)
      g_task_return_boolean (op->task, TRUE);
    grant_op_free (op);
    rc_tokens_free (self->tokens);
    self->tokens = g_steal_pointer (&tokens);
    schedule_refresh (self);
    /* Before anything else: the old refresh token is already dead, it must be persisted now. */
    g_signal_emit (self, signals[SIGNAL_TOKENS_CHANGED], 0);
    auth_complete (self, NULL);
    return;
  }

  g_debug ("token %s grant failed: %s", rc_auth_grant_name (op->kind), error->message);
  if (op->kind == RC_GRANT_REFRESH
      && (g_error_matches (error, RC_ERROR, RC_ERROR_AUTH_FAILED)
          || g_error_matches (error, RC_ERROR, RC_ERROR_INVALID_INPUT))) {
    /* The refresh token is dead: forget it. With a JWT, one new JWT grant (never a loop); for a
     * browser sign-in only the user can start a new session: the whole session is forgotten (and
     * persisted so), and the caller sees rc_client_needs_authorization(). */
    free_secret (self->tokens->refresh_token);
    self->tokens->refresh_token = NULL;
    self->tokens->refresh_expires_at = 0;
    if (self->auth_method == RC_AUTH_METHOD_JWT && self->jwt != NULL) {
      op->kind = RC_GRANT_JWT;
      grant_send (self, op);
      return;
    }
    if (self->auth_method == RC_AUTH_METHOD_BROWSER) {
      g_clear_error (&error);
      error = g_error_new_literal (RC_ERROR, RC_ERROR_AUTH_FAILED,
                                   _ ("The RingCentral sign-in has expired; sign in again in "
                                      "your browser."));
      rc_client_set_tokens (self, NULL);
      g_signal_emit (self, signals[SIGNAL_TOKENS_CHANGED], 0);
    }
  }
  if (op->task != NULL)
    g_task_return_error (op->task, g_error_copy (error));
  grant_op_free (op);
  if (g_error_matches (error, RC_ERROR, RC_ERROR_NETWORK)
      && rc_tokens_access_valid (self->tokens, now_s (), 0))
    schedule_refresh_in (self, RC_CLIENT_TIMER_RETRY_S);
  auth_complete (self, error);
}

/* Starts a grant: refresh when the refresh token is alive, else the JWT grant. */
static void
auth_begin (RcClient *self)
{
  GrantOp *op;

  g_assert (!self->auth_busy);
  if (self->http == NULL) {
    g_autoptr (GError) error = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED,
                                                    _ ("The RingCentral client was closed."));
    auth_complete (self, error);
    return;
  }
  if (!rc_tokens_refresh_valid (self->tokens, now_s ())
      && (self->auth_method == RC_AUTH_METHOD_BROWSER || self->jwt == NULL)) {
    g_autoptr (GError) error = g_error_new_literal (
        RC_ERROR, RC_ERROR_AUTH_FAILED,
        self->auth_method == RC_AUTH_METHOD_BROWSER
            ? _ ("Sign in to RingCentral in your browser.")
            : _ ("No JWT credential is set; enter it as the account password."));
    auth_complete (self, error);
    return;
  }
  self->auth_busy = TRUE;
  op = g_new0 (GrantOp, 1);
  g_weak_ref_init (&op->client, self);
  op->kind = rc_tokens_refresh_valid (self->tokens, now_s ()) ? RC_GRANT_REFRESH : RC_GRANT_JWT;
  grant_send (self, op);
}

static gboolean
waiter_cancelled (GCancellable *cancellable, gpointer user_data)
{
  GTask *task = user_data;
  RcClient *self = g_task_get_source_object (task);

  /* Return at once; the grant itself goes on for the other callers. */
  if (g_ptr_array_remove (self->auth_waiters, task)) {
    waiter_clear_source (task);
    g_task_return_error_if_cancelled (task);
    g_object_unref (task);
  }
  return G_SOURCE_REMOVE;
}

/* Gets a usable access token (@force: a new one even if the current one looks valid). */
static void
ensure_token_async (RcClient *self, gboolean force, GCancellable *cancellable,
                    GAsyncReadyCallback callback, gpointer user_data)
{
  GTask *task = g_task_new (self, cancellable, callback, user_data);

  g_task_set_source_tag (task, ensure_token_async);
  if (!force && !self->auth_busy
      && rc_tokens_access_valid (self->tokens, now_s (), RC_CLIENT_ACCESS_MARGIN_S)) {
    g_task_return_boolean (task, TRUE);
    g_object_unref (task);
    return;
  }
  if (g_task_return_error_if_cancelled (task)) {
    g_object_unref (task);
    return;
  }
  g_ptr_array_add (self->auth_waiters, task);
  if (cancellable != NULL) {
    /* A source, not a signal handler: the task may then complete without re-entrancy. */
    GSource *source = g_cancellable_source_new (cancellable);

    g_source_set_callback (source, G_SOURCE_FUNC (waiter_cancelled), task, NULL);
    g_source_attach (source, g_task_get_context (task));
    g_task_set_task_data (task, source, (GDestroyNotify)g_source_unref);
  }
  if (!self->auth_busy)
    auth_begin (self);
}

static gboolean
ensure_token_finish (RcClient *self, GAsyncResult *result, GError **error)
{
  return g_task_propagate_boolean (G_TASK (result), error);
}

/* ---- sign in ---- */

static void
sign_in_ready (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GTask) task = user_data;
  GError *error = NULL;

  if (ensure_token_finish (RC_CLIENT (source), result, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

void
rc_client_sign_in_async (RcClient *self, GCancellable *cancellable, GAsyncReadyCallback callback,
                         gpointer user_data)
{
  GTask *task;

  g_return_if_fail (RC_IS_CLIENT (self));
  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, rc_client_sign_in_async);
  ensure_token_async (self, FALSE, cancellable, sign_in_ready, task);
}

gboolean
rc_client_sign_in_finish (RcClient *self, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

/* ---- authorization code grant ---- */

void
rc_client_grant_code_async (RcClient *self, const char *code, const char *redirect_uri,
                            const char *code_verifier, GCancellable *cancellable,
                            GAsyncReadyCallback callback, gpointer user_data)
{
  GTask *task;
  GrantOp *op;

  g_return_if_fail (RC_IS_CLIENT (self));
  g_return_if_fail (code != NULL && redirect_uri != NULL && code_verifier != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, rc_client_grant_code_async);
  if (self->http == NULL) {
    g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CANCELLED,
                             _ ("The RingCentral client was closed."));
    g_object_unref (task);
    return;
  }
  if (self->auth_busy) {
    g_task_return_new_error (task, RC_ERROR, RC_ERROR_AUTH_FAILED,
                             _ ("Another sign-in to RingCentral is in progress; try again."));
    g_object_unref (task);
    return;
  }
  /* Single flight: callers that need a token meanwhile wait for this grant. */
  self->auth_busy = TRUE;
  op = g_new0 (GrantOp, 1);
  g_weak_ref_init (&op->client, self);
  op->kind = RC_GRANT_CODE;
  op->code = g_strdup (code);
  op->redirect_uri = g_strdup (redirect_uri);
  op->code_verifier = g_strdup (code_verifier);
  op->task = task;
  grant_send (self, op);
}

gboolean
rc_client_grant_code_finish (RcClient *self, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

/* ---- authenticated requests ---- */

typedef struct {
  char *method;
  char *path;
  char *content_type;
  GBytes *body;
  char *accept;     /* Accept header, or NULL: JSON */
  gsize max_bytes;  /* RcHttpRequest.max_bytes */
  char *used_token; /* the access token the last attempt carried */
  char *tag;        /* rc_client_set_request_tag() when the call started */
  gboolean retried; /* one 401 → refresh → retry, never more */
  RcHttpSinkFunc sink; /* RcClientCall.sink */
  gpointer sink_data;
} RequestData;

static void
request_data_free (RequestData *data)
{
  g_free (data->method);
  g_free (data->path);
  g_free (data->content_type);
  g_clear_pointer (&data->body, g_bytes_unref);
  g_free (data->accept);
  free_secret (data->used_token);
  g_free (data->tag);
  g_free (data);
}

static void request_done (GObject *source, GAsyncResult *result, gpointer user_data);

static void
request_send (GTask *task)
{
  RcClient *self = g_task_get_source_object (task);
  RequestData *data = g_task_get_task_data (task);
  g_autofree char *bearer = NULL;
  RcHttpRequest req = { 0 };

  if (self->http == NULL || self->tokens->access_token == NULL) {
    g_task_return_new_error (task, RC_ERROR, RC_ERROR_AUTH_FAILED,
                             _ ("The RingCentral session has ended; sign in again."));
    g_object_unref (task);
    return;
  }
  free_secret (data->used_token);
  data->used_token = g_strdup (self->tokens->access_token);
  bearer = g_strconcat ("Bearer ", data->used_token, NULL);
  req.method = data->method;
  req.path = data->path;
  req.body = data->body;
  req.content_type = data->body ? data->content_type : NULL;
  req.accept = data->accept;
  req.max_bytes = data->max_bytes;
  req.authorization = bearer;
  req.tag = data->tag;
  req.sink = data->sink;
  req.sink_data = data->sink_data;
  rc_http_send_async (self->http, &req, g_task_get_cancellable (task), request_done, task);
  memset (bearer, 0, strlen (bearer));
}

static void
request_token_ready (GObject *source, GAsyncResult *result, gpointer user_data)
{
  GTask *task = user_data;
  GError *error = NULL;

  if (!ensure_token_finish (RC_CLIENT (source), result, &error)) {
    g_task_return_error (task, error);
    g_object_unref (task);
    return;
  }
  request_send (task);
}

static void
request_done (GObject *source, GAsyncResult *result, gpointer user_data)
{
  GTask *task = user_data;
  RcClient *self = g_task_get_source_object (task);
  RequestData *data = g_task_get_task_data (task);
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) bytes = rc_http_send_finish (RC_HTTP (source), result, &error);

  if (bytes == NULL && g_error_matches (error, RC_ERROR, RC_ERROR_TOKEN_EXPIRED)) {
    if (data->retried) {
      g_task_return_new_error (task, RC_ERROR, RC_ERROR_AUTH_FAILED,
                               _ ("The RingCentral session has ended; sign in again."));
      g_object_unref (task);
      return;
    }
    data->retried = TRUE;
    /* Someone else may have refreshed since we sent: then just retry with the new token. */
    if (g_strcmp0 (data->used_token, self->tokens->access_token) != 0)
      request_send (task);
    else
      ensure_token_async (self, TRUE, g_task_get_cancellable (task), request_token_ready, task);
    return;
  }
  if (bytes == NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_pointer (task, g_steal_pointer (&bytes), (GDestroyNotify)g_bytes_unref);
  g_object_unref (task);
}

void
rc_client_request_full_async (RcClient *self, const RcClientCall *call, GCancellable *cancellable,
                              GAsyncReadyCallback callback, gpointer user_data)
{
  GTask *task;
  RequestData *data;

  g_return_if_fail (RC_IS_CLIENT (self));
  g_return_if_fail (call != NULL && call->method != NULL && call->path != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, rc_client_request_bytes_async);
  if (call->path[0] != '/' && !rc_client_token_allowed (self, call->path, call->media)) {
    /* Never send our token to a host the user did not configure (rc-client-private.h). */
    if (call->media)
      g_task_return_new_error (task, RC_ERROR, RC_ERROR_NOT_PERMITTED,
                               _ ("The file is on another server; not downloaded."));
    else
      g_task_return_new_error (task, RC_ERROR, RC_ERROR_INVALID_INPUT,
                               _ ("Refusing to follow a link to another server."));
    g_object_unref (task);
    return;
  }
  data = g_new0 (RequestData, 1);
  data->method = g_strdup (call->method);
  data->path = g_strdup (call->path);
  data->body = call->body ? g_bytes_ref (call->body) : NULL;
  data->content_type = g_strdup (
      call->body ? (call->content_type ? call->content_type : "application/octet-stream") : NULL);
  data->accept = g_strdup (call->accept);
  data->max_bytes = call->max_bytes;
  data->tag = g_strdup (self->request_tag);
  data->sink = call->sink;
  data->sink_data = call->sink_data;
  g_task_set_task_data (task, data, (GDestroyNotify)request_data_free);
  ensure_token_async (self, FALSE, cancellable, request_token_ready, task);
}

void
rc_client_request_bytes_async (RcClient *self, const char *method, const char *path,
                               const char *content_type, GBytes *body, GCancellable *cancellable,
                               GAsyncReadyCallback callback, gpointer user_data)
{
  RcClientCall call = { method, path, content_type, NULL, body, 0, FALSE };

  rc_client_request_full_async (self, &call, cancellable, callback, user_data);
}

GBytes *
rc_client_request_bytes_finish (RcClient *self, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}
