/* fuzz-sync.c: the message-sync answer (SPEC GetMessageSyncResponse: records[], syncInfo; fact
 * sheet §4 "Message sync"), rc_sync_apply_answer() on a fresh RcSync and again on one that has
 * seen it (the unchanged path). Each "records" batch is checked and classified as RcInbox would
 * (rc_inbox_classify()). */
#include "fuzz-senders.h"
#include "fuzz-util.h"
#include "rc-error.h"
#include "rc-inbox.h"
#include "rc-sync-private.h"

static RcClient *client;
static GPtrArray *senders;

static void
on_records (RcSync *sync, GPtrArray *records, gpointer user_data)
{
  guint *n_batches = user_data;

  (*n_batches)++;
  FUZZ_CHECK (records != NULL && records->len > 0);
  for (guint i = 0; i < records->len; i++) {
    const RcMessage *m = g_ptr_array_index (records, i);
    g_autoptr (RcInboxEvent) event = NULL;

    /* rc-sync.h: only SMS records are handed on. */
    FUZZ_CHECK (m != NULL && g_strcmp0 (m->type, "SMS") == 0);
    event = rc_inbox_classify (m, senders, RC_INBOX_RECEIVED);
    if (event != NULL)
      FUZZ_CHECK (event->thread != NULL && event->others != NULL && event->others->len > 0);
  }
}

static void
on_state_changed (RcSync *sync, gpointer user_data)
{
  guint *n_changes = user_data;

  (*n_changes)++;
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  g_autoptr (JsonNode) root = NULL;
  g_autoptr (RcSync) sync = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (GError) again_error = NULL;
  g_autofree char *token = NULL;
  g_autofree char *path = NULL;
  guint n_batches = 0, n_changes = 0;
  gboolean ok;

  fuzz_init ();
  if (client == NULL) {
    client = rc_client_new ("https://platform.ringcentral.com", "fuzz-client", NULL, &error);
    FUZZ_CHECK (client != NULL);
    senders = fuzz_senders_new ();
  }
  root = fuzz_parse_json (data, size);
  if (root == NULL)
    return 0;
  sync = rc_sync_new (client);
  rc_sync_restore (sync, "fuzz-previous-token", 1700000000);
  g_signal_connect (sync, "records", G_CALLBACK (on_records), &n_batches);
  g_signal_connect (sync, "state-changed", G_CALLBACK (on_state_changed), &n_changes);

  ok = rc_sync_apply_answer (sync, root, &error);
  FUZZ_CHECK_FAILURE (ok, error);
  if (!ok) {
    /* rc-sync-private.h: a bad answer changes nothing. */
    FUZZ_CHECK (g_error_matches (error, RC_ERROR, RC_ERROR_BAD_RESPONSE));
    FUZZ_CHECK (n_batches == 0 && n_changes == 0);
    FUZZ_CHECK (g_strcmp0 (rc_sync_get_token (sync), "fuzz-previous-token") == 0);
    FUZZ_CHECK (rc_sync_get_sync_time (sync) == 1700000000);
    return 0;
  }
  FUZZ_CHECK (n_batches <= 1);
  token = g_strdup (rc_sync_get_token (sync));
  /* rc-sync.c: a token that is not printable ASCII (or too long) is not kept, so that it cannot
   * stop receiving for good (NULL: the next round is a full sync); a kept one is never empty.
   * corpus/sync/token-not-ascii.json: reachable since rc_json_parse() repairs invalid UTF-8. */
  FUZZ_CHECK (token == NULL || token[0] != '\0');
  path = rc_sync_build_path (sync);
  FUZZ_CHECK (path != NULL && path[0] == '/');

  /* The same answer again: same token, nothing to persist. */
  n_changes = 0;
  FUZZ_CHECK (rc_sync_apply_answer (sync, root, &again_error));
  FUZZ_CHECK (n_changes == 0);
  FUZZ_CHECK (g_strcmp0 (rc_sync_get_token (sync), token) == 0);
  return 0;
}
