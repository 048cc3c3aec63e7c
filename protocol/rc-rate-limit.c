/* rc-rate-limit.c: per-group pacing and 429/503 holds (fact sheet §6); see rc-rate-limit.h. */
#include "rc-rate-limit.h"

#include <string.h>

typedef struct {
  guint limit;
  guint window_s;
  GArray *sent; /* gint64 monotonic µs of sends (ours, and others' from -Remaining), ascending */
} Group;

struct _RcRateLimit {
  GObject parent_instance;
  Group groups[RC_RATE_N_GROUPS];
  gint64 hold_until;    /* monotonic µs; nothing is sent before it (429 penalty, 503) */
  gboolean hold_is_429; /* the running hold comes from a 429 (a rate limit), not a 503 */
  guint max_hold_s;
  GHashTable *announced; /* tag ("" for none) → gint64* end of the wait announced for it */
};

G_DEFINE_FINAL_TYPE (RcRateLimit, rc_rate_limit, G_TYPE_OBJECT)

enum { SIGNAL_HELD, N_SIGNALS };
static guint signals[N_SIGNALS];

static const char *const group_names[RC_RATE_N_GROUPS] = { "light", "medium", "heavy", "auth" };

static void
rc_rate_limit_finalize (GObject *object)
{
  RcRateLimit *self = RC_RATE_LIMIT (object);

  for (guint i = 0; i < RC_RATE_N_GROUPS; i++)
    g_array_unref (self->groups[i].sent);
  g_hash_table_unref (self->announced);
  G_OBJECT_CLASS (rc_rate_limit_parent_class)->finalize (object);
}

static void
rc_rate_limit_class_init (RcRateLimitClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = rc_rate_limit_finalize;

  signals[SIGNAL_HELD]
      = g_signal_new ("held", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                      G_TYPE_NONE, 2, G_TYPE_UINT, G_TYPE_STRING);
}

static void
rc_rate_limit_init (RcRateLimit *self)
{
  static const guint defaults[RC_RATE_N_GROUPS] = { RC_RATE_DEFAULT_LIGHT, RC_RATE_DEFAULT_MEDIUM,
                                                    RC_RATE_DEFAULT_HEAVY, RC_RATE_DEFAULT_AUTH };

  /* Test suites that are not about rate limits (rc-rate-limit.h). */
  gboolean off = g_strcmp0 (g_getenv ("RC_TEST_RATE_DEFAULTS"), "off") == 0;

  for (guint i = 0; i < RC_RATE_N_GROUPS; i++) {
    self->groups[i].limit = off ? 0 : defaults[i];
    self->groups[i].window_s = RC_RATE_DEFAULT_WINDOW_S;
    self->groups[i].sent = g_array_new (FALSE, FALSE, sizeof (gint64));
  }
  self->announced = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
}

RcRateLimit *
rc_rate_limit_new (guint max_hold_s)
{
  RcRateLimit *self = g_object_new (RC_TYPE_RATE_LIMIT, NULL);

  self->max_hold_s = max_hold_s;
  return self;
}

void
rc_rate_limit_set_max_hold (RcRateLimit *self, guint max_hold_s)
{
  g_return_if_fail (RC_IS_RATE_LIMIT (self));
  self->max_hold_s = max_hold_s;
}

const char *
rc_rate_group_name (RcRateGroup group)
{
  return (guint)group < RC_RATE_N_GROUPS ? group_names[group] : "?";
}

/* ---- which group ---- */

/* Where @path has the whole segment @seg ("/seg" then the end or '/'), or NULL. */
static const char *
find_segment (const char *path, const char *seg)
{
  gsize len = strlen (seg);

  for (const char *p = strstr (path, seg); p != NULL; p = strstr (p + 1, seg))
    if (p > path && p[-1] == '/' && (p[len] == '\0' || p[len] == '/'))
      return p;
  return NULL;
}

