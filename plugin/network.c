/* network.c: the proxy libpurple is set to use for an account, as a URI for protocol/, and
 * rate-limit waits written into the held text's conversation. */
#include "rcp-network.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "rcp-conv.h"

/* ---- proxy ---- */

char *
rcp_network_proxy_uri (PurpleAccount *account)
{
  PurpleProxyInfo *own = purple_account_get_proxy_info (account);
  PurpleProxyInfo *chosen = own;
  PurpleProxyInfo *info;
  const char *scheme;
  const char *host;
  const char *user;
  const char *password;
  g_autofree char *userinfo = NULL;
  gboolean ipv6;

  if (chosen == NULL || purple_proxy_info_get_type (chosen) == PURPLE_PROXY_USE_GLOBAL)
    chosen = purple_global_proxy_get_info ();
  /* libpurple turns "environment" into an HTTP proxy from $http_proxy alone (no no_proxy):
   * GLib's own resolver reads the whole environment. */
  if (chosen == NULL || purple_proxy_info_get_type (chosen) == PURPLE_PROXY_USE_ENVVAR)
    return NULL;
  info = purple_proxy_get_setup (account);
  if (info == NULL)
    return NULL;
  switch (purple_proxy_info_get_type (info)) {
    case PURPLE_PROXY_NONE:
      return g_strdup ("direct://");
    case PURPLE_PROXY_HTTP:
      scheme = "http";
      break;
    case PURPLE_PROXY_SOCKS4:
      scheme = "socks4";
      break;
    case PURPLE_PROXY_SOCKS5:
    case PURPLE_PROXY_TOR: /* GLib's SOCKS 5 sends the host name: the proxy resolves it */
      scheme = "socks5";
      break;
    default:
      return NULL;
  }
  host = purple_proxy_info_get_host (info);
  if (host == NULL || *host == '\0')
    return g_strdup_printf ("%s://", scheme); /* rc_client_set_proxy() says what is missing */
  user = purple_proxy_info_get_username (info);
  password = purple_proxy_info_get_password (info);
  if (user != NULL && *user != '\0') {
    g_autofree char *u = g_uri_escape_string (user, NULL, FALSE);
    g_autofree char *p = password && *password ? g_uri_escape_string (password, NULL, FALSE) : NULL;

    userinfo = p ? g_strdup_printf ("%s:%s@", u, p) : g_strdup_printf ("%s@", u);
    if (p != NULL)
      memset (p, 0, strlen (p));
  }
  ipv6 = strchr (host, ':') != NULL && host[0] != '[';
  return g_strdup_printf ("%s://%s%s%s%s:%d", scheme, userinfo ? userinfo : "", ipv6 ? "[" : "",
                          host, ipv6 ? "]" : "", purple_proxy_info_get_port (info));
}

/* ---- rate limits ---- */

void
rcp_network_rate_limited (PurpleAccount *account, const char *key, guint seconds)
{
  PurpleConversation *conv;
  g_autofree char *line = NULL;

  if (key == NULL || *key == '\0')
    return;
  /* A chat name joins several numbers with ','; a 1:1 key is one E.164 number. */
  if (strchr (key, ',') != NULL)
    conv = purple_find_conversation_with_account (PURPLE_CONV_TYPE_CHAT, key, account);
  else
    conv = rcp_conv_im (account, key);
  if (conv == NULL)
    return;
  line = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Waiting %u s (RingCentral rate limit)…",
                                       "Waiting %u s (RingCentral rate limit)…", seconds),
                          seconds);
  rcp_conv_write_line (conv, line, RCP_LINE_FLAGS);
}
