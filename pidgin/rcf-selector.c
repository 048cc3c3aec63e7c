/* rcf-selector.c: the "From:" selector of one conversation window: a button above the message
 * entry naming the number the next text goes out from, and a menu of the account's numbers (as
 * /from lists them) to choose another. Everything it shows comes from RCP_IPC_LIST_SENDERS and
 * every choice goes through RCP_IPC_CHOOSE_SENDER (plugin/rcp-ipc.h). */
#include <glib/gi18n-lib.h>
#include <gtk/gtk.h>

#include <gtkconv.h>
#include <gtkutils.h>

#include "rcf-selector.h"
#include "rcp-ipc.h"

/* Conversation data: the RcfSelector of the conversation's window, or NULL. */
#define SELECTOR_KEY "rcf-selector"
/* Menu item data: the E.164 it chooses ("" for the account default). */
#define ITEM_E164_KEY "rcf-e164"

typedef struct {
  PurpleConversation *conv; /* NULL once the conversation is being deleted */
  PurplePlugin *prpl;       /* the protocol plugin: where the IPC commands live */
  GtkWidget *row;           /* our row in the window; its "destroy" frees this */
  GtkWidget *button;
  GtkWidget *label;
  GtkWidget *menu; /* while open */
  char *shown;     /* the text last shown (lines are logged only when it changes) */
} RcfSelector;

static RcfSelector *
selector_of (PurpleConversation *conv)
{
  return conv != NULL ? purple_conversation_get_data (conv, SELECTOR_KEY) : NULL;
}

/* The list (RCP_IPC_SENDERS_TYPE; unref it) or NULL when the plugin has none for this window. */
static GVariant *
list_senders (RcfSelector *sel)
{
  gboolean ok = FALSE;
  GVariant *list;

  if (sel->conv == NULL)
    return NULL;
  list = purple_plugin_ipc_call (sel->prpl, RCP_IPC_LIST_SENDERS, &ok, sel->conv);
  if (!ok || list == NULL)
    return NULL;
  if (!g_variant_is_of_type (list, G_VARIANT_TYPE (RCP_IPC_SENDERS_TYPE))) {
    purple_debug_error (RCF_DEBUG, "the RingCentral plugin answered with a %s list\n",
                        g_variant_get_type_string (list));
    g_variant_unref (list);
    return NULL;
  }
  return list;
}

/* @text with '_' doubled, for a label that has a mnemonic. */
static char *
escape_mnemonic (const char *text)
{
  g_auto (GStrv) parts = g_strsplit (text, "_", -1);

  return g_strjoinv ("__", parts);
}

static void
show (RcfSelector *sel, const char *what, const char *tooltip, gboolean sensitive)
{
  g_autofree char *escaped = escape_mnemonic (what);
  /* TRANSLATORS: the selector's button; %s is the number, e.g. "+1 650-555-0100 (Direct)". The
   * underscore marks the key that opens it with Alt. */
  g_autofree char *text = g_strdup_printf (_ ("F_rom: %s ▾"), escaped);
  const char *plain;

  gtk_label_set_text_with_mnemonic (GTK_LABEL (sel->label), text);
  gtk_widget_set_tooltip_text (sel->button, tooltip);
  gtk_widget_set_sensitive (sel->button, sensitive);
  plain = gtk_label_get_text (GTK_LABEL (sel->label));
  if (g_strcmp0 (plain, sel->shown) != 0) {
    g_free (sel->shown);
    sel->shown = g_strdup (plain);
    purple_debug_info (RCF_DEBUG, "selector %s shows %s\n",
                       sel->conv != NULL ? purple_conversation_get_name (sel->conv) : "?", plain);
  }
}

void
rcf_selector_refresh (PurpleConversation *conv)
{
  RcfSelector *sel = selector_of (conv);
  g_autoptr (GVariant) list = NULL;
  GVariantIter iter;
  const char *e164, *name, *details, *refusal;
  gboolean in_use;

  if (sel == NULL)
    return;
  list = list_senders (sel);
  if (list == NULL) {
    gboolean online = purple_account_is_connected (purple_conversation_get_account (conv));
    show (sel, online ? _ ("(loading your numbers…)") : _ ("(offline)"), NULL, FALSE);
    return;
  }
  if (g_variant_n_children (list) == 0) {
    show (sel, _ ("(no number can text)"), _ ("This account has no number that can send texts."),
          FALSE);
    return;
  }
  g_variant_iter_init (&iter, list);
  while (g_variant_iter_next (&iter, "(&s&s&sb&s)", &e164, &name, &details, &in_use, &refusal)) {
    g_autofree char *marked = NULL;
    g_autofree char *tooltip = NULL;

    if (!in_use)
      continue;
    if (*refusal != '\0') {
      /* The number in use cannot carry this conversation (a group without MMS...): say so here,
       * before a text is refused. */
      marked = g_strdup_printf ("⚠ %s", name);
      show (sel, marked, refusal, TRUE);
      return;
    }
    tooltip = g_strdup_printf (_ ("Texts here go out from %s.\nClick (or Alt+R) to choose "
                                  "another of your numbers."),
                               details);
    show (sel, name, tooltip, TRUE);
    return;
  }
  show (sel, _ ("(choose a number)"), NULL, TRUE);
}

