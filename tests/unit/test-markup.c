/* test-markup.c: libpurple HTML <-> SMS text (plugin/markup.c). */
#include <glib.h>

#include "rcp-markup.h"

typedef struct {
  const char *in;
  const char *out;
} Case;

static void
check_to_sms (const Case *cases, gsize n)
{
  for (gsize i = 0; i < n; i++) {
    g_autofree char *got = rcp_markup_to_sms (cases[i].in);
    g_assert_cmpstr (got, ==, cases[i].out);
  }
}

static void
test_entities_decoded_once (void)
{
  static const Case cases[] = {
    { "&amp;lt;", "&lt;" }, /* the user typed "&lt;": it must go out literally */
    { "&lt;3", "<3" },
    { "a &amp; b", "a & b" },
    { "&quot;hi&quot; it&apos;s", "\"hi\" it's" },
    { "1 &lt; 2 &gt; 0", "1 < 2 > 0" },
    { "a&nbsp;b", "a b" },
  };
  check_to_sms (cases, G_N_ELEMENTS (cases));
}

static void
test_tags_stripped (void)
{
  static const Case cases[] = {
    { "<b>hi</b>", "hi" },
    { "<font color=\"#ff0000\"><i>red</i></font>", "red" },
    { "<span style=\"font-size: small\">x</span>", "x" },
    { "", "" },
  };
  check_to_sms (cases, G_N_ELEMENTS (cases));
}

static void
test_line_breaks (void)
{
  static const Case cases[] = {
    { "a<br>b", "a\nb" },   { "a<BR/>b", "a\nb" },
    { "a<br />b", "a\nb" }, { "a\nb", "a\nb" }, /* Finch/bitlbee: raw newline typed by the user */
    { "a\r\nb", "a\nb" },   { "a<br><br>b", "a\n\nb" },
  };
  check_to_sms (cases, G_N_ELEMENTS (cases));
}

static void
test_trailing_whitespace (void)
{
  static const Case cases[] = {
    { "hi<br>", "hi" },
    { "hi  <br><br> ", "hi" },
    { "  indented", "  indented" }, /* leading space is the user's */
    { "<br>", "" },
  };
  check_to_sms (cases, G_N_ELEMENTS (cases));
}

static void
test_emoji_kept (void)
{
  static const Case cases[] = {
    { "hi \xF0\x9F\x98\x80", "hi \xF0\x9F\x98\x80" },
    { "caf\xC3\xA9 <b>\xE2\x9D\xA4\xEF\xB8\x8F</b>", "caf\xC3\xA9 \xE2\x9D\xA4\xEF\xB8\x8F" },
    { "&#x1F600;", "\xF0\x9F\x98\x80" },
  };
  check_to_sms (cases, G_N_ELEMENTS (cases));
}

static void
test_null_input (void)
{
  g_autofree char *a = rcp_markup_to_sms (NULL);
  g_autofree char *b = rcp_markup_from_sms (NULL);

  g_assert_cmpstr (a, ==, "");
  g_assert_cmpstr (b, ==, "");
}

static void
test_from_sms (void)
{
  static const Case cases[] = {
    { "a < b & c > d", "a &lt; b &amp; c &gt; d" },
    { "<b>not bold</b>", "&lt;b&gt;not bold&lt;/b&gt;" },
    { "line1\nline2", "line1<br>line2" },
    { "line1\r\nline2", "line1<br>line2" },
    { "&lt;", "&amp;lt;" },
    { "\xF0\x9F\x98\x80", "\xF0\x9F\x98\x80" },
    { "", "" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++) {
    g_autofree char *got = rcp_markup_from_sms (cases[i].in);
    g_assert_cmpstr (got, ==, cases[i].out);
  }
}

/* What we display and send back must be what arrived: from_sms then to_sms is the identity for
 * texts without trailing whitespace. */
static void
test_round_trip (void)
{
  static const char *texts[] = {
    "a < b & c > d",       "&amp; stays &amp;",   "two\nlines",
    "<3 \xF0\x9F\x98\x80", "\"quoted\" 'single'",
  };

  for (gsize i = 0; i < G_N_ELEMENTS (texts); i++) {
    g_autofree char *html = rcp_markup_from_sms (texts[i]);
    g_autofree char *back = rcp_markup_to_sms (html);
    g_assert_cmpstr (back, ==, texts[i]);
  }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/markup/to-sms/entities-decoded-once", test_entities_decoded_once);
  g_test_add_func ("/markup/to-sms/tags-stripped", test_tags_stripped);
  g_test_add_func ("/markup/to-sms/line-breaks", test_line_breaks);
  g_test_add_func ("/markup/to-sms/trailing-whitespace", test_trailing_whitespace);
  g_test_add_func ("/markup/to-sms/emoji-kept", test_emoji_kept);
  g_test_add_func ("/markup/null-input", test_null_input);
  g_test_add_func ("/markup/from-sms", test_from_sms);
  g_test_add_func ("/markup/round-trip", test_round_trip);
  return g_test_run ();
}
