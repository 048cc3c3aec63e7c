/* fuzz-util.c: see fuzz-util.h. */
#include "fuzz-util.h"

#include <stdlib.h>

#include "rc-error.h"
#include "rc-json.h"

static GLogWriterOutput
fuzz_log_writer (GLogLevelFlags level, const GLogField *fields, gsize n_fields, gpointer user_data)
{
  if ((level & (G_LOG_LEVEL_ERROR | G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_WARNING)) == 0)
    return G_LOG_WRITER_HANDLED;
  g_log_writer_standard_streams (level, fields, n_fields, user_data);
  abort ();
}

void
fuzz_init (void)
{
  static gsize done = 0;

  if (g_once_init_enter (&done)) {
    g_log_set_writer_func (fuzz_log_writer, NULL, NULL);
    g_once_init_leave (&done, 1);
  }
}

JsonNode *
fuzz_parse_json (const uint8_t *data, size_t size)
{
  g_autoptr (GError) error = NULL;
  gboolean blank = TRUE;
  JsonNode *root;

  for (size_t i = 0; i < size && blank; i++)
    blank = g_ascii_isspace (data[i]);
  if (blank)
    return json_node_new (JSON_NODE_NULL);
  root = rc_json_parse ((const char *)data, size, NULL, &error);
  /* rc-json.h: every failure is RC_ERROR_BAD_RESPONSE. */
  FUZZ_CHECK (root != NULL || g_error_matches (error, RC_ERROR, RC_ERROR_BAD_RESPONSE));
  return root;
}

gboolean
fuzz_strict (void)
{
  static int strict = -1;

  if (strict < 0)
    strict = g_strcmp0 (g_getenv ("RC_FUZZ_STRICT"), "1") == 0;
  return strict;
}

gboolean
fuzz_text_is_clean (const char *s)
{
  if (s == NULL)
    return TRUE;
  if (!g_utf8_validate (s, -1, NULL))
    return FALSE;
  for (const char *p = s; *p != '\0'; p++)
    if ((guchar)*p < 0x20 && *p != '\t' && *p != '\n' && *p != '\r')
      return FALSE;
  return TRUE;
}
