/* rc-message.c: the RingCentral message record, and sending texts. */
#include "rc-message.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#include "rc-error.h"
#include "rc-json.h"
#include "rc-phone.h"

#define SMS_PATH "/restapi/v1.0/account/~/extension/~/sms"

void
rc_message_free (RcMessage *message)
{
  if (message == NULL)
    return;
  g_free (message->id);
  g_free (message->conversation_id);
  g_free (message->type);
  g_free (message->from);
  g_clear_pointer (&message->to, g_ptr_array_unref);
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
  copy->to = g_ptr_array_new_with_free_func (g_free);
  for (guint i = 0; message->to != NULL && i < message->to->len; i++)
    g_ptr_array_add (copy->to, g_strdup (g_ptr_array_index (message->to, i)));
  copy->owner_number = g_strdup (message->owner_number);
  copy->text = g_strdup (message->text);
  copy->message_status = g_strdup (message->message_status);
  copy->read_status = g_strdup (message->read_status);
  copy->delivery_error_code = g_strdup (message->delivery_error_code);
  copy->availability = g_strdup (message->availability);
  copy->creation_time = message->creation_time;
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
  *out = g_strdup (json_node_get_string (node));
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
  if (!rc_json_holds_string (number) || json_node_get_string (number)[0] == '\0')
    return NULL;
  return json_node_get_string (number);
}

static gboolean
parse_recipients (JsonObject *object, RcMessage *message, GError **error)
{
  JsonNode *to = rc_json_member (object, "to");
  const char *target = NULL;
  JsonArray *array;

  message->to = g_ptr_array_new_with_free_func (g_free);
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
    g_debug ("message creationTime \"%s\" is not ISO 8601", iso8601);
    return 0;
  }
  return g_date_time_to_unix (time);
}

static void
count_attachments (JsonObject *object, RcMessage *message)
{
  JsonNode *attachments = rc_json_member (object, "attachments");
  JsonArray *array;

  if (attachments == NULL || !JSON_NODE_HOLDS_ARRAY (attachments))
    return;
  array = json_node_get_array (attachments);
  for (guint i = 0; i < json_array_get_length (array); i++) {
    JsonNode *entry = json_array_get_element (array, i);
    JsonNode *type;

    if (!JSON_NODE_HOLDS_OBJECT (entry))
      continue;
    type = rc_json_member (json_node_get_object (entry), "type");
    if (rc_json_holds_string (type) && strcmp (json_node_get_string (type), "MmsAttachment") == 0)
      message->attachment_count++;
  }
}

RcMessage *
rc_message_parse (JsonNode *node, GError **error)
{
  g_autoptr (RcMessage) message = NULL;
  g_autofree char *direction = NULL;
  g_autofree char *creation = NULL;
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
      || !take_string (object, "creationTime", &creation)) {
    g_propagate_error (error, bad_shape ("a field of the wrong kind"));
    return NULL;
  }
  message->direction
      = g_strcmp0 (direction, "Outbound") == 0 ? RC_DIRECTION_OUTBOUND : RC_DIRECTION_INBOUND;
  if (message->text == NULL)
    message->text = g_strdup ("");
  message->creation_time = parse_time (creation);

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
  if (!parse_recipients (object, message, error))
    return NULL;
  count_attachments (object, message);
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

static JsonNode *
caller_object (const char *number)
{
  g_autoptr (JsonBuilder) builder = json_builder_new ();

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "phoneNumber");
  json_builder_add_string_value (builder, number);
  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}

JsonNode *
rc_message_build_sms_body (const char *from, const char *const *to, const char *text)
{
  g_autoptr (JsonBuilder) builder = json_builder_new ();

  g_return_val_if_fail (from != NULL && to != NULL && text != NULL, NULL);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "from");
  json_builder_add_value (builder, caller_object (from));
  json_builder_set_member_name (builder, "to");
  json_builder_begin_array (builder);
  for (gsize i = 0; to[i] != NULL; i++)
    json_builder_add_value (builder, caller_object (to[i]));
  json_builder_end_array (builder);
  json_builder_set_member_name (builder, "text");
  json_builder_add_string_value (builder, text);
  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}

/* Local checks: what RingCentral would refuse anyway, refused before anything is sent. */
static gboolean
check_sms (const char *from, const char *const *to, const char *text, GError **error)
{
  gsize units;

  if (text == NULL || text[0] == '\0') {
    g_set_error_literal (error, RC_ERROR, RC_ERROR_INVALID_INPUT, _ ("The text is empty."));
    return FALSE;
  }
  if (to == NULL || to[0] == NULL) {
    g_set_error_literal (error, RC_ERROR, RC_ERROR_INVALID_INPUT, _ ("The text has no recipient."));
    return FALSE;
  }
  units = rc_message_utf16_length (text);
  if (units > RC_MESSAGE_MAX_UTF16) {
    g_set_error (
        error, RC_ERROR, RC_ERROR_INVALID_INPUT,
        _ ("The text is too long: %" G_GSIZE_FORMAT " characters, a text takes at most %d."), units,
        RC_MESSAGE_MAX_UTF16);
    return FALSE;
  }
  if (!rc_phone_is_e164 (from)) {
    g_set_error (error, RC_ERROR, RC_ERROR_INVALID_INPUT,
                 _ ("The send-from number \"%s\" is not a phone number."), from ? from : "");
    return FALSE;
  }
  for (gsize i = 0; to[i] != NULL; i++)
    if (!rc_phone_is_e164 (to[i])) {
      g_set_error (error, RC_ERROR, RC_ERROR_INVALID_INPUT, _ ("\"%s\" is not a phone number."),
                   to[i]);
      return FALSE;
    }
  return TRUE;
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
