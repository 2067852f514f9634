#!/usr/bin/env python3
"""The library alone (bench/lib_bench.cc): cost per sample in each output mode, index memory per sample
(the sample tables' own accounting per stream kind, and peak RSS growth), a 10-hour recording's peak RSS,
and instructions per sample under callgrind.

Instructions per sample are the difference between two callgrind runs (60 s and 120 s of 240 fps video +
AAC) divided by the difference in samples, so start-up and the final index are left out.
"""
import argparse
import os
import re
import shutil
import statistics
import subprocess
import tempfile

MODES = [
    ("default (crash-safe fragments, fdatasync)", []),
    ("crash-safe fragments, no fdatasync", ["--no-sync"]),
    ("plain (one mdat)", ["--plain"]),
    ("moov-first", ["--moov-first"]),
]


def run(binary, out, args):
    text = subprocess.run([binary, out] + args, check=True, capture_output=True, text=True).stdout
    return {k: float(v) for k, v in (line.split("=", 1) for line in text.split())}


def callgrind_ir(binary, args, workdir):
    out_file = os.path.join(workdir, "callgrind.out")
    subprocess.run(["valgrind", "--tool=callgrind", f"--callgrind-out-file={out_file}", binary] + args,
                   check=True, capture_output=True)
    with open(out_file) as f:
        for line in f:
            if line.startswith("summary:") or line.startswith("totals:"):
                return int(line.split()[1]), out_file
    raise RuntimeError("no totals in callgrind output")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("binary")
    parser.add_argument("--out-dir", required=True)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    out = os.path.join(args.out_dir, "lib-bench.mp4")

    print("\n### The library alone: 300 s of 240 fps H.264 (~150 B/frame, B-frames) + 48 kHz AAC, "
          f"86,062 samples, median of {args.runs}\n")
    print("| output mode | wall s | CPU s | ns per sample (wall) | ns per sample (CPU) | output bytes |")
    print("|---|---|---|---|---|---|")
    for name, extra in MODES:
        rs = [run(args.binary, out, extra) for _ in range(args.runs)]
        size = os.path.getsize(out)
        os.unlink(out)
        wall = statistics.median(r["total_seconds"] for r in rs)
        cpu = statistics.median(r["cpu_seconds"] for r in rs)
        n = rs[0]["samples"]
        print(f"| {name} | {wall:.3f} | {cpu:.3f} | {wall * 1e9 / n:.0f} | {cpu * 1e9 / n:.0f} | {size} |")

    # Index memory by the tables' own accounting (lib_bench --index-only: the same samples into SampleTables).
    print("\nIndex memory per stream kind (the sample tables' own accounting, `lib_bench --index-only`; "
          "target <= 8 bytes per sample):\n")
    print("| stream | samples | index bytes | bytes per sample |")
    print("|---|---|---|---|")
    kinds = [
        ("H.264 60 fps, B-frames, ~150 B frames (10 h)", ["--fps", "60", "--seconds", "36000"], "video"),
        ("AAC 48 kHz, 1024-frame samples (10 h)", ["--fps", "60", "--seconds", "36000"], "audio"),
        ("H.264 240 fps, B-frames (1 h)", ["--fps", "240", "--seconds", "3600"], "video"),
        ("H.264 30 fps, B-frames, ~80 KB frames (1 h)", ["--fps", "30", "--video-bytes", "80000", "--seconds", "3600"],
         "video"),
        ("PCM 48 kHz in 1024-frame buffers (1 h)", ["--audio", "pcm", "--seconds", "3600"], "audio"),
    ]
    for name, extra, track in kinds:
        r = run(args.binary, "/dev/null", ["--index-only"] + extra)
        n, b = r[f"{track}_samples"], r[f"{track}_index_bytes"]
        print(f"| {name} | {int(n)} | {int(b)} | {b / n:.4f} |")

    # Index memory: peak RSS growth between 1 h and 2 h of 240 fps + AAC (payload to /dev/null, plain).
    one = run(args.binary, "/dev/null", ["--plain", "--seconds", "3600", "--video-bytes", "16"])
    two = run(args.binary, "/dev/null", ["--plain", "--seconds", "7200", "--video-bytes", "16"])
    per_sample = (two["peak_rss_kib"] - one["peak_rss_kib"]) * 1024 / (two["samples"] - one["samples"])
    recording = (two["appended_rss_kib"] - one["appended_rss_kib"]) * 1024 / (two["samples"] - one["samples"])
    print(f"\nResident memory per sample (plain, growth from 1 h to 2 h of 240 fps + AAC, "
          f"{int(two['samples'] - one['samples'])} more samples): {recording:.2f} bytes while recording "
          f"(before finish); {per_sample:.2f} bytes at the peak, which includes the moov built in memory at finish")
    ten = run(args.binary, "/dev/null", ["--plain", "--seconds", "36000", "--fps", "60", "--video-bytes", "16"])
    print(f"10-hour recording, 60 fps + AAC ({int(ten['samples'])} samples, plain, payload to /dev/null): "
          f"peak RSS {ten['peak_rss_kib'] / 1024:.1f} MiB (target < 100 MiB)")

    if shutil.which("valgrind") is None or os.environ.get("BENCH_SKIP_CALLGRIND"):
        print("\n(callgrind skipped)")
        return
    print("\nInstructions per sample (callgrind; difference of a 60 s and a 120 s run, 240 fps + AAC):\n")
    print("| output mode | instructions per sample |")
    print("|---|---|")
    with tempfile.TemporaryDirectory() as work:
        target = os.path.join(work, "cg.mp4")
        for name, extra in MODES:
            if "fdatasync" in name and "no" not in name:
                extra = ["--no-sync"]  # instructions do not count the wait; same code path otherwise
                name = "crash-safe fragments (default; fdatasync waits not counted)"
            elif "no fdatasync" in name:
                continue
            short, _ = callgrind_ir(args.binary, [target, "--seconds", "60"] + extra, work)
            long_, _ = callgrind_ir(args.binary, [target, "--seconds", "120"] + extra, work)
            samples = (120 - 60) * (240 + 48000 / 1024)
            print(f"| {name} | {(long_ - short) / samples:.0f} |")


if __name__ == "__main__":
    main()
