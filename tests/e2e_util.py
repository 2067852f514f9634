"""Shared helpers of the end-to-end tests: run real pipelines, read the result back with independent readers.

Every external command runs under a timeout in its own process group, so a hang becomes a failing test and
never a stuck CI. Only the Python standard library is used.

In a build with -Db_sanitize=address,undefined (tests/meson.build then sets AW_SANITIZER_PRELOAD) the plugin
is instrumented but gst-launch-1.0 and the other GStreamer tools are not: see `_sanitizer_setup()`.
"""

import json
import os
import re
import shlex
import shutil
import signal
import struct
import subprocess
import sys
import tempfile
import traceback

DEFAULT_TIMEOUT = 60

# Encoded test inputs, kept short so the suite runs in a minute or two on two cores.
FPS = 30
VIDEO_FRAMES = 60
WIDTH, HEIGHT = 320, 240
AUDIO_RATE = 44100
AUDIO_CHANNELS = 2
AUDIO_BUFFERS = 86  # audiotestsrc buffers of 1024 samples: 88064 samples, just under 2 s
AAC_FRAME = 1024

RAW_VIDEO = (f"videotestsrc num-buffers={VIDEO_FRAMES} ! "
             f"video/x-raw,format=I420,width={WIDTH},height={HEIGHT},framerate={FPS}/1")
RAW_AUDIO = (f"audiotestsrc num-buffers={AUDIO_BUFFERS} samplesperbuffer={AAC_FRAME} ! "
             f"audio/x-raw,rate={AUDIO_RATE},channels={AUDIO_CHANNELS}")
H264 = f"{RAW_VIDEO} ! x264enc ! h264parse"
H265 = f"{RAW_VIDEO} ! x265enc ! h265parse"
AAC = f"{RAW_AUDIO} ! avenc_aac ! aacparse"


class Completed:
    def __init__(self, cmd, returncode, stdout, stderr, timed_out):
        self.cmd = cmd
        self.returncode = returncode
        self.stdout = stdout
        self.stderr = stderr
        self.timed_out = timed_out

    @property
    def ok(self):
        return not self.timed_out and self.returncode == 0

    def describe(self):
        """One line for a TAP diagnostic: the command and how it ended."""
        how = "timed out" if self.timed_out else f"exit {self.returncode}"
        tail = " | ".join(line for line in self.stderr.decode(errors="replace").splitlines()[-4:] if line)
        return f"`{shell_line(self.cmd)}` {how}" + (f": {tail}" if tail else "")


def shell_line(cmd):
    return " ".join(shlex.quote(c) for c in cmd)


# --- Sanitizer plumbing -------------------------------------------------------------------------------------
# An instrumented plugin can only be loaded into a program whose first library is the ASan runtime, so the
# GStreamer tools (and gst-plugin-scanner, which inherits their environment) get the runtimes preloaded; our
# own programs (seek_check, aw-recover, the docs example) are instrumented already, and every other program
# (ffmpeg, node and chromium, mediainfo) runs without them. Reports go to files in one directory:
# `Tap.finish()` fails the script when any process left one, so a report fails the run even from a process
# whose exit status no check looks at (one killed on purpose, a reader's readback).
SANITIZER_PRELOAD = os.environ.get("AW_SANITIZER_PRELOAD", "")
_sanitizer_reports = None


def _sanitizer_setup():
    global _sanitizer_reports
    _sanitizer_reports = tempfile.mkdtemp(prefix="aw-sanitizer-reports-")
    log = f"log_path={os.path.join(_sanitizer_reports, 'report')}"
    # Leaks are checked where the sanitize test setup gives LeakSanitizer .ci/lsan.supp, the allocations
    # GStreamer and the codec libraries leave at exit; without it every GStreamer program reports some.
    leaks = "detect_leaks=" + ("1" if "suppressions=" in os.environ.get("LSAN_OPTIONS", "") else "0")
    for name, extra in (("ASAN_OPTIONS", f"halt_on_error=1:{leaks}:{log}"),
                        ("UBSAN_OPTIONS", f"halt_on_error=1:print_stacktrace=1:{log}")):
        os.environ[name] = ":".join(o for o in (os.environ.get(name, ""), extra) if o)
    # For the whole script, so that gst-launch started with subprocess directly gets it too; run() takes
    # it away from every program that is not a GStreamer tool.
    os.environ["LD_PRELOAD"] = SANITIZER_PRELOAD


