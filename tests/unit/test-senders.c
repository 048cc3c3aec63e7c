/* test-senders.c: finding, resolving and gating the send-from number. */
#include <string.h>
#include <glib.h>

#include "rc-error.h"
#include "rc-senders.h"

static RcPhoneNumber *
number (const char *e164, const char *usage, RcFeatures features)
{
  RcPhoneNumber *n = g_new0 (RcPhoneNumber, 1);

  n->id = g_strdup (e164 + 1);
  n->e164 = g_strdup (e164);
  n->usage_type = g_strdup (usage);
  n->features = features;
  return n;
}

/* An empty list that owns its RcPhoneNumbers. */
static GPtrArray *
number_list (void)
{
  return g_ptr_array_new_with_free_func ((GDestroyNotify)rc_phone_number_free);
}

/* 1. Direct SMS only; 2. Main company SMS+MMS; 3. SMS+international; 4. toll-free SMS only. */
static GPtrArray *
make_senders (void)
{
  GPtrArray *senders = number_list ();

  g_ptr_array_add (senders, number ("+16505550100", "DirectNumber", RC_FEATURE_SMS));
  g_ptr_array_add (senders,
                   number ("+16505550101", "MainCompanyNumber", RC_FEATURE_SMS | RC_FEATURE_MMS));
  g_ptr_array_add (
      senders, number ("+16505550102", "DirectNumber", RC_FEATURE_SMS | RC_FEATURE_INTERNATIONAL));
  g_ptr_array_add (senders, number ("+18885550100", "DirectNumber", RC_FEATURE_SMS));
  return senders;
}

static void
test_lookup (void)
{
  g_autoptr (GPtrArray) senders = make_senders ();
  g_autoptr (GPtrArray) empty = g_ptr_array_new ();

  g_assert_true (rc_senders_lookup (senders, "1") == senders->pdata[0]);
  g_assert_true (rc_senders_lookup (senders, " 2 ") == senders->pdata[1]);
  g_assert_true (rc_senders_lookup (senders, "4") == senders->pdata[3]);
  g_assert_null (rc_senders_lookup (senders, "0"));
  g_assert_null (rc_senders_lookup (senders, "5"));
  g_assert_true (rc_senders_lookup (senders, "(650) 555-0102") == senders->pdata[2]);
  g_assert_true (rc_senders_lookup (senders, "+1 650 555 0101") == senders->pdata[1]);
  g_assert_true (rc_senders_lookup (senders, "+16505550101") == senders->pdata[1]);
  g_assert_true (rc_senders_lookup (senders, "1-888-555-0100") == senders->pdata[3]);
  g_assert_null (rc_senders_lookup (senders, "+16505559999"));
  g_assert_null (rc_senders_lookup (senders, "default"));
  g_assert_null (rc_senders_lookup (senders, ""));
  g_assert_null (rc_senders_lookup (senders, NULL));
  g_assert_null (rc_senders_lookup (empty, "1"));

  g_assert_cmpint (rc_senders_index_of (senders, "+16505550102"), ==, 2);
  g_assert_cmpint (rc_senders_index_of (senders, "+16505550109"), ==, -1);
  g_assert_cmpint (rc_senders_index_of (senders, NULL), ==, -1);
}

