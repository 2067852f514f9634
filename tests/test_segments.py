#!/usr/bin/env python3
"""Segment mode (HLS / CMAF): ffprobe and ffmpeg read the playlist and every segment, mp4box.js parses each
segment, and headless Chromium plays the stream to the end through hls.js and through Media Source
Extensions directly; with one track per header, each track's playlist and single-track segments, and hls.js
playing the multivariant playlist with its separate audio rendition. Needs node/npm (tests/web is installed with `npm ci` here) and Debian's chromium."""
import glob
import json
import os
import re

import browser_util as browser
import e2e_util as e
import hls_strict

HERE = os.path.dirname(os.path.abspath(__file__))
WEB = os.path.join(HERE, "web")
SECONDS = 4
INTERVAL_NS = 1_000_000_000
KEYINT = e.FPS  # a keyframe every second: one segment per second
AUDIO_BUFFERS = SECONDS * e.AUDIO_RATE // e.AAC_FRAME
VIDEO = (f"videotestsrc num-buffers={SECONDS * e.FPS} ! "
         f"video/x-raw,format=I420,width={e.WIDTH},height={e.HEIGHT},framerate={e.FPS}/1 ! "
         f"x264enc key-int-max={KEYINT} bframes=0 ! h264parse")
AUDIO = (f"audiotestsrc num-buffers={AUDIO_BUFFERS} samplesperbuffer={e.AAC_FRAME} ! "
         f"audio/x-raw,rate={e.AUDIO_RATE},channels=2 ! avenc_aac ! aacparse")


def write_stream(tap, label, outdir, props, inputs=(VIDEO, AUDIO), track_dir=""):
    """Runs the pipeline with -m so element messages show; returns the gst-launch output. `track_dir` ("%s/")
    puts each track's files in a directory of its own (one track per header)."""
    os.makedirs(outdir, exist_ok=True)
    sink = (f"assetwritersink name=s segment-interval={INTERVAL_NS} sync-fragments=false "
            f"location={outdir}/{track_dir}segment%05d.m4s init-location={outdir}/{track_dir}init.mp4 "
            f"playlist-location={outdir}/{track_dir}index.m3u8 multivariant-playlist-location={outdir}/main.m3u8 "
            f"{props}")
    branches = " ".join(f"{chain} ! s." for chain in inputs)
    result = e.run(["gst-launch-1.0", "-e", "-m"] + e.shlex.split(f"{sink} {branches}"), timeout=60)
    e.check_written(tap, label, result)
    return result.stdout.decode(errors="replace")


def check_strict(tap, label, outdir):
    """Every playlist written under `outdir` passes the strict RFC 8216bis parser, and every URI and byte range
    in it exists on disk."""
    paths = sorted(glob.glob(os.path.join(outdir, "**", "*.m3u8"), recursive=True))
    problems = []
    for path in paths:
        try:
            hls_strict.check_path(path)
        except hls_strict.PlaylistError as error:
            problems += error.problems
    tap.ok(paths and not problems, f"{label}: the strict RFC 8216bis parser accepts its {len(paths)} playlists",
           "; ".join(p.replace(outdir + "/", "") for p in problems) or "no playlist written")


def media_playlist(outdir):
    with open(os.path.join(outdir, "index.m3u8")) as f:
        text = f.read()
    uris = [line for line in text.splitlines() if line and not line.startswith("#")]
    durations = [float(m) for m in re.findall(r"#EXTINF:([0-9.]+),", text)]
    return text, uris, durations


def check_files(tap, label, outdir, output, segments_expected):
    text, uris, durations = media_playlist(outdir)
    tap.diag(f"{label} playlist:\n{text}")
    tap.ok(text.startswith("#EXTM3U\n#EXT-X-VERSION:7\n") and "#EXT-X-ENDLIST" in text and
           '#EXT-X-MAP:URI="init.mp4"' in text and "#EXT-X-INDEPENDENT-SEGMENTS" in text,
           f"{label}: the media playlist has version 7, the init map, independent segments and ENDLIST")
    tap.equal(len(uris), segments_expected, f"{label}: {segments_expected} segments listed")
    tap.near(sum(durations), SECONDS, 0.05, f"{label}: EXTINF durations add up to {SECONDS} s")
    target = int(re.search(r"#EXT-X-TARGETDURATION:(\d+)", text).group(1))
    tap.ok(all(round(d) <= target for d in durations), f"{label}: no EXTINF exceeds the target duration {target}")
    leftovers = [n for n in os.listdir(outdir) if n.endswith(".tmp")]
    tap.equal(leftovers, [], f"{label}: no temporary file is left")
    messages = output.count("assetwritersink-segment, type=(string)separable")
    tap.equal(messages, segments_expected, f"{label}: one element message per segment")
    return uris


