/* rcp-test-opener.c: a test-only libpurple plugin for tests/pidgin (never installed).
 *
 * Loaded into a real Pidgin by the pidgin-picker test. When a prpl-ringcentral account signs on,
 * it runs that account's protocol action "Set Default Send-From Number..." exactly as Pidgin's
 * Accounts menu would (action->context = gc), so the test needs no fragile menu clicking.
 *
 * It also wraps the UI's request ops (without changing what they do) to record the title and the
 * choices of the dialog the action opens. The test reads that record from the file named by
 * $RCP_TEST_OPENER_REPORT, then looks for a window with that title on the X server: the record
 * says what was asked for, the X server says Pidgin really showed it.
 *
 * With $RCP_TEST_OPENER_OPEN_IM set (a buddy name, e.g. "+16505550199") it opens an IM window
 * with that buddy instead (as a double click in the buddy list would), for the "From:" selector
 * test (pidgin-from-selector.py).
 *
 * With $RCP_TEST_OPENER_JOIN set (the other numbers of a group, e.g. "+16505550199, +14155550123")
 * it joins that group chat instead, as Pidgin's Join a Chat dialog would (serv_join_chat with the
 * component "recipients"), and records the chat's joining and every line written into it, for the
 * group picture test (pidgin-group-picture.py).
 *
 * Report lines (one event a line, "key<TAB>value"):
 *   loaded, signed-on <username>, action <label>, no-action <labels seen>, title <dialog title>,
 *   primary <text>, choice <label>, opened <conversation name>, error <text>;
 *   with RCP_TEST_OPENER_JOIN: join <recipients>, joined <conversation title>,
 *   chat-msg <who> images=<0|1> <message HTML> (one per line written into a chat). */
#include <purple.h>

#include <errno.h>
#include <stdio.h>
#include <string.h>

#define RCP_TEST_OPENER_ID "core-rcp-test-opener"
#define RCP_TEST_PRPL_ID "prpl-ringcentral"
#define RCP_TEST_ACTION_LABEL "Set Default Send-From Number..."

static PurpleRequestUiOps *orig_ops;
static PurpleRequestUiOps wrapped_ops;
/* Set once the action ran: only the dialogs opened after it are recorded. */
static gboolean armed;
static gboolean opened;
static guint idle_id;

static void
report (const char *key, const char *value)
{
  const char *path = g_getenv ("RCP_TEST_OPENER_REPORT");
  g_autofree char *flat = g_strdup (value != NULL ? value : "");

  /* One record a line: no embedded newlines. */
  g_strdelimit (flat, "\r\n\t", ' ');
  purple_debug_info ("rcp-test-opener", "%s\t%s\n", key, flat);
  if (path == NULL || *path == '\0')
    return;

  FILE *f = fopen (path, "a");
  if (f == NULL)
    {
      purple_debug_error ("rcp-test-opener", "cannot open %s: %s\n", path, g_strerror (errno));
      return;
    }
  fprintf (f, "%s\t%s\n", key, flat);
  fclose (f);
}

static void
report_fields (const char *title, const char *primary, PurpleRequestFields *fields)
{
  report ("title", title);
  report ("primary", primary);
  for (GList *g = purple_request_fields_get_groups (fields); g != NULL; g = g->next)
    for (GList *l = purple_request_field_group_get_fields (g->data); l != NULL; l = l->next)
      {
        PurpleRequestField *field = l->data;
        GList *labels = NULL;

        switch (purple_request_field_get_type (field))
          {
          case PURPLE_REQUEST_FIELD_CHOICE:
            labels = purple_request_field_choice_get_labels (field);
            break;
          case PURPLE_REQUEST_FIELD_LIST:
            labels = purple_request_field_list_get_items (field);
            break;
          default:
            break;
          }
        for (; labels != NULL; labels = labels->next)
          report ("choice", labels->data);
      }
}

static void *
wrapped_request_fields (const char *title, const char *primary, const char *secondary,
                        PurpleRequestFields *fields, const char *ok_text, GCallback ok_cb,
                        const char *cancel_text, GCallback cancel_cb, PurpleAccount *account,
                        const char *who, PurpleConversation *conv, void *user_data)
{
  if (armed)
    report_fields (title, primary, fields);
  return orig_ops->request_fields (title, primary, secondary, fields, ok_text, ok_cb, cancel_text,
                                   cancel_cb, account, who, conv, user_data);
}

