/* test-sim-texts.c: the simulator's texting extras: read marks (single and bulk), delivery
 * failures, texts sent from another device, group inbound texts, short codes, server clock skew. */
#include <string.h>

#include "sim-test-util.h"

#define BULK_TYPE "application/vnd.ringcentral.multipart+json"

static JsonObject *
record_of (SimTest *f, const char *id, JsonNode **holder)
{
  *holder = sim_test_record (f, id);
  return json_node_get_object (*holder);
}

static void
check_send_refused (SimTest *f, const char *from, const char *to, const char *text, guint want,
                    const char *code)
{
  guint status;
  g_autofree char *body = g_strdup_printf (
      "{\"from\":{\"phoneNumber\":\"%s\"},\"to\":[%s],\"text\":\"%s\"}", from, to, text);
  g_autoptr (JsonNode) n = sim_test_api (f, "POST", SIM_TEST_EXT "/sms", body, &status);
  g_assert_cmpuint (status, ==, want);
  g_assert_cmpstr (sim_test_error_code (n), ==, code);
}

static void
test_mark_read (SimTest *f, gconstpointer data)
{
  guint status;
  sim_test_sign_in (f);
  g_autofree char *a = rc_sim_add_inbound (f->sim, "+14155550100", "+16505550100", "one");
  g_autofree char *b = rc_sim_add_inbound (f->sim, "+14155550100", "+16505550100", "two");
  g_autofree char *c = rc_sim_add_inbound (f->sim, "+14155550100", "+16505550100", "three");
  g_autoptr (JsonNode) fs = sim_test_api (
      f, "GET", SIM_TEST_EXT "/message-sync?syncType=FSync&messageType=SMS", NULL, &status);
  g_autofree char *tok = sim_test_sync_token (fs);
  rc_sim_clear_requests (f->sim);

  /* One id: plain JSON, 200 with the record. */
  g_autofree char *one = g_strdup_printf (SIM_TEST_EXT "/message-store/%s", a);
  g_autoptr (JsonNode) n1 = sim_test_api (f, "PUT", one, "{\"readStatus\":\"Read\"}", &status);
  g_assert_cmpuint (status, ==, 200);
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (n1), "readStatus"), ==,
                   "Read");

  /* Several ids in the path: multipart+json in, 207 with a part per id out (unknown → 404). */
  g_autofree char *bulk = g_strdup_printf (SIM_TEST_EXT "/message-store/%s,%s,999", b, c);
  g_autoptr (JsonNode) n2 = sim_test_api_typed (
      f, "PUT", bulk, BULK_TYPE,
      "[{\"body\":{\"readStatus\":\"Read\"}},{\"body\":{\"readStatus\":\"Read\"}},"
      "{\"body\":{\"readStatus\":\"Read\"}}]",
      &status);
  g_assert_cmpuint (status, ==, 207);
  JsonArray *parts = json_node_get_array (n2);
  g_assert_cmpuint (json_array_get_length (parts), ==, 3);
  JsonObject *p0 = json_array_get_object_element (parts, 0);
  g_assert_cmpstr (json_object_get_string_member (p0, "resourceId"), ==, b);
  g_assert_cmpint (json_object_get_int_member (p0, "status"), ==, 200);
  g_assert_cmpstr (
      json_object_get_string_member (json_object_get_object_member (p0, "body"), "readStatus"), ==,
      "Read");
  JsonObject *p2 = json_array_get_object_element (parts, 2);
  g_assert_cmpint (json_object_get_int_member (p2, "status"), ==, 404);
  g_assert_cmpstr (sim_test_error_code (json_object_get_member (p2, "body")), ==, "CMN-102");

  /* The alternative form: "*" in the path, ids in the body. */
  g_autofree char *star_body
      = g_strdup_printf ("[{\"resourceId\":\"%s\",\"body\":{\"readStatus\":\"Unread\"}}]", c);
  g_autoptr (JsonNode) n3 = sim_test_api_typed (f, "PUT", SIM_TEST_EXT "/message-store/*",
                                                BULK_TYPE, star_body, &status);
  g_assert_cmpuint (status, ==, 207);
  g_autoptr (JsonNode) back
      = sim_test_api_typed (f, "PUT", bulk, BULK_TYPE,
                            "[{\"body\":{\"readStatus\":\"Read\"}},{\"body\":{"
                            "\"readStatus\":\"Read\"}},{\"body\":{\"readStatus\":"
                            "\"Read\"}}]",
                            &status);
  g_assert_cmpuint (rc_sim_count_requests (f->sim, "PUT", SIM_TEST_EXT "/message-store/"), ==, 4);

  /* The changes show in the next ISync, each record once. */
  g_autofree char *ipath
      = g_strdup_printf (SIM_TEST_EXT "/message-sync?syncType=ISync&syncToken=%s", tok);
  g_autoptr (JsonNode) is = sim_test_api (f, "GET", ipath, NULL, &status);
  JsonArray *recs = sim_test_records (is);
  g_assert_cmpuint (json_array_get_length (recs), ==, 3);
  for (guint i = 0; i < 3; i++)
    g_assert_cmpstr (
        json_object_get_string_member (json_array_get_object_element (recs, i), "readStatus"), ==,
        "Read");

  /* Refusals: a malformed id, too many ids, the wrong media type, an entry count mismatch. */
  g_autoptr (JsonNode) r1 = sim_test_api (f, "PUT", SIM_TEST_EXT "/message-store/12a",
                                          "{\"readStatus\":\"Read\"}", &status);
  g_assert_cmpuint (status, ==, 400);
  g_assert_cmpstr (sim_test_error_code (r1), ==, "CMN-101");
  g_autoptr (GString) many = g_string_new (SIM_TEST_EXT "/message-store/1");
  g_autoptr (GString) many_body = g_string_new ("[{\"body\":{\"readStatus\":\"Read\"}}");
  for (guint i = 2; i <= 51; i++) {
    g_string_append_printf (many, ",%u", i);
    g_string_append (many_body, ",{\"body\":{\"readStatus\":\"Read\"}}");
  }
  g_string_append (many_body, "]");
  g_autoptr (JsonNode) r2
      = sim_test_api_typed (f, "PUT", many->str, BULK_TYPE, many_body->str, &status);
  g_assert_cmpuint (status, ==, 400);
  g_autoptr (JsonNode) r3 = sim_test_api (f, "PUT", bulk, "{\"readStatus\":\"Read\"}", &status);
  g_assert_cmpuint (status, ==, 415);
  g_autoptr (JsonNode) r4 = sim_test_api_typed (f, "PUT", bulk, BULK_TYPE,
                                                "[{\"body\":{\"readStatus\":\"Read\"}}]", &status);
  g_assert_cmpuint (status, ==, 400);
  g_autoptr (JsonNode) r5 = sim_test_api (f, "PUT", SIM_TEST_EXT "/message-store/424242",
                                          "{\"readStatus\":\"Read\"}", &status);
  g_assert_cmpuint (status, ==, 404);
}

