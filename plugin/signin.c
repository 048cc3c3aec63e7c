/* signin.c: browser sign-in prompts, "Sign Out of RingCentral", revoke on account removal. */
#include "rcp-keyring.h"
#include "rcp-signin.h"

#include <glib/gi18n-lib.h>
#include <purple.h>

#include "rc-browser-sign-in.h"
#include "rc-pkce.h"
#include "rc-session.h"

#define RCP_DEBUG "ringcentral"

/* One browser sign-in in progress. It lives until its run returns, even when the connection went
 * away first (then @ra is NULL). */
typedef struct {
  RcpAccount *ra;
  RcBrowserSignIn *attempt;
  GCancellable *cancellable;
  void *request; /* the paste dialog, or NULL once it is closed */
} Attempt;

/* RcpAccount* → Attempt*: at most one per connection. */
static GHashTable *attempts;

static void
attempt_close_request (Attempt *a)
{
  void *request = g_steal_pointer (&a->request);

  if (request != NULL)
    purple_request_close (PURPLE_REQUEST_INPUT, request);
}

static void
attempt_detach (Attempt *a)
{
  if (a->ra != NULL && attempts != NULL)
    g_hash_table_remove (attempts, a->ra);
  a->ra = NULL;
}

static void
on_run_done (GObject *source, GAsyncResult *result, gpointer user_data)
{
  Attempt *a = user_data;
  g_autoptr (GError) error = NULL;
  gboolean ok = rc_browser_sign_in_run_finish (RC_BROWSER_SIGN_IN (source), result, &error);
  RcpAccount *ra = a->ra;

  attempt_close_request (a);
  attempt_detach (a);
  g_clear_object (&a->attempt);
  g_clear_object (&a->cancellable);
  g_free (a);
  if (ra == NULL) /* the connection is gone */
    return;
  if (ok) {
    purple_debug_info (RCP_DEBUG, "browser sign-in done\n");
    rc_session_authorized (ra->session);
    return;
  }
  purple_debug_warning (RCP_DEBUG, "browser sign-in failed: %s\n", error->message);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    purple_connection_error_reason (ra->gc, PURPLE_CONNECTION_ERROR_AUTHENTICATION_FAILED,
                                    _ ("The RingCentral sign-in was cancelled."));
  else
    purple_connection_error_reason (ra->gc, PURPLE_CONNECTION_ERROR_AUTHENTICATION_FAILED,
                                    error->message);
}

/* The paste dialog's OK: the address the browser ended at. */
static void
on_pasted (gpointer user_data, const char *text)
{
  Attempt *a = user_data;

  a->request = NULL; /* libpurple closes it after this callback */
  if (a->attempt != NULL)
    rc_browser_sign_in_paste (a->attempt, text);
}

static void
on_paste_cancelled (gpointer user_data, const char *text)
{
  Attempt *a = user_data;

  a->request = NULL;
  g_cancellable_cancel (a->cancellable);
}

void
rcp_signin_start (RcpAccount *ra)
{
  g_autoptr (GError) error = NULL;
  const char *redirect_uri;
  g_autofree char *secondary = NULL;
  Attempt *a;
  int timeout;

  g_return_if_fail (ra != NULL);
  if (attempts == NULL)
    attempts = g_hash_table_new (NULL, NULL);
  if (g_hash_table_contains (attempts, ra))
    return; /* asked already */

  redirect_uri = purple_account_get_string (ra->account, "redirect_uri", NULL);
  a = g_new0 (Attempt, 1);
  a->attempt = rc_browser_sign_in_new (rc_session_get_client (ra->session), redirect_uri, &error);
  if (a->attempt == NULL) {
    g_free (a);
    purple_connection_error_reason (ra->gc, PURPLE_CONNECTION_ERROR_INVALID_SETTINGS,
                                    error->message);
    return;
  }
  a->ra = ra;
  a->cancellable = g_cancellable_new ();
  g_hash_table_insert (attempts, ra, a);
  timeout = purple_account_get_int (ra->account, "oauth_timeout", RC_BROWSER_SIGN_IN_TIMEOUT_S);
  rc_browser_sign_in_set_timeout (a->attempt,
                                  timeout > 0 ? (guint)timeout : RC_BROWSER_SIGN_IN_TIMEOUT_S);
  rc_browser_sign_in_run_async (a->attempt, a->cancellable, on_run_done, a);

  purple_debug_info (RCP_DEBUG, "browser sign-in: waiting (redirect URI %s)\n",
                     rc_browser_sign_in_get_redirect_uri (a->attempt));
  purple_connection_update_progress (ra->gc, _ ("Waiting for you to sign in with your browser"),
                                     RC_SESSION_STEP_SIGNING_IN, RC_SESSION_N_STEPS);
  /* Both paths at once: the browser comes back to the loopback listener by itself, or, where it
   * cannot reach this computer (Finch over ssh, bitlbee), the user pastes where it ended. */
  secondary = g_strdup_printf (
      _ ("Open this address in a web browser and sign in to RingCentral:\n\n%s\n\nIf the page "
         "after sign-in does not load (the browser runs on another computer), copy the address "
         "it shows (it starts with %s) and paste it here."),
      rc_browser_sign_in_get_authorize_url (a->attempt),
      rc_browser_sign_in_get_redirect_uri (a->attempt));
  a->request = purple_request_input (
      ra->gc, _ ("Sign in to RingCentral"), _ ("Sign in to RingCentral in your browser"), secondary,
      "", FALSE, FALSE, NULL, _ ("_Sign In"), G_CALLBACK (on_pasted), _ ("_Cancel"),
      G_CALLBACK (on_paste_cancelled), ra->account, NULL, NULL, a);
  purple_notify_uri (ra->gc, rc_browser_sign_in_get_authorize_url (a->attempt));
}

