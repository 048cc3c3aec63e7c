/* plugin.c: the plugin's identity, protocol info and account options. */
#include <glib/gi18n-lib.h>
#include <gmodule.h>
#include <purple.h>
#include <string.h>

#include "rc-phone-list.h"
#include "rc-phone.h"
#include "rc-pkce.h"
#include "rcp-account.h"
#include "rcp-chat.h"
#include "rcp-connection.h"
#include "rcp-im.h"
#include "rcp-ipc.h"
#include "rcp-reads.h"
#include "rcp-senders.h"
#include "rcp-signin.h"

#ifndef RCP_VERSION
#define RCP_VERSION "0.0.0"
#endif

/* Large enough for a chat name of a few dozen participants; longer names are compared as typed. */
#define RCP_NORMALIZE_BUF 2048

static const char *
rcp_list_icon (PurpleAccount *account, PurpleBuddy *buddy)
{
  return "ringcentral";
}

static GList *
rcp_status_types (PurpleAccount *account)
{
  GList *types = NULL;

  /* Texting has no presence: the account is either connected or not. */
  types = g_list_append (types, purple_status_type_new (PURPLE_STATUS_AVAILABLE, NULL, NULL, TRUE));
  types = g_list_append (types, purple_status_type_new (PURPLE_STATUS_OFFLINE, NULL, NULL, TRUE));
  return types;
}

/* The country context for numbers typed without '+': the account's default send-from number,
 * else (connected) the first number that can text, else NULL (+1). */
static const char *
normalize_context (PurpleAccount *account)
{
  const char *default_from = purple_account_get_string (account, "default_from", NULL);
  PurpleConnection *gc;
  RcpAccount *ra;

  if (default_from != NULL && rc_phone_is_e164 (default_from))
    return default_from;
  gc = purple_account_get_connection (account);
  ra = gc ? rcp_account_from_gc (gc) : NULL;
  if (ra != NULL && rcp_account_senders (ra)->len > 0)
    return ((const RcPhoneNumber *)g_ptr_array_index (rcp_account_senders (ra), 0))->e164;
  return NULL;
}

/* A phone number can always be texted: show contacts as available while the account is
 * connected, or Pidgin's default "hide offline buddies" would make them vanish. */
static void
show_reachable (PurpleAccount *account, const char *who)
{
  purple_prpl_got_user_status (account, who, "available", NULL);
}

static void
rcp_add_buddy (PurpleConnection *gc, PurpleBuddy *buddy, PurpleGroup *group)
{
  show_reachable (purple_connection_get_account (gc), purple_buddy_get_name (buddy));
}

static void
on_signed_on (PurpleConnection *gc, gpointer user_data)
{
  PurpleAccount *account = purple_connection_get_account (gc);
  GSList *buddies;

  if (g_strcmp0 (purple_account_get_protocol_id (account), RCP_PRPL_ID) != 0)
    return;
  buddies = purple_find_buddies (account, NULL);
  for (GSList *l = buddies; l != NULL; l = l->next)
    show_reachable (account, purple_buddy_get_name (l->data));
  g_slist_free (buddies);
}

/* "+1 650-555-0101, 650 555 0100" → "+16505550100,+16505550101" so that a participant list and
 * its sorted E.164 form name the same chat. NULL when any part is not a number. */
static char *
normalize_list (const char *who, const char *context)
{
  g_autoptr (GPtrArray) numbers = rc_phone_list_parse (who, context, NULL);

  if (numbers == NULL || numbers->len == 0)
    return NULL;
  return rc_phone_list_name (numbers);
}

/* Every buddy and conversation lookup goes through here: "(650) 555-0100" and "+16505550100"
 * must be the same person. What does not parse is returned as typed (short codes, names). */
static const char *
rcp_normalize (const PurpleAccount *account, const char *who)
{
  static char buf[RCP_NORMALIZE_BUF];
  const char *context;
  g_autofree char *result = NULL;

  if (who == NULL)
    return NULL;
  context = account ? normalize_context ((PurpleAccount *)account) : NULL;
  if (strchr (who, ',') != NULL)
    result = normalize_list (who, context);
  else
    result = rc_phone_normalize (who, context, NULL);
  if (result == NULL || strlen (result) >= sizeof buf)
    return who;
  g_strlcpy (buf, result, sizeof buf);
  return buf;
}

