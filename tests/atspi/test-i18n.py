#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Under LANGUAGE=de the window speaks German: the search entry's accessible name is po/de.po's
translation of "Search users" (read from the file, so the test follows the translation)."""

import os
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import cqvatspi as t  # noqa: E402

ARTEFACTS = os.environ.get("CQV_ARTEFACTS", ".")
SRCDIR = os.environ.get("G_TEST_SRCDIR", os.path.join(os.path.dirname(__file__), ".."))
PO = os.path.join(SRCDIR, "..", "po", "de.po")


def german(msgid):
    return t.po_translation(PO, msgid) or ""


def main():
    search = german("Search users")
    if not search:
        raise t.Failure("po/de.po has no German translation of \"Search users\" yet, so the "
                        "German user interface cannot be checked")
    # C.UTF-8 rather than de_DE.UTF-8: CI machines have no German locale; gettext still
    # honours LANGUAGE because the locale is not plain "C".
    # The catalogue is compiled here from the same de.po: the build's po/ is not a dependency
    # of this test and may be older than the file just read.
    localedir = tempfile.mkdtemp(prefix="cqv-i18n-", dir=os.environ.get("XDG_CACHE_HOME"))
    mo_dir = os.path.join(localedir, "de", "LC_MESSAGES")
    os.makedirs(mo_dir)
    subprocess.run(["msgfmt", "-o", os.path.join(mo_dir, "cyberqp-verify.mo"), PO], check=True,
                   timeout=30)
    env = {"LANGUAGE": "de", "LANG": "C.UTF-8", "LC_ALL": "C.UTF-8",
           "CQV_LOCALEDIR": localedir, "CQV_DEMO_TIME_SCALE": "0.05"}
    with t.App(["--demo"], env=env):
        app = t.wait_for("the application on the accessibility bus",
                         lambda: t.find_app("cyberqp-verify"))
        frame = t.wait_for("the main window", lambda: t.find(app, role="frame"))
        try:
            t.wait_for("the search entry called \"%s\"" % search,
                       lambda: t.find(frame, name_is=search), timeout=10)
        except t.Failure:
            entry = t.find(frame, role="entry")
            raise t.Failure("the search entry is called \"%s\", not \"%s\" (from po/de.po)"
                            % (t.name(entry) if entry else "?", search))
        t.log("search entry: %s" % search)

        t.wait_for("the demo users", lambda: t.find(frame, role="label", name_is="Adele Vance"))
        t.wait_for("the simulated phone",
                   lambda: t.find_in_apps(role="frame", name_is="Simulated Phone"))
        t.move_window("Simulated Phone", 1280, 0)
        t.screenshot(os.path.join(ARTEFACTS, "main-window-de.png"))

        # One verification in German, for the screenshot; every label comes from de.po.
        labels = {key: (german(msgid) or msgid).replace("_", "").rstrip("…")
                  for key, msgid in (("search", "Search users"),
                                     ("verify", "_Verify User Identity…"),
                                     ("option", "MS Authenticator"), ("send", "Send"))}
        title = german("Identity Verified") or "Identity Verified"
        dialog = t.open_verify_dialog(app, frame, "Adele Vance", window_title=t.name(frame),
                                      labels=labels)
        t.send_push(dialog, labels=labels)
        t.wait_for("the result \"%s\"" % title,
                   lambda: t.find(dialog, role="label", name_is=title), timeout=30)
        t.screenshot(os.path.join(ARTEFACTS, "result-approved-de.png"))


t.run(main)
