#!/usr/bin/env python3
"""The example apps of docs/examples record what they say: record.c builds with pkg-config's gstreamer-1.0
flags alone, and it and record.py (PyGObject) each record live H.264 + AAC for the seconds asked for, or until
SIGINT (Ctrl-C), into a file ffprobe reads with the frame counts that time gives; they print the element's
fragment and file-complete messages as they come, and fail (non-zero) on an ERROR."""
import os
import re
import shutil
import sys

import e2e_util as e

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
EXAMPLES = os.path.join(ROOT, "docs", "examples")
FPS = 30  # the examples' video caps
AAC_RATE, AAC_FRAME = 48000, 1024  # the examples' audio caps, and AAC's frame
RECORD_S = 4
INTERRUPT_AFTER_S = 5  # of a recording asked to last a minute

FRAGMENT = re.compile(r"^fragment (\d+): ([\d.]+) s \+ ([\d.]+) s, (\d+) bytes at (\d+), synced=(yes|no)$")
COMPLETE = re.compile(r"^file complete: (.*), (\d+) bytes, ([\d.]+) s, (\d+) fragments$")


def python_with_gi():
    """The first Python that has PyGObject with GStreamer (meson's python3 may be another one than the
    system's, which python3-gi installs into)."""
    for python in dict.fromkeys([sys.executable, "/usr/bin/python3", shutil.which("python3")]):
        if python and e.run([python, "-c", "import gi; gi.require_version('Gst', '1.0'); "
                                           "from gi.repository import Gst"], timeout=30).ok:
            return python
    return None


def build_c_example(tap):
    flags = e.run(["pkg-config", "--cflags", "--libs", "gstreamer-1.0"], timeout=30)
    if not tap.ok(flags.ok, "record.c: pkg-config knows gstreamer-1.0", flags.describe()):
        return None
    exe = tap.path("record")
    result = e.run(["cc", "-Wall", "-Wextra", "-Werror", "-o", exe, os.path.join(EXAMPLES, "record.c")]
                   + flags.stdout.decode().split(), timeout=120)
    return exe if tap.ok(result.ok, "record.c: builds with cc and pkg-config alone, without warnings",
                         result.describe()) else None


def printed(result):
    """The fragment lines and the file-complete lines the app printed."""
    lines = result.stdout.decode(errors="replace").splitlines()
    fragments = [m.groups() for m in map(FRAGMENT.match, lines) if m]
    complete = [m.groups() for m in map(COMPLETE.match, lines) if m]
    return fragments, complete


def check_recording(tap, label, result, path, min_s, max_s):
    """The app ended well, printed what it saw, and left a file of min_s..max_s whose frames fit its time."""
    tap.ok(result.ok, f"{label}: exits 0", result.describe())
    fragments, complete = printed(result)
    if not tap.equal(len(complete), 1, f"{label}: printed one file-complete message"):
        tap.diag(result.stdout.decode(errors="replace"))
        return
    location, size, duration, count = complete[0]
    tap.equal(location, path, f"{label}: file-complete names the file")
    tap.equal(int(size), os.path.getsize(path), f"{label}: file-complete's size is the file's")
    # Live sources: the recording is crash-safe (2 s fragments), so every fragment was announced.
    tap.ok(len(fragments) >= 1, f"{label}: printed fragment messages", len(fragments))
    tap.equal([int(f[0]) for f in fragments], list(range(int(count))),
              f"{label}: one fragment message per fragment file-complete counts, in order")
    tap.ok(all(int(f[4]) + int(f[3]) <= int(size) for f in fragments),
           f"{label}: every fragment lies inside the file", fragments)

    probe = e.ffprobe(path)
    if not tap.ok(probe is not None, f"{label}: ffprobe reads the file"):
        return
    tap.near(e.as_float(probe["format"].get("duration")), float(duration), 0.05,
             f"{label}: file-complete's duration is ffprobe's")
    videos, audios = e.streams_of(probe, "video"), e.streams_of(probe, "audio")
    if not (tap.equal([v.get("codec_name") for v in videos], ["h264"], f"{label}: one h264 video stream")
            and tap.equal([a.get("codec_name") for a in audios], ["aac"], f"{label}: one aac audio stream")):
        return
    video, audio = videos[0], audios[0]
    frames = int(video.get("nb_read_frames", -1))
    tap.equal(frames, int(video.get("nb_frames", -2)), f"{label}: every video frame in the index decodes")
    tap.ok(FPS * min_s <= frames <= FPS * max_s, f"{label}: {FPS} frames a second of recording",
           f"{frames} frames, expected {FPS * min_s:.0f}..{FPS * max_s:.0f}")
    tap.near(e.as_float(video.get("duration")), frames / FPS, 1.5 / FPS,
             f"{label}: video lasts its frames at {FPS} fps")
    audio_frames = int(audio.get("nb_read_frames", -1))
    tap.equal(audio_frames, int(audio.get("nb_frames", -2)), f"{label}: every audio frame in the index decodes")
    tap.near(e.as_float(audio.get("duration")), audio_frames * AAC_FRAME / AAC_RATE, 1.5 * AAC_FRAME / AAC_RATE,
             f"{label}: audio lasts its AAC frames at {AAC_RATE} Hz")
    tap.ok(min_s <= audio_frames * AAC_FRAME / AAC_RATE <= max_s, f"{label}: audio as long as the recording",
           f"{audio_frames} frames")


