/* senders.c: which of the user's numbers a text goes out from, in libpurple terms: /from, the
 * remembered choice per buddy/chat, the account default, menus, and keeping all of them honest when
 * the server's list of numbers changes. */
#include <glib/gi18n-lib.h>
#include <string.h>

#include "rc-phone-list.h"
#include "rc-phone.h"
#include "rc-senders.h"
#include "rcp-choices.h"
#include "rcp-conv.h"
#include "rcp-senders.h"

#define CONV_FROM_KEY "rc-from"
#define LINE_FLAGS    RCP_LINE_FLAGS

static PurpleCmdId from_cmd;
static guint connect_source;
static RcpSendersChangedFunc changed_hook;

/* ---- small helpers ---- */

char *
rcp_senders_short_name (const RcPhoneNumber *sender)
{
  g_autofree char *formatted = rc_phone_format (sender->e164);
  g_autofree char *role = rc_phone_number_role (sender);

  if (role == NULL || *role == '\0')
    return g_steal_pointer (&formatted);
  return g_strdup_printf ("%s (%s)", formatted, role);
}


/* ---- telling the UI the sender may have changed ---- */

void
rcp_senders_set_changed_hook (RcpSendersChangedFunc func)
{
  changed_hook = func;
}

static void refresh_titles (RcpAccount *ra);
static void show_title (RcpAccount *ra, PurpleConversation *conv);

void
rcp_senders_changed (PurpleAccount *account, PurpleConversation *conv)
{
  RcpAccount *ra = rcp_account_from_account (account);

  /* Finch shows the number in the window title; Pidgin's selector listens to the hook. */
  if (ra != NULL && rcp_conv_shows_sender ()) {
    if (conv != NULL)
      show_title (ra, conv);
    else
      refresh_titles (ra);
  }
  if (changed_hook != NULL && account != NULL)
    changed_hook (account, conv);
}

/* The hook for the open conversation with @key (who_key() form) of @type, if any. */
static void
changed_for_key (PurpleAccount *account, const char *key, PurpleConversationType type)
{
  PurpleConversation *conv;

  if (key != NULL && (conv = purple_find_conversation_with_account (type, key, account)) != NULL)
    rcp_senders_changed (account, conv);
}

/* ---- picking ---- */

char *
rcp_senders_remembered (RcpAccount *ra, const char *who, PurpleConversationType type)
{
  g_autofree char *key = rcp_choices_key (who, type);

  g_return_val_if_fail (ra != NULL, NULL);
  return key != NULL ? rcp_choices_get (ra->account, key, type) : NULL;
}

void
rcp_senders_remember (RcpAccount *ra, const char *who, PurpleConversationType type,
                      const RcPhoneNumber *sender)
{
  g_autofree char *key = rcp_choices_key (who, type);

  g_return_if_fail (ra != NULL && sender != NULL);
  if (key != NULL)
    rcp_choices_set (ra->account, key, type, sender->e164);
  changed_for_key (ra->account, key, type);
}

const RcPhoneNumber *
rcp_senders_group_default (RcpAccount *ra)
{
  GPtrArray *senders;
  g_autofree char *def = NULL;
  const RcPhoneNumber *n;

  g_return_val_if_fail (ra != NULL, NULL);

  senders = rcp_account_senders (ra);
  def = rcp_choices_normalize_setting (
      purple_account_get_string (ra->account, "default_from", NULL));
  n = def != NULL ? rc_senders_lookup (senders, def) : NULL;
  if (n != NULL && (n->features & RC_FEATURE_MMS))
    return n;
  for (guint i = 0; i < senders->len; i++) {
    n = g_ptr_array_index (senders, i);
    if (n->features & RC_FEATURE_MMS)
      return n;
  }
  return NULL;
}