if SANITIZER_PRELOAD:
    _sanitizer_setup()


def _environment_for(cmd, env, loads_plugin=False):
    """The environment `cmd` runs with: see the sanitizer plumbing above. `loads_plugin`: a program that is
    not a GStreamer tool but loads the plugin all the same (the docs' example apps) keeps the runtimes."""
    if not SANITIZER_PRELOAD or loads_plugin or os.path.basename(cmd[0]).startswith("gst-"):
        return env
    env = dict(os.environ if env is None else env)
    env.pop("LD_PRELOAD", None)
    return env


def sanitizer_reports():
    """[(file name, text)] of the sanitizer reports written so far (none in an uninstrumented build)."""
    if not _sanitizer_reports:
        return []
    reports = []
    for name in sorted(os.listdir(_sanitizer_reports)):
        with open(os.path.join(_sanitizer_reports, name), errors="replace") as f:
            text = f.read()
        # LeakSanitizer's list of the suppressions it used is not a report.
        if "ERROR: " in text or "runtime error:" in text:
            reports.append((name, text))
    return reports


def run(cmd, timeout=DEFAULT_TIMEOUT, input=None, env=None, preexec_fn=None, loads_plugin=False):
    """Runs `cmd` (a list) with a timeout; on timeout the whole process group is killed."""
    env = _environment_for(cmd, env, loads_plugin)
    proc = subprocess.Popen(cmd, stdin=subprocess.PIPE if input is not None else subprocess.DEVNULL,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True, env=env,
                            preexec_fn=preexec_fn)
    try:
        out, err = proc.communicate(input=input, timeout=timeout)
        return Completed(cmd, proc.returncode, out, err, False)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        out, err = proc.communicate()
        return Completed(cmd, proc.returncode, out, err, True)


def gst_launch(pipeline, timeout=DEFAULT_TIMEOUT, eos_on_shutdown=True, verbose=False):
    """Runs a gst-launch-1.0 pipeline description (one string, gst-launch syntax)."""
    cmd = ["gst-launch-1.0"]
    if eos_on_shutdown:
        cmd.append("-e")
    if verbose:
        cmd.append("-v")
    cmd += shlex.split(pipeline)
    return run(cmd, timeout=timeout)


def ffprobe(path_or_bytes, count_frames=True, timeout=DEFAULT_TIMEOUT):
    """ffprobe's JSON for a file (or bytes fed through a pipe); None when ffprobe fails."""
    cmd = ["ffprobe", "-v", "error", "-show_streams", "-show_format", "-of", "json"]
    if count_frames:
        cmd.append("-count_frames")
    if isinstance(path_or_bytes, bytes):
        result = run(cmd + ["-i", "-"], timeout=timeout, input=path_or_bytes)
    else:
        result = run(cmd + [path_or_bytes], timeout=timeout)
    if not result.ok:
        return None
    return json.loads(result.stdout)


def streams_of(probe, codec_type):
    return [s for s in probe.get("streams", []) if s.get("codec_type") == codec_type]


def ffmpeg_decode(path, timeout=DEFAULT_TIMEOUT):
    """Decodes every stream with `ffmpeg -v error`; a clean file prints nothing."""
    return run(["ffmpeg", "-nostdin", "-v", "error", "-i", path, "-f", "null", "-"], timeout=timeout)


def framemd5(path, timeout=DEFAULT_TIMEOUT):
    """The md5 of every decoded video frame, in output order."""
    result = run(["ffmpeg", "-nostdin", "-v", "error", "-i", path, "-map", "0:v:0", "-f", "framemd5", "-"],
                 timeout=timeout)
    if not result.ok:
        return None, result
    hashes = [line.split(",")[-1].strip() for line in result.stdout.decode().splitlines()
              if line and not line.startswith("#")]
    return hashes, result


def first_video_frame_pts(path, timeout=DEFAULT_TIMEOUT):
    result = run(["ffprobe", "-v", "error", "-select_streams", "v:0", "-read_intervals", "%+#1",
                  "-show_entries", "frame=pts_time,best_effort_timestamp_time", "-of", "json", path],
                 timeout=timeout)
    if not result.ok:
        return None
    frames = json.loads(result.stdout).get("frames", [])
    if not frames:
        return None
    value = frames[0].get("pts_time", frames[0].get("best_effort_timestamp_time"))
    return float(value) if value not in (None, "N/A") else None


