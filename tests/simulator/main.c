/* main.c: the rc-sim program, a RingCentral simulator for scripts, demos and e2e tests.
 *
 *   rc-sim --scenario FILE [--port N] [--public-url URL] [--quiet]
 *
 * Prints exactly one line "RC_SIM_PORT=<port>" on stdout once it listens on 127.0.0.1, logs each
 * request (method, path, status, auth scheme; never a credential) on stderr, and runs until
 * SIGINT/SIGTERM. */
#include <glib-unix.h>
#include <stdio.h>
#include <stdlib.h>

#include "rc-sim.h"

static gboolean log_requests = TRUE;

/* Our request log (domain "rc-sim", debug level) to stderr; everything else as GLib would. */
static GLogWriterOutput
writer (GLogLevelFlags level, const GLogField *fields, gsize n_fields, gpointer user_data)
{
  const char *domain = NULL, *message = NULL;
  for (gsize i = 0; i < n_fields; i++) {
    if (g_str_equal (fields[i].key, "GLIB_DOMAIN"))
      domain = fields[i].value;
    else if (g_str_equal (fields[i].key, "MESSAGE"))
      message = fields[i].value;
  }
  if ((level & G_LOG_LEVEL_DEBUG) && g_strcmp0 (domain, "rc-sim") == 0) {
    if (log_requests && message != NULL)
      fprintf (stderr, "%s\n", message);
    return G_LOG_WRITER_HANDLED;
  }
  return g_log_writer_default (level, fields, n_fields, user_data);
}

static gboolean
on_signal (gpointer loop)
{
  g_main_loop_quit (loop);
  return G_SOURCE_CONTINUE;
}

int
main (int argc, char **argv)
{
  g_autofree char *scenario = NULL;
  int port = 0;
  gboolean quiet = FALSE;
  g_autofree char *public_url = NULL;
  const GOptionEntry entries[] = {
    { "scenario", 's', 0, G_OPTION_ARG_FILENAME, &scenario, "Scenario file (JSON)", "FILE" },
    { "port", 'p', 0, G_OPTION_ARG_INT, &port, "Port on 127.0.0.1 (default 0: any free one)", "N" },
    { "public-url", 'u', 0, G_OPTION_ARG_STRING, &public_url,
      "Base of absolute uris in answers, e.g. a proxy's http://127.0.0.1:4010", "URL" },
    { "quiet", 'q', 0, G_OPTION_ARG_NONE, &quiet, "Do not log requests", NULL },
    { NULL },
  };
  g_autoptr (GOptionContext) ctx = g_option_context_new ("- RingCentral API simulator");
  g_option_context_add_main_entries (ctx, entries, NULL);
  g_autoptr (GError) error = NULL;
  if (!g_option_context_parse (ctx, &argc, &argv, &error)) {
    g_printerr ("rc-sim: %s\n", error->message);
    return 2;
  }
  if (scenario == NULL || port < 0 || port > 65535) {
    g_printerr ("rc-sim: usage: rc-sim --scenario FILE [--port N] [--public-url URL] [--quiet]\n");
    return 2;
  }
  log_requests = !quiet;
  g_log_set_writer_func (writer, NULL, NULL);

  g_autoptr (RcSim) sim = rc_sim_new_from_file (scenario, &error);
  if (sim == NULL) {
    g_printerr ("rc-sim: cannot load scenario: %s\n", error->message);
    return 1;
  }
  if (public_url != NULL)
    rc_sim_set_public_base_url (sim, public_url);
  if (!rc_sim_start (sim, (guint)port, &error)) {
    g_printerr ("rc-sim: cannot listen on 127.0.0.1:%d: %s\n", port, error->message);
    return 1;
  }
  printf ("RC_SIM_PORT=%u\n", rc_sim_get_port (sim));
  fflush (stdout);

  g_autoptr (GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  guint s1 = g_unix_signal_add (SIGINT, on_signal, loop);
  guint s2 = g_unix_signal_add (SIGTERM, on_signal, loop);
  g_main_loop_run (loop);
  g_source_remove (s1);
  g_source_remove (s2);
  return 0;
}
