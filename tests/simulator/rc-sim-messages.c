/* rc-sim-messages.c: message records, sending SMS (with the checks RingCentral makes), delivery
 * and the demo contacts' automatic replies, inbound messages. */
#include "rc-sim-private.h"

#include <string.h>

void
rc_sim_message_free (RcSimMessage *m)
{
  if (m == NULL)
    return;
  g_free (m->type);
  g_free (m->direction);
  g_free (m->from);
  g_free (m->from_name);
  g_free (m->from_extension);
  g_clear_pointer (&m->to, g_ptr_array_unref);
  g_clear_pointer (&m->to_names, g_ptr_array_unref);
  g_free (m->to_extension);
  g_free (m->owner_number);
  g_free (m->text);
  g_free (m->read_status);
  g_free (m->message_status);
  g_free (m->availability);
  g_free (m->delivery_error_code);
  g_clear_pointer (&m->attachments, g_ptr_array_unref);
  g_free (m);
}

RcSimMessage *
rc_sim_store_add (RcSim *self, RcSimMessage *m)
{
  if (m->id == 0)
    m->id = self->next_message_id++;
  if (m->creation_us == 0)
    m->creation_us = rc_sim_now_us (self);
  if (m->modified_us == 0)
    m->modified_us = m->creation_us;
  m->seq = ++self->change_seq;
  g_ptr_array_add (self->messages, m);
  rc_sim_ws_message_changed (self, m, TRUE);
  return m;
}

void
rc_sim_touch_message (RcSim *self, RcSimMessage *m)
{
  m->seq = ++self->change_seq;
  m->modified_us = MAX (rc_sim_now_us (self), m->creation_us);
  rc_sim_ws_message_changed (self, m, FALSE);
}

static gint
compare_strings (gconstpointer a, gconstpointer b)
{
  return g_strcmp0 (*(const char *const *)a, *(const char *const *)b);
}

/* Stable per (our number, sorted other numbers): FNV-1a, kept in [1e15, 9e15) so it looks like
 * RingCentral's large ids yet stays below 2^53 for the validating proxy. */
gint64
rc_sim_conversation_id (const char *our_number, GPtrArray *others)
{
  /* A plain copy would inherit the free func of @others: copy the pointers by hand. */
  g_autoptr (GPtrArray) sorted = g_ptr_array_sized_new (others->len);
  for (guint i = 0; i < others->len; i++)
    g_ptr_array_add (sorted, others->pdata[i]);
  g_ptr_array_sort (sorted, compare_strings);
  guint64 h = 14695981039346656037ULL;
  g_autoptr (GString) key = g_string_new (our_number);
  for (guint i = 0; i < sorted->len; i++)
    g_string_append_printf (key, "|%s", (const char *)sorted->pdata[i]);
  for (const char *p = key->str; *p != '\0'; p++) {
    h ^= (guchar)*p;
    h *= 1099511628211ULL;
  }
  return (gint64)(1000000000000000ULL + h % 8000000000000000ULL);
}

static JsonObject *
party (const char *number, const char *name, const char *extension_number, const char *location)
{
  JsonObject *o = json_object_new ();
  if (number != NULL)
    json_object_set_string_member (o, "phoneNumber", number);
  if (extension_number != NULL)
    json_object_set_string_member (o, "extensionNumber", extension_number);
  if (name != NULL)
    json_object_set_string_member (o, "name", name);
  if (location != NULL)
    json_object_set_string_member (o, "location", location);
  return o;
}

