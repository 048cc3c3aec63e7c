/* test-contacts.c: names for numbers from the address book and the company directory: parsing
 * (fixture-shaped and hostile JSON) and loading from the in-process simulator (paging, personal
 * beats directory, one source refused, both failing, cancellation, foreign nextPage links). */
#include <string.h>
#include <glib.h>

#include "rc-contacts-private.h"
#include "rc-error.h"
#include "rc-sim.h"
#include "rc-test-sim.h"
#include "rc-test-util.h"

#define BOOK_PATH "/restapi/v1.0/account/~/extension/~/address-book/contact"
#define DIR_PATH  "/restapi/v1.0/account/~/directory/entries"

/* ---- parsing ---- */

/* Parses @json as one page of @source into a fresh map; NULL when the page is refused. */
static GHashTable *
parse (RcContactsSource source, const char *json, const char *country, GError **error)
{
  g_autoptr (JsonNode) root = rc_test_parse_json (json);
  g_autoptr (GHashTable) names = rc_contacts_names_new ();

  if (!rc_contacts_parse_page (source, root, country, names, NULL, NULL, error))
    return NULL;
  return g_steal_pointer (&names);
}

static const char *
name_of (GHashTable *names, const char *e164)
{
  RcContactName *entry = g_hash_table_lookup (names, e164);

  return entry != NULL ? entry->name : NULL;
}

