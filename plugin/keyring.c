/* keyring.c: the account's secrets in a Secret Service keyring (libsecret) when there is one,
 * else in accounts.xml (rcp-keyring.h). */
#include "rcp-keyring.h"

#include <string.h>

#ifdef RCP_HAVE_LIBSECRET
#include <libsecret/secret.h>
#endif

#define RCP_DEBUG             "ringcentral"
#define RCP_KEYRING_TIMEOUT_S 5
#define RCP_KEYRING_PROTOCOL  "prpl-ringcentral"

static const char *const kinds[]
    = { RCP_SECRET_CLIENT_SECRET, RCP_SECRET_ACCESS_TOKEN, RCP_SECRET_REFRESH_TOKEN };
#define N_KINDS G_N_ELEMENTS (kinds)

/* Whether the last load found a Secret Service (saves go there then). */
static gboolean keyring_in_use;

static void
wipe_free (char *secret)
{
  if (secret != NULL)
    memset (secret, 0, strlen (secret));
  g_free (secret);
}

void
rcp_secrets_free (RcpSecrets *secrets)
{
  if (secrets == NULL)
    return;
  wipe_free (secrets->client_secret);
  wipe_free (secrets->access_token);
  wipe_free (secrets->refresh_token);
  g_free (secrets);
}

static char **
secret_slot (RcpSecrets *secrets, guint i)
{
  char **slots[] = { &secrets->client_secret, &secrets->access_token, &secrets->refresh_token };

  return slots[i];
}

static char *
plain_value (PurpleAccount *account, const char *kind)
{
  const char *value = purple_account_get_string (account, kind, NULL);

  return value != NULL && *value != '\0' ? g_strdup (value) : NULL;
}

#ifdef RCP_HAVE_LIBSECRET

static gboolean
account_alive (PurpleAccount *account)
{
  return g_list_find (purple_accounts_get_all (), account) != NULL;
}

static const SecretSchema *
schema (void)
{
  static const SecretSchema the_schema = {
    "im.pidgin.purple.ringcentral",
    SECRET_SCHEMA_NONE,
    {
        { "account", SECRET_SCHEMA_ATTRIBUTE_STRING },
        { "protocol", SECRET_SCHEMA_ATTRIBUTE_STRING },
        { "kind", SECRET_SCHEMA_ATTRIBUTE_STRING },
        { NULL, 0 },
    },
  };

  return &the_schema;
}

/* ---- saving ---- */

typedef struct {
  PurpleAccount *account;
  char *kind;
  char *value; /* NULL: cleared */
} SaveOp;

static void
save_op_free (SaveOp *op)
{
  g_free (op->kind);
  wipe_free (op->value);
  g_free (op);
}

static void
saved (GObject *source, GAsyncResult *result, gpointer user_data)
{
  SaveOp *op = user_data;
  g_autoptr (GError) error = NULL;

  if (op->value != NULL)
    secret_password_store_finish (result, &error);
  else
    secret_password_clear_finish (result, &error);
  if (account_alive (op->account)) {
    if (error != NULL) {
      purple_debug_warning (RCP_DEBUG, "keyring: could not keep %s (%s); kept in accounts.xml\n",
                            op->kind, error->message);
      purple_account_set_string (op->account, op->kind, op->value);
    } else {
      const char *plain = purple_account_get_string (op->account, op->kind, NULL);

      /* Blank only what the keyring now holds (a newer value typed meanwhile stays). */
      if (plain != NULL && *plain != '\0' && g_strcmp0 (plain, op->value) == 0)
        purple_account_set_string (op->account, op->kind, "");
    }
  }
  save_op_free (op);
}

static void
keyring_store (PurpleAccount *account, const char *kind, const char *value)
{
  SaveOp *op = g_new0 (SaveOp, 1);
  const char *user = purple_account_get_username (account);

  op->account = account;
  op->kind = g_strdup (kind);
  op->value = value != NULL && *value != '\0' ? g_strdup (value) : NULL;
  if (op->value != NULL) {
    g_autofree char *label = g_strdup_printf ("RingCentral %s for %s", kind, user);

    secret_password_store (schema (), SECRET_COLLECTION_DEFAULT, label, op->value, NULL, saved, op,
                           "account", user, "protocol", RCP_KEYRING_PROTOCOL, "kind", kind, NULL);
  } else {
    secret_password_clear (schema (), NULL, saved, op, "account", user, "protocol",
                           RCP_KEYRING_PROTOCOL, "kind", kind, NULL);
  }
}

/* ---- loading ---- */

