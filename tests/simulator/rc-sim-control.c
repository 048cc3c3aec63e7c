/* rc-sim-control.c: the /_sim/ endpoints that scripts and out-of-process tests drive. */
#include "rc-sim-private.h"

#include <string.h>

static void
reply_ok (RcSimCall *call, JsonObject *extra)
{
  g_autoptr (JsonObject) o = extra ? json_object_ref (extra) : json_object_new ();
  json_object_set_boolean_member (o, "ok", TRUE);
  rc_sim_reply_object (call, 200, o);
}

static void
reply_bad (RcSimCall *call, guint status, const char *why)
{
  g_autoptr (JsonObject) o = json_object_new ();
  json_object_set_boolean_member (o, "ok", FALSE);
  json_object_set_string_member (o, "error", why);
  rc_sim_reply_object (call, status, o);
}

/* Form bodies of sign-in requests carry secrets: what leaves the process shows them masked. */
static char *
redacted_body (RcSimRequest *r)
{
  static const char *const secret[]
      = { "assertion", "client_secret", "client_assertion", "refresh_token", "token",
          "code",      "code_verifier", "password",         "access_token",  NULL };
  if (r->body == NULL)
    return NULL;
  if (r->content_type == NULL
      || !g_str_has_prefix (r->content_type, "application/x-www-form-urlencoded"))
    return g_strdup (r->body);
  g_auto (GStrv) pairs = g_strsplit (r->body, "&", -1);
  for (guint i = 0; pairs[i] != NULL; i++) {
    char *eq = strchr (pairs[i], '=');
    if (eq == NULL)
      continue;
    g_autofree char *name = g_strndup (pairs[i], eq - pairs[i]);
    if (g_strv_contains (secret, name)) {
      g_free (pairs[i]);
      pairs[i] = g_strconcat (name, "=[redacted]", NULL);
    }
  }
  return g_strjoinv ("&", pairs);
}

static void
set_nullable (JsonObject *o, const char *name, const char *value)
{
  if (value != NULL)
    json_object_set_string_member (o, name, value);
  else
    json_object_set_null_member (o, name);
}

static void
list_requests (RcSimCall *call)
{
  GPtrArray *requests = call->sim->requests;
  g_autoptr (JsonArray) arr = json_array_new ();
  for (guint i = 0; i < requests->len; i++) {
    RcSimRequest *r = requests->pdata[i];
    JsonObject *o = json_object_new ();
    json_object_set_string_member (o, "method", r->method);
    json_object_set_string_member (o, "path", r->path);
    set_nullable (o, "query", r->query);
    json_object_set_int_member (o, "status", r->status);
    set_nullable (o, "auth_kind", r->auth_kind);
    set_nullable (o, "content_type", r->content_type);
    g_autofree char *body = redacted_body (r);
    set_nullable (o, "body", body);
    json_array_add_object_element (arr, o);
  }
  g_autoptr (JsonNode) node = json_node_new (JSON_NODE_ARRAY);
  json_node_set_array (node, arr);
  rc_sim_reply_json (call, 200, node);
}

static JsonObject *
body_object (RcSimCall *call, JsonParser *parser)
{
  if (call->body == NULL || !json_parser_load_from_data (parser, call->body, -1, NULL))
    return NULL;
  JsonNode *root = json_parser_get_root (parser);
  return root && JSON_NODE_HOLDS_OBJECT (root) ? json_node_get_object (root) : NULL;
}

static guint
uint_member (JsonObject *o, const char *name, guint fallback)
{
  JsonNode *n = json_object_get_member (o, name);
  if (n != NULL && JSON_NODE_HOLDS_VALUE (n) && json_node_get_value_type (n) == G_TYPE_INT64
      && json_node_get_int (n) >= 0)
    return (guint)MIN (json_node_get_int (n), G_MAXUINT);
  return fallback;
}

static void
post_fault (RcSimCall *call)
{
  g_autoptr (JsonParser) parser = json_parser_new ();
  JsonObject *o = body_object (call, parser);
  RcSimFault fault;
  if (o == NULL || !rc_sim_fault_from_string (rc_sim_json_string (o, "fault"), &fault)) {
    reply_bad (call, 400,
               "expected {\"fault\":\"401|403|429|429-bare|500|503|malformed|slow|drop|reset-after|missing-fields|wrong-types|late\", \"path_prefix\", "
               "\"count\", \"param\"}");
    return;
  }
  rc_sim_inject_fault (call->sim, rc_sim_json_string (o, "path_prefix"), fault,
                       uint_member (o, "count", 1), uint_member (o, "param", 1));
  reply_ok (call, NULL);
}

