/* bench-signon.c: sign-on to ready of prpl-ringcentral in real libpurple (the headless harness)
 * against the simulator, at 10 / 1,000 / 10,000 send-from numbers, beside a bare libsoup client
 * that makes the same requests back to back against the same simulator in the same run. Prints a
 * table; never fails on time (exit status is non-zero only when something did not work at all).
 *
 *   bench-signon [--runs R] [--max N] [--latency MS] [--one-process | --in-process]
 *
 * Ready = token (JWT grant), every number page (perPage=1000: ceil(N / 1000) pages), the texting
 * registration checks, the first catch-up (message-sync) and the push subscription active (the
 * simulator counts an open WebSocket with a subscription; its own process tells when, see
 * bench_sim_wait_until(): the plugin's process does not poll it). Every run signs a new account
 * on (no stored token, sync token or remembered registration: the worst case) and is timed from
 * rcp_harness_sign_on() to that point. The baseline replays the requests the simulator recorded
 * for that run, in order, one after another on a fresh SoupSession (its own JWT grant for the
 * token request; the wstoken answer opens the WebSocket, waits for ConnectionDetails and sends the
 * same subscription ClientRequest). A second baseline ("+parse") does the same and also parses
 * every answer with json-glib (what any client must do at least). R runs (default 5) a size: the
 * ms columns are medians of the R figures, each ratio the median of the R per-run ratios
 * (plugin_i / bare_i, plugin_i / parse_i), so a run where the whole machine was slow counts as
 * one ratio, not as a slow figure beside another run's fast one. The order of the contenders
 * alternates (default mode): even runs plugin, bare, +parse; odd runs +parse, bare, plugin, whose
 * replays read the requests of the previous run's plugin sign-on (every sign-on is a new account
 * on the same scenario: the same requests), so none of them always runs first or last.
 *
 * --latency MS: the simulator holds every HTTP answer MS ms (rc_sim_set_latency (): one round trip
 * a request, the same for every contender; /_sim/ control traffic, the /ws upgrade and WebSocket
 * frames are not held). 0 (default): loopback as it is.
 *
 * Method (default): the simulator of each size runs in a forked process of its own
 * (bench-sim-proc.c), and every contender of every run is timed in a fresh process of its own
 * (this program re-executed with --child, as bench-inbound's catch-up): the "plugin" child
 * (libpurple initialised, the simulator's pipes inherited as fds 3 and 4) signs one account on
 * untimed (first use of every code path), then a second one timed, and writes the requests of the
 * timed one to a temporary file; the "bare" and "parse" children read it, replay it once untimed,
 * then once timed. Why: in one process each figure depended on the malloc history left by what
 * ran before (glibc's dynamic mmap/trim thresholds): at 10,000 numbers the bare replay right
 * after a plugin sign-on took 110-330 ms and ~128 ms when run again right after; with
 * MALLOC_MMAP_THRESHOLD_=33554432 both took ~130 ms and the plugin's sign-on ~176 ms instead of
 * ~300 ms. --one-process keeps the former mode (simulators forked, all contenders in this process
 * one after another, one warm-up sign-on a size); --in-process runs the simulators in this process
 * too (the first measurement's mode: the simulator's serving, 10 MB of number pages at 10,000, on
 * the same main loop as the client). */
#include "bench-sim-proc.h"
#include "bench-util.h"

#include <glib/gstdio.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define SUBSCRIBE_FRAME                                                                            \
  "[{\"type\":\"ClientRequest\",\"messageId\":\"bench-sub\",\"method\":\"POST\","                  \
  "\"path\":\"/restapi/v1.0/subscription/\"},"                                                     \
  "{\"eventFilters\":[\"/restapi/v1.0/account/~/extension/~/message-store/instant?type=SMS\","     \
  "\"/restapi/v1.0/account/~/extension/~/message-store\"],"                                        \
  "\"deliveryMode\":{\"transportType\":\"WebSocket\"}}]"

