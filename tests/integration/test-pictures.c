/* test-mms.c: pictures and files in texts: out through an inserted <img> and Send File (the
 * multipart request the simulator saw), the limits and the MMS gate before any request, and
 * attachments in (imgstore, saved files, a foreign host never given the token); plus the order of
 * two quick texts when the server is slow.
 *
 * basic.json: +16505550100 (SMS+MMS), +16505550101 (SMS only). */
#include "itest.h"

#include <glib/gstdio.h>
#include <stdlib.h>
#include <string.h>

#define MMS_PATH "/restapi/v1.0/account/~/extension/~/mms"
#define PEER     "+16505550177" /* no auto reply */

/* A 1x1 PNG. */
static const guint8 png[] = {
  0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48, 0x44, 0x52,
  0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x06, 0x00, 0x00, 0x00, 0x1f, 0x15, 0xc4,
  0x89, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x44, 0x41, 0x54, 0x78, 0x9c, 0x63, 0xf8, 0xcf, 0xc0, 0xf0,
  0x1f, 0x00, 0x05, 0x00, 0x01, 0xff, 0x89, 0x99, 0x3d, 0x1d, 0x00, 0x00, 0x00, 0x00, 0x49, 0x45,
  0x4e, 0x44, 0xae, 0x42, 0x60, 0x82,
};

static int
add_picture (const char *name)
{
  return purple_imgstore_add_with_id (g_memdup2 (png, sizeof png), sizeof png, name);
}

/* rc_sim_last_mms() parsed (asserts there was one). */
static JsonNode *
last_mms (ITest *t)
{
  g_autofree char *text = rc_sim_last_mms (t->sim);
  JsonNode *node;

  g_assert_nonnull (text);
  g_test_message ("last mms: %s", text);
  node = json_from_string (text, NULL);
  g_assert_nonnull (node);
  return node;
}

static gint64
json_int (JsonNode *root, const char *member_path)
{
  g_auto (GStrv) parts = g_strsplit (member_path, ".", -1);
  JsonNode *node = root;

  for (guint i = 0; parts[i] != NULL; i++) {
    if (JSON_NODE_HOLDS_ARRAY (node))
      node = json_array_get_element (json_node_get_array (node), (guint)atoi (parts[i]));
    else
      node = json_object_get_member (json_node_get_object (node), parts[i]);
    g_assert_nonnull (node);
  }
  return json_node_get_int (node);
}

static guint
n_parts (JsonNode *mms)
{
  return json_array_get_length (json_object_get_array_member (json_node_get_object (mms), "parts"));
}

/* The simulator answered 200, the JSON part first, from @from to PEER with @text (NULL: none). */
static void
assert_spec_shaped (JsonNode *mms, const char *from, const char *text)
{
  const char *json_text = itest_json_string (mms, "json");
  g_autoptr (JsonNode) json = NULL;

  g_assert_cmpint (json_int (mms, "status"), ==, 200);
  g_assert_true (g_str_has_suffix (itest_json_string (mms, "path"), "/mms"));
  g_assert_true (g_str_has_prefix (itest_json_string (mms, "content_type"), "multipart/"));
  g_assert_cmpstr (itest_json_string (mms, "parts.0.content_type"), ==, "application/json");
  g_assert_nonnull (json_text);
  json = json_from_string (json_text, NULL);
  g_assert_nonnull (json);
  g_assert_cmpstr (itest_json_string (json, "from.phoneNumber"), ==, from);
  g_assert_cmpstr (itest_json_string (json, "to.0.phoneNumber"), ==, PEER);
  g_assert_null (itest_json_string (json, "to.1.phoneNumber"));
  /* What follows the picture is the text (the space the user typed after it may stay). */
  if (text == NULL)
    g_assert_null (itest_json_string (json, "text"));
  else {
    g_autofree char *got = g_strdup (itest_json_string (json, "text"));
    g_assert_nonnull (got);
    g_assert_cmpstr (g_strstrip (got), ==, text);
  }
}

