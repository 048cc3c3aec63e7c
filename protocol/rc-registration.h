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

/* Asks about each number of @senders (RcPhoneNumber*, at most RC_REGISTRATION_MAX_NUMBERS, one
 * request at a time) and sets its registration field in place. A number whose request fails gets
 * UNKNOWN; the fetch as a whole fails only when cancelled. Each answer goes through
 * rc_registration_apply(). The task keeps @senders alive. */
void rc_registration_fetch_async (RcClient *client, GPtrArray *senders, GCancellable *cancellable,
                                  GAsyncReadyCallback callback, gpointer user_data);
gboolean rc_registration_fetch_finish (RcClient *client, GAsyncResult *result, GError **error);

G_END_DECLS
