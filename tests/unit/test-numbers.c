/* test-numbers.c: parsing the phone-number list, roles and capabilities, fetching every page. */
#include <stdlib.h>
#include <string.h>
#include <glib.h>
#include <libsoup/soup.h>

#include "rc-error.h"
#include "rc-json.h"
#include "rc-numbers.h"
#include "rc-test-util.h"

static void
test_fixture (void)
{
  g_autoptr (JsonNode) root = rc_test_load_fixture ("phone-number-list.json");
  g_autoptr (GError) error = NULL;
  char *next = (char *)"untouched";
  g_autoptr (GPtrArray) numbers = rc_numbers_parse_page (root, &next, &error);
  g_autoptr (GPtrArray) senders = NULL;
  const RcPhoneNumber *main_number;
  g_autofree char *described = NULL;

  g_assert_no_error (error);
  g_assert_null (next); /* the fixture has no nextPage */
  g_assert_cmpuint (numbers->len, ==, 5);

  g_assert_cmpstr (((RcPhoneNumber *)numbers->pdata[0])->id, ==, "299282004");
  g_assert_cmpstr (((RcPhoneNumber *)numbers->pdata[0])->e164, ==, "+12092075555");
  g_assert_cmpstr (((RcPhoneNumber *)numbers->pdata[0])->usage_type, ==, "CompanyNumber");
  g_assert_cmpstr (((RcPhoneNumber *)numbers->pdata[1])->usage_type, ==, "DirectNumber");

  main_number = numbers->pdata[4];
  g_assert_cmpstr (main_number->e164, ==, "+18883495556");
  g_assert_cmpstr (main_number->usage_type, ==, "MainCompanyNumber");
  g_assert_cmpstr (main_number->payment_type, ==, "TollFree");
  g_assert_cmpint (main_number->features, ==,
                   RC_FEATURE_SMS | RC_FEATURE_MMS | RC_FEATURE_CALLER_ID);
  described = rc_phone_number_describe (main_number);
  g_assert_cmpstr (described, ==, "+1 888-349-5556 (Main company number, toll-free) — SMS, MMS");

  senders = rc_numbers_filter_senders (numbers);
  g_assert_cmpuint (senders->len, ==, 5);
  for (guint i = 0; i < senders->len; i++)
    g_assert_cmpstr (((RcPhoneNumber *)senders->pdata[i])->e164, ==,
                     ((RcPhoneNumber *)numbers->pdata[i])->e164);
}

/* Numbers that cannot text, redacted numbers and unknown features. */
static const char *mixed_page
    = "{\"records\": ["
      " {\"id\": 1, \"phoneNumber\": \"+16505550100\", \"usageType\": \"DirectNumber\","
      "  \"features\": [\"SmsSender\", \"MmsSender\", \"CallerId\", \"HoloSender\"]},"
      " {\"id\": 2, \"phoneNumber\": \"+16505550101\", \"type\": \"FaxOnly\","
      "  \"usageType\": \"CompanyFaxNumber\", \"features\": []},"
      " {\"id\": 3, \"phoneNumber\": \"+16505550102\", \"usageType\": \"CompanyNumber\","
      "  \"features\": [\"CallerId\"]},"
      " {\"id\": 4, \"phoneNumber\": \"+16505550103\", \"usageType\": \"DirectNumber\","
      "  \"features\": [\"A2PSmsSender\"]},"
      " {\"id\": \"5\", \"phoneNumber\": \"+1657390XXXX\", \"usageType\": \"DirectNumber\","
      "  \"features\": [\"SmsSender\"]},"
      " {\"id\": 6, \"usageType\": \"DirectNumber\", \"features\": [\"SmsSender\"]},"
      " {\"id\": \"7\", \"phoneNumber\": \"+16505550107\", \"usageType\": \"DirectNumber\","
      "  \"extension\": {\"id\": 9, \"type\": \"Department\"},"
      "  \"features\": [\"SmsSender\", 12, null, \"InternationalSmsSender\"]},"
      " {\"id\": 8, \"phoneNumber\": \"+16505550108\", \"label\": \"Support line\","
      "  \"usageType\": \"MainCompanyNumber\", \"features\": [\"MmsSender\"]},"
      " {\"id\": 9, \"phoneNumber\": \"+16505550109\", \"usageType\": \"ContactCenterNumber\"}"
      "],"
      " \"paging\": {\"page\": 1, \"totalPages\": 2, \"perPage\": 100},"
      " \"navigation\": {\"nextPage\": {\"uri\": "
      "\"https://platform.ringcentral.com/next?page=2\"}}}";

