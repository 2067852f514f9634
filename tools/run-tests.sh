#!/usr/bin/env bash
# Installs what is missing, builds into build/, runs every test (library gtests, element gtests, end-to-end
# TAP scripts), builds build-release/ (-O3, as the bench) and runs the library tests there, then builds
# build-asan/ with AddressSanitizer + UndefinedBehaviorSanitizer and runs them all again under them (but the
# 10^7-sample cases). Ends with "N passed, M failed" over the runs.
set -uo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
source "$root/tools/deps.sh"

aw_install_missing || exit 1
aw_build "$root" build || { echo "0 passed, 1 failed (build)"; exit 1; }

rm -f "$root"/build/meson-logs/testlog.{junit.xml,json}
meson test -C "$root/build" --print-errorlogs

stems=("$root/build/meson-logs/testlog")
# bench/run.sh builds in release (-O3), where GCC 12 reports warnings (errors here) that a debug build never
# sees: build it too, and run the library and conversion tests optimised. A failed build leaves no log, which
# counts as a failure. AW_SKIP_RELEASE=1 skips it.
if [ "${AW_SKIP_RELEASE:-0}" != 1 ]; then
  rm -f "$root"/build-release/meson-logs/testlog.{junit.xml,json}
  if aw_build "$root" build-release --buildtype=release; then
    meson test -C "$root/build-release" --print-errorlogs lib gst-convert
  else
    echo "release build failed"
  fi
  stems+=("$root/build-release/meson-logs/testlog")
fi
if [ "${AW_SKIP_SANITIZERS:-0}" != 1 ]; then
  if aw_build "$root" build-asan -Db_sanitize=address,undefined -Db_lundef=false -Dbuildtype=debug; then
    rm -f "$root"/build-asan/meson-logs/testlog{,-large}-sanitize.{junit.xml,json}
    # A registry cache may hold a plugin scan from an uninstrumented scanner: every test starts afresh.
    find "$root/build-asan" -name '*registry*.bin' -delete
    # The e2e scripts preload the sanitizer runtimes into gst-launch-1.0 and the other GStreamer tools
    # (tests/e2e_util.py).
    meson test -C "$root/build-asan" --setup sanitize --print-errorlogs --no-suite large
    # `large` but its two cases of 10^7 samples, which alone take over ten minutes at -O0 under ASan (the
    # whole suite two in the optimised build): the file past 4 GiB and the long durations take 20 s.
    meson test -C "$root/build-asan" --setup sanitize --print-errorlogs --suite large \
      --logbase testlog-large --test-args=--gtest_filter=-LargeFile.ten_million_*
  else
    echo "sanitizer build failed"
  fi
  stems+=("$root/build-asan/meson-logs/testlog-sanitize" "$root/build-asan/meson-logs/testlog-large-sanitize")
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
