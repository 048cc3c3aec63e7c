/* rc-phone-list.h: lists of phone numbers: the participants of a group text and its name. Pure
 * logic, the one canonicaliser of group (chat) names used by protocol/ and plugin/. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Inserts @number (taken) into @numbers (char*, kept sorted by strcmp, without duplicates); a
 * duplicate is freed. */
void rc_phone_list_add (GPtrArray *numbers, char *number);

/* Parses what a user typed as a list of numbers ("650 555 0101, +1 (650) 555-0102; ..."): commas,
 * semicolons and newlines always separate; within a piece that is not one number as a whole,
 * spaces separate too. Each number is normalised with rc_phone_normalize() (national numbers in the
 * country of @home_e164, NULL = +1). Returns the sorted, deduplicated E.164 numbers (char*, the
 * array frees them; not NULL-ended), or NULL with rc_phone_normalize()'s RC_ERROR_INVALID_INPUT
 * naming the piece that is not a number. */
GPtrArray *rc_phone_list_parse (const char *text, const char *home_e164, GError **error);

/* The canonical name of a group: its sorted, deduplicated numbers joined by ','
 * ("+16505550101,+16505550102"). @numbers are char*; newly allocated ("" when empty). */
char *rc_phone_list_name (GPtrArray *numbers);

/* The canonical name for a typed list, or NULL when @text is not a list of at least two numbers. */
char *rc_phone_list_canonical (const char *text);

G_END_DECLS
