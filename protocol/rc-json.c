/* rc-json.c: the bounded parser and tolerant readers for RingCentral JSON (see rc-json.h). */
#include "rc-json.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "rc-error.h"

/* TRUE when @d is a whole number within the range of gint64. The range is checked before any
 * cast: casting 1e300 or NaN to an integer is undefined behaviour. */
static gboolean
whole_int64 (double d)
{
  return d >= -9223372036854775808.0 && d < 9223372036854775808.0 && d == (double)(gint64)d;
}

/* The value of the four hex digits at @p (the caller checked there are four), or -1 when one is
 * not a hex digit. */
static gint
hex4 (const char *p)
{
  gint value = 0;

  for (guint i = 0; i < 4; i++) {
    gint digit = g_ascii_xdigit_value (p[i]);

    if (digit < 0)
      return -1;
    value = value * 16 + digit;
  }
  return value;
}

/* The \uXXXX escape at @data[@i] (its backslash), if any: its code unit, else -1. */
static gint
escape_unit (const char *data, gsize len, gsize i)
{
  if (i + 6 > len || data[i] != '\\' || data[i + 1] != 'u')
    return -1;
  return hex4 (data + i + 2);
}

typedef enum {
  SCAN_OK,
  SCAN_TOO_DEEP,
  SCAN_TRAILING,   /* a second value after the first ("{}{}", "1 [2]") */
  SCAN_BAD_ESCAPE, /* a backslash in a string not followed by a JSON escape (RFC 8259 §7) */
} ScanResult;

/* Bytes that end a run scan() skips in one tight loop: inside a string, the quote and the
 * backslash; nested in an array or object outside strings, the quote, brackets and braces. In
 * both, NUL and every byte >= 0x80: they only say that the text may need the UTF-8 repair
 * (gnu11 range designators). */
static const guint8 string_stop[256] = { [0] = 1, ['"'] = 1, ['\\'] = 1, [0x80 ... 0xff] = 1 };
static const guint8 nested_stop[256] = {
  [0] = 1, ['"'] = 1, ['['] = 1, [']'] = 1, ['{'] = 1, ['}'] = 1, [0x80 ... 0xff] = 1,
};

/* TRUE for the bytes that end a number or literal at depth 0 (not NUL: it belongs to the
 * scalar, as the U+FFFD that the repair makes of it would). */
static gboolean
ends_scalar (char c)
{
  return rc_json_is_space (c) || (c != '\0' && strchr ("\"[]{},:", c) != NULL);
}

/* One linear pass over the JSON text @data (@len bytes), outside and inside strings (escapes
 * honoured): nesting of arrays and objects deeper than @max_depth, text after the first value
 * (whitespace aside), and escapes json-glib 1.6 turns into damage. "\u0000" cuts its string
 * there (json_node_get_string() returns a C string), and a lone surrogate escape ("\ud800x")
 * becomes the invalid UTF-8 ED A0 80 and swallows the character after it: with @fixed not NULL,
 * each such escape is rewritten "\ufffd" (U+FFFD, the same 6 bytes) in a copy made on the first
 * one (*@fixed, NULL when nothing needed it; g_free). *@ascii (when not NULL) is set FALSE when
 * the pass met a NUL byte or a byte >= 0x80, that is when the text may not be valid UTF-8 (it is
 * left alone otherwise; meaningful when the result is SCAN_OK). Does not validate otherwise.
 * The result does not change when invalid UTF-8 or NUL bytes are replaced by U+FFFD
 * (g_utf8_make_valid() keeps every other ASCII byte): none of them is structural here. */
