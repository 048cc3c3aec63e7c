/* rc-contacts.c: names for phone numbers from the personal address book and the company
 * directory (fact sheet §4 "Names: personal contacts and the company directory"). */
#include "rc-contacts-private.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#include "rc-error.h"
#include "rc-json.h"
#include "rc-phone.h"

#define PERSONAL_PATH  "/restapi/v1.0/account/~/extension/~/address-book/contact"
#define DIRECTORY_PATH "/restapi/v1.0/account/~/directory/entries"
#define PER_PAGE       1000 /* the most listContacts gives (UserContactsPagingInfo.perPage) */
#define NAME_MAX_CHARS 200  /* a display name longer than this is cut */

struct _RcContacts {
  GObject parent_instance;

  RcClient *client;
  char *default_country; /* E.164 number whose country national numbers are read in, or NULL */

  /* E.164 → name (char*), per source as last read successfully, and merged (what lookup uses). */
  GHashTable *personal;
  GHashTable *directory;
  GHashTable *map;
  char *last_warning;

  guint64 loads_started; /* generation of the newest load */
  guint64 applied;       /* generation of the last load applied to the map */
};

enum { SIGNAL_CHANGED, N_SIGNALS };
static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (RcContacts, rc_contacts, G_TYPE_OBJECT)

static GHashTable *
string_map_new (void)
{
  return g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
}

static void
rc_contacts_finalize (GObject *object)
{
  RcContacts *self = RC_CONTACTS (object);

  g_clear_object (&self->client);
  g_free (self->default_country);
  g_hash_table_unref (self->personal);
  g_hash_table_unref (self->directory);
  g_hash_table_unref (self->map);
  g_free (self->last_warning);
  G_OBJECT_CLASS (rc_contacts_parent_class)->finalize (object);
}

static void
rc_contacts_class_init (RcContactsClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = rc_contacts_finalize;

  signals[SIGNAL_CHANGED] = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                          0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
rc_contacts_init (RcContacts *self)
{
  self->personal = string_map_new ();
  self->directory = string_map_new ();
  self->map = string_map_new ();
}

RcContacts *
rc_contacts_new (RcClient *client)
{
  RcContacts *self;

  g_return_val_if_fail (RC_IS_CLIENT (client), NULL);
  self = g_object_new (RC_TYPE_CONTACTS, NULL);
  self->client = g_object_ref (client);
  return self;
}

void
rc_contacts_set_default_country (RcContacts *self, const char *sender_e164)
{
  g_return_if_fail (RC_IS_CONTACTS (self));
  g_free (self->default_country);
  self->default_country = rc_phone_is_e164 (sender_e164) ? g_strdup (sender_e164) : NULL;
}

/* ---- parsing ---- */

static void
contact_name_free (RcContactName *entry)
{
  g_free (entry->name);
  g_free (entry);
}

GHashTable *
rc_contacts_names_new (void)
{
  return g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify)contact_name_free);
}

/* A trimmed, non-empty string member as valid UTF-8 (rc_json_text()), or NULL. */
static const char *
text_member (JsonObject *object, const char *name, char **storage)
{
  char *value = rc_json_text (rc_json_member (object, name));

  if (value == NULL)
    return NULL;
  *storage = g_strstrip (value);
  if (**storage == '\0') {
    g_clear_pointer (storage, g_free);
    return NULL;
  }
  return *storage;
}

/* A name fit for a buddy alias: control characters become spaces, at most NAME_MAX_CHARS. */
static char *
clean_name (const char *name)
{
  g_autofree char *copy = g_utf8_make_valid (name, -1);

  for (char *p = copy; *p != '\0'; p++)
    if ((guchar)*p < 0x20 || *p == 0x7f)
      *p = ' ';
  g_strstrip (copy);
  if (g_utf8_strlen (copy, -1) > NAME_MAX_CHARS)
    return g_utf8_substring (copy, 0, NAME_MAX_CHARS);
  return g_steal_pointer (&copy);
}

