#!/usr/bin/env python3
"""The validator matrix of docs/conformance.md: mode × file type × codec × validator.

Encodes short sources once (2 s of video and audio, kept in MPEG-TS, Matroska or QuickTime files so every
muxer below reads the same encoded bytes), writes each case through assetwritersink and through its peers —
GStreamer's own muxer (mp4mux / qtmux / 3gppmux) and `ffmpeg -c copy` — and runs every validator present on
the machine on each output. Each validator's report is reduced to a set of normalised complaint lines (paths, addresses and
offsets removed), so the same complaint on our file and on FFmpeg's compares equal.

Validators built from source (ComplianceWarden, the DASH-IF ISOSegmentValidator, Bento4's mp4info and
mp4dump) are looked up in $AW_VALIDATORS_DIR (default /work/validators, laid out as docs/conformance.md builds
it) and then on PATH; the Debian ones (ffmpeg, mkvmerge, cvlc, AtomicParsley, mediainfo) on PATH.
Missing ones are listed, not fatal.

    tools/conformance-matrix.py [--quick] [--only SUBSTRING] [--keep DIR] [--output matrix.md]
                                [--doc docs/conformance.md]

The plugin comes from GST_PLUGIN_PATH (default: build/gst of this checkout). Standard library only.
Exit status: 0 when every complaint on our output is also on a peer's output of the same case or explained
in docs/conformance.md (EXPLAINED below), 1 otherwise, 2 when the matrix could not be made.
"""

import argparse
import concurrent.futures
import json
import os
import re
import shlex
import shutil
import signal
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)

FPS, FRAMES, WIDTH, HEIGHT = 30, 60, 320, 240
KEYINT = 15  # a keyframe every 0.5 s, so fragments (0.5 s) and segments (1 s) start on one
AUDIO_RATE, AUDIO_SECONDS = 48000, 2
FRAGMENT_NS = 500_000_000
SEGMENT_NS = 1_000_000_000
TIMEOUT = 60
VALIDATOR_TIMEOUT = 30

RAW_VIDEO = (f"videotestsrc num-buffers={FRAMES} ! "
             f"video/x-raw,format=I420,width={WIDTH},height={HEIGHT},framerate={FPS}/1")


def raw_audio(samples_per_buffer):
    buffers = AUDIO_SECONDS * AUDIO_RATE // samples_per_buffer
    return (f"audiotestsrc num-buffers={buffers} samplesperbuffer={samples_per_buffer} ! "
            f"audio/x-raw,rate={AUDIO_RATE},channels=2")


# codec → (encoder chain from raw, parser after the demuxer, GStreamer elements it needs). Sources are stored
# as MPEG-TS when the codec reorders frames (Matroska keeps no decode times: matroskademux hands B-frame
# streams on with DTS going backwards), as Matroska otherwise.
CODECS = {
    "h264": (f"{RAW_VIDEO} ! x264enc key-int-max={KEYINT} bframes=2 ! h264parse", "h264parse", ["x264enc"]),
    "h265": (f"{RAW_VIDEO} ! x265enc key-int-max={KEYINT} ! h265parse", "h265parse", ["x265enc"]),
    "av1": (f"{RAW_VIDEO} ! av1enc cpu-used=8 keyframe-max-dist={KEYINT} lag-in-frames=0 "
            "usage-profile=realtime threads=1 target-bitrate=300 ! av1parse", "av1parse", ["av1enc"]),
    "vp9": (f"{RAW_VIDEO} ! vp9enc deadline=1 cpu-used=8 keyframe-max-dist={KEYINT} ! vp9parse", "vp9parse",
            ["vp9enc"]),
    "mjpeg": (f"{RAW_VIDEO} ! jpegenc ! jpegparse", "jpegparse", ["jpegenc"]),
    "aac": (f"{raw_audio(1024)} ! avenc_aac ! aacparse", "aacparse", ["avenc_aac"]),
    "mp3": (f"{raw_audio(1152)} ! lamemp3enc ! mpegaudioparse", "mpegaudioparse", ["lamemp3enc"]),
    "ac3": (f"{raw_audio(1536)} ! avenc_ac3 ! ac3parse", "ac3parse", ["avenc_ac3"]),
    "eac3": (f"{raw_audio(1536)} ! avenc_eac3 ! ac3parse", "ac3parse", ["avenc_eac3"]),
    "opus": (f"{raw_audio(960)} ! opusenc ! opusparse", "opusparse", ["opusenc"]),
    "flac": (f"{raw_audio(1152)} ! flacenc ! flacparse", "flacparse", ["flacenc"]),
    "alac": (f"{raw_audio(4096)} ! avenc_alac", None, ["avenc_alac"]),
    "pcm": (raw_audio(1024) + ",format=S16LE", None, []),
}

TS_CODECS = ("h264", "h265")
MOV_CODECS = ("alac",)  # matroskamux takes no ALAC

