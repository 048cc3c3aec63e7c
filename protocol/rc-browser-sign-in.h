/* rc-browser-sign-in.h: one browser sign-in (fact sheet §1 "Authorization code (+PKCE)";
 * RFC 8252 loopback redirect): the authorize URL to show the user, a one-shot SoupServer on the
 * redirect URI's loopback port, the same answer pasted by hand where no browser can reach this
 * computer (Finch over ssh, bitlbee), the state check, the code exchange with the verifier through
 * the client, and a timeout. Whichever of the two paths brings the answer first wins; the other is
 * closed. The browser that came back gets a short page saying sign-in is done, or why not. */
#pragma once

#include <gio/gio.h>

#include "rc-client.h"

G_BEGIN_DECLS

#define RC_TYPE_BROWSER_SIGN_IN (rc_browser_sign_in_get_type ())
G_DECLARE_FINAL_TYPE (RcBrowserSignIn, rc_browser_sign_in, RC, BROWSER_SIGN_IN, GObject)

#define RC_BROWSER_SIGN_IN_TIMEOUT_S 300 /* the default: 5 minutes */

/* A new attempt for @client (a reference is kept) with a fresh verifier and state. @redirect_uri
 * (NULL or "": RC_PKCE_DEFAULT_REDIRECT_URI) must pass rc_pkce_check_redirect_uri(), else NULL
 * with RC_ERROR_INVALID_SETTINGS. */
RcBrowserSignIn *rc_browser_sign_in_new (RcClient *client, const char *redirect_uri,
                                         GError **error);

/* The URL to open in a browser (rc_pkce_authorize_url()). Owned by the attempt. It carries the
 * state and the challenge, never the verifier. */
const char *rc_browser_sign_in_get_authorize_url (RcBrowserSignIn *self);
const char *rc_browser_sign_in_get_redirect_uri (RcBrowserSignIn *self);

/* Seconds the attempt waits for an answer (default RC_BROWSER_SIGN_IN_TIMEOUT_S; at least 1).
 * Call before rc_browser_sign_in_run_async(). */
void rc_browser_sign_in_set_timeout (RcBrowserSignIn *self, guint seconds);

/* Listens on the redirect URI's port (127.0.0.1; [::1] too for localhost) and waits for the
 * browser, rc_browser_sign_in_paste(), the timeout or @cancellable. Requests to other paths get
 * 404, and requests without code or error 400; they do not end the attempt. A port that cannot
 * be bound leaves only the paste path (rc_browser_sign_in_is_listening() FALSE). The first answer
 * ends the attempt: its state must match, then its code is exchanged
 * (rc_client_grant_code_async(): the client then holds the new tokens and has emitted
 * "tokens-changed"). The listener is closed once the browser got its page. Errors:
 * RC_ERROR_AUTH_FAILED (refused by the user or RingCentral, wrong state, code refused, timeout;
 * the message says which), RC_ERROR_INVALID_INPUT (a pasted text without a code),
 * RC_ERROR_NETWORK, G_IO_ERROR_CANCELLED. Call once. */
void rc_browser_sign_in_run_async (RcBrowserSignIn *self, GCancellable *cancellable,
                                   GAsyncReadyCallback callback, gpointer user_data);
gboolean rc_browser_sign_in_run_finish (RcBrowserSignIn *self, GAsyncResult *result,
                                        GError **error);

/* The paste path: @text is the address the browser was sent to (or its query). Ignored when the
 * attempt is not waiting any more. */
void rc_browser_sign_in_paste (RcBrowserSignIn *self, const char *text);

/* TRUE while the loopback listener is open. */
gboolean rc_browser_sign_in_is_listening (RcBrowserSignIn *self);

G_END_DECLS
