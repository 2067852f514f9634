#!/usr/bin/env python3
"""Records live video (H.264) and audio (AAC) into an MP4 through assetwritersink, for a number of seconds or
until Ctrl-C, and prints the element's progress messages.

    python3 record.py OUTPUT.mp4 [SECONDS]     (default 10 s; Ctrl-C ends the recording early)

What an application recording with assetwritersink does:
- it ends the recording with an EOS event, never by stopping the pipeline, and waits for EOS on the bus: the
  sink posts it only once the file is complete;
- a live recording is crash-safe by default (crash-recovery-interval): each `assetwritersink-fragment`
  message says that the media up to there is in the file and would survive the process being killed
  (`synced`: and a power loss);
- `assetwritersink-file-complete` comes once, with the final size and duration, before EOS;
- any ERROR on the bus ends the program with a non-zero exit status.

Needs python3-gi, gir1.2-gstreamer-1.0 and the plugin (GST_PLUGIN_PATH=build/gst from a source tree).
"""
import signal
import sys

import gi

gi.require_version("GLib", "2.0")
gi.require_version("Gst", "1.0")
from gi.repository import GLib, Gst  # noqa: E402  (after require_version)

# Live test sources stand in for a camera and a microphone (v4l2src, pulsesrc, ...). x264enc with
# tune=zerolatency adds no latency, and a keyframe a second bounds how long a fragment waits for one.
PIPELINE = (
    "assetwritersink name=sink "
    "videotestsrc is-live=true ! video/x-raw,width=640,height=360,framerate=30/1 "
    "! x264enc tune=zerolatency speed-preset=ultrafast key-int-max=30 ! h264parse ! sink. "
    "audiotestsrc is-live=true ! audioconvert ! audio/x-raw,rate=48000,channels=2 "
    "! avenc_aac ! aacparse ! sink."
)
EOS_TIMEOUT_S = 20  # after EOS was sent, give up waiting for the file to be finished


def seconds(ns):
    return ns / Gst.SECOND if ns != Gst.CLOCK_TIME_NONE else float("nan")


class Recorder:
    def __init__(self, location, duration_s):
        self.pipeline = Gst.parse_launch(PIPELINE)
        # Set as a property rather than in the description: no quoting of the path.
        self.pipeline.get_by_name("sink").set_property("location", location)
        self.duration_s = duration_s
        self.loop = GLib.MainLoop()
        self.failed = False
        self.eos_sent = False
        bus = self.pipeline.get_bus()
        bus.add_signal_watch()
        bus.connect("message", self.on_message)

    def run(self):
        if self.pipeline.set_state(Gst.State.PLAYING) == Gst.StateChangeReturn.FAILURE:
            # The element's ERROR (an unwritable location, ...) says why.
            message = self.pipeline.get_bus().pop_filtered(Gst.MessageType.ERROR)
            if message:
                self.on_message(None, message)
            print("error: the pipeline does not start", file=sys.stderr)
            self.failed = True
        else:
            print(f"recording for {self.duration_s} s (Ctrl-C to stop earlier)", flush=True)
            GLib.timeout_add(int(self.duration_s * 1000), self.stop, "time is up")
            GLib.unix_signal_add(GLib.PRIORITY_DEFAULT, signal.SIGINT, self.on_signal, "interrupted")
            GLib.unix_signal_add(GLib.PRIORITY_DEFAULT, signal.SIGTERM, self.on_signal, "terminated")
            self.loop.run()
        self.pipeline.set_state(Gst.State.NULL)
        self.pipeline.get_bus().remove_signal_watch()
        return 1 if self.failed else 0

    def on_signal(self, why):
        # The handler stays installed: once removed, GLib restores the default action, and a second Ctrl-C
        # would kill the program while the file is being finished.
        self.stop(why)
        return GLib.SOURCE_CONTINUE

    def stop(self, why):
        """Ends the recording: EOS from the sources down to the sink, which then finishes the file."""
        if self.eos_sent:
            print(f"{why}: still finishing the file", flush=True)
        else:
            self.eos_sent = True
            print(f"{why}: sending EOS", flush=True)
            self.pipeline.send_event(Gst.Event.new_eos())
            GLib.timeout_add_seconds(EOS_TIMEOUT_S, self.eos_timed_out)
        return GLib.SOURCE_REMOVE

    def eos_timed_out(self):
        print(f"error: no EOS {EOS_TIMEOUT_S} s after sending it", file=sys.stderr)
        self.failed = True
        self.loop.quit()
        return GLib.SOURCE_REMOVE

    def on_message(self, bus, message):
        if message.type == Gst.MessageType.ELEMENT:
            self.on_element_message(message.get_structure())
        elif message.type == Gst.MessageType.ERROR:
            error, debug = message.parse_error()
            print(f"error from {message.src.get_name()}: {error.message} ({debug})", file=sys.stderr)
            self.failed = True
            self.loop.quit()
        elif message.type == Gst.MessageType.WARNING:
            warning, _ = message.parse_warning()
            print(f"warning from {message.src.get_name()}: {warning.message}", file=sys.stderr)
        elif message.type == Gst.MessageType.EOS:
            print("EOS: the file is complete", flush=True)
            self.loop.quit()

    @staticmethod
    def on_element_message(s):
        if s is None:
            return
        if s.get_name() == "assetwritersink-fragment":
            print(f"fragment {s.get_value('index')}: "
                  f"{seconds(s.get_value('running-time')):.3f} s + {seconds(s.get_value('duration')):.3f} s, "
                  f"{s.get_value('size')} bytes at {s.get_value('offset')}, "
                  f"synced={'yes' if s.get_value('synced') else 'no'}", flush=True)
        elif s.get_name() == "assetwritersink-file-complete":
            print(f"file complete: {s.get_value('location')}, {s.get_value('size')} bytes, "
                  f"{seconds(s.get_value('duration')):.3f} s, {s.get_value('fragments')} fragments", flush=True)


def main(argv):
    if len(argv) not in (2, 3):
        print(f"usage: {argv[0]} OUTPUT.mp4 [SECONDS]", file=sys.stderr)
        return 2
    try:
        duration_s = float(argv[2]) if len(argv) == 3 else 10.0
    except ValueError:
        duration_s = -1
    if duration_s <= 0:
        print(f"error: SECONDS must be a positive number, not {argv[2]!r}", file=sys.stderr)
        return 2
    Gst.init(None)
    if Gst.ElementFactory.find("assetwritersink") is None:
        print("error: assetwritersink not found (set GST_PLUGIN_PATH to build/gst)", file=sys.stderr)
        return 1
    return Recorder(argv[1], duration_s).run()


if __name__ == "__main__":
    sys.exit(main(sys.argv))
