#!/usr/bin/env python3
"""Pidgin GUI test: the RingCentral default-number chooser really opens in Pidgin.

Starts the RingCentral simulator (rc-sim) on a scenario, seeds a throw-away Pidgin config dir with
the plugin, one auto-login RingCentral account and the test-only rcp-test-opener plugin, runs Pidgin
on a private Xvfb display, and then checks, in order:
  1. the opener saw the account sign on and ran "Set Default Send-From Number...";
  2. the dialog that action asked for lists exactly the scenario's texting numbers;
  3. a window with that dialog's title is mapped on the X server;
  4. the simulator answered the plugin's sign-in (token) and numbers requests.
It saves a PNG of the dialog (and the buddy list) to --output, the test artifact; with
--update-docs it also copies it to --docs-output (docs/sender-picker.png, used by the README).

Debian packages: pidgin xvfb xdotool imagemagick python3 (libc-bin for ldd); openbox is optional
(title bars in the picture, used when installed) and needed for --update-docs.
Run by `meson test --suite pidgin`; refresh the README picture with
`meson test -C BUILDDIR --suite pidgin --test-args=--update-docs`.
Exit status: 0 pass, 1 fail (with the reason on stderr and logs next to --output).
"""

import argparse
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from xml.sax.saxutils import escape as xml_escape

ACTION_LABEL = "Set Default Send-From Number..."
ACCOUNT_NAME = "demo.user@example.com"
PIDGIN_UI = "gtk-gaim"
SCREEN = (1280, 800)
BACKDROP = "#5b6770"
TOOLS = {
    "Xvfb": "xvfb",
    "pidgin": "pidgin",
    "xdotool": "xdotool",
    "import": "imagemagick",
    "display": "imagemagick",
    "convert": "imagemagick",
    "ldd": "libc-bin",
}

# Waits are deadlines for polling loops, generous for a busy 2-core machine with ASan.
SIM_START_S = 30
XVFB_START_S = 30
DIALOG_S = 75
WINDOW_S = 30
POLL_S = 0.25


class TestFailure(Exception):
    pass


def log(msg):
    print(f"pidgin-picker: {msg}", flush=True)


def wait_for(what, timeout, probe, check_alive=None):
    """Polls probe() until it returns something truthy; fails after timeout seconds."""
    deadline = time.monotonic() + timeout
    while True:
        if check_alive is not None:
            check_alive()
        result = probe()
        if result:
            return result
        if time.monotonic() > deadline:
            raise TestFailure(f"timed out after {timeout} s waiting for {what}")
        time.sleep(POLL_S)


class Processes:
    """Everything started here, torn down in reverse order whatever happens."""

    def __init__(self):
        self.procs = []

    def start(self, name, argv, **kw):
        # Same process group as this script on purpose: when meson times the test out it signals
        # the whole group (SIGTERM, then SIGKILL 0.5 s later), so nothing outlives the test even
        # if this script's own teardown is cut short.
        proc = subprocess.Popen(argv, **kw)
        self.procs.append((name, proc))
        return proc

    def check_alive(self, name, proc, log_path=None):
        code = proc.poll()
        if code is not None:
            tail = ""
            if log_path and os.path.exists(log_path):
                with open(log_path, errors="replace") as f:
                    tail = "".join(f.readlines()[-40:])
            raise TestFailure(f"{name} exited early with status {code}\n{tail}")

    @staticmethod
    def stop(name, proc, grace=10):
        """SIGTERM, then SIGKILL after grace seconds; returns the exit status."""
        if proc.poll() is None:
            proc.terminate()
            try:
                proc.wait(timeout=grace)
            except subprocess.TimeoutExpired:
                log(f"{name} ignored SIGTERM for {grace} s, killing it")
                proc.kill()
                proc.wait(timeout=10)
        return proc.returncode

    def stop_all(self):
        for name, proc in reversed(self.procs):
            self.stop(name, proc)
        self.procs.clear()


def asan_runtime(*shared_objects):
    """Path of libasan when one of the .so files needs it (a -Db_sanitize=address build)."""
    for so in shared_objects:
        out = subprocess.run(["ldd", so], capture_output=True, text=True).stdout
        m = re.search(r"^\s*libasan\.so\S*\s+=>\s+(\S+)", out, re.M)
        if m:
            return m.group(1)
    return None


