/* test-rate-limit-sim.c: RcClient against the simulator enforcing RingCentral's per-group limits
 * (fact sheet §6; tests/scenarios/README.md "Rate limits"), with short windows so each test takes
 * seconds: a 401 on every request still makes at most 5 grants per Auth window; a token that
 * dies after 1 s (expires_in far below the 300 s the client believes) gives bounded grants; 100
 * sends under a small Medium limit get zero 429s at a throughput equal to the limit; a long
 * pacing wait is said once for a conversation, not once per text. */
#include <gio/gio.h>
#include <string.h>

#include "rc-test-sim.h"
#include "rc-test-util.h"

#define SMS_PATH   "/restapi/v1.0/account/~/extension/~/sms"
#define EXT_PATH   "/restapi/v1.0/account/~/extension/~"
#define TOKEN_PATH "/restapi/oauth/token"

static char *
scenario (const char *rate_limits, guint access_ttl)
{
  return g_strdup_printf (
      "{\"settings\":{\"access_token_ttl\":%u,\"delivery_delay_ms\":0},"
      "\"numbers\":[{\"phoneNumber\":\"+16505550100\",\"features\":[\"SmsSender\"]}],"
      "\"rate_limits\":%s}",
      access_ttl, rate_limits);
}

/* The most requests of @method @path the simulator received within any @window_s seconds. */
static guint
max_in_window (RcSim *sim, const char *method, const char *path, guint window_s, gint64 *first,
               gint64 *last)
{
  GPtrArray *requests = rc_sim_get_requests (sim);
  g_autoptr (GArray) times = g_array_new (FALSE, FALSE, sizeof (gint64));
  guint best = 0;

  for (guint i = 0; i < requests->len; i++) {
    RcSimRequest *r = requests->pdata[i];

    if (g_str_equal (r->method, method) && g_str_equal (r->path, path))
      g_array_append_val (times, r->time_us);
  }
  for (guint i = 0, j = 0; j < times->len; j++) {
    while (g_array_index (times, gint64, j) - g_array_index (times, gint64, i)
           >= (gint64)window_s * G_USEC_PER_SEC)
      i++;
    best = MAX (best, j - i + 1);
  }
  if (first != NULL)
    *first = times->len > 0 ? g_array_index (times, gint64, 0) : 0;
  if (last != NULL)
    *last = times->len > 0 ? g_array_index (times, gint64, times->len - 1) : 0;
  return best;
}

static void
get_ext (RcClient *client, GError **error)
{
  g_autoptr (GAsyncResult) result = NULL;
  g_autoptr (JsonNode) node = NULL;

  rc_client_request_async (client, "GET", EXT_PATH, NULL, NULL, rc_test_got_result, &result);
  node = rc_client_request_finish (client, rc_test_wait_result (&result), error);
}

/* A 401 on every API request for a while: each one asks for a new token, the gate lets at most
 * 5 grants through per Auth window (learnt from X-Rate-Limit-Window: 4 s). */
static void
test_401_storm (void)
{
  g_autofree char *json = scenario ("{\"auth\":{\"limit\":5,\"window_s\":4}}", 3600);
  g_autoptr (RcSim) sim = rc_test_sim_start (json);
  g_autoptr (RcClient) client = rc_test_sim_client (sim);
  guint grants;

  rc_sim_inject_fault (sim, "/restapi/v1.0/", RC_SIM_FAULT_401, 1000, 0);
  for (int i = 0; i < 12; i++) {
    g_autoptr (GError) error = NULL;

    get_ext (client, &error);
    g_assert_nonnull (error);
  }
  grants = rc_sim_count_requests (sim, "POST", TOKEN_PATH);
  g_test_message ("%u grants, at most %u in 4 s", grants,
                  max_in_window (sim, "POST", TOKEN_PATH, 4, NULL, NULL));
  g_assert_cmpuint (grants, >=, 6); /* the storm outlasted one window */
  g_assert_cmpuint (max_in_window (sim, "POST", TOKEN_PATH, 4, NULL, NULL), <=, 5);
  g_assert_cmpuint (rc_sim_count_rate_limited (sim), ==, 0);
}

/* The server's tokens die after 1 s (the client takes any lifetime under 300 s as 300 s, so it
 * does not refresh before every call); each 401 then costs one grant, and grants stay within the
 * Auth limit (2 per 4 s here, so that the gate bites) while requests keep coming for 6 s. */
static void
test_short_lived_tokens (void)
{
  g_autofree char *json = scenario ("{\"auth\":{\"limit\":2,\"window_s\":4},"
                                    "\"light\":{\"limit\":1000,\"window_s\":1}}",
                                    1);
  g_autoptr (RcSim) sim = rc_test_sim_start (json);
  g_autoptr (RcClient) client = rc_test_sim_client (sim);
  gint64 end = g_get_monotonic_time () + 6 * G_USEC_PER_SEC;
  guint calls = 0;

  while (g_get_monotonic_time () < end) {
    g_autoptr (GError) error = NULL;

    get_ext (client, &error);
    g_assert_no_error (error);
    calls++;
  }
  g_test_message ("%u calls, %u grants", calls, rc_sim_count_requests (sim, "POST", TOKEN_PATH));
  g_assert_cmpuint (calls, >, 20);
  g_assert_cmpuint (rc_sim_count_requests (sim, "POST", TOKEN_PATH), <=, 5);
  g_assert_cmpuint (max_in_window (sim, "POST", TOKEN_PATH, 4, NULL, NULL), <=, 2);
  g_assert_cmpuint (rc_sim_count_rate_limited (sim), ==, 0);
}