/* "First Last", either alone when the other is missing; NULL when both are. */
static char *
person_name (JsonObject *record)
{
  g_autofree char *first_s = NULL;
  g_autofree char *last_s = NULL;
  const char *first = text_member (record, "firstName", &first_s);
  const char *last = text_member (record, "lastName", &last_s);

  if (first != NULL && last != NULL)
    return g_strdup_printf ("%s %s", first, last);
  return g_strdup (first != NULL ? first : last);
}

/* Adds @raw (free-form) under @name unless a better-ranked name holds the number already. */
static void
add_number (GHashTable *names, const char *raw, const char *name, guint rank,
            const char *default_country)
{
  g_autofree char *e164 = NULL;
  RcContactName *old, *entry;

  if (raw == NULL)
    return;
  e164 = rc_phone_normalize (raw, default_country, NULL);
  if (e164 == NULL)
    return; /* "x12" extensions, letters, too short: not a number that can text us */
  old = g_hash_table_lookup (names, e164);
  if (old != NULL && old->rank <= rank)
    return;
  if (old == NULL && g_hash_table_size (names) >= RC_CONTACTS_MAX_NUMBERS)
    return;
  entry = g_new0 (RcContactName, 1);
  entry->name = clean_name (name);
  entry->rank = rank;
  g_hash_table_replace (names, g_steal_pointer (&e164), entry);
}

/* PersonalContactResource phone fields; companyPhone is often shared by a whole company. */
static const char *const personal_phone_fields[] = {
  "mobilePhone",   "businessPhone", "businessPhone2", "homePhone",   "homePhone2", "carPhone",
  "callbackPhone", "otherPhone",    "assistantPhone", "businessFax", "otherFax",
};

static void
parse_personal (JsonObject *record, const char *default_country, GHashTable *names)
{
  g_autofree char *nick_s = NULL;
  g_autofree char *company_s = NULL;
  g_autofree char *name = person_name (record);
  const char *nick = text_member (record, "nickName", &nick_s);
  const char *company = text_member (record, "company", &company_s);
  const char *availability = rc_json_string (record, "availability");

  if (availability != NULL && strcmp (availability, "Alive") != 0)
    return; /* address-book-sync's Deleted/Purged records */
  if (name == NULL)
    name = g_strdup (nick != NULL ? nick : company);
  if (name == NULL)
    return;
  for (gsize i = 0; i < G_N_ELEMENTS (personal_phone_fields); i++)
    add_number (names, rc_json_string (record, personal_phone_fields[i]), name, 0, default_country);
  /* The company's number is the company's name, and weaker than anybody's own number. */
  add_number (names, rc_json_string (record, "companyPhone"), company != NULL ? company : name, 1,
              default_country);
}

static gboolean
shared_usage_type (const char *usage_type)
{
  static const char *const shared[]
      = { "MainCompanyNumber", "AdditionalCompanyNumber", "CompanyNumber", "CompanyFaxNumber" };

  for (gsize i = 0; usage_type != NULL && i < G_N_ELEMENTS (shared); i++)
    if (strcmp (usage_type, shared[i]) == 0)
      return TRUE;
  return FALSE;
}

static void
parse_directory (JsonObject *record, const char *default_country, GHashTable *names)
{
  g_autofree char *plain_s = NULL;
  g_autofree char *name = person_name (record);
  JsonNode *numbers = rc_json_member (record, "phoneNumbers");
  JsonArray *array;

  if (name == NULL)
    name = g_strdup (text_member (record, "name", &plain_s));
  if (name == NULL || numbers == NULL || !JSON_NODE_HOLDS_ARRAY (numbers))
    return;
  array = json_node_get_array (numbers);
  for (guint i = 0; i < json_array_get_length (array); i++) {
    JsonNode *node = json_array_get_element (array, i);
    JsonObject *number;
    const char *raw;

    if (!JSON_NODE_HOLDS_OBJECT (node))
      continue;
    number = json_node_get_object (node);
    if (shared_usage_type (rc_json_string (number, "usageType")))
      continue;
    raw = rc_json_string (number, "phoneNumber");
    add_number (names, raw != NULL ? raw : rc_json_string (number, "e164"), name, 0,
                default_country);
  }
}

