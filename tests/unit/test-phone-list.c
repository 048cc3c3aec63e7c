/* test-phone-list.c: lists of phone numbers: parsing what users type, canonical group names. */
#include <string.h>
#include <glib.h>

#include "rc-error.h"
#include "rc-phone-list.h"

/* @numbers joined by ',' (a NULL list reads as "(null)"). */
static char *
joined (GPtrArray *numbers)
{
  return numbers != NULL ? rc_phone_list_name (numbers) : g_strdup ("(null)");
}

static void
check_parse (const char *text, const char *home, const char *expected)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) numbers = rc_phone_list_parse (text, home, &error);
  g_autofree char *got = joined (numbers);

  g_test_message ("parse \"%s\" (home %s)", text, home != NULL ? home : "NULL");
  g_assert_no_error (error);
  g_assert_nonnull (numbers);
  g_assert_cmpstr (got, ==, expected);
}

static void
test_parse_separators (void)
{
  check_parse ("+16505550102, +16505550101", NULL, "+16505550101,+16505550102");
  check_parse ("+16505550102;+16505550101", NULL, "+16505550101,+16505550102");
  check_parse ("+16505550102\n+16505550101\n", NULL, "+16505550101,+16505550102");
  check_parse ("6505550103,+16505550101;650.555.0102\n", NULL,
               "+16505550101,+16505550102,+16505550103");
  /* Empty pieces and surrounding blanks are ignored. */
  check_parse (" , ;\n,,+16505550101 ,", NULL, "+16505550101");
  check_parse ("", NULL, "");
  check_parse (" ;\n ", NULL, "");
  /* Duplicates, however typed, count once; the result is sorted. */
  check_parse ("(650) 555-0101, +1 650 555 0101; 16505550101", NULL, "+16505550101");
}

static void
test_parse_spaces (void)
{
  /* A piece that is one number as a whole keeps its spaces. */
  check_parse ("650 555 0101", NULL, "+16505550101");
  check_parse ("+1 (650) 555-0102, 650 555 0101", NULL, "+16505550101,+16505550102");
  /* A piece that is not: spaces separate too. */
  check_parse ("6505550102 6505550101", NULL, "+16505550101,+16505550102");
  check_parse ("+16505550102  +16505550101\t+16505550103", NULL,
               "+16505550101,+16505550102,+16505550103");
  check_parse ("650-555-0102 (650)555-0101, +16505550103", NULL,
               "+16505550101,+16505550102,+16505550103");
  /* '+' starts a new number, spaced out or not. */
  check_parse ("020 7946 0018 +16505550101", "+442079460000", "+16505550101,+442079460018");
  check_parse ("+1 650 555 0102 +1 650 555 0101", NULL, "+16505550101,+16505550102");
}

static void
test_parse_home (void)
{
  /* National numbers are read in the country of the home number. */
  check_parse ("020 7946 0018, 07700 900123", "+442079460000", "+442079460018,+447700900123");
  check_parse ("02079460018 +16505550101", "+442079460000", "+16505550101,+442079460018");
  /* NULL or a broken home number: +1. */
  check_parse ("6505550101", NULL, "+16505550101");
  check_parse ("6505550101", "not e164", "+16505550101");
  /* International forms work from anywhere. */
  check_parse ("0033 1 23 45 67 89", "+16505550100", "+33123456789");
}

static void
check_parse_error (const char *text, const char *home, const char *named)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) numbers = rc_phone_list_parse (text, home, &error);

  g_test_message ("parse \"%s\": error naming \"%s\"", text, named);
  g_assert_null (numbers);
  g_assert_error (error, RC_ERROR, RC_ERROR_INVALID_INPUT);
  g_assert_nonnull (strstr (error->message, named));
}

static void
test_parse_errors (void)
{
  g_autoptr (GPtrArray) numbers = NULL;

  check_parse_error ("+16505550101, bob", NULL, "\"bob\"");
  check_parse_error ("+16505550101; 555-01", NULL, "555-01");
  check_parse_error ("+16505550101 alice", NULL, "\"alice\"");
  /* A short code cannot be texted: the error says so and names it. */
  check_parse_error ("+16505550101, 72975", NULL, "72975");
  /* Documented limit: once a run is split at spaces, each word must be a number by itself, so
   * spaced-out national numbers need commas between them ('+' starts a new number, though). */
  check_parse_error ("650 555 0101 650 555 0102", NULL, "650");
  check_parse_error ("+1 650 555 0101 650 555 0102", NULL, "\"+1\"");
  /* A national number where the home country has no national form. */
  check_parse_error ("6505550101", "+33123456789", "6505550101");
  /* No error location: still NULL. */
  numbers = rc_phone_list_parse ("nope", NULL, NULL);
  g_assert_null (numbers);
}

