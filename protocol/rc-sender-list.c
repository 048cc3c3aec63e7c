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

/* @n's check when it was answered less than RC_SENDER_LIST_RECHECK_S before @now, else NULL. */
static Checked *
remembered (RcSenderList *self, const RcPhoneNumber *n, gint64 now)
{
  Checked *c = n->id != NULL ? g_hash_table_lookup (self->checked, n->id) : NULL;

  if (c != NULL && c->checked_at <= now && now - c->checked_at < RC_SENDER_LIST_RECHECK_S)
    return c;
  return NULL;
}

/* Fills in the numbers of @fresh checked less than RC_SENDER_LIST_RECHECK_S ago; returns the
 * others (RcPhoneNumber*, borrowed from @fresh, in list order): those to ask about. */
static GPtrArray *
apply_remembered (RcSenderList *self, GPtrArray *fresh, gint64 now)
{
  GPtrArray *unchecked = g_ptr_array_new ();

  for (guint i = 0; i < fresh->len; i++) {
    RcPhoneNumber *n = fresh->pdata[i];
    Checked *c = remembered (self, n, now);

    if (c != NULL) {
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

/* The registration checks need only the first RC_REGISTRATION_MAX_NUMBERS texting numbers not
 * checked within a day: they start as soon as the pages read so far hold that many (on_page), or
 * once the whole list is in, beside the rest of the list (issue 10: at 10,000 numbers they no
 * longer wait for the last pages). They run on copies of those numbers (the fetch owns its
 * records until it answers); the answers are copied onto the list's records (copy_back). */
typedef struct {
  GPtrArray *fresh;     /* the new list, once fetched */
  GPtrArray *unchecked; /* RcPhoneNumber*, borrowed from @fresh: those not checked within a day */
  GPtrArray *asked;     /* RcPhoneNumber* copies (owned): the numbers the checks ask about, in list
                         * order (at most RC_REGISTRATION_MAX_NUMBERS) */
  guint scanned;        /* numbers of the pages read so far already looked at by on_page() */
  gint64 now; /* Unix seconds at the start: "within a day" is judged against it, early and late */
  GCancellable *cancellable; /* the checks'; cancelled with the task's, or when the list fails */
  gulong cancel_id;          /* on the task's cancellable */
  gboolean started;          /* the checks were asked for */
  gboolean checking;         /* the checks run */
  gboolean checks_done;      /* they answered: @checked_ids or @checks_error */
  GPtrArray *checked_ids;    /* char*: ids of the numbers that got an answer */
  GError *checks_error;      /* the checks failed (cancelled) */
  GError *list_error;        /* the list failed while the checks ran: answered once they ended */
  guint wait_id;             /* registration wait */
  gboolean applied;  /* the list was handed out (the task may still wait for registration) */
  gboolean answered; /* the task returned */
  GCancellable *task_cancellable; /* the task's (a reference), for @cancel_id */
} Refresh;

static void
refresh_free (Refresh *r)
{
  if (r->wait_id != 0)
    g_source_remove (r->wait_id);
  if (r->cancel_id != 0)
    g_cancellable_disconnect (r->task_cancellable, r->cancel_id);
  g_clear_object (&r->task_cancellable);
  g_clear_object (&r->cancellable);
  g_clear_pointer (&r->checked_ids, g_ptr_array_unref);
  g_clear_error (&r->checks_error);
  g_clear_error (&r->list_error);
  g_clear_pointer (&r->asked, g_ptr_array_unref);
  g_clear_pointer (&r->unchecked, g_ptr_array_unref);
  g_clear_pointer (&r->fresh, g_ptr_array_unref);
  g_free (r);
}

static void
refresh_return_error (GTask *task, GError *error)
{
  Refresh *r = g_task_get_task_data (task);

  r->applied = r->answered = TRUE;
  g_task_return_error (task, error);
}

/* Copies what the checks found so far onto the list's records: @asked is a subsequence of
 * @unchecked (both in list order; the same numbers unless one's day ran out in between). */
static void
copy_back (Refresh *r)
{
  guint j = 0;

  for (guint i = 0; r->asked != NULL && i < r->asked->len; i++) {
    const RcPhoneNumber *from = r->asked->pdata[i];

    while (j < r->unchecked->len
           && (g_strcmp0 (((RcPhoneNumber *)r->unchecked->pdata[j])->id, from->id) != 0
               || g_strcmp0 (((RcPhoneNumber *)r->unchecked->pdata[j])->e164, from->e164) != 0))
      j++;
    if (j == r->unchecked->len)
      return;
    {
      RcPhoneNumber *to = r->unchecked->pdata[j++];

      to->registration = from->registration;
      g_free (to->campaign_status);
      to->campaign_status = g_strdup (from->campaign_status);
    }
  }
}

/* Replaces the list and answers the caller; registration answers that come later are copied onto
 * the same RcPhoneNumber records (the list keeps a reference to the array). */
static void
refresh_apply (GTask *task)
{
  RcSenderList *self = g_task_get_source_object (task);
  Refresh *r = g_task_get_task_data (task);

  if (r->applied)
    return;
  r->applied = r->answered = TRUE;
  copy_back (r);
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

/* Both the list and the checks are in: remembers and copies the answers, hands out the list. */
static void
checks_and_list_in (GTask *task)
{
  RcSenderList *self = g_task_get_source_object (task);
  Refresh *r = g_task_get_task_data (task);
  gboolean late = r->applied;
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;

  if (r->wait_id != 0) {
    g_source_remove (r->wait_id);
    r->wait_id = 0;
  }
  if (r->checks_error != NULL) {
    /* Fails only when cancelled. */
    g_debug ("texting registration not checked: %s", r->checks_error->message);
    if (!r->answered)
      refresh_return_error (task, g_steal_pointer (&r->checks_error));
    return;
  }
  /* Remember what was answered (not what failed: it is asked again next time). */
  for (guint i = 0; i < r->asked->len; i++) {
    const RcPhoneNumber *n = r->asked->pdata[i];

    for (guint j = 0; j < r->checked_ids->len; j++)
      if (g_strcmp0 (n->id, r->checked_ids->pdata[j]) == 0) {
        remember (self, n, now);
        break;
      }
  }
  if (late)
    copy_back (r);
  refresh_apply (task);
  /* Answers that came after the list was handed out: they changed records in place. */
  if (late && self->numbers == r->fresh)
    g_signal_emit (self, signals[SIGNAL_CHANGED], 0);
}

static void
on_registration_fetched (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GTask) task = user_data;
  Refresh *r = g_task_get_task_data (task);

  r->checking = FALSE;
  r->checks_done = TRUE;
  r->checked_ids
      = rc_registration_fetch_finish_checked (RC_CLIENT (source), result, &r->checks_error);
  if (r->list_error != NULL) {
    /* The list failed while the checks ran: answered now that nothing runs any more. */
    refresh_return_error (task, g_steal_pointer (&r->list_error));
    return;
  }
  if (r->fresh != NULL)
    checks_and_list_in (task);
  /* else the list is still being read: on_numbers_fetched() goes on. */
}

/* Asks about the numbers of r->asked; takes nothing. */
static void
checks_start (GTask *task)
{
  RcSenderList *self = g_task_get_source_object (task);
  Refresh *r = g_task_get_task_data (task);

  r->started = r->checking = TRUE;
  rc_registration_fetch_async (self->client, r->asked, r->cancellable, on_registration_fetched,
                               g_object_ref (task));
}

/* A page of numbers was read (RcNumbersPageFunc): the checks start once the list so far holds
 * RC_REGISTRATION_MAX_NUMBERS texting numbers to ask about. */
static void
on_page (GPtrArray *numbers, gpointer user_data)
{
  GTask *task = user_data;
  RcSenderList *self = g_task_get_source_object (task);
  Refresh *r = g_task_get_task_data (task);

  if (r->started)
    return;
  for (; r->scanned < numbers->len && r->asked->len < RC_REGISTRATION_MAX_NUMBERS; r->scanned++) {
    const RcPhoneNumber *n = numbers->pdata[r->scanned];

    if (rc_phone_number_can_text (n) && remembered (self, n, r->now) == NULL)
      g_ptr_array_add (r->asked, rc_phone_number_copy (n));
  }
  if (r->asked->len >= RC_REGISTRATION_MAX_NUMBERS) {
    g_debug ("texting registration: checks start before the last number page");
    checks_start (task);
  }
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
    if (r->checking) {
      /* No check may outlive the refresh: answered once they ended (on_registration_fetched). */
      r->list_error = error;
      g_cancellable_cancel (r->cancellable);
      return;
    }
    refresh_return_error (task, error);
    return;
  }
  /* Numbers checked within a day are not asked about again: at every sign-on only what is new
   * or stale costs a request (issue 10: the checks must not grow with the number list). */
  r->unchecked = apply_remembered (self, r->fresh, r->now);
  if (!r->started) {
    /* Fewer than RC_REGISTRATION_MAX_NUMBERS to ask about: the first ones of the whole list. */
    g_ptr_array_set_size (r->asked, 0);
    for (guint i = 0; i < r->unchecked->len && i < RC_REGISTRATION_MAX_NUMBERS; i++)
      g_ptr_array_add (r->asked, rc_phone_number_copy (r->unchecked->pdata[i]));
    if (r->asked->len == 0) {
      refresh_apply (task);
      return;
    }
    checks_start (task);
  }
  if (r->checks_done) {
    checks_and_list_in (task);
    return;
  }
  r->wait_id = g_timeout_add_full (G_PRIORITY_DEFAULT, self->registration_wait_ms,
                                   on_registration_wait_over, g_object_ref (task), g_object_unref);
}

static void
on_numbers_answered (gpointer user_data)
{
  GTask *task = user_data;

  g_signal_emit (g_task_get_source_object (task), signals[SIGNAL_ANSWERED], 0);
}

static void
on_task_cancelled (GCancellable *cancellable, gpointer user_data)
{
  g_cancellable_cancel (user_data);
}

void
rc_sender_list_refresh_async (RcSenderList *self, GCancellable *cancellable,
                              GAsyncReadyCallback callback, gpointer user_data)
{
  GTask *task;
  Refresh *r;

  g_return_if_fail (RC_IS_SENDER_LIST (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, rc_sender_list_refresh_async);
  r = g_new0 (Refresh, 1);
  r->asked = g_ptr_array_new_with_free_func ((GDestroyNotify)rc_phone_number_free);
  r->now = g_get_real_time () / G_USEC_PER_SEC;
  r->cancellable = g_cancellable_new ();
  if (cancellable != NULL) {
    /* A reference: the task drops its own before its data. */
    r->task_cancellable = g_object_ref (cancellable);
    r->cancel_id = g_cancellable_connect (cancellable, G_CALLBACK (on_task_cancelled),
                                          g_object_ref (r->cancellable), g_object_unref);
  }
  g_task_set_task_data (task, r, (GDestroyNotify)refresh_free);
  /* @task (and through it @self) outlives the fetch: the fetch's callback holds it. */
  rc_numbers_fetch_senders_full_async (self->client, on_numbers_answered, on_page, task,
                                       cancellable, on_numbers_fetched, task);
}

gboolean
rc_sender_list_refresh_finish (RcSenderList *self, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}
