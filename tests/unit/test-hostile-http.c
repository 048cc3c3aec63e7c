/* test-hostile-http.c: RcHttp, RcClient and the number list against a hostile loopback server
 * (issue 10 "Hostile server data"): answers nested 10^5 deep (2xx and error bodies), answers over
 * the size cap (plain and a gzip bomb), redirects to another origin, an answer that drips a byte
 * at a time, Retry-After "-5" and 100000, CR/LF inside an access token, a 30 s token lifetime,
 * a number list with duplicates, a looping nextPage and paging.page = 2^63-1, and a server that
 * closes reused connections after reading a request (libsoup's own resend). */
#include <string.h>

#include "rc-client-private.h"
#include "rc-http.h"
#include "rc-json.h"
#include "rc-numbers.h"
#include "rc-test-fake.h"

#define NUMBERS_PATH "/restapi/v1.0/account/~/extension/~/phone-number"
#define SYNC_PATH    "/restapi/v1.0/account/~/extension/~/message-sync"

typedef enum { NUMBERS_LOOP, NUMBERS_HUGE_PAGE, NUMBERS_DEEP } NumbersMode;

typedef struct {
  RcTestServer srv;
  RcTestServer other; /* another origin: a redirect target that must never be reached */
  NumbersMode numbers;
  guint numbers_requests;
  gboolean drip_over; /* the dripping answer's message finished */
  guint drip_source;
  SoupServerMessage *drip_msg;
} Hostile;

static char *
nested (guint depth)
{
  GString *s = g_string_new (NULL);

  for (guint i = 0; i < depth; i++)
    g_string_append_c (s, '[');
  for (guint i = 0; i < depth; i++)
    g_string_append_c (s, ']');
  return g_string_free (s, FALSE);
}

/* {"a":"000…"} with @size zeros. */
static char *
big_json (gsize size)
{
  char *s = g_malloc (size + 9);

  memcpy (s, "{\"a\":\"", 6);
  memset (s + 6, '0', size);
  memcpy (s + 6 + size, "\"}", 3);
  return s;
}

/* @text gzip-compressed. */
static GBytes *
gzip (const char *text, gsize len)
{
  g_autoptr (GZlibCompressor) z = g_zlib_compressor_new (G_ZLIB_COMPRESSOR_FORMAT_GZIP, 9);
  g_autoptr (GByteArray) out = g_byte_array_new ();
  gsize in_done = 0;
  guint8 buf[65536];

  for (guint guard = 0; guard < 100000; guard++) {
    gsize read = 0, written = 0;
    GConverterResult r
        = g_converter_convert (G_CONVERTER (z), text + in_done, len - in_done, buf, sizeof buf,
                               G_CONVERTER_INPUT_AT_END, &read, &written, NULL);

    in_done += read;
    g_byte_array_append (out, buf, written);
    if (r == G_CONVERTER_FINISHED)
      break;
    g_assert_cmpint (r, !=, G_CONVERTER_ERROR);
  }
  return g_byte_array_free_to_bytes (g_steal_pointer (&out));
}

static void
number_record (GString *s, const char *e164, guint id)
{
  g_string_append_printf (s,
                          "{\"id\":%u,\"phoneNumber\":\"%s\",\"usageType\":\"DirectNumber\","
                          "\"features\":[\"SmsSender\"]},",
                          id, e164);
}

static void
answer_numbers (Hostile *h, SoupServerMessage *msg)
{
  g_autoptr (GString) s = g_string_new ("{\"records\":[");

  h->numbers_requests++;
  if (h->numbers == NUMBERS_DEEP) {
    g_autofree char *deep = nested (100000);

    rc_test_respond (msg, 200, deep);
    return;
  }
  /* Every page lists +16505550100 twice and one number of its own. */
  number_record (s, "+16505550100", 1);
  number_record (s, "+16505550100", 2);
  {
    g_autofree char *own = g_strdup_printf ("+1650555%04u", 1000 + h->numbers_requests);

    number_record (s, own, 100 + h->numbers_requests);
  }
  g_string_truncate (s, s->len - 1);
  if (h->numbers == NUMBERS_LOOP)
    /* nextPage names the first page in full, for ever. */
    g_string_append_printf (s,
                            "],\"paging\":{\"page\":1,\"totalPages\":5,\"perPage\":1000},"
                            "\"navigation\":{\"nextPage\":{\"uri\":\"%s" NUMBERS_PATH
                            "?perPage=1000\"}}}",
                            h->srv.base_url);
  else
    /* page 2^63-1 of 2^63-1, and a next page on another host: the client asks for page + 1. */
    g_string_append (s, "],\"paging\":{\"page\":9223372036854775807,"
                        "\"totalPages\":9223372036854775807,\"perPage\":1000},"
                        "\"navigation\":{\"nextPage\":{\"uri\":\"https://elsewhere.example/x\"}}}");
  rc_test_respond (msg, 200, s->str);
}