def check_ffmpeg(tap, label, outdir, uris, audio=True):
    probe = e.ffprobe(os.path.join(outdir, "main.m3u8"))
    if tap.ok(probe is not None, f"{label}: ffprobe reads the multivariant playlist"):
        videos = e.streams_of(probe, "video")
        tap.equal(len(videos), 1, f"{label}: ffprobe sees one video stream through the playlists")
        if videos:
            tap.equal(int(videos[0].get("nb_read_frames", -1)), SECONDS * e.FPS,
                      f"{label}: ffprobe decodes every video frame through the playlists")
        tap.equal(len(e.streams_of(probe, "audio")), 1 if audio else 0, f"{label}: audio stream through the playlists")
    init = open(os.path.join(outdir, "init.mp4"), "rb").read()
    unreadable = []
    for uri in uris:
        with open(os.path.join(outdir, uri), "rb") as f:
            if e.ffprobe(init + f.read(), count_frames=False) is None:
                unreadable.append(uri)
    tap.equal(unreadable, [], f"{label}: ffprobe reads every segment after the init segment")
    whole = init + b"".join(open(os.path.join(outdir, uri), "rb").read() for uri in uris)
    result = e.run(["ffmpeg", "-nostdin", "-v", "error", "-i", "-", "-f", "null", "-"], input=whole)
    printed = (result.stdout + result.stderr).decode(errors="replace").strip()
    tap.ok(result.ok and not printed, f"{label}: cat init.mp4 seg*.m4s | ffmpeg -v error decodes printing nothing",
           printed[:300] or result.describe())


def check_mp4box(tap, label, outdir, uris, audio=True, styp=False):
    result = e.run(["node", os.path.join(WEB, "check_segments.js"), os.path.join(outdir, "init.mp4")] +
                   [os.path.join(outdir, uri) for uri in uris], timeout=60)
    if not tap.ok(result.ok, f"{label}: mp4box.js runs", result.describe()):
        return
    report = json.loads(result.stdout)
    init = report["init"]
    tap.equal(init["errors"], [], f"{label}: mp4box.js parses the init segment without error")
    kinds = sorted(t["type"] for t in init["tracks"])
    tap.equal(kinds, ["audio", "video"] if audio else ["video"], f"{label}: mp4box.js sees the tracks")
    # One header for audio and video is not a CMAF header (exactly one track, 23000-19 7.3.2.1): no cmf* brand.
    tap.ok(not any(b.startswith("cmf") for b in init["brands"]),
           f"{label}: the muxed init segment claims no CMAF brand", init["brands"])
    errors = {s["file"]: s["errors"] for s in report["segments"] if s["errors"]}
    tap.equal(errors, {}, f"{label}: mp4box.js parses every segment without error")
    tap.ok(all(s["moofs"] == 1 for s in report["segments"]), f"{label}: every segment is one moof")
    tap.ok(all(s["styp"] == styp for s in report["segments"]),
           f"{label}: segments {'start with' if styp else 'have no'} styp")
    video_id = str(next(t["id"] for t in init["tracks"] if t["type"] == "video"))
    per_segment = [s["samples"].get(video_id, 0) for s in report["segments"]]
    tap.equal(per_segment, [KEYINT] * SECONDS, f"{label}: mp4box.js counts {KEYINT} video samples per segment")
    if audio:
        audio_id = str(next(t["id"] for t in init["tracks"] if t["type"] == "audio"))
        total = sum(s["samples"].get(audio_id, 0) for s in report["segments"])
        tap.ok(abs(total - AUDIO_BUFFERS) <= 2, f"{label}: mp4box.js counts every audio frame ({AUDIO_BUFFERS} +/- "
               f"the encoder's priming)", total)
    # Segments tile the timeline: each one's tfdt is where the previous one ended.
    tfdts = [s["tfdt"].get(video_id) for s in report["segments"]]
    tap.ok(all(b > a for a, b in zip(tfdts, tfdts[1:])), f"{label}: video tfdt increases segment by segment", tfdts)


