/* test-hostile-strings.c: strings and documents json-glib 1.6 gets wrong, through every parser of
 * server data (issue 10 "Hostile server data", tests/fuzz/RESULTS.md findings 2 and 6): "\u0000"
 * cut a text there, a lone surrogate escape ("\ud800x") gave invalid UTF-8 and swallowed the "x",
 * a second value after the first ("{}{}", "1 [2]") was read as the first and leaked.
 * rc_json_parse() (rc-json.h) repairs or refuses them once, and rc-push, rc-mms and rc-error parse
 * through it. */
#include <string.h>

#include "rc-client.h"
#include "rc-error.h"
#include "rc-json.h"
#include "rc-message.h"
#include "rc-numbers.h"
#include "rc-push-private.h"

#define FFFD "\xef\xbf\xbd" /* U+FFFD in UTF-8 */

/* The string member "s" of the JSON object text @json, parsed with rc_json_parse(). */
static char *
parsed_s (const char *json)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonNode) node = rc_json_parse (json, strlen (json), NULL, &error);
  const char *s;

  g_assert_no_error (error);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (node));
  s = rc_json_string (json_node_get_object (node), "s");
  g_assert_nonnull (s);
  g_assert_true (g_utf8_validate (s, -1, NULL));
  return g_strdup (s);
}

static void
test_nul_escape (void)
{
  static const struct {
    const char *json, *expected;
  } cases[] = {
    { "{\"s\": \"before\\u0000after\"}", "before" FFFD "after" },
    { "{\"s\": \"\\u0000\"}", FFFD },
    { "{\"s\": \"a\\u0000\\u0000b\"}", "a" FFFD FFFD "b" },
    /* An escaped backslash then "u0000" is text, not an escape: left alone. */
    { "{\"s\": \"a\\\\u0000b\"}", "a\\u0000b" },
    { "{\"s\": \"a\\\\\\u0000b\"}", "a\\" FFFD "b" },
    /* Other escapes are untouched. */
    { "{\"s\": \"t\\tq\\\"\\u0041\\u00e9\"}", "t\tq\"A\xc3\xa9" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++) {
    g_autofree char *s = parsed_s (cases[i].json);

    g_test_message ("%s", cases[i].json);
    g_assert_cmpstr (s, ==, cases[i].expected);
  }
  /* In a member name too: the member is not cut to "a" (and so cannot shadow "a"). */
  {
    const char *json = "{\"a\\u0000b\": 1, \"a\": 2}";
    g_autoptr (JsonNode) node = rc_json_parse (json, strlen (json), NULL, NULL);

    g_assert_nonnull (node);
    g_assert_cmpint (rc_json_int (json_node_get_object (node), "a", 0), ==, 2);
    g_assert_cmpint (rc_json_int (json_node_get_object (node), "a" FFFD "b", 0), ==, 1);
  }
}

static void
test_lone_surrogate (void)
{
  static const struct {
    const char *json, *expected;
  } cases[] = {
    { "{\"s\": \"hi \\ud800x\"}", "hi " FFFD "x" },       /* high, then text */
    { "{\"s\": \"hi \\uD800\\u0041\"}", "hi " FFFD "A" }, /* high, then not a low one */
    { "{\"s\": \"\\udc00y\"}", FFFD "y" },                /* low alone */
    { "{\"s\": \"end \\ud800\"}", "end " FFFD },          /* at the end: json-glib refused */
    { "{\"s\": \"\\ud800\\ud800\\udc00\"}", FFFD "\xf0\x90\x80\x80" },
    /* A pair stays what it is (U+1F600). */
    { "{\"s\": \"\\ud83d\\ude00!\"}", "\xf0\x9f\x98\x80!" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++) {
    g_autofree char *s = parsed_s (cases[i].json);

    g_test_message ("%s", cases[i].json);
    g_assert_cmpstr (s, ==, cases[i].expected);
  }
}

/* @text is refused as RC_ERROR_BAD_RESPONSE, naming what was read. */
static void
assert_refused (const char *text)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonNode) node = NULL;

  g_test_message ("refused: %s", text);
  node = rc_json_parse (text, strlen (text), "the test answer", &error);
  g_assert_null (node);
  g_assert_error (error, RC_ERROR, RC_ERROR_BAD_RESPONSE);
  g_assert_nonnull (strstr (error->message, "the test answer"));
}

static void
assert_accepted (const char *text)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonNode) node = NULL;

  g_test_message ("accepted: %s", text);
  node = rc_json_parse (text, strlen (text), NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (node);
}

static void
test_one_value (void)
{
  static const char *const refused[] = {
    "{\"a\":1}{\"b\":2}", "1 [2]", "-1{\"a\":1}", "[1] 2",
    "\"a\"\"b\"",         "[1],",  "{} x",        "true false",
  };
  static const char *const accepted[] = {
    " {\"a\":1} \r\n\t",     "[1,[2],{\"b\":[]}]", "1", " -1.5e3 ", "\"x\"", "null", "\"}{\"",
    "\xef\xbb\xbf{\"a\":1}",
  };

  for (guint i = 0; i < G_N_ELEMENTS (refused); i++) {
    assert_refused (refused[i]);
    /* Not a depth problem. */
    g_assert_true (rc_json_depth_ok (refused[i], strlen (refused[i]), RC_JSON_MAX_DEPTH));
  }
  for (guint i = 0; i < G_N_ELEMENTS (accepted); i++)
    assert_accepted (accepted[i]);
}

