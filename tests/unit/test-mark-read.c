/* test-mark-read.c: rc_message_mark_read_async() against the in-process simulator: one request
 * per 50 ids, the bulk form for several, ids checked before anything is sent. */
#include <string.h>
#include <glib.h>

#include "rc-error.h"
#include "rc-message.h"
#include "rc-sim.h"
#include "rc-test-sim.h"
#include "rc-test-util.h"

#define STORE "/restapi/v1.0/account/~/extension/~/message-store/"

typedef struct {
  RcSim *sim;
  RcClient *client;
} Fixture;

static void
setup (Fixture *f, gconstpointer data)
{
  f->sim = rc_test_sim_start (
      "{\"numbers\":[{\"phoneNumber\":\"+16505550100\",\"features\":[\"SmsSender\"]}]}");
  f->client = rc_test_sim_client (f->sim);
}

static void
teardown (Fixture *f, gconstpointer data)
{
  g_clear_object (&f->client);
  g_clear_object (&f->sim);
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

/* @n new inbound texts; their ids. */
static GPtrArray *
add_inbound (Fixture *f, guint n)
{
  GPtrArray *ids = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; i < n; i++)
    g_ptr_array_add (ids, rc_sim_add_inbound (f->sim, "+14155550100", "+16505550100", "hi"));
  g_ptr_array_add (ids, NULL);
  return ids;
}

static gboolean
mark_read (Fixture *f, const char *const *ids, GError **error)
{
  g_autoptr (GAsyncResult) result = NULL;

  rc_message_mark_read_async (f->client, ids, NULL, rc_test_got_result, &result);
  return rc_message_mark_read_finish (f->client, rc_test_wait_result (&result), error);
}

/* The record's readStatus, as the simulator keeps it. */
static char *
read_status (Fixture *f, const char *id)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *path = g_strconcat (STORE, id, NULL);
  g_autoptr (GAsyncResult) result = NULL;
  g_autoptr (JsonNode) node = NULL;

  rc_client_request_async (f->client, "GET", path, NULL, NULL, rc_test_got_result, &result);
  node = rc_client_request_finish (f->client, rc_test_wait_result (&result), &error);
  g_assert_no_error (error);
  return g_strdup (json_object_get_string_member (json_node_get_object (node), "readStatus"));
}

static RcSimRequest *
nth_put (Fixture *f, guint nth)
{
  GPtrArray *log = rc_sim_get_requests (f->sim);

  for (guint i = 0; i < log->len; i++) {
    RcSimRequest *r = log->pdata[i];
    if (g_str_equal (r->method, "PUT") && nth-- == 0)
      return r;
  }
  g_assert_not_reached ();
}