def check_browser(tap, label, outdir, query, min_frames):
    return browser.check_playback(tap, label, outdir, query, min_frames, SECONDS)


def hls_case(tap):
    outdir = tap.path("hls")
    output = write_stream(tap, "apple-hls", outdir, "output-file-type-profile=apple-hls")
    uris = check_files(tap, "apple-hls", outdir, output, SECONDS)
    check_strict(tap, "apple-hls", outdir)
    with open(os.path.join(outdir, "main.m3u8")) as f:
        multivariant = f.read()
    tap.ok(re.search(r'CODECS="avc1\.64[0-9a-f]{4},mp4a\.40\.2"', multivariant) and
           f"RESOLUTION={e.WIDTH}x{e.HEIGHT}" in multivariant and "BANDWIDTH=" in multivariant,
           "apple-hls: the multivariant playlist names avc1.PPCCLL and mp4a.40.2, the resolution and bandwidth",
           multivariant)
    check_ffmpeg(tap, "apple-hls", outdir, uris)
    check_mp4box(tap, "apple-hls", outdir, uris)
    check_browser(tap, "apple-hls hls.js", outdir, "mode=hls&src=main.m3u8", SECONDS * e.FPS - 10)


def cmaf_case(tap):
    outdir = tap.path("cmaf")
    output = write_stream(tap, "cmaf", outdir, "output-file-type-profile=cmaf")
    uris = check_files(tap, "cmaf", outdir, output, SECONDS)
    check_strict(tap, "cmaf", outdir)
    check_ffmpeg(tap, "cmaf", outdir, uris)
    check_mp4box(tap, "cmaf", outdir, uris, styp=True)
    with open(os.path.join(outdir, "main.m3u8")) as f:
        codecs = re.search(r'CODECS="([^"]+)"', f.read())
    if tap.ok(codecs is not None, "cmaf: the multivariant playlist has CODECS for the MSE mime type"):
        check_browser(tap, "cmaf MSE", outdir, f"mode=mse&src=index.m3u8&codecs={codecs.group(1)}",
                      SECONDS * e.FPS - 10)


def check_track_mp4box(tap, label, trackdir, uris, kind):
    """mp4box.js on one track's init segment and segments: exactly one track in each."""
    result = e.run(["node", os.path.join(WEB, "check_segments.js"), os.path.join(trackdir, "init.mp4")] +
                   [os.path.join(trackdir, uri) for uri in uris], timeout=60)
    if not tap.ok(result.ok, f"{label}: mp4box.js runs", result.describe()):
        return
    report = json.loads(result.stdout)
    init = report["init"]
    tap.equal(init["errors"], [], f"{label}: mp4box.js parses the init segment without error")
    tap.equal([t["type"] for t in init["tracks"]], [kind], f"{label}: the init segment holds one {kind} track")
    tap.ok("cmfc" in init["brands"], f"{label}: the init segment carries the CMAF brand cmfc", init["brands"])
    errors = {s["file"]: s["errors"] for s in report["segments"] if s["errors"]}
    tap.equal(errors, {}, f"{label}: mp4box.js parses every segment without error")
    tap.ok(all(s["moofs"] == 1 and s["trafs"] == 1 and s["styp"] for s in report["segments"]),
           f"{label}: every segment is styp + one moof with exactly one traf",
           [(s["moofs"], s["trafs"], s["styp"]) for s in report["segments"]])
    track_id = str(init["tracks"][0]["id"]) if init["tracks"] else "?"
    counts = [s["samples"].get(track_id, 0) for s in report["segments"]]
    if kind == "video":
        tap.equal(counts, [KEYINT] * SECONDS, f"{label}: mp4box.js counts {KEYINT} video samples per segment")
    else:
        tap.ok(abs(sum(counts) - AUDIO_BUFFERS) <= 2, f"{label}: mp4box.js counts every audio frame", counts)