static void
test_mixed (void)
{
  g_autoptr (JsonNode) root = rc_test_parse_json (mixed_page);
  g_autoptr (GError) error = NULL;
  g_autofree char *next = NULL;
  g_autoptr (GPtrArray) numbers = rc_numbers_parse_page (root, &next, &error);
  g_autoptr (GPtrArray) senders = NULL;
  const RcPhoneNumber *n;

  g_assert_no_error (error);
  g_assert_cmpstr (next, ==, "https://platform.ringcentral.com/next?page=2");
  /* The redacted one and the one without a number are skipped, everything else parsed. */
  g_assert_cmpuint (numbers->len, ==, 7);
  for (guint i = 0; i < numbers->len; i++)
    g_assert_cmpstr (((RcPhoneNumber *)numbers->pdata[i])->id, !=, "5");

  n = numbers->pdata[0];
  g_assert_cmpint (n->features, ==, RC_FEATURE_SMS | RC_FEATURE_MMS | RC_FEATURE_CALLER_ID);

  senders = rc_numbers_filter_senders (numbers);
  g_assert_cmpuint (senders->len, ==, 3); /* FaxOnly, CallerId-only, A2P-only, none: out */
  n = senders->pdata[0];
  g_assert_cmpstr (n->e164, ==, "+16505550100");
  n = senders->pdata[1];
  g_assert_cmpstr (n->id, ==, "7");
  g_assert_cmpstr (n->extension_type, ==, "Department");
  g_assert_cmpint (n->features, ==, RC_FEATURE_SMS | RC_FEATURE_INTERNATIONAL);
  n = senders->pdata[2];
  g_assert_cmpstr (n->label, ==, "Support line");
  g_assert_false (n->features & RC_FEATURE_SMS);

  {
    g_autofree char *d0 = rc_phone_number_describe (senders->pdata[0]);
    g_autofree char *d1 = rc_phone_number_describe (senders->pdata[1]);
    g_autofree char *d2 = rc_phone_number_describe (senders->pdata[2]);
    g_autofree char *d3 = rc_phone_number_describe (numbers->pdata[2]);

    g_assert_cmpstr (d0, ==, "+1 650-555-0100 (Direct) — SMS, MMS");
    g_assert_cmpstr (d1, ==, "+1 650-555-0107 (Call queue) — SMS, international");
    g_assert_cmpstr (d2, ==, "+1 650-555-0108 (Support line) — MMS");
    g_assert_cmpstr (d3, ==, "+1 650-555-0102 (Company) — cannot text");
  }
}

static void
test_roles (void)
{
  static const char *const cases[][2] = {
    { "DirectNumber", "Direct" },
    { "MainCompanyNumber", "Main company number" },
    { "CompanyNumber", "Company" },
    { "AdditionalCompanyNumber", "Company" },
    { "ContactCenterNumber", "Contact center" },
    { "ForwardedNumber", "Forwarded" },
    { "ForwardedCompanyNumber", "Forwarded" },
    { "BusinessMobileNumber", "Business mobile" },
    { "FmcBusinessMobileNumber", "Business mobile" },
    { "PartnerBusinessMobileNumber", "Business mobile" },
    { "SomethingNew", "SomethingNew" },
  };
  RcPhoneNumber number = { .e164 = "+16505550100" };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++) {
    g_autofree char *role = NULL;

    number.usage_type = (char *)cases[i][0];
    role = rc_phone_number_role (&number);
    g_assert_cmpstr (role, ==, cases[i][1]);
  }
  {
    g_autofree char *role = NULL;

    number.usage_type = (char *)"DirectNumber";
    number.payment_type = (char *)"TollFree";
    role = rc_phone_number_role (&number);
    g_assert_cmpstr (role, ==, "Direct, toll-free");
  }
  {
    g_autofree char *caps = NULL;
    g_autoptr (RcPhoneNumber) copy = NULL;

    number.features = RC_FEATURE_SMS | RC_FEATURE_MMS | RC_FEATURE_INTERNATIONAL;
    caps = rc_phone_number_capabilities (&number);
    g_assert_cmpstr (caps, ==, "SMS, MMS, international");
    g_assert_true (rc_phone_number_can_text (&number));
    copy = rc_phone_number_copy (&number);
    g_assert_cmpstr (copy->payment_type, ==, "TollFree");
    g_assert_cmpint (copy->features, ==, number.features);
  }
}