# mode → assetwritersink properties (segment modes name files themselves)
MODES = {
    "plain": "",
    "moov-first": "optimize-for-network-use=true",
    "crash-safe": f"crash-recovery-interval={FRAGMENT_NS}",
    "signed-ctts": "signed-composition-offsets=true",
    "recovered": f"crash-recovery-interval={FRAGMENT_NS}",  # killed at KILL_AFTER s, then aw-recover
    "fragmented": f"fragment-interval={FRAGMENT_NS}",
    "hls": f"segment-interval={SEGMENT_NS}",
    "cmaf": f"segment-interval={SEGMENT_NS} output-file-type-profile=cmaf",
    "cmaf-tracks": f"segment-interval={SEGMENT_NS} output-file-type-profile=cmaf one-track-per-header=true",
}
SEGMENT_MODES = ("hls", "cmaf", "cmaf-tracks")
KILL_AFTER = 2.0  # seconds after gst-launch starts a real-time recording of 2 s (~0.5 s of it start-up)
FRAGMENTED_MODES = ("fragmented",) + SEGMENT_MODES

# (mode, file type, video codec or None, audio codec or None); --quick keeps the rows marked True.
CASES = [
    ("plain", "mp4", "h264", "aac", True),
    ("plain", "mp4", "h265", "aac", False),
    ("plain", "mp4", "av1", "opus", False),
    ("plain", "mp4", None, "flac", False),
    ("plain", "mp4", "vp9", "mp3", False),
    ("plain", "mp4", None, "ac3", False),
    ("plain", "mp4", None, "eac3", False),
    ("plain", "mov", "mjpeg", "pcm", False),
    ("plain", "mov", "h264", "pcm", False),
    ("plain", "mov", "h265", "aac", False),
    ("plain", "m4a", None, "aac", False),
    ("plain", "m4a", None, "alac", False),
    ("plain", "3gp", "h264", "aac", False),
    ("moov-first", "mp4", "h264", "aac", False),
    ("moov-first", "mov", "h264", "pcm", False),
    ("moov-first", "m4a", None, "aac", False),
    ("crash-safe", "mp4", "h264", "aac", False),
    ("crash-safe", "mov", "h264", "aac", False),
    ("crash-safe", "mp4", "av1", "opus", False),
    ("signed-ctts", "mp4", "h264", "aac", False),
    ("recovered", "mp4", "h264", "aac", False),
    ("recovered", "mov", "h264", "aac", False),
    ("fragmented", "mp4", "h264", "aac", True),
    ("fragmented", "mp4", "h265", "aac", False),
    ("fragmented", "mp4", "av1", "opus", False),
    ("fragmented", "mp4", "av1", None, False),
    ("fragmented", "mov", "h264", "aac", False),
    ("fragmented", "mov", "h264", "pcm", False),
    ("hls", "mp4", "h264", "aac", False),
    ("hls", "mp4", "h265", "aac", False),
    ("hls", "mp4", "av1", "opus", False),
    ("cmaf", "mp4", "h264", "aac", True),
    ("cmaf", "mp4", "av1", "opus", False),
    ("cmaf-tracks", "mp4", "h264", "aac", True),
    ("cmaf-tracks", "mp4", "h265", "aac", False),
    ("cmaf-tracks", "mp4", "av1", "opus", False),
]

WRITERS = ("ours", "gst", "ffmpeg")

# Complaints on our output that no peer shares, each explained in docs/conformance.md under the key given:
# (key, validator, pattern of the complaint, modes it applies to or None for all).
EXPLAINED = [
    ("D1 PCM stts", "ffmpeg", r"Too large sample offset \d+ in stts", None),
    ("D2 av01 in segments", "cw av1isobmff", r"No 'av01' found in compatibleBrands", SEGMENT_MODES),
    ("D3 msdh", "ISOSegmentValidator", r"Brand msdh not found", ("cmaf", "cmaf-tracks")),
    ("V4 CW reads fragmented AV1 samples wrongly", "cw av1isobmff",
     r"\[Rule #(?!0\])\d+\]", FRAGMENTED_MODES),  # any rule but the brand's: it reads other bytes as OBUs
    ("V7 ISOSegmentValidator does not know udta/meta", "ISOSegmentValidator",
     r"unknown/unexpected atom 'meta'", None),
    ("V7 ISOSegmentValidator does not know nclx colr", "ISOSegmentValidator", r"colr atom of type nclx", None),
    ("V8 tfdt of a track that starts late", "ISOSegmentValidator",
     r"tfdt base media decode time [0-9.]+ not equal to accumulated decode time 0\.0+ for track", None),
]


def explanation(validator, mode, text):
    for key, v, pattern, modes in EXPLAINED:
        if v == validator and re.search(pattern, text) and (modes is None or mode in modes):
            return key
    return None


# --- processes ------------------------------------------------------------------------------------------------

