/* test-mms.c: MMS limits and their sentences, allowed types, the multipart body, sending against
 * the in-process simulator (local refusals send nothing), and attachment downloads: same origin
 * works, another host gets no request (and no token), answers beyond the bound are refused. */
#include <string.h>
#include <glib.h>
#include <libsoup/soup.h>

#include "rc-client-private.h"
#include "rc-error.h"
#include "rc-mms.h"
#include "rc-sim.h"
#include "rc-test-sim.h"
#include "rc-test-util.h"

#define MMS_PATH "/restapi/v1.0/account/~/extension/~/mms"
#define STORE    "/restapi/v1.0/account/~/extension/~/message-store/"
#define OURS     "+16505550100" /* SmsSender + MmsSender */
#define SMS_ONLY "+16505550101" /* SmsSender only */
#define THEIRS   "+14155550100"

static const guchar png_magic[] = { 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 0, 0, 0, 13 };

typedef struct {
  RcSim *sim;
  RcClient *client;
} Fixture;

static void
setup (Fixture *f, gconstpointer data)
{
  f->sim = rc_test_sim_start (
      "{\"numbers\":[{\"phoneNumber\":\"" OURS "\",\"features\":[\"SmsSender\",\"MmsSender\"]},"
      "{\"phoneNumber\":\"" SMS_ONLY "\",\"features\":[\"SmsSender\"]}]}");
  f->client = rc_test_sim_client (f->sim);
}

static void
teardown (Fixture *f, gconstpointer data)
{
  g_clear_object (&f->client);
  g_clear_object (&f->sim);
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

/* A file of @size bytes starting with the PNG signature. */
static RcMmsFile *
png_file (const char *name, gsize size)
{
  guchar *data = g_malloc0 (size);
  g_autoptr (GBytes) bytes = NULL;

  memcpy (data, png_magic, MIN (size, sizeof png_magic));
  bytes = g_bytes_new_take (data, size);
  return rc_mms_file_new (bytes, "image/png", name);
}

static GPtrArray *
files_new (void)
{
  return g_ptr_array_new_with_free_func ((GDestroyNotify)rc_mms_file_free);
}

/* ---- limits and types ---- */

static void
test_limits (void)
{
  g_autoptr (GPtrArray) files = files_new ();
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) empty = g_bytes_new_static ("", 0);
  g_autoptr (GBytes) heic = g_bytes_new_static ("ftypheic", 8);

  g_assert_true (rc_mms_check (NULL, &error));
  g_assert_true (rc_mms_check (files, &error));

  /* exactly 1.5 MB passes; 2.1 MB is 0.6 MB too much */
  g_ptr_array_add (files, png_file ("a.png", 1000000));
  g_ptr_array_add (files, png_file ("b.png", 500000));
  g_assert_true (rc_mms_check (files, &error));
  g_assert_no_error (error);
  g_ptr_array_add (files, png_file ("c.png", 600000));
  g_assert_false (rc_mms_check (files, &error));
  g_assert_error (error, RC_ERROR, RC_ERROR_INVALID_INPUT);
  g_assert_cmpstr (error->message, ==,
                   "The pictures and files come to 2.1 MB; RingCentral takes at most 1.5 MB in "
                   "one text (0.6 MB too much).");
  g_clear_error (&error);

  /* one byte over says so, not "0.0 MB" */
  g_ptr_array_set_size (files, 0);
  g_ptr_array_add (files, png_file ("a.png", RC_MMS_MAX_BYTES + 1));
  g_assert_false (rc_mms_check (files, &error));
  g_assert_nonnull (strstr (error->message, "(1 byte too much)"));
  g_clear_error (&error);

  /* 11 files */
  g_ptr_array_set_size (files, 0);
  for (guint i = 0; i < RC_MMS_MAX_FILES; i++)
    g_ptr_array_add (files, png_file ("a.png", 100));
  g_assert_true (rc_mms_check (files, &error));
  g_ptr_array_add (files, png_file ("a.png", 100));
  g_assert_false (rc_mms_check (files, &error));
  g_assert_cmpstr (error->message, ==, "11 files; at most 10 go in one text.");
  g_clear_error (&error);

  /* empty (MSG-347) */
  g_ptr_array_set_size (files, 0);
  g_ptr_array_add (files, rc_mms_file_new (empty, "image/jpeg", "photo.jpg"));
  g_assert_false (rc_mms_check (files, &error));
  g_assert_cmpstr (error->message, ==,
                   "photo.jpg is empty; RingCentral does not send empty files.");
  g_clear_error (&error);

  /* a type RingCentral does not take (MSG-348) */
  g_ptr_array_set_size (files, 0);
  g_ptr_array_add (files, rc_mms_file_new (heic, "image/heic", "photo.heic"));
  g_assert_false (rc_mms_check (files, &error));
  g_assert_true (g_str_has_prefix (error->message,
                                   "photo.heic is image/heic, which RingCentral does not take in "
                                   "a text; it takes JPEG, PNG, GIF"));
}