static void
test_bad_shapes (void)
{
  static const char *const bad[] = {
    "[]",
    "42",
    "null",
    "{}",
    "{\"records\": {}}",
    "{\"records\": \"none\"}",
    "{\"records\": [42]}",
    "{\"records\": [[]]}",
    "{\"records\": [{\"id\": 1, \"phoneNumber\": \"+16505550100\", \"features\": \"SmsSender\"}]}",
  };

  for (gsize i = 0; i < G_N_ELEMENTS (bad); i++) {
    g_autoptr (JsonNode) root = rc_test_parse_json (bad[i]);
    g_autoptr (GError) error = NULL;
    char *next = (char *)"untouched";
    GPtrArray *numbers;

    g_test_message ("bad shape %s", bad[i]);
    numbers = rc_numbers_parse_page (root, &next, &error);
    g_assert_null (numbers);
    g_assert_null (next);
    g_assert_error (error, RC_ERROR, RC_ERROR_BAD_RESPONSE);
  }

  /* Odd but harmless: an empty list, a navigation without nextPage, a nextPage without uri. */
  {
    g_autoptr (JsonNode) root = rc_test_parse_json (
        "{\"records\": [], \"navigation\": {\"nextPage\": {\"uri\": 5}}, \"paging\": \"x\"}");
    g_autoptr (GError) error = NULL;
    g_autofree char *next = NULL;
    g_autoptr (GPtrArray) numbers = rc_numbers_parse_page (root, &next, &error);

    g_assert_no_error (error);
    g_assert_cmpuint (numbers->len, ==, 0);
    g_assert_null (next);
  }
}

/* ---- fetching, against a tiny local server ---- */

typedef enum {
  MODE_SAME_ORIGIN, /* nextPage points at us */
  MODE_FOREIGN,     /* nextPage points elsewhere: must not be followed */
  MODE_ENDLESS,     /* always one more page */
  MODE_FAIL_PAGE_2, /* page 2 answers 403 */
  MODE_EMPTY_PAGE,  /* page 2 is empty but claims a next page */
  /* One page of PARTS_RECORDS records (rc-numbers-fetch.c reads it in two parts) */
  MODE_PARTS,         /* every record texting */
  MODE_BAD_PART,      /* record BAD_RECORD (in the second part) has a features that is no list */
  MODE_RECORDS_TWICE, /* the page names records twice (the cut refuses it: parsed whole) */
  /* totalPages 6: page k + 1 is asked for while page k is parsed (rc-numbers-fetch.c) */
  MODE_PAGED,      /* six pages, nextPage page=k+1&perPage=1000 */
  MODE_BAD_PAGE_2, /* page 2 is not JSON */
  MODE_CANCEL,     /* asking for page 3 (while page 2 is parsed) cancels the fetch */
  MODE_OTHER_NEXT, /* page 2's nextPage names page 3 with its parameters the other way round */
} Mode;

#define PAGED_TOTAL   6
#define PARTS_RECORDS 200
#define BAD_RECORD    150

static gboolean
paged (Mode mode)
{
  return mode >= MODE_PAGED;
}

typedef struct {
  SoupServer *server;
  char *base;
  Mode mode;
  GPtrArray *requests; /* "path?query" strings */
  GCancellable *cancellable;
} Fixture;

