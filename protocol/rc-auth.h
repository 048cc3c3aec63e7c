/* rc-auth.h: the OAuth token model shared by the client and whoever persists it. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* One OAuth session's tokens. Times are Unix seconds (0 = unknown). Strings may be NULL. */
typedef struct {
  char *access_token;
  gint64 access_expires_at;
  char *refresh_token;
  gint64 refresh_expires_at;
  char *owner_id; /* extension id of the token owner */
} RcTokens;

RcTokens *rc_tokens_new (void);
RcTokens *rc_tokens_copy (const RcTokens *tokens);
void rc_tokens_free (RcTokens *tokens);
/* TRUE when the access token exists and is valid for at least @margin_s more seconds at @now. */
gboolean rc_tokens_access_valid (const RcTokens *tokens, gint64 now, gint64 margin_s);
/* TRUE when a refresh token exists and has not expired at @now. */
gboolean rc_tokens_refresh_valid (const RcTokens *tokens, gint64 now);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (RcTokens, rc_tokens_free)

/* Longest token accepted (bytes). RingCentral access tokens are a few hundred characters. */
#define RC_AUTH_TOKEN_MAX_LEN 8192

/* TRUE when @token can go into an HTTP header or a URL as it is: 1..RC_AUTH_TOKEN_MAX_LEN
 * printable ASCII characters, no space, CR, LF or control character. Check every token that
 * comes from a server (the token answer, the WebSocket token) before use. */
gboolean rc_auth_token_is_valid (const char *token);

/* How a new session is obtained when there is no live refresh token (fact sheet §1):
 *   RC_AUTH_METHOD_JWT: the JWT bearer grant, silently ("Summary" 3, "JWT bearer");
 *   RC_AUTH_METHOD_BROWSER: the authorization code grant with PKCE (S256) through the user's
 *     browser ("Authorization code (+PKCE)"): only the user can do it, so the client never starts
 *     it by itself (rc-browser-sign-in.h does, when the plugin asks the user). */
typedef enum {
  RC_AUTH_METHOD_JWT,
  RC_AUTH_METHOD_BROWSER,
} RcAuthMethod;

G_END_DECLS
