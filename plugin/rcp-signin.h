/* rcp-signin.h: the libpurple side of browser sign-in and sign-out (signin.c; fact sheet §1):
 * the authorize URL shown with purple_notify_uri() together with a purple_request_input() to paste
 * the address the browser ended at (whichever answers first wins, rc-browser-sign-in.h); the
 * "Sign Out of RingCentral" action (revoke, tokens removed, account disabled so that it stays
 * signed out); revoke when an account is removed. An ordinary disconnect never revokes. */
#pragma once

#include "rcp-account.h"

G_BEGIN_DECLS

/* The session's "authorization-required": starts a browser sign-in for @ra unless one is running
 * (so the user is asked once). Account settings used: redirect_uri (default
 * RC_PKCE_DEFAULT_REDIRECT_URI: it must match the app's registration), oauth_timeout (seconds,
 * hidden, default 300). Success: rc_session_authorized(); failure: the connection ends with the
 * reason (PURPLE_CONNECTION_ERROR_AUTHENTICATION_FAILED, or INVALID_SETTINGS for a bad redirect
 * URI). */
void rcp_signin_start (RcpAccount *ra);
/* Ends @ra's attempt, if any, without a word (close()). */
void rcp_signin_cancel (RcpAccount *ra);

/* The protocol action "Sign Out of RingCentral". */
void rcp_signin_action_sign_out (PurplePluginAction *action);

/* Connects "account-removed" (revoke with the tokens still in the removed account's settings;
 * failures ignored). Call once libpurple's accounts subsystem exists; the plugin's handle
 * disconnects it. */
void rcp_signin_init (PurplePlugin *plugin);

/* Removes the saved tokens (oauth_*) from @account's settings. */
void rcp_signin_forget_tokens (PurpleAccount *account);

/* Remembers @account's current tokens (in memory only) so that removing the account can revoke
 * them even when they live in the keyring; connection.c calls it whenever tokens change or are
 * restored. */
void rcp_signin_note_tokens (PurpleAccount *account, const RcTokens *tokens);

G_END_DECLS