const RcPhoneNumber *
rcp_senders_pick (RcpAccount *ra, PurpleConversation *conv, const char *who,
                  PurpleConversationType type)
{
  g_autofree char *key = NULL;
  g_autofree char *remembered = NULL;
  g_autofree char *def = NULL;
  g_autofree char *conv_choice = NULL;
  g_autofree char *replies = NULL;
  const char *stale = NULL;
  const char *incoming = NULL;
  gboolean incoming_cannot_text;
  const char *choices[4];
  const RcPhoneNumber *sender;

  g_return_val_if_fail (ra != NULL, NULL);

  if (rcp_account_senders (ra)->len == 0)
    return NULL;
  if (who == NULL && conv != NULL)
    who = purple_conversation_get_name (conv);
  key = rcp_choices_key (who, type);
  if (conv == NULL && who != NULL)
    conv = purple_find_conversation_with_account (type, who, ra->account);

  conv_choice = conv != NULL ? g_strdup (purple_conversation_get_data (conv, CONV_FROM_KEY)) : NULL;
  remembered = key != NULL ? rcp_choices_get (ra->account, key, type) : NULL;
  def = rcp_choices_normalize_setting (
      purple_account_get_string (ra->account, "default_from", NULL));
  choices[0] = conv_choice;
  choices[1] = remembered;
  incoming = replies = rcp_choices_reply_get (ra->account, key);
  /* A text can reach one of the user's numbers that cannot text (a fax or caller-ID-only line):
   * that number was never a choice, so it is passed over, not reported as gone. */
  incoming_cannot_text
      = incoming != NULL && rc_senders_index_of (rcp_account_senders (ra), incoming) < 0;
  choices[2] = incoming_cannot_text ? NULL : incoming;
  choices[3] = def;

  sender = rc_senders_resolve (rcp_account_senders (ra), choices, G_N_ELEMENTS (choices), &stale);
  if (incoming_cannot_text && conv != NULL && sender != NULL
      && rc_senders_index_of (rcp_account_senders (ra), conv_choice) < 0
      && rc_senders_index_of (rcp_account_senders (ra), remembered) < 0) {
    g_autofree char *flag = g_strconcat ("rc-incoming-noticed:", incoming, NULL);
    if (purple_conversation_get_data (conv, flag) == NULL) {
      g_autofree char *in = rc_phone_format (incoming);
      g_autofree char *now = rcp_senders_short_name (sender);
      g_autofree char *text = g_strdup_printf (
          _ ("Texts here came in on %s, which cannot send texts from your login; replies go out "
             "from %s."),
          in, now);
      purple_conversation_set_data (conv, flag, GINT_TO_POINTER (1));
      rcp_conv_write_line (conv, text, LINE_FLAGS);
    }
  }
  if (stale != NULL && conv != NULL && sender != NULL) {
    /* Tell once per conversation and number, then stop using a conversation choice that died. */
    g_autofree char *flag = g_strconcat ("rc-stale-noticed:", stale, NULL);
    if (purple_conversation_get_data (conv, flag) == NULL) {
      g_autofree char *old = rc_phone_format (stale);
      g_autofree char *now = rcp_senders_short_name (sender);
      g_autofree char *text = g_strdup_printf (
          _ ("%s is no longer one of your send-from numbers; using %s instead."), old, now);
      purple_conversation_set_data (conv, flag, GINT_TO_POINTER (1));
      rcp_conv_write_line (conv, text, LINE_FLAGS);
    }
    if (g_strcmp0 (stale, conv_choice) == 0) {
      g_free (purple_conversation_get_data (conv, CONV_FROM_KEY));
      purple_conversation_set_data (conv, CONV_FROM_KEY, NULL);
    }
  }
  return sender;
}

