/* test-client.c: RcClient against a tiny in-process SoupServer on 127.0.0.1 (not the simulator):
 * grants, Bearer, 401 → one refresh + one retry, dead refresh token, 429 holds, 5xx, bad JSON,
 * URL checks, and that no debug line ever carries a secret. */
#include <libsoup/soup.h>
#include <string.h>

#include "rc-client.h"

#define CLIENT_ID     "test-client-id"
#define CLIENT_SECRET "CLIENT-SECRET-c1a2"
#define JWT           "JWT-SECRET-eyJhbGciOi.payload.sig"

/* ---- captured logs ---- */

static GString *captured_log;

static GLogWriterOutput
capture_writer (GLogLevelFlags level, const GLogField *fields, gsize n_fields, gpointer user_data)
{
  for (gsize i = 0; i < n_fields; i++)
    if (g_strcmp0 (fields[i].key, "MESSAGE") == 0) {
      if (fields[i].length < 0)
        g_string_append (captured_log, fields[i].value);
      else
        g_string_append_len (captured_log, fields[i].value, fields[i].length);
      g_string_append_c (captured_log, '\n');
    }
  if (level & (G_LOG_LEVEL_ERROR | G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_WARNING))
    return g_log_writer_default (level, fields, n_fields, user_data);
  return G_LOG_WRITER_HANDLED;
}

/* ---- the fake server ---- */

typedef struct {
  char *method;
  char *path;
  char *query;
  char *authorization;
  char *content_type;
  char *user_agent;
  char *body;
  gint64 time_us;
} Req;

typedef struct {
  guint status;
  char *body;
  char *retry_after;
} Canned;

typedef struct {
  SoupServer *server;
  char *base_url;
  GPtrArray *requests; /* Req* */
  GQueue canned;       /* Canned* for API paths, first come first served */
  guint issued;        /* tokens issued so far */
  gint64 expires_in;
  gboolean refresh_dead;  /* refresh grant → 400 invalid_grant OAU-213 */
  gboolean jwt_refused;   /* JWT grant → 400 invalid_grant OAU-140 */
  gboolean token_garbage; /* token endpoint answers non-TokenInfo JSON */
} Fake;

static void
req_free (Req *r)
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

static void
fake_can (Fake *f, guint status, const char *body, const char *retry_after)
{
  Canned *c = g_new0 (Canned, 1);

  c->status = status;
  c->body = g_strdup (body);
  c->retry_after = g_strdup (retry_after);
  g_queue_push_tail (&f->canned, c);
}

static void
respond (SoupServerMessage *msg, guint status, const char *json)
{
  soup_server_message_set_status (msg, status, NULL);
  if (json != NULL)
    soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_COPY, json,
                                      strlen (json));
}

static void
handle_token (Fake *f, SoupServerMessage *msg, const char *body)
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
    respond (msg, 400, json);
    return;
  }
  if (f->token_garbage) {
    respond (msg, 200, "{\"token_type\":\"bearer\"}");
    return;
  }
  f->issued++;
  json = g_strdup_printf ("{\"access_token\":\"ACCESS-TOKEN-%u\",\"token_type\":\"bearer\","
                          "\"expires_in\":%" G_GINT64_FORMAT
                          ",\"refresh_token\":\"REFRESH-TOKEN-%u\","
                          "\"refresh_token_expires_in\":604800,\"scope\":\"SMS\","
                          "\"owner_id\":\"256440016\",\"session_id\":\"s\"}",
                          f->issued, f->expires_in, f->issued);
  respond (msg, 200, json);
}

static void
fake_handler (SoupServer *server, SoupServerMessage *msg, const char *path, GHashTable *query,
              gpointer user_data)
{
  Fake *f = user_data;
  SoupMessageHeaders *hdrs = soup_server_message_get_request_headers (msg);
  g_autoptr (GBytes) body = soup_message_body_flatten (soup_server_message_get_request_body (msg));
  Req *r = g_new0 (Req, 1);
  Canned *c;

  r->method = g_strdup (soup_server_message_get_method (msg));
  r->path = g_strdup (path);
  r->query = g_strdup (g_uri_get_query (soup_server_message_get_uri (msg)));
  r->authorization = g_strdup (soup_message_headers_get_one (hdrs, "Authorization"));
  r->content_type = g_strdup (soup_message_headers_get_one (hdrs, "Content-Type"));
  r->user_agent = g_strdup (soup_message_headers_get_one (hdrs, "User-Agent"));
  r->body = g_strndup (g_bytes_get_data (body, NULL), g_bytes_get_size (body));
  r->time_us = g_get_monotonic_time ();
  g_ptr_array_add (f->requests, r);

  if (g_strcmp0 (path, "/restapi/oauth/token") == 0) {
    handle_token (f, msg, r->body);
    return;
  }
  if (g_strcmp0 (path, "/restapi/oauth/revoke") == 0) {
    respond (msg, 200, NULL);
    return;
  }
  c = g_queue_pop_head (&f->canned);
  if (c != NULL) {
    if (c->retry_after != NULL)
      soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Retry-After",
                                    c->retry_after);
    respond (msg, c->status, c->body);
    canned_free (c);
    return;
  }
  {
    g_autofree char *json = g_strdup_printf ("{\"ok\":true,\"path\":\"%s\"}", path);
    respond (msg, 200, json);
  }
}

