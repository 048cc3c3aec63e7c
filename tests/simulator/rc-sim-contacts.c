/* rc-sim-contacts.c: the personal address book (GET …/extension/~/address-book/contact, SPEC
 * listContacts → ContactList) and the company directory (GET …/account/~/directory/entries, SPEC
 * listDirectoryEntries → DirectoryResource), from the scenario's "address_book" and "directory". */
#include "rc-sim-private.h"

#include <string.h>

/* PersonalContactResource string members a scenario record may set (copied as they are). */
static const char *const personal_fields[] = {
  "firstName",      "lastName",    "middleName",  "nickName",      "company",
  "jobTitle",       "email",       "email2",      "email3",        "birthday",
  "webPage",        "notes",       "homePhone",   "homePhone2",    "businessPhone",
  "businessPhone2", "mobilePhone", "businessFax", "companyPhone",  "assistantPhone",
  "carPhone",       "otherPhone",  "otherFax",    "callbackPhone", "ringtoneIndex",
  "appInfo",
};

/* The phone members among them, for the phoneNumber filter. */
static const char *const personal_phone_fields[] = {
  "homePhone",   "homePhone2",  "businessPhone", "businessPhone2",
  "mobilePhone", "businessFax", "companyPhone",  "assistantPhone",
  "carPhone",    "otherPhone",  "otherFax",      "callbackPhone",
};

/* ContactResource string members a scenario directory entry may set. */
static const char *const directory_fields[] = {
  "firstName", "lastName", "name", "extensionNumber", "email", "jobTitle", "department",
};

static gboolean
is_string (JsonNode *n)
{
  return JSON_NODE_HOLDS_VALUE (n) && json_node_get_value_type (n) == G_TYPE_STRING;
}

/* Copies the members of @from named in @fields into @to; a non-string one is an error. */
static gboolean
copy_strings (JsonObject *from, JsonObject *to, const char *const *fields, gsize n_fields,
              const char *what, guint index, GError **error)
{
  for (gsize i = 0; i < n_fields; i++) {
    JsonNode *n = json_object_get_member (from, fields[i]);
    if (n == NULL || JSON_NODE_HOLDS_NULL (n))
      continue;
    if (!is_string (n)) {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "%s %u: \"%s\" must be a string",
                   what, index, fields[i]);
      return FALSE;
    }
    json_object_set_string_member (to, fields[i], json_node_get_string (n));
  }
  return TRUE;
}

static gint64
id_member (JsonObject *o, gint64 fallback)
{
  JsonNode *n = json_object_get_member (o, "id");
  if (n != NULL && JSON_NODE_HOLDS_VALUE (n) && json_node_get_value_type (n) == G_TYPE_INT64)
    return json_node_get_int (n);
  if (n != NULL && is_string (n))
    return g_ascii_strtoll (json_node_get_string (n), NULL, 10);
  return fallback;
}

static JsonArray *
array_of (JsonObject *o, const char *name)
{
  JsonNode *n = o != NULL ? json_object_get_member (o, name) : NULL;
  return n != NULL && JSON_NODE_HOLDS_ARRAY (n) ? json_node_get_array (n) : NULL;
}

static gboolean
load_address_book (RcSim *self, JsonArray *entries, GError **error)
{
  for (guint i = 0; entries != NULL && i < json_array_get_length (entries); i++) {
    JsonNode *n = json_array_get_element (entries, i);
    if (!JSON_NODE_HOLDS_OBJECT (n)) {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   "address_book entry %u is not an object", i);
      return FALSE;
    }
    JsonObject *from = json_node_get_object (n);
    g_autoptr (JsonObject) record = json_object_new ();
    json_object_set_int_member (record, "id", id_member (from, 600000001 + i));
    if (!copy_strings (from, record, personal_fields, G_N_ELEMENTS (personal_fields),
                       "address_book entry", i, error))
      return FALSE;
    g_ptr_array_add (self->address_book, g_steal_pointer (&record));
  }
  return TRUE;
}

