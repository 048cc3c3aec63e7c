/* bench-sim-proc.h: the simulator in a process of its own (fork), so that a benchmark measures
 * the plugin's process alone (its RSS and its CPU), driven by one-line commands over pipes. */
#pragma once

#include <rc-sim.h>

G_BEGIN_DECLS

/* Answers one command line (without the newline) inside the simulator's process; returns the
 * reply line (newly allocated, no newline). */
typedef char *(*BenchSimCommandFunc) (RcSim *sim, const char *command);

typedef struct {
  GPid pid;
  int to_sim;     /* commands */
  int from_sim;   /* replies */
  char *base_url; /* the simulator's http://127.0.0.1:port */
} BenchSimProc;

/* Forks: the child starts @scenario_path's simulator, runs its main loop and answers commands
 * with @func until its command pipe closes, then _exits. Call before any thread exists (before
 * libpurple, libsoup or GIO threads start). FALSE when the fork or the simulator failed. */
gboolean bench_sim_proc_start (BenchSimProc *proc, const char *scenario_path,
                               BenchSimCommandFunc func);

/* Sends @command and waits (blocking) for its reply line; NULL when the process is gone. */
char *bench_sim_proc_ask (BenchSimProc *proc, const char *command);

/* Closes the command pipe and reaps the child. */
void bench_sim_proc_stop (BenchSimProc *proc);

/* A simulator either forked (BenchSimProc) or, for the old in-process mode of a benchmark, in this
 * process; asked the same commands either way (@func is called directly when in this process). */
typedef struct {
  BenchSimProc proc; /* pid 0 when in this process */
  RcSim *sim;        /* NULL when forked */
  BenchSimCommandFunc func;
  char *base_url; /* http://127.0.0.1:port, owned */
  guint asks;     /* commands asked (a pipe round trip each when forked); callers may reset it */
} BenchSim;

/* Starts tests/scenarios/@scenario's simulator; forked unless @in_process (then call it before
 * any thread exists, as bench_sim_proc_start()). Any failure ends the program. */
void bench_sim_open (BenchSim *s, const char *scenario, BenchSimCommandFunc func,
                     gboolean in_process);

/* @command's reply (newly allocated); a simulator process gone ends the program. */
char *bench_sim_ask (BenchSim *s, const char *command);

/* The reply read as an unsigned number. */
guint bench_sim_ask_uint (BenchSim *s, const char *command);

/* Iterates this process's main loop (rcp_harness_wait_until) until @command's reply, read as an
 * unsigned number, is >= @want; FALSE when @timeout_ms passed first (forked: that ends the
 * program instead, the answer would come out of turn). Forked: one round trip
 * however long the wait ("await WANT COMMAND": the simulator's process evaluates @command before
 * each iteration of its own main loop and answers "ok" once it holds; this process watches the
 * reply pipe), so what this process spends on waiting is the same whatever it waits for and
 * however many iterations that takes (one `asks`). In this process: @command is called before
 * every iteration (each counted in `asks`). Used to time a client without polling the simulator
 * from the measured process. */
gboolean bench_sim_wait_until (BenchSim *s, const char *command, guint want, guint timeout_ms);

/* In a child process the parent started with bench_run_child (argv, s->proc.to_sim,
 * s->proc.from_sim) (bench-util.h): the parent's forked simulator at @base_url, through those
 * pipes inherited as fds 3 (commands) and 4 (replies). The parent must not use them until the
 * child has ended. Not stopped by bench_sim_proc_stop() (no pid here). */
void bench_sim_attach (BenchSim *s, const char *base_url, BenchSimCommandFunc func);

G_END_DECLS
