/* fuzz-attachments.c: attachment metadata in a record (attachments[], SPEC
 * MessageAttachmentInfo; fact sheet §3 "MMS", §4 "Attachments"): each entry of a parsed record
 * through rc_attachment_copy(), rc_mms_canonical_type() of its contentType, and the token rule
 * (rc_client_token_allowed(), media host allowed) for its uri, checked against libsoup's own
 * reading of the URL: the bearer token may only go to https://platform.ringcentral.com or
 * https://media.ringcentral.com (port 443). */
#include <libsoup/soup.h>

#include "fuzz-util.h"
#include "rc-client-private.h"
#include "rc-message.h"
#include "rc-mms.h"

static RcClient *client;

static gboolean
is_allowed_origin (const char *url)
{
  g_autoptr (GUri) uri = g_uri_parse (url, SOUP_HTTP_URI_FLAGS, NULL);
  const char *host;

  if (uri == NULL || g_strcmp0 (g_uri_get_scheme (uri), "https") != 0)
    return FALSE;
  if (g_uri_get_port (uri) != -1 && g_uri_get_port (uri) != 443)
    return FALSE;
  host = g_uri_get_host (uri);
  return host != NULL
         && (g_ascii_strcasecmp (host, "platform.ringcentral.com") == 0
             || g_ascii_strcasecmp (host, "media.ringcentral.com") == 0);
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  g_autoptr (JsonNode) root = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (RcMessage) message = NULL;

  fuzz_init ();
  if (client == NULL) {
    client = rc_client_new ("https://platform.ringcentral.com", "fuzz-client", NULL, &error);
    FUZZ_CHECK (client != NULL);
  }
  root = fuzz_parse_json (data, size);
  if (root == NULL)
    return 0;
  message = rc_message_parse (root, &error);
  FUZZ_CHECK_FAILURE (message != NULL, error);
  if (message == NULL)
    return 0;
  for (guint i = 0; i < message->attachments->len; i++) {
    const RcAttachment *a = g_ptr_array_index (message->attachments, i);
    g_autoptr (RcAttachment) copy = rc_attachment_copy (a);
    const char *canonical = rc_mms_canonical_type (a->content_type);

    FUZZ_CHECK (g_strcmp0 (copy->uri, a->uri) == 0 && copy->size == a->size);
    if (canonical != NULL)
      FUZZ_CHECK (g_strv_contains (rc_mms_allowed_types, canonical));
    if (a->uri != NULL && rc_client_token_allowed (client, a->uri, TRUE))
      FUZZ_CHECK (is_allowed_origin (a->uri));
    if (a->uri != NULL && rc_client_token_allowed (client, a->uri, FALSE))
      FUZZ_CHECK (is_allowed_origin (a->uri));
  }
  return 0;
}
