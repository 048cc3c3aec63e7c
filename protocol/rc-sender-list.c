/* rc-sender-list.c: the send-from numbers with their texting registration. */
#include "rc-sender-list.h"

#include "rc-registration.h"

#define DEFAULT_REGISTRATION_WAIT_MS 5000

struct _RcSenderList {
  GObject parent_instance;

  RcClient *client;
  GPtrArray *numbers; /* RcPhoneNumber* */
  gboolean loaded;
  guint registration_wait_ms;
};

enum { SIGNAL_CHANGED, N_SIGNALS };
static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (RcSenderList, rc_sender_list, G_TYPE_OBJECT)

static void
rc_sender_list_finalize (GObject *object)
{
  RcSenderList *self = RC_SENDER_LIST (object);

  g_clear_object (&self->client);
  g_clear_pointer (&self->numbers, g_ptr_array_unref);
  G_OBJECT_CLASS (rc_sender_list_parent_class)->finalize (object);
}

static void
rc_sender_list_class_init (RcSenderListClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = rc_sender_list_finalize;
  signals[SIGNAL_CHANGED] = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                          0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
rc_sender_list_init (RcSenderList *self)
{
  self->numbers = g_ptr_array_new_with_free_func ((GDestroyNotify)rc_phone_number_free);
  self->registration_wait_ms = DEFAULT_REGISTRATION_WAIT_MS;
}

RcSenderList *
rc_sender_list_new (RcClient *client)
{
  RcSenderList *self;

  g_return_val_if_fail (RC_IS_CLIENT (client), NULL);
  self = g_object_new (RC_TYPE_SENDER_LIST, NULL);
  self->client = g_object_ref (client);
  return self;
}

GPtrArray *
rc_sender_list_get (RcSenderList *self)
{
  g_return_val_if_fail (RC_IS_SENDER_LIST (self), NULL);
  return self->numbers;
}

gboolean
rc_sender_list_is_loaded (RcSenderList *self)
{
  g_return_val_if_fail (RC_IS_SENDER_LIST (self), FALSE);
  return self->loaded;
}

const RcPhoneNumber *
rc_sender_list_find (RcSenderList *self, const char *e164)
{
  g_return_val_if_fail (RC_IS_SENDER_LIST (self), NULL);

  for (guint i = 0; e164 != NULL && i < self->numbers->len; i++) {
    const RcPhoneNumber *n = g_ptr_array_index (self->numbers, i);

    if (g_strcmp0 (n->e164, e164) == 0)
      return n;
  }
  return NULL;
}

void
rc_sender_list_set_registration_wait (RcSenderList *self, guint ms)
{
  g_return_if_fail (RC_IS_SENDER_LIST (self));
  self->registration_wait_ms = ms;
}

/* ---- refresh ---- */

typedef struct {
  GPtrArray *fresh; /* the new list, once fetched */
  guint wait_id;    /* registration wait */
  gboolean applied; /* the list was handed out (the task may still wait for registration) */
  gboolean registration_pending;
} Refresh;

static void
refresh_free (Refresh *r)
{
  if (r->wait_id != 0)
    g_source_remove (r->wait_id);
  g_clear_pointer (&r->fresh, g_ptr_array_unref);
  g_free (r);
}

/* Replaces the list and answers the caller; registration answers that come later fill in the
 * same RcPhoneNumber records (the list keeps a reference to the array). */
static void
refresh_apply (GTask *task)
{
  RcSenderList *self = g_task_get_source_object (task);
  Refresh *r = g_task_get_task_data (task);

  if (r->applied)
    return;
  r->applied = TRUE;
  g_ptr_array_unref (self->numbers);
  self->numbers = g_ptr_array_ref (r->fresh);
  self->loaded = TRUE;
  g_signal_emit (self, signals[SIGNAL_CHANGED], 0);
  g_task_return_boolean (task, TRUE);
}

static gboolean
on_registration_wait_over (gpointer user_data)
{
  GTask *task = user_data;
  Refresh *r = g_task_get_task_data (task);

  r->wait_id = 0;
  g_debug ("texting registration still loading; numbers handed out meanwhile");
  refresh_apply (task);
  return G_SOURCE_REMOVE;
}

static void
on_registration_fetched (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GTask) task = user_data;
  RcSenderList *self = g_task_get_source_object (task);
  Refresh *r = g_task_get_task_data (task);
  g_autoptr (GError) error = NULL;
  gboolean late = r->applied;

  /* Fails only when cancelled. */
  if (r->wait_id != 0) {
    g_source_remove (r->wait_id);
    r->wait_id = 0;
  }
  if (!rc_registration_fetch_finish (RC_CLIENT (source), result, &error)) {
    g_debug ("texting registration not checked: %s", error->message);
    if (!r->applied) {
      g_task_return_error (task, g_steal_pointer (&error));
      r->applied = TRUE;
    }
    return;
  }
  refresh_apply (task);
  /* Answers that came after the list was handed out: they changed records in place. */
  if (late && self->numbers == r->fresh)
    g_signal_emit (self, signals[SIGNAL_CHANGED], 0);
}

static void
on_numbers_fetched (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GTask) task = user_data;
  RcSenderList *self = g_task_get_source_object (task);
  Refresh *r = g_task_get_task_data (task);
  GError *error = NULL;

  r->fresh = rc_numbers_fetch_senders_finish (RC_CLIENT (source), result, &error);
  if (r->fresh == NULL) {
    g_task_return_error (task, error);
    return;
  }
  if (r->fresh->len == 0) {
    refresh_apply (task);
    return;
  }
  GCancellable *cancellable = g_task_get_cancellable (task);

  r->wait_id = g_timeout_add_full (G_PRIORITY_DEFAULT, self->registration_wait_ms,
                                   on_registration_wait_over, g_object_ref (task), g_object_unref);
  rc_registration_fetch_async (RC_CLIENT (source), r->fresh, cancellable, on_registration_fetched,
                               g_steal_pointer (&task));
}

void
rc_sender_list_refresh_async (RcSenderList *self, GCancellable *cancellable,
                              GAsyncReadyCallback callback, gpointer user_data)
{
  GTask *task;

  g_return_if_fail (RC_IS_SENDER_LIST (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, rc_sender_list_refresh_async);
  g_task_set_task_data (task, g_new0 (Refresh, 1), (GDestroyNotify)refresh_free);
  rc_numbers_fetch_senders_async (self->client, cancellable, on_numbers_fetched, task);
}

gboolean
rc_sender_list_refresh_finish (RcSenderList *self, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}
