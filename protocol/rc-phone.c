/* rc-phone.c: phone number text: E.164 check, normalisation, display form, calling codes. */
#include "rc-phone.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#include "rc-error.h"
#include "rc-nanp-areas.h"

/* ITU-T E.164 country calling codes. Codes are prefix-free, so the first match by length wins. */
static const char *const calling_codes_1[] = { "1", "7" };

static const char *const calling_codes_2[] = {
  "20", "27", "30", "31", "32", "33", "34", "36", "39", "40", "41", "43", "44", "45", "46",
  "47", "48", "49", "51", "52", "53", "54", "55", "56", "57", "58", "60", "61", "62", "63",
  "64", "65", "66", "81", "82", "84", "86", "90", "91", "92", "93", "94", "95", "98",
};

static const char *const calling_codes_3[] = {
  "211", "212", "213", "216", "218", "220", "221", "222", "223", "224", "225", "226", "227", "228",
  "229", "230", "231", "232", "233", "234", "235", "236", "237", "238", "239", "240", "241", "242",
  "243", "244", "245", "246", "247", "248", "249", "250", "251", "252", "253", "254", "255", "256",
  "257", "258", "260", "261", "262", "263", "264", "265", "266", "267", "268", "269", "290", "291",
  "297", "298", "299", "350", "351", "352", "353", "354", "355", "356", "357", "358", "359", "370",
  "371", "372", "373", "374", "375", "376", "377", "378", "379", "380", "381", "382", "383", "385",
  "386", "387", "389", "420", "421", "423", "500", "501", "502", "503", "504", "505", "506", "507",
  "508", "509", "590", "591", "592", "593", "594", "595", "596", "597", "598", "599", "670", "672",
  "673", "674", "675", "676", "677", "678", "679", "680", "681", "682", "683", "685", "686", "687",
  "688", "689", "690", "691", "692", "800", "808", "850", "852", "853", "855", "856", "870", "878",
  "880", "881", "882", "883", "886", "888", "960", "961", "962", "963", "964", "965", "966", "967",
  "968", "970", "971", "972", "973", "974", "975", "976", "977", "979", "992", "993", "994", "995",
  "996", "998",
};

gboolean
rc_phone_is_e164 (const char *s)
{
  gsize n;

  if (s == NULL || s[0] != '+' || s[1] < '1' || s[1] > '9')
    return FALSE;
  for (n = 1; s[n] != '\0'; n++)
    if (!g_ascii_isdigit (s[n]))
      return FALSE;
  n -= 1; /* digits after '+' */
  return n >= 8 && n <= 15;
}

static gboolean
in_table (const char *digits, gsize len, const char *const *table, gsize n_table)
{
  for (gsize i = 0; i < n_table; i++)
    if (strncmp (digits, table[i], len) == 0)
      return TRUE;
  return FALSE;
}

/* Length of the calling code at the start of @digits (no '+'), 0 when unknown. */
static gsize
calling_code_length (const char *digits)
{
  if (strlen (digits) < 3)
    return 0;
  if (in_table (digits, 1, calling_codes_1, G_N_ELEMENTS (calling_codes_1)))
    return 1;
  if (in_table (digits, 2, calling_codes_2, G_N_ELEMENTS (calling_codes_2)))
    return 2;
  if (in_table (digits, 3, calling_codes_3, G_N_ELEMENTS (calling_codes_3)))
    return 3;
  return 0;
}

char *
rc_phone_calling_code (const char *e164)
{
  gsize len;

  if (!rc_phone_is_e164 (e164))
    return NULL;
  len = calling_code_length (e164 + 1);
  return len > 0 ? g_strndup (e164 + 1, len) : NULL;
}

gboolean
rc_phone_is_short_code (const char *number)
{
  gsize n;

  if (number == NULL)
    return FALSE;
  for (n = 0; number[n] != '\0'; n++)
    if (!g_ascii_isdigit (number[n]) || n >= 8)
      return FALSE;
  return n >= 3;
}

static GError *
not_a_number (const char *input)
{
  return g_error_new (RC_ERROR, RC_ERROR_INVALID_INPUT, _ ("\"%s\" is not a phone number."), input);
}

static GError *
short_code (const char *input)
{
  return g_error_new (RC_ERROR, RC_ERROR_INVALID_INPUT,
                      _ ("\"%s\" is a short code: RingCentral texts only full phone numbers, so "
                         "texts to short codes cannot be sent."),
                      input);
}

/* A short code as typed (separators already dropped into @digits): see rc-phone.h. A leading 0
 * is a national trunk prefix ("0123456" in the UK), never a short code. */
static gboolean
typed_short_code (const char *digits, const char *country)
{
  gsize len = strlen (digits);

  if (!rc_phone_is_short_code (digits) || digits[0] == '0')
    return FALSE;
  return g_strcmp0 (country, "1") != 0 || len == 5 || len == 6;
}

