/* test-sim-latency.c: rc_sim_set_latency (): every HTTP answer held MS ms after its request came,
 * /_sim/ control calls not held, a fault on the same request still applied after the hold, 0
 * back to no hold. Only lower bounds on time; "not held" is shown by order (a control call sent
 * after an API request is answered while that request is still held). */
#include <string.h>

#include "sim-test-util.h"

#define LATENCY_MS  300
#define DEADLINE_MS 10000

/* One request in flight on the test's main context. */
typedef struct {
  SoupMessage *msg;
  GBytes *body;
  GError *error;
  gboolean done;
  gint64 start_us, end_us;
} Pending;

static void
pending_done (GObject *source, GAsyncResult *res, gpointer data)
{
  Pending *p = data;

  p->body = soup_session_send_and_read_finish (SOUP_SESSION (source), res, &p->error);
  p->end_us = g_get_monotonic_time ();
  p->done = TRUE;
}

/* Starts @method @path (with the access token unless it is a /_sim/ path, a JSON @body if any). */
static void
pending_start (SimTest *t, Pending *p, const char *method, const char *path, const char *body)
{
  g_autofree char *base = rc_sim_get_base_url (t->sim);
  g_autofree char *url = g_strconcat (base, path, NULL);

  p->msg = soup_message_new (method, url);
  g_assert_nonnull (p->msg);
  if (body != NULL) {
    g_autoptr (GBytes) b = g_bytes_new (body, strlen (body));
    soup_message_set_request_body_from_bytes (p->msg, "application/json", b);
  }
  if (!g_str_has_prefix (path, "/_sim/")) {
    g_autofree char *auth = g_strconcat ("Bearer ", t->access_token, NULL);
    soup_message_headers_replace (soup_message_get_request_headers (p->msg), "Authorization", auth);
  }
  p->start_us = g_get_monotonic_time ();
  soup_session_send_and_read_async (t->session, p->msg, G_PRIORITY_DEFAULT, NULL, pending_done, p);
}

/* Iterates the main context until @p is answered; fails the test at the deadline. */
static void
pending_wait (Pending *p)
{
  gint64 deadline = g_get_monotonic_time () + DEADLINE_MS * 1000;

  while (!p->done && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, FALSE), g_usleep (1000);
  g_assert_true (p->done);
  g_assert_no_error (p->error);
}

static void
pending_clear (Pending *p)
{
  g_clear_object (&p->msg);
  g_clear_pointer (&p->body, g_bytes_unref);
  g_clear_error (&p->error);
  *p = (Pending){ 0 };
}

static gint64
elapsed_ms (const Pending *p)
{
  return (p->end_us - p->start_us) / 1000;
}

static void
test_held (SimTest *t, gconstpointer data)
{
  Pending api = { 0 }, control = { 0 };

  sim_test_sign_in (t);
  rc_sim_set_latency (t->sim, LATENCY_MS);
  pending_start (t, &api, "GET", SIM_TEST_EXT, NULL);
  /* Once the API request is recorded (held), a control call goes in beside it. */
  for (gint64 until = g_get_monotonic_time () + DEADLINE_MS * 1000;
       rc_sim_count_requests (t->sim, "GET", SIM_TEST_EXT) == 0 && g_get_monotonic_time () < until;)
    g_main_context_iteration (NULL, FALSE), g_usleep (1000);
  g_assert_cmpuint (rc_sim_count_requests (t->sim, "GET", SIM_TEST_EXT), ==, 1);
  pending_start (t, &control, "POST", "/_sim/inbound",
                 "{\"from\":\"+14155550100\",\"to\":\"+16505550100\",\"text\":\"yo\"}");
  pending_wait (&control);
  g_assert_cmpuint (soup_message_get_status (control.msg), ==, 200);
  g_assert_false (api.done); /* the control call was not held: the API answer still is */
  pending_wait (&api);
  g_assert_cmpuint (soup_message_get_status (api.msg), ==, 200);
  g_assert_cmpint (elapsed_ms (&api), >=, LATENCY_MS);
  pending_clear (&api);
  pending_clear (&control);
}

static void
test_fault_after_hold (SimTest *t, gconstpointer data)
{
  Pending api = { 0 };

  sim_test_sign_in (t);
  rc_sim_set_latency (t->sim, LATENCY_MS);
  rc_sim_inject_fault (t->sim, NULL, RC_SIM_FAULT_500, 1, 0);
  pending_start (t, &api, "GET", SIM_TEST_EXT, NULL);
  pending_wait (&api);
  g_assert_cmpuint (soup_message_get_status (api.msg), ==, 500);
  g_assert_cmpint (elapsed_ms (&api), >=, LATENCY_MS);
  pending_clear (&api);

  /* SLOW adds its own time to the hold. */
  rc_sim_inject_fault (t->sim, NULL, RC_SIM_FAULT_SLOW, 1, 200);
  pending_start (t, &api, "GET", SIM_TEST_EXT, NULL);
  pending_wait (&api);
  g_assert_cmpuint (soup_message_get_status (api.msg), ==, 200);
  g_assert_cmpint (elapsed_ms (&api), >=, LATENCY_MS + 200);
  pending_clear (&api);

  /* 0: no hold; the answer comes (no bound on when). */
  rc_sim_set_latency (t->sim, 0);
  pending_start (t, &api, "GET", SIM_TEST_EXT, NULL);
  pending_wait (&api);
  g_assert_cmpuint (soup_message_get_status (api.msg), ==, 200);
  pending_clear (&api);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add ("/sim/latency/held", SimTest, NULL, sim_test_setup, test_held, sim_test_teardown);
  g_test_add ("/sim/latency/fault-after-hold", SimTest, NULL, sim_test_setup, test_fault_after_hold,
              sim_test_teardown);
  return g_test_run ();
}