static ScanResult
scan (const char *data, gsize len, guint max_depth, char **fixed, gboolean *ascii)
{
  guint depth = 0;
  guint values = 0; /* complete values at depth 0 */
  gboolean in_string = FALSE;
  gboolean in_scalar = FALSE; /* a number or literal at depth 0 */
  gboolean plain = TRUE;      /* no NUL and no byte >= 0x80 so far */
  ScanResult result = SCAN_OK;

  for (gsize i = 0; i < len; i++) {
    char c;

    /* The runs that hold nothing of interest, most of the text, in a tight loop. */
    if (in_string)
      while (i < len && !string_stop[(guchar)data[i]])
        i++;
    else if (depth > 0)
      while (i < len && !nested_stop[(guchar)data[i]])
        i++;
    if (i == len)
      break;
    c = data[i];
    if ((guchar)c >= 0x80 || c == '\0')
      plain = FALSE;

    if (in_string) {
      gint unit;

      if (c == '"') {
        in_string = FALSE;
        if (depth == 0)
          values++;
        continue;
      }
      if (c != '\\')
        continue;
      unit = escape_unit (data, len, i);
      if (unit < 0) {
        /* json-glib 1.6 leaks a string buffer when it meets a broken \u escape ("\u0\ud800…",
         * found by tests/fuzz): refuse every invalid escape before it sees the text. */
        if (i + 1 >= len || strchr ("\"\\/bfnrt", data[i + 1]) == NULL || data[i + 1] == '\0')
          return SCAN_BAD_ESCAPE;
        i++; /* a short escape ("\n", "\""): its second character cannot end the string */
        continue;
      }
      if (unit >= 0xD800 && unit <= 0xDBFF) {
        gint low = escape_unit (data, len, i + 6);

        if (low >= 0xDC00 && low <= 0xDFFF) {
          i += 11; /* a valid pair */
          continue;
        }
      }
      if (fixed != NULL && (unit == 0 || (unit >= 0xD800 && unit <= 0xDFFF))) {
        if (*fixed == NULL)
          *fixed = g_memdup2 (data, len);
        memcpy (*fixed + i, "\\ufffd", 6);
      }
      i += 5;
      continue;
    }
    if (depth == 0) {
      if (in_scalar && !ends_scalar (c))
        continue;
      if (in_scalar) {
        in_scalar = FALSE;
        values++;
      }
      if (rc_json_is_space (c))
        continue;
      if (values > 0 && result == SCAN_OK)
        result = SCAN_TRAILING; /* go on: the depth is still checked (rc_json_depth_ok) */
    }
    if (c == '"')
      in_string = TRUE;
    else if (c == '[' || c == '{') {
      if (++depth > max_depth)
        return SCAN_TOO_DEEP;
    } else if (c == ']' || c == '}') {
      if (depth > 0 && --depth == 0)
        values++;
    } else if (depth == 0 && c != ',' && c != ':')
      in_scalar = TRUE;
  }
  if (ascii != NULL)
    *ascii = plain;
  return result;
}

gboolean
rc_json_depth_ok (const char *data, gsize len, guint max_depth)
{
  return scan (data, len, max_depth, NULL, NULL) != SCAN_TOO_DEEP;
}

static GError *
parse_error (const char *what, const char *reason)
{
  if (what == NULL)
    what = _ ("an answer");
  return g_error_new (RC_ERROR, RC_ERROR_BAD_RESPONSE,
                      /* TRANSLATORS: "RingCentral sent the sign-in answer that cannot be read (it
                         is nested too deeply)." */
                      _ ("RingCentral sent %s that cannot be read (%s)."), what, reason);
}

JsonNode *
rc_json_parse (const char *data, gsize len, const char *what, GError **error)
{
  g_autoptr (JsonParser) parser = NULL;
  g_autofree char *valid = NULL;
  g_autofree char *fixed = NULL;
  g_autoptr (GError) local = NULL;
  ScanResult shape;
  gboolean ascii = TRUE;
  gboolean blank = TRUE;
  JsonNode *root;

  g_return_val_if_fail (error == NULL || *error == NULL, NULL);
  if (len > RC_JSON_MAX_BYTES) {
    g_propagate_error (error, parse_error (what, _ ("it is too large")));
    return NULL;
  }
  /* A UTF-8 byte order mark is not a value (json-glib skips it too). */
  if (data != NULL && len >= 3 && memcmp (data, "\xef\xbb\xbf", 3) == 0) {
    data += 3;
    len -= 3;
  }
  for (gsize i = 0; data != NULL && i < len && blank; i++)
    blank = rc_json_is_space (data[i]);
  if (data == NULL || blank) {
    g_propagate_error (error, parse_error (what, _ ("it is empty")));
    return NULL;
  }
  /* One pass for the shape, the escapes to rewrite and whether any byte may be invalid UTF-8: a
   * text of ASCII without NUL (most answers) is handed to json-glib as it is, without a second
   * pass or a copy. */
  shape = scan (data, len, RC_JSON_MAX_DEPTH, &fixed, &ascii);
  /* g_utf8_validate_len() refuses NUL bytes too; g_utf8_make_valid() replaces both. The shape
   * stays the same (scan()); the pass runs again for the offsets of the escapes in the copy. */
  if (shape == SCAN_OK && !ascii && !g_utf8_validate_len (data, len, NULL)) {
    valid = g_utf8_make_valid (data, (gssize)len);
    data = valid;
    len = strlen (valid);
    g_clear_pointer (&fixed, g_free);
    shape = scan (data, len, RC_JSON_MAX_DEPTH, &fixed, NULL);
  }
  if (shape == SCAN_TOO_DEEP) {
    g_propagate_error (error, parse_error (what, _ ("it is nested too deeply")));
    return NULL;
  }
  if (shape == SCAN_BAD_ESCAPE) {
    g_propagate_error (error, parse_error (what, _ ("it is not valid JSON")));
    return NULL;
  }
  if (shape == SCAN_TRAILING) {
    /* json-glib 1.6 would read the first value and leak the tree of the next (issue 10). */
    g_propagate_error (error, parse_error (what, _ ("more follows its end")));
    return NULL;
  }
  if (fixed != NULL)
    data = fixed;
  /* A mutable tree: sealing an immutable one hashes every object and array (json-glib 1.6,
   * json_object_seal()), a tenth of a parse that no reader here needs. The tree is the caller's
   * alone; nothing here changes a parsed tree. */
  parser = json_parser_new ();
  if (!json_parser_load_from_data (parser, data, (gssize)len, &local)) {
    g_debug ("JSON not readable: %s", local->message);
    g_propagate_error (error, parse_error (what, _ ("it is not valid JSON")));
    return NULL;
  }
  root = json_parser_get_root (parser);
  if (root == NULL) {
    g_propagate_error (error, parse_error (what, _ ("it is empty")));
    return NULL;
  }
  return json_node_ref (root);
}