gboolean
rc_contacts_parse_page (RcContactsSource source, JsonNode *root, const char *default_country,
                        GHashTable *names, char **next_page_uri, guint *n_records, GError **error)
{
  JsonObject *object, *navigation, *next;
  JsonNode *records;
  JsonArray *array;

  g_return_val_if_fail (names != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);
  if (next_page_uri != NULL)
    *next_page_uri = NULL;
  if (n_records != NULL)
    *n_records = 0;

  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root)) {
    g_set_error (error, RC_ERROR, RC_ERROR_BAD_RESPONSE,
                 _ ("RingCentral sent a contact list we cannot read (%s)."), "not an object");
    return FALSE;
  }
  object = json_node_get_object (root);
  records = json_object_get_member (object, "records");
  if (records == NULL || !JSON_NODE_HOLDS_ARRAY (records)) {
    g_set_error (error, RC_ERROR, RC_ERROR_BAD_RESPONSE,
                 _ ("RingCentral sent a contact list we cannot read (%s)."), "no records list");
    return FALSE;
  }

  array = json_node_get_array (records);
  for (guint i = 0; i < json_array_get_length (array); i++) {
    JsonNode *node = json_array_get_element (array, i);

    if (!JSON_NODE_HOLDS_OBJECT (node))
      continue;
    if (source == RC_CONTACTS_PERSONAL)
      parse_personal (json_node_get_object (node), default_country, names);
    else
      parse_directory (json_node_get_object (node), default_country, names);
  }
  if (n_records != NULL)
    *n_records = json_array_get_length (array);

  navigation = rc_json_object (object, "navigation");
  next = rc_json_object (navigation, "nextPage");
  if (next_page_uri != NULL && rc_json_string (next, "uri") != NULL)
    *next_page_uri = g_strdup (rc_json_string (next, "uri"));
  return TRUE;
}

/* ---- loading ---- */

typedef struct {
  guint64 generation;
  char *default_country;
  RcContactsSource source; /* being read */
  guint pages;             /* pages of it read so far */
  GHashTable *names[2];    /* per source: RcContactName maps */
  GError *errors[2];       /* per source: why it failed, or NULL */
} LoadData;

static void
load_data_free (LoadData *data)
{
  g_free (data->default_country);
  for (guint i = 0; i < 2; i++) {
    g_clear_pointer (&data->names[i], g_hash_table_unref);
    g_clear_error (&data->errors[i]);
  }
  g_free (data);
}

static void page_done (GObject *source, GAsyncResult *result, gpointer user_data);

static void
fetch (GTask *task, const char *path)
{
  RcContacts *self = g_task_get_source_object (task);

  rc_client_request_async (self->client, "GET", path, NULL, g_task_get_cancellable (task),
                           page_done, task);
}

static char *
page_path (RcContactsSource source, gint64 page)
{
  return g_strdup_printf ("%s?page=%" G_GINT64_FORMAT "&perPage=%d",
                          source == RC_CONTACTS_PERSONAL ? PERSONAL_PATH : DIRECTORY_PATH, page,
                          PER_PAGE);
}

static const char *
source_label (RcContactsSource source)
{
  return source == RC_CONTACTS_PERSONAL ? "address book" : "directory";
}

/* E.164 → name (char*) from an RcContactName map. */
static GHashTable *
flatten (GHashTable *names)
{
  GHashTable *out = string_map_new ();
  GHashTableIter iter;
  gpointer key, value;

  g_hash_table_iter_init (&iter, names);
  while (g_hash_table_iter_next (&iter, &key, &value))
    g_hash_table_insert (out, g_strdup (key), g_strdup (((RcContactName *)value)->name));
  return out;
}

static gboolean
same_map (GHashTable *a, GHashTable *b)
{
  GHashTableIter iter;
  gpointer key, value;

  if (g_hash_table_size (a) != g_hash_table_size (b))
    return FALSE;
  g_hash_table_iter_init (&iter, a);
  while (g_hash_table_iter_next (&iter, &key, &value))
    if (g_strcmp0 (value, g_hash_table_lookup (b, key)) != 0)
      return FALSE;
  return TRUE;
}