/* Texts can always be sent: the recipient's phone is never "online". */
static gboolean
rcp_offline_message (const PurpleBuddy *buddy)
{
  return TRUE;
}

static GList *
rcp_blist_node_menu (PurpleBlistNode *node)
{
  return rcp_senders_blist_node_menu (node);
}

static GHashTable *
rcp_get_account_text_table (PurpleAccount *account)
{
  GHashTable *table = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, g_free);

  /* Pidgin shows this as the hint in the username box; the name is only a label here. */
  g_hash_table_insert (table, "login_label", g_strdup (_ ("RingCentral login (email or number)")));
  return table;
}

static void rcp_plugin_ensure_ready (void);

static void
rcp_plugin_login (PurpleAccount *account)
{
  /* Login only ever runs after core init: the deferred set-up can run now if it has not. */
  rcp_plugin_ensure_ready ();
  rcp_login (account);
}

static PurplePluginProtocolInfo prpl_info = {
  /* The JWT credential goes in the password field; browser sign-in needs none. */
  /* IM_IMAGE: Pidgin's Insert Image; pictures go out as MMS. */
  .options = OPT_PROTO_PASSWORD_OPTIONAL | OPT_PROTO_IM_IMAGE,
  .icon_spec = NO_BUDDY_ICONS,
  .list_icon = rcp_list_icon,
  .status_types = rcp_status_types,
  .blist_node_menu = rcp_blist_node_menu,
  .chat_info = rcp_chat_info,
  .chat_info_defaults = rcp_chat_info_defaults,
  .login = rcp_plugin_login,
  .close = rcp_close,
  .send_im = rcp_send_im,
  .add_buddy = rcp_add_buddy,
  .join_chat = rcp_join_chat,
  .get_chat_name = rcp_get_chat_name,
  .chat_leave = rcp_chat_leave,
  .chat_send = rcp_chat_send,
  .get_cb_alias = rcp_chat_get_cb_alias,
  .can_receive_file = rcp_im_can_receive_file,
  .send_file = rcp_im_send_file,
  .new_xfer = rcp_im_new_xfer,
  .chat_can_receive_file = rcp_chat_can_receive_file,
  .chat_send_file = rcp_chat_send_file,
  .normalize = rcp_normalize,
  .offline_message = rcp_offline_message,
  .get_account_text_table = rcp_get_account_text_table,
  .struct_size = sizeof (PurplePluginProtocolInfo),
};

static PurplePlugin *the_plugin;
static gboolean senders_ready;
static guint ready_idle;

/* Runs the set-up load() deferred (rcp_senders_init: commands and conversation signals) if it has
 * not run yet. libpurple loads protocol plugins while probing, before purple_conversations_init()
 * registers the conversation signals, so load() itself is too early. Called from an idle after
 * load() and from login (which only ever runs after core init), whichever comes first. */
static void
rcp_plugin_ensure_ready (void)
{
  if (senders_ready || the_plugin == NULL)
    return;
  senders_ready = TRUE;
  purple_signal_connect (purple_connections_get_handle (), "signed-on", the_plugin,
                         PURPLE_CALLBACK (on_signed_on), NULL);
  if (ready_idle != 0) {
    purple_timeout_remove (ready_idle);
    ready_idle = 0;
  }
  rcp_senders_init (the_plugin);
  rcp_reads_init (the_plugin);
  rcp_signin_init (the_plugin);
}

static gboolean
on_ready_idle (gpointer user_data)
{
  ready_idle = 0;
  rcp_plugin_ensure_ready ();
  return G_SOURCE_REMOVE;
}

static gboolean
rcp_plugin_load (PurplePlugin *plugin)
{
  /* Requests, keyring calls and timers may still complete after libpurple unloads the plugin
   * (quitting with a revoke or a keyring write in flight): the code must stay mapped. */
  if (plugin->handle != NULL)
    g_module_make_resident (plugin->handle);
  the_plugin = plugin;
  rcp_ipc_init (plugin);
  /* Too early for conversation signals (see rcp-plugin.h): the first main-loop turn is not. */
  ready_idle = purple_timeout_add (0, on_ready_idle, NULL);
  return TRUE;
}

static gboolean
rcp_plugin_unload (PurplePlugin *plugin)
{
  if (ready_idle != 0)
    purple_timeout_remove (ready_idle);
  ready_idle = 0;
  if (senders_ready)
    rcp_senders_uninit (plugin);
  rcp_ipc_uninit (plugin);
  purple_signals_disconnect_by_handle (plugin);
  senders_ready = FALSE;
  the_plugin = NULL;
  return TRUE;
}

