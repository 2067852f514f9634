#!/usr/bin/env python3
"""Low-Latency HLS end to end: one live pipeline (videotestsrc is-live + x264enc tune=zerolatency, AAC) feeds
two assetwritersinks in segment mode with 2 s segments, one cutting parts (`part-interval`), one not;
tools/hls-origin.py serves each directory; hls.js in headless Chromium plays the LL stream with lowLatencyMode
and the regular one without, each for PLAY_SECONDS. Checked: hls.js asks for parts with blocking reloads
(_HLS_msn/_HLS_part) and delta updates (_HLS_skip, `delta-playlists`), plays without stalling, keeps hls.latency (median after the first 5 s) within 2 s, and
the regular stream's latency is larger; every playlist snapshot taken while writing, and the final ones, pass
the strict RFC 8216bis parser with every URI/BYTERANGE on disk.

Environment: AW_LL_PART_MS (part size in ms, default 333), AW_LL_PLAY_SECONDS (default 30);
tools/ll-latency-table.sh runs this for several part sizes. Skips when assetwritersink has no part-interval."""
import math
import os
import re
import shlex
import signal
import subprocess
import threading
import time

import browser_util as browser
import e2e_util as e
import hls_strict

PART_MS = float(os.environ.get("AW_LL_PART_MS", "333"))
PLAY_SECONDS = int(os.environ.get("AW_LL_PLAY_SECONDS", "30"))
SEGMENT_NS = 2_000_000_000
MAX_LL_LATENCY = 2.0
SNAPSHOT_SECONDS = 1.0


def part_interval_ns(ms):
    """333 ms means a third of a second (333333333 ns): parts that divide a second exactly stay exact."""
    per_second = round(1000 / ms)
    return round(1e9 / per_second) if abs(per_second * ms - 1000) < 2 else round(ms * 1e6)


def has_part_interval():
    result = e.run(["gst-inspect-1.0", "assetwritersink"])
    return result.ok and b"part-interval" in result.stdout


def sink(name, outdir, extra):
    return (f"assetwritersink name={name} segment-interval={SEGMENT_NS} sync-fragments=false "
            f"output-file-type-profile=cmaf location={outdir}/segment%05d.m4s init-location={outdir}/init.mp4 "
            f"playlist-location={outdir}/index.m3u8 multivariant-playlist-location={outdir}/main.m3u8 {extra}")


def start_pipeline(ll_dir, regular_dir):
    """The same encoded stream into both sinks (tee), so the two latencies differ only by the parts."""
    pipeline = (
        "videotestsrc is-live=true ! video/x-raw,width=640,height=360,framerate=30/1 ! "
        "x264enc tune=zerolatency key-int-max=60 bitrate=800 ! h264parse ! tee name=v "
        "audiotestsrc is-live=true ! audio/x-raw,rate=44100,channels=2 ! avenc_aac ! aacparse ! tee name=a "
        f"{sink('ll', ll_dir, f'part-interval={part_interval_ns(PART_MS)} delta-playlists=true')} "
        f"{sink('regular', regular_dir, '')} "
        "v. ! queue ! ll. a. ! queue ! ll. v. ! queue ! regular. a. ! queue ! regular.")
    # In the test's process group (unlike e2e_util.run): a test killed on timeout takes the live pipeline along.
    return subprocess.Popen(["gst-launch-1.0", "-e"] + shlex.split(pipeline), stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE)


def stop_pipeline(proc):
    """SIGINT: gst-launch -e sends EOS, so the sinks finish their playlists."""
    proc.send_signal(signal.SIGINT)
    try:
        out, err = proc.communicate(timeout=30)
    except subprocess.TimeoutExpired:
        proc.kill()
        out, err = proc.communicate()
    return proc.returncode, err.decode(errors="replace")


def wait_for_segments(path, count, timeout):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if os.path.exists(path):
            with open(path) as f:
                if f.read().count("#EXTINF") >= count:
                    return True
        time.sleep(0.1)
    return False


class PlaylistWatcher(threading.Thread):
    """Checks the live playlist with the strict parser (and its files on disk) every SNAPSHOT_SECONDS while the
    pipeline writes: problems of a playlist that later gets fixed still count."""

    def __init__(self, path):
        super().__init__(daemon=True)
        self.path = path
        self.snapshots = 0
        self.problems = []
        self.last_text = ""
        self.part_targets = set()  # every EXT-X-PART-INF line seen: RFC 8216bis lets it never change
        self._done = threading.Event()

    def run(self):
        while not self._done.wait(SNAPSHOT_SECONDS):
            try:
                with open(self.path) as f:
                    text = f.read()
                playlist = hls_strict.parse(text, os.path.basename(self.path))
                problems = hls_strict.check_files(playlist, os.path.dirname(self.path), os.path.basename(self.path))
            except FileNotFoundError:
                continue
            except hls_strict.PlaylistError as error:
                problems = error.problems
            self.snapshots += 1
            self.last_text = text
            self.part_targets.update(re.findall(r"^#EXT-X-PART-INF:.*$", text, re.M))
            self.problems += [p for p in problems if p not in self.problems]

    def stop(self):
        self._done.set()
        self.join()


def check_final_playlists(tap, label, outdir, names=("index.m3u8", "main.m3u8")):
    problems = []
    for name in names:
        try:
            hls_strict.check_path(os.path.join(outdir, name))
        except hls_strict.PlaylistError as error:
            problems += error.problems
        except FileNotFoundError as error:
            problems.append(str(error))
    tap.ok(not problems, f"{label}: the final playlists pass the strict parser, every URI and byte range on disk",
           "; ".join(problems[:6]))