#define FAST_SCENARIO                                                                              \
  "{\"settings\":{\"delivery_delay_ms\":30},"                                                      \
  "\"numbers\":[{\"phoneNumber\":\"+16505550100\",\"features\":[\"SmsSender\",\"MmsSender\"]}],"   \
  "\"contacts\":[{\"name\":\"Opted Out\",\"phone_number\":\"+14155550113\","                       \
  "\"auto_reply\":\"never\",\"delivery\":{\"status\":\"DeliveryFailed\","                          \
  "\"error_code\":\"SMS-CAR-413\"}},"                                                              \
  "{\"name\":\"Echo Bot\",\"phone_number\":\"+16505550199\",\"auto_reply\":\"You said: "           \
  "{text}\"}]}"

static char *
send_sms (SimTest *f, const char *to_json_list)
{
  guint status;
  g_autofree char *body = g_strdup_printf (
      "{\"from\":{\"phoneNumber\":\"+16505550100\"},\"to\":[%s],\"text\":\"hi\"}", to_json_list);
  g_autoptr (JsonNode) n = sim_test_api (f, "POST", SIM_TEST_EXT "/sms", body, &status);
  g_assert_cmpuint (status, ==, 200);
  return g_strdup_printf ("%" G_GINT64_FORMAT,
                          json_object_get_int_member (json_node_get_object (n), "id"));
}

