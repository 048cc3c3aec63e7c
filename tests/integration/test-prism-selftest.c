/* test-prism-selftest.c: the conformance check itself can fail: a request or a response that
 * breaks the OpenAPI spec, sent through the proxy, is reported by rcp_prism_violations(). */
#include "itest.h"

#include <libsoup/soup.h>
#include <string.h>

typedef struct {
  GBytes *body;
  guint status;
  gboolean done;
} Answer;

static void
sent (GObject *source, GAsyncResult *result, gpointer data)
{
  Answer *a = data;
  SoupMessage *msg = soup_session_get_async_result_message (SOUP_SESSION (source), result);

  a->body = soup_session_send_and_read_finish (SOUP_SESSION (source), result, NULL);
  a->status = soup_message_get_status (msg);
  a->done = TRUE;
}

static gboolean
answered (gpointer data)
{
  return ((Answer *)data)->done;
}

/* Sends a request and waits for the answer, iterating the main context the simulator uses. */
static guint
request (SoupSession *session, const char *method, const char *url, const char *auth,
         const char *content_type, const char *body, char **answer_body)
{
  g_autoptr (SoupMessage) msg = soup_message_new (method, url);
  Answer a = { 0 };

  g_assert_nonnull (msg);
  soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", auth);
  if (body != NULL) {
    g_autoptr (GBytes) bytes = g_bytes_new (body, strlen (body));
    soup_message_set_request_body_from_bytes (msg, content_type, bytes);
  }
  soup_session_send_and_read_async (session, msg, G_PRIORITY_DEFAULT, NULL, sent, &a);
  g_assert_true (rcp_harness_wait_until (answered, &a, 60000));
  if (answer_body != NULL && a.body != NULL)
    *answer_body = g_strndup (g_bytes_get_data (a.body, NULL), g_bytes_get_size (a.body));
  g_clear_pointer (&a.body, g_bytes_unref);
  return a.status;
}

static char *
get_token (SoupSession *session, const char *base)
{
  g_autofree char *url = g_strconcat (base, TOKEN_PATH, NULL);
  g_autofree char *basic_raw
      = g_strdup_printf ("%s:%s", RCP_HARNESS_CLIENT_ID, RCP_HARNESS_CLIENT_SECRET);
  g_autofree char *basic_b64 = g_base64_encode ((guchar *)basic_raw, strlen (basic_raw));
  g_autofree char *auth = g_strconcat ("Basic ", basic_b64, NULL);
  g_autofree char *answer = NULL;
  g_autoptr (JsonNode) root = NULL;
  guint status = request (session, "POST", url, auth, "application/x-www-form-urlencoded",
                          "grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Ajwt-bearer"
                          "&assertion=" RCP_HARNESS_JWT,
                          &answer);

  g_assert_cmpuint (status, ==, 200);
  root = json_from_string (answer, NULL);
  g_assert_nonnull (root);
  return g_strdup (json_object_get_string_member (json_node_get_object (root), "access_token"));
}

static RcpPrism *
start (RcSim **sim_out)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *path = itest_scenario_path ("basic.json");
  g_autofree char *base = NULL;
  RcSim *sim = rc_sim_new_from_file (path, &error);
  RcpPrism *prism;

  g_assert_no_error (error);
  rc_sim_start (sim, 0, &error);
  g_assert_no_error (error);
  base = rc_sim_get_base_url (sim);
  prism = rcp_prism_start (base, &error);
  if (prism == NULL)
    g_error ("conformance run: %s", error->message);
  *sim_out = sim;
  return prism;
}

static void
test_bad_request_reported (void)
{
  g_autoptr (RcSim) sim = NULL;
  g_autoptr (RcpPrism) prism = start (&sim);
  g_autoptr (SoupSession) session = soup_session_new ();
  g_autofree char *token = get_token (session, rcp_prism_url (prism));
  g_autofree char *auth = g_strconcat ("Bearer ", token, NULL);
  g_autofree char *url = g_strconcat (rcp_prism_url (prism), SMS_PATH, NULL);
  g_autofree char *violations = NULL;

  /* A valid token request is not a violation. */
  g_assert_null (rcp_prism_violations (prism));
  /* No "to", no "text". */
  g_assert_cmpuint (request (session, "POST", url, auth, "application/json",
                             "{\"from\":{\"phoneNumber\":\"+16505550100\"}}", NULL),
                    ==, 422);
  violations = rcp_prism_violations (prism);
  g_test_message ("reported: %s", violations);
  g_assert_nonnull (violations);
}

static void
test_bad_response_reported (void)
{
  g_autoptr (RcSim) sim = NULL;
  g_autoptr (RcpPrism) prism = start (&sim);
  g_autoptr (SoupSession) session = soup_session_new ();
  g_autofree char *token = get_token (session, rcp_prism_url (prism));
  g_autofree char *auth = g_strconcat ("Bearer ", token, NULL);
  g_autofree char *url = g_strconcat (rcp_prism_url (prism), NUMBERS_PATH, NULL);
  g_autofree char *violations = NULL;
  g_autofree char *log = NULL;
  guint status;

  g_assert_cmpuint (request (session, "GET", url, auth, NULL, NULL, NULL), ==, 200);
  g_assert_null (rcp_prism_violations (prism));
  /* A 200 whose body is not the documented JSON. */
  rc_sim_inject_fault (sim, NUMBERS_PATH, RC_SIM_FAULT_MALFORMED, 1, 0);
  status = request (session, "GET", url, auth, NULL, NULL, NULL);
  violations = rcp_prism_violations (prism);
  log = rcp_prism_log (prism);
  g_test_message ("status %u, reported: %s\nlog:\n%s", status, violations, log);
  g_assert_nonnull (violations);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  /* Only in conformance runs (RCP_CONFORMANCE=1): Prism is needed. */
  if (rcp_harness_conformance_requested ()) {
    g_test_add_func ("/prism/bad-request-reported", test_bad_request_reported);
    g_test_add_func ("/prism/bad-response-reported", test_bad_response_reported);
  }
  return g_test_run ();
}
