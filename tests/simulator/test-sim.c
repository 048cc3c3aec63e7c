/* test-sim.c: the simulator driven by a plain SoupSession, the way the plugin will drive it. */
#include <libsoup/soup.h>
#include <string.h>

#include "rc-sim.h"

#define JWT_GRANT "urn:ietf:params:oauth:grant-type:jwt-bearer"
#define EXT       "/restapi/v1.0/account/~/extension/~"

typedef struct {
  RcSim *sim;
  SoupSession *session;
  char *access_token;
  char *refresh_token;
  gboolean fresh_connection; /* libsoup retries a request dropped on a reused connection */
} Fixture;

typedef struct {
  guint status;
  GBytes *body;
  GError *error;
  gboolean done;
  SoupMessageHeaders *headers;
} Result;

static void
send_done (GObject *source, GAsyncResult *res, gpointer data)
{
  Result *r = data;
  r->body = soup_session_send_and_read_finish (SOUP_SESSION (source), res, &r->error);
  r->done = TRUE;
}

/* One request, answered by the simulator on this same main context. Returns the parsed JSON
 * body (or NULL) and sets *status; *raw gets the body text when asked. */
static JsonNode *
request (Fixture *f, const char *method, const char *path_or_url, const char *content_type,
         const char *body, const char *auth, guint *status, char **raw, GError **error)
{
  g_autofree char *base = rc_sim_get_base_url (f->sim);
  g_autofree char *url = g_str_has_prefix (path_or_url, "http")
                             ? g_strdup (path_or_url)
                             : g_strconcat (base, path_or_url, NULL);
  g_autoptr (SoupMessage) msg = soup_message_new (method, url);
  g_assert_nonnull (msg);
  if (body != NULL) {
    g_autoptr (GBytes) b = g_bytes_new (body, strlen (body));
    soup_message_set_request_body_from_bytes (msg, content_type, b);
  }
  if (f->fresh_connection)
    soup_message_add_flags (msg, SOUP_MESSAGE_NEW_CONNECTION);
  if (auth != NULL)
    soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", auth);
  Result r = { 0 };
  soup_session_send_and_read_async (f->session, msg, G_PRIORITY_DEFAULT, NULL, send_done, &r);
  while (!r.done)
    g_main_context_iteration (NULL, TRUE);
  *status = soup_message_get_status (msg);
  if (r.error != NULL) {
    g_propagate_error (error, r.error);
    return NULL;
  }
  g_autoptr (GBytes) bytes = r.body;
  gsize len = 0;
  const char *data = g_bytes_get_data (bytes, &len);
  if (raw != NULL)
    *raw = g_strndup (data, len);
  g_autoptr (JsonParser) parser = json_parser_new ();
  if (len == 0 || !json_parser_load_from_data (parser, data, len, NULL))
    return NULL;
  return json_node_copy (json_parser_get_root (parser));
}

static JsonNode *
api (Fixture *f, const char *method, const char *path, const char *json_body, guint *status)
{
  g_autofree char *auth = g_strconcat ("Bearer ", f->access_token, NULL);
  g_autoptr (GError) error = NULL;
  JsonNode *n = request (f, method, path, json_body ? "application/json" : NULL, json_body, auth,
                         status, NULL, &error);
  g_assert_no_error (error);
  return n;
}

static JsonNode *
token (Fixture *f, const char *form, const char *basic, guint *status)
{
  g_autoptr (GError) error = NULL;
  JsonNode *n = request (f, "POST", "/restapi/oauth/token", "application/x-www-form-urlencoded",
                         form, basic, status, NULL, &error);
  g_assert_no_error (error);
  return n;
}

static const char *
basic_auth (void)
{
  static char *value;
  if (value == NULL) {
    g_autofree char *b64 = g_base64_encode ((const guchar *)"demo-client-id:demo-client-secret",
                                            strlen ("demo-client-id:demo-client-secret"));
    value = g_strconcat ("Basic ", b64, NULL);
  }
  return value;
}

static const char *
error_code (JsonNode *n)
{
  JsonObject *o = json_node_get_object (n);
  JsonArray *errors = json_object_get_array_member (o, "errors");
  return json_object_get_string_member (json_array_get_object_element (errors, 0), "errorCode");
}