/* Invalid escapes are refused before json-glib sees them: json-glib 1.6 leaks a string buffer
 * on a broken \u escape (found by tests/fuzz; corpus/registration/broken-u-escape.json). */
static void
test_escapes (void)
{
  static const char *const refused[] = {
    "\"\\u0\\ud800\\udddd\\u\"", "{\"a\":\"\\u12\"}", "{\"a\":\"\\uzzzz\"}", "[\"\\q\"]",
    "\"\\x41\"",                        "\"ends\\",
  };
  static const char *const accepted[] = {
    "\"\\\" \\\\ \\/ \\b \\f \\n \\r \\t\"", "{\"a\":\"\\u00e9\\uD83D\\uDE00\"}",
  };

  for (guint i = 0; i < G_N_ELEMENTS (refused); i++)
    assert_refused (refused[i]);
  for (guint i = 0; i < G_N_ELEMENTS (accepted); i++)
    assert_accepted (accepted[i]);
}

/* Nodes not made by rc_json_parse() (built by hand) with invalid UTF-8: the readers never hand it
 * on. */
static void
test_readers_repair (void)
{
  g_autoptr (JsonObject) object = json_object_new ();
  g_autoptr (JsonNode) node = json_node_new (JSON_NODE_OBJECT);
  g_autoptr (JsonObject) from = json_object_new ();
  g_autoptr (GError) error = NULL;
  g_autoptr (RcMessage) message = NULL;
  g_autofree char *text = NULL;

  json_object_set_string_member (object, "bad", "a\xed\xa0\x80z");
  json_object_set_string_member (object, "good", "ok");
  g_assert_null (rc_json_string (object, "bad"));
  g_assert_cmpstr (rc_json_string (object, "good"), ==, "ok");
  text = rc_json_text (json_object_get_member (object, "bad"));
  g_assert_true (g_utf8_validate (text, -1, NULL));
  g_assert_true (g_str_has_prefix (text, "a") && g_str_has_suffix (text, "z"));
  g_assert_null (rc_json_text (NULL));

  json_object_set_string_member (object, "id",
                                 "\xff"
                                 "12");
  json_object_set_string_member (object, "type", "SMS");
  json_object_set_string_member (object, "direction", "Inbound");
  json_object_set_string_member (object, "subject", "text \xed\xa0\x80 end");
  json_object_set_string_member (from, "phoneNumber", "+14155550123");
  json_object_set_string_member (from, "name", "Ann \xc3 Lee");
  json_object_set_object_member (object, "from", json_object_ref (from));
  json_node_set_object (node, object);
  message = rc_message_parse (node, &error);
  g_assert_no_error (error);
  g_assert_true (g_utf8_validate (message->id, -1, NULL));
  g_assert_true (g_utf8_validate (message->text, -1, NULL));
  g_assert_true (g_str_has_suffix (message->text, " end"));
  g_assert_true (g_utf8_validate (message->from_name, -1, NULL));
  g_assert_true (g_str_has_suffix (message->from_name, " Lee"));
}

/* The fuzz finding (crashes/message/lone-surrogate.json) through the parser the client uses. */
static void
test_message_record (void)
{
  const char *json
      = "{\"id\":1,\"type\":\"SMS\",\"direction\":\"Inbound\",\"from\":{\"phoneNumber\":"
        "\"+14155550123\",\"name\":\"A\\ud800B\"},\"to\":[{\"phoneNumber\":\"+16505550100\","
        "\"name\":\"C\\u0000D\"}],\"subject\":\"hi \\ud800x and\\u0000 the end\"}";
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonNode) node = rc_json_parse (json, strlen (json), NULL, &error);
  g_autoptr (RcMessage) message = NULL;

  g_assert_no_error (error);
  message = rc_message_parse (node, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (message->text, ==, "hi " FFFD "x and" FFFD " the end");
  g_assert_cmpstr (message->from_name, ==, "A" FFFD "B");
  g_assert_cmpstr (g_ptr_array_index (message->to_names, 0), ==, "C" FFFD "D");
}

static void
test_number_label (void)
{
  const char *json
      = "{\"records\":[{\"id\":1,\"phoneNumber\":\"+16505550100\",\"usageType\":"
        "\"DirectNumber\",\"features\":[\"SmsSender\"],\"label\":\"Desk\\ud800 two\"}]}";
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonNode) node = rc_json_parse (json, strlen (json), NULL, &error);
  g_autoptr (GPtrArray) numbers = NULL;
  const RcPhoneNumber *number;
  g_autofree char *line = NULL;

  g_assert_no_error (error);
  numbers = rc_numbers_parse_page (node, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (numbers->len, ==, 1);
  number = g_ptr_array_index (numbers, 0);
  g_assert_cmpstr (number->label, ==, "Desk" FFFD " two");
  line = rc_phone_number_describe (number);
  g_assert_true (g_utf8_validate (line, -1, NULL));
}

