#!/usr/bin/env python3
"""Checks the project's layering rules (design.md, "The house"), printing each breach:

1. No two files of plugin/ call each other in both directions (a function `rcp_*` defined in one
   file and named in the other counts as a call).
2. protocol/ never includes a libpurple header.
3. plugin/ never parses JSON or speaks HTTP itself (no json-glib or libsoup include, no
   "/restapi/" URL path in its sources).

Usage: scripts/check-module-graph.py [SOURCE_ROOT]   (exit 1 on any breach; TAP output)
"""
import pathlib
import re
import sys

COMMENT_OR_STRING = re.compile(r'/\*.*?\*/|//[^\n]*|"(?:\\.|[^"\\\n])*"', re.S)
DEFINITION = re.compile(r"^(?:[A-Za-z_][\w \*]*\s+\**)?(rcp_\w+)\s*\([^;{]*\)\s*\{", re.M)
LIBPURPLE_INCLUDE = re.compile(
    r'#include *[<"](libpurple/|purple\.h|prpl\.h|account\.h|conversation\.h|connection\.h'
    r'|blist\.h|server\.h|plugin\.h|debug\.h)')
PLUGIN_FORBIDDEN_INCLUDE = re.compile(r'#include *[<"](json-glib/|libsoup/)')


def code_only(text):
    return COMMENT_OR_STRING.sub(lambda m: '""' if m.group(0)[0] == '"' else " ", text)


def plugin_cycles(root):
    files = sorted((root / "plugin").glob("*.c"))
    text, defs = {}, {}
    for path in files:
        text[path] = code_only(path.read_text(errors="replace"))
        for m in DEFINITION.finditer(text[path]):
            defs.setdefault(m.group(1), path)
    uses = {
        path: {owner for name, owner in defs.items()
               if owner != path and re.search(r"\b%s\b" % name, text[path])}
        for path in files
    }
    breaches = []
    for i, a in enumerate(files):
        for b in files[i + 1:]:
            if b in uses[a] and a in uses[b]:
                breaches.append(f"plugin/{a.name} and plugin/{b.name} call each other")
    return breaches


def protocol_includes(root):
    return [f"protocol/{p.name} includes a libpurple header"
            for p in sorted((root / "protocol").glob("*.[ch]"))
            if LIBPURPLE_INCLUDE.search(p.read_text(errors="replace"))]


def plugin_protocol_work(root):
    breaches = []
    for p in sorted((root / "plugin").glob("*.[ch]")):
        raw = p.read_text(errors="replace")
        if PLUGIN_FORBIDDEN_INCLUDE.search(raw):
            breaches.append(f"plugin/{p.name} includes json-glib or libsoup")
        if "/restapi/" in raw:
            breaches.append(f"plugin/{p.name} builds a RingCentral URL")
    return breaches


def main(argv):
    root = pathlib.Path(argv[1] if len(argv) > 1 else pathlib.Path(__file__).parent.parent)
    checks = [("plugin/ files call each other one way only", plugin_cycles),
              ("protocol/ includes no libpurple header", protocol_includes),
              ("plugin/ neither parses JSON nor builds URLs", plugin_protocol_work)]
    print(f"1..{len(checks)}")
    failed = 0
    for n, (name, check) in enumerate(checks, 1):
        breaches = check(root)
        for b in breaches:
            print(f"# {b}")
        print(f"{'not ok' if breaches else 'ok'} {n} - {name}")
        failed += bool(breaches)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