/* N numbers in scenario form: the basic scenario's own number first (it has the extension), then
 * +1650200xxxx (and up), all able to send SMS (so each one is a candidate for a registration
 * check). */
static char *
numbers_json (guint n)
{
  GString *s = g_string_new ("[");
  char number[32];

  for (guint i = 0; i < n; i++) {
    if (i == 0)
      g_strlcpy (number, "+16505550100", sizeof number);
    else
      g_snprintf (number, sizeof number, "+1650%07u", 2000000 + i);
    g_string_append_printf (
        s,
        "%s{\"id\":%u,\"phoneNumber\":\"%s\",\"paymentType\":\"Local\",\"type\":\"VoiceFax\","
        "\"usageType\":\"DirectNumber\",\"status\":\"Normal\",\"location\":\"Palo Alto, CA\","
        "\"primary\":%s,\"extension\":true,\"features\":[\"SmsSender\",\"CallerId\"]}",
        i > 0 ? "," : "", 502000001 + i, number, i == 0 ? "true" : "false");
  }
  g_string_append (s, "]");
  return g_string_free (s, FALSE);
}

/* A request the plugin made, as the simulator recorded it (NULL members: none). */
typedef struct {
  char *method, *path, *query, *content_type, *body;
  guint status;
} Req;

static void
req_free (gpointer data)
{
  Req *r = data;

  g_free (r->method);
  g_free (r->path);
  g_free (r->query);
  g_free (r->content_type);
  g_free (r->body);
  g_free (r);
}

/* @req as one line: g_strescape()d fields joined by tabs: method, path, query, content type, body
 * (empty: none), status. */
static char *
req_line (const RcSimRequest *req)
{
  const char *fields[] = { req->method, req->path, req->query, req->content_type, req->body };
  GString *line = g_string_new (NULL);

  for (guint f = 0; f < G_N_ELEMENTS (fields); f++) {
    g_autofree char *escaped = g_strescape (fields[f] ? fields[f] : "", NULL);
    g_string_append_printf (line, "%s\t", escaped);
  }
  g_string_append_printf (line, "%u", req->status);
  return g_string_free (line, FALSE);
}

/* A req_line() read back (NULL: not one). */
static Req *
req_parse (const char *line)
{
  g_auto (GStrv) f = g_strsplit (line, "\t", 6);
  Req *r;

  if (g_strv_length (f) != 6)
    return NULL;
  r = g_new0 (Req, 1);
  r->method = g_strcompress (f[0]);
  r->path = g_strcompress (f[1]);
  r->query = *f[2] ? g_strcompress (f[2]) : NULL;
  r->content_type = *f[3] ? g_strcompress (f[3]) : NULL;
  r->body = *f[4] ? g_strcompress (f[4]) : NULL;
  r->status = (guint)strtoul (f[5], NULL, 10);
  return r;
}

/* Commands to the simulator (bench-sim-proc.h): "numbers N" serves N send-from numbers,
 * "latency MS" holds every HTTP answer MS ms (rc_sim_set_latency ()), "ws" the open WebSockets,
 * "clear" forgets the recorded requests, "nreqs" their count, "req I" the I-th as g_strescape()d
 * fields joined by tabs: method, path, query, content type, body (empty: none), status. */
static char *
sim_command (RcSim *sim, const char *command)
{
  GPtrArray *reqs = rc_sim_get_requests (sim);

  if (g_str_has_prefix (command, "numbers ")) {
    g_autofree char *json = numbers_json ((guint)strtoul (command + 8, NULL, 10));
    g_autoptr (GError) error = NULL;

    if (!rc_sim_set_numbers (sim, json, &error))
      return g_strdup (error->message);
    return g_strdup ("ok");
  }
  if (g_str_has_prefix (command, "latency ")) {
    rc_sim_set_latency (sim, (guint)strtoul (command + 8, NULL, 10));
    return g_strdup ("ok");
  }
  if (g_str_equal (command, "ws"))
    return g_strdup_printf ("%u", rc_sim_ws_count_connections (sim));
  if (g_str_equal (command, "clear")) {
    rc_sim_clear_requests (sim);
    return g_strdup ("ok");
  }
  if (g_str_equal (command, "nreqs"))
    return g_strdup_printf ("%u", reqs->len);
  if (g_str_has_prefix (command, "req ")) {
    guint i = (guint)strtoul (command + 4, NULL, 10);

    return i < reqs->len ? req_line (reqs->pdata[i]) : g_strdup ("");
  }
  return g_strdup ("?");
}

