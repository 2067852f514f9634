#!/usr/bin/env python3
"""Keyframe requests: with a stock x264enc (a keyframe every 250 frames or at a scene cut) segment and fragment
modes ask upstream for a keyframe at every interval (GstForceKeyUnit), so every segment and fragment lasts
the interval, live or not, and the playlist's target duration is the interval; send-keyframe-requests=false
gives the encoder's own GOPs back."""
import os
import re
import struct

import e2e_util as e

SECONDS = 8
INTERVAL_NS = 2_000_000_000
FRAME = 1 / e.FPS


def video(live):
    return (f"videotestsrc num-buffers={SECONDS * e.FPS} is-live={'true' if live else 'false'} ! "
            f"video/x-raw,format=I420,width={e.WIDTH},height={e.HEIGHT},framerate={e.FPS}/1 ! x264enc ! h264parse")


def write(tap, label, live, sink):
    result = e.gst_launch(f"{video(live)} ! assetwritersink {sink}", timeout=60)
    return e.check_written(tap, label, result)


def segment_durations(tap, label, outdir, live, props=""):
    """EXTINF durations and EXT-X-TARGETDURATION of a segment-mode run."""
    os.makedirs(outdir, exist_ok=True)
    sink = (f"segment-interval={INTERVAL_NS} sync-fragments=false location={outdir}/segment%05d.m4s "
            f"playlist-location={outdir}/index.m3u8 {props}")
    if not write(tap, label, live, sink):
        return None, None
    with open(os.path.join(outdir, "index.m3u8")) as f:
        text = f.read()
    tap.diag(f"{label} playlist:\n{text}")
    durations = [float(d) for d in re.findall(r"#EXTINF:([0-9.]+),", text)]
    return durations, int(re.search(r"#EXT-X-TARGETDURATION:(\d+)", text).group(1))


def fragment_durations(tap, label, path, live, props=""):
    """Seconds between the video track's successive fragments (tfdt), and the last one up to the end."""
    if not write(tap, label, live, f"fragment-interval={INTERVAL_NS} sync-fragments=false location={path} {props}"):
        return None
    with open(path, "rb") as f:
        data = f.read()
    mdhd = e.box_payload(path, "moov/trak/mdia/mdhd")
    timescale = struct.unpack(">I", mdhd[20:24] if mdhd[0] == 1 else mdhd[12:16])[0]
    starts = []
    for kind, offset, size, header in e.boxes_in(data, 0, len(data)):
        if kind != "moof":
            continue
        for tkind, toff, tsize, theader in e.boxes_in(data, offset + header, offset + size):
            if tkind != "traf":
                continue
            for bkind, boff, _, bheader in e.boxes_in(data, toff + theader, toff + tsize):
                if bkind == "tfdt":
                    version = data[boff + bheader]
                    field = data[boff + bheader + 4:boff + bheader + (12 if version == 1 else 8)]
                    starts.append(int.from_bytes(field, "big") / timescale)
    durations = [round(b - a, 3) for a, b in zip(starts, starts[1:])]
    if starts:
        durations.append(round(SECONDS - starts[-1], 3))
    tap.diag(f"{label}: fragment durations {durations}")
    return durations


def all_near_interval(durations):
    return bool(durations) and all(abs(d - INTERVAL_NS / 1e9) <= FRAME + 1e-6 for d in durations)


def segments_case(tap, live):
    label = f"{'live' if live else 'non-live'} segments"
    durations, target = segment_durations(tap, label, tap.path(label.replace(" ", "-")), live)
    tap.ok(all_near_interval(durations) and len(durations) == SECONDS * 1e9 // INTERVAL_NS,
           f"{label}: every segment lasts 2 s within a frame", durations)
    tap.equal(target, 2, f"{label}: EXT-X-TARGETDURATION is the interval")


def fragments_case(tap, live):
    label = f"{'live' if live else 'non-live'} fragments"
    durations = fragment_durations(tap, label, tap.path(label.replace(" ", "-") + ".mp4"), live)
    tap.ok(all_near_interval(durations) and len(durations) == SECONDS * 1e9 // INTERVAL_NS,
           f"{label}: every fragment lasts 2 s within a frame", durations)


def off_case(tap):
    """Without requests the encoder's own keyframes decide: its first GOP (scene cut or 250 frames) is longer."""
    label = "requests off"
    off = "send-keyframe-requests=false"
    durations, target = segment_durations(tap, label, tap.path("off"), False, off)
    tap.ok(durations and durations[0] > 2.5 and target > 2, f"{label}: segments follow the encoder's GOPs",
           (durations, target))
    durations = fragment_durations(tap, f"{label} fragments", tap.path("off.mp4"), False, off)
    tap.ok(durations and durations[0] > 2.5, f"{label}: fragments follow the encoder's GOPs", durations)


tap = e.Tap()
for live in (False, True):
    tap.check(f"segments live={live}", lambda live=live: segments_case(tap, live))
    tap.check(f"fragments live={live}", lambda live=live: fragments_case(tap, live))
tap.check("off", lambda: off_case(tap))
tap.finish()
