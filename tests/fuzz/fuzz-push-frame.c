/* fuzz-push-frame.c: WebSocket frames (fact sheet §5: [header, body] JSON arrays:
 * ConnectionDetails, ClientRequest answers, ServerNotification, Heartbeat, Error) through
 * rc_push_handle_frame() (rc-push-private.h), a few in a row on one RcPush so that its state
 * machine is walked too.
 *
 * Input: one flag byte, then frames separated by NUL bytes (at most MAX_FRAMES). Flag bit 0: start
 * as a freshly opened socket waiting for ConnectionDetails (else idle); bit 1: that socket was a
 * session recovery (&wsc=); bit 2: frames are binary instead of text. The text "@SUB@" in a frame
 * is replaced by the messageId of the subscription request in flight (so that a subscription
 * answer can match it). */
#include <string.h>

#include "fuzz-util.h"
#include "rc-push-private.h"

#define MAX_FRAMES 8

static RcClient *client;

typedef struct {
  guint instant, store, connected, disconnected;
} Seen;

static void
on_instant (RcPush *push, RcMessage *message, gpointer user_data)
{
  Seen *seen = user_data;

  seen->instant++;
  FUZZ_CHECK (message != NULL && message->id != NULL && message->type != NULL);
}

static void
on_store (RcPush *push, GStrv new_ids, gboolean updated, gpointer user_data)
{
  ((Seen *)user_data)->store++;
}

static void
on_connected (RcPush *push, gboolean recovered, gpointer user_data)
{
  ((Seen *)user_data)->connected++;
  FUZZ_CHECK (rc_push_is_connected (push));
}

static void
on_disconnected (RcPush *push, GError *error, gboolean will_retry, gpointer user_data)
{
  ((Seen *)user_data)->disconnected++;
  FUZZ_CHECK (error != NULL && error->message != NULL);
  FUZZ_CHECK (fuzz_text_is_clean (error->message));
  FUZZ_CHECK (!rc_push_is_connected (push));
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  g_autoptr (RcPush) push = NULL;
  Seen seen = { 0 };
  guint8 flags;
  const uint8_t *p, *end;

  fuzz_init ();
  if (client == NULL) {
    client = rc_client_new ("https://platform.ringcentral.com", "fuzz-client", NULL, NULL);
    FUZZ_CHECK (client != NULL);
  }
  if (size == 0)
    return 0;
  flags = data[0];
  push = rc_push_new (client);
  g_signal_connect (push, "instant-message", G_CALLBACK (on_instant), &seen);
  g_signal_connect (push, "store-changed", G_CALLBACK (on_store), &seen);
  g_signal_connect (push, "connected", G_CALLBACK (on_connected), &seen);
  g_signal_connect (push, "disconnected", G_CALLBACK (on_disconnected), &seen);
  if (flags & 1)
    rc_push_test_await_details (push, (flags & 2) != 0);

  p = data + 1;
  end = data + size;
  for (guint n = 0; n < MAX_FRAMES && p <= end; n++) {
    const uint8_t *nul = memchr (p, '\0', (size_t)(end - p));
    const uint8_t *stop = nul != NULL ? nul : end;
    g_autoptr (GString) text = g_string_new_len ((const char *)p, (gssize)(stop - p));
    const char *sub = rc_push_test_get_subscribe_id (push);
    g_autoptr (GBytes) frame = NULL;

    if (sub != NULL)
      g_string_replace (text, "@SUB@", sub, 0);
    frame = g_bytes_new (text->str, text->len);
    rc_push_handle_frame (push, (flags & 4) == 0, frame);
    if (nul == NULL)
      break;
    p = nul + 1;
  }
  /* Nothing happens without a ConnectionDetails first, and a binary frame is never read. */
  if (flags & 4)
    FUZZ_CHECK (seen.instant == 0 && seen.store == 0 && seen.connected == 0);
  FUZZ_CHECK (seen.connected <= MAX_FRAMES);
  return 0;
}