/* The requests the simulator recorded since the last "clear", as req_line()s. */
static GPtrArray *
sim_request_lines (BenchSim *sim)
{
  GPtrArray *lines = g_ptr_array_new_with_free_func (g_free);
  guint n = bench_sim_ask_uint (sim, "nreqs");

  for (guint i = 0; i < n; i++) {
    g_autofree char *command = g_strdup_printf ("req %u", i);

    g_ptr_array_add (lines, bench_sim_ask (sim, command));
  }
  return lines;
}

static gboolean
push_down (gpointer data)
{
  return bench_sim_ask_uint (data, "ws") == 0;
}

/* ---- bare WebSocket: connect, ConnectionDetails, subscribe ---- */

typedef struct {
  gboolean open, got_details, subscribed;
  SoupWebsocketConnection *conn;
  GError *error;
} BareWs;

static void
bare_ws_message (SoupWebsocketConnection *conn, gint type, GBytes *message, gpointer data)
{
  BareWs *ws = data;
  gsize len;
  const char *text = g_bytes_get_data (message, &len);
  g_autofree char *copy = g_strndup (text, len);

  if (strstr (copy, "\"ConnectionDetails\"") != NULL)
    ws->got_details = TRUE;
  else if (strstr (copy, "\"bench-sub\"") != NULL)
    ws->subscribed = TRUE;
}

static void
bare_ws_connected (GObject *source, GAsyncResult *result, gpointer data)
{
  BareWs *ws = data;

  ws->conn = soup_session_websocket_connect_finish (SOUP_SESSION (source), result, &ws->error);
  ws->open = TRUE;
  if (ws->conn != NULL)
    g_signal_connect (ws->conn, "message", G_CALLBACK (bare_ws_message), ws);
}

/* Opens the socket of a wstoken answer and subscribes; returns the open connection. */
static SoupWebsocketConnection *
bare_subscribe (SoupSession *session, GBytes *wstoken_answer)
{
  g_autofree char *uri = bench_json_member (wstoken_answer, "uri");
  g_autofree char *token = bench_json_member (wstoken_answer, "ws_access_token");
  g_autofree char *escaped = g_uri_escape_string (token ? token : "", NULL, FALSE);
  g_autofree char *url = g_strconcat (uri ? uri : "", "?access_token=", escaped, NULL);
  g_autoptr (SoupMessage) msg = soup_message_new ("GET", url);
  BareWs ws = { 0 };

  if (msg == NULL)
    g_error ("bare WebSocket: no uri in the wstoken answer");
  soup_session_websocket_connect_async (session, msg, NULL, NULL, G_PRIORITY_DEFAULT, NULL,
                                        bare_ws_connected, &ws);
  rcp_harness_wait_until (bench_flag_set, &ws.open, RCP_HARNESS_TIMEOUT_MS);
  if (ws.conn == NULL)
    g_error ("bare WebSocket: %s", ws.error ? ws.error->message : "timeout");
  rcp_harness_wait_until (bench_flag_set, &ws.got_details, RCP_HARNESS_TIMEOUT_MS);
  soup_websocket_connection_send_text (ws.conn, SUBSCRIBE_FRAME);
  if (!rcp_harness_wait_until (bench_flag_set, &ws.subscribed, RCP_HARNESS_TIMEOUT_MS))
    g_error ("bare WebSocket: the subscription was not answered");
  g_signal_handlers_disconnect_by_data (ws.conn, &ws);
  return ws.conn;
}

