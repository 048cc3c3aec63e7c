/* test-hostile-json.c: the bounded JSON parser and readers (rc-json.h) and the token answer
 * (rc-auth-private.h) against hostile server data: 10^5-deep nesting, oversize text, invalid UTF-8
 * and NUL bytes, numbers out of range (2^63-1, 1e300), CR/LF and megabytes inside tokens. */
#include <string.h>

#include "rc-auth-private.h"
#include "rc-error.h"
#include "rc-json.h"

/* @depth "[" then @depth "]" (or "{\"a\":" … "}"). */
static char *
nested (guint depth, gboolean objects)
{
  GString *s = g_string_new (NULL);

  for (guint i = 0; i < depth; i++)
    g_string_append (s, objects ? "{\"a\":" : "[");
  g_string_append (s, "1");
  for (guint i = 0; i < depth; i++)
    g_string_append_c (s, objects ? '}' : ']');
  return g_string_free (s, FALSE);
}

static void
test_depth (void)
{
  g_autofree char *ok = nested (RC_JSON_MAX_DEPTH, FALSE);
  g_autofree char *deep = nested (RC_JSON_MAX_DEPTH + 1, FALSE);
  g_autofree char *bomb = nested (100000, FALSE);
  g_autofree char *obomb = nested (100000, TRUE);
  g_autoptr (JsonNode) node = NULL;
  g_autoptr (GError) error = NULL;

  g_assert_true (rc_json_depth_ok (ok, strlen (ok), RC_JSON_MAX_DEPTH));
  g_assert_false (rc_json_depth_ok (deep, strlen (deep), RC_JSON_MAX_DEPTH));
  /* Brackets inside strings (escaped quotes included) do not count. */
  g_assert_true (rc_json_depth_ok ("[\"[[[[\\\"[[[\"]", 14, 1));
  g_assert_false (rc_json_depth_ok ("[[\"]]\"]]", 8, 1));

  node = rc_json_parse (ok, strlen (ok), NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (node);
  g_clear_pointer (&node, json_node_unref);

  /* json-glib recurses per level: 10^5 levels would overflow the stack, never reached. */
  for (guint i = 0; i < 3; i++) {
    const char *text = i == 0 ? deep : i == 1 ? bomb : obomb;

    node = rc_json_parse (text, strlen (text), "the test answer", &error);
    g_assert_null (node);
    g_assert_error (error, RC_ERROR, RC_ERROR_BAD_RESPONSE);
    g_assert_nonnull (strstr (error->message, "the test answer"));
    g_clear_error (&error);
  }
  {
    g_autoptr (GBytes) body = g_bytes_new (bomb, strlen (bomb));
    g_autoptr (RcTokens) tokens = rc_auth_parse_token_info (body, 1000, &error);

    g_assert_null (tokens);
    g_assert_error (error, RC_ERROR, RC_ERROR_BAD_RESPONSE);
  }
}

static void
test_bad_text (void)
{
  static const char *bad[] = { "", "   \n", "{\"a\":", "{\"a\":1}}", "nul", "{\"a\":tru}" };
  g_autoptr (GError) error = NULL;
  g_autofree char *big = g_malloc0 (RC_JSON_MAX_BYTES + 2);
  JsonNode *node;

  for (gsize i = 0; i < G_N_ELEMENTS (bad); i++) {
    node = rc_json_parse (bad[i], strlen (bad[i]), NULL, &error);
    g_assert_null (node);
    g_assert_error (error, RC_ERROR, RC_ERROR_BAD_RESPONSE);
    g_clear_error (&error);
  }
  /* Too big: refused before json-glib sees it. */
  memset (big, ' ', RC_JSON_MAX_BYTES + 1);
  big[0] = '1';
  node = rc_json_parse (big, RC_JSON_MAX_BYTES + 1, NULL, &error);
  g_assert_null (node);
  g_assert_error (error, RC_ERROR, RC_ERROR_BAD_RESPONSE);
}

static void
test_invalid_utf8 (void)
{
  /* One bad byte in one record, a raw NUL in another: the rest stays readable. */
  static const char text[] = "{\"records\":[{\"t\":\"a\xff"
                             "b\"},{\"t\":\"c\0d\"},{\"t\":\"ok\"}]}";
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonNode) node = rc_json_parse (text, sizeof text - 1, NULL, &error);
  JsonArray *records;

  g_assert_no_error (error);
  g_assert_nonnull (node);
  records = json_object_get_array_member (json_node_get_object (node), "records");
  g_assert_cmpuint (json_array_get_length (records), ==, 3);
  g_assert_cmpstr (rc_json_string (json_array_get_object_element (records, 0), "t"), ==,
                   "a\xef\xbf\xbd"
                   "b");
  g_assert_cmpstr (rc_json_string (json_array_get_object_element (records, 1), "t"), ==,
                   "c\xef\xbf\xbd"
                   "d");
  g_assert_cmpstr (rc_json_string (json_array_get_object_element (records, 2), "t"), ==, "ok");
}