void
rcp_senders_warn_unregistered (RcpAccount *ra, PurpleConversation *conv,
                               const RcPhoneNumber *sender)
{
  g_autofree char *shown = NULL;
  g_autofree char *text = NULL;

  g_return_if_fail (ra != NULL && sender != NULL);

  if (sender->registration != RC_REGISTRATION_NOT_CONFIRMED || conv == NULL)
    return;
  if (ra->registration_warned == NULL)
    ra->registration_warned = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  if (!g_hash_table_add (ra->registration_warned, g_strdup (sender->e164)))
    return;
  shown = rc_phone_format (sender->e164);
  text = g_strdup_printf (_ ("%s is not registered for texting (10DLC campaign not confirmed); "
                             "carriers may block this text."),
                          shown);
  rcp_conv_write_line (conv, text, LINE_FLAGS);
}

void
rcp_senders_note_incoming (RcpAccount *ra, const char *thread, const char *our_e164)
{
  g_autofree char *key = NULL;
  PurpleConversationType type;

  g_return_if_fail (ra != NULL);

  if (thread == NULL || our_e164 == NULL)
    return;
  type = strchr (thread, ',') != NULL ? PURPLE_CONV_TYPE_CHAT : PURPLE_CONV_TYPE_IM;
  key = rcp_choices_key (thread, type);
  if (!rcp_choices_reply_set (ra->account, key, our_e164))
    return;
  changed_for_key (ra->account, key, type);
}

void
rcp_senders_announce (RcpAccount *ra, PurpleConversation *conv, const char *who,
                      PurpleConversationType type)
{
  const RcPhoneNumber *sender;
  g_autofree char *name = NULL;
  g_autofree char *text = NULL;
  const char *peer = who != NULL ? who : purple_conversation_get_name (conv);

  /* Texts from short codes (verification codes, alerts) cannot be answered from RingCentral: say
   * so instead of naming a number a reply would never leave from. */
  if (type == PURPLE_CONV_TYPE_IM && rc_phone_is_short_code (peer)) {
    text = g_strdup_printf (_ ("%s is a short code (an automated sender): RingCentral texts only "
                               "full phone numbers, so replies cannot be sent from here."),
                            peer);
    rcp_conv_write_line (conv, text, LINE_FLAGS);
    return;
  }
  sender = rcp_senders_pick (ra, conv, who, type);
  rcp_conv_show_sender (conv, sender != NULL ? sender->e164 : NULL);
  if (sender == NULL) {
    rcp_conv_write_line (conv, _ ("This account has no number that can send texts."), LINE_FLAGS);
    return;
  }
  name = rcp_senders_short_name (sender);
  text = g_strdup_printf (_ ("Sending from %s"), name);
  rcp_conv_write_line (conv, text, LINE_FLAGS);
}

/* ---- applying a choice (command and menus) ---- */

/* Says at once when @sender cannot carry texts of @conv (a group without MMS, a recipient abroad
 * without InternationalSmsSender), instead of letting the next text be refused without warning.
 * The choice stands: the user may be about to fix it. */
static void
warn_if_cannot_carry (RcpAccount *ra, PurpleConversation *conv, const RcPhoneNumber *sender)
{
  g_auto (GStrv) recipients = rcp_conv_recipients (conv, sender->e164);
  g_autoptr (GError) error = NULL;

  if (recipients == NULL
      || rc_senders_check (rcp_account_senders (ra), sender, (const char *const *)recipients, FALSE,
                           &error))
    return;
  rcp_conv_write_line (conv, error->message, PURPLE_MESSAGE_ERROR | PURPLE_MESSAGE_NO_LOG);
}

/* Makes @sender (NULL: back to the default) the choice for @conv (may be NULL) and @who, remembers
 * it, and confirms in @conv. */
