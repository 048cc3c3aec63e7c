/* fuzz-sync-stream.c: the streaming split of a message-sync answer (rc-json-stream.h, used by
 * rc-sync.c for every message-sync answer: SPEC GetMessageSyncResponse, fact sheet §4 "Message
 * sync"). The input is fed to an RcJsonSplitter for `records` in chunks whose sizes come from the
 * input's first byte (1 byte at a time up to whole), and the result is compared with
 * rc_json_parse() of the whole text:
 *  - every failure is RC_ERROR_BAD_RESPONSE, and a failed feed keeps failing;
 *  - every element handed on is read by rc_json_parse() or refused cleanly (rc-sync skips such a
 *    record alone: one bad record must not hide the others);
 *  - when the split succeeds and every element is an object, the whole text parses too, as an object whose `records` is an array
 *    with as many elements as were handed on, and the rest equals the object without them.
 * (The split may refuse what the whole parse accepts: its size guards are tighter per element.)
 * Seeds: corpus/sync/ (the message-sync answers) with a chunk-size byte in front. */
#include "fuzz-util.h"
#include "rc-error.h"
#include "rc-json-stream.h"
#include "rc-json.h"

typedef struct {
  guint count;
  guint bad; /* elements that rc_json_parse() refused */
} Seen;

static gboolean
on_element (const char *json, gsize len, gpointer user_data, GError **error)
{
  Seen *seen = user_data;
  g_autoptr (GError) local = NULL;
  g_autoptr (JsonNode) node = NULL;

  FUZZ_CHECK (len > 0);
  node = rc_json_parse (json, len, NULL, &local);
  /* A split element that does not parse on its own is refused later by rc-sync as one bad
   * record; here it must at least fail cleanly. */
  FUZZ_CHECK (node != NULL || g_error_matches (local, RC_ERROR, RC_ERROR_BAD_RESPONSE));
  /* A record is an object; anything else is skipped by rc-sync like an unreadable one (and
   * json-glib 1.6 reads a lone "." as a number, though not inside an array). */
  seen->bad += node == NULL || !JSON_NODE_HOLDS_OBJECT (node);
  seen->count++;
  return TRUE;
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  g_autoptr (RcJsonSplitter) splitter = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonNode) rest = NULL;
  g_autoptr (JsonNode) whole = NULL;
  g_autoptr (GError) whole_error = NULL;
  Seen seen = { 0 };
  gsize chunk, at = 0;
  gboolean ok = TRUE;

  fuzz_init ();
  if (size == 0)
    return 0;
  /* First byte: the chunk size (0 → the whole text at once). */
  chunk = data[0] == 0 ? size : data[0];
  data++;
  size--;

  splitter = rc_json_splitter_new ("records", "the message sync answer", on_element, &seen);
  while (ok && at < size) {
    gsize n = MIN (chunk, size - at);
    ok = rc_json_splitter_feed (splitter, (const char *)data + at, n, &error);
    at += n;
  }
  if (!ok) {
    g_autoptr (GError) again = NULL;
    FUZZ_CHECK (g_error_matches (error, RC_ERROR, RC_ERROR_BAD_RESPONSE));
    /* rc-json-stream.h: a failed feed keeps failing. */
    FUZZ_CHECK (!rc_json_splitter_feed (splitter, "{", 1, &again));
    return 0;
  }
  rest = rc_json_splitter_finish (splitter, &error);
  if (rest == NULL) {
    FUZZ_CHECK (g_error_matches (error, RC_ERROR, RC_ERROR_BAD_RESPONSE));
    return 0;
  }
  FUZZ_CHECK (rc_json_splitter_get_count (splitter) == seen.count);

  if (seen.bad > 0)
    return 0;
  /* The split succeeded: the whole text is one object with a `records` array of that length. */
  whole = rc_json_parse ((const char *)data, size, NULL, &whole_error);
  FUZZ_CHECK (whole != NULL);
  FUZZ_CHECK (JSON_NODE_HOLDS_OBJECT (whole) && JSON_NODE_HOLDS_OBJECT (rest));
  {
    JsonObject *w = json_node_get_object (whole);
    JsonObject *r = json_node_get_object (rest);
    JsonNode *records = json_object_get_member (w, "records");
    JsonNode *empty = json_object_get_member (r, "records");

    FUZZ_CHECK (json_object_get_size (w) == json_object_get_size (r));
    /* The member is matched as json-glib reads it (escapes decoded) and only once, as a list
     * (rc-json-stream.c key_is_member()), so both parses agree on it. */
    FUZZ_CHECK (records != NULL && JSON_NODE_HOLDS_ARRAY (records));
    FUZZ_CHECK (empty != NULL && JSON_NODE_HOLDS_ARRAY (empty));
    FUZZ_CHECK (json_array_get_length (json_node_get_array (empty)) == 0);
    FUZZ_CHECK (json_array_get_length (json_node_get_array (records)) == seen.count);
  }
  return 0;
}
