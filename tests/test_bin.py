#!/usr/bin/env python3
"""assetwriterbin: raw video and audio encoded by presets and output-settings; ffprobe checks codec, size,
bitrate (within 30% over 3 s of noise, which encoders cannot compress below their target) and duration; settings
errors end the pipeline before a file exists."""
import os

import e2e_util as e

SECONDS = 3
FRAMES = SECONDS * e.FPS
# Noise: every encoder spends its whole bitrate on it, so the measured rate tracks the target.
NOISE_VIDEO = (f"videotestsrc num-buffers={FRAMES} pattern=snow ! "
               f"video/x-raw,width=320,height=240,framerate={e.FPS}/1")
NOISE_AUDIO = f"audiotestsrc num-buffers={SECONDS * 48000 // 1024 + 1} wave=white-noise samplesperbuffer=1024 ! " \
              "audio/x-raw,rate=48000,channels=2"
BITRATE_TOLERANCE = 0.30


def probe_written(tap, label, pipeline, path):
    result = e.gst_launch(pipeline)
    e.check_written(tap, label, result)
    probe = e.ffprobe(path) if os.path.exists(path) else None
    tap.ok(probe is not None, f"{label}: ffprobe reads the file", result.describe())
    return probe


def check_video(tap, label, probe, codec, width, height, bitrate=None):
    videos = e.streams_of(probe, "video") if probe else []
    if not tap.equal(len(videos), 1, f"{label}: one video stream"):
        return
    v = videos[0]
    tap.equal(v.get("codec_name"), codec, f"{label}: video codec is {codec}")
    tap.equal((v.get("width"), v.get("height")), (width, height), f"{label}: video is {width}x{height}")
    tap.equal(int(v.get("nb_read_frames", -1)), FRAMES, f"{label}: {FRAMES} video frames")
    tap.near(e.as_float(v.get("duration")), SECONDS, 1 / e.FPS, f"{label}: video lasts {SECONDS} s")
    if bitrate:
        tap.near(e.as_float(v.get("bit_rate")), bitrate, bitrate * BITRATE_TOLERANCE,
                 f"{label}: video bitrate {bitrate} bit/s within 30%")


def check_audio(tap, label, probe, rate, channels, bitrate):
    audios = e.streams_of(probe, "audio") if probe else []
    if not tap.equal(len(audios), 1, f"{label}: one audio stream"):
        return
    a = audios[0]
    tap.equal(a.get("codec_name"), "aac", f"{label}: audio codec is aac")
    tap.equal((a.get("sample_rate"), a.get("channels")), (str(rate), channels),
              f"{label}: audio is {rate} Hz, {channels} channels")
    tap.near(e.as_float(a.get("duration")), SECONDS, 0.1, f"{label}: audio lasts {SECONDS} s")
    tap.near(e.as_float(a.get("bit_rate")), bitrate, bitrate * BITRATE_TOLERANCE,
             f"{label}: audio bitrate {bitrate} bit/s within 30%")


def preset_h264(tap):
    path = tap.path("preset.mp4")
    probe = probe_written(tap, "h264-640x480 preset",
                          f"{NOISE_VIDEO} ! assetwriterbin preset=h264-640x480 encoder-speed=fastest location={path}",
                          path)
    check_video(tap, "h264-640x480 preset", probe, "h264", 640, 480, 1_500_000)


def preset_aac(tap):
    path = tap.path("preset.m4a")
    probe = probe_written(tap, "aac-stereo-48k preset",
                          f"{NOISE_AUDIO} ! assetwriterbin preset=aac-stereo-48k location={path}", path)
    check_audio(tap, "aac-stereo-48k preset", probe, 48000, 2, 128_000)
    tap.equal(len(e.streams_of(probe or {}, "video")), 0, "aac-stereo-48k preset: no video stream")


def raw_to_hevc_mov(tap):
    path = tap.path("hevc.mov")
    probe = probe_written(tap, "raw to HEVC mov",
                          f"{NOISE_VIDEO} ! assetwriterbin encoder-speed=fastest location={path} "
                          f"video_0::output-settings=video/x-h265,bitrate=2000,width=320,height=240", path)
    check_video(tap, "raw to HEVC mov", probe, "hevc", 320, 240, 2_000_000)
    tap.equal((probe or {}).get("format", {}).get("format_name", "").split(",")[0], "mov",
              "raw to HEVC mov: a QuickTime file")
    e.check_decodes_cleanly(tap, "raw to HEVC mov", path)


def raw_to_h264_aac_mp4(tap):
    path = tap.path("av.mp4")
    probe = probe_written(tap, "raw to H.264 + AAC mp4",
                          f"{NOISE_VIDEO} ! assetwriterbin name=b encoder-speed=fastest location={path} "
                          f"video_0::output-settings=video/x-h264,bitrate=1000,profile=high "
                          f"audio_0::output-settings=audio/mpeg,bitrate=96000,rate=48000,channels=2 "
                          f"{NOISE_AUDIO} ! b.", path)
    check_video(tap, "raw to H.264 + AAC mp4", probe, "h264", 320, 240, 1_000_000)
    videos = e.streams_of(probe or {}, "video")
    tap.equal(videos[0].get("profile") if videos else None, "High", "raw to H.264 + AAC mp4: High profile")
    check_audio(tap, "raw to H.264 + AAC mp4", probe, 48000, 2, 96_000)
    e.check_decodes_cleanly(tap, "raw to H.264 + AAC mp4", path)


