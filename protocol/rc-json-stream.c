/* rc-json-stream.c: splitting a JSON object read in chunks into its array's elements and the rest
 * (see rc-json-stream.h). One pass, one byte of state per level: no recursion, no look-back. */
#include "rc-json-stream.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "rc-error.h"
#include "rc-json.h"

/* A member name longer than this is not the one looked for (names here are short). */
#define KEY_MAX 64

typedef enum {
  PHASE_START,  /* before the top-level '{' */
  PHASE_OBJECT, /* inside it */
  PHASE_DONE,   /* after its '}': only whitespace may follow */
} Phase;

struct _RcJsonSplitter {
  char *member;
  char *what;
  RcJsonElementFunc func;
  gpointer user_data;

  Phase phase;
  guint depth;          /* open arrays and objects; the top object is 1, the array's level 2 */
  gboolean in_string;   /* inside a JSON string */
  gboolean escape;      /* the previous byte was a backslash inside a string */
  gboolean in_key;      /* the string is a member name of the top object */
  gboolean expect_key;  /* depth 1: the next string is a member name */
  gboolean value_next;  /* depth 1: after ':', the next token starts the member's value */
  gboolean in_array;    /* inside the member's array */
  gboolean after_comma; /* in the array: a ',' was read, so an element must follow */
  gboolean elem_whole;  /* in the array: the element read so far is a whole value: only
                         * whitespace, ',' or ']' may follow (json-glib would take "{}[1]" or
                         * "1 2" as one value and drop the rest) */
  gboolean seen_array;
  gboolean key_long;
  guint64 total;   /* bytes read */
  guint count;     /* elements handed on */
  GString *key;    /* the member name being read, or the last one */
  GString *elem;   /* the element being read (leading whitespace skipped) */
  GString *rest;   /* the object without the array's elements */
  GError *failure; /* sticky: the first failure */
};

RcJsonSplitter *
rc_json_splitter_new (const char *array_member, const char *what, RcJsonElementFunc func,
                      gpointer user_data)
{
  RcJsonSplitter *self;

  g_return_val_if_fail (array_member != NULL && func != NULL, NULL);
  self = g_new0 (RcJsonSplitter, 1);
  self->member = g_strdup (array_member);
  self->what = g_strdup (what != NULL ? what : _ ("an answer"));
  self->func = func;
  self->user_data = user_data;
  self->key = g_string_new (NULL);
  self->elem = g_string_new (NULL);
  self->rest = g_string_new (NULL);
  return self;
}

void
rc_json_splitter_free (RcJsonSplitter *self)
{
  if (self == NULL)
    return;
  g_free (self->member);
  g_free (self->what);
  g_string_free (self->key, TRUE);
  g_string_free (self->elem, TRUE);
  g_string_free (self->rest, TRUE);
  g_clear_error (&self->failure);
  g_free (self);
}

guint
rc_json_splitter_get_count (RcJsonSplitter *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return self->count;
}

static gboolean
fail (RcJsonSplitter *self, const char *reason, GError **error)
{
  if (self->failure == NULL)
    self->failure
        = g_error_new (RC_ERROR, RC_ERROR_BAD_RESPONSE,
                       /* TRANSLATORS: as in rc-json.c: "RingCentral sent the message
                          sync answer that cannot be read (it is cut short)." */
                       _ ("RingCentral sent %s that cannot be read (%s)."), self->what, reason);
  g_propagate_error (error, g_error_copy (self->failure));
  return FALSE;
}

/* The element read so far goes to the element function. */
static gboolean
emit_element (RcJsonSplitter *self, GError **error)
{
  gsize len = self->elem->len;
  GError *local = NULL;

  while (len > 0 && rc_json_is_space (self->elem->str[len - 1]))
    len--;
  if (len == 0)
    return fail (self, _ ("it is not valid JSON"), error);
  if (!self->func (self->elem->str, len, self->user_data, &local)) {
    if (local == NULL)
      local = g_error_new_literal (RC_ERROR, RC_ERROR_BAD_RESPONSE, "element refused");
    if (self->failure == NULL)
      self->failure = g_error_copy (local);
    g_propagate_error (error, local);
    return FALSE;
  }
  self->count++;
  g_string_truncate (self->elem, 0);
  return TRUE;
}

