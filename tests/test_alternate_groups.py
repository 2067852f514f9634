#!/usr/bin/env python3
"""Two audio languages as alternatives: pad properties group/default, language from stream tags.

ffprobe and mediainfo must both show the two languages, one default (the enabled track) and one alternate
group; qtdemux must still deliver both tracks. The same through assetwriterbin's pads.
"""
import json

import e2e_util as e

FRAMES = 40


def audio(freq, language):
    return (f"audiotestsrc num-buffers={FRAMES} samplesperbuffer=1024 freq={freq} ! "
            f"audio/x-raw,rate=48000,channels=2 ! avenc_aac ! taginject tags=\"language-code={language}\" ! aacparse")


def check(tap, label, path):
    probe = e.ffprobe(path, count_frames=False)
    audios = e.streams_of(probe or {}, "audio")
    if not tap.equal(len(audios), 2, f"{label}: ffprobe sees two audio streams"):
        return
    languages = [a.get("tags", {}).get("language") for a in audios]
    defaults = [a.get("disposition", {}).get("default") for a in audios]
    tap.equal(languages, ["eng", "fra"], f"{label}: ffprobe reads the languages eng and fra")
    tap.equal(defaults, [0, 1], f"{label}: ffprobe marks only fra (the default pad) as default")

    info = e.run(["mediainfo", "--Output=JSON", path])
    tracks = [t for t in json.loads(info.stdout or b"{}").get("media", {}).get("track", [])
              if t.get("@type") == "Audio"] if info.ok else []
    if not tap.equal(len(tracks), 2, f"{label}: mediainfo sees two audio tracks"):
        return
    tap.equal([t.get("Language") for t in tracks], ["en", "fr"], f"{label}: mediainfo reads the languages")
    tap.equal([t.get("Default") for t in tracks], ["No", "Yes"], f"{label}: mediainfo: fra is the default")
    groups = [t.get("AlternateGroup") for t in tracks]
    tap.ok(groups[0] is not None and groups[0] == groups[1] and groups[0] != "0",
           f"{label}: mediainfo shows both in one alternate group", groups)

    stats, result = e.qtdemux_readback(path, ["audio_0", "audio_1"])
    tap.ok(result.ok, f"{label}: qtdemux reads both tracks to EOS", result.describe())
    for pad in ("audio_0", "audio_1"):
        tap.ok(stats[pad][0] >= FRAMES, f"{label}: qtdemux delivers the frames of {pad}", stats[pad])


def main(tap):
    sink = tap.path("languages.mp4")
    e.check_written(tap, "sink", e.gst_launch(
        f"assetwritersink name=s location={sink} audio_0::group=1 audio_1::group=1 audio_1::default=true "
        f"{audio(440, 'eng')} ! s.audio_0 {audio(880, 'fra')} ! s.audio_1"))
    check(tap, "sink", sink)

    binned = tap.path("languages-bin.mp4")
    e.check_written(tap, "bin", e.gst_launch(
        f"assetwriterbin name=s location={binned} audio_0::group=1 audio_1::group=1 audio_1::default=true "
        f"{audio(440, 'eng')} ! s.audio_0 {audio(880, 'fra')} ! s.audio_1"))
    check(tap, "bin", binned)


tap = e.Tap()
tap.check("alternate groups", lambda: main(tap))
tap.finish()
