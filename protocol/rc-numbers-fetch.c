/* rc-numbers-fetch.c: every page of the extension's phone numbers (GET
 * .../extension/~/phone-number, fact sheet §2: group Light, `{uri, records[], paging{page,
 * totalPages, ...}, navigation{nextPage{uri}, ...}}`, totalPages may be omitted), moved out of
 * rc-numbers.c. Each page's JSON (0.6-0.9 MB at perPage=1000) is read in worker threads while
 * the main loop goes on (g_task_run_in_thread(): rc_numbers_split_page(), rc_json_parse() and
 * rc_numbers_parse_records() are pure, a tree never leaves its thread, only RcPhoneNumber records
 * come back): one worker cuts the page into two parts, its first FIRST_PART records and the rest,
 * then a worker each parses them; the first part's numbers are handed on (RcNumbersPageFunc) as
 * soon as they are in, so that the registration checks start while the rest is parsed. The pages
 * are read one after another, in order, and so are a page's parts. While page k is parsed, page k +
 * 1 is asked for when an earlier page's paging.totalPages says it exists and page k's address names
 * page=k: at most one page is asked for ahead, never beyond totalPages nor MAX_PAGES, and it is
 * used only when page k's own nextPage (or, for a link to another host, page=k+1 on ours) names the
 * same address, as the one-page-at-a-time path would have asked for. */
#include "rc-numbers.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#include "rc-error.h"
#include "rc-json.h"

#define NUMBERS_PATH "/restapi/v1.0/account/~/extension/~/phone-number"
#define PER_PAGE     1000
#define MAX_PAGES    100 /* a server that never ends its paging must not keep us busy forever */

/* Records in a page's first part: enough for the registration checks to start from them
 * (RC_REGISTRATION_MAX_NUMBERS texting numbers, rc-sender-list.c) while the rest of the page, the
 * second and last part, is parsed. The rest is not cut further: two json-glib parses of half a
 * page side by side took as long as one after the other on the 2-vCPU machine of
 * tests/bench/RESULTS.md (≈ 22 ms either way for a 0.58 MB page, where a loop of arithmetic did
 * run twice as fast on two threads), and at 10,000 numbers they took the CPU the simulator needs
 * to serve the next page (bench-signon 1.4-1.8× → 2.4-2.6× the bare replay). */
#define FIRST_PART 64

/* One page read in the worker thread: its place in the list and, unless already parsed whole
 * (@numbers set), its records cut into parts (@split). */
typedef struct {
  GPtrArray *numbers; /* RcPhoneNumber*, owned; NULL while the parts are being parsed */
  RcNumbersSplit split;
  char *next_uri;     /* navigation.nextPage.uri or NULL */
  gint64 page_no;     /* paging.page in [1, G_MAXINT32], else the page's place in the list */
  gint64 total_pages; /* paging.totalPages in [0, G_MAXINT32], else 0 (unknown) */
  guint records;      /* records[] length, including the records skipped */
} Page;

static void
page_free (Page *page)
{
  g_clear_pointer (&page->numbers, g_ptr_array_unref);
  rc_numbers_split_clear (&page->split);
  g_free (page->next_uri);
  g_free (page);
}

/* What the worker reads: the answer's bytes and the page's place in the list (1 for the first). */
typedef struct {
  GBytes *bytes;
  guint ordinal;
} ParseJob;

static void
parse_job_free (ParseJob *job)
{
  g_bytes_unref (job->bytes);
  g_free (job);
}

/* Worker thread: drops a parsed tree (task data, not owned by the task). */
static void
free_in_thread (GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
  json_node_unref (task_data);
}

/* Freeing the tree of a 0.9 MB page takes as long as a third of its parse, and a worker's result
 * is handed back only when it returns (GTask): another worker drops @root meanwhile. */
static void
free_elsewhere (JsonNode *root)
{
  g_autoptr (GTask) drop = g_task_new (NULL, NULL, NULL, NULL);

  g_task_set_task_data (drop, root, NULL);
  g_task_run_in_thread (drop, free_in_thread);
}

/* Parses @root (the page, or the page without its records) as rc_numbers_parse_page() does, and
 * reads @page's place in the list from it. */
