/* rc-phone-list.c: parsing and naming lists of phone numbers (group texts). */
#include "rc-phone-list.h"

#include <string.h>

#include "rc-phone.h"

void
rc_phone_list_add (GPtrArray *numbers, char *number)
{
  guint lo = 0, hi;

  g_return_if_fail (numbers != NULL && number != NULL);

  /* Binary search: group lists are short, but contact lists built the same way are not. */
  hi = numbers->len;
  while (lo < hi) {
    guint mid = lo + (hi - lo) / 2;
    int cmp = strcmp (g_ptr_array_index (numbers, mid), number);

    if (cmp == 0) {
      g_free (number);
      return;
    }
    if (cmp < 0)
      lo = mid + 1;
    else
      hi = mid;
  }
  g_ptr_array_insert (numbers, (gint)lo, number);
}

GPtrArray *
rc_phone_list_parse (const char *text, const char *home_e164, GError **error)
{
  g_autoptr (GPtrArray) numbers = g_ptr_array_new_with_free_func (g_free);
  g_auto (GStrv) pieces = g_strsplit_set (text != NULL ? text : "", ",;\n", -1);

  for (guint i = 0; pieces[i] != NULL; i++) {
    char *piece = g_strstrip (pieces[i]);
    char *whole;
    g_auto (GStrv) words = NULL;

    if (*piece == '\0')
      continue;
    if ((whole = rc_phone_normalize (piece, home_e164, NULL)) != NULL) {
      rc_phone_list_add (numbers, whole);
      continue;
    }
    words = g_strsplit_set (piece, " \t", -1);
    for (guint j = 0; words[j] != NULL; j++) {
      char *e164;

      if (*words[j] == '\0')
        continue;
      if ((e164 = rc_phone_normalize (words[j], home_e164, error)) == NULL)
        return NULL;
      rc_phone_list_add (numbers, e164);
    }
  }
  return g_steal_pointer (&numbers);
}

char *
rc_phone_list_name (GPtrArray *numbers)
{
  GString *out = g_string_new (NULL);

  g_return_val_if_fail (numbers != NULL, g_string_free (out, FALSE));

  for (guint i = 0; i < numbers->len; i++)
    g_string_append_printf (out, "%s%s", i > 0 ? "," : "", (const char *)numbers->pdata[i]);
  return g_string_free (out, FALSE);
}

char *
rc_phone_list_canonical (const char *text)
{
  g_autoptr (GPtrArray) numbers = rc_phone_list_parse (text, NULL, NULL);

  return numbers != NULL && numbers->len > 1 ? rc_phone_list_name (numbers) : NULL;
}
