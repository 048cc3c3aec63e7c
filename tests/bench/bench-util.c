/* bench-util.c: helpers shared by the benchmarks (see bench-util.h). */
#include "bench-util.h"

#include <math.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#ifndef RCP_SCENARIOS_DIR
#define RCP_SCENARIOS_DIR ""
#endif

#define JWT_GRANT "urn:ietf:params:oauth:grant-type:jwt-bearer"

gint64
bench_now_us (void)
{
  return g_get_monotonic_time ();
}

static int
cmp_double (const void *a, const void *b)
{
  double x = *(const double *)a, y = *(const double *)b;
  return x < y ? -1 : x > y;
}

double
bench_percentile (double *v, guint n, double p)
{
  guint rank;

  if (n == 0)
    return NAN;
  qsort (v, n, sizeof *v, cmp_double);
  rank = (guint)ceil (p / 100.0 * n);
  return v[rank > 0 ? rank - 1 : 0];
}

RcSim *
bench_sim_start (const char *scenario)
{
  g_autofree char *path = g_build_filename (RCP_SCENARIOS_DIR, scenario, NULL);
  g_autoptr (GError) error = NULL;
  RcSim *sim = rc_sim_new_from_file (path, &error);

  if (sim == NULL || !rc_sim_start (sim, 0, &error))
    g_error ("simulator: %s", error->message);
  return sim;
}

gboolean
bench_flag_set (gpointer data)
{
  return *(gboolean *)data;
}

typedef struct {
  gboolean done;
  GBytes *body;
  GError *error;
} HttpCall;

static void
http_done (GObject *source, GAsyncResult *result, gpointer data)
{
  HttpCall *c = data;

  c->body = soup_session_send_and_read_finish (SOUP_SESSION (source), result, &c->error);
  c->done = TRUE;
}

GBytes *
bench_http_any (SoupSession *session, const char *method, const char *url, const char *auth,
                const char *content_type, const char *body, guint *status)
{
  g_autoptr (SoupMessage) msg = soup_message_new (method, url);
  HttpCall c = { 0 };

  if (msg == NULL)
    g_error ("%s %s: not a URL", method, url);
  if (auth != NULL)
    soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", auth);
  if (body != NULL) {
    g_autoptr (GBytes) b = g_bytes_new (body, strlen (body));
    soup_message_set_request_body_from_bytes (
        msg, content_type ? content_type : "application/x-www-form-urlencoded", b);
  }
  soup_session_send_and_read_async (session, msg, G_PRIORITY_DEFAULT, NULL, http_done, &c);
  rcp_harness_wait_until (bench_flag_set, &c.done, 120000);
  *status = c.body != NULL ? soup_message_get_status (msg) : 0;
  g_clear_error (&c.error);
  return c.body;
}

GBytes *
bench_http (SoupSession *session, const char *method, const char *url, const char *auth,
            const char *content_type, const char *body)
{
  guint status;
  GBytes *answer = bench_http_any (session, method, url, auth, content_type, body, &status);

  if (answer == NULL || status != 200)
    g_error ("%s %s: answered %u", method, url, status);
  return answer;
}

char *
bench_json_member (GBytes *body, const char *member)
{
  g_autoptr (JsonParser) parser = json_parser_new ();
  gsize len;
  const char *data = g_bytes_get_data (body, &len);
  JsonNode *root;

  if (!json_parser_load_from_data (parser, data, (gssize)len, NULL))
    return NULL;
  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    return NULL;
  return g_strdup (
      json_object_get_string_member_with_default (json_node_get_object (root), member, NULL));
}

char *
bench_bearer (SoupSession *session, RcSim *sim)
{
  g_autofree char *base = rc_sim_get_base_url (sim);

  return bench_bearer_at (session, base);
}

char *
bench_bearer_at (SoupSession *session, const char *base)
{
  g_autofree char *url = g_strconcat (base, "/restapi/oauth/token", NULL);
  g_autofree char *basic_raw = g_strdup (RCP_HARNESS_CLIENT_ID ":" RCP_HARNESS_CLIENT_SECRET);
  g_autofree char *basic_b64 = g_base64_encode ((const guchar *)basic_raw, strlen (basic_raw));
  g_autofree char *basic = g_strconcat ("Basic ", basic_b64, NULL);
  g_autofree char *grant = g_uri_escape_string (JWT_GRANT, NULL, FALSE);
  g_autofree char *form = g_strdup_printf ("grant_type=%s&assertion=%s", grant, RCP_HARNESS_JWT);
  g_autoptr (GBytes) body = bench_http (session, "POST", url, basic, NULL, form);
  g_autofree char *token = bench_json_member (body, "access_token");

  if (token == NULL)
    g_error ("no access_token in the simulator's token answer");
  return g_strconcat ("Bearer ", token, NULL);
}

char *
bench_run_child (const char *const *argv, int fd3, int fd4)
{
  g_autoptr (GSubprocessLauncher) launcher
      = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE);
  g_autoptr (GSubprocess) child = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *out = NULL;
  const char *line;

  if (fd3 >= 0)
    g_subprocess_launcher_take_fd (launcher, dup (fd3), 3);
  if (fd4 >= 0)
    g_subprocess_launcher_take_fd (launcher, dup (fd4), 4);
  child = g_subprocess_launcher_spawnv (launcher, argv, &error);
  if (child == NULL || !g_subprocess_communicate_utf8 (child, NULL, NULL, &out, NULL, &error)) {
    fprintf (stderr, "child %s: %s\n", argv[2] ? argv[2] : argv[0], error->message);
    return NULL;
  }
  line = out != NULL ? strstr (out, "RESULT ") : NULL;
  if (line == NULL || (line != out && line[-1] != '\n')) {
    g_subprocess_wait (child, NULL, NULL);
    fprintf (stderr, "child %s: no result (status %d)\n", argv[2] ? argv[2] : argv[0],
             g_subprocess_get_status (child));
    return NULL;
  }
  line += strlen ("RESULT ");
  return g_strndup (line, strcspn (line, "\n"));
}
