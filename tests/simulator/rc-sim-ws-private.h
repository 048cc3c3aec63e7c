/* rc-sim-ws-private.h: the WebSocket push state shared by rc-sim-ws.c (the socket protocol and
 * notifications) and rc-sim-ws-control.c (test switches and control endpoints). */
#pragma once

#include "rc-sim-private.h"

G_BEGIN_DECLS

#define WS_TOKEN_TTL_S        60  /* wstoken.json */
#define WS_RECOVERY_TIMEOUT_S 180 /* ws-connection-details.json recoveryTimeout */
#define WS_BUFFER_SIZE        100 /* recoveryBufferSize */
#define WS_INSTANT_FILTER     "/message-store/instant?type=SMS"

typedef struct _WsSession WsSession;

/* One open socket. */
typedef struct {
  RcSim *sim;
  SoupWebsocketConnection *conn;
  WsSession *session;
} WsConn;

/* A wsc session: outlives its socket for WS_RECOVERY_TIMEOUT_S so a client can recover it. */
struct _WsSession {
  char *wsc_token;
  guint64 sequence;
  gboolean subscribed;
  char *subscription_id;
  gboolean want_instant; /* …/message-store/instant?type=SMS */
  gboolean want_store;   /* …/message-store */
  GQueue missed;         /* char* frames produced while no socket could take them, oldest first */
  WsConn *conn;          /* or NULL while detached */
  gint64 detached_at;    /* monotonic µs */
};

struct _RcSimWs {
  GHashTable *tokens;  /* ws_access_token → expiry (monotonic µs, gint64*) */
  GPtrArray *sessions; /* WsSession* */
  GPtrArray *conns;    /* WsConn* */
  GHashTable *frames;  /* frame type → count (received from clients) */
  GHashTable *last;    /* frame type → last frame text */
  gboolean recovery_fails;
  gboolean silent;
  guint refuse;
  guint ping_interval;
  guint pongs;
  guint64 next_id;
};

/* The simulator's WebSocket state, created on first use. */
RcSimWs *rc_sim_ws_get (RcSim *self);
/* Forgets the socket @c (its session waits for a recovery) and frees @c. */
void rc_sim_ws_conn_detach (WsConn *c);

G_END_DECLS
