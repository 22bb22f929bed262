#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Fails when a C source file is not formatted as .clang-format says. Headers keep GNOME's
# hand-aligned prototype columns, which clang-format cannot express, so they are not checked.
set -eu
cd "${1:?source directory}"

command -v clang-format >/dev/null || { echo "clang-format is not installed: skipping"; exit 77; }
# Formatting differs between clang-format releases; the rules were written for version 14
# (Debian 12), so other versions are not held to them.
major=$(clang-format --version | sed -E 's/.*version ([0-9]+).*/\1/')
[ "$major" = 14 ] || { echo "clang-format $major is not 14: skipping"; exit 77; }

rc=0
while IFS= read -r -d '' f; do
  if ! clang-format --dry-run --Werror "$f" >/dev/null 2>&1; then
    echo "not formatted: $f (run: clang-format -i $f)"
    rc=1
  fi
done < <(find src tests -name '*.c' -print0 | sort -z)
[ $rc = 0 ] && echo "all C sources are formatted"
exit $rc
