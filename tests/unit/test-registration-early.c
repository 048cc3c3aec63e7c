/* test-registration-early.c: the registration checks (sms-configuration) of a refresh start as
 * soon as the number pages read so far hold RC_REGISTRATION_MAX_NUMBERS texting numbers to ask
 * about, before the last page is answered (issue 10: at 10,000 numbers they no longer wait for
 * it), with the same result as before: the first such numbers of the whole list, remembered for a
 * day; a list that fails or is cancelled meanwhile leaves no check running. */
#include <string.h>

#include "rc-registration.h"
#include "rc-sender-list.h"
#include "rc-test-util.h"

/* Two pages of numbers; page 2 is held until the test answers it. Page 1 has no totalPages, so
 * that page 2 is asked for only after page 1 was read (no page asked ahead). */
typedef struct {
  RcTestServer srv;
  guint texting1, other1, texting2; /* texting / other numbers on page 1, texting on page 2 */
  gboolean hold_checks;             /* checks are held (never answered) */
  SoupServerMessage *page2;         /* held page 2 (a reference), NULL when not asked yet */
  const char *page2_body;           /* its answer, NULL: the numbers */
  GPtrArray *held;                  /* SoupServerMessage*: held checks */
  GPtrArray *asked;                 /* char*: ids of the checks, in arrival order */
  guint checks_before_page2;        /* checks that came before page 2 was answered */
  gboolean page2_answered;
} Early;

static void
append_number (GString *page, guint id, gboolean texting)
{
  g_string_append_printf (page,
                          "%s{\"id\": %u, \"phoneNumber\": \"+1650555%04u\", \"usageType\": "
                          "\"DirectNumber\", \"paymentType\": \"Local\", \"features\": [\"%s\"]}",
                          page->str[page->len - 1] == '[' ? "" : ",", id, id,
                          texting ? "SmsSender" : "CallerId");
}

static char *
page2_text (Early *e)
{
  GString *page = g_string_new ("{\"records\": [");

  for (guint i = 0; i < e->texting2; i++)
    append_number (page, 2000 + i, TRUE);
  g_string_append (page, "], \"paging\": {\"page\": 2, \"totalPages\": 2}}");
  return g_string_free (page, FALSE);
}

static void
early_handler (SoupServerMessage *msg, const char *path, const char *body, gpointer user_data)
{
  Early *e = user_data;
  const char *query = g_uri_get_query (soup_server_message_get_uri (msg));

  if (g_str_has_suffix (path, "/sms-configuration")) {
    g_auto (GStrv) parts = g_strsplit (path, "/", -1);

    g_ptr_array_add (e->asked, g_strdup (parts[g_strv_length (parts) - 2]));
    if (!e->page2_answered)
      e->checks_before_page2++;
    if (e->hold_checks) {
      soup_server_message_pause (msg);
      g_ptr_array_add (e->held, g_object_ref (msg));
      return;
    }
    rc_test_respond (msg, 200, "{\"smsCampaignInfo\": {\"status\": \"Confirmed\"}}");
    return;
  }
  if (g_str_has_suffix (path, "/phone-number") && query != NULL && strstr (query, "page=2")) {
    soup_server_message_pause (msg);
    e->page2 = g_object_ref (msg);
    return;
  }
  if (g_str_has_suffix (path, "/phone-number")) {
    GString *page = g_string_new ("{\"records\": [");
    guint id = 1000;

    /* Texting and other numbers interleaved: two texting, one not. */
    for (guint t = 0, o = 0; t < e->texting1 || o < e->other1;) {
      gboolean texting = t < e->texting1 && (o >= e->other1 || (t + o) % 3 != 2);

      append_number (page, id++, texting);
      if (texting)
        t++;
      else
        o++;
    }
    g_string_append_printf (page,
                            "], \"paging\": {\"page\": 1}, \"navigation\": {\"nextPage\": "
                            "{\"uri\": \"%s/restapi/v1.0/account/~/extension/~/phone-number"
                            "?perPage=1000&page=2\"}}}",
                            e->srv.base_url);
    rc_test_respond (msg, 200, page->str);
    g_string_free (page, TRUE);
    return;
  }
  rc_test_respond (msg, 404, "{\"errorCode\":\"CMN-102\",\"message\":\"Not found\"}");
}

