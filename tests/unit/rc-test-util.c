/* rc-test-util.c: helpers shared by the unit test programs (see rc-test-util.h). */
#include "rc-test-util.h"

#include <string.h>

JsonNode *
rc_test_parse_json (const char *text)
{
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_autoptr (GError) error = NULL;

  json_parser_load_from_data (parser, text, -1, &error);
  g_assert_no_error (error);
  return json_node_copy (json_parser_get_root (parser));
}

char *
rc_test_fixture_text (const char *name)
{
  const char *dir = g_getenv ("RC_FIXTURES_DIR");
  g_autofree char *path = g_build_filename (dir ? dir : RC_FIXTURES_DIR, name, NULL);
  g_autoptr (GError) error = NULL;
  char *text = NULL;

  g_file_get_contents (path, &text, NULL, &error);
  g_assert_no_error (error);
  return text;
}

JsonNode *
rc_test_load_fixture (const char *name)
{
  g_autofree char *text = rc_test_fixture_text (name);

  return rc_test_parse_json (text);
}

void
rc_test_respond (SoupServerMessage *msg, guint status, const char *json)
{
  soup_server_message_set_status (msg, status, NULL);
  if (json != NULL)
    soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_COPY, json,
                                      strlen (json));
}

static void
copy_header (const char *name, const char *value, gpointer user_data)
{
  soup_message_headers_replace (user_data, name, value);
}

static void
server_handler (SoupServer *server, SoupServerMessage *msg, const char *path, GHashTable *query,
                gpointer user_data)
{
  RcTestServer *srv = user_data;
  g_autoptr (GBytes) body = soup_message_body_flatten (soup_server_message_get_request_body (msg));

  srv->requests++;
  g_free (srv->last_method);
  srv->last_method = g_strdup (soup_server_message_get_method (msg));
  g_free (srv->last_path);
  srv->last_path = g_strdup (path);
  g_free (srv->last_query);
  srv->last_query = g_strdup (g_uri_get_query (soup_server_message_get_uri (msg)));
  g_free (srv->last_body);
  srv->last_body = g_strndup (g_bytes_get_data (body, NULL), g_bytes_get_size (body));

  if (srv->handler != NULL) {
    srv->handler (msg, path, srv->last_body, srv->handler_data);
    return;
  }
  soup_message_headers_foreach (srv->headers, copy_header,
                                soup_server_message_get_response_headers (msg));
  rc_test_respond (msg, srv->status, srv->body ? srv->body : "");
}

void
rc_test_server_start (RcTestServer *srv, RcTestHandler handler, gpointer user_data)
{
  g_autoptr (GError) error = NULL;
  GSList *uris;

  memset (srv, 0, sizeof *srv);
  srv->status = 200;
  srv->headers = soup_message_headers_new (SOUP_MESSAGE_HEADERS_RESPONSE);
  srv->handler = handler;
  srv->handler_data = user_data;
  srv->server = soup_server_new (NULL, NULL);
  soup_server_add_handler (srv->server, NULL, server_handler, srv, NULL);
  g_assert_true (soup_server_listen_local (srv->server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error));
  g_assert_no_error (error);
  uris = soup_server_get_uris (srv->server);
  g_assert_nonnull (uris);
  srv->base_url = g_strdup_printf ("http://127.0.0.1:%d", g_uri_get_port (uris->data));
  g_slist_free_full (uris, (GDestroyNotify)g_uri_unref);
}

void
rc_test_server_stop (RcTestServer *srv)
{
  /* Let libsoup finish closing connections before the server goes. */
  while (g_main_context_iteration (NULL, FALSE))
    ;
  soup_server_disconnect (srv->server);
  g_clear_object (&srv->server);
  g_clear_pointer (&srv->headers, soup_message_headers_unref);
  g_clear_pointer (&srv->base_url, g_free);
  g_clear_pointer (&srv->last_method, g_free);
  g_clear_pointer (&srv->last_path, g_free);
  g_clear_pointer (&srv->last_query, g_free);
  g_clear_pointer (&srv->last_body, g_free);
  g_clear_pointer (&srv->body, g_free);
}

void
rc_test_server_set_up (RcTestServer *srv, gconstpointer data)
{
  rc_test_server_start (srv, NULL, NULL);
}

void
rc_test_server_tear_down (RcTestServer *srv, gconstpointer data)
{
  rc_test_server_stop (srv);
}

void
rc_test_server_script (RcTestServer *srv, guint status, const char *body)
{
  srv->status = status;
  g_free (srv->body);
  srv->body = g_strdup (body);
}

void
rc_test_server_script_header (RcTestServer *srv, const char *name, const char *value)
{
  soup_message_headers_replace (srv->headers, name, value);
}

RcClient *
rc_test_client_new (const char *base_url)
{
  g_autoptr (GError) error = NULL;
  RcClient *client = rc_client_new (base_url, "test-client", NULL, &error);
  RcTokens tokens = { 0 };

  g_assert_no_error (error);
  g_assert_nonnull (client);
  tokens.access_token = (char *)"test-access-token";
  tokens.access_expires_at = g_get_real_time () / G_USEC_PER_SEC + 3600;
  rc_client_set_tokens (client, &tokens);
  return client;
}

void
rc_test_got_result (GObject *source, GAsyncResult *result, gpointer user_data)
{
  *(GAsyncResult **)user_data = g_object_ref (result);
}

static gboolean
watchdog_fired (gpointer data)
{
  g_error ("test timed out waiting for an asynchronous result");
  return G_SOURCE_REMOVE;
}

guint
rc_test_watchdog_add (guint seconds)
{
  return g_timeout_add_seconds (seconds, watchdog_fired, NULL);
}

GAsyncResult *
rc_test_wait_result (GAsyncResult **slot)
{
  guint id = rc_test_watchdog_add (20);

  while (*slot == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_source_remove (id);
  return *slot;
}

void
rc_test_wait_for (gboolean *flag)
{
  guint id = rc_test_watchdog_add (20);

  while (!*flag)
    g_main_context_iteration (NULL, TRUE);
  g_source_remove (id);
}
