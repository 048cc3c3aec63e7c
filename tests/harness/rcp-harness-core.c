/* rcp-harness-core.c: libpurple core init/quit on a GLib event loop, and the wait helpers. */
#include "rcp-harness-private.h"

#include <glib/gstdio.h>

#ifndef RCP_PLUGIN_DIR
#define RCP_PLUGIN_DIR ""
#endif

static gboolean core_initialised;
static gboolean core_quit;
static char *core_user_dir;

/* ---- event loop ops: the GLib default context, as Pidgin and Finch use it ---- */

typedef struct {
  PurpleInputFunction function;
  gpointer data;
} InputClosure;

static gboolean
input_dispatch (GIOChannel *source, GIOCondition condition, gpointer data)
{
  InputClosure *closure = data;
  PurpleInputCondition purple_cond = 0;

  if (condition & (G_IO_IN | G_IO_HUP | G_IO_ERR | G_IO_PRI))
    purple_cond |= PURPLE_INPUT_READ;
  if (condition & (G_IO_OUT | G_IO_HUP | G_IO_ERR))
    purple_cond |= PURPLE_INPUT_WRITE;
  closure->function (closure->data, g_io_channel_unix_get_fd (source), purple_cond);
  return TRUE;
}

static guint
input_add (gint fd, PurpleInputCondition condition, PurpleInputFunction function, gpointer data)
{
  InputClosure *closure = g_new0 (InputClosure, 1);
  GIOCondition cond = 0;
  GIOChannel *channel;
  guint id;

  closure->function = function;
  closure->data = data;
  if (condition & PURPLE_INPUT_READ)
    cond |= G_IO_IN | G_IO_HUP | G_IO_ERR | G_IO_PRI;
  if (condition & PURPLE_INPUT_WRITE)
    cond |= G_IO_OUT | G_IO_HUP | G_IO_ERR;
  channel = g_io_channel_unix_new (fd);
  id = g_io_add_watch_full (channel, G_PRIORITY_DEFAULT, cond, input_dispatch, closure, g_free);
  g_io_channel_unref (channel);
  return id;
}

static PurpleBlistUiOps blist_ops;

static PurpleEventLoopUiOps loop_ops = {
  .timeout_add = g_timeout_add,
  .timeout_remove = g_source_remove,
  .input_add = input_add,
  .input_remove = g_source_remove,
  .timeout_add_seconds = g_timeout_add_seconds,
};

static GHashTable *
ui_info (void)
{
  static GHashTable *info;

  if (info == NULL) {
    info = g_hash_table_new (g_str_hash, g_str_equal);
    g_hash_table_insert (info, "name", "rcp-harness");
    g_hash_table_insert (info, "version", "0");
    g_hash_table_insert (info, "client_type", "bot");
  }
  return info;
}

static PurpleCoreUiOps core_ops = {
  .get_ui_info = ui_info,
};

void
rcp_harness_core_init (const char *user_dir)
{
  const char *plugin_dir;

  if (core_initialised) {
    g_assert_false (core_quit);
    g_assert_true (user_dir == NULL || g_strcmp0 (user_dir, core_user_dir) == 0);
    return;
  }

  if (user_dir != NULL) {
    g_assert_cmpint (g_mkdir_with_parents (user_dir, 0700), ==, 0);
    core_user_dir = g_strdup (user_dir);
  } else {
    g_autoptr (GError) error = NULL;
    core_user_dir = g_dir_make_tmp ("rcp-harness-XXXXXX", &error);
    g_assert_no_error (error);
  }

  plugin_dir = g_getenv ("RCP_PLUGIN_DIR");
  if (plugin_dir == NULL || *plugin_dir == '\0')
    plugin_dir = RCP_PLUGIN_DIR;
  g_assert_true (*plugin_dir != '\0');

  purple_util_set_user_dir (core_user_dir);
  purple_debug_set_enabled (g_getenv ("RCP_PURPLE_DEBUG") != NULL);
  purple_core_set_ui_ops (&core_ops);
  purple_eventloop_set_ui_ops (&loop_ops);
  purple_plugins_add_search_path (plugin_dir);

  if (!purple_core_init (RCP_HARNESS_UI_ID))
    g_error ("purple_core_init failed (user dir %s)", core_user_dir);

  /* Blist UI ops, even empty ones, make libpurple fill in its own blist.xml savers: without them
   * buddy-list settings (a buddy's remembered send-from number) are never written, as in a real
   * UI they are. */
  purple_blist_set_ui_ops (&blist_ops);
  purple_set_blist (purple_blist_new ());
  purple_blist_load ();
  purple_prefs_load ();
  /* Signals exist only once their subsystem is up; nothing used the UI ops before this point. */
  rcp_harness_ui_install ();
  core_initialised = TRUE;

  if (purple_find_prpl (RCP_HARNESS_PRPL_ID) == NULL)
    g_error ("libpurple did not load %s from %s", RCP_HARNESS_PRPL_ID, plugin_dir);
}

gboolean
rcp_harness_core_is_initialised (void)
{
  return core_initialised && !core_quit;
}

const char *
rcp_harness_core_user_dir (void)
{
  return core_user_dir;
}

void
rcp_harness_core_quit (void)
{
  g_return_if_fail (core_initialised && !core_quit);
  purple_core_quit ();
  core_quit = TRUE;
  /* Let sources libpurple removed or scheduled on the way out settle. */
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

/* ---- waiting ---- */

static RcpHarnessPredicate tick_func;
static gpointer tick_data;

void
rcp_harness_set_tick (RcpHarnessPredicate tick, gpointer data)
{
  tick_func = tick;
  tick_data = data;
}

static gboolean
wake_up (gpointer data)
{
  gboolean *expired = data;

  *expired = TRUE;
  return G_SOURCE_REMOVE;
}

gboolean
rcp_harness_wait_until (RcpHarnessPredicate pred, gpointer data, guint timeout_ms)
{
  gboolean expired = FALSE;
  guint timer = g_timeout_add (timeout_ms, wake_up, &expired);
  gboolean result;

  for (;;) {
    if (tick_func != NULL)
      tick_func (tick_data);
    if ((result = pred (data)) || expired)
      break;
    g_main_context_iteration (NULL, TRUE);
  }
  if (!expired)
    g_source_remove (timer);
  return result;
}

static gboolean
never (gpointer data)
{
  return FALSE;
}

void
rcp_harness_run_for (guint ms)
{
  rcp_harness_wait_until (never, NULL, ms);
}
