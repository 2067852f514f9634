#!/usr/bin/env python3
"""tools/hls-origin.py against synthetic LL-HLS output written by this test over time: blocking playlist
reload waits for the part and then answers, _HLS_skip answered with the delta playlist beside the playlist, requests too far ahead get 400 and parts that never come 503,
byte ranges, preload-hint requests held until their part is listed (answered with exactly its bytes), CORS,
/time and .mpd for DASH, and the JSON request log. Python standard library only; prints TAP."""
import datetime
import http.client
import json
import os
import subprocess
import sys
import threading
import time

import e2e_util as e

HERE = os.path.dirname(os.path.abspath(__file__))
ORIGIN = os.path.join(HERE, "..", "tools", "hls-origin.py")
HINT_TIMEOUT = 2.0
PUBLISH_DELAY = 0.5  # seconds after a request starts until the writer publishes what it waits for


def playlist(target, media_sequence, segments, parts, hint=None, ended=False):
    """A media playlist: `segments` complete (name, duration), then `parts` (uri, byterange or None) of the
    next one, then an optional PRELOAD-HINT attribute list."""
    lines = ["#EXTM3U", "#EXT-X-VERSION:9", f"#EXT-X-TARGETDURATION:{target}",
             "#EXT-X-PART-INF:PART-TARGET=0.5",
             "#EXT-X-SERVER-CONTROL:CAN-BLOCK-RELOAD=YES,PART-HOLD-BACK=1.5",
             f"#EXT-X-MEDIA-SEQUENCE:{media_sequence}", '#EXT-X-MAP:URI="init.mp4"']
    for name, duration in segments:
        lines += [f"#EXTINF:{duration:.3f},", name]
    for uri, byterange in parts:
        lines.append(f'#EXT-X-PART:DURATION=0.500,URI="{uri}"' + (f',BYTERANGE="{byterange}"' if byterange else ""))
    if hint:
        lines.append(f"#EXT-X-PRELOAD-HINT:TYPE=PART,{hint}")
    if ended:
        lines.append("#EXT-X-ENDLIST")
    return "\n".join(lines) + "\n"


def publish(directory, name, data):
    """Replaces a file atomically, the way the writer publishes playlists."""
    tmp = os.path.join(directory, name + ".tmp")
    with open(tmp, "wb") as f:
        f.write(data if isinstance(data, bytes) else data.encode())
    os.replace(tmp, os.path.join(directory, name))


def publish_later(directory, name, data, delay=PUBLISH_DELAY, before=None):
    def run():
        time.sleep(delay)
        if before:
            before()
        publish(directory, name, data)
    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    return thread


class Origin:
    """tools/hls-origin.py as a subprocess on a free port, with its request log."""

    def __init__(self, directory, log):
        self.log = log
        self.proc = subprocess.Popen([sys.executable, ORIGIN, directory, "--port", "0", "--log", log,
                                      "--hint-timeout", str(HINT_TIMEOUT)], stdout=subprocess.PIPE, text=True)
        self.port = int(self.proc.stdout.readline())

    def request(self, path, method="GET", headers=None):
        """(status, headers dict, body, seconds) of one request."""
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        started = time.monotonic()
        conn.request(method, path, headers=headers or {})
        response = conn.getresponse()
        body = response.read()
        conn.close()
        return response.status, dict(response.getheaders()), body, time.monotonic() - started

    def records(self):
        with open(self.log) as f:
            return [json.loads(line) for line in f]

    def stop(self):
        self.proc.terminate()
        self.proc.wait(timeout=10)