static gboolean
load_directory (RcSim *self, JsonArray *entries, GError **error)
{
  for (guint i = 0; entries != NULL && i < json_array_get_length (entries); i++) {
    JsonNode *n = json_array_get_element (entries, i);
    if (!JSON_NODE_HOLDS_OBJECT (n)) {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   "directory entry %u is not an object", i);
      return FALSE;
    }
    JsonObject *from = json_node_get_object (n);
    g_autoptr (JsonObject) record = json_object_new ();
    g_autofree char *id = g_strdup_printf ("%" G_GINT64_FORMAT, id_member (from, 700000001 + i));
    json_object_set_string_member (record, "id", id); /* ContactResource.id is a string */
    const char *type = rc_sim_json_string (from, "type");
    const char *status = rc_sim_json_string (from, "status");
    json_object_set_string_member (record, "type", type ? type : "User");
    json_object_set_string_member (record, "status", status ? status : "Enabled");
    if (!copy_strings (from, record, directory_fields, G_N_ELEMENTS (directory_fields),
                       "directory entry", i, error))
      return FALSE;

    JsonArray *numbers = json_array_new ();
    JsonArray *given = array_of (from, "phoneNumbers");
    for (guint j = 0; given != NULL && j < json_array_get_length (given); j++) {
      JsonNode *pn = json_array_get_element (given, j);
      JsonObject *p = JSON_NODE_HOLDS_OBJECT (pn) ? json_node_get_object (pn) : NULL;
      const char *number = rc_sim_json_string (p, "phoneNumber");
      if (number == NULL) {
        json_array_unref (numbers);
        g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                     "directory entry %u: phoneNumbers[%u] needs a \"phoneNumber\"", i, j);
        return FALSE;
      }
      JsonObject *out = json_object_new ();
      const char *ptype = rc_sim_json_string (p, "type");
      const char *usage = rc_sim_json_string (p, "usageType");
      const char *label = rc_sim_json_string (p, "label");
      json_object_set_string_member (out, "phoneNumber", number);
      json_object_set_string_member (out, "type", ptype ? ptype : "VoiceFax");
      json_object_set_string_member (out, "usageType", usage ? usage : "DirectNumber");
      if (label != NULL)
        json_object_set_string_member (out, "label", label);
      JsonNode *primary = json_object_get_member (p, "primary");
      if (primary != NULL && JSON_NODE_HOLDS_VALUE (primary)
          && json_node_get_value_type (primary) == G_TYPE_BOOLEAN)
        json_object_set_boolean_member (out, "primary", json_node_get_boolean (primary));
      json_array_add_object_element (numbers, out);
    }
    json_object_set_array_member (record, "phoneNumbers", numbers);
    g_ptr_array_add (self->directory, g_steal_pointer (&record));
  }
  return TRUE;
}

gboolean
rc_sim_contacts_load (RcSim *self, JsonObject *scenario, GError **error)
{
  return load_address_book (self, array_of (scenario, "address_book"), error)
         && load_directory (self, array_of (scenario, "directory"), error);
}

/* ---- address-book/contact ---- */

/* Digits only, with a 10-digit (NANP national) number taken as +1: "(650) 555-0123" and
 * "+16505550123" compare equal. */
static char *
digits_of (const char *s)
{
  GString *d = g_string_new (NULL);
  for (const char *p = s; p != NULL && *p != '\0'; p++)
    if (g_ascii_isdigit (*p))
      g_string_append_c (d, *p);
  if (d->len == 10 && (s == NULL || strchr (s, '+') == NULL))
    g_string_prepend_c (d, '1');
  return g_string_free (d, FALSE);
}

static gboolean
has_number (JsonObject *record, GPtrArray *wanted)
{
  for (gsize i = 0; i < G_N_ELEMENTS (personal_phone_fields); i++) {
    const char *v = rc_sim_json_string (record, personal_phone_fields[i]);
    if (v == NULL)
      continue;
    g_autofree char *have = digits_of (v);
    for (guint j = 0; j < wanted->len; j++) {
      g_autofree char *want = digits_of (wanted->pdata[j]);
      if (*want != '\0' && g_str_equal (have, want))
        return TRUE;
    }
  }
  return FALSE;
}

static gboolean
starts_with (const char *value, const char *prefix)
{
  return value != NULL && g_ascii_strncasecmp (value, prefix, strlen (prefix)) == 0;
}

static void
append_param (GString *extra, const char *name, const char *value)
{
  g_autofree char *esc = g_uri_escape_string (value, NULL, FALSE);
  g_string_append_printf (extra, "&%s=%s", name, esc);
}

void
rc_sim_handle_address_book (RcSimCall *call)
{
  RcSim *self = call->sim;
  guint page, per_page;
  if (!rc_sim_read_paging (call, &page, &per_page))
    return;
  g_autoptr (GPtrArray) numbers = rc_sim_param_all (call->params, "phoneNumber");
  const char *prefix = rc_sim_param (call->params, "startsWith");

  g_autoptr (GPtrArray) view = g_ptr_array_new ();
  for (guint i = 0; i < self->address_book->len; i++) {
    JsonObject *r = self->address_book->pdata[i];
    if (numbers->len > 0 && !has_number (r, numbers))
      continue;
    if (prefix != NULL && *prefix != '\0'
        && !starts_with (rc_sim_json_string (r, "firstName"), prefix)
        && !starts_with (rc_sim_json_string (r, "lastName"), prefix))
      continue;
    g_ptr_array_add (view, r);
  }

  /* The filters stay in the navigation uris. */
  g_autoptr (GString) extra = g_string_new (NULL);
  for (guint j = 0; j < numbers->len; j++)
    append_param (extra, "phoneNumber", numbers->pdata[j]);
  if (prefix != NULL)
    append_param (extra, "startsWith", prefix);

  g_autofree char *list_uri = g_strdup_printf ("%s%s", call->base_url, call->path);
  g_autoptr (JsonObject) o = json_object_new ();
  g_autofree char *uri
      = g_strdup_printf ("%s?page=%u&perPage=%u%s", list_uri, page, per_page, extra->str);
  json_object_set_string_member (o, "uri", uri);
  JsonArray *records = json_array_new ();
  for (guint i = (page - 1) * per_page; i < view->len && i < page * per_page; i++) {
    JsonObject *r = json_object_new ();
    JsonObject *stored = view->pdata[i];
    gint64 id = json_object_get_int_member (stored, "id");
    g_autofree char *ruri = g_strdup_printf ("%s/%" G_GINT64_FORMAT, list_uri, id);
    json_object_set_string_member (r, "uri", ruri);
    json_object_set_int_member (r, "id", id);
    json_object_set_string_member (r, "availability", "Alive");
    for (gsize f = 0; f < G_N_ELEMENTS (personal_fields); f++) {
      const char *v = rc_sim_json_string (stored, personal_fields[f]);
      if (v != NULL)
        json_object_set_string_member (r, personal_fields[f], v);
    }
    json_array_add_object_element (records, r);
  }
  json_object_set_array_member (o, "records", records);
  JsonObject *nav = NULL;
  JsonObject *paging = rc_sim_paging (call, page, per_page, view->len, extra->str, &nav);
  json_object_set_object_member (o, "paging", paging);
  json_object_set_object_member (o, "navigation", nav);
  rc_sim_reply_object (call, 200, o);
}

