/* ipc.c: the send-from choice for other plugins (rcp-ipc.h): the IPC commands that list and
 * choose a conversation's number, the signal that says it may have changed, and loading the Pidgin
 * companion that shows them as a "From:" selector. */
#include <glib/gi18n-lib.h>

#include "rc-phone-list.h"
#include "rc-phone.h"
#include "rc-senders.h"
#include "rcp-conv.h"
#include "rcp-ipc.h"
#include "rcp-senders.h"

#define IPC_DEBUG "ringcentral"
/* FALSE once the user unloaded the companion by hand (Tools → Plugins): not loaded again then. */
#define PREF_ROOT           "/plugins/prpl/ringcentral"
#define PREF_LOAD_COMPANION PREF_ROOT "/load_companion"

static PurplePlugin *ipc_plugin;
static guint companion_source;
static gboolean quitting;

/* TRUE when @conv is still an open conversation (IPC callers hold plain pointers). */
static gboolean
conv_is_open (PurpleConversation *conv)
{
  return conv != NULL && g_list_find (purple_get_conversations (), conv) != NULL;
}


/* Why @sender cannot carry a text to @recipients (NULL: nothing known against it), or NULL. */
static char *
refusal_for (RcpAccount *ra, const RcPhoneNumber *sender, GStrv recipients)
{
  g_autoptr (GError) error = NULL;

  if (recipients == NULL
      || rc_senders_check (rcp_account_senders (ra), sender, (const char *const *)recipients, FALSE,
                           &error))
    return NULL;
  return g_strdup (error->message);
}

/* The RingCentral state behind @conv, or NULL (not open, not ours, not connected, not loaded). */
static RcpAccount *
conv_account (PurpleConversation *conv)
{
  RcpAccount *ra;

  if (!conv_is_open (conv))
    return NULL;
  ra = rcp_account_from_account (purple_conversation_get_account (conv));
  return ra != NULL && rcp_account_senders_loaded (ra) ? ra : NULL;
}

static GVariant *
ipc_list_senders (PurpleConversation *conv)
{
  RcpAccount *ra = conv_account (conv);
  GPtrArray *senders;
  const RcPhoneNumber *current;
  g_auto (GStrv) recipients = NULL;
  GVariantBuilder builder;

  if (ra == NULL)
    return NULL;
  senders = rcp_account_senders (ra);
  current = rcp_senders_pick (ra, conv, NULL, purple_conversation_get_type (conv));
  if (current != NULL)
    recipients = rcp_conv_recipients (conv, current->e164);
  g_variant_builder_init (&builder, G_VARIANT_TYPE (RCP_IPC_SENDERS_TYPE));
  for (guint i = 0; i < senders->len; i++) {
    const RcPhoneNumber *n = g_ptr_array_index (senders, i);
    g_autofree char *name = rcp_senders_short_name (n);
    g_autofree char *details = rc_phone_number_describe (n);
    g_autofree char *refusal = refusal_for (ra, n, recipients);

    g_variant_builder_add (&builder, "(sssbs)", n->e164, name, details, n == current,
                           refusal != NULL ? refusal : "");
  }
  return g_variant_ref_sink (g_variant_builder_end (&builder));
}

static gboolean
ipc_choose_sender (PurpleConversation *conv, const char *e164, char **refusal)
{
  RcpAccount *ra = conv_account (conv);
  g_autofree char *why = NULL;
  g_auto (GStrv) recipients = NULL;
  gint index;

  if (refusal != NULL)
    *refusal = NULL;
  if (ra == NULL) {
    why = g_strdup (_ ("Sign in to RingCentral first."));
  } else if (e164 == NULL || *e164 == '\0') {
    rcp_senders_run_from_text (ra, conv, "default");
    return TRUE;
  } else if ((index = rc_senders_index_of (rcp_account_senders (ra), e164)) < 0) {
    g_autofree char *shown = rc_phone_format (e164);
    why = g_strdup_printf (_ ("%s is no longer one of your send-from numbers."), shown);
  } else {
    recipients = rcp_conv_recipients (conv, e164);
    why = refusal_for (ra, g_ptr_array_index (rcp_account_senders (ra), index), recipients);
    if (why == NULL) {
      /* Exactly what /from does (the confirmation line, the remembered choice, the signal). */
      rcp_senders_run_from_text (ra, conv, e164);
      return TRUE;
    }
  }
  purple_debug_info (IPC_DEBUG, "send-from choice refused: %s\n", why);
  if (refusal != NULL)
    *refusal = g_steal_pointer (&why);
  return FALSE;
}

