/* test-json-paths.c: rc_json_parse()'s two paths (rc-json.h). A text of ASCII without NUL goes to
 * json-glib as it is, after one pass for the guards; any other is checked with
 * g_utf8_validate_len() and repaired in a copy when it must be. Both must give the same tree for
 * the same meaning, and every guard must hold on either path: a NUL at the end of the buffer, a
 * lone surrogate escape next to a repaired byte, bytes >= 0x80 outside strings, a NUL after a
 * value at depth 0, nesting beyond RC_JSON_MAX_DEPTH with or without a repair. */
#include <string.h>

#include "rc-error.h"
#include "rc-json.h"

static JsonNode *
parse_ok (const char *data, gsize len)
{
  g_autoptr (GError) error = NULL;
  JsonNode *node = rc_json_parse (data, len, NULL, &error);

  g_assert_no_error (error);
  g_assert_nonnull (node);
  return node;
}

static void
assert_refused (const char *data, gsize len)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonNode) node = rc_json_parse (data, len, "the test answer", &error);

  g_assert_null (node);
  g_assert_error (error, RC_ERROR, RC_ERROR_BAD_RESPONSE);
}

static void
assert_refused_text (const char *text)
{
  assert_refused (text, strlen (text));
}

/* The string member "t" of the object @node. */
static const char *
text_of (JsonNode *node)
{
  return json_object_get_string_member (json_node_get_object (node), "t");
}

/* The same document, once as plain ASCII and once with invalid bytes in one string: the trees
 * are equal but for that string, which holds U+FFFD where the bad bytes were. */
static void
test_same_tree (void)
{
  static const char plain[] = "{\"a\":[1,2,{\"b\":\"x\"}],\"t\":\"ok?\",\"n\":null,\"f\":1.5}";
  static const char bad[] = "{\"a\":[1,2,{\"b\":\"x\"}],\"t\":\"ok\xff\",\"n\":null,\"f\":1.5}";
  static const char fixed[] = "{\"a\":[1,2,{\"b\":\"x\"}],\"t\":\"ok\xef\xbf\xbd\",\"n\":null,"
                              "\"f\":1.5}";
  g_autoptr (JsonNode) p = parse_ok (plain, strlen (plain));
  g_autoptr (JsonNode) b = parse_ok (bad, strlen (bad));
  g_autoptr (JsonNode) f = parse_ok (fixed, strlen (fixed));
  g_autofree char *bs = json_to_string (b, FALSE);
  g_autofree char *fs = json_to_string (f, FALSE);

  g_assert_cmpstr (text_of (p), ==, "ok?");
  g_assert_cmpstr (text_of (b), ==, "ok\xef\xbf\xbd");
  g_assert_true (json_node_equal (b, f));
  g_assert_cmpstr (bs, ==, fs);
  /* Valid UTF-8 beyond ASCII takes the checked path and is kept as it is. */
  {
    static const char emoji[] = "{\"t\":\"caf\xc3\xa9 \xf0\x9f\x98\x80\"}";
    g_autoptr (JsonNode) e = parse_ok (emoji, strlen (emoji));

    g_assert_cmpstr (text_of (e), ==, "caf\xc3\xa9 \xf0\x9f\x98\x80");
  }
  /* The same text escaped (ASCII path) and raw (checked path): equal trees. */
  {
    static const char escaped[] = "{\"t\":\"caf\\u00e9\",\"a\":[true]}";
    static const char raw[] = "{\"t\":\"caf\xc3\xa9\",\"a\":[true]}";
    g_autoptr (JsonNode) e = parse_ok (escaped, strlen (escaped));
    g_autoptr (JsonNode) r = parse_ok (raw, strlen (raw));

    g_assert_true (json_node_equal (e, r));
  }
}

/* NUL bytes: at the end of the buffer (inside the length), inside a string, after the value. */
static void
test_nul (void)
{
  static const char in_string[] = "{\"t\":\"a\0b\"}";
  g_autoptr (JsonNode) s = parse_ok (in_string, sizeof in_string - 1);

  g_assert_cmpstr (text_of (s), ==,
                   "a\xef\xbf\xbd"
                   "b");
  /* "{}" then a NUL: one value then a byte that is not whitespace. */
  assert_refused ("{}\0", 3);
  assert_refused ("1\0", 2);
  assert_refused ("\0", 1);
  /* A NUL right after a backslash is no escape. */
  assert_refused ("[\"\\\0\"]", 6);
}

