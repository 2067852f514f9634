#!/bin/bash
# run_long.sh TARGET CPU_MINUTES [BUILD_DIR]: one long libFuzzer session of fuzz_TARGET (avc hevc aac av1 opus
# flac alac ac3 eac3 metadata track_format box_reader writer_api) as ONE process at the lowest CPU priority, for a
# machine shared with others. It stops after CPU_MINUTES of CPU time (not wall time: at nice 19 on a busy
# machine the fuzzer gets only what is left over), or after AW_FUZZ_WALL_MINUTES of wall time (default
# 3 x CPU_MINUTES), whichever comes first, and prints one line: target, CPU minutes, executions, findings.
# New inputs go to $AW_FUZZ_WORK (default /tmp/fuzz-TARGET)/corpus, findings to $AW_FUZZ_WORK/crash-*,
# timeout-*, leak-*, oom-*; never into the checked-in directories. libFuzzer's log: $AW_FUZZ_WORK/log.
# Build the targets first (fuzz/README.md); BUILD_DIR defaults to build-fuzz beside the sources.
set -eu
target=$1 minutes=$2
root=$(cd "$(dirname "$0")/.." && pwd)
build=${3:-$root/build-fuzz}
fuzzer=$build/fuzz/fuzz_$target
work=${AW_FUZZ_WORK:-/tmp/fuzz-$target}
wall_minutes=${AW_FUZZ_WALL_MINUTES:-$((3 * minutes))}
[ -x "$fuzzer" ] || { echo "no $fuzzer: build it first (fuzz/README.md)" >&2; exit 2; }
mkdir -p "$work/corpus"
corpora=("$root/fuzz/corpus/$target")
[ -d "$root/fuzz/regressions/$target" ] && corpora+=("$root/fuzz/regressions/$target")
extra=()
# writer_api: longer programs mostly repeat, and each run writes files.
[ "$target" = writer_api ] && extra=(-max_len=4096)
# -timeout: one input running 30 s is a hang; -rss_limit_mb: ASan's shadow plus 64 MiB payloads.
nice -n 19 "$fuzzer" -max_total_time=$((wall_minutes * 60)) -timeout=30 -rss_limit_mb=4096 \
  -print_final_stats=1 -artifact_prefix="$work/" "${extra[@]}" "$work/corpus" "${corpora[@]}" \
  >"$work/log" 2>&1 &
pid=$!
ticks=$(getconf CLK_TCK)
cpu_seconds() {  # utime + stime of the fuzzer, from /proc (fields 14 and 15 after the command name)
  local stat
  stat=$(cat "/proc/$pid/stat" 2>/dev/null) || { echo -1; return; }
  stat=${stat##*) }
  set -- $stat
  echo $(((${12} + ${13}) / ticks))
}
used=0
while kill -0 "$pid" 2>/dev/null; do
  now=$(cpu_seconds)
  [ "$now" -ge 0 ] && used=$now
  # SIGINT: libFuzzer prints its final stats and exits.
  [ "$used" -ge $((minutes * 60)) ] && kill -INT "$pid" 2>/dev/null
  sleep 5
done
wait "$pid" || true
execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$work/log" | tail -1)
findings=$(find "$work" -maxdepth 1 \( -name 'crash-*' -o -name 'timeout-*' -o -name 'leak-*' -o -name 'oom-*' \) | wc -l)
printf '%s\t%s CPU-min\t%s execs\t%s findings\n' "$target" "$(awk "BEGIN{printf \"%.1f\", $used/60}")" \
  "${execs:-?}" "$findings"
