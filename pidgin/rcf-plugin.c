/* rcf-plugin.c: the Pidgin companion of the RingCentral protocol plugin: puts a "From:" selector
 * (rcf-selector.c) into every RingCentral IM and chat window, as pidgin-otr puts its button there,
 * and keeps it showing the number the next text goes out from. It talks to the protocol plugin
 * only through the IPC commands and the signal of plugin/rcp-ipc.h. The protocol plugin loads it
 * when running inside Pidgin; Pidgin runs as well without it. */
#include <glib/gi18n-lib.h>
/* First: it defines PURPLE_PLUGINS, which makes PURPLE_INIT_PLUGIN export purple_init_plugin. */
#include <purple.h>

#include <gtkconv.h>
#include <gtkplugin.h>
#include <pidgin.h>

#include "rcf-selector.h"
#include "rcp-ipc.h"

#ifndef RCP_VERSION
#define RCP_VERSION "0.0.0"
#endif

static PurplePlugin *prpl;

static void
conversation_displayed_cb (PidginConversation *gtkconv, gpointer data)
{
  if (gtkconv != NULL)
    rcf_selector_attach (gtkconv->active_conv, prpl);
}

static void
deleting_conversation_cb (PurpleConversation *conv, gpointer data)
{
  rcf_selector_forget (conv);
}

/* The protocol plugin's RCP_IPC_SENDER_CHANGED. */
static void
sender_changed_cb (PurpleConversation *conv, gpointer data)
{
  rcf_selector_attach (conv, prpl);
}

/* Signed on or off: the list comes or goes for every window of the account. */
static void
connection_cb (PurpleConnection *gc, gpointer data)
{
  PurpleAccount *account = purple_connection_get_account (gc);

  for (GList *l = purple_get_conversations (); l != NULL; l = l->next)
    if (purple_conversation_get_account (l->data) == account)
      rcf_selector_refresh (l->data);
}

static gboolean
plugin_load (PurplePlugin *plugin)
{
  prpl = purple_plugins_find_with_id (RCP_IPC_PRPL_ID);
  if (prpl == NULL || !purple_plugin_is_loaded (prpl)) {
    purple_debug_error (RCF_DEBUG, "the RingCentral protocol plugin is not loaded\n");
    prpl = NULL;
    return FALSE;
  }
  purple_signal_connect (pidgin_conversations_get_handle (), "conversation-displayed", plugin,
                         PURPLE_CALLBACK (conversation_displayed_cb), NULL);
  purple_signal_connect (purple_conversations_get_handle (), "deleting-conversation", plugin,
                         PURPLE_CALLBACK (deleting_conversation_cb), NULL);
  purple_signal_connect (prpl, RCP_IPC_SENDER_CHANGED, plugin, PURPLE_CALLBACK (sender_changed_cb),
                         NULL);
  purple_signal_connect (purple_connections_get_handle (), "signed-on", plugin,
                         PURPLE_CALLBACK (connection_cb), NULL);
  purple_signal_connect (purple_connections_get_handle (), "signed-off", plugin,
                         PURPLE_CALLBACK (connection_cb), NULL);
  /* Windows already open (the plugin was loaded by hand, or after sign-on). */
  for (GList *l = purple_get_conversations (); l != NULL; l = l->next)
    rcf_selector_attach (l->data, prpl);
  purple_debug_info (RCF_DEBUG, "loaded\n");
  return TRUE;
}

static gboolean
plugin_unload (PurplePlugin *plugin)
{
  for (GList *l = purple_get_conversations (); l != NULL; l = l->next)
    rcf_selector_remove (l->data);
  purple_signals_disconnect_by_handle (plugin);
  prpl = NULL;
  return TRUE;
}

static PurplePluginInfo info = {
  .magic = PURPLE_PLUGIN_MAGIC,
  .major_version = PURPLE_MAJOR_VERSION,
  .minor_version = PURPLE_MINOR_VERSION,
  .type = PURPLE_PLUGIN_STANDARD,
  .ui_requirement = PIDGIN_UI,
  /* dependencies: filled in init_plugin (a GList). */
  .priority = PURPLE_PRIORITY_DEFAULT,
  .id = RCP_IPC_COMPANION_ID,
  .name = "RingCentral From selector",
  .version = RCP_VERSION,
  /* summary/description are filled in init_plugin, where _() may run. */
  .author = "purple-ringcentral",
  .load = plugin_load,
  .unload = plugin_unload,
};

static void
init_plugin (PurplePlugin *plugin)
{
  /* Loading this loads the protocol plugin first; unloading that unloads this. */
  info.dependencies = g_list_append (NULL, (char *)RCP_IPC_PRPL_ID);
  info.summary = (char *)_ ("Shows which RingCentral number a text goes out from");
  info.description = (char *)_ (
      "Puts a \"From:\" selector into RingCentral conversation windows: it shows the number the "
      "next text goes out from and lets you choose another, as /from does. Loaded by the "
      "RingCentral plugin when needed.");
}

PURPLE_INIT_PLUGIN (ringcentral_from, init_plugin, info)
