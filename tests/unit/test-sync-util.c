/* test-sync-util.c: what test-sync.c and test-sync-stream.c share: answers as text, a recorder of
 * RcSync's signals, a fixture with a local message-sync server answering planned answers. */
#include "test-sync-util.h"

#include <string.h>

#include "rc-error.h"

static void
append_record (GString *s, guint64 id, guint minute, const char *type)
{
  g_string_append_printf (
      s,
      "%s{\"id\": %" G_GUINT64_FORMAT ", \"type\": \"%s\", \"direction\": \"Inbound\","
      " \"from\": {\"phoneNumber\": \"+14155550100\"},"
      " \"to\": [{\"phoneNumber\": \"+16505550100\"}], \"subject\": \"m%" G_GUINT64_FORMAT "\","
      " \"creationTime\": \"2024-05-01T10:%02u:%02u.000Z\"}",
      s->str[s->len - 1] == '[' ? "" : ",", id, type, id, minute / 60, minute % 60);
}

/* An answer with the records @ids (in that order), @token and, when not NULL, @sync_time. */
char *
answer_text_at (const guint64 *ids, const guint *minutes, gsize n, const char *token,
                const char *sync_time)
{
  GString *s = g_string_new ("{\"records\": [");

  for (gsize i = 0; i < n; i++)
    append_record (s, ids[i], minutes[i], "SMS");
  g_string_append_printf (s, "], \"syncInfo\": {\"syncType\": \"ISync\", \"syncToken\": \"%s\"",
                          token);
  if (sync_time != NULL)
    g_string_append_printf (s, ", \"syncTime\": \"%s\"", sync_time);
  g_string_append (s, "}}");
  return g_string_free (s, FALSE);
}

char *
answer_text (const guint64 *ids, const guint *minutes, gsize n, const char *token)
{
  return answer_text_at (ids, minutes, n, token, NULL);
}

static void
on_records (RcSync *sync, GPtrArray *records, gpointer user_data)
{
  Recorder *r = user_data;

  g_assert_nonnull (records);
  g_assert_cmpuint (records->len, >, 0);
  r->emissions++;
  for (guint i = 0; i < records->len; i++) {
    const RcMessage *message = records->pdata[i];

    g_assert_cmpstr (message->type, ==, "SMS");
    g_ptr_array_add (r->ids, g_strdup (message->id));
    g_ptr_array_add (r->texts, g_strdup (message->text));
  }
}

static void
on_state_changed (RcSync *sync, gpointer user_data)
{
  Recorder *r = user_data;

  r->state_changes++;
  g_free (r->saved_token);
  r->saved_token = g_strdup (rc_sync_get_token (sync));
  r->saved_time = rc_sync_get_sync_time (sync);
}

void
recorder_init (Recorder *r, RcSync *sync)
{
  memset (r, 0, sizeof *r);
  r->sync = sync;
  r->ids = g_ptr_array_new_with_free_func (g_free);
  r->texts = g_ptr_array_new_with_free_func (g_free);
  g_signal_connect (sync, "records", G_CALLBACK (on_records), r);
  g_signal_connect (sync, "state-changed", G_CALLBACK (on_state_changed), r);
}

void
recorder_clear (Recorder *r)
{
  g_signal_handlers_disconnect_by_data (r->sync, r);
  g_ptr_array_unref (r->ids);
  g_ptr_array_unref (r->texts);
  g_free (r->saved_token);
}

void
recorder_reset (Recorder *r)
{
  g_ptr_array_set_size (r->ids, 0);
  g_ptr_array_set_size (r->texts, 0);
  r->emissions = 0;
  r->state_changes = 0;
}

void
apply (RcSync *sync, const char *text)
{
  g_autoptr (JsonNode) root = rc_test_parse_json (text);
  g_autoptr (GError) error = NULL;

  g_assert_true (rc_sync_apply_answer (sync, root, &error));
  g_assert_no_error (error);
}

static void
handler (SoupServerMessage *msg, const char *path, const char *request_body, gpointer user_data)
{
  Fixture *f = user_data;
  g_autofree char *answer = g_queue_pop_head (&f->answers);

  g_assert_cmpstr (path, ==, "/restapi/v1.0/account/~/extension/~/message-sync");
  g_ptr_array_add (f->queries, g_strdup (f->srv.last_query));
  g_assert_nonnull (answer);
  rc_test_respond (msg, (guint)g_ascii_strtoull (answer, NULL, 10), strchr (answer, ' ') + 1);
}

void
fixture_set_up (Fixture *f, gconstpointer data)
{
  f->queries = g_ptr_array_new_with_free_func (g_free);
  g_queue_init (&f->answers);
  rc_test_server_start (&f->srv, handler, f);
  f->client = rc_test_client_new (f->srv.base_url);
  f->sync = rc_sync_new (f->client);
  recorder_init (&f->recorder, f->sync);
}

void
fixture_tear_down (Fixture *f, gconstpointer data)
{
  g_assert_cmpuint (f->answers.length, ==, 0); /* every planned answer was asked for */
  recorder_clear (&f->recorder);
  g_object_unref (f->sync);
  g_object_unref (f->client);
  rc_test_server_stop (&f->srv);
  g_ptr_array_unref (f->queries);
}

void
plan (Fixture *f, guint status, const char *body)
{
  g_queue_push_tail (&f->answers, g_strdup_printf ("%u %s", status, body));
}

guint completed;

void
got_result (GObject *source, GAsyncResult *result, gpointer user_data)
{
  Pending *p = user_data;

  p->result = g_object_ref (result);
  p->order = ++completed;
}

gboolean
run_round (Fixture *f, GError **error)
{
  Pending p = { 0 };
  gboolean ok;

  rc_sync_run_async (f->sync, NULL, got_result, &p);
  rc_test_wait_result (&p.result);
  ok = rc_sync_run_finish (f->sync, p.result, error);
  g_object_unref (p.result);
  return ok;
}
