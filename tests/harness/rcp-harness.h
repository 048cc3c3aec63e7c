/* rcp-harness.h: real libpurple, headless, for integration tests of prpl-ringcentral.
 *
 * libpurple is initialised once per process (it cannot be re-initialised), in a temporary user
 * dir or a given one (restart tests run a second process over the same dir). The harness installs
 * GLib event loop ops and UI ops that record what a user would see (notifications, requests,
 * conversation lines, connection progress) and answer requests as the test scripted them.
 *
 * A test creates one RcpHarness (records cleared), adds an account, signs on, drives it and frees
 * the harness (the account is deleted). Every wait iterates the default GMainContext, so an
 * in-process simulator on that context keeps answering. Timeouts are failure guards only. */
#pragma once

#include <purple.h>

G_BEGIN_DECLS

#define RCP_HARNESS_UI_ID   "rcp-harness"
#define RCP_HARNESS_PRPL_ID "prpl-ringcentral"

/* Demo credentials every scenario accepts. */
#define RCP_HARNESS_CLIENT_ID     "demo-client-id"
#define RCP_HARNESS_CLIENT_SECRET "demo-client-secret"
#define RCP_HARNESS_JWT           "demo-jwt"

/* A generous guard for anything that should take well under a second. */
#define RCP_HARNESS_TIMEOUT_MS 20000

/* ---- process-wide ---------------------------------------------------------------------- */

/* Initialises libpurple once: @user_dir, or a new temporary dir when NULL. The plugin is looked
 * up in $RCP_PLUGIN_DIR (else the compile-time RCP_PLUGIN_DIR). Aborts the test on failure. */
void rcp_harness_core_init (const char *user_dir);
gboolean rcp_harness_core_is_initialised (void);
/* The user dir libpurple uses (valid after core init). */
const char *rcp_harness_core_user_dir (void);
/* purple_core_quit(): flushes accounts.xml and blist.xml. libpurple is unusable afterwards. */
void rcp_harness_core_quit (void);

/* Iterates the default main context until @pred returns TRUE (checked before every iteration)
 * or @timeout_ms passes. Returns the last value of @pred. */
typedef gboolean (*RcpHarnessPredicate) (gpointer data);
gboolean rcp_harness_wait_until (RcpHarnessPredicate pred, gpointer data, guint timeout_ms);
/* @tick (NULL = none) is called before every iteration of every wait, e.g. to timestamp
 * requests a simulator records. Its return value is ignored. */
void rcp_harness_set_tick (RcpHarnessPredicate tick, gpointer data);
/* Iterates the default main context for @ms milliseconds. */
void rcp_harness_run_for (guint ms);

/* ---- records ----------------------------------------------------------------------------- */

typedef struct {
  PurpleNotifyMsgType type;
  char *title, *primary, *secondary;
} RcpNotifyRecord;

typedef enum {
  RCP_REQUEST_INPUT,
  RCP_REQUEST_CHOICE,
  RCP_REQUEST_ACTION,
  RCP_REQUEST_FIELDS,
  RCP_REQUEST_FILE,
  RCP_REQUEST_FOLDER,
} RcpRequestKind;

typedef struct {
  RcpRequestKind kind;
  char *title, *primary, *secondary;
  GPtrArray *field_labels;  /* char*: labels of the fields (fields requests) */
  GPtrArray *choice_labels; /* char*: choices (choice request, first choice or list field) */
  gboolean answered;        /* OK/choice/action callback called */
  gboolean cancelled;       /* cancel callback called (or closed without an answer) */
} RcpRequestRecord;

typedef struct {
  char *conv_name; /* purple_conversation_get_name() */
  PurpleConversationType conv_type;
  char *who; /* may be NULL (system lines) */
  char *text;
  PurpleMessageFlags flags;
} RcpWriteRecord;

typedef struct {
  char *who;
  char *text;
  PurpleMessageFlags flags;
} RcpReceivedRecord;

/* How the test wants the next request answered (queued, first in first out). */
typedef enum {
  RCP_ANSWER_OK,     /* OK with the choice/list/action at @index (fields: the first choice or list
                      * field gets @index; input: @text) */
  RCP_ANSWER_CANCEL, /* the cancel callback */
} RcpAnswerKind;

/* ---- one test -------------------------------------------------------------------------- */

typedef struct _RcpHarness RcpHarness;

/* Initialises the core when needed (temporary user dir) and clears every record. */
RcpHarness *rcp_harness_new (void);
/* Deletes the account (disconnecting it), closes pending requests. */
void rcp_harness_free (RcpHarness *h);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (RcpHarness, rcp_harness_free)

/* Records since rcp_harness_new() (owned by the harness). */
GPtrArray *rcp_harness_notifies (RcpHarness *h); /* RcpNotifyRecord* */
GPtrArray *rcp_harness_requests (RcpHarness *h); /* RcpRequestRecord* */
GPtrArray *rcp_harness_writes (RcpHarness *h);   /* RcpWriteRecord* */
GPtrArray *rcp_harness_received (RcpHarness *h); /* RcpReceivedRecord* (received-im-msg) */
GPtrArray *rcp_harness_progress (RcpHarness *h); /* char*: connect_progress texts */
GPtrArray *rcp_harness_uris (RcpHarness *h);     /* char*: purple_notify_uri() URIs, in order */
guint rcp_harness_connection_errors (RcpHarness *h);
void rcp_harness_clear_records (RcpHarness *h);