def start_sim(procs, args, logdir):
    err = open(os.path.join(logdir, "rc-sim.log"), "w")
    proc = procs.start("rc-sim", [args.sim, "--scenario", args.scenario],
                       stdout=subprocess.PIPE, stderr=err, text=True, env=child_env())
    port = {}

    def reader():
        # Keeps draining stdout so the simulator never blocks on a full pipe.
        for line in proc.stdout:
            err.write(line)
            err.flush()
            m = re.match(r"RC_SIM_PORT=(\d+)\s*$", line)
            if m and "port" not in port:
                port["port"] = int(m.group(1))

    threading.Thread(target=reader, daemon=True).start()
    return proc, wait_for("rc-sim to print RC_SIM_PORT=N", SIM_START_S, lambda: port.get("port"),
                          lambda: procs.check_alive("rc-sim", proc, err.name))


def start_xvfb(procs, logdir):
    rfd, wfd = os.pipe()
    err = open(os.path.join(logdir, "xvfb.log"), "w")
    proc = procs.start("Xvfb", ["Xvfb", "-displayfd", str(wfd), "-screen", "0",
                                f"{SCREEN[0]}x{SCREEN[1]}x24", "-nolisten", "tcp", "-noreset"],
                       pass_fds=(wfd,), stdout=err, stderr=subprocess.STDOUT)
    os.close(wfd)
    os.set_blocking(rfd, False)
    buf = bytearray()

    def display():
        try:
            chunk = os.read(rfd, 64)
        except BlockingIOError:
            return None
        buf.extend(chunk)
        if b"\n" in buf:
            return ":" + buf.split(b"\n")[0].decode().strip()
        if not chunk:
            raise TestFailure("Xvfb closed -displayfd without naming a display")
        return None

    try:
        disp = wait_for("Xvfb to report its display", XVFB_START_S, display,
                        lambda: procs.check_alive("Xvfb", proc, err.name))
    finally:
        os.close(rfd)
    return proc, disp


def child_env(**extra):
    env = dict(os.environ)
    # Leak checking of a GTK app is noise; UBSan stack traces help when it fires.
    env["ASAN_OPTIONS"] = "detect_leaks=0:" + env.get("ASAN_OPTIONS", "")
    env.setdefault("UBSAN_OPTIONS", "print_stacktrace=1")
    env.update(extra)
    return env


def seed_config(confdir, args, port):
    plugins = os.path.join(confdir, "plugins")
    os.makedirs(plugins)
    prpl = shutil.copy(args.prpl, plugins)
    opener = shutil.copy(args.opener, plugins)

    settings = {
        "server_url": f"http://127.0.0.1:{port}",
        "client_id": "demo-client-id",
        "client_secret": "demo-client-secret",
        "auth_method": "jwt",
    }
    rows = "\n".join(f"      <setting name='{k}' type='string'>{xml_escape(v)}</setting>"
                     for k, v in settings.items())
    with open(os.path.join(confdir, "accounts.xml"), "w") as f:
        f.write(f"""<?xml version='1.0' encoding='UTF-8' ?>
<account version='1.0'>
  <account>
    <protocol>prpl-ringcentral</protocol>
    <name>{xml_escape(ACCOUNT_NAME)}</name>
    <password>demo-jwt</password>
    <settings>
{rows}
      <setting name='sync_interval' type='int'>3</setting>
    </settings>
    <settings ui='{PIDGIN_UI}'>
      <setting name='auto-login' type='bool'>1</setting>
    </settings>
  </account>
</account>
""")
    # The scenario's contacts as buddies, so the buddy list in the picture is not empty.
    with open(args.scenario) as f:
        contacts = json.load(f).get("contacts", [])
    buddies = "\n".join(
        f"""   <contact><buddy account='{xml_escape(ACCOUNT_NAME)}' proto='prpl-ringcentral'>
    <name>{xml_escape(c["phone_number"])}</name><alias>{xml_escape(c.get("name", ""))}</alias>
   </buddy></contact>""" for c in contacts if c.get("phone_number"))
    with open(os.path.join(confdir, "blist.xml"), "w") as f:
        f.write(f"""<?xml version='1.0' encoding='UTF-8' ?>
<purple version='1.0'>
 <blist>
  <group name='Texts'>
{buddies}
  </group>
 </blist>
</purple>
""")
    # pidgin/gtkmain.c: purple_plugins_load_saved(PIDGIN_PREFS_ROOT "/plugins/loaded").
    with open(os.path.join(confdir, "prefs.xml"), "w") as f:
        f.write(f"""<?xml version='1.0' encoding='UTF-8' ?>
<pref version='1' name='/'>
  <pref name='pidgin'>
    <pref name='plugins'>
      <pref name='loaded' type='pathlist'>
        <item value='{xml_escape(opener)}'/>
      </pref>
    </pref>
    <pref name='sound'>
      <pref name='method' type='string' value='none'/>
    </pref>
    <pref name='docklet'>
      <pref name='show' type='string' value='never'/>
    </pref>
    <pref name='blist'>
      <pref name='list_visible' type='bool' value='1'/>
      <pref name='show_offline_buddies' type='bool' value='1'/>
      <pref name='width' type='int' value='260'/>
      <pref name='height' type='int' value='420'/>
      <pref name='x' type='int' value='0'/>
      <pref name='y' type='int' value='0'/>
    </pref>
  </pref>
</pref>
""")
    return prpl, opener


