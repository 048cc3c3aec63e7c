/* sim-test-util.c: driving the simulator over HTTP for its own test programs. */
#include "sim-test-util.h"

#include <string.h>

#define JWT_GRANT "urn:ietf:params:oauth:grant-type:jwt-bearer"

typedef struct {
  GBytes *body;
  GError *error;
  gboolean done;
} Result;

static void
send_done (GObject *source, GAsyncResult *res, gpointer data)
{
  Result *r = data;
  r->body = soup_session_send_and_read_finish (SOUP_SESSION (source), res, &r->error);
  r->done = TRUE;
}

static void
start (SimTest *t, RcSim *sim)
{
  g_autoptr (GError) error = NULL;
  g_clear_object (&t->sim);
  t->sim = sim;
  g_assert_true (rc_sim_start (t->sim, 0, &error));
  g_assert_no_error (error);
}

void
sim_test_setup (SimTest *t, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *path
      = g_build_filename (RC_SCENARIOS_DIR, data ? (const char *)data : "basic.json", NULL);
  RcSim *sim = rc_sim_new_from_file (path, &error);
  g_assert_no_error (error);
  start (t, sim);
  t->session = soup_session_new ();
}

void
sim_test_restart (SimTest *t, const char *scenario_json)
{
  g_autoptr (GError) error = NULL;
  RcSim *sim = rc_sim_new_from_data (scenario_json, &error);
  g_assert_no_error (error);
  start (t, sim);
}

void
sim_test_teardown (SimTest *t, gconstpointer data)
{
  g_clear_object (&t->session);
  g_clear_object (&t->sim);
  g_clear_pointer (&t->access_token, g_free);
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

JsonNode *
sim_test_request (SimTest *t, const char *method, const char *path, const char *content_type,
                  const char *body, const char *auth, guint *status, gint64 *date)
{
  g_autofree char *base = rc_sim_get_base_url (t->sim);
  g_autofree char *url = g_strconcat (base, path, NULL);
  g_autoptr (SoupMessage) msg = soup_message_new (method, url);
  g_assert_nonnull (msg);
  if (body != NULL) {
    g_autoptr (GBytes) b = g_bytes_new (body, strlen (body));
    soup_message_set_request_body_from_bytes (msg, content_type, b);
  }
  if (auth != NULL)
    soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", auth);
  Result r = { 0 };
  soup_session_send_and_read_async (t->session, msg, G_PRIORITY_DEFAULT, NULL, send_done, &r);
  while (!r.done)
    g_main_context_iteration (NULL, TRUE);
  g_assert_no_error (r.error);
  *status = soup_message_get_status (msg);
  if (date != NULL) {
    const char *value
        = soup_message_headers_get_one (soup_message_get_response_headers (msg), "Date");
    g_autoptr (GDateTime) when = value ? soup_date_time_new_from_http_string (value) : NULL;
    g_assert_nonnull (when);
    *date = g_date_time_to_unix (when);
  }
  g_autoptr (GBytes) bytes = r.body;
  gsize len = 0;
  const char *data = g_bytes_get_data (bytes, &len);
  g_autoptr (JsonParser) parser = json_parser_new ();
  if (len == 0 || !json_parser_load_from_data (parser, data, len, NULL))
    return NULL;
  return json_node_copy (json_parser_get_root (parser));
}

void
sim_test_sign_in (SimTest *t)
{
  static const char creds[] = "demo-client-id:demo-client-secret";
  g_autofree char *b64 = g_base64_encode ((const guchar *)creds, strlen (creds));
  g_autofree char *basic = g_strconcat ("Basic ", b64, NULL);
  guint status;
  g_autoptr (JsonNode) n
      = sim_test_request (t, "POST", "/restapi/oauth/token", "application/x-www-form-urlencoded",
                          "grant_type=" JWT_GRANT "&assertion=demo-jwt", basic, &status, NULL);
  g_assert_cmpuint (status, ==, 200);
  g_free (t->access_token);
  t->access_token
      = g_strdup (json_object_get_string_member (json_node_get_object (n), "access_token"));
}

JsonNode *
sim_test_api_typed (SimTest *t, const char *method, const char *path, const char *type,
                    const char *body, guint *status)
{
  g_autofree char *auth = g_strconcat ("Bearer ", t->access_token, NULL);
  return sim_test_request (t, method, path, type, body, auth, status, NULL);
}

JsonNode *
sim_test_api (SimTest *t, const char *method, const char *path, const char *body, guint *status)
{
  return sim_test_api_typed (t, method, path, body ? "application/json" : NULL, body, status);
}

JsonNode *
sim_test_control (SimTest *t, const char *what, const char *body, guint *status)
{
  g_autofree char *path = g_strconcat ("/_sim/", what, NULL);
  return sim_test_request (t, "POST", path, "application/json", body, NULL, status, NULL);
}

const char *
sim_test_error_code (JsonNode *n)
{
  JsonArray *errors = json_object_get_array_member (json_node_get_object (n), "errors");
  return json_object_get_string_member (json_array_get_object_element (errors, 0), "errorCode");
}

JsonArray *
sim_test_records (JsonNode *n)
{
  return json_object_get_array_member (json_node_get_object (n), "records");
}

char *
sim_test_sync_token (JsonNode *n)
{
  JsonObject *info = json_object_get_object_member (json_node_get_object (n), "syncInfo");
  return g_strdup (json_object_get_string_member (info, "syncToken"));
}

JsonNode *
sim_test_record (SimTest *t, const char *id)
{
  guint status;
  g_autofree char *path = g_strdup_printf (SIM_TEST_EXT "/message-store/%s", id);
  JsonNode *n = sim_test_api (t, "GET", path, NULL, &status);
  g_assert_cmpuint (status, ==, 200);
  return n;
}

static gboolean
tick (gpointer data)
{
  return G_SOURCE_CONTINUE;
}

JsonNode *
sim_test_wait_status (SimTest *t, const char *id, const char *want)
{
  gint64 deadline = g_get_monotonic_time () + 5 * G_USEC_PER_SEC;
  guint ticker = g_timeout_add (20, tick, NULL); /* wakes the loop to poll again */
  for (;;) {
    JsonNode *n = sim_test_record (t, id);
    const char *have = json_object_get_string_member (json_node_get_object (n), "messageStatus");
    if (g_strcmp0 (have, want) == 0) {
      g_source_remove (ticker);
      return n;
    }
    json_node_unref (n);
    g_assert_cmpint (g_get_monotonic_time (), <, deadline);
    g_main_context_iteration (NULL, TRUE);
  }
}