static void
test_name (void)
{
  g_autoptr (GPtrArray) none = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GPtrArray) some = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *empty = rc_phone_list_name (none);
  g_autofree char *one = NULL;
  g_autofree char *two = NULL;

  g_assert_cmpstr (empty, ==, "");
  g_ptr_array_add (some, g_strdup ("+16505550101"));
  one = rc_phone_list_name (some);
  g_assert_cmpstr (one, ==, "+16505550101");
  g_ptr_array_add (some, g_strdup ("+16505550102"));
  two = rc_phone_list_name (some);
  g_assert_cmpstr (two, ==, "+16505550101,+16505550102");
}

static void
test_add (void)
{
  g_autoptr (GPtrArray) list = g_ptr_array_new_with_free_func (g_free);
  static const char *const input[]
      = { "+3", "+1", "+2", "+1", "+5", "+4", "+3", "+0", "+6", "+5", "+12" };
  static const char *const sorted[] = { "+0", "+1", "+12", "+2", "+3", "+4", "+5", "+6" };

  for (gsize i = 0; i < G_N_ELEMENTS (input); i++)
    rc_phone_list_add (list, g_strdup (input[i])); /* duplicates are freed (ASan checks) */
  g_assert_cmpuint (list->len, ==, G_N_ELEMENTS (sorted));
  for (gsize i = 0; i < G_N_ELEMENTS (sorted); i++)
    g_assert_cmpstr (list->pdata[i], ==, sorted[i]);

  /* Larger lists, in reverse order, stay sorted and free of duplicates. */
  g_ptr_array_set_size (list, 0);
  for (guint round = 0; round < 2; round++)
    for (guint i = 200; i > 0; i--)
      rc_phone_list_add (list, g_strdup_printf ("+1650555%04u", i));
  g_assert_cmpuint (list->len, ==, 200);
  for (guint i = 1; i < list->len; i++)
    g_assert_cmpint (strcmp (list->pdata[i - 1], list->pdata[i]), <, 0);
}

static void
check_canonical (const char *text, const char *expected)
{
  g_autofree char *got = rc_phone_list_canonical (text);

  g_test_message ("canonical \"%s\"", text != NULL ? text : "NULL");
  g_assert_cmpstr (got, ==, expected);
}

static void
test_canonical (void)
{
  check_canonical ("+16505550102,+16505550101", "+16505550101,+16505550102");
  check_canonical ("650 555 0103; (650) 555-0101\n+16505550102",
                   "+16505550101,+16505550102,+16505550103");
  check_canonical ("6505550102 6505550101", "+16505550101,+16505550102");
  /* Fewer than two numbers: not a group. */
  check_canonical ("+16505550101", NULL);
  check_canonical ("+16505550101, 650-555-0101", NULL);
  check_canonical ("", NULL);
  check_canonical (NULL, NULL);
  /* Not a list of numbers. */
  check_canonical ("+16505550101, bob", NULL);
  check_canonical ("Alice, Bob", NULL);
}

/* ---- rc_phone_list_parse_recipients ---- */

static void
check_recipients (const char *text, const char *home, GPtrArray *own, const char *expected)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) numbers = rc_phone_list_parse_recipients (text, home, own, &error);
  g_autofree char *got = joined (numbers);

  g_test_message ("recipients \"%s\" (home %s)", text, home != NULL ? home : "NULL");
  g_assert_no_error (error);
  g_assert_nonnull (numbers);
  g_assert_cmpstr (got, ==, expected);
}

static void
check_recipients_error (const char *text, const char *home, GPtrArray *own, const char *message)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) numbers = rc_phone_list_parse_recipients (text, home, own, &error);

  g_test_message ("recipients \"%s\": error \"%s\"", text, message);
  g_assert_null (numbers);
  g_assert_error (error, RC_ERROR, RC_ERROR_INVALID_INPUT);
  g_assert_cmpstr (error->message, ==, message);
}

