/* rc-test-inbox.h: what the RcInbox tests share (test-inbox.c, test-inbox-seen.c): records built
 * as JSON and parsed with rc_message_parse(), and a fixture that collects an inbox's events. */
#pragma once

#include "rc-inbox.h"

#define OURS  "+16505550100" /* the user's number */
#define OURS2 "+16505550199" /* another of the user's numbers */
#define PEER  "+14155550101"
#define PEER2 "+14155550102"
#define PEER3 "+14155550103"

/* One record. @to: ','-separated numbers; a trailing '*' marks the entry target=true. */
typedef struct {
  const char *id;
  gboolean outbound;
  const char *from; /* NULL: no from */
  const char *to;   /* NULL: no to[] */
  const char *text;
  guint second;       /* creationTime: 2024-05-01T10:00:00Z + @second */
  const char *status; /* messageStatus; NULL: "Received" inbound, "Queued" outbound */
  const char *read;   /* readStatus or NULL */
  const char *availability;
  gboolean string_id; /* the id as a JSON string (notification form) */
} Rec;

/* The record @r describes (rc_message_free). */
RcMessage *rc_test_inbox_make (const Rec *r);
#define MAKE(...) rc_test_inbox_make (&(Rec){ __VA_ARGS__ })

typedef struct {
  RcClient *client;
  RcSenderList *senders;
  RcInbox *inbox;
  GPtrArray *events; /* RcInboxEvent*, referenced */
  guint state_changes;
} Fixture;

/* A new inbox whose events and state changes @f records (g_object_unref). */
RcInbox *fixture_inbox (Fixture *f);
void fixture_set_up (Fixture *f, gconstpointer data);
void fixture_tear_down (Fixture *f, gconstpointer data);
/* Forgets the events and state changes recorded so far. */
void fixture_reset (Fixture *f);
/* The @i-th event recorded (asserts there is one). */
RcInboxEvent *fixture_event (Fixture *f, guint i);
/* Adds the NULL-ended records (taken) to @f->inbox as one batch. */
void fixture_add (Fixture *f, RcInboxSource source, ...);
#define ADD(f, ...)  fixture_add (f, RC_INBOX_FROM_SYNC, __VA_ARGS__, NULL)
#define PUSH(f, rec) fixture_add (f, RC_INBOX_FROM_PUSH, rec, NULL)
/* The ids of the events recorded, ','-joined, are @expected. */
void assert_event_ids (Fixture *f, const char *expected);
