/* dispatch.c: inbox events → their handlers (im.c, chat.c). Delivery status events get their line
 * composed here, once for both. */
#include "rcp-dispatch.h"

#include <glib/gi18n-lib.h>

#include "rc-delivery.h"
#include "rc-phone.h"
#include "rcp-chat.h"
#include "rcp-im.h"
#include "rcp-mms.h"

#define RCP_DEBUG "ringcentral"

typedef void (*TextHandler) (RcpAccount *ra, const RcInboxEvent *event, const char *extra_html,
                             PurpleMessageFlags extra_flags);
typedef void (*StatusHandler) (RcpAccount *ra, const RcInboxEvent *event, const char *line);

typedef struct {
  TextHandler text;     /* RECEIVED, SENT_ELSEWHERE */
  StatusHandler status; /* DELIVERED, DELIVERY_FAILED */
} Handlers;

/* Indexed by is_group. */
static const Handlers handlers[2] = {
  { rcp_im_got_text, rcp_im_got_status },
  { rcp_chat_got_text, rcp_chat_got_status },
};

/* "Not delivered to +1 415-555-0100: <reason> (SMS-CAR-413)" or "Delivered to …". */
static char *
status_line (const RcInboxEvent *event)
{
  const RcMessage *msg = event->message;
  g_autoptr (GString) to = g_string_new (NULL);
  g_autofree char *reason = NULL;

  for (guint i = 0; i < event->others->len; i++) {
    g_autofree char *shown = rc_phone_format (event->others->pdata[i]);
    g_string_append_printf (to, "%s%s", i > 0 ? ", " : "", shown);
  }
  if (event->kind == RC_INBOX_DELIVERED)
    return g_strdup_printf (_ ("Delivered to %s."), to->str);
  reason = rc_delivery_describe (msg->delivery_error_code, msg->message_status);
  if (g_strcmp0 (msg->message_status, "SendingFailed") == 0)
    return g_strdup_printf (_ ("Not sent to %s: %s"), to->str, reason);
  return g_strdup_printf (_ ("Not delivered to %s: %s"), to->str, reason);
}

/* The attachments of a text are in (or failed, in words): show it with them. */
static void
on_attachments_fetched (RcpAccount *ra, const RcInboxEvent *event, const char *extra_html,
                        PurpleMessageFlags extra_flags)
{
  handlers[event->is_group ? 1 : 0].text (ra, event, extra_html, extra_flags);
}

static gboolean
receipts_wanted (RcpAccount *ra)
{
  return purple_account_get_bool (ra->account, "delivery_receipts", FALSE);
}

void
rcp_dispatch_event (RcpAccount *ra, const RcInboxEvent *event)
{
  const Handlers *h;
  g_autofree char *line = NULL;

  g_return_if_fail (ra != NULL && event != NULL);

  h = &handlers[event->is_group ? 1 : 0];
  switch (event->kind) {
    case RC_INBOX_RECEIVED:
    case RC_INBOX_SENT_ELSEWHERE:
      if (event->message->attachment_count > 0)
        rcp_mms_fetch (ra, event, on_attachments_fetched);
      else
        h->text (ra, event, NULL, 0);
      return;
    case RC_INBOX_DELIVERED:
      if (!receipts_wanted (ra))
        return;
      /* fall through */
    case RC_INBOX_DELIVERY_FAILED:
      line = status_line (event);
      h->status (ra, event, line);
      return;
    case RC_INBOX_N_KINDS:
    default:
      purple_debug_warning (RCP_DEBUG, "inbox event of unknown kind %d ignored\n", event->kind);
      return;
  }
}
