/* rc-nanp-areas.h: the +1 area codes counted as domestic (US, US territories, Canada). */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* TRUE when the three-digit NANP area code @area (200..999) is in the US (states, DC, territories,
 * US non-geographic codes) or Canada. Everything else under +1 (the independent Caribbean states,
 * Bermuda, unassigned codes) is abroad. */
gboolean rc_nanp_area_is_domestic (guint area);

G_END_DECLS