static void
apply_choice (RcpAccount *ra, PurpleConversation *conv, const char *who,
              PurpleConversationType type, const RcPhoneNumber *sender)
{
  g_autofree char *key = rcp_choices_key (who, type);
  g_autofree char *text = NULL;
  g_autofree char *name = NULL;
  const RcPhoneNumber *now;

  if (conv != NULL) {
    g_free (purple_conversation_get_data (conv, CONV_FROM_KEY));
    purple_conversation_set_data (conv, CONV_FROM_KEY,
                                  sender != NULL ? g_strdup (sender->e164) : NULL);
  }
  if (key != NULL)
    rcp_choices_set (ra->account, key, type, sender != NULL ? sender->e164 : NULL);
  if (conv == NULL) {
    changed_for_key (ra->account, key, type);
    return;
  }
  rcp_senders_changed (ra->account, conv);

  now = sender != NULL ? sender : rcp_senders_pick (ra, conv, who, type);
  rcp_conv_show_sender (conv, now != NULL ? now->e164 : NULL);
  if (now == NULL) {
    rcp_conv_write_line (conv, _ ("This account has no number that can send texts."), LINE_FLAGS);
    return;
  }
  name = rcp_senders_short_name (now);
  if (sender != NULL)
    text = g_strdup_printf (_ ("Texts in this conversation now go out from %s."), name);
  else
    /* Not necessarily the account default: the number this contact last texted comes first. */
    text = g_strdup_printf (_ ("This conversation no longer has its own send-from number; by the "
                               "rules (/from lists them), texts now go out from %s."),
                            name);
  rcp_conv_write_line (conv, text, LINE_FLAGS);
  warn_if_cannot_carry (ra, conv, now);
}

static void
list_senders (RcpAccount *ra, PurpleConversation *conv)
{
  const RcPhoneNumber *current;
  PurpleConversationType type = purple_conversation_get_type (conv);

  if (rcp_account_senders (ra)->len == 0) {
    rcp_conv_write_line (conv, _ ("This account has no number that can send texts."), LINE_FLAGS);
    return;
  }
  current = rcp_senders_pick (ra, conv, NULL, type);
  rcp_conv_write_line (conv, _ ("Send-from numbers (* = in use):"), LINE_FLAGS);
  for (guint i = 0; i < rcp_account_senders (ra)->len; i++) {
    const RcPhoneNumber *n = g_ptr_array_index (rcp_account_senders (ra), i);
    g_autofree char *desc = rc_phone_number_describe (n);
    g_autofree char *line = g_strdup_printf ("%s %u. %s", n == current ? "*" : " ", i + 1, desc);
    rcp_conv_write_line (conv, line, LINE_FLAGS);
  }
}

/* The command's work. On failure returns FALSE with a message for the user in *error. */
static gboolean
run_from (RcpAccount *ra, PurpleConversation *conv, const char *arg_in, char **error)
{
  g_autofree char *arg = g_strstrip (g_strdup (arg_in != NULL ? arg_in : ""));
  PurpleConversationType type = purple_conversation_get_type (conv);
  const char *who = purple_conversation_get_name (conv);
  const RcPhoneNumber *sender;

  if (*arg == '\0') {
    list_senders (ra, conv);
    return TRUE;
  }
  if (g_ascii_strcasecmp (arg, "default") == 0) {
    apply_choice (ra, conv, who, type, NULL);
    return TRUE;
  }
  sender = rc_senders_lookup (rcp_account_senders (ra), arg);
  if (sender == NULL) {
    *error
        = g_strdup_printf (_ ("No send-from number matches \"%s\". Type /from to list them."), arg);
    return FALSE;
  }
  apply_choice (ra, conv, who, type, sender);
  return TRUE;
}

static PurpleCmdRet
from_cmd_cb (PurpleConversation *conv, const gchar *cmd, gchar **args, gchar **error, void *data)
{
  RcpAccount *ra = rcp_account_from_account (purple_conversation_get_account (conv));
  g_autofree char *message = NULL;

  if (ra == NULL) {
    *error = g_strdup (_ ("Sign in to RingCentral first."));
    return PURPLE_CMD_RET_FAILED;
  }
  if (!run_from (ra, conv, args != NULL ? args[0] : NULL, &message)) {
    /* The UIs show *error as HTML: escape what the user typed. */
    *error = g_markup_escape_text (message, -1);
    return PURPLE_CMD_RET_FAILED;
  }
  return PURPLE_CMD_RET_OK;
}

