/* conv.c: lines in conversations (also under bitlbee); the number in use in Finch's window title;
 * chat names from components. */
#include <string.h>

#include "rcp-conv.h"

#include "rc-phone-list.h"
#include "rc-phone.h"

/* The ui ids the UIs give purple_core_init(): bitlbee's protocols/purple/purple.c ("BitlBee") and
 * Finch's finch.h FINCH_UI ("gnt-purple"). */
#define BITLBEE_UI "BitlBee"
#define FINCH_UI   "gnt-purple"
/* Conversation data: the number shown in the title (an interned string, never freed). */
#define TITLE_FROM_KEY "rc-title-from"

static gboolean
ui_is (const char *ui)
{
  return g_strcmp0 (purple_core_get_ui (), ui) == 0;
}

/* bitlbee 3.6 (protocols/purple/purple.c) drops every write_conv line but the user's own, so system
 * and error lines never reach IRC that way. It passes on write_im/write_chat lines without
 * PURPLE_MESSAGE_SEND as messages from their sender: an IM line comes from the contact, in the
 * contact's query, and a chat line from "RingCentral" in the chat's channel, both marked with
 * "[RingCentral]". A chat bitlbee no longer shows gets a notice in &bitlbee (bitlbee's
 * notify_message ui op writes it there). */
static void
write_for_bitlbee (PurpleConversation *conv, const char *text, const char *html,
                   PurpleMessageFlags flags)
{
  g_autofree char *line = g_strconcat ("[RingCentral] ", html, NULL);

  flags = (flags & ~PURPLE_MESSAGE_SEND) | PURPLE_MESSAGE_NO_LOG;
  if (purple_conversation_get_type (conv) == PURPLE_CONV_TYPE_IM) {
    purple_conv_im_write (PURPLE_CONV_IM (conv), purple_conversation_get_name (conv), line, flags,
                          time (NULL));
  } else if (purple_conversation_get_type (conv) == PURPLE_CONV_TYPE_CHAT
             && !purple_conv_chat_has_left (PURPLE_CONV_CHAT (conv)) && conv->ui_data != NULL) {
    purple_conv_chat_write (PURPLE_CONV_CHAT (conv), "RingCentral", line, flags, time (NULL));
  } else {
    purple_notify_message (purple_conversation_get_gc (conv),
                           (flags & PURPLE_MESSAGE_ERROR) ? PURPLE_NOTIFY_MSG_ERROR
                                                          : PURPLE_NOTIFY_MSG_INFO,
                           "RingCentral", purple_conversation_get_name (conv), text, NULL, NULL);
  }
}

void
rcp_conv_write_line (PurpleConversation *conv, const char *text, PurpleMessageFlags flags)
{
  g_autofree char *html = g_markup_escape_text (text, -1);
  PurpleConversationUiOps *ops;

  g_return_if_fail (conv != NULL);

  if (ui_is (BITLBEE_UI)) {
    write_for_bitlbee (conv, text, html, flags);
    return;
  }
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

/* ---- the number in use in Finch's window title ---- */

gboolean
rcp_conv_shows_sender (void)
{
  return ui_is (FINCH_UI);
}

/* Sets the title to "<title> [from <number>]" (the title libpurple or names.c gave it, without an
 * earlier suffix of ours), or back to the bare title when no number is kept. */
static void
apply_title (PurpleConversation *conv)
{
  const char *shown = purple_conversation_get_data (conv, TITLE_FROM_KEY);
  const char *title = purple_conversation_get_title (conv);
  const char *suffix = title != NULL ? g_strrstr (title, " [from ") : NULL;
  g_autofree char *base = NULL;
  g_autofree char *wanted = NULL;

  if (title == NULL)
    return;
  base = suffix != NULL && g_str_has_suffix (suffix, "]") ? g_strndup (title, suffix - title)
                                                          : g_strdup (title);
  /* Not translated: the suffix is found again by its text. */
  wanted = shown != NULL ? g_strdup_printf ("%s [from %s]", base, shown) : g_strdup (base);
  if (strcmp (wanted, title) == 0)
    return;
  /* Emits conversation-updated (TITLE): rcp_conv_updated_cb then finds the title as wanted. */
  purple_conversation_set_title (conv, wanted);
  /* Finch 2.14 redraws a window's title only on typing signals (gntconv.c update_buddy_typing,
   * which keeps the typing state as it is); chats show the new title when next activated. */
  if (purple_conversation_get_type (conv) == PURPLE_CONV_TYPE_IM && conv->ui_data != NULL)
    purple_signal_emit (purple_conversations_get_handle (), "buddy-typing-stopped",
                        purple_conversation_get_account (conv),
                        purple_conversation_get_name (conv));
}

void
rcp_conv_show_sender (PurpleConversation *conv, const char *e164)
{
  g_autofree char *shown = NULL;

  g_return_if_fail (conv != NULL);

  if (!rcp_conv_shows_sender ())
    return;
  shown = e164 != NULL ? rc_phone_format (e164) : NULL;
  purple_conversation_set_data (conv, TITLE_FROM_KEY, (gpointer)g_intern_string (shown));
  apply_title (conv);
}

void
rcp_conv_updated_cb (PurpleConversation *conv, PurpleConvUpdateType type, gpointer data)
{
  if (type == PURPLE_CONV_UPDATE_TITLE && purple_conversation_get_data (conv, TITLE_FROM_KEY))
    apply_title (conv);
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

GStrv
rcp_conv_recipients (PurpleConversation *conv, const char *context)
{
  const char *name = purple_conversation_get_name (conv);
  g_autoptr (GPtrArray) numbers = NULL;
  g_autoptr (GStrvBuilder) builder = g_strv_builder_new ();

  if (purple_conversation_get_type (conv) == PURPLE_CONV_TYPE_IM) {
    g_autofree char *e164 = rc_phone_normalize (name, context, NULL);
    if (e164 == NULL)
      return NULL;
    g_strv_builder_add (builder, e164);
    return g_strv_builder_end (builder);
  }
  numbers = rc_phone_list_parse (name, context, NULL);
  if (numbers == NULL)
    return NULL;
  for (guint i = 0; i < numbers->len; i++)
    g_strv_builder_add (builder, g_ptr_array_index (numbers, i));
  return g_strv_builder_end (builder);
}
