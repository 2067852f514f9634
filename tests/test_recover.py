#!/usr/bin/env python3
"""aw-recover on real killed recordings: live H.264 + AAC pipelines into assetwritersink, SIGKILLed at 20
seeded-random instants, and 6 more with B-frames. Each killed file must already play (ffprobe, a clean ffmpeg
decode, qtdemux); aw-recover must turn it into a plain movie with the complete fragments' frames and duration that
ffprobe, ffmpeg and qtdemux read, less the last frames it reports left out (presented after B-frames the kill lost),
its video edit spanning exactly the frames its sample table holds. Usage: test_recover.py path/to/aw-recover
"""
import os
import random
import re
import shlex
import signal
import struct
import subprocess
import sys
import time

import e2e_util as e

SEED = 5
KILLS = 20
B_FRAME_KILLS = 6
PARALLEL = 5
FIRST, LAST = 1.5, 6.0
# x264's lookahead holds back its first frames for over a second: later kills, so most leave fragments.
B_FRAME_FIRST, B_FRAME_LAST = 3.0, 7.0

PIPELINE = ("videotestsrc is-live=true ! video/x-raw,format=I420,width=320,height=240,framerate=30/1 ! "
            "x264enc {encoder} ! h264parse ! "
            "assetwritersink name=s location={path} {props} "
            "audiotestsrc is-live=true ! audio/x-raw,rate=44100,channels=2 ! avenc_aac ! aacparse ! s.")
NO_B_FRAMES = "tune=zerolatency key-int-max=30"
# Keyframes every 3 s and crash-safe fragments cut every second: most cuts fall mid-GOP, a third of them between a
# P-frame and the two B-frames presented before it.
B_FRAMES = "bframes=2 key-int-max=90"
DROPPED = re.compile(r"track (\d+): left out its last (\d+) sample")


def complete_fragments(path):
    """Per track id: [samples, duration ticks] over the complete fragments, and {track id: (timescale, handler)}.

    A complete fragment is a box typed moof followed by a whole mdat, as aw-recover defines it."""
    with open(path, "rb") as f:
        data = f.read()
    top = e.boxes_in(data, 0, len(data))
    tracks = {}
    totals = {}
    for i, (kind, off, size, header) in enumerate(top):
        if kind == "moov" and not tracks:
            for t_kind, t_off, t_size, t_h in e.boxes_in(data, off + header, off + size):
                if t_kind != "trak":
                    continue
                track_id = timescale = handler = None
                for c_kind, c_off, c_size, c_h in e.boxes_in(data, t_off + t_h, t_off + t_size):
                    if c_kind == "tkhd":
                        version = data[c_off + c_h]
                        track_id = struct.unpack(">I", data[c_off + c_h + (20 if version else 12):][:4])[0]
                    if c_kind == "mdia":
                        for m_kind, m_off, m_size, m_h in e.boxes_in(data, c_off + c_h, c_off + c_size):
                            if m_kind == "mdhd":
                                version = data[m_off + m_h]
                                timescale = struct.unpack(">I", data[m_off + m_h + (20 if version else 12):][:4])[0]
                            if m_kind == "hdlr":
                                handler = data[m_off + m_h + 8:m_off + m_h + 12].decode("latin-1")
                tracks[track_id] = (timescale, handler)
        if kind != "moof" or i + 1 >= len(top) or top[i + 1][0] != "mdat":
            continue
        for t_kind, t_off, t_size, t_h in e.boxes_in(data, off + header, off + size):
            if t_kind != "traf":
                continue
            default_duration = 0
            track_id = None
            for c_kind, c_off, c_size, c_h in e.boxes_in(data, t_off + t_h, t_off + t_size):
                p = c_off + c_h
                flags = struct.unpack(">I", data[p:p + 4])[0] & 0xffffff
                if c_kind == "tfhd":
                    track_id = struct.unpack(">I", data[p + 4:p + 8])[0]
                    q = p + 8 + (8 if flags & 1 else 0) + (4 if flags & 2 else 0)
                    if flags & 8:
                        default_duration = struct.unpack(">I", data[q:q + 4])[0]
                if c_kind == "trun":
                    count = struct.unpack(">I", data[p + 4:p + 8])[0]
                    q = p + 8 + (4 if flags & 1 else 0) + (4 if flags & 4 else 0)
                    per = 4 * sum(1 for bit in (0x100, 0x200, 0x400, 0x800) if flags & bit)
                    duration = 0
                    for n in range(count):
                        duration += struct.unpack(">I", data[q + n * per:q + n * per + 4])[0] if flags & 0x100 \
                            else default_duration
                    entry = totals.setdefault(track_id, [0, 0])
                    entry[0] += count
                    entry[1] += duration
    return totals, tracks