static GPtrArray *
page_read (Page *page, JsonNode *root, guint ordinal, GError **error)
{
  GPtrArray *numbers = rc_numbers_parse_page (root, &page->next_uri, error);
  JsonObject *paging;

  if (numbers == NULL)
    return NULL;
  /* rc_numbers_parse_page() checked the object. Range-checked: page + 1 below must not overflow
   * (a page of 2^63-1). */
  paging = rc_json_object (json_node_get_object (root), "paging");
  page->page_no = rc_json_int_range (paging, "page", 1, G_MAXINT32, ordinal);
  page->total_pages = rc_json_int_range (paging, "totalPages", 0, G_MAXINT32, 0);
  return numbers;
}

/* Worker thread: nothing here touches the main loop, the client or shared state. The page is cut
 * into parts (rc_numbers_split_page()), then each part is parsed by a worker of its own
 * (part_in_thread(), parts_start()); a page the cut refuses is parsed whole here instead, as
 * before the cut (the same errors; what the cut is stricter about, such as a record over 1 MB or
 * records listed twice, still reads as it did). */
static void
parse_in_thread (GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
  ParseJob *job = task_data;
  g_autoptr (JsonNode) root = NULL;
  GError *error = NULL;
  Page *page = g_new0 (Page, 1);
  gsize len = 0;
  const char *data = g_bytes_get_data (job->bytes, &len);

  if (rc_numbers_split_page (data, len, FIRST_PART, 2, &page->split, NULL)) {
    page->records = page->split.records;
    /* The rest's records are [] (rc_json_splitter_finish()): this reads paging and navigation,
     * and the page's numbers come from its parts. */
    page->numbers = page_read (page, page->split.rest, job->ordinal, &error);
    g_clear_pointer (&page->split.rest, json_node_unref);
    if (page->numbers != NULL && page->split.parts->len > 0)
      g_clear_pointer (&page->numbers, g_ptr_array_unref);
  }
  if (page->split.parts == NULL && error == NULL) {
    root = rc_json_parse (data, len, _ ("an answer"), &error);
    if (root != NULL)
      page->numbers = page_read (page, root, job->ordinal, &error);
    if (page->numbers != NULL) {
      page->records = json_array_get_length (
          json_object_get_array_member (json_node_get_object (root), "records"));
      free_elsewhere (g_steal_pointer (&root));
    }
  }
  if (error != NULL) {
    page_free (page);
    g_task_return_error (task, error);
    return;
  }
  g_task_return_pointer (task, page, (GDestroyNotify)page_free);
}

/* Worker thread: one part of a page (task data: its GBytes, a JSON array of records). */
static void
part_in_thread (GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
  gsize len = 0;
  const char *data = g_bytes_get_data (task_data, &len);
  GError *error = NULL;
  JsonNode *root = rc_json_parse (data, len, _ ("an answer"), &error);
  GPtrArray *numbers;

  if (root == NULL) {
    g_task_return_error (task, error);
    return;
  }
  numbers = rc_numbers_parse_records (root, &error);
  free_elsewhere (root);
  if (numbers == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, numbers, (GDestroyNotify)g_ptr_array_unref);
}

typedef struct {
  GPtrArray *numbers;             /* every parsed number so far, each E.164 once */
  RcNumbersAnsweredFunc answered; /* or NULL; called after the first page's answer */
  RcNumbersPageFunc page;         /* or NULL; called after each part's parse (numbers_in) */
  gpointer callback_data;
  GHashTable *seen; /* E.164 (borrowed from @numbers) → itself: a number listed twice counts once */
  GHashTable *asked;  /* every page address followed (absolute, owned): seen again ends the list */
  guint pages;        /* pages parsed */
  gint64 total_pages; /* paging.totalPages of the last parsed page, 0 when unknown */
  char *current;      /* the address of the page being fetched or parsed, as asked for */
  gboolean finished;  /* the task returned: answers still on their way are dropped */
  /* The page asked for ahead while the one before it is parsed (at most one). */
  guint ahead_gen;                   /* tells the current one from dropped ones */
  char *ahead_path;                  /* as asked for; NULL when none */
  char *ahead_abs;                   /* absolute, to compare with the next page's address */
  gboolean ahead_done, ahead_wanted; /* answered; the list goes on with it (waiting for it) */
  GBytes *ahead_bytes;
  GError *ahead_error;
} FetchData;

