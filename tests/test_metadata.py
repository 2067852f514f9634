#!/usr/bin/env python3
"""Tag events become file metadata that ffprobe reads back."""
import e2e_util as e


def main(tap):
    for ext in ("mp4", "mov"):
        path = tap.path(f"tags.{ext}")
        video = f"{e.RAW_VIDEO} ! x264enc ! taginject tags=\"title=Hello,artist=Me\" ! h264parse"
        e.check_written(tap, f"tags {ext}", e.our_mux([video, e.AAC], path))
        probe = e.ffprobe(path, count_frames=False)
        tags = {k.lower(): v for k, v in (probe or {}).get("format", {}).get("tags", {}).items()}
        tap.equal(tags.get("title"), "Hello", f"tags {ext}: title from the tag event")
        tap.equal(tags.get("artist"), "Me", f"tags {ext}: artist from the tag event")


tap = e.Tap()
tap.check("metadata", lambda: main(tap))
tap.finish()
