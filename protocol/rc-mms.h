/* rc-mms.h: pictures and files in texts (MMS): the limits RingCentral sets, sending them as
 * multipart/form-data, and downloading received attachments.
 *
 * Facts: ringcentral-api.md §3 "MMS" (limits, allowed types, multipart layout, error codes) and §4
 * "Attachments" (content on the media host); SPEC operationIds createMMS, createSMSMessage
 * (multipart), readMessageContent. */
#pragma once

#include <gio/gio.h>

#include "rc-client.h"
#include "rc-message.h"

G_BEGIN_DECLS

/* At most this many files in one text, and this many bytes all together (SPEC createSMSMessage:
 * "up to 10 attachments totalling at most 1,500,000 bytes"; fact sheet §3 "MMS"). */
#define RC_MMS_MAX_FILES 10
#define RC_MMS_MAX_BYTES 1500000

/* One file to send. */
typedef struct {
  GBytes *data;       /* the file's bytes (a reference) */
  char *content_type; /* MIME type as given ("image/jpeg"); rc_mms_check() decides if allowed */
  char *file_name;    /* base name shown to the recipient ("photo.jpg") */
} RcMmsFile;

/* Takes a reference to @data and copies the strings. @content_type NULL: guessed with
 * rc_mms_guess_content_type(); @file_name NULL: "attachment". */
RcMmsFile *rc_mms_file_new (GBytes *data, const char *content_type, const char *file_name);
void rc_mms_file_free (RcMmsFile *file);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (RcMmsFile, rc_mms_file_free)

/* The types RingCentral takes in a text (fact sheet §3 "Allowed types", GUIDE
 * messaging/sms/sending-images), exact MIME types, NULL-terminated:
 *   image/jpeg image/png image/bmp image/gif image/tiff image/svg+xml image/webp
 *   video/3gpp video/mp4 video/mpeg video/avi video/x-flv video/x-ms-wmv video/quicktime
 *   video/webm video/ogg
 *   audio/mpeg audio/mp4 audio/ogg audio/wav audio/amr audio/3gpp
 *   text/vcard application/zip application/gzip application/rtf application/pdf text/html
 *   text/plain text/csv text/calendar */
extern const char *const rc_mms_allowed_types[];

/* The allowed type @content_type stands for (case and parameters ignored; common aliases mapped:
 * image/jpg, image/pjpeg → image/jpeg; video/x-msvideo, video/msvideo → video/avi; audio/x-wav,
 * audio/vnd.wave → audio/wav; text/x-vcard → text/vcard; text/rtf → application/rtf;
 * application/x-gzip → application/gzip; application/x-zip-compressed → application/zip;
 * text/x-csv → text/csv), or NULL when RingCentral does not take it. Static string. */
const char *rc_mms_canonical_type (const char *content_type);

/* Checks @files (RcMmsFile*; NULL or empty passes) against RingCentral's limits, before anything
 * is sent. RC_ERROR_INVALID_INPUT with a sentence that names the limit and the overage:
 *   - a file of 0 bytes (MSG-347): "photo.jpg is empty; ..."
 *   - a type not taken (MSG-348): "photo.heic is image/heic, which RingCentral does not take in a
 *     text; it takes JPEG, PNG, ..."
 *   - more than RC_MMS_MAX_FILES (MSG-337 here): "11 files; at most 10 go in one text."
 *   - more than RC_MMS_MAX_BYTES together (MSG-338): "The pictures and files come to 2.1 MB;
 *     RingCentral takes at most 1.5 MB in one text (0.6 MB too much)." (MB = 1,000,000 bytes) */
gboolean rc_mms_check (GPtrArray *files, GError **error);

/* The MIME type of a file from its name and content (g_content_type_guess()), mapped to the allowed
 * form when it is an alias (rc_mms_canonical_type()); "application/octet-stream" when unknown.
 * @data may be NULL. Interned string. */
const char *rc_mms_guess_content_type (const char *file_name, GBytes *data);

/* The multipart/form-data body of an MMS (soup_multipart_to_message()): first the JSON part
 * (Content-Disposition: form-data; name="json"; filename="request.json", Content-Type
 * application/json; {"from":{"phoneNumber"},"to":[{"phoneNumber"}],"text"} with "text" left out
 * when @text is NULL or ""), then one part per file in order (name="attachment", its file name,
 * its type as rc_mms_canonical_type() gives it, else as given). The part names follow
 * ringcentral-python's multipart_builder.py; the fact sheet (§3 "MMS") marks the names RingCentral
 * expects as UNCONFIRMED and the SDKs disagree (RingCentral.Net: "request.json"/"attachments"),
 * so the JSON part goes first, which both agree on. *@content_type gets "multipart/form-data;
 * boundary=..." (newly allocated). No checks; see rc_message_send_mms_async(). */
GBytes *rc_mms_build_body (const char *from, const char *const *to, const char *text,
                           GPtrArray *files, char **content_type);

/* Sends an MMS: POST /restapi/v1.0/account/~/extension/~/mms (createMMS; Medium group) with
 * rc_mms_build_body(). @text may be NULL or "". Local checks first, nothing sent when one fails
 * (RC_ERROR_INVALID_INPUT): at least one file, rc_mms_check(), recipients as
 * rc_message_check_parties(), @text at most 1000 UTF-16 units. Several @to make a group text. The
 * POST is never resent by libsoup (rc-http.h); a 401 is refreshed and resent once, a 429 waited
 * out, as every call. Server refusals are RC_ERROR_* ending in the RingCentral code (MSG-337,
 * MSG-338, MSG-347, MSG-348 (415), MSG-242 ...). The answer is the stored record, parsed with
 * rc_message_parse() (an unreadable one is RC_ERROR_BAD_RESPONSE). */
void rc_message_send_mms_async (RcClient *client, const char *from, const char *const *to,
                                const char *text, GPtrArray *files, GCancellable *cancellable,
                                GAsyncReadyCallback callback, gpointer user_data);
RcMessage *rc_message_send_mms_finish (RcClient *client, GAsyncResult *result, GError **error);

/* Downloads the content of @a (its uri; readMessageContent) through rc_client_get_media_async():
 * the bearer token goes only to the server's own origin or its media host; any other host is
 * RC_ERROR_NOT_PERMITTED and nothing is requested. An attachment without uri is
 * RC_ERROR_BAD_RESPONSE. @max_bytes > 0 bounds the answer (RC_ERROR_BAD_RESPONSE "... larger than
 * N MB ..." past it); 0 means RC_MMS_MAX_BYTES. Returns the bytes (full reference). */
void rc_attachment_download_async (RcClient *client, const RcAttachment *a, gsize max_bytes,
                                   GCancellable *cancellable, GAsyncReadyCallback callback,
                                   gpointer user_data);
GBytes *rc_attachment_download_finish (RcClient *client, GAsyncResult *result, GError **error);

G_END_DECLS