def blocking_reload(tap, origin, directory):
    publish(directory, "live.m3u8", playlist(2, 1, [("s1.m4s", 2.0)], [("s2.m4s", "100@0")]))
    already = origin.request("/live.m3u8?_HLS_msn=2&_HLS_part=0")
    tap.ok(already[0] == 200 and already[3] < 0.3, "a part the playlist lists already is answered at once",
           f"{already[0]} after {already[3]:.3f} s")
    publish_later(directory, "live.m3u8",
                  playlist(2, 1, [("s1.m4s", 2.0)], [("s2.m4s", "100@0"), ("s2.m4s", "100@100")]))
    status, headers, body, seconds = origin.request("/live.m3u8?_HLS_msn=2&_HLS_part=1")
    tap.equal(status, 200, "_HLS_msn=2&_HLS_part=1 is answered")
    tap.ok(seconds >= PUBLISH_DELAY - 0.05, "and only once the part is published", f"{seconds:.3f} s")
    tap.ok(b'BYTERANGE="100@100"' in body, "the answer is the playlist that lists part 2.1", body.decode())
    tap.equal(headers.get("Content-Type"), "application/vnd.apple.mpegurl", "playlists have the HLS content type")
    publish_later(directory, "live.m3u8", playlist(2, 1, [("s1.m4s", 2.0), ("s2.m4s", 2.0)], []))
    status, _, body, seconds = origin.request("/live.m3u8?_HLS_msn=2")
    tap.ok(status == 200 and seconds >= PUBLISH_DELAY - 0.05 and body.rstrip().endswith(b"s2.m4s"),
           "_HLS_msn=2 without a part waits until segment 2 is complete", f"{status} after {seconds:.3f} s")
    publish_later(directory, "live.m3u8", playlist(2, 1, [("s1.m4s", 2.0), ("s2.m4s", 2.0), ("s3.m4s", 2.0)], []))
    status, _, _, seconds = origin.request("/live.m3u8?_HLS_msn=3&_HLS_part=2")
    tap.ok(status == 200 and seconds >= PUBLISH_DELAY - 0.05,
           "a later complete segment answers a request for one of its parts", f"{status} after {seconds:.3f} s")


def delta_updates(tap, origin, directory):
    """_HLS_skip=YES is answered with the delta playlist beside the playlist once it lists what was asked for."""
    full = playlist(2, 10, [(f"s{n}.m4s", 2.0) for n in range(10, 18)], [("s18.m4s", "100@0")])
    delta = full.replace(
        '#EXT-X-MAP:URI="init.mp4"\n#EXTINF:2.000,\ns10.m4s\n#EXTINF:2.000,\ns11.m4s\n',
        '#EXT-X-MAP:URI="init.mp4"\n#EXT-X-SKIP:SKIPPED-SEGMENTS=2\n')
    tap.ok("#EXT-X-SKIP" in delta, "(the test's delta playlist skips two segments)")
    publish(directory, "skip-delta.m3u8", delta)
    publish(directory, "skip.m3u8", full)
    status, _, body, _ = origin.request("/skip.m3u8?_HLS_skip=YES")
    tap.ok(status == 200 and body.decode() == delta, "_HLS_skip=YES: the delta playlist", status)
    status, _, body, _ = origin.request("/skip.m3u8")
    tap.ok(status == 200 and body.decode() == full, "without _HLS_skip: the whole playlist", status)
    # The delta playlist counts the skipped segments: part 18.0 is in it, so a blocked request gets it.
    status, _, body, seconds = origin.request("/skip.m3u8?_HLS_msn=18&_HLS_part=0&_HLS_skip=v2")
    tap.ok(status == 200 and body.decode() == delta and seconds < 0.3,
           "_HLS_skip=v2 with a part both playlists list: the delta playlist at once", f"{status} {seconds:.3f} s")
    # A delta playlist that lags its playlist (another writer's) is not served for what it lacks.
    publish(directory, "skip.m3u8", playlist(2, 10, [(f"s{n}.m4s", 2.0) for n in range(10, 18)],
                                              [("s18.m4s", "100@0"), ("s18.m4s", "100@100")]))
    status, _, body, _ = origin.request("/skip.m3u8?_HLS_msn=18&_HLS_part=1&_HLS_skip=YES")
    tap.ok(status == 200 and b"#EXT-X-SKIP" not in body and b'BYTERANGE="100@100"' in body,
           "a delta playlist without the asked-for part: the whole playlist instead", status)
    status, _, body, _ = origin.request("/live.m3u8?_HLS_skip=YES")
    tap.ok(status == 200 and b"#EXT-X-SKIP" not in body, "no delta playlist beside it: the playlist itself", status)
    # The origin logs a request after answering it: wait for the last record.
    deadline = time.monotonic() + 5
    while True:
        served = [r.get("delta") for r in origin.records() if "_HLS_skip" in r["query"]]
        if len(served) >= 4 or time.monotonic() > deadline:
            break
        time.sleep(0.02)
    tap.equal(served, [True, True, False, False], "the request log says which answers were delta playlists")


