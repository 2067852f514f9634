#!/usr/bin/env python3
"""Every codec of issue 7 through a real short pipeline: ffprobe names the codec, profile, channels and rate,
`ffmpeg -v error` decodes it printing nothing; colour, HDR, aspect and field tags read back by ffprobe and
mediainfo; codecs a file type cannot hold are refused at negotiation with an ERROR naming the pad."""
import json
import shutil
from concurrent.futures import ThreadPoolExecutor

import e2e_util as e

W, H = 64, 48
VIDEO = f"videotestsrc num-buffers=6 ! video/x-raw,width={W},height={H},framerate=10/1"
AUDIO = "audiotestsrc num-buffers=8 samplesperbuffer=4800 ! audio/x-raw,rate=48000,channels=2"
# Display P3 D65 mastered at 1000 cd/m² (0.005 black) in SEI units, red first; MaxCLL 1000, MaxFALL 400.
HDR_CAPS = ("mastering-display-info=(string)34000:16000:13250:34500:7500:3000:15635:16450:10000000:50,"
            "content-light-level=(string)1000:400")

# label, file name, the source branch, what ffprobe must say about the one stream
CASES = [
    ("av1 mp4", "av1.mp4", f"{VIDEO},format=I420 ! av1enc cpu-used=8 ! av1parse",
     {"codec_name": "av1", "profile": "Main", "width": W, "height": H}),
    ("vp9 mp4 hdr", "vp9.mp4", f"{VIDEO},format=I420,colorimetry=bt2100-pq ! vp9enc deadline=1 ! vp9parse ! "
     f"video/x-vp9,{HDR_CAPS}",
     {"codec_name": "vp9", "profile": "Profile 0", "width": W, "height": H, "color_primaries": "bt2020",
      "color_transfer": "smpte2084"}),  # the matrix: ffprobe takes VP9's frame header's; mediainfo checks ours
    ("prores mov hdr interlaced", "prores.mov",
     f"{VIDEO},format=I422_10LE,colorimetry=bt709,pixel-aspect-ratio=16/15,interlace-mode=interleaved,"
     f"field-order=top-field-first ! avenc_prores_ks ! video/x-prores,{HDR_CAPS}",
     # avenc_prores_ks picks HQ for 4:2:2; ffprobe takes colour from ProRes frame headers, mediainfo checks colr
     {"codec_name": "prores", "codec_tag_string": "apch", "width": W, "height": H, "sample_aspect_ratio": "16:15",
      "field_order": "tt"}),
    ("mjpeg mov", "jpeg.mov", f"{VIDEO},format=I420 ! jpegenc ! jpegparse",
     {"codec_name": "mjpeg", "codec_tag_string": "jpeg", "width": W, "height": H}),
    ("mjpeg mp4", "jpeg.mp4", f"{VIDEO},format=I420 ! jpegenc ! jpegparse", {"codec_name": "mjpeg"}),
    ("h264 avc3 mp4", "avc3.mp4", f"{VIDEO},format=I420 ! x264enc ! h264parse ! video/x-h264,stream-format=avc3",
     {"codec_name": "h264", "codec_tag_string": "avc3", "profile": "High", "width": W, "height": H}),
    ("hevc hev1 mov", "hev1.mov", f"{VIDEO},format=I420 ! x265enc ! h265parse ! video/x-h265,stream-format=hev1",
     {"codec_name": "hevc", "codec_tag_string": "hev1", "profile": "Main", "width": W, "height": H}),
    ("alac m4a", "alac.m4a", f"{AUDIO},format=S16LE ! avenc_alac",
     {"codec_name": "alac", "channels": 2, "sample_rate": "48000"}),
    ("opus mp4", "opus.mp4", f"{AUDIO} ! opusenc ! opusparse",
     {"codec_name": "opus", "channels": 2, "sample_rate": "48000"}),
    ("flac mp4", "flac.mp4", f"{AUDIO},format=S16LE ! flacenc ! flacparse",
     {"codec_name": "flac", "channels": 2, "sample_rate": "48000"}),
    ("ac3 mp4", "ac3.mp4", f"{AUDIO} ! avenc_ac3 ! ac3parse", {"codec_name": "ac3", "channels": 2, "sample_rate": "48000"}),
    ("eac3 mov", "eac3.mov", f"{AUDIO} ! avenc_eac3 ! ac3parse",
     {"codec_name": "eac3", "channels": 2, "sample_rate": "48000"}),
    ("mp3 mp4", "mp3.mp4", f"{AUDIO} ! lamemp3enc ! mpegaudioparse",
     {"codec_name": "mp3", "channels": 2, "sample_rate": "48000"}),
    ("mp3 mov", "mp3.mov", f"{AUDIO} ! lamemp3enc ! mpegaudioparse",
     {"codec_name": "mp3", "codec_tag_string": ".mp3", "channels": 2}),
    ("pcm s16le mov (sowt)", "sowt.mov", f"{AUDIO},format=S16LE",
     {"codec_name": "pcm_s16le", "codec_tag_string": "sowt", "channels": 2, "sample_rate": "48000",
      "channel_layout": "stereo"}),
    # QuickTime PCM states its layout in a 'chan' atom; without one FFmpeg has only a guess ("unknown").
    ("pcm s16be mov (twos)", "twos.mov", f"{AUDIO},format=S16BE",
     {"codec_name": "pcm_s16be", "codec_tag_string": "twos", "channel_layout": "stereo"}),
    ("pcm s24be mov (in24)", "in24.mov", f"{AUDIO},format=S24BE", {"codec_name": "pcm_s24be", "codec_tag_string": "in24"}),
    ("pcm f32be mov (fl32)", "fl32.mov", f"{AUDIO},format=F32BE", {"codec_name": "pcm_f32be", "codec_tag_string": "fl32"}),
    ("pcm s24le mov (lpcm)", "lpcm.mov", f"{AUDIO},format=S24LE",
     {"codec_name": "pcm_s24le", "codec_tag_string": "lpcm", "channel_layout": "stereo"}),
    ("pcm s16le mp4 (ipcm)", "ipcm.mp4", f"{AUDIO},format=S16LE", {"codec_name": "pcm_s16le", "codec_tag_string": "ipcm"}),
    # FFmpeg 5.1 (Debian 12) predates ISO/IEC 23003-5 float PCM: it sees the fourcc but has no decoder for it.
    ("pcm f32le mp4 (fpcm)", "fpcm.mp4", f"{AUDIO},format=F32LE",
     {"codec_tag_string": "fpcm", "channels": 2, "sample_rate": "48000", "_no_reader": True}),
]

