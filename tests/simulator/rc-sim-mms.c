/* rc-sim-mms.c: MMS: multipart POST .../mms and .../sms (parsed with libsoup, the JSON part held to
 * the spec's CreateMMSMessage / CreateSMSMessage schema by our own checks, since Prism cannot
 * validate multipart), the limits and error codes of the fact sheet (§3 "MMS"), attachment content
 * (§4 "Attachments"), inbound MMS and the MMS control endpoints. */
#include "rc-sim-private.h"

#include <string.h>

#define MAX_FILES 10      /* fact sheet §3 "MMS"; SPEC createSMSMessage */
#define MAX_BYTES 1500000 /* combined */
#define MAX_TO    10      /* official send-mms samples: "max 10 recipients" */

struct _RcSimMms {
  char *attachment_base; /* or NULL: the request's base */
  gint64 next_attachment_id;
  char *last_mms; /* rc_sim_last_mms () JSON, or NULL */
};

/* Exact types of GUIDE messaging/sms/sending-images (fact sheet §3 "Allowed types"). */
static const char *const allowed_types[]
    = { "image/jpeg",       "image/png",       "image/bmp",       "image/gif",
        "image/tiff",       "image/svg+xml",   "image/webp",      "video/3gpp",
        "video/mp4",        "video/mpeg",      "video/avi",       "video/x-flv",
        "video/x-ms-wmv",   "video/quicktime", "video/webm",      "video/ogg",
        "audio/mpeg",       "audio/mp4",       "audio/ogg",       "audio/wav",
        "audio/amr",        "audio/3gpp",      "text/vcard",      "application/zip",
        "application/gzip", "application/rtf", "application/pdf", "text/html",
        "text/plain",       "text/csv",        "text/calendar",   NULL };

static RcSimMms *
mms_state (RcSim *self)
{
  if (self->mms == NULL) {
    self->mms = g_new0 (RcSimMms, 1);
    self->mms->next_attachment_id = 5000000001;
  }
  return self->mms;
}

void
rc_sim_mms_free (RcSim *self)
{
  if (self->mms == NULL)
    return;
  g_free (self->mms->attachment_base);
  g_free (self->mms->last_mms);
  g_clear_pointer (&self->mms, g_free);
}

void
rc_sim_attachment_free (RcSimAttachment *a)
{
  if (a == NULL)
    return;
  g_free (a->content_type);
  g_free (a->file_name);
  g_bytes_unref (a->data);
  g_free (a);
}

static RcSimAttachment *
attachment_new (RcSim *self, const char *content_type, const char *file_name, GBytes *data)
{
  RcSimAttachment *a = g_new0 (RcSimAttachment, 1);
  a->id = mms_state (self)->next_attachment_id++;
  a->content_type = g_strdup (content_type);
  a->file_name = g_strdup (file_name ? file_name : "attachment");
  a->data = g_bytes_ref (data);
  return a;
}

static GPtrArray *
attachments_new (void)
{
  return g_ptr_array_new_with_free_func ((GDestroyNotify)rc_sim_attachment_free);
}

void
rc_sim_mms_attachments_to_json (RcSim *self, const char *base_url, RcSimMessage *m,
                                JsonArray *attachments)
{
  const char *base
      = self->mms && self->mms->attachment_base ? self->mms->attachment_base : base_url;
  for (guint i = 0; m->attachments != NULL && i < m->attachments->len; i++) {
    RcSimAttachment *a = m->attachments->pdata[i];
    JsonObject *o = json_object_new ();
    g_autofree char *uri = g_strdup_printf (
        "%s/restapi/v1.0/account/%" G_GINT64_FORMAT "/extension/%" G_GINT64_FORMAT
        "/message-store/%" G_GINT64_FORMAT "/content/%" G_GINT64_FORMAT,
        base, self->account_id, self->extension_id, m->id, a->id);
    json_object_set_int_member (o, "id", a->id);
    json_object_set_string_member (o, "uri", uri);
    json_object_set_string_member (o, "type", "MmsAttachment");
    json_object_set_string_member (o, "contentType", a->content_type);
    json_object_set_int_member (o, "size", (gint64)g_bytes_get_size (a->data));
    json_object_set_string_member (o, "fileName", a->file_name);
    json_array_add_object_element (attachments, o);
  }
}

