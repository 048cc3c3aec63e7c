/* rc-sim.c: the RcSim object, the SoupServer, the request log and the router. */
#include "rc-sim-private.h"

#include <string.h>

G_DEFINE_FINAL_TYPE (RcSim, rc_sim, G_TYPE_OBJECT)

static void
request_free (RcSimRequest *r)
{
  if (r == NULL)
    return;
  g_free (r->method);
  g_free (r->path);
  g_free (r->query);
  g_free (r->content_type);
  g_free (r->body);
  g_free (r->auth_kind);
  g_free (r->bearer_token);
  g_free (r);
}

static void
rc_sim_dispose (GObject *object)
{
  RcSim *self = RC_SIM (object);
  /* Pending timers hold data that points at us: stop them first. */
  if (self->sources != NULL) {
    /* Destroying a timer runs timer_free, which removes it from self->sources: walk a stolen
     * array so the removals cannot shift it under us and leave timers attached. */
    g_autoptr (GPtrArray) pending = self->sources;
    self->sources = g_ptr_array_new_with_free_func ((GDestroyNotify)g_source_unref);
    for (guint i = 0; i < pending->len; i++)
      g_source_destroy (pending->pdata[i]);
  }
  rc_sim_ws_dispose (self);
  rc_sim_conns_free (self);
  if (self->server != NULL) {
    soup_server_disconnect (self->server);
    g_clear_object (&self->server);
  }
  g_clear_pointer (&self->context, g_main_context_unref);
  G_OBJECT_CLASS (rc_sim_parent_class)->dispose (object);
}

static void
rc_sim_finalize (GObject *object)
{
  RcSim *self = RC_SIM (object);
  rc_sim_mms_free (self);
  rc_sim_rate_free (self);
  g_free (self->public_base_url);
  g_free (self->main_number);
  g_free (self->operator_extension_number);
  g_free (self->extension_number);
  g_free (self->extension_name);
  g_free (self->client_id);
  g_free (self->client_secret);
  g_free (self->jwt);
  g_ptr_array_unref (self->numbers);
  g_ptr_array_unref (self->contacts);
  g_ptr_array_unref (self->address_book);
  g_ptr_array_unref (self->directory);
  g_ptr_array_unref (self->requests);
  g_ptr_array_unref (self->faults);
  g_ptr_array_unref (self->messages);
  g_ptr_array_unref (self->sessions);
  g_clear_pointer (&self->redirect_uris, g_ptr_array_unref);
  g_clear_pointer (&self->auth_codes, g_ptr_array_unref);
  g_ptr_array_unref (self->sources);
  g_hash_table_unref (self->inflight);
  G_OBJECT_CLASS (rc_sim_parent_class)->finalize (object);
}

static void
rc_sim_class_init (RcSimClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  object_class->dispose = rc_sim_dispose;
  object_class->finalize = rc_sim_finalize;
}

static void
rc_sim_init (RcSim *self)
{
  self->numbers = g_ptr_array_new_with_free_func ((GDestroyNotify)rc_sim_number_free);
  self->contacts = g_ptr_array_new_with_free_func ((GDestroyNotify)rc_sim_contact_free);
  self->address_book = g_ptr_array_new_with_free_func ((GDestroyNotify)json_object_unref);
  self->directory = g_ptr_array_new_with_free_func ((GDestroyNotify)json_object_unref);
  self->requests = g_ptr_array_new_with_free_func ((GDestroyNotify)request_free);
  self->faults = g_ptr_array_new_with_free_func ((GDestroyNotify)rc_sim_fault_spec_free);
  self->messages = g_ptr_array_new_with_free_func ((GDestroyNotify)rc_sim_message_free);
  self->sessions = g_ptr_array_new_with_free_func ((GDestroyNotify)rc_sim_session_free);
  self->sources = g_ptr_array_new_with_free_func ((GDestroyNotify)g_source_unref);
  self->inflight = g_hash_table_new (NULL, NULL);
  self->next_message_id = 3000000000001; /* realistic size, below 2^53 */
}

