/* choices.c: where send-from choices are kept: buddy/chat nodes, from_map, reply_map. */
#include "rcp-choices.h"

#include <string.h>

#include "rc-phone-list.h"
#include "rc-phone.h"
#include "rc-senders.h"
#include "rcp-conv.h"

char *
rcp_choices_key (const char *who, PurpleConversationType type)
{
  char *e164;

  if (who == NULL)
    return NULL;
  if (type == PURPLE_CONV_TYPE_IM && (e164 = rc_phone_normalize (who, NULL, NULL)) != NULL)
    return e164;
  /* A chat named as typed (Finch's placeholder) counts as its canonical list. */
  if (type == PURPLE_CONV_TYPE_CHAT && (e164 = rc_phone_list_canonical (who)) != NULL)
    return e164;
  return g_strdup (who);
}

char *
rcp_choices_normalize_setting (const char *value)
{
  char *e164;

  if (value == NULL || *value == '\0')
    return NULL;
  e164 = rc_phone_normalize (value, NULL, NULL);
  return e164 != NULL ? e164 : g_strdup (value);
}

static PurpleBlistNode *
find_node (PurpleAccount *account, const char *key, PurpleConversationType type)
{
  if (type == PURPLE_CONV_TYPE_IM) {
    PurpleBuddy *buddy = purple_find_buddy (account, key);
    return buddy != NULL ? PURPLE_BLIST_NODE (buddy) : NULL;
  }
  /* Our own scan: a saved chat's components may hold the list as typed, not canonical. */
  for (PurpleBlistNode *node = purple_blist_get_root (); node != NULL;
       node = purple_blist_node_next (node, TRUE)) {
    PurpleChat *chat;
    g_autofree char *name = NULL;

    if (!PURPLE_BLIST_NODE_IS_CHAT (node))
      continue;
    chat = PURPLE_CHAT (node);
    if (purple_chat_get_account (chat) != account)
      continue;
    name = rcp_conv_chat_name (purple_chat_get_components (chat));
    if (g_strcmp0 (name, key) == 0)
      return node;
  }
  return NULL;
}

/* A map kept as one account string "key=value;key=value". */
static GHashTable *
map_load (PurpleAccount *account, const char *setting)
{
  GHashTable *map = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  const char *text = purple_account_get_string (account, setting, NULL);
  g_auto (GStrv) pairs = g_strsplit (text != NULL ? text : "", ";", -1);

  for (guint i = 0; pairs[i] != NULL; i++) {
    char *eq = strchr (pairs[i], '=');
    if (eq == NULL || eq == pairs[i] || eq[1] == '\0')
      continue; /* a damaged entry is dropped, not fatal */
    *eq = '\0';
    g_hash_table_replace (map, g_strdup (pairs[i]), g_strdup (eq + 1));
  }
  return map;
}

static void
map_save (PurpleAccount *account, const char *setting, GHashTable *map)
{
  g_autoptr (GList) keys = g_list_sort (g_hash_table_get_keys (map), (GCompareFunc)strcmp);
  g_autoptr (GString) out = g_string_new (NULL);

  for (GList *l = keys; l != NULL; l = l->next)
    g_string_append_printf (out, "%s%s=%s", out->len > 0 ? ";" : "", (char *)l->data,
                            (char *)g_hash_table_lookup (map, l->data));
  purple_account_set_string (account, setting, out->str);
}

char *
rcp_choices_get (PurpleAccount *account, const char *key, PurpleConversationType type)
{
  PurpleBlistNode *node = find_node (account, key, type);
  const char *value = node != NULL ? purple_blist_node_get_string (node, RCP_CHOICES_NODE_KEY) : NULL;
  g_autoptr (GHashTable) map = NULL;

  if (value != NULL && *value != '\0')
    return g_strdup (value);
  map = map_load (account, RCP_CHOICES_FROM_MAP);
  return g_strdup (g_hash_table_lookup (map, key));
}

void
rcp_choices_set (PurpleAccount *account, const char *key, PurpleConversationType type,
                const char *e164)
{
  PurpleBlistNode *node = find_node (account, key, type);
  g_autoptr (GHashTable) map = map_load (account, RCP_CHOICES_FROM_MAP);
  gboolean map_changed = g_hash_table_remove (map, key);

  if (node != NULL) {
    if (e164 != NULL)
      purple_blist_node_set_string (node, RCP_CHOICES_NODE_KEY, e164);
    else
      purple_blist_node_remove_setting (node, RCP_CHOICES_NODE_KEY);
    /* A saved group chat joins with its "from" component: keep it in step with the choice. */
    if (PURPLE_BLIST_NODE_IS_CHAT (node)) {
      GHashTable *components = purple_chat_get_components (PURPLE_CHAT (node));
      if (e164 != NULL)
        g_hash_table_replace (components, g_strdup (RCP_CHAT_FROM), g_strdup (e164));
      else
        g_hash_table_remove (components, RCP_CHAT_FROM);
      purple_blist_schedule_save ();
    }
  } else if (e164 != NULL) {
    g_hash_table_replace (map, g_strdup (key), g_strdup (e164));
    map_changed = TRUE;
  }
  if (map_changed)
    map_save (account, RCP_CHOICES_FROM_MAP, map);
}

