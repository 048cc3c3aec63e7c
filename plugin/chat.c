/* chat.c: group texts as libpurple chats. A chat is named by its sorted participant numbers
 * (rc_phone_list_name: "+16505550101,+16505550102"); starting one is refused before anything is
 * sent when the send-from number cannot carry a group text. Inbox events of group threads arrive
 * here from dispatch.c. */
#include <errno.h>
#include <glib/gi18n-lib.h>
#include <string.h>

#include "rc-outbox.h"
#include "rc-phone-list.h"
#include "rc-phone.h"
#include "rc-senders.h"
#include "rcp-chat.h"
#include "rcp-conv.h"
#include "rcp-markup.h"
#include "rcp-senders.h"

typedef struct {
  int id;
  char *name;         /* canonical: sorted, deduplicated E.164 joined with ',' */
  GStrv participants; /* the same numbers, NULL-ended (the recipients of every text) */
} RcpChat;

static int next_chat_id = 1; /* unique across connections: ids are only compared per gc */

static void
rcp_chat_free (RcpChat *chat)
{
  g_free (chat->name);
  g_strfreev (chat->participants);
  g_free (chat);
}

void
rcp_chats_free (RcpAccount *ra)
{
  g_return_if_fail (ra != NULL);
  g_clear_pointer (&ra->chats, g_hash_table_destroy);
}

static GHashTable *
chats_of (RcpAccount *ra)
{
  if (ra->chats == NULL)
    ra->chats = g_hash_table_new_full (g_direct_hash, g_direct_equal, NULL,
                                       (GDestroyNotify)rcp_chat_free);
  return ra->chats;
}

static RcpChat *
find_chat_by_name (RcpAccount *ra, const char *name)
{
  GHashTableIter iter;
  gpointer value;

  g_hash_table_iter_init (&iter, chats_of (ra));
  while (g_hash_table_iter_next (&iter, NULL, &value)) {
    if (g_strcmp0 (((RcpChat *)value)->name, name) == 0)
      return value;
  }
  return NULL;
}

/* The country numbers without '+' are read in: the first send-from number's, else +1. */
static const char *
home_number (RcpAccount *ra)
{
  GPtrArray *senders = ra != NULL ? rcp_account_senders (ra) : NULL;

  if (senders == NULL || senders->len == 0)
    return NULL;
  return ((const RcPhoneNumber *)g_ptr_array_index (senders, 0))->e164;
}

/* A chat conversation of this account that stands for @name: named so, or named by a list that
 * means the same numbers (Finch opens a placeholder under the text the user typed). */
static PurpleConversation *
find_conversation (RcpAccount *ra, const char *name)
{
  for (GList *l = purple_get_chats (); l != NULL; l = l->next) {
    PurpleConversation *conv = l->data;
    g_autofree char *canonical = NULL;

    if (purple_conversation_get_account (conv) != ra->account)
      continue;
    if (g_strcmp0 (purple_conversation_get_name (conv), name) == 0)
      return conv;
    canonical = rc_phone_list_canonical (purple_conversation_get_name (conv));
    if (g_strcmp0 (canonical, name) == 0)
      return conv;
  }
  return NULL;
}

/* ---- prpl callbacks ---- */

GList *
rcp_chat_info (PurpleConnection *gc)
{
  struct proto_chat_entry *pce = g_new0 (struct proto_chat_entry, 1);

  pce->label = _("Numbers (comma-separated)");
  pce->identifier = RCP_CHAT_PARTICIPANTS;
  pce->required = TRUE;
  return g_list_append (NULL, pce);
}

GHashTable *
rcp_chat_info_defaults (PurpleConnection *gc, const char *chat_name)
{
  GHashTable *defaults = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autoptr (GPtrArray) numbers = NULL;

  if (chat_name == NULL)
    return defaults;
  numbers = rc_phone_list_parse (chat_name, home_number (rcp_account_from_gc (gc)), NULL);
  /* Text that does not parse is kept as typed, so that join_chat can say what is wrong with it. */
  g_hash_table_insert (defaults, g_strdup (RCP_CHAT_PARTICIPANTS),
                       numbers != NULL ? rc_phone_list_name (numbers) : g_strdup (chat_name));
  return defaults;
}

char *
rcp_get_chat_name (GHashTable *components)
{
  g_return_val_if_fail (components != NULL, NULL);
  return rcp_conv_chat_name (components);
}

/* Writes "Could not send"-style errors and notices into the chat's conversation, if open. */
static void
chat_write (PurpleConversation *conv, const char *text, PurpleMessageFlags flags)
{
  if (conv != NULL)
    rcp_conv_write_line (conv, text, flags);
}

static void
refuse_join (RcpAccount *ra, GHashTable *components, const char *name, const char *reason)
{
  PurpleConversation *placeholder = name != NULL ? find_conversation (ra, name) : NULL;

  purple_notify_error (ra->gc, "RingCentral", _("Cannot start this group text"), reason);
  /* Finch opens a placeholder chat before asking us; tell the user there too. */
  if (placeholder != NULL)
    rcp_conv_write_line (placeholder, reason, PURPLE_MESSAGE_ERROR | PURPLE_MESSAGE_NO_LOG);
  purple_serv_got_join_chat_failed (ra->gc, components);
}

