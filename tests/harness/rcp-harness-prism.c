/* rcp-harness-prism.c: runs a validating Prism proxy (OpenAPI conformance) in front of the
 * simulator and collects the validation errors it logs. */
#include "rcp-harness.h"

#include <gio/gio.h>
#include <signal.h>
#include <string.h>
#include <sys/prctl.h>

#ifndef RCP_SOURCE_ROOT
#define RCP_SOURCE_ROOT ""
#endif
#ifndef RCP_SHARED_DIR
#define RCP_SHARED_DIR ""
#endif

#define PRISM_START_TIMEOUT_MS 90000

struct _RcpPrism {
  GSubprocess *process;
  GDataInputStream *out;
  GCancellable *cancellable;
  GPtrArray *lines; /* char* */
  char *url;
  gboolean listening;
  gboolean exited;     /* its output ended */
  gboolean reading;    /* a line read is in flight */
  gboolean terminated; /* the process is gone */
};

gboolean
rcp_harness_conformance_requested (void)
{
  const char *value = g_getenv ("RCP_CONFORMANCE");

  return value != NULL && *value != '\0' && g_strcmp0 (value, "0") != 0;
}

static const char *
env_or (const char *name, const char *fallback)
{
  const char *value = g_getenv (name);

  return value != NULL && *value != '\0' ? value : fallback;
}

static guint
free_port (GError **error)
{
  g_autoptr (GSocket) socket = NULL;
  g_autoptr (GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr (GSocketAddress) address = g_inet_socket_address_new (loopback, 0);
  g_autoptr (GSocketAddress) bound = NULL;

  socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, error);
  if (socket == NULL || !g_socket_bind (socket, address, TRUE, error))
    return 0;
  bound = g_socket_get_local_address (socket, error);
  if (bound == NULL)
    return 0;
  return g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
}

static void read_next_line (RcpPrism *prism);

static void
line_read (GObject *source, GAsyncResult *result, gpointer data)
{
  RcpPrism *prism = data;
  g_autoptr (GError) error = NULL;
  char *line = g_data_input_stream_read_line_finish_utf8 (G_DATA_INPUT_STREAM (source), result,
                                                          NULL, &error);

  prism->reading = FALSE;
  if (line == NULL) {
    /* End of output (Prism exited) or cancelled in rcp_prism_stop(): stop reading. */
    if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
      prism->exited = TRUE;
    return;
  }
  if (strstr (line, "Prism is listening on") != NULL)
    prism->listening = TRUE;
  g_ptr_array_add (prism->lines, line);
  read_next_line (prism);
}

static void
read_next_line (RcpPrism *prism)
{
  prism->reading = TRUE;
  g_data_input_stream_read_line_async (prism->out, G_PRIORITY_DEFAULT, prism->cancellable,
                                       line_read, prism);
}

static gboolean
started (gpointer data)
{
  RcpPrism *prism = data;

  return prism->listening || prism->exited;
}

/* A test that aborts half-way must not leave a proxy running. */
static void
die_with_parent (gpointer data)
{
  prctl (PR_SET_PDEATHSIG, SIGTERM);
}

