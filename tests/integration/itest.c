/* itest.c: shared set-up and request-log helpers for the integration tests. */
#include "itest.h"

#include <string.h>

#ifndef RCP_SCENARIOS_DIR
#define RCP_SCENARIOS_DIR ""
#endif

char *
itest_scenario_path (const char *scenario)
{
  const char *dir = g_getenv ("RCP_SCENARIOS_DIR");

  if (dir == NULL || *dir == '\0')
    dir = RCP_SCENARIOS_DIR;
  return g_build_filename (dir, scenario, NULL);
}

ITest *
itest_new (const char *scenario, const char *username)
{
  g_autofree char *path = itest_scenario_path (scenario);
  g_autoptr (GError) error = NULL;
  ITest *t = g_new0 (ITest, 1);

  t->sim = rc_sim_new_from_file (path, &error);
  g_assert_no_error (error);
  rc_sim_start (t->sim, 0, &error);
  g_assert_no_error (error);
  t->server_url = rc_sim_get_base_url (t->sim);

  if (rcp_harness_conformance_requested ()) {
    t->prism = rcp_prism_start (t->server_url, &error);
    if (t->prism == NULL)
      g_error ("conformance run: %s", error->message);
    g_free (t->server_url);
    t->server_url = g_strdup (rcp_prism_url (t->prism));
  }

  t->h = rcp_harness_new ();
  t->account
      = rcp_harness_add_account (t->h, username ? username : "test@example.com", t->server_url);
  return t;
}

void
itest_free (ITest *t)
{
  if (t == NULL)
    return;
  /* The account goes first, so nothing talks to the proxy or simulator afterwards. */
  g_clear_pointer (&t->h, rcp_harness_free);
  if (t->prism != NULL) {
    g_autofree char *violations = rcp_prism_violations (t->prism);
    g_autofree char *log = rcp_prism_log (t->prism);
    g_test_message ("Prism log:\n%s", log);
    if (violations != NULL) {
      g_test_fail_printf ("Prism (OpenAPI conformance) reported:\n%s", violations);
    }
    g_clear_pointer (&t->prism, rcp_prism_stop);
  }
  g_clear_object (&t->sim);
  g_free (t->server_url);
  g_free (t);
}

void
itest_add (const char *path, GTestFunc func, gboolean conformance)
{
  if (conformance || !rcp_harness_conformance_requested ())
    g_test_add_func (path, func);
}

/* ---- request log ---- */

/* @path_prefix names one resource: a path below it (".../phone-number/1/sms-configuration" under
 * ".../phone-number") is another one, unless the prefix ends with '/' ("/restapi/oauth/"). */
static gboolean
request_matches (RcSimRequest *req, const char *method, const char *path_prefix)
{
  gsize len = path_prefix != NULL ? strlen (path_prefix) : 0;

  return (method == NULL || g_strcmp0 (req->method, method) == 0)
         && (path_prefix == NULL
             || (g_str_has_prefix (req->path, path_prefix)
                 && (len == 0 || path_prefix[len - 1] == '/' || req->path[len] != '/')));
}

guint
itest_count (ITest *t, const char *method, const char *path_prefix)
{
  GPtrArray *requests = rc_sim_get_requests (t->sim);
  guint n = 0;

  for (guint i = 0; i < requests->len; i++)
    if (request_matches (g_ptr_array_index (requests, i), method, path_prefix))
      n++;
  return n;
}

RcSimRequest *
itest_request (ITest *t, const char *method, const char *path_prefix, guint nth)
{
  GPtrArray *requests = rc_sim_get_requests (t->sim);

  for (guint i = 0; i < requests->len; i++) {
    RcSimRequest *req = g_ptr_array_index (requests, i);
    if (request_matches (req, method, path_prefix) && nth-- == 0)
      return req;
  }
  return NULL;
}

int
itest_request_index (ITest *t, RcSimRequest *req)
{
  GPtrArray *requests = rc_sim_get_requests (t->sim);
  guint index;

  return g_ptr_array_find (requests, req, &index) ? (int)index : -1;
}

