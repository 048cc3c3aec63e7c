/* rc-auth.c: the OAuth token model, grant form bodies and TokenInfo parsing. */
#include "rc-auth.h"
#include "rc-auth-private.h"

#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>
#include <string.h>

#include "rc-error.h"
#include "rc-json.h"

/* Overwrite secrets before freeing them, so they do not linger in freed heap memory. */
static void
free_secret (char *s)
{
  if (s != NULL)
    memset (s, 0, strlen (s));
  g_free (s);
}

RcTokens *
rc_tokens_new (void)
{
  return g_new0 (RcTokens, 1);
}

RcTokens *
rc_tokens_copy (const RcTokens *tokens)
{
  RcTokens *copy;

  g_return_val_if_fail (tokens != NULL, NULL);
  copy = rc_tokens_new ();
  copy->access_token = g_strdup (tokens->access_token);
  copy->access_expires_at = tokens->access_expires_at;
  copy->refresh_token = g_strdup (tokens->refresh_token);
  copy->refresh_expires_at = tokens->refresh_expires_at;
  copy->owner_id = g_strdup (tokens->owner_id);
  return copy;
}

void
rc_tokens_free (RcTokens *tokens)
{
  if (tokens == NULL)
    return;
  free_secret (tokens->access_token);
  free_secret (tokens->refresh_token);
  g_free (tokens->owner_id);
  g_free (tokens);
}

gboolean
rc_tokens_access_valid (const RcTokens *tokens, gint64 now, gint64 margin_s)
{
  if (tokens == NULL || tokens->access_token == NULL || *tokens->access_token == '\0')
    return FALSE;
  /* Unknown expiry: trust it and let a 401 tell us otherwise. */
  if (tokens->access_expires_at == 0)
    return TRUE;
  return tokens->access_expires_at - margin_s > now;
}

gboolean
rc_tokens_refresh_valid (const RcTokens *tokens, gint64 now)
{
  if (tokens == NULL || tokens->refresh_token == NULL || *tokens->refresh_token == '\0')
    return FALSE;
  if (tokens->refresh_expires_at == 0)
    return TRUE;
  return tokens->refresh_expires_at > now;
}

/* ---- form bodies ---- */

static void
form_add (GString *form, const char *name, const char *value)
{
  g_autofree char *escaped = g_uri_escape_string (value ? value : "", NULL, FALSE);

  if (form->len > 0)
    g_string_append_c (form, '&');
  g_string_append (form, name);
  g_string_append_c (form, '=');
  g_string_append (form, escaped);
  memset (escaped, 0, strlen (escaped));
}

static gboolean
has_secret (const char *client_secret)
{
  return client_secret != NULL && *client_secret != '\0';
}

char *
rc_auth_basic_header (const char *client_id, const char *client_secret)
{
  g_autofree char *pair = NULL;
  g_autofree char *b64 = NULL;
  char *header;

  if (!has_secret (client_secret) || client_id == NULL)
    return NULL;
  pair = g_strconcat (client_id, ":", client_secret, NULL);
  b64 = g_base64_encode ((const guchar *)pair, strlen (pair));
  header = g_strconcat ("Basic ", b64, NULL);
  memset (pair, 0, strlen (pair));
  memset (b64, 0, strlen (b64));
  return header;
}

static char *
finish_form (GString *form, const char *client_id, const char *client_secret)
{
  if (!has_secret (client_secret) && client_id != NULL)
    form_add (form, "client_id", client_id);
  return g_string_free (form, FALSE);
}

char *
rc_auth_jwt_form (const char *jwt, const char *client_id, const char *client_secret)
{
  GString *form = g_string_new (NULL);

  form_add (form, "grant_type", RC_AUTH_JWT_GRANT);
  form_add (form, "assertion", jwt);
  return finish_form (form, client_id, client_secret);
}

char *
rc_auth_refresh_form (const char *refresh_token, const char *client_id, const char *client_secret)
{
  GString *form = g_string_new (NULL);

  form_add (form, "grant_type", RC_AUTH_REFRESH_GRANT);
  form_add (form, "refresh_token", refresh_token);
  return finish_form (form, client_id, client_secret);
}

char *
rc_auth_code_form (const char *code, const char *redirect_uri, const char *code_verifier,
                   const char *client_id, const char *client_secret)
{
  GString *form = g_string_new (NULL);

  form_add (form, "grant_type", RC_AUTH_CODE_GRANT);
  form_add (form, "code", code);
  form_add (form, "redirect_uri", redirect_uri);
  form_add (form, "code_verifier", code_verifier);
  return finish_form (form, client_id, client_secret);
}

char *
rc_auth_grant_form (const RcGrant *grant, const char *client_id, const char *client_secret)
{
  g_return_val_if_fail (grant != NULL, NULL);
  switch (grant->kind) {
    case RC_GRANT_REFRESH:
      return rc_auth_refresh_form (grant->secret, client_id, client_secret);
    case RC_GRANT_CODE:
      return rc_auth_code_form (grant->secret, grant->redirect_uri, grant->code_verifier, client_id,
                                client_secret);
    case RC_GRANT_JWT:
    default:
      return rc_auth_jwt_form (grant->secret, client_id, client_secret);
  }
}

const char *
rc_auth_grant_name (RcGrantKind kind)
{
  switch (kind) {
    case RC_GRANT_REFRESH:
      return "refresh";
    case RC_GRANT_CODE:
      return "authorization code";
    case RC_GRANT_JWT:
    default:
      return "JWT";
  }
}

