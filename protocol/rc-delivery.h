/* rc-delivery.h: what a failed text's status and deliveryErrorCode mean, in words.
 *
 * A 200 answer to a send only means the text was queued: the record later turns Delivered,
 * DeliveryFailed or SendingFailed, the failures with a deliveryErrorCode (ringcentral-api.md §3
 * "Delivery failures", §9 TCR/10DLC and opt-out; GUIDE/messaging/sms/sms-errors, whose full table
 * this module covers). Codes are SMS-RC-NNN (RingCentral), SMS-UP-NNN (the upstream gateway) and
 * SMS-CAR-NNN (the recipient's carrier). Pure logic, no I/O. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* A sentence that says why a text failed, ending with the code in parentheses and a full stop,
 * e.g. "The recipient has opted out of texts from this number (they replied STOP); they must text
 * START to receive again (SMS-CAR-413)." Unknown codes are described by their prefix (carrier,
 * upstream gateway, RingCentral); a NULL or empty @delivery_error_code gives "The text could not
 * be sent." for SendingFailed and "The text was not delivered." otherwise. The sentence does not
 * name the recipient (the caller prefixes "Not delivered to +1 415-555-0100: "). Translated
 * (gettext). @message_status may be NULL. Returns a newly allocated string; never NULL. */
char *rc_delivery_describe (const char *delivery_error_code, const char *message_status);

/* TRUE for the final failure states of an outbound record: "DeliveryFailed" and
 * "SendingFailed" (SPEC MessageStatusEnum). FALSE for NULL and everything else. */
gboolean rc_delivery_is_failure (const char *message_status);

G_END_DECLS
