#!/usr/bin/env python3
"""optimize-for-network-use=true: moov precedes mdat, and ffprobe reads the file from a pipe."""
import os

import e2e_util as e


def main(tap):
    path = tap.path("fast-start.mp4")
    result = e.our_mux([e.H264, e.AAC], path, "optimize-for-network-use=true")
    e.check_written(tap, "fast-start", result)
    boxes = e.top_level_boxes(path) if os.path.exists(path) else []
    kinds = [kind for kind, _, _ in boxes]
    tap.diag("top-level boxes: " + " ".join(f"{k}@{o}+{s}" for k, o, s in boxes))
    tap.ok(bool(kinds) and kinds[0] == "ftyp", "fast-start: the file starts with ftyp", f"boxes {kinds}")
    tap.ok("moov" in kinds and "mdat" in kinds and kinds.index("moov") < kinds.index("mdat"),
           "fast-start: moov precedes mdat", f"boxes {kinds}")
    tap.equal(sum(o + s for _, o, s in boxes[-1:]), os.path.getsize(path) if boxes else -1,
              "fast-start: top-level boxes cover the whole file")

    with open(path, "rb") as f:
        data = f.read()
    piped = e.ffprobe(data, count_frames=False)  # like `cat file | ffprobe -i -`
    if tap.ok(piped is not None, "fast-start: ffprobe reads it from a pipe", "ffprobe -i - failed"):
        tap.equal(sorted(s.get("codec_name") for s in piped["streams"]), ["aac", "h264"],
                  "fast-start: the pipe shows both streams")
        tap.near(e.as_float(piped["format"].get("duration")), e.VIDEO_FRAMES / e.FPS, 2 * e.AAC_FRAME / e.AUDIO_RATE,
                 "fast-start: the pipe shows the duration")
    probe = e.ffprobe(path)
    if tap.ok(probe is not None, "fast-start: ffprobe reads the file"):
        e.check_video_stream(tap, "fast-start", probe, "h264")
    e.check_decodes_cleanly(tap, "fast-start", path)

    plain = tap.path("plain.mp4")
    e.check_written(tap, "plain", e.our_mux([e.H264, e.AAC], plain))
    kinds = [kind for kind, _, _ in e.top_level_boxes(plain)] if os.path.exists(plain) else []
    tap.ok("moov" in kinds and "mdat" in kinds and kinds.index("mdat") < kinds.index("moov"),
           "plain: by default mdat precedes moov", f"boxes {kinds}")
    reference = tap.path("faststart-qtmux.mp4")
    e.reference_mux("mp4mux faststart=true", [e.H264, e.AAC], reference)
    e.size_diag(tap, "fast-start", path, reference, "mp4mux faststart=true")


tap = e.Tap()
tap.check("network use", lambda: main(tap))
tap.finish()
