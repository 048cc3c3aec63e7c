/* rc-phone.h: phone number text: E.164 normalisation, display form, country tests. Pure logic. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* TRUE when @s is E.164: '+', a non-zero digit, 8 to 15 digits in all, nothing else. */
gboolean rc_phone_is_e164 (const char *s);

/* TRUE when @number is a short code such as "72975": 3 to 8 ASCII digits, no '+', nothing else
 * (US/Canada short codes have 5 or 6 digits, other countries' 3 to 8). Texts from short codes
 * (verification codes, alerts) arrive with such a from.phoneNumber, but they cannot be answered:
 * CreateSMSMessage takes only E.164 numbers in to[].phoneNumber (SPEC MessageStoreCallerInfoRequest
 * "Phone number in E.164 format") and RingCentral does not support short-code messaging
 * (GUIDE/messaging/sms/sms-errors, SMS-CAR-460: "we don't support Short Codes"). */
gboolean rc_phone_is_short_code (const char *number);

/* Normalises what a user typed to E.164. Spaces, dots, dashes, parentheses are ignored.
 * "+..." and "00..." are international. Otherwise the number is national in the country of
 * @sender_e164 (NULL = +1): for +1 senders 10 digits, or 11 starting with 1; for +44 senders a
 * leading 0 is dropped; for other countries only '+' forms are accepted.
 * Returns NULL with RC_ERROR_INVALID_INPUT and a sentence naming the input when it is not a number;
 * for a short code (rc_phone_is_short_code(); with a +1 sender only 5 or 6 digits, as 7 digits are
 * a local number without its area code) the sentence says RingCentral cannot text short codes. */
char *rc_phone_normalize (const char *input, const char *sender_e164, GError **error);

/* Display form: "+1 650-555-0123" for NANP, "+44 20 7946 0018"-like grouping elsewhere
 * ("+CC rest" at the least). Non-E.164 input is returned unchanged (copied). */
char *rc_phone_format (const char *e164);

/* The country calling code of an E.164 number ("1", "44", "353"), or NULL when unknown. */
char *rc_phone_calling_code (const char *e164);

/* TRUE when texting @recipient from @sender crosses a border as RingCentral counts it: a different
 * calling code, or, within +1, a recipient outside the US and Canada (Caribbean and other NANP area
 * codes, from a shipped list of US/CA area codes). */
gboolean rc_phone_is_international (const char *sender_e164, const char *recipient_e164);

G_END_DECLS