static void
early_start (Early *e, guint texting1, guint other1, guint texting2)
{
  memset (e, 0, sizeof *e);
  e->texting1 = texting1;
  e->other1 = other1;
  e->texting2 = texting2;
  e->held = g_ptr_array_new_with_free_func (g_object_unref);
  e->asked = g_ptr_array_new_with_free_func (g_free);
  rc_test_server_start (&e->srv, early_handler, e);
}

static void
answer_page2 (Early *e)
{
  g_autofree char *text = e->page2_body != NULL ? g_strdup (e->page2_body) : page2_text (e);

  e->page2_answered = TRUE;
  rc_test_respond (e->page2, 200, text);
  soup_server_message_unpause (e->page2);
  g_clear_object (&e->page2);
}

static void
early_stop (Early *e)
{
  for (guint i = 0; i < e->held->len; i++) {
    rc_test_respond (e->held->pdata[i], 503, NULL);
    soup_server_message_unpause (e->held->pdata[i]);
  }
  if (e->page2 != NULL)
    answer_page2 (e);
  rc_test_server_stop (&e->srv);
  g_ptr_array_unref (e->held);
  g_ptr_array_unref (e->asked);
}

/* Iterates until page 2 was asked for and @checks checks came (or 20 s passed). */
static void
wait_page2_and_checks (Early *e, guint checks)
{
  gint64 deadline = g_get_monotonic_time () + 20 * G_USEC_PER_SEC;

  while ((e->page2 == NULL || e->asked->len < checks) && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
}

/* 30 texting numbers (and 15 others) on page 1: the 25 checks go out while page 2 is held, for
 * the first 25 texting numbers; the whole list comes with their answers, remembered. */
static void
test_before_last_page (void)
{
  Early e;
  g_autoptr (RcClient) client = NULL;
  g_autoptr (RcSenderList) list = NULL;
  g_autoptr (GAsyncResult) result = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonNode) saved = NULL;
  g_autofree char *saved_text = NULL;
  GPtrArray *numbers;

  early_start (&e, 30, 15, 40);
  client = rc_test_client_new (e.srv.base_url);
  list = rc_sender_list_new (client);
  rc_sender_list_set_registration_wait (list, 10000);
  rc_sender_list_refresh_async (list, NULL, rc_test_got_result, &result);
  wait_page2_and_checks (&e, RC_REGISTRATION_MAX_NUMBERS);
  g_assert_nonnull (e.page2);
  g_assert_null (result);
  /* Every check was asked for while the last page was still unanswered. */
  g_assert_cmpuint (e.checks_before_page2, ==, RC_REGISTRATION_MAX_NUMBERS);
  answer_page2 (&e);
  rc_test_wait_result (&result);
  g_assert_true (rc_sender_list_refresh_finish (list, result, &error));
  g_assert_no_error (error);

  numbers = rc_sender_list_get (list);
  g_assert_cmpuint (numbers->len, ==, 30 + 40);
  g_assert_cmpuint (e.asked->len, ==, RC_REGISTRATION_MAX_NUMBERS); /* each once */
  for (guint i = 0; i < numbers->len; i++) {
    const RcPhoneNumber *n = numbers->pdata[i];

    if (i < RC_REGISTRATION_MAX_NUMBERS) {
      /* The first alone, then 4 at a time on several connections: they may arrive in any order
       * after the first. */
      if (i == 0)
        g_assert_cmpstr (n->id, ==, e.asked->pdata[0]);
      g_assert_true (g_ptr_array_find_with_equal_func (e.asked, n->id, g_str_equal, NULL));
      g_assert_cmpint (n->registration, ==, RC_REGISTRATION_CONFIRMED);
      g_assert_cmpstr (n->campaign_status, ==, "Confirmed");
    } else {
      g_assert_cmpint (n->registration, ==, RC_REGISTRATION_UNKNOWN);
    }
  }
  saved_text = rc_sender_list_save_registration (list);
  saved = rc_test_parse_json (saved_text);
  g_assert_cmpuint (json_object_get_size (json_node_get_object (saved)), ==,
                    RC_REGISTRATION_MAX_NUMBERS);
  early_stop (&e);
}

