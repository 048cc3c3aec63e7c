/* rc-senders.c: choosing the send-from number and checking what it may carry. */
#include "rc-senders.h"

#include <stdlib.h>
#include <string.h>
#include <glib/gi18n-lib.h>

#include "rc-error.h"
#include "rc-phone.h"

gint
rc_senders_index_of (GPtrArray *senders, const char *e164)
{
  g_return_val_if_fail (senders != NULL, -1);
  if (e164 == NULL)
    return -1;
  for (guint i = 0; i < senders->len; i++) {
    const RcPhoneNumber *number = g_ptr_array_index (senders, i);

    if (g_strcmp0 (number->e164, e164) == 0)
      return (gint)i;
  }
  return -1;
}

const RcPhoneNumber *
rc_senders_lookup (GPtrArray *senders, const char *typed)
{
  g_autofree char *text = NULL;
  gsize len;

  g_return_val_if_fail (senders != NULL, NULL);
  if (typed == NULL)
    return NULL;
  text = g_strstrip (g_strdup (typed));
  len = strlen (text);

  /* A short all-digit word is a position in the list, never a phone number. */
  if (len > 0 && len <= 4 && strspn (text, "0123456789") == len) {
    guint64 position = g_ascii_strtoull (text, NULL, 10);

    return position >= 1 && position <= senders->len ? g_ptr_array_index (senders, position - 1)
                                                     : NULL;
  }

  /* A national form depends on the country: try it as each sender's country would read it, in
   * list order. Linear (issue 10: 0.5 s at 10,000 numbers, 118 s at 100,000 when each sender's
   * reading searched the whole list): rc_phone_normalize() reads by calling code only, so each
   * country is read, and searched for, once. */
  {
    g_autoptr (GHashTable) countries
        = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

    for (guint i = 0; i < senders->len; i++) {
      const RcPhoneNumber *country = g_ptr_array_index (senders, i);
      g_autofree char *code = rc_phone_calling_code (country->e164);
      g_autofree char *e164 = NULL;
      gint index;

      /* No or an unknown calling code: rc_phone_normalize() reads those one way too. */
      if (!g_hash_table_add (countries, code != NULL ? g_steal_pointer (&code) : g_strdup ("")))
        continue; /* this country was read already */
      e164 = rc_phone_normalize (text, country->e164, NULL);
      if ((index = rc_senders_index_of (senders, e164)) >= 0)
        return g_ptr_array_index (senders, index);
    }
  }
  return NULL;
}

const RcPhoneNumber *
rc_senders_resolve (GPtrArray *senders, const char *const *choices, gsize n_choices,
                    const char **stale)
{
  g_return_val_if_fail (senders != NULL, NULL);

  if (stale != NULL)
    *stale = NULL;
  for (gsize i = 0; choices != NULL && i < n_choices; i++) {
    gint index;

    if (choices[i] == NULL)
      continue;
    index = rc_senders_index_of (senders, choices[i]);
    if (index < 0) {
      /* The number was removed from this login: fall through, and say so once. */
      if (stale != NULL && *stale == NULL)
        *stale = choices[i];
      continue;
    }
    /* The user's choice stands even when it lacks what this text needs: rc_senders_check()
     * then says so and names a number that would work, instead of silently sending from
     * another one. */
    return g_ptr_array_index (senders, index);
  }
  for (guint i = 0; i < senders->len; i++) {
    const RcPhoneNumber *number = g_ptr_array_index (senders, i);

    if (number->features & RC_FEATURE_SMS)
      return number;
  }
  return senders->len > 0 ? g_ptr_array_index (senders, 0) : NULL;
}

/* The first recipient @number cannot reach without InternationalSmsSender, or NULL. */
static const char *
first_abroad (const RcPhoneNumber *number, const char *const *recipients)
{
  for (gsize i = 0; recipients[i] != NULL; i++)
    if (rc_phone_is_international (number->e164, recipients[i]))
      return recipients[i];
  return NULL;
}

static gboolean
can_carry (const RcPhoneNumber *number, RcFeatures needed, const char *const *recipients)
{
  if ((number->features & needed) != needed)
    return FALSE;
  return (number->features & RC_FEATURE_INTERNATIONAL) || first_abroad (number, recipients) == NULL;
}

gboolean
rc_senders_check (GPtrArray *senders, const RcPhoneNumber *sender, const char *const *recipients,
                  gboolean has_attachment, GError **error)
{
  g_autofree char *shown = NULL;
  g_autofree char *problem = NULL;
  g_autofree char *advice = NULL;
  gsize n_recipients = 0;
  RcFeatures needed;

  g_return_val_if_fail (senders != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (senders->len == 0 || sender == NULL) {
    g_set_error_literal (error, RC_ERROR, RC_ERROR_NOT_PERMITTED,
                         _ ("This account has no number that can send texts."));
    return FALSE;
  }
  while (recipients != NULL && recipients[n_recipients] != NULL)
    n_recipients++;
  if (n_recipients == 0) {
    g_set_error_literal (error, RC_ERROR, RC_ERROR_INVALID_INPUT, _ ("The text has no recipient."));
    return FALSE;
  }

  needed = (n_recipients > 1 || has_attachment) ? RC_FEATURE_MMS : RC_FEATURE_SMS;
  if (can_carry (sender, needed, recipients))
    return TRUE;

  shown = rc_phone_format (sender->e164);
  if ((sender->features & needed) != needed) {
    if (n_recipients > 1)
      problem = g_strdup_printf (_ ("%s cannot send group texts: it lacks MMS."), shown);
    else if (has_attachment)
      problem = g_strdup_printf (_ ("%s cannot send pictures or files: it lacks MMS."), shown);
    else
      problem = g_strdup_printf (_ ("%s cannot send texts: it lacks SMS."), shown);
  } else {
    g_autofree char *abroad = rc_phone_format (first_abroad (sender, recipients));

    problem = g_strdup_printf (_ ("%s cannot text %s: international texting is not enabled on it "
                                  "(InternationalSmsSender)."),
                               shown, abroad);
  }

  for (guint i = 0; i < senders->len && advice == NULL; i++) {
    const RcPhoneNumber *other = g_ptr_array_index (senders, i);

    if (other != sender && g_strcmp0 (other->e164, sender->e164) != 0
        && can_carry (other, needed, recipients)) {
      g_autofree char *other_shown = rc_phone_format (other->e164);

      advice = g_strdup_printf (_ ("%s can: /from %u would send it."), other_shown, i + 1);
    }
  }
  if (advice == NULL)
    advice = g_strdup (_ ("None of your numbers can."));

  g_set_error (error, RC_ERROR, RC_ERROR_NOT_PERMITTED, "%s %s", problem, advice);
  return FALSE;
}
