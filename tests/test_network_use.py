#!/usr/bin/env python3
"""optimize-for-network-use=true: moov precedes mdat, and ffprobe reads the file from a pipe; with a duration
hint or a reserved size the index is written into room left in front of the media (no temporary file, no
second pass), and a reservation too small falls back to the one copy."""
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


def reserved_case(tap, label, props, expected_kinds):
    """Writes moov-first with `props`; checks the top-level layout, that no temporary file is left and that
    ffprobe (from a pipe too), ffmpeg and qtdemux read the whole movie."""
    directory = tap.path(label)
    os.makedirs(directory, exist_ok=True)
    path = os.path.join(directory, f"{label}.mp4")
    result = e.our_mux([e.H264, e.AAC], path, f"optimize-for-network-use=true {props}")
    if not e.check_written(tap, label, result):
        return
    kinds = [kind for kind, _, _ in e.top_level_boxes(path)]
    tap.equal(kinds, expected_kinds, f"{label}: top-level boxes")
    tap.equal(os.listdir(directory), [f"{label}.mp4"], f"{label}: no temporary file left beside it")
    with open(path, "rb") as f:
        piped = e.ffprobe(f.read(), count_frames=False)
    tap.ok(piped is not None and len(piped.get("streams", [])) == 2, f"{label}: ffprobe reads it from a pipe")
    probe = e.ffprobe(path)
    if tap.ok(probe is not None, f"{label}: ffprobe reads the file"):
        e.check_video_stream(tap, label, probe, "h264")
    e.check_decodes_cleanly(tap, label, path)
    e.check_qtdemux(tap, label, path, {"video_0": (e.VIDEO_FRAMES, e.VIDEO_FRAMES / e.FPS, 1 / e.FPS)})


tap = e.Tap()
tap.check("network use", lambda: main(tap))
# The hint reserves room for an estimated index; a generous explicit size too; 300 bytes cannot hold it.
tap.check("reserved by hint", lambda: reserved_case(tap, "hinted", "overall-duration-hint=2000000000",
                                                    ["ftyp", "moov", "free", "free", "mdat"]))
tap.check("reserved size", lambda: reserved_case(tap, "reserved", "reserved-moov-size=65536",
                                                 ["ftyp", "moov", "free", "free", "mdat"]))
tap.check("reservation too small", lambda: reserved_case(tap, "too-small", "reserved-moov-size=300",
                                                         ["ftyp", "moov", "mdat"]))
tap.finish()
