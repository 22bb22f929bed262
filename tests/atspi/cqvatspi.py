# SPDX-License-Identifier: GPL-3.0-or-later
"""Drive the real CyberQP Verify binary through the accessibility tree, as a person would."""

import os
import signal
import subprocess
import tempfile
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


def wait_gone(what, fn, timeout=TIMEOUT):
    wait_for(what + " to go away", lambda: not fn(), timeout)


def find(root, role=None, name_is=None, name_has=None, showing=False, max_depth=40):
    for node in walk(root, max_depth=max_depth):
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


def find_all(root, role=None, name_is=None, name_has=None, max_depth=40):
    result = []
    for node in walk(root, max_depth=max_depth):
        if role is not None and role_name(node) != role:
            continue
        n = name(node)
        if name_is is not None and n != name_is:
            continue
        if name_has is not None and name_has not in n:
            continue
        result.append(node)
    return result


def find_in_apps(role=None, name_is=None, name_has=None):
    """Search every application on the desktop (dialogs may hang off the desktop directly)."""
    desktop = Atspi.get_desktop(0)
    for i in range(safe(desktop.get_child_count, 0) or 0):
        app = safe(lambda: desktop.get_child_at_index(i))
        if app is None:
            continue
        node = find(app, role=role, name_is=name_is, name_has=name_has)
        if node is not None:
            return node
    return None


def has_state(node, state):
    states = safe(node.get_state_set)
    return states is not None and states.contains(state)


def is_sensitive(node):
    return has_state(node, Atspi.StateType.SENSITIVE)


def is_checked(node):
    return has_state(node, Atspi.StateType.CHECKED) or has_state(node, Atspi.StateType.PRESSED)


def action_names(node):
    action = safe(node.get_action_iface)
    if action is None:
        return []
    return [safe(lambda: action.get_action_name(i), "") or ""
            for i in range(safe(action.get_n_actions, 0) or 0)]


def do_action(node, wanted=None):
    """Runs the node's action called @wanted (or its first one), as assistive technology does."""
    action = safe(node.get_action_iface)
    if action is None:
        raise Failure("%s '%s' has no action" % (role_name(node), name(node)))
    names = action_names(node)
    index = 0
    if wanted is not None:
        if wanted not in names:
            raise Failure("%s '%s' has no action %s (only %s)"
                          % (role_name(node), name(node), wanted, names))
        index = names.index(wanted)
    if not action.do_action(index):
        raise Failure("action %d on %s '%s' failed" % (index, role_name(node), name(node)))


def set_text(entry, text):
    """Types into an entry through EditableText, as an on-screen keyboard would."""
    editable = safe(entry.get_editable_text_iface)
    if editable is None:
        raise Failure("%s '%s' is not editable" % (role_name(entry), name(entry)))
    editable.set_text_contents(text)


def _title_regex(title):
    return "^%s$" % "".join("\\" + c if c in ".^$*+?()[]{}|\\" else c for c in title)


def x_window_visible(title):
    """Whether a mapped X window called @title exists (asks the X server, not AT-SPI)."""
    try:
        out = subprocess.run(["xdotool", "search", "--onlyvisible", "--name", _title_regex(title)],
                             capture_output=True, text=True, timeout=10).stdout
    except (OSError, subprocess.SubprocessError):
        return False
    return bool(out.split())


def demo_main_window(title="CyberQP Verify"):
    """The application and its main window once the demo users are listed and the simulated
    phone is open (run with --demo)."""
    app = wait_for("the application on the accessibility bus", lambda: find_app("cyberqp-verify"))
    frame = wait_for("the main window", lambda: find(app, role="frame", name_is=title))
    wait_for("the demo users", lambda: find(frame, role="label", name_is="Adele Vance"))
    wait_for("the simulated phone",
             lambda: find_in_apps(role="frame", name_is="Simulated Phone"))
    return app, frame


def x_windows():
    """{id: title} of the mapped X windows with a title; popovers carry the program's name."""
    windows = {}
    try:
        ids = subprocess.run(["xdotool", "search", "--onlyvisible", "--name", "."],
                             capture_output=True, text=True, timeout=10).stdout.split()
        for wid in ids:
            windows[wid] = subprocess.run(["xdotool", "getwindowname", wid], capture_output=True,
                                          text=True, timeout=10).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        pass
    return windows


