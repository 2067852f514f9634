#!/usr/bin/env python3
"""H.265 + AAC into .mov: codecs, frame counts, durations, dimensions, clean decode, qtdemux read back."""
import e2e_util as e

tap = e.Tap()
tap.check("mov", lambda: e.format_case(tap, "mov", "mov", [e.H265, e.AAC], "qtmux", video_codec="hevc"))
tap.finish()
