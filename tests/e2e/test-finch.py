#!/usr/bin/env python3
"""End-to-end: real Finch in tmux, the built plugin, the simulator on the demo scenario.

Opens a conversation with the Echo Bot from the buddy list, checks that the window's title names the
number in use, texts it, checks what the simulator got and that the bot's reply shows in Finch; then
/from lists the numbers, /from 2 switches (and the title follows), and the next text goes out from
number 2. Prints TAP. Also the helpers of the other end-to-end tests (test-finch-group.py, test-bitlbee.py:
TAP, the simulator process, waiting, the Finch driver). Screen captures, Finch's stderr, the simulator's log and
request list are kept in --artifacts when a step fails (and always with RC_E2E_KEEP=1).
"""
import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request

ECHO_NAME = "Echo Bot"
ECHO = "+16505550199"
FIRST_FROM = "+16505550100"
SECOND_FROM = "+16505550101"
STEPS = 11

tap_n = 0
failures = 0


def ok(cond, what):
    global tap_n, failures
    tap_n += 1
    print(f"{'ok' if cond else 'not ok'} {tap_n} - {what}", flush=True)
    if not cond:
        failures += 1
    return cond


def diag(text):
    for line in str(text).splitlines():
        print(f"# {line}", flush=True)


class Failed(Exception):
    pass


class Sim:
    def __init__(self, exe, scenario, logpath):
        self.log = open(logpath, "wb")
        self.proc = subprocess.Popen([exe, "--scenario", scenario], stdout=subprocess.PIPE,
                                     stderr=self.log, stdin=subprocess.DEVNULL)
        self.port = None
        deadline = time.monotonic() + 30
        # rc-sim prints exactly one line RC_SIM_PORT=N when it listens.
        line = b""
        while time.monotonic() < deadline:
            line = self.proc.stdout.readline()
            if not line or line.startswith(b"RC_SIM_PORT="):
                break
        if not line.startswith(b"RC_SIM_PORT="):
            raise Failed(f"rc-sim did not report its port (exit {self.proc.poll()})")
        self.port = int(line.split(b"=", 1)[1])
        self.base = f"http://127.0.0.1:{self.port}"
        # Loopback only: never through a proxy from the environment.
        self.opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))

    def requests(self):
        with self.opener.open(self.base + "/_sim/requests", timeout=10) as r:
            return json.load(r)

    def stop(self):
        stop_process(self.proc)
        self.log.close()


def stop_process(proc):
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


class Finch:
    def __init__(self, cfg, home, stderr_path, env_extra):
        self.sock = f"rc-e2e-{os.getpid()}"
        env = " ".join(f"{k}={shquote(v)}" for k, v in env_extra.items())
        # The shell stays after Finch exits so the last screen and the exit status can be read.
        inner = (f"env {env} finch -c {shquote(cfg)} 2>{shquote(stderr_path)}; "
                 "echo FINCH-EXITED status=$?; sleep 600")
        self.tmux("new-session", "-d", "-s", "finch", "-x", "150", "-y", "40", "sh", "-c", inner,
                  home=home)

    def tmux(self, *args, home=None, check=True):
        env = dict(os.environ)
        if home:
            env["HOME"] = home
        return subprocess.run(["tmux", "-L", self.sock, "-f", "/dev/null", *args], env=env,
                              check=check, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                              timeout=30)

    def capture(self):
        r = self.tmux("capture-pane", "-p", "-t", "finch", check=False)
        return r.stdout.decode("utf-8", "replace")

    def keys(self, *keys, literal=False):
        args = ["send-keys", "-t", "finch"] + (["-l"] if literal else []) + list(keys)
        self.tmux(*args)

    def type_line(self, text):
        self.keys(text, literal=True)
        time.sleep(0.3)
        self.keys("Enter")

    def stop(self):
        self.tmux("kill-server", check=False)


def shquote(s):
    return "'" + str(s).replace("'", "'\\''") + "'"


def wait_for(pred, timeout, step=0.3):
    deadline = time.monotonic() + timeout
    while True:
        v = pred()
        if v:
            return v
        if time.monotonic() > deadline:
            return None
        time.sleep(step)


def sms_posts(sim):
    out = []
    for r in sim.requests():
        if r.get("method") == "POST" and r.get("path", "").endswith("/sms"):
            try:
                body = json.loads(r.get("body") or "null")
            except ValueError:
                body = None
            out.append((r, body if isinstance(body, dict) else {}))
    return out


