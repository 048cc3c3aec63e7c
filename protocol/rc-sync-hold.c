/* rc-sync-hold.c: record texts held zlib-compressed in blocks until a sync answer ends (see
 * rc-sync-hold.h). GIO's GZlibCompressor/GZlibDecompressor, raw deflate, level 1 (speed). */
#include "rc-sync-hold.h"

#include <gio/gio.h>
#include <glib/gi18n-lib.h>
#include <string.h>

#include "rc-error.h"

/* Raw bytes per block before it is compressed. */
#define BLOCK_RAW (256 * 1024)

typedef struct {
  gint64 creation_time;
  const char *id; /* in @ids */
  guint32 block;
  guint32 offset;
  guint32 len;
} Entry;

typedef struct {
  GBytes *compressed;
  gsize raw_len;
} Block;

struct _RcSyncHold {
  GArray *entries;   /* Entry */
  GArray *blocks;    /* Block: the closed blocks */
  GByteArray *open;  /* the block being filled (raw) */
  GStringChunk *ids; /* every entry's id, one allocation per 4 KiB */
  gboolean sorted;
  guint cached; /* block index held raw in @cache, or G_MAXUINT */
  GByteArray *cache;
};

static void
block_clear (Block *block)
{
  g_bytes_unref (block->compressed);
}

RcSyncHold *
rc_sync_hold_new (void)
{
  RcSyncHold *self = g_new0 (RcSyncHold, 1);

  self->entries = g_array_new (FALSE, FALSE, sizeof (Entry));
  self->blocks = g_array_new (FALSE, FALSE, sizeof (Block));
  g_array_set_clear_func (self->blocks, (GDestroyNotify)block_clear);
  self->open = g_byte_array_new ();
  self->ids = g_string_chunk_new (4096);
  self->cached = G_MAXUINT;
  self->cache = g_byte_array_new ();
  return self;
}

void
rc_sync_hold_free (RcSyncHold *self)
{
  if (self == NULL)
    return;
  g_array_unref (self->entries);
  g_array_unref (self->blocks);
  g_byte_array_unref (self->open);
  g_string_chunk_free (self->ids);
  g_byte_array_unref (self->cache);
  g_free (self);
}

guint
rc_sync_hold_get_count (RcSyncHold *self)
{
  return self->entries->len;
}

/* Runs @converter over @in into @out (grown as needed). FALSE on a conversion error. */
static gboolean
convert_all (GConverter *converter, const guint8 *in, gsize in_len, GByteArray *out, GError **error)
{
  gsize done_in = 0;

  g_byte_array_set_size (out, 0);
  /* Bounded: every turn either reads input, writes output, or the converter says it is done. */
  for (guint turns = 0; turns < 1u << 20; turns++) {
    gsize read = 0, written = 0, old = out->len;
    GConverterResult result;

    g_byte_array_set_size (out, old + MAX (in_len, 4096));
    result = g_converter_convert (converter, in + done_in, in_len - done_in, out->data + old,
                                  out->len - old, G_CONVERTER_INPUT_AT_END, &read, &written, error);
    g_byte_array_set_size (out, old + written);
    if (result == G_CONVERTER_ERROR)
      return FALSE;
    done_in += read;
    if (result == G_CONVERTER_FINISHED)
      return TRUE;
  }
  g_set_error_literal (error, RC_ERROR, RC_ERROR_BAD_RESPONSE, "conversion did not end");
  return FALSE;
}

/* Compresses the open block into a closed one (the open one is kept raw when that fails: it
 * stays readable, only bigger). */
static void
close_block (RcSyncHold *self)
{
  g_autoptr (GZlibCompressor) compressor = g_zlib_compressor_new (G_ZLIB_COMPRESSOR_FORMAT_RAW, 1);
  g_autoptr (GByteArray) out = g_byte_array_new ();
  g_autoptr (GError) error = NULL;
  Block block = { NULL, self->open->len };

  if (convert_all (G_CONVERTER (compressor), self->open->data, self->open->len, out, &error))
    block.compressed = g_byte_array_free_to_bytes (g_steal_pointer (&out));
  else {
    g_debug ("sync hold: block kept uncompressed: %s", error->message);
    block.compressed = g_bytes_new (self->open->data, self->open->len);
    block.raw_len = 0; /* 0: stored raw */
  }
  g_array_append_val (self->blocks, block);
  g_byte_array_set_size (self->open, 0);
}

void
rc_sync_hold_add (RcSyncHold *self, const char *data, gsize len, gint64 creation_time,
                  const char *id)
{
  Entry entry;

  g_return_if_fail (!self->sorted && len < BLOCK_RAW * 64);
  if (self->open->len > 0 && self->open->len + len > BLOCK_RAW)
    close_block (self);
  entry.creation_time = creation_time;
  entry.id = g_string_chunk_insert (self->ids, id != NULL ? id : "");
  entry.block = self->blocks->len;
  entry.offset = self->open->len;
  entry.len = (guint32)len;
  g_byte_array_append (self->open, (const guint8 *)data, (guint)len);
  g_array_append_val (self->entries, entry);
}

static gint
compare_entries (gconstpointer pa, gconstpointer pb)
{
  const Entry *a = pa, *b = pb;
  gsize la, lb;

  if (a->creation_time != b->creation_time)
    return a->creation_time < b->creation_time ? -1 : 1;
  la = strlen (a->id);
  lb = strlen (b->id);
  if (la != lb)
    return la < lb ? -1 : 1;
  if (strcmp (a->id, b->id) != 0)
    return strcmp (a->id, b->id);
  /* Equal keys keep their order in the answer (g_array_sort is not stable). */
  return a->block != b->block ? (a->block < b->block ? -1 : 1)
                              : (a->offset < b->offset ? -1 : a->offset > b->offset);
}

/* The raw bytes of block @index: the open block, or a closed one decompressed into the cache. */
static const guint8 *
block_data (RcSyncHold *self, guint index, GError **error)
{
  Block *block;
  g_autoptr (GZlibDecompressor) decompressor = NULL;

  if (index == self->blocks->len)
    return self->open->data;
  block = &g_array_index (self->blocks, Block, index);
  if (block->raw_len == 0)
    return g_bytes_get_data (block->compressed, NULL);
  if (self->cached == index)
    return self->cache->data;
  self->cached = G_MAXUINT;
  decompressor = g_zlib_decompressor_new (G_ZLIB_COMPRESSOR_FORMAT_RAW);
  if (!convert_all (G_CONVERTER (decompressor), g_bytes_get_data (block->compressed, NULL),
                    g_bytes_get_size (block->compressed), self->cache, error))
    return NULL;
  if (self->cache->len != block->raw_len) {
    g_set_error_literal (error, RC_ERROR, RC_ERROR_BAD_RESPONSE, "held block damaged");
    return NULL;
  }
  self->cached = index;
  return self->cache->data;
}

gboolean
rc_sync_hold_take (RcSyncHold *self, guint *next, guint max, RcSyncHoldFunc func,
                   gpointer user_data, GError **error)
{
  if (!self->sorted) {
    g_array_sort (self->entries, compare_entries);
    self->sorted = TRUE;
  }
  for (guint n = 0; n < max && *next < self->entries->len; n++, (*next)++) {
    const Entry *entry = &g_array_index (self->entries, Entry, *next);
    const guint8 *data = block_data (self, entry->block, error);

    if (data == NULL)
      return FALSE;
    func ((const char *)data + entry->offset, entry->len, user_data);
  }
  return TRUE;
}
