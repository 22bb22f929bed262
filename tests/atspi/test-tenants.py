#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""A technician adds a tenant, edits it and removes it, through the accessibility tree.

The tenant points at the simulator (Advanced → endpoint overrides), so its domain is resolved
and its users load without reaching Microsoft. The client secret must end up in the keyring
only: never in tenants.ini."""

import os
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import cqvatspi as t  # noqa: E402

# The simulator's built-in demo tenant (src/simulator/README.md).
DOMAIN = "contoso-demo.onmicrosoft.com"
TENANT_GUID = "c0a70500-de70-4000-8000-00000000de70"
CLIENT_ID = "de70de70-0000-4000-8000-0000000c1e27"
SECRET = "demo-client-secret"


def tenants_file():
    return os.path.join(os.environ["XDG_CONFIG_HOME"], "com.cyberqp.Verify", "tenants.ini")


def keyring_has_secret():
    try:
        out = subprocess.run(["secret-tool", "lookup", "tenant-id", TENANT_GUID,
                              "client-id", CLIENT_ID, "kind", "app-secret"],
                             capture_output=True, text=True, timeout=10)
    except OSError:
        return None  # secret-tool is not installed: cannot look
    return out.returncode == 0 and out.stdout == SECRET


def dialog_named(app, title):
    # GTK 4.8 exposes a dialog-role window as a "filler": match the name only.
    return t.wait_for("the '%s' dialog" % title,
                      lambda: t.find(app, name_is=title, max_depth=1))


def press(root, label):
    button = t.wait_for("the %s button" % label,
                        lambda: t.find(root, role="push button", name_is=label)
                        or t.find(root, role="push button", name_has=label))
    t.wait_for("%s to be available" % label, lambda: t.is_sensitive(button))
    t.do_action(button)


def find_entry(root, label):
    # The field's mnemonic label has the same name: take the editable one. (GTK 4.8 names a
    # field after both its accessible label and its mnemonic label: "Client ID Client ID".)
    for node in t.find_all(root, name_has=label):
        if t.role_name(node) in ("entry", "text", "password text") and \
                t.name(node).startswith(label):
            return node
    return None


def type_into(root, label, text):
    entry = t.wait_for("the %s entry" % label, lambda: find_entry(root, label))
    t.set_text(entry, text)


def tenant_menu_button(frame, tenant):
    for node in t.find_all(frame, role="push button", name_is="Menu of " + tenant):
        if "click" in t.action_names(node):
            return node
    return None


def tenant_menu_item(app, frame, tenant, item):
    button = t.wait_for("the menu button of " + tenant, lambda: tenant_menu_button(frame, tenant))
    t.do_action(button)
    entry = t.wait_for("the menu item " + item,
                       lambda: t.find(app, role="menu item", name_has=item))
    t.do_action(entry)


def main():
    artefacts = os.environ.get("CQV_ARTEFACTS", ".")
    sim = subprocess.Popen([os.environ["CQV_SIMULATOR"], "--time-scale", "0.05",
                            "--exit-on-stdin-eof"],
                           stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        base = sim.stdout.readline().strip()
        if not base.startswith("http://127.0.0.1:"):
            raise t.Failure("the simulator printed no base URL: %r" % base)

        with t.App([]):
            app = t.wait_for("the application", lambda: t.find_app("cyberqp-verify"))
            frame = t.wait_for("the main window",
                               lambda: t.find(app, role="frame", name_is="CyberQP Verify"))
            t.wait_for("the empty state", lambda: t.find(frame, name_is="No tenants yet"))

            # Add.
            press(frame, "Add Tenant")
            dialog = dialog_named(app, "Add Tenant")
            type_into(dialog, "Display name", "Fabrikam")
            type_into(dialog, "Tenant ID or primary domain", DOMAIN)
            type_into(dialog, "Client ID", CLIENT_ID)
            type_into(dialog, "Client secret", SECRET)
            # GTK 4.8 exposes the expander only through its title label: click it.
            advanced = t.wait_for("the Advanced expander",
                                  lambda: t.find(dialog, role="label", name_is="Advanced"))
            t.click(advanced, "Add Tenant")
            for label in ("Login URL", "Graph URL", "MFA URL"):
                type_into(dialog, label, base)
            t.screenshot(os.path.join(artefacts, "atspi-tenant-add.png"))
            press(dialog, "Add")
            t.wait_gone("the Add Tenant dialog", lambda: t.x_window_visible("Add Tenant"))

            t.wait_for("Fabrikam in the sidebar",
                       lambda: t.find(frame, role="label", name_is="Fabrikam"))
            t.wait_for("the tenant's users", lambda: t.user_label(frame, "Adele Vance"))
            with open(tenants_file(), encoding="utf-8") as f:
                ini = f.read()
            if "Fabrikam" not in ini or TENANT_GUID not in ini:
                raise t.Failure("tenants.ini does not hold the resolved tenant:\n" + ini)
            if SECRET in ini:
                raise t.Failure("the client secret was written to tenants.ini")
            if keyring_has_secret() is False:
                raise t.Failure("the client secret is not in the keyring")

            # Edit: a new name; the secret is kept.
            tenant_menu_item(app, frame, "Fabrikam", "Edit Tenant")
            dialog = dialog_named(app, "Edit Tenant")
            type_into(dialog, "Display name", "Fabrikam Ltd")
            press(dialog, "Save")
            t.wait_gone("the Edit Tenant dialog", lambda: t.x_window_visible("Edit Tenant"))
            t.wait_for("the new name in the sidebar",
                       lambda: t.find(frame, role="label", name_is="Fabrikam Ltd"))
            if keyring_has_secret() is False:
                raise t.Failure("editing the name lost the client secret")

            # Remove: confirmation, then the keyring item goes with the tenant.
            tenant_menu_item(app, frame, "Fabrikam Ltd", "Remove Tenant")
            dialog = dialog_named(app, "Remove Tenant")
            t.screenshot(os.path.join(artefacts, "atspi-tenant-remove.png"))
            press(dialog, "Remove")
            t.wait_for("the empty state again", lambda: t.find(frame, name_is="No tenants yet"))
            t.wait_for("the keyring item to go", lambda: keyring_has_secret() is not True)
            with open(tenants_file(), encoding="utf-8") as f:
                if "Fabrikam" in f.read():
                    raise t.Failure("the removed tenant is still in tenants.ini")
    finally:
        sim.stdin.close()
        sim.terminate()
        sim.wait(timeout=10)


t.run(main)
