/* rc-push-private.h (internal): RcPush's handling of incoming frames, exposed so that the tests
 * and the fuzzers (tests/fuzz/fuzz-push-frame.c) can feed frames without a socket. */
#pragma once

#include "rc-push.h"

G_BEGIN_DECLS

/* Handles one incoming WebSocket frame exactly as the socket's "message" handler does (fact sheet
 * §5; frames are a JSON array [header, body]): a binary frame (@is_text FALSE), a text that is not
 * JSON, or an array without a header object is skipped; ConnectionDetails, the answer to our
 * subscription ClientRequest, ServerNotification ("instant-message" / "store-changed"), Heartbeat
 * and Error frames act on @self's state and may emit its signals. Frames it would send in answer
 * are dropped while there is no open socket. @frame is borrowed. */
void rc_push_handle_frame (RcPush *self, gboolean is_text, GBytes *frame);

/* Test hook: puts @self where a freshly opened socket is, waiting for ConnectionDetails before
 * anything else (@recovering: the socket was opened with &wsc=, so recoveryState counts). */
void rc_push_test_await_details (RcPush *self, gboolean recovering);

/* Test hook: the messageId of the subscription ClientRequest in flight, or NULL. Borrowed. */
const char *rc_push_test_get_subscribe_id (RcPush *self);

G_END_DECLS