JsonObject *
rc_sim_message_to_json (RcSim *self, const char *base_url, RcSimMessage *m)
{
  JsonObject *o = json_object_new ();
  g_autofree char *uri
      = g_strdup_printf ("%s/restapi/v1.0/account/%" G_GINT64_FORMAT "/extension/%" G_GINT64_FORMAT
                         "/message-store/%" G_GINT64_FORMAT,
                         base_url, self->account_id, self->extension_id, m->id);
  gboolean inbound = g_str_equal (m->direction, "Inbound");
  gboolean sms = g_str_equal (m->type, "SMS");
  json_object_set_string_member (o, "uri", uri);
  json_object_set_int_member (o, "id", m->id);

  JsonArray *to = json_array_new ();
  if (sms)
    for (guint i = 0; i < m->to->len; i++) {
      const char *num = m->to->pdata[i];
      RcSimNumber *ours = rc_sim_find_number (self, num);
      gboolean target = inbound && g_strcmp0 (num, m->owner_number) == 0;
      JsonObject *t = party (num, target ? self->extension_name : m->to_names->pdata[i], NULL,
                             ours ? ours->location : NULL);
      if (target)
        json_object_set_boolean_member (t, "target", TRUE);
      json_array_add_object_element (to, t);
    }
  else
    json_array_add_object_element (to, party (NULL, self->extension_name, m->to_extension, NULL));
  json_object_set_array_member (o, "to", to);

  if (sms) {
    RcSimNumber *ours = inbound ? NULL : rc_sim_find_number (self, m->from);
    json_object_set_object_member (o, "from",
                                   party (m->from, inbound ? m->from_name : self->extension_name,
                                          NULL, ours ? ours->location : NULL));
  } else
    json_object_set_object_member (o, "from", party (NULL, m->from_name, m->from_extension, NULL));

  json_object_set_string_member (o, "type", m->type);
  g_autofree char *created = rc_sim_format_time (m->creation_us);
  g_autofree char *modified = rc_sim_format_time (m->modified_us);
  json_object_set_string_member (o, "creationTime", created);
  json_object_set_string_member (o, "readStatus", m->read_status);
  json_object_set_string_member (o, "priority", "Normal");
  JsonArray *att = json_array_new ();
  JsonObject *a = json_object_new ();
  json_object_set_int_member (a, "id", m->id);
  g_autofree char *auri = g_strdup_printf ("%s/content/%" G_GINT64_FORMAT, uri, m->id);
  json_object_set_string_member (a, "uri", auri);
  json_object_set_string_member (a, "type", "Text");
  json_object_set_string_member (a, "contentType", "text/plain");
  json_array_add_object_element (att, a);
  rc_sim_mms_attachments_to_json (self, base_url, m, att);
  json_object_set_array_member (o, "attachments", att);
  json_object_set_string_member (o, "direction", m->direction);
  json_object_set_string_member (o, "availability", m->availability);
  json_object_set_string_member (o, "subject", m->text);
  json_object_set_string_member (o, "messageStatus", m->message_status);
  if (sms && !inbound)
    json_object_set_int_member (o, "smsSendingAttemptsCount", 1);
  if (m->delivery_error_code != NULL)
    json_object_set_string_member (o, "deliveryErrorCode", m->delivery_error_code);
  if (m->delivery_us != 0 && sms && !inbound) {
    g_autofree char *delivered = rc_sim_format_time (m->delivery_us);
    json_object_set_string_member (o, "smsDeliveryTime", delivered);
  }
  json_object_set_int_member (o, "conversationId", m->conversation_id);
  JsonObject *conv = json_object_new ();
  g_autofree char *cid = g_strdup_printf ("%" G_GINT64_FORMAT, m->conversation_id);
  g_autofree char *curi = g_strdup_printf ("%s/restapi/v1.0/conversation/%s", base_url, cid);
  json_object_set_string_member (conv, "id", cid);
  json_object_set_string_member (conv, "uri", curi);
  json_object_set_object_member (o, "conversation", conv);
  json_object_set_string_member (o, "lastModifiedTime", modified);
  return o;
}

/* ---- timers ---- */

typedef struct {
  RcSim *sim;
  GSource *source;
  GSourceFunc func;
  gpointer data;
  GDestroyNotify notify;
} Timer;

static gboolean
timer_fire (gpointer user_data)
{
  Timer *t = user_data;
  t->func (t->data);
  return G_SOURCE_REMOVE;
}

static void
timer_free (gpointer user_data)
{
  Timer *t = user_data;
  g_ptr_array_remove_fast (t->sim->sources, t->source); /* drops the array's ref */
  if (t->notify != NULL)
    t->notify (t->data);
  g_free (t);
}

