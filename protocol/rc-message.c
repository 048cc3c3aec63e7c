/* rc-message.c: the RingCentral message record, and sending texts. */
#include "rc-message.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#include "rc-error.h"
#include "rc-json.h"
#include "rc-phone.h"

#define SMS_PATH "/restapi/v1.0/account/~/extension/~/sms"

void
rc_attachment_free (RcAttachment *attachment)
{
  if (attachment == NULL)
    return;
  g_free (attachment->id);
  g_free (attachment->uri);
  g_free (attachment->type);
  g_free (attachment->content_type);
  g_free (attachment->file_name);
  g_free (attachment);
}

RcAttachment *
rc_attachment_copy (const RcAttachment *attachment)
{
  RcAttachment *copy;

  g_return_val_if_fail (attachment != NULL, NULL);
  copy = g_new0 (RcAttachment, 1);
  copy->id = g_strdup (attachment->id);
  copy->uri = g_strdup (attachment->uri);
  copy->type = g_strdup (attachment->type);
  copy->content_type = g_strdup (attachment->content_type);
  copy->size = attachment->size;
  copy->file_name = g_strdup (attachment->file_name);
  return copy;
}

void
rc_message_free (RcMessage *message)
{
  if (message == NULL)
    return;
  g_free (message->id);
  g_free (message->conversation_id);
  g_free (message->type);
  g_free (message->from);
  g_free (message->from_name);
  g_clear_pointer (&message->to, g_ptr_array_unref);
  g_clear_pointer (&message->to_names, g_ptr_array_unref);
  g_clear_pointer (&message->attachments, g_ptr_array_unref);
  g_free (message->owner_number);
  g_free (message->text);
  g_free (message->message_status);
  g_free (message->read_status);
  g_free (message->delivery_error_code);
  g_free (message->availability);
  g_free (message);
}

RcMessage *
rc_message_copy (const RcMessage *message)
{
  RcMessage *copy;

  g_return_val_if_fail (message != NULL, NULL);
  copy = g_new0 (RcMessage, 1);
  copy->id = g_strdup (message->id);
  copy->conversation_id = g_strdup (message->conversation_id);
  copy->type = g_strdup (message->type);
  copy->direction = message->direction;
  copy->from = g_strdup (message->from);
  copy->from_name = g_strdup (message->from_name);
  copy->to = g_ptr_array_new_with_free_func (g_free);
  copy->to_names = g_ptr_array_new_with_free_func (g_free);
  for (guint i = 0; message->to != NULL && i < message->to->len; i++) {
    g_ptr_array_add (copy->to, g_strdup (g_ptr_array_index (message->to, i)));
    g_ptr_array_add (copy->to_names, message->to_names && i < message->to_names->len
                                         ? g_strdup (g_ptr_array_index (message->to_names, i))
                                         : NULL);
  }
  copy->attachments = g_ptr_array_new_with_free_func ((GDestroyNotify)rc_attachment_free);
  for (guint i = 0; message->attachments != NULL && i < message->attachments->len; i++)
    g_ptr_array_add (copy->attachments,
                     rc_attachment_copy (g_ptr_array_index (message->attachments, i)));
  copy->owner_number = g_strdup (message->owner_number);
  copy->text = g_strdup (message->text);
  copy->message_status = g_strdup (message->message_status);
  copy->read_status = g_strdup (message->read_status);
  copy->delivery_error_code = g_strdup (message->delivery_error_code);
  copy->availability = g_strdup (message->availability);
  copy->creation_time = message->creation_time;
  copy->last_modified_time = message->last_modified_time;
  copy->attachment_count = message->attachment_count;
  return copy;
}

/* ---- parsing ---- */

static GError *
bad_shape (const char *what)
{
  return g_error_new (RC_ERROR, RC_ERROR_BAD_RESPONSE,
                      _ ("RingCentral sent a message record we cannot read (%s)."), what);
}

