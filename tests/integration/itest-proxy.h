/* itest-proxy.h: a small loopback proxy for the proxy tests, run on threads (blocking I/O) so it
 * works while the test's main loop serves libpurple: an HTTP proxy (CONNECT tunnels and
 * absolute-URI requests alike) or a SOCKS 5 proxy (no auth or user/password), relaying every
 * connection to 127.0.0.1:@target_port; or one that refuses every connection. It counts what it
 * saw. */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

typedef enum {
  ITEST_PROXY_HTTP,
  ITEST_PROXY_SOCKS5,
  ITEST_PROXY_HTTP_AUTH,       /* HTTP, answering 407 to requests without Proxy-Authorization */
  ITEST_PROXY_HTTP_REFUSING,   /* answers every request 407 (wrong or no credentials) */
  ITEST_PROXY_SOCKS5_REFUSING, /* answers every SOCKS request "connection refused" (5) */
} ITestProxyKind;

typedef struct _ITestProxy ITestProxy;

ITestProxy *itest_proxy_start (ITestProxyKind kind, guint16 target_port);
guint16 itest_proxy_port (ITestProxy *proxy);
/* Client connections accepted / relayed to the target. */
guint itest_proxy_accepted (ITestProxy *proxy);
guint itest_proxy_relayed (ITestProxy *proxy);
/* HTTP: CONNECT requests and absolute-URI requests seen (first request of each connection). */
guint itest_proxy_connects (ITestProxy *proxy);
guint itest_proxy_absolute (ITestProxy *proxy);
/* Relayed client bytes that carried "Upgrade: websocket" (a WebSocket handshake went through). */
guint itest_proxy_websockets (ITestProxy *proxy);
/* The last credentials seen (HTTP: the Proxy-Authorization value; SOCKS 5: "user:password"), or
 * NULL. Free it. */
char *itest_proxy_credentials (ITestProxy *proxy);
/* Closes the listener and every relayed connection, waits (bounded) for the threads, frees. */
void itest_proxy_stop (ITestProxy *proxy);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (ITestProxy, itest_proxy_stop)

G_END_DECLS
