#!/usr/bin/env bash
# Installs what is missing, builds into build/, runs every test (library gtests, element gtests, end-to-end
# TAP scripts), then builds build-asan/ with AddressSanitizer + UndefinedBehaviorSanitizer and runs the
# library and element tests again under them. Ends with "N passed, M failed" over both runs.
set -uo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
source "$root/tools/deps.sh"

aw_install_missing || exit 1
aw_build "$root" build || { echo "0 passed, 1 failed (build)"; exit 1; }

rm -f "$root"/build/meson-logs/testlog.{junit.xml,json}
meson test -C "$root/build" --print-errorlogs

stems=("$root/build/meson-logs/testlog")
if [ "${AW_SKIP_SANITIZERS:-0}" != 1 ]; then
  if aw_build "$root" build-asan -Db_sanitize=address,undefined -Db_lundef=false -Dbuildtype=debug; then
    rm -f "$root"/build-asan/meson-logs/testlog-sanitize.{junit.xml,json}
    # The registry cache may hold a plugin scan from an uninstrumented scanner: start afresh.
    find "$root/build-asan" -name 'registry*.bin' -delete
    meson test -C "$root/build-asan" --setup sanitize --print-errorlogs lib gst-convert gst-element
  else
    echo "sanitizer build failed"
  fi
  stems+=("$root/build-asan/meson-logs/testlog-sanitize")
fi
python3 "$root/tools/count_results.py" "${stems[@]}"