def read_report(path):
    events = []
    if os.path.exists(path):
        with open(path, errors="replace") as f:
            for line in f:
                key, _, value = line.rstrip("\n").partition("\t")
                events.append((key, value))
    return events


def ere_escape(text):
    """Escapes text for xdotool's POSIX extended regular expressions."""
    return re.sub(r"([.\[\]()*+?{}|^$\\])", r"\\\1", text)


def xdotool(display, *argv):
    res = subprocess.run(["xdotool", *argv], capture_output=True, text=True,
                         env=child_env(DISPLAY=display), timeout=30)
    return res.returncode, res.stdout


def find_window(display, title):
    code, out = xdotool(display, "search", "--onlyvisible", "--name", f"^{ere_escape(title)}$")
    ids = out.split()
    return ids[0] if code == 0 and ids else None


def geometry(display, wid):
    code, out = xdotool(display, "getwindowgeometry", "--shell", wid)
    if code != 0:
        raise TestFailure(f"xdotool getwindowgeometry {wid} failed")
    g = dict(line.split("=", 1) for line in out.split() if "=" in line)
    return int(g["X"]), int(g["Y"]), int(g["WIDTH"]), int(g["HEIGHT"])


def digits(text):
    return re.sub(r"\D", "", text)


def check_choices(events, scenario_path):
    """The dialog must offer every texting number of the scenario and nothing else."""
    with open(scenario_path) as f:
        numbers = json.load(f).get("numbers", [])
    texting = [n["phoneNumber"] for n in numbers if "SmsSender" in n.get("features", [])]
    other = [n["phoneNumber"] for n in numbers if "SmsSender" not in n.get("features", [])]
    choices = [v for k, v in events if k == "choice"]
    if not choices:
        raise TestFailure("the chooser dialog has no choice or list field")
    flat = [digits(c) for c in choices]
    for number in texting:
        if not any(digits(number)[-10:] in c for c in flat):
            raise TestFailure(f"the chooser does not list texting number {number}: {choices}")
    for number in other:
        if any(digits(number)[-10:] in c for c in flat):
            raise TestFailure(f"the chooser lists {number}, which cannot send texts: {choices}")
    if len(choices) != len(texting):
        raise TestFailure(f"the chooser has {len(choices)} choices, expected {len(texting)}: "
                          f"{choices}")
    return choices


def check_sim(port):
    url = f"http://127.0.0.1:{port}/_sim/requests"
    with urllib.request.urlopen(url, timeout=10) as r:
        requests = json.load(r)

    def answered(method, pattern):
        return any(q.get("method") == method and re.search(pattern, q.get("path", ""))
                   and q.get("status") == 200 for q in requests)

    if not answered("POST", r"^/restapi/oauth/token$"):
        raise TestFailure(f"the simulator saw no successful POST /restapi/oauth/token: {requests}")
    if not answered("GET", r"/extension/[^/]+/phone-number$"):
        raise TestFailure("the simulator saw no successful GET .../extension/~/phone-number")
    return len(requests)


