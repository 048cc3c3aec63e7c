#!/usr/bin/env python3
"""End-to-end: a group text in real Finch (tmux), started from the buddy list's Join Chat dialog.

Finch's Join Chat (Ctrl+O, Options, "Join Chat...") asks only for a "Channel" string; Finch then
calls the plugin's chat_info_defaults with it (shared/libpurple-notes.md §3, §8). The test types
the numbers of the demo's two contacts there, confirms, and checks that:
  - the chat window opens, lists both contacts and says "Sending from +1 650-555-0100 (Direct)"
    (a group starts from the number with MMS);
  - a text typed in it is ONE POST .../sms to both recipients from that number (the simulator's
    request log);
  - the contacts' answers (Echo Bot at once, Alex Doe after 1.5 s) show in the chat;
  - a group text and a group picture that come in from elsewhere (POST /_sim/inbound-group,
    /_sim/inbound-mms with "others") show in the same chat, the picture as its
    "[Picture: name, size]" line (Finch drops images);
  - nothing else was texted.
Helpers (simulator, tmux, TAP) come from test-finch.py. Screens, Finch's stderr, the simulator's
log and request list are kept in --artifacts when a step fails (and always with RC_E2E_KEEP=1).
"""
import base64
import importlib.util
import json
import os
import struct
import sys
import time
import urllib.request
import zlib

HERE = os.path.dirname(os.path.abspath(__file__))
_spec = importlib.util.spec_from_file_location("test_finch", os.path.join(HERE, "test-finch.py"))
tf = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(tf)
ok, diag, Failed, wait_for = tf.ok, tf.diag, tf.Failed, tf.wait_for

ECHO_NAME, ECHO = "Echo Bot", "+16505550199"
ALEX_NAME, ALEX = "Alex Doe", "+14155550123"
GROUP_FROM = "+16505550100"  # Direct, SMS+MMS: the first number that can start a group
TYPED = f"{ECHO}, {ALEX}"
TEXT = "hello group from finch"
INBOUND_TEXT = "Alex here, replying to all"
PICTURE = "group-dot.png"
PICTURE_TEXT = "a picture for the group"
STEPS = 10



def png(width, height, rgb):
    """A PNG of one colour (what the simulator serves as the group picture)."""
    def chunk(kind, data):
        return (struct.pack(">I", len(data)) + kind + data
                + struct.pack(">I", zlib.crc32(kind + data) & 0xffffffff))
    rows = b"".join(b"\0" + bytes(rgb) * width for _ in range(height))
    return (b"\x89PNG\r\n\x1a\n"
            + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b""))


def control(sim, what, payload):
    req = urllib.request.Request(f"{sim.base}/_sim/{what}", data=json.dumps(payload).encode(),
                                 headers={"Content-Type": "application/json"}, method="POST")
    with sim.opener.open(req, timeout=10) as r:
        return json.load(r)


def chat_line(screen, who, text):
    """True when a conversation line "(hh:mm:ss) <who>: <text>" is on the screen."""
    return any(f"{who}: {text}" in line and line.strip("│▒ ").startswith("(")
               for line in screen.splitlines())


def picture_lines(screen):
    """True when the picture's message line is followed by its "[Picture: name, size]" line (the
    message is "<text><br><img><br>[Picture: …]": Finch drops the image, leaving an empty line)."""
    lines = [line.strip("│▒ ") for line in screen.splitlines()]
    lines = [line for line in lines if line]
    return any(chat_line(a, ECHO_NAME, PICTURE_TEXT) and b.startswith(f"[Picture: {PICTURE}, ")
               for a, b in zip(lines, lines[1:]))


def steps(sim, finch, snap):
    # 2. Buddy list menu (Ctrl+O), Options (Down opens it), "Join Chat..." (its key: j).
    finch.keys("C-o")
    if not wait_for(lambda: "Options" in snap("menu bar"), 10):
        raise Failed("Ctrl+O showed no menu")
    finch.keys("Down")
    if not wait_for(lambda: "Join Chat..." in snap("Options menu"), 10):
        raise Failed("the Options menu has no 'Join Chat...'")
    finch.keys("j")
    dialog = wait_for(lambda: "Join a Chat" in (s := snap("Join Chat dialog"))
                      and "Channel" in s, 15)
    if not ok(dialog, "Options > Join Chat... opens Finch's 'Join a Chat' dialog"):
        raise Failed("no Join Chat dialog")

    # 3. Type the two numbers as the Channel; Tab to the Join button and press it.
    finch.keys(TYPED, literal=True)
    wait_for(lambda: ALEX in snap("typed channel"), 5)
    finch.keys("Tab")
    time.sleep(0.3)  # let the focus move before the key that presses the button
    finch.keys("Enter")
    opened = wait_for(lambda: ("Sending from +1 650-555-0100 (Direct)" in (s := snap("chat"))
                               and ECHO_NAME in s and ALEX_NAME in s
                               and "Join a Chat" not in s), 20)
    if not ok(opened, "the group chat opens, lists Echo Bot and Alex Doe, and says "
                      "'Sending from +1 650-555-0100 (Direct)'"):
        raise Failed("no group chat")

    # 4-5. One text to the group: one POST .../sms to both, from the MMS number.
    finch.type_line(TEXT)
    hit = wait_for(lambda: tf.sms_with_text(sim, TEXT), 20)
    ok(hit, f"simulator got POST .../sms with text {TEXT!r}")
    if hit:
        body = hit[1]
        to = sorted(t.get("phoneNumber") for t in body.get("to") or [])
        frm = (body.get("from") or {}).get("phoneNumber")
        ok(to == sorted([ECHO, ALEX]) and frm == GROUP_FROM,
           f"it goes from {GROUP_FROM} to both {ECHO} and {ALEX} (got from={frm} to={to})")
    else:
        ok(False, "group text from/to")

    # 6-7. Both contacts answer the group; the answers show in the chat.
    ok(wait_for(lambda: chat_line(snap("echo answer"), ECHO_NAME, f"You said: {TEXT}"), 30),
       f"Echo Bot's answer 'You said: {TEXT}' shows in the chat")
    ok(wait_for(lambda: chat_line(snap("alex answer"), ALEX_NAME, "Hi, this is Alex!"), 30),
       "Alex Doe's answer shows in the chat")

    # 8-9. A group text and a group picture from elsewhere land in the same chat.
    control(sim, "inbound-group", {"from": ALEX, "to": GROUP_FROM, "others": [ECHO],
                                   "text": INBOUND_TEXT})
    ok(wait_for(lambda: chat_line(snap("inbound group text"), ALEX_NAME, INBOUND_TEXT), 30),
       "an incoming group text from Alex Doe shows in the same chat")
    control(sim, "inbound-mms", {"from": ECHO, "to": GROUP_FROM, "others": [ALEX],
                                 "text": PICTURE_TEXT, "content_type": "image/png",
                                 "file_name": PICTURE,
                                 "data": base64.b64encode(png(8, 8, (200, 40, 40))).decode()})
    ok(wait_for(lambda: picture_lines(snap("inbound group picture")), 30),
       f"an incoming group picture shows in the same chat: 'Echo Bot: {PICTURE_TEXT}', "
       f"then '[Picture: {PICTURE}, ...]'")

    # 10. Exactly one text went out (no second POST for the group, nothing else texted).
    posts = tf.sms_posts(sim)
    ok(len(posts) == 1, f"exactly one POST .../sms was made (got {len(posts)}: "
                        f"{[b.get('text') for _, b in posts]})")


def main():
    return tf.run_finch_test("rc-e2e-group-", STEPS, steps)


if __name__ == "__main__":
    sys.exit(main())
