#!/usr/bin/env python3
"""Sessions, segments, priming and the metadata property, read back by ffprobe, ffmpeg and qtdemux.

- session-start-time / session-end-time trim the presentation with an edit list: ffprobe shows the session's
  duration from 0, and the first frame ffmpeg decodes is the source's frame at the session start;
- a non-zero segment start (remuxing a file whose edit list starts 0.1 s into the media) is written in
  running time: the new file starts at 0 and lasts what the segment covers;
- encoder delay: opusenc's GstAudioClippingMeta and the pre-segment AAC frames a demuxer sends both end in
  the edit list (and iTunSMPB for .m4a), so ffmpeg decodes as many samples as from the source;
- the metadata property wins over tag events in ffprobe's format tags.
"""
import struct

import e2e_util as e

FRAMES = 60  # 2 s at 30 fps, a key frame every 10 frames
VIDEO = (f"videotestsrc num-buffers={FRAMES} pattern=ball ! "
         f"video/x-raw,format=I420,width=320,height=240,framerate=30/1 ! "
         f"x264enc key-int-max=10 speed-preset=ultrafast ! h264parse")


def elst(path):
    """(entry count, first segment duration, first media time) of the first version-0 elst, or None."""
    with open(path, "rb") as f:
        data = f.read()
    at = data.find(b"elst")
    if at < 0 or data[at + 4] != 0:
        return None
    return struct.unpack(">III", data[at + 8:at + 20])


def frame_hashes(tap, path):
    hashes, result = e.framemd5(path)
    tap.ok(hashes is not None, f"{path}: ffmpeg decodes the frames", result.describe())
    return hashes or []


def pcm_samples(path, stream="a:0"):
    """Number of mono samples ffmpeg decodes from the audio stream (edit lists applied as ffmpeg does)."""
    result = e.run(["ffmpeg", "-nostdin", "-v", "error", "-i", path, "-map", f"0:{stream}", "-ac", "1",
                    "-f", "s16le", "-"])
    return len(result.stdout) // 2 if result.ok else None


def sessions(tap):
    full = tap.path("full.mp4")
    trimmed = tap.path("trimmed.mp4")
    # One encode feeds both writers, so frame hashes compare the same coded frames.
    result = e.gst_launch(
        f"{VIDEO} ! tee name=t "
        f"t. ! queue ! assetwritersink location={full} "
        f"t. ! queue ! assetwritersink location={trimmed} session-start-time=1100000000 "
        f"session-end-time=1600000000 movie-timescale=1000")
    e.check_written(tap, "session", result)
    probe = e.ffprobe(trimmed)
    video = e.streams_of(probe or {}, "video")
    if not tap.equal(len(video), 1, "session: ffprobe sees the video stream"):
        return
    tap.near(e.as_float(video[0].get("start_time")), 0.0, 0.0005, "session: the stream starts at 0")
    tap.near(e.as_float(probe["format"].get("duration")), 0.5, 0.0005, "session: ffprobe duration is the 0.5 s "
             "between session-start-time and session-end-time")
    tap.equal(elst(trimmed), (1, 500, 99000), "session: one edit of 500 ms from media time 1.1 s (90 kHz)")
    # Every frame from 0 is in the file (the GOP before the start decodes), but the edit shows from 1.1 s.
    tap.equal(int(video[0].get("nb_frames", -1)), FRAMES, "session: all 60 coded frames are kept in the file")
    full_hashes = frame_hashes(tap, full)
    trimmed_hashes = frame_hashes(tap, trimmed)
    tap.equal(len(trimmed_hashes), 15, "session: ffmpeg presents the 15 frames of 1.1 s .. 1.6 s")
    if len(full_hashes) == FRAMES and trimmed_hashes:
        tap.equal(trimmed_hashes[0], full_hashes[33], "session: the first decoded frame is source frame 33 "
                  "(1.1 s)")
        tap.equal(trimmed_hashes, full_hashes[33:48], "session: the decoded frames are source frames 33..47")


