/* rc-sim-ratelimit.c: RingCentral's per-group request limits, enforced when asked (off by
 * default, so other tests are not slowed). Fact sheet §6: each group (light, medium, heavy, auth)
 * allows `limit` requests per user and app in a sliding window of `window_s` seconds; a request
 * over it gets 429 CMN-301 with Retry-After and starts a penalty of `penalty_s` seconds during
 * which every request of the group gets 429 again and restarts the penalty. Every answer of an
 * enforced group carries X-Rate-Limit-Group/-Limit/-Remaining/-Window. The group of a request is
 * the fact sheet's table, written here on its own (the simulator is the client's test oracle and
 * shares no code with it). */
#include "rc-sim-private.h"

#include <string.h>

#define N_GROUPS 4

static const char *const group_names[N_GROUPS] = { "light", "medium", "heavy", "auth" };
/* Fact sheet §6 "Default groups": requests per 60 s window, 60 s penalty. */
static const guint default_limits[N_GROUPS] = { 50, 40, 10, 5 };

typedef struct {
  guint limit; /* 0: not enforced */
  guint window_s;
  guint penalty_s;
  GArray *arrivals;     /* gint64 monotonic µs of requests counted, ascending */
  gint64 penalty_until; /* monotonic µs */
} Group;

struct _RcSimRate {
  Group groups[N_GROUPS];
  guint rejected; /* 429s answered by enforcement */
};

static RcSimRate *
rate_get (RcSim *self)
{
  if (self->rate == NULL) {
    self->rate = g_new0 (RcSimRate, 1);
    for (guint i = 0; i < N_GROUPS; i++)
      self->rate->groups[i].arrivals = g_array_new (FALSE, FALSE, sizeof (gint64));
  }
  return self->rate;
}

void
rc_sim_rate_free (RcSim *self)
{
  if (self->rate == NULL)
    return;
  for (guint i = 0; i < N_GROUPS; i++)
    g_array_unref (self->rate->groups[i].arrivals);
  g_clear_pointer (&self->rate, g_free);
}

static int
group_index (const char *name)
{
  for (guint i = 0; name != NULL && i < N_GROUPS; i++)
    if (g_ascii_strcasecmp (name, group_names[i]) == 0)
      return (int)i;
  return -1;
}

gboolean
rc_sim_set_rate_limit (RcSim *self, const char *group, guint limit, guint window_s, guint penalty_s)
{
  g_return_val_if_fail (RC_IS_SIM (self), FALSE);
  int first = group != NULL ? group_index (group) : 0;
  int last = group != NULL ? first : N_GROUPS - 1;
  if (first < 0)
    return FALSE;
  RcSimRate *rate = rate_get (self);
  for (int i = first; i <= last; i++) {
    Group *g = &rate->groups[i];
    g->limit = limit == G_MAXUINT ? default_limits[i] : limit;
    g->window_s = window_s > 0 ? window_s : 60;
    g->penalty_s = penalty_s > 0 ? penalty_s : 60;
    g->penalty_until = 0;
    g_array_set_size (g->arrivals, 0);
  }
  return TRUE;
}

guint
rc_sim_count_rate_limited (RcSim *self)
{
  g_return_val_if_fail (RC_IS_SIM (self), 0);
  return self->rate != NULL ? self->rate->rejected : 0;
}

/* The group of a request (fact sheet §6 "Group membership per operation"). */
static guint
group_of (const char *method, const char *path)
{
  gboolean get = g_str_equal (method, "GET");

  if (g_str_has_prefix (path, "/restapi/oauth/"))
    return 3;
  if (!get && (g_str_has_suffix (path, "/sms") || g_str_has_suffix (path, "/mms")))
    return 1;
  if (strstr (path, "/message-store") != NULL)
    return (!get || strstr (path, "/content/") != NULL) ? 1 : 0;
  if (strstr (path, "/subscription") != NULL)
    return (get || g_str_has_suffix (path, "/renew")) ? 0 : 1;
  if (strstr (path, "/extension/") == NULL && g_str_has_suffix (path, "/phone-number"))
    return 2;
  return 0;
}

static void
set_header_uint (SoupMessageHeaders *h, const char *name, guint value)
{
  g_autofree char *v = g_strdup_printf ("%u", value);
  soup_message_headers_replace (h, name, v);
}