static void
test_recipients_separators (void)
{
  /* Each separator alone, and all of them mixed. */
  check_recipients ("+16505550102,+16505550101", NULL, NULL, "+16505550101,+16505550102");
  check_recipients ("+16505550102;+16505550101", NULL, NULL, "+16505550101,+16505550102");
  check_recipients ("+16505550102\n+16505550101", NULL, NULL, "+16505550101,+16505550102");
  check_recipients ("+16505550102\r\n+16505550101\r\n", NULL, NULL, "+16505550101,+16505550102");
  check_recipients ("+16505550102 +16505550101", NULL, NULL, "+16505550101,+16505550102");
  check_recipients ("+16505550102\t+16505550101", NULL, NULL, "+16505550101,+16505550102");
  check_recipients ("6505550103 6505550102, 6505550101;\n6505550104", NULL, NULL,
                    "+16505550101,+16505550102,+16505550103,+16505550104");
  /* Nothing to parse: an empty list, not an error. */
  check_recipients ("", NULL, NULL, "");
  check_recipients (NULL, NULL, NULL, "");
  check_recipients (" ,; \n\t ,", NULL, NULL, "");
  /* Runs of only spaces and punctuation are no numbers and no errors. */
  check_recipients ("+16505550101, - , ()", NULL, NULL, "+16505550101");
}

static void
test_recipients_plus (void)
{
  /* '+' always starts a new number... */
  check_recipients ("+12065550111 +13055550122", NULL, NULL, "+12065550111,+13055550122");
  check_recipients ("+12065550111+13055550122", NULL, NULL, "+12065550111,+13055550122");
  check_recipients ("+1 206 555 0111 +1 305 555 0122", NULL, NULL, "+12065550111,+13055550122");
  check_recipients ("6505550101 +1 206 555 0111", NULL, NULL, "+12065550111,+16505550101");
  check_recipients ("(650) 555-0101 +44 20 7946 0018", NULL, NULL, "+16505550101,+442079460018");
  /* ...but one spaced-out number with one '+' is one number. */
  check_recipients ("+1 206 555 0111", NULL, NULL, "+12065550111");
  check_recipients ("+1 (206) 555-0111", NULL, NULL, "+12065550111");
  check_recipients ("+44 20 7946 0018", NULL, NULL, "+442079460018");
  /* A '+' after an opening parenthesis still starts the number. */
  check_recipients ("(+1) 206 555 0111", NULL, NULL, "+12065550111");
}

static void
test_recipients_formats (void)
{
  /* Every form the IM path (rc_phone_normalize) accepts. */
  check_recipients ("(650) 555-0101", NULL, NULL, "+16505550101");
  check_recipients ("650.555.0101", NULL, NULL, "+16505550101");
  check_recipients ("1-650-555-0101", NULL, NULL, "+16505550101");
  check_recipients ("011 44 20 7946 0018", NULL, NULL, "+442079460018");
  check_recipients ("0044 20 7946 0018", NULL, NULL, "+442079460018");
  /* National numbers in the home country. */
  check_recipients ("020 7946 0018, 07700 900123", "+442079460000", NULL,
                    "+442079460018,+447700900123");
  check_recipients ("02079460018 07700900123", "+442079460000", NULL,
                    "+442079460018,+447700900123");
}

static void
test_recipients_own_and_duplicates (void)
{
  g_autoptr (GPtrArray) own = g_ptr_array_new_with_free_func (g_free);

  /* Duplicates, however typed, count once. */
  check_recipients ("(650) 555-0101, +1 650 555 0101; 16505550101 6505550101", NULL, NULL,
                    "+16505550101");
  /* The user's own numbers are dropped, in any form. */
  g_ptr_array_add (own, g_strdup ("+16505550100"));
  g_ptr_array_add (own, g_strdup ("+16505550199"));
  check_recipients ("650 555 0100, 6505550101, +1 (650) 555-0199", NULL, own, "+16505550101");
  check_recipients ("+16505550100", NULL, own, "");
  /* Own numbers do not count towards the limit. */
  check_recipients ("+16505550100 +16505550199 +16505550101 +16505550102 +16505550103 "
                    "+16505550104 +16505550105 +16505550106 +16505550107 +16505550108 "
                    "+16505550109 +16505550110",
                    NULL, own,
                    "+16505550101,+16505550102,+16505550103,+16505550104,+16505550105,"
                    "+16505550106,+16505550107,+16505550108,+16505550109,+16505550110");
  /* An empty own list and NULL entries are fine. */
  g_ptr_array_set_size (own, 0);
  g_ptr_array_add (own, NULL);
  check_recipients ("+16505550100", NULL, own, "+16505550100");
}