static void
test_image_out (void)
{
  /* An inserted picture and text leave as one multipart request: JSON part (text "look"), then the
   * picture as image/png with its name and size; no plain /sms. */
  g_autoptr (ITest) t = itest_signed_on ("basic.json", "+16505550100", NULL);
  g_autoptr (JsonNode) mms = NULL;
  g_autofree char *html = g_strdup_printf ("<img id=\"%d\"> look", add_picture ("pic.png"));

  rcp_harness_send_im (t->h, PEER, html);
  g_assert_true (itest_wait_count (t, "POST", MMS_PATH, 1, RCP_HARNESS_TIMEOUT_MS));
  rcp_harness_run_for (200);
  g_assert_cmpuint (itest_count (t, "POST", SMS_PATH), ==, 0);
  g_assert_cmpuint (itest_count (t, "POST", MMS_PATH), ==, 1);
  mms = last_mms (t);
  assert_spec_shaped (mms, "+16505550100", "look");
  g_assert_cmpuint (n_parts (mms), ==, 2);
  g_assert_cmpstr (itest_json_string (mms, "parts.1.content_type"), ==, "image/png");
  g_assert_cmpstr (itest_json_string (mms, "parts.1.filename"), ==, "pic.png");
  g_assert_cmpint (json_int (mms, "parts.1.size"), ==, sizeof png);
}

/* A file @name in a new temporary dir holding @len bytes of @fill (free with g_free; the caller
 * removes it). */
static char *
temp_file (const char *name, gsize len, char fill)
{
  g_autofree char *dir = g_dir_make_tmp ("rcp-mms-XXXXXX", NULL);
  g_autofree char *data = g_malloc (len);
  char *path;

  g_assert_nonnull (dir);
  memset (data, fill, len);
  path = g_build_filename (dir, name, NULL);
  g_assert_true (g_file_set_contents (path, data, (gssize)len, NULL));
  return path;
}

static void
remove_temp (const char *path)
{
  g_autofree char *dir = g_path_get_dirname (path);

  g_unlink (path);
  g_rmdir (dir);
}

static gboolean
xfer_done (gpointer data)
{
  PurpleXfer *xfer = NULL;

  for (GList *l = purple_xfers_get_all (); l != NULL; l = l->next)
    xfer = l->data;
  (void)data;
  return xfer == NULL || purple_xfer_is_completed (xfer) || purple_xfer_is_canceled (xfer);
}

static void
test_file_out (void)
{
  /* Send File: one multipart request, the JSON part (no text) first, then the file as text/plain
   * with its name and size. */
  g_autoptr (ITest) t = itest_signed_on ("basic.json", "+16505550100", NULL);
  g_autofree char *path = temp_file ("notes.txt", 1234, 'a');
  g_autoptr (JsonNode) mms = NULL;

  rcp_harness_im (t->h, PEER);
  serv_send_file (rcp_harness_gc (t->h), PEER, path);
  g_assert_true (itest_wait_count (t, "POST", MMS_PATH, 1, RCP_HARNESS_TIMEOUT_MS));
  rcp_harness_wait_until (xfer_done, NULL, RCP_HARNESS_TIMEOUT_MS);
  remove_temp (path);
  mms = last_mms (t);
  assert_spec_shaped (mms, "+16505550100", NULL);
  g_assert_cmpuint (n_parts (mms), ==, 2);
  g_assert_cmpstr (itest_json_string (mms, "parts.1.content_type"), ==, "text/plain");
  g_assert_cmpstr (itest_json_string (mms, "parts.1.filename"), ==, "notes.txt");
  g_assert_cmpint (json_int (mms, "parts.1.size"), ==, 1234);
  g_assert_cmpuint (rcp_harness_count_writes (t->h, PEER, PURPLE_MESSAGE_ERROR, NULL), ==, 0);
}

static void
test_limits_before_upload (void)
{
  /* A 2 MB file is refused before any request, naming the total, the limit and the overage; 11
   * pictures in one message are refused before any request too. */
  g_autoptr (ITest) t = itest_signed_on ("basic.json", "+16505550100", NULL);
  g_autofree char *path = temp_file ("big.txt", 2000000, 'b');
  g_autoptr (GString) html = g_string_new (NULL);
  PurpleConversation *conv = rcp_harness_im (t->h, PEER);

  serv_send_file (rcp_harness_gc (t->h), PEER, path);
  g_assert_true (rcp_harness_wait_for_write (t->h, PEER, PURPLE_MESSAGE_ERROR, "too much",
                                             RCP_HARNESS_TIMEOUT_MS));
  remove_temp (path);
  itest_assert_error_line (t, conv,
                           (const char *const[]){ "Could not send the file", "2.0 MB", "1.5 MB",
                                                  "0.5 MB too much", NULL });

  for (guint i = 0; i < 11; i++)
    g_string_append_printf (html, "<img id=\"%d\">", add_picture ("p.png"));
  g_string_append (html, "eleven");
  rcp_harness_send_im (t->h, PEER, html->str);
  rcp_harness_run_for (300);
  itest_assert_error_line (t, conv, (const char *const[]){ "Could not send", "11 files",
                                                           "at most 10", NULL });
  g_assert_cmpuint (itest_count (t, "POST", MMS_PATH), ==, 0);
  g_assert_cmpuint (itest_count (t, "POST", SMS_PATH), ==, 0);
}

