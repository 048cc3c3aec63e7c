/* fuzz-inbox.c: inbox classification (rc-inbox.h; fact sheet §3 "Group messaging", §4 "Message
 * record") of records as they come: a JSON array of records (or one record), each parsed with
 * rc_message_parse(), classified with rc_inbox_classify() as every kind, then the whole batch fed
 * to an RcInbox twice (the second time must show nothing: each text once), and the seen memory
 * saved and restored. */
#include <string.h>

#include "fuzz-senders.h"
#include "fuzz-util.h"
#include "rc-inbox.h"
#include "rc-sender-list.h"

#define MAX_RECORDS 64

static RcClient *client;
static RcSenderList *sender_list;
static GPtrArray *senders;

static void
check_event (const RcInboxEvent *e)
{
  FUZZ_CHECK (e->message != NULL && e->thread != NULL && e->thread[0] != '\0');
  FUZZ_CHECK (e->others != NULL && e->others->len > 0);
  FUZZ_CHECK (e->is_group == (e->others->len > 1));
  if (!e->is_group)
    FUZZ_CHECK (e->peer != NULL && g_strcmp0 (e->peer, g_ptr_array_index (e->others, 0)) == 0);
  for (guint i = 0; i < e->others->len; i++) {
    const char *other = g_ptr_array_index (e->others, i);

    FUZZ_CHECK (other != NULL && g_strcmp0 (other, e->ours) != 0);
    /* sorted and deduplicated */
    if (i > 0)
      FUZZ_CHECK (strcmp (g_ptr_array_index (e->others, i - 1), other) < 0);
  }
}

static void
on_event (RcInbox *inbox, RcInboxEvent *event, gpointer user_data)
{
  guint *n_events = user_data;

  (*n_events)++;
  check_event (event);
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  g_autoptr (JsonNode) root = NULL;
  g_autoptr (GPtrArray) messages = NULL;
  g_autoptr (RcInbox) inbox = NULL;
  g_autoptr (RcInbox) restored = NULL;
  g_autofree char *seen = NULL;
  g_autofree char *seen_again = NULL;
  g_autoptr (GHashTable) threads = NULL;
  guint n_events = 0;

  fuzz_init ();
  if (client == NULL) {
    client = rc_client_new ("https://platform.ringcentral.com", "fuzz-client", NULL, NULL);
    FUZZ_CHECK (client != NULL);
    sender_list = rc_sender_list_new (client);
    senders = fuzz_senders_new ();
  }
  root = fuzz_parse_json (data, size);
  if (root == NULL)
    return 0;
  messages = g_ptr_array_new_with_free_func ((GDestroyNotify)rc_message_free);
  if (JSON_NODE_HOLDS_ARRAY (root)) {
    JsonArray *array = json_node_get_array (root);

    for (guint i = 0; i < json_array_get_length (array) && messages->len < MAX_RECORDS; i++) {
      RcMessage *m = rc_message_parse (json_array_get_element (array, i), NULL);

      if (m != NULL)
        g_ptr_array_add (messages, m);
    }
  } else {
    RcMessage *m = rc_message_parse (root, NULL);

    if (m != NULL)
      g_ptr_array_add (messages, m);
  }

  threads = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  for (guint i = 0; i < messages->len; i++)
    for (RcInboxKind kind = 0; kind < RC_INBOX_N_KINDS; kind++) {
      g_autoptr (RcInboxEvent) e
          = rc_inbox_classify (g_ptr_array_index (messages, i), senders, kind);
      g_autoptr (RcInboxEvent) bare
          = rc_inbox_classify (g_ptr_array_index (messages, i), NULL, kind);

      if (e != NULL) {
        FUZZ_CHECK (e->kind == kind);
        check_event (e);
        g_hash_table_add (threads, g_strdup (e->thread));
      }
      if (bare != NULL)
        check_event (bare);
    }

  inbox = rc_inbox_new (sender_list);
  g_signal_connect (inbox, "event", G_CALLBACK (on_event), &n_events);
  rc_inbox_add (inbox, messages, RC_INBOX_FROM_SYNC);
  {
    guint first = n_events;

    /* rc-inbox.h: the one memory of ids seen; the same records again show nothing new. */
    rc_inbox_add (inbox, messages, RC_INBOX_FROM_PUSH);
    /* Finding 3 (RESULTS.md, fixed; corpus/inbox/status-flip.json): a record listed with two
     * statuses (Delivered, DeliveryFailed) was announced again every time it came back. */
    FUZZ_CHECK (n_events == first);
  }
  {
    GHashTableIter iter;
    const char *thread;

    g_hash_table_iter_init (&iter, threads);
    while (g_hash_table_iter_next (&iter, (gpointer *)&thread, NULL)) {
      g_auto (GStrv) unread = rc_inbox_take_unread (inbox, thread);

      FUZZ_CHECK (unread != NULL);
    }
  }
  seen = rc_inbox_save_seen (inbox);
  FUZZ_CHECK (seen != NULL);
  restored = rc_inbox_new (sender_list);
  rc_inbox_restore_seen (restored, seen);
  seen_again = rc_inbox_save_seen (restored);
  /* Every id survives the round trip (finding 3, fixed: only decimal ids of at most 20 digits
   * did, and "," or ":" inside an id split it; corpus/inbox/seen-*.json). */
  FUZZ_CHECK (g_strcmp0 (seen, seen_again) == 0);
  return 0;
}