RcRateGroup
rc_rate_group_for (const char *method, const char *path_or_url)
{
  g_autoptr (GUri) uri = NULL;
  g_autofree char *path = NULL;
  gboolean get = method == NULL || g_ascii_strcasecmp (method, "GET") == 0;
  const char *p;

  if (path_or_url == NULL)
    return RC_RATE_LIGHT;
  if (path_or_url[0] == '/')
    path = g_strndup (path_or_url, strcspn (path_or_url, "?#"));
  else {
    uri = g_uri_parse (path_or_url, G_URI_FLAGS_NONE, NULL);
    path = g_strdup (uri != NULL ? g_uri_get_path (uri) : "");
  }
  if (g_str_has_prefix (path, "/restapi/oauth/"))
    return RC_RATE_AUTH;
  if (!get && (g_str_has_suffix (path, "/sms") || g_str_has_suffix (path, "/mms")))
    return RC_RATE_MEDIUM;
  p = find_segment (path, "message-store");
  if (p != NULL) {
    /* …/message-store/{id}/content/{attachmentId}: attachment content (Medium). */
    if (strstr (p, "/content/") != NULL || !get)
      return RC_RATE_MEDIUM;
    return RC_RATE_LIGHT;
  }
  p = find_segment (path, "subscription");
  if (p != NULL)
    return get || g_str_has_suffix (path, "/renew") ? RC_RATE_LIGHT : RC_RATE_MEDIUM;
  /* /restapi/v1.0/account/{id}/phone-number (the extension's list is under /extension/). */
  p = find_segment (path, "phone-number");
  if (p != NULL && find_segment (path, "extension") == NULL && p[strlen ("phone-number")] == '\0')
    return RC_RATE_HEAVY;
  return RC_RATE_LIGHT;
}

/* ---- pacing ---- */

/* Forgets sends that left the group's window (plus the margin) by @now. */
static void
prune (Group *g, gint64 now)
{
  gint64 cutoff = now - (gint64)g->window_s * G_USEC_PER_SEC - RC_RATE_MARGIN_MS * 1000;
  guint old = 0;

  while (old < g->sent->len && g_array_index (g->sent, gint64, old) <= cutoff)
    old++;
  if (old > 0)
    g_array_remove_range (g->sent, 0, old);
}

static void
add_sent (Group *g, gint64 when)
{
  guint i = g->sent->len;

  /* Ascending: an insertion from the end (sends arrive in time order, -Remaining at @now). */
  while (i > 0 && g_array_index (g->sent, gint64, i - 1) > when)
    i--;
  g_array_insert_val (g->sent, i, when);
  if (g->sent->len > RC_RATE_MAX_LIMIT)
    g_array_remove_range (g->sent, 0, g->sent->len - RC_RATE_MAX_LIMIT);
}

static gint64
pacing_ready_at (Group *g, gint64 now)
{
  prune (g, now);
  if (g->limit == 0 || g->sent->len < g->limit)
    return now;
  /* The (limit)-th most recent send must have left the window. */
  return g_array_index (g->sent, gint64, g->sent->len - g->limit)
         + (gint64)g->window_s * G_USEC_PER_SEC + RC_RATE_MARGIN_MS * 1000;
}

void
rc_rate_limit_get (RcRateLimit *self, RcRateGroup group, guint *limit, guint *window_s)
{
  g_return_if_fail (RC_IS_RATE_LIMIT (self) && (guint)group < RC_RATE_N_GROUPS);
  if (limit != NULL)
    *limit = self->groups[group].limit;
  if (window_s != NULL)
    *window_s = self->groups[group].window_s;
}

gint64
rc_rate_limit_ready_at (RcRateLimit *self, RcRateGroup group, gint64 now)
{
  g_return_val_if_fail (RC_IS_RATE_LIMIT (self) && (guint)group < RC_RATE_N_GROUPS, now);
  return MAX (self->hold_until, pacing_ready_at (&self->groups[group], now));
}

gboolean
rc_rate_limit_is_rate_wait (RcRateLimit *self, RcRateGroup group, gint64 now)
{
  g_return_val_if_fail (RC_IS_RATE_LIMIT (self) && (guint)group < RC_RATE_N_GROUPS, FALSE);
  if (pacing_ready_at (&self->groups[group], now) > now)
    return TRUE;
  return self->hold_until > now && self->hold_is_429;
}

void
rc_rate_limit_take (RcRateLimit *self, RcRateGroup group, gint64 now)
{
  g_return_if_fail (RC_IS_RATE_LIMIT (self) && (guint)group < RC_RATE_N_GROUPS);
  prune (&self->groups[group], now);
  add_sent (&self->groups[group], now);
}

void
rc_rate_limit_settle (RcRateLimit *self, RcRateGroup group, gint64 sent_at, gint64 now)
{
  Group *g;

  g_return_if_fail (RC_IS_RATE_LIMIT (self) && (guint)group < RC_RATE_N_GROUPS);
  g = &self->groups[group];
  for (guint i = g->sent->len; i > 0; i--)
    if (g_array_index (g->sent, gint64, i - 1) == sent_at) {
      g_array_remove_index (g->sent, i - 1);
      add_sent (g, MAX (now, sent_at));
      return;
    }
}