def record_and_kill(tap, jobs):
    """Starts every (path, props, instant) recording at once and SIGKILLs each at its instant."""
    procs = []
    start = time.monotonic()
    for path, props, encoder, instant in jobs:
        cmd = ["gst-launch-1.0"] + shlex.split(PIPELINE.format(path=shlex.quote(path), props=props, encoder=encoder))
        procs.append((subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                       start_new_session=True), instant))
    for proc, instant in sorted(procs, key=lambda p: p[1]):
        delay = start + instant - time.monotonic()
        if delay > 0:
            time.sleep(delay)
        if proc.poll() is not None:
            tap.diag(f"a recording ended by itself before its kill at {instant:.2f} s (exit {proc.returncode})")
        else:
            os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()


def edit_and_samples(path, track):
    """The `track`-th trak's media edit (the last elst entry, seconds; None without an elst), its stts sample
    count and the sum of its stts durations in seconds."""
    mvhd = e.box_payload(path, "moov/mvhd")
    movie_timescale = struct.unpack(">I", mvhd[20:24] if mvhd[0] else mvhd[12:16])[0]
    mdhd = e.box_payload(path, "moov/trak/mdia/mdhd", track)
    timescale = struct.unpack(">I", mdhd[20:24] if mdhd[0] else mdhd[12:16])[0]
    stts = e.box_payload(path, "moov/trak/mdia/minf/stbl/stts", track)
    entries = [struct.unpack(">II", stts[8 + 8 * n:16 + 8 * n]) for n in range(struct.unpack(">I", stts[4:8])[0])]
    samples = sum(count for count, _ in entries)
    seconds = sum(count * delta for count, delta in entries) / timescale
    elst = e.box_payload(path, "moov/trak/edts/elst", track)
    if elst is None:
        return None, samples, seconds
    count = struct.unpack(">I", elst[4:8])[0]
    size = 20 if elst[0] else 12
    last = elst[8 + size * (count - 1):]
    edit = struct.unpack(">Q", last[:8])[0] if elst[0] else struct.unpack(">I", last[:4])[0]
    return edit / movie_timescale, samples, seconds


def check_killed(tap, aw_recover, label, path, stats):
    totals, tracks = complete_fragments(path) if os.path.exists(path) else ({}, {})
    video_id = next((i for i, (_, h) in tracks.items() if h == "vide"), None)
    audio_id = next((i for i, (_, h) in tracks.items() if h == "soun"), None)
    out = path.replace(".mp4", "-recovered.mp4")
    if not totals:
        # Killed before the first fragment was complete: nothing to recover, and aw-recover must say so.
        result = e.run([aw_recover, path, out], timeout=30)
        text = result.stderr.decode(errors="replace")
        tap.ok(result.returncode == 1 and os.path.basename(path) in text and not os.path.exists(out),
               f"{label}: killed before its first fragment, aw-recover exits 1 naming the file and writes nothing",
               result.describe())
        stats["empty"] += 1
        return
    stats["killed"] += 1
    probe = e.ffprobe(path, count_frames=False)
    killed_ok = tap.ok(probe is not None, f"{label}: ffprobe reads the killed file")
    decode = e.ffmpeg_decode(path)
    text = (decode.stdout + decode.stderr).decode(errors="replace").strip()
    killed_ok &= tap.ok(decode.ok and not text, f"{label}: ffmpeg -v error decodes the killed file printing nothing",
                        decode.describe() if not decode.ok else text[:300])
    # qtdemux plays the killed file as it is, up to its last complete fragment.
    pads = [pad for pad, track_id in (("video_0", video_id), ("audio_0", audio_id)) if track_id in totals]
    demuxed, q = e.qtdemux_readback(path, pads)
    killed_ok &= tap.ok(q.ok, f"{label}: qtdemux reads the killed file to EOS", q.describe())
    if video_id in totals:
        killed_ok &= tap.equal(demuxed["video_0"][0], totals[video_id][0],
                               f"{label}: qtdemux delivers the complete fragments' video frames from the killed file")
    stats["killed_playable"] += bool(killed_ok)

    result = e.run([aw_recover, path, out], timeout=60)
    if not tap.ok(result.ok, f"{label}: aw-recover succeeds", result.describe()):
        return
    dropped = {track_id: count for track_id, count in
               ((int(m.group(1)), int(m.group(2))) for m in DROPPED.finditer(result.stdout.decode(errors="replace")))}
    good = tap.ok(set(dropped) <= {video_id} and dropped.get(video_id, 0) <= 2,
                  f"{label}: aw-recover leaves out at most a P-frame and a B-frame, of the video only", dropped)
    stats["dropped"] += bool(dropped)
    boxes = [b[0] for b in e.top_level_boxes(out)]
    good &= tap.ok(boxes[-1:] == ["moov"] and boxes.count("moov") == 1 and "moof" not in boxes,
                   f"{label}: recovered file is a plain movie (one moov at the end, no moof)", boxes)
    probe = e.ffprobe(out)
    if not tap.ok(probe is not None, f"{label}: ffprobe reads the recovered file"):
        return
    expected = {}
    for name, track_id, kind in (("video_0", video_id, "video"), ("audio_0", audio_id, "audio")):
        samples, ticks = totals.get(track_id, (0, 0))
        timescale = tracks[track_id][0]
        # The frames left out last 1/30 s each.
        samples -= dropped.get(track_id, 0)
        ticks -= dropped.get(track_id, 0) * timescale // 30
        streams = e.streams_of(probe, kind)
        if not tap.equal(len(streams), 1, f"{label}: one {kind} stream"):
            good = False
            continue
        s = streams[0]
        left_out = f" less the {dropped[track_id]} left out" if track_id in dropped else ""
        good &= tap.equal(int(s.get("nb_read_frames", -1)), samples,
                          f"{label}: {kind} has the {samples} frames of the complete fragments{left_out}")
        frame = (1 / 30) if kind == "video" else (1024 / 44100)
        good &= tap.near(e.as_float(s.get("duration")), ticks / timescale, frame,
                         f"{label}: {kind} lasts the complete fragments' {ticks / timescale:.3f} s within a frame")
        expected[name] = (samples, ticks / timescale, frame)
        if kind == "video":
            # Frame-exact: what ffprobe decodes is the sample table, and the edit shows all of it, nothing more.
            edit, table_samples, table_seconds = edit_and_samples(out, list(tracks).index(track_id))
            good &= tap.equal(int(s.get("nb_read_frames", -1)), table_samples,
                              f"{label}: ffprobe decodes every one of the {table_samples} samples of the stts")
            if edit is not None:
                good &= tap.near(edit, table_seconds, 0.0015,
                                 f"{label}: the video edit spans its samples' {table_seconds:.3f} s")
    decode = e.ffmpeg_decode(out)
    text = (decode.stdout + decode.stderr).decode(errors="replace").strip()
    good &= tap.ok(decode.ok and not text, f"{label}: ffmpeg -v error decodes the recovered file printing nothing",
                   decode.describe() if not decode.ok else text[:300])
    stats_q, q = e.qtdemux_readback(out, list(expected))
    good &= tap.ok(q.ok, f"{label}: qtdemux reads the recovered file to EOS", q.describe())
    for pad, (count, _, _) in expected.items():
        good &= tap.equal(stats_q[pad][0], count, f"{label}: qtdemux delivers {count} buffers on {pad}")
    stats["recovered_playable"] += bool(good)


