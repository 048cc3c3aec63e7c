/* bench-inbound.c: inbound-path benchmark of prpl-ringcentral in real libpurple (the headless
 * harness) against the in-process simulator, each figure beside a baseline. Prints a table; never
 * fails on time (exit status is non-zero only when something did not work at all).
 *
 *   bench-inbound [--quick] [--texts N] [--idle-seconds S] [--no-50k] [--catch-up-only]
 *
 * 1. push latency: rc_sim_add_inbound() -> received-im-msg, N times (default 1000), beside a bare
 *    libsoup WebSocket Heartbeat round trip on the simulator's own /ws (same loopback, same loop).
 * 2. catch-up of 1k/10k/50k texts missed while offline: wall time and peak RSS growth of the
 *    plugin's process alone (the simulator runs in a forked process of its own), each run in a
 *    fresh child process (this program with --child), beside a bare client in the same setting (a
 *    libsoup GET of the same message-sync answer and a json-glib parse of it), the simulator alone
 *    building and serving it, and json-glib alone parsing it from memory.
 * 3. idle: requests, client WebSocket frames, main-loop iterations and context switches over S
 *    seconds with push up (default 300; --quick 60). */
#include "bench-util.h"

#include "bench-sim-proc.h"

#include <libsoup/soup.h>
#include <malloc.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <glib/gstdio.h>

#define OUR_NUMBER "+16505550100"
#define N_SENDERS  50

/* ---- small helpers ---- */

/* VmRSS / VmHWM of this process in kB. */
static long
status_kb (const char *key)
{
  g_autofree char *text = NULL;
  const char *p;

  if (!g_file_get_contents ("/proc/self/status", &text, NULL, NULL))
    return -1;
  p = strstr (text, key);
  return p ? strtol (p + strlen (key), NULL, 10) : -1;
}

/* Resets VmHWM to the current RSS (Linux >= 4.0). */
static gboolean
reset_peak (void)
{
  FILE *f = fopen ("/proc/self/clear_refs", "w");
  gboolean ok;

  if (f == NULL)
    return FALSE;
  ok = fputs ("5", f) >= 0;
  return fclose (f) == 0 && ok;
}

/* Voluntary + involuntary context switches of every thread of this process. */
static long
ctxt_switches (void)
{
  g_autoptr (GDir) dir = g_dir_open ("/proc/self/task", 0, NULL);
  const char *name;
  long total = 0;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL) {
    g_autofree char *path = g_build_filename ("/proc/self/task", name, "status", NULL);
    g_autofree char *text = NULL;
    const char *p;
    if (!g_file_get_contents (path, &text, NULL, NULL))
      continue;
    if ((p = strstr (text, "voluntary_ctxt_switches:")) != NULL)
      total += strtol (p + strlen ("voluntary_ctxt_switches:"), NULL, 10);
    if ((p = strstr (text, "nonvoluntary_ctxt_switches:")) != NULL)
      total += strtol (p + strlen ("nonvoluntary_ctxt_switches:"), NULL, 10);
  }
  return total;
}

/* received-im-msg, timed here rather than by polling the harness records. */
static guint recv_count;
static gint64 last_recv_us;
static int signal_handle;

static void
on_received_im (PurpleAccount *account, char *who, char *text, PurpleConversation *conv,
                PurpleMessageFlags flags, gpointer data)
{
  recv_count++;
  last_recv_us = bench_now_us ();
}

static gboolean
recv_reached (gpointer data)
{
  return recv_count >= GPOINTER_TO_UINT (data);
}

static gboolean
push_up (gpointer data)
{
  return rc_sim_ws_count_connections (data) > 0;
}

static guint loop_iterations;

static gboolean
count_iteration (gpointer data)
{
  loop_iterations++;
  return TRUE;
}

/* Signs a new plugin account on against the simulator at @url and waits until @push_is_up. */
static RcpHarness *
plugin_up_at (const char *url, RcpHarnessPredicate push_is_up, gpointer data)
{
  RcpHarness *h = rcp_harness_new ();
  g_autofree char *description = NULL;
  PurpleConnectionError reason;

  purple_signal_connect (purple_conversations_get_handle (), "received-im-msg", &signal_handle,
                         PURPLE_CALLBACK (on_received_im), NULL);
  rcp_harness_add_account (h, "bench@example.com", url);
  if (rcp_harness_sign_on (h, RCP_HARNESS_TIMEOUT_MS, &reason, &description) != RCP_SIGNON_OK)
    g_error ("sign-on failed: %s", description ? description : "timeout");
  if (!rcp_harness_wait_until (push_is_up, data, RCP_HARNESS_TIMEOUT_MS))
    g_error ("push did not come up");
  rcp_harness_run_for (300);
  return h;
}