def segment_start(tap):
    """Remux a file whose edit starts 0.1 s into its media: qtdemux's segment starts at 0.1 s."""
    source = tap.path("segment-source.mp4")
    remux = tap.path("segment-remux.mp4")
    e.check_written(tap, "segment source", e.gst_launch(
        f"{VIDEO} ! assetwritersink location={source} session-start-time=100000000"))
    e.check_written(tap, "segment remux", e.gst_launch(
        f"filesrc location={source} ! qtdemux ! h264parse ! assetwritersink location={remux}"))
    probe = e.ffprobe(remux)
    video = e.streams_of(probe or {}, "video")
    if not tap.equal(len(video), 1, "segment: ffprobe sees the video stream"):
        return
    tap.near(e.as_float(video[0].get("start_time")), 0.0, 0.0005, "segment: the remux starts at 0 (running time)")
    tap.near(e.as_float(probe["format"].get("duration")), 1.9, 0.034, "segment: the remux lasts the segment's 1.9 s")
    tap.equal(len(frame_hashes(tap, remux)), 57, "segment: ffmpeg presents the 57 frames after 0.1 s")
    tap.equal(frame_hashes(tap, remux)[:1], frame_hashes(tap, source)[:1],
              "segment: the remux's first frame is the source's first presented frame")
    # qtdemux turns the edit into a segment; the decoder clips to it, so the frames that come out are the ones
    # the edit shows.
    env = dict(e.os.environ, GST_DEBUG="GST_SCHEDULING:5", GST_DEBUG_NO_COLOR="1")
    decoded = e.run(["gst-launch-1.0", "filesrc", f"location={remux}", "!", "qtdemux", "!", "h264parse", "!",
                     "avdec_h264", "!", "fakesink", "name=out"], env=env)
    shown = decoded.stderr.decode(errors="replace").count("<out:sink> calling chainfunction")
    tap.ok(decoded.ok and shown == 57, "segment: qtdemux ! avdec_h264 presents the 57 frames too",
           f"{shown} frames; {decoded.describe()[:200]}")


def opus_priming(tap):
    """opusenc marks its 312-sample pre-skip and the end padding with GstAudioClippingMeta."""
    path = tap.path("opus.mp4")
    e.check_written(tap, "opus", e.gst_launch(
        "audiotestsrc num-buffers=50 samplesperbuffer=960 ! audio/x-raw,rate=48000,channels=1 ! opusenc ! "
        f"assetwritersink location={path}"))
    tap.equal(elst(path), (1, 1000, 312), "opus: the edit skips the 312 samples of pre-skip, lasts 1000 ms")
    probe = e.ffprobe(path, count_frames=False)
    audio = e.streams_of(probe or {}, "audio")
    tap.near(e.as_float(audio[0].get("start_time")) if audio else None, 0.0, 0.0005, "opus: the stream starts at 0")
    tap.near(e.as_float(audio[0].get("duration")) if audio else None, 1.0, 0.0005,
             "opus: duration is the input's 48000 samples")
    # ffmpeg 5.1 applies an edit's start in mp4 but decodes the last packet whole (it cuts the end only in
    # Ogg, from the granule position): 51 packets of 960 less exactly the 312 priming samples. From opusenc's
    # own Ogg file it decodes the input's 48000.
    ogg = tap.path("opus.ogg")
    e.gst_launch("audiotestsrc num-buffers=50 samplesperbuffer=960 ! audio/x-raw,rate=48000,channels=1 ! opusenc ! "
                 f"oggmux ! filesink location={ogg}")
    ours, reference = pcm_samples(path), pcm_samples(ogg)
    tap.equal(ours, 51 * 960 - 312, "opus: ffmpeg skips exactly the 312 priming samples")
    tap.diag(f"opus: ffmpeg decodes {ours} samples from our mp4 (edit says 48000), {reference} from the Ogg")


