/* test-delivery.c: every delivery error code of the fact sheet in words, with the code. */
#include <string.h>
#include <glib.h>

#include "rc-delivery.h"

typedef struct {
  const char *code;
  const char *words; /* a phrase the sentence must contain */
} Expect;

/* ringcentral-api.md §3 "Delivery failures", §9, §3 sending (432/434), and the guide's table. */
static const Expect expected[] = {
  { "SMS-RC-403", "limit" },
  { "SMS-RC-410", "landline" },
  { "SMS-UP-410", "landline" },
  { "SMS-CAR-411", "landline" },
  { "SMS-RC-413", "opted out" },
  { "SMS-UP-413", "opted out" },
  { "SMS-CAR-413", "opted out" },
  { "SMS-RC-430", "spam" },
  { "SMS-UP-430", "spam" },
  { "SMS-CAR-430", "spam" },
  { "SMS-UP-414", "not set up" },
  { "SMS-CAR-414", "not set up" },
  { "SMS-UP-431", "flagged" },
  { "SMS-CAR-435", "shortened links" },
  { "SMS-CAR-450", "10DLC" },
  { "SMS-CAR-451", "10DLC" },
  { "SMS-CAR-452", "10DLC" },
  { "SMS-CAR-461", "toll-free" },
  { "SMS-CAR-104", "not reported" },
  { "SMS-CAR-199", "unknown status" },
  { "SMS-UP-432", "too long" },
  { "SMS-CAR-432", "160" },
  { "SMS-CAR-434", "too large" },
  { "SMS-RC-500", "internal" },
  { "SMS-RC-501", "faulty" },
  { "SMS-RC-503", "set up wrongly" },
  { "SMS-RC-504", "provider" },
  { "SMS-UP-433", "as written" },
  { "SMS-UP-500", "gateway" },
  { "SMS-CAR-400", "does not support" },
  { "SMS-CAR-410", "expired" },
  { "SMS-CAR-412", "unavailable" },
  { "SMS-CAR-431", "without giving a reason" },
  { "SMS-CAR-433", "could not read" },
  { "SMS-CAR-460", "short-code" },
  { "SMS-CAR-500", "general failure" },
};

static void
test_every_code (void)
{
  for (gsize i = 0; i < G_N_ELEMENTS (expected); i++) {
    g_autofree char *s = rc_delivery_describe (expected[i].code, "DeliveryFailed");
    g_autofree char *tail = g_strdup_printf (" (%s).", expected[i].code);

    g_test_message ("%s → %s", expected[i].code, s);
    g_assert_nonnull (strstr (s, expected[i].words));
    g_assert_true (g_str_has_suffix (s, tail));
    g_assert_true (g_ascii_isupper (s[0]));
    /* A known code never falls back to the generic prefix sentences. */
    g_assert_null (strstr (s, "refused the text (SMS-"));
    g_assert_null (strstr (s, "could not pass the text on"));
  }
}

static void
test_opt_out_sentence (void)
{
  g_autofree char *s = rc_delivery_describe ("SMS-CAR-413", "DeliveryFailed");

  g_assert_cmpstr (s, ==,
                   "The recipient has opted out of texts from this number (they replied STOP); "
                   "they must text START to receive again (SMS-CAR-413).");
}

static void
test_unknown_by_prefix (void)
{
  g_autofree char *car = rc_delivery_describe ("SMS-CAR-999", "DeliveryFailed");
  g_autofree char *up = rc_delivery_describe ("SMS-UP-777", "SendingFailed");
  g_autofree char *rc = rc_delivery_describe ("SMS-RC-123", NULL);
  g_autofree char *other = rc_delivery_describe ("XYZ-1", "DeliveryFailed");
  g_autofree char *lower = rc_delivery_describe (" sms-car-413 ", "DeliveryFailed");

  g_assert_cmpstr (car, ==, "The recipient's carrier refused the text (SMS-CAR-999).");
  g_assert_cmpstr (up, ==,
                   "RingCentral's texting gateway could not pass the text on (SMS-UP-777).");
  g_assert_cmpstr (rc, ==, "RingCentral could not send the text (SMS-RC-123).");
  g_assert_cmpstr (other, ==, "The text was not delivered (XYZ-1).");
  /* Case and blanks do not hide a known code; the canonical spelling is shown. */
  g_assert_true (g_str_has_suffix (lower, "(SMS-CAR-413)."));
  g_assert_nonnull (strstr (lower, "opted out"));
}

static void
test_no_code (void)
{
  g_autofree char *sending = rc_delivery_describe (NULL, "SendingFailed");
  g_autofree char *delivery = rc_delivery_describe (NULL, "DeliveryFailed");
  g_autofree char *empty = rc_delivery_describe ("", "SendingFailed");
  g_autofree char *nothing = rc_delivery_describe (NULL, NULL);

  g_assert_cmpstr (sending, ==, "The text could not be sent.");
  g_assert_cmpstr (delivery, ==, "The text was not delivered.");
  g_assert_cmpstr (empty, ==, "The text could not be sent.");
  g_assert_cmpstr (nothing, ==, "The text was not delivered.");
}

static void
test_is_failure (void)
{
  g_assert_true (rc_delivery_is_failure ("DeliveryFailed"));
  g_assert_true (rc_delivery_is_failure ("SendingFailed"));
  g_assert_false (rc_delivery_is_failure ("Delivered"));
  g_assert_false (rc_delivery_is_failure ("Queued"));
  g_assert_false (rc_delivery_is_failure ("Sent"));
  g_assert_false (rc_delivery_is_failure ("Received"));
  g_assert_false (rc_delivery_is_failure (NULL));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/delivery/every-code", test_every_code);
  g_test_add_func ("/delivery/opt-out-sentence", test_opt_out_sentence);
  g_test_add_func ("/delivery/unknown-by-prefix", test_unknown_by_prefix);
  g_test_add_func ("/delivery/no-code", test_no_code);
  g_test_add_func ("/delivery/is-failure", test_is_failure);
  return g_test_run ();
}