static void
drip_finished (SoupServerMessage *msg, gpointer user_data)
{
  ((Hostile *)user_data)->drip_over = TRUE;
}

static gboolean
drip_cb (gpointer user_data)
{
  Hostile *h = user_data;

  if (h->drip_over) {
    h->drip_source = 0;
    return G_SOURCE_REMOVE;
  }
  soup_message_body_append (soup_server_message_get_response_body (h->drip_msg), SOUP_MEMORY_STATIC,
                            "1,", 2);
  soup_server_message_unpause (h->drip_msg);
  return G_SOURCE_CONTINUE;
}

static void
hostile_handler (SoupServerMessage *msg, const char *path, const char *body, gpointer user_data)
{
  Hostile *h = user_data;
  SoupMessageHeaders *hdrs = soup_server_message_get_response_headers (msg);

  if (g_strcmp0 (path, "/deep") == 0 || g_strcmp0 (path, "/deep-error") == 0) {
    g_autofree char *deep = nested (100000);

    rc_test_respond (msg, path[5] == '\0' ? 200 : 400, deep);
  } else if (g_strcmp0 (path, "/big") == 0 || g_strcmp0 (path, SYNC_PATH) == 0) {
    g_autofree char *big = big_json (3 * 1024 * 1024);

    rc_test_respond (msg, 200, big);
  } else if (g_strcmp0 (path, "/gzip" SYNC_PATH) == 0) {
    /* Once decoded, over even a list's limit. */
    g_autofree char *big = big_json (RC_HTTP_MAX_LIST_ANSWER + 4 * 1024 * 1024);
    g_autoptr (GBytes) packed = gzip (big, strlen (big));

    soup_message_headers_replace (hdrs, "Content-Encoding", "gzip");
    soup_server_message_set_status (msg, 200, NULL);
    soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_COPY,
                                      g_bytes_get_data (packed, NULL), g_bytes_get_size (packed));
  } else if (g_str_has_prefix (path, "/redirect")) {
    g_autofree char *to = g_strdup_printf ("%s/stolen", h->other.base_url);

    soup_server_message_set_redirect (msg, path[9] == '1' ? 301 : path[9] == '7' ? 307 : 302, to);
  } else if (g_strcmp0 (path, "/drip") == 0) {
    soup_server_message_set_status (msg, 200, NULL);
    soup_message_headers_set_encoding (hdrs, SOUP_ENCODING_CHUNKED);
    soup_message_headers_set_content_type (hdrs, "application/json", NULL);
    soup_message_body_append (soup_server_message_get_response_body (msg), SOUP_MEMORY_STATIC, "[",
                              1);
    h->drip_msg = msg;
    g_signal_connect (msg, "finished", G_CALLBACK (drip_finished), h);
    soup_server_message_pause (msg);
    h->drip_source = g_timeout_add (100, drip_cb, h);
  } else if (g_str_has_prefix (path, "/429")) {
    soup_message_headers_replace (hdrs, "Retry-After", path + 5);
    rc_test_respond (msg, 429, "{\"errorCode\":\"CMN-301\"}");
  } else if (g_strcmp0 (path, NUMBERS_PATH) == 0)
    answer_numbers (h, msg);
  else if (g_strcmp0 (path, "/restapi/oauth/token") == 0)
    /* An access token carrying a header of its own. */
    rc_test_respond (msg, 200,
                     "{\"access_token\":\"ACCESS-TOKEN-1\\r\\nX-Injected: yes\","
                     "\"token_type\":\"bearer\",\"expires_in\":3600}");
  else
    rc_test_respond (msg, 200, "{\"ok\":true}");
}