def run(cmd, timeout=TIMEOUT, cwd=None, env=None):
    """(returncode or None on timeout, stdout, stderr) — in its own process group, killed whole on timeout."""
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, stdin=subprocess.DEVNULL,
                            cwd=cwd, env=env, start_new_session=True)
    try:
        out, err = proc.communicate(timeout=timeout)
        return proc.returncode, out.decode(errors="replace"), err.decode(errors="replace")
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        out, err = proc.communicate()
        return None, out.decode(errors="replace"), err.decode(errors="replace")


def gst_launch(pipeline):
    # -f: no fault handler, so a crashing peer exits instead of spinning until the timeout
    code, out, err = run(["gst-launch-1.0", "-q", "-e", "-f"] + shlex.split(pipeline))
    if code != 0:
        return f"gst-launch-1.0 {'timed out' if code is None else f'exit {code}'}: {(err or out).strip()[-300:]}"
    return None


def have_element(name):
    return run(["gst-inspect-1.0", name], timeout=20)[0] == 0


# --- sources --------------------------------------------------------------------------------------------------

def make_sources(srcdir, needed):
    """One Matroska file per codec: the encoded bytes every writer reads. Returns {codec: path or None}."""
    paths = {}
    for codec in sorted(needed):
        chain, _, elements = CODECS[codec]
        if not all(have_element(e) for e in elements):
            paths[codec] = None
            continue
        ext, muxer = ("ts", "mpegtsmux") if codec in TS_CODECS else ("mov", "qtmux") if codec in MOV_CODECS \
            else ("mkv", "matroskamux")
        path = os.path.join(srcdir, f"{codec}.{ext}")
        error = gst_launch(f"{chain} ! {muxer} ! filesink location={path}")
        paths[codec] = None if error else path
        if error:
            print(f"source {codec}: {error}", file=sys.stderr)
    return paths


def demux_branch(codec, path, target):
    parser = CODECS[codec][1]
    demux = {"ts": "tsdemux", "mov": "qtdemux"}.get(path.rsplit(".", 1)[1], "matroskademux")
    chain = f"filesrc location={path} ! {demux} ! queue"
    if parser:
        chain += f" ! {parser}"
    return f"{chain} ! {target}"


# --- writers --------------------------------------------------------------------------------------------------
# Each writer returns (units, error): units is a list of (label, path) of files to validate — one file for
# file modes; for segment modes the init segment followed by its media segments joined into one file per
# header (how the DASH-IF conformance tool feeds ISOSegmentValidator), so every validator sees a whole track.

def join_segments(outdir, init, segments, joined):
    """Writes init + segments into `joined`, and beside it `joined.info`: the segment sizes as the DASH-IF
    conformance tool hands them to ISOSegmentValidator (-infofile; index 0 is the init segment)."""
    with open(joined, "wb") as out, open(joined + ".info", "w") as info:
        for index, name in enumerate([init] + segments):
            with open(os.path.join(outdir, name), "rb") as f:
                shutil.copyfileobj(f, out)
            info.write(f"{index} {os.path.getsize(os.path.join(outdir, name))}\n")
    return joined


def segment_units(outdir, init_re, seg_re, label_of=lambda sub, key: sub):
    """Finds init + media segments in outdir (and its subdirectories, one per track header)."""
    units = []
    for sub in sorted([""] + [d for d in os.listdir(outdir) if os.path.isdir(os.path.join(outdir, d))]):
        d = os.path.join(outdir, sub)
        names = sorted(os.listdir(d))
        inits = [n for n in names if re.fullmatch(init_re, n)]
        for init in inits:
            key = re.fullmatch(init_re, init).groupdict().get("key") or ""
            segs = [n for n in names if (m := re.fullmatch(seg_re, n)) and (m.groupdict().get("key") or "") == key]
            if segs:
                label = label_of(sub, key) or "all"
                units.append((label, join_segments(d, init, segs, os.path.join(outdir, f"joined-{label}.mp4"))))
    return units


def write_ours(case, sources, outdir):
    mode, ftype, video, audio = case
    props = MODES[mode]
    os.makedirs(outdir, exist_ok=True)
    if mode in SEGMENT_MODES:
        track = "%s/" if "one-track-per-header" in props else ""
        sink = (f"assetwritersink name=s {props} sync-fragments=false send-keyframe-requests=false "
                f"location={outdir}/{track}segment%05d.m4s init-location={outdir}/{track}init.mp4 "
                f"playlist-location={outdir}/{track}index.m3u8")
    else:
        sink = f"assetwritersink name=s {props} location={outdir}/out.{ftype}"
    branches = []
    pace = "identity sync=true ! " if mode == "recovered" else ""  # a recording in real time, to be killed
    if video:
        branches.append(demux_branch(video, sources[video], f"{pace}s.video_0"))
    if audio:
        branches.append(demux_branch(audio, sources[audio], f"{pace}s.audio_0"))
    if mode == "recovered":
        return recover(" ".join([sink] + branches), f"{outdir}/out.{ftype}", f"{outdir}/recovered.{ftype}")
    error = gst_launch(" ".join([sink] + branches))
    if error:
        return [], error
    if mode in SEGMENT_MODES:
        return segment_units(outdir, r"init\.mp4", r"segment\d+\.m4s"), None
    return [("", f"{outdir}/out.{ftype}")], None