static void
test_types (void)
{
  g_autoptr (GBytes) png = g_bytes_new_static (png_magic, sizeof png_magic);
  g_autoptr (GBytes) jpeg = g_bytes_new_static ("\xff\xd8\xff\xe0\0\x10JFIF", 10);

  for (gsize i = 0; rc_mms_allowed_types[i] != NULL; i++)
    g_assert_cmpstr (rc_mms_canonical_type (rc_mms_allowed_types[i]), ==, rc_mms_allowed_types[i]);
  g_assert_cmpuint (g_strv_length ((char **)rc_mms_allowed_types), ==, 31);
  g_assert_cmpstr (rc_mms_canonical_type ("IMAGE/JPEG; name=x"), ==, "image/jpeg");
  g_assert_cmpstr (rc_mms_canonical_type ("image/jpg"), ==, "image/jpeg");
  g_assert_cmpstr (rc_mms_canonical_type ("video/x-msvideo"), ==, "video/avi");
  g_assert_cmpstr (rc_mms_canonical_type ("audio/x-wav"), ==, "audio/wav");
  g_assert_cmpstr (rc_mms_canonical_type ("text/x-vcard"), ==, "text/vcard");
  g_assert_null (rc_mms_canonical_type ("image/heic"));
  g_assert_null (rc_mms_canonical_type ("application/octet-stream"));
  g_assert_null (rc_mms_canonical_type (NULL));

  g_assert_cmpstr (rc_mms_guess_content_type ("a.png", png), ==, "image/png");
  g_assert_cmpstr (rc_mms_guess_content_type (NULL, png), ==, "image/png");
  g_assert_cmpstr (rc_mms_guess_content_type ("photo.jpg", jpeg), ==, "image/jpeg");
  g_assert_cmpstr (rc_mms_guess_content_type ("notes.txt", NULL), ==, "text/plain");
  g_assert_cmpstr (rc_mms_guess_content_type ("doc.pdf", NULL), ==, "application/pdf");
  {
    g_autoptr (RcMmsFile) guessed = rc_mms_file_new (png, NULL, NULL);

    g_assert_cmpstr (guessed->content_type, ==, "image/png");
    g_assert_cmpstr (guessed->file_name, ==, "attachment");
  }
}

/* ---- the multipart body ---- */

