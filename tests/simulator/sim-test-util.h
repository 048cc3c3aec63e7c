/* sim-test-util.h: driving the simulator over HTTP with a plain SoupSession, for the simulator's
 * own test programs (the way the plugin drives it): sign-in, API calls, control endpoints, and
 * waiting on the main context with a deadline. */
#pragma once

#include <libsoup/soup.h>

#include "rc-sim.h"

G_BEGIN_DECLS

#define SIM_TEST_EXT "/restapi/v1.0/account/~/extension/~"

typedef struct {
  RcSim *sim;
  SoupSession *session;
  char *access_token;
} SimTest;

/* g_test_add () fixture functions: @data is a scenario file name under RC_SCENARIOS_DIR (NULL:
 * basic.json). */
void sim_test_setup (SimTest *t, gconstpointer data);
void sim_test_teardown (SimTest *t, gconstpointer data);
/* Replaces the simulator with one from @scenario_json, started. */
void sim_test_restart (SimTest *t, const char *scenario_json);

/* One request answered by the simulator on this main context: the parsed JSON answer (or NULL)
 * and its status; *@date (Unix s) from the Date header when @date is not NULL. @auth may be NULL.
 * Transport errors fail the test. */
JsonNode *sim_test_request (SimTest *t, const char *method, const char *path,
                            const char *content_type, const char *body, const char *auth,
                            guint *status, gint64 *date);
/* The JWT grant with the demo credentials; keeps the access token. */
void sim_test_sign_in (SimTest *t);
/* An API call with the access token; a JSON body when @body is given. */
JsonNode *sim_test_api (SimTest *t, const char *method, const char *path, const char *body,
                        guint *status);
/* The same with the body's media type given. */
JsonNode *sim_test_api_typed (SimTest *t, const char *method, const char *path, const char *type,
                              const char *body, guint *status);
/* A POST to /_sim/@what with a JSON body; returns the answer, sets *status. */
JsonNode *sim_test_control (SimTest *t, const char *what, const char *body, guint *status);

/* errors[0].errorCode of an error answer. */
const char *sim_test_error_code (JsonNode *n);
/* records[] of a list or sync answer; syncInfo.syncToken (newly allocated). */
JsonArray *sim_test_records (JsonNode *n);
char *sim_test_sync_token (JsonNode *n);

/* GET message-store/{id}: the record (fails the test unless 200). */
JsonNode *sim_test_record (SimTest *t, const char *id);
/* Iterates the main context until record @id has messageStatus @want; fails after 5 s. */
JsonNode *sim_test_wait_status (SimTest *t, const char *id, const char *want);

G_END_DECLS
