/* itest-proxy.c: the loopback HTTP / SOCKS 5 test proxy (itest-proxy.h). */
#include "itest-proxy.h"

#include <string.h>

#define HEAD_MAX 16384

struct _ITestProxy {
  ITestProxyKind kind;
  guint16 target_port;
  guint16 port;
  GSocketService *service;
  GMutex lock;
  GCond idle;
  GPtrArray *open;  /* GSocketConnection* being relayed (both ends), closed by stop */
  guint threads;    /* handler and relay threads running */
  gboolean stopped; /* under lock */
  guint accepted, relayed, connects, absolute, websockets;
  char *credentials;
};

static void
track (ITestProxy *p, GSocketConnection *conn, gboolean add)
{
  g_mutex_lock (&p->lock);
  if (add)
    g_ptr_array_add (p->open, g_object_ref (conn));
  else
    g_ptr_array_remove (p->open, conn); /* its free function drops our reference */
  g_mutex_unlock (&p->lock);
}

static void
thread_leave (ITestProxy *p)
{
  g_mutex_lock (&p->lock);
  p->threads--;
  g_cond_broadcast (&p->idle);
  g_mutex_unlock (&p->lock);
}

static void
set_credentials (ITestProxy *p, const char *text)
{
  g_mutex_lock (&p->lock);
  g_free (p->credentials);
  p->credentials = g_strdup (text);
  g_mutex_unlock (&p->lock);
}

static gboolean
has_websocket_upgrade (const char *data, gsize len)
{
  g_autofree char *text = g_ascii_strdown (data, (gssize)len);

  return strstr (text, "upgrade: websocket") != NULL;
}

/* ---- relaying ---- */

typedef struct {
  ITestProxy *proxy;
  GSocketConnection *from, *to;
  gboolean sniff; /* client → target: count WebSocket handshakes */
} Pipe;

static gpointer
pipe_run (gpointer user_data)
{
  Pipe *pipe = user_data;
  GInputStream *in = g_io_stream_get_input_stream (G_IO_STREAM (pipe->from));
  GOutputStream *out = g_io_stream_get_output_stream (G_IO_STREAM (pipe->to));
  char buf[16384];

  for (;;) {
    gssize n = g_input_stream_read (in, buf, sizeof buf, NULL, NULL);

    if (n <= 0)
      break;
    if (pipe->sniff && has_websocket_upgrade (buf, (gsize)n))
      g_atomic_int_inc (&pipe->proxy->websockets);
    if (!g_output_stream_write_all (out, buf, (gsize)n, NULL, NULL, NULL))
      break;
  }
  /* Half-close so that the other side sees the end. */
  g_socket_shutdown (g_socket_connection_get_socket (pipe->to), FALSE, TRUE, NULL);
  return NULL;
}

/* Relays @client ⇄ @target until both ends are done; @first (may be empty) goes to @target
 * first. */
static void
relay (ITestProxy *p, GSocketConnection *client, GSocketConnection *target, const char *first,
       gsize first_len)
{
  Pipe up = { p, client, target, TRUE };
  Pipe down = { p, target, client, FALSE };
  GThread *thread;

  g_atomic_int_inc (&p->relayed);
  if (first_len > 0) {
    if (has_websocket_upgrade (first, first_len))
      g_atomic_int_inc (&p->websockets);
    if (!g_output_stream_write_all (g_io_stream_get_output_stream (G_IO_STREAM (target)), first,
                                    first_len, NULL, NULL, NULL))
      return;
  }
  thread = g_thread_new ("itest-proxy-up", pipe_run, &up);
  pipe_run (&down);
  g_thread_join (thread);
}

static GSocketConnection *
connect_target (ITestProxy *p)
{
  g_autoptr (GSocketClient) client = g_socket_client_new ();

  g_socket_client_set_enable_proxy (client, FALSE);
  return g_socket_client_connect_to_host (client, "127.0.0.1", p->target_port, NULL, NULL);
}

/* ---- HTTP ---- */

/* Reads a request head, up to and with the blank line; NULL when the client went away. */
static GString *
read_head (GInputStream *in)
{
  GString *head = g_string_new (NULL);
  char c;

  /* Byte by byte: nothing past the head is consumed (a CONNECT tunnel starts right after). */
  while (head->len < HEAD_MAX && g_input_stream_read (in, &c, 1, NULL, NULL) == 1) {
    g_string_append_c (head, c);
    if (head->len >= 4 && memcmp (head->str + head->len - 4, "\r\n\r\n", 4) == 0)
      return head;
  }
  g_string_free (head, TRUE);
  return NULL;
}