/* A string member copied, NULL when absent; FALSE (wrong shape) when present but not a string. */
static gboolean
take_string (JsonObject *object, const char *name, char **out)
{
  JsonNode *node = rc_json_member (object, name);

  *out = NULL;
  if (node == NULL)
    return TRUE;
  if (!rc_json_holds_string (node))
    return FALSE;
  *out = rc_json_text (node); /* valid UTF-8: a text keeps its end whatever one character is */
  return TRUE;
}

/* The phoneNumber of a caller object ({phoneNumber, name, ...}), as given (not validated: short
 * codes and redacted samples are not E.164; consumers check with rc_phone_is_e164()). */
static const char *
caller_number (JsonNode *node)
{
  JsonNode *number;

  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    return NULL;
  number = rc_json_member (json_node_get_object (node), "phoneNumber");
  if (!rc_json_holds_string (number) || json_node_get_string (number)[0] == '\0'
      || !g_utf8_validate (json_node_get_string (number), -1, NULL))
    return NULL; /* not valid UTF-8: not a number either */
  return json_node_get_string (number);
}

/* The name of a caller object as valid UTF-8 (rc_json_text()), or NULL when absent, empty or not
 * a string. Returns a new string (g_free). */
static char *
caller_name (JsonNode *node)
{
  g_autofree char *name = NULL;

  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    return NULL;
  name = rc_json_text (rc_json_member (json_node_get_object (node), "name"));
  return name != NULL && name[0] != '\0' ? g_steal_pointer (&name) : NULL;
}

static gboolean
parse_recipients (JsonObject *object, RcMessage *message, GError **error)
{
  JsonNode *to = rc_json_member (object, "to");
  const char *target = NULL;
  JsonArray *array;

  message->to = g_ptr_array_new_with_free_func (g_free);
  message->to_names = g_ptr_array_new_with_free_func (g_free);
  if (to == NULL)
    return TRUE;
  if (!JSON_NODE_HOLDS_ARRAY (to)) {
    g_propagate_error (error, bad_shape ("to is not a list"));
    return FALSE;
  }
  array = json_node_get_array (to);
  for (guint i = 0; i < json_array_get_length (array); i++) {
    JsonNode *entry = json_array_get_element (array, i);
    const char *number;
    JsonNode *flag;

    if (!JSON_NODE_HOLDS_OBJECT (entry)) {
      g_propagate_error (error, bad_shape ("a to entry is not an object"));
      return FALSE;
    }
    number = caller_number (entry);
    if (number == NULL)
      continue;
    g_ptr_array_add (message->to, g_strdup (number));
    g_ptr_array_add (message->to_names, caller_name (entry));
    flag = rc_json_member (json_node_get_object (entry), "target");
    if (target == NULL && flag != NULL && JSON_NODE_HOLDS_VALUE (flag)
        && json_node_get_value_type (flag) == G_TYPE_BOOLEAN && json_node_get_boolean (flag))
      target = number;
  }

  /* In a group text our own number is the to[] entry marked target; a 1:1 text has only ours. */
  if (message->direction == RC_DIRECTION_INBOUND) {
    if (target != NULL)
      message->owner_number = g_strdup (target);
    else if (message->to->len == 1)
      message->owner_number = g_strdup (g_ptr_array_index (message->to, 0));
  }
  return TRUE;
}

static gint64
parse_time (const char *iso8601)
{
  g_autoptr (GDateTime) time = NULL;

  if (iso8601 == NULL)
    return 0;
  time = g_date_time_new_from_iso8601 (iso8601, NULL);
  if (time == NULL) {
    g_debug ("message time \"%s\" is not ISO 8601", iso8601);
    return 0;
  }
  return g_date_time_to_unix (time);
}

/* attachments[] (SPEC MessageAttachmentInfo). Tolerant, as before: entries that are not objects
 * are skipped, fields of another kind read as absent. */