/* ---- one run ---- */

typedef struct {
  double plugin_ms, bare_ms, parse_ms;
  guint requests, pages, registration, syncs;
} Run;

static gboolean
path_has (const Req *req, const char *suffix)
{
  return g_str_has_suffix (req->path, suffix);
}

/* Replays @reqs (Req*) back to back on a fresh session against the simulator at @base; returns
 * the wall time in ms. */
static double
bare_replay (const char *base, GPtrArray *reqs, gboolean parse)
{
  g_autoptr (SoupSession) session = soup_session_new ();
  g_autofree char *auth = NULL;
  g_autoptr (SoupWebsocketConnection) ws = NULL;
  gint64 t0 = bench_now_us ();
  double ms;

  for (guint i = 0; i < reqs->len; i++) {
    const Req *req = reqs->pdata[i];
    g_autofree char *url = NULL;
    g_autoptr (GBytes) answer = NULL;
    guint status;

    if (g_str_equal (req->path, "/restapi/oauth/token")) {
      g_free (auth);
      auth = bench_bearer_at (session, base);
      continue;
    }
    if (req->status == 0)
      /* The plugin's was still unanswered when it was ready (contacts started beside push, held
       * by --latency): the plugin did not wait for it, so neither does the replay. */
      continue;
    url = g_strconcat (base, req->path, req->query ? "?" : "", req->query ? req->query : "", NULL);
    answer
        = bench_http_any (session, req->method, url, auth, req->content_type, req->body, &status);
    if (parse && answer != NULL) {
      g_autoptr (JsonParser) parser = json_parser_new_immutable ();
      json_parser_load_from_data (parser, g_bytes_get_data (answer, NULL),
                                  (gssize)g_bytes_get_size (answer), NULL);
    }
    if (status != req->status)
      fprintf (stderr, "bare %s %s: %u (the plugin got %u)\n", req->method, req->path, status,
               req->status);
    if (g_str_equal (req->path, "/restapi/oauth/wstoken") && answer != NULL)
      ws = bare_subscribe (session, answer);
  }
  ms = (bench_now_us () - t0) / 1000.0;
  if (ws != NULL)
    soup_websocket_connection_close (ws, SOUP_WEBSOCKET_CLOSE_NORMAL, NULL);
  rcp_harness_run_for (50);
  return ms;
}

/* Signs a new account (@user) on and times it until ready; @lines gets the req_line()s of what
 * the plugin asked for until then (later ones, such as contacts, are not part of it) and @r the
 * wall time and counts. The harness is freed and the push down when it returns. */
static void
plugin_signon (BenchSim *sim, const char *user, Run *r, GPtrArray *lines)
{
  g_autofree char *description = NULL;
  g_autoptr (GPtrArray) all = NULL;
  PurpleConnectionError reason;
  RcpHarness *h;
  gint64 t0;

  if (!rcp_harness_wait_until (push_down, sim, RCP_HARNESS_TIMEOUT_MS))
    g_error ("the previous account's push is still up");
  g_free (bench_sim_ask (sim, "clear"));
  h = rcp_harness_new ();
  rcp_harness_add_account (h, user, sim->base_url);
  t0 = bench_now_us ();
  if (rcp_harness_sign_on (h, 120000, &reason, &description) != RCP_SIGNON_OK)
    g_error ("sign-on failed: %s", description ? description : "timeout");
  if (!bench_sim_wait_until (sim, "ws", 1, 120000))
    g_error ("push did not come up");
  r->plugin_ms = (bench_now_us () - t0) / 1000.0;

  all = sim_request_lines (sim);
  for (guint i = 0; i < all->len; i++) {
    Req *req = req_parse (all->pdata[i]);

    if (req == NULL)
      g_error ("simulator: bad request record %u", i);
    if (!g_str_has_prefix (req->path, "/_sim/") && !g_str_equal (req->path, "/ws")) {
      g_ptr_array_add (lines, g_strdup (all->pdata[i]));
      r->pages += path_has (req, "/phone-number");
      r->registration += path_has (req, "/sms-configuration");
      r->syncs += path_has (req, "/message-sync");
      /* reqs: those answered by ready (the replays make only these). */
      r->requests += req->status != 0;
    }
    req_free (req);
  }
  rcp_harness_free (h);
  rcp_harness_wait_until (push_down, sim, RCP_HARNESS_TIMEOUT_MS);
}