RcSim *
rc_sim_new_from_data (const char *scenario_json, GError **error)
{
  g_return_val_if_fail (scenario_json != NULL, NULL);
  g_autoptr (JsonParser) parser = json_parser_new ();
  if (!json_parser_load_from_data (parser, scenario_json, -1, error))
    return NULL;
  g_autoptr (RcSim) self = g_object_new (RC_TYPE_SIM, NULL);
  if (!rc_sim_scenario_load (self, json_parser_get_root (parser), error))
    return NULL;
  return g_steal_pointer (&self);
}

RcSim *
rc_sim_new_from_file (const char *scenario_path, GError **error)
{
  g_return_val_if_fail (scenario_path != NULL, NULL);
  g_autofree char *data = NULL;
  if (!g_file_get_contents (scenario_path, &data, NULL, error))
    return NULL;
  GError *local = NULL;
  RcSim *self = rc_sim_new_from_data (data, &local);
  if (self == NULL)
    g_propagate_prefixed_error (error, local, "%s: ", scenario_path);
  return self;
}

/* ---- per-request plumbing ---- */

static void
call_free (RcSimCall *call)
{
  g_clear_pointer (&call->params, g_ptr_array_unref);
  g_free (call->body);
  g_free (call->content_type);
  g_free (call->base_url);
  g_clear_object (&call->msg);
  g_free (call);
}

static RcSimCall *
call_new (RcSim *self, SoupServerMessage *msg)
{
  RcSimCall *call = g_new0 (RcSimCall, 1);
  call->sim = self; /* not a ref: dispose cancels pending calls first */
  call->msg = g_object_ref (msg);
  GUri *uri = soup_server_message_get_uri (msg);
  call->method = soup_server_message_get_method (msg);
  call->path = g_uri_get_path (uri);
  call->query = g_uri_get_query (uri);
  call->params = rc_sim_parse_params (call->query);

  SoupMessageHeaders *h = soup_server_message_get_request_headers (msg);
  const char *ct = soup_message_headers_get_content_type (h, NULL);
  call->content_type = ct ? g_ascii_strdown (ct, -1) : NULL;
  /* Links in answers must stay same-origin for the client, also behind a proxy: an explicit
   * public URL first (Prism drops the Host header), then X-Forwarded-Host, then Host. */
  const char *host = soup_message_headers_get_one (h, "Host");
  const char *fwd_host = soup_message_headers_get_one (h, "X-Forwarded-Host");
  const char *fwd_proto = soup_message_headers_get_one (h, "X-Forwarded-Proto");
  if (self->public_base_url != NULL)
    call->base_url = g_strdup (self->public_base_url);
  else if (fwd_host != NULL && *fwd_host != '\0')
    call->base_url = g_strconcat (g_strcmp0 (fwd_proto, "https") == 0 ? "https://" : "http://",
                                  fwd_host, NULL);
  else if (host != NULL && *host != '\0')
    call->base_url = g_strconcat ("http://", host, NULL);
  else
    call->base_url = g_strdup_printf ("http://127.0.0.1:%u", self->port);

  SoupMessageBody *body = soup_server_message_get_request_body (msg);
  if (body != NULL && body->length > 0) {
    call->body = g_strndup (body->data, body->length);
    call->body_len = body->length;
  }

  RcSimRequest *r = g_new0 (RcSimRequest, 1);
  r->method = g_strdup (call->method);
  r->time_us = g_get_monotonic_time ();
  r->path = g_strdup (call->path);
  r->query = g_strdup (call->query);
  r->content_type = g_strdup (soup_message_headers_get_one (h, "Content-Type"));
  r->body = g_strdup (call->body);
  const char *auth = soup_message_headers_get_one (h, "Authorization");
  if (auth != NULL && g_ascii_strncasecmp (auth, "Bearer ", 7) == 0) {
    r->auth_kind = g_strdup ("Bearer");
    r->bearer_token = g_strstrip (g_strdup (auth + 7));
  } else if (auth != NULL && g_ascii_strncasecmp (auth, "Basic ", 6) == 0)
    r->auth_kind = g_strdup ("Basic");
  else if (auth != NULL)
    r->auth_kind = g_strdup ("Other");
  call->record = r;
  return call;
}

