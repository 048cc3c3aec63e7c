/* rc-delivery.c: delivery failure codes in words (ringcentral-api.md §3, §9; GUIDE sms-errors). */
#include "rc-delivery.h"

#include <glib/gi18n-lib.h>
#include <string.h>

typedef struct {
  const char *code;
  const char *text; /* a sentence without its final full stop; the code follows in parentheses */
} RcDeliveryText;

/* Every code of GUIDE/messaging/sms/sms-errors (fact sheet §3 "Delivery failures" and §9 list the
 * ones met most). Remedies follow the guide's "Remedy" column, said for the person texting. */
static const RcDeliveryText delivery_texts[] = {
  /* RingCentral's messaging service */
  { "SMS-RC-403",
    N_ ("RingCentral refused the text: the account's daily or monthly texting limit is used up; "
        "ask your RingCentral admin") },
  { "SMS-RC-410",
    N_ ("RingCentral cannot text this number: it is not a valid mobile number, or it is a "
        "landline") },
  { "SMS-RC-413",
    N_ ("The recipient has opted out of texts from this number (they replied STOP); they must "
        "text START to receive again") },
  { "SMS-RC-430",
    N_ ("RingCentral's spam filter blocked the text; change the wording (see RingCentral's "
        "content policies) and send again") },
  { "SMS-RC-500", N_ ("RingCentral had an internal problem sending the text") },
  { "SMS-RC-501", N_ ("RingCentral made a faulty request to its upstream gateway") },
  { "SMS-RC-503",
    N_ ("This number is set up wrongly for texting at RingCentral; contact RingCentral support") },
  { "SMS-RC-504",
    N_ ("The account's texting provider is set up wrongly; ask your RingCentral admin") },
  /* RingCentral's upstream gateway */
  { "SMS-UP-410",
    N_ ("The number cannot receive texts: it is invalid, unallocated, or a landline") },
  { "SMS-UP-413",
    N_ ("The recipient has opted out of texts from this number (they replied STOP); they must "
        "text START to receive again") },
  { "SMS-UP-414",
    N_ ("Your number is not set up to send texts (its 10DLC campaign registration is missing or "
        "not approved); ask your RingCentral admin") },
  { "SMS-UP-430", N_ ("The text was blocked as possible spam; change the wording and send again") },
  { "SMS-UP-431",
    N_ ("Your number has been flagged for possible spam and can no longer send texts; ask your "
        "RingCentral admin") },
  { "SMS-UP-432", N_ ("The text is too long: a text takes at most 1000 characters") },
  { "SMS-UP-433", N_ ("The text could not be delivered as written; revise it and send again") },
  { "SMS-UP-500", N_ ("RingCentral's texting gateway failed; try again later") },
  /* the recipient's carrier */
  { "SMS-CAR-104",
    N_ ("The recipient's carrier has not reported whether the text arrived; it may still be "
        "delivered") },
  { "SMS-CAR-199",
    N_ ("The recipient's carrier reported an unknown status; the text may have arrived") },
  { "SMS-CAR-400",
    N_ ("The recipient's carrier does not support texts to this number; call them instead") },
  { "SMS-CAR-410",
    N_ ("The text expired before it reached the recipient's carrier; try again later") },
  { "SMS-CAR-411",
    N_ ("The number cannot receive texts: it is invalid, unallocated, or a landline") },
  { "SMS-CAR-412", N_ ("The recipient's phone is unavailable to the carrier; check the number") },
  { "SMS-CAR-413",
    N_ ("The recipient has opted out of texts from this number (they replied STOP); they must "
        "text START to receive again") },
  { "SMS-CAR-414",
    N_ ("Your number is not set up to send texts (its 10DLC campaign registration is missing or "
        "not approved); ask your RingCentral admin") },
  { "SMS-CAR-430",
    N_ ("The recipient's carrier filtered the text as spam, or its content does not match your "
        "number's registered texting campaign") },
  { "SMS-CAR-431", N_ ("The recipient's carrier rejected the text without giving a reason") },
  { "SMS-CAR-432",
    N_ ("The text is too long for the recipient's carrier; keep it under 160 characters") },
  { "SMS-CAR-433",
    N_ ("The recipient's carrier could not read the text; revise it and send again") },
  { "SMS-CAR-434", N_ ("The attachment is too large for the recipient's carrier") },
  { "SMS-CAR-435",
    N_ ("The recipient's carrier rejects texts with shortened links (bit.ly and the like); use a "
        "full link on your own domain") },
  { "SMS-CAR-450",
    N_ ("T-Mobile refused the text: your 10DLC brand's daily texting cap was reached") },
  { "SMS-CAR-451",
    N_ ("AT&T refused the text: your 10DLC campaign's daily texting cap was reached") },
  { "SMS-CAR-452", N_ ("The carriers refused the text: your 10DLC texting cap was reached") },
  { "SMS-CAR-460",
    N_ ("The recipient's carrier rejected short-code texting, which RingCentral does not use") },
  { "SMS-CAR-461",
    N_ ("The carriers blocked the text because your toll-free number is not verified for "
        "texting; ask your RingCentral admin to verify it") },
  { "SMS-CAR-500", N_ ("The recipient's carrier reported a general failure; try again later") },
};

gboolean
rc_delivery_is_failure (const char *message_status)
{
  return g_strcmp0 (message_status, "DeliveryFailed") == 0
         || g_strcmp0 (message_status, "SendingFailed") == 0;
}

/* The sentence for a code no table entry has, by who reported it. */
static const char *
describe_prefix (const char *code)
{
  if (g_ascii_strncasecmp (code, "SMS-CAR-", 8) == 0)
    return _ ("The recipient's carrier refused the text");
  if (g_ascii_strncasecmp (code, "SMS-UP-", 7) == 0)
    return _ ("RingCentral's texting gateway could not pass the text on");
  if (g_ascii_strncasecmp (code, "SMS-RC-", 7) == 0)
    return _ ("RingCentral could not send the text");
  return _ ("The text was not delivered");
}

char *
rc_delivery_describe (const char *delivery_error_code, const char *message_status)
{
  g_autofree char *code = NULL;

  if (delivery_error_code != NULL)
    code = g_strstrip (g_strdup (delivery_error_code));
  if (code == NULL || code[0] == '\0') {
    if (g_strcmp0 (message_status, "SendingFailed") == 0)
      return g_strdup (_ ("The text could not be sent."));
    return g_strdup (_ ("The text was not delivered."));
  }
  for (gsize i = 0; i < G_N_ELEMENTS (delivery_texts); i++)
    if (g_ascii_strcasecmp (code, delivery_texts[i].code) == 0)
      return g_strdup_printf ("%s (%s).", _ (delivery_texts[i].text), delivery_texts[i].code);
  return g_strdup_printf ("%s (%s).", describe_prefix (code), code);
}
