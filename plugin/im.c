/* im.c: one-to-one texts: sending (send_im), with every refusal written into the conversation,
 * and showing the inbox events of 1:1 threads. */
#include <errno.h>
#include <glib/gi18n-lib.h>
#include <purple.h>
#include <string.h>

#include "rc-message.h"
#include "rc-outbox.h"
#include "rcp-conv.h"
#include "rcp-im.h"
#include "rcp-markup.h"
#include "rcp-mms.h"
#include "rcp-names.h"
#include "rcp-senders.h"

/* What send_im returns after it wrote its own "Could not send: ..." line. libpurple answers any
 * other negative value with a second, vaguer "Unable to send message." line; -ENOTCONN only logs. */
#define RCP_SEND_REFUSED (-ENOTCONN)

#define RCP_DEBUG "ringcentral"

typedef struct {
  GCancellable *cancellable; /* own reference: tells whether @ra still exists */
  RcpAccount *ra;
  char *who; /* the conversation's name as libpurple gave it */
} SendCall;

static void
send_call_free (SendCall *call)
{
  g_object_unref (call->cancellable);
  g_free (call->who);
  g_free (call);
}

static void
write_could_not_send (PurpleAccount *account, const char *who, const char *reason)
{
  g_autofree char *line = g_strdup_printf (_ ("Could not send: %s"), reason);

  rcp_conv_write_im_error (account, who, line);
}

static void
on_sms_sent (GObject *source, GAsyncResult *result, gpointer user_data)
{
  SendCall *call = user_data;
  g_autoptr (GError) error = NULL;
  g_autoptr (RcMessage) sent = rc_outbox_send_finish (RC_OUTBOX (source), result, &error);

  if (g_cancellable_is_cancelled (call->cancellable)) {
    /* Signed off meanwhile: the account may be gone, and the UI already said so. */
    purple_debug_info (RCP_DEBUG, "send finished after the connection closed\n");
    send_call_free (call);
    return;
  }
  if (sent == NULL) {
    purple_debug_warning (RCP_DEBUG, "send failed: %s\n", error->message);
    write_could_not_send (call->ra->account, call->who, error->message);
  }
  send_call_free (call);
}

/* "/from", "/from 2": a command typed where only text is expected (bitlbee passes them through). */
static gboolean
is_from_command (const char *text)
{
  return g_str_has_prefix (text, "/from") && (text[5] == '\0' || g_ascii_isspace (text[5]));
}

int
rcp_send_im (PurpleConnection *gc, const char *who, const char *message, PurpleMessageFlags flags)
{
  RcpAccount *ra = rcp_account_from_gc (gc);
  PurpleAccount *account;
  PurpleConversation *conv;
  const RcPhoneNumber *sender;
  g_autofree char *text = NULL;
  g_autofree char *normalized = NULL;
  g_autoptr (GError) error = NULL;
  const char *recipients[2] = { who, NULL };
  g_autoptr (GPtrArray) images = NULL;
  g_autofree char *rest = NULL;
  RcOutbox *outbox;
  RcOutgoing *outgoing;
  SendCall *call;

  if (ra == NULL || ra->session == NULL)
    return -ENOTCONN;
  if (who == NULL || *who == '\0') {
    /* No conversation can be named after nobody (libpurple would raise criticals). */
    purple_debug_warning (RCP_DEBUG, "a text without a recipient was refused\n");
    return -EINVAL;
  }
  account = ra->account;
  conv = purple_find_conversation_with_account (PURPLE_CONV_TYPE_IM, who, account);
  if (message == NULL || !g_utf8_validate (message, -1, NULL)) {
    /* Sent raw, the server would refuse it and blame the phone number. */
    write_could_not_send (account, who, _ ("The text contains invalid characters."));
    return RCP_SEND_REFUSED;
  }
  /* Pictures inserted into the message (Pidgin's Insert Image) go out with it as one MMS. */
  images = rcp_mms_images_from_html (message, &rest);
  text = rcp_markup_to_sms (rest);
  if (images->len > 0)
    g_strchug (text); /* the space between a picture and its caption */

  if (is_from_command (text)) {
    rcp_senders_run_from_text (ra, conv != NULL ? conv : rcp_conv_im (account, who), text);
    return 0;
  }

  /* The sender first: a number typed without '+' is read in the sender's country. Every check
   * (recipient, gates, text) is the outbox's, before anything is sent, so that libpurple does not
   * echo a text that was never sent. */
  normalized = g_strdup (purple_normalize (account, who));
  sender = rcp_senders_pick (ra, conv, normalized, PURPLE_CONV_TYPE_IM);
  outbox = rc_session_get_outbox (ra->session);
  outgoing = rc_outbox_prepare (outbox, sender != NULL ? sender->e164 : NULL, recipients, text,
                                images->len > 0 ? images : NULL, &error);
  if (outgoing == NULL) {
    write_could_not_send (account, who, error->message);
    return RCP_SEND_REFUSED;
  }

  if (conv == NULL)
    conv = rcp_conv_im (account, who);
  rcp_senders_warn_unregistered (ra, conv, sender);
  /* Answering a conversation means its texts were read. */
  rc_session_mark_read (ra->session, rc_outgoing_get_key (outgoing));

  call = g_new0 (SendCall, 1);
  call->cancellable = g_object_ref (ra->cancellable);
  call->ra = ra;
  call->who = g_strdup (who);
  purple_debug_info (RCP_DEBUG, "sending a text of %" G_GSIZE_FORMAT " bytes\n", strlen (text));
  rc_outbox_send_async (outbox, outgoing, ra->cancellable, on_sms_sent, call);
  return 1;
}

