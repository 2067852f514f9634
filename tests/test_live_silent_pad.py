#!/usr/bin/env python3
"""A live recording where one branch never produces (an appsrc that never pushes, a microphone that never
starts): writing starts at the live latency deadline without that pad, the file has the video track only,
and EOS from the video branch ends the pipeline although the silent branch never sends EOS."""
import time

import e2e_util as e

LIVE_VIDEO = (f"videotestsrc is-live=true num-buffers={e.VIDEO_FRAMES} ! "
              f"video/x-raw,format=I420,width={e.WIDTH},height={e.HEIGHT},framerate={e.FPS}/1 ! "
              "x264enc tune=zerolatency speed-preset=ultrafast key-int-max=15 ! h264parse")
# Never pushes a buffer and never ends: only caps reach the encoder. The queue gives the branch a maximum
# latency (appsrc alone answers 0, and the sink then cannot configure a live latency to time out by).
SILENT_AUDIO = (f"appsrc is-live=true format=time caps=audio/x-raw,format=S16LE,layout=interleaved,"
                f"rate={e.AUDIO_RATE},channels={e.AUDIO_CHANNELS} ! queue ! audioconvert ! avenc_aac ! aacparse")
# The video lasts 2 s of wall clock; the rest is a generous bound for a loaded machine. Before the fix the
# pipeline never ended (the sink waited for the silent pad before writing anything).
TIMEOUT = 40


def case(tap, label, ext, props=""):
    path = tap.path(f"live-silent.{ext}")
    started = time.monotonic()
    result = e.our_mux([LIVE_VIDEO, SILENT_AUDIO], path, props=props, timeout=TIMEOUT)
    elapsed = time.monotonic() - started
    if not e.check_written(tap, label, result):
        return
    tap.diag(f"{label}: pipeline ended after {elapsed:.1f} s")
    warnings = result.stdout.decode(errors="replace") + result.stderr.decode(errors="replace")
    tap.ok("no data within the live latency" in warnings, f"{label}: a warning names the left-out pad",
           warnings[-300:])
    probe = e.ffprobe(path)
    if not tap.ok(probe is not None, f"{label}: ffprobe reads it"):
        return
    e.check_video_stream(tap, label, probe, "h264")
    tap.equal(len(e.streams_of(probe, "audio")), 0, f"{label}: no audio track for the silent pad")
    e.check_decodes_cleanly(tap, label, path)


def slow_starting_audio(tap):
    """Live audio through avenc_aac, which does not report its latency and delivers its first frame well after
    the first video frame (x264enc tune=zerolatency): the start grace keeps it, so both tracks are there."""
    label = "live audio and video"
    path = tap.path("live-both.mp4")
    audio = (f"audiotestsrc is-live=true num-buffers={e.AUDIO_BUFFERS} samplesperbuffer={e.AAC_FRAME} ! "
             f"audio/x-raw,rate={e.AUDIO_RATE},channels={e.AUDIO_CHANNELS} ! avenc_aac ! aacparse")
    result = e.our_mux([LIVE_VIDEO, audio], path, timeout=TIMEOUT)
    if not e.check_written(tap, label, result):
        return
    text = result.stdout.decode(errors="replace") + result.stderr.decode(errors="replace")
    tap.ok("no data within the live latency" not in text, f"{label}: no pad is left out", text[-300:])
    probe = e.ffprobe(path)
    if not tap.ok(probe is not None, f"{label}: ffprobe reads it"):
        return
    tap.equal(len(e.streams_of(probe, "video")), 1, f"{label}: one video track")
    tap.equal(len(e.streams_of(probe, "audio")), 1, f"{label}: one audio track")


tap = e.Tap()
tap.check("mp4", lambda: case(tap, "mp4", "mp4"))
tap.check("fragmented mp4", lambda: case(tap, "fragmented", "mp4", "fragment-interval=1000000000"))
tap.check("live audio and video", lambda: slow_starting_audio(tap))
tap.finish()