/* Runs @func(@data) once after @delay_ms on the simulator's context; cancelled on dispose. */
void
rc_sim_schedule (RcSim *self, guint delay_ms, GSourceFunc func, gpointer data,
                 GDestroyNotify notify)
{
  Timer *t = g_new0 (Timer, 1);
  t->sim = self;
  t->func = func;
  t->data = data;
  t->notify = notify;
  t->source = g_timeout_source_new (delay_ms);
  g_source_set_callback (t->source, timer_fire, t, timer_free);
  g_ptr_array_add (self->sources, t->source); /* the array owns the ref */
  g_source_attach (t->source, self->context);
}

/* ---- inbound ---- */

RcSimMessage *
rc_sim_new_inbound (RcSim *self, const char *from, const char *to, GPtrArray *cc, const char *text,
                    GPtrArray *attachments)
{
  RcSimMessage *m = g_new0 (RcSimMessage, 1);
  m->attachments = attachments;
  RcSimContact *c = rc_sim_find_contact (self, from);
  m->type = g_strdup ("SMS");
  m->direction = g_strdup ("Inbound");
  m->from = g_strdup (from);
  m->from_name = c ? g_strdup (c->name) : NULL;
  m->to = g_ptr_array_new_with_free_func (g_free);
  m->to_names = g_ptr_array_new_with_free_func (g_free);
  g_ptr_array_add (m->to, g_strdup (to));
  g_ptr_array_add (m->to_names, NULL);
  g_autoptr (GPtrArray) others = g_ptr_array_new ();
  g_ptr_array_add (others, (char *)from);
  for (guint i = 0; cc != NULL && i < cc->len; i++) {
    RcSimContact *cc_contact = rc_sim_find_contact (self, cc->pdata[i]);
    g_ptr_array_add (m->to, g_strdup (cc->pdata[i]));
    g_ptr_array_add (m->to_names, cc_contact ? g_strdup (cc_contact->name) : NULL);
    g_ptr_array_add (others, cc->pdata[i]);
  }
  m->owner_number = g_strdup (to);
  m->text = g_strdup (text);
  m->read_status = g_strdup ("Unread");
  m->message_status = g_strdup ("Received");
  m->availability = g_strdup ("Alive");
  m->conversation_id = rc_sim_conversation_id (to, others);
  return rc_sim_store_add (self, m);
}

char *
rc_sim_add_inbound (RcSim *self, const char *from, const char *to, const char *text)
{
  g_return_val_if_fail (RC_IS_SIM (self), NULL);
  g_return_val_if_fail (from != NULL && to != NULL && text != NULL, NULL);
  RcSimMessage *m = rc_sim_new_inbound (self, from, to, NULL, text, NULL);
  return g_strdup_printf ("%" G_GINT64_FORMAT, m->id);
}

char *
rc_sim_add_inbound_group (RcSim *self, const char *from, const char *to_ours,
                          const char *const *others, const char *text)
{
  g_return_val_if_fail (RC_IS_SIM (self), NULL);
  g_return_val_if_fail (from != NULL && to_ours != NULL && text != NULL, NULL);
  g_autoptr (GPtrArray) cc = g_ptr_array_new ();
  for (guint i = 0; others != NULL && others[i] != NULL; i++)
    g_ptr_array_add (cc, (char *)others[i]);
  RcSimMessage *m = rc_sim_new_inbound (self, from, to_ours, cc, text, NULL);
  return g_strdup_printf ("%" G_GINT64_FORMAT, m->id);
}

typedef struct {
  RcSim *sim;
  char *from, *to, *text;
  GPtrArray *cc;
} Reply;

static void
reply_free (gpointer data)
{
  Reply *r = data;
  g_free (r->from);
  g_free (r->to);
  g_free (r->text);
  g_ptr_array_unref (r->cc);
  g_free (r);
}

static gboolean
reply_fire (gpointer data)
{
  Reply *r = data;
  rc_sim_new_inbound (r->sim, r->from, r->to, r->cc, r->text, NULL);
  return G_SOURCE_REMOVE;
}

