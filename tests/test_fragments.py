#!/usr/bin/env python3
"""Movie fragments: structure, playback and seeking in every reader, a killed recording, and combining the
fragments of two writers into one movie."""
import os
import signal
import subprocess
import time

import e2e_util as e

SECONDS = 4
KEYINT = 15  # a keyframe every half second
VIDEO = (f"videotestsrc num-buffers={SECONDS * e.FPS} ! "
         f"video/x-raw,format=I420,width={e.WIDTH},height={e.HEIGHT},framerate={e.FPS}/1 ! "
         f"x264enc key-int-max={KEYINT} bframes=2 ! h264parse")
AUDIO = (f"audiotestsrc num-buffers={SECONDS * e.AUDIO_RATE // e.AAC_FRAME} samplesperbuffer={e.AAC_FRAME} ! "
         f"audio/x-raw,rate={e.AUDIO_RATE},channels=2 ! avenc_aac ! aacparse")


def kinds_of(path):
    return [kind for kind, _, _ in e.top_level_boxes(path)] if os.path.exists(path) else []


def fragmented(tap):
    path = tap.path("fragmented.mp4")
    result = e.our_mux([VIDEO, AUDIO], path, "fragment-interval=1000000000 sync-fragments=false")
    e.check_written(tap, "fragmented", result)
    kinds = kinds_of(path)
    tap.diag("top-level: " + " ".join(kinds))
    tap.ok(kinds[:3] == ["ftyp", "moov", "free"], "fragmented: ftyp, moov and its reserve come first", kinds[:3])
    tap.equal(kinds.count("moof"), SECONDS, "fragmented: one fragment per second")
    tap.equal(kinds.count("moof"), kinds.count("mdat"), "fragmented: every moof has its mdat")
    tap.ok(kinds[-1:] == ["mfra"], "fragmented: the file ends with mfra", kinds[-1:])
    probe = e.ffprobe(path)
    if tap.ok(probe is not None, "fragmented: ffprobe reads it"):
        e.check_video_stream(tap, "fragmented", probe, "h264", frames=SECONDS * e.FPS)
        tap.near(e.as_float(probe["format"].get("duration")), SECONDS, 0.05,
                 "fragmented: the container duration is the real one (patched at finish)")
    e.check_decodes_cleanly(tap, "fragmented", path)
    # Seeking into the middle: ffmpeg -ss and a qtdemux seek.
    seek = e.run(["ffmpeg", "-nostdin", "-v", "error", "-ss", "2.5", "-i", path, "-frames:v", "5", "-f", "null", "-"])
    tap.ok(seek.ok and not seek.stderr.strip(), "fragmented: ffmpeg -ss 2.5 decodes from the middle", seek.describe())
    landed = e.run([os.environ["AW_SEEK_CHECK"], path, "2.5"], timeout=30)
    tap.ok(landed.ok, "fragmented: qtdemux seeks into the middle (to the keyframe at or before 2.5 s)",
           landed.describe() + " landed at " + landed.stdout.decode().strip())
    stats, _ = e.qtdemux_readback(path, ["video_0", "audio_0"])
    tap.equal(stats["video_0"][0], SECONDS * e.FPS, "fragmented: qtdemux reads every video frame")
    qt_seek = e.run(["gst-launch-1.0", "playbin", f"uri=file://{os.path.abspath(path)}", "video-sink=fakesink",
                     "audio-sink=fakesink"], timeout=30)
    tap.ok(qt_seek.ok, "fragmented: playbin (qtdemux + decoders) plays it to the end", qt_seek.describe())


def automatic_crash_safety(tap):
    """By default a remux (nothing live upstream) writes one mdat; a live recording is crash-safe (below)."""
    path = tap.path("remux.mp4")
    e.check_written(tap, "non-live default", e.our_mux([VIDEO, AUDIO], path))
    kinds = kinds_of(path)
    tap.ok(kinds == ["ftyp", "free", "mdat", "moov"], "non-live default: one mdat, no fragments", kinds)