static char *
page_body (Fixture *f, guint page, gboolean empty)
{
  GString *s = g_string_new ("{\"records\": [");

  if (!empty)
    g_string_append_printf (s,
                            "{\"id\": %u, \"phoneNumber\": \"+165055501%02u\","
                            " \"usageType\": \"DirectNumber\", \"features\": [\"SmsSender\"]},"
                            "{\"id\": %u, \"phoneNumber\": \"+165055502%02u\","
                            " \"usageType\": \"DirectNumber\", \"features\": [\"CallerId\"]}",
                            page, page % 100, 1000 + page, page % 100);
  g_string_append_printf (s, "], \"paging\": {\"page\": %u, \"perPage\": 1000", page);
  if (paged (f->mode))
    g_string_append_printf (s, ", \"totalPages\": %d", PAGED_TOTAL);
  else if (f->mode != MODE_ENDLESS && f->mode != MODE_EMPTY_PAGE)
    g_string_append (s, ", \"totalPages\": 2");
  g_string_append (s, "}");
  if (f->mode == MODE_OTHER_NEXT && page == 2)
    g_string_append_printf (s,
                            ", \"navigation\": {\"nextPage\": {\"uri\": \"%s/restapi/v1.0/account/"
                            "~/extension/~/phone-number?perPage=1000&page=3\"}}",
                            f->base);
  else if (page < 2 || f->mode == MODE_ENDLESS || f->mode == MODE_EMPTY_PAGE
           || (paged (f->mode) && page < PAGED_TOTAL)) {
    const char *origin = f->mode == MODE_FOREIGN ? "https://elsewhere.example.com" : f->base;

    g_string_append_printf (s,
                            ", \"navigation\": {\"nextPage\": {\"uri\": \"%s/restapi/v1.0/account/"
                            "~/extension/~/phone-number?page=%u&perPage=1000\"}}",
                            origin, page + 1);
  }
  g_string_append (s, "}");
  return g_string_free (s, FALSE);
}

/* The one page of MODE_PARTS, MODE_BAD_PART and MODE_RECORDS_TWICE. */
static char *
parts_body (Fixture *f)
{
  GString *s = g_string_new ("{\"uri\": \"x\", ");

  if (f->mode == MODE_RECORDS_TWICE)
    g_string_append (s, "\"records\": [{\"id\": 9, \"phoneNumber\": \"+16505559999\", "
                        "\"features\": [\"SmsSender\"]}], ");
  g_string_append (s, "\"records\": [");
  for (guint i = 1; i <= PARTS_RECORDS; i++)
    g_string_append_printf (s,
                            "%s{\"id\": %u, \"phoneNumber\": \"+1650555%04u\", "
                            "\"usageType\": \"DirectNumber\", \"features\": %s}",
                            i > 1 ? ",\n " : "", i, i,
                            f->mode == MODE_BAD_PART && i == BAD_RECORD ? "7" : "[\"SmsSender\"]");
  g_string_append (s, "], \"paging\": {\"page\": 1, \"totalPages\": 1}}");
  return g_string_free (s, FALSE);
}

static void
handler (SoupServer *server, SoupServerMessage *msg, const char *path, GHashTable *query,
         gpointer user_data)
{
  Fixture *f = user_data;
  GUri *uri = soup_server_message_get_uri (msg);
  const char *page_s = query ? g_hash_table_lookup (query, "page") : NULL;
  guint page = page_s ? (guint)atoi (page_s) : 1;
  g_autofree char *body = NULL;

  g_ptr_array_add (f->requests, g_strdup_printf ("%s?%s", path, g_uri_get_query (uri)));
  if (f->mode == MODE_FAIL_PAGE_2 && page == 2) {
    static const char err[] = "{\"errorCode\": \"CMN-408\", \"message\": \"No permission\","
                              " \"errors\": [{\"errorCode\": \"CMN-408\", \"message\": \"No\"}]}";

    soup_server_message_set_status (msg, 403, NULL);
    soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_STATIC, err,
                                      strlen (err));
    return;
  }
  if (f->mode == MODE_CANCEL && page == 3)
    g_cancellable_cancel (f->cancellable);
  if (f->mode == MODE_BAD_PAGE_2 && page == 2) {
    static const char bad[] = "{\"records\": [{\"id\": 1, \"phoneNumber\": ";

    soup_server_message_set_status (msg, 200, NULL);
    soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_STATIC, bad,
                                      strlen (bad));
    return;
  }
  if (f->mode == MODE_PARTS || f->mode == MODE_BAD_PART || f->mode == MODE_RECORDS_TWICE)
    body = parts_body (f);
  else
    body = page_body (f, page, f->mode == MODE_EMPTY_PAGE && page == 2);
  soup_server_message_set_status (msg, 200, NULL);
  soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_COPY, body, strlen (body));
}

static void
fixture_set_up (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  GSList *uris;

  f->mode = GPOINTER_TO_INT (data);
  f->requests = g_ptr_array_new_with_free_func (g_free);
  f->cancellable = g_cancellable_new ();
  f->server = soup_server_new (NULL, NULL);
  soup_server_add_handler (f->server, NULL, handler, f, NULL);
  soup_server_listen_local (f->server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error);
  g_assert_no_error (error);
  uris = soup_server_get_uris (f->server);
  f->base = g_strdup_printf ("http://127.0.0.1:%d", g_uri_get_port (uris->data));
  g_slist_free_full (uris, (GDestroyNotify)g_uri_unref);
}