/* req_line()s read back into Req*s. */
static GPtrArray *
reqs_of_lines (char **lines, guint n)
{
  GPtrArray *reqs = g_ptr_array_new_with_free_func (req_free);

  for (guint i = 0; i < n; i++) {
    Req *req = req_parse (lines[i]);

    if (req == NULL)
      g_error ("bad request record %u", i);
    g_ptr_array_add (reqs, req);
  }
  return reqs;
}

/* One run in this process (--one-process, --in-process): plugin, then both replays. */
static Run
one_run (BenchSim *sim, guint n, guint run)
{
  g_autofree char *user = g_strdup_printf ("signon-%u-%u@example.com", n, run);
  g_autoptr (GPtrArray) lines = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GPtrArray) reqs = NULL;
  Run r = { 0 };

  plugin_signon (sim, user, &r, lines);
  reqs = reqs_of_lines ((char **)lines->pdata, lines->len);
  rcp_harness_run_for (100);
  r.bare_ms = bare_replay (sim->base_url, reqs, FALSE);
  r.parse_ms = bare_replay (sim->base_url, reqs, TRUE);
  return r;
}

/* ---- one contender in a process of its own (--child) ---- */

/* Prints "RESULT ms=.. pages=.. reg=.. sync=.. reqs=.." for the parent. "plugin": the parent's
 * simulator on fds 3 and 4, one untimed sign-on, then the timed one, whose requests go to
 * @reqs_path; "bare" / "parse": the replay of @reqs_path, once untimed, then timed. */
static int
child_main (const char *mode, guint n, guint run, const char *reqs_path, const char *base_url)
{
  Run r = { 0 };

  if (g_str_equal (mode, "plugin")) {
    g_autofree char *warm_user = g_strdup_printf ("signon-%u-%u-warm@example.com", n, run);
    g_autofree char *user = g_strdup_printf ("signon-%u-%u@example.com", n, run);
    g_autoptr (GPtrArray) warm_lines = g_ptr_array_new_with_free_func (g_free);
    g_autoptr (GPtrArray) lines = g_ptr_array_new_with_free_func (g_free);
    g_autofree char *text = NULL;
    Run warm = { 0 };
    BenchSim sim;

    bench_sim_attach (&sim, base_url, sim_command);
    rcp_harness_core_init (NULL);
    plugin_signon (&sim, warm_user, &warm, warm_lines);
    rcp_harness_run_for (100);
    plugin_signon (&sim, user, &r, lines);
    g_ptr_array_add (lines, NULL);
    text = g_strjoinv ("\n", (char **)lines->pdata);
    if (!g_file_set_contents (reqs_path, text, -1, NULL))
      g_error ("cannot write %s", reqs_path);
  } else {
    gboolean parse = g_str_equal (mode, "parse");
    g_autofree char *text = NULL;
    g_auto (GStrv) lines = NULL;
    g_autoptr (GPtrArray) reqs = NULL;

    if (!g_file_get_contents (reqs_path, &text, NULL, NULL))
      g_error ("cannot read %s", reqs_path);
    lines = g_strsplit (text, "\n", -1);
    reqs = reqs_of_lines (lines, g_strv_length (lines));
    bare_replay (base_url, reqs, parse);
    r.plugin_ms = bare_replay (base_url, reqs, parse);
  }
  printf ("RESULT ms=%.3f pages=%u reg=%u sync=%u reqs=%u\n", r.plugin_ms, r.pages, r.registration,
          r.syncs, r.requests);
  fflush (stdout);
  _exit (0); /* no teardown: libpurple's takes long and measures nothing */
}

