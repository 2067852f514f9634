#!/usr/bin/env python3
"""B-frames (x264enc bframes=2): decoded frames match the encoder's own output in order; first pts is 0."""
import os

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


tap = e.Tap()
tap.check("bframes", lambda: main(tap))
tap.finish()