static void
test_parse_personal (void)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *next = NULL;
  guint n_records = 0;
  g_autoptr (GHashTable) names = rc_contacts_names_new ();
  g_autoptr (JsonNode) root = rc_test_parse_json (
      "{\"uri\":\"https://platform.ringcentral.com/restapi/v1.0/account/1/extension/2/"
      "address-book/contact?page=1&perPage=2\",\"records\":["
      " {\"id\":623045004,\"availability\":\"Alive\",\"firstName\":\"Charlie\","
      "  \"lastName\":\"Williams\",\"company\":\"Example, Inc.\","
      "  \"mobilePhone\":\"(650) 555-0123\","
      "  \"businessPhone\":\"+1 650 555 0124\",\"homePhone\":\"1-650-555-0125\","
      "  \"companyPhone\":\"+16505550100\",\"otherPhone\":\"+1 650 555 0126 x12\"},"
      " {\"id\":2,\"lastName\":\"  Solo  \",\"businessFax\":\"650.555.0127\"},"
      " {\"id\":3,\"nickName\":\"The Boss\",\"carPhone\":\"+44 20 7946 0018\"},"
      " {\"id\":4,\"company\":\"Acme\",\"callbackPhone\":\"6505550128\"},"
      " {\"id\":5,\"email\":\"nobody@example.com\",\"mobilePhone\":\"+16505550129\"},"
      " {\"id\":6,\"firstName\":\"Dee\",\"companyPhone\":\"+16505550100\","
      "  \"assistantPhone\":\"+16505550123\"},"
      " {\"id\":7,\"firstName\":\"Gone\",\"availability\":\"Deleted\","
      "  \"mobilePhone\":\"+16505550130\"}"
      "],\"paging\":{\"page\":1,\"perPage\":2,\"totalPages\":3},"
      "\"navigation\":{\"nextPage\":{\"uri\":\"https://platform.ringcentral.com/next\"}}}");

  g_assert_true (
      rc_contacts_parse_page (RC_CONTACTS_PERSONAL, root, NULL, names, &next, &n_records, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (n_records, ==, 7);
  g_assert_cmpstr (next, ==, "https://platform.ringcentral.com/next");
  /* Free-form numbers become E.164. */
  g_assert_cmpstr (name_of (names, "+16505550123"), ==, "Charlie Williams");
  g_assert_cmpstr (name_of (names, "+16505550124"), ==, "Charlie Williams");
  g_assert_cmpstr (name_of (names, "+16505550125"), ==, "Charlie Williams");
  g_assert_null (name_of (names, "+16505550126")); /* an extension: not a number that texts */
  /* A company's number is the company; the first record's own number beats another's. */
  g_assert_cmpstr (name_of (names, "+16505550100"), ==, "Example, Inc.");
  g_assert_cmpstr (name_of (names, "+16505550127"), ==, "Solo");
  g_assert_cmpstr (name_of (names, "+442079460018"), ==, "The Boss");
  g_assert_cmpstr (name_of (names, "+16505550128"), ==, "Acme");
  g_assert_null (name_of (names, "+16505550129")); /* no name at all */
  g_assert_null (name_of (names, "+16505550130")); /* deleted */
  g_assert_cmpuint (g_hash_table_size (names), ==, 7);
}

static void
test_parse_ranks (void)
{
  g_autoptr (GError) error = NULL;
  /* Record 1's companyPhone is record 2's own mobile: the own number wins, whatever the order. */
  g_autoptr (GHashTable) names
      = parse (RC_CONTACTS_PERSONAL,
               "{\"records\":[{\"firstName\":\"Ann\",\"companyPhone\":\"+16505550140\"},"
               "{\"firstName\":\"Bob\",\"mobilePhone\":\"+16505550140\"},"
               "{\"firstName\":\"Cid\",\"mobilePhone\":\"+16505550140\"}]}",
               NULL, &error);

  g_assert_no_error (error);
  g_assert_cmpstr (name_of (names, "+16505550140"), ==, "Bob");
}

static void
test_parse_directory (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GHashTable) names = parse (
      RC_CONTACTS_DIRECTORY,
      "{\"paging\":{\"page\":1,\"perPage\":1000,\"totalPages\":1,\"totalElements\":4},"
      "\"records\":["
      " {\"id\":\"865706371004\",\"type\":\"User\",\"status\":\"Enabled\",\"firstName\":\"John\","
      "  \"lastName\":\"Doe\",\"extensionNumber\":\"103\",\"account\":{\"id\":\"1\"},"
      "  \"phoneNumbers\":[{\"phoneNumber\":\"+12056812029\",\"type\":\"VoiceFax\","
      "  \"usageType\":\"DirectNumber\"},{\"phoneNumber\":\"+16505550101\","
      "  \"usageType\":\"MainCompanyNumber\"},"
      "  {\"e164\":\"+12056812030\",\"usageType\":\"MobileNumber\"}]},"
      " {\"id\":\"2\",\"type\":\"Department\",\"name\":\"Support queue\","
      "  \"phoneNumbers\":[{\"phoneNumber\":\"+16505550150\",\"usageType\":\"DirectNumber\"}]},"
      " {\"id\":\"3\",\"type\":\"User\",\"firstName\":\"No\",\"lastName\":\"Numbers\"},"
      " {\"id\":\"4\",\"type\":\"User\",\"phoneNumbers\":[{\"phoneNumber\":\"+16505550151\"}]}"
      "]}",
      NULL, &error);

  g_assert_no_error (error);
  g_assert_cmpstr (name_of (names, "+12056812029"), ==, "John Doe");
  g_assert_cmpstr (name_of (names, "+12056812030"), ==, "John Doe");
  g_assert_null (name_of (names, "+16505550101")); /* the main number is nobody's name */
  g_assert_cmpstr (name_of (names, "+16505550150"), ==, "Support queue");
  g_assert_null (name_of (names, "+16505550151"));
  g_assert_cmpuint (g_hash_table_size (names), ==, 3);
}

static void
test_parse_country (void)
{
  g_autoptr (GError) error = NULL;
  const char *json = "{\"records\":[{\"firstName\":\"Ed\",\"mobilePhone\":\"020 7946 0019\"},"
                     "{\"firstName\":\"Fay\",\"mobilePhone\":\"(650) 555-0160\"}]}";
  g_autoptr (GHashTable) uk = parse (RC_CONTACTS_PERSONAL, json, "+442079460100", &error);
  g_autoptr (GHashTable) us = parse (RC_CONTACTS_PERSONAL, json, NULL, &error);

  g_assert_no_error (error);
  g_assert_cmpstr (name_of (uk, "+442079460019"), ==, "Ed");
  g_assert_null (name_of (uk, "+16505550160")); /* 10 digits mean nothing in the UK */
  g_assert_cmpstr (name_of (us, "+16505550160"), ==, "Fay");
  g_assert_cmpuint (g_hash_table_size (us), ==, 1);
}

