/* rc-test-inbox.c: see rc-test-inbox.h. */
#include "rc-test-inbox.h"

#include <string.h>

#include "rc-test-util.h"

RcMessage *
rc_test_inbox_make (const Rec *r)
{
  g_autoptr (GString) s = g_string_new ("{");
  g_autoptr (JsonNode) node = NULL;
  g_autoptr (GError) error = NULL;
  RcMessage *message;

  g_string_append_printf (s, r->string_id ? "\"id\": \"%s\"" : "\"id\": %s", r->id);
  g_string_append_printf (s, ", \"type\": \"SMS\", \"direction\": \"%s\"",
                          r->outbound ? "Outbound" : "Inbound");
  if (r->from != NULL)
    g_string_append_printf (s, ", \"from\": {\"phoneNumber\": \"%s\"}", r->from);
  if (r->to != NULL) {
    g_auto (GStrv) numbers = g_strsplit (r->to, ",", -1);

    g_string_append (s, ", \"to\": [");
    for (guint i = 0; numbers[i] != NULL; i++) {
      gsize len = strlen (numbers[i]);
      gboolean target = len > 0 && numbers[i][len - 1] == '*';

      g_string_append_printf (s, "%s{\"phoneNumber\": \"%.*s\"%s}", i > 0 ? ", " : "",
                              (int)(target ? len - 1 : len), numbers[i],
                              target ? ", \"target\": true" : "");
    }
    g_string_append (s, "]");
  }
  g_string_append_printf (s, ", \"subject\": \"%s\"", r->text != NULL ? r->text : "hello");
  g_string_append_printf (s, ", \"messageStatus\": \"%s\"",
                          r->status != NULL ? r->status
                          : r->outbound     ? "Queued"
                                            : "Received");
  if (r->read != NULL)
    g_string_append_printf (s, ", \"readStatus\": \"%s\"", r->read);
  if (r->availability != NULL)
    g_string_append_printf (s, ", \"availability\": \"%s\"", r->availability);
  g_string_append_printf (s, ", \"creationTime\": \"2024-05-01T10:%02u:%02u.000Z\"}",
                          r->second / 60, r->second % 60);
  node = rc_test_parse_json (s->str);
  message = rc_message_parse (node, &error);
  g_assert_no_error (error);
  g_assert_nonnull (message);
  return message;
}

static void
on_event (RcInbox *inbox, RcInboxEvent *event, gpointer user_data)
{
  Fixture *f = user_data;

  g_ptr_array_add (f->events, rc_inbox_event_ref (event));
}

static void
on_state_changed (RcInbox *inbox, gpointer user_data)
{
  ((Fixture *)user_data)->state_changes++;
}

RcInbox *
fixture_inbox (Fixture *f)
{
  RcInbox *inbox = rc_inbox_new (f->senders);

  g_signal_connect (inbox, "event", G_CALLBACK (on_event), f);
  g_signal_connect (inbox, "state-changed", G_CALLBACK (on_state_changed), f);
  return inbox;
}

void
fixture_set_up (Fixture *f, gconstpointer data)
{
  f->client = rc_test_client_new ("https://platform.ringcentral.com");
  f->senders = rc_sender_list_new (f->client);
  f->inbox = fixture_inbox (f);
  f->events = g_ptr_array_new_with_free_func ((GDestroyNotify)rc_inbox_event_unref);
}

void
fixture_tear_down (Fixture *f, gconstpointer data)
{
  g_object_unref (f->inbox);
  g_object_unref (f->senders);
  g_object_unref (f->client);
  g_ptr_array_unref (f->events);
}

void
fixture_reset (Fixture *f)
{
  g_ptr_array_set_size (f->events, 0);
  f->state_changes = 0;
}

RcInboxEvent *
fixture_event (Fixture *f, guint i)
{
  g_assert_cmpuint (i, <, f->events->len);
  return f->events->pdata[i];
}

void
fixture_add (Fixture *f, RcInboxSource source, ...)
{
  g_autoptr (GPtrArray) batch = g_ptr_array_new_with_free_func ((GDestroyNotify)rc_message_free);
  va_list args;
  RcMessage *m;

  va_start (args, source);
  while ((m = va_arg (args, RcMessage *)) != NULL)
    g_ptr_array_add (batch, m);
  va_end (args);
  rc_inbox_add (f->inbox, batch, source);
}

void
assert_event_ids (Fixture *f, const char *expected)
{
  g_autofree char *got = NULL;
  GString *s = g_string_new (NULL);

  for (guint i = 0; i < f->events->len; i++)
    g_string_append_printf (s, "%s%s", i > 0 ? "," : "", fixture_event (f, i)->message->id);
  got = g_string_free (s, FALSE);
  g_assert_cmpstr (got, ==, expected);
}