static void
fake_setup (Fake *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  GSList *uris;

  memset (f, 0, sizeof *f);
  f->requests = g_ptr_array_new_with_free_func ((GDestroyNotify)req_free);
  g_queue_init (&f->canned);
  f->expires_in = 3600;
  f->server = soup_server_new (NULL, NULL);
  soup_server_add_handler (f->server, NULL, fake_handler, f, NULL);
  g_assert_true (soup_server_listen_local (f->server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error));
  g_assert_no_error (error);
  uris = soup_server_get_uris (f->server);
  f->base_url = g_strdup_printf ("http://127.0.0.1:%d", g_uri_get_port (uris->data));
  g_slist_free_full (uris, (GDestroyNotify)g_uri_unref);
  g_string_truncate (captured_log, 0);
}

static void
fake_teardown (Fake *f, gconstpointer data)
{
  static const char *secrets[]
      = { CLIENT_SECRET,  JWT,          "JWT-SECRET",          "ACCESS-TOKEN-", "REFRESH-TOKEN-",
          "DEAD-REFRESH", "OLD-ACCESS", "dGVzdC1jbGllbnQtaWQ6" /* base64 of "test-client-id:" */ };

  /* Let libsoup finish closing connections before the server goes. */
  while (g_main_context_iteration (NULL, FALSE))
    ;
  if (g_getenv ("RC_TEST_DUMP_LOG") != NULL)
    g_printerr ("%s", captured_log->str);
  for (gsize i = 0; i < G_N_ELEMENTS (secrets); i++)
    if (strstr (captured_log->str, secrets[i]) != NULL)
      g_error ("a secret (%s...) reached the log:\n%s", secrets[i], captured_log->str);
  soup_server_disconnect (f->server);
  g_clear_object (&f->server);
  g_ptr_array_unref (f->requests);
  g_queue_clear_full (&f->canned, (GDestroyNotify)canned_free);
  g_free (f->base_url);
}

static guint
count_path (Fake *f, const char *path)
{
  guint n = 0;

  for (guint i = 0; i < f->requests->len; i++)
    if (g_strcmp0 (((Req *)f->requests->pdata[i])->path, path) == 0)
      n++;
  return n;
}

static Req *
nth_req (Fake *f, const char *path, guint nth)
{
  for (guint i = 0; i < f->requests->len; i++) {
    Req *r = f->requests->pdata[i];

    if (g_strcmp0 (r->path, path) == 0 && nth-- == 0)
      return r;
  }
  return NULL;
}

/* ---- running the client ---- */

typedef struct {
  gboolean done;
  JsonNode *node;
  gboolean ok;
  GError *error;
} Result;

static gboolean
loop_timeout (gpointer data)
{
  g_error ("test timed out waiting for the client");
  return G_SOURCE_REMOVE;
}

static void
wait_for (gboolean *flag)
{
  guint id = g_timeout_add_seconds (20, loop_timeout, NULL);

  while (!*flag)
    g_main_context_iteration (NULL, TRUE);
  g_source_remove (id);
}

static void
request_cb (GObject *source, GAsyncResult *res, gpointer user_data)
{
  Result *r = user_data;

  r->node = rc_client_request_finish (RC_CLIENT (source), res, &r->error);
  r->done = TRUE;
}

static void
sign_in_cb (GObject *source, GAsyncResult *res, gpointer user_data)
{
  Result *r = user_data;

  r->ok = rc_client_sign_in_finish (RC_CLIENT (source), res, &r->error);
  r->done = TRUE;
}

static void
result_clear (Result *r)
{
  g_clear_pointer (&r->node, json_node_unref);
  g_clear_error (&r->error);
  memset (r, 0, sizeof *r);
}

static JsonNode *
do_request (RcClient *client, const char *method, const char *path, JsonNode *body, GError **error)
{
  Result r = { 0 };

  rc_client_request_async (client, method, path, body, NULL, request_cb, &r);
  wait_for (&r.done);
  if (r.error)
    g_propagate_error (error, r.error);
  return r.node;
}

static gboolean
do_sign_in (RcClient *client, GError **error)
{
  Result r = { 0 };

  rc_client_sign_in_async (client, NULL, sign_in_cb, &r);
  wait_for (&r.done);
  if (r.error)
    g_propagate_error (error, r.error);
  return r.ok;
}

static void
count_signal (RcClient *client, gpointer user_data)
{
  (*(guint *)user_data)++;
}

