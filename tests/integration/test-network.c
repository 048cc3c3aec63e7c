/* test-network.c: proxies (HTTP, SOCKS 5, a refusing one) and rate-limit waits as the user sees
 * them. The proxies are the threaded loopback ones of itest-proxy.c, relaying to the simulator;
 * faults are injected into the simulator directly. */
#include "itest.h"
#include "itest-proxy.h"

#include <string.h>

#define OUR_DIRECT "+16505550100"
#define STRANGER   "+14155550123"
#define CONTACT    "+16505550199"

static void
use_proxy (ITest *t, PurpleProxyType type, guint16 port, const char *user, const char *password)
{
  PurpleProxyInfo *info = purple_proxy_info_new ();

  purple_proxy_info_set_type (info, type);
  purple_proxy_info_set_host (info, "127.0.0.1");
  purple_proxy_info_set_port (info, port);
  purple_proxy_info_set_username (info, user);
  purple_proxy_info_set_password (info, password);
  purple_account_set_proxy_info (t->account, info); /* the account owns it */
}

/* Signs on through @proxy, checks that push came up through it and that texts flow both ways. */
static void
signon_and_texts (ITest *t, ITestProxy *proxy)
{
  g_autofree char *id = NULL;

  rcp_harness_sign_on_ok (t->h);
  g_assert_true (itest_wait_push (t));
  g_test_message ("proxy: %u accepted, %u relayed, %u CONNECT, %u absolute-URI, %u WebSocket",
                  itest_proxy_accepted (proxy), itest_proxy_relayed (proxy),
                  itest_proxy_connects (proxy), itest_proxy_absolute (proxy),
                  itest_proxy_websockets (proxy));
  /* Every request went through it: the simulator saw as many as... at least the sign-on. */
  g_assert_cmpuint (itest_proxy_relayed (proxy), >=, 1);
  g_assert_cmpuint (itest_proxy_websockets (proxy), >=, 1);

  id = rc_sim_add_inbound (t->sim, STRANGER, OUR_DIRECT, "through the proxy");
  g_assert_true (
      rcp_harness_wait_for_received (t->h, STRANGER, "through the proxy", RCP_HARNESS_TIMEOUT_MS));
  rcp_harness_send_im (t->h, CONTACT, "out through the proxy");
  g_assert_true (itest_wait_count (t, "POST", SMS_PATH, 1, RCP_HARNESS_TIMEOUT_MS));
  g_assert_cmpuint (itest_request (t, "POST", SMS_PATH, 0)->status, ==, 200);
}

static void
test_http_proxy (void)
{
  g_autoptr (ITest) t = itest_new ("basic.json", NULL);
  g_autoptr (ITestProxy) proxy = itest_proxy_start (ITEST_PROXY_HTTP, rc_sim_get_port (t->sim));

  use_proxy (t, PURPLE_PROXY_HTTP, itest_proxy_port (proxy), NULL, NULL);
  signon_and_texts (t, proxy);
  /* libsoup sends http:// requests to an HTTP proxy in absolute form (no CONNECT). */
  g_assert_cmpuint (itest_proxy_connects (proxy) + itest_proxy_absolute (proxy), >=, 2);
}

static void
test_http_proxy_with_password (void)
{
  g_autoptr (ITest) t = itest_new ("basic.json", NULL);
  g_autoptr (ITestProxy) proxy
      = itest_proxy_start (ITEST_PROXY_HTTP_AUTH, rc_sim_get_port (t->sim));
  g_autofree char *credentials = NULL;
  g_autofree char *expected = NULL;
  g_autofree char *encoded = g_base64_encode ((const guchar *)"proxy user:p@ss:w/rd", 20);

  use_proxy (t, PURPLE_PROXY_HTTP, itest_proxy_port (proxy), "proxy user", "p@ss:w/rd");
  signon_and_texts (t, proxy);
  credentials = itest_proxy_credentials (proxy);
  expected = g_strdup_printf ("Basic %s", encoded);
  g_assert_cmpstr (credentials, ==, expected);
}

static void
test_socks5_proxy (void)
{
  g_autoptr (ITest) t = itest_new ("basic.json", NULL);
  g_autoptr (ITestProxy) proxy = itest_proxy_start (ITEST_PROXY_SOCKS5, rc_sim_get_port (t->sim));
  g_autofree char *credentials = NULL;

  /* A password with characters that must be escaped in a URI. */
  use_proxy (t, PURPLE_PROXY_SOCKS5, itest_proxy_port (proxy), "proxy user", "p@ss:w/rd");
  signon_and_texts (t, proxy);
  g_assert_cmpuint (itest_proxy_relayed (proxy), >=, 2); /* requests and the WebSocket */
  credentials = itest_proxy_credentials (proxy);
  g_assert_cmpstr (credentials, ==, "proxy user:p@ss:w/rd");
}

static void
test_no_proxy_is_direct (void)
{
  g_autoptr (ITest) t = itest_new ("basic.json", NULL);
  g_autoptr (ITestProxy) proxy = itest_proxy_start (ITEST_PROXY_HTTP, rc_sim_get_port (t->sim));
  PurpleProxyInfo *info = purple_proxy_info_new ();

  /* "No proxy" on the account wins over an environment that names one. */
  g_setenv ("http_proxy", "http://127.0.0.1:1", TRUE);
  purple_proxy_info_set_type (info, PURPLE_PROXY_NONE);
  purple_account_set_proxy_info (t->account, info);
  rcp_harness_sign_on_ok (t->h);
  g_unsetenv ("http_proxy");
  g_assert_cmpuint (itest_proxy_accepted (proxy), ==, 0);
}

