/* rc-json.h: tolerant readers for RingCentral JSON (members that may be absent, null or of another
 * kind, ids that come as numbers in REST answers and as strings in notifications). */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* Member @name of @object, or NULL when @object is NULL, or the member is absent or JSON null. */
JsonNode *rc_json_member (JsonObject *object, const char *name);

/* TRUE when @node is a JSON string. */
gboolean rc_json_holds_string (JsonNode *node);

/* A string member, or NULL when absent or not a string. */
const char *rc_json_string (JsonObject *object, const char *name);

/* An object member, or NULL when absent or not an object. */
JsonObject *rc_json_object (JsonObject *object, const char *name);

/* An integer member (int or integral double), or @fallback. */
gint64 rc_json_int (JsonObject *object, const char *name, gint64 fallback);

/* An id as a decimal string: JSON integers (exact beyond 2^53: json-glib reads them as int64),
 * doubles, or non-empty strings as they are. NULL when absent or of another kind. */
char *rc_json_id (JsonNode *node);

G_END_DECLS
