/* test-rate-limit.c: the rate-limit gate (protocol/rc-rate-limit.h) on its own, with a made-up
 * clock: the group of each endpoint (fact sheet §6 table), pacing to the limit per window, the
 * X-Rate-Limit-* headers replacing the defaults (hostile values bounded), Remaining counting other
 * clients, holds clamped, and "held" said once per wait and tag. */
#include <libsoup/soup.h>

#include "rc-rate-limit.h"

#define S(x) ((gint64)(x)*G_USEC_PER_SEC)

static void
test_groups (void)
{
  static const struct {
    const char *method, *path;
    RcRateGroup group;
  } table[] = {
    { "POST", "/restapi/oauth/token", RC_RATE_AUTH },
    { "POST", "/restapi/oauth/revoke", RC_RATE_AUTH },
    { "POST", "/restapi/oauth/wstoken", RC_RATE_AUTH },
    { "POST", "/restapi/v1.0/account/~/extension/~/sms", RC_RATE_MEDIUM },
    { "POST", "http://127.0.0.1:9/restapi/v1.0/account/~/extension/~/mms", RC_RATE_MEDIUM },
    { "PUT", "/restapi/v1.0/account/~/extension/~/message-store/123", RC_RATE_MEDIUM },
    { "GET", "/restapi/v1.0/account/~/extension/~/message-store/1/content/2", RC_RATE_MEDIUM },
    { "GET", "/restapi/v1.0/account/~/extension/~/message-store?dateFrom=x", RC_RATE_LIGHT },
    { "GET", "/restapi/v1.0/account/~/extension/~/message-store/123", RC_RATE_LIGHT },
    { "GET", "/restapi/v1.0/account/~/extension/~/message-sync?syncType=FSync", RC_RATE_LIGHT },
    { "GET", "/restapi/v1.0/account/~/extension/~/phone-number?page=2", RC_RATE_LIGHT },
    { "GET", "/restapi/v1.0/account/~/extension/~/phone-number/7/sms-configuration",
      RC_RATE_LIGHT },
    { "GET", "/restapi/v1.0/account/~/phone-number", RC_RATE_HEAVY },
    { "GET", "/restapi/v1.0/account/~", RC_RATE_LIGHT },
    { "POST", "/restapi/v1.0/subscription", RC_RATE_MEDIUM },
    { "POST", "/restapi/v1.0/subscription/abc/renew", RC_RATE_LIGHT },
    { "GET", "/restapi/v1.0/account/~/extension/~/address-book/contact", RC_RATE_LIGHT },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (table); i++) {
    g_test_message ("%s %s", table[i].method, table[i].path);
    g_assert_cmpint (rc_rate_group_for (table[i].method, table[i].path), ==, table[i].group);
  }
  g_assert_cmpstr (rc_rate_group_name (RC_RATE_AUTH), ==, "auth");
}

static void
test_defaults_and_pacing (void)
{
  g_autoptr (RcRateLimit) gate = rc_rate_limit_new (120);
  guint limit, window;
  gint64 t0 = S (1000);

  rc_rate_limit_get (gate, RC_RATE_LIGHT, &limit, &window);
  g_assert_cmpuint (limit, ==, 50);
  g_assert_cmpuint (window, ==, 60);
  rc_rate_limit_get (gate, RC_RATE_MEDIUM, &limit, NULL);
  g_assert_cmpuint (limit, ==, 40);
  rc_rate_limit_get (gate, RC_RATE_HEAVY, &limit, NULL);
  g_assert_cmpuint (limit, ==, 10);
  rc_rate_limit_get (gate, RC_RATE_AUTH, &limit, NULL);
  g_assert_cmpuint (limit, ==, 5);

  /* Five grants a minute, whatever happens: the sixth waits for the first to leave the window. */
  for (int i = 0; i < 5; i++)
    g_assert_true (rc_rate_limit_try_take (gate, RC_RATE_AUTH, t0 + S (i)));
  g_assert_false (rc_rate_limit_try_take (gate, RC_RATE_AUTH, t0 + S (5)));
  g_assert_true (rc_rate_limit_is_rate_wait (gate, RC_RATE_AUTH, t0 + S (5)));
  g_assert_cmpint (rc_rate_limit_ready_at (gate, RC_RATE_AUTH, t0 + S (5)), ==,
                   t0 + S (60) + RC_RATE_MARGIN_MS * 1000);
  /* Other groups are not held by it. */
  g_assert_true (rc_rate_limit_try_take (gate, RC_RATE_LIGHT, t0 + S (5)));
  g_assert_false (rc_rate_limit_try_take (gate, RC_RATE_AUTH, t0 + S (60)));
  g_assert_true (rc_rate_limit_try_take (gate, RC_RATE_AUTH, t0 + S (61)));
  /* Never more than the limit in any window: from 61 s on, 5 in (1 s, 61 s]. */
  g_assert_false (rc_rate_limit_try_take (gate, RC_RATE_AUTH, t0 + S (61)));
}

