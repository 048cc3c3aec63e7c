/* rc-sim-scenario.c: reads a scenario (format in tests/scenarios/README.md) into the RcSim. */
#include "rc-sim-private.h"

#include <string.h>

static const char *
str_member (JsonObject *o, const char *name, const char *fallback)
{
  if (o == NULL || !json_object_has_member (o, name))
    return fallback;
  JsonNode *n = json_object_get_member (o, name);
  if (JSON_NODE_HOLDS_VALUE (n) && json_node_get_value_type (n) == G_TYPE_STRING)
    return json_node_get_string (n);
  return fallback;
}

static gint64
int_member (JsonObject *o, const char *name, gint64 fallback)
{
  if (o == NULL || !json_object_has_member (o, name))
    return fallback;
  JsonNode *n = json_object_get_member (o, name);
  if (JSON_NODE_HOLDS_VALUE (n) && json_node_get_value_type (n) == G_TYPE_INT64)
    return json_node_get_int (n);
  return fallback;
}

static gboolean
bool_member (JsonObject *o, const char *name, gboolean fallback)
{
  if (o == NULL || !json_object_has_member (o, name))
    return fallback;
  JsonNode *n = json_object_get_member (o, name);
  if (JSON_NODE_HOLDS_VALUE (n) && json_node_get_value_type (n) == G_TYPE_BOOLEAN)
    return json_node_get_boolean (n);
  return fallback;
}

static JsonObject *
obj_member (JsonObject *o, const char *name)
{
  if (o == NULL || !json_object_has_member (o, name))
    return NULL;
  JsonNode *n = json_object_get_member (o, name);
  return JSON_NODE_HOLDS_OBJECT (n) ? json_node_get_object (n) : NULL;
}

static JsonArray *
array_member (JsonObject *o, const char *name)
{
  if (o == NULL || !json_object_has_member (o, name))
    return NULL;
  JsonNode *n = json_object_get_member (o, name);
  return JSON_NODE_HOLDS_ARRAY (n) ? json_node_get_array (n) : NULL;
}

/* Element @i when it is a string, else NULL (bad input is refused, never a critical). */
static const char *
array_string (JsonArray *a, guint i)
{
  JsonNode *n = json_array_get_element (a, i);
  if (JSON_NODE_HOLDS_VALUE (n) && json_node_get_value_type (n) == G_TYPE_STRING)
    return json_node_get_string (n);
  return NULL;
}

void
rc_sim_number_free (RcSimNumber *n)
{
  if (n == NULL)
    return;
  g_free (n->phone_number);
  g_free (n->payment_type);
  g_free (n->type);
  g_free (n->usage_type);
  g_free (n->status);
  g_free (n->label);
  g_free (n->campaign_status);
  g_free (n->location);
  g_free (n->country_id);
  g_free (n->country_name);
  g_strfreev (n->features);
  g_free (n);
}

void
rc_sim_contact_free (RcSimContact *c)
{
  if (c == NULL)
    return;
  g_free (c->name);
  g_free (c->phone_number);
  g_free (c->auto_reply);
  g_free (c->delivery_status);
  g_free (c->delivery_error_code);
  g_free (c);
}

/* A number record in scenario form: the UserPhoneNumberInfo field names, "extension": true to
 * attach the scenario's extension, "country" optional (derived from the calling code). */