static void
test_picture_needs_mms (void)
{
  /* From the SMS-only number a picture is refused before any request, naming the number and MMS. */
  g_autoptr (ITest) t = itest_signed_on ("basic.json", "+16505550101", NULL);
  g_autofree char *html = g_strdup_printf ("<img id=\"%d\"> look", add_picture ("pic.png"));

  rcp_harness_send_im (t->h, PEER, html);
  rcp_harness_run_for (300);
  itest_assert_error_line (t, rcp_harness_im (t->h, PEER),
                           (const char *const[]){ "Could not send", "+1 650-555-0101", "MMS",
                                                  NULL });
  g_assert_cmpuint (itest_count (t, "POST", MMS_PATH), ==, 0);
  g_assert_cmpuint (itest_count (t, "POST", SMS_PATH), ==, 0);
}

/* The received-im-msg record whose text contains @needle, after waiting for it. */
static RcpReceivedRecord *
wait_received (ITest *t, const char *needle)
{
  GPtrArray *received;

  g_assert_true (rcp_harness_wait_for_received (t->h, NULL, needle, RCP_HARNESS_TIMEOUT_MS));
  received = rcp_harness_received (t->h);
  for (guint i = 0; i < received->len; i++) {
    RcpReceivedRecord *r = g_ptr_array_index (received, i);
    if (strstr (r->text, needle) != NULL) {
      g_test_message ("received from %s: %s", r->who, r->text);
      return r;
    }
  }
  g_assert_not_reached ();
}

static void
test_image_in (void)
{
  /* A received picture is in the imgstore (its id in the HTML), the message carries
   * PURPLE_MESSAGE_IMAGES, and a text line names it for UIs without images. */
  g_autoptr (ITest) t = itest_signed_on ("basic.json", NULL, NULL);
  g_autoptr (GBytes) data = g_bytes_new_static (png, sizeof png);
  g_autofree char *id = rc_sim_add_inbound_mms (t->sim, PEER, "+16505550100", "see this",
                                                "image/png", data, "cat.png");
  g_autofree char *line = g_strdup_printf ("[Picture: cat.png, %u bytes]", (guint)sizeof png);
  RcpReceivedRecord *r = wait_received (t, "see this");
  const char *img = strstr (r->text, "<img id=\"");

  g_assert_nonnull (img);
  g_assert_cmpint (atoi (img + strlen ("<img id=\"")), >, 0);
  g_assert_true (r->flags & PURPLE_MESSAGE_IMAGES);
  g_assert_nonnull (strstr (r->text, line));
}

static void
test_file_in_saved (void)
{
  /* A non-image attachment is saved under the user dir, and the line says where. */
  g_autoptr (ITest) t = itest_signed_on ("basic.json", NULL, NULL);
  static const char pdf[] = "%PDF-1.4 not really a pdf";
  g_autoptr (GBytes) data = g_bytes_new_static (pdf, sizeof pdf - 1);
  g_autofree char *id = rc_sim_add_inbound_mms (t->sim, PEER, "+16505550100", "the report",
                                                "application/pdf", data, "report.pdf");
  RcpReceivedRecord *r = wait_received (t, "the report");
  g_autofree char *prefix
      = g_strdup_printf ("[File report.pdf, %u bytes, saved to ", (guint)(sizeof pdf - 1));
  g_autofree char *dir
      = g_build_filename (purple_user_dir (), "ringcentral", "attachments", NULL);
  g_autofree char *contents = NULL;
  g_autofree char *path = NULL;
  const char *start = strstr (r->text, prefix);
  const char *end;
  gsize len = 0;

  g_assert_nonnull (start);
  start += strlen (prefix);
  end = strchr (start, ']');
  g_assert_nonnull (end);
  path = g_strndup (start, (gsize)(end - start));
  g_assert_true (g_str_has_prefix (path, dir));
  g_assert_true (g_str_has_suffix (path, "report.pdf"));
  g_assert_true (g_file_get_contents (path, &contents, &len, NULL));
  g_assert_cmpmem (contents, len, pdf, sizeof pdf - 1);
  g_assert_false (r->flags & PURPLE_MESSAGE_IMAGES);
  g_unlink (path);
}