typedef struct {
  ITest *t;
  const char *method;
  const char *path_prefix;
  guint n;
} CountQuery;

static gboolean
count_reached (gpointer data)
{
  CountQuery *q = data;

  return itest_count (q->t, q->method, q->path_prefix) >= q->n;
}

gboolean
itest_wait_count (ITest *t, const char *method, const char *path_prefix, guint n, guint timeout_ms)
{
  CountQuery q = { t, method, path_prefix, n };

  return rcp_harness_wait_until (count_reached, &q, timeout_ms);
}

static gboolean
push_up (gpointer data)
{
  return rc_sim_ws_count_connections (((ITest *)data)->sim) > 0;
}

gboolean
itest_wait_push (ITest *t)
{
  return rcp_harness_wait_until (push_up, t, RCP_HARNESS_TIMEOUT_MS);
}

char *
itest_dump_requests (ITest *t)
{
  GPtrArray *requests = rc_sim_get_requests (t->sim);
  GString *out = g_string_new (NULL);

  for (guint i = 0; i < requests->len; i++) {
    RcSimRequest *req = g_ptr_array_index (requests, i);
    g_string_append_printf (out, "%u: %s %s%s%s -> %u (%s)\n", i, req->method, req->path,
                            req->query ? "?" : "", req->query ? req->query : "", req->status,
                            req->auth_kind ? req->auth_kind : "no auth");
  }
  return g_string_free (out, FALSE);
}

GHashTable *
itest_form (RcSimRequest *req)
{
  GHashTable *form = NULL;

  if (req->body != NULL)
    form = g_uri_parse_params (req->body, -1, "&", G_URI_PARAMS_WWW_FORM, NULL);
  return form ? form : g_hash_table_new (g_str_hash, g_str_equal);
}

guint
itest_count_grants (ITest *t, const char *grant, guint from)
{
  GPtrArray *requests = rc_sim_get_requests (t->sim);
  guint n = 0;

  for (guint i = from; i < requests->len; i++) {
    RcSimRequest *req = g_ptr_array_index (requests, i);
    g_autoptr (GHashTable) form = NULL;
    if (!request_matches (req, "POST", TOKEN_PATH))
      continue;
    form = itest_form (req);
    if (g_strcmp0 (g_hash_table_lookup (form, "grant_type"), grant) == 0)
      n++;
  }
  return n;
}

JsonNode *
itest_json (RcSimRequest *req)
{
  if (req == NULL || req->body == NULL)
    return NULL;
  return json_from_string (req->body, NULL);
}

const char *
itest_json_string (JsonNode *root, const char *path)
{
  g_auto (GStrv) parts = g_strsplit (path, ".", -1);
  JsonNode *node = root;

  for (guint i = 0; parts[i] != NULL && node != NULL; i++) {
    if (JSON_NODE_HOLDS_OBJECT (node)) {
      JsonObject *obj = json_node_get_object (node);
      node = json_object_has_member (obj, parts[i]) ? json_object_get_member (obj, parts[i]) : NULL;
    } else if (JSON_NODE_HOLDS_ARRAY (node)) {
      JsonArray *arr = json_node_get_array (node);
      guint index = (guint)g_ascii_strtoull (parts[i], NULL, 10);
      node = index < json_array_get_length (arr) ? json_array_get_element (arr, index) : NULL;
    } else
      node = NULL;
  }
  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node)
      || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

char *
itest_numbers_without (const char *scenario, const char *e164)
{
  g_autofree char *path = itest_scenario_path (scenario);
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonArray) kept = json_array_new ();
  g_autoptr (JsonNode) out = json_node_new (JSON_NODE_ARRAY);
  JsonArray *numbers;

  json_parser_load_from_file (parser, path, &error);
  g_assert_no_error (error);
  numbers = json_object_get_array_member (json_node_get_object (json_parser_get_root (parser)),
                                          "numbers");
  for (guint i = 0; i < json_array_get_length (numbers); i++) {
    JsonObject *n = json_array_get_object_element (numbers, i);
    if (g_strcmp0 (json_object_get_string_member (n, "phoneNumber"), e164) != 0)
      json_array_add_element (kept, json_node_copy (json_array_get_element (numbers, i)));
  }
  json_node_set_array (out, kept);
  return json_to_string (out, FALSE);
}

