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
#include "rcp-mms.h"
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
  struct proto_chat_entry *recipients = g_new0 (struct proto_chat_entry, 1);
  struct proto_chat_entry *from = g_new0 (struct proto_chat_entry, 1);

  recipients->label = _("Numbers (separated by commas or spaces)");
  recipients->identifier = RCP_CHAT_RECIPIENTS;
  recipients->required = TRUE;
  from->label = _("Send from (number, or its position in /from)");
  from->identifier = RCP_CHAT_FROM;
  from->required = FALSE;
  return g_list_append (g_list_append (NULL, recipients), from);
}

GHashTable *
rcp_chat_info_defaults (PurpleConnection *gc, const char *chat_name)
{
  GHashTable *defaults = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  RcpAccount *ra = rcp_account_from_gc (gc);
  const RcPhoneNumber *from = ra != NULL ? rcp_senders_group_default (ra) : NULL;
  g_autoptr (GPtrArray) numbers = NULL;
  g_autofree char *name = NULL;
  g_autofree char *remembered = NULL;

  if (chat_name != NULL) {
    numbers = rc_phone_list_parse (chat_name, home_number (ra), NULL);
    name = numbers != NULL ? rc_phone_list_name (numbers) : g_strdup (chat_name);
    /* Text that does not parse is kept as typed, so that join_chat can say what is wrong. */
    g_hash_table_insert (defaults, g_strdup (RCP_CHAT_RECIPIENTS), g_strdup (name));
    remembered = ra != NULL ? rcp_senders_remembered (ra, name, PURPLE_CONV_TYPE_CHAT) : NULL;
  }
  /* The dialog shows the number the group goes out from: the one chosen for it before, else one
   * that can send a group text (MMS). */
  if (remembered != NULL)
    g_hash_table_insert (defaults, g_strdup (RCP_CHAT_FROM), g_steal_pointer (&remembered));
  else if (from != NULL)
    g_hash_table_insert (defaults, g_strdup (RCP_CHAT_FROM), g_strdup (from->e164));
  return defaults;
}