static RcClient *
make_client (Fake *f, guint *changed)
{
  g_autoptr (GError) error = NULL;
  RcClient *client = rc_client_new (f->base_url, CLIENT_ID, CLIENT_SECRET, &error);

  g_assert_no_error (error);
  g_assert_nonnull (client);
  rc_client_set_jwt (client, JWT);
  if (changed != NULL)
    g_signal_connect (client, "tokens-changed", G_CALLBACK (count_signal), changed);
  return client;
}

static gint64
now_s (void)
{
  return g_get_real_time () / G_USEC_PER_SEC;
}

/* ---- tests ---- */

static void
test_jwt_grant (Fake *f, gconstpointer data)
{
  guint changed = 0;
  g_autoptr (RcClient) client = make_client (f, &changed);
  g_autoptr (GError) error = NULL;
  g_autoptr (GHashTable) form = NULL;
  g_autofree char *b64 = g_base64_encode ((const guchar *)CLIENT_ID ":" CLIENT_SECRET,
                                          strlen (CLIENT_ID ":" CLIENT_SECRET));
  g_autofree char *basic = g_strconcat ("Basic ", b64, NULL);
  const RcTokens *tokens;
  Req *r;

  g_assert_true (do_sign_in (client, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (changed, ==, 1);
  g_assert_cmpuint (f->requests->len, ==, 1);
  r = nth_req (f, "/restapi/oauth/token", 0);
  g_assert_nonnull (r);
  g_assert_cmpstr (r->method, ==, "POST");
  g_assert_cmpstr (r->authorization, ==, basic);
  g_assert_true (g_str_has_prefix (r->content_type, "application/x-www-form-urlencoded"));
  g_assert_cmpstr (r->user_agent, ==, "purple-ringcentral/0.1");
  form = soup_form_decode (r->body);
  g_assert_cmpstr (g_hash_table_lookup (form, "grant_type"), ==,
                   "urn:ietf:params:oauth:grant-type:jwt-bearer");
  g_assert_cmpstr (g_hash_table_lookup (form, "assertion"), ==, JWT);
  g_assert_null (g_hash_table_lookup (form, "client_secret"));

  tokens = rc_client_get_tokens (client);
  g_assert_cmpstr (tokens->access_token, ==, "ACCESS-TOKEN-1");
  g_assert_cmpstr (tokens->refresh_token, ==, "REFRESH-TOKEN-1");
  g_assert_cmpstr (tokens->owner_id, ==, "256440016");
  g_assert_cmpint (ABS (tokens->access_expires_at - (now_s () + 3600)), <=, 5);
  g_assert_cmpint (ABS (tokens->refresh_expires_at - (now_s () + 604800)), <=, 5);

  /* A second sign-in keeps the valid token: nothing sent. */
  g_assert_true (do_sign_in (client, &error));
  g_assert_cmpuint (f->requests->len, ==, 1);
  g_assert_cmpuint (changed, ==, 1);

  /* The debug log saw the request (so the secret checks in teardown mean something). */
  g_assert_nonnull (strstr (captured_log->str, "/restapi/oauth/token"));
}

static void
test_bearer (Fake *f, gconstpointer data)
{
  guint changed = 0;
  g_autoptr (RcClient) client = make_client (f, &changed);
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonNode) answer = NULL;
  g_autoptr (JsonNode) body = json_from_string ("{\"text\":\"hi \\\"there\\\"\"}", NULL);
  Req *r;

  /* No sign-in first: the request gets a token by itself. */
  answer = do_request (client, "POST", "/restapi/v1.0/account/~/extension/~/sms?x=1", body, &error);
  g_assert_no_error (error);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (answer));
  g_assert_true (json_object_get_boolean_member (json_node_get_object (answer), "ok"));
  g_assert_cmpuint (changed, ==, 1);
  r = nth_req (f, "/restapi/v1.0/account/~/extension/~/sms", 0);
  g_assert_nonnull (r);
  g_assert_cmpstr (r->authorization, ==, "Bearer ACCESS-TOKEN-1");
  g_assert_cmpstr (r->query, ==, "x=1");
  g_assert_cmpstr (r->method, ==, "POST");
  g_assert_true (g_str_has_prefix (r->content_type, "application/json"));
  g_assert_cmpstr (r->body, ==, "{\"text\":\"hi \\\"there\\\"\"}");
  g_assert_cmpuint (count_path (f, "/restapi/oauth/token"), ==, 1);
}