static void set_date_header (RcSimCall *call);

static void
call_finish (RcSimCall *call)
{
  RcSimRequest *r = call->record;
  RcSim *self = call->sim;
  g_hash_table_remove (self->inflight, r);
  gboolean logged = g_ptr_array_find (self->requests, r, NULL);
  /* Never the credential itself: scheme and outcome only. */
  g_debug ("rc-sim: %s %s -> %u%s%s", r->method, r->path, r->status, r->auth_kind ? " auth=" : "",
           r->auth_kind ? r->auth_kind : "");
  if (!logged) /* the log was cleared while this request was in flight */
    request_free (r);
  call_free (call);
}

static gboolean
resume_slow (gpointer data)
{
  RcSimCall *call = data;
  rc_sim_route (call);
  soup_server_message_unpause (call->msg);
  return G_SOURCE_REMOVE;
}

static gboolean
resume_late (gpointer data)
{
  RcSimCall *call = data;
  soup_server_message_unpause (call->msg);
  return G_SOURCE_REMOVE;
}

static void
slow_done (gpointer data)
{
  call_finish (data);
}

/* Makes the answer of @call (recorded, not control traffic): rate limit, fault, route. @held:
 * the message was paused by the latency hold (a synchronous answer unpauses it). @call is
 * finished here, or by the timer of a SLOW or LATE fault that takes it over. */
static void
serve (RcSimCall *call, gboolean held)
{
  RcSim *self = call->sim;
  SoupServerMessage *msg = call->msg;

  if (rc_sim_rate_check (call)) {
    if (held)
      soup_server_message_unpause (msg);
    call_finish (call);
    return;
  }

  g_autoptr (RcSimFaultSpec) fault = rc_sim_take_fault (self, call->path);
  if (fault != NULL) {
    if (fault->fault == RC_SIM_FAULT_SLOW) {
      if (!held) /* a held message stays paused */
        soup_server_message_pause (msg);
      rc_sim_schedule (self, fault->param, resume_slow, call, slow_done);
      return;
    }
    if (fault->fault == RC_SIM_FAULT_LATE) {
      /* Answered as of now, sent later: what changes meanwhile is not in it. */
      rc_sim_route (call);
      if (!held)
        soup_server_message_pause (msg);
      rc_sim_schedule (self, fault->param, resume_late, call, slow_done);
      return;
    }
    if (fault->fault == RC_SIM_FAULT_RESET_AFTER) {
      /* Done in full (a text stored and sent), then the connection closes unanswered. */
      rc_sim_route (call);
      g_autoptr (GIOStream) stream = soup_server_message_steal_connection (msg);
      if (stream != NULL)
        g_io_stream_close (stream, NULL, NULL);
      call->record->status = 0;
      call_finish (call);
      return;
    }
    rc_sim_apply_fault (call, fault);
  } else
    rc_sim_route (call);
  if (held)
    soup_server_message_unpause (msg);
  call_finish (call);
}

/* A request held by rc_sim_set_latency (); @call is NULL once serve () took it. */
typedef struct {
  RcSimCall *call;
} Held;

static gboolean
latency_over (gpointer data)
{
  Held *held = data;
  RcSimCall *call = g_steal_pointer (&held->call);

  serve (call, TRUE);
  return G_SOURCE_REMOVE;
}

static void
held_free (gpointer data)
{
  Held *held = data;

  if (held->call != NULL) /* cancelled (dispose) before the hold ended */
    call_finish (held->call);
  g_free (held);
}

