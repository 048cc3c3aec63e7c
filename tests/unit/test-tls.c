/* test-tls.c: server certificates are always verified. An https server on 127.0.0.1 with a
 * self-signed certificate (made here with openssl) is refused: no request reaches it, and the
 * error is RC_ERROR_NETWORK saying the certificate could not be verified, for a request and for
 * the WebSocket alike. */
#include <glib/gstdio.h>
#include <string.h>

#include "rc-client.h"
#include "rc-test-util.h"

typedef struct {
  char *dir;
  SoupServer *server;
  char *base_url; /* https://127.0.0.1:PORT */
  guint requests; /* requests that reached the handler (must stay 0) */
} Tls;

static void
count_request (SoupServer *server, SoupServerMessage *msg, const char *path, GHashTable *query,
               gpointer user_data)
{
  ((Tls *)user_data)->requests++;
  rc_test_respond (msg, 200, "{}");
}

/* FALSE (and the test skipped) without openssl. */
static gboolean
tls_start (Tls *tls)
{
  g_autofree char *openssl = g_find_program_in_path ("openssl");
  g_autofree char *cert = NULL;
  g_autofree char *key = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (GTlsCertificate) certificate = NULL;
  g_autoslist (GUri) uris = NULL;
  int status = 0;

  if (openssl == NULL) {
    g_test_skip ("openssl is not installed (scripts/install-deps installs it)");
    return FALSE;
  }
  tls->dir = g_dir_make_tmp ("rc-tls-XXXXXX", &error);
  g_assert_no_error (error);
  cert = g_build_filename (tls->dir, "cert.pem", NULL);
  key = g_build_filename (tls->dir, "key.pem", NULL);
  {
    const char *argv[] = { openssl,    "req",
                           "-x509",    "-newkey",
                           "rsa:2048", "-nodes",
                           "-days",    "1",
                           "-subj",    "/CN=127.0.0.1",
                           "-addext",  "subjectAltName=IP:127.0.0.1",
                           "-keyout",  key,
                           "-out",     cert,
                           NULL };

    g_spawn_sync (NULL, (char **)argv, NULL,
                  G_SPAWN_STDOUT_TO_DEV_NULL | G_SPAWN_STDERR_TO_DEV_NULL, NULL, NULL, NULL, NULL,
                  &status, &error);
    g_assert_no_error (error);
    g_assert_true (g_spawn_check_wait_status (status, NULL));
  }
  certificate = g_tls_certificate_new_from_files (cert, key, &error);
  g_assert_no_error (error);
  tls->server = soup_server_new ("tls-certificate", certificate, NULL);
  soup_server_add_handler (tls->server, NULL, count_request, tls, NULL);
  soup_server_listen_local (tls->server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY | SOUP_SERVER_LISTEN_HTTPS,
                            &error);
  g_assert_no_error (error);
  uris = soup_server_get_uris (tls->server);
  tls->base_url = g_strdup_printf ("https://127.0.0.1:%d", g_uri_get_port (uris->data));
  g_remove (cert);
  g_remove (key);
  return TRUE;
}

static void
tls_stop (Tls *tls)
{
  if (tls->server != NULL)
    soup_server_disconnect (tls->server);
  g_clear_object (&tls->server);
  if (tls->dir != NULL)
    g_rmdir (tls->dir);
  g_free (tls->dir);
  g_free (tls->base_url);
}

static void
assert_certificate_error (const GError *error)
{
  g_assert_nonnull (error);
  g_test_message ("%s", error->message);
  g_assert_error (error, RC_ERROR, RC_ERROR_NETWORK);
  g_assert_nonnull (strstr (error->message, "certificate could not be verified"));
}

static void
test_self_signed_refused (void)
{
  Tls tls = { 0 };
  g_autoptr (RcClient) client = NULL;
  g_autoptr (GAsyncResult) result = NULL;
  g_autoptr (GError) error = NULL;

  if (!tls_start (&tls))
    return;
  client = rc_client_new (tls.base_url, "test-client", "secret", &error);
  g_assert_no_error (error);
  rc_client_set_jwt (client, "a-jwt");
  rc_client_sign_in_async (client, NULL, rc_test_got_result, &result);
  g_assert_false (rc_client_sign_in_finish (client, rc_test_wait_result (&result), &error));
  assert_certificate_error (error);
  g_assert_cmpuint (tls.requests, ==, 0);
  tls_stop (&tls);
}

static void
test_self_signed_websocket_refused (void)
{
  Tls tls = { 0 };
  g_autoptr (RcClient) client = NULL;
  g_autoptr (GAsyncResult) result = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (SoupWebsocketConnection) conn = NULL;
  g_autofree char *url = NULL;

  if (!tls_start (&tls))
    return;
  client = rc_test_client_new (tls.base_url);
  url = g_strdup_printf ("wss%s/ws?access_token=x", tls.base_url + strlen ("https"));
  rc_client_websocket_connect_async (client, url, NULL, rc_test_got_result, &result);
  conn = rc_client_websocket_connect_finish (client, rc_test_wait_result (&result), &error);
  g_assert_null (conn);
  assert_certificate_error (error);
  g_assert_cmpuint (tls.requests, ==, 0);
  tls_stop (&tls);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/tls/self-signed-refused", test_self_signed_refused);
  g_test_add_func ("/tls/self-signed-websocket-refused", test_self_signed_websocket_refused);
  return g_test_run ();
}
