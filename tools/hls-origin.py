#!/usr/bin/env python3
"""A small Low-Latency HLS origin: serves a directory that assetwritersink (or anything else) writes into, with
blocking playlist reload and preload-hint requests answered the way draft-pantos-hls-rfc8216bis §6.2.5.2 and
§6.2.6 ask. Python standard library only; for the tests and as an example of what a media server must do.

    hls-origin.py DIRECTORY [--host 127.0.0.1] [--port 0] [--log requests.jsonl]

With --port 0 the chosen port is printed on stdout (one line). It learns about new parts by watching the
playlists on disk (stat every few milliseconds: the writer replaces them atomically, so a changed inode, size or
mtime means a new complete playlist), not from the writer itself, so it works with any packager.

- `GET x.m3u8?_HLS_msn=N[&_HLS_part=M]` is held until the playlist lists part M of segment N (segment N
  complete when no part is given) or anything later; 400 when N (or the part) is too far ahead to wait for;
  503 when it does not come within three target durations.
- `GET x.m3u8?_HLS_skip=YES` (or `v2`) is answered with the delta update `x-delta.m3u8` the writer keeps
  beside it (`delta-playlists=true`), after any blocking as above; with no delta file, the playlist itself.
- `Range: bytes=a-b` → 206 + Content-Range (one range; 416 when it cannot be satisfied).
- A preload-hint request (an open-ended `Range: bytes=START-` at the end of a growing segment, or a part file
  that does not exist yet) is held until a playlist lists a part starting there (answered with exactly that
  part's bytes) or the file appears, for at most --hint-timeout seconds.
- `GET /time` answers with the origin's clock as an ISO 8601 date with milliseconds (`2026-12-03T23:20:01.123Z`),
  what an MPD's `UTCTiming` (`urn:mpeg:dash:utc:http-iso:2014`, the writer's default URL `/time`) asks for;
  `.mpd` files are served as `application/dash+xml`.
- CORS for pages from another origin; every request is logged as one JSON line.
"""
import argparse
import email.utils
import functools
import http.server
import json
import os
import re
import sys
import threading
import time
import urllib.parse

POLL_SECONDS = 0.005
CONTENT_TYPES = {
    ".m3u8": "application/vnd.apple.mpegurl",
    ".mpd": "application/dash+xml",
    ".mp4": "video/mp4",
    ".m4s": "video/iso.segment",
    ".m4a": "audio/mp4",
    ".html": "text/html; charset=utf-8",
    ".js": "text/javascript",
}
_ATTRIBUTE = re.compile(r'([A-Z0-9-]+)=("[^"]*"|[^,]*)')


def utc_now_iso():
    """xs:dateTime in UTC with milliseconds, as DASH players parse the http-iso UTCTiming answer."""
    now = time.time()
    return time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(now)) + ".%03dZ" % (int(now * 1000) % 1000)


class Part:
    """One EXT-X-PART (or PRELOAD-HINT TYPE=PART) line: which segment and file, and which bytes of it."""

    def __init__(self, msn, index, uri, offset, length):
        self.msn, self.index, self.uri, self.offset, self.length = msn, index, uri, offset, length