static void
server_callback (SoupServer *server, SoupServerMessage *msg, const char *path, GHashTable *query,
                 gpointer user_data)
{
  RcSim *self = user_data;
  RcSimCall *call = call_new (self, msg);

  set_date_header (call);
  if (g_str_has_prefix (call->path, "/_sim/")) {
    /* Control traffic is not part of the log that tests assert on, and never held. */
    rc_sim_handle_control (call);
    g_clear_pointer (&call->record, request_free);
    call_free (call);
    return;
  }
  g_ptr_array_add (self->requests, call->record);
  g_hash_table_add (self->inflight, call->record);
  if (self->latency_ms > 0) {
    Held *held = g_new0 (Held, 1);

    held->call = call;
    soup_server_message_pause (msg);
    rc_sim_schedule (self, self->latency_ms, latency_over, held, held_free);
    return;
  }
  serve (call, FALSE);
}

void
rc_sim_set_latency (RcSim *self, guint ms)
{
  g_return_if_fail (RC_IS_SIM (self));
  self->latency_ms = ms;
}

/* ---- routing ---- */

static void
reply_405 (RcSimCall *call, const char *allow)
{
  soup_message_headers_replace (soup_server_message_get_response_headers (call->msg), "Allow",
                                allow);
  g_autofree char *m = g_strdup_printf ("Method [%s] is not allowed", call->method);
  rc_sim_reply_error (call, 405, "CMN-103", m, NULL);
}

static void
reply_404 (RcSimCall *call)
{
  rc_sim_reply_error (call, 404, "CMN-102", "Resource for parameter [path] is not found", "path");
}

static gboolean
method_is (RcSimCall *call, const char *method, const char *allow)
{
  if (g_str_equal (call->method, method))
    return TRUE;
  reply_405 (call, allow);
  return FALSE;
}

/* /restapi/v1.0/account/{a}[/extension/{e}[/...]] */
static void
route_v1 (RcSimCall *call, char **seg, guint n)
{
  RcSim *self = call->sim;
  if (n < 2 || !g_str_equal (seg[0], "account")) {
    reply_404 (call);
    return;
  }
  g_autofree char *acc = g_strdup_printf ("%" G_GINT64_FORMAT, self->account_id);
  if (!g_str_equal (seg[1], "~") && !g_str_equal (seg[1], acc)) {
    rc_sim_reply_error (call, 404, "CMN-102", "Resource for parameter [accountId] is not found",
                        "accountId");
    return;
  }
  if (n == 2) {
    if (method_is (call, "GET", "GET"))
      rc_sim_handle_account (call);
    return;
  }
  if (n == 4 && g_str_equal (seg[2], "directory") && g_str_equal (seg[3], "entries")) {
    if (method_is (call, "GET", "GET"))
      rc_sim_handle_directory (call);
    return;
  }
  if (n < 4 || !g_str_equal (seg[2], "extension")) {
    reply_404 (call);
    return;
  }
  g_autofree char *ext = g_strdup_printf ("%" G_GINT64_FORMAT, self->extension_id);
  if (!g_str_equal (seg[3], "~") && !g_str_equal (seg[3], ext)) {
    rc_sim_reply_error (call, 404, "CMN-102", "Resource for parameter [extensionId] is not found",
                        "extensionId");
    return;
  }
  if (n == 4) {
    if (method_is (call, "GET", "GET"))
      rc_sim_handle_extension (call);
    return;
  }
  const char *what = seg[4];
  if (n == 5 && g_str_equal (what, "phone-number")) {
    if (method_is (call, "GET", "GET"))
      rc_sim_handle_phone_numbers (call);
  } else if (n == 7 && g_str_equal (what, "phone-number")
             && g_str_equal (seg[6], "sms-configuration")) {
    if (method_is (call, "GET", "GET"))
      rc_sim_handle_sms_configuration (call, seg[5]);
  } else if (n == 5 && g_str_equal (what, "sms")) {
    if (method_is (call, "POST", "POST"))
      rc_sim_handle_sms (call);
  } else if (n == 5 && g_str_equal (what, "mms")) {
    if (method_is (call, "POST", "POST"))
      rc_sim_handle_mms (call, TRUE);
  } else if (n == 8 && g_str_equal (what, "message-store") && g_str_equal (seg[6], "content")) {
    if (method_is (call, "GET", "GET"))
      rc_sim_handle_message_content (call, seg[5], seg[7]);
  } else if (n == 6 && g_str_equal (what, "address-book") && g_str_equal (seg[5], "contact")) {
    if (method_is (call, "GET", "GET"))
      rc_sim_handle_address_book (call);
  } else if (n == 5 && g_str_equal (what, "message-sync")) {
    if (method_is (call, "GET", "GET"))
      rc_sim_handle_message_sync (call);
  } else if (n == 5 && g_str_equal (what, "message-store")) {
    if (method_is (call, "GET", "GET"))
      rc_sim_handle_message_store (call, NULL);
  } else if (n == 6 && g_str_equal (what, "message-store")) {
    if (g_str_equal (call->method, "GET") || g_str_equal (call->method, "PUT"))
      rc_sim_handle_message_store (call, seg[5]);
    else
      reply_405 (call, "GET, PUT");
  } else
    reply_404 (call);
}

