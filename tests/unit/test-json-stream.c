/* test-json-stream.c: RcJsonSplitter (rc-json-stream.h): elements and rest however the text is
 * cut into chunks, strings that hide brackets and quotes, nesting, members before and after the
 * array, truncation, depth bombs, size caps and broken structure. */
#include <string.h>
#include <glib.h>

#include "rc-error.h"
#include "rc-json-stream.h"
#include "rc-json.h"

typedef struct {
  GPtrArray *elements; /* char*: each element's text */
  guint refuse_at;     /* the element function fails on this element (1-based), 0 = never */
} Sink;

static gboolean
on_element (const char *json, gsize len, gpointer user_data, GError **error)
{
  Sink *sink = user_data;

  g_assert_cmpuint (len, >, 0);
  g_ptr_array_add (sink->elements, g_strndup (json, len));
  if (sink->refuse_at != 0 && sink->elements->len == sink->refuse_at) {
    g_set_error_literal (error, RC_ERROR, RC_ERROR_BAD_RESPONSE, "refused by the test");
    return FALSE;
  }
  return TRUE;
}

/* Splits @text fed in chunks of @step bytes (0: whole). Returns the rest as JSON text (NULL on
 * failure, @error set) and the elements in @sink. */
static char *
split (const char *text, gsize len, gsize step, Sink *sink, GError **error)
{
  g_autoptr (RcJsonSplitter) splitter
      = rc_json_splitter_new ("records", "the test answer", on_element, sink);
  g_autoptr (JsonNode) rest = NULL;

  if (step == 0)
    step = MAX (len, 1);
  for (gsize i = 0; i < len; i += step)
    if (!rc_json_splitter_feed (splitter, text + i, MIN (step, len - i), error))
      return NULL;
  rest = rc_json_splitter_finish (splitter, error);
  if (rest == NULL)
    return NULL;
  g_assert_cmpuint (rc_json_splitter_get_count (splitter), ==, sink->elements->len);
  return json_to_string (rest, FALSE);
}

static void
sink_init (Sink *sink)
{
  sink->elements = g_ptr_array_new_with_free_func (g_free);
  sink->refuse_at = 0;
}

static void
sink_clear (Sink *sink)
{
  g_ptr_array_unref (sink->elements);
}

/* @text splits into @expected elements (NULL-ended) and @rest, for every chunk size from 1 byte
 * to the whole text, and for every two-piece cut. */