static void
hostile_setup (Hostile *h, gconstpointer data)
{
  memset (h, 0, sizeof *h);
  rc_test_server_start (&h->srv, hostile_handler, h);
  rc_test_server_start (&h->other, NULL, NULL);
  rc_test_fake_log_clear ();
}

static void
hostile_teardown (Hostile *h, gconstpointer data)
{
  g_clear_handle_id (&h->drip_source, g_source_remove);
  /* The foreign origin never saw a request. */
  g_assert_cmpuint (h->other.requests, ==, 0);
  rc_test_server_stop (&h->other);
  rc_test_server_stop (&h->srv);
}

#define ADD(name, fn)                                                                              \
  g_test_add ("/hostile/" name, Hostile, NULL, hostile_setup, fn, hostile_teardown)

static GError *
get_error (RcClient *client, const char *path)
{
  GError *error = NULL;
  g_autoptr (JsonNode) node = rc_test_fake_request (client, "GET", path, NULL, &error);

  g_assert_true ((node == NULL) != (error == NULL));
  return error;
}

static void
test_deep (Hostile *h, gconstpointer data)
{
  g_autoptr (RcClient) client = rc_test_client_new (h->srv.base_url);
  g_autoptr (GError) error = get_error (client, "/deep");

  g_assert_error (error, RC_ERROR, RC_ERROR_BAD_RESPONSE);
  g_assert_nonnull (strstr (error->message, "nested too deeply"));
  g_clear_error (&error);
  /* An error body that deep is ignored: the status still makes an error, no parser recursed. */
  error = get_error (client, "/deep-error");
  g_assert_nonnull (error);
  g_assert_true (error->domain == RC_ERROR);
}

static void
test_size_caps (Hostile *h, gconstpointer data)
{
  g_autoptr (RcClient) client = rc_test_client_new (h->srv.base_url);
  g_autoptr (GError) error = get_error (client, "/big");
  g_autoptr (JsonNode) sync = NULL;

  g_assert_error (error, RC_ERROR, RC_ERROR_BAD_RESPONSE);
  g_assert_nonnull (strstr (error->message, "larger than 2.1 MB"));
  g_clear_error (&error);

  /* A list answer may be bigger. */
  sync = rc_test_fake_request (client, "GET", SYNC_PATH, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (sync);

  /* A little gzip that libsoup decodes to over the list limit: the read is bounded after
   * decoding. */
  error = get_error (client, "/gzip" SYNC_PATH);
  g_assert_error (error, RC_ERROR, RC_ERROR_BAD_RESPONSE);
  g_assert_nonnull (strstr (error->message, "larger than 67.1 MB"));

  g_assert_cmpuint (rc_http_answer_limit ("/restapi/v1.0/x"), ==, RC_HTTP_MAX_ANSWER);
  g_assert_cmpuint (rc_http_answer_limit (SYNC_PATH "?syncType=ISync"), ==,
                    RC_HTTP_MAX_LIST_ANSWER);
  g_assert_cmpuint (rc_http_answer_limit ("https://h.example" SYNC_PATH), ==,
                    RC_HTTP_MAX_LIST_ANSWER);
  g_assert_cmpuint (rc_http_answer_limit ("/restapi/v1.0/account/~/extension/~/message-syncx"), ==,
                    RC_HTTP_MAX_ANSWER);
}

static void
http_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  RcTestCall *call = user_data;
  g_autoptr (GBytes) bytes = rc_http_send_finish (RC_HTTP (source), result, &call->error);

  call->ok = bytes != NULL;
  call->done = TRUE;
}

static void
test_redirects (Hostile *h, gconstpointer data)
{
  static const char *paths[] = { "/redirect1", "/redirect2", "/redirect7" };
  g_autoptr (RcClient) client = rc_test_client_new (h->srv.base_url);
  g_autoptr (RcHttp) http = rc_http_new (h->srv.base_url);

  for (gsize i = 0; i < G_N_ELEMENTS (paths); i++) {
    g_autoptr (GError) error = get_error (client, paths[i]);
    RcHttpRequest req = { 0 };
    RcTestCall call = { 0 };

    g_assert_error (error, RC_ERROR, RC_ERROR_BAD_RESPONSE);
    g_assert_nonnull (strstr (error->message, "redirect"));
    /* Without a credential too (a public client's token request, a sync token in a query). */
    req.method = "GET";
    req.path = paths[i];
    rc_http_send_async (http, &req, NULL, http_cb, &call);
    rc_test_wait_for (&call.done);
    g_assert_false (call.ok);
    g_assert_error (call.error, RC_ERROR, RC_ERROR_BAD_RESPONSE);
    rc_test_call_clear (&call);
  }
  /* The teardown checks that the other origin saw nothing. */
}