/* Lone surrogate escapes and "\u0000" are rewritten U+FFFD on both paths; a valid pair stays. */
static void
test_surrogates (void)
{
  static const char lone[] = "{\"t\":\"\\ud800x\"}";
  static const char lone_bad[] = "{\"t\":\"\\ud800x\xfe\"}";
  static const char zero[] = "{\"t\":\"a\\u0000b\"}";
  static const char pair[] = "{\"t\":\"\\ud83d\\ude00\"}";
  g_autoptr (JsonNode) l = parse_ok (lone, strlen (lone));
  g_autoptr (JsonNode) lb = parse_ok (lone_bad, strlen (lone_bad));
  g_autoptr (JsonNode) z = parse_ok (zero, strlen (zero));
  g_autoptr (JsonNode) p = parse_ok (pair, strlen (pair));

  g_assert_cmpstr (text_of (l), ==, "\xef\xbf\xbdx");
  g_assert_cmpstr (text_of (lb), ==, "\xef\xbf\xbdx\xef\xbf\xbd");
  g_assert_cmpstr (text_of (z), ==,
                   "a\xef\xbf\xbd"
                   "b");
  g_assert_cmpstr (text_of (p), ==, "\xf0\x9f\x98\x80");
}

/* The guards hold on the repaired path too: depth, a second value, a bad escape. */
static void
test_guards_repaired (void)
{
  GString *deep = g_string_new (NULL);

  for (guint i = 0; i <= RC_JSON_MAX_DEPTH; i++)
    g_string_append (deep, "[\"\xff\",");
  g_string_append (deep, "1");
  for (guint i = 0; i <= RC_JSON_MAX_DEPTH; i++)
    g_string_append_c (deep, ']');
  assert_refused (deep->str, deep->len);
  g_assert_false (rc_json_depth_ok (deep->str, deep->len, RC_JSON_MAX_DEPTH));
  /* One level less is read, repaired. */
  g_string_erase (deep, 0, strlen ("[\"\xff\","));
  g_string_truncate (deep, deep->len - 1);
  {
    g_autoptr (JsonNode) node = parse_ok (deep->str, deep->len);

    g_assert_true (JSON_NODE_HOLDS_ARRAY (node));
  }
  g_string_free (deep, TRUE);

  assert_refused_text ("{\"t\":\"\xff\"}{}");
  assert_refused_text ("[\"\xff\\q\"]");
  /* Bytes >= 0x80 outside strings: not JSON, whatever the path. */
  assert_refused_text ("[1,\xff]");
  assert_refused_text ("[1,\xc3\xa9]");
  assert_refused_text ("\xc3\xa9");
  assert_refused_text ("1\xc3\xa9");
}

/* Brackets, quotes and escapes inside long strings and long nested runs (the skipped runs). */
static void
test_runs (void)
{
  GString *s = g_string_new ("{\"t\":\"");
  g_autoptr (JsonNode) node = NULL;

  for (guint i = 0; i < 1000; i++)
    g_string_append (s, "[[{{ \\\" }}]] ");
  g_string_append (s, "\",\"n\":[");
  for (guint i = 0; i < 1000; i++)
    g_string_append (s, "12345, true, null, ");
  g_string_append (s, "0]}");
  node = parse_ok (s->str, s->len);
  g_assert_cmpuint (strlen (text_of (node)), ==, 1000 * strlen ("[[{{ \" }}]] "));
  g_assert_cmpuint (
      json_array_get_length (json_object_get_array_member (json_node_get_object (node), "n")), ==,
      3001);
  g_string_free (s, TRUE);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/json-paths/same-tree", test_same_tree);
  g_test_add_func ("/json-paths/nul", test_nul);
  g_test_add_func ("/json-paths/surrogates", test_surrogates);
  g_test_add_func ("/json-paths/guards-repaired", test_guards_repaired);
  g_test_add_func ("/json-paths/runs", test_runs);
  return g_test_run ();
}
