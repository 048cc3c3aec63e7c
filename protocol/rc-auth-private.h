/* rc-auth-private.h (internal): OAuth form bodies and TokenInfo parsing, split out so unit tests
 * can check them without a server. */
#pragma once

#include <glib.h>

#include "rc-auth.h"

G_BEGIN_DECLS

#define RC_AUTH_TOKEN_PATH    "/restapi/oauth/token"
#define RC_AUTH_REVOKE_PATH   "/restapi/oauth/revoke"
#define RC_AUTH_JWT_GRANT     "urn:ietf:params:oauth:grant-type:jwt-bearer"
#define RC_AUTH_CODE_GRANT    "authorization_code"
#define RC_AUTH_REFRESH_GRANT "refresh_token"
#define RC_AUTH_FORM_TYPE     "application/x-www-form-urlencoded"

/* "Basic base64(client_id:client_secret)", or NULL when there is no secret (public client: the
 * client_id then goes into the form body instead). */
char *rc_auth_basic_header (const char *client_id, const char *client_secret);

/* Form bodies (application/x-www-form-urlencoded). client_id is added only when @client_secret
 * is NULL or empty. */
char *rc_auth_jwt_form (const char *jwt, const char *client_id, const char *client_secret);
char *rc_auth_refresh_form (const char *refresh_token, const char *client_id,
                            const char *client_secret);
/* authorization_code with PKCE (fact sheet §1 "Authorization code (+PKCE)"): code, redirect_uri
 * (the very one of the authorize request) and code_verifier; client_id as above. */
char *rc_auth_code_form (const char *code, const char *redirect_uri, const char *code_verifier,
                         const char *client_id, const char *client_secret);
char *rc_auth_revoke_form (const char *token, const char *client_id, const char *client_secret);

/* The grants the token endpoint accepts (SPEC PublicGetTokenRequest), one shape for all of them
 * so that the client runs each through the same single-flight path. Strings are borrowed. */
typedef enum {
  RC_GRANT_JWT,     /* @secret: the JWT credential (assertion) */
  RC_GRANT_REFRESH, /* @secret: the refresh token */
  RC_GRANT_CODE,    /* @secret: the authorization code; @redirect_uri, @code_verifier */
} RcGrantKind;

typedef struct {
  RcGrantKind kind;
  const char *secret;
  const char *redirect_uri;
  const char *code_verifier;
} RcGrant;

/* The grant's form body (rc_auth_jwt_form() and siblings). */
char *rc_auth_grant_form (const RcGrant *grant, const char *client_id, const char *client_secret);
/* "JWT", "refresh" or "authorization code", for debug lines (never the secret). */
const char *rc_auth_grant_name (RcGrantKind kind);

/* Token lifetimes believed (seconds): expires_in is clamped to [MIN, MAX] (a negative or 30 s
 * lifetime would otherwise mean a grant before every call, 1e300 an overflow; a token that in
 * truth dies sooner gets a 401, then one refresh), refresh_token_expires_in to at most MAX_REFRESH
 * (RingCentral's default refresh lifetime is 7 days, fact sheet §1). */
#define RC_AUTH_MIN_LIFETIME_S         300
#define RC_AUTH_MAX_LIFETIME_S         86400
#define RC_AUTH_MAX_REFRESH_LIFETIME_S (400 * 86400)

/* Parses a TokenInfo answer (through rc_json_parse(): bounded size and depth) into tokens with
 * absolute expiry times from @now (Unix seconds), lifetimes clamped as above. A missing
 * access_token or expires_in, a token that fails rc_auth_token_is_valid(), or non-JSON is
 * RC_ERROR_BAD_RESPONSE. An owner_id that fails it is dropped. */
RcTokens *rc_auth_parse_token_info (GBytes *body, gint64 now, GError **error);

G_END_DECLS
