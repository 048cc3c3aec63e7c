/* rc-mms.c: MMS limits, the multipart body, sending MMS and downloading attachments. */
#include "rc-mms.h"

#include <glib/gi18n-lib.h>
#include <libsoup/soup.h>
#include <string.h>

#include "rc-error.h"
#include "rc-json.h"

#define MMS_PATH "/restapi/v1.0/account/~/extension/~/mms"

const char *const rc_mms_allowed_types[] = {
  /* images */
  "image/jpeg", "image/png", "image/bmp", "image/gif", "image/tiff", "image/svg+xml", "image/webp",
  /* video */
  "video/3gpp", "video/mp4", "video/mpeg", "video/avi", "video/x-flv", "video/x-ms-wmv",
  "video/quicktime", "video/webm", "video/ogg",
  /* audio */
  "audio/mpeg", "audio/mp4", "audio/ogg", "audio/wav", "audio/amr", "audio/3gpp",
  /* other */
  "text/vcard", "application/zip", "application/gzip", "application/rtf", "application/pdf",
  "text/html", "text/plain", "text/csv", "text/calendar", NULL
};

/* What shared-mime-info or other programs call some allowed types. */
static const struct {
  const char *alias;
  const char *type;
} aliases[] = {
  { "image/jpg", "image/jpeg" },
  { "image/pjpeg", "image/jpeg" },
  { "video/x-msvideo", "video/avi" },
  { "video/msvideo", "video/avi" },
  { "audio/x-wav", "audio/wav" },
  { "audio/vnd.wave", "audio/wav" },
  { "text/x-vcard", "text/vcard" },
  { "text/rtf", "application/rtf" },
  { "application/x-gzip", "application/gzip" },
  { "application/x-zip-compressed", "application/zip" },
  { "text/x-csv", "text/csv" },
};

RcMmsFile *
rc_mms_file_new (GBytes *data, const char *content_type, const char *file_name)
{
  RcMmsFile *file;

  g_return_val_if_fail (data != NULL, NULL);
  file = g_new0 (RcMmsFile, 1);
  file->data = g_bytes_ref (data);
  file->file_name = g_strdup (file_name && *file_name ? file_name : "attachment");
  file->content_type
      = g_strdup (content_type ? content_type : rc_mms_guess_content_type (file_name, data));
  return file;
}

void
rc_mms_file_free (RcMmsFile *file)
{
  if (file == NULL)
    return;
  g_bytes_unref (file->data);
  g_free (file->content_type);
  g_free (file->file_name);
  g_free (file);
}

const char *
rc_mms_canonical_type (const char *content_type)
{
  g_autofree char *media = NULL;
  const char *semicolon;

  if (content_type == NULL)
    return NULL;
  semicolon = strchr (content_type, ';');
  media = g_ascii_strdown (content_type, semicolon ? semicolon - content_type : -1);
  g_strstrip (media);
  for (gsize i = 0; rc_mms_allowed_types[i] != NULL; i++)
    if (g_str_equal (media, rc_mms_allowed_types[i]))
      return rc_mms_allowed_types[i];
  for (gsize i = 0; i < G_N_ELEMENTS (aliases); i++)
    if (g_str_equal (media, aliases[i].alias))
      return aliases[i].type;
  return NULL;
}

const char *
rc_mms_guess_content_type (const char *file_name, GBytes *data)
{
  gsize size = 0;
  const guchar *bytes = data ? g_bytes_get_data (data, &size) : NULL;
  g_autofree char *guess = g_content_type_guess (file_name, bytes, size, NULL);
  g_autofree char *mime = guess ? g_content_type_get_mime_type (guess) : NULL;
  const char *allowed = rc_mms_canonical_type (mime);

  if (allowed != NULL)
    return allowed;
  return g_intern_string (mime ? mime : "application/octet-stream");
}

/* @bytes in megabytes (1,000,000 bytes, as RingCentral counts its 1.5 MB) with one decimal; below
 * 0.1 MB in GLib's own units ("12.3 kB", "1 byte") so that a small overage does not read "0.0". */
static char *
format_mb (guint64 bytes)
{
  if (bytes < 100000)
    return g_format_size (bytes);
  return g_strdup_printf (_ ("%.1f MB"), (double)bytes / 1000000.0);
}

gboolean
rc_mms_check (GPtrArray *files, GError **error)
{
  guint64 total = 0;

  for (guint i = 0; files != NULL && i < files->len; i++) {
    RcMmsFile *f = files->pdata[i];
    const char *name = f->file_name ? f->file_name : "attachment";

    if (f->data == NULL || g_bytes_get_size (f->data) == 0) {
      g_set_error (error, RC_ERROR, RC_ERROR_INVALID_INPUT,
                   _ ("%s is empty; RingCentral does not send empty files."), name);
      return FALSE;
    }
    if (rc_mms_canonical_type (f->content_type) == NULL) {
      g_set_error (error, RC_ERROR, RC_ERROR_INVALID_INPUT,
                   _ ("%s is %s, which RingCentral does not take in a text; it takes JPEG, PNG, "
                      "GIF, BMP, TIFF, SVG and WebP pictures, 3GP, MP4, MPEG, AVI, FLV, WMV, "
                      "QuickTime, WebM and Ogg videos, MP3, MP4, Ogg, WAV, AMR and 3GP sound, and "
                      "vCard, ZIP, GZIP, RTF, PDF, HTML, plain text, CSV and calendar files."),
                   name, f->content_type ? f->content_type : _ ("of an unknown type"));
      return FALSE;
    }
    total += g_bytes_get_size (f->data);
  }
  if (files != NULL && files->len > RC_MMS_MAX_FILES) {
    g_set_error (error, RC_ERROR, RC_ERROR_INVALID_INPUT,
                 _ ("%u files; at most %d go in one text."), files->len, RC_MMS_MAX_FILES);
    return FALSE;
  }
  if (total > RC_MMS_MAX_BYTES) {
    g_autofree char *all = format_mb (total);
    g_autofree char *limit = format_mb (RC_MMS_MAX_BYTES);
    g_autofree char *over = format_mb (total - RC_MMS_MAX_BYTES);

    g_set_error (error, RC_ERROR, RC_ERROR_INVALID_INPUT,
                 _ ("The pictures and files come to %s; RingCentral takes at most %s in one text "
                    "(%s too much)."),
                 all, limit, over);
    return FALSE;
  }
  return TRUE;
}

