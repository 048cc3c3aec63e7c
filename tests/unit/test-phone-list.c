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
  /* Documented limit: once a piece is split at spaces, each word must be a number by itself, so
   * spaced-out numbers need commas between them. */
  check_parse_error ("020 7946 0018 +16505550101", "+442079460000", "\"020\"");
  check_parse_error ("650 555 0101 650 555 0102", NULL, "650");
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
  return g_test_run ();
}
