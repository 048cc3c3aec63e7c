/* rc-json.c: tolerant readers for RingCentral JSON. */
#include "rc-json.h"

JsonNode *
rc_json_member (JsonObject *object, const char *name)
{
  JsonNode *node;

  if (object == NULL)
    return NULL;
  node = json_object_get_member (object, name);
  return node != NULL && !JSON_NODE_HOLDS_NULL (node) ? node : NULL;
}

gboolean
rc_json_holds_string (JsonNode *node)
{
  return node != NULL && JSON_NODE_HOLDS_VALUE (node)
         && json_node_get_value_type (node) == G_TYPE_STRING;
}

const char *
rc_json_string (JsonObject *object, const char *name)
{
  JsonNode *node = rc_json_member (object, name);

  return rc_json_holds_string (node) ? json_node_get_string (node) : NULL;
}

JsonObject *
rc_json_object (JsonObject *object, const char *name)
{
  JsonNode *node = rc_json_member (object, name);

  return node != NULL && JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
}

gint64
rc_json_int (JsonObject *object, const char *name, gint64 fallback)
{
  JsonNode *node = rc_json_member (object, name);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return fallback;
  if (json_node_get_value_type (node) == G_TYPE_INT64)
    return json_node_get_int (node);
  if (json_node_get_value_type (node) == G_TYPE_DOUBLE)
    return (gint64)json_node_get_double (node);
  return fallback;
}

char *
rc_json_id (JsonNode *node)
{
  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return NULL;
  switch (json_node_get_value_type (node)) {
    case G_TYPE_INT64:
      return g_strdup_printf ("%" G_GINT64_FORMAT, json_node_get_int (node));
    case G_TYPE_DOUBLE:
      return g_strdup_printf ("%.0f", json_node_get_double (node));
    case G_TYPE_STRING:
      return json_node_get_string (node)[0] != '\0' ? g_strdup (json_node_get_string (node)) : NULL;
    default:
      return NULL;
  }
}
