#!/bin/sh
# The LL-HLS latency table: tests/test_ll_hls_playback.py once per part size (each run also measures regular
# HLS of the same segments), printed as a Markdown table.
#   tools/ll-latency-table.sh [build dir] [part sizes in ms...]     (default: build 200 333 500)
set -eu
build=${1:-build}
[ $# -gt 0 ] && shift
sizes=${*:-200 333 500}
echo "| parts | hls.js | LL latency median / max (s) | LL stalls | regular HLS median / max (s) | _HLS_msn+_HLS_part reloads | parts loaded | hinted requests (held) |"
echo "|---|---|---|---|---|---|---|---|"
for ms in $sizes; do
  # The TAP diagnostics (the LATENCY line) are in the test log, not in meson's own output.
  AW_LL_PART_MS=$ms meson test -C "$build" e2e-ll-hls-playback >/dev/null 2>&1 || true
  line=$(grep -o 'LATENCY .*' "$build/meson-logs/testlog.txt" | tail -n 1 || true)
  if [ -z "$line" ]; then
    echo "| $ms ms | run failed: see $build/meson-logs/testlog.txt | | | | | | |"
    continue
  fi
  echo "$line" | tr ' ' '\n' | awk -F= -v ms="$ms" '
    NF == 2 { v[$1] = $2 }
    END { printf "| %s ms | %s | %s / %s | %s | %s / %s | %s | %s | %s (%s) |\n", ms, v["hlsjs"], v["ll_median"],
          v["ll_max"], v["ll_stalls"], v["regular_median"], v["regular_max"], v["msn_part_requests"],
          v["parts_loaded"], v["hinted_requests"], v["held_for_hint"] }'
done
