/* rc-contacts.h: names for phone numbers, from the user's personal contacts (address book) and
 * the company directory (fact sheet §4 "Names: personal contacts and the company directory").
 *
 * Sources (SPEC rc-public-openapi.yml):
 *   - personal: GET /restapi/v1.0/account/~/extension/~/address-book/contact (listContacts;
 *     ContactList {uri, records[PersonalContactResource], navigation, paging}; throttling group
 *     Heavy; app permission ReadContacts, whose absence gives 403 CMN-401);
 *   - directory: GET /restapi/v1.0/account/~/directory/entries (listDirectoryEntries;
 *     DirectoryResource {paging (EnumeratedPagingModel), records[ContactResource]}, no navigation;
 *     the spec puts it in group Medium, app permission ReadAccounts; the fact sheet says Heavy).
 * Both are expensive: load at sign-on, on a user's request and about daily, never per message.
 *
 * Phone fields are free-form strings ("(650) 555-0123"); they are normalised to E.164 with
 * rc_phone_normalize(), national forms in the country of rc_contacts_set_default_country()
 * (+1 by default). A number that does not parse (letters, an extension "x12") is skipped. */
#pragma once

#include <gio/gio.h>

#include "rc-client.h"

G_BEGIN_DECLS

#define RC_TYPE_CONTACTS (rc_contacts_get_type ())
G_DECLARE_FINAL_TYPE (RcContacts, rc_contacts, RC, CONTACTS, GObject)

/* Pages read from each source in one load, at most (a server that never ends its paging must not
 * keep us busy, nor use up the rate limit). */
#define RC_CONTACTS_MAX_PAGES 50
/* Numbers kept from each source, at most. */
#define RC_CONTACTS_MAX_NUMBERS 50000

/* Signals:
 *   "changed" (void): a load finished and the number → name map is not what it was before (an
 *                     entry added, removed or renamed). Strings from rc_contacts_lookup() taken
 *                     before it are gone. */

/* One per account; keeps a reference on @client. The map starts empty. */
RcContacts *rc_contacts_new (RcClient *client);

/* National numbers in contacts (no '+' or "00") are read in the country of @sender_e164, e.g. the
 * user's first texting number; NULL (the default) means +1. Applies from the next load. */
void rc_contacts_set_default_country (RcContacts *self, const char *sender_e164);

/* Fetches every page of both sources (at most 1000 records a page, at most RC_CONTACTS_MAX_PAGES
 * pages each; navigation.nextPage is followed only on the server's own origin, otherwise the next
 * page is asked for by number) and then replaces the map in one step.
 *   Names: personal contacts "First Last" (either alone when the other is missing), else
 *   nickName, else company; a companyPhone is named after the company when there is one.
 *   Directory entries "First Last", else name; shared company numbers (MainCompanyNumber,
 *   AdditionalCompanyNumber, CompanyNumber, CompanyFaxNumber) are not anybody's name.
 *   A personal contact wins over the directory for the same number; within a source, a person's
 *   own number (mobile, business, home, ...) wins over another record's companyPhone, else the
 *   first record wins.
 * One source failing (403 CMN-401 without ReadContacts, a network error, a bad answer) does not
 * fail the load: that source keeps what the previous load found, the other is replaced, and
 * rc_contacts_get_last_warning() says what went wrong. The finish fails only when both sources
 * failed (the map is then unchanged; the error is a transient one, RC_ERROR_NETWORK or
 * RC_ERROR_RATE_LIMITED, when either was, else the personal contacts' error) or when @cancellable
 * was cancelled (G_IO_ERROR_CANCELLED, map unchanged). Loads may overlap: a load that finishes
 * after a newer one has already been applied is dropped (its finish still succeeds). Emits
 * "changed" before the callback runs when the map changed. */
void rc_contacts_load_async (RcContacts *self, GCancellable *cancellable,
                             GAsyncReadyCallback callback, gpointer user_data);
gboolean rc_contacts_load_finish (RcContacts *self, GAsyncResult *result, GError **error);

/* The name for E.164 number @e164, or NULL. Borrowed: valid until the next "changed". */
const char *rc_contacts_lookup (RcContacts *self, const char *e164);

/* Calls @func for every (E.164 number, name) pair of the map, in no particular order. @func must
 * not start a load or otherwise change @self. */
void rc_contacts_foreach (RcContacts *self,
                          void (*func) (const char *e164, const char *name, gpointer user_data),
                          gpointer user_data);

/* How many numbers have a name. */
guint rc_contacts_size (RcContacts *self);

/* After a load that succeeded with one source failing: a sentence saying which source could not
 * be read and why ("Could not read your personal contacts: ... (CMN-401)"), for the debug log or
 * a notice. NULL after a load where both sources were read, and before any load. Borrowed. */
const char *rc_contacts_get_last_warning (RcContacts *self);

G_END_DECLS