def screenshot(display, out_png, full_png):
    """Full root window to full_png; out_png: the windows only, trimmed from the backdrop."""
    env = child_env(DISPLAY=display)
    subprocess.run(["import", "-window", "root", full_png], check=True, env=env, timeout=60)
    # Trimming the uniform backdrop keeps window-manager frames whole, which the client geometry
    # xdotool reports under a reparenting window manager does not.
    subprocess.run(["convert", full_png, "-trim", "+repage", "-bordercolor", BACKDROP,
                    "-border", "12", out_png], check=True, env=env, timeout=60)
    if not os.path.getsize(out_png):
        raise TestFailure(f"{out_png} is empty")


class Started:
    """What start_pidgin() started: sim, port, confdir, display, pidgin, pidgin_log (open file),
    pidgin_log_path, and alive() (raises TestFailure when Pidgin, rc-sim or Xvfb died)."""


def start_pidgin(procs, args, workdir, logdir, report_path, opener_env, plugins=(), say=log):
    """Starts what every Pidgin GUI test needs, in order: the simulator on --scenario, a seeded
    libpurple config (the protocol plugin, rcp-test-opener, and @plugins copied into its plugins/
    directory), Xvfb with a slate backdrop, openbox when --wm (title bars in the picture), and
    Pidgin on that config with -d (its debug log in logdir/pidgin.log), no session bus and the
    ASan runtime preloaded when the plugins need it. @opener_env: RCP_TEST_OPENER_* settings
    (rcp-test-opener writes its report to @report_path). Returns a Started."""
    st = Started()
    st.sim, st.port = start_sim(procs, args, logdir)
    say(f"rc-sim listening on port {st.port}")
    st.confdir = os.path.join(workdir, "purple")
    prpl, opener = seed_config(st.confdir, args, st.port)
    copied = [shutil.copy(p, os.path.join(st.confdir, "plugins")) for p in plugins]

    xvfb, st.display = start_xvfb(procs, logdir)
    say(f"Xvfb on display {st.display}")
    # Cosmetic: a slate backdrop instead of black around the windows in the picture.
    # (ImageMagick's display sets the root background and exits; its status is not useful.)
    subprocess.run(["display", "-window", "root", "-size", "8x8", "xc:" + BACKDROP],
                   env=child_env(DISPLAY=st.display), stdout=subprocess.DEVNULL,
                   stderr=subprocess.DEVNULL, timeout=30)

    home = os.path.join(workdir, "home")
    os.makedirs(home)
    if args.wm:
        # Optional: a window manager only adds title bars to the picture.
        wm_log = os.path.join(logdir, "openbox.log")
        wm = procs.start("openbox", ["openbox", "--sm-disable"],
                         stdout=open(wm_log, "w"), stderr=subprocess.STDOUT,
                         env=child_env(DISPLAY=st.display, HOME=home))
        # EWMH desktops answer once openbox manages the screen.
        wait_for("openbox to manage the screen", XVFB_START_S,
                 lambda: xdotool(st.display, "get_num_desktops")[0] == 0,
                 lambda: procs.check_alive("openbox", wm, wm_log))
        say("openbox manages the screen")
    extra = {
        "DISPLAY": st.display,
        "HOME": home,
        "XDG_CONFIG_HOME": os.path.join(home, ".config"),
        "XDG_DATA_HOME": os.path.join(home, ".local", "share"),
        "XDG_CACHE_HOME": os.path.join(home, ".cache"),
        # No session bus: Pidgin must not find (or talk to) the user's running Pidgin.
        "DBUS_SESSION_BUS_ADDRESS": f"unix:path={workdir}/no-bus",
        "NO_AT_BRIDGE": "1",
        "LANG": "C.UTF-8",
        "LC_ALL": "C.UTF-8",
        "LANGUAGE": "",
        "RCP_TEST_OPENER_REPORT": report_path,
        **opener_env,
    }
    asan = asan_runtime(prpl, opener, *copied)
    if asan:
        # Pidgin itself is not instrumented: the runtime has to come first.
        extra["LD_PRELOAD"] = asan
        say(f"sanitized build: LD_PRELOAD={asan}")
    st.pidgin_log_path = os.path.join(logdir, "pidgin.log")
    st.pidgin_log = open(st.pidgin_log_path, "w")
    st.pidgin = procs.start("pidgin", ["pidgin", "-m", "-f", "-d", "-c", st.confdir],
                            stdout=st.pidgin_log, stderr=subprocess.STDOUT,
                            env=child_env(**extra))

    def alive():
        for name, proc, path in (("pidgin", st.pidgin, st.pidgin_log_path),
                                 ("rc-sim", st.sim, os.path.join(logdir, "rc-sim.log")),
                                 ("Xvfb", xvfb, os.path.join(logdir, "xvfb.log"))):
            procs.check_alive(name, proc, path)
    st.alive = alive
    return st