char *
rc_auth_revoke_form (const char *token, const char *client_id, const char *client_secret)
{
  GString *form = g_string_new (NULL);

  form_add (form, "token", token);
  return finish_form (form, client_id, client_secret);
}

/* ---- TokenInfo ---- */

/* A member as a string: JSON strings as they are, integers in decimal (owner_id may be either). */
static char *
member_as_string (JsonObject *obj, const char *name, gboolean allow_int)
{
  JsonNode *node;

  if (!json_object_has_member (obj, name))
    return NULL;
  node = json_object_get_member (obj, name);
  if (!JSON_NODE_HOLDS_VALUE (node))
    return NULL;
  switch (json_node_get_value_type (node)) {
    case G_TYPE_STRING: {
      const char *s = json_node_get_string (node);
      return (s != NULL && *s != '\0') ? g_strdup (s) : NULL;
    }
    case G_TYPE_INT64:
      if (!allow_int)
        return NULL;
      return g_strdup_printf ("%" G_GINT64_FORMAT, json_node_get_int (node));
    default:
      return NULL;
  }
}

gboolean
rc_auth_token_is_valid (const char *token)
{
  gsize len = 0;

  if (token == NULL)
    return FALSE;
  for (; token[len] != '\0'; len++)
    if (len >= RC_AUTH_TOKEN_MAX_LEN || !g_ascii_isgraph (token[len]))
      return FALSE;
  return len > 0;
}

/* A member as seconds: integers, whole doubles or decimal strings. FALSE when absent or bad. */
static gboolean
member_as_seconds (JsonObject *obj, const char *name, gint64 *out)
{
  JsonNode *node = rc_json_member (obj, name);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return FALSE;
  switch (json_node_get_value_type (node)) {
    case G_TYPE_INT64:
      *out = json_node_get_int (node);
      return TRUE;
    case G_TYPE_DOUBLE: {
      double d = json_node_get_double (node);

      /* Compared, never cast while out of range (1e300 → a huge lifetime, clamped below). */
      if (d != d)
        return FALSE;
      *out = d <= -1e12 ? (gint64)-1e12 : d >= 1e12 ? (gint64)1e12 : (gint64)d;
      return TRUE;
    }
    case G_TYPE_STRING: {
      gint64 v;

      if (!g_ascii_string_to_signed (json_node_get_string (node), 10, G_MININT64, G_MAXINT64, &v,
                                     NULL))
        return FALSE;
      *out = v;
      return TRUE;
    }
    default:
      return FALSE;
  }
}

RcTokens *
rc_auth_parse_token_info (GBytes *body, gint64 now, GError **error)
{
  g_autoptr (JsonNode) root = NULL;
  g_autoptr (RcTokens) tokens = rc_tokens_new ();
  JsonObject *obj;
  gint64 expires_in = 0;
  gint64 refresh_in = 0;
  const char *data;
  gsize len = 0;

  data = body ? g_bytes_get_data (body, &len) : NULL;
  root = data != NULL ? rc_json_parse (data, len, _ ("a sign-in answer"), NULL) : NULL;
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root)) {
    g_set_error_literal (error, RC_ERROR, RC_ERROR_BAD_RESPONSE,
                         _ ("RingCentral answered the sign-in with something that is not a "
                            "token."));
    return NULL;
  }
  obj = json_node_get_object (root);
  tokens->access_token = member_as_string (obj, "access_token", FALSE);
  if (tokens->access_token == NULL || !member_as_seconds (obj, "expires_in", &expires_in)) {
    g_set_error_literal (error, RC_ERROR, RC_ERROR_BAD_RESPONSE,
                         _ ("RingCentral's sign-in answer lacks the access token or its "
                            "lifetime."));
    return NULL;
  }
  tokens->refresh_token = member_as_string (obj, "refresh_token", FALSE);
  /* A token goes into an Authorization header (or a URL): CR, LF, spaces or megabytes there are
   * an attack or a broken server, never something to send (libsoup logs criticals on CR/LF). */
  if (!rc_auth_token_is_valid (tokens->access_token)
      || (tokens->refresh_token != NULL && !rc_auth_token_is_valid (tokens->refresh_token))) {
    g_set_error_literal (error, RC_ERROR, RC_ERROR_BAD_RESPONSE,
                         _ ("RingCentral's sign-in answer holds a token that cannot be used "
                            "(invalid characters or too long)."));
    return NULL;
  }
  if (expires_in < RC_AUTH_MIN_LIFETIME_S || expires_in > RC_AUTH_MAX_LIFETIME_S)
    g_debug ("token lifetime of %" G_GINT64_FORMAT " s taken as %" G_GINT64_FORMAT " s", expires_in,
             CLAMP (expires_in, RC_AUTH_MIN_LIFETIME_S, RC_AUTH_MAX_LIFETIME_S));
  tokens->access_expires_at
      = now + CLAMP (expires_in, RC_AUTH_MIN_LIFETIME_S, RC_AUTH_MAX_LIFETIME_S);
  if (tokens->refresh_token != NULL
      && member_as_seconds (obj, "refresh_token_expires_in", &refresh_in) && refresh_in > 0)
    tokens->refresh_expires_at = now + MIN (refresh_in, RC_AUTH_MAX_REFRESH_LIFETIME_S);
  tokens->owner_id = member_as_string (obj, "owner_id", TRUE);
  if (tokens->owner_id != NULL && !rc_auth_token_is_valid (tokens->owner_id))
    g_clear_pointer (&tokens->owner_id, g_free);
  return g_steal_pointer (&tokens);
}