static void
fixture_tear_down (Fixture *f, gconstpointer data)
{
  soup_server_disconnect (f->server);
  g_object_unref (f->server);
  g_ptr_array_unref (f->requests);
  g_object_unref (f->cancellable);
  g_free (f->base);
}

static RcClient *
make_client (Fixture *f)
{
  g_autoptr (GError) error = NULL;
  RcClient *client = rc_client_new (f->base, "test-client", NULL, &error);
  RcTokens tokens = { 0 };

  g_assert_no_error (error);
  tokens.access_token = (char *)"test-access-token";
  tokens.access_expires_at = g_get_real_time () / G_USEC_PER_SEC + 3600;
  tokens.refresh_token = (char *)"test-refresh-token";
  tokens.refresh_expires_at = g_get_real_time () / G_USEC_PER_SEC + 86400;
  rc_client_set_tokens (client, &tokens);
  return client;
}

static GPtrArray *
fetch (Fixture *f, GError **error)
{
  g_autoptr (RcClient) client = make_client (f);
  g_autoptr (GAsyncResult) result = NULL;

  rc_numbers_fetch_senders_async (client, f->cancellable, rc_test_got_result, &result);
  rc_test_wait_result (&result);
  return rc_numbers_fetch_senders_finish (client, result, error);
}

static void
test_fetch_same_origin (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) senders = fetch (f, &error);

  g_assert_no_error (error);
  g_assert_cmpuint (f->requests->len, ==, 2);
  g_assert_cmpstr (f->requests->pdata[0], ==,
                   "/restapi/v1.0/account/~/extension/~/phone-number?perPage=1000");
  g_assert_nonnull (strstr (f->requests->pdata[1], "page=2"));
  g_assert_cmpuint (senders->len, ==, 2); /* the CallerId-only ones are dropped */
  g_assert_cmpstr (((RcPhoneNumber *)senders->pdata[0])->e164, ==, "+16505550101");
  g_assert_cmpstr (((RcPhoneNumber *)senders->pdata[1])->e164, ==, "+16505550102");
}

static void
test_fetch_foreign (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) senders = fetch (f, &error);

  g_assert_no_error (error);
  g_assert_cmpuint (f->requests->len, ==, 2);
  /* Asked our own server for the next page instead of following the foreign link. */
  g_assert_cmpstr (f->requests->pdata[1], ==,
                   "/restapi/v1.0/account/~/extension/~/phone-number?perPage=1000&page=2");
  g_assert_cmpuint (senders->len, ==, 2);
}

static void
test_fetch_endless (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) senders = fetch (f, &error);

  g_assert_no_error (error);
  g_assert_cmpuint (f->requests->len, ==, 100);
  g_assert_cmpuint (senders->len, ==, 100);
}

static void
test_fetch_fail (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) senders = fetch (f, &error);

  g_assert_null (senders);
  g_assert_error (error, RC_ERROR, RC_ERROR_NOT_PERMITTED);
  g_assert_cmpuint (f->requests->len, ==, 2);
}

static void
test_fetch_empty_page (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) senders = fetch (f, &error);

  g_assert_no_error (error);
  g_assert_cmpuint (f->requests->len, ==, 2);
  g_assert_cmpuint (senders->len, ==, 1);
}

static gboolean
tick (gpointer data)
{
  return G_SOURCE_CONTINUE;
}

/* Iterates the main loop until the server got @n requests; FALSE after 5 s. */
static gboolean
wait_requests (Fixture *f, guint n)
{
  gint64 deadline = g_get_monotonic_time () + 5 * G_USEC_PER_SEC;
  guint id = g_timeout_add (20, tick, NULL); /* the deadline is seen even when nothing comes */

  while (f->requests->len < n && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  g_source_remove (id);
  return f->requests->len >= n;
}

/* Every page asked for once, in order, none beyond totalPages, and the list in the server's order,
 * although page k + 1 was asked for while page k was parsed in a worker thread. */
static void
test_fetch_paged (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) senders = fetch (f, &error);

  g_assert_no_error (error);
  g_assert_cmpuint (f->requests->len, ==, PAGED_TOTAL);
  g_assert_cmpstr (f->requests->pdata[0], ==,
                   "/restapi/v1.0/account/~/extension/~/phone-number?perPage=1000");
  for (guint i = 1; i < PAGED_TOTAL; i++) {
    g_autofree char *want = g_strdup_printf (
        "/restapi/v1.0/account/~/extension/~/phone-number?page=%u&perPage=1000", i + 1);

    g_assert_cmpstr (f->requests->pdata[i], ==, want);
  }
  g_assert_cmpuint (senders->len, ==, PAGED_TOTAL);
  for (guint i = 0; i < PAGED_TOTAL; i++) {
    g_autofree char *want = g_strdup_printf ("+165055501%02u", i + 1);

    g_assert_cmpstr (((RcPhoneNumber *)senders->pdata[i])->e164, ==, want);
  }
}

