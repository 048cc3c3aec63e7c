/* rc-registration.c: 10DLC campaign status of the texting numbers (sms-configuration). */
#include "rc-registration.h"

#include <string.h>

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
  guint next;
} FetchState;

static void
fetch_state_free (FetchState *state)
{
  g_ptr_array_unref (state->senders);
  g_free (state);
}

static void fetch_next (GTask *task);

static void
one_done (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GTask) task = user_data;
  FetchState *state = g_task_get_task_data (task);
  RcPhoneNumber *number = g_ptr_array_index (state->senders, state->next);
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonNode) root = rc_client_request_finish (RC_CLIENT (source), result, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED)) {
    g_task_return_error (task, g_steal_pointer (&error));
    return;
  }
  if (root == NULL)
    g_debug ("no sms-configuration for number %s: %s", number->id, error->message);
  rc_registration_apply (number, root);
  state->next++;
  fetch_next (g_steal_pointer (&task));
}

static void
fetch_next (GTask *task)
{
  FetchState *state = g_task_get_task_data (task);
  RcPhoneNumber *number;
  g_autofree char *path = NULL;
  g_autofree char *id = NULL;

  if (state->next >= state->senders->len || state->next >= RC_REGISTRATION_MAX_NUMBERS) {
    g_task_return_boolean (task, TRUE);
    g_object_unref (task);
    return;
  }
  number = g_ptr_array_index (state->senders, state->next);
  id = g_uri_escape_string (number->id, NULL, FALSE);
  path = g_strdup_printf ("%s/%s/sms-configuration", NUMBERS_PATH, id);
  rc_client_request_async (RC_CLIENT (g_task_get_source_object (task)), "GET", path, NULL,
                           g_task_get_cancellable (task), one_done, task);
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
  g_task_set_task_data (task, state, (GDestroyNotify)fetch_state_free);
  fetch_next (task);
}

gboolean
rc_registration_fetch_finish (RcClient *client, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, client), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}