RcSimNumber *
rc_sim_number_from_json (JsonObject *obj, GError **error)
{
  const char *pn = str_member (obj, "phoneNumber", NULL);
  if (!rc_sim_is_e164 (pn)) {
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                 "number record without a valid E.164 phoneNumber");
    return NULL;
  }
  RcSimNumber *n = g_new0 (RcSimNumber, 1);
  n->id = int_member (obj, "id", 0);
  n->phone_number = g_strdup (pn);
  n->payment_type = g_strdup (str_member (obj, "paymentType", "Local"));
  n->type = g_strdup (str_member (obj, "type", "VoiceFax"));
  n->usage_type = g_strdup (str_member (obj, "usageType", "DirectNumber"));
  n->status = g_strdup (str_member (obj, "status", "Normal"));
  n->label = g_strdup (str_member (obj, "label", NULL));
  n->campaign_status = g_strdup (str_member (obj, "sms_campaign_status", NULL));
  n->sms_config_404 = g_strcmp0 (str_member (obj, "sms_configuration", NULL), "error404") == 0;
  n->location = g_strdup (str_member (obj, "location", NULL));
  JsonObject *country = obj_member (obj, "country");
  gboolean uk = g_str_has_prefix (pn, "+44");
  n->country_id = g_strdup (str_member (country, "id", uk ? "224" : "1"));
  n->country_name
      = g_strdup (str_member (country, "name", uk ? "United Kingdom" : "United States"));
  n->primary = bool_member (obj, "primary", FALSE);
  n->with_extension = bool_member (obj, "extension", FALSE);

  g_autoptr (GStrvBuilder) b = g_strv_builder_new ();
  JsonArray *features = array_member (obj, "features");
  for (guint i = 0; features != NULL && i < json_array_get_length (features); i++) {
    const char *f = array_string (features, i);
    if (f != NULL)
      g_strv_builder_add (b, f);
  }
  n->features = g_strv_builder_end (b);
  return n;
}

RcSimNumber *
rc_sim_find_number (RcSim *self, const char *phone_number)
{
  for (guint i = 0; phone_number != NULL && i < self->numbers->len; i++) {
    RcSimNumber *n = self->numbers->pdata[i];
    if (g_strcmp0 (n->phone_number, phone_number) == 0)
      return n;
  }
  return NULL;
}

RcSimContact *
rc_sim_find_contact (RcSim *self, const char *phone_number)
{
  for (guint i = 0; phone_number != NULL && i < self->contacts->len; i++) {
    RcSimContact *c = self->contacts->pdata[i];
    if (g_strcmp0 (c->phone_number, phone_number) == 0)
      return c;
  }
  return NULL;
}

/* The final failure states of SPEC MessageStatusEnum (fact sheet §3 "Delivery failures"). */
gboolean
rc_sim_delivery_status_valid (const char *status)
{
  return status == NULL || g_str_equal (status, "DeliveryFailed")
         || g_str_equal (status, "SendingFailed");
}

void
rc_sim_set_delivery_failure (RcSim *self, const char *to_number, const char *status,
                             const char *error_code)
{
  g_return_if_fail (RC_IS_SIM (self));
  g_return_if_fail (to_number != NULL);
  g_return_if_fail (rc_sim_delivery_status_valid (status));
  RcSimContact *c = rc_sim_find_contact (self, to_number);
  if (c == NULL) {
    if (status == NULL)
      return;
    /* A nameless contact: records show no name for it, as for any stranger. */
    c = g_new0 (RcSimContact, 1);
    c->phone_number = g_strdup (to_number);
    g_ptr_array_add (self->contacts, c);
  }
  g_free (c->delivery_status);
  g_free (c->delivery_error_code);
  c->delivery_status = g_strdup (status);
  c->delivery_error_code = status != NULL ? g_strdup (error_code) : NULL;
}

