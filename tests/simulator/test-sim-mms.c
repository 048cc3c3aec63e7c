/* test-sim-mms.c: the simulator's MMS: multipart/form-data to /mms and multipart/mixed to /sms,
 * the JSON part held to CreateMMSMessage / CreateSMSMessage (400 CMN-101 with parameterName), the
 * limits and their codes, attachment content, inbound MMS, the attachment host and the control
 * endpoints. */
#include <string.h>

#include "sim-test-util.h"

#define B     "sim-test-boundary"
#define MIXED "multipart/mixed; boundary=" B
#define FORM  "multipart/form-data; boundary=" B
#define OK_JSON                                                                                    \
  "{\"from\":{\"phoneNumber\":\"+16505550100\"},\"to\":[{\"phoneNumber\":\"+14155550100\"}],"      \
  "\"text\":\"look\"}"

/* A multipart body: @json as the first part (type @json_type), then @n files "fileN.gif" of
 * @type with @content (NULL filename when @no_filename). */
static char *
body_of (const char *json_type, const char *json, guint n, const char *type, const char *content,
         gboolean no_filename)
{
  GString *s = g_string_new (NULL);
  g_string_append_printf (s,
                          "--" B "\r\nContent-Disposition: form-data; name=\"json\"; "
                          "filename=\"request.json\"\r\nContent-Type: %s\r\n\r\n%s\r\n",
                          json_type, json);
  for (guint i = 0; i < n; i++) {
    if (no_filename)
      g_string_append (s, "--" B "\r\nContent-Disposition: form-data; name=\"attachment\"\r\n");
    else
      g_string_append_printf (s,
                              "--" B "\r\nContent-Disposition: form-data; name=\"attachment\"; "
                              "filename=\"file%u.gif\"\r\n",
                              i);
    g_string_append_printf (s, "Content-Type: %s\r\n\r\n%s\r\n", type, content);
  }
  g_string_append (s, "--" B "--\r\n");
  return g_string_free (s, FALSE);
}

static JsonNode *
post (SimTest *t, const char *what, const char *type, const char *body, guint *status)
{
  g_autofree char *path = g_strconcat (SIM_TEST_EXT "/", what, NULL);
  return sim_test_api_typed (t, "POST", path, type, body, status);
}

static const char *
parameter_name (JsonNode *n)
{
  JsonArray *errors = json_object_get_array_member (json_node_get_object (n), "errors");
  JsonObject *e = json_array_get_object_element (errors, 0);
  return json_object_has_member (e, "parameterName")
             ? json_object_get_string_member (e, "parameterName")
             : NULL;
}

static void
expect_refusal (SimTest *t, const char *what, const char *type, const char *body, guint want,
                const char *code, const char *param)
{
  guint status = 0;
  guint before = rc_sim_get_requests (t->sim)->len;
  g_autoptr (JsonNode) n = post (t, what, type, body, &status);
  g_assert_cmpuint (status, ==, want);
  g_assert_cmpstr (sim_test_error_code (n), ==, code);
  if (param != NULL)
    g_assert_cmpstr (parameter_name (n), ==, param);
  g_assert_cmpuint (rc_sim_get_requests (t->sim)->len, ==, before + 1);
}

typedef struct {
  GBytes *body;
  char *type;
  guint status;
  gboolean done;
} Raw;

static void
raw_done (GObject *source, GAsyncResult *res, gpointer data)
{
  Raw *r = data;
  SoupMessage *msg = soup_session_get_async_result_message (SOUP_SESSION (source), res);
  r->body = soup_session_send_and_read_finish (SOUP_SESSION (source), res, NULL);
  r->status = soup_message_get_status (msg);
  r->type = g_strdup (
      soup_message_headers_get_content_type (soup_message_get_response_headers (msg), NULL));
  r->done = TRUE;
}