GBytes *
rc_mms_build_body (const char *from, const char *const *to, const char *text, GPtrArray *files,
                   char **content_type)
{
  g_autoptr (SoupMultipart) multipart = soup_multipart_new (SOUP_FORM_MIME_TYPE_MULTIPART);
  g_autoptr (JsonNode) json = NULL;
  g_autoptr (GBytes) json_bytes = NULL;
  g_autoptr (SoupMessageHeaders) headers = NULL;
  GBytes *body = NULL;
  char *json_text;

  g_return_val_if_fail (from != NULL && to != NULL, NULL);

  json = rc_message_build_sms_body (from, to, text ? text : "");
  if (text == NULL || *text == '\0')
    json_object_remove_member (json_node_get_object (json), "text"); /* optional in createMMS */
  json_text = json_to_string (json, FALSE);
  json_bytes = g_bytes_new_take (json_text, strlen (json_text));
  soup_multipart_append_form_file (multipart, "json", "request.json", "application/json",
                                   json_bytes);
  for (guint i = 0; files != NULL && i < files->len; i++) {
    RcMmsFile *f = files->pdata[i];
    const char *type = rc_mms_canonical_type (f->content_type);

    soup_multipart_append_form_file (multipart, "attachment", f->file_name,
                                     type ? type : f->content_type, f->data);
  }
  headers = soup_message_headers_new (SOUP_MESSAGE_HEADERS_REQUEST);
  soup_multipart_to_message (multipart, headers, &body);
  if (content_type != NULL)
    *content_type = g_strdup (soup_message_headers_get_one (headers, "Content-Type"));
  return body;
}

/* ---- sending ---- */

static void
send_mms_done (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GTask) task = user_data;
  g_autoptr (JsonNode) root = NULL;
  g_autoptr (GBytes) bytes = NULL;
  GError *error = NULL;
  RcMessage *message = NULL;
  gsize len = 0;
  const char *data;

  bytes = rc_client_request_bytes_finish (RC_CLIENT (source), result, &error);
  if (bytes == NULL) {
    g_task_return_error (task, error);
    return;
  }
  data = g_bytes_get_data (bytes, &len);
  /* The one bounded parser (rc-json.h); its error is RC_ERROR_BAD_RESPONSE with the reason. */
  root = rc_json_parse (data, len, _ ("an answer to the picture message"), &error);
  if (root != NULL)
    message = rc_message_parse (root, &error);
  if (message == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, message, (GDestroyNotify)rc_message_free);
}

void
rc_message_send_mms_async (RcClient *client, const char *from, const char *const *to,
                           const char *text, GPtrArray *files, GCancellable *cancellable,
                           GAsyncReadyCallback callback, gpointer user_data)
{
  g_autoptr (GTask) task = NULL;
  g_autoptr (GBytes) body = NULL;
  g_autofree char *content_type = NULL;
  GError *error = NULL;

  g_return_if_fail (RC_IS_CLIENT (client));

  task = g_task_new (client, cancellable, callback, user_data);
  g_task_set_source_tag (task, rc_message_send_mms_async);
  if (files == NULL || files->len == 0) {
    g_task_return_new_error (task, RC_ERROR, RC_ERROR_INVALID_INPUT,
                             _ ("A picture or file to send is missing."));
    return;
  }
  if (!rc_mms_check (files, &error) || !rc_message_check_parties (from, to, &error)
      || !rc_message_check_text_length (text, &error)) {
    g_task_return_error (task, error);
    return;
  }
  body = rc_mms_build_body (from, to, text, files, &content_type);
  rc_client_request_bytes_async (client, "POST", MMS_PATH, content_type, body, cancellable,
                                 send_mms_done, g_steal_pointer (&task));
}

RcMessage *
rc_message_send_mms_finish (RcClient *client, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, client), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* ---- downloading ---- */

void
rc_attachment_download_async (RcClient *client, const RcAttachment *a, gsize max_bytes,
                              GCancellable *cancellable, GAsyncReadyCallback callback,
                              gpointer user_data)
{
  g_return_if_fail (RC_IS_CLIENT (client));
  g_return_if_fail (a != NULL);

  if (a->uri == NULL || *a->uri == '\0') {
    g_task_report_new_error (client, callback, user_data, rc_attachment_download_async, RC_ERROR,
                             RC_ERROR_BAD_RESPONSE,
                             _ ("RingCentral listed an attachment without an address."));
    return;
  }
  rc_client_get_media_async (client, a->uri, max_bytes > 0 ? max_bytes : RC_MMS_MAX_BYTES,
                             cancellable, callback, user_data);
}

GBytes *
rc_attachment_download_finish (RcClient *client, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, client), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}