RcpPrism *
rcp_prism_start (const char *upstream_url, GError **error)
{
  const char *source_root = env_or ("RCP_SOURCE_ROOT", RCP_SOURCE_ROOT);
  const char *shared_dir = env_or ("RCP_SHARED_DIR", RCP_SHARED_DIR);
  g_autofree char *default_prism
      = g_build_filename (source_root, "node_modules", ".bin", "prism", NULL);
  const char *prism_path = env_or ("PRISM", default_prism);
  g_autofree char *spec
      = g_build_filename (shared_dir, "ringcentral", "rc-public-openapi.patched.yml", NULL);
  g_autofree char *port_text = NULL;
  g_autoptr (GSubprocessLauncher) launcher = NULL;
  RcpPrism *prism;
  guint port;

  if (!g_file_test (prism_path, G_FILE_TEST_IS_EXECUTABLE)) {
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                 "Prism not found at %s: run `npm ci` in the source root (package.json) or set "
                 "PRISM to the prism executable",
                 prism_path);
    return NULL;
  }
  if (!g_file_test (spec, G_FILE_TEST_IS_REGULAR)) {
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                 "OpenAPI spec not found at %s (set RCP_SHARED_DIR)", spec);
    return NULL;
  }
  port = free_port (error);
  if (port == 0)
    return NULL;
  port_text = g_strdup_printf ("%u", port);

  prism = g_new0 (RcpPrism, 1);
  prism->lines = g_ptr_array_new_with_free_func (g_free);
  prism->cancellable = g_cancellable_new ();
  prism->url = g_strdup_printf ("http://127.0.0.1:%u", port);
  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE
                                        | G_SUBPROCESS_FLAGS_STDERR_MERGE);
  g_subprocess_launcher_set_child_setup (launcher, die_with_parent, NULL, NULL);
  prism->process
      = g_subprocess_launcher_spawn (launcher, error, prism_path, "proxy", "--errors", spec,
                                     upstream_url, "-p", port_text, "--host", "127.0.0.1", NULL);
  if (prism->process == NULL) {
    rcp_prism_stop (prism);
    return NULL;
  }
  prism->out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (prism->process));
  read_next_line (prism);

  if (!rcp_harness_wait_until (started, prism, PRISM_START_TIMEOUT_MS) || !prism->listening) {
    g_autofree char *log = rcp_prism_log (prism);
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "Prism did not start listening on %s:\n%s",
                 prism->url, log);
    rcp_prism_stop (prism);
    return NULL;
  }
  return prism;
}

const char *
rcp_prism_url (RcpPrism *prism)
{
  return prism->url;
}

char *
rcp_prism_violations (RcpPrism *prism)
{
  GString *out = NULL;

  /* Catch the lines Prism logged for the last answers. */
  rcp_harness_run_for (200);
  for (guint i = 0; i < prism->lines->len; i++) {
    const char *line = g_ptr_array_index (prism->lines, i);
    /* Errors are marked "✖  error" (422 for a bad request, VIOLATIONS for a bad response);
     * warnings ("⚠") cover undocumented error statuses and are allowed. */
    if (strstr (line, "\xe2\x9c\x96") == NULL && strstr (line, "VIOLATIONS") == NULL
        && strstr (line, "UNPROCESSABLE_ENTITY") == NULL)
      continue;
    if (out == NULL)
      out = g_string_new (NULL);
    g_string_append_printf (out, "%s%s", out->len ? "\n" : "", line);
  }
  return out ? g_string_free (out, FALSE) : NULL;
}

char *
rcp_prism_log (RcpPrism *prism)
{
  GString *out = g_string_new (NULL);

  for (guint i = 0; i < prism->lines->len; i++) {
    const char *line = g_ptr_array_index (prism->lines, i);
    /* Prism lists every route of the spec at start-up: not worth reading. */
    if (!prism->listening || strstr (line, "[CLI]") == NULL || strstr (line, "http") == NULL
        || strstr (line, "listening") != NULL)
      g_string_append_printf (out, "%s\n", line);
  }
  return g_string_free (out, FALSE);
}

static void
waited (GObject *source, GAsyncResult *result, gpointer data)
{
  RcpPrism *prism = data;

  g_subprocess_wait_finish (G_SUBPROCESS (source), result, NULL);
  prism->terminated = TRUE;
}

static gboolean
terminated (gpointer data)
{
  return ((RcpPrism *)data)->terminated;
}

static gboolean
not_reading (gpointer data)
{
  return !((RcpPrism *)data)->reading;
}

void
rcp_prism_stop (RcpPrism *prism)
{
  if (prism == NULL)
    return;
  if (prism->process != NULL) {
    g_subprocess_wait_async (prism->process, NULL, waited, prism);
    g_subprocess_send_signal (prism->process, SIGTERM);
    if (!rcp_harness_wait_until (terminated, prism, 10000)) {
      g_subprocess_force_exit (prism->process);
      rcp_harness_wait_until (terminated, prism, 10000);
    }
  }
  g_cancellable_cancel (prism->cancellable);
  /* The read callback uses @prism: let it finish first. */
  rcp_harness_wait_until (not_reading, prism, 10000);
  g_clear_object (&prism->out);
  g_clear_object (&prism->process);
  g_clear_object (&prism->cancellable);
  g_ptr_array_unref (prism->lines);
  g_free (prism->url);
  g_free (prism);
}
