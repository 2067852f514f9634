#!/usr/bin/env python3
"""The README's remux recipe works as written: the gst-launch-1.0 commands of its "Remuxing a file" section
are taken from the markdown (so the docs and this test cannot drift apart), run on an MP4 that mp4mux writes
here (H.264 with B-frames + AAC), and each output has the input's frames (the same decoded pictures) and
durations, in the layout its variant promises (plain, moov-first, fragmented)."""
import os
import re
import shlex

import e2e_util as e

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
README = os.path.join(ROOT, "README.md")
SECTION = "### Remuxing a file"


def recipe_commands():
    """The commands of the section's sh block: backslash continuations joined, each split like a shell."""
    with open(README) as f:
        text = f.read()
    start = text.index(SECTION)
    end = text.find("\n#", start + len(SECTION))
    block = re.search(r"```sh\n(.*?)```", text[start:end if end >= 0 else len(text)], re.S)
    commands, current = [], ""
    for line in block.group(1).splitlines():
        if line.endswith("\\"):
            current += line[:-1] + " "
            continue
        current += line
        if current.strip():
            commands.append(shlex.split(current))
        current = ""
    return commands


def with_files(command, input_path, output_path):
    """The command with the recipe's in.mp4 / out.mp4 replaced by this test's files (nothing else changed)."""
    replaced = {"location=in.mp4": f"location={input_path}", "location=out.mp4": f"location={output_path}"}
    return [replaced.get(arg, arg) for arg in command]


def probe_streams(path):
    probe = e.ffprobe(path)
    if probe is None:
        return None
    return {s["codec_type"]: s for s in probe["streams"]}, e.as_float(probe["format"].get("duration"))


def main(tap):
    commands = recipe_commands()
    if not tap.equal(len(commands), 3, "README: the remux section has three commands"):
        return
    tap.ok(all(c[:2] == ["gst-launch-1.0", "-e"] for c in commands), "README: each is a gst-launch-1.0 -e line",
           commands)
    tap.ok(all("location=in.mp4" in c and "location=out.mp4" in c for c in commands),
           "README: each reads in.mp4 and writes out.mp4", commands)

    # The input: what another muxer writes, with B-frames (composition offsets, an edit list) to keep, and a
    # keyframe every half second for the fragments to start at (a remux has no encoder to ask for one).
    source = tap.path("in.mp4")
    made = e.reference_mux("mp4mux", [e.H264.replace("x264enc", "x264enc bframes=2 key-int-max=15"), e.AAC], source)
    if not tap.ok(made.ok, "input: mp4mux writes in.mp4", made.describe()):
        return
    expected = probe_streams(source)
    expected_md5, _ = e.framemd5(source)
    if not tap.ok(expected is not None and expected_md5, "input: ffprobe and ffmpeg read in.mp4"):
        return
    streams, duration = expected
    tap.equal(int(streams["video"]["nb_read_frames"]), e.VIDEO_FRAMES, "input: all video frames")

    variants = {"plain": lambda c: not any(a.startswith(("optimize-for-network-use", "fragment-interval"))
                                           for a in c),
                "moov-first": lambda c: "optimize-for-network-use=true" in c,
                "fragmented": lambda c: any(a.startswith("fragment-interval=") for a in c)}
    for label, matches in variants.items():
        chosen = [c for c in commands if matches(c)]
        if not tap.equal(len(chosen), 1, f"{label}: README has one command for it"):
            continue
        out = tap.path(f"{label}.mp4")
        result = e.run(with_files(chosen[0], source, out), timeout=60)
        if not tap.ok(result.ok, f"{label}: the recipe runs to EOS", result.describe()):
            continue
        got = probe_streams(out)
        if not tap.ok(got is not None, f"{label}: ffprobe reads the output"):
            continue
        got_streams, got_duration = got
        tap.equal(sorted(got_streams), sorted(streams), f"{label}: the input's streams")
        for kind in sorted(set(streams) & set(got_streams)):
            for field in ("codec_name", "nb_read_frames"):
                tap.equal(got_streams[kind].get(field), streams[kind].get(field), f"{label}: {kind} {field} as the input's")
            tap.near(e.as_float(got_streams[kind].get("duration")), e.as_float(streams[kind].get("duration")), 0.002,
                     f"{label}: {kind} duration as the input's")
        tap.near(got_duration, duration, 0.002, f"{label}: movie duration as the input's")
        md5, _ = e.framemd5(out)
        tap.ok(md5 == expected_md5, f"{label}: the same decoded pictures in the same order",
               f"{len(md5 or [])} frames vs {len(expected_md5)}")
        boxes = [kind for kind, _, _ in e.top_level_boxes(out)]
        if label == "plain":
            tap.ok("moof" not in boxes and boxes.index("mdat") < boxes.index("moov"),
                   f"{label}: one media box, then the index", boxes)
        elif label == "moov-first":
            tap.ok("moof" not in boxes and boxes.index("moov") < boxes.index("mdat"), f"{label}: moov before mdat",
                   boxes)
        else:
            tap.ok(boxes.count("moof") >= 2 and "mfra" in boxes, f"{label}: moof fragments and an mfra", boxes)


tap = e.Tap()
tap.check("remux", lambda: main(tap))
tap.finish()
