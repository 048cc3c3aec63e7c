/* rc-message-pack.h: an RcMessage as compact bytes, for records that must wait (rc-sync-hold.h)
 * without being held parsed (≈ 1.1 KB each) or parsed again from JSON (≈ 200,000 instructions a
 * record with json-glib, tests/bench/RESULTS.md).
 *
 * Every field of RcMessage (rc-message.h) is kept, in its order: a string as its length + 1
 * (guint32, host order; 0 for NULL) then its bytes without the NUL; a number as 8 bytes (host
 * order); a list as its length (guint32) then its entries. Host order: the bytes never leave the
 * process. Not a GVariant: packing and reading one back with GVariant cost ≈ 390,000 instructions
 * a record, more than the json-glib parse they were to save (callgrind, bench-inbound 10k).
 * The bytes are ours (made by rc_message_pack()), but rc_message_unpack() reads any bytes safely
 * (every length checked against what is left). */
#pragma once

#include "rc-message.h"

G_BEGIN_DECLS

/* @message's fields as bytes (new reference). */
GBytes *rc_message_pack (const RcMessage *message);

/* The message @data (@len bytes, borrowed; any alignment) holds; NULL (and RC_ERROR_BAD_RESPONSE)
 * when they are not of rc_message_pack()'s shape or hold no id or type. */
RcMessage *rc_message_unpack (const void *data, gsize len, GError **error);

G_END_DECLS