/* Opens (or reuses) the conversation for @chat and fills in its members. */
static PurpleConversation *
show_chat (RcpAccount *ra, RcpChat *chat)
{
  PurpleConversation *conv = purple_find_chat (ra->gc, chat->id);
  PurpleConversation *placeholder;
  GList *users = NULL, *flags = NULL;

  if (conv != NULL)
    return conv;
  /* Reuse Finch's placeholder window under the canonical name instead of opening a second one. */
  placeholder = find_conversation (ra, chat->name);
  if (placeholder != NULL
      && g_strcmp0 (purple_conversation_get_name (placeholder), chat->name) != 0)
    purple_conversation_set_name (placeholder, chat->name);

  conv = serv_got_joined_chat (ra->gc, chat->id, chat->name);
  if (conv == NULL)
    return NULL;
  for (guint i = 0; chat->participants[i] != NULL; i++) {
    users = g_list_append (users, chat->participants[i]);
    flags = g_list_append (flags, GINT_TO_POINTER (PURPLE_CBFLAGS_NONE));
  }
  purple_conv_chat_add_users (PURPLE_CONV_CHAT (conv), users, NULL, flags, FALSE);
  g_list_free (users);
  g_list_free (flags);
  rcp_senders_announce (ra, conv, chat->name, PURPLE_CONV_TYPE_CHAT);
  return conv;
}

/* A new chat for @numbers (char*, sorted and unique, not NULL-ended). */
static RcpChat *
add_chat (RcpAccount *ra, GPtrArray *numbers)
{
  RcpChat *chat = g_new0 (RcpChat, 1);

  chat->id = next_chat_id++;
  chat->name = rc_phone_list_name (numbers);
  chat->participants = g_new0 (char *, numbers->len + 1);
  for (guint i = 0; i < numbers->len; i++)
    chat->participants[i] = g_strdup (numbers->pdata[i]);
  g_hash_table_insert (chats_of (ra), GINT_TO_POINTER (chat->id), chat);
  return chat;
}

void
rcp_join_chat (PurpleConnection *gc, GHashTable *components)
{
  RcpAccount *ra = rcp_account_from_gc (gc);
  const char *typed
      = components != NULL ? g_hash_table_lookup (components, RCP_CHAT_PARTICIPANTS) : NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) numbers = NULL;
  g_autofree char *name = NULL;
  const RcPhoneNumber *sender;
  RcpChat *chat;

  if (ra == NULL)
    return;
  numbers = rc_phone_list_parse (typed, home_number (ra), &error);
  if (numbers == NULL) {
    refuse_join (ra, components, typed, error->message);
    return;
  }
  name = rc_phone_list_name (numbers);
  if (numbers->len < 2) {
    refuse_join (ra, components, name,
                 _("A group text needs at least two numbers besides yours."));
    return;
  }
  if ((chat = find_chat_by_name (ra, name)) != NULL) {
    PurpleConversation *conv = show_chat (ra, chat);
    if (conv != NULL)
      purple_conversation_present (conv);
    return;
  }

  sender = rcp_senders_pick (ra, NULL, name, PURPLE_CONV_TYPE_CHAT);
  if (sender == NULL) {
    refuse_join (ra, components, name, _("This account has no number that can send texts."));
    return;
  }
  g_ptr_array_add (numbers, NULL);
  if (!rc_senders_check (rcp_account_senders (ra), sender, (const char *const *)numbers->pdata,
                         FALSE, &error)) {
    refuse_join (ra, components, name, error->message);
    return;
  }
  g_ptr_array_set_size (numbers, numbers->len - 1);
  show_chat (ra, add_chat (ra, numbers));
}

void
rcp_chat_leave (PurpleConnection *gc, int id)
{
  RcpAccount *ra = rcp_account_from_gc (gc);

  if (ra != NULL && ra->chats != NULL)
    g_hash_table_remove (ra->chats, GINT_TO_POINTER (id));
  serv_got_chat_left (gc, id);
}

typedef struct {
  GCancellable *cancellable; /* the connection's: cancelled in close(), so gc is alive if not */
  PurpleConnection *gc;
  int id;
} SendData;

static void
chat_sent_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  SendData *sd = user_data;
  g_autoptr (GError) error = NULL;
  g_autoptr (RcMessage) sent = rc_outbox_send_finish (RC_OUTBOX (source), result, &error);
  g_autoptr (GCancellable) cancellable = sd->cancellable;
  PurpleConnection *gc = sd->gc;
  int id = sd->id;

  g_free (sd);
  if (g_cancellable_is_cancelled (cancellable) || rcp_account_from_gc (gc) == NULL)
    return;
  if (sent == NULL) {
    g_autofree char *text = g_strdup_printf (_("Could not send: %s"), error->message);
    chat_write (purple_find_chat (gc, id), text, PURPLE_MESSAGE_ERROR | PURPLE_MESSAGE_NO_LOG);
  }
}