void
rcp_senders_run_from_text (RcpAccount *ra, PurpleConversation *conv, const char *text)
{
  g_autofree char *message = NULL;

  g_return_if_fail (ra != NULL);
  g_return_if_fail (conv != NULL);
  g_return_if_fail (text != NULL);

  while (g_ascii_isspace (*text))
    text++;
  if (g_str_has_prefix (text, "/from"))
    text += strlen ("/from");
  if (!run_from (ra, conv, text, &message))
    rcp_conv_write_line (conv, message, PURPLE_MESSAGE_ERROR | PURPLE_MESSAGE_NO_LOG);
}

/* ---- conversation signals and menus ---- */

static void
conversation_created_cb (PurpleConversation *conv, gpointer data)
{
  RcpAccount *ra = rcp_account_from_account (purple_conversation_get_account (conv));

  /* Chats announce their sender when chat.c joins them (the placeholder Finch opens is no thread).
   */
  if (ra == NULL || !rcp_account_senders_loaded (ra)
      || purple_conversation_get_type (conv) != PURPLE_CONV_TYPE_IM)
    return;
  rcp_senders_announce (ra, conv, NULL, PURPLE_CONV_TYPE_IM);
}

static void
deleting_conversation_cb (PurpleConversation *conv, gpointer data)
{
  if (!rcp_account_is_ours (purple_conversation_get_account (conv)))
    return;
  g_free (purple_conversation_get_data (conv, CONV_FROM_KEY));
  purple_conversation_set_data (conv, CONV_FROM_KEY, NULL);
}

/* Menu data is the sender's position + 1 (0: "Use account default"): menus are rebuilt each time
 * they open, and an int needs no freeing (libpurple never frees menu action data). */
static const RcPhoneNumber *
sender_from_menu_data (RcpAccount *ra, gpointer data)
{
  guint pos = GPOINTER_TO_UINT (data);

  if (pos == 0 || pos > rcp_account_senders (ra)->len)
    return NULL;
  return g_ptr_array_index (rcp_account_senders (ra), pos - 1);
}

static GList *
build_submenu (RcpAccount *ra, const RcPhoneNumber *current, PurpleCallback cb)
{
  GList *items = NULL;

  for (guint i = 0; i < rcp_account_senders (ra)->len; i++) {
    const RcPhoneNumber *n = g_ptr_array_index (rcp_account_senders (ra), i);
    g_autofree char *desc = rc_phone_number_describe (n);
    g_autofree char *label = g_strdup_printf ("%s %s", n == current ? "(*)" : "( )", desc);
    /* Prepended, then reversed once: appending walks the list each time (quadratic: 170 ms at
     * 10,000 numbers, issue 10). */
    items = g_list_prepend (items,
                            purple_menu_action_new (label, cb, GUINT_TO_POINTER (i + 1), NULL));
  }
  items
      = g_list_prepend (items, purple_menu_action_new (_ ("Use account default"), cb, NULL, NULL));
  return g_list_reverse (items);
}

static void
conv_menu_pick_cb (PurpleConversation *conv, gpointer data)
{
  RcpAccount *ra = rcp_account_from_account (purple_conversation_get_account (conv));
  const RcPhoneNumber *sender;

  if (ra == NULL)
    return;
  sender = sender_from_menu_data (ra, data);
  if (sender == NULL && data != NULL)
    return; /* the list changed under the menu */
  apply_choice (ra, conv, purple_conversation_get_name (conv), purple_conversation_get_type (conv),
                sender);
}

