/* rc-sim-util.c: query/form parsing, time formats, JSON replies, error bodies and paging. */
#include "rc-sim-private.h"

#include <string.h>

/* Parses "a=1&b=x+y" (query string or form body); '+' means space. Repeated names are kept. */
GPtrArray *
rc_sim_parse_params (const char *encoded)
{
  GPtrArray *out = g_ptr_array_new_with_free_func (g_free);
  if (encoded == NULL || *encoded == '\0')
    return out;
  g_auto (GStrv) pairs = g_strsplit (encoded, "&", -1);
  for (guint i = 0; pairs[i] != NULL; i++) {
    if (*pairs[i] == '\0')
      continue;
    g_strdelimit (pairs[i], "+", ' ');
    char *eq = strchr (pairs[i], '=');
    const char *value = "";
    if (eq != NULL) {
      *eq = '\0';
      value = eq + 1;
    }
    char *name = g_uri_unescape_string (pairs[i], NULL);
    char *val = g_uri_unescape_string (value, NULL);
    if (name == NULL || val == NULL) {
      /* Bad percent-encoding: keep the raw text so validation refuses it later. */
      g_free (name);
      g_free (val);
      name = g_strdup (pairs[i]);
      val = g_strdup (value);
    }
    g_ptr_array_add (out, name);
    g_ptr_array_add (out, val);
  }
  return out;
}

const char *
rc_sim_param (GPtrArray *params, const char *name)
{
  for (guint i = 0; params != NULL && i + 1 < params->len; i += 2)
    if (g_strcmp0 (params->pdata[i], name) == 0)
      return params->pdata[i + 1];
  return NULL;
}

GPtrArray *
rc_sim_param_all (GPtrArray *params, const char *name)
{
  GPtrArray *out = g_ptr_array_new ();
  for (guint i = 0; params != NULL && i + 1 < params->len; i += 2)
    if (g_strcmp0 (params->pdata[i], name) == 0)
      g_ptr_array_add (out, params->pdata[i + 1]);
  return out;
}

/* "2025-07-30T18:12:45.028Z", the form RingCentral uses. */
char *
rc_sim_format_time (gint64 real_us)
{
  g_autoptr (GDateTime) dt = g_date_time_new_from_unix_utc (real_us / G_USEC_PER_SEC);
  g_autofree char *base = g_date_time_format (dt, "%Y-%m-%dT%H:%M:%S");
  return g_strdup_printf ("%s.%03dZ", base, (int)((real_us % G_USEC_PER_SEC) / 1000));
}

gboolean
rc_sim_parse_time (const char *iso, gint64 *out_us)
{
  g_autoptr (GTimeZone) utc = g_time_zone_new_utc ();
  g_autoptr (GDateTime) dt = g_date_time_new_from_iso8601 (iso, utc);
  if (dt == NULL)
    return FALSE;
  *out_us = g_date_time_to_unix (dt) * G_USEC_PER_SEC + g_date_time_get_microsecond (dt);
  return TRUE;
}

/* An opaque token: a readable prefix plus 32 random bytes in URL-safe base64. */
char *
rc_sim_random_token (const char *prefix)
{
  guint8 bytes[32];
  for (guint i = 0; i < sizeof bytes; i++)
    bytes[i] = (guint8)g_random_int_range (0, 256);
  g_autofree char *b64 = g_base64_encode (bytes, sizeof bytes);
  g_strdelimit (b64, "+", '-');
  g_strdelimit (b64, "/", '_');
  g_strdelimit (b64, "=", '\0');
  return g_strconcat (prefix, b64, NULL);
}

gboolean
rc_sim_strv_contains (char **strv, const char *s)
{
  return strv != NULL && g_strv_contains ((const char *const *)strv, s);
}

glong
rc_sim_utf16_length (const char *utf8)
{
  glong n = 0;
  for (const char *p = utf8; *p != '\0'; p = g_utf8_next_char (p))
    n += g_utf8_get_char (p) > 0xFFFF ? 2 : 1;
  return n;
}

gboolean
rc_sim_is_e164 (const char *s)
{
  if (s == NULL || s[0] != '+' || s[1] == '0')
    return FALSE;
  gsize n = strlen (s + 1);
  if (n < 8 || n > 15)
    return FALSE;
  for (const char *p = s + 1; *p != '\0'; p++)
    if (!g_ascii_isdigit (*p))
      return FALSE;
  return TRUE;
}

gboolean
rc_sim_parse_uint (const char *s, guint *out)
{
  guint64 v;
  if (s == NULL || !g_ascii_string_to_unsigned (s, 10, 0, G_MAXINT32, &v, NULL))
    return FALSE;
  *out = (guint)v;
  return TRUE;
}

void
rc_sim_reply_json (RcSimCall *call, guint status, JsonNode *node)
{
  g_autofree char *raw = json_to_string (node, FALSE);
  g_autofree char *text = rc_sim_rewrite_json (call->sim, raw);
  soup_server_message_set_status (call->msg, status, NULL);
  soup_server_message_set_response (call->msg, "application/json; charset=UTF-8", SOUP_MEMORY_COPY,
                                    text, strlen (text));
  call->record->status = status;
}