/* The callback data of a page asked for ahead: the task (a reference) and which one it was. */
typedef struct {
  GTask *task;
  guint gen;
} AheadCall;

static void
ahead_clear (FetchData *data)
{
  data->ahead_gen++;
  g_clear_pointer (&data->ahead_path, g_free);
  g_clear_pointer (&data->ahead_abs, g_free);
  g_clear_pointer (&data->ahead_bytes, g_bytes_unref);
  g_clear_error (&data->ahead_error);
  data->ahead_done = data->ahead_wanted = FALSE;
}

static void
fetch_data_free (FetchData *data)
{
  ahead_clear (data);
  g_free (data->current);
  g_hash_table_unref (data->seen);
  g_hash_table_unref (data->asked);
  g_ptr_array_unref (data->numbers);
  g_free (data);
}

static char *
absolute (RcClient *client, const char *path)
{
  return path[0] == '/' ? g_strconcat (rc_client_get_server_url (client), path, NULL)
                        : g_strdup (path);
}

/* Adds @page's numbers to @data, skipping numbers already there (the server may list a number on
 * two pages, or a looping nextPage may repeat a page). */
static void
add_numbers (FetchData *data, GPtrArray *page)
{
  for (guint i = 0; i < page->len; i++) {
    RcPhoneNumber *number = g_ptr_array_index (page, i);

    if (g_hash_table_contains (data->seen, number->e164)) {
      g_debug ("phone-number list: a number listed twice counts once");
      continue;
    }
    page->pdata[i] = NULL;
    g_hash_table_add (data->seen, number->e164);
    g_ptr_array_add (data->numbers, number);
  }
}

static void
finish_error (GTask *task, GError *error)
{
  FetchData *data = g_task_get_task_data (task);

  data->finished = TRUE;
  ahead_clear (data);
  g_task_return_error (task, error);
}

/* Answers with the texting numbers, in the server's order (moved, not copied as
 * rc_numbers_filter_senders() would: 10,000 of them at the largest). */
static void
finish_list (GTask *task)
{
  FetchData *data = g_task_get_task_data (task);
  GPtrArray *senders = g_ptr_array_new_with_free_func ((GDestroyNotify)rc_phone_number_free);

  data->finished = TRUE;
  ahead_clear (data);
  g_hash_table_remove_all (data->seen); /* it borrows the numbers' strings */
  for (guint i = 0; i < data->numbers->len; i++) {
    RcPhoneNumber *number = data->numbers->pdata[i];

    if (rc_phone_number_can_text (number)) {
      g_ptr_array_add (senders, number);
      data->numbers->pdata[i] = NULL;
    }
  }
  g_task_return_pointer (task, senders, (GDestroyNotify)g_ptr_array_unref);
}

/* @path with its one page=@from query parameter set to @to; NULL when it has none, several, or
 * another value (then the next page's address cannot be foreseen). Newly allocated. */
static char *
with_page (const char *path, gint64 from, gint64 to)
{
  const char *query = strchr (path, '?');
  g_autofree char *want = g_strdup_printf ("page=%" G_GINT64_FORMAT, from);
  g_auto (GStrv) params = NULL;
  g_autofree char *joined = NULL;
  guint found = 0;

  if (query == NULL || strchr (query, '#') != NULL)
    return NULL;
  params = g_strsplit (query + 1, "&", -1);
  for (guint i = 0; params[i] != NULL; i++) {
    if (!g_str_has_prefix (params[i], "page="))
      continue;
    if (++found > 1 || strcmp (params[i], want) != 0)
      return NULL;
    g_free (params[i]);
    params[i] = g_strdup_printf ("page=%" G_GINT64_FORMAT, to);
  }
  if (found != 1)
    return NULL;
  joined = g_strjoinv ("&", params);
  return g_strdup_printf ("%.*s?%s", (int)(query - path), path, joined);
}

static void page_fetched (GObject *source, GAsyncResult *result, gpointer user_data);
static void ahead_fetched (GObject *source, GAsyncResult *result, gpointer user_data);
static void page_parsed (GObject *source, GAsyncResult *result, gpointer user_data);

