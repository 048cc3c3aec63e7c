#!/usr/bin/env python3
"""Pidgin GUI test: a group chat with a picture shown inline, in a real Pidgin.

Runs Pidgin on a private Xvfb display against the RingCentral simulator (as pidgin-picker.py does,
whose helpers it uses) with the protocol plugin, the companion ringcentral-from.so when it is
built (the "From:" selector in the picture) and rcp-test-opener, which joins the group of the
demo's two contacts once signed on (RCP_TEST_OPENER_JOIN: serv_join_chat with "recipients", as
Pidgin's Join a Chat dialog does) and records every line written into a chat. Then, in order:
  1. the group chat opens (chat-joined) and its window is on the X server;
  2. xdotool types a text into it: the simulator's request log has ONE POST .../sms to both
     contacts from the group's number (+16505550100, the one with MMS), and both contacts'
     answers are written into the chat;
  3. a picture comes into the group (POST /_sim/inbound-mms with "others"): the line written into
     the chat carries PURPLE_MESSAGE_IMAGES, an <img id="N"> (rendered by Pidgin from the
     imgstore) and the "[Picture: name, size]" line, and the simulator served the picture;
  4. a screenshot of the chat window with the picture (--output; --update-docs copies it to
     docs/group-picture.png); Pidgin quits cleanly without sanitizer reports.
What arrived is read from the opener's report (its chat-msg lines), never from pixels.
Needs (Debian): pidgin xvfb xdotool imagemagick python3; openbox optional (title bars).
"""

import base64
import importlib.util
import json
import os
import re
import shutil
import subprocess
import sys
import time
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
_spec = importlib.util.spec_from_file_location("pidgin_picker",
                                               os.path.join(HERE, "pidgin-picker.py"))
pp = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(pp)
TestFailure = pp.TestFailure

ECHO, ECHO_NAME = "+16505550199", "Echo Bot"  # demo.json: answers every text, groups too
ALEX, ALEX_NAME = "+14155550123", "Alex Doe"  # answers after 1.5 s
GROUP_FROM = "+16505550100"  # Direct, SMS+MMS: the number a new group starts from
JOIN = f"{ECHO}, {ALEX}"
TEXT = "Hi both, the photos from today?"
PICTURE = "office-view.png"
PICTURE_TEXT = "Here is the view from the office"
SIGN_ON_S = 75
STEP_S = 30


def log(msg):
    print(f"pidgin-group-picture: {msg}", flush=True)


def make_picture(path):
    """A small landscape (sky, sun, hills) drawn by ImageMagick: what the contact sends."""
    subprocess.run(["convert", "-size", "240x150", "gradient:#7ec8f0-#fde3a7",
                    "-fill", "#ffcf33", "-draw", "circle 178,52 178,28",
                    "-fill", "#4c9a2a", "-draw", "ellipse 70,170 150,62 0,360",
                    "-fill", "#2f7d32", "-draw", "ellipse 205,182 120,60 0,360",
                    path], check=True, timeout=60)
    with open(path, "rb") as f:
        return f.read()


def sim_call(port, method, what, payload=None):
    data = json.dumps(payload).encode() if payload is not None else None
    req = urllib.request.Request(f"http://127.0.0.1:{port}{what}", data=data, method=method,
                                 headers={"Content-Type": "application/json"})
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))  # loopback only
    with opener.open(req, timeout=10) as r:
        return json.load(r)


def sms_posts(port):
    out = []
    for q in sim_call(port, "GET", "/_sim/requests"):
        if q.get("method") == "POST" and re.search(r"/sms$", q.get("path", "")) and q.get("body"):
            try:
                out.append(json.loads(q["body"]))
            except ValueError:
                pass
    return out


def chat_msgs(report_path):
    """The opener's chat-msg lines as (who, images, html)."""
    out = []
    for key, value in pp.read_report(report_path):
        m = re.match(r"(.*?) images=([01]) (.*)$", value) if key == "chat-msg" else None
        if m:
            out.append((m.group(1), m.group(2) == "1", m.group(3)))
    return out


