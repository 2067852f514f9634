#!/usr/bin/env python3
"""DASH from segment mode (issue 18): 10 s of H.264 + AAC written as CMAF, one track per header, with
mpd-location and playlist-type=vod. The MPD is well-formed XML and static with the right duration; each
Representation's SegmentTimeline, expanded, is exactly the tfdt and summed trun durations of its segment files
on disk; GStreamer's own DASH demuxer plays the MPD through playbin to EOS with every video frame; dash.js in
headless Chromium plays it from tools/hls-origin.py to the end without an error; and mpd-location without
one-track-per-header fails the element with an error naming the property. Needs node/npm (tests/web is
installed with `npm ci` here) and Debian's chromium."""
import os
import re
import shutil
import xml.etree.ElementTree as ET

import browser_util as browser
import e2e_util as e

SECONDS = 10
FPS = 30
FRAMES = SECONDS * FPS
INTERVAL_NS = 2_000_000_000
AUDIO_BUFFERS = 430  # of 1024 samples at 44.1 kHz: 9.98 s
NS = "{urn:mpeg:dash:schema:mpd:2011}"
VIDEO = (f"videotestsrc num-buffers={FRAMES} ! video/x-raw,format=I420,width=640,height=360,framerate={FPS}/1 ! "
         "x264enc key-int-max=60 speed-preset=veryfast ! h264parse")
AUDIO = (f"audiotestsrc num-buffers={AUDIO_BUFFERS} samplesperbuffer={e.AAC_FRAME} ! "
         f"audio/x-raw,rate={e.AUDIO_RATE},channels=2 ! avenc_aac ! aacparse")


def write_stream(tap, outdir, one_track_per_header=True):
    sink = (f"assetwritersink name=s segment-interval={INTERVAL_NS} sync-fragments=false "
            f"output-file-type-profile=cmaf one-track-per-header={str(one_track_per_header).lower()} "
            f"playlist-type=vod location={outdir}/%s/segment%05d.m4s init-location={outdir}/%s/init.mp4 "
            f"playlist-location={outdir}/%s/index.m3u8 mpd-location={outdir}/manifest.mpd")
    return e.gst_launch(f"{sink} {VIDEO} ! s.video_0 {AUDIO} ! s.audio_0", timeout=180)


def iso_duration_seconds(text):
    """xs:duration as the MPD writes it (PT[nH][nM]n[.n]S)."""
    match = re.fullmatch(r"PT(?:(\d+)H)?(?:(\d+)M)?(?:([\d.]+)S)?", text or "")
    if not match:
        return None
    hours, minutes, seconds = (float(g) if g else 0.0 for g in match.groups())
    return hours * 3600 + minutes * 60 + seconds


def expanded_timeline(template):
    """[(t, d)] of a SegmentTimeline: S@t only where it jumps, S@r repeats."""
    entries, t = [], 0
    for s in template.find(f"{NS}SegmentTimeline").findall(f"{NS}S"):
        t = int(s.get("t", t))
        d = int(s.get("d"))
        for _ in range(int(s.get("r", "0")) + 1):
            entries.append((t, d))
            t += d
    return entries


def segment_file_timing(path):
    """(earliest presentation time, summed sample durations) of a single-track CMAF segment: its one moof's one
    traf. S@t is the presentation time (23009-1 5.3.9.6), after B-frames' composition offsets, not tfdt."""
    with open(path, "rb") as f:
        data = f.read()
    moof = next(b for b in e.boxes_in(data, 0, len(data)) if b[0] == "moof")
    traf = next(b for b in e.boxes_in(data, moof[1] + moof[3], moof[1] + moof[2]) if b[0] == "traf")
    return e.traf_presentation(data, traf[1] + traf[3], traf[1] + traf[2])


def media_path(outdir, template, representation, number):
    """SegmentTemplate@media for one segment ($RepresentationID$, $Number$ or $Number%05d$)."""
    name = template.get("media").replace("$RepresentationID$", representation)
    name = re.sub(r"\$Number(?:%0(\d+)d)?\$", lambda m: f"{number:0{m.group(1)}d}" if m.group(1) else str(number),
                  name)
    return os.path.join(outdir, name)


def check_mpd(tap, outdir):
    path = os.path.join(outdir, "manifest.mpd")
    with open(path) as f:
        tap.diag(f.read())
    root = ET.parse(path).getroot()  # raises, failing the check, unless well-formed
    tap.ok(root.tag == f"{NS}MPD", "the MPD is well-formed XML with an MPD root in the DASH namespace", root.tag)
    tap.equal(root.get("type"), "static", "the MPD written at EOS with playlist-type=vod is static")
    tap.near(iso_duration_seconds(root.get("mediaPresentationDuration")), SECONDS, 1 / FPS,
             "mediaPresentationDuration is 10 s within one frame")
    representations = root.findall(f".//{NS}Representation")
    tap.equal(sorted(r.get("id") for r in representations), ["audio_0", "video_0"],
              "one Representation per track, named by its pad")
    audio = next((r for r in representations if r.get("id") == "audio_0"), None)
    tap.ok(audio is not None and audio.get("audioSamplingRate") == str(e.AUDIO_RATE) and
           audio.find(f"{NS}AudioChannelConfiguration") is not None and
           audio.find(f"{NS}AudioChannelConfiguration").get("value") == "2",
           "the audio Representation has the caps' rate and channels", ET.tostring(audio) if audio is not None else None)
    for adaptation in root.findall(f".//{NS}AdaptationSet"):
        for representation in adaptation.findall(f"{NS}Representation"):
            template = representation.find(f"{NS}SegmentTemplate")
            if template is None:
                template = adaptation.find(f"{NS}SegmentTemplate")
            check_timeline(tap, outdir, template, representation.get("id"))


