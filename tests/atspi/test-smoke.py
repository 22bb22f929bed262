#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""The built binary starts, and a person can find the window, the search and Add Tenant."""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import cqvatspi as t  # noqa: E402


def main():
    artefacts = os.environ.get("CQV_ARTEFACTS", ".")
    with t.App([]):
        app = t.wait_for("the application on the accessibility bus",
                         lambda: t.find_app("cyberqp-verify"))
        frame = t.wait_for("the main window",
                           lambda: t.find(app, role="frame", name_is="CyberQP Verify"))
        entry = t.wait_for("the search entry",
                           lambda: t.find(frame, name_is="Search users", showing=False))
        if t.role_name(entry) not in ("entry", "text"):
            raise t.Failure("'Search users' is a %s, not an entry" % t.role_name(entry))
        button = t.wait_for("the Add Tenant button",
                            lambda: t.find(frame, role="push button", name_has="Add Tenant"))
        t.wait_for("the main menu button",
                   lambda: t.find(frame, name_is="Main Menu"))
        t.screenshot(os.path.join(artefacts, "main-window-empty.png"))

        # Pressing it opens the Add Tenant dialog.
        t.do_action(button)
        # GTK 4.8 exposes a modal window with the dialog role as a "filler": match the name.
        t.wait_for("the Add Tenant dialog",
                   lambda: t.find(app, name_is="Add Tenant", max_depth=1))


t.run(main)