void
rc_sim_route (RcSimCall *call)
{
  const char *path = call->path;
  if (g_str_equal (path, "/restapi/oauth/token")) {
    if (method_is (call, "POST", "POST"))
      rc_sim_handle_token (call);
    return;
  }
  if (g_str_equal (path, "/restapi/oauth/authorize")) {
    /* GET or POST (fact sheet §1); the browser's GET is the one that matters. */
    if (g_str_equal (call->method, "GET") || g_str_equal (call->method, "POST"))
      rc_sim_handle_authorize (call);
    else
      reply_405 (call, "GET, POST");
    return;
  }
  if (g_str_equal (path, "/restapi/oauth/revoke")) {
    if (method_is (call, "POST", "POST"))
      rc_sim_handle_revoke (call);
    return;
  }
  if (g_str_equal (path, "/restapi/oauth/wstoken")) {
    if (method_is (call, "POST", "POST"))
      rc_sim_handle_wstoken (call);
    return;
  }
  if (g_str_has_prefix (path, "/restapi/v1.0/")) {
    if (!rc_sim_check_bearer (call))
      return;
    g_auto (GStrv) seg = g_strsplit (path + strlen ("/restapi/v1.0/"), "/", -1);
    guint n = g_strv_length (seg);
    /* A trailing slash is tolerated, as the real server does. */
    if (n > 0 && *seg[n - 1] == '\0')
      n--;
    route_v1 (call, seg, n);
    return;
  }
  reply_404 (call);
}

/* ---- public API ---- */

gboolean
rc_sim_start (RcSim *self, guint port, GError **error)
{
  g_return_val_if_fail (RC_IS_SIM (self), FALSE);
  g_return_val_if_fail (self->server == NULL, FALSE);
  self->context = g_main_context_ref_thread_default ();
  self->server = soup_server_new ("server-header", "rc-sim ", NULL);
  soup_server_add_handler (self->server, NULL, server_callback, self, NULL);
  rc_sim_ws_setup (self);
  rc_sim_conns_setup (self);
  /* soup_server_listen() with an explicit address: listen_local() in libsoup 3.2 leaks the
   * local GSocketAddress it looks up for an ephemeral port. */
  g_autoptr (GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr (GSocketAddress) addr = g_inet_socket_address_new (loopback, (guint16)port);
  if (port > 65535 || !soup_server_listen (self->server, addr, 0, error)) {
    g_clear_object (&self->server);
    return FALSE;
  }
  /* The bound port from the listening socket itself (soup_server_get_uris() leaks in 3.2). */
  GSList *listeners = soup_server_get_listeners (self->server);
  self->port = port;
  if (listeners != NULL) {
    g_autoptr (GSocketAddress) local = g_socket_get_local_address (listeners->data, NULL);
    if (local != NULL && G_IS_INET_SOCKET_ADDRESS (local))
      self->port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (local));
  }
  g_slist_free (listeners);
  return TRUE;
}

