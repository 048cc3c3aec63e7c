/* rc-numbers.h: the user's phone numbers and which of them can send texts. */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "rc-client.h"

G_BEGIN_DECLS

typedef enum {
  RC_FEATURE_NONE = 0,
  RC_FEATURE_SMS = 1 << 0,           /* SmsSender */
  RC_FEATURE_MMS = 1 << 1,           /* MmsSender */
  RC_FEATURE_INTERNATIONAL = 1 << 2, /* InternationalSmsSender */
  RC_FEATURE_CALLER_ID = 1 << 3,     /* CallerId */
  RC_FEATURE_A2P = 1 << 4,           /* A2PSmsSender */
  RC_FEATURE_DELEGATED = 1 << 5,     /* Delegated */
} RcFeatures;

/* Whether the number's 10DLC campaign is confirmed (GET .../sms-configuration), as far as known. */
typedef enum {
  RC_REGISTRATION_UNKNOWN = 0,   /* not asked, not answered, or no campaign information */
  RC_REGISTRATION_CONFIRMED,     /* smsCampaignInfo.status "Confirmed" */
  RC_REGISTRATION_NOT_CONFIRMED, /* any other campaign status: carriers may block its texts */
} RcRegistration;

typedef struct {
  char *id;           /* record id as a decimal string (int64 or string in JSON) */
  char *e164;         /* phoneNumber, always valid E.164 */
  char *label;        /* "label" or NULL */
  char *usage_type;   /* usageType ("DirectNumber", "MainCompanyNumber", ...) or NULL */
  char *payment_type; /* paymentType ("Local", "TollFree", ...) or NULL */
  RcFeatures features;
  char *extension_type;        /* extension.type ("User", "Department" = call queue, ...) or NULL */
  RcRegistration registration; /* filled by rc_registration_fetch_async() */
  char *campaign_status;       /* smsCampaignInfo.status as sent ("Submitted", ...), or NULL */
} RcPhoneNumber;

RcPhoneNumber *rc_phone_number_copy (const RcPhoneNumber *number);
void rc_phone_number_free (RcPhoneNumber *number);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (RcPhoneNumber, rc_phone_number_free)

/* TRUE when the number may send texts at all (SmsSender or MmsSender). */
gboolean rc_phone_number_can_text (const RcPhoneNumber *number);

/* Short words for the number's role: its label when set, else by usage type ("Direct",
 * "Main company number", "Company", "Call queue", ...). Newly allocated. */
char *rc_phone_number_role (const RcPhoneNumber *number);
/* Capabilities as a short list: "SMS, MMS, international". Newly allocated. */
char *rc_phone_number_capabilities (const RcPhoneNumber *number);
/* "+1 650-555-0100 (Direct) — SMS, MMS", with " (not registered for texting)" when the campaign is
 * known not to be confirmed. Newly allocated. */
char *rc_phone_number_describe (const RcPhoneNumber *number);

/* Parses one page of GET .../extension/~/phone-number. Returns every record that has a valid E.164
 * phoneNumber (invalid ones are skipped, not fatal) as RcPhoneNumber* (array frees them).
 * *next_page_uri (may be NULL) gets navigation.nextPage.uri or NULL. Malformed JSON shape →
 * RC_ERROR_BAD_RESPONSE. Pure (touches nothing but its arguments): rc-numbers-fetch.c runs it in a
 * worker thread. */
GPtrArray *rc_numbers_parse_page (JsonNode *root, char **next_page_uri, GError **error);

/* Parses a page's records[] (or a part of it: rc_numbers_split_page()), as rc_numbers_parse_page()
 * does: every record with a valid E.164 phoneNumber, in order; a node that is not an array, or a
 * record of the wrong shape, is RC_ERROR_BAD_RESPONSE. Pure. */
GPtrArray *rc_numbers_parse_records (JsonNode *records, GError **error);

