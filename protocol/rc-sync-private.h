/* rc-sync-private.h: RcSync internals exposed to the unit tests only. */
#pragma once

#include "rc-sync.h"

G_BEGIN_DECLS

/* How many message ids the seen memory keeps (newest kept). */
#define RC_SYNC_SEEN_MAX 500

/* Applies one message-sync answer as a round does: new SMS records emitted oldest first, seen ids
 * and token updated, "state-changed" when either changed. Bad shape → RC_ERROR_BAD_RESPONSE, and
 * nothing is changed. */
gboolean rc_sync_apply_answer (RcSync *self, JsonNode *root, GError **error);

/* The path (with query) the next round would request. */
char *rc_sync_build_path (RcSync *self);

G_END_DECLS
