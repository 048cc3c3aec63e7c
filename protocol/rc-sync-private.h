/* rc-sync-private.h: RcSync internals exposed to the unit tests only. */
#pragma once

#include "rc-sync.h"

G_BEGIN_DECLS

/* Applies one message-sync answer as a round does: its SMS records emitted ("records"), token and
 * sync time updated, "state-changed" when either changed. Bad shape → RC_ERROR_BAD_RESPONSE, and
 * nothing is changed. */
gboolean rc_sync_apply_answer (RcSync *self, JsonNode *root, GError **error);

/* The path (with query) the next round would request. */
char *rc_sync_build_path (RcSync *self);

G_END_DECLS