static void
parse_attachments (JsonObject *object, RcMessage *message)
{
  JsonNode *attachments = rc_json_member (object, "attachments");
  JsonArray *array;

  message->attachments = g_ptr_array_new_with_free_func ((GDestroyNotify)rc_attachment_free);
  if (attachments == NULL || !JSON_NODE_HOLDS_ARRAY (attachments))
    return;
  array = json_node_get_array (attachments);
  for (guint i = 0; i < json_array_get_length (array); i++) {
    JsonNode *entry = json_array_get_element (array, i);
    JsonObject *o;
    RcAttachment *a;

    if (!JSON_NODE_HOLDS_OBJECT (entry))
      continue;
    o = json_node_get_object (entry);
    a = g_new0 (RcAttachment, 1);
    a->id = rc_json_id (rc_json_member (o, "id"));
    a->uri = g_strdup (rc_json_string (o, "uri"));
    a->type = g_strdup (rc_json_string (o, "type"));
    a->content_type = g_strdup (rc_json_string (o, "contentType"));
    a->size = MAX (rc_json_int (o, "size", 0), 0);
    a->file_name = g_strdup (rc_json_string (o, "fileName"));
    if (g_strcmp0 (a->type, "MmsAttachment") == 0)
      message->attachment_count++;
    g_ptr_array_add (message->attachments, a);
  }
}

RcMessage *
rc_message_parse (JsonNode *node, GError **error)
{
  g_autoptr (RcMessage) message = NULL;
  g_autofree char *direction = NULL;
  g_autofree char *creation = NULL;
  g_autofree char *modified = NULL;
  JsonObject *object;
  JsonNode *conversation, *from;

  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node)) {
    g_propagate_error (error, bad_shape ("not an object"));
    return NULL;
  }
  object = json_node_get_object (node);
  message = g_new0 (RcMessage, 1);

  message->id = rc_json_id (rc_json_member (object, "id"));
  if (message->id == NULL) {
    g_propagate_error (error, bad_shape ("no id"));
    return NULL;
  }
  if (!take_string (object, "type", &message->type) || message->type == NULL) {
    g_propagate_error (error, bad_shape ("no type"));
    return NULL;
  }
  if (!take_string (object, "direction", &direction)
      || !take_string (object, "subject", &message->text)
      || !take_string (object, "messageStatus", &message->message_status)
      || !take_string (object, "readStatus", &message->read_status)
      || !take_string (object, "deliveryErrorCode", &message->delivery_error_code)
      || !take_string (object, "availability", &message->availability)
      || !take_string (object, "creationTime", &creation)
      || !take_string (object, "lastModifiedTime", &modified)) {
    g_propagate_error (error, bad_shape ("a field of the wrong kind"));
    return NULL;
  }
  message->direction
      = g_strcmp0 (direction, "Outbound") == 0 ? RC_DIRECTION_OUTBOUND : RC_DIRECTION_INBOUND;
  if (message->text == NULL)
    message->text = g_strdup ("");
  message->creation_time = parse_time (creation);
  message->last_modified_time = parse_time (modified);

  conversation = rc_json_member (object, "conversation");
  if (conversation != NULL && JSON_NODE_HOLDS_OBJECT (conversation))
    message->conversation_id = rc_json_id (rc_json_member (json_node_get_object (conversation), "id"));
  if (message->conversation_id == NULL)
    message->conversation_id = rc_json_id (rc_json_member (object, "conversationId"));

  from = rc_json_member (object, "from");
  if (from != NULL && !JSON_NODE_HOLDS_OBJECT (from)) {
    g_propagate_error (error, bad_shape ("from is not an object"));
    return NULL;
  }
  message->from = g_strdup (caller_number (from));
  message->from_name = caller_name (from);
  if (!parse_recipients (object, message, error))
    return NULL;
  parse_attachments (object, message);
  return g_steal_pointer (&message);
}

/* ---- sending ---- */

gsize
rc_message_utf16_length (const char *text)
{
  gsize units = 0;
  const char *p = text;

  g_return_val_if_fail (text != NULL, 0);
  while (*p != '\0') {
    gunichar c = g_utf8_get_char_validated (p, -1);

    if (c == (gunichar)-1 || c == (gunichar)-2) {
      units++; /* a stray byte: count it, move on */
      p++;
      continue;
    }
    units += c > 0xFFFF ? 2 : 1;
    p = g_utf8_next_char (p);
  }
  return units;
}

