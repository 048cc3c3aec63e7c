/* test-contacts-conformance.c: rc_contacts_load() through the validating Prism proxy in front of
 * the simulator (scenario contacts.json: 3 pages of address book, 3 of directory): the client's
 * requests and the simulator's answers must match RingCentral's OpenAPI description.
 * Note: Prism 5 validates the requests of both endpoints but, found by trying, not the answers of
 * directory/entries (a wrong DirectoryResource passes); test-sim.c checks those fields instead. */
#include <string.h>

#include "rc-contacts.h"
#include "rc-sim.h"
#include "rcp-harness.h"

#define BOOK_PATH "/restapi/v1.0/account/~/extension/~/address-book/contact"
#define DIR_PATH  "/restapi/v1.0/account/~/directory/entries"

typedef struct {
  RcSim *sim;
  RcpPrism *prism;
  RcClient *client;
  RcContacts *contacts;
} Fixture;

typedef struct {
  GAsyncResult *result;
} Wait;

static void
got_result (GObject *source, GAsyncResult *result, gpointer data)
{
  ((Wait *)data)->result = g_object_ref (result);
}

static gboolean
has_result (gpointer data)
{
  return ((Wait *)data)->result != NULL;
}

static GAsyncResult *
wait_result (Wait *w)
{
  g_assert_true (rcp_harness_wait_until (has_result, w, 60000));
  return w->result;
}

static void
set_up (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *path = g_build_filename (g_getenv ("RCP_SCENARIOS_DIR"), "contacts.json", NULL);
  g_autofree char *base = NULL;
  Wait w = { 0 };

  f->sim = rc_sim_new_from_file (path, &error);
  g_assert_no_error (error);
  g_assert_true (rc_sim_start (f->sim, 0, &error));
  base = rc_sim_get_base_url (f->sim);
  f->prism = rcp_prism_start (base, &error);
  if (f->prism == NULL)
    g_error ("conformance run: %s", error->message);
  /* Navigation links point at the proxy, so the client follows them through it. */
  rc_sim_set_public_base_url (f->sim, rcp_prism_url (f->prism));

  f->client
      = rc_client_new (rcp_prism_url (f->prism), "demo-client-id", "demo-client-secret", &error);
  g_assert_no_error (error);
  rc_client_set_jwt (f->client, "demo-jwt");
  rc_client_sign_in_async (f->client, NULL, got_result, &w);
  g_assert_true (rc_client_sign_in_finish (f->client, wait_result (&w), &error));
  g_assert_no_error (error);
  g_clear_object (&w.result);
  f->contacts = rc_contacts_new (f->client);
}

static void
tear_down (Fixture *f, gconstpointer data)
{
  g_autofree char *violations = rcp_prism_violations (f->prism);
  g_autofree char *log = rcp_prism_log (f->prism);

  g_test_message ("Prism log:\n%s", log);
  if (violations != NULL)
    g_test_fail_printf ("Prism (OpenAPI conformance) reported:\n%s", violations);
  g_clear_object (&f->contacts);
  g_clear_object (&f->client);
  g_clear_pointer (&f->prism, rcp_prism_stop);
  g_clear_object (&f->sim);
}

static void
load (Fixture *f)
{
  g_autoptr (GError) error = NULL;
  Wait w = { 0 };

  rc_contacts_load_async (f->contacts, NULL, got_result, &w);
  g_assert_true (rc_contacts_load_finish (f->contacts, wait_result (&w), &error));
  g_assert_no_error (error);
  g_clear_object (&w.result);
}

static void
test_load (Fixture *f, gconstpointer data)
{
  load (f);
  g_assert_null (rc_contacts_get_last_warning (f->contacts));
  g_assert_cmpuint (rc_sim_count_requests (f->sim, "GET", BOOK_PATH), ==, 3);
  g_assert_cmpuint (rc_sim_count_requests (f->sim, "GET", DIR_PATH), ==, 3);
  g_assert_cmpstr (rc_contacts_lookup (f->contacts, "+16505550201"), ==, "Ann Able");
  g_assert_cmpstr (rc_contacts_lookup (f->contacts, "+442079460205"), ==, "Eve Last");
  g_assert_cmpstr (rc_contacts_lookup (f->contacts, "+16505550211"), ==, "Ann Colleague");
  g_assert_cmpstr (rc_contacts_lookup (f->contacts, "+16505550215"), ==, "Jay");
  g_assert_cmpuint (rc_contacts_size (f->contacts), ==, 9);
}

static void
test_load_refused (Fixture *f, gconstpointer data)
{
  /* 403 CMN-401 is not in the spec's responses: Prism warns, the directory still loads. */
  rc_sim_inject_fault (f->sim, BOOK_PATH, RC_SIM_FAULT_403, 1, 0);
  load (f);
  g_assert_nonnull (strstr (rc_contacts_get_last_warning (f->contacts), "CMN-401"));
  g_assert_cmpuint (rc_contacts_size (f->contacts), ==, 5);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  /* Only in conformance runs (RCP_CONFORMANCE=1): Prism is needed. */
  if (rcp_harness_conformance_requested ()) {
    g_test_add ("/contacts-conformance/load", Fixture, NULL, set_up, test_load, tear_down);
    g_test_add ("/contacts-conformance/load-refused", Fixture, NULL, set_up, test_load_refused,
                tear_down);
  }
  return g_test_run ();
}
