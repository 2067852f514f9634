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


tap = e.Tap()
tap.check("mp4", lambda: case(tap, "mp4", "mp4"))
tap.check("fragmented mp4", lambda: case(tap, "fragmented", "mp4", "fragment-interval=1000000000"))
tap.finish()
