/* mms.c: pictures and files out (imgstore, Send File) and in (download, imgstore, saved files). */
#include "rcp-mms.h"

#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "rc-mms.h"
#include "rc-outbox.h"
#include "rcp-conv.h"
#include "rcp-senders.h"

#define RCP_DEBUG "ringcentral"

/* ---- outgoing images ---- */

GPtrArray *
rcp_mms_images_from_html (const char *html, char **rest)
{
  GPtrArray *files = g_ptr_array_new_with_free_func ((GDestroyNotify)rc_mms_file_free);
  GString *out = g_string_new (NULL);
  const char *cursor = html != NULL ? html : "";
  const char *start, *end;
  GData *attributes;

  while (purple_markup_find_tag ("img", cursor, &start, &end, &attributes)) {
    const char *id_text = g_datalist_get_data (&attributes, "id");
    PurpleStoredImage *image = id_text != NULL ? purple_imgstore_find_by_id (atoi (id_text)) : NULL;

    g_string_append_len (out, cursor, start - cursor);
    if (image != NULL) {
      g_autoptr (GBytes) data = g_bytes_new (purple_imgstore_get_data (image),
                                             purple_imgstore_get_size (image));
      const char *name = purple_imgstore_get_filename (image);
      g_autofree char *fallback = NULL;

      if (name == NULL || *name == '\0')
        name = fallback = g_strdup_printf ("image.%s", purple_imgstore_get_extension (image));
      g_ptr_array_add (files,
                       rc_mms_file_new (data, rc_mms_guess_content_type (name, data), name));
    }
    g_datalist_clear (&attributes);
    cursor = end + 1;
  }
  g_string_append (out, cursor);
  if (rest != NULL)
    *rest = g_string_free (out, FALSE);
  else
    g_string_free (out, TRUE);
  return files;
}

/* ---- Send File ---- */

typedef struct {
  GCancellable *cancellable; /* the connection's: its state is gone once cancelled */
  RcpAccount *ra;
  char *who;
  PurpleConversationType type;
  GStrv to;
} XferData;

static void
xfer_data_free (XferData *d)
{
  g_clear_object (&d->cancellable);
  g_free (d->who);
  g_strfreev (d->to);
  g_free (d);
}

static PurpleConversation *
xfer_conversation (XferData *d)
{
  return purple_find_conversation_with_account (d->type, d->who, d->ra->account);
}

/* Ends @xfer with @reason: the transfer window says it, and so does the conversation. */
static void
xfer_fail (PurpleXfer *xfer, XferData *d, const char *reason)
{
  g_autofree char *line = g_strdup_printf (_ ("Could not send the file: %s"), reason);
  PurpleConversation *conv = xfer_conversation (d);

  purple_xfer_error (PURPLE_XFER_SEND, d->ra->account, d->who, reason);
  if (conv != NULL)
    rcp_conv_write_line (conv, line, PURPLE_MESSAGE_ERROR | PURPLE_MESSAGE_NO_LOG);
  purple_xfer_cancel_local (xfer);
}

static void
on_file_sent (GObject *source, GAsyncResult *result, gpointer user_data)
{
  PurpleXfer *xfer = user_data;
  XferData *d = xfer->data;
  g_autoptr (GError) error = NULL;
  g_autoptr (RcMessage) sent = rc_outbox_send_finish (RC_OUTBOX (source), result, &error);

  if (d == NULL || g_cancellable_is_cancelled (d->cancellable)) {
    purple_xfer_unref (xfer);
    return;
  }
  if (sent == NULL)
    xfer_fail (xfer, d, error->message);
  else {
    purple_xfer_set_bytes_sent (xfer, purple_xfer_get_size (xfer));
    purple_xfer_update_progress (xfer);
    purple_xfer_set_completed (xfer, TRUE);
    purple_xfer_end (xfer);
  }
  purple_xfer_unref (xfer);
}

