#!/usr/bin/env python3
"""Low-Latency HLS from a live x264enc in segment mode with part-interval=1/3 s: every segment file reads
frame-exactly with ffprobe, and every EXT-X-PART BYTERANGE of the final playlist lies inside its segment
file and is one moof + mdat whose tfdt continues the previous part's (its trun durations summed); mp4box.js, given the init segment and one part at a time as a
player fetches them, parses every part without error, agrees on its tfdt and counts every frame once."""
import json
import os
import re

import e2e_util as e

SECONDS = 6
SEGMENT_NS = 2_000_000_000
PART_NS = 333_333_333
CHECK_SEGMENTS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "web", "check_segments.js")


def parts_of(text):
    """(uri, length, offset) of every EXT-X-PART, in order."""
    return [(uri, int(length), int(offset))
            for uri, length, offset in re.findall(r'#EXT-X-PART:.*?URI="([^"]+)",BYTERANGE="(\d+)@(\d+)"', text)]


def run_case(tap):
    outdir = tap.path("ll")
    os.makedirs(outdir, exist_ok=True)
    pipeline = (f"videotestsrc is-live=true num-buffers={SECONDS * e.FPS} ! "
                f"video/x-raw,format=I420,width={e.WIDTH},height={e.HEIGHT},framerate={e.FPS}/1 ! "
                f"x264enc tune=zerolatency key-int-max=60 ! h264parse ! "
                f"assetwritersink segment-interval={SEGMENT_NS} part-interval={PART_NS} sync-fragments=false "
                f"location={outdir}/segment%05d.m4s playlist-location={outdir}/index.m3u8")
    result = e.gst_launch(pipeline, timeout=60)
    if not e.check_written(tap, "live LL-HLS run", result):
        return
    with open(os.path.join(outdir, "index.m3u8")) as f:
        text = f.read()
    tap.diag(text)
    tap.ok("#EXT-X-PART-INF:PART-TARGET=0.334\n" in text, "PART-TARGET is the part interval rounded up")
    tap.ok("#EXT-X-SERVER-CONTROL:CAN-BLOCK-RELOAD=YES,PART-HOLD-BACK=1.002\n" in text,
           "blocking reload with a PART-HOLD-BACK of three part targets")
    tap.ok(text.endswith("#EXT-X-ENDLIST\n") and "#EXT-X-PRELOAD-HINT" not in text, "ended: no preload hint")

    segments = re.findall(r"#EXTINF:[0-9.]+,\n(\S+)\n", text)
    frames = 0
    for name in segments:
        # Each segment file reads on its own after the init segment: init + segment concatenated.
        with open(os.path.join(outdir, "init.mp4"), "rb") as f:
            init = f.read()
        with open(os.path.join(outdir, name), "rb") as f:
            media = f.read()
        probe = e.ffprobe(init + media)
        video = e.streams_of(probe, "video") if probe else []
        count = int(video[0].get("nb_read_frames", 0)) if video else 0
        frames += count
        tap.ok(count > 0, f"{name}: ffprobe reads {count} frames")
    tap.equal(frames, SECONDS * e.FPS, "the segments hold every frame once")

    parts = parts_of(text)
    tap.ok(len(parts) >= 3 * 6, f"{len(parts)} parts listed (at least the last three segments' worth)")
    previous = None  # (uri, offset + length, tfdt + duration)
    problems = []
    checked = []  # (bytes, tfdt) of every part that holds a moof + mdat
    for uri, length, offset in parts:
        with open(os.path.join(outdir, uri), "rb") as f:
            data = f.read()
        if offset + length > len(data):
            problems.append(f"{uri} {length}@{offset} past its {len(data)} bytes")
            continue
        boxes = e.boxes_in(data, offset, offset + length)
        kinds = [b[0] for b in boxes]
        if kinds not in (["moof", "mdat"], ["styp", "moof", "mdat"]):
            problems.append(f"{uri} {length}@{offset} holds {kinds}")
            continue
        moof = boxes[kinds.index("moof")]
        traf = [b for b in e.boxes_in(data, moof[1] + moof[3], moof[1] + moof[2]) if b[0] == "traf"][0]
        tfdt, duration = e.traf_timing(data, traf[1] + traf[3], traf[1] + traf[2])
        if previous and previous[0] == uri and previous[1] != offset:
            problems.append(f"{uri} {length}@{offset} does not follow the previous part")
        if previous and previous[2] != tfdt:
            problems.append(f"{uri} {length}@{offset}: tfdt {tfdt}, the previous part ended at {previous[2]}")
        previous = (uri, offset + length, tfdt + duration)
        checked.append((data[offset:offset + length], tfdt))
    tap.equal(problems, [], "every part is a moof + mdat inside its file whose tfdt continues the previous part")
    check_parts_with_mp4box(tap, outdir, checked, frames_in_listed_segments(outdir, parts, segments))


def frames_in_listed_segments(outdir, parts, segments):
    """Video frames of the complete segments whose parts the playlist lists, counted by ffprobe."""
    total = 0
    for name in sorted({uri for uri, _, _ in parts} & set(segments)):
        with open(os.path.join(outdir, "init.mp4"), "rb") as f, open(os.path.join(outdir, name), "rb") as g:
            probe = e.ffprobe(f.read() + g.read())
        video = e.streams_of(probe, "video") if probe else []
        total += int(video[0].get("nb_read_frames", 0)) if video else 0
    return total


def check_parts_with_mp4box(tap, outdir, parts, expected_frames):
    """Each part on its own after the init segment, as hls.js appends them: mp4box.js parses it, reads the
    same tfdt as our box walk, and the parts' samples add up to the frames of the segments they make."""
    paths = []
    for i, (data, _) in enumerate(parts):
        path = tap.path(f"part{i:03d}.m4s")
        with open(path, "wb") as f:
            f.write(data)
        paths.append(path)
    result = e.run(["node", CHECK_SEGMENTS, os.path.join(outdir, "init.mp4")] + paths, timeout=60)
    if not tap.ok(result.ok, "mp4box.js runs over the parts", result.describe()):
        return
    report = json.loads(result.stdout)
    video_id = str(report["init"]["tracks"][0]["id"])
    read = report["segments"]
    tap.equal({r["file"]: r["errors"] for r in read if r["errors"]}, {}, "mp4box.js parses every part")
    tap.ok(all(r["moofs"] == 1 for r in read), "mp4box.js: every part is one moof")
    tap.equal([r["tfdt"].get(video_id) for r in read], [tfdt for _, tfdt in parts],
              "mp4box.js reads the tfdt our walk read in every part")
    tap.equal(sum(r["samples"].get(video_id, 0) for r in read), expected_frames,
              "mp4box.js counts every frame of the listed segments once")


tap = e.Tap()
tap.check("live LL-HLS", lambda: run_case(tap))
tap.finish()