/* Each recipient that is a contact with auto_reply answers into the same conversation. */
static void
auto_replies (RcSim *self, const char *our_number, GPtrArray *to, const char *text)
{
  for (guint i = 0; i < to->len; i++) {
    RcSimContact *c = rc_sim_find_contact (self, to->pdata[i]);
    if (c == NULL || c->auto_reply == NULL || c->delivery_status != NULL)
      continue; /* a text that fails never reaches them */
    Reply *r = g_new0 (Reply, 1);
    r->sim = self;
    r->from = g_strdup (c->phone_number);
    r->to = g_strdup (our_number);
    g_auto (GStrv) parts = g_strsplit (c->auto_reply, "{text}", -1);
    r->text = g_strjoinv (text, parts);
    r->cc = g_ptr_array_new_with_free_func (g_free);
    for (guint j = 0; j < to->len; j++)
      if (j != i)
        g_ptr_array_add (r->cc, g_strdup (to->pdata[j]));
    if (c->reply_delay_ms == 0) {
      reply_fire (r);
      reply_free (r);
    } else
      rc_sim_schedule (self, c->reply_delay_ms, reply_fire, r, reply_free);
  }
}

typedef struct {
  RcSim *sim;
  gint64 id;
} Delivery;

/* The first recipient set up to fail (rc_sim_set_delivery_failure), or NULL. A group text takes
 * that recipient's status for the whole record. */
static RcSimContact *
failing_recipient (RcSim *self, RcSimMessage *m)
{
  for (guint i = 0; i < m->to->len; i++) {
    RcSimContact *c = rc_sim_find_contact (self, m->to->pdata[i]);
    if (c != NULL && c->delivery_status != NULL)
      return c;
  }
  return NULL;
}

static gboolean
deliver (gpointer data)
{
  Delivery *d = data;
  for (guint i = 0; i < d->sim->messages->len; i++) {
    RcSimMessage *m = d->sim->messages->pdata[i];
    if (m->id == d->id && g_str_equal (m->message_status, "Queued")) {
      RcSimContact *failing = failing_recipient (d->sim, m);
      g_free (m->message_status);
      m->message_status = g_strdup (failing ? failing->delivery_status : "Delivered");
      g_free (m->delivery_error_code);
      m->delivery_error_code = failing ? g_strdup (failing->delivery_error_code) : NULL;
      rc_sim_touch_message (d->sim, m);
      m->delivery_us = failing ? 0 : m->modified_us;
    }
  }
  return G_SOURCE_REMOVE;
}

/* ---- sending ---- */

/* Country calling code of an E.164 number, with US/Canada folded together and other NANP
 * members (Caribbean, Bermuda...) told apart by area code, which is what decides whether
 * RingCentral treats a text as international. */
static char *
region_of (const char *e164)
{
  static const char *const foreign_nanp[]
      = { "242", "246", "264", "268", "284", "345", "441", "473", "649", "658", "664",
          "721", "758", "767", "784", "809", "829", "849", "868", "869", "876", NULL };
  static const char *const two_digit[] = { "20", "27", "30", "31", "32", "33", "34", "36", "39",
                                           "40", "41", "43", "44", "45", "46", "47", "48", "49",
                                           "51", "52", "53", "54", "55", "56", "57", "58", "60",
                                           "61", "62", "63", "64", "65", "66", "81", "82", "84",
                                           "86", "90", "91", "92", "93", "94", "95", "98", NULL };
  const char *d = e164 + 1;
  if (d[0] == '1') {
    g_autofree char *area = g_strndup (d + 1, 3);
    return g_strv_contains (foreign_nanp, area) ? g_strconcat ("1-", area, NULL) : g_strdup ("1");
  }
  if (d[0] == '7')
    return g_strdup ("7");
  g_autofree char *two = g_strndup (d, 2);
  if (g_strv_contains (two_digit, two))
    return g_steal_pointer (&two);
  return g_strndup (d, 3);
}

