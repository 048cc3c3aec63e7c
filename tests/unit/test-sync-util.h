/* test-sync-util.h: helpers shared by the RcSync tests (test-sync.c, test-sync-stream.c). */
#pragma once

#include <glib.h>

#include "rc-sync-private.h"
#include "rc-test-util.h"

#define T_2024_05_01_1000 G_GINT64_CONSTANT (1714557600) /* 2024-05-01T10:00:00Z */
#define T_2024_05_01_1005 G_GINT64_CONSTANT (1714557900) /* 2024-05-01T10:05:00Z */

typedef struct {
  RcSync *sync;
  GPtrArray *ids; /* ids of the "records" emissions, in order */
  GPtrArray *texts;
  guint emissions; /* "records" emissions */
  guint state_changes;
  char *saved_token; /* what a "state-changed" handler persisted */
  gint64 saved_time;
} Recorder;

typedef struct {
  RcTestServer srv;
  GPtrArray *queries; /* the query string of every message-sync request */
  GQueue answers;     /* (status, body) pairs, as "STATUS BODY" strings */
  RcClient *client;
  RcSync *sync;
  Recorder recorder;
} Fixture;

typedef struct {
  GAsyncResult *result;
  guint order; /* when it completed, 1-based */
} Pending;

/* Rounds completed so far (got_result counts them). */
extern guint completed;

char *answer_text_at (const guint64 *ids, const guint *minutes, gsize n, const char *token,
                      const char *sync_time);
char *answer_text (const guint64 *ids, const guint *minutes, gsize n, const char *token);
void recorder_init (Recorder *r, RcSync *sync);
void recorder_clear (Recorder *r);
void recorder_reset (Recorder *r);
void apply (RcSync *sync, const char *text);
void fixture_set_up (Fixture *f, gconstpointer data);
void fixture_tear_down (Fixture *f, gconstpointer data);
void plan (Fixture *f, guint status, const char *body);
void got_result (GObject *source, GAsyncResult *result, gpointer user_data);
gboolean run_round (Fixture *f, GError **error);
