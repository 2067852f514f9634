#!/usr/bin/env python3
"""H.264 + AAC into .3gp: codecs, frame counts, durations, dimensions, clean decode, qtdemux read back."""
import e2e_util as e

tap = e.Tap()
tap.check("3gp", lambda: e.format_case(tap, "3gp", "3gp", [e.H264, e.AAC], "3gppmux", video_codec="h264"))
tap.finish()