static void
write_refusal (PurpleConversation *conv, const char *refusal)
{
  g_autofree char *html = g_markup_escape_text (refusal, -1);

  purple_conversation_write (conv, NULL, html, PURPLE_MESSAGE_ERROR | PURPLE_MESSAGE_NO_LOG,
                             time (NULL));
}

static void
item_activate_cb (GtkMenuItem *item, gpointer data)
{
  RcfSelector *sel = data;
  const char *e164 = g_object_get_data (G_OBJECT (item), ITEM_E164_KEY);
  g_autofree char *refusal = NULL;
  gboolean ok = FALSE;
  gboolean chosen;

  if (sel->conv == NULL || e164 == NULL)
    return;
  chosen = GPOINTER_TO_INT (
      purple_plugin_ipc_call (sel->prpl, RCP_IPC_CHOOSE_SENDER, &ok, sel->conv, e164, &refusal));
  if (ok && chosen) {
    purple_debug_info (RCF_DEBUG, "selector %s chose %s\n",
                       purple_conversation_get_name (sel->conv), *e164 ? e164 : "default");
  } else {
    if (!ok || refusal == NULL) {
      g_free (refusal);
      refusal = g_strdup (_ ("The RingCentral plugin did not take the choice."));
    }
    purple_debug_info (RCF_DEBUG, "selector %s refused %s\n",
                       purple_conversation_get_name (sel->conv), refusal);
    write_refusal (sel->conv, refusal);
  }
  /* The plugin's signal refreshed it already when the choice was made; a refusal changed nothing
   * but the menu showed the refused number as checked. */
  rcf_selector_refresh (sel->conv);
}

static void
menu_done_cb (GtkMenuShell *menu, gpointer data)
{
  RcfSelector *sel = data;
  PidginConversation *gtkconv;

  sel->menu = NULL;
  gtk_widget_destroy (GTK_WIDGET (menu));
  /* Back to typing. */
  if (sel->conv != NULL && (gtkconv = PIDGIN_CONVERSATION (sel->conv)) != NULL)
    gtk_widget_grab_focus (gtkconv->entry);
}

/* Opens the menu just below the button, kept on screen. */
static void
position_cb (GtkMenu *menu, gint *x, gint *y, gboolean *push_in, gpointer data)
{
  RcfSelector *sel = data;
  GtkAllocation a;

  gdk_window_get_origin (gtk_widget_get_window (sel->button), x, y);
  gtk_widget_get_allocation (sel->button, &a);
  *x += a.x;
  *y += a.y + a.height;
  *push_in = TRUE;
  pidgin_menu_position_func_helper (menu, x, y, push_in, NULL);
}

/* Appends @item, which chooses @e164 when activated, to the open menu. */
static void
menu_item (RcfSelector *sel, GtkWidget *item, const char *e164)
{
  g_object_set_data_full (G_OBJECT (item), ITEM_E164_KEY, g_strdup (e164), g_free);
  g_signal_connect (item, "activate", G_CALLBACK (item_activate_cb), sel);
  gtk_menu_shell_append (GTK_MENU_SHELL (sel->menu), item);
}

static void
button_clicked_cb (GtkButton *button, gpointer data)
{
  RcfSelector *sel = data;
  g_autoptr (GVariant) list = list_senders (sel);
  GVariantIter iter;
  const char *e164, *name, *details, *refusal;
  gboolean in_use;

  if (list == NULL || sel->menu != NULL)
    return;
  sel->menu = gtk_menu_new ();
  g_variant_iter_init (&iter, list);
  while (g_variant_iter_next (&iter, "(&s&s&sb&s)", &e164, &name, &details, &in_use, &refusal)) {
    g_autofree char *label = NULL;
    GtkWidget *item;

    /* Numbers that cannot carry this conversation are shown, marked; choosing one says why. */
    label = *refusal != '\0' ? g_strdup_printf (_ ("%s  ⚠ cannot send here"), details)
                             : g_strdup (details);
    item = gtk_check_menu_item_new_with_label (label);
    gtk_check_menu_item_set_draw_as_radio (GTK_CHECK_MENU_ITEM (item), TRUE);
    /* Before menu_item() connects "activate": GTK 2 emits it when the check state changes. */
    gtk_check_menu_item_set_active (GTK_CHECK_MENU_ITEM (item), in_use);
    if (*refusal != '\0')
      gtk_widget_set_tooltip_text (item, refusal);
    menu_item (sel, item, e164);
  }
  gtk_menu_shell_append (GTK_MENU_SHELL (sel->menu), gtk_separator_menu_item_new ());
  menu_item (sel, gtk_menu_item_new_with_label (_ ("Use the account's default number")), "");
  g_signal_connect (sel->menu, "selection-done", G_CALLBACK (menu_done_cb), sel);
  gtk_widget_show_all (sel->menu);
  gtk_menu_popup (GTK_MENU (sel->menu), NULL, NULL, position_cb, sel, 0,
                  gtk_get_current_event_time ());
  purple_debug_info (RCF_DEBUG, "selector %s menu open with %" G_GSIZE_FORMAT " numbers\n",
                     purple_conversation_get_name (sel->conv), g_variant_n_children (list));
}

