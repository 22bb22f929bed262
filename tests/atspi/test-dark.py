#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Dark mode (GTK_THEME=Adwaita:dark): the main window and two result dialogs, as screenshots for
people to look at; the run itself checks that the dialogs still work."""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import cqvatspi as t  # noqa: E402

ARTEFACTS = os.environ.get("CQV_ARTEFACTS", ".")


def main():
    env = {"GTK_THEME": "Adwaita:dark", "CQV_DEMO_TIME_SCALE": "0.05"}
    with t.App(["--demo"], env=env):
        app, frame = t.demo_main_window()
        t.move_window("Simulated Phone", 1280, 0)
        t.screenshot(os.path.join(ARTEFACTS, "main-window-dark.png"))

        for user, title, shot in (("Adele Vance", "Identity Verified", "result-approved-dark"),
                                  ("Megan Bowen", "Fraud Reported", "result-fraud-dark")):
            dialog = t.open_verify_dialog(app, frame, user)
            t.send_push(dialog)
            t.wait_for("the result '%s'" % title,
                       lambda: t.find(dialog, role="label", name_is=title), timeout=30)
            t.screenshot(os.path.join(ARTEFACTS, shot + ".png"))
            t.close_dialog(app, dialog)


t.run(main)