guint
rc_sim_get_port (RcSim *self)
{
  g_return_val_if_fail (RC_IS_SIM (self), 0);
  return self->port;
}

char *
rc_sim_get_base_url (RcSim *self)
{
  g_return_val_if_fail (RC_IS_SIM (self), NULL);
  return g_strdup_printf ("http://127.0.0.1:%u", self->port);
}

void
rc_sim_inject_fault (RcSim *self, const char *path_prefix, RcSimFault fault, guint count,
                     guint param)
{
  g_return_if_fail (RC_IS_SIM (self));
  if (count == 0)
    return;
  RcSimFaultSpec *f = g_new0 (RcSimFaultSpec, 1);
  f->path_prefix = g_strdup (path_prefix);
  f->fault = fault;
  f->count = count;
  f->param = param;
  g_ptr_array_add (self->faults, f);
}

GPtrArray *
rc_sim_get_requests (RcSim *self)
{
  g_return_val_if_fail (RC_IS_SIM (self), NULL);
  return self->requests;
}

void
rc_sim_clear_requests (RcSim *self)
{
  g_return_if_fail (RC_IS_SIM (self));
  /* Records of requests still being answered are freed when they finish. */
  for (guint i = 0; i < self->requests->len; i++)
    if (!g_hash_table_contains (self->inflight, self->requests->pdata[i]))
      request_free (self->requests->pdata[i]);
  g_ptr_array_set_free_func (self->requests, NULL);
  g_ptr_array_set_size (self->requests, 0);
  g_ptr_array_set_free_func (self->requests, (GDestroyNotify)request_free);
}

guint
rc_sim_count_requests (RcSim *self, const char *method, const char *path_prefix)
{
  g_return_val_if_fail (RC_IS_SIM (self), 0);
  guint n = 0;
  for (guint i = 0; i < self->requests->len; i++) {
    RcSimRequest *r = self->requests->pdata[i];
    if ((method == NULL || g_str_equal (r->method, method))
        && (path_prefix == NULL || g_str_has_prefix (r->path, path_prefix)))
      n++;
  }
  return n;
}

guint
rc_sim_get_tokens_issued (RcSim *self)
{
  g_return_val_if_fail (RC_IS_SIM (self), 0);
  return self->tokens_issued;
}

void
rc_sim_set_clock_offset (RcSim *self, gint64 seconds)
{
  g_return_if_fail (RC_IS_SIM (self));
  self->clock_offset_s = seconds;
}

gint64
rc_sim_now_us (RcSim *self)
{
  g_return_val_if_fail (RC_IS_SIM (self), 0);
  return g_get_real_time () + self->clock_offset_s * G_USEC_PER_SEC;
}

/* Replaces the Date header libsoup put on the answer (it writes the local clock when the request
 * headers arrive) with the simulator's clock. */
static void
set_date_header (RcSimCall *call)
{
  g_autoptr (GDateTime) now
      = g_date_time_new_from_unix_utc (rc_sim_now_us (call->sim) / G_USEC_PER_SEC);
  g_autofree char *date = now ? soup_date_time_to_string (now, SOUP_DATE_HTTP) : NULL;
  if (date != NULL)
    soup_message_headers_replace (soup_server_message_get_response_headers (call->msg), "Date",
                                  date);
}

void
rc_sim_set_public_base_url (RcSim *self, const char *url)
{
  g_return_if_fail (RC_IS_SIM (self));
  g_free (self->public_base_url);
  self->public_base_url = url && *url ? g_strdup (url) : NULL;
  /* No trailing slash: paths are appended as they are. */
  if (self->public_base_url != NULL && g_str_has_suffix (self->public_base_url, "/"))
    self->public_base_url[strlen (self->public_base_url) - 1] = '\0';
}