static void
sign_in (Fixture *f)
{
  guint status;
  g_autoptr (JsonNode) n
      = token (f, "grant_type=" JWT_GRANT "&assertion=demo-jwt", basic_auth (), &status);
  g_assert_cmpuint (status, ==, 200);
  JsonObject *o = json_node_get_object (n);
  g_free (f->access_token);
  g_free (f->refresh_token);
  f->access_token = g_strdup (json_object_get_string_member (o, "access_token"));
  f->refresh_token = g_strdup (json_object_get_string_member (o, "refresh_token"));
}

static void
setup_with (Fixture *f, const char *scenario)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *path = g_build_filename (RC_SCENARIOS_DIR, scenario, NULL);
  f->sim = rc_sim_new_from_file (path, &error);
  g_assert_no_error (error);
  g_assert_true (rc_sim_start (f->sim, 0, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (rc_sim_get_port (f->sim), >, 0);
  f->session = soup_session_new ();
}

static void
setup_basic (Fixture *f, gconstpointer data)
{
  setup_with (f, data ? data : "basic.json");
}

static void
teardown (Fixture *f, gconstpointer data)
{
  g_clear_object (&f->session);
  g_clear_object (&f->sim);
  g_free (f->access_token);
  g_free (f->refresh_token);
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

static void
test_token_ok (Fixture *f, gconstpointer data)
{
  guint status;
  g_autoptr (JsonNode) n
      = token (f, "grant_type=" JWT_GRANT "&assertion=demo-jwt", basic_auth (), &status);
  g_assert_cmpuint (status, ==, 200);
  JsonObject *o = json_node_get_object (n);
  g_assert_cmpstr (json_object_get_string_member (o, "token_type"), ==, "bearer");
  g_assert_cmpint (json_object_get_int_member (o, "expires_in"), ==, 3600);
  g_assert_cmpstr (json_object_get_string_member (o, "owner_id"), ==, "402000101");
  g_assert_true (json_object_has_member (o, "session_id"));
  g_assert_true (json_object_has_member (o, "refresh_token"));
  g_assert_cmpuint (rc_sim_get_tokens_issued (f->sim), ==, 1);

  /* The log keeps the scheme, not the credential. */
  GPtrArray *log = rc_sim_get_requests (f->sim);
  g_assert_cmpuint (log->len, ==, 1);
  RcSimRequest *r = log->pdata[0];
  g_assert_cmpstr (r->auth_kind, ==, "Basic");
  g_assert_null (r->bearer_token);
  g_assert_cmpuint (r->status, ==, 200);
}

static void
test_token_bad (Fixture *f, gconstpointer data)
{
  guint status;
  g_autoptr (JsonNode) n1
      = token (f, "grant_type=" JWT_GRANT "&assertion=wrong", basic_auth (), &status);
  g_assert_cmpuint (status, ==, 400);
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (n1), "error"), ==,
                   "invalid_grant");
  g_assert_cmpstr (error_code (n1), ==, "OAU-140");

  g_autofree char *b64 = g_base64_encode ((const guchar *)"demo-client-id:nope", 19);
  g_autofree char *bad_basic = g_strconcat ("Basic ", b64, NULL);
  g_autoptr (JsonNode) n2
      = token (f, "grant_type=" JWT_GRANT "&assertion=demo-jwt", bad_basic, &status);
  g_assert_cmpuint (status, ==, 401);
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (n2), "error"), ==,
                   "invalid_client");

  g_autoptr (GError) error = NULL;
  g_autoptr (JsonNode) n3
      = request (f, "POST", "/restapi/oauth/token", "application/json", "{\"grant_type\":\"x\"}",
                 basic_auth (), &status, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (status, ==, 415);
  g_assert_cmpuint (rc_sim_get_tokens_issued (f->sim), ==, 0);
}

