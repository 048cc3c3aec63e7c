/* rc-sim-authorize.c: GET /restapi/oauth/authorize (auto-approving) and the authorization_code
 * grant's checks (fact sheet §1 "Authorization code (+PKCE)", "OAuth error shape"). */
#include "rc-sim-private.h"

#include <string.h>

#define DEFAULT_REDIRECT_URI "http://127.0.0.1:5000/oauth2callback"

struct _RcSimAuthCode {
  char *code;
  char *client_id;
  char *redirect_uri;
  char *challenge; /* or NULL: no PKCE */
  char *method;    /* "S256" or "plain" */
  gint64 expires;  /* monotonic µs */
  gboolean used;
};

void
rc_sim_auth_code_free (RcSimAuthCode *c)
{
  if (c == NULL)
    return;
  g_free (c->code);
  g_free (c->client_id);
  g_free (c->redirect_uri);
  g_free (c->challenge);
  g_free (c->method);
  g_free (c);
}

void
rc_sim_authorize_init (RcSim *self, JsonArray *redirect_uris)
{
  self->redirect_uris = g_ptr_array_new_with_free_func (g_free);
  self->auth_codes = g_ptr_array_new_with_free_func ((GDestroyNotify)rc_sim_auth_code_free);
  if (self->auth_code_ttl_s == 0)
    self->auth_code_ttl_s = 60;
  if (redirect_uris == NULL) {
    g_ptr_array_add (self->redirect_uris, g_strdup (DEFAULT_REDIRECT_URI));
    return;
  }
  for (guint i = 0; i < json_array_get_length (redirect_uris); i++) {
    JsonNode *n = json_array_get_element (redirect_uris, i);
    if (JSON_NODE_HOLDS_VALUE (n) && json_node_get_value_type (n) == G_TYPE_STRING)
      g_ptr_array_add (self->redirect_uris, g_strdup (json_node_get_string (n)));
  }
}

void
rc_sim_add_redirect_uri (RcSim *self, const char *uri)
{
  g_return_if_fail (RC_IS_SIM (self));
  g_return_if_fail (uri != NULL);
  g_ptr_array_add (self->redirect_uris, g_strdup (uri));
}

void
rc_sim_set_auth_code_ttl (RcSim *self, guint seconds)
{
  g_return_if_fail (RC_IS_SIM (self));
  self->auth_code_ttl_s = MAX (seconds, 1);
}

guint
rc_sim_get_authorize_count (RcSim *self)
{
  g_return_val_if_fail (RC_IS_SIM (self), 0);
  return self->authorize_count;
}

static gboolean
redirect_registered (RcSim *self, const char *uri)
{
  for (guint i = 0; i < self->redirect_uris->len; i++)
    if (g_str_equal (self->redirect_uris->pdata[i], uri))
      return TRUE;
  return FALSE;
}

/* base64url(SHA-256(@verifier)) without padding (RFC 7636 §4.2). */
static char *
s256 (const char *verifier)
{
  g_autoptr (GChecksum) sum = g_checksum_new (G_CHECKSUM_SHA256);
  guint8 digest[32];
  gsize len = sizeof digest;
  g_checksum_update (sum, (const guchar *)verifier, (gssize)strlen (verifier));
  g_checksum_get_digest (sum, digest, &len);
  char *b64 = g_base64_encode (digest, len);
  for (char *p = b64; *p; p++)
    *p = *p == '+' ? '-' : *p == '/' ? '_' : *p;
  char *pad = strchr (b64, '=');
  if (pad != NULL)
    *pad = '\0';
  return b64;
}

/* Appends name=value (escaped) to a redirect's query. */
static void
query_add (GString *url, const char *name, const char *value)
{
  g_autofree char *escaped = g_uri_escape_string (value, NULL, FALSE);
  g_string_append_c (url, strchr (url->str, '?') ? '&' : '?');
  g_string_append_printf (url, "%s=%s", name, escaped);
}

