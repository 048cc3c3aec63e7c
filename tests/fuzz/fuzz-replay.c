/* fuzz-replay.c: runs a fuzz target's LLVMFuzzerTestOneInput() once over every file of the
 * directories (or files) given, without libFuzzer, so that the ordinary (gcc, ASan+UBSan) build
 * replays each target's corpus as a unit test: the seeds and every input that once crashed (kept
 * in tests/fuzz/corpus/<target>/ after its fix). TAP output, one line per file. */
#include <gio/gio.h>
#include <stdio.h>

#include "fuzz-util.h"

static guint n_files;

static void
replay_file (const char *path)
{
  g_autofree char *data = NULL;
  gsize len = 0;
  g_autoptr (GError) error = NULL;

  if (!g_file_get_contents (path, &data, &len, &error)) {
    printf ("not ok %u - %s: %s\n", ++n_files, path, error->message);
    return;
  }
  LLVMFuzzerTestOneInput ((const uint8_t *)data, len);
  printf ("ok %u - %s\n", ++n_files, path);
  fflush (stdout);
}

int
main (int argc, char **argv)
{
  for (int i = 1; i < argc; i++) {
    g_autoptr (GDir) dir = g_dir_open (argv[i], 0, NULL);
    g_autoptr (GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
    const char *name;

    if (dir == NULL) {
      replay_file (argv[i]);
      continue;
    }
    while ((name = g_dir_read_name (dir)) != NULL)
      g_ptr_array_add (names, g_build_filename (argv[i], name, NULL));
    g_ptr_array_sort (names, (GCompareFunc)g_strcmp0);
    for (guint j = 0; j < names->len; j++)
      replay_file (g_ptr_array_index (names, j));
  }
  printf ("1..%u\n", n_files);
  return n_files > 0 ? 0 : 1;
}
