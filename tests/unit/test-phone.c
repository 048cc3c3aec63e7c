/* test-phone.c: E.164 check, normalisation, display form, calling codes, the international gate. */
#include <string.h>
#include <glib.h>

#include "rc-error.h"
#include "rc-nanp-areas.h"
#include "rc-phone.h"

static void
test_e164 (void)
{
  g_assert_true (rc_phone_is_e164 ("+16505550123"));
  g_assert_true (rc_phone_is_e164 ("+442079460018"));
  g_assert_true (rc_phone_is_e164 ("+12345678"));        /* 8 digits */
  g_assert_true (rc_phone_is_e164 ("+123456789012345")); /* 15 digits */
  g_assert_false (rc_phone_is_e164 ("+1234567"));
  g_assert_false (rc_phone_is_e164 ("+1234567890123456"));
  g_assert_false (rc_phone_is_e164 ("16505550123"));
  g_assert_false (rc_phone_is_e164 ("+06505550123"));
  g_assert_false (rc_phone_is_e164 ("+1657390XXXX"));
  g_assert_false (rc_phone_is_e164 ("+1 650 555 0123"));
  g_assert_false (rc_phone_is_e164 (""));
  g_assert_false (rc_phone_is_e164 ("+"));
  g_assert_false (rc_phone_is_e164 (NULL));
}

typedef struct {
  const char *input;
  const char *sender;
  const char *expected; /* NULL = refused */
} NormalizeCase;

static const NormalizeCase normalize_cases[] = {
  { "(650) 555-0123", NULL, "+16505550123" },
  { "650-555-0123", "+16505550100", "+16505550123" },
  { "650.555.0123", "+16505550100", "+16505550123" },
  { "1 650 555 0123", "+16505550100", "+16505550123" },
  { "+1 650 555 0123", "+16505550100", "+16505550123" },
  { "+16505550123", "+442079460000", "+16505550123" },
  { "00 44 20 7946 0018", "+16505550100", "+442079460018" },
  { "011 44 20 7946 0018", "+16505550100", "+442079460018" },
  { "020 7946 0018", "+442079460000", "+442079460018" },
  { "07700 900123", "+442079460000", "+447700900123" },
  { "+49 30 1234567", "+4930111111", "+49301234567" },
  { "030 1234567", "+4930111111", NULL }, /* national forms only for +1 and +44 */
  { "020 7946 0018", "+16505550100", NULL },
  { "555-0123", "+16505550100", NULL },
  { "650 555 012", NULL, NULL },
  { "hello", NULL, NULL },
  { "650-555-0123x12", NULL, NULL },
  { "+1 (650) 555+0123", NULL, NULL },
  { "+1657390XXXX", NULL, NULL },
  { "", NULL, NULL },
  { "+", NULL, NULL },
  { "0650 555 0123", "+16505550100", NULL },
};

static void
test_normalize (void)
{
  for (gsize i = 0; i < G_N_ELEMENTS (normalize_cases); i++) {
    const NormalizeCase *c = &normalize_cases[i];
    g_autoptr (GError) error = NULL;
    g_autofree char *got = rc_phone_normalize (c->input, c->sender, &error);

    g_test_message ("normalize \"%s\" (sender %s)", c->input, c->sender ? c->sender : "NULL");
    g_assert_cmpstr (got, ==, c->expected);
    if (c->expected == NULL) {
      g_assert_error (error, RC_ERROR, RC_ERROR_INVALID_INPUT);
      g_assert_nonnull (strstr (error->message, c->input));
    } else
      g_assert_no_error (error);
  }
}