void
rcp_signin_cancel (RcpAccount *ra)
{
  Attempt *a = attempts ? g_hash_table_lookup (attempts, ra) : NULL;

  if (a == NULL)
    return;
  attempt_close_request (a);
  attempt_detach (a);
  g_cancellable_cancel (a->cancellable); /* on_run_done frees it */
}

/* ---- tokens in the account settings ---- */

/* The last tokens of each account (PurpleAccount* → RcTokens*), for the revoke when an account
 * is removed: with a keyring they are not in the account settings, and by then the connection
 * (and its client) is gone. */
static GHashTable *last_tokens;

void
rcp_signin_note_tokens (PurpleAccount *account, const RcTokens *tokens)
{
  RcTokens *copy;

  g_return_if_fail (account != NULL && tokens != NULL);
  if (last_tokens == NULL)
    last_tokens
        = g_hash_table_new_full (g_direct_hash, g_direct_equal, NULL, (GDestroyNotify)rc_tokens_free);
  copy = rc_tokens_new ();
  copy->access_token = g_strdup (tokens->access_token);
  copy->refresh_token = g_strdup (tokens->refresh_token);
  g_hash_table_replace (last_tokens, account, copy);
}

void
rcp_signin_forget_tokens (PurpleAccount *account)
{
  static const char *const keys[] = { "oauth_owner_id", "oauth_access_expires",
                                      "oauth_refresh_expires" };

  /* The tokens themselves wherever they are kept (keyring or accounts.xml). */
  rcp_keyring_save (account, RCP_SECRET_ACCESS_TOKEN, NULL);
  rcp_keyring_save (account, RCP_SECRET_REFRESH_TOKEN, NULL);
  for (gsize i = 0; i < G_N_ELEMENTS (keys); i++)
    purple_account_set_string (account, keys[i], NULL);
  if (last_tokens != NULL)
    g_hash_table_remove (last_tokens, account);
}

static void
on_revoked (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GError) error = NULL;

  /* The guide says revoke errors are to be ignored; the tokens are gone here either way. */
  if (!rc_client_revoke_finish (RC_CLIENT (source), result, &error))
    purple_debug_info (RCP_DEBUG, "revoke: %s\n", error->message);
  else
    purple_debug_info (RCP_DEBUG, "revoke done\n");
}

/* ---- sign out ---- */

void
rcp_signin_action_sign_out (PurplePluginAction *action)
{
  PurpleConnection *gc = action->context;
  RcpAccount *ra = gc ? rcp_account_from_gc (gc) : NULL;
  PurpleAccount *account;

  if (ra == NULL)
    return;
  account = ra->account;
  purple_debug_info (RCP_DEBUG, "signing out: revoking the session\n");
  rcp_signin_cancel (ra);
  /* Forgets the tokens at once ("tokens-changed" clears them from the settings); the request
   * holds its own reference on the client, so it outlives the connection. */
  rc_client_revoke_async (rc_session_get_client (ra->session), NULL, on_revoked, NULL);
  rcp_signin_forget_tokens (account);
  /* Disabled, not just disconnected: libpurple would otherwise reconnect, and the user signed
   * out. Enabling the account again signs in anew. */
  purple_account_set_enabled (account, purple_core_get_ui (), FALSE);
}

/* ---- account removal ---- */

static void
on_account_removed (PurpleAccount *account, gpointer user_data)
{
  const RcTokens *known = last_tokens != NULL ? g_hash_table_lookup (last_tokens, account) : NULL;
  const char *refresh = purple_account_get_string (account, "oauth_refresh_token", NULL);
  const char *access = purple_account_get_string (account, "oauth_access_token", NULL);
  g_autoptr (RcClient) client = NULL;
  g_autoptr (RcTokens) tokens = NULL;
  g_autoptr (GError) error = NULL;

  if (!rcp_account_is_ours (account))
    return;
  if ((refresh == NULL || *refresh == '\0') && known != NULL)
    refresh = known->refresh_token;
  if ((access == NULL || *access == '\0') && known != NULL)
    access = known->access_token;
  if ((refresh == NULL || *refresh == '\0') && (access == NULL || *access == '\0'))
    return;
  const char *server = purple_account_get_string (account, "server_url", NULL);
  const char *secret = purple_account_get_string (account, "client_secret", NULL);

  client = rc_client_new (server && *server ? server : "https://platform.ringcentral.com",
                          purple_account_get_string (account, "client_id", ""),
                          secret && *secret ? secret : NULL, &error);
  if (client == NULL) {
    purple_debug_info (RCP_DEBUG, "account removed; not revoked: %s\n", error->message);
    return;
  }
  tokens = rc_tokens_new ();
  tokens->refresh_token = refresh && *refresh ? g_strdup (refresh) : NULL;
  tokens->access_token = access && *access ? g_strdup (access) : NULL;
  rc_client_set_tokens (client, tokens);
  purple_debug_info (RCP_DEBUG, "account removed: revoking its session\n");
  rc_client_revoke_async (client, NULL, on_revoked, NULL);
  rcp_signin_forget_tokens (account);
}

void
rcp_signin_init (PurplePlugin *plugin)
{
  purple_signal_connect (purple_accounts_get_handle (), "account-removed", plugin,
                         PURPLE_CALLBACK (on_account_removed), NULL);
}
