#!/usr/bin/env python3
"""File rotation end to end: H.264 (x264enc key-int-max=30) + AAC into assetwritersink with
location=dir/video%02d.mp4 max-file-duration=2 s. Every file reads in ffprobe, starts with a keyframe and decodes
to its frames; the frames add up to the input; the files' running-time ranges follow each other; the moov-first
and crash-safe variants; max-files; and a live recording SIGKILLed in the middle of its third file: files 1-2
complete, file 3 plays with its synced fragments and again after aw-recover.
Usage: test_rotation.py path/to/aw-recover
"""
import os
import shlex
import signal
import subprocess
import sys
import time

import e2e_util as e
from rotation_probe import FileProbe, element_messages
from test_recover import complete_fragments

VIDEO_FRAMES = 300  # 10 s at 30 fps
AUDIO_BUFFERS = 430  # 430 x 1024 samples at 44.1 kHz: 9.98 s
SOURCES = (f"videotestsrc num-buffers={VIDEO_FRAMES} ! video/x-raw,width=320,height=240,framerate=30/1 ! "
           "x264enc key-int-max=30 speed-preset=ultrafast ! h264parse ! s.video_0 "
           f"audiotestsrc num-buffers={AUDIO_BUFFERS} samplesperbuffer=1024 ! audio/x-raw,rate=44100,channels=2 ! "
           "avenc_aac ! aacparse ! s.audio_0")
LIVE = ("videotestsrc is-live=true ! video/x-raw,format=I420,width=320,height=240,framerate=30/1 ! "
        "x264enc tune=zerolatency key-int-max=30 ! h264parse ! s.video_0 "
        "audiotestsrc is-live=true ! audio/x-raw,rate=44100,channels=2 ! avenc_aac ! aacparse ! s.audio_0")
SECOND = 1_000_000_000
TOTALS = (VIDEO_FRAMES, None)  # (video, audio) frames of the input, as mp4mux writes them: see reference_totals()


def record(tap, name, props):
    directory = tap.path(name)
    os.makedirs(directory)
    pattern = os.path.join(directory, "video%02d.mp4")
    result = e.run(["gst-launch-1.0", "-e", "-m"] + shlex.split(
        f"assetwritersink name=s location={shlex.quote(pattern)} max-file-duration={2 * SECOND} {props} {SOURCES}"),
        timeout=120)
    tap.ok(result.ok, f"{name}: the pipeline runs to EOS", result.describe())
    return directory, element_messages(result.stdout, "assetwritersink-file-")


def files_in(directory):
    return sorted(os.path.join(directory, f) for f in os.listdir(directory) if f.endswith(".mp4"))


def reference_totals(tap):
    """Video and audio frames of the same input muxed by mp4mux into one file (avenc_aac adds a frame)."""
    path = tap.path("reference.mp4")
    sources = SOURCES.replace("s.video_0", "m.video_0").replace("s.audio_0", "m.audio_0")
    result = e.gst_launch(f"mp4mux name=m ! filesink location={shlex.quote(path)} {sources}", timeout=120)
    tap.ok(result.ok, "reference: mp4mux writes the same input", result.describe())
    probe = FileProbe(path)
    return len(probe.video_pts), len(probe.audio_pts)


def check_sequence(tap, name, directory, messages, expected_files=5):
    paths = files_in(directory)
    tap.equal([os.path.basename(p) for p in paths], [f"video{i:02d}.mp4" for i in range(expected_files)],
              f"{name}: {expected_files} files named by the pattern")
    closed = [f for n, f in messages if n == "assetwritersink-file-closed"]
    tap.equal(len(closed), expected_files, f"{name}: a file-closed message per file")
    total_video = total_audio = 0
    for i, path in enumerate(paths):
        probe = FileProbe(path)
        if not tap.ok(probe.ok, f"{name} file {i}: ffprobe reads it", probe.error):
            continue
        tap.ok(probe.first_video_is_key, f"{name} file {i}: starts with a keyframe")
        tap.equal(probe.decoded_video, len(probe.video_pts), f"{name} file {i}: ffmpeg decodes every video frame")
        tap.equal(len(probe.video_pts), 60, f"{name} file {i}: 2 s of video (60 frames)")
        first_video, _ = probe.video_span()
        first_audio, _ = probe.audio_span()
        tap.ok(first_video is not None and abs(first_video) < 0.001, f"{name} file {i}: its video starts at 0",
               first_video)
        # The audio frame presented first in the file starts within one AAC frame after the cut.
        tap.ok(first_audio is not None and -0.001 < first_audio < 1024 / 44100 + 0.001,
               f"{name} file {i}: its audio starts within one AAC frame of the video", first_audio)
        if i < len(closed):
            tap.equal(closed[i].get("location"), path, f"{name} file {i}: file-closed names it")
            tap.equal(closed[i].get("bytes"), os.path.getsize(path), f"{name} file {i}: file-closed gives its size")
            tap.equal(closed[i].get("frames"), {"video_0": len(probe.video_pts), "audio_0": len(probe.audio_pts)},
                      f"{name} file {i}: file-closed counts its frames per track")
        total_video += len(probe.video_pts)
        total_audio += len(probe.audio_pts)
    tap.equal((total_video, total_audio), TOTALS, f"{name}: video and audio frames over all files add up to the input's")
    ranges = [(f["running-time-start"], f["running-time-end"]) for f in closed if "running-time-end" in f]
    tap.ok(all(ranges[k][1] == ranges[k + 1][0] for k in range(len(ranges) - 1)),
           f"{name}: each file's running time starts where the previous one ended (no gap, no overlap)", ranges)
    starts = [r[0] - ranges[0][0] for r in ranges]
    tap.equal(starts, [k * 2 * SECOND for k in range(len(ranges))], f"{name}: files start every 2 s")


