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
