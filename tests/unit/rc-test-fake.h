/* rc-test-fake.h: the fake RingCentral server the RcClient tests run against: a token endpoint
 * (JWT and refresh grants, scriptable refusals), canned API answers, every request recorded, and
 * the debug log captured so teardown can prove no secret reached it. */
#pragma once

#include "rc-test-util.h"

G_BEGIN_DECLS

#define RC_TEST_CLIENT_ID     "test-client-id"
#define RC_TEST_CLIENT_SECRET "CLIENT-SECRET-c1a2"
#define RC_TEST_JWT           "JWT-SECRET-eyJhbGciOi.payload.sig"

/* Every log message of the program since the last rc_test_fake_log_clear() (or the fixture's
 * setup), one per line, is kept in memory. Messages may come from worker threads (GIO, GTask
 * parses): every access goes through these two functions, which lock. */
gboolean rc_test_fake_log_contains (const char *needle);
void rc_test_fake_log_clear (void);

typedef struct {
  char *method;
  char *path;
  char *query;
  char *authorization;
  char *content_type;
  char *user_agent;
  char *body;
  gint64 time_us;
} RcTestReq;

typedef struct {
  RcTestServer srv;
  GPtrArray *requests; /* RcTestReq* */
  GQueue canned;       /* canned answers for API paths, first come first served */
  guint issued;        /* tokens issued so far */
  gint64 expires_in;
  gboolean refresh_dead;  /* refresh grant → 400 invalid_grant OAU-213 */
  gboolean jwt_refused;   /* JWT grant → 400 invalid_grant OAU-140 */
  gboolean token_garbage; /* token endpoint answers non-TokenInfo JSON */
} RcTestFake;

/* One asynchronous client call, filled in by its callback. */
typedef struct {
  gboolean done;
  JsonNode *node;
  gboolean ok;
  GError *error;
} RcTestCall;

/* g_test_init (), with G_MESSAGES_DEBUG=all and every log message kept for
 * rc_test_fake_log_contains(). */
void rc_test_fake_init (int *argc, char ***argv);
/* Adds a test under /client/ run with an RcTestFake fixture. */
#define RC_TEST_FAKE_ADD(name, fn)                                                                 \
  g_test_add ("/client/" name, RcTestFake, NULL, rc_test_fake_setup, fn, rc_test_fake_teardown)
void rc_test_fake_setup (RcTestFake *f, gconstpointer data);
void rc_test_fake_teardown (RcTestFake *f, gconstpointer data);
/* Queues the answer for the next API request; @body and @retry_after may be NULL. */
void rc_test_fake_can (RcTestFake *f, guint status, const char *body, const char *retry_after);
guint rc_test_fake_count (RcTestFake *f, const char *path);
RcTestReq *rc_test_fake_nth (RcTestFake *f, const char *path, guint nth);

/* A confidential client with the test JWT; counts "tokens-changed" in @changed if not NULL. */
RcClient *rc_test_fake_client (RcTestFake *f, guint *changed);
/* rc_test_fake_client () after a successful sign-in. */
RcClient *rc_test_fake_signed_in_client (RcTestFake *f);
void rc_test_fake_request_cb (GObject *source, GAsyncResult *res, gpointer user_data);
void rc_test_call_clear (RcTestCall *call);
JsonNode *rc_test_fake_request (RcClient *client, const char *method, const char *path,
                                JsonNode *body, GError **error);
gboolean rc_test_fake_sign_in (RcClient *client, GError **error);
/* A GWeakNotify setting the gboolean at @data. */
void rc_test_fake_weak_notify (gpointer data, GObject *where);
gint64 rc_test_now_s (void);

G_END_DECLS
