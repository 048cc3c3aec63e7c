/* rc-browser-sign-in.c: one browser sign-in: loopback listener, paste path, timeout, exchange. */
#include "rc-browser-sign-in.h"

#include <glib/gi18n-lib.h>
#include <libsoup/soup.h>
#include <string.h>

#include "rc-error.h"
#include "rc-http.h"
#include "rc-pkce.h"

struct _RcBrowserSignIn {
  GObject parent_instance;
  RcClient *client;
  char *redirect_uri;
  char *path; /* of the redirect URI: the only path the listener answers */
  guint port;
  char *state;
  char *verifier;
  char *authorize_url;
  guint timeout_s;

  GTask *task;              /* the run, until it returns */
  gboolean answered;        /* an answer (browser or paste) was taken: the rest is refused */
  SoupServer *server;       /* the loopback listener, or NULL */
  SoupServerMessage *reply; /* the browser's request, paused until the exchange is over */
  guint timeout_id;
  GCancellable *cancellable;
  gulong cancel_id;
};

G_DEFINE_FINAL_TYPE (RcBrowserSignIn, rc_browser_sign_in, G_TYPE_OBJECT)

static void
free_secret (char *s)
{
  if (s != NULL)
    memset (s, 0, strlen (s));
  g_free (s);
}

static void
close_listener (RcBrowserSignIn *self)
{
  if (self->server != NULL) {
    g_debug ("browser sign-in: loopback listener closed");
    soup_server_disconnect (self->server);
    g_clear_object (&self->server);
  }
}

static void
rc_browser_sign_in_dispose (GObject *object)
{
  RcBrowserSignIn *self = RC_BROWSER_SIGN_IN (object);

  g_clear_handle_id (&self->timeout_id, g_source_remove);
  if (self->cancellable != NULL && self->cancel_id != 0)
    g_cancellable_disconnect (self->cancellable, self->cancel_id);
  self->cancel_id = 0;
  g_clear_object (&self->cancellable);
  if (self->reply != NULL)
    soup_server_message_unpause (self->reply);
  g_clear_object (&self->reply);
  close_listener (self);
  g_clear_object (&self->client);
  G_OBJECT_CLASS (rc_browser_sign_in_parent_class)->dispose (object);
}

static void
rc_browser_sign_in_finalize (GObject *object)
{
  RcBrowserSignIn *self = RC_BROWSER_SIGN_IN (object);

  g_free (self->redirect_uri);
  g_free (self->path);
  g_free (self->state);
  free_secret (self->verifier);
  g_free (self->authorize_url);
  G_OBJECT_CLASS (rc_browser_sign_in_parent_class)->finalize (object);
}

static void
rc_browser_sign_in_class_init (RcBrowserSignInClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = rc_browser_sign_in_dispose;
  G_OBJECT_CLASS (klass)->finalize = rc_browser_sign_in_finalize;
}

static void
rc_browser_sign_in_init (RcBrowserSignIn *self)
{
  self->timeout_s = RC_BROWSER_SIGN_IN_TIMEOUT_S;
}

RcBrowserSignIn *
rc_browser_sign_in_new (RcClient *client, const char *redirect_uri, GError **error)
{
  g_autofree char *path = NULL;
  g_autofree char *challenge = NULL;
  RcBrowserSignIn *self;
  guint port = 0;

  g_return_val_if_fail (RC_IS_CLIENT (client), NULL);
  if (redirect_uri == NULL || *redirect_uri == '\0')
    redirect_uri = RC_PKCE_DEFAULT_REDIRECT_URI;
  if (!rc_pkce_check_redirect_uri (redirect_uri, &port, &path, error))
    return NULL;

  self = g_object_new (RC_TYPE_BROWSER_SIGN_IN, NULL);
  self->client = g_object_ref (client);
  self->redirect_uri = g_strdup (redirect_uri);
  self->path = g_steal_pointer (&path);
  self->port = port;
  self->state = rc_pkce_new_state ();
  self->verifier = rc_pkce_new_verifier ();
  challenge = rc_pkce_challenge_s256 (self->verifier);
  self->authorize_url
      = rc_pkce_authorize_url (rc_client_get_server_url (client), rc_client_get_client_id (client),
                               self->redirect_uri, self->state, challenge);
  return self;
}

const char *
rc_browser_sign_in_get_authorize_url (RcBrowserSignIn *self)
{
  g_return_val_if_fail (RC_IS_BROWSER_SIGN_IN (self), NULL);
  return self->authorize_url;
}

const char *
rc_browser_sign_in_get_redirect_uri (RcBrowserSignIn *self)
{
  g_return_val_if_fail (RC_IS_BROWSER_SIGN_IN (self), NULL);
  return self->redirect_uri;
}

void
rc_browser_sign_in_set_timeout (RcBrowserSignIn *self, guint seconds)
{
  g_return_if_fail (RC_IS_BROWSER_SIGN_IN (self));
  self->timeout_s = MAX (seconds, 1);
}