static void *
wrapped_request_choice (const char *title, const char *primary, const char *secondary,
                        int default_value, const char *ok_text, GCallback ok_cb,
                        const char *cancel_text, GCallback cancel_cb, PurpleAccount *account,
                        const char *who, PurpleConversation *conv, void *user_data,
                        va_list choices)
{
  if (armed)
    {
      va_list copy;
      const char *label;

      report ("title", title);
      report ("primary", primary);
      /* The list is (label, int value) pairs ended by a NULL label. */
      va_copy (copy, choices);
      while ((label = va_arg (copy, const char *)) != NULL)
        {
          report ("choice", label);
          (void) va_arg (copy, int);
        }
      va_end (copy);
    }
  return orig_ops->request_choice (title, primary, secondary, default_value, ok_text, ok_cb,
                                   cancel_text, cancel_cb, account, who, conv, user_data, choices);
}

static void
chat_joined_cb (PurpleConversation *conv, gpointer data)
{
  report ("joined", purple_conversation_get_title (conv));
}

/* "wrote-chat-msg" (conversation-signals.dox): every line written into a chat, received or not. */
static void
wrote_chat_msg_cb (PurpleAccount *account, const char *who, const char *message,
                   PurpleConversation *conv, PurpleMessageFlags flags, gpointer data)
{
  g_autofree char *line = g_strdup_printf ("%s images=%d %s", who != NULL ? who : "",
                                           (flags & PURPLE_MESSAGE_IMAGES) ? 1 : 0,
                                           message != NULL ? message : "");
  report ("chat-msg", line);
}

static gboolean
run_action (gpointer data)
{
  const char *wanted = g_getenv ("RCP_TEST_OPENER_ACTION");
  const char *open_im = g_getenv ("RCP_TEST_OPENER_OPEN_IM");
  const char *join = g_getenv ("RCP_TEST_OPENER_JOIN");
  g_autoptr (GString) seen = g_string_new (NULL);
  PurpleConnection *gc = NULL;
  PurplePlugin *prpl;
  GList *actions;

  idle_id = 0;
  if (wanted == NULL || *wanted == '\0')
    wanted = RCP_TEST_ACTION_LABEL;

  /* Look the connection up again: it may have gone away since signed-on. */
  for (GList *l = purple_connections_get_all (); l != NULL; l = l->next)
    {
      PurpleConnection *c = l->data;
      PurpleAccount *a = purple_connection_get_account (c);

      if (purple_connection_get_state (c) == PURPLE_CONNECTED
          && g_strcmp0 (purple_account_get_protocol_id (a), RCP_TEST_PRPL_ID) == 0)
        {
          gc = c;
          break;
        }
    }
  if (gc == NULL)
    {
      report ("error", "the RingCentral account is no longer connected");
      return G_SOURCE_REMOVE;
    }

  if (join != NULL && *join != '\0')
    {
      GHashTable *components = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);

      /* What Pidgin's Join a Chat dialog hands over (gtkblist.c joinchat_cb): the chat_info
       * entries by identifier; "from" left out, so the plugin picks the group's number. */
      g_hash_table_insert (components, g_strdup ("recipients"), g_strdup (join));
      opened = TRUE;
      report ("join", join);
      serv_join_chat (gc, components);
      g_hash_table_destroy (components);
      return G_SOURCE_REMOVE;
    }
  if (open_im != NULL && *open_im != '\0')
    {
      PurpleConversation *conv = purple_conversation_new (PURPLE_CONV_TYPE_IM,
                                                          purple_connection_get_account (gc),
                                                          open_im);
      opened = TRUE;
      purple_conversation_present (conv);
      report ("opened", purple_conversation_get_name (conv));
      return G_SOURCE_REMOVE;
    }

  prpl = purple_connection_get_prpl (gc);
  if (prpl == NULL || !PURPLE_PLUGIN_HAS_ACTIONS (prpl))
    {
      report ("error", "prpl-ringcentral has no protocol actions");
      return G_SOURCE_REMOVE;
    }

  actions = PURPLE_PLUGIN_ACTIONS (prpl, gc);
  for (GList *l = actions; l != NULL; l = l->next)
    {
      PurplePluginAction *action = l->data;

      if (action == NULL) /* a separator */
        continue;
      g_string_append_printf (seen, "%s\"%s\"", seen->len ? ", " : "", action->label);
      if (!opened && g_strcmp0 (action->label, wanted) == 0 && action->callback != NULL)
        {
          /* What Pidgin's Accounts menu does (gtkblist.c build_plugin_actions / plugin_act). */
          action->plugin = prpl;
          action->context = gc;
          opened = armed = TRUE;
          report ("action", action->label);
          action->callback (action);
        }
    }
  if (!opened)
    report ("no-action", seen->str);
  g_list_free_full (actions, (GDestroyNotify) purple_plugin_action_free);
  return G_SOURCE_REMOVE;
}