static void
test_body (void)
{
  g_autoptr (GPtrArray) files = files_new ();
  const char *to[] = { THEIRS, "+14155550101", NULL };
  g_autofree char *type = NULL;
  g_autoptr (GBytes) body = NULL;
  g_autoptr (SoupMessageHeaders) hdrs = soup_message_headers_new (SOUP_MESSAGE_HEADERS_REQUEST);
  g_autoptr (SoupMultipart) mp = NULL;
  g_autoptr (GHashTable) params = NULL;
  g_autoptr (GBytes) txt = g_bytes_new_static ("hello", 5);
  SoupMessageHeaders *ph;
  GBytes *pb;
  const char *boundary;
  g_autofree char *first_line = NULL;
  g_autofree char *json = NULL;

  g_ptr_array_add (files, png_file ("a.png", 64));
  g_ptr_array_add (files, rc_mms_file_new (txt, "text/plain; charset=utf-8", "note.txt"));
  body = rc_mms_build_body (OURS, to, "hi", files, &type);
  g_assert_true (g_str_has_prefix (type, "multipart/form-data; boundary="));
  boundary = type + strlen ("multipart/form-data; boundary=");
  first_line = g_strdup_printf ("--%s\r\n", boundary);
  g_assert_true (g_str_has_prefix (g_bytes_get_data (body, NULL), first_line));

  soup_message_headers_replace (hdrs, "Content-Type", type);
  mp = soup_multipart_new_from_message (hdrs, body);
  g_assert_nonnull (mp);
  g_assert_cmpint (soup_multipart_get_length (mp), ==, 3);

  /* the JSON part first */
  soup_multipart_get_part (mp, 0, &ph, &pb);
  g_assert_cmpstr (soup_message_headers_get_content_type (ph, NULL), ==, "application/json");
  g_assert_true (soup_message_headers_get_content_disposition (ph, NULL, &params));
  g_assert_cmpstr (g_hash_table_lookup (params, "name"), ==, "json");
  g_assert_cmpstr (g_hash_table_lookup (params, "filename"), ==, "request.json");
  g_clear_pointer (&params, g_hash_table_unref);
  json = g_strndup (g_bytes_get_data (pb, NULL), g_bytes_get_size (pb));
  g_assert_cmpstr (json, ==,
                   "{\"from\":{\"phoneNumber\":\"" OURS "\"},\"to\":[{\"phoneNumber\":\"" THEIRS
                   "\"},{\"phoneNumber\":\"+14155550101\"}],\"text\":\"hi\"}");

  /* then the files, in order, with their names and types */
  soup_multipart_get_part (mp, 1, &ph, &pb);
  g_assert_cmpstr (soup_message_headers_get_content_type (ph, NULL), ==, "image/png");
  g_assert_true (soup_message_headers_get_content_disposition (ph, NULL, &params));
  g_assert_cmpstr (g_hash_table_lookup (params, "name"), ==, "attachment");
  g_assert_cmpstr (g_hash_table_lookup (params, "filename"), ==, "a.png");
  g_clear_pointer (&params, g_hash_table_unref);
  g_assert_true (g_bytes_equal (pb, ((RcMmsFile *)files->pdata[0])->data));
  soup_multipart_get_part (mp, 2, &ph, &pb);
  g_assert_cmpstr (soup_message_headers_get_content_type (ph, NULL), ==, "text/plain");
  g_assert_true (g_bytes_equal (pb, txt));

  /* no text: the member is left out (optional in CreateMMSMessage) */
  g_clear_pointer (&body, g_bytes_unref);
  g_clear_pointer (&type, g_free);
  body = rc_mms_build_body (OURS, to, "", files, &type);
  g_assert_null (g_strstr_len (g_bytes_get_data (body, NULL), g_bytes_get_size (body), "\"text\""));
}

/* ---- sending ---- */

static RcMessage *
send_mms (Fixture *f, const char *from, const char *const *to, const char *text, GPtrArray *files,
          GError **error)
{
  g_autoptr (GAsyncResult) result = NULL;

  rc_message_send_mms_async (f->client, from, to, text, files, NULL, rc_test_got_result, &result);
  return rc_message_send_mms_finish (f->client, rc_test_wait_result (&result), error);
}

static GBytes *
download (Fixture *f, const RcAttachment *a, gsize max, GError **error)
{
  g_autoptr (GAsyncResult) result = NULL;

  rc_attachment_download_async (f->client, a, max, NULL, rc_test_got_result, &result);
  return rc_attachment_download_finish (f->client, rc_test_wait_result (&result), error);
}

/* The first MmsAttachment of @m. */
static const RcAttachment *
mms_attachment (RcMessage *m)
{
  for (guint i = 0; i < m->attachments->len; i++) {
    RcAttachment *a = m->attachments->pdata[i];
    if (g_strcmp0 (a->type, "MmsAttachment") == 0)
      return a;
  }
  g_assert_not_reached ();
}