static void
test_delivery_failure (SimTest *f, gconstpointer data)
{
  sim_test_restart (f, FAST_SCENARIO);
  sim_test_sign_in (f);

  /* From the scenario: the opted-out contact's text fails with its code, and nobody answers. */
  g_autofree char *id1 = send_sms (f, "{\"phoneNumber\":\"+14155550113\"}");
  g_autoptr (JsonNode) r1 = sim_test_wait_status (f, id1, "DeliveryFailed");
  JsonObject *o1 = json_node_get_object (r1);
  g_assert_cmpstr (json_object_get_string_member (o1, "deliveryErrorCode"), ==, "SMS-CAR-413");
  g_assert_false (json_object_has_member (o1, "smsDeliveryTime"));
  guint status;
  g_autoptr (JsonNode) all
      = sim_test_api (f, "GET", SIM_TEST_EXT "/message-store?direction=Inbound", NULL, &status);
  g_assert_cmpuint (json_array_get_length (sim_test_records (all)), ==, 0);

  /* From the C API: a stranger's number, SendingFailed; then cleared, Delivered again. */
  rc_sim_set_delivery_failure (f->sim, "+14155550410", "SendingFailed", "SMS-CAR-411");
  g_autofree char *id2 = send_sms (f, "{\"phoneNumber\":\"+14155550410\"}");
  g_autoptr (JsonNode) r2 = sim_test_wait_status (f, id2, "SendingFailed");
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (r2), "deliveryErrorCode"),
                   ==, "SMS-CAR-411");
  rc_sim_set_delivery_failure (f->sim, "+14155550410", NULL, NULL);
  g_autofree char *id3 = send_sms (f, "{\"phoneNumber\":\"+14155550410\"}");
  g_autoptr (JsonNode) r3 = sim_test_wait_status (f, id3, "Delivered");
  g_assert_false (json_object_has_member (json_node_get_object (r3), "deliveryErrorCode"));

  /* The control endpoint does the same; a bad status is refused. */
  g_autoptr (JsonNode) c1 = sim_test_control (
      f, "delivery-failure",
      "{\"to\":\"+14155550410\",\"status\":\"DeliveryFailed\",\"error_code\":\"SMS-CAR-450\"}",
      &status);
  g_assert_cmpuint (status, ==, 200);
  g_autofree char *id4 = send_sms (f, "{\"phoneNumber\":\"+14155550410\"}");
  g_autoptr (JsonNode) r4 = sim_test_wait_status (f, id4, "DeliveryFailed");
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (r4), "deliveryErrorCode"),
                   ==, "SMS-CAR-450");
  g_autoptr (JsonNode) c2 = sim_test_control (
      f, "delivery-failure", "{\"to\":\"+14155550410\",\"status\":\"Delivered\"}", &status);
  g_assert_cmpuint (status, ==, 400);
}

static void
test_outbound_elsewhere (SimTest *f, gconstpointer data)
{
  sim_test_restart (f, FAST_SCENARIO);
  sim_test_sign_in (f);
  const char *to[] = { "+16505550199", NULL };
  g_autofree char *id = rc_sim_add_outbound (f->sim, "+16505550100", to, "from my phone");
  JsonNode *holder = NULL;
  JsonObject *o = record_of (f, id, &holder);
  g_assert_cmpstr (json_object_get_string_member (o, "direction"), ==, "Outbound");
  g_assert_cmpstr (json_object_get_string_member (o, "messageStatus"), ==, "Queued");
  g_assert_cmpstr (json_object_get_string_member (o, "subject"), ==, "from my phone");
  JsonObject *to0 = json_array_get_object_element (json_object_get_array_member (o, "to"), 0);
  g_assert_cmpstr (json_object_get_string_member (to0, "phoneNumber"), ==, "+16505550199");
  g_assert_cmpstr (json_object_get_string_member (to0, "name"), ==, "Echo Bot");
  json_node_unref (holder);
  g_autoptr (JsonNode) done = sim_test_wait_status (f, id, "Delivered");

  /* The Echo Bot answers it like any text; the control endpoint does the same. */
  guint status;
  g_autoptr (JsonNode) in
      = sim_test_api (f, "GET", SIM_TEST_EXT "/message-store?direction=Inbound", NULL, &status);
  g_assert_cmpuint (json_array_get_length (sim_test_records (in)), ==, 1);
  g_autoptr (JsonNode) c = sim_test_control (
      f, "outbound",
      "{\"from\":\"+16505550100\",\"to\":[\"+14155550100\",\"+14155550101\"],\"text\":\"all\"}",
      &status);
  g_assert_cmpuint (status, ==, 200);
  JsonObject *co = json_node_get_object (c);
  JsonObject *rec = record_of (f, json_object_get_string_member (co, "id"), &holder);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (rec, "to")), ==, 2);
  json_node_unref (holder);
  g_autoptr (JsonNode) bad = sim_test_control (
      f, "outbound", "{\"from\":\"+16505550100\",\"to\":[],\"text\":\"x\"}", &status);
  g_assert_cmpuint (status, ==, 400);
}

