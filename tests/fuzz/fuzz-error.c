/* fuzz-error.c: error answers (fact sheet §3, §7: {errorCode, message, errors[{errorCode, message,
 * parameterName, parameterValue}]} and OAuth {error, error_description}), rc_error_from_http() of
 * a status and body, then rc_error_get_api_code() and rc_error_describe_api_code().
 *
 * Input: two bytes of status (big-endian, folded into 100..599; bit 7 of the first byte also
 * picks the token endpoint), then the body (none when empty). */
#include <string.h>

#include "fuzz-util.h"
#include "rc-error.h"

/* rc-error.h: at most 300 characters of server text, 64 of a parameter name and 40 of its value
 * go into the sentence; the rest of it is our own words. */
#define MAX_MESSAGE_CHARS 1000

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  g_autoptr (GBytes) body = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *code = NULL;
  guint status;
  gboolean token_endpoint;

  fuzz_init ();
  if (size < 2)
    return 0;
  status = 100 + (((guint)(data[0] & 0x7f) << 8 | data[1]) % 500);
  token_endpoint = (data[0] & 0x80) != 0;
  body = size > 2 ? g_bytes_new (data + 2, size - 2) : NULL;

  error = rc_error_from_http (status, body, token_endpoint);
  FUZZ_CHECK (error != NULL && error->domain == RC_ERROR);
  FUZZ_CHECK (error->message != NULL && error->message[0] != '\0');
  FUZZ_CHECK (fuzz_text_is_clean (error->message));
  FUZZ_CHECK (g_utf8_strlen (error->message, -1) <= MAX_MESSAGE_CHARS);
  code = rc_error_get_api_code (error);
  if (code != NULL) {
    const char *words = rc_error_describe_api_code (code);

    FUZZ_CHECK (code[0] != '\0' && strlen (code) <= 40);
    for (const char *c = code; *c != '\0'; c++)
      FUZZ_CHECK (g_ascii_isalnum (*c) || *c == '-' || *c == '_');
    FUZZ_CHECK (words == NULL || g_utf8_validate (words, -1, NULL));
  }
  return 0;
}
