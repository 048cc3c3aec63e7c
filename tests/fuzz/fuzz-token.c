/* fuzz-token.c: the OAuth token answer (TokenInfo of POST /restapi/oauth/token, fact sheet §1),
 * rc_auth_parse_token_info() on the raw body. */
#include "fuzz-util.h"
#include "rc-auth-private.h"
#include "rc-error.h"

#define NOW 1700000000 /* Unix seconds; any fixed time */

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  g_autoptr (GBytes) body = g_bytes_new (data, size);
  g_autoptr (GError) error = NULL;
  g_autoptr (RcTokens) tokens = NULL;

  fuzz_init ();
  tokens = rc_auth_parse_token_info (body, NOW, &error);
  FUZZ_CHECK_FAILURE (tokens != NULL, error);
  if (tokens == NULL) {
    FUZZ_CHECK (g_error_matches (error, RC_ERROR, RC_ERROR_BAD_RESPONSE));
    return 0;
  }
  /* rc-auth-private.h: a token answer without access_token or expires_in is refused. */
  FUZZ_CHECK (tokens->access_token != NULL && tokens->access_token[0] != '\0');
  {
    g_autoptr (RcTokens) copy = rc_tokens_copy (tokens);

    FUZZ_CHECK (g_strcmp0 (copy->access_token, tokens->access_token) == 0);
    (void)rc_tokens_access_valid (copy, NOW, 60);
    (void)rc_tokens_refresh_valid (copy, NOW);
  }
  return 0;
}