def run(args, workdir, logdir):
    procs = Processes()
    try:
        report_path = os.path.join(workdir, "opener-report.txt")
        started = start_pidgin(procs, args, workdir, logdir, report_path, {}, say=log)
        display, alive = started.display, started.alive

        def dialog_title():
            events = read_report(report_path)
            for key, value in events:
                if key == "error":
                    raise TestFailure(f"rcp-test-opener: {value}")
                if key == "no-action":
                    wanted = os.environ.get("RCP_TEST_OPENER_ACTION") or ACTION_LABEL
                    raise TestFailure(f"prpl-ringcentral has no action \"{wanted}\"; "
                                      f"it offers: {value or 'none'}")
            titles = [v for k, v in events if k == "title"]
            return titles[:1]

        try:
            [title] = wait_for("the chooser dialog to be requested (sign-on, then the action)",
                               DIALOG_S, dialog_title, alive)
        except TestFailure as e:
            seen = "; ".join(f"{k} {v}".strip() for k, v in read_report(report_path))
            raise TestFailure(f"{e}\nrcp-test-opener saw: {seen or 'nothing (not loaded?)'}")
        if not title:
            raise TestFailure("the chooser dialog has no title, so users cannot tell what it is")
        log(f"the action asked for a dialog titled \"{title}\"")

        wid = wait_for(f"a visible window titled \"{title}\"", WINDOW_S,
                       lambda: find_window(display, title), alive)
        dx, dy, dw, dh = geometry(display, wid)
        if dw < 50 or dh < 50:
            raise TestFailure(f"the chooser window is only {dw}x{dh}")
        log(f"window {wid} \"{title}\" is mapped, {dw}x{dh} at {dx},{dy}")

        # The record is complete once the window exists (it is written before the dialog).
        choices = check_choices(read_report(report_path), args.scenario)
        log(f"the chooser offers: {'; '.join(choices)}")
        n = check_sim(started.port)
        log(f"the simulator answered the sign-in and the numbers request ({n} requests)")

        # Place the buddy list and the dialog side by side for the picture.
        blist = find_window(display, "Buddy List")
        if blist:
            xdotool(display, "windowmove", "--sync", blist, "20", "20")
            bx, by, bw, bh = geometry(display, blist)
            xdotool(display, "windowmove", "--sync", wid, str(bx + bw + 24), "60")
        # A little taller, so a list of numbers shows without a scroll bar when it can.
        xdotool(display, "windowsize", "--sync", wid, str(dw), str(dh + 40))
        # Let GTK repaint after the moves (a settle time for the picture, not an assertion).
        time.sleep(1.0)
        full = os.path.join(logdir, "screen.png")
        screenshot(display, args.output, full)
        log(f"screenshot: {args.output} (full screen: {full})")

        quit_pidgin(procs, started, log)
        update_docs(args, log)
    finally:
        procs.stop_all()
        report_path = os.path.join(workdir, "opener-report.txt")
        if os.path.exists(report_path):
            shutil.copy(report_path, logdir)


def quit_pidgin(procs, started, say):
    """Pidgin quits cleanly on SIGTERM (sign-off, plugin unload): that path runs the plugin's
    close/unload code, so a crash, a non-zero status or a sanitizer report in its log fails.
    @started: what start_pidgin() returned."""
    code = procs.stop("pidgin", started.pidgin, grace=30)
    started.pidgin_log.close()
    with open(started.pidgin_log_path, errors="replace") as f:
        sanitizer = [line.rstrip() for line in f
                     if "ERROR: AddressSanitizer" in line or ": runtime error:" in line]
    if sanitizer:
        raise TestFailure("sanitizer report in Pidgin:\n" + "\n".join(sanitizer[:10]))
    if code != 0:
        raise TestFailure(f"Pidgin exited with status {code} when asked to quit")
    say("Pidgin quit cleanly")