static void
test_numbers (void)
{
  g_autoptr (GError) error = NULL;
  static const char text[]
      = "{\"max\":9223372036854775807,\"min\":-9223372036854775808,\"huge\":1e300,"
        "\"neg\":-1e300,\"half\":1.5,\"d\":5.0e3,\"big\":1.5e18,\"edge\":9.3e18,\"s\":\"7\","
        "\"n\":null}";
  g_autoptr (JsonNode) node = rc_json_parse (text, sizeof text - 1, NULL, &error);
  JsonObject *o;
  g_autofree char *id_max = NULL, *id_big = NULL, *id_huge = NULL, *id_half = NULL;

  g_assert_no_error (error);
  o = json_node_get_object (node);
  /* Doubles out of gint64's range are never cast (UBSan would report it). */
  g_assert_cmpint (rc_json_int (o, "huge", -7), ==, -7);
  g_assert_cmpint (rc_json_int (o, "neg", -7), ==, -7);
  g_assert_cmpint (rc_json_int (o, "edge", -7), ==, -7);
  g_assert_cmpint (rc_json_int (o, "half", -7), ==, -7);
  g_assert_cmpint (rc_json_int (o, "d", -7), ==, 5000);
  g_assert_cmpint (rc_json_int (o, "max", -7), ==, G_MAXINT64);
  g_assert_cmpint (rc_json_int (o, "s", -7), ==, -7);
  g_assert_cmpint (rc_json_int (o, "n", -7), ==, -7);
  /* Ranges, for numbers that feed arithmetic (page + 1). */
  g_assert_cmpint (rc_json_int_range (o, "max", 1, G_MAXINT32, 3), ==, 3);
  g_assert_cmpint (rc_json_int_range (o, "min", 1, G_MAXINT32, 3), ==, 3);
  g_assert_cmpint (rc_json_int_range (o, "huge", 1, G_MAXINT32, 3), ==, 3);
  g_assert_cmpint (rc_json_int_range (o, "d", 1, G_MAXINT32, 3), ==, 5000);
  g_assert_cmpint (rc_json_int_range (o, "d", 1, 100, 3), ==, 3);
  g_assert_cmpint (rc_json_int_range (NULL, "d", 1, 100, 3), ==, 3);
  /* Ids: integers exactly, whole doubles in range, never a 301-digit 1e300. */
  id_max = rc_json_id (json_object_get_member (o, "max"));
  id_big = rc_json_id (json_object_get_member (o, "big"));
  id_huge = rc_json_id (json_object_get_member (o, "huge"));
  id_half = rc_json_id (json_object_get_member (o, "half"));
  g_assert_cmpstr (id_max, ==, "9223372036854775807");
  g_assert_cmpstr (id_big, ==, "1500000000000000000");
  g_assert_null (id_huge);
  g_assert_null (id_half);
}

static void
test_token_values (void)
{
  g_autofree char *long_token = g_strnfill (RC_AUTH_TOKEN_MAX_LEN + 1, 'A');
  g_autofree char *max_token = g_strnfill (RC_AUTH_TOKEN_MAX_LEN, 'A');
  g_autofree char *json = NULL;
  g_autoptr (GBytes) body = NULL;
  g_autoptr (RcTokens) tokens = NULL;
  g_autoptr (GError) error = NULL;

  g_assert_true (rc_auth_token_is_valid ("U0pDMTFQMDFQQVMwMHxBQUJ-_.=/+"));
  g_assert_true (rc_auth_token_is_valid (max_token));
  g_assert_false (rc_auth_token_is_valid (long_token));
  g_assert_false (rc_auth_token_is_valid (""));
  g_assert_false (rc_auth_token_is_valid (NULL));
  g_assert_false (rc_auth_token_is_valid ("A\r\nX-Evil: 1"));
  g_assert_false (rc_auth_token_is_valid ("A B"));
  g_assert_false (rc_auth_token_is_valid ("A\tB"));
  g_assert_false (rc_auth_token_is_valid ("A\xc3\xa9"));

  json = g_strdup_printf ("{\"access_token\":\"%s\",\"expires_in\":3600}", long_token);
  body = g_bytes_new (json, strlen (json));
  tokens = rc_auth_parse_token_info (body, 1000, &error);
  g_assert_null (tokens);
  g_assert_error (error, RC_ERROR, RC_ERROR_BAD_RESPONSE);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/hostile-json/depth", test_depth);
  g_test_add_func ("/hostile-json/bad-text", test_bad_text);
  g_test_add_func ("/hostile-json/invalid-utf8", test_invalid_utf8);
  g_test_add_func ("/hostile-json/numbers", test_numbers);
  g_test_add_func ("/hostile-json/token-values", test_token_values);
  return g_test_run ();
}