static void
on_instant (RcPush *push, RcMessage *message, gpointer user_data)
{
  *(RcMessage **)user_data = rc_message_copy (message);
}

/* A pushed text (fact sheet §5 ServerNotification, instant?type=SMS) with both escapes arrives
 * whole; a frame with a second value after it, or nested too deep, is skipped. */
static void
test_push_frame (void)
{
  g_autoptr (RcClient) client
      = rc_client_new ("https://platform.ringcentral.com", "test-client", NULL, NULL);
  g_autoptr (RcPush) push = rc_push_new (client);
  g_autoptr (RcMessage) got = NULL;
  const char *frame
      = "[{\"type\":\"ServerNotification\",\"messageId\":\"1\",\"status\":200},{\"event\":"
        "\"/restapi/v1.0/account/1/extension/1/message-store/instant?type=SMS\",\"body\":{\"id\":"
        "\"77\",\"type\":\"SMS\",\"direction\":\"Inbound\",\"from\":{\"phoneNumber\":"
        "\"+14155550123\"},\"to\":[{\"phoneNumber\":\"+16505550100\"}],\"subject\":"
        "\"one\\u0000two \\ud800x end\"}}]";
  g_autoptr (GBytes) bytes = g_bytes_new_static (frame, strlen (frame));
  g_autofree char *twice = g_strconcat (frame, "[]", NULL);
  g_autoptr (GBytes) twice_bytes = g_bytes_new_static (twice, strlen (twice));
  g_autoptr (GString) deep = g_string_new (NULL);
  g_autoptr (GBytes) deep_bytes = NULL;

  g_signal_connect (push, "instant-message", G_CALLBACK (on_instant), &got);
  rc_push_handle_frame (push, TRUE, twice_bytes);
  g_assert_null (got);
  for (guint i = 0; i < 100000; i++)
    g_string_append_c (deep, '[');
  deep_bytes = g_bytes_new_static (deep->str, deep->len);
  rc_push_handle_frame (push, TRUE, deep_bytes); /* json-glib would overflow the stack */
  g_assert_null (got);

  rc_push_handle_frame (push, TRUE, bytes);
  g_assert_nonnull (got);
  g_assert_cmpstr (got->id, ==, "77");
  g_assert_cmpstr (got->text, ==, "one" FFFD "two " FFFD "x end");
}

/* rc-error parses through rc_json_parse(): the message of an error body keeps its end, and a code
 * longer than RC_ERROR_MAX_API_CODE is not a code either way (is_api_code, one test). */
static void
test_error_body (void)
{
  const char *body = "{\"errors\":[{\"errorCode\":\"XYZ-1\",\"message\":\"bad\\u0000 thing "
                     "\\ud800x happened\"}]}";
  g_autoptr (GBytes) bytes = g_bytes_new_static (body, strlen (body));
  g_autoptr (GError) error = rc_error_from_http (400, bytes, FALSE);
  g_autofree char *code = rc_error_get_api_code (error);
  g_autofree char *long_code = NULL;
  g_autoptr (GError) fake = NULL;

  g_assert_true (g_utf8_validate (error->message, -1, NULL));
  g_assert_nonnull (strstr (error->message, "happened"));
  g_assert_cmpstr (code, ==, "XYZ-1");

  fake = g_error_new (RC_ERROR, RC_ERROR_BAD_RESPONSE, "Refused (%s)",
                      "A123456789012345678901234567890123456789");
  long_code = rc_error_get_api_code (fake);
  g_assert_cmpstr (long_code, ==, "A123456789012345678901234567890123456789");
  g_clear_error (&fake);
  fake = g_error_new (RC_ERROR, RC_ERROR_BAD_RESPONSE, "Refused (%s)",
                      "A1234567890123456789012345678901234567890");
  g_clear_pointer (&long_code, g_free);
  long_code = rc_error_get_api_code (fake);
  g_assert_null (long_code);

  /* Two values: not read (no code), the generic sentence. */
  {
    const char *two = "{\"errorCode\":\"CMN-1\"}{\"errorCode\":\"CMN-2\"}";
    g_autoptr (GBytes) two_bytes = g_bytes_new_static (two, strlen (two));
    g_autoptr (GError) e = rc_error_from_http (400, two_bytes, FALSE);
    g_autofree char *c = rc_error_get_api_code (e);

    g_assert_null (c);
  }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/hostile-strings/nul-escape", test_nul_escape);
  g_test_add_func ("/hostile-strings/lone-surrogate", test_lone_surrogate);
  g_test_add_func ("/hostile-strings/one-value", test_one_value);
  g_test_add_func ("/hostile-strings/escapes", test_escapes);
  g_test_add_func ("/hostile-strings/readers-repair", test_readers_repair);
  g_test_add_func ("/hostile-strings/message-record", test_message_record);
  g_test_add_func ("/hostile-strings/number-label", test_number_label);
  g_test_add_func ("/hostile-strings/push-frame", test_push_frame);
  g_test_add_func ("/hostile-strings/error-body", test_error_body);
  return g_test_run ();
}
