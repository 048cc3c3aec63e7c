/* test-message.c: message records (REST and notification forms), UTF-16 length, sending SMS. */
#include <string.h>
#include <glib.h>
#include <libsoup/soup.h>

#include "rc-error.h"
#include "rc-message.h"
#include "rc-test-util.h"

static void
test_sync_records (void)
{
  g_autoptr (JsonNode) root = rc_test_load_fixture ("message-sync-fsync.json");
  JsonArray *records = json_object_get_array_member (json_node_get_object (root), "records");
  g_autoptr (RcMessage) pager = NULL;
  g_autoptr (RcMessage) sms = NULL;
  g_autoptr (RcMessage) copy = NULL;
  g_autoptr (GError) error = NULL;

  g_assert_cmpuint (json_array_get_length (records), ==, 3);

  pager = rc_message_parse (json_array_get_element (records, 0), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (pager->id, ==, "5475922005");
  g_assert_cmpstr (pager->type, ==, "Pager");
  g_assert_null (pager->from); /* extension-to-extension: no phone numbers */
  g_assert_cmpuint (pager->to->len, ==, 0);
  g_assert_null (pager->owner_number);
  /* Beyond 2^53: a double would have rounded it. */
  g_assert_cmpstr (pager->conversation_id, ==, "6015823250778200202");

  sms = rc_message_parse (json_array_get_element (records, 2), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (sms->id, ==, "5475920007");
  g_assert_cmpstr (sms->type, ==, "SMS");
  g_assert_cmpint (sms->direction, ==, RC_DIRECTION_OUTBOUND);
  g_assert_cmpstr (sms->from, ==, "+12098415555");
  g_assert_cmpuint (sms->to->len, ==, 1);
  g_assert_cmpstr (sms->to->pdata[0], ==, "+18558990011");
  g_assert_null (sms->owner_number); /* outbound */
  g_assert_cmpstr (sms->text, ==, "test");
  g_assert_cmpstr (sms->message_status, ==, "Delivered");
  g_assert_cmpstr (sms->read_status, ==, "Read");
  g_assert_cmpstr (sms->availability, ==, "Alive");
  g_assert_null (sms->delivery_error_code);
  g_assert_cmpstr (sms->conversation_id, ==, "356628458090137377");
  g_assert_cmpint (sms->creation_time, ==, 1496283839); /* 2017-06-01T02:23:59Z */
  g_assert_cmpuint (sms->attachment_count, ==, 0);      /* the Text attachment is the body */

  /* Names, times and attachments (the Text entry is listed, not counted). */
  g_assert_null (sms->from_name);
  g_assert_cmpuint (sms->to_names->len, ==, 1);
  g_assert_null (sms->to_names->pdata[0]);
  g_assert_cmpint (sms->last_modified_time, ==, 1496283845); /* 2017-06-01T02:24:05.124Z */
  g_assert_cmpuint (sms->attachments->len, ==, 1);
  {
    RcAttachment *a = sms->attachments->pdata[0];

    g_assert_cmpstr (a->id, ==, "5475920007");
    g_assert_cmpstr (a->type, ==, "Text");
    g_assert_cmpstr (a->content_type, ==, "text/plain");
    g_assert_true (g_str_has_suffix (a->uri, "/message-store/5475920007/content/5475920007"));
    g_assert_cmpint (a->size, ==, 0);
    g_assert_null (a->file_name);
  }
  /* The Pager record's names come without numbers: no to[] entry, so no name either. */
  g_assert_cmpstr (pager->from_name, ==, "Something1 New1");
  g_assert_cmpuint (pager->to_names->len, ==, 0);

  copy = rc_message_copy (sms);
  g_assert_cmpstr (copy->id, ==, sms->id);
  g_assert_cmpstr (copy->to->pdata[0], ==, "+18558990011");
  g_assert_cmpint (copy->creation_time, ==, sms->creation_time);
  g_assert_cmpint (copy->last_modified_time, ==, sms->last_modified_time);
  g_assert_cmpuint (copy->to_names->len, ==, 1);
  g_assert_cmpuint (copy->attachments->len, ==, 1);
  g_assert_true (copy->attachments->pdata[0] != sms->attachments->pdata[0]);
  g_assert_cmpstr (((RcAttachment *)copy->attachments->pdata[0])->uri, ==,
                   ((RcAttachment *)sms->attachments->pdata[0])->uri);
}

static void
test_instant_event (void)
{
  g_autoptr (JsonNode) root = rc_test_load_fixture ("event-instant-sms.json");
  JsonNode *body = json_object_get_member (json_node_get_object (root), "body");
  g_autoptr (RcMessage) message = NULL;
  g_autoptr (GError) error = NULL;

  message = rc_message_parse (body, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (message->id, ==, "3062991514017"); /* a string here */
  g_assert_cmpstr (message->conversation_id, ==, "1638233798595111162");
  g_assert_cmpint (message->direction, ==, RC_DIRECTION_INBOUND);
  g_assert_cmpstr (message->text, ==, "Hi advisor, I'd like to ...");
  g_assert_cmpstr (message->message_status, ==, "Received");
  g_assert_cmpstr (message->read_status, ==, "Unread");
  g_assert_cmpint (message->creation_time, ==, 1753899165); /* 2025-07-30T18:12:45.028Z */
  /* The guide redacts numbers: they are kept as given (not E.164), never a crash. */
  g_assert_cmpstr (message->from, ==, "+1650224XXXX");
  g_assert_cmpuint (message->to->len, ==, 1);
  g_assert_cmpstr (message->owner_number, ==, "+1657390XXXX"); /* to[] with target=true */
  g_assert_null (message->from_name);
  g_assert_cmpstr (message->to_names->pdata[0], ==, "VP Dan");
  g_assert_cmpint (message->last_modified_time, ==, 1753899165);
  g_assert_cmpuint (message->attachments->len, ==, 1);
  g_assert_cmpstr (((RcAttachment *)message->attachments->pdata[0])->id, ==, "3062991514017");
  g_assert_null (((RcAttachment *)message->attachments->pdata[0])->uri);
  g_assert_cmpuint (message->attachment_count, ==, 0);
}

static void
test_names_and_attachments (void)
{
  static const char *mms
      = "{\"id\": 88, \"type\": \"SMS\", \"direction\": \"Inbound\","
        " \"from\": {\"phoneNumber\": \"+14155550100\", \"name\": \"Alex Doe\"},"
        " \"to\": [{\"phoneNumber\": \"+16505550100\", \"name\": \"Me\", \"target\": true},"
        "        {\"phoneNumber\": \"+14155550101\"}, {\"phoneNumber\": \"+14155550102\", "
        "\"name\": 7},"
        "        {\"phoneNumber\": \"+14155550103\", \"name\": \"\"}],"
        " \"attachments\": [{\"id\": 1, \"type\": \"Text\", \"contentType\": \"text/plain\"},"
        "   {\"id\": \"2\", \"uri\": \"https://media.ringcentral.com/x/content/2\","
        "    \"type\": \"MmsAttachment\", \"contentType\": \"image/jpeg\", \"size\": 52341,"
        "    \"fileName\": \"photo.jpg\", \"height\": 10, \"width\": 10},"
        "   \"not an object\", {\"type\": \"MmsAttachment\", \"size\": \"big\"}],"
        " \"lastModifiedTime\": \"2024-05-01T10:00:05Z\", \"creationTime\": "
        "\"2024-05-01T10:00:00Z\"}";
  g_autoptr (JsonNode) node = rc_test_parse_json (mms);
  g_autoptr (GError) error = NULL;
  g_autoptr (RcMessage) m = rc_message_parse (node, &error);
  g_autoptr (RcMessage) copy = NULL;
  RcAttachment *photo;

  g_assert_no_error (error);
  g_assert_cmpstr (m->from_name, ==, "Alex Doe");
  g_assert_cmpuint (m->to->len, ==, 4);
  g_assert_cmpuint (m->to_names->len, ==, 4);
  g_assert_cmpstr (m->to_names->pdata[0], ==, "Me");
  g_assert_null (m->to_names->pdata[1]);
  g_assert_null (m->to_names->pdata[2]); /* not a string */
  g_assert_null (m->to_names->pdata[3]); /* empty */
  g_assert_cmpint (m->creation_time, ==, 1714557600);
  g_assert_cmpint (m->last_modified_time, ==, 1714557605);
  g_assert_cmpuint (m->attachment_count, ==, 2);
  g_assert_cmpuint (m->attachments->len, ==, 3); /* the string entry is skipped */
  photo = m->attachments->pdata[1];
  g_assert_cmpstr (photo->id, ==, "2");
  g_assert_cmpstr (photo->uri, ==, "https://media.ringcentral.com/x/content/2");
  g_assert_cmpstr (photo->type, ==, "MmsAttachment");
  g_assert_cmpstr (photo->content_type, ==, "image/jpeg");
  g_assert_cmpint (photo->size, ==, 52341);
  g_assert_cmpstr (photo->file_name, ==, "photo.jpg");
  g_assert_null (((RcAttachment *)m->attachments->pdata[2])->id);
  g_assert_cmpint (((RcAttachment *)m->attachments->pdata[2])->size, ==, 0);

  copy = rc_message_copy (m);
  g_assert_cmpstr (copy->from_name, ==, "Alex Doe");
  g_assert_cmpstr (copy->to_names->pdata[0], ==, "Me");
  g_assert_null (copy->to_names->pdata[1]);
  g_assert_cmpuint (copy->attachments->len, ==, 3);
  g_assert_cmpstr (((RcAttachment *)copy->attachments->pdata[1])->file_name, ==, "photo.jpg");
}

static void
test_group_and_forms (void)
{
  static const char *group = "{\"id\": \"77\", \"type\": \"SMS\", \"direction\": \"Inbound\","
                             " \"from\": {\"phoneNumber\": \"+14155550100\"},"
                             " \"to\": [{\"phoneNumber\": \"+14155550101\"}, {\"phoneNumber\": "
                             "\"+16505550100\", \"target\": true},"
                             "        {\"name\": \"no number\"}],"
                             " \"conversationId\": 9223372036854775807,"
                             " \"attachments\": [{\"id\": 1, \"type\": \"Text\"}, {\"id\": 2, "
                             "\"type\": \"MmsAttachment\"},"
                             "                   {\"id\": 3, \"type\": \"MmsAttachment\"}],"
                             " \"creationTime\": \"not a time\", \"deliveryErrorCode\": null}";
  static const char *double_conv = "{\"id\": 5.0e3, \"type\": \"SMS\", \"conversationId\": 1.5e18, "
                                   "\"to\": [{\"phoneNumber\": \"+1\"}],"
                                   " \"creationTime\": \"2024-01-02T03:04:05+01:00\"}";
  static const char *string_conv
      = "{\"id\": 6, \"type\": \"SMS\", \"conversationId\": \"18446744073709551615\"}";
  g_autoptr (GError) error = NULL;

  {
    g_autoptr (JsonNode) node = rc_test_parse_json (group);
    g_autoptr (RcMessage) m = rc_message_parse (node, &error);

    g_assert_no_error (error);
    g_assert_cmpuint (m->to->len, ==, 2);
    g_assert_cmpstr (m->owner_number, ==, "+16505550100");
    g_assert_cmpstr (m->conversation_id, ==, "9223372036854775807");
    g_assert_cmpuint (m->attachment_count, ==, 2);
    g_assert_cmpint (m->creation_time, ==, 0);
    g_assert_null (m->delivery_error_code);
    g_assert_cmpstr (m->text, ==, "");
  }
  {
    g_autoptr (JsonNode) node = rc_test_parse_json (double_conv);
    g_autoptr (RcMessage) m = rc_message_parse (node, &error);

    g_assert_no_error (error);
    g_assert_cmpstr (m->id, ==, "5000");
    g_assert_cmpstr (m->conversation_id, ==, "1500000000000000000");
    g_assert_cmpint (m->direction, ==, RC_DIRECTION_INBOUND);
    g_assert_cmpstr (m->owner_number, ==, "+1"); /* the only to[]; kept as given */
    g_assert_cmpint (m->creation_time, ==, 1704161045);
  }
  {
    g_autoptr (JsonNode) node = rc_test_parse_json (string_conv);
    g_autoptr (RcMessage) m = rc_message_parse (node, &error);

    g_assert_no_error (error);
    g_assert_cmpstr (m->conversation_id, ==, "18446744073709551615");
    g_assert_null (m->from);
    g_assert_cmpuint (m->to->len, ==, 0);
  }
}

static void
test_bad_shapes (void)
{
  static const char *const bad[] = {
    "[]",
    "\"SMS\"",
    "null",
    "{}",
    "{\"type\": \"SMS\"}",
    "{\"id\": 1}",
    "{\"id\": {}, \"type\": \"SMS\"}",
    "{\"id\": \"\", \"type\": \"SMS\"}",
    "{\"id\": 1, \"type\": 5}",
    "{\"id\": 1, \"type\": \"SMS\", \"to\": {}}",
    "{\"id\": 1, \"type\": \"SMS\", \"to\": [\"+16505550100\"]}",
    "{\"id\": 1, \"type\": \"SMS\", \"from\": \"+16505550100\"}",
    "{\"id\": 1, \"type\": \"SMS\", \"subject\": 12}",
    "{\"id\": 1, \"type\": \"SMS\", \"creationTime\": 12}",
  };

  for (gsize i = 0; i < G_N_ELEMENTS (bad); i++) {
    g_autoptr (JsonNode) node = rc_test_parse_json (bad[i]);
    g_autoptr (GError) error = NULL;
    RcMessage *m;

    g_test_message ("bad shape %s", bad[i]);
    m = rc_message_parse (node, &error);
    g_assert_null (m);
    g_assert_error (error, RC_ERROR, RC_ERROR_BAD_RESPONSE);
  }
}

static void
test_utf16 (void)
{
  g_autoptr (GString) s = g_string_new (NULL);

  g_assert_cmpuint (rc_message_utf16_length (""), ==, 0);
  g_assert_cmpuint (rc_message_utf16_length ("hello"), ==, 5);
  g_assert_cmpuint (rc_message_utf16_length ("héllo"), ==, 5);
  g_assert_cmpuint (rc_message_utf16_length ("日本"), ==, 2);
  g_assert_cmpuint (rc_message_utf16_length ("😀"), ==, 2);
  g_assert_cmpuint (rc_message_utf16_length ("a😀b"), ==, 4);
  g_assert_cmpuint (rc_message_utf16_length ("a\xff"
                                             "b"),
                    ==, 3); /* invalid byte */
  for (int i = 0; i < 500; i++)
    g_string_append (s, "😀");
  g_assert_cmpuint (rc_message_utf16_length (s->str), ==, RC_MESSAGE_MAX_UTF16);
}

static void
test_build_body (void)
{
  const char *to[] = { "+14155550100", "+14155550101", NULL };
  g_autoptr (JsonNode) body = rc_message_build_sms_body ("+16505550100", to, "Hi \"there\"");
  g_autofree char *text = json_to_string (body, FALSE);

  g_assert_cmpstr (text, ==,
                   "{\"from\":{\"phoneNumber\":\"+16505550100\"},\"to\":[{\"phoneNumber\":"
                   "\"+14155550100\"},{\"phoneNumber\":\"+14155550101\"}],\"text\":\"Hi "
                   "\\\"there\\\"\"}");
}

/* ---- sending, against a tiny local server ---- */

static RcMessage *
send_sms (RcTestServer *f, const char *from, const char *const *to, const char *text,
          GError **error)
{
  g_autoptr (RcClient) client = rc_test_client_new (f->base_url);
  g_autoptr (GAsyncResult) result = NULL;

  rc_message_send_sms_async (client, from, to, text, NULL, rc_test_got_result, &result);
  rc_test_wait_result (&result);
  return rc_message_send_sms_finish (client, result, error);
}

static void
test_send_ok (RcTestServer *f, gconstpointer data)
{
  const char *to[] = { "+14155550100", NULL };
  g_autoptr (GError) error = NULL;
  g_autoptr (RcMessage) m = NULL;
  g_autoptr (JsonNode) sent = NULL;

  rc_test_server_script (
      f, 200,
      "{\"id\": 320270670010, \"to\": [{\"phoneNumber\": \"+14155550100\"}],"
      " \"from\": {\"phoneNumber\": \"+16505550100\"}, \"type\": \"SMS\","
      " \"direction\": \"Outbound\", \"subject\": \"Hello\", \"messageStatus\": \"Queued\","
      " \"conversationId\": 4178398077955743750,"
      " \"conversation\": {\"id\": \"4178398077955743750\"}}");
  m = send_sms (f, "+16505550100", to, "Hello", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (m->id, ==, "320270670010");
  g_assert_cmpstr (m->message_status, ==, "Queued");
  g_assert_cmpstr (m->conversation_id, ==, "4178398077955743750");
  g_assert_cmpuint (f->requests, ==, 1);
  g_assert_cmpstr (f->last_method, ==, "POST");
  g_assert_cmpstr (f->last_path, ==, "/restapi/v1.0/account/~/extension/~/sms");
  sent = rc_test_parse_json (f->last_body);
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (sent), "text"), ==,
                   "Hello");
}

static void
test_send_refused (RcTestServer *f, gconstpointer data)
{
  const char *to[] = { "+14155550100", NULL };
  g_autoptr (GError) error = NULL;
  g_autoptr (RcMessage) m = NULL;

  rc_test_server_script (
      f, 403,
      "{\"errorCode\": \"MSG-242\", \"message\": \"Sending SMS not available\","
      " \"errors\": [{\"errorCode\": \"MSG-242\", \"message\": \"Sending SMS not available\"}]}");
  m = send_sms (f, "+16505550100", to, "Hello", &error);
  g_assert_null (m);
  g_assert_error (error, RC_ERROR, RC_ERROR_NOT_PERMITTED);
  g_assert_true (g_str_has_suffix (error->message, "(MSG-242)"));
}

static void
test_send_bad_answer (RcTestServer *f, gconstpointer data)
{
  const char *to[] = { "+14155550100", NULL };
  g_autoptr (GError) error = NULL;
  g_autoptr (RcMessage) m = NULL;

  rc_test_server_script (f, 200, "{\"ok\": true}");
  m = send_sms (f, "+16505550100", to, "Hello", &error);
  g_assert_null (m);
  g_assert_error (error, RC_ERROR, RC_ERROR_BAD_RESPONSE);
}

static void
test_send_local_checks (RcTestServer *f, gconstpointer data)
{
  const char *to[] = { "+14155550100", NULL };
  const char *none[] = { NULL };
  const char *bad_to[] = { "+14155550100", "4155550101", NULL };
  g_autoptr (GString) long_text = g_string_new (NULL);
  struct {
    const char *from;
    const char *const *to;
    const char *text;
  } cases[] = {
    { "+16505550100", to, "" },        { "+16505550100", none, "Hello" },
    { "+16505550100", NULL, "Hello" }, { "+16505550100", bad_to, "Hello" },
    { "6505550100", to, "Hello" },     { "+16505550100", to, NULL },
    { "+16505550100", to, NULL }, /* replaced by the long text below */
  };

  for (int i = 0; i < 1001; i++)
    g_string_append_c (long_text, 'x');
  cases[G_N_ELEMENTS (cases) - 1].text = long_text->str;

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++) {
    g_autoptr (GError) error = NULL;
    g_autoptr (RcMessage) m = send_sms (f, cases[i].from, cases[i].to, cases[i].text, &error);

    g_assert_null (m);
    g_assert_error (error, RC_ERROR, RC_ERROR_INVALID_INPUT);
  }
  /* A short code is said to be one (texts to short codes cannot be sent at all). */
  {
    const char *short_to[] = { "72975", NULL };
    g_autoptr (GError) error = NULL;
    g_autoptr (RcMessage) m = send_sms (f, "+16505550100", short_to, "STOP", &error);

    g_assert_null (m);
    g_assert_error (error, RC_ERROR, RC_ERROR_INVALID_INPUT);
    g_assert_nonnull (strstr (error->message, "\"72975\" is a short code"));
  }
  g_assert_cmpuint (f->requests, ==, 0); /* nothing was sent */
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/message/sync-records", test_sync_records);
  g_test_add_func ("/message/instant-event", test_instant_event);
  g_test_add_func ("/message/group-and-forms", test_group_and_forms);
  g_test_add_func ("/message/names-and-attachments", test_names_and_attachments);
  g_test_add_func ("/message/bad-shapes", test_bad_shapes);
  g_test_add_func ("/message/utf16", test_utf16);
  g_test_add_func ("/message/build-body", test_build_body);
  g_test_add ("/message/send/ok", RcTestServer, NULL, rc_test_server_set_up, test_send_ok,
              rc_test_server_tear_down);
  g_test_add ("/message/send/refused", RcTestServer, NULL, rc_test_server_set_up, test_send_refused,
              rc_test_server_tear_down);
  g_test_add ("/message/send/bad-answer", RcTestServer, NULL, rc_test_server_set_up,
              test_send_bad_answer, rc_test_server_tear_down);
  g_test_add ("/message/send/local-checks", RcTestServer, NULL, rc_test_server_set_up,
              test_send_local_checks, rc_test_server_tear_down);
  return g_test_run ();
}
