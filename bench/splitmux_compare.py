#!/usr/bin/env python3
"""splitmuxsink (muxer=mp4mux) against assetwritersink's file rotation on the same input: 10 s of 30 fps H.264
(x264enc key-int-max=30) + AAC, max-size-time / max-file-duration 2 s. Prints per file the first/last PTS ffprobe
reads (in the file's own timeline), the running-time range the element reported, and the video/audio frames; then
both with a live source SIGKILLed in the middle of the third file: what each leaves playable (ffprobe, decoded
frames). Usage: GST_PLUGIN_PATH=build/gst bench/splitmux_compare.py [aw-recover]
"""
import os
import shlex
import signal
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests"))
import e2e_util as e  # noqa: E402
from rotation_probe import FileProbe, element_messages, fmt  # noqa: E402

SECOND = 1_000_000_000
SOURCES = ("videotestsrc num-buffers=300 ! video/x-raw,width=320,height=240,framerate=30/1 ! "
           "x264enc key-int-max=30 speed-preset=ultrafast ! h264parse ! {video} "
           "audiotestsrc num-buffers=430 samplesperbuffer=1024 ! audio/x-raw,rate=44100,channels=2 ! "
           "avenc_aac ! aacparse ! {audio}")
LIVE = ("videotestsrc is-live=true ! video/x-raw,format=I420,width=320,height=240,framerate=30/1 ! "
        "x264enc tune=zerolatency key-int-max=30 ! h264parse ! {video} "
        "audiotestsrc is-live=true ! audio/x-raw,rate=44100,channels=2 ! avenc_aac ! aacparse ! {audio}")

CONTENDERS = {
    "splitmuxsink+mp4mux": ("splitmuxsink name=s muxer=mp4mux location={pattern} max-size-time={limit}",
                            "s.video", "s.audio_0", "splitmuxsink-fragment-closed"),
    "assetwritersink": ("assetwritersink name=s location={pattern} max-file-duration={limit}",
                        "s.video_0", "s.audio_0", "assetwritersink-file-closed"),
}


def pipeline(name, directory, sources, extra=""):
    sink, video, audio, _ = CONTENDERS[name]
    pattern = os.path.join(directory, "video%02d.mp4")
    return shlex.split(sink.format(pattern=shlex.quote(pattern), limit=2 * SECOND) + " " + extra + " " +
                       sources.format(video=video, audio=audio))


def files_in(directory):
    return sorted(os.path.join(directory, f) for f in os.listdir(directory) if f.startswith("video"))


def ranges_of(name, stdout):
    """Running-time ranges per file from the element's messages (splitmuxsink gives only the closing time)."""
    closed = [f for _, f in element_messages(stdout, CONTENDERS[name][3])]
    if name == "assetwritersink":
        return [(f.get("running-time-start"), f.get("running-time-end")) for f in closed]
    out, start = [], 0
    for f in closed:
        out.append((start, f.get("running-time")))
        start = f.get("running-time")
    return out


def seconds(ns):
    return None if ns is None else ns / SECOND


def print_table(name, directory, ranges):
    print(f"\n{name}: {len(files_in(directory))} files")
    print(f"{'file':<14}{'running time (element)':>24}{'video PTS first..last':>24}{'audio PTS first..last':>24}"
          f"{'video':>7}{'audio':>7}{'key 1st':>8}")
    totals = [0, 0]
    for i, path in enumerate(files_in(directory)):
        p = FileProbe(path)
        rng = ranges[i] if i < len(ranges) else (None, None)
        v0, v1 = p.video_span()
        a0, a1 = p.audio_span()
        print(f"{os.path.basename(path):<14}{fmt(seconds(rng[0])) + '..' + fmt(seconds(rng[1])):>24}"
              f"{fmt(v0) + '..' + fmt(v1):>24}{fmt(a0) + '..' + fmt(a1):>24}"
              f"{len(p.video_pts):>7}{len(p.audio_pts):>7}{'yes' if p.first_video_is_key else 'NO':>8}")
        totals[0] += len(p.video_pts)
        totals[1] += len(p.audio_pts)
    print(f"{'total':<14}{'':>72}{totals[0]:>7}{totals[1]:>7}")


def kill_in_third_file(name, directory, aw_recover):
    extra = f"crash-recovery-interval={SECOND // 2}" if name == "assetwritersink" else ""
    cmd = ["gst-launch-1.0", "-m"] + pipeline(name, directory, LIVE, extra)
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, start_new_session=True)
    third = os.path.join(directory, "video02.mp4")
    deadline = time.monotonic() + 30
    while not os.path.exists(third) and time.monotonic() < deadline and proc.poll() is None:
        time.sleep(0.05)
    time.sleep(1.1)
    os.killpg(proc.pid, signal.SIGKILL)
    proc.communicate()
    print(f"\n{name}, live, SIGKILL about 1.1 s into the third file:")
    print(f"{'file':<18}{'ffprobe':>10}{'decoded video frames':>22}  notes")
    for path in files_in(directory):
        p = FileProbe(path)
        note = "" if p.ok else p.error[:60]
        print(f"{os.path.basename(path):<18}{'reads' if p.ok else 'FAILS':>10}{str(p.decoded_video or 0):>22}  {note}")
        if aw_recover and path == third and name == "assetwritersink":
            out = os.path.join(directory, "recovered02.mp4")
            r = e.run([aw_recover, path, out], timeout=60)
            q = FileProbe(out) if r.ok else None
            print(f"{'  after aw-recover':<18}{'reads' if q and q.ok else 'FAILS':>10}"
                  f"{str(q.decoded_video if q else 0):>22}")


def main():
    aw_recover = sys.argv[1] if len(sys.argv) > 1 else None
    work = tempfile.mkdtemp(prefix="splitmux-compare-")
    print("Input: 10 s of 30 fps H.264 (x264enc key-int-max=30) + AAC 44.1 kHz; 2 s per file.")
    for name in CONTENDERS:
        directory = os.path.join(work, name)
        os.makedirs(directory)
        result = e.run(["gst-launch-1.0", "-e", "-m"] + pipeline(name, directory, SOURCES), timeout=120)
        if not result.ok:
            print(f"{name}: pipeline failed: {result.describe()}")
            continue
        print_table(name, directory, ranges_of(name, result.stdout))
    for name in CONTENDERS:
        directory = os.path.join(work, name + "-live")
        os.makedirs(directory)
        kill_in_third_file(name, directory, aw_recover)
    print(f"\noutputs in {work}")


if __name__ == "__main__":
    main()