static void
test_resolve (void)
{
  g_autoptr (GPtrArray) senders = make_senders ();
  g_autoptr (GPtrArray) empty = g_ptr_array_new ();
  const char *stale = "not reset";
  const RcPhoneNumber *got;

  /* Conversation choice unset, buddy choice removed from the account, last-incoming present. */
  {
    const char *choices[] = { NULL, "+19995550000", "+16505550101", "+16505550100" };

    got = rc_senders_resolve (senders, choices, G_N_ELEMENTS (choices), &stale);
    g_assert_true (got == senders->pdata[1]);
    g_assert_cmpstr (stale, ==, "+19995550000");
  }
  /* The first usable choice wins, nothing stale. */
  {
    const char *choices[] = { "+16505550102", "+16505550101" };

    got = rc_senders_resolve (senders, choices, G_N_ELEMENTS (choices), &stale);
    g_assert_true (got == senders->pdata[2]);
    g_assert_null (stale);
  }
  /* n_choices bounds the list; no choice at all → the first that can send SMS. */
  {
    const char *choices[] = { NULL, "+16505550102" };

    got = rc_senders_resolve (senders, choices, 1, &stale);
    g_assert_true (got == senders->pdata[0]);
    g_assert_null (stale);
    got = rc_senders_resolve (senders, NULL, 0, NULL);
    g_assert_true (got == senders->pdata[0]);
  }
  /* Only the first stale choice is reported. */
  {
    const char *choices[] = { "+19995550001", "+19995550002" };

    got = rc_senders_resolve (senders, choices, G_N_ELEMENTS (choices), &stale);
    g_assert_true (got == senders->pdata[0]);
    g_assert_cmpstr (stale, ==, "+19995550001");
  }
  /* A choice that cannot send SMS still stands (the gate refuses and explains, rather than a
   * silent switch); without a choice the first SMS sender, and with none at all the first. */
  {
    g_autoptr (GPtrArray) mms_only = number_list ();
    const char *choices[] = { "+16505550200" };

    g_ptr_array_add (mms_only, number ("+16505550201", "DirectNumber", RC_FEATURE_MMS));
    g_ptr_array_add (mms_only, number ("+16505550200", "DirectNumber", RC_FEATURE_MMS));
    got = rc_senders_resolve (mms_only, choices, 1, &stale);
    g_assert_true (got == mms_only->pdata[1]);
    g_assert_null (stale);
    got = rc_senders_resolve (mms_only, NULL, 0, &stale);
    g_assert_true (got == mms_only->pdata[0]);

    g_ptr_array_add (mms_only, number ("+16505550202", "DirectNumber", RC_FEATURE_SMS));
    got = rc_senders_resolve (mms_only, choices, 1, &stale);
    g_assert_true (got == mms_only->pdata[1]);
    got = rc_senders_resolve (mms_only, NULL, 0, &stale);
    g_assert_true (got == mms_only->pdata[2]);
  }
  g_assert_null (rc_senders_resolve (empty, NULL, 0, &stale));
}

static void
check_refused (GPtrArray *senders, guint sender, const char *const *to, gboolean attachment,
               const char *expected)
{
  g_autoptr (GError) error = NULL;
  const RcPhoneNumber *from = senders->len > 0 ? senders->pdata[sender] : NULL;

  g_assert_false (rc_senders_check (senders, from, to, attachment, &error));
  g_assert_error (error, RC_ERROR, RC_ERROR_NOT_PERMITTED);
  g_assert_cmpstr (error->message, ==, expected);
}

