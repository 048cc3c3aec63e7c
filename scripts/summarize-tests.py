#!/usr/bin/env python3
"""Counts a meson test log: prints the failed tests, then one final line `N passed, N failed`
(`, N skipped` appended when tests were skipped). Exits 1 when anything failed or no test ran.

Usage: scripts/summarize-tests.py BUILD_DIR/meson-logs/testlog.json
"""
import json
import sys

PASS = {"OK", "EXPECTEDFAIL"}
FAIL = {"FAIL", "TIMEOUT", "UNEXPECTEDPASS", "ERROR"}
SKIP = {"SKIP"}


def main(argv):
    if len(argv) != 2:
        print(__doc__.strip(), file=sys.stderr)
        return 2
    passed = failed = skipped = 0
    failed_names = []
    try:
        with open(argv[1], encoding="utf-8") as log:
            for lineno, line in enumerate(log, 1):
                line = line.strip()
                if not line:
                    continue
                try:
                    entry = json.loads(line)
                    result = entry.get("result", "ERROR")
                except (ValueError, AttributeError):
                    # A log we cannot read must not count as green.
                    failed += 1
                    failed_names.append(f"(unreadable line {lineno} of {argv[1]})")
                    continue
                name = entry.get("name", "?")
                suite = entry.get("suite") or []
                if isinstance(suite, list) and suite:
                    name = f"{suite[0]} / {name}"
                if result in PASS:
                    passed += 1
                elif result in SKIP:
                    skipped += 1
                else:
                    # FAIL, TIMEOUT, UNEXPECTEDPASS, ERROR and anything unknown
                    failed += 1
                    failed_names.append(f"{name}: {result}")
    except OSError as e:
        print(f"summarize-tests: cannot read {argv[1]}: {e.strerror}", file=sys.stderr)
        failed += 1

    for name in failed_names:
        print(f"FAILED {name}")
    line = f"{passed} passed, {failed} failed"
    if skipped:
        line += f", {skipped} skipped"
    sys.stdout.flush()
    print(line, flush=True)
    return 1 if failed or passed == 0 else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
