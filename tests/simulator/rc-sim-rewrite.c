/* rc-sim-rewrite.c: raw rewrites of the JSON texts the simulator sends (rc-sim.h
 * rc_sim_add_json_rewrite()), for what json-glib's generator cannot write: "\u0000" escapes and
 * lone surrogates inside a text (issue 10 "Hostile server data"). */
#include "rc-sim-private.h"

#include <string.h>

#define REWRITES_KEY "rc-sim-json-rewrites"

void
rc_sim_add_json_rewrite (RcSim *self, const char *from, const char *to)
{
  GPtrArray *pairs;

  g_return_if_fail (RC_IS_SIM (self));
  g_return_if_fail (from != NULL && from[0] != '\0' && to != NULL);

  pairs = g_object_get_data (G_OBJECT (self), REWRITES_KEY);
  if (pairs == NULL) {
    pairs = g_ptr_array_new_with_free_func (g_free);
    g_object_set_data_full (G_OBJECT (self), REWRITES_KEY, pairs,
                            (GDestroyNotify)g_ptr_array_unref);
  }
  g_ptr_array_add (pairs, g_strdup (from));
  g_ptr_array_add (pairs, g_strdup (to));
}

char *
rc_sim_rewrite_json (RcSim *self, const char *text)
{
  GPtrArray *pairs = g_object_get_data (G_OBJECT (self), REWRITES_KEY);
  GString *out;

  if (pairs == NULL)
    return g_strdup (text);
  out = g_string_new (text);
  for (guint i = 0; i + 1 < pairs->len; i += 2)
    g_string_replace (out, pairs->pdata[i], pairs->pdata[i + 1], 0);
  return g_string_free (out, FALSE);
}