def killed(tap):
    """SIGKILL in the middle of a live fragmented recording: what was written plays."""
    path = tap.path("killed.mp4")
    cmd = ["gst-launch-1.0", "-e", "videotestsrc", "is-live=true", "!",
           f"video/x-raw,format=I420,width={e.WIDTH},height={e.HEIGHT},framerate={e.FPS}/1", "!",
           "x264enc", "tune=zerolatency", f"key-int-max={KEYINT}", "!", "h264parse", "!",
           "assetwritersink", "name=s", f"location={path}", "fragment-interval=500000000",
           "audiotestsrc", "is-live=true", "!", "avenc_aac", "!", "aacparse", "!", "s."]
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    time.sleep(3.2)
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()
    kinds = kinds_of(path)
    tap.diag("killed file: " + " ".join(kinds))
    # How many fragments made it depends on how fast the pipeline started on a loaded machine.
    tap.ok(kinds.count("moof") >= 1, "killed: complete fragments are on disk", kinds)
    probe = e.ffprobe(path)
    frames = int(e.streams_of(probe, "video")[0].get("nb_read_frames", 0)) if probe and e.streams_of(probe, "video") \
        else 0
    tap.ok(frames >= KEYINT * kinds.count("moof"), "killed: ffprobe counts the frames of the complete fragments",
           f"{frames} frames in {kinds.count('moof')} fragments")
    e.check_decodes_cleanly(tap, "killed", path)


def combined(tap):
    """Two writers with combinable fragments: the second one's fragments appended to the first file play."""
    first = tap.path("part1.mp4")
    second = tap.path("part2.mp4")
    video = (f"videotestsrc num-buffers={2 * e.FPS} {{offset}} ! "
             f"video/x-raw,format=I420,width={e.WIDTH},height={e.HEIGHT},framerate={e.FPS}/1 ! "
             f"x264enc key-int-max={KEYINT} bframes=0")
    props = "fragment-interval=1000000000 combinable-fragments=true sync-fragments=false"
    e.check_written(tap, "combined part 1",
                    e.gst_launch(f"{video.format(offset='')} ! h264parse ! assetwritersink location={first} {props}"))
    # The second writer continues the timeline (2 s later) and the fragment numbering.
    e.check_written(tap, "combined part 2", e.gst_launch(
        f"{video.format(offset='timestamp-offset=2000000000')} ! h264parse ! assetwritersink location={second} {props} "
        f"initial-fragment-sequence-number=3"))
    joined = tap.path("joined.mp4")
    with open(joined, "wb") as out:
        with open(first, "rb") as f:
            out.write(f.read())
        # Everything of part 2 after its own header (ftyp, moov, free).
        boxes = e.top_level_boxes(second)
        start = next((offset for kind, offset, _ in boxes if kind == "moof"), None)
        tap.ok(start is not None, "combined: part 2 has fragments")
        with open(second, "rb") as f:
            f.seek(start or 0)
            out.write(f.read())
    tap.equal(kinds_of(joined).count("moof"), 4, "combined: the joined file holds both writers' fragments")
    probe = e.ffprobe(joined)
    if tap.ok(probe is not None, "combined: ffprobe reads the joined file"):
        e.check_video_stream(tap, "combined", probe, "h264", frames=4 * e.FPS)
    e.check_decodes_cleanly(tap, "combined", joined)
    stats, _ = e.qtdemux_readback(joined, ["video_0"])
    tap.equal(stats["video_0"][0], 4 * e.FPS, "combined: qtdemux reads all frames of both writers")
    tap.near(stats["video_0"][1], 4.0, 1.5 / e.FPS, "combined: qtdemux sees 4 s of video, without a gap")


tap = e.Tap()
tap.check("fragmented", lambda: fragmented(tap))
tap.check("automatic crash safety", lambda: automatic_crash_safety(tap))
tap.check("killed", lambda: killed(tap))
tap.check("combined", lambda: combined(tap))
tap.finish()