/* ---- conversation output ---- */

GPtrArray *
itest_lines_since (RcpHarness *h, const char *conv_name, guint from)
{
  GPtrArray *writes = rcp_harness_writes (h);
  GPtrArray *lines = g_ptr_array_new_with_free_func (g_free);

  for (guint i = from; i < writes->len; i++) {
    RcpWriteRecord *rec = g_ptr_array_index (writes, i);
    g_autofree char *text = NULL;
    g_auto (GStrv) split = NULL;
    if (conv_name != NULL && g_strcmp0 (rec->conv_name, conv_name) != 0)
      continue;
    /* <br> and newlines both separate lines; other markup is stripped as a UI shows it. */
    {
      g_autoptr (GRegex) br = g_regex_new ("<br\\s*/?>", G_REGEX_CASELESS, 0, NULL);
      g_autofree char *plain = g_regex_replace_literal (br, rec->text, -1, 0, "\n", 0, NULL);
      text = purple_markup_strip_html (plain);
    }
    split = g_strsplit (text, "\n", -1);
    for (guint j = 0; split[j] != NULL; j++)
      if (*g_strstrip (split[j]) != '\0')
        g_ptr_array_add (lines, g_strdup (split[j]));
  }
  return lines;
}

char *
itest_sent_from (ITest *t, guint nth)
{
  RcSimRequest *req;
  g_autoptr (JsonNode) body = NULL;

  g_assert_true (itest_wait_count (t, "POST", SMS_PATH, nth + 1, RCP_HARNESS_TIMEOUT_MS));
  req = itest_request (t, "POST", SMS_PATH, nth);
  body = itest_json (req);
  g_assert_nonnull (body);
  return g_strdup (itest_json_string (body, "from.phoneNumber"));
}

void
itest_assert_error_line (ITest *t, PurpleConversation *conv, const char *const *needles)
{
  const char *name = purple_conversation_get_name (conv);

  for (guint i = 0; needles[i] != NULL; i++)
    if (rcp_harness_find_write (t->h, name, PURPLE_MESSAGE_ERROR, needles[i]) == NULL) {
      g_autofree char *dump = rcp_harness_dump_writes (t->h, name);
      g_error ("no error line with \"%s\" in:\n%s", needles[i], dump);
    }
}

guint
itest_count_notifies (ITest *t, int type, const char *needle)
{
  GPtrArray *notifies = rcp_harness_notifies (t->h);
  guint count = 0;

  for (guint i = 0; i < notifies->len; i++) {
    RcpNotifyRecord *n = g_ptr_array_index (notifies, i);
    if ((type < 0 || (int)n->type == type)
        && ((n->primary != NULL && strstr (n->primary, needle) != NULL)
            || (n->secondary != NULL && strstr (n->secondary, needle) != NULL)))
      count++;
  }
  return count;
}

/* ---- menus ---- */

PurpleMenuAction *
itest_menu_find (GList *items, const char *label_part)
{
  for (GList *l = items; l != NULL; l = l->next) {
    PurpleMenuAction *act = l->data;
    if (act != NULL && act->label != NULL && strstr (act->label, label_part) != NULL)
      return act;
  }
  return NULL;
}

void
itest_menu_free (GList *items)
{
  for (GList *l = items; l != NULL; l = l->next) {
    PurpleMenuAction *act = l->data;
    if (act == NULL)
      continue;
    itest_menu_free (act->children);
    purple_menu_action_free (act);
  }
  g_list_free (items);
}

/* ---- restarts ---- */

typedef struct {
  ITest *t;
  GDataInputStream *out;
  GString *output;
  ITestChildLine on_line;
  gpointer data;
  gboolean eof;
  gboolean exited;
  int status;
} SelfRun;

