/* rc-json-stream.h: splits a JSON object that arrives in chunks into the elements of one of its
 * array members, one small JSON text each, and the rest of the object.
 *
 * Used for message-sync answers (ringcentral-api.md §4 "Message sync": `{uri, records[],
 * syncInfo{…}}`, SPEC GetMessageSyncResponse), whose `records` can hold 50,000 records (44 MB):
 * parsed whole by json-glib that is a tree of ≈ 8× the body (issue 10). Here only one element is
 * held at a time; each is handed on as text, to be parsed on its own (rc_json_parse()).
 *
 * The guards are those of rc_json_parse(), never weaker: nesting deeper than RC_JSON_MAX_DEPTH
 * (counted over the whole text) and more than RC_JSON_MAX_BYTES in all are refused while reading;
 * an element is at most RC_JSON_STREAM_MAX_ELEMENT bytes, the rest of the object (every other
 * member, in any order, before or after the array) at most RC_JSON_STREAM_MAX_REST; invalid UTF-8
 * and NUL bytes are left to rc_json_parse() (U+FFFD), which reads every element and the rest. The
 * scan checks the object's structure (strings, nesting, commas between elements); each element's
 * and the rest's JSON is checked by the parser. Every failure is RC_ERROR_BAD_RESPONSE. */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

#define RC_JSON_STREAM_MAX_ELEMENT (1024 * 1024)
#define RC_JSON_STREAM_MAX_REST    (64 * 1024)

/* Receives one element: @json (@len bytes, not NUL-terminated, surrounding whitespace trimmed,
 * borrowed for the call). Return FALSE with @error set to stop: rc_json_splitter_feed() then
 * fails with that error. */
typedef gboolean (*RcJsonElementFunc) (const char *json, gsize len, gpointer user_data,
                                       GError **error);

typedef struct _RcJsonSplitter RcJsonSplitter;

/* A splitter for the top-level object member @array_member (copied; matched as written, without
 * escapes), whose elements go to @func. @what names the answer in error messages ("the message
 * sync answer"), copied. */
RcJsonSplitter *rc_json_splitter_new (const char *array_member, const char *what,
                                      RcJsonElementFunc func, gpointer user_data);
void rc_json_splitter_free (RcJsonSplitter *self);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (RcJsonSplitter, rc_json_splitter_free)

/* Reads the next @len bytes of the text (any split, one byte at a time included). Elements that
 * are complete are handed to the element function before this returns. Fails (and keeps failing)
 * on a structure error, a guard, or an element function's error. */
gboolean rc_json_splitter_feed (RcJsonSplitter *self, const char *data, gsize len, GError **error);

/* After the last chunk: the object without the array's elements (the member is there, as []),
 * parsed by rc_json_parse(); full reference. Fails when the text ended early (truncated), was not
 * an object, had no @array_member array, had it twice, or after a failed feed. */
JsonNode *rc_json_splitter_finish (RcJsonSplitter *self, GError **error);

/* Elements handed on so far. */
guint rc_json_splitter_get_count (RcJsonSplitter *self);

G_END_DECLS
