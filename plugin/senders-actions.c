/* senders-actions.c: the account's send-from protocol actions: set the default, refresh the list,
 * show the list. */
#include <glib/gi18n-lib.h>
#include <string.h>

#include "rc-numbers.h"
#include "rc-phone.h"
#include "rc-senders.h"
#include "rcp-choices.h"
#include "rcp-senders.h"

static void
set_default_ok_cb (PurpleConnection *gc, PurpleRequestFields *fields)
{
  RcpAccount *ra = rcp_account_from_gc (gc);
  PurpleRequestField *field = purple_request_fields_get_field (fields, "sender");
  GList *selected;
  const char *label;
  g_autofree char *name = NULL;
  g_autofree char *primary = NULL;

  if (ra == NULL || field == NULL)
    return;
  /* Match by label: the list may have been refreshed while the dialog was open. */
  selected = purple_request_field_list_get_selected (field);
  label = selected != NULL ? selected->data : NULL;
  for (guint i = 0; label != NULL && i < rcp_account_senders (ra)->len; i++) {
    const RcPhoneNumber *n = g_ptr_array_index (rcp_account_senders (ra), i);
    g_autofree char *desc = rc_phone_number_describe (n);
    if (g_strcmp0 (desc, label) != 0)
      continue;
    purple_account_set_string (ra->account, "default_from", n->e164);
    rcp_senders_changed (ra->account, NULL);
    name = rcp_senders_short_name (n);
    primary = g_strdup_printf (_ ("Texts now go out from %s by default."), name);
    purple_notify_info (gc, "RingCentral", primary,
                        _ ("A number chosen in a conversation with /from still wins there."));
    return;
  }
  purple_notify_error (gc, "RingCentral", _ ("The send-from number was not changed"),
                       _ ("The list of numbers changed while the dialog was open. Try again."));
}

static gboolean
require_senders (PurpleConnection *gc, RcpAccount *ra)
{
  if (ra != NULL && rcp_account_senders (ra)->len > 0)
    return TRUE;
  purple_notify_error (gc, "RingCentral", _ ("This login has no number that can send texts."),
                       _ ("Ask your RingCentral administrator to assign an SMS-enabled number to "
                          "your extension."));
  return FALSE;
}

static void
action_set_default (PurplePluginAction *action)
{
  PurpleConnection *gc = action->context;
  RcpAccount *ra = rcp_account_from_gc (gc);
  PurpleRequestFields *fields;
  PurpleRequestFieldGroup *group;
  PurpleRequestField *field;
  g_autofree char *def = NULL;
  gint current;

  if (!require_senders (gc, ra))
    return;
  def = rcp_choices_normalize_setting (
      purple_account_get_string (ra->account, "default_from", NULL));
  current = def != NULL ? rc_senders_index_of (rcp_account_senders (ra), def) : -1;

  fields = purple_request_fields_new ();
  group = purple_request_field_group_new (NULL);
  purple_request_fields_add_group (fields, group);
  /* A single-select list, not a choice field: Finch 2.x reads a choice back one off (its combo ids
   * start at 1), a list is matched by label in both UIs. */
  field = purple_request_field_list_new ("sender", _ ("Send texts from"));
  purple_request_field_list_set_multi_select (field, FALSE);
  for (guint i = 0; i < rcp_account_senders (ra)->len; i++) {
    g_autofree char *desc = rc_phone_number_describe (g_ptr_array_index (rcp_account_senders (ra), i));
    purple_request_field_list_add_icon (field, desc, NULL, GUINT_TO_POINTER (i + 1));
    if ((gint)i == MAX (current, 0))
      purple_request_field_list_add_selected (field, desc);
  }
  purple_request_field_set_required (field, TRUE);
  purple_request_field_group_add_field (group, field);

  purple_request_fields (
      gc, _ ("Default Send-From Number"), _ ("Which number should your texts go out from?"),
      _ ("Used unless a conversation or contact has its own choice (/from)."), fields, _ ("Save"),
      G_CALLBACK (set_default_ok_cb), _ ("Cancel"), NULL, ra->account, NULL, NULL, gc);
}

typedef struct {
  GCancellable *cancellable; /* the connection's: cancelled in close(), so gc is alive if not */
  PurpleConnection *gc;
} RefreshData;

static void
refresh_done_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  RefreshData *rd = user_data;
  g_autoptr (GError) error = NULL;
  gboolean ok = rc_sender_list_refresh_finish (RC_SENDER_LIST (source), result, &error);
  g_autoptr (GCancellable) cancellable = rd->cancellable;
  PurpleConnection *gc = rd->gc;
  RcpAccount *ra;

  g_free (rd);
  if (g_cancellable_is_cancelled (cancellable) || (ra = rcp_account_from_gc (gc)) == NULL)
    return;
  if (!ok) {
    purple_notify_error (gc, "RingCentral", _ ("Could not refresh the send-from numbers"),
                         error->message);
    return;
  }
  /* connection.c applied the new list on "changed" already. */
  if (rcp_account_senders (ra)->len > 0) {
    g_autofree char *primary
        = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u number can send texts.",
                                        "%u numbers can send texts.", rcp_account_senders (ra)->len),
                           rcp_account_senders (ra)->len);
    purple_notify_info (gc, "RingCentral", _ ("Send-from numbers refreshed"), primary);
  }
}

static void
action_refresh (PurplePluginAction *action)
{
  PurpleConnection *gc = action->context;
  RcpAccount *ra = rcp_account_from_gc (gc);
  RefreshData *rd;

  if (ra == NULL || ra->session == NULL)
    return;
  rd = g_new0 (RefreshData, 1);
  rd->cancellable = g_object_ref (ra->cancellable);
  rd->gc = gc;
  /* Asked for by the user (a campaign may just have been confirmed): every number is checked
   * again, not only those not checked within a day. */
  rc_sender_list_forget_registration (rc_session_get_senders (ra->session));
  rc_sender_list_refresh_async (rc_session_get_senders (ra->session), ra->cancellable,
                                refresh_done_cb, rd);
}

static void
action_show (PurplePluginAction *action)
{
  PurpleConnection *gc = action->context;
  RcpAccount *ra = rcp_account_from_gc (gc);
  g_autoptr (GString) html = g_string_new (NULL);
  g_autofree char *def = NULL;

  if (!require_senders (gc, ra))
    return;
  def = rcp_choices_normalize_setting (
      purple_account_get_string (ra->account, "default_from", NULL));
  for (guint i = 0; i < rcp_account_senders (ra)->len; i++) {
    const RcPhoneNumber *n = g_ptr_array_index (rcp_account_senders (ra), i);
    g_autofree char *desc = rc_phone_number_describe (n);
    g_autofree char *escaped = g_markup_escape_text (desc, -1);
    g_string_append_printf (html, "%u. %s%s<br>", i + 1, escaped,
                            g_strcmp0 (def, n->e164) == 0 ? _ (" [default]") : "");
  }
  purple_notify_formatted (gc, "RingCentral", _ ("Send-from numbers"),
                           _ ("Type /from in a conversation to switch."), html->str, NULL, NULL);
}

GList *
rcp_senders_actions (PurplePlugin *plugin, gpointer context)
{
  GList *actions = NULL;

  actions = g_list_append (actions, purple_plugin_action_new (_ ("Set Default Send-From Number..."),
                                                              action_set_default));
  actions = g_list_append (actions,
                           purple_plugin_action_new (_ ("Show Send-From Numbers"), action_show));
  actions = g_list_append (
      actions, purple_plugin_action_new (_ ("Refresh Send-From Numbers"), action_refresh));
  return actions;
}