static void
check_split (const char *text, const char *const *expected, const char *expected_rest)
{
  gsize len = strlen (text);
  g_autoptr (JsonNode) want_rest = json_from_string (expected_rest, NULL);
  g_autofree char *want = json_to_string (want_rest, FALSE);

  for (gsize step = 0; step <= len; step++) {
    Sink sink;
    g_autoptr (GError) error = NULL;
    g_autofree char *rest = NULL;

    sink_init (&sink);
    rest = split (text, len, step, &sink, &error);
    g_assert_no_error (error);
    g_assert_cmpstr (rest, ==, want);
    g_assert_cmpuint (sink.elements->len, ==, g_strv_length ((char **)expected));
    for (guint i = 0; i < sink.elements->len; i++)
      g_assert_cmpstr (sink.elements->pdata[i], ==, expected[i]);
    sink_clear (&sink);
  }
  /* Two pieces, cut anywhere. */
  for (gsize cut = 0; cut <= len; cut++) {
    Sink sink;
    g_autoptr (GError) error = NULL;
    g_autoptr (RcJsonSplitter) splitter = NULL;
    g_autoptr (JsonNode) rest = NULL;

    sink_init (&sink);
    splitter = rc_json_splitter_new ("records", NULL, on_element, &sink);
    g_assert_true (rc_json_splitter_feed (splitter, text, cut, &error));
    g_assert_true (rc_json_splitter_feed (splitter, text + cut, len - cut, &error));
    rest = rc_json_splitter_finish (splitter, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (sink.elements->len, ==, g_strv_length ((char **)expected));
    sink_clear (&sink);
  }
}

static void
check_refused (const char *text, gsize step)
{
  Sink sink;
  g_autoptr (GError) error = NULL;
  g_autofree char *rest = NULL;

  sink_init (&sink);
  rest = split (text, strlen (text), step, &sink, &error);
  g_assert_null (rest);
  g_assert_error (error, RC_ERROR, RC_ERROR_BAD_RESPONSE);
  sink_clear (&sink);
}

static void
test_basic (void)
{
  const char *const elements[] = { "{\"id\":1}", "{\"id\": 2, \"to\": [{\"n\": \"+1\"}]}", NULL };

  check_split ("{\"uri\":\"u\",\"records\":[{\"id\":1}, {\"id\": 2, \"to\": [{\"n\": \"+1\"}]}],"
               "\"syncInfo\":{\"syncToken\":\"T\"}}",
               elements, "{\"uri\":\"u\",\"records\":[],\"syncInfo\":{\"syncToken\":\"T\"}}");
}

/* Quotes, brackets, braces and commas inside strings, escaped quotes and backslashes, unicode
 * escapes: none of them ends an element or opens a level. */
static void
test_strings (void)
{
  const char *const elements[] = { "{\"t\":\"a\\\"],[{\\\\\",\"u\":\"}]\\u005d\"}",
                                   "\"just, a ] string\"", "\"\\\\\"", NULL };

  check_split ("{\"records\":[{\"t\":\"a\\\"],[{\\\\\",\"u\":\"}]\\u005d\"},"
               "\"just, a ] string\",\"\\\\\"],\"syncInfo\":{\"s\":\"records\\\"[\"}}",
               elements, "{\"records\":[],\"syncInfo\":{\"s\":\"records\\\"[\"}}");
}

/* Arrays inside records, records of every JSON kind, whitespace around everything. */
static void
test_nested (void)
{
  const char *const elements[]
      = { "[1,[2,[3,{\"a\":[[]]}]]]", "{}", "[]", "42", "null", "{\"records\":[1,2]}", NULL };

  check_split (" \n{ \"records\" : [ [1,[2,[3,{\"a\":[[]]}]]] ,{}, [] ,42,null,"
               "{\"records\":[1,2]} ] , \"n\" : [1, {\"records\": [3]}] } \n",
               elements, "{\"records\":[],\"n\":[1,{\"records\":[3]}]}");
}

/* The other members may come first, last, or both. */
static void
test_member_order (void)
{
  const char *const one[] = { "{\"id\":7}", NULL };
  const char *const none[] = { NULL };

  check_split ("{\"syncInfo\":{\"syncToken\":\"T\",\"olderRecordsExist\":true},\"records\":[{\"id\""
               ":7}]}",
               one,
               "{\"syncInfo\":{\"syncToken\":\"T\",\"olderRecordsExist\":true},\"records\":[]}");
  check_split ("{\"a\":[],\"records\":[],\"b\":{\"c\":[[\"records\"]]}}", none,
               "{\"a\":[],\"records\":[],\"b\":{\"c\":[[\"records\"]]}}");
  check_split ("{\"records\":[ ]}", none, "{\"records\":[]}");
  /* A member whose name is written with an escape is not the list (and is kept in the rest). */
  check_split ("{\"rec\\u006frds2\":[1],\"records\":[{\"id\":7}]}", one,
               "{\"rec\\u006frds2\":[1],\"records\":[]}");
}

/* Every prefix of a sound answer is refused when it ends there; nothing crashes. */
static void
test_truncated (void)
{
  const char *text = "{\"records\":[{\"id\":1,\"s\":\"a\\\"b\"},[2]],\"syncInfo\":{\"syncToken\":"
                     "\"T\"}}";
  gsize len = strlen (text);

  for (gsize cut = 0; cut < len; cut++) {
    Sink sink;
    g_autoptr (GError) error = NULL;
    g_autofree char *rest = NULL;

    sink_init (&sink);
    rest = split (text, cut, 1, &sink, &error);
    g_assert_null (rest);
    g_assert_error (error, RC_ERROR, RC_ERROR_BAD_RESPONSE);
    sink_clear (&sink);
  }
}

static void
test_depth_bomb (void)
{
  const gsize deep = 100000;
  GString *in_records = g_string_new ("{\"records\":[");
  GString *in_rest = g_string_new ("{\"syncInfo\":");
  GString *ok = g_string_new ("{\"records\":[");

  for (gsize i = 0; i < deep; i++) {
    g_string_append_c (in_records, i % 2 ? '[' : '{');
    g_string_append (in_records, i % 2 ? "" : "\"a\":");
    g_string_append_c (in_rest, '[');
  }
  check_refused (in_records->str, 0);
  check_refused (in_records->str, 7);
  check_refused (in_rest->str, 0);
  /* The whole text counts (as rc_json_parse()): the top object and the array are 2 levels. */
  for (gsize i = 0; i < RC_JSON_MAX_DEPTH - 2; i++)
    g_string_append_c (ok, '[');
  for (gsize i = 0; i < RC_JSON_MAX_DEPTH - 2; i++)
    g_string_append_c (ok, ']');
  g_string_append (ok, "]}");
  {
    Sink sink;
    g_autoptr (GError) error = NULL;
    g_autofree char *rest = NULL;

    sink_init (&sink);
    rest = split (ok->str, ok->len, 3, &sink, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (sink.elements->len, ==, 1);
    sink_clear (&sink);
  }
  g_string_insert_c (ok, ok->len - 2, ']');
  g_string_insert_c (ok, 12, '[');
  check_refused (ok->str, 0);
  g_string_free (in_records, TRUE);
  g_string_free (in_rest, TRUE);
  g_string_free (ok, TRUE);
}

/* Structure errors the scan sees itself. */
static void
test_broken (void)
{
  const char *const bad[] = {
    "",
    "   ",
    "[1,2]",
    "\"records\"",
    "{\"records\":[1,]}",
    "{\"records\":[,1]}",
    "{\"records\":[1,,2]}",
    "{\"records\":[1}",
    "{\"records\":[1]} x",
    "{\"records\":[1]}}",
    "{\"records\":[1],\"records\":[2]}",
    "{\"records\":5}",
    "{\"syncInfo\":{}}",
    "{\"records\":[1] \"a\":2}", /* the rest is not JSON: its parser says so */
    "{\"records\":[1],\"a\":}",
    /* A missing comma between elements: json-glib alone would read "{}[1]" as one value. */
    "{\"records\":[{}[1]]}",
    "{\"records\":[{} {}]}",
    "{\"records\":[1 2]}",
    "{\"records\":[\"a\"\"b\"]}",
    "{\"records\":[1\"a\"]}",
    "{\"records\":[null{}]}",
  };

  for (gsize i = 0; i < G_N_ELEMENTS (bad); i++) {
    g_test_message ("%s", bad[i]);
    check_refused (bad[i], 0);
    check_refused (bad[i], 1);
  }
}

/* A huge element or rest is refused once it passes its cap, before it is all read. */
static void
test_caps (void)
{
  g_autoptr (RcJsonSplitter) splitter = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *chunk = g_malloc (65536);
  Sink sink;
  gsize fed = 0;

  memset (chunk, 'x', 65536);
  sink_init (&sink);
  splitter = rc_json_splitter_new ("records", NULL, on_element, &sink);
  g_assert_true (rc_json_splitter_feed (splitter, "{\"records\":[\"", 13, &error));
  while (fed < 4 * RC_JSON_STREAM_MAX_ELEMENT
         && rc_json_splitter_feed (splitter, chunk, 65536, &error))
    fed += 65536;
  g_assert_error (error, RC_ERROR, RC_ERROR_BAD_RESPONSE);
  g_assert_cmpuint (fed, <=, RC_JSON_STREAM_MAX_ELEMENT);
  g_clear_error (&error);
  /* Once failed, it stays failed. */
  g_assert_false (rc_json_splitter_feed (splitter, "\"]}", 3, &error));
  g_assert_error (error, RC_ERROR, RC_ERROR_BAD_RESPONSE);
  g_clear_error (&error);
  g_assert_null (rc_json_splitter_finish (splitter, &error));
  g_assert_error (error, RC_ERROR, RC_ERROR_BAD_RESPONSE);
  g_clear_error (&error);
  g_clear_pointer (&splitter, rc_json_splitter_free);

  /* The rest: a long string member outside the list. */
  splitter = rc_json_splitter_new ("records", NULL, on_element, &sink);
  g_assert_true (rc_json_splitter_feed (splitter, "{\"uri\":\"", 8, &error));
  for (fed = 0;
       fed < 4 * RC_JSON_STREAM_MAX_REST && rc_json_splitter_feed (splitter, chunk, 1000, &error);)
    fed += 1000;
  g_assert_error (error, RC_ERROR, RC_ERROR_BAD_RESPONSE);
  g_assert_cmpuint (fed, <=, RC_JSON_STREAM_MAX_REST);
  sink_clear (&sink);
}

/* The element function's error stops the split, and is what feed returns. */
static void
test_refusal (void)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *rest = NULL;
  Sink sink;

  sink_init (&sink);
  sink.refuse_at = 2;
  rest = split ("{\"records\":[1,2,3,4]}", 21, 1, &sink, &error);
  g_assert_null (rest);
  g_assert_error (error, RC_ERROR, RC_ERROR_BAD_RESPONSE);
  g_assert_cmpstr (error->message, ==, "refused by the test");
  g_assert_cmpuint (sink.elements->len, ==, 2);
  sink_clear (&sink);
}

/* Invalid UTF-8 and NUL bytes pass through the split untouched; rc_json_parse() of the element
 * makes them U+FFFD, as for a whole answer. */
static void
test_invalid_utf8 (void)
{
  const char text[] = "{\"records\":[{\"s\":\"a\xff\xfe"
                      "b\"},{\"s\":\"c\0d\"}]}";
  g_autoptr (GError) error = NULL;
  g_autofree char *rest = NULL;
  Sink sink;

  sink_init (&sink);
  rest = split (text, sizeof text - 1, 1, &sink, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (sink.elements->len, ==, 2);
  {
    const char *e = sink.elements->pdata[0];
    g_autoptr (JsonNode) node = rc_json_parse (e, strlen (e), NULL, &error);

    g_assert_no_error (error);
    g_assert_cmpstr (json_object_get_string_member (json_node_get_object (node), "s"), ==,
                     "a\xef\xbf\xbd\xef\xbf\xbd"
                     "b");
  }
  sink_clear (&sink);
}

static gboolean
count_element (const char *json, gsize len, gpointer user_data, GError **error)
{
  g_autoptr (JsonNode) node = rc_json_parse (json, len, NULL, error);

  if (node == NULL)
    return FALSE;
  (*(guint *)user_data)++;
  return TRUE;
}

/* Differential: random mutants of a sound answer (bytes replaced by structural characters,
 * dropped or doubled) are accepted by the split (each element parsed) exactly when the whole
 * text parses as an object with a "records" array, with as many elements. */
static void
test_differential (void)
{
  const char *seed
      = "{\"uri\":\"u\",\"records\":[{\"id\":1,\"s\":\"a\\\"]\",\"to\":[{\"p\":\"+1\"}]},"
        "[2,[3]],\"x\",null],\"syncInfo\":{\"syncToken\":\"T\",\"n\":[1,{\"a\":2}]}}";
  const char alphabet[] = "{}[],:\"\\ 1an";
  g_autoptr (GRand) rand = g_rand_new_with_seed (20261129);
  guint agreed_ok = 0, agreed_bad = 0;

  for (guint round = 0; round < 20000; round++) {
    GString *text = g_string_new (seed);
    guint edits = 1 + g_rand_int_range (rand, 0, 3);
    g_autoptr (JsonNode) whole = NULL;
    g_autoptr (RcJsonSplitter) splitter = NULL;
    g_autoptr (JsonNode) rest = NULL;
    gboolean whole_ok, split_ok;
    guint whole_n = 0, split_n = 0;
    gsize step;

    for (guint e = 0; e < edits && text->len > 1; e++) {
      gsize at = (gsize)g_rand_int_range (rand, 0, (gint32)text->len);

      switch (g_rand_int_range (rand, 0, 3)) {
        case 0:
          text->str[at] = alphabet[g_rand_int_range (rand, 0, sizeof alphabet - 1)];
          break;
        case 1:
          g_string_erase (text, (gssize)at, 1);
          break;
        default:
          g_string_insert_c (text, (gssize)at, text->str[at]);
      }
    }
    whole = rc_json_parse (text->str, text->len, NULL, NULL);
    whole_ok = whole != NULL && JSON_NODE_HOLDS_OBJECT (whole)
               && json_object_has_member (json_node_get_object (whole), "records")
               && JSON_NODE_HOLDS_ARRAY (
                   json_object_get_member (json_node_get_object (whole), "records"));
    if (whole_ok)
      whole_n = json_array_get_length (
          json_object_get_array_member (json_node_get_object (whole), "records"));

    splitter = rc_json_splitter_new ("records", NULL, count_element, &split_n);
    step = 1 + (gsize)g_rand_int_range (rand, 0, 9);
    split_ok = TRUE;
    for (gsize i = 0; i < text->len && split_ok; i += step)
      split_ok = rc_json_splitter_feed (splitter, text->str + i, MIN (step, text->len - i), NULL);
    if (split_ok) {
      rest = rc_json_splitter_finish (splitter, NULL);
      split_ok = rest != NULL;
    }
    if (whole_ok != split_ok || (whole_ok && whole_n != split_n))
      g_error ("whole %d (%u), split %d (%u): %s", whole_ok, whole_n, split_ok, split_n, text->str);
    if (whole_ok)
      agreed_ok++;
    else
      agreed_bad++;
    g_string_free (text, TRUE);
  }
  g_test_message ("%u sound, %u broken mutants agreed", agreed_ok, agreed_bad);
  g_assert_cmpuint (agreed_ok, >, 100);
  g_assert_cmpuint (agreed_bad, >, 100);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/json-stream/basic", test_basic);
  g_test_add_func ("/json-stream/strings", test_strings);
  g_test_add_func ("/json-stream/nested", test_nested);
  g_test_add_func ("/json-stream/member-order", test_member_order);
  g_test_add_func ("/json-stream/truncated", test_truncated);
  g_test_add_func ("/json-stream/depth-bomb", test_depth_bomb);
  g_test_add_func ("/json-stream/broken", test_broken);
  g_test_add_func ("/json-stream/caps", test_caps);
  g_test_add_func ("/json-stream/refusal", test_refusal);
  g_test_add_func ("/json-stream/invalid-utf8", test_invalid_utf8);
  g_test_add_func ("/json-stream/differential", test_differential);
  return g_test_run ();
}