static void
test_one (Fixture *f, gconstpointer data)
{
  g_autoptr (GPtrArray) ids = add_inbound (f, 1);
  g_autoptr (GError) error = NULL;
  g_autofree char *status = NULL;

  g_assert_true (mark_read (f, (const char *const *)ids->pdata, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (rc_sim_count_requests (f->sim, "PUT", STORE), ==, 1);
  g_assert_true (g_str_has_prefix (nth_put (f, 0)->content_type, "application/json"));
  g_assert_cmpstr (nth_put (f, 0)->body, ==, "{\"readStatus\":\"Read\"}");
  status = read_status (f, ids->pdata[0]);
  g_assert_cmpstr (status, ==, "Read");
}

static void
test_burst (Fixture *f, gconstpointer data)
{
  g_autoptr (GPtrArray) ids = add_inbound (f, 3);
  g_autoptr (GError) error = NULL;
  g_autofree char *path = NULL;
  RcSimRequest *put;

  g_assert_true (mark_read (f, (const char *const *)ids->pdata, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (rc_sim_count_requests (f->sim, "PUT", STORE), ==, 1);
  put = nth_put (f, 0);
  path = g_strdup_printf ("%s%s,%s,%s", STORE, (char *)ids->pdata[0], (char *)ids->pdata[1],
                          (char *)ids->pdata[2]);
  g_assert_cmpstr (put->path, ==, path);
  g_assert_cmpstr (put->content_type, ==, "application/vnd.ringcentral.multipart+json");
  g_assert_cmpuint (put->status, ==, 207);
  for (guint i = 0; i < 3; i++) {
    g_autofree char *status = read_status (f, ids->pdata[i]);
    g_assert_cmpstr (status, ==, "Read");
  }
}

static void
test_120_ids (Fixture *f, gconstpointer data)
{
  g_autoptr (GPtrArray) ids = add_inbound (f, 120);
  g_autoptr (GError) error = NULL;
  guint sizes[] = { 50, 50, 20 };

  g_assert_true (mark_read (f, (const char *const *)ids->pdata, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (rc_sim_count_requests (f->sim, "PUT", STORE), ==, 3);
  for (guint i = 0; i < 3; i++) {
    RcSimRequest *put = nth_put (f, i);
    g_auto (GStrv) parts = g_strsplit (put->path + strlen (STORE), ",", -1);

    g_assert_cmpuint (g_strv_length (parts), ==, sizes[i]);
    g_assert_cmpstr (parts[0], ==, ids->pdata[i * 50]); /* in order, one after another */
    g_assert_cmpuint (put->status, ==, 207);
  }
  for (guint i = 0; i < 120; i += 17) {
    g_autofree char *status = read_status (f, ids->pdata[i]);
    g_assert_cmpstr (status, ==, "Read");
  }
}

static void
test_refused_locally (Fixture *f, gconstpointer data)
{
  const char *const bad[][3] = {
    { "3000000000001", "12a", NULL },
    { "", NULL, NULL },
    { "-1", NULL, NULL },
    { "1,2", NULL, NULL },
    { "1 ", NULL, NULL },
    { "123456789012345678901", NULL, NULL },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (bad); i++) {
    g_autoptr (GError) error = NULL;

    g_assert_false (mark_read (f, bad[i], &error));
    g_assert_error (error, RC_ERROR, RC_ERROR_INVALID_INPUT);
  }
  g_assert_cmpuint (rc_sim_get_requests (f->sim)->len, ==, 0); /* nothing was sent */

  /* Nothing to mark: done at once, nothing sent. */
  {
    const char *none[] = { NULL };
    g_autoptr (GError) error = NULL;

    g_assert_true (mark_read (f, none, &error));
    g_assert_true (mark_read (f, NULL, &error));
    g_assert_no_error (error);
    g_assert_cmpuint (rc_sim_get_requests (f->sim)->len, ==, 0);
  }
}

static void
test_gone_and_failures (Fixture *f, gconstpointer data)
{
  g_autoptr (GPtrArray) ids = add_inbound (f, 60);
  const char *gone_one[] = { "424242", NULL };
  g_autoptr (GError) error = NULL;

  /* Messages that no longer exist (404, alone or as a part) count as done. */
  g_assert_true (mark_read (f, gone_one, &error));
  g_assert_no_error (error);
  g_free (g_ptr_array_index (ids, 1));
  g_ptr_array_index (ids, 1) = g_strdup ("424243");
  g_assert_true (mark_read (f, (const char *const *)ids->pdata, &error));
  g_assert_no_error (error);

  /* A failing request stops the rest; an unreadable answer is a bad response. */
  rc_sim_clear_requests (f->sim);
  rc_sim_inject_fault (f->sim, STORE, RC_SIM_FAULT_500, 1, 0);
  g_assert_false (mark_read (f, (const char *const *)ids->pdata, &error));
  g_assert_error (error, RC_ERROR, RC_ERROR_NETWORK);
  g_clear_error (&error);
  g_assert_cmpuint (rc_sim_count_requests (f->sim, "PUT", STORE), ==, 1);
  rc_sim_inject_fault (f->sim, STORE, RC_SIM_FAULT_MALFORMED, 1, 0);
  g_assert_false (mark_read (f, (const char *const *)ids->pdata, &error));
  g_assert_error (error, RC_ERROR, RC_ERROR_BAD_RESPONSE);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
#define ADD(name, fn) g_test_add ("/mark-read/" name, Fixture, NULL, setup, fn, teardown)
  ADD ("one", test_one);
  ADD ("burst", test_burst);
  ADD ("120-ids", test_120_ids);
  ADD ("refused-locally", test_refused_locally);
  ADD ("gone-and-failures", test_gone_and_failures);
  return g_test_run ();
}