def recover(pipeline, killed, recovered):
    """Records in real time, SIGKILLs the recording KILL_AFTER s in, and runs aw-recover on what it left."""
    tool = os.environ.get("AW_RECOVER", os.path.join(ROOT, "build", "tools", "aw-recover"))
    if not os.access(tool, os.X_OK):
        return [], f"aw-recover not found at {tool} (AW_RECOVER)"
    proc = subprocess.Popen(["gst-launch-1.0", "-q"] + shlex.split(pipeline), stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        proc.wait(timeout=KILL_AFTER)
        return [], "the recording ended before it was killed"
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
    code, out, err = run([tool, killed, recovered])
    if code != 0:
        return [], f"aw-recover exit {code}: {(err or out).strip()[-300:]}"
    shutil.copy(killed, killed + ".killed")  # the FFmpeg peer remuxes the killed file
    return [("", recovered)], None


GST_MUXERS = {"mp4": "mp4mux", "m4a": "mp4mux", "mov": "qtmux", "3gp": "3gppmux"}


def write_gst(case, sources, outdir):
    """GStreamer's own muxer on the same bytes; None when it has no equivalent of the mode or codec."""
    mode, ftype, video, audio = case
    if mode in SEGMENT_MODES or mode in ("signed-ctts", "recovered"):
        return None
    muxer = GST_MUXERS[ftype]
    if audio == "flac":
        return None  # mp4mux of GStreamer 1.22 takes no FLAC
    props = {"moov-first": "faststart=true", "fragmented": f"fragment-duration={FRAGMENT_NS // 1_000_000}"}.get(mode, "")
    os.makedirs(outdir, exist_ok=True)
    path = f"{outdir}/out.{ftype}"
    branches = []
    if video:
        branches.append(demux_branch(video, sources[video], "m.video_0"))
    if audio:
        branches.append(demux_branch(audio, sources[audio], "m.audio_0"))
    error = gst_launch(f"{muxer} name=m {props} ! filesink location={path} " + " ".join(branches))
    if error:
        return [], error
    return [("", path)], None


FFMPEG_FORMATS = {"mp4": "mp4", "m4a": "ipod", "mov": "mov", "3gp": "3gp"}


def write_ffmpeg(case, sources, outdir):
    mode, ftype, video, audio = case
    os.makedirs(outdir, exist_ok=True)
    inputs = []
    for codec in (video, audio):
        if codec:
            inputs += ["-i", sources[codec]]
    maps = [f"{i}:0" for i in range(len(inputs) // 2)]
    if mode == "recovered":
        # The killed recording itself (fragments up to the kill), remuxed: FFmpeg's answer to a killed file.
        killed = os.path.join(os.path.dirname(outdir), "ours", f"out.{ftype}.killed")
        if not os.path.exists(killed):
            return [], "no killed recording of ours to remux"
        inputs, maps = ["-i", killed], ["0"]
    base = ["ffmpeg", "-nostdin", "-y", "-v", "error"] + inputs + ["-c", "copy"]
    for m in maps:
        base += ["-map", m]
    if audio == "opus" or (audio == "flac" and ftype == "mp4"):
        base += ["-strict", "experimental"]
    flags = {"moov-first": ["-movflags", "+faststart"],
             "signed-ctts": ["-movflags", "+negative_cts_offsets", "-use_editlist", "0"],
             # empty_moov + default_base_moof: every sample in a fragment, as ours (without empty_moov FFmpeg puts
             # the first fragment's samples in the moov's sample tables)
             "fragmented": ["-movflags", "+frag_keyframe+empty_moov+default_base_moof",
                            "-frag_duration", str(FRAGMENT_NS // 1000)]}.get(mode, [])
    if mode == "hls" or mode == "cmaf":
        cmd = base + ["-f", "hls", "-hls_segment_type", "fmp4", "-hls_time", "1", "-hls_playlist_type", "vod",
                      "-hls_fmp4_init_filename", "init.mp4",
                      "-hls_segment_filename", f"{outdir}/segment%05d.m4s", f"{outdir}/index.m3u8"]
    elif mode == "cmaf-tracks":
        tags = {"h264": "avc1", "h265": "hvc1", "av1": "av01"}
        cmd = base + (["-tag:v", tags[video]] if video else []) + [
            "-f", "dash", "-dash_segment_type", "mp4", "-seg_duration", "1", "-use_timeline", "0", "-use_template", "1",
            "-init_seg_name", "init-$RepresentationID$.m4s",
            "-media_seg_name", "chunk-$RepresentationID$-$Number%05d$.m4s", f"{outdir}/manifest.mpd"]
    else:
        cmd = base + flags + ["-f", FFMPEG_FORMATS[ftype], f"{outdir}/out.{ftype}"]
    code, out, err = run(cmd)
    if code != 0:
        return [], f"ffmpeg {'timed out' if code is None else f'exit {code}'}: {err.strip()[-300:]}"
    if mode in ("hls", "cmaf"):
        return segment_units(outdir, r"init\.mp4", r"segment\d+\.m4s"), None
    if mode == "cmaf-tracks":
        # FFmpeg numbers the representations in input order: the video first.
        return segment_units(outdir, r"init-(?P<key>\d+)\.m4s", r"chunk-(?P<key>\d+)-\d+\.m4s",
                             label_of=lambda sub, key: "video_0" if key == "0" and video else "audio_0"), None
    return [("", f"{outdir}/out.{ftype}")], None


WRITE = {"ours": write_ours, "gst": write_gst, "ffmpeg": write_ffmpeg}


# --- validators -----------------------------------------------------------------------------------------------
# Each takes (path, case) and returns a list of complaint lines ([] = clean), or None when it does not apply.

def normalise(line, path):
    line = line.replace(path, "<file>").replace(os.path.dirname(path) + "/", "")
    line = re.sub(r"\[[0-9a-f]{8,16}\]", "", line)          # VLC object addresses
    line = re.sub(r"0x[0-9a-f]{6,}", "0x…", line)           # pointers
    line = re.sub(r"\s+", " ", line).strip()
    return line


def dedupe(lines, path):
    """Normalised lines, those differing only in numbers (one per table entry, say) collapsed into the first
    with a count."""
    order, first, count = [], {}, {}
    for line in lines:
        n = normalise(line, path)
        if not n:
            continue
        key = re.sub(r"\d+", "#", n)
        if key not in first:
            order.append(key)
            first[key] = n
        count[key] = count.get(key, 0) + 1
    return [first[k] + (f" (×{count[k]})" if count[k] > 1 else "") for k in order]


def timeout_complaint(code, tool):
    return [f"{tool} did not finish within {VALIDATOR_TIMEOUT} s"] if code is None else []


def find_tool(env_rel, names):
    base = os.environ.get("AW_VALIDATORS_DIR", "/work/validators")
    for rel in env_rel:
        p = os.path.join(base, rel)
        if os.path.isfile(p) and os.access(p, os.X_OK):
            return p
    for n in names:
        p = shutil.which(n)
        if p:
            return p
    return None


def v_ffmpeg(tool):
    def check(path, case):
        code, out, err = run([tool, "-nostdin", "-v", "warning", "-i", path, "-f", "null", "-"],
                             timeout=VALIDATOR_TIMEOUT)
        lines = err.splitlines() + ([f"exit {code}"] if code else [])
        return timeout_complaint(code, "ffmpeg") + dedupe(lines, path)
    return check


def v_cw(tool, spec):
    def check(path, case):
        if spec == "av1isobmff" and (case[2] != "av1" or os.path.basename(path).startswith("joined-audio")):
            return None
        code, out, err = run([tool, "-s", spec, path], timeout=VALIDATOR_TIMEOUT)
        # "[spec][Rule #n] Error: ..." / "Warning: ..." per finding, some continued on the next line, up to the
        # "=====" summary; parse failures ("Error: BitReader::...") on a line of their own.
        lines, rule = [], None
        for line in out.split("\n=====")[0].splitlines():
            if re.match(r"\[\w+\]\[Rule #\d+\] (Error|Warning)", line):
                rule = len(lines)
                lines.append(line)
            elif rule is not None and line.strip() and not line.startswith(("[", "+", "|")):
                lines[rule] += " " + line.strip()
            else:
                rule = None
        lines += [l for l in (out + err).splitlines() if re.match(r"(Error|ERROR|Fatal)\b", l)]
        if code not in (0, None) and not lines:
            lines = [f"exit {code}: " + (out + err).strip()[-200:]]
        return timeout_complaint(code, "ComplianceWarden") + dedupe(lines, path)
    return check


def v_isosv(tool):
    def check(path, case):
        mode, _, video, _ = case
        # A DASH/CMAF segment validator: it hangs on plain movies and on fragmented movies that are not split
        # into segments (on every muxer's output), so it runs on segment streams only.
        if mode not in SEGMENT_MODES:
            return None
        args = [tool, "-infofile", "in.info"]
        if mode in ("cmaf", "cmaf-tracks"):
            args.append("-cmaf")
        if video and "audio" not in os.path.basename(path):
            args += ["-width", str(WIDTH), "-height", str(HEIGHT)]
        with tempfile.TemporaryDirectory() as cwd:
            shutil.copy(path, os.path.join(cwd, "in.mp4"))
            shutil.copy(path + ".info", os.path.join(cwd, "in.info"))
            code, out, err = run(args + ["in.mp4"], timeout=VALIDATOR_TIMEOUT, cwd=cwd)
        lines = []
        # One complaint is "### error: <box path>\r###\t\t<source file : line> : ### error: <box path>\r###\t\t
        # <text>": the box path only says where; the text is the complaint.
        text = err + "\n".join(l for l in out.splitlines() if re.search(r"\b(error|warning)\b", l, re.I))
        for line in re.split(r"[\r\n]+", text):
            line = re.sub(r"^[#\s]*", "", re.sub(r"^[#\s]*\.\./src/\S+ : \d+ : ", "", line.strip())).strip()
            if not line or line.startswith(("<main>", "BAILIFERR")) or re.fullmatch(r"error: \S*", line):
                continue
            lines.append(line)
        if code is not None and code < 0:
            lines.append(f"killed by signal {-code}")
        return timeout_complaint(code, "ISOSegmentValidator") + dedupe(lines, path)
    return check


def v_bento(tool, name):
    def check(path, case):
        code, out, err = run([tool, path] if name == "mp4dump" else [tool, "--verbose", path],
                             timeout=VALIDATOR_TIMEOUT)
        lines = err.splitlines() + [l for l in out.splitlines() if re.search(r"ERROR|WARNING|invalid", l)]
        if code:
            lines.append(f"exit {code}")
        return timeout_complaint(code, name) + dedupe(lines, path)
    return check


def v_mkvmerge(tool):
    def check(path, case):
        code, out, err = run([tool, "-J", path], timeout=VALIDATOR_TIMEOUT)
        try:
            report = json.loads(out)
        except ValueError:
            return timeout_complaint(code, "mkvmerge") + dedupe([f"no JSON (exit {code})", err], path)
        lines = [f"error: {e}" for e in report.get("errors", [])] + [f"warning: {w}" for w in report.get("warnings", [])]
        container = report.get("container", {})
        if not container.get("recognized") or not container.get("supported"):
            lines.append(f"container recognized={container.get('recognized')} supported={container.get('supported')}")
        want = 1 if case[0] == "cmaf-tracks" else sum(1 for c in case[2:4] if c)
        if len(report.get("tracks", [])) != want:
            lines.append(f"{len(report.get('tracks', []))} tracks found, {want} written")
        return dedupe(lines, path)
    return check


# VLC's MP4 demuxer logs these at warning level for every well-formed file (table sizes while it reads them; an
# edit list it honours; a fragmented movie's empty sample tables): progress, not complaints.
VLC_INFO = r"mp4 demux warning: (STTS|CTTS) table of \d+ entries|mp4 demux warning: elst box found|" \
           r"mp4 demux warning: no chunk defined"


def v_vlc(tool):
    def check(path, case):
        # VLC refuses to run as root: then it reads a world-readable copy as nobody. Stream output to the dummy
        # muxer runs the demuxer and packetizers as fast as they go, without a clock or an audio device.
        with tempfile.TemporaryDirectory() as tmp:
            cmd = [tool, "-I", "dummy", "-vv", "--no-color", "--play-and-exit",
                   "--sout", "#std{access=file,mux=dummy,dst=/dev/null}", "--sout-all"]
            target = path
            if os.geteuid() == 0:
                os.chmod(tmp, 0o755)
                target = os.path.join(tmp, os.path.basename(path))
                shutil.copy(path, target)
                os.chmod(target, 0o644)
                cmd = ["setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups"] + cmd
            code, out, err = run(cmd + [target, "vlc://quit"], timeout=VALIDATOR_TIMEOUT,
                                 env=dict(os.environ, HOME=tmp))
        text = (out + err).replace(target, path)
        lines = [re.sub(r"^\[[0-9a-f]+\] ", "", l) for l in text.splitlines()
                 if re.search(r"\b(mp4 demux|es_out|demux|packetizer|main input|main decoder) (warning|error):", l)
                 and not re.search(VLC_INFO, l)]
        return timeout_complaint(code, "cvlc") + dedupe(lines, path)
    return check


def v_atomicparsley(tool):
    def check(path, case):
        # iTunes metadata lives in plain movies: AtomicParsley refuses QuickTime files outright and fragmented
        # brands (iso5, iso6, cmf2, ...) by a whitelist, on every muxer's output.
        if case[1] == "mov" or case[0] in SEGMENT_MODES:
            return None
        code, out, err = run([tool, path, "-t"], timeout=VALIDATOR_TIMEOUT)
        lines = [l for l in (out + err).splitlines() if re.search(r"error|warning|AP error|not a|bad|corrupt", l, re.I)]
        if code:
            lines.append(f"exit {code}")
        return timeout_complaint(code, "AtomicParsley") + dedupe(lines, path)
    return check


def v_mediainfo(tool):
    def check(path, case):
        code, out, err = run([tool, "--Output=JSON", path], timeout=VALIDATOR_TIMEOUT)
        try:
            tracks = json.loads(out)["media"]["track"]
        except (ValueError, KeyError, TypeError):
            return dedupe([f"no JSON (exit {code})", err], path)
        lines = []
        for t in tracks:
            extra = t.get("extra", {}) or {}
            for key, value in extra.items():
                if re.search(r"Conformance|Truncated|Error|Warning", key):
                    text = json.dumps(value, sort_keys=True) if not isinstance(value, str) else value
                    lines.append(f"{t.get('@type')}: {key}: {text}")
            if t.get("@type") == "General" and t.get("IsTruncated"):
                lines.append("General: IsTruncated")
        return dedupe(lines, path)
    return check


def validators():
    """[(name, check or None)] in column order; None marks a validator missing on this machine."""
    cw = find_tool(["cw/bin/cw.exe", "ComplianceWarden/bin/cw.exe"], ["cw.exe", "compliance_warden.exe"])
    isosv = find_tool(["dashif/to_be_ported/ISOSegmentValidator/public/linux/bin/ValidateMP4.exe",
                       "ISOSegmentValidator/public/linux/bin/ValidateMP4.exe"], ["ValidateMP4.exe", "ValidateMP4"])
    mp4info = find_tool(["bento4/cmakebuild/mp4info", "bento4/build/mp4info"], ["mp4info"])
    mp4dump = find_tool(["bento4/cmakebuild/mp4dump", "bento4/build/mp4dump"], ["mp4dump"])
    table = [
        ("ffmpeg", shutil.which("ffmpeg"), v_ffmpeg),
        ("cw isobmff", cw, lambda t: v_cw(t, "isobmff")),
        ("cw av1isobmff", cw, lambda t: v_cw(t, "av1isobmff")),
        ("ISOSegmentValidator", isosv, v_isosv),
        ("mp4info", mp4info, lambda t: v_bento(t, "mp4info")),
        ("mp4dump", mp4dump, lambda t: v_bento(t, "mp4dump")),
        ("mkvmerge", shutil.which("mkvmerge"), v_mkvmerge),
        ("cvlc", shutil.which("cvlc"), v_vlc),
        ("AtomicParsley", shutil.which("AtomicParsley"), v_atomicparsley),
        ("mediainfo", shutil.which("mediainfo"), v_mediainfo),
    ]
    return [(name, make(tool) if tool else None) for name, tool, make in table]


# --- the matrix -----------------------------------------------------------------------------------------------

def case_name(case):
    mode, ftype, video, audio = case
    return f"{mode} {ftype} {'+'.join(c for c in (video, audio) if c)}"


def evaluate(case, writer, sources, workdir, checks):
    """{validator: list of complaints, or None (not applicable), or 'n/a' text} for one writer of one case."""
    outdir = os.path.join(workdir, case_name(case).replace(" ", "_").replace("+", "-"), writer)
    made = WRITE[writer](case, sources, outdir)
    if made is None:
        return None
    units, error = made
    if error:
        return {"error": error}
    result = {}
    for name, check in checks:
        if check is None:
            continue
        complaints, applies = [], False
        for label, path in units:
            got = check(path, case)
            if got is None:
                continue
            applies = True
            complaints += [(label, c) for c in got]
        result[name] = complaints if applies else None
    return result


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="only the rows marked for a quick run")
    parser.add_argument("--output", help="also write the Markdown report to this file")
    parser.add_argument("--doc", help="replace the generated part of this Markdown file (docs/conformance.md: "
                        "everything after its DOC_MARKER line) with the report")
    parser.add_argument("--keep", help="write the media into this directory and keep it")
    parser.add_argument("--only", help="only cases whose name contains this text")
    parser.add_argument("--jobs", type=int, default=2)
    args = parser.parse_args()

    os.environ.setdefault("GST_PLUGIN_PATH", os.path.join(ROOT, "build", "gst"))
    if not have_element("assetwritersink"):
        print("assetwritersink not found: set GST_PLUGIN_PATH to the build's gst directory", file=sys.stderr)
        return 2
    cases = [c[:4] for c in CASES if (c[4] or not args.quick) and (not args.only or args.only in case_name(c[:4]))]
    workdir = args.keep or tempfile.mkdtemp(prefix="aw-conformance-")
    os.makedirs(workdir, exist_ok=True)
    try:
        srcdir = os.path.join(workdir, "src")
        os.makedirs(srcdir, exist_ok=True)
        sources = make_sources(srcdir, {c for case in cases for c in case[2:4] if c})
        skipped = [case_name(c) for c in cases if any(x and not sources.get(x) for x in c[2:4])]
        cases = [c for c in cases if case_name(c) not in skipped]
        checks = validators()
        missing = [name for name, check in checks if check is None]
        results = {}
        # The writers of one case run in order: the FFmpeg peer of a recovered case remuxes our killed file.
        def one_case(case):
            return {w: evaluate(case, w, sources, workdir, checks) for w in WRITERS}

        with concurrent.futures.ThreadPoolExecutor(max_workers=args.jobs) as pool:
            futures = {case: pool.submit(one_case, case) for case in cases}
            for case, fut in futures.items():
                for w, r in fut.result().items():
                    results[(case, w)] = r
                print(f"done: {case_name(case)}", file=sys.stderr)
        report, ours_only = render(cases, results, [n for n, c in checks if c], missing, skipped)
    finally:
        if not args.keep:
            shutil.rmtree(workdir, ignore_errors=True)
    print(report)
    if args.output:
        with open(args.output, "w") as f:
            f.write(report)
    if args.doc:
        update_doc(args.doc, report)
    return 1 if ours_only else 0


DOC_MARKER = "<!-- generated by tools/conformance-matrix.py --doc: everything below this line -->"


def update_doc(path, report):
    with open(path) as f:
        text = f.read()
    if DOC_MARKER not in text:
        raise SystemExit(f"{path} has no line {DOC_MARKER}")
    commit = run(["git", "-C", ROOT, "log", "-1", "--format=%h %s"], timeout=20)[1].strip()
    with open(path, "w") as f:
        f.write(text[:text.index(DOC_MARKER) + len(DOC_MARKER)] + f"\n\nAt `{commit[:100]}`.\n\n" + report)


def render(cases, results, present, missing, skipped):
    notes = []  # complaint texts, numbered in order of first appearance

    def note(validator, text):
        key = f"{validator}: {text}"
        if key not in notes:
            notes.append(key)
        return notes.index(key) + 1

    seen_on = {}  # note number → [(case, writer)]
    ours_only = []
    lines = ["| case | " + " | ".join(present) + " |", "|---|" + "---|" * len(present)]
    counts = {w: {v: [0, 0] for v in present} for w in WRITERS}
    worse = {v: [] for v in present}  # cases where our output draws a complaint and FFmpeg's is clean
    for case in cases:
        cells = []
        for v in present:
            parts = []
            for w in WRITERS:
                r = results[(case, w)]
                if r is None:
                    parts.append("–")
                elif "error" in r:
                    parts.append("✗write")
                elif r.get(v) is None:
                    parts.append("·")
                elif not r[v]:
                    parts.append("✓")
                    counts[w][v][0] += 1
                else:
                    nums = sorted({note(v, c) for _, c in r[v]})
                    for n in nums:
                        seen_on.setdefault(n, []).append((case_name(case), w))
                    parts.append(",".join(f"[{n}]" for n in nums))
                    counts[w][v][1] += 1
            cells.append(" / ".join(parts))
            ours = results[(case, "ours")]
            ffmpeg = results[(case, "ffmpeg")]
            if ours and "error" not in ours and ours.get(v) and ffmpeg and "error" not in ffmpeg \
                    and ffmpeg.get(v) == []:
                worse[v].append(case_name(case))
            if ours and "error" not in ours and ours.get(v):
                peers = [results[(case, w)] for w in WRITERS[1:]]
                peer_texts = {re.sub(r"\d+", "#", c) for p in peers if p and "error" not in p and p.get(v)
                              for _, c in p[v]}
                for label, c in ours[v]:
                    if re.sub(r"\d+", "#", c) not in peer_texts:
                        ours_only.append((case_name(case), v, f"{label}: {c}" if label else c,
                                          explanation(v, case[0], c)))
        lines.append(f"| {case_name(case)} | " + " | ".join(cells) + " |")

    out = ["Each cell: ours / GStreamer's muxer (mp4mux, qtmux, 3gppmux) / `ffmpeg -c copy`, on the same encoded "
           "bytes. ✓ clean, [n] complaint n below, · validator does not apply, – no such peer, ✗write the writer "
           "failed.", ""]
    out += lines
    out += ["", "Complaints (normalised; the cases and writers each was seen on):", ""]
    for i, text in enumerate(notes, 1):
        where = "; ".join(f"{c} ({w})" for c, w in seen_on.get(i, []))
        out.append(f"{i}. `{text[:400]}` — {where}")
    out += ["", "Clean / complaint counts per validator (cases), and the cases where ours draws a complaint and "
            "FFmpeg's output is clean:", "", "| validator | " + " | ".join(WRITERS) + " | ours ✗, FFmpeg ✓ |",
            "|---|---|---|---|---|"]
    for v in present:
        out.append(f"| {v} | " + " | ".join(f"{counts[w][v][0]} / {counts[w][v][1]}" for w in WRITERS) +
                   f" | {', '.join(worse[v]) or '–'} |")
    errors = [(case_name(c), w, r["error"]) for (c, w), r in results.items() if r and "error" in r]
    if errors:
        out += ["", "Writers that failed:", ""] + [f"- {c} ({w}): `{' '.join(e.split())}`" for c, w, e in errors]
    unexplained = [o for o in ours_only if not o[3]]
    out += ["", f"Complaints on our output seen on no peer of the same case: {len(ours_only)}, "
            f"{len(unexplained)} of them not explained in docs/conformance.md", ""]
    out += [f"- {c} / {v}: `{t[:300]}` — {why or 'NOT EXPLAINED'}" for c, v, t, why in ours_only]
    out += ["", "Validators missing on this machine: " + (", ".join(missing) or "none")]
    if skipped:
        out.append("Cases skipped (no encoder): " + ", ".join(skipped))
    return "\n".join(out) + "\n", unexplained


if __name__ == "__main__":
    sys.exit(main())
