#!/usr/bin/env python3
"""Text tracks, chapters: subtitles from subparse (SRT, pango-markup) become tx3g tracks that ffmpeg, qtdemux
and mediainfo read with the right texts and times; chapters from a Matroska TOC become a chapter track (and
a Nero chpl in mp4) that ffprobe and mediainfo list; m4a refuses text naming the pad."""
import json
import re

import e2e_util as e

SRT = """1
00:00:00,200 --> 00:00:00,700
Hello <b>world</b>

2
00:00:01,000 --> 00:00:01,400
Caf\u00e9 & more

3
00:00:01,500 --> 00:00:01,800
Last line
"""
CUES = [(0.2, 0.7, "Hello world"), (1.0, 1.4, "Café & more"), (1.5, 1.8, "Last line")]

CHAPTERS = [(0.0, 1.5, "Intro"), (1.5, 4.0, "Main part")]


def srt_time(text):
    h, m, rest = text.split(":")
    s, ms = rest.split(",")
    return int(h) * 3600 + int(m) * 60 + int(s) + int(ms) / 1000


def read_srt(path):
    """(start, end, text) of each cue, with the font tags ffmpeg's mov_text decoder adds taken out."""
    with open(path, encoding="utf-8") as f:
        blocks = [b for b in f.read().strip().split("\n\n") if b.strip()]
    cues = []
    for block in blocks:
        lines = block.splitlines()
        start, end = lines[1].split(" --> ")
        text = re.sub(r"<[^>]+>", "", " ".join(lines[2:]))
        cues.append((srt_time(start), srt_time(end), text))
    return cues


def subtitles(tap, ext):
    srt = tap.path("in.srt")
    with open(srt, "w", encoding="utf-8") as f:
        f.write(SRT)
    path = tap.path(f"subs.{ext}")
    text_chain = f"filesrc location={srt} ! subparse"
    e.check_written(tap, f"subtitles {ext}", e.our_mux([e.H264, text_chain], path))
    probe = e.ffprobe(path, count_frames=False) or {}
    subs = e.streams_of(probe, "subtitle")
    tap.equal(len(subs), 1, f"subtitles {ext}: ffprobe sees one subtitle stream")
    if subs:
        tap.equal(subs[0].get("codec_name"), "mov_text", f"subtitles {ext}: codec mov_text")
        tap.equal(subs[0].get("codec_tag_string"), "tx3g", f"subtitles {ext}: tx3g sample entry")
    out = tap.path(f"subs-{ext}.srt")
    result = e.run(["ffmpeg", "-v", "error", "-y", "-i", path, "-map", "0:s", out])
    tap.ok(result.ok, f"subtitles {ext}: ffmpeg converts the track to SRT", result.describe())
    if result.ok:
        cues = read_srt(out)
        tap.equal([c[2] for c in cues], [c[2] for c in CUES], f"subtitles {ext}: texts (markup stripped)")
        tap.equal([c[0] for c in cues], [c[0] for c in CUES], f"subtitles {ext}: start times")
        # ffmpeg stretches the last cue to the stream's end; the others end where they said.
        tap.equal([c[1] for c in cues[:-1]], [c[1] for c in CUES[:-1]], f"subtitles {ext}: end times")
    disc = e.run(["gst-discoverer-1.0", path])
    tap.ok(disc.ok and b"subtitles #" in disc.stdout, f"subtitles {ext}: qtdemux exposes a subtitle stream",
           disc.stdout.decode(errors="replace")[-400:])
    info = e.run(["mediainfo", path])
    tap.ok(info.ok and re.search(rb"^Text", info.stdout, re.M) is not None and b"tx3g" in info.stdout,
           f"subtitles {ext}: mediainfo shows a Text track (tx3g)")


def fragmented_subtitles(tap):
    """A fragmented movie carries the text in its fragments. ffmpeg 5.1 gives subtitle packets in fragments no
    duration (its own fragmented mov_text too), so only start times and texts are compared."""
    srt = tap.path("in.srt")
    path = tap.path("subs-fragmented.mp4")
    e.check_written(tap, "subtitles fragmented",
                    e.our_mux([e.H264, f"filesrc location={srt} ! subparse"], path, "fragment-interval=500000000"))
    out = tap.path("subs-fragmented.srt")
    result = e.run(["ffmpeg", "-v", "error", "-y", "-i", path, "-map", "0:s", out])
    tap.ok(result.ok, "subtitles fragmented: ffmpeg converts the track to SRT", result.describe())
    if result.ok:
        cues = read_srt(out)
        tap.equal([(c[0], c[2]) for c in cues], [(c[0], c[2]) for c in CUES], "subtitles fragmented: cues")
    with open(path, "rb") as f:
        tap.ok(b"moof" in f.read(), "subtitles fragmented: written as movie fragments")
    disc = e.run(["gst-discoverer-1.0", path])
    tap.ok(disc.ok and b"subtitles #" in disc.stdout, "subtitles fragmented: qtdemux exposes a subtitle stream")


