/* rc-test-fake.c: the fake RingCentral server of the RcClient tests (see rc-test-fake.h). */
#include "rc-test-fake.h"

#include <string.h>

static GString *rc_test_fake_log; /* guarded by log_lock */
static GMutex log_lock;

typedef struct {
  guint status;
  char *body;
  char *retry_after;
} Canned;

static GLogWriterOutput
capture_writer (GLogLevelFlags level, const GLogField *fields, gsize n_fields, gpointer user_data)
{
  g_mutex_lock (&log_lock);
  for (gsize i = 0; i < n_fields; i++)
    if (g_strcmp0 (fields[i].key, "MESSAGE") == 0) {
      if (fields[i].length < 0)
        g_string_append (rc_test_fake_log, fields[i].value);
      else
        g_string_append_len (rc_test_fake_log, fields[i].value, fields[i].length);
      g_string_append_c (rc_test_fake_log, '\n');
    }
  g_mutex_unlock (&log_lock);
  if (level & (G_LOG_LEVEL_ERROR | G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_WARNING))
    return g_log_writer_default (level, fields, n_fields, user_data);
  return G_LOG_WRITER_HANDLED;
}

void
rc_test_fake_init (int *argc, char ***argv)
{
  g_setenv ("G_MESSAGES_DEBUG", "all", TRUE);
  g_test_init (argc, argv, NULL);
  rc_test_fake_log = g_string_new (NULL);
  g_log_set_writer_func (capture_writer, NULL, NULL);
}

gboolean
rc_test_fake_log_contains (const char *needle)
{
  gboolean found;

  g_mutex_lock (&log_lock);
  found = strstr (rc_test_fake_log->str, needle) != NULL;
  g_mutex_unlock (&log_lock);
  return found;
}

void
rc_test_fake_log_clear (void)
{
  g_mutex_lock (&log_lock);
  g_string_truncate (rc_test_fake_log, 0);
  g_mutex_unlock (&log_lock);
}

static void
req_free (RcTestReq *r)
{
  g_free (r->method);
  g_free (r->path);
  g_free (r->query);
  g_free (r->authorization);
  g_free (r->content_type);
  g_free (r->user_agent);
  g_free (r->body);
  g_free (r);
}

static void
canned_free (Canned *c)
{
  g_free (c->body);
  g_free (c->retry_after);
  g_free (c);
}

void
rc_test_fake_can (RcTestFake *f, guint status, const char *body, const char *retry_after)
{
  Canned *c = g_new0 (Canned, 1);

  c->status = status;
  c->body = g_strdup (body);
  c->retry_after = g_strdup (retry_after);
  g_queue_push_tail (&f->canned, c);
}

static void
handle_token (RcTestFake *f, SoupServerMessage *msg, const char *body)
{
  g_autoptr (GHashTable) form = soup_form_decode (body ? body : "");
  const char *grant = g_hash_table_lookup (form, "grant_type");
  g_autofree char *json = NULL;

  if ((g_strcmp0 (grant, "refresh_token") == 0 && f->refresh_dead)
      || (g_strcmp0 (grant, "urn:ietf:params:oauth:grant-type:jwt-bearer") == 0
          && f->jwt_refused)) {
    const char *code
        = f->refresh_dead && g_strcmp0 (grant, "refresh_token") == 0 ? "OAU-213" : "OAU-140";
    json = g_strdup_printf ("{\"error\":\"invalid_grant\",\"error_description\":\"Grant refused\","
                            "\"errors\":[{\"errorCode\":\"%s\",\"message\":\"x\"}]}",
                            code);
    rc_test_respond (msg, 400, json);
    return;
  }
  if (f->token_garbage) {
    rc_test_respond (msg, 200, "{\"token_type\":\"bearer\"}");
    return;
  }
  f->issued++;
  json = g_strdup_printf ("{\"access_token\":\"ACCESS-TOKEN-%u\",\"token_type\":\"bearer\","
                          "\"expires_in\":%" G_GINT64_FORMAT
                          ",\"refresh_token\":\"REFRESH-TOKEN-%u\","
                          "\"refresh_token_expires_in\":604800,\"scope\":\"SMS\","
                          "\"owner_id\":\"256440016\",\"session_id\":\"s\"}",
                          f->issued, f->expires_in, f->issued);
  rc_test_respond (msg, 200, json);
}

static void
fake_handler (SoupServerMessage *msg, const char *path, const char *body, gpointer user_data)
{
  RcTestFake *f = user_data;
  SoupMessageHeaders *hdrs = soup_server_message_get_request_headers (msg);
  RcTestReq *r = g_new0 (RcTestReq, 1);
  Canned *c;

  r->method = g_strdup (soup_server_message_get_method (msg));
  r->path = g_strdup (path);
  r->query = g_strdup (g_uri_get_query (soup_server_message_get_uri (msg)));
  r->authorization = g_strdup (soup_message_headers_get_one (hdrs, "Authorization"));
  r->content_type = g_strdup (soup_message_headers_get_one (hdrs, "Content-Type"));
  r->user_agent = g_strdup (soup_message_headers_get_one (hdrs, "User-Agent"));
  r->body = g_strdup (body);
  r->time_us = g_get_monotonic_time ();
  g_ptr_array_add (f->requests, r);

  if (g_strcmp0 (path, "/restapi/oauth/token") == 0) {
    handle_token (f, msg, r->body);
    return;
  }
  if (g_strcmp0 (path, "/restapi/oauth/revoke") == 0) {
    rc_test_respond (msg, 200, NULL);
    return;
  }
  c = g_queue_pop_head (&f->canned);
  if (c != NULL) {
    if (c->retry_after != NULL)
      soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Retry-After",
                                    c->retry_after);
    rc_test_respond (msg, c->status, c->body);
    canned_free (c);
    return;
  }
  {
    g_autofree char *json = g_strdup_printf ("{\"ok\":true,\"path\":\"%s\"}", path);
    rc_test_respond (msg, 200, json);
  }
}