/* {"phoneNumber": @number} as a new node. The body is built as objects directly: a JsonBuilder
 * a caller and one for the body cost three builders a text (bench-send). */
static JsonNode *
caller_object (const char *number)
{
  JsonNode *node = json_node_new (JSON_NODE_OBJECT);
  JsonObject *object = json_object_new ();

  json_object_set_string_member (object, "phoneNumber", number);
  json_node_take_object (node, object);
  return node;
}

JsonNode *
rc_message_build_sms_body (const char *from, const char *const *to, const char *text)
{
  JsonNode *node;
  JsonObject *body;
  JsonArray *list;

  g_return_val_if_fail (from != NULL && to != NULL && text != NULL, NULL);

  node = json_node_new (JSON_NODE_OBJECT);
  body = json_object_new ();
  list = json_array_new ();
  json_object_set_member (body, "from", caller_object (from));
  for (gsize i = 0; to[i] != NULL; i++)
    json_array_add_element (list, caller_object (to[i]));
  json_object_set_array_member (body, "to", list);
  json_object_set_string_member (body, "text", text);
  json_node_take_object (node, body);
  return node;
}

gboolean
rc_message_check_parties (const char *from, const char *const *to, GError **error)
{
  if (to == NULL || to[0] == NULL) {
    g_set_error_literal (error, RC_ERROR, RC_ERROR_INVALID_INPUT, _ ("The text has no recipient."));
    return FALSE;
  }
  if (!rc_phone_is_e164 (from)) {
    g_set_error (error, RC_ERROR, RC_ERROR_INVALID_INPUT,
                 _ ("The send-from number \"%s\" is not a phone number."), from ? from : "");
    return FALSE;
  }
  for (gsize i = 0; to[i] != NULL; i++)
    if (rc_phone_is_short_code (to[i])) {
      /* Texts from short codes arrive, but none can go to one (rc-phone.h). */
      g_set_error (error, RC_ERROR, RC_ERROR_INVALID_INPUT,
                   _ ("\"%s\" is a short code: RingCentral texts only full phone numbers, so "
                      "texts to short codes cannot be sent."),
                   to[i]);
      return FALSE;
    } else if (!rc_phone_is_e164 (to[i])) {
      g_set_error (error, RC_ERROR, RC_ERROR_INVALID_INPUT, _ ("\"%s\" is not a phone number."),
                   to[i]);
      return FALSE;
    }
  return TRUE;
}

gboolean
rc_message_check_text_length (const char *text, GError **error)
{
  gsize units = text ? rc_message_utf16_length (text) : 0;

  if (units > RC_MESSAGE_MAX_UTF16) {
    g_set_error (
        error, RC_ERROR, RC_ERROR_INVALID_INPUT,
        _ ("The text is too long: %lu characters, a text takes at most %d."), (unsigned long)units,
        RC_MESSAGE_MAX_UTF16);
    return FALSE;
  }
  return TRUE;
}

/* Local checks: what RingCentral would refuse anyway, refused before anything is sent. */
static gboolean
check_sms (const char *from, const char *const *to, const char *text, GError **error)
{
  if (text == NULL || text[0] == '\0') {
    g_set_error_literal (error, RC_ERROR, RC_ERROR_INVALID_INPUT, _ ("The text is empty."));
    return FALSE;
  }
  if (!g_utf8_validate (text, -1, NULL)) {
    /* Sent raw, the server's refusal would blame the phone number. */
    g_set_error_literal (error, RC_ERROR, RC_ERROR_INVALID_INPUT,
                         _ ("The text contains invalid characters."));
    return FALSE;
  }
  if (to == NULL || to[0] == NULL)
    return rc_message_check_parties (from, to, error);
  return rc_message_check_text_length (text, error) && rc_message_check_parties (from, to, error);
}