static void
conversation_menu_cb (PurpleConversation *conv, GList **menu, gpointer data)
{
  RcpAccount *ra = rcp_account_from_account (purple_conversation_get_account (conv));
  const RcPhoneNumber *current;

  if (ra == NULL || rcp_account_senders (ra)->len == 0)
    return;
  current = rcp_senders_pick (ra, conv, NULL, purple_conversation_get_type (conv));
  *menu = g_list_append (
      *menu,
      purple_menu_action_new (_ ("Send From"), NULL, NULL,
                              build_submenu (ra, current, PURPLE_CALLBACK (conv_menu_pick_cb))));
}

/* The account, name and conversation type a buddy or chat node stands for. */
static RcpAccount *
node_target (PurpleBlistNode *node, char **who, PurpleConversationType *type)
{
  RcpAccount *ra;

  if (PURPLE_BLIST_NODE_IS_BUDDY (node)) {
    PurpleBuddy *buddy = PURPLE_BUDDY (node);
    if ((ra = rcp_account_from_account (purple_buddy_get_account (buddy))) == NULL)
      return NULL;
    *who = g_strdup (purple_buddy_get_name (buddy));
    *type = PURPLE_CONV_TYPE_IM;
    return ra;
  }
  if (PURPLE_BLIST_NODE_IS_CHAT (node)) {
    PurpleChat *chat = PURPLE_CHAT (node);
    if ((ra = rcp_account_from_account (purple_chat_get_account (chat))) == NULL)
      return NULL;
    *who = rcp_conv_chat_name (purple_chat_get_components (chat));
    *type = PURPLE_CONV_TYPE_CHAT;
    return ra;
  }
  return NULL;
}

static void
node_menu_pick_cb (PurpleBlistNode *node, gpointer data)
{
  g_autofree char *who = NULL;
  PurpleConversationType type = PURPLE_CONV_TYPE_IM;
  RcpAccount *ra = node_target (node, &who, &type);
  const RcPhoneNumber *sender;

  if (ra == NULL || who == NULL)
    return;
  sender = sender_from_menu_data (ra, data);
  if (sender == NULL && data != NULL)
    return;
  apply_choice (ra, purple_find_conversation_with_account (type, who, ra->account), who, type,
                sender);
}

GList *
rcp_senders_blist_node_menu (PurpleBlistNode *node)
{
  g_autofree char *who = NULL;
  PurpleConversationType type = PURPLE_CONV_TYPE_IM;
  RcpAccount *ra;
  const RcPhoneNumber *current;

  g_return_val_if_fail (node != NULL, NULL);

  ra = node_target (node, &who, &type);
  if (ra == NULL || who == NULL || rcp_account_senders (ra)->len == 0)
    return NULL;
  current = rcp_senders_pick (ra, NULL, who, type);
  return g_list_append (
      NULL,
      purple_menu_action_new (_ ("Send From"), NULL, NULL,
                              build_submenu (ra, current, PURPLE_CALLBACK (node_menu_pick_cb))));
}

/* ---- the list changed on the server ---- */

void
rcp_senders_list_updated (RcpAccount *ra)
{
  g_autoptr (GPtrArray) gone = g_ptr_array_new_with_free_func (g_free);

  g_return_if_fail (ra != NULL);

  if (rcp_account_senders (ra)->len == 0) {
    /* Nothing to fall back to: keep the choices for when a number comes back, and say why no
     * text can go out (once per sign-on). */
    if (!ra->no_texting_notified) {
      ra->no_texting_notified = TRUE;
      purple_notify_message (ra->gc, PURPLE_NOTIFY_MSG_WARNING, "RingCentral",
                             _ ("This login has no number that can send texts."),
                             _ ("Ask your RingCentral administrator to assign an SMS-enabled "
                                "number to your extension, then sign in again."),
                             NULL, NULL);
    }
    rcp_senders_changed (ra->account, NULL);
    return;
  }

  rcp_choices_drop_missing (ra->account, rcp_account_senders (ra), gone);

  if (gone->len > 0) {
    g_autoptr (GString) names = g_string_new (NULL);
    g_autofree char *secondary = NULL;
    for (guint i = 0; i < gone->len; i++) {
      g_autofree char *formatted = rc_phone_format (g_ptr_array_index (gone, i));
      g_string_append_printf (names, "%s%s", i > 0 ? ", " : "", formatted);
    }
    secondary = g_strdup_printf (
        _ ("%s can no longer send texts from this login. Conversations that used it now go out "
           "from another of your numbers."),
        names->str);
    purple_notify_warning (ra->gc, "RingCentral", _ ("A send-from number you chose is gone"),
                           secondary);
  }
  /* Any open conversation of the account may now go out from another number. */
  rcp_senders_changed (ra->account, NULL);
}