static void
maybe_schedule (PurpleConnection *gc)
{
  PurpleAccount *account = purple_connection_get_account (gc);

  if (opened || idle_id != 0
      || g_strcmp0 (purple_account_get_protocol_id (account), RCP_TEST_PRPL_ID) != 0)
    return;
  report ("signed-on", purple_account_get_username (account));
  /* From the main loop, after every other signed-on handler (the prpl's own included) ran. */
  idle_id = g_idle_add (run_action, NULL);
}

static void
signed_on_cb (PurpleConnection *gc, gpointer data)
{
  maybe_schedule (gc);
}

static gboolean
plugin_load (PurplePlugin *plugin)
{
  orig_ops = purple_request_get_ui_ops ();
  if (orig_ops == NULL || orig_ops->request_fields == NULL || orig_ops->request_choice == NULL)
    {
      report ("error", "the UI has no request ops (run this plugin inside Pidgin)");
      return FALSE;
    }
  wrapped_ops = *orig_ops;
  wrapped_ops.request_fields = wrapped_request_fields;
  wrapped_ops.request_choice = wrapped_request_choice;
  purple_request_set_ui_ops (&wrapped_ops);

  purple_signal_connect (purple_connections_get_handle (), "signed-on", plugin,
                         PURPLE_CALLBACK (signed_on_cb), NULL);
  if (g_getenv ("RCP_TEST_OPENER_JOIN") != NULL)
    {
      purple_signal_connect (purple_conversations_get_handle (), "chat-joined", plugin,
                             PURPLE_CALLBACK (chat_joined_cb), NULL);
      purple_signal_connect (purple_conversations_get_handle (), "wrote-chat-msg", plugin,
                             PURPLE_CALLBACK (wrote_chat_msg_cb), NULL);
    }
  report ("loaded", RCP_TEST_OPENER_ID);

  /* Plugins load before auto-login, but cover a connection that is already up. */
  for (GList *l = purple_connections_get_all (); l != NULL; l = l->next)
    if (purple_connection_get_state (l->data) == PURPLE_CONNECTED)
      maybe_schedule (l->data);
  return TRUE;
}

static gboolean
plugin_unload (PurplePlugin *plugin)
{
  if (idle_id != 0)
    g_source_remove (idle_id);
  idle_id = 0;
  if (purple_request_get_ui_ops () == &wrapped_ops)
    purple_request_set_ui_ops (orig_ops);
  purple_signals_disconnect_by_handle (plugin);
  return TRUE;
}

static PurplePluginInfo info = {
  PURPLE_PLUGIN_MAGIC,
  PURPLE_MAJOR_VERSION,
  PURPLE_MINOR_VERSION,
  PURPLE_PLUGIN_STANDARD,
  NULL, /* ui_requirement */
  0,    /* flags */
  NULL, /* dependencies */
  PURPLE_PRIORITY_DEFAULT,
  RCP_TEST_OPENER_ID,
  "RingCentral test opener",
  "0.1",
  "Opens the RingCentral default-number chooser after sign-on (tests only).",
  "Used by purple-ringcentral's Pidgin test; not for users.",
  "purple-ringcentral",
  NULL, /* homepage */
  plugin_load,
  plugin_unload,
  NULL, /* destroy */
  NULL, /* ui_info */
  NULL, /* extra_info */
  NULL, /* prefs_info */
  NULL, /* actions */
  NULL,
  NULL,
  NULL,
  NULL,
};

static void
init_plugin (PurplePlugin *plugin)
{
}

PURPLE_INIT_PLUGIN (rcp_test_opener, init_plugin, info)
