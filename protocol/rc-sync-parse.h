/* rc-sync-parse.h (internal to rc-sync.c): the records of one message-sync answer parsed in
 * worker threads while the answer is still being read, given back in their order on the thread
 * that added them.
 *
 * Each record's text is parsed by the bounded parser (rc_json_parse(): size, depth, UTF-8 repair)
 * and read as a message (rc_message_parse()); both are pure: each worker has its own texts and
 * trees, nothing is shared while in use. Records go to the workers in jobs of up to
 * RC_SYNC_PARSE_JOB records; at most RC_SYNC_PARSE_IN_FLIGHT jobs wait or run (adding more first
 * waits for the oldest), so memory stays bounded whatever the answer's size. An answer of one job
 * (the usual answer after a text or a push) is parsed on the caller's thread, at the end. */
#pragma once

#include "rc-message.h"

G_BEGIN_DECLS

#define RC_SYNC_PARSE_JOB       64
#define RC_SYNC_PARSE_IN_FLIGHT 6

typedef struct _RcSyncParse RcSyncParse;

/* @func gets each SMS record (RcMessage*, taken), in the order the texts were added; a record
 * that is JSON but not a message, or not an SMS, is skipped (logged with its index). */
typedef void (*RcSyncParsedFunc) (RcMessage *message, gpointer user_data);

RcSyncParse *rc_sync_parse_new (RcSyncParsedFunc func, gpointer user_data);
/* Waits for running jobs; their records are dropped. */
void rc_sync_parse_free (RcSyncParse *self);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (RcSyncParse, rc_sync_parse_free)

/* Queues the record text @json (@len bytes, copied), the answer's record @index, and gives back
 * the records of jobs already done. FALSE with the error of the first record (in order) that is
 * not JSON (rc_json_parse(), @what naming it): the answer is spoiled, nothing more is given. */
gboolean rc_sync_parse_add (RcSyncParse *self, const char *json, gsize len, guint index,
                            GError **error);

/* Parses what is left, waits for every job and gives back the rest. FALSE as above. */
gboolean rc_sync_parse_finish (RcSyncParse *self, GError **error);

G_END_DECLS