static void
test_group_inbound (SimTest *f, gconstpointer data)
{
  sim_test_sign_in (f);
  const char *others[] = { "+14155550101", "+14155550102", NULL };
  const char *others2[] = { "+14155550102", "+14155550100", NULL };
  g_autofree char *id
      = rc_sim_add_inbound_group (f->sim, "+14155550100", "+16505550100", others, "hi all");
  g_autofree char *id2
      = rc_sim_add_inbound_group (f->sim, "+14155550101", "+16505550100", others2, "hi back");
  JsonNode *h1 = NULL, *h2 = NULL;
  JsonObject *o = record_of (f, id, &h1);
  JsonObject *o2 = record_of (f, id2, &h2);
  JsonArray *to = json_object_get_array_member (o, "to");
  g_assert_cmpuint (json_array_get_length (to), ==, 3);
  JsonObject *ours = json_array_get_object_element (to, 0);
  g_assert_cmpstr (json_object_get_string_member (ours, "phoneNumber"), ==, "+16505550100");
  g_assert_true (json_object_get_boolean_member (ours, "target"));
  for (guint i = 1; i < 3; i++)
    g_assert_false (json_object_has_member (json_array_get_object_element (to, i), "target"));
  g_assert_cmpstr (
      json_object_get_string_member (json_array_get_object_element (to, 2), "phoneNumber"), ==,
      "+14155550102");
  /* Same parties, another sender: the same conversation. */
  g_assert_cmpint (json_object_get_int_member (o, "conversationId"), ==,
                   json_object_get_int_member (o2, "conversationId"));
  json_node_unref (h1);
  json_node_unref (h2);

  guint status;
  g_autoptr (JsonNode) c = sim_test_control (f, "inbound-group",
                                             "{\"from\":\"+14155550100\",\"to\":\"+16505550100\","
                                             "\"others\":[\"+14155550101\"],\"text\":\"x\"}",
                                             &status);
  g_assert_cmpuint (status, ==, 200);
  g_assert_nonnull (json_object_get_string_member (json_node_get_object (c), "id"));
}

static void
test_short_code (SimTest *f, gconstpointer data)
{
  sim_test_sign_in (f);
  g_autofree char *id = rc_sim_add_inbound (f->sim, "72975", "+16505550100", "Your code is 123456");
  JsonNode *h = NULL;
  JsonObject *o = record_of (f, id, &h);
  g_assert_cmpstr (
      json_object_get_string_member (json_object_get_object_member (o, "from"), "phoneNumber"), ==,
      "72975");
  json_node_unref (h);
  guint status;
  g_autoptr (JsonNode) c = sim_test_control (
      f, "inbound", "{\"from\":\"72975\",\"to\":\"+16505550100\",\"text\":\"x\"}", &status);
  g_assert_cmpuint (status, ==, 200);
  /* to[].phoneNumber must be E.164 (SPEC MessageStoreCallerInfoRequest): a short code is refused.
   */
  check_send_refused (f, "+16505550100", "{\"phoneNumber\":\"72975\"}", "hi", 400, "CMN-101");
}

/* The Date header of an API answer, as Unix seconds. */
static gint64
date_header (SimTest *f)
{
  g_autofree char *auth = g_strconcat ("Bearer ", f->access_token, NULL);
  guint status;
  gint64 date = 0;
  g_autoptr (JsonNode) n
      = sim_test_request (f, "GET", SIM_TEST_EXT, NULL, NULL, auth, &status, &date);
  g_assert_cmpuint (status, ==, 200);
  return date;
}

