/* rc-sim-faults.c: injected faults (expiry, rate limit, server errors, garbage, drops). */
#include "rc-sim-private.h"

#include <string.h>

static const char *const fault_names[]
    = { "401",  "429", "500",      "503",         "malformed",      "slow",
        "drop", "403", "429-bare", "reset-after", "missing-fields", "wrong-types",
        "late" };

gboolean
rc_sim_fault_from_string (const char *name, RcSimFault *out)
{
  for (guint i = 0; i < G_N_ELEMENTS (fault_names); i++)
    if (g_strcmp0 (name, fault_names[i]) == 0) {
      *out = (RcSimFault)i;
      return TRUE;
    }
  return FALSE;
}

const char *
rc_sim_fault_to_string (RcSimFault fault)
{
  return (guint)fault < G_N_ELEMENTS (fault_names) ? fault_names[fault] : "?";
}

void
rc_sim_fault_spec_free (RcSimFaultSpec *f)
{
  if (f == NULL)
    return;
  g_free (f->path_prefix);
  g_free (f);
}

/* The first armed fault that applies to @path, as a one-shot copy; a NULL prefix covers every
 * path except /restapi/oauth/ (sign-in faults must be asked for explicitly). */
RcSimFaultSpec *
rc_sim_take_fault (RcSim *self, const char *path)
{
  for (guint i = 0; i < self->faults->len; i++) {
    RcSimFaultSpec *f = self->faults->pdata[i];
    gboolean hit = f->path_prefix != NULL ? g_str_has_prefix (path, f->path_prefix)
                                          : !g_str_has_prefix (path, "/restapi/oauth/");
    if (!hit)
      continue;
    RcSimFaultSpec *copy = g_new0 (RcSimFaultSpec, 1);
    copy->path_prefix = g_strdup (f->path_prefix);
    copy->fault = f->fault;
    copy->count = 1;
    copy->param = f->param;
    if (--f->count == 0)
      g_ptr_array_remove_index (self->faults, i);
    return copy;
  }
  return NULL;
}

static void
retry_after (RcSimCall *call, guint seconds)
{
  g_autofree char *v = g_strdup_printf ("%u", seconds);
  soup_message_headers_replace (soup_server_message_get_response_headers (call->msg), "Retry-After",
                                v);
}

void
rc_sim_apply_fault (RcSimCall *call, RcSimFaultSpec *fault)
{
  switch (fault->fault) {
    case RC_SIM_FAULT_401:
      soup_message_headers_replace (
          soup_server_message_get_response_headers (call->msg), "WWW-Authenticate",
          "Bearer realm=\"RingCentral REST API\", error=\"invalid_token\", "
          "error_description=\"Access token expired\"");
      rc_sim_reply_error (call, 401, "OAU-128", "Access token expired", NULL);
      break;
    case RC_SIM_FAULT_429:
      retry_after (call, fault->param);
      soup_message_headers_replace (soup_server_message_get_response_headers (call->msg),
                                    "X-Rate-Limit-Window", "60");
      rc_sim_reply_error (call, 429, "CMN-301", "Request rate exceeded", NULL);
      break;
    case RC_SIM_FAULT_500:
      rc_sim_reply_error (call, 500, "CMN-201", "Internal Server Error", NULL);
      break;
    case RC_SIM_FAULT_503:
      retry_after (call, fault->param);
      rc_sim_reply_error (call, 503, "CMN-201", "Service Temporary Unavailable", NULL);
      break;
    case RC_SIM_FAULT_MALFORMED: {
      /* Claims JSON, is not: a gateway page cut short. */
      static const char body[]
          = "{\"uri\":\"https://platform.ringcentral.com/restapi\",\"records\":"
            "[{\"id\":<html><body>502 Bad Gat";
      soup_server_message_set_status (call->msg, 200, NULL);
      soup_server_message_set_response (call->msg, "application/json", SOUP_MEMORY_STATIC, body,
                                        strlen (body));
      call->record->status = 200;
      break;
    }
    case RC_SIM_FAULT_DROP: {
      /* The request was read in full; close without a byte of answer. */
      g_autoptr (GIOStream) stream = soup_server_message_steal_connection (call->msg);
      if (stream != NULL)
        g_io_stream_close (stream, NULL, NULL);
      call->record->status = 0;
      break;
    }
    case RC_SIM_FAULT_403: {
      /* What RingCentral answers when the app lacks the endpoint's app permission. */
      const char *permission
          = strstr (call->path, "/address-book") != NULL ? "ReadContacts" : "ReadAccounts";
      g_autofree char *m = g_strdup_printf (
          "In order to call this API endpoint, application needs to have [%s] permission",
          permission);
      rc_sim_reply_error (call, 403, "CMN-401", m, NULL);
      break;
    }
    case RC_SIM_FAULT_429_BARE:
      soup_message_headers_replace (soup_server_message_get_response_headers (call->msg),
                                    "X-Rate-Limit-Window", "60");
      rc_sim_reply_error (call, 429, "CMN-301", "Request rate exceeded", NULL);
      break;
    case RC_SIM_FAULT_MISSING_FIELDS: {
      /* Valid JSON, nothing a client needs: no id, records, syncInfo, tokens, navigation. */
      g_autoptr (JsonObject) o = json_object_new ();
      g_autofree char *uri = g_strconcat (call->base_url, call->path, NULL);
      json_object_set_string_member (o, "uri", uri);
      rc_sim_reply_object (call, 200, o);
      break;
    }
    case RC_SIM_FAULT_WRONG_TYPES: {
      /* Every member a client reads, with a JSON type it does not expect. */
      static const char body[]
          = "{\"uri\":7,\"id\":{\"x\":1},\"records\":\"none\",\"paging\":true,"
            "\"navigation\":[1],\"syncInfo\":\"later\",\"messageStatus\":1,\"to\":{},"
            "\"from\":\"+16505550100\",\"type\":[],\"direction\":null,\"subject\":3,"
            "\"creationTime\":false,\"lastModifiedTime\":[],\"conversation\":\"c\","
            "\"attachments\":{},\"features\":\"SmsSender\",\"phoneNumber\":1650555,"
            "\"access_token\":[],\"refresh_token\":{},\"expires_in\":\"soon\","
            "\"refresh_token_expires_in\":null,\"token_type\":5,\"ws_access_token\":0,"
            "\"uri_ws\":true,\"expiration\":[]}";
      soup_server_message_set_status (call->msg, 200, NULL);
      soup_server_message_set_response (call->msg, "application/json", SOUP_MEMORY_STATIC, body,
                                        strlen (body));
      call->record->status = 200;
      break;
    }
    case RC_SIM_FAULT_RESET_AFTER:
      /* Carried out by the caller (rc-sim.c): route, then close unanswered. */
    case RC_SIM_FAULT_LATE:
      /* Carried out by the caller (rc-sim.c): route, then hold the answer. */
    case RC_SIM_FAULT_SLOW:
    default:
      g_assert_not_reached ();
  }
}
