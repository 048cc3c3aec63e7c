/* rc-pkce.h: the pieces of the authorization code flow with PKCE that need no I/O (fact sheet §1
 * "Authorization code (+PKCE)"; RFC 7636, RFC 8252): verifier, S256 challenge, state, the
 * authorize URL, the loopback redirect URI and the redirect that comes back. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define RC_PKCE_AUTHORIZE_PATH "/restapi/oauth/authorize"
/* The official quick starts register this one (GUIDE/authentication/quick-start); the account's
 * redirect_uri setting overrides it, as it must match the app's registration exactly. */
#define RC_PKCE_DEFAULT_REDIRECT_URI "http://127.0.0.1:5000/oauth2callback"

/* base64url without padding (RFC 7636 appendix A) of @len bytes. Newly allocated. */
char *rc_pkce_base64url (const guint8 *data, gsize len);
/* A new code_verifier: 32 random bytes as base64url, 43 characters of [A-Za-z0-9_-]. */
char *rc_pkce_new_verifier (void);
/* BASE64URL(SHA256(ASCII(@verifier))), the S256 code_challenge (43 characters). */
char *rc_pkce_challenge_s256 (const char *verifier);
/* A new state value (16 random bytes, base64url: 22 characters). */
char *rc_pkce_new_state (void);

/* {@server_url}/restapi/oauth/authorize?response_type=code&client_id=…&redirect_uri=…&state=…
 * &code_challenge=…&code_challenge_method=S256, every value escaped. @server_url is the
 * normalised base (rc_client_get_server_url()). Newly allocated. */
char *rc_pkce_authorize_url (const char *server_url, const char *client_id,
                             const char *redirect_uri, const char *state, const char *challenge);

/* Checks a loopback redirect URI (RFC 8252 §7.3): http://, host 127.0.0.1, [::1] or localhost, an
 * explicit port 1-65535, a path (default "/"), no query or fragment. Sets @port and @path (newly
 * allocated; either may be NULL). RC_ERROR_INVALID_SETTINGS with a sentence saying what is wrong
 * otherwise. */
gboolean rc_pkce_check_redirect_uri (const char *redirect_uri, guint *port, char **path,
                                     GError **error);

/* Reads the redirect the authorize endpoint sent (302 Location: redirect_uri?code=…&state=…, or
 * ?error=…&error_description=…): @redirect is the whole URL (as pasted from the browser's address
 * bar; surrounding blanks ignored) or only its query. The state must equal @expected_state.
 * Returns the code (newly allocated) or NULL with RC_ERROR_AUTH_FAILED: the user or RingCentral
 * refused (the description, cleaned, in the message), the state differs (an answer to another
 * attempt: refused), or there is no code (RC_ERROR_INVALID_INPUT: not a sign-in answer). */
char *rc_pkce_parse_redirect (const char *redirect, const char *expected_state, GError **error);

G_END_DECLS