static void
test_parse_hostile (void)
{
  static const char *const refused[] = {
    "null",
    "[]",
    "\"records\"",
    "42",
    "{}",
    "{\"records\":null}",
    "{\"records\":{}}",
    "{\"records\":\"x\"}",
  };
  g_autoptr (GError) error = NULL;
  g_autoptr (GHashTable) names = NULL;
  g_autoptr (GHashTable) dir = NULL;
  g_autoptr (GHashTable) untouched = rc_contacts_names_new ();

  for (gsize i = 0; i < G_N_ELEMENTS (refused); i++) {
    g_autoptr (GHashTable) none = NULL;

    for (guint s = RC_CONTACTS_PERSONAL; s <= RC_CONTACTS_DIRECTORY; s++) {
      g_autoptr (JsonNode) root = rc_test_parse_json (refused[i]);

      g_assert_false (rc_contacts_parse_page (s, root, NULL, untouched, NULL, NULL, &error));
      g_assert_error (error, RC_ERROR, RC_ERROR_BAD_RESPONSE);
      g_clear_error (&error);
    }
  }
  g_assert_false (
      rc_contacts_parse_page (RC_CONTACTS_PERSONAL, NULL, NULL, untouched, NULL, NULL, &error));
  g_assert_error (error, RC_ERROR, RC_ERROR_BAD_RESPONSE);
  g_clear_error (&error);
  g_assert_cmpuint (g_hash_table_size (untouched), ==, 0);

  /* Wrong kinds inside a page are skipped, never fatal. */
  names = parse (RC_CONTACTS_PERSONAL,
                 "{\"records\":[null,1,\"x\",[],{},"
                 "{\"firstName\":null,\"lastName\":7,\"nickName\":{},\"company\":[],"
                 "\"mobilePhone\":\"+16505550170\"},"
                 "{\"firstName\":\"   \",\"mobilePhone\":\"+16505550171\"},"
                 "{\"firstName\":\"Num\",\"mobilePhone\":16505550172,\"homePhone\":null,"
                 "\"businessPhone\":\"\",\"carPhone\":\"+\",\"otherPhone\":\"+1657390XXXX\","
                 "\"callbackPhone\":\"++16505550173\",\"assistantPhone\":\"+0123456789\"},"
                 "{\"firstName\":\"Line\\nbreak\\u0007\",\"mobilePhone\":\"+16505550174\"}],"
                 "\"navigation\":{\"nextPage\":{\"uri\":5}},\"paging\":\"x\"}",
                 NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (name_of (names, "+16505550174"), ==, "Line break");
  g_assert_cmpuint (g_hash_table_size (names), ==, 1);

  dir = parse (RC_CONTACTS_DIRECTORY,
               "{\"records\":[{\"firstName\":\"A\",\"phoneNumbers\":{}},"
               "{\"firstName\":\"B\",\"phoneNumbers\":\"+16505550180\"},"
               "{\"firstName\":\"C\",\"phoneNumbers\":[null,1,\"+16505550181\",{},"
               "{\"phoneNumber\":7,\"usageType\":5},{\"phoneNumber\":\"+16505550182\","
               "\"usageType\":null}]},{\"name\":17,\"phoneNumbers\":[{\"phoneNumber\":"
               "\"+16505550183\"}]}],\"paging\":null}",
               NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (name_of (dir, "+16505550182"), ==, "C");
  g_assert_cmpuint (g_hash_table_size (dir), ==, 1);
}

static void
test_parse_huge (void)
{
  g_autoptr (GString) json = g_string_new ("{\"records\":[");
  g_autoptr (GError) error = NULL;
  g_autoptr (GHashTable) names = NULL;
  g_autofree char *long_name = g_strnfill (5000, 'n');
  guint n = RC_CONTACTS_MAX_NUMBERS + 100;

  for (guint i = 0; i < n; i++)
    g_string_append_printf (json, "%s{\"firstName\":\"%s\",\"mobilePhone\":\"+1650%07u\"}",
                            i ? "," : "", i == 0 ? long_name : "P", i);
  g_string_append (json, "]}");
  names = parse (RC_CONTACTS_PERSONAL, json->str, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_hash_table_size (names), ==, RC_CONTACTS_MAX_NUMBERS);
  g_assert_cmpuint (g_utf8_strlen (name_of (names, "+16500000000"), -1), <=, 200);
}

/* ---- loading from the simulator ---- */

/* max_per_page 2: 5 address-book records give 3 pages, 5 directory entries 3 pages. Ann is in
 * both (her personal entry wins); Hal's directory entry also lists the main number. */
static const char scenario[]
    = "{\"settings\":{\"max_per_page\":2},"
      "\"address_book\":["
      " {\"firstName\":\"Ann\",\"lastName\":\"Able\",\"mobilePhone\":\"(650) 555-0201\"},"
      " {\"nickName\":\"Benny\",\"businessPhone\":\"+1 650 555 0202\"},"
      " {\"company\":\"Cola Co\",\"companyPhone\":\"650.555.0203\"},"
      " {\"firstName\":\"Dan\",\"homePhone\":\"+16505550204\",\"homePhone2\":\"not a number\"},"
      " {\"firstName\":\"Eve\",\"lastName\":\"Last\",\"otherPhone\":\"+44 20 7946 0205\"}],"
      "\"directory\":["
      " {\"firstName\":\"Ann\",\"lastName\":\"Colleague\",\"extensionNumber\":\"102\","
      "  \"phoneNumbers\":[{\"phoneNumber\":\"+16505550201\"},{\"phoneNumber\":\"+16505550211\"}]},"
      " {\"firstName\":\"Hal\",\"lastName\":\"Hall\",\"extensionNumber\":\"103\","
      "  \"phoneNumbers\":[{\"phoneNumber\":\"+16505550212\",\"usageType\":\"DirectNumber\"},"
      "  {\"phoneNumber\":\"+16505550101\",\"usageType\":\"MainCompanyNumber\"}]},"
      " {\"type\":\"Department\",\"name\":\"Sales queue\",\"extensionNumber\":\"200\","
      "  \"phoneNumbers\":[{\"phoneNumber\":\"+16505550213\"}]},"
      " {\"firstName\":\"Ivy\",\"extensionNumber\":\"104\",\"phoneNumbers\":[]},"
      " {\"lastName\":\"Jay\",\"extensionNumber\":\"105\","
      "  \"phoneNumbers\":[{\"phoneNumber\":\"+16505550215\"}]}]}";

typedef struct {
  RcSim *sim;
  RcClient *client;
  RcContacts *contacts;
  guint changed;
} Fixture;

static void
on_changed (RcContacts *contacts, gpointer data)
{
  ((Fixture *)data)->changed++;
}

static void
set_up (Fixture *f, gconstpointer data)
{
  f->sim = rc_test_sim_start (data != NULL ? data : scenario);
  f->client = rc_test_sim_client (f->sim);
  f->contacts = rc_contacts_new (f->client);
  g_signal_connect (f->contacts, "changed", G_CALLBACK (on_changed), f);
}

static void
tear_down (Fixture *f, gconstpointer data)
{
  g_clear_object (&f->contacts);
  g_clear_object (&f->client);
  g_clear_object (&f->sim);
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

static gboolean
load (Fixture *f, GCancellable *cancellable, GError **error)
{
  g_autoptr (GAsyncResult) result = NULL;

  rc_contacts_load_async (f->contacts, cancellable, rc_test_got_result, &result);
  return rc_contacts_load_finish (f->contacts, rc_test_wait_result (&result), error);
}

static void
assert_personal (Fixture *f)
{
  g_assert_cmpstr (rc_contacts_lookup (f->contacts, "+16505550201"), ==, "Ann Able");
  g_assert_cmpstr (rc_contacts_lookup (f->contacts, "+16505550202"), ==, "Benny");
  g_assert_cmpstr (rc_contacts_lookup (f->contacts, "+16505550203"), ==, "Cola Co");
  g_assert_cmpstr (rc_contacts_lookup (f->contacts, "+16505550204"), ==, "Dan");
  g_assert_cmpstr (rc_contacts_lookup (f->contacts, "+442079460205"), ==, "Eve Last");
}

static void
assert_directory (Fixture *f)
{
  g_assert_cmpstr (rc_contacts_lookup (f->contacts, "+16505550211"), ==, "Ann Colleague");
  g_assert_cmpstr (rc_contacts_lookup (f->contacts, "+16505550212"), ==, "Hal Hall");
  g_assert_cmpstr (rc_contacts_lookup (f->contacts, "+16505550213"), ==, "Sales queue");
  g_assert_cmpstr (rc_contacts_lookup (f->contacts, "+16505550215"), ==, "Jay");
  g_assert_null (rc_contacts_lookup (f->contacts, "+16505550101"));
}

static void
count_entry (const char *e164, const char *name, gpointer data)
{
  g_assert_true (g_str_has_prefix (e164, "+"));
  g_assert_nonnull (name);
  (*(guint *)data)++;
}

static void
test_load_all_pages (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  guint counted = 0;

  g_assert_cmpuint (rc_contacts_size (f->contacts), ==, 0);
  g_assert_true (load (f, NULL, &error));
  g_assert_no_error (error);
  assert_personal (f);
  assert_directory (f);
  g_assert_cmpuint (rc_contacts_size (f->contacts), ==, 9);
  rc_contacts_foreach (f->contacts, count_entry, &counted);
  g_assert_cmpuint (counted, ==, 9);
  g_assert_null (rc_contacts_get_last_warning (f->contacts));
  g_assert_cmpuint (f->changed, ==, 1);
  g_assert_cmpuint (rc_sim_count_requests (f->sim, "GET", BOOK_PATH), ==, 3);
  g_assert_cmpuint (rc_sim_count_requests (f->sim, "GET", DIR_PATH), ==, 3);
  g_assert_null (rc_contacts_lookup (f->contacts, "+19995550000"));
  g_assert_null (rc_contacts_lookup (f->contacts, NULL));

  /* The same answers again: no "changed". */
  g_assert_true (load (f, NULL, &error));
  g_assert_cmpuint (f->changed, ==, 1);
  g_assert_cmpuint (rc_contacts_size (f->contacts), ==, 9);
}

static void
test_load_foreign_next_page (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  GPtrArray *requests;
  guint book = 0;

  /* Every navigation link now points at another server. */
  rc_sim_set_public_base_url (f->sim, "http://other.example:9");
  g_assert_true (load (f, NULL, &error));
  g_assert_no_error (error);
  g_assert_null (rc_contacts_get_last_warning (f->contacts));
  assert_personal (f);
  requests = rc_sim_get_requests (f->sim);
  for (guint i = 0; i < requests->len; i++) {
    RcSimRequest *r = requests->pdata[i];

    if (g_str_equal (r->path, BOOK_PATH)) {
      g_autofree char *want = g_strdup_printf ("page=%u&perPage=1000", ++book);
      g_assert_cmpstr (r->query, ==, want); /* asked by number, on our own server */
    }
  }
  g_assert_cmpuint (book, ==, 3);
}

static void
test_load_one_refused (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;

  /* No ReadContacts permission: the directory still loads. */
  rc_sim_inject_fault (f->sim, BOOK_PATH, RC_SIM_FAULT_403, 1, 0);
  g_assert_true (load (f, NULL, &error));
  g_assert_no_error (error);
  assert_directory (f);
  g_assert_cmpstr (rc_contacts_lookup (f->contacts, "+16505550201"), ==, "Ann Colleague");
  g_assert_null (rc_contacts_lookup (f->contacts, "+16505550202"));
  g_assert_cmpuint (rc_contacts_size (f->contacts), ==, 5);
  g_assert_nonnull (strstr (rc_contacts_get_last_warning (f->contacts), "CMN-401"));
  g_assert_nonnull (strstr (rc_contacts_get_last_warning (f->contacts), "personal contacts"));
  g_assert_cmpuint (f->changed, ==, 1);

  /* A refused directory keeps what the last load found of it. */
  rc_sim_inject_fault (f->sim, DIR_PATH, RC_SIM_FAULT_403, 1, 0);
  g_assert_true (load (f, NULL, &error));
  assert_personal (f);
  assert_directory (f);
  g_assert_nonnull (strstr (rc_contacts_get_last_warning (f->contacts), "company directory"));
  g_assert_cmpuint (f->changed, ==, 2);

  g_assert_true (load (f, NULL, &error));
  g_assert_null (rc_contacts_get_last_warning (f->contacts));
  g_assert_cmpuint (rc_contacts_size (f->contacts), ==, 9);
}

static void
test_load_both_fail (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;

  g_assert_true (load (f, NULL, &error));
  g_assert_cmpuint (rc_contacts_size (f->contacts), ==, 9);
  /* Refused, then a server error on the directory's second page. */
  rc_sim_inject_fault (f->sim, BOOK_PATH, RC_SIM_FAULT_403, 1, 0);
  rc_sim_inject_fault (f->sim, DIR_PATH, RC_SIM_FAULT_SLOW, 1, 1);
  rc_sim_inject_fault (f->sim, DIR_PATH, RC_SIM_FAULT_500, 1, 0);
  g_assert_false (load (f, NULL, &error));
  g_assert_error (error, RC_ERROR, RC_ERROR_NETWORK); /* the transient one is reported */
  g_clear_error (&error);
  g_assert_cmpuint (rc_contacts_size (f->contacts), ==, 9);
  g_assert_cmpuint (f->changed, ==, 1);

  rc_sim_inject_fault (f->sim, BOOK_PATH, RC_SIM_FAULT_403, 1, 0);
  rc_sim_inject_fault (f->sim, DIR_PATH, RC_SIM_FAULT_MALFORMED, 1, 0);
  g_assert_false (load (f, NULL, &error));
  g_assert_error (error, RC_ERROR, RC_ERROR_NOT_PERMITTED);
  g_assert_nonnull (strstr (error->message, "CMN-401"));
  g_assert_cmpuint (rc_contacts_size (f->contacts), ==, 9);
}

static void
test_load_cancelled (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GCancellable) cancellable = g_cancellable_new ();
  g_autoptr (GAsyncResult) result = NULL;

  g_cancellable_cancel (cancellable);
  g_assert_false (load (f, cancellable, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&error);
  g_assert_cmpuint (rc_contacts_size (f->contacts), ==, 0);

  /* Cancelled while the directory is being read: nothing is applied. */
  g_clear_object (&cancellable);
  cancellable = g_cancellable_new ();
  rc_sim_inject_fault (f->sim, DIR_PATH, RC_SIM_FAULT_SLOW, 1, 5000);
  rc_contacts_load_async (f->contacts, cancellable, rc_test_got_result, &result);
  while (rc_sim_count_requests (f->sim, "GET", DIR_PATH) == 0)
    g_main_context_iteration (NULL, TRUE);
  g_cancellable_cancel (cancellable);
  g_assert_false (rc_contacts_load_finish (f->contacts, rc_test_wait_result (&result), &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpuint (rc_contacts_size (f->contacts), ==, 0);
  g_assert_cmpuint (f->changed, ==, 0);
}

static void
test_load_overlapping (Fixture *f, gconstpointer data)
{
  g_autoptr (GAsyncResult) first = NULL;
  g_autoptr (GAsyncResult) second = NULL;
  g_autoptr (GError) error = NULL;

  /* The first load is slow, and reads national numbers as British (so "(650) 555-0201" is not
   * Ann Able's); the second starts later, reads them as +1, and finishes first. */
  rc_sim_inject_fault (f->sim, BOOK_PATH, RC_SIM_FAULT_SLOW, 1, 800);
  rc_contacts_set_default_country (f->contacts, "+442079460100");
  rc_contacts_load_async (f->contacts, NULL, rc_test_got_result, &first);
  rc_contacts_set_default_country (f->contacts, NULL);
  rc_contacts_load_async (f->contacts, NULL, rc_test_got_result, &second);
  g_assert_true (rc_contacts_load_finish (f->contacts, rc_test_wait_result (&second), &error));
  g_assert_cmpuint (f->changed, ==, 1);
  g_assert_null (first);
  g_assert_true (rc_contacts_load_finish (f->contacts, rc_test_wait_result (&first), &error));
  g_assert_no_error (error);
  /* The older load was dropped. */
  g_assert_cmpuint (f->changed, ==, 1);
  assert_personal (f);
  g_assert_cmpuint (rc_contacts_size (f->contacts), ==, 9);
}

/* ---- a server that never ends its paging ---- */

static void
endless (SoupServerMessage *msg, const char *path, const char *body, gpointer data)
{
  RcTestServer *srv = data;

  if (g_str_has_prefix (path, BOOK_PATH)) {
    /* A nextPage on our own server, forever, and no totalPages. */
    g_autofree char *json = g_strdup_printf (
        "{\"records\":[{\"firstName\":\"P%u\",\"mobilePhone\":\"+1650555%04u\"}],"
        "\"navigation\":{\"nextPage\":{\"uri\":\"%s%s?page=%u\"}}}",
        srv->requests, srv->requests, srv->base_url, BOOK_PATH, srv->requests + 1);
    rc_test_respond (msg, 200, json);
  } else {
    /* Full pages (perPage 1), forever. */
    g_autofree char *json
        = g_strdup_printf ("{\"paging\":{\"perPage\":1},\"records\":[{\"firstName\":\"D%u\","
                           "\"phoneNumbers\":[{\"phoneNumber\":\"+1415555%04u\"}]}]}",
                           srv->requests, srv->requests);
    rc_test_respond (msg, 200, json);
  }
}

static void
test_load_endless (RcTestServer *srv, gconstpointer data)
{
  g_autoptr (RcClient) client = NULL;
  g_autoptr (RcContacts) contacts = NULL;
  g_autoptr (GAsyncResult) result = NULL;
  g_autoptr (GError) error = NULL;

  rc_test_server_stop (srv);
  rc_test_server_start (srv, endless, srv);
  client = rc_test_client_new (srv->base_url);
  contacts = rc_contacts_new (client);
  rc_contacts_load_async (contacts, NULL, rc_test_got_result, &result);
  g_assert_true (rc_contacts_load_finish (contacts, rc_test_wait_result (&result), &error));
  g_assert_no_error (error);
  g_assert_cmpuint (srv->requests, ==, 2 * RC_CONTACTS_MAX_PAGES);
  g_assert_cmpuint (rc_contacts_size (contacts), ==, 2 * RC_CONTACTS_MAX_PAGES);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/contacts/parse/personal", test_parse_personal);
  g_test_add_func ("/contacts/parse/ranks", test_parse_ranks);
  g_test_add_func ("/contacts/parse/directory", test_parse_directory);
  g_test_add_func ("/contacts/parse/country", test_parse_country);
  g_test_add_func ("/contacts/parse/hostile", test_parse_hostile);
  g_test_add_func ("/contacts/parse/huge", test_parse_huge);
#define ADD(name, fn) g_test_add ("/contacts/load/" name, Fixture, NULL, set_up, fn, tear_down)
  ADD ("all-pages", test_load_all_pages);
  ADD ("foreign-next-page", test_load_foreign_next_page);
  ADD ("one-refused", test_load_one_refused);
  ADD ("both-fail", test_load_both_fail);
  ADD ("cancelled", test_load_cancelled);
  ADD ("overlapping", test_load_overlapping);
  g_test_add ("/contacts/load/endless", RcTestServer, NULL, rc_test_server_set_up,
              test_load_endless, rc_test_server_tear_down);
  return g_test_run ();
}