static void
test_headers (void)
{
  g_autoptr (RcRateLimit) gate = rc_rate_limit_new (120);
  g_autoptr (SoupMessageHeaders) h = soup_message_headers_new (SOUP_MESSAGE_HEADERS_RESPONSE);
  guint limit, window;
  gint64 t0 = S (1000);

  /* The group named by the header wins over the one the path suggested. */
  soup_message_headers_replace (h, "X-Rate-Limit-Group", "Medium");
  soup_message_headers_replace (h, "X-Rate-Limit-Limit", "75");
  soup_message_headers_replace (h, "X-Rate-Limit-Window", "6");
  rc_rate_limit_observe (gate, RC_RATE_LIGHT, h, t0);
  rc_rate_limit_get (gate, RC_RATE_MEDIUM, &limit, &window);
  g_assert_cmpuint (limit, ==, 75);
  g_assert_cmpuint (window, ==, 6);
  rc_rate_limit_get (gate, RC_RATE_LIGHT, &limit, &window);
  g_assert_cmpuint (limit, ==, 50);

  /* Hostile or broken values: ignored or clamped. */
  soup_message_headers_replace (h, "X-Rate-Limit-Limit", "-5");
  soup_message_headers_replace (h, "X-Rate-Limit-Window", "99999999999999999999");
  rc_rate_limit_observe (gate, RC_RATE_MEDIUM, h, t0);
  rc_rate_limit_get (gate, RC_RATE_MEDIUM, &limit, &window);
  g_assert_cmpuint (limit, ==, 75);
  g_assert_cmpuint (window, ==, 6);
  soup_message_headers_replace (h, "X-Rate-Limit-Limit", "1000000");
  soup_message_headers_replace (h, "X-Rate-Limit-Window", "1000000");
  rc_rate_limit_observe (gate, RC_RATE_MEDIUM, h, t0);
  rc_rate_limit_get (gate, RC_RATE_MEDIUM, &limit, &window);
  g_assert_cmpuint (limit, ==, RC_RATE_MAX_LIMIT);
  g_assert_cmpuint (window, ==, RC_RATE_MAX_WINDOW_S);

  /* Remaining 0 after one send of ours: another client used the rest; wait out the window. */
  soup_message_headers_replace (h, "X-Rate-Limit-Group", "heavy");
  soup_message_headers_replace (h, "X-Rate-Limit-Limit", "10");
  soup_message_headers_replace (h, "X-Rate-Limit-Window", "60");
  soup_message_headers_replace (h, "X-Rate-Limit-Remaining", "0");
  g_assert_true (rc_rate_limit_try_take (gate, RC_RATE_HEAVY, t0));
  rc_rate_limit_observe (gate, RC_RATE_HEAVY, h, t0 + S (1));
  g_assert_false (rc_rate_limit_try_take (gate, RC_RATE_HEAVY, t0 + S (2)));
  g_assert_true (rc_rate_limit_try_take (gate, RC_RATE_HEAVY, t0 + S (62)));
}