void
rc_test_fake_setup (RcTestFake *f, gconstpointer data)
{
  memset (f, 0, sizeof *f);
  f->requests = g_ptr_array_new_with_free_func ((GDestroyNotify)req_free);
  g_queue_init (&f->canned);
  f->expires_in = 3600;
  rc_test_server_start (&f->srv, fake_handler, f);
  rc_test_fake_log_clear ();
}

void
rc_test_fake_teardown (RcTestFake *f, gconstpointer data)
{
  static const char *secrets[]
      = { RC_TEST_CLIENT_SECRET, RC_TEST_JWT,           "JWT-SECRET",
          "ACCESS-TOKEN-",       "REFRESH-TOKEN-",      "DEAD-REFRESH",
          "OLD-ACCESS",          "dGVzdC1jbGllbnQtaWQ6" /* base64 of "test-client-id:" */ };
  g_autofree char *log = NULL;

  /* Let libsoup finish closing connections before the log is checked. */
  while (g_main_context_iteration (NULL, FALSE))
    ;
  /* A copy: g_error() below logs, and the writer takes the lock. */
  g_mutex_lock (&log_lock);
  log = g_strdup (rc_test_fake_log->str);
  g_mutex_unlock (&log_lock);
  if (g_getenv ("RC_TEST_DUMP_LOG") != NULL)
    g_printerr ("%s", log);
  for (gsize i = 0; i < G_N_ELEMENTS (secrets); i++)
    if (strstr (log, secrets[i]) != NULL)
      g_error ("a secret (%s...) reached the log:\n%s", secrets[i], log);
  rc_test_server_stop (&f->srv);
  g_ptr_array_unref (f->requests);
  g_queue_clear_full (&f->canned, (GDestroyNotify)canned_free);
}

guint
rc_test_fake_count (RcTestFake *f, const char *path)
{
  guint n = 0;

  for (guint i = 0; i < f->requests->len; i++)
    if (g_strcmp0 (((RcTestReq *)f->requests->pdata[i])->path, path) == 0)
      n++;
  return n;
}

RcTestReq *
rc_test_fake_nth (RcTestFake *f, const char *path, guint nth)
{
  for (guint i = 0; i < f->requests->len; i++) {
    RcTestReq *r = f->requests->pdata[i];

    if (g_strcmp0 (r->path, path) == 0 && nth-- == 0)
      return r;
  }
  return NULL;
}

void
rc_test_fake_request_cb (GObject *source, GAsyncResult *res, gpointer user_data)
{
  RcTestCall *r = user_data;

  r->node = rc_client_request_finish (RC_CLIENT (source), res, &r->error);
  r->done = TRUE;
}

static void
sign_in_cb (GObject *source, GAsyncResult *res, gpointer user_data)
{
  RcTestCall *r = user_data;

  r->ok = rc_client_sign_in_finish (RC_CLIENT (source), res, &r->error);
  r->done = TRUE;
}

void
rc_test_call_clear (RcTestCall *r)
{
  g_clear_pointer (&r->node, json_node_unref);
  g_clear_error (&r->error);
  memset (r, 0, sizeof *r);
}

JsonNode *
rc_test_fake_request (RcClient *client, const char *method, const char *path, JsonNode *body,
                      GError **error)
{
  RcTestCall r = { 0 };

  rc_client_request_async (client, method, path, body, NULL, rc_test_fake_request_cb, &r);
  rc_test_wait_for (&r.done);
  if (r.error)
    g_propagate_error (error, r.error);
  return r.node;
}

gboolean
rc_test_fake_sign_in (RcClient *client, GError **error)
{
  RcTestCall r = { 0 };

  rc_client_sign_in_async (client, NULL, sign_in_cb, &r);
  rc_test_wait_for (&r.done);
  if (r.error)
    g_propagate_error (error, r.error);
  return r.ok;
}

static void
count_signal (RcClient *client, gpointer user_data)
{
  (*(guint *)user_data)++;
}

RcClient *
rc_test_fake_client (RcTestFake *f, guint *changed)
{
  g_autoptr (GError) error = NULL;
  RcClient *client
      = rc_client_new (f->srv.base_url, RC_TEST_CLIENT_ID, RC_TEST_CLIENT_SECRET, &error);

  g_assert_no_error (error);
  g_assert_nonnull (client);
  rc_client_set_jwt (client, RC_TEST_JWT);
  if (changed != NULL)
    g_signal_connect (client, "tokens-changed", G_CALLBACK (count_signal), changed);
  return client;
}

RcClient *
rc_test_fake_signed_in_client (RcTestFake *f)
{
  g_autoptr (GError) error = NULL;
  RcClient *client = rc_test_fake_client (f, NULL);

  g_assert_true (rc_test_fake_sign_in (client, &error));
  g_assert_no_error (error);
  return client;
}

void
rc_test_fake_weak_notify (gpointer data, GObject *where)
{
  *(gboolean *)data = TRUE;
}

gint64
rc_test_now_s (void)
{
  return g_get_real_time () / G_USEC_PER_SEC;
}