static void
test_refresh_rotation (Fixture *f, gconstpointer data)
{
  guint status;
  sign_in (f);
  g_autofree char *old_access = g_strdup (f->access_token);
  g_autofree char *old_refresh = g_strdup (f->refresh_token);
  g_autofree char *form
      = g_strconcat ("grant_type=refresh_token&refresh_token=", old_refresh, NULL);
  g_autoptr (JsonNode) n = token (f, form, basic_auth (), &status);
  g_assert_cmpuint (status, ==, 200);
  JsonObject *o = json_node_get_object (n);
  g_assert_cmpstr (json_object_get_string_member (o, "refresh_token"), !=, old_refresh);
  g_free (f->access_token);
  f->access_token = g_strdup (json_object_get_string_member (o, "access_token"));

  /* Single use: the old refresh token is dead, and so is the old access token. */
  g_autoptr (JsonNode) again = token (f, form, basic_auth (), &status);
  g_assert_cmpuint (status, ==, 400);
  g_assert_cmpstr (error_code (again), ==, "OAU-213");
  g_autoptr (JsonNode) ok = api (f, "GET", "/restapi/v1.0/account/~", NULL, &status);
  g_assert_cmpuint (status, ==, 200);
  g_free (f->access_token);
  f->access_token = g_steal_pointer (&old_access);
  g_autoptr (JsonNode) dead = api (f, "GET", "/restapi/v1.0/account/~", NULL, &status);
  g_assert_cmpuint (status, ==, 401);

  /* Revoking everything: API 401, refresh refused, the JWT grant still works. */
  sign_in (f);
  rc_sim_revoke_all_tokens (f->sim);
  g_autoptr (JsonNode) revoked = api (f, "GET", EXT, NULL, &status);
  g_assert_cmpuint (status, ==, 401);
  g_autofree char *form2
      = g_strconcat ("grant_type=refresh_token&refresh_token=", f->refresh_token, NULL);
  g_autoptr (JsonNode) n2 = token (f, form2, basic_auth (), &status);
  g_assert_cmpuint (status, ==, 400);
  sign_in (f);
  g_assert_cmpuint (rc_sim_get_tokens_issued (f->sim), ==, 4);
}

static void
test_expiry (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_clear_object (&f->sim);
  f->sim = rc_sim_new_from_data ("{\"settings\":{\"access_token_ttl\":1},\"numbers\":[]}", &error);
  g_assert_no_error (error);
  g_assert_true (rc_sim_start (f->sim, 0, &error));
  sign_in (f);
  guint status;
  g_autoptr (JsonNode) ok = api (f, "GET", EXT, NULL, &status);
  g_assert_cmpuint (status, ==, 200);
  g_usleep (1100 * 1000);
  g_autoptr (JsonNode) n = api (f, "GET", EXT, NULL, &status);
  g_assert_cmpuint (status, ==, 401);
  g_assert_cmpstr (error_code (n), ==, "OAU-128");
}

static void
test_paging (Fixture *f, gconstpointer data)
{
  guint status, pages = 0, total = 0;
  sign_in (f);
  g_autofree char *next = g_strdup (EXT "/phone-number?perPage=100");
  g_autofree char *base = rc_sim_get_base_url (f->sim);
  while (next != NULL) {
    g_autoptr (JsonNode) n = api (f, "GET", next, NULL, &status);
    g_assert_cmpuint (status, ==, 200);
    JsonObject *o = json_node_get_object (n);
    JsonObject *paging = json_object_get_object_member (o, "paging");
    g_assert_cmpint (json_object_get_int_member (paging, "perPage"), ==, 3); /* capped */
    g_assert_cmpint (json_object_get_int_member (paging, "totalElements"), ==, 16);
    total += json_array_get_length (json_object_get_array_member (o, "records"));
    pages++;
    JsonObject *nav = json_object_get_object_member (o, "navigation");
    g_clear_pointer (&next, g_free);
    if (json_object_has_member (nav, "nextPage")) {
      const char *uri
          = json_object_get_string_member (json_object_get_object_member (nav, "nextPage"), "uri");
      g_assert_true (g_str_has_prefix (uri, base)); /* same origin as the request */
      next = g_strdup (uri);
    }
    g_assert_cmpuint (pages, <=, 10);
  }
  g_assert_cmpuint (pages, ==, 6);
  g_assert_cmpuint (total, ==, 16);

  g_autoptr (JsonNode) filtered
      = api (f, "GET", EXT "/phone-number?usageType=MainCompanyNumber", NULL, &status);
  JsonArray *recs = json_object_get_array_member (json_node_get_object (filtered), "records");
  g_assert_cmpuint (json_array_get_length (recs), ==, 1);
}

static JsonArray *
sync_records (JsonNode *n)
{
  return json_object_get_array_member (json_node_get_object (n), "records");
}

static char *
sync_token (JsonNode *n)
{
  JsonObject *info = json_object_get_object_member (json_node_get_object (n), "syncInfo");
  return g_strdup (json_object_get_string_member (info, "syncToken"));
}

