#!/usr/bin/env python3
"""Audio-only AAC into .m4a: codec, frame count, duration, sample rate, clean decode, qtdemux read back."""
import e2e_util as e

tap = e.Tap()
tap.check("m4a", lambda: e.format_case(tap, "m4a", "m4a", [e.AAC], "mp4mux"))
tap.finish()
