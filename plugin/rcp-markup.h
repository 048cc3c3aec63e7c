/* rcp-markup.h: libpurple HTML <-> plain SMS text (markup.c). Pure functions, no connection. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The plain text to send for libpurple's outgoing HTML: line breaks (<br>, <p>, and raw newlines
 * that Finch and bitlbee send) become "\n", tags go, entities are decoded exactly once, trailing
 * whitespace is trimmed. Newly allocated; "" for NULL. */
char *rcp_markup_to_sms (const char *html);

/* HTML to display a received text: escaped, newlines as <br>. Newly allocated; "" for NULL. */
char *rcp_markup_from_sms (const char *text);

G_END_DECLS
