#!/usr/bin/env python3
"""H.264 + AAC into .mp4: codecs, frame counts, durations, dimensions, clean decode, qtdemux read back."""
import e2e_util as e

tap = e.Tap()
tap.check("mp4", lambda: e.format_case(tap, "mp4", "mp4", [e.H264, e.AAC], "mp4mux", video_codec="h264"))
tap.finish()
