#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# The Flatpak manifest cannot be built offline (it needs the runtime), so check what can be
# checked: it parses without warnings and names the app id, command and runtime.
set -eu
cd "${1:?source directory}"
manifest=com.cyberqp.Verify.json

command -v flatpak-builder >/dev/null || { echo "flatpak-builder is not installed: skipping"; exit 77; }
out=$(mktemp) err=$(mktemp)
trap 'rm -f "$out" "$err"' EXIT

flatpak-builder --show-manifest "$manifest" >"$out" 2>"$err" || { cat "$err"; exit 1; }
if grep -qi 'warning' "$err"; then
  cat "$err"
  echo "flatpak-builder warned about $manifest"
  exit 1
fi
# The finish-args must stay minimal: no keyring name (libsecret uses the Secret portal).
python3 - "$out" <<'PY'
import json, sys
m = json.load(open(sys.argv[1]))
def need(cond, what):
    if not cond:
        sys.exit("manifest: " + what)
need(m.get("id", m.get("app-id")) == "com.cyberqp.Verify", "app id is not com.cyberqp.Verify")
need(m.get("command") == "cyberqp-verify", "command is not cyberqp-verify")
need(m.get("runtime") == "org.gnome.Platform" and m.get("sdk") == "org.gnome.Sdk", "not the GNOME runtime")
need(str(m.get("runtime-version", "")).isdigit(), "runtime-version is not a GNOME release")
args = set(m.get("finish-args", []))
need(args == {"--share=network", "--share=ipc", "--socket=wayland", "--socket=fallback-x11", "--device=dri"},
     "finish-args are not the minimal set: %s" % sorted(args))
app = [mod for mod in m["modules"] if isinstance(mod, dict) and mod.get("name") == "cyberqp-verify"]
need(app and app[-1].get("buildsystem") == "meson", "no meson module for the app")
need(app[-1].get("run-tests") is True, "the app module does not run its tests")
need(any(s.get("type") == "dir" and s.get("path") == "." for s in app[-1].get("sources", [])),
     "the app module is not built from the checkout")
print("manifest ok: %s, runtime %s %s" % (m["id"], m["runtime"], m["runtime-version"]))
PY
