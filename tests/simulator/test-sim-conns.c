/* test-sim-conns.c: the simulator's client connections: kept alive between requests, counted,
 * and closed when their client closes them (libsoup 3.2's server alone leaves them in
 * CLOSE-WAIT for good; rc-sim-conns.c). Raw sockets, so the client side is exactly known. */
#include <errno.h>
#include <string.h>
#include <sys/socket.h>

#include "rc-sim.h"

#define DEADLINE_US (5 * G_USEC_PER_SEC)

static RcSim *
start_sim (void)
{
  g_autofree char *path = g_build_filename (RC_SCENARIOS_DIR, "basic.json", NULL);
  g_autoptr (GError) error = NULL;
  RcSim *sim = rc_sim_new_from_file (path, &error);

  g_assert_no_error (error);
  g_assert_true (rc_sim_start (sim, 0, &error));
  g_assert_no_error (error);
  return sim;
}

static GSocket *
connect_to (RcSim *sim)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GInetAddress) lo = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr (GSocketAddress) addr = g_inet_socket_address_new (lo, (guint16)rc_sim_get_port (sim));
  GSocket *sock
      = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, &error);

  g_assert_no_error (error);
  /* The kernel completes a loopback connect from the listen backlog: no main loop needed. */
  g_assert_true (g_socket_connect (sock, addr, NULL, &error));
  g_assert_no_error (error);
  g_socket_set_blocking (sock, FALSE);
  return sock;
}

/* Reads what is there without blocking, iterating the simulator's (default) context between
 * tries. Returns the bytes read (0: end of stream), or -1 at the deadline. */
static gssize
read_some (GSocket *sock, char *buf, gsize len)
{
  gint64 deadline = g_get_monotonic_time () + DEADLINE_US;

  while (g_get_monotonic_time () < deadline) {
    g_autoptr (GError) error = NULL;
    gssize n = g_socket_receive (sock, buf, len, NULL, &error);

    if (n >= 0)
      return n;
    g_assert_true (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK));
    g_main_context_iteration (NULL, FALSE);
    g_usleep (1000);
  }
  return -1;
}

/* Sends one keep-alive GET and reads its whole answer (headers and Content-Length body). */
static void
get_once (GSocket *sock)
{
  static const char req[] = "GET /restapi/v1.0/account/~ HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";
  g_autoptr (GString) got = g_string_new (NULL);
  g_autoptr (GError) error = NULL;
  const char *end;
  gsize want = 0;

  g_assert_cmpint (g_socket_send (sock, req, strlen (req), NULL, &error), ==, strlen (req));
  g_assert_no_error (error);
  for (;;) {
    char buf[4096];
    gssize n = read_some (sock, buf, sizeof buf);

    g_assert_cmpint (n, >, 0);
    g_string_append_len (got, buf, n);
    end = strstr (got->str, "\r\n\r\n");
    if (end != NULL) {
      const char *cl = strstr (got->str, "Content-Length: ");

      g_assert_nonnull (cl);
      want = (gsize)(end + 4 - got->str) + (gsize)g_ascii_strtoull (cl + 16, NULL, 10);
      if (got->len >= want)
        break;
    }
  }
  g_assert_cmpuint (got->len, ==, want);
  g_assert_true (g_str_has_prefix (got->str, "HTTP/1.1 401")); /* no token: an answer is enough */
}

static void
test_closed_by_client (void)
{
  g_autoptr (RcSim) sim = start_sim ();
  enum { N = 5 };

  for (guint i = 0; i < N; i++) {
    g_autoptr (GSocket) sock = connect_to (sim);
    char buf[64];

    get_once (sock);
    /* The client is done: it closes its side, and the server must close its own. */
    g_assert_true (g_socket_shutdown (sock, FALSE, TRUE, NULL));
    g_assert_cmpint (read_some (sock, buf, sizeof buf), ==, 0);
  }
  g_assert_cmpuint (rc_sim_count_connections (sim), ==, N);
  g_assert_cmpuint (rc_sim_count_closed_for_client (sim), ==, N);
}

static void
test_kept_alive (void)
{
  g_autoptr (RcSim) sim = start_sim ();
  g_autoptr (GSocket) sock = connect_to (sim);
  char buf[64];

  get_once (sock);
  /* Well past the grace time: an idle connection whose client is still there stays open. */
  for (gint64 until = g_get_monotonic_time () + 200000; g_get_monotonic_time () < until;)
    g_main_context_iteration (NULL, FALSE), g_usleep (1000);
  g_assert_false (g_socket_is_closed (sock));
  g_assert_cmpint (g_socket_receive (sock, buf, sizeof buf, NULL, NULL), ==, -1);
  get_once (sock);
  get_once (sock);
  g_assert_cmpuint (rc_sim_count_connections (sim), ==, 1);
  g_assert_cmpuint (rc_sim_count_closed_for_client (sim), ==, 0);
  g_assert_cmpuint (rc_sim_count_requests (sim, "GET", "/restapi/v1.0/account/"), ==, 3);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/sim/conns/closed-by-client", test_closed_by_client);
  g_test_add_func ("/sim/conns/kept-alive", test_kept_alive);
  return g_test_run ();
}