char *
rcp_chat_get_cb_alias (PurpleConnection *gc, int id, const char *who)
{
  RcpAccount *ra = rcp_account_from_gc (gc);
  const char *name;

  if (ra == NULL || who == NULL)
    return NULL;
  name = rc_contacts_lookup (rc_session_get_contacts (ra->session), who);
  return g_strdup (name);
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

/* The number a join starts the group from: the From field when filled in (it must be one of the
 * send-from numbers), else the chat's remembered choice, else rcp_senders_group_default(). NULL
 * with *reason set when there is none. */
static const RcPhoneNumber *
join_sender (RcpAccount *ra, GHashTable *components, const char *name, char **reason)
{
  const char *typed = components != NULL ? g_hash_table_lookup (components, RCP_CHAT_FROM) : NULL;
  g_autofree char *remembered = NULL;
  const RcPhoneNumber *sender;

  if (typed != NULL && *g_strstrip ((char *)typed) != '\0') {
    sender = rc_senders_lookup (rcp_account_senders (ra), typed);
    if (sender == NULL)
      *reason = g_strdup_printf (_("\"%s\" in the From field is not one of your send-from "
                                   "numbers. Enter one of them, or its position in the list "
                                   "(Show Send-From Numbers)."),
                                 typed);
    return sender;
  }
  remembered = rcp_senders_remembered (ra, name, PURPLE_CONV_TYPE_CHAT);
  if (remembered != NULL && (sender = rc_senders_lookup (rcp_account_senders (ra), remembered)))
    return sender;
  sender = rcp_senders_group_default (ra);
  if (sender == NULL && rcp_account_senders (ra)->len == 0)
    *reason = g_strdup (_("This account has no number that can send texts."));
  else if (sender == NULL)
    *reason = g_strdup (_("None of your numbers can send group texts: a group text needs a number "
                          "with MMS."));
  return sender;
}

void
rcp_join_chat (PurpleConnection *gc, GHashTable *components)
{
  RcpAccount *ra = rcp_account_from_gc (gc);
  const char *typed = rcp_conv_chat_recipients (components);
  const char *from_typed
      = components != NULL ? g_hash_table_lookup (components, RCP_CHAT_FROM) : NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) numbers = NULL;
  g_autofree char *name = NULL;
  g_autofree char *reason = NULL;
  const RcPhoneNumber *sender;
  RcpChat *chat;

  if (ra == NULL)
    return;
  {
    /* The user's own numbers are not recipients; at most 10 others. */
    GPtrArray *senders = rcp_account_senders (ra);
    g_autoptr (GPtrArray) own = g_ptr_array_new ();

    for (guint i = 0; i < senders->len; i++)
      g_ptr_array_add (own, ((RcPhoneNumber *)senders->pdata[i])->e164);
    numbers = rc_phone_list_parse_recipients (typed, home_number (ra), own, &error);
  }
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

  sender = join_sender (ra, components, name, &reason);
  if (sender == NULL) {
    refuse_join (ra, components, name, reason);
    return;
  }
  /* In Pidgin no chat window exists yet where /from could be typed: name the field to change. */
  if (from_typed != NULL && *from_typed != '\0' && !(sender->features & RC_FEATURE_MMS)) {
    g_autofree char *shown = rcp_senders_short_name (sender);
    const RcPhoneNumber *better = rcp_senders_group_default (ra);
    g_autofree char *better_shown = better != NULL ? rcp_senders_short_name (better) : NULL;

    reason = better_shown != NULL
                 ? g_strdup_printf (_("%s cannot send group texts: a group text needs a number "
                                      "with MMS. Change the From field to %s."),
                                    shown, better_shown)
                 : g_strdup_printf (_("%s cannot send group texts: a group text needs a number "
                                      "with MMS, and none of your numbers has it."),
                                    shown);
    refuse_join (ra, components, name, reason);
    return;
  }
  g_ptr_array_add (numbers, NULL);
  if (!rc_senders_check (rcp_account_senders (ra), sender, (const char *const *)numbers->pdata,
                         FALSE, &error)) {
    refuse_join (ra, components, name, error->message);
    return;
  }
  g_ptr_array_set_size (numbers, numbers->len - 1);
  /* The number the group starts from is its choice from now on (the chat announces it). */
  rcp_senders_remember (ra, name, PURPLE_CONV_TYPE_CHAT, sender);
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
  g_autoptr (GPtrArray) images = NULL;
  g_autofree char *rest = NULL;
  RcOutbox *outbox;
  RcOutgoing *outgoing;
  RcpChat *chat;
  SendData *sd;

  if (ra == NULL || ra->session == NULL)
    return -ENOTCONN;
  chat = ra->chats != NULL ? g_hash_table_lookup (ra->chats, GINT_TO_POINTER (id)) : NULL;
  if (chat == NULL || conv == NULL) {
    /* A window whose Join Chat was refused (Finch keeps its placeholder open): libpurple would
     * write its own error where left chats show nothing, so the text would vanish silently. */
    for (GList *l = purple_get_chats (); l != NULL; l = l->next) {
      PurpleConversation *c = l->data;

      if (purple_conversation_get_account (c) == ra->account
          && purple_conv_chat_get_id (PURPLE_CONV_CHAT (c)) == id
          && purple_conv_chat_has_left (PURPLE_CONV_CHAT (c)))
        rcp_conv_write_line (c,
                             _("This group text was not started (see why above), so nothing "
                               "typed here is sent. Close this window and join again."),
                             PURPLE_MESSAGE_ERROR | PURPLE_MESSAGE_NO_LOG);
    }
    return 0;
  }

  if (message == NULL || !g_utf8_validate (message, -1, NULL)) {
    /* Sent raw, the server would refuse it and blame a phone number. */
    g_autofree char *line
        = g_strdup_printf (_ ("Could not send: %s"), _ ("The text contains invalid characters."));
    chat_write (conv, line, PURPLE_MESSAGE_ERROR | PURPLE_MESSAGE_NO_LOG);
    return 0;
  }
  /* Pictures inserted into the message go out with it as one MMS. */
  images = rcp_mms_images_from_html (message, &rest);
  text = rcp_markup_to_sms (rest);
  if (images->len > 0)
    g_strchug (text); /* the space between a picture and its caption */
  if (g_str_has_prefix (text, "/from") && (text[5] == '\0' || g_ascii_isspace (text[5]))) {
    rcp_senders_run_from_text (ra, conv, text);
    return 0;
  }
  /* Local refusals return 0 after writing our own line: a negative value would make libpurple add
   * a vague "Unable to send message." under it. Every check is the outbox's, before the echo. */
  sender = rcp_senders_pick (ra, conv, chat->name, PURPLE_CONV_TYPE_CHAT);
  outbox = rc_session_get_outbox (ra->session);
  outgoing = rc_outbox_prepare (outbox, sender != NULL ? sender->e164 : NULL,
                                (const char *const *)chat->participants, text,
                                images->len > 0 ? images : NULL, &error);
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
                    PURPLE_MESSAGE_SEND | (images->len > 0 ? PURPLE_MESSAGE_IMAGES : 0), message,
                    time (NULL));
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
message_html (const RcMessage *msg, const char *extra_html)
{
  g_autofree char *html = rcp_markup_from_sms (msg->text);

  if (extra_html != NULL && *extra_html != '\0')
    return g_strconcat (html, *html != '\0' ? "<br>" : "", extra_html, NULL);
  return g_steal_pointer (&html);
}

void
rcp_chat_got_text (RcpAccount *ra, const RcInboxEvent *event, const char *extra_html,
                   PurpleMessageFlags extra_flags)
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
  html = message_html (msg, extra_html);
  serv_got_chat_in (ra->gc, chat->id,
                    outbound ? purple_conv_chat_get_nick (PURPLE_CONV_CHAT (conv)) : msg->from,
                    (outbound ? PURPLE_MESSAGE_SEND | PURPLE_MESSAGE_REMOTE_SEND
                              : PURPLE_MESSAGE_RECV)
                        | extra_flags,
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

/* ---- Send File in a group ---- */

gboolean
rcp_chat_can_receive_file (PurpleConnection *gc, int id)
{
  RcpAccount *ra = rcp_account_from_gc (gc);

  return ra != NULL && ra->chats != NULL
         && g_hash_table_lookup (ra->chats, GINT_TO_POINTER (id)) != NULL;
}

void
rcp_chat_send_file (PurpleConnection *gc, int id, const char *filename)
{
  RcpAccount *ra = rcp_account_from_gc (gc);
  RcpChat *chat = ra != NULL && ra->chats != NULL
                      ? g_hash_table_lookup (ra->chats, GINT_TO_POINTER (id))
                      : NULL;

  if (chat != NULL)
    rcp_mms_send_file (ra, chat->name, PURPLE_CONV_TYPE_CHAT,
                       (const char *const *)chat->participants, filename);
}