static void
test_drip_deadline (Hostile *h, gconstpointer data)
{
  g_autoptr (RcClient) client = rc_test_client_new (h->srv.base_url);
  g_autoptr (GError) error = NULL;
  gint64 start = g_get_monotonic_time ();

  /* 60 s (120 s for lists) by default, plus a second per 32 KiB uploaded. */
  g_assert_cmpuint (rc_http_deadline ("/restapi/v1.0/x", 0), ==, RC_HTTP_DEADLINE_S);
  g_assert_cmpuint (rc_http_deadline (SYNC_PATH "?syncType=FSync", 0), ==, RC_HTTP_LIST_DEADLINE_S);
  g_assert_cmpuint (rc_http_deadline ("/restapi/v1.0/x", 1500000), ==, RC_HTTP_DEADLINE_S + 45);

  /* Each byte comes within libsoup's 30 s read timeout: only an overall deadline ends it. */
  rc_http_set_deadline (rc_client_get_http (client), 2);
  error = get_error (client, "/drip");
  g_assert_error (error, RC_ERROR, RC_ERROR_NETWORK);
  g_assert_nonnull (strstr (error->message, "within 2 seconds"));
  g_assert_cmpint (g_get_monotonic_time () - start, <, 10 * G_USEC_PER_SEC);
}

static void
on_rate_limited (RcClient *client, guint seconds, const char *tag, gpointer user_data)
{
  GCancellable *cancellable = user_data;

  g_object_set_data (G_OBJECT (client), "held", GUINT_TO_POINTER (seconds));
  g_cancellable_cancel (cancellable);
}

/* The hold a 429 with @retry_after imposes, as "rate-limited" announces it. */
static guint
hold_for (Hostile *h, const char *retry_after)
{
  g_autoptr (RcClient) client = rc_test_client_new (h->srv.base_url);
  g_autoptr (GCancellable) cancellable = g_cancellable_new ();
  g_autofree char *path = g_strdup_printf ("/429/%s", retry_after);
  RcTestCall call = { 0 };
  guint held;

  g_signal_connect (client, "rate-limited", G_CALLBACK (on_rate_limited), cancellable);
  rc_client_request_async (client, "GET", path, NULL, cancellable, rc_test_fake_request_cb, &call);
  rc_test_wait_for (&call.done);
  g_assert_error (call.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  rc_test_call_clear (&call);
  held = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (client), "held"));
  return held;
}

static void
test_retry_after (Hostile *h, gconstpointer data)
{
  /* Not a delay (RFC 9110: digits only): the default 30 s, not 2^64-5 seconds. */
  g_assert_cmpuint (hold_for (h, "-5"), ==, 30);
  g_assert_cmpuint (hold_for (h, "5s"), ==, 30);
  /* Huge: clamped, and a debug line says so. */
  g_assert_cmpuint (hold_for (h, "100000"), ==, RC_HTTP_MAX_HOLD_S);
  g_assert_true (rc_test_fake_log_contains ("clamped to 120 s"));
  g_assert_cmpuint (hold_for (h, "18446744073709551611"), ==, RC_HTTP_MAX_HOLD_S);
  g_assert_cmpuint (hold_for (h, "60"), ==, 60);
}

static void
test_token_crlf (Hostile *h, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (RcClient) client
      = rc_client_new (h->srv.base_url, RC_TEST_CLIENT_ID, RC_TEST_CLIENT_SECRET, &error);

  g_assert_no_error (error);
  rc_client_set_jwt (client, RC_TEST_JWT);
  /* Refused at the grant: had it been kept, the next request's header would carry CR/LF
   * (libsoup logs a critical, fatal here). */
  g_assert_false (rc_test_fake_sign_in (client, &error));
  g_assert_error (error, RC_ERROR, RC_ERROR_BAD_RESPONSE);
  g_assert_null (rc_client_get_tokens (client)->access_token);
  g_clear_error (&error);
  g_assert_null (rc_test_fake_request (client, "GET", "/restapi/v1.0/x", NULL, &error));
  g_assert_nonnull (error);
}

