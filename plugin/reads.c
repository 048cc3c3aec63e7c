/* reads.c: a conversation viewed in the UI → its texts marked Read on RingCentral. */
#include "rcp-reads.h"

#include "rc-phone-list.h"
#include "rc-phone.h"
#include "rcp-account.h"

/* The inbox thread of @conv: E.164 for an IM, the canonical list for a chat. */
static char *
thread_of (PurpleConversation *conv)
{
  const char *name = purple_conversation_get_name (conv);
  char *key;

  if (purple_conversation_get_type (conv) == PURPLE_CONV_TYPE_CHAT)
    key = rc_phone_list_canonical (name);
  else
    key = rc_phone_normalize (name, NULL, NULL);
  return key != NULL ? key : g_strdup (name);
}

static void
conversation_updated_cb (PurpleConversation *conv, PurpleConvUpdateType type, gpointer data)
{
  RcpAccount *ra;
  g_autofree char *thread = NULL;

  if (type != PURPLE_CONV_UPDATE_UNSEEN)
    return;
  ra = rcp_account_from_account (purple_conversation_get_account (conv));
  if (ra == NULL || GPOINTER_TO_INT (purple_conversation_get_data (conv, "unseen-count")) != 0)
    return;
  thread = thread_of (conv);
  rc_session_mark_read (ra->session, thread);
}

void
rcp_reads_init (PurplePlugin *plugin)
{
  purple_signal_connect (purple_conversations_get_handle (), "conversation-updated", plugin,
                         PURPLE_CALLBACK (conversation_updated_cb), NULL);
}
