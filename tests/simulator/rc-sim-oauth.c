/* rc-sim-oauth.c: /restapi/oauth/token (JWT, refresh, authorization code) and /revoke, and the
 * Bearer check of API calls. */
#include "rc-sim-private.h"

#include <string.h>

#define JWT_GRANT "urn:ietf:params:oauth:grant-type:jwt-bearer"
#define SCOPES    "ReadAccounts ReadMessages EditMessages SMS WebSocketsSubscription"

void
rc_sim_session_free (RcSimSession *s)
{
  if (s == NULL)
    return;
  g_free (s->session_id);
  g_free (s->access_token);
  g_free (s->refresh_token);
  g_free (s);
}

static RcSimSession *
find_session (RcSim *self, const char *access, const char *refresh)
{
  for (guint i = 0; i < self->sessions->len; i++) {
    RcSimSession *s = self->sessions->pdata[i];
    if ((access != NULL && g_strcmp0 (s->access_token, access) == 0)
        || (refresh != NULL && g_strcmp0 (s->refresh_token, refresh) == 0))
      return s;
  }
  return NULL;
}

/* The form's TTL wish, honoured only downwards from the scenario's value. */
static guint
requested_ttl (GPtrArray *form, const char *name, guint scenario_ttl)
{
  guint v;
  if (rc_sim_parse_uint (rc_sim_param (form, name), &v) && v > 0)
    return MIN (v, scenario_ttl);
  return scenario_ttl;
}

/* New access/refresh pair for @s (old ones die at once: single-use rotation). */
static void
issue_tokens (RcSimCall *call, RcSimSession *s, GPtrArray *form)
{
  RcSim *self = call->sim;
  guint access_ttl = requested_ttl (form, "access_token_ttl", self->access_ttl);
  guint refresh_ttl = requested_ttl (form, "refresh_token_ttl", self->refresh_ttl);
  g_free (s->access_token);
  g_free (s->refresh_token);
  s->access_token = rc_sim_random_token ("simAT");
  s->refresh_token = rc_sim_random_token ("simRT");
  gint64 now = g_get_monotonic_time ();
  s->access_expires = now + (gint64)access_ttl * G_USEC_PER_SEC;
  s->refresh_expires = now + (gint64)refresh_ttl * G_USEC_PER_SEC;
  self->tokens_issued++;

  const char *endpoint = rc_sim_param (form, "endpoint_id");
  g_autofree char *endpoint_gen = NULL;
  if (endpoint == NULL || *endpoint == '\0')
    endpoint = endpoint_gen = rc_sim_random_token ("") /* 43 chars */;

  g_autoptr (JsonObject) o = json_object_new ();
  json_object_set_string_member (o, "access_token", s->access_token);
  json_object_set_string_member (o, "token_type", "bearer");
  json_object_set_int_member (o, "expires_in", access_ttl);
  json_object_set_string_member (o, "refresh_token", s->refresh_token);
  json_object_set_int_member (o, "refresh_token_expires_in", refresh_ttl);
  json_object_set_string_member (o, "scope", SCOPES);
  g_autofree char *owner = g_strdup_printf ("%" G_GINT64_FORMAT, self->extension_id);
  json_object_set_string_member (o, "owner_id", owner);
  json_object_set_string_member (o, "endpoint_id", endpoint);
  json_object_set_string_member (o, "session_id", s->session_id);
  SoupMessageHeaders *h = soup_server_message_get_response_headers (call->msg);
  soup_message_headers_replace (h, "Cache-Control", "no-store");
  soup_message_headers_replace (h, "Pragma", "no-cache");
  rc_sim_reply_object (call, 200, o);
}

typedef enum { CLIENT_BAD, CLIENT_CONFIDENTIAL, CLIENT_PUBLIC } ClientKind;

/* Basic client_id:client_secret, or client_id (+ optional client_secret) in the body. On
 * CLIENT_BAD the 401 is already written. */
static ClientKind
check_client (RcSimCall *call, GPtrArray *form)
{
  RcSim *self = call->sim;
  SoupMessageHeaders *h = soup_server_message_get_request_headers (call->msg);
  const char *auth = soup_message_headers_get_one (h, "Authorization");
  if (auth != NULL && g_ascii_strncasecmp (auth, "Basic ", 6) == 0) {
    gsize len = 0;
    g_autofree guchar *raw = g_base64_decode (auth + 6, &len);
    g_autofree char *pair = raw ? g_strndup ((const char *)raw, len) : NULL;
    char *colon = pair ? strchr (pair, ':') : NULL;
    if (colon == NULL) {
      rc_sim_reply_oauth_error (call, 401, "invalid_client", "OAU-123",
                                "Invalid Authorization header value");
      return CLIENT_BAD;
    }
    *colon = '\0';
    if (g_strcmp0 (pair, self->client_id) != 0 || g_strcmp0 (colon + 1, self->client_secret) != 0) {
      rc_sim_reply_oauth_error (call, 401, "invalid_client", "OAU-146",
                                "Invalid client credentials");
      return CLIENT_BAD;
    }
    return CLIENT_CONFIDENTIAL;
  }
  const char *id = rc_sim_param (form, "client_id");
  if (id == NULL) {
    rc_sim_reply_oauth_error (call, 401, "invalid_client", "OAU-123",
                              "Client authentication is required");
    return CLIENT_BAD;
  }
  const char *secret = rc_sim_param (form, "client_secret");
  if (g_strcmp0 (id, self->client_id) != 0
      || (secret != NULL && g_strcmp0 (secret, self->client_secret) != 0)) {
    rc_sim_reply_oauth_error (call, 401, "invalid_client", "OAU-146", "Invalid client credentials");
    return CLIENT_BAD;
  }
  return secret != NULL ? CLIENT_CONFIDENTIAL : CLIENT_PUBLIC;
}

