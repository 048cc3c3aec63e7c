/* test-message-pack.c: rc_message_pack()/rc_message_unpack() (rc-message-pack.h): every field of a
 * record comes back as it was (NULLs as NULL), and damaged bytes (cut short, one byte changed,
 * noise) give an error, never a crash or a read past the bytes (ASan). */
#include <string.h>
#include <glib.h>

#include "rc-error.h"
#include "rc-json.h"
#include "rc-message-pack.h"

/* An MMS record with every field the parser reads, to[] with and without a name. */
static const char RECORD[]
    = "{\"id\":1234567890123,\"conversation\":{\"id\":\"98765432109876543\"},\"type\":\"SMS\","
      "\"direction\":\"Inbound\",\"from\":{\"phoneNumber\":\"+14155550100\",\"name\":\"Ann\"},"
      "\"to\":[{\"phoneNumber\":\"+14155550199\",\"target\":true},"
      "{\"phoneNumber\":\"+14155550122\",\"name\":\"Bob \\u00e9\"}],"
      "\"subject\":\"Hello \\u263a\",\"messageStatus\":\"Received\",\"readStatus\":\"Unread\","
      "\"availability\":\"Alive\",\"creationTime\":\"2026-11-29T10:00:00.000Z\","
      "\"lastModifiedTime\":\"2026-11-29T10:00:05.000Z\",\"attachments\":["
      "{\"id\":11,\"uri\":\"https://media.example/1\",\"type\":\"Text\","
      "\"contentType\":\"text/plain\"},"
      "{\"id\":12,\"uri\":\"https://media.example/2\",\"type\":\"MmsAttachment\","
      "\"contentType\":\"image/jpeg\",\"size\":2048,\"fileName\":\"a.jpg\"}]}";

static RcMessage *
parse_record (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonNode) node = rc_json_parse (RECORD, strlen (RECORD), "a record", &error);
  RcMessage *message;

  g_assert_no_error (error);
  message = rc_message_parse (node, &error);
  g_assert_no_error (error);
  return message;
}

static void
assert_same (const RcMessage *a, const RcMessage *b)
{
  g_assert_cmpstr (a->id, ==, b->id);
  g_assert_cmpstr (a->conversation_id, ==, b->conversation_id);
  g_assert_cmpstr (a->type, ==, b->type);
  g_assert_cmpint (a->direction, ==, b->direction);
  g_assert_cmpstr (a->from, ==, b->from);
  g_assert_cmpstr (a->from_name, ==, b->from_name);
  g_assert_cmpuint (a->to->len, ==, b->to->len);
  g_assert_cmpuint (b->to_names->len, ==, b->to->len);
  for (guint i = 0; i < a->to->len; i++) {
    g_assert_cmpstr (a->to->pdata[i], ==, b->to->pdata[i]);
    g_assert_cmpstr (a->to_names->pdata[i], ==, b->to_names->pdata[i]);
  }
  g_assert_cmpstr (a->owner_number, ==, b->owner_number);
  g_assert_cmpstr (a->text, ==, b->text);
  g_assert_cmpstr (a->message_status, ==, b->message_status);
  g_assert_cmpstr (a->read_status, ==, b->read_status);
  g_assert_cmpstr (a->delivery_error_code, ==, b->delivery_error_code);
  g_assert_cmpstr (a->availability, ==, b->availability);
  g_assert_cmpint (a->creation_time, ==, b->creation_time);
  g_assert_cmpint (a->last_modified_time, ==, b->last_modified_time);
  g_assert_cmpuint (a->attachment_count, ==, b->attachment_count);
  g_assert_cmpuint (a->attachments->len, ==, b->attachments->len);
  for (guint i = 0; i < a->attachments->len; i++) {
    const RcAttachment *x = a->attachments->pdata[i], *y = b->attachments->pdata[i];

    g_assert_cmpstr (x->id, ==, y->id);
    g_assert_cmpstr (x->uri, ==, y->uri);
    g_assert_cmpstr (x->type, ==, y->type);
    g_assert_cmpstr (x->content_type, ==, y->content_type);
    g_assert_cmpint (x->size, ==, y->size);
    g_assert_cmpstr (x->file_name, ==, y->file_name);
  }
}

static void
test_round_trip (void)
{
  g_autoptr (RcMessage) message = parse_record ();
  g_autoptr (GBytes) packed = rc_message_pack (message);
  g_autoptr (GError) error = NULL;
  gsize len;
  const guint8 *data = g_bytes_get_data (packed, &len);
  g_autofree guint8 *odd = g_malloc (len + 1);
  g_autoptr (RcMessage) back = rc_message_unpack (data, len, &error);
  g_autoptr (RcMessage) back_odd = NULL;

  /* The record really has every kind of field: names, a NULL name, attachments, times. */
  g_assert_nonnull (message->from_name);
  g_assert_null (message->to_names->pdata[0]);
  g_assert_nonnull (message->to_names->pdata[1]);
  g_assert_null (message->delivery_error_code);
  g_assert_cmpuint (message->attachments->len, ==, 2);
  g_assert_cmpint (message->last_modified_time, >, 0);

  g_assert_no_error (error);
  g_assert_nonnull (back);
  assert_same (message, back);
  /* At any address (the hold keeps records one after another). */
  memcpy (odd + 1, data, len);
  back_odd = rc_message_unpack (odd + 1, len, &error);
  g_assert_no_error (error);
  assert_same (message, back_odd);
}

static void
assert_refused (const guint8 *data, gsize len)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (RcMessage) back = rc_message_unpack (data, len, &error);

  g_assert_null (back);
  g_assert_error (error, RC_ERROR, RC_ERROR_BAD_RESPONSE);
}

static void
test_damaged (void)
{
  g_autoptr (RcMessage) message = parse_record ();
  g_autoptr (GBytes) packed = rc_message_pack (message);
  g_autoptr (GRand) rand = g_rand_new_with_seed (11);
  gsize len;
  const guint8 *data = g_bytes_get_data (packed, &len);

  /* Every cut: each copy is exactly as long as the cut, so ASan sees any read past it. */
  for (gsize cut = 0; cut < len; cut++) {
    g_autofree guint8 *copy = g_memdup2 (data, cut);
    assert_refused (copy, cut);
  }
  assert_refused (NULL, 0);
  /* One more byte than packed. */
  {
    g_autofree guint8 *longer = g_malloc0 (len + 1);
    memcpy (longer, data, len);
    assert_refused (longer, len + 1);
  }
  /* A length field of the first string made huge. */
  {
    g_autofree guint8 *copy = g_memdup2 (data, len);
    memset (copy, 0xff, 4);
    assert_refused (copy, len);
  }
  /* Any byte changed: an error or a message, never a crash (the bytes are read as they are). */
  for (gsize i = 0; i < len; i++) {
    g_autofree guint8 *copy = g_memdup2 (data, len);
    g_autoptr (RcMessage) back = NULL;

    copy[i] ^= (guint8)g_rand_int_range (rand, 1, 256);
    back = rc_message_unpack (copy, len, NULL);
  }
  /* Noise. */
  for (guint round = 0; round < 2000; round++) {
    gsize n = (gsize)g_rand_int_range (rand, 0, 300);
    g_autofree guint8 *noise = g_malloc (n + 1);
    g_autoptr (RcMessage) back = NULL;

    for (gsize i = 0; i < n; i++)
      noise[i] = (guint8)g_rand_int_range (rand, 0, 256);
    back = rc_message_unpack (noise, n, NULL);
  }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/message-pack/round-trip", test_round_trip);
  g_test_add_func ("/message-pack/damaged", test_damaged);
  return g_test_run ();
}