gboolean
rc_browser_sign_in_is_listening (RcBrowserSignIn *self)
{
  g_return_val_if_fail (RC_IS_BROWSER_SIGN_IN (self), FALSE);
  return self->server != NULL;
}

/* ---- the page the browser gets ---- */

static void
set_page (SoupServerMessage *msg, guint status, const char *title, const char *text)
{
  g_autofree char *t = g_markup_escape_text (title, -1);
  g_autofree char *x = g_markup_escape_text (text, -1);
  char *html = g_strdup_printf ("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\">"
                                "<title>%s</title></head>\n<body><h1>%s</h1>\n<p>%s</p></body>"
                                "</html>\n",
                                t, t, x);

  soup_server_message_set_status (msg, status, NULL);
  soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Cache-Control",
                                "no-store");
  soup_server_message_set_response (msg, "text/html; charset=utf-8", SOUP_MEMORY_TAKE, html,
                                    strlen (html));
}

static void
set_outcome_page (SoupServerMessage *msg, const GError *error)
{
  if (error == NULL)
    set_page (msg, 200, _ ("Signed in to RingCentral"),
              _ ("You are signed in. You can close this tab and go back to your chat "
                 "program."));
  else
    set_page (msg, 400, _ ("RingCentral sign-in failed"), error->message);
}

/* ---- ending the attempt ---- */

static gboolean
close_listener_idle (gpointer user_data)
{
  close_listener (user_data);
  return G_SOURCE_REMOVE;
}

static void
on_reply_finished (SoupServerMessage *msg, gpointer user_data)
{
  /* The page is written: nothing more to serve. Not from inside libsoup's own signal, which
   * still uses the server after it returns. */
  g_signal_handlers_disconnect_by_func (msg, on_reply_finished, user_data);
  g_idle_add_full (G_PRIORITY_DEFAULT, close_listener_idle, user_data, g_object_unref);
}

/* Ends the run with @error (NULL: success), once. The listener closes as soon as the browser's
 * page (if a browser is waiting for one) has been written. */
static void
complete (RcBrowserSignIn *self, SoupServerMessage *msg, const GError *error)
{
  g_autoptr (GTask) task = g_steal_pointer (&self->task);

  self->answered = TRUE;
  g_clear_handle_id (&self->timeout_id, g_source_remove);
  if (self->cancellable != NULL && self->cancel_id != 0)
    g_cancellable_disconnect (self->cancellable, self->cancel_id);
  self->cancel_id = 0;
  if (msg != NULL) {
    set_outcome_page (msg, error);
    g_signal_connect (msg, "finished", G_CALLBACK (on_reply_finished), g_object_ref (self));
    /* ...and should the browser go away before, dispose closes the listener. */
  } else
    close_listener (self);
  if (task == NULL)
    return;
  if (error != NULL)
    g_task_return_error (task, g_error_copy (error));
  else
    g_task_return_boolean (task, TRUE);
}

static void
on_exchanged (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (RcBrowserSignIn) self = user_data;
  g_autoptr (GError) error = NULL;
  g_autoptr (SoupServerMessage) msg = g_steal_pointer (&self->reply);

  if (!rc_client_grant_code_finish (RC_CLIENT (source), result, &error))
    g_debug ("browser sign-in: code exchange failed: %s", error->message);
  else
    g_debug ("browser sign-in: signed in");
  complete (self, msg, error);
  if (msg != NULL)
    soup_server_message_unpause (msg);
}

/* An answer arrived (browser: @msg, paste: NULL): check it, exchange the code. */
static void
take_answer (RcBrowserSignIn *self, SoupServerMessage *msg, const char *redirect)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *code = NULL;

  self->answered = TRUE;
  code = rc_pkce_parse_redirect (redirect, self->state, &error);
  if (code == NULL) {
    g_debug ("browser sign-in: answer refused: %s", error->message);
    complete (self, msg, error);
    return;
  }
  if (msg != NULL) {
    soup_server_message_pause (msg);
    self->reply = g_object_ref (msg);
  }
  /* The code is single-use and short-lived (60 s): straight to the token endpoint. */
  rc_client_grant_code_async (self->client, code, self->redirect_uri, self->verifier, NULL,
                              on_exchanged, g_object_ref (self));
  memset (code, 0, strlen (code));
}

static void
on_request (SoupServer *server, SoupServerMessage *msg, const char *path, GHashTable *query,
            gpointer user_data)
{
  RcBrowserSignIn *self = user_data;
  const char *raw = g_uri_get_query (soup_server_message_get_uri (msg));

  if (g_strcmp0 (path, self->path) != 0) {
    set_page (msg, 404, _ ("Not found"), _ ("This is not a RingCentral sign-in address."));
    return;
  }
  if (query == NULL
      || (!g_hash_table_contains (query, "code") && !g_hash_table_contains (query, "error"))) {
    set_page (msg, 400, _ ("RingCentral sign-in"),
              _ ("This address only takes the answer RingCentral sends after sign-in."));
    return;
  }
  if (self->answered || self->task == NULL) {
    set_page (msg, 409, _ ("RingCentral sign-in"),
              _ ("This sign-in attempt is already over; start a new one from your chat "
                 "program."));
    return;
  }
  g_debug ("browser sign-in: the browser came back to the loopback listener");
  take_answer (self, msg, raw);
}