static void
row_destroy_cb (GtkWidget *row, gpointer data)
{
  RcfSelector *sel = data;

  if (sel->menu != NULL)
    gtk_widget_destroy (sel->menu);
  if (sel->conv != NULL && selector_of (sel->conv) == sel)
    purple_conversation_set_data (sel->conv, SELECTOR_KEY, NULL);
  g_free (sel->shown);
  g_free (sel);
}

/* Puts @row just above the message entry: into the box that holds the entry's row (lower_hbox),
 * before it; else (another Pidgin layout) into that row itself. */
static void
place_row (PidginConversation *gtkconv, GtkWidget *row)
{
  GtkWidget *parent = gtk_widget_get_parent (gtkconv->lower_hbox);
  g_autoptr (GList) children = NULL;
  gint position;

  if (!GTK_IS_BOX (parent)) {
    gtk_box_pack_start (GTK_BOX (gtkconv->lower_hbox), row, FALSE, FALSE, 0);
    return;
  }
  children = gtk_container_get_children (GTK_CONTAINER (parent));
  position = g_list_index (children, gtkconv->lower_hbox);
  gtk_box_pack_start (GTK_BOX (parent), row, FALSE, FALSE, 0);
  gtk_box_reorder_child (GTK_BOX (parent), row, position);
}

void
rcf_selector_attach (PurpleConversation *conv, PurplePlugin *prpl)
{
  PurpleAccount *account;
  PidginConversation *gtkconv;
  RcfSelector *sel;

  if (conv == NULL || !PIDGIN_IS_PIDGIN_CONVERSATION (conv))
    return;
  account = purple_conversation_get_account (conv);
  if (g_strcmp0 (purple_account_get_protocol_id (account), RCP_IPC_PRPL_ID) != 0)
    return;
  gtkconv = PIDGIN_CONVERSATION (conv);
  if (gtkconv == NULL || gtkconv->lower_hbox == NULL)
    return;

  sel = selector_of (conv);
  if (sel == NULL) {
    sel = g_new0 (RcfSelector, 1);
    sel->conv = conv;
    sel->prpl = prpl;
    sel->row = gtk_hbox_new (FALSE, 0);
    sel->button = gtk_button_new ();
    gtk_button_set_relief (GTK_BUTTON (sel->button), GTK_RELIEF_HALF);
    gtk_button_set_focus_on_click (GTK_BUTTON (sel->button), FALSE);
    sel->label = gtk_label_new (NULL);
    gtk_label_set_mnemonic_widget (GTK_LABEL (sel->label), sel->button);
    gtk_container_add (GTK_CONTAINER (sel->button), sel->label);
    gtk_box_pack_start (GTK_BOX (sel->row), sel->button, FALSE, FALSE, 0);
    g_signal_connect (sel->button, "clicked", G_CALLBACK (button_clicked_cb), sel);
    g_signal_connect (sel->row, "destroy", G_CALLBACK (row_destroy_cb), sel);
    gtk_widget_show_all (sel->row);
    purple_conversation_set_data (conv, SELECTOR_KEY, sel);
  }
  /* Pidgin may rebuild parts of a window (pidgin-otr checks the same). */
  if (gtk_widget_get_parent (sel->row) == NULL)
    place_row (gtkconv, sel->row);
  rcf_selector_refresh (conv);
}

void
rcf_selector_forget (PurpleConversation *conv)
{
  RcfSelector *sel = selector_of (conv);

  if (sel == NULL)
    return;
  purple_conversation_set_data (conv, SELECTOR_KEY, NULL);
  sel->conv = NULL;
}

void
rcf_selector_remove (PurpleConversation *conv)
{
  RcfSelector *sel = selector_of (conv);

  if (sel != NULL)
    gtk_widget_destroy (sel->row); /* row_destroy_cb frees it */
}
