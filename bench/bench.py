#!/usr/bin/env python3
"""Remuxes one input through every writer, several rounds, and prints one table per input.

Every GStreamer row uses the same front (filesrc ! qtdemux, a queue and a parser per stream), so only the muxer
differs; "demux floor" is that front into fakesinks. Wall time, CPU time (user+system) and peak RSS come from
wait4() on the child, so gst-launch/ffmpeg start-up is inside every row (the floor row shows how much).
Rounds run the configurations in turn, so slow phases of a noisy machine hit every row alike.

--instructions also runs the floor, ours and mp4mux (tuned and default) once each under callgrind: user-space
instructions of the whole process, which do not vary with the machine's load, so the muxing-cost ratios can be
read without the wall-time noise (thread hand-offs are kernel time, which callgrind does not count: the
context-switch column of the wall-time table shows those).
"""
import argparse
import os
import re
import shlex
import statistics
import subprocess
import sys
import time

MS = 1000000  # nanoseconds per millisecond (GStreamer latency properties)


def gst_configs(inp, out):
    def front(video_sink, audio_sink):
        return (f"filesrc location={shlex.quote(inp)} ! qtdemux name=d "
                f"d.video_0 ! queue ! h264parse ! {video_sink} "
                f"d.audio_0 ! queue ! aacparse ! {audio_sink}")

    def mux(element):
        return ["gst-launch-1.0", "-q", "-e"] + shlex.split(front("m.video_0", "m.audio_0") + " " + element)

    o = shlex.quote(out)
    return [
        ("demux floor", ["gst-launch-1.0", "-q"] +
         shlex.split(front("fakesink sync=false", "fakesink sync=false"))),
        ("ours", mux(f"assetwritersink name=m location={o}")),
        # A remux's fragments are not synced by default (sync-fragments=auto): what durability would cost.
        ("ours fragment-interval=1s sync-fragments=true",
         mux(f"assetwritersink name=m location={o} fragment-interval=1000000000 sync-fragments=true")),
        ("ours crash-recovery-interval=0",
         mux(f"assetwritersink name=m location={o} crash-recovery-interval=0")),
        ("ours moov-first", mux(f"assetwritersink name=m location={o} optimize-for-network-use=true")),
        # The inputs last BENCH_SECONDS: the hint reserves the index's room, so there is no second pass.
        ("ours moov-first overall-duration-hint",
         mux(f"assetwritersink name=m location={o} optimize-for-network-use=true "
             f"overall-duration-hint={int(os.environ.get('BENCH_SECONDS', '300')) * 1_000_000_000}")),
        ("ours fragment-interval=1s",
         mux(f"assetwritersink name=m location={o} fragment-interval=1000000000")),
        ("qtmux", mux(f"qtmux name=m ! filesink location={o}")),
        ("qtmux latency=100ms", mux(f"qtmux name=m latency={100 * MS} ! filesink location={o}")),
        ("mp4mux", mux(f"mp4mux name=m ! filesink location={o}")),
        ("mp4mux latency=100ms", mux(f"mp4mux name=m latency={100 * MS} ! filesink location={o}")),
        ("mp4mux faststart", mux(f"mp4mux name=m faststart=true ! filesink location={o}")),
        ("mp4mux faststart latency=100ms",
         mux(f"mp4mux name=m faststart=true latency={100 * MS} ! filesink location={o}")),
        ("mp4mux fragment-duration=1s", mux(f"mp4mux name=m fragment-duration=1000 ! filesink location={o}")),
        ("mp4mux fragment-duration=1s latency=100ms",
         mux(f"mp4mux name=m fragment-duration=1000 latency={100 * MS} ! filesink location={o}")),
    ]


def other_configs(inp, out):
    ff = ["ffmpeg", "-nostdin", "-v", "error", "-y", "-i", inp, "-map", "0", "-c", "copy"]
    return [
        ("ffmpeg -c copy", ff + [out]),
        ("ffmpeg +faststart", ff + ["-movflags", "+faststart", out]),
        ("ffmpeg +frag_keyframe+empty_moov", ff + ["-movflags", "+frag_keyframe+empty_moov", out]),
        ("cp", ["cp", inp, out]),
    ]


def run_once(argv, out):
    for path in (out,):
        if os.path.exists(path):
            os.unlink(path)
    start = time.perf_counter()
    proc = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    err = proc.stderr.read().decode(errors="replace")
    proc.stderr.close()
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        raise RuntimeError(f"{shlex.join(argv)} exited {proc.returncode}: {err[-2000:]}")
    size = os.path.getsize(out) if os.path.exists(out) else 0
    if os.path.exists(out):
        os.unlink(out)
    return {"wall": wall, "cpu": usage.ru_utime + usage.ru_stime, "rss": usage.ru_maxrss * 1024, "size": size,
            "switches": usage.ru_nvcsw + usage.ru_nivcsw}


INSTRUCTION_ROWS = ("demux floor", "ours", "mp4mux latency=100ms", "mp4mux")