static void
test_format (void)
{
  static const char *const cases[][2] = {
    { "+16505550123", "+1 650-555-0123" },   { "+18883495556", "+1 888-349-5556" },
    { "+442079460018", "+44 20 7946 0018" }, { "+447700900123", "+44 7700 900123" },
    { "+441214960000", "+44 121 496 0000" }, { "+4930123456", "+49 301 234 56" },
    { "+353861234567", "+353 861 234 567" }, { "+33123456789", "+33 123 456 789" },
    { "not a number", "not a number" },      { "+1657390XXXX", "+1657390XXXX" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++) {
    g_autofree char *got = rc_phone_format (cases[i][0]);

    g_assert_cmpstr (got, ==, cases[i][1]);
  }
  g_assert_null (rc_phone_format (NULL));
}

static void
test_calling_code (void)
{
  static const char *const cases[][2] = {
    { "+16505550123", "1" },    { "+74951234567", "7" },   { "+442079460018", "44" },
    { "+353861234567", "353" }, { "+4930123456", "49" },   { "+8613812345678", "86" },
    { "+85221234567", "852" },  { "+97142345678", "971" }, { "+2348012345678", "234" },
    { "+5511912345678", "55" }, { "+59899123456", "598" }, { "+28012345678", NULL },
    { "bogus", NULL },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++) {
    g_autofree char *got = rc_phone_calling_code (cases[i][0]);

    g_assert_cmpstr (got, ==, cases[i][1]);
  }
}

static void
test_nanp_list (void)
{
  /* US states, DC, Canada, toll-free and territories are domestic. */
  static const guint domestic[]
      = { 201, 202, 212, 213, 305, 403, 416, 514, 604, 650, 907, 808, 867, 800, 833, 844,
          855, 866, 877, 888, 787, 939, 340, 670, 671, 684, 945, 989, 204, 709, 902 };
  /* Independent Caribbean/Atlantic NANP members are not. */
  static const guint abroad[] = { 242, 246, 264, 268, 284, 345, 441, 473, 649, 658, 664, 721,
                                  758, 767, 784, 809, 829, 849, 868, 869, 876, 555, 199, 1000 };

  for (gsize i = 0; i < G_N_ELEMENTS (domestic); i++) {
    g_test_message ("area %u", domestic[i]);
    g_assert_true (rc_nanp_area_is_domestic (domestic[i]));
  }
  for (gsize i = 0; i < G_N_ELEMENTS (abroad); i++) {
    g_test_message ("area %u", abroad[i]);
    g_assert_false (rc_nanp_area_is_domestic (abroad[i]));
  }
}

static void
test_international (void)
{
  g_assert_false (rc_phone_is_international ("+16505550100", "+14155550100"));
  g_assert_false (rc_phone_is_international ("+16505550100", "+14165550100")); /* Toronto */
  g_assert_false (rc_phone_is_international ("+14035550100", "+16505550100")); /* CA → US */
  g_assert_false (rc_phone_is_international ("+16505550100", "+17875550100")); /* Puerto Rico */
  g_assert_false (rc_phone_is_international ("+16505550100", "+18005550100"));
  g_assert_true (rc_phone_is_international ("+16505550100", "+18765550100")); /* Jamaica */
  g_assert_true (rc_phone_is_international ("+16505550100", "+18095550100")); /* Dominican Rep. */
  g_assert_true (rc_phone_is_international ("+16505550100", "+14415550100")); /* Bermuda */
  g_assert_true (rc_phone_is_international ("+16505550100", "+12425550100")); /* Bahamas */
  g_assert_true (rc_phone_is_international ("+16505550100", "+442079460018"));
  g_assert_true (rc_phone_is_international ("+442079460000", "+16505550100"));
  g_assert_false (rc_phone_is_international ("+442079460000", "+447700900123"));
  g_assert_true (rc_phone_is_international ("+16505550100", "not a number"));
}

static void
test_short_code (void)
{
  static const struct {
    const char *input, *sender;
  } refused[] = {
    { "72975", NULL }, /* a US verification-code short code */
    { "72975", "+16505550100" },
    { "898 287", "+16505550100" },
    { "61234", "+442079460000" }, /* UK short codes: 5 digits */
    { "123", "+4930111111" },
    { "12345678", "+4930111111" },
  };

  g_assert_true (rc_phone_is_short_code ("72975"));
  g_assert_true (rc_phone_is_short_code ("123"));
  g_assert_true (rc_phone_is_short_code ("12345678"));
  g_assert_false (rc_phone_is_short_code ("12"));
  g_assert_false (rc_phone_is_short_code ("123456789"));
  g_assert_false (rc_phone_is_short_code ("+72975"));
  g_assert_false (rc_phone_is_short_code ("72-975"));
  g_assert_false (rc_phone_is_short_code ("+16505550100"));
  g_assert_false (rc_phone_is_short_code (""));
  g_assert_false (rc_phone_is_short_code (NULL));

  for (gsize i = 0; i < G_N_ELEMENTS (refused); i++) {
    g_autoptr (GError) error = NULL;
    g_autofree char *got = rc_phone_normalize (refused[i].input, refused[i].sender, &error);

    g_test_message ("short code \"%s\"", refused[i].input);
    g_assert_null (got);
    g_assert_error (error, RC_ERROR, RC_ERROR_INVALID_INPUT);
    g_assert_nonnull (strstr (error->message, refused[i].input));
    g_assert_nonnull (strstr (error->message, "is a short code"));
    g_assert_nonnull (strstr (error->message, "RingCentral texts only full phone numbers"));
  }
  /* Not short codes: a +1 local number without its area code, a UK trunk-prefixed number. */
  {
    g_autoptr (GError) error = NULL;
    g_autofree char *got = rc_phone_normalize ("5550123", "+16505550100", &error);

    g_assert_null (got);
    g_assert_null (strstr (error->message, "short code"));
  }
  {
    g_autoptr (GError) error = NULL;
    g_autofree char *got = rc_phone_normalize ("0123456", "+442079460000", &error);

    g_assert_null (strstr (error ? error->message : "", "short code"));
  }
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/phone/e164", test_e164);
  g_test_add_func ("/phone/normalize", test_normalize);
  g_test_add_func ("/phone/format", test_format);
  g_test_add_func ("/phone/calling-code", test_calling_code);
  g_test_add_func ("/phone/nanp-list", test_nanp_list);
  g_test_add_func ("/phone/international", test_international);
  g_test_add_func ("/phone/short-code", test_short_code);
  return g_test_run ();
}
