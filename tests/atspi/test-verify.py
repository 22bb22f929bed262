#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Demo mode end to end, as a technician would: find each demo user, open the row menu, choose
Verify User Identity → MS Authenticator → Send, and read the result dialog. Nestor Wilke is
answered on the simulator's phone window; Isaiah Langer has no Authenticator."""

import os
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import cqvatspi as t  # noqa: E402

ARTEFACTS = os.environ.get("CQV_ARTEFACTS", ".")
MAIN_TITLE = "CyberQP Verify"
PHONE_TITLE = "Simulated Phone"

# user → the result dialog's title
OUTCOMES = [
    ("Adele Vance", "Identity Verified", "result-approved"),
    ("Alex Wilber", "Identity Verification Denied", "result-denied"),
    ("Megan Bowen", "Fraud Reported", "result-fraud"),
    ("Lee Gu", "No Response", "result-timed-out"),
]


def main():
    with t.App(["--demo"], env={"CQV_DEMO_TIME_SCALE": "0.05"}):
        app = t.wait_for("the application on the accessibility bus",
                         lambda: t.find_app("cyberqp-verify"))
        frame = t.wait_for("the main window",
                           lambda: t.find(app, role="frame", name_is=MAIN_TITLE))
        t.wait_for("the demo tenant in the sidebar",
                   lambda: t.find(frame, role="label", name_is="Contoso (demo)"))
        t.wait_for("the demo users", lambda: t.find(frame, role="label", name_is="Adele Vance"))
        # No window manager: the phone window opens at 0,0 over the main window; out of the way.
        t.wait_for("the simulated phone", lambda: t.find_in_apps(role="frame",
                                                                 name_is=PHONE_TITLE))
        t.move_window(PHONE_TITLE, 1280, 0)
        t.screenshot(os.path.join(ARTEFACTS, "main-window.png"))

        for user, title, shot in OUTCOMES:
            dialog = t.open_verify_dialog(app, frame, user)
            t.send_push(dialog)
            result = t.wait_for("the result '%s' for %s" % (title, user),
                                lambda: t.find(dialog, role="label", name_is=title),
                                timeout=30)
            t.log("%s: %s" % (user, t.name(result)))
            t.screenshot(os.path.join(ARTEFACTS, shot + ".png"))
            t.close_dialog(app, dialog)

        # Isaiah Langer has no Authenticator: the option is greyed out and says why.
        dialog = t.open_verify_dialog(app, frame, "Isaiah Langer")
        option = t.wait_for("the MS Authenticator option",
                            lambda: t.find(dialog, name_is="MS Authenticator"))
        t.wait_for("the readiness check to grey out MS Authenticator",
                   lambda: not t.is_sensitive(option))
        reason = t.wait_for("the reason MS Authenticator cannot be used",
                            lambda: [n for n in t.find_all(dialog, role="label",
                                                           name_has="Authenticator")
                                     if t.name(n) != "MS Authenticator"])
        t.log("Isaiah Langer: %s" % t.name(reason[0]))
        send = t.find(dialog, role="push button", name_has="Send")
        if send is not None and t.is_sensitive(send):
            raise t.Failure("Send is enabled for a user without Authenticator")
        t.screenshot(os.path.join(ARTEFACTS, "verify-not-registered.png"))
        t.close_dialog(app, dialog)

        # Nestor Wilke answers on the phone, as the end-user would.
        t.move_window(PHONE_TITLE, 1280 - 360, 0)
        dialog = t.open_verify_dialog(app, frame, "Nestor Wilke")
        t.send_push(dialog)
        phone = t.find_in_apps(role="frame", name_is=PHONE_TITLE)
        approve = t.wait_for("Approve on the simulated phone",
                             lambda: t.find(phone, role="push button", name_has="Approve"))
        t.screenshot(os.path.join(ARTEFACTS, "phone-request.png"))
        t.do_action(approve)
        t.wait_for("Nestor Wilke's result", lambda: t.find(dialog, role="label",
                                                           name_is="Identity Verified"))
        t.screenshot(os.path.join(ARTEFACTS, "result-approved-on-phone.png"))
        t.close_dialog(app, dialog)

        # Demo data stayed in memory: no tenants file, nothing in the keyring.
        config = os.environ["XDG_CONFIG_HOME"]
        for root, _dirs, files in os.walk(config):
            if "tenants.ini" in files:
                raise t.Failure("demo mode wrote %s" % os.path.join(root, "tenants.ini"))
        items = keyring_items()
        if items:
            raise t.Failure("demo mode stored %d keyring item(s): %s" % (len(items), items))


def keyring_items():
    """Every item in every collection of the session's Secret Service."""
    def call(path, interface, prop):
        out = subprocess.run(["gdbus", "call", "--session", "--dest", "org.freedesktop.secrets",
                              "--object-path", path, "--method",
                              "org.freedesktop.DBus.Properties.Get", interface, prop],
                             check=True, capture_output=True, text=True, timeout=10).stdout
        return [p for p in out.replace("'", " ").replace(",", " ").split() if p.startswith("/")]

    items = []
    for collection in call("/org/freedesktop/secrets", "org.freedesktop.Secret.Service",
                           "Collections"):
        items += call(collection, "org.freedesktop.Secret.Collection", "Items")
    if not call("/org/freedesktop/secrets", "org.freedesktop.Secret.Service", "Collections"):
        raise t.Failure("the test keyring has no collection: the check would prove nothing")
    return items


t.run(main)
