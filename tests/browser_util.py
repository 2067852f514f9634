"""Headless Chromium playback for the e2e tests: tests/web's npm packages (hls.js, mp4box, playwright-core from
the committed lock file), a localhost server for an output directory, and player.html driven by play.js."""
import fcntl
import functools
import http.server
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import urllib.parse

import e2e_util as e

WEB = os.path.join(os.path.dirname(os.path.abspath(__file__)), "web")
PLAY_TIMEOUT_MS = 30_000


def npm_ready(tap):
    """node_modules in tests/web from the committed lock file (npm ci once; again when the lock changes)."""
    if not shutil.which("node") or not shutil.which("npm"):
        tap.ok(False, "node and npm are installed (tools/deps.sh installs them)")
        return False
    lock = os.path.join(WEB, "package-lock.json")
    stamp = os.path.join(WEB, "node_modules", ".package-lock.json")
    # Several test scripts run at once; one of them installs while the others wait.
    with open(os.path.join(WEB, ".npm-install.lock"), "w") as guard:
        fcntl.flock(guard, fcntl.LOCK_EX)
        if not os.path.exists(stamp) or os.path.getmtime(stamp) < os.path.getmtime(lock):
            result = e.run(["npm", "ci", "--no-audit", "--no-fund", "--prefix", WEB], timeout=180)
            if not tap.ok(result.ok, "npm ci installs hls.js, dash.js, mp4box and playwright-core in tests/web",
                          result.describe()):
                return False
    return True


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def serve(directory):
    for name, source in (("player.html", os.path.join(WEB, "player.html")),
                         ("page_result.js", os.path.join(WEB, "page_result.js")),
                         ("hls.min.js", os.path.join(WEB, "node_modules", "hls.js", "dist", "hls.min.js"))):
        shutil.copy(source, os.path.join(directory, name))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0),
                                             functools.partial(QuietHandler, directory=directory))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def play(tap, label, directory, query, timeout_ms=PLAY_TIMEOUT_MS):
    """Loads player.html?query from a server for `directory`; the page's window.result, or None."""
    server = serve(directory)
    try:
        return run_page(tap, label, f"http://127.0.0.1:{server.server_address[1]}/player.html?{query}", timeout_ms)
    finally:
        server.shutdown()
        server.server_close()


def run_page(tap, label, url, timeout_ms=PLAY_TIMEOUT_MS):
    """Opens `url` (a page publishing window.result) in headless Chromium; the result, or None."""
    chromium = shutil.which("chromium") or "/usr/bin/chromium"
    if not tap.ok(os.path.exists(chromium), f"{label}: Debian's chromium is installed (tools/deps.sh installs it)"):
        return None
    env = dict(os.environ, CHROMIUM=chromium)
    result = e.run(["node", os.path.join(WEB, "play.js"), url, str(timeout_ms)], timeout=timeout_ms / 1000 + 30,
                   env=env)
    lines = result.stdout.decode(errors="replace").strip().splitlines()
    if not tap.ok(result.ok and lines, f"{label}: headless Chromium loads the page", result.describe()):
        return None
    r = json.loads(lines[-1])
    tap.diag(f"{label}: {json.dumps(r)}")
    return r


def check_playback(tap, label, directory, query, min_frames, seconds):
    """Plays to the end with no error, reaching `seconds` with at least `min_frames` decoded; the result."""
    r = play(tap, label, directory, query)
    if r is None:
        return None
    tap.equal(r.get("errors"), [], f"{label}: no player or media error")
    tap.ok(r.get("ended") is True, f"{label}: the video element plays to the end", r.get("reason"))
    tap.near(r.get("currentTime"), seconds, 0.15, f"{label}: playback reaches {seconds} s")
    tap.ok(r.get("decodedFrames", 0) >= min_frames, f"{label}: at least {min_frames} frames decoded",
           r.get("decodedFrames"))
    return r


# --- live streams from tools/hls-origin.py -------------------------------------------------------------------
SETTLE_SECONDS = 5  # latency statistics leave out the start, where hls.js is still finding its place


def play_live(tap, label, stream_url, seconds, low_latency):
    """Plays a live stream (an absolute URL: the origin serves it, the page comes from another server, so CORS
    is exercised) through hls.js for `seconds` of playback. Returns the page's result with `latency_median`,
    `latency_max` (after the first SETTLE_SECONDS) and `stalls_after_start` added, or None."""
    page_dir = tempfile.mkdtemp(prefix="aw-player-")
    try:
        query = urllib.parse.urlencode({"mode": "live", "src": stream_url, "lowLatency": int(low_latency),
                                        "seconds": seconds})
        # Startup (the first segment or part, then canplay) comes on top of the seconds played.
        r = play(tap, label, page_dir, query, timeout_ms=(seconds + 40) * 1000)
    finally:
        shutil.rmtree(page_dir, ignore_errors=True)
    if r is None:
        return None
    settled = [latency for at, latency in r.get("latency", []) if at >= SETTLE_SECONDS]
    r["latency_median"] = round(statistics.median(settled), 3) if settled else None
    r["latency_max"] = round(max(settled), 3) if settled else None
    r["stalls_after_start"] = len(r.get("stalls", []))
    return r


def origin_requests(log_path):
    """What a player asked tools/hls-origin.py (its --log): counts of blocking playlist reloads (_HLS_msn, and
    with _HLS_part), of requests that named a PRELOAD-HINT when they arrived (and of those held for it), of
    byte-range requests, and the statuses seen."""
    with open(log_path) as f:
        records = [json.loads(line) for line in f if line.strip()]
    statuses = {}
    for r in records:
        statuses[str(r["status"])] = statuses.get(str(r["status"]), 0) + 1
    return {
        "requests": len(records),
        "msn": sum("_HLS_msn=" in r["query"] for r in records),
        "msn_part": sum("_HLS_msn=" in r["query"] and "_HLS_part=" in r["query"] for r in records),
        "hinted": sum(bool(r.get("hinted")) for r in records),
        "held_for_hint": sum(bool(r.get("preload_hint")) for r in records),
        "ranged": sum(r["range"] is not None for r in records),
        "skip": sum("_HLS_skip=" in r["query"] for r in records),
        "delta": sum(bool(r.get("delta")) for r in records),
        "statuses": statuses,
    }


class OriginProcess:
    """tools/hls-origin.py serving `directory` on a free port, logging every request to `log`. In the test's own
    process group, so that a test killed on timeout takes it along."""

    SCRIPT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tools", "hls-origin.py")

    def __init__(self, directory, log):
        self.log = log
        self.proc = subprocess.Popen([sys.executable, self.SCRIPT, directory, "--port", "0", "--log", log],
                                     stdout=subprocess.PIPE, text=True)
        self.port = int(self.proc.stdout.readline())

    def url(self, path):
        return f"http://127.0.0.1:{self.port}/{path}"

    def stop(self):
        self.proc.terminate()
        self.proc.wait(timeout=10)
