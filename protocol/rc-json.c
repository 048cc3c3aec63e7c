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

gboolean
rc_json_depth_ok (const char *data, gsize len, guint max_depth)
{
  guint depth = 0;
  gboolean in_string = FALSE;

  for (gsize i = 0; i < len; i++) {
    char c = data[i];

    if (in_string) {
      if (c == '\\')
        i++; /* the escaped character cannot end the string */
      else if (c == '"')
        in_string = FALSE;
    } else if (c == '"')
      in_string = TRUE;
    else if (c == '[' || c == '{') {
      if (++depth > max_depth)
        return FALSE;
    } else if ((c == ']' || c == '}') && depth > 0)
      depth--;
  }
  return TRUE;
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
  g_autoptr (GError) local = NULL;
  gboolean blank = TRUE;
  JsonNode *root;

  g_return_val_if_fail (error == NULL || *error == NULL, NULL);
  if (len > RC_JSON_MAX_BYTES) {
    g_propagate_error (error, parse_error (what, _ ("it is too large")));
    return NULL;
  }
  for (gsize i = 0; data != NULL && i < len && blank; i++)
    blank = g_ascii_isspace (data[i]);
  if (data == NULL || blank) {
    g_propagate_error (error, parse_error (what, _ ("it is empty")));
    return NULL;
  }
  if (!rc_json_depth_ok (data, len, RC_JSON_MAX_DEPTH)) {
    g_propagate_error (error, parse_error (what, _ ("it is nested too deeply")));
    return NULL;
  }
  /* g_utf8_validate_len() refuses NUL bytes too; g_utf8_make_valid() replaces both. */
  if (!g_utf8_validate_len (data, len, NULL)) {
    valid = g_utf8_make_valid (data, (gssize)len);
    data = valid;
    len = strlen (valid);
  }
  parser = json_parser_new_immutable ();
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

  return rc_json_holds_string (node) ? json_node_get_string (node) : NULL;
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
      return json_node_get_string (node)[0] != '\0' ? g_strdup (json_node_get_string (node)) : NULL;
    default:
      return NULL;
  }
}
