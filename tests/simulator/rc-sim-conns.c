/* rc-sim-conns.c: the simulator's client connections: how many came, and closing the ones their
 * client closed.
 *
 * libsoup 3.2's SoupServer never closes a keep-alive connection whose client closes it between
 * two requests: after an answer it reads the next request on a fresh message; an EOF before its
 * first byte fails that message, but the message was never "started", so no completion runs and
 * soup_server_connection_disconnect () is never called (server/http1/
 * soup-server-message-io-http1.c, soup_server_message_io_http1_finished () with a NULL
 * completion_cb). The socket stays in CLOSE-WAIT for the life of the server: about 20,000 after a
 * long run, then accept () fails for lack of descriptors and the simulator stops answering.
 *
 * Workaround, with no periodic wakeups: after every answer the simulator watches the connection's
 * socket for input. Input that is data is the next request (libsoup reads it; the watch ends).
 * Input that is an end of stream means the client is gone: once libsoup has had its turn at it
 * (RC_SIM_CONN_GRACE_MS later, still at end of stream, not closed by libsoup), the simulator
 * shuts the socket down and closes it. libsoup holds no source on it by then, and closes it again
 * harmlessly when the server is disposed (g_socket_close () of a closed socket is a no-op). */
#include "rc-sim-private.h"

#include <errno.h>
#include <sys/socket.h>

#define RC_SIM_CONN_GRACE_MS 50

struct _RcSimConns {
  GHashTable *seen;    /* char* "address:port" of every client connection that sent a request */
  GHashTable *watches; /* GSocket* (ref) → GSource* (ref) watching it for input after an answer */
  guint closed;        /* connections the simulator closed because their client had */
};

/* 1: end of stream, 0: data waiting or nothing to read yet, -1: closed or failed. */
static int
peek_eof (GSocket *sock)
{
  char byte;
  gssize n;

  if (g_socket_is_closed (sock))
    return -1;
  n = recv (g_socket_get_fd (sock), &byte, 1, MSG_PEEK | MSG_DONTWAIT);
  if (n == 0)
    return 1;
  if (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR)
    return -1;
  return 0;
}

typedef struct {
  RcSim *sim; /* not a reference: the watches end in rc_sim_conns_free () */
  GSocket *sock;
} Watch;

static Watch *
watch_new (RcSim *self, GSocket *sock)
{
  Watch *w = g_new0 (Watch, 1);

  w->sim = self;
  w->sock = g_object_ref (sock);
  return w;
}

static void
watch_free (gpointer data)
{
  Watch *w = data;

  g_object_unref (w->sock);
  g_free (w);
}

/* Puts @source (taken) in the table as @sock's one watch, ending the one before. */
static void
set_watch (RcSim *self, GSocket *sock, GSource *source)
{
  g_source_attach (source, self->context);
  g_hash_table_insert (self->conns->watches, g_object_ref (sock), source);
}

static gboolean
grace_over (gpointer user_data)
{
  Watch *w = user_data;
  RcSim *self = w->sim;
  g_autoptr (GSocket) sock = g_object_ref (w->sock);

  g_hash_table_remove (self->conns->watches, sock); /* this source: freed after the dispatch */
  if (peek_eof (sock) == 1) {
    g_debug ("closing a connection its client closed");
    g_socket_shutdown (sock, TRUE, TRUE, NULL);
    g_socket_close (sock, NULL);
    self->conns->closed++;
  }
  return G_SOURCE_REMOVE;
}

static gboolean
input_ready (GSocket *socket, GIOCondition condition, gpointer user_data)
{
  Watch *w = user_data;
  RcSim *self = w->sim;
  g_autoptr (GSocket) sock = g_object_ref (w->sock);
  GSource *grace;

  if (peek_eof (sock) != 1) {
    /* The next request (libsoup reads it), or a socket libsoup already closed. */
    g_hash_table_remove (self->conns->watches, sock);
    return G_SOURCE_REMOVE;
  }
  /* The client is gone: give libsoup its turn at the end of stream first. */
  grace = g_timeout_source_new (RC_SIM_CONN_GRACE_MS);
  g_source_set_callback (grace, grace_over, watch_new (self, sock), watch_free);
  set_watch (self, sock, grace);
  return G_SOURCE_REMOVE;
}

static void
request_finished (SoupServer *server, SoupServerMessage *msg, gpointer user_data)
{
  RcSim *self = user_data;
  GSocket *sock = soup_server_message_get_socket (msg);
  GSource *source;

  if (sock == NULL || g_socket_is_closed (sock))
    return;
  source = g_socket_create_source (sock, G_IO_IN | G_IO_HUP | G_IO_ERR, NULL);
  g_source_set_callback (source, G_SOURCE_FUNC (input_ready), watch_new (self, sock), watch_free);
  set_watch (self, sock, source);
}

static void
request_started (SoupServer *server, SoupServerMessage *msg, gpointer user_data)
{
  RcSim *self = user_data;
  GSocketAddress *remote = soup_server_message_get_remote_address (msg);
  GSocket *sock = soup_server_message_get_socket (msg);

  if (sock != NULL)
    g_hash_table_remove (self->conns->watches, sock);
  if (remote != NULL && G_IS_INET_SOCKET_ADDRESS (remote)) {
    GInetSocketAddress *inet = G_INET_SOCKET_ADDRESS (remote);
    g_autofree char *ip = g_inet_address_to_string (g_inet_socket_address_get_address (inet));

    g_hash_table_add (self->conns->seen,
                      g_strdup_printf ("%s:%u", ip, g_inet_socket_address_get_port (inet)));
  }
}

static void
source_destroy_unref (gpointer data)
{
  g_source_destroy (data);
  g_source_unref (data);
}

void
rc_sim_conns_setup (RcSim *self)
{
  self->conns = g_new0 (RcSimConns, 1);
  self->conns->seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->conns->watches
      = g_hash_table_new_full (g_direct_hash, g_direct_equal, g_object_unref, source_destroy_unref);
  g_signal_connect (self->server, "request-started", G_CALLBACK (request_started), self);
  g_signal_connect (self->server, "request-finished", G_CALLBACK (request_finished), self);
  g_signal_connect (self->server, "request-aborted", G_CALLBACK (request_finished), self);
}

void
rc_sim_conns_free (RcSim *self)
{
  if (self->conns == NULL)
    return;
  if (self->server != NULL) {
    g_signal_handlers_disconnect_by_func (self->server, request_started, self);
    g_signal_handlers_disconnect_by_func (self->server, request_finished, self);
  }
  g_hash_table_unref (self->conns->watches);
  g_hash_table_unref (self->conns->seen);
  g_clear_pointer (&self->conns, g_free);
}

guint
rc_sim_count_connections (RcSim *self)
{
  g_return_val_if_fail (RC_IS_SIM (self), 0);
  return self->conns != NULL ? g_hash_table_size (self->conns->seen) : 0;
}

guint
rc_sim_count_closed_for_client (RcSim *self)
{
  g_return_val_if_fail (RC_IS_SIM (self), 0);
  return self->conns != NULL ? self->conns->closed : 0;
}