void
rc_sim_handle_authorize (RcSimCall *call)
{
  RcSim *self = call->sim;
  GPtrArray *p = call->params;
  const char *response_type = rc_sim_param (p, "response_type");
  const char *client_id = rc_sim_param (p, "client_id");
  const char *redirect_uri = rc_sim_param (p, "redirect_uri");
  const char *state = rc_sim_param (p, "state");
  const char *challenge = rc_sim_param (p, "code_challenge");
  const char *method = rc_sim_param (p, "code_challenge_method");

  self->authorize_count++;
  if (client_id == NULL || *client_id == '\0') {
    rc_sim_reply_oauth_error (call, 400, "invalid_request", "OAU-145",
                              "Required parameter [client_id] is missing");
    return;
  }
  if (!g_str_equal (client_id, self->client_id)) {
    rc_sim_reply_oauth_error (call, 400, "invalid_client", "OAU-120",
                              "Client application is not found");
    return;
  }
  if (self->redirect_uris->len == 0) {
    rc_sim_reply_oauth_error (call, 400, "invalid_client", "OAU-113",
                              "No redirect URI is registered for this application");
    return;
  }
  if (redirect_uri == NULL || !redirect_registered (self, redirect_uri)) {
    rc_sim_reply_oauth_error (call, 400, "invalid_grant", "OAU-109", "Redirect URIs do not match");
    return;
  }
  if (g_strcmp0 (response_type, "code") != 0) {
    rc_sim_reply_oauth_error (call, 400, "unsupported_response_type", "OAU-112",
                              "Unsupported response type; only [code] is supported");
    return;
  }
  if (method != NULL && !g_str_equal (method, "S256") && !g_str_equal (method, "plain")) {
    rc_sim_reply_oauth_error (call, 400, "invalid_request", "OAU-101",
                              "Parameter [code_challenge_method] value is invalid");
    return;
  }
  if (method != NULL && (challenge == NULL || *challenge == '\0')) {
    rc_sim_reply_oauth_error (call, 400, "invalid_request", "OAU-145",
                              "Required parameter [code_challenge] is missing");
    return;
  }

  /* Auto-approve: the user "signed in" at once. */
  RcSimAuthCode *c = g_new0 (RcSimAuthCode, 1);
  c->code = rc_sim_random_token ("simAC");
  c->client_id = g_strdup (client_id);
  c->redirect_uri = g_strdup (redirect_uri);
  c->challenge = challenge ? g_strdup (challenge) : NULL;
  c->method = g_strdup (method ? method : "plain"); /* plain is the default (SPEC) */
  c->expires = g_get_monotonic_time () + (gint64)self->auth_code_ttl_s * G_USEC_PER_SEC;
  g_ptr_array_add (self->auth_codes, c);

  GString *location = g_string_new (redirect_uri);
  query_add (location, "code", c->code);
  if (state != NULL)
    query_add (location, "state", state);
  g_autofree char *ttl = g_strdup_printf ("%u", self->auth_code_ttl_s);
  query_add (location, "expires_in", ttl);
  soup_message_headers_replace (soup_server_message_get_response_headers (call->msg), "Location",
                                location->str);
  g_string_free (location, TRUE);
  soup_server_message_set_status (call->msg, 302, NULL);
  soup_server_message_set_response (call->msg, NULL, SOUP_MEMORY_STATIC, NULL, 0);
  call->record->status = 302;
}

gboolean
rc_sim_check_code_grant (RcSimCall *call, GPtrArray *form)
{
  RcSim *self = call->sim;
  const char *code = rc_sim_param (form, "code");
  const char *redirect_uri = rc_sim_param (form, "redirect_uri");
  const char *verifier = rc_sim_param (form, "code_verifier");
  const char *client_id = rc_sim_param (form, "client_id");
  RcSimAuthCode *c = NULL;

  if (code == NULL || *code == '\0') {
    rc_sim_reply_oauth_error (call, 400, "invalid_request", "OAU-145",
                              "Required parameter [code] is missing");
    return FALSE;
  }
  for (guint i = 0; i < self->auth_codes->len && c == NULL; i++)
    if (g_str_equal (((RcSimAuthCode *)self->auth_codes->pdata[i])->code, code))
      c = self->auth_codes->pdata[i];
  if (c == NULL || c->used) {
    rc_sim_reply_oauth_error (call, 400, "invalid_grant", "OAU-106", "Invalid authorization code");
    return FALSE;
  }
  c->used = TRUE; /* single-use, whatever comes next */
  if (c->expires <= g_get_monotonic_time ()) {
    rc_sim_reply_oauth_error (call, 400, "invalid_grant", "OAU-108", "Authorization code expired");
    return FALSE;
  }
  /* Basic auth already proved the client; a public client names itself in the body. */
  if (client_id != NULL && !g_str_equal (client_id, c->client_id)) {
    rc_sim_reply_oauth_error (call, 400, "invalid_grant", "OAU-110",
                              "Authorization code was not issued for this application");
    return FALSE;
  }
  if (g_strcmp0 (redirect_uri, c->redirect_uri) != 0) {
    rc_sim_reply_oauth_error (call, 400, "invalid_grant", "OAU-109", "Redirect URIs do not match");
    return FALSE;
  }
  if (c->challenge != NULL) {
    g_autofree char *computed = NULL;
    if (verifier == NULL || *verifier == '\0') {
      rc_sim_reply_oauth_error (call, 400, "invalid_request", "OAU-145",
                                "Required parameter [code_verifier] is missing");
      return FALSE;
    }
    computed = g_str_equal (c->method, "S256") ? s256 (verifier) : g_strdup (verifier);
    if (!g_str_equal (computed, c->challenge)) {
      rc_sim_reply_oauth_error (call, 400, "invalid_grant", "OAU-106",
                                "Code verifier does not match the code challenge");
      return FALSE;
    }
  }
  return TRUE;
}

/* POST /_sim/redirect-uri {"uri": "http://127.0.0.1:PORT/path"} */
static void
post_redirect_uri (RcSimCall *call)
{
  g_autoptr (JsonParser) parser = json_parser_new ();
  JsonNode *root = NULL;
  const char *uri = NULL;
  if (call->body != NULL && json_parser_load_from_data (parser, call->body, -1, NULL))
    root = json_parser_get_root (parser);
  if (root != NULL && JSON_NODE_HOLDS_OBJECT (root))
    uri = rc_sim_json_string (json_node_get_object (root), "uri");
  g_autoptr (JsonObject) o = json_object_new ();
  json_object_set_boolean_member (o, "ok", uri != NULL);
  if (uri == NULL)
    json_object_set_string_member (o, "error",
                                   "expected {\"uri\": \"http://127.0.0.1:PORT/path\"}");
  else
    rc_sim_add_redirect_uri (call->sim, uri);
  rc_sim_reply_object (call, uri != NULL ? 200 : 400, o);
}

gboolean
rc_sim_authorize_handle_control (RcSimCall *call, const char *what)
{
  if (g_str_equal (call->method, "POST") && g_str_equal (what, "redirect-uri")) {
    post_redirect_uri (call);
    return TRUE;
  }
  return FALSE;
}
