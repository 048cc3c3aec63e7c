/* im.c: sending a one-to-one text (send_im), with every refusal written into the conversation. */
#include <errno.h>
#include <glib/gi18n-lib.h>
#include <purple.h>
#include <string.h>

#include "rc-message.h"
#include "rc-phone.h"
#include "rc-senders.h"
#include "rcp-account.h"
#include "rcp-connection.h"
#include "rcp-markup.h"

/* What send_im returns after it wrote its own "Could not send: ..." line. libpurple answers any
 * other negative value with a second, vaguer "Unable to send message." line; -ENOTCONN only logs. */
#define RCP_SEND_REFUSED (-ENOTCONN)
#include "rcp-senders.h"

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

void
rcp_im_write_error (PurpleAccount *account, const char *who, const char *text)
{
  PurpleConversation *conv;
  g_autofree char *escaped = NULL;

  g_return_if_fail (account != NULL && who != NULL && text != NULL);

  conv = purple_find_conversation_with_account (PURPLE_CONV_TYPE_IM, who, account);
  if (conv == NULL)
    conv = purple_conversation_new (PURPLE_CONV_TYPE_IM, account, who);
  escaped = purple_markup_escape_text (text, -1);
  purple_conversation_write (conv, NULL, escaped, PURPLE_MESSAGE_ERROR, time (NULL));
}

static void
write_could_not_send (PurpleAccount *account, const char *who, const char *reason)
{
  g_autofree char *line = g_strdup_printf (_ ("Could not send: %s"), reason);

  rcp_im_write_error (account, who, line);
}

static void
on_sms_sent (GObject *source, GAsyncResult *result, gpointer user_data)
{
  SendCall *call = user_data;
  g_autoptr (GError) error = NULL;
  g_autoptr (RcMessage) sent = rc_message_send_sms_finish (RC_CLIENT (source), result, &error);

  if (g_cancellable_is_cancelled (call->cancellable)) {
    /* Signed off meanwhile: the account may be gone, and the UI already said so. */
    purple_debug_info (RCP_DEBUG, "send finished after the connection closed\n");
    send_call_free (call);
    return;
  }
  if (sent == NULL) {
    purple_debug_warning (RCP_DEBUG, "send failed: %s\n", error->message);
    write_could_not_send (call->ra->account, call->who, error->message);
  } else
    /* The reply may already be waiting, and the sent record moves the sync token on. */
    rcp_connection_sync_now (call->ra);
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
  g_autofree char *to = NULL;
  g_autofree char *normalized = NULL;
  g_autoptr (GError) error = NULL;
  const char *recipients[2] = { NULL, NULL };
  SendCall *call;

  if (ra == NULL || ra->client == NULL)
    return -ENOTCONN;
  account = ra->account;
  conv = purple_find_conversation_with_account (PURPLE_CONV_TYPE_IM, who, account);
  text = rcp_markup_to_sms (message);

  if (is_from_command (text)) {
    if (conv == NULL)
      conv = purple_conversation_new (PURPLE_CONV_TYPE_IM, account, who);
    rcp_senders_run_from_text (ra, conv, text);
    return 0;
  }

  /* The sender first: a number typed without '+' is read in the sender's country. */
  normalized = g_strdup (purple_normalize (account, who));
  sender = rcp_senders_pick (ra, conv, normalized, PURPLE_CONV_TYPE_IM);
  if (sender == NULL) {
    write_could_not_send (account, who, _ ("This account has no number that can send texts."));
    return RCP_SEND_REFUSED;
  }

  to = rc_phone_normalize (who, sender->e164, &error);
  if (to == NULL) {
    write_could_not_send (account, who, error->message);
    return RCP_SEND_REFUSED;
  }
  recipients[0] = to;
  if (!rc_senders_check (ra->senders, sender, recipients, FALSE, &error)) {
    write_could_not_send (account, who, error->message);
    return RCP_SEND_REFUSED;
  }

  /* Refused here rather than by the server, so that libpurple does not echo a text that was
   * never sent. */
  if (*text == '\0') {
    write_could_not_send (account, who, _ ("The message has no text."));
    return RCP_SEND_REFUSED;
  }
  if (rc_message_utf16_length (text) > RC_MESSAGE_MAX_UTF16) {
    g_autofree char *reason = g_strdup_printf (
        _ ("The text is %" G_GSIZE_FORMAT " characters long; RingCentral takes at most %d."),
        rc_message_utf16_length (text), RC_MESSAGE_MAX_UTF16);

    write_could_not_send (account, who, reason);
    return RCP_SEND_REFUSED;
  }

  if (conv == NULL)
    conv = purple_conversation_new (PURPLE_CONV_TYPE_IM, account, who);
  rcp_senders_warn_unregistered (ra, conv, sender);

  call = g_new0 (SendCall, 1);
  call->cancellable = g_object_ref (ra->cancellable);
  call->ra = ra;
  call->who = g_strdup (who);
  purple_debug_info (RCP_DEBUG, "sending a text of %" G_GSIZE_FORMAT " bytes\n", strlen (text));
  rc_message_send_sms_async (ra->client, sender->e164, recipients, text, ra->cancellable,
                             on_sms_sent, call);
  return 1;
}
