/* rc-sender-list.c: the send-from numbers with their texting registration. */
#include "rc-sender-list.h"

#include <string.h>

#include "rc-registration.h"

#define DEFAULT_REGISTRATION_WAIT_MS 5000
/* Entries kept by rc_sender_list_save_registration() at most (the numbers of the list). */
#define CHECKED_SAVED_MAX 10000

/* What a registration check found for one number, and when (Unix seconds, wall clock). */
typedef struct {
  RcRegistration registration;
  char *campaign_status;
  gint64 checked_at;
} Checked;

static void
checked_free (Checked *c)
{
  g_free (c->campaign_status);
  g_free (c);
}

struct _RcSenderList {
  GObject parent_instance;

  RcClient *client;
  GPtrArray *numbers; /* RcPhoneNumber* */
  gboolean loaded;
  guint registration_wait_ms;
  GHashTable *checked; /* number id → Checked*: answers younger than RC_SENDER_LIST_RECHECK_S */
};

enum { SIGNAL_CHANGED, SIGNAL_ANSWERED, N_SIGNALS };
static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (RcSenderList, rc_sender_list, G_TYPE_OBJECT)

static void
rc_sender_list_finalize (GObject *object)
{
  RcSenderList *self = RC_SENDER_LIST (object);

  g_clear_object (&self->client);
  g_clear_pointer (&self->numbers, g_ptr_array_unref);
  g_clear_pointer (&self->checked, g_hash_table_unref);
  G_OBJECT_CLASS (rc_sender_list_parent_class)->finalize (object);
}

static void
rc_sender_list_class_init (RcSenderListClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = rc_sender_list_finalize;
  signals[SIGNAL_CHANGED] = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                          0, NULL, NULL, NULL, G_TYPE_NONE, 0);
  signals[SIGNAL_ANSWERED] = g_signal_new ("answered", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                           0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
rc_sender_list_init (RcSenderList *self)
{
  self->numbers = g_ptr_array_new_with_free_func ((GDestroyNotify)rc_phone_number_free);
  self->registration_wait_ms = DEFAULT_REGISTRATION_WAIT_MS;
  self->checked
      = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify)checked_free);
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

/* ---- remembered registration checks ---- */

static void
remember (RcSenderList *self, const RcPhoneNumber *n, gint64 when)
{
  Checked *c = g_new0 (Checked, 1);

  c->registration = n->registration;
  c->campaign_status = g_strdup (n->campaign_status);
  c->checked_at = when;
  g_hash_table_replace (self->checked, g_strdup (n->id), c);
}

/* Fills in the numbers of @fresh checked less than RC_SENDER_LIST_RECHECK_S ago; returns the
 * others (RcPhoneNumber*, borrowed from @fresh, in list order): those to ask about. */
static GPtrArray *
apply_remembered (RcSenderList *self, GPtrArray *fresh)
{
  GPtrArray *unchecked = g_ptr_array_new ();
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;

  for (guint i = 0; i < fresh->len; i++) {
    RcPhoneNumber *n = fresh->pdata[i];
    Checked *c = n->id != NULL ? g_hash_table_lookup (self->checked, n->id) : NULL;

    if (c != NULL && c->checked_at <= now && now - c->checked_at < RC_SENDER_LIST_RECHECK_S) {
      n->registration = c->registration;
      g_free (n->campaign_status);
      n->campaign_status = g_strdup (c->campaign_status);
    } else {
      g_ptr_array_add (unchecked, n);
    }
  }
  return unchecked;
}

char *
rc_sender_list_save_registration (RcSenderList *self)
{
  g_autoptr (JsonBuilder) builder = json_builder_new ();
  g_autoptr (JsonGenerator) generator = json_generator_new ();
  g_autoptr (JsonNode) root = NULL;
  guint saved = 0;

  g_return_val_if_fail (RC_IS_SENDER_LIST (self), NULL);

  /* {"id": [registration, "status" or null, checked_at], ...}, for the numbers of the list. */
  json_builder_begin_object (builder);
  for (guint i = 0; i < self->numbers->len && saved < CHECKED_SAVED_MAX; i++) {
    const RcPhoneNumber *n = self->numbers->pdata[i];
    Checked *c = n->id != NULL ? g_hash_table_lookup (self->checked, n->id) : NULL;

    if (c == NULL)
      continue;
    json_builder_set_member_name (builder, n->id);
    json_builder_begin_array (builder);
    json_builder_add_int_value (builder, c->registration);
    if (c->campaign_status != NULL)
      json_builder_add_string_value (builder, c->campaign_status);
    else
      json_builder_add_null_value (builder);
    json_builder_add_int_value (builder, c->checked_at);
    json_builder_end_array (builder);
    saved++;
  }
  json_builder_end_object (builder);
  if (saved == 0)
    return NULL;
  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  return json_generator_to_data (generator, NULL);
}

