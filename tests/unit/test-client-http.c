/* test-client-http.c: RcClient transport against the fake server of rc-test-fake.c: 429 holds,
 * 5xx, malformed JSON, refused connections, URL and origin checks, cancelling, and (in the
 * fixture's teardown) that no debug line ever carries a secret. */
#include <gio/gio.h>
#include <string.h>

#include "rc-client.h"
#include "rc-test-fake.h"

typedef struct {
  RcTestFake *f;
  RcClient *client;
  RcTestCall second;
} LateRequest;

static gboolean
send_late_request (gpointer user_data)
{
  LateRequest *late = user_data;

  rc_client_request_async (late->client, "GET", "/restapi/v1.0/late", NULL, NULL,
                           rc_test_fake_request_cb, &late->second);
  return G_SOURCE_REMOVE;
}

static void
test_429_holds (RcTestFake *f, gconstpointer data)
{
  g_autoptr (RcClient) client = rc_test_fake_signed_in_client (f);
  g_autoptr (GError) error = NULL;
  RcTestCall first = { 0 };
  LateRequest late = { f, client, { 0 } };
  gint64 t429;

  rc_test_fake_can (f, 429, "{\"errorCode\":\"CMN-301\"}", "1");
  rc_client_request_async (client, "GET", "/restapi/v1.0/x", NULL, NULL, rc_test_fake_request_cb,
                           &first);
  g_timeout_add (300, send_late_request, &late);
  rc_test_wait_for (&first.done);
  rc_test_wait_for (&late.second.done);
  g_assert_no_error (first.error);
  g_assert_no_error (late.second.error);
  g_assert_nonnull (first.node);

  t429 = rc_test_fake_nth (f, "/restapi/v1.0/x", 0)->time_us;
  g_assert_cmpuint (rc_test_fake_count (f, "/restapi/v1.0/x"), ==, 2);
  g_assert_cmpuint (rc_test_fake_count (f, "/restapi/v1.0/late"), ==, 1);
  /* Nothing at all reached the server during the penalty second. */
  for (guint i = 0; i < f->requests->len; i++) {
    RcTestReq *r = f->requests->pdata[i];

    if (r->time_us > t429)
      g_assert_cmpint (r->time_us - t429, >=, 900 * 1000);
  }
  rc_test_call_clear (&first);
  rc_test_call_clear (&late.second);
}

static void
test_429_gives_up (RcTestFake *f, gconstpointer data)
{
  g_autoptr (RcClient) client = rc_test_fake_signed_in_client (f);
  g_autoptr (GError) error = NULL;

  for (int i = 0; i < 3; i++)
    rc_test_fake_can (f, 429, "{\"errorCode\":\"CMN-301\"}", "0");
  g_assert_null (rc_test_fake_request (client, "GET", "/restapi/v1.0/x", NULL, &error));
  g_assert_error (error, RC_ERROR, RC_ERROR_RATE_LIMITED);
  g_assert_cmpuint (rc_test_fake_count (f, "/restapi/v1.0/x"), ==, 3);
}

static void
test_5xx (RcTestFake *f, gconstpointer data)
{
  g_autoptr (RcClient) client = rc_test_fake_signed_in_client (f);
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonNode) answer = NULL;

  rc_test_fake_can (f, 500, "{\"errorCode\":\"CMN-201\"}", NULL);
  g_assert_null (rc_test_fake_request (client, "GET", "/restapi/v1.0/x", NULL, &error));
  g_assert_error (error, RC_ERROR, RC_ERROR_NETWORK);
  g_assert_cmpuint (rc_test_fake_count (f, "/restapi/v1.0/x"), ==, 1);

  /* 503 with Retry-After is resent once. */
  g_clear_error (&error);
  rc_test_fake_can (f, 503, NULL, "0");
  answer = rc_test_fake_request (client, "GET", "/restapi/v1.0/y", NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (rc_test_fake_count (f, "/restapi/v1.0/y"), ==, 2);
}

