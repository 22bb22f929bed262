#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Every control a person can reach has one clear accessible name, and a typed client secret
never reaches the accessibility tree.

GTK 4.8 names a widget after its accessible label and its labelled-by (mnemonic) labels
together, and gtk_button_set_label() sets the accessible label to the raw text: a screen reader
heard "Client ID Client ID" or "_Add Add". This walks the main window, its menus, Add and Edit
Tenant, the removal confirmation, the keyboard shortcuts and the import dialog of the demo
(--demo: in-memory stores, nothing reaches the keyring) and checks every push button, toggle,
entry, password field, check box, menu item, drop-down and list item:
  * it has a name (not empty, and not the type name GTK falls back to, e.g. "GtkExpander");
  * the name is not a word sequence said twice ("Add Add", "_Add Add");
  * a control labelled by other widgets is named by them alone (not "Tenant ID … Tenant").
Then, with a distinctive secret typed into Add Tenant's and the import dialog's secret fields,
no node's name, description, attributes or text may contain it."""

import json
import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import cqvatspi as t  # noqa: E402
from gi.repository import Atspi  # noqa: E402

ARTEFACTS = os.environ.get("CQV_ARTEFACTS", ".")
MAIN = "CyberQP Verify"
SECRET = "Qz7#Kx9!Vw3$Jm-a11y-Secret"
IMPORT_SECRET = "Hp4%Rt8&Nc2-import-Secret"
VISIBLE = "Northwind-visible-marker"
TENANT_GUID = "5f0c2d9e-8a7b-4c6d-9e1f-2a3b4c5d6e7f"
CLIENT_ID = "5f0c2d9e-8a7b-4c6d-9e1f-2a3b4c5d6e70"

CONTROL_ROLES = {
    "push button", "toggle button", "check box", "radio button", "entry", "text",
    "password text", "menu item", "check menu item", "radio menu item", "combo box",
    "list item", "spin button", "slider", "switch", "link", "page tab",
}
# The name GTK 4.8 gives an unnamed widget: its type name.
TYPE_NAME = re.compile(r"^(Gtk|Gdk|Cqv)[A-Z][A-Za-z]*$")

# Found in windows that other people own: logged, not failed, until they are fixed there.
KNOWN_ELSEWHERE = {
}
# Widgets GTK 4.8 builds itself and leaves unnamed: (window, role, name).
GTK_UNNAMED = {
    ("Keyboard Shortcuts", "entry", "GtkSearchEntry"),
    ("Keyboard Shortcuts", "push button", "GtkImage"),
    ("Keyboard Shortcuts", "push button", "GtkMenuButton"),
}


def doubled(name):
    """"Add Add", "_Add Add", "Client ID Client ID": a word sequence said twice."""
    words = name.replace("_", "").split()
    half = len(words) // 2
    return len(words) >= 2 and len(words) % 2 == 0 and words[:half] == words[half:]


def unnamed(name):
    return not name.strip() or TYPE_NAME.match(name) is not None


def named_content(node):
    """A list item may be read by its content, as screen readers do: a named label inside."""
    return any(t.role_name(n) == "label" and not unnamed(t.name(n)) for n in t.walk(node))


def name_problem(node):
    role = t.role_name(node)
    name = t.name(node)
    if unnamed(name):
        if role == "list item" and named_content(node):
            return None
        return "has no name"
    if doubled(name):
        return "says its name twice"
    # An icon button is labelled by its unnamed image: that adds nothing to the name.
    labels = [t.name(label) for label in t.relation_targets(node, Atspi.RelationType.LABELLED_BY)]
    labels = [label for label in labels if not unnamed(label)]
    if labels:
        label_names = " ".join(labels)
        if name != label_names:
            return "has a name of its own besides its label '%s'" % label_names
    return None


class Checker:
    def __init__(self):
        self.failures = []
        self.controls = 0

    def check(self, root, where):
        """Checks the names of every control under @root (hidden stack pages included)."""
        count = 0
        for node in t.walk(root):
            role = t.role_name(node)
            if role not in CONTROL_ROLES:
                continue
            count += 1
            problem = name_problem(node)
            if problem is None:
                continue
            name = t.name(node)
            line = "%s: %s '%s' %s" % (where, role, name, problem)
            if name in KNOWN_ELSEWHERE:
                t.log("known, to fix in %s — %s" % (KNOWN_ELSEWHERE[name], line))
            elif (where, role, name) in GTK_UNNAMED:
                t.log("GTK 4.8's own widget — " + line)
            else:
                t.log("FAIL " + line)
                self.failures.append(line)
        t.log("%s: %d controls checked" % (where, count))
        if count == 0:
            self.failures.append("%s: no controls found (the walk proves nothing)" % where)
        self.controls += count