static void self_read_line (SelfRun *run);

static void
self_line_read (GObject *source, GAsyncResult *result, gpointer data)
{
  SelfRun *run = data;
  g_autofree char *line = g_data_input_stream_read_line_finish_utf8 (G_DATA_INPUT_STREAM (source),
                                                                     result, NULL, NULL);

  if (line == NULL) {
    run->eof = TRUE;
    return;
  }
  g_string_append_printf (run->output, "%s\n", line);
  if (run->on_line != NULL)
    run->on_line (run->t, line, run->data);
  self_read_line (run);
}

static void
self_read_line (SelfRun *run)
{
  g_data_input_stream_read_line_async (run->out, G_PRIORITY_DEFAULT, NULL, self_line_read, run);
}

static void
self_exited (GObject *source, GAsyncResult *result, gpointer data)
{
  SelfRun *run = data;

  g_subprocess_wait_finish (G_SUBPROCESS (source), result, NULL);
  /* A second run that aborted (a failed assertion) has no exit status. */
  run->status = g_subprocess_get_if_exited (G_SUBPROCESS (source))
                    ? g_subprocess_get_exit_status (G_SUBPROCESS (source))
                    : -1;
  run->exited = TRUE;
}

static gboolean
self_done (gpointer data)
{
  SelfRun *run = data;

  return run->exited && run->eof;
}

char *
itest_run_self (ITest *t, const char *const *args, ITestChildLine on_line, gpointer data,
                int *status)
{
  g_autofree char *self = g_file_read_link ("/proc/self/exe", NULL);
  g_autoptr (GPtrArray) argv = g_ptr_array_new ();
  g_autoptr (GSubprocess) child = NULL;
  g_autoptr (GError) error = NULL;
  SelfRun run = { .t = t, .on_line = on_line, .data = data, .status = -1 };

  g_assert_nonnull (self);
  g_ptr_array_add (argv, self);
  for (guint i = 0; args != NULL && args[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer)args[i]);
  g_ptr_array_add (argv, NULL);
  child = g_subprocess_newv ((const char *const *)argv->pdata, G_SUBPROCESS_FLAGS_STDOUT_PIPE,
                             &error);
  g_assert_no_error (error);
  run.output = g_string_new (NULL);
  run.out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (child));
  self_read_line (&run);
  g_subprocess_wait_async (child, NULL, self_exited, &run);
  /* A guard only: the second run signs on and sends a few texts. */
  g_assert_true (rcp_harness_wait_until (self_done, &run, 120000));
  g_clear_object (&run.out);
  if (status != NULL)
    *status = run.status;
  return g_string_free (run.output, FALSE);
}

ITest *
itest_signed_on (const char *scenario, const char *default_from, const char *from_map)
{
  ITest *t = itest_new (scenario, NULL);

  if (default_from != NULL)
    purple_account_set_string (t->account, "default_from", default_from);
  if (from_map != NULL)
    purple_account_set_string (t->account, "from_map", from_map);
  rcp_harness_sign_on_ok (t->h);
  return t;
}

void
itest_assert_only_notify (ITest *t, PurpleNotifyMsgType type, const char *const *needles)
{
  GPtrArray *notifies = rcp_harness_notifies (t->h);
  RcpNotifyRecord *n;

  g_assert_cmpuint (notifies->len, ==, 1);
  n = g_ptr_array_index (notifies, 0);
  g_assert_cmpint (n->type, ==, type);
  g_assert_nonnull (n->secondary);
  for (guint i = 0; needles[i] != NULL; i++)
    if (strstr (n->secondary, needles[i]) == NULL)
      g_error ("the notification \"%s\" does not contain \"%s\"", n->secondary, needles[i]);
}

PurpleChat *
itest_save_chat (ITest *t, const char *participants)
{
  GHashTable *components = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  PurpleChat *chat;

  g_hash_table_insert (components, g_strdup ("participants"), g_strdup (participants));
  chat = purple_chat_new (t->account, NULL, components);
  purple_blist_add_chat (chat, NULL, NULL);
  return chat;
}
