/* rc-phone-list.c: parsing and naming lists of phone numbers (group texts). */
#include "rc-phone-list.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "rc-error.h"
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

/* TRUE when @s holds only what rc_phone_normalize() skips between digits (no digit, no '+'). */
static gboolean
is_filler (const char *s)
{
  for (; *s != '\0'; s++)
    if (!(g_ascii_isspace (*s) || *s == '.' || *s == '-' || *s == '(' || *s == ')'))
      return FALSE;
  return TRUE;
}

/* Adds the number(s) of @run (a stretch between separators that has at most one '+', at its
 * start): the whole run when it is one number, else each of its space-separated words. */
static gboolean
add_run (GPtrArray *numbers, char *run, const char *home_e164, GError **error)
{
  g_auto (GStrv) words = NULL;
  char *whole;

  g_strstrip (run);
  if (is_filler (run))
    return TRUE;
  if ((whole = rc_phone_normalize (run, home_e164, NULL)) != NULL) {
    rc_phone_list_add (numbers, whole);
    return TRUE;
  }
  words = g_strsplit_set (run, " \t\r", -1);
  for (guint i = 0; words[i] != NULL; i++) {
    char *e164;

    if (is_filler (words[i]))
      continue;
    if ((e164 = rc_phone_normalize (words[i], home_e164, error)) == NULL)
      return FALSE;
    rc_phone_list_add (numbers, e164);
  }
  return TRUE;
}

static GPtrArray *
parse_list (const char *text, const char *home_e164, GError **error)
{
  g_autoptr (GPtrArray) numbers = g_ptr_array_new_with_free_func (g_free);
  g_auto (GStrv) pieces = g_strsplit_set (text != NULL ? text : "", ",;\n", -1);

  for (guint i = 0; pieces[i] != NULL; i++) {
    const char *piece = pieces[i];
    const char *start = piece;

    /* Each '+' after the start of the piece begins a new run. */
    for (const char *p = piece; *p != '\0'; p++) {
      if (*p == '+' && p > start) {
        g_autofree char *run = g_strndup (start, (gsize)(p - start));

        if (!add_run (numbers, run, home_e164, error))
          return NULL;
        start = p;
      }
    }
    {
      g_autofree char *run = g_strdup (start);

      if (!add_run (numbers, run, home_e164, error))
        return NULL;
    }
  }
  return g_steal_pointer (&numbers);
}

GPtrArray *
rc_phone_list_parse (const char *text, const char *home_e164, GError **error)
{
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);
  return parse_list (text, home_e164, error);
}

GPtrArray *
rc_phone_list_parse_recipients (const char *text, const char *home_e164, GPtrArray *own_numbers,
                                GError **error)
{
  g_autoptr (GPtrArray) numbers = NULL;

  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if ((numbers = parse_list (text, home_e164, error)) == NULL)
    return NULL;
  for (guint i = 0; own_numbers != NULL && i < own_numbers->len; i++) {
    guint index;

    if (own_numbers->pdata[i] != NULL
        && g_ptr_array_find_with_equal_func (numbers, own_numbers->pdata[i], g_str_equal, &index))
      g_ptr_array_remove_index (numbers, index); /* keeps the order */
  }
  if (numbers->len > RC_PHONE_LIST_MAX_RECIPIENTS) {
    g_set_error (error, RC_ERROR, RC_ERROR_INVALID_INPUT,
                 _ ("A group text takes at most %d numbers besides yours; this list has %u."),
                 RC_PHONE_LIST_MAX_RECIPIENTS, numbers->len);
    return NULL;
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