typedef struct {
  guint done;
  guint failed;
} Bulk;

static void
sent (GObject *source, GAsyncResult *result, gpointer user_data)
{
  Bulk *bulk = user_data;
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonNode) node = rc_client_request_finish (RC_CLIENT (source), result, &error);

  if (node == NULL) {
    g_test_message ("send failed: %s", error->message);
    bulk->failed++;
  }
  bulk->done++;
}

static void
bulk_send (RcClient *client, guint n, const char *tag)
{
  Bulk bulk = { 0 };
  guint watchdog = rc_test_watchdog_add (60);

  rc_client_set_request_tag (client, tag);
  for (guint i = 0; i < n; i++) {
    g_autofree char *body = g_strdup_printf ("{\"from\":{\"phoneNumber\":\"+16505550100\"},"
                                             "\"to\":[{\"phoneNumber\":\"+16505550199\"}],"
                                             "\"text\":\"bulk %u\"}",
                                             i);
    g_autoptr (JsonNode) node = rc_test_parse_json (body);

    rc_client_request_async (client, "POST", SMS_PATH, node, NULL, sent, &bulk);
  }
  rc_client_set_request_tag (client, NULL);
  while (bulk.done < n)
    g_main_context_iteration (NULL, TRUE);
  g_source_remove (watchdog);
  g_assert_cmpuint (bulk.failed, ==, 0);
}

/* 100 sends, Medium 20 per 2 s: one first (the client learns the limit from its answer), then
 * 99 at once: none refused, throughput = the limit. */
static void
test_bulk_send_paced (void)
{
  g_autofree char *json
      = scenario ("{\"medium\":{\"limit\":20,\"window_s\":2},\"light\":{\"limit\":50}}", 3600);
  g_autoptr (RcSim) sim = rc_test_sim_start (json);
  g_autoptr (RcClient) client = rc_test_sim_client (sim);
  gint64 first, last;
  guint most;
  double per_window;

  bulk_send (client, 1, NULL);
  bulk_send (client, 99, NULL);
  most = max_in_window (sim, "POST", SMS_PATH, 2, &first, &last);
  /* N sends paced at L per W seconds span (N/L - 1) windows: N·W / (span + W) = L. */
  per_window = 100.0 * 2 / ((double)(last - first) / G_USEC_PER_SEC + 2);
  g_test_message ("100 sends in %.2f s, %.1f per 2 s (limit 20), most in 2 s %u",
                  (double)(last - first) / G_USEC_PER_SEC, per_window, most);
  g_assert_cmpuint (rc_sim_count_requests (sim, "POST", SMS_PATH), ==, 100);
  g_assert_cmpuint (rc_sim_count_rate_limited (sim), ==, 0);
  g_assert_cmpuint (most, <=, 20);
  g_assert_cmpfloat (per_window, >=, 0.85 * 20);
  g_assert_cmpfloat (per_window, <=, 20.5);
}

static void
on_rate_limited (RcClient *client, guint seconds, const char *tag, gpointer user_data)
{
  GPtrArray *said = user_data;

  g_ptr_array_add (said, g_strdup_printf ("%s:%u", tag ? tag : "", seconds));
}

/* 20 texts to one conversation, Medium 10 per 6 s: the ten that wait about 6 s are announced
 * once ("rate-limited", the plugin's "Waiting N s (RingCentral rate limit)…"), not ten times. */
static void
test_wait_said_once (void)
{
  g_autofree char *json = scenario ("{\"medium\":{\"limit\":10,\"window_s\":6}}", 3600);
  g_autoptr (RcSim) sim = rc_test_sim_start (json);
  g_autoptr (RcClient) client = rc_test_sim_client (sim);
  g_autoptr (GPtrArray) said = g_ptr_array_new_with_free_func (g_free);

  /* The client learns Medium's limit from an answer first (a send, as after sign-on). */
  bulk_send (client, 1, "+16505550199");
  g_signal_connect (client, "rate-limited", G_CALLBACK (on_rate_limited), said);
  bulk_send (client, 19, "+16505550199");
  g_assert_cmpuint (said->len, ==, 1);
  g_assert_true (g_str_has_prefix (said->pdata[0], "+16505550199:"));
  g_assert_cmpuint (rc_sim_count_rate_limited (sim), ==, 0);
  g_assert_cmpuint (max_in_window (sim, "POST", SMS_PATH, 6, NULL, NULL), <=, 10);
}

int
main (int argc, char **argv)
{
  /* Only the limits the simulator announces apply, however this program is run. */
  g_setenv ("RC_TEST_RATE_DEFAULTS", "off", TRUE);
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/rate-limit-sim/401-storm", test_401_storm);
  g_test_add_func ("/rate-limit-sim/short-lived-tokens", test_short_lived_tokens);
  g_test_add_func ("/rate-limit-sim/bulk-send-paced", test_bulk_send_paced);
  g_test_add_func ("/rate-limit-sim/wait-said-once", test_wait_said_once);
  return g_test_run ();
}