static void
test_send (Fixture *f, gconstpointer data)
{
  g_autoptr (GPtrArray) files = files_new ();
  const char *to[] = { THEIRS, NULL };
  g_autoptr (GError) error = NULL;
  g_autoptr (RcMessage) m = NULL;
  g_autoptr (GBytes) back = NULL;
  g_autoptr (JsonNode) last = NULL;
  g_autofree char *last_text = NULL;
  JsonObject *lo;
  JsonArray *parts;
  RcSimRequest *r;

  g_ptr_array_add (files, png_file ("photo.png", 2048));
  m = send_mms (f, OURS, to, "look", files, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (m->text, ==, "look");
  g_assert_cmpuint (m->attachment_count, ==, 1);
  g_assert_cmpstr (mms_attachment (m)->content_type, ==, "image/png");
  g_assert_cmpstr (mms_attachment (m)->file_name, ==, "photo.png");
  g_assert_cmpint (mms_attachment (m)->size, ==, 2048);
  g_assert_cmpuint (rc_sim_count_requests (f->sim, "POST", MMS_PATH), ==, 1);
  r = g_ptr_array_index (rc_sim_get_requests (f->sim), 0);
  g_assert_true (g_str_has_prefix (r->content_type, "multipart/form-data; boundary="));

  /* what the simulator took apart: JSON first, then the file */
  last_text = rc_sim_last_mms (f->sim);
  last = rc_test_parse_json (last_text);
  lo = json_node_get_object (last);
  g_assert_cmpint (json_object_get_int_member (lo, "status"), ==, 200);
  parts = json_object_get_array_member (lo, "parts");
  g_assert_cmpuint (json_array_get_length (parts), ==, 2);
  g_assert_cmpstr (
      json_object_get_string_member (json_array_get_object_element (parts, 0), "content_type"), ==,
      "application/json");
  g_assert_cmpstr (
      json_object_get_string_member (json_array_get_object_element (parts, 1), "filename"), ==,
      "photo.png");
  g_assert_cmpint (json_object_get_int_member (json_array_get_object_element (parts, 1), "size"),
                   ==, 2048);

  /* and the content comes back from the same origin, with the token */
  rc_sim_clear_requests (f->sim);
  back = download (f, mms_attachment (m), 0, &error);
  g_assert_no_error (error);
  g_assert_true (g_bytes_equal (back, ((RcMmsFile *)files->pdata[0])->data));
  r = g_ptr_array_index (rc_sim_get_requests (f->sim), 0);
  g_assert_cmpstr (r->auth_kind, ==, "Bearer");
  g_assert_nonnull (strstr (r->path, "/content/"));
}

static void
test_local_refusals (Fixture *f, gconstpointer data)
{
  g_autoptr (GPtrArray) files = files_new ();
  g_autoptr (GPtrArray) none = files_new ();
  g_autoptr (GPtrArray) big = files_new ();
  const char *to[] = { THEIRS, NULL };
  const char *bad_to[] = { "12", NULL };
  const char *no_to[] = { NULL };
  g_autofree char *long_text = g_strnfill (1001, 'x');
  struct {
    const char *from;
    const char *const *to;
    const char *text;
    GPtrArray *files;
  } cases[] = {
    { OURS, to, "hi", none },       { OURS, to, "hi", NULL },     { OURS, to, "hi", big },
    { OURS, bad_to, "hi", files },  { OURS, no_to, NULL, files }, { "650", to, "hi", files },
    { OURS, to, long_text, files },
  };

  g_ptr_array_add (files, png_file ("a.png", 10));
  g_ptr_array_add (big, png_file ("a.png", RC_MMS_MAX_BYTES));
  g_ptr_array_add (big, png_file ("b.png", 1));
  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++) {
    g_autoptr (GError) error = NULL;
    g_autoptr (RcMessage) m
        = send_mms (f, cases[i].from, cases[i].to, cases[i].text, cases[i].files, &error);

    g_assert_null (m);
    g_assert_error (error, RC_ERROR, RC_ERROR_INVALID_INPUT);
  }
  g_assert_cmpuint (rc_sim_get_requests (f->sim)->len, ==, 0);
}

static void
test_server_refusal (Fixture *f, gconstpointer data)
{
  g_autoptr (GPtrArray) files = files_new ();
  const char *to[] = { THEIRS, NULL };
  g_autoptr (GError) error = NULL;
  g_autoptr (RcMessage) m = NULL;
  g_autofree char *code = NULL;

  g_ptr_array_add (files, png_file ("a.png", 10));
  m = send_mms (f, SMS_ONLY, to, NULL, files, &error);
  g_assert_null (m);
  g_assert_error (error, RC_ERROR, RC_ERROR_NOT_PERMITTED);
  code = rc_error_get_api_code (error);
  g_assert_cmpstr (code, ==, "MSG-242");
  g_assert_cmpuint (rc_sim_count_requests (f->sim, "POST", MMS_PATH), ==, 1);
}

/* ---- downloading ---- */

