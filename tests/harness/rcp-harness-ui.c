/* rcp-harness-ui.c: UI ops that record what a user would see and answer requests as scripted. */
#include "rcp-harness-private.h"

RcpHarness *rcp_harness_current;

/* ---- notify ---- */

static void *
notify_message (PurpleNotifyMsgType type, const char *title, const char *primary,
                const char *secondary)
{
  if (rcp_harness_current != NULL) {
    RcpNotifyRecord *rec = g_new0 (RcpNotifyRecord, 1);
    rec->type = type;
    rec->title = g_strdup (title);
    rec->primary = g_strdup (primary);
    rec->secondary = g_strdup (secondary);
    g_ptr_array_add (rcp_harness_current->notifies, rec);
  }
  g_test_message ("notify %d: %s | %s | %s", type, title, primary, secondary);
  /* A non-NULL handle, so libpurple calls close_notify (and the close callback) later. */
  return g_new0 (int, 1);
}

static void *
notify_formatted (const char *title, const char *primary, const char *secondary, const char *text)
{
  return notify_message (PURPLE_NOTIFY_MSG_INFO, title, primary, secondary ? secondary : text);
}

static void *
notify_userinfo (PurpleConnection *gc, const char *who, PurpleNotifyUserInfo *user_info)
{
  return g_new0 (int, 1);
}

static void *
notify_uri (const char *uri)
{
  g_test_message ("notify uri: %s", uri);
  if (rcp_harness_current != NULL)
    g_ptr_array_add (rcp_harness_current->uris, g_strdup (uri));
  return g_new0 (int, 1);
}

static void
close_notify (PurpleNotifyType type, void *ui_handle)
{
  g_free (ui_handle);
}

static PurpleNotifyUiOps notify_ops = {
  .notify_message = notify_message,
  .notify_formatted = notify_formatted,
  .notify_userinfo = notify_userinfo,
  .notify_uri = notify_uri,
  .close_notify = close_notify,
};

/* ---- request ---- */

typedef struct {
  RcpHarness *h;
  RcpRequestRecord *record;
  PurpleRequestType type;
  GCallback ok_cb;
  GCallback cancel_cb;
  void *user_data;
  PurpleRequestFields *fields; /* owned: the UI destroys fields when the request closes */
  GArray *choice_values;       /* int: request_choice values, in label order */
  GPtrArray *action_cbs;       /* PurpleRequestActionCb, request_action */
  RcpAnswer *answer;
  guint idle;
} RcpPendingRequest;

/* Request records are shared by the record list and the pending request (ref-counted). */
static void
request_record_clear (gpointer data)
{
  RcpRequestRecord *rec = data;

  g_free (rec->title);
  g_free (rec->primary);
  g_free (rec->secondary);
  g_ptr_array_unref (rec->field_labels);
  g_ptr_array_unref (rec->choice_labels);
}

static void
request_record_free (gpointer data)
{
  g_rc_box_release_full (data, request_record_clear);
}

void
rcp_harness_answer_free (gpointer data)
{
  RcpAnswer *answer = data;

  if (answer != NULL) {
    g_free (answer->text);
    g_free (answer);
  }
}

static void
pending_free (RcpPendingRequest *p)
{
  if (p->idle != 0)
    g_source_remove (p->idle);
  if (p->fields != NULL)
    purple_request_fields_destroy (p->fields);
  if (p->choice_values != NULL)
    g_array_unref (p->choice_values);
  if (p->action_cbs != NULL)
    g_ptr_array_unref (p->action_cbs);
  rcp_harness_answer_free (p->answer);
  request_record_free (p->record);
  g_free (p);
}

/* The first choice or list field, where an RCP_ANSWER_OK index goes. */
static PurpleRequestField *
first_pickable_field (PurpleRequestFields *fields)
{
  for (GList *g = purple_request_fields_get_groups (fields); g != NULL; g = g->next)
    for (GList *f = purple_request_field_group_get_fields (g->data); f != NULL; f = f->next) {
      PurpleRequestFieldType t = purple_request_field_get_type (f->data);
      if (t == PURPLE_REQUEST_FIELD_CHOICE || t == PURPLE_REQUEST_FIELD_LIST)
        return f->data;
    }
  return NULL;
}

