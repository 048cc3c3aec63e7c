/* rc-message-pack.c: RcMessage ⇄ compact bytes (the layout is in rc-message-pack.h). */
#include "rc-message-pack.h"

#include <string.h>

#include "rc-error.h"

static void
put_u32 (GByteArray *out, guint32 value)
{
  g_byte_array_append (out, (const guint8 *)&value, sizeof value);
}

static void
put_i64 (GByteArray *out, gint64 value)
{
  g_byte_array_append (out, (const guint8 *)&value, sizeof value);
}

static void
put_str (GByteArray *out, const char *text)
{
  gsize len = text != NULL ? strlen (text) : 0;

  put_u32 (out, text != NULL ? (guint32)len + 1 : 0);
  g_byte_array_append (out, (const guint8 *)text, (guint)len);
}

GBytes *
rc_message_pack (const RcMessage *message)
{
  GByteArray *out;
  guint to_len, attachment_len;

  g_return_val_if_fail (message != NULL, NULL);

  to_len = message->to != NULL ? message->to->len : 0;
  attachment_len = message->attachments != NULL ? message->attachments->len : 0;
  out = g_byte_array_sized_new (256);
  put_str (out, message->id);
  put_str (out, message->conversation_id);
  put_str (out, message->type);
  put_u32 (out, (guint32)message->direction);
  put_str (out, message->from);
  put_str (out, message->from_name);
  put_u32 (out, to_len);
  for (guint i = 0; i < to_len; i++) {
    put_str (out, message->to->pdata[i]);
    put_str (out, message->to_names != NULL && i < message->to_names->len
                      ? message->to_names->pdata[i]
                      : NULL);
  }
  put_str (out, message->owner_number);
  put_str (out, message->text);
  put_str (out, message->message_status);
  put_str (out, message->read_status);
  put_str (out, message->delivery_error_code);
  put_str (out, message->availability);
  put_i64 (out, message->creation_time);
  put_i64 (out, message->last_modified_time);
  put_u32 (out, message->attachment_count);
  put_u32 (out, attachment_len);
  for (guint i = 0; i < attachment_len; i++) {
    const RcAttachment *a = message->attachments->pdata[i];

    put_str (out, a->id);
    put_str (out, a->uri);
    put_str (out, a->type);
    put_str (out, a->content_type);
    put_i64 (out, a->size);
    put_str (out, a->file_name);
  }
  return g_byte_array_free_to_bytes (out);
}

/* Reading: each get_* checks what is left; after the first failure every read fails. */
typedef struct {
  const guint8 *at;
  gsize left;
  gboolean ok;
} Reader;

static gboolean
get_raw (Reader *in, void *value, gsize size)
{
  if (!in->ok || in->left < size)
    return in->ok = FALSE;
  memcpy (value, in->at, size);
  in->at += size;
  in->left -= size;
  return TRUE;
}

static guint32
get_u32 (Reader *in)
{
  guint32 value = 0;

  get_raw (in, &value, sizeof value);
  return value;
}

static gint64
get_i64 (Reader *in)
{
  gint64 value = 0;

  get_raw (in, &value, sizeof value);
  return value;
}

static char *
get_str (Reader *in)
{
  guint32 stored = get_u32 (in);
  char *text;

  if (!in->ok || stored == 0)
    return NULL;
  if (stored - 1 > in->left) {
    in->ok = FALSE;
    return NULL;
  }
  text = g_strndup ((const char *)in->at, stored - 1);
  in->at += stored - 1;
  in->left -= stored - 1;
  return text;
}

/* A list length: each entry takes at least 4 bytes, so a longer one is damage (and no loop runs
 * past the bytes). */
static guint32
get_count (Reader *in)
{
  guint32 count = get_u32 (in);

  if (in->ok && count > in->left / 4)
    in->ok = FALSE;
  return in->ok ? count : 0;
}

RcMessage *
rc_message_unpack (const void *data, gsize len, GError **error)
{
  Reader in = { data, len, data != NULL };
  g_autoptr (RcMessage) message = g_new0 (RcMessage, 1);
  guint32 count;

  message->id = get_str (&in);
  message->conversation_id = get_str (&in);
  message->type = get_str (&in);
  message->direction
      = get_u32 (&in) == RC_DIRECTION_OUTBOUND ? RC_DIRECTION_OUTBOUND : RC_DIRECTION_INBOUND;
  message->from = get_str (&in);
  message->from_name = get_str (&in);
  message->to = g_ptr_array_new_with_free_func (g_free);
  message->to_names = g_ptr_array_new_with_free_func (g_free);
  count = get_count (&in);
  for (guint32 i = 0; i < count && in.ok; i++) {
    char *number = get_str (&in);

    if (number == NULL)
      in.ok = FALSE; /* every to[] entry has a number */
    g_ptr_array_add (message->to, number);
    g_ptr_array_add (message->to_names, get_str (&in));
  }
  message->owner_number = get_str (&in);
  message->text = get_str (&in);
  message->message_status = get_str (&in);
  message->read_status = get_str (&in);
  message->delivery_error_code = get_str (&in);
  message->availability = get_str (&in);
  message->creation_time = get_i64 (&in);
  message->last_modified_time = get_i64 (&in);
  message->attachment_count = get_u32 (&in);
  message->attachments = g_ptr_array_new_with_free_func ((GDestroyNotify)rc_attachment_free);
  count = get_count (&in);
  for (guint32 i = 0; i < count && in.ok; i++) {
    RcAttachment *a = g_new0 (RcAttachment, 1);

    a->id = get_str (&in);
    a->uri = get_str (&in);
    a->type = get_str (&in);
    a->content_type = get_str (&in);
    a->size = get_i64 (&in);
    a->file_name = get_str (&in);
    g_ptr_array_add (message->attachments, a);
  }
  if (!in.ok || in.left != 0 || message->id == NULL || message->type == NULL) {
    g_set_error_literal (error, RC_ERROR, RC_ERROR_BAD_RESPONSE, "packed message damaged");
    return NULL;
  }
  return g_steal_pointer (&message);
}
