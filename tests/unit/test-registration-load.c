/* test-registration-load.c: what registration checks (sms-configuration) cost (issue 10): a 401
 * on every check costs one token refresh, not one per number; checks run a few at a time; a
 * number checked within a day is not asked about again, across sign-ons (saved and restored). */
#include <string.h>

#include "rc-registration.h"
#include "rc-sender-list.h"
#include "rc-test-fake.h"

static GPtrArray *
numbers_new (guint n)
{
  GPtrArray *senders = g_ptr_array_new_with_free_func ((GDestroyNotify)rc_phone_number_free);

  for (guint i = 0; i < n; i++) {
    RcPhoneNumber *number = g_new0 (RcPhoneNumber, 1);

    number->id = g_strdup_printf ("%u", 100 + i);
    number->e164 = g_strdup_printf ("+1650555%04u", i);
    number->payment_type = g_strdup ("Local");
    g_ptr_array_add (senders, number);
  }
  return senders;
}

/* 30 numbers, every check answered 401: one refresh at most, then no more checks. */
static void
test_401_storm (RcTestFake *f, gconstpointer data)
{
  g_autoptr (RcClient) client = rc_test_fake_signed_in_client (f);
  g_autoptr (GPtrArray) senders = numbers_new (30);
  g_autoptr (GAsyncResult) result = NULL;
  g_autoptr (GError) error = NULL;
  guint grants_before = rc_test_fake_count (f, "/restapi/oauth/token");
  guint checks = 0;

  for (guint i = 0; i < 100; i++)
    rc_test_fake_can (f, 401, "{\"errorCode\":\"OAU-129\",\"message\":\"Access token corrupted\"}",
                      NULL);
  rc_registration_fetch_async (client, senders, NULL, rc_test_got_result, &result);
  rc_test_wait_result (&result);
  g_assert_true (rc_registration_fetch_finish (client, result, &error));
  g_assert_no_error (error);
  for (guint i = 0; i < f->requests->len; i++)
    if (g_str_has_suffix (((RcTestReq *)f->requests->pdata[i])->path, "/sms-configuration"))
      checks++;
  g_test_message ("token requests: %u, checks: %u",
                  rc_test_fake_count (f, "/restapi/oauth/token") - grants_before, checks);
  g_assert_cmpuint (rc_test_fake_count (f, "/restapi/oauth/token") - grants_before, <=, 1);
  g_assert_cmpuint (checks, <=, 2); /* the first, and its one retry after the refresh */
  for (guint i = 0; i < senders->len; i++)
    g_assert_cmpint (((RcPhoneNumber *)senders->pdata[i])->registration, ==,
                     RC_REGISTRATION_UNKNOWN);
}

/* ---- a server that answers later, to see how many checks run at once ---- */

typedef struct {
  RcTestServer srv;
  GPtrArray *held; /* SoupServerMessage* waiting for their answer */
  guint in_flight, peak, asked;
  GHashTable *ids; /* ids asked about */
  guint phone_pages;
} Slow;

static gboolean
answer_held (gpointer user_data)
{
  Slow *s = user_data;

  while (s->held->len > 0) {
    SoupServerMessage *msg = g_ptr_array_steal_index (s->held, 0);

    rc_test_respond (msg, 200, "{\"smsCampaignInfo\":{\"id\":\"C1\",\"status\":\"Confirmed\"}}");
    soup_server_message_unpause (msg);
    g_object_unref (msg);
    s->in_flight--;
  }
  return G_SOURCE_REMOVE;
}

static void
slow_handler (SoupServerMessage *msg, const char *path, const char *body, gpointer user_data)
{
  Slow *s = user_data;

  if (g_str_has_suffix (path, "/sms-configuration")) {
    g_auto (GStrv) parts = g_strsplit (path, "/", -1);

    g_hash_table_add (s->ids, g_strdup (parts[g_strv_length (parts) - 2]));
    s->asked++;
    s->in_flight++;
    s->peak = MAX (s->peak, s->in_flight);
    soup_server_message_pause (msg);
    g_ptr_array_add (s->held, g_object_ref (msg));
    /* Answer after a moment, so that the client could start more meanwhile. */
    if (s->held->len == 1)
      g_timeout_add (30, answer_held, s);
    return;
  }
  if (g_str_has_suffix (path, "/phone-number")) {
    GString *page = g_string_new ("{\"records\": [");

    s->phone_pages++;
    for (guint i = 0; i < 12; i++)
      g_string_append_printf (page,
                              "%s{\"id\": %u, \"phoneNumber\": \"+1650555%04u\", \"usageType\": "
                              "\"DirectNumber\", \"paymentType\": \"Local\", \"features\": "
                              "[\"SmsSender\"]}",
                              i > 0 ? "," : "", 200 + i, i);
    g_string_append (page, "], \"paging\": {\"page\": 1, \"totalPages\": 1}}");
    rc_test_respond (msg, 200, page->str);
    g_string_free (page, TRUE);
    return;
  }
  rc_test_respond (msg, 404, "{\"errorCode\":\"CMN-102\",\"message\":\"Not found\"}");
}

static void
slow_start (Slow *s)
{
  memset (s, 0, sizeof *s);
  s->held = g_ptr_array_new ();
  s->ids = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  rc_test_server_start (&s->srv, slow_handler, s);
}