static gboolean
answer_in_idle (gpointer data)
{
  RcpPendingRequest *p = data;
  RcpAnswer *answer = p->answer;
  gboolean ok = answer->kind == RCP_ANSWER_OK;

  p->idle = 0;
  if (ok)
    p->record->answered = TRUE;
  else
    p->record->cancelled = TRUE;

  switch (p->type) {
    case PURPLE_REQUEST_INPUT: {
      GCallback cb = ok ? p->ok_cb : p->cancel_cb;
      if (cb != NULL)
        ((PurpleRequestInputCb)cb) (p->user_data, answer->text ? answer->text : "");
      break;
    }
    case PURPLE_REQUEST_CHOICE: {
      GCallback cb = ok ? p->ok_cb : p->cancel_cb;
      int value = -1;
      if (answer->index >= 0 && (guint)answer->index < p->choice_values->len)
        value = g_array_index (p->choice_values, int, answer->index);
      if (cb != NULL)
        ((PurpleRequestChoiceCb)cb) (p->user_data, value);
      break;
    }
    case PURPLE_REQUEST_ACTION: {
      /* Cancel = the last action, as a dialog's close button picks the cancel-like action. */
      guint i = ok ? (guint)answer->index : p->action_cbs->len - 1;
      if (i < p->action_cbs->len && g_ptr_array_index (p->action_cbs, i) != NULL)
        ((PurpleRequestActionCb)g_ptr_array_index (p->action_cbs, i)) (p->user_data, (int)i);
      break;
    }
    case PURPLE_REQUEST_FIELDS: {
      if (ok) {
        PurpleRequestField *field = first_pickable_field (p->fields);
        if (field != NULL && purple_request_field_get_type (field) == PURPLE_REQUEST_FIELD_CHOICE)
          purple_request_field_choice_set_value (field, answer->index);
        else if (field != NULL) {
          GList *item
              = g_list_nth (purple_request_field_list_get_items (field), (guint)answer->index);
          /* The user's click replaces the pre-selected item. */
          purple_request_field_list_clear_selected (field);
          if (item != NULL)
            purple_request_field_list_add_selected (field, item->data);
        }
        if (p->ok_cb != NULL)
          ((PurpleRequestFieldsCb)p->ok_cb) (p->user_data, p->fields);
      } else if (p->cancel_cb != NULL)
        ((PurpleRequestFieldsCb)p->cancel_cb) (p->user_data, p->fields);
      break;
    }
    default: {
      GCallback cb = ok ? p->ok_cb : p->cancel_cb;
      if (cb != NULL)
        ((PurpleRequestFileCb)cb) (p->user_data, ok ? answer->text : NULL);
      break;
    }
  }

  /* As a UI does after the callback; close_request() frees @p (if the callback did not). */
  if (g_list_find (p->h->pending, p) != NULL)
    purple_request_close (p->type, p);
  return G_SOURCE_REMOVE;
}

static RcpPendingRequest *
pending_new (RcpRequestKind kind, PurpleRequestType type, const char *title, const char *primary,
             const char *secondary, GCallback ok_cb, GCallback cancel_cb, void *user_data)
{
  RcpHarness *h = rcp_harness_current;
  RcpPendingRequest *p;
  RcpRequestRecord *rec;

  g_test_message ("request %d: %s | %s | %s", kind, title, primary, secondary);
  if (h == NULL)
    return NULL; /* libpurple then treats the request as not shown */

  rec = g_rc_box_new0 (RcpRequestRecord);
  rec->kind = kind;
  rec->title = g_strdup (title);
  rec->primary = g_strdup (primary);
  rec->secondary = g_strdup (secondary);
  rec->field_labels = g_ptr_array_new_with_free_func (g_free);
  rec->choice_labels = g_ptr_array_new_with_free_func (g_free);
  g_ptr_array_add (h->requests, rec);

  p = g_new0 (RcpPendingRequest, 1);
  p->h = h;
  p->record = g_rc_box_acquire (rec);
  p->type = type;
  p->ok_cb = ok_cb;
  p->cancel_cb = cancel_cb;
  p->user_data = user_data;
  h->pending = g_list_append (h->pending, p);
  return p;
}

