/* bench-sim-proc.c: the simulator in a forked process, one-line commands over pipes (see
 * bench-sim-proc.h). */
#include "bench-sim-proc.h"

#include "bench-util.h"

#include <errno.h>
#include <stdlib.h>
#include <glib-unix.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

/* Reads one line from @fd (blocking, byte by byte: lines are short). NULL at end of file. */
static char *
read_line (int fd)
{
  GString *line = g_string_new (NULL);

  for (;;) {
    char c;
    ssize_t got = read (fd, &c, 1);

    if (got < 0 && errno == EINTR)
      continue;
    if (got <= 0) {
      g_string_free (line, TRUE);
      return NULL;
    }
    if (c == '\n')
      return g_string_free (line, FALSE);
    g_string_append_c (line, c);
  }
}

static gboolean
write_line (int fd, const char *text)
{
  g_autofree char *line = g_strconcat (text, "\n", NULL);
  gsize done = 0, len = strlen (line);

  while (done < len) {
    ssize_t n = write (fd, line + done, len - done);

    if (n < 0 && errno == EINTR)
      continue;
    if (n <= 0)
      return FALSE;
    done += (gsize)n;
  }
  return TRUE;
}

typedef struct {
  RcSim *sim;
  BenchSimCommandFunc func;
  int in, out;
  GMainLoop *loop;
} Child;

/* "await WANT COMMAND" in the simulator's process: a source ready as soon as COMMAND's reply is
 * >= WANT (checked before each iteration of that process's main loop, where the simulator
 * serves), which then answers "ok" and goes. */
typedef struct {
  GSource source;
  Child *child;
  guint want;
  char *command;
} Await;

static gboolean
await_holds (Await *a)
{
  g_autofree char *reply = a->child->func (a->child->sim, a->command);

  return reply != NULL && strtoul (reply, NULL, 10) >= a->want;
}

static gboolean
await_prepare (GSource *source, gint *timeout)
{
  *timeout = -1;
  return await_holds ((Await *)source);
}

static gboolean
await_check (GSource *source)
{
  return await_holds ((Await *)source);
}

static gboolean
await_dispatch (GSource *source, GSourceFunc callback, gpointer user_data)
{
  Await *a = (Await *)source;

  write_line (a->child->out, "ok");
  return G_SOURCE_REMOVE;
}

static void
await_finalize (GSource *source)
{
  g_free (((Await *)source)->command);
}

static GSourceFuncs await_funcs
    = { await_prepare, await_check, await_dispatch, await_finalize, NULL, NULL };

static void
await_start (Child *child, const char *args)
{
  char *rest = NULL;
  guint want = (guint)strtoul (args, &rest, 10);
  GSource *source = g_source_new (&await_funcs, sizeof (Await));
  Await *a = (Await *)source;

  a->child = child;
  a->want = want;
  a->command = g_strdup (rest != NULL && *rest == ' ' ? rest + 1 : "");
  g_source_attach (source, NULL);
  g_source_unref (source);
}

static gboolean
on_command (int fd, GIOCondition condition, gpointer user_data)
{
  Child *child = user_data;
  g_autofree char *command = read_line (child->in);
  g_autofree char *reply = NULL;

  if (command == NULL) {
    g_main_loop_quit (child->loop);
    return G_SOURCE_REMOVE;
  }
  if (g_str_has_prefix (command, "await ")) {
    await_start (child, command + 6); /* answered later, by the source */
    return G_SOURCE_CONTINUE;
  }
  reply = child->func (child->sim, command);
  write_line (child->out, reply != NULL ? reply : "");
  return G_SOURCE_CONTINUE;
}

static void
child_run (const char *scenario_path, BenchSimCommandFunc func, int in, int out)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (RcSim) sim = rc_sim_new_from_file (scenario_path, &error);
  g_autofree char *url = NULL;
  Child child = { 0 };

  if (sim == NULL || !rc_sim_start (sim, 0, &error)) {
    fprintf (stderr, "simulator: %s\n", error->message);
    _exit (1);
  }
  url = rc_sim_get_base_url (sim);
  write_line (out, url);
  child.sim = sim;
  child.func = func;
  child.in = in;
  child.out = out;
  child.loop = g_main_loop_new (NULL, FALSE);
  g_unix_fd_add (in, G_IO_IN | G_IO_HUP | G_IO_ERR, on_command, &child);
  g_main_loop_run (child.loop);
  _exit (0); /* no teardown: nothing to measure */
}