void
rc_sender_list_restore_registration (RcSenderList *self, const char *saved)
{
  g_autoptr (JsonParser) parser = NULL;
  JsonNode *root;
  JsonObjectIter iter;
  const char *id;
  JsonNode *value;
  guint restored = 0;

  g_return_if_fail (RC_IS_SENDER_LIST (self));
  if (saved == NULL || *saved == '\0' || strlen (saved) > CHECKED_SAVED_MAX * 200)
    return;
  parser = json_parser_new ();
  if (!json_parser_load_from_data (parser, saved, -1, NULL))
    return;
  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    return;
  json_object_iter_init (&iter, json_node_get_object (root));
  while (json_object_iter_next (&iter, &id, &value) && restored < CHECKED_SAVED_MAX) {
    JsonArray *a;
    JsonNode *reg, *status, *when;
    Checked *c;

    if (!JSON_NODE_HOLDS_ARRAY (value)
        || json_array_get_length (a = json_node_get_array (value)) != 3)
      continue; /* damaged entries are skipped */
    reg = json_array_get_element (a, 0);
    status = json_array_get_element (a, 1);
    when = json_array_get_element (a, 2);
    if (json_node_get_value_type (reg) != G_TYPE_INT64
        || json_node_get_value_type (when) != G_TYPE_INT64
        || json_node_get_int (reg) < RC_REGISTRATION_UNKNOWN
        || json_node_get_int (reg) > RC_REGISTRATION_NOT_CONFIRMED
        || !(JSON_NODE_HOLDS_NULL (status)
             || (json_node_get_value_type (status) == G_TYPE_STRING
                 && strlen (json_node_get_string (status)) <= 64)))
      continue;
    c = g_new0 (Checked, 1);
    c->registration = (RcRegistration)json_node_get_int (reg);
    c->campaign_status
        = JSON_NODE_HOLDS_NULL (status) ? NULL : g_strdup (json_node_get_string (status));
    c->checked_at = json_node_get_int (when);
    g_hash_table_replace (self->checked, g_strdup (id), c);
    restored++;
  }
}

void
rc_sender_list_forget_registration (RcSenderList *self)
{
  g_return_if_fail (RC_IS_SENDER_LIST (self));
  g_hash_table_remove_all (self->checked);
}

/* ---- refresh ---- */

typedef struct {
  GPtrArray *fresh;     /* the new list, once fetched */
  GPtrArray *unchecked; /* RcPhoneNumber*, borrowed from @fresh: those asked about */
  guint wait_id;    /* registration wait */
  gboolean applied; /* the list was handed out (the task may still wait for registration) */
  gboolean registration_pending;
} Refresh;

static void
refresh_free (Refresh *r)
{
  if (r->wait_id != 0)
    g_source_remove (r->wait_id);
  g_clear_pointer (&r->unchecked, g_ptr_array_unref);
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
  g_autoptr (GPtrArray) checked = NULL;
  gboolean late = r->applied;
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;

  /* Fails only when cancelled. */
  if (r->wait_id != 0) {
    g_source_remove (r->wait_id);
    r->wait_id = 0;
  }
  checked = rc_registration_fetch_finish_checked (RC_CLIENT (source), result, &error);
  if (checked == NULL) {
    g_debug ("texting registration not checked: %s", error->message);
    if (!r->applied) {
      g_task_return_error (task, g_steal_pointer (&error));
      r->applied = TRUE;
    }
    return;
  }
  /* Remember what was answered (not what failed: it is asked again next time). */
  for (guint i = 0; i < r->unchecked->len; i++) {
    const RcPhoneNumber *n = r->unchecked->pdata[i];

    for (guint j = 0; j < checked->len; j++)
      if (g_strcmp0 (n->id, checked->pdata[j]) == 0) {
        remember (self, n, now);
        break;
      }
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
  /* Numbers checked within a day are not asked about again: at every sign-on only what is new
   * or stale costs a request (issue 10: the checks must not grow with the number list). */
  r->unchecked = apply_remembered (self, r->fresh);
  if (r->unchecked->len == 0) {
    refresh_apply (task);
    return;
  }
  GCancellable *cancellable = g_task_get_cancellable (task);

  r->wait_id = g_timeout_add_full (G_PRIORITY_DEFAULT, self->registration_wait_ms,
                                   on_registration_wait_over, g_object_ref (task), g_object_unref);
  rc_registration_fetch_async (RC_CLIENT (source), r->unchecked, cancellable,
                               on_registration_fetched, g_steal_pointer (&task));
}

static void
on_numbers_answered (gpointer user_data)
{
  g_signal_emit (user_data, signals[SIGNAL_ANSWERED], 0);
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
  /* @self outlives the fetch: the task holds a reference on it. */
  rc_numbers_fetch_senders_full_async (self->client, on_numbers_answered, self, cancellable,
                                       on_numbers_fetched, task);
}

gboolean
rc_sender_list_refresh_finish (RcSenderList *self, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}
