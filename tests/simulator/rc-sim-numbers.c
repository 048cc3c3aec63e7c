/* rc-sim-numbers.c: the extension's phone-number list, account and extension info. */
#include "rc-sim-private.h"

static char *
account_uri (RcSimCall *call)
{
  return g_strdup_printf ("%s/restapi/v1.0/account/%" G_GINT64_FORMAT, call->base_url,
                          call->sim->account_id);
}

static char *
extension_uri (RcSimCall *call, gint64 extension_id)
{
  g_autofree char *acc = account_uri (call);
  return g_strdup_printf ("%s/extension/%" G_GINT64_FORMAT, acc, extension_id);
}

static JsonObject *
number_to_json (RcSimCall *call, RcSimNumber *n)
{
  RcSim *self = call->sim;
  JsonObject *o = json_object_new ();
  g_autofree char *acc = account_uri (call);
  g_autofree char *uri = g_strdup_printf ("%s/phone-number/%" G_GINT64_FORMAT, acc, n->id);
  json_object_set_string_member (o, "uri", uri);
  json_object_set_int_member (o, "id", n->id);
  json_object_set_string_member (o, "phoneNumber", n->phone_number);
  json_object_set_string_member (o, "paymentType", n->payment_type);
  if (n->location != NULL)
    json_object_set_string_member (o, "location", n->location);
  json_object_set_string_member (o, "type", n->type);
  json_object_set_string_member (o, "usageType", n->usage_type);
  json_object_set_string_member (o, "status", n->status);
  if (n->label != NULL)
    json_object_set_string_member (o, "label", n->label);

  JsonObject *country = json_object_new ();
  g_autofree char *curi
      = g_strdup_printf ("%s/restapi/v1.0/dictionary/country/%s", call->base_url, n->country_id);
  json_object_set_string_member (country, "uri", curi);
  json_object_set_string_member (country, "id", n->country_id);
  json_object_set_string_member (country, "name", n->country_name);
  json_object_set_object_member (o, "country", country);

  if (n->with_extension) {
    JsonObject *ext = json_object_new ();
    g_autofree char *euri = extension_uri (call, self->extension_id);
    json_object_set_int_member (ext, "id", self->extension_id);
    json_object_set_string_member (ext, "uri", euri);
    json_object_set_string_member (ext, "extensionNumber", self->extension_number);
    json_object_set_string_member (ext, "type", "User");
    json_object_set_string_member (ext, "name", self->extension_name);
    json_object_set_object_member (o, "extension", ext);
  }

  JsonArray *features = json_array_new ();
  for (guint i = 0; n->features[i] != NULL; i++)
    json_array_add_string_element (features, n->features[i]);
  json_object_set_array_member (o, "features", features);
  json_object_set_boolean_member (o, "primary", n->primary);
  return o;
}

void
rc_sim_handle_phone_numbers (RcSimCall *call)
{
  RcSim *self = call->sim;
  guint page, per_page;
  if (!rc_sim_read_paging (call, &page, &per_page))
    return;
  g_autoptr (GPtrArray) usage = rc_sim_param_all (call->params, "usageType");
  const char *status = rc_sim_param (call->params, "status");

  /* Filtered view, in scenario order (the server's order). */
  g_autoptr (GPtrArray) view = g_ptr_array_new ();
  for (guint i = 0; i < self->numbers->len; i++) {
    RcSimNumber *n = self->numbers->pdata[i];
    gboolean usage_ok = usage->len == 0;
    for (guint j = 0; j < usage->len && !usage_ok; j++)
      usage_ok = g_strcmp0 (usage->pdata[j], n->usage_type) == 0;
    if (usage_ok && (status == NULL || g_strcmp0 (status, n->status) == 0))
      g_ptr_array_add (view, n);
  }

  /* The filters stay in the navigation uris. */
  g_autoptr (GString) extra = g_string_new (NULL);
  for (guint j = 0; j < usage->len; j++) {
    g_autofree char *esc = g_uri_escape_string (usage->pdata[j], NULL, FALSE);
    g_string_append_printf (extra, "&usageType=%s", esc);
  }
  if (status != NULL) {
    g_autofree char *esc = g_uri_escape_string (status, NULL, FALSE);
    g_string_append_printf (extra, "&status=%s", esc);
  }

  g_autoptr (JsonObject) o = json_object_new ();
  g_autofree char *uri = g_strdup_printf ("%s%s?page=%u&perPage=%u%s", call->base_url, call->path,
                                          page, per_page, extra->str);
  json_object_set_string_member (o, "uri", uri);
  JsonArray *records = json_array_new ();
  for (guint i = (page - 1) * per_page; i < view->len && i < page * per_page; i++)
    json_array_add_object_element (records, number_to_json (call, view->pdata[i]));
  json_object_set_array_member (o, "records", records);
  JsonObject *nav = NULL;
  JsonObject *paging = rc_sim_paging (call, page, per_page, view->len, extra->str, &nav);
  json_object_set_object_member (o, "paging", paging);
  json_object_set_object_member (o, "navigation", nav);
  rc_sim_reply_object (call, 200, o);
}

/* SmsConfigurationResource: smsCampaignInfo only when the scenario links the number to a
 * campaign (the guide: both objects are absent otherwise). */