/* A page that is not JSON, parsed in the worker thread: RC_ERROR_BAD_RESPONSE, no list. Page 3 was
 * asked for while page 2 was parsed (the worker is really beside the main loop). */
static void
test_fetch_bad_page (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) senders = fetch (f, &error);

  g_assert_null (senders);
  g_assert_error (error, RC_ERROR, RC_ERROR_BAD_RESPONSE);
  g_assert_true (wait_requests (f, 3));
  g_assert_nonnull (strstr (f->requests->pdata[2], "page=3"));
}

/* Cancelled while page 2 is parsed and page 3 is on its way: G_IO_ERROR_CANCELLED, nothing
 * leaks (ASan), nothing runs after the answer. */
static void
test_fetch_cancel_while_parsing (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) senders = fetch (f, &error);

  g_assert_null (senders);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpuint (f->requests->len, ==, 3);
}

/* Page 2's nextPage is not the address asked for ahead: that answer is dropped and nextPage is
 * followed; the list is the same. */
static void
test_fetch_other_next (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) senders = fetch (f, &error);

  g_assert_no_error (error);
  g_assert_cmpuint (senders->len, ==, PAGED_TOTAL);
  for (guint i = 0; i < PAGED_TOTAL; i++) {
    g_autofree char *want = g_strdup_printf ("+165055501%02u", i + 1);

    g_assert_cmpstr (((RcPhoneNumber *)senders->pdata[i])->e164, ==, want);
  }
  /* The one asked ahead (page=3&perPage=1000), then nextPage's (perPage=1000&page=3); while that
   * one is parsed, page 4 is foreseen in its form (perPage=1000&page=4), and dropped again for page
   * 3's nextPage (page=4&perPage=1000); pages 5 and 6 as foreseen. */
  g_assert_cmpuint (f->requests->len, ==, PAGED_TOTAL + 2);
  g_assert_nonnull (strstr (f->requests->pdata[2], "?page=3&perPage=1000"));
  g_assert_nonnull (strstr (f->requests->pdata[3], "?perPage=1000&page=3"));
  g_assert_nonnull (strstr (f->requests->pdata[4], "?perPage=1000&page=4"));
  g_assert_nonnull (strstr (f->requests->pdata[5], "?page=4&perPage=1000"));
}

/* RcNumbersPageFunc: the list's length at each call. */
static void
on_page (GPtrArray *numbers, gpointer user_data)
{
  guint len = numbers->len;

  g_array_append_val ((GArray *)user_data, len);
}

/* fetch() that also records the list's length at each page function call in @calls. */
static GPtrArray *
fetch_counting (Fixture *f, GArray *calls, GError **error)
{
  g_autoptr (RcClient) client = make_client (f);
  g_autoptr (GAsyncResult) result = NULL;

  rc_numbers_fetch_senders_full_async (client, NULL, on_page, calls, f->cancellable,
                                       rc_test_got_result, &result);
  rc_test_wait_result (&result);
  return rc_numbers_fetch_senders_finish (client, result, error);
}

/* A page of 200 records is read in two parts: the first 64 numbers are handed on first (the
 * registration checks start from them), then all 200, in the server's order. */
static void
test_fetch_parts (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GArray) calls = g_array_new (FALSE, FALSE, sizeof (guint));
  g_autoptr (GPtrArray) senders = fetch_counting (f, calls, &error);

  g_assert_no_error (error);
  g_assert_cmpuint (calls->len, ==, 2);
  g_assert_cmpuint (g_array_index (calls, guint, 0), ==, 64);
  g_assert_cmpuint (g_array_index (calls, guint, 1), ==, PARTS_RECORDS);
  g_assert_cmpuint (senders->len, ==, PARTS_RECORDS);
  for (guint i = 0; i < PARTS_RECORDS; i++) {
    g_autofree char *want = g_strdup_printf ("+1650555%04u", i + 1);

    g_assert_cmpstr (((RcPhoneNumber *)senders->pdata[i])->e164, ==, want);
  }
}