/* A page of GET .../extension/~/phone-number cut into parts, so that each is parsed on its own
 * and the first handed on before the rest is read (json-glib takes ≈ 13 ms for a 1,000-record
 * page of 0.58 MB on the machine of tests/bench/RESULTS.md; the cut, a scan by rc-json-stream.c,
 * under 1 ms). */
typedef struct {
  GPtrArray *parts; /* GBytes*, each the JSON array text "[...]" of consecutive records, in order */
  guint records;    /* how many records the page's records[] holds (the parts together) */
  JsonNode *rest;   /* the page with "records": [] (for paging and navigation); full reference */
} RcNumbersSplit;

/* Cuts @data (@len bytes, one page) into at most @parts parts (at least 1): the first holds the
 * first @first records (the registration checks can start from them, rc-sender-list.c), the rest
 * of the records are shared out about evenly by bytes. Only the page's structure is checked here,
 * with rc-json-stream.c's guards (depth, size, a record over RC_JSON_STREAM_MAX_ELEMENT, records
 * listed twice, truncation): FALSE with @error (RC_ERROR_BAD_RESPONSE) and @split cleared then.
 * Each part's and the rest's JSON is checked when parsed (rc_json_parse(); the rest already is).
 * Clear @split with rc_numbers_split_clear(). Pure. */
gboolean rc_numbers_split_page (const char *data, gsize len, guint first, guint parts,
                                RcNumbersSplit *split, GError **error);
void rc_numbers_split_clear (RcNumbersSplit *split);

/* Keeps only numbers that can text, in the server's order (a new array of copies). */
GPtrArray *rc_numbers_filter_senders (GPtrArray *numbers);

/* Fetches every page of the extension's numbers (perPage=1000; follows navigation.nextPage only
 * when same-origin, else asks for page=N+1) and returns the texting numbers only, each E.164
 * number once (the first record listing it). Bounded: at most 100 pages, and a next page that was
 * asked for already ends the list (a looping nextPage); paging numbers out of range are ignored.
 * Any failed page fails the whole fetch (a partial list is never returned): a page that is not
 * JSON or not of the list's shape is RC_ERROR_BAD_RESPONSE. Each page is parsed in worker threads
 * (the main loop goes on), pages one after another in order; while page k is parsed, page k + 1 is
 * asked for when an earlier page's paging.totalPages says it exists (at most one ahead, never
 * beyond totalPages or 100 pages; used only when page k's nextPage names it): rc-numbers-fetch.c */
void rc_numbers_fetch_senders_async (RcClient *client, GCancellable *cancellable,
                                     GAsyncReadyCallback callback, gpointer user_data);
GPtrArray *rc_numbers_fetch_senders_finish (RcClient *client, GAsyncResult *result, GError **error);

/* Called once, on the main context, when the first page's 2xx answer is in (before it is read):
 * the server took the list's request (after any 429 wait or token refresh). */
typedef void (*RcNumbersAnsweredFunc) (gpointer user_data);

/* Called on the main context after each part of a page is parsed (a page of more than 64 records
 * is read in two parts, rc-numbers-fetch.c; before the fetch answers), with every number read so
 * far (RcPhoneNumber*, every kind, each E.164 once, in list order; borrowed: valid during the call
 * only, not to be changed). Later parts and pages only append: the first entries are those the
 * finished list starts with (rc-sender-list.c starts the registration checks from them). A list
 * that then fails answers its error all the same. */
typedef void (*RcNumbersPageFunc) (GPtrArray *numbers, gpointer user_data);

/* rc_numbers_fetch_senders_async() that also calls @answered and @page (each may be NULL;
 * @callback_data borrowed: it must outlive the fetch). Finish with
 * rc_numbers_fetch_senders_finish(). */
void rc_numbers_fetch_senders_full_async (RcClient *client, RcNumbersAnsweredFunc answered,
                                          RcNumbersPageFunc page, gpointer callback_data,
                                          GCancellable *cancellable, GAsyncReadyCallback callback,
                                          gpointer user_data);

G_END_DECLS