/* ---- the JSON part (CreateMMSMessage / CreateSMSMessage) ---- */

/* A MessageStoreCallerInfoRequest: an object with a string phoneNumber in E.164. */
static const char *
caller_number (JsonNode *n)
{
  JsonObject *o = n && JSON_NODE_HOLDS_OBJECT (n) ? json_node_get_object (n) : NULL;
  const char *pn = o ? rc_sim_json_string (o, "phoneNumber") : NULL;
  return rc_sim_is_e164 (pn) ? pn : NULL;
}

/* Checks the schema; FALSE when a 400 CMN-101 naming the parameter was written. @text gets the
 * text ("" when absent and allowed). */
static gboolean
validate_json_part (RcSimCall *call, const char *json, gboolean mms, char **from, GPtrArray *to,
                    char **text)
{
  g_autoptr (JsonParser) parser = json_parser_new ();
  JsonObject *o = NULL;
  if (json != NULL && json_parser_load_from_data (parser, json, -1, NULL)
      && JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    o = json_node_get_object (json_parser_get_root (parser));
  if (o == NULL) {
    rc_sim_reply_error (call, 400, "CMN-101",
                        "Parameter [body] value is invalid: the first part must be a JSON object",
                        "body");
    return FALSE;
  }
  JsonNode *fn = json_object_get_member (o, "from");
  if (fn == NULL || !JSON_NODE_HOLDS_OBJECT (fn)) {
    rc_sim_reply_error (call, 400, "CMN-101", "Parameter [from] value is invalid", "from");
    return FALSE;
  }
  const char *f = caller_number (fn);
  if (f == NULL) {
    rc_sim_reply_error (call, 400, "CMN-101", "Parameter [from.phoneNumber] value is invalid",
                        "from.phoneNumber");
    return FALSE;
  }
  JsonNode *tn = json_object_get_member (o, "to");
  JsonArray *ta = tn && JSON_NODE_HOLDS_ARRAY (tn) ? json_node_get_array (tn) : NULL;
  guint nto = ta ? json_array_get_length (ta) : 0;
  if (nto == 0 || nto > MAX_TO) {
    rc_sim_reply_error (call, 400, "CMN-101", "Parameter [to] value is invalid: 1 to 10 recipients",
                        "to");
    return FALSE;
  }
  for (guint i = 0; i < nto; i++) {
    JsonNode *e = json_array_get_element (ta, i);
    if (!JSON_NODE_HOLDS_OBJECT (e)) {
      rc_sim_reply_error (call, 400, "CMN-101", "Parameter [to] value is invalid", "to");
      return FALSE;
    }
    const char *pn = caller_number (e);
    if (pn == NULL) {
      rc_sim_reply_error (call, 400, "CMN-101", "Parameter [to.phoneNumber] value is invalid",
                          "to.phoneNumber");
      return FALSE;
    }
    g_ptr_array_add (to, g_strdup (pn));
  }
  JsonNode *xn = json_object_get_member (o, "text");
  const char *t = rc_sim_json_string (o, "text");
  if ((xn != NULL && t == NULL) || (xn == NULL && !mms)) { /* required in CreateSMSMessage */
    rc_sim_reply_error (call, 400, "CMN-101", "Parameter [text] value is invalid", "text");
    return FALSE;
  }
  if (t != NULL && rc_sim_utf16_length (t) > 1000) {
    rc_sim_reply_error (call, 400, "MSG-338",
                        "Message size limit exceeded: text is longer than 1000 characters", "text");
    return FALSE;
  }
  JsonNode *cn = json_object_get_member (o, "country");
  if (cn != NULL) {
    JsonObject *co = JSON_NODE_HOLDS_OBJECT (cn) ? json_node_get_object (cn) : NULL;
    gboolean ok = co != NULL;
    for (guint i = 0; ok && i < 2; i++) {
      const char *k = i == 0 ? "id" : "isoCode";
      ok = !json_object_has_member (co, k) || rc_sim_json_string (co, k) != NULL;
    }
    if (!ok) {
      rc_sim_reply_error (call, 400, "CMN-101", "Parameter [country] value is invalid", "country");
      return FALSE;
    }
  }
  *from = g_strdup (f);
  *text = g_strdup (t ? t : "");
  return TRUE;
}

/* ---- multipart ---- */

static char *
media_type (SoupMessageHeaders *h)
{
  const char *ct = soup_message_headers_get_content_type (h, NULL);
  return ct ? g_ascii_strdown (ct, -1) : NULL;
}

/* One entry of "parts" for rc_sim_last_mms (). */
static JsonObject *
describe_part (SoupMessageHeaders *h, GBytes *body)
{
  JsonObject *o = json_object_new ();
  g_autoptr (GHashTable) params = NULL;
  g_autofree char *type = media_type (h);
  soup_message_headers_get_content_disposition (h, NULL, &params);
  const char *name = params ? g_hash_table_lookup (params, "name") : NULL;
  const char *filename = params ? g_hash_table_lookup (params, "filename") : NULL;
  if (name)
    json_object_set_string_member (o, "name", name);
  else
    json_object_set_null_member (o, "name");
  if (filename)
    json_object_set_string_member (o, "filename", filename);
  else
    json_object_set_null_member (o, "filename");
  if (type)
    json_object_set_string_member (o, "content_type", type);
  else
    json_object_set_null_member (o, "content_type");
  json_object_set_int_member (o, "size", (gint64)g_bytes_get_size (body));
  return o;
}

/* Reads the file parts (1..n) into @out; FALSE when an error was written. */
static gboolean
read_files (RcSimCall *call, SoupMultipart *mp, GPtrArray *out)
{
  int n = soup_multipart_get_length (mp);
  gsize total = 0;
  for (int i = 1; i < n; i++) {
    SoupMessageHeaders *h;
    GBytes *body;
    g_autoptr (GHashTable) params = NULL;
    soup_multipart_get_part (mp, i, &h, &body);
    if (!soup_message_headers_get_content_disposition (h, NULL, &params)) {
      rc_sim_reply_error (call, 400, "MSG-350", "Content disposition is missing for attachment",
                          "attachments");
      return FALSE;
    }
    const char *filename = g_hash_table_lookup (params, "filename");
    if (filename == NULL || *filename == '\0') {
      rc_sim_reply_error (call, 400, "MSG-351", "File name is missing for attachment",
                          "attachments");
      return FALSE;
    }
    if (g_bytes_get_size (body) == 0) {
      rc_sim_reply_error (call, 400, "MSG-347", "Attachment is empty", "attachments");
      return FALSE;
    }
    g_autofree char *type = media_type (h);
    if (type == NULL || !g_strv_contains (allowed_types, type)) {
      g_autofree char *m
          = g_strdup_printf ("Unsupported attachment media type [%s]", type ? type : "none");
      rc_sim_reply_error (call, 415, "MSG-348", m, "attachments");
      return FALSE;
    }
    total += g_bytes_get_size (body);
    g_ptr_array_add (out, attachment_new (call->sim, type, filename, body));
  }
  if (out->len > MAX_FILES) {
    rc_sim_reply_error (call, 400, "MSG-337",
                        "Attachment limit exceeded: at most 10 attachments in a message",
                        "attachments");
    return FALSE;
  }
  if (total > MAX_BYTES) {
    rc_sim_reply_error (call, 400, "MSG-338",
                        "Message size limit exceeded: attachments total more than 1500000 bytes",
                        "attachments");
    return FALSE;
  }
  return TRUE;
}

static void
handle_multipart (RcSimCall *call, gboolean mms, JsonObject *rec)
{
  SoupMessageHeaders *hdrs = soup_server_message_get_request_headers (call->msg);
  g_autoptr (GBytes) body
      = soup_message_body_flatten (soup_server_message_get_request_body (call->msg));
  g_autoptr (SoupMultipart) mp = NULL;
  JsonArray *parts = json_array_new ();
  json_object_set_array_member (rec, "parts", parts);
  json_object_set_null_member (rec, "json");

  if (call->content_type == NULL
      || (!g_str_equal (call->content_type, "multipart/form-data")
          && !g_str_equal (call->content_type, "multipart/mixed"))) {
    rc_sim_reply_error (call, 415, "CMN-415",
                        "Unsupported Media Type: multipart/form-data or multipart/mixed", NULL);
    return;
  }
  mp = soup_multipart_new_from_message (hdrs, body);
  if (mp == NULL || soup_multipart_get_length (mp) == 0) {
    rc_sim_reply_error (call, 400, "CMN-101", "Parameter [body] value is invalid", "body");
    return;
  }
  for (int i = 0; i < soup_multipart_get_length (mp); i++) {
    SoupMessageHeaders *h;
    GBytes *b;
    soup_multipart_get_part (mp, i, &h, &b);
    json_array_add_object_element (parts, describe_part (h, b));
  }

  SoupMessageHeaders *h0;
  GBytes *b0;
  soup_multipart_get_part (mp, 0, &h0, &b0);
  gsize len0 = 0;
  const char *d0 = g_bytes_get_data (b0, &len0);
  g_autofree char *json = g_strndup (d0 ? d0 : "", len0);
  json_object_set_string_member (rec, "json", json);
  g_autofree char *type0 = media_type (h0);
  if (g_strcmp0 (type0, "application/json") != 0) {
    rc_sim_reply_error (call, 400, "CMN-101",
                        "Parameter [body] value is invalid: the first part must be "
                        "application/json",
                        "body");
    return;
  }
  g_autofree char *from = NULL;
  g_autofree char *text = NULL;
  g_autoptr (GPtrArray) to = g_ptr_array_new_with_free_func (g_free);
  if (!validate_json_part (call, json, mms, &from, to, &text))
    return;
  g_autoptr (GPtrArray) files = attachments_new ();
  if (!read_files (call, mp, files))
    return;
  if (mms && files->len == 0) { /* CreateMMSMessage requires attachments */
    rc_sim_reply_error (call, 400, "CMN-101", "Parameter [attachments] value is invalid",
                        "attachments");
    return;
  }
  if (!mms && files->len == 0 && *text == '\0') {
    rc_sim_reply_error (call, 400, "CMN-101", "Parameter [text] value is invalid", "text");
    return;
  }
  rc_sim_send_checked (call, from, to, text, files->len ? g_steal_pointer (&files) : NULL, mms);
}

void
rc_sim_handle_mms (RcSimCall *call, gboolean mms)
{
  RcSimMms *state = mms_state (call->sim);
  g_autoptr (JsonObject) rec = json_object_new ();
  json_object_set_string_member (rec, "path", call->path);
  json_object_set_string_member (rec, "content_type",
                                 call->record->content_type ? call->record->content_type : "");
  handle_multipart (call, mms, rec);
  json_object_set_int_member (rec, "status", call->record->status);
  g_autoptr (JsonNode) node = json_node_new (JSON_NODE_OBJECT);
  json_node_set_object (node, rec);
  g_free (state->last_mms);
  state->last_mms = json_to_string (node, FALSE);
}

/* ---- content ---- */

void
rc_sim_handle_message_content (RcSimCall *call, const char *message_id, const char *attachment_id)
{
  RcSim *self = call->sim;
  guint64 mid = 0, aid = 0;
  RcSimMessage *m = NULL;
  if (g_ascii_string_to_unsigned (message_id, 10, 1, G_MAXINT64, &mid, NULL))
    for (guint i = 0; i < self->messages->len && m == NULL; i++)
      if (((RcSimMessage *)self->messages->pdata[i])->id == (gint64)mid)
        m = self->messages->pdata[i];
  if (m == NULL) {
    rc_sim_reply_error (call, 404, "CMN-102", "Resource for parameter [messageId] is not found",
                        "messageId");
    return;
  }
  const char *type = NULL;
  g_autoptr (GBytes) data = NULL;
  const char *file_name = NULL;
  if (g_ascii_string_to_unsigned (attachment_id, 10, 1, G_MAXINT64, &aid, NULL)) {
    if ((gint64)aid == m->id) { /* the Text attachment: the body */
      type = "text/plain";
      data = g_bytes_new (m->text, strlen (m->text));
    }
    for (guint i = 0; m->attachments != NULL && i < m->attachments->len && data == NULL; i++) {
      RcSimAttachment *a = m->attachments->pdata[i];
      if (a->id == (gint64)aid) {
        type = a->content_type;
        file_name = a->file_name;
        data = g_bytes_ref (a->data);
      }
    }
  }
  if (data == NULL) {
    rc_sim_reply_error (call, 404, "CMN-102", "Resource for parameter [attachmentId] is not found",
                        "attachmentId");
    return;
  }
  const char *disposition = rc_sim_param (call->params, "contentDisposition");
  if (file_name != NULL) {
    g_autoptr (GHashTable) params = g_hash_table_new (g_str_hash, g_str_equal);
    g_hash_table_insert (params, "filename", (char *)file_name);
    soup_message_headers_set_content_disposition (
        soup_server_message_get_response_headers (call->msg),
        g_strcmp0 (disposition, "Attachment") == 0 ? "attachment" : "inline", params);
  }
  soup_server_message_set_status (call->msg, 200, NULL);
  soup_server_message_set_response (call->msg, type, SOUP_MEMORY_COPY,
                                    g_bytes_get_data (data, NULL), g_bytes_get_size (data));
  call->record->status = 200;
}

/* ---- C API ---- */

char *
rc_sim_add_inbound_mms (RcSim *self, const char *from, const char *to, const char *text,
                        const char *content_type, GBytes *data, const char *file_name)
{
  g_return_val_if_fail (RC_IS_SIM (self), NULL);
  g_return_val_if_fail (from != NULL && to != NULL && content_type != NULL && data != NULL, NULL);
  GPtrArray *atts = attachments_new ();
  g_ptr_array_add (atts, attachment_new (self, content_type, file_name, data));
  RcSimMessage *m = rc_sim_new_inbound (self, from, to, NULL, text ? text : "", atts);
  return g_strdup_printf ("%" G_GINT64_FORMAT, m->id);
}

char *
rc_sim_add_inbound_group_mms (RcSim *self, const char *from, const char *to_ours,
                              const char *const *others, const char *text, const char *content_type,
                              GBytes *data, const char *file_name)
{
  g_return_val_if_fail (RC_IS_SIM (self), NULL);
  g_return_val_if_fail (from != NULL && to_ours != NULL && content_type != NULL && data != NULL,
                        NULL);
  g_autoptr (GPtrArray) cc = g_ptr_array_new ();
  for (guint i = 0; others != NULL && others[i] != NULL; i++)
    g_ptr_array_add (cc, (char *)others[i]);
  GPtrArray *atts = attachments_new ();
  g_ptr_array_add (atts, attachment_new (self, content_type, file_name, data));
  RcSimMessage *m = rc_sim_new_inbound (self, from, to_ours, cc, text ? text : "", atts);
  return g_strdup_printf ("%" G_GINT64_FORMAT, m->id);
}

void
rc_sim_set_attachment_host (RcSim *self, const char *base_url)
{
  g_return_if_fail (RC_IS_SIM (self));
  RcSimMms *state = mms_state (self);
  g_free (state->attachment_base);
  state->attachment_base = base_url && *base_url ? g_strdup (base_url) : NULL;
  if (state->attachment_base != NULL && g_str_has_suffix (state->attachment_base, "/"))
    state->attachment_base[strlen (state->attachment_base) - 1] = '\0';
}

char *
rc_sim_last_mms (RcSim *self)
{
  g_return_val_if_fail (RC_IS_SIM (self), NULL);
  return self->mms ? g_strdup (self->mms->last_mms) : NULL;
}

/* ---- control endpoints ---- */

static void
control_reply (RcSimCall *call, guint status, const char *error, const char *id)
{
  g_autoptr (JsonObject) o = json_object_new ();
  json_object_set_boolean_member (o, "ok", error == NULL);
  if (error != NULL)
    json_object_set_string_member (o, "error", error);
  if (id != NULL)
    json_object_set_string_member (o, "id", id);
  rc_sim_reply_object (call, status, o);
}

static JsonObject *
control_body (RcSimCall *call, JsonParser *parser)
{
  if (call->body == NULL || !json_parser_load_from_data (parser, call->body, -1, NULL)
      || !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    return NULL;
  return json_node_get_object (json_parser_get_root (parser));
}

/* The optional "others" member of @o: a NULL-terminated vector (pointing into @o) of E.164
 * numbers, empty when absent; FALSE when it is not an array of such strings. */
static gboolean
others_member (JsonObject *o, GPtrArray *out)
{
  JsonNode *n = json_object_has_member (o, "others") ? json_object_get_member (o, "others") : NULL;
  if (n != NULL && !JSON_NODE_HOLDS_ARRAY (n))
    return FALSE;
  JsonArray *a = n != NULL ? json_node_get_array (n) : NULL;
  for (guint i = 0; a != NULL && i < json_array_get_length (a); i++) {
    JsonNode *e = json_array_get_element (a, i);
    const char *v = JSON_NODE_HOLDS_VALUE (e) && json_node_get_value_type (e) == G_TYPE_STRING
                        ? json_node_get_string (e)
                        : NULL;
    if (!rc_sim_is_e164 (v))
      return FALSE;
    g_ptr_array_add (out, (char *)v);
  }
  g_ptr_array_add (out, NULL);
  return TRUE;
}

/* POST /_sim/inbound-mms {"from","to","others"? (a group: ["+1...", ...]),"text"?,
 * "content_type","data" (base64),"file_name"?} */
static void
post_inbound_mms (RcSimCall *call)
{
  g_autoptr (JsonParser) parser = json_parser_new ();
  JsonObject *o = control_body (call, parser);
  const char *from = o ? rc_sim_json_string (o, "from") : NULL;
  const char *to = o ? rc_sim_json_string (o, "to") : NULL;
  const char *type = o ? rc_sim_json_string (o, "content_type") : NULL;
  const char *b64 = o ? rc_sim_json_string (o, "data") : NULL;
  g_autoptr (GPtrArray) others = g_ptr_array_new ();
  gsize len = 0;
  guchar *raw = b64 ? g_base64_decode (b64, &len) : NULL;
  if (!rc_sim_is_e164 (from) || !rc_sim_is_e164 (to) || type == NULL || raw == NULL
      || !others_member (o, others)) {
    g_free (raw);
    control_reply (call, 400,
                   "expected {\"from\":\"+1...\",\"to\":\"+1...\",\"others\":[\"+1...\"],"
                   "\"text\":\"...\",\"content_type\":\"image/png\",\"data\":\"BASE64\","
                   "\"file_name\":\"a.png\"} (others and text optional)",
                   NULL);
    return;
  }
  g_autoptr (GBytes) data = g_bytes_new_take (raw, len);
  g_autofree char *id = rc_sim_add_inbound_group_mms (
      call->sim, from, to, (const char *const *)others->pdata, rc_sim_json_string (o, "text"), type,
      data, rc_sim_json_string (o, "file_name"));
  control_reply (call, 200, NULL, id);
}

/* POST /_sim/attachment-host {"base_url": "http://..." | null} */
static void
post_attachment_host (RcSimCall *call)
{
  g_autoptr (JsonParser) parser = json_parser_new ();
  JsonObject *o = control_body (call, parser);
  if (o == NULL || !json_object_has_member (o, "base_url")) {
    control_reply (call, 400, "expected {\"base_url\": \"http://host:port\" | null}", NULL);
    return;
  }
  rc_sim_set_attachment_host (call->sim, rc_sim_json_string (o, "base_url"));
  control_reply (call, 200, NULL, NULL);
}

gboolean
rc_sim_mms_handle_control (RcSimCall *call, const char *what)
{
  gboolean get = g_str_equal (call->method, "GET");
  gboolean post = g_str_equal (call->method, "POST");
  if (post && g_str_equal (what, "inbound-mms"))
    post_inbound_mms (call);
  else if (post && g_str_equal (what, "attachment-host"))
    post_attachment_host (call);
  else if (get && g_str_equal (what, "last-mms")) {
    g_autofree char *last = rc_sim_last_mms (call->sim);
    soup_server_message_set_status (call->msg, last ? 200 : 404, NULL);
    const char *text = last ? last : "{\"ok\":false,\"error\":\"no multipart request yet\"}";
    soup_server_message_set_response (call->msg, "application/json", SOUP_MEMORY_COPY, text,
                                      strlen (text));
    call->record->status = last ? 200 : 404;
  } else
    return FALSE;
  return TRUE;
}
