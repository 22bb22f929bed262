#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Fails when a file with translatable strings is missing from po/POTFILES.in, or when
# POTFILES.in names a file that does not exist.
set -eu
cd "${1:?source directory}"

listed=$(grep -v '^\s*#' po/POTFILES.in | sed '/^\s*$/d' | sort -u)
found=$(
  {
    grep -rlE '(^|[^A-Za-z0-9_])(N?_|C_|NC_|g_dngettext|ngettext)\s*\("' --include='*.c' src || true
    grep -rl 'translatable="yes"' --include='*.ui' src || true
    grep -rlE '<(summary|description)' --include='*.gschema.xml' data || true
    ls data/*.metainfo.xml.in 2>/dev/null || true
    ls ./*.desktop 2>/dev/null | sed 's|^\./||' || true
  } | grep -v '^src/simulator/' | sort -u
)

rc=0
for f in $found; do
  if ! grep -qxF "$f" <<<"$listed"; then
    echo "not in po/POTFILES.in but has translatable strings: $f"
    rc=1
  fi
done
for f in $listed; do
  if [ ! -e "$f" ]; then
    echo "listed in po/POTFILES.in but missing: $f"
    rc=1
  fi
done
[ $rc = 0 ] && echo "po/POTFILES.in lists all $(wc -w <<<"$found") files with translatable strings"
exit $rc