JsonNode *
rc_json_member (JsonObject *object, const char *name)
{
  JsonNode *node;

  if (object == NULL)
    return NULL;
  node = json_object_get_member (object, name);
  return node != NULL && !JSON_NODE_HOLDS_NULL (node) ? node : NULL;
}

gboolean
rc_json_holds_string (JsonNode *node)
{
  return node != NULL && JSON_NODE_HOLDS_VALUE (node)
         && json_node_get_value_type (node) == G_TYPE_STRING;
}

const char *
rc_json_string (JsonObject *object, const char *name)
{
  JsonNode *node = rc_json_member (object, name);
  const char *s;

  if (!rc_json_holds_string (node))
    return NULL;
  s = json_node_get_string (node);
  if (!g_utf8_validate (s, -1, NULL)) {
    g_debug ("JSON member %s is not valid UTF-8: ignored", name);
    return NULL;
  }
  return s;
}

char *
rc_json_text (JsonNode *node)
{
  return rc_json_holds_string (node) ? g_utf8_make_valid (json_node_get_string (node), -1) : NULL;
}

JsonObject *
rc_json_object (JsonObject *object, const char *name)
{
  JsonNode *node = rc_json_member (object, name);

  return node != NULL && JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
}

gint64
rc_json_int (JsonObject *object, const char *name, gint64 fallback)
{
  JsonNode *node = rc_json_member (object, name);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return fallback;
  if (json_node_get_value_type (node) == G_TYPE_INT64)
    return json_node_get_int (node);
  if (json_node_get_value_type (node) == G_TYPE_DOUBLE) {
    double d = json_node_get_double (node);

    if (whole_int64 (d))
      return (gint64)d;
  }
  return fallback;
}

gint64
rc_json_int_range (JsonObject *object, const char *name, gint64 min, gint64 max, gint64 fallback)
{
  JsonNode *node = rc_json_member (object, name);
  gint64 value;

  /* rc_json_int() with a sentinel cannot tell G_MININT64 from "absent": look at the kind first. */
  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return fallback;
  if (json_node_get_value_type (node) != G_TYPE_INT64
      && json_node_get_value_type (node) != G_TYPE_DOUBLE)
    return fallback;
  if (json_node_get_value_type (node) == G_TYPE_DOUBLE) {
    double d = json_node_get_double (node);

    if (!whole_int64 (d))
      return fallback;
    value = (gint64)d;
  } else
    value = json_node_get_int (node);
  return value >= min && value <= max ? value : fallback;
}

char *
rc_json_id (JsonNode *node)
{
  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return NULL;
  switch (json_node_get_value_type (node)) {
    case G_TYPE_INT64:
      return g_strdup_printf ("%" G_GINT64_FORMAT, json_node_get_int (node));
    case G_TYPE_DOUBLE: {
      double d = json_node_get_double (node);

      if (!whole_int64 (d))
        return NULL;
      return g_strdup_printf ("%.0f", d);
    }
    case G_TYPE_STRING:
      return json_node_get_string (node)[0] != '\0' ? rc_json_text (node) : NULL;
    default:
      return NULL;
  }
}
