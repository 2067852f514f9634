#!/usr/bin/env python3
"""docs/example.cc writes a file that ffprobe reads: two streams, the right counts and duration."""
import sys

import e2e_util as e


def main(tap, exe):
    path = tap.path("example.mp4")
    result = e.run([exe, path], timeout=30)
    tap.ok(result.ok, "example: the program succeeds", result.describe())
    probe = e.ffprobe(path, count_frames=False)  # placeholder payloads: read the structure, do not decode
    if not tap.ok(probe is not None, "example: ffprobe reads the file"):
        return
    video = e.streams_of(probe, "video")
    audio = e.streams_of(probe, "audio")
    tap.equal([s.get("codec_name") for s in video], ["h264"], "example: one h264 stream")
    tap.equal([s.get("codec_name") for s in audio], ["aac"], "example: one aac stream")
    if video:
        tap.equal((video[0].get("width"), video[0].get("height")), (320, 240), "example: 320x240 from the avcC")
        tap.equal(video[0].get("nb_frames"), "60", "example: 60 video samples")
        tap.near(e.as_float(video[0].get("duration")), 2.0, 1 / 30, "example: video lasts 2 s")
    if audio:
        tap.equal(audio[0].get("nb_frames"), "86", "example: 86 audio samples")
        tap.equal(audio[0].get("sample_rate"), "44100", "example: 44100 Hz from the AudioSpecificConfig")
        tap.equal(audio[0].get("tags", {}).get("language"), "eng", "example: audio language eng")
    tap.equal(probe["format"].get("tags", {}).get("title"), "docs example", "example: title metadata")


tap = e.Tap()
tap.check("example", lambda: main(tap, sys.argv[1]))
tap.finish()