/* E.164, or a short code (3 to 8 digits, e.g. "72975"): what a sender of a text can be. */
static gboolean
is_sender (const char *s)
{
  gsize n = 0;
  if (rc_sim_is_e164 (s))
    return TRUE;
  while (s != NULL && g_ascii_isdigit (s[n]))
    n++;
  return s != NULL && s[n] == '\0' && n >= 3 && n <= 8;
}

static void
reply_id (RcSimCall *call, char *id)
{
  g_autofree char *owned = id;
  g_autoptr (JsonObject) extra = json_object_new ();
  json_object_set_string_member (extra, "id", owned);
  reply_ok (call, extra);
}

static void
post_inbound (RcSimCall *call)
{
  g_autoptr (JsonParser) parser = json_parser_new ();
  JsonObject *o = body_object (call, parser);
  const char *from = o ? rc_sim_json_string (o, "from") : NULL;
  const char *to = o ? rc_sim_json_string (o, "to") : NULL;
  const char *text = o ? rc_sim_json_string (o, "text") : NULL;
  if (!is_sender (from) || !rc_sim_is_e164 (to) || text == NULL) {
    reply_bad (call, 400, "expected {\"from\":\"+1...\",\"to\":\"+1...\",\"text\":\"...\"}");
    return;
  }
  reply_id (call, rc_sim_add_inbound (call->sim, from, to, text));
}

/* Member @name as a NULL-terminated vector of E.164 numbers (an empty list when absent and
 * @optional), or NULL when it is anything else. */
static GStrv
numbers_member (JsonObject *o, const char *name, gboolean optional)
{
  JsonNode *n = o && json_object_has_member (o, name) ? json_object_get_member (o, name) : NULL;
  g_autoptr (GStrvBuilder) b = g_strv_builder_new ();
  if (n == NULL && optional)
    return g_strv_builder_end (b);
  if (n == NULL || !JSON_NODE_HOLDS_ARRAY (n))
    return NULL;
  JsonArray *a = json_node_get_array (n);
  for (guint i = 0; i < json_array_get_length (a); i++) {
    JsonNode *e = json_array_get_element (a, i);
    const char *v = JSON_NODE_HOLDS_VALUE (e) && json_node_get_value_type (e) == G_TYPE_STRING
                        ? json_node_get_string (e)
                        : NULL;
    if (!rc_sim_is_e164 (v))
      return NULL;
    g_strv_builder_add (b, v);
  }
  return g_strv_builder_end (b);
}

static void
post_inbound_group (RcSimCall *call)
{
  g_autoptr (JsonParser) parser = json_parser_new ();
  JsonObject *o = body_object (call, parser);
  const char *from = o ? rc_sim_json_string (o, "from") : NULL;
  const char *to = o ? rc_sim_json_string (o, "to") : NULL;
  const char *text = o ? rc_sim_json_string (o, "text") : NULL;
  g_auto (GStrv) others = numbers_member (o, "others", FALSE);
  if (!rc_sim_is_e164 (from) || !rc_sim_is_e164 (to) || text == NULL || others == NULL) {
    reply_bad (call, 400,
               "expected {\"from\":\"+1...\",\"to\":\"+1...\",\"others\":[\"+1...\"],"
               "\"text\":\"...\"}");
    return;
  }
  reply_id (call,
            rc_sim_add_inbound_group (call->sim, from, to, (const char *const *)others, text));
}

static void
post_outbound (RcSimCall *call)
{
  g_autoptr (JsonParser) parser = json_parser_new ();
  JsonObject *o = body_object (call, parser);
  const char *from = o ? rc_sim_json_string (o, "from") : NULL;
  const char *text = o ? rc_sim_json_string (o, "text") : NULL;
  g_auto (GStrv) to = numbers_member (o, "to", FALSE);
  if (!rc_sim_is_e164 (from) || text == NULL || to == NULL || to[0] == NULL) {
    reply_bad (call, 400, "expected {\"from\":\"+1...\",\"to\":[\"+1...\"],\"text\":\"...\"}");
    return;
  }
  reply_id (call, rc_sim_add_outbound (call->sim, from, (const char *const *)to, text));
}