/* GET @url with the bearer token; the raw answer. */
static GBytes *
raw_get (SimTest *t, const char *url, guint *status, char **type)
{
  g_autoptr (SoupMessage) msg = soup_message_new ("GET", url);
  g_autofree char *auth = g_strconcat ("Bearer ", t->access_token, NULL);
  Raw r = { 0 };
  gint64 deadline = g_get_monotonic_time () + 5 * G_USEC_PER_SEC;
  soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", auth);
  soup_session_send_and_read_async (t->session, msg, G_PRIORITY_DEFAULT, NULL, raw_done, &r);
  while (!r.done && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  g_assert_true (r.done);
  *status = r.status;
  *type = r.type;
  return r.body;
}

/* The attachments[] entry of type MmsAttachment in @record. */
static JsonObject *
mms_entry (JsonObject *record)
{
  JsonArray *a = json_object_get_array_member (record, "attachments");
  for (guint i = 0; i < json_array_get_length (a); i++) {
    JsonObject *e = json_array_get_object_element (a, i);
    if (g_str_equal (json_object_get_string_member (e, "type"), "MmsAttachment"))
      return e;
  }
  g_assert_not_reached ();
}

static void
test_send_form_data (SimTest *t, gconstpointer data)
{
  guint status = 0;
  sim_test_sign_in (t);
  g_autofree char *body
      = body_of ("application/json", OK_JSON, 1, "image/gif", "GIF89a-pixels", FALSE);
  g_autoptr (JsonNode) n = post (t, "mms", FORM, body, &status);
  g_assert_cmpuint (status, ==, 200);
  JsonObject *o = json_node_get_object (n);
  g_assert_cmpstr (json_object_get_string_member (o, "subject"), ==, "look");
  g_assert_cmpstr (json_object_get_string_member (o, "direction"), ==, "Outbound");
  JsonObject *a = mms_entry (o);
  g_assert_cmpstr (json_object_get_string_member (a, "contentType"), ==, "image/gif");
  g_assert_cmpstr (json_object_get_string_member (a, "fileName"), ==, "file0.gif");
  g_assert_cmpint (json_object_get_int_member (a, "size"), ==, 13);
  const char *uri = json_object_get_string_member (a, "uri");
  g_autofree char *base = rc_sim_get_base_url (t->sim);
  g_assert_true (g_str_has_prefix (uri, base));
  g_assert_nonnull (strstr (uri, "/message-store/"));

  /* the log: JSON part first, then the file */
  g_autofree char *last = rc_sim_last_mms (t->sim);
  g_autoptr (JsonParser) p = json_parser_new ();
  g_assert_true (json_parser_load_from_data (p, last, -1, NULL));
  JsonObject *lo = json_node_get_object (json_parser_get_root (p));
  g_assert_cmpstr (json_object_get_string_member (lo, "json"), ==, OK_JSON);
  g_assert_cmpstr (json_object_get_string_member (lo, "content_type"), ==, FORM);
  JsonArray *parts = json_object_get_array_member (lo, "parts");
  g_assert_cmpuint (json_array_get_length (parts), ==, 2);
  JsonObject *p0 = json_array_get_object_element (parts, 0);
  JsonObject *p1 = json_array_get_object_element (parts, 1);
  g_assert_cmpstr (json_object_get_string_member (p0, "name"), ==, "json");
  g_assert_cmpstr (json_object_get_string_member (p1, "filename"), ==, "file0.gif");
  g_assert_cmpint (json_object_get_int_member (p1, "size"), ==, 13);

  /* the content, with its type; the record in sync */
  g_autofree char *type = NULL;
  g_autoptr (GBytes) content = raw_get (t, uri, &status, &type);
  g_assert_cmpuint (status, ==, 200);
  g_assert_cmpstr (type, ==, "image/gif");
  g_assert_cmpmem (g_bytes_get_data (content, NULL), g_bytes_get_size (content), "GIF89a-pixels",
                   13);
  g_autoptr (JsonNode) sync = sim_test_api (
      t, "GET", SIM_TEST_EXT "/message-sync?syncType=FSync&messageType=SMS", NULL, &status);
  JsonArray *records = sim_test_records (sync);
  gboolean found = FALSE;
  for (guint i = 0; i < json_array_get_length (records); i++) {
    JsonObject *r = json_array_get_object_element (records, i);
    if (json_object_get_int_member (r, "id") == json_object_get_int_member (o, "id"))
      found = g_str_equal (json_object_get_string_member (mms_entry (r), "uri"), uri);
  }
  g_assert_true (found);

  /* the content is an API call: no token, no content */
  g_autoptr (GBytes) none = NULL;
  g_free (t->access_token);
  t->access_token = g_strdup ("not-a-token");
  g_free (type);
  none = raw_get (t, uri, &status, &type);
  g_assert_cmpuint (status, ==, 401);
}

static void
test_sms_mixed (SimTest *t, gconstpointer data)
{
  guint status = 0;
  sim_test_sign_in (t);
  g_autofree char *body
      = g_strdup ("--" B "\r\nContent-Type: application/json\r\n\r\n" OK_JSON "\r\n"
                  "--" B "\r\nContent-Type: text/plain\r\n"
                  "Content-Disposition: attachment; filename=\"note.txt\"\r\n\r\nhello\r\n"
                  "--" B "--\r\n");
  g_autoptr (JsonNode) n = post (t, "sms", MIXED, body, &status);
  g_assert_cmpuint (status, ==, 200);
  JsonObject *a = mms_entry (json_node_get_object (n));
  g_assert_cmpstr (json_object_get_string_member (a, "fileName"), ==, "note.txt");
  g_assert_cmpstr (json_object_get_string_member (a, "contentType"), ==, "text/plain");

  /* /sms needs text (CreateSMSMessage), /mms does not but needs a file (CreateMMSMessage) */
  const char *no_text = "{\"from\":{\"phoneNumber\":\"+16505550100\"},"
                        "\"to\":[{\"phoneNumber\":\"+14155550100\"}]}";
  g_autofree char *b1 = body_of ("application/json", no_text, 1, "image/gif", "x", FALSE);
  expect_refusal (t, "sms", FORM, b1, 400, "CMN-101", "text");
  g_autoptr (JsonNode) ok = post (t, "mms", FORM, b1, &status);
  g_assert_cmpuint (status, ==, 200);
  g_autofree char *b2 = body_of ("application/json", OK_JSON, 0, NULL, NULL, FALSE);
  expect_refusal (t, "mms", FORM, b2, 400, "CMN-101", "attachments");
  /* MMS from a number without MmsSender */
  const char *sms_only = "{\"from\":{\"phoneNumber\":\"+16505550101\"},"
                         "\"to\":[{\"phoneNumber\":\"+14155550100\"}]}";
  g_autofree char *b3 = body_of ("application/json", sms_only, 1, "image/gif", "x", FALSE);
  expect_refusal (t, "mms", FORM, b3, 403, "MSG-242", "from");
}

static void
test_json_part_validation (SimTest *t, gconstpointer data)
{
  sim_test_sign_in (t);
  static const struct {
    const char *json;
    const char *param;
  } cases[] = {
    { "not json", "body" },
    { "[1]", "body" },
    { "{\"to\":[{\"phoneNumber\":\"+14155550100\"}]}", "from" },
    { "{\"from\":\"+16505550100\",\"to\":[{\"phoneNumber\":\"+14155550100\"}]}", "from" },
    { "{\"from\":{\"phoneNumber\":16505550100},\"to\":[{\"phoneNumber\":\"+14155550100\"}]}",
      "from.phoneNumber" },
    { "{\"from\":{\"phoneNumber\":\"+16505550100\"}}", "to" },
    { "{\"from\":{\"phoneNumber\":\"+16505550100\"},\"to\":{\"phoneNumber\":\"+14155550100\"}}",
      "to" },
    { "{\"from\":{\"phoneNumber\":\"+16505550100\"},\"to\":[\"+14155550100\"]}", "to" },
    { "{\"from\":{\"phoneNumber\":\"+16505550100\"},\"to\":[{\"number\":\"+14155550100\"}]}",
      "to.phoneNumber" },
    { "{\"from\":{\"phoneNumber\":\"+16505550100\"},\"to\":[{\"phoneNumber\":\"+14155550100\"}],"
      "\"text\":5}",
      "text" },
    { "{\"from\":{\"phoneNumber\":\"+16505550100\"},\"to\":[{\"phoneNumber\":\"+14155550100\"}],"
      "\"country\":\"US\"}",
      "country" },
  };
  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++) {
    g_autofree char *body = body_of ("application/json", cases[i].json, 1, "image/gif", "x", FALSE);
    expect_refusal (t, "mms", FORM, body, 400, "CMN-101", cases[i].param);
  }
  /* the first part must be the JSON */
  g_autofree char *b = body_of ("text/plain", OK_JSON, 1, "image/gif", "x", FALSE);
  expect_refusal (t, "mms", FORM, b, 400, "CMN-101", "body");
  /* not multipart at all, or not parseable */
  expect_refusal (t, "mms", "application/json", OK_JSON, 415, "CMN-415", NULL);
  expect_refusal (t, "mms", FORM, "garbage", 400, "CMN-101", "body");
  g_assert_cmpuint (rc_sim_count_requests (t->sim, "POST", SIM_TEST_EXT "/mms"), ==,
                    G_N_ELEMENTS (cases) + 3);
}

