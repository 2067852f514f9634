#!/usr/bin/env python3
"""B-frames (x264enc bframes=2): decoded frames match the encoder's own output in order; the first frame is
presented at time 0 by ffmpeg, qtdemux and (mp4) headless Chromium, both with the default storage (non-negative ctts + an edit list)
and with signed-composition-offsets (ctts version 1 + cslg in mp4, signed version 0 + cslg in mov, no edit
list)."""
import os
import struct

import browser_util as browser
import e2e_util as e

ENCODER = "x264enc bframes=2 b-adapt=false ! video/x-h264,stream-format=byte-stream"


def main(tap):
    ours = tap.path("bframes.mp4")
    raw = tap.path("bframes.h264")
    # One encoder feeds both our sink and a raw elementary stream file: same bytes, no muxer in between.
    result = e.gst_launch(f"{e.RAW_VIDEO} ! {ENCODER} ! tee name=t "
                          f"t. ! queue ! filesink location={raw} "
                          f"t. ! queue ! h264parse ! assetwritersink location={ours}")
    e.check_written(tap, "bframes", result)
    expected, raw_run = e.framemd5(raw)
    tap.ok(expected is not None and len(expected) == e.VIDEO_FRAMES,
           "bframes: the encoder's own stream decodes to all frames", raw_run.describe())
    got, our_run = e.framemd5(ours)
    tap.ok(got is not None, "bframes: our file decodes", our_run.describe())
    if expected is not None and got is not None:
        tap.equal(len(got), len(expected), "bframes: same number of decoded frames")
        mismatch = next((i for i, (a, b) in enumerate(zip(got, expected)) if a != b), None)
        tap.ok(got == expected, "bframes: decoded frame md5s equal the encoder's, in the same order",
               f"first difference at frame {mismatch}" if mismatch is not None else "lengths differ")
    probe = e.ffprobe(ours) if os.path.exists(ours) else None
    if tap.ok(probe is not None, "bframes: ffprobe reads the file"):
        e.check_video_stream(tap, "bframes", probe, "h264")
    tap.near(e.first_video_frame_pts(ours), 0.0, 1 / e.FPS / 2, "bframes: the first frame is presented at time 0")
    e.check_decodes_cleanly(tap, "bframes", ours)
    reference = tap.path("bframes-mp4mux.mp4")
    e.reference_mux("mp4mux", [f"{e.RAW_VIDEO} ! {ENCODER} ! h264parse"], reference)
    e.size_diag(tap, "bframes", ours, reference, "mp4mux")


def storage_case(tap, ext, signed):
    """One encoder run into a file of each storage; checks the boxes and where players put the first frame."""
    label = f"bframes-{'signed' if signed else 'shifted'}-{ext}"
    ours = tap.path(f"{label}.{ext}")
    raw = tap.path(f"{label}.h264")
    result = e.gst_launch(f"{e.RAW_VIDEO} ! {ENCODER} ! tee name=t "
                          f"t. ! queue ! filesink location={raw} "
                          f"t. ! queue ! h264parse ! assetwritersink location={ours} "
                          f"signed-composition-offsets={'true' if signed else 'false'}")
    if not e.check_written(tap, label, result):
        return
    ctts = e.box_payload(ours, "moov/trak/mdia/minf/stbl/ctts")
    cslg = e.box_payload(ours, "moov/trak/mdia/minf/stbl/cslg")
    elst = e.box_payload(ours, "moov/trak/edts/elst")
    if signed:
        offsets = [struct.unpack(">i", ctts[12 + 8 * i:16 + 8 * i])[0] for i in range(
            struct.unpack(">I", ctts[4:8])[0])] if ctts else []
        tap.equal(ctts[0] if ctts else None, 1 if ext == "mp4" else 0,
                  f"{label}: ctts version (1 in ISO files; QuickTime reads version 0 as signed)")
        tap.ok(min(offsets, default=0) < 0 and 0 in offsets, f"{label}: signed offsets, the I frame's is 0",
               f"offsets {sorted(set(offsets))}")
        tap.ok(cslg is not None, f"{label}: cslg present")
        tap.ok(elst is None, f"{label}: no edit list needed")
    else:
        tap.equal(ctts[0] if ctts else None, 0, f"{label}: ctts version 0")
        tap.ok(cslg is None and elst is not None, f"{label}: no cslg; an edit list skips the reordering delay")
    expected, _ = e.framemd5(raw)
    got, run = e.framemd5(ours)
    tap.ok(got is not None and got == expected, f"{label}: ffmpeg decodes the encoder's frames in order",
           run.describe())
    tap.near(e.first_video_frame_pts(ours), 0.0, 1 / e.FPS / 2, f"{label}: ffmpeg presents the first frame at 0")
    tap.near(e.qtdemux_first_frame_running_time(ours), 0.0, 1 / e.FPS / 2,
             f"{label}: qtdemux presents the first frame at running time 0")
    e.check_decodes_cleanly(tap, label, ours)
    if browser_ready and ext == "mp4":  # QuickTime movies are not a web format
        # Chromium, progressively: the first frame it shows is the one at time 0, and it plays to the end.
        r = browser.check_playback(tap, f"{label} Chromium", os.path.dirname(ours),
                                   f"mode=file&src={os.path.basename(ours)}", e.VIDEO_FRAMES - 5,
                                   e.VIDEO_FRAMES / e.FPS)
        # Within one and a half frames: a loaded machine may drop the first frame, while a file that starts
        # late (the two-frame reordering delay not removed) is off by two.
        tap.near((r or {}).get("firstFrameMediaTime"), 0.0, 1.5 / e.FPS,
                 f"{label}: Chromium presents the first frame at time 0")


tap = e.Tap()
browser_ready = browser.npm_ready(tap)
tap.check("bframes", lambda: main(tap))
for ext in ("mp4", "mov"):
    for signed in (False, True):
        tap.check(f"bframes-{ext}-{signed}", lambda ext=ext, signed=signed: storage_case(tap, ext, signed))
tap.finish()