static void
refused (ITestProxyKind kind, PurpleProxyType type)
{
  g_autoptr (ITest) t = itest_new ("basic.json", NULL);
  g_autoptr (ITestProxy) proxy = itest_proxy_start (kind, rc_sim_get_port (t->sim));
  PurpleConnectionError reason = 0;
  g_autofree char *description = NULL;

  use_proxy (t, type, itest_proxy_port (proxy), NULL, NULL);
  g_assert_cmpint (rcp_harness_sign_on (t->h, RCP_HARNESS_TIMEOUT_MS, &reason, &description), ==,
                   RCP_SIGNON_ERROR);
  g_test_message ("error %d: %s", reason, description);
  g_assert_cmpuint (itest_proxy_accepted (proxy), >=, 1);
  g_assert_cmpuint (itest_proxy_relayed (proxy), ==, 0);
  g_assert_cmpuint (rc_sim_get_requests (t->sim)->len, ==, 0);
  /* A network error (libpurple may retry later), saying the proxy was in the way. */
  g_assert_cmpint (reason, ==, PURPLE_CONNECTION_ERROR_NETWORK_ERROR);
  g_assert_nonnull (strstr (description, "proxy"));
}

static void
test_socks5_proxy_refuses (void)
{
  refused (ITEST_PROXY_SOCKS5_REFUSING, PURPLE_PROXY_SOCKS5);
}

static void
test_http_proxy_refuses (void)
{
  refused (ITEST_PROXY_HTTP_REFUSING, PURPLE_PROXY_HTTP);
}

/* ---- rate limits ---- */

static void
test_rate_limit_wait_is_told (void)
{
  g_autoptr (ITest) t = itest_new ("basic.json", NULL);
  PurpleConversation *conv;
  const char *name;
  gint64 sent_at;
  RcSimRequest *first, *second;

  purple_account_set_int (t->account, "sync_interval", 60);
  rcp_harness_sign_on_ok (t->h);
  rc_sim_inject_fault (t->sim, SMS_PATH, RC_SIM_FAULT_429, 1, 7);
  sent_at = g_get_monotonic_time ();
  conv = rcp_harness_send_im (t->h, CONTACT, "held back");
  name = purple_conversation_get_name (conv);
  g_assert_true (rcp_harness_wait_for_write (t->h, name, 0, "(RingCentral rate limit)",
                                             RCP_HARNESS_TIMEOUT_MS));
  /* The honest number: Retry-After was 7 s. */
  g_assert_nonnull (
      rcp_harness_find_write (t->h, name, 0, "Waiting 7 s (RingCentral rate limit)…"));
  /* It goes out by itself after the wait, and the line was written once. */
  g_assert_true (itest_wait_count (t, "POST", SMS_PATH, 2, 15000));
  g_assert_cmpint (g_get_monotonic_time () - sent_at, >=, 6900 * 1000);
  first = itest_request (t, "POST", SMS_PATH, 0);
  second = itest_request (t, "POST", SMS_PATH, 1);
  g_assert_cmpuint (first->status, ==, 429);
  g_assert_cmpuint (second->status, ==, 200);
  rcp_harness_run_for (300);
  g_assert_cmpuint (rcp_harness_count_writes (t->h, name, 0, "(RingCentral rate limit)"), ==, 1);
  g_assert_cmpuint (rcp_harness_count_writes (t->h, name, PURPLE_MESSAGE_ERROR, NULL), ==, 0);
}

static void
test_short_rate_limit_is_quiet (void)
{
  g_autoptr (ITest) t = itest_new ("basic.json", NULL);
  PurpleConversation *conv;

  purple_account_set_int (t->account, "sync_interval", 60);
  rcp_harness_sign_on_ok (t->h);
  rc_sim_inject_fault (t->sim, SMS_PATH, RC_SIM_FAULT_429, 1, 2);
  conv = rcp_harness_send_im (t->h, CONTACT, "briefly held");
  g_assert_true (itest_wait_count (t, "POST", SMS_PATH, 2, 15000));
  rcp_harness_run_for (300);
  g_assert_cmpuint (rcp_harness_count_writes (t->h, purple_conversation_get_name (conv), 0,
                                              "(RingCentral rate limit)"),
                    ==, 0);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  itest_add ("/network/http-proxy", test_http_proxy, FALSE);
  itest_add ("/network/http-proxy-with-password", test_http_proxy_with_password, FALSE);
  itest_add ("/network/socks5-proxy", test_socks5_proxy, FALSE);
  itest_add ("/network/no-proxy-is-direct", test_no_proxy_is_direct, FALSE);
  itest_add ("/network/socks5-proxy-refuses", test_socks5_proxy_refuses, FALSE);
  itest_add ("/network/http-proxy-refuses", test_http_proxy_refuses, FALSE);
  itest_add ("/network/rate-limit-wait-is-told", test_rate_limit_wait_is_told, FALSE);
  itest_add ("/network/short-rate-limit-is-quiet", test_short_rate_limit_is_quiet, FALSE);
  return g_test_run ();
}