void
rc_browser_sign_in_paste (RcBrowserSignIn *self, const char *text)
{
  g_return_if_fail (RC_IS_BROWSER_SIGN_IN (self));
  if (self->answered || self->task == NULL)
    return;
  g_debug ("browser sign-in: address pasted");
  take_answer (self, NULL, text);
}

static gboolean
on_timeout (gpointer user_data)
{
  RcBrowserSignIn *self = user_data;
  g_autoptr (GError) error = NULL;

  self->timeout_id = 0;
  if (self->timeout_s % 60 == 0)
    error = g_error_new (RC_ERROR, RC_ERROR_AUTH_FAILED,
                         g_dngettext (GETTEXT_PACKAGE,
                                      "The RingCentral sign-in in the browser was not finished "
                                      "within %u minute. Connect again to retry.",
                                      "The RingCentral sign-in in the browser was not finished "
                                      "within %u minutes. Connect again to retry.",
                                      self->timeout_s / 60),
                         self->timeout_s / 60);
  else
    error = g_error_new (RC_ERROR, RC_ERROR_AUTH_FAILED,
                         g_dngettext (GETTEXT_PACKAGE,
                                      "The RingCentral sign-in in the browser was not finished "
                                      "within %u second. Connect again to retry.",
                                      "The RingCentral sign-in in the browser was not finished "
                                      "within %u seconds. Connect again to retry.",
                                      self->timeout_s),
                         self->timeout_s);
  g_debug ("browser sign-in: %s", error->message);
  /* An exchange in flight has its own end; the timeout only ends the waiting. */
  if (!self->answered)
    complete (self, NULL, error);
  return G_SOURCE_REMOVE;
}

static gboolean
cancelled_idle (gpointer user_data)
{
  RcBrowserSignIn *self = user_data;
  g_autoptr (GError) error
      = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED, _ ("The sign-in was cancelled."));

  if (self->task != NULL)
    complete (self, self->reply, error);
  if (self->reply != NULL) {
    soup_server_message_unpause (self->reply);
    g_clear_object (&self->reply);
  }
  return G_SOURCE_REMOVE;
}

static void
on_cancelled (GCancellable *cancellable, gpointer user_data)
{
  /* Never re-entrantly from g_cancellable_cancel(). */
  g_idle_add_full (G_PRIORITY_DEFAULT, cancelled_idle, g_object_ref (user_data), g_object_unref);
}

static gboolean
listen_on (RcBrowserSignIn *self, GInetAddress *address, GError **error)
{
  g_autoptr (GSocketAddress) addr = g_inet_socket_address_new (address, (guint16)self->port);

  return soup_server_listen (self->server, addr, 0, error);
}

void
rc_browser_sign_in_run_async (RcBrowserSignIn *self, GCancellable *cancellable,
                              GAsyncReadyCallback callback, gpointer user_data)
{
  g_autoptr (GUri) uri = NULL;
  g_autoptr (GInetAddress) v4 = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr (GInetAddress) v6 = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV6);
  g_autoptr (GError) error = NULL;
  const char *host;
  gboolean listening = FALSE;

  g_return_if_fail (RC_IS_BROWSER_SIGN_IN (self));
  g_return_if_fail (self->task == NULL && !self->answered);

  self->task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (self->task, rc_browser_sign_in_run_async);

  uri = g_uri_parse (self->redirect_uri, G_URI_FLAGS_NONE, NULL);
  host = uri ? g_uri_get_host (uri) : "127.0.0.1";
  self->server = soup_server_new ("server-header", "purple-ringcentral ", NULL);
  soup_server_add_handler (self->server, NULL, on_request, self, NULL);
  /* localhost may resolve to either loopback: a browser tries both. */
  if (g_strcmp0 (host, "::1") != 0 && listen_on (self, v4, &error))
    listening = TRUE;
  if (g_strcmp0 (host, "::1") == 0 || g_ascii_strcasecmp (host, "localhost") == 0) {
    g_autoptr (GError) error6 = NULL;

    if (listen_on (self, v6, &error6))
      listening = TRUE;
    else if (error == NULL)
      error = g_steal_pointer (&error6);
  }
  if (!listening) {
    /* The port is taken (another program, another account): the paste path still works. */
    g_debug ("browser sign-in: cannot listen on port %u (%s); only pasting works", self->port,
             error ? error->message : "?");
    g_clear_object (&self->server);
  } else
    g_debug ("browser sign-in: listening on %s port %u", host, self->port);

  self->timeout_id = g_timeout_add_seconds (self->timeout_s, on_timeout, self);
  if (cancellable != NULL) {
    self->cancellable = g_object_ref (cancellable);
    self->cancel_id = g_cancellable_connect (cancellable, G_CALLBACK (on_cancelled), self, NULL);
  }
}

gboolean
rc_browser_sign_in_run_finish (RcBrowserSignIn *self, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}