static void
test_sms_and_sync (Fixture *f, gconstpointer data)
{
  guint status;
  sign_in (f);
  g_autoptr (JsonNode) all = api (f, "GET", EXT "/message-sync?syncType=FSync", NULL, &status);
  g_assert_cmpuint (status, ==, 200);
  g_assert_cmpuint (json_array_get_length (sync_records (all)), ==, 1); /* the recent Pager */
  g_autoptr (JsonNode) fs
      = api (f, "GET", EXT "/message-sync?syncType=FSync&messageType=SMS", NULL, &status);
  g_assert_cmpuint (json_array_get_length (sync_records (fs)), ==, 0);
  g_autofree char *tok = sync_token (fs);

  g_autoptr (JsonNode) sent = api (
      f, "POST", EXT "/sms",
      "{\"from\":{\"phoneNumber\":\"+16505550100\"},\"to\":[{\"phoneNumber\":\"+16505550199\"}],"
      "\"text\":\"ping \\ud83d\\ude00\"}",
      &status);
  g_assert_cmpuint (status, ==, 200);
  JsonObject *m = json_node_get_object (sent);
  g_assert_cmpstr (json_object_get_string_member (m, "messageStatus"), ==, "Queued");
  g_assert_cmpstr (json_object_get_string_member (m, "direction"), ==, "Outbound");
  gint64 conv = json_object_get_int_member (m, "conversationId");
  g_assert_cmpint (conv, <, (gint64)1 << 53);

  g_autofree char *path = g_strdup_printf (EXT "/message-sync?syncType=ISync&syncToken=%s", tok);
  g_autoptr (JsonNode) is = api (f, "GET", path, NULL, &status);
  g_assert_cmpuint (status, ==, 200);
  JsonArray *recs = sync_records (is);
  g_assert_cmpuint (json_array_get_length (recs), ==, 2);
  gboolean saw_reply = FALSE;
  for (guint i = 0; i < 2; i++) {
    JsonObject *r = json_array_get_object_element (recs, i);
    g_assert_cmpint (json_object_get_int_member (r, "conversationId"), ==, conv);
    if (g_str_equal (json_object_get_string_member (r, "direction"), "Inbound")) {
      saw_reply = TRUE;
      g_assert_cmpstr (json_object_get_string_member (r, "subject"), ==, "You said: ping 😀");
      g_assert_cmpstr (
          json_object_get_string_member (json_object_get_object_member (r, "from"), "phoneNumber"),
          ==, "+16505550199");
    }
  }
  g_assert_true (saw_reply);

  /* After delivery_delay_ms the outbound record changes to Delivered and shows up again. */
  g_autofree char *tok2 = sync_token (is);
  g_usleep (600 * 1000);
  for (guint i = 0; i < 5; i++)
    g_main_context_iteration (NULL, FALSE);
  g_autofree char *path2 = g_strdup_printf (EXT "/message-sync?syncType=ISync&syncToken=%s", tok2);
  g_autoptr (JsonNode) is2 = api (f, "GET", path2, NULL, &status);
  JsonArray *recs2 = sync_records (is2);
  g_assert_cmpuint (json_array_get_length (recs2), ==, 1);
  g_assert_cmpstr (
      json_object_get_string_member (json_array_get_object_element (recs2, 0), "messageStatus"), ==,
      "Delivered");

  g_autoptr (JsonNode) bad
      = api (f, "GET", EXT "/message-sync?syncType=ISync&syncToken=garbage", NULL, &status);
  g_assert_cmpuint (status, ==, 400);
  g_assert_cmpstr (error_code (bad), ==, "MSG-333");

  /* An inbound message put in from outside is seen by the next ISync. */
  g_autofree char *tok3 = sync_token (is2);
  g_autofree char *id = rc_sim_add_inbound (f->sim, "+14155550100", "+16505550101", "hello there");
  g_autofree char *path3 = g_strdup_printf (EXT "/message-sync?syncType=ISync&syncToken=%s", tok3);
  g_autoptr (JsonNode) is3 = api (f, "GET", path3, NULL, &status);
  g_assert_cmpuint (json_array_get_length (sync_records (is3)), ==, 1);
}

static void
check_send_refused (Fixture *f, const char *from, const char *to, const char *text, guint want,
                    const char *code)
{
  guint status;
  g_autofree char *body = g_strdup_printf (
      "{\"from\":{\"phoneNumber\":\"%s\"},\"to\":[%s],\"text\":\"%s\"}", from, to, text);
  g_autoptr (JsonNode) n = api (f, "POST", EXT "/sms", body, &status);
  g_assert_cmpuint (status, ==, want);
  g_assert_cmpstr (error_code (n), ==, code);
}