static void
test_401_refresh_retry (Fake *f, gconstpointer data)
{
  guint changed = 0;
  g_autoptr (RcClient) client = make_client (f, &changed);
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonNode) answer = NULL;
  g_autoptr (GHashTable) form = NULL;
  Req *refresh;

  g_assert_true (do_sign_in (client, &error));
  fake_can (f, 401, "{\"errorCode\":\"OAU-128\",\"message\":\"expired\"}", NULL);
  answer = do_request (client, "GET", "/restapi/v1.0/x", NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (answer);
  g_assert_cmpuint (count_path (f, "/restapi/v1.0/x"), ==, 2);
  g_assert_cmpuint (count_path (f, "/restapi/oauth/token"), ==, 2);
  refresh = nth_req (f, "/restapi/oauth/token", 1);
  form = soup_form_decode (refresh->body);
  g_assert_cmpstr (g_hash_table_lookup (form, "grant_type"), ==, "refresh_token");
  g_assert_cmpstr (g_hash_table_lookup (form, "refresh_token"), ==, "REFRESH-TOKEN-1");
  g_assert_true (g_str_has_prefix (refresh->authorization, "Basic "));
  g_assert_cmpstr (nth_req (f, "/restapi/v1.0/x", 0)->authorization, ==, "Bearer ACCESS-TOKEN-1");
  g_assert_cmpstr (nth_req (f, "/restapi/v1.0/x", 1)->authorization, ==, "Bearer ACCESS-TOKEN-2");
  g_assert_cmpuint (changed, ==, 2);
}

static void
test_401_twice (Fake *f, gconstpointer data)
{
  g_autoptr (RcClient) client = make_client (f, NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonNode) answer = NULL;

  g_assert_true (do_sign_in (client, &error));
  fake_can (f, 401, "{\"errorCode\":\"OAU-128\"}", NULL);
  fake_can (f, 401, "{\"errorCode\":\"OAU-128\"}", NULL);
  fake_can (f, 401, "{\"errorCode\":\"OAU-128\"}", NULL);
  answer = do_request (client, "GET", "/restapi/v1.0/x", NULL, &error);
  g_assert_null (answer);
  g_assert_error (error, RC_ERROR, RC_ERROR_AUTH_FAILED);
  g_assert_cmpstr (error->message, ==, "The RingCentral session has ended; sign in again.");
  g_assert_cmpuint (count_path (f, "/restapi/v1.0/x"), ==, 2);
  g_assert_cmpuint (count_path (f, "/restapi/oauth/token"), ==, 2);
}

static void
test_concurrent_401_single_refresh (Fake *f, gconstpointer data)
{
  g_autoptr (RcClient) client = make_client (f, NULL);
  g_autoptr (GError) error = NULL;
  Result r[3] = { { 0 } };

  g_assert_true (do_sign_in (client, &error));
  for (int i = 0; i < 3; i++)
    fake_can (f, 401, "{\"errorCode\":\"OAU-128\"}", NULL);
  for (int i = 0; i < 3; i++)
    rc_client_request_async (client, "GET", "/restapi/v1.0/x", NULL, NULL, request_cb, &r[i]);
  for (int i = 0; i < 3; i++) {
    wait_for (&r[i].done);
    g_assert_no_error (r[i].error);
    result_clear (&r[i]);
  }
  g_assert_cmpuint (count_path (f, "/restapi/oauth/token"), ==, 2); /* JWT + one refresh */
  g_assert_cmpuint (count_path (f, "/restapi/v1.0/x"), ==, 6);
}

static void
set_dead_tokens (RcClient *client)
{
  g_autoptr (RcTokens) t = rc_tokens_new ();

  t->access_token = g_strdup ("OLD-ACCESS");
  t->access_expires_at = now_s () - 10;
  t->refresh_token = g_strdup ("DEAD-REFRESH");
  t->refresh_expires_at = now_s () + 3600;
  rc_client_set_tokens (client, t);
}