int
rcp_chat_send (PurpleConnection *gc, int id, const char *message, PurpleMessageFlags flags)
{
  RcpAccount *ra = rcp_account_from_gc (gc);
  PurpleConversation *conv = purple_find_chat (gc, id);
  g_autofree char *text = NULL;
  g_autoptr (GError) error = NULL;
  const RcPhoneNumber *sender;
  RcOutbox *outbox;
  RcOutgoing *outgoing;
  RcpChat *chat;
  SendData *sd;

  if (ra == NULL || ra->session == NULL)
    return -ENOTCONN;
  chat = ra->chats != NULL ? g_hash_table_lookup (ra->chats, GINT_TO_POINTER (id)) : NULL;
  if (chat == NULL || conv == NULL)
    return -EINVAL;

  text = rcp_markup_to_sms (message);
  if (g_str_has_prefix (text, "/from") && (text[5] == '\0' || g_ascii_isspace (text[5]))) {
    rcp_senders_run_from_text (ra, conv, text);
    return 0;
  }
  /* Local refusals return 0 after writing our own line: a negative value would make libpurple add
   * a vague "Unable to send message." under it. Every check is the outbox's, before the echo. */
  sender = rcp_senders_pick (ra, conv, chat->name, PURPLE_CONV_TYPE_CHAT);
  outbox = rc_session_get_outbox (ra->session);
  outgoing = rc_outbox_prepare (outbox, sender != NULL ? sender->e164 : NULL,
                                (const char *const *)chat->participants, text, NULL, &error);
  if (outgoing == NULL) {
    g_autofree char *line = g_strdup_printf (_("Could not send: %s"), error->message);
    chat_write (conv, line, PURPLE_MESSAGE_ERROR | PURPLE_MESSAGE_NO_LOG);
    return 0;
  }

  rcp_senders_warn_unregistered (ra, conv, sender);
  rc_session_mark_read (ra->session, chat->name);
  sd = g_new0 (SendData, 1);
  sd->cancellable = g_object_ref (ra->cancellable);
  sd->gc = gc;
  sd->id = id;
  rc_outbox_send_async (outbox, outgoing, ra->cancellable, chat_sent_cb, sd);
  /* libpurple 2 does not echo chat messages: the prpl does. */
  serv_got_chat_in (gc, id, purple_conv_chat_get_nick (PURPLE_CONV_CHAT (conv)),
                    PURPLE_MESSAGE_SEND, message, time (NULL));
  return 0;
}

/* ---- inbox events of group threads (dispatch.c) ---- */

/* The chat of @event's thread, opened (and joined) when needed. */
static RcpChat *
chat_for_event (RcpAccount *ra, const RcInboxEvent *event, PurpleConversation **conv)
{
  RcpChat *chat = find_chat_by_name (ra, event->thread);

  if (chat == NULL)
    chat = add_chat (ra, event->others);
  *conv = show_chat (ra, chat);
  return *conv != NULL ? chat : NULL;
}

static char *
message_html (const RcMessage *msg)
{
  g_autofree char *html = rcp_markup_from_sms (msg->text);

  if (msg->attachment_count > 0) {
    g_autofree char *note = g_strdup_printf (
        g_dngettext (GETTEXT_PACKAGE, "[%u attachment]", "[%u attachments]", msg->attachment_count),
        msg->attachment_count);
    return g_strconcat (html, *html != '\0' ? "<br>" : "", note, NULL);
  }
  return g_steal_pointer (&html);
}

void
rcp_chat_got_text (RcpAccount *ra, const RcInboxEvent *event)
{
  const RcMessage *msg = event->message;
  gboolean outbound = event->kind == RC_INBOX_SENT_ELSEWHERE;
  g_autofree char *html = NULL;
  PurpleConversation *conv;
  RcpChat *chat;

  g_return_if_fail (ra != NULL && event != NULL);

  if (event->ours != NULL)
    rcp_senders_note_incoming (ra, event->thread, event->ours);
  if ((chat = chat_for_event (ra, event, &conv)) == NULL)
    return;
  html = message_html (msg);
  serv_got_chat_in (ra->gc, chat->id,
                    outbound ? purple_conv_chat_get_nick (PURPLE_CONV_CHAT (conv)) : msg->from,
                    outbound ? PURPLE_MESSAGE_SEND | PURPLE_MESSAGE_REMOTE_SEND
                             : PURPLE_MESSAGE_RECV,
                    html, msg->creation_time > 0 ? (time_t)msg->creation_time : time (NULL));
}

void
rcp_chat_got_status (RcpAccount *ra, const RcInboxEvent *event, const char *line)
{
  RcpChat *chat = find_chat_by_name (ra, event->thread);
  PurpleConversation *conv = chat != NULL ? purple_find_chat (ra->gc, chat->id) : NULL;

  g_return_if_fail (line != NULL);

  if (conv == NULL && event->kind == RC_INBOX_DELIVERY_FAILED)
    chat = chat_for_event (ra, event, &conv);
  if (conv != NULL)
    rcp_conv_write_line (conv, line,
                         event->kind == RC_INBOX_DELIVERY_FAILED ? PURPLE_MESSAGE_ERROR
                                                                 : RCP_LINE_FLAGS);
}