static void
test_foreign_host_not_fetched (void)
{
  /* Attachments on a host that is neither the server nor its media host get no request (so not
   * the token), and the conversation says the file was not downloaded. */
  g_autoptr (ITest) t = itest_signed_on ("basic.json", NULL, NULL);
  g_autofree char *path = itest_scenario_path ("basic.json");
  g_autoptr (GError) error = NULL;
  g_autoptr (RcSim) other = rc_sim_new_from_file (path, &error);
  g_autofree char *other_url = NULL;
  g_autoptr (GBytes) data = g_bytes_new_static (png, sizeof png);
  g_autofree char *id = NULL;
  RcpReceivedRecord *r;

  g_assert_no_error (error);
  g_assert_true (rc_sim_start (other, 0, &error));
  other_url = rc_sim_get_base_url (other);
  rc_sim_set_attachment_host (t->sim, other_url);
  id = rc_sim_add_inbound_mms (t->sim, PEER, "+16505550100", "elsewhere", "image/png", data,
                               "far.png");
  r = wait_received (t, "elsewhere");
  g_assert_nonnull (strstr (r->text, "far.png could not be downloaded"));
  g_assert_nonnull (strstr (r->text, "another server"));
  g_assert_null (strstr (r->text, "<img"));
  rcp_harness_run_for (200);
  g_assert_cmpuint (rc_sim_get_requests (other)->len, ==, 0);
  g_assert_cmpuint (itest_count (t, "GET", "/restapi/v1.0/account/~/extension/~/message-store/"),
                    ==, 0);
}

static void
test_order_under_slow_server (void)
{
  /* Two texts typed quickly to one contact, the first answer slowed: the second waits for it and
   * they leave in order. */
  g_autoptr (ITest) t = itest_signed_on ("basic.json", "+16505550100", NULL);
  g_autoptr (JsonNode) first = NULL;
  g_autoptr (JsonNode) second = NULL;

  rc_sim_inject_fault (t->sim, SMS_PATH, RC_SIM_FAULT_SLOW, 1, 1500);
  rcp_harness_send_im (t->h, PEER, "first");
  rcp_harness_send_im (t->h, PEER, "second");
  g_assert_true (itest_wait_count (t, "POST", SMS_PATH, 1, RCP_HARNESS_TIMEOUT_MS));
  /* Held back while the first is unanswered (a check of absence, not a synchronisation). */
  rcp_harness_run_for (700);
  g_assert_cmpuint (itest_count (t, "POST", SMS_PATH), ==, 1);
  g_assert_true (itest_wait_count (t, "POST", SMS_PATH, 2, RCP_HARNESS_TIMEOUT_MS));
  first = itest_json (itest_request (t, "POST", SMS_PATH, 0));
  second = itest_json (itest_request (t, "POST", SMS_PATH, 1));
  g_assert_cmpstr (itest_json_string (first, "text"), ==, "first");
  g_assert_cmpstr (itest_json_string (second, "text"), ==, "second");
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  itest_add ("/mms/image-out", test_image_out, FALSE);
  itest_add ("/mms/file-out", test_file_out, FALSE);
  itest_add ("/mms/limits-before-upload", test_limits_before_upload, FALSE);
  itest_add ("/mms/picture-needs-mms", test_picture_needs_mms, FALSE);
  itest_add ("/mms/image-in", test_image_in, FALSE);
  itest_add ("/mms/file-in-saved", test_file_in_saved, FALSE);
  itest_add ("/mms/foreign-host-not-fetched", test_foreign_host_not_fetched, FALSE);
  itest_add ("/mms/order-under-slow-server", test_order_under_slow_server, FALSE);
  return g_test_run ();
}