static void
test_short_token_lifetime (RcTestFake *f, gconstpointer data)
{
  g_autoptr (RcClient) client = NULL;

  /* expires_in 30 (under the 60 s margin) made a grant before every call. */
  f->expires_in = 30;
  client = rc_test_fake_signed_in_client (f);
  for (int i = 0; i < 10; i++) {
    g_autoptr (GError) error = NULL;
    g_autoptr (JsonNode) node
        = rc_test_fake_request (client, "GET", "/restapi/v1.0/x", NULL, &error);

    g_assert_no_error (error);
  }
  g_assert_cmpuint (rc_test_fake_count (f, "/restapi/oauth/token"), ==, 1);
  g_assert_cmpuint (rc_test_fake_count (f, "/restapi/v1.0/x"), ==, 10);
}

static GPtrArray *
fetch_senders (RcClient *client, GError **error)
{
  g_autoptr (GAsyncResult) result = NULL;

  rc_numbers_fetch_senders_async (client, NULL, rc_test_got_result, &result);
  rc_test_wait_result (&result);
  return rc_numbers_fetch_senders_finish (client, result, error);
}

static void
test_numbers_loop (Hostile *h, gconstpointer data)
{
  g_autoptr (RcClient) client = rc_test_client_new (h->srv.base_url);
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) senders = NULL;

  h->numbers = NUMBERS_LOOP;
  senders = fetch_senders (client, &error);
  g_assert_no_error (error);
  /* The first page, then its own address again: one request, each number once. */
  g_assert_cmpuint (h->numbers_requests, ==, 1);
  g_assert_cmpuint (senders->len, ==, 2);
  g_assert_cmpstr (((RcPhoneNumber *)senders->pdata[0])->e164, ==, "+16505550100");
}

static void
test_numbers_huge_page (Hostile *h, gconstpointer data)
{
  g_autoptr (RcClient) client = rc_test_client_new (h->srv.base_url);
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) senders = NULL;

  h->numbers = NUMBERS_HUGE_PAGE;
  senders = fetch_senders (client, &error);
  g_assert_no_error (error);
  /* page + 1 never overflows (UBSan halts this program); totalPages 2^63-1 stops at 100. */
  g_assert_cmpuint (h->numbers_requests, ==, 100);
  g_assert_cmpuint (senders->len, ==, 101);
  g_assert_cmpstr (h->srv.last_query, ==, "perPage=1000&page=100");
}

/* A 2xx body is not scanned by rc-http: a number page nested 10^5 deep is refused by its parser
 * (rc_json_parse() in the page's worker thread), like every 2xx body (test_deep). */
static void
test_numbers_deep_page (Hostile *h, gconstpointer data)
{
  g_autoptr (RcClient) client = rc_test_client_new (h->srv.base_url);
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) senders = NULL;

  h->numbers = NUMBERS_DEEP;
  senders = fetch_senders (client, &error);
  g_assert_null (senders);
  g_assert_error (error, RC_ERROR, RC_ERROR_BAD_RESPONSE);
  g_assert_nonnull (strstr (error->message, "nested too deeply"));
  g_assert_cmpuint (h->numbers_requests, ==, 1);
}

/* ---- a server that closes reused connections after reading a request ---- */

typedef struct {
  guint connections;
  guint served;
  guint closed;
} Closer;

typedef struct {
  Closer *closer;
  GSocketConnection *conn;
  GString *in;
  guint requests;
} CloserConn;

static void closer_read (CloserConn *c);

static void
closer_conn_free (CloserConn *c)
{
  g_io_stream_close (G_IO_STREAM (c->conn), NULL, NULL);
  g_object_unref (c->conn);
  g_string_free (c->in, TRUE);
  g_free (c);
}

static void
closer_read_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  CloserConn *c = user_data;
  g_autoptr (GBytes) bytes
      = g_input_stream_read_bytes_finish (G_INPUT_STREAM (source), result, NULL);
  static const char answer[] = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                               "Content-Length: 11\r\n\r\n{\"ok\":true}";
  char *end;

  if (bytes == NULL || g_bytes_get_size (bytes) == 0) {
    closer_conn_free (c);
    return;
  }
  g_string_append_len (c->in, g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
  while ((end = strstr (c->in->str, "\r\n\r\n")) != NULL) {
    g_string_erase (c->in, 0, end + 4 - c->in->str);
    if (++c->requests >= 2) {
      /* A reused connection: read the request, then close without a byte of answer. */
      c->closer->closed++;
      closer_conn_free (c);
      return;
    }
    g_output_stream_write_all (g_io_stream_get_output_stream (G_IO_STREAM (c->conn)), answer,
                               sizeof answer - 1, NULL, NULL, NULL);
    c->closer->served++;
  }
  closer_read (c);
}

