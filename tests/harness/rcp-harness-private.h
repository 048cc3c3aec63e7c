/* rcp-harness-private.h: state shared by the harness's own files. */
#pragma once

#include "rcp-harness.h"

G_BEGIN_DECLS

typedef struct {
  RcpAnswerKind kind;
  int index;
  char *text;
} RcpAnswer;

struct _RcpHarness {
  PurpleAccount *account;
  GPtrArray *notifies; /* RcpNotifyRecord* */
  GPtrArray *requests; /* RcpRequestRecord* */
  GPtrArray *writes;   /* RcpWriteRecord* */
  GPtrArray *received; /* RcpReceivedRecord* */
  GPtrArray *progress; /* char* */
  GPtrArray *uris;     /* char*: purple_notify_uri() */
  GQueue answers;      /* RcpAnswer* */
  GList *pending;      /* RcpPendingRequest* (ui.c) */
  /* connection events for the current sign-on */
  gboolean signed_on;
  gboolean got_error;
  PurpleConnectionError error_reason;
  char *error_description;
  guint connection_errors;
};

/* The harness the UI ops record into (one at a time), or NULL. */
extern RcpHarness *rcp_harness_current;

/* Installs the UI ops and signal handlers (core init calls it once). */
void rcp_harness_ui_install (void);
/* Closes requests still pending (cancel callbacks) when a harness goes away. */
void rcp_harness_ui_close_pending (RcpHarness *h);
void rcp_harness_answer_free (gpointer answer);

G_END_DECLS