/* The senders.c hook: the signal for @conv, or for each open conversation of @account. */
static void
sender_changed (PurpleAccount *account, PurpleConversation *conv)
{
  GList *convs;

  if (ipc_plugin == NULL)
    return;
  if (conv != NULL) {
    purple_signal_emit (ipc_plugin, RCP_IPC_SENDER_CHANGED, conv);
    return;
  }
  /* A copy: a handler may close conversations. */
  convs = g_list_copy (purple_get_conversations ());
  for (GList *l = convs; l != NULL; l = l->next)
    if (conv_is_open (l->data) && purple_conversation_get_account (l->data) == account)
      purple_signal_emit (ipc_plugin, RCP_IPC_SENDER_CHANGED, l->data);
  g_list_free (convs);
}

static gboolean
load_companion_cb (gpointer data)
{
  PurplePlugin *companion;

  companion_source = 0;
  if (g_strcmp0 (purple_core_get_ui (), RCP_IPC_PIDGIN_UI) != 0)
    return G_SOURCE_REMOVE;
  companion = purple_plugins_find_with_id (RCP_IPC_COMPANION_ID);
  if (!purple_prefs_get_bool (PREF_LOAD_COMPANION)) {
    purple_debug_info (IPC_DEBUG, "the Pidgin companion was turned off by hand: not loading it\n");
    return G_SOURCE_REMOVE;
  }
  if (companion == NULL) {
    purple_debug_info (IPC_DEBUG, "the Pidgin companion (%s) is not installed\n",
                       RCP_IPC_COMPANION_ID);
    return G_SOURCE_REMOVE;
  }
  if (!purple_plugin_is_loaded (companion) && !purple_plugin_load (companion))
    purple_debug_warning (IPC_DEBUG, "could not load the Pidgin companion: %s\n",
                          companion->error != NULL ? companion->error : "no reason given");
  return G_SOURCE_REMOVE;
}

static void
quitting_cb (gpointer data)
{
  quitting = TRUE;
}

/* The user's own loading and unloading of the companion (not ours, not at quit) is remembered. */
static void
plugin_toggled_cb (PurplePlugin *plugin, gpointer loaded)
{
  const char *id = plugin->info != NULL ? plugin->info->id : NULL;

  if (!quitting && g_strcmp0 (id, RCP_IPC_COMPANION_ID) == 0)
    purple_prefs_set_bool (PREF_LOAD_COMPANION, GPOINTER_TO_INT (loaded));
}

void
rcp_ipc_init (PurplePlugin *plugin)
{
  ipc_plugin = plugin;
  purple_plugin_ipc_register (plugin, RCP_IPC_LIST_SENDERS, PURPLE_CALLBACK (ipc_list_senders),
                              purple_marshal_POINTER__POINTER,
                              purple_value_new (PURPLE_TYPE_POINTER), 1,
                              purple_value_new (PURPLE_TYPE_SUBTYPE, PURPLE_SUBTYPE_CONVERSATION));
  purple_plugin_ipc_register (
      plugin, RCP_IPC_CHOOSE_SENDER, PURPLE_CALLBACK (ipc_choose_sender),
      purple_marshal_BOOLEAN__POINTER_POINTER_POINTER, purple_value_new (PURPLE_TYPE_BOOLEAN), 3,
      purple_value_new (PURPLE_TYPE_SUBTYPE, PURPLE_SUBTYPE_CONVERSATION),
      purple_value_new (PURPLE_TYPE_STRING), purple_value_new_outgoing (PURPLE_TYPE_STRING));
  purple_signal_register (plugin, RCP_IPC_SENDER_CHANGED, purple_marshal_VOID__POINTER, NULL, 1,
                          purple_value_new (PURPLE_TYPE_SUBTYPE, PURPLE_SUBTYPE_CONVERSATION));
  rcp_senders_set_changed_hook (sender_changed);
  purple_prefs_add_none (PREF_ROOT);
  purple_prefs_add_bool (PREF_LOAD_COMPANION, TRUE);
  quitting = FALSE;
  purple_signal_connect (purple_get_core (), "quitting", plugin, PURPLE_CALLBACK (quitting_cb),
                         NULL);
  purple_signal_connect (purple_plugins_get_handle (), "plugin-load", plugin,
                         PURPLE_CALLBACK (plugin_toggled_cb), GINT_TO_POINTER (TRUE));
  purple_signal_connect (purple_plugins_get_handle (), "plugin-unload", plugin,
                         PURPLE_CALLBACK (plugin_toggled_cb), GINT_TO_POINTER (FALSE));
  /* Plugins are still being probed while protocol plugins load: the companion may not be known
   * yet. The first main-loop turn comes after Pidgin loaded the plugins the user saved. */
  companion_source = purple_timeout_add (0, load_companion_cb, NULL);
}

void
rcp_ipc_uninit (PurplePlugin *plugin)
{
  if (companion_source != 0)
    purple_timeout_remove (companion_source);
  companion_source = 0;
  rcp_senders_set_changed_hook (NULL);
  purple_signal_unregister (plugin, RCP_IPC_SENDER_CHANGED);
  purple_plugin_ipc_unregister_all (plugin);
  ipc_plugin = NULL;
}