static void
test_sms_refused (Fixture *f, gconstpointer data)
{
  sign_in (f);
  const char *echo = "{\"phoneNumber\":\"+16505550199\"}";
  /* main-number-not-operator: the main number has CallerId only. */
  check_send_refused (f, "+16505550101", echo, "hi", 403, "MSG-242");
  check_send_refused (f, "+19995550000", echo, "hi", 403, "MSG-304");
  check_send_refused (f, "+16505550102", "{\"phoneNumber\":\"+442079460000\"}", "hi", 403,
                      "MSG-240");
  check_send_refused (f, "+16505550102", "", "hi", 400, "CMN-101");
  g_autoptr (GString) long_text = g_string_new (NULL);
  for (guint i = 0; i < 501; i++)
    g_string_append (long_text, "😀"); /* 1002 UTF-16 units */
  check_send_refused (f, "+16505550102", echo, long_text->str, 400, "MSG-338");
  g_string_truncate (long_text, 500 * 4);
  guint status;
  g_autofree char *body = g_strdup_printf (
      "{\"from\":{\"phoneNumber\":\"+16505550102\"},\"to\":[%s],\"text\":\"%s\"}", echo,
      long_text->str);
  g_autoptr (JsonNode) ok = api (f, "POST", EXT "/sms", body, &status);
  g_assert_cmpuint (status, ==, 200);
}