def update_docs(args, say):
    """With --update-docs, copies the picture to --docs-output (the one in docs/)."""
    if args.update_docs:
        os.makedirs(os.path.dirname(args.docs_output), exist_ok=True)
        shutil.copyfile(args.output, args.docs_output)
        say(f"updated {args.docs_output}")


def test_main(name, doc, run_test, docs_png, companion=None):
    """The command line and driver of every Pidgin GUI test (this one, pidgin-from-selector.py,
    pidgin-group-picture.py): common options, the tools check, SIGTERM from meson turned into a
    failure so teardown runs, a fresh log directory beside --output, a temporary working
    directory, and one PASS/FAIL line. @companion: None (no --companion), "required" or
    "optional". Returns the exit status."""
    p = argparse.ArgumentParser(description=doc.split("\n")[0])
    p.add_argument("--prpl", required=True, help="built libringcentral.so")
    if companion is not None:
        p.add_argument("--companion", required=companion == "required",
                       help="built ringcentral-from.so")
    p.add_argument("--opener", required=True, help="built rcp-test-opener.so")
    p.add_argument("--sim", required=True, help="built rc-sim program")
    p.add_argument("--scenario", required=True, help="simulator scenario (demo.json)")
    p.add_argument("--output", required=True, help="where the PNG artifact goes")
    p.add_argument("--docs-output", help=f"docs/{docs_png} in the source tree")
    p.add_argument("--update-docs", action="store_true",
                   help="also copy the screenshot to --docs-output")
    p.add_argument("--wm", default="auto", choices=["auto", "openbox", "none"],
                   help="window manager for title bars in the picture (auto: openbox if present;"
                   " --update-docs needs it)")
    p.add_argument("--keep", action="store_true", help="keep the temporary directory")
    args = p.parse_args()
    if args.update_docs and not args.docs_output:
        p.error("--update-docs needs --docs-output")

    if args.wm == "auto":
        args.wm = "openbox" if shutil.which("openbox") else "none"
        if args.update_docs and args.wm == "none":
            p.error("--update-docs needs openbox (Debian package openbox) for window title bars")
    tools = dict(TOOLS)
    if args.wm == "none":
        args.wm = None
    else:
        tools["openbox"] = "openbox"
    missing = [f"{tool} (Debian package {pkg})" for tool, pkg in tools.items()
               if shutil.which(tool) is None]
    if missing:
        print(f"{name}: FAIL: missing " + ", ".join(missing), file=sys.stderr)
        return 1

    # meson sends SIGTERM on timeout: turn it into an exception so teardown runs.
    def on_term(signum, frame):
        # Once: a second signal must not cut the teardown short.
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        raise TestFailure(f"interrupted by signal {signum}")

    signal.signal(signal.SIGTERM, on_term)
    signal.signal(signal.SIGINT, on_term)

    short = name[len("pidgin-"):] if name != "pidgin-picker" else name
    logdir = os.path.join(os.path.dirname(os.path.abspath(args.output)), f"{short}-logs")
    shutil.rmtree(logdir, ignore_errors=True)
    os.makedirs(logdir)
    if os.path.exists(args.output):
        os.unlink(args.output)
    workdir = tempfile.mkdtemp(prefix=f"rc-{name}-")
    try:
        run_test(args, workdir, logdir)
    except TestFailure as e:
        print(f"{name}: FAIL: {e}\n(logs in {logdir})", file=sys.stderr)
        return 1
    except (OSError, subprocess.SubprocessError, ValueError) as e:
        print(f"{name}: FAIL: {type(e).__name__}: {e}\n(logs in {logdir})", file=sys.stderr)
        return 1
    finally:
        if args.keep:
            print(f"{name}: kept {workdir}", flush=True)
        else:
            shutil.rmtree(workdir, ignore_errors=True)
    print(f"{name}: PASS", flush=True)
    return 0


def main():
    return test_main("pidgin-picker", __doc__, run, "sender-picker.png")


if __name__ == "__main__":
    sys.exit(main())
