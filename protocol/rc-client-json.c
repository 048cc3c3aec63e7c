/* rc-client-json.c: the JSON calls of rc-client.h (rc_client_request_async() and its typed form),
 * a thin layer over the bytes call: the body serialised, the answer through the one bounded
 * parser (rc-json.h); moved out of rc-client.c. */
#include "rc-client.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "rc-client-private.h"
#include "rc-json.h"

/* The JSON of a 2xx answer through the one bounded parser (rc-json.h: size, depth, UTF-8). */
static JsonNode *
parse_answer (GBytes *bytes, GError **error)
{
  gsize len = 0;
  const char *data = g_bytes_get_data (bytes, &len);
  gboolean blank = TRUE;

  for (gsize i = 0; i < len && blank; i++)
    blank = g_ascii_isspace (data[i]);
  if (blank)
    return json_node_new (JSON_NODE_NULL);
  return rc_json_parse (data, len, _ ("an answer"), error);
}

/* ---- JSON requests ---- */

static void
json_request_done (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GTask) task = user_data;
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) bytes = rc_client_request_bytes_finish (RC_CLIENT (source), result, &error);
  JsonNode *node;

  if (bytes == NULL) {
    g_task_return_error (task, g_steal_pointer (&error));
    return;
  }
  node = parse_answer (bytes, &error);
  if (node == NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_pointer (task, node, (GDestroyNotify)json_node_unref);
}

void
rc_client_request_typed_async (RcClient *self, const char *method, const char *path, JsonNode *body,
                               const char *content_type, const char *accept,
                               GCancellable *cancellable, GAsyncReadyCallback callback,
                               gpointer user_data)
{
  GTask *task;
  g_autoptr (GBytes) bytes = NULL;

  g_return_if_fail (RC_IS_CLIENT (self));
  g_return_if_fail (method != NULL);
  g_return_if_fail (path != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, rc_client_request_async);
  if (body != NULL) {
    char *json = json_to_string (body, FALSE);

    bytes = g_bytes_new_take (json, strlen (json));
  }
  {
    RcClientCall call = { 0 };

    call.method = method;
    call.path = path;
    call.content_type = content_type != NULL ? content_type : "application/json; charset=utf-8";
    call.accept = accept;
    call.body = bytes;
    rc_client_request_full_async (self, &call, cancellable, json_request_done, task);
  }
}

void
rc_client_request_async (RcClient *self, const char *method, const char *path, JsonNode *body,
                         GCancellable *cancellable, GAsyncReadyCallback callback,
                         gpointer user_data)
{
  rc_client_request_typed_async (self, method, path, body, NULL, NULL, cancellable, callback,
                                 user_data);
}

JsonNode *
rc_client_request_finish (RcClient *self, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}