def reload_refusals(tap, origin, directory):
    publish(directory, "short.m3u8", playlist(1, 5, [("s5.m4s", 1.0)], [("s6.m4s", "10@0")]))
    status, _, _, seconds = origin.request("/short.m3u8?_HLS_msn=9")
    tap.ok(status == 400 and seconds < 0.3, "_HLS_msn more than two segments past the last one: 400 at once",
           f"{status} after {seconds:.3f} s")
    status, _, _, _ = origin.request("/short.m3u8?_HLS_msn=6&_HLS_part=9")
    tap.equal(status, 400, "_HLS_part beyond the Advance Part Limit (3 s of parts): 400")
    status, _, _, _ = origin.request("/short.m3u8?_HLS_part=1")
    tap.equal(status, 400, "_HLS_part without _HLS_msn: 400")
    status, _, _, seconds = origin.request("/short.m3u8?_HLS_msn=7&_HLS_part=0")
    tap.ok(status == 503 and 2.9 <= seconds < 4.0,
           "a part that does not come within three target durations (3 s): 503", f"{status} after {seconds:.3f} s")
    publish(directory, "ended.m3u8", playlist(1, 5, [("s5.m4s", 1.0)], [], ended=True))
    status, _, _, seconds = origin.request("/ended.m3u8?_HLS_msn=6")
    tap.ok(status == 200 and seconds < 0.3, "an ended playlist is answered at once: nothing more will come",
           f"{status} after {seconds:.3f} s")


def byte_ranges(tap, origin, directory):
    data = bytes(range(256)) * 4
    publish(directory, "whole.m4s", data)
    status, headers, body, _ = origin.request("/whole.m4s", headers={"Range": "bytes=10-19"})
    tap.ok(status == 206 and body == data[10:20] and headers.get("Content-Range") == f"bytes 10-19/{len(data)}",
           "Range bytes=10-19: 206, exactly those bytes and their Content-Range", (status, headers.get("Content-Range")))
    status, headers, body, _ = origin.request("/whole.m4s", headers={"Range": "bytes=-16"})
    tap.ok(status == 206 and body == data[-16:], "a suffix range answers the last bytes", status)
    status, headers, body, _ = origin.request("/whole.m4s", headers={"Range": "bytes=1000-"})
    tap.ok(status == 206 and body == data[1000:], "an open range within the file answers the rest at once", status)
    status, headers, _, _ = origin.request("/whole.m4s", headers={"Range": "bytes=5000-5010"})
    tap.ok(status == 416 and headers.get("Content-Range") == f"bytes */{len(data)}",
           "a range past the end: 416 with the size", (status, headers.get("Content-Range")))
    status, headers, body, _ = origin.request("/whole.m4s")
    tap.ok(status == 200 and body == data and headers.get("Content-Type") == "video/iso.segment",
           "no Range: the whole file as video/iso.segment", (status, headers.get("Content-Type")))
    status, _, _, _ = origin.request("/missing.m4s")
    tap.equal(status, 404, "a file that does not exist and is not hinted: 404")


def preload_hints(tap, origin, directory):
    first_part = os.urandom(300)
    publish(directory, "seg7.m4s", first_part)
    publish(directory, "hint.m3u8", playlist(2, 7, [], [("seg7.m4s", "300@0")],
                                             hint='URI="seg7.m4s",BYTERANGE-START=300'))
    second_part, third_part = os.urandom(200), os.urandom(50)

    def grow():
        # The segment grows past the hinted part before the playlist lists it: the answer must stop at its end.
        with open(os.path.join(directory, "seg7.m4s"), "ab") as f:
            f.write(second_part + third_part)

    publish_later(directory, "hint.m3u8",
                  playlist(2, 7, [], [("seg7.m4s", "300@0"), ("seg7.m4s", "200@300")],
                           hint='URI="seg7.m4s",BYTERANGE-START=500'), before=grow)
    status, headers, body, seconds = origin.request("/seg7.m4s", headers={"Range": "bytes=300-"})
    tap.ok(status == 206 and seconds >= PUBLISH_DELAY - 0.05,
           "an open range at the preload hint is held until the part is listed", f"{status} after {seconds:.3f} s")
    tap.ok(body == second_part and headers.get("Content-Range", "").startswith("bytes 300-499/"),
           "and answered with exactly that part's bytes", (len(body), headers.get("Content-Range")))

    publish(directory, "files.m3u8", playlist(2, 7, [], [("seg7.0.m4s", None)], hint='URI="seg7.1.m4s"'))
    publish(directory, "seg7.0.m4s", first_part)
    part_file = os.urandom(120)
    publish_later(directory, "seg7.1.m4s", part_file, delay=PUBLISH_DELAY)
    publish_later(directory, "files.m3u8", playlist(2, 7, [], [("seg7.0.m4s", None), ("seg7.1.m4s", None)],
                                                    hint='URI="seg7.2.m4s"'), delay=PUBLISH_DELAY + 0.2)
    status, _, body, seconds = origin.request("/seg7.1.m4s")
    tap.ok(status == 200 and body == part_file and seconds >= PUBLISH_DELAY + 0.15,
           "a hinted part file that does not exist yet is held until a playlist lists it, then served whole",
           f"{status} {len(body)} bytes after {seconds:.3f} s")
    status, _, _, seconds = origin.request("/seg7.2.m4s")
    tap.ok(status == 404 and HINT_TIMEOUT - 0.1 <= seconds < HINT_TIMEOUT + 1,
           "a hinted part that never comes: 404 after the hint timeout", f"{status} after {seconds:.3f} s")


