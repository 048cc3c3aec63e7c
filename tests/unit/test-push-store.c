/* test-push-store.c: what RcPush "store-changed" says about a message-store notification (fact
 * sheet §5: {changes:[{type, newCount, updatedCount, newMessageIds[]}]}): the new records' ids and
 * whether anything was updated, or NULL when the body does not say it exactly (the receiver then
 * syncs: rc-store-watch.h). */
#include <string.h>

#include "rc-push-private.h"

typedef struct {
  guint count;
  char *ids; /* joined with ',', or "(null)" */
  gboolean updated;
} Seen;

static void
on_store (RcPush *push, GStrv new_ids, gboolean updated, gpointer user_data)
{
  Seen *s = user_data;

  s->count++;
  g_free (s->ids);
  s->ids = new_ids ? g_strjoinv (",", new_ids) : g_strdup ("(null)");
  s->updated = updated;
}

/* Feeds one ServerNotification with @body as the message-store event's body. */
static void
feed (const char *body, Seen *seen)
{
  g_autoptr (RcClient) client
      = rc_client_new ("https://platform.ringcentral.com", "test-client", NULL, NULL);
  g_autoptr (RcPush) push = rc_push_new (client);
  g_autofree char *text = g_strdup_printf (
      "[{\"type\":\"ServerNotification\",\"messageId\":\"m1\"},"
      "{\"event\":\"/restapi/v1.0/account/1/extension/2/message-store\",\"body\":%s}]",
      body);
  g_autoptr (GBytes) frame = g_bytes_new (text, strlen (text));

  g_signal_connect (push, "store-changed", G_CALLBACK (on_store), seen);
  rc_push_handle_frame (push, TRUE, frame);
}

static void
check (const char *body, const char *ids, gboolean updated)
{
  Seen seen = { 0 };

  feed (body, &seen);
  g_assert_cmpuint (seen.count, ==, 1);
  g_assert_cmpstr (seen.ids, ==, ids);
  g_assert_cmpint (seen.updated, ==, updated);
  g_free (seen.ids);
}

static void
test_push_store_new_only (void)
{
  check ("{\"changes\":[{\"type\":\"SMS\",\"newCount\":2,\"updatedCount\":0,"
         "\"newMessageIds\":[101,\"102\"]}]}",
         "101,102", FALSE);
}

static void
test_push_store_updates (void)
{
  check ("{\"changes\":[{\"type\":\"SMS\",\"newCount\":0,\"updatedCount\":1,"
         "\"newMessageIds\":[]}]}",
         "", TRUE);
  /* Two changes: one adds, one updates. */
  check ("{\"changes\":[{\"type\":\"SMS\",\"newCount\":1,\"updatedCount\":0,\"newMessageIds\":[7]},"
         "{\"type\":\"Pager\",\"newCount\":0,\"updatedCount\":3}]}",
         "7", TRUE);
}

/* SPEC MessageChanges: newCount and updatedCount "can be omitted if the value is zero": a count
 * left out (or null) is 0, not a reason to sync. */
static void
test_push_store_omitted (void)
{
  check ("{\"changes\":[{\"type\":\"SMS\",\"newCount\":1,\"newMessageIds\":[9]}]}", "9", FALSE);
  check ("{\"changes\":[{\"type\":\"SMS\",\"updatedCount\":1}]}", "", TRUE);
  check ("{\"changes\":[{\"type\":\"SMS\",\"updatedCount\":2,\"newMessageIds\":[]}]}", "", TRUE);
  check ("{\"changes\":[{\"type\":\"SMS\",\"newCount\":null,\"updatedCount\":1}]}", "", TRUE);
  check ("{\"changes\":[{\"type\":\"SMS\"}]}", "", FALSE);
}

/* Anything that does not say exactly which records are new: NULL (a sync). */
static void
test_push_store_unclear (void)
{
  const char *const bodies[] = {
    "{}",
    "{\"changes\":{}}",
    "{\"changes\":[{\"type\":\"SMS\",\"newCount\":2,\"updatedCount\":0,\"newMessageIds\":[1]}]}",
    "{\"changes\":[{\"type\":\"SMS\",\"newCount\":1,\"updatedCount\":0}]}",
    "{\"changes\":[{\"type\":\"SMS\",\"updatedCount\":0,\"newMessageIds\":[1]}]}",
    "{\"changes\":[{\"type\":\"SMS\",\"newCount\":1,\"updatedCount\":\"x\",\"newMessageIds\":[1]}]"
    "}",
    "{\"changes\":[{\"type\":\"SMS\",\"newCount\":1,\"updatedCount\":0,\"newMessageIds\":[1.5]}]}",
    "{\"changes\":[{\"type\":\"SMS\",\"newCount\":-1,\"updatedCount\":0,\"newMessageIds\":[]}]}",
    "{\"changes\":[7]}",
    "[]",
    /* ids that a count of 0 does not announce */
    "{\"changes\":[{\"type\":\"SMS\",\"newCount\":0,\"newMessageIds\":[1]}]}",
    "{\"changes\":[{\"type\":\"SMS\",\"newMessageIds\":7}]}",
  };

  for (guint i = 0; i < G_N_ELEMENTS (bodies); i++) {
    g_test_message ("body: %s", bodies[i]);
    check (bodies[i], "(null)", FALSE);
  }
}

/* More ids than RC_PUSH_STORE_MAX_IDS: NULL. */
static void
test_push_store_too_many (void)
{
  g_autoptr (GString) body = g_string_new (NULL);

  g_string_append_printf (body,
                          "{\"changes\":[{\"newCount\":%d,\"updatedCount\":0,"
                          "\"newMessageIds\":[",
                          RC_PUSH_STORE_MAX_IDS + 1);
  for (int i = 0; i <= RC_PUSH_STORE_MAX_IDS; i++)
    g_string_append_printf (body, "%s%d", i > 0 ? "," : "", i + 1);
  g_string_append (body, "]}]}");
  check (body->str, "(null)", FALSE);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/push-store/new-only", test_push_store_new_only);
  g_test_add_func ("/push-store/updates", test_push_store_updates);
  g_test_add_func ("/push-store/omitted", test_push_store_omitted);
  g_test_add_func ("/push-store/unclear", test_push_store_unclear);
  g_test_add_func ("/push-store/too-many", test_push_store_too_many);
  return g_test_run ();
}