/* ---- directory/entries ---- */

/* perPage: an integer up to 2000, or "max" / "all" (SPEC listDirectoryEntries; default 1000).
 * Capped at max_per_page, and at 1000 (EnumeratedPagingModel.perPage's maximum), except "all",
 * which is one page of everything. FALSE: a 400 was written. */
static gboolean
read_directory_paging (RcSimCall *call, guint total, guint *page, guint *per_page)
{
  const char *p = rc_sim_param (call->params, "page");
  const char *pp = rc_sim_param (call->params, "perPage");
  guint cap = MIN (call->sim->max_per_page, 1000);
  *page = 1;
  *per_page = cap;
  if (p != NULL && (!rc_sim_parse_uint (p, page) || *page == 0 || *page > 100000)) {
    rc_sim_reply_error (call, 400, "ADG-121", "Parameter [page] is invalid.", "page");
    return FALSE;
  }
  if (g_strcmp0 (pp, "all") == 0) {
    *page = 1;
    *per_page = MAX (total, 1);
  } else if (pp != NULL && g_strcmp0 (pp, "max") != 0) {
    if (!rc_sim_parse_uint (pp, per_page) || *per_page == 0 || *per_page > 2000) {
      rc_sim_reply_error (call, 400, "ADG-121", "Parameter [perPage] is invalid.", "perPage");
      return FALSE;
    }
    *per_page = MIN (*per_page, cap);
  }
  return TRUE;
}

void
rc_sim_handle_directory (RcSimCall *call)
{
  RcSim *self = call->sim;
  const char *type = rc_sim_param (call->params, "type");
  const char *group = rc_sim_param (call->params, "typeGroup");
  gboolean federated = g_strcmp0 (rc_sim_param (call->params, "showFederated"), "false") != 0;

  g_autoptr (GPtrArray) view = g_ptr_array_new ();
  for (guint i = 0; i < self->directory->len; i++) {
    JsonObject *r = self->directory->pdata[i];
    const char *t = rc_sim_json_string (r, "type");
    if (type != NULL && g_strcmp0 (type, t) != 0)
      continue;
    if (group != NULL && (g_str_equal (group, "User") != (g_strcmp0 (t, "User") == 0)))
      continue;
    g_ptr_array_add (view, r);
  }
  guint page, per_page;
  if (!read_directory_paging (call, view->len, &page, &per_page))
    return;

  g_autoptr (JsonObject) o = json_object_new ();
  JsonArray *records = json_array_new ();
  g_autofree char *account_id = g_strdup_printf ("%" G_GINT64_FORMAT, self->account_id);
  for (guint i = (page - 1) * per_page; i < view->len && i < page * per_page; i++) {
    JsonObject *r = json_object_new ();
    JsonObject *stored = view->pdata[i];
    GList *members = json_object_get_members (stored);
    for (GList *m = members; m != NULL; m = m->next)
      json_object_set_member (r, m->data,
                              json_node_copy (json_object_get_member (stored, m->data)));
    g_list_free (members);
    /* Without showFederated=false the entry names its account (AccountResource). */
    if (federated) {
      JsonObject *account = json_object_new ();
      json_object_set_string_member (account, "id", account_id);
      json_object_set_object_member (r, "account", account);
    }
    json_array_add_object_element (records, r);
  }
  /* DirectoryResource is {paging, records}: EnumeratedPagingModel, no navigation. */
  JsonObject *nav = NULL;
  json_object_set_object_member (o, "paging",
                                 rc_sim_paging (call, page, per_page, view->len, NULL, &nav));
  json_object_unref (nav);
  json_object_set_array_member (o, "records", records);
  rc_sim_reply_object (call, 200, o);
}