static void
test_limits (SimTest *t, gconstpointer data)
{
  sim_test_sign_in (t);
  g_autofree char *eleven = body_of ("application/json", OK_JSON, 11, "image/gif", "x", FALSE);
  expect_refusal (t, "mms", FORM, eleven, 400, "MSG-337", "attachments");
  g_autofree char *ten = body_of ("application/json", OK_JSON, 10, "image/gif", "x", FALSE);
  guint status;
  g_autoptr (JsonNode) ok = post (t, "mms", FORM, ten, &status);
  g_assert_cmpuint (status, ==, 200);

  g_autofree char *big_content = g_strnfill (750001, 'x');
  g_autofree char *big = body_of ("application/json", OK_JSON, 2, "image/gif", big_content, FALSE);
  expect_refusal (t, "mms", FORM, big, 400, "MSG-338", "attachments");
  g_autofree char *empty = body_of ("application/json", OK_JSON, 1, "image/gif", "", FALSE);
  expect_refusal (t, "mms", FORM, empty, 400, "MSG-347", "attachments");
  g_autofree char *heic = body_of ("application/json", OK_JSON, 1, "image/heic", "x", FALSE);
  expect_refusal (t, "mms", FORM, heic, 415, "MSG-348", "attachments");
  g_autofree char *nameless = body_of ("application/json", OK_JSON, 1, "image/gif", "x", TRUE);
  expect_refusal (t, "mms", FORM, nameless, 400, "MSG-351", "attachments");
  g_autofree char *last = rc_sim_last_mms (t->sim);
  g_assert_nonnull (strstr (last, "\"status\":400"));
}