/* Answers from an idle, never re-entrantly from inside purple_request_*(). */
static void
pending_schedule (RcpPendingRequest *p)
{
  p->answer = g_queue_pop_head (&p->h->answers);
  if (p->answer != NULL)
    p->idle = g_idle_add (answer_in_idle, p);
}

static void *
request_input (const char *title, const char *primary, const char *secondary,
               const char *default_value, gboolean multiline, gboolean masked, gchar *hint,
               const char *ok_text, GCallback ok_cb, const char *cancel_text, GCallback cancel_cb,
               PurpleAccount *account, const char *who, PurpleConversation *conv, void *user_data)
{
  RcpPendingRequest *p = pending_new (RCP_REQUEST_INPUT, PURPLE_REQUEST_INPUT, title, primary,
                                      secondary, ok_cb, cancel_cb, user_data);
  if (p != NULL)
    pending_schedule (p);
  return p;
}

static void *
request_choice (const char *title, const char *primary, const char *secondary, int default_value,
                const char *ok_text, GCallback ok_cb, const char *cancel_text, GCallback cancel_cb,
                PurpleAccount *account, const char *who, PurpleConversation *conv, void *user_data,
                va_list choices)
{
  RcpPendingRequest *p = pending_new (RCP_REQUEST_CHOICE, PURPLE_REQUEST_CHOICE, title, primary,
                                      secondary, ok_cb, cancel_cb, user_data);
  const char *label;

  if (p == NULL)
    return NULL;
  p->choice_values = g_array_new (FALSE, FALSE, sizeof (int));
  while ((label = va_arg (choices, const char *)) != NULL) {
    int value = va_arg (choices, int);
    g_ptr_array_add (p->record->choice_labels, g_strdup (label));
    g_array_append_val (p->choice_values, value);
  }
  pending_schedule (p);
  return p;
}

static void *
request_action (const char *title, const char *primary, const char *secondary, int default_action,
                PurpleAccount *account, const char *who, PurpleConversation *conv, void *user_data,
                size_t action_count, va_list actions)
{
  RcpPendingRequest *p = pending_new (RCP_REQUEST_ACTION, PURPLE_REQUEST_ACTION, title, primary,
                                      secondary, NULL, NULL, user_data);

  if (p == NULL)
    return NULL;
  p->action_cbs = g_ptr_array_new ();
  for (size_t i = 0; i < action_count; i++) {
    const char *label = va_arg (actions, const char *);
    PurpleRequestActionCb cb = va_arg (actions, PurpleRequestActionCb);
    g_ptr_array_add (p->record->choice_labels, g_strdup (label));
    g_ptr_array_add (p->action_cbs, (gpointer)cb);
  }
  pending_schedule (p);
  return p;
}

static void *
request_fields (const char *title, const char *primary, const char *secondary,
                PurpleRequestFields *fields, const char *ok_text, GCallback ok_cb,
                const char *cancel_text, GCallback cancel_cb, PurpleAccount *account,
                const char *who, PurpleConversation *conv, void *user_data)
{
  RcpPendingRequest *p = pending_new (RCP_REQUEST_FIELDS, PURPLE_REQUEST_FIELDS, title, primary,
                                      secondary, ok_cb, cancel_cb, user_data);
  PurpleRequestField *pick;

  if (p == NULL)
    return NULL;
  p->fields = fields;
  for (GList *g = purple_request_fields_get_groups (fields); g != NULL; g = g->next)
    for (GList *f = purple_request_field_group_get_fields (g->data); f != NULL; f = f->next)
      g_ptr_array_add (p->record->field_labels,
                       g_strdup (purple_request_field_get_label (f->data)));
  pick = first_pickable_field (fields);
  if (pick != NULL) {
    GList *labels = purple_request_field_get_type (pick) == PURPLE_REQUEST_FIELD_CHOICE
                        ? purple_request_field_choice_get_labels (pick)
                        : purple_request_field_list_get_items (pick);
    for (GList *l = labels; l != NULL; l = l->next)
      g_ptr_array_add (p->record->choice_labels, g_strdup (l->data));
  }
  pending_schedule (p);
  return p;
}