static gboolean
open_level (RcJsonSplitter *self, GError **error)
{
  if (++self->depth > RC_JSON_MAX_DEPTH)
    return fail (self, _ ("it is nested too deeply"), error);
  return TRUE;
}

/* One byte outside strings, inside the member's array. */
static gboolean
array_byte (RcJsonSplitter *self, char c, GError **error)
{
  if (self->depth > 2) {
    g_string_append_c (self->elem, c);
    if (c == '"')
      self->in_string = TRUE;
    else if (c == '[' || c == '{')
      return open_level (self, error);
    else if ((c == ']' || c == '}') && --self->depth == 2)
      self->elem_whole = TRUE;
    return TRUE;
  }
  /* The array's own level: between elements. */
  if (c == ',') {
    self->after_comma = TRUE;
    self->elem_whole = FALSE;
    return emit_element (self, error);
  }
  if (c == ']') {
    self->elem_whole = FALSE;
    if (self->elem->len > 0) {
      if (!emit_element (self, error))
        return FALSE;
    } else if (self->after_comma) /* "[1,]": the comma promised an element */
      return fail (self, _ ("it is not valid JSON"), error);
    self->in_array = FALSE;
    self->depth = 1;
    g_string_append_c (self->rest, ']');
    return TRUE;
  }
  if (c == '}')
    return fail (self, _ ("it is not valid JSON"), error);
  if (rc_json_is_space (c)) {
    /* Whitespace ends a number or a literal. */
    self->elem_whole = self->elem->len > 0;
    return TRUE;
  }
  /* A value after a whole one, without a comma; or a string or container after a literal. */
  if (self->elem_whole || (self->elem->len > 0 && (c == '"' || c == '[' || c == '{')))
    return fail (self, _ ("it is not valid JSON"), error);
  g_string_append_c (self->elem, c);
  if (c == '"')
    self->in_string = TRUE;
  else if (c == '[' || c == '{')
    return open_level (self, error);
  return TRUE;
}

/* Whether the member name just read is @member: as json-glib reads it, escapes decoded
 * ("rec\u006frds" is "records"; a NUL byte is not the end of it), so that the split and a whole
 * parse always agree on which member is the array (tests/fuzz/fuzz-sync-stream.c). */
static gboolean
key_is_member (RcJsonSplitter *self)
{
  g_autoptr (GString) quoted = NULL;
  g_autoptr (JsonNode) node = NULL;
  const char *name;

  if (self->key_long)
    return FALSE;
  if (memchr (self->key->str, '\\', self->key->len) == NULL)
    return self->key->len == strlen (self->member)
           && memcmp (self->key->str, self->member, self->key->len) == 0;
  /* Byte by byte, NUL bytes included (a printf "%.*s" stopped at the first NUL: "records\0\u..."
   * was taken for "records", which the whole parse reads as another name; fuzz smoke found it,
   * corpus/sync-stream/key-with-nul-and-escape.json). */
  quoted = g_string_sized_new (self->key->len + 2);
  g_string_append_c (quoted, '"');
  g_string_append_len (quoted, self->key->str, (gssize)self->key->len);
  g_string_append_c (quoted, '"');
  node = rc_json_parse (quoted->str, quoted->len, NULL, NULL);
  name = node != NULL && JSON_NODE_HOLDS_VALUE (node) ? json_node_get_string (node) : NULL;
  return g_strcmp0 (name, self->member) == 0;
}

/* One byte outside strings and outside the array: part of the rest. */
static gboolean
object_byte (RcJsonSplitter *self, char c, GError **error)
{
  gboolean value_start = self->depth == 1 && self->value_next && !rc_json_is_space (c);

  if (value_start)
    self->value_next = FALSE;
  if (value_start && key_is_member (self)) {
    /* The member once, and a list: a second one (json-glib keeps the last) or another value
     * would make the records handed on differ from what the answer says. */
    if (self->seen_array)
      return fail (self, _ ("it holds its list twice"), error);
    if (c != '[')
      return fail (self, _ ("it has no list"), error);
    self->seen_array = TRUE;
    self->in_array = TRUE;
    self->after_comma = FALSE;
    self->elem_whole = FALSE;
    self->depth = 2;
    g_string_append_c (self->rest, '[');
    return TRUE;
  }
  g_string_append_c (self->rest, c);
  switch (c) {
    case '"':
      self->in_string = TRUE;
      if (self->depth == 1 && self->expect_key) {
        self->in_key = TRUE;
        self->expect_key = FALSE;
        self->key_long = FALSE;
        g_string_truncate (self->key, 0);
      }
      return TRUE;
    case '[':
    case '{':
      return open_level (self, error);
    case ']':
    case '}':
      if (--self->depth == 0)
        self->phase = PHASE_DONE;
      return TRUE;
    case ',':
      if (self->depth == 1)
        self->expect_key = TRUE;
      return TRUE;
    case ':':
      if (self->depth == 1)
        self->value_next = TRUE;
      return TRUE;
    default:
      return TRUE;
  }
}

