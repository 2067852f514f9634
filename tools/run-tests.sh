#!/usr/bin/env bash
# Installs what is missing, builds into build/, runs every test (library gtests, element gtests, end-to-end
# TAP scripts), then builds build-asan/ with AddressSanitizer + UndefinedBehaviorSanitizer and runs the
# library and element gtests again under them. Ends with "N passed, M failed" over both runs.
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
    meson test -C "$root/build-asan" --setup sanitize --print-errorlogs lib gst-convert gst-element gst-bin \
      gst-bin-settings gst-segments gst-segment-element
  else
    echo "sanitizer build failed"
  fi
  stems+=("$root/build-asan/meson-logs/testlog-sanitize")
fi
# A short libFuzzer pass (clang, ASan+UBSan) of every fuzz target over its seeds and past findings
# (fuzz/README.md); set AW_SKIP_FUZZ=1 to skip. Only the fuzz targets are built in build-fuzz/.
if [ "${AW_SKIP_FUZZ:-0}" != 1 ]; then
  if [ ! -f "$root/build-fuzz/build.ninja" ]; then
    CC=clang CXX=clang++ meson setup "$root/build-fuzz" "$root" -Dfuzzing=true -Db_sanitize=address,undefined \
      -Db_lundef=false >/dev/null
  fi
  if targets=$(ls "$root"/fuzz/fuzz_*.cc | sed 's|.*/\(fuzz_[a-z0-9_]*\)\.cc|fuzz/\1|') &&
     ninja -C "$root/build-fuzz" $targets; then
    rm -f "$root"/build-fuzz/meson-logs/testlog.{junit.xml,json}
    meson test -C "$root/build-fuzz" --no-rebuild --suite fuzz --print-errorlogs
  else
    echo "fuzz build failed"
  fi
  stems+=("$root/build-fuzz/meson-logs/testlog")
fi
python3 "$root/tools/count_results.py" "${stems[@]}"