/* Lines written into conversations: @conv_name NULL = any; @flags: all of them must be set
 * (0 = any); @needle: substring of the text or NULL. */
guint rcp_harness_count_writes (RcpHarness *h, const char *conv_name, PurpleMessageFlags flags,
                                const char *needle);
const RcpWriteRecord *rcp_harness_find_write (RcpHarness *h, const char *conv_name,
                                              PurpleMessageFlags flags, const char *needle);
gboolean rcp_harness_wait_for_write (RcpHarness *h, const char *conv_name, PurpleMessageFlags flags,
                                     const char *needle, guint timeout_ms);
/* received-im-msg from @who (NULL = any) whose text contains @needle (NULL = any). */
guint rcp_harness_count_received (RcpHarness *h, const char *who, const char *needle);
gboolean rcp_harness_wait_for_received (RcpHarness *h, const char *who, const char *needle,
                                        guint timeout_ms);
/* Every line written into @conv_name joined by '\n' (for failure messages and /from output). */
char *rcp_harness_dump_writes (RcpHarness *h, const char *conv_name);

/* Queues the answer for the next request libpurple shows. Unanswered requests stay pending. */
void rcp_harness_script_answer (RcpHarness *h, RcpAnswerKind kind, int index, const char *text);
/* Answers the oldest request still pending (shown without a scripted answer), from an idle as
 * scripted answers are. FALSE when none is pending. */
gboolean rcp_harness_answer_pending (RcpHarness *h, RcpAnswerKind kind, int index,
                                     const char *text);

/* ---- the account ------------------------------------------------------------------------- */

/* Creates and adds a prpl-ringcentral account @username (not enabled yet) with server_url,
 * the demo client id/secret, the demo JWT as password and sync_interval 1. Change any setting
 * with purple_account_set_*() before signing on. */
PurpleAccount *rcp_harness_add_account (RcpHarness *h, const char *username,
                                        const char *server_url);
/* Takes an account already in accounts.xml (restart tests). */
PurpleAccount *rcp_harness_adopt_account (RcpHarness *h, const char *username);
PurpleAccount *rcp_harness_account (RcpHarness *h);
/* The connection, or NULL when not connected (or connecting). */
PurpleConnection *rcp_harness_gc (RcpHarness *h);

typedef enum {
  RCP_SIGNON_OK,
  RCP_SIGNON_ERROR,
  RCP_SIGNON_TIMEOUT,
} RcpSignOnResult;

/* Enables/connects the account and waits for signed-on or connection-error. On error, *reason
 * and *description (free it) are set and the harness waits until libpurple disconnected. */
RcpSignOnResult rcp_harness_sign_on (RcpHarness *h, guint timeout_ms, PurpleConnectionError *reason,
                                     char **description);
/* Signs on and asserts it worked (with the error text in the failure message). */
void rcp_harness_sign_on_ok (RcpHarness *h);
/* Disconnects (synchronously) and returns when the connection is gone. */
void rcp_harness_sign_off (RcpHarness *h);

/* ---- driving ------------------------------------------------------------------------------ */

/* The IM conversation with @who (created when needed). */
PurpleConversation *rcp_harness_im (RcpHarness *h, const char *who);
/* purple_conv_im_send() on the IM with @who; @html as a UI would pass it. */
PurpleConversation *rcp_harness_send_im (RcpHarness *h, const char *who, const char *html);
/* Runs "/@cmdline" (without the slash) as a UI does. *error (free it) gets the command's error. */
PurpleCmdStatus rcp_harness_run_command (PurpleConversation *conv, const char *cmdline,
                                         char **error);
/* Calls the plugin's protocol action labelled @label. FALSE when there is none. */
gboolean rcp_harness_run_action (RcpHarness *h, const char *label);
/* Labels of the plugin's protocol actions (for failure messages). */
char *rcp_harness_action_labels (RcpHarness *h);
/* serv_join_chat() with the components chat_info_defaults(@name) gives. */
void rcp_harness_join_chat (RcpHarness *h, const char *name);
/* The chat conversation named @name, or NULL. */
PurpleConversation *rcp_harness_find_chat (RcpHarness *h, const char *name);

/* ---- Prism conformance proxy ------------------------------------------------------------- */

typedef struct _RcpPrism RcpPrism;

/* TRUE when $RCP_CONFORMANCE is set to something other than "" or "0". */
gboolean rcp_harness_conformance_requested (void);
/* Starts `prism proxy --errors SPEC UPSTREAM -p PORT --host 127.0.0.1` ($PRISM, else
 * $RCP_SOURCE_ROOT/node_modules/.bin/prism; the spec from $RCP_SHARED_DIR) and waits until it
 * listens. NULL with an error saying what is missing. */
RcpPrism *rcp_prism_start (const char *upstream_url, GError **error);
/* "http://127.0.0.1:PORT" */
const char *rcp_prism_url (RcpPrism *prism);
/* Log lines where Prism reported a validation error (request or response), newline-joined;
 * NULL when there is none. Warnings (undocumented error statuses) are not included. */
char *rcp_prism_violations (RcpPrism *prism);
/* The whole log so far. */
char *rcp_prism_log (RcpPrism *prism);
void rcp_prism_stop (RcpPrism *prism);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (RcpPrism, rcp_prism_stop)

G_END_DECLS
