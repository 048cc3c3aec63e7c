/* rcp-harness.c: one test's harness: records, the account, sign-on and driving helpers. */
#include "rcp-harness-private.h"

#include <string.h>

RcpHarness *
rcp_harness_new (void)
{
  RcpHarness *h;

  if (!rcp_harness_core_is_initialised ())
    rcp_harness_core_init (NULL);
  g_assert_null (rcp_harness_current);

  h = g_new0 (RcpHarness, 1);
  g_queue_init (&h->answers);
  rcp_harness_clear_records (h);
  rcp_harness_current = h;
  return h;
}

void
rcp_harness_free (RcpHarness *h)
{
  if (h == NULL)
    return;
  rcp_harness_ui_close_pending (h);
  if (h->account != NULL && rcp_harness_core_is_initialised ()) {
    /* Disconnects (the prpl's close runs now), closes its conversations, forgets it. */
    purple_accounts_delete (h->account);
    h->account = NULL;
    /* Let the 0-timeouts libpurple and the plugin scheduled on the way out run. */
    rcp_harness_run_for (50);
  }
  rcp_harness_ui_close_pending (h);
  g_queue_clear_full (&h->answers, rcp_harness_answer_free);
  g_clear_pointer (&h->notifies, g_ptr_array_unref);
  g_clear_pointer (&h->requests, g_ptr_array_unref);
  g_clear_pointer (&h->writes, g_ptr_array_unref);
  g_clear_pointer (&h->received, g_ptr_array_unref);
  g_clear_pointer (&h->progress, g_ptr_array_unref);
  g_clear_pointer (&h->uris, g_ptr_array_unref);
  g_free (h->error_description);
  if (rcp_harness_current == h)
    rcp_harness_current = NULL;
  g_free (h);
}

GPtrArray *
rcp_harness_notifies (RcpHarness *h)
{
  return h->notifies;
}

GPtrArray *
rcp_harness_uris (RcpHarness *h)
{
  return h->uris;
}

GPtrArray *
rcp_harness_requests (RcpHarness *h)
{
  return h->requests;
}

GPtrArray *
rcp_harness_writes (RcpHarness *h)
{
  return h->writes;
}

GPtrArray *
rcp_harness_received (RcpHarness *h)
{
  return h->received;
}

GPtrArray *
rcp_harness_progress (RcpHarness *h)
{
  return h->progress;
}

guint
rcp_harness_connection_errors (RcpHarness *h)
{
  return h->connection_errors;
}

/* ---- queries over the records ---- */

static gboolean
write_matches (const RcpWriteRecord *rec, const char *conv_name, PurpleMessageFlags flags,
               const char *needle)
{
  if (conv_name != NULL && g_strcmp0 (rec->conv_name, conv_name) != 0)
    return FALSE;
  if ((rec->flags & flags) != flags)
    return FALSE;
  return needle == NULL || (rec->text != NULL && strstr (rec->text, needle) != NULL);
}

guint
rcp_harness_count_writes (RcpHarness *h, const char *conv_name, PurpleMessageFlags flags,
                          const char *needle)
{
  guint n = 0;

  for (guint i = 0; i < h->writes->len; i++)
    if (write_matches (g_ptr_array_index (h->writes, i), conv_name, flags, needle))
      n++;
  return n;
}

const RcpWriteRecord *
rcp_harness_find_write (RcpHarness *h, const char *conv_name, PurpleMessageFlags flags,
                        const char *needle)
{
  for (guint i = 0; i < h->writes->len; i++)
    if (write_matches (g_ptr_array_index (h->writes, i), conv_name, flags, needle))
      return g_ptr_array_index (h->writes, i);
  return NULL;
}

typedef struct {
  RcpHarness *h;
  const char *conv_name;
  PurpleMessageFlags flags;
  const char *needle;
} WriteQuery;

static gboolean
has_write (gpointer data)
{
  WriteQuery *q = data;

  return rcp_harness_find_write (q->h, q->conv_name, q->flags, q->needle) != NULL;
}

gboolean
rcp_harness_wait_for_write (RcpHarness *h, const char *conv_name, PurpleMessageFlags flags,
                            const char *needle, guint timeout_ms)
{
  WriteQuery q = { h, conv_name, flags, needle };

  return rcp_harness_wait_until (has_write, &q, timeout_ms);
}

