/* markup.c: libpurple HTML <-> plain SMS text. */
#include "rcp-markup.h"

#include <purple.h>
#include <string.h>

/* Raw newlines are whitespace to purple_markup_strip_html (it turns them into spaces), but Finch
 * and bitlbee send what the user typed as escaped text with real newlines: keep them as line
 * breaks. */
static char *
newlines_to_br (const char *text)
{
  GString *out = g_string_sized_new (strlen (text) + 16);

  for (const char *p = text; *p; p++) {
    if (*p == '\r') {
      if (p[1] == '\n')
        p++;
      g_string_append (out, "<br>");
    } else if (*p == '\n')
      g_string_append (out, "<br>");
    else
      g_string_append_c (out, *p);
  }
  return g_string_free (out, FALSE);
}

char *
rcp_markup_to_sms (const char *html)
{
  g_autofree char *with_br = NULL;
  char *text;

  if (html == NULL)
    return g_strdup ("");

  with_br = newlines_to_br (html);
  /* strip_html turns <br>/<p> into "\n", drops the other tags and decodes each entity once, so
   * "&amp;lt;" becomes "&lt;" (what the user typed), never "<". */
  text = purple_markup_strip_html (with_br);
  if (text == NULL)
    return g_strdup ("");
  return g_strchomp (text);
}

char *
rcp_markup_from_sms (const char *text)
{
  g_autofree char *escaped = NULL;

  if (text == NULL || *text == '\0')
    return g_strdup ("");

  escaped = purple_markup_escape_text (text, -1);
  return newlines_to_br (escaped);
}