/* A bad record in the second part fails the whole list (no partial list), after the first part's
 * numbers were handed on. */
static void
test_fetch_bad_part (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GArray) calls = g_array_new (FALSE, FALSE, sizeof (guint));
  g_autoptr (GPtrArray) senders = fetch_counting (f, calls, &error);

  g_assert_null (senders);
  g_assert_error (error, RC_ERROR, RC_ERROR_BAD_RESPONSE);
  g_assert_cmpuint (calls->len, ==, 1);
  g_assert_cmpuint (g_array_index (calls, guint, 0), ==, 64);
}

/* A page the cut refuses (records named twice) is parsed whole, as before the cut: json-glib
 * keeps the last records member. */
static void
test_fetch_records_twice (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GArray) calls = g_array_new (FALSE, FALSE, sizeof (guint));
  g_autoptr (GPtrArray) senders = fetch_counting (f, calls, &error);

  g_assert_no_error (error);
  g_assert_cmpuint (calls->len, ==, 1);
  g_assert_cmpuint (senders->len, ==, PARTS_RECORDS);
  g_assert_cmpstr (((RcPhoneNumber *)senders->pdata[0])->e164, ==, "+16505550001");
}

/* ---- a page cut into parts ---- */

/* A page of @n texting records, numbered from 1, with paging.page 3. */
static char *
page_of (guint n)
{
  GString *s = g_string_new ("{\"paging\": {\"page\": 3}, \"records\": [ ");

  for (guint i = 1; i <= n; i++)
    g_string_append_printf (s,
                            "%s{\"id\": \"%u\", \"phoneNumber\": \"+1650555%04u\", "
                            "\"label\": \"a \\\"b\\\" ]}\", \"features\": [\"SmsSender\"]}",
                            i > 1 ? " , " : "", i, i);
  g_string_append (s, " ], \"navigation\": {\"nextPage\": {\"uri\": \"/next\"}}}");
  return g_string_free (s, FALSE);
}

/* The parts, parsed one by one, give the numbers the whole page gives, in its order. */
static void
assert_split_same (guint n, guint first, guint parts, guint want_parts)
{
  g_autofree char *text = page_of (n);
  g_autoptr (JsonNode) root = rc_test_parse_json (text);
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) whole = rc_numbers_parse_page (root, NULL, &error);
  g_autoptr (GPtrArray) joined
      = g_ptr_array_new_with_free_func ((GDestroyNotify)rc_phone_number_free);
  RcNumbersSplit split;

  g_test_message ("%u records, first %u, at most %u parts", n, first, parts);
  g_assert_no_error (error);
  g_assert_true (rc_numbers_split_page (text, strlen (text), first, parts, &split, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (split.records, ==, n);
  g_assert_cmpuint (split.parts->len, ==, want_parts);
  g_assert_cmpint (
      json_object_get_int_member (
          json_object_get_object_member (json_node_get_object (split.rest), "paging"), "page"),
      ==, 3);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (
                        json_node_get_object (split.rest), "records")),
                    ==, 0);
  for (guint i = 0; i < split.parts->len; i++) {
    gsize len = 0;
    const char *data = g_bytes_get_data (split.parts->pdata[i], &len);
    g_autoptr (JsonNode) part = rc_json_parse (data, len, "a part", &error);
    g_autoptr (GPtrArray) numbers = NULL;

    g_assert_no_error (error);
    numbers = rc_numbers_parse_records (part, &error);
    g_assert_no_error (error);
    if (i == 0)
      g_assert_cmpuint (numbers->len, ==, parts > 1 ? MIN (n, first) : n);
    for (guint j = 0; j < numbers->len; j++)
      g_ptr_array_add (joined, rc_phone_number_copy (numbers->pdata[j]));
  }
  g_assert_cmpuint (joined->len, ==, whole->len);
  for (guint i = 0; i < whole->len; i++) {
    g_assert_cmpstr (((RcPhoneNumber *)joined->pdata[i])->e164, ==,
                     ((RcPhoneNumber *)whole->pdata[i])->e164);
    g_assert_cmpstr (((RcPhoneNumber *)joined->pdata[i])->label, ==, "a \"b\" ]}");
  }
  rc_numbers_split_clear (&split);
}

