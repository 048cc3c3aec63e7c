#!/bin/sh
# Renders the protocol icon PNGs that Pidgin loads (icons/{16,22,48}/ringcentral.png) from the
# hand-written icons/scalable/ringcentral.svg. The PNGs are committed, so building never needs this;
# run it after editing the SVG.
# Needs rsvg-convert (Debian: apt-get install librsvg2-bin); optipng is used when present.
set -eu
cd "$(dirname "$0")/../icons"
command -v rsvg-convert >/dev/null 2>&1 || {
  echo "render-icons: rsvg-convert not found (apt-get install librsvg2-bin)" >&2
  exit 1
}
for size in 16 22 48; do
  mkdir -p "$size"
  rsvg-convert --width "$size" --height "$size" --format png \
    --output "$size/ringcentral.png" scalable/ringcentral.svg
  if command -v optipng >/dev/null 2>&1; then
    optipng -quiet -o7 -strip all "$size/ringcentral.png"
  fi
  echo "icons/$size/ringcentral.png"
done