/* Runs @mode's child for size @n, run @run; its ms (and, for "plugin", the counts) into @r. */
static void
run_child (const char *self_exe, BenchSim *sim, const char *mode, guint n, guint run,
           const char *reqs_path, Run *r)
{
  g_autofree char *n_text = g_strdup_printf ("%u", n);
  g_autofree char *run_text = g_strdup_printf ("%u", run);
  const char *argv[]
      = { self_exe, "--child", mode, n_text, run_text, reqs_path, sim->base_url, NULL };
  g_autofree char *line = bench_run_child (argv, sim->proc.to_sim, sim->proc.from_sim);
  double ms;
  guint pages, reg, sync, reqs;

  if (line == NULL
      || sscanf (line, "ms=%lf pages=%u reg=%u sync=%u reqs=%u", &ms, &pages, &reg, &sync, &reqs)
             != 5)
    g_error ("child %s %u: no result", mode, n);
  if (g_str_equal (mode, "plugin")) {
    r->plugin_ms = ms;
    r->pages = pages;
    r->registration = reg;
    r->syncs = sync;
    r->requests = reqs;
  } else if (g_str_equal (mode, "bare"))
    r->bare_ms = ms;
  else
    r->parse_ms = ms;
}

/* @which: 0 plugin ms, 1 bare ms, 2 +parse ms, 3 plugin / bare of each run, 4 plugin / +parse. */
static double
median_of (Run *runs, guint n, guint which)
{
  g_autofree double *v = g_new (double, n);

  for (guint i = 0; i < n; i++) {
    const Run *r = &runs[i];

    switch (which) {
      case 0:
        v[i] = r->plugin_ms;
        break;
      case 1:
        v[i] = r->bare_ms;
        break;
      case 2:
        v[i] = r->parse_ms;
        break;
      case 3:
        v[i] = r->plugin_ms / r->bare_ms;
        break;
      default:
        v[i] = r->plugin_ms / r->parse_ms;
        break;
    }
  }
  return bench_percentile (v, n, 50);
}

static void
drop_print (const char *text)
{
}

