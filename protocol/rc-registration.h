/* rc-registration.h: whether each texting number is registered for texting (10DLC campaign),
 * from GET .../phone-number/{id}/sms-configuration. Optional: any failure just leaves UNKNOWN. */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "rc-client.h"
#include "rc-numbers.h"

G_BEGIN_DECLS

/* At most this many numbers are asked about in one fetch (the endpoint is one request a number). */
#define RC_REGISTRATION_MAX_NUMBERS 25

/* Reads an SmsConfigurationResource: smsCampaignInfo.status "Confirmed" → CONFIRMED, another
 * status → NOT_CONFIRMED, no campaign information (or not an object) → UNKNOWN. */
RcRegistration rc_registration_parse (JsonNode *root);

/* Sets @number's registration and campaign_status from its SmsConfigurationResource (@root NULL:
 * no answer → UNKNOWN). An answer without smsCampaignInfo means the number is not linked to a
 * campaign: NOT_CONFIRMED for a US/Canada local number (paymentType Local, domestic +1 area), which
 * needs one (10DLC); UNKNOWN for the others (toll-free numbers are verified another way). */
void rc_registration_apply (RcPhoneNumber *number, JsonNode *root);

/* Requests in flight at once (after the first answer; until then one, so that a 401 or 429 on
 * every number costs one refresh, not one per number). */
#define RC_REGISTRATION_CONCURRENCY 4

/* Asks about the first RC_REGISTRATION_MAX_NUMBERS numbers of @senders (RcPhoneNumber*; up to
 * RC_REGISTRATION_CONCURRENCY requests at a time) and sets each one's registration field in place
 * (rc_registration_apply()). A number whose request fails gets UNKNOWN; after an error that every
 * other request would repeat (RC_ERROR_TOKEN_EXPIRED, AUTH_FAILED, RATE_LIMITED,
 * INVALID_SETTINGS) the remaining numbers are not asked about (they stay UNKNOWN). The fetch as a
 * whole fails only when cancelled (G_IO_ERROR_CANCELLED, once nothing runs any more). The task
 * keeps @senders alive. */
void rc_registration_fetch_async (RcClient *client, GPtrArray *senders, GCancellable *cancellable,
                                  GAsyncReadyCallback callback, gpointer user_data);
gboolean rc_registration_fetch_finish (RcClient *client, GAsyncResult *result, GError **error);
/* The same, returning the ids (char*) of the numbers that got an answer (those worth
 * remembering: rc-sender-list.h), or NULL on failure. Full reference. */
GPtrArray *rc_registration_fetch_finish_checked (RcClient *client, GAsyncResult *result,
                                                 GError **error);

G_END_DECLS