def sms_with_text(sim, text):
    for r, body in sms_posts(sim):
        if body.get("text") == text:
            return r, body
    return None


def title_has(screen, text):
    """True when a window frame line (the title sits in the top border) shows "Echo Bot <text>"."""
    return any("┤" in line and f"{ECHO_NAME} {text}" in line for line in screen.splitlines())


def asan_linked(plugin):
    """True when the plugin needs the ASan runtime, which Finch and bitlbee (uninstrumented) cannot
    host: preloading it hangs Finch at start. meson passes a plugin built without sanitizers."""
    try:
        ldd = subprocess.run(["ldd", plugin], stdout=subprocess.PIPE, text=True, check=True).stdout
    except (OSError, subprocess.CalledProcessError):
        return False
    return any(line.split()[0].startswith("libasan.so") for line in ldd.splitlines() if line.split())


def run_finch_test(work_prefix, steps, script):
    """The driver of the Finch tests (this one, test-finch-group.py): options, a skip when finch or
    tmux is missing, the simulator on --scenario, a seeded libpurple config with the Echo Bot as
    buddy, Finch in tmux, the sign-on check (TAP step 1), then script(sim, finch, snap) for the
    other steps; afterwards Finch must still be up with no sanitizer report, and screens, Finch's
    stderr, the simulator's log and request list go to --artifacts when a step failed (always
    with RC_E2E_KEEP=1). @steps: the number of TAP steps, so that those not reached count as
    failures. snap(label) returns the screen and keeps it when it changed. Returns the exit
    status."""
    ap = argparse.ArgumentParser()
    ap.add_argument("--sim", required=True)
    ap.add_argument("--plugin", required=True)
    ap.add_argument("--scenario", required=True)
    ap.add_argument("--seed", required=True, help="scripts/seed-purple-config.py")
    ap.add_argument("--artifacts", required=True)
    args = ap.parse_args()

    for tool in ("finch", "tmux"):
        if not shutil.which(tool):
            print(f"1..0 # SKIP {tool} not installed (scripts/install-deps installs it)")
            return 0

    work = tempfile.mkdtemp(prefix=work_prefix)
    cfg = os.path.join(work, "purple")
    home = os.path.join(work, "home")
    os.makedirs(home)
    art = os.path.abspath(args.artifacts)
    os.makedirs(art, exist_ok=True)
    for old in os.listdir(art):
        os.unlink(os.path.join(art, old))
    finch_err = os.path.join(work, "finch.stderr")
    screens = []
    sim = finch = None

    def snap(label):
        text = finch.capture() if finch else ""
        # Polling repeats the same screen: keep only changes.
        if not screens or screens[-1][1] != text:
            screens.append((label, text))
        return text

    try:
        if asan_linked(args.plugin):
            raise Failed(f"{args.plugin} is built with ASan; Finch cannot load it (see meson.build)")
        sim = Sim(args.sim, args.scenario, os.path.join(work, "rc-sim.log"))
        subprocess.run([sys.executable, args.seed, "--dir", cfg, "--plugin", args.plugin,
                        "--server-url", sim.base, "--scenario", args.scenario,
                        "--contact", ECHO_NAME, "--sync-interval", "1"], check=True)
        env = {"LANG": "C.UTF-8", "LC_ALL": "C.UTF-8", "TERM": "screen-256color", "HOME": home,
               "NO_PROXY": "127.0.0.1,localhost", "no_proxy": "127.0.0.1,localhost"}
        finch = Finch(cfg, home, finch_err, env)

        # 1. Signed on: the plugin reached the message-sync step and the buddy shows.
        def signed_on():
            reqs = sim.requests()
            synced = any("message-sync" in r.get("path", "") for r in reqs)
            return synced and ECHO_NAME in snap("waiting for sign-on")
        if not ok(wait_for(signed_on, 60, 0.5), "Finch signs on (message-sync done, buddy listed)"):
            raise Failed("no sign-on")
        script(sim, finch, snap)
        snap("end")
    except Failed as e:
        diag(f"stopped early: {e}")
        for _ in range(steps - tap_n):
            ok(False, "skipped after an earlier failure")
    except Exception as e:  # a crash of the driver is a failure, with its screens kept
        diag(f"driver error: {e!r}")
        for _ in range(steps - tap_n):
            ok(False, "skipped after a driver error")
    finally:
        last = finch.capture() if finch else ""
        if "FINCH-EXITED" in last:
            ok(False, "Finch stayed up")
            diag("Finch exited during the test")
        try:
            with open(finch_err, encoding="utf-8", errors="replace") as f:
                err = f.read()
        except OSError:
            err = ""
        if "AddressSanitizer" in err or "runtime error:" in err:
            ok(False, "no sanitizer report from Finch")
            diag(err[-4000:])
        requests = []
        try:
            requests = sim.requests() if sim else []
        except Exception:
            pass
        if finch:
            finch.stop()
        if sim:
            sim.stop()
        if failures or os.environ.get("RC_E2E_KEEP") == "1":
            for i, (label, text) in enumerate(screens[-40:]):
                with open(os.path.join(art, f"screen-{i:02d}.txt"), "w", encoding="utf-8") as f:
                    f.write(f"[{label}]\n{text}")
            with open(os.path.join(art, "screen-last.txt"), "w", encoding="utf-8") as f:
                f.write(last)
            with open(os.path.join(art, "sim-requests.json"), "w", encoding="utf-8") as f:
                json.dump(requests, f, indent=1)
            for name in ("finch.stderr", "rc-sim.log"):
                if os.path.exists(os.path.join(work, name)):
                    shutil.copy(os.path.join(work, name), os.path.join(art, name))
            diag(f"artifacts kept in {art}")
            diag("last screen:\n" + last)
        shutil.rmtree(work, ignore_errors=True)
    print(f"1..{tap_n}", flush=True)
    return 1 if failures else 0


