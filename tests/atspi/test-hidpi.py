#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""HiDPI (GDK_SCALE=2 on a large screen): the window is drawn at twice its size, the
accessibility tree still describes it in its own units, and a verification goes through. Saves
the main window and the result as screenshots for people to look at."""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import cqvatspi as t  # noqa: E402

from gi.repository import Atspi  # noqa: E402

ARTEFACTS = os.environ.get("CQV_ARTEFACTS", ".")
SCALE = 2


def main():
    env = {"GDK_SCALE": str(SCALE), "CQV_DEMO_TIME_SCALE": "0.05"}
    with t.App(["--demo"], env=env):
        app, frame = t.demo_main_window()

        # The X window has SCALE times as many pixels as GTK's own units say (give or take the
        # few units of the client-side decorations' margin, which only the X window includes).
        extents = frame.get_extents(Atspi.CoordType.WINDOW)
        geometry = t.x_window_geometry("CyberQP Verify")
        t.log("window: %dx%d units, %dx%d pixels" % (extents.width, extents.height,
                                                     geometry["WIDTH"], geometry["HEIGHT"]))
        for pixels, units in ((geometry["WIDTH"], extents.width),
                              (geometry["HEIGHT"], extents.height)):
            if not SCALE * 0.95 <= pixels / units <= SCALE * 1.05:
                raise t.Failure("the main window is not drawn at scale %d" % SCALE)

        t.move_window("Simulated Phone", geometry["WIDTH"] + 20, 0)
        t.screenshot(os.path.join(ARTEFACTS, "main-window-hidpi.png"))

        dialog = t.open_verify_dialog(app, frame, "Adele Vance")
        t.send_push(dialog)
        t.wait_for("the result 'Identity Verified'",
                   lambda: t.find(dialog, role="label", name_is="Identity Verified"), timeout=30)
        t.screenshot(os.path.join(ARTEFACTS, "result-approved-hidpi.png"))
        t.close_dialog(app, dialog)


t.run(main)
