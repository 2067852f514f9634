#!/usr/bin/env bash
# Installs what is missing, builds into build/, runs every test (library gtests, element gtests, end-to-end
# TAP scripts), and ends with "N passed, M failed" counted over test cases and subtests.
set -uo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
source "$root/tools/deps.sh"

aw_install_missing || exit 1
aw_build "$root" || { echo "0 passed, 1 failed (build)"; exit 1; }

rm -f "$root/build/meson-logs/testlog.junit.xml" "$root/build/meson-logs/testlog.json"
meson test -C "$root/build" --print-errorlogs
python3 "$root/tools/count_results.py" "$root/build/meson-logs"
