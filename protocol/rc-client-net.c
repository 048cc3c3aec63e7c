/* rc-client-net.c: the client's network settings (proxy) and what it opens besides requests: the
 * WebSocket (fact sheet §5) and the server's clock (§4 "Server time"). */
#include "rc-client.h"

#include <glib/gi18n-lib.h>

#include "rc-client-private.h"
#include "rc-http.h"

/* ---- proxy ---- */

gboolean
rc_client_set_proxy (RcClient *self, const char *proxy_uri, GError **error)
{
  g_return_val_if_fail (RC_IS_CLIENT (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);
  if (rc_client_get_http (self) == NULL) {
    g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_CANCELLED,
                         _ ("The RingCentral client was closed."));
    return FALSE;
  }
  return rc_http_set_proxy (rc_client_get_http (self), proxy_uri, error);
}

/* ---- WebSocket and server time ---- */

static void
websocket_done (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GTask) task = user_data;
  GError *error = NULL;
  SoupWebsocketConnection *conn
      = rc_http_websocket_connect_finish (RC_HTTP (source), result, &error);

  if (conn == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, conn, g_object_unref);
}

void
rc_client_websocket_connect_async (RcClient *self, const char *url, GCancellable *cancellable,
                                   GAsyncReadyCallback callback, gpointer user_data)
{
  GTask *task;

  g_return_if_fail (RC_IS_CLIENT (self));
  g_return_if_fail (url != NULL);
  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, rc_client_websocket_connect_async);
  if (rc_client_get_http (self) == NULL) {
    g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CANCELLED,
                             _ ("The RingCentral client was closed."));
    g_object_unref (task);
    return;
  }
  rc_http_websocket_connect_async (rc_client_get_http (self), url, cancellable, websocket_done,
                                   task);
}

SoupWebsocketConnection *
rc_client_websocket_connect_finish (RcClient *self, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

gint64
rc_client_server_now (RcClient *self)
{
  g_return_val_if_fail (RC_IS_CLIENT (self), 0);
  if (rc_client_get_http (self) == NULL)
    return g_get_real_time () / G_USEC_PER_SEC;
  return rc_http_server_now (rc_client_get_http (self));
}

gboolean
rc_client_knows_server_time (RcClient *self)
{
  g_return_val_if_fail (RC_IS_CLIENT (self), FALSE);
  return rc_client_get_http (self) != NULL && rc_http_knows_server_time (rc_client_get_http (self));
}
