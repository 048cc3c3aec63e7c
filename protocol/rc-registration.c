/* rc-registration.c: 10DLC campaign status of the texting numbers (sms-configuration). */
#include "rc-registration.h"

#include <string.h>

#include "rc-error.h"
#include "rc-json.h"
#include "rc-nanp-areas.h"

#define NUMBERS_PATH "/restapi/v1.0/account/~/extension/~/phone-number"

RcRegistration
rc_registration_parse (JsonNode *root)
{
  JsonObject *campaign;
  const char *status;

  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    return RC_REGISTRATION_UNKNOWN;
  campaign = rc_json_object (json_node_get_object (root), "smsCampaignInfo");
  status = rc_json_string (campaign, "status");
  if (status == NULL || *status == '\0')
    return RC_REGISTRATION_UNKNOWN;
  return g_strcmp0 (status, "Confirmed") == 0 ? RC_REGISTRATION_CONFIRMED
                                              : RC_REGISTRATION_NOT_CONFIRMED;
}

/* A number that texts under 10DLC rules: a local one in the US or Canada. */
static gboolean
needs_campaign (const RcPhoneNumber *number)
{
  guint area;

  if (g_strcmp0 (number->payment_type, "Local") != 0 || number->e164 == NULL
      || !g_str_has_prefix (number->e164, "+1") || strlen (number->e164) != 12)
    return FALSE;
  area = (guint)(g_ascii_strtoull (number->e164 + 2, NULL, 10) / 10000000u);
  return rc_nanp_area_is_domestic (area);
}

void
rc_registration_apply (RcPhoneNumber *number, JsonNode *root)
{
  JsonObject *object;

  g_return_if_fail (number != NULL);

  number->registration = RC_REGISTRATION_UNKNOWN;
  g_clear_pointer (&number->campaign_status, g_free);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    return;
  object = json_node_get_object (root);
  /* "Both objects are absent if the number is not linked to a campaign" (the SMS guide). */
  if (rc_json_member (object, "smsCampaignInfo") == NULL) {
    if (needs_campaign (number))
      number->registration = RC_REGISTRATION_NOT_CONFIRMED;
    return;
  }
  number->registration = rc_registration_parse (root);
  if (number->registration != RC_REGISTRATION_UNKNOWN)
    number->campaign_status
        = g_strdup (rc_json_string (rc_json_object (object, "smsCampaignInfo"), "status"));
}

typedef struct {
  GPtrArray *senders;
  guint limit;        /* how many of @senders are asked about */
  guint next;         /* the next one to ask about */
  guint in_flight;    /* requests running */
  gboolean stopped;   /* no more requests: an answer said the others would fail too */
  GError *cancelled;  /* the cancellation to report once nothing runs any more */
  GPtrArray *checked; /* char*: ids of the numbers that got an answer */
} FetchState;

static void
fetch_state_free (FetchState *state)
{
  g_ptr_array_unref (state->senders);
  g_ptr_array_unref (state->checked);
  g_clear_error (&state->cancelled);
  g_free (state);
}

typedef struct {
  GTask *task; /* owned */
  RcPhoneNumber *number;
} OneCheck;

static void fetch_more (GTask *task);

/* Errors after which every other request would fail the same way (and, for a 401, cost another
 * token grant each: the Auth group allows 5 a minute, fact sheet §6). */
static gboolean
stops_the_others (const GError *error)
{
  return g_error_matches (error, RC_ERROR, RC_ERROR_TOKEN_EXPIRED)
         || g_error_matches (error, RC_ERROR, RC_ERROR_AUTH_FAILED)
         || g_error_matches (error, RC_ERROR, RC_ERROR_RATE_LIMITED)
         || g_error_matches (error, RC_ERROR, RC_ERROR_INVALID_SETTINGS)
         || g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
}

static void
one_done (GObject *source, GAsyncResult *result, gpointer user_data)
{
  OneCheck *one = user_data;
  g_autoptr (GTask) task = one->task;
  FetchState *state = g_task_get_task_data (task);
  RcPhoneNumber *number = one->number;
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonNode) root = rc_client_request_finish (RC_CLIENT (source), result, &error);

  g_free (one);
  state->in_flight--;
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) && state->cancelled == NULL)
    state->cancelled = g_error_copy (error);
  if (root == NULL) {
    g_debug ("no sms-configuration for number %s: %s", number->id, error->message);
    if (stops_the_others (error) && !state->stopped) {
      g_debug ("texting registration: not asking about the other numbers");
      state->stopped = TRUE;
    }
  } else {
    g_ptr_array_add (state->checked, g_strdup (number->id));
  }
  if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    rc_registration_apply (number, root);
  fetch_more (g_steal_pointer (&task));
}

/* Starts requests up to the concurrency bound (only one until a first answer came back: when
 * that one fails with a 401 or 429, the others are not sent at all), and answers the task once
 * nothing runs and nothing is left. Takes the reference @task. */
static void
fetch_more (GTask *task)
{
  FetchState *state = g_task_get_task_data (task);
  RcClient *client = g_task_get_source_object (task);
  guint bound = state->checked->len > 0 ? RC_REGISTRATION_CONCURRENCY : 1;

  while (!state->stopped && state->cancelled == NULL && state->next < state->limit
         && state->in_flight < bound) {
    RcPhoneNumber *number = g_ptr_array_index (state->senders, state->next++);
    g_autofree char *id = g_uri_escape_string (number->id != NULL ? number->id : "", NULL, FALSE);
    g_autofree char *path = g_strdup_printf ("%s/%s/sms-configuration", NUMBERS_PATH, id);
    OneCheck *one = g_new0 (OneCheck, 1);

    one->task = g_object_ref (task);
    one->number = number;
    state->in_flight++;
    rc_client_request_async (client, "GET", path, NULL, g_task_get_cancellable (task), one_done,
                             one);
  }
  if (state->in_flight == 0) {
    if (state->cancelled != NULL)
      g_task_return_error (task, g_steal_pointer (&state->cancelled));
    else
      g_task_return_pointer (task, g_ptr_array_ref (state->checked),
                             (GDestroyNotify)g_ptr_array_unref);
  }
  g_object_unref (task);
}

void
rc_registration_fetch_async (RcClient *client, GPtrArray *senders, GCancellable *cancellable,
                             GAsyncReadyCallback callback, gpointer user_data)
{
  GTask *task;
  FetchState *state;

  g_return_if_fail (RC_IS_CLIENT (client));
  g_return_if_fail (senders != NULL);

  task = g_task_new (client, cancellable, callback, user_data);
  g_task_set_source_tag (task, rc_registration_fetch_async);
  state = g_new0 (FetchState, 1);
  state->senders = g_ptr_array_ref (senders);
  state->limit = MIN (senders->len, RC_REGISTRATION_MAX_NUMBERS);
  state->checked = g_ptr_array_new_with_free_func (g_free);
  g_task_set_task_data (task, state, (GDestroyNotify)fetch_state_free);
  fetch_more (task);
}

GPtrArray *
rc_registration_fetch_finish_checked (RcClient *client, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, client), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

gboolean
rc_registration_fetch_finish (RcClient *client, GAsyncResult *result, GError **error)
{
  g_autoptr (GPtrArray) checked = rc_registration_fetch_finish_checked (client, result, error);

  return checked != NULL;
}
