/* test-registration.c: reading sms-configuration answers, how an unregistered number reads, and
 * asking about every sender where some answers fail. */
#include <stdlib.h>
#include <string.h>
#include <glib.h>

#include "rc-numbers.h"
#include "rc-registration.h"
#include "rc-test-util.h"

static RcRegistration
parse (const char *json)
{
  g_autoptr (JsonNode) root = rc_test_parse_json (json);

  return rc_registration_parse (root);
}

static void
test_parse (void)
{
  g_assert_cmpint (parse ("{\"phoneNumberId\":\"1\",\"phoneNumber\":\"+16505550100\","
                          "\"smsCampaignInfo\":{\"id\":\"C1\",\"status\":\"Confirmed\"},"
                          "\"smsBrandInfo\":{\"id\":\"B1\",\"status\":\"Confirmed\"}}"),
                   ==, RC_REGISTRATION_CONFIRMED);
  g_assert_cmpint (parse ("{\"smsCampaignInfo\":{\"status\":\"Submitted\"}}"), ==,
                   RC_REGISTRATION_NOT_CONFIRMED);
  g_assert_cmpint (parse ("{\"smsCampaignInfo\":{\"status\":\"CampaignSuspended\"}}"), ==,
                   RC_REGISTRATION_NOT_CONFIRMED);
  /* No campaign information, or shapes we cannot read: unknown, never a false alarm. */
  g_assert_cmpint (parse ("{\"phoneNumberId\":\"1\",\"phoneNumber\":\"+18885550100\"}"), ==,
                   RC_REGISTRATION_UNKNOWN);
  g_assert_cmpint (parse ("{\"smsCampaignInfo\":null}"), ==, RC_REGISTRATION_UNKNOWN);
  g_assert_cmpint (parse ("{\"smsCampaignInfo\":{\"status\":7}}"), ==, RC_REGISTRATION_UNKNOWN);
  g_assert_cmpint (parse ("{\"smsCampaignInfo\":\"Confirmed\"}"), ==, RC_REGISTRATION_UNKNOWN);
  g_assert_cmpint (parse ("[1,2]"), ==, RC_REGISTRATION_UNKNOWN);
  g_assert_cmpint (rc_registration_parse (NULL), ==, RC_REGISTRATION_UNKNOWN);
}

static void
test_describe (void)
{
  RcPhoneNumber n = { .id = (char *)"1",
                      .e164 = (char *)"+16505550102",
                      .usage_type = (char *)"DirectNumber",
                      .features = RC_FEATURE_SMS };
  g_autofree char *plain = rc_phone_number_describe (&n);
  g_autofree char *marked = NULL;
  g_autoptr (RcPhoneNumber) copy = NULL;

  g_assert_null (strstr (plain, "not registered"));
  n.registration = RC_REGISTRATION_NOT_CONFIRMED;
  marked = rc_phone_number_describe (&n);
  g_assert_cmpstr (marked, ==, "+1 650-555-0102 (Direct) — SMS (not registered for texting)");
  copy = rc_phone_number_copy (&n);
  g_assert_cmpint (copy->registration, ==, RC_REGISTRATION_NOT_CONFIRMED);
}

static RcPhoneNumber *
number_new (const char *id, const char *e164, const char *payment_type)
{
  RcPhoneNumber *n = g_new0 (RcPhoneNumber, 1);

  n->id = g_strdup (id);
  n->e164 = g_strdup (e164);
  n->payment_type = g_strdup (payment_type);
  n->features = RC_FEATURE_SMS;
  return n;
}

/* Applies @json (NULL: no answer) to a number and returns its registration. */
static RcRegistration
apply (const char *e164, const char *payment_type, const char *json, char **status)
{
  g_autoptr (RcPhoneNumber) n = number_new ("1", e164, payment_type);
  g_autoptr (JsonNode) root = json ? rc_test_parse_json (json) : NULL;

  /* Whatever an earlier answer said is replaced. */
  n->registration = RC_REGISTRATION_CONFIRMED;
  n->campaign_status = g_strdup ("Confirmed");
  rc_registration_apply (n, root);
  if (status != NULL)
    *status = g_strdup (n->campaign_status);
  return n->registration;
}