void
rc_sim_reply_object (RcSimCall *call, guint status, JsonObject *object)
{
  g_autoptr (JsonNode) node = json_node_new (JSON_NODE_OBJECT);
  json_node_set_object (node, object);
  rc_sim_reply_json (call, status, node);
}

static JsonObject *
error_entry (const char *code, const char *message, const char *parameter_name)
{
  JsonObject *e = json_object_new ();
  json_object_set_string_member (e, "errorCode", code);
  json_object_set_string_member (e, "message", message);
  if (parameter_name != NULL)
    json_object_set_string_member (e, "parameterName", parameter_name);
  return e;
}

/* The legacy top-level errorCode/message plus the errors[] array, as RingCentral sends them. */
void
rc_sim_reply_error (RcSimCall *call, guint status, const char *code, const char *message,
                    const char *parameter_name)
{
  g_autoptr (JsonObject) o = json_object_new ();
  json_object_set_string_member (o, "errorCode", code);
  json_object_set_string_member (o, "message", message);
  JsonArray *errors = json_array_new ();
  json_array_add_object_element (errors, error_entry (code, message, parameter_name));
  json_object_set_array_member (o, "errors", errors);
  rc_sim_reply_object (call, status, o);
}

void
rc_sim_reply_oauth_error (RcSimCall *call, guint status, const char *error, const char *code,
                          const char *message)
{
  g_autoptr (JsonObject) o = json_object_new ();
  json_object_set_string_member (o, "error", error);
  json_object_set_string_member (o, "error_description", message);
  JsonArray *errors = json_array_new ();
  json_array_add_object_element (errors, error_entry (code, message, NULL));
  json_object_set_array_member (o, "errors", errors);
  rc_sim_reply_object (call, status, o);
}

/* page/perPage from the query; perPage is capped at the scenario's max_per_page. FALSE: a 400
 * was written. */
gboolean
rc_sim_read_paging (RcSimCall *call, guint *page, guint *per_page)
{
  const char *p = rc_sim_param (call->params, "page");
  const char *pp = rc_sim_param (call->params, "perPage");
  *page = 1;
  *per_page = MIN (100, call->sim->max_per_page);
  if (p != NULL && (!rc_sim_parse_uint (p, page) || *page == 0 || *page > 1000)) {
    rc_sim_reply_error (call, 400, "CMN-101", "Parameter [page] value is invalid", "page");
    return FALSE;
  }
  if (pp != NULL && (!rc_sim_parse_uint (pp, per_page) || *per_page == 0 || *per_page > 1000)) {
    rc_sim_reply_error (call, 400, "CMN-101", "Parameter [perPage] value is invalid", "perPage");
    return FALSE;
  }
  *per_page = MIN (*per_page, call->sim->max_per_page);
  return TRUE;
}

static JsonObject *
nav_uri (RcSimCall *call, guint page, guint per_page, const char *extra_query)
{
  JsonObject *o = json_object_new ();
  g_autofree char *uri = g_strdup_printf ("%s%s?page=%u&perPage=%u%s", call->base_url, call->path,
                                          page, per_page, extra_query ? extra_query : "");
  json_object_set_string_member (o, "uri", uri);
  return o;
}

/* paging{} for @total items; *navigation gets firstPage/nextPage/previousPage/lastPage with
 * absolute uris on the request's own Host (so they stay same-origin through a proxy). */
JsonObject *
rc_sim_paging (RcSimCall *call, guint page, guint per_page, guint total, const char *extra_query,
               JsonObject **navigation)
{
  guint pages = total == 0 ? 1 : (total + per_page - 1) / per_page;
  JsonObject *paging = json_object_new ();
  json_object_set_int_member (paging, "page", page);
  json_object_set_int_member (paging, "perPage", per_page);
  guint start = (page - 1) * per_page;
  if (start < total) {
    json_object_set_int_member (paging, "pageStart", start);
    json_object_set_int_member (paging, "pageEnd", MIN (start + per_page, total) - 1);
  }
  json_object_set_int_member (paging, "totalPages", pages);
  json_object_set_int_member (paging, "totalElements", total);

  JsonObject *nav = json_object_new ();
  json_object_set_object_member (nav, "firstPage", nav_uri (call, 1, per_page, extra_query));
  if (page < pages)
    json_object_set_object_member (nav, "nextPage",
                                   nav_uri (call, page + 1, per_page, extra_query));
  if (page > 1)
    json_object_set_object_member (nav, "previousPage",
                                   nav_uri (call, MIN (page - 1, pages), per_page, extra_query));
  json_object_set_object_member (nav, "lastPage", nav_uri (call, pages, per_page, extra_query));
  *navigation = nav;
  return paging;
}

/* A string member, or NULL when absent or of another type (never a critical). */
const char *
rc_sim_json_string (JsonObject *o, const char *name)
{
  JsonNode *n = o ? json_object_get_member (o, name) : NULL;
  if (n != NULL && JSON_NODE_HOLDS_VALUE (n) && json_node_get_value_type (n) == G_TYPE_STRING)
    return json_node_get_string (n);
  return NULL;
}
