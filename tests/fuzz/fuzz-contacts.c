/* fuzz-contacts.c: one page of contacts (SPEC ContactList of PersonalContactResource from
 * address-book/contact, DirectoryResource of ContactResource from directory/entries),
 * rc_contacts_parse_page() (rc-contacts-private.h), read twice into one map as consecutive pages
 * are.
 *
 * Input: one byte (bit 0: directory instead of personal; bit 1: default country +44 instead of
 * +1), then the page. */
#include "fuzz-util.h"
#include "rc-contacts-private.h"
#include "rc-error.h"
#include "rc-phone.h"

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  g_autoptr (JsonNode) root = NULL;
  g_autoptr (GHashTable) names = NULL;
  RcContactsSource source;
  const char *country;

  fuzz_init ();
  if (size < 1)
    return 0;
  source = (data[0] & 1) ? RC_CONTACTS_DIRECTORY : RC_CONTACTS_PERSONAL;
  country = (data[0] & 2) ? "+442079460000" : NULL;
  root = fuzz_parse_json (data + 1, size - 1);
  if (root == NULL)
    return 0;
  names = rc_contacts_names_new ();
  for (guint round = 0; round < 2; round++) {
    g_autoptr (GError) error = NULL;
    g_autofree char *next = NULL;
    guint n_records = 0;
    guint before = g_hash_table_size (names);
    gboolean ok = rc_contacts_parse_page (source, root, country, names, &next, &n_records, &error);
    GHashTableIter iter;
    const char *number;
    const RcContactName *name;

    FUZZ_CHECK_FAILURE (ok, error);
    if (!ok) {
      FUZZ_CHECK (g_error_matches (error, RC_ERROR, RC_ERROR_BAD_RESPONSE));
      FUZZ_CHECK (g_hash_table_size (names) == before);
      return 0;
    }
    FUZZ_CHECK (g_hash_table_size (names) <= RC_CONTACTS_MAX_NUMBERS);
    /* The same page twice adds nothing the second time. */
    if (round == 1)
      FUZZ_CHECK (g_hash_table_size (names) == before);
    g_hash_table_iter_init (&iter, names);
    while (g_hash_table_iter_next (&iter, (gpointer *)&number, (gpointer *)&name)) {
      FUZZ_CHECK (number != NULL && rc_phone_is_e164 (number));
      FUZZ_CHECK (name != NULL && name->name != NULL);
      /* Finding 2 (RESULTS.md, fixed): lone surrogate escapes gave invalid UTF-8 names. */
      FUZZ_CHECK (g_utf8_validate (name->name, -1, NULL));
    }
  }
  return 0;
}