# gst_pad_chain_data_unchecked logs every buffer at GST_SCHEDULING:5; unlike fakesink's last-message
# notifications (which gst-launch may coalesce or drop at EOS) the log has exactly one line per buffer.
_CHAIN = re.compile(r"<(\w+):sink> calling chainfunction .*? pts (\d+):(\d+):(\d+)\.(\d+), .*?"
                    r"dur (?:(\d+):(\d+):(\d+)\.(\d+)|none)")


def _ns(h, m, s, frac):
    return ((int(h) * 60 + int(m)) * 60 + int(s)) * 1_000_000_000 + int(frac.ljust(9, "0")[:9])


def qtdemux_readback(path, pads, timeout=30):
    """Demuxes `path` with qtdemux into one fakesink per pad name (e.g. video_0, audio_0).

    Returns ({pad: (buffer count, seconds from the first pts to the last pts + duration)}, Completed).
    qtdemux leaves the edit list to the segment, so buffer times keep the composition offset; the span is
    what a player shows. A missing stream leaves its branch unlinked and the pipeline never ends, which the
    timeout turns into a failure.
    """
    branches = " ".join(f"d.{pad} ! queue ! fakesink name={pad}" for pad in pads)
    env = dict(os.environ, GST_DEBUG="GST_SCHEDULING:5", GST_DEBUG_NO_COLOR="1")
    cmd = ["gst-launch-1.0", "filesrc", f"location={path}", "!", "qtdemux", "name=d"] + shlex.split(branches)
    result = run(cmd, timeout=timeout, env=env)
    stats = {pad: [0, None, 0] for pad in pads}
    for match in _CHAIN.finditer(result.stderr.decode(errors="replace")):
        pad = match.group(1)
        if pad not in stats:
            continue
        start = _ns(*match.group(2, 3, 4, 5))
        end = start + (_ns(*match.group(6, 7, 8, 9)) if match.group(6) is not None else 0)
        entry = stats[pad]
        entry[0] += 1
        entry[1] = start if entry[1] is None else min(entry[1], start)
        entry[2] = max(entry[2], end)
    # The debug log would drown the diagnostics; keep only the error lines.
    result.stderr = b"\n".join(line for line in result.stderr.splitlines() if b"ERROR" in line)
    return {pad: (count, (end - (start or 0)) / 1e9) for pad, (count, start, end) in stats.items()}, result


def top_level_boxes(path):
    """[(type, offset, size)] of the file's top-level ISO BMFF boxes (handles 64-bit and to-end sizes)."""
    boxes = []
    file_size = os.path.getsize(path)
    with open(path, "rb") as f:
        offset = 0
        while offset + 8 <= file_size:
            f.seek(offset)
            size, kind = struct.unpack(">I4s", f.read(8))
            if size == 1:
                (size,) = struct.unpack(">Q", f.read(8))
            elif size == 0:
                size = file_size - offset
            boxes.append((kind.decode("latin-1"), offset, size))
            if size < 8:
                break  # malformed; stop rather than loop forever
            offset += size
    return boxes


def boxes_in(data, start, end):
    """[(type, offset, size, header size)] of the boxes filling data[start:end]; stops at a malformed one."""
    out = []
    while start + 8 <= end:
        size, kind = struct.unpack(">I4s", data[start:start + 8])
        header = 8
        if size == 1:
            (size,) = struct.unpack(">Q", data[start + 8:start + 16])
            header = 16
        if size < header or start + size > end:  # also size 0 ("to the end"), which we never write
            break
        out.append((kind.decode("latin-1"), start, size, header))
        start += size
    return out


def trun_duration(data, start, end, default_duration):
    """The sum of one trun's sample durations (ISO 14496-12 8.8.8)."""
    flags = int.from_bytes(data[start + 1:start + 4], "big")
    count = int.from_bytes(data[start + 4:start + 8], "big")
    at = start + 8 + (4 if flags & 0x1 else 0) + (4 if flags & 0x4 else 0)
    per_sample = 4 * bin(flags & 0xF00).count("1")
    if not flags & 0x100:
        return count * default_duration
    return sum(int.from_bytes(data[at + i * per_sample:at + i * per_sample + 4], "big") for i in range(count))