static void
test_network_error (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (RcClient) client = NULL;
  g_autoptr (GSocket) sock = NULL;
  g_autoptr (GInetAddress) lo = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr (GSocketAddress) addr = g_inet_socket_address_new (lo, 0);
  g_autoptr (GSocketAddress) bound = NULL;
  g_autofree char *url = NULL;

  /* A port that is bound but not listening: connection refused. */
  sock = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, &error);
  g_assert_no_error (error);
  g_assert_true (g_socket_bind (sock, addr, TRUE, &error));
  bound = g_socket_get_local_address (sock, &error);
  url = g_strdup_printf ("http://127.0.0.1:%u",
                         g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound)));
  client = rc_client_new (url, RC_TEST_CLIENT_ID, RC_TEST_CLIENT_SECRET, &error);
  g_assert_no_error (error);
  rc_client_set_jwt (client, RC_TEST_JWT);
  g_assert_false (rc_test_fake_sign_in (client, &error));
  g_assert_error (error, RC_ERROR, RC_ERROR_NETWORK);
}

static void
test_bad_json (RcTestFake *f, gconstpointer data)
{
  g_autoptr (RcClient) client = rc_test_fake_signed_in_client (f);
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonNode) empty = NULL;

  rc_test_fake_can (f, 200, "{\"records\":[1,2", NULL);
  g_assert_null (rc_test_fake_request (client, "GET", "/restapi/v1.0/x", NULL, &error));
  g_assert_error (error, RC_ERROR, RC_ERROR_BAD_RESPONSE);

  g_clear_error (&error);
  rc_test_fake_can (f, 200, NULL, NULL);
  empty = rc_test_fake_request (client, "PUT", "/restapi/v1.0/x", NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (empty);
  g_assert_true (JSON_NODE_HOLDS_NULL (empty));
}

static void
test_url_validation (void)
{
  static const char *ok[] = { "http://127.0.0.1:1234", "https://platform.ringcentral.com",
                              "http://localhost",      "http://127.5.5.5",
                              "http://[::1]:80",       "https://platform.ringcentral.com/" };
  static const char *bad[] = { "http://example.com", "http://192.168.1.1", "gopher://x", "",
                               "platform.ringcentral.com" };
  g_autoptr (GError) error = NULL;
  g_autoptr (RcClient) client = NULL;

  for (gsize i = 0; i < G_N_ELEMENTS (ok); i++) {
    g_autoptr (RcClient) c = rc_client_new (ok[i], RC_TEST_CLIENT_ID, NULL, &error);

    g_test_message ("accepts %s", ok[i]);
    g_assert_no_error (error);
    g_assert_nonnull (c);
  }
  for (gsize i = 0; i < G_N_ELEMENTS (bad); i++) {
    g_autoptr (RcClient) c = rc_client_new (bad[i], RC_TEST_CLIENT_ID, NULL, &error);

    g_test_message ("refuses %s", bad[i]);
    g_assert_null (c);
    g_assert_error (error, RC_ERROR, RC_ERROR_INVALID_SETTINGS);
    g_assert_cmpuint (strlen (error->message), >, 10);
    g_clear_error (&error);
  }
  g_assert_null (rc_client_new ("https://platform.ringcentral.com", "", NULL, &error));
  g_assert_error (error, RC_ERROR, RC_ERROR_INVALID_SETTINGS);
  g_clear_error (&error);

  client = rc_client_new ("https://platform.ringcentral.com/", RC_TEST_CLIENT_ID, NULL, &error);
  g_assert_cmpstr (rc_client_get_server_url (client), ==, "https://platform.ringcentral.com");
  g_assert_true (rc_client_is_same_origin (client, "https://platform.ringcentral.com/restapi/x"));
  g_assert_true (rc_client_is_same_origin (client, "https://PLATFORM.ringcentral.com:443/x"));
  g_assert_false (rc_client_is_same_origin (client, "https://media.ringcentral.com/x"));
  g_assert_false (rc_client_is_same_origin (client, "http://platform.ringcentral.com/x"));
  g_assert_false (rc_client_is_same_origin (client, "https://platform.ringcentral.com.evil/x"));
}