static RcMessage *
fetch_record (Fixture *f, const char *id)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *path = g_strconcat (STORE, id, NULL);
  g_autoptr (GAsyncResult) result = NULL;
  g_autoptr (JsonNode) node = NULL;
  RcMessage *m;

  rc_client_request_async (f->client, "GET", path, NULL, NULL, rc_test_got_result, &result);
  node = rc_client_request_finish (f->client, rc_test_wait_result (&result), &error);
  g_assert_no_error (error);
  m = rc_message_parse (node, &error);
  g_assert_no_error (error);
  return m;
}

static void
test_download_inbound (Fixture *f, gconstpointer data)
{
  g_autoptr (GBytes) card = g_bytes_new_static ("BEGIN:VCARD\r\nEND:VCARD\r\n", 24);
  g_autofree char *id
      = rc_sim_add_inbound_mms (f->sim, THEIRS, OURS, "my card", "text/vcard", card, "me.vcf");
  g_autoptr (RcMessage) m = fetch_record (f, id);
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) back = NULL;

  g_assert_cmpuint (m->attachment_count, ==, 1);
  g_assert_cmpstr (mms_attachment (m)->file_name, ==, "me.vcf");
  g_assert_true (rc_client_is_same_origin (f->client, mms_attachment (m)->uri));
  back = download (f, mms_attachment (m), 0, &error);
  g_assert_no_error (error);
  g_assert_true (g_bytes_equal (back, card));
}

static void
test_download_foreign (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (RcSim) foreign = rc_sim_new_from_data ("{}", &error);
  g_autofree char *foreign_base = NULL;
  g_autoptr (GBytes) png = g_bytes_new_static (png_magic, sizeof png_magic);
  g_autofree char *id = NULL;
  g_autoptr (RcMessage) m = NULL;
  g_autoptr (GBytes) back = NULL;
  RcAttachment evil = { NULL, (char *)"https://evil.example/restapi/v1.0/x", NULL, NULL, 0, NULL };

  g_assert_no_error (error);
  g_assert_true (rc_sim_start (foreign, 0, &error));
  foreign_base = rc_sim_get_base_url (foreign);
  rc_sim_set_attachment_host (f->sim, foreign_base);
  id = rc_sim_add_inbound_mms (f->sim, THEIRS, OURS, NULL, "image/png", png, "a.png");
  m = fetch_record (f, id);
  g_assert_true (g_str_has_prefix (mms_attachment (m)->uri, foreign_base));
  rc_sim_clear_requests (f->sim);

  back = download (f, mms_attachment (m), 0, &error);
  g_assert_null (back);
  g_assert_error (error, RC_ERROR, RC_ERROR_NOT_PERMITTED);
  g_assert_nonnull (strstr (error->message, "is on another server; not downloaded"));
  g_clear_error (&error);
  back = download (f, &evil, 0, &error);
  g_assert_error (error, RC_ERROR, RC_ERROR_NOT_PERMITTED);
  /* let anything that was sent arrive: nothing may have been */
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_assert_cmpuint (rc_sim_get_requests (foreign)->len, ==, 0);
  g_assert_cmpuint (rc_sim_get_requests (f->sim)->len, ==, 0);
}

static void
test_download_too_large (Fixture *f, gconstpointer data)
{
  g_autoptr (GBytes) big = g_bytes_new_take (g_malloc0 (2000000), 2000000);
  g_autofree char *id
      = rc_sim_add_inbound_mms (f->sim, THEIRS, OURS, NULL, "image/png", big, "big.png");
  g_autoptr (RcMessage) m = fetch_record (f, id);
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) back = download (f, mms_attachment (m), 0, &error);

  g_assert_null (back);
  g_assert_error (error, RC_ERROR, RC_ERROR_BAD_RESPONSE);
  g_assert_nonnull (strstr (error->message, "larger than 1.5 MB"));
  g_clear_error (&error);
  back = download (f, mms_attachment (m), 2000000, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_bytes_get_size (back), ==, 2000000);
}

/* An answer without Content-Length (chunked): the bound holds while reading. */
static void
chunked_handler (SoupServerMessage *msg, const char *path, const char *body, gpointer user_data)
{
  gsize size = GPOINTER_TO_SIZE (user_data);
  SoupMessageBody *out = soup_server_message_get_response_body (msg);
  g_autofree char *chunk = g_malloc0 (10000);

  soup_message_headers_set_encoding (soup_server_message_get_response_headers (msg),
                                     SOUP_ENCODING_CHUNKED);
  soup_message_headers_set_content_type (soup_server_message_get_response_headers (msg),
                                         "image/png", NULL);
  for (gsize done = 0; done < size; done += 10000)
    soup_message_body_append (out, SOUP_MEMORY_COPY, chunk, MIN (10000, size - done));
  soup_message_body_complete (out);
  soup_server_message_set_status (msg, 200, NULL);
}