def check_moov_first(tap, directory):
    for path in files_in(directory):
        boxes = [b[0] for b in e.top_level_boxes(path)]
        tap.ok("moov" in boxes and "mdat" in boxes and boxes.index("moov") < boxes.index("mdat"),
               f"moov-first {os.path.basename(path)}: moov before mdat", boxes)


def live_kill_in_third_file(tap, aw_recover):
    directory = tap.path("live")
    os.makedirs(directory)
    pattern = os.path.join(directory, "video%02d.mp4")
    cmd = ["gst-launch-1.0", "-m"] + shlex.split(
        f"assetwritersink name=s location={shlex.quote(pattern)} max-file-duration={2 * SECOND} "
        f"crash-recovery-interval={SECOND // 2} {LIVE}")
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, start_new_session=True)
    third = os.path.join(directory, "video02.mp4")
    deadline = time.monotonic() + 30
    while not os.path.exists(third) and time.monotonic() < deadline and proc.poll() is None:
        time.sleep(0.05)
    time.sleep(1.1)  # the middle of the third file: two of its 0.5 s fragments are synced
    os.killpg(proc.pid, signal.SIGKILL)
    out, _ = proc.communicate()
    closed = [f for n, f in element_messages(out, "assetwritersink-file-closed")]
    tap.equal(len(closed), 2, "live kill: two files were closed before the kill")
    for i in range(2):
        probe = FileProbe(os.path.join(directory, f"video{i:02d}.mp4"))
        tap.ok(probe.ok and probe.first_video_is_key, f"live kill file {i}: complete, starts with a keyframe",
               probe.error)
        if i < len(closed):
            tap.equal(len(probe.video_pts), closed[i]["frames"].get("video_0"), f"live kill file {i}: all its frames")
        tap.equal(probe.decoded_video, len(probe.video_pts), f"live kill file {i}: decodes every frame")
        boxes = [b[0] for b in e.top_level_boxes(probe.path)]
        tap.ok("moov" in boxes and "moof" not in boxes, f"live kill file {i}: a finished plain movie", boxes)
    totals, tracks = complete_fragments(third)
    video_id = next((t for t, (_, h) in tracks.items() if h == "vide"), None)
    synced = totals.get(video_id, [0])[0]
    tap.ok(synced > 0, "live kill file 2: some fragments were complete at the kill", totals)
    probe = FileProbe(third)
    tap.ok(probe.ok, "live kill file 2: ffprobe reads the killed file", probe.error)
    tap.equal(probe.decoded_video, synced, "live kill file 2: it decodes to its complete fragments' frames")
    recovered = os.path.join(directory, "recovered02.mp4")
    result = e.run([aw_recover, third, recovered], timeout=60)
    tap.ok(result.ok, "live kill file 2: aw-recover makes a plain movie of it", result.describe())
    probe = FileProbe(recovered)
    tap.equal(probe.decoded_video, synced, "live kill file 2: the recovered movie decodes to the same frames")
    tap.diag(f"live kill: file 2 kept {synced} video frames")


def main():
    aw_recover = sys.argv[1]
    tap = e.Tap()
    global TOTALS
    TOTALS = reference_totals(tap)
    tap.equal(TOTALS[0], VIDEO_FRAMES, "reference: every video frame")
    directory, messages = record(tap, "plain", "")
    tap.check("plain", lambda: check_sequence(tap, "plain", directory, messages))
    directory, messages = record(tap, "moov-first", "optimize-for-network-use=true")
    tap.check("moov-first", lambda: check_sequence(tap, "moov-first", directory, messages))
    tap.check("moov-first boxes", lambda: check_moov_first(tap, directory))
    directory, messages = record(tap, "crash-safe", f"crash-recovery-interval={SECOND}")
    tap.check("crash-safe", lambda: check_sequence(tap, "crash-safe", directory, messages))
    directory, messages = record(tap, "max-files", "max-files=2")
    tap.equal([os.path.basename(p) for p in files_in(directory)], ["video03.mp4", "video04.mp4"],
              "max-files=2: the last two files remain")
    tap.equal(len([n for n, _ in messages if n == "assetwritersink-file-deleted"]), 3,
              "max-files=2: a file-deleted message for each of the three others")
    tap.check("live kill", lambda: live_kill_in_third_file(tap, aw_recover))
    tap.finish()


if __name__ == "__main__":
    main()