def _traf_fields(data, start, end):
    """(tfdt, tfhd default sample duration, [(trun payload start, end)]) of a traf's payload."""
    tfdt = default_duration = None
    truns = []
    for kind, offset, size, header in boxes_in(data, start, end):
        body = offset + header
        if kind == "tfhd":
            flags = int.from_bytes(data[body + 1:body + 4], "big")
            at = body + 8 + (8 if flags & 0x01 else 0) + (4 if flags & 0x02 else 0)
            if flags & 0x08:
                default_duration = int.from_bytes(data[at:at + 4], "big")
        elif kind == "tfdt":
            field = data[body + 4:body + (12 if data[body] == 1 else 8)]
            tfdt = int.from_bytes(field, "big")
        elif kind == "trun":
            truns.append((body, offset + size))
    return tfdt, default_duration, truns


def traf_timing(data, start, end):
    """(tfdt, summed sample durations) of a traf's payload."""
    tfdt, default_duration, truns = _traf_fields(data, start, end)
    return tfdt, sum(trun_duration(data, s, t, default_duration) for s, t in truns)


def trun_samples(data, start, default_duration):
    """[(duration, composition offset)] of one trun's samples (signed offsets in version 1)."""
    version, flags = data[start], int.from_bytes(data[start + 1:start + 4], "big")
    count = int.from_bytes(data[start + 4:start + 8], "big")
    at = start + 8 + (4 if flags & 0x1 else 0) + (4 if flags & 0x4 else 0)
    samples = []
    for _ in range(count):
        duration, offset = default_duration, 0
        if flags & 0x100:
            duration = int.from_bytes(data[at:at + 4], "big")
            at += 4
        at += (4 if flags & 0x200 else 0) + (4 if flags & 0x400 else 0)
        if flags & 0x800:
            offset = int.from_bytes(data[at:at + 4], "big", signed=version == 1)
            at += 4
        samples.append((duration, offset))
    return samples


def traf_presentation(data, start, end):
    """(earliest presentation time, summed sample durations) of a traf's payload, in media time without an edit
    list: the decode times from tfdt plus each sample's composition offset."""
    tfdt, default_duration, truns = _traf_fields(data, start, end)
    dts, earliest = tfdt, None
    for body, _ in truns:
        for duration, composition in trun_samples(data, body, default_duration):
            earliest = dts + composition if earliest is None else min(earliest, dts + composition)
            dts += duration
    return earliest, dts - tfdt


def box_payload(path, box_path, track=0):
    """The payload of the first box at `box_path` ("moov/trak/mdia/minf/stbl/ctts") in the `track`-th trak,
    or None. Reads the whole file: for the small test files only."""
    with open(path, "rb") as f:
        data = f.read()
    start, end = 0, len(data)
    for name in box_path.split("/"):
        matches = [box for box in boxes_in(data, start, end) if box[0] == name]
        nth = track if name == "trak" else 0
        if len(matches) <= nth:
            return None
        _, offset, size, header = matches[nth]
        start, end = offset + header, offset + size
    return data[start:end]


_SEGMENT = re.compile(r"<(\w+)> configured segment time segment start=(\d+):(\d+):(\d+)\.(\d+), offset=.*?"
                      r"base=(\d+):(\d+):(\d+)\.(\d+)")
_RENDER_TIMES = re.compile(r"<(\w+)> got times start: (\d+):(\d+):(\d+)\.(\d+), end")


def qtdemux_first_frame_running_time(path, timeout=DEFAULT_TIMEOUT):
    """Seconds of running time at which qtdemux + avdec_h264 present the first decoded video frame (what a
    GStreamer player shows at the start): its pts less the segment start qtdemux derived from the edit list
    and composition offsets. None when the pipeline fails."""
    env = dict(os.environ, GST_DEBUG="basesink:5", GST_DEBUG_NO_COLOR="1")
    result = run(["gst-launch-1.0", "filesrc", f"location={path}", "!", "qtdemux", "!", "h264parse", "!",
                  "avdec_h264", "!", "fakesink", "name=out", "sync=false"], timeout=timeout, env=env)
    log = result.stderr.decode(errors="replace")
    segment = next((m for m in _SEGMENT.finditer(log) if m.group(1) == "out"), None)
    first = next((m for m in _RENDER_TIMES.finditer(log) if m.group(1) == "out"), None)
    if not result.ok or segment is None or first is None:
        return None
    start, base = _ns(*segment.group(2, 3, 4, 5)), _ns(*segment.group(6, 7, 8, 9))
    return (_ns(*first.group(2, 3, 4, 5)) - start + base) / 1e9


