/* rc-numbers.c: the user's phone numbers (GET .../extension/~/phone-number): one page's records
 * and their descriptions. Fetching every page: rc-numbers-fetch.c. */
#include "rc-numbers.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#include "rc-error.h"
#include "rc-json.h"
#include "rc-json-stream.h"
#include "rc-phone.h"

RcPhoneNumber *
rc_phone_number_copy (const RcPhoneNumber *number)
{
  RcPhoneNumber *copy;

  g_return_val_if_fail (number != NULL, NULL);
  copy = g_new0 (RcPhoneNumber, 1);
  copy->id = g_strdup (number->id);
  copy->e164 = g_strdup (number->e164);
  copy->label = g_strdup (number->label);
  copy->usage_type = g_strdup (number->usage_type);
  copy->payment_type = g_strdup (number->payment_type);
  copy->features = number->features;
  copy->extension_type = g_strdup (number->extension_type);
  copy->registration = number->registration;
  copy->campaign_status = g_strdup (number->campaign_status);
  return copy;
}

void
rc_phone_number_free (RcPhoneNumber *number)
{
  if (number == NULL)
    return;
  g_free (number->id);
  g_free (number->e164);
  g_free (number->label);
  g_free (number->usage_type);
  g_free (number->payment_type);
  g_free (number->extension_type);
  g_free (number->campaign_status);
  g_free (number);
}

gboolean
rc_phone_number_can_text (const RcPhoneNumber *number)
{
  g_return_val_if_fail (number != NULL, FALSE);
  return (number->features & (RC_FEATURE_SMS | RC_FEATURE_MMS)) != 0;
}

static const struct {
  const char *usage_type;
  const char *role;
} usage_roles[] = {
  { "DirectNumber", N_ ("Direct") },
  { "MainCompanyNumber", N_ ("Main company number") },
  { "CompanyNumber", N_ ("Company") },
  { "AdditionalCompanyNumber", N_ ("Company") },
  { "ContactCenterNumber", N_ ("Contact center") },
  { "ForwardedNumber", N_ ("Forwarded") },
  { "ForwardedCompanyNumber", N_ ("Forwarded") },
  { "BusinessMobileNumber", N_ ("Business mobile") },
  { "FmcBusinessMobileNumber", N_ ("Business mobile") },
  { "InventoryFmcBusinessMobileNumber", N_ ("Business mobile") },
  { "PartnerBusinessMobileNumber", N_ ("Business mobile") },
  { "NumberPoolPartnerBusinessMobileNumber", N_ ("Business mobile") },
  { "InventoryMobileNumber", N_ ("Business mobile") },
  { "CompanyFaxNumber", N_ ("Company fax") },
  { "ConferencingNumber", N_ ("Conferencing") },
  { "MeetingsNumber", N_ ("Meetings") },
  { "IntegrationNumber", N_ ("Integration") },
  { "ELIN", N_ ("Emergency location") },
};

char *
rc_phone_number_role (const RcPhoneNumber *number)
{
  const char *role = NULL;

  g_return_val_if_fail (number != NULL, NULL);

  if (number->label != NULL && number->label[0] != '\0')
    role = number->label;
  else if (g_strcmp0 (number->extension_type, "Department") == 0)
    role = _ ("Call queue"); /* RingCentral calls call queues "Department" extensions */
  else if (g_strcmp0 (number->extension_type, "IvrMenu") == 0)
    role = _ ("IVR menu");
  else if (number->usage_type != NULL) {
    for (gsize i = 0; i < G_N_ELEMENTS (usage_roles) && role == NULL; i++)
      if (strcmp (number->usage_type, usage_roles[i].usage_type) == 0)
        role = _ (usage_roles[i].role);
    if (role == NULL)
      role = number->usage_type; /* a new usage type: its own name beats nothing */
  } else
    role = _ ("Number");

  if (g_strcmp0 (number->payment_type, "TollFree") == 0
      || g_strcmp0 (number->payment_type, "ExternalNumberProviderTollFree") == 0)
    return g_strdup_printf (_ ("%s, toll-free"), role);
  return g_strdup (role);
}

char *
rc_phone_number_capabilities (const RcPhoneNumber *number)
{
  GString *out;

  g_return_val_if_fail (number != NULL, NULL);
  if (!rc_phone_number_can_text (number))
    return g_strdup (_ ("cannot text"));

  out = g_string_new (NULL);
  if (number->features & RC_FEATURE_SMS)
    g_string_append (out, _ ("SMS"));
  if (number->features & RC_FEATURE_MMS)
    g_string_append_printf (out, "%s%s", out->len ? ", " : "", _ ("MMS"));
  if (number->features & RC_FEATURE_INTERNATIONAL)
    g_string_append_printf (out, "%s%s", out->len ? ", " : "", _ ("international"));
  return g_string_free (out, FALSE);
}

