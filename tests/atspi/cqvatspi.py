# SPDX-License-Identifier: GPL-3.0-or-later
"""Drive the real CyberQP Verify binary through the accessibility tree, as a person would."""

import os
import signal
import subprocess
import sys
import time

import gi

gi.require_version("Atspi", "2.0")
from gi.repository import Atspi, GLib  # noqa: E402

TIMEOUT = float(os.environ.get("CQV_ATSPI_TIMEOUT", "20"))


class Failure(Exception):
    pass


def log(msg):
    print("# " + msg, flush=True)


def safe(fn, default=None):
    """Recycled list rows go stale under our feet: treat a vanished node as absent."""
    try:
        return fn()
    except GLib.Error:
        return default


def walk(node, depth=0, max_depth=40):
    if node is None or depth > max_depth:
        return
    yield node
    for i in range(safe(node.get_child_count, 0) or 0):
        child = safe(lambda: node.get_child_at_index(i))
        if child is not None:
            yield from walk(child, depth + 1, max_depth)


def role_name(node):
    return safe(node.get_role_name, "") or ""


def name(node):
    return safe(node.get_name, "") or ""


def is_showing(node):
    """GTK 4.8 does not always set SHOWING; use only where it is known to work."""
    states = safe(node.get_state_set)
    return states is not None and states.contains(Atspi.StateType.SHOWING)


def wait_for(what, fn, timeout=TIMEOUT):
    deadline = time.monotonic() + timeout
    while True:
        result = fn()
        if result:
            return result
        if time.monotonic() > deadline:
            raise Failure("timed out waiting for " + what)
        time.sleep(0.05)


def find(root, role=None, name_is=None, name_has=None, showing=False):
    for node in walk(root):
        if role is not None and role_name(node) != role:
            continue
        n = name(node)
        if name_is is not None and n != name_is:
            continue
        if name_has is not None and name_has not in n:
            continue
        if showing and not is_showing(node):
            continue
        return node
    return None


def find_app(app_name):
    desktop = Atspi.get_desktop(0)
    for i in range(safe(desktop.get_child_count, 0) or 0):
        app = safe(lambda: desktop.get_child_at_index(i))
        if app is not None and name(app) == app_name:
            return app
    return None


def dump(root, out=sys.stdout):
    for node in walk(root):
        out.write("# %s '%s'\n" % (role_name(node), name(node)))


def screenshot(path):
    """Save the X screen as PNG for people to look at (a test artefact, not an assertion)."""
    try:
        os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
        subprocess.run(["import", "-window", "root", path], check=True, timeout=20,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        log("screenshot: " + path)
    except (OSError, subprocess.SubprocessError) as e:
        log("no screenshot (%s)" % e)


class App:
    """The binary under test, started with the given arguments and stopped at the end."""

    def __init__(self, args, env=None):
        binary = os.environ["CQV_BINARY"]
        full_env = dict(os.environ)
        full_env.pop("NO_AT_BRIDGE", None)
        full_env.update(env or {})
        self.proc = subprocess.Popen([binary] + list(args), env=full_env)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        return False


def run(main):
    """TAP wrapper: one test per script."""
    print("TAP version 13\n1..1", flush=True)
    try:
        main()
    except Exception as e:  # noqa: BLE001 - every failure is reported as TAP
        log("%s: %s" % (type(e).__name__, e))
        print("not ok 1 - %s" % os.path.basename(sys.argv[0]), flush=True)
        sys.exit(1)
    print("ok 1 - %s" % os.path.basename(sys.argv[0]), flush=True)