def track_per_header_case(tap):
    """CMAF tracks: one init segment, segment stream and media playlist per track, audio as an EXT-X-MEDIA
    rendition of the video variant; hls.js plays the multivariant playlist."""
    label = "tracks"
    outdir = tap.path("tracks")
    output = write_stream(tap, label, outdir, "output-file-type-profile=cmaf one-track-per-header=true",
                          track_dir="%s/")
    tap.equal(sorted(os.listdir(outdir)), ["audio_0", "main.m3u8", "video_0"],
              f"{label}: a directory per track (named after its pad) and the multivariant playlist")
    check_strict(tap, label, outdir)
    with open(os.path.join(outdir, "main.m3u8")) as f:
        multivariant = f.read()
    tap.diag(f"{label} multivariant playlist:\n{multivariant}")
    tap.ok('#EXT-X-MEDIA:TYPE=AUDIO,GROUP-ID="audio",NAME="audio_0",DEFAULT=YES,AUTOSELECT=YES,'
           'URI="audio_0/index.m3u8"' in multivariant,
           f"{label}: the audio track is an EXT-X-MEDIA rendition in group audio")
    tap.ok(re.search(r'#EXT-X-STREAM-INF:BANDWIDTH=\d+,AVERAGE-BANDWIDTH=\d+,CODECS="avc1\.64[0-9a-f]{4},mp4a\.40\.2",'
                     rf'RESOLUTION={e.WIDTH}x{e.HEIGHT},FRAME-RATE=30\.000,AUDIO="audio"\nvideo_0/index\.m3u8\n',
                     multivariant),
           f"{label}: the video variant names both codecs, its resolution and the audio group")
    tap.equal(output.count("assetwritersink-segment, type=(string)separable"), 2 * SECONDS,
              f"{label}: one element message per segment of each track")
    probe = e.ffprobe(os.path.join(outdir, "main.m3u8"))
    if tap.ok(probe is not None, f"{label}: ffprobe reads the multivariant playlist"):
        tap.equal((len(e.streams_of(probe, "video")), len(e.streams_of(probe, "audio"))), (1, 1),
                  f"{label}: ffprobe finds the video variant and the audio rendition")
    for kind in ("video", "audio"):
        trackdir = os.path.join(outdir, f"{kind}_0")
        text, uris, durations = media_playlist(trackdir)
        tap.ok(text.startswith("#EXTM3U\n#EXT-X-VERSION:7\n") and "#EXT-X-ENDLIST" in text and
               '#EXT-X-MAP:URI="init.mp4"' in text, f"{label} {kind}: a media playlist of its own", text)
        tap.equal(len(uris), SECONDS, f"{label} {kind}: {SECONDS} segments, cut where the video's are")
        tap.near(sum(durations), SECONDS, 0.05, f"{label} {kind}: EXTINF durations add up to {SECONDS} s")
        probe = e.ffprobe(os.path.join(trackdir, "index.m3u8"))
        streams = e.streams_of(probe, kind) if probe else []
        tap.ok(len(streams) == 1 and len(probe["streams"]) == 1,
               f"{label} {kind}: ffprobe reads the playlist: one {kind} stream", probe and probe.get("streams"))
        if kind == "video" and streams:
            tap.equal(int(streams[0].get("nb_read_frames", -1)), SECONDS * e.FPS,
                      f"{label} video: ffprobe decodes every frame through the playlist")
        check_track_mp4box(tap, f"{label} {kind}", trackdir, uris, kind)
    r = check_browser(tap, f"{label} hls.js", outdir, "mode=hls&src=main.m3u8", SECONDS * e.FPS - 10)
    if r is not None:
        fragments = r.get("fragments", {})
        tap.equal((fragments.get("main"), fragments.get("audio")), (SECONDS, SECONDS),
                  f"{label} hls.js: buffers every video segment and every segment of the separate audio rendition")


def long_gop_case(tap):
    """A single keyframe in 4 s at a 1 s interval: segments are cut at the default maximum duration (three
    intervals), so every EXTINF stays within the target duration; the cut segment starts without a keyframe,
    the playlist stops claiming independent segments, and the stream still decodes and plays in order."""
    label = "long gop"
    outdir = tap.path("longgop")
    video = VIDEO.replace(f"key-int-max={KEYINT}", f"key-int-max={5 * e.FPS}")
    # Without keyframe requests: the encoder's own GOP is what this case is about.
    write_stream(tap, label, outdir, "send-keyframe-requests=false", inputs=(video,))
    text, uris, durations = media_playlist(outdir)
    tap.diag(f"{label} playlist:\n{text}")
    check_strict(tap, label, outdir)
    tap.equal(durations, [3.0, 1.0], f"{label}: cut at 3 s (three intervals) without a keyframe, then the rest")
    target = int(re.search(r"#EXT-X-TARGETDURATION:(\d+)", text).group(1))
    tap.equal(target, 3, f"{label}: the target duration is the ceiling of the longest segment")
    tap.ok("INDEPENDENT-SEGMENTS" not in text, f"{label}: no independent-segments claim once one is cut mid-GOP")
    probe = e.ffprobe(os.path.join(outdir, "index.m3u8"))
    videos = e.streams_of(probe, "video") if probe else []
    tap.ok(videos and int(videos[0].get("nb_read_frames", -1)) == SECONDS * e.FPS,
           f"{label}: ffprobe decodes every frame through the playlist", videos[:1])
    check_browser(tap, f"{label} hls.js", outdir, "mode=hls&src=main.m3u8", SECONDS * e.FPS - 10)


