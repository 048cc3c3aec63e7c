/* bench-util.h: helpers shared by the benchmarks that drive the real plugin in the headless
 * libpurple harness (tests/harness/) against the in-process simulator (tests/simulator/), and the
 * bare libsoup client their baselines use. Every wait iterates the default main context (where the
 * simulator and the plugin both run) with a deadline; a failure that makes a figure meaningless
 * ends the program with g_error(). */
#pragma once

#include <libsoup/soup.h>
#include <rc-sim.h>
#include <rcp-harness.h>

G_BEGIN_DECLS

/* Monotonic clock in µs. */
gint64 bench_now_us (void);

/* Nearest-rank percentile of @v (sorted in place), @p in (0, 100]; NAN when @n is 0. */
double bench_percentile (double *v, guint n, double p);

/* A simulator serving tests/scenarios/@scenario (e.g. "basic.json") on an ephemeral port. */
RcSim *bench_sim_start (const char *scenario);

/* RcpHarnessPredicate: *(gboolean *)@data. */
gboolean bench_flag_set (gpointer data);

/* One request of a bare libsoup client, answered by the simulator on this thread's main context:
 * @auth (NULL = none) goes into Authorization, @body (NULL = none) is sent as @content_type (NULL
 * = application/x-www-form-urlencoded). Returns the body of a 200 answer (full reference); any
 * other outcome ends the program. */
GBytes *bench_http (SoupSession *session, const char *method, const char *url, const char *auth,
                    const char *content_type, const char *body);

/* The same, but any answer status is accepted: *@status gets it (0 when no answer came); returns
 * the body (NULL when none; full reference). */
GBytes *bench_http_any (SoupSession *session, const char *method, const char *url, const char *auth,
                        const char *content_type, const char *body, guint *status);

/* The string member @member of the JSON object in @body, or NULL. */
char *bench_json_member (GBytes *body, const char *member);

/* "Bearer TOKEN" from a JWT grant of our own (the harness's demo credentials). */
char *bench_bearer (SoupSession *session, RcSim *sim);
/* The same against the simulator at @base ("http://127.0.0.1:N", e.g. one in another process). */
char *bench_bearer_at (SoupSession *session, const char *base);

/* Runs @argv (NULL-terminated; this program re-executed as a child: a fresh process, so that its
 * figures do not depend on what ran before in this one, e.g. glibc's dynamic mmap and trim
 * thresholds) and waits for it to end. @fd3 and @fd4 (-1: none) are passed on as its fds 3 and 4
 * (they stay open here). Returns what follows "RESULT " on the line of its standard output that
 * starts so (newly allocated, no newline), or NULL (the reason printed on stderr). */
char *bench_run_child (const char *const *argv, int fd3, int fd4);

G_END_DECLS