def leaks(app, secret):
    """(role, name, where) of every node that exposes @secret."""
    found = []
    for top in t.toplevels(app):
        for node in t.walk(top):
            values = [("name", t.name(node)), ("description", t.description(node)),
                      ("text", t.text_contents(node))]
            values += [("attribute " + k, v) for k, v in t.attributes(node).items()]
            for what, value in values:
                if secret in (value or ""):
                    found.append((t.role_name(node), t.name(node), what))
    return found


def check_secret_hidden(app, field, secret, where, control=True):
    """Nothing but the password field itself may expose the secret, and that one as a password.

    GTK 4.8 answers AT-SPI Text on a GtkPasswordEntry with the clear text (any client on the
    accessibility bus can read it while the dialog is open); the field has the PASSWORD_TEXT
    role, which screen readers do not speak. Reported, not failed: the app cannot change it."""
    if t.role_name(field) != "password text":
        raise t.Failure("%s: the secret field is a %s, not a password text"
                        % (where, t.role_name(field)))
    found = leaks(app, secret)
    for role, name, what in found:
        if role == "password text" and name == t.name(field) and what == "text":
            t.log("FINDING (GTK 4.8): %s: the password field's AT-SPI Text returns the secret "
                  "in clear" % where)
        else:
            raise t.Failure("%s: the secret is exposed by the %s of %s '%s'"
                            % (where, what, role, name))
    # With @control, the same walk must see what is typed into a plain entry: it can find a leak.
    if control and not any(what == "text" for _, _, what in leaks(app, VISIBLE)):
        raise t.Failure("%s: the walk does not see the text typed into Display name, so it "
                        "cannot see a leak either" % where)


def files_containing(text):
    dirs = [os.environ.get(v) for v in ("XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME",
                                        "XDG_STATE_HOME")]
    found = []
    for top in filter(None, dirs):
        for root, _, files in os.walk(top):
            for f in files:
                path = os.path.join(root, f)
                try:
                    with open(path, "rb") as fh:
                        if text.encode() in fh.read():
                            found.append(path)
                except OSError:
                    pass
    return found


def clickable(root, **kwargs):
    for node in t.find_all(root, **kwargs):
        if "click" in t.action_names(node):
            return node
    return None


def window(app, title):
    return t.wait_for("the '%s' window" % title, lambda: t.find(app, name_is=title, max_depth=1))


def open_menu(frame, button_name):
    button = t.wait_for("the button '%s'" % button_name,
                        lambda: clickable(frame, name_is=button_name))
    t.do_action(button)
    return t.wait_for("the menu of '%s'" % button_name,
                      lambda: t.find(t.ancestor(button, "push button") or button, role="menu"))


def choose(menu, item):
    node = t.wait_for("the menu item %s" % item, lambda: t.find(menu, role="menu item",
                                                                 name_has=item))
    t.do_action(node)


def named(root, role, name, action=None):
    """The node called @name, or whose name starts with it (a doubled name is reported by the
    check at the end: the walk goes on to find all of them)."""
    for node in t.find_all(root, role=role, name_has=name):
        if t.name(node).replace("_", "").startswith(name) and \
                (action is None or action in t.action_names(node)):
            return node
    return None


def field(root, role, name):
    return t.wait_for("the %s '%s'" % (role, name), lambda: named(root, role, name))


def press(root, name):
    button = t.wait_for("the button '%s'" % name, lambda: named(root, "push button", name, "click"))
    t.wait_for("'%s' to be available" % name, lambda: t.is_sensitive(button))
    t.do_action(button)


def wait_closed(title):
    # Asks the X server: listing toplevels over AT-SPI while one goes makes GTK 4.8 critical.
    t.wait_gone("the '%s' window" % title, lambda: t.x_window_visible(title))


def add_tenant(app, frame, checker):
    choose(open_menu(frame, "Main Menu"), "Add Tenant")
    dialog = window(app, "Add Tenant")
    # GTK 4.8 gives a collapsed expander's content no nodes: open it by its title.
    t.click(t.wait_for("the Advanced title", lambda: t.find(dialog, role="label",
                                                             name_is="Advanced")), "Add Tenant")
    field(dialog, "text", "Login URL")
    checker.check(dialog, "Add Tenant")

    t.set_text(field(dialog, "text", "Display name"), VISIBLE)
    secret_field = field(dialog, "password text", "Client secret")
    t.set_text(secret_field, SECRET)
    t.wait_for("the secret to be typed",
               lambda: len(t.text_contents(secret_field)) == len(SECRET))
    t.screenshot(os.path.join(ARTEFACTS, "atspi-a11y-secret-typed.png"))
    check_secret_hidden(app, secret_field, SECRET, "Add Tenant")

    t.set_text(field(dialog, "text", "Display name"), "Fabrikam")
    t.set_text(field(dialog, "text", "Tenant ID or primary domain"), TENANT_GUID)
    t.set_text(field(dialog, "text", "Client ID"), CLIENT_ID)
    press(dialog, "Add")
    wait_closed("Add Tenant")
    t.wait_for("Fabrikam in the sidebar", lambda: t.find(frame, role="label", name_is="Fabrikam"))


