#!/usr/bin/env python3
"""Pidgin GUI test: the "From:" selector of the Pidgin companion (pidgin/) in a real Pidgin.

Runs Pidgin on a private Xvfb display against the RingCentral simulator (as pidgin-picker.py does,
whose helpers it uses) with the protocol plugin, the companion ringcentral-from.so (in the plugin
dir only: the protocol plugin must load it by itself) and rcp-test-opener (which opens an IM
window with the demo contact once signed on). Then, in order:
  1. the companion was loaded without being enabled, and the window's selector shows the number
     the rule picks (the first texting number: +1 650-555-0100);
  2. xdotool opens the selector (Alt+R) and picks the second number with the keyboard: the
     selector shows it;
  3. xdotool types a text and sends it: the simulator's request log has the SMS going out from the
     chosen number;
  4. "/from 1" typed in the window: the selector follows;
  5. the selector's menu lists every texting number (picture taken with it open), and Pidgin quits
     cleanly without sanitizer reports.
What a selector shows is read from the companion's debug lines (rcf-selector.h) in Pidgin's -d
log; the texts from the simulator. The picture (--output; --update-docs copies it to
docs/from-selector.png) shows the window with the menu open.
Needs (Debian): pidgin xvfb xdotool imagemagick python3; openbox optional (title bars).
"""

import importlib.util
import json
import os
import re
import shutil
import sys
import time
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
_spec = importlib.util.spec_from_file_location("pidgin_picker",
                                               os.path.join(HERE, "pidgin-picker.py"))
pp = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(pp)
TestFailure = pp.TestFailure

CONTACT = "+16505550199"  # Echo Bot in demo.json (answers every text)
CONTACT_TITLE = "Echo Bot"
TEXT = "Hello from the selector"
SIGN_ON_S = 75
STEP_S = 30


def log(msg):
    print(f"pidgin-from-selector: {msg}", flush=True)


def nanp(e164):
    """"+16505550100" → "+1 650-555-0100" (how the plugin shows NANP numbers)."""
    d = e164[2:]
    return f"+1 {d[0:3]}-{d[3:6]}-{d[6:]}"


def selector_lines(log_path):
    """The companion's lines about CONTACT's selector: [(verb, rest)] in order."""
    out = []
    pattern = re.compile(r"ringcentral-from: selector (\S+) (shows|chose|refused|menu) ?(.*)$")
    with open(log_path, errors="replace") as f:
        for line in f:
            m = pattern.search(line.rstrip("\n"))
            if m and m.group(1) == CONTACT:
                out.append((m.group(2), m.group(3)))
    return out


def shown(log_path):
    lines = [rest for verb, rest in selector_lines(log_path) if verb == "shows"]
    return lines[-1] if lines else None


def sms_requests(port):
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/_sim/requests", timeout=10) as r:
        requests = json.load(r)
    out = []
    for q in requests:
        if q.get("method") == "POST" and re.search(r"/sms$", q.get("path", "")) and q.get("body"):
            try:
                out.append(json.loads(q["body"]))
            except ValueError:
                pass
    return out