static void
test_check (void)
{
  g_autoptr (GPtrArray) senders = make_senders ();
  const char *us[] = { "+14155550100", NULL };
  const char *group[] = { "+14155550100", "+14155550101", NULL };
  const char *uk[] = { "+442079460018", NULL };
  const char *jamaica[] = { "+18765550100", NULL };
  const char *group_uk[] = { "+14155550100", "+442079460018", NULL };
  g_autoptr (GError) error = NULL;

  g_assert_true (rc_senders_check (senders, senders->pdata[0], us, FALSE, &error));
  g_assert_true (rc_senders_check (senders, senders->pdata[1], group, FALSE, &error));
  g_assert_true (rc_senders_check (senders, senders->pdata[1], us, TRUE, &error));
  g_assert_true (rc_senders_check (senders, senders->pdata[2], uk, FALSE, &error));
  g_assert_true (rc_senders_check (senders, senders->pdata[2], jamaica, FALSE, &error));
  g_assert_no_error (error);

  check_refused (senders, 0, group, FALSE,
                 "+1 650-555-0100 cannot send group texts: it lacks MMS. "
                 "+1 650-555-0101 can: /from 2 would send it.");
  check_refused (senders, 3, us, TRUE,
                 "+1 888-555-0100 cannot send pictures or files: it lacks MMS. "
                 "+1 650-555-0101 can: /from 2 would send it.");
  check_refused (senders, 0, uk, FALSE,
                 "+1 650-555-0100 cannot text +44 20 7946 0018: international texting is not "
                 "enabled on it (InternationalSmsSender). +1 650-555-0102 can: /from 3 would "
                 "send it.");
  check_refused (senders, 1, jamaica, FALSE,
                 "+1 650-555-0101 cannot text +1 876-555-0100: international texting is not "
                 "enabled on it (InternationalSmsSender). +1 650-555-0102 can: /from 3 would "
                 "send it.");
  /* MMS and international at once: nobody has both. */
  check_refused (senders, 1, group_uk, FALSE,
                 "+1 650-555-0101 cannot text +44 20 7946 0018: international texting is not "
                 "enabled on it (InternationalSmsSender). None of your numbers can.");

  /* Without MMS anywhere. */
  {
    g_autoptr (GPtrArray) no_mms = number_list ();

    g_ptr_array_add (no_mms, number ("+18885550100", "DirectNumber", RC_FEATURE_SMS));
    g_ptr_array_add (no_mms, number ("+16505550100", "DirectNumber", RC_FEATURE_SMS));
    check_refused (no_mms, 0, us, TRUE,
                   "+1 888-555-0100 cannot send pictures or files: it lacks MMS. "
                   "None of your numbers can.");
  }
  /* An MMS-only number cannot send a plain SMS. */
  {
    g_autoptr (GPtrArray) mms = number_list ();

    g_ptr_array_add (mms, number ("+16505550100", "DirectNumber", RC_FEATURE_MMS));
    g_ptr_array_add (mms, number ("+16505550101", "DirectNumber", RC_FEATURE_SMS));
    g_ptr_array_add (mms, number ("+16505550102", "DirectNumber", RC_FEATURE_SMS));
    check_refused (mms, 0, us, FALSE,
                   "+1 650-555-0100 cannot send texts: it lacks SMS. "
                   "+1 650-555-0101 can: /from 2 would send it.");
  }
  /* No numbers at all. */
  {
    g_autoptr (GPtrArray) empty = g_ptr_array_new ();

    check_refused (empty, 0, us, FALSE, "This account has no number that can send texts.");
  }
  /* No recipient. */
  {
    const char *none[] = { NULL };

    g_assert_false (rc_senders_check (senders, senders->pdata[0], none, FALSE, &error));
    g_assert_error (error, RC_ERROR, RC_ERROR_INVALID_INPUT);
  }
}

/* Many numbers of several countries: the national form is read in each country, in list order,
 * and found wherever it is (the lookup is linear now; bench-senders prints the figures). */
static void
test_lookup_many (void)
{
  g_autoptr (GPtrArray) senders
      = g_ptr_array_new_with_free_func ((GDestroyNotify)rc_phone_number_free);
  const RcPhoneNumber *found;

  for (guint i = 0; i < 10000; i++) {
    g_autofree char *e164 = g_strdup_printf ("+1650%07u", 2000000 + i);

    g_ptr_array_add (senders, number (e164, "DirectNumber", RC_FEATURE_SMS));
  }
  g_ptr_array_add (senders, number ("+442079460018", "DirectNumber", RC_FEATURE_SMS));
  g_ptr_array_add (senders, number ("+16502000005", "DirectNumber", RC_FEATURE_SMS));
  /* A +44 national form, read in the country of the last sender only. */
  found = rc_senders_lookup (senders, "020 7946 0018");
  g_assert_nonnull (found);
  g_assert_cmpstr (found->e164, ==, "+442079460018");
  /* The first of equal numbers. */
  found = rc_senders_lookup (senders, "(650) 200-0005");
  g_assert_true (found == g_ptr_array_index (senders, 5));
  found = rc_senders_lookup (senders, "650 200 9999");
  g_assert_true (found == g_ptr_array_index (senders, 9999));
  g_assert_null (rc_senders_lookup (senders, "(999) 555-0000"));
  g_assert_null (rc_senders_lookup (senders, "020 7946 0019"));
  g_assert_true (rc_senders_lookup (senders, "10001") == NULL); /* 5 digits: not a position */
  g_assert_true (rc_senders_lookup (senders, "9999") == g_ptr_array_index (senders, 9998));
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/senders/lookup", test_lookup);
  g_test_add_func ("/senders/lookup-many", test_lookup_many);
  g_test_add_func ("/senders/resolve", test_resolve);
  g_test_add_func ("/senders/check", test_check);
  return g_test_run ();
}