static void
send_sms_done (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GTask) task = user_data;
  g_autoptr (JsonNode) answer = NULL;
  GError *error = NULL;
  RcMessage *message;

  answer = rc_client_request_finish (RC_CLIENT (source), result, &error);
  if (answer == NULL) {
    g_task_return_error (task, error);
    return;
  }
  message = rc_message_parse (answer, &error);
  if (message == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, message, (GDestroyNotify)rc_message_free);
}

void
rc_message_send_sms_async (RcClient *client, const char *from, const char *const *to,
                           const char *text, GCancellable *cancellable,
                           GAsyncReadyCallback callback, gpointer user_data)
{
  g_autoptr (GTask) task = NULL;
  g_autoptr (JsonNode) body = NULL;
  GError *error = NULL;

  g_return_if_fail (RC_IS_CLIENT (client));

  task = g_task_new (client, cancellable, callback, user_data);
  g_task_set_source_tag (task, rc_message_send_sms_async);
  if (!check_sms (from, to, text, &error)) {
    g_task_return_error (task, error);
    return;
  }
  body = rc_message_build_sms_body (from, to, text);
  rc_client_request_async (client, "POST", SMS_PATH, body, cancellable, send_sms_done,
                           g_steal_pointer (&task));
}

RcMessage *
rc_message_send_sms_finish (RcClient *client, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, client), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* ---- marking read ---- */

#define MESSAGE_STORE_PATH "/restapi/v1.0/account/~/extension/~/message-store/"
#define BULK_TYPE          "application/vnd.ringcentral.multipart+json"

typedef struct {
  GPtrArray *ids;     /* char*, validated */
  guint next;         /* index of the first id not yet sent */
  guint in_flight;    /* how many ids the request in flight carries */
  GError *part_error; /* the first failed part of a bulk answer, reported at the end */
} MarkReadData;

static void
mark_read_data_free (MarkReadData *data)
{
  g_ptr_array_unref (data->ids);
  g_clear_error (&data->part_error);
  g_free (data);
}

static gboolean
is_decimal_id (const char *id)
{
  if (id == NULL || id[0] == '\0' || strlen (id) > 20)
    return FALSE;
  for (const char *p = id; *p != '\0'; p++)
    if (!g_ascii_isdigit (*p))
      return FALSE;
  return TRUE;
}

static JsonNode *
read_status_body (void)
{
  g_autoptr (JsonBuilder) builder = json_builder_new ();

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "readStatus");
  json_builder_add_string_value (builder, "Read");
  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}

/* UpdateMessageBulkRequest for ids in the path: one {"body": {...}} per id, in path order. */
static JsonNode *
bulk_body (guint count)
{
  g_autoptr (JsonBuilder) builder = json_builder_new ();

  json_builder_begin_array (builder);
  for (guint i = 0; i < count; i++) {
    json_builder_begin_object (builder);
    json_builder_set_member_name (builder, "body");
    json_builder_add_value (builder, read_status_body ());
    json_builder_end_object (builder);
  }
  json_builder_end_array (builder);
  return json_builder_get_root (builder);
}

/* Reads a 207 GetMessageMultiResponse; a failed part other than 404 goes to @data->part_error. */
static gboolean
check_bulk_answer (JsonNode *answer, MarkReadData *data, GError **error)
{
  JsonArray *parts;

  if (answer == NULL || !JSON_NODE_HOLDS_ARRAY (answer)) {
    g_set_error_literal (error, RC_ERROR, RC_ERROR_BAD_RESPONSE,
                         _ ("RingCentral answered the request to mark texts read with something "
                            "we cannot read."));
    return FALSE;
  }
  parts = json_node_get_array (answer);
  for (guint i = 0; i < json_array_get_length (parts); i++) {
    JsonNode *part = json_array_get_element (parts, i);
    gint64 status;

    if (!JSON_NODE_HOLDS_OBJECT (part)) {
      g_set_error_literal (error, RC_ERROR, RC_ERROR_BAD_RESPONSE,
                           _ ("RingCentral answered the request to mark texts read with "
                              "something we cannot read."));
      return FALSE;
    }
    status = rc_json_int (json_node_get_object (part), "status", 0);
    if ((status >= 200 && status <= 299) || status == 404)
      continue;
    if (data->part_error == NULL) {
      JsonNode *body = rc_json_member (json_node_get_object (part), "body");
      g_autofree char *text = body ? json_to_string (body, FALSE) : NULL;
      g_autoptr (GBytes) bytes = text ? g_bytes_new (text, strlen (text)) : NULL;

      data->part_error
          = rc_error_from_http (status >= 100 && status <= 599 ? (guint)status : 500, bytes, FALSE);
    }
  }
  return TRUE;
}