/* Asks for @path; the list goes on with its answer. */
static void
fetch_page (GTask *task, const char *path)
{
  RcClient *client = g_task_get_source_object (task);
  FetchData *data = g_task_get_task_data (task);

  /* Kept absolute, so that a nextPage naming the first page in full is known as a loop. */
  g_hash_table_add (data->asked, absolute (client, path));
  g_free (data->current);
  data->current = g_strdup (path);
  rc_client_request_bytes_async (client, "GET", path, NULL, NULL, g_task_get_cancellable (task),
                                 page_fetched, g_object_ref (task));
}

/* While page data->pages + 1 (at data->current) is parsed: asks for the page after it when an
 * earlier page's totalPages says it exists. */
static void
ask_ahead (GTask *task)
{
  RcClient *client = g_task_get_source_object (task);
  FetchData *data = g_task_get_task_data (task);
  gint64 parsing = (gint64)data->pages + 1;
  g_autofree char *path = NULL;
  g_autofree char *abs_path = NULL;
  AheadCall *call;

  if (data->ahead_path != NULL || data->total_pages <= parsing || parsing + 1 > MAX_PAGES)
    return;
  path = with_page (data->current, parsing, parsing + 1);
  if (path == NULL)
    return;
  abs_path = absolute (client, path);
  if (g_hash_table_contains (data->asked, abs_path))
    return;
  data->ahead_path = g_steal_pointer (&path);
  data->ahead_abs = g_steal_pointer (&abs_path);
  g_debug ("phone-number list: asking for page %" G_GINT64_FORMAT " while page %" G_GINT64_FORMAT
           " is parsed",
           parsing + 1, parsing);
  call = g_new0 (AheadCall, 1);
  call->task = g_object_ref (task);
  call->gen = data->ahead_gen;
  rc_client_request_bytes_async (client, "GET", data->ahead_path, NULL, NULL,
                                 g_task_get_cancellable (task), ahead_fetched, call);
}

/* Parses @bytes (the page at data->current) in a worker thread; takes @bytes. */
static void
parse_page (GTask *task, GBytes *bytes)
{
  FetchData *data = g_task_get_task_data (task);
  g_autoptr (GTask) parse = NULL;
  ParseJob *job = g_new0 (ParseJob, 1);

  job->bytes = bytes;
  job->ordinal = data->pages + 1;
  parse = g_task_new (NULL, g_task_get_cancellable (task), page_parsed, g_object_ref (task));
  g_task_set_source_tag (parse, parse_page);
  g_task_set_task_data (parse, job, (GDestroyNotify)parse_job_free);
  g_task_run_in_thread (parse, parse_in_thread);
  ask_ahead (task);
}

static void
page_fetched (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GTask) task = user_data;
  FetchData *data = g_task_get_task_data (task);
  GError *error = NULL;
  GBytes *bytes = rc_client_request_bytes_finish (RC_CLIENT (source), result, &error);

  if (data->finished) {
    g_clear_error (&error);
    g_clear_pointer (&bytes, g_bytes_unref);
    return;
  }
  if (bytes == NULL) {
    finish_error (task, error);
    return;
  }
  parse_page (task, bytes);
  if (data->answered != NULL) {
    RcNumbersAnsweredFunc answered = data->answered;

    data->answered = NULL;
    answered (data->callback_data);
  }
}

static void
ahead_fetched (GObject *source, GAsyncResult *result, gpointer user_data)
{
  AheadCall *call = user_data;
  g_autoptr (GTask) task = call->task;
  guint gen = call->gen;
  FetchData *data = g_task_get_task_data (task);
  GError *error = NULL;
  GBytes *bytes = rc_client_request_bytes_finish (RC_CLIENT (source), result, &error);

  g_free (call);
  if (data->finished || gen != data->ahead_gen) {
    /* Dropped: the list ended, failed, or went on elsewhere. */
    g_clear_error (&error);
    g_clear_pointer (&bytes, g_bytes_unref);
    return;
  }
  data->ahead_done = TRUE;
  data->ahead_bytes = bytes;
  data->ahead_error = error;
  if (!data->ahead_wanted)
    return; /* the page before it is still being parsed */
  if (data->ahead_error != NULL) {
    finish_error (task, g_steal_pointer (&data->ahead_error));
    return;
  }
  bytes = g_steal_pointer (&data->ahead_bytes);
  ahead_clear (data);
  parse_page (task, bytes);
}