typedef struct {
  PurpleAccount *account;
  RcpSecrets *secrets; /* the accounts.xml values first */
  char *found[N_KINDS];
  guint waiting;
  gboolean failed; /* a lookup failed: no usable Secret Service */
  GCancellable *timeout_cancel;
  guint timeout_id;
} LoadOp;

static void
load_op_free (LoadOp *op)
{
  rcp_secrets_free (op->secrets);
  for (guint i = 0; i < N_KINDS; i++)
    wipe_free (op->found[i]);
  g_clear_handle_id (&op->timeout_id, g_source_remove);
  g_clear_object (&op->timeout_cancel);
  g_free (op);
}

static gboolean
load_timed_out (gpointer user_data)
{
  LoadOp *op = user_data;

  op->timeout_id = 0;
  g_cancellable_cancel (op->timeout_cancel);
  return G_SOURCE_REMOVE;
}

static void
load_complete (GTask *task)
{
  LoadOp *op = g_task_get_task_data (task);
  RcpSecrets *secrets = g_steal_pointer (&op->secrets);

  keyring_in_use = !op->failed;
  secrets->in_keyring = keyring_in_use;
  if (keyring_in_use && account_alive (op->account)) {
    for (guint i = 0; i < N_KINDS; i++) {
      char **slot = secret_slot (secrets, i);

      if (*slot != NULL) {
        purple_debug_info (RCP_DEBUG, "keyring: moving %s from accounts.xml\n", kinds[i]);
        keyring_store (op->account, kinds[i], *slot); /* blanked in accounts.xml once stored */
      } else {
        *slot = g_steal_pointer (&op->found[i]);
      }
    }
  }
  purple_debug_info (RCP_DEBUG, "secrets: %s\n",
                     keyring_in_use ? "in the keyring" : "in accounts.xml (no keyring)");
  g_task_return_pointer (task, secrets, (GDestroyNotify)rcp_secrets_free);
}

typedef struct {
  GTask *task;
  guint index;
} LookupOp;

static void
looked_up (GObject *source, GAsyncResult *result, gpointer user_data)
{
  LookupOp *lookup = user_data;
  g_autoptr (GTask) task = lookup->task;
  LoadOp *op = g_task_get_task_data (task);
  g_autoptr (GError) error = NULL;
  char *value = secret_password_lookup_finish (result, &error);

  if (error != NULL) {
    purple_debug_info (RCP_DEBUG, "keyring: not used (%s)\n", error->message);
    op->failed = TRUE;
  }
  op->found[lookup->index] = value;
  g_free (lookup);
  if (--op->waiting == 0)
    load_complete (task);
}

#endif /* RCP_HAVE_LIBSECRET */

void
rcp_keyring_load_async (PurpleAccount *account, GCancellable *cancellable,
                        GAsyncReadyCallback callback, gpointer user_data)
{
  GTask *task = g_task_new (NULL, cancellable, callback, user_data);
  RcpSecrets *secrets = g_new0 (RcpSecrets, 1);

  g_task_set_source_tag (task, rcp_keyring_load_async);
  for (guint i = 0; i < N_KINDS; i++)
    *secret_slot (secrets, i) = plain_value (account, kinds[i]);
#ifdef RCP_HAVE_LIBSECRET
  {
    LoadOp *op = g_new0 (LoadOp, 1);
    const char *user = purple_account_get_username (account);

    op->account = account;
    op->secrets = secrets;
    op->timeout_cancel = g_cancellable_new ();
    op->timeout_id = g_timeout_add_seconds (RCP_KEYRING_TIMEOUT_S, load_timed_out, op);
    g_task_set_task_data (task, op, (GDestroyNotify)load_op_free);
    op->waiting = N_KINDS;
    for (guint i = 0; i < N_KINDS; i++) {
      LookupOp *lookup = g_new0 (LookupOp, 1);

      lookup->task = g_object_ref (task);
      lookup->index = i;
      secret_password_lookup (schema (), op->timeout_cancel, looked_up, lookup, "account", user,
                              "protocol", RCP_KEYRING_PROTOCOL, "kind", kinds[i], NULL);
    }
    g_object_unref (task);
  }
#else
  keyring_in_use = FALSE;
  g_task_return_pointer (task, secrets, (GDestroyNotify)rcp_secrets_free);
  g_object_unref (task);
#endif
}

RcpSecrets *
rcp_keyring_load_finish (GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

void
rcp_keyring_save (PurpleAccount *account, const char *kind, const char *value)
{
#ifdef RCP_HAVE_LIBSECRET
  if (keyring_in_use) {
    keyring_store (account, kind, value);
    return;
  }
#endif
  purple_account_set_string (account, kind, value);
}