static void
closer_read (CloserConn *c)
{
  g_input_stream_read_bytes_async (g_io_stream_get_input_stream (G_IO_STREAM (c->conn)), 4096,
                                   G_PRIORITY_DEFAULT, NULL, closer_read_cb, c);
}

static gboolean
closer_incoming (GSocketService *service, GSocketConnection *conn, GObject *source,
                 gpointer user_data)
{
  CloserConn *c = g_new0 (CloserConn, 1);

  c->closer = user_data;
  c->closer->connections++;
  c->conn = g_object_ref (conn);
  c->in = g_string_new (NULL);
  closer_read (c);
  return TRUE;
}

static void
test_reused_connection_closed (void)
{
  g_autoptr (GSocketService) service = g_socket_service_new ();
  Closer closer = { 0 };
  g_autofree char *base = NULL;
  g_autoptr (RcHttp) http = NULL;
  guint16 port;
  guint closed_before, served_before;
  RcTestCall calls[4] = { { 0 } };

  port = g_socket_listener_add_any_inet_port (G_SOCKET_LISTENER (service), NULL, NULL);
  g_assert_cmpuint (port, >, 0);
  g_signal_connect (service, "incoming", G_CALLBACK (closer_incoming), &closer);
  base = g_strdup_printf ("http://127.0.0.1:%u", port);
  http = rc_http_new (base);
  rc_test_fake_log_clear ();

  /* Four connections at once: each stays in libsoup's pool, used, idle. */
  for (guint i = 0; i < G_N_ELEMENTS (calls); i++) {
    RcHttpRequest req = { 0 };

    req.method = "GET";
    req.path = SYNC_PATH;
    rc_http_send_async (http, &req, NULL, http_cb, &calls[i]);
  }
  for (guint i = 0; i < G_N_ELEMENTS (calls); i++) {
    rc_test_wait_for (&calls[i].done);
    g_assert_no_error (calls[i].error);
    rc_test_call_clear (&calls[i]);
  }
  /* Then every request lands on a used connection the server closes after reading it: libsoup
   * resends the GET by itself, once, on a new connection (our workaround), and it is answered. */
  closed_before = closer.closed;
  served_before = closer.served;
  for (guint i = 0; i < 30; i++) {
    RcHttpRequest req = { 0 };
    RcTestCall call = { 0 };

    req.method = "GET";
    req.path = SYNC_PATH;
    rc_http_send_async (http, &req, NULL, http_cb, &call);
    rc_test_wait_for (&call.done);
    g_assert_no_error (call.error);
    g_assert_true (call.ok);
    rc_test_call_clear (&call);
  }
  g_assert_cmpuint (closer.served - served_before, ==, 30);
  /* One resend per request: never onto a second stale pooled connection. */
  g_assert_cmpuint (closer.closed - closed_before, ==, 30);
  g_assert_true (rc_test_fake_log_contains ("on a new connection"));
  g_socket_service_stop (service);
  g_socket_listener_close (G_SOCKET_LISTENER (service));
}

int
main (int argc, char **argv)
{
  rc_test_fake_init (&argc, &argv);
  ADD ("deep", test_deep);
  ADD ("size-caps", test_size_caps);
  ADD ("redirects", test_redirects);
  ADD ("drip-deadline", test_drip_deadline);
  ADD ("retry-after", test_retry_after);
  ADD ("token-crlf", test_token_crlf);
  RC_TEST_FAKE_ADD ("short-token-lifetime", test_short_token_lifetime);
  ADD ("numbers-loop", test_numbers_loop);
  ADD ("numbers-huge-page", test_numbers_huge_page);
  ADD ("numbers-deep-page", test_numbers_deep_page);
  g_test_add_func ("/hostile/reused-connection-closed", test_reused_connection_closed);
  return g_test_run ();
}
