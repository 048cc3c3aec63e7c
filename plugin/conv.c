/* conv.c: lines in conversations; chat names from components. */
#include "rcp-conv.h"

#include "rc-phone-list.h"

void
rcp_conv_write_line (PurpleConversation *conv, const char *text, PurpleMessageFlags flags)
{
  g_autofree char *html = g_markup_escape_text (text, -1);
  PurpleConversationUiOps *ops;

  g_return_if_fail (conv != NULL);

  if (purple_conversation_get_type (conv) == PURPLE_CONV_TYPE_CHAT
      && purple_conv_chat_has_left (PURPLE_CONV_CHAT (conv))) {
    ops = purple_conversation_get_ui_ops (conv);
    if (ops != NULL && ops->write_conv != NULL)
      ops->write_conv (conv, NULL, NULL, html, flags, time (NULL));
    return;
  }
  purple_conversation_write (conv, NULL, html, flags, time (NULL));
}

PurpleConversation *
rcp_conv_im (PurpleAccount *account, const char *who)
{
  PurpleConversation *conv = purple_find_conversation_with_account (PURPLE_CONV_TYPE_IM, who, account);

  return conv != NULL ? conv : purple_conversation_new (PURPLE_CONV_TYPE_IM, account, who);
}

void
rcp_conv_write_im_error (PurpleAccount *account, const char *who, const char *text)
{
  g_return_if_fail (account != NULL && who != NULL && text != NULL);
  rcp_conv_write_line (rcp_conv_im (account, who), text, PURPLE_MESSAGE_ERROR);
}

const char *
rcp_conv_chat_recipients (GHashTable *components)
{
  const char *typed;

  if (components == NULL)
    return NULL;
  typed = g_hash_table_lookup (components, RCP_CHAT_RECIPIENTS);
  return typed != NULL ? typed : g_hash_table_lookup (components, RCP_CHAT_PARTICIPANTS);
}

char *
rcp_conv_chat_name (GHashTable *components)
{
  const char *typed = rcp_conv_chat_recipients (components);
  char *canonical;

  if (typed == NULL)
    return NULL;
  canonical = rc_phone_list_canonical (typed);
  return canonical != NULL ? canonical : g_strdup (typed);
}