gboolean
rc_sim_rate_check (RcSimCall *call)
{
  RcSim *self = call->sim;
  if (self->rate == NULL)
    return FALSE;
  guint gi = group_of (call->method, call->path);
  Group *g = &self->rate->groups[gi];
  if (g->limit == 0)
    return FALSE;

  gint64 now = g_get_monotonic_time ();
  gint64 cutoff = now - (gint64)g->window_s * G_USEC_PER_SEC;
  guint old = 0;
  while (old < g->arrivals->len && g_array_index (g->arrivals, gint64, old) <= cutoff)
    old++;
  if (old > 0)
    g_array_remove_range (g->arrivals, 0, old);

  SoupMessageHeaders *h = soup_server_message_get_response_headers (call->msg);
  gboolean over = now < g->penalty_until || g->arrivals->len >= g->limit;
  if (!over)
    g_array_append_val (g->arrivals, now);
  soup_message_headers_replace (h, "X-Rate-Limit-Group", group_names[gi]);
  set_header_uint (h, "X-Rate-Limit-Limit", g->limit);
  set_header_uint (h, "X-Rate-Limit-Remaining",
                   g->limit > g->arrivals->len ? g->limit - g->arrivals->len : 0);
  set_header_uint (h, "X-Rate-Limit-Window", g->window_s);
  if (!over)
    return FALSE;

  /* Over the limit, or a request during the penalty: the penalty (re)starts now. */
  g->penalty_until = now + (gint64)g->penalty_s * G_USEC_PER_SEC;
  self->rate->rejected++;
  set_header_uint (h, "Retry-After", g->penalty_s);
  g_debug ("rc-sim: %s %s over the %s limit (%u per %u s): 429", call->method, call->path,
           group_names[gi], g->limit, g->window_s);
  rc_sim_reply_error (call, 429, "CMN-301", "Request rate exceeded", NULL);
  return TRUE;
}

gboolean
rc_sim_rate_load (RcSim *self, JsonObject *scenario, GError **error)
{
  JsonNode *node = json_object_get_member (scenario, "rate_limits");
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return TRUE;
  if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_BOOLEAN) {
    if (json_node_get_boolean (node))
      rc_sim_set_rate_limit (self, NULL, G_MAXUINT, 60, 60);
    return TRUE;
  }
  if (!JSON_NODE_HOLDS_OBJECT (node)) {
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                 "rate_limits must be true or an object of groups");
    return FALSE;
  }
  JsonObject *o = json_node_get_object (node);
  g_autoptr (GList) names = json_object_get_members (o);
  for (GList *l = names; l != NULL; l = l->next) {
    JsonNode *gn = json_object_get_member (o, l->data);
    if (group_index (l->data) < 0 || !JSON_NODE_HOLDS_OBJECT (gn)) {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   "rate_limits.%s: expected light, medium, heavy or auth with an object",
                   (const char *)l->data);
      return FALSE;
    }
    JsonObject *go = json_node_get_object (gn);
    guint idx = (guint)group_index (l->data);
    gint64 limit = json_object_get_int_member_with_default (go, "limit", default_limits[idx]);
    gint64 window = json_object_get_int_member_with_default (go, "window_s", 60);
    gint64 penalty = json_object_get_int_member_with_default (go, "penalty_s", window);
    rc_sim_set_rate_limit (self, l->data, (guint)CLAMP (limit, 0, 100000),
                           (guint)CLAMP (window, 1, 3600), (guint)CLAMP (penalty, 1, 3600));
  }
  return TRUE;
}

gboolean
rc_sim_rate_handle_control (RcSimCall *call, const char *what)
{
  if (!g_str_equal (what, "rate-limit") || !g_str_equal (call->method, "POST"))
    return FALSE;
  g_autoptr (JsonParser) parser = json_parser_new ();
  JsonObject *o = NULL;
  if (call->body != NULL && json_parser_load_from_data (parser, call->body, -1, NULL)
      && JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    o = json_node_get_object (json_parser_get_root (parser));
  const char *group = o != NULL ? rc_sim_json_string (o, "group") : NULL;
  if (o == NULL || (group != NULL && group_index (group) < 0)) {
    g_autoptr (JsonObject) bad = json_object_new ();
    json_object_set_boolean_member (bad, "ok", FALSE);
    json_object_set_string_member (
        bad, "error",
        "expected {\"group\": \"light|medium|heavy|auth\" (absent: all), \"limit\" (absent: the "
        "default, 0: off), \"window_s\", \"penalty_s\"}");
    rc_sim_reply_object (call, 400, bad);
    return TRUE;
  }
  gint64 limit = json_object_get_int_member_with_default (o, "limit", -1);
  gint64 window = json_object_get_int_member_with_default (o, "window_s", 60);
  gint64 penalty = json_object_get_int_member_with_default (o, "penalty_s", window);
  rc_sim_set_rate_limit (call->sim, group, limit < 0 ? G_MAXUINT : (guint)MIN (limit, 100000),
                         (guint)CLAMP (window, 1, 3600), (guint)CLAMP (penalty, 1, 3600));
  g_autoptr (JsonObject) ok = json_object_new ();
  json_object_set_boolean_member (ok, "ok", TRUE);
  rc_sim_reply_object (call, 200, ok);
  return TRUE;
}