/* 10 texting numbers on page 1: the checks wait for page 2 and ask about the first 25 texting
 * numbers of the whole list (10 + 15). */
static void
test_few_on_first_page (void)
{
  Early e;
  g_autoptr (RcClient) client = NULL;
  g_autoptr (RcSenderList) list = NULL;
  g_autoptr (GAsyncResult) result = NULL;
  g_autoptr (GError) error = NULL;
  GPtrArray *numbers;

  early_start (&e, 10, 20, 30);
  client = rc_test_client_new (e.srv.base_url);
  list = rc_sender_list_new (client);
  rc_sender_list_set_registration_wait (list, 10000);
  rc_sender_list_refresh_async (list, NULL, rc_test_got_result, &result);
  wait_page2_and_checks (&e, 0);
  answer_page2 (&e);
  rc_test_wait_result (&result);
  g_assert_true (rc_sender_list_refresh_finish (list, result, &error));
  numbers = rc_sender_list_get (list);
  g_assert_cmpuint (numbers->len, ==, 40);
  g_assert_cmpuint (e.checks_before_page2, ==, 0);
  g_assert_cmpuint (e.asked->len, ==, RC_REGISTRATION_MAX_NUMBERS);
  for (guint i = 0; i < numbers->len; i++)
    g_assert_cmpint (((RcPhoneNumber *)numbers->pdata[i])->registration, ==,
                     i < RC_REGISTRATION_MAX_NUMBERS ? RC_REGISTRATION_CONFIRMED
                                                     : RC_REGISTRATION_UNKNOWN);
  early_stop (&e);
}

/* The last page is garbled (or the refresh cancelled) while a check runs: the refresh fails, no
 * more checks are asked, nothing is remembered, and nothing outlives it (ASan). */
static void
fails_while_checking (gboolean cancel)
{
  Early e;
  g_autoptr (RcClient) client = NULL;
  g_autoptr (RcSenderList) list = NULL;
  g_autoptr (GAsyncResult) result = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (GCancellable) cancellable = g_cancellable_new ();

  early_start (&e, 30, 0, 30);
  e.hold_checks = TRUE;
  e.page2_body = "{\"records\": 5}";
  client = rc_test_client_new (e.srv.base_url);
  list = rc_sender_list_new (client);
  rc_sender_list_refresh_async (list, cancellable, rc_test_got_result, &result);
  wait_page2_and_checks (&e, 1);
  g_assert_cmpuint (e.asked->len, ==, 1); /* one until the first answer */
  if (cancel)
    g_cancellable_cancel (cancellable);
  else
    answer_page2 (&e);
  rc_test_wait_result (&result);
  g_assert_false (rc_sender_list_refresh_finish (list, result, &error));
  if (cancel)
    g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  else
    g_assert_error (error, RC_ERROR, RC_ERROR_BAD_RESPONSE);
  g_assert_cmpuint (e.asked->len, ==, 1);
  g_assert_false (rc_sender_list_is_loaded (list));
  g_assert_null (rc_sender_list_save_registration (list));
  g_clear_object (&list);
  g_clear_object (&client);
  early_stop (&e);
}

static void
test_list_fails (void)
{
  fails_while_checking (FALSE);
}

static void
test_cancelled (void)
{
  fails_while_checking (TRUE);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/registration-early/before-last-page", test_before_last_page);
  g_test_add_func ("/registration-early/few-on-first-page", test_few_on_first_page);
  g_test_add_func ("/registration-early/list-fails", test_list_fails);
  g_test_add_func ("/registration-early/cancelled", test_cancelled);
  return g_test_run ();
}