static void
test_dead_refresh_one_jwt (Fake *f, gconstpointer data)
{
  guint changed = 0;
  g_autoptr (RcClient) client = make_client (f, &changed);
  g_autoptr (GError) error = NULL;
  g_autoptr (GHashTable) f0 = NULL;
  g_autoptr (GHashTable) f1 = NULL;

  set_dead_tokens (client);
  f->refresh_dead = TRUE;
  g_assert_true (do_sign_in (client, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (count_path (f, "/restapi/oauth/token"), ==, 2);
  f0 = soup_form_decode (nth_req (f, "/restapi/oauth/token", 0)->body);
  f1 = soup_form_decode (nth_req (f, "/restapi/oauth/token", 1)->body);
  g_assert_cmpstr (g_hash_table_lookup (f0, "refresh_token"), ==, "DEAD-REFRESH");
  g_assert_cmpstr (g_hash_table_lookup (f1, "grant_type"), ==,
                   "urn:ietf:params:oauth:grant-type:jwt-bearer");
  g_assert_cmpstr (rc_client_get_tokens (client)->access_token, ==, "ACCESS-TOKEN-1");
  g_assert_cmpuint (changed, ==, 1);
}

static void
test_dead_refresh_and_jwt_no_loop (Fake *f, gconstpointer data)
{
  g_autoptr (RcClient) client = make_client (f, NULL);
  g_autoptr (GError) error = NULL;
  g_autofree char *code = NULL;

  set_dead_tokens (client);
  f->refresh_dead = TRUE;
  f->jwt_refused = TRUE;
  g_assert_false (do_sign_in (client, &error));
  g_assert_error (error, RC_ERROR, RC_ERROR_AUTH_FAILED);
  code = rc_error_get_api_code (error);
  g_assert_cmpstr (code, ==, "OAU-140");
  g_assert_true (g_str_has_prefix (error->message, "Grant refused"));
  g_assert_cmpuint (count_path (f, "/restapi/oauth/token"), ==, 2);

  /* A request now also fails after exactly one more JWT try (the refresh token is forgotten). */
  g_clear_error (&error);
  g_assert_null (do_request (client, "GET", "/restapi/v1.0/x", NULL, &error));
  g_assert_error (error, RC_ERROR, RC_ERROR_AUTH_FAILED);
  g_assert_cmpuint (count_path (f, "/restapi/oauth/token"), ==, 3);
  g_assert_cmpuint (count_path (f, "/restapi/v1.0/x"), ==, 0);
}

static void
test_proactive_refresh (Fake *f, gconstpointer data)
{
  g_autoptr (RcClient) client = make_client (f, NULL);
  g_autoptr (RcTokens) t = rc_tokens_new ();
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonNode) answer = NULL;
  g_autoptr (GHashTable) form = NULL;

  t->access_token = g_strdup ("OLD-ACCESS");
  t->access_expires_at = now_s () + 30; /* under the 60 s margin */
  t->refresh_token = g_strdup ("REFRESH-TOKEN-0");
  t->refresh_expires_at = now_s () + 3600;
  rc_client_set_tokens (client, t);
  answer = do_request (client, "GET", "/restapi/v1.0/x", NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (count_path (f, "/restapi/oauth/token"), ==, 1);
  form = soup_form_decode (nth_req (f, "/restapi/oauth/token", 0)->body);
  g_assert_cmpstr (g_hash_table_lookup (form, "grant_type"), ==, "refresh_token");
  g_assert_cmpstr (nth_req (f, "/restapi/v1.0/x", 0)->authorization, ==, "Bearer ACCESS-TOKEN-1");
}

static void
test_refresh_public_client (Fake *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (RcClient) client = rc_client_new (f->base_url, CLIENT_ID, NULL, &error);
  g_autoptr (GHashTable) form = NULL;
  Req *r;

  g_assert_no_error (error);
  set_dead_tokens (client);
  g_assert_true (do_sign_in (client, &error));
  r = nth_req (f, "/restapi/oauth/token", 0);
  form = soup_form_decode (r->body);
  g_assert_null (r->authorization);
  g_assert_cmpstr (g_hash_table_lookup (form, "client_id"), ==, CLIENT_ID);
  g_assert_cmpstr (g_hash_table_lookup (form, "grant_type"), ==, "refresh_token");
}

typedef struct {
  Fake *f;
  RcClient *client;
  Result second;
} LateRequest;

static gboolean
send_late_request (gpointer user_data)
{
  LateRequest *late = user_data;

  rc_client_request_async (late->client, "GET", "/restapi/v1.0/late", NULL, NULL, request_cb,
                           &late->second);
  return G_SOURCE_REMOVE;
}

static void
test_429_holds (Fake *f, gconstpointer data)
{
  g_autoptr (RcClient) client = make_client (f, NULL);
  g_autoptr (GError) error = NULL;
  Result first = { 0 };
  LateRequest late = { f, client, { 0 } };
  gint64 t429;

  g_assert_true (do_sign_in (client, &error));
  fake_can (f, 429, "{\"errorCode\":\"CMN-301\"}", "1");
  rc_client_request_async (client, "GET", "/restapi/v1.0/x", NULL, NULL, request_cb, &first);
  g_timeout_add (300, send_late_request, &late);
  wait_for (&first.done);
  wait_for (&late.second.done);
  g_assert_no_error (first.error);
  g_assert_no_error (late.second.error);
  g_assert_nonnull (first.node);

  t429 = nth_req (f, "/restapi/v1.0/x", 0)->time_us;
  g_assert_cmpuint (count_path (f, "/restapi/v1.0/x"), ==, 2);
  g_assert_cmpuint (count_path (f, "/restapi/v1.0/late"), ==, 1);
  /* Nothing at all reached the server during the penalty second. */
  for (guint i = 0; i < f->requests->len; i++) {
    Req *r = f->requests->pdata[i];

    if (r->time_us > t429)
      g_assert_cmpint (r->time_us - t429, >=, 900 * 1000);
  }
  result_clear (&first);
  result_clear (&late.second);
}

static void
test_429_gives_up (Fake *f, gconstpointer data)
{
  g_autoptr (RcClient) client = make_client (f, NULL);
  g_autoptr (GError) error = NULL;

  g_assert_true (do_sign_in (client, &error));
  for (int i = 0; i < 3; i++)
    fake_can (f, 429, "{\"errorCode\":\"CMN-301\"}", "0");
  g_assert_null (do_request (client, "GET", "/restapi/v1.0/x", NULL, &error));
  g_assert_error (error, RC_ERROR, RC_ERROR_RATE_LIMITED);
  g_assert_cmpuint (count_path (f, "/restapi/v1.0/x"), ==, 3);
}

static void
test_5xx (Fake *f, gconstpointer data)
{
  g_autoptr (RcClient) client = make_client (f, NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonNode) answer = NULL;

  g_assert_true (do_sign_in (client, &error));
  fake_can (f, 500, "{\"errorCode\":\"CMN-201\"}", NULL);
  g_assert_null (do_request (client, "GET", "/restapi/v1.0/x", NULL, &error));
  g_assert_error (error, RC_ERROR, RC_ERROR_NETWORK);
  g_assert_cmpuint (count_path (f, "/restapi/v1.0/x"), ==, 1);

  /* 503 with Retry-After is resent once. */
  g_clear_error (&error);
  fake_can (f, 503, NULL, "0");
  answer = do_request (client, "GET", "/restapi/v1.0/y", NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (count_path (f, "/restapi/v1.0/y"), ==, 2);
}

static void
test_network_error (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (RcClient) client = NULL;
  g_autoptr (GSocket) sock = NULL;
  g_autoptr (GInetAddress) lo = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr (GSocketAddress) addr = g_inet_socket_address_new (lo, 0);
  g_autoptr (GSocketAddress) bound = NULL;
  g_autofree char *url = NULL;

  /* A port that is bound but not listening: connection refused. */
  sock = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, &error);
  g_assert_no_error (error);
  g_assert_true (g_socket_bind (sock, addr, TRUE, &error));
  bound = g_socket_get_local_address (sock, &error);
  url = g_strdup_printf ("http://127.0.0.1:%u",
                         g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound)));
  client = rc_client_new (url, CLIENT_ID, CLIENT_SECRET, &error);
  g_assert_no_error (error);
  rc_client_set_jwt (client, JWT);
  g_assert_false (do_sign_in (client, &error));
  g_assert_error (error, RC_ERROR, RC_ERROR_NETWORK);
}