def instructions_once(argv, out):
    """User-space instructions of the whole process (every thread), from callgrind's summary line."""
    if os.path.exists(out):
        os.unlink(out)
    proc = subprocess.run(["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null"] + argv,
                          stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    if os.path.exists(out):
        os.unlink(out)
    match = re.search(r"Collected : (\d+)", proc.stderr)
    if proc.returncode != 0 or not match:
        raise RuntimeError(f"callgrind {shlex.join(argv)} exited {proc.returncode}: {proc.stderr[-2000:]}")
    return int(match.group(1))


def print_instructions(configs, out):
    counts = {name: instructions_once(argv, out) for name, argv in configs if name in INSTRUCTION_ROWS}
    floor = counts["demux floor"]
    ours_cost = counts["ours"] - floor
    print("\nInstructions (callgrind, user space, whole process, one run each):\n")
    print("| writer | instructions | muxing cost (− floor) | ours / this (muxing cost) |")
    print("|---|---|---|---|")
    for name, count in counts.items():
        cost = count - floor
        mux = name != "demux floor"
        print(f"| {name} | {count:,} | {f'{cost:,}' if mux else '-'} | {fmt_ratio(ours_cost, cost) if mux else '-'} |")


def fmt_ratio(a, b):
    return f"{a / b:.2f}" if b > 0 else "-"


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("input")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--out-dir", required=True)
    parser.add_argument("--only", default="", help="comma-separated substrings of row names to run")
    parser.add_argument("--instructions", action="store_true", help="also count instructions under callgrind")
    args = parser.parse_args()

    os.makedirs(args.out_dir, exist_ok=True)
    out = os.path.join(args.out_dir, "bench-out.mp4")
    configs = gst_configs(args.input, out) + other_configs(args.input, out)
    if args.only:
        keep = [s.strip() for s in args.only.split(",")]
        configs = [c for c in configs if c[0] in ("demux floor", "ours", "cp") or any(k == c[0] for k in keep)]
    results = {name: [] for name, _ in configs}
    for round_index in range(args.runs):
        for name, argv in configs:
            results[name].append(run_once(argv, out))
        print(f"  round {round_index + 1}/{args.runs} done", file=sys.stderr)

    def med(name, key):
        return statistics.median(r[key] for r in results[name])

    floor = med("demux floor", "wall")
    ours = med("ours", "wall")
    ours_cost = ours - floor
    header = (f"| writer | min wall s | median wall s | median CPU s | median context switches | peak RSS MiB | "
              f"output bytes | muxing cost s (median − floor) | ours / this (wall) |")
    print(f"\n### {os.path.basename(args.input)} ({os.path.getsize(args.input)} bytes), {args.runs} runs each\n")
    print(header)
    print("|" + "---|" * 9)
    for name, _ in configs:
        rs = results[name]
        wall = med(name, "wall")
        is_gst = name not in [c[0] for c in other_configs(args.input, out)]
        cost = f"{wall - floor:.3f}" if is_gst and name != "demux floor" else "-"
        print(f"| {name} | {min(r['wall'] for r in rs):.3f} | {wall:.3f} | {med(name, 'cpu'):.3f} | "
              f"{med(name, 'switches'):.0f} | {max(r['rss'] for r in rs) / 2**20:.1f} | {rs[0]['size']} | {cost} | {fmt_ratio(ours, wall)} |")

    def cost_of(name):
        return med(name, "wall") - floor

    print("\nTargets (medians):")
    if "mp4mux latency=100ms" in results:
        print(f"- muxing cost ours / tuned mp4mux (latency=100ms): {ours_cost:.3f} / {cost_of('mp4mux latency=100ms'):.3f}"
              f" = {fmt_ratio(ours_cost, cost_of('mp4mux latency=100ms'))} (target ≤ 0.50)")
    if "mp4mux" in results:
        print(f"- muxing cost ours / default mp4mux: {ours_cost:.3f} / {cost_of('mp4mux'):.3f}"
              f" = {fmt_ratio(ours_cost, cost_of('mp4mux'))} (target ≤ 0.10)")
    print(f"- wall ours / cp: {ours:.3f} / {med('cp', 'wall'):.3f} = {fmt_ratio(ours, med('cp', 'wall'))}"
          f" (target ≤ 1.3 on the large input)")
    plain = "ours crash-recovery-interval=0"
    if plain in results:
        p_wall = med(plain, "wall")
        p_cost = p_wall - floor
        print(f"- {plain} (one mdat, as the other muxers write): muxing cost / tuned mp4mux = "
              f"{fmt_ratio(p_cost, cost_of('mp4mux latency=100ms')) if 'mp4mux latency=100ms' in results else '-'}, "
              f"/ default mp4mux = {fmt_ratio(p_cost, cost_of('mp4mux')) if 'mp4mux' in results else '-'}, "
              f"wall / cp = {fmt_ratio(p_wall, med('cp', 'wall'))}")
    if "mp4mux latency=100ms" in results:
        cpu_floor = med("demux floor", "cpu")
        print(f"- CPU time, muxing cost ours / tuned mp4mux: {med('ours', 'cpu') - cpu_floor:.3f} / "
              f"{med('mp4mux latency=100ms', 'cpu') - cpu_floor:.3f} = "
              f"{fmt_ratio(med('ours', 'cpu') - cpu_floor, med('mp4mux latency=100ms', 'cpu') - cpu_floor)}")
    for other in ("qtmux", "mp4mux", "ffmpeg -c copy"):
        if other in results:
            print(f"- wall ours / {other}: {fmt_ratio(ours, med(other, 'wall'))}")
    if args.instructions:
        print_instructions(configs, out)


if __name__ == "__main__":
    main()