static void
apply (RcContacts *self, LoadData *data)
{
  g_autoptr (GHashTable) merged = string_map_new ();
  GHashTable *parts[2];
  GHashTableIter iter;
  gpointer key, value;

  for (guint i = 0; i < 2; i++) {
    GHashTable **kept = i == RC_CONTACTS_PERSONAL ? &self->personal : &self->directory;

    if (data->errors[i] == NULL) {
      g_hash_table_unref (*kept);
      *kept = flatten (data->names[i]);
    }
    parts[i] = *kept;
  }
  /* The directory first, so that personal contacts overwrite it. */
  g_hash_table_iter_init (&iter, parts[RC_CONTACTS_DIRECTORY]);
  while (g_hash_table_iter_next (&iter, &key, &value))
    g_hash_table_replace (merged, g_strdup (key), g_strdup (value));
  g_hash_table_iter_init (&iter, parts[RC_CONTACTS_PERSONAL]);
  while (g_hash_table_iter_next (&iter, &key, &value))
    g_hash_table_replace (merged, g_strdup (key), g_strdup (value));

  g_clear_pointer (&self->last_warning, g_free);
  if (data->errors[RC_CONTACTS_PERSONAL] != NULL)
    self->last_warning = g_strdup_printf (_ ("Could not read your personal contacts: %s"),
                                          data->errors[RC_CONTACTS_PERSONAL]->message);
  else if (data->errors[RC_CONTACTS_DIRECTORY] != NULL)
    self->last_warning = g_strdup_printf (_ ("Could not read the company directory: %s"),
                                          data->errors[RC_CONTACTS_DIRECTORY]->message);
  if (self->last_warning != NULL)
    g_debug ("contacts: %s", self->last_warning);

  self->applied = data->generation;
  g_debug ("contacts: %u personal and %u directory numbers named",
           g_hash_table_size (self->personal), g_hash_table_size (self->directory));
  if (same_map (merged, self->map))
    return;
  g_hash_table_unref (self->map);
  self->map = g_steal_pointer (&merged);
  g_signal_emit (self, signals[SIGNAL_CHANGED], 0);
}

static gboolean
is_transient (const GError *error)
{
  return g_error_matches (error, RC_ERROR, RC_ERROR_NETWORK)
         || g_error_matches (error, RC_ERROR, RC_ERROR_RATE_LIMITED);
}

static void
finish (GTask *task)
{
  RcContacts *self = g_task_get_source_object (task);
  LoadData *data = g_task_get_task_data (task);
  GError **personal = &data->errors[RC_CONTACTS_PERSONAL];
  GError **directory = &data->errors[RC_CONTACTS_DIRECTORY];
  GError *error;

  if (g_task_return_error_if_cancelled (task))
    return;
  if (*personal != NULL && *directory != NULL) {
    /* Both failed: the map stays; a transient error lets the caller retry later. */
    error = g_error_copy (!is_transient (*personal) && is_transient (*directory) ? *directory
                                                                                 : *personal);
    g_prefix_error (&error, _ ("Could not read contacts or the company directory: "));
    g_task_return_error (task, error);
    return;
  }
  if (data->generation > self->applied)
    apply (self, data);
  else
    g_debug ("contacts: a newer load was applied already; this one is dropped");
  g_task_return_boolean (task, TRUE);
}

/* The current source is done (read, or failed with data->errors set): next source or finish. */
static void
source_done (GTask *task)
{
  LoadData *data = g_task_get_task_data (task);
  g_autofree char *path = NULL;

  if (data->source == RC_CONTACTS_DIRECTORY) {
    finish (task);
    g_object_unref (task);
    return;
  }
  data->source = RC_CONTACTS_DIRECTORY;
  data->pages = 0;
  path = page_path (RC_CONTACTS_DIRECTORY, 1);
  fetch (task, path);
}