# Caps a file type cannot hold: the element refuses them with an ERROR naming the pad.
REFUSALS = [
    ("prores in mp4", "refused.mp4", f"{VIDEO},format=I422_10LE ! avenc_prores_ks", "video_0",
     "ProRes needs a QuickTime movie (.mov), not mp4"),
    ("opus in 3gp", "refused.3gp", f"{AUDIO} ! opusenc ! opusparse", "audio_0", "Opus is not a 3GPP codec"),
    ("pcm in m4a", "refused.m4a", f"{AUDIO},format=S16LE", "audio_0", "PCM needs"),
]

tap = e.Tap()


def write(case):
    label, name, branch = case[0], case[1], case[2]
    path = tap.path(name)
    pad = "video_%u" if "videotestsrc" in branch else "audio_%u"
    result = e.gst_launch(f"assetwritersink name=s location={path} {branch} ! s.{pad}", timeout=60)
    return case, path, result


def check_case(case, path, result):
    label, expected = case[0], case[3]
    if not e.check_written(tap, label, result):
        return
    probe = e.ffprobe(path, count_frames=False)
    if not tap.ok(probe is not None and len(probe["streams"]) == 1, f"{label}: ffprobe reads one stream"):
        return
    stream = probe["streams"][0]
    for key, value in expected.items():
        if not key.startswith("_"):
            tap.equal(stream.get(key), value, f"{label}: ffprobe {key}")
    if "hdr" in label:
        kinds = {d.get("side_data_type") for d in stream.get("side_data_list", [])}
        tap.ok("Mastering display metadata" in kinds, f"{label}: mastering display side data", kinds)
        tap.ok("Content light level metadata" in kinds, f"{label}: content light level side data", kinds)
        for d in stream.get("side_data_list", []):
            if d.get("side_data_type") == "Content light level metadata":
                tap.equal((d.get("max_content"), d.get("max_average")), (1000, 400), f"{label}: MaxCLL/MaxFALL")
            if d.get("side_data_type") == "Mastering display metadata":
                # mdcv in SEI units; SmDm (mov) in 0.16 and 24.8 fixed point: both 0.68 and 1000 cd/m²
                expected_mdcv = ("44564/65536", "256000/256") if path.endswith(".mov") else ("34000/50000",
                                                                                              "10000000/10000")
                tap.equal((d.get("red_x"), d.get("max_luminance")), expected_mdcv, f"{label}: mastering red x and peak")
    if expected.get("_no_reader"):
        tap.diag(f"{label}: no decoder in this FFmpeg; decode not checked")
        return
    decode = e.ffmpeg_decode(path)
    tap.ok(decode.ok and not decode.stderr.strip(), f"{label}: ffmpeg -v error decodes printing nothing",
           decode.describe())