/* Reads a CreateSMSMessage; FALSE when a 400 was written. */
static gboolean
parse_sms_body (RcSimCall *call, char **from, GPtrArray *to, char **text)
{
  g_autoptr (JsonParser) parser = json_parser_new ();
  if (call->body == NULL || !json_parser_load_from_data (parser, call->body, -1, NULL)
      || !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser))) {
    rc_sim_reply_error (call, 400, "CMN-101", "Parameter [body] value is invalid", "body");
    return FALSE;
  }
  JsonObject *o = json_node_get_object (json_parser_get_root (parser));
  JsonNode *fn = json_object_get_member (o, "from");
  JsonObject *fo = fn && JSON_NODE_HOLDS_OBJECT (fn) ? json_node_get_object (fn) : NULL;
  const char *f = fo ? rc_sim_json_string (fo, "phoneNumber") : NULL;
  if (f == NULL) {
    rc_sim_reply_error (call, 400, "CMN-101", "Parameter [from] value is invalid", "from");
    return FALSE;
  }
  JsonNode *tn = json_object_get_member (o, "to");
  JsonArray *ta = tn && JSON_NODE_HOLDS_ARRAY (tn) ? json_node_get_array (tn) : NULL;
  guint nto = ta ? json_array_get_length (ta) : 0;
  if (nto == 0 || nto > 10) {
    rc_sim_reply_error (call, 400, "CMN-101", "Parameter [to] value is invalid: 1 to 10 recipients",
                        "to");
    return FALSE;
  }
  for (guint i = 0; i < nto; i++) {
    JsonNode *e = json_array_get_element (ta, i);
    JsonObject *eo = JSON_NODE_HOLDS_OBJECT (e) ? json_node_get_object (e) : NULL;
    const char *pn = rc_sim_json_string (eo, "phoneNumber");
    if (!rc_sim_is_e164 (pn)) {
      rc_sim_reply_error (call, 400, "CMN-101", "Parameter [to.phoneNumber] value is invalid",
                          "to.phoneNumber");
      return FALSE;
    }
    g_ptr_array_add (to, g_strdup (pn));
  }
  const char *t = rc_sim_json_string (o, "text");
  if (t == NULL || *t == '\0') {
    rc_sim_reply_error (call, 400, "CMN-101", "Parameter [text] value is invalid", "text");
    return FALSE;
  }
  if (rc_sim_utf16_length (t) > 1000) {
    rc_sim_reply_error (call, 400, "MSG-338",
                        "Message size limit exceeded: text is longer than 1000 characters", "text");
    return FALSE;
  }
  *from = g_strdup (f);
  *text = g_strdup (t);
  return TRUE;
}

void
rc_sim_handle_sms (RcSimCall *call)
{
  if (call->content_type != NULL && g_str_has_prefix (call->content_type, "multipart/")) {
    rc_sim_handle_mms (call, FALSE); /* SPEC createSMSMessage takes attachments too */
    return;
  }
  if (g_strcmp0 (call->content_type, "application/json") != 0) {
    rc_sim_reply_error (call, 415, "CMN-415", "Unsupported Media Type", NULL);
    return;
  }
  g_autofree char *from = NULL;
  g_autofree char *text = NULL;
  g_autoptr (GPtrArray) to = g_ptr_array_new_with_free_func (g_free);
  if (!parse_sms_body (call, &from, to, &text))
    return;
  rc_sim_send_checked (call, from, to, text, NULL, FALSE);
}

