#!/usr/bin/env bash
# One command on a clean checkout: builds in release into build-bench/, generates the inputs once into
# bench/inputs/ (git-ignored), then remuxes each input through every writer and runs the library alone.
#   BENCH_RUNS=5 (rounds per configuration)  BENCH_SECONDS=300 (input length)  BENCH_ONLY=name,name
#   BENCH_SKIP_CALLGRIND=1 (skip the instruction counts)  BENCH_OUT_DIR (where outputs go; default below)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
build="$root/build-bench"
runs=${BENCH_RUNS:-5}

for tool in meson ninja ffmpeg gst-launch-1.0 python3; do
  command -v "$tool" >/dev/null || { echo "bench: $tool is missing (tools/deps.sh installs the project's packages)" >&2; exit 1; }
done
if [[ ! -f "$build/build.ninja" ]]; then
  meson setup "$build" "$root" --buildtype=release >/dev/null
fi
ninja -C "$build" >/dev/null
export GST_PLUGIN_PATH="$build/gst"
export GST_REGISTRY="$build/bench-registry.bin"

"$here/gen_inputs.sh"

# Outputs go to tmpfs when it has room for two copies of the large input: every row, cp included, then
# writes to the same memory, and this VM's disk writeback (which made identical rows differ 2x) stays out of
# the times. BENCH_OUT_DIR=bench/out measures against the disk instead.
large_bytes=$(stat -c %s "$here/inputs/large.mp4")
if [[ -z "${BENCH_OUT_DIR:-}" && -d /dev/shm ]] &&
   (( $(df --output=avail -B1 /dev/shm | tail -1) > 2 * large_bytes )); then
  out=/dev/shm/aw-bench
else
  out=${BENCH_OUT_DIR:-$here/out}
fi
instructions=--instructions
[[ "${BENCH_SKIP_CALLGRIND:-0}" == 1 ]] && instructions=
mkdir -p "$out" "$here/results"
stamp=$(date -u +%Y%m%dT%H%M%SZ)
report="$here/results/$stamp.md"
{
  echo "## $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores, $(uname -r), GStreamer $(gst-launch-1.0 --version | sed -n 's/^GStreamer //p'), $(ffmpeg -version | head -1 | cut -d' ' -f1-3)"
  echo "commit $(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo '?')$(git -C "$root" diff --quiet 2>/dev/null || echo ' (dirty)')"
  echo "outputs written to $out"
  python3 "$here/bench.py" "$here/inputs/large.mp4" --runs "$runs" --out-dir "$out" --only "${BENCH_ONLY:-}"
  # Instruction counts on the many-small-samples input only: under callgrind the large one is slow and its
  # cost is the payload copy, which the wall times show.
  python3 "$here/bench.py" "$here/inputs/small.mp4" --runs "$runs" --out-dir "$out" --only "${BENCH_ONLY:-}" \
    $instructions
  python3 "$here/lib_bench.py" "$build/bench/lib_bench" --out-dir "$out"
} | tee "$report"
echo "bench: report written to $report" >&2