static void
xfer_init (PurpleXfer *xfer)
{
  XferData *d = xfer->data;
  const char *path = purple_xfer_get_local_filename (xfer);
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) files = NULL;
  g_autofree char *contents = NULL;
  g_autofree char *name = NULL;
  g_autoptr (GBytes) data = NULL;
  const RcPhoneNumber *sender;
  RcOutgoing *outgoing;
  gsize length = 0;
  GStatBuf st;

  if (g_cancellable_is_cancelled (d->cancellable)) {
    purple_xfer_cancel_local (xfer);
    return;
  }
  /* The size is checked before the file is read: a film is refused without loading it. */
  if (path == NULL || g_stat (path, &st) != 0) {
    xfer_fail (xfer, d, _ ("The file cannot be read."));
    return;
  }
  if ((guint64)st.st_size > (guint64)RC_MMS_MAX_BYTES * 4) {
    g_autofree char *size = g_format_size ((guint64)st.st_size);
    g_autofree char *max = g_format_size (RC_MMS_MAX_BYTES);
    g_autofree char *reason = g_strdup_printf (
        _ ("The file is %s; RingCentral takes at most %s in one text."), size, max);
    xfer_fail (xfer, d, reason);
    return;
  }
  if (!g_file_get_contents (path, &contents, &length, &error)) {
    xfer_fail (xfer, d, error->message);
    return;
  }
  data = g_bytes_new_take (g_steal_pointer (&contents), length);
  name = g_path_get_basename (path);
  files = g_ptr_array_new_with_free_func ((GDestroyNotify)rc_mms_file_free);
  g_ptr_array_add (files, rc_mms_file_new (data, rc_mms_guess_content_type (name, data), name));

  sender = rcp_senders_pick (d->ra, xfer_conversation (d), d->who, d->type);
  if (sender == NULL) {
    xfer_fail (xfer, d, _ ("This account has no number that can send texts."));
    return;
  }
  outgoing = rc_outbox_prepare (rc_session_get_outbox (d->ra->session), sender->e164,
                                (const char *const *)d->to, "", files, &error);
  if (outgoing == NULL) {
    xfer_fail (xfer, d, error->message);
    return;
  }
  purple_xfer_ref (xfer);
  rc_outbox_send_async (rc_session_get_outbox (d->ra->session), outgoing, d->cancellable,
                        on_file_sent, xfer);
}

static void
xfer_destroy (PurpleXfer *xfer)
{
  g_clear_pointer ((XferData **)&xfer->data, xfer_data_free);
}


static void
xfer_cancel (PurpleXfer *xfer)
{
  /* The upload, once started, is one request: it is left to finish (a half-sent MMS does not
   * exist) and its result is dropped with the transfer. libpurple frees a cancelled transfer
   * without calling the end function, so the data goes here. */
  xfer_destroy (xfer);
}

PurpleXfer *
rcp_mms_new_xfer (RcpAccount *ra, const char *who, PurpleConversationType type,
                  const char *const *to)
{
  PurpleXfer *xfer;
  XferData *d;

  g_return_val_if_fail (ra != NULL && who != NULL && to != NULL, NULL);

  d = g_new0 (XferData, 1);
  d->cancellable = g_object_ref (ra->cancellable);
  d->ra = ra;
  d->who = g_strdup (who);
  d->type = type;
  d->to = g_strdupv ((char **)to);
  xfer = purple_xfer_new (ra->account, PURPLE_XFER_SEND, who);
  xfer->data = d;
  purple_xfer_set_init_fnc (xfer, xfer_init);
  purple_xfer_set_cancel_send_fnc (xfer, xfer_cancel);
  purple_xfer_set_end_fnc (xfer, xfer_destroy);
  purple_xfer_set_request_denied_fnc (xfer, xfer_destroy);
  return xfer;
}

void
rcp_mms_send_file (RcpAccount *ra, const char *who, PurpleConversationType type,
                   const char *const *to, const char *filename)
{
  PurpleXfer *xfer = rcp_mms_new_xfer (ra, who, type, to);

  g_return_if_fail (xfer != NULL);
  if (filename != NULL && *filename != '\0')
    purple_xfer_request_accepted (xfer, filename);
  else
    purple_xfer_request (xfer);
}

/* ---- incoming attachments ---- */

typedef struct {
  GCancellable *cancellable;
  RcpAccount *ra;
  RcInboxEvent *event;
  RcpMmsFetched done;
  guint pending;
  GString *html;
  PurpleMessageFlags flags;
  GArray *image_ids; /* int: imgstore ids, released after @done */
} Fetch;

static void
fetch_finish (Fetch *f)
{
  if (!g_cancellable_is_cancelled (f->cancellable))
    f->done (f->ra, f->event, f->html->str, f->flags);
  for (guint i = 0; i < f->image_ids->len; i++)
    purple_imgstore_unref_by_id (g_array_index (f->image_ids, int, i));
  g_array_unref (f->image_ids);
  g_string_free (f->html, TRUE);
  rc_inbox_event_unref (f->event);
  g_object_unref (f->cancellable);
  g_free (f);
}