gboolean
rc_rate_limit_try_take (RcRateLimit *self, RcRateGroup group, gint64 now)
{
  g_return_val_if_fail (RC_IS_RATE_LIMIT (self) && (guint)group < RC_RATE_N_GROUPS, FALSE);
  if (rc_rate_limit_ready_at (self, group, now) > now)
    return FALSE;
  rc_rate_limit_take (self, group, now);
  return TRUE;
}

/* ---- waiting ---- */

#define RC_RATE_RECHECK_MS 1000

typedef struct {
  RcRateGroup group;
  char *tag;
  GSource *timer;
  GSource *cancel;
} Wait;

static void
wait_clear_sources (Wait *w)
{
  if (w->timer != NULL) {
    g_source_destroy (w->timer);
    g_clear_pointer (&w->timer, g_source_unref);
  }
  if (w->cancel != NULL) {
    g_source_destroy (w->cancel);
    g_clear_pointer (&w->cancel, g_source_unref);
  }
}

static void
wait_free (Wait *w)
{
  wait_clear_sources (w);
  g_free (w->tag);
  g_free (w);
}

/* "held" once per wait and tag (rc-rate-limit.h). */
static void
announce (RcRateLimit *self, const char *tag, gint64 until, gint64 now)
{
  GHashTableIter iter;
  gpointer value;
  const gint64 *running = g_hash_table_lookup (self->announced, tag ? tag : "");

  if (until - now <= (gint64)RC_RATE_NOTICE_S * G_USEC_PER_SEC
      || (running != NULL && *running > now))
    return;
  /* Bounded: announcements whose wait is over are forgotten. */
  g_hash_table_iter_init (&iter, self->announced);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    if (*(gint64 *)value <= now)
      g_hash_table_iter_remove (&iter);
  g_hash_table_insert (self->announced, g_strdup (tag ? tag : ""),
                       g_memdup2 (&until, sizeof until));
  g_signal_emit (self, signals[SIGNAL_HELD], 0,
                 (guint)MIN ((until - now + G_USEC_PER_SEC - 1) / G_USEC_PER_SEC, G_MAXUINT), tag);
}

static void wait_step (GTask *task);

static gboolean
wait_timer_cb (gpointer user_data)
{
  GTask *task = user_data;

  wait_clear_sources (g_task_get_task_data (task));
  wait_step (task);
  return G_SOURCE_REMOVE;
}

static gboolean
wait_cancelled_cb (GCancellable *cancellable, gpointer user_data)
{
  GTask *task = user_data;

  wait_clear_sources (g_task_get_task_data (task));
  g_task_return_error_if_cancelled (task);
  g_object_unref (task);
  return G_SOURCE_REMOVE;
}

/* Waits (again) until the group is ready; a hold that grew meanwhile is waited out. Takes @task. */
static void
wait_step (GTask *task)
{
  RcRateLimit *self = g_task_get_source_object (task);
  Wait *w = g_task_get_task_data (task);
  GCancellable *cancellable = g_task_get_cancellable (task);
  gint64 now = g_get_monotonic_time ();
  gint64 ready = rc_rate_limit_ready_at (self, w->group, now);

  if (g_task_return_error_if_cancelled (task)) {
    g_object_unref (task);
    return;
  }
  if (ready <= now) {
    g_task_return_boolean (task, TRUE);
    g_object_unref (task);
    return;
  }
  if (rc_rate_limit_is_rate_wait (self, w->group, now))
    announce (self, w->tag, ready, now);
  /* Looked at again at least every RC_RATE_RECHECK_MS: an answer's X-Rate-Limit-* headers may
   * shorten the wait (the first answer replaces the default 60 s window). */
  w->timer = g_timeout_source_new ((guint)MIN ((ready - now + 999) / 1000, RC_RATE_RECHECK_MS));
  g_source_set_callback (w->timer, wait_timer_cb, task, NULL);
  g_source_attach (w->timer, g_task_get_context (task));
  if (cancellable != NULL) {
    w->cancel = g_cancellable_source_new (cancellable);
    g_source_set_callback (w->cancel, G_SOURCE_FUNC (wait_cancelled_cb), task, NULL);
    g_source_attach (w->cancel, g_task_get_context (task));
  }
}

void
rc_rate_limit_wait_async (RcRateLimit *self, RcRateGroup group, const char *tag,
                          GCancellable *cancellable, GAsyncReadyCallback callback,
                          gpointer user_data)
{
  GTask *task;
  Wait *w;

  g_return_if_fail (RC_IS_RATE_LIMIT (self) && (guint)group < RC_RATE_N_GROUPS);
  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, rc_rate_limit_wait_async);
  w = g_new0 (Wait, 1);
  w->group = group;
  w->tag = g_strdup (tag);
  g_task_set_task_data (task, w, (GDestroyNotify)wait_free);
  wait_step (task);
}