def reference_mux(muxer, inputs, path, timeout=DEFAULT_TIMEOUT):
    """Writes the same encoded inputs through a stock GStreamer muxer (qtmux, mp4mux, 3gppmux)."""
    branches = " ".join(f"{chain} ! m." for chain in inputs)
    return gst_launch(f"{muxer} name=m ! filesink location={shlex.quote(path)} {branches}", timeout=timeout)


def our_mux(inputs, path, props="", timeout=DEFAULT_TIMEOUT):
    """Writes encoded inputs (gst-launch chains, each ending in a parser) through assetwritersink."""
    branches = " ".join(f"{chain} ! s." for chain in inputs)
    return gst_launch(f"assetwritersink name=s location={shlex.quote(path)} {props} {branches}",
                      timeout=timeout)


class Tap:
    """A TAP producer: numbered results, diagnostics, and the plan printed at the end."""

    def __init__(self):
        self.count = 0
        self.failed = 0
        self.workdir = tempfile.mkdtemp(prefix="aw-e2e-")

    def path(self, name):
        return os.path.join(self.workdir, name)

    def diag(self, message):
        for line in str(message).splitlines() or [""]:
            print(f"# {line}", flush=True)

    def ok(self, passed, name, details=""):
        self.count += 1
        if passed:
            print(f"ok {self.count} - {name}", flush=True)
        else:
            self.failed += 1
            detail = " ".join(str(details).split())
            print(f"not ok {self.count} - {name}" + (f" # {detail}" if detail else ""), flush=True)
        return passed

    def equal(self, actual, expected, name):
        return self.ok(actual == expected, name, f"expected {expected!r}, got {actual!r}")

    def near(self, actual, expected, tolerance, name):
        passed = actual is not None and abs(actual - expected) <= tolerance
        return self.ok(passed, name, f"expected {expected} +/- {tolerance}, got {actual}")

    def check(self, name, fn):
        """Runs `fn()`; an exception is a failure of `name`, not a crash of the script."""
        try:
            return fn()
        except Exception as e:  # noqa: BLE001 - any exception is a test failure here
            self.ok(False, name, f"{type(e).__name__}: {e}")
            traceback.print_exc(file=sys.stderr)
            return None

    def finish(self):
        if SANITIZER_PRELOAD:
            reports = sanitizer_reports()
            self.ok(not reports, "no process left a sanitizer report (ASan, LeakSanitizer, UBSan)",
                    f"{len(reports)} report(s) in {_sanitizer_reports}")
            for name, text in reports:
                self.diag(f"{name}:")
                self.diag("\n".join(text.splitlines()[:40]))
            if not reports:
                shutil.rmtree(_sanitizer_reports, ignore_errors=True)
        print(f"1..{self.count}", flush=True)
        if self.failed == 0:
            shutil.rmtree(self.workdir, ignore_errors=True)
        else:
            self.diag(f"outputs kept in {self.workdir}")
        sys.exit(0)  # the TAP results carry the verdict


def as_float(value):
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


def check_written(tap, label, result):
    """The writing pipeline ended by itself and succeeded."""
    return tap.ok(result.ok, f"{label}: pipeline ends with EOS and exit 0", result.describe())


def check_video_stream(tap, label, probe, codec, frames=VIDEO_FRAMES, fps=FPS, width=WIDTH, height=HEIGHT):
    videos = streams_of(probe, "video")
    if not tap.equal(len(videos), 1, f"{label}: ffprobe sees one video stream"):
        return
    v = videos[0]
    tap.equal(v.get("codec_name"), codec, f"{label}: video codec is {codec}")
    tap.equal(int(v.get("nb_read_frames", -1)), frames, f"{label}: ffprobe decodes {frames} video frames")
    tap.near(as_float(v.get("duration")), frames / fps, 1 / fps,
             f"{label}: video duration {frames / fps:.3f} s within one frame")
    tap.equal((v.get("width"), v.get("height")), (width, height), f"{label}: video is {width}x{height}")