static gboolean
is_form (RcSimCall *call)
{
  return g_strcmp0 (call->content_type, "application/x-www-form-urlencoded") == 0;
}

void
rc_sim_handle_token (RcSimCall *call)
{
  RcSim *self = call->sim;
  if (!is_form (call)) {
    rc_sim_reply_oauth_error (call, 415, "invalid_request", "CMN-415",
                              "Unsupported Media Type: use application/x-www-form-urlencoded");
    return;
  }
  g_autoptr (GPtrArray) form = rc_sim_parse_params (call->body);
  ClientKind client = check_client (call, form);
  if (client == CLIENT_BAD)
    return;

  const char *grant = rc_sim_param (form, "grant_type");
  if (g_strcmp0 (grant, JWT_GRANT) == 0) {
    const char *assertion = rc_sim_param (form, "assertion");
    if (client == CLIENT_PUBLIC)
      rc_sim_reply_oauth_error (call, 401, "invalid_client", "OAU-123",
                                "Client authentication is required");
    else if (assertion == NULL || *assertion == '\0')
      rc_sim_reply_oauth_error (call, 400, "invalid_request", "OAU-145",
                                "Required parameter [assertion] is missing");
    else if (g_strcmp0 (assertion, self->jwt) != 0)
      rc_sim_reply_oauth_error (call, 400, "invalid_grant", "OAU-140",
                                "Invalid assertion signature");
    else {
      RcSimSession *s = g_new0 (RcSimSession, 1);
      s->session_id
          = g_strdup_printf ("%" G_GINT64_FORMAT, (gint64)9000000000 + self->sessions->len + 1);
      g_ptr_array_add (self->sessions, s);
      issue_tokens (call, s, form);
    }
    return;
  }
  if (g_strcmp0 (grant, "authorization_code") == 0) {
    /* Public (PKCE, client_id in the body) or confidential (Basic) clients alike. */
    if (rc_sim_check_code_grant (call, form)) {
      RcSimSession *s = g_new0 (RcSimSession, 1);
      s->session_id
          = g_strdup_printf ("%" G_GINT64_FORMAT, (gint64)9000000000 + self->sessions->len + 1);
      g_ptr_array_add (self->sessions, s);
      issue_tokens (call, s, form);
    }
    return;
  }
  if (g_strcmp0 (grant, "refresh_token") == 0) {
    const char *rt = rc_sim_param (form, "refresh_token");
    RcSimSession *s = rt && *rt ? find_session (self, NULL, rt) : NULL;
    if (rt == NULL || *rt == '\0')
      rc_sim_reply_oauth_error (call, 400, "invalid_request", "OAU-145",
                                "Required parameter [refresh_token] is missing");
    else if (s == NULL || s->revoked || s->refresh_expires <= g_get_monotonic_time ())
      rc_sim_reply_oauth_error (call, 400, "invalid_grant", "OAU-213", "Token not found");
    else
      issue_tokens (call, s, form);
    return;
  }
  if (grant == NULL)
    rc_sim_reply_oauth_error (call, 400, "invalid_request", "OAU-145",
                              "Required parameter [grant_type] is missing");
  else
    rc_sim_reply_oauth_error (call, 400, "unsupported_grant_type", "OAU-250",
                              "Unsupported grant type");
}

void
rc_sim_handle_revoke (RcSimCall *call)
{
  g_autoptr (GPtrArray) form = rc_sim_parse_params (is_form (call) ? call->body : NULL);
  const char *token = rc_sim_param (form, "token");
  if (token == NULL)
    token = rc_sim_param (call->params, "token");
  RcSimSession *s = token ? find_session (call->sim, token, token) : NULL;
  if (s != NULL)
    s->revoked = TRUE; /* the whole OAuth session ends */
  soup_server_message_set_status (call->msg, 200, NULL);
  soup_server_message_set_response (call->msg, NULL, SOUP_MEMORY_STATIC, NULL, 0);
  call->record->status = 200;
}

void
rc_sim_revoke_all_tokens (RcSim *self)
{
  g_return_if_fail (RC_IS_SIM (self));
  for (guint i = 0; i < self->sessions->len; i++)
    ((RcSimSession *)self->sessions->pdata[i])->revoked = TRUE;
}

static void
reply_401 (RcSimCall *call, const char *code, const char *message)
{
  g_autofree char *www = g_strdup_printf (
      "Bearer realm=\"RingCentral REST API\", error=\"invalid_token\", error_description=\"%s\"",
      message);
  soup_message_headers_replace (soup_server_message_get_response_headers (call->msg),
                                "WWW-Authenticate", www);
  rc_sim_reply_error (call, 401, code, message, NULL);
}

/* Expired → OAU-128; unknown, superseded or revoked → OAU-129 (the server forgets them). */
gboolean
rc_sim_check_bearer (RcSimCall *call)
{
  const char *token = call->record->bearer_token;
  if (token == NULL)
    token = rc_sim_param (call->params, "access_token");
  if (token == NULL || *token == '\0') {
    reply_401 (call, "OAU-123", "Authorization header is not specified");
    return FALSE;
  }
  RcSimSession *s = find_session (call->sim, token, NULL);
  if (s == NULL || s->revoked) {
    reply_401 (call, "OAU-129", "Access token corrupted");
    return FALSE;
  }
  if (s->access_expires <= g_get_monotonic_time ()) {
    reply_401 (call, "OAU-128", "Access token expired");
    return FALSE;
  }
  call->session = s;
  return TRUE;
}