static RcpHarness *
plugin_up (RcSim *sim)
{
  g_autofree char *url = rc_sim_get_base_url (sim);

  return plugin_up_at (url, push_up, sim);
}

/* ---- 1. push latency ---- */

typedef struct {
  gboolean open;
  gboolean got_first; /* ConnectionDetails */
  char *waiting_for;  /* messageId of the Heartbeat in flight */
  gint64 echo_us;
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

  ws->got_first = TRUE;
  if (ws->waiting_for != NULL && strstr (copy, "\"Heartbeat\"") != NULL
      && strstr (copy, ws->waiting_for) != NULL) {
    ws->echo_us = bench_now_us ();
    g_clear_pointer (&ws->waiting_for, g_free);
  }
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

static gboolean
ws_echoed (gpointer data)
{
  return ((BareWs *)data)->waiting_for == NULL;
}

/* Heartbeat round trips of a raw libsoup WebSocket on the simulator's /ws. */
static void
bare_ws_round_trips (RcSim *sim, double *out, guint n)
{
  g_autoptr (SoupSession) session = soup_session_new ();
  g_autofree char *auth = bench_bearer (session, sim);
  g_autofree char *base = rc_sim_get_base_url (sim);
  g_autofree char *url = g_strconcat (base, "/restapi/oauth/wstoken", NULL);
  g_autoptr (GBytes) body = bench_http (session, "POST", url, auth, NULL, "");
  g_autofree char *uri = bench_json_member (body, "uri");
  g_autofree char *token = bench_json_member (body, "ws_access_token");
  g_autofree char *escaped = g_uri_escape_string (token, NULL, FALSE);
  g_autofree char *ws_url = g_strconcat (uri, "?access_token=", escaped, NULL);
  g_autoptr (SoupMessage) msg = soup_message_new ("GET", ws_url);
  BareWs ws = { 0 };

  soup_session_websocket_connect_async (session, msg, NULL, NULL, G_PRIORITY_DEFAULT, NULL,
                                        bare_ws_connected, &ws);
  rcp_harness_wait_until (bench_flag_set, &ws.open, RCP_HARNESS_TIMEOUT_MS);
  if (ws.conn == NULL)
    g_error ("bare WebSocket: %s", ws.error ? ws.error->message : "timeout");
  rcp_harness_wait_until (bench_flag_set, &ws.got_first, RCP_HARNESS_TIMEOUT_MS);
  for (guint i = 0; i < n + 20; i++) {
    g_autofree char *frame = NULL;
    gint64 t0;
    ws.waiting_for = g_strdup_printf ("\"bench-hb-%u\"", i);
    frame = g_strdup_printf ("[{\"type\":\"Heartbeat\",\"messageId\":\"bench-hb-%u\"}]", i);
    t0 = bench_now_us ();
    soup_websocket_connection_send_text (ws.conn, frame);
    if (!rcp_harness_wait_until (ws_echoed, &ws, RCP_HARNESS_TIMEOUT_MS))
      g_error ("bare WebSocket: no echo");
    if (i >= 20) /* the first 20 warm up */
      out[i - 20] = (ws.echo_us - t0) / 1000.0;
  }
  soup_websocket_connection_close (ws.conn, SOUP_WEBSOCKET_CLOSE_NORMAL, NULL);
  rcp_harness_run_for (100);
  g_clear_object (&ws.conn);
}

static void
push_latency (RcSim *sim, guint n, double *out)
{
  for (guint i = 0; i < n + 20; i++) {
    g_autofree char *from = g_strdup_printf ("+141555%05u", 10000 + i % N_SENDERS);
    g_autofree char *text = g_strdup_printf ("push text %u", i);
    g_autofree char *id = NULL;
    guint want = recv_count + 1;
    gint64 t0 = bench_now_us ();
    id = rc_sim_add_inbound (sim, from, OUR_NUMBER, text);
    if (!rcp_harness_wait_until (recv_reached, GUINT_TO_POINTER (want), RCP_HARNESS_TIMEOUT_MS))
      g_error ("text %u never reached received-im-msg", i);
    if (i >= 20)
      out[i - 20] = (last_recv_us - t0) / 1000.0;
  }
}

/* ---- 2. catch-up (child processes) ---- */

static void
add_texts (RcSim *sim, guint n)
{
  for (guint i = 0; i < n; i++) {
    g_autofree char *from = g_strdup_printf ("+141555%05u", 20000 + i % N_SENDERS);
    g_autofree char *text
        = g_strdup_printf ("Missed text %u: are we still on for Thursday at the usual place?", i);
    g_free (rc_sim_add_inbound (sim, from, OUR_NUMBER, text));
  }
}

/* Commands to the simulator's own process (bench-sim-proc.h): "add N" adds N missed texts,
 * "ws" answers the number of WebSocket connections. */
static char *
sim_command (RcSim *sim, const char *command)
{
  if (g_str_has_prefix (command, "add ")) {
    add_texts (sim, (guint)atoi (command + 4));
    return g_strdup ("ok");
  }
  if (g_str_equal (command, "ws"))
    return g_strdup_printf ("%u", rc_sim_ws_count_connections (sim));
  return g_strdup ("?");
}

static gboolean
remote_push_up (gpointer data)
{
  g_autofree char *reply = bench_sim_proc_ask (data, "ws");

  return reply != NULL && atoi (reply) > 0;
}

static BenchSimProc
remote_sim_start (void)
{
  g_autofree char *path = g_build_filename (RCP_SCENARIOS_DIR, "basic.json", NULL);
  BenchSimProc proc;

  if (!bench_sim_proc_start (&proc, path, sim_command))
    g_error ("simulator process did not start");
  return proc;
}

static void
remote_add_texts (BenchSimProc *proc, guint n)
{
  g_autofree char *command = g_strdup_printf ("add %u", n);
  g_autofree char *reply = bench_sim_proc_ask (proc, command);

  if (g_strcmp0 (reply, "ok") != 0)
    g_error ("simulator process: no answer to %s", command);
}

/* Prints "RESULT wall_us=.. grow_kb=.. got=.. bytes=.." for the parent. */
static int
child_main (const char *mode, guint n, guint timeout_s, const char *body_path)
{
  g_autoptr (RcSim) sim = NULL;
  gint64 t0, t1 = 0;
  long rss0, hwm;
  guint got = 0;
  gsize bytes = 0;

  if (g_str_equal (mode, "parse")) {
    /* json-glib alone parsing the body the "sim" child saved: no simulator in this process. */
    g_autoptr (JsonParser) parser = json_parser_new ();
    g_autofree char *data = NULL;
    if (!g_file_get_contents (body_path, &data, &bytes, NULL))
      g_error ("cannot read %s", body_path);
    malloc_trim (0);
    rss0 = status_kb ("VmRSS:");
    reset_peak ();
    t0 = bench_now_us ();
    if (!json_parser_load_from_data (parser, data, (gssize)bytes, NULL))
      g_error ("body is not JSON");
    got = json_array_get_length (json_object_get_array_member (
        json_node_get_object (json_parser_get_root (parser)), "records"));
    t1 = bench_now_us ();
    hwm = status_kb ("VmHWM:");
  } else if (g_str_equal (mode, "plugin")) {
    /* The simulator in a process of its own: these figures are the plugin's process alone. */
    BenchSimProc proc = remote_sim_start ();
    RcpHarness *h = plugin_up_at (proc.base_url, remote_push_up, &proc);
    g_autofree char *description = NULL;
    PurpleConnectionError reason;
    guint base;

    rcp_harness_sign_off (h);
    remote_add_texts (&proc, n);
    rcp_harness_run_for (100);
    base = recv_count;
    malloc_trim (0);
    rss0 = status_kb ("VmRSS:");
    reset_peak ();
    t0 = bench_now_us ();
    if (rcp_harness_sign_on (h, timeout_s * 1000, &reason, &description) != RCP_SIGNON_OK)
      g_error ("sign-on failed: %s", description ? description : "timeout");
    rcp_harness_wait_until (recv_reached, GUINT_TO_POINTER (base + n), timeout_s * 1000);
    got = recv_count - base;
    t1 = got > 0 ? last_recv_us : bench_now_us ();
    if (n == 0)
      t1 = bench_now_us (); /* reconnect cost alone: until signed on */
    hwm = status_kb ("VmHWM:");
  } else if (g_str_equal (mode, "bare")) {
    /* The baseline in the plugin's setting: the simulator in its own process, a bare libsoup GET
     * of the same answer (an FSync of everything: the same records) and a json-glib parse. */
    BenchSimProc proc = remote_sim_start ();
    g_autoptr (SoupSession) session = soup_session_new ();
    g_autofree char *auth = bench_bearer_at (session, proc.base_url);
    g_autofree char *url = g_strconcat (proc.base_url,
                                        "/restapi/v1.0/account/~/extension/~/message-sync"
                                        "?syncType=FSync&messageType=SMS",
                                        NULL);
    g_autoptr (JsonParser) parser = json_parser_new ();
    g_autoptr (GBytes) body = NULL;
    const char *data;

    remote_add_texts (&proc, n);
    malloc_trim (0);
    rss0 = status_kb ("VmRSS:");
    reset_peak ();
    t0 = bench_now_us ();
    body = bench_http (session, "GET", url, auth, NULL, NULL);
    data = g_bytes_get_data (body, &bytes);
    if (!json_parser_load_from_data (parser, data, (gssize)bytes, NULL))
      g_error ("body is not JSON");
    got = json_array_get_length (json_object_get_array_member (
        json_node_get_object (json_parser_get_root (parser)), "records"));
    t1 = bench_now_us ();
    hwm = status_kb ("VmHWM:");
  } else {
    /* The simulator building and serving the answer, received by a bare libsoup client. */
    g_autoptr (SoupSession) session = soup_session_new ();
    g_autofree char *auth = NULL, *base = NULL, *url = NULL;
    g_autoptr (GBytes) body = NULL;

    sim = bench_sim_start ("basic.json");
    auth = bench_bearer (session, sim);
    base = rc_sim_get_base_url (sim);
    url = g_strconcat (base, "/restapi/v1.0/account/~/extension/~/message-sync"
                             "?syncType=FSync&messageType=SMS", NULL);
    add_texts (sim, n);
    malloc_trim (0);
    rss0 = status_kb ("VmRSS:");
    reset_peak ();
    t0 = bench_now_us ();
    body = bench_http (session, "GET", url, auth, NULL, NULL);
    t1 = bench_now_us ();
    hwm = status_kb ("VmHWM:");
    bytes = g_bytes_get_size (body);
    if (!g_file_set_contents (body_path, g_bytes_get_data (body, NULL), (gssize)bytes, NULL))
      g_error ("cannot write %s", body_path);
  }
  printf ("RESULT wall_us=%" G_GINT64_FORMAT " grow_kb=%ld got=%u bytes=%zu rss0_kb=%ld\n",
          t1 - t0, hwm - rss0, got, bytes, rss0);
  fflush (stdout);
  _exit (0); /* no teardown: libpurple's takes long and measures nothing */
}

typedef struct {
  gboolean ok;
  double wall_ms;
  long grow_kb;
  guint got;
  gsize bytes;
} ChildResult;

static ChildResult
run_child (const char *self_exe, const char *mode, guint n, guint timeout_s)
{
  g_autofree char *n_text = g_strdup_printf ("%u", n);
  g_autofree char *t_text = g_strdup_printf ("%u", timeout_s);
  g_autofree char *body_path = g_strdup_printf ("%s/bench-inbound-%d-%u.json", g_get_tmp_dir (),
                                                 (int)getpid (), n);
  const char *argv[] = { self_exe, "--child", mode, n_text, t_text, body_path, NULL };
  g_autofree char *line = bench_run_child (argv, -1, -1);
  ChildResult r = { 0 };
  gint64 wall_us;

  if (line != NULL
      && sscanf (line, "wall_us=%" G_GINT64_FORMAT " grow_kb=%ld got=%u bytes=%zu", &wall_us,
                 &r.grow_kb, &r.got, &r.bytes) == 4) {
    r.ok = TRUE;
    r.wall_ms = wall_us / 1000.0;
  } else
    fprintf (stderr, "child %s %u: no result\n", mode, n);
  return r;
}

/* ---- main ---- */

static void
drop_print (const char *text)
{
}

int
main (int argc, char **argv)
{
  gboolean quick = FALSE, no_50k = FALSE, catch_up_only = FALSE;
  int texts = -1, idle_s = -1;
  GOptionEntry entries[] = {
    { "quick", 0, 0, G_OPTION_ARG_NONE, &quick, "Smoke check: 200 texts, catch-up 1k, 60 s idle",
      NULL },
    { "texts", 0, 0, G_OPTION_ARG_INT, &texts, "Push-latency samples (default 1000)", "N" },
    { "idle-seconds", 0, 0, G_OPTION_ARG_INT, &idle_s, "Idle phase length (default 300)", "S" },
    { "no-50k", 0, 0, G_OPTION_ARG_NONE, &no_50k, "Skip the 50k catch-up", NULL },
    { "catch-up-only", 0, 0, G_OPTION_ARG_NONE, &catch_up_only,
      "Only section 2 (catch-up), every size", NULL },
    { NULL },
  };
  g_autoptr (GOptionContext) ctx = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *self_exe = g_file_read_link ("/proc/self/exe", NULL);
  g_autofree double *push = NULL, *bare = NULL;
  guint sizes[] = { 0, 1000, 10000, 50000 };
  guint n_sizes;

  /* The harness logs every conversation line with g_test_message (g_print): drop that, it would
   * be one write(2) per text. This program's own output uses printf. */
  g_set_print_handler (drop_print);
  if (argc == 6 && g_str_equal (argv[1], "--child"))
    return child_main (argv[2], (guint)atoi (argv[3]), (guint)atoi (argv[4]), argv[5]);

  ctx = g_option_context_new ("- inbound-path benchmark of prpl-ringcentral");
  g_option_context_add_main_entries (ctx, entries, NULL);
  if (!g_option_context_parse (ctx, &argc, &argv, &error)) {
    fprintf (stderr, "%s\n", error->message);
    return 2;
  }
  if (texts <= 0)
    texts = quick ? 200 : 1000;
  if (idle_s < 0)
    idle_s = quick ? 60 : 300;
  n_sizes = quick ? 2 : G_N_ELEMENTS (sizes);

  printf ("bench-inbound: %s run, %d push texts, %d s idle\n\n", quick ? "quick" : "full", texts,
          idle_s);
  fflush (stdout);

  /* 1 + 3 in this process: one account, push up. */
  if (!catch_up_only) {
    g_autoptr (RcSim) sim = bench_sim_start ("basic.json");
    RcpHarness *h = plugin_up (sim);
    double p_med, p_99, b_med, b_99;
    guint heartbeats0;
    long cs0;
    GPtrArray *requests;
    g_autoptr (GHashTable) by_path = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
    GHashTableIter iter;
    gpointer key, value;

    push = g_new0 (double, texts);
    bare = g_new0 (double, texts);
    push_latency (sim, (guint)texts, push);
    bare_ws_round_trips (sim, bare, (guint)texts);
    p_med = bench_percentile (push, texts, 50);
    p_99 = bench_percentile (push, texts, 99);
    b_med = bench_percentile (bare, texts, 50);
    b_99 = bench_percentile (bare, texts, 99);

    printf ("1. push -> received-im-msg (%d texts, after 20 warm-up)\n", texts);
    printf ("   %-44s %10s %10s %10s\n", "", "median ms", "p99 ms", "max ms");
    printf ("   %-44s %10.3f %10.3f %10.3f\n", "plugin: add_inbound -> received-im-msg", p_med,
            p_99, push[texts - 1]);
    printf ("   %-44s %10.3f %10.3f %10.3f\n", "baseline: bare libsoup WS Heartbeat echo", b_med,
            b_99, bare[texts - 1]);
    printf ("   %-44s %10.1f %10.1f\n", "ratio plugin / baseline", p_med / b_med, p_99 / b_99);
    printf ("   %-44s %10s %10s\n\n", "target", "<= 5", "<= 20");
    fflush (stdout);

    /* 3. idle */
    rcp_harness_run_for (2000);
    rc_sim_clear_requests (sim);
    heartbeats0 = rc_sim_ws_count_frames (sim, "Heartbeat");
    loop_iterations = 0;
    cs0 = ctxt_switches ();
    rcp_harness_set_tick (count_iteration, NULL);
    rcp_harness_run_for ((guint)idle_s * 1000);
    rcp_harness_set_tick (NULL, NULL);
    requests = rc_sim_get_requests (sim);
    for (guint i = 0; i < requests->len; i++) {
      RcSimRequest *req = g_ptr_array_index (requests, i);
      char *k = g_strdup_printf ("%s %s", req->method, req->path);
      guint c = GPOINTER_TO_UINT (g_hash_table_lookup (by_path, k));
      g_hash_table_replace (by_path, k, GUINT_TO_POINTER (c + 1));
    }
    printf ("3. idle, push up, %d s\n", idle_s);
    printf ("   %-44s %10u\n", "HTTP requests to the simulator", requests->len);
    g_hash_table_iter_init (&iter, by_path);
    while (g_hash_table_iter_next (&iter, &key, &value))
      printf ("     %-42s %10u\n", (char *)key, GPOINTER_TO_UINT (value));
    printf ("   %-44s %10u\n", "WebSocket Heartbeat frames from the client",
            rc_sim_ws_count_frames (sim, "Heartbeat") - heartbeats0);
    printf ("   %-44s %10u\n", "main-loop iterations (wakeups)", loop_iterations);
    printf ("   %-44s %10ld\n", "context switches, all threads", ctxt_switches () - cs0);
    printf ("   %-44s %10s\n\n", "target", "heartbeats only");
    fflush (stdout);
    (void)h; /* left connected: the process ends with _exit below */
  }

  /* 2. catch-up, one fresh process per figure */
  printf ("2. catch-up of N texts missed while offline (fresh process each; plugin and bare client "
          "with the simulator in a process of its own)\n");
  printf ("   %-8s %-36s %10s %12s %10s\n", "N", "what", "wall ms", "peak RSS +MB", "got");
  for (guint i = 0; i < n_sizes; i++) {
    guint n = sizes[i];
    ChildResult plugin, bare_client = { 0 }, sim_only = { 0 }, parse = { 0 };
    if (n == 50000 && no_50k)
      continue;
    plugin = run_child (self_exe, "plugin", n, n >= 50000 ? 90 : 60);
    if (n > 0) {
      bare_client = run_child (self_exe, "bare", n, 60);
      sim_only = run_child (self_exe, "sim", n, 60);
      parse = run_child (self_exe, "parse", n, 60);
      g_autofree char *body_path = g_strdup_printf ("%s/bench-inbound-%d-%u.json",
                                                     g_get_tmp_dir (), (int)getpid (), n);
      g_unlink (body_path);
    }
    printf ("   %-8u %-36s %10.1f %12.1f %10u%s\n", n,
            n == 0 ? "plugin: reconnect, nothing missed" : "plugin: reconnect -> last received",
            plugin.wall_ms, plugin.grow_kb / 1024.0, plugin.got,
            plugin.ok && plugin.got >= n ? "" : "  (INCOMPLETE)");
    if (n > 0) {
      printf ("   %-8s %-36s %10.1f %12.1f %10u\n", "", "bare client: GET + json-glib parse",
              bare_client.wall_ms, bare_client.grow_kb / 1024.0, bare_client.got);
      printf ("   %-8s %-36s %10.1f %12.1f\n", "", "ratio plugin / bare client",
              plugin.wall_ms / bare_client.wall_ms,
              (double)plugin.grow_kb / MAX (bare_client.grow_kb, 1));
      printf ("   %-8s %-36s %10.1f %12.1f %10s\n", "", "sim alone: build+serve to bare GET",
              sim_only.wall_ms, sim_only.grow_kb / 1024.0, "");
      printf ("   %-8s %-36s %10.1f %12.1f %10u\n", "", "json-glib alone: parse the body",
              parse.wall_ms, parse.grow_kb / 1024.0, parse.got);
      printf ("   %-8s %-36s %10.1f %12.1f   body %.1f MB\n", "", "ratio plugin / json-glib parse",
              plugin.wall_ms / parse.wall_ms, (double)plugin.grow_kb / MAX (parse.grow_kb, 1),
              sim_only.bytes / 1048576.0);
    }
    fflush (stdout);
    if (n == 10000 && plugin.wall_ms > 15000 && !quick) {
      printf ("   (50k skipped: 10k took over 15 s, 50k would exceed ~60 s)\n");
      break;
    }
  }
  printf ("   target: 50k <= 40 MB (plugin process alone), <= 1.1x the bare client's wall, "
          "linear in N\n");
  fflush (stdout);
  _exit (0);
}