void
rc_sim_handle_sms_configuration (RcSimCall *call, const char *number_id)
{
  RcSim *self = call->sim;
  RcSimNumber *found = NULL;

  for (guint i = 0; i < self->numbers->len && found == NULL; i++) {
    RcSimNumber *n = self->numbers->pdata[i];
    g_autofree char *id = g_strdup_printf ("%" G_GINT64_FORMAT, n->id);
    if (g_str_equal (id, number_id))
      found = n;
  }
  if (found == NULL || found->sms_config_404) {
    rc_sim_reply_error (call, 404, "CMN-102", "Resource for parameter [phoneNumberId] is not found",
                        "phoneNumberId");
    return;
  }
  g_autoptr (JsonObject) o = json_object_new ();
  g_autofree char *id = g_strdup_printf ("%" G_GINT64_FORMAT, found->id);
  json_object_set_string_member (o, "phoneNumberId", id);
  json_object_set_string_member (o, "phoneNumber", found->phone_number);
  if (found->campaign_status != NULL) {
    JsonObject *campaign = json_object_new ();
    g_autofree char *campaign_id = g_strdup_printf ("C%06" G_GINT64_FORMAT, found->id % 1000000);
    JsonObject *brand = json_object_new ();

    json_object_set_string_member (campaign, "id", campaign_id);
    json_object_set_string_member (campaign, "status", found->campaign_status);
    json_object_set_string_member (campaign, "registrationTier", "LowVolume");
    json_object_set_object_member (o, "smsCampaignInfo", campaign);
    json_object_set_string_member (brand, "id", "B000001");
    json_object_set_string_member (brand, "status", "Confirmed");
    json_object_set_object_member (o, "smsBrandInfo", brand);
  }
  rc_sim_reply_object (call, 200, o);
}

void
rc_sim_handle_account (RcSimCall *call)
{
  RcSim *self = call->sim;
  g_autoptr (JsonObject) o = json_object_new ();
  g_autofree char *uri = account_uri (call);
  json_object_set_string_member (o, "uri", uri);
  json_object_set_int_member (o, "id", self->account_id);
  json_object_set_string_member (o, "mainNumber", self->main_number);
  JsonObject *op = json_object_new ();
  g_autofree char *op_uri = extension_uri (call, self->operator_id);
  json_object_set_string_member (op, "uri", op_uri);
  json_object_set_int_member (op, "id", self->operator_id);
  json_object_set_string_member (op, "extensionNumber", self->operator_extension_number);
  json_object_set_object_member (o, "operator", op);
  json_object_set_string_member (o, "status", "Confirmed");
  json_object_set_string_member (o, "setupWizardState", "Completed");
  rc_sim_reply_object (call, 200, o);
}

void
rc_sim_handle_extension (RcSimCall *call)
{
  RcSim *self = call->sim;
  g_autoptr (JsonObject) o = json_object_new ();
  g_autofree char *uri = extension_uri (call, self->extension_id);
  json_object_set_string_member (o, "uri", uri);
  json_object_set_int_member (o, "id", self->extension_id);
  json_object_set_string_member (o, "extensionNumber", self->extension_number);
  json_object_set_string_member (o, "name", self->extension_name);
  json_object_set_string_member (o, "type", "User");
  json_object_set_string_member (o, "status", "Enabled");
  JsonObject *acc = json_object_new ();
  g_autofree char *acc_id = g_strdup_printf ("%" G_GINT64_FORMAT, self->account_id);
  g_autofree char *acc_uri = account_uri (call);
  json_object_set_string_member (acc, "uri", acc_uri);
  json_object_set_string_member (acc, "id", acc_id);
  json_object_set_object_member (o, "account", acc);
  json_object_set_string_member (o, "setupWizardState", "Completed");
  rc_sim_reply_object (call, 200, o);
}

gboolean
rc_sim_set_numbers (RcSim *self, const char *numbers_json, GError **error)
{
  g_return_val_if_fail (RC_IS_SIM (self), FALSE);
  g_return_val_if_fail (numbers_json != NULL, FALSE);
  g_autoptr (JsonParser) parser = json_parser_new ();
  if (!json_parser_load_from_data (parser, numbers_json, -1, error))
    return FALSE;
  JsonNode *root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_ARRAY (root)) {
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "numbers must be a JSON array");
    return FALSE;
  }
  JsonArray *arr = json_node_get_array (root);
  g_autoptr (GPtrArray) fresh = g_ptr_array_new_with_free_func ((GDestroyNotify)rc_sim_number_free);
  for (guint i = 0; i < json_array_get_length (arr); i++) {
    JsonNode *n = json_array_get_element (arr, i);
    if (!JSON_NODE_HOLDS_OBJECT (n)) {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "number %u is not an object", i);
      return FALSE;
    }
    RcSimNumber *num = rc_sim_number_from_json (json_node_get_object (n), error);
    if (num == NULL)
      return FALSE;
    if (num->id == 0)
      num->id = 510000001 + i;
    g_ptr_array_add (fresh, num);
  }
  /* Swap contents so the array keeps its identity. */
  g_ptr_array_set_size (self->numbers, 0);
  for (guint i = 0; i < fresh->len; i++)
    g_ptr_array_add (self->numbers, g_steal_pointer (&fresh->pdata[i]));
  g_ptr_array_set_free_func (fresh, NULL);
  return TRUE;
}