/* Goes on with the page at @path (the next one), the one asked for ahead when it is that one. */
static void
go_on (GTask *task, char *path, char *abs_path)
{
  FetchData *data = g_task_get_task_data (task);

  if (data->ahead_abs == NULL || strcmp (data->ahead_abs, abs_path) != 0) {
    if (data->ahead_abs != NULL)
      g_debug ("phone-number list: the page asked for ahead is not the next one; dropped");
    ahead_clear (data);
    fetch_page (task, path);
    return;
  }
  g_hash_table_add (data->asked, g_strdup (abs_path));
  g_free (data->current);
  data->current = g_strdup (path);
  if (!data->ahead_done) {
    data->ahead_wanted = TRUE; /* ahead_fetched() goes on */
    return;
  }
  if (data->ahead_error != NULL) {
    finish_error (task, g_steal_pointer (&data->ahead_error));
    return;
  }
  {
    GBytes *bytes = g_steal_pointer (&data->ahead_bytes);

    ahead_clear (data);
    parse_page (task, bytes);
  }
}

/* Adds @numbers (a page, or a part of one) to the list and tells the page function. */
static void
numbers_in (FetchData *data, GPtrArray *numbers)
{
  add_numbers (data, numbers);
  if (data->page != NULL)
    data->page (data->numbers, data->callback_data);
}

/* A page's parts being parsed, each by a worker: their answers are handed on in list order. */
typedef struct {
  GPtrArray *numbers; /* the part's, or NULL */
  GError *error;      /* or this */
  gboolean done;
} Part;

typedef struct {
  GTask *task; /* the fetch (a reference) */
  Page *page;  /* owned until the last part is in; its numbers are the parts' */
  Part *parts;
  guint n;    /* parts */
  guint next; /* parts handed on */
} Parts;

static void
parts_clear (Parts *parts)
{
  for (guint i = 0; i < parts->n; i++) {
    g_clear_pointer (&parts->parts[i].numbers, g_ptr_array_unref);
    g_clear_error (&parts->parts[i].error);
  }
  g_free (parts->parts);
  g_clear_pointer (&parts->page, page_free);
  g_object_unref (parts->task);
}

/* The callback data of one part's parse. */
typedef struct {
  Parts *parts; /* a reference (g_rc_box) */
  guint index;
} PartCall;

static void page_done (GTask *task, Page *page);

static void
part_parsed (GObject *source, GAsyncResult *result, gpointer user_data)
{
  PartCall *call = user_data;
  Parts *parts = call->parts;
  GTask *task = parts->task;
  FetchData *data = g_task_get_task_data (task);
  Part *part = &parts->parts[call->index];

  g_free (call);
  part->numbers = g_task_propagate_pointer (G_TASK (result), &part->error);
  part->done = TRUE;
  /* Every part answered so far is handed on in list order; a failed part fails the list there.
   * data->finished: the list ended meanwhile (failed, or cancelled): the rest is dropped. */
  while (!data->finished && parts->next < parts->n && parts->parts[parts->next].done) {
    part = &parts->parts[parts->next++];
    if (part->error != NULL)
      finish_error (task, g_steal_pointer (&part->error));
    else
      numbers_in (data, part->numbers);
  }
  if (!data->finished && parts->next == parts->n && parts->page != NULL)
    page_done (task, g_steal_pointer (&parts->page));
  g_rc_box_release_full (parts, (GDestroyNotify)parts_clear);
}

