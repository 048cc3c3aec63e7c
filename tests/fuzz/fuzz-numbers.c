/* fuzz-numbers.c: one page of GET .../extension/~/phone-number (fact sheet §2),
 * rc_numbers_parse_page(), then what the plugin does with each number (describe, filter); and the
 * same page cut into parts as rc-numbers-fetch.c reads it (rc_numbers_split_page()). */
#include "fuzz-util.h"
#include "rc-error.h"
#include "rc-json.h"
#include "rc-numbers.h"

/* The page cut into parts, each parsed on its own (rc-numbers-fetch.c): the numbers of them all,
 * or NULL when the cut or a part refuses the page. Never a crash; every failure is
 * RC_ERROR_BAD_RESPONSE. */
static GPtrArray *
split_numbers (const uint8_t *data, size_t size)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) all = NULL;
  RcNumbersSplit split;
  /* The cut's sizes vary with the input: 1-4 records first, 1-3 parts. */
  guint first = 1 + (guint)(size % 4), parts = 1 + (guint)(size % 3);

  if (!rc_numbers_split_page ((const char *)data, size, first, parts, &split, &error)) {
    FUZZ_CHECK (g_error_matches (error, RC_ERROR, RC_ERROR_BAD_RESPONSE));
    FUZZ_CHECK (split.parts == NULL && split.rest == NULL);
    return NULL;
  }
  FUZZ_CHECK (split.parts->len <= parts && split.parts->len <= split.records);
  all = g_ptr_array_new_with_free_func ((GDestroyNotify)rc_phone_number_free);
  for (guint i = 0; i < split.parts->len && all != NULL; i++) {
    gsize len = 0;
    const char *text = g_bytes_get_data (split.parts->pdata[i], &len);
    g_autoptr (JsonNode) part = rc_json_parse (text, len, NULL, &error);
    g_autoptr (GPtrArray) numbers = part != NULL ? rc_numbers_parse_records (part, &error) : NULL;

    FUZZ_CHECK_FAILURE (numbers != NULL, error);
    if (numbers == NULL) {
      FUZZ_CHECK (g_error_matches (error, RC_ERROR, RC_ERROR_BAD_RESPONSE));
      g_clear_pointer (&all, g_ptr_array_unref);
      break;
    }
    for (guint j = 0; j < numbers->len; j++)
      g_ptr_array_add (all, g_steal_pointer (&numbers->pdata[j]));
  }
  rc_numbers_split_clear (&split);
  return g_steal_pointer (&all);
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  g_autoptr (JsonNode) root = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) numbers = NULL;
  g_autoptr (GPtrArray) senders = NULL;
  g_autoptr (GPtrArray) split = NULL;
  g_autofree char *next = NULL;

  fuzz_init ();
  split = split_numbers (data, size);
  root = fuzz_parse_json (data, size);
  /* Where the cut and all its parts read the page, the whole page reads to the same numbers. */
  if (split != NULL) {
    g_autoptr (GError) whole_error = NULL;
    g_autoptr (GPtrArray) whole
        = root != NULL ? rc_numbers_parse_page (root, NULL, &whole_error) : NULL;

    FUZZ_CHECK (whole != NULL && whole->len == split->len);
    for (guint i = 0; i < whole->len; i++)
      FUZZ_CHECK (g_str_equal (((RcPhoneNumber *)whole->pdata[i])->e164,
                               ((RcPhoneNumber *)split->pdata[i])->e164));
  }
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