static void
test_faults (Fixture *f, gconstpointer data)
{
  guint status;
  g_autoptr (GError) error = NULL;
  sign_in (f);
  rc_sim_inject_fault (f->sim, EXT "/phone-number", RC_SIM_FAULT_500, 1, 0);
  g_autoptr (JsonNode) n1 = api (f, "GET", EXT "/phone-number", NULL, &status);
  g_assert_cmpuint (status, ==, 500);
  g_autoptr (JsonNode) n2 = api (f, "GET", EXT "/phone-number", NULL, &status);
  g_assert_cmpuint (status, ==, 200);

  rc_sim_inject_fault (f->sim, NULL, RC_SIM_FAULT_429, 1, 7);
  g_autofree char *auth = g_strconcat ("Bearer ", f->access_token, NULL);
  g_autoptr (JsonNode) n3 = api (f, "GET", EXT, NULL, &status);
  g_assert_cmpuint (status, ==, 429);
  g_assert_cmpstr (error_code (n3), ==, "CMN-301");

  rc_sim_inject_fault (f->sim, NULL, RC_SIM_FAULT_MALFORMED, 1, 0);
  g_autofree char *raw = NULL;
  g_autoptr (JsonNode) n4 = request (f, "GET", EXT, NULL, NULL, auth, &status, &raw, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (status, ==, 200);
  g_assert_null (n4);

  rc_sim_inject_fault (f->sim, NULL, RC_SIM_FAULT_DROP, 1, 0);
  f->fresh_connection = TRUE;
  g_autoptr (JsonNode) n5 = request (f, "GET", EXT, NULL, NULL, auth, &status, NULL, &error);
  f->fresh_connection = FALSE;
  g_assert_nonnull (error);
  g_assert_null (n5);
  g_clear_error (&error);

  rc_sim_inject_fault (f->sim, NULL, RC_SIM_FAULT_SLOW, 1, 300);
  gint64 start = g_get_monotonic_time ();
  g_autoptr (JsonNode) n6 = api (f, "GET", EXT, NULL, &status);
  g_assert_cmpuint (status, ==, 200);
  g_assert_cmpint (g_get_monotonic_time () - start, >=, 290 * 1000);

  /* The sign-in path is exempt unless named. */
  rc_sim_inject_fault (f->sim, NULL, RC_SIM_FAULT_503, 1, 2);
  sign_in (f);
  g_autoptr (JsonNode) n7 = api (f, "GET", EXT, NULL, &status);
  g_assert_cmpuint (status, ==, 503);
  g_assert_cmpuint (rc_sim_count_requests (f->sim, "GET", EXT), ==, 7);
}

static void
test_routing_and_control (Fixture *f, gconstpointer data)
{
  guint status;
  g_autoptr (GError) error = NULL;
  sign_in (f);
  g_autoptr (JsonNode) n1 = api (f, "GET", "/restapi/v1.0/nothing", NULL, &status);
  g_assert_cmpuint (status, ==, 404);
  g_autoptr (JsonNode) n2 = api (f, "DELETE", EXT "/phone-number", NULL, &status);
  g_assert_cmpuint (status, ==, 405);
  g_autoptr (JsonNode) n3 = request (f, "GET", EXT, NULL, NULL, NULL, &status, NULL, &error);
  g_assert_cmpuint (status, ==, 401);

  g_autoptr (JsonNode) c1
      = request (f, "POST", "/_sim/inbound", "application/json",
                 "{\"from\":\"+14155550100\",\"to\":\"+16505550100\",\"text\":\"yo\"}", NULL,
                 &status, NULL, &error);
  g_assert_cmpuint (status, ==, 200);
  g_autoptr (JsonNode) c2
      = request (f, "POST", "/_sim/fault", "application/json",
                 "{\"fault\":\"500\",\"path_prefix\":\"" EXT "\"}", NULL, &status, NULL, &error);
  g_assert_cmpuint (status, ==, 200);
  g_autoptr (JsonNode) n4 = api (f, "GET", EXT, NULL, &status);
  g_assert_cmpuint (status, ==, 500);

  g_autofree char *raw = NULL;
  g_autoptr (JsonNode) c3
      = request (f, "GET", "/_sim/requests", NULL, NULL, NULL, &status, &raw, &error);
  g_assert_cmpuint (status, ==, 200);
  g_assert_null (strstr (raw, "demo-jwt")); /* secrets never leave the process */
  g_assert_nonnull (strstr (raw, "[redacted]"));
  g_assert_cmpuint (json_array_get_length (json_node_get_array (c3)), ==, 5);
  g_autoptr (JsonNode) c4 = request (f, "POST", "/_sim/clear-requests", "application/json", "{}",
                                     NULL, &status, NULL, &error);
  g_assert_cmpuint (rc_sim_get_requests (f->sim)->len, ==, 0);
}

static const char contacts_scenario[]
    = "{\"settings\":{\"max_per_page\":2},\"account\":{\"id\":401000001},"
      "\"address_book\":["
      " {\"id\":611,\"firstName\":\"Ann\",\"lastName\":\"Able\",\"mobilePhone\":\"(650) 555-0201\","
      "  \"company\":\"Able Inc\"},"
      " {\"nickName\":\"Benny\",\"businessPhone\":\"+1 650 555 0202\"},"
      " {\"firstName\":\"Cy\",\"homePhone\":\"+16505550203\"}],"
      "\"directory\":["
      " {\"firstName\":\"Hal\",\"lastName\":\"Hall\",\"extensionNumber\":\"103\","
      "  \"phoneNumbers\":[{\"phoneNumber\":\"+16505550212\",\"primary\":true}]},"
      " {\"id\":\"42\",\"type\":\"Department\",\"name\":\"Sales queue\","
      "  \"extensionNumber\":\"200\","
      "  \"phoneNumbers\":[{\"phoneNumber\":\"+16505550213\",\"usageType\":\"DirectNumber\","
      "  \"type\":\"VoiceOnly\"}]},"
      " {\"firstName\":\"Ivy\",\"extensionNumber\":\"104\"}]}";

static void
use_scenario (Fixture *f, const char *json)
{
  g_autoptr (GError) error = NULL;
  g_clear_object (&f->sim);
  f->sim = rc_sim_new_from_data (json, &error);
  g_assert_no_error (error);
  g_assert_true (rc_sim_start (f->sim, 0, &error));
  sign_in (f);
}

static guint
records_length (JsonNode *n)
{
  return json_array_get_length (json_object_get_array_member (json_node_get_object (n), "records"));
}

static void
test_address_book (Fixture *f, gconstpointer data)
{
  guint status;
  use_scenario (f, contacts_scenario);
  g_autofree char *base = rc_sim_get_base_url (f->sim);

  /* ContactList: uri, records (PersonalContactResource), paging, navigation. */
  g_autoptr (JsonNode) p1 = api (f, "GET", EXT "/address-book/contact?perPage=100", NULL, &status);
  g_assert_cmpuint (status, ==, 200);
  JsonObject *o = json_node_get_object (p1);
  g_assert_true (g_str_has_prefix (json_object_get_string_member (o, "uri"), base));
  g_assert_cmpuint (records_length (p1), ==, 2); /* capped by max_per_page */
  JsonObject *ann = json_array_get_object_element (json_object_get_array_member (o, "records"), 0);
  g_assert_cmpint (json_object_get_int_member (ann, "id"), ==, 611);
  g_assert_cmpstr (json_object_get_string_member (ann, "availability"), ==, "Alive");
  g_assert_cmpstr (json_object_get_string_member (ann, "firstName"), ==, "Ann");
  g_assert_cmpstr (json_object_get_string_member (ann, "mobilePhone"), ==, "(650) 555-0201");
  g_assert_cmpstr (json_object_get_string_member (ann, "company"), ==, "Able Inc");
  g_assert_true (
      g_str_has_suffix (json_object_get_string_member (ann, "uri"), "/address-book/contact/611"));
  g_assert_false (json_object_has_member (ann, "homePhone"));
  JsonObject *paging = json_object_get_object_member (o, "paging");
  g_assert_cmpint (json_object_get_int_member (paging, "totalPages"), ==, 2);
  g_assert_cmpint (json_object_get_int_member (paging, "totalElements"), ==, 3);
  JsonObject *nav = json_object_get_object_member (o, "navigation");
  const char *next
      = json_object_get_string_member (json_object_get_object_member (nav, "nextPage"), "uri");
  g_autoptr (JsonNode) p2 = api (f, "GET", next, NULL, &status);
  g_assert_cmpuint (status, ==, 200);
  g_assert_cmpuint (records_length (p2), ==, 1);
  g_assert_false (json_object_has_member (
      json_object_get_object_member (json_node_get_object (p2), "navigation"), "nextPage"));

  /* phoneNumber (E.164, repeatable) matches the free-form fields; startsWith the names. */
  g_autoptr (JsonNode) by_number = api (
      f, "GET", EXT "/address-book/contact?phoneNumber=%2B16505550201&phoneNumber=%2B16505550203",
      NULL, &status);
  g_assert_cmpuint (records_length (by_number), ==, 2);
  g_autoptr (JsonNode) by_name
      = api (f, "GET", EXT "/address-book/contact?startsWith=ab", NULL, &status);
  g_assert_cmpuint (records_length (by_name), ==, 1);

  g_autoptr (JsonNode) bad = api (f, "GET", EXT "/address-book/contact?perPage=x", NULL, &status);
  g_assert_cmpuint (status, ==, 400);
  g_autoptr (JsonNode) post = api (f, "DELETE", EXT "/address-book/contact", NULL, &status);
  g_assert_cmpuint (status, ==, 405);

  /* Without the ReadContacts app permission. */
  rc_sim_inject_fault (f->sim, EXT "/address-book", RC_SIM_FAULT_403, 1, 0);
  g_autoptr (JsonNode) refused = api (f, "GET", EXT "/address-book/contact", NULL, &status);
  g_assert_cmpuint (status, ==, 403);
  g_assert_cmpstr (error_code (refused), ==, "CMN-401");
  g_assert_nonnull (strstr (
      json_object_get_string_member (json_node_get_object (refused), "message"), "[ReadContacts]"));
}

static void
test_directory (Fixture *f, gconstpointer data)
{
  guint status;
  use_scenario (f, contacts_scenario);

  /* DirectoryResource: paging (no navigation) and ContactResource records, ids as strings. */
  g_autoptr (JsonNode) p1
      = api (f, "GET", "/restapi/v1.0/account/~/directory/entries", NULL, &status);
  g_assert_cmpuint (status, ==, 200);
  JsonObject *o = json_node_get_object (p1);
  g_assert_false (json_object_has_member (o, "navigation"));
  JsonObject *paging = json_object_get_object_member (o, "paging");
  g_assert_cmpint (json_object_get_int_member (paging, "perPage"), ==, 2);
  g_assert_cmpint (json_object_get_int_member (paging, "totalPages"), ==, 2);
  JsonArray *records = json_object_get_array_member (o, "records");
  JsonObject *hal = json_array_get_object_element (records, 0);
  g_assert_cmpstr (json_object_get_string_member (hal, "id"), ==, "700000001");
  g_assert_cmpstr (json_object_get_string_member (hal, "type"), ==, "User");
  g_assert_cmpstr (json_object_get_string_member (hal, "status"), ==, "Enabled");
  g_assert_cmpstr (json_object_get_string_member (hal, "extensionNumber"), ==, "103");
  g_assert_cmpstr (
      json_object_get_string_member (json_object_get_object_member (hal, "account"), "id"), ==,
      "401000001");
  JsonObject *number
      = json_array_get_object_element (json_object_get_array_member (hal, "phoneNumbers"), 0);
  g_assert_cmpstr (json_object_get_string_member (number, "phoneNumber"), ==, "+16505550212");
  g_assert_cmpstr (json_object_get_string_member (number, "usageType"), ==, "DirectNumber");
  g_assert_true (json_object_get_boolean_member (number, "primary"));
  JsonObject *queue = json_array_get_object_element (records, 1);
  g_assert_cmpstr (json_object_get_string_member (queue, "id"), ==, "42");
  g_assert_cmpstr (json_object_get_string_member (queue, "name"), ==, "Sales queue");

  g_autoptr (JsonNode) p2 = api (
      f, "GET", "/restapi/v1.0/account/~/directory/entries?page=2&perPage=2&showFederated=false",
      NULL, &status);
  g_assert_cmpuint (records_length (p2), ==, 1);
  JsonObject *ivy = json_array_get_object_element (
      json_object_get_array_member (json_node_get_object (p2), "records"), 0);
  g_assert_false (json_object_has_member (ivy, "account"));
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (ivy, "phoneNumbers")), ==,
                    0);

  g_autoptr (JsonNode) all
      = api (f, "GET", "/restapi/v1.0/account/~/directory/entries?perPage=all", NULL, &status);
  g_assert_cmpuint (records_length (all), ==, 3);
  g_autoptr (JsonNode) users
      = api (f, "GET", "/restapi/v1.0/account/~/directory/entries?typeGroup=User&perPage=max", NULL,
             &status);
  g_assert_cmpuint (records_length (users), ==, 2);
  g_autoptr (JsonNode) queues
      = api (f, "GET", "/restapi/v1.0/account/~/directory/entries?type=Department", NULL, &status);
  g_assert_cmpuint (records_length (queues), ==, 1);
  g_autoptr (JsonNode) bad
      = api (f, "GET", "/restapi/v1.0/account/~/directory/entries?perPage=2001", NULL, &status);
  g_assert_cmpuint (status, ==, 400);

  rc_sim_inject_fault (f->sim, "/restapi/v1.0/account/~/directory", RC_SIM_FAULT_403, 1, 0);
  g_autoptr (JsonNode) refused
      = api (f, "GET", "/restapi/v1.0/account/~/directory/entries", NULL, &status);
  g_assert_cmpuint (status, ==, 403);
  g_assert_cmpstr (error_code (refused), ==, "CMN-401");

  /* A scenario with a wrong kind is refused, not half-loaded. */
  g_autoptr (GError) error = NULL;
  g_autoptr (RcSim) broken
      = rc_sim_new_from_data ("{\"address_book\":[{\"firstName\":7}]}", &error);
  g_assert_null (broken);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA);
}

