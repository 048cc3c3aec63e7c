/* names.c: contact names as buddy aliases and conversation titles. */
#include "rcp-names.h"

#include "rc-phone.h"

void
rcp_names_title_conversation (RcpAccount *ra, PurpleConversation *conv, const char *who)
{
  const char *name;
  g_autofree char *shown = NULL;
  g_autofree char *title = NULL;

  g_return_if_fail (ra != NULL && conv != NULL);

  if (who == NULL || purple_find_buddy (ra->account, who) != NULL)
    return;
  name = rc_contacts_lookup (rc_session_get_contacts (ra->session), who);
  if (name == NULL)
    return;
  shown = rc_phone_format (who);
  title = g_strdup_printf ("%s (%s)", name, shown);
  purple_conversation_set_title (conv, title);
}

void
rcp_names_apply (RcpAccount *ra)
{
  RcContacts *contacts;
  GSList *buddies;

  g_return_if_fail (ra != NULL);

  contacts = rc_session_get_contacts (ra->session);
  buddies = purple_find_buddies (ra->account, NULL);
  for (GSList *l = buddies; l != NULL; l = l->next) {
    const char *who = purple_buddy_get_name (l->data);
    const char *name = rc_contacts_lookup (contacts, who);

    if (name != NULL && g_strcmp0 (purple_buddy_get_server_alias (l->data), name) != 0)
      serv_got_alias (ra->gc, who, name);
  }
  g_slist_free (buddies);

  for (GList *l = purple_get_ims (); l != NULL; l = l->next) {
    PurpleConversation *conv = l->data;

    if (purple_conversation_get_account (conv) == ra->account)
      rcp_names_title_conversation (ra, conv, purple_conversation_get_name (conv));
  }
}
