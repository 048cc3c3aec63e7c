/* rc-json.h: the one bounded JSON parser for server data, and tolerant readers for RingCentral
 * JSON (members that may be absent, null or of another kind, ids that come as numbers in REST
 * answers and as strings in notifications, numbers out of range). */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* Deepest nesting of arrays and objects accepted. RingCentral's deepest shapes (a message-sync
 * record's attachments, SPEC GetMessageInfoResponse) are < 10 levels; json-glib's parser recurses
 * once per level, so an answer nested ~10^5 deep would overflow the stack. */
#define RC_JSON_MAX_DEPTH 64
/* Largest JSON text rc_json_parse() reads (bytes): the largest answer rc-http accepts
 * (RC_HTTP_MAX_LIST_ANSWER). */
#define RC_JSON_MAX_BYTES (64 * 1024 * 1024)

/* JSON's whitespace (RFC 8259 §2: space, tab, LF, CR), the set json-glib's scanner skips; not
 * g_ascii_isspace(), which also takes \f and \v (json-glib refuses them: the streaming splitter
 * and rc_json_parse()'s scan must agree with it; found by tests/fuzz sync-stream). */
static inline gboolean
rc_json_is_space (char c)
{
  return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* TRUE when the JSON text @data (@len bytes) nests arrays and objects at most @max_depth deep.
 * A linear scan counting [ and { outside strings (escapes honoured); it does not validate. */
gboolean rc_json_depth_ok (const char *data, gsize len, guint max_depth);

/* Parses server data, the one entry for every parser of it: refuses more than RC_JSON_MAX_BYTES
 * and nesting deeper than RC_JSON_MAX_DEPTH before json-glib sees it; invalid UTF-8 bytes (and NUL
 * bytes) become U+FFFD so that one bad byte in one string spoils nothing else, and so do the
 * escapes json-glib 1.6 gets wrong: "\u0000" (it would cut the string there) and lone surrogates
 * ("\ud800x": it would make invalid UTF-8 and drop the "x"). Every string of the tree is valid
 * UTF-8 without NUL. Exactly one value (whitespace around it): json-glib would read "{}{}" or
 * "1 [2]" as its first value and leak the second. Empty or blank text, invalid JSON, too big, too
 * deep, more after the value: NULL and RC_ERROR_BAD_RESPONSE naming the reason. @what names the
 * answer in that message ("the sign-in answer"), may be NULL. Cost: one pass over @data for every
 * guard, then json-glib on @data itself; only a text with a NUL or a byte >= 0x80 is validated
 * again, and only one that needs a repair is copied. Thread-safe (no shared state). Returns a new
 * node (full reference) of a mutable tree: not sealed, not shared; nothing may change it. */
JsonNode *rc_json_parse (const char *data, gsize len, const char *what, GError **error);

/* Member @name of @object, or NULL when @object is NULL, or the member is absent or JSON null. */
JsonNode *rc_json_member (JsonObject *object, const char *name);

/* TRUE when @node is a JSON string. */
gboolean rc_json_holds_string (JsonNode *node);

/* A string member, or NULL when absent or not a string. Always valid UTF-8: a string that is not
 * (only in a node not made by rc_json_parse(), which repairs them) is NULL, with a debug line. */
const char *rc_json_string (JsonObject *object, const char *name);

/* The string of @node as valid UTF-8 (invalid sequences become U+FFFD, g_utf8_make_valid()), for
 * texts and names that must not be lost to one bad character; NULL when @node is not a string.
 * Returns a new string (g_free). */
char *rc_json_text (JsonNode *node);

/* An object member, or NULL when absent or not an object. */
JsonObject *rc_json_object (JsonObject *object, const char *name);

/* An integer member (int, or a whole double within the range of gint64), or @fallback (also for
 * 1e300, fractions, strings). */
gint64 rc_json_int (JsonObject *object, const char *name, gint64 fallback);

/* rc_json_int() within [@min, @max], else @fallback: for numbers that feed arithmetic (page
 * numbers, sizes, counts), so that 2^63-1 + 1 cannot happen. */
gint64 rc_json_int_range (JsonObject *object, const char *name, gint64 min, gint64 max,
                          gint64 fallback);

/* An id as a decimal string: JSON integers (exact beyond 2^53: json-glib reads them as int64),
 * whole doubles within the range of gint64, or non-empty strings as they are (valid UTF-8,
 * rc_json_text()). NULL when absent or of another kind (or a double like 1e300 or 1.5). */
char *rc_json_id (JsonNode *node);

G_END_DECLS
