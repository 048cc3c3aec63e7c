/* bench-send.c: CPU per sent SMS of prpl-ringcentral in real libpurple (the headless harness)
 * against the in-process simulator, beside a bare libsoup POST of the same body. Prints a table;
 * never fails on time (exit status is non-zero only when something did not work at all).
 *
 *   bench-send [--texts N] [--runs R] [--gap-ms G] [--plugin-only]
 *
 * Plugin: signed on with push up, N texts (default 200) typed into one IM conversation (a number
 * that is not a contact: no automatic replies), one at a time: each is typed, then the main loop
 * runs until the simulator has stored it and G ms more (default 20) so that everything the send
 * sets off (the answer, the push events of the new record, any sync) happens inside the figure.
 * The simulator's delivery (Queued → Delivered after 500 ms, one more push event) and what it sets
 * off fall inside the run as well: after the last text the main loop runs 3 s more (SETTLE_MS).
 * Baselines, each on a second simulator of their own (so that the plugin's push sees none of their
 * texts), with the same pacing and the body the plugin sent: bare new-conn:
 * soup_session_send_and_read_async() of a plain POST (libsoup 3 opens a new connection for every
 * non-idempotent request); bare keep-alive: the same with SOUP_MESSAGE_IDEMPOTENT (one connection,
 * as the plugin does). CPU = user + system time of the whole process (getrusage RUSAGE_SELF, every
 * thread) over the N texts, divided by N. The simulator runs in this process: its share of each
 * POST is in every figure; the plugin's figure also carries what its push subscription and syncs
 * cost the simulator, and libpurple's conversation writes. Medians of R runs (default 5). */
#include "bench-util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#define OUR_NUMBER "+16505550100"
#define TO_NUMBER  "+14155550142"
#define SMS_PATH   "/restapi/v1.0/account/~/extension/~/sms"
/* Main loop after the last text of a run, inside the figure (idle costs no CPU). */
#define SETTLE_MS 3000

static double
cpu_ms (void)
{
  struct rusage ru;

  getrusage (RUSAGE_SELF, &ru);
  return ru.ru_utime.tv_sec * 1000.0 + ru.ru_utime.tv_usec / 1000.0 + ru.ru_stime.tv_sec * 1000.0
         + ru.ru_stime.tv_usec / 1000.0;
}

static gboolean
push_up (gpointer data)
{
  return rc_sim_ws_count_connections (data) > 0;
}

typedef struct {
  RcSim *sim;
  guint want;
} Stored;

static gboolean
stored (gpointer data)
{
  Stored *s = data;
  return rc_sim_count_messages (s->sim, "Outbound", NULL) >= s->want;
}

typedef struct {
  double cpu_ms;  /* per text */
  guint requests; /* HTTP requests the simulator received during the texts */
  guint syncs;    /* of them message-sync */
  guint conns;    /* new connections */
} Figure;

/* The plugin: @n texts typed into the conversation with TO_NUMBER. */
static Figure
plugin_texts (RcpHarness *h, RcSim *sim, guint n, guint gap_ms, guint run)
{
  guint before = rc_sim_count_messages (sim, "Outbound", NULL);
  guint conns0 = rc_sim_count_connections (sim);
  Figure f = { 0 };
  double c0;

  rc_sim_clear_requests (sim);
  c0 = cpu_ms ();
  for (guint i = 0; i < n; i++) {
    g_autofree char *text = g_strdup_printf ("Bench text %u of run %u: see you at six", i, run);
    Stored s = { sim, before + i + 1 };

    rcp_harness_send_im (h, TO_NUMBER, text);
    if (!rcp_harness_wait_until (stored, &s, RCP_HARNESS_TIMEOUT_MS))
      g_error ("text %u was not sent", i);
    rcp_harness_run_for (gap_ms);
  }
  /* The last delivery (500 ms) and what it sets off: a sync for delivery updates waits up to
   * 2 s (RC_STORE_WATCH_UPDATE_MS) to cover a burst with one. */
  rcp_harness_run_for (SETTLE_MS);
  f.cpu_ms = (cpu_ms () - c0) / n;
  f.requests = rc_sim_get_requests (sim)->len;
  f.syncs = rc_sim_count_requests (sim, "GET", "/restapi/v1.0/account/~/extension/~/message-sync");
  f.conns = rc_sim_count_connections (sim) - conns0;
  return f;
}

