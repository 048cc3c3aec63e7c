/* rc-sender-list.h: the user's send-from numbers (fact sheet §2): the texting numbers of
 * GET …/extension/~/phone-number (every page, SmsSender or MmsSender), each with its texting
 * registration (sms-configuration) once known. One per session; the plugin renders it. */
#pragma once

#include <gio/gio.h>

#include "rc-client.h"
#include "rc-numbers.h"

G_BEGIN_DECLS

#define RC_TYPE_SENDER_LIST (rc_sender_list_get_type ())
G_DECLARE_FINAL_TYPE (RcSenderList, rc_sender_list, RC, SENDER_LIST, GObject)

/* Signals:
 *   "changed" (void): the list was replaced by a refresh, or registration details of its numbers
 *                     arrived (in place). Emitted after every successful refresh, even when
 *                     nothing differs, so that receivers can re-check remembered choices.
 *   "answered" (void): a refresh's first number page was answered (2xx; before it is read): the
 *                      server took the request, after any 429 wait (rc-session.c starts a first
 *                      sign-on's catch-up then). */

RcSenderList *rc_sender_list_new (RcClient *client);

/* The numbers (RcPhoneNumber*, server order; borrowed, valid until the next "changed"); empty
 * until the first refresh finished. Never NULL. */
GPtrArray *rc_sender_list_get (RcSenderList *self);

/* TRUE once a refresh has succeeded. */
gboolean rc_sender_list_is_loaded (RcSenderList *self);

/* The number with E.164 @e164, or NULL (borrowed). */
const RcPhoneNumber *rc_sender_list_find (RcSenderList *self, const char *e164);

/* Test hook: how long a refresh waits for the registration checks before it hands out the list
 * (default 5000 ms); later answers are filled in in place and announced with "changed". */
void rc_sender_list_set_registration_wait (RcSenderList *self, guint ms);

/* A number's registration check (sms-configuration) is asked again only this long after its last
 * answer (seconds; a day): within it, refreshes fill the number in from memory. */
#define RC_SENDER_LIST_RECHECK_S (24 * 3600)

/* The remembered checks of the list's numbers (JSON: {"id": [RcRegistration, "campaign status"
 * or null, Unix seconds of the answer]}), or NULL when there is none; persist it (newly
 * allocated). rc_sender_list_restore_registration() takes it back before the first refresh
 * (damaged input and entries are skipped). */
char *rc_sender_list_save_registration (RcSenderList *self);
void rc_sender_list_restore_registration (RcSenderList *self, const char *saved);
/* Forgets the remembered checks: the next refresh asks about every number again (a refresh the
 * user asked for). The numbers keep their current registration until then. */
void rc_sender_list_forget_registration (RcSenderList *self);

/* Fetches every page of numbers (rc_numbers_fetch_senders_async), and the texting registration
 * of the first numbers not checked within RC_SENDER_LIST_RECHECK_S (rc_registration_fetch_async;
 * they start as soon as the pages read so far hold RC_REGISTRATION_MAX_NUMBERS of them, else once
 * every page is in; optional: failures leave UNKNOWN, and after the registration wait, counted
 * from the last page, the list is handed out anyway). A failed or cancelled list answers once its
 * checks have ended.
 * On success the list is replaced and "changed" emitted before the finish; on failure (RC_ERROR_*,
 * cancellation) the old list stays. */
void rc_sender_list_refresh_async (RcSenderList *self, GCancellable *cancellable,
                                   GAsyncReadyCallback callback, gpointer user_data);
gboolean rc_sender_list_refresh_finish (RcSenderList *self, GAsyncResult *result, GError **error);

G_END_DECLS