gboolean
rc_rate_limit_wait_finish (RcRateLimit *self, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

/* ---- what answers say ---- */

/* A header value of plain decimal digits within [1, @max] (@allow_zero: [0, @max]). */
static gboolean
header_uint (SoupMessageHeaders *headers, const char *name, guint max, gboolean allow_zero,
             guint *out)
{
  const char *value = soup_message_headers_get_one (headers, name);
  g_autofree char *trimmed = NULL;
  guint64 v;

  if (value == NULL)
    return FALSE;
  trimmed = g_strstrip (g_strdup (value));
  if (!g_ascii_isdigit (trimmed[0])
      || !g_ascii_string_to_unsigned (trimmed, 10, allow_zero ? 0 : 1, G_MAXUINT64, &v, NULL))
    return FALSE;
  *out = (guint)MIN (v, max);
  return TRUE;
}

void
rc_rate_limit_observe (RcRateLimit *self, RcRateGroup group, SoupMessageHeaders *headers,
                       gint64 now)
{
  const char *name;
  Group *g;
  guint limit, window, remaining;

  g_return_if_fail (RC_IS_RATE_LIMIT (self) && (guint)group < RC_RATE_N_GROUPS);
  if (headers == NULL)
    return;
  name = soup_message_headers_get_one (headers, "X-Rate-Limit-Group");
  for (guint i = 0; name != NULL && i < RC_RATE_N_GROUPS; i++)
    if (g_ascii_strcasecmp (name, group_names[i]) == 0)
      group = (RcRateGroup)i;
  g = &self->groups[group];
  if (header_uint (headers, "X-Rate-Limit-Limit", RC_RATE_MAX_LIMIT, FALSE, &limit)
      && limit != g->limit) {
    g_debug ("rate limit %s: %u requests per window (was %u)", group_names[group], limit, g->limit);
    g->limit = limit;
  }
  if (header_uint (headers, "X-Rate-Limit-Window", RC_RATE_MAX_WINDOW_S, FALSE, &window)
      && window != g->window_s) {
    g_debug ("rate limit %s: window %u s (was %u s)", group_names[group], window, g->window_s);
    g->window_s = window;
  }
  prune (g, now);
  if (header_uint (headers, "X-Rate-Limit-Remaining", RC_RATE_MAX_LIMIT, TRUE, &remaining)) {
    guint used = g->limit > remaining ? g->limit - remaining : 0;

    g_debug ("rate limit %s: %u of %u left in %u s", group_names[group], remaining, g->limit,
             g->window_s);
    /* Sends the server counted that we did not make (another client of this user and app). */
    for (guint i = g->sent->len; i < used; i++)
      add_sent (g, now);
  }
}

/* ---- holds (429, 503) ---- */

guint
rc_rate_limit_hold (RcRateLimit *self, guint seconds, gboolean rate_limit, gint64 now)
{
  gint64 until;

  g_return_val_if_fail (RC_IS_RATE_LIMIT (self), 0);
  if (seconds > self->max_hold_s)
    g_debug ("Retry-After of %u s clamped to %u s", seconds, self->max_hold_s);
  seconds = MIN (seconds, self->max_hold_s);
  until = now + (gint64)seconds * G_USEC_PER_SEC;
  if (until > self->hold_until) {
    self->hold_until = until;
    self->hold_is_429 = rate_limit;
  }
  return seconds;
}

guint
rc_rate_limit_parse_retry_after (SoupMessageHeaders *headers, guint fallback, gboolean *present)
{
  const char *value = soup_message_headers_get_one (headers, "Retry-After");
  g_autofree char *trimmed = NULL;
  guint64 secs;

  *present = FALSE;
  if (value == NULL)
    return fallback;
  trimmed = g_strstrip (g_strdup (value));
  if (*trimmed == '\0')
    return fallback;
  if (g_ascii_isdigit (trimmed[0])
      && g_ascii_string_to_unsigned (trimmed, 10, 0, G_MAXUINT64, &secs, NULL)) {
    *present = TRUE;
    return (guint)MIN (secs, G_MAXUINT);
  }
  {
    g_autoptr (GDateTime) when = soup_date_time_new_from_http_string (trimmed);
    g_autoptr (GDateTime) now = g_date_time_new_now_utc ();

    if (when != NULL) {
      GTimeSpan diff = g_date_time_difference (when, now);

      *present = TRUE;
      return diff > 0 ? (guint)MIN ((diff + G_USEC_PER_SEC - 1) / G_USEC_PER_SEC, G_MAXUINT) : 0;
    }
  }
  g_debug ("Retry-After not understood, ignored (%u s instead)", fallback);
  return fallback;
}
