/* rcp-keyring.h: where the account's secrets live (keyring.c). With libsecret (optional build
 * dependency libsecret-1) and a Secret Service on the session bus (GNOME Keyring, KWallet ...),
 * the client secret and the OAuth tokens are kept there, schema "im.pidgin.purple.ringcentral",
 * attributes account (the account's user name), protocol ("prpl-ringcentral") and kind (the
 * setting's name below); accounts.xml keeps them blank. Without either, they stay in accounts.xml
 * as before. The JWT credential is the account password: libpurple keeps it. */
#pragma once

#include <gio/gio.h>
#include <purple.h>

G_BEGIN_DECLS

/* The secret settings (their accounts.xml key is the keyring's "kind"). */
#define RCP_SECRET_CLIENT_SECRET "client_secret"
#define RCP_SECRET_ACCESS_TOKEN  "oauth_access_token"
#define RCP_SECRET_REFRESH_TOKEN "oauth_refresh_token"

typedef struct {
  char *client_secret; /* each NULL when absent */
  char *access_token;
  char *refresh_token;
  gboolean in_keyring; /* TRUE: a Secret Service answered and keeps them */
} RcpSecrets;

void rcp_secrets_free (RcpSecrets *secrets);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (RcpSecrets, rcp_secrets_free)

/* Reads the secrets of @account: a value still in accounts.xml wins (it was typed in the account
 * editor, or saved before the keyring was used) and is moved into the keyring, then blanked in
 * accounts.xml once the keyring has it; the others come from the keyring. No Secret Service
 * (no libsecret, no session bus, no answer within 5 s): the values of accounts.xml, untouched.
 * The finish never fails except with G_IO_ERROR_CANCELLED when @cancellable was cancelled (the
 * caller's state may be gone then). */
void rcp_keyring_load_async (PurpleAccount *account, GCancellable *cancellable,
                             GAsyncReadyCallback callback, gpointer user_data);
RcpSecrets *rcp_keyring_load_finish (GAsyncResult *result, GError **error);

/* Keeps @value (NULL or "" clears it) of secret @kind for @account: in the keyring when the last
 * rcp_keyring_load_async() found one (blanking accounts.xml once stored; should the keyring fail,
 * into accounts.xml after all), else in accounts.xml. Asynchronous for the keyring; writes to
 * the same kind keep their order. */
void rcp_keyring_save (PurpleAccount *account, const char *kind, const char *value);

G_END_DECLS