static void
test_split (void)
{
  assert_split_same (150, 64, 2, 2);
  assert_split_same (150, 64, 3, 3); /* the rest shared out among two more */
  assert_split_same (150, 64, 1, 1); /* one part: all of them */
  assert_split_same (64, 64, 2, 1);
  assert_split_same (10, 64, 2, 1);
  assert_split_same (0, 64, 2, 0);
  assert_split_same (1000, 1, 5, 5);

  /* Refused by the cut (the caller then parses the page whole): records named twice, text cut
   * short, not an object, no records list. */
  {
    static const char *const refused[] = {
      "{\"records\": [], \"records\": []}",
      "{\"records\": [{\"id\": 1}",
      "[{\"records\": []}]",
      "{\"paging\": {}}",
    };

    for (gsize i = 0; i < G_N_ELEMENTS (refused); i++) {
      g_autoptr (GError) error = NULL;
      RcNumbersSplit split = { 0 };

      g_test_message ("refused: %s", refused[i]);
      g_assert_false (
          rc_numbers_split_page (refused[i], strlen (refused[i]), 64, 2, &split, &error));
      g_assert_error (error, RC_ERROR, RC_ERROR_BAD_RESPONSE);
      g_assert_null (split.parts);
      g_assert_null (split.rest);
    }
  }
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/numbers/fixture", test_fixture);
  g_test_add_func ("/numbers/mixed", test_mixed);
  g_test_add_func ("/numbers/roles", test_roles);
  g_test_add_func ("/numbers/bad-shapes", test_bad_shapes);
  g_test_add ("/numbers/fetch/same-origin", Fixture, GINT_TO_POINTER (MODE_SAME_ORIGIN),
              fixture_set_up, test_fetch_same_origin, fixture_tear_down);
  g_test_add ("/numbers/fetch/foreign-next-page", Fixture, GINT_TO_POINTER (MODE_FOREIGN),
              fixture_set_up, test_fetch_foreign, fixture_tear_down);
  g_test_add ("/numbers/fetch/endless", Fixture, GINT_TO_POINTER (MODE_ENDLESS), fixture_set_up,
              test_fetch_endless, fixture_tear_down);
  g_test_add ("/numbers/fetch/page-fails", Fixture, GINT_TO_POINTER (MODE_FAIL_PAGE_2),
              fixture_set_up, test_fetch_fail, fixture_tear_down);
  g_test_add ("/numbers/fetch/empty-page", Fixture, GINT_TO_POINTER (MODE_EMPTY_PAGE),
              fixture_set_up, test_fetch_empty_page, fixture_tear_down);
  g_test_add ("/numbers/fetch/paged-ahead", Fixture, GINT_TO_POINTER (MODE_PAGED), fixture_set_up,
              test_fetch_paged, fixture_tear_down);
  g_test_add ("/numbers/fetch/bad-page-in-thread", Fixture, GINT_TO_POINTER (MODE_BAD_PAGE_2),
              fixture_set_up, test_fetch_bad_page, fixture_tear_down);
  g_test_add ("/numbers/fetch/cancel-while-parsing", Fixture, GINT_TO_POINTER (MODE_CANCEL),
              fixture_set_up, test_fetch_cancel_while_parsing, fixture_tear_down);
  g_test_add ("/numbers/fetch/other-next-page", Fixture, GINT_TO_POINTER (MODE_OTHER_NEXT),
              fixture_set_up, test_fetch_other_next, fixture_tear_down);
  g_test_add ("/numbers/fetch/parts", Fixture, GINT_TO_POINTER (MODE_PARTS), fixture_set_up,
              test_fetch_parts, fixture_tear_down);
  g_test_add ("/numbers/fetch/bad-part", Fixture, GINT_TO_POINTER (MODE_BAD_PART), fixture_set_up,
              test_fetch_bad_part, fixture_tear_down);
  g_test_add ("/numbers/fetch/records-twice", Fixture, GINT_TO_POINTER (MODE_RECORDS_TWICE),
              fixture_set_up, test_fetch_records_twice, fixture_tear_down);
  g_test_add_func ("/numbers/split", test_split);
  return g_test_run ();
}