gboolean
bench_sim_proc_start (BenchSimProc *proc, const char *scenario_path, BenchSimCommandFunc func)
{
  int commands[2], replies[2];
  pid_t pid;

  memset (proc, 0, sizeof *proc);
  if (pipe (commands) != 0 || pipe (replies) != 0)
    return FALSE;
  fflush (stdout);
  fflush (stderr);
  pid = fork ();
  if (pid < 0)
    return FALSE;
  if (pid == 0) {
    close (commands[1]);
    close (replies[0]);
    child_run (scenario_path, func, commands[0], replies[1]);
  }
  close (commands[0]);
  close (replies[1]);
  proc->pid = pid;
  proc->to_sim = commands[1];
  proc->from_sim = replies[0];
  proc->base_url = read_line (proc->from_sim);
  return proc->base_url != NULL;
}

char *
bench_sim_proc_ask (BenchSimProc *proc, const char *command)
{
  if (!write_line (proc->to_sim, command))
    return NULL;
  return read_line (proc->from_sim);
}

void
bench_sim_proc_stop (BenchSimProc *proc)
{
  int status;

  if (proc->pid <= 0)
    return;
  close (proc->to_sim);
  close (proc->from_sim);
  waitpid (proc->pid, &status, 0);
  g_clear_pointer (&proc->base_url, g_free);
  proc->pid = 0;
}

void
bench_sim_open (BenchSim *s, const char *scenario, BenchSimCommandFunc func, gboolean in_process)
{
  memset (s, 0, sizeof *s);
  s->func = func;
  if (in_process) {
    s->sim = bench_sim_start (scenario);
    s->base_url = rc_sim_get_base_url (s->sim);
  } else {
    g_autofree char *path = g_build_filename (RCP_SCENARIOS_DIR, scenario, NULL);

    if (!bench_sim_proc_start (&s->proc, path, func))
      g_error ("simulator process did not start");
    s->base_url = g_strdup (s->proc.base_url);
  }
}

char *
bench_sim_ask (BenchSim *s, const char *command)
{
  char *reply;

  s->asks++;
  reply = s->sim != NULL ? s->func (s->sim, command) : bench_sim_proc_ask (&s->proc, command);
  if (reply == NULL)
    g_error ("simulator process: no answer to %s", command);
  return reply;
}

guint
bench_sim_ask_uint (BenchSim *s, const char *command)
{
  g_autofree char *reply = bench_sim_ask (s, command);

  return (guint)strtoul (reply, NULL, 10);
}

typedef struct {
  BenchSim *s;
  const char *command;
  guint want;
} Poll;

static gboolean
poll_holds (gpointer data)
{
  Poll *p = data;

  return bench_sim_ask_uint (p->s, p->command) >= p->want;
}

static gboolean
on_await_reply (int fd, GIOCondition condition, gpointer user_data)
{
  char **reply = user_data;

  *reply = read_line (fd);
  if (*reply == NULL)
    *reply = g_strdup ("gone");
  return G_SOURCE_REMOVE;
}

static gboolean
reply_came (gpointer data)
{
  return *(char **)data != NULL;
}

gboolean
bench_sim_wait_until (BenchSim *s, const char *command, guint want, guint timeout_ms)
{
  g_autofree char *line = NULL;
  g_autofree char *reply = NULL;
  guint watch;

  if (s->sim != NULL) {
    Poll p = { s, command, want };
    return rcp_harness_wait_until (poll_holds, &p, timeout_ms);
  }
  s->asks++;
  line = g_strdup_printf ("await %u %s", want, command);
  if (!write_line (s->proc.to_sim, line))
    g_error ("simulator process: gone");
  watch = g_unix_fd_add (s->proc.from_sim, G_IO_IN | G_IO_HUP | G_IO_ERR, on_await_reply, &reply);
  if (!rcp_harness_wait_until (reply_came, &reply, timeout_ms)) {
    /* Its answer would come later, out of turn: nothing can be asked of it any more. */
    g_source_remove (watch);
    g_error ("simulator: %s did not reach %u in %u ms", command, want, timeout_ms);
  }
  if (!g_str_equal (reply, "ok"))
    g_error ("simulator process: gone");
  return TRUE;
}

void
bench_sim_attach (BenchSim *s, const char *base_url, BenchSimCommandFunc func)
{
  memset (s, 0, sizeof *s);
  s->func = func;
  s->proc.to_sim = 3;
  s->proc.from_sim = 4;
  s->proc.base_url = g_strdup (base_url);
  s->base_url = g_strdup (base_url);
}