def m4a_refuses_text(tap):
    srt = tap.path("in.srt")
    path = tap.path("text.m4a")
    result = e.our_mux([e.AAC, f"filesrc location={srt} ! subparse"], path)
    err = result.stderr.decode(errors="replace") + result.stdout.decode(errors="replace")
    tap.ok(not result.ok and "text_0" in err and "audio only" in err, "m4a: text caps refused naming the pad",
           result.describe())


def chapters(tap, ext):
    meta = tap.path("chapters.txt")
    with open(meta, "w") as f:
        f.write(";FFMETADATA1\n")
        for start, end, title in CHAPTERS:
            f.write(f"[CHAPTER]\nTIMEBASE=1/1000\nSTART={int(start * 1000)}\nEND={int(end * 1000)}\ntitle={title}\n")
    audio_only = ext == "m4a"  # an audiobook: chapters over audio alone
    mkv = tap.path(f"chapters-{ext}.mkv")
    source = (["-f", "lavfi", "-i", "sine=frequency=440:duration=4", "-f", "ffmetadata", "-i", meta, "-map", "0:a",
               "-c:a", "aac"] if audio_only else
              ["-f", "lavfi", "-i", "testsrc=size=320x240:rate=30:duration=4", "-f", "ffmetadata", "-i", meta,
               "-map", "0:v", "-c:v", "libx264", "-bf", "0", "-pix_fmt", "yuv420p"])
    made = e.run(["ffmpeg", "-v", "error", "-y"] + source + ["-map_chapters", "1", mkv])
    if not tap.ok(made.ok, f"chapters {ext}: Matroska source with chapters", made.describe()):
        return
    path = tap.path(f"chapters.{ext}")
    e.check_written(tap, f"chapters {ext}",
                    e.gst_launch(f"filesrc location={mkv} ! matroskademux ! "
                                 f"{'aacparse' if audio_only else 'h264parse'} ! assetwritersink location={path}"))
    probe = e.run(["ffprobe", "-v", "error", "-show_chapters", "-of", "json", path])
    listed = json.loads(probe.stdout or b"{}").get("chapters", []) if probe.ok else []
    got = [(round(float(c["start_time"]), 3), round(float(c["end_time"]), 3), c.get("tags", {}).get("title"))
           for c in listed]
    tap.equal([(start, title) for start, _, title in got], [(start, title) for start, _, title in CHAPTERS],
              f"chapters {ext}: ffprobe -show_chapters lists titles and start times")
    # Each chapter ends where the next starts; the last with the movie (AAC frames make audio end a bit later).
    tap.equal([end for _, end, _ in got[:-1]], [end for _, end, _ in CHAPTERS[:-1]], f"chapters {ext}: end times")
    if got:
        tap.near(got[-1][1], CHAPTERS[-1][1], 0.1, f"chapters {ext}: the last chapter ends with the movie")
    with open(path, "rb") as f:
        data = f.read()
    tap.equal(b"chpl" in data, ext != "mov", f"chapters {ext}: Nero chpl only outside QuickTime movies")
    tap.ok(b"chap" in data, f"chapters {ext}: the media track references the chapter track")
    info = e.run(["mediainfo", path])
    out = info.stdout.decode(errors="replace")
    tap.ok(info.ok and "Menu" in out and "Main part" in out, f"chapters {ext}: mediainfo shows the Menu")
    decoded = e.ffmpeg_decode(path)
    tap.ok(decoded.ok and not decoded.stderr.strip(), f"chapters {ext}: ffmpeg decodes the file cleanly",
           decoded.describe())


def main(tap):
    for ext in ("mp4", "mov", "m4v", "3gp"):
        subtitles(tap, ext)
    fragmented_subtitles(tap)
    m4a_refuses_text(tap)
    for ext in ("mp4", "mov", "m4v", "m4a"):
        chapters(tap, ext)


tap = e.Tap()
tap.check("text tracks", lambda: main(tap))
tap.finish()