static void mark_read_next (GTask *task);

static void
mark_read_done (GObject *source, GAsyncResult *result, gpointer user_data)
{
  GTask *task = user_data;
  MarkReadData *data = g_task_get_task_data (task);
  g_autoptr (JsonNode) answer = NULL;
  GError *error = NULL;

  answer = rc_client_request_finish (RC_CLIENT (source), result, &error);
  if (answer == NULL && !g_error_matches (error, RC_ERROR, RC_ERROR_NOT_FOUND)) {
    g_task_return_error (task, error);
    g_object_unref (task);
    return;
  }
  g_clear_error (&error); /* 404: the message is gone, nothing left to mark */
  if (answer != NULL && data->in_flight > 1 && !check_bulk_answer (answer, data, &error)) {
    g_task_return_error (task, error);
    g_object_unref (task);
    return;
  }
  data->next += data->in_flight;
  data->in_flight = 0;
  mark_read_next (task);
}

/* Sends the next RC_MESSAGE_MARK_READ_MAX ids, or finishes. Takes @task's reference. */
static void
mark_read_next (GTask *task)
{
  MarkReadData *data = g_task_get_task_data (task);
  g_autoptr (GString) path = g_string_new (MESSAGE_STORE_PATH);
  g_autoptr (JsonNode) body = NULL;
  guint count = MIN (data->ids->len - data->next, RC_MESSAGE_MARK_READ_MAX);

  if (count == 0) {
    if (data->part_error != NULL)
      g_task_return_error (task, g_steal_pointer (&data->part_error));
    else
      g_task_return_boolean (task, TRUE);
    g_object_unref (task);
    return;
  }
  for (guint i = 0; i < count; i++)
    g_string_append_printf (path, "%s%s", i > 0 ? "," : "",
                            (const char *)g_ptr_array_index (data->ids, data->next + i));
  data->in_flight = count;
  body = count == 1 ? read_status_body () : bulk_body (count);
  rc_client_request_typed_async (g_task_get_source_object (task), "PUT", path->str, body,
                                 count == 1 ? NULL : BULK_TYPE, count == 1 ? NULL : BULK_TYPE,
                                 g_task_get_cancellable (task), mark_read_done, task);
}

void
rc_message_mark_read_async (RcClient *client, const char *const *ids, GCancellable *cancellable,
                            GAsyncReadyCallback callback, gpointer user_data)
{
  GTask *task;
  MarkReadData *data;

  g_return_if_fail (RC_IS_CLIENT (client));

  task = g_task_new (client, cancellable, callback, user_data);
  g_task_set_source_tag (task, rc_message_mark_read_async);
  data = g_new0 (MarkReadData, 1);
  data->ids = g_ptr_array_new_with_free_func (g_free);
  g_task_set_task_data (task, data, (GDestroyNotify)mark_read_data_free);
  for (gsize i = 0; ids != NULL && ids[i] != NULL; i++) {
    if (!is_decimal_id (ids[i])) {
      g_task_return_new_error (task, RC_ERROR, RC_ERROR_INVALID_INPUT,
                               _ ("\"%s\" is not a RingCentral message id."), ids[i]);
      g_object_unref (task);
      return;
    }
    g_ptr_array_add (data->ids, g_strdup (ids[i]));
  }
  mark_read_next (task);
}

gboolean
rc_message_mark_read_finish (RcClient *client, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, client), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}