static void
action_refresh_names (PurplePluginAction *action)
{
  RcpAccount *ra = rcp_account_from_gc (action->context);

  if (ra != NULL)
    rc_session_refresh_contacts (ra->session);
}

/* The send-from actions, then names, then signing out. */
static GList *
rcp_actions (PurplePlugin *plugin, gpointer context)
{
  GList *actions = rcp_senders_actions (plugin, context);

  actions = g_list_append (
      actions, purple_plugin_action_new (_ ("Refresh Contact Names"), action_refresh_names));
  return g_list_append (actions, purple_plugin_action_new (_ ("Sign Out of RingCentral"),
                                                           rcp_signin_action_sign_out));
}

static PurplePluginInfo info = {
  .magic = PURPLE_PLUGIN_MAGIC,
  .major_version = PURPLE_MAJOR_VERSION,
  .minor_version = PURPLE_MINOR_VERSION,
  .type = PURPLE_PLUGIN_PROTOCOL,
  .priority = PURPLE_PRIORITY_DEFAULT,
  .id = RCP_PRPL_ID,
  .name = "RingCentral",
  .version = RCP_VERSION,
  /* summary/description are filled in init_plugin, where _() may run. */
  .load = rcp_plugin_load,
  .unload = rcp_plugin_unload,
  .extra_info = &prpl_info,
  .actions = rcp_actions,
};

static GList *
auth_methods (void)
{
  PurpleKeyValuePair *jwt = g_new0 (PurpleKeyValuePair, 1);
  PurpleKeyValuePair *browser = g_new0 (PurpleKeyValuePair, 1);

  /* JWT first: the list's first entry is what accounts without the setting use, and accounts
   * made before browser sign-in existed are JWT ones (connection.c reads "jwt" then too). */
  jwt->key = g_strdup (_ ("JWT credential (password field)"));
  jwt->value = g_strdup ("jwt");
  browser->key = g_strdup (_ ("Browser"));
  browser->value = g_strdup ("browser");
  return g_list_append (g_list_append (NULL, jwt), browser);
}

static void
init_plugin (PurplePlugin *plugin)
{
  PurpleAccountOption *option;
  GList *options = NULL;

#ifdef RCP_LOCALEDIR
  bindtextdomain (GETTEXT_PACKAGE, RCP_LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
#endif
  info.summary = (char *)_ ("Texting (SMS) through RingCentral phone numbers");
  info.description
      = (char *)_ ("Send and receive text messages from the phone numbers of your "
                   "RingCentral login, choosing which number each text goes out from.");

  option = purple_account_option_string_new (_ ("Server URL"), "server_url",
                                             "https://platform.ringcentral.com");
  options = g_list_append (options, option);
  option = purple_account_option_string_new (_ ("Client ID"), "client_id", "");
  options = g_list_append (options, option);
  option = purple_account_option_string_new (_ ("Client secret"), "client_secret", "");
  purple_account_option_set_masked (option, TRUE);
  options = g_list_append (options, option);
  option = purple_account_option_list_new (_ ("Sign-in method"), "auth_method", auth_methods ());
  options = g_list_append (options, option);
  /* Browser sign-in comes back here; it must match one registered for the app exactly. */
  option = purple_account_option_string_new (_ ("Redirect URI (browser sign-in)"), "redirect_uri",
                                             RC_PKCE_DEFAULT_REDIRECT_URI);
  options = g_list_append (options, option);
  option = purple_account_option_string_new (_ ("Default send-from number"), "default_from", "");
  options = g_list_append (options, option);
  option = purple_account_option_bool_new (_ ("Show delivery receipts"), "delivery_receipts",
                                           FALSE);
  options = g_list_append (options, option);
  /* sync_interval (seconds between message-sync rounds while push is down; default 60) and
   * oauth_timeout (seconds a browser sign-in waits; default 300, signin.c), http_deadline and
   * http_max_hold (seconds; 0 = the defaults: rc_session_set_http_limits(), connection.c) are
   * read with a default and deliberately not shown: tests set them. */

  prpl_info.protocol_options = options;
}

PURPLE_INIT_PLUGIN (ringcentral, init_plugin, info)