guint
rcp_harness_count_received (RcpHarness *h, const char *who, const char *needle)
{
  guint n = 0;

  for (guint i = 0; i < h->received->len; i++) {
    RcpReceivedRecord *rec = g_ptr_array_index (h->received, i);
    if (who != NULL && g_strcmp0 (rec->who, who) != 0)
      continue;
    if (needle != NULL && (rec->text == NULL || strstr (rec->text, needle) == NULL))
      continue;
    n++;
  }
  return n;
}

typedef struct {
  RcpHarness *h;
  const char *who;
  const char *needle;
} ReceivedQuery;

static gboolean
has_received (gpointer data)
{
  ReceivedQuery *q = data;

  return rcp_harness_count_received (q->h, q->who, q->needle) > 0;
}

gboolean
rcp_harness_wait_for_received (RcpHarness *h, const char *who, const char *needle, guint timeout_ms)
{
  ReceivedQuery q = { h, who, needle };

  return rcp_harness_wait_until (has_received, &q, timeout_ms);
}

char *
rcp_harness_dump_writes (RcpHarness *h, const char *conv_name)
{
  GString *out = g_string_new (NULL);

  for (guint i = 0; i < h->writes->len; i++) {
    RcpWriteRecord *rec = g_ptr_array_index (h->writes, i);
    if (conv_name != NULL && g_strcmp0 (rec->conv_name, conv_name) != 0)
      continue;
    g_string_append_printf (out, "%s[%s] %s: %s (0x%x)", out->len ? "\n" : "", rec->conv_name,
                            rec->who ? rec->who : "-", rec->text, rec->flags);
  }
  return g_string_free (out, FALSE);
}

/* ---- the account ---- */

PurpleAccount *
rcp_harness_add_account (RcpHarness *h, const char *username, const char *server_url)
{
  PurpleAccount *account;

  g_assert_null (h->account);
  g_assert_null (purple_accounts_find (username, RCP_HARNESS_PRPL_ID));
  account = purple_account_new (username, RCP_HARNESS_PRPL_ID);
  purple_account_set_password (account, RCP_HARNESS_JWT);
  purple_account_set_remember_password (account, TRUE);
  if (server_url != NULL)
    purple_account_set_string (account, "server_url", server_url);
  purple_account_set_string (account, "client_id", RCP_HARNESS_CLIENT_ID);
  purple_account_set_string (account, "client_secret", RCP_HARNESS_CLIENT_SECRET);
  purple_account_set_int (account, "sync_interval", 1);
  purple_accounts_add (account);
  h->account = account;
  return account;
}

PurpleAccount *
rcp_harness_adopt_account (RcpHarness *h, const char *username)
{
  g_assert_null (h->account);
  h->account = purple_accounts_find (username, RCP_HARNESS_PRPL_ID);
  g_assert_nonnull (h->account);
  return h->account;
}

PurpleAccount *
rcp_harness_account (RcpHarness *h)
{
  return h->account;
}

PurpleConnection *
rcp_harness_gc (RcpHarness *h)
{
  return h->account != NULL ? purple_account_get_connection (h->account) : NULL;
}

static gboolean
sign_on_settled (gpointer data)
{
  RcpHarness *h = data;

  return h->signed_on || h->got_error;
}

static gboolean
disconnected (gpointer data)
{
  RcpHarness *h = data;

  return purple_account_get_connection (h->account) == NULL;
}

RcpSignOnResult
rcp_harness_sign_on (RcpHarness *h, guint timeout_ms, PurpleConnectionError *reason,
                     char **description)
{
  g_assert_nonnull (h->account);
  g_assert_null (purple_account_get_connection (h->account));

  h->signed_on = FALSE;
  h->got_error = FALSE;
  g_clear_pointer (&h->error_description, g_free);

  /* Enabling an account whose status is online connects it, as the UIs do. */
  if (!purple_account_get_enabled (h->account, RCP_HARNESS_UI_ID))
    purple_account_set_enabled (h->account, RCP_HARNESS_UI_ID, TRUE);
  else
    purple_account_connect (h->account);

  if (!rcp_harness_wait_until (sign_on_settled, h, timeout_ms))
    return RCP_SIGNON_TIMEOUT;
  if (h->signed_on && !h->got_error)
    return RCP_SIGNON_OK;

  if (reason != NULL)
    *reason = h->error_reason;
  if (description != NULL)
    *description = g_strdup (h->error_description);
  /* purple_connection_error_reason() disconnects from a 0-timeout. */
  rcp_harness_wait_until (disconnected, h, RCP_HARNESS_TIMEOUT_MS);
  return RCP_SIGNON_ERROR;
}

