/* bench-senders.c: send-from lookups at 10 / 1,000 / 10,000 (and 100,000) numbers (issue 10: a
 * `/from` lookup took 0.5 s at 10,000 numbers and 118 s at 100,000, the Send From menu 170 ms).
 * Prints a table, each figure beside the baseline of the same run: the former algorithm
 * (each country reading of the typed text searched the whole list: quadratic), copied here.
 * Never fails on time.
 *
 *   bench-senders [--max N]   (default 10000; --max 100000 adds that row, the baseline is
 *                              skipped above 10,000: it would take minutes) */
#include <rc-phone.h>
#include <rc-senders.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* n numbers: all +1 (area 650..), their national forms distinct. */
static GPtrArray *
make_numbers (guint n)
{
  GPtrArray *senders = g_ptr_array_new_with_free_func ((GDestroyNotify)rc_phone_number_free);

  for (guint i = 0; i < n; i++) {
    RcPhoneNumber *number = g_new0 (RcPhoneNumber, 1);

    number->id = g_strdup_printf ("%u", i + 1);
    number->e164 = g_strdup_printf ("+1%03u%07u", 201 + i / 10000000 % 700, 2000000 + i);
    number->features = RC_FEATURE_SMS;
    g_ptr_array_add (senders, number);
  }
  return senders;
}

/* The former rc_senders_lookup() for a typed national number. */
static const RcPhoneNumber *
old_lookup (GPtrArray *senders, const char *text)
{
  for (guint i = 0; i < senders->len; i++) {
    const RcPhoneNumber *country = g_ptr_array_index (senders, i);
    g_autofree char *e164 = rc_phone_normalize (text, country->e164, NULL);
    gint index = rc_senders_index_of (senders, e164);

    if (index >= 0)
      return g_ptr_array_index (senders, index);
  }
  return NULL;
}

static int
compare_double (const void *a, const void *b)
{
  double x = *(const double *)a, y = *(const double *)b;

  return x < y ? -1 : x > y;
}

/* Median of @runs timings of @fn (ms). */
static double
median_ms (guint runs, const RcPhoneNumber *(*fn) (GPtrArray *, const char *), GPtrArray *senders,
           const char *typed, const RcPhoneNumber *expected)
{
  double *t = g_new (double, runs);
  double median;

  for (guint r = 0; r < runs; r++) {
    gint64 start = g_get_monotonic_time ();
    const RcPhoneNumber *found = fn (senders, typed);

    t[r] = (double)(g_get_monotonic_time () - start) / 1000.0;
    if (found != expected) {
      g_printerr ("lookup of %s found the wrong number\n", typed);
      exit (1);
    }
  }
  qsort (t, runs, sizeof *t, compare_double);
  median = t[runs / 2];
  g_free (t);
  return median;
}

/* The Send From menu's loop shape: a list built by appending vs prepending then reversing. */
static double
menu_ms (guint n, gboolean append)
{
  gint64 start = g_get_monotonic_time ();
  GList *items = NULL;

  for (guint i = 0; i < n; i++)
    items = append ? g_list_append (items, GUINT_TO_POINTER (i + 1))
                   : g_list_prepend (items, GUINT_TO_POINTER (i + 1));
  if (!append)
    items = g_list_reverse (items);
  g_list_free (items);
  return (double)(g_get_monotonic_time () - start) / 1000.0;
}

int
main (int argc, char **argv)
{
  guint max = 10000;
  const guint sizes[] = { 10, 1000, 10000, 100000 };

  for (int i = 1; i < argc; i++)
    if (strcmp (argv[i], "--max") == 0 && i + 1 < argc)
      max = (guint)atoi (argv[++i]);

  printf ("%-8s %-28s %12s %12s %8s\n", "numbers", "operation", "now (ms)", "former (ms)", "ratio");
  for (gsize s = 0; s < G_N_ELEMENTS (sizes) && sizes[s] <= max; s++) {
    guint n = sizes[s];
    g_autoptr (GPtrArray) senders = make_numbers (n);
    const RcPhoneNumber *last = g_ptr_array_index (senders, n - 1);
    g_autofree char *national = g_strdup (last->e164 + 2); /* 10 digits: the last number */
    guint runs = n <= 1000 ? 51 : 5;
    gboolean baseline = n <= 10000;
    double now_ms = median_ms (runs, rc_senders_lookup, senders, national, last);
    double old_ms
        = baseline ? median_ms (n <= 1000 ? runs : 1, old_lookup, senders, national, last) : 0;
    double miss_ms = median_ms (runs, rc_senders_lookup, senders, "(999) 555-0000", NULL);
    double old_miss_ms
        = baseline ? median_ms (n <= 1000 ? runs : 1, old_lookup, senders, "(999) 555-0000", NULL)
                   : 0;
    double menu_now = menu_ms (n, FALSE), menu_old = menu_ms (n, TRUE);

    if (baseline)
      printf ("%-8u %-28s %12.3f %12.3f %8.1f\n", n, "/from <last number>", now_ms, old_ms,
              old_ms / MAX (now_ms, 0.001));
    else
      printf ("%-8u %-28s %12.3f %12s %8s\n", n, "/from <last number>", now_ms, "(skipped)", "-");
    if (baseline)
      printf ("%-8u %-28s %12.3f %12.3f %8.1f\n", n, "/from <no such number>", miss_ms, old_miss_ms,
              old_miss_ms / MAX (miss_ms, 0.001));
    else
      printf ("%-8u %-28s %12.3f %12s %8s\n", n, "/from <no such number>", miss_ms, "(skipped)",
              "-");
    printf ("%-8u %-28s %12.3f %12.3f %8.1f\n", n, "menu list (prepend+reverse)", menu_now,
            menu_old, menu_old / MAX (menu_now, 0.001));
  }
  return 0;
}