def cors(tap, origin):
    status, headers, _, _ = origin.request("/whole.m4s", method="OPTIONS",
                                           headers={"Origin": "http://page.example", "Access-Control-Request-Headers": "range"})
    tap.ok(status == 204 and headers.get("Access-Control-Allow-Origin") == "*" and
           "Range" in headers.get("Access-Control-Allow-Headers", ""),
           "OPTIONS preflight: 204 allowing any origin and the Range header", (status, headers))
    status, headers, _, _ = origin.request("/whole.m4s", headers={"Range": "bytes=0-1", "Origin": "http://page.example"})
    tap.ok(headers.get("Access-Control-Allow-Origin") == "*" and
           "Content-Range" in headers.get("Access-Control-Expose-Headers", ""),
           "responses allow any origin and expose Content-Range to its scripts", headers)


def dash_support(tap, origin, directory):
    """/time for the MPD's UTCTiming (urn:mpeg:dash:utc:http-iso:2014) and MPDs by their media type."""
    before = time.time()
    status, headers, body, _ = origin.request("/time")
    after = time.time()
    text = body.decode()
    tap.ok(status == 200 and headers.get("Content-Type", "").startswith("text/plain"),
           "/time is answered as text/plain", (status, headers))
    try:
        stamp = datetime.datetime.strptime(text, "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=datetime.timezone.utc)
    except ValueError:
        stamp = None
    tap.ok(stamp is not None and len(text.split(".")[1]) == 4, "/time is an ISO 8601 UTC date with milliseconds",
           text)
    # A second of slack either side: the clock is the same machine's, only rounding and scheduling differ.
    tap.ok(stamp is not None and before - 1 <= stamp.timestamp() <= after + 1, "/time is the current time",
           (before, text, after))
    publish(directory, "manifest.mpd", '<?xml version="1.0"?><MPD/>\n')
    status, headers, body, _ = origin.request("/manifest.mpd")
    tap.ok(status == 200 and headers.get("Content-Type") == "application/dash+xml" and body.startswith(b"<?xml"),
           "an .mpd is served as application/dash+xml", (status, headers))


def request_log(tap, origin):
    records = origin.records()
    waited = [r for r in records if r["path"] == "/live.m3u8" and r["query"] == "_HLS_msn=2&_HLS_part=1"]
    tap.ok(waited and waited[0]["status"] == 200 and waited[0]["wait_ms"] >= (PUBLISH_DELAY - 0.05) * 1000,
           "the log has the blocking request with its query, status and wait time", waited)
    ranged = [r for r in records if r["path"] == "/seg7.m4s" and r["range"] == "bytes=300-"]
    tap.ok(ranged and ranged[0].get("preload_hint") is True and ranged[0].get("hinted") is True and
           ranged[0]["bytes"] == 200,
           "the log has the preload-hint request with its range, marked as hinted and held for a hint", ranged)
    plain = [r for r in records if r["path"] == "/whole.m4s" and r["range"] == "bytes=10-19"]
    tap.ok(plain and plain[0].get("hinted") is False and "preload_hint" not in plain[0],
           "an ordinary range request is marked as not hinted", plain)
    tap.ok(all({"time", "method", "path", "query", "range", "status", "bytes", "wait_ms"} <= set(r) for r in records),
           "every record has time, method, path, query, range, status, bytes and wait_ms", len(records))


def main():
    tap = e.Tap()
    directory = tap.path("origin")
    os.makedirs(directory)
    origin = Origin(directory, tap.path("requests.jsonl"))
    tap.ok(origin.port > 0, "--port 0 prints the port it listens on", origin.port)
    try:
        tap.check("blocking reload", lambda: blocking_reload(tap, origin, directory))
        tap.check("delta updates", lambda: delta_updates(tap, origin, directory))
        tap.check("refusals", lambda: reload_refusals(tap, origin, directory))
        tap.check("byte ranges", lambda: byte_ranges(tap, origin, directory))
        tap.check("preload hints", lambda: preload_hints(tap, origin, directory))
        tap.check("cors", lambda: cors(tap, origin))
        tap.check("dash", lambda: dash_support(tap, origin, directory))
        tap.check("log", lambda: request_log(tap, origin))
    finally:
        origin.stop()
    tap.finish()


main()
