/* rc-phone-list.h: lists of phone numbers: the participants of a group text and its name. Pure
 * logic, the one canonicaliser of group (chat) names used by protocol/ and plugin/. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Inserts @number (taken) into @numbers (char*, kept sorted by strcmp, without duplicates); a
 * duplicate is freed. */
void rc_phone_list_add (GPtrArray *numbers, char *number);

/* At most this many numbers besides the user's own in one group text (fact sheet §3 "Group
 * messaging": the official send-mms samples say "max 10 recipients"; §9 "MMS group limit"). */
#define RC_PHONE_LIST_MAX_RECIPIENTS 10

/* Parses what a user typed as the recipients of a text ("650 555 0101, +1 (650) 555-0102; ...").
 *   - Commas, semicolons and newlines always separate.
 *   - A '+' always starts a new number: "+12065550111 +13055550122" is two numbers,
 *     "+1 206 555 0111" is one.
 *   - Between those, a run that normalises as ONE number (rc_phone_normalize(): digits, spaces,
 *     dots, dashes, parentheses) is one number; otherwise spaces separate too, and then every word
 *     must be a number by itself ("650 555 0101 650 555 0102" needs a comma).
 *   - Runs of only spaces and punctuation (" ", "()", "-") are ignored.
 * National numbers are read in the country of @home_e164 (NULL = +1). @own_numbers (char* E.164,
 * may be NULL) are the user's own numbers: they are dropped, like duplicates.
 * Returns the sorted, deduplicated E.164 numbers (char*, the array frees them; not NULL-ended;
 * empty when @text holds no number), or NULL with RC_ERROR_INVALID_INPUT: rc_phone_normalize()'s
 * sentence naming the first piece that is not a number ("\"bob\" is not a phone number."), or, with
 * more than RC_PHONE_LIST_MAX_RECIPIENTS numbers left, "A group text takes at most 10 numbers
 * besides yours; this list has 12.". */
GPtrArray *rc_phone_list_parse_recipients (const char *text, const char *home_e164,
                                           GPtrArray *own_numbers, GError **error);

/* rc_phone_list_parse_recipients() without the limit and without own numbers: for names and keys
 * of lists already made (chat names, rc_phone_list_canonical()), where nothing is sent. Same
 * splitting rules, result and errors. */
GPtrArray *rc_phone_list_parse (const char *text, const char *home_e164, GError **error);

/* The canonical name of a group: its sorted, deduplicated numbers joined by ','
 * ("+16505550101,+16505550102"). @numbers are char*; newly allocated ("" when empty). */
char *rc_phone_list_name (GPtrArray *numbers);

/* The canonical name for a typed list, or NULL when @text is not a list of at least two numbers. */
char *rc_phone_list_canonical (const char *text);

G_END_DECLS