def aac_remux_priming(tap):
    """ffmpeg's AAC encoder delay (1024 samples, in its edit list) survives a remux through qtdemux."""
    source = tap.path("ffmpeg-aac.m4a")
    remux = tap.path("aac-remux.m4a")
    made = e.run(["ffmpeg", "-nostdin", "-v", "error", "-y", "-f", "lavfi", "-i",
                  "sine=frequency=1000:sample_rate=48000:duration=1.5", "-c:a", "aac", source])
    if not tap.ok(made.ok, "aac remux: ffmpeg writes the source", made.describe()):
        return
    e.check_written(tap, "aac remux", e.gst_launch(
        f"filesrc location={source} ! qtdemux ! aacparse ! assetwritersink location={remux}"))
    edit = elst(remux)
    tap.equal(edit[2] if edit else None, 1024, "aac remux: the edit skips ffmpeg's 1024 priming samples")
    with open(remux, "rb") as f:
        data = f.read()
    at = data.find(b"iTunSMPB")
    text = data[at + 24:at + 24 + 116].decode(errors="replace") if at >= 0 else ""
    fields = text.split()
    tap.ok(len(fields) == 12 and fields[1] == "00000400", "aac remux: iTunSMPB says 1024 samples of priming", text)
    probe = e.ffprobe(remux, count_frames=False)
    audio = e.streams_of(probe or {}, "audio")
    tap.near(e.as_float(audio[0].get("start_time")) if audio else None, 0.0, 0.0005,
             "aac remux: the stream starts at 0")
    # qtdemux 1.22 leaves out the source's last frame (it starts 7 ms before the edit's end), so the remux
    # is one frame shorter than the source; the start, which priming is about, is exact.
    src = pcm_samples(source)
    ours = pcm_samples(remux)
    tap.ok(src is not None and ours is not None and src - ours in (0, 1024),
           "aac remux: ffmpeg decodes the source's samples (less at most qtdemux's dropped last frame)",
           f"source {src}, remux {ours}")
    if fields and len(fields) == 12:
        tap.diag(f"aac remux: iTunSMPB priming {int(fields[1], 16)} padding {int(fields[2], 16)} "
                 f"valid {int(fields[3], 16)}; ffmpeg decodes source {src}, remux {ours}")


def metadata_property(tap):
    path = tap.path("metadata.mp4")
    video = f"{VIDEO} ! taginject tags=\"title=FromTag,artist=TagArtist\""
    e.check_written(tap, "metadata", e.gst_launch(
        f"{video} ! assetwritersink location={path} "
        "metadata=\"meta,title=Foo,album=Bar,bogus-field=1\""))
    probe = e.ffprobe(path, count_frames=False)
    tags = {k.lower(): v for k, v in (probe or {}).get("format", {}).get("tags", {}).items()}
    tap.equal(tags.get("title"), "Foo", "metadata: the property's title wins over the tag event's")
    tap.equal(tags.get("album"), "Bar", "metadata: album from the property")
    tap.equal(tags.get("artist"), "TagArtist", "metadata: artist from the tag event stays")

    # assetwriterbin proxies the sink's properties: metadata and the session times reach the sink.
    binned = tap.path("metadata-bin.mp4")
    e.check_written(tap, "metadata bin", e.gst_launch(
        f"videotestsrc num-buffers={FRAMES} ! video/x-raw,width=320,height=240,framerate=30/1 ! "
        f"assetwriterbin location={binned} metadata=\"meta,title=BinTitle\" session-start-time=500000000"))
    probe = e.ffprobe(binned, count_frames=False)
    tags = {k.lower(): v for k, v in (probe or {}).get("format", {}).get("tags", {}).items()}
    tap.equal(tags.get("title"), "BinTitle", "metadata bin: the title set on assetwriterbin")
    tap.near(e.as_float((probe or {}).get("format", {}).get("duration")), 1.5, 0.034,
             "metadata bin: session-start-time on the bin trims the first 0.5 s")


tap = e.Tap()
tap.check("sessions", lambda: sessions(tap))
tap.check("segment start", lambda: segment_start(tap))
tap.check("opus priming", lambda: opus_priming(tap))
tap.check("aac remux priming", lambda: aac_remux_priming(tap))
tap.check("metadata property", lambda: metadata_property(tap))
tap.finish()