/* ---- inbox events of 1:1 threads (dispatch.c) ---- */

void
rcp_im_got_text (RcpAccount *ra, const RcInboxEvent *event, const char *extra_html,
                 PurpleMessageFlags extra_flags)
{
  const RcMessage *msg = event->message;
  g_autofree char *text = NULL;
  g_autofree char *html = NULL;
  time_t when;

  g_return_if_fail (ra != NULL && event != NULL && event->peer != NULL);

  text = rcp_markup_from_sms (msg->text);
  if (extra_html != NULL && *extra_html != '\0')
    html = g_strconcat (text, *text != '\0' ? "<br>" : "", extra_html, NULL);
  else
    html = g_steal_pointer (&text);
  if (*html == '\0') {
    purple_debug_info (RCP_DEBUG, "message %s is empty; not shown\n", msg->id);
    return;
  }
  when = msg->creation_time > 0 ? (time_t)msg->creation_time : time (NULL);

  if (event->kind == RC_INBOX_SENT_ELSEWHERE) {
    /* Written as the user's own line; libpurple sends nothing for a write. */
    PurpleConversation *conv = rcp_conv_im (ra->account, event->peer);

    purple_conv_im_write (PURPLE_CONV_IM (conv), purple_account_get_username (ra->account), html,
                          PURPLE_MESSAGE_SEND | PURPLE_MESSAGE_REMOTE_SEND | extra_flags, when);
    return;
  }
  /* Noted first: the conversation serv_got_im opens announces the number a reply goes out from,
   * and that must be the number this text reached. */
  if (event->ours != NULL)
    rcp_senders_note_incoming (ra, event->peer, event->ours);
  serv_got_im (ra->gc, event->peer, html, PURPLE_MESSAGE_RECV | extra_flags, when);
  {
    PurpleConversation *conv
        = purple_find_conversation_with_account (PURPLE_CONV_TYPE_IM, event->peer, ra->account);
    if (conv != NULL)
      rcp_names_title_conversation (ra, conv, event->peer);
  }
}

void
rcp_im_got_status (RcpAccount *ra, const RcInboxEvent *event, const char *line)
{
  PurpleConversation *conv;

  g_return_if_fail (ra != NULL && event != NULL && event->peer != NULL && line != NULL);

  if (event->kind == RC_INBOX_DELIVERY_FAILED) {
    rcp_conv_write_im_error (ra->account, event->peer, line);
    return;
  }
  conv = purple_find_conversation_with_account (PURPLE_CONV_TYPE_IM, event->peer, ra->account);
  if (conv != NULL)
    rcp_conv_write_line (conv, line, RCP_LINE_FLAGS);
}

/* ---- Send File ---- */

gboolean
rcp_im_can_receive_file (PurpleConnection *gc, const char *who)
{
  return rcp_account_from_gc (gc) != NULL;
}

PurpleXfer *
rcp_im_new_xfer (PurpleConnection *gc, const char *who)
{
  RcpAccount *ra = rcp_account_from_gc (gc);
  const char *to[2] = { who, NULL };

  return ra != NULL ? rcp_mms_new_xfer (ra, who, PURPLE_CONV_TYPE_IM, to) : NULL;
}

void
rcp_im_send_file (PurpleConnection *gc, const char *who, const char *filename)
{
  RcpAccount *ra = rcp_account_from_gc (gc);
  const char *to[2] = { who, NULL };

  if (ra != NULL)
    rcp_mms_send_file (ra, who, PURPLE_CONV_TYPE_IM, to, filename);
}