class PlaylistState:
    """What the origin needs from a media playlist: how far it reaches and where its parts and hints are."""

    def __init__(self, text):
        self.target_duration = 0.0
        self.part_target = None
        self.ended = False
        self.parts = []  # every EXT-X-PART listed, in order
        self.hints = []  # EXT-X-PRELOAD-HINT TYPE=PART
        self.segment_uris = set()
        msn = 0
        index = 0  # of the next part within segment `msn`
        next_offset = {}  # a BYTERANGE without @offset continues the previous range of the same URI
        for line in text.splitlines():
            tag, _, value = line.partition(":")
            if tag == "#EXT-X-TARGETDURATION":
                self.target_duration = float(value)
            elif tag == "#EXT-X-MEDIA-SEQUENCE":
                msn = int(value)
            elif tag == "#EXT-X-PART-INF":
                self.part_target = float(_attributes(value).get("PART-TARGET", "0")) or None
            elif tag == "#EXT-X-ENDLIST":
                self.ended = True
            elif tag == "#EXT-X-SKIP":  # a delta update: the skipped segments still count
                msn += int(_attributes(value).get("SKIPPED-SEGMENTS", "0"))
            elif tag == "#EXT-X-PART":
                attrs = _attributes(value)
                offset, length = _byterange(attrs.get("BYTERANGE"), next_offset.get(attrs.get("URI")))
                self.parts.append(Part(msn, index, attrs.get("URI"), offset, length))
                if length is not None:
                    next_offset[attrs.get("URI")] = offset + length
                index += 1
            elif tag == "#EXT-X-PRELOAD-HINT":
                attrs = _attributes(value)
                if attrs.get("TYPE") == "PART":
                    start = attrs.get("BYTERANGE-START")
                    self.hints.append(Part(msn, index, attrs.get("URI"), int(start) if start else None, None))
            elif line and not line.startswith("#"):
                self.segment_uris.add(line)
                msn += 1
                index = 0
        self.next_msn = msn  # the segment being written: its parts so far are the last `index` ones
        self.next_parts = index

    @property
    def last_msn(self):
        """The media sequence number of the last segment listed, complete or with parts only."""
        return self.next_msn if self.next_parts else self.next_msn - 1

    def reaches(self, msn, part):
        """True when the playlist lists segment `msn` (complete), or part `part` of it, or anything later."""
        if self.ended or self.next_msn > msn:
            return True
        return part is not None and self.next_msn == msn and self.next_parts > part

    def too_far_ahead(self, msn, part):
        """§6.2.5.2: more than two segments past the last one, or a part beyond the Advance Part Limit."""
        if msn > self.last_msn + 2:
            return True
        if part is None or not self.part_target:
            return False
        limit = 3 / self.part_target if self.part_target < 1 else 3
        parts_per_segment = max(1, round(self.target_duration / self.part_target))
        ahead = (msn - self.next_msn) * parts_per_segment + part - self.next_parts
        return ahead > limit

    def part_at(self, uri, offset):
        return next((p for p in self.parts if p.uri == uri and p.offset == offset), None)

    def hinted(self, uri, offset):
        return any(h.uri == uri and h.offset == offset for h in self.hints)


def _attributes(text):
    return {name: value.strip('"') for name, value in _ATTRIBUTE.findall(text)}


def _byterange(value, continues_at):
    """(offset, length) of a BYTERANGE="n[@o]" attribute; (None, None) without one."""
    if value is None:
        return None, None
    length, _, offset = value.partition("@")
    return (int(offset) if offset else (continues_at or 0)), int(length)


class PlaylistCache:
    """Parsed playlists, parsed again only when the file on disk changed (new inode, size or mtime)."""

    def __init__(self):
        self._lock = threading.Lock()
        self._entries = {}

    def get(self, path):
        try:
            st = os.stat(path)
        except FileNotFoundError:
            return None
        key = (st.st_ino, st.st_size, st.st_mtime_ns)
        with self._lock:
            cached = self._entries.get(path)
            if cached and cached[0] == key:
                return cached[1]
        try:
            with open(path, encoding="utf-8") as f:
                state = PlaylistState(f.read())
        except (OSError, ValueError):
            return None
        with self._lock:
            self._entries[path] = (key, state)
        return state

    def media_playlists_beside(self, path):
        """The parsed media playlists in the directory of `path` (where the parts of that file are listed)."""
        directory = os.path.dirname(path)
        states = []
        for name in sorted(os.listdir(directory)):
            if name.endswith(".m3u8"):
                state = self.get(os.path.join(directory, name))
                if state is not None:
                    states.append(state)
        return states


def wait_until(predicate, timeout):
    """Polls `predicate` until it returns something true or `timeout` seconds pass; returns its last value."""
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value or time.monotonic() >= deadline:
            return value
        time.sleep(POLL_SECONDS)


def parse_range(header, size):
    """(first, last) of a single `bytes=` range against a file of `size` bytes, "open" for `bytes=a-` (the end is
    the caller's to decide), None without a Range header, or "invalid"."""
    if not header:
        return None
    m = re.fullmatch(r"bytes=(\d*)-(\d*)", header.strip())
    if not m or (not m.group(1) and not m.group(2)):
        return "invalid"
    if not m.group(1):  # a suffix: the last n bytes
        n = int(m.group(2))
        return (max(0, size - n), size - 1) if n else "invalid"
    first = int(m.group(1))
    if not m.group(2):
        return (first, "open")
    last = int(m.group(2))
    return (first, last) if last >= first else "invalid"