gboolean
rc_sim_send_checked (RcSimCall *call, const char *from, GPtrArray *to, const char *text,
                     GPtrArray *attachments, gboolean mms)
{
  RcSim *self = call->sim;
  g_autoptr (GPtrArray) owned = attachments; /* freed on refusal */
  RcSimNumber *n = rc_sim_find_number (self, from);
  if (n == NULL) {
    rc_sim_reply_error (call, 403, "MSG-304", "Phone number doesn't belong to extension", "from");
    return FALSE;
  }
  if (g_str_equal (n->type, "FaxOnly")) {
    rc_sim_reply_error (call, 403, "MSG-241", "Cannot send SMS from fax number", "from");
    return FALSE;
  }
  if (!rc_sim_strv_contains (n->features, "SmsSender")) {
    rc_sim_reply_error (call, 403, "MSG-242", "Sending SMS not available from the number specified",
                        "from");
    return FALSE;
  }
  if ((mms || (attachments != NULL && attachments->len > 0))
      && !rc_sim_strv_contains (n->features, "MmsSender")) {
    rc_sim_reply_error (call, 403, "MSG-242", "Sending MMS not available from the number specified",
                        "from");
    return FALSE;
  }
  if (to->len > 1 && !rc_sim_strv_contains (n->features, "MmsSender")) {
    rc_sim_reply_error (call, 403, "MSG-242",
                        "Group messaging is not available from the number specified", "from");
    return FALSE;
  }
  g_autofree char *home = region_of (from);
  for (guint i = 0; i < to->len; i++) {
    g_autofree char *there = region_of (to->pdata[i]);
    if (!g_str_equal (home, there)
        && !rc_sim_strv_contains (n->features, "InternationalSmsSender")) {
      g_autofree char *msg = g_strdup_printf (
          "International SMS is not available: [%s] is not a domestic phone number",
          (const char *)to->pdata[i]);
      rc_sim_reply_error (call, 403, "MSG-240", msg, "to.phoneNumber");
      return FALSE;
    }
  }

  RcSimMessage *m = rc_sim_new_outbound (self, from, to, text, g_steal_pointer (&owned));
  /* The answer shows the record as it was when queued, even if a reply lands first. */
  g_autoptr (JsonObject) o = rc_sim_message_to_json (self, call->base_url, m);
  auto_replies (self, from, to, text);
  rc_sim_reply_object (call, 200, o);
  return TRUE;
}

/* Stores a Queued outbound SMS and schedules its delivery (or failure). No auto replies. */
RcSimMessage *
rc_sim_new_outbound (RcSim *self, const char *from, GPtrArray *to, const char *text,
                     GPtrArray *attachments)
{
  RcSimMessage *m = g_new0 (RcSimMessage, 1);
  m->attachments = attachments;
  m->type = g_strdup ("SMS");
  m->direction = g_strdup ("Outbound");
  m->from = g_strdup (from);
  m->owner_number = g_strdup (from);
  m->to = g_ptr_array_new_with_free_func (g_free);
  m->to_names = g_ptr_array_new_with_free_func (g_free);
  for (guint i = 0; i < to->len; i++) {
    RcSimContact *c = rc_sim_find_contact (self, to->pdata[i]);
    g_ptr_array_add (m->to, g_strdup (to->pdata[i]));
    g_ptr_array_add (m->to_names, c ? g_strdup (c->name) : NULL);
  }
  m->text = g_strdup (text);
  m->read_status = g_strdup ("Read");
  m->message_status = g_strdup ("Queued");
  m->availability = g_strdup ("Alive");
  m->conversation_id = rc_sim_conversation_id (from, to);
  rc_sim_store_add (self, m);

  Delivery *d = g_new0 (Delivery, 1);
  d->sim = self;
  d->id = m->id;
  rc_sim_schedule (self, self->delivery_delay_ms, deliver, d, g_free);
  return m;
}

char *
rc_sim_add_outbound (RcSim *self, const char *from_ours, const char *const *to, const char *text)
{
  g_return_val_if_fail (RC_IS_SIM (self), NULL);
  g_return_val_if_fail (from_ours != NULL && to != NULL && to[0] != NULL && text != NULL, NULL);
  g_autoptr (GPtrArray) recipients = g_ptr_array_new_with_free_func (g_free);
  for (guint i = 0; to[i] != NULL; i++)
    g_ptr_array_add (recipients, g_strdup (to[i]));
  RcSimMessage *m = rc_sim_new_outbound (self, from_ours, recipients, text, NULL);
  auto_replies (self, from_ours, recipients, text);
  return g_strdup_printf ("%" G_GINT64_FORMAT, m->id);
}
