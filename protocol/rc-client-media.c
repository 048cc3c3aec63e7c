/* rc-client-media.c: where the bearer token may go (the media host of a server) and bounded
 * downloads of attachment content (ringcentral-api.md §1 "Servers", §4 "Attachments"). */
#include "rc-client.h"

#include <glib/gi18n-lib.h>

#include "rc-client-private.h"
#include "rc-http.h"

/* API server host → media host. Only what the fact sheet documents (§1 "Servers"). */
static const struct {
  const char *api_host;
  const char *media_origin;
} media_hosts[] = {
  { "platform.ringcentral.com", "https://media.ringcentral.com" },
};

char *
rc_client_get_media_origin (RcClient *self)
{
  g_autoptr (GUri) uri = NULL;
  const char *server;

  g_return_val_if_fail (RC_IS_CLIENT (self), NULL);
  server = rc_client_get_server_url (self);
  uri = server ? g_uri_parse (server, G_URI_FLAGS_NONE, NULL) : NULL;
  if (uri == NULL || g_ascii_strcasecmp (g_uri_get_scheme (uri), "https") != 0
      || (g_uri_get_port (uri) != -1 && g_uri_get_port (uri) != 443))
    return NULL;
  for (gsize i = 0; i < G_N_ELEMENTS (media_hosts); i++)
    if (g_ascii_strcasecmp (g_uri_get_host (uri), media_hosts[i].api_host) == 0)
      return g_strdup (media_hosts[i].media_origin);
  return NULL;
}

gboolean
rc_client_token_allowed (RcClient *self, const char *url, gboolean media)
{
  g_autofree char *media_origin = NULL;

  g_return_val_if_fail (RC_IS_CLIENT (self), FALSE);
  if (url == NULL)
    return FALSE;
  if (rc_client_is_same_origin (self, url))
    return TRUE;
  if (!media)
    return FALSE;
  media_origin = rc_client_get_media_origin (self);
  return media_origin != NULL && rc_http_same_origin (media_origin, url);
}

void
rc_client_get_media_async (RcClient *self, const char *url, gsize max_bytes,
                           GCancellable *cancellable, GAsyncReadyCallback callback,
                           gpointer user_data)
{
  RcClientCall call = { "GET", url, NULL, "*/*", NULL, max_bytes, TRUE };

  g_return_if_fail (RC_IS_CLIENT (self));
  g_return_if_fail (url != NULL);
  if (!rc_client_token_allowed (self, url, TRUE)) {
    g_autoptr (GUri) uri = g_uri_parse (url, G_URI_FLAGS_NONE, NULL);
    const char *host = uri && g_uri_get_host (uri) ? g_uri_get_host (uri) : "";

    g_debug ("attachment on %s refused: not the server's own or media origin", host);
    g_task_report_new_error (self, callback, user_data, rc_client_get_media_async, RC_ERROR,
                             RC_ERROR_NOT_PERMITTED,
                             _ ("The file at %s is on another server; not downloaded."), host);
    return;
  }
  rc_client_request_full_async (self, &call, cancellable, callback, user_data);
}

GBytes *
rc_client_get_media_finish (RcClient *self, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}