static void
page_done (GObject *source, GAsyncResult *result, gpointer user_data)
{
  GTask *task = user_data;
  RcContacts *self = g_task_get_source_object (task);
  LoadData *data = g_task_get_task_data (task);
  RcContactsSource kind = data->source;
  g_autoptr (JsonNode) root = NULL;
  g_autofree char *next_uri = NULL;
  g_autofree char *path = NULL;
  GError *error = NULL;
  JsonObject *paging;
  gint64 page_no, total_pages, per_page;
  guint n_records = 0;
  gboolean more;

  root = rc_client_request_finish (RC_CLIENT (source), result, &error);
  if (root != NULL)
    rc_contacts_parse_page (kind, root, data->default_country, data->names[kind], &next_uri,
                            &n_records, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED)) {
    g_task_return_error (task, error);
    g_object_unref (task);
    return;
  }
  if (error != NULL) {
    g_debug ("contacts: %s page %u failed: %s", source_label (kind), data->pages + 1,
             error->message);
    data->errors[kind] = error;
    source_done (task);
    return;
  }
  data->pages++;

  paging = rc_json_object (json_node_get_object (root), "paging");
  page_no = rc_json_int (paging, "page", data->pages);
  total_pages = rc_json_int (paging, "totalPages", 0);
  per_page = rc_json_int (paging, "perPage", PER_PAGE);
  if (n_records == 0 || (total_pages > 0 && page_no >= total_pages))
    more = FALSE;
  else if (kind == RC_CONTACTS_PERSONAL)
    more = next_uri != NULL; /* ContactList says where the next page is */
  else
    more = total_pages > 0 || n_records >= per_page; /* DirectoryResource has no navigation */

  if (more && data->pages >= RC_CONTACTS_MAX_PAGES) {
    g_debug ("contacts: %s: stopping after %u pages", source_label (kind), data->pages);
    more = FALSE;
  }
  if (!more) {
    source_done (task);
    return;
  }
  /* Our token only goes to our server: a link elsewhere is replaced by the page number. */
  if (kind == RC_CONTACTS_PERSONAL && rc_client_is_same_origin (self->client, next_uri))
    path = g_steal_pointer (&next_uri);
  else
    path = page_path (kind, (gint64)data->pages + 1);
  fetch (task, path);
}

void
rc_contacts_load_async (RcContacts *self, GCancellable *cancellable, GAsyncReadyCallback callback,
                        gpointer user_data)
{
  g_autofree char *path = NULL;
  GTask *task;
  LoadData *data;

  g_return_if_fail (RC_IS_CONTACTS (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, rc_contacts_load_async);
  data = g_new0 (LoadData, 1);
  data->generation = ++self->loads_started;
  data->default_country = g_strdup (self->default_country);
  data->source = RC_CONTACTS_PERSONAL;
  data->names[RC_CONTACTS_PERSONAL] = rc_contacts_names_new ();
  data->names[RC_CONTACTS_DIRECTORY] = rc_contacts_names_new ();
  g_task_set_task_data (task, data, (GDestroyNotify)load_data_free);
  path = page_path (RC_CONTACTS_PERSONAL, 1);
  fetch (task, path);
}

gboolean
rc_contacts_load_finish (RcContacts *self, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

/* ---- the map ---- */

const char *
rc_contacts_lookup (RcContacts *self, const char *e164)
{
  g_return_val_if_fail (RC_IS_CONTACTS (self), NULL);
  return e164 != NULL ? g_hash_table_lookup (self->map, e164) : NULL;
}

void
rc_contacts_foreach (RcContacts *self,
                     void (*func) (const char *e164, const char *name, gpointer user_data),
                     gpointer user_data)
{
  GHashTableIter iter;
  gpointer key, value;

  g_return_if_fail (RC_IS_CONTACTS (self));
  g_return_if_fail (func != NULL);
  g_hash_table_iter_init (&iter, self->map);
  while (g_hash_table_iter_next (&iter, &key, &value))
    func (key, value, user_data);
}

guint
rc_contacts_size (RcContacts *self)
{
  g_return_val_if_fail (RC_IS_CONTACTS (self), 0);
  return g_hash_table_size (self->map);
}

const char *
rc_contacts_get_last_warning (RcContacts *self)
{
  g_return_val_if_fail (RC_IS_CONTACTS (self), NULL);
  return self->last_warning;
}