def main():
    if len(sys.argv) != 2:
        print("usage: test_recover.py path/to/aw-recover", file=sys.stderr)
        sys.exit(2)
    aw_recover = os.path.abspath(sys.argv[1])
    tap = e.Tap()
    rng = random.Random(SEED)
    instants = [round(rng.uniform(FIRST, LAST), 2) for _ in range(KILLS)]
    # Half in the default crash-safe plain mode, half fragmented; 1 s fragments so most kills leave several.
    modes = ["crash-recovery-interval=1000000000", "fragment-interval=1000000000"]
    jobs = []
    for n, instant in enumerate(instants):
        jobs.append((tap.path(f"kill{n:02d}.mp4"), modes[n % 2], NO_B_FRAMES, instant))
    # With B-frames, crash-safe plain mode: its fragments are cut every interval, keyframe or not.
    for n, instant in enumerate(round(rng.uniform(B_FRAME_FIRST, B_FRAME_LAST), 2) for _ in range(B_FRAME_KILLS)):
        jobs.append((tap.path(f"bframes{n:02d}.mp4"), modes[0], B_FRAMES, instant))
    # The registry is built once, before the clock of the first kill starts.
    e.run(["gst-inspect-1.0", "assetwritersink"], timeout=120)
    for first in range(0, len(jobs), PARALLEL):
        record_and_kill(tap, jobs[first:first + PARALLEL])
    stats = {"empty": 0, "killed": 0, "killed_playable": 0, "recovered_playable": 0, "dropped": 0}
    for n, (path, props, encoder, instant) in enumerate(jobs):
        label = (f"kill {n:02d} at {instant:.2f} s ({props.split('=')[0].replace('-interval', '')}"
                 f"{', B-frames' if encoder == B_FRAMES else ''})")
        tap.check(label, lambda: check_killed(tap, aw_recover, label, path, stats))

    # Usage errors and a finished movie are refused with their own exit codes.
    usage = e.run([aw_recover], timeout=10)
    tap.equal(usage.returncode, 2, "aw-recover without arguments exits 2 (usage)")
    finished = tap.path("finished.mp4")
    written = e.our_mux([e.H264, e.AAC], finished)
    if e.check_written(tap, "finished recording", written):
        result = e.run([aw_recover, finished, tap.path("finished-out.mp4")], timeout=30)
        tap.ok(result.returncode == 3 and b"already a finished movie" in result.stderr,
               "aw-recover refuses a finished movie with exit 3", result.describe())

    tap.diag(f"killed files playable: {stats['killed_playable']} of {stats['killed']}")
    tap.diag(f"recovered files playable: {stats['recovered_playable']} of {stats['killed']}"
             f" ({stats['empty']} more killed before their first fragment: nothing to recover)")
    tap.diag(f"recoveries that left out frames presented after lost B-frames: {stats['dropped']}")
    tap.finish()


if __name__ == "__main__":
    main()
