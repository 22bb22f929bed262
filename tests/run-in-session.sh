#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Runs one test in a private session: fresh XDG directories, and on request Xvfb, a private
# D-Bus session bus and an unlocked GNOME Keyring. Cleans up after itself.
#
#   run-in-session.sh [--display] [--screen WxH] [--bus] [--keyring | --no-secret-service]
#                     -- COMMAND [ARGS...]
#
# --bus                 a private session bus (with the standard service directories)
# --keyring             implies --bus; starts gnome-keyring-daemon with an unlocked login keyring
# --no-secret-service   implies --bus; a bus on which no Secret Service can be activated
# --display             Xvfb on a free display number; implies --bus, so that nothing
#                       autolaunches a stray session bus through X11
# --screen WxH          the Xvfb screen's size in pixels (1280x1024 unless given)
set -u

want_display=0 want_bus=0 want_keyring=0 no_secrets=0 screen=1280x1024
while [ $# -gt 0 ]; do
  case "$1" in
    --display) want_display=1 want_bus=1 ;;
    --screen) shift; screen="${1:?--screen needs WxH}" ;;
    --bus) want_bus=1 ;;
    --keyring) want_bus=1 want_keyring=1 ;;
    --no-secret-service) want_bus=1 no_secrets=1 ;;
    --) shift; break ;;
    *) echo "run-in-session: unknown option $1" >&2; exit 99 ;;
  esac
  shift
done
[ $# -gt 0 ] || { echo "run-in-session: no command" >&2; exit 99; }

state=$(mktemp -d "${TMPDIR:-/tmp}/cqv-test.XXXXXX")
xvfb_pid= bus_pid=
cleanup () {
  [ -n "$bus_pid" ] && kill "$bus_pid" 2>/dev/null
  [ -n "$xvfb_pid" ] && kill "$xvfb_pid" 2>/dev/null
  # gnome-keyring-daemon and a11y services exit with their bus; give them no chance to linger.
  pkill -f "$state" 2>/dev/null
  wait 2>/dev/null
  rm -rf "$state"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

export HOME="$state/home" XDG_CONFIG_HOME="$state/config" XDG_DATA_HOME="$state/data" \
       XDG_CACHE_HOME="$state/cache" XDG_STATE_HOME="$state/statedir" XDG_RUNTIME_DIR="$state/run"
mkdir -p "$HOME" "$XDG_CONFIG_HOME" "$XDG_DATA_HOME" "$XDG_CACHE_HOME" "$XDG_STATE_HOME"
mkdir -m 700 "$XDG_RUNTIME_DIR"
unset DBUS_SESSION_BUS_ADDRESS WAYLAND_DISPLAY

if [ $want_display = 1 ]; then
  command -v Xvfb >/dev/null || { echo "run-in-session: Xvfb is not installed" >&2; exit 77; }
  exec 3> "$state/display"
  Xvfb -displayfd 3 -screen 0 "${screen}x24" -nolisten tcp -noreset >"$state/xvfb.log" 2>&1 &
  xvfb_pid=$!
  exec 3>&-
  for _ in $(seq 1 200); do
    [ -s "$state/display" ] && break
    kill -0 "$xvfb_pid" 2>/dev/null || break
    sleep 0.05
  done
  [ -s "$state/display" ] || { echo "run-in-session: Xvfb did not start" >&2; cat "$state/xvfb.log" >&2; exit 99; }
  export DISPLAY=":$(head -n1 "$state/display")" GDK_BACKEND=x11
else
  unset DISPLAY
fi

if [ $want_bus = 1 ]; then
  command -v dbus-daemon >/dev/null || { echo "run-in-session: dbus-daemon is not installed" >&2; exit 77; }
  if [ $no_secrets = 1 ]; then
    cat > "$state/bus.conf" <<CONF
<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>session</type>
  <listen>unix:tmpdir=$state</listen>
  <policy context="default">
    <allow send_destination="*" eavesdrop="true"/>
    <allow eavesdrop="true"/>
    <allow own="*"/>
  </policy>
</busconfig>
CONF
    conf=(--config-file="$state/bus.conf")
  else
    conf=(--session)
  fi
  exec 4> "$state/bus"
  dbus-daemon "${conf[@]}" --nofork --print-address=4 >"$state/dbus.log" 2>&1 &
  bus_pid=$!
  exec 4>&-
  for _ in $(seq 1 200); do
    [ -s "$state/bus" ] && break
    sleep 0.05
  done
  [ -s "$state/bus" ] || { echo "run-in-session: dbus-daemon did not start" >&2; exit 99; }
  export DBUS_SESSION_BUS_ADDRESS="$(head -n1 "$state/bus")"
  if [ $want_keyring = 1 ]; then
    command -v gnome-keyring-daemon >/dev/null || { echo "run-in-session: gnome-keyring is not installed" >&2; exit 77; }
    # A password on stdin creates and unlocks a fresh "login" collection (the default alias).
    printf %s "cqv-test-keyring" | gnome-keyring-daemon --unlock --components=secrets >/dev/null 2>"$state/keyring.log" \
      || { echo "run-in-session: gnome-keyring-daemon failed" >&2; cat "$state/keyring.log" >&2; exit 99; }
  fi
fi

"$@"