class OriginHandler(http.server.SimpleHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive: a player's blocking reloads reuse their connections

    def __init__(self, *args, origin, **kwargs):
        self.origin = origin
        super().__init__(*args, **kwargs)

    # --- plumbing ---------------------------------------------------------------------------------------
    def log_message(self, *args):
        pass

    def end_headers(self):
        self.send_header("Access-Control-Allow-Origin", "*")
        self.send_header("Access-Control-Expose-Headers", "Content-Range, Content-Length, Accept-Ranges, Age, Date")
        super().end_headers()

    def do_OPTIONS(self):
        self._started = time.monotonic()
        self.send_response(204)
        self.send_header("Access-Control-Allow-Methods", "GET, HEAD, OPTIONS")
        self.send_header("Access-Control-Allow-Headers", "Range, Content-Type")
        self.send_header("Access-Control-Max-Age", "600")
        self.send_header("Content-Length", "0")
        self.end_headers()
        self._log(204, 0)

    def do_HEAD(self):
        self._serve(send_body=False)

    def do_GET(self):
        self._serve(send_body=True)

    def _log(self, status, length, **extra):
        url = urllib.parse.urlsplit(self.path)
        record = {"time": round(time.time(), 3), "method": self.command, "path": urllib.parse.unquote(url.path),
                  "query": url.query, "range": self.headers.get("Range"), "status": status, "bytes": length,
                  "wait_ms": round((time.monotonic() - self._started) * 1000, 1)}
        record.update(getattr(self, "_extra", {}))
        record.update(extra)
        self.origin.log(record)

    def _reply(self, status, body=b"", content_type="text/plain; charset=utf-8", headers=(), send_body=True,
               **log_extra):
        try:
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Cache-Control", "no-cache")
            for name, value in headers:
                self.send_header(name, value)
            self.end_headers()
            if send_body:
                self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            # A player gave up on a held request (hls.js aborts its blocking reloads when it stops).
            self.close_connection = True
            log_extra["aborted"] = True
        self._log(status, len(body), **log_extra)

    # --- requests ---------------------------------------------------------------------------------------
    def _serve(self, send_body):
        self._started = time.monotonic()
        url = urllib.parse.urlsplit(self.path)
        path = self.translate_path(url.path)
        if url.path == "/time":
            return self._reply(200, utc_now_iso().encode(), send_body=send_body)
        if os.path.isdir(path):
            return self._reply(404, b"no directory listings\n", send_body=send_body)
        if path.endswith(".m3u8"):
            return self._serve_playlist(path, urllib.parse.parse_qs(url.query), send_body)
        return self._serve_media(path, send_body)

    def _serve_playlist(self, path, query, send_body):
        try:
            msn = int(query["_HLS_msn"][0]) if "_HLS_msn" in query else None
            part = int(query["_HLS_part"][0]) if "_HLS_part" in query else None
        except ValueError:
            return self._reply(400, b"_HLS_msn and _HLS_part are decimal integers\n", send_body=send_body)
        if part is not None and msn is None:
            return self._reply(400, b"_HLS_part without _HLS_msn\n", send_body=send_body)
        cache = self.origin.playlists
        state = cache.get(path)
        if state is None:
            return self._reply(404, b"no such playlist\n", send_body=send_body)
        if msn is not None:
            if state.too_far_ahead(msn, part):
                return self._reply(400, b"_HLS_msn/_HLS_part too far ahead of the playlist\n", send_body=send_body)
            # §6.2.5.2: a request that cannot be satisfied within three target durations gets 503.
            reached = wait_until(lambda: (s := cache.get(path)) is not None and s.reaches(msn, part),
                                 3 * state.target_duration)
            if not reached:
                return self._reply(503, b"the requested part did not appear in time\n", send_body=send_body)
        served = path
        if query.get("_HLS_skip", [""])[0] in ("YES", "v2"):
            served = self._delta_of(path, msn, part)
        try:
            with open(served, "rb") as f:
                body = f.read()
        except FileNotFoundError:
            return self._reply(404, b"no such playlist\n", send_body=send_body)
        self._reply(200, body, CONTENT_TYPES[".m3u8"], send_body=send_body, delta=served != path)

    def _delta_of(self, path, msn, part):
        """§6.2.5.1: the delta update the writer keeps beside the playlist (index-delta.m3u8 beside index.m3u8,
        written before it, so it lists at least what the playlist did), when there is one that lists what was
        asked for; else the playlist itself, which a client must accept as an answer too."""
        delta = path[:-len(".m3u8")] + "-delta.m3u8"
        state = self.origin.playlists.get(delta)
        if state is None or (msn is not None and not state.reaches(msn, part)):
            return path
        return delta

    def _serve_media(self, path, send_body):
        requested = parse_range(self.headers.get("Range"), 0)
        if requested == "invalid":
            return self._reply(416, b"one bytes=first-last range only\n", send_body=send_body)
        name = os.path.basename(path)
        start = requested[0] if isinstance(requested, tuple) else None
        # Logged so that a test can tell whether a player fetches the hinted part before it is listed.
        self._extra = {"hinted": any(s.hinted(name, start) for s in self.origin.playlists.media_playlists_beside(path))
                       if os.path.isdir(os.path.dirname(path)) else False}
        if isinstance(requested, tuple) and requested[1] == "open":
            part = self._hold_open_range(path, name, requested[0])
            if part is not None:
                return self._send_bytes(path, *part, send_body=send_body, hint=True)
        elif not os.path.exists(path) and self._hold_missing_file(path, name):
            return self._send_bytes(path, 0, os.path.getsize(path), send_body=send_body, ranged=False, hint=True)
        if not os.path.isfile(path):
            return self._reply(404, b"no such file\n", send_body=send_body)
        size = os.path.getsize(path)
        if requested is None:
            return self._send_bytes(path, 0, size, send_body=send_body, ranged=False)
        first, last = parse_range(self.headers.get("Range"), size)
        if first >= size:
            return self._reply(416, headers=[("Content-Range", f"bytes */{size}")], send_body=send_body)
        last = size - 1 if last == "open" else min(last, size - 1)
        return self._send_bytes(path, first, last - first + 1, send_body=send_body)

    def _listed_part(self, path, name, start):
        for state in self.origin.playlists.media_playlists_beside(path):
            part = state.part_at(name, start)
            if part is not None:
                return part
        return None

    def _hold_open_range(self, path, name, start):
        """`bytes=START-`: the (offset, length) of the part a playlist lists (or comes to list within the hint
        timeout) at START, the preload hint's answer; None for an ordinary open range over existing bytes."""
        part = self._listed_part(path, name, start)
        if part is None:
            hinted = any(s.hinted(name, start) for s in self.origin.playlists.media_playlists_beside(path))
            size = os.path.getsize(path) if os.path.isfile(path) else 0
            if not hinted and start < size:
                return None
            part = wait_until(lambda: self._listed_part(path, name, start), self.origin.hint_timeout)
        return (part.offset, part.length) if part is not None and part.length is not None else None

    def _hold_missing_file(self, path, name):
        """A part file named by a PRELOAD-HINT: true once a playlist lists it (it is complete then), within the
        hint timeout."""
        if not any(s.hinted(name, None) for s in self.origin.playlists.media_playlists_beside(path)):
            return False

        def listed():
            return os.path.isfile(path) and any(
                any(p.uri == name for p in s.parts) or name in s.segment_uris
                for s in self.origin.playlists.media_playlists_beside(path))

        return wait_until(listed, self.origin.hint_timeout)

    def _send_bytes(self, path, offset, length, send_body, ranged=True, hint=False):
        with open(path, "rb") as f:
            f.seek(offset)
            body = f.read(length)
            size = os.fstat(f.fileno()).st_size
        headers = [("Accept-Ranges", "bytes"),
                   ("Last-Modified", email.utils.formatdate(os.path.getmtime(path), usegmt=True))]
        if ranged:
            headers.append(("Content-Range", f"bytes {offset}-{offset + len(body) - 1}/{size}"))
        content_type = CONTENT_TYPES.get(os.path.splitext(path)[1], "application/octet-stream")
        self._reply(206 if ranged else 200, body, content_type, headers, send_body=send_body,
                    **({"preload_hint": True} if hint else {}))


class Origin:
    """The server's shared state: the playlist cache, the request log, the preload-hint timeout."""

    def __init__(self, directory, log_path, hint_timeout):
        self.directory = directory
        self.playlists = PlaylistCache()
        self.hint_timeout = hint_timeout
        self._log_lock = threading.Lock()
        self._log_file = open(log_path, "a", buffering=1) if log_path else None

    def log(self, record):
        if self._log_file is None:
            return
        with self._log_lock:
            self._log_file.write(json.dumps(record) + "\n")

    def make_server(self, host, port):
        handler = functools.partial(OriginHandler, origin=self, directory=self.directory)
        server = http.server.ThreadingHTTPServer((host, port), handler)
        server.daemon_threads = True
        return server


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("directory")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8080, help="0 picks a free port and prints it")
    parser.add_argument("--log", help="append one JSON line per request to this file")
    parser.add_argument("--hint-timeout", type=float, default=6.0,
                        help="seconds a preload-hint request waits for its part")
    args = parser.parse_args()
    origin = Origin(os.path.abspath(args.directory), args.log, args.hint_timeout)
    server = origin.make_server(args.host, args.port)
    print(server.server_address[1], flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()


if __name__ == "__main__":
    main()