def live_window(tap):
    """playlist-length and max-files: only the newest segments are listed and kept, and they still play."""
    outdir = tap.path("live")
    write_stream(tap, "window", outdir, "playlist-length=2 max-files=3", inputs=(VIDEO,))
    text, uris, _ = media_playlist(outdir)
    check_strict(tap, "window", outdir)
    tap.equal(uris, ["segment00002.m4s", "segment00003.m4s"], "window: the playlist lists the newest two")
    tap.ok("#EXT-X-MEDIA-SEQUENCE:2\n" in text, "window: the media sequence counts the removed segments")
    on_disk = sorted(os.path.basename(p) for p in glob.glob(os.path.join(outdir, "segment*.m4s")))
    tap.equal(on_disk, ["segment00001.m4s", "segment00002.m4s", "segment00003.m4s"],
              "window: max-files keeps the newest three files")
    probe = e.ffprobe(os.path.join(outdir, "index.m3u8"))
    videos = e.streams_of(probe, "video") if probe else []
    tap.ok(videos and int(videos[0].get("nb_read_frames", -1)) == 2 * KEYINT,
           "window: ffprobe decodes the two listed segments", videos[:1])


def playlist_options(tap):
    """playlist-root prefixes every URI of both playlists; playlist-type=vod says EVENT while writing and VOD at
    EOS; without init-location the init segment goes beside the segments, not into the working directory."""
    outdir = tap.path("options")
    os.makedirs(outdir, exist_ok=True)
    root = "https://cdn.example/live"
    pipeline = (f"{VIDEO} ! assetwritersink segment-interval={INTERVAL_NS} sync-fragments=false "
                f"location={outdir}/segment%05d.m4s playlist-location={outdir}/index.m3u8 "
                f"multivariant-playlist-location={outdir}/main.m3u8 playlist-root={root} playlist-type=vod")
    cwd_init = os.path.exists("init.mp4")
    result = e.gst_launch(pipeline, timeout=60)
    e.check_written(tap, "options", result)
    tap.ok(os.path.exists(os.path.join(outdir, "init.mp4")), "options: the init segment is beside the segments")
    tap.equal(os.path.exists("init.mp4"), cwd_init, "options: nothing is written to the working directory")
    text, uris, _ = media_playlist(outdir)
    tap.diag(f"options playlist:\n{text}")
    check_strict(tap, "options", outdir)
    tap.ok(uris and all(uri.startswith(root + "/segment") for uri in uris),
           "options: playlist-root prefixes every segment URI", uris)
    tap.ok(f'#EXT-X-MAP:URI="{root}/init.mp4"' in text, "options: and the EXT-X-MAP URI")
    tap.ok("#EXT-X-PLAYLIST-TYPE:VOD\n" in text and "EVENT" not in text and "#EXT-X-ENDLIST" in text,
           "options: playlist-type=vod ends as a VOD playlist")
    with open(os.path.join(outdir, "main.m3u8")) as f:
        main = f.read()
    tap.ok(f"\n{root}/index.m3u8\n" in main, "options: the multivariant playlist's URI has the root too", main)


tap = e.Tap()
tap.check("options", lambda: playlist_options(tap))
if browser.npm_ready(tap):
    tap.check("apple-hls", lambda: hls_case(tap))
    tap.check("cmaf", lambda: cmaf_case(tap))
    tap.check("tracks", lambda: track_per_header_case(tap))
    tap.check("long gop", lambda: long_gop_case(tap))
tap.check("window", lambda: live_window(tap))
tap.finish()