typedef struct {
  gboolean done;
  GBytes *body;
  GError *error;
} Post;

static void
post_done (GObject *source, GAsyncResult *result, gpointer data)
{
  Post *p = data;

  p->body = soup_session_send_and_read_finish (SOUP_SESSION (source), result, &p->error);
  p->done = TRUE;
}

/* A bare libsoup client: @n POSTs of @body, paced as the plugin's texts. */
static Figure
bare_texts (RcSim *sim, const char *body, guint n, guint gap_ms, gboolean keep_alive)
{
  g_autoptr (SoupSession) session = soup_session_new ();
  g_autofree char *auth = bench_bearer (session, sim);
  g_autofree char *base = rc_sim_get_base_url (sim);
  g_autofree char *url = g_strconcat (base, SMS_PATH, NULL);
  guint conns0 = rc_sim_count_connections (sim);
  Figure f = { 0 };
  double c0;

  rc_sim_clear_requests (sim);
  c0 = cpu_ms ();
  for (guint i = 0; i < n; i++) {
    g_autoptr (SoupMessage) msg = soup_message_new ("POST", url);
    g_autoptr (GBytes) b = g_bytes_new (body, strlen (body));
    Post p = { 0 };

    soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", auth);
    soup_message_set_request_body_from_bytes (msg, "application/json", b);
    if (keep_alive)
      soup_message_set_flags (msg, SOUP_MESSAGE_IDEMPOTENT);
    soup_session_send_and_read_async (session, msg, G_PRIORITY_DEFAULT, NULL, post_done, &p);
    if (!rcp_harness_wait_until (bench_flag_set, &p.done, RCP_HARNESS_TIMEOUT_MS) || p.body == NULL
        || soup_message_get_status (msg) != 200)
      g_error ("bare POST %u: %u %s", i, soup_message_get_status (msg),
               p.error ? p.error->message : "");
    g_bytes_unref (p.body);
    rcp_harness_run_for (gap_ms);
  }
  rcp_harness_run_for (SETTLE_MS);
  f.cpu_ms = (cpu_ms () - c0) / n;
  f.requests = rc_sim_get_requests (sim)->len;
  f.conns = rc_sim_count_connections (sim) - conns0;
  return f;
}

/* The body of the last POST …/sms the plugin sent (the baselines send the same). */
static char *
plugin_body (RcSim *sim)
{
  GPtrArray *reqs = rc_sim_get_requests (sim);

  for (guint i = reqs->len; i > 0; i--) {
    RcSimRequest *req = reqs->pdata[i - 1];
    if (g_str_equal (req->method, "POST") && g_str_has_suffix (req->path, "/sms") && req->body)
      return g_strdup (req->body);
  }
  g_error ("the plugin sent no POST …/sms");
  return NULL;
}

static double
median (double *v, guint n)
{
  return bench_percentile (v, n, 50);
}

static void
drop_print (const char *text)
{
}

