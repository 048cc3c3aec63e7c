/* rc-sync-hold.h (internal to rc-sync.c): the records of one message-sync answer, held compactly
 * until the answer has been read whole.
 *
 * A sync answer lists the newest record first (SPEC GetMessageSyncResponse; the simulator too)
 * and texts are shown oldest first, so nothing can be handed on before the answer's end. Parsed
 * records (RcMessage) cost ≈ 1.1 KB each (52 MB for 50,000: issue 10's target is 40 MB over
 * idle); here each record's bytes (rc-sync.c: the parsed record packed, rc-message-pack.h) are
 * kept zlib-compressed in blocks with its sort key, and given back oldest first in batches.
 * Memory: the compressed bytes, one sort key (≈ 40 bytes) per record and one decompressed block. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct _RcSyncHold RcSyncHold;

RcSyncHold *rc_sync_hold_new (void);
void rc_sync_hold_free (RcSyncHold *self);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (RcSyncHold, rc_sync_hold_free)

/* Keeps one record's bytes @data (@len bytes, copied; any bytes: rc-sync.c holds a packed
 * RcMessage, rc-message-pack.h) under its sort key: @creation_time (Unix
 * seconds) then @id (RcInbox's order: shorter ids first, then bytewise). */
void rc_sync_hold_add (RcSyncHold *self, const char *data, gsize len, gint64 creation_time,
                       const char *id);

guint rc_sync_hold_get_count (RcSyncHold *self);

/* Sorts what was added (once; nothing may be added after) and calls @func with each record, oldest
 * first, from @*next on, for at most @max records; @*next moves on. @data is borrowed for the
 * call (not NUL-terminated). FALSE when a held block cannot be read back (RC_ERROR_BAD_RESPONSE). */
typedef void (*RcSyncHoldFunc) (const char *data, gsize len, gpointer user_data);
gboolean rc_sync_hold_take (RcSyncHold *self, guint *next, guint max, RcSyncHoldFunc func,
                            gpointer user_data, GError **error);

G_END_DECLS
