/* rc-error.h: the RC_ERROR domain and the mapping of HTTP/RingCentral errors onto it. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define RC_ERROR (rc_error_quark ())

/* Codes say what the caller should do, not what the server said. */
typedef enum {
  RC_ERROR_AUTH_FAILED = 1,  /* credentials refused: do not retry, ask the user */
  RC_ERROR_TOKEN_EXPIRED,    /* 401 on an API call: refresh once, retry once */
  RC_ERROR_RATE_LIMITED,     /* 429 that outlived our own waiting */
  RC_ERROR_NETWORK,          /* connection failure, timeout, 5xx: transient */
  RC_ERROR_BAD_RESPONSE,     /* the server answered something we cannot parse */
  RC_ERROR_NOT_PERMITTED,    /* 403: feature, permission or number not allowed */
  RC_ERROR_INVALID_INPUT,    /* 400/415/422: our request was refused as invalid */
  RC_ERROR_NOT_FOUND,        /* 404 */
  RC_ERROR_INVALID_SETTINGS, /* bad server URL, missing client id, ... */
  RC_ERROR_SYNC_RESET,       /* MSG-333: a full message sync is needed */
} RcErrorCode;

GQuark rc_error_quark (void);

/* Builds the error for a non-2xx answer. @body may be NULL or not JSON. The message is a sentence a
 * user can read; when the server sent a RingCentral errorCode (errors[0].errorCode, else errorCode,
 * else OAuth "error"; at most 40 letters, digits, '-' or '_') it ends with " (CODE)" so that
 * rc_error_get_api_code() finds it. When errors[0].parameterName is present the sentence names the
 * parameter in words ("RingCentral refused the text as invalid. (CMN-101)"; a name we do not know is
 * quoted as sent), with errors[0].parameterValue where it helps, never for a parameter named like a
 * token, assertion, secret, password or authorization (ringcentral-api.md §3, §7). Server text that
 * reaches the message is made valid UTF-8 without control characters and cut to 300 characters
 * ending in "…" (a parameter's name to 64, its value to 40).
 * @token_endpoint: TRUE for /restapi/oauth/token, where 400/401 mean the credentials are bad. */
GError *rc_error_from_http (guint status, GBytes *body, gboolean token_endpoint);

/* The RingCentral errorCode an error from rc_error_from_http() carries ("MSG-242"), or NULL.
 * Returned string is newly allocated. */
char *rc_error_get_api_code (const GError *error);

/* A sentence that explains a RingCentral errorCode (MSG-242, SMS-CAR-413, CMN-301...), or NULL when
 * the code is not known. */
const char *rc_error_describe_api_code (const char *api_code);

/* Secrets the server may echo (the current access and refresh tokens, the JWT, the client secret;
 * ringcentral-api.md §1): every server text rc_error_from_http() puts into a message has each
 * registered secret (and its percent-encoded form) replaced by "[hidden]" before it is cut to its
 * length, and an errorCode that contains one is dropped. On top of that, any unbroken run of
 * RC_ERROR_OPAQUE_RUN or more token characters (letters, digits, "+/=_.-" with at least one digit)
 * is hidden too: a prefix of a token, or a secret not registered here, never reaches a message.
 * The list is process-wide (one plugin, several accounts: hiding another account's secret is
 * harmless) and thread-safe; registrations are counted: each rc_error_add_secret() is undone by
 * one rc_error_remove_secret() with an equal string. Strings shorter than RC_ERROR_MIN_SECRET
 * bytes, NULL or empty are ignored by both (they would hide ordinary words). */
#define RC_ERROR_MIN_SECRET 8
#define RC_ERROR_OPAQUE_RUN 40
void rc_error_add_secret (const char *secret);
void rc_error_remove_secret (const char *secret);

/* @text (UTF-8 or not; NULL gives NULL) with every registered secret and opaque run hidden as
 * described above. Only the first @max_bytes bytes are looked at (-1: all); the result is newly
 * allocated. Use it for any server text that is logged or shown outside rc_error_from_http(). */
char *rc_error_redact (const char *text, gssize max_bytes);

G_END_DECLS