int
main (int argc, char **argv)
{
  int texts = 200, runs = 5, gap_ms = 20;
  gboolean plugin_only = FALSE;
  GOptionEntry entries[] = {
    { "texts", 0, 0, G_OPTION_ARG_INT, &texts, "Texts a run (default 200)", "N" },
    { "runs", 0, 0, G_OPTION_ARG_INT, &runs, "Runs, medians printed (default 5)", "R" },
    { "gap-ms", 0, 0, G_OPTION_ARG_INT, &gap_ms, "Main loop after each text (default 20)", "G" },
    { "plugin-only", 0, 0, G_OPTION_ARG_NONE, &plugin_only,
      "No baselines (for a profiler: valgrind --tool=callgrind)", NULL },
    { NULL },
  };
  g_autoptr (GOptionContext) ctx = g_option_context_new ("- send-path CPU of prpl-ringcentral");
  g_autoptr (GError) error = NULL;
  g_autoptr (RcSim) sim = NULL, bare_sim = NULL;
  g_autofree char *url = NULL, *description = NULL, *body = NULL;
  g_autofree double *p = NULL, *bn = NULL, *bk = NULL;
  Figure fp = { 0 }, fn = { 0 }, fk = { 0 };
  PurpleConnectionError reason;
  RcpHarness *h;

  g_set_print_handler (drop_print);
  g_option_context_add_main_entries (ctx, entries, NULL);
  if (!g_option_context_parse (ctx, &argc, &argv, &error)) {
    fprintf (stderr, "%s\n", error->message);
    return 2;
  }
  texts = CLAMP (texts, 1, 100000);
  runs = CLAMP (runs, 1, 100);
  gap_ms = CLAMP (gap_ms, 0, 10000);
  p = g_new0 (double, runs);
  bn = g_new0 (double, runs);
  bk = g_new0 (double, runs);

  sim = bench_sim_start ("basic.json");
  bare_sim = bench_sim_start ("basic.json");
  url = rc_sim_get_base_url (sim);
  h = rcp_harness_new ();
  rcp_harness_add_account (h, "send@example.com", url);
  if (rcp_harness_sign_on (h, RCP_HARNESS_TIMEOUT_MS, &reason, &description) != RCP_SIGNON_OK)
    g_error ("sign-on failed: %s", description ? description : "timeout");
  if (!rcp_harness_wait_until (push_up, sim, RCP_HARNESS_TIMEOUT_MS))
    g_error ("push did not come up");
  rcp_harness_run_for (300);

  /* Warm-up: first use of every path, and the body the baselines send. */
  plugin_texts (h, sim, 10, gap_ms, 1000);
  body = plugin_body (sim);
  bare_texts (bare_sim, body, 10, gap_ms, FALSE);
  bare_texts (bare_sim, body, 10, gap_ms, TRUE);

  printf ("bench-send: %d texts to one contact a run, push up, %d ms after each, %d runs, "
          "medians\n\n",
          texts, gap_ms, runs);
  for (int r = 0; r < runs; r++) {
    fp = plugin_texts (h, sim, (guint)texts, (guint)gap_ms, (guint)r);
    if (!plugin_only) {
      fn = bare_texts (bare_sim, body, (guint)texts, (guint)gap_ms, FALSE);
      fk = bare_texts (bare_sim, body, (guint)texts, (guint)gap_ms, TRUE);
    }
    p[r] = fp.cpu_ms;
    bn[r] = fn.cpu_ms;
    bk[r] = fk.cpu_ms;
  }
  {
    double mp = median (p, runs), mn = median (bn, runs), mk = median (bk, runs);
    printf ("   %-38s %12s %9s %7s %7s\n", "", "CPU ms/text", "requests", "syncs", "conns");
    printf ("   %-38s %12.3f %9u %7u %7u\n", "plugin: typed text -> sent", mp, fp.requests,
            fp.syncs, fp.conns);
    printf ("   %-38s %12.3f %9u %7s %7u\n", "bare libsoup POST, new connection", mn, fn.requests,
            "", fn.conns);
    printf ("   %-38s %12.3f %9u %7s %7u\n", "bare libsoup POST, keep-alive", mk, fk.requests, "",
            fk.conns);
    printf ("   %-38s %12.2f\n", "ratio plugin / bare new connection", mp / mn);
    printf ("   %-38s %12.2f\n", "ratio plugin / bare keep-alive", mp / mk);
    printf ("   %-38s %12s\n", "target", "<= 1.5");
    printf ("   (requests, syncs, conns: the last run; body %zu bytes)\n", strlen (body));
  }
  fflush (stdout);
  _exit (0); /* no teardown: libpurple's takes long and measures nothing */
}
