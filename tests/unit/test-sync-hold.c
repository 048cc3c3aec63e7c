/* test-sync-hold.c: RcSyncHold (rc-sync-hold.h): record texts held compressed in blocks come back
 * whole, oldest first (creation time, then id as RcInbox orders), in batches, whatever the order
 * they were added in and across many blocks. */
#include <string.h>
#include <glib.h>

#include "rc-sync-hold.h"

typedef struct {
  GPtrArray *texts;
} Taken;

static void
on_text (const char *json, gsize len, gpointer user_data)
{
  Taken *taken = user_data;

  g_ptr_array_add (taken->texts, g_strndup (json, len));
}

static void
test_order_and_content (void)
{
  g_autoptr (RcSyncHold) hold = rc_sync_hold_new ();
  g_autoptr (GRand) rand = g_rand_new_with_seed (7);
  const guint n = 20000; /* ≈ 2 MB of text: several blocks */
  Taken taken = { g_ptr_array_new_with_free_func (g_free) };
  guint next = 0, batches = 0;

  for (guint i = 0; i < n; i++) {
    /* Newest first, as a sync answer; a few share a second, ids of different lengths. */
    gint64 when = 1000000 + (n - i) / 3;
    guint64 id
        = (i % 7 == 0) ? 900 + i : 100000 + g_rand_int_range (rand, 0, 1000000) * 10 + i % 10;
    g_autofree char *id_text = g_strdup_printf ("%" G_GUINT64_FORMAT, id);
    g_autofree char *json = g_strdup_printf (
        "{\"id\":%s,\"t\":%" G_GINT64_FORMAT ",\"pad\":\"%0*u\"}", id_text, when, 40 + i % 60, i);

    rc_sync_hold_add (hold, json, strlen (json), when, id_text);
  }
  g_assert_cmpuint (rc_sync_hold_get_count (hold), ==, n);
  while (next < n) {
    g_assert_true (rc_sync_hold_take (hold, &next, 500, on_text, &taken, NULL));
    batches++;
  }
  g_assert_cmpuint (batches, ==, n / 500);
  g_assert_cmpuint (taken.texts->len, ==, n);
  for (guint i = 1; i < n; i++) {
    const char *a = taken.texts->pdata[i - 1], *b = taken.texts->pdata[i];
    gint64 ta = g_ascii_strtoll (strstr (a, "\"t\":") + 4, NULL, 10);
    gint64 tb = g_ascii_strtoll (strstr (b, "\"t\":") + 4, NULL, 10);
    guint64 ia = g_ascii_strtoull (a + 6, NULL, 10), ib = g_ascii_strtoull (b + 6, NULL, 10);

    g_assert_true (g_str_has_suffix (a, "\"}"));
    g_assert_cmpint (ta, <=, tb);
    if (ta == tb)
      g_assert_cmpuint (ia, <=, ib); /* same length or shorter first: numeric order */
  }
  /* Nothing more to take. */
  g_assert_true (rc_sync_hold_take (hold, &next, 500, on_text, &taken, NULL));
  g_assert_cmpuint (taken.texts->len, ==, n);
  g_ptr_array_unref (taken.texts);
}

static void
test_empty (void)
{
  g_autoptr (RcSyncHold) hold = rc_sync_hold_new ();
  Taken taken = { g_ptr_array_new_with_free_func (g_free) };
  guint next = 0;

  g_assert_true (rc_sync_hold_take (hold, &next, 500, on_text, &taken, NULL));
  g_assert_cmpuint (taken.texts->len, ==, 0);
  g_ptr_array_unref (taken.texts);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/sync-hold/order-and-content", test_order_and_content);
  g_test_add_func ("/sync-hold/empty", test_empty);
  return g_test_run ();
}