static void
test_holds (void)
{
  g_autoptr (RcRateLimit) gate = rc_rate_limit_new (120);
  g_autoptr (SoupMessageHeaders) h = soup_message_headers_new (SOUP_MESSAGE_HEADERS_RESPONSE);
  gboolean present;
  gint64 t0 = S (1000);

  g_assert_cmpuint (rc_rate_limit_hold (gate, 600, TRUE, t0), ==, 120);
  g_assert_cmpint (rc_rate_limit_ready_at (gate, RC_RATE_LIGHT, t0), ==, t0 + S (120));
  g_assert_true (rc_rate_limit_is_rate_wait (gate, RC_RATE_MEDIUM, t0 + S (1)));
  /* A shorter hold never shortens a running one. */
  rc_rate_limit_hold (gate, 5, FALSE, t0);
  g_assert_cmpint (rc_rate_limit_ready_at (gate, RC_RATE_AUTH, t0), ==, t0 + S (120));

  g_assert_cmpuint (rc_rate_limit_parse_retry_after (h, 30, &present), ==, 30);
  g_assert_false (present);
  soup_message_headers_replace (h, "Retry-After", "-5");
  g_assert_cmpuint (rc_rate_limit_parse_retry_after (h, 30, &present), ==, 30);
  g_assert_false (present);
  soup_message_headers_replace (h, "Retry-After", " 7 ");
  g_assert_cmpuint (rc_rate_limit_parse_retry_after (h, 30, &present), ==, 7);
  g_assert_true (present);
}

static void
on_held (RcRateLimit *gate, guint seconds, const char *tag, gpointer user_data)
{
  GPtrArray *said = user_data;

  g_ptr_array_add (said, g_strdup_printf ("%s:%u", tag ? tag : "", seconds));
}

static guint waits_ended;

static void
waited (GObject *source, GAsyncResult *result, gpointer user_data)
{
  guint *done = user_data;
  g_autoptr (GError) error = NULL;

  waits_ended++;
  if (rc_rate_limit_wait_finish (RC_RATE_LIMIT (source), result, &error))
    (*done)++;
  else
    g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
}

/* A bulk send to one conversation says why it waits once, not once per text. */
static void
test_held_once_per_wait (void)
{
  g_autoptr (RcRateLimit) gate = rc_rate_limit_new (120);
  g_autoptr (GPtrArray) said = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GCancellable) cancel = g_cancellable_new ();
  gint64 now = g_get_monotonic_time ();
  guint done = 0;

  g_signal_connect (gate, "held", G_CALLBACK (on_held), said);
  for (int i = 0; i < 40; i++)
    g_assert_true (rc_rate_limit_try_take (gate, RC_RATE_MEDIUM, now));
  for (int i = 0; i < 3; i++)
    rc_rate_limit_wait_async (gate, RC_RATE_MEDIUM, "+16505550199", cancel, waited, &done);
  rc_rate_limit_wait_async (gate, RC_RATE_MEDIUM, "+16505550123", cancel, waited, &done);
  g_assert_cmpuint (said->len, ==, 2);
  g_assert_cmpstr (said->pdata[0], ==, "+16505550199:61");
  g_assert_cmpstr (said->pdata[1], ==, "+16505550123:61");
  /* A short wait (a 503 hold of 2 s for Light) is not announced. */
  rc_rate_limit_hold (gate, 2, FALSE, now);
  rc_rate_limit_wait_async (gate, RC_RATE_LIGHT, "+16505550100", cancel, waited, &done);
  g_assert_cmpuint (said->len, ==, 2);
  g_cancellable_cancel (cancel);
  while (waits_ended < 5)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpuint (done, ==, 0);
}

int
main (int argc, char **argv)
{
  /* This program is about the defaults: the suite's switch (meson.build) must not apply. */
  g_unsetenv ("RC_TEST_RATE_DEFAULTS");
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/rate-limit/groups", test_groups);
  g_test_add_func ("/rate-limit/defaults-and-pacing", test_defaults_and_pacing);
  g_test_add_func ("/rate-limit/headers", test_headers);
  g_test_add_func ("/rate-limit/holds", test_holds);
  g_test_add_func ("/rate-limit/held-once-per-wait", test_held_once_per_wait);
  return g_test_run ();
}