/* Parses @page's parts (page->split.parts), each in a worker of its own; takes @page. */
static void
parts_start (GTask *task, Page *page)
{
  Parts *parts = g_rc_box_new0 (Parts);

  parts->task = g_object_ref (task);
  parts->page = page;
  parts->n = page->split.parts->len;
  parts->parts = g_new0 (Part, parts->n);
  for (guint i = 0; i < parts->n; i++) {
    PartCall *call = g_new0 (PartCall, 1);
    g_autoptr (GTask) parse = NULL;

    call->parts = g_rc_box_acquire (parts);
    call->index = i;
    parse = g_task_new (NULL, g_task_get_cancellable (task), part_parsed, call);
    g_task_set_source_tag (parse, parts_start);
    g_task_set_task_data (parse, g_bytes_ref (page->split.parts->pdata[i]),
                          (GDestroyNotify)g_bytes_unref);
    g_task_run_in_thread (parse, part_in_thread);
  }
  g_rc_box_release_full (parts, (GDestroyNotify)parts_clear);
}

static void
page_parsed (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GTask) task = user_data;
  FetchData *data = g_task_get_task_data (task);
  GError *error = NULL;
  Page *page = g_task_propagate_pointer (G_TASK (result), &error);

  if (data->finished) {
    g_clear_error (&error);
    g_clear_pointer (&page, page_free);
    return;
  }
  if (page == NULL) {
    finish_error (task, error);
    return;
  }
  if (page->numbers == NULL) {
    parts_start (task, page);
    return;
  }
  numbers_in (data, page->numbers);
  page_done (task, page);
}

/* @page is read and its numbers are in the list (takes @page): the list ends or goes on. */
static void
page_done (GTask *task, Page *page)
{
  RcClient *client = g_task_get_source_object (task);
  FetchData *data = g_task_get_task_data (task);
  g_autofree char *path = NULL;
  g_autofree char *abs_path = NULL;
  gboolean last;

  data->pages++;
  data->total_pages = page->total_pages;
  last = page->next_uri == NULL || (page->total_pages > 0 && page->page_no >= page->total_pages)
         || page->records == 0;
  if (!last && data->pages >= MAX_PAGES) {
    /* totalPages in the millions: MAX_PAGES pages is 100,000 numbers, beyond any account. */
    g_debug ("phone-number list: stopping after %u pages", data->pages);
    last = TRUE;
  }
  if (last) {
    page_free (page);
    finish_list (task);
    return;
  }

  /* Our token only goes to our server: a link elsewhere is replaced by the page number. */
  if (rc_client_is_same_origin (client, page->next_uri))
    path = g_steal_pointer (&page->next_uri);
  else
    path = g_strdup_printf (NUMBERS_PATH "?perPage=%d&page=%" G_GINT64_FORMAT, PER_PAGE,
                            page->page_no + 1);
  page_free (page);
  abs_path = absolute (client, path);
  if (g_hash_table_contains (data->asked, abs_path)) {
    /* A nextPage that loops back: every page it can give was read already. */
    g_debug ("phone-number list: the next page was read already, stopping after %u pages",
             data->pages);
    finish_list (task);
    return;
  }
  go_on (task, path, abs_path);
}

void
rc_numbers_fetch_senders_async (RcClient *client, GCancellable *cancellable,
                                GAsyncReadyCallback callback, gpointer user_data)
{
  rc_numbers_fetch_senders_full_async (client, NULL, NULL, NULL, cancellable, callback, user_data);
}

void
rc_numbers_fetch_senders_full_async (RcClient *client, RcNumbersAnsweredFunc answered,
                                     RcNumbersPageFunc page, gpointer callback_data,
                                     GCancellable *cancellable, GAsyncReadyCallback callback,
                                     gpointer user_data)
{
  g_autoptr (GTask) task = NULL;
  FetchData *data;

  g_return_if_fail (RC_IS_CLIENT (client));

  task = g_task_new (client, cancellable, callback, user_data);
  g_task_set_source_tag (task, rc_numbers_fetch_senders_async);
  data = g_new0 (FetchData, 1);
  data->numbers = g_ptr_array_new_with_free_func ((GDestroyNotify)rc_phone_number_free);
  data->answered = answered;
  data->page = page;
  data->callback_data = callback_data;
  data->seen = g_hash_table_new (g_str_hash, g_str_equal);
  data->asked = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_task_set_task_data (task, data, (GDestroyNotify)fetch_data_free);
  fetch_page (task, NUMBERS_PATH "?perPage=1000");
}

GPtrArray *
rc_numbers_fetch_senders_finish (RcClient *client, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, client), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}
