/* fuzz-senders.h: a fixed list of send-from numbers for the targets that classify records
 * (fuzz-sync.c, fuzz-inbox.c): the numbers of the seeds (tests/fuzz/corpus) and the fixtures. */
#pragma once

#include "rc-numbers.h"

/* RcPhoneNumber* (array frees them): +16505550100, +16505550101 (SMS, MMS), +18558990011 (SMS). */
static inline GPtrArray *
fuzz_senders_new (void)
{
  static const char *const numbers[] = { "+16505550100", "+16505550101", "+18558990011" };
  GPtrArray *senders = g_ptr_array_new_with_free_func ((GDestroyNotify)rc_phone_number_free);

  for (guint i = 0; i < G_N_ELEMENTS (numbers); i++) {
    RcPhoneNumber n = { .id = g_strdup_printf ("%u", i + 1),
                        .e164 = (char *)numbers[i],
                        .features = RC_FEATURE_SMS | (i < 2 ? RC_FEATURE_MMS : 0) };

    g_ptr_array_add (senders, rc_phone_number_copy (&n));
    g_free (n.id);
  }
  return senders;
}