char *
rc_phone_number_describe (const RcPhoneNumber *number)
{
  g_autofree char *shown = NULL;
  g_autofree char *role = NULL;
  g_autofree char *caps = NULL;

  g_return_val_if_fail (number != NULL, NULL);
  shown = rc_phone_format (number->e164);
  role = rc_phone_number_role (number);
  caps = rc_phone_number_capabilities (number);
  return g_strdup_printf ("%s (%s) — %s%s", shown, role, caps,
                          number->registration == RC_REGISTRATION_NOT_CONFIRMED
                              ? _ (" (not registered for texting)")
                              : "");
}

/* ---- parsing ---- */

static RcFeatures
feature_flag (const char *name)
{
  static const struct {
    const char *name;
    RcFeatures flag;
  } features[] = {
    { "SmsSender", RC_FEATURE_SMS },
    { "MmsSender", RC_FEATURE_MMS },
    { "InternationalSmsSender", RC_FEATURE_INTERNATIONAL },
    { "CallerId", RC_FEATURE_CALLER_ID },
    { "A2PSmsSender", RC_FEATURE_A2P },
    { "Delegated", RC_FEATURE_DELEGATED },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (features); i++)
    if (strcmp (name, features[i].name) == 0)
      return features[i].flag;
  return RC_FEATURE_NONE; /* new features appear over time: ignore them */
}

static GError *
bad_shape (const char *what)
{
  return g_error_new (RC_ERROR, RC_ERROR_BAD_RESPONSE,
                      _ ("RingCentral sent a phone number list we cannot read (%s)."), what);
}

/* Parses one record. NULL with *error set for a wrong shape; NULL without error to skip it. */
static RcPhoneNumber *
parse_record (JsonNode *node, GError **error)
{
  g_autoptr (RcPhoneNumber) number = NULL;
  JsonObject *object, *extension;
  JsonNode *features;
  const char *e164;

  if (!JSON_NODE_HOLDS_OBJECT (node)) {
    g_propagate_error (error, bad_shape ("a record is not an object"));
    return NULL;
  }
  object = json_node_get_object (node);

  e164 = rc_json_string (object, "phoneNumber");
  if (!rc_phone_is_e164 (e164)) {
    /* Redacted ("+1657390XXXX") or missing: not a number anyone can text from. */
    g_debug ("phone-number record without a valid E.164 phoneNumber skipped");
    return NULL;
  }

  number = g_new0 (RcPhoneNumber, 1);
  number->e164 = g_strdup (e164);
  number->id = rc_json_id (json_object_get_member (object, "id"));
  if (number->id == NULL) {
    g_debug ("phone-number record without an id skipped");
    return NULL;
  }
  number->label = rc_json_text (rc_json_member (object, "label")); /* valid UTF-8 */
  if (number->label != NULL && number->label[0] == '\0')
    g_clear_pointer (&number->label, g_free);
  number->usage_type = g_strdup (rc_json_string (object, "usageType"));
  number->payment_type = g_strdup (rc_json_string (object, "paymentType"));
  extension = rc_json_object (object, "extension");
  if (extension != NULL)
    number->extension_type = g_strdup (rc_json_string (extension, "type"));

  features = json_object_get_member (object, "features");
  if (features != NULL && !JSON_NODE_HOLDS_NULL (features)) {
    JsonArray *array;

    if (!JSON_NODE_HOLDS_ARRAY (features)) {
      g_propagate_error (error, bad_shape ("features is not a list"));
      return NULL;
    }
    array = json_node_get_array (features);
    for (guint i = 0; i < json_array_get_length (array); i++) {
      JsonNode *f = json_array_get_element (array, i);

      if (JSON_NODE_HOLDS_VALUE (f) && json_node_get_value_type (f) == G_TYPE_STRING)
        number->features |= feature_flag (json_node_get_string (f));
    }
  }
  return g_steal_pointer (&number);
}

GPtrArray *
rc_numbers_parse_records (JsonNode *records, GError **error)
{
  g_autoptr (GPtrArray) numbers = NULL;
  JsonArray *array;

  g_return_val_if_fail (error == NULL || *error == NULL, NULL);
  if (records == NULL || !JSON_NODE_HOLDS_ARRAY (records)) {
    g_propagate_error (error, bad_shape ("no records list"));
    return NULL;
  }
  numbers = g_ptr_array_new_with_free_func ((GDestroyNotify)rc_phone_number_free);
  array = json_node_get_array (records);
  for (guint i = 0; i < json_array_get_length (array); i++) {
    GError *local = NULL;
    RcPhoneNumber *number = parse_record (json_array_get_element (array, i), &local);

    if (local != NULL) {
      g_propagate_error (error, local);
      return NULL;
    }
    if (number != NULL)
      g_ptr_array_add (numbers, number);
  }
  return g_steal_pointer (&numbers);
}