static void
test_demo_contacts (Fixture *f, gconstpointer data)
{
  guint status;
  sign_in (f);
  g_autoptr (JsonNode) book = api (f, "GET", EXT "/address-book/contact", NULL, &status);
  g_assert_cmpuint (status, ==, 200);
  g_assert_cmpuint (records_length (book), ==, 2); /* Echo Bot and Alex Doe */
  g_autoptr (JsonNode) dir
      = api (f, "GET", "/restapi/v1.0/account/~/directory/entries", NULL, &status);
  g_assert_cmpuint (records_length (dir), ==, 1);
  /* basic.json says nothing of an address book: its contacts are not in it. */
  use_scenario (f, "{\"contacts\":[{\"name\":\"Echo Bot\",\"phone_number\":\"+16505550199\"}]}");
  g_autoptr (JsonNode) none = api (f, "GET", EXT "/address-book/contact", NULL, &status);
  g_assert_cmpuint (records_length (none), ==, 0);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
#define ADD(name, scenario, fn)                                                                    \
  g_test_add ("/sim/" name, Fixture, scenario, setup_basic, fn, teardown)
  ADD ("token-ok", NULL, test_token_ok);
  ADD ("token-bad", NULL, test_token_bad);
  ADD ("refresh-rotation", NULL, test_refresh_rotation);
  ADD ("expiry", NULL, test_expiry);
  ADD ("paging", "many-pages.json", test_paging);
  ADD ("sms-and-sync", NULL, test_sms_and_sync);
  ADD ("sms-refused", "main-number-not-operator.json", test_sms_refused);
  ADD ("faults", NULL, test_faults);
  ADD ("routing-and-control", NULL, test_routing_and_control);
  ADD ("address-book", NULL, test_address_book);
  ADD ("directory", NULL, test_directory);
  ADD ("demo-contacts", "demo.json", test_demo_contacts);
  return g_test_run ();
}