static void
test_bad_json (Fake *f, gconstpointer data)
{
  g_autoptr (RcClient) client = make_client (f, NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonNode) empty = NULL;

  g_assert_true (do_sign_in (client, &error));
  fake_can (f, 200, "{\"records\":[1,2", NULL);
  g_assert_null (do_request (client, "GET", "/restapi/v1.0/x", NULL, &error));
  g_assert_error (error, RC_ERROR, RC_ERROR_BAD_RESPONSE);

  g_clear_error (&error);
  fake_can (f, 200, NULL, NULL);
  empty = do_request (client, "PUT", "/restapi/v1.0/x", NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (empty);
  g_assert_true (JSON_NODE_HOLDS_NULL (empty));
}

static void
test_token_garbage (Fake *f, gconstpointer data)
{
  g_autoptr (RcClient) client = make_client (f, NULL);
  g_autoptr (GError) error = NULL;

  f->token_garbage = TRUE;
  g_assert_false (do_sign_in (client, &error));
  g_assert_error (error, RC_ERROR, RC_ERROR_BAD_RESPONSE);
  g_assert_null (rc_client_get_tokens (client)->access_token);
}

static void
test_url_validation (void)
{
  static const char *ok[] = { "http://127.0.0.1:1234", "https://platform.ringcentral.com",
                              "http://localhost",      "http://127.5.5.5",
                              "http://[::1]:80",       "https://platform.ringcentral.com/" };
  static const char *bad[] = { "http://example.com", "http://192.168.1.1", "gopher://x", "",
                               "platform.ringcentral.com" };
  g_autoptr (GError) error = NULL;
  g_autoptr (RcClient) client = NULL;

  for (gsize i = 0; i < G_N_ELEMENTS (ok); i++) {
    g_autoptr (RcClient) c = rc_client_new (ok[i], CLIENT_ID, NULL, &error);

    g_test_message ("accepts %s", ok[i]);
    g_assert_no_error (error);
    g_assert_nonnull (c);
  }
  for (gsize i = 0; i < G_N_ELEMENTS (bad); i++) {
    g_autoptr (RcClient) c = rc_client_new (bad[i], CLIENT_ID, NULL, &error);

    g_test_message ("refuses %s", bad[i]);
    g_assert_null (c);
    g_assert_error (error, RC_ERROR, RC_ERROR_INVALID_SETTINGS);
    g_assert_cmpuint (strlen (error->message), >, 10);
    g_clear_error (&error);
  }
  g_assert_null (rc_client_new ("https://platform.ringcentral.com", "", NULL, &error));
  g_assert_error (error, RC_ERROR, RC_ERROR_INVALID_SETTINGS);
  g_clear_error (&error);

  client = rc_client_new ("https://platform.ringcentral.com/", CLIENT_ID, NULL, &error);
  g_assert_cmpstr (rc_client_get_server_url (client), ==, "https://platform.ringcentral.com");
  g_assert_true (rc_client_is_same_origin (client, "https://platform.ringcentral.com/restapi/x"));
  g_assert_true (rc_client_is_same_origin (client, "https://PLATFORM.ringcentral.com:443/x"));
  g_assert_false (rc_client_is_same_origin (client, "https://media.ringcentral.com/x"));
  g_assert_false (rc_client_is_same_origin (client, "http://platform.ringcentral.com/x"));
  g_assert_false (rc_client_is_same_origin (client, "https://platform.ringcentral.com.evil/x"));
}

static void
test_other_origin_refused (Fake *f, gconstpointer data)
{
  g_autoptr (RcClient) client = make_client (f, NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonNode) same = NULL;
  g_autofree char *other
      = g_strdup_printf ("http://127.0.0.2:%s/restapi/v1.0/x", strrchr (f->base_url, ':') + 1);
  g_autofree char *same_url = g_strconcat (f->base_url, "/restapi/v1.0/abs?page=2", NULL);

  g_assert_null (do_request (client, "GET", other, NULL, &error));
  g_assert_error (error, RC_ERROR, RC_ERROR_INVALID_INPUT);
  g_clear_error (&error);
  g_assert_null (do_request (client, "GET", "https://evil.example/restapi", NULL, &error));
  g_assert_error (error, RC_ERROR, RC_ERROR_INVALID_INPUT);
  g_clear_error (&error);
  g_assert_null (do_request (client, "GET", "restapi/v1.0/x", NULL, &error));
  g_assert_error (error, RC_ERROR, RC_ERROR_INVALID_INPUT);
  g_clear_error (&error);
  g_assert_cmpuint (f->requests->len, ==, 0); /* nothing sent, not even a grant */

  same = do_request (client, "GET", same_url, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (count_path (f, "/restapi/v1.0/abs"), ==, 1);
  g_assert_cmpstr (nth_req (f, "/restapi/v1.0/abs", 0)->query, ==, "page=2");
}

static void
test_cancel (Fake *f, gconstpointer data)
{
  g_autoptr (RcClient) client = make_client (f, NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (GCancellable) cancellable = g_cancellable_new ();
  Result r = { 0 };
  gint64 start;

  /* Cancelled while waiting for the grant. */
  rc_client_request_async (client, "GET", "/restapi/v1.0/x", NULL, cancellable, request_cb, &r);
  g_cancellable_cancel (cancellable);
  wait_for (&r.done);
  g_assert_error (r.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  result_clear (&r);

  /* Cancelled during a 429 hold: returns at once, not after the penalty. */
  g_assert_true (do_sign_in (client, &error));
  fake_can (f, 429, NULL, "30");
  g_cancellable_reset (cancellable);
  rc_client_request_async (client, "GET", "/restapi/v1.0/x", NULL, cancellable, request_cb, &r);
  while (count_path (f, "/restapi/v1.0/x") == 0)
    g_main_context_iteration (NULL, TRUE);
  for (int i = 0; i < 20; i++)
    g_main_context_iteration (NULL, FALSE);
  start = g_get_monotonic_time ();
  g_cancellable_cancel (cancellable);
  wait_for (&r.done);
  g_assert_error (r.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpint (g_get_monotonic_time () - start, <, 2 * G_USEC_PER_SEC);
  result_clear (&r);
}

static void
weak_notify (gpointer data, GObject *where)
{
  *(gboolean *)data = TRUE;
}

static void
test_dispose_during_timer_refresh (Fake *f, gconstpointer data)
{
  RcClient *client = make_client (f, NULL);
  g_autoptr (RcTokens) t = rc_tokens_new ();
  gboolean gone = FALSE;

  /* Expires in 5 min: the proactive timer fires after its 10 s minimum; freeing the client
   * before must not leave a timer or callback behind (ASan would tell). */
  t->access_token = g_strdup ("OLD-ACCESS");
  t->access_expires_at = now_s () + 300;
  t->refresh_token = g_strdup ("REFRESH-TOKEN-0");
  rc_client_set_tokens (client, t);
  g_object_weak_ref (G_OBJECT (client), weak_notify, &gone);
  g_object_unref (client);
  g_assert_true (gone);
}

static void
test_unref_pending (Fake *f, gconstpointer data)
{
  RcClient *client = make_client (f, NULL);
  gboolean gone = FALSE;
  Result r = { 0 };

  /* The caller drops its reference while a request runs: the request still completes (the task
   * keeps the client alive), then the client goes away. */
  g_object_weak_ref (G_OBJECT (client), weak_notify, &gone);
  rc_client_request_async (client, "GET", "/restapi/v1.0/x", NULL, NULL, request_cb, &r);
  g_object_unref (client);
  g_assert_false (gone);
  wait_for (&r.done);
  g_assert_no_error (r.error);
  for (int i = 0; i < 100 && !gone; i++)
    g_main_context_iteration (NULL, FALSE);
  g_assert_true (gone);
  result_clear (&r);
}

static void
test_revoke_cb (GObject *source, GAsyncResult *res, gpointer user_data)
{
  Result *r = user_data;

  r->ok = rc_client_revoke_finish (RC_CLIENT (source), res, &r->error);
  r->done = TRUE;
}

static void
test_revoke (Fake *f, gconstpointer data)
{
  guint changed = 0;
  g_autoptr (RcClient) client = make_client (f, &changed);
  g_autoptr (GError) error = NULL;
  g_autoptr (GHashTable) form = NULL;
  Result r = { 0 };

  g_assert_true (do_sign_in (client, &error));
  rc_client_revoke_async (client, NULL, test_revoke_cb, &r);
  wait_for (&r.done);
  g_assert_true (r.ok);
  g_assert_cmpuint (count_path (f, "/restapi/oauth/revoke"), ==, 1);
  form = soup_form_decode (nth_req (f, "/restapi/oauth/revoke", 0)->body);
  g_assert_cmpstr (g_hash_table_lookup (form, "token"), ==, "REFRESH-TOKEN-1");
  g_assert_true (
      g_str_has_prefix (nth_req (f, "/restapi/oauth/revoke", 0)->authorization, "Basic "));
  g_assert_null (rc_client_get_tokens (client)->access_token);
  g_assert_null (rc_client_get_tokens (client)->refresh_token);
  g_assert_cmpuint (changed, ==, 2);
}

static void
test_refresh_timer (Fake *f, gconstpointer data)
{
  guint changed = 0;
  g_autoptr (RcClient) client = make_client (f, &changed);
  g_autoptr (RcTokens) t = rc_tokens_new ();
  g_autoptr (GHashTable) form = NULL;
  gboolean never = FALSE;
  guint id;

  if (!g_test_slow ()) {
    g_test_skip ("waits 10 s; run with -m slow");
    return;
  }
  t->access_token = g_strdup ("OLD-ACCESS");
  t->access_expires_at = now_s () + 300;
  t->refresh_token = g_strdup ("REFRESH-TOKEN-0");
  rc_client_set_tokens (client, t);
  id = g_timeout_add_seconds (15, loop_timeout, NULL);
  while (changed == 0 && !never)
    g_main_context_iteration (NULL, TRUE);
  g_source_remove (id);
  form = soup_form_decode (nth_req (f, "/restapi/oauth/token", 0)->body);
  g_assert_cmpstr (g_hash_table_lookup (form, "grant_type"), ==, "refresh_token");
  g_assert_cmpstr (rc_client_get_tokens (client)->access_token, ==, "ACCESS-TOKEN-1");
}

int
main (int argc, char **argv)
{
  g_setenv ("G_MESSAGES_DEBUG", "all", TRUE);
  g_test_init (&argc, &argv, NULL);
  captured_log = g_string_new (NULL);
  g_log_set_writer_func (capture_writer, NULL, NULL);

#define ADD(name, fn) g_test_add ("/client/" name, Fake, NULL, fake_setup, fn, fake_teardown)
  ADD ("jwt-grant", test_jwt_grant);
  ADD ("bearer", test_bearer);
  ADD ("401-refresh-retry", test_401_refresh_retry);
  ADD ("401-twice", test_401_twice);
  ADD ("concurrent-401-single-refresh", test_concurrent_401_single_refresh);
  ADD ("dead-refresh-one-jwt", test_dead_refresh_one_jwt);
  ADD ("dead-refresh-and-jwt-no-loop", test_dead_refresh_and_jwt_no_loop);
  ADD ("proactive-refresh", test_proactive_refresh);
  ADD ("refresh-public-client", test_refresh_public_client);
  ADD ("429-holds", test_429_holds);
  ADD ("429-gives-up", test_429_gives_up);
  ADD ("5xx", test_5xx);
  ADD ("bad-json", test_bad_json);
  ADD ("token-garbage", test_token_garbage);
  ADD ("other-origin-refused", test_other_origin_refused);
  ADD ("cancel", test_cancel);
  ADD ("dispose", test_dispose_during_timer_refresh);
  ADD ("unref-pending", test_unref_pending);
  ADD ("revoke", test_revoke);
  ADD ("refresh-timer", test_refresh_timer);
#undef ADD
  g_test_add_func ("/client/network-error", test_network_error);
  g_test_add_func ("/client/url-validation", test_url_validation);
  return g_test_run ();
}