static gboolean
load_seed_message (RcSim *self, JsonObject *o, GError **error)
{
  RcSimMessage *m = g_new0 (RcSimMessage, 1);
  m->type = g_strdup (str_member (o, "type", "SMS"));
  m->direction = g_strdup (str_member (o, "direction", "Inbound"));
  m->from = g_strdup (str_member (o, "from", NULL));
  m->from_extension = g_strdup (str_member (o, "from_extension", NULL));
  m->to_extension = g_strdup (str_member (o, "to_extension", NULL));
  m->text = g_strdup (str_member (o, "text", ""));
  m->to = g_ptr_array_new_with_free_func (g_free);
  m->to_names = g_ptr_array_new_with_free_func (g_free);
  JsonArray *to = array_member (o, "to");
  for (guint i = 0; to != NULL && i < json_array_get_length (to); i++) {
    const char *t = array_string (to, i);
    RcSimContact *c = rc_sim_find_contact (self, t);
    g_ptr_array_add (m->to, g_strdup (t));
    g_ptr_array_add (m->to_names, c ? g_strdup (c->name) : NULL);
  }
  gboolean inbound = g_str_equal (m->direction, "Inbound");
  m->read_status = g_strdup (str_member (o, "read_status", inbound ? "Unread" : "Read"));
  m->message_status
      = g_strdup (str_member (o, "message_status", inbound ? "Received" : "Delivered"));
  m->availability = g_strdup ("Alive");
  RcSimContact *fc = rc_sim_find_contact (self, m->from);
  m->from_name = fc ? g_strdup (fc->name) : NULL;

  gboolean to_ok = m->to->len > 0;
  for (guint i = 0; i < m->to->len; i++)
    to_ok = to_ok && rc_sim_is_e164 (m->to->pdata[i]);
  if ((!g_str_equal (m->type, "SMS") && !g_str_equal (m->type, "Pager"))
      || (!inbound && !g_str_equal (m->direction, "Outbound"))) {
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                 "seed message: type must be SMS or Pager, direction Inbound or Outbound");
    rc_sim_message_free (m);
    return FALSE;
  }
  if (g_str_equal (m->type, "SMS")) {
    if (!rc_sim_is_e164 (m->from) || !to_ok) {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   "SMS seed message needs \"from\" and \"to\" in E.164");
      rc_sim_message_free (m);
      return FALSE;
    }
    /* Our number is the sender for outbound, the first recipient for inbound. */
    g_autoptr (GPtrArray) others = g_ptr_array_new ();
    if (inbound) {
      m->owner_number = g_strdup (m->to->pdata[0]);
      g_ptr_array_add (others, m->from);
      for (guint i = 1; i < m->to->len; i++)
        g_ptr_array_add (others, m->to->pdata[i]);
    } else {
      m->owner_number = g_strdup (m->from);
      for (guint i = 0; i < m->to->len; i++)
        g_ptr_array_add (others, m->to->pdata[i]);
    }
    m->conversation_id = rc_sim_conversation_id (m->owner_number, others);
  } else {
    g_autoptr (GPtrArray) others = g_ptr_array_new ();
    g_ptr_array_add (others, m->from_extension ? m->from_extension : (char *)"ext");
    m->conversation_id = rc_sim_conversation_id (m->to_extension ? m->to_extension : "ext", others);
  }
  gint64 age = int_member (o, "age_seconds", 0);
  m->creation_us = rc_sim_now_us (self) - age * G_USEC_PER_SEC;
  m->modified_us = m->creation_us;
  if (g_str_equal (m->message_status, "Delivered"))
    m->delivery_us = m->creation_us;
  rc_sim_store_add (self, m);
  return TRUE;
}