static void
test_download_chunked (void)
{
  for (guint round = 0; round < 2; round++) {
    RcTestServer srv = { 0 };
    g_autoptr (RcClient) client = NULL;
    g_autoptr (GAsyncResult) result = NULL;
    g_autoptr (GError) error = NULL;
    g_autoptr (GBytes) back = NULL;
    g_autofree char *uri = NULL;
    RcAttachment a = { 0 };

    rc_test_server_start (&srv, chunked_handler, GSIZE_TO_POINTER (round == 0 ? 250000 : 90000));
    client = rc_test_client_new (srv.base_url);
    uri = g_strconcat (srv.base_url,
                       "/restapi/v1.0/account/1/extension/2/message-store/3/content/4", NULL);
    a.uri = uri;
    rc_attachment_download_async (client, &a, 100000, NULL, rc_test_got_result, &result);
    back = rc_attachment_download_finish (client, rc_test_wait_result (&result), &error);
    if (round == 0) {
      g_assert_error (error, RC_ERROR, RC_ERROR_BAD_RESPONSE);
      g_assert_nonnull (strstr (error->message, "larger than 0.1 MB"));
    } else {
      g_assert_no_error (error);
      g_assert_cmpuint (g_bytes_get_size (back), ==, 90000);
    }
    g_clear_object (&client);
    rc_test_server_stop (&srv);
  }
}

/* The token rule: own origin always; the media host only for media and only for production. */
static void
test_token_rule (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (RcClient) prod
      = rc_client_new ("https://platform.ringcentral.com", "id", NULL, &error);
  g_autoptr (RcClient) biz = rc_client_new ("https://platform.ringcentral.biz", "id", NULL, &error);
  g_autoptr (RcClient) local = rc_client_new ("http://127.0.0.1:4010", "id", NULL, &error);
  g_autofree char *prod_media = rc_client_get_media_origin (prod);
  g_autofree char *biz_media = rc_client_get_media_origin (biz);
  g_autofree char *local_media = rc_client_get_media_origin (local);

  g_assert_cmpstr (prod_media, ==, "https://media.ringcentral.com");
  g_assert_null (biz_media);
  g_assert_null (local_media);
  g_assert_true (rc_client_token_allowed (prod, "https://media.ringcentral.com/restapi/x", TRUE));
  g_assert_false (rc_client_token_allowed (prod, "https://media.ringcentral.com/restapi/x", FALSE));
  g_assert_false (rc_client_token_allowed (prod, "http://media.ringcentral.com/restapi/x", TRUE));
  g_assert_false (rc_client_token_allowed (prod, "https://media.ringcentral.com:8443/x", TRUE));
  g_assert_false (rc_client_token_allowed (prod, "https://evil.example/x", TRUE));
  g_assert_true (
      rc_client_token_allowed (prod, "https://platform.ringcentral.com/restapi/x", TRUE));
  g_assert_false (rc_client_token_allowed (biz, "https://media.ringcentral.com/x", TRUE));
  g_assert_true (rc_client_token_allowed (local, "http://127.0.0.1:4010/x", TRUE));
  g_assert_false (rc_client_token_allowed (local, "http://127.0.0.1:4011/x", TRUE));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/mms/limits", test_limits);
  g_test_add_func ("/mms/types", test_types);
  g_test_add_func ("/mms/body", test_body);
  g_test_add_func ("/mms/token-rule", test_token_rule);
  g_test_add_func ("/mms/download-chunked", test_download_chunked);
  g_test_add ("/mms/send", Fixture, NULL, setup, test_send, teardown);
  g_test_add ("/mms/local-refusals", Fixture, NULL, setup, test_local_refusals, teardown);
  g_test_add ("/mms/server-refusal", Fixture, NULL, setup, test_server_refusal, teardown);
  g_test_add ("/mms/download-inbound", Fixture, NULL, setup, test_download_inbound, teardown);
  g_test_add ("/mms/download-foreign", Fixture, NULL, setup, test_download_foreign, teardown);
  g_test_add ("/mms/download-too-large", Fixture, NULL, setup, test_download_too_large, teardown);
  return g_test_run ();
}