static void
test_inbound_and_host (SimTest *t, gconstpointer data)
{
  guint status = 0;
  sim_test_sign_in (t);
  g_autoptr (JsonNode) r = sim_test_control (
      t, "inbound-mms",
      "{\"from\":\"+14155550100\",\"to\":\"+16505550100\",\"text\":\"pic\","
      "\"content_type\":\"image/png\",\"data\":\"iVBORw0KGgo=\",\"file_name\":\"p.png\"}",
      &status);
  g_assert_cmpuint (status, ==, 200);
  const char *id = json_object_get_string_member (json_node_get_object (r), "id");
  g_autoptr (JsonNode) rec = sim_test_record (t, id);
  JsonObject *a = mms_entry (json_node_get_object (rec));
  g_assert_cmpint (json_object_get_int_member (a, "size"), ==, 8);
  g_autofree char *type = NULL;
  g_autoptr (GBytes) content
      = raw_get (t, json_object_get_string_member (a, "uri"), &status, &type);
  g_assert_cmpuint (status, ==, 200);
  g_assert_cmpstr (type, ==, "image/png");
  g_assert_cmpmem (g_bytes_get_data (content, NULL), g_bytes_get_size (content),
                   "\x89PNG\r\n\x1a\n", 8);

  /* the attachment host moves the uri, not the path */
  g_autoptr (JsonNode) h = sim_test_control (t, "attachment-host",
                                             "{\"base_url\":\"https://media.example/\"}", &status);
  g_assert_cmpuint (status, ==, 200);
  g_autoptr (JsonNode) rec2 = sim_test_record (t, id);
  const char *uri = json_object_get_string_member (mms_entry (json_node_get_object (rec2)), "uri");
  g_assert_true (g_str_has_prefix (uri, "https://media.example/restapi/v1.0/account/"));
  g_autoptr (JsonNode) h2 = sim_test_control (t, "attachment-host", "{\"base_url\":null}", &status);
  g_autoptr (JsonNode) rec3 = sim_test_record (t, id);
  g_autofree char *base = rc_sim_get_base_url (t->sim);
  g_assert_true (g_str_has_prefix (
      json_object_get_string_member (mms_entry (json_node_get_object (rec3)), "uri"), base));

  /* bad control bodies, unknown attachment */
  g_autoptr (JsonNode) bad = sim_test_control (t, "inbound-mms", "{\"from\":\"x\"}", &status);
  g_assert_cmpuint (status, ==, 400);
  g_autofree char *missing
      = g_strdup_printf ("%s" SIM_TEST_EXT "/message-store/%s/content/1", base, id);
  g_autofree char *type2 = NULL;
  g_autoptr (GBytes) nothing = raw_get (t, missing, &status, &type2);
  g_assert_cmpuint (status, ==, 404);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add ("/sim-mms/send-form-data", SimTest, NULL, sim_test_setup, test_send_form_data,
              sim_test_teardown);
  g_test_add ("/sim-mms/sms-mixed", SimTest, NULL, sim_test_setup, test_sms_mixed,
              sim_test_teardown);
  g_test_add ("/sim-mms/json-part-validation", SimTest, NULL, sim_test_setup,
              test_json_part_validation, sim_test_teardown);
  g_test_add ("/sim-mms/limits", SimTest, NULL, sim_test_setup, test_limits, sim_test_teardown);
  g_test_add ("/sim-mms/inbound-and-host", SimTest, NULL, sim_test_setup, test_inbound_and_host,
              sim_test_teardown);
  return g_test_run ();
}
