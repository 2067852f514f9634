"""What a sequence of rotated files holds, read by independent tools: per file ffprobe's packets (first/last PTS,
whether the first video packet is a keyframe, frames per stream), ffmpeg's decoded video frames, and the element
messages gst-launch -m printed (assetwritersink-file-* and splitmuxsink-fragment-*). Shared by test_rotation.py
and bench/splitmux_compare.py."""
import json
import re

import e2e_util as e

# gst-launch -m: Got message #57 from element "s" (element): assetwritersink-file-closed, location=(string)..., ...;
_MESSAGE = re.compile(r'Got message #\d+ from element "[^"]+" \(element\): ([\w-]+), (.*)$')
_NESTED_COUNT = re.compile(r'([\w-]+)\\=\\\(guint64\\\)(\d+)')
_FIELD = re.compile(r'([\w-]+)=\((\w+)\)("(?:[^"\\]|\\.)*"|[^,;]*)')


def element_messages(stdout, prefix):
    """The element messages named `prefix`... in gst-launch -m output, in order, as (name, {field: value})."""
    out = []
    for line in stdout.decode(errors="replace").splitlines():
        m = _MESSAGE.search(line)
        if not m or not m.group(1).startswith(prefix):
            continue
        fields = {}
        for name, kind, value in _FIELD.findall(m.group(2)):
            value = value.strip().strip('"')
            if kind == "structure":  # frames=(structure)"frames\,\ video_0\=\(guint64\)60\;"
                fields[name] = {k: int(v) for k, v in _NESTED_COUNT.findall(value)}
            else:
                fields[name] = int(value) if kind in ("guint64", "guint", "gint", "gint64", "uint64") else value
        out.append((m.group(1), fields))
    return out


class FileProbe:
    """One file as ffprobe and ffmpeg see it; `ok` is False when ffprobe cannot read it."""

    def __init__(self, path):
        self.path = path
        self.ok = False
        self.video_pts = []
        self.audio_pts = []
        self.first_video_is_key = False
        self.decoded_video = None
        self.error = ""
        result = e.run(["ffprobe", "-v", "error", "-show_entries",
                        "packet=stream_index,pts_time,flags:stream=index,codec_type", "-of", "json", path])
        if not result.ok:
            self.error = result.stderr.decode(errors="replace").strip()[:200]
            return
        data = json.loads(result.stdout)
        kinds = {s["index"]: s.get("codec_type") for s in data.get("streams", [])}
        for p in data.get("packets", []):
            kind = kinds.get(p.get("stream_index"))
            pts = float(p["pts_time"]) if p.get("pts_time") not in (None, "N/A") else None
            if kind == "video":
                if not self.video_pts:
                    self.first_video_is_key = "K" in p.get("flags", "")
                self.video_pts.append(pts)
            elif kind == "audio":
                self.audio_pts.append(pts)
        self.ok = True
        decoded = e.run(["ffmpeg", "-nostdin", "-v", "error", "-i", path, "-map", "0:v:0", "-f", "framemd5", "-"])
        if decoded.ok:
            self.decoded_video = sum(1 for line in decoded.stdout.decode().splitlines()
                                     if line and not line.startswith("#"))

    @staticmethod
    def _span(values):
        values = [v for v in values if v is not None]
        return (min(values), max(values)) if values else (None, None)

    def video_span(self):
        return self._span(self.video_pts)

    def audio_span(self):
        return self._span(self.audio_pts)


def fmt(value):
    return "-" if value is None else f"{value:.3f}"