static void
test_recipients_limit (void)
{
  g_autoptr (GString) list = g_string_new (NULL);

  /* Exactly 10 is fine, 11 and 12 are not; duplicates do not count. */
  for (guint i = 1; i <= 10; i++)
    g_string_append_printf (list, "+1650555%04u, +1650555%04u; ", i, i);
  check_recipients (list->str, NULL, NULL,
                    "+16505550001,+16505550002,+16505550003,+16505550004,+16505550005,"
                    "+16505550006,+16505550007,+16505550008,+16505550009,+16505550010");
  g_string_append (list, "6505550011");
  check_recipients_error (list->str, NULL, NULL,
                          "A group text takes at most 10 numbers besides yours; this list has 11.");
  g_string_append (list, " +16505550012");
  check_recipients_error (list->str, NULL, NULL,
                          "A group text takes at most 10 numbers besides yours; this list has 12.");
  g_assert_cmpint (RC_PHONE_LIST_MAX_RECIPIENTS, ==, 10);
  /* rc_phone_list_parse has no limit. */
  {
    g_autoptr (GPtrArray) all = rc_phone_list_parse (list->str, NULL, NULL);

    g_assert_nonnull (all);
    g_assert_cmpuint (all->len, ==, 12);
  }
}

static void
test_recipients_errors (void)
{
  check_recipients_error ("+16505550101, bob", NULL, NULL, "\"bob\" is not a phone number.");
  check_recipients_error ("bob +16505550101", NULL, NULL, "\"bob\" is not a phone number.");
  check_recipients_error ("+16505550101 alice 6505550102", NULL, NULL,
                          "\"alice\" is not a phone number.");
  check_recipients_error ("6505550101; 555-0", NULL, NULL, "\"555-0\" is not a phone number.");
  check_recipients_error ("+16505550101 +", NULL, NULL, "\"+\" is not a phone number.");
  check_recipients_error ("+1650555010x", NULL, NULL, "\"+1650555010x\" is not a phone number.");
  /* Spaced-out national numbers without a comma: the first word is named. */
  check_recipients_error ("650 555 0101 650 555 0102", NULL, NULL,
                          "\"650\" is not a phone number.");
  /* A short code, named, with the reason. */
  {
    g_autoptr (GError) error = NULL;
    g_autoptr (GPtrArray) numbers
        = rc_phone_list_parse_recipients ("+16505550101, 72975", NULL, NULL, &error);

    g_assert_null (numbers);
    g_assert_error (error, RC_ERROR, RC_ERROR_INVALID_INPUT);
    g_assert_nonnull (strstr (error->message, "\"72975\" is a short code"));
  }
  /* Bad input before the limit is reached is named first; no error location is fine. */
  g_assert_null (rc_phone_list_parse_recipients ("nope", NULL, NULL, NULL));
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/phone-list/parse/separators", test_parse_separators);
  g_test_add_func ("/phone-list/parse/spaces", test_parse_spaces);
  g_test_add_func ("/phone-list/parse/home", test_parse_home);
  g_test_add_func ("/phone-list/parse/errors", test_parse_errors);
  g_test_add_func ("/phone-list/name", test_name);
  g_test_add_func ("/phone-list/add", test_add);
  g_test_add_func ("/phone-list/canonical", test_canonical);
  g_test_add_func ("/phone-list/recipients/separators", test_recipients_separators);
  g_test_add_func ("/phone-list/recipients/plus", test_recipients_plus);
  g_test_add_func ("/phone-list/recipients/formats", test_recipients_formats);
  g_test_add_func ("/phone-list/recipients/own-and-duplicates", test_recipients_own_and_duplicates);
  g_test_add_func ("/phone-list/recipients/limit", test_recipients_limit);
  g_test_add_func ("/phone-list/recipients/errors", test_recipients_errors);
  return g_test_run ();
}
