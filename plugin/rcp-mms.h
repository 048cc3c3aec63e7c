/* rcp-mms.h: pictures and files (MMS) in libpurple terms (mms.c): images inserted into a message
 * (imgstore <img id>), files sent with Send File (PurpleXfer), and attachments of incoming texts
 * (downloaded, images shown inline, other files saved). It calls no im.c/chat.c function: those and
 * dispatch.c call it. */
#pragma once

#include "rc-inbox.h"
#include "rcp-account.h"

G_BEGIN_DECLS

/* The images of libpurple's outgoing HTML (<img id="N"> from the imgstore) as RcMmsFile* (the
 * array frees them; empty when there are none). *rest gets the HTML without the img tags. */
GPtrArray *rcp_mms_images_from_html (const char *html, char **rest);

/* A Send File transfer to @who (IM: a number; chat: the chat name) whose recipients are @to
 * (E.164, NULL-ended, copied). When the UI starts it, the file goes out as one MMS (no text) from
 * the conversation's send-from number; refusals (no MMS on the number, limits, type) are the
 * transfer's error and a line in the conversation. For new_xfer (drag and drop). */
PurpleXfer *rcp_mms_new_xfer (RcpAccount *ra, const char *who, PurpleConversationType type,
                              const char *const *to);

/* rcp_mms_new_xfer() started at once: with @filename, or (NULL) after the UI asked for one. */
void rcp_mms_send_file (RcpAccount *ra, const char *who, PurpleConversationType type,
                        const char *const *to, const char *filename);

/* Called with what to append to a text with attachments, once every attachment is handled: HTML
 * (images inline as <img id>, with a text line for UIs that drop images; files saved under the
 * libpurple user dir, named with their size and path; failures in words), and the extra message
 * flags (PURPLE_MESSAGE_IMAGES when an image is inline). @event and @ra are valid for the call. */
typedef void (*RcpMmsFetched) (RcpAccount *ra, const RcInboxEvent *event, const char *extra_html,
                               PurpleMessageFlags extra_flags);

/* Downloads the MmsAttachment files of @event (in the background, bounded in size) and then calls
 * @done, unless the connection closed meanwhile. */
void rcp_mms_fetch (RcpAccount *ra, const RcInboxEvent *event, RcpMmsFetched done);

/* Largest attachment downloaded (bytes). RingCentral limits a whole MMS to 1.5 MB (fact sheet §3);
 * this leaves room without letting a hostile answer fill memory. */
#define RCP_MMS_MAX_DOWNLOAD (5 * 1024 * 1024)

G_END_DECLS
