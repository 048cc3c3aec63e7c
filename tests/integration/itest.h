/* itest.h: what every integration test shares: an in-process simulator from a scenario, the
 * harness with one account pointed at it (through Prism in conformance runs), request-log
 * helpers. */
#pragma once

#include <json-glib/json-glib.h>

#include "rc-sim.h"
#include "rcp-harness.h"

G_BEGIN_DECLS

#define SMS_PATH     "/restapi/v1.0/account/~/extension/~/sms"
#define NUMBERS_PATH "/restapi/v1.0/account/~/extension/~/phone-number"
#define SYNC_PATH    "/restapi/v1.0/account/~/extension/~/message-sync"
#define TOKEN_PATH   "/restapi/oauth/token"
#define JWT_GRANT    "urn:ietf:params:oauth:grant-type:jwt-bearer"

typedef struct {
  RcSim *sim;
  RcpPrism *prism; /* conformance runs only */
  RcpHarness *h;
  PurpleAccount *account;
  char *server_url; /* what the account talks to: the simulator or the proxy in front of it */
} ITest;

/* Starts the simulator from tests/scenarios/@scenario on 127.0.0.1:0 (and Prism in front of it
 * when RCP_CONFORMANCE is set: missing Prism fails the test), creates the harness and an account
 * "@username" (NULL: "test@example.com") against it. */
ITest *itest_new (const char *scenario, const char *username);
/* Fails the test if Prism reported a validation error; frees everything. */
void itest_free (ITest *t);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (ITest, itest_free)

/* itest_new (@scenario), with default_from and from_map set when not NULL, signed on. */
ITest *itest_signed_on (const char *scenario, const char *default_from, const char *from_map);

/* A group chat saved in the buddy list with @participants as typed (not canonical). */
PurpleChat *itest_save_chat (ITest *t, const char *participants);

/* The path of a scenario file. */
char *itest_scenario_path (const char *scenario);

/* Registers a test; in a conformance run only tests with @conformance TRUE are registered. */
void itest_add (const char *path, GTestFunc func, gboolean conformance);

/* ---- request log ----
 * A path prefix names one resource and what only differs in its query: ".../phone-number" does
 * not match ".../phone-number/1/sms-configuration" (a prefix ending with '/' matches below it). */
guint itest_count (ITest *t, const char *method, const char *path_prefix);
/* The @nth (0-based) recorded request matching, or NULL. */
RcSimRequest *itest_request (ITest *t, const char *method, const char *path_prefix, guint nth);
/* Index of a request in the log, or -1. */
int itest_request_index (ITest *t, RcSimRequest *req);
/* Waits until at least @n requests match; FALSE on timeout. */
gboolean itest_wait_count (ITest *t, const char *method, const char *path_prefix, guint n,
                           guint timeout_ms);
/* The whole log, one request a line (for failure messages). */
char *itest_dump_requests (ITest *t);

/* Waits until the simulator has a WebSocket with an active subscription (push is up). */
gboolean itest_wait_push (ITest *t);
/* The form-encoded body of a request as a hash table (for the token requests). */
GHashTable *itest_form (RcSimRequest *req);
/* Token requests with grant_type @grant (e.g. JWT_GRANT or "refresh_token") from index @from on. */
guint itest_count_grants (ITest *t, const char *grant, guint from);
/* The JSON body of a request (NULL when it is not JSON). */
JsonNode *itest_json (RcSimRequest *req);
/* The from.phoneNumber of the @nth (0-based) POST /sms, after waiting for it (asserts it came). */
char *itest_sent_from (ITest *t, guint nth);
/* A string member at a path like "from.phoneNumber" or "to.0.phoneNumber"; NULL if absent. */
const char *itest_json_string (JsonNode *root, const char *path);

/* A scenario's numbers without the one whose phoneNumber is @e164, as JSON for
 * rc_sim_set_numbers() (free it). */
char *itest_numbers_without (const char *scenario, const char *e164);

/* ---- conversation output ---- */
/* The text of lines written into @conv_name from write index @from on, one line each (writes
 * holding several lines are split at <br> and newlines). */
GPtrArray *itest_lines_since (RcpHarness *h, const char *conv_name, guint from);
/* Fails the test unless @conv has a PURPLE_MESSAGE_ERROR line containing each of @needles
 * (NULL-terminated); the failure message shows the conversation's writes. */
void itest_assert_error_line (ITest *t, PurpleConversation *conv, const char *const *needles);

/* Fails the test unless exactly one notification was shown, of @type, whose secondary text
 * contains each of @needles (NULL-terminated). */
void itest_assert_only_notify (ITest *t, PurpleNotifyMsgType type, const char *const *needles);
/* Notifications of @type (-1: any) whose primary or secondary text contains @needle. */
guint itest_count_notifies (ITest *t, int type, const char *needle);

/* ---- menus (blist_node_menu, conversation-extended-menu) ---- */
/* The item of @items whose label contains @label_part, or NULL. */
PurpleMenuAction *itest_menu_find (GList *items, const char *label_part);
/* Frees a menu and its submenus (purple_menu_action_free() leaves the children). */
void itest_menu_free (GList *items);

/* ---- restarts ----
 * libpurple starts once per process: a restart test quits it (rcp_harness_core_quit() saves
 * accounts.xml and blist.xml) and runs this same program again over the same user dir, while the
 * simulator keeps answering here. */
typedef void (*ITestChildLine) (ITest *t, const char *line, gpointer data);
/* Runs this program (/proc/self/exe) with @args (NULL-terminated), calls @on_line (NULL: none)
 * for every line it prints, serves the default main context until it exited and returns what it
 * printed (free it); *status gets its exit status. */
char *itest_run_self (ITest *t, const char *const *args, ITestChildLine on_line, gpointer data,
                      int *status);

G_END_DECLS