void
rcp_harness_sign_on_ok (RcpHarness *h)
{
  PurpleConnectionError reason = 0;
  g_autofree char *description = NULL;
  RcpSignOnResult result = rcp_harness_sign_on (h, RCP_HARNESS_TIMEOUT_MS, &reason, &description);

  if (result == RCP_SIGNON_TIMEOUT)
    g_error ("sign-on timed out (no signed-on, no connection-error)");
  if (result == RCP_SIGNON_ERROR)
    g_error ("sign-on failed: connection error %d: %s", reason, description);
  g_assert_true (purple_account_is_connected (h->account));
}

void
rcp_harness_sign_off (RcpHarness *h)
{
  g_assert_nonnull (h->account);
  purple_account_disconnect (h->account);
  g_assert_true (rcp_harness_wait_until (disconnected, h, RCP_HARNESS_TIMEOUT_MS));
  h->signed_on = FALSE;
}

/* ---- driving ---- */

PurpleConversation *
rcp_harness_im (RcpHarness *h, const char *who)
{
  PurpleConversation *conv;

  conv = purple_find_conversation_with_account (PURPLE_CONV_TYPE_IM, who, h->account);
  if (conv == NULL)
    conv = purple_conversation_new (PURPLE_CONV_TYPE_IM, h->account, who);
  return conv;
}

PurpleConversation *
rcp_harness_send_im (RcpHarness *h, const char *who, const char *html)
{
  PurpleConversation *conv = rcp_harness_im (h, who);

  purple_conv_im_send (PURPLE_CONV_IM (conv), html);
  return conv;
}

PurpleCmdStatus
rcp_harness_run_command (PurpleConversation *conv, const char *cmdline, char **error)
{
  g_autofree char *markup = g_markup_escape_text (cmdline, -1);
  char *err = NULL;
  PurpleCmdStatus status = purple_cmd_do_command (conv, cmdline, markup, &err);

  if (error != NULL)
    *error = err;
  else
    g_free (err);
  return status;
}

static GList *
plugin_actions (RcpHarness *h, PurplePlugin **plugin_out)
{
  PurplePlugin *plugin = purple_find_prpl (RCP_HARNESS_PRPL_ID);
  PurpleConnection *gc = rcp_harness_gc (h);

  g_assert_nonnull (plugin);
  g_assert_nonnull (gc);
  *plugin_out = plugin;
  if (!PURPLE_PLUGIN_HAS_ACTIONS (plugin))
    return NULL;
  return PURPLE_PLUGIN_ACTIONS (plugin, gc);
}

gboolean
rcp_harness_run_action (RcpHarness *h, const char *label)
{
  PurplePlugin *plugin;
  GList *actions = plugin_actions (h, &plugin);
  gboolean found = FALSE;

  for (GList *l = actions; l != NULL; l = l->next) {
    PurplePluginAction *action = l->data;
    if (action == NULL || found || g_strcmp0 (action->label, label) != 0)
      continue;
    /* As the UIs do before calling it. */
    action->plugin = plugin;
    action->context = rcp_harness_gc (h);
    action->callback (action);
    found = TRUE;
  }
  g_list_free_full (actions, (GDestroyNotify)purple_plugin_action_free);
  return found;
}

char *
rcp_harness_action_labels (RcpHarness *h)
{
  PurplePlugin *plugin;
  GList *actions = plugin_actions (h, &plugin);
  GString *out = g_string_new (NULL);

  for (GList *l = actions; l != NULL; l = l->next)
    if (l->data != NULL)
      g_string_append_printf (out, "%s\"%s\"", out->len ? ", " : "",
                              ((PurplePluginAction *)l->data)->label);
  g_list_free_full (actions, (GDestroyNotify)purple_plugin_action_free);
  return g_string_free (out, FALSE);
}

void
rcp_harness_join_chat (RcpHarness *h, const char *name)
{
  PurpleConnection *gc = rcp_harness_gc (h);
  PurplePluginProtocolInfo *info;
  GHashTable *components;

  g_assert_nonnull (gc);
  info = PURPLE_PLUGIN_PROTOCOL_INFO (purple_connection_get_prpl (gc));
  g_assert_true (PURPLE_PROTOCOL_PLUGIN_HAS_FUNC (info, chat_info_defaults));
  components = info->chat_info_defaults (gc, name);
  g_assert_nonnull (components);
  serv_join_chat (gc, components);
  g_hash_table_destroy (components);
}

PurpleConversation *
rcp_harness_find_chat (RcpHarness *h, const char *name)
{
  return purple_find_conversation_with_account (PURPLE_CONV_TYPE_CHAT, name, h->account);
}