static void
test_other_origin_refused (RcTestFake *f, gconstpointer data)
{
  g_autoptr (RcClient) client = rc_test_fake_client (f, NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonNode) same = NULL;
  g_autofree char *other
      = g_strdup_printf ("http://127.0.0.2:%s/restapi/v1.0/x", strrchr (f->srv.base_url, ':') + 1);
  g_autofree char *same_url = g_strconcat (f->srv.base_url, "/restapi/v1.0/abs?page=2", NULL);

  g_assert_null (rc_test_fake_request (client, "GET", other, NULL, &error));
  g_assert_error (error, RC_ERROR, RC_ERROR_INVALID_INPUT);
  g_clear_error (&error);
  g_assert_null (
      rc_test_fake_request (client, "GET", "https://evil.example/restapi", NULL, &error));
  g_assert_error (error, RC_ERROR, RC_ERROR_INVALID_INPUT);
  g_clear_error (&error);
  g_assert_null (rc_test_fake_request (client, "GET", "restapi/v1.0/x", NULL, &error));
  g_assert_error (error, RC_ERROR, RC_ERROR_INVALID_INPUT);
  g_clear_error (&error);
  g_assert_cmpuint (f->requests->len, ==, 0); /* nothing sent, not even a grant */

  same = rc_test_fake_request (client, "GET", same_url, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (rc_test_fake_count (f, "/restapi/v1.0/abs"), ==, 1);
  g_assert_cmpstr (rc_test_fake_nth (f, "/restapi/v1.0/abs", 0)->query, ==, "page=2");
}

static void
test_cancel (RcTestFake *f, gconstpointer data)
{
  g_autoptr (RcClient) client = rc_test_fake_client (f, NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (GCancellable) cancellable = g_cancellable_new ();
  RcTestCall r = { 0 };
  gint64 start;

  /* Cancelled while waiting for the grant. */
  rc_client_request_async (client, "GET", "/restapi/v1.0/x", NULL, cancellable,
                           rc_test_fake_request_cb, &r);
  g_cancellable_cancel (cancellable);
  rc_test_wait_for (&r.done);
  g_assert_error (r.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  rc_test_call_clear (&r);

  /* Cancelled during a 429 hold: returns at once, not after the penalty. */
  g_assert_true (rc_test_fake_sign_in (client, &error));
  rc_test_fake_can (f, 429, NULL, "30");
  g_cancellable_reset (cancellable);
  rc_client_request_async (client, "GET", "/restapi/v1.0/x", NULL, cancellable,
                           rc_test_fake_request_cb, &r);
  while (rc_test_fake_count (f, "/restapi/v1.0/x") == 0)
    g_main_context_iteration (NULL, TRUE);
  for (int i = 0; i < 20; i++)
    g_main_context_iteration (NULL, FALSE);
  start = g_get_monotonic_time ();
  g_cancellable_cancel (cancellable);
  rc_test_wait_for (&r.done);
  g_assert_error (r.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpint (g_get_monotonic_time () - start, <, 2 * G_USEC_PER_SEC);
  rc_test_call_clear (&r);
}

static void
test_unref_pending (RcTestFake *f, gconstpointer data)
{
  RcClient *client = rc_test_fake_client (f, NULL);
  gboolean gone = FALSE;
  RcTestCall r = { 0 };

  /* The caller drops its reference while a request runs: the request still completes (the task
   * keeps the client alive), then the client goes away. */
  g_object_weak_ref (G_OBJECT (client), rc_test_fake_weak_notify, &gone);
  rc_client_request_async (client, "GET", "/restapi/v1.0/x", NULL, NULL, rc_test_fake_request_cb,
                           &r);
  g_object_unref (client);
  g_assert_false (gone);
  rc_test_wait_for (&r.done);
  g_assert_no_error (r.error);
  for (int i = 0; i < 100 && !gone; i++)
    g_main_context_iteration (NULL, FALSE);
  g_assert_true (gone);
  rc_test_call_clear (&r);
}

int
main (int argc, char **argv)
{
  rc_test_fake_init (&argc, &argv);
#define ADD RC_TEST_FAKE_ADD
  ADD ("429-holds", test_429_holds);
  ADD ("429-gives-up", test_429_gives_up);
  ADD ("5xx", test_5xx);
  ADD ("bad-json", test_bad_json);
  ADD ("other-origin-refused", test_other_origin_refused);
  ADD ("cancel", test_cancel);
  ADD ("unref-pending", test_unref_pending);
#undef ADD
  g_test_add_func ("/client/network-error", test_network_error);
  g_test_add_func ("/client/url-validation", test_url_validation);
  return g_test_run ();
}