int
main (int argc, char **argv)
{
  int runs = 5, max = 10000, latency = 0;
  gboolean in_process = FALSE, one_process = FALSE;
  GOptionEntry entries[] = {
    { "runs", 0, 0, G_OPTION_ARG_INT, &runs, "Runs per size, medians printed (default 5)", "R" },
    { "max", 0, 0, G_OPTION_ARG_INT, &max, "Largest number list (default 10000)", "N" },
    { "latency", 0, 0, G_OPTION_ARG_INT, &latency,
      "Simulated latency: every HTTP answer held MS ms (default 0)", "MS" },
    { "in-process", 0, 0, G_OPTION_ARG_NONE, &in_process,
      "Simulator in this process (its serving on the client's main loop)", NULL },
    { "one-process", 0, 0, G_OPTION_ARG_NONE, &one_process,
      "Simulators forked, every contender in this process (the former mode)", NULL },
    { NULL },
  };
  g_autoptr (GOptionContext) ctx = NULL;
  g_autoptr (GError) error = NULL;
  guint sizes[] = { 10, 1000, 10000, 50000 };
  BenchSim sims[G_N_ELEMENTS (sizes)];
  g_autofree char *self_exe = g_file_read_link ("/proc/self/exe", NULL);
  gboolean children;

  /* The harness logs every conversation line with g_test_message (g_print): drop that. */
  g_set_print_handler (drop_print);
  if (argc == 7 && g_str_equal (argv[1], "--child"))
    return child_main (argv[2], (guint)atoi (argv[3]), (guint)atoi (argv[4]), argv[5], argv[6]);
  ctx = g_option_context_new ("- sign-on benchmark of prpl-ringcentral");
  g_option_context_add_main_entries (ctx, entries, NULL);
  if (!g_option_context_parse (ctx, &argc, &argv, &error)) {
    fprintf (stderr, "%s\n", error->message);
    return 2;
  }
  runs = CLAMP (runs, 1, 100);
  latency = CLAMP (latency, 0, 10000);
  children = !in_process && !one_process;
  /* One simulator a size, forked before any thread exists (libpurple, libsoup and GIO start
   * some). */
  for (guint s = 0; s < G_N_ELEMENTS (sizes) && sizes[s] <= (guint)max; s++) {
    g_autofree char *command = g_strdup_printf ("numbers %u", sizes[s]);
    g_autofree char *reply = NULL;

    bench_sim_open (&sims[s], "basic.json", sim_command, in_process);
    reply = bench_sim_ask (&sims[s], command);
    if (!g_str_equal (reply, "ok"))
      g_error ("numbers: %s", reply);
    g_free (command);
    command = g_strdup_printf ("latency %d", latency);
    g_free (reply);
    reply = bench_sim_ask (&sims[s], command);
    if (!g_str_equal (reply, "ok"))
      g_error ("latency: %s", reply);
  }
  if (!children)
    rcp_harness_core_init (NULL);

  printf ("bench-signon: sign-on to ready (token, number pages, registration, catch-up, push "
          "subscribed), %d runs a size, medians (ratios: of the per-run ratios); simulator %s; "
          "%s; simulated latency %d ms a request\n\n",
          runs, in_process ? "in this process" : "forked (a process of its own)",
          children ? "each contender in a fresh process (own untimed warm-up; order alternating "
                     "from run to run)"
                   : "every contender in this process",
          latency);
  printf ("   %7s %6s %6s %5s %5s %5s %10s %10s %7s %10s %7s\n", "numbers", "pages", "expect",
          "reg", "sync", "reqs", "plugin ms", "bare ms", "ratio", "+parse ms", "ratio");
  fflush (stdout);
  for (guint s = 0; s < G_N_ELEMENTS (sizes) && sizes[s] <= (guint)max; s++) {
    guint n = sizes[s];
    BenchSim *sim = &sims[s];
    g_autofree Run *r = g_new0 (Run, runs);
    double p, b, bp, rb, rbp;

    if (children) {
      g_autofree char *reqs_path
          = g_strdup_printf ("%s/bench-signon-%d-%u.reqs", g_get_tmp_dir (), (int)getpid (), n);

      /* The order alternates from run to run; odd runs replay the file of the run before (the
       * plugin writes it in every run). */
      static const char *const order[2][3]
          = { { "plugin", "bare", "parse" }, { "parse", "bare", "plugin" } };

      for (int i = 0; i < runs; i++)
        for (guint k = 0; k < G_N_ELEMENTS (order[0]); k++)
          run_child (self_exe, sim, order[i % 2][k], n, (guint)i, reqs_path, &r[i]);
      g_unlink (reqs_path);
    } else {
      one_run (sim, n, 1000); /* warm-up (first use of every code path), not counted */
      for (int i = 0; i < runs; i++)
        r[i] = one_run (sim, n, (guint)i);
    }
    p = median_of (r, runs, 0);
    b = median_of (r, runs, 1);
    bp = median_of (r, runs, 2);
    rb = median_of (r, runs, 3);
    rbp = median_of (r, runs, 4);
    printf ("   %7u %6u %6u %5u %5u %5u %10.1f %10.1f %7.2f %10.1f %7.2f\n", n, r[0].pages,
            (n + 999) / 1000, r[0].registration, r[0].syncs, r[0].requests, p, b, rb, bp, rbp);
    fflush (stdout);
  }
  printf (
      "   target: ratio <= 1.2; pages = ceil(N / 1000); registration checks not growing with N\n");
  fflush (stdout);
  _exit (0); /* no teardown: libpurple's takes long and measures nothing */
}