static void
test_apply (void)
{
  static const char no_campaign[] = "{\"phoneNumberId\":\"1\",\"phoneNumber\":\"+16505550100\"}";
  g_autofree char *status = NULL;

  g_assert_cmpint (apply ("+16505550100", "Local",
                          "{\"smsCampaignInfo\":{\"id\":\"C1\",\"status\":\"Confirmed\"}}",
                          &status),
                   ==, RC_REGISTRATION_CONFIRMED);
  g_assert_cmpstr (status, ==, "Confirmed");
  g_clear_pointer (&status, g_free);
  g_assert_cmpint (
      apply ("+18885550100", "TollFree", "{\"smsCampaignInfo\":{\"status\":\"Draft\"}}", &status),
      ==, RC_REGISTRATION_NOT_CONFIRMED);
  g_assert_cmpstr (status, ==, "Draft");
  g_clear_pointer (&status, g_free);

  /* Not linked to a campaign: a US or Canadian local number needs one (10DLC)... */
  g_assert_cmpint (apply ("+16505550100", "Local", no_campaign, &status), ==,
                   RC_REGISTRATION_NOT_CONFIRMED);
  g_assert_null (status);
  g_assert_cmpint (apply ("+14165550100", "Local", "{\"smsCampaignInfo\":null}", NULL), ==,
                   RC_REGISTRATION_NOT_CONFIRMED);
  /* ...a toll-free one is verified another way, and 10DLC is for US/Canada numbers only. */
  g_assert_cmpint (apply ("+18885550100", "TollFree", no_campaign, NULL), ==,
                   RC_REGISTRATION_UNKNOWN);
  g_assert_cmpint (apply ("+16505550100", NULL, no_campaign, NULL), ==, RC_REGISTRATION_UNKNOWN);
  g_assert_cmpint (apply ("+18765550100", "Local", no_campaign, NULL), ==,
                   RC_REGISTRATION_UNKNOWN); /* Jamaica */
  g_assert_cmpint (apply ("+442079460100", "Local", no_campaign, NULL), ==,
                   RC_REGISTRATION_UNKNOWN);

  /* No answer, or one we cannot read: unknown, never a false alarm. */
  g_assert_cmpint (apply ("+16505550100", "Local", NULL, &status), ==, RC_REGISTRATION_UNKNOWN);
  g_assert_null (status);
  g_assert_cmpint (apply ("+16505550100", "Local", "[]", NULL), ==, RC_REGISTRATION_UNKNOWN);
  g_assert_cmpint (apply ("+16505550100", "Local", "{\"smsCampaignInfo\":{\"status\":1}}", NULL),
                   ==, RC_REGISTRATION_UNKNOWN);
  g_assert_cmpint (apply ("+16505550100", "Local", "{\"smsCampaignInfo\":\"Confirmed\"}", NULL), ==,
                   RC_REGISTRATION_UNKNOWN);
}

/* Number id → answer: 1 Confirmed, 2 no campaign, 3 404, 4 not JSON, 5 500, 6 no campaign; any
 * other id is Confirmed. Records the ids asked about. */
static void
config_handler (SoupServerMessage *msg, const char *path, const char *body, gpointer user_data)
{
  GPtrArray *asked = user_data;
  g_auto (GStrv) parts = g_strsplit (path, "/", -1);
  guint n = g_strv_length (parts);
  const char *id = n >= 2 ? parts[n - 2] : "";

  g_assert_true (g_str_has_prefix (path, "/restapi/v1.0/account/~/extension/~/phone-number/"));
  g_assert_true (g_str_has_suffix (path, "/sms-configuration"));
  g_assert_cmpstr (soup_server_message_get_method (msg), ==, "GET");
  g_ptr_array_add (asked, g_strdup (id));
  switch (atoi (id)) {
    case 2:
    case 6:
      rc_test_respond (msg, 200, "{\"phoneNumberId\":\"2\",\"phoneNumber\":\"+16505550102\"}");
      break;
    case 3:
      rc_test_respond (msg, 404,
                       "{\"errorCode\":\"CMN-102\",\"message\":\"Resource for parameter "
                       "[phoneNumberId] is not found\"}");
      break;
    case 4:
      rc_test_respond (msg, 200, "{\"smsCampaignInfo\": ");
      break;
    case 5:
      rc_test_respond (msg, 500, "{\"errorCode\":\"CMN-500\",\"message\":\"Oops\"}");
      break;
    default:
      rc_test_respond (msg, 200, "{\"smsCampaignInfo\":{\"id\":\"C1\",\"status\":\"Confirmed\"}}");
  }
}

