#!/usr/bin/env python3
"""End-to-end: Debian's bitlbee-libpurple, the built plugin, the simulator on the demo scenario.

bitlbee runs as a forking daemon (-F: libpurple refuses bitlbee's -D mode) on 127.0.0.1 with a
private configuration file and user directory; the plugin is linked into that directory's
purple/plugins/, where libpurple looks. A small IRC client in this script then does what the
README's bitlbee section says: account add/set/on with the documented keys, adds the Echo Bot,
texts it, /from, /from 2, texts again, and texts an international number (refused). Each answer
must reach the IRC user as a message, and the simulator's request log must agree. Prints TAP.
The IRC transcript, bitlbee's stderr and the simulator's log and request list are kept in
--artifacts when a step fails (and always with RC_E2E_KEEP=1).
"""
import argparse
import importlib.util
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
_spec = importlib.util.spec_from_file_location("test_finch", os.path.join(HERE, "test-finch.py"))
tf = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(tf)
ok, diag, Failed, wait_for, Sim = tf.ok, tf.diag, tf.Failed, tf.wait_for, tf.Sim
asan_linked, stop_process = tf.asan_linked, tf.stop_process

ECHO = "+16505550199"
ECHO_NICK = "_16505550199"  # bitlbee: '+' is no nick character and becomes '_'
ABROAD = "+442071838750"
FIRST_FROM = "+16505550100"
SECOND_FROM = "+16505550101"
NICK = "rctester"
TAG = "ringcentral"  # the account tag bitlbee gives the first account of a protocol
PREFIX = "[RingCentral] "
STEPS = 12

def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Irc:
    """A line-based IRC client that keeps every line it got, for waiting on and for the record."""

    def __init__(self, port, transcript):
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=10)
        self.sock.settimeout(0.2)
        self.buf = b""
        self.lines = []  # (prefix, command, params) of every line received
        self.transcript = transcript

    def send(self, line):
        self.transcript.append(">> " + line)
        self.sock.sendall(line.encode("utf-8") + b"\r\n")

    def pump(self):
        try:
            data = self.sock.recv(65536)
        except socket.timeout:
            return
        if not data:
            raise Failed("bitlbee closed the IRC connection")
        self.buf += data
        while b"\r\n" in self.buf:
            raw, self.buf = self.buf.split(b"\r\n", 1)
            text = raw.decode("utf-8", "replace")
            self.transcript.append("<< " + text)
            msg = parse(text)
            if msg[1] == "PING":
                self.send("PONG :" + (msg[2][-1] if msg[2] else ""))
            self.lines.append(msg)

    def mark(self):
        """A position in the received lines, for waiting on what comes after it."""
        self.pump()
        return len(self.lines)

    def wait(self, pred, timeout, since):
        """The first line received from position @since on that satisfies pred, or None after
        timeout."""
        deadline = time.monotonic() + timeout
        while True:
            hit = next((m for m in self.lines[since:] if pred(m)), None)
            if hit or time.monotonic() > deadline:
                return hit
            self.pump()

    def wait_msg(self, sender, needle, timeout, since):
        return self.wait(lambda m: m[1] == "PRIVMSG" and nick_of(m[0]) == sender
                         and len(m[2]) >= 2 and needle in m[2][-1], timeout, since)

    def root_says(self, command, needle, timeout=15):
        """Sends @command to root in &bitlbee; root's first answer containing @needle."""
        since = self.mark()
        self.send(f"PRIVMSG &bitlbee :{command}")
        return self.wait_msg("root", needle, timeout, since)

    def close(self):
        try:
            self.sock.close()
        except OSError:
            pass


def parse(line):
    prefix = ""
    if line.startswith(":"):
        prefix, _, line = line[1:].partition(" ")
    if " :" in line:
        head, _, trailing = line.partition(" :")
        params = head.split() + [trailing]
    else:
        params = line.split()
    return prefix, (params[0].upper() if params else ""), params[1:]


def nick_of(prefix):
    return prefix.split("!", 1)[0]


def sms_with_text(sim, text):
    hit = tf.sms_with_text(sim, text)
    return hit[1] if hit else None