def check_mediainfo(path, label, expected):
    result = e.run(["mediainfo", "--Output=JSON", path])
    tracks = json.loads(result.stdout).get("media", {}).get("track", []) if result.ok else []
    video = next((t for t in tracks if t.get("@type") == "Video"), {})
    for key, value in expected.items():
        tap.equal(video.get(key), value, f"{label}: mediainfo {key}")


def check_refusal(case):
    label, name, branch, pad, text = case
    path = tap.path(name)
    kind = "video_%u" if pad.startswith("video") else "audio_%u"
    result = e.gst_launch(f"assetwritersink name=s location={path} {branch} ! s.{kind}", timeout=30)
    output = (result.stdout + result.stderr).decode(errors="replace")
    tap.ok(not result.ok, f"{label}: the pipeline fails", result.describe())
    tap.ok(f"{pad}: " in output and text in output, f"{label}: the ERROR names {pad} and says why",
           output.splitlines()[-6:])


with ThreadPoolExecutor(max_workers=3) as pool:
    written = list(pool.map(write, CASES))
for case, path, result in written:
    tap.check(case[0], lambda: check_case(case, path, result))

if shutil.which("mediainfo"):
    tap.check("mediainfo colour", lambda: check_mediainfo(
        tap.path("vp9.mp4"), "vp9 mp4 hdr",
        {"colour_primaries": "BT.2020", "transfer_characteristics": "PQ",
         "matrix_coefficients": "BT.2020 non-constant", "MasteringDisplay_Luminance":
         "min: 0.0050 cd/m2, max: 1000 cd/m2", "MaxCLL": "1000 cd/m2", "MaxFALL": "400 cd/m2"}))
    tap.check("mediainfo prores", lambda: check_mediainfo(
        tap.path("prores.mov"), "prores mov", {"colour_primaries": "BT.709", "transfer_characteristics": "BT.709",
                                               "matrix_coefficients": "BT.709", "ScanType": "Interlaced",
                                               "ScanOrder": "TFF", "PixelAspectRatio": "1.067"}))
else:
    tap.diag("mediainfo not installed: its checks skipped")

for case in REFUSALS:
    tap.check(case[0], lambda: check_refusal(case))
tap.finish()