static char *
header_value (const char *head, const char *name)
{
  g_auto (GStrv) lines = g_strsplit (head, "\r\n", -1);
  gsize nlen = strlen (name);

  for (gsize i = 1; lines[i] != NULL; i++)
    if (g_ascii_strncasecmp (lines[i], name, nlen) == 0 && lines[i][nlen] == ':')
      return g_strstrip (g_strdup (lines[i] + nlen + 1));
  return NULL;
}

static void
serve_http (ITestProxy *p, GSocketConnection *conn)
{
  GOutputStream *out = g_io_stream_get_output_stream (G_IO_STREAM (conn));
  g_autoptr (GString) head = NULL;
  g_autoptr (GSocketConnection) target = NULL;
  g_autofree char *auth = NULL;
  static const char refused[]
      = "HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic "
        "realm=\"itest\"\r\nContent-Length: 0\r\nConnection: close\r\n\r\n";
  static const char established[] = "HTTP/1.1 200 Connection established\r\n\r\n";
  gboolean is_connect;

  head = read_head (g_io_stream_get_input_stream (G_IO_STREAM (conn)));
  if (head == NULL)
    return;
  auth = header_value (head->str, "Proxy-Authorization");
  if (auth != NULL)
    set_credentials (p, auth);
  is_connect = g_str_has_prefix (head->str, "CONNECT ");
  g_atomic_int_inc (is_connect ? &p->connects : &p->absolute);
  if (p->kind == ITEST_PROXY_HTTP_REFUSING || (p->kind == ITEST_PROXY_HTTP_AUTH && auth == NULL)) {
    g_output_stream_write_all (out, refused, strlen (refused), NULL, NULL, NULL);
    return;
  }
  if ((target = connect_target (p)) == NULL)
    return;
  track (p, target, TRUE);
  if (is_connect) {
    g_output_stream_write_all (out, established, strlen (established), NULL, NULL, NULL);
    relay (p, conn, target, NULL, 0);
  } else {
    relay (p, conn, target, head->str, head->len); /* the simulator takes absolute URIs */
  }
  track (p, target, FALSE);
}

/* ---- SOCKS 5 (RFC 1928, RFC 1929) ---- */

static gboolean
read_exact (GInputStream *in, guint8 *buf, gsize len)
{
  gsize got = 0;

  return g_input_stream_read_all (in, buf, len, &got, NULL, NULL) && got == len;
}

static void
serve_socks5 (ITestProxy *p, GSocketConnection *conn)
{
  GInputStream *in = g_io_stream_get_input_stream (G_IO_STREAM (conn));
  GOutputStream *out = g_io_stream_get_output_stream (G_IO_STREAM (conn));
  g_autoptr (GSocketConnection) target = NULL;
  guint8 buf[512];
  guint8 method = 0xff;
  guint8 reply[10] = { 5, 0, 0, 1, 127, 0, 0, 1, 0, 0 };

  if (!read_exact (in, buf, 2) || buf[0] != 5 || !read_exact (in, buf + 2, buf[1]))
    return;
  for (guint i = 0; i < buf[1]; i++)
    if (buf[2 + i] == 2 || (buf[2 + i] == 0 && method == 0xff))
      method = buf[2 + i];
  {
    guint8 choice[2] = { 5, method };

    g_output_stream_write_all (out, choice, 2, NULL, NULL, NULL);
  }
  if (method == 2) {
    char user[256] = "", pass[256] = "";
    guint8 ok[2] = { 1, 0 };

    if (!read_exact (in, buf, 2) || !read_exact (in, (guint8 *)user, buf[1]))
      return;
    user[buf[1]] = '\0';
    if (!read_exact (in, buf, 1) || !read_exact (in, (guint8 *)pass, buf[0]))
      return;
    pass[buf[0]] = '\0';
    {
      g_autofree char *both = g_strdup_printf ("%s:%s", user, pass);

      set_credentials (p, both);
    }
    g_output_stream_write_all (out, ok, 2, NULL, NULL, NULL);
  } else if (method != 0) {
    return;
  }
  /* VER CMD RSV ATYP, then the address and the port. */
  if (!read_exact (in, buf, 4) || buf[0] != 5 || buf[1] != 1)
    return;
  if (buf[3] == 1) {
    if (!read_exact (in, buf, 4 + 2))
      return;
  } else if (buf[3] == 3) {
    guint8 len;

    if (!read_exact (in, &len, 1) || !read_exact (in, buf, len + 2u))
      return;
  } else if (buf[3] == 4) {
    if (!read_exact (in, buf, 16 + 2))
      return;
  } else {
    return;
  }
  if (p->kind == ITEST_PROXY_SOCKS5_REFUSING) {
    reply[1] = 5; /* connection refused */
    g_output_stream_write_all (out, reply, sizeof reply, NULL, NULL, NULL);
    return;
  }
  if ((target = connect_target (p)) == NULL) {
    reply[1] = 1;
    g_output_stream_write_all (out, reply, sizeof reply, NULL, NULL, NULL);
    return;
  }
  track (p, target, TRUE);
  reply[8] = p->target_port >> 8;
  reply[9] = p->target_port & 0xff;
  if (g_output_stream_write_all (out, reply, sizeof reply, NULL, NULL, NULL))
    relay (p, conn, target, NULL, 0);
  track (p, target, FALSE);
}