def run(args, workdir, logdir):
    procs = pp.Processes()
    report_path = os.path.join(workdir, "opener-report.txt")
    try:
        picture = make_picture(os.path.join(logdir, PICTURE))
        started = pp.start_pidgin(procs, args, workdir, logdir, report_path,
                                  {"RCP_TEST_OPENER_JOIN": JOIN},
                                  plugins=[args.companion] if args.companion else [], say=log)
        port, display, alive = started.port, started.display, started.alive

        def report(key):
            events = pp.read_report(report_path)
            for k, v in events:
                if k == "error":
                    raise TestFailure(f"rcp-test-opener: {v}")
            return [v for k, v in events if k == key]

        def written(what, pred, timeout=STEP_S):
            try:
                return pp.wait_for(what, timeout,
                                   lambda: [m for m in chat_msgs(report_path) if pred(*m)], alive)
            except TestFailure as e:
                raise TestFailure(f"{e}; the chat got: {chat_msgs(report_path)}")

        # 1. The group chat opens; its window is on the X server.
        try:
            [title] = pp.wait_for("the group chat to be joined", SIGN_ON_S,
                                  lambda: report("joined")[:1], alive)
        except TestFailure as e:
            seen = "; ".join(f"{k} {v}".strip() for k, v in pp.read_report(report_path))
            raise TestFailure(f"{e}\nrcp-test-opener saw: {seen or 'nothing (not loaded?)'}")
        log(f"joined the group chat \"{title}\"")
        written("'Sending from +1 650-555-0100 (Direct)' in the chat",
                lambda who, images, html: "Sending from +1 650-555-0100 (Direct)" in html)
        wid = pp.wait_for(f"the chat window \"{title}\"", STEP_S,
                          lambda: pp.find_window(display, title), alive)
        blist = pp.find_window(display, "Buddy List")
        if blist:
            pp.xdotool(display, "windowmove", "--sync", blist, "20", "20")
        pp.xdotool(display, "windowsize", "--sync", wid, "700", "600")
        pp.xdotool(display, "windowmove", "--sync", wid, "300", "40")

        # 2. A text to the group: one request to both, from the group's number; both answer.
        x, y, w, h = pp.geometry(display, wid)
        pp.xdotool(display, "mousemove", str(x + w // 3), str(y + h - 40))
        pp.xdotool(display, "windowfocus", "--sync", wid)
        pp.xdotool(display, "type", "--delay", "30", TEXT)
        pp.xdotool(display, "key", "Return")
        sent = pp.wait_for("the simulator to receive the group text", STEP_S,
                           lambda: [b for b in sms_posts(port) if b.get("text") == TEXT], alive)
        to = sorted(t.get("phoneNumber") for t in sent[0].get("to") or [])
        sender = (sent[0].get("from") or {}).get("phoneNumber")
        if len(sent) != 1 or to != sorted([ECHO, ALEX]) or sender != GROUP_FROM:
            raise TestFailure(f"expected one POST .../sms from {GROUP_FROM} to {ECHO} and {ALEX}, "
                              f"got {sent}")
        log(f"one POST .../sms from {sender} to {', '.join(to)}")
        written("Echo Bot's answer in the chat",
                lambda who, images, html: who == ECHO and f"You said: {TEXT}" in html)
        written("Alex Doe's answer in the chat",
                lambda who, images, html: who == ALEX and "Hi, this is Alex!" in html)
        log("both contacts' answers are in the chat")

        # 3. A picture into the group, from Alex, seen by Echo Bot too.
        sim_call(port, "POST", "/_sim/inbound-mms",
                 {"from": ALEX, "to": GROUP_FROM, "others": [ECHO], "text": PICTURE_TEXT,
                  "content_type": "image/png", "file_name": PICTURE,
                  "data": base64.b64encode(picture).decode()})
        [(who, images, html)] = written(
            "the picture to be written into the chat",
            lambda who, images, html: who == ALEX and PICTURE_TEXT in html)[:1]
        if not images or not re.search(r'<img id="[1-9][0-9]*">', html):
            raise TestFailure(f"the picture's line has no inline image (images={images}): {html}")
        if f"[Picture: {PICTURE}, " not in html:
            raise TestFailure(f"the picture's line does not name it: {html}")
        downloads = [q for q in sim_call(port, "GET", "/_sim/requests")
                     if q.get("method") == "GET" and "/content/" in q.get("path", "")
                     and q.get("status") == 200]
        if not downloads:
            raise TestFailure("the simulator never served the picture")
        log(f"the picture is inline in the chat: {html}")

        # 4. The picture of the chat window.
        time.sleep(1.5)  # let GTK lay out and paint the image (settle time, not an assertion)
        full = os.path.join(logdir, "screen.png")
        pp.screenshot(display, args.output, full)
        log(f"screenshot: {args.output}")

        pp.quit_pidgin(procs, started, log)
        pp.update_docs(args, log)
    finally:
        procs.stop_all()
        if os.path.exists(report_path):
            shutil.copy(report_path, logdir)


def main():
    return pp.test_main("pidgin-group-picture", __doc__, run, "group-picture.png", companion="optional")


if __name__ == "__main__":
    sys.exit(main())