GPtrArray *
rc_numbers_parse_page (JsonNode *root, char **next_page_uri, GError **error)
{
  g_autoptr (GPtrArray) numbers = NULL;
  JsonObject *object, *navigation, *next;
  JsonNode *records;

  g_return_val_if_fail (error == NULL || *error == NULL, NULL);
  if (next_page_uri != NULL)
    *next_page_uri = NULL;

  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root)) {
    g_propagate_error (error, bad_shape ("not an object"));
    return NULL;
  }
  object = json_node_get_object (root);
  records = json_object_get_member (object, "records");
  numbers = rc_numbers_parse_records (records, error);
  if (numbers == NULL)
    return NULL;

  navigation = rc_json_object (object, "navigation");
  next = navigation != NULL ? rc_json_object (navigation, "nextPage") : NULL;
  if (next != NULL && next_page_uri != NULL && rc_json_string (next, "uri") != NULL)
    *next_page_uri = g_strdup (rc_json_string (next, "uri"));
  return g_steal_pointer (&numbers);
}

GPtrArray *
rc_numbers_filter_senders (GPtrArray *numbers)
{
  GPtrArray *senders = g_ptr_array_new_with_free_func ((GDestroyNotify)rc_phone_number_free);

  g_return_val_if_fail (numbers != NULL, senders);
  for (guint i = 0; i < numbers->len; i++) {
    const RcPhoneNumber *number = g_ptr_array_index (numbers, i);

    if (rc_phone_number_can_text (number))
      g_ptr_array_add (senders, rc_phone_number_copy (number));
  }
  return senders;
}

/* ---- a page cut into parts (rc-numbers-fetch.c parses each in a worker of its own) ---- */

typedef struct {
  RcNumbersSplit *split;
  GString *part;  /* the part being filled: "[" and its records so far */
  guint in_part;  /* records in it */
  guint first;    /* records in the first part */
  guint parts;    /* at most this many parts */
  gsize target;   /* bytes a later part holds at least (the last one takes the rest) */
  gsize page_len; /* the whole page's bytes */
} Splitting;

static void
part_close (Splitting *s)
{
  g_string_append_c (s->part, ']');
  g_ptr_array_add (s->split->parts, g_string_free_to_bytes (g_steal_pointer (&s->part)));
  s->in_part = 0;
}

/* RcJsonElementFunc: one record's text goes into the part being filled. */
static gboolean
on_split_record (const char *json, gsize len, gpointer user_data, GError **error)
{
  Splitting *s = user_data;
  guint parts = s->split->parts->len;

  if (s->part == NULL) {
    /* Sized for the part, never beyond the page (a first record of 1 MB asks for no more). */
    s->part = g_string_sized_new (
        MIN (parts == 0 ? (gsize)s->first * len : s->target + len, s->page_len) + 2);
    g_string_append_c (s->part, '[');
  } else
    g_string_append_c (s->part, ',');
  g_string_append_len (s->part, json, (gssize)len);
  s->in_part++;
  if (parts == 0 && s->parts > 1 && s->in_part >= s->first) {
    /* The rest of the page, shared out evenly by bytes among the other parts. */
    gsize used = s->part->len;

    part_close (s);
    s->target = (s->page_len > used ? s->page_len - used : 0) / (s->parts - 1);
  } else if (parts > 0 && parts + 1 < s->parts && s->part->len >= s->target)
    part_close (s);
  return TRUE;
}

void
rc_numbers_split_clear (RcNumbersSplit *split)
{
  g_clear_pointer (&split->parts, g_ptr_array_unref);
  g_clear_pointer (&split->rest, json_node_unref);
  split->records = 0;
}

gboolean
rc_numbers_split_page (const char *data, gsize len, guint first, guint parts, RcNumbersSplit *split,
                       GError **error)
{
  g_autoptr (RcJsonSplitter) splitter = NULL;
  Splitting s = { 0 };

  g_return_val_if_fail (split != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  split->parts = g_ptr_array_new_with_free_func ((GDestroyNotify)g_bytes_unref);
  split->records = 0;
  split->rest = NULL;
  s.split = split;
  s.first = MAX (first, 1);
  s.parts = MAX (parts, 1);
  s.page_len = len;
  splitter = rc_json_splitter_new ("records", _ ("the phone number list"), on_split_record, &s);
  if (rc_json_splitter_feed (splitter, data, len, error))
    split->rest = rc_json_splitter_finish (splitter, error);
  if (s.part != NULL)
    part_close (&s);
  if (split->rest == NULL) {
    rc_numbers_split_clear (split);
    return FALSE;
  }
  split->records = rc_json_splitter_get_count (splitter);
  return TRUE;
}
