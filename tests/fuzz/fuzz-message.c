/* fuzz-message.c: one message record (SPEC GetMessageInfoResponse; REST and notification forms,
 * fact sheet §4 "Message record"), rc_message_parse(), then rc_message_copy() of what it gives. */
#include "fuzz-util.h"
#include "rc-error.h"
#include "rc-message.h"

static void
check_message (const RcMessage *m)
{
  /* rc-message.h: id and type always there, text never NULL, to[] and to_names[] in step,
   * attachments never NULL and counted. */
  FUZZ_CHECK (m->id != NULL && m->id[0] != '\0');
  FUZZ_CHECK (m->type != NULL);
  FUZZ_CHECK (m->text != NULL);
  FUZZ_CHECK (m->direction == RC_DIRECTION_INBOUND || m->direction == RC_DIRECTION_OUTBOUND);
  FUZZ_CHECK (m->to != NULL && m->to_names != NULL && m->to->len == m->to_names->len);
  for (guint i = 0; i < m->to->len; i++)
    FUZZ_CHECK (g_ptr_array_index (m->to, i) != NULL);
  FUZZ_CHECK (m->attachments != NULL && m->attachment_count <= m->attachments->len);
  for (guint i = 0; i < m->attachments->len; i++) {
    const RcAttachment *a = g_ptr_array_index (m->attachments, i);

    FUZZ_CHECK (a != NULL && a->size >= 0);
  }
  /* What the plugin shows must be text. Finding 2 (RESULTS.md, fixed): json-glib turns a lone
   * surrogate escape ("\ud800") into invalid UTF-8; rc_json_parse() repairs it. */
  FUZZ_CHECK (g_utf8_validate (m->text, -1, NULL));
  FUZZ_CHECK (m->from == NULL || g_utf8_validate (m->from, -1, NULL));
  FUZZ_CHECK (m->from_name == NULL || g_utf8_validate (m->from_name, -1, NULL));
  for (guint i = 0; i < m->to_names->len; i++)
    FUZZ_CHECK (m->to_names->pdata[i] == NULL || g_utf8_validate (m->to_names->pdata[i], -1, NULL));
  (void)rc_message_utf16_length (m->text);
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  g_autoptr (JsonNode) root = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (RcMessage) message = NULL;

  fuzz_init ();
  root = fuzz_parse_json (data, size);
  if (root == NULL)
    return 0;
  message = rc_message_parse (root, &error);
  FUZZ_CHECK_FAILURE (message != NULL, error);
  if (message == NULL) {
    FUZZ_CHECK (g_error_matches (error, RC_ERROR, RC_ERROR_BAD_RESPONSE));
    return 0;
  }
  check_message (message);
  {
    g_autoptr (RcMessage) copy = rc_message_copy (message);

    check_message (copy);
    FUZZ_CHECK (g_strcmp0 (copy->id, message->id) == 0);
    FUZZ_CHECK (copy->attachments->len == message->attachments->len);
    FUZZ_CHECK (copy->to->len == message->to->len);
  }
  return 0;
}
