/* rc-client-revoke.c: sign-out, POST /restapi/oauth/revoke (fact sheet §1 "Revoke"): the tokens
 * are forgotten at once, server errors ignored as the guide says; moved out of rc-client.c. */
#include "rc-client.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "rc-auth-private.h"
#include "rc-client-private.h"
#include "rc-http.h"

static void
free_secret (char *s)
{
  if (s != NULL)
    memset (s, 0, strlen (s));
  g_free (s);
}

/* ---- revoke ---- */

static void
revoke_done (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GTask) task = user_data;
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) bytes = rc_http_send_finish (RC_HTTP (source), result, &error);

  /* The guide says revoke errors can be ignored: the tokens are forgotten either way. */
  if (bytes == NULL && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    g_task_return_error (task, g_steal_pointer (&error));
  else {
    if (bytes == NULL)
      g_debug ("revoke failed (ignored): %s", error->message);
    g_task_return_boolean (task, TRUE);
  }
}

void
rc_client_revoke_async (RcClient *self, GCancellable *cancellable, GAsyncReadyCallback callback,
                        gpointer user_data)
{
  GTask *task;
  const RcTokens *tokens;
  g_autofree char *token = NULL;
  g_autofree char *basic = NULL;
  g_autofree char *form = NULL;
  g_autoptr (GBytes) body = NULL;
  RcHttpRequest req = { 0 };

  g_return_if_fail (RC_IS_CLIENT (self));
  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, rc_client_revoke_async);

  tokens = rc_client_get_tokens (self);
  token = g_strdup (tokens->refresh_token ? tokens->refresh_token : tokens->access_token);
  if (token == NULL || rc_client_get_http (self) == NULL) {
    g_task_return_boolean (task, TRUE);
    g_object_unref (task);
    return;
  }
  basic = rc_auth_basic_header (rc_client_get_client_id (self), rc_client_get_client_secret (self));
  form = rc_auth_revoke_form (token, rc_client_get_client_id (self),
                              rc_client_get_client_secret (self));
  body = g_bytes_new_with_free_func (form, strlen (form), (GDestroyNotify)free_secret, form);
  form = NULL;

  /* Forget the tokens at once: whatever the server says, this session is over for us. */
  rc_client_set_tokens (self, NULL);
  g_signal_emit_by_name (self, "tokens-changed");

  req.method = "POST";
  req.path = RC_AUTH_REVOKE_PATH;
  req.content_type = RC_AUTH_FORM_TYPE;
  req.body = body;
  req.authorization = basic;
  req.token_endpoint = TRUE;
  rc_http_send_async (rc_client_get_http (self), &req, cancellable, revoke_done, task);
  if (basic != NULL)
    memset (basic, 0, strlen (basic));
  if (token != NULL)
    memset (token, 0, strlen (token));
}

gboolean
rc_client_revoke_finish (RcClient *self, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}
