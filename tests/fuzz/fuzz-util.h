/* fuzz-util.h: what the libFuzzer targets of tests/fuzz share (see tests/fuzz/README.md).
 *
 * Every target is one LLVMFuzzerTestOneInput() over one parser of server data. A failed
 * FUZZ_CHECK(), a GLib critical or warning, an ASan or UBSan report all abort: libFuzzer then saves
 * the input as a crash. */
#pragma once

#include <glib.h>
#include <json-glib/json-glib.h>
#include <stddef.h>
#include <stdint.h>

G_BEGIN_DECLS

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

/* Once per process (each target calls it first; later calls do nothing): GLib criticals, warnings
 * and errors abort (a g_return_if_fail() reached from server data is a bug), debug and info lines
 * are dropped unread. */
void fuzz_init (void);

/* @data as RcClient reads an answer body (rc-client.c parse_answer(): rc_json_parse()): blank → a
 * JSON null node, not JSON (or refused: too deep, more than one value) → NULL, else the root (full
 * reference: json_node_unref()). */
JsonNode *fuzz_parse_json (const uint8_t *data, size_t size);

/* TRUE when @s is NULL or valid UTF-8 without C0 control characters other than \t \n \r. */
gboolean fuzz_text_is_clean (const char *s);

/* TRUE when RC_FUZZ_STRICT=1: the checks of problems found and reported but not fixed yet
 * (RESULTS.md "Open findings") run too. Off by default so that the smoke run stays green. */
gboolean fuzz_strict (void);

/* Aborts with the condition's text when @cond does not hold (kept in release builds too). */
#define FUZZ_CHECK(cond)                                                                           \
  do {                                                                                             \
    if (!(cond))                                                                                   \
      g_error ("%s:%d: check failed: %s", __FILE__, __LINE__, #cond);                              \
  } while (0)

/* The checks every parser's GError owes us: set exactly when the parser failed, in the RC_ERROR
 * domain (BAD_RESPONSE where the header says so), with a message. */
#define FUZZ_CHECK_FAILURE(ok, error)                                                              \
  do {                                                                                             \
    FUZZ_CHECK ((ok) == ((error) == NULL));                                                        \
    FUZZ_CHECK ((error) == NULL || ((error)->message != NULL && (error)->message[0] != '\0'));     \
  } while (0)

G_END_DECLS