gboolean
rc_sim_scenario_load (RcSim *self, JsonNode *root, GError **error)
{
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root)) {
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "scenario is not a JSON object");
    return FALSE;
  }
  JsonObject *s = json_node_get_object (root);
  JsonObject *creds = obj_member (s, "credentials");
  JsonObject *account = obj_member (s, "account");
  JsonObject *op = obj_member (account, "operator");
  JsonObject *ext = obj_member (s, "extension");
  JsonObject *settings = obj_member (s, "settings");

  self->client_id = g_strdup (str_member (creds, "client_id", "demo-client-id"));
  self->client_secret = g_strdup (str_member (creds, "client_secret", "demo-client-secret"));
  self->jwt = g_strdup (str_member (creds, "jwt", "demo-jwt"));
  self->auth_code_ttl_s = (guint)CLAMP (int_member (settings, "auth_code_ttl", 60), 1, 3600);
  rc_sim_authorize_init (self, array_member (creds, "redirect_uris"));
  self->account_id = int_member (account, "id", 400000001);
  self->main_number = g_strdup (str_member (account, "main_number", "+16505550101"));
  self->extension_id = int_member (ext, "id", 400000101);
  self->extension_number = g_strdup (str_member (ext, "extension_number", "101"));
  self->extension_name = g_strdup (str_member (ext, "name", "Test User"));
  self->operator_id = int_member (op, "id", self->extension_id);
  self->operator_extension_number
      = g_strdup (str_member (op, "extension_number", self->extension_number));
  self->access_ttl = (guint)CLAMP (int_member (settings, "access_token_ttl", 3600), 1, G_MAXINT32);
  self->refresh_ttl
      = (guint)CLAMP (int_member (settings, "refresh_token_ttl", 604800), 1, G_MAXINT32);
  self->max_per_page = (guint)CLAMP (int_member (settings, "max_per_page", 1000), 1, 1000);
  self->delivery_delay_ms
      = (guint)CLAMP (int_member (settings, "delivery_delay_ms", 500), 0, G_MAXINT32);
  /* Before the seed messages, whose age_seconds count back from the simulator's now. */
  self->clock_offset_s = CLAMP (int_member (settings, "clock_offset_s", 0),
                                -(gint64)10 * 365 * 86400, (gint64)10 * 365 * 86400);

  JsonArray *numbers = array_member (s, "numbers");
  for (guint i = 0; numbers != NULL && i < json_array_get_length (numbers); i++) {
    JsonNode *n = json_array_get_element (numbers, i);
    RcSimNumber *num = JSON_NODE_HOLDS_OBJECT (n)
                           ? rc_sim_number_from_json (json_node_get_object (n), error)
                           : NULL;
    if (num == NULL) {
      if (error != NULL && *error == NULL)
        g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "bad number record %u", i);
      return FALSE;
    }
    if (num->id == 0)
      num->id = 500000001 + i;
    g_ptr_array_add (self->numbers, num);
  }

  JsonArray *contacts = array_member (s, "contacts");
  for (guint i = 0; contacts != NULL && i < json_array_get_length (contacts); i++) {
    JsonNode *n = json_array_get_element (contacts, i);
    JsonObject *o = JSON_NODE_HOLDS_OBJECT (n) ? json_node_get_object (n) : NULL;
    if (o == NULL || !rc_sim_is_e164 (str_member (o, "phone_number", NULL))) {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   "contact %u needs an E.164 \"phone_number\"", i);
      return FALSE;
    }
    RcSimContact *c = g_new0 (RcSimContact, 1);
    c->name = g_strdup (str_member (o, "name", NULL));
    c->phone_number = g_strdup (str_member (o, "phone_number", NULL));
    c->auto_reply = g_strdup (str_member (o, "auto_reply", NULL));
    c->reply_delay_ms = (guint)CLAMP (int_member (o, "reply_delay_ms", 0), 0, G_MAXINT32);
    g_ptr_array_add (self->contacts, c);
    JsonObject *delivery = obj_member (o, "delivery");
    const char *status = str_member (delivery, "status", NULL);
    if (delivery != NULL && (status == NULL || !rc_sim_delivery_status_valid (status))) {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   "contact %u: delivery.status must be DeliveryFailed or SendingFailed", i);
      return FALSE;
    }
    c->delivery_status = g_strdup (status);
    c->delivery_error_code = g_strdup (str_member (delivery, "error_code", NULL));
  }

  if (!rc_sim_rate_load (self, s, error))
    return FALSE;
  if (!rc_sim_contacts_load (self, s, error))
    return FALSE;

  JsonArray *messages = array_member (s, "messages");
  for (guint i = 0; messages != NULL && i < json_array_get_length (messages); i++) {
    JsonNode *n = json_array_get_element (messages, i);
    if (!JSON_NODE_HOLDS_OBJECT (n)) {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "message %u is not an object", i);
      return FALSE;
    }
    if (!load_seed_message (self, json_node_get_object (n), error))
      return FALSE;
  }
  return TRUE;
}