def live_source(tap):
    """A live source is never blocked: the pad runs real-time (no B-frames) and every frame arrives."""
    path = tap.path("live.mp4")
    probe = probe_written(tap, "live source",
                          f"videotestsrc is-live=true num-buffers=45 ! video/x-raw,width=320,height=240,"
                          f"framerate={e.FPS}/1 ! assetwriterbin location={path}", path)
    videos = e.streams_of(probe or {}, "video")
    tap.ok(bool(videos) and int(videos[0].get("nb_read_frames", 0)) >= 40, "live source: the frames are written",
           videos[0].get("nb_read_frames") if videos else "no video")
    tap.equal(videos[0].get("has_b_frames") if videos else None, 0, "live source: zero-latency encoding")


def source_negotiates_the_preset_caps(tap):
    """A source free to choose (videotestsrc alone offers 320x240 first) is offered the preset's raw caps before
    the chain exists, so the encoder opens once, on the final caps: frame 1 is the IDR and looks like frame 2
    (it was a pillarboxed 4:3 conversion, followed by a second I-frame VLC started from)."""
    path = tap.path("free-source.mp4")
    result = e.gst_launch(f"videotestsrc num-buffers={FRAMES} ! assetwriterbin preset=h264-1280x720 "
                          f"encoder-speed=fastest location={path}")
    if not e.check_written(tap, "free source", result):
        return
    frames = e.run(["ffprobe", "-v", "error", "-select_streams", "v", "-show_entries", "frame=key_frame,pict_type",
                    "-of", "csv=p=0", path])
    kinds = [line.split(",")[:2] for line in frames.stdout.decode().split()]
    key_frames = [i for i, (key, _) in enumerate(kinds) if key == "1"]
    tap.ok(kinds[:1] == [["1", "I"]] and 1 not in key_frames, "free source: an IDR, then no second key frame",
           key_frames)
    gray = e.run(["ffmpeg", "-v", "error", "-i", path, "-vf", "select=lt(n\\,2),scale=64:36", "-vsync", "0",
                  "-f", "rawvideo", "-pix_fmt", "gray", "-"])
    pixels = gray.stdout
    if tap.ok(len(pixels) == 2 * 64 * 36, "free source: two frames decoded", gray.describe()):
        first, second = pixels[:64 * 36], pixels[64 * 36:]
        difference = sum(abs(a - b) for a, b in zip(first, second)) / len(first)
        tap.ok(difference < 8, "free source: frame 1 shows the same picture as frame 2", difference)


def key_frames_follow_the_segment_interval(tap):
    """Segment mode: the bin's encoder gets the segment interval as its keyframe interval (key-int-max), so with
    the sink's keyframe requests off the segments still last the interval."""
    outdir = tap.path("bin-segments")
    os.makedirs(outdir, exist_ok=True)
    result = e.gst_launch(f"videotestsrc num-buffers={FRAMES} ! video/x-raw,width=320,height=240,framerate={e.FPS}/1"
                          f" ! assetwriterbin segment-interval=1000000000 send-keyframe-requests=false "
                          f"sync-fragments=false location={outdir}/segment%05d.m4s "
                          f"playlist-location={outdir}/index.m3u8")
    e.check_written(tap, "bin segments", result)
    with open(os.path.join(outdir, "index.m3u8")) as f:
        text = f.read()
    durations = [float(d) for d in text.split("#EXTINF:")[1:] for d in [d.split(",")[0]]]
    tap.equal(durations, [1.0] * SECONDS, "bin segments: keyframes every second make 1 s segments")


def refused(tap, label, props, ext, expected):
    path = tap.path(f"refused-{label.replace(' ', '-')}.{ext}")
    result = e.gst_launch(f"{NOISE_VIDEO} ! assetwriterbin location={path} {props}", timeout=30)
    text = (result.stdout + result.stderr).decode(errors="replace")
    tap.ok(not result.timed_out and result.returncode != 0, f"{label}: the pipeline fails", result.describe())
    tap.ok("video_0: " in text and expected in text, f"{label}: the ERROR names the pad and the setting",
           [line for line in text.splitlines() if "ERROR" in line][-1:] or text[-200:])
    tap.ok(not os.path.exists(path), f"{label}: no file was written")


tap = e.Tap()
tap.check("preset h264", lambda: preset_h264(tap))
tap.check("preset aac", lambda: preset_aac(tap))
tap.check("raw to hevc", lambda: raw_to_hevc_mov(tap))
tap.check("raw to h264 aac", lambda: raw_to_h264_aac_mp4(tap))
tap.check("live", lambda: live_source(tap))
tap.check("free source", lambda: source_negotiates_the_preset_caps(tap))
tap.check("key frames", lambda: key_frames_follow_the_segment_interval(tap))
tap.check("hevc in m4a", lambda: refused(tap, "H.265 in m4a", "video_0::output-settings=video/x-h265", "m4a",
                                         "an .m4a file holds audio only"))
tap.check("unknown codec", lambda: refused(tap, "unknown codec", "video_0::output-settings=video/x-vp9", "mp4",
                                           "no codec named"))
tap.check("absurd bitrate", lambda: refused(tap, "absurd bitrate",
                                            "video_0::output-settings=video/x-h264,bitrate=99999999", "mp4",
                                            "bitrate"))
tap.finish()