static void
slow_stop (Slow *s)
{
  rc_test_server_stop (&s->srv);
  g_ptr_array_unref (s->held);
  g_hash_table_unref (s->ids);
}

static void
test_bounded_concurrency (void)
{
  Slow s;
  g_autoptr (RcClient) client = NULL;
  g_autoptr (GPtrArray) senders = numbers_new (RC_REGISTRATION_MAX_NUMBERS);
  g_autoptr (GAsyncResult) result = NULL;
  g_autoptr (GPtrArray) checked = NULL;

  slow_start (&s);
  client = rc_test_client_new (s.srv.base_url);
  rc_registration_fetch_async (client, senders, NULL, rc_test_got_result, &result);
  rc_test_wait_result (&result);
  checked = rc_registration_fetch_finish_checked (client, result, NULL);
  g_assert_nonnull (checked);
  g_test_message ("peak in flight: %u", s.peak);
  g_assert_cmpuint (checked->len, ==, RC_REGISTRATION_MAX_NUMBERS);
  g_assert_cmpuint (s.asked, ==, RC_REGISTRATION_MAX_NUMBERS); /* each once */
  g_assert_cmpuint (g_hash_table_size (s.ids), ==, RC_REGISTRATION_MAX_NUMBERS);
  g_assert_cmpuint (s.peak, >, 1);
  g_assert_cmpuint (s.peak, <=, RC_REGISTRATION_CONCURRENCY);
  for (guint i = 0; i < senders->len; i++)
    g_assert_cmpint (((RcPhoneNumber *)senders->pdata[i])->registration, ==,
                     RC_REGISTRATION_CONFIRMED);
  slow_stop (&s);
}

static void
refresh (RcSenderList *list)
{
  g_autoptr (GAsyncResult) result = NULL;
  g_autoptr (GError) error = NULL;

  rc_sender_list_refresh_async (list, NULL, rc_test_got_result, &result);
  rc_test_wait_result (&result);
  g_assert_true (rc_sender_list_refresh_finish (list, result, &error));
  g_assert_no_error (error);
}

/* A second sign-on within the day asks nothing; a day later, it asks again. */
static void
test_checks_remembered (void)
{
  Slow s;
  g_autoptr (RcClient) client = NULL;
  g_autoptr (RcSenderList) first = NULL;
  g_autoptr (RcSenderList) again = NULL;
  g_autoptr (RcSenderList) stale = NULL;
  g_autofree char *saved = NULL;
  g_autofree char *old = NULL;
  GPtrArray *numbers;

  slow_start (&s);
  client = rc_test_client_new (s.srv.base_url);
  first = rc_sender_list_new (client);
  rc_sender_list_set_registration_wait (first, 10000);
  refresh (first);
  g_assert_cmpuint (s.asked, ==, 12);
  /* The same session refreshing: nothing asked. */
  refresh (first);
  g_assert_cmpuint (s.asked, ==, 12);
  g_assert_cmpint (((RcPhoneNumber *)rc_sender_list_get (first)->pdata[3])->registration, ==,
                   RC_REGISTRATION_CONFIRMED);

  /* The next sign-on, restored: nothing asked either, and the numbers are filled in. */
  saved = rc_sender_list_save_registration (first);
  g_assert_nonnull (saved);
  again = rc_sender_list_new (client);
  rc_sender_list_restore_registration (again, "{damaged");
  rc_sender_list_restore_registration (again, "{\"1\": [9, null, 1], \"2\": \"x\"}");
  rc_sender_list_restore_registration (again, saved);
  refresh (again);
  g_assert_cmpuint (s.asked, ==, 12);
  numbers = rc_sender_list_get (again);
  g_assert_cmpuint (numbers->len, ==, 12);
  for (guint i = 0; i < numbers->len; i++) {
    g_assert_cmpint (((RcPhoneNumber *)numbers->pdata[i])->registration, ==,
                     RC_REGISTRATION_CONFIRMED);
    g_assert_cmpstr (((RcPhoneNumber *)numbers->pdata[i])->campaign_status, ==, "Confirmed");
  }

  /* Answers older than a day are asked again. */
  {
    GString *s_old = g_string_new ("{");
    gint64 day_ago = g_get_real_time () / G_USEC_PER_SEC - RC_SENDER_LIST_RECHECK_S - 10;

    for (guint i = 0; i < 12; i++)
      g_string_append_printf (s_old, "%s\"%u\": [1, \"Confirmed\", %" G_GINT64_FORMAT "]",
                              i > 0 ? "," : "", 200 + i, i < 6 ? day_ago : day_ago + 3600);
    g_string_append (s_old, "}");
    old = g_string_free (s_old, FALSE);
  }
  stale = rc_sender_list_new (client);
  rc_sender_list_restore_registration (stale, old);
  refresh (stale);
  g_assert_cmpuint (s.asked, ==, 12 + 6);
  slow_stop (&s);
}

int
main (int argc, char **argv)
{
  rc_test_fake_init (&argc, &argv);
  g_test_add ("/registration-load/401-storm", RcTestFake, NULL, rc_test_fake_setup, test_401_storm,
              rc_test_fake_teardown);
  g_test_add_func ("/registration-load/bounded-concurrency", test_bounded_concurrency);
  g_test_add_func ("/registration-load/checks-remembered", test_checks_remembered);
  return g_test_run ();
}
