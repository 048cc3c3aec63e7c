/* rc-test-util.h: what several unit test programs share: JSON from strings and fixture files, a
 * tiny SoupServer on 127.0.0.1, an RcClient with a valid token, and waiting for async results. */
#pragma once

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include "rc-client.h"

G_BEGIN_DECLS

/* Parses @text; a parse error fails the test. */
JsonNode *rc_test_parse_json (const char *text);

/* The text / the parsed JSON of fixture @name, from $RC_FIXTURES_DIR or the built-in path. */
char *rc_test_fixture_text (const char *name);
JsonNode *rc_test_load_fixture (const char *name);

typedef void (*RcTestHandler) (SoupServerMessage *msg, const char *path, const char *body,
                               gpointer user_data);

/* A server on 127.0.0.1:0 that records the last request and, unless a handler answers instead,
 * replies with the scripted status, JSON body and headers (200, empty body by default). */
typedef struct {
  SoupServer *server;
  char *base_url; /* http://127.0.0.1:PORT */
  guint requests; /* requests seen so far */
  char *last_method;
  char *last_path;
  char *last_query;
  char *last_body;
  guint status;
  char *body;
  SoupMessageHeaders *headers;
  RcTestHandler handler;
  gpointer handler_data;
} RcTestServer;

void rc_test_server_start (RcTestServer *srv, RcTestHandler handler, gpointer user_data);
void rc_test_server_stop (RcTestServer *srv);
/* The same, shaped for g_test_add () with RcTestServer as the fixture. */
void rc_test_server_set_up (RcTestServer *srv, gconstpointer data);
void rc_test_server_tear_down (RcTestServer *srv, gconstpointer data);
/* Sets the answer to the next requests; @body may be NULL (empty). */
void rc_test_server_script (RcTestServer *srv, guint status, const char *body);
void rc_test_server_script_header (RcTestServer *srv, const char *name, const char *value);
/* Answers @msg with @status and, when not NULL, @json as application/json. */
void rc_test_respond (SoupServerMessage *msg, guint status, const char *json);

/* A public client ("test-client") on @base_url holding an access token valid for an hour. */
RcClient *rc_test_client_new (const char *base_url);

/* A GAsyncReadyCallback storing a reference to the result in the GAsyncResult ** @user_data. */
void rc_test_got_result (GObject *source, GAsyncResult *result, gpointer user_data);
/* Iterates the default main context until *@slot is set; fails the test after 20 s. */
GAsyncResult *rc_test_wait_result (GAsyncResult **slot);
/* Iterates the default main context until *@flag is TRUE; fails the test after 20 s. */
void rc_test_wait_for (gboolean *flag);
/* A source that fails the test after @seconds: remove it with g_source_remove (). */
guint rc_test_watchdog_add (guint seconds);

G_END_DECLS
