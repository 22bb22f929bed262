#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
#
# One-step set-up for a Debian 12 machine:
#   build-aux/dev.sh run [ARGS...]   install what is missing, build, and start the app (demo tenant)
#   build-aux/dev.sh test            install what is missing, build, and run the whole test suite
#
# Packages are installed with apt only when missing (sudo when not root). The build directory is
# _build; warnings are errors, as in CI.
set -euo pipefail
cd "$(dirname "$0")/.."

mode=${1:-}
[ $# -gt 0 ] && shift

packages=(
  build-essential meson ninja-build pkg-config gettext
  libgtk-4-dev libsoup-3.0-dev libjson-glib-dev libsecret-1-dev glib-networking libglib2.0-bin
  appstream desktop-file-utils clang-format flatpak-builder
  xvfb xauth dbus dbus-x11 at-spi2-core gnome-keyring libsecret-tools
  python3-gi gir1.2-atspi-2.0 gir1.2-gtk-4.0 openssl imagemagick
)

install_missing () {
  local missing=() sudo=()
  for p in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  [ "$(id -u)" = 0 ] || sudo=(sudo)
  echo "Installing: ${missing[*]}"
  "${sudo[@]}" apt-get update -qq
  "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
}

build () {
  if [ ! -f _build/build.ninja ]; then
    meson setup _build -Dwerror=true
  fi
  meson compile -C _build
}

case "$mode" in
  run)
    install_missing
    build
    export GSETTINGS_SCHEMA_DIR="$PWD/_build/data" CQV_LOCALEDIR="$PWD/_build/po"
    exec ./_build/src/cyberqp-verify "${@:---demo}"  # no arguments: the built-in demo tenant
    ;;
  test)
    install_missing
    build
    # Each test starts its own Xvfb, D-Bus session and GNOME Keyring where it needs them
    # (tests/run-in-session.sh), so nothing else has to be running.
    meson test -C _build --print-errorlogs --num-processes "$(nproc)" "$@"
    ;;
  *)
    echo "usage: $0 run [ARGS...] | test [MESON TEST ARGS...]" >&2
    exit 2
    ;;
esac