static void *
request_file (const char *title, const char *filename, gboolean savedialog, GCallback ok_cb,
              GCallback cancel_cb, PurpleAccount *account, const char *who,
              PurpleConversation *conv, void *user_data)
{
  RcpPendingRequest *p = pending_new (RCP_REQUEST_FILE, PURPLE_REQUEST_FILE, title, filename, NULL,
                                      ok_cb, cancel_cb, user_data);
  if (p != NULL)
    pending_schedule (p);
  return p;
}

static void *
request_folder (const char *title, const char *dirname, GCallback ok_cb, GCallback cancel_cb,
                PurpleAccount *account, const char *who, PurpleConversation *conv, void *user_data)
{
  RcpPendingRequest *p = pending_new (RCP_REQUEST_FOLDER, PURPLE_REQUEST_FOLDER, title, dirname,
                                      NULL, ok_cb, cancel_cb, user_data);
  if (p != NULL)
    pending_schedule (p);
  return p;
}

static void
close_request (PurpleRequestType type, void *ui_handle)
{
  RcpPendingRequest *p = ui_handle;

  if (!p->record->answered)
    p->record->cancelled = TRUE;
  p->h->pending = g_list_remove (p->h->pending, p);
  pending_free (p);
}

static PurpleRequestUiOps request_ops = {
  .request_input = request_input,
  .request_choice = request_choice,
  .request_action = request_action,
  .request_fields = request_fields,
  .request_file = request_file,
  .close_request = close_request,
  .request_folder = request_folder,
};

void
rcp_harness_ui_close_pending (RcpHarness *h)
{
  while (h->pending != NULL) {
    RcpPendingRequest *p = h->pending->data;
    purple_request_close (p->type, p);
    /* purple_request_close() ignores handles it does not know; free those ourselves. */
    if (h->pending != NULL && h->pending->data == p) {
      h->pending = g_list_remove (h->pending, p);
      pending_free (p);
    }
  }
}

gboolean
rcp_harness_answer_pending (RcpHarness *h, RcpAnswerKind kind, int index, const char *text)
{
  for (GList *l = h->pending; l != NULL; l = l->next) {
    RcpPendingRequest *p = l->data;
    RcpAnswer *answer;

    if (p->answer != NULL)
      continue;
    answer = g_new0 (RcpAnswer, 1);
    answer->kind = kind;
    answer->index = index;
    answer->text = g_strdup (text);
    p->answer = answer;
    p->idle = g_idle_add (answer_in_idle, p);
    return TRUE;
  }
  return FALSE;
}

void
rcp_harness_script_answer (RcpHarness *h, RcpAnswerKind kind, int index, const char *text)
{
  RcpAnswer *answer = g_new0 (RcpAnswer, 1);

  answer->kind = kind;
  answer->index = index;
  answer->text = g_strdup (text);
  g_queue_push_tail (&h->answers, answer);
}

/* ---- conversations ---- */

static void
write_conv (PurpleConversation *conv, const char *name, const char *alias, const char *message,
            PurpleMessageFlags flags, time_t mtime)
{
  RcpWriteRecord *rec;

  g_test_message ("[%s] %s: %s (flags 0x%x)", purple_conversation_get_name (conv),
                  name ? name : "-", message, flags);
  if (rcp_harness_current == NULL)
    return;
  rec = g_new0 (RcpWriteRecord, 1);
  rec->conv_name = g_strdup (purple_conversation_get_name (conv));
  rec->conv_type = purple_conversation_get_type (conv);
  rec->who = g_strdup (name);
  rec->text = g_strdup (message);
  rec->flags = flags;
  g_ptr_array_add (rcp_harness_current->writes, rec);
}

