/* test-registration.c: reading sms-configuration answers, and how an unregistered number reads. */
#include <string.h>
#include <glib.h>

#include "rc-numbers.h"
#include "rc-registration.h"
#include "rc-test-util.h"

static RcRegistration
parse (const char *json)
{
  g_autoptr (JsonNode) root = rc_test_parse_json (json);

  return rc_registration_parse (root);
}

static void
test_parse (void)
{
  g_assert_cmpint (parse ("{\"phoneNumberId\":\"1\",\"phoneNumber\":\"+16505550100\","
                          "\"smsCampaignInfo\":{\"id\":\"C1\",\"status\":\"Confirmed\"},"
                          "\"smsBrandInfo\":{\"id\":\"B1\",\"status\":\"Confirmed\"}}"),
                   ==, RC_REGISTRATION_CONFIRMED);
  g_assert_cmpint (parse ("{\"smsCampaignInfo\":{\"status\":\"Submitted\"}}"), ==,
                   RC_REGISTRATION_NOT_CONFIRMED);
  g_assert_cmpint (parse ("{\"smsCampaignInfo\":{\"status\":\"CampaignSuspended\"}}"), ==,
                   RC_REGISTRATION_NOT_CONFIRMED);
  /* No campaign information, or shapes we cannot read: unknown, never a false alarm. */
  g_assert_cmpint (parse ("{\"phoneNumberId\":\"1\",\"phoneNumber\":\"+18885550100\"}"), ==,
                   RC_REGISTRATION_UNKNOWN);
  g_assert_cmpint (parse ("{\"smsCampaignInfo\":null}"), ==, RC_REGISTRATION_UNKNOWN);
  g_assert_cmpint (parse ("{\"smsCampaignInfo\":{\"status\":7}}"), ==, RC_REGISTRATION_UNKNOWN);
  g_assert_cmpint (parse ("{\"smsCampaignInfo\":\"Confirmed\"}"), ==, RC_REGISTRATION_UNKNOWN);
  g_assert_cmpint (parse ("[1,2]"), ==, RC_REGISTRATION_UNKNOWN);
  g_assert_cmpint (rc_registration_parse (NULL), ==, RC_REGISTRATION_UNKNOWN);
}

static void
test_describe (void)
{
  RcPhoneNumber n = { .id = (char *)"1",
                      .e164 = (char *)"+16505550102",
                      .usage_type = (char *)"DirectNumber",
                      .features = RC_FEATURE_SMS };
  g_autofree char *plain = rc_phone_number_describe (&n);
  g_autofree char *marked = NULL;
  g_autoptr (RcPhoneNumber) copy = NULL;

  g_assert_null (strstr (plain, "not registered"));
  n.registration = RC_REGISTRATION_NOT_CONFIRMED;
  marked = rc_phone_number_describe (&n);
  g_assert_cmpstr (marked, ==, "+1 650-555-0102 (Direct) — SMS (not registered for texting)");
  copy = rc_phone_number_copy (&n);
  g_assert_cmpint (copy->registration, ==, RC_REGISTRATION_NOT_CONFIRMED);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/registration/parse", test_parse);
  g_test_add_func ("/registration/describe", test_describe);
  return g_test_run ();
}