def tenant_dialogs(app, frame, checker):
    menu = open_menu(frame, "Menu of Fabrikam")
    checker.check(menu, "tenant row menu")
    choose(menu, "Edit Tenant")
    dialog = window(app, "Edit Tenant")
    checker.check(dialog, "Edit Tenant")
    press(dialog, "Cancel")
    wait_closed("Edit Tenant")

    choose(open_menu(frame, "Menu of Fabrikam"), "Remove Tenant")
    dialog = window(app, "Remove Tenant")
    checker.check(dialog, "Remove Tenant")
    press(dialog, "Cancel")
    wait_closed("Remove Tenant")


def verify_and_checklist(app, frame, checker):
    """The verify dialog (waiting for its checks to settle) and the tenant's setup checklist."""
    dialog = t.open_verify_dialog(app, frame, "Adele Vance")
    t.wait_for("Send to be possible",
               lambda: t.is_sensitive(t.find(dialog, role="push button", name_has="Send")))
    checker.check(dialog, "Verify User Identity")
    title = t.name(dialog)
    t.press_key("Escape")
    t.wait_gone("the verify dialog", lambda: t.x_window_visible(title))

    choose(open_menu(frame, "Menu of Contoso (demo)"), "Setup Checklist")
    checklist = t.wait_for("the setup checklist",
                           lambda: next((w for w in t.toplevels(app)
                                         if "Setup Checklist" in t.name(w)), None))
    t.wait_for("the checks to finish",
               lambda: t.find(checklist, role="push button", name_is="Re-check") is not None
               and t.is_sensitive(t.find(checklist, role="push button", name_is="Re-check")))
    checker.check(checklist, "Setup Checklist")
    t.close_dialog(app, checklist)


def shortcuts(app, frame, checker):
    choose(open_menu(frame, "Main Menu"), "Keyboard Shortcuts")
    shortcuts_window = window(app, "Keyboard Shortcuts")
    checker.check(shortcuts_window, "Keyboard Shortcuts")
    press(shortcuts_window, "Close")
    wait_closed("Keyboard Shortcuts")


def import_dialog(app, frame, checker, path):
    choose(open_menu(frame, "Main Menu"), "Import Tenants")
    # GTK's own file chooser: typing a path opens its location field; Return opens the file.
    window(app, "Import Tenants")
    t.wait_for("the file chooser on screen", lambda: t.x_window_visible("Import Tenants"))
    t.point_at("Import Tenants")
    t.type_string(path)
    t.press_key("Return")
    title = "Import Tenants (1 of 1)"
    dialog = window(app, title)
    checker.check(dialog, "Import Tenants")
    secret_field = field(dialog, "password text", "Client secret")
    t.set_text(secret_field, IMPORT_SECRET)
    t.wait_for("the secret to be typed",
               lambda: len(t.text_contents(secret_field)) == len(IMPORT_SECRET))
    # No plain entry here for a positive control: Add Tenant's showed that the walk works.
    check_secret_hidden(app, secret_field, IMPORT_SECRET, "Import Tenants", control=False)
    press(dialog, "Stop")
    wait_closed(title)


def main():
    import_path = os.path.join(os.environ["XDG_CACHE_HOME"], "a11y-import.json")
    with open(import_path, "w", encoding="utf-8") as f:
        json.dump({"format": "cyberqp-verify-tenants", "version": 1,
                   "tenants": [{"name": "Northwind", "tenant_id": CLIENT_ID,
                                "client_id": TENANT_GUID, "cloud": "global"}]}, f)
    checker = Checker()
    with t.App(["--demo"], env={"CQV_DEMO_TIME_SCALE": "0.05"}):
        app = t.wait_for("the application on the accessibility bus",
                         lambda: t.find_app("cyberqp-verify"))
        frame = t.wait_for("the main window", lambda: t.find(app, role="frame", name_is=MAIN))
        t.wait_for("the demo users", lambda: t.find(frame, role="label", name_is="Adele Vance"))
        checker.check(frame, "main window")

        menu = open_menu(frame, "Main Menu")
        checker.check(menu, "main menu")
        t.do_action(clickable(frame, name_is="Main Menu"))
        t.wait_gone("the main menu", lambda: t.find(frame, role="menu"))

        verify_and_checklist(app, frame, checker)
        add_tenant(app, frame, checker)
        leaked = files_containing(SECRET)
        if leaked:
            raise t.Failure("the secret was written to " + ", ".join(leaked))
        if not files_containing("Northwind"):
            raise t.Failure("the file search does not find the import file it should see")

        tenant_dialogs(app, frame, checker)
        shortcuts(app, frame, checker)
        import_dialog(app, frame, checker, import_path)

    if checker.failures:
        raise t.Failure("%d of %d controls without one clear name: %s"
                        % (len(checker.failures), checker.controls, "; ".join(checker.failures)))


t.run(main)