/* A file name safe to save under: no directories, no leading dot, printable. */
static char *
safe_name (const RcAttachment *a)
{
  g_autofree char *base = g_path_get_basename (a->file_name != NULL && *a->file_name != '\0'
                                                   ? a->file_name
                                                   : "attachment");
  g_autofree char *valid = g_utf8_make_valid (base, -1);

  g_strdelimit (valid, "/\\:*?\"<>|\n\r\t", '_');
  if (valid[0] == '.' || valid[0] == '\0')
    return g_strconcat ("file", valid, NULL);
  return g_steal_pointer (&valid);
}

static void
append_line (Fetch *f, const char *text)
{
  g_autofree char *escaped = g_markup_escape_text (text, -1);

  g_string_append_printf (f->html, "%s%s", f->html->len > 0 ? "<br>" : "", escaped);
}

typedef struct {
  Fetch *fetch;
  RcAttachment *attachment;
} One;

static void
on_downloaded (GObject *source, GAsyncResult *result, gpointer user_data)
{
  One *one = user_data;
  Fetch *f = one->fetch;
  const RcAttachment *a = one->attachment;
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) data = rc_attachment_download_finish (RC_CLIENT (source), result, &error);
  g_autofree char *name = safe_name (a);
  g_autofree char *size = NULL;
  g_autofree char *line = NULL;

  if (g_cancellable_is_cancelled (f->cancellable)) {
    /* nothing to show into */
  } else if (data == NULL) {
    line = g_strdup_printf (_ ("[%s could not be downloaded: %s]"), name, error->message);
    append_line (f, line);
  } else if (g_str_has_prefix (a->content_type != NULL ? a->content_type : "", "image/")) {
    gsize length = 0;
    gconstpointer bytes = g_bytes_get_data (data, &length);
    int id = purple_imgstore_add_with_id (g_memdup2 (bytes, length), length, name);

    size = g_format_size (length);
    /* The image for Pidgin; the line for UIs that drop images (Finch, bitlbee). */
    g_string_append_printf (f->html, "%s<img id=\"%d\">", f->html->len > 0 ? "<br>" : "", id);
    line = g_strdup_printf (_ ("[Picture: %s, %s]"), name, size);
    append_line (f, line);
    g_array_append_val (f->image_ids, id);
    f->flags |= PURPLE_MESSAGE_IMAGES;
  } else {
    g_autofree char *dir
        = g_build_filename (purple_user_dir (), "ringcentral", "attachments", NULL);
    g_autofree char *file_name = g_strdup_printf ("%s-%s", f->event->message->id, name);
    g_autofree char *path = g_build_filename (dir, file_name, NULL);
    gsize length = g_bytes_get_size (data);

    size = g_format_size (length);
    if (g_mkdir_with_parents (dir, 0700) != 0
        || !g_file_set_contents (path, g_bytes_get_data (data, NULL), (gssize)length, &error))
      line = g_strdup_printf (_ ("[File %s, %s: could not be saved: %s]"), name, size,
                              error != NULL ? error->message : g_strerror (errno));
    else
      line = g_strdup_printf (_ ("[File %s, %s, saved to %s]"), name, size, path);
    append_line (f, line);
  }
  rc_attachment_free (one->attachment);
  g_free (one);
  if (--f->pending == 0)
    fetch_finish (f);
}

void
rcp_mms_fetch (RcpAccount *ra, const RcInboxEvent *event, RcpMmsFetched done)
{
  const RcMessage *msg;
  Fetch *f;

  g_return_if_fail (ra != NULL && event != NULL && done != NULL);

  msg = event->message;
  f = g_new0 (Fetch, 1);
  f->cancellable = g_object_ref (ra->cancellable);
  f->ra = ra;
  f->event = rc_inbox_event_ref ((RcInboxEvent *)event);
  f->done = done;
  f->html = g_string_new (NULL);
  f->image_ids = g_array_new (FALSE, FALSE, sizeof (int));
  f->pending = 1; /* held until every download started */
  for (guint i = 0; msg->attachments != NULL && i < msg->attachments->len; i++) {
    const RcAttachment *a = g_ptr_array_index (msg->attachments, i);
    One *one;

    if (g_strcmp0 (a->type, "MmsAttachment") != 0)
      continue;
    if (a->uri == NULL) {
      g_autofree char *name = safe_name (a);
      g_autofree char *line = g_strdup_printf (
          _ ("[%s came without a download address; open it in the RingCentral app]"), name);

      append_line (f, line);
      continue;
    }
    one = g_new0 (One, 1);
    one->fetch = f;
    one->attachment = rc_attachment_copy (a);
    f->pending++;
    rc_attachment_download_async (rc_session_get_client (ra->session), one->attachment,
                                  RCP_MMS_MAX_DOWNLOAD, ra->cancellable, on_downloaded, one);
  }
  if (--f->pending == 0)
    fetch_finish (f);
}