def run(args, workdir, logdir):
    with open(args.scenario) as f:
        numbers = json.load(f).get("numbers", [])
    texting = [n["phoneNumber"] for n in numbers if "SmsSender" in n.get("features", [])]
    if len(texting) < 2:
        raise TestFailure("the scenario needs at least two texting numbers")
    first, second = texting[0], texting[1]

    procs = pp.Processes()
    report_path = os.path.join(workdir, "opener-report.txt")
    try:
        started = pp.start_pidgin(procs, args, workdir, logdir, report_path,
                                  {"RCP_TEST_OPENER_OPEN_IM": CONTACT},
                                  plugins=[args.companion], say=log)
        port, display, alive = started.port, started.display, started.alive
        pidgin_log_path = started.pidgin_log_path

        def wait_shown(number, what, timeout=STEP_S):
            want = nanp(number)
            try:
                return pp.wait_for(what, timeout,
                                   lambda: (s := shown(pidgin_log_path)) and want in s and s,
                                   alive)
            except TestFailure as e:
                raise TestFailure(f"{e}; the selector shows {shown(pidgin_log_path)!r}, "
                                  f"wanted {want}")

        # 1. Loaded by the protocol plugin; the selector shows the rule's number.
        label = wait_shown(first, "the selector to show the first texting number", SIGN_ON_S)
        log(f"the selector shows \"{label}\"")
        with open(pidgin_log_path, errors="replace") as f:
            if "ringcentral-from: loaded" not in f.read():
                raise TestFailure("the companion says nothing about being loaded")
        if not label.startswith("From: ") or not label.endswith("▾"):
            raise TestFailure(f"the selector reads {label!r}, not 'From: <number> ▾'")
        wid = pp.wait_for(f"the conversation window \"{CONTACT_TITLE}\"", STEP_S,
                          lambda: pp.find_window(display, CONTACT_TITLE), alive)
        blist = pp.find_window(display, "Buddy List")
        if blist:
            pp.xdotool(display, "windowmove", "--sync", blist, "20", "20")
        pp.xdotool(display, "windowsize", "--sync", wid, "640", "460")
        pp.xdotool(display, "windowmove", "--sync", wid, "300", "40")

        def focus():
            # Without a window manager the keyboard follows the pointer: put it on the window too.
            x, y, w, h = pp.geometry(display, wid)
            pp.xdotool(display, "mousemove", str(x + w // 2), str(y + h // 3))
            pp.xdotool(display, "windowfocus", "--sync", wid)

        def open_menu():
            before = len([v for v, _ in selector_lines(pidgin_log_path) if v == "menu"])
            focus()
            pp.xdotool(display, "key", "--clearmodifiers", "alt+r")
            pp.wait_for("the selector's menu to open (Alt+R)", STEP_S,
                        lambda: len([v for v, _ in selector_lines(pidgin_log_path)
                                     if v == "menu"]) > before, alive)
            time.sleep(0.5)  # let the menu map before keys go to it (not an assertion)

        # 2. Switch to the second number with the keyboard.
        open_menu()
        pp.xdotool(display, "key", "Home", "Down", "Return")
        pp.wait_for(f"the selector to report choosing {second}", STEP_S,
                    lambda: ("chose", second) in selector_lines(pidgin_log_path), alive)
        label = wait_shown(second, "the selector to show the chosen number")
        log(f"chose the second number; the selector shows \"{label}\"")

        # Opening the menu must choose nothing by itself.
        chosen = [rest for verb, rest in selector_lines(pidgin_log_path) if verb == "chose"]
        if chosen != [second]:
            raise TestFailure(f"the selector made the choices {chosen}, expected only {second}")

        # 3. Send a text; it must go out from the chosen number.
        focus()
        pp.xdotool(display, "type", "--delay", "30", TEXT)
        pp.xdotool(display, "key", "Return")
        sent = pp.wait_for("the simulator to receive the text", STEP_S,
                           lambda: [b for b in sms_requests(port) if b.get("text") == TEXT],
                           alive)
        sender = (sent[0].get("from") or {}).get("phoneNumber")
        if sender != second:
            raise TestFailure(f"the text went out from {sender}, not the chosen {second}")
        log(f"the simulator got the text from {sender}")

        # 4. /from 1: the selector follows.
        focus()
        pp.xdotool(display, "type", "--delay", "30", "/from 1")
        pp.xdotool(display, "key", "Return")
        label = wait_shown(first, "the selector to follow /from 1")
        log(f"after /from 1 the selector shows \"{label}\"")

        # 5. The picture, with the menu open; then leave it.
        open_menu()
        time.sleep(1.0)  # settle time for the picture, not an assertion
        full = os.path.join(logdir, "screen.png")
        pp.screenshot(display, args.output, full)
        log(f"screenshot: {args.output}")
        pp.xdotool(display, "key", "Escape")
        if nanp(first) not in (shown(pidgin_log_path) or ""):
            raise TestFailure("closing the menu changed the selector")
        chosen = [rest for verb, rest in selector_lines(pidgin_log_path) if verb == "chose"]
        if chosen != [second]:
            raise TestFailure(f"the selector made the choices {chosen}, expected only {second} "
                              "(/from and opening the menu must not choose)")

        pp.quit_pidgin(procs, started, log)
        pp.update_docs(args, log)
    finally:
        procs.stop_all()
        if os.path.exists(report_path):
            shutil.copy(report_path, logdir)


def main():
    return pp.test_main("pidgin-from-selector", __doc__, run, "from-selector.png", companion="required")


if __name__ == "__main__":
    sys.exit(main())