def new_x_window(before, program="cyberqp-verify"):
    """The title of a window that was not in @before (not a popover), or None."""
    for wid, title in x_windows().items():
        if wid not in before and title and title != program:
            return title
    return None


def x_window_geometry(title):
    """{X, Y, WIDTH, HEIGHT} in pixels of the toplevel called @title."""
    try:
        ids = subprocess.run(["xdotool", "search", "--onlyvisible", "--name", _title_regex(title)],
                             check=True, capture_output=True, text=True, timeout=10).stdout.split()
        geometry = subprocess.run(["xdotool", "getwindowgeometry", "--shell", ids[0]],
                                  check=True, capture_output=True, text=True,
                                  timeout=10).stdout
    except (OSError, IndexError, subprocess.SubprocessError) as e:
        raise Failure("cannot find the X window '%s' (%s)" % (title, e))
    values = dict(line.split("=", 1) for line in geometry.split() if "=" in line)
    return {key: int(values[key]) for key in ("X", "Y", "WIDTH", "HEIGHT")}


def x_window_origin(title):
    """The X position of the toplevel called @title (AT-SPI in GTK 4.8 gives window coordinates)."""
    geometry = x_window_geometry(title)
    return geometry["X"], geometry["Y"]


def move_window(title, x, y):
    """Moves a toplevel (there is no window manager: every window starts at 0,0)."""
    subprocess.run(["xdotool", "search", "--onlyvisible", "--name", _title_regex(title),
                    "windowmove", str(x), str(y)], check=False, timeout=10,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wait_for("'%s' to move" % title, lambda: x_window_origin(title) == (x, y), timeout=5)


def click(node, window_title, button=1):
    """Clicks the middle of @node with the pointer (XTest through the registry)."""
    extents = safe(lambda: node.get_extents(Atspi.CoordType.WINDOW))
    if extents is None or extents.width <= 0 or extents.height <= 0:
        raise Failure("%s '%s' is not on screen" % (role_name(node), name(node)))
    ox, oy = x_window_origin(window_title)
    x = ox + extents.x + extents.width // 2
    y = oy + extents.y + extents.height // 2
    Atspi.generate_mouse_event(x, y, "b%dc" % button)


def point_at(window_title):
    """Moves the pointer into the middle of the toplevel called @window_title: without a window
    manager, keys go to the window under the pointer."""
    try:
        ids = subprocess.run(["xdotool", "search", "--onlyvisible", "--name",
                              _title_regex(window_title)],
                             check=True, capture_output=True, text=True, timeout=10).stdout.split()
        geometry = subprocess.run(["xdotool", "getwindowgeometry", "--shell", ids[0]],
                                  check=True, capture_output=True, text=True,
                                  timeout=10).stdout
    except (OSError, IndexError, subprocess.SubprocessError) as e:
        raise Failure("cannot find the X window '%s' (%s)" % (window_title, e))
    values = dict(line.split("=", 1) for line in geometry.split() if "=" in line)
    Atspi.generate_mouse_event(int(values["X"]) + int(values["WIDTH"]) // 2,
                               int(values["Y"]) + int(values["HEIGHT"]) // 2, "abs")


def type_string(text):
    """Types @text on the keyboard (XTest through the registry), into the focused widget."""
    Atspi.generate_keyboard_event(0, text, Atspi.KeySynthType.STRING)


def description(node):
    return safe(node.get_description, "") or ""


def text_contents(node):
    """All of a node's text through the AT-SPI Text interface ('' when it has none). GTK 4.8
    answers get_text(0, -1) with '': ask for the character count instead."""
    if "Text" not in (safe(node.get_interfaces, []) or []):
        return ""
    count = safe(lambda: Atspi.Text.get_character_count(node), 0) or 0
    return (safe(lambda: Atspi.Text.get_text(node, 0, count), "") or "") if count > 0 else ""


def attributes(node):
    return safe(node.get_attributes, {}) or {}


def relation_targets(node, relation):
    """The nodes @node has @relation (an Atspi.RelationType) to, e.g. its labelled-by labels."""
    targets = []
    for rel in safe(node.get_relation_set, []) or []:
        if safe(rel.get_relation_type) != relation:
            continue
        for i in range(safe(rel.get_n_targets, 0) or 0):
            target = safe(lambda: rel.get_target(i))
            if target is not None:
                targets.append(target)
    return targets


KEYSYMS = {"Escape": 0xff1b, "Return": 0xff0d, "Menu": 0xff67, "Tab": 0xff09}


def press_key(keysym_name):
    """Presses and releases a key by its X keysym name, e.g. 'Escape' or 'Menu'."""
    Atspi.generate_keyboard_event(KEYSYMS[keysym_name], None, Atspi.KeySynthType.SYM)


def po_translation(po_path, msgid, msgctxt=None):
    """The msgstr of @msgid (without context unless given) in a .po file; '' if untranslated."""
    entries = []
    current = {}
    field = None
    with open(po_path, encoding="utf-8") as f:
        for raw in f:
            line = raw.strip()
            if not line or line.startswith("#"):
                if current:
                    entries.append(current)
                    current, field = {}, None
                continue
            for key in ("msgctxt", "msgid_plural", "msgid", "msgstr"):
                if line.startswith(key + " ") or line.startswith(key + "["):
                    if key in ("msgctxt", "msgid") and field == "msgstr":
                        entries.append(current)
                        current = {}
                    field = key
                    value = line.split(" ", 1)[1]
                    current[field] = current.get(field, "") + _po_unquote(value)
                    break
            else:
                if line.startswith('"') and field is not None:
                    current[field] += _po_unquote(line)
    if current:
        entries.append(current)
    for entry in entries:
        if entry.get("msgid") == msgid and entry.get("msgctxt") == msgctxt:
            return entry.get("msgstr", "")
    return None


def _po_unquote(value):
    value = value.strip()
    if len(value) < 2 or not (value.startswith('"') and value.endswith('"')):
        return ""
    out, chars = [], iter(value[1:-1])
    for c in chars:
        if c == "\\":
            c = next(chars, "")
            out.append({"n": "\n", "t": "\t"}.get(c, c))
        else:
            out.append(c)
    return "".join(out)


def ancestor(node, role):
    """The nearest ancestor of @node with @role, or None."""
    parent = safe(node.get_parent)
    while parent is not None:
        if role_name(parent) == role:
            return parent
        parent = safe(parent.get_parent)
    return None


def toplevels(app):
    return [c for c in (safe(lambda: app.get_child_at_index(i))
                        for i in range(safe(app.get_child_count, 0) or 0)) if c is not None]


def user_label(frame, user):
    """The label of @user's row in the users view, once it is laid out."""
    for node in find_all(frame, role="label", name_is=user):
        extents = safe(lambda: node.get_extents(Atspi.CoordType.WINDOW))
        if extents is not None and extents.width > 0 and ancestor(node, "table row") is not None:
            return node
    return None


def open_row_menu(frame, label, window_title):
    """The row's ⋮ button when it has one, else a right-click on the row."""
    row = ancestor(label, "table row")
    button = None
    if row is not None:
        for node in walk(row):
            if role_name(node) in ("push button", "toggle button") and action_names(node):
                button = node
    if button is not None:
        log("row menu: pressing '%s'" % name(button))
        do_action(button)
    else:
        log("row menu: right-click")
        click(label, window_title, button=3)


LABELS = {
    "search": "Search users",
    "verify": "Verify User Identity",
    "option": "MS Authenticator",
    "send": "Send",
}


def open_verify_dialog(app, frame, user, window_title="CyberQP Verify", labels=LABELS):
    """Searches for @user, opens the row menu, chooses Verify User Identity…; the dialog."""
    entry = wait_for("the search entry", lambda: find(frame, name_is=labels["search"]))
    set_text(entry, user)
    label = wait_for("%s in the users list" % user, lambda: user_label(frame, user))
    windows_before = x_windows()
    open_row_menu(frame, label, window_title)
    item = wait_for("the menu item %s…" % labels["verify"],
                    lambda: find(app, role="menu item", name_has=labels["verify"]))
    do_action(item)

    # Let the dialog be mapped before the application's toplevels are enumerated (see
    # close_dialog()).
    wait_for("a dialog window", lambda: new_x_window(windows_before))

    def dialog():
        for top in toplevels(app):
            if name(top) == window_title or role_name(top) != "frame":
                continue
            if find(top, role="label", name_is=user) is not None:
                return top
        return None

    return wait_for("the verify dialog for %s" % user, dialog)


def send_push(dialog, labels=LABELS):
    """Chooses MS Authenticator and presses Send."""
    option = wait_for("the MS Authenticator option",
                      lambda: find(dialog, name_is=labels["option"]))
    wait_for("MS Authenticator to be available", lambda: is_sensitive(option))
    if role_name(option) in ("toggle button", "radio button", "check box") \
            and not is_checked(option):
        do_action(option)
    send = wait_for("the Send button",
                    lambda: find(dialog, role="push button", name_has=labels["send"]))
    wait_for("Send to be available", lambda: is_sensitive(send))
    do_action(send)


def close_dialog(app, dialog):
    """Presses Close (or Cancel, or Escape) and waits for the dialog's window to go.

    The wait asks the X server: enumerating the application's toplevels over AT-SPI while a
    window is being destroyed makes GTK 4.8 answer with a NULL object path (a GLib-CRITICAL in
    the application, fatal under G_DEBUG=fatal-criticals)."""
    title = name(dialog)

    def button_on_screen():
        # A stack's hidden pages have buttons of the same name (the verify dialog's two
        # Cancels): only one that is showing does anything.
        for label in ("Close", "Done", "OK", "Cancel"):
            for button in find_all(dialog, role="push button", name_is=label):
                if is_sensitive(button) and is_showing(button):
                    return button
        return None

    button = button_on_screen()
    if button is not None:
        do_action(button)
    else:
        press_key("Escape")
    wait_gone("the dialog '%s'" % title, lambda: x_window_visible(title))


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


def disable_animations():
    """Screenshots must not catch a dialog half-way through a crossfade: switch GTK animations
    off in the test session's own settings (run-in-session.sh gives a fresh XDG_CONFIG_HOME)."""
    config = os.environ.get("XDG_CONFIG_HOME")
    if not config or not config.startswith(os.environ.get("TMPDIR", "/tmp")):
        return
    path = os.path.join(config, "gtk-4.0", "settings.ini")
    if not os.path.exists(path):
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w", encoding="utf-8") as f:
            f.write("[Settings]\ngtk-enable-animations=false\n")


# GTK 4.8's accessibility code can pass a NULL object path to GLib while AT-SPI lists the
# application's windows as one is being destroyed (GLib-CRITICAL in g_variant_is_object_path,
# from gtk/a11y/gtkatspiroot.c). It is GTK's bug, not ours, and harmless to the application.
KNOWN_UPSTREAM_CRITICALS = ("g_variant_is_object_path",)


class App:
    """The binary under test, started with the given arguments and stopped at the end.

    Criticals are not made fatal in the application (G_DEBUG is dropped) so that a known GTK
    4.8 accessibility critical cannot kill it mid-test; instead its standard error is kept and
    any critical other than the known upstream one fails the test when the application stops."""

    def __init__(self, args, env=None):
        binary = os.environ["CQV_BINARY"]
        disable_animations()
        full_env = dict(os.environ)
        full_env.pop("NO_AT_BRIDGE", None)
        full_env.pop("G_DEBUG", None)
        full_env.update(env or {})
        self.stderr = tempfile.TemporaryFile(mode="w+", encoding="utf-8", errors="replace")
        self.proc = subprocess.Popen([binary] + list(args), env=full_env, stderr=self.stderr)

    def __enter__(self):
        return self

    def criticals(self):
        self.stderr.seek(0)
        found = []
        for line in self.stderr:
            sys.stdout.write("# app: " + line)
            if "-CRITICAL" in line and not any(k in line for k in KNOWN_UPSTREAM_CRITICALS):
                found.append(line.strip())
        return found

    def __exit__(self, exc_type, *exc):
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        criticals = self.criticals()
        self.stderr.close()
        if exc_type is None and criticals:
            raise Failure("the application logged criticals: " + "; ".join(criticals))
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