static void
post_delivery_failure (RcSimCall *call)
{
  g_autoptr (JsonParser) parser = json_parser_new ();
  JsonObject *o = body_object (call, parser);
  const char *to = o ? rc_sim_json_string (o, "to") : NULL;
  const char *status = o ? rc_sim_json_string (o, "status") : NULL;
  gboolean status_ok = o != NULL
                       && (status != NULL || !json_object_has_member (o, "status")
                           || json_object_get_null_member (o, "status"));
  if (!rc_sim_is_e164 (to) || !status_ok || !rc_sim_delivery_status_valid (status)) {
    reply_bad (call, 400,
               "expected {\"to\":\"+1...\",\"status\":\"DeliveryFailed|SendingFailed\"|null,"
               "\"error_code\":\"SMS-CAR-413\"}");
    return;
  }
  rc_sim_set_delivery_failure (call->sim, to, status, rc_sim_json_string (o, "error_code"));
  reply_ok (call, NULL);
}

static void
post_clock_offset (RcSimCall *call)
{
  g_autoptr (JsonParser) parser = json_parser_new ();
  JsonObject *o = body_object (call, parser);
  JsonNode *n
      = o && json_object_has_member (o, "seconds") ? json_object_get_member (o, "seconds") : NULL;
  if (n == NULL || !JSON_NODE_HOLDS_VALUE (n) || json_node_get_value_type (n) != G_TYPE_INT64) {
    reply_bad (call, 400, "expected {\"seconds\": N} (negative: the server clock is behind)");
    return;
  }
  rc_sim_set_clock_offset (call->sim, json_node_get_int (n));
  reply_ok (call, NULL);
}

static void
post_numbers (RcSimCall *call)
{
  g_autoptr (GError) error = NULL;
  if (call->body == NULL || !rc_sim_set_numbers (call->sim, call->body, &error)) {
    reply_bad (call, 400, error ? error->message : "expected a JSON array of number records");
    return;
  }
  reply_ok (call, NULL);
}

static void
get_messages (RcSimCall *call)
{
  RcSim *self = call->sim;
  g_autoptr (JsonArray) arr = json_array_new ();
  for (guint i = 0; i < self->messages->len; i++)
    json_array_add_object_element (
        arr, rc_sim_message_to_json (self, call->base_url, self->messages->pdata[i]));
  g_autoptr (JsonNode) node = json_node_new (JSON_NODE_ARRAY);
  json_node_set_array (node, arr);
  rc_sim_reply_json (call, 200, node);
}

static void
get_state (RcSimCall *call)
{
  RcSim *self = call->sim;
  g_autoptr (JsonObject) o = json_object_new ();
  json_object_set_int_member (o, "port", self->port);
  json_object_set_int_member (o, "tokens_issued", self->tokens_issued);
  json_object_set_int_member (o, "messages", self->messages->len);
  json_object_set_int_member (o, "requests", self->requests->len);
  json_object_set_int_member (o, "faults_armed", self->faults->len);
  json_object_set_int_member (o, "clock_offset_s", self->clock_offset_s);
  reply_ok (call, o);
}

void
rc_sim_handle_control (RcSimCall *call)
{
  const char *what = call->path + strlen ("/_sim/");
  gboolean get = g_str_equal (call->method, "GET");
  gboolean post = g_str_equal (call->method, "POST");

  if (get && g_str_equal (what, "requests"))
    list_requests (call);
  else if (get && g_str_equal (what, "messages"))
    get_messages (call);
  else if (get && g_str_equal (what, "state"))
    get_state (call);
  else if (post && g_str_equal (what, "fault"))
    post_fault (call);
  else if (post && g_str_equal (what, "inbound"))
    post_inbound (call);
  else if (post && g_str_equal (what, "inbound-group"))
    post_inbound_group (call);
  else if (post && g_str_equal (what, "outbound"))
    post_outbound (call);
  else if (post && g_str_equal (what, "delivery-failure"))
    post_delivery_failure (call);
  else if (post && g_str_equal (what, "clock-offset"))
    post_clock_offset (call);
  else if (post && g_str_equal (what, "clear-requests")) {
    rc_sim_clear_requests (call->sim);
    reply_ok (call, NULL);
  } else if (post && g_str_equal (what, "revoke-all")) {
    rc_sim_revoke_all_tokens (call->sim);
    reply_ok (call, NULL);
  } else if (post && g_str_equal (what, "numbers"))
    post_numbers (call);
  else if (rc_sim_rate_handle_control (call, what))
    ;
  else if (rc_sim_ws_handle_control (call, what))
    ;
  else if (rc_sim_mms_handle_control (call, what))
    ;
  else if (rc_sim_authorize_handle_control (call, what))
    ;
  else
    reply_bad (call, 404, "unknown control endpoint");
}