def steps(sim, finch, snap):
    # 2-3. Open the conversation (select the buddy under its group and activate it); its title
    # names the number in use.
    finch.keys("Down")
    time.sleep(0.5)
    finch.keys("Enter")
    opened = wait_for(lambda: "Sending from +1 650-555-0100" in snap("opening conversation"), 20)
    if not ok(opened, "conversation with the Echo Bot opens and says which number it sends from"):
        raise Failed("no conversation")
    # The window's frame shows "<title> [from <number>] (<account> -- RingCentral)".
    ok(wait_for(lambda: title_has(snap("title"), "[from +1 650-555-0100]"), 10),
       "the conversation's title shows 'Echo Bot [from +1 650-555-0100]'")

    # 4-5. Text the bot.
    text1 = "hello from finch"
    finch.type_line(text1)
    hit = wait_for(lambda: sms_with_text(sim, text1), 20)
    ok(hit, f"simulator got POST .../sms with text {text1!r}")
    if hit:
        body = hit[1]
        to = [t.get("phoneNumber") for t in body.get("to") or []]
        ok(to == [ECHO] and (body.get("from") or {}).get("phoneNumber") == FIRST_FROM,
           f"first text goes from {FIRST_FROM} to {ECHO} (got from={body.get('from')} to={to})")
    else:
        ok(False, "first text from/to")

    # 6. The bot's reply arrives through message-sync.
    reply = f"You said: {text1}"
    ok(wait_for(lambda: reply in snap("waiting for reply"), 30), f"reply {reply!r} shows in Finch")

    # 7. /from lists the numbers.
    finch.type_line("/from")
    listed = wait_for(lambda: ("Send-from numbers" in (s := snap("/from"))
                               and "2. +1 650-555-0101" in s), 15)
    ok(listed, "/from lists the send-from numbers")

    # 8-9. /from 2 switches, and the title follows.
    finch.type_line("/from 2")
    switched = wait_for(lambda: "now go out from +1 650-555-0101" in snap("/from 2"), 15)
    ok(switched, "/from 2 switches to +1 650-555-0101")
    ok(wait_for(lambda: title_has(snap("title after /from 2"), "[from +1 650-555-0101]"), 10),
       "after /from 2 the title shows 'Echo Bot [from +1 650-555-0101]'")

    # 10-11. The next text goes out from number 2; the commands were never texted.
    text2 = "second text from finch"
    finch.type_line(text2)
    hit = wait_for(lambda: sms_with_text(sim, text2), 20)
    frm = ((hit[1].get("from") or {}).get("phoneNumber")) if hit else None
    ok(frm == SECOND_FROM, f"next text goes out from {SECOND_FROM} (got {frm})")
    texts = [b.get("text") for _, b in sms_posts(sim)]
    ok(not any((t or "").startswith("/from") for t in texts),
       f"/from commands are never texted (texts sent: {texts})")


def main():
    return run_finch_test("rc-e2e-", STEPS, steps)


if __name__ == "__main__":
    sys.exit(main())