char *
rcp_choices_reply_get (PurpleAccount *account, const char *key)
{
  g_autoptr (GHashTable) map = map_load (account, RCP_CHOICES_REPLY_MAP);

  return key != NULL ? g_strdup (g_hash_table_lookup (map, key)) : NULL;
}

/* TRUE when the "key=value;key=value" text of @setting already holds @key=@value: the common
 * case for every received text, answered without parsing the whole map (a catch-up of 10,000
 * texts reloaded it 10,000 times: 10 % of the catch-up, tests/bench/RESULTS.md). */
static gboolean
map_holds (PurpleAccount *account, const char *setting, const char *key, const char *value)
{
  const char *text = purple_account_get_string (account, setting, NULL);
  g_autofree char *entry = g_strconcat (key, "=", value, NULL);
  gsize n = strlen (entry);

  for (const char *p = text; p != NULL && (p = strstr (p, entry)) != NULL; p++) {
    if ((p == text || p[-1] == ';') && (p[n] == '\0' || p[n] == ';'))
      return TRUE;
  }
  return FALSE;
}

gboolean
rcp_choices_reply_set (PurpleAccount *account, const char *key, const char *e164)
{
  g_autoptr (GHashTable) map = NULL;

  if (key == NULL || e164 == NULL || map_holds (account, RCP_CHOICES_REPLY_MAP, key, e164))
    return FALSE;
  map = map_load (account, RCP_CHOICES_REPLY_MAP);
  if (g_strcmp0 (g_hash_table_lookup (map, key), e164) == 0)
    return FALSE;
  /* Bounded: a forgotten entry only means a reply goes out from the default number. */
  while (g_hash_table_size (map) >= RCP_CHOICES_REPLY_MAX) {
    GHashTableIter iter;

    g_hash_table_iter_init (&iter, map);
    if (!g_hash_table_iter_next (&iter, NULL, NULL))
      break;
    g_hash_table_iter_remove (&iter);
  }
  g_hash_table_replace (map, g_strdup (key), g_strdup (e164));
  map_save (account, RCP_CHOICES_REPLY_MAP, map);
  return TRUE;
}

/* Adds @value to @gone when it is set and not one of @senders. */
static gboolean
is_gone (GPtrArray *senders, const char *value, GPtrArray *gone)
{
  g_autofree char *e164 = rcp_choices_normalize_setting (value);

  if (e164 == NULL || rc_senders_index_of (senders, e164) >= 0)
    return FALSE;
  if (!g_ptr_array_find_with_equal_func (gone, e164, g_str_equal, NULL))
    g_ptr_array_add (gone, g_steal_pointer (&e164));
  return TRUE;
}

void
rcp_choices_drop_missing (PurpleAccount *account, GPtrArray *senders, GPtrArray *gone)
{
  g_autoptr (GHashTable) map = NULL;
  GHashTableIter iter;
  gpointer key, value;
  gboolean map_changed = FALSE;

  if (is_gone (senders, purple_account_get_string (account, "default_from", NULL), gone))
    purple_account_set_string (account, "default_from", NULL);

  map = map_load (account, RCP_CHOICES_FROM_MAP);
  g_hash_table_iter_init (&iter, map);
  while (g_hash_table_iter_next (&iter, &key, &value)) {
    if (is_gone (senders, value, gone)) {
      g_hash_table_iter_remove (&iter);
      map_changed = TRUE;
    }
  }
  if (map_changed)
    map_save (account, RCP_CHOICES_FROM_MAP, map);

  for (PurpleBlistNode *node = purple_blist_get_root (); node != NULL;
       node = purple_blist_node_next (node, TRUE)) {
    PurpleAccount *owner = NULL;

    if (PURPLE_BLIST_NODE_IS_BUDDY (node))
      owner = purple_buddy_get_account (PURPLE_BUDDY (node));
    else if (PURPLE_BLIST_NODE_IS_CHAT (node))
      owner = purple_chat_get_account (PURPLE_CHAT (node));
    if (owner != account)
      continue;
    if (is_gone (senders, purple_blist_node_get_string (node, RCP_CHOICES_NODE_KEY), gone))
      purple_blist_node_remove_setting (node, RCP_CHOICES_NODE_KEY);
  }
}