def check_audio_stream(tap, label, probe, reference_probe):
    audios = streams_of(probe, "audio")
    if not tap.equal(len(audios), 1, f"{label}: ffprobe sees one audio stream"):
        return
    a = audios[0]
    tap.equal(a.get("codec_name"), "aac", f"{label}: audio codec is aac")
    tap.equal(a.get("sample_rate"), str(AUDIO_RATE), f"{label}: sample rate {AUDIO_RATE}")
    tap.equal(a.get("channels"), AUDIO_CHANNELS, f"{label}: {AUDIO_CHANNELS} channels")
    # The encoder adds a frame of priming/flush; count frames against a stock muxer fed the same stream.
    ref = streams_of(reference_probe, "audio")[0] if reference_probe and streams_of(reference_probe, "audio") \
        else None
    frames = int(a.get("nb_read_frames", -1))
    if ref is not None:
        tap.equal(frames, int(ref["nb_read_frames"]), f"{label}: audio frame count matches the encoder's output")
    tap.near(as_float(a.get("duration")), frames * AAC_FRAME / AUDIO_RATE, AAC_FRAME / AUDIO_RATE,
             f"{label}: audio duration matches its {frames} frames within one frame")
    tap.near(as_float(a.get("duration")), AUDIO_BUFFERS * AAC_FRAME / AUDIO_RATE, 2 * AAC_FRAME / AUDIO_RATE,
             f"{label}: audio duration matches the input within the encoder's priming")


def check_decodes_cleanly(tap, label, path):
    result = ffmpeg_decode(path)
    text = (result.stdout + result.stderr).decode(errors="replace").strip()
    tap.ok(result.ok and not text, f"{label}: ffmpeg -v error decodes it printing nothing",
           result.describe() if not result.ok else text[:300])


def check_qtdemux(tap, label, path, expected):
    """`expected`: {pad: (buffers, duration seconds, tolerance)}."""
    stats, result = qtdemux_readback(path, list(expected))
    tap.ok(result.ok, f"{label}: qtdemux reads it to EOS", result.describe())
    for pad, (count, duration, tolerance) in expected.items():
        got_count, got_end = stats[pad]
        tap.equal(got_count, count, f"{label}: qtdemux delivers {count} buffers on {pad}")
        tap.near(got_end, duration, tolerance, f"{label}: qtdemux {pad} lasts {duration:.3f} s")


def _size_and_overhead(path):
    """(file size, bytes outside mdat payloads): the container's own cost for the same media."""
    if not os.path.exists(path):
        return -1, -1
    size = os.path.getsize(path)
    payload = 0
    for kind, offset, box_size in top_level_boxes(path):
        if kind == "mdat":
            with open(path, "rb") as f:
                f.seek(offset)
                header = 16 if struct.unpack(">I", f.read(4))[0] == 1 else 8
            payload += box_size - header
    return size, size - payload


def size_diag(tap, label, ours, reference, muxer):
    size_ours, overhead_ours = _size_and_overhead(ours)
    size_ref, overhead_ref = _size_and_overhead(reference)
    tap.diag(f"size {label} ours={size_ours} qtmux={size_ref} (reference element {muxer}); "
             f"bytes outside mdat payload ours={overhead_ours} qtmux={overhead_ref}")


def format_case(tap, label, ext, inputs, muxer, video_codec=None, has_audio=True, props=""):
    """Writes `inputs` with assetwritersink and with `muxer`, then checks ours with every reader.

    Returns the path of our file (or None when the pipeline failed)."""
    ours = tap.path(f"{label}.{ext}")
    reference = tap.path(f"{label}-{muxer}.{ext}")
    ref_result = reference_mux(muxer, inputs, reference)
    if not ref_result.ok:
        tap.diag(f"reference {muxer} failed: {ref_result.describe()}")
    result = our_mux(inputs, ours, props)
    if not check_written(tap, label, result) and not os.path.exists(ours):
        return None
    probe = ffprobe(ours)
    if not tap.ok(probe is not None, f"{label}: ffprobe reads the file", "ffprobe failed"):
        return None
    ref_probe = ffprobe(reference) if ref_result.ok else None
    if video_codec:
        check_video_stream(tap, label, probe, video_codec)
    else:
        tap.equal(len(streams_of(probe, "video")), 0, f"{label}: no video stream")
    if has_audio:
        check_audio_stream(tap, label, probe, ref_probe)
    check_decodes_cleanly(tap, label, ours)
    expected = {}
    if video_codec:
        expected["video_0"] = (VIDEO_FRAMES, VIDEO_FRAMES / FPS, 1 / FPS)
    if has_audio:
        ref_audio = streams_of(ref_probe, "audio") if ref_probe else []
        frames = int(ref_audio[0]["nb_read_frames"]) if ref_audio else AUDIO_BUFFERS + 1
        expected["audio_0"] = (frames, frames * AAC_FRAME / AUDIO_RATE, AAC_FRAME / AUDIO_RATE)
    check_qtdemux(tap, label, ours, expected)
    size_diag(tap, label, ours, reference, muxer)
    return ours