static gboolean
on_run (GThreadedSocketService *service, GSocketConnection *conn, GObject *source,
        gpointer user_data)
{
  ITestProxy *p = user_data;

  g_mutex_lock (&p->lock);
  if (p->stopped) {
    g_mutex_unlock (&p->lock);
    return TRUE;
  }
  p->threads++;
  g_mutex_unlock (&p->lock);
  g_atomic_int_inc (&p->accepted);
  track (p, conn, TRUE);
  if (p->kind == ITEST_PROXY_SOCKS5 || p->kind == ITEST_PROXY_SOCKS5_REFUSING)
    serve_socks5 (p, conn);
  else
    serve_http (p, conn);
  g_io_stream_close (G_IO_STREAM (conn), NULL, NULL);
  track (p, conn, FALSE);
  thread_leave (p);
  return TRUE;
}

ITestProxy *
itest_proxy_start (ITestProxyKind kind, guint16 target_port)
{
  ITestProxy *p = g_new0 (ITestProxy, 1);
  g_autoptr (GInetAddress) lo = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr (GSocketAddress) addr = g_inet_socket_address_new (lo, 0);
  g_autoptr (GSocketAddress) effective = NULL;
  g_autoptr (GError) error = NULL;

  p->kind = kind;
  p->target_port = target_port;
  g_mutex_init (&p->lock);
  g_cond_init (&p->idle);
  p->open = g_ptr_array_new_with_free_func (g_object_unref);
  p->service = g_threaded_socket_service_new (-1);
  g_socket_listener_add_address (G_SOCKET_LISTENER (p->service), addr, G_SOCKET_TYPE_STREAM,
                                 G_SOCKET_PROTOCOL_TCP, NULL, &effective, &error);
  g_assert_no_error (error);
  p->port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (effective));
  g_signal_connect (p->service, "run", G_CALLBACK (on_run), p);
  g_socket_service_start (p->service);
  return p;
}

guint16
itest_proxy_port (ITestProxy *p)
{
  return p->port;
}

guint
itest_proxy_accepted (ITestProxy *p)
{
  return (guint)g_atomic_int_get (&p->accepted);
}

guint
itest_proxy_relayed (ITestProxy *p)
{
  return (guint)g_atomic_int_get (&p->relayed);
}

guint
itest_proxy_connects (ITestProxy *p)
{
  return (guint)g_atomic_int_get (&p->connects);
}

guint
itest_proxy_absolute (ITestProxy *p)
{
  return (guint)g_atomic_int_get (&p->absolute);
}

guint
itest_proxy_websockets (ITestProxy *p)
{
  return (guint)g_atomic_int_get (&p->websockets);
}

char *
itest_proxy_credentials (ITestProxy *p)
{
  char *copy;

  g_mutex_lock (&p->lock);
  copy = g_strdup (p->credentials);
  g_mutex_unlock (&p->lock);
  return copy;
}

void
itest_proxy_stop (ITestProxy *p)
{
  gint64 deadline = g_get_monotonic_time () + 5 * G_USEC_PER_SEC;

  g_signal_handlers_disconnect_by_data (p->service, p);
  g_socket_service_stop (p->service);
  g_socket_listener_close (G_SOCKET_LISTENER (p->service));
  g_mutex_lock (&p->lock);
  p->stopped = TRUE;
  /* Unblocks every relay thread: their reads fail. */
  for (guint i = 0; i < p->open->len; i++)
    g_socket_shutdown (g_socket_connection_get_socket (p->open->pdata[i]), TRUE, TRUE, NULL);
  while (p->threads > 0)
    if (!g_cond_wait_until (&p->idle, &p->lock, deadline))
      break;
  g_assert_cmpuint (p->threads, ==, 0);
  g_mutex_unlock (&p->lock);
  g_clear_object (&p->service);
  g_ptr_array_unref (p->open);
  g_free (p->credentials);
  g_mutex_clear (&p->lock);
  g_cond_clear (&p->idle);
  g_free (p);
}