static gboolean
fetch (RcTestServer *srv, GPtrArray *senders, GError **error)
{
  g_autoptr (RcClient) client = rc_test_client_new (srv->base_url);
  g_autoptr (GAsyncResult) result = NULL;

  rc_registration_fetch_async (client, senders, NULL, rc_test_got_result, &result);
  rc_test_wait_result (&result);
  return rc_registration_fetch_finish (client, result, error);
}

static void
test_fetch (void)
{
  static const RcRegistration want[] = {
    RC_REGISTRATION_CONFIRMED, RC_REGISTRATION_NOT_CONFIRMED, RC_REGISTRATION_UNKNOWN,
    RC_REGISTRATION_UNKNOWN,   RC_REGISTRATION_UNKNOWN,       RC_REGISTRATION_UNKNOWN,
  };
  g_autoptr (GPtrArray) asked = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GPtrArray) senders
      = g_ptr_array_new_with_free_func ((GDestroyNotify)rc_phone_number_free);
  g_autoptr (GError) error = NULL;
  RcTestServer srv;

  for (guint i = 1; i <= 6; i++) {
    g_autofree char *id = g_strdup_printf ("%u", i);
    g_autofree char *e164 = g_strdup_printf ("+1650555010%u", i);
    RcPhoneNumber *n = number_new (id, e164, i == 6 ? "TollFree" : "Local");

    n->registration = RC_REGISTRATION_NOT_CONFIRMED; /* from an earlier fetch: replaced */
    g_ptr_array_add (senders, n);
  }
  rc_test_server_start (&srv, config_handler, asked);
  /* Failed answers are not a failure of the whole fetch: the endpoint is optional. */
  g_assert_true (fetch (&srv, senders, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (asked->len, ==, 6);
  for (guint i = 0; i < senders->len; i++) {
    const RcPhoneNumber *n = g_ptr_array_index (senders, i);

    guint hits = 0;

    /* One request each (a few run at once: in any order). */
    for (guint j = 0; j < asked->len; j++)
      hits += g_strcmp0 (asked->pdata[j], n->id) == 0;
    g_assert_cmpuint (hits, ==, 1);
    if (n->registration != want[i])
      g_error ("number %s: registration %d, expected %d", n->id, n->registration, want[i]);
  }
  g_assert_cmpstr (((RcPhoneNumber *)senders->pdata[0])->campaign_status, ==, "Confirmed");
  rc_test_server_stop (&srv);
}

static void
test_fetch_cap (void)
{
  g_autoptr (GPtrArray) asked = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GPtrArray) senders
      = g_ptr_array_new_with_free_func ((GDestroyNotify)rc_phone_number_free);
  g_autoptr (GError) error = NULL;
  RcTestServer srv;

  for (guint i = 0; i < RC_REGISTRATION_MAX_NUMBERS + 5; i++) {
    g_autofree char *id = g_strdup_printf ("%u", 100 + i);
    g_autofree char *e164 = g_strdup_printf ("+165055501%02u", i);

    g_ptr_array_add (senders, number_new (id, e164, "Local"));
  }
  rc_test_server_start (&srv, config_handler, asked);
  g_assert_true (fetch (&srv, senders, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (asked->len, ==, RC_REGISTRATION_MAX_NUMBERS);
  for (guint i = 0; i < senders->len; i++)
    g_assert_cmpint (((RcPhoneNumber *)senders->pdata[i])->registration, ==,
                     i < RC_REGISTRATION_MAX_NUMBERS ? RC_REGISTRATION_CONFIRMED
                                                     : RC_REGISTRATION_UNKNOWN);
  rc_test_server_stop (&srv);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/registration/parse", test_parse);
  g_test_add_func ("/registration/describe", test_describe);
  g_test_add_func ("/registration/apply", test_apply);
  g_test_add_func ("/registration/fetch", test_fetch);
  g_test_add_func ("/registration/fetch-cap", test_fetch_cap);
  return g_test_run ();
}
