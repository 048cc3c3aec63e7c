/* fuzz-numbers.c: one page of GET .../extension/~/phone-number (fact sheet §2),
 * rc_numbers_parse_page(), then what the plugin does with each number (describe, filter). */
#include "fuzz-util.h"
#include "rc-error.h"
#include "rc-numbers.h"

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  g_autoptr (JsonNode) root = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) numbers = NULL;
  g_autoptr (GPtrArray) senders = NULL;
  g_autofree char *next = NULL;

  fuzz_init ();
  root = fuzz_parse_json (data, size);
  if (root == NULL)
    return 0;
  numbers = rc_numbers_parse_page (root, &next, &error);
  FUZZ_CHECK_FAILURE (numbers != NULL, error);
  if (numbers == NULL) {
    FUZZ_CHECK (g_error_matches (error, RC_ERROR, RC_ERROR_BAD_RESPONSE));
    FUZZ_CHECK (next == NULL);
    return 0;
  }
  for (guint i = 0; i < numbers->len; i++) {
    const RcPhoneNumber *n = g_ptr_array_index (numbers, i);
    g_autoptr (RcPhoneNumber) copy = rc_phone_number_copy (n);
    g_autofree char *role = rc_phone_number_role (n);
    g_autofree char *caps = rc_phone_number_capabilities (n);
    g_autofree char *line = rc_phone_number_describe (n);

    /* rc-numbers.h: every number returned has an id and a valid E.164 phoneNumber. */
    FUZZ_CHECK (n->e164 != NULL && n->e164[0] == '+');
    FUZZ_CHECK (g_strcmp0 (copy->e164, n->e164) == 0);
    FUZZ_CHECK (role != NULL && caps != NULL && line != NULL);
    /* Finding 2 (RESULTS.md, fixed): a label with a lone surrogate escape was invalid UTF-8. */
    FUZZ_CHECK (g_utf8_validate (line, -1, NULL));
  }
  senders = rc_numbers_filter_senders (numbers);
  FUZZ_CHECK (senders != NULL && senders->len <= numbers->len);
  for (guint i = 0; i < senders->len; i++)
    FUZZ_CHECK (rc_phone_number_can_text (g_ptr_array_index (senders, i)));
  return 0;
}