char *
rc_phone_normalize (const char *input, const char *sender_e164, GError **error)
{
  g_autoptr (GString) digits = g_string_new (NULL);
  g_autofree char *country = NULL;
  g_autofree char *result = NULL;
  gboolean plus = FALSE;
  const char *d;

  g_return_val_if_fail (input != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  for (const char *p = input; *p != '\0'; p++) {
    if (g_ascii_isdigit (*p))
      g_string_append_c (digits, *p);
    else if (*p == '+' && !plus && digits->len == 0)
      plus = TRUE;
    else if (!(g_ascii_isspace (*p) || *p == '.' || *p == '-' || *p == '(' || *p == ')')) {
      g_propagate_error (error, not_a_number (input));
      return NULL;
    }
  }
  d = digits->str;

  if (sender_e164 != NULL && rc_phone_is_e164 (sender_e164))
    country = rc_phone_calling_code (sender_e164);
  else
    country = g_strdup ("1");

  /* Before the national forms: a short code is no phone number in any country. */
  if (!plus && typed_short_code (d, country)) {
    g_propagate_error (error, short_code (input));
    return NULL;
  }

  if (plus)
    result = g_strconcat ("+", d, NULL);
  else if (g_str_has_prefix (d, "00"))
    result = g_strconcat ("+", d + 2, NULL);
  else if (g_strcmp0 (country, "1") == 0) {
    /* 011 is the North American international prefix. */
    if (g_str_has_prefix (d, "011"))
      result = g_strconcat ("+", d + 3, NULL);
    else if (digits->len == 10 && d[0] >= '2')
      result = g_strconcat ("+1", d, NULL);
    else if (digits->len == 11 && d[0] == '1' && d[1] >= '2')
      result = g_strconcat ("+", d, NULL);
  } else if (g_strcmp0 (country, "44") == 0) {
    if (d[0] == '0' && d[1] != '0')
      result = g_strconcat ("+44", d + 1, NULL);
  } else if (country != NULL && d[0] != '\0') {
    g_set_error (error, RC_ERROR, RC_ERROR_INVALID_INPUT,
                 _ ("Type \"%s\" with + and the country code (+%s for yours)."), input, country);
    return NULL;
  }

  if (result == NULL || !rc_phone_is_e164 (result)) {
    g_propagate_error (error, not_a_number (input));
    return NULL;
  }
  return g_steal_pointer (&result);
}

/* Appends @digits (length @n) to @out in groups of three, the last group taking 2..4 digits. */
static void
append_grouped (GString *out, const char *digits, gsize n)
{
  while (n > 4) {
    g_string_append_c (out, ' ');
    g_string_append_len (out, digits, 3);
    digits += 3;
    n -= 3;
  }
  if (n > 0) {
    g_string_append_c (out, ' ');
    g_string_append_len (out, digits, n);
  }
}

/* UK national numbers (after +44): London-style 2x → 2 4 4, 11x/1x1 cities and 3/8/9 → 3 3 4,
 * everything else (mobiles 7xxx, other 1xxx areas) → 4 6. */
static void
append_uk (GString *out, const char *n)
{
  gsize len = strlen (n);
  int a, b;

  if (len != 10) {
    append_grouped (out, n, len);
    return;
  }
  if (n[0] == '2') {
    a = 2;
    b = 4;
  } else if ((n[0] == '1' && (n[1] == '1' || n[2] == '1')) || n[0] == '3' || n[0] == '8'
             || n[0] == '9') {
    a = 3;
    b = 3;
  } else {
    a = 4;
    b = 6;
  }
  g_string_append_printf (out, " %.*s %.*s", a, n, b, n + a);
  if (a + b < 10)
    g_string_append_printf (out, " %s", n + a + b);
}

char *
rc_phone_format (const char *e164)
{
  g_autofree char *cc = NULL;
  GString *out;
  const char *rest;

  if (!rc_phone_is_e164 (e164))
    return g_strdup (e164);
  cc = rc_phone_calling_code (e164);
  if (cc == NULL)
    return g_strdup (e164);

  rest = e164 + 1 + strlen (cc);
  out = g_string_new ("+");
  g_string_append (out, cc);
  if (strcmp (cc, "1") == 0 && strlen (rest) == 10)
    g_string_append_printf (out, " %.3s-%.3s-%s", rest, rest + 3, rest + 6);
  else if (strcmp (cc, "44") == 0)
    append_uk (out, rest);
  else
    append_grouped (out, rest, strlen (rest));
  return g_string_free (out, FALSE);
}

gboolean
rc_phone_is_international (const char *sender_e164, const char *recipient_e164)
{
  g_autofree char *from_cc = rc_phone_calling_code (sender_e164);
  g_autofree char *to_cc = rc_phone_calling_code (recipient_e164);
  guint area;

  /* Unknown codes: assume abroad, so the gate asks for the capability rather than guess. */
  if (from_cc == NULL || to_cc == NULL || strcmp (from_cc, to_cc) != 0)
    return TRUE;
  if (strcmp (to_cc, "1") != 0)
    return FALSE;
  if (strlen (recipient_e164) != 12)
    return TRUE;
  area = (guint)(g_ascii_strtoull (recipient_e164 + 2, NULL, 10) / 10000000u);
  return !rc_nanp_area_is_domestic (area);
}