/* The number in use in @conv's title (Finch). */
static void
show_title (RcpAccount *ra, PurpleConversation *conv)
{
  PurpleConversationType type = purple_conversation_get_type (conv);
  const char *who = purple_conversation_get_name (conv);
  const RcPhoneNumber *sender;

  if ((type == PURPLE_CONV_TYPE_CHAT && purple_conv_chat_has_left (PURPLE_CONV_CHAT (conv)))
      || (type == PURPLE_CONV_TYPE_IM && rc_phone_is_short_code (who)))
    return;
  sender = rcp_senders_pick (ra, conv, NULL, type);
  rcp_conv_show_sender (conv, sender != NULL ? sender->e164 : NULL);
}

static void
refresh_titles (RcpAccount *ra)
{
  for (GList *l = purple_get_conversations (); l != NULL; l = l->next)
    if (purple_conversation_get_account (l->data) == ra->account)
      show_title (ra, l->data);
}

/* ---- registration ---- */

static gboolean
connect_signals_cb (gpointer plugin)
{
  void *convs = purple_conversations_get_handle ();

  connect_source = 0;
  purple_signal_connect (convs, "conversation-created", plugin,
                         PURPLE_CALLBACK (conversation_created_cb), NULL);
  purple_signal_connect (convs, "deleting-conversation", plugin,
                         PURPLE_CALLBACK (deleting_conversation_cb), NULL);
  purple_signal_connect (convs, "conversation-extended-menu", plugin,
                         PURPLE_CALLBACK (conversation_menu_cb), NULL);
  purple_signal_connect (convs, "conversation-updated", plugin,
                         PURPLE_CALLBACK (rcp_conv_updated_cb), NULL);
  return FALSE;
}

void
rcp_senders_init (PurplePlugin *plugin)
{
  const PurpleCmdFlag flags = PURPLE_CMD_FLAG_PRPL_ONLY | PURPLE_CMD_FLAG_ALLOW_WRONG_ARGS;
  const char *help = _ ("from [number|position|default]: choose which of your RingCentral numbers "
                        "texts in this conversation go out from. With no argument, lists them.");

  /* One registration for IMs and chats; ALLOW_WRONG_ARGS lets a bare "/from" through. */
  from_cmd = purple_cmd_register ("from", "s", PURPLE_CMD_P_PRPL,
                                  flags | PURPLE_CMD_FLAG_IM | PURPLE_CMD_FLAG_CHAT, RCP_PRPL_ID,
                                  from_cmd_cb, help, NULL);
  /* purple_core_init() loads protocol plugins before it creates the conversation signals: connect
   * once the core is up (the UI's loop runs only after that). */
  connect_source = purple_timeout_add (0, connect_signals_cb, plugin);
}

void
rcp_senders_uninit (PurplePlugin *plugin)
{
  if (from_cmd != 0)
    purple_cmd_unregister (from_cmd);
  from_cmd = 0;
  if (connect_source != 0)
    purple_timeout_remove (connect_source);
  connect_source = 0;
  purple_signals_disconnect_by_handle (plugin);
}

void
rcp_senders_free_state (RcpAccount *ra)
{
  g_return_if_fail (ra != NULL);
  g_clear_pointer (&ra->registration_warned, g_hash_table_unref);
}