def check_app(tap, label, command, env=None):
    # For the seconds given on the command line.
    path = tap.path(f"{label}-timed.mp4")
    result = e.run(command + [path, str(RECORD_S)], timeout=90, loads_plugin=True, env=env)
    if os.path.exists(path):
        check_recording(tap, f"{label} {RECORD_S} s", result, path, RECORD_S - 1, RECORD_S + 0.3)
    else:
        tap.ok(False, f"{label} {RECORD_S} s: writes the file", result.describe())

    # Ctrl-C: SIGINT after a few seconds of a one-minute recording ends it with a complete file. timeout(1)
    # sends it, counting from the start (so the app's start-up is in it), and passes the exit status on.
    path = tap.path(f"{label}-interrupted.mp4")
    result = e.run(["timeout", "--preserve-status", "-s", "INT", str(INTERRUPT_AFTER_S)] + command + [path, "60"],
                   timeout=90, loads_plugin=True, env=env)
    tap.ok("interrupted: sending EOS" in result.stdout.decode(errors="replace"),
           f"{label} SIGINT: says it ends the recording", result.stdout.decode(errors="replace")[-300:])
    if os.path.exists(path):
        check_recording(tap, f"{label} SIGINT", result, path, 1, INTERRUPT_AFTER_S + 0.3)
    else:
        tap.ok(False, f"{label} SIGINT: writes the file", result.describe())

    # An ERROR (a directory that does not exist) ends the app with a non-zero status, saying why.
    result = e.run(command + [tap.path("missing/out.mp4"), "2"], timeout=60, loads_plugin=True, env=env)
    tap.ok(not result.timed_out and result.returncode not in (0, None), f"{label} error: exits non-zero",
           result.describe())
    tap.ok("does not exist" in result.stderr.decode(errors="replace"), f"{label} error: prints the element's error",
           result.describe())
    tap.equal(printed(result)[1], [], f"{label} error: no file-complete message")

    # No output path: the usage, exit status 2, nothing started.
    result = e.run(command, timeout=30, env=env)
    tap.ok(result.returncode == 2 and b"usage:" in result.stderr, f"{label} without arguments: prints its usage",
           result.describe())


def main(tap):
    python = python_with_gi()
    if tap.ok(python is not None, "a python3 with PyGObject and GStreamer is installed (python3-gi)"):
        # In a sanitizer build the interpreter gets the runtimes preloaded, like the GStreamer tools, to load the
        # instrumented plugin; CPython does not free everything at exit, so LeakSanitizer stays off for it
        # (record.c and the tools still check the plugin for leaks).
        env = None
        if e.SANITIZER_PRELOAD:
            env = dict(os.environ, ASAN_OPTIONS=os.environ.get("ASAN_OPTIONS", "") + ":detect_leaks=0")
        check_app(tap, "record.py", [python, os.path.join(EXAMPLES, "record.py")], env)
    exe = build_c_example(tap)
    if exe:
        check_app(tap, "record.c", [exe])


tap = e.Tap()
tap.check("examples", lambda: main(tap))
tap.finish()
