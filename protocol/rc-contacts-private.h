/* rc-contacts-private.h: RcContacts internals exposed to the unit tests only. */
#pragma once

#include <json-glib/json-glib.h>

#include "rc-contacts.h"

G_BEGIN_DECLS

typedef enum {
  RC_CONTACTS_PERSONAL = 0, /* address-book/contact: ContactList of PersonalContactResource */
  RC_CONTACTS_DIRECTORY,    /* directory/entries: DirectoryResource of ContactResource */
} RcContactsSource;

/* The name found for one number, and how strongly it belongs to it (0 = the record's own
 * number; higher = weaker, e.g. another record's companyPhone). */
typedef struct {
  char *name;
  guint rank;
} RcContactName;

/* A map for rc_contacts_parse_page(): E.164 number (char*) → RcContactName*, both owned. */
GHashTable *rc_contacts_names_new (void);

/* Reads one page of @source's answer into @names: for each record its display name and every
 * phone field (personal: homePhone, homePhone2, businessPhone, businessPhone2, mobilePhone,
 * companyPhone, assistantPhone, carPhone, otherPhone, callbackPhone, businessFax, otherFax;
 * directory: phoneNumbers[].phoneNumber, else .e164) normalised with rc_phone_normalize() in the
 * country of @default_country (an E.164 number, NULL = +1). A number already in @names keeps its
 * name unless the new one ranks better. At most RC_CONTACTS_MAX_NUMBERS numbers are kept.
 * Records that are not objects, have no name or no number that parses, or are
 * "availability": "Deleted"/"Purged", are skipped.
 * *next_page_uri (may be NULL) gets navigation.nextPage.uri or NULL; *n_records (may be NULL) the
 * length of records[].
 * A root that is not an object or without a records list: RC_ERROR_BAD_RESPONSE, @names as it was.
 */
gboolean rc_contacts_parse_page (RcContactsSource source, JsonNode *root,
                                 const char *default_country, GHashTable *names,
                                 char **next_page_uri, guint *n_records, GError **error);

G_END_DECLS