static PurpleConversationUiOps conv_ops = {
  .write_conv = write_conv,
};

static void
received_im_msg (PurpleAccount *account, char *sender, char *message, PurpleConversation *conv,
                 PurpleMessageFlags flags, gpointer data)
{
  RcpReceivedRecord *rec;

  if (rcp_harness_current == NULL || account != rcp_harness_current->account)
    return;
  rec = g_new0 (RcpReceivedRecord, 1);
  rec->who = g_strdup (sender);
  rec->text = g_strdup (message);
  rec->flags = flags;
  g_ptr_array_add (rcp_harness_current->received, rec);
}

/* ---- connections ---- */

static void
connect_progress (PurpleConnection *gc, const char *text, size_t step, size_t step_count)
{
  g_test_message ("progress %zu/%zu: %s", step, step_count, text);
  if (rcp_harness_current != NULL)
    g_ptr_array_add (rcp_harness_current->progress, g_strdup (text));
}

static PurpleConnectionUiOps connection_ops = {
  .connect_progress = connect_progress,
};

static void
signed_on (PurpleConnection *gc, gpointer data)
{
  RcpHarness *h = rcp_harness_current;

  if (h != NULL && purple_connection_get_account (gc) == h->account)
    h->signed_on = TRUE;
}

static void
connection_error (PurpleConnection *gc, PurpleConnectionError reason, const char *description,
                  gpointer data)
{
  RcpHarness *h = rcp_harness_current;

  g_test_message ("connection-error %d: %s", reason, description);
  if (h == NULL || purple_connection_get_account (gc) != h->account)
    return;
  h->got_error = TRUE;
  h->error_reason = reason;
  g_free (h->error_description);
  h->error_description = g_strdup (description);
  h->connection_errors++;
}

void
rcp_harness_ui_install (void)
{
  static int handle;

  purple_notify_set_ui_ops (&notify_ops);
  purple_request_set_ui_ops (&request_ops);
  purple_conversations_set_ui_ops (&conv_ops);
  purple_connections_set_ui_ops (&connection_ops);
  purple_signal_connect (purple_connections_get_handle (), "signed-on", &handle,
                         PURPLE_CALLBACK (signed_on), NULL);
  purple_signal_connect (purple_connections_get_handle (), "connection-error", &handle,
                         PURPLE_CALLBACK (connection_error), NULL);
  purple_signal_connect (purple_conversations_get_handle (), "received-im-msg", &handle,
                         PURPLE_CALLBACK (received_im_msg), NULL);
}

/* ---- records ---- */

static void
notify_record_free (gpointer data)
{
  RcpNotifyRecord *rec = data;

  g_free (rec->title);
  g_free (rec->primary);
  g_free (rec->secondary);
  g_free (rec);
}

static void
write_record_free (gpointer data)
{
  RcpWriteRecord *rec = data;

  g_free (rec->conv_name);
  g_free (rec->who);
  g_free (rec->text);
  g_free (rec);
}

static void
received_record_free (gpointer data)
{
  RcpReceivedRecord *rec = data;

  g_free (rec->who);
  g_free (rec->text);
  g_free (rec);
}

void
rcp_harness_clear_records (RcpHarness *h)
{
  g_clear_pointer (&h->notifies, g_ptr_array_unref);
  g_clear_pointer (&h->requests, g_ptr_array_unref);
  g_clear_pointer (&h->writes, g_ptr_array_unref);
  g_clear_pointer (&h->received, g_ptr_array_unref);
  g_clear_pointer (&h->progress, g_ptr_array_unref);
  g_clear_pointer (&h->uris, g_ptr_array_unref);
  h->uris = g_ptr_array_new_with_free_func (g_free);
  h->notifies = g_ptr_array_new_with_free_func (notify_record_free);
  h->requests = g_ptr_array_new_with_free_func (request_record_free);
  h->writes = g_ptr_array_new_with_free_func (write_record_free);
  h->received = g_ptr_array_new_with_free_func (received_record_free);
  h->progress = g_ptr_array_new_with_free_func (g_free);
  h->connection_errors = 0;
}
