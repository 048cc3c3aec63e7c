/* rcp-im.h: one-to-one texts as IMs (im.c): sending (send_im) and the inbox events of 1:1 threads,
 * which dispatch.c hands over. */
#pragma once

#include "rc-inbox.h"
#include "rcp-account.h"

G_BEGIN_DECLS

/* PurplePluginProtocolInfo send_im. */
int rcp_send_im (PurpleConnection *gc, const char *who, const char *message,
                 PurpleMessageFlags flags);

/* Send File (prpl can_receive_file, new_xfer, send_file): the file goes out as an MMS. */
gboolean rcp_im_can_receive_file (PurpleConnection *gc, const char *who);
PurpleXfer *rcp_im_new_xfer (PurpleConnection *gc, const char *who);
void rcp_im_send_file (PurpleConnection *gc, const char *who, const char *filename);

/* A 1:1 text received (RC_INBOX_RECEIVED: shown as from the contact) or sent from another
 * RingCentral app or phone (RC_INBOX_SENT_ELSEWHERE: shown as the user's own line, never sent
 * again), with @extra_html (its attachments, may be NULL) appended and @extra_flags added. */
void rcp_im_got_text (RcpAccount *ra, const RcInboxEvent *event, const char *extra_html,
                      PurpleMessageFlags extra_flags);

/* A delivery status line (@line, plain) for a 1:1 text: a failure is written into the IM
 * conversation (opened when needed); a receipt only into an open one. */
void rcp_im_got_status (RcpAccount *ra, const RcInboxEvent *event, const char *line);

G_END_DECLS