/* Bytes of a string from @data[*i]: copied up to and including its closing quote, or to the end
 * of the chunk. */
static void
string_bytes (RcJsonSplitter *self, const char *data, gsize len, gsize *i)
{
  GString *dest = self->in_array ? self->elem : self->rest;
  gsize start = *i, j = *i;

  while (j < len) {
    char c = data[j++];

    if (self->escape)
      self->escape = FALSE;
    else if (c == '\\')
      self->escape = TRUE;
    else if (c == '"') {
      self->in_string = FALSE;
      break;
    }
  }
  g_string_append_len (dest, data + start, (gssize)(j - start));
  if (!self->in_string && self->in_array && self->depth == 2)
    self->elem_whole = TRUE; /* a string element ended */
  if (self->in_key) {
    gsize name_len = j - start - (self->in_string ? 0 : 1);

    if (self->key->len + name_len > KEY_MAX)
      self->key_long = TRUE;
    else
      g_string_append_len (self->key, data + start, (gssize)name_len);
    if (!self->in_string)
      self->in_key = FALSE;
  }
  *i = j;
}

gboolean
rc_json_splitter_feed (RcJsonSplitter *self, const char *data, gsize len, GError **error)
{
  g_return_val_if_fail (self != NULL && (data != NULL || len == 0), FALSE);

  if (self->failure != NULL) {
    g_propagate_error (error, g_error_copy (self->failure));
    return FALSE;
  }
  self->total += len;
  if (self->total > RC_JSON_MAX_BYTES)
    return fail (self, _ ("it is too large"), error);

  for (gsize i = 0; i < len;) {
    char c;

    if (self->in_string) {
      string_bytes (self, data, len, &i);
      if (self->elem->len > RC_JSON_STREAM_MAX_ELEMENT || self->rest->len > RC_JSON_STREAM_MAX_REST)
        return fail (self, _ ("it is too large"), error);
      continue;
    }
    c = data[i++];
    switch (self->phase) {
      case PHASE_START:
        if (rc_json_is_space (c))
          break;
        if (c != '{')
          return fail (self, _ ("it is not an object"), error);
        self->phase = PHASE_OBJECT;
        self->depth = 1;
        self->expect_key = TRUE;
        g_string_append_c (self->rest, c);
        break;
      case PHASE_DONE:
        if (!rc_json_is_space (c))
          return fail (self, _ ("it is not valid JSON"), error);
        break;
      case PHASE_OBJECT:
        if (!(self->in_array ? array_byte (self, c, error) : object_byte (self, c, error)))
          return FALSE;
        break;
      default:
        g_assert_not_reached ();
    }
    if (self->elem->len > RC_JSON_STREAM_MAX_ELEMENT || self->rest->len > RC_JSON_STREAM_MAX_REST)
      return fail (self, _ ("it is too large"), error);
  }
  return TRUE;
}

JsonNode *
rc_json_splitter_finish (RcJsonSplitter *self, GError **error)
{
  g_return_val_if_fail (self != NULL, NULL);

  if (self->failure != NULL) {
    g_propagate_error (error, g_error_copy (self->failure));
    return NULL;
  }
  if (self->phase == PHASE_START) {
    fail (self, _ ("it is empty"), error);
    return NULL;
  }
  if (self->phase != PHASE_DONE) {
    fail (self, _ ("it is cut short"), error);
    return NULL;
  }
  if (!self->seen_array) {
    fail (self, _ ("it has no list"), error);
    return NULL;
  }
  return rc_json_parse (self->rest->str, self->rest->len, self->what, error);
}
