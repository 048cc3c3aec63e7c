/* fuzz-registration.c: the texting registration answer (SmsConfigurationResource of
 * GET .../phone-number/{id}/sms-configuration), rc_registration_parse() and
 * rc_registration_apply() on a US local, a toll-free and a foreign number. */
#include "fuzz-util.h"
#include "rc-registration.h"

static const RcPhoneNumber kinds[] = {
  { .id = (char *)"1",
    .e164 = (char *)"+16505550100",
    .payment_type = (char *)"Local",
    .usage_type = (char *)"DirectNumber",
    .features = RC_FEATURE_SMS | RC_FEATURE_MMS },
  { .id = (char *)"2",
    .e164 = (char *)"+18885550100",
    .payment_type = (char *)"TollFree",
    .usage_type = (char *)"MainCompanyNumber",
    .features = RC_FEATURE_SMS },
  { .id = (char *)"3",
    .e164 = (char *)"+442079460000",
    .payment_type = (char *)"Local",
    .features = RC_FEATURE_SMS | RC_FEATURE_INTERNATIONAL },
};

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  g_autoptr (JsonNode) root = NULL;
  RcRegistration parsed;

  fuzz_init ();
  root = fuzz_parse_json (data, size);
  if (root == NULL)
    return 0;
  parsed = rc_registration_parse (root);
  FUZZ_CHECK (parsed == RC_REGISTRATION_UNKNOWN || parsed == RC_REGISTRATION_CONFIRMED
              || parsed == RC_REGISTRATION_NOT_CONFIRMED);
  for (guint i = 0; i < G_N_ELEMENTS (kinds); i++) {
    g_autoptr (RcPhoneNumber) number = rc_phone_number_copy (&kinds[i]);
    g_autofree char *line = NULL;

    rc_registration_apply (number, root);
    FUZZ_CHECK (number->registration <= RC_REGISTRATION_NOT_CONFIRMED);
    line = rc_phone_number_describe (number);
    FUZZ_CHECK (line != NULL);
    FUZZ_CHECK (g_utf8_validate (line, -1, NULL)); /* finding 2 (RESULTS.md, fixed) */
  }
  return 0;
}
