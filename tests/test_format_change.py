#!/usr/bin/env python3
"""A resolution change mid-stream: videotestsrc at 320x240, then 640x480 (concat), through x264enc, which
restarts with new SPS/PPS (new codec_data caps). The track gets a second sample description; FFmpeg and
qtdemux decode both parts at their own size. A fragmented file refuses the change with an ERROR naming the
pad and keeps the first part playable."""
import struct

import e2e_util as e

FRAMES = 30  # per part
PARTS = [(320, 240), (640, 480)]
SOURCE = (f"concat name=c ! x264enc speed-preset=ultrafast key-int-max=15 ! h264parse ! "
          f"video/x-h264,stream-format=avc,alignment=au")
BRANCHES = " ".join(
    f"videotestsrc num-buffers={FRAMES} ! video/x-raw,format=I420,width={w},height={h},framerate=30/1 ! c."
    for w, h in PARTS)


def write(tap, path, props=""):
    return e.gst_launch(f"{SOURCE} ! assetwritersink name=s location={path} {props} {BRANCHES}")


def stsd_entries(path):
    """(entry count, [(fourcc, width, height)]) of the first track's stsd."""
    stsd = e.box_payload(path, "moov/trak/mdia/minf/stbl/stsd")
    if stsd is None:
        return 0, []
    count = struct.unpack(">I", stsd[4:8])[0]
    entries = []
    for kind, offset, _, header in e.boxes_in(stsd, 8, len(stsd)):
        width, height = struct.unpack(">HH", stsd[offset + header + 24:offset + header + 28])
        entries.append((kind, width, height))
    return count, entries


def frame_sizes(path):
    result = e.run(["ffprobe", "-v", "error", "-select_streams", "v:0", "-show_entries", "frame=width,height",
                    "-of", "csv=p=0", path])
    sizes = [tuple(int(v) for v in line.split(",")[:2])
             for line in result.stdout.decode().splitlines() if line.strip()]
    return sizes, result


def plain(tap, label, ext, props=""):
    path = tap.path(f"resolution-change.{ext}")
    if not e.check_written(tap, label, write(tap, path, props)):
        return
    count, entries = stsd_entries(path)
    tap.equal(count, 2, f"{label}: stsd has two sample entries")
    tap.equal(entries, [("avc1", 320, 240), ("avc1", 640, 480)], f"{label}: each entry has its own size")
    sizes, result = frame_sizes(path)
    tap.ok(result.ok, f"{label}: ffprobe decodes every frame", result.describe())
    expected = [(320, 240)] * FRAMES + [(640, 480)] * FRAMES
    tap.equal(sizes, expected, f"{label}: FFmpeg decodes {FRAMES} frames at 320x240, then {FRAMES} at 640x480")
    e.check_decodes_cleanly(tap, label, path)
    e.check_qtdemux(tap, label, path, {"video_0": (2 * FRAMES, 2 * FRAMES / 30, 0.05)})
    # qtdemux + avdec_h264 through both descriptions, to the end.
    decoded = e.run(["gst-launch-1.0", "filesrc", f"location={path}", "!", "qtdemux", "!", "h264parse", "!",
                     "avdec_h264", "!", "videoconvert", "!", "fakesink"])
    tap.ok(decoded.ok, f"{label}: qtdemux ! avdec_h264 decodes it to EOS", decoded.describe())


def fragmented(tap):
    label = "fragmented"
    path = tap.path("resolution-change-fragmented.mp4")
    result = write(tap, path, "fragment-interval=500000000")
    text = (result.stdout + result.stderr).decode(errors="replace")
    tap.ok(not result.ok and not result.timed_out, f"{label}: the pipeline fails instead of hanging",
           result.describe())
    tap.ok("video_0: format change after writing started needs a new sample description" in text,
           f"{label}: the ERROR names the pad and why", text[-400:])
    probe = e.ffprobe(path)
    videos = e.streams_of(probe, "video") if probe else []
    tap.ok(len(videos) == 1 and int(videos[0].get("nb_read_frames", 0)) >= 1,
           f"{label}: what was written before the change plays", str(videos)[:300])


tap = e.Tap()
tap.check("mp4", lambda: plain(tap, "mp4", "mp4"))
tap.check("moov first", lambda: plain(tap, "moov-first", "mp4", "optimize-for-network-use=true"))
tap.check("mov", lambda: plain(tap, "mov", "mov"))
tap.check("fragmented", lambda: fragmented(tap))
tap.finish()