def play(tap, label, origin, low_latency):
    r = browser.play_live(tap, label, origin.url("main.m3u8"), PLAY_SECONDS, low_latency)
    if r is None:
        return None, None
    requests = browser.origin_requests(origin.log)
    tap.diag(f"{label}: hls.js {r.get('hlsVersion')}, latency median {r['latency_median']} s, max "
             f"{r['latency_max']} s, stalls {r.get('stalls')}, loaded {r.get('loaded')}, playlist {r.get('playlist')}")
    tap.diag(f"{label}: origin saw {requests}")
    tap.equal(r.get("reason"), "played", f"{label}: hls.js plays {PLAY_SECONDS} s of the live stream")
    tap.equal(r.get("errors"), [], f"{label}: no hls.js or media error")
    tap.ok(r.get("decodedFrames", 0) >= (PLAY_SECONDS - 2) * 30, f"{label}: frames decoded for the whole time",
           r.get("decodedFrames"))
    tap.equal(r.get("stalls"), [], f"{label}: no stall once playback started")
    return r, requests


def run(tap):
    ll_dir, regular_dir = tap.path("ll"), tap.path("regular")
    os.makedirs(ll_dir)
    os.makedirs(regular_dir)
    ll_origin = browser.OriginProcess(ll_dir, tap.path("ll-requests.jsonl"))
    regular_origin = browser.OriginProcess(regular_dir, tap.path("regular-requests.jsonl"))
    proc = start_pipeline(ll_dir, regular_dir)
    watcher = PlaylistWatcher(os.path.join(ll_dir, "index.m3u8"))
    try:
        if not tap.ok(wait_for_segments(os.path.join(ll_dir, "index.m3u8"), 2, 20),
                      "the live pipeline lists two segments within 20 s", proc.poll()):
            return
        watcher.start()
        ll, ll_requests = play(tap, f"LL-HLS {PART_MS:g} ms parts", ll_origin, low_latency=True)
        regular, _ = play(tap, "regular HLS", regular_origin, low_latency=False)
    finally:
        # The pipeline first: its EOS finishes the playlists the checks below read.
        status, stderr = stop_pipeline(proc)
        ll_origin.stop()
        regular_origin.stop()
        if watcher.is_alive():
            watcher.stop()
    tap.ok(status == 0, "the live pipeline ends with EOS on SIGINT", stderr[-400:])
    tap.diag("the end of the LL playlist at the last snapshot:\n" + "\n".join(watcher.last_text.splitlines()[-24:]))
    tap.ok(watcher.snapshots >= PLAY_SECONDS, "the live LL playlist was checked every second", watcher.snapshots)
    tap.ok(not watcher.problems, f"every live LL playlist snapshot ({watcher.snapshots}) passes the strict parser "
           "with its files on disk", "; ".join(watcher.problems[:6]))
    with open(os.path.join(ll_dir, "index.m3u8")) as f:
        watcher.part_targets.update(re.findall(r"^#EXT-X-PART-INF:.*$", f.read(), re.M))
    target_ms = math.ceil(part_interval_ns(PART_MS) / 1e6)
    tap.equal(sorted(watcher.part_targets), [f"#EXT-X-PART-INF:PART-TARGET={target_ms / 1000:.3f}"],
              "PART-TARGET stays the part interval in every snapshot and at the end")
    check_final_playlists(tap, "LL", ll_dir, ("index.m3u8", "index-delta.m3u8", "main.m3u8"))
    with open(os.path.join(ll_dir, "index-delta.m3u8")) as f:
        tap.ok("#EXT-X-SKIP:SKIPPED-SEGMENTS=" in f.read(), "the final delta playlist skips the older segments")
    check_final_playlists(tap, "regular", regular_dir)
    if ll is None or regular is None:
        return
    tap.ok(ll_requests["msn_part"] > PLAY_SECONDS, "hls.js asks for parts with blocking reloads (_HLS_msn and "
           "_HLS_part)", ll_requests)
    # CAN-SKIP-UNTIL is 12 s: once the playlist lists more, hls.js asks for delta updates and gets them.
    tap.ok(ll_requests["skip"] > 0 and ll_requests["delta"] > 0, "hls.js asks for delta updates (_HLS_skip) and "
           "the origin answers with the delta playlist", (ll_requests["skip"], ll_requests["delta"]))
    tap.ok(ll.get("loaded", {}).get("parts", 0) > PLAY_SECONDS, "hls.js loads parts, not only segments",
           ll.get("loaded"))
    tap.ok(ll["latency_median"] is not None and ll["latency_median"] <= MAX_LL_LATENCY,
           f"LL-HLS: median hls.latency after the first {browser.SETTLE_SECONDS} s is at most {MAX_LL_LATENCY} s",
           ll["latency_median"])
    tap.ok(regular["latency_median"] is not None and ll["latency_median"] is not None and
           regular["latency_median"] > ll["latency_median"],
           "regular HLS of the same segments has a larger latency", (regular["latency_median"], ll["latency_median"]))
    # One line for tools/ll-latency-table.sh.
    tap.diag(f"LATENCY part_ms={PART_MS:g} hlsjs={ll.get('hlsVersion')} ll_median={ll['latency_median']} "
             f"ll_max={ll['latency_max']} ll_stalls={len(ll.get('stalls', []))} "
             f"regular_median={regular['latency_median']} regular_max={regular['latency_max']} "
             f"msn_part_requests={ll_requests['msn_part']} hinted_requests={ll_requests['hinted']} "
             f"held_for_hint={ll_requests['held_for_hint']} parts_loaded={ll.get('loaded', {}).get('parts')}")


def main():
    if not has_part_interval():
        print("1..0 # SKIP assetwritersink has no part-interval property (LL-HLS parts are not in this build)")
        return
    tap = e.Tap()
    if browser.npm_ready(tap):
        tap.check("ll-hls", lambda: run(tap))
    tap.finish()


main()