def write_config(path, userdir, plugindir, port):
    # No "User =": bitlbee would switch to that user and lose access to the private directory.
    with open(path, "w", encoding="utf-8") as f:
        f.write("[settings]\n"
                "RunMode = ForkDaemon\n"
                "DaemonInterface = 127.0.0.1\n"
                f"DaemonPort = {port}\n"
                "AuthMode = Open\n"
                f"ConfigDir = {userdir}\n"
                f"PluginDir = {plugindir}\n"
                f"PidFile = {os.path.join(userdir, 'bitlbee.pid')}\n"
                "[defaults]\n")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--sim", required=True)
    ap.add_argument("--plugin", required=True)
    ap.add_argument("--scenario", required=True)
    ap.add_argument("--artifacts", required=True)
    args = ap.parse_args()

    bitlbee = shutil.which("bitlbee") or ("/usr/sbin/bitlbee" if os.path.exists("/usr/sbin/bitlbee")
                                          else None)
    if not bitlbee:
        print("1..0 # SKIP bitlbee not installed (scripts/install-deps installs bitlbee-libpurple)")
        return 0

    with open(args.scenario, encoding="utf-8") as f:
        creds = json.load(f)["credentials"]
    work = tempfile.mkdtemp(prefix="rc-e2e-bitlbee-")
    userdir = os.path.join(work, "bitlbee")
    os.makedirs(userdir)
    plugindir = os.path.join(work, "plugins")
    os.makedirs(os.path.join(plugindir, "purple"))
    home = os.path.join(work, "home")
    os.makedirs(home)
    art = os.path.abspath(args.artifacts)
    os.makedirs(art, exist_ok=True)
    for old in os.listdir(art):
        os.unlink(os.path.join(art, old))
    transcript = []
    sim = bee = irc = None
    bee_err_path = os.path.join(work, "bitlbee.stderr")
    bee_err = open(bee_err_path, "wb")

    try:
        if asan_linked(args.plugin):
            raise Failed(f"{args.plugin} is built with ASan; bitlbee cannot load it")
        # bitlbee has libpurple search its PluginDir's purple/ besides libpurple's own folder (a
        # libpurple user directory's plugins/ is searched only by Pidgin and Finch).
        os.symlink(os.path.abspath(args.plugin),
                   os.path.join(plugindir, "purple", "libringcentral.so"))
        sim = Sim(args.sim, args.scenario, os.path.join(work, "rc-sim.log"))
        port = free_port()
        conf = os.path.join(work, "bitlbee.conf")
        write_config(conf, userdir, plugindir, port)
        env = dict(os.environ, HOME=home, LANG="C.UTF-8", LC_ALL="C.UTF-8",
                   NO_PROXY="127.0.0.1,localhost", no_proxy="127.0.0.1,localhost")
        # Its own process group: the forked per-client children are stopped with it.
        bee = subprocess.Popen([bitlbee, "-F", "-n", "-v", "-c", conf, "-d", userdir],
                               stdin=subprocess.DEVNULL, stdout=bee_err, stderr=bee_err, env=env,
                               start_new_session=True)

        def listening():
            if bee.poll() is not None:
                raise Failed(f"bitlbee exited with {bee.returncode}")
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                return True
            except OSError:
                return False
        if not wait_for(listening, 20, 0.2):
            raise Failed("bitlbee does not listen")

        # 1. Connect and register.
        irc = Irc(port, transcript)
        irc.send(f"NICK {NICK}")
        irc.send(f"USER {NICK} 0 * :RingCentral e2e")
        joined = irc.wait(lambda m: m[1] == "JOIN" and nick_of(m[0]) == NICK, 20, 0)
        if not ok(joined, "IRC client registers and joins &bitlbee"):
            raise Failed("no &bitlbee")

        # 2. The account, with the README's commands and keys (server_url: the simulator).
        added = irc.root_says(f"account add {TAG} demo@example.com {creds['jwt']}",
                              "Account successfully added")
        settings = [("server_url", sim.base), ("client_id", creds["client_id"]),
                    ("client_secret", creds["client_secret"]), ("default_from", FIRST_FROM)]
        set_ok = all(irc.root_says(f"account {TAG} set {k} {v}", f"{k} = ") for k, v in settings)
        if not ok(added and set_ok, "account add and account set (server_url, client_id, "
                                    "client_secret, default_from) are accepted"):
            raise Failed("account not set up")

        # 3. account on: signs on against the simulator.
        logged_in = irc.root_says(f"account {TAG} on", "Logged in", 30)
        synced = wait_for(lambda: any("message-sync" in r.get("path", "")
                                      for r in sim.requests()), 30)
        if not ok(logged_in and synced, "account on: bitlbee says Logged in, the plugin syncs"):
            raise Failed("no sign-on")

        # 4. add the Echo Bot: its nick is _1..., not +1... (the README says so).
        irc.root_says(f"add {TAG} {ECHO}", f"Adding `{ECHO}'")
        listed = irc.root_says("blist all", ECHO)
        nick = listed[2][-1].split()[0] if listed else None
        ok(nick == ECHO_NICK, f"the contact {ECHO} is the IRC user {ECHO_NICK} (got {nick!r})")
        nick = nick or ECHO_NICK

        # 5-6. Text it: the simulator gets it from number 1; the number in use is said in the query.
        text1 = "hello from bitlbee"
        since = irc.mark()
        irc.send(f"PRIVMSG {nick} :{text1}")
        body = wait_for(lambda: sms_with_text(sim, text1), 20)
        frm = ((body or {}).get("from") or {}).get("phoneNumber")
        to = [t.get("phoneNumber") for t in (body or {}).get("to") or []]
        ok(body and frm == FIRST_FROM and to == [ECHO],
           f"simulator got the text from {FIRST_FROM} to {ECHO} (from={frm} to={to})")
        said = irc.wait_msg(nick, PREFIX + "Sending from +1 650-555-0100", 15, since)
        ok(said, "the query shows '[RingCentral] Sending from +1 650-555-0100 ...' from the contact")

        # 7. The bot's reply.
        ok(irc.wait_msg(nick, f"You said: {text1}", 30, since),
           "the Echo Bot's reply shows in the query")

        # 8. /from lists the numbers in the query (sent as a message: the plugin runs it).
        since = irc.mark()
        irc.send(f"PRIVMSG {nick} :/from")
        head = irc.wait_msg(nick, PREFIX + "Send-from numbers", 15, since)
        second = irc.wait_msg(nick, PREFIX + "  2. +1 650-555-0101", 15, since)
        ok(head and second, "/from lists the send-from numbers in the query")

        # 9. /from 2 switches, and says so.
        since = irc.mark()
        irc.send(f"PRIVMSG {nick} :/from 2")
        ok(irc.wait_msg(nick, PREFIX + "Texts in this conversation now go out from "
                        "+1 650-555-0101", 15, since), "/from 2 answers in the query")

        # 10. The next text goes out from number 2.
        text2 = "second text from bitlbee"
        irc.send(f"PRIVMSG {nick} :{text2}")
        body = wait_for(lambda: sms_with_text(sim, text2), 20)
        frm = ((body or {}).get("from") or {}).get("phoneNumber")
        ok(frm == SECOND_FROM, f"the next text goes out from {SECOND_FROM} (got {frm})")

        # 11. An international text is refused, visibly, and never reaches RingCentral.
        irc.root_says(f"add {TAG} {ABROAD}", f"Adding `{ABROAD}'")
        abroad_nick = "_" + ABROAD[1:]
        text3 = "hello abroad"
        since = irc.mark()
        irc.send(f"PRIVMSG {abroad_nick} :{text3}")
        refused = irc.wait_msg(abroad_nick, PREFIX + "Could not send:", 15, since)
        ok(refused and "international" in refused[2][-1],
           "an international text is refused with '[RingCentral] Could not send: ... "
           f"international ...' (got {refused[2][-1] if refused else None!r})")

        # 12. The simulator's log agrees: commands never texted, the refused text never sent.
        texts = [b.get("text") for _, b in tf.sms_posts(sim)]
        ok(texts == [text1, text2], f"RingCentral got exactly the two texts (got {texts})")
    except Failed as e:
        diag(f"stopped early: {e}")
        for _ in range(STEPS - tf.tap_n):
            ok(False, "skipped after an earlier failure")
    except Exception as e:  # a crash of the driver is a failure, with its record kept
        diag(f"driver error: {e!r}")
        for _ in range(STEPS - tf.tap_n):
            ok(False, "skipped after a driver error")
    finally:
        if bee is not None and bee.poll() is not None:
            ok(False, "bitlbee stayed up")
            diag(f"bitlbee exited with {bee.returncode}")
        requests = []
        try:
            requests = sim.requests() if sim else []
        except Exception:
            pass
        if irc:
            try:
                irc.send("QUIT :done")
            except OSError:
                pass
            irc.close()
        if bee:
            stop_process(bee)
            try:
                os.killpg(bee.pid, signal.SIGTERM)
            except OSError:
                pass
        bee_err.close()
        if sim:
            sim.stop()
        if tf.failures or os.environ.get("RC_E2E_KEEP") == "1":
            with open(os.path.join(art, "irc-transcript.txt"), "w", encoding="utf-8") as f:
                f.write("\n".join(transcript) + "\n")
            with open(os.path.join(art, "sim-requests.json"), "w", encoding="utf-8") as f:
                json.dump(requests, f, indent=1)
            for name in ("bitlbee.stderr", "rc-sim.log"):
                if os.path.exists(os.path.join(work, name)):
                    shutil.copy(os.path.join(work, name), os.path.join(art, name))
            diag(f"artifacts kept in {art}")
            diag("IRC transcript (last 60 lines):\n" + "\n".join(transcript[-60:]))
        shutil.rmtree(work, ignore_errors=True)
    print(f"1..{tf.tap_n}", flush=True)
    return 1 if tf.failures else 0


if __name__ == "__main__":
    sys.exit(main())
