/* account.c: finding the per-connection state. */
#include "rcp-account.h"

RcpAccount *
rcp_account_from_gc (PurpleConnection *gc)
{
  if (gc == NULL)
    return NULL;
  return purple_connection_get_protocol_data (gc);
}

gboolean
rcp_account_is_ours (PurpleAccount *account)
{
  return account != NULL && g_strcmp0 (purple_account_get_protocol_id (account), RCP_PRPL_ID) == 0;
}

RcpAccount *
rcp_account_from_account (PurpleAccount *account)
{
  if (!rcp_account_is_ours (account))
    return NULL;
  return rcp_account_from_gc (purple_account_get_connection (account));
}

GPtrArray *
rcp_account_senders (RcpAccount *ra)
{
  g_return_val_if_fail (ra != NULL && ra->session != NULL, NULL);
  return rc_sender_list_get (rc_session_get_senders (ra->session));
}

gboolean
rcp_account_senders_loaded (RcpAccount *ra)
{
  g_return_val_if_fail (ra != NULL && ra->session != NULL, FALSE);
  return rc_sender_list_is_loaded (rc_session_get_senders (ra->session));
}
