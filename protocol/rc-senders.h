/* rc-senders.h: choosing the send-from number and checking what it may carry. Pure logic. */
#pragma once

#include <glib.h>

#include "rc-numbers.h"

G_BEGIN_DECLS

/* Finds a sender in @senders (RcPhoneNumber*) by what a user typed: a 1-based position ("2") or a
 * number in any form rc_phone_normalize() accepts. NULL when nothing matches. */
const RcPhoneNumber *rc_senders_lookup (GPtrArray *senders, const char *typed);

/* Index (0-based) of @e164 in @senders, or -1. */
gint rc_senders_index_of (GPtrArray *senders, const char *e164);

/* Picks the number a text goes out from: the first of @choices (E.164 strings in priority order,
 * NULL entries skipped, list ends at @n_choices) that is still in @senders (whatever it can carry:
 * rc_senders_check() refuses and explains), else the first sender with SmsSender, else the first
 * sender.
 * When a non-NULL choice was skipped because it is no longer in @senders, *stale (if not NULL) is
 * set to it (the first such). Returns NULL only when @senders is empty. */
const RcPhoneNumber *rc_senders_resolve (GPtrArray *senders, const char *const *choices,
                                         gsize n_choices, const char **stale);

/* Checks before anything is sent that @sender may carry a text to @recipients (E.164, NULL-ended),
 * with or without an attachment: more than one recipient or an attachment needs MmsSender, a plain
 * SMS needs SmsSender, a recipient abroad (rc_phone_is_international) needs InternationalSmsSender.
 * On refusal returns FALSE with RC_ERROR_NOT_PERMITTED and a message that names the number, the
 * missing capability, and which of @senders would work ("/from 2 would send it.") or that none would.
 * @senders may be empty (then: "This account has no number that can send texts."). */
gboolean rc_senders_check (GPtrArray *senders, const RcPhoneNumber *sender,
                           const char *const *recipients, gboolean has_attachment, GError **error);

G_END_DECLS