static gint64
iso_seconds (JsonObject *o, const char *member)
{
  g_autoptr (GDateTime) t
      = g_date_time_new_from_iso8601 (json_object_get_string_member (o, member), NULL);
  g_assert_nonnull (t);
  return g_date_time_to_unix (t);
}

static void
test_clock_offset (SimTest *f, gconstpointer data)
{
  /* The server is an hour behind the local clock; a seed a minute old by the server's clock. */
  sim_test_restart (f,
                    "{\"settings\":{\"clock_offset_s\":-3600},"
                    "\"numbers\":[{\"phoneNumber\":\"+16505550100\",\"features\":[\"SmsSender\"]}],"
                    "\"messages\":[{\"from\":\"+14155550100\",\"to\":[\"+16505550100\"],"
                    "\"text\":\"old\",\"age_seconds\":60}]}");
  sim_test_sign_in (f);
  gint64 local = g_get_real_time () / G_USEC_PER_SEC;
  gint64 date = date_header (f);
  g_assert_cmpint (ABS (date - (local - 3600)), <=, 5);

  guint status;
  g_autoptr (JsonNode) fs = sim_test_api (
      f, "GET", SIM_TEST_EXT "/message-sync?syncType=FSync&messageType=SMS", NULL, &status);
  JsonArray *recs = sim_test_records (fs);
  g_assert_cmpuint (json_array_get_length (recs), ==, 1);
  g_assert_cmpint (
      ABS (iso_seconds (json_array_get_object_element (recs, 0), "creationTime") - (local - 3660)),
      <=, 5);
  JsonObject *info = json_object_get_object_member (json_node_get_object (fs), "syncInfo");
  g_assert_cmpint (ABS (iso_seconds (info, "syncTime") - (local - 3600)), <=, 5);

  /* A dateFrom taken from the local clock lies in the server's future: nothing is in it. */
  g_autoptr (GDateTime) local_minus_5min = g_date_time_new_from_unix_utc (local - 300);
  g_autofree char *iso = g_date_time_format_iso8601 (local_minus_5min);
  g_autofree char *escaped = g_uri_escape_string (iso, NULL, FALSE);
  g_autofree char *path = g_strdup_printf (
      SIM_TEST_EXT "/message-sync?syncType=FSync&messageType=SMS&dateFrom=%s", escaped);
  g_autoptr (JsonNode) fs2 = sim_test_api (f, "GET", path, NULL, &status);
  g_assert_cmpuint (json_array_get_length (sim_test_records (fs2)), ==, 0);

  /* New records take the server's time. */
  g_autofree char *id = rc_sim_add_inbound (f->sim, "+14155550100", "+16505550100", "new");
  JsonNode *h = NULL;
  JsonObject *o = record_of (f, id, &h);
  g_assert_cmpint (ABS (iso_seconds (o, "creationTime") - (local - 3600)), <=, 5);
  json_node_unref (h);

  /* Changed at run time, by the C API and by the control endpoint. */
  rc_sim_set_clock_offset (f->sim, 7200);
  g_assert_cmpint (ABS (date_header (f) - (local + 7200)), <=, 5);
  g_autoptr (JsonNode) c = sim_test_control (f, "clock-offset", "{\"seconds\":0}", &status);
  g_assert_cmpuint (status, ==, 200);
  g_assert_cmpint (ABS (date_header (f) - local), <=, 5);
  g_assert_cmpint (ABS (rc_sim_now_us (f->sim) / G_USEC_PER_SEC - local), <=, 5);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
#define ADD(name, fn)                                                                              \
  g_test_add ("/sim/" name, SimTest, NULL, sim_test_setup, fn, sim_test_teardown)
  ADD ("mark-read", test_mark_read);
  ADD ("delivery-failure", test_delivery_failure);
  ADD ("outbound-elsewhere", test_outbound_elsewhere);
  ADD ("group-inbound", test_group_inbound);
  ADD ("short-code", test_short_code);
  ADD ("clock-offset", test_clock_offset);
  return g_test_run ();
}