def check_timeline(tap, outdir, template, rid):
    """The expanded SegmentTimeline against the files on disk, segment by segment, from startNumber."""
    timeline = expanded_timeline(template)
    start = int(template.get("startNumber", "1"))
    files = []
    number = start
    while os.path.exists(media_path(outdir, template, rid, number)):
        files.append(segment_file_timing(media_path(outdir, template, rid, number)))
        number += 1
    on_disk = len(os.listdir(os.path.join(outdir, rid))) - 2  # without init.mp4 and index.m3u8
    tap.equal(len(files), on_disk, f"{rid}: the template names every segment file from startNumber {start}")
    tap.equal(timeline, files, f"{rid}: the SegmentTimeline is each segment file's presentation time and duration")
    timescale = int(template.get("timescale", "1"))
    total = sum(d for _, d in timeline) / timescale
    tap.near(total, SECONDS, 0.05, f"{rid}: the SegmentTimeline adds up to {SECONDS} s ({total:.3f} s)")


def count_frames(output, sink):
    return len(re.findall(rf"{sink}: last-message = chain", output))


def check_dashdemux(tap, outdir):
    """GStreamer's dashdemux2 (or dashdemux) plays the MPD from the tests' origin: adaptivedemux2 fetches
    over HTTP only (libsoup), so the file is served the way a player would get it."""
    demuxer = "dashdemux2" if e.run(["gst-inspect-1.0", "dashdemux2"]).ok else "dashdemux"
    origin = browser.OriginProcess(outdir, os.path.join(outdir, "requests.jsonl"))
    try:
        result = e.gst_launch(f"playbin uri={origin.url('manifest.mpd')} "
                              "video-sink=\"fakesink name=vsink silent=false sync=false\" "
                              "audio-sink=\"fakesink name=asink sync=false\"",
                              timeout=180, eos_on_shutdown=False, verbose=True)
    finally:
        origin.stop()
    output = result.stdout.decode(errors="replace")
    tap.ok(result.ok and "Got EOS from element" in output, f"playbin with {demuxer} plays the MPD to EOS",
           result.describe())
    tap.ok(re.search(r"GstDashDemux2?:", output) is not None, f"the MPD is demuxed by {demuxer}")
    tap.equal(count_frames(output, "vsink"), FRAMES, f"{demuxer}: every video frame reaches the sink")


def check_dash_js(tap, outdir):
    """dash.js plays the static MPD to the end, the page and the media both from the origin."""
    for name, source in (("dash.html", os.path.join(browser.WEB, "dash.html")),
                         ("page_result.js", os.path.join(browser.WEB, "page_result.js")),
                         ("dash.all.min.js", os.path.join(browser.WEB, "node_modules", "dashjs", "dist", "modern",
                                                          "umd", "dash.all.min.js"))):
        shutil.copy(source, os.path.join(outdir, name))
    origin = browser.OriginProcess(outdir, os.path.join(outdir, "dashjs-requests.jsonl"))
    try:
        r = browser.run_page(tap, "dash.js", origin.url("dash.html?src=manifest.mpd"), timeout_ms=90_000)
    finally:
        origin.stop()
    if r is None:
        return
    tap.equal(r.get("errors"), [], "dash.js: no player or media error")
    tap.ok(r.get("ended") is True, "dash.js: the video element plays to the end", r.get("reason"))
    tap.near(r.get("duration"), SECONDS, 1 / FPS, f"dash.js: the duration is {SECONDS} s within one frame")
    tap.ok(r.get("decodedFrames", 0) >= 0.95 * FRAMES, f"dash.js: at least 95% of {FRAMES} frames decoded",
           r.get("decodedFrames"))


def check_refused_without_one_track_per_header(tap):
    outdir = tap.path("muxed")
    result = write_stream(tap, outdir, one_track_per_header=False)
    text = (result.stdout + result.stderr).decode(errors="replace")
    tap.ok(not result.ok and re.search(r"ERROR: from element \S*GstAssetWriterSink", text) is not None and
           "mpd-location needs one-track-per-header" in text,
           "mpd-location without one-track-per-header: an ERROR on the bus naming the properties", text[-800:])


def main():
    tap = e.Tap()
    outdir = tap.path("dash")
    os.makedirs(outdir)
    result = write_stream(tap, outdir)
    if e.check_written(tap, "DASH vod run", result):
        tap.check("mpd", lambda: check_mpd(tap, outdir))
        tap.check("dashdemux", lambda: check_dashdemux(tap, outdir))
        if browser.npm_ready(tap):
            tap.check("dash.js", lambda: check_dash_js(tap, outdir))
    tap.check("refusal", lambda: check_refused_without_one_track_per_header(tap))
    tap.finish()


if __name__ == "__main__":
    main()
